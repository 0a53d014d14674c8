// hprofscan-dump: name=val67-healthy-ziplineparks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val67-healthy-ziplineparks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 67 (written blind), HEALTHY: the booking and live-queue service of a chain of
 * zip-line adventure parks. Park reference data, the waiver directory, a cache of rendered course
 * maps at its cap, a ring of the last 16,384 rides, a pool of harness-telemetry buffers, one shared
 * request-timeout watchdog (a single-thread ScheduledThreadPoolExecutor: each booking request
 * schedules a 30 s timeout and cancels it when it completes, with remove-on-cancel, so the queue
 * is empty at rest), and a live wait-time board whose WebSocket sessions register a listener and
 * unregister it on close. The watchdog's one thread is the only thread besides main (it is the
 * look-alike, done right, of a thread per request). See VALIDATION67.md.
 */
public final class Val67HealthyZiplineParks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK_EVERY = 5_000L;
    static final int PARKS = 1_200, WAIVERS = 28_000, MAP_CAP = 2_000, RIDE_RING = 16_384, POOL = 10, RIDES_PER_HOUR = 6_000, BOOKINGS_PER_HOUR = 2_000, SESSIONS_PER_HOUR = 250, HOURS = 10;

    record Park(String code, String name, double[] windByHour) {}
    record Waiver(String waiverId, String parkCode, String guestName, byte[] signedForm, long signedAt) {}
    record CourseMap(String key, byte[] svg, long at) {}
    record Ride(String waiverId, String line, int seconds, long at) {}
    record WaitTime(String parkCode, int minutes, long at) {}

    static final class BookingRequest {
        final long id; final String waiverId; final long at; volatile boolean done, timedOut;
        BookingRequest(long id, String waiverId, long at) { this.id = id; this.waiverId = waiverId; this.at = at; }
    }

    interface WaitListener { void onUpdate(WaitTime w); }

    static final class BoardSession {
        final String sessionId; final String parkCode; final long openedAt; final byte[] sendBuffer = new byte[2_048];
        long closedAt; boolean closed; int pending; long frames;
        WaitListener listener;
        BoardSession(String sessionId, String parkCode, long openedAt) { this.sessionId = sessionId; this.parkCode = parkCode; this.openedAt = openedAt; }
    }

    static final class WaitBoard {
        final List<WaitListener> listeners = new ArrayList<>();
        final Map<String, BoardSession> open = new HashMap<>();
        long opened, closed, published;
        BoardSession connect(String id, String park, long at) {
            BoardSession s = new BoardSession(id, park, at);
            s.listener = w -> {
                if (s.pending + 24 > s.sendBuffer.length) { s.frames++; s.pending = 0; }
                s.sendBuffer[s.pending] = (byte) w.minutes();
                s.pending += 24;
            };
            listeners.add(s.listener);
            open.put(id, s);
            opened++;
            return s;
        }
        void disconnect(BoardSession s, long at) { s.closed = true; s.closedAt = at; listeners.remove(s.listener); open.remove(s.sessionId); closed++; }
        void publish(WaitTime w) { published++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onUpdate(w); }
    }

    static final class MapCache extends LinkedHashMap<String, CourseMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CourseMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Park> PARKS_BY_CODE = new HashMap<>();

    static final class ParkService {
        final Map<String, Waiver> waivers = new HashMap<>();
        final MapCache courseMaps = new MapCache();
        final Ride[] rideLog = new Ride[RIDE_RING];
        long rides;
        final ArrayDeque<byte[]> harnessBuffers = new ArrayDeque<>();
        final ScheduledThreadPoolExecutor watchdog;
        long bookings, timeoutsCancelled;
        final WaitBoard board = new WaitBoard();
        ParkService() {
            watchdog = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "booking-watchdog"); t.setDaemon(true); return t; });
            watchdog.setRemoveOnCancelPolicy(true);
        }
        void book(BookingRequest req) {
            ScheduledFuture<?> timeout = watchdog.schedule(() -> { if (!req.done) req.timedOut = true; }, 30, TimeUnit.SECONDS);
            bookings++;
            req.done = true; // the booking is written synchronously
            if (timeout.cancel(false)) timeoutsCancelled++;
        }
    }

    static ParkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(ParkService svc, String[] parkCodes, String[] waiverIds, long start, long end) {
        Random traffic = new Random(67_060_002), board = new Random(67_060_003);
        String[] lines = {"Red line", "Blue line", "Canopy tour", "Night flight", "Kids course", "Tandem"};
        PriorityQueue<long[]> closing = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<Long, BoardSession> byNo = new HashMap<>();
        int rides = RIDES_PER_HOUR * HOURS, bookingsEvery = RIDES_PER_HOUR / BOOKINGS_PER_HOUR, sessionsEvery = RIDES_PER_HOUR / SESSIONS_PER_HOUR;
        long nextTick = start;
        for (int i = 0; i < rides; i++) {
            long t = start + (end - MINUTE - start) * i / rides;
            while (nextTick <= t) {
                while (!closing.isEmpty() && closing.peek()[0] <= nextTick) { long[] c = closing.poll(); svc.board.disconnect(byNo.remove(c[1]), c[0]); }
                svc.board.publish(new WaitTime(parkCodes[board.nextInt(40)], board.nextInt(90), nextTick));
                nextTick += TICK_EVERY;
            }
            String waiver = waiverIds[traffic.nextInt(WAIVERS)];
            svc.rideLog[(int) (svc.rides++ % RIDE_RING)] = new Ride(waiver, lines[traffic.nextInt(lines.length)], 40 + traffic.nextInt(200), t);
            byte[] buf = svc.harnessBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.harnessBuffers.add(buf);
            String key = "map-" + parkCodes[traffic.nextInt(PARKS)] + "-" + traffic.nextInt(3);
            if (svc.courseMaps.get(key) == null) svc.courseMaps.put(key, new CourseMap(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % bookingsEvery == 0) svc.book(new BookingRequest(52_000_000L + i, waiverIds[traffic.nextInt(WAIVERS)], t));
            if (i % sessionsEvery == 0) {
                BoardSession s = svc.board.connect("wb-" + Long.toHexString(0x2b00_0000L + i), parkCodes[traffic.nextInt(40)], t);
                byNo.put((long) i, s);
                closing.add(new long[] {t + (1 + traffic.nextInt(60)) * MINUTE + traffic.nextInt(60_000), i});
            }
        }
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(67_060_001);
        String[] parkCodes = new String[PARKS];
        for (int p = 0; p < PARKS; p++) {
            double[] wind = new double[80];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 60;
            parkCodes[p] = "ZP-" + (100 + p);
            PARKS_BY_CODE.put(parkCodes[p], new Park(parkCodes[p], "Park " + p, wind));
        }
        ParkService svc = new ParkService();
        SERVICE = svc;
        String[] waiverIds = new String[WAIVERS];
        for (int w = 0; w < WAIVERS; w++) {
            waiverIds[w] = "WV" + (20_000_000 + w * 3);
            svc.waivers.put(waiverIds[w], new Waiver(waiverIds[w], parkCodes[rnd.nextInt(PARKS)], "Guest " + w, new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.harnessBuffers.add(new byte[32_768]);
        simulate(svc, parkCodes, waiverIds, start, end);
        WaitBoard bd = svc.board;
        System.out.println("parks " + PARKS_BY_CODE.size() + " waivers " + svc.waivers.size() + " rides " + svc.rides + " maps " + svc.courseMaps.size() + " (evicted " + svc.courseMaps.evicted + ") pool " + svc.harnessBuffers.size()
                + " bookings " + svc.bookings + " timeouts cancelled " + svc.timeoutsCancelled + " watchdog queue " + svc.watchdog.getQueue().size() + " board open " + bd.open.size() + " listeners " + bd.listeners.size()
                + " (opened " + bd.opened + ", closed " + bd.closed + ", updates " + bd.published + ")");
        check(PARKS_BY_CODE.size() == PARKS && svc.waivers.size() == WAIVERS, "reference data / directory");
        check(svc.rides == (long) RIDES_PER_HOUR * HOURS && svc.rideLog[RIDE_RING - 1] != null, "ride ring");
        check(svc.courseMaps.size() == MAP_CAP && svc.courseMaps.evicted > 0, "map cache at cap");
        check(svc.harnessBuffers.size() == POOL, "pool");
        check(svc.bookings == (long) BOOKINGS_PER_HOUR * HOURS && svc.timeoutsCancelled == svc.bookings && svc.watchdog.getQueue().isEmpty(), "watchdog: every timeout cancelled and removed");
        check(bd.listeners.size() == bd.open.size() && bd.opened == (long) SESSIONS_PER_HOUR * HOURS && bd.open.size() < 300, "board listeners of open sessions only");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
