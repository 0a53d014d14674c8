// hprofscan-dump: name=val130-healthy-icebreakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val130-healthy-icebreakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 130 (written blind), HEALTHY: the escort-planning service of a national icebreaker
 * fleet. Port and waypoint reference data (ice-thickness forecasts), the directory of merchant
 * vessels registered for winter navigation, a cache of rendered ice-chart tiles at its cap, a pool
 * of chart-render buffers, a ring of escort requests, the queue of ships waiting at the ice edge,
 * and look-alikes of the set's leaks done right:
 * <ul>
 *   <li>the route planner ({@code EscortService.planner}, long-lived) walks a lane graph built per
 *       request from the request's payload; it keeps its {@code visited} set and frontier as fields
 *       (to save allocations) but clears them at the start of every plan, so they hold only the
 *       last plan's nodes;</li>
 *   <li>plans run on a fixed {@code ThreadPoolExecutor} of 4 {@code escort-planner} threads whose
 *       {@code ThreadLocal<PlanScratch>} (a trace-line list and a string builder) is reset in each
 *       task's {@code finally}: bounded per thread, empty between tasks.</li>
 * </ul>
 * See VALIDATION130.md.
 */
public final class Val130HealthyIcebreakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PORTS = 1_000, SHIPS = 20_000, TILE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, PLANS_PER_HOUR = 1_200, WORKERS = 4;
    static final String[] ICE_CLASSES = {"1A Super", "1A", "1B", "1C", "II", "PC6", "PC7"};
    static final String[] SEAS = {"Bothnian Bay", "Bothnian Sea", "Gulf of Finland", "Gulf of Riga", "Northern Baltic", "Kvarken"};

    record Port(String locode, String name, String sea, double[] iceCmBy2h) {}
    record Ship(String imo, String name, String iceClass, int deadweightT, byte[] certificate, long registeredAt) {}
    record ChartTile(String key, byte[] png, long at) {}
    record EscortRequest(long requestId, String imo, String from, String to, int nodes, int routeLength, double maxIceCm, long at) {}
    record WaitingShip(String imo, String edgeWaypoint, long arrivedAt) {}
    record PlanResult(int routeLength, double costNm, double maxIceCm, int expanded) {}
    record Frontier(LaneNode node, double cost) {}

    /** A waypoint of one request's lane graph (parsed from the payload). */
    static final class LaneNode {
        final String id; final double lat, lon, iceCm; final List<LaneNode> lanes = new ArrayList<>(3);
        LaneNode(String id, double lat, double lon, double iceCm) { this.id = id; this.lat = lat; this.lon = lon; this.iceCm = iceCm; }
    }

    /** Per-thread scratch of a planner thread: reset after every task. */
    static final class PlanScratch {
        final List<String> trace = new ArrayList<>();
        final StringBuilder text = new StringBuilder(1_024);
        long tasks;
        void reset() { trace.clear(); text.setLength(0); }
    }

    static final ThreadLocal<PlanScratch> SCRATCH = ThreadLocal.withInitial(PlanScratch::new);

    static final class TileCache extends LinkedHashMap<String, ChartTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ChartTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    /** Long-lived planner: reuses its visited set and frontier, cleared at the start of each plan. */
    static final class RoutePlanner {
        final Set<LaneNode> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        final PriorityQueue<Frontier> frontier = new PriorityQueue<>(Comparator.comparingDouble(Frontier::cost));
        final Map<LaneNode, LaneNode> cameFrom = new IdentityHashMap<>();
        long plans, expandedTotal;

        synchronized PlanResult plan(List<LaneNode> graph, double maxIceForClass) {
            visited.clear();
            frontier.clear();
            cameFrom.clear();
            LaneNode from = graph.get(0), to = graph.get(graph.size() - 1);
            frontier.add(new Frontier(from, 0));
            int expanded = 0;
            Frontier reached = null;
            while (!frontier.isEmpty()) {
                Frontier f = frontier.poll();
                if (!visited.add(f.node())) continue;
                expanded++;
                if (f.node() == to) { reached = f; break; }
                for (LaneNode n : f.node().lanes) {
                    if (visited.contains(n)) continue;
                    double leg = Math.hypot(n.lat - f.node().lat, (n.lon - f.node().lon) * 0.5) * 60;
                    double penalty = n.iceCm > maxIceForClass ? 4.0 : 1.0 + n.iceCm / 100.0;
                    if (!cameFrom.containsKey(n)) cameFrom.put(n, f.node());
                    frontier.add(new Frontier(n, f.cost() + leg * penalty));
                }
            }
            plans++;
            expandedTotal += expanded;
            int length = 0;
            double maxIce = 0;
            for (LaneNode n = to; n != null && reached != null; n = n == from ? null : cameFrom.get(n)) { length++; maxIce = Math.max(maxIce, n.iceCm); }
            return new PlanResult(length, reached == null ? -1 : reached.cost(), maxIce, expanded);
        }
    }

    static final Map<String, Port> PORTS_BY_LOCODE = new HashMap<>();

    static final class EscortService {
        final Map<String, Ship> ships = new HashMap<>();
        final String[] imos = new String[SHIPS];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final EscortRequest[] requests = new EscortRequest[RING];
        final ArrayDeque<WaitingShip> iceEdgeQueue = new ArrayDeque<>();
        final RoutePlanner planner = new RoutePlanner();
        ThreadPoolExecutor workers;
        final AtomicLong traceLines = new AtomicLong(), textChars = new AtomicLong();
        long planCount, tileViews, queued, escorted, unreachable;

        /** Parses the payload ("id lat lon iceCm|...;edges a-b,...") into this request's lane graph. */
        static List<LaneNode> parse(String payload) {
            int semi = payload.indexOf(';');
            String[] points = payload.substring(0, semi).split("\\|");
            List<LaneNode> graph = new ArrayList<>(points.length);
            for (String p : points) {
                String[] f = p.split(" ");
                graph.add(new LaneNode(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])));
            }
            for (String e : payload.substring(semi + 1).split(",")) {
                int dash = e.indexOf('-');
                LaneNode a = graph.get(Integer.parseInt(e.substring(0, dash))), b = graph.get(Integer.parseInt(e.substring(dash + 1)));
                a.lanes.add(b);
                b.lanes.add(a);
            }
            return graph;
        }

        PlanResult planOnWorker(String payload, double maxIce) throws Exception {
            return workers.submit(() -> {
                PlanScratch s = SCRATCH.get();
                try {
                    List<LaneNode> graph = parse(payload);
                    s.trace.add("parsed " + graph.size() + " waypoints");
                    PlanResult r = planner.plan(graph, maxIce);
                    s.trace.add("expanded " + r.expanded() + " route " + r.routeLength());
                    for (String line : s.trace) s.text.append(line).append('\n');
                    traceLines.addAndGet(s.trace.size());
                    textChars.addAndGet(s.text.length());
                    s.tasks++;
                    return r;
                } finally {
                    s.reset();
                }
            }).get();
        }

        void request(Random r, long t) throws Exception {
            Ship ship = ships.get(imos[r.nextInt(SHIPS)]);
            int n = 20 + r.nextInt(41);
            StringBuilder p = new StringBuilder(n * 32);
            double lat = 59.5 + r.nextDouble() * 5, lon = 19 + r.nextDouble() * 8;
            for (int k = 0; k < n; k++) {
                lat += (r.nextDouble() - 0.3) * 0.1; lon += (r.nextDouble() - 0.4) * 0.2;
                if (k > 0) p.append('|');
                // pressure ridges (30-89 cm) on 1 waypoint in 8
                p.append("WP").append(planCount).append('-').append(k).append(' ').append(Math.round(lat * 10_000) / 10_000.0).append(' ').append(Math.round(lon * 10_000) / 10_000.0).append(' ').append(r.nextInt(8) == 0 ? 30 + r.nextInt(60) : r.nextInt(30));
            }
            p.append(';');
            for (int k = 0; k + 1 < n; k++) {
                if (k > 0) p.append(',');
                p.append(k).append('-').append(k + 1);
                if (k + 3 < n && r.nextInt(3) == 0) p.append(',').append(k).append('-').append(k + 2 + r.nextInt(2));
            }
            double maxIce = ship.iceClass().startsWith("1A") || ship.iceClass().startsWith("PC") ? 70 : ship.iceClass().equals("1B") ? 50 : 35;
            PlanResult res = planOnWorker(p.toString(), maxIce);
            if (res.routeLength() == 0) unreachable++;
            String from = "FI" + (100 + r.nextInt(PORTS / 2)), to = "SE" + (100 + r.nextInt(PORTS / 2));
            requests[(int) (planCount % RING)] = new EscortRequest(70_000_000L + planCount, ship.imo(), from, to, n, res.routeLength(), res.maxIceCm(), t);
            planCount++;
            byte[] buf = renderBuffers.poll();
            buf[(int) (planCount % buf.length)] = (byte) n;
            renderBuffers.add(buf);
            // a class II ship whose route crosses a ridge field waits at the ice edge for an icebreaker
            if (ship.iceClass().equals("II") && res.maxIceCm() > 60) { iceEdgeQueue.addLast(new WaitingShip(ship.imo(), "WP" + planCount, t)); queued++; }
            while (!iceEdgeQueue.isEmpty() && iceEdgeQueue.peekFirst().arrivedAt() <= t - 40 * MINUTE) { iceEdgeQueue.removeFirst(); escorted++; }
        }

        void viewTile(Random r, long t) {
            tileViews++;
            String key = "ice/" + (5 + r.nextInt(4)) + "/" + r.nextInt(40) + "/" + r.nextInt(200);
            if (tiles.get(key) == null) tiles.put(key, new ChartTile(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static EscortService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(130_060_001);
        for (int g = 0; g < PORTS; g++) {
            double[] ice = new double[72];
            for (int k = 0; k < ice.length; k++) ice[k] = rnd.nextDouble() * 90;
            String code = (g % 2 == 0 ? "FI" : "SE") + (100 + g / 2);
            PORTS_BY_LOCODE.put(code, new Port(code, "Port " + g, SEAS[g % SEAS.length], ice));
        }
        EscortService svc = new EscortService();
        SERVICE = svc;
        for (int i = 0; i < SHIPS; i++) {
            svc.imos[i] = "IMO" + (9_100_000 + i * 13);
            svc.ships.put(svc.imos[i], new Ship(svc.imos[i], "MV Vessel " + i, ICE_CLASSES[rnd.nextInt(ICE_CLASSES.length)], 2_000 + rnd.nextInt(60_000), new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), run -> {
            Thread th = new Thread(run, "escort-planner-" + threadNo.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        svc.workers.prestartAllCoreThreads();
        Random traffic = new Random(130_060_002);
        int plans = PLANS_PER_HOUR * HOURS;
        for (int i = 0; i < plans; i++) {
            long t = start + (end - MINUTE - start) * i / plans;
            svc.request(traffic, t);
            svc.viewTile(traffic, t);
            svc.viewTile(traffic, t);
        }
    }

    static final long UNREACHABLE = 0, EXPANDED = 478_359, QUEUED = 1_404, BACKLOG = 88, TILE_EVICTED = 20_559, TRACE_LINES = 24_000, LAST_VISITED = 46;

    static void report() {
        EscortService svc = SERVICE;
        System.out.println("ports " + PORTS_BY_LOCODE.size() + " ships " + svc.ships.size() + " plans " + svc.planCount + " (planner " + svc.planner.plans + ", expanded " + svc.planner.expandedTotal + ", unreachable " + svc.unreachable
                + ") visited now " + svc.planner.visited.size() + " frontier " + svc.planner.frontier.size() + " trace lines " + svc.traceLines.get() + " tiles " + svc.tiles.size() + " (views " + svc.tileViews + ", evicted " + svc.tiles.evicted
                + ") queued " + svc.queued + " escorted " + svc.escorted + " waiting " + svc.iceEdgeQueue.size() + " pool " + svc.renderBuffers.size() + " workers " + svc.workers.getPoolSize());
        check(PORTS_BY_LOCODE.size() == PORTS && svc.ships.size() == SHIPS, "reference data / directory");
        check(svc.planCount == (long) PLANS_PER_HOUR * HOURS && svc.planner.plans == svc.planCount && svc.unreachable == UNREACHABLE && svc.planner.expandedTotal == EXPANDED, "plans");
        check(svc.planner.visited.size() == LAST_VISITED && svc.traceLines.get() == TRACE_LINES, "planner state bounded to the last plan");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted == TILE_EVICTED, "tile cache at cap");
        check(svc.queued == QUEUED && svc.iceEdgeQueue.size() == BACKLOG, "ice-edge queue");
        check(svc.renderBuffers.size() == POOL && svc.workers.getPoolSize() == WORKERS, "pools");
        check(svc.requests[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
