// hprofscan-dump: name=val128-healthy-icehockey-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val128-healthy-icehockey-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val128-healthy-icehockey jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val128-healthy-icehockey-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 128 (written blind), HEALTHY growth series: the game-sheet and live-statistics
 * service of a national ice hockey federation. Arena reference data, the player licence directory,
 * a count-capped LRU of highlight cards (at its cap in every stage), a byte-budget LRU of clip
 * thumbnails (warming in stage 1, at its budget from stage 2), a pool of scoreboard buffers, a ring
 * of play-by-play events, the broadcaster statistics feed (an ObjectOutputStream over the feed
 * connection, reset every 300 records), goal push notifications in a DelayQueue retried with backoff
 * at most 6 times and then put on a dead-letter list capped at 100, and the disciplinary review
 * queue of major penalties. Growth plateaus: stage 1 = 1 h, stage 2 = 4 h, stage 3 = 8 h of games.
 * See VALIDATION128.md.
 */
public final class Val128HealthyIceHockey {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int ARENAS = 1_000, PLAYERS = 22_000, GAMES = 600, CARD_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int EVENTS_PER_HOUR = 4_000, RESET_EVERY = 300, MAX_ATTEMPTS = 6, DLQ_CAP = 100, DEVICES = 5_000;
    static final long THUMB_BUDGET = 2L * 1024 * 1024;
    static final String[] KINDS = {"SHOT", "FACEOFF", "HIT", "SAVE", "PENALTY", "GOAL", "ICING"};
    static final int[] KIND_PCT = {35, 25, 15, 12, 5, 6, 2};

    record Arena(String code, String city, int capacity, double[] attendanceByHalfHour) {}
    record Player(String licence, String name, String club, byte[] eligibility, long licensedAt) {}
    record HighlightCard(String key, byte[] rendered, long renderedAt) {}
    record ClipThumb(String clipId, byte[] jpeg, long at) {}
    record PlayEvent(long seq, String gameId, String kind, String licence, int period, long at) {}
    record PenaltyReview(long seq, String gameId, String licence, String offence, long at) {}
    record DeadLetter(long notificationId, String deviceToken, String reason, int attempts, long at) {}

    /** One statistics line written to the broadcaster feed. */
    static final class StatLine implements Serializable {
        private static final long serialVersionUID = 1L;
        final long seq; final String gameId; final String licence; final String kind; final int period; final long at;
        final int[] onIce;
        StatLine(long seq, String gameId, String licence, String kind, int period, long at, int[] onIce) {
            this.seq = seq; this.gameId = gameId; this.licence = licence; this.kind = kind; this.period = period; this.at = at; this.onIce = onIce;
        }
    }

    /** The broadcaster feed connection: counts what is sent, keeps nothing. */
    static final class FeedConnection extends OutputStream {
        long bytesSent, flushes;
        @Override public void write(int b) { bytesSent++; }
        @Override public void write(byte[] b, int off, int len) { bytesSent += len; }
        @Override public void flush() { flushes++; }
    }

    static final class StatsFeed {
        final FeedConnection connection = new FeedConnection();
        final ObjectOutputStream out;
        long records, resets;
        StatsFeed() {
            try { out = new ObjectOutputStream(connection); } catch (IOException e) { throw new IllegalStateException(e); }
        }
        void send(StatLine line) {
            try {
                out.writeObject(line);
                records++;
                if (records % RESET_EVERY == 0) { out.flush(); out.reset(); resets++; }
            } catch (IOException e) { throw new IllegalStateException(e); }
        }
    }

    /** Simulated clock of the service (the notification queue's delays are computed against it). */
    static long clock;

    static final class PushNotification implements Delayed {
        final long id; final String gameId; final String deviceToken; final String text; long due; int attempts;
        PushNotification(long id, String gameId, String deviceToken, String text, long due) { this.id = id; this.gameId = gameId; this.deviceToken = deviceToken; this.text = text; this.due = due; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(due - clock, TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) {
            PushNotification p = (PushNotification) o;
            int c = Long.compare(due, p.due);
            return c != 0 ? c : Long.compare(id, p.id);
        }
    }

    static final class CardCache extends LinkedHashMap<String, HighlightCard> {
        long evicted, hits, misses;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HighlightCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    /** Byte-budget LRU: evicts while the thumbnails' bytes exceed the budget. */
    static final class ThumbCache extends LinkedHashMap<String, ClipThumb> {
        long bytes, evicted;
        ThumbCache() { super(2_048, 0.75f, true); }
        void add(ClipThumb t) {
            bytes += t.jpeg().length;
            ClipThumb old = put(t.clipId(), t);
            if (old != null) bytes -= old.jpeg().length;
            for (java.util.Iterator<ClipThumb> it = values().iterator(); bytes > THUMB_BUDGET && it.hasNext(); ) {
                bytes -= it.next().jpeg().length;
                it.remove();
                evicted++;
            }
        }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class GameSheetService {
        final Map<String, Player> players = new HashMap<>();
        final String[] licences = new String[PLAYERS];
        final String[] gameIds = new String[GAMES];
        final String[] deviceTokens = new String[DEVICES];
        final boolean[] expiredToken = new boolean[DEVICES];
        final CardCache cards = new CardCache();
        final ThumbCache thumbs = new ThumbCache();
        final ArrayDeque<byte[]> scoreboardBuffers = new ArrayDeque<>();
        final PlayEvent[] events = new PlayEvent[RING];
        final StatsFeed feed = new StatsFeed();
        final DelayQueue<PushNotification> notifications = new DelayQueue<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
        final ArrayDeque<PenaltyReview> reviews = new ArrayDeque<>();
        long eventCount, goals, pushes, delivered, retries, deadLettered, dlqDropped, penalties, majors, reviewed;

        void onEvent(Random r, long t) {
            clock = t;
            drainNotifications(r, t);
            while (!reviews.isEmpty() && reviews.peekFirst().at() <= t - 30 * MINUTE) { reviews.pollFirst(); reviewed++; }
            int roll = r.nextInt(100), k = 0;
            for (int acc = KIND_PCT[0]; roll >= acc; acc += KIND_PCT[++k]) { }
            String kind = KINDS[k];
            String gameId = gameIds[r.nextInt(GAMES)];
            String licence = licences[r.nextInt(PLAYERS)];
            int period = 1 + r.nextInt(3);
            long seq = eventCount++;
            events[(int) (seq % RING)] = new PlayEvent(seq, gameId, kind, licence, period, t);
            int[] onIce = new int[5];
            for (int i = 0; i < 5; i++) onIce[i] = r.nextInt(PLAYERS);
            feed.send(new StatLine(seq, gameId, licence, kind, period, t, onIce));
            byte[] buf = scoreboardBuffers.poll();
            buf[(int) (seq % buf.length)] = (byte) k;
            scoreboardBuffers.add(buf);
            String cardKey = "card-" + r.nextInt(5_000);
            if (cards.get(cardKey) != null) cards.hits++;
            else { cards.misses++; cards.put(cardKey, new HighlightCard(cardKey, new byte[500 + r.nextInt(500)], t)); }
            if (kind.equals("GOAL") || kind.equals("SAVE")) {
                String clip = "clip-" + r.nextInt(3_000);
                if (thumbs.get(clip) == null) thumbs.add(new ClipThumb(clip, new byte[1_500 + r.nextInt(1_000)], t));
            }
            if (kind.equals("GOAL")) {
                goals++;
                for (int f = 0; f < 3; f++) {
                    int d = r.nextInt(DEVICES);
                    notifications.add(new PushNotification(pushes++, gameId, deviceTokens[d], "Goal " + gameId + " by " + licence + " in period " + period, t + 5 * SECOND));
                }
            }
            if (kind.equals("PENALTY")) {
                penalties++;
                if (r.nextInt(5) == 0) { majors++; reviews.addLast(new PenaltyReview(seq, gameId, licence, r.nextBoolean() ? "CHECK-TO-HEAD" : "BOARDING", t)); }
            }
        }

        void drainNotifications(Random r, long t) {
            PushNotification n;
            while ((n = notifications.poll()) != null) {
                n.attempts++;
                int d = indexOfToken(n.deviceToken);
                boolean ok = !expiredToken[d] && !(n.attempts == 1 && r.nextInt(100) < 3);
                if (ok) { delivered++; continue; }
                if (n.attempts >= MAX_ATTEMPTS) {
                    deadLettered++;
                    deadLetters.addLast(new DeadLetter(n.id, n.deviceToken, expiredToken[d] ? "410 token unregistered" : "503 gateway", n.attempts, t));
                    if (deadLetters.size() > DLQ_CAP) { deadLetters.removeFirst(); dlqDropped++; }
                    continue;
                }
                retries++;
                n.due = t + 30 * SECOND * (1L << (n.attempts - 1));
                notifications.add(n);
            }
        }

        int indexOfToken(String token) { return Integer.parseInt(token.substring(4, 9)); }
    }

    static GameSheetService SERVICE;

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(128_050_001);
        for (int a = 0; a < ARENAS; a++) {
            double[] att = new double[48];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 8_000;
            String code = "AR-" + (3_000 + a * 7);
            ARENAS_BY_CODE.put(code, new Arena(code, "City " + (a % 180), 1_500 + rnd.nextInt(15_000), att));
        }
        GameSheetService svc = new GameSheetService();
        SERVICE = svc;
        for (int i = 0; i < PLAYERS; i++) {
            svc.licences[i] = "IH" + (4_100_000 + i * 3);
            svc.players.put(svc.licences[i], new Player(svc.licences[i], "Player " + i, "Club " + (i % 240), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * DAY));
        }
        for (int g = 0; g < GAMES; g++) svc.gameIds[g] = "G24-" + (10_000 + g);
        for (int d = 0; d < DEVICES; d++) {
            svc.deviceTokens[d] = "dev-" + String.valueOf(100_000 + d).substring(1) + "-" + Long.toHexString(0x9e3779b97f4aL * (d + 1));
            svc.expiredToken[d] = rnd.nextInt(100) < 4;
        }
        for (int b = 0; b < POOL; b++) svc.scoreboardBuffers.add(new byte[32_768]);
        Random traffic = new Random(128_050_002);
        int n = EVENTS_PER_HOUR * hours;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            svc.onEvent(traffic, t);
        }
        clock = end;
        svc.drainNotifications(traffic, end);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Prints and checks the counts of the stage; returns nothing, keeps nothing. */
    static void verify(int stage, int hours) {
        GameSheetService s = SERVICE;
        String line = "stage " + stage + " arenas " + ARENAS_BY_CODE.size() + " players " + s.players.size() + " events " + s.eventCount + " goals " + s.goals
                + " feed " + s.feed.records + " resets " + s.feed.resets + " bytes " + s.feed.connection.bytesSent
                + " cards " + s.cards.size() + " (evicted " + s.cards.evicted + ", hits " + s.cards.hits + ") thumbs " + s.thumbs.size() + " (" + s.thumbs.bytes + " bytes, evicted " + s.thumbs.evicted + ")"
                + " pushes " + s.pushes + " delivered " + s.delivered + " retries " + s.retries + " deadLettered " + s.deadLettered + " dlq " + s.deadLetters.size() + " (dropped " + s.dlqDropped + ") queued " + s.notifications.size()
                + " penalties " + s.penalties + " majors " + s.majors + " reviewed " + s.reviewed + " backlog " + s.reviews.size() + " pool " + s.scoreboardBuffers.size();
        System.out.println(line);
        check(ARENAS_BY_CODE.size() == ARENAS && s.players.size() == PLAYERS, "reference data / directory");
        check(s.eventCount == (long) EVENTS_PER_HOUR * hours && s.feed.records == s.eventCount, "events");
        check(s.feed.resets == s.feed.records / RESET_EVERY, "feed resets");
        check(s.cards.size() == CARD_CAP && s.cards.evicted > 0, "card cache at cap");
        check(s.thumbs.bytes <= THUMB_BUDGET, "thumb budget");
        check(s.pushes == s.delivered + s.deadLettered + s.notifications.size(), "notifications accounted");
        check(s.deadLetters.size() == Math.min(DLQ_CAP, s.deadLettered), "dead letters bounded");
        check(s.scoreboardBuffers.size() == POOL, "pool");
        check(s.events[(int) Math.min(s.eventCount, RING) - 1] != null, "ring");
        long[][] expect = EXPECT;
        long[] e = expect[stage - 1];
        if (e != null) {
            long[] got = {s.goals, s.feed.connection.bytesSent, s.cards.evicted, s.thumbs.size(), s.thumbs.evicted, s.pushes, s.delivered, s.deadLettered, s.deadLetters.size(), s.notifications.size(), s.majors, s.reviews.size()};
            for (int i = 0; i < e.length; i++) check(got[i] == e[i], "stage " + stage + " count #" + i + " = " + got[i] + ", expected " + e[i]);
        }
    }

    /** goals, feed bytes, cards evicted, thumbs, thumbs evicted, pushes, delivered, dead-lettered, dlq, queued, majors, review backlog. */
    static final long[][] EXPECT = {
            {222, 336_146, 888, 665, 0, 666, 650, 12, 12, 4, 36, 17},
            {926, 1_344_855, 8_097, 1_051, 1_085, 2_778, 2_669, 101, 100, 8, 145, 14},
            {1_890, 2_689_420, 17_681, 1_048, 2_943, 5_670, 5_444, 220, 100, 6, 305, 16}};

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
