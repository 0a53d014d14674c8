// hprofscan-dump: name=val24-leak-hotdesking-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val24-leak-hotdesking-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val24-leak-hotdesking jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val24-leak-hotdesking-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 24 (written blind), LEAK: the desk-booking service of a hot-desking office. Every
 * booking offers a notification to a hand-written array-backed outbox ({@code NotificationOutbox}:
 * {@code Object[] items}, {@code int head}, {@code int tail}); a delivery step polls it. The bug:
 * {@code poll()} advances {@code head} but never nulls the slot, and {@code offer()} grows the array
 * (copy, doubling) when {@code tail} reaches its end instead of compacting: the outbox's size
 * ({@code tail - head}) stays small while its array keeps every notification ever offered
 * (obsolete references). Beside it: floor plans, the employee directory, a desk-map cache at its
 * cap, a badge-print buffer pool, an event ring. Series: stage 1 simulates 2 h, stage 2 4 h, stage
 * 3 8 h. See testdata/VALIDATION24.md.
 */
public final class Val24LeakHotDesking {
    static final long HOUR = 3_600_000L;
    static final int FLOORS = 800, EMPLOYEES = 30_000, MAP_CAP = 2_000, POOL = 16, RING = 8_192;
    static boolean FIXED;

    record Floor(String code, String building, int[] deskLayout) {}
    record Employee(String id, String team, long joinedAt, byte[] profile) {}
    record DeskMap(String key, byte[] svg) {}
    record Event(String employeeId, String desk, long at) {}
    static final class Notification {
        final String bookingId; final String employeeId; final long createdAt; final byte[] payload;
        Notification(String bookingId, String employeeId, long createdAt, byte[] payload) { this.bookingId = bookingId; this.employeeId = employeeId; this.createdAt = createdAt; this.payload = payload; }
    }

    /** Array-backed FIFO of notifications waiting for the push gateway. */
    static final class NotificationOutbox {
        Object[] items = new Object[64];
        int head, tail;

        void offer(Object n) {
            if (tail == items.length) {
                if (FIXED && head > 0) { // the fix: compact instead of growing
                    int n0 = tail - head;
                    System.arraycopy(items, head, items, 0, n0);
                    Arrays.fill(items, n0, tail, null);
                    head = 0; tail = n0;
                    if (tail == items.length) items = Arrays.copyOf(items, items.length * 2);
                } else {
                    items = Arrays.copyOf(items, items.length * 2); // BUG: grows, never reuses the polled prefix
                }
            }
            items[tail++] = n;
        }

        Object poll() {
            if (head == tail) return null;
            Object n = items[head];
            if (FIXED) items[head] = null; // BUG: the slot is never cleared
            head++;
            return n;
        }

        int size() { return tail - head; }
    }

    static final class DeskMapCache extends LinkedHashMap<String, DeskMap> {
        long evicted;
        DeskMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeskMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Floor> FLOORS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Employee> employees = new HashMap<>();
        final DeskMapCache deskMaps = new DeskMapCache();
        final ArrayDeque<byte[]> badgeBuffers = new ArrayDeque<>();
        final Event[] events = new Event[RING];
        final NotificationOutbox outbox = new NotificationOutbox();
        long eventCount, bookings, delivered;
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val24.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int bookings = stage == 1 ? 10_000 : stage == 2 ? 20_000 : 40_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(24_010_001);
        String[] buildings = {"North", "South", "Harbour", "Mill", "Quay"};
        for (int f = 0; f < FLOORS; f++) {
            int[] layout = new int[512];
            for (int k = 0; k < layout.length; k++) layout[k] = rnd.nextInt(4_096);
            String code = "FL-" + (100 + f);
            FLOORS_BY_CODE.put(code, new Floor(code, buildings[f % buildings.length], layout));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int e = 0; e < EMPLOYEES; e++) {
            String id = "EMP-" + (500_000 + e);
            svc.employees.put(id, new Employee(id, "team-" + rnd.nextInt(600), now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR, new byte[200 + rnd.nextInt(200)]));
        }
        for (int i = 0; i < POOL; i++) svc.badgeBuffers.add(new byte[32_768]);
        Random traffic = new Random(24_010_002);
        for (int b = 0; b < bookings; b++) {
            long t = start + (now - start) * b / bookings;
            String emp = "EMP-" + (500_000 + traffic.nextInt(EMPLOYEES));
            String floor = "FL-" + (100 + traffic.nextInt(FLOORS));
            String desk = floor + "-D" + traffic.nextInt(512);
            String mapKey = floor + "@" + traffic.nextInt(6);
            if (svc.deskMaps.get(mapKey) == null) svc.deskMaps.put(mapKey, new DeskMap(mapKey, new byte[1_024 + traffic.nextInt(1_024)]));
            svc.events[(int) (svc.eventCount++ % RING)] = new Event(emp, desk, t);
            svc.outbox.offer(new Notification("BKG-" + (70_000_000 + b), emp, t, new byte[64 + traffic.nextInt(128)]));
            svc.bookings++;
            if (svc.outbox.size() > 40) { // the push gateway takes a batch of 25
                for (int k = 0; k < 25; k++) { if (svc.outbox.poll() == null) throw new IllegalStateException(); svc.delivered++; }
            }
        }
        int slots = 0;
        for (Object o : svc.outbox.items) if (o != null) slots++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " floors " + FLOORS_BY_CODE.size() + " employees " + svc.employees.size() + " bookings " + svc.bookings
                + " delivered " + svc.delivered + " outbox size " + svc.outbox.size() + " head " + svc.outbox.head + " tail " + svc.outbox.tail + " array " + svc.outbox.items.length
                + " non-null slots " + slots + " deskMaps " + svc.deskMaps.size() + " (evicted " + svc.deskMaps.evicted + ") events " + svc.eventCount + " pool " + svc.badgeBuffers.size());
        check(FLOORS_BY_CODE.size() == FLOORS && svc.employees.size() == EMPLOYEES, "reference data / directory");
        check(svc.bookings == bookings && svc.delivered + svc.outbox.size() == bookings && svc.outbox.size() <= 40, "outbox size");
        check(slots == (FIXED ? svc.outbox.size() : bookings), "outbox slots " + slots);
        check(svc.deskMaps.size() == MAP_CAP && svc.deskMaps.evicted > 0, "desk map cache at its cap");
        check(svc.eventCount == bookings && svc.events[RING - 1] != null, "event ring");
        check(svc.badgeBuffers.size() == POOL, "badge buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
