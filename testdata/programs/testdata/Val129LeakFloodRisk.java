// hprofscan-dump: name=val129-leak-floodrisk-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val129-leak-floodrisk-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val129-leak-floodrisk jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val129-leak-floodrisk-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 129 (written blind), LEAK (growth series): the flood-risk assessment API of a
 * property-data company (insurers and conveyancers ask for the flood risk of a property). The
 * assessor memoises its results in a ConcurrentHashMap keyed by a QueryKey record meant to hold the
 * model inputs (postcode sector, property type, floor level, return period: 4,320 combinations),
 * but a later change copied the request's timestamp into the QueryKey ("so the audit line can say
 * when the query was made"): no lookup ever hits and every request adds an entry. The service's
 * other caches are keyed properly (sector models by sector code, map tiles in an LRU at its cap).
 * Also: river-gauge reference data, the property directory keyed by UPRN, a pool of report
 * buffers, a ring of recent assessments, the flood-warning notification queue with its normal
 * backlog. Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION129.md.
 */
public final class Val129LeakFloodRisk {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GAUGES = 1_200, PROPERTIES = 20_000, SECTORS = 120, TILE_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 4_000,
            TILES_PER_REQUEST_IN_10 = 6, WARNING_LAG_MINUTES = 30;
    static final String[] PROPERTY_TYPES = {"detached", "semi-detached", "terraced", "flat"};
    static final int[] FLOOR_LEVELS = {-1, 0, 1};
    static final int[] RETURN_PERIODS = {30, 100, 1_000};
    static final String[] BANDS = {"very low", "low", "medium", "high"};
    static final String[] RIVERS = {"Ouse", "Severn", "Trent", "Aire", "Calder", "Derwent", "Wharfe", "Don", "Tees", "Eden", "Wye", "Avon"};
    static boolean FIXED;

    record Gauge(String gaugeId, String river, String station, double[] levelByQuarterHour) {}
    record Property(String uprn, String sector, String propertyType, int floorLevel, byte[] surveyRecord, long surveyedAt) {}
    record SectorModel(String sector, float[] depthGrid, String catchment) {}
    /** The model inputs of an assessment, plus (the bug) the time the request was made. */
    record QueryKey(String sector, String propertyType, int floorLevel, int returnPeriodYears, long requestedAt) {}
    record RiskResult(double[] depthByBandM, String band, String summary, long computedAt) {}
    record AssessmentLog(String requestId, String uprn, String band, long at) {}
    record MapTile(String tileKey, byte[] png, long renderedAt) {}
    record FloodWarning(String warningId, String sector, String severity, long issuedAt) {}

    static final Map<String, Gauge> GAUGES_BY_ID = new HashMap<>();

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final class RiskAssessor {
        /** Memo of model runs (meant: one per distinct set of inputs). */
        final ConcurrentHashMap<QueryKey, RiskResult> memo = new ConcurrentHashMap<>();
        /** Sector models, keyed by sector code: loaded once per sector. */
        final ConcurrentHashMap<String, SectorModel> sectorModels = new ConcurrentHashMap<>();
        final AtomicLong lookups = new AtomicLong(), hits = new AtomicLong(), modelRuns = new AtomicLong(), sectorLoads = new AtomicLong();

        RiskResult assess(Property p, int returnPeriod, long requestedAt) {
            lookups.incrementAndGet();
            // BUG: requestedAt was added to the key for the audit line; with it no two queries are equal
            QueryKey key = new QueryKey(p.sector(), p.propertyType(), p.floorLevel(), returnPeriod, FIXED ? 0L : requestedAt);
            RiskResult cached = memo.get(key);
            if (cached != null) { hits.incrementAndGet(); return cached; }
            SectorModel model = sectorModels.computeIfAbsent(p.sector(), s -> { sectorLoads.incrementAndGet(); return loadSector(s); });
            RiskResult result = run(model, key, requestedAt);
            memo.put(key, result);
            modelRuns.incrementAndGet();
            return result;
        }

        static SectorModel loadSector(String sector) {
            Random r = new Random(sector.hashCode());
            float[] grid = new float[256];
            for (int i = 0; i < grid.length; i++) grid[i] = r.nextFloat() * 2.5f;
            return new SectorModel(sector, grid, RIVERS[Math.floorMod(sector.hashCode(), RIVERS.length)] + " catchment");
        }

        static RiskResult run(SectorModel m, QueryKey k, long t) {
            Random r = new Random(31L * m.sector().hashCode() + k.propertyType().hashCode() * 7L + k.floorLevel() * 3L + k.returnPeriodYears());
            double[] depth = new double[12];
            double max = 0;
            for (int i = 0; i < depth.length; i++) {
                depth[i] = Math.max(0, m.depthGrid()[r.nextInt(256)] * Math.log10(k.returnPeriodYears()) / 3 - 0.4 * k.floorLevel());
                max = Math.max(max, depth[i]);
            }
            String band = BANDS[max < 0.2 ? 0 : max < 0.6 ? 1 : max < 1.2 ? 2 : 3];
            String summary = "1-in-" + k.returnPeriodYears() + " year event, " + k.propertyType() + ", floor " + k.floorLevel() + ": max depth "
                    + Math.round(max * 100) + " cm, band " + band + " (" + m.catchment() + ")";
            return new RiskResult(depth, band, summary, t);
        }
    }

    static final class RiskService {
        final Map<String, Property> properties = new HashMap<>();
        final String[] uprns = new String[PROPERTIES];
        final String[] sectors = new String[SECTORS];
        final RiskAssessor assessor = new RiskAssessor();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final AssessmentLog[] recent = new AssessmentLog[RING];
        final ArrayDeque<FloodWarning> warnings = new ArrayDeque<>();
        final AtomicLong requests = new AtomicLong(), tileRequests = new AtomicLong(), tilesRendered = new AtomicLong(), warningsIssued = new AtomicLong(), warningsSent = new AtomicLong();

        void handle(String requestId, String uprn, int returnPeriod, Random r, long t) {
            Property p = properties.get(uprn);
            RiskResult res = assessor.assess(p, returnPeriod, t);
            recent[(int) (requests.getAndIncrement() % RING)] = new AssessmentLog(requestId, uprn, res.band(), t);
            if (r.nextInt(10) < TILES_PER_REQUEST_IN_10) {
                tileRequests.incrementAndGet();
                String tileKey = "z15/" + p.sector() + "/" + r.nextInt(40);
                MapTile tile = tiles.get(tileKey);
                if (tile == null) { tiles.put(tileKey, tile = new MapTile(tileKey, new byte[400 + r.nextInt(400)], t)); tilesRendered.incrementAndGet(); }
                byte[] buf = reportBuffers.pollFirst();
                buf[(int) (t % buf.length)] = (byte) tile.png().length;
                reportBuffers.addLast(buf);
            }
        }
    }

    static RiskService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(129_010_001);
        for (int g = 0; g < GAUGES; g++) {
            double[] levels = new double[96];
            for (int j = 0; j < levels.length; j++) levels[j] = 0.3 + rnd.nextDouble() * 3.2;
            String id = "GA-" + (700_000 + g * 23);
            GAUGES_BY_ID.put(id, new Gauge(id, RIVERS[g % RIVERS.length], "Station " + g + " on the " + RIVERS[g % RIVERS.length], levels));
        }
        RiskService svc = new RiskService();
        SERVICE = svc;
        String[] areas = {"YO", "LS", "HG", "WF", "DN", "HU"};
        for (int s = 0; s < SECTORS; s++) svc.sectors[s] = areas[s % areas.length] + (1 + s / areas.length) + " " + (s % 9 + 1);
        for (int p = 0; p < PROPERTIES; p++) {
            svc.uprns[p] = "UPRN" + (10_090_000_000L + p * 37L);
            svc.properties.put(svc.uprns[p], new Property(svc.uprns[p], svc.sectors[rnd.nextInt(SECTORS)], PROPERTY_TYPES[rnd.nextInt(PROPERTY_TYPES.length)],
                    FLOOR_LEVELS[rnd.nextInt(FLOOR_LEVELS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.addLast(new byte[32_768]);

        Random traffic = new Random(129_010_002), warnings = new Random(129_010_003);
        int total = REQUESTS_PER_HOUR * hours;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.handle("FRA-" + (5_000_000 + i), svc.uprns[traffic.nextInt(PROPERTIES)], RETURN_PERIODS[traffic.nextInt(RETURN_PERIODS.length)], traffic, t);
            if (warnings.nextInt(100) == 0) {
                svc.warnings.addLast(new FloodWarning("FW" + (80_000 + svc.warningsIssued.getAndIncrement()), svc.sectors[warnings.nextInt(SECTORS)],
                        warnings.nextInt(4) == 0 ? "flood warning" : "flood alert", t));
            }
            while (!svc.warnings.isEmpty() && svc.warnings.peekFirst().issuedAt() <= t - WARNING_LAG_MINUTES * MINUTE) {
                svc.warnings.pollFirst();
                svc.warningsSent.incrementAndGet();
            }
        }
    }

    static void report(int stage, int hours) {
        RiskService svc = SERVICE;
        RiskAssessor a = svc.assessor;
        int total = REQUESTS_PER_HOUR * hours;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " gauges " + GAUGES_BY_ID.size() + " properties " + svc.properties.size() + " requests " + svc.requests.get()
                + " memo " + a.memo.size() + " (lookups " + a.lookups.get() + ", hits " + a.hits.get() + ", model runs " + a.modelRuns.get() + ") sector models " + a.sectorModels.size()
                + " tiles " + svc.tiles.size() + " (requests " + svc.tileRequests.get() + ", rendered " + svc.tilesRendered.get() + ", evicted " + svc.tiles.evicted + ") pool "
                + svc.reportBuffers.size() + " warnings backlog " + svc.warnings.size() + " (issued " + svc.warningsIssued.get() + ", sent " + svc.warningsSent.get() + ")");
        check(GAUGES_BY_ID.size() == GAUGES && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.requests.get() == total && a.lookups.get() == total && a.memo.size() == a.modelRuns.get() && a.modelRuns.get() + a.hits.get() == total, "requests");
        check(FIXED || (a.hits.get() == 0 && a.memo.size() == total), "memo entries " + a.memo.size());
        long fixedExpected = stage == 1 ? 3_557 : stage == 2 ? 4_137 : 4_308;
        check(!FIXED || a.memo.size() == fixedExpected, "fixed memo entries " + a.memo.size());
        check(a.sectorModels.size() == SECTORS && a.sectorLoads.get() == SECTORS, "sector models");
        check(svc.tiles.size() == TILE_CAP && svc.tilesRendered.get() == (stage == 1 ? 3_324 : stage == 2 ? 6_077 : 11_749) && svc.tiles.evicted == svc.tilesRendered.get() - TILE_CAP, "tile cache at cap");
        check(svc.reportBuffers.size() == POOL, "report buffer pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(svc.warnings.size() == (stage == 1 ? 25 : stage == 2 ? 22 : 24) && svc.warningsIssued.get() == svc.warningsSent.get() + svc.warnings.size(), "warnings backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val129.fixed");
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
