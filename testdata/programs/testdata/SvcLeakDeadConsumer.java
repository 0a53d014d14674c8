// hprofscan-dump: name=svc-leak-deadconsumer jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-deadconsumer-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6; series): an order service whose webhook dispatcher's single
 * consumer thread died. {@code WebhookDispatcher.pending} is a {@code LinkedBlockingQueue}; its
 * consumer ({@code WebhookDispatcher.consumer}, thread "webhook-dispatcher") delivered 6,000
 * webhooks, then hit an order without a customer, threw a {@code NullPointerException} and ended;
 * the dispatcher still references the terminated {@code Thread}. Producers keep calling
 * {@code offer}: 2,000, 3,500, 5,000 {@link WebhookEvent}s (each with a 1-2 KB body) pile up in
 * the three dumps, created from 8 minutes before the first dump to the last dump. Healthy
 * counterpart: the e-mail outbox ({@code EmailOutbox.pending}), a {@code LinkedBlockingQueue}
 * with a live consumer held by its rate limit, backlog 40 enqueued within the last 2 seconds.
 * Also: a product catalog (reference data, 30,000), a customer directory (8,000), a price LRU at
 * capacity (3,000), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakDeadConsumer {
    static final int PRODUCTS = 30_000;
    static final int CUSTOMERS = 8_000;
    static final int PRICE_CACHE = 3_000;
    static final int DELIVERED_BEFORE_DEATH = 6_000;
    static final int[] PENDING_AT_DUMP = {2_000, 3_500, 5_000};
    static final int OUTBOX_BACKLOG = 40;
    static final long SIM_MILLIS = 10L * 3600_000L;
    static final long DEAD_FOR_MILLIS = 8L * 60_000L;

    static Service RUNNING;

    static final class Product {
        final String sku; final String name; final String description; final BigDecimal price;
        Product(String sku, String name, String description, BigDecimal price) { this.sku = sku; this.name = name; this.description = description; this.price = price; }
    }

    static final class Catalog { static final Map<String, Product> BY_SKU = new HashMap<>(); }

    static final class Customer {
        final long id; final String name; final String webhookUrl;
        Customer(long id, String name, String webhookUrl) { this.id = id; this.name = name; this.webhookUrl = webhookUrl; }
    }

    static final class WebhookEvent {
        final long id; final String orderId; final Customer customer; final String type; final long createdAt; final byte[] body;
        WebhookEvent(long id, String orderId, Customer customer, String type, long createdAt, byte[] body) {
            this.id = id; this.orderId = orderId; this.customer = customer; this.type = type; this.createdAt = createdAt; this.body = body;
        }
    }

    static final class WebhookDispatcher {
        final LinkedBlockingQueue<WebhookEvent> pending = new LinkedBlockingQueue<>();
        final Semaphore inFlightLimit = new Semaphore(0);
        final AtomicLong delivered = new AtomicLong();
        volatile String lastFailure;
        final Thread consumer;
        WebhookDispatcher() {
            consumer = new Thread(() -> {
                try {
                    while (true) {
                        inFlightLimit.acquire();
                        WebhookEvent e = pending.take();
                        int signature = e.customer.webhookUrl.hashCode() ^ e.body.length; // NPE when the customer is missing
                        if (signature == 42) lastFailure = "unlikely";
                        delivered.incrementAndGet();
                    }
                } catch (InterruptedException ie) { Thread.currentThread().interrupt(); }
            }, "webhook-dispatcher");
            consumer.setDaemon(true);
            consumer.setUncaughtExceptionHandler((t, ex) -> lastFailure = t.getName() + " died: " + ex);
            consumer.start();
        }
        boolean publish(WebhookEvent e) { return pending.offer(e); }
    }

    static final class Email {
        final long id; final String to; final String subject; final long enqueuedAt; final byte[] body;
        Email(long id, String to, String subject, long enqueuedAt, byte[] body) { this.id = id; this.to = to; this.subject = subject; this.enqueuedAt = enqueuedAt; this.body = body; }
    }

    static final class EmailOutbox {
        final LinkedBlockingQueue<Email> pending = new LinkedBlockingQueue<>();
        final Semaphore rateLimit = new Semaphore(0);
        final AtomicLong sent = new AtomicLong();
        final Thread consumer;
        EmailOutbox() {
            consumer = new Thread(() -> {
                try {
                    while (true) {
                        rateLimit.acquire();
                        Email m = pending.take();
                        if (m.body.length >= 0) sent.incrementAndGet();
                    }
                } catch (InterruptedException ie) { Thread.currentThread().interrupt(); }
            }, "email-outbox");
            consumer.setDaemon(true);
            consumer.start();
        }
    }

    static final class PriceCache extends LinkedHashMap<String, BigDecimal> {
        final int capacity;
        PriceCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BigDecimal> e) { return size() > capacity; }
    }

    static final class Service {
        final Map<Long, Customer> customers = new ConcurrentHashMap<>();
        final PriceCache prices = new PriceCache(PRICE_CACHE);
        final WebhookDispatcher webhooks = new WebhookDispatcher();
        final EmailOutbox outbox = new EmailOutbox();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        long nextEventId;
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final Random RND = new Random(60_602);
    static final String[] TYPES = {"order.created", "order.paid", "order.shipped", "order.refunded"};

    static WebhookEvent event(Service s, long t) {
        long oid = 70_000_000L + RND.nextInt(1_000_000);
        Customer c = s.customers.get(5_000_000L + RND.nextInt(CUSTOMERS));
        byte[] body = new byte[1_024 + RND.nextInt(1_024)];
        RND.nextBytes(body);
        s.count("webhook.published");
        return new WebhookEvent(++s.nextEventId, "O-" + oid, c, TYPES[RND.nextInt(TYPES.length)], t, body);
    }

    static Service build(long now) throws InterruptedException {
        long start = now - SIM_MILLIS;
        Service s = new Service();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (4_000_000 + i);
            Catalog.BY_SKU.put(sku, new Product(sku, "Product " + i, "A sturdy product number " + i + " for everyday use, in " + (1 + i % 12) + " colours, ships in 2 days",
                BigDecimal.valueOf(199 + RND.nextInt(90_000), 2)));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 5_000_000L + i;
            s.customers.put(id, new Customer(id, "Customer " + i, "https://hooks.customer" + i + ".example/orders"));
        }
        long deathAt = now - DEAD_FOR_MILLIS;
        for (int i = 0; i < DELIVERED_BEFORE_DEATH; i++) {
            long t = start + (deathAt - start) * i / DELIVERED_BEFORE_DEATH;
            s.webhooks.publish(event(s, t));
            s.prices.put("SKU-" + (4_000_000 + RND.nextInt(PRODUCTS)), BigDecimal.valueOf(RND.nextInt(90_000), 2));
        }
        s.webhooks.inFlightLimit.release(DELIVERED_BEFORE_DEATH + 1);
        while (s.webhooks.delivered.get() < DELIVERED_BEFORE_DEATH) Thread.sleep(5);
        // an order whose customer was deleted: the consumer throws and ends
        s.webhooks.publish(new WebhookEvent(++s.nextEventId, "O-69999999", null, "order.refunded", deathAt, new byte[512]));
        s.webhooks.consumer.join();
        check(!s.webhooks.consumer.isAlive() && s.webhooks.pending.isEmpty() && s.webhooks.lastFailure != null, "consumer death");
        for (int i = 0; i < 3_000; i++) s.outbox.pending.add(new Email(i, "c" + i + "@shop.example", "Your order", start + i * 10_000L, new byte[600]));
        s.outbox.rateLimit.release(3_000);
        while (s.outbox.sent.get() < 3_000) Thread.sleep(5);
        return s;
    }

    static long lastEventAt;

    static void serve(Service s, int target, long from, long to) {
        int have = s.webhooks.pending.size();
        for (int i = have; i < target; i++) {
            long t = from + (to - from) * (i - have + 1) / (target - have);
            s.webhooks.publish(event(s, t));
            s.prices.put("SKU-" + (4_000_000 + RND.nextInt(PRODUCTS)), BigDecimal.valueOf(RND.nextInt(90_000), 2));
        }
        lastEventAt = to;
        check(s.webhooks.pending.size() == target, "pending " + s.webhooks.pending.size());
        check(s.prices.size() == PRICE_CACHE && Catalog.BY_SKU.size() == PRODUCTS && s.customers.size() == CUSTOMERS, "reference data");
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        long from = now - DEAD_FOR_MILLIS;
        for (int d = 1; d <= count; d++) {
            if (d > 1) Thread.sleep(1_100);
            long to = System.currentTimeMillis();
            int target = PENDING_AT_DUMP[count == 1 ? 2 : d - 1];
            serve(RUNNING, target, from, to);
            from = to;
            if (d == count) {
                long t = System.currentTimeMillis();
                for (int i = 0; i < OUTBOX_BACKLOG; i++) RUNNING.outbox.pending.add(new Email(10_000 + i, "c" + i + "@shop.example", "Shipped", t - 2_000 + i * 50L, new byte[600]));
                check(RUNNING.outbox.pending.size() == OUTBOX_BACKLOG && RUNNING.outbox.consumer.isAlive(), "outbox");
            }
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
