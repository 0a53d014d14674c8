// hprofscan-dump: name=val7-healthy-logistics-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val7-healthy-logistics-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val7-healthy-logistics jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val7-healthy-logistics-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 7 (written blind), HEALTHY, a series: a freight dispatch service. Stage 1 is
 * the dump after 2 simulated hours (caches still warming), stage 2 after 8 hours, stage 3 after
 * 16 hours (the same sizes as stage 2: warm, then flat). It holds the depot directory loaded at
 * startup, a vehicle registry, a hand-written size-capped route-plan cache (ConcurrentHashMap +
 * FIFO eviction queue), a dispatch-job history capped at 5,000, a carrier-webhook retry queue
 * with a maximum of 5 attempts, a ring buffer of tracking events and the config.
 * See testdata/VALIDATION7.md.
 */
public final class Val7HealthyLogistics {
    static final int DEPOTS = 3_000;
    static final int VEHICLES = 1_200;
    static final int ROUTE_CAP = 6_000;
    static final int HISTORY_CAP = 5_000;
    static final int TRACKING_SLOTS = 16_384;
    static final int MAX_ATTEMPTS = 5;
    static final long HOUR = 3_600_000L;

    static DispatchService RUNNING;

    static final class Depot {
        final String code; final String name; final String countryCode; final double lat; final double lon; final int dockDoors; final String[] serviceAreas; final long updatedAt;
        Depot(String code, String name, String countryCode, double lat, double lon, int dockDoors, String[] serviceAreas, long updatedAt) {
            this.code = code; this.name = name; this.countryCode = countryCode; this.lat = lat; this.lon = lon; this.dockDoors = dockDoors; this.serviceAreas = serviceAreas; this.updatedAt = updatedAt;
        }
    }

    /** Reference data, loaded once at startup from the network-planning export. */
    static final class DepotDirectory {
        static final Map<String, Depot> BY_CODE = new HashMap<>(DEPOTS * 2);
    }

    static final class Vehicle {
        final String vin; final String plate; final String homeDepot; final int capacityKg; double lat; double lon; long lastPingAt;
        Vehicle(String vin, String plate, String homeDepot, int capacityKg) { this.vin = vin; this.plate = plate; this.homeDepot = homeDepot; this.capacityKg = capacityKg; }
    }

    static final class RoutePlan {
        final String origin; final String destination; final double[] waypoints; final int etaMinutes; final long computedAt;
        RoutePlan(String origin, String destination, double[] waypoints, int etaMinutes, long computedAt) {
            this.origin = origin; this.destination = destination; this.waypoints = waypoints; this.etaMinutes = etaMinutes; this.computedAt = computedAt;
        }
    }

    /** Route plans are expensive (a call to the routing engine): keep the most recent 6,000, FIFO. */
    static final class RoutePlanCache {
        final int capacity = ROUTE_CAP;
        final ConcurrentHashMap<String, RoutePlan> plans = new ConcurrentHashMap<>();
        final ArrayDeque<String> insertionOrder = new ArrayDeque<>();
        long evictions;
        RoutePlan get(String key) { return plans.get(key); }
        synchronized void put(String key, RoutePlan p) {
            if (plans.put(key, p) == null) {
                insertionOrder.addLast(key);
                while (plans.size() > capacity) { plans.remove(insertionOrder.pollFirst()); evictions++; }
            }
        }
    }

    static final class DispatchJob {
        final long jobId; final String shipmentRef; final String vehicleVin; final String origin; final String destination; final long createdAt; long completedAt; String status;
        DispatchJob(long jobId, String shipmentRef, String vehicleVin, String origin, String destination, long createdAt) {
            this.jobId = jobId; this.shipmentRef = shipmentRef; this.vehicleVin = vehicleVin; this.origin = origin; this.destination = destination; this.createdAt = createdAt; this.status = "ASSIGNED";
        }
    }

    /** The last 5,000 finished jobs, for the dispatcher's "recent jobs" screen. */
    static final class JobHistory {
        final int maxJobs = HISTORY_CAP;
        final ArrayDeque<DispatchJob> recent = new ArrayDeque<>();
        void add(DispatchJob j) { recent.addLast(j); if (recent.size() > maxJobs) recent.removeFirst(); }
    }

    static final class WebhookDelivery {
        final String carrierId; final String url; final byte[] payload; int attempts; long nextAttemptAt; final long firstAttemptAt;
        WebhookDelivery(String carrierId, String url, byte[] payload, long firstAttemptAt) { this.carrierId = carrierId; this.url = url; this.payload = payload; this.firstAttemptAt = firstAttemptAt; this.nextAttemptAt = firstAttemptAt; }
    }

    /** Failed carrier webhooks, retried with back-off, dropped after 5 attempts. */
    static final class RetryQueue {
        final int maxAttempts = MAX_ATTEMPTS;
        final ArrayDeque<WebhookDelivery> pending = new ArrayDeque<>();
        long delivered; long abandoned;
        void runDue(long now, Random rnd) {
            for (Iterator<WebhookDelivery> it = pending.iterator(); it.hasNext(); ) {
                WebhookDelivery d = it.next();
                if (d.nextAttemptAt > now) continue;
                d.attempts++;
                if (rnd.nextInt(100) < 60) { it.remove(); delivered++; }
                else if (d.attempts >= maxAttempts) { it.remove(); abandoned++; }
                else d.nextAttemptAt = now + 30_000L * (1L << d.attempts);
            }
        }
    }

    static final class TrackingEvent {
        final String vin; final double lat; final double lon; final int speedKmh; final long recordedAt;
        TrackingEvent(String vin, double lat, double lon, int speedKmh, long recordedAt) { this.vin = vin; this.lat = lat; this.lon = lon; this.speedKmh = speedKmh; this.recordedAt = recordedAt; }
    }

    /** The most recent tracking events for the live map; each slot is overwritten when the ring wraps. */
    static final class TrackingRing {
        final TrackingEvent[] events = new TrackingEvent[TRACKING_SLOTS];
        long written;
        void add(TrackingEvent e) { events[(int) (written++ % TRACKING_SLOTS)] = e; }
        int filled() { return (int) Math.min(written, TRACKING_SLOTS); }
    }

    static final class DispatchService {
        final Map<String, Vehicle> vehicles = new ConcurrentHashMap<>();
        final RoutePlanCache routes = new RoutePlanCache();
        final JobHistory history = new JobHistory();
        final RetryQueue webhooks = new RetryQueue();
        final TrackingRing tracking = new TrackingRing();
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 8 : 16;
        int jobs = stage == 1 ? 3_000 : stage == 2 ? 12_000 : 24_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(7_020_001);
        DispatchService svc = new DispatchService();
        RUNNING = svc;
        for (int i = 0; i < 120; i++) svc.config.setProperty("dispatch.region." + i + ".maxStops", Integer.toString(8 + i % 20));
        String[] countries = {"DE", "FR", "NL", "BE", "PL", "IT", "ES", "AT", "CZ", "DK"};
        String[] codes = new String[DEPOTS];
        for (int i = 0; i < DEPOTS; i++) {
            codes[i] = countries[i % countries.length] + "-" + String.format("%04d", i);
            String[] areas = new String[1 + i % 6];
            for (int a = 0; a < areas.length; a++) areas[a] = String.format("%05d", 10_000 + (i * 7 + a) % 89_999);
            DepotDirectory.BY_CODE.put(codes[i], new Depot(codes[i], "Depot " + codes[i], countries[i % countries.length], 40 + rnd.nextDouble() * 15, -5 + rnd.nextDouble() * 25, 4 + i % 40, areas, start - 86_400_000L * (i % 365)));
        }
        String[] vins = new String[VEHICLES];
        for (int i = 0; i < VEHICLES; i++) {
            vins[i] = String.format("WDB9%06dL%06d", 100_000 + i * 13, 300_000 + i);
            svc.vehicles.put(vins[i], new Vehicle(vins[i], "B-LX " + (1000 + i), codes[i % DEPOTS], 7_500 + 500 * (i % 30)));
        }
        long jobSeq = 70_000_000L;
        for (int i = 0; i < jobs; i++) {
            long t = start + hours * HOUR * i / jobs;
            String origin = codes[rnd.nextInt(DEPOTS)], dest = codes[rnd.nextInt(DEPOTS)];
            String key = origin + ">" + dest;
            RoutePlan plan = svc.routes.get(key);
            if (plan == null) {
                double[] wp = new double[40];
                for (int w = 0; w < wp.length; w++) wp[w] = rnd.nextDouble();
                plan = new RoutePlan(origin, dest, wp, 30 + rnd.nextInt(600), t);
                svc.routes.put(key, plan);
            }
            Vehicle v = svc.vehicles.get(vins[rnd.nextInt(VEHICLES)]);
            DispatchJob job = new DispatchJob(jobSeq++, "SHP-" + (40_000_000 + i * 3), v.vin, origin, dest, t);
            for (int e = 0; e < 4; e++) {
                v.lat = 40 + rnd.nextDouble() * 15; v.lon = -5 + rnd.nextDouble() * 25; v.lastPingAt = t + e * 1000;
                svc.tracking.add(new TrackingEvent(v.vin, v.lat, v.lon, rnd.nextInt(110), t + e * 1000));
            }
            job.completedAt = t + 60_000L * plan.etaMinutes / 60; job.status = "DELIVERED";
            svc.history.add(job);
            if (rnd.nextInt(100) < 3) svc.webhooks.pending.add(new WebhookDelivery("CARRIER-" + rnd.nextInt(40), "https://hooks.carrier" + rnd.nextInt(40) + ".example/track", new byte[256 + rnd.nextInt(512)], t));
            if (i % 20 == 0) svc.webhooks.runDue(t, rnd);
        }
        for (Vehicle v : svc.vehicles.values()) if (v.lastPingAt == 0) v.lastPingAt = now - rnd.nextInt(600_000);
        System.out.println("stage " + stage + " depots " + DepotDirectory.BY_CODE.size() + " vehicles " + svc.vehicles.size() + " routes " + svc.routes.plans.size()
                + " (evicted " + svc.routes.evictions + ") history " + svc.history.recent.size() + " retries " + svc.webhooks.pending.size()
                + " (delivered " + svc.webhooks.delivered + ", abandoned " + svc.webhooks.abandoned + ") tracking " + svc.tracking.filled());
        check(DepotDirectory.BY_CODE.size() == DEPOTS && svc.vehicles.size() == VEHICLES, "directories");
        check(svc.routes.plans.size() == svc.routes.insertionOrder.size(), "route cache queue");
        check(stage == 1 ? svc.routes.plans.size() < ROUTE_CAP : svc.routes.plans.size() == ROUTE_CAP, "routes");
        check(svc.history.recent.size() == Math.min(jobs, HISTORY_CAP), "history");
        check(svc.tracking.filled() == Math.min(jobs * 4, TRACKING_SLOTS), "tracking");
        check(svc.webhooks.pending.size() < 200, "retries " + svc.webhooks.pending.size());
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
