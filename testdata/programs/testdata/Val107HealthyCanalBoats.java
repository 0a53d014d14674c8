// hprofscan-dump: name=val107-healthy-canalboats jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val107-healthy-canalboats-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 107 (written blind), HEALTHY: the licensing and mooring service of a canal and
 * river trust. Canal-reach reference data, the boat-licence directory, a request-coalescing loader
 * of lock statuses whose in-flight map forgets every finished call (success or failure) beside a
 * size-capped status cache at its cap, each boater's recent searches (trimmed correctly, also when
 * a search records two entries), an event bus of mooring-alert web sockets (CopyOnWriteArraySet,
 * unsubscribed when a socket closes), one tide-and-stoppage scheduler per marina (shut down when a
 * marina closes), a ring of lock passages and a pool of map-tile buffers. See VALIDATION107.md.
 */
public final class Val107HealthyCanalBoats {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, LATENCY = 2_000L;
    static final int REACHES = 1_400, LICENCES = 28_000, STATUS_CAP = 3_000, POOL = 10, RING = 16_384, BOATERS = 1_500, LIMIT = 12, MARINAS = 16, CLOSED = 3, OPS_PER_HOUR = 6_000, SOCKETS_PER_HOUR = 200;
    static final int STAGE_HOURS[] = {0, 0, 0, 10};

    record Reach(String code, String town, double[] waterLevels) {}
    record Licence(String licenceNo, String reachCode, int lengthCm, byte[] hullSurvey, long issuedAt) {}
    record LockStatus(String lockId, String summary, byte[] telemetry, long fetchedAt) {}
    record LockPassage(String reachCode, String boater, int pence, long at) {}
    record Call(String lockId, CompletableFuture<LockStatus> future, long dueAt, boolean fails, int telemetryBytes) {}
    record MooringAlert(String reachCode, int ticket, long at) {}

    interface AlertSink { void show(MooringAlert e); }

    static final class StatusCache extends LinkedHashMap<String, LockStatus> {
        long evicted;
        StatusCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LockStatus> e) { if (size() > STATUS_CAP) { evicted++; return true; } return false; }
    }

    static final class LockStatusLoader {
        final ConcurrentHashMap<String, CompletableFuture<LockStatus>> inFlight = new ConcurrentHashMap<>();
        final StatusCache cache = new StatusCache();
        final ArrayDeque<Call> onTheWire = new ArrayDeque<>();
        long calls, joined, failures, hits;
        void lookup(String lockId, long now, boolean fails, int telemetryBytes) {
            if (cache.get(lockId) != null) { hits++; return; }
            if (inFlight.get(lockId) != null) { joined++; return; }
            CompletableFuture<LockStatus> f = new CompletableFuture<>();
            inFlight.put(lockId, f);
            f.whenComplete((a, err) -> { inFlight.remove(lockId, f); if (err == null) cache.put(lockId, a); }); // both paths forget the call
            onTheWire.add(new Call(lockId, f, now + LATENCY, fails, telemetryBytes));
            calls++;
        }
        void answerDue(long now) {
            while (!onTheWire.isEmpty() && onTheWire.peek().dueAt() <= now) {
                Call c = onTheWire.poll();
                if (c.fails()) { failures++; c.future().completeExceptionally(new IllegalStateException("lock telemetry timed out for " + c.lockId())); }
                else c.future().complete(new LockStatus(c.lockId(), "lock status " + c.lockId(), new byte[c.telemetryBytes()], c.dueAt()));
            }
        }
    }

    static final class RecentSearches {
        final HashMap<Long, LinkedList<String>> byBoater = new HashMap<>();
        void record(long boater, String q, String alsoRecorded) {
            LinkedList<String> l = byBoater.computeIfAbsent(boater, k -> new LinkedList<>());
            l.addLast(q);
            if (alsoRecorded != null) l.addLast(alsoRecorded);
            while (l.size() > LIMIT) l.removeFirst();
        }
    }

    static final class AlertBus {
        final CopyOnWriteArraySet<AlertSink> sinks = new CopyOnWriteArraySet<>();
        long published;
        void publish(MooringAlert e) { published++; for (AlertSink d : sinks) d.show(e); }
    }

    static final class AlertSocket {
        final String id; final byte[] sendBuffer; final long connectedAt; AlertSink subscription; long frames;
        AlertSocket(String id, int bytes, long at) { this.id = id; this.sendBuffer = new byte[bytes]; this.connectedAt = at; }
    }

    static final Map<String, Reach> REACHES_BY_CODE = new HashMap<>();

    static final class MooringService {
        final Map<String, Licence> licences = new HashMap<>();
        final LockStatusLoader lockStatuses = new LockStatusLoader();
        final RecentSearches recent = new RecentSearches();
        final AlertBus bus = new AlertBus();
        final Map<String, AlertSocket> sockets = new HashMap<>();
        final Map<String, ScheduledExecutorService> marinaSchedulers = new HashMap<>();
        final ArrayDeque<byte[]> tileBuffers = new ArrayDeque<>();
        final LockPassage[] passages = new LockPassage[RING];
        long txCount, connects, disconnects;
    }

    static MooringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) throws InterruptedException {
        int hours = STAGE_HOURS[stage], ops = OPS_PER_HOUR * hours, socketCount = SOCKETS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(107_060_001);
        for (int b = 0; b < REACHES; b++) {
            double[] f = new double[64];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 120;
            String code = "REACH-" + (1_000 + b);
            REACHES_BY_CODE.put(code, new Reach(code, "Canal " + (b % 60), f));
        }
        MooringService svc = new MooringService();
        SERVICE = svc;
        for (int p = 0; p < LICENCES; p++) {
            String tn = "LIC" + (52_000_000 + p * 7);
            svc.licences.put(tn, new Licence(tn, "REACH-" + (1_000 + rnd.nextInt(REACHES)), 1_500 + rnd.nextInt(2_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(365)) * DAY));
        }
        for (int r = 0; r < MARINAS; r++) {
            String name = "marina-stoppages-" + r;
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(task -> { Thread t = new Thread(task, name); t.setDaemon(true); return t; });
            s.scheduleAtFixedRate(() -> { }, DAY, DAY, TimeUnit.MILLISECONDS);
            svc.marinaSchedulers.put(name, s);
        }
        for (int r = 0; r < CLOSED; r++) { // three marinas closed for the winter: their schedulers are stopped
            ScheduledExecutorService s = svc.marinaSchedulers.remove("marina-stoppages-" + (MARINAS - 1 - r));
            s.shutdownNow();
            if (!s.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("scheduler did not stop");
        }
        for (int b = 0; b < POOL; b++) svc.tileBuffers.add(new byte[32_768]);
        Random traffic = new Random(107_060_002);
        AlertSocket[] sessions = new AlertSocket[socketCount];
        long[] leaveAt = new long[socketCount];
        for (int d = 0; d < socketCount; d++) {
            long at = start + (end - MINUTE - start) * d / socketCount;
            sessions[d] = new AlertSocket("alert-ws-" + (300_000 + d), 4_096 + traffic.nextInt(4_096), at);
            leaveAt[d] = at + (5 + traffic.nextInt(25)) * MINUTE;
        }
        int nextConnect = 0, oldest = 0;
        for (int i = 0; i < ops; i++) {
            long t = start + (end - MINUTE - start) * i / ops;
            svc.lockStatuses.answerDue(t);
            while (nextConnect < socketCount && sessions[nextConnect].connectedAt <= t) {
                AlertSocket s = sessions[nextConnect++];
                s.subscription = e -> s.sendBuffer[(int) (s.frames++ % s.sendBuffer.length)] = (byte) e.ticket();
                svc.bus.sinks.add(s.subscription);
                svc.sockets.put(s.id, s);
                svc.connects++;
            }
            for (int d = oldest; d < nextConnect; d++) {
                if (leaveAt[d] <= t && svc.sockets.remove(sessions[d].id) != null) { svc.bus.sinks.remove(sessions[d].subscription); svc.disconnects++; }
            }
            while (oldest < nextConnect && !svc.sockets.containsKey(sessions[oldest].id)) oldest++;
            String lockId = "LK-" + (char) ('A' + traffic.nextInt(26)) + traffic.nextInt(400) + "/" + traffic.nextInt(12);
            boolean fails = traffic.nextInt(100) < 8;
            int telemetry = 200 + traffic.nextInt(200);
            svc.lockStatuses.lookup(lockId, t, fails, telemetry);
            long boater = 70_000 + traffic.nextInt(BOATERS);
            boolean both = traffic.nextInt(10) == 0;
            svc.recent.record(boater, "lock " + lockId, both ? "licence LIC" + (52_000_000 + traffic.nextInt(LICENCES) * 7) : null);
            String branch = "REACH-" + (1_000 + traffic.nextInt(REACHES));
            svc.passages[(int) (svc.txCount++ % RING)] = new LockPassage(branch, "boater-" + boater, 100 + traffic.nextInt(9_000), t);
            if (i % 10 == 0) svc.bus.publish(new MooringAlert(branch, i / 10, t));
            byte[] buf = svc.tileBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.tileBuffers.add(buf);
        }
    }

    static int stoppageThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("marina-stoppages-") && t.isAlive()) n++;
        return n;
    }

    static long recentEntries(RecentSearches r) { long n = 0; for (LinkedList<String> l : r.byBoater.values()) { if (l.size() > LIMIT) return -1; n += l.size(); } return n; }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        run(stage);
        MooringService svc = SERVICE;
        LockStatusLoader a = svc.lockStatuses;
        for (int k = 0; k < 100 && stoppageThreads() != MARINAS - CLOSED; k++) Thread.sleep(50);
        int threads = stoppageThreads();
        long recent = recentEntries(svc.recent);
        System.out.println("stage " + stage + " reaches " + REACHES_BY_CODE.size() + " licences " + svc.licences.size() + " calls " + a.calls + " joined " + a.joined + " hits " + a.hits + " failures " + a.failures
                + " inFlight " + a.inFlight.size() + " onTheWire " + a.onTheWire.size() + " cache " + a.cache.size() + " (evicted " + a.cache.evicted + ") boaters " + svc.recent.byBoater.size() + " recent entries " + recent
                + " sockets " + svc.sockets.size() + " subscribers " + svc.bus.sinks.size() + " (connects " + svc.connects + ", disconnects " + svc.disconnects + ", events " + svc.bus.published + ") marina schedulers " + svc.marinaSchedulers.size()
                + " threads " + threads + " passages " + svc.txCount + " pool " + svc.tileBuffers.size());
        check(REACHES_BY_CODE.size() == REACHES && svc.licences.size() == LICENCES, "reference data / directory");
        check(a.inFlight.size() == a.onTheWire.size() && a.failures > 0, "in-flight map holds only running calls");
        check(a.cache.size() == STATUS_CAP && a.cache.evicted > 0, "status cache at cap");
        check(recent >= 0 && recent <= (long) BOATERS * LIMIT, "recent searches trimmed: " + recent);
        check(svc.bus.sinks.size() == svc.sockets.size() && svc.connects - svc.disconnects == svc.sockets.size(), "alert bus: only open sockets");
        check(svc.marinaSchedulers.size() == MARINAS - CLOSED && threads == MARINAS - CLOSED, "marina schedulers: " + threads);
        check(svc.tileBuffers.size() == POOL && svc.txCount == (long) OPS_PER_HOUR * STAGE_HOURS[stage], "pool / passages");
        svc = null; a = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
