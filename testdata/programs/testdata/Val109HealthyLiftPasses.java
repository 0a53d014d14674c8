// hprofscan-dump: name=val109-healthy-liftpasses-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val109-healthy-liftpasses-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val109-healthy-liftpasses jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val109-healthy-liftpasses-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Validation set 109 (written blind), HEALTHY (growth series that warms up and plateaus): the lift
 * pass service of a ski-resort group. Gate reference data, the season-pass directory, a memo of
 * day-ticket fare quotes keyed by the quote's inputs (an LRU, below its cap in stage 1, at it
 * from stage 2), a pool of ticket-print buffers, a ring of gate scans (filling in stage 1, wrapping
 * from stage 2), the backlog of scans waiting for the central sync, and look-alikes of the set's
 * leaks done right: gate-scan batches fan out to one fixed pool of 2 threads shared by every
 * batch (each thread with its ThreadLocal decode scratch); lift-status board sessions subscribe on
 * the status bus and unsubscribe on every close path (client close and idle reaper); lift
 * queue-time watches are scheduled with a fixed delay and cancelled when the skier stops watching
 * (remove-on-cancel policy). Stage 1/2/3 simulate 1/4/8 hours. See VALIDATION109.md.
 */
public final class Val109HealthyLiftPasses {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GATES = 1_200, PASSES = 22_000, FARE_CAP = 1_500, POOL = 6, RING = 16_384, SCANS_PER_MINUTE = 100, QUOTES_PER_MINUTE = 25,
            SESSIONS_PER_MINUTE = 6, WATCHES_PER_MINUTE = 4, RESORTS = 12, SYNC_LAG_MINUTES = 4, OUTBOX = 16;
    static final String[] AGE_BANDS = {"child", "youth", "adult", "senior", "super-senior"};

    record Gate(String gateId, String resort, String lift, double[] throughputByHalfHour) {}
    record SeasonPass(String passNo, String holder, String resort, byte[] photoTemplate, long validFrom) {}
    record FareInputs(String resort, String ageBand, int days, long startDay, boolean insured) {}
    record FareQuote(FareInputs inputs, int priceCents, byte[] breakdown, long quotedAt) {}
    record GateScan(String passNo, String gateId, long at, boolean accepted) {}
    record LiftStatus(String lift, String resort, String state, int waitMinutes, long at) {}
    record StatusSubscription(long token, String resort, Consumer<LiftStatus> callback) {}

    static final ThreadLocal<byte[]> DECODE_SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);
    static final Map<String, Gate> GATES_BY_ID = new HashMap<>();

    static final class FareMemo extends LinkedHashMap<FareInputs, FareQuote> {
        long evicted;
        FareMemo() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<FareInputs, FareQuote> e) { if (size() > FARE_CAP) { evicted++; return true; } return false; }
    }

    static final class LiftStatusBus {
        final ConcurrentHashMap<Long, StatusSubscription> subscriptions = new ConcurrentHashMap<>();
        final AtomicLong nextToken = new AtomicLong(1);
        long subscribe(String resort, Consumer<LiftStatus> cb) { long t = nextToken.getAndIncrement(); subscriptions.put(t, new StatusSubscription(t, resort, cb)); return t; }
        void unsubscribe(long token) { subscriptions.remove(token); }
        void publish(LiftStatus s) { for (StatusSubscription sub : subscriptions.values()) if (sub.resort().equals(s.resort())) sub.callback().accept(s); }
    }

    static final class BoardSession {
        final String sessionId, resort;
        final byte[] frameBuffer = new byte[2_048];
        final ArrayDeque<String> outbox = new ArrayDeque<>();
        long token;
        boolean open = true;
        BoardSession(String sessionId, String resort) { this.sessionId = sessionId; this.resort = resort; }
        void onStatus(LiftStatus s) {
            if (!open) return;
            String frame = "{\"lift\":\"" + s.lift() + "\",\"state\":\"" + s.state() + "\",\"wait\":" + s.waitMinutes() + ",\"at\":" + s.at() + "}";
            frameBuffer[(int) (s.at() % frameBuffer.length)] = (byte) frame.length();
            outbox.addLast(frame);
            if (outbox.size() > OUTBOX) outbox.removeFirst();
        }
    }

    static final class QueueWatch {
        final String watchId, passNo, lift;
        final int notifyBelowMinutes;
        ScheduledFuture<?> check;
        QueueWatch(String watchId, String passNo, String lift, int notifyBelowMinutes) { this.watchId = watchId; this.passNo = passNo; this.lift = lift; this.notifyBelowMinutes = notifyBelowMinutes; }
    }

    record Closing(long at, int kind, Object target) {}

    static final class PassService {
        final Map<String, SeasonPass> passes = new HashMap<>();
        final String[] passNos = new String[PASSES];
        final FareMemo fares = new FareMemo();
        final ThreadPoolExecutor scanPool;
        final LiftStatusBus bus = new LiftStatusBus();
        final Map<String, BoardSession> sessions = new HashMap<>();
        final ScheduledThreadPoolExecutor watchScheduler;
        final Map<String, QueueWatch> watches = new HashMap<>();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        final ArrayDeque<GateScan> syncBacklog = new ArrayDeque<>();
        long watchChecks, scanCount, quotes, fareHits, sessionsOpened, sessionsClosed, sessionsReaped, watchesStarted, watchesStopped, synced, batches;

        PassService() {
            AtomicInteger n = new AtomicInteger(), m = new AtomicInteger();
            scanPool = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "gate-sync-" + n.incrementAndGet()));
            watchScheduler = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "queue-watch-" + m.incrementAndGet()));
            watchScheduler.setRemoveOnCancelPolicy(true);
        }

        boolean validate(String passNo, long at) {
            byte[] scratch = DECODE_SCRATCH.get();
            scratch[(int) (at % scratch.length)] = (byte) passNo.length();
            return passes.containsKey(passNo);
        }

        void scanBatch(List<String> passNos, String[] gateIds, long t, Random r) throws Exception {
            List<Future<boolean[]>> parts = new ArrayList<>();
            int chunk = 25;
            for (int from = 0; from < passNos.size(); from += chunk) {
                List<String> part = passNos.subList(from, Math.min(passNos.size(), from + chunk));
                long at = t;
                parts.add(scanPool.submit(() -> { boolean[] ok = new boolean[part.size()]; for (int i = 0; i < ok.length; i++) ok[i] = validate(part.get(i), at + i); return ok; }));
            }
            int i = 0;
            for (Future<boolean[]> f : parts) {
                for (boolean ok : f.get()) {
                    GateScan s = new GateScan(passNos.get(i++), gateIds[r.nextInt(gateIds.length)], t + i * 500L, ok);
                    scans[(int) (scanCount++ % RING)] = s;
                    syncBacklog.addLast(s);
                }
            }
            batches++;
        }

        FareQuote quote(FareInputs in, long t, Random r) {
            quotes++;
            FareQuote q = fares.get(in);
            if (q != null) { fareHits++; return q; }
            q = new FareQuote(in, 3_000 + in.days() * 4_500 + r.nextInt(2_000), new byte[200 + r.nextInt(300)], t);
            fares.put(in, q);
            byte[] buf = printBuffers.poll();
            buf[(int) (t % buf.length)] = (byte) q.priceCents();
            printBuffers.add(buf);
            return q;
        }

        void openSession(BoardSession s) { s.token = bus.subscribe(s.resort, s::onStatus); sessions.put(s.sessionId, s); sessionsOpened++; }
        void closeSession(BoardSession s, boolean reaped) {
            try {
                s.open = false;
            } finally {
                bus.unsubscribe(s.token); // both the client's close and the idle reaper end here
                sessions.remove(s.sessionId);
                if (reaped) sessionsReaped++; else sessionsClosed++;
            }
        }

        void startWatch(QueueWatch w) {
            w.check = watchScheduler.scheduleWithFixedDelay(() -> checkWatch(w), 5, 2, TimeUnit.MINUTES);
            watches.put(w.watchId, w);
            watchesStarted++;
        }
        void checkWatch(QueueWatch w) {
            if (w.notifyBelowMinutes > 0) watchChecks++; // pushes "queue is short" (the first check is 5 minutes away: none runs here)
        }
        void stopWatch(QueueWatch w) {
            watches.remove(w.watchId);
            w.check.cancel(false);
            watchesStopped++;
        }
    }

    static PassService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(109_050_001);
        String[] resorts = new String[RESORTS];
        for (int k = 0; k < RESORTS; k++) resorts[k] = "RS" + (10 + k * 3);
        String[] gateIds = new String[GATES];
        String[] lifts = new String[GATES / 10];
        for (int l = 0; l < lifts.length; l++) lifts[l] = resorts[l % RESORTS] + "-L" + (1 + l / RESORTS);
        for (int g = 0; g < GATES; g++) {
            double[] tp = new double[48];
            for (int j = 0; j < tp.length; j++) tp[j] = rnd.nextDouble() * 400;
            gateIds[g] = "G" + (10_000 + g * 7);
            String lift = lifts[g % lifts.length];
            GATES_BY_ID.put(gateIds[g], new Gate(gateIds[g], lift.substring(0, 4), lift, tp));
        }
        PassService svc = new PassService();
        SERVICE = svc;
        for (int p = 0; p < PASSES; p++) {
            svc.passNos[p] = "SP-" + resorts[p % RESORTS] + "-" + (500_000 + p * 3);
            svc.passes.put(svc.passNos[p], new SeasonPass(svc.passNos[p], "Holder " + rnd.nextInt(1_000_000), resorts[p % RESORTS], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(120)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[49_152]);
        svc.watchScheduler.scheduleAtFixedRate(() -> { }, 10, 10, TimeUnit.MINUTES);   // queue-time model refresh
        svc.watchScheduler.scheduleWithFixedDelay(() -> { }, 30, 30, TimeUnit.MINUTES); // watch metrics

        Random traffic = new Random(109_050_002), quotes = new Random(109_050_003), sessions = new Random(109_050_004), watches = new Random(109_050_005), status = new Random(109_050_006);
        PriorityQueue<Closing> closings = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int sessionSeq = 0, watchSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!closings.isEmpty() && closings.peek().at() <= t) {
                Closing c = closings.poll();
                if (c.kind() == 2) svc.stopWatch((QueueWatch) c.target());
                else svc.closeSession((BoardSession) c.target(), c.kind() == 1);
            }
            List<String> batch = new ArrayList<>(SCANS_PER_MINUTE);
            for (int k = 0; k < SCANS_PER_MINUTE; k++) batch.add(traffic.nextInt(50) == 0 ? "SP-FORGED-" + traffic.nextInt(1_000) : svc.passNos[traffic.nextInt(PASSES)]);
            svc.scanBatch(batch, gateIds, t, traffic);
            for (int k = 0; k < QUOTES_PER_MINUTE; k++) {
                svc.quote(new FareInputs(resorts[quotes.nextInt(RESORTS)], AGE_BANDS[quotes.nextInt(AGE_BANDS.length)], 1 + quotes.nextInt(7),
                        t / DAY + 1 + quotes.nextInt(14), quotes.nextInt(3) == 0), t, quotes);
            }
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                BoardSession s = new BoardSession("lb-" + Long.toHexString(0x3e00_0000L + sessionSeq++), resorts[sessions.nextInt(RESORTS)]);
                svc.openSession(s);
                boolean reaped = sessions.nextInt(100) < 20;
                closings.add(new Closing(t + (2 + sessions.nextInt(38)) * MINUTE + (reaped ? 90 * SECOND : 0), reaped ? 1 : 0, s));
            }
            for (int k = 0; k < WATCHES_PER_MINUTE; k++) {
                QueueWatch w = new QueueWatch("QW" + (9_000_000 + watchSeq++), svc.passNos[watches.nextInt(PASSES)], lifts[watches.nextInt(lifts.length)], 3 + watches.nextInt(10));
                svc.startWatch(w);
                closings.add(new Closing(t + (10 + watches.nextInt(50)) * MINUTE, 2, w));
            }
            for (int k = 0; k < 10; k++) {
                String lift = lifts[status.nextInt(lifts.length)];
                svc.bus.publish(new LiftStatus(lift, lift.substring(0, 4), status.nextInt(20) == 0 ? "on hold" : "open", status.nextInt(25), t + k * 6 * SECOND));
            }
            while (!svc.syncBacklog.isEmpty() && svc.syncBacklog.peekFirst().at() <= t - SYNC_LAG_MINUTES * MINUTE) {
                svc.syncBacklog.pollFirst();
                svc.synced++;
            }
        }
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix)) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the pools' threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        PassService svc = SERVICE;
        int minutes = hours * 60;
        int queued = svc.watchScheduler.getQueue().size();
        System.out.println("stage " + stage + " gates " + GATES_BY_ID.size() + " passes " + svc.passes.size() + " scans " + svc.scanCount + " batches " + svc.batches + " sync backlog " + svc.syncBacklog.size()
                + " quotes " + svc.quotes + " (hits " + svc.fareHits + ") fare memo " + svc.fares.size() + " (evicted " + svc.fares.evicted + ") sessions +" + svc.sessionsOpened + " -" + svc.sessionsClosed
                + " reaped " + svc.sessionsReaped + " open " + svc.sessions.size() + " bus " + svc.bus.subscriptions.size() + " watches +" + svc.watchesStarted + " -" + svc.watchesStopped
                + " active " + svc.watches.size() + " watch queue " + queued + " threads " + liveThreads("gate-sync-") + "/" + liveThreads("queue-watch-") + " pool " + svc.printBuffers.size());
        check(GATES_BY_ID.size() == GATES && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.batches == minutes && svc.scanCount == (long) SCANS_PER_MINUTE * minutes && svc.scans[(int) Math.min(RING, svc.scanCount) - 1] != null, "scans");
        check(svc.syncBacklog.size() == SCANS_PER_MINUTE * (SYNC_LAG_MINUTES + 1), "sync backlog");
        check(svc.quotes == (long) QUOTES_PER_MINUTE * minutes && svc.fares.size() == Math.min(FARE_CAP, svc.quotes - svc.fareHits), "fare memo");
        check(stage == 1 ? svc.fares.evicted == 0 : svc.fares.size() == FARE_CAP, "fare memo warm");
        check(svc.sessionsOpened == svc.sessionsClosed + svc.sessionsReaped + svc.sessions.size() && svc.bus.subscriptions.size() == svc.sessions.size(), "status bus");
        check(svc.watchesStarted == svc.watchesStopped + svc.watches.size() && queued == svc.watches.size() + 2, "queue watches");
        check(liveThreads("gate-sync-") == 2 && liveThreads("queue-watch-") == 1 && svc.scanPool.getQueue().isEmpty(), "shared pools");
        check(svc.printBuffers.size() == POOL, "print buffer pool");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
