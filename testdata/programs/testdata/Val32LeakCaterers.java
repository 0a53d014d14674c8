// hprofscan-dump: name=val32-leak-caterers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val32-leak-caterers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 32 (written blind), LEAK: the order service of an event-catering company. Venue
 * reference data, the dish directory, a cache of rendered quotes at its cap, a per-thread scratch
 * buffer for ticket rendering, a ring of recent orders, and a pool of kitchen-printer connections
 * with a leak-detection aid: every borrow records a Throwable (the borrow site, with its stack trace)
 * in a map keyed by the pool's Lease, to be reported if the connection is never returned. Callers get
 * a LeasedConnection handle wrapping the lease, and release removes the handle from the map instead
 * of its lease: nothing is ever removed, so every borrow ever made stays recorded with its stack
 * trace. See VALIDATION32.md.
 */
public final class Val32LeakCaterers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VENUES = 1_000, DISHES = 20_000, QUOTE_CAP = 2_000, PRINTERS = 12, RING = 16_384, HOURS = 8, ORDERS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Venue(String code, String name, double[] capacityByWeek) {}
    record Dish(String sku, String name, byte[] recipeCard, long addedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Order(String orderNo, String venueCode, int covers, long at) {}

    static final class PrinterConnection {
        final String printerId; final byte[] sendBuffer = new byte[8_192]; long jobs;
        PrinterConnection(String printerId) { this.printerId = printerId; }
    }
    /** The pool's record of one borrow. */
    static final class Lease {
        final PrinterConnection connection; final String borrower; final long leasedAt;
        Lease(PrinterConnection connection, String borrower, long leasedAt) { this.connection = connection; this.borrower = borrower; this.leasedAt = leasedAt; }
    }
    /** What callers get: a handle that prints through the lease. */
    static final class LeasedConnection {
        final Lease lease; boolean closed;
        LeasedConnection(Lease lease) { this.lease = lease; }
        void print(byte[] ticket, int len) { System.arraycopy(ticket, 0, lease.connection.sendBuffer, 0, Math.min(len, lease.connection.sendBuffer.length)); lease.connection.jobs++; }
    }

    static final class PrinterPool {
        final List<PrinterConnection> all = new ArrayList<>();
        final ArrayDeque<PrinterConnection> idle = new ArrayDeque<>();
        /** Leak-detection aid: the borrow site of every outstanding lease. */
        final Map<Lease, Throwable> borrowSites = new ConcurrentHashMap<>();
        long borrows, releases;
        LeasedConnection borrow(String borrower, long at) {
            PrinterConnection c = idle.poll();
            if (c == null) throw new IllegalStateException("printer pool exhausted");
            Lease lease = new Lease(c, borrower, at);
            borrowSites.put(lease, new Throwable("printer connection borrowed by " + borrower));
            borrows++;
            return new LeasedConnection(lease);
        }
        void release(LeasedConnection handle) {
            handle.closed = true;
            if (FIXED) borrowSites.remove(handle.lease);
            else borrowSites.remove(handle); // BUG: removes the handle, but the map is keyed by its lease
            idle.add(handle.lease.connection);
            releases++;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();
    /** Per-thread scratch buffer for ticket rendering. */
    static final ThreadLocal<byte[]> TICKET_SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class OrderService {
        final Map<String, Dish> dishes = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final PrinterPool printers = new PrinterPool();
        final Order[] recent = new Order[RING];
        final List<LeasedConnection> batchPrints = new ArrayList<>();
        long orders, labels;

        void placeOrder(Order o, Random r, String[] skus) {
            recent[(int) (orders++ % RING)] = o;
            printKitchenTicket(o, r, skus);
            if (o.covers() > 150) { printAllergenLabels(o, r); }
        }
        void printKitchenTicket(Order o, Random r, String[] skus) {
            byte[] scratch = TICKET_SCRATCH.get();
            int len = 200;
            for (int k = 0; k < 6; k++) { Dish d = dishes.get(skus[r.nextInt(skus.length)]); len += d.recipeCard().length / 4; scratch[len % scratch.length] = (byte) k; }
            withPrinter("kitchen-ticket " + o.orderNo(), o.at(), c -> c.print(scratch, 1_000));
        }
        void printAllergenLabels(Order o, Random r) {
            labels++;
            withPrinter("allergen-labels " + o.orderNo(), o.at() + 1_000, c -> c.print(TICKET_SCRATCH.get(), 400 + r.nextInt(400)));
        }
        void withPrinter(String borrower, long at, java.util.function.Consumer<LeasedConnection> job) {
            LeasedConnection c = printers.borrow(borrower, at);
            try { job.accept(c); } finally { printers.release(c); }
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val32.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(32_040_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] cap = new double[64];
            for (int k = 0; k < cap.length; k++) cap[k] = rnd.nextDouble() * 400;
            venueCodes[v] = "VN-" + (20_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Venue " + v, cap));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] skus = new String[DISHES];
        for (int d = 0; d < DISHES; d++) {
            skus[d] = "DSH-" + (500_000 + d);
            svc.dishes.put(skus[d], new Dish(skus[d], "Dish " + d, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int p = 0; p < PRINTERS; p++) {
            PrinterConnection c = new PrinterConnection("KP-" + (p + 1));
            svc.printers.all.add(c);
            svc.printers.idle.add(c);
        }
        Random traffic = new Random(32_040_002);
        int orders = ORDERS_PER_HOUR * HOURS;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            Order o = new Order("ORD-" + (7_000_000 + i), venueCodes[traffic.nextInt(VENUES)], 10 + traffic.nextInt(200), t);
            svc.placeOrder(o, traffic, skus);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
        }
        // two batch prints (tomorrow's prep sheets) in progress at the dump: legitimately outstanding
        svc.batchPrints.add(svc.printers.borrow("prep-sheets kitchen-north", end - 2 * MINUTE));
        svc.batchPrints.add(svc.printers.borrow("prep-sheets kitchen-south", end - MINUTE));
        PrinterPool pool = svc.printers;
        int depth = pool.borrowSites.values().iterator().next().getStackTrace().length;
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " dishes " + svc.dishes.size() + " orders " + svc.orders + " (labels " + svc.labels + ") borrows " + pool.borrows + " releases " + pool.releases
                + " borrow sites " + pool.borrowSites.size() + " (stack depth " + depth + ") idle printers " + pool.idle.size() + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ")");
        check(VENUES_BY_CODE.size() == VENUES && svc.dishes.size() == DISHES, "reference data / directory");
        check(svc.orders == orders && pool.borrows == orders + svc.labels + 2 && pool.releases == pool.borrows - 2, "printer traffic");
        check(pool.all.size() == PRINTERS && pool.idle.size() == PRINTERS - 2, "printer pool");
        if (FIXED) check(pool.borrowSites.size() == 2, "borrow sites of the outstanding leases only: " + pool.borrowSites.size());
        else check(pool.borrowSites.size() == pool.borrows, "every borrow site kept: " + pool.borrowSites.size());
        check(svc.recent[RING - 1] != null, "order ring");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
