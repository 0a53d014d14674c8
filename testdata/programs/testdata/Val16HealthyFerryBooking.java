// hprofscan-dump: name=val16-healthy-ferry jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val16-healthy-ferry-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 16 (written blind), HEALTHY: the reservation backend of a ferry operator.
 * A customer searches a sailing, the service borrows a seat map from a pool to price and hold
 * seats, the hold lives 15 minutes (TTL, swept every minute) until payment, paid bookings get a
 * rendered itinerary (LRU at its cap) and a payment confirmation queued for the acquirer's
 * settlement run every 15 minutes (a bounded queue with a backlog). Legitimate, all of it: the
 * season timetable (a static map of 80,000 sailings with their fares, loaded once: the biggest
 * structure), the seat-map pool (400 preallocated maps, 37 borrowed by holds whose seat selection
 * is in progress), the holds (all younger than 15 minutes), the itinerary LRU, the confirmation
 * backlog, the capped booking audit and a fixed I/O pool. 8 simulated hours. See
 * testdata/VALIDATION16.md.
 */
public final class Val16HealthyFerryBooking {
    static final int SAILINGS = 80_000;
    static final int FARE_CLASSES = 12;
    static final int SEATMAPS = 400;
    static final int SEATS = 1_400;
    static final long HOLD_TTL = 15 * 60_000L;
    static final int ITINERARY_CAP = 5_000;
    static final int CONFIRM_CAP = 1_000;
    static final int AUDIT_CAP = 4_000;
    static final int IO_THREADS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static BookingService BOOKING;

    static final class Sailing { final String code; final String route; final String vessel; final long departsAt; final int[] fareByClassCents;
        Sailing(String code, String route, String vessel, long departsAt, int[] fareByClassCents) { this.code = code; this.route = route; this.vessel = vessel; this.departsAt = departsAt; this.fareByClassCents = fareByClassCents; } }

    /** Reference data: the whole season's timetable, loaded once at startup. */
    static final class Timetable {
        static final Map<String, Sailing> SAILINGS_BY_CODE = new HashMap<>();
    }

    static final class SeatMap { final int[] seats = new int[SEATS]; String sailing; }

    /** Object pool: seat maps are big, so they are preallocated and reused. */
    static final class SeatMapPool {
        final ArrayDeque<SeatMap> idle = new ArrayDeque<>();
        final Map<SeatMap, String> borrowed = new IdentityHashMap<>();
        SeatMapPool() { for (int i = 0; i < SEATMAPS; i++) idle.add(new SeatMap()); }
        SeatMap borrow(String sailing, String bookingRef) { SeatMap m = idle.removeFirst(); m.sailing = sailing; borrowed.put(m, bookingRef); return m; }
        void giveBack(SeatMap m) { Arrays.fill(m.seats, 0); m.sailing = null; borrowed.remove(m); idle.addLast(m); }
    }

    static final class Passenger { final String name; final String type; final String document;
        Passenger(String name, String type, String document) { this.name = name; this.type = type; this.document = document; } }

    static final class SeatHold { final String ref; final String sailing; final List<Passenger> passengers; final int[] seatNos; final long heldAt; final long paysAt; SeatMap map;
        SeatHold(String ref, String sailing, List<Passenger> passengers, int[] seatNos, long heldAt, long paysAt) { this.ref = ref; this.sailing = sailing; this.passengers = passengers; this.seatNos = seatNos; this.heldAt = heldAt; this.paysAt = paysAt; } }

    static final class ItineraryLru extends LinkedHashMap<String, String> {
        long evicted;
        ItineraryLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final class PaymentConfirmation { final String ref; final long amountCents; final byte[] signedPayload; final long paidAt;
        PaymentConfirmation(String ref, long amountCents, byte[] signedPayload, long paidAt) { this.ref = ref; this.amountCents = amountCents; this.signedPayload = signedPayload; this.paidAt = paidAt; } }

    static final class AuditLine { final String ref; final String action; final long at;
        AuditLine(String ref, String action, long at) { this.ref = ref; this.action = action; this.at = at; } }

    static final class BookingService {
        final SeatMapPool seatMaps = new SeatMapPool();
        final Map<String, SeatHold> holds = new HashMap<>();
        long holdsExpired, holdsPaid;
        final ItineraryLru itineraries = new ItineraryLru();
        final ArrayBlockingQueue<PaymentConfirmation> confirmations = new ArrayBlockingQueue<>(CONFIRM_CAP);
        long confirmationsSent;
        final ArrayDeque<AuditLine> audit = new ArrayDeque<>();
        long auditRotated;
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "booking-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        void audit(AuditLine a) { audit.addLast(a); if (audit.size() > AUDIT_CAP) { audit.removeFirst(); auditRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long minutes = 8 * 60;
        long start = now - minutes * MINUTE;
        Random rnd = new Random(16_060_006);
        BookingService svc = new BookingService();
        BOOKING = svc;
        for (int i = 0; i < 55; i++) svc.config.setProperty("booking.route.surcharge." + i, Integer.toString(150 + i * 25));
        String[] ports = {"DOVER", "CALAIS", "DUNKIRK", "HOLYHEAD", "DUBLIN", "ROSSLARE", "CHERBOURG", "PORTSMOUTH", "SANTANDER", "BILBAO", "ROSCOFF", "PLYMOUTH", "HARWICH", "HOOK", "HULL", "ROTTERDAM"};
        String[] vessels = {"Spirit of Kent", "Pride of Hull", "Ulysses", "Isle of Inishmore", "Galicia", "Pont-Aven", "Stena Britannica", "Normandie"};
        String[] codes = new String[SAILINGS];
        long season = now - (now % DAY);
        for (int s = 0; s < SAILINGS; s++) {
            int[] fares = new int[FARE_CLASSES];
            for (int c = 0; c < FARE_CLASSES; c++) fares[c] = 2_500 + c * 1_200 + rnd.nextInt(4_000);
            int r = s % 120;
            codes[s] = "S" + (r < 10 ? "00" : r < 100 ? "0" : "") + r + "-" + (s / 120);
            Timetable.SAILINGS_BY_CODE.put(codes[s], new Sailing(codes[s], ports[r % 16] + "-" + ports[(r / 16 + r + 1) % 16], vessels[r % 8], season + (s / 120) * 6 * HOUR + (r % 6) * HOUR, fares));
        }
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Minute by minute: 14-24 new holds (each borrows a seat map for the 1-3 minutes the seat
        // selection takes); 70% pay 2-14 minutes later, the rest walk away and expire after 15
        // minutes; paid bookings render an itinerary and queue a confirmation; the acquirer's
        // settlement run takes the whole confirmation queue every 15 minutes (at minute 11, 26, ...).
        String[] types = {"ADULT", "CHILD", "SENIOR", "INFANT"};
        int held = 0;
        List<long[]> plans = new ArrayList<>();
        Map<String, Long> mapReturnAt = new HashMap<>();
        for (long m = 0; m <= minutes; m++) {
            long t = start + m * MINUTE;
            for (Iterator<SeatMap> it = new ArrayList<>(svc.seatMaps.borrowed.keySet()).iterator(); it.hasNext();) {
                SeatMap sm = it.next();
                String ref = svc.seatMaps.borrowed.get(sm);
                if (mapReturnAt.get(ref) <= t) { svc.seatMaps.giveBack(sm); mapReturnAt.remove(ref); SeatHold hh = svc.holds.get(ref); if (hh != null) hh.map = null; }
            }
            for (Iterator<SeatHold> it = svc.holds.values().iterator(); it.hasNext();) {
                SeatHold hd = it.next();
                if (hd.map != null) continue;
                if (hd.paysAt != 0 && hd.paysAt <= t) {
                    it.remove(); svc.holdsPaid++;
                    long amount = 0;
                    for (int sn : hd.seatNos) amount += Timetable.SAILINGS_BY_CODE.get(hd.sailing).fareByClassCents[sn % FARE_CLASSES];
                    StringBuilder itin = new StringBuilder("<html><body><h1>Booking ").append(hd.ref).append("</h1><p>").append(Timetable.SAILINGS_BY_CODE.get(hd.sailing).route).append("</p><ul>");
                    for (Passenger p : hd.passengers) itin.append("<li>").append(p.name).append(" (").append(p.type).append(") seat ").append(hd.seatNos[0]).append("</li>");
                    while (itin.length() < 1_800) itin.append("<p>Check-in closes 45 minutes before departure. Vehicles must be at the marshalling lanes on time.</p>");
                    svc.itineraries.put(hd.ref, itin.append("</body></html>").toString());
                    byte[] sig = new byte[512];
                    rnd.nextBytes(sig);
                    if (!svc.confirmations.offer(new PaymentConfirmation(hd.ref, amount, sig, t))) throw new IllegalStateException("confirmation queue full");
                    svc.audit(new AuditLine(hd.ref, "PAID", t));
                } else if (hd.heldAt < t - HOLD_TTL) {
                    it.remove(); svc.holdsExpired++;
                    svc.audit(new AuditLine(hd.ref, "EXPIRED", t));
                }
            }
            int arrivals = 14 + rnd.nextInt(11);
            for (int a = 0; a < arrivals; a++) {
                String ref = "FB" + (7_000_000 + held);
                String sailing = codes[rnd.nextInt(SAILINGS)];
                int pax = 1 + rnd.nextInt(5);
                List<Passenger> ps = new ArrayList<>(pax);
                int[] seats = new int[pax];
                for (int k = 0; k < pax; k++) { ps.add(new Passenger("Passenger " + held + "/" + k, types[rnd.nextInt(4)], "P" + (100_000_000 + rnd.nextInt(800_000_000)))); seats[k] = rnd.nextInt(SEATS); }
                long paysAt = rnd.nextInt(10) < 7 ? t + (2 + rnd.nextInt(13)) * MINUTE : 0;
                SeatHold hd = new SeatHold(ref, sailing, ps, seats, t, paysAt);
                hd.map = svc.seatMaps.borrow(sailing, ref);
                for (int sn : seats) hd.map.seats[sn] = 1;
                long mapBack = t + (1 + rnd.nextInt(3)) * MINUTE;
                mapReturnAt.put(ref, mapBack);
                svc.holds.put(ref, hd);
                plans.add(new long[] {t, paysAt, mapBack});
                svc.audit(new AuditLine(ref, "HELD", t));
                held++;
            }
            if (m % 15 == 11) { while (svc.confirmations.poll() != null) svc.confirmationsSent++; }
        }
        int stale = 0, expectedHolds = 0, borrowedHeld = 0;
        for (SeatHold hd : svc.holds.values()) { if (hd.heldAt < now - HOLD_TTL) stale++; if (hd.map != null) borrowedHeld++; }
        // Live at the dump: unpaid holds not yet past the TTL; paying holds whose payment (processed
        // once the seat map is back) is still to come.
        for (long[] p : plans) { if (p[1] == 0 ? p[0] >= now - HOLD_TTL : Math.max(p[1], p[2]) > now) expectedHolds++; }
        List<Future<Integer>> io = new ArrayList<>();
        for (int i = 0; i < 40; i++) { final int n = i; io.add(svc.io.submit(() -> n)); }
        for (Future<Integer> f : io) f.get();
        System.out.println("sailings " + Timetable.SAILINGS_BY_CODE.size() + " seat maps idle " + svc.seatMaps.idle.size() + " borrowed " + svc.seatMaps.borrowed.size() + " holds " + svc.holds.size() + " (of " + held + "; paid " + svc.holdsPaid + ", expired " + svc.holdsExpired + ", older than TTL " + stale + ") itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ") confirmations queued " + svc.confirmations.size() + " (sent " + svc.confirmationsSent + ") audit " + svc.audit.size() + " (rotated " + svc.auditRotated + ")");
        check(Timetable.SAILINGS_BY_CODE.size() == SAILINGS, "timetable");
        check(svc.seatMaps.idle.size() + svc.seatMaps.borrowed.size() == SEATMAPS && svc.seatMaps.borrowed.size() == borrowedHeld && borrowedHeld > 0, "seat map pool");
        check(stale == 0 && svc.holds.size() == expectedHolds && svc.holdsPaid + svc.holdsExpired + svc.holds.size() == held, "holds");
        check(svc.itineraries.size() == ITINERARY_CAP && svc.itineraries.evicted == svc.holdsPaid - ITINERARY_CAP, "itinerary lru");
        check(svc.confirmations.size() == svc.holdsPaid - svc.confirmationsSent && svc.confirmations.size() > 0, "confirmation backlog");
        check(svc.audit.size() == AUDIT_CAP && svc.io.getPoolSize() == IO_THREADS, "audit/pool");
        codes = null; plans = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
