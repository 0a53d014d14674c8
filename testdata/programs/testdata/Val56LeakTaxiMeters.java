// hprofscan-dump: name=val56-leak-taximeters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val56-leak-taximeters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 56 (written blind), LEAK: the dispatch and in-app payment service of a taxi
 * company. Zone tariff reference data, the cab directory, a cache of fare quotes at its cap, a pool
 * of receipt-printer buffers, a ring of finished trips, a per-thread scratch buffer, and the card
 * pre-authorization path: every in-app ride pre-authorizes the card and creates its own
 * java.util.Timer to release the hold if it is never captured (7 days). The decline path cancels
 * the timer; the capture path (almost every ride) forgets to: each timer's thread lives on, waiting
 * for its task, which captures the ride and its GPS trace. See VALIDATION56.md.
 */
public final class Val56LeakTaxiMeters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, HOLD = 7 * DAY;
    static final int ZONES = 1_000, CABS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, TRIPS = 30_000;
    static boolean FIXED;

    record Zone(String code, String borough, double[] tariffByHalfHour) {}
    record Cab(String medallion, String zoneCode, String model, byte[] inspectionRecord, long licensedAt) {}
    record FareQuote(String key, byte[] rendered, long at) {}
    record Trip(long tripId, String medallion, String fromZone, String toZone, int fareCents, long pickupAt, long dropoffAt) {}
    record Ride(long rideId, String medallion, String riderId, int fareCents, long pickupAt, long dropoffAt, byte[] gpsTrace) {}
    record PreAuth(String authCode, String cardToken, int amountCents, long heldAt, long expiresAt) {}

    /** Releases the card hold if the ride is never captured. */
    static final class HoldExpiryTask extends TimerTask {
        final Ride ride; final PreAuth auth; final PaymentGateway gateway;
        HoldExpiryTask(Ride ride, PreAuth auth, PaymentGateway gateway) { this.ride = ride; this.auth = auth; this.gateway = gateway; }
        @Override public void run() { gateway.released++; }
    }

    static final class PaymentGateway {
        long preauths, captured, declined, released, timersCreated, timersCancelled;
        /** Returns true if the capture succeeded. */
        boolean charge(Ride ride, Random r) {
            PreAuth auth = new PreAuth("AU" + Long.toString(0x3a_0000_0000L + ride.rideId(), 36), "tok_" + Long.toHexString(r.nextLong()), ride.fareCents() + 500, ride.dropoffAt(), ride.dropoffAt() + HOLD);
            preauths++;
            Timer timer = new Timer("preauth-hold-" + ride.rideId(), true);
            timersCreated++;
            timer.schedule(new HoldExpiryTask(ride, auth, this), HOLD);
            if (r.nextInt(100) < 6) { // declined: the hold is void, the timer is cancelled
                declined++;
                timer.cancel(); timersCancelled++;
                return false;
            }
            captured++;
            if (FIXED) { timer.cancel(); timersCancelled++; }
            // BUG: the capture path never cancels the timer; its thread and task stay alive
            return true;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, FareQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class DispatchService {
        final Map<String, Cab> cabs = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Trip[] finished = new Trip[RING];
        long trips;
        final PaymentGateway payments = new PaymentGateway();
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int holdThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("preauth-hold-") && t.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val56.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(56_030_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] tariff = new double[64];
            for (int k = 0; k < tariff.length; k++) tariff[k] = 2.5 + rnd.nextDouble() * 3;
            zoneCodes[z] = "Z" + (300 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "Borough " + (z % 12), tariff));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] medallions = new String[CABS];
        String[] models = {"Prius", "Camry Hybrid", "Sienna", "Ioniq 5", "Model 3", "Transit Connect"};
        for (int c = 0; c < CABS; c++) {
            medallions[c] = (c % 9) + "T" + (10_000 + c);
            svc.cabs.put(medallions[c], new Cab(medallions[c], zoneCodes[rnd.nextInt(ZONES)], models[c % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(56_030_002);
        Random pay = new Random(56_030_003);
        int inApp = 0;
        for (int i = 0; i < TRIPS; i++) {
            long pickup = start + (end - 2 * HOUR - start) * i / TRIPS;
            long dropoff = pickup + (5 + traffic.nextInt(55)) * MINUTE;
            String cab = medallions[traffic.nextInt(CABS)];
            String from = zoneCodes[traffic.nextInt(ZONES)], to = zoneCodes[traffic.nextInt(ZONES)];
            int fare = 700 + traffic.nextInt(6_000);
            byte[] scratch = SCRATCH.get();
            scratch[i % scratch.length] = (byte) fare;
            if (traffic.nextInt(20) == 0) {
                inApp++;
                Ride ride = new Ride(70_000_000L + i, cab, "R" + (5_000_000 + traffic.nextInt(800_000)), fare, pickup, dropoff, new byte[1_000 + traffic.nextInt(1_000)]);
                svc.payments.charge(ride, pay);
            }
            svc.finished[(int) (svc.trips++ % RING)] = new Trip(40_000_000L + i, cab, from, to, fare, pickup, dropoff);
            String key = from + ">" + to;
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new FareQuote(key, new byte[400 + traffic.nextInt(400)], pickup));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
        }
        PaymentGateway p = svc.payments;
        long expectLive = p.timersCreated - p.timersCancelled;
        int live = holdThreads();
        for (int w = 0; w < 500 && live != expectLive; w++) { Thread.sleep(20); live = holdThreads(); } // cancelled timers' threads exit
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " cabs " + svc.cabs.size() + " trips " + svc.trips + " in-app " + inApp + " preauths " + p.preauths + " captured " + p.captured + " declined " + p.declined
                + " timers " + p.timersCreated + " cancelled " + p.timersCancelled + " live hold threads " + live + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.receiptBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.cabs.size() == CABS, "reference data / directory");
        check(p.preauths == inApp && p.captured + p.declined == inApp && p.released == 0, "payment traffic");
        if (FIXED) check(live == 0, "every timer cancelled: " + live);
        else check(live == p.captured && expectLive == p.captured, "a live timer thread per captured ride: " + live);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.trips == TRIPS && svc.finished[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
