// hprofscan-dump: name=val154-healthy-hotelconcierge-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val154-healthy-hotelconcierge-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val154-healthy-hotelconcierge jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val154-healthy-hotelconcierge-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 154 (written blind), HEALTHY: the concierge service of a hotel group. Hotel
 * reference data, the booking directory, an access-ordered LRU of guest profiles capped at 2,000
 * with a second index by e-mail that removeEldestEntry keeps in step, a "recent alerts" list for the
 * duty manager trimmed on every add, a pool of key-card encoder buffers and a ring of room-service
 * orders. Warms up (the ring fills) and then plateaus. See VALIDATION154.md.
 */
public final class Val154HealthyHotelConcierge {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOTELS = 1_200, BOOKINGS = 25_000, GUEST_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 6_000, ALERTS_MAX = 1_000, REGULARS = 800;

    record Hotel(String code, String city, double[] nightlyRates) {}
    record Booking(String ref, String hotelCode, String guestName, byte[] folio, long bookedAt) {}
    record GuestProfile(String guestId, String email, String language, byte[] preferences, long loadedAt) {}
    record RoomServiceOrder(String bookingRef, String item, int cents, long at) {}
    record DutyAlert(String alertId, String hotelCode, String kind, long raisedAt, byte[] details) {}

    /** Access-ordered LRU with a second index by e-mail, cleaned on eviction. */
    static final class GuestCache extends LinkedHashMap<String, GuestProfile> {
        final Map<String, GuestProfile> byEmail = new HashMap<>();
        long evicted;
        GuestCache() { super(4_096, 0.75f, true); }
        void add(GuestProfile p) { put(p.guestId(), p); byEmail.put(p.email(), p); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GuestProfile> eldest) {
            if (size() <= GUEST_CAP) return false;
            evicted++;
            byEmail.remove(eldest.getValue().email());
            return true;
        }
    }

    /** The duty manager's recent alerts, trimmed on every add. */
    static final class DutyBoard {
        final List<DutyAlert> recent = new ArrayList<>();
        long raised;
        void raise(DutyAlert a) { recent.add(a); raised++; if (recent.size() > ALERTS_MAX) recent.remove(0); }
    }

    static final Map<String, Hotel> HOTELS_BY_CODE = new HashMap<>();

    static final class ConciergeService {
        final Map<String, Booking> bookings = new HashMap<>();
        final GuestCache guests = new GuestCache();
        final DutyBoard duty = new DutyBoard();
        final ArrayDeque<byte[]> keyCardBuffers = new ArrayDeque<>();
        final RoomServiceOrder[] orders = new RoomServiceOrder[RING];
        long orderCount, guestLoads, guestHits;
    }

    static ConciergeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[2])); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_050_001);
        String[] hotelCodes = new String[HOTELS];
        for (int h = 0; h < HOTELS; h++) {
            double[] rates = new double[64];
            for (int k = 0; k < rates.length; k++) rates[k] = 80 + rnd.nextDouble() * 300;
            hotelCodes[h] = "HTL-" + (4_000 + h);
            HOTELS_BY_CODE.put(hotelCodes[h], new Hotel(hotelCodes[h], "City " + (h % 250), rates));
        }
        ConciergeService svc = new ConciergeService();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "BK" + Integer.toString(1_000_000 + b * 31, 36).toUpperCase();
            svc.bookings.put(refs[b], new Booking(refs[b], hotelCodes[rnd.nextInt(HOTELS)], "Guest " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.keyCardBuffers.add(new byte[32_768]);
        Random traffic = new Random(154_050_002);
        String[] items = {"Club sandwich", "Caesar salad", "Breakfast tray", "Champagne", "Extra towels", "Iron"};
        String[] kinds = {"MINIBAR_SENSOR", "LIFT_FAULT", "VIP_ARRIVAL", "NOISE_COMPLAINT", "LATE_CHECKOUT"};
        String[] langs = {"en", "de", "fr", "ja", "es"};
        int visitors = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String guestId = traffic.nextInt(5) == 0 ? "G" + (5_000_000 + traffic.nextInt(REGULARS)) : "G" + (6_000_000 + visitors++);
            GuestProfile p = svc.guests.get(guestId);
            if (p == null) {
                svc.guestLoads++;
                svc.guests.add(new GuestProfile(guestId, guestId.toLowerCase() + "@guest.example", langs[traffic.nextInt(langs.length)], new byte[200 + traffic.nextInt(200)], t));
            } else svc.guestHits++;
            String ref = refs[traffic.nextInt(BOOKINGS)];
            svc.orders[(int) (svc.orderCount++ % RING)] = new RoomServiceOrder(ref, items[traffic.nextInt(items.length)], 500 + traffic.nextInt(9_000), t);
            if (traffic.nextInt(5) == 0) svc.duty.raise(new DutyAlert("DA-" + i, hotelCodes[traffic.nextInt(HOTELS)], kinds[traffic.nextInt(kinds.length)], t, new byte[150 + traffic.nextInt(150)]));
            byte[] buf = svc.keyCardBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.keyCardBuffers.add(buf);
        }
        GuestCache g = svc.guests;
        System.out.println("stage " + stage + " hotels " + HOTELS_BY_CODE.size() + " bookings " + svc.bookings.size() + " guests " + g.size() + " byEmail " + g.byEmail.size() + " (evicted " + g.evicted + ", loads " + svc.guestLoads
                + ", hits " + svc.guestHits + ") alerts " + svc.duty.recent.size() + " raised " + svc.duty.raised + " orders " + svc.orderCount + " pool " + svc.keyCardBuffers.size());
        check(HOTELS_BY_CODE.size() == HOTELS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(g.size() == GUEST_CAP && g.byEmail.size() == GUEST_CAP && g.evicted > 0, "guest LRU and its index at cap");
        for (GuestProfile p : g.values()) check(g.byEmail.get(p.email()) == p, "index in step");
        check(svc.duty.recent.size() == Math.min(ALERTS_MAX, svc.duty.raised), "alerts trimmed");
        check(svc.keyCardBuffers.size() == POOL, "pool");
        check(svc.orderCount == requests && (requests < RING ? svc.orders[requests] == null : svc.orders[RING - 1] != null), "ring");
    }
}
