// hprofscan-dump: name=val11-healthy-warehouse-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val11-healthy-warehouse-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val11-healthy-warehouse jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val11-healthy-warehouse-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 11 (written blind), HEALTHY, a series (warming, then flat): the fleet controller
 * of a robotic fulfilment warehouse. Stage 1 is the dump after 1 simulated hour of a shift (15,000
 * picks), stage 2 after 4 hours (60,000), stage 3 after 8 hours (120,000). The SKU directory is
 * loaded lazily on a SKU's first pick and reaches all 20,000 SKUs in stage 2; the hand-written
 * route-plan cache reaches its capacity of 12,000 in stage 2; the pick-event ring of 32,768
 * preallocated slots wraps in stage 2. One link thread per robot on the floor (160 robots, the
 * same in every stage), each blocked on its command queue, with a telemetry buffer. Beside them:
 * the storage-bin map (loaded at startup) and a fixed pool of 4 path planners with a grid scratch
 * each. See testdata/VALIDATION11.md.
 */
public final class Val11HealthyWarehouseRobotics {
    static final int BINS = 40_000;
    static final int SKUS = 20_000;
    static final int ROBOTS = 160;
    static final int ROUTE_CAP = 12_000;
    static final int PICK_RING = 32_768;
    static final int PLANNERS = 4;
    static final int PICKS_PER_ROUTE = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static FleetController RUNNING;

    static final class Bin {
        final String binCode; final int aisle; final int level; final int x; final int y; final int maxWeightGrams; final long commissionedAt;
        Bin(String binCode, int aisle, int level, int x, int y, int maxWeightGrams, long commissionedAt) { this.binCode = binCode; this.aisle = aisle; this.level = level; this.x = x; this.y = y; this.maxWeightGrams = maxWeightGrams; this.commissionedAt = commissionedAt; }
    }

    /** Reference data: the storage-bin map of the building, loaded at startup. */
    static final class BinMap {
        static final Map<String, Bin> BY_CODE = new HashMap<>();
    }

    static final class Sku {
        final String sku; final String description; final int weightGrams; final int[] dimsMm; final String binCode; final long listedAt; long lastPickedAt; int picks;
        Sku(String sku, String description, int weightGrams, int[] dimsMm, String binCode, long listedAt) { this.sku = sku; this.description = description; this.weightGrams = weightGrams; this.dimsMm = dimsMm; this.binCode = binCode; this.listedAt = listedAt; }
    }

    /** SKU master data, fetched from the WMS on a SKU's first pick of the shift. */
    static final class SkuDirectory {
        final Map<String, Sku> bySku = new ConcurrentHashMap<>();
        long loads;
    }

    static final class RoutePlan {
        final String key; final int[] waypoints; final int lengthMm; final long plannedAt;
        RoutePlan(String key, int[] waypoints, int lengthMm, long plannedAt) { this.key = key; this.waypoints = waypoints; this.lengthMm = lengthMm; this.plannedAt = plannedAt; }
    }

    /** Hand-written bounded cache of planned routes: map plus FIFO of keys, oldest evicted over capacity. */
    static final class RouteCache {
        final int capacity;
        final Map<String, RoutePlan> plans = new HashMap<>();
        final ArrayDeque<String> fifo = new ArrayDeque<>();
        long evictions; long misses;
        RouteCache(int capacity) { this.capacity = capacity; }
        synchronized RoutePlan get(String key, Random rnd, long t) {
            RoutePlan p = plans.get(key);
            if (p != null) return p;
            misses++;
            int[] wp = new int[64];
            for (int i = 0; i < wp.length; i++) wp[i] = rnd.nextInt(1 << 20);
            p = new RoutePlan(key, wp, 10_000 + rnd.nextInt(200_000), t);
            plans.put(key, p);
            fifo.addLast(key);
            while (plans.size() > capacity) { plans.remove(fifo.removeFirst()); evictions++; }
            return p;
        }
    }

    /** A pick event; the ring's slots are allocated once and overwritten. */
    static final class PickEvent {
        long at; int robotId; String sku; String binCode; int quantity;
    }

    static final class PickRing {
        final PickEvent[] slots = new PickEvent[PICK_RING];
        long written;
        PickRing() { for (int i = 0; i < PICK_RING; i++) slots[i] = new PickEvent(); }
        void append(long t, int robot, String sku, String bin, int q) { PickEvent e = slots[(int) (written++ % PICK_RING)]; e.at = t; e.robotId = robot; e.sku = sku; e.binCode = bin; e.quantity = q; }
    }

    static final class Command {
        final int robotId; final String verb; final long issuedAt;
        Command(int robotId, String verb, long issuedAt) { this.robotId = robotId; this.verb = verb; this.issuedAt = issuedAt; }
    }

    /** The link to one robot on the floor: its own thread sends its commands over the radio link. */
    static final class RobotLink {
        final int robotId; final String model; final long commissionedAt; final byte[] telemetry = new byte[8 * 1024];
        final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
        Thread thread; volatile long sent; long lastHeartbeatAt;
        RobotLink(int robotId, String model, long commissionedAt) { this.robotId = robotId; this.model = model; this.commissionedAt = commissionedAt; }
    }

    static final class FleetController {
        final Map<Integer, RobotLink> robots = new ConcurrentHashMap<>();
        final SkuDirectory skus = new SkuDirectory();
        final RouteCache routes = new RouteCache(ROUTE_CAP);
        final PickRing picks = new PickRing();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor planners = new ThreadPoolExecutor(PLANNERS, PLANNERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "path-planner-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread occupancy grid scratch of the path planners. */
        static final ThreadLocal<int[]> GRID = ThreadLocal.withInitial(() -> new int[16_384]);
        final Properties config = new Properties();

        void connect(RobotLink link) throws InterruptedException {
            CountDownLatch up = new CountDownLatch(1);
            Thread th = new Thread(() -> {
                up.countDown();
                try {
                    while (true) { Command c = link.commands.take(); link.sent++; link.lastHeartbeatAt = c.issuedAt; }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "robot-link-" + link.robotId);
            th.setDaemon(true);
            link.thread = th;
            robots.put(link.robotId, link);
            th.start();
            up.await();
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int picks = 15_000 * (int) hours;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(11_050_001);
        FleetController svc = new FleetController();
        RUNNING = svc;
        for (int i = 0; i < 90; i++) svc.config.setProperty("fleet.zone." + i + ".speedLimitMmS", Integer.toString(1_000 + i * 10));
        String[] binCodes = new String[BINS];
        for (int i = 0; i < BINS; i++) {
            int aisle = i / 400, level = (i / 40) % 10, pos = i % 40;
            binCodes[i] = String.format("A%03d-L%02d-P%02d", aisle, level, pos);
            BinMap.BY_CODE.put(binCodes[i], new Bin(binCodes[i], aisle, level, aisle * 1_500, pos * 600, 20_000 + (i % 5) * 5_000, now - DAY * (200 + rnd.nextInt(1500))));
        }
        String[] models = {"AMR-300", "AMR-600", "Shuttle-X2"};
        for (int r = 0; r < ROBOTS; r++) svc.connect(new RobotLink(1_000 + r, models[r % 3], now - DAY * (30 + rnd.nextInt(900))));
        CyclicBarrier warm = new CyclicBarrier(PLANNERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < PLANNERS; w++) fs.add(svc.planners.submit(() -> { FleetController.GRID.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        for (int i = 0; i < picks; i++) {
            long t = start + hours * HOUR * i / picks;
            int idx = (int) ((i * 7_919L) % SKUS); // the first 20,000 picks touch every SKU once
            String skuCode = "SKU-" + (100_000 + idx);
            Sku s = svc.skus.bySku.get(skuCode);
            if (s == null) {
                s = new Sku(skuCode, "Item " + idx + " pack of " + (1 + idx % 12), 50 + rnd.nextInt(5_000), new int[] {50 + rnd.nextInt(400), 50 + rnd.nextInt(400), 20 + rnd.nextInt(300)},
                        binCodes[(idx * 2) % BINS], now - DAY * (10 + rnd.nextInt(2000)));
                svc.skus.bySku.put(skuCode, s);
                svc.skus.loads++;
            }
            int robot = 1_000 + i % ROBOTS;
            svc.routes.get("route-" + (i / PICKS_PER_ROUTE) + "/zone-" + (i / PICKS_PER_ROUTE) % 24, rnd, t); // a tote's route serves 4 picks
            s.lastPickedAt = t; s.picks++;
            svc.picks.append(t, robot, skuCode, s.binCode, 1 + rnd.nextInt(3));
            if (i % 50 == 0) svc.robots.get(robot).commands.put(new Command(robot, "GOTO " + s.binCode, t));
        }
        // every link drains its queue and waits for the next command
        for (RobotLink l : svc.robots.values()) { while (!l.commands.isEmpty() || l.thread.getState() != Thread.State.WAITING) Thread.sleep(1); }
        int linkThreads = 0, plannerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("robot-link-")) linkThreads++;
            if (th.getName().startsWith("path-planner-")) plannerThreads++;
        }
        int routesMissed = picks / PICKS_PER_ROUTE;
        System.out.println("stage " + stage + " bins " + BinMap.BY_CODE.size() + " skus " + svc.skus.bySku.size() + " routes " + svc.routes.plans.size() + " (misses " + svc.routes.misses
                + ", evictions " + svc.routes.evictions + ") picks " + svc.picks.written + " robots " + svc.robots.size() + " link threads " + linkThreads + " planners " + plannerThreads);
        check(BinMap.BY_CODE.size() == BINS && svc.robots.size() == ROBOTS && linkThreads == ROBOTS && plannerThreads == PLANNERS, "bins/robots");
        check(svc.skus.bySku.size() == Math.min(picks, SKUS) && svc.skus.loads == Math.min(picks, SKUS), "skus");
        check(svc.routes.misses == routesMissed && svc.routes.plans.size() == Math.min(routesMissed, ROUTE_CAP) && svc.routes.fifo.size() == svc.routes.plans.size()
                && svc.routes.evictions == Math.max(0, routesMissed - ROUTE_CAP), "routes");
        check(svc.picks.written == picks, "ring");
        LeakCheck.histogram("java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
