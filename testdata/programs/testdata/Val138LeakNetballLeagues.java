// hprofscan-dump: name=val138-leak-netballleagues-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val138-leak-netballleagues-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val138-leak-netballleagues jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val138-leak-netballleagues-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 138 (written blind), LEAK: the live-scoring service of a netball league platform.
 * Courtside scoring tablets publish court events (centre pass, goal, substitution, timeout, quarter
 * end, score correction) to the 12-partition topic "court-events"; the consumer hands them to
 * workers that finish out of order and tracks, per partition, the acked offsets above the committed
 * watermark in a TreeMap, pruned as the contiguous watermark advances. A score correction sent by
 * an old tablet build (quarter 0) fails validation on three partitions; the consumer logs it and
 * skips it WITHOUT acking it, so those partitions' watermarks never move again and every later
 * acked offset stays in their maps. The other nine partitions hold only their in-flight window.
 * Plus venue reference data, the player directory, the fixture list, a cache of rendered league
 * tables at its cap, a pool of scoresheet buffers, a ring of recent events and a push-notice queue
 * with its normal backlog. Series 2 / 4 / 8 h. See VALIDATION138.md.
 */
public final class Val138LeakNetballLeagues {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int VENUES = 900, PLAYERS = 18_000, FIXTURES = 6_000, TABLE_CAP = 2_000, POOL = 8, RING = 8_192, PARTITIONS = 12, EVENTS_PER_HOUR = 42_000;
    static final int[] POISON_PARTITION = {2, 5, 9};
    static final int[] POISON_MINUTE = {17, 29, 41};
    static boolean FIXED;

    record Venue(String code, String name, String region, double[] courtHoursByWeek) {}
    record Player(String regNo, String club, String position, byte[] profile, long registeredAt) {}
    record Fixture(String fixtureId, String venue, String homeTeam, String awayTeam, String division, long throwUpAt) {}
    record CourtEvent(long offset, int partition, String eventId, String fixtureId, String kind, String playerRegNo, int quarter, int homeScore, int awayScore, String appBuild, long at) {}
    record Ack(long offset, long ackedAt, int worker, int handlingMicros, String eventId) {}
    record RenderedTable(String key, byte[] html, long renderedAt) {}
    record PushNotice(String fixtureId, String text, long queuedAt) {}
    record SkippedMessage(int partition, long offset, String eventId, String reason, long at) {}

    static final class MalformedEventException extends Exception {
        MalformedEventException(String message) { super(message, null, false, false); }
    }

    /** Acked offsets above the committed watermark of one partition of "court-events". */
    static final class PartitionTracker {
        final int partition;
        final TreeMap<Long, Ack> acked = new TreeMap<>();
        final ArrayList<CourtEvent> inFlight = new ArrayList<>();
        long nextOffset, committed, lastCommitted, acks, commits;
        PartitionTracker(int partition, long firstOffset) { this.partition = partition; this.nextOffset = firstOffset; this.committed = firstOffset; this.lastCommitted = firstOffset; }

        void ack(long offset, Ack a) {
            acked.put(offset, a);
            acks++;
            Map.Entry<Long, Ack> first; // prune below the contiguous watermark
            while ((first = acked.firstEntry()) != null && first.getKey() == committed) { acked.pollFirstEntry(); committed++; }
        }

        void commitIfAdvanced() { if (committed != lastCommitted) { lastCommitted = committed; commits++; } }
    }

    static final class TableCache extends LinkedHashMap<String, RenderedTable> {
        long evicted;
        TableCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedTable> e) { if (size() > TABLE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class CourtEventConsumer {
        final PartitionTracker[] trackers = new PartitionTracker[PARTITIONS];
        final List<SkippedMessage> skipped = new ArrayList<>(); // the ops log of skipped messages
        long handled;
    }

    static final class LeagueService {
        final Map<String, Player> players = new HashMap<>();
        final String[] regNos = new String[PLAYERS];
        final Map<String, Fixture> fixtures = new HashMap<>();
        final String[] fixtureIds = new String[FIXTURES];
        final CourtEventConsumer consumer = new CourtEventConsumer();
        final TableCache tables = new TableCache();
        final ArrayDeque<byte[]> scoresheetBuffers = new ArrayDeque<>();
        final CourtEvent[] recentEvents = new CourtEvent[RING];
        final ArrayDeque<PushNotice> pushQueue = new ArrayDeque<>();
        long events, goals, pushesSent;
    }

    static LeagueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] KINDS = {"CENTRE_PASS", "GOAL", "GOAL", "MISSED_SHOT", "INTERCEPT", "SUBSTITUTION", "TIMEOUT", "QUARTER_END", "SCORE_CORRECTION"};
    static final String[] BUILDS = {"4.8.2+1407", "4.8.3+1412", "4.9.0+1433", "4.9.1+1440"};

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(138_020_001);
        String[] regions = {"North West", "Yorkshire", "West Midlands", "London", "South East", "South West", "East", "Wales", "Scotland"};
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] hoursByWeek = new double[52];
            for (int k = 0; k < hoursByWeek.length; k++) hoursByWeek[k] = rnd.nextDouble() * 60;
            venueCodes[v] = "NV-" + (1_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Leisure centre " + v, regions[v % regions.length], hoursByWeek));
        }
        LeagueService svc = new LeagueService();
        SERVICE = svc;
        String[] positions = {"GS", "GA", "WA", "C", "WD", "GD", "GK"};
        for (int i = 0; i < PLAYERS; i++) {
            svc.regNos[i] = "NB" + (3_100_000 + i * 13);
            svc.players.put(svc.regNos[i], new Player(svc.regNos[i], "Club " + rnd.nextInt(1_200), positions[rnd.nextInt(positions.length)], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(3_000)) * DAY));
        }
        for (int f = 0; f < FIXTURES; f++) {
            svc.fixtureIds[f] = "FX-" + (240_000 + f);
            svc.fixtures.put(svc.fixtureIds[f], new Fixture(svc.fixtureIds[f], venueCodes[rnd.nextInt(VENUES)], "Team " + rnd.nextInt(1_800), "Team " + rnd.nextInt(1_800), "Division " + (1 + rnd.nextInt(9)), start + rnd.nextInt(8) * HOUR));
        }
        CourtEventConsumer consumer = svc.consumer;
        for (int p = 0; p < PARTITIONS; p++) consumer.trackers[p] = new PartitionTracker(p, 9_600_000L + p * 31_000L);
        for (int b = 0; b < POOL; b++) svc.scoresheetBuffers.add(new byte[32_768]);
        Random traffic = new Random(138_020_002), work = new Random(138_020_003);
        int n = EVENTS_PER_HOUR * hours;
        int poisonAt0 = POISON_MINUTE[0] * EVENTS_PER_HOUR / 60, poisonAt1 = POISON_MINUTE[1] * EVENTS_PER_HOUR / 60, poisonAt2 = POISON_MINUTE[2] * EVENTS_PER_HOUR / 60;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            int p = traffic.nextInt(PARTITIONS);
            int kind = traffic.nextInt(KINDS.length - 1);
            String build = BUILDS[traffic.nextInt(BUILDS.length)];
            int quarter = 1 + traffic.nextInt(4);
            int poison = i == poisonAt0 ? 0 : i == poisonAt1 ? 1 : i == poisonAt2 ? 2 : -1;
            if (poison >= 0) { p = POISON_PARTITION[poison]; kind = KINDS.length - 1; build = "3.12.0+988"; quarter = 0; } // the old tablet build's score correction
            PartitionTracker tr = consumer.trackers[p];
            long offset = tr.nextOffset++;
            String fixture = svc.fixtureIds[traffic.nextInt(FIXTURES)];
            CourtEvent e = new CourtEvent(offset, p, "ce-" + Long.toHexString(0x3a0000000L + (long) i * 7_919), fixture, KINDS[kind], svc.regNos[traffic.nextInt(PLAYERS)], quarter,
                    traffic.nextInt(70), traffic.nextInt(70), build, t);
            svc.events++;
            svc.recentEvents[(int) (svc.events % RING)] = e;
            tr.inFlight.add(e);
            int depth = 6 + work.nextInt(27);
            while (tr.inFlight.size() > depth) { // workers finish roughly in order: the older of two random in-flight events
                int k = Math.min(work.nextInt(tr.inFlight.size()), work.nextInt(tr.inFlight.size()));
                process(svc, tr, tr.inFlight.remove(k), work, t);
            }
            if (i % 1_000 == 999) for (PartitionTracker x : consumer.trackers) x.commitIfAdvanced();
            if (traffic.nextInt(4) == 0) {
                String key = "table-" + traffic.nextInt(4_000);
                if (svc.tables.get(key) == null) svc.tables.put(key, new RenderedTable(key, new byte[400 + traffic.nextInt(400)], t));
            }
            while (!svc.pushQueue.isEmpty() && svc.pushQueue.peekFirst().queuedAt() <= t - 3 * MINUTE) { svc.pushQueue.pollFirst(); svc.pushesSent++; }
        }
    }

    static void process(LeagueService svc, PartitionTracker tr, CourtEvent e, Random work, long t) {
        int worker = work.nextInt(8), micros = 200 + work.nextInt(6_000);
        try {
            handle(svc, e, t);
            svc.consumer.handled++;
        } catch (MalformedEventException ex) {
            svc.consumer.skipped.add(new SkippedMessage(e.partition(), e.offset(), e.eventId(), ex.getMessage(), t));
            if (!FIXED) return; // BUG: a skipped message is never acked, so the watermark stops at it
        }
        tr.ack(e.offset(), new Ack(e.offset(), t, worker, micros, e.eventId()));
    }

    static void handle(LeagueService svc, CourtEvent e, long t) throws MalformedEventException {
        if (e.quarter() < 1 || e.quarter() > 4) throw new MalformedEventException("quarter " + e.quarter() + " out of range in " + e.kind() + " " + e.eventId() + " from tablet build " + e.appBuild());
        byte[] buf = svc.scoresheetBuffers.poll();
        buf[(int) (e.offset() % buf.length)] = (byte) e.homeScore();
        svc.scoresheetBuffers.add(buf);
        if (e.kind().equals("GOAL")) {
            svc.goals++;
            if (svc.goals % 12 == 0) svc.pushQueue.addLast(new PushNotice(e.fixtureId(), "Q" + e.quarter() + ": " + e.homeScore() + "-" + e.awayScore() + " in " + e.fixtureId(), t));
        }
    }

    static final long[][] EXPECT = {
            // events, handled, inFlight, acked in the 3 stuck partitions, acked in the other 9, pushes queued
            {84_000L, 83_859L, 138L, 15_867L, 68L, 42L},
            {168_000L, 167_857L, 140L, 37_071L, 127L, 43L},
            {336_000L, 335_876L, 121L, 78_847L, 86L, 45L},
    };

    static void report(int stage) {
        LeagueService svc = SERVICE;
        CourtEventConsumer c = svc.consumer;
        long inFlight = 0, stuck = 0, others = 0, maxOther = 0, acks = 0, commits = 0;
        StringBuilder per = new StringBuilder();
        for (PartitionTracker tr : c.trackers) {
            inFlight += tr.inFlight.size();
            boolean poisoned = tr.partition == 2 || tr.partition == 5 || tr.partition == 9;
            if (poisoned) stuck += tr.acked.size(); else { others += tr.acked.size(); maxOther = Math.max(maxOther, tr.acked.size()); }
            acks += tr.acks;
            commits += tr.commits;
            per.append(' ').append(tr.acked.size());
        }
        String line = (FIXED ? "FIXED " : "") + "stage " + stage + " venues " + VENUES_BY_CODE.size() + " players " + svc.players.size() + " fixtures " + svc.fixtures.size() + " events " + svc.events + " handled " + c.handled
                + " skipped " + c.skipped.size() + " acks " + acks + " commits " + commits + " inFlight " + inFlight + " ackedStuck " + stuck + " ackedOthers " + others + " (max " + maxOther + "; by partition" + per + ")"
                + " tables " + svc.tables.size() + " (evicted " + svc.tables.evicted + ") goals " + svc.goals + " pushes " + svc.pushesSent + " sent " + svc.pushQueue.size() + " queued";
        System.out.println(line);
        check(VENUES_BY_CODE.size() == VENUES && svc.players.size() == PLAYERS && svc.fixtures.size() == FIXTURES, "reference data / directories");
        check(c.skipped.size() == 3 && c.handled + 3 + inFlight == svc.events, "three poison messages skipped");
        check(maxOther < 128, "healthy partitions hold only their in-flight window");
        if (FIXED) check(stuck < 3 * 128 && acks == svc.events - inFlight, "fix: skipped messages acked");
        else {
            long[] e = EXPECT[stage - 1];
            long[] got = {svc.events, c.handled, inFlight, stuck, others, svc.pushQueue.size()};
            for (int k = 0; k < e.length; k++) check(e[k] < 0 || e[k] == got[k], "stage " + stage + " value " + k + " = " + got[k] + ", expected " + e[k]);
            check(acks == c.handled, "only handled events acked");
        }
        check(svc.tables.size() == TABLE_CAP && svc.tables.evicted > 0 && svc.scoresheetBuffers.size() == POOL && svc.recentEvents[RING - 1] != null, "cache at cap / pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val138.fixed");
        int stage = Integer.parseInt(args[2]);
        simulate(stage == 1 ? 2 : stage == 2 ? 4 : 8);
        report(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
