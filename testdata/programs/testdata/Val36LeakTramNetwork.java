// hprofscan-dump: name=val36-leak-tramnetwork-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val36-leak-tramnetwork-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val36-leak-tramnetwork jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val36-leak-tramnetwork-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 36 (written blind), LEAK: the passenger-information service of a city tram
 * network. Stop reference data, the timetable-trip directory, the fleet's vehicle states, a cache of
 * rendered departure boards at its cap, a pool of display-frame buffers, a ring of recent vehicle
 * positions, and an unbounded ingest queue (LinkedBlockingQueue) between the AVL feed adapter (the
 * producer: 300 trams report once a minute, 30 events every 6 s) and the board publisher (the
 * consumer). The publisher is alive and works all the time, but since a change made it call the
 * zone service for a geofence check on every event it gets through 22 events per 6-second tick
 * where 30 arrive: the backlog grows by 80 events a minute, and the oldest queued event is older at
 * every stage. See VALIDATION36.md.
 */
public final class Val36LeakTramNetwork {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 6_000L;
    static final int STOPS = 1_400, TRIPS = 24_000, TRAMS = 300, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, PER_TICK = 30;
    /** Events the publisher gets through per 6-second tick: 60 with the in-process zone table, 22 with a zone-service call per event. */
    static final int CONSUME_PER_TICK_FIXED = 60, CONSUME_PER_TICK_SLOW = 22;
    static boolean FIXED;

    record Stop(String code, String name, double[] dwellModel) {}
    record Trip(String tripId, String line, String firstStopCode, byte[] stopPattern, long publishedAt) {}
    record VehicleEvent(long seq, String vehicleId, String tripId, String stopCode, int delaySeconds, long at, byte[] avlFrame) {}
    record Board(String key, byte[] rendered, long at) {}
    record Position(String vehicleId, String stopCode, int delaySeconds, long at) {}

    static final class VehicleState {
        final String vehicleId;
        String tripId, stopCode;
        int delaySeconds;
        long lastSeen, events;
        VehicleState(String vehicleId) { this.vehicleId = vehicleId; }
    }

    static final class BoardCache extends LinkedHashMap<String, Board> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Board> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();

    static final class PassengerInfoService {
        final Map<String, Trip> trips = new HashMap<>();
        final Map<String, VehicleState> vehicles = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Position[] recent = new Position[RING];
        /** Between the AVL feed adapter and the board publisher; unbounded. */
        final LinkedBlockingQueue<VehicleEvent> ingest = new LinkedBlockingQueue<>();
        long produced, published, zoneCalls;

        /** The board publisher: takes events in arrival order and publishes them, as many as its tick allows. */
        int publish(int budget) {
            int done = 0;
            while (done < budget) {
                VehicleEvent e = ingest.poll();
                if (e == null) break;
                if (!FIXED) zoneCalls++; // the per-event geofence call to the zone service (about 270 ms)
                VehicleState v = vehicles.get(e.vehicleId());
                v.tripId = e.tripId();
                v.stopCode = e.stopCode();
                v.delaySeconds = e.delaySeconds();
                v.lastSeen = e.at();
                v.events++;
                recent[(int) (published % RING)] = new Position(e.vehicleId(), e.stopCode(), e.delaySeconds(), e.at());
                published++;
                String key = e.stopCode() + "/P" + (int) (e.seq() % 3);
                if (boards.get(key) == null) boards.put(key, new Board(key, new byte[500 + Math.floorMod(key.hashCode(), 500)], e.at()));
                byte[] frame = frameBuffers.poll();
                frame[(int) (e.seq() % frame.length)] = (byte) e.delaySeconds();
                frameBuffers.add(frame);
                done++;
            }
            return done;
        }
    }

    static PassengerInfoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val36.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        int ticks = (int) ((end - start) / TICK);
        Random rnd = new Random(36_010_001);
        String[] stopCodes = new String[STOPS];
        for (int s = 0; s < STOPS; s++) {
            double[] dwell = new double[72];
            for (int k = 0; k < dwell.length; k++) dwell[k] = 10 + rnd.nextDouble() * 50;
            stopCodes[s] = "STP" + (40_000 + s * 3);
            STOPS_BY_CODE.put(stopCodes[s], new Stop(stopCodes[s], "Stop " + (s % 700) + (s < 700 ? " North" : " South"), dwell));
        }
        PassengerInfoService svc = new PassengerInfoService();
        SERVICE = svc;
        String[] tripIds = new String[TRIPS];
        for (int t = 0; t < TRIPS; t++) {
            tripIds[t] = "TRIP-" + (3_100_000 + t);
            svc.trips.put(tripIds[t], new Trip(tripIds[t], "Line " + (1 + t % 24), stopCodes[rnd.nextInt(STOPS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        String[] vehicleIds = new String[TRAMS];
        for (int v = 0; v < TRAMS; v++) {
            vehicleIds[v] = "TRAM-" + (1_000 + v);
            svc.vehicles.put(vehicleIds[v], new VehicleState(vehicleIds[v]));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        int budget = FIXED ? CONSUME_PER_TICK_FIXED : CONSUME_PER_TICK_SLOW;
        Random feed = new Random(36_010_002);
        long seq = 0;
        for (int tick = 0; tick < ticks; tick++) {
            long t = start + tick * TICK;
            svc.publish(budget); // the publisher's share of this tick: the events that were queued before it
            for (int v = tick % 10; v < TRAMS; v += 10) {
                svc.ingest.add(new VehicleEvent(seq++, vehicleIds[v], tripIds[feed.nextInt(TRIPS)], stopCodes[feed.nextInt(STOPS)], feed.nextInt(600) - 60, t, new byte[80 + feed.nextInt(80)]));
                svc.produced++;
            }
        }
        stopCodes = tripIds = vehicleIds = null; // startup arrays dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = feed = null;
        VehicleEvent oldest = svc.ingest.peek();
        long oldestAgeMin = oldest == null ? -1 : (end - oldest.at()) / MINUTE;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stops " + STOPS_BY_CODE.size() + " trips " + svc.trips.size() + " trams " + svc.vehicles.size() + " produced " + svc.produced + " published " + svc.published
                + " backlog " + svc.ingest.size() + " (oldest queued " + oldestAgeMin + " min old, seq " + (oldest == null ? -1 : oldest.seq()) + ") zone calls " + svc.zoneCalls + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") pool " + svc.frameBuffers.size());
        check(STOPS_BY_CODE.size() == STOPS && svc.trips.size() == TRIPS && svc.vehicles.size() == TRAMS, "reference data / directory / fleet");
        check(svc.produced == (long) ticks * PER_TICK && svc.produced + 0L == svc.published + svc.ingest.size(), "feed traffic");
        if (FIXED) check(svc.ingest.size() == PER_TICK, "publisher keeps up: " + svc.ingest.size());
        else check(svc.ingest.size() == (long) ticks * (PER_TICK - CONSUME_PER_TICK_SLOW) + CONSUME_PER_TICK_SLOW, "backlog grows by 8 a tick: " + svc.ingest.size());
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.published > RING && svc.recent[RING - 1] != null, "position ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
