// hprofscan-dump: name=val70-leak-scaffoldhire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val70-leak-scaffoldhire-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 70 (written blind), LEAK: the quoting and booking service of a scaffold-hire
 * company. Depot reference data, the component catalogue, a cache of rendered quotes at its cap, a
 * pool of PDF buffers, a ring of site deliveries, a handful of requests in flight, and a
 * hand-written database connection pool (idle deque + leased map keyed by connection id). A quote
 * whose supplier stock check fails takes an error path that logs and returns without giving the
 * connection back: it stays in the leased map, with its socket buffers, forever; when the idle deque
 * is empty the pool opens a new connection. See VALIDATION70.md.
 */
public final class Val70LeakScaffoldHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_100, COMPONENTS = 25_000, QUOTE_CAP = 2_000, PDF_POOL = 8, RING = 16_384, PREWARM = 16, HOURS = 10, REQUESTS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Depot(String code, String region, double[] hourlyDispatches) {}
    record Component(String sku, String depotCode, String description, byte[] loadTable, long listedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Delivery(String siteRef, String depotCode, int pieces, long at) {}

    static final class DbConnection {
        final long id; final String url; final long createdAt;
        final byte[] sendBuffer = new byte[4_096], recvBuffer = new byte[8_192];
        final Map<String, String> sessionSettings = new HashMap<>();
        long borrowedAt; String borrowedBy; int uses;
        DbConnection(long id, String url, long createdAt) {
            this.id = id; this.url = url; this.createdAt = createdAt;
            sessionSettings.put("search_path", "hire");
            sessionSettings.put("statement_timeout", "5000");
            sessionSettings.put("application_name", "scaffold-quotes");
            sessionSettings.put("timezone", "UTC");
        }
    }

    /** Hand-written pool: idle connections and the leased ones by id. */
    static final class ConnectionPool {
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final Map<Long, DbConnection> leased = new HashMap<>();
        long created, borrows, returns;
        DbConnection borrow(String who, long at) {
            DbConnection c = idle.poll();
            if (c == null) c = new DbConnection(created++, "jdbc:postgresql://db-hire-1:5432/hire", at); // pool ran dry: open another
            c.borrowedAt = at; c.borrowedBy = who; c.uses++;
            leased.put(c.id, c);
            borrows++;
            return c;
        }
        void giveBack(DbConnection c) {
            leased.remove(c.id);
            c.borrowedBy = null;
            idle.push(c);
            returns++;
        }
    }

    static final class StockCheckFailed extends Exception {
        StockCheckFailed(String m) { super(m, null, false, false); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    /** A request that holds its connection for a few steps of the simulation. */
    record InFlight(String requestId, DbConnection conn, int finishesAt, boolean fails) {}

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class HireService {
        final Map<String, Component> catalogue = new HashMap<>();
        final ConnectionPool db = new ConnectionPool();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Delivery[] deliveries = new Delivery[RING];
        final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        long deliveriesWritten, failures, completed;

        void finish(InFlight f) {
            if (f.fails()) {
                failures++;
                try {
                    throw new StockCheckFailed("supplier stock check failed for " + f.requestId());
                } catch (StockCheckFailed e) {
                    if (FIXED) db.giveBack(f.conn()); // the fix: release in finally / on the error path too
                    return; // BUG: the error path returns without giving the connection back
                }
            }
            completed++;
            db.giveBack(f.conn());
        }
    }

    static HireService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val70.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(70_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] dispatches = new double[72];
            for (int k = 0; k < dispatches.length; k++) dispatches[k] = rnd.nextDouble() * 30;
            depotCodes[d] = "DP-" + (800 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), dispatches));
        }
        HireService svc = new HireService();
        SERVICE = svc;
        String[] kinds = {"Standard tube 6.4m", "Board 3.9m", "Swivel coupler", "Base plate", "Ladder beam", "Toe board", "Transom", "Ledger"};
        for (int c = 0; c < COMPONENTS; c++) {
            String sku = "SC" + (410_000 + c);
            svc.catalogue.put(sku, new Component(sku, depotCodes[rnd.nextInt(DEPOTS)], kinds[c % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int p = 0; p < PREWARM; p++) svc.db.giveBack(new DbConnection(svc.db.created++, "jdbc:postgresql://db-hire-1:5432/hire", start));
        svc.db.returns = 0;
        for (int b = 0; b < PDF_POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(70_020_002);
        int maxInFlight = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (!svc.inFlight.isEmpty() && svc.inFlight.peek().finishesAt() <= i) svc.finish(svc.inFlight.poll());
            String requestId = "q-" + Long.toHexString(0x51_0000_0000L + i);
            DbConnection c = svc.db.borrow(requestId, t);
            svc.inFlight.add(new InFlight(requestId, c, i + 6, traffic.nextInt(40) == 0));
            maxInFlight = Math.max(maxInFlight, svc.inFlight.size());
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
            svc.deliveries[(int) (svc.deliveriesWritten++ % RING)] = new Delivery("SITE-" + traffic.nextInt(20_000), depotCodes[traffic.nextInt(DEPOTS)], 20 + traffic.nextInt(400), t);
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        ConnectionPool db = svc.db;
        long leakedNow = 0;
        for (DbConnection c : db.leased.values()) if (c.borrowedAt < end - 2 * MINUTE) leakedNow++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " catalogue " + svc.catalogue.size() + " leased " + db.leased.size() + " (older than 2 min " + leakedNow + ") idle " + db.idle.size()
                + " created " + db.created + " borrows " + db.borrows + " returns " + db.returns + " failures " + svc.failures + " in flight " + svc.inFlight.size() + " (max " + maxInFlight + ") quotes " + svc.quotes.size()
                + " (evicted " + svc.quotes.evicted + ") pool " + svc.pdfBuffers.size() + " deliveries " + svc.deliveriesWritten);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.catalogue.size() == COMPONENTS, "reference data / catalogue");
        check(db.borrows == requests && svc.failures + svc.completed + svc.inFlight.size() == requests, "traffic");
        if (FIXED) check(db.leased.size() == svc.inFlight.size() && leakedNow == 0 && db.created == PREWARM, "only in-flight connections leased");
        else check(db.leased.size() == svc.failures + svc.inFlight.size() && leakedNow > 0 && db.created == Math.max(PREWARM, db.leased.size() + db.idle.size()), "failed requests' connections stay leased: " + db.leased.size());
        check(db.leased.size() + db.idle.size() == db.created, "pool accounting");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.pdfBuffers.size() == PDF_POOL, "pdf pool");
        check(svc.deliveriesWritten == requests && svc.deliveries[RING - 1] != null, "delivery ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
