// hprofscan-dump: name=val82-leak-mopedshare-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val82-leak-mopedshare-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val82-leak-mopedshare jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val82-leak-mopedshare-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 82 (written blind), LEAK: the trip service of an electric-moped sharing operator.
 * Zone reference data, the moped directory, a cache of rendered fare quotes at its cap, a pool of
 * telemetry decode buffers, a ring of recent trip receipts, the map of mopeds currently on a trip
 * (cleaned up at trip end), and the per-trip state: a HashMap<Long, TripState> keyed by the trip's
 * sequence number. A trip's state is put there when the rider unlocks the moped and marked ENDED
 * when the trip ends, but it is never removed: the map keeps every trip since start. See
 * VALIDATION82.md.
 */
public final class Val82LeakMopedShare {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int ZONES = 1_100, MOPEDS = 18_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, TRIPS_PER_HOUR = 2_500;
    static boolean FIXED;

    enum TripStatus { RIDING, ENDED }

    record Zone(String code, String city, int[] polygon, double[] hourlyDemand) {}
    record Moped(String plate, String homeZone, String model, byte[] maintenanceLog, long commissionedAt) {}
    record FareQuote(String key, byte[] rendered, long at) {}
    record TripReceipt(long tripSeq, String plate, int fareCents, long endedAt) {}

    /** Per-trip state, created when the moped is unlocked. */
    static final class TripState {
        final long seq;
        final String plate, riderId, startZone;
        final long startedAt;
        long endedAt;
        String endZone;
        TripStatus status = TripStatus.RIDING;
        int[] breadcrumbs = new int[16]; // lat/lon pairs in microdegrees, trimmed at trip end
        int samples, fareCents;
        TripState(long seq, String plate, String riderId, String startZone, long startedAt) {
            this.seq = seq; this.plate = plate; this.riderId = riderId; this.startZone = startZone; this.startedAt = startedAt;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, FareQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class TripService {
        final Map<String, Moped> mopeds = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final TripReceipt[] receipts = new TripReceipt[RING];
        long receiptsWritten;
        /** Mopeds currently on a trip: removed when the trip ends (bounded by the fleet in use). */
        final Map<String, TripState> activeByPlate = new HashMap<>();
        /** Per-trip state keyed by the trip's sequence number. */
        final Map<Long, TripState> trips = new HashMap<>();
        long started, ended;

        void endTrip(long seq, long at, Random r, String[] zoneCodes) {
            TripState s = trips.get(seq);
            s.status = TripStatus.ENDED;
            s.endedAt = at;
            s.endZone = zoneCodes[r.nextInt(zoneCodes.length)];
            s.samples = (int) ((at - s.startedAt) / (30 * SECOND));
            int[] trail = Arrays.copyOf(s.breadcrumbs, 2 * s.samples);
            for (int k = 0; k < trail.length; k++) trail[k] = 48_100_000 + r.nextInt(400_000);
            s.breadcrumbs = trail;
            s.fareCents = 100 + 29 * (int) ((at - s.startedAt) / MINUTE);
            activeByPlate.remove(s.plate);
            receipts[(int) (receiptsWritten++ % RING)] = new TripReceipt(seq, s.plate, s.fareCents, at);
            if (FIXED) trips.remove(seq); // the fix: the trip's state goes when the trip ends
            // BUG: the ended trip's state stays in trips forever
            ended++;
        }
    }

    static TripService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val82.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int tripsTotal = TRIPS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(82_010_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            int[] polygon = new int[24];
            for (int k = 0; k < polygon.length; k++) polygon[k] = 48_000_000 + rnd.nextInt(600_000);
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            zoneCodes[z] = "Z" + (z / 100) + "-" + (1_000 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "City " + (z % 40), polygon, demand));
        }
        TripService svc = new TripService();
        SERVICE = svc;
        String[] plates = new String[MOPEDS];
        String[] models = {"Niu N1", "Vespa Elettrica", "Silence S01", "Gogoro 2", "Askoll eS2"};
        for (int m = 0; m < MOPEDS; m++) {
            plates[m] = "MP-" + (200_000 + m * 3);
            svc.mopeds.put(plates[m], new Moped(plates[m], zoneCodes[rnd.nextInt(ZONES)], models[m % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        simulate(svc, plates, zoneCodes, start, end, tripsTotal);
        long active = svc.started - svc.ended;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " zones " + ZONES_BY_CODE.size() + " mopeds " + svc.mopeds.size() + " trips started " + svc.started + " ended " + svc.ended
                + " active " + active + " trips map " + svc.trips.size() + " activeByPlate " + svc.activeByPlate.size() + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool "
                + svc.telemetryBuffers.size() + " receipts written " + svc.receiptsWritten);
        check(ZONES_BY_CODE.size() == ZONES && svc.mopeds.size() == MOPEDS, "reference data / directory");
        check(svc.started == tripsTotal && svc.ended > 0 && active > 0, "trip traffic");
        check(svc.activeByPlate.size() == active, "active mopeds");
        if (FIXED) check(svc.trips.size() == active, "trips map holds the active trips only: " + svc.trips.size());
        else check(svc.trips.size() == tripsTotal, "trips map keeps every trip: " + svc.trips.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        check(svc.receiptsWritten == svc.ended && svc.receipts[RING - 1] != null, "receipt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Runs the traffic; the scheduling queue is local and gone before the dump. */
    static void simulate(TripService svc, String[] plates, String[] zoneCodes, long start, long end, int tripsTotal) {
        Random traffic = new Random(82_010_002);
        PriorityQueue<long[]> ends = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]) != 0 ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < tripsTotal; i++) {
            long t = start + (end - MINUTE - start) * i / tripsTotal;
            while (!ends.isEmpty() && ends.peek()[0] <= t) { long[] e = ends.poll(); svc.endTrip(e[1], e[0], traffic, zoneCodes); }
            int m = traffic.nextInt(MOPEDS);
            while (svc.activeByPlate.containsKey(plates[m])) m = (m + 1) % MOPEDS;
            long seq = 40_000_001L + i;
            TripState s = new TripState(seq, plates[m], "R" + (300_000 + traffic.nextInt(90_000)), zoneCodes[traffic.nextInt(zoneCodes.length)], t);
            svc.trips.put(seq, s);
            svc.activeByPlate.put(s.plate, s);
            svc.started++;
            long duration = (4 + traffic.nextInt(27)) * MINUTE + traffic.nextInt(60) * SECOND;
            ends.add(new long[] {t + duration, seq});
            String key = "fare-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new FareQuote(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.telemetryBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.telemetryBuffers.add(buf);
        }
        while (!ends.isEmpty() && ends.peek()[0] <= end) { long[] e = ends.poll(); svc.endTrip(e[1], e[0], traffic, zoneCodes); }
    }
}
