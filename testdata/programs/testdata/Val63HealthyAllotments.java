// hprofscan-dump: name=val63-healthy-allotments jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val63-healthy-allotments-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 63 (written blind), HEALTHY: the plot-holder portal of a city's allotment gardens.
 * Garden-site reference data, the plot-holder directory, a cache of rendered plot maps at its cap,
 * a ring of gate-access events, a pool of label-printer buffers, and look-alikes of the set's leaks
 * done right: soil-test requests wait on the current lab batch future, which completes every 5
 * minutes and is replaced (bounded dependents); a CompositeDisposable of weather-alert subscriptions
 * from which each request removes its handle; a webhook keep-alive pool keyed by plot-holders' own
 * hosts (unbounded keys) whose idle connections are closed after 60 s and empty pools dropped; and a
 * sampled lease tracker on the printer pool (1 acquire in 50) whose records are removed on release.
 * See VALIDATION63.md.
 */
public final class Val63HealthyAllotments {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 60_000L, BATCH_EVERY = 5 * MINUTE;
    static final int SITES = 1_200, PLOT_HOLDERS = 28_000, MAP_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, EVENTS_PER_HOUR = 6_000, IN_FLIGHT = 8;

    record GardenSite(String code, String ward, double[] soilReadings) {}
    record PlotHolder(String id, String siteCode, String plot, byte[] tenancyHistory, long joinedAt, String webhookUrl) {}
    record PlotMap(String key, byte[] rendered, long at) {}
    record GateAccess(String holderId, String gate, long at) {}
    record SoilRequest(long id, String holderId, long at, byte[] sampleForm) {}
    record LabBatch(long batchNo, long closedAt) {}
    record LeaseTrace(long leaseId, long at, Throwable acquiredAt) {}
    record Lease(long id, byte[] buffer) {}

    interface Disposable { void dispose(); }
    static final class Subscription implements Disposable {
        final String holderId; boolean disposed;
        Subscription(String holderId) { this.holderId = holderId; }
        @Override public void dispose() { disposed = true; }
    }
    static final class CompositeDisposable {
        final Set<Disposable> resources = new HashSet<>();
        void add(Disposable d) { resources.add(d); }
        void remove(Disposable d) { if (resources.remove(d)) d.dispose(); }
    }

    static final class Connection {
        final String host; long lastUsedAt; final byte[] readBuffer = new byte[1_024];
        Connection(String host, long at) { this.host = host; this.lastUsedAt = at; }
    }
    static final class WebhookClient {
        final Map<String, ArrayDeque<Connection>> idleByHost = new HashMap<>();
        long opened, closed, maxPools; long lastSweep;
        void post(String host, long at) {
            if (at - lastSweep >= 30_000L) { sweep(at); lastSweep = at; }
            ArrayDeque<Connection> q = idleByHost.get(host);
            Connection c = q == null ? null : q.pollFirst();
            if (c == null) { c = new Connection(host, at); opened++; }
            c.readBuffer[(int) (at % 1_024)] = 1;
            c.lastUsedAt = at + 50;
            idleByHost.computeIfAbsent(host, h -> new ArrayDeque<>()).addFirst(c);
            maxPools = Math.max(maxPools, idleByHost.size());
        }
        void sweep(long at) {
            for (Iterator<ArrayDeque<Connection>> it = idleByHost.values().iterator(); it.hasNext();) {
                ArrayDeque<Connection> q = it.next();
                while (!q.isEmpty() && at - q.peekLast().lastUsedAt > IDLE_TIMEOUT) { q.pollLast(); closed++; }
                if (q.isEmpty()) it.remove();
            }
        }
        int idle() { int n = 0; for (ArrayDeque<Connection> q : idleByHost.values()) n += q.size(); return n; }
    }

    static final class LabelPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final Map<Long, LeaseTrace> sampled = new HashMap<>();
        long leases;
        LabelPool() { for (int i = 0; i < POOL; i++) free.add(new byte[32_768]); }
        Lease acquire(long at) {
            long id = leases++;
            if (id % 50 == 0) sampled.put(id, new LeaseTrace(id, at, new Throwable("label buffer acquired")));
            return new Lease(id, free.poll());
        }
        void release(Lease l) { sampled.remove(l.id()); free.add(l.buffer()); }
    }

    static final class MapCache extends LinkedHashMap<String, PlotMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PlotMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, GardenSite> SITES_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, PlotHolder> holders = new HashMap<>();
        final MapCache maps = new MapCache();
        final GateAccess[] gate = new GateAccess[RING];
        long gateEvents, results, maxWaiting;
        final LabelPool labels = new LabelPool();
        final WebhookClient webhooks = new WebhookClient();
        final CompositeDisposable alertSubscriptions = new CompositeDisposable();
        final ArrayDeque<Subscription> open = new ArrayDeque<>();
        CompletableFuture<LabBatch> currentBatch = new CompletableFuture<>();
        long batchNo, nextBatchAt;

        void soilTest(SoilRequest req) {
            currentBatch.thenAccept(b -> { if (req.sampleForm().length > 0 && b.batchNo() >= 0) results++; });
            maxWaiting = Math.max(maxWaiting, currentBatch.getNumberOfDependents());
        }
        void closeBatchesUpTo(long t) {
            while (nextBatchAt <= t) {
                CompletableFuture<LabBatch> done = currentBatch;
                currentBatch = new CompletableFuture<>();
                done.complete(new LabBatch(batchNo++, nextBatchAt));
                nextBatchAt += BATCH_EVERY;
            }
        }
        void watchWeather(String holderId) {
            Subscription s = new Subscription(holderId);
            alertSubscriptions.add(s);
            open.addLast(s);
            while (open.size() > IN_FLIGHT) alertSubscriptions.remove(open.removeFirst());
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int events = EVENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(63_060_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] soil = new double[80];
            for (int k = 0; k < soil.length; k++) soil[k] = 5 + rnd.nextDouble() * 3;
            siteCodes[s] = "AL-" + (s / 100) + "-" + (s % 100);
            SITES_BY_CODE.put(siteCodes[s], new GardenSite(siteCodes[s], "Ward " + (s % 60), soil));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] ids = new String[PLOT_HOLDERS];
        for (int h = 0; h < PLOT_HOLDERS; h++) {
            ids[h] = "PH" + (600_000 + h * 3);
            String hook = h % 4 == 0 ? "https://hooks.member" + h + ".example.org/allotment" : null;
            svc.holders.put(ids[h], new PlotHolder(ids[h], siteCodes[rnd.nextInt(SITES)], "Plot " + (1 + rnd.nextInt(120)), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR, hook));
        }
        svc.nextBatchAt = start + BATCH_EVERY;
        Random traffic = new Random(63_060_002);
        ArrayDeque<Lease> printing = new ArrayDeque<>();
        long webhooksSent = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            svc.closeBatchesUpTo(t);
            String id = ids[traffic.nextInt(PLOT_HOLDERS)];
            svc.gate[(int) (svc.gateEvents++ % RING)] = new GateAccess(id, "Gate " + (char) ('A' + traffic.nextInt(3)), t);
            if (i % 3 == 0) svc.soilTest(new SoilRequest(40_000_000L + i, id, t, new byte[60 + traffic.nextInt(60)]));
            if (i % 2 == 0) svc.watchWeather(id);
            PlotHolder ph = svc.holders.get(ids[traffic.nextInt(PLOT_HOLDERS)]);
            if (ph.webhookUrl() != null) { String u = ph.webhookUrl(); svc.webhooks.post(u.substring(8, u.indexOf('/', 8)), t); webhooksSent++; }
            printing.addLast(svc.labels.acquire(t));
            while (printing.size() > (i >= events - 3 ? 3 : 0)) svc.labels.release(printing.removeFirst());
            String key = "plot-" + traffic.nextInt(4_500);
            if (svc.maps.get(key) == null) svc.maps.put(key, new PlotMap(key, new byte[500 + traffic.nextInt(500)], t));
        }
        int waiting = svc.currentBatch.getNumberOfDependents();
        int soilRequests = (events + 2) / 3;
        System.out.println("sites " + SITES_BY_CODE.size() + " holders " + svc.holders.size() + " gate ring " + Math.min(svc.gateEvents, RING) + " (written " + svc.gateEvents + ") batches " + svc.batchNo + " waiting " + waiting + " (max " + svc.maxWaiting + ") results " + svc.results
                + " composite " + svc.alertSubscriptions.resources.size() + " webhooks " + webhooksSent + " pools " + svc.webhooks.idleByHost.size() + " idle " + svc.webhooks.idle() + " (opened " + svc.webhooks.opened + ", closed " + svc.webhooks.closed + ", max pools " + svc.webhooks.maxPools
                + ") label leases " + svc.labels.leases + " sampled outstanding " + svc.labels.sampled.size() + " free " + svc.labels.free.size() + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ")");
        check(SITES_BY_CODE.size() == SITES && svc.holders.size() == PLOT_HOLDERS, "reference data / directory");
        check(svc.gateEvents == events && svc.gate[RING - 1] != null, "gate ring");
        check(svc.results + waiting == soilRequests && waiting <= svc.maxWaiting && svc.maxWaiting < 200, "lab batches bounded: " + waiting);
        check(svc.alertSubscriptions.resources.size() == IN_FLIGHT, "composite holds open requests only");
        check(svc.webhooks.maxPools < 200 && svc.webhooks.opened > 1_000, "webhook pools evicted");
        check(svc.labels.sampled.size() <= 3 && svc.labels.free.size() == POOL - 3, "sampled lease tracker");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
