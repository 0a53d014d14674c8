// hprofscan-dump: name=val51-healthy-chocolatiers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val51-healthy-chocolatiers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val51-healthy-chocolatiers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val51-healthy-chocolatiers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 51 (written blind), HEALTHY: the web shop of a chocolatier. Bonbon reference data,
 * the customer directory, a Micrometer-like metrics registry whose tags are all low-cardinality
 * (URI template, status, payment method, region, statement name), a query engine whose plan cache
 * is keyed by parameterised SQL (bind parameters; six statements, and an LRU bound besides), a
 * shopper-session registry whose sessions register a back-in-stock watcher on an application-wide
 * event bus and unregister it when they expire, a ring of recent orders and a pool of gift-wrap
 * label buffers. Warms up, then plateaus. See VALIDATION51.md.
 */
public final class Val51HealthyChocolatiers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 20 * MINUTE;
    static final int BONBONS = 1_300, CUSTOMERS = 25_000, POOL = 8, RING = 16_384, ORDERS_PER_MINUTE = 100, LOGINS_PER_MINUTE = 10, BUCKETS = 48, PLAN_CAP = 256;
    static final String[] URIS = {"/", "/bonbons/{sku}", "/boxes/{id}", "/gifts", "/basket", "/basket/items", "/search", "/account/orders"};
    static final String[] PAYMENTS = {"card", "paypal", "gift-card"};
    static final String[] REGIONS = {"north", "south", "east", "west", "islands", "export"};
    static final String[] STATEMENTS = {
        "SELECT sku, name, price_cents, stock FROM bonbon WHERE sku = ?",
        "SELECT id, status, total_cents FROM shop_order WHERE id = ?",
        "INSERT INTO shop_order (id, customer_id, total_cents, placed_at) VALUES (?, ?, ?, ?)",
        "UPDATE stock SET reserved = reserved + ? WHERE sku = ?",
        "SELECT code, percent FROM voucher WHERE code = ? AND valid_until > ?",
        "SELECT sku, name FROM bonbon WHERE collection = ? ORDER BY name"};

    record Bonbon(String sku, String collection, double[] weeklySales) {}
    record Customer(String id, String region, byte[] profile, long since) {}
    record Order(String orderNo, String customerId, String payment, long totalCents, long at) {}
    record Tag(String key, String value) {}
    record StockEvent(String sku, int available, long at) {}

    static final class MeterId {
        final String name; final Tag[] tags; final int hash;
        MeterId(String name, Tag[] tags) { this.name = name; this.tags = tags; this.hash = 31 * name.hashCode() + Arrays.hashCode(tags); }
        @Override public boolean equals(Object o) { return o instanceof MeterId m && m.name.equals(name) && Arrays.equals(m.tags, tags); }
        @Override public int hashCode() { return hash; }
    }

    static final class Timer {
        final MeterId id; long count, totalNanos, maxNanos, firstAt, lastAt; final long[] buckets = new long[BUCKETS];
        Timer(MeterId id) { this.id = id; }
        void record(long nanos, long at) {
            if (count++ == 0) firstAt = at;
            lastAt = at; totalNanos += nanos; if (nanos > maxNanos) maxNanos = nanos;
            buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1L, nanos / 1_000)))]++;
        }
    }

    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Timer> meters = new ConcurrentHashMap<>();
        Timer timer(String name, String... keyValues) {
            Tag[] tags = new Tag[keyValues.length / 2];
            for (int k = 0; k < tags.length; k++) tags[k] = new Tag(keyValues[2 * k], keyValues[2 * k + 1]);
            Arrays.sort(tags, Comparator.comparing(Tag::key));
            return meters.computeIfAbsent(new MeterId(name, tags), Timer::new);
        }
    }

    static final class ParsedPlan {
        final String sql; final String[] tokens; final byte[] compiled; final long parsedAt; long lastUsedAt; long hits;
        ParsedPlan(String sql, String[] tokens, byte[] compiled, long parsedAt) { this.sql = sql; this.tokens = tokens; this.compiled = compiled; this.parsedAt = parsedAt; this.lastUsedAt = parsedAt; }
    }

    /** Plan cache keyed by parameterised SQL text, with an LRU bound as a safety net. */
    static final class QueryEngine {
        final LinkedHashMap<String, ParsedPlan> planCache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, ParsedPlan> e) { return size() > PLAN_CAP; }
        };
        final Random planner = new Random(51_050_003);
        long lookups, parses;
        ParsedPlan prepare(String sql, long at) {
            lookups++;
            ParsedPlan p = planCache.get(sql);
            if (p == null) { parses++; p = new ParsedPlan(sql, sql.split(" "), new byte[64 + planner.nextInt(64)], at); planCache.put(sql, p); }
            p.hits++; p.lastUsedAt = at;
            return p;
        }
    }

    interface StockListener { void onStock(StockEvent e); }

    static final class ShopperSession {
        final String sessionId, customerId; final long createdAt, activeUntil; long lastSeenAt; int notified;
        final List<String> watchedSkus = new ArrayList<>(); final byte[] basketState;
        final BackInStockWatcher watcher = new BackInStockWatcher();
        ShopperSession(String sessionId, String customerId, long createdAt, long activeUntil, byte[] basketState) {
            this.sessionId = sessionId; this.customerId = customerId; this.createdAt = createdAt; this.activeUntil = activeUntil; this.lastSeenAt = createdAt; this.basketState = basketState;
        }
        final class BackInStockWatcher implements StockListener {
            @Override public void onStock(StockEvent e) { if (watchedSkus.contains(e.sku())) notified++; }
        }
    }

    static final class StockEventBus {
        final CopyOnWriteArrayList<StockListener> listeners = new CopyOnWriteArrayList<>();
        long published;
        void register(StockListener l) { listeners.add(l); }
        void unregister(StockListener l) { listeners.remove(l); }
        void publish(StockEvent e) { published++; for (StockListener l : listeners) l.onStock(e); }
    }

    static final Map<String, Bonbon> BONBONS_BY_SKU = new HashMap<>();

    static final class ShopService {
        final Map<String, Customer> customers = new HashMap<>();
        final MeterRegistry registry = new MeterRegistry();
        final QueryEngine db = new QueryEngine();
        final Map<String, ShopperSession> sessions = new HashMap<>();
        final StockEventBus bus = new StockEventBus();
        final Order[] orderLog = new Order[RING];
        final ArrayDeque<byte[]> wrapBuffers = new ArrayDeque<>();
        long orders, created, expired;

        void login(ShopperSession s) { sessions.put(s.sessionId, s); bus.register(s.watcher); created++; }
        void expireIdle(long at) {
            for (Iterator<ShopperSession> it = sessions.values().iterator(); it.hasNext();) {
                ShopperSession s = it.next();
                if (s.lastSeenAt + IDLE_TIMEOUT <= at) { it.remove(); bus.unregister(s.watcher); expired++; }
            }
        }
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String status(Random r) {
        int p = r.nextInt(100);
        return p < 85 ? "200" : p < 93 ? "304" : p < 98 ? "404" : "500";
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int minutes = hours * 60;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(51_050_001);
        String[] skus = new String[BONBONS];
        for (int b = 0; b < BONBONS; b++) {
            double[] sales = new double[52];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 300;
            skus[b] = "BB-" + (4_000 + b);
            BONBONS_BY_SKU.put(skus[b], new Bonbon(skus[b], "Collection " + (b % 24), sales));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "CH" + (200_000 + c * 3);
            customers[c] = new Customer(id, REGIONS[rnd.nextInt(REGIONS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.wrapBuffers.add(new byte[32_768]);
        Random traffic = new Random(51_050_002);
        List<ShopperSession> active = new ArrayList<>();
        int seq = 0, maxLive = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < LOGINS_PER_MINUTE; k++) {
                ShopperSession s = new ShopperSession("CSESS-" + Long.toHexString(0x51_5000_0000L + seq++ * 89L + traffic.nextInt(89)), customers[traffic.nextInt(CUSTOMERS)].id(), t, t + (10 + traffic.nextInt(80)) * MINUTE, new byte[300 + traffic.nextInt(400)]);
                svc.login(s);
                active.add(s);
            }
            for (Iterator<ShopperSession> it = active.iterator(); it.hasNext();) {
                ShopperSession s = it.next();
                if (t >= s.activeUntil) { it.remove(); continue; }
                s.lastSeenAt = t;
                if (traffic.nextInt(10) == 0 && s.watchedSkus.size() < 4) s.watchedSkus.add(skus[traffic.nextInt(BONBONS)]);
            }
            for (int k = 0; k < ORDERS_PER_MINUTE; k++) {
                long at = t + k * (MINUTE / ORDERS_PER_MINUTE);
                for (int g = 0; g < 2; g++) {
                    svc.registry.timer("http.server.requests", "uri", URIS[traffic.nextInt(URIS.length)], "method", "GET", "status", status(traffic)).record(200_000L + traffic.nextInt(40_000_000), at);
                    String sql = STATEMENTS[traffic.nextInt(STATEMENTS.length)];
                    svc.db.prepare(sql, at);
                    svc.registry.timer("db.query", "statement", sql.substring(0, sql.indexOf(' ')).toLowerCase() + "-" + Integer.toHexString(sql.hashCode())).record(50_000L + traffic.nextInt(5_000_000), at);
                }
                Customer c = customers[traffic.nextInt(CUSTOMERS)];
                String payment = PAYMENTS[traffic.nextInt(PAYMENTS.length)];
                long nanos = 5_000_000L + traffic.nextInt(400_000_000);
                svc.registry.timer("http.server.requests", "uri", "/checkout", "method", "POST", "status", traffic.nextInt(100) < 97 ? "200" : "500").record(nanos, at);
                svc.registry.timer("checkout.duration", "payment", payment, "region", c.region()).record(nanos, at);
                svc.db.prepare(STATEMENTS[2], at);
                svc.orderLog[(int) (svc.orders++ % RING)] = new Order("CO-" + (3_000_000 + svc.orders), c.id(), payment, 900 + traffic.nextInt(15_000), at);
                byte[] buf = svc.wrapBuffers.poll();
                buf[(int) (svc.orders % buf.length)] = (byte) k;
                svc.wrapBuffers.add(buf);
            }
            svc.bus.publish(new StockEvent(skus[traffic.nextInt(BONBONS)], 1 + traffic.nextInt(50), t));
            svc.expireIdle(t);
            maxLive = Math.max(maxLive, svc.sessions.size());
        }
        long orders = (long) minutes * ORDERS_PER_MINUTE;
        int meters = svc.registry.meters.size(), expectedMeters = URIS.length * 4 + 2 + PAYMENTS.length * REGIONS.length + STATEMENTS.length;
        System.out.println("stage " + stage + " bonbons " + BONBONS_BY_SKU.size() + " customers " + svc.customers.size() + " meters " + meters + " plans " + svc.db.planCache.size() + " (lookups " + svc.db.lookups + ", parses " + svc.db.parses
                + ") sessions created " + svc.created + " live " + svc.sessions.size() + " (max " + maxLive + ") expired " + svc.expired + " listeners " + svc.bus.listeners.size() + " events " + svc.bus.published
                + " orders " + svc.orders + " ring " + Math.min(orders, RING) + " pool " + svc.wrapBuffers.size());
        check(BONBONS_BY_SKU.size() == BONBONS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(meters == expectedMeters, "meters bounded by low-cardinality tags: " + meters);
        check(svc.db.planCache.size() == STATEMENTS.length && svc.db.parses == STATEMENTS.length, "parameterised plans");
        check(svc.created == (long) minutes * LOGINS_PER_MINUTE && svc.sessions.size() + svc.expired == svc.created, "session registry");
        check(svc.bus.listeners.size() == svc.sessions.size(), "one watcher per live session");
        check(svc.orders == orders && (orders < RING ? svc.orderLog[(int) orders - 1] != null && svc.orderLog[(int) orders] == null : svc.orderLog[RING - 1] != null), "ring");
        check(svc.wrapBuffers.size() == POOL, "pool");
        active = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
