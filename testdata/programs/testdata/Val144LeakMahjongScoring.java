// hprofscan-dump: name=val144-leak-mahjongscoring jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val144-leak-mahjongscoring-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 144 (written blind), LEAK: the scoring back end of an online mahjong platform.
 * Every minute the hands finished at the tables are scored in a batch: {@code BatchScorer} submits
 * one {@code Callable<ScoreResult>} per hand to its worker pool and adds every {@code Future}
 * returned by {@code executor.submit(...)} to the field {@code submitted}
 * ({@code List<Future<ScoreResult>>}) "to check later"; the check walks the futures from the last
 * checked index, applies each result to the players' ratings and moves the index, but the list is
 * never cleared, so every done future stays with its result. Beside it: the scoring-pattern table
 * and room reference data, the player directory, a replay cache at its cap, a pool of replay
 * encoder buffers, a ring of recent hands and the achievement-notification backlog.
 * See VALIDATION144.md.
 */
public final class Val144LeakMahjongScoring {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ROOMS = 800, PLAYERS = 24_000, REPLAY_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, HANDS_PER_MINUTE = 50,
            REPLAY_VIEWS_PER_MINUTE = 10, WORKERS = 3;
    static final long NOTIFY_DELAY = 4 * MINUTE;
    static final String[][] PATTERNS = {
        {"BFD", "Big Four Winds", "88"}, {"BTD", "Big Three Dragons", "88"}, {"NGT", "Nine Gates", "88"}, {"FKG", "Four Kongs", "88"}, {"SVP", "Seven Shifted Pairs", "88"},
        {"THO", "Thirteen Orphans", "88"}, {"AGR", "All Green", "88"}, {"ATH", "All Terminals and Honours", "32"}, {"LFW", "Little Four Winds", "64"}, {"LTD", "Little Three Dragons", "64"},
        {"AHN", "All Honours", "64"}, {"FCP", "Four Concealed Pungs", "64"}, {"PTC", "Pure Terminal Chows", "64"}, {"QFS", "Quadruple Chow", "48"}, {"FPS", "Four Pure Shifted Pungs", "48"},
        {"FSC", "Four Pure Shifted Chows", "32"}, {"TKG", "Three Kongs", "32"}, {"SSP", "Seven Pairs", "24"}, {"GHN", "Greater Honours and Knitted Tiles", "24"}, {"AEP", "All Even Pungs", "24"},
        {"FUL", "Full Flush", "24"}, {"PTC3", "Pure Triple Chow", "24"}, {"PSP", "Pure Shifted Pungs", "24"}, {"UPT", "Upper Tiles", "24"}, {"MDT", "Middle Tiles", "24"},
        {"LWT", "Lower Tiles", "24"}, {"PST", "Pure Straight", "16"}, {"TSP", "Three-Suited Terminal Chows", "16"}, {"PSC", "Pure Shifted Chows", "16"}, {"AFV", "All Fives", "16"},
        {"TPG", "Triple Pung", "16"}, {"TCP", "Three Concealed Pungs", "16"}, {"LHN", "Lesser Honours and Knitted Tiles", "12"}, {"KST", "Knitted Straight", "12"}, {"UFR", "Upper Four", "12"},
        {"LFR", "Lower Four", "12"}, {"BWD", "Big Three Winds", "12"}, {"MST", "Mixed Straight", "8"}, {"RVS", "Reversible Tiles", "8"}, {"MTC", "Mixed Triple Chow", "8"},
        {"MSP", "Mixed Shifted Pungs", "8"}, {"CKG", "Two Concealed Kongs", "8"}, {"LTW", "Last Tile Draw", "8"}, {"LTC", "Last Tile Claim", "8"}, {"OAK", "Out with Replacement Tile", "8"},
        {"RKG", "Robbing the Kong", "8"}, {"CHL", "Chicken Hand", "8"}, {"APG", "All Pungs", "6"}, {"HLF", "Half Flush", "6"}, {"MSC", "Mixed Shifted Chows", "6"},
        {"ATY", "All Types", "6"}, {"MAD", "Melded Hand", "6"}, {"TDP", "Two Dragon Pungs", "6"}, {"OCH", "Outside Hand", "4"}, {"FCH", "Fully Concealed Hand", "4"},
        {"TMK", "Two Melded Kongs", "4"}, {"LTL", "Last Tile", "4"}, {"DRP", "Dragon Pung", "2"}, {"PWP", "Prevalent Wind", "2"}, {"SWP", "Seat Wind", "2"},
        {"CHD", "Concealed Hand", "2"}, {"AMC", "All Chows", "2"}, {"TFH", "Tile Hog", "2"}, {"DPG", "Double Pung", "2"}, {"TCG", "Two Concealed Pungs", "2"},
        {"CKN", "Concealed Kong", "2"}, {"ASM", "All Simples", "2"}, {"PSH", "Pure Double Chow", "1"}, {"MDC", "Mixed Double Chow", "1"}, {"SHS", "Short Straight", "1"},
        {"TCT", "Two Terminal Chows", "1"}, {"PTH", "Pung of Terminals or Honours", "1"}, {"MKG", "Melded Kong", "1"}, {"OVS", "One Voided Suit", "1"}, {"NHN", "No Honours", "1"},
        {"EDW", "Edge Wait", "1"}, {"CLW", "Closed Wait", "1"}, {"SWT", "Single Wait", "1"}, {"SDR", "Self-Drawn", "1"}, {"FLW", "Flower Tiles", "1"}, {"KWH", "Knitted With Honours", "1"},
    };

    record Pattern(String code, String name, int fan) {}
    record Room(String code, String name, String ruleset, double[] occupancyByHalfHour) {}
    record Player(String playerId, String nickname, int rating, byte[] profile, long joinedAt) {}
    record Replay(String handId, byte[] encoded, long at) {}
    record HandRecord(String handId, String tableId, String[] seats, long endedAt) {}
    record Notification(String playerId, String text, long at) {}
    /** A finished hand, as the table server reports it. */
    record Hand(String handId, String tableId, String[] seats, int winnerSeat, int discarderSeat, int[] patternIdx, int flowers, long endedAt) {}
    /** What the scorer computes for one hand. */
    record ScoreResult(String handId, String tableId, int winnerSeat, int fan, int[] deltas, String[] patternCodes, String breakdown, long scoredAt) {}

    static final Map<String, Pattern> PATTERNS_BY_CODE = new HashMap<>();
    static final Pattern[] PATTERN_LIST = new Pattern[PATTERNS.length];
    static final Map<String, Room> ROOMS_BY_CODE = new HashMap<>();
    static boolean FIXED;

    /** Scores finished hands in batches on a worker pool. */
    static final class BatchScorer {
        final ExecutorService executor;
        final List<Future<ScoreResult>> submitted = new ArrayList<>(); // checked "later"
        int checkedUpTo;
        long batches, submittedCount, checked, draws;

        BatchScorer() {
            AtomicInteger n = new AtomicInteger();
            executor = Executors.newFixedThreadPool(WORKERS, r -> { Thread t = new Thread(r, "hand-scorer-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }

        void submitBatch(List<Hand> hands, long at) {
            batches++;
            for (Hand h : hands) {
                submitted.add(executor.submit(() -> score(h, at)));
                submittedCount++;
            }
        }

        /** Waits for the futures not yet checked and hands their results on. */
        void checkSubmitted(MahjongService svc) throws InterruptedException, ExecutionException {
            for (int i = checkedUpTo; i < submitted.size(); i++) {
                ScoreResult r = submitted.get(i).get();
                svc.apply(r);
                checked++;
                if (r.winnerSeat() < 0) draws++;
            }
            checkedUpTo = submitted.size();
            if (FIXED) { submitted.clear(); checkedUpTo = 0; } // the fix
        }

        static ScoreResult score(Hand h, long at) {
            int[] deltas = new int[4];
            if (h.winnerSeat() < 0) return new ScoreResult(h.handId(), h.tableId(), -1, 0, deltas, new String[0], "draw (wall exhausted)", at);
            String[] codes = new String[h.patternIdx().length];
            StringBuilder b = new StringBuilder(160);
            int fan = h.flowers();
            for (int i = 0; i < codes.length; i++) {
                Pattern p = PATTERN_LIST[h.patternIdx()[i]];
                codes[i] = p.code();
                fan += p.fan();
                if (i > 0) b.append(" + ");
                b.append(p.name()).append(' ').append(p.fan());
            }
            if (h.flowers() > 0) b.append(" + Flower Tiles ").append(h.flowers());
            b.append(" = ").append(fan).append(" fan");
            int base = 8 + fan;
            for (int s = 0; s < 4; s++) {
                if (s == h.winnerSeat()) continue;
                int pay = h.discarderSeat() < 0 ? base : s == h.discarderSeat() ? base : 8;
                deltas[s] = -pay;
                deltas[h.winnerSeat()] += pay;
            }
            return new ScoreResult(h.handId(), h.tableId(), h.winnerSeat(), fan, deltas, codes, b.toString(), at);
        }
    }

    static final class ReplayCache extends LinkedHashMap<String, Replay> {
        long evicted;
        ReplayCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Replay> e) { if (size() > REPLAY_CAP) { evicted++; return true; } return false; }
    }

    static final class MahjongService {
        final Map<String, Player> players = new HashMap<>();
        final String[] playerIds = new String[PLAYERS];
        final Map<String, int[]> ratings = new HashMap<>();
        final BatchScorer scorer = new BatchScorer();
        final ReplayCache replays = new ReplayCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final HandRecord[] recentHands = new HandRecord[RING];
        final ArrayDeque<Notification> notifications = new ArrayDeque<>();
        long hands, applied, bigHands, notified, notificationsSent, views, encodes;

        void apply(ScoreResult r) {
            applied++;
            HandRecord h = recentHands[(int) ((applied - 1) % RING)];
            for (int s = 0; s < 4; s++) ratings.computeIfAbsent(h.seats()[s], k -> new int[2])[0] += r.deltas()[s];
            if (r.fan() >= 24) {
                bigHands++;
                notifications.addLast(new Notification(h.seats()[r.winnerSeat()], "You scored " + r.fan() + " fan at " + r.tableId() + ": " + r.patternCodes()[0], h.endedAt()));
                notified++;
            }
        }

        void expireNotifications(long t) {
            while (!notifications.isEmpty() && notifications.peekFirst().at() <= t - NOTIFY_DELAY) { notifications.pollFirst(); notificationsSent++; }
        }

        void viewReplay(Random r, long t) {
            views++;
            long n = Math.max(1, Math.min(hands, 5_000));
            String handId = "H" + Long.toString(0x1_0000_0000L + hands - r.nextInt((int) n), 36).toUpperCase();
            if (replays.get(handId) == null) replays.put(handId, new Replay(handId, new byte[400 + r.nextInt(400)], t));
            byte[] buf = encoderBuffers.poll();
            buf[(int) (encodes++ % buf.length)] = (byte) handId.length();
            encoderBuffers.add(buf);
        }
    }

    static MahjongService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        for (int i = 0; i < PATTERNS.length; i++) {
            PATTERN_LIST[i] = new Pattern(PATTERNS[i][0], PATTERNS[i][1], Integer.parseInt(PATTERNS[i][2]));
            PATTERNS_BY_CODE.put(PATTERNS[i][0], PATTERN_LIST[i]);
        }
        Random rnd = new Random(144_040_001);
        String[] roomCodes = new String[ROOMS];
        for (int i = 0; i < ROOMS; i++) {
            double[] occ = new double[48];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            roomCodes[i] = "RM-" + (300 + i);
            ROOMS_BY_CODE.put(roomCodes[i], new Room(roomCodes[i], "Room " + i, i % 3 == 0 ? "riichi" : i % 3 == 1 ? "mcr" : "hong-kong", occ));
        }
        MahjongService svc = new MahjongService();
        SERVICE = svc;
        for (int p = 0; p < PLAYERS; p++) {
            svc.playerIds[p] = "MJ" + (5_500_000 + p * 9);
            svc.players.put(svc.playerIds[p], new Player(svc.playerIds[p], "player_" + Integer.toString(p * 7_919, 36), 1_200 + rnd.nextInt(1_200), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[32_768]);

        Random traffic = new Random(144_040_002), views = new Random(144_040_003);
        List<Hand> batch = new ArrayList<>();
        for (long t = start; t < end; t += MINUTE) {
            batch.clear();
            for (int i = 0; i < HANDS_PER_MINUTE; i++) {
                long endedAt = t + i * 1_100L;
                String handId = "H" + Long.toString(0x1_0000_0000L + ++svc.hands, 36).toUpperCase();
                String table = roomCodes[traffic.nextInt(ROOMS)] + "-T" + (1 + traffic.nextInt(40));
                String[] seats = new String[4];
                for (int s = 0; s < 4; s++) seats[s] = svc.playerIds[traffic.nextInt(PLAYERS)];
                boolean draw = traffic.nextInt(100) < 12;
                int winner = draw ? -1 : traffic.nextInt(4);
                int discarder = draw || traffic.nextInt(3) == 0 ? -1 : (winner + 1 + traffic.nextInt(3)) % 4;
                int[] idx = new int[draw ? 0 : 1 + traffic.nextInt(5)];
                for (int k = 0; k < idx.length; k++) idx[k] = traffic.nextInt(100) < 6 ? traffic.nextInt(37) : 37 + traffic.nextInt(PATTERNS.length - 37);
                Hand h = new Hand(handId, table, seats, winner, discarder, idx, traffic.nextInt(4) == 0 ? 1 + traffic.nextInt(4) : 0, endedAt);
                svc.recentHands[(int) ((svc.hands - 1) % RING)] = new HandRecord(handId, table, seats, endedAt);
                batch.add(h);
            }
            svc.scorer.submitBatch(batch, t + MINUTE - SECOND);
            svc.scorer.checkSubmitted(svc);
            for (int i = 0; i < REPLAY_VIEWS_PER_MINUTE; i++) svc.viewReplay(views, t + i * 6 * SECOND);
            svc.expireNotifications(t + MINUTE - 1);
        }
        batch.clear();
    }

    static void report() {
        MahjongService svc = SERVICE;
        BatchScorer sc = svc.scorer;
        long done = 0, resultChars = 0;
        for (Future<ScoreResult> f : sc.submitted) {
            if (f.isDone()) done++;
            try { resultChars += f.get().breakdown().length(); } catch (Exception e) { throw new IllegalStateException(e); }
        }
        int workers = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("hand-scorer-")) workers++;
        System.out.println((FIXED ? "FIXED " : "") + "patterns " + PATTERNS_BY_CODE.size() + " rooms " + ROOMS_BY_CODE.size() + " players " + svc.players.size()
                + " hands " + svc.hands + " batches " + sc.batches + " submitted " + sc.submittedCount + " checked " + sc.checked + " draws " + sc.draws
                + " futures held " + sc.submitted.size() + " (done " + done + ", breakdown chars " + resultChars + ") checked up to " + sc.checkedUpTo + " workers " + workers
                + " ratings " + svc.ratings.size() + " big hands " + svc.bigHands + " replays " + svc.replays.size() + " (evicted " + svc.replays.evicted + ") pool " + svc.encoderBuffers.size()
                + " notifications " + svc.notifications.size() + " (" + svc.notified + " / " + svc.notificationsSent + ")");
        long hands = (long) HANDS_PER_MINUTE * 60 * HOURS;
        check(PATTERNS_BY_CODE.size() == PATTERNS.length && ROOMS_BY_CODE.size() == ROOMS && svc.players.size() == PLAYERS, "reference data / directory");
        check(svc.hands == hands && sc.submittedCount == hands && sc.checked == hands && svc.applied == hands && sc.batches == 60L * HOURS, "hands");
        check(sc.submitted.size() == (FIXED ? 0 : hands) && done == sc.submitted.size() && sc.checkedUpTo == sc.submitted.size(), "futures held " + sc.submitted.size());
        check(resultChars == (FIXED ? 0 : EXPECTED[0]) && sc.draws == EXPECTED[1], "breakdowns / draws " + resultChars + " / " + sc.draws);
        check(workers == WORKERS, "workers " + workers);
        check(svc.ratings.size() == EXPECTED[2] && svc.bigHands == EXPECTED[3], "ratings / big hands " + svc.ratings.size() + " / " + svc.bigHands);
        check(svc.replays.size() == REPLAY_CAP && svc.replays.evicted == EXPECTED[4], "replay cache " + svc.replays.evicted);
        check(svc.encoderBuffers.size() == POOL && svc.recentHands[RING - 1] != null, "pool / ring");
        check(svc.notifications.size() == EXPECTED[5], "notifications " + svc.notifications.size());
    }

    /** Breakdown characters held, draws, rated players, big hands, replays evicted, notification backlog. */
    static final long[] EXPECTED = {1_864_463, 3_661, 23_843, 5_443, 3_381, 25};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val144.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
