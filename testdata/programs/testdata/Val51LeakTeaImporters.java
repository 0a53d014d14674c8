// hprofscan-dump: name=val51-leak-teaimporters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val51-leak-teaimporters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 51 (written blind), LEAK: the wholesale catalogue and order service of a tea
 * importer. Tea-estate reference data, the directory of tea lots, a cache of rendered catalogue
 * pages at its cap, a pool of result-row buffers, a ring of recent request-log rows, and an
 * in-process query engine with a plan cache keyed by SQL text. The data-access code inlines the
 * literal values into the SQL (no bind parameters: "... WHERE id = 881234"), so almost every query
 * parses and caches a new plan that is never looked up again; the cache has no bound.
 * See VALIDATION51.md.
 */
public final class Val51LeakTeaImporters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ESTATES = 1_200, LOTS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 3_000, HOURS = 10;
    static final String[] CURRENCIES = {"INR", "LKR", "KES", "CNY", "JPY", "USD"};
    static boolean FIXED;

    record Estate(String code, String region, double[] gradeByMonth) {}
    record TeaLot(String lotNo, String estateCode, String grade, byte[] tastingNotes, long harvestedAt) {}
    record CataloguePage(String key, byte[] rendered, long at) {}
    record RequestLog(String path, String buyer, int millis, long at) {}
    record PlanStep(String op, String target, int cost) {}

    static final class ParsedPlan {
        final String sql, table; final String[] columns; final PlanStep[] steps; final byte[] compiled; final long parsedAt; long lastUsedAt; int hits;
        ParsedPlan(String sql, String table, String[] columns, PlanStep[] steps, byte[] compiled, long parsedAt) {
            this.sql = sql; this.table = table; this.columns = columns; this.steps = steps; this.compiled = compiled; this.parsedAt = parsedAt; this.lastUsedAt = parsedAt;
        }
    }

    static final class QueryEngine {
        final Map<String, ParsedPlan> planCache = new HashMap<>(); // keyed by SQL text, no bound
        final Random planner = new Random(51_030_003);
        long lookups, parses;
        ParsedPlan prepare(String sql, long at) {
            lookups++;
            ParsedPlan p = planCache.get(sql);
            if (p != null) { p.hits++; p.lastUsedAt = at; return p; }
            parses++;
            p = parse(sql, at);
            planCache.put(sql, p);
            return p;
        }
        ParsedPlan parse(String sql, long at) {
            String table; String[] columns;
            if (sql.startsWith("UPDATE ")) {
                table = sql.substring(7, sql.indexOf(' ', 7));
                int set = sql.indexOf(" SET ") + 5;
                columns = new String[] {sql.substring(set, sql.indexOf(' ', set))};
            } else {
                int from = sql.indexOf(" FROM ");
                columns = sql.substring(7, from).split(", ");
                int t0 = from + 6, t1 = sql.indexOf(' ', t0);
                table = t1 < 0 ? sql.substring(t0) : sql.substring(t0, t1);
            }
            boolean where = sql.contains(" WHERE ");
            PlanStep[] steps = where
                    ? new PlanStep[] {new PlanStep("index-seek", table, 1 + planner.nextInt(9)), new PlanStep("filter", table, 1), new PlanStep("project", table, columns.length)}
                    : new PlanStep[] {new PlanStep("seq-scan", table, 100 + planner.nextInt(900)), new PlanStep("sort", table, 50), new PlanStep("project", table, columns.length)};
            return new ParsedPlan(sql, table, columns, steps, new byte[48 + planner.nextInt(64)], at);
        }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Estate> ESTATES_BY_CODE = new HashMap<>();

    static final class CatalogueService {
        final Map<String, TeaLot> lots = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> rowBuffers = new ArrayDeque<>();
        final RequestLog[] requestLog = new RequestLog[RING];
        long requests;
        final QueryEngine db = new QueryEngine();
    }

    static CatalogueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val51.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(51_030_001);
        String[] estateCodes = new String[ESTATES];
        String[] regions = {"Assam", "Darjeeling", "Nilgiri", "Uva", "Kenya Highlands", "Yunnan", "Fujian", "Shizuoka"};
        for (int e = 0; e < ESTATES; e++) {
            double[] grade = new double[72];
            for (int k = 0; k < grade.length; k++) grade[k] = rnd.nextDouble() * 10;
            estateCodes[e] = "EST-" + (3_000 + e);
            ESTATES_BY_CODE.put(estateCodes[e], new Estate(estateCodes[e], regions[e % regions.length], grade));
        }
        CatalogueService svc = new CatalogueService();
        SERVICE = svc;
        String[] lotNos = new String[LOTS];
        String[] grades = {"FTGFOP1", "TGFOP", "GFOP", "FOP", "OP", "BOP", "CTC BP1", "Sencha", "Gyokuro", "Dianhong"};
        for (int l = 0; l < LOTS; l++) {
            lotNos[l] = "LOT-" + (7_000_000 + l * 13);
            svc.lots.put(lotNos[l], new TeaLot(lotNos[l], estateCodes[rnd.nextInt(ESTATES)], grades[rnd.nextInt(grades.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rowBuffers.add(new byte[32_768]);
        Random traffic = new Random(51_030_002);
        String[] paths = {"/lots/{lotNo}", "/orders/{id}", "/lots/{lotNo}/reserve", "/shipments/{container}", "/fx/{currency}", "/estates"};
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int p = traffic.nextInt(100);
            int kind = p < 30 ? 0 : p < 55 ? 1 : p < 75 ? 2 : p < 90 ? 3 : p < 97 ? 4 : 5;
            String sql;
            switch (kind) {
                case 0 -> sql = FIXED ? "SELECT lot_no, grade, price_cents, stock_kg FROM tea_lot WHERE lot_no = ?"
                        : "SELECT lot_no, grade, price_cents, stock_kg FROM tea_lot WHERE lot_no = '" + lotNos[traffic.nextInt(LOTS)] + "'";
                case 1 -> sql = FIXED ? "SELECT id, buyer, status, total_cents FROM wholesale_order WHERE id = ?"
                        : "SELECT id, buyer, status, total_cents FROM wholesale_order WHERE id = " + (880_000 + traffic.nextInt(40_000));
                case 2 -> sql = FIXED ? "UPDATE stock SET reserved_kg = reserved_kg + ? WHERE lot_no = ?"
                        : "UPDATE stock SET reserved_kg = reserved_kg + " + (1 + traffic.nextInt(1_000)) / 2.0 + " WHERE lot_no = '" + lotNos[traffic.nextInt(LOTS)] + "'";
                case 3 -> sql = FIXED ? "SELECT container_no, vessel, eta FROM shipment WHERE container_no = ? AND eta > ?"
                        : "SELECT container_no, vessel, eta FROM shipment WHERE container_no = 'MSCU" + (1_000_000 + traffic.nextInt(9_000_000)) + "' AND eta > " + (t - t % MINUTE);
                case 4 -> sql = FIXED ? "SELECT currency, rate FROM fx_rate WHERE currency = ?"
                        : "SELECT currency, rate FROM fx_rate WHERE currency = '" + CURRENCIES[traffic.nextInt(CURRENCIES.length)] + "'";
                default -> sql = "SELECT code, name, region FROM estate ORDER BY name";
            }
            if (FIXED) { // same random draws as the inlined values, now bound as parameters
                switch (kind) {
                    case 0, 1, 4 -> traffic.nextInt(kind == 0 ? LOTS : kind == 1 ? 40_000 : CURRENCIES.length);
                    case 2 -> { traffic.nextInt(1_000); traffic.nextInt(LOTS); }
                    case 3 -> traffic.nextInt(9_000_000);
                    default -> { }
                }
            }
            svc.db.prepare(sql, t);
            String buyer = "BUY-" + (100 + traffic.nextInt(900));
            svc.requestLog[(int) (svc.requests++ % RING)] = new RequestLog(paths[kind], buyer, 2 + traffic.nextInt(300), t);
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new CataloguePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.rowBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.rowBuffers.add(buf);
        }
        QueryEngine db = svc.db;
        int neverReused = 0;
        Map<String, Integer> byTable = new java.util.TreeMap<>();
        for (ParsedPlan pl : db.planCache.values()) { if (pl.hits == 0) neverReused++; byTable.merge(pl.table, 1, Integer::sum); }
        System.out.println((FIXED ? "FIXED " : "") + "estates " + ESTATES_BY_CODE.size() + " lots " + svc.lots.size() + " requests " + svc.requests + " plan cache " + db.planCache.size() + " (parses " + db.parses + ", lookups " + db.lookups
                + ", never reused " + neverReused + ", by table " + byTable + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.rowBuffers.size());
        check(ESTATES_BY_CODE.size() == ESTATES && svc.lots.size() == LOTS, "reference data / directory");
        check(db.lookups == requests && db.parses == db.planCache.size(), "plan cache traffic");
        if (FIXED) check(db.planCache.size() == 6, "parameterised plans: " + db.planCache.size());
        else check(db.planCache.size() > requests * 3 / 4, "one plan per literal: " + db.planCache.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.rowBuffers.size() == POOL, "pool");
        check(svc.requestLog[RING - 1] != null, "ring");
        byTable = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
