// hprofscan-dump: name=svc-leak-unitofwork jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-unitofwork-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
// hprofscan-dump: name=svc-leak-unitofwork-unflushed jvm="-Xmx256m" variants=mxbean args="unflushed"
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6b): an order-import service built on a small ORM. Its nightly
 * importer ({@code OrderImporter.session}) opened one {@link UnitOfWork} at startup and runs every
 * batch through it, flushing but never clearing: the identity map {@code UnitOfWork.identityMap}
 * ({@code HashMap<EntityKey, Entity>}) and the snapshots ({@code UnitOfWork.snapshots},
 * {@code HashMap<EntityKey, Object[]>}) keep all 36,000 entities of 300 batches (300 customers'
 * orders: 6,000 {@code OrderRow}s and 30,000 {@code LineRow}s). Healthy counterpart: the order API
 * ({@code OrderApi}) opens a unit of work per request batch and clears it after each; at the dump
 * its current unit of work holds the 45 entities of the batch in progress. Also: an entity
 * metadata registry (static, 6 tables), a product catalog (20,000), a price LRU at capacity
 * (3,000), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6b". With the argument
 * {@code unflushed} (session 49) the importer never flushes either: its pending inserts keep the
 * same 36,000 entities, so the identity map alone retains little of them.
 */
public final class SvcLeakUnitOfWork {
    static final int BATCHES = 300;
    static final int ORDERS_PER_BATCH = 20;
    static final int LINES_PER_ORDER = 5;
    static final int IMPORTED = BATCHES * ORDERS_PER_BATCH * (1 + LINES_PER_ORDER); // 36,000
    static final int API_BATCHES = 2_000;
    static final int API_IN_PROGRESS = 45;
    static final int PRODUCTS = 20_000;
    static final int PRICE_CACHE = 3_000;
    static final long DAY = 86_400_000L;

    static Service RUNNING;
    /** The importer never flushes (the {@code unflushed} variant). */
    static boolean UNFLUSHED;

    /** The identity of a persistent entity: table and primary key. */
    record EntityKey(String entity, long id) {}

    abstract static class Entity {
        final long id; int version;
        Entity(long id) { this.id = id; }
        abstract String entityName();
        abstract Object[] state();
        EntityKey key() { return new EntityKey(entityName(), id); }
    }

    static final class OrderRow extends Entity {
        final String orderNumber; final long customerId; String status; BigDecimal total; final long placedAt; String currency;
        OrderRow(long id, String orderNumber, long customerId, String status, BigDecimal total, long placedAt, String currency) {
            super(id); this.orderNumber = orderNumber; this.customerId = customerId; this.status = status; this.total = total; this.placedAt = placedAt; this.currency = currency;
        }
        String entityName() { return "Order"; }
        Object[] state() { return new Object[] {orderNumber, customerId, status, total, placedAt, currency}; }
    }

    static final class LineRow extends Entity {
        final long orderId; final String sku; int quantity; BigDecimal unitPrice; String note;
        LineRow(long id, long orderId, String sku, int quantity, BigDecimal unitPrice, String note) {
            super(id); this.orderId = orderId; this.sku = sku; this.quantity = quantity; this.unitPrice = unitPrice; this.note = note;
        }
        String entityName() { return "OrderLine"; }
        Object[] state() { return new Object[] {orderId, sku, quantity, unitPrice, note}; }
    }

    /** An ORM session: identity map, loaded-state snapshots for dirty checking, pending inserts. */
    static final class UnitOfWork {
        final Map<EntityKey, Entity> identityMap = new HashMap<>();
        final Map<EntityKey, Object[]> snapshots = new HashMap<>();
        final List<Entity> pendingInserts = new ArrayList<>();
        final String name; int flushes; long statementsIssued;
        UnitOfWork(String name) { this.name = name; }
        void persist(Entity e) { EntityKey k = e.key(); identityMap.put(k, e); snapshots.put(k, e.state()); pendingInserts.add(e); }
        void flush() { statementsIssued += pendingInserts.size(); pendingInserts.clear(); flushes++; }
        void clear() { identityMap.clear(); snapshots.clear(); pendingInserts.clear(); }
    }

    static final class EntityMetadata {
        final String table; final String[] columns; final String idColumn;
        EntityMetadata(String table, String idColumn, String... columns) { this.table = table; this.idColumn = idColumn; this.columns = columns; }
    }

    static final class Metamodel {
        static final Map<String, EntityMetadata> ENTITIES = new HashMap<>();
        static {
            ENTITIES.put("Order", new EntityMetadata("orders", "id", "order_number", "customer_id", "status", "total", "placed_at", "currency"));
            ENTITIES.put("OrderLine", new EntityMetadata("order_lines", "id", "order_id", "sku", "quantity", "unit_price", "note"));
            ENTITIES.put("Customer", new EntityMetadata("customers", "id", "name", "email", "country"));
            ENTITIES.put("Product", new EntityMetadata("products", "sku", "name", "price"));
            ENTITIES.put("Shipment", new EntityMetadata("shipments", "id", "order_id", "carrier", "tracking"));
            ENTITIES.put("Invoice", new EntityMetadata("invoices", "id", "order_id", "amount"));
        }
    }

    static final class OrderImporter {
        final UnitOfWork session = new UnitOfWork("import"); // opened once, never cleared
        int batchesDone;
        void runBatch(List<Entity> batch) { for (Entity e : batch) session.persist(e); if (!UNFLUSHED) session.flush(); batchesDone++; }
    }

    static final class OrderApi {
        UnitOfWork current;
        int batchesDone;
        void begin() { current = new UnitOfWork("api"); }
        void commit() { current.flush(); current.clear(); batchesDone++; }
    }

    static final class Product {
        final String sku; final String name; final BigDecimal price;
        Product(String sku, String name, BigDecimal price) { this.sku = sku; this.name = name; this.price = price; }
    }

    static final class PriceCache extends LinkedHashMap<String, BigDecimal> {
        final int capacity;
        PriceCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BigDecimal> e) { return size() > capacity; }
    }

    static final class Service {
        final OrderImporter importer = new OrderImporter();
        final OrderApi api = new OrderApi();
        final Map<String, Product> catalog = new HashMap<>();
        final PriceCache prices = new PriceCache(PRICE_CACHE);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static final String[] STATUS = {"NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"};
    static final String[] CURRENCY = {"EUR", "USD", "GBP", "CHF"};
    static long nextId = 50_000_000L;

    static List<Entity> orders(Random rnd, int count, long now) {
        List<Entity> out = new ArrayList<>();
        for (int o = 0; o < count; o++) {
            long oid = ++nextId;
            // orders being imported were placed in the last 60 days (business dates from the source system)
            long placedAt = now - 60L * DAY + (long) (rnd.nextDouble() * 59 * DAY);
            out.add(new OrderRow(oid, "ORD-" + oid, 3_000_000L + rnd.nextInt(40_000), STATUS[rnd.nextInt(STATUS.length)],
                BigDecimal.valueOf(500 + rnd.nextInt(200_000), 2), placedAt, CURRENCY[rnd.nextInt(CURRENCY.length)]));
            int lines = count == API_IN_PROGRESS ? 0 : LINES_PER_ORDER;
            for (int l = 0; l < lines; l++) {
                out.add(new LineRow(++nextId, oid, "SKU-" + (4_000_000 + rnd.nextInt(PRODUCTS)), 1 + rnd.nextInt(9),
                    BigDecimal.valueOf(99 + rnd.nextInt(50_000), 2), rnd.nextInt(4) == 0 ? "gift wrap, note " + rnd.nextInt(1_000) : null));
            }
        }
        return out;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        long now = System.currentTimeMillis();
        Random rnd = new Random(60_621);
        Service s = new Service();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (4_000_000 + i);
            s.catalog.put(sku, new Product(sku, "Product " + i + " standard edition", BigDecimal.valueOf(99 + rnd.nextInt(90_000), 2)));
        }
        int apiPerImport = API_BATCHES / BATCHES;
        for (int b = 0; b < BATCHES; b++) {
            s.importer.runBatch(orders(rnd, ORDERS_PER_BATCH, now));
            s.count("import.batches");
            for (int a = 0; a < apiPerImport; a++) {
                s.api.begin();
                for (Entity e : orders(rnd, 1 + rnd.nextInt(3), now)) s.api.current.persist(e);
                s.api.commit();
                s.prices.put("SKU-" + (4_000_000 + rnd.nextInt(PRODUCTS)), BigDecimal.valueOf(rnd.nextInt(90_000), 2));
            }
        }
        while (s.prices.size() < PRICE_CACHE) s.prices.put("SKU-" + (4_000_000 + rnd.nextInt(PRODUCTS)), BigDecimal.ONE);
        // the API batch in progress at the dump: 45 orders persisted, not yet committed
        s.api.begin();
        for (Entity e : orders(rnd, API_IN_PROGRESS, now)) s.api.current.persist(e);
        check(s.importer.session.identityMap.size() == IMPORTED && s.importer.session.snapshots.size() == IMPORTED, "import session " + s.importer.session.identityMap.size());
        check(s.importer.session.pendingInserts.size() == (UNFLUSHED ? IMPORTED : 0) && s.importer.batchesDone == BATCHES, "import flushed");
        check(s.api.current.identityMap.size() == API_IN_PROGRESS && s.api.current.snapshots.size() == API_IN_PROGRESS, "api in progress");
        check(s.api.batchesDone == API_BATCHES - (API_BATCHES % BATCHES), "api batches " + s.api.batchesDone);
        check(s.catalog.size() == PRODUCTS && s.prices.size() == PRICE_CACHE && Metamodel.ENTITIES.size() == 6, "reference data");
        return s;
    }

    public static void main(String[] args) throws Exception {
        UNFLUSHED = args.length > 2 && args[2].equals("unflushed");
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
