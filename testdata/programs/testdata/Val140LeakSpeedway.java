// hprofscan-dump: name=val140-leak-speedway jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val140-leak-speedway-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Validation set 140 (written blind), LEAK: the live-results service of a motorcycle speedway
 * league. Every fan app connection (a websocket with its inbound and outbound frame buffers)
 * subscribes to the heat-status feed, a java.util.concurrent.SubmissionPublisher; when the
 * connection closes, the service removes it from its connection table and marks it closed, but
 * nobody cancels the subscription, so the publisher keeps every closed connection's subscriber,
 * and through it the connection and its buffers, and keeps offering it every heat update (the
 * subscriber drops them). Rider reference data, the fan directory, a heat-card LRU at its cap, a
 * pool of frame buffers, a ring of recent heat updates and a push queue with a normal backlog.
 * See VALIDATION140.md.
 */
public final class Val140LeakSpeedway {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, PUSH_AFTER = 10 * MINUTE;
    static final int RIDERS = 1_200, TRACKS = 40, FANS = 22_000, CARD_CAP = 2_000, POOL = 8, RING = 2_048, UPDATES_PER_HOUR = 600, CONNECTIONS_PER_HOUR = 360, HOURS = 10;
    static final String[] STAGES = {"RIDERS_OUT", "TWO_MINUTES", "TAPES_UP", "LAP_1", "LAP_2", "LAP_3", "LAP_4", "RESULT", "RERUN_CALLED", "EXCLUSION"};
    static final String[] DEVICES = {"ios", "android", "web", "tv"};
    static boolean FIXED;

    record Rider(String riderId, String name, String club, double[] averageByMeeting) {}
    record Track(String code, String name, int lengthMetres) {}
    record Fan(String fanId, String nickname, String favouriteRider, String homeTrack, byte[] preferences, long joinedAt) {}
    record HeatCard(String key, byte[] rendered, long at) {}
    record HeatStatus(long seq, String meetingId, String trackCode, int heat, String stage, String[] order, long at) {}
    record PushNote(long noteId, String fanId, String text, long queuedAt) {}

    /** A fan app's live connection and its frame buffers. */
    static final class FanConnection {
        final long connectionId; final String fanId; final String device; final String remoteAddress; final long openedAt, closesAt;
        final byte[] inbound = new byte[1_024]; final byte[] outbound = new byte[2_048];
        int outPos; long framesSent, framesDropped, closedAt; boolean open = true; Flow.Subscription subscription;
        FanConnection(long connectionId, String fanId, String device, String remoteAddress, long openedAt, long closesAt) {
            this.connectionId = connectionId; this.fanId = fanId; this.device = device; this.remoteAddress = remoteAddress; this.openedAt = openedAt; this.closesAt = closesAt;
        }
        void write(HeatStatus s) {
            String frame = s.meetingId() + ' ' + s.heat() + ' ' + s.stage();
            for (int k = 0; k < frame.length(); k++) outbound[(outPos + k) % outbound.length] = (byte) frame.charAt(k);
            outPos = (outPos + frame.length()) % outbound.length;
            framesSent++;
        }
    }

    /** Forwards the feed to one connection. */
    static final class FanSubscriber implements Flow.Subscriber<HeatStatus> {
        final FanConnection conn;
        FanSubscriber(FanConnection conn) { this.conn = conn; }
        @Override public void onSubscribe(Flow.Subscription s) { conn.subscription = s; s.request(Long.MAX_VALUE); }
        @Override public void onNext(HeatStatus s) { if (conn.open) conn.write(s); else conn.framesDropped++; }
        @Override public void onError(Throwable t) { conn.open = false; }
        @Override public void onComplete() { conn.open = false; }
    }

    static final class CardCache extends LinkedHashMap<String, HeatCard> {
        final int capacity; long evicted;
        CardCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HeatCard> eldest) { if (size() > capacity) { evicted++; return true; } return false; }
    }

    static final Map<String, Rider> RIDERS_BY_ID = new HashMap<>();
    static final Map<String, Track> TRACKS_BY_CODE = new HashMap<>();

    static final class LiveService {
        final Map<String, Fan> fans = new HashMap<>();
        final String[] fanIds = new String[FANS];
        final String[] riderIds = new String[RIDERS];
        final String[] trackCodes = new String[TRACKS];
        final CardCache heatCards = new CardCache(CARD_CAP);
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final HeatStatus[] timeline = new HeatStatus[RING];
        final ArrayDeque<PushNote> pushQueue = new ArrayDeque<>();
        final ConcurrentHashMap<Long, FanConnection> connections = new ConcurrentHashMap<>();
        final SubmissionPublisher<HeatStatus> statusFeed = new SubmissionPublisher<>(Runnable::run, 64);
        long updates, cardHits, notes, pushed, opened, closed;

        void connect(long id, Random r, long t, long closesAt) {
            Fan f = fans.get(fanIds[r.nextInt(FANS)]);
            FanConnection c = new FanConnection(id, f.fanId(), DEVICES[r.nextInt(DEVICES.length)], "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256), t, closesAt);
            connections.put(id, c);
            opened++;
            statusFeed.subscribe(new FanSubscriber(c));
        }

        void disconnect(long id, long t) {
            FanConnection c = connections.remove(id);
            c.open = false;
            c.closedAt = t;
            closed++;
            if (FIXED) c.subscription.cancel();
        }

        void publish(Random r, long t) {
            long n = updates++;
            int meeting = (int) (n / 150);
            String track = trackCodes[meeting % TRACKS];
            String[] order = new String[4];
            for (int k = 0; k < 4; k++) order[k] = riderIds[r.nextInt(RIDERS)];
            HeatStatus s = new HeatStatus(n, "M" + (24_000 + meeting), track, 1 + (int) (n / 10 % 15), STAGES[(int) (n % 8 == 7 ? 7 : r.nextInt(10) == 0 ? 8 + r.nextInt(2) : n % 8)], order, t);
            timeline[(int) (n % RING)] = s;
            byte[] buf = frameBuffers.poll();
            buf[(int) (n % buf.length)] = (byte) s.heat();
            frameBuffers.add(buf);
            statusFeed.submit(s);
            int cardBytes = 400 + r.nextInt(400);
            String key = s.meetingId() + "/heat-" + s.heat() + "/" + order[r.nextInt(4)];
            if (heatCards.get(key) != null) cardHits++;
            else heatCards.put(key, new HeatCard(key, new byte[cardBytes], t));
            for (int k = 0; k < 8; k++) {
                String other = "card/" + riderIds[r.nextInt(300)] + "/" + trackCodes[r.nextInt(10)];
                int bytes = 400 + r.nextInt(400);
                if (heatCards.get(other) != null) cardHits++;
                else heatCards.put(other, new HeatCard(other, new byte[bytes], t));
            }
            if ("RESULT".equals(s.stage())) {
                for (int k = 0; k < 3; k++) pushQueue.addLast(new PushNote(5_500_000L + notes++, fanIds[r.nextInt(FANS)], "Heat " + s.heat() + " result at " + track, t));
            }
            while (!pushQueue.isEmpty() && pushQueue.peekFirst().queuedAt() + PUSH_AFTER <= t) { pushQueue.pollFirst(); pushed++; }
        }
    }

    static LiveService SERVICE;
    static long[] RESULT;

    record Closing(long at, long id) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(140_040_001L);
        LiveService svc = new LiveService();
        SERVICE = svc;
        for (int i = 0; i < TRACKS; i++) {
            String code = "TRK" + (10 + i);
            svc.trackCodes[i] = code;
            TRACKS_BY_CODE.put(code, new Track(code, "Stadium " + i, 260 + rnd.nextInt(160)));
        }
        for (int i = 0; i < RIDERS; i++) {
            double[] avg = new double[60];
            for (int k = 0; k < avg.length; k++) avg[k] = rnd.nextDouble() * 12;
            String id = "RDR" + (3_000 + i);
            svc.riderIds[i] = id;
            RIDERS_BY_ID.put(id, new Rider(id, "Rider " + i, "Club " + (i % 60), avg));
        }
        for (int i = 0; i < FANS; i++) {
            String id = "FN" + (8_800_000 + i * 3);
            svc.fanIds[i] = id;
            svc.fans.put(id, new Fan(id, "fan" + i, svc.riderIds[rnd.nextInt(RIDERS)], svc.trackCodes[rnd.nextInt(TRACKS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);

        PriorityQueue<Closing> closings = new PriorityQueue<>(Comparator.comparingLong(Closing::at).thenComparingLong(Closing::id));
        Random feed = new Random(140_040_002L), apps = new Random(140_040_003L);
        int updates = UPDATES_PER_HOUR * HOURS, connections = CONNECTIONS_PER_HOUR * HOURS;
        int nextConn = 0;
        for (int i = 0; i < updates; i++) {
            long t = start + (end - start) * i / updates;
            while (nextConn < connections && start + (end - start) * nextConn / connections <= t) {
                long openedAt = start + (end - start) * nextConn / connections;
                long closesAt = openedAt + 2 * MINUTE + apps.nextInt(10) * MINUTE + apps.nextInt(60) * SECOND;
                long id = 700_000L + nextConn++;
                while (!closings.isEmpty() && closings.peek().at() <= openedAt) { Closing c = closings.poll(); svc.disconnect(c.id(), c.at()); }
                svc.connect(id, apps, openedAt, closesAt);
                closings.add(new Closing(closesAt, id));
            }
            while (!closings.isEmpty() && closings.peek().at() <= t) { Closing c = closings.poll(); svc.disconnect(c.id(), c.at()); }
            svc.publish(feed, t);
        }
        while (!closings.isEmpty() && closings.peek().at() <= end) { Closing c = closings.poll(); svc.disconnect(c.id(), c.at()); }
        RESULT = new long[] {closings.size()};
    }

    static void report() {
        LiveService svc = SERVICE;
        int subscribers = svc.statusFeed.getNumberOfSubscribers();
        long dropped = 0, sent = 0;
        for (Flow.Subscriber<? super HeatStatus> s : svc.statusFeed.getSubscribers()) { FanConnection c = ((FanSubscriber) s).conn; dropped += c.framesDropped; sent += c.framesSent; }
        System.out.println((FIXED ? "FIXED " : "") + "riders " + RIDERS_BY_ID.size() + " tracks " + TRACKS_BY_CODE.size() + " fans " + svc.fans.size() + " heat updates " + svc.updates
                + " connections opened " + svc.opened + " closed " + svc.closed + " open " + svc.connections.size() + " feed subscribers " + subscribers + " (frames to them: sent " + sent + ", dropped after close " + dropped + ")");
        System.out.println("  heat cards " + svc.heatCards.size() + " (hits " + svc.cardHits + ", evicted " + svc.heatCards.evicted + ") pool " + svc.frameBuffers.size() + " push notes " + svc.notes
                + " pushed " + svc.pushed + " backlog " + svc.pushQueue.size());
        check(RIDERS_BY_ID.size() == RIDERS && TRACKS_BY_CODE.size() == TRACKS && svc.fans.size() == FANS, "reference data / directory");
        check(svc.updates == (long) UPDATES_PER_HOUR * HOURS && svc.opened == (long) CONNECTIONS_PER_HOUR * HOURS, "traffic");
        check(svc.connections.size() == RESULT[0] && svc.opened - svc.closed == svc.connections.size() && svc.connections.size() == 43, "open connections: " + svc.connections.size());
        if (FIXED) check(subscribers == svc.connections.size(), "fixed: one subscriber per open connection");
        else check(subscribers == svc.opened && svc.closed == 3_557, "leak: a subscriber per connection ever opened, closed " + svc.closed);
        check(svc.heatCards.size() == CARD_CAP && svc.heatCards.evicted > 0, "heat-card LRU at its cap");
        check(svc.frameBuffers.size() == POOL && svc.notes - svc.pushed == svc.pushQueue.size(), "pool / push queue");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val140.fixed");
        simulate();
        report();
        RESULT = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
