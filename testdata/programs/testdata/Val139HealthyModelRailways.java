// hprofscan-dump: name=val139-healthy-modelrailways jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val139-healthy-modelrailways-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 139 (written blind), HEALTHY: the web shop of a model-railway retailer
 * (locomotives, rolling stock, track and scenery in OO, N, HO and O gauge). A large read-only
 * catalogue table of the manufacturers' items (sorted parallel arrays, binary search), the customer
 * directory, a cache of rendered product pages at its cap, a pool of image buffers, a pool of 12
 * database connections with their statement caches, a stock-event source with 36 long-lived
 * subscribers (shop widgets, warehouse displays, partner feeds) each keeping its last 64 events,
 * per-request supplier availability checks as CompletableFutures that complete within a minute (a
 * handful in flight at the dump), a ring of recent orders and a dispatch queue with its normal
 * backlog. See VALIDATION139.md.
 */
public final class Val139HealthyModelRailways {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, DISPATCH_AFTER = 30 * MINUTE;
    static final int CATALOGUE_ROWS = 60_000, CUSTOMERS = 12_000, PAGE_CAP = 2_000, AVAIL_CAP = 3_000, BUFFERS = 16, CONNECTIONS = 12,
            STATEMENT_CAP = 24, SUBSCRIBERS = 36, SUBSCRIBER_RING = 64, ORDER_RING = 4_096, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static final String[] MAKERS = {"Hornby", "Bachmann", "Dapol", "Peco", "Accurascale", "Heljan", "Graham Farish", "Oxford Rail", "Rapido", "Kato", "Roco", "Fleischmann", "Minitrix", "Marklin"};
    static final String[] SCALES = {"OO", "N", "HO", "O", "TT:120", "Z"};
    static final String[] KINDS = {"steam locomotive", "diesel locomotive", "electric multiple unit", "coach", "wagon", "track pack", "point motor", "building kit", "figures", "controller"};
    static final String[] LIVERIES = {"BR green", "BR blue", "LNER apple green", "GWR", "LMS crimson", "Southern malachite", "InterCity", "Network SouthEast", "Railfreight", "DB red", "SNCF", "weathered"};

    record Customer(String account, String name, String postcode, byte[] preferences, long since) {}
    record CachedPage(String key, byte[] html, long at) {}
    record Availability(String catNo, int supplierStock, int leadDays, long checkedAt) {}
    record StockEvent(String catNo, int delta, int level, long at) {}
    record Order(String orderId, String account, String catNo, int qty, int totalP, long at) {}
    record Parcel(Order order, long packedAt) {}
    record PendingCheck(long id, String catNo, long dueAt) {}
    record Statement(String sql, byte[] plan) {}

    /** The manufacturers' catalogue, read-only after load: rows sorted by catalogue number. */
    static final class CatalogueTable {
        final String[] catNo = new String[CATALOGUE_ROWS];
        final String[] description = new String[CATALOGUE_ROWS];
        final long[] ean = new long[CATALOGUE_ROWS];
        final int[] rrpP = new int[CATALOGUE_ROWS];
        final byte[] scale = new byte[CATALOGUE_ROWS];
        int find(String no) { return Arrays.binarySearch(catNo, no); }
    }

    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>(); long borrowed, returned;
        byte[] borrow() { borrowed++; return free.poll(); }
        void giveBack(byte[] b) { returned++; free.add(b); }
    }

    static final class PooledConnection {
        final int id; final String url; final byte[] socketBuffer = new byte[8_192]; long queries;
        final LinkedHashMap<String, Statement> statements = new LinkedHashMap<>(32, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { return size() > STATEMENT_CAP; }
        };
        PooledConnection(int id, String url) { this.id = id; this.url = url; }
    }
    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(); final PooledConnection[] all = new PooledConnection[CONNECTIONS]; long checkouts;
        PooledConnection take() { checkouts++; return idle.pollFirst(); }
        void release(PooledConnection c) { idle.addLast(c); }
    }

    interface StockListener { void onStock(StockEvent e); }
    static final class Subscriber implements StockListener {
        final String name; final ArrayDeque<StockEvent> last = new ArrayDeque<>(); long received;
        Subscriber(String name) { this.name = name; }
        public void onStock(StockEvent e) { received++; last.addLast(e); if (last.size() > SUBSCRIBER_RING) last.pollFirst(); }
    }
    static final class StockEventSource {
        final CopyOnWriteArrayList<StockListener> listeners = new CopyOnWriteArrayList<>(); long published;
        void publish(StockEvent e) { published++; for (StockListener l : listeners) l.onStock(e); }
    }

    static final class LruPages extends LinkedHashMap<String, CachedPage> {
        long evicted;
        LruPages() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CachedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }
    static final class LruAvailability extends LinkedHashMap<String, Availability> {
        long evicted;
        LruAvailability() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Availability> e) { if (size() > AVAIL_CAP) { evicted++; return true; } return false; }
    }

    /** Supplier availability checks: one future per check, completed when the supplier answers. */
    static final class SupplierGateway {
        final ConcurrentHashMap<Long, CompletableFuture<Availability>> inFlight = new ConcurrentHashMap<>();
        final PriorityQueue<PendingCheck> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt(), b.dueAt()) != 0 ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.id(), b.id()));
        final Random answers = new Random(139_020_004);
        long started, completed;
        CompletableFuture<Availability> check(String catNo, long at, long latency) {
            long id = 880_000_000L + started++;
            CompletableFuture<Availability> f = new CompletableFuture<>();
            inFlight.put(id, f);
            due.add(new PendingCheck(id, catNo, at + latency));
            return f;
        }
        void answerUpTo(long t) {
            while (!due.isEmpty() && due.peek().dueAt() <= t) {
                PendingCheck p = due.poll();
                CompletableFuture<Availability> f = inFlight.remove(p.id());
                completed++;
                f.complete(new Availability(p.catNo(), answers.nextInt(40), 1 + answers.nextInt(60), p.dueAt()));
            }
        }
    }

    static final class ShopService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] accounts = new String[CUSTOMERS];
        final LruPages pages = new LruPages();
        final LruAvailability availability = new LruAvailability();
        final BufferPool images = new BufferPool();
        final ConnectionPool db = new ConnectionPool();
        final StockEventSource stockEvents = new StockEventSource();
        final SupplierGateway supplier = new SupplierGateway();
        final Order[] recentOrders = new Order[ORDER_RING];
        final ArrayDeque<Parcel> dispatch = new ArrayDeque<>();
        final int[] stockLevel = new int[CATALOGUE_ROWS];
        long requests, orders, dispatched, pageViews, checksAnswered;
    }

    static final CatalogueTable CATALOGUE = new CatalogueTable();
    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void startup(long now) {
        Random rnd = new Random(139_020_001);
        String[] nos = new String[CATALOGUE_ROWS];
        for (int i = 0; i < CATALOGUE_ROWS; i++) nos[i] = String.format("%s-%c%05d", MAKERS[i % MAKERS.length].substring(0, 3).toUpperCase(), (char) ('A' + (i / MAKERS.length) % 20), i);
        Arrays.sort(nos);
        for (int i = 0; i < CATALOGUE_ROWS; i++) {
            CATALOGUE.catNo[i] = nos[i];
            CATALOGUE.scale[i] = (byte) rnd.nextInt(SCALES.length);
            CATALOGUE.description[i] = SCALES[CATALOGUE.scale[i]] + " " + KINDS[rnd.nextInt(KINDS.length)] + ", " + LIVERIES[rnd.nextInt(LIVERIES.length)] + " livery, era " + (1 + rnd.nextInt(11));
            CATALOGUE.ean[i] = 5_000_000_000_000L + rnd.nextInt(1_000_000_000);
            CATALOGUE.rrpP[i] = 499 + rnd.nextInt(60_000);
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        for (int i = 0; i < CUSTOMERS; i++) {
            String acc = "MR" + (300_000 + i * 13);
            svc.accounts[i] = acc;
            svc.customers.put(acc, new Customer(acc, "Customer " + i, "PC" + (10 + rnd.nextInt(90)) + " " + rnd.nextInt(10) + "XY", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int i = 0; i < CATALOGUE_ROWS; i++) svc.stockLevel[i] = rnd.nextInt(30);
        for (int b = 0; b < BUFFERS; b++) svc.images.free.add(new byte[16_384]);
        for (int c = 0; c < CONNECTIONS; c++) { svc.db.all[c] = new PooledConnection(c, "jdbc:postgresql://db-" + (c % 2) + ".shop.internal:5432/railshop"); svc.db.idle.add(svc.db.all[c]); }
        String[] subscriberNames = {"shopfront-widget", "basket-widget", "wishlist-alerts", "warehouse-display", "picking-tablets", "club-partner-feed", "price-comparison", "marketplace-sync", "email-restock", "analytics"};
        for (int s = 0; s < SUBSCRIBERS; s++) svc.stockEvents.listeners.add(new Subscriber(subscriberNames[s % subscriberNames.length] + "-" + (s / subscriberNames.length + 1)));
    }

    static void runQuery(ShopService svc, Random r, String table) {
        PooledConnection c = svc.db.take();
        String sql = "SELECT * FROM " + table + " WHERE id = ? /* q" + r.nextInt(12) + " */";
        if (c.statements.get(sql) == null) c.statements.put(sql, new Statement(sql, new byte[200 + r.nextInt(200)]));
        c.socketBuffer[(int) (c.queries++ % c.socketBuffer.length)] = 1;
        svc.db.release(c);
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        startup(now);
        ShopService svc = SERVICE;
        Random traffic = new Random(139_020_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            svc.supplier.answerUpTo(t);
            while (!svc.dispatch.isEmpty() && svc.dispatch.peekFirst().packedAt() <= t - DISPATCH_AFTER) { svc.dispatch.pollFirst(); svc.dispatched++; }
            svc.requests++;
            int row = traffic.nextInt(CATALOGUE_ROWS);
            String catNo = CATALOGUE.catNo[row];
            check(CATALOGUE.find(catNo) == row, "catalogue lookup");
            int roll = traffic.nextInt(100);
            if (roll < 60) {
                svc.pageViews++;
                String key = "page-" + traffic.nextInt(6_000);
                if (svc.pages.get(key) == null) {
                    byte[] buf = svc.images.borrow();
                    buf[i % buf.length] = (byte) i;
                    svc.pages.put(key, new CachedPage(key, new byte[400 + traffic.nextInt(400)], t));
                    svc.images.giveBack(buf);
                }
                runQuery(svc, traffic, "product");
            } else if (roll < 80) {
                CompletableFuture<Availability> f = svc.supplier.check(catNo, t, 10 * SECOND + traffic.nextInt(30) * SECOND);
                f.thenAccept(a -> { svc.availability.put(a.catNo(), a); svc.checksAnswered++; });
                runQuery(svc, traffic, "supplier_item");
            } else {
                String acc = svc.accounts[traffic.nextInt(CUSTOMERS)];
                int qty = 1 + traffic.nextInt(3);
                Order o = new Order("MRO-" + (4_200_000 + svc.orders), acc, catNo, qty, CATALOGUE.rrpP[row] * qty, t);
                svc.recentOrders[(int) (svc.orders++ % ORDER_RING)] = o;
                svc.dispatch.addLast(new Parcel(o, t));
                svc.stockLevel[row] = Math.max(0, svc.stockLevel[row] - qty);
                svc.stockEvents.publish(new StockEvent(catNo, -qty, svc.stockLevel[row], t));
                runQuery(svc, traffic, "orders");
            }
        }
        svc.supplier.answerUpTo(end);
    }

    static void verify() {
        ShopService svc = SERVICE;
        long received = 0; int fullRings = 0, maxStatements = 0;
        for (StockListener l : svc.stockEvents.listeners) { Subscriber s = (Subscriber) l; received += s.received; if (s.last.size() == SUBSCRIBER_RING) fullRings++; }
        for (PooledConnection c : svc.db.all) maxStatements = Math.max(maxStatements, c.statements.size());
        System.out.println("catalogue " + CATALOGUE.catNo.length + " customers " + svc.customers.size() + " requests " + svc.requests + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ")"
                + " checks " + svc.supplier.started + " answered " + svc.supplier.completed + " in flight " + svc.supplier.inFlight.size() + " availability " + svc.availability.size() + " (evicted " + svc.availability.evicted + ")"
                + " orders " + svc.orders + " dispatched " + svc.dispatched + " backlog " + svc.dispatch.size() + " stock events " + svc.stockEvents.published + " subscribers " + svc.stockEvents.listeners.size()
                + " (received " + received + ", full rings " + fullRings + ") images " + svc.images.free.size() + " (borrowed " + svc.images.borrowed + ") connections " + svc.db.idle.size()
                + " (checkouts " + svc.db.checkouts + ", max statements " + maxStatements + ")");
        check(CATALOGUE.catNo[CATALOGUE_ROWS - 1] != null && svc.customers.size() == CUSTOMERS, "reference table / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS, "requests");
        check(svc.supplier.inFlight.size() == svc.supplier.due.size() && svc.supplier.inFlight.size() > 0 && svc.supplier.inFlight.size() < 20
                && svc.supplier.started == svc.supplier.completed + svc.supplier.inFlight.size() && svc.checksAnswered == svc.supplier.completed, "a handful of checks in flight");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0 && svc.availability.size() == AVAIL_CAP, "caches at their caps");
        check(svc.images.free.size() == BUFFERS && svc.images.borrowed == svc.images.returned, "buffer pool");
        check(svc.db.idle.size() == CONNECTIONS && maxStatements <= STATEMENT_CAP, "connection pool");
        check(svc.stockEvents.listeners.size() == SUBSCRIBERS && received == SUBSCRIBERS * svc.stockEvents.published && fullRings == SUBSCRIBERS, "subscribers");
        check(svc.orders == svc.dispatched + svc.dispatch.size() && svc.dispatch.size() > 0 && svc.recentOrders[ORDER_RING - 1] != null, "orders / dispatch");
        // the truth table (VALIDATION139.md)
        check(svc.supplier.inFlight.size() == 9 && svc.supplier.started == 11_888 && svc.orders == 12_126 && svc.dispatch.size() == 576, "truth table");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
