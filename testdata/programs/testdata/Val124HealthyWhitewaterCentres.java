// hprofscan-dump: name=val124-healthy-whitewatercentres jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val124-healthy-whitewatercentres-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 124 (written blind), HEALTHY: the bookings and river operations service of a group
 * of white-water rafting centres. River-section reference data, the customer directory with signed
 * waivers, a river-flow forecast grid (one large constant array), a cache of waiver PDFs at its
 * cap, a pool of photo buffers, a ring of trip-log entries and the minibus shuttle queue with its
 * backlog, plus bounded look-alikes of the set's leaks: the photo-pack and SMS executors and the
 * housekeeping scheduler are created once at startup; the metrics registry is tagged with URI
 * templates, status codes, river grades and trip outcomes only; the kiosk / web session store's
 * sweeper runs every 5 minutes, survives a bad session (it catches per session) and removes idle
 * sessions; photo packages for the gallery partner are retried at most 4 times with back-off and
 * then dead-lettered into a list capped at 40. See VALIDATION124.md.
 */
public final class Val124HealthyWhitewaterCentres {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, TICK = 5 * MINUTE, IDLE_TIMEOUT = 30 * MINUTE;
    static final int SECTIONS = 400, CUSTOMERS = 20_000, WAIVER_CAP = 2_000, POOL = 10, RING = 1_024, HOURS = 10, REQ_PER_HOUR = 4_000,
            TRIPS_PER_HOUR = 60, FORECAST_SECTIONS = 300, FORECAST_MINUTES = 1_440, MAX_ATTEMPTS = 4, DEAD_LETTER_CAP = 40;
    static final String[] GRADES = {"II", "III", "IV", "V"};
    static final String[] OUTCOMES = {"completed", "shortened-high-water", "cancelled-low-water", "swimmer-recovered", "portaged"};

    record RiverSection(String code, String river, String grade, double[] flowByMonth) {}
    record Customer(String bookingRef, String name, String phone, byte[] waiver, long signedAt) {}
    record WaiverPdf(String bookingRef, byte[] pdf, long at) {}
    record TripLog(String tripId, String section, String guide, int rafts, String outcome, long at) {}
    record ShuttleRun(String tripId, String pickUp, int seats, long departsAt) {}

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix; final AtomicInteger next = new AtomicInteger();
        NamedThreadFactory(String prefix) { this.prefix = prefix; }
        @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, prefix + next.incrementAndGet()); t.setDaemon(true); return t; }
    }

    /** A per-thread JPEG scratch buffer of the photo-pack workers (threads created once). */
    static final class PhotoScratch {
        static final ThreadLocal<PhotoScratch> LOCAL = ThreadLocal.withInitial(PhotoScratch::new);
        final byte[] jpeg = new byte[16_384];
        long packs;
    }

    // ---- metrics (bounded tags) ----------------------------------------------------------------
    record MeterKey(String name, String tag1, String tag2) {}
    static final class Timer { long count, total, max; final long[] buckets = new long[48];
        void record(long micros) { count++; total += micros; max = Math.max(max, micros); buckets[Math.min(47, 63 - Long.numberOfLeadingZeros(Math.max(1, micros)))]++; } }
    static final class Metrics {
        final ConcurrentHashMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();
        final ConcurrentHashMap<MeterKey, AtomicLong> counters = new ConcurrentHashMap<>();
        void time(String name, String t1, String t2, long micros) { timers.computeIfAbsent(new MeterKey(name, t1, t2), k -> new Timer()).record(micros); }
        void count(String name, String t1, String t2) { counters.computeIfAbsent(new MeterKey(name, t1, t2), k -> new AtomicLong()).incrementAndGet(); }
    }

    // ---- sessions, swept by the housekeeping scheduler ------------------------------------------
    static final class WebSession {
        final String id, bookingRef, channel; final long createdAt; volatile long lastSeen;
        final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, String bookingRef, String channel, long createdAt) { this.id = id; this.bookingRef = bookingRef; this.channel = channel; this.createdAt = createdAt; this.lastSeen = createdAt; }
    }
    static final class SessionStore {
        final ConcurrentHashMap<String, WebSession> sessions = new ConcurrentHashMap<>();
        ScheduledFuture<?> sweeperHandle;
        volatile long clock, sweptUpTo;
        long sweeps, expired, sweepErrors;
        void start(ScheduledExecutorService scheduler, long now) { clock = now; sweptUpTo = now; sweeperHandle = scheduler.scheduleAtFixedRate(this::sweepIfDue, 1, 1, TimeUnit.MILLISECONDS); }
        void sweepIfDue() {
            long now = clock;
            if (now <= sweptUpTo) return;
            sweep(now);
            synchronized (this) { sweptUpTo = now; notifyAll(); }
        }
        void sweep(long now) {
            sweeps++;
            List<WebSession> idle = new ArrayList<>();
            for (WebSession s : sessions.values()) if (now - s.lastSeen > IDLE_TIMEOUT) idle.add(s);
            idle.sort(Comparator.comparingLong((WebSession s) -> s.lastSeen).thenComparing(s -> s.id));
            for (WebSession s : idle) {
                try {
                    // releases the raft-seat hold of an unpaid basket; a kiosk session has no basket
                    Integer seats = (Integer) s.attributes.get("heldSeats");
                    if (s.channel.equals("web")) heldSeatsReleased += seats;
                } catch (RuntimeException e) {
                    sweepErrors++; // logged, and the session is removed all the same
                }
                sessions.remove(s.id);
                expired++;
            }
        }
        long heldSeatsReleased;
        void advanceTo(long now) throws InterruptedException {
            clock = now;
            synchronized (this) { while (sweptUpTo < now && !sweeperHandle.isDone()) wait(20); }
        }
    }

    // ---- gallery partner outbox: bounded retries -------------------------------------------------
    static final class PhotoPackage {
        final String tripId; final byte[] manifest; final long createdAt; int attempts; long nextAttemptAt; String lastError;
        PhotoPackage(String tripId, byte[] manifest, long createdAt) { this.tripId = tripId; this.manifest = manifest; this.createdAt = createdAt; this.nextAttemptAt = createdAt; }
    }
    static final class GalleryOutbox {
        final ArrayDeque<PhotoPackage> retry = new ArrayDeque<>();
        final ArrayDeque<PhotoPackage> deadLetters = new ArrayDeque<>();
        long posted, delivered, deadLettered, dropped;
        String post(PhotoPackage p, long t, long start) {
            posted++;
            if (((t - start) / MINUTE) % 97 < 25) return "504 Gateway Timeout (snapriver-gallery)"; // the partner's nightly maintenance pattern
            if (p.tripId.hashCode() % 9 == 0) return "413 Payload Too Large";
            return null;
        }
        void attempt(PhotoPackage p, long t, long start) {
            p.attempts++;
            String err = post(p, t, start);
            if (err == null) { delivered++; return; }
            p.lastError = err;
            if (p.attempts >= MAX_ATTEMPTS) {
                deadLettered++;
                deadLetters.addLast(p);
                if (deadLetters.size() > DEAD_LETTER_CAP) { deadLetters.removeFirst(); dropped++; }
            } else {
                p.nextAttemptAt = t + (5L << p.attempts) * MINUTE;
                retry.addLast(p);
            }
        }
        void retryDue(long t, long start) {
            int n = retry.size();
            for (int k = 0; k < n; k++) { PhotoPackage p = retry.pollFirst(); if (p.nextAttemptAt <= t) attempt(p, t, start); else retry.addLast(p); }
        }
    }

    static final class WaiverCache extends LinkedHashMap<String, WaiverPdf> {
        long evicted;
        WaiverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WaiverPdf> e) { if (size() > WAIVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RiverSection> SECTIONS_BY_CODE = new HashMap<>();

    static final class CentreService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] bookingRefs = new String[CUSTOMERS];
        final double[] flowForecast = new double[FORECAST_SECTIONS * FORECAST_MINUTES];
        final WaiverCache waivers = new WaiverCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final TripLog[] tripLog = new TripLog[RING];
        final ArrayDeque<ShuttleRun> shuttleQueue = new ArrayDeque<>();
        final ExecutorService photoPool = Executors.newFixedThreadPool(4, new NamedThreadFactory("photo-pack-"));
        final ExecutorService smsPool = Executors.newFixedThreadPool(2, new NamedThreadFactory("sms-"));
        final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("housekeeping-"));
        final Metrics metrics = new Metrics();
        final SessionStore sessions = new SessionStore();
        final GalleryOutbox gallery = new GalleryOutbox();
        final AtomicLong smsSent = new AtomicLong();
        long requests, trips, logEntries, shuttlesBooked, shuttlesLeft, kioskSessions, webSessions;

        void trip(String[] sections, Random r, long t, long start) throws Exception {
            String section = sections[r.nextInt(SECTIONS)];
            RiverSection rs = SECTIONS_BY_CODE.get(section);
            String tripId = "TR" + (880_000 + trips);
            int rafts = 2 + r.nextInt(6);
            String outcome = OUTCOMES[r.nextInt(10) < 6 ? 0 : r.nextInt(OUTCOMES.length)];
            int photos = 40 + r.nextInt(120);
            List<Callable<Integer>> pack = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int share = photos / 4;
                pack.add(() -> { PhotoScratch s = PhotoScratch.LOCAL.get(); s.packs++; s.jpeg[share] ^= 1; return share; });
            }
            int packed = 0;
            for (Future<Integer> f : photoPool.invokeAll(pack)) packed += f.get();
            smsPool.submit(() -> smsSent.incrementAndGet()).get();
            for (int k = 0; k < 3; k++) tripLog[(int) (logEntries++ % RING)] = new TripLog(tripId, section, "guide-" + r.nextInt(80), rafts, k < 2 ? "launched" : outcome, t + k * 30 * MINUTE);
            shuttleQueue.addLast(new ShuttleRun(tripId, "take-out " + section, rafts * 7, t + 90 * MINUTE));
            shuttlesBooked++;
            metrics.count("trips.outcome", rs.grade(), outcome);
            gallery.attempt(new PhotoPackage(tripId, new byte[600 + r.nextInt(600) + packed], t), t, start);
            byte[] buf = photoBuffers.poll(); buf[(int) (trips % buf.length)] = (byte) photos; photoBuffers.add(buf);
            trips++;
        }

        WebSession request(Random r, long t) {
            int kind = r.nextInt(100);
            requests++;
            WebSession created = null;
            if (kind < 40) {
                String ref = bookingRefs[r.nextInt(CUSTOMERS)];
                boolean hit = waivers.get(ref) != null;
                if (!hit) waivers.put(ref, new WaiverPdf(ref, new byte[400 + r.nextInt(400)], t));
                metrics.time("http.server.requests", "/waivers/{ref}.pdf", "200", 3_000 + r.nextInt(40_000));
            } else if (kind < 55) {
                int sec = r.nextInt(FORECAST_SECTIONS), minute = r.nextInt(FORECAST_MINUTES);
                double v = flowForecast[sec * FORECAST_MINUTES + minute];
                metrics.time("http.server.requests", "/sections/{code}/forecast", v >= 0 ? "200" : "500", 1_000 + r.nextInt(8_000));
            } else if (kind < 75) {
                boolean kiosk = r.nextInt(3) == 0;
                WebSession s = new WebSession(Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Integer.toHexString(r.nextInt()), bookingRefs[r.nextInt(CUSTOMERS)], kiosk ? "kiosk" : "web", t);
                s.attributes.put("centre", "C" + r.nextInt(12));
                s.attributes.put("cart", new byte[120 + r.nextInt(180)]);
                if (!kiosk && r.nextInt(200) != 0) s.attributes.put("heldSeats", 1 + r.nextInt(8)); // a gift-voucher booking holds no seats
                sessions.sessions.put(s.id, s);
                if (kiosk) kioskSessions++; else webSessions++;
                created = s;
                metrics.time("http.server.requests", kiosk ? "/kiosk/check-in" : "/bookings/start", "201", 5_000 + r.nextInt(50_000));
            } else if (kind < 97) {
                metrics.time("http.server.requests", "/bookings/{ref}", r.nextInt(30) == 0 ? "404" : "200", 2_000 + r.nextInt(20_000));
            } else {
                metrics.time("http.server.requests", "/health", "200", 100 + r.nextInt(300));
            }
            return created;
        }

        void dispatchShuttles(long t) {
            while (!shuttleQueue.isEmpty() && shuttleQueue.peekFirst().departsAt() <= t) { shuttleQueue.pollFirst(); shuttlesLeft++; }
        }
    }

    record Visit(WebSession session, long until) {}

    static CentreService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(124_060_001);
        String[] codes = new String[SECTIONS];
        String[] rivers = {"Tryweryn", "Tay", "Dee", "Orchy", "Etive", "Usk", "Wye", "Tees", "Dart", "Garry", "Spey", "Washburn"};
        for (int s = 0; s < SECTIONS; s++) {
            double[] flow = new double[64];
            for (int k = 0; k < flow.length; k++) flow[k] = 5 + rnd.nextDouble() * 80;
            codes[s] = rivers[s % rivers.length].toUpperCase().substring(0, 3) + "-" + (s / rivers.length);
            SECTIONS_BY_CODE.put(codes[s], new RiverSection(codes[s], rivers[s % rivers.length], GRADES[rnd.nextInt(GRADES.length)], flow));
        }
        CentreService svc = new CentreService();
        SERVICE = svc;
        for (int k = 0; k < svc.flowForecast.length; k++) svc.flowForecast[k] = 4 + rnd.nextDouble() * 120;
        String[] names = {"Ffion Jones", "Callum Ross", "Mia Fraser", "Ethan Lloyd", "Sophie Grant", "Rhys Morgan", "Isla Burns", "Jamie Kerr"};
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.bookingRefs[i] = "WW" + (300_000 + i * 17);
            svc.customers.put(svc.bookingRefs[i], new Customer(svc.bookingRefs[i], names[rnd.nextInt(names.length)], "07" + (800_000_000 + rnd.nextInt(99_999_999)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        svc.sessions.start(svc.housekeeping, start);
        Random traffic = new Random(124_060_002), river = new Random(124_060_003);
        int requests = REQ_PER_HOUR * HOURS, trips = TRIPS_PER_HOUR * HOURS;
        ArrayDeque<Visit> live = new ArrayDeque<>();
        long nextTick = start + TICK;
        int tr = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTick <= t) { tick(svc, nextTick, start); nextTick += TICK; }
            while (tr < trips && start + (end - MINUTE - start) * tr / trips <= t) { svc.trip(codes, river, start + (end - MINUTE - start) * tr / trips, start); tr++; }
            WebSession s = svc.request(traffic, t);
            if (s != null) live.addLast(new Visit(s, t + (long) (1 + traffic.nextInt(25)) * MINUTE));
            touch(live, t);
        }
        while (nextTick <= end) { tick(svc, nextTick, start); nextTick += TICK; }
        touch(live, end);
    }

    /** Customers still browsing touch their session; the others just leave (the sweeper expires them). */
    static void touch(ArrayDeque<Visit> live, long t) {
        int n = live.size();
        for (int k = 0; k < n; k++) {
            Visit v = live.pollFirst();
            if (v.until() <= t) { v.session().lastSeen = v.until(); continue; }
            v.session().lastSeen = t;
            live.addLast(v);
        }
    }

    static void tick(CentreService svc, long t, long start) throws InterruptedException {
        svc.dispatchShuttles(t);
        svc.gallery.retryDue(t, start);
        svc.sessions.advanceTo(t);
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        CentreService svc = SERVICE;
        SessionStore st = svc.sessions;
        long idle = 0;
        for (WebSession s : st.sessions.values()) if (st.clock - s.lastSeen > IDLE_TIMEOUT) idle++;
        GalleryOutbox g = svc.gallery;
        System.out.println("sections " + SECTIONS_BY_CODE.size() + " customers " + svc.customers.size() + " requests " + svc.requests + " trips " + svc.trips + " log " + svc.logEntries + " waivers " + svc.waivers.size()
                + " (evicted " + svc.waivers.evicted + ") timers " + svc.metrics.timers.size() + " counters " + svc.metrics.counters.size() + " sessions kiosk " + svc.kioskSessions + " web " + svc.webSessions
                + " sweeps " + st.sweeps + " expired " + st.expired + " (errors " + st.sweepErrors + ", seats released " + st.heldSeatsReleased + ") live " + st.sessions.size() + " (idle " + idle + ") gallery posted " + g.posted
                + " delivered " + g.delivered + " retry " + g.retry.size() + " dead-lettered " + g.deadLettered + " kept " + g.deadLetters.size() + " dropped " + g.dropped + " shuttles " + svc.shuttlesBooked + "/" + svc.shuttlesLeft
                + " queued " + svc.shuttleQueue.size() + " sms " + svc.smsSent.get() + " pool " + svc.photoBuffers.size());
        check(SECTIONS_BY_CODE.size() == SECTIONS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.requests == (long) REQ_PER_HOUR * HOURS && svc.trips == (long) TRIPS_PER_HOUR * HOURS && svc.smsSent.get() == svc.trips && svc.tripLog[RING - 1] != null, "traffic / ring");
        check(svc.waivers.size() == WAIVER_CAP && svc.waivers.evicted > 0 && svc.photoBuffers.size() == POOL, "waiver cache at cap / pool");
        check(svc.metrics.timers.size() == 7 && svc.metrics.counters.size() == 20, "bounded meters");
        check(svc.kioskSessions == 2_720 && svc.webSessions == 5_340 && st.sweeps == HOURS * 12L && st.expired == 7_492 && st.sweepErrors == 31 && st.sessions.size() == 568 && idle == 0
                && !st.sweeperHandle.isDone(), "sessions");
        check(svc.kioskSessions + svc.webSessions == st.expired + st.sessions.size(), "session accounting");
        check(g.delivered == 519 && g.retry.size() == 23 && g.deadLettered == 58 && g.deadLetters.size() == DEAD_LETTER_CAP && g.dropped == 18, "gallery outbox");
        check(svc.shuttleQueue.size() == 89 && svc.shuttlesBooked == svc.shuttlesLeft + svc.shuttleQueue.size(), "shuttle queue");
        int threads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("photo-pack-") || th.getName().startsWith("sms-") || th.getName().startsWith("housekeeping-")) threads++;
        check(threads == 7, "the startup executors' threads: " + threads);
    }
}
