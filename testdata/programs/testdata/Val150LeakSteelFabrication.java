// hprofscan-dump: name=val150-leak-steelfabrication jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val150-leak-steelfabrication-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 150 (written blind), LEAK: the order-entry service of a structural-steel
 * fabricator. Steel-section reference data, the customer directory, a cache of rendered quotes at
 * its cap, a pool of plasma-cutter program buffers, a ring of recently confirmed cut orders, and a
 * small transaction manager: every order is placed in a unit of work that reserves stock and
 * registers two after-commit callbacks (confirm to the customer, hand over to the nesting planner),
 * lambdas that capture the order. The service keeps one list of after-commit callbacks; a unit of
 * work remembers where its own callbacks start, commit runs them and removes them, but rollback
 * (a stock conflict, 6% of the orders) forgets to remove them: the callbacks of every rolled-back
 * order stay in the list, with their orders, and are never run. See VALIDATION150.md.
 */
public final class Val150LeakSteelFabrication {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SECTIONS = 1_100, CUSTOMERS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, ORDERS = 45_000;
    static boolean FIXED;

    record Section(String code, String profile, double[] priceCurve) {}
    record Customer(String accountNo, String name, String site, byte[] creditFile, long openedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record CutOrder(String orderNo, String accountNo, String sectionCode, long at, double[] cutLengthsMm, byte[] nestingDrawing) {}

    static final class StockConflictException extends RuntimeException {
        StockConflictException(String sectionCode) { super("stock of " + sectionCode + " reserved by another order", null, false, false); }
    }

    /** One list of after-commit callbacks for the service; a unit of work owns the tail from its mark. */
    static final class TransactionManager {
        final List<Runnable> afterCommit = new ArrayList<>();
        int mark = -1;
        long begun, committed, rolledBack, callbacksRun;
        void begin() { mark = afterCommit.size(); begun++; }
        void registerAfterCommit(Runnable r) { afterCommit.add(r); }
        void commit() {
            List<Runnable> mine = afterCommit.subList(mark, afterCommit.size());
            for (Runnable r : mine) { r.run(); callbacksRun++; }
            mine.clear();
            committed++;
            mark = -1;
        }
        void rollback() {
            if (FIXED) afterCommit.subList(mark, afterCommit.size()).clear();
            // BUG: the callbacks registered by this unit of work are left in the list
            rolledBack++;
            mark = -1;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Section> SECTIONS_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> cutterBuffers = new ArrayDeque<>();
        final CutOrder[] recentConfirmed = new CutOrder[RING];
        final TransactionManager tx = new TransactionManager();
        long confirmed, handedToPlanner, reservations;

        void confirmToCustomer(CutOrder o) { recentConfirmed[(int) (confirmed++ % RING)] = o; }
        void handToPlanner(CutOrder o) { handedToPlanner += o.cutLengthsMm().length; }

        /** Places one order in a unit of work. */
        boolean place(CutOrder o, boolean conflict) {
            tx.begin();
            try {
                tx.registerAfterCommit(() -> confirmToCustomer(o));
                tx.registerAfterCommit(() -> handToPlanner(o));
                if (conflict) throw new StockConflictException(o.sectionCode());
                reservations++;
                tx.commit();
                return true;
            } catch (StockConflictException e) {
                tx.rollback();
                return false;
            }
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val150.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(150_030_001);
        String[] sectionCodes = new String[SECTIONS];
        String[] profiles = {"UB", "UC", "PFC", "RHS", "SHS", "CHS", "EA", "UA"};
        for (int s = 0; s < SECTIONS; s++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 600 + rnd.nextDouble() * 900;
            sectionCodes[s] = profiles[s % profiles.length] + "-" + (100 + s);
            SECTIONS_BY_CODE.put(sectionCodes[s], new Section(sectionCodes[s], profiles[s % profiles.length], curve));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "AC" + (600_000 + c * 7);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Builder " + c, "Site " + (c % 700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.cutterBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_030_002);
        long rolledBackOrders = 0;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (end - MINUTE - start) * i / ORDERS;
            double[] cuts = new double[8 + traffic.nextInt(16)];
            for (int k = 0; k < cuts.length; k++) cuts[k] = 300 + traffic.nextInt(11_700);
            CutOrder order = new CutOrder("SO-" + (2_000_000 + i), accounts[traffic.nextInt(CUSTOMERS)], sectionCodes[traffic.nextInt(SECTIONS)], t, cuts, new byte[500 + traffic.nextInt(500)]);
            boolean conflict = traffic.nextInt(100) < 6;
            if (!svc.place(order, conflict)) rolledBackOrders++;
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.cutterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.cutterBuffers.add(buf);
        }
        TransactionManager tx = svc.tx;
        System.out.println((FIXED ? "FIXED " : "") + "sections " + SECTIONS_BY_CODE.size() + " customers " + svc.customers.size() + " orders " + ORDERS + " committed " + tx.committed + " rolled back " + tx.rolledBack
                + " callbacks run " + tx.callbacksRun + " afterCommit list " + tx.afterCommit.size() + " confirmed " + svc.confirmed + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.cutterBuffers.size());
        check(SECTIONS_BY_CODE.size() == SECTIONS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(tx.begun == ORDERS && tx.committed + tx.rolledBack == ORDERS && tx.rolledBack == rolledBackOrders && tx.callbacksRun == 2 * tx.committed && tx.mark == -1, "units of work");
        check(tx.afterCommit.size() == (FIXED ? 0 : 2 * tx.rolledBack), "after-commit list: " + tx.afterCommit.size());
        check(svc.confirmed == tx.committed && svc.recentConfirmed[RING - 1] != null, "confirmed ring");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.cutterBuffers.size() == POOL, "pool");
        sectionCodes = null;
        accounts = null;
        tx = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
