// hprofscan-dump: name=val29-leak-snowplowing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val29-leak-snowplowing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 29 (written blind), LEAK: the winter-maintenance dispatcher of a city's snow
 * plows. Street-segment reference data, the plow fleet directory, a cache of rendered route maps at
 * its cap, a pool of GPS decode buffers, a ring of recent plow positions, and a tracer. The route
 * reconciler runs every 10 s; it was instrumented by opening one root span "route-reconciler" when
 * the loop starts, and every pass records three child spans (list-plows, fetch-positions,
 * update-routes) under it with their tags and timings. The root span ends only when the loop
 * exits, which it never does, and a span keeps its children until it ends, so the root's child
 * list grows with every pass. Request spans are traced normally (finished, exported to a bounded
 * buffer of recent spans, dropped). See VALIDATION29.md.
 */
public final class Val29LeakSnowPlowing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PASS_EVERY = 10_000L;
    static final int SEGMENTS = 1_500, PLOWS = 22_000, MAP_CAP = 2_000, POOL = 8, RING = 16_384, EXPORTED_CAP = 1_024, HOURS = 10;
    static boolean FIXED;

    record Segment(String code, String street, double[] snowDepthModel) {}
    record Plow(String unitId, String depot, byte[] equipmentProfile, long inServiceSince) {}
    record RouteMap(String key, byte[] rendered, long at) {}
    record Position(String unitId, double lat, double lon, long at) {}

    static final class Span {
        final String traceId, spanId, name; final Span parent;
        final long startMs; long endMs;
        final Map<String, String> tags = new HashMap<>();
        final List<Span> children = new ArrayList<>();
        Span(String traceId, String spanId, String name, Span parent, long startMs) { this.traceId = traceId; this.spanId = spanId; this.name = name; this.parent = parent; this.startMs = startMs; }
    }

    static final class Tracer {
        final ArrayDeque<Span> recentFinished = new ArrayDeque<>(); // exported spans kept for the debug page
        long ids, exported;
        Span start(String name, Span parent, long at) {
            String spanId = Long.toHexString(0x5a00_0000_0000L + ids++);
            Span s = new Span(parent == null ? "t-" + spanId : parent.traceId, spanId, name, parent, at);
            if (parent != null) parent.children.add(s); // children are kept until the parent ends
            return s;
        }
        void finish(Span s, long at) {
            s.endMs = at;
            if (s.parent == null) export(s);
        }
        void export(Span root) {
            exported++;
            recentFinished.addLast(root);
            if (recentFinished.size() > EXPORTED_CAP) recentFinished.removeFirst();
        }
    }

    static final class MapCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Segment> SEGMENTS_BY_CODE = new HashMap<>();

    static final class Dispatcher {
        final Map<String, Plow> plows = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> gpsBuffers = new ArrayDeque<>();
        final Position[] positions = new Position[RING];
        long positionCount;
        final Tracer tracer = new Tracer();
        Span reconcilerSpan; // the loop's root span, opened when the loop starts
        long passes;

        void reconcilePass(Random r, long at) {
            passes++;
            Span root;
            if (FIXED) root = tracer.start("route-reconciler.pass", null, at); // one trace per pass
            else root = reconcilerSpan;
            String[] steps = {"list-plows", "fetch-positions", "update-routes"};
            long t = at;
            for (String step : steps) {
                Span s = tracer.start(step, root, t);
                s.tags.put("zone", "Z-" + r.nextInt(40));
                s.tags.put("plows", Integer.toString(300 + r.nextInt(400)));
                s.tags.put("pass", Long.toString(passes));
                s.tags.put("status", r.nextInt(50) == 0 ? "partial" : "ok");
                t += 5 + r.nextInt(60);
                tracer.finish(s, t);
            }
            if (FIXED) tracer.finish(root, t);
        }
    }

    static Dispatcher SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val29.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(29_020_001);
        for (int s = 0; s < SEGMENTS; s++) {
            double[] model = new double[72];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextDouble() * 30;
            String code = "SEG-" + (20_000 + s);
            SEGMENTS_BY_CODE.put(code, new Segment(code, "Street " + (s % 500), model));
        }
        Dispatcher svc = new Dispatcher();
        SERVICE = svc;
        String[] units = new String[PLOWS];
        for (int p = 0; p < PLOWS; p++) {
            String unit = "PLW-" + (60_000 + p);
            units[p] = unit;
            svc.plows.put(unit, new Plow(unit, "Depot " + (p % 24), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.gpsBuffers.add(new byte[32_768]);
        Random traffic = new Random(29_020_002);
        Random loop = new Random(29_020_003);
        if (!FIXED) svc.reconcilerSpan = svc.tracer.start("route-reconciler", null, start); // never finished
        long nextPass = start;
        int requests = 60_000;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextPass <= t) { svc.reconcilePass(loop, nextPass); nextPass += PASS_EVERY; }
            String unit = units[traffic.nextInt(PLOWS)];
            svc.positions[(int) (svc.positionCount++ % RING)] = new Position(unit, 45 + traffic.nextDouble(), -73 + traffic.nextDouble(), t);
            if (i % 3 == 0) { // an HTTP request for a route map, traced normally
                Span req = svc.tracer.start("GET /routes/{zone}", null, t);
                req.tags.put("http.status", "200");
                svc.tracer.finish(req, t + 3 + traffic.nextInt(40));
                String key = "map-" + traffic.nextInt(5_000);
                if (svc.maps.get(key) == null) svc.maps.put(key, new RouteMap(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.gpsBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.gpsBuffers.add(buf);
        }
        long passesExpected = (end - MINUTE - start - 1) / PASS_EVERY + 1;
        System.out.println((FIXED ? "FIXED " : "") + "segments " + SEGMENTS_BY_CODE.size() + " plows " + svc.plows.size() + " passes " + svc.passes + " root children " + (svc.reconcilerSpan == null ? 0 : svc.reconcilerSpan.children.size())
                + " spans " + svc.tracer.ids + " exported " + svc.tracer.exported + " recent " + svc.tracer.recentFinished.size() + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.gpsBuffers.size() + " positions " + svc.positionCount);
        check(SEGMENTS_BY_CODE.size() == SEGMENTS && svc.plows.size() == PLOWS, "reference data / directory");
        check(svc.passes == passesExpected, "passes: " + svc.passes + " vs " + passesExpected);
        if (FIXED) check(svc.reconcilerSpan == null && svc.tracer.exported == svc.passes + requests / 3, "every pass exported");
        else check(svc.reconcilerSpan.children.size() == svc.passes * 3 && svc.reconcilerSpan.endMs == 0 && svc.tracer.exported == requests / 3, "root keeps every child: " + svc.reconcilerSpan.children.size());
        check(svc.tracer.recentFinished.size() == EXPORTED_CAP, "exported buffer at cap");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.gpsBuffers.size() == POOL, "pool");
        check(svc.positionCount == requests && svc.positions[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
