// hprofscan-dump: name=val144-healthy-rodeos-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val144-healthy-rodeos-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val144-healthy-rodeos jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val144-healthy-rodeos-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 144 (written blind), HEALTHY: the live results service of a rodeo association.
 * Judge and timer messages from every sanctioned rodeo are consumed (three attempts each); the few
 * that still fail go to a dead-letter queue capped at 256 that a replay job drains every 15
 * minutes. Each accepted ride is an event of an event-sourced standings aggregate (circuit x
 * discipline x division, 200 of them), snapshotted every 500 events (the events before a snapshot
 * are dropped). Beside them: arena reference data, the contestant and bucking-stock directories, a
 * leaderboard-page cache that warms up to its cap, a pool of photo buffers, a ring of recent rides
 * and the announcer feed with its normal backlog. Series: 2 / 4 / 8 h. See VALIDATION144.md.
 */
public final class Val144HealthyRodeos {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ARENAS = 700, CONTESTANTS = 22_000, STOCK = 4_000, CIRCUITS = 10, DIVISIONS = 2, PAGE_CAP = 1_500, PAGE_KEYS = 6_000,
            POOL = 8, RING = 8_192, MESSAGES_PER_MINUTE = 1_500, PAGE_VIEWS_PER_MINUTE = 10, ANNOUNCEMENTS_PER_MINUTE = 20, MAX_ATTEMPTS = 3, DLQ_CAP = 256, SNAPSHOT_EVERY = 500,
            ROSTER = CONTESTANTS / (CIRCUITS * 10 * DIVISIONS);
    static final long REPLAY_EVERY = 15 * MINUTE, ANNOUNCE_DELAY = 3 * MINUTE;
    static final String[] DISCIPLINES = {"bareback", "saddle-bronc", "bull-riding", "tie-down-roping", "steer-wrestling",
            "team-roping-header", "team-roping-heeler", "barrel-racing", "breakaway-roping", "goat-tying"};
    static final String[] DIVISION_NAMES = {"pro", "youth"};
    static final String TOPIC = "rodeo.scores.v3";

    record Arena(String code, String town, int seats, double[] attendanceByWeek) {}
    record Contestant(String memberNo, String name, String homeCircuit, byte[] profile, long memberSince) {}
    record BuckingStock(String brand, String name, String contractor, byte[] record, long registeredAt) {}
    record LeaderboardPage(String key, byte[] html, long renderedAt) {}
    record Ride(String memberNo, String standingKey, String stockBrand, int scoreTenths, long at) {}
    record Announcement(String arena, String text, long at) {}
    record Message(String id, String topic, int partition, long offset, byte[] payload, long at) {}
    record DeadLetter(Message message, Exception error, int attempts, long deadAt) {}

    /** A ride accepted into a standings aggregate (the aggregate's event). */
    static final class RideScored {
        final int seq; final long at; final String memberNo, stockBrand; final short scoreTenths; final int payoutCents;
        RideScored(int seq, long at, String memberNo, String stockBrand, short scoreTenths, int payoutCents) {
            this.seq = seq; this.at = at; this.memberNo = memberNo; this.stockBrand = stockBrand; this.scoreTenths = scoreTenths; this.payoutCents = payoutCents;
        }
    }

    record StandingSnapshot(String key, int version, long takenAt, HashMap<String, Long> earningsCents) {}

    /** Event-sourced standings of one circuit / discipline / division. */
    static final class Standing {
        final String key;
        final HashMap<String, Long> earningsCents = new HashMap<>();
        final ArrayList<RideScored> events = new ArrayList<>();
        int version, snapshotVersion;
        StandingSnapshot snapshot;
        Standing(String key) { this.key = key; }

        void apply(RideScored e) {
            events.add(e);
            version = e.seq;
            earningsCents.merge(e.memberNo, (long) e.payoutCents, Long::sum);
        }
    }

    static final class StandingsStore {
        final Map<String, Standing> byKey = new HashMap<>();
        long appended, snapshots;

        void append(Standing s, String memberNo, String stockBrand, int scoreTenths, int payoutCents, long at) {
            s.apply(new RideScored(s.version + 1, at, memberNo, stockBrand, (short) scoreTenths, payoutCents));
            appended++;
            if (s.version - s.snapshotVersion >= SNAPSHOT_EVERY) {
                s.snapshot = new StandingSnapshot(s.key, s.version, at, new HashMap<>(s.earningsCents));
                s.snapshotVersion = s.version;
                s.events.clear(); // the journal keeps them; the aggregate replays from the snapshot
                snapshots++;
            }
        }
    }

    static final class ScoreRejected extends Exception {
        ScoreRejected(String message) { super(message); }
    }

    static final class PageCache extends LinkedHashMap<String, LeaderboardPage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LeaderboardPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class ResultsService {
        final Map<String, Contestant> contestants = new HashMap<>();
        final String[] memberNos = new String[CONTESTANTS];
        final Map<String, BuckingStock> stock = new HashMap<>();
        final String[] brands = new String[STOCK];
        final StandingsStore standings = new StandingsStore();
        final String[] standingKeys = new String[CIRCUITS * DISCIPLINES.length * DIVISIONS];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Ride[] recentRides = new Ride[RING];
        final ArrayDeque<Announcement> announcer = new ArrayDeque<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
        final java.util.Set<String> pendingRegistrations = new java.util.HashSet<>();
        long consumed, accepted, retried, deadLettered, replayRuns, replayed, parked, dlqOverflow, rides, announced, announcedSent, pageViews;

        void handle(Message m, int attempt) throws ScoreRejected {
            String json = new String(m.payload(), StandardCharsets.UTF_8);
            String member = field(json, "member");
            if (json.contains("\"judgeKey\":\"rotated\"") && attempt == 1) throw new ScoreRejected("judge key rotated, refetching signing keys for " + field(json, "arena"));
            if (!contestants.containsKey(member) || pendingRegistrations.contains(member)) throw new ScoreRejected("unknown contestant " + member + " in " + m.id());
            if (json.contains("\"score\":-")) throw new ScoreRejected("negative score in " + m.id() + " from arena " + field(json, "arena"));
            Standing s = standings.byKey.get(field(json, "standing"));
            int score = Integer.parseInt(field(json, "score"));
            String memberNo = contestants.get(member).memberNo(), brand = stock.get(field(json, "stock")).brand(); // the directories' keys
            standings.append(s, memberNo, brand, score, score * 37 + 5_000, m.at());
            Ride r = new Ride(memberNo, s.key, brand, score, m.at());
            recentRides[(int) (rides++ % RING)] = r;
            accepted++;
        }

        static String field(String json, String name) {
            int i = json.indexOf("\"" + name + "\":");
            int from = i + name.length() + 3;
            boolean quoted = json.charAt(from) == '"';
            if (quoted) from++;
            int to = from;
            while (to < json.length() && json.charAt(to) != (quoted ? '"' : ',') && json.charAt(to) != '}') to++;
            return json.substring(from, to);
        }

        void consume(Message m) {
            consumed++;
            Exception last = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                try {
                    handle(m, attempt);
                    return;
                } catch (ScoreRejected e) {
                    last = e;
                    if (attempt < MAX_ATTEMPTS) retried++;
                }
            }
            deadLetters.addLast(new DeadLetter(m, last, MAX_ATTEMPTS, m.at()));
            deadLettered++;
            if (deadLetters.size() > DLQ_CAP) { deadLetters.removeFirst(); dlqOverflow++; parked++; }
        }

        /** The replay job: re-delivers every dead letter; what fails again is parked on the durable topic. */
        void replay(long t) {
            replayRuns++;
            pendingRegistrations.clear(); // the registrations office has caught up
            while (!deadLetters.isEmpty()) {
                DeadLetter d = deadLetters.pollFirst();
                try {
                    handle(d.message(), MAX_ATTEMPTS + 1);
                    replayed++;
                } catch (ScoreRejected e) {
                    parked++;
                }
            }
        }

        void viewPage(Random r, long t) {
            pageViews++;
            String key = "lb/" + standingKeys[r.nextInt(standingKeys.length)] + "/p" + r.nextInt(PAGE_KEYS / standingKeys.length);
            if (pages.get(key) == null) pages.put(key, new LeaderboardPage(key, new byte[1_000 + r.nextInt(1_000)], t));
            byte[] buf = photoBuffers.poll();
            buf[(int) (pageViews % buf.length)] = (byte) key.length();
            photoBuffers.add(buf);
        }

        void announce(Random r, long t) {
            Ride last = recentRides[(int) ((rides - 1) % RING)];
            if (last == null) return;
            announcer.addLast(new Announcement("AR-" + (1_000 + r.nextInt(ARENAS)), "Next up out of chute " + (1 + r.nextInt(8)) + ": " + last.memberNo() + " on " + last.stockBrand(), t));
            announced++;
            while (!announcer.isEmpty() && announcer.peekFirst().at() <= t - ANNOUNCE_DELAY) { announcer.pollFirst(); announcedSent++; }
        }
    }

    static ResultsService SERVICE;
    static int STAGE, HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(144_060_001);
        for (int a = 0; a < ARENAS; a++) {
            double[] att = new double[52];
            for (int w = 0; w < att.length; w++) att[w] = rnd.nextDouble() * 9_000;
            String code = "AR-" + (1_000 + a);
            ARENAS_BY_CODE.put(code, new Arena(code, "Town " + (a % 340), 800 + rnd.nextInt(20_000), att));
        }
        ResultsService svc = new ResultsService();
        SERVICE = svc;
        for (int c = 0; c < CONTESTANTS; c++) {
            svc.memberNos[c] = "RC" + (400_000 + c * 7);
            svc.contestants.put(svc.memberNos[c], new Contestant(svc.memberNos[c], "Contestant " + c, "CIR-" + (c / (CONTESTANTS / CIRCUITS)),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int s = 0; s < STOCK; s++) {
            svc.brands[s] = "BR-" + Integer.toString(36 * 36 + s * 11, 36).toUpperCase();
            svc.stock.put(svc.brands[s], new BuckingStock(svc.brands[s], "Animal " + s, "Contractor " + (s % 60), new byte[100 + rnd.nextInt(100)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        int k = 0;
        for (int c = 0; c < CIRCUITS; c++) for (String d : DISCIPLINES) for (String v : DIVISION_NAMES) {
            String key = "CIR-" + c + "/" + d + "/" + v;
            svc.standingKeys[k++] = key;
            svc.standings.byKey.put(key, new Standing(key));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);

        Random traffic = new Random(144_060_002), views = new Random(144_060_003), ann = new Random(144_060_004);
        double[] weight = new double[svc.standingKeys.length];
        double total = 0;
        for (int i = 0; i < weight.length; i++) { weight[i] = 0.5 + (i * 7 % 11) / 10.0; total += weight[i]; }
        long seq = 0;
        long nextReplay = start + REPLAY_EVERY;
        for (long t = start; t < end; t += MINUTE) {
            while (nextReplay <= t) { svc.replay(nextReplay); nextReplay += REPLAY_EVERY; }
            for (int i = 0; i < MESSAGES_PER_MINUTE; i++) {
                long at = t + i * 40L;
                double x = traffic.nextDouble() * total;
                int si = 0;
                while (si < weight.length - 1 && x >= weight[si]) { x -= weight[si]; si++; }
                String member = svc.memberNos[si * ROSTER + traffic.nextInt(ROSTER)]; // the standing's roster
                int fate = traffic.nextInt(1_000);
                if (fate < 3) svc.pendingRegistrations.add(member);
                int score = fate == 3 ? -(1 + traffic.nextInt(9)) : 500 + traffic.nextInt(450);
                String json = "{\"arena\":\"AR-" + (1_000 + traffic.nextInt(ARENAS)) + "\",\"standing\":\"" + svc.standingKeys[si] + "\",\"member\":\"" + member
                        + "\",\"stock\":\"" + svc.brands[traffic.nextInt(STOCK)] + "\",\"score\":" + score + ",\"judgeKey\":\"" + (fate >= 4 && fate < 12 ? "rotated" : "current")
                        + "\",\"at\":" + at + "}";
                seq++;
                svc.consume(new Message("msg-" + Long.toHexString(0x9a0_0000L + seq), TOPIC, (int) (seq % 12), seq / 12, json.getBytes(StandardCharsets.UTF_8), at));
            }
            for (int i = 0; i < PAGE_VIEWS_PER_MINUTE; i++) svc.viewPage(views, t + i * 6 * SECOND);
            for (int i = 0; i < ANNOUNCEMENTS_PER_MINUTE; i++) svc.announce(ann, t + i * 3 * SECOND);
        }
    }

    static void report() {
        ResultsService svc = SERVICE;
        int held = 0, maxHeld = 0, snapshotted = 0;
        for (Standing s : svc.standings.byKey.values()) {
            held += s.events.size();
            maxHeld = Math.max(maxHeld, s.events.size());
            if (s.snapshot != null) snapshotted++;
        }
        System.out.println("stage " + STAGE + " arenas " + ARENAS_BY_CODE.size() + " contestants " + svc.contestants.size() + " stock " + svc.stock.size()
                + " messages " + svc.consumed + " accepted " + svc.accepted + " retried " + svc.retried + " dead-lettered " + svc.deadLettered
                + " replay runs " + svc.replayRuns + " replayed " + svc.replayed + " parked " + svc.parked + " dlq " + svc.deadLetters.size() + " (overflow " + svc.dlqOverflow + ")"
                + " standings " + svc.standings.byKey.size() + " events appended " + svc.standings.appended + " snapshots " + svc.standings.snapshots
                + " held " + held + " (max " + maxHeld + ", snapshotted " + snapshotted + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ")"
                + " pool " + svc.photoBuffers.size() + " rides " + svc.rides + " announcer " + svc.announcer.size() + " (" + svc.announced + " / " + svc.announcedSent + ")");
        long messages = (long) MESSAGES_PER_MINUTE * 60 * HOURS;
        check(ARENAS_BY_CODE.size() == ARENAS && svc.contestants.size() == CONTESTANTS && svc.stock.size() == STOCK, "reference data / directories");
        check(svc.consumed == messages && svc.accepted + svc.deadLettered == messages + svc.replayed, "messages");
        check(svc.deadLettered == svc.replayed + svc.parked + svc.deadLetters.size(), "dead letters accounted");
        check(svc.deadLetters.size() <= DLQ_CAP && svc.dlqOverflow == 0, "dead-letter queue bounded");
        check(svc.standings.byKey.size() == 200 && maxHeld < SNAPSHOT_EVERY && held == svc.standings.appended - (long) svc.standings.snapshots * SNAPSHOT_EVERY, "standings snapshotted");
        check(svc.photoBuffers.size() == POOL && svc.recentRides[RING - 1] != null, "pool / ring");
        int[] e = EXPECTED[STAGE];
        check(svc.deadLettered == e[0] && svc.replayed == e[1] && svc.parked == e[2] && svc.deadLetters.size() == e[3], "dead letters " + svc.deadLettered + "/" + svc.replayed + "/" + svc.parked + "/" + svc.deadLetters.size());
        check(held == e[4] && svc.standings.snapshots == e[5], "held events / snapshots " + held + " / " + svc.standings.snapshots);
        check(svc.pages.size() == e[6] && svc.pages.evicted == e[7] && svc.announcer.size() == e[8], "pages / announcer " + svc.pages.size() + " / " + svc.pages.evicted + " / " + svc.announcer.size());
    }

    /** Per stage: dead-lettered, replayed, parked, in the dead-letter queue, events held, snapshots, pages, evicted, announcer backlog. */
    static final int[][] EXPECTED = {
        {},
        {1_024, 742, 138, 144, 49_218, 261, 1_080, 0, 60},
        {2_031, 1_587, 291, 153, 49_556, 620, 1_500, 492, 60},
        {4_103, 3_297, 668, 138, 49_194, 1_340, 1_500, 2_268, 60},
    };

    public static void main(String[] args) throws Exception {
        STAGE = Integer.parseInt(args[2]);
        HOURS = STAGE == 1 ? 2 : STAGE == 2 ? 4 : 8;
        simulate(HOURS);
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
