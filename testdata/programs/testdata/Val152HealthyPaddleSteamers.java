// hprofscan-dump: name=val152-healthy-paddlesteamers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val152-healthy-paddlesteamers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val152-healthy-paddlesteamers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val152-healthy-paddlesteamers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 152 (written blind), HEALTHY: the boarding service of a lake paddle-steamer
 * company. Pier reference data, the booking directory, a cache of rendered boarding passes at its
 * cap, a pool of scanner buffers, a ring of gangway scans (fills, then wraps), a metrics registry
 * whose timers are tagged only with the route and the result (a small fixed set), and a seat-
 * release scheduler: each check-in schedules a 45-minute release task that boarding cancels, on
 * an executor with setRemoveOnCancelPolicy(true), so only the not-yet-boarded check-ins are
 * queued. Warms up, then plateaus. See VALIDATION152.md.
 */
public final class Val152HealthyPaddleSteamers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PIERS = 1_300, BOOKINGS = 25_000, PASS_CAP = 2_000, POOL = 8, RING = 16_384, CHECKINS_PER_HOUR = 6_000, BUCKETS = 64;

    record Pier(String code, String lake, double[] timetable) {}
    record Booking(String ref, String passenger, String route, byte[] ticketDetails, long bookedAt) {}
    record BoardingPass(String key, byte[] rendered, long at) {}
    record Scan(String bookingRef, String gangway, long at) {}
    record TagSet(String route, String result) {}

    static final class Timer {
        long count, totalMicros; final long[] buckets = new long[BUCKETS];
        void record(long micros) { count++; totalMicros += micros; buckets[Math.min(BUCKETS - 1, (int) (4 * Math.log(1 + micros / 1000.0) / Math.log(2)))]++; }
    }

    static final class MetricsRegistry {
        final Map<String, Map<TagSet, Timer>> timers = new HashMap<>();
        Timer timer(String name, TagSet t) { return timers.computeIfAbsent(name, n -> new HashMap<>()).computeIfAbsent(t, k -> new Timer()); }
        int count() { int n = 0; for (Map<TagSet, Timer> m : timers.values()) n += m.size(); return n; }
    }

    static final class PassCache extends LinkedHashMap<String, BoardingPass> {
        long evicted;
        PassCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BoardingPass> e) { if (size() > PASS_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pier> PIERS_BY_CODE = new HashMap<>();

    static final class BoardingService {
        final Map<String, Booking> bookings = new HashMap<>();
        final PassCache passes = new PassCache();
        final ArrayDeque<byte[]> scannerBuffers = new ArrayDeque<>();
        final Scan[] scans = new Scan[RING];
        long scanned, checkIns, boarded;
        final MetricsRegistry metrics = new MetricsRegistry();
        final ScheduledThreadPoolExecutor seatRelease = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "seat-release"); t.setDaemon(true); return t; });
        final Map<String, ScheduledFuture<?>> awaitingBoarding = new HashMap<>();
        BoardingService() { seatRelease.setRemoveOnCancelPolicy(true); }

        void checkIn(Booking b) {
            checkIns++;
            awaitingBoarding.put(b.ref(), seatRelease.schedule(() -> release(b), 45, TimeUnit.MINUTES));
        }
        synchronized void release(Booking b) { awaitingBoarding.remove(b.ref()); }
        void board(Booking b, String gangway, long at) {
            ScheduledFuture<?> f = awaitingBoarding.remove(b.ref());
            f.cancel(false); // removed from the queue: remove-on-cancel policy
            boarded++;
            scans[(int) (scanned++ % RING)] = new Scan(b.ref(), gangway, at);
        }
    }

    static BoardingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int checkIns = CHECKINS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(152_050_001);
        String[] routes = new String[12];
        for (int r = 0; r < routes.length; r++) routes[r] = "route-" + (char) ('A' + r);
        for (int p = 0; p < PIERS; p++) {
            double[] tt = new double[64];
            for (int k = 0; k < tt.length; k++) tt[k] = rnd.nextDouble() * 24;
            String code = "PIER-" + (p / 100) + "-" + (p % 100);
            PIERS_BY_CODE.put(code, new Pier(code, "Lake " + (p / 100), tt));
        }
        BoardingService svc = new BoardingService();
        SERVICE = svc;
        Booking[] bookings = new Booking[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            String ref = "PS" + (10_000_000 + b * 9);
            bookings[b] = new Booking(ref, "Passenger " + b, routes[b % routes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR);
            svc.bookings.put(ref, bookings[b]);
        }
        for (int b = 0; b < POOL; b++) svc.scannerBuffers.add(new byte[32_768]);
        String[] results = {"ok", "rejected", "late", "error"};
        Random traffic = new Random(152_050_002);
        PriorityQueue<long[]> boardings = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int next = 0;
        for (int i = 0; i < checkIns; i++) {
            long t = start + (end - MINUTE - start) * i / checkIns;
            while (!boardings.isEmpty() && boardings.peek()[0] <= t) {
                long[] e = boardings.poll();
                svc.board(bookings[(int) e[1]], "Gangway " + (e[1] % 3), e[0]);
            }
            int idx = next; next = (next + 1) % BOOKINGS; // every booking checks in at most once per day
            Booking b = bookings[idx];
            svc.checkIn(b);
            boardings.add(new long[] {t + (5 + traffic.nextInt(36)) * MINUTE, idx});
            svc.metrics.timer("gangway.scan", new TagSet(b.route(), results[traffic.nextInt(results.length)])).record(5_000 + traffic.nextInt(200_000));
            svc.metrics.timer("checkin.api", new TagSet(b.route(), results[traffic.nextInt(2)])).record(20_000 + traffic.nextInt(400_000));
            String key = "pass-" + traffic.nextInt(4_000);
            if (svc.passes.get(key) == null) svc.passes.put(key, new BoardingPass(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.scannerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scannerBuffers.add(buf);
        }
        while (!boardings.isEmpty() && boardings.peek()[0] <= end) {
            long[] e = boardings.poll();
            svc.board(bookings[(int) e[1]], "Gangway " + (e[1] % 3), e[0]);
        }
        int waiting = boardings.size();
        int queued = svc.seatRelease.getQueue().size();
        System.out.println("stage " + stage + " piers " + PIERS_BY_CODE.size() + " bookings " + svc.bookings.size() + " check-ins " + svc.checkIns + " boarded " + svc.boarded + " awaiting " + svc.awaitingBoarding.size() + " release queue " + queued
                + " timers " + svc.metrics.count() + " scans " + svc.scanned + " passes " + svc.passes.size() + " (evicted " + svc.passes.evicted + ") pool " + svc.scannerBuffers.size());
        check(PIERS_BY_CODE.size() == PIERS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.checkIns == checkIns && svc.boarded + waiting == checkIns && svc.awaitingBoarding.size() == waiting && queued == waiting, "release queue: " + queued);
        check(svc.metrics.count() == routes.length * (results.length + 2), "timers: " + svc.metrics.count());
        check(svc.scanned == svc.boarded && svc.scans[(int) Math.min(RING, svc.scanned) - 1] != null, "ring");
        check(svc.passes.size() == PASS_CAP && svc.passes.evicted > 0, "pass cache at cap");
        check(svc.scannerBuffers.size() == POOL, "pool");
    }

    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
