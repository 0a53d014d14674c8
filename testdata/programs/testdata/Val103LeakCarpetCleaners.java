// hprofscan-dump: name=val103-leak-carpetcleaners-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val103-leak-carpetcleaners-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val103-leak-carpetcleaners jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val103-leak-carpetcleaners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 103 (written blind), LEAK: the booking and dispatch service of a carpet-cleaning
 * franchise. Depot reference data, the customer directory, a cache of rendered quotes at its cap,
 * a pool of van-ticket print buffers, a ring of recent jobs, and a small hand-written pool of 8
 * database connections, each with its own prepared-statement cache keyed by the SQL text. Most
 * queries use bind parameters, but the depot route-sheet report is built by string concatenation
 * with literal values, so every call adds a new statement to the cache of whichever connection ran
 * it (the pool is a LIFO stack: busy periods push the report onto deeper connections). See
 * VALIDATION103.md.
 */
public final class Val103LeakCarpetCleaners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_000, CUSTOMERS = 24_000, QUOTE_CAP = 2_000, BUFFERS = 8, RING = 4_096, CONNECTIONS = 8;
    static final int REQUESTS_PER_HOUR = 9_000, REPORT_EVERY = 6; // 1,500 route-sheet reports per hour
    static boolean FIXED;

    record Depot(String code, String region, double[] weeklyDemand) {}
    record Customer(String account, String depotCode, String postcode, byte[] floorNotes, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Job(String account, String depotCode, String service, long at) {}

    /** What a driver keeps per prepared statement: the SQL, the parameter types and the server plan handle. */
    static final class PreparedStatementStub {
        final String sql; final int[] paramTypes; final byte[] planHandle; final long preparedAt; long executions;
        PreparedStatementStub(String sql, int[] paramTypes, byte[] planHandle, long preparedAt) { this.sql = sql; this.paramTypes = paramTypes; this.planHandle = planHandle; this.preparedAt = preparedAt; }
    }

    static final class DbConnection {
        final int id; final Map<String, PreparedStatementStub> statements = new HashMap<>(); long executed;
        DbConnection(int id) { this.id = id; }
        PreparedStatementStub prepare(String sql, long at, Random rnd) {
            PreparedStatementStub s = statements.get(sql);
            if (s == null) {
                int params = 0;
                for (int i = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') params++;
                s = new PreparedStatementStub(sql, new int[params], new byte[96 + rnd.nextInt(96)], at);
                statements.put(sql, s);
            }
            s.executions++; executed++;
            return s;
        }
    }

    /** Hand-written pool: idle connections on a LIFO stack. */
    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        ConnectionPool() { for (int i = 0; i < CONNECTIONS; i++) { all[i] = new DbConnection(i); idle.push(all[i]); } }
        DbConnection borrow() { return idle.pop(); }
        void giveBack(DbConnection c) { idle.push(c); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final Job[] recentJobs = new Job[RING];
        long jobs, reports;
        final ConnectionPool db = new ConnectionPool();
    }

    static DispatchService SERVICE;

    static final String[] BOUND = {
        "SELECT account, depot, postcode FROM customers WHERE account = ?",
        "SELECT * FROM jobs WHERE account = ? ORDER BY booked_at DESC LIMIT 20",
        "INSERT INTO jobs (account, depot, service, booked_at) VALUES (?, ?, ?, ?)",
        "UPDATE jobs SET status = ? WHERE job_id = ?",
        "SELECT van_id, driver FROM vans WHERE depot = ? AND available = true",
        "SELECT price_per_m2 FROM tariffs WHERE service = ? AND region = ?",
        "INSERT INTO payments (account, amount_cents, paid_at) VALUES (?, ?, ?)",
        "SELECT COUNT(*) FROM complaints WHERE account = ?",
        "UPDATE customers SET last_visit = ? WHERE account = ?",
        "SELECT slot_start FROM slots WHERE depot = ? AND day = ? AND taken = false"};
    static final String REPORT_BOUND = "SELECT j.job_id, j.account, c.postcode, j.service FROM jobs j JOIN customers c ON c.account = j.account"
            + " WHERE j.depot = ? AND j.technician = ? AND j.booked_at < ? ORDER BY c.postcode";

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val103.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(103_010_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            depotCodes[d] = "DP-" + (3_000 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), demand));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "CC" + (4_100_000 + c);
            svc.customers.put(accounts[c], new Customer(accounts[c], depotCodes[rnd.nextInt(DEPOTS)], "PC" + (10 + rnd.nextInt(89)) + " " + rnd.nextInt(9) + "XZ",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(103_010_002);
        String[] services = {"STEAM_CLEAN", "DRY_FOAM", "STAIN_REMOVAL", "RUG_PICKUP", "UPHOLSTERY"};
        DbConnection[] busy = new DbConnection[CONNECTIONS];
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String account = accounts[traffic.nextInt(CUSTOMERS)];
            Customer cust = svc.customers.get(account);
            // other requests in flight hold some connections; this request gets the next one off the stack
            int inFlight = traffic.nextInt(4) == 0 ? 1 + traffic.nextInt(7) : traffic.nextInt(2);
            for (int k = 0; k < inFlight; k++) busy[k] = svc.db.borrow();
            DbConnection conn = svc.db.borrow();
            conn.prepare(BOUND[traffic.nextInt(BOUND.length)], t, rnd);
            conn.prepare(BOUND[traffic.nextInt(BOUND.length)], t, rnd);
            if (i % REPORT_EVERY == 0) {
                String tech = "T" + (200 + traffic.nextInt(400));
                if (FIXED) conn.prepare(REPORT_BOUND, t, rnd);
                else conn.prepare("SELECT j.job_id, j.account, c.postcode, j.service FROM jobs j JOIN customers c ON c.account = j.account"
                        + " WHERE j.depot = '" + cust.depotCode() + "' AND j.technician = '" + tech + "' AND j.booked_at < " + t + " ORDER BY c.postcode", t, rnd);
                svc.reports++;
            }
            svc.db.giveBack(conn);
            for (int k = inFlight - 1; k >= 0; k--) { svc.db.giveBack(busy[k]); busy[k] = null; }
            if (i % 3 == 0) {
                svc.recentJobs[(int) (svc.jobs++ % RING)] = new Job(account, cust.depotCode(), services[traffic.nextInt(services.length)], t);
                String key = "quote-" + traffic.nextInt(6_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.ticketBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.ticketBuffers.add(buf);
            }
        }
        accounts = null; depotCodes = null;
        int bound = 0, literal = 0;
        StringBuilder perConn = new StringBuilder();
        for (DbConnection c : svc.db.all) {
            int lit = 0;
            for (String sql : c.statements.keySet()) if (sql.indexOf('?') >= 0) bound++; else lit++;
            literal += lit;
            perConn.append(' ').append(c.statements.size());
        }
        long reportsExpected = (requests + REPORT_EVERY - 1) / REPORT_EVERY;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " customers " + svc.customers.size() + " reports " + svc.reports
                + " bound statements " + bound + " literal statements " + literal + " per connection" + perConn + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") buffers " + svc.ticketBuffers.size() + " jobs " + svc.jobs);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.reports == reportsExpected, "reports " + svc.reports);
        check(svc.db.idle.size() == CONNECTIONS, "all connections back in the pool");
        if (FIXED) check(literal == 0 && bound <= CONNECTIONS * (BOUND.length + 1), "bound statements only: " + bound);
        else check(literal == reportsExpected && bound <= CONNECTIONS * BOUND.length, "one literal statement per report: " + literal);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.ticketBuffers.size() == BUFFERS, "buffer pool");
        check(svc.recentJobs[RING - 1] != null, "ring wrapped");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
