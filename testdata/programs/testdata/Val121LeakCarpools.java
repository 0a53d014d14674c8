// hprofscan-dump: name=val121-leak-carpools-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val121-leak-carpools-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val121-leak-carpools jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val121-leak-carpools-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 121 (written blind), LEAK (growth series): the matching service of a commuter
 * carpooling scheme. Each ride request is matched to a driver; the response is sent at once and
 * a toll estimate is added "when the toll tariffs are available": every request attaches
 * {@code tariffs.thenAccept(t -> request.applyTolls(t))} to the {@link TollEstimator}'s
 * {@code CompletableFuture<TollTariffs>}. The tariff feed answered 403 at startup and the error
 * handler only logs it: the future is never completed (normally or exceptionally), so every
 * request's callback, capturing the request with its route sketch, stays on the future's
 * dependents stack. Stage 1/2/3 simulate 2/4/8 hours of traffic.
 * Ordinary components beside it: zone reference data, the member directory, a route cache at its
 * cap, a pool of polyline buffers, a ring of recent matches, the queue of confirmed pickups, and
 * geocoding futures that complete. See VALIDATION121.md.
 */
public final class Val121LeakCarpools {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ZONES = 1_000, MEMBERS = 20_000, ROUTE_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_MINUTE = 50;
    static final String[] EMPLOYERS = {"Northgate Logistics", "St Aidan's Hospital", "Riverside Council", "Kestrel Semiconductors", "Harbour University",
            "Millbrook Retail Park", "Ashdown Water", "Canal Street Bank"};
    static boolean FIXED;

    record Zone(String code, String name, double lat, double lon, double[] demandByHalfHour) {}
    record Member(String memberId, String name, String employer, String homeZone, String workZone, boolean driver, byte[] preferences, long joinedAt) {}
    record Route(String key, byte[] polyline, int seconds, int metres, long computedAt) {}
    record Match(String requestId, String riderId, String driverId, String pickupZone, long departAt, int detourMetres, long matchedAt) {}
    record Pickup(String requestId, String driverId, String riderId, String zone, long departAt) {}
    record LatLon(double lat, double lon) {}

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    /** What a rider's app sends; answered at once, the toll estimate follows by push. */
    static final class MatchRequest {
        final String requestId, riderId, originZone, destZone;
        final long requestedAt, departAt;
        final byte[] routeSketch;
        int routeMetres;
        Integer tollEstimatePence;

        MatchRequest(String requestId, String riderId, String originZone, String destZone, long requestedAt, long departAt, byte[] routeSketch) {
            this.requestId = requestId; this.riderId = riderId; this.originZone = originZone; this.destZone = destZone;
            this.requestedAt = requestedAt; this.departAt = departAt; this.routeSketch = routeSketch;
        }

        void applyTolls(TollTariffs t) { tollEstimatePence = t.estimate(routeMetres); }
    }

    record TollTariffs(long version, int penceFlat, int pencePerKm) {
        int estimate(int metres) { return penceFlat + pencePerKm * metres / 1_000; }
    }

    /** Toll estimates from the regional tariff feed, loaded asynchronously at startup. */
    static final class TollEstimator {
        final CompletableFuture<TollTariffs> tariffs = new CompletableFuture<>();
        String lastError;
        int feedFailures;

        void onFeed(TollTariffs t) { tariffs.complete(t); }

        void onFeedError(int status, String body) {
            feedFailures++;
            lastError = "tariff feed HTTP " + status + ": " + body; // BUG: the future is left pending for good
        }
    }

    static final class RouteCache extends LinkedHashMap<String, Route> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Route> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final class Geocoder {
        long lookups;
        CompletableFuture<LatLon> lookup(Zone z) { lookups++; return CompletableFuture.completedFuture(new LatLon(z.lat(), z.lon())); }
    }

    static final class MatchService {
        final Map<String, Member> members = new HashMap<>();
        final String[] riderIds, driverIds;
        final RouteCache routes = new RouteCache();
        final ArrayDeque<byte[]> polylineBuffers = new ArrayDeque<>();
        final Match[] recentMatches = new Match[RING];
        final PriorityQueue<Pickup> pickups = new PriorityQueue<>((a, b) -> a.departAt() != b.departAt() ? Long.compare(a.departAt(), b.departAt()) : a.requestId().compareTo(b.requestId()));
        final TollEstimator toll = new TollEstimator();
        final Geocoder geocoder = new Geocoder();
        long requests, matched, unmatched, departed, tollsDeferred, tollsUnavailable, routeHits;

        MatchService(int riders, int drivers) { riderIds = new String[riders]; driverIds = new String[drivers]; }

        Route route(String from, String to, long t, Random r) {
            String key = from + ">" + to;
            Route route = routes.get(key);
            if (route != null) { routeHits++; return route; }
            byte[] buf = polylineBuffers.poll();
            int len = 400 + r.nextInt(400);
            for (int i = 0; i < len; i++) buf[i] = (byte) ('?' + r.nextInt(64));
            route = new Route(key, java.util.Arrays.copyOf(buf, len), 600 + r.nextInt(3_000), 3_000 + r.nextInt(40_000), t);
            polylineBuffers.add(buf);
            routes.put(key, route);
            return route;
        }

        void handle(MatchRequest req, long t, Random r) {
            requests++;
            Zone origin = ZONES_BY_CODE.get(req.originZone);
            geocoder.lookup(origin).thenAccept(p -> { if (p.lat() == 0) throw new IllegalStateException("no fix"); });
            Route route = route(req.originZone, req.destZone, t, r);
            req.routeMetres = route.metres();
            if (FIXED) {
                if (toll.tariffs.isDone()) req.applyTolls(toll.tariffs.join()); else tollsUnavailable++;
            } else {
                toll.tariffs.thenAccept(req::applyTolls); // pushed to the app once the tariffs arrive
                tollsDeferred++;
            }
            if (r.nextInt(100) < 82) {
                String driver = driverIds[r.nextInt(driverIds.length)];
                Match m = new Match(req.requestId, req.riderId, driver, req.originZone, req.departAt, r.nextInt(4_000), t);
                recentMatches[(int) (matched++ % RING)] = m;
                pickups.add(new Pickup(req.requestId, driver, req.riderId, req.originZone, req.departAt));
            } else {
                unmatched++;
            }
        }

        void depart(long t) {
            while (!pickups.isEmpty() && pickups.peek().departAt() <= t) { pickups.poll(); departed++; }
        }
    }

    static MatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(121_020_001);
        String[] zones = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 60;
            zones[z] = "Z" + (4_000 + z * 3);
            ZONES_BY_CODE.put(zones[z], new Zone(zones[z], "Zone " + (z + 1), 53.3 + rnd.nextDouble() * 0.5, -2.5 + rnd.nextDouble() * 0.6, demand));
        }
        int drivers = MEMBERS / 4;
        MatchService svc = new MatchService(MEMBERS - drivers, drivers);
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            boolean driver = m % 4 == 0;
            String id = "CM" + (500_000 + m * 11);
            if (driver) svc.driverIds[m / 4] = id; else svc.riderIds[m - m / 4 - 1] = id;
            svc.members.put(id, new Member(id, "Member " + rnd.nextInt(1_000_000), EMPLOYERS[rnd.nextInt(EMPLOYERS.length)], zones[rnd.nextInt(ZONES)], zones[rnd.nextInt(ZONES)],
                    driver, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.polylineBuffers.add(new byte[32_768]);
        svc.toll.onFeedError(403, "{\"error\":\"client certificate expired\"}");

        Random traffic = new Random(121_020_002);
        long seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                String rider = svc.riderIds[traffic.nextInt(svc.riderIds.length)];
                Member m = svc.members.get(rider);
                boolean toWork = traffic.nextBoolean();
                byte[] sketch = new byte[96 + traffic.nextInt(128)];
                for (int i = 0; i < sketch.length; i += 8) sketch[i] = (byte) traffic.nextInt(128);
                MatchRequest req = new MatchRequest("mr-" + Long.toHexString(0x5a00_0000_0000L + seq++), rider, toWork ? m.homeZone() : m.workZone(),
                        toWork ? m.workZone() : m.homeZone(), t + k * SECOND, t + (5 + traffic.nextInt(40)) * MINUTE, sketch);
                svc.handle(req, t, traffic);
            }
            svc.depart(t);
        }
    }

    static void report(int stage, int hours) {
        MatchService svc = SERVICE;
        int minutes = hours * 60;
        int dependents = svc.toll.tariffs.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " zones " + ZONES_BY_CODE.size() + " members " + svc.members.size() + " requests " + svc.requests
                + " matched " + svc.matched + " unmatched " + svc.unmatched + " pickups waiting " + svc.pickups.size() + " (departed " + svc.departed + ") routes " + svc.routes.size()
                + " (hits " + svc.routeHits + ", evicted " + svc.routes.evicted + ") pool " + svc.polylineBuffers.size() + " tariffs done " + svc.toll.tariffs.isDone()
                + " dependents " + dependents + " deferred " + svc.tollsDeferred + " unavailable " + svc.tollsUnavailable + " geocodes " + svc.geocoder.lookups
                + " (" + svc.toll.lastError + ")");
        check(ZONES_BY_CODE.size() == ZONES && svc.members.size() == MEMBERS, "reference data / members");
        check(svc.requests == (long) REQUESTS_PER_MINUTE * minutes && svc.geocoder.lookups == svc.requests && svc.requests == svc.matched + svc.unmatched, "requests");
        check(!svc.toll.tariffs.isDone() && dependents == (FIXED ? 0 : svc.requests) && svc.tollsDeferred + svc.tollsUnavailable == svc.requests, "toll tariff dependents");
        check(svc.recentMatches[RING - 1] != null, "match ring full");
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.polylineBuffers.size() == POOL, "polyline buffer pool");
        check(svc.matched == svc.departed + svc.pickups.size() && svc.pickups.size() == (stage == 1 ? 1_033 : stage == 2 ? 1_031 : 983)
                && svc.matched == (stage == 1 ? 4_955 : stage == 2 ? 9_841 : 19_623), "pickup queue");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val121.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
