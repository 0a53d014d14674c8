// hprofscan-dump: name=val52-leak-cordwainers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val52-leak-cordwainers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 52 (written blind), LEAK: the order and fitting service of a workshop of bespoke
 * shoemakers (cordwainers). Reference data of the wooden lasts, the customer directory with foot
 * measurements, a cache of rendered fitting-slot pages at its cap, a ring of recent order events,
 * a per-thread scratch buffer, and a hand-written database connection pool (prewarmed with 16
 * connections, each with a send and a receive buffer, session settings and a borrowedAt time). A
 * request borrows a connection, runs its queries and releases it; when a query fails (about 3% of
 * requests: lock timeouts on the stock table) the exception skips release(), so the connection
 * stays in the pool's leased set forever and the pool creates new connections for the live
 * traffic. See VALIDATION52.md.
 */
public final class Val52LeakCordwainers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LASTS = 1_400, CUSTOMERS = 20_000, PAGE_CAP = 2_000, PREWARM = 16, RING = 8_192, REQUESTS_PER_HOUR = 2_000, HOURS = 10;
    static boolean FIXED;

    record Last(String code, String style, double[] measurements) {}
    record Customer(String number, String name, String lastCode, byte[] footScan, long since) {}
    record FittingPage(String key, byte[] rendered, long at) {}
    record OrderEvent(String orderNo, String customerNo, String kind, long at) {}

    static final class QueryFailedException extends Exception {
        QueryFailedException(String m) { super(m, null, false, false); }
    }

    static final class PooledConnection {
        final int id; final long createdAt;
        final byte[] sendBuffer = new byte[4_096], recvBuffer = new byte[8_192];
        final Map<String, String> sessionSettings = new HashMap<>();
        long borrowedAt; String borrowedBy; long uses;
        PooledConnection(int id, long createdAt) {
            this.id = id; this.createdAt = createdAt;
            sessionSettings.put("application_name", "fitting-service");
            sessionSettings.put("search_path", "orders,stock");
            sessionSettings.put("statement_timeout", "5000");
            sessionSettings.put("lock_timeout", "2000");
        }
    }

    /** Hand-written pool: idle connections in a deque, borrowed ones in the leased set. */
    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = new HashSet<>();
        int created; long borrows, releases;
        PooledConnection borrow(String by, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) c = new PooledConnection(++created, at);
            c.borrowedAt = at; c.borrowedBy = by; c.uses++;
            leased.add(c);
            borrows++;
            return c;
        }
        void release(PooledConnection c) {
            leased.remove(c);
            c.borrowedBy = null;
            idle.addFirst(c);
            releases++;
        }
    }

    static final Map<String, Last> LASTS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final class Workshop {
        final Map<String, Customer> customers = new HashMap<>();
        final ConnectionPool pool = new ConnectionPool();
        final LinkedHashMap<String, FittingPage> fittingPages = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, FittingPage> e) { if (size() > PAGE_CAP) { pagesEvicted++; return true; } return false; }
        };
        long pagesEvicted;
        final OrderEvent[] events = new OrderEvent[RING];
        long eventCount, requests, failures;

        void query(PooledConnection c, Random r, int n) throws QueryFailedException {
            c.sendBuffer[n % c.sendBuffer.length] = (byte) n;
            c.recvBuffer[n % c.recvBuffer.length] = (byte) (n >> 8);
            byte[] scratch = SCRATCH.get();
            scratch[n % scratch.length] = (byte) n;
            if (r.nextInt(100) < 3) throw new QueryFailedException("lock timeout on stock.hides");
        }

        void handle(String customerNo, Random r, int n, long at) {
            requests++;
            PooledConnection c = pool.borrow("req-" + n, at);
            if (FIXED) {
                try { query(c, r, n); } catch (QueryFailedException e) { failures++; } finally { pool.release(c); }
            } else {
                try {
                    query(c, r, n);
                    pool.release(c);
                } catch (QueryFailedException e) {
                    failures++; // BUG: the error path never returns the connection
                }
            }
            events[(int) (eventCount++ % RING)] = new OrderEvent("SO-" + (600_000 + n), customerNo, n % 3 == 0 ? "FITTING_BOOKED" : "ORDER_UPDATED", at);
        }
    }

    static Workshop SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val52.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(52_020_001);
        String[] styles = {"oxford", "derby", "brogue", "monk", "chelsea", "loafer", "riding boot"};
        String[] lastCodes = new String[LASTS];
        for (int l = 0; l < LASTS; l++) {
            double[] m = new double[64];
            for (int k = 0; k < m.length; k++) m[k] = 180 + rnd.nextDouble() * 140;
            lastCodes[l] = "LST-" + (2_000 + l);
            LASTS_BY_CODE.put(lastCodes[l], new Last(lastCodes[l], styles[l % styles.length], m));
        }
        Workshop svc = new Workshop();
        SERVICE = svc;
        String[] numbers = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            numbers[c] = "CW" + (700_000 + c * 3);
            svc.customers.put(numbers[c], new Customer(numbers[c], "Customer " + c, lastCodes[rnd.nextInt(LASTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int k = 0; k < PREWARM; k++) svc.pool.idle.add(new PooledConnection(++svc.pool.created, start - 5 * MINUTE));
        Random traffic = new Random(52_020_002);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String customer = numbers[traffic.nextInt(CUSTOMERS)];
            svc.handle(customer, traffic, i, t);
            String key = "slots-" + traffic.nextInt(4_000);
            if (svc.fittingPages.get(key) == null) svc.fittingPages.put(key, new FittingPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        ConnectionPool p = svc.pool;
        System.out.println((FIXED ? "FIXED " : "") + "lasts " + LASTS_BY_CODE.size() + " customers " + svc.customers.size() + " requests " + svc.requests + " failures " + svc.failures
                + " pool created " + p.created + " leased " + p.leased.size() + " idle " + p.idle.size() + " (borrows " + p.borrows + ", releases " + p.releases + ") pages " + svc.fittingPages.size()
                + " (evicted " + svc.pagesEvicted + ") events " + svc.eventCount);
        check(LASTS_BY_CODE.size() == LASTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.requests == requests && p.borrows == requests && svc.failures > 0, "traffic");
        if (FIXED) check(p.leased.isEmpty() && p.releases == requests && p.created == PREWARM && p.idle.size() == PREWARM, "pool all returned");
        else check(p.leased.size() == svc.failures && p.releases == requests - svc.failures && p.created <= Math.max(PREWARM, svc.failures + 1) && p.idle.size() + p.leased.size() == p.created,
                "pool keeps lost connections: " + p.leased.size());
        check(svc.fittingPages.size() == PAGE_CAP && svc.pagesEvicted > 0, "page cache at cap");
        check(svc.eventCount == requests && svc.events[RING - 1] != null, "event ring");
        check(SCRATCH.get().length == 65_536, "scratch");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
