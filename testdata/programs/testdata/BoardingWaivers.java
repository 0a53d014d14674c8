// hprofscan-dump: name=boarding-waivers jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=boarding-waivers-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=boarding-waivers-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=boarding-waivers-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The boarding desk of a seaplane tour operator: a flight every 10 minutes, 12 passengers each,
 * over 8 simulated hours. Each passenger signs a liability waiver (a record with its signing
 * time and a 3 KB scanned signature page) between 3 hours and 10 minutes before departure; the
 * desk keeps the waivers by booking reference until the flight boards. Beside it: 24,000
 * bookings of the season (reference data), 6,000 mooring and weather records, an LRU of 1,500
 * manifests at its cap, a ring of 2,048 desk events.
 * <ul>
 * <li>{@code healthy}: boarding removes the flight's waivers: the desk holds only the waivers of
 * the flights of the next 3 hours (216), each signed over those hours and untouched since: pending
 * work, a small share of the heap.
 * <li>{@code leak}: boarding never removes them: every waiver of the day stays (792).
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class BoardingWaivers {
    static final long MINUTE = 60_000L;
    static final int FLIGHT_EVERY = 10, SEATS = 12, MINUTES = 480, LOOKAHEAD = 180, BOOKINGS = 24_000, RECORDS = 6_000,
            LRU_CAP = 1_500, RING = 2_048;

    record Booking(String ref, String lead, int party, long bookedAt, String notes) {}

    record Waiver(String bookingRef, String flight, String passenger, long signedAt, byte[] signaturePage) {}

    record Mooring(String berth, double lat, double lon, long surveyedAt, int[] tideTable) {}

    record DeskEvent(String flight, String kind, long at) {}

    static final Map<String, Booking> BOOKINGS_BY_REF = new HashMap<>();
    static final Map<String, Mooring> MOORINGS = new HashMap<>();
    static final Map<String, List<String>> MANIFESTS = new LinkedHashMap<>(LRU_CAP, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> e) {
            return size() > LRU_CAP;
        }
    };
    static final DeskEvent[] EVENTS = new DeskEvent[RING];
    static BoardingDesk desk;
    static long events;

    /** The waivers signed for flights not yet boarded. */
    static final class BoardingDesk {
        final Map<String, Waiver> waiversByBooking = new HashMap<>();
        long signed, boarded;
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long now = System.currentTimeMillis();
        simulate(leak, now);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long now) {
        Random r = new Random(20261207L);
        long day = 24 * 60 * MINUTE;
        for (int i = 0; i < BOOKINGS; i++) {
            String ref = "SB" + (700_000 + i * 3);
            BOOKINGS_BY_REF.put(ref, new Booking(ref, "lead-" + r.nextInt(20_000), 1 + r.nextInt(4), now - (40 + r.nextInt(300)) * day,
                    "party notes " + r.nextInt(1_000_000)));
        }
        for (int i = 0; i < RECORDS; i++) {
            int[] tides = new int[96];
            for (int k = 0; k < tides.length; k++) tides[k] = r.nextInt(500);
            MOORINGS.put("B" + i, new Mooring("B" + i, 55 + r.nextDouble(), -5 + r.nextDouble(), now - (60 + r.nextInt(900)) * day, tides));
        }
        desk = new BoardingDesk();
        long start = now - MINUTES * MINUTE;
        // Flights from the first that departs at the start to the last that departs LOOKAHEAD after the dump.
        int flights = (MINUTES + LOOKAHEAD) / FLIGHT_EVERY;
        List<Object[]> signings = new ArrayList<>();
        for (int f = 0; f < flights; f++) {
            long departs = start + (long) f * FLIGHT_EVERY * MINUTE;
            for (int s = 0; s < SEATS; s++) {
                long signedAt = departs - (10 + r.nextInt(LOOKAHEAD - 10)) * MINUTE;
                signings.add(new Object[] {f, s, signedAt});
            }
        }
        signings.sort((x, y) -> Long.compare((Long) x[2], (Long) y[2]));
        int boardedUpTo = 0;
        for (Object[] sg : signings) {
            long t = (Long) sg[2];
            if (t > now) break;
            while (start + (long) boardedUpTo * FLIGHT_EVERY * MINUTE <= t) board(leak, boardedUpTo++, t);
            if (t < start) continue;
            sign((Integer) sg[0], (Integer) sg[1], t, r);
        }
        while (start + (long) boardedUpTo * FLIGHT_EVERY * MINUTE <= now) board(leak, boardedUpTo++, now);
    }

    static String flightId(int f) {
        return "SP" + (100 + f);
    }

    static void sign(int f, int seat, long t, Random r) {
        String ref = "SB" + (700_000 + ((f * SEATS + seat) * 7 % BOOKINGS) * 3);
        byte[] page = new byte[3_000];
        r.nextBytes(page);
        desk.waiversByBooking.put(ref + "/" + seat, new Waiver(ref, flightId(f), "passenger " + r.nextInt(100_000), t, page));
        desk.signed++;
        EVENTS[(int) (events++ % RING)] = new DeskEvent(flightId(f), "SIGNED", t);
        List<String> manifest = MANIFESTS.computeIfAbsent(flightId(f) + "/" + r.nextInt(3), k -> new ArrayList<>());
        if (manifest.size() < SEATS) manifest.add(ref);
    }

    static void board(boolean leak, int f, long t) {
        String flight = flightId(f);
        if (!leak) desk.waiversByBooking.values().removeIf(w -> w.flight().equals(flight));
        desk.boarded++;
        EVENTS[(int) (events++ % RING)] = new DeskEvent(flight, "BOARDED", t);
    }

    static void report(boolean leak) {
        System.out.println((leak ? "leak" : "healthy") + " waivers " + desk.waiversByBooking.size() + " signed " + desk.signed
                + " boarded " + desk.boarded + " manifests " + MANIFESTS.size() + " events " + events);
        check(desk.boarded == MINUTES / FLIGHT_EVERY + 1, "boarded");
        check(leak ? desk.waiversByBooking.size() == desk.signed : desk.waiversByBooking.size() < 300, "waivers");
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("count mismatch: " + what);
    }
}
