// hprofscan-dump: name=val61-healthy-hostels-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val61-healthy-hostels-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val61-healthy-hostels jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val61-healthy-hostels-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 61 (written blind), HEALTHY: the booking engine of a hostel chain. Hostel
 * reference data, the bed-booking directory, a cache of rendered room pages at its cap, a pool of
 * key-card encoder buffers, a ring of door-lock events (fills during the first hours, then wraps),
 * a circuit-breaker registry keyed by downstream operation (one breaker per channel-manager /
 * payment / id-check operation, 8 in all), and per-endpoint latency windows (16 endpoints) trimmed
 * to the last 60 s on the same monotonic clock the samples are stamped with. See VALIDATION61.md.
 */
public final class Val61HealthyHostels {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW_NANOS = 60_000_000_000L;
    static final int HOSTELS = 1_200, BOOKINGS = 25_000, PAGE_CAP = 2_000, POOL = 8, DOOR_RING = 8_192, EVENTS_PER_HOUR = 6_000, OUTCOMES = 16;
    static final String[] OPERATIONS = {
        "GET channel-manager /v2/properties/{id}/availability", "POST channel-manager /v2/reservations", "DELETE channel-manager /v2/reservations/{id}",
        "POST payments /v3/charges", "POST payments /v3/refunds", "POST id-check /v1/documents", "GET rates /v1/hostels/{id}/rates", "POST mailer /v1/messages"};
    static final String[] ENDPOINTS = {
        "GET /hostels", "GET /hostels/{id}", "GET /hostels/{id}/beds", "POST /bookings", "GET /bookings/{id}", "DELETE /bookings/{id}",
        "POST /bookings/{id}/checkin", "POST /bookings/{id}/checkout", "GET /guests/{id}", "PUT /guests/{id}", "POST /keycards",
        "GET /events", "POST /events/{id}/signup", "GET /reviews/{hostel}", "POST /reviews", "GET /health"};

    record Hostel(String code, String city, double[] occupancyByWeek) {}
    record BedBooking(String bookingRef, String hostelCode, String guestName, byte[] guestDetails, long bookedAt) {}
    record RoomPage(String key, byte[] rendered, long at) {}
    record DoorEvent(String bookingRef, String door, boolean granted, long at) {}
    record Sample(long monoNanos, long wallMs, int micros, String requestId) {}

    static final class CircuitBreaker {
        final String operation;
        final byte[] outcomes = new byte[OUTCOMES];
        final int[] latencyMs = new int[OUTCOMES];
        int pos;
        long calls, failures, lastCallAt;
        CircuitBreaker(String operation) { this.operation = operation; }
        void record(boolean ok, int ms, long at) { outcomes[pos] = (byte) (ok ? 1 : 2); latencyMs[pos] = ms; pos = (pos + 1) % OUTCOMES; calls++; if (!ok) failures++; lastCallAt = at; }
    }

    /** Keyed by downstream operation (a fixed set), never by request URL. */
    static final class BreakerRegistry {
        final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
        CircuitBreaker forOperation(String op) { return breakers.computeIfAbsent(op, CircuitBreaker::new); }
    }

    static final class LatencyWindow {
        final String endpoint;
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        long recorded, trimmed;
        LatencyWindow(String endpoint) { this.endpoint = endpoint; }
        void record(Sample s) { samples.addLast(s); recorded++; trim(s.monoNanos()); }
        void trim(long nowMonoNanos) { while (!samples.isEmpty() && samples.peekFirst().monoNanos() < nowMonoNanos - WINDOW_NANOS) { samples.pollFirst(); trimmed++; } }
    }

    static final class DoorLog {
        final DoorEvent[] items = new DoorEvent[DOOR_RING];
        int head, size; long written;
        void add(DoorEvent e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final class PageCache extends LinkedHashMap<String, RoomPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RoomPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hostel> HOSTELS_BY_CODE = new HashMap<>();

    static final class BookingEngine {
        final Map<String, BedBooking> bookings = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> keycardBuffers = new ArrayDeque<>();
        final DoorLog doors = new DoorLog();
        final BreakerRegistry breakers = new BreakerRegistry();
        final Map<String, LatencyWindow> latency = new LinkedHashMap<>();
        BookingEngine() { for (String e : ENDPOINTS) latency.put(e, new LatencyWindow(e)); }
    }

    static BookingEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        long bootWallMs = end - 8 * HOUR - 2 * DAY - 41 * MINUTE; // same host boot in every stage
        Random rnd = new Random(61_050_001);
        String[] hostelCodes = new String[HOSTELS];
        for (int h = 0; h < HOSTELS; h++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            hostelCodes[h] = "HST-" + (400 + h);
            HOSTELS_BY_CODE.put(hostelCodes[h], new Hostel(hostelCodes[h], "City " + (h % 350), occ));
        }
        BookingEngine svc = new BookingEngine();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "HB" + (81_000_000 + b * 9);
            svc.bookings.put(refs[b], new BedBooking(refs[b], hostelCodes[rnd.nextInt(HOSTELS)], "Guest " + rnd.nextInt(90_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.keycardBuffers.add(new byte[32_768]);
        Random traffic = new Random(61_050_002);
        for (int i = 0; i < events; i++) {
            long t = start + (end - start) * i / events;
            long mono = (t - bootWallMs) * 1_000_000L + traffic.nextInt(1_000_000);
            String ref = refs[traffic.nextInt(BOOKINGS)];
            svc.doors.add(new DoorEvent(ref, "Door " + (char) ('A' + traffic.nextInt(6)), traffic.nextInt(30) != 0, t));
            svc.latency.get(ENDPOINTS[traffic.nextInt(ENDPOINTS.length)]).record(new Sample(mono, t, 700 + traffic.nextInt(60_000), Long.toHexString(0x6100_0000_0000L + i * 5L)));
            svc.breakers.forOperation(OPERATIONS[traffic.nextInt(OPERATIONS.length)]).record(traffic.nextInt(50) != 0, 15 + traffic.nextInt(300), t);
            String key = "room-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new RoomPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.keycardBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.keycardBuffers.add(buf);
        }
        long monoEnd = (end - bootWallMs) * 1_000_000L;
        int held = 0;
        for (LatencyWindow w : svc.latency.values()) { w.trim(monoEnd); held += w.samples.size(); }
        System.out.println("stage " + stage + " hostels " + HOSTELS_BY_CODE.size() + " bookings " + svc.bookings.size() + " door log " + svc.doors.size + " (written " + svc.doors.written + ", head " + svc.doors.head + ") breakers " + svc.breakers.breakers.size()
                + " latency samples held " + held + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.keycardBuffers.size());
        check(HOSTELS_BY_CODE.size() == HOSTELS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.doors.written == events && svc.doors.size == Math.min(events, DOOR_RING), "door ring");
        check(svc.breakers.breakers.size() == OPERATIONS.length, "one breaker per operation");
        check(svc.latency.size() == ENDPOINTS.length && held > 0 && held < 200, "latency windows hold the last 60 s: " + held);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.keycardBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
