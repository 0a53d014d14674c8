// hprofscan-dump: name=val26-leak-tireshop jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-leak-tireshop-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 26 (written blind), LEAK: the booking and stock service of a tyre-fitting chain.
 * Tyre-model reference data, the customer directory, a fitting-slot cache at its cap, a pool of
 * invoice buffers, a ring of work orders, and a pool of 20 database connections, each with a
 * prepared-statement cache keyed by SQL text. The bug: the stock and booking queries are built by
 * string concatenation with literal values (non-parameterized SQL), so every pooled connection
 * caches one statement per distinct query it has ever run. See testdata/VALIDATION26.md.
 */
public final class Val26LeakTireShop {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MODELS = 4_000, CUSTOMERS = 30_000, SLOT_CAP = 2_500, CONNECTIONS = 20, INVOICE_POOL = 8, RING = 8_192, QUERIES = 15_000;
    static boolean FIXED;

    record TyreModel(String sku, String brand, String size, double[] wearCurve) {}
    record Customer(String id, String name, String plate, byte[] vehicleHistory, long since) {}
    record SlotView(String key, byte[] rendered, long at) {}
    record WorkOrder(String id, String customerId, String sku, int qty, long at) {}

    static final class PreparedStatementLike {
        final String sql; final int[] paramTypes; final byte[] plan; final long preparedAt; long executions;
        PreparedStatementLike(String sql, int params, byte[] plan, long preparedAt) { this.sql = sql; this.paramTypes = new int[params]; this.plan = plan; this.preparedAt = preparedAt; }
    }

    static final class PooledConnection {
        final String id; final long openedAt; long borrowed;
        final Map<String, PreparedStatementLike> statementCache = new HashMap<>();
        PooledConnection(String id, long openedAt) { this.id = id; this.openedAt = openedAt; }
        PreparedStatementLike prepare(String sql, int params, Random r, long t) {
            PreparedStatementLike ps = statementCache.get(sql);
            if (ps == null) statementCache.put(sql, ps = new PreparedStatementLike(sql, params, new byte[32 + r.nextInt(32)], t));
            ps.executions++;
            return ps;
        }
    }

    static final class ConnectionPool {
        final PooledConnection[] all = new PooledConnection[CONNECTIONS];
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    }

    static final class SlotCache extends LinkedHashMap<String, SlotView> {
        long evicted;
        SlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotView> e) { if (size() > SLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TyreModel> MODELS_BY_SKU = new HashMap<>();

    static final class FittingService {
        final Map<String, Customer> customers = new HashMap<>();
        final SlotCache slots = new SlotCache();
        final ConnectionPool db = new ConnectionPool();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final WorkOrder[] orders = new WorkOrder[RING];
        long orderCount;
    }

    static FittingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val26.fixed");
        int hours = 10;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_030_001);
        String[] brands = {"Michelin", "Continental", "Pirelli", "Bridgestone", "Goodyear", "Nokian", "Falken"};
        for (int m = 0; m < MODELS; m++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 8;
            String sku = "TY-" + (100_000 + m);
            MODELS_BY_SKU.put(sku, new TyreModel(sku, brands[m % brands.length], (175 + 10 * (m % 10)) + "/" + (45 + 5 * (m % 6)) + "R" + (15 + m % 5), curve));
        }
        FittingService svc = new FittingService();
        SERVICE = svc;
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "CU-" + (5_000_000 + c);
            svc.customers.put(id, new Customer(id, "Customer " + c, "PL" + (10_000 + c), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int c = 0; c < CONNECTIONS; c++) { PooledConnection pc = new PooledConnection("conn-" + c, start); svc.db.all[c] = pc; svc.db.idle.add(pc); }
        for (int p = 0; p < INVOICE_POOL; p++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(26_030_002);
        for (int i = 0; i < QUERIES; i++) {
            long t = start + (end - start) * i / QUERIES;
            PooledConnection conn = svc.db.idle.poll();
            conn.borrowed++;
            String sku = "TY-" + (100_000 + traffic.nextInt(MODELS));
            int depot = traffic.nextInt(300);
            String customerId = "CU-" + (5_000_000 + traffic.nextInt(CUSTOMERS));
            if (FIXED) {
                conn.prepare("SELECT qty, reserved FROM stock WHERE sku = ? AND depot_id = ?", 2, traffic, t);
                conn.prepare("SELECT id, starts_at FROM booking WHERE customer_id = ? AND starts_at > ?", 2, traffic, t);
            } else { // BUG: literals in the SQL text, one cache entry per distinct query per connection
                conn.prepare("SELECT qty, reserved FROM stock WHERE sku = '" + sku + "' AND depot_id = " + depot, 0, traffic, t);
                conn.prepare("SELECT id, starts_at FROM booking WHERE customer_id = '" + customerId + "' AND starts_at > " + (start + (t - start) / HOUR * HOUR), 0, traffic, t);
            }
            svc.db.idle.add(conn);
            String slotKey = "D" + depot + "@" + ((t - start) / (30 * MINUTE) + traffic.nextInt(48));
            if (svc.slots.get(slotKey) == null) svc.slots.put(slotKey, new SlotView(slotKey, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.invoiceBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.invoiceBuffers.add(buf);
            svc.orders[(int) (svc.orderCount++ % RING)] = new WorkOrder("WO-" + (80_000_000 + i), customerId, sku, 1 + traffic.nextInt(4), t);
        }
        int statements = 0, minPer = Integer.MAX_VALUE, maxPer = 0;
        for (PooledConnection pc : svc.db.all) { int n = pc.statementCache.size(); statements += n; minPer = Math.min(minPer, n); maxPer = Math.max(maxPer, n); }
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_SKU.size() + " customers " + svc.customers.size() + " connections " + svc.db.idle.size()
                + " statements " + statements + " (per connection " + minPer + ".." + maxPer + ") slots " + svc.slots.size() + " (evicted " + svc.slots.evicted + ") invoice pool " + svc.invoiceBuffers.size() + " orders " + svc.orderCount);
        check(MODELS_BY_SKU.size() == MODELS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.db.idle.size() == CONNECTIONS, "connection pool");
        check(FIXED ? statements == 2 * CONNECTIONS : statements == 29_986, "statements " + statements);
        check(svc.slots.size() == SLOT_CAP && svc.slots.evicted > 0, "slot cache at cap");
        check(svc.invoiceBuffers.size() == INVOICE_POOL, "invoice pool");
        check(svc.orderCount == QUERIES && svc.orders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
