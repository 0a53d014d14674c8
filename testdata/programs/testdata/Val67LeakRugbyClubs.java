// hprofscan-dump: name=val67-leak-rugbyclubs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val67-leak-rugbyclubs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 67 (written blind), LEAK: the match-ticket API of a regional rugby union's clubs.
 * Club reference data, the member directory, a cache of rendered fixture pages at its cap, a pool
 * of ticket-PDF buffers, a ring of recent ticket sales, the in-flight request registry, and a
 * per-request timeout watchdog: every request starts its own thread (named after the request) that
 * would cancel the request if it ran over 30 s. The watchdog was written as a reusable component
 * that waits for stop() once its request is done; nobody calls stop(), so after the request
 * completes each watchdog thread parks forever, keeping its request (body and rendered response)
 * reachable from a live thread. This is the one program of the set that starts threads besides
 * main, because the cause needs them. See VALIDATION67.md.
 */
public final class Val67LeakRugbyClubs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLUBS = 1_000, MEMBERS = 26_000, PAGE_CAP = 600, POOL = 8, RING = 1_024, REQUESTS = 2_400, HOURS = 6;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    static boolean FIXED;
    static final AtomicInteger PARKED_AFTER_DONE = new AtomicInteger(), EXITED = new AtomicInteger(), TIMED_OUT = new AtomicInteger();

    record Club(String code, String name, double[] attendanceByRound) {}
    record Member(String memberId, String clubCode, String name, byte[] membershipRecord, long joinedAt) {}
    record FixturePage(String key, byte[] html, long at) {}
    record TicketSale(String memberId, String fixture, int seats, long at) {}

    static final class MatchRequest {
        final long id; final String memberId, path; final long receivedAt; final byte[] body;
        long completedAt; byte[] response; volatile boolean done, cancelled;
        MatchRequest(long id, String memberId, String path, long receivedAt, byte[] body) { this.id = id; this.memberId = memberId; this.path = path; this.receivedAt = receivedAt; this.body = body; }
    }

    /** Cancels its request if it is not done within the timeout. */
    static final class Watchdog implements Runnable {
        final MatchRequest request; volatile boolean stopRequested;
        Watchdog(MatchRequest request) { this.request = request; }
        void stop() { stopRequested = true; }
        @Override public void run() {
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (!request.done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) { request.cancelled = true; TIMED_OUT.incrementAndGet(); break; }
                LockSupport.parkNanos(this, left);
            }
            if (FIXED) { EXITED.incrementAndGet(); return; } // fixed: the thread ends with its request
            PARKED_AFTER_DONE.incrementAndGet();
            while (!stopRequested) LockSupport.park(this); // BUG: waits for stop(), which nobody calls
        }
    }

    static final class PageCache extends LinkedHashMap<String, FixturePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FixturePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class TicketApi {
        final Map<String, Member> members = new HashMap<>();
        final PageCache fixturePages = new PageCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final TicketSale[] recentSales = new TicketSale[RING];
        long sales, handled;
        final Map<Long, MatchRequest> inFlight = new HashMap<>();

        void handle(MatchRequest req, String[] clubCodes, Random traffic, long t) {
            inFlight.put(req.id, req);
            Thread watchdog = new Thread(new Watchdog(req), "watchdog-req-" + req.id);
            watchdog.setDaemon(true);
            watchdog.start();
            String club = clubCodes[traffic.nextInt(CLUBS)];
            String key = "fixtures-" + club + "-r" + traffic.nextInt(4);
            FixturePage page = fixturePages.get(key);
            if (page == null) { page = new FixturePage(key, new byte[400 + traffic.nextInt(400)], t); fixturePages.put(key, page); }
            int seats = 1 + traffic.nextInt(4);
            recentSales[(int) (sales++ % RING)] = new TicketSale(req.memberId, club + " v " + clubCodes[traffic.nextInt(CLUBS)], seats, t);
            byte[] pdf = pdfBuffers.poll();
            pdf[(int) (req.id % pdf.length)] = (byte) seats;
            pdfBuffers.add(pdf);
            req.response = new byte[1_000 + traffic.nextInt(1_000)];
            req.completedAt = t + 40 + traffic.nextInt(400);
            req.done = true;
            inFlight.remove(req.id);
            handled++;
            LockSupport.unpark(watchdog);
        }
    }

    static TicketApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int liveWatchdogThreads() {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("watchdog-req-")) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val67.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(67_040_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = 200 + rnd.nextDouble() * 9_000;
            clubCodes[c] = "RFC-" + (1_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Club " + c, att));
        }
        TicketApi api = new TicketApi();
        SERVICE = api;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "M" + (3_300_000 + m * 9);
            api.members.put(memberIds[m], new Member(memberIds[m], clubCodes[rnd.nextInt(CLUBS)], "Member " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) api.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(67_040_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String member = memberIds[traffic.nextInt(MEMBERS)];
            MatchRequest req = new MatchRequest(71_000_000L + i, member, "/api/v2/members/" + member + "/tickets?fixture=" + traffic.nextInt(900), t, new byte[600 + traffic.nextInt(600)]);
            api.handle(req, clubCodes, traffic, t);
        }
        // let every watchdog see its request completed (up to 60 s of real time)
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((FIXED ? EXITED.get() : PARKED_AFTER_DONE.get()) < REQUESTS && System.nanoTime() < waitUntil) Thread.sleep(20);
        if (FIXED) while (liveWatchdogThreads() > 0 && System.nanoTime() < waitUntil) Thread.sleep(20);
        int live = liveWatchdogThreads();
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " members " + api.members.size() + " requests " + api.handled + " in flight " + api.inFlight.size() + " watchdog threads alive " + live
                + " (parked after done " + PARKED_AFTER_DONE.get() + ", exited " + EXITED.get() + ", timed out " + TIMED_OUT.get() + ") pages " + api.fixturePages.size() + " (evicted " + api.fixturePages.evicted + ") pool " + api.pdfBuffers.size() + " sales " + api.sales);
        check(CLUBS_BY_CODE.size() == CLUBS && api.members.size() == MEMBERS, "reference data / directory");
        check(api.handled == REQUESTS && api.inFlight.isEmpty() && TIMED_OUT.get() == 0, "requests");
        if (FIXED) check(EXITED.get() == REQUESTS && live == 0, "fixed: watchdogs exit: " + live);
        else check(PARKED_AFTER_DONE.get() == REQUESTS && live == REQUESTS, "one parked watchdog thread per request: " + live);
        check(api.fixturePages.size() == PAGE_CAP && api.fixturePages.evicted > 0, "page cache at cap");
        check(api.pdfBuffers.size() == POOL && api.recentSales[(int) Math.min(api.sales, RING) - 1] != null, "pool / sales ring");
        LeakCheck.histogram("java.lang.Thread ", "java.lang.Object ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
