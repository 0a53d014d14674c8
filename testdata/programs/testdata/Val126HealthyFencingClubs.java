// hprofscan-dump: name=val126-healthy-fencingclubs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val126-healthy-fencingclubs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val126-healthy-fencingclubs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val126-healthy-fencingclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 126 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * competition service of a national fencing federation's clubs (pools and direct-elimination bouts
 * on 96 pistes). Club reference data, the licensed-fencer directory, a cache of rendered score
 * sheets at its cap, a cache of video-referral clips (filling in stage 1, at its cap from stage 2),
 * a ring of recent bouts, a push-notification queue, and the look-alikes of the set's leaks done
 * right: bout scoring runs on a fixed pool of 4 workers whose ThreadLocal bout context is removed in a
 * finally (plus one fixed touch buffer per worker); every bout called gets a one-shot confirmation
 * deadline on a scheduler, cancelled when the result is reported (only the bouts in progress are
 * pending); piste and rules metadata are keyed by their stable ids; the results database's session
 * pool gets every session back (two are leased by the live scoreboard feed and the ranking export).
 * See VALIDATION126.md.
 */
public final class Val126HealthyFencingClubs {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, CONFIRM_WITHIN = 10 * HOUR;
    static final int CLUBS = 700, FENCERS = 20_000, PISTES = 96, SHEET_CAP = 2_000, CLIP_CAP = 1_000, RING = 8_192, WORKERS = 4,
            DB_SESSIONS = 6, BOUTS_PER_HOUR = 3_000, PUSH_PER_MINUTE = 120;

    static final String[] WEAPONS = {"foil", "epee", "sabre"};
    static final String[] CATEGORIES = {"U11", "U13", "U15", "Cadet", "Junior", "Senior", "Vet40", "Vet50", "Vet60"};

    record Club(String code, String name, String region, double[] attendanceByWeek) {}
    record Fencer(String licence, String name, String clubCode, String weapon, String category, byte[] ratingHistory, long licensedAt) {}
    record ScoreSheet(String key, byte[] rendered, long at) {}
    record Clip(String key, byte[] frames, long at) {}
    record BoutResult(String boutId, String pisteId, String left, String right, int leftScore, int rightScore, long endedAt) {}
    record PushNote(String licence, String text, long at) {}
    record Touch(int second, char side, String action) {}
    record PisteMetadata(String pisteId, String lastBoutId, int boutsToday, long lastUpdated, String referee) {}
    record RulesMetadata(String code, int pouleTouches, int deTouches, int deMinutes, String notes) {}
    record Scored(String boutId, int leftScore, int rightScore, int touches, String worker) {}

    static final class Bout {
        final String boutId, pisteId, left, right, rulesCode, referee; final long calledAt, endsAt; final long seed; final boolean referral;
        ScheduledFuture<?> confirmation;
        Bout(String boutId, String pisteId, String left, String right, String rulesCode, String referee, long calledAt, long endsAt, long seed, boolean referral) {
            this.boutId = boutId; this.pisteId = pisteId; this.left = left; this.right = right; this.rulesCode = rulesCode; this.referee = referee;
            this.calledAt = calledAt; this.endsAt = endsAt; this.seed = seed; this.referral = referral;
        }
    }

    /** The bout being scored on this worker; removed when the scoring ends. */
    static final class BoutContext {
        final String boutId; final List<Touch> touches = new ArrayList<>();
        BoutContext(String boutId) { this.boutId = boutId; }
    }
    static final ThreadLocal<BoutContext> CURRENT_BOUT = new ThreadLocal<>();
    /** One fixed touch-timing buffer per scoring worker (bounded: reused, never replaced). */
    static final ThreadLocal<int[]> TOUCH_BUFFER = ThreadLocal.withInitial(() -> new int[2_048]);

    static final class DbSession {
        final int id; final byte[] buffer = new byte[8_192]; long writes;
        DbSession(int id) { this.id = id; }
    }
    static final class SessionPool {
        final ArrayDeque<DbSession> idle = new ArrayDeque<>();
        final List<DbSession> leased = new ArrayList<>();
        long borrows, returns;
        DbSession borrow() { borrows++; DbSession s = idle.poll(); if (s == null) throw new IllegalStateException("pool exhausted"); leased.add(s); return s; }
        void giveBack(DbSession s) { returns++; leased.remove(s); idle.add(s); }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class CompetitionService {
        final Map<String, Fencer> fencers = new HashMap<>();
        final String[] licences = new String[FENCERS];
        final Lru<ScoreSheet> sheets = new Lru<>(SHEET_CAP);
        final Lru<Clip> clips = new Lru<>(CLIP_CAP);
        final BoutResult[] recentBouts = new BoutResult[RING];
        final ArrayDeque<PushNote> pushQueue = new ArrayDeque<>();
        final Map<String, PisteMetadata> pisteMeta = new HashMap<>();
        final Map<String, RulesMetadata> rulesMeta = new HashMap<>();
        final PriorityQueue<Bout> inProgress = new PriorityQueue<>(Comparator.comparingLong((Bout b) -> b.endsAt).thenComparing(b -> b.boutId));
        final SessionPool db = new SessionPool();
        final List<DbSession> liveFeeds = new ArrayList<>();
        final ExecutorService scoring;
        final ScheduledThreadPoolExecutor deadlines;
        long called, reported, pushed, sent, sheetHits, clipHits, touches;

        CompetitionService() {
            AtomicInteger n = new AtomicInteger();
            scoring = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "bout-scoring-" + n.incrementAndGet()));
            deadlines = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "result-deadlines"); t.setDaemon(true); return t; });
            deadlines.setRemoveOnCancelPolicy(true);
        }

        /** Runs on a scoring worker. */
        Scored score(Bout b) {
            BoutContext ctx = new BoutContext(b.boutId);
            CURRENT_BOUT.set(ctx);
            try {
                Random r = new Random(b.seed);
                int[] buf = TOUCH_BUFFER.get();
                boolean de = b.rulesCode.endsWith("-DE");
                int target = de ? 15 : 5, ls = 0, rs = 0, second = 0;
                String[] actions = {"attack", "riposte", "counter-attack", "remise", "stop-hit", "double"};
                while (ls < target && rs < target) {
                    second += 5 + r.nextInt(40);
                    char side = r.nextBoolean() ? 'L' : 'R';
                    if (side == 'L') ls++; else rs++;
                    ctx.touches.add(new Touch(second, side, actions[r.nextInt(actions.length)]));
                    buf[ctx.touches.size() % buf.length] = second;
                }
                return new Scored(b.boutId, ls, rs, ctx.touches.size(), Thread.currentThread().getName());
            } finally {
                CURRENT_BOUT.remove();
            }
        }

        void call(Random r, long t, long now, long seq) {
            String piste = "P" + (1 + r.nextInt(PISTES));
            String weapon = WEAPONS[r.nextInt(WEAPONS.length)];
            String rules = weapon + "-" + CATEGORIES[r.nextInt(CATEGORIES.length)] + (r.nextInt(3) == 0 ? "-DE" : "-POULE");
            Bout b = new Bout("B" + (7_200_000 + seq), piste, licences[r.nextInt(FENCERS)], licences[r.nextInt(FENCERS)], rules, "Referee " + r.nextInt(300),
                    t, t + (3 + r.nextInt(18)) * MINUTE, r.nextLong(), r.nextInt(6) == 0);
            called++;
            b.confirmation = deadlines.schedule(() -> System.out.println("result of " + b.boutId + " not confirmed"), t + CONFIRM_WITHIN - now, TimeUnit.MILLISECONDS);
            inProgress.add(b);
            String key = "sheet-" + rules + "-" + r.nextInt(300);
            if (sheets.get(key) != null) sheetHits++;
            else sheets.put(key, new ScoreSheet(key, new byte[500 + r.nextInt(500)], t));
        }

        /** Bouts that ended by time t: scored on the workers, then reported in order. */
        void finishUpTo(long t, Random r) throws Exception {
            List<Bout> done = new ArrayList<>();
            while (!inProgress.isEmpty() && inProgress.peek().endsAt <= t) done.add(inProgress.poll());
            if (done.isEmpty()) return;
            List<Future<Scored>> futures = new ArrayList<>();
            for (Bout b : done) futures.add(scoring.submit(() -> score(b)));
            for (int k = 0; k < done.size(); k++) report(done.get(k), futures.get(k).get(), r);
        }

        void report(Bout b, Scored s, Random r) {
            b.confirmation.cancel(false);
            reported++;
            touches += s.touches();
            DbSession session = db.borrow();
            try {
                session.buffer[(int) (reported % session.buffer.length)] = (byte) s.touches();
                session.writes++;
            } finally {
                db.giveBack(session);
            }
            recentBouts[(int) ((reported - 1) % RING)] = new BoutResult(b.boutId, b.pisteId, b.left, b.right, s.leftScore(), s.rightScore(), b.endsAt);
            PisteMetadata prev = pisteMeta.get(b.pisteId);
            pisteMeta.put(b.pisteId, new PisteMetadata(b.pisteId, b.boutId, prev == null ? 1 : prev.boutsToday() + 1, b.endsAt, b.referee));
            rulesMeta.computeIfAbsent(b.rulesCode, c -> new RulesMetadata(c, 5, 15, 9, c.startsWith("sabre") ? "no time between touches" : "3 x 3 min periods in DE"));
            if (b.referral) {
                String key = "clip-" + b.boutId;
                if (clips.get(key) != null) clipHits++;
                else clips.put(key, new Clip(key, new byte[1_500 + r.nextInt(1_000)], b.endsAt));
            }
            pushQueue.add(new PushNote(b.left, "Your bout on " + b.pisteId + " ended " + s.leftScore() + "-" + s.rightScore(), b.endsAt));
            pushQueue.add(new PushNote(b.right, "Your bout on " + b.pisteId + " ended " + s.rightScore() + "-" + s.leftScore(), b.endsAt));
            pushed += 2;
        }

        void sendPush(int minutes) {
            for (int k = 0; k < PUSH_PER_MINUTE * minutes && !pushQueue.isEmpty(); k++) { pushQueue.poll(); sent++; }
        }
    }

    static CompetitionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(126_050_001);
        String[] clubCodes = new String[CLUBS];
        String[] regions = {"London", "South East", "Eastern", "West Midlands", "East Midlands", "North West", "Yorkshire", "Scotland", "Wales", "Northern Ireland"};
        for (int c = 0; c < CLUBS; c++) {
            double[] att = new double[52];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 60;
            clubCodes[c] = "FC" + (3_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Salle " + c, regions[c % regions.length], att));
        }
        CompetitionService svc = new CompetitionService();
        SERVICE = svc;
        for (int i = 0; i < FENCERS; i++) {
            svc.licences[i] = "BF" + (110_000 + i * 3);
            svc.fencers.put(svc.licences[i], new Fencer(svc.licences[i], "Fencer " + i, clubCodes[rnd.nextInt(CLUBS)], WEAPONS[rnd.nextInt(WEAPONS.length)],
                    CATEGORIES[rnd.nextInt(CATEGORIES.length)], new byte[150 + rnd.nextInt(150)], now - (30 + rnd.nextInt(4_000)) * DAY));
        }
        for (int k = 1; k <= DB_SESSIONS; k++) svc.db.idle.add(new DbSession(k));
        svc.liveFeeds.add(svc.db.borrow()); // live scoreboard feed
        svc.liveFeeds.add(svc.db.borrow()); // ranking export
        Random traffic = new Random(126_050_002), results = new Random(126_050_003);
        int total = BOUTS_PER_HOUR * hours;
        long minute = start;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.finishUpTo(t, results);
            if (t >= minute + MINUTE) { int m = (int) ((t - minute) / MINUTE); svc.sendPush(m); minute += m * MINUTE; }
            svc.call(traffic, t, now, i);
        }
        svc.finishUpTo(end, results);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        try {
            simulate(hours);
            report(stage, hours);
        } catch (Throwable e) { // the scoring workers are not daemons: fail the run instead of hanging
            e.printStackTrace();
            System.exit(1);
        }
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        CompetitionService svc = SERVICE;
        int pending = svc.deadlines.getQueue().size();
        System.out.println("stage " + stage + " clubs " + CLUBS_BY_CODE.size() + " fencers " + svc.fencers.size() + " bouts called " + svc.called + " reported " + svc.reported
                + " in progress " + svc.inProgress.size() + " deadlines pending " + pending + " touches " + svc.touches + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ", hits " + svc.sheetHits + ")"
                + " clips " + svc.clips.size() + " (evicted " + svc.clips.evicted + ") push " + svc.pushed + " sent " + svc.sent + " backlog " + svc.pushQueue.size()
                + " pistes " + svc.pisteMeta.size() + " rules " + svc.rulesMeta.size() + " db idle " + svc.db.idle.size() + " leased " + svc.db.leased.size() + " (borrows " + svc.db.borrows + ", returns " + svc.db.returns + ")");
        check(CLUBS_BY_CODE.size() == CLUBS && svc.fencers.size() == FENCERS, "reference data / directory");
        check(svc.called == (long) BOUTS_PER_HOUR * hours && svc.called == svc.reported + svc.inProgress.size(), "bouts");
        long[] e = EXPECT[stage - 1]; // reported, in progress, touches, push backlog
        check(svc.reported == e[0] && svc.inProgress.size() == e[1] && svc.touches == e[2] && svc.pushQueue.size() == e[3], "stage counts");
        check(pending == svc.inProgress.size(), "one deadline per bout in progress");
        check(svc.db.leased.size() == 2 && svc.db.idle.size() == DB_SESSIONS - 2 && svc.db.returns == svc.reported, "sessions");
        check(svc.pisteMeta.size() == PISTES && svc.rulesMeta.size() == WEAPONS.length * CATEGORIES.length * 2, "metadata by stable id");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(stage == 1 ? svc.clips.size() < CLIP_CAP : svc.clips.size() == CLIP_CAP && svc.clips.evicted > 0, "clip cache");
        check(stage == 1 ? svc.recentBouts[RING - 1] == null : svc.recentBouts[RING - 1] != null, "ring");
    }

    static final long[][] EXPECT = {{2_481, 519, 33_518, 222}, {11_502, 498, 156_532, 192}, {23_470, 530, 318_109, 216}};
}
