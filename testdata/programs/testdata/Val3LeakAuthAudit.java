// hprofscan-dump: name=val3-leak-authaudit jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), LEAKING, series of three dumps: a card-authorization service.
 *
 * <p>Every authorization decision is published as an {@link AuditEvent} to
 * {@code AuditShipper.pending}, an unbounded {@code ConcurrentLinkedQueue} drained by one
 * consumer thread ({@code audit-shipper}) that ships batches to the audit store. The consumer
 * died at startup (an exception on a missing endpoint setting, caught nowhere) and nothing
 * restarts it; {@code publish()} keeps enqueueing. The dead thread object stays in
 * {@code AuditShipper.worker} (state TERMINATED). Events: 12,000 at the first dump (8 simulated
 * hours ending now), 24,000 at the second, 48,000 at the third (the later ones are stamped with
 * the real time between the dumps, about a second each).
 *
 * <p>Healthy beside it: BIN ranges (reference data, 40,000, the largest structure), a merchant
 * directory (8,000), an idempotency cache keyed by client-supplied UUIDs (LinkedHashMap,
 * removeEldestEntry at 4,000), a hand-written FIFO risk-score cache (map + ArrayDeque, capacity
 * 2,500), metrics. All of them are the same size in the three dumps. See testdata/VALIDATION3.md.
 */
public final class Val3LeakAuthAudit {
    static final int BIN_RANGES = 40_000;
    static final int MERCHANTS = 8_000;
    static final int IDEMPOTENCY_CAP = 4_000;
    static final int RISK_CACHE_CAP = 2_500;
    static final int[] EVENTS_AT_DUMP = {12_000, 24_000, 48_000};
    static final long SIM_MILLIS = 8L * 3600_000L;

    static AuthorizationService RUNNING;

    static final class BinRange {
        final String low; final String high; final String issuer; final String scheme; final String country; final boolean prepaid; final long loadedAt;
        BinRange(String low, String high, String issuer, String scheme, String country, boolean prepaid, long loadedAt) {
            this.low = low; this.high = high; this.issuer = issuer; this.scheme = scheme; this.country = country; this.prepaid = prepaid; this.loadedAt = loadedAt;
        }
    }

    /** Reference data, loaded once at startup. */
    static final class BinTable {
        static final TreeMap<String, BinRange> RANGES = new TreeMap<>();
        static void load(long now) {
            String[] schemes = {"VISA", "MC", "AMEX", "DISC"};
            for (int i = 0; i < BIN_RANGES; i++) {
                String low = Long.toString(400_000_000L + i * 1_000L);
                RANGES.put(low, new BinRange(low, Long.toString(400_000_000L + i * 1_000L + 999), "Issuer Bank " + (i % 1_200),
                        schemes[i % 4], i % 3 == 0 ? "DE" : "FR", i % 11 == 0, now));
            }
        }
    }

    static final class Merchant {
        final String mid; final String name; final int mcc; final long floorLimitMinor; long authCount; long authAmountMinor;
        Merchant(String mid, String name, int mcc, long floorLimitMinor) { this.mid = mid; this.name = name; this.mcc = mcc; this.floorLimitMinor = floorLimitMinor; }
    }

    static final class AuthResponse {
        final String authCode; final String outcome; final long decidedAt;
        AuthResponse(String authCode, String outcome, long decidedAt) { this.authCode = authCode; this.outcome = outcome; this.decidedAt = decidedAt; }
    }

    static final class IdempotencyCache extends LinkedHashMap<String, AuthResponse> {
        final int maxEntries;
        IdempotencyCache(int maxEntries) { super(maxEntries * 2, 0.75f, false); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AuthResponse> e) { return size() > maxEntries; }
    }

    static final class RiskScore {
        final String cardToken; final int score; final long computedAt;
        RiskScore(String cardToken, int score, long computedAt) { this.cardToken = cardToken; this.score = score; this.computedAt = computedAt; }
    }

    /** Hand-written FIFO cache: the oldest key is evicted once {@code capacity} is reached. */
    static final class RiskScoreCache {
        final ConcurrentHashMap<String, RiskScore> scores = new ConcurrentHashMap<>();
        final java.util.ArrayDeque<String> insertionOrder = new java.util.ArrayDeque<>();
        final int capacity;
        RiskScoreCache(int capacity) { this.capacity = capacity; }
        RiskScore get(String token, long now, Random rnd) {
            RiskScore s = scores.get(token);
            if (s != null) return s;
            s = new RiskScore(token, rnd.nextInt(1000), now);
            scores.put(token, s);
            insertionOrder.add(token);
            if (insertionOrder.size() > capacity) scores.remove(insertionOrder.poll());
            return s;
        }
    }

    static final class AuditEvent {
        final long at; final String authId; final String mid; final long amountMinor; final String outcome; final byte[] isoMessage;
        AuditEvent(long at, String authId, String mid, long amountMinor, String outcome, byte[] isoMessage) {
            this.at = at; this.authId = authId; this.mid = mid; this.amountMinor = amountMinor; this.outcome = outcome; this.isoMessage = isoMessage;
        }
    }

    static final class AuditShipper {
        final ConcurrentLinkedQueue<AuditEvent> pending = new ConcurrentLinkedQueue<>();
        final String endpoint; // null: the setting is missing
        final Thread worker;
        volatile long shipped;
        AuditShipper(String endpoint) {
            this.endpoint = endpoint;
            worker = new Thread(this::drainLoop, "audit-shipper");
            worker.setDaemon(true);
            worker.setUncaughtExceptionHandler((t, e) -> { /* logged at DEBUG, i.e. nowhere */ });
        }
        void start() throws InterruptedException {
            worker.start();
            worker.join(); // (only so the dump is deterministic: the consumer is dead before traffic starts)
        }
        void drainLoop() {
            String host = endpoint.substring(endpoint.indexOf("//") + 2); // NullPointerException: the thread dies
            while (true) {
                List<AuditEvent> batch = new ArrayList<>();
                AuditEvent e;
                while (batch.size() < 500 && (e = pending.poll()) != null) batch.add(e);
                shipped += batch.size();
                if (host.isEmpty()) break;
            }
        }
        void publish(AuditEvent e) { pending.add(e); }
    }

    static final class AuthorizationService {
        final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
        final IdempotencyCache idempotency = new IdempotencyCache(IDEMPOTENCY_CAP);
        final RiskScoreCache risk = new RiskScoreCache(RISK_CACHE_CAP);
        final AuditShipper audit = new AuditShipper(System.getProperty("audit.endpoint"));
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        long seq;

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void authorize(Random rnd, long now) {
            String idemKey = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            Merchant m = merchants.get("MID" + (70_000_000 + rnd.nextInt(MERCHANTS)));
            String pan = Long.toString(400_000_000L + rnd.nextInt(BIN_RANGES) * 1_000L + rnd.nextInt(1000)) + "0000123";
            BinRange bin = BinTable.RANGES.floorEntry(pan.substring(0, 9)).getValue();
            String cardToken = "tok_" + Integer.toHexString(pan.hashCode() & 0xfffff);
            RiskScore risk = this.risk.get(cardToken, now, rnd);
            long amount = 100 + rnd.nextInt(50_000);
            m.authCount++; m.authAmountMinor += amount;
            String outcome = (risk.score > 950 || amount > m.floorLimitMinor * 10 || bin.prepaid && amount > 40_000) ? "DECLINED" : "APPROVED";
            String authId = "A" + (1_000_000_000L + seq++);
            idempotency.put(idemKey, new AuthResponse(authId.substring(4), outcome, now));
            byte[] iso = new byte[192];
            iso[0] = 0x01; iso[1] = 0x00;
            audit.publish(new AuditEvent(now, authId, m.mid, amount, outcome, iso));
            count("auth." + outcome);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static AuthorizationService start(long start) throws InterruptedException {
        AuthorizationService svc = new AuthorizationService();
        BinTable.load(start);
        for (int i = 0; i < MERCHANTS; i++) {
            String mid = "MID" + (70_000_000 + i);
            svc.merchants.put(mid, new Merchant(mid, "Merchant " + i + " Ltd", 5_000 + i % 900, 10_000 + (i % 50) * 1_000));
        }
        svc.audit.start();
        check(svc.audit.worker.getState() == Thread.State.TERMINATED, "shipper died");
        return svc;
    }

    /** Runs {@code n} authorizations spread evenly from {@code from} to {@code to}. */
    static void traffic(AuthorizationService svc, Random rnd, int n, long from, long to) {
        long span = to - from;
        for (int i = 0; i < n; i++) {
            long t = from + span * i / n;
            svc.authorize(rnd, t);
        }
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = start(now - SIM_MILLIS);
        Random rnd = new Random(60_606);
        int done = 0;
        long from = now - SIM_MILLIS;
        for (int d = 1; d <= count; d++) {
            int target = EVENTS_AT_DUMP[d - 1];
            long to = System.currentTimeMillis();
            traffic(RUNNING, rnd, target - done, from, to);
            done = target;
            check(RUNNING.audit.pending.size() == target, "pending " + RUNNING.audit.pending.size());
            check(RUNNING.idempotency.size() == IDEMPOTENCY_CAP, "idempotency " + RUNNING.idempotency.size());
            check(RUNNING.merchants.size() == MERCHANTS && BinTable.RANGES.size() == BIN_RANGES, "reference data");
            check(RUNNING.risk.scores.size() == RISK_CACHE_CAP && RUNNING.risk.insertionOrder.size() == RISK_CACHE_CAP, "risk " + RUNNING.risk.scores.size());
            String path = LeakCheck.seriesPath(args[1], d, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
