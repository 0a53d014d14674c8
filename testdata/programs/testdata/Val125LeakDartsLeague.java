// hprofscan-dump: name=val125-leak-dartsleague jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val125-leak-dartsleague-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 125 (written blind), LEAK: the live-scoring service of a county pub darts league.
 * Markers' tablets post every visit; spectators' scoreboard pages long-poll for the next score of a
 * match. Each long-poll registers a listener on the long-lived ScoreFeed through
 * subscribe(matchId, listener), which returns a Subscription (AutoCloseable) meant to be closed when
 * the poll completes; the endpoint drops the handle instead, so the feed's registrations map (a
 * LinkedHashMap by handle id) keeps every listener, and with it the finished poll request and its
 * response buffer. Ordinary components beside it: venue reference data, the player registry, the
 * night's fixtures, an LRU of rendered scoreboards at its cap, a pool of render buffers, a ring of
 * recent visits, the result-countersign queue with its backlog. 8 simulated hours.
 * See VALIDATION125.md.
 */
public final class Val125LeakDartsLeague {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TICK = 10 * SECOND, POLL_TIMEOUT = 25 * SECOND;
    static final int VENUES = 1_000, PLAYERS = 20_000, FIXTURES = 400, BOARD_CAP = 1_500, POOL = 8, RING = 16_384, HOURS = 8, TEAMS = 240,
            COUNTERSIGN_MINUTES = 30, RESPONSE_BYTES = 384;
    static boolean FIXED;

    record Venue(String code, String pub, String town, double[] footfallByHalfHour) {}
    record Player(String playerId, String name, String team, byte[] profile, short[] lastAverages, long registeredAt) {}
    static final class Match {
        final String matchId, home, away, venue; final long startAt, endAt;
        int leg = 1, homeLegs, awayLegs, homeLeft = 501, awayLeft = 501, version;
        Match(String matchId, String home, String away, String venue, long startAt, long endAt) { this.matchId = matchId; this.home = home; this.away = away; this.venue = venue; this.startAt = startAt; this.endAt = endAt; }
    }
    record ScoreUpdate(String matchId, int leg, int homeLeft, int awayLeft, int visit, int version, long at) {}
    record Visit(String matchId, String playerId, int score, long at) {}
    record RenderedBoard(String key, byte[] html, long renderedAt) {}
    record MatchResult(String matchId, int homeLegs, int awayLegs, long finishedAt) {}

    interface ScoreListener { void onUpdate(ScoreUpdate u); }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    /** The long-lived score feed: listeners by handle id. */
    static final class ScoreFeed {
        final LinkedHashMap<Long, Registration> registrations = new LinkedHashMap<>();
        long nextHandle = 1, delivered, published;

        record Registration(long handle, String matchId, ScoreListener listener, long since) {}

        Subscription subscribe(String matchId, ScoreListener l, long t) {
            long h = nextHandle++;
            registrations.put(h, new Registration(h, matchId, l, t));
            return new Subscription(this, h);
        }
        void unsubscribe(long handle) { registrations.remove(handle); }
        void publish(ScoreUpdate u) {
            published++;
            for (Registration r : registrations.values()) if (r.matchId().equals(u.matchId())) { r.listener().onUpdate(u); delivered++; }
        }
    }

    /** The handle subscribe() returns: close() unregisters. */
    static final class Subscription implements AutoCloseable {
        final ScoreFeed feed; final long handle;
        Subscription(ScoreFeed feed, long handle) { this.feed = feed; this.handle = handle; }
        @Override public void close() { feed.unsubscribe(handle); }
    }

    static final class LongPollRequest {
        final String requestId, matchId, clientAddress; final long deadline;
        final byte[] response = new byte[RESPONSE_BYTES];
        int written; boolean completed; Subscription subscription;
        LongPollRequest(String requestId, String matchId, String clientAddress, long deadline) { this.requestId = requestId; this.matchId = matchId; this.clientAddress = clientAddress; this.deadline = deadline; }
        void complete(ScoreUpdate u) {
            if (completed) return; // a late update for a finished poll: ignored
            String body = u == null ? "{\"changed\":false}" : "{\"match\":\"" + u.matchId() + "\",\"leg\":" + u.leg() + ",\"home\":" + u.homeLeft() + ",\"away\":" + u.awayLeft() + ",\"v\":" + u.version() + "}";
            byte[] b = body.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, response, 0, Math.min(b.length, response.length));
            written = b.length;
            completed = true;
        }
    }

    static final class BoardCache extends LinkedHashMap<String, RenderedBoard> {
        long evicted;
        BoardCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final class ScoringService {
        final Map<String, Player> players = new HashMap<>();
        final String[] playerIds = new String[PLAYERS];
        final Map<String, Match> fixtures = new LinkedHashMap<>();
        final ScoreFeed feed = new ScoreFeed();
        final LinkedHashMap<String, LongPollRequest> waiting = new LinkedHashMap<>(); // polls in flight
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Visit[] visits = new Visit[RING];
        final ArrayDeque<MatchResult> countersign = new ArrayDeque<>();
        long polls, completedByUpdate, timedOut, visitCount, renders, finished, signed;

        /** The scoreboard endpoint's long-poll. */
        void longPoll(LongPollRequest req, long t, Random r) {
            polls++;
            Match m = fixtures.get(req.matchId);
            String key = m.matchId + "#v" + m.version;
            RenderedBoard b = boards.get(key);
            if (b == null) {
                b = new RenderedBoard(key, new byte[400 + r.nextInt(400)], t);
                boards.put(key, b);
                byte[] buf = renderBuffers.poll();
                buf[r.nextInt(buf.length)] = (byte) b.html().length;
                renderBuffers.add(buf);
                renders++;
            }
            Subscription sub = feed.subscribe(req.matchId, req::complete, t); // BUG: the handle is dropped, never closed
            if (FIXED) req.subscription = sub;
            waiting.put(req.requestId, req);
        }

        void finish(LongPollRequest req) {
            waiting.remove(req.requestId);
            if (FIXED) req.subscription.close();
        }
    }

    static ScoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(125_030_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] f = new double[48];
            for (int j = 0; j < f.length; j++) f[j] = rnd.nextDouble() * 80;
            venueCodes[v] = "PUB" + (300 + v * 3);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], (v % 4 == 0 ? "The Red Lion " : v % 4 == 1 ? "The Crown " : v % 4 == 2 ? "The Plough " : "The Swan ") + v, "Town " + (v % 90), f));
        }
        String[] teams = new String[TEAMS];
        for (int k = 0; k < TEAMS; k++) teams[k] = "TM" + (100 + k) + " " + (k % 3 == 0 ? "Arrows" : k % 3 == 1 ? "Flights" : "Oche Rats");
        ScoringService svc = new ScoringService();
        SERVICE = svc;
        for (int p = 0; p < PLAYERS; p++) {
            short[] avg = new short[30];
            for (int j = 0; j < avg.length; j++) avg[j] = (short) (2_500 + rnd.nextInt(6_000));
            svc.playerIds[p] = "DP-" + (70_000 + p * 3);
            svc.players.put(svc.playerIds[p], new Player(svc.playerIds[p], "Player " + rnd.nextInt(1_000_000), teams[p % TEAMS], new byte[150 + rnd.nextInt(150)], avg,
                    end - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        String[] matchIds = new String[FIXTURES];
        for (int f = 0; f < FIXTURES; f++) {
            long st = start + (long) rnd.nextInt(HOURS * 60 - 80) * MINUTE;
            matchIds[f] = "FX-" + (24_000 + f);
            svc.fixtures.put(matchIds[f], new Match(matchIds[f], teams[rnd.nextInt(TEAMS)], teams[rnd.nextInt(TEAMS)], venueCodes[rnd.nextInt(VENUES)], st, st + (90 + rnd.nextInt(61)) * MINUTE));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);

        Random polls = new Random(125_030_002), play = new Random(125_030_003), render = new Random(125_030_004);
        long seq = 0;
        for (long t = start; t < end; t += TICK) {
            // markers post visits; every few visits the feed publishes the score
            for (Match m : svc.fixtures.values()) {
                if (t < m.startAt || t >= m.endAt) {
                    if (t >= m.endAt && t < m.endAt + TICK) { svc.countersign.addLast(new MatchResult(m.matchId, m.homeLegs, m.awayLegs, t)); svc.finished++; }
                    continue;
                }
                if (play.nextInt(3) != 0) continue;
                int score = play.nextInt(101) + (play.nextInt(10) == 0 ? 80 : 0);
                boolean homeThrows = (svc.visitCount & 1) == 0;
                if (homeThrows) m.homeLeft = m.homeLeft - score < 2 ? m.homeLeft : m.homeLeft - score; else m.awayLeft = m.awayLeft - score < 2 ? m.awayLeft : m.awayLeft - score;
                svc.visits[(int) (svc.visitCount++ % RING)] = new Visit(m.matchId, svc.playerIds[play.nextInt(PLAYERS)], score, t);
                if (m.homeLeft < 40 || m.awayLeft < 40) { // leg checked out
                    if (m.homeLeft < m.awayLeft) m.homeLegs++; else m.awayLegs++;
                    m.leg++; m.homeLeft = 501; m.awayLeft = 501;
                }
                if (play.nextInt(16) == 0) { // the feed publishes the score every few visits
                    m.version++;
                    svc.feed.publish(new ScoreUpdate(m.matchId, m.leg, m.homeLeft, m.awayLeft, score, m.version, t));
                }
            }
            // completed polls leave; the rest time out after 25 s
            for (Iterator<LongPollRequest> it = svc.waiting.values().iterator(); it.hasNext(); ) {
                LongPollRequest req = it.next();
                if (req.completed) { it.remove(); if (FIXED) req.subscription.close(); svc.completedByUpdate++; }
                else if (req.deadline <= t) { req.complete(null); it.remove(); if (FIXED) req.subscription.close(); svc.timedOut++; }
            }
            // spectators' scoreboard pages poll matches in play
            int arrivals = polls.nextInt(56);
            for (int k = 0; k < arrivals; k++) {
                Match m = svc.fixtures.get(matchIds[polls.nextInt(FIXTURES)]);
                if (t < m.startAt || t >= m.endAt) continue;
                long at = t + k * 700L;
                svc.longPoll(new LongPollRequest("lp-" + Long.toHexString(0x5d00_0000L + seq++), m.matchId, "10." + polls.nextInt(256) + "." + polls.nextInt(256) + "." + polls.nextInt(256),
                        at + POLL_TIMEOUT), at, render);
            }
            while (!svc.countersign.isEmpty() && svc.countersign.peekFirst().finishedAt() <= t - COUNTERSIGN_MINUTES * MINUTE) {
                svc.countersign.pollFirst();
                svc.signed++;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val125.fixed");
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
        int regs = svc.feed.registrations.size();
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " players " + svc.players.size() + " fixtures " + svc.fixtures.size() + " visits " + svc.visitCount
                + " published " + svc.feed.published + " delivered " + svc.feed.delivered + " polls " + svc.polls + " (by update " + svc.completedByUpdate + ", timed out " + svc.timedOut
                + ", in flight " + svc.waiting.size() + ") registrations " + regs + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ", renders " + svc.renders
                + ") pool " + svc.renderBuffers.size() + " results " + svc.finished + " signed " + svc.signed + " backlog " + svc.countersign.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.players.size() == PLAYERS && svc.fixtures.size() == FIXTURES, "reference data / directories");
        check(svc.polls == svc.completedByUpdate + svc.timedOut + svc.waiting.size(), "polls");
        check(FIXED ? regs == svc.waiting.size() : regs == svc.polls, "feed registrations");
        long expected = 19_510;
        check(svc.polls == expected && (FIXED || regs == expected), "registrations " + regs);
        check(svc.visits[RING - 1] != null && svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "visit ring / board cache");
        check(svc.renderBuffers.size() == POOL, "render buffer pool");
        check(svc.countersign.size() > 0 && svc.finished == svc.signed + svc.countersign.size(), "countersign queue");
    }
}
