// hprofscan-dump: name=val5-healthy-geo jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val5-healthy-geo-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), HEALTHY: a routing (directions) service. Its road graph is
 * loaded at startup into primitive arrays (compressed sparse rows: 250,000 junctions, 750,000
 * road segments) and is most of the heap (~70%). Beside it: a place-name index (reference data),
 * a route cache keyed by (origin, destination) at its capacity, a map-tile cache at its capacity,
 * an HTTP connection manager with per-route pools for the 6 fixed upstreams (traffic, tiles,
 * geocoder...; the counterpart of per-route pools for ephemeral routes), a logger registry of the
 * 120 class-named loggers (the counterpart of request-named loggers), a pool of search frontier
 * buffers (all returned). 40,000 route requests over 6 simulated hours ending now. Nothing here
 * is a leak. See testdata/VALIDATION5.md.
 */
public final class Val5HealthyGeo {
    static final int NODES = 250_000;
    static final int EDGES = 750_000;
    static final int PLACES = 20_000;
    static final int ROUTE_CACHE = 2_000;
    static final int TILE_CACHE = 250;
    static final int UPSTREAMS = 6;
    static final int CONNS = 4;
    static final int LOGGERS = 120;
    static final int FRONTIERS = 6;
    static final int REQUESTS = 40_000;
    static final long SIM_MILLIS = 6L * 3600_000L;

    static RoutingService RUNNING;

    /** Compressed-sparse-row road graph, loaded once at startup. */
    static final class RoadGraph {
        static RoadGraph INSTANCE;
        final int[] firstEdge = new int[NODES + 1]; final int[] edgeTarget = new int[EDGES]; final int[] edgeMeters = new int[EDGES];
        final float[] lat = new float[NODES]; final float[] lon = new float[NODES]; final short[] speedKmh = new short[EDGES];
        final long loadedAt;
        RoadGraph(Random rnd, long loadedAt) {
            this.loadedAt = loadedAt;
            int e = 0;
            for (int n = 0; n < NODES; n++) {
                firstEdge[n] = e;
                lat[n] = 47f + rnd.nextFloat() * 8f; lon[n] = 5f + rnd.nextFloat() * 10f;
                for (int k = 0; k < 3; k++) { edgeTarget[e] = (n + 1 + rnd.nextInt(50)) % NODES; edgeMeters[e] = 20 + rnd.nextInt(2_000); speedKmh[e] = (short) (30 + 10 * rnd.nextInt(10)); e++; }
            }
            firstEdge[NODES] = e;
        }
    }

    static final class Place {
        final String name; final int node; final String country; final int population;
        Place(String name, int node, String country, int population) { this.name = name; this.node = node; this.country = country; this.population = population; }
    }

    static final class PlaceIndex {
        static final Map<String, Place> PLACES_BY_NAME = new HashMap<>();
    }

    static final class RouteKey {
        final int from; final int to;
        RouteKey(int from, int to) { this.from = from; this.to = to; }
        @Override public boolean equals(Object o) { return o instanceof RouteKey && ((RouteKey) o).from == from && ((RouteKey) o).to == to; }
        @Override public int hashCode() { return from * 31 + to; }
    }

    static final class Route {
        final int[] nodes; final int meters; final int seconds; final long computedAt;
        Route(int[] nodes, int meters, int seconds, long computedAt) { this.nodes = nodes; this.meters = meters; this.seconds = seconds; this.computedAt = computedAt; }
    }

    static final class RouteCache extends LinkedHashMap<RouteKey, Route> {
        final int capacity;
        RouteCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<RouteKey, Route> e) { return size() > capacity; }
    }

    static final class TileCache extends LinkedHashMap<Long, byte[]> {
        final int capacity;
        TileCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return size() > capacity; }
    }

    static final class HttpRoute {
        final String host; final int port;
        HttpRoute(String host, int port) { this.host = host; this.port = port; }
        @Override public boolean equals(Object o) { return o instanceof HttpRoute && ((HttpRoute) o).host.equals(host) && ((HttpRoute) o).port == port; }
        @Override public int hashCode() { return Objects.hash(host, port); }
    }

    static final class PooledConnection {
        final HttpRoute route; final byte[] receiveBuffer = new byte[2_048]; final long createdAt; long lastUsedAt;
        PooledConnection(HttpRoute route, long createdAt) { this.route = route; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
    }

    static final class RoutePool {
        final HttpRoute route; final ArrayDeque<PooledConnection> available = new ArrayDeque<>(); final Set<PooledConnection> leased = new HashSet<>();
        RoutePool(HttpRoute route) { this.route = route; }
    }

    static final class HttpConnectionManager {
        final Map<HttpRoute, RoutePool> poolsByRoute = new ConcurrentHashMap<>();
    }

    static final class AppLogger {
        final String name; int level = 2; long events; long lastLogAt;
        AppLogger(String name) { this.name = name; }
    }

    static final class LoggerRegistry {
        static final Map<String, AppLogger> LOGGERS = new ConcurrentHashMap<>();
        static AppLogger get(String name) { return LOGGERS.computeIfAbsent(name, AppLogger::new); }
    }

    static final class FrontierPool {
        final ArrayDeque<int[]> free = new ArrayDeque<>();
        int outstanding;
        FrontierPool(int n) { for (int i = 0; i < n; i++) free.add(new int[16_384]); }
        int[] take() { outstanding++; return free.poll(); }
        void give(int[] b) { outstanding--; free.push(b); }
    }

    static final class RoutingService {
        final RoadGraph graph;
        final RouteCache routes = new RouteCache(ROUTE_CACHE);
        final TileCache tiles = new TileCache(TILE_CACHE);
        final HttpConnectionManager http = new HttpConnectionManager();
        final FrontierPool frontiers = new FrontierPool(FRONTIERS);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        RoutingService(RoadGraph graph) { this.graph = graph; }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        Route route(int from, int to, Random rnd, long now) {
            RouteKey k = new RouteKey(from, to);
            Route r = routes.get(k);
            if (r != null) { count("route.hit"); return r; }
            int[] frontier = frontiers.take();
            int len = 10 + rnd.nextInt(30);
            int[] path = new int[len];
            int n = from, meters = 0;
            for (int i = 0; i < len; i++) { path[i] = n; int e = graph.firstEdge[n] + rnd.nextInt(3); meters += graph.edgeMeters[e]; frontier[i] = e; n = graph.edgeTarget[e]; }
            frontiers.give(frontier);
            r = new Route(path, meters, meters / 12, now);
            routes.put(k, r);
            count("route.miss");
            return r;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(5_060_006);
        RoadGraph.INSTANCE = new RoadGraph(rnd, start);
        RoutingService svc = new RoutingService(RoadGraph.INSTANCE);
        RUNNING = svc;
        String[] names = new String[PLACES];
        for (int i = 0; i < PLACES; i++) {
            names[i] = "Place" + i + (i % 3 == 0 ? "-sur-Mer" : "");
            PlaceIndex.PLACES_BY_NAME.put(names[i], new Place(names[i], rnd.nextInt(NODES), i % 2 == 0 ? "FR" : "DE", 100 + rnd.nextInt(500_000)));
        }
        String[] pkgs = {"geo.routing", "geo.tiles", "geo.http", "geo.places"};
        for (int i = 0; i < LOGGERS; i++) LoggerRegistry.get(pkgs[i % 4] + ".Component" + i);
        String[] upstreams = {"traffic.internal", "tiles.internal", "geocoder.internal", "elevation.internal", "tolls.internal", "weather.internal"};
        for (String u : upstreams) {
            HttpRoute hr = new HttpRoute(u, 443);
            RoutePool p = new RoutePool(hr);
            for (int j = 0; j < CONNS; j++) p.available.add(new PooledConnection(hr, start));
            svc.http.poolsByRoute.put(hr, p);
        }
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        AppLogger log = LoggerRegistry.get("geo.routing.Component0");
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + SIM_MILLIS * i / REQUESTS;
            // popular origin/destination pairs repeat: 60% from 1,000 hot pairs
            int from, to;
            if (rnd.nextInt(10) < 6) { int h = rnd.nextInt(1_000); from = PlaceIndex.PLACES_BY_NAME.get(names[h]).node; to = PlaceIndex.PLACES_BY_NAME.get(names[h + 1_000]).node; }
            else { from = PlaceIndex.PLACES_BY_NAME.get(names[rnd.nextInt(PLACES)]).node; to = PlaceIndex.PLACES_BY_NAME.get(names[rnd.nextInt(PLACES)]).node; }
            svc.route(from, to, rnd, t);
            long tileId = rnd.nextInt(600);
            if (svc.tiles.get(tileId) == null) { byte[] tile = new byte[4_096]; rnd.nextBytes(tile); svc.tiles.put(tileId, tile); }
            RoutePool p = svc.http.poolsByRoute.get(new HttpRoute(upstreams[i % UPSTREAMS], 443));
            PooledConnection c = p.available.poll(); p.leased.add(c); c.lastUsedAt = t; p.leased.remove(c); p.available.push(c);
            log.events++; log.lastLogAt = t;
        }
        System.out.println("routes " + svc.routes.size() + " tiles " + svc.tiles.size() + " pools " + svc.http.poolsByRoute.size() + " loggers " + LoggerRegistry.LOGGERS.size());
        check(svc.routes.size() == ROUTE_CACHE, "routes " + svc.routes.size());
        check(svc.tiles.size() == TILE_CACHE, "tiles " + svc.tiles.size());
        check(svc.http.poolsByRoute.size() == UPSTREAMS, "pools");
        for (RoutePool p : svc.http.poolsByRoute.values()) check(p.available.size() == CONNS && p.leased.isEmpty(), "pool " + p.route.host);
        check(LoggerRegistry.LOGGERS.size() == LOGGERS, "loggers");
        check(svc.frontiers.free.size() == FRONTIERS && svc.frontiers.outstanding == 0, "frontiers");
        check(PlaceIndex.PLACES_BY_NAME.size() == PLACES, "places");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
