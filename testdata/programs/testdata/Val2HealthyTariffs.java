// hprofscan-dump: name=val2-healthy-tariffs-1 jvm="-Xmx256m" variants=mxbean args="--hours=6"
// hprofscan-dump: name=val2-healthy-tariffs-2 jvm="-Xmx256m" variants=mxbean args="--hours=12"
// hprofscan-dump: name=val2-healthy-tariffs jvm="-Xmx256m" variants=mxbean args="--hours=24"
package testdata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Validation set 2 (written blind): a telecom call-rating service. HEALTHY.
 *
 * <p>Components: tariff catalog (reference data, prefix -> rate plan), rating cache (LRU at its
 * cap), encode buffer pool, CDR queue drained by two billing consumers, account ledger (fixed
 * account base), Diameter session store with idle expiry, metrics registry, a simulated-time
 * housekeeping scheduler. Every structure plateaus: running for more simulated hours does not
 * grow anything.
 *
 * <p>Usage: {@code Val2HealthyTariffs <variant> <out> --hours=N}.
 */
public final class Val2HealthyTariffs {
    static final int PREFIXES = 40_000;
    static final int ACCOUNTS = 20_000;
    static final int DIALLED_NUMBER_SPACE = 200_000;
    static final int RATING_CACHE_CAP = 40_000;
    static final int BUFFERS = 96;
    static final int BUFFER_BYTES = 32 * 1024;
    static final int CALLS_PER_MINUTE = 150;
    static final int SESSIONS_PER_MINUTE = 60;
    static final long SESSION_IDLE_TTL_MILLIS = TimeUnit.MINUTES.toMillis(45);
    static final int IN_FLIGHT_AT_DUMP = 8_000;
    static final long EPOCH_START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    static final String[] COUNTRIES = {"Germany", "France", "Spain", "Italy", "Poland", "Austria",
        "Netherlands", "Belgium", "Sweden", "Norway", "Denmark", "Finland", "Portugal", "Greece",
        "Ireland", "Czechia", "Hungary", "Romania", "Croatia", "Slovenia"};

    // ---------------------------------------------------------------- clock and scheduler
    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { this.nowMillis = start; }
        long millis() { return nowMillis; }
        void advance(long ms) { nowMillis += ms; }
    }

    /** Housekeeping jobs driven by the simulated clock (a fixed set, registered once). */
    static final class HousekeepingScheduler {
        static final class Job {
            final String name; final long periodMillis; long nextRunAt; final Runnable body; long runs;
            Job(String name, long periodMillis, long firstRun, Runnable body) {
                this.name = name; this.periodMillis = periodMillis; this.nextRunAt = firstRun; this.body = body;
            }
        }
        private final List<Job> jobs = new ArrayList<>();
        private final SimClock clock;
        HousekeepingScheduler(SimClock clock) { this.clock = clock; }
        void every(String name, long periodMillis, Runnable body) {
            jobs.add(new Job(name, periodMillis, clock.millis() + periodMillis, body));
        }
        void tick() {
            for (Job j : jobs) {
                while (j.nextRunAt <= clock.millis()) {
                    j.body.run(); j.runs++; j.nextRunAt += j.periodMillis;
                }
            }
        }
    }

    // ---------------------------------------------------------------- reference data
    static final class RatePlan {
        final String prefix;
        final String destination;
        final String currency;
        final long microsPerMinute;
        final long peakMicrosPerMinute;
        final byte[] peakHours = new byte[24];
        final int billingIncrementSeconds;
        RatePlan(String prefix, String destination, String currency, long offPeak, long peak, int increment) {
            this.prefix = prefix; this.destination = destination; this.currency = currency;
            this.microsPerMinute = offPeak; this.peakMicrosPerMinute = peak; this.billingIncrementSeconds = increment;
            for (int h = 8; h < 19; h++) peakHours[h] = 1;
        }
    }

    static final class TariffCatalog {
        private final Map<String, RatePlan> plansByPrefix = new HashMap<>(PREFIXES * 2);
        final String version;
        TariffCatalog(String version) { this.version = version; }
        void load(Random rnd) {
            for (int i = 0; i < PREFIXES; i++) {
                String prefix = Integer.toString(10_000 + i);
                String country = COUNTRIES[i % COUNTRIES.length];
                String destination = country + (i % 3 == 0 ? " Mobile " : " Fixed ") + (i / COUNTRIES.length);
                long offPeak = 1_000 + rnd.nextInt(90_000);
                plansByPrefix.put(prefix, new RatePlan(prefix, destination, i % 5 == 0 ? "CHF" : "EUR",
                        offPeak, offPeak * 3 / 2, i % 4 == 0 ? 60 : 1));
            }
        }
        RatePlan lookup(String number) {
            for (int len = Math.min(7, number.length()); len >= 3; len--) {
                RatePlan p = plansByPrefix.get(number.substring(0, len));
                if (p != null) return p;
            }
            return null;
        }
        int size() { return plansByPrefix.size(); }
    }

    // ---------------------------------------------------------------- rating cache
    static final class RatedDestination {
        final String number; final RatePlan plan; final long ratedAtMillis;
        RatedDestination(String number, RatePlan plan, long ratedAtMillis) {
            this.number = number; this.plan = plan; this.ratedAtMillis = ratedAtMillis;
        }
    }

    static final class RatingCache {
        private final int capacity;
        private long hits, misses;
        private final LinkedHashMap<String, RatedDestination> entries;
        RatingCache(int capacity) {
            this.capacity = capacity;
            this.entries = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
                @Override protected boolean removeEldestEntry(Map.Entry<String, RatedDestination> eldest) {
                    return size() > RatingCache.this.capacity;
                }
            };
        }
        RatedDestination rate(String number, TariffCatalog catalog, long now) {
            RatedDestination r = entries.get(number);
            if (r != null) { hits++; return r; }
            misses++;
            r = new RatedDestination(number, catalog.lookup(number), now);
            entries.put(number, r);
            return r;
        }
        int size() { return entries.size(); }
    }

    // ---------------------------------------------------------------- buffer pool
    static final class EncodeBufferPool {
        private final ArrayBlockingQueue<ByteBuffer> idle;
        EncodeBufferPool(int n, int bytes) {
            idle = new ArrayBlockingQueue<>(n);
            for (int i = 0; i < n; i++) idle.add(ByteBuffer.allocate(bytes));
        }
        ByteBuffer borrow() {
            ByteBuffer b = idle.poll();
            if (b == null) throw new IllegalStateException("encode buffer pool exhausted");
            b.clear();
            return b;
        }
        void release(ByteBuffer b) { idle.add(b); }
        int idleCount() { return idle.size(); }
    }

    // ---------------------------------------------------------------- CDRs and billing
    static final class CallDetailRecord {
        final long callId; final long accountId; final String calledNumber; final long startedAtMillis;
        final int durationSeconds; final long chargeMicros; final String ratePrefix;
        CallDetailRecord(long callId, long accountId, String calledNumber, long startedAtMillis,
                         int durationSeconds, long chargeMicros, String ratePrefix) {
            this.callId = callId; this.accountId = accountId; this.calledNumber = calledNumber;
            this.startedAtMillis = startedAtMillis; this.durationSeconds = durationSeconds;
            this.chargeMicros = chargeMicros; this.ratePrefix = ratePrefix;
        }
    }

    static final class AccountBalance {
        final long accountId; final String msisdn; final AtomicLong usedMicros = new AtomicLong();
        final AtomicLong calls = new AtomicLong(); volatile long lastCallAtMillis;
        AccountBalance(long accountId, String msisdn) { this.accountId = accountId; this.msisdn = msisdn; }
    }

    static final class BillingLedger {
        final ConcurrentHashMap<Long, AccountBalance> accounts = new ConcurrentHashMap<>();
        void post(CallDetailRecord cdr) {
            AccountBalance b = accounts.get(cdr.accountId);
            b.usedMicros.addAndGet(cdr.chargeMicros); b.calls.incrementAndGet();
            b.lastCallAtMillis = cdr.startedAtMillis;
        }
    }

    /** CDR queue with consumers; pause() stops consumption (used to hold an in-flight burst). */
    static final class CdrPipeline {
        final LinkedBlockingQueue<CallDetailRecord> queue = new LinkedBlockingQueue<>(50_000);
        final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
        final LongAdder consumed = new LongAdder();
        final ExecutorService consumers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "billing-consumer"); t.setDaemon(true); return t;
        });
        final BillingLedger ledger;
        CdrPipeline(BillingLedger ledger) {
            this.ledger = ledger;
            for (int i = 0; i < 2; i++) consumers.submit(this::consume);
        }
        private void consume() {
            while (!Thread.currentThread().isInterrupted()) {
                gate.readLock().lock();
                try {
                    CallDetailRecord c = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (c != null) { ledger.post(c); consumed.increment(); }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    gate.readLock().unlock();
                }
            }
        }
        void awaitDrained(long expected) throws InterruptedException {
            while (consumed.sum() < expected) Thread.sleep(2);
        }
    }

    // ---------------------------------------------------------------- sessions and metrics
    static final class DiameterSession {
        final String sessionId; final long accountId; final long createdAtMillis; long lastSeenMillis;
        final Map<String, String> avps = new HashMap<>();
        DiameterSession(String sessionId, long accountId, long now) {
            this.sessionId = sessionId; this.accountId = accountId; this.createdAtMillis = now; this.lastSeenMillis = now;
        }
    }

    static final class SessionStore {
        final ConcurrentHashMap<String, DiameterSession> sessions = new ConcurrentHashMap<>();
        final long idleTtlMillis;
        long expired;
        SessionStore(long idleTtlMillis) { this.idleTtlMillis = idleTtlMillis; }
        void expire(long now) {
            sessions.values().removeIf(s -> {
                boolean dead = s.lastSeenMillis + idleTtlMillis <= now;
                if (dead) expired++;
                return dead;
            });
        }
    }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        final long[] latencyBucketsMicros = new long[64];
        void inc(String name) { counters.computeIfAbsent(name, k -> new LongAdder()).increment(); }
        void latency(long micros) { latencyBucketsMicros[Math.min(63, 64 - Long.numberOfLeadingZeros(micros))]++; }
    }

    // ---------------------------------------------------------------- the service
    final SimClock clock = new SimClock(EPOCH_START);
    final HousekeepingScheduler scheduler = new HousekeepingScheduler(clock);
    final TariffCatalog catalog = new TariffCatalog("2026.01-r3");
    final RatingCache ratingCache = new RatingCache(RATING_CACHE_CAP);
    final EncodeBufferPool buffers = new EncodeBufferPool(BUFFERS, BUFFER_BYTES);
    final BillingLedger ledger = new BillingLedger();
    final CdrPipeline pipeline = new CdrPipeline(ledger);
    final SessionStore sessionStore = new SessionStore(SESSION_IDLE_TTL_MILLIS);
    final MetricsRegistry metrics = new MetricsRegistry();
    final Random rnd = new Random(20260101L);
    long nextCallId = 1, nextSession = 1, produced;

    static Val2HealthyTariffs service;

    void start() {
        catalog.load(rnd);
        for (long a = 0; a < ACCOUNTS; a++) {
            ledger.accounts.put(a, new AccountBalance(a, "+4917" + (10_000_000 + a)));
        }
        scheduler.every("session-expiry", TimeUnit.MINUTES.toMillis(1), () -> sessionStore.expire(clock.millis()));
        scheduler.every("metrics-rollup", TimeUnit.MINUTES.toMillis(5), () -> metrics.inc("rollups"));
    }

    CallDetailRecord rateCall() {
        long now = clock.millis();
        String number = Integer.toString(10_000_000 + rnd.nextInt(DIALLED_NUMBER_SPACE) * 199 % 39_990_000);
        RatedDestination rated = ratingCache.rate(number, catalog, now);
        int duration = 5 + rnd.nextInt(600);
        int hour = (int) ((now / 3_600_000L) % 24);
        long perMinute = rated.plan.peakHours[hour] == 1 ? rated.plan.peakMicrosPerMinute : rated.plan.microsPerMinute;
        long charge = perMinute * duration / 60;
        ByteBuffer buf = buffers.borrow();
        try {
            buf.putLong(nextCallId).put(number.getBytes(StandardCharsets.US_ASCII)).putLong(charge);
            metrics.latency(buf.position() * 3L);
        } finally {
            buffers.release(buf);
        }
        metrics.inc("calls.rated");
        return new CallDetailRecord(nextCallId++, rnd.nextInt(ACCOUNTS), number, now, duration, charge, rated.plan.prefix);
    }

    void runMinute() throws InterruptedException {
        for (int s = 0; s < SESSIONS_PER_MINUTE; s++) {
            String id = "ocs01.example.net;" + (clock.millis() / 1000) + ";" + nextSession++;
            DiameterSession ds = new DiameterSession(id, rnd.nextInt(ACCOUNTS), clock.millis());
            ds.avps.put("Origin-Host", "pgw" + (s % 8) + ".example.net");
            ds.avps.put("Service-Context-Id", "32251@3gpp.org");
            ds.avps.put("Subscription-Id-Data", "+4917" + (10_000_000 + ds.accountId));
            ds.avps.put("Called-Station-Id", "internet.example");
            ds.avps.put("User-Equipment-Info", "IMEISV-35" + (100_000_000L + nextSession * 7));
            sessionStore.sessions.put(id, ds);
            metrics.inc("sessions.created");
        }
        long step = 60_000L / CALLS_PER_MINUTE;
        for (int c = 0; c < CALLS_PER_MINUTE; c++) {
            pipeline.queue.put(rateCall());
            produced++;
            clock.advance(step);
        }
        clock.advance(60_000L - step * CALLS_PER_MINUTE);
        scheduler.tick();
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) throws Exception {
        int hours = 24;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--hours=")) hours = Integer.parseInt(args[i].substring(8));
        }
        Val2HealthyTariffs svc = new Val2HealthyTariffs();
        service = svc;
        svc.start();
        for (int m = 0; m < hours * 60; m++) svc.runMinute();
        svc.pipeline.awaitDrained(svc.produced);
        // Hold a burst in flight: consumers are paused while the next batch arrives.
        svc.pipeline.gate.writeLock().lock();
        for (int i = 0; i < IN_FLIGHT_AT_DUMP; i++) svc.pipeline.queue.put(svc.rateCall());

        long posted = 0;
        for (AccountBalance b : svc.ledger.accounts.values()) posted += b.calls.get();
        check(svc.catalog.size() == PREFIXES, "catalog " + svc.catalog.size());
        check(svc.ratingCache.size() == RATING_CACHE_CAP, "rating cache " + svc.ratingCache.size());
        check(svc.buffers.idleCount() == BUFFERS, "buffer pool " + svc.buffers.idleCount());
        check(svc.pipeline.queue.size() == IN_FLIGHT_AT_DUMP, "cdr queue " + svc.pipeline.queue.size());
        check(svc.ledger.accounts.size() == ACCOUNTS, "ledger " + svc.ledger.accounts.size());
        check(posted == svc.produced, "posted " + posted + " vs " + svc.produced);
        // created at the start of each minute, swept at its end: the last 44 minutes survive
        check(svc.sessionStore.sessions.size() == SESSIONS_PER_MINUTE * 44, "sessions " + svc.sessionStore.sessions.size());
        check(svc.metrics.counters.size() == 3, "metrics " + svc.metrics.counters.keySet());

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
