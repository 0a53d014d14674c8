// hprofscan-dump: name=val74-healthy-quizleague-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val74-healthy-quizleague-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val74-healthy-quizleague jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val74-healthy-quizleague-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 74 (written blind), HEALTHY: the league service of a pub-quiz league. Venue
 * reference data, the team directory, a cache of rendered leaderboards at its cap, and look-alikes of
 * the four leaks of this set done right: a notification inbox per team captain whose read
 * notifications are deleted an hour after they were read; a WeakHashMap of live scoreboards keyed by
 * the quiz night whose values keep only the night's id (entries go away with the night); a static
 * request-context stack popped in a finally block; and a history of answer-sheet marking jobs capped
 * at 1,000 by a check on the right list. Warms up, then plateaus. See VALIDATION74.md.
 */
public final class Val74HealthyQuizLeague {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VENUES = 1_300, TEAMS = 26_000, CAPTAINS = 3_000, BOARD_CAP = 2_000, NOTES_PER_HOUR = 6_000,
            NIGHTS_PER_HOUR = 300, JOBS_PER_HOUR = 600, HISTORY_CAP = 1_000, FAILED_CAP = 200;

    record Venue(String code, String town, double[] weeklyTurnout) {}
    record Team(String teamId, String name, String venueCode, byte[] roster, long registeredAt) {}
    record Leaderboard(String key, byte[] rendered, long at) {}
    record MarkingJob(String jobId, String nightId, int sheets, long finishedAt, boolean failed, byte[] scannedSheets) {}

    static final class Notification {
        final long id; final String kind, venueCode; final long createdAt; final byte[] body;
        boolean read; long readAt;
        Notification(long id, String kind, String venueCode, long createdAt, byte[] body) { this.id = id; this.kind = kind; this.venueCode = venueCode; this.createdAt = createdAt; this.body = body; }
    }

    /** Read notifications are deleted an hour after they were read. */
    static final class Inbox {
        final String captainId; final ArrayList<Notification> items = new ArrayList<>(); int unread; long lastOpen, deleted;
        Inbox(String captainId) { this.captainId = captainId; }
        void deliver(Notification n) { items.add(n); unread++; }
        void open(long at) {
            lastOpen = at;
            for (int k = items.size() - 1; k >= 0 && !items.get(k).read; k--) { items.get(k).read = true; items.get(k).readAt = at; }
            unread = 0;
            for (Iterator<Notification> it = items.iterator(); it.hasNext(); ) { Notification n = it.next(); if (n.read && n.readAt < at - HOUR) { it.remove(); deleted++; } }
        }
    }

    static final class QuizNight {
        final String nightId, venueCode, quizmaster; final long startAt, plannedEnd;
        QuizNight(String nightId, String venueCode, String quizmaster, long startAt, long plannedEnd) { this.nightId = nightId; this.venueCode = venueCode; this.quizmaster = quizmaster; this.startAt = startAt; this.plannedEnd = plannedEnd; }
    }

    /** Value of the weak map: keeps the night's id, never the night itself. */
    record Scoreboard(String nightId, byte[] rendered, long updatedAt) {}

    static final class RequestContext {
        final String requestId, endpoint; final long startedAt; final Map<String, String> attributes = new HashMap<>(); final byte[] body;
        RequestContext(String requestId, String endpoint, long startedAt, byte[] body) { this.requestId = requestId; this.endpoint = endpoint; this.startedAt = startedAt; this.body = body; }
    }

    static final class RequestScope {
        static final ArrayDeque<RequestContext> STACK = new ArrayDeque<>();
    }

    static final class RejectedAnswer extends RuntimeException { RejectedAnswer() { super("late answer", null, false, false); } }

    static final class MarkingHistory {
        final ArrayDeque<MarkingJob> completed = new ArrayDeque<>(), failed = new ArrayDeque<>();
        long completedTotal, failedTotal;
        void record(MarkingJob j) {
            if (j.failed()) { failed.addLast(j); failedTotal++; if (failed.size() > FAILED_CAP) failed.removeFirst(); }
            else { completed.addLast(j); completedTotal++; if (completed.size() > HISTORY_CAP) completed.removeFirst(); }
        }
    }

    static final class BoardCache extends LinkedHashMap<String, Leaderboard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Leaderboard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class LeagueService {
        final Map<String, Team> teams = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final Map<String, QuizNight> liveNights = new HashMap<>();
        final WeakHashMap<QuizNight, Scoreboard> scoreboards = new WeakHashMap<>();
        final MarkingHistory marking = new MarkingHistory();
        final BoardCache leaderboards = new BoardCache();
        long requests, rejected, nightsStarted, nightsEnded, notes, opens;

        void answer(Random r, String teamId, long at) {
            RequestContext ctx = new RequestContext(Long.toHexString(0x9a12_0000_0000L + requests++), "POST /answers", at, new byte[200 + r.nextInt(200)]);
            ctx.attributes.put("team", teamId);
            ctx.attributes.put("round", Integer.toString(1 + r.nextInt(8)));
            RequestScope.STACK.push(ctx);
            try {
                if (r.nextInt(100) < 8) throw new RejectedAnswer();
                String key = "board-" + r.nextInt(4_500);
                if (leaderboards.get(key) == null) leaderboards.put(key, new Leaderboard(key, new byte[500 + r.nextInt(500)], at));
            } finally {
                RequestScope.STACK.pop();
            }
        }
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(LeagueService svc, Inbox[] captains, String[] venueCodes, String[] teamIds, long start, long end, int hours) {
        Random traffic = new Random(74_050_002);
        int notes = NOTES_PER_HOUR * hours;
        int nightsEvery = NOTES_PER_HOUR / NIGHTS_PER_HOUR, jobsEvery = NOTES_PER_HOUR / JOBS_PER_HOUR;
        PriorityQueue<QuizNight> byEnd = new PriorityQueue<>((a, b) -> Long.compare(a.plannedEnd, b.plannedEnd));
        String[] kinds = {"FIXTURE", "RESULT", "DISPUTE_UPDATE", "SEASON_NEWS"};
        for (int i = 0; i < notes; i++) {
            long t = start + (end - MINUTE - start) * i / notes;
            while (!byEnd.isEmpty() && byEnd.peek().plannedEnd <= t) { QuizNight done = byEnd.poll(); svc.liveNights.remove(done.nightId); svc.nightsEnded++; }
            captains[traffic.nextInt(CAPTAINS)].deliver(new Notification(8_000_000L + i, kinds[traffic.nextInt(kinds.length)], venueCodes[traffic.nextInt(VENUES)], t, new byte[60 + traffic.nextInt(60)]));
            svc.notes++;
            int opens = i % 2 == 0 ? 2 : 1;
            for (int o = 0; o < opens; o++) { captains[traffic.nextInt(CAPTAINS)].open(t); svc.opens++; }
            try { svc.answer(traffic, teamIds[traffic.nextInt(TEAMS)], t); } catch (RejectedAnswer e) { svc.rejected++; }
            if (i % nightsEvery == 0) {
                QuizNight n = new QuizNight("QN-" + (500_000 + svc.nightsStarted), venueCodes[traffic.nextInt(VENUES)], "QM " + traffic.nextInt(400), t, t + (90 + traffic.nextInt(61)) * MINUTE);
                svc.nightsStarted++;
                svc.liveNights.put(n.nightId, n);
                byEnd.add(n);
                svc.scoreboards.put(n, new Scoreboard(n.nightId, new byte[400 + traffic.nextInt(400)], t));
            }
            if (i % jobsEvery == 0) svc.marking.record(new MarkingJob("MJ-" + (70_000 + i / jobsEvery), "QN-" + (500_000 + traffic.nextInt((int) svc.nightsStarted)), 10 + traffic.nextInt(30), t, traffic.nextInt(100) < 3, new byte[400 + traffic.nextInt(400)]));
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(74_050_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] turnout = new double[64];
            for (int k = 0; k < turnout.length; k++) turnout[k] = rnd.nextDouble() * 30;
            venueCodes[v] = "PUB-" + (4_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Town " + (v % 200), turnout));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        String[] teamIds = new String[TEAMS];
        for (int t = 0; t < TEAMS; t++) {
            teamIds[t] = "QT" + (600_000 + t * 3);
            svc.teams.put(teamIds[t], new Team(teamIds[t], "Team " + t, venueCodes[rnd.nextInt(VENUES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        Inbox[] captains = new Inbox[CAPTAINS];
        for (int c = 0; c < CAPTAINS; c++) { captains[c] = new Inbox("CAP-" + (10_000 + c)); svc.inboxes.put(captains[c].captainId, captains[c]); }
        simulate(svc, captains, venueCodes, teamIds, start, end, hours);
        int size = svc.scoreboards.size();
        for (int tries = 0; tries < 200 && size != svc.liveNights.size(); tries++) { System.gc(); Thread.sleep(25); size = svc.scoreboards.size(); }
        for (int k = 0; k < 4; k++) System.gc(); // settle the heap before the histogram
        long held = 0, unread = 0, stale = 0, deleted = 0;
        for (Inbox in : svc.inboxes.values()) {
            held += in.items.size(); unread += in.unread; deleted += in.deleted;
            for (Notification n : in.items) if (n.read && n.readAt < in.lastOpen - HOUR) stale++;
        }
        MarkingHistory m = svc.marking;
        System.out.println("stage " + stage + " venues " + VENUES_BY_CODE.size() + " teams " + svc.teams.size() + " inboxes " + svc.inboxes.size() + " notifications held " + held + " (unread " + unread + ", deleted " + deleted + ") sent " + svc.notes
                + " nights started " + svc.nightsStarted + " live " + svc.liveNights.size() + " scoreboards " + size + " requests " + svc.requests + " rejected " + svc.rejected + " context stack " + RequestScope.STACK.size()
                + " marking completed " + m.completedTotal + " kept " + m.completed.size() + " failed " + m.failedTotal + " kept " + m.failed.size() + " leaderboards " + svc.leaderboards.size() + " (evicted " + svc.leaderboards.evicted + ")");
        check(VENUES_BY_CODE.size() == VENUES && svc.teams.size() == TEAMS && svc.inboxes.size() == CAPTAINS, "reference data / directory / inboxes");
        check(svc.notes == (long) NOTES_PER_HOUR * hours && held + deleted == svc.notes && stale == 0, "inboxes pruned");
        check(size == svc.liveNights.size() && svc.nightsStarted == svc.nightsEnded + svc.liveNights.size(), "scoreboards follow live nights: " + size);
        check(RequestScope.STACK.isEmpty() && svc.rejected > 0, "context stack empty");
        check(m.completed.size() == Math.min(HISTORY_CAP, m.completedTotal) && m.failed.size() == Math.min(FAILED_CAP, m.failedTotal), "marking history capped");
        check(svc.leaderboards.size() == BOARD_CAP && svc.leaderboards.evicted > 0, "leaderboard cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
