// hprofscan-dump: name=val107-healthy-postoffices-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val107-healthy-postoffices-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val107-healthy-postoffices jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val107-healthy-postoffices-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
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
 * Validation set 107 (written blind), HEALTHY: the counter service of a post-office network.
 * Branch reference data, the parcel-tracking directory, a request-coalescing address loader whose
 * in-flight map forgets every finished call (success or failure) beside a size-capped address
 * cache at its cap, each clerk's recent look-ups (trimmed correctly, also when a look-up records two
 * entries), an event bus of counter displays (CopyOnWriteArraySet, unsubscribed when a display
 * disconnects), one sweep scheduler per region (shut down when a region is merged away), a ring of
 * counter transactions and a pool of label buffers. Warms up, then plateaus. See VALIDATION107.md.
 */
public final class Val107HealthyPostOffices {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, LATENCY = 2_000L;
    static final int BRANCHES = 1_200, PARCELS = 24_000, ADDRESS_CAP = 2_000, POOL = 8, RING = 16_384, CLERKS = 800, LIMIT = 10, REGIONS = 12, MERGED = 2, OPS_PER_HOUR = 6_000, DISPLAYS_PER_HOUR = 120;
    static final int STAGE_HOURS[] = {0, 1, 4, 8};

    record Branch(String code, String town, double[] hourlyFootfall) {}
    record Parcel(String tracking, String branchCode, int grams, byte[] manifest, long postedAt) {}
    record Address(String postcode, String lines, byte[] geo, long fetchedAt) {}
    record CounterTx(String branchCode, String clerk, int pence, long at) {}
    record Call(String postcode, CompletableFuture<Address> future, long dueAt, boolean fails, int geoBytes) {}
    record CounterEvent(String branchCode, int ticket, long at) {}

    interface Display { void show(CounterEvent e); }

    static final class AddressCache extends LinkedHashMap<String, Address> {
        long evicted;
        AddressCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Address> e) { if (size() > ADDRESS_CAP) { evicted++; return true; } return false; }
    }

    static final class AddressLoader {
        final ConcurrentHashMap<String, CompletableFuture<Address>> inFlight = new ConcurrentHashMap<>();
        final AddressCache cache = new AddressCache();
        final ArrayDeque<Call> onTheWire = new ArrayDeque<>();
        long calls, joined, failures, hits;
        void lookup(String pc, long now, boolean fails, int geoBytes) {
            if (cache.get(pc) != null) { hits++; return; }
            if (inFlight.get(pc) != null) { joined++; return; }
            CompletableFuture<Address> f = new CompletableFuture<>();
            inFlight.put(pc, f);
            f.whenComplete((a, err) -> { inFlight.remove(pc, f); if (err == null) cache.put(pc, a); }); // both paths forget the call
            onTheWire.add(new Call(pc, f, now + LATENCY, fails, geoBytes));
            calls++;
        }
        void answerDue(long now) {
            while (!onTheWire.isEmpty() && onTheWire.peek().dueAt() <= now) {
                Call c = onTheWire.poll();
                if (c.fails()) { failures++; c.future().completeExceptionally(new IllegalStateException("address service timed out for " + c.postcode())); }
                else c.future().complete(new Address(c.postcode(), "1 High Street, " + c.postcode(), new byte[c.geoBytes()], c.dueAt()));
            }
        }
    }

    static final class RecentLookups {
        final HashMap<Long, LinkedList<String>> byClerk = new HashMap<>();
        void record(long clerk, String q, String alsoRecorded) {
            LinkedList<String> l = byClerk.computeIfAbsent(clerk, k -> new LinkedList<>());
            l.addLast(q);
            if (alsoRecorded != null) l.addLast(alsoRecorded);
            while (l.size() > LIMIT) l.removeFirst();
        }
    }

    static final class DisplayBus {
        final CopyOnWriteArraySet<Display> displays = new CopyOnWriteArraySet<>();
        long published;
        void publish(CounterEvent e) { published++; for (Display d : displays) d.show(e); }
    }

    static final class DisplaySession {
        final String id; final byte[] frameBuffer; final long connectedAt; Display subscription; long frames;
        DisplaySession(String id, int bytes, long at) { this.id = id; this.frameBuffer = new byte[bytes]; this.connectedAt = at; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class CounterService {
        final Map<String, Parcel> parcels = new HashMap<>();
        final AddressLoader addresses = new AddressLoader();
        final RecentLookups recent = new RecentLookups();
        final DisplayBus bus = new DisplayBus();
        final Map<String, DisplaySession> displays = new HashMap<>();
        final Map<String, ScheduledExecutorService> regionSweeps = new HashMap<>();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final CounterTx[] transactions = new CounterTx[RING];
        long txCount, connects, disconnects;
    }

    static CounterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) throws InterruptedException {
        int hours = STAGE_HOURS[stage], ops = OPS_PER_HOUR * hours, displayCount = DISPLAYS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(107_050_001);
        for (int b = 0; b < BRANCHES; b++) {
            double[] f = new double[64];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 120;
            String code = "PO" + (6_000 + b);
            BRANCHES_BY_CODE.put(code, new Branch(code, "Town " + (b % 350), f));
        }
        CounterService svc = new CounterService();
        SERVICE = svc;
        for (int p = 0; p < PARCELS; p++) {
            String tn = "JD" + (41_000_000 + p * 7) + "GB";
            svc.parcels.put(tn, new Parcel(tn, "PO" + (6_000 + rnd.nextInt(BRANCHES)), 50 + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(30)) * DAY));
        }
        for (int r = 0; r < REGIONS; r++) {
            String name = "region-sweep-" + r;
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(task -> { Thread t = new Thread(task, name); t.setDaemon(true); return t; });
            s.scheduleAtFixedRate(() -> { }, DAY, DAY, TimeUnit.MILLISECONDS);
            svc.regionSweeps.put(name, s);
        }
        for (int r = 0; r < MERGED; r++) { // two regions merged into neighbours: their sweeps are stopped
            ScheduledExecutorService s = svc.regionSweeps.remove("region-sweep-" + (REGIONS - 1 - r));
            s.shutdownNow();
            if (!s.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("sweep did not stop");
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(107_050_002);
        DisplaySession[] sessions = new DisplaySession[displayCount];
        long[] leaveAt = new long[displayCount];
        for (int d = 0; d < displayCount; d++) {
            long at = start + (end - MINUTE - start) * d / displayCount;
            sessions[d] = new DisplaySession("disp-" + (300_000 + d), 4_096 + traffic.nextInt(4_096), at);
            leaveAt[d] = at + (5 + traffic.nextInt(25)) * MINUTE;
        }
        int nextConnect = 0, oldest = 0;
        for (int i = 0; i < ops; i++) {
            long t = start + (end - MINUTE - start) * i / ops;
            svc.addresses.answerDue(t);
            while (nextConnect < displayCount && sessions[nextConnect].connectedAt <= t) {
                DisplaySession s = sessions[nextConnect++];
                s.subscription = e -> s.frameBuffer[(int) (s.frames++ % s.frameBuffer.length)] = (byte) e.ticket();
                svc.bus.displays.add(s.subscription);
                svc.displays.put(s.id, s);
                svc.connects++;
            }
            for (int d = oldest; d < nextConnect; d++) {
                if (leaveAt[d] <= t && svc.displays.remove(sessions[d].id) != null) { svc.bus.displays.remove(sessions[d].subscription); svc.disconnects++; }
            }
            while (oldest < nextConnect && !svc.displays.containsKey(sessions[oldest].id)) oldest++;
            String pc = "SW" + (1 + traffic.nextInt(20)) + " " + traffic.nextInt(10) + (char) ('A' + traffic.nextInt(26)) + (char) ('A' + traffic.nextInt(26));
            boolean fails = traffic.nextInt(100) < 8;
            int geo = 200 + traffic.nextInt(200);
            svc.addresses.lookup(pc, t, fails, geo);
            long clerk = 70_000 + traffic.nextInt(CLERKS);
            boolean both = traffic.nextInt(10) == 0;
            svc.recent.record(clerk, "postcode " + pc, both ? "parcel JD" + (41_000_000 + traffic.nextInt(PARCELS) * 7) + "GB" : null);
            String branch = "PO" + (6_000 + traffic.nextInt(BRANCHES));
            svc.transactions[(int) (svc.txCount++ % RING)] = new CounterTx(branch, "clerk-" + clerk, 100 + traffic.nextInt(9_000), t);
            if (i % 10 == 0) svc.bus.publish(new CounterEvent(branch, i / 10, t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
    }

    static int sweepThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("region-sweep-") && t.isAlive()) n++;
        return n;
    }

    static long recentEntries(RecentLookups r) { long n = 0; for (LinkedList<String> l : r.byClerk.values()) { if (l.size() > LIMIT) return -1; n += l.size(); } return n; }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        run(stage);
        CounterService svc = SERVICE;
        AddressLoader a = svc.addresses;
        for (int k = 0; k < 100 && sweepThreads() != REGIONS - MERGED; k++) Thread.sleep(50);
        int threads = sweepThreads();
        long recent = recentEntries(svc.recent);
        System.out.println("stage " + stage + " branches " + BRANCHES_BY_CODE.size() + " parcels " + svc.parcels.size() + " calls " + a.calls + " joined " + a.joined + " hits " + a.hits + " failures " + a.failures
                + " inFlight " + a.inFlight.size() + " onTheWire " + a.onTheWire.size() + " cache " + a.cache.size() + " (evicted " + a.cache.evicted + ") clerks " + svc.recent.byClerk.size() + " recent entries " + recent
                + " displays " + svc.displays.size() + " subscribers " + svc.bus.displays.size() + " (connects " + svc.connects + ", disconnects " + svc.disconnects + ", events " + svc.bus.published + ") sweeps " + svc.regionSweeps.size()
                + " threads " + threads + " transactions " + svc.txCount + " pool " + svc.labelBuffers.size());
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.parcels.size() == PARCELS, "reference data / directory");
        check(a.inFlight.size() == a.onTheWire.size() && a.failures > 0, "in-flight map holds only running calls");
        check(a.cache.size() == ADDRESS_CAP && a.cache.evicted > 0, "address cache at cap");
        check(recent >= 0 && recent <= (long) CLERKS * LIMIT, "recent look-ups trimmed: " + recent);
        check(svc.bus.displays.size() == svc.displays.size() && svc.connects - svc.disconnects == svc.displays.size(), "display bus: only connected displays");
        check(svc.regionSweeps.size() == REGIONS - MERGED && threads == REGIONS - MERGED, "region sweeps: " + threads);
        check(svc.labelBuffers.size() == POOL && svc.txCount == (long) OPS_PER_HOUR * STAGE_HOURS[stage], "pool / transactions");
        svc = null; a = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
