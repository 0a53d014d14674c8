// hprofscan-dump: name=val94-leak-stairlifts-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val94-leak-stairlifts-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val94-leak-stairlifts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val94-leak-stairlifts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 94 (written blind), LEAK: the field-service back end of a stair-lift installer.
 * Lift-model reference data, the installation directory, a cache of rendered repair quotes at its
 * cap, a pool of job-sheet print buffers, a per-thread render scratch buffer, a ring of recent
 * service visits, and a fixed pool of 8 database connections, each with a prepared-statement cache
 * (HashMap keyed by SQL text). The visit-history, installation-lookup, last-service update and
 * callout insert build their SQL by concatenating the customer id, serial number and timestamps
 * into the text instead of binding parameters, so nearly every query is a new cache key: the caches
 * never hit (for those queries) and never evict, and grow with traffic. See VALIDATION94.md.
 */
public final class Val94LeakStairlifts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MODELS = 800, INSTALLATIONS = 24_000, CUSTOMERS = 60_000, ENGINEERS = 420, QUOTE_CAP = 2_000,
            POOL = 8, CONNECTIONS = 8, RING = 4_096, JOBS_PER_HOUR = 3_000, SCRATCH = 65_536;
    static boolean FIXED;
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    record LiftModel(String code, String maker, double[] railLoadTable) {}
    record Installation(String serialNo, String customerId, String modelCode, byte[] surveyRecord, long installedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Visit(String serialNo, String engineerId, int outcome, long at) {}

    /** A prepared statement as the driver keeps it: SQL text, parameter types and the server-side plan. */
    static final class Statement {
        final String sql;
        final int[] paramTypes;
        final byte[] plan;
        final long preparedAt;
        long executions, lastUsedAt;
        Statement(String sql, int[] paramTypes, byte[] plan, long preparedAt) { this.sql = sql; this.paramTypes = paramTypes; this.plan = plan; this.preparedAt = preparedAt; }
    }

    /** A pooled connection; prepareStatement() is served from the per-connection statement cache. */
    static final class DbConnection {
        final int id;
        final String url;
        final long openedAt;
        final Map<String, Statement> statementCache = new HashMap<>();
        long prepares, hits, executions;
        DbConnection(int id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
        Statement prepare(String sql, int params, Random planner, long at) {
            Statement s = statementCache.get(sql);
            if (s == null) {
                s = new Statement(sql, new int[params], new byte[48 + planner.nextInt(48)], at);
                statementCache.put(sql, s);
                prepares++;
            } else {
                hits++;
            }
            s.executions++;
            s.lastUsedAt = at;
            executions++;
            return s;
        }
    }

    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        DbConnection borrow() { return idle.poll(); }
        void release(DbConnection c) { idle.add(c); }
        int cachedStatements() { int n = 0; for (DbConnection c : all) n += c.statementCache.size(); return n; }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LiftModel> MODELS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> RENDER_SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH]);

    static final class ServiceDesk {
        final Map<String, Installation> installations = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> jobSheetBuffers = new ArrayDeque<>();
        final Visit[] recentVisits = new Visit[RING];
        long visits;
        final ConnectionPool db = new ConnectionPool();
    }

    static ServiceDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val94.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int jobs = JOBS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(94_010_001);
        String[] makers = {"Acorn", "Stannah", "Handicare", "Bruno", "Otolift", "Flow"};
        String[] modelCodes = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] table = new double[64];
            for (int k = 0; k < table.length; k++) table[k] = 80 + rnd.nextDouble() * 100;
            modelCodes[m] = "SLM-" + (3_000 + m);
            MODELS_BY_CODE.put(modelCodes[m], new LiftModel(modelCodes[m], makers[m % makers.length], table));
        }
        ServiceDesk svc = new ServiceDesk();
        SERVICE = svc;
        String[] serials = new String[INSTALLATIONS];
        for (int k = 0; k < INSTALLATIONS; k++) {
            serials[k] = "SL" + (7_000_000 + k * 3);
            String customer = "CU" + (400_000 + rnd.nextInt(CUSTOMERS));
            svc.installations.put(serials[k], new Installation(serials[k], customer, modelCodes[rnd.nextInt(MODELS)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        String[] engineers = new String[ENGINEERS];
        for (int e = 0; e < ENGINEERS; e++) engineers[e] = "EN" + (1_000 + e);
        for (int b = 0; b < POOL; b++) svc.jobSheetBuffers.add(new byte[32_768]);
        for (int c = 0; c < CONNECTIONS; c++) {
            DbConnection conn = new DbConnection(c, "jdbc:postgresql://fieldsvc-db:5432/stairlifts?conn=" + c, start - (long) (c + 1) * 37 * MINUTE);
            svc.db.all[c] = conn;
            svc.db.idle.add(conn);
        }
        Random traffic = new Random(94_010_002);
        Random planner = new Random(94_010_003);
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            String serial = serials[traffic.nextInt(INSTALLATIONS)];
            String customer = svc.installations.get(serial).customerId();
            String engineer = engineers[traffic.nextInt(ENGINEERS)];
            int kind = traffic.nextInt(10);
            int fault = 10 + traffic.nextInt(80);
            int outcome = traffic.nextInt(4);
            DbConnection c = svc.db.borrow();
            if (kind < 4) { // the customer's visit history for the last year
                if (FIXED) c.prepare("SELECT visit_id, engineer_id, outcome, notes FROM service_visits WHERE customer_id = ? AND visit_date >= ? ORDER BY visit_date DESC", 2, planner, t);
                else c.prepare("SELECT visit_id, engineer_id, outcome, notes FROM service_visits WHERE customer_id = '" + customer + "' AND visit_date >= TIMESTAMP '"
                        + TS.format(Instant.ofEpochMilli(t - 365 * DAY)) + "' ORDER BY visit_date DESC", 0, planner, t);
            } else if (kind < 6) { // all lifts of the customer
                if (FIXED) c.prepare("SELECT serial_no, model_code, rail_length_mm, last_service FROM installations WHERE customer_id = ?", 1, planner, t);
                else c.prepare("SELECT serial_no, model_code, rail_length_mm, last_service FROM installations WHERE customer_id = '" + customer + "'", 0, planner, t);
            } else if (kind < 9) { // book the visit
                if (FIXED) c.prepare("UPDATE installations SET last_service = ?, engineer_id = ? WHERE serial_no = ?", 3, planner, t);
                else c.prepare("UPDATE installations SET last_service = TIMESTAMP '" + TS.format(Instant.ofEpochMilli(t)) + "', engineer_id = '" + engineer + "' WHERE serial_no = '" + serial + "'", 0, planner, t);
            } else { // open a callout
                if (FIXED) c.prepare("INSERT INTO callouts (serial_no, customer_id, opened_at, fault_code) VALUES (?, ?, ?, ?)", 4, planner, t);
                else c.prepare("INSERT INTO callouts (serial_no, customer_id, opened_at, fault_code) VALUES ('" + serial + "', '" + customer + "', TIMESTAMP '"
                        + TS.format(Instant.ofEpochMilli(t)) + "', 'F" + fault + "')", 0, planner, t);
            }
            c.prepare("SELECT name, mobile, region FROM engineers WHERE engineer_id = ?", 1, planner, t); // bound: always a hit
            if (i % 25 == 0) c.prepare("SELECT 1", 0, planner, t); // connection validation
            svc.db.release(c);
            svc.recentVisits[(int) (svc.visits++ % RING)] = new Visit(serial, engineer, outcome, t);
            if (i % 2 == 0) {
                String key = "Q-" + traffic.nextInt(5_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] scratch = RENDER_SCRATCH.get();
            scratch[i % SCRATCH] = (byte) kind;
            byte[] buf = svc.jobSheetBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.jobSheetBuffers.add(buf);
        }
        long prepares = 0, hits = 0, executions = 0;
        int minCache = Integer.MAX_VALUE, maxCache = 0;
        for (DbConnection c : svc.db.all) {
            prepares += c.prepares; hits += c.hits; executions += c.executions;
            minCache = Math.min(minCache, c.statementCache.size()); maxCache = Math.max(maxCache, c.statementCache.size());
        }
        int cached = svc.db.cachedStatements();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " models " + MODELS_BY_CODE.size() + " installations " + svc.installations.size() + " jobs " + jobs
                + " statements cached " + cached + " (per connection " + minCache + ".." + maxCache + ", prepares " + prepares + ", hits " + hits + ", executions " + executions
                + ", literal-SQL hits " + (FIXED ? 0 : jobs - (cached - 2 * CONNECTIONS)) + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.jobSheetBuffers.size() + " visits " + svc.visits + " idle connections " + svc.db.idle.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.installations.size() == INSTALLATIONS, "reference data / directory");
        check(svc.db.idle.size() == CONNECTIONS && prepares == cached && prepares + hits == executions, "connection pool");
        check(executions == 2L * jobs + (jobs + 24) / 25, "executions " + executions);
        if (FIXED) check(minCache == 6 && maxCache == 6, "bound statements: 6 per connection");
        else check(cached == (stage == 1 ? EXPECTED[0] : stage == 2 ? EXPECTED[1] : EXPECTED[2]), "statement caches keep every literal query: " + cached);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.jobSheetBuffers.size() == POOL && RENDER_SCRATCH.get().length == SCRATCH, "pool / scratch");
        check(svc.visits == jobs && svc.recentVisits[RING - 1] != null, "visit ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Statements cached over all 8 connections at the dump, stages 1 / 2 / 3 (measured; seeded traffic). */
    static final int[] EXPECTED = {6_011, 11_994, 23_928};
}
