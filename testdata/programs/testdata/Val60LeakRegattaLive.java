// hprofscan-dump: name=val60-leak-regattalive jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val60-leak-regattalive-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 60 (written blind), LEAK: the live-tracking broadcast hub of a sailing-regatta
 * service. Spectators open a WebSocket-style session and subscribe to a race; the broadcaster
 * iterates the per-race subscriber sets and queues each position update into the subscriber's
 * outbound buffer (flushed when the client is connected). The disconnect callback removes the
 * session from the connection map but not from the race's subscriber set, so disconnected
 * subscribers, with their buffer of unsent messages, are kept and fed forever. See VALIDATION60.md.
 */
public final class Val60LeakRegattaLive {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLUBS = 1_100, BOATS = 24_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, RACES = 40, SESSIONS = 12_000, OUTBOX_CAP = 24, HOURS = 10;
    static boolean FIXED;

    record Club(String code, String harbour, double[] tideTable) {}
    record Boat(String sailNumber, String clubCode, String boatClass, byte[] rating, long registeredAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Position(String sailNumber, int race, double lat, double lon, long at) {}

    static final class Subscriber {
        final String sessionId; final int race; final long connectedAt; boolean connected = true;
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        long dropped, sent;
        Subscriber(String id, int race, long at) { sessionId = id; this.race = race; connectedAt = at; }
        void offer(byte[] msg) { if (outbox.size() == OUTBOX_CAP) { outbox.poll(); dropped++; } outbox.add(msg); }
        void flush() { sent += outbox.size(); outbox.clear(); }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class Hub {
        final Map<String, Subscriber> connections = new HashMap<>();
        final Map<Integer, Set<Subscriber>> subscribersByRace = new HashMap<>();
        long broadcasts, disconnects;
        void connect(Subscriber s) { connections.put(s.sessionId, s); subscribersByRace.computeIfAbsent(s.race, r -> new LinkedHashSet<>()).add(s); }
        void onDisconnect(String sessionId) {
            Subscriber s = connections.remove(sessionId);
            s.connected = false;
            disconnects++;
            if (FIXED) subscribersByRace.get(s.race).remove(s);
            // BUG: the subscriber stays in subscribersByRace, which broadcast() iterates
        }
        void broadcast(int race, byte[] msg) {
            Set<Subscriber> set = subscribersByRace.get(race);
            if (set == null) return;
            for (Subscriber s : set) s.offer(msg);
            broadcasts++;
        }
        void flushConnected() { for (Subscriber s : connections.values()) s.flush(); }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class TrackingService {
        final Map<String, Boat> boats = new HashMap<>();
        final Hub hub = new Hub();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Position[] positions = new Position[RING];
        long fixes;
    }

    static TrackingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val60.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(60_020_001);
        for (int c = 0; c < CLUBS; c++) {
            double[] tide = new double[96];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 4;
            String code = "YC-" + (1_000 + c);
            CLUBS_BY_CODE.put(code, new Club(code, "Harbour " + (c % 200), tide));
        }
        TrackingService svc = new TrackingService();
        SERVICE = svc;
        String[] sails = new String[BOATS];
        String[] classes = {"Laser", "470", "J/70", "Dragon", "Finn", "Melges 24", "Etchells", "49er"};
        for (int b = 0; b < BOATS; b++) {
            sails[b] = "SN" + (200_000 + b);
            svc.boats.put(sails[b], new Boat(sails[b], "YC-" + (1_000 + rnd.nextInt(CLUBS)), classes[b % classes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(60_020_002);
        // sessions open evenly over the period; each lasts 5-60 minutes
        long[] openAt = new long[SESSIONS], closeAt = new long[SESSIONS];
        for (int s = 0; s < SESSIONS; s++) { openAt[s] = start + (end - MINUTE - start) * s / SESSIONS; closeAt[s] = openAt[s] + (5 + traffic.nextInt(56)) * MINUTE; }
        int nextOpen = 0;
        java.util.PriorityQueue<long[]> closing = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int ticks = (int) ((end - start) / (10_000L));
        for (int i = 0; i < ticks; i++) {
            long t = start + 10_000L * i;
            while (nextOpen < SESSIONS && openAt[nextOpen] <= t) {
                Subscriber sub = new Subscriber("ws-" + Long.toHexString(0x5e55_0000L + nextOpen), traffic.nextInt(RACES), openAt[nextOpen]);
                svc.hub.connect(sub);
                closing.add(new long[] {closeAt[nextOpen], nextOpen});
                nextOpen++;
            }
            while (!closing.isEmpty() && closing.peek()[0] <= t) svc.hub.onDisconnect("ws-" + Long.toHexString(0x5e55_0000L + closing.poll()[1]));
            // every 10 s: one position update per race, broadcast to its subscribers
            for (int r = 0; r < RACES; r++) {
                String sail = sails[traffic.nextInt(BOATS)];
                Position p = new Position(sail, r, 50 + traffic.nextDouble(), -1 - traffic.nextDouble(), t);
                svc.positions[(int) (svc.fixes++ % RING)] = p;
                svc.hub.broadcast(r, new byte[48 + traffic.nextInt(48)]);
            }
            if (i % 3 == 0) svc.hub.flushConnected();
            String key = "tile-" + traffic.nextInt(7_000);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        svc.hub.flushConnected();
        int inSets = 0, dead = 0;
        long deadQueued = 0;
        for (Set<Subscriber> set : svc.hub.subscribersByRace.values()) for (Subscriber s : set) { inSets++; if (!s.connected) { dead++; deadQueued += s.outbox.size(); } }
        int open = svc.hub.connections.size();
        System.out.println((FIXED ? "FIXED " : "") + "clubs " + CLUBS_BY_CODE.size() + " boats " + svc.boats.size() + " connected " + open + " disconnects " + svc.hub.disconnects
                + " in race sets " + inSets + " disconnected in sets " + dead + " unsent messages held " + deadQueued + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.frameBuffers.size() + " fixes " + svc.fixes);
        check(CLUBS_BY_CODE.size() == CLUBS && svc.boats.size() == BOATS, "reference data / directory");
        check(nextOpen == SESSIONS && open + svc.hub.disconnects == SESSIONS, "sessions");
        if (FIXED) check(dead == 0 && inSets == open, "race sets hold only connected subscribers");
        else check(inSets == SESSIONS && dead == svc.hub.disconnects, "race sets keep disconnected subscribers: " + dead);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.positions[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
