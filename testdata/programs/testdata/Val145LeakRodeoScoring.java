// hprofscan-dump: name=val145-leak-rodeoscoring jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val145-leak-rodeoscoring-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 145 (written blind), LEAK: live scoring of a professional rodeo circuit (rough-stock
 * and timed events at some 45 arenas running performances and slack at once). Every judged run
 * changes two records, the run's score and the contestant's standing; a replication component
 * sends every changed record to the standby scoring server (a hot spare in another building)
 * through one ObjectOutputStream opened at startup and kept for the life of the process, over the
 * link's stream (here an OutputStream that counts and discards). It flushes every 20 records but
 * never calls reset(), so the stream's handle table keeps every object it ever wrote: every old
 * score and every superseded standing. Ordinary components beside it: arena, event and
 * bucking-stock reference data, the contestant directory, the current standings (one per
 * contestant, replaced on each run), a cache of rendered scorecards at its cap, a pool of print
 * buffers, a ring of recent runs and the announcer's queue with its backlog. 10 hours.
 * See VALIDATION145.md.
 */
public final class Val145LeakRodeoScoring {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ARENAS = 400, LIVE_RODEOS = 45, CONTESTANTS = 18_000, STOCK = 3_000, CARD_CAP = 1_200, POOL = 8, RING = 8_192, HOURS = 10,
            FLUSH_EVERY = 20, ANNOUNCE_LAG_MINUTES = 3;
    static final String[] EVENTS = {"bareback", "saddle-bronc", "bull-riding", "tie-down-roping", "team-roping", "steer-wrestling", "barrel-racing"};
    static final String[] NOTES_A = {"clean spur out", "strong first jump", "late mark-out", "tight rope", "fast flag", "lost a stirrup", "wide turn at second barrel",
            "hard-charging steer", "good set on the rope", "re-ride offered"};
    static final String[] NOTES_B = {"animal above average", "animal dropped its shoulder", "slight drag", "clean pattern", "broke the barrier", "quick tie",
            "spun into the hand", "flat trip", "strong finish", "judge 2 flagged a touch"};
    static boolean FIXED;

    record Arena(String code, String name, String state, double[] attendanceByHalfHour) {}
    record EventRules(String event, boolean roughStock, int markedJudges, int barrierPenaltySeconds) {}
    record Contestant(String card, String name, String event, String hometown, byte[] bio, long memberSince) {}
    record BuckingAnimal(String brand, String name, String contractor, double[] buckOffRateBySeason) {}
    record RunScore(String runId, String rodeoId, String event, String contestantCard, String animalBrand, double[] marks, double score, double timeSeconds,
                    int penaltySeconds, String judgeNotes, long at) implements Serializable {}
    record Standing(String contestantCard, String event, double points, int runs, double best, long updatedAt) implements Serializable {}
    record Scorecard(String card, byte[] pdf, long renderedAt) {}
    record Announcement(String rodeoId, String text, long at) {}

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();
    static final Map<String, EventRules> RULES_BY_EVENT = new HashMap<>();

    /** The link to the standby scoring server (a socket in production); counts and discards. */
    static final class StandbyLink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    /** Sends every changed record to the standby over one long-lived object stream. */
    static final class StandbyReplicator {
        final StandbyLink link = new StandbyLink();
        final ObjectOutputStream out;
        int sinceFlush;
        long records, flushes;
        StandbyReplicator() throws IOException { out = new ObjectOutputStream(link); }
        void send(Serializable record) throws IOException {
            out.writeObject(record);
            records++;
            if (++sinceFlush == FLUSH_EVERY) {
                out.flush();
                if (FIXED) out.reset(); // BUG: never reset, the handle table keeps every record written
                sinceFlush = 0;
                flushes++;
            }
        }
    }

    static final class CardCache extends LinkedHashMap<String, Scorecard> {
        long evicted;
        CardCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scorecard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final class ScoringService {
        final Map<String, Contestant> contestants = new HashMap<>();
        final String[] cards = new String[CONTESTANTS];
        final Map<String, BuckingAnimal> stock = new HashMap<>();
        final String[] brands = new String[STOCK];
        final Map<String, Standing> standings = new HashMap<>();
        final String[] liveRodeos = new String[LIVE_RODEOS];
        final StandbyReplicator standby;
        final CardCache scorecards = new CardCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final RunScore[] recent = new RunScore[RING];
        final ArrayDeque<Announcement> announcer = new ArrayDeque<>();
        long runs, noScores, cardHits, announced, announcementsRead;

        ScoringService() throws IOException { standby = new StandbyReplicator(); }

        void judge(Random r, long t) throws IOException {
            String card = cards[r.nextInt(CONTESTANTS)];
            Contestant c = contestants.get(card);
            EventRules rules = RULES_BY_EVENT.get(c.event());
            String rodeo = liveRodeos[r.nextInt(LIVE_RODEOS)];
            String brand = rules.roughStock() ? brands[r.nextInt(STOCK)] : null;
            double[] marks = new double[rules.markedJudges() * 2];
            double score = 0, time = 0;
            int penalty = 0;
            boolean noScore = r.nextInt(100) < (rules.roughStock() ? 35 : 12);
            if (rules.roughStock()) {
                for (int k = 0; k < marks.length; k++) { marks[k] = 15 + r.nextInt(21) + r.nextInt(4) * 0.25; score += marks[k]; }
                score /= 2;
            } else {
                time = 3.2 + r.nextInt(1_400) / 100.0;
                if (r.nextInt(10) == 0) penalty = rules.barrierPenaltySeconds();
                for (int k = 0; k < marks.length; k++) marks[k] = time;
            }
            if (noScore) { score = 0; time = 0; noScores++; }
            String notes = NOTES_A[r.nextInt(NOTES_A.length)] + "; " + NOTES_B[r.nextInt(NOTES_B.length)];
            RunScore run = new RunScore("RUN-" + (7_000_000 + runs), rodeo, c.event(), card, brand, marks, score, time, penalty, notes, t);
            recent[(int) (runs++ % RING)] = run;
            Standing old = standings.get(card);
            double points = noScore ? 0 : rules.roughStock() ? score * 10 : Math.max(0, 400 - (time + penalty) * 20);
            Standing now = new Standing(card, c.event(), old.points() + points, old.runs() + 1, Math.max(old.best(), points), t);
            standings.put(card, now);
            standby.send(run);
            standby.send(now);
            if (r.nextInt(3) == 0) {
                if (scorecards.get(card) != null) cardHits++;
                else scorecards.put(card, new Scorecard(card, new byte[600 + r.nextInt(600)], t));
            }
            byte[] buf = printBuffers.poll();
            buf[(int) (runs % buf.length)]++;
            printBuffers.add(buf);
            if (!noScore && points > 300) {
                announcer.addLast(new Announcement(rodeo, c.name() + " takes the lead in " + c.event() + " with " + Math.round(points) + " points", t));
                announced++;
            }
        }
    }

    static ScoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(145_060_001);
        String[] arenaCodes = new String[ARENAS];
        for (int a = 0; a < ARENAS; a++) {
            double[] halves = new double[48];
            for (int k = 0; k < halves.length; k++) halves[k] = rnd.nextInt(9_000);
            arenaCodes[a] = "AR-" + (500 + a * 3);
            ARENAS_BY_CODE.put(arenaCodes[a], new Arena(arenaCodes[a], "Arena " + (a + 1), "state " + (1 + rnd.nextInt(50)), halves));
        }
        for (int e = 0; e < EVENTS.length; e++) RULES_BY_EVENT.put(EVENTS[e], new EventRules(EVENTS[e], e < 3, e < 3 ? 2 : 1, e == 6 ? 5 : 10));
        ScoringService svc = new ScoringService();
        SERVICE = svc;
        for (int k = 0; k < LIVE_RODEOS; k++) svc.liveRodeos[k] = "ROD-" + arenaCodes[rnd.nextInt(ARENAS)].substring(3) + "-" + (k + 1);
        for (int k = 0; k < STOCK; k++) {
            double[] seasons = new double[20];
            for (int s = 0; s < seasons.length; s++) seasons[s] = rnd.nextDouble();
            svc.brands[k] = "BR-" + (10_000 + k * 7);
            svc.stock.put(svc.brands[k], new BuckingAnimal(svc.brands[k], "animal " + (k + 1), "contractor " + (1 + rnd.nextInt(60)), seasons));
        }
        for (int k = 0; k < CONTESTANTS; k++) {
            svc.cards[k] = "RC" + (60_000 + k * 5);
            String event = EVENTS[rnd.nextInt(EVENTS.length)];
            svc.contestants.put(svc.cards[k], new Contestant(svc.cards[k], "cowboy " + (k + 1), event, "town " + rnd.nextInt(800), new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(5_000)) * DAY));
            svc.standings.put(svc.cards[k], new Standing(svc.cards[k], event, rnd.nextInt(20_000), rnd.nextInt(60), rnd.nextInt(400), now - (long) (1 + rnd.nextInt(60)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);

        Random traffic = new Random(145_060_002);
        for (long t = start; t < end; t += MINUTE) {
            int n = 40 + traffic.nextInt(21);                                   // ~3,000 runs an hour across the live rodeos
            for (int k = 0; k < n; k++) svc.judge(traffic, t + k * 1_000L);
            while (!svc.announcer.isEmpty() && svc.announcer.peekFirst().at() <= t - ANNOUNCE_LAG_MINUTES * MINUTE) { svc.announcer.pollFirst(); svc.announcementsRead++; }
        }
    }

    /** The stream's handle count and table length, when java.io is open to reflection (verification runs only), else null. */
    static String handleTable(ObjectOutputStream out) {
        try {
            Field f = ObjectOutputStream.class.getDeclaredField("handles");
            f.setAccessible(true);
            Object table = f.get(out);
            Field size = table.getClass().getDeclaredField("size"), objs = table.getClass().getDeclaredField("objs"), spine = table.getClass().getDeclaredField("spine");
            size.setAccessible(true);
            objs.setAccessible(true);
            spine.setAccessible(true);
            return size.getInt(table) + " (objs " + ((Object[]) objs.get(table)).length + ", spine " + ((int[]) spine.get(table)).length + ")";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val145.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ScoringService svc = SERVICE;
        StandbyReplicator s = svc.standby;
        String handles = handleTable(s.out);
        System.out.println((FIXED ? "FIXED " : "") + "arenas " + ARENAS_BY_CODE.size() + " events " + RULES_BY_EVENT.size() + " contestants " + svc.contestants.size()
                + " stock " + svc.stock.size() + " standings " + svc.standings.size() + " runs " + svc.runs + " (no score " + svc.noScores + ") replicated " + s.records
                + " records (flushes " + s.flushes + ", since flush " + s.sinceFlush + ", bytes " + s.link.bytes + ")" + (handles != null ? " handles " + handles : "")
                + " scorecards " + svc.scorecards.size() + " (evicted " + svc.scorecards.evicted + ", hits " + svc.cardHits + ") announcements +" + svc.announced
                + " read " + svc.announcementsRead + " backlog " + svc.announcer.size() + " pool " + svc.printBuffers.size());
        check(ARENAS_BY_CODE.size() == ARENAS && RULES_BY_EVENT.size() == EVENTS.length && svc.contestants.size() == CONTESTANTS && svc.stock.size() == STOCK
                && svc.standings.size() == CONTESTANTS, "reference data / directory / standings");
        check(s.records == 2 * svc.runs && s.flushes == s.records / FLUSH_EVERY && s.sinceFlush == s.records % FLUSH_EVERY, "replication");
        check(EXPECTED_RUNS < 0 || svc.runs == EXPECTED_RUNS, "runs " + svc.runs);
        check(svc.scorecards.size() == CARD_CAP && svc.scorecards.evicted > 0, "scorecard cache at cap");
        check(svc.printBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.announcer.size() > 0 && svc.announced == svc.announcementsRead + svc.announcer.size(), "announcer backlog");
    }

    static final long EXPECTED_RUNS = 29_982;
}
