// hprofscan-dump: name=svc-leak-listeners jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-listeners-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Leak #3: an order service subscribes a status listener on the long-lived order event bus for every
 * checkout request (to push status updates to that client) and never unsubscribes. 2,500 lambdas
 * and 1,500 anonymous listeners, each capturing the request. The bus also holds 8 component
 * listeners registered at startup. Beside it: static product and warehouse reference data, a
 * customer directory by customer id, an inventory LRU at capacity. See testdata/SERVICES.md.
 */
public final class SvcLeakListeners {
    static final int PRODUCTS = 20_000;
    static final int WAREHOUSES = 800;
    static final int CUSTOMERS = 6_000;
    static final int INVENTORY_CAPACITY = 2_500;
    static final int LAMBDA_LISTENERS = 2_500;
    static final int ANON_LISTENERS = 1_500;
    static final int COMPONENT_LISTENERS = 8;
    static final long SIM_HOURS = 6;

    enum OrderStatus { CREATED, PAID, PACKED, SHIPPED }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Product {
        final long id;
        final String sku;
        final String title;
        final BigDecimal price;
        final int weightGrams;

        Product(long id) {
            this.id = id;
            this.sku = "P" + (10_000_000 + id);
            this.title = "Garden product " + id;
            this.price = BigDecimal.valueOf(99 + id % 9_000, 2);
            this.weightGrams = (int) (100 + id % 5_000);
        }
    }

    static final class Warehouse {
        final String code;
        final String city;
        final int capacity;

        Warehouse(String code, String city, int capacity) {
            this.code = code;
            this.city = city;
            this.capacity = capacity;
        }
    }

    static final class ReferenceData {
        static final Map<Long, Product> PRODUCTS = new HashMap<>();
        static final TreeMap<String, Warehouse> WAREHOUSES = new TreeMap<>();

        static void load() {
            for (int i = 0; i < SvcLeakListeners.PRODUCTS; i++) {
                long id = 2_000_000L + i;
                PRODUCTS.put(id, new Product(id));
            }
            for (int i = 0; i < SvcLeakListeners.WAREHOUSES; i++) {
                String code = "WH" + (1000 + i);
                WAREHOUSES.put(code, new Warehouse(code, "City " + (1000 + i), 10_000 + i));
            }
        }
    }

    static final class Customer {
        final long id;
        final String name;
        final String email;
        final String shippingAddress;
        final long createdAt;

        Customer(long id, long createdAt) {
            this.id = id;
            this.name = "Customer " + id;
            this.email = "customer" + id + "@shop.example";
            this.shippingAddress = "Street " + (id % 500) + ", " + (10_000 + id % 80_000) + " City";
            this.createdAt = createdAt;
        }
    }

    static final class CustomerDirectory {
        final Map<Long, Customer> byId = new ConcurrentHashMap<>();

        Customer get(long id) {
            return byId.computeIfAbsent(id, k -> new Customer(k, 1_600_000_000_000L + (k % 100_000) * 1_000L));
        }
    }

    static final class StockLevel {
        final long productId;
        final String warehouse;
        int available;
        long checkedAt;

        StockLevel(long productId, String warehouse, int available, long checkedAt) {
            this.productId = productId;
            this.warehouse = warehouse;
            this.available = available;
            this.checkedAt = checkedAt;
        }
    }

    static final class InventoryCache extends LinkedHashMap<String, StockLevel> {
        final int capacity;

        InventoryCache(int capacity) {
            super(64, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StockLevel> eldest) {
            return size() > capacity;
        }
    }

    static final class LineItem {
        final Product product;
        final int quantity;

        LineItem(Product product, int quantity) {
            this.product = product;
            this.quantity = quantity;
        }
    }

    static final class CheckoutRequest {
        final String orderId;
        final Customer customer;
        final List<LineItem> items = new ArrayList<>(2);
        final BigDecimal total;
        final byte[] clientState = new byte[256];

        CheckoutRequest(String orderId, Customer customer, Product a, Product b) {
            this.orderId = orderId;
            this.customer = customer;
            items.add(new LineItem(a, 1));
            items.add(new LineItem(b, 2));
            this.total = a.price.add(b.price.multiply(BigDecimal.valueOf(2)));
        }
    }

    interface OrderListener {
        void onStatus(String orderId, OrderStatus status);
    }

    static final class EventBus {
        final List<OrderListener> listeners = new CopyOnWriteArrayList<>();

        void subscribe(OrderListener l) {
            listeners.add(l);
        }

        void publish(String orderId, OrderStatus s) {
            for (OrderListener l : listeners) {
                l.onStatus(orderId, s);
            }
        }
    }

    /** Component listeners, registered once at startup. */
    static final class StatusCounter implements OrderListener {
        final String component;
        long events;

        StatusCounter(String component) {
            this.component = component;
        }

        @Override
        public void onStatus(String orderId, OrderStatus status) {
            events++;
        }
    }

    static final class CheckoutHandler {
        final SimClock clock;
        final EventBus bus = new EventBus();
        final CustomerDirectory customers = new CustomerDirectory();
        final InventoryCache inventory = new InventoryCache(INVENTORY_CAPACITY);
        long pushes;

        CheckoutHandler(SimClock clock) {
            this.clock = clock;
            for (String c : new String[] {"billing", "shipping", "email", "analytics", "fraud", "crm", "warehouse", "search"}) {
                bus.subscribe(new StatusCounter(c));
            }
        }

        void push(CheckoutRequest req, OrderStatus s) {
            req.clientState[0] = (byte) s.ordinal();
            pushes++;
        }

        void checkout(int n) {
            long now = clock.getAsLong();
            Customer c = customers.get(4_000_000L + (n * 11L) % CUSTOMERS);
            Product a = ReferenceData.PRODUCTS.get(2_000_000L + (n * 13L) % PRODUCTS);
            Product b = ReferenceData.PRODUCTS.get(2_000_000L + (n * 17L + 5) % PRODUCTS);
            String wh = "WH" + (1000 + n % WAREHOUSES);
            String key = a.id + "@" + wh;
            StockLevel sl = inventory.get(key);
            if (sl == null) {
                inventory.put(key, new StockLevel(a.id, wh, 50, now));
            }
            CheckoutRequest req = new CheckoutRequest("ORD-" + (800_000_000L + n), c, a, b);
            // Push status updates to this client. Never unsubscribed when the order completes.
            if (n < LAMBDA_LISTENERS) {
                bus.subscribe((orderId, status) -> {
                    if (orderId.equals(req.orderId)) {
                        push(req, status);
                    }
                });
            } else {
                bus.subscribe(new OrderListener() {
                    @Override
                    public void onStatus(String orderId, OrderStatus status) {
                        if (orderId.equals(req.orderId)) {
                            push(req, status);
                        }
                    }
                });
            }
        }
    }

    static CheckoutHandler RUNNING;

    static void build() {
        int requests = LAMBDA_LISTENERS + ANON_LISTENERS;
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        ReferenceData.load();
        SimClock clock = new SimClock(start);
        CheckoutHandler h = new CheckoutHandler(clock);
        for (int n = 0; n < requests; n++) {
            clock.now = start + (end - start) * (n + 1) / requests;
            h.checkout(n);
        }
        if (h.bus.listeners.size() != requests + COMPONENT_LISTENERS || h.inventory.size() != INVENTORY_CAPACITY
                || h.customers.byId.size() != requests) {
            throw new IllegalStateException("unexpected sizes " + h.customers.byId.size());
        }
        RUNNING = h;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
