// hprofscan-dump: name=val13-leak-tollroad-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val13-leak-tollroad-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val13-leak-tollroad jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val13-leak-tollroad-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 13 (written blind), LEAK (series): the trip-matching backend of an electronic
 * toll road. A vehicle's trip is opened at its entry gantry and kept in a map of open trips until
 * it exits, when the fare is charged and the trip removed. The map's key, {@code TripKey}, has
 * IDE-generated equals/hashCode over all its fields, including the list of gantries passed, which
 * is the trip's own route list and grows as the vehicle passes gantries: the key's hash changes
 * after insertion, so the removal at exit never finds the entry and every closed trip stays.
 * Stage 1 after 2 hours (3,000 closed trips), stage 2 after 4 hours (6,000), stage 3 after 8
 * hours (12,000); 180 trips are on the road at every dump. Beside it: the transponder account
 * directory (loaded at startup), the gantry and tariff tables, a capped LRU of recent plate reads,
 * a charge-transaction ring and a fixed pool of plate-recognition threads with a scratch each.
 * See testdata/VALIDATION13.md.
 */
public final class Val13LeakTollRoad {
    static final int ACCOUNTS = 60_000;
    static final int GANTRIES = 600;
    static final int SEGMENTS = 1_200;
    static final int ON_ROAD = 180;
    static final int READS_CAP = 5_000;
    static final int TX_RING = 2_048;
    static final int OCR = 3;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static TollService RUNNING;

    static final class Account { final String transponderId; final String plate; final String holderName; final String vehicleClass; final long openedAt; long balanceCents;
        Account(String transponderId, String plate, String holderName, String vehicleClass, long openedAt, long balanceCents) { this.transponderId = transponderId; this.plate = plate; this.holderName = holderName; this.vehicleClass = vehicleClass; this.openedAt = openedAt; this.balanceCents = balanceCents; } }

    static final class Gantry { final String gantryId; final String road; final double km; final String[] lanes;
        Gantry(String gantryId, String road, double km, String[] lanes) { this.gantryId = gantryId; this.road = road; this.km = km; this.lanes = lanes; } }

    /** Reference data, loaded at startup. */
    static final class Network {
        static final Map<String, Gantry> GANTRIES_BY_ID = new HashMap<>();
        static final Map<String, int[]> TARIFF_BY_SEGMENT = new HashMap<>();
    }

    /** Key of an open trip. equals/hashCode generated over all fields, including the (mutable) route. */
    static final class TripKey {
        final String plate; final String entryGantry; final List<String> route;
        TripKey(String plate, String entryGantry, List<String> route) { this.plate = plate; this.entryGantry = entryGantry; this.route = route; }
        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof TripKey)) return false;
            TripKey k = (TripKey) o;
            return plate.equals(k.plate) && entryGantry.equals(k.entryGantry) && Objects.equals(route, k.route);
        }
        @Override public int hashCode() { return Objects.hash(plate, entryGantry, route); }
    }

    static final class Trip { final TripKey key; final String plate; final String transponderId; final long enteredAt; final List<String> route; final byte[] entryImage;
        long exitedAt; String exitGantry; int fareCents;
        Trip(TripKey key, String plate, String transponderId, long enteredAt, List<String> route, byte[] entryImage) { this.key = key; this.plate = plate; this.transponderId = transponderId; this.enteredAt = enteredAt; this.route = route; this.entryImage = entryImage; } }

    static final class TripMatcher {
        /** THE LEAK: closed trips are never found again (their key's hash changed), so never removed. */
        final Map<TripKey, Trip> openTrips = new HashMap<>();
        Trip enter(String plate, String transponderId, String gantry, long t, byte[] image, boolean fixed) {
            List<String> route = new ArrayList<>();
            route.add(gantry);
            TripKey key = new TripKey(plate, gantry, fixed ? null : route);
            Trip trip = new Trip(key, plate, transponderId, t, route, image);
            openTrips.put(key, trip);
            return trip;
        }
        void pass(Trip trip, String gantry) { trip.route.add(gantry); }
        void exit(Trip trip, String gantry, long t, int fare) {
            trip.route.add(gantry); trip.exitGantry = gantry; trip.exitedAt = t; trip.fareCents = fare;
            openTrips.remove(trip.key);
        }
    }

    static final class PlateRead { final String plate; final String gantry; final long at; final int confidence;
        PlateRead(String plate, String gantry, long at, int confidence) { this.plate = plate; this.gantry = gantry; this.at = at; this.confidence = confidence; } }

    /** Recent plate reads, deduplicating double reads of the same vehicle; an LRU capped at 5,000. */
    static final class RecentReads extends LinkedHashMap<String, PlateRead> {
        long evictions;
        RecentReads() { super(READS_CAP * 4 / 3 + 1, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PlateRead> e) { if (size() > READS_CAP) { evictions++; return true; } return false; }
    }

    static final class ChargeTx { long at; String transponderId; int cents; String tripRef; }

    static final class TollService {
        final Map<String, Account> accounts = new HashMap<>();
        final Map<String, Account> byPlate = new HashMap<>();
        final TripMatcher matcher = new TripMatcher();
        final RecentReads reads = new RecentReads();
        final ChargeTx[] txRing = new ChargeTx[TX_RING];
        long charged;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor ocr = new ThreadPoolExecutor(OCR, OCR, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "anpr-ocr-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
        final Properties config = new Properties();
        TollService() { for (int i = 0; i < TX_RING; i++) txRing[i] = new ChargeTx(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val13.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int closed = (int) (1_500 * hours);
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(13_040_001);
        TollService svc = new TollService();
        RUNNING = svc;
        for (int i = 0; i < 65; i++) svc.config.setProperty("toll.matcher." + i, "window=" + (i * 30) + "s");
        for (int i = 0; i < GANTRIES; i++) {
            String id = "G" + (1_000 + i);
            String[] lanes = new String[2 + rnd.nextInt(4)];
            for (int k = 0; k < lanes.length; k++) lanes[k] = id + "-L" + k;
            Network.GANTRIES_BY_ID.put(id, new Gantry(id, "A" + (1 + i % 9), i * 1.7, lanes));
        }
        for (int i = 0; i < SEGMENTS; i++) {
            int[] fares = new int[24];
            for (int k = 0; k < fares.length; k++) fares[k] = 80 + rnd.nextInt(400);
            Network.TARIFF_BY_SEGMENT.put("S" + i, fares);
        }
        String[] classes = {"car", "van", "truck2", "truck3", "motorbike"};
        for (int i = 0; i < ACCOUNTS; i++) {
            String tid = "TX" + (40_000_000 + i * 3);
            String plate = "ZH" + (100_000 + i);
            Account a = new Account(tid, plate, "Account holder " + i, classes[i % classes.length], now - DAY * (5 + rnd.nextInt(3_000)), rnd.nextInt(50_000));
            svc.accounts.put(tid, a);
            svc.byPlate.put(plate, a);
        }
        CyclicBarrier warm = new CyclicBarrier(OCR);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < OCR; w++) fs.add(svc.ocr.submit(() -> { TollService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: `closed` trips entered over the period, each passing 1-4 gantries and exiting
        // 10-40 minutes later (all before the last 25 minutes); then 180 trips enter in the last
        // 20 minutes and are on the road at the dump (some have passed a gantry).
        int total = closed + ON_ROAD;
        long reads = 0;
        for (int i = 0; i < total; i++) {
            boolean onRoad = i >= closed;
            long t = onRoad ? now - 20 * MINUTE + (20 * MINUTE) * (i - closed) / ON_ROAD
                            : start + (now - 65 * MINUTE - start) * i / closed;
            Account a = svc.accounts.get("TX" + (40_000_000 + rnd.nextInt(ACCOUNTS) * 3));
            String g0 = "G" + (1_000 + rnd.nextInt(GANTRIES));
            byte[] img = new byte[1_024 + rnd.nextInt(1_024)];
            rnd.nextBytes(img);
            Trip trip = svc.matcher.enter(a.plate, a.transponderId, g0, t, img, fixed);
            svc.reads.put(a.plate + "@" + g0 + "@" + i, new PlateRead(a.plate, g0, t, 80 + rnd.nextInt(20))); reads++;
            int passes = onRoad ? rnd.nextInt(2) : 1 + rnd.nextInt(4);
            for (int k = 0; k < passes; k++) {
                String g = "G" + (1_000 + rnd.nextInt(GANTRIES));
                svc.matcher.pass(trip, g);
                svc.reads.put(a.plate + "@" + g + "@" + i + "#" + k, new PlateRead(a.plate, g, onRoad ? t + (now - t) / 2 : t + (k + 1) * 2 * MINUTE, 80 + rnd.nextInt(20))); reads++;
            }
            if (!onRoad) {
                String gx = "G" + (1_000 + rnd.nextInt(GANTRIES));
                int fare = Network.TARIFF_BY_SEGMENT.get("S" + rnd.nextInt(SEGMENTS))[(int) ((t / HOUR) % 24)] * (1 + passes);
                long tx = t + (10 + rnd.nextInt(30)) * MINUTE;
                svc.matcher.exit(trip, gx, tx, fare);
                a.balanceCents -= fare;
                ChargeTx c = svc.txRing[(int) (svc.charged++ % TX_RING)];
                c.at = tx; c.transponderId = a.transponderId; c.cents = fare; c.tripRef = a.plate + "/" + t;
            }
        }
        int closedIn = 0, openIn = 0;
        for (Trip tr : svc.matcher.openTrips.values()) { if (tr.exitedAt > 0) closedIn++; else openIn++; }
        int leaked = fixed ? 0 : closed;
        System.out.println("stage " + stage + " accounts " + svc.accounts.size() + " gantries " + Network.GANTRIES_BY_ID.size() + " open trips map " + svc.matcher.openTrips.size() + " (closed " + closedIn + ", on road " + openIn + ") reads " + svc.reads.size() + " (evictions " + svc.reads.evictions + ") charged " + svc.charged);
        check(svc.accounts.size() == ACCOUNTS && svc.byPlate.size() == ACCOUNTS && Network.GANTRIES_BY_ID.size() == GANTRIES && Network.TARIFF_BY_SEGMENT.size() == SEGMENTS, "reference data");
        check(closedIn == leaked && openIn == ON_ROAD && svc.matcher.openTrips.size() == leaked + ON_ROAD, "open trips");
        check(svc.reads.size() == READS_CAP && svc.reads.evictions == reads - READS_CAP, "plate reads");
        check(svc.charged == closed && svc.charged > TX_RING && svc.ocr.getPoolSize() == OCR, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
