// hprofscan-dump: name=val25-healthy-citybuses-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val25-healthy-citybuses-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val25-healthy-citybuses jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val25-healthy-citybuses-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 25 (written blind), HEALTHY: the real-time passenger information service of a
 * city bus network. Stop reference data, the vehicle directory, a per-minute rollup of arrival
 * counters and delay histograms that drops buckets older than an hour (60 at the dump), a timeout
 * queue (PriorityQueue by due time) for pending arrival predictions whose completed entries are
 * removed, a departure-board cache at its cap, a pool of GTFS-RT encode buffers and a ring of
 * vehicle positions. Series: stage 1 simulates 1 h, stage 2 4 h, stage 3 8 h.
 * See testdata/VALIDATION25.md.
 */
public final class Val25HealthyCityBuses {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STOPS = 6_000, VEHICLES = 2_500, BOARD_CAP = 3_000, POOL = 12, RING = 16_384, CONCURRENCY = 32;

    record Stop(String code, String name, double lat, double lon, int[] servingRoutes) {}
    record Vehicle(String id, String depot, String model, byte[] config, long inServiceSince) {}
    record DepartureBoard(String stop, byte[] rendered) {}
    record Position(String vehicleId, double lat, double lon, int speedKmh, long at) {}
    static final class Bucket { final long minuteStart; long arrivals; final long[] delayHistogram = new long[1_024]; final int[] perLine = new int[256];
        Bucket(long minuteStart) { this.minuteStart = minuteStart; } }
    static final class Prediction { final String id; final String stop; final String vehicleId; final byte[] model; final long createdAt;
        Prediction(String id, String stop, String vehicleId, byte[] model, long createdAt) { this.id = id; this.stop = stop; this.vehicleId = vehicleId; this.model = model; this.createdAt = createdAt; } }
    static final class Deadline implements Comparable<Deadline> { final long dueAt; final Prediction prediction;
        Deadline(long dueAt, Prediction prediction) { this.dueAt = dueAt; this.prediction = prediction; }
        @Override public int compareTo(Deadline o) { return Long.compare(dueAt, o.dueAt); } }

    static final class Rollup {
        final TreeMap<Long, Bucket> byMinute = new TreeMap<>();
        void record(long at, int line, int delaySeconds) {
            long key = at - at % MINUTE;
            Bucket b = byMinute.computeIfAbsent(key, Bucket::new);
            b.arrivals++;
            b.delayHistogram[Math.min(Math.abs(delaySeconds), 1_023)]++;
            b.perLine[line % 256]++;
            byMinute.headMap(key - 59 * MINUTE, false).clear(); // keep the last hour (keys and cutoff in millis)
        }
    }

    static final class TimeoutQueue {
        final PriorityQueue<Deadline> queue = new PriorityQueue<>();
        final Map<String, Deadline> byId = new HashMap<>();
        long expired;
        void schedule(Prediction p, long timeout) { Deadline d = new Deadline(p.createdAt + timeout, p); queue.add(d); byId.put(p.id, d); }
        void complete(String id) { Deadline d = byId.remove(id); if (d != null) queue.remove(d); }
        void tick(long now) { while (!queue.isEmpty() && queue.peek().dueAt <= now) { byId.remove(queue.poll().prediction.id); expired++; } }
    }

    static final class BoardCache extends LinkedHashMap<String, DepartureBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DepartureBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();

    static final class PassengerInfoService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final Rollup rollup = new Rollup();
        final TimeoutQueue predictions = new TimeoutQueue();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final Position[] positions = new Position[RING];
        long positionCount;
    }

    static PassengerInfoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int arrivals = stage == 1 ? 5_000 : stage == 2 ? 20_000 : 40_000;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(25_050_001);
        for (int s = 0; s < STOPS; s++) {
            int[] routes = new int[48];
            for (int k = 0; k < routes.length; k++) routes[k] = rnd.nextInt(400);
            String code = "STP-" + (10_000 + s);
            STOPS_BY_CODE.put(code, new Stop(code, "Stop " + s, 53 + rnd.nextDouble(), -2 + rnd.nextDouble(), routes));
        }
        PassengerInfoService svc = new PassengerInfoService();
        SERVICE = svc;
        String[] models = {"Enviro400", "Citaro", "Streetdeck", "eCitaro", "Urbino 12"};
        for (int v = 0; v < VEHICLES; v++) {
            String id = "BUS-" + (20_000 + v);
            svc.vehicles.put(id, new Vehicle(id, "D" + (v % 9), models[v % models.length], new byte[4_000 + rnd.nextInt(4_000)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.encodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(25_050_002);
        ArrayDeque<Prediction> window = new ArrayDeque<>();
        for (int a = 0; a < arrivals; a++) {
            long t = start + (end - start) * a / arrivals;
            svc.predictions.tick(t);
            String vehicle = "BUS-" + (20_000 + traffic.nextInt(VEHICLES));
            String stop = "STP-" + (10_000 + traffic.nextInt(STOPS));
            svc.rollup.record(t, traffic.nextInt(400), traffic.nextInt(600) - 120);
            Prediction p = new Prediction("PRD-" + (50_000_000 + a), stop, vehicle, new byte[300 + traffic.nextInt(300)], t);
            svc.predictions.schedule(p, 30 * MINUTE);
            window.add(p);
            if (window.size() > CONCURRENCY) svc.predictions.complete(window.poll().id);
            if (svc.boards.get(stop) == null) svc.boards.put(stop, new DepartureBoard(stop, new byte[800 + traffic.nextInt(800)]));
            byte[] buf = svc.encodeBuffers.poll();
            buf[a % buf.length] = (byte) a;
            svc.encodeBuffers.add(buf);
            svc.positions[(int) (svc.positionCount++ % RING)] = new Position(vehicle, 53 + traffic.nextDouble(), -2 + traffic.nextDouble(), traffic.nextInt(60), t);
        }
        int buckets = svc.rollup.byMinute.size();
        System.out.println("stage " + stage + " stops " + STOPS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " arrivals " + arrivals + " rollup buckets " + buckets
                + " predictions pending " + svc.predictions.queue.size() + " (by id " + svc.predictions.byId.size() + ", expired " + svc.predictions.expired + ") boards " + svc.boards.size()
                + " (evicted " + svc.boards.evicted + ") pool " + svc.encodeBuffers.size() + " positions " + svc.positionCount);
        check(STOPS_BY_CODE.size() == STOPS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(buckets == 60 && svc.rollup.byMinute.lastKey() == end - MINUTE, "rollup buckets " + buckets);
        check(svc.predictions.queue.size() == CONCURRENCY && svc.predictions.byId.size() == CONCURRENCY && svc.predictions.expired == 0, "prediction timeouts");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at its cap");
        check(svc.encodeBuffers.size() == POOL, "encode pool");
        check(svc.positionCount == arrivals && (stage == 1 || svc.positions[RING - 1] != null), "position ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
