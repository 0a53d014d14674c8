// hprofscan-dump: name=val122-leak-greyhoundtote jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-leak-greyhoundtote-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 122 (written blind), LEAK: the live-odds gateway of a greyhound tote. Punters'
 * web-socket sessions follow one to three tracks; on open each session subscribes a listener lambda
 * per track on the application-wide OddsBus (a map of track code to CopyOnWriteArrayList of
 * listeners), the lambda capturing the session. Closing a session marks it closed and drops it from
 * the session registry, but never unsubscribes: the listeners (and through them the closed
 * sessions with their resend buffers of the last frames) pile up in the track lists beside the
 * live ones. Ordinary components beside it: track reference data, the greyhound directory, the race
 * cards of the day, a receipt cache at its cap, a pool of frame buffers, a ring of recent bets, the
 * settlement backlog and a ring of closed-session summaries. See VALIDATION122.md.
 */
public final class Val122LeakGreyhoundTote {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DOGS = 20_000, RECEIPT_CAP = 2_000, POOL = 8, BET_RING = 8_192, SUMMARY_RING = 1_024, HOURS = 10,
            SESSIONS_PER_MINUTE = 8, BETS_PER_MINUTE = 26, RACES_PER_TRACK = 32, FRAMES_KEPT = 12;
    static final String[] TRACKS = {"Romford", "Towcester", "Hove", "Sheffield", "Nottingham", "Monmore", "Perry Barr", "Sunderland",
            "Newcastle", "Doncaster", "Harlow", "Henlow", "Kinsley", "Pelaw Grange", "Swindon", "Crayford", "Central Park", "Yarmouth",
            "Valley", "Oxford", "Shelbourne Park", "Curraheen Park", "Dundalk", "Limerick", "Tralee", "Clonmel", "Youghal", "Mullingar",
            "Enniscorthy", "Lifford", "Drumbo Park", "Kilkenny", "Waterford", "Thurles", "Galway", "Cork"};
    static final String[] TRAINERS = {"M. Wallis", "K. Hutton", "P. Janssens", "R. Holloway", "J. Simpson", "D. Mullins", "L. Thompson",
            "G. Baggs", "S. Cahill", "T. O'Donovan", "A. Dolan", "C. Weston", "N. Savva", "B. Heaton", "E. Kiernan", "F. Carroll"};
    static boolean FIXED;

    record Track(String code, String name, String country, double[] trapWinRates, double[] goingByMonth) {}
    record Greyhound(String earmark, String name, String trainer, String sire, String dam, byte[] formLines, long whelpedAt) {}
    record RaceCard(String raceId, String trackCode, String grade, int distanceMetres, String[] traps, long offAt) {}
    record PoolUpdate(String raceId, String trackCode, long[] winPool, long at) {}
    record Bet(String betId, String sessionId, String raceId, int trap, int stakePence, long placedAt) {}
    record Receipt(String betId, byte[] rendered, long at) {}
    record PendingSettlement(Bet bet, long settleAt) {}
    record SessionSummary(String sessionId, String accountId, long openedAt, long closedAt, int framesSent) {}
    record Close(long at, String sessionId) {}

    /** One punter's web-socket session. */
    static final class PunterSession {
        final String sessionId, accountId, remoteAddr, userAgent;
        final long openedAt;
        final String[] tracks;
        final List<Consumer<PoolUpdate>> listeners = new ArrayList<>(3);
        /** The last frames sent, resent when the punter's app reconnects within a minute. */
        final ArrayDeque<String> resend = new ArrayDeque<>();
        final long[] lastWinPool = new long[6];
        volatile boolean open = true;
        int framesSent;

        PunterSession(String sessionId, String accountId, String remoteAddr, String userAgent, long openedAt, String[] tracks) {
            this.sessionId = sessionId; this.accountId = accountId; this.remoteAddr = remoteAddr; this.userAgent = userAgent;
            this.openedAt = openedAt; this.tracks = tracks;
        }

        void onPoolUpdate(PoolUpdate u) {
            if (!open) return;
            StringBuilder f = new StringBuilder(112).append("{\"type\":\"pool\",\"race\":\"").append(u.raceId()).append("\",\"win\":[");
            for (int i = 0; i < u.winPool().length; i++) { if (i > 0) f.append(','); f.append(u.winPool()[i]); }
            f.append("],\"ts\":").append(u.at()).append('}');
            System.arraycopy(u.winPool(), 0, lastWinPool, 0, 6);
            resend.addLast(f.toString());
            if (resend.size() > FRAMES_KEPT) resend.pollFirst();
            framesSent++;
        }
    }

    /** The application-wide odds bus: listeners per track code. */
    static final class OddsBus {
        final Map<String, CopyOnWriteArrayList<Consumer<PoolUpdate>>> byTrack = new ConcurrentHashMap<>();
        long published, deliveries;

        void subscribe(String trackCode, Consumer<PoolUpdate> listener) {
            byTrack.computeIfAbsent(trackCode, k -> new CopyOnWriteArrayList<>()).add(listener);
        }

        void unsubscribe(String trackCode, Consumer<PoolUpdate> listener) {
            List<Consumer<PoolUpdate>> l = byTrack.get(trackCode);
            if (l != null) l.remove(listener);
        }

        void publish(PoolUpdate u) {
            published++;
            List<Consumer<PoolUpdate>> l = byTrack.get(u.trackCode());
            if (l == null) return;
            for (Consumer<PoolUpdate> c : l) { c.accept(u); deliveries++; }
        }

        int listenerCount() {
            int n = 0;
            for (List<Consumer<PoolUpdate>> l : byTrack.values()) n += l.size();
            return n;
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Track> TRACKS_BY_CODE = new HashMap<>();

    static final class ToteGateway {
        final Map<String, Greyhound> dogs = new HashMap<>();
        final Map<String, RaceCard> raceCards = new HashMap<>();
        final Map<String, List<RaceCard>> cardsByTrack = new HashMap<>();
        final Map<String, PunterSession> sessions = new HashMap<>();
        final OddsBus bus = new OddsBus();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Bet[] recentBets = new Bet[BET_RING];
        final SessionSummary[] closedSessions = new SessionSummary[SUMMARY_RING];
        final PriorityQueue<PendingSettlement> settlements = new PriorityQueue<>((a, b) -> Long.compare(a.settleAt(), b.settleAt()));
        long opened, closed, subscribed, unsubscribed, bets, settled;

        void open(PunterSession s) {
            sessions.put(s.sessionId, s);
            opened++;
            for (String track : s.tracks) {
                Consumer<PoolUpdate> l = u -> s.onPoolUpdate(u);
                s.listeners.add(l);
                bus.subscribe(track, l);
                subscribed++;
            }
        }

        void close(String sessionId, long t) {
            PunterSession s = sessions.remove(sessionId);
            if (s == null) return;
            s.open = false;
            closed++;
            closedSessions[(int) ((closed - 1) % SUMMARY_RING)] = new SessionSummary(s.sessionId, s.accountId, s.openedAt, t, s.framesSent);
            if (FIXED) { // BUG: without the fix the session's listeners stay subscribed
                for (int i = 0; i < s.tracks.length; i++) { bus.unsubscribe(s.tracks[i], s.listeners.get(i)); unsubscribed++; }
                s.listeners.clear();
            }
        }

        void placeBet(PunterSession s, RaceCard race, int trap, int stake, long t, Random r) {
            Bet b = new Bet("TB" + (80_000_000 + bets), s.sessionId, race.raceId(), trap, stake, t);
            recentBets[(int) (bets++ % BET_RING)] = b;
            byte[] buf = frameBuffers.poll();
            buf[(int) (bets % buf.length)] = (byte) trap;
            frameBuffers.add(buf);
            receipts.put(b.betId(), new Receipt(b.betId(), new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(10) < 3) { // the punter opens the receipt of one of the last bets again
                Bet earlier = recentBets[(int) ((bets - 1 - r.nextInt((int) Math.min(bets, 40))) % BET_RING)];
                receipts.get(earlier.betId());
            }
            settlements.add(new PendingSettlement(b, t + (2 + r.nextInt(28)) * MINUTE));
        }

        void settleUpTo(long t) {
            while (!settlements.isEmpty() && settlements.peek().settleAt() <= t) { settlements.poll(); settled++; }
        }
    }

    static ToteGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String code(int i) { return TRACKS[i].replace(" ", "").substring(0, 3).toUpperCase() + (i < 20 ? "" : "-IE"); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_010_001);
        String[] codes = new String[TRACKS.length];
        for (int i = 0; i < TRACKS.length; i++) {
            codes[i] = code(i);
            double[] traps = new double[6 * 24];
            for (int k = 0; k < traps.length; k++) traps[k] = 0.1 + rnd.nextDouble() * 0.15;
            double[] going = new double[120];
            for (int k = 0; k < going.length; k++) going[k] = rnd.nextGaussian() * 0.05;
            TRACKS_BY_CODE.put(codes[i], new Track(codes[i], TRACKS[i], i < 20 ? "GB" : "IE", traps, going));
        }
        check(TRACKS_BY_CODE.size() == TRACKS.length, "track codes unique");
        ToteGateway svc = new ToteGateway();
        SERVICE = svc;
        String[] earmarks = new String[DOGS];
        for (int d = 0; d < DOGS; d++) {
            earmarks[d] = (char) ('A' + d % 26) + "" + (char) ('A' + d / 26 % 26) + "-" + (10_000 + d);
            svc.dogs.put(earmarks[d], new Greyhound(earmarks[d], "Dog " + Integer.toString(d * 7919 % 99_991, 36), TRAINERS[rnd.nextInt(TRAINERS.length)],
                    "Sire " + rnd.nextInt(900), "Dam " + rnd.nextInt(4_000), new byte[150 + rnd.nextInt(150)], now - (long) (400 + rnd.nextInt(1_400)) * DAY));
        }
        String[] grades = {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "OR", "S1", "S2", "D1", "D2", "HP"};
        for (int i = 0; i < TRACKS.length; i++) {
            List<RaceCard> cards = new ArrayList<>();
            for (int r = 0; r < RACES_PER_TRACK; r++) {
                String[] traps = new String[6];
                for (int k = 0; k < 6; k++) traps[k] = earmarks[rnd.nextInt(DOGS)];
                RaceCard c = new RaceCard(codes[i] + "-R" + (r + 1), codes[i], grades[rnd.nextInt(grades.length)], 265 + 50 * rnd.nextInt(10), traps,
                        start + (long) r * (HOURS * HOUR / RACES_PER_TRACK) + (i % 12) * MINUTE);
                cards.add(c);
                svc.raceCards.put(c.raceId(), c);
            }
            svc.cardsByTrack.put(codes[i], Collections.unmodifiableList(cards));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);

        Random sessions = new Random(122_010_002), pools = new Random(122_010_003), betting = new Random(122_010_004);
        PriorityQueue<Close> closes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long[][] winPools = new long[TRACKS.length][6];
        List<PunterSession> live = new ArrayList<>();
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!closes.isEmpty() && closes.peek().at() <= t) svc.close(closes.poll().sessionId(), t);
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                int n = 1 + sessions.nextInt(3);
                String[] tracks = new String[n];
                int first = sessions.nextInt(TRACKS.length);
                for (int j = 0; j < n; j++) tracks[j] = codes[(first + j * 7) % TRACKS.length];
                PunterSession s = new PunterSession("ws-" + Long.toHexString(0x5a000000L + seq++), "ACC" + (2_100_000 + sessions.nextInt(60_000)),
                        "10." + sessions.nextInt(256) + "." + sessions.nextInt(256) + "." + sessions.nextInt(256),
                        sessions.nextBoolean() ? "ToteApp/7.4 (iOS 17.5)" : "ToteApp/7.4 (Android 14)", t + k * 7 * SECOND, tracks);
                svc.open(s);
                closes.add(new Close(s.openedAt + (3 + sessions.nextInt(118)) * MINUTE, s.sessionId));
            }
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < TRACKS.length; i++) {
                    List<RaceCard> cards = svc.cardsByTrack.get(codes[i]);
                    RaceCard next = cards.get(Math.min(cards.size() - 1, (int) ((t - start) * RACES_PER_TRACK / (HOURS * HOUR))));
                    long[] pool = winPools[i];
                    for (int k = 0; k < 6; k++) pool[k] += pools.nextInt(2_500);
                    svc.bus.publish(new PoolUpdate(next.raceId(), codes[i], pool.clone(), t + p * 30 * SECOND));
                }
            }
            if (svc.sessions.size() > 0) {
                live.clear();
                live.addAll(svc.sessions.values());
                live.sort((a, b) -> a.sessionId.compareTo(b.sessionId));
                for (int k = 0; k < BETS_PER_MINUTE; k++) {
                    PunterSession s = live.get(betting.nextInt(live.size()));
                    List<RaceCard> cards = svc.cardsByTrack.get(s.tracks[betting.nextInt(s.tracks.length)]);
                    RaceCard race = cards.get(Math.min(cards.size() - 1, (int) ((t - start) * RACES_PER_TRACK / (HOURS * HOUR)) + betting.nextInt(2)));
                    svc.placeBet(s, race, 1 + betting.nextInt(6), 100 * (1 + betting.nextInt(20)), t + k * 2 * SECOND, betting);
                }
            }
            svc.settleUpTo(t);
        }
        live.clear();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val122.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ToteGateway svc = SERVICE;
        int listeners = svc.bus.listenerCount();
        int openListeners = 0, openSessionsWithFrames = 0;
        for (PunterSession s : svc.sessions.values()) { openListeners += s.tracks.length; if (s.framesSent > 0) openSessionsWithFrames++; }
        int maxList = 0;
        for (List<Consumer<PoolUpdate>> l : svc.bus.byTrack.values()) maxList = Math.max(maxList, l.size());
        System.out.println((FIXED ? "FIXED " : "") + "tracks " + TRACKS_BY_CODE.size() + " dogs " + svc.dogs.size() + " race cards " + svc.raceCards.size()
                + " sessions opened " + svc.opened + " closed " + svc.closed + " open " + svc.sessions.size() + " subscribed " + svc.subscribed
                + " unsubscribed " + svc.unsubscribed + " bus listeners " + listeners + " (open sessions' " + openListeners + ", largest track list " + maxList
                + ") published " + svc.bus.published + " bets " + svc.bets + " settled " + svc.settled + " backlog " + svc.settlements.size()
                + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.frameBuffers.size() + " open with frames " + openSessionsWithFrames);
        check(TRACKS_BY_CODE.size() == TRACKS.length && svc.dogs.size() == DOGS && svc.raceCards.size() == TRACKS.length * RACES_PER_TRACK, "reference data / directory");
        check(svc.opened == (long) SESSIONS_PER_MINUTE * 60 * HOURS && svc.opened == svc.closed + svc.sessions.size(), "sessions");
        check(svc.closed == EXPECTED_CLOSED, "closed sessions " + svc.closed);
        check(svc.subscribed == EXPECTED_SUBSCRIBED, "subscriptions " + svc.subscribed);
        check(openListeners == EXPECTED_OPEN_LISTENERS, "open sessions' listeners " + openListeners);
        check(listeners == (FIXED ? openListeners : svc.subscribed) && svc.unsubscribed == (FIXED ? svc.subscribed - openListeners : 0), "bus listeners " + listeners);
        check(svc.bets == (long) BETS_PER_MINUTE * 60 * HOURS && svc.settlements.size() == EXPECTED_BACKLOG && svc.settled + svc.settlements.size() == svc.bets, "bets / settlements");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.frameBuffers.size() == POOL && svc.recentBets[BET_RING - 1] != null && svc.closedSessions[SUMMARY_RING - 1] != null, "pool / rings");
    }

    static final long EXPECTED_CLOSED = 4_309, EXPECTED_SUBSCRIBED = 9_559, EXPECTED_OPEN_LISTENERS = 991, EXPECTED_BACKLOG = 413;
}
