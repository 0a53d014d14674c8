// hprofscan-dump: name=val135-leak-aprsgateway-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val135-leak-aprsgateway-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val135-leak-aprsgateway jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val135-leak-aprsgateway-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 135 (written blind), LEAK: the APRS-IS gateway of an amateur-radio packet network
 * (igates feed the position, weather and message packets they hear on air; phone and desktop APRS
 * clients connect for a few seconds to beacon). Maidenhead grid-square reference data, the station
 * register, a cache of rendered map tiles at its cap, a pool of encode buffers, a ring of recent
 * packets, the CWOP weather-upload queue with its normal backlog, the table of open connections,
 * and a per-client sliding-window rate limiter ({@code ConcurrentHashMap<String, ArrayDeque<Long>>}
 * of packet times) that prunes a client's old timestamps only when that client sends again. Its key
 * is the connection's "callsign@ip:port#connId": the 300 igates keep their connection all day and
 * are pruned correctly, but every short client connection makes a key that never comes back, so the
 * map gains a key (with its 1-4 timestamps, or 30 for a beacon storm) per connection for ever.
 * Series: 2 / 4 / 8 simulated hours. See VALIDATION135.md.
 */
public final class Val135LeakAprsGateway {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int GRIDS = 1_000, STATIONS = 20_000, IGATES = 300, TILE_CAP = 2_000, POOL = 8, RING = 8_192, LIMIT = 30;
    static final long WINDOW = MINUTE;
    static boolean FIXED;

    static final String[] PREFIXES = {"G", "M", "2E", "GW", "MM", "EI", "PA", "DL", "F", "ON"};
    static final String[] LICENCES = {"Foundation", "Intermediate", "Full"};
    static final String[] SSIDS = {"-9", "-7", "-5", "-6", "", "-1"};
    static final String[] SYMBOLS = {"/>", "/[", "/k", "/-", "/_", "\\j"};

    record GridSquare(String locator, String country, double[] spotsByHalfHour) {}
    record Station(String callsign, String locator, String licenceClass, int passcode, byte[] profile, long registeredAt) {}
    record MapTile(String key, byte[] png, long renderedAt) {}
    record AprsPacket(long seq, String source, String path, String payload, long receivedAt) {}
    record WeatherReport(String station, String payload, long receivedAt) {}

    static final class ClientConnection {
        final long connId; final String callsign; final String remote; final boolean igate; final long openedAt; final String limiterKey;
        long packets;
        ClientConnection(long connId, String callsign, String remote, boolean igate, long openedAt) {
            this.connId = connId; this.callsign = callsign; this.remote = remote; this.igate = igate; this.openedAt = openedAt;
            this.limiterKey = callsign + "@" + remote + "#" + connId;
        }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    /** 30 packets per client per minute; a client's old timestamps are pruned when it sends again. */
    static final class SlidingWindowLimiter {
        final ConcurrentHashMap<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
        long allowed, rejected, sweeps, swept;

        boolean tryAcquire(String clientKey, long now) {
            ArrayDeque<Long> q = windows.computeIfAbsent(clientKey, k -> new ArrayDeque<>());
            synchronized (q) {
                while (!q.isEmpty() && q.peekFirst() <= now - WINDOW) q.pollFirst();
                if (q.size() >= LIMIT) { rejected++; return false; }
                q.addLast(now);
                allowed++;
                return true;
            }
        }

        /** The fix (-Dval135.fixed=true only): drop the keys idle for a whole window, every minute. */
        void sweepIdle(long now) {
            sweeps++;
            for (Iterator<Map.Entry<String, ArrayDeque<Long>>> it = windows.entrySet().iterator(); it.hasNext();) {
                ArrayDeque<Long> q = it.next().getValue();
                synchronized (q) {
                    Long last = q.peekLast();
                    if (last == null || last <= now - WINDOW) { it.remove(); swept++; }
                }
            }
        }
    }

    static final Map<String, GridSquare> GRIDS_BY_LOCATOR = new HashMap<>();

    static final class GatewayService {
        final Map<String, Station> stations = new HashMap<>();
        final String[] callsigns = new String[STATIONS];
        final Map<Long, ClientConnection> connections = new HashMap<>();
        final SlidingWindowLimiter limiter = new SlidingWindowLimiter();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final AprsPacket[] recent = new AprsPacket[RING];
        final ArrayDeque<WeatherReport> cwopQueue = new ArrayDeque<>();
        long nextConnId = 4_100_000L, packets, accepted, dropped, opened, closed, wxQueued, wxForwarded, cwopBatches, tileRequests, tileRenders, shortConnections;

        ClientConnection open(String callsign, String remote, boolean igate, long t) {
            ClientConnection c = new ClientConnection(nextConnId++, callsign, remote, igate, t);
            connections.put(c.connId, c);
            opened++;
            return c;
        }

        void close(ClientConnection c) { if (connections.remove(c.connId) != null) closed++; }

        void receive(ClientConnection c, String source, String payload, boolean weather, long t) {
            packets++;
            c.packets++;
            if (!limiter.tryAcquire(c.limiterKey, t)) { dropped++; return; }
            accepted++;
            String path = c.igate ? "WIDE2-1,qAR," + c.callsign : "TCPIP*,qAC,T2UK";
            byte[] buf = encodeBuffers.poll();
            buf[(int) (accepted % buf.length)] = (byte) payload.length();
            encodeBuffers.add(buf);
            recent[(int) ((accepted - 1) % RING)] = new AprsPacket(accepted, source, path, payload, t);
            if (weather) { cwopQueue.addLast(new WeatherReport(source, payload, t)); wxQueued++; }
        }

        void forwardWeather(long t) {
            cwopBatches++;
            while (!cwopQueue.isEmpty() && cwopQueue.peekFirst().receivedAt() <= t - 2 * MINUTE) { cwopQueue.pollFirst(); wxForwarded++; }
        }

        void tile(Random r, long t) {
            tileRequests++;
            String key = "z" + (7 + r.nextInt(4)) + "/" + r.nextInt(60) + "/" + r.nextInt(100);
            if (tiles.get(key) == null) { tiles.put(key, new MapTile(key, new byte[400 + r.nextInt(400)], t)); tileRenders++; }
        }
    }

    static GatewayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String callsign(int i) {
        int n = i / 100;
        return PREFIXES[i % 10] + ((i / 10) % 10) + (char) ('A' + n % 26) + (char) ('A' + (n / 26) % 26) + (n >= 676 ? String.valueOf((char) ('A' + (n / 676) % 26)) : "");
    }

    static String locator(int g) {
        return "" + (char) ('A' + 8 + (g / 100) % 10) + (char) ('K' + (g / 1_000) % 8) + (g % 10) + ((g / 10) % 10);
    }

    static String remote(Random r) {
        return (20 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)) + ":" + (32_768 + r.nextInt(28_000));
    }

    static String position(Random r, String symbol) {
        int lat = 5_000 + r.nextInt(900), lon = 100 + r.nextInt(800);
        return "!" + lat / 100 + "." + String.format(java.util.Locale.ROOT, "%02d", lat % 100) + "N" + symbol.charAt(0) + "00" + lon / 100 + "." + String.format(java.util.Locale.ROOT, "%02d", lon % 100) + "W" + symbol.charAt(1) + r.nextInt(360) + "/" + r.nextInt(90);
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(135_030_001);
        for (int g = 0; g < GRIDS; g++) {
            double[] spots = new double[48];
            for (int k = 0; k < spots.length; k++) spots[k] = rnd.nextDouble() * 40;
            String loc = locator(g);
            GRIDS_BY_LOCATOR.put(loc, new GridSquare(loc, g % 3 == 0 ? "GB" : g % 3 == 1 ? "IE" : "NL", spots));
        }
        String[] locators = GRIDS_BY_LOCATOR.keySet().toArray(new String[0]);
        java.util.Arrays.sort(locators);
        GatewayService svc = new GatewayService();
        SERVICE = svc;
        for (int i = 0; i < STATIONS; i++) {
            svc.callsigns[i] = callsign(i);
            svc.stations.put(svc.callsigns[i], new Station(svc.callsigns[i], locators[rnd.nextInt(GRIDS)], LICENCES[rnd.nextInt(LICENCES.length)], 10_000 + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        Random igateR = new Random(135_030_002), clients = new Random(135_030_003), web = new Random(135_030_004);
        ClientConnection[] igates = new ClientConnection[IGATES];
        for (int g = 0; g < IGATES; g++) igates[g] = svc.open(svc.callsigns[g * 61] + "-10", remote(igateR), true, start);
        int seconds = hours * 3_600;
        for (int s = 0; s < seconds; s++) {
            long t = start + s * SECOND;
            if (FIXED && s % 60 == 0 && s > 0) svc.limiter.sweepIdle(t);
            if (s % 300 == 0) svc.forwardWeather(t);
            // igates: every 30 s each forwards what it heard on air
            for (int g = (30 - s % 30) % 30; g < IGATES; g += 30) {
                String heard = svc.callsigns[igateR.nextInt(STATIONS)] + SSIDS[igateR.nextInt(SSIDS.length)];
                boolean wx = igateR.nextInt(10) == 0;
                svc.receive(igates[g], heard, wx ? "_" + igateR.nextInt(360) + "/" + igateR.nextInt(40) + "g" + igateR.nextInt(60) + "t" + (30 + igateR.nextInt(40)) : position(igateR, SYMBOLS[igateR.nextInt(SYMBOLS.length)]), wx, t + (g * 37L) % 1_000);
            }
            // short client connections (phone and desktop apps): ~4,000 an hour, 1-4 packets each;
            // 1% are trackers stuck in a beacon storm (60 packets in 12 s, 30 dropped)
            int n = clients.nextInt(9) == 0 ? 2 : 1;
            for (int k = 0; k < n; k++) {
                String call = svc.callsigns[clients.nextInt(STATIONS)] + SSIDS[clients.nextInt(SSIDS.length)];
                ClientConnection c = svc.open(call, remote(clients), false, t);
                svc.shortConnections++;
                int packets = clients.nextInt(100) == 0 ? 60 : 1 + clients.nextInt(4);
                String symbol = SYMBOLS[clients.nextInt(SYMBOLS.length)];
                for (int p = 0; p < packets; p++) svc.receive(c, call, position(clients, symbol), false, t + 200L * p + k * 10L);
                svc.close(c);
            }
            if (s % 2 == 0) svc.tile(web, t);
        }
    }

    static final long[][] EXPECTED = {
        // limiter keys, short connections, dropped, cwop backlog
        {0, 0, 0, 0},
        {8_276, 7_976, 2_880, 409},
        {16_268, 15_968, 5_880, 425},
        {32_241, 31_941, 11_040, 453},
    };

    static void report(int stage, int hours) {
        GatewayService svc = SERVICE;
        int keys = svc.limiter.windows.size();
        long timestamps = 0;
        int igateKeys = 0;
        for (Map.Entry<String, ArrayDeque<Long>> e : svc.limiter.windows.entrySet()) {
            timestamps += e.getValue().size();
            if (e.getKey().contains("-10@")) igateKeys++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + hours + " h) grids " + GRIDS_BY_LOCATOR.size() + " stations " + svc.stations.size() + " packets " + svc.packets + " accepted " + svc.accepted + " dropped " + svc.dropped
                + " connections opened " + svc.opened + " closed " + svc.closed + " open " + svc.connections.size() + " short " + svc.shortConnections);
        System.out.println("  limiter keys " + keys + " (igate keys " + igateKeys + ", timestamps " + timestamps + ", sweeps " + svc.limiter.sweeps + ", swept " + svc.limiter.swept + ") cwop " + svc.wxQueued + " queued " + svc.wxForwarded + " forwarded backlog " + svc.cwopQueue.size()
                + " tiles " + svc.tiles.size() + " (requests " + svc.tileRequests + ", evicted " + svc.tiles.evicted + ") ring " + Math.min(svc.accepted, RING) + " pool " + svc.encodeBuffers.size());
        check(GRIDS_BY_LOCATOR.size() == GRIDS && svc.stations.size() == STATIONS, "reference data / directory");
        check(svc.connections.size() == IGATES && svc.opened == IGATES + svc.shortConnections && svc.closed == svc.shortConnections, "connections");
        check(svc.accepted + svc.dropped == svc.packets && svc.limiter.allowed == svc.accepted, "packets");
        check(igateKeys == IGATES, "igate keys");
        if (FIXED) check(keys < IGATES + 400, "swept limiter");
        else check(keys == IGATES + svc.shortConnections, "one limiter key per connection ever opened");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        if (!FIXED) {
            long[] e = EXPECTED[stage];
            long[] got = {keys, svc.shortConnections, svc.dropped, svc.cwopQueue.size()};
            for (int k = 0; k < e.length; k++) check(e[k] < 0 || e[k] == got[k], "count " + k + ": " + got[k] + " (expected " + e[k] + ")");
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val135.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
