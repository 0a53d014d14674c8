// hprofscan-dump: name=val127-leak-sushibars jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val127-leak-sushibars-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 127 (written blind), LEAK: the table-ordering service of a chain of conveyor-belt
 * sushi bars. Restaurant reference data, the menu and the loyalty directory, the tables seated now,
 * a cache of rendered tablet menu pages at its cap, a pool of kitchen-printer buffers, a ring of
 * conveyor plate scans, a queue of kitchen tickets with a normal backlog, and a service-wide
 * CompletableFuture&lt;Void&gt; "drained", completed only when the service is drained for a
 * graceful shutdown: every order attaches drained.whenComplete(...) to flush its kitchen ticket if
 * it has not been printed by then. The service never shuts down, so the future's completion stack
 * keeps a callback, with the ticket and its print buffer, for every order ever served.
 * See VALIDATION127.md.
 */
public final class Val127LeakSushiBars {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long EVENT_EVERY = 600L, PRINT_AFTER = 2 * MINUTE, STAY = 50 * MINUTE;
    static final int RESTAURANTS = 300, DISHES = 2_400, LOYALTY = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, RECENT_TABLES = 128, HOURS = 10;
    static boolean FIXED;

    record Restaurant(String code, String name, String city, double[] coversByQuarterHour) {}
    record Dish(String plu, String name, int priceYen, String plateColour, byte[] allergens) {}
    record LoyaltyMember(String card, String name, int points, byte[] preferences, long joinedAt) {}
    record MenuPage(String key, byte[] rendered, long renderedAt) {}
    record PlateScan(String restaurant, int lane, String plateColour, String tag, long at) {}

    static final class KitchenTicket {
        final long orderId; final String table; final String[] items; final byte[] escPos; final long orderedAt;
        volatile boolean printed;
        KitchenTicket(long orderId, String table, String[] items, byte[] escPos, long orderedAt) { this.orderId = orderId; this.table = table; this.items = items; this.escPos = escPos; this.orderedAt = orderedAt; }
    }

    static final class TableSession {
        final String table; final String loyaltyCard; final int covers; final long seatedAt;
        final List<Long> orderIds = new ArrayList<>();
        TableSession(String table, String loyaltyCard, int covers, long seatedAt) { this.table = table; this.loyaltyCard = loyaltyCard; this.covers = covers; this.seatedAt = seatedAt; }
    }

    /** Lifecycle of the service: "drained" completes when a graceful shutdown has drained the requests. */
    static final class Lifecycle {
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        final Set<KitchenTicket> unprinted = new LinkedHashSet<>(); // used by the fix only
    }

    static final class PageCache extends LinkedHashMap<String, MenuPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Restaurant> RESTAURANTS_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Dish> menu = new HashMap<>();
        final Map<String, LoyaltyMember> loyalty = new HashMap<>();
        final String[] plus = new String[DISHES], cards = new String[LOYALTY], restaurantCodes = new String[RESTAURANTS];
        final Map<String, TableSession> seated = new HashMap<>();
        final ArrayDeque<TableSession> bySeatTime = new ArrayDeque<>();
        final String[] recentTables = new String[RECENT_TABLES];
        final Lifecycle lifecycle = new Lifecycle();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final PlateScan[] scans = new PlateScan[RING];
        final ArrayDeque<KitchenTicket> ticketQueue = new ArrayDeque<>();
        long nextOrderId = 31_000_000L, seatings, orders, paid, printed, flushedOnDrain, scansWritten, pageViews, missedTables;

        void seat(Random r, long t) {
            String table = restaurantCodes[r.nextInt(RESTAURANTS)] + "/T" + (1 + r.nextInt(40)) + "-" + Long.toString(seatings, 36);
            TableSession s = new TableSession(table, r.nextInt(3) == 0 ? cards[r.nextInt(LOYALTY)] : null, 1 + r.nextInt(5), t);
            seated.put(table, s);
            bySeatTime.addLast(s);
            recentTables[(int) (seatings++ % RECENT_TABLES)] = table;
        }

        void order(Random r, long t) {
            String table = recentTables[r.nextInt(RECENT_TABLES)];
            TableSession s = table == null ? null : seated.get(table);
            if (s == null) { missedTables++; return; }
            String[] items = new String[1 + r.nextInt(4)];
            for (int k = 0; k < items.length; k++) items[k] = plus[r.nextInt(DISHES)];
            KitchenTicket ticket = new KitchenTicket(nextOrderId++, table, items, new byte[120 + r.nextInt(120)], t);
            s.orderIds.add(ticket.orderId);
            ticketQueue.addLast(ticket);
            orders++;
            if (FIXED) {
                lifecycle.unprinted.add(ticket);
            } else {
                // BUG: one callback per order on a future that completes only at shutdown
                lifecycle.drained.whenComplete((v, error) -> flushIfUnprinted(ticket));
            }
        }

        void flushIfUnprinted(KitchenTicket ticket) {
            if (!ticket.printed) { ticket.printed = true; flushedOnDrain++; }
        }

        void printDue(long t) {
            while (!ticketQueue.isEmpty() && ticketQueue.peekFirst().orderedAt <= t - PRINT_AFTER) {
                KitchenTicket ticket = ticketQueue.pollFirst();
                byte[] buf = printerBuffers.poll();
                System.arraycopy(ticket.escPos, 0, buf, (int) (ticket.orderId % 16_384), ticket.escPos.length);
                printerBuffers.addLast(buf);
                ticket.printed = true;
                printed++;
                if (FIXED) lifecycle.unprinted.remove(ticket);
            }
        }

        void payDue(long t) {
            while (!bySeatTime.isEmpty() && bySeatTime.peekFirst().seatedAt <= t - STAY) {
                seated.remove(bySeatTime.pollFirst().table);
                paid++;
            }
        }

        void scan(Random r, long t) {
            Dish d = menu.get(plus[r.nextInt(DISHES)]);
            scans[(int) (scansWritten++ % RING)] = new PlateScan(restaurantCodes[r.nextInt(RESTAURANTS)], 1 + r.nextInt(3), d.plateColour(), "RF" + Long.toHexString(0x10_0000L + r.nextInt(0xF_FFFF)), t);
        }

        void viewMenu(Random r, long t) {
            pageViews++;
            String key = "menu-" + restaurantCodes[r.nextInt(RESTAURANTS)] + "-" + (r.nextBoolean() ? "en" : "ja") + "-p" + r.nextInt(10);
            if (pages.get(key) == null) pages.put(key, new MenuPage(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(127_030_001);
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] cities = {"Tokyo", "Osaka", "London", "Manchester", "Paris", "Berlin", "Amsterdam", "Dublin"};
        String[] colours = {"white", "green", "blue", "red", "gold", "black", "purple"};
        for (int i = 0; i < RESTAURANTS; i++) {
            double[] covers = new double[96];
            for (int k = 0; k < covers.length; k++) covers[k] = rnd.nextDouble() * 80;
            svc.restaurantCodes[i] = "SB" + (200 + i * 3);
            RESTAURANTS_BY_CODE.put(svc.restaurantCodes[i], new Restaurant(svc.restaurantCodes[i], "Kaiten " + i, cities[i % cities.length], covers));
        }
        for (int i = 0; i < DISHES; i++) {
            svc.plus[i] = "PLU" + (40_000 + i);
            svc.menu.put(svc.plus[i], new Dish(svc.plus[i], "Dish " + i, 100 + rnd.nextInt(600), colours[rnd.nextInt(colours.length)], new byte[150 + rnd.nextInt(150)]));
        }
        for (int i = 0; i < LOYALTY; i++) {
            svc.cards[i] = "SBC" + (77_000_000 + i * 13);
            svc.loyalty.put(svc.cards[i], new LoyaltyMember(svc.cards[i], "Guest " + i, rnd.nextInt(5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        if (FIXED) svc.lifecycle.drained.whenComplete((v, error) -> { for (KitchenTicket k : svc.lifecycle.unprinted) svc.flushIfUnprinted(k); });
        Random traffic = new Random(127_030_002);
        long events = HOURS * HOUR / EVENT_EVERY;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            svc.printDue(t);
            svc.payDue(t);
            int kind = traffic.nextInt(100);
            if (kind < 12) svc.seat(traffic, t);
            else if (kind < 68) svc.order(traffic, t);
            else if (kind < 84) svc.scan(traffic, t);
            else svc.viewMenu(traffic, t);
        }
        svc.printDue(end);
        svc.payDue(end);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val127.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        OrderService svc = SERVICE;
        int dependents = svc.lifecycle.drained.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "restaurants " + RESTAURANTS_BY_CODE.size() + " dishes " + svc.menu.size() + " loyalty " + svc.loyalty.size()
                + " seatings " + svc.seatings + " paid " + svc.paid + " seated " + svc.seated.size() + " orders " + svc.orders + " missed tables " + svc.missedTables
                + " printed " + svc.printed + " ticket backlog " + svc.ticketQueue.size() + " drained done " + svc.lifecycle.drained.isDone() + " dependents " + dependents + " unprinted set " + svc.lifecycle.unprinted.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.printerBuffers.size() + " scans " + svc.scansWritten);
        check(RESTAURANTS_BY_CODE.size() == RESTAURANTS && svc.menu.size() == DISHES && svc.loyalty.size() == LOYALTY, "reference data / directories");
        check(svc.seatings == svc.paid + svc.seated.size() && svc.orders == svc.printed + svc.ticketQueue.size(), "tables and tickets add up");
        check(svc.orders == 33_117 && svc.seated.size() == 590 && svc.ticketQueue.size() == 110, "orders: " + svc.orders);
        check(!svc.lifecycle.drained.isDone() && svc.flushedOnDrain == 0, "not drained");
        if (FIXED) check(dependents == 1 && svc.lifecycle.unprinted.size() == svc.ticketQueue.size(), "one drain callback");
        else check(dependents == svc.orders, "a drain callback per order: " + dependents);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.scans[RING - 1] != null, "ring full");
    }
}
