// hprofscan-dump: name=val128-leak-bathymetry jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val128-leak-bathymetry-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 128 (written blind), LEAK: the chart-data service of a hydrographic office, serving
 * rendered bathymetry (depth-contour) tiles to pilots, port authorities and chart plotters. Port
 * reference data (tide predictions), the survey directory, an LRU of Notices-to-Mariners cards
 * capped at 2,000 (at its cap), a pool of render buffers, a ring of tile requests, the print-on-demand
 * queue of paper charts, and the depth-tile cache: an access-ordered LinkedHashMap meant to be an LRU
 * bounded to a 4 MiB byte budget; it keeps the bytes of its tiles in a field, but removeEldestEntry
 * compares size() (an entry count) with MAX_BYTES (4,194,304), so it never evicts: every tile ever
 * rendered stays. See VALIDATION128.md.
 */
public final class Val128LeakBathymetry {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int PORTS = 1_000, SURVEYS = 20_000, NOTICE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 3_200, HOT_TILES = 1_500;
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static boolean FIXED;

    record Port(String locode, String name, double chartDatumOffset, double[] tidePredictions) {}
    record Survey(String surveyId, String vessel, String area, byte[] metadata, long completedAt) {}
    record DepthTile(String key, String surveyId, byte[] png, int shoalestDm, long renderedAt) {}
    record NoticeCard(String noticeNo, byte[] rendered, long at) {}
    record TileRequest(long seq, String client, String key, boolean hit, long at) {}
    record PrintOrder(long orderNo, String chartNo, String shipTo, long placedAt) {}

    /** LRU of rendered depth tiles, meant to be bounded by the bytes of its tiles. */
    static final class DepthTileCache extends LinkedHashMap<String, DepthTile> {
        long bytes, evicted, hits, misses;
        DepthTileCache() { super(4_096, 0.75f, true); }
        void add(DepthTile t) {
            bytes += t.png().length;
            put(t.key(), t);
            if (FIXED) {
                for (java.util.Iterator<DepthTile> it = values().iterator(); bytes > MAX_BYTES && it.hasNext(); ) {
                    bytes -= it.next().png().length;
                    it.remove();
                    evicted++;
                }
            }
        }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DepthTile> eldest) {
            if (FIXED) return false; // the fix evicts in add() while the bytes exceed MAX_BYTES
            // BUG: meant to compare the cached bytes with the byte budget; compares the entry count
            if (size() > MAX_BYTES) { bytes -= eldest.getValue().png().length; evicted++; return true; }
            return false;
        }
    }

    static final class NoticeCache extends LinkedHashMap<String, NoticeCard> {
        long evicted;
        NoticeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, NoticeCard> e) { if (size() > NOTICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_LOCODE = new HashMap<>();

    static final class ChartService {
        final Map<String, Survey> surveys = new HashMap<>();
        final String[] surveyIds = new String[SURVEYS];
        final String[] hotTiles = new String[HOT_TILES];
        final DepthTileCache tiles = new DepthTileCache();
        final NoticeCache notices = new NoticeCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final TileRequest[] requestLog = new TileRequest[RING];
        final ArrayDeque<PrintOrder> printOrders = new ArrayDeque<>();
        long requests, renders, noticeViews, ordersPlaced, ordersDispatched;

        void tileRequest(Random r, long t) {
            String key;
            if (r.nextInt(100) < 70) key = hotTiles[r.nextInt(HOT_TILES)];
            else {
                int z = 10 + r.nextInt(7);
                key = "z" + z + "/" + r.nextInt(1 << z) + "/" + r.nextInt(1 << z) + "@e" + (1 + r.nextInt(4));
            }
            int pngBytes = 600 + r.nextInt(1_200), survey = r.nextInt(SURVEYS), shoalestDm = r.nextInt(400);
            DepthTile tile = tiles.get(key);
            boolean hit = tile != null;
            if (hit) tiles.hits++;
            else {
                tiles.misses++;
                renders++;
                byte[] buf = renderBuffers.poll();
                buf[(int) (renders % buf.length)] = 1;
                renderBuffers.add(buf);
                tiles.add(new DepthTile(key, surveyIds[survey], new byte[pngBytes], shoalestDm, t));
            }
            long seq = requests++;
            requestLog[(int) (seq % RING)] = new TileRequest(seq, "client-" + r.nextInt(900), key, hit, t);
            if (r.nextInt(3) == 0) {
                noticeViews++;
                String no = "NM" + (1_000 + r.nextInt(6_000));
                if (notices.get(no) == null) notices.put(no, new NoticeCard(no, new byte[400 + r.nextInt(400)], t));
            }
            if (r.nextInt(80) == 0) printOrders.addLast(new PrintOrder(ordersPlaced++, "BA" + (1_000 + r.nextInt(4_000)), "Ship-" + r.nextInt(3_000), t));
            while (!printOrders.isEmpty() && printOrders.peekFirst().placedAt() <= t - 30 * MINUTE) { printOrders.pollFirst(); ordersDispatched++; }
        }
    }

    static ChartService SERVICE;

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(128_020_001);
        for (int p = 0; p < PORTS; p++) {
            double[] tide = new double[96];
            for (int k = 0; k < tide.length; k++) tide[k] = 3 * Math.sin(k * Math.PI / 24.8) + rnd.nextDouble() * 0.3;
            String locode = "XP" + (char) ('A' + p % 26) + (char) ('A' + (p / 26) % 26) + (p / 676);
            PORTS_BY_LOCODE.put(locode, new Port(locode, "Port " + p, rnd.nextDouble() * 2, tide));
        }
        ChartService svc = new ChartService();
        SERVICE = svc;
        String[] vessels = {"HMSV Echo", "Vigilant", "Meridian", "Sounder", "Tern", "Pathfinder"};
        for (int i = 0; i < SURVEYS; i++) {
            svc.surveyIds[i] = "HI" + (1_000 + i);
            svc.surveys.put(svc.surveyIds[i], new Survey(svc.surveyIds[i], vessels[i % vessels.length], "Area " + (i % 700), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(7_000)) * DAY));
        }
        for (int h = 0; h < HOT_TILES; h++) svc.hotTiles[h] = "z15/" + (16_000 + h % 40) + "/" + (10_500 + h / 40) + "@e" + (1 + h % 4); // harbour approaches
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(128_020_002);
        int n = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            svc.tileRequest(traffic, t);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void verify() {
        ChartService s = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "ports " + PORTS_BY_LOCODE.size() + " surveys " + s.surveys.size() + " requests " + s.requests + " renders " + s.renders
                + " tiles " + s.tiles.size() + " (" + s.tiles.bytes + " bytes, evicted " + s.tiles.evicted + ", hits " + s.tiles.hits + ") notices " + s.notices.size() + " (views " + s.noticeViews + ", evicted " + s.notices.evicted + ")"
                + " print orders " + s.ordersPlaced + " dispatched " + s.ordersDispatched + " backlog " + s.printOrders.size() + " pool " + s.renderBuffers.size());
        check(PORTS_BY_LOCODE.size() == PORTS && s.surveys.size() == SURVEYS, "reference data / directory");
        check(s.requests == (long) REQUESTS_PER_HOUR * HOURS && s.renders == s.tiles.misses, "requests");
        check(s.tiles.size() == s.renders - s.tiles.evicted, "tiles accounted");
        if (FIXED) check(s.tiles.bytes <= MAX_BYTES && s.tiles.evicted > 0, "tile cache within its budget");
        else check(s.tiles.evicted == 0 && s.tiles.bytes > 3 * MAX_BYTES, "tile cache never evicts");
        check(s.notices.size() == NOTICE_CAP && s.notices.evicted > 0, "notice cache at cap");
        check(s.renderBuffers.size() == POOL && s.requestLog[RING - 1] != null, "pool / ring");
        long[] got = {s.renders, s.tiles.size(), s.tiles.bytes, s.tiles.hits, s.notices.evicted, s.ordersPlaced, s.printOrders.size()};
        long[] e = FIXED ? EXPECT_FIXED : EXPECT;
        for (int i = 0; i < e.length; i++) check(e[i] < 0 || got[i] == e[i], "count #" + i + " = " + got[i] + ", expected " + e[i]);
    }

    /** renders, tiles, tile bytes, tile hits, notices evicted, print orders, print backlog. */
    static final long[] EXPECT = {11_272, 11_272, 13_471_955, 20_728, 5_425, 386, 15};
    static final long[] EXPECT_FIXED = {11_976, 3_513, 4_193_792, 20_024, 5_425, 386, 15};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val128.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
