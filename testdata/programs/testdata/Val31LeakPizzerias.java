// hprofscan-dump: name=val31-leak-pizzerias jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val31-leak-pizzerias-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 31 (written blind), LEAK: the online-ordering service of a pizza chain. Store
 * reference data, the customer directory, a cache of rendered menu pages at its cap, a pool of
 * box-label buffers, a ring of recent orders, and an error tracker meant to de-duplicate errors:
 * it keeps one record per exception message (count, first / last seen, a copy of the stack trace).
 * The messages embed the order number, so every failed order is a new key and the tracker holds a
 * record for every error since start. See VALIDATION31.md.
 */
public final class Val31LeakPizzerias {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOURS = 10, STORES = 900, CUSTOMERS = 25_000, MENU_CAP = 2_000, POOL = 8, RING = 16_384, ORDERS_PER_HOUR = 16_000, MAX_FRAMES = 32;
    static boolean FIXED;

    record Store(String code, String town, double[] ovenSlotsByQuarterHour) {}
    record Customer(String id, String storeCode, String name, byte[] addressRecord, long since) {}
    record MenuPage(String key, byte[] rendered, long at) {}
    record Order(String number, String customerId, String storeCode, int totalCents, long at) {}

    static final class OrderException extends RuntimeException {
        OrderException(String message) { super(message); }
    }

    /** One de-duplicated error. */
    static final class ErrorRecord {
        final String key, exceptionClass;
        final long firstSeen;
        long lastSeen, count;
        final StackTraceElement[] stack;
        ErrorRecord(String key, String exceptionClass, long at, StackTraceElement[] stack) { this.key = key; this.exceptionClass = exceptionClass; this.firstSeen = at; this.lastSeen = at; this.stack = stack; }
    }

    static final class ErrorTracker {
        final Map<String, ErrorRecord> byMessage = new HashMap<>();
        long recorded;
        void record(Throwable e, long at) {
            recorded++;
            String key = FIXED ? normalise(e.getMessage()) : e.getMessage(); // BUG: the raw message embeds the order number
            ErrorRecord r = byMessage.get(key);
            if (r == null) {
                StackTraceElement[] trace = e.getStackTrace();
                r = new ErrorRecord(key, e.getClass().getName(), at, Arrays.copyOf(trace, Math.min(trace.length, MAX_FRAMES)));
                byMessage.put(key, r);
            }
            r.count++;
            r.lastSeen = at;
        }
        /** The fix: masks ids (every run of digits) so that one kind of error is one key. */
        static String normalise(String message) { return message.replaceAll("[0-9]+", "#"); }
    }

    static final class MenuCache extends LinkedHashMap<String, MenuPage> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MenuPage> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class OrderingService {
        final Map<String, Customer> customers = new HashMap<>();
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        final ErrorTracker errors = new ErrorTracker();
        long orders, placed, failed, retries, failedAttempts, ordersWithErrors;

        void place(Order o, Random r) {
            validateAddress(o, r);
            charge(o, r);
            sendToOven(o, r);
        }
        void validateAddress(Order o, Random r) {
            if (r.nextInt(1_000) < 18) throw new OrderException("Address outside the delivery zone of store " + o.storeCode() + " for order " + o.number());
            if (r.nextInt(1_000) < 9) throw new OrderException("Coupon already redeemed on order " + o.number() + " (customer " + o.customerId() + ")");
        }
        void charge(Order o, Random r) {
            int roll = r.nextInt(1_000);
            if (roll < 30) throw new OrderException("Payment declined for order " + o.number() + ": insufficient funds");
            if (roll < 38) throw new OrderException("Payment declined for order " + o.number() + ": card expired");
        }
        void sendToOven(Order o, Random r) {
            if (r.nextInt(1_000) < 12) throw new OrderException("Oven queue full at store " + o.storeCode() + ", order " + o.number() + " not accepted");
        }
    }

    /** The request pipeline in front of the service (auth, rate limit, tracing, ...): one frame per filter. */
    static final class FilterChain {
        static final String[] FILTERS = {"tls-offload", "auth", "rate-limit", "tracing", "locale", "tenant-store", "csrf", "idempotency", "metrics"};
        final OrderingService svc; int pos; long passed;
        FilterChain(OrderingService svc) { this.svc = svc; }
        void doFilter(Order o, Random r) {
            if (pos < FILTERS.length) { pos++; passed++; doFilter(o, r); }
            else svc.place(o, r);
        }
    }

    static OrderingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val31.fixed");
        int orders = ORDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(31_030_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] slots = new double[96];
            for (int k = 0; k < slots.length; k++) slots[k] = rnd.nextDouble() * 24;
            storeCodes[s] = "ST-" + (1_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Town " + (s % 400), slots));
        }
        OrderingService svc = new OrderingService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU" + (3_000_000 + c * 11);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], storeCodes[rnd.nextInt(STORES)], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_030_002);
        Random outcomes = new Random(31_030_003);
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            Customer c = svc.customers.get(customerIds[traffic.nextInt(CUSTOMERS)]);
            Order o = new Order("PZ-" + (48_000_000 + i), c.id(), c.storeCode(), 900 + traffic.nextInt(4_000), t);
            svc.orders++;
            String key = "menu-" + c.storeCode() + "-" + traffic.nextInt(5);
            if (svc.menus.get(key) == null) svc.menus.put(key, new MenuPage(key, new byte[500 + traffic.nextInt(500)], t));
            boolean ok = false;
            for (int attempt = 0; attempt < 2 && !ok; attempt++) { // a declined customer may retry once, same order number
                try {
                    if (attempt > 0) svc.retries++;
                    new FilterChain(svc).doFilter(o, outcomes);
                    ok = true;
                } catch (OrderException e) {
                    svc.failedAttempts++;
                    if (attempt == 0) svc.ordersWithErrors++;
                    svc.errors.record(e, t + attempt * 40_000L);
                    if (!e.getMessage().startsWith("Payment declined") || !traffic.nextBoolean()) break;
                }
            }
            if (ok) {
                svc.placed++;
                svc.recentOrders[(int) ((svc.placed - 1) % RING)] = o;
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            } else svc.failed++;
        }
        ErrorTracker et = svc.errors;
        long repeated = et.byMessage.values().stream().filter(r -> r.count > 1).count();
        int maxFrames = et.byMessage.values().stream().mapToInt(r -> r.stack.length).max().orElse(0);
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " customers " + svc.customers.size() + " orders " + svc.orders + " placed " + svc.placed + " failed " + svc.failed + " retries " + svc.retries + " orders with errors " + svc.ordersWithErrors
                + " errors recorded " + et.recorded + " tracker keys " + et.byMessage.size() + " (repeated " + repeated + ", frames <= " + maxFrames + ") menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") pool " + svc.labelBuffers.size());
        if (FIXED) et.byMessage.values().forEach(r -> System.out.println("  " + r.count + " x " + r.key));
        check(STORES_BY_CODE.size() == STORES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.orders == orders && svc.placed + svc.failed == orders && et.recorded == svc.failedAttempts && svc.failedAttempts == svc.failed + svc.retries, "order traffic");
        if (FIXED) check(et.byMessage.size() <= 5, "one key per kind of error: " + et.byMessage.size());
        else check(et.byMessage.size() == et.recorded - et.byMessage.values().stream().mapToLong(r -> r.count - 1).sum() && et.byMessage.size() >= svc.ordersWithErrors, "a key per failed order: " + et.byMessage.size());
        check(svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.recentOrders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
