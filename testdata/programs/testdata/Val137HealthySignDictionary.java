// hprofscan-dump: name=val137-healthy-signdictionary jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val137-healthy-signdictionary-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 137 (written blind), HEALTHY: the dictionary and interpreter-booking app of a
 * sign-language charity (learners' app sessions, lesson pages, sign videos). A large read-only
 * reference table (the sign dictionary, 36,000 signs with their hand-shape and movement feature
 * vectors), region reference data, the learner directory, a cache of rendered lesson pages at its
 * cap, a pool of video-frame buffers, a ring of recent requests, an interpreter-booking queue with a
 * normal backlog, and look-alikes of the set's leaks done right: each app session's keep-alive task
 * runs on ONE shared ScheduledThreadPoolExecutor (remove-on-cancel) and is cancelled at logout (a
 * few dozen live), and the request metrics are keyed by route template (a few dozen busy
 * histograms). See VALIDATION137.md.
 */
public final class Val137HealthySignDictionary {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, KEEPALIVE_SECONDS = 30, CONFIRM_AFTER = 20 * MINUTE;
    static final int SIGNS = 36_000, REGIONS = 1_000, LEARNERS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 200, BUCKETS = 24;

    record Sign(String glossId, String gloss, String variant, String handshape, float[] features) {}
    record Region(String code, String name, double[] demandByHalfHour) {}
    record Learner(String learnerId, String name, String level, byte[] progress, long joinedAt) {}
    record LessonPage(String key, byte[] rendered, long at) {}
    record RequestRecord(String method, String route, String uri, int status, long micros, long at) {}
    record InterpreterBooking(String learnerId, String region, String kind, long due) {}

    static final class Histogram {
        final String route;
        final long[] buckets = new long[BUCKETS];
        long count, sumMicros, maxMicros;
        Histogram(String route) { this.route = route; }
        void record(long micros) {
            int b = 0;
            for (long edge = 100; edge < micros && b < BUCKETS - 1; edge <<= 1) b++;
            buckets[b]++; count++; sumMicros += micros; maxMicros = Math.max(maxMicros, micros);
        }
    }

    static final class AppSession {
        final String sessionId, learnerId, device; final long loginAt; final byte[] pushState; long lastPingAt, pings; boolean loggedOut;
        ScheduledFuture<?> keepAlive;
        AppSession(String sessionId, String learnerId, String device, long loginAt, byte[] pushState) { this.sessionId = sessionId; this.learnerId = learnerId; this.device = device; this.loginAt = loginAt; this.pushState = pushState; }
    }

    /** App sessions: one shared scheduler for every session's keep-alive, the task cancelled (and removed) at logout. */
    static final class SessionRegistry {
        final ScheduledThreadPoolExecutor keepAlives;
        final Map<String, AppSession> live = new ConcurrentHashMap<>();
        long logins, logouts, cancelled;
        SessionRegistry() {
            keepAlives = new ScheduledThreadPoolExecutor(1, r -> { Thread th = new Thread(r, "session-keepalive"); th.setDaemon(true); return th; });
            keepAlives.setRemoveOnCancelPolicy(true);
        }
        void login(AppSession s) {
            s.keepAlive = keepAlives.scheduleAtFixedRate(() -> { synchronized (s) { s.pings++; s.lastPingAt = System.currentTimeMillis(); } }, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
            live.put(s.sessionId, s);
            logins++;
        }
        void logout(AppSession s) {
            if (s.keepAlive.cancel(false)) cancelled++;
            s.loggedOut = true;
            live.remove(s.sessionId);
            logouts++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, LessonPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Sign> DICTIONARY = new HashMap<>();
    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();
    static final String[] HANDSHAPES = {"flat", "fist", "index", "V", "claw", "bent-flat", "O", "C", "thumb", "Y", "L", "5", "G", "bunched", "hooked-V", "W"};
    static final String[] VARIANTS = {"national", "north", "south", "scotland", "wales", "ni", "london", "midlands"};
    static final String[] LEVELS = {"level 1", "level 2", "level 3", "level 6", "interpreter", "deaf native"};
    static final String[][] ROUTES = {
        {"GET", "/api/signs/{gloss}"}, {"GET", "/api/signs/{gloss}/video"}, {"GET", "/api/search"}, {"GET", "/api/lessons/{lesson}"}, {"POST", "/api/learners/{learner}/progress"},
        {"GET", "/api/learners/{learner}"}, {"GET", "/api/signs/{gloss}/variants"}, {"POST", "/api/sessions"}, {"DELETE", "/api/sessions/{id}"}, {"GET", "/api/courses"},
        {"GET", "/api/courses/{course}/units"}, {"POST", "/api/bookings"}, {"GET", "/api/bookings/{id}"}, {"DELETE", "/api/bookings/{id}"}, {"GET", "/api/interpreters/{region}"},
        {"GET", "/api/regions"}, {"POST", "/api/recognise"}, {"GET", "/api/fingerspelling/{letter}"}, {"GET", "/api/quiz/{lesson}"}, {"POST", "/api/quiz/{lesson}/answers"},
        {"GET", "/health"}, {"GET", "/api/news"}, {"PUT", "/api/learners/{learner}/profile"}, {"GET", "/api/deaf-events/{region}"}, {"POST", "/api/feedback"},
        {"GET", "/api/signs/{gloss}/related"}, {"GET", "/api/lessons/{lesson}/transcript"}, {"GET", "/api/glossary/{letter}"}};

    static final class DictionaryService {
        final Map<String, Learner> learners = new HashMap<>();
        final String[] learnerIds = new String[LEARNERS];
        final String[] glossIds = new String[SIGNS];
        final PageCache lessonPages = new PageCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final RequestRecord[] recentRequests = new RequestRecord[RING];
        final ArrayDeque<InterpreterBooking> confirmations = new ArrayDeque<>();
        final Map<String, Histogram> metricsByRoute = new ConcurrentHashMap<>();
        final SessionRegistry sessions = new SessionRegistry();
        long requests, bookings, confirmed, recognitions;
    }

    static DictionaryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(137_060_001);
        DictionaryService svc = new DictionaryService();
        SERVICE = svc;
        for (int g = 0; g < SIGNS; g++) {
            float[] features = new float[20];
            for (int k = 0; k < features.length; k++) features[k] = rnd.nextFloat() * 2 - 1;
            svc.glossIds[g] = "SG" + (10_000 + g * 3);
            DICTIONARY.put(svc.glossIds[g], new Sign(svc.glossIds[g], "GLOSS-" + g, VARIANTS[rnd.nextInt(VARIANTS.length)], HANDSHAPES[rnd.nextInt(HANDSHAPES.length)], features));
        }
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 12;
            regionCodes[r] = "RG-" + (500 + r);
            REGIONS_BY_CODE.put(regionCodes[r], new Region(regionCodes[r], "Region " + r, demand));
        }
        for (int i = 0; i < LEARNERS; i++) {
            svc.learnerIds[i] = "LRN" + (300_000 + i * 17);
            svc.learners.put(svc.learnerIds[i], new Learner(svc.learnerIds[i], "Learner " + i, LEVELS[rnd.nextInt(LEVELS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_060_002), sessionsRnd = new Random(137_060_003);
        int total = REQUESTS_PER_HOUR * HOURS;
        int sessionsTotal = SESSIONS_PER_HOUR * HOURS;
        PriorityQueue<long[]> logoutsDue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        Map<Long, AppSession> byNo = new HashMap<>();
        int nextSession = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextSession < sessionsTotal && start + (end - MINUTE - start) * nextSession / sessionsTotal <= t) {
                long loginAt = start + (end - MINUTE - start) * nextSession / sessionsTotal;
                AppSession s = new AppSession("as-" + Long.toHexString(0x9e37_0000L + nextSession * 2_654_435L), svc.learnerIds[sessionsRnd.nextInt(LEARNERS)], sessionsRnd.nextBoolean() ? "ios" : "android", loginAt, new byte[1_024 + sessionsRnd.nextInt(2_048)]);
                svc.sessions.login(s);
                byNo.put((long) nextSession, s);
                logoutsDue.add(new long[] {loginAt + (6 + sessionsRnd.nextInt(13)) * MINUTE, nextSession});
                nextSession++;
            }
            while (!logoutsDue.isEmpty() && logoutsDue.peek()[0] <= t) svc.sessions.logout(byNo.remove(logoutsDue.poll()[1]));
            while (!svc.confirmations.isEmpty() && svc.confirmations.peekFirst().due() <= t) { svc.confirmations.pollFirst(); svc.confirmed++; }
            String[] route = ROUTES[traffic.nextInt(100) < 70 ? traffic.nextInt(8) : traffic.nextInt(ROUTES.length)]; // the first eight routes carry most of the traffic
            String uri = route[1].replace("{gloss}", svc.glossIds[traffic.nextInt(SIGNS)]).replace("{lesson}", "L" + (1 + traffic.nextInt(400)))
                    .replace("{learner}", svc.learnerIds[traffic.nextInt(LEARNERS)]).replace("{region}", regionCodes[traffic.nextInt(REGIONS)]).replace("{course}", "C" + (1 + traffic.nextInt(30)))
                    .replace("{id}", Integer.toString(700_000 + traffic.nextInt(300_000))).replace("{letter}", Character.toString((char) ('a' + traffic.nextInt(26))));
            long micros = 200 + (long) (traffic.nextDouble() * traffic.nextDouble() * 250_000);
            svc.metricsByRoute.computeIfAbsent(route[0] + " " + route[1], Histogram::new).record(micros);
            svc.recentRequests[(int) (svc.requests++ % RING)] = new RequestRecord(route[0], route[1], uri, 200, micros, t);
            if (route[1].equals("/api/bookings") || route[1].equals("/api/learners/{learner}/progress")) {
                svc.confirmations.addLast(new InterpreterBooking(svc.learnerIds[traffic.nextInt(LEARNERS)], regionCodes[traffic.nextInt(REGIONS)], route[1].equals("/api/bookings") ? "interpreter" : "tutor-review", t + CONFIRM_AFTER));
                svc.bookings++;
            }
            if (route[1].endsWith("/video") || route[1].equals("/api/recognise")) {
                byte[] buf = svc.frameBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.frameBuffers.add(buf);
                svc.recognitions++;
            }
            if (route[1].startsWith("/api/lessons/") || route[1].startsWith("/api/quiz/")) {
                if (svc.lessonPages.get(uri) == null) svc.lessonPages.put(uri, new LessonPage(uri, new byte[600 + traffic.nextInt(600)], t));
            }
            if (traffic.nextInt(3) == 0) {
                String pk = "glossary/" + VARIANTS[traffic.nextInt(VARIANTS.length)] + "/page-" + traffic.nextInt(400);
                if (svc.lessonPages.get(pk) == null) svc.lessonPages.put(pk, new LessonPage(pk, new byte[600 + traffic.nextInt(600)], t));
            }
        }
    }

    static void report() {
        DictionaryService svc = SERVICE;
        SessionRegistry sr = svc.sessions;
        long busiest = 0, quietest = Long.MAX_VALUE, recorded = 0;
        for (Histogram h : svc.metricsByRoute.values()) { busiest = Math.max(busiest, h.count); quietest = Math.min(quietest, h.count); recorded += h.count; }
        int queued = sr.keepAlives.getQueue().size();
        System.out.println("signs " + DICTIONARY.size() + " regions " + REGIONS_BY_CODE.size() + " learners " + svc.learners.size() + " requests " + svc.requests + " histograms " + svc.metricsByRoute.size()
                + " (" + quietest + ".." + busiest + " each) sessions " + sr.logins + " logouts " + sr.logouts + " cancelled " + sr.cancelled + " live " + sr.live.size() + " keep-alive tasks queued " + queued
                + " bookings " + svc.bookings + " confirmed " + svc.confirmed + " backlog " + svc.confirmations.size() + " recognitions " + svc.recognitions + " pages " + svc.lessonPages.size() + " (evicted " + svc.lessonPages.evicted + ")");
        check(DICTIONARY.size() == SIGNS && REGIONS_BY_CODE.size() == REGIONS && svc.learners.size() == LEARNERS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && recorded == svc.requests && svc.metricsByRoute.size() == ROUTES.length, "metrics by route template");
        check(sr.logins == (long) SESSIONS_PER_HOUR * HOURS && sr.logouts == sr.cancelled && sr.live.size() == sr.logins - sr.logouts && queued == sr.live.size(), "sessions");
        check(sr.live.size() >= 25 && sr.live.size() <= 60, "live sessions " + sr.live.size());
        check(svc.lessonPages.size() == PAGE_CAP && svc.lessonPages.evicted > 0, "lesson-page cache at cap");
        check(svc.frameBuffers.size() == POOL && svc.recentRequests[RING - 1] != null, "pool / ring");
        check(svc.confirmations.size() > 50 && svc.confirmations.size() < 400, "confirmation backlog " + svc.confirmations.size());
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
}
