// hprofscan-dump: name=val54-leak-tidealerts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val54-leak-tidealerts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 54 (written blind), LEAK: the alert service of a harbour authority's tide-gauge
 * network. Gauge reference data, the vessel directory, a cache of rendered tide tables at its cap,
 * a pool of decode buffers, a ring of gauge readings, the directory of active alert subscriptions,
 * and one shared ScheduledThreadPoolExecutor (one daemon thread) on which every subscription
 * schedules its threshold check with scheduleAtFixedRate (every 30 minutes). The task is a lambda
 * closing over the subscription's request context (the request, its headers and rendered alert
 * template). When a subscription ends it is removed from the directory but its ScheduledFuture is
 * never cancelled: the scheduler's queue keeps one periodic task per subscription ever made.
 * See VALIDATION54.md.
 */
public final class Val54LeakTideAlerts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GAUGES = 1_100, VESSELS = 24_000, TABLE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, EVENTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Gauge(String code, String harbour, double[] harmonicConstants) {}
    record Vessel(String imo, String name, byte[] particulars, long registeredAt) {}
    record TideTable(String key, byte[] rendered, long at) {}
    record Reading(String gaugeCode, int levelMm, long at) {}
    /** What the subscribing request carried. */
    record AlertRequest(String requestId, String userId, String gaugeCode, int thresholdMm, Map<String, String> headers, byte[] template, long at) {}

    static final class Subscription {
        final String subscriptionId;
        final AlertRequest request;
        final long endsAt;
        ScheduledFuture<?> check;
        Subscription(String subscriptionId, AlertRequest request, long endsAt) { this.subscriptionId = subscriptionId; this.request = request; this.endsAt = endsAt; }
    }

    static final class TableCache extends LinkedHashMap<String, TideTable> {
        long evicted;
        TableCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TideTable> e) { if (size() > TABLE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Gauge> GAUGES_BY_CODE = new HashMap<>();

    static final class AlertService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final TableCache tables = new TableCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingCount;
        final Map<String, Subscription> subscriptions = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> { Thread th = new Thread(r, "tide-alert-checks"); th.setDaemon(true); return th; });
        long subscribed, ended, checksRun, alertsSent;
        AlertService() { scheduler.setRemoveOnCancelPolicy(true); }

        void subscribe(Subscription s) {
            AlertRequest ctx = s.request;
            s.check = scheduler.scheduleAtFixedRate(() -> evaluate(ctx), 30, 30, TimeUnit.MINUTES);
            subscriptions.put(s.subscriptionId, s);
            subscribed++;
        }
        void evaluate(AlertRequest ctx) {
            checksRun++;
            Reading last = readings[(int) ((readingCount + RING - 1) % RING)];
            if (last != null && last.gaugeCode().equals(ctx.gaugeCode()) && last.levelMm() > ctx.thresholdMm()) alertsSent++;
        }
        void end(Subscription s) {
            subscriptions.remove(s.subscriptionId);
            ended++;
            if (FIXED) s.check.cancel(false);
            // BUG: the periodic check is never cancelled; the scheduler keeps it and its request context
        }
    }

    static AlertService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val54.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(54_030_001);
        String[] gaugeCodes = new String[GAUGES];
        for (int g = 0; g < GAUGES; g++) {
            double[] constants = new double[64];
            for (int k = 0; k < constants.length; k++) constants[k] = rnd.nextDouble() * 4;
            String code = "TG" + (2_000 + g);
            gaugeCodes[g] = code;
            GAUGES_BY_CODE.put(code, new Gauge(code, "Harbour " + (g % 220), constants));
        }
        AlertService svc = new AlertService();
        SERVICE = svc;
        String[] imos = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            String imo = "IMO" + (9_100_000 + v);
            imos[v] = imo;
            svc.vessels.put(imo, new Vessel(imo, "Vessel " + v, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_030_002);
        String[] agents = {"HarbourApp/4.2", "PilotConsole/2.9", "Mozilla/5.0", "MarinaBot/1.1"};
        PriorityQueue<Subscription> active = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        int events = HOURS * EVENTS_PER_HOUR;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (!active.isEmpty() && active.peek().endsAt <= t) svc.end(active.poll());
            String gauge = gaugeCodes[traffic.nextInt(GAUGES)];
            svc.readings[(int) (svc.readingCount++ % RING)] = new Reading(gauge, 1_000 + traffic.nextInt(6_000), t);
            String key = "table-" + gaugeCodes[traffic.nextInt(GAUGES)] + "-" + traffic.nextInt(6);
            if (svc.tables.get(key) == null) svc.tables.put(key, new TideTable(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
            if (i % 5 == 0) {
                String rid = "req-" + Long.toString(3_000_000_000L + i, 36);
                Map<String, String> headers = new HashMap<>();
                headers.put("User-Agent", agents[traffic.nextInt(agents.length)]);
                headers.put("X-Request-Id", rid);
                headers.put("X-Vessel", imos[traffic.nextInt(VESSELS)]);
                AlertRequest req = new AlertRequest(rid, "user" + traffic.nextInt(9_000), gaugeCodes[traffic.nextInt(GAUGES)], 3_000 + traffic.nextInt(3_000), headers, new byte[200 + traffic.nextInt(200)], t);
                Subscription s = new Subscription("sub-" + (400_000 + i / 5), req, t + (20 + traffic.nextInt(100)) * MINUTE);
                svc.subscribe(s);
                active.add(s);
            }
        }
        while (!active.isEmpty() && active.peek().endsAt <= end) svc.end(active.poll());
        int subs = (events + 4) / 5;
        int queued = svc.scheduler.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "gauges " + GAUGES_BY_CODE.size() + " vessels " + svc.vessels.size() + " subscribed " + svc.subscribed + " ended " + svc.ended + " active " + svc.subscriptions.size()
                + " scheduled tasks " + queued + " checks run " + svc.checksRun + " tables " + svc.tables.size() + " (evicted " + svc.tables.evicted + ") pool " + svc.decodeBuffers.size() + " readings " + svc.readingCount);
        check(GAUGES_BY_CODE.size() == GAUGES && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.subscribed == subs && svc.ended + svc.subscriptions.size() == subs && svc.subscriptions.size() == active.size(), "subscriptions");
        check(svc.subscriptions.size() > 500 && svc.subscriptions.size() < 2_000, "active subscriptions: " + svc.subscriptions.size());
        if (FIXED) check(queued == svc.subscriptions.size(), "scheduled checks of active subscriptions: " + queued);
        else check(queued == subs, "a scheduled check for every subscription ever made: " + queued);
        check(svc.tables.size() == TABLE_CAP && svc.tables.evicted > 0, "table cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.readingCount == events && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
