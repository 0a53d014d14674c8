// hprofscan-dump: name=val82-healthy-rivercruises-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val82-healthy-rivercruises-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val82-healthy-rivercruises jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val82-healthy-rivercruises-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 82 (written blind), HEALTHY: the onboard operations service of a river-cruise
 * line. Port reference data, the cabin-booking directory, a cache of rendered deck plans at its
 * cap, a ring of gangway scans, the state of shore excursions keyed by their sequence number
 * (removed when the group is back on board), a memo of shore-excursion fares keyed by an immutable
 * record (bounded by the fare grid), and the onboard app's debug trace (a PrintWriter over a
 * StringWriter) that is handed to the log file and replaced every 1,400 lines. Warms up, then
 * plateaus. See VALIDATION82.md.
 */
public final class Val82HealthyRiverCruises {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PORTS = 1_400, BOOKINGS = 25_000, PLAN_CAP = 2_000, GANGWAY_RING = 16_384, SCANS_PER_HOUR = 6_000, ROTATE_EVERY = 1_400;
    static final int SEASON_PORTS = 60, CATEGORIES = 4, FARE_PAGES = 3;

    record Port(String code, String river, double[] waterLevelModel) {}
    record CabinBooking(String confirmation, String cabin, String guestName, byte[] preferences, long bookedAt) {}
    record DeckPlan(String key, byte[] rendered, long at) {}
    record GangwayScan(String confirmation, String portCode, boolean boarding, long at) {}
    /** Immutable memo key: the next page is a new record. */
    record FareKey(String portCode, String category, int page) { FareKey next() { return new FareKey(portCode, category, page + 1); } }
    record Fare(int[] centsByGroupSize, String nextLink, long pricedAt) {}

    static final class ExcursionState {
        final long seq; final String excursionCode, confirmation, portCode; final int guests; final long departedAt;
        int[] headcounts = new int[8]; int checks;
        ExcursionState(long seq, String excursionCode, String confirmation, String portCode, int guests, long departedAt) {
            this.seq = seq; this.excursionCode = excursionCode; this.confirmation = confirmation; this.portCode = portCode; this.guests = guests; this.departedAt = departedAt;
        }
    }

    /** Debug trace of the onboard app: handed to the log file and replaced every ROTATE_EVERY lines. */
    static final class AppTrace {
        StringWriter sink = new StringWriter(8_192);
        PrintWriter out = new PrintWriter(sink);
        long lines, rotations;
        void line(String s) {
            out.println(s);
            if (++lines % ROTATE_EVERY == 0) { out.flush(); rotations++; sink = new StringWriter(8_192); out = new PrintWriter(sink); }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, DeckPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeckPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class CruiseService {
        final Map<String, CabinBooking> bookings = new HashMap<>();
        final PlanCache deckPlans = new PlanCache();
        final GangwayScan[] gangway = new GangwayScan[GANGWAY_RING];
        long scans;
        final Map<Long, ExcursionState> excursions = new HashMap<>();
        long excursionsStarted, excursionsReturned;
        final Map<FareKey, Fare> fares = new HashMap<>();
        long fareHits, fareMisses;
        final AppTrace trace = new AppTrace();

        Fare fare(FareKey k, long at, Random r) {
            Fare f = fares.get(k);
            if (f != null) { fareHits++; return f; }
            fareMisses++;
            int[] cents = new int[12];
            for (int g = 0; g < cents.length; g++) cents[g] = 2_500 + r.nextInt(9_000);
            f = new Fare(cents, "/fares?" + k.next(), at);
            fares.put(k, f);
            return f;
        }
    }

    static CruiseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int scans = SCANS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(82_050_001);
        String[] portCodes = new String[PORTS];
        String[] rivers = {"Rhine", "Danube", "Main", "Moselle", "Douro", "Seine", "Elbe", "Rhone"};
        for (int p = 0; p < PORTS; p++) {
            double[] model = new double[64];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextDouble() * 8;
            portCodes[p] = "PT" + (1_000 + p);
            PORTS_BY_CODE.put(portCodes[p], new Port(portCodes[p], rivers[p % rivers.length], model));
        }
        CruiseService svc = new CruiseService();
        SERVICE = svc;
        String[] confirmations = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            confirmations[b] = "RC" + (70_000_000 + b * 9);
            svc.bookings.put(confirmations[b], new CabinBooking(confirmations[b], "Deck " + (1 + b % 4) + " / " + (100 + b % 90), "Guest " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        int maxExcursions = simulate(svc, confirmations, portCodes, start, end, scans);
        long active = svc.excursionsStarted - svc.excursionsReturned;
        long traceLines = svc.trace.sink.getBuffer().chars().filter(ch -> ch == '\n').count();
        System.out.println("stage " + stage + " ports " + PORTS_BY_CODE.size() + " bookings " + svc.bookings.size() + " gangway " + Math.min(svc.scans, GANGWAY_RING) + " (written " + svc.scans + ") excursions active "
                + svc.excursions.size() + " (started " + svc.excursionsStarted + ", returned " + svc.excursionsReturned + ", max " + maxExcursions + ") fares " + svc.fares.size() + " (hits " + svc.fareHits + ", misses " + svc.fareMisses
                + ") trace lines " + svc.trace.lines + " kept " + traceLines + " rotations " + svc.trace.rotations + " capacity " + svc.trace.sink.getBuffer().capacity() + " plans " + svc.deckPlans.size() + " (evicted " + svc.deckPlans.evicted + ")");
        check(PORTS_BY_CODE.size() == PORTS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.scans == scans && (scans < GANGWAY_RING) == (svc.gangway[GANGWAY_RING - 1] == null), "gangway ring");
        check(svc.excursions.size() == active && active > 0 && active <= maxExcursions, "excursions: only the groups ashore");
        check(svc.fares.size() == svc.fareMisses && svc.fares.size() <= SEASON_PORTS * CATEGORIES * FARE_PAGES, "fare memo bounded by the grid");
        check(svc.trace.lines == scans && traceLines == scans % ROTATE_EVERY && svc.trace.rotations == scans / ROTATE_EVERY, "trace rotated");
        check(svc.deckPlans.size() == PLAN_CAP && svc.deckPlans.evicted > 0, "deck-plan cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Runs the traffic; returns the largest number of groups ashore at once. The return queue is local. */
    static int simulate(CruiseService svc, String[] confirmations, String[] portCodes, long start, long end, int scans) {
        Random traffic = new Random(82_050_002);
        String[] categories = {"walking-tour", "wine-tasting", "castle", "bike"};
        PriorityQueue<long[]> returns = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]) != 0 ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int max = 0;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            while (!returns.isEmpty() && returns.peek()[0] <= t) { long[] r = returns.poll(); returnToShip(svc, r[1], traffic); }
            String conf = confirmations[traffic.nextInt(BOOKINGS)];
            String port = portCodes[traffic.nextInt(SEASON_PORTS)];
            boolean boarding = traffic.nextBoolean();
            svc.gangway[(int) (svc.scans++ % GANGWAY_RING)] = new GangwayScan(conf, port, boarding, t);
            if (i % 10 == 0) {
                long seq = 61_000_001L + svc.excursionsStarted;
                String category = categories[traffic.nextInt(CATEGORIES)];
                Fare fare = svc.fare(new FareKey(port, category, 1 + traffic.nextInt(FARE_PAGES)), t, traffic);
                int guests = 1 + traffic.nextInt(4);
                svc.excursions.put(seq, new ExcursionState(seq, "EX-" + port + "-" + category, conf, port, guests, t));
                svc.excursionsStarted++;
                max = Math.max(max, svc.excursions.size());
                returns.add(new long[] {t + (20 + traffic.nextInt(100)) * MINUTE, seq});
                svc.trace.line(Instant.ofEpochMilli(t) + " excursion=" + seq + " booking=" + conf + " guests=" + guests + " fare=\u20ac" + fare.centsByGroupSize()[guests] / 100 + " port=" + port);
            } else {
                svc.trace.line(Instant.ofEpochMilli(t) + " gangway " + (boarding ? "board" : "leave") + " booking=" + conf + " port=" + port);
            }
            String key = "plan-" + traffic.nextInt(4_000);
            if (svc.deckPlans.get(key) == null) svc.deckPlans.put(key, new DeckPlan(key, new byte[600 + traffic.nextInt(600)], t));
        }
        while (!returns.isEmpty() && returns.peek()[0] <= end) { long[] r = returns.poll(); returnToShip(svc, r[1], traffic); }
        return max;
    }

    static void returnToShip(CruiseService svc, long seq, Random r) {
        ExcursionState s = svc.excursions.remove(seq); // the group is back on board: its state goes
        s.headcounts[s.checks++ % s.headcounts.length] = s.guests;
        svc.excursionsReturned++;
    }
}
