// hprofscan-dump: name=val25-healthy-mealkits jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val25-healthy-mealkits-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 25 (written blind), HEALTHY: the order service of a meal-kit subscription box.
 * Recipe reference data, the subscriber directory, outbound webhooks to courier partners whose
 * retry list drops deliveries that exhausted their attempts into a bounded dead-letter ring, a
 * checkout timeout queue (PriorityQueue, lazy cancellation, but 2-minute timeouts so it stays
 * small), latency percentiles from a fixed histogram, a menu cache at its cap, a pool of
 * label-print buffers and a ring of order events. Simulated period: 10 h.
 * See testdata/VALIDATION25.md.
 */
public final class Val25HealthyMealKits {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, CHECKOUT_TIMEOUT = 2 * MINUTE;
    static final int RECIPES = 3_000, SUBSCRIBERS = 45_000, MENU_CAP = 2_000, POOL = 10, RING = 16_384, ORDERS = 60_000, MAX_ATTEMPTS = 5, PARTNERS = 20, DEAD_LETTERS = 500;

    enum Status { PENDING, DELIVERED, RETRYING, GAVE_UP }
    record Recipe(String code, String title, double[] nutrients) {}
    record Subscriber(String id, String name, String plan, byte[] preferences, long since) {}
    record Menu(String key, byte[] rendered) {}
    record OrderEvent(String orderId, String subscriberId, String recipe, long at) {}
    static final class Delivery { final String id; final String partner; final byte[] body; final long createdAt; int attempts; Status status = Status.PENDING;
        Delivery(String id, String partner, byte[] body, long createdAt) { this.id = id; this.partner = partner; this.body = body; this.createdAt = createdAt; } }
    static final class Checkout { final String id; final String subscriberId; final byte[] basket; final long startedAt; Checkout(String id, String subscriberId, byte[] basket, long startedAt) { this.id = id; this.subscriberId = subscriberId; this.basket = basket; this.startedAt = startedAt; } }
    static final class Deadline implements Comparable<Deadline> { final long dueAt; final Checkout checkout; boolean cancelled;
        Deadline(long dueAt, Checkout checkout) { this.dueAt = dueAt; this.checkout = checkout; }
        @Override public int compareTo(Deadline o) { return Long.compare(dueAt, o.dueAt); } }

    static final class WebhookDispatcher {
        final List<Delivery> retries = new ArrayList<>();
        final Delivery[] deadLetters = new Delivery[DEAD_LETTERS];
        long deadLetterCount, delivered, recovered, gaveUp;
        final boolean[] partnerDown = new boolean[PARTNERS];
        boolean send(Delivery d, Random net) { d.attempts++; return !partnerDown[Integer.parseInt(d.partner.substring(3))] && net.nextInt(100) >= 4; }
        void deliver(Delivery d, Random net) { if (send(d, net)) { d.status = Status.DELIVERED; delivered++; } else { d.status = Status.RETRYING; retries.add(d); } }
        void retryJob(Random net) {
            for (Iterator<Delivery> it = retries.iterator(); it.hasNext(); ) {
                Delivery d = it.next();
                if (d.attempts < MAX_ATTEMPTS) { if (send(d, net)) { d.status = Status.DELIVERED; recovered++; it.remove(); } }
                else { d.status = Status.GAVE_UP; gaveUp++; it.remove(); deadLetters[(int) (deadLetterCount++ % DEAD_LETTERS)] = d; }
            }
        }
    }

    static final class CheckoutTimeouts {
        final PriorityQueue<Deadline> queue = new PriorityQueue<>();
        long abandoned;
        void tick(long now) { while (!queue.isEmpty() && queue.peek().dueAt <= now) { if (!queue.poll().cancelled) abandoned++; } }
    }

    static final class LatencyHistogram {
        final long[] buckets = new long[2_048]; // 50-microsecond buckets
        long count;
        void record(long micros) { count++; buckets[(int) Math.min(micros / 50, buckets.length - 1)]++; }
        long percentile(double p) { long rank = (long) Math.ceil(p * count), seen = 0; for (int i = 0; i < buckets.length; i++) { seen += buckets[i]; if (seen >= rank) return i * 50L + 25; } return -1; }
    }

    static final class MenuCache extends LinkedHashMap<String, Menu> {
        long evicted;
        MenuCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Menu> e) { if (size() > MENU_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Recipe> RECIPES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final WebhookDispatcher webhooks = new WebhookDispatcher();
        final CheckoutTimeouts checkouts = new CheckoutTimeouts();
        final LatencyHistogram latency = new LatencyHistogram();
        final MenuCache menus = new MenuCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final OrderEvent[] events = new OrderEvent[RING];
        long eventCount;
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE; // the simulated period ends at the start of the current minute
        long start = end - 10 * HOUR;
        Random rnd = new Random(25_060_001);
        for (int r = 0; r < RECIPES; r++) {
            double[] nutrients = new double[160];
            for (int k = 0; k < nutrients.length; k++) nutrients[k] = rnd.nextDouble() * 100;
            String code = "RCP-" + (5_000 + r);
            RECIPES_BY_CODE.put(code, new Recipe(code, "Recipe " + r, nutrients));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = "SUB-" + (3_000_000 + s);
            svc.subscribers.put(id, new Subscriber(id, "Subscriber " + s, s % 3 == 0 ? "family" : "duo", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(25_060_002), net = new Random(25_060_003);
        long lastMinute = start / MINUTE, maxPending = 0;
        for (int o = 0; o < ORDERS; o++) {
            long t = start + (end - start) * o / ORDERS;
            long h = (t - start) / HOUR;
            svc.webhooks.partnerDown[7] = h >= 1 && h < 4;
            svc.webhooks.partnerDown[13] = h >= 5 && h < 8;
            svc.webhooks.partnerDown[17] = h >= 6 && h < 9;
            svc.checkouts.tick(t);
            String orderId = "ORD-" + (40_000_000 + o);
            String sub = "SUB-" + (3_000_000 + traffic.nextInt(SUBSCRIBERS));
            Deadline d = new Deadline(t + CHECKOUT_TIMEOUT, new Checkout(orderId, sub, new byte[200 + traffic.nextInt(400)], t));
            svc.checkouts.queue.add(d);
            d.cancelled = traffic.nextInt(100) < 92; // paid at once: lazily cancelled, falls due within 2 minutes
            maxPending = Math.max(maxPending, svc.checkouts.queue.size());
            String recipe = "RCP-" + (5_000 + traffic.nextInt(RECIPES));
            svc.events[(int) (svc.eventCount++ % RING)] = new OrderEvent(orderId, sub, recipe, t);
            String key = recipe + "/" + traffic.nextInt(3);
            if (svc.menus.get(key) == null) svc.menus.put(key, new Menu(key, new byte[1_000 + traffic.nextInt(1_000)]));
            byte[] buf = svc.labelBuffers.poll();
            buf[o % buf.length] = (byte) o;
            svc.labelBuffers.add(buf);
            svc.latency.record(1_000 + traffic.nextInt(60_000));
            svc.webhooks.deliver(new Delivery("WH-" + (90_000_000 + o), "PRT" + traffic.nextInt(PARTNERS), new byte[1_500 + traffic.nextInt(1_500)], t), net);
            if (t / MINUTE != lastMinute) { lastMinute = t / MINUTE; svc.webhooks.retryJob(net); }
        }
        WebhookDispatcher wh = svc.webhooks;
        int deadSlots = 0;
        for (Delivery d : wh.deadLetters) if (d != null) { deadSlots++; if (d.status != Status.GAVE_UP) throw new IllegalStateException("dead letter " + d.status); }
        for (Delivery d : wh.retries) if (d.status != Status.RETRYING) throw new IllegalStateException("retry " + d.status);
        long p99 = svc.latency.percentile(0.99);
        System.out.println("recipes " + RECIPES_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " orders " + svc.eventCount + " delivered " + wh.delivered + " recovered " + wh.recovered
                + " gave up " + wh.gaveUp + " retry list " + wh.retries.size() + " dead letters " + deadSlots + " checkouts pending " + svc.checkouts.queue.size() + " (max " + maxPending + ", abandoned "
                + svc.checkouts.abandoned + ") latency count " + svc.latency.count + " p99 " + p99 + " menus " + svc.menus.size() + " (evicted " + svc.menus.evicted + ") pool " + svc.labelBuffers.size());
        check(RECIPES_BY_CODE.size() == RECIPES && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        check(wh.delivered + wh.recovered + wh.gaveUp + wh.retries.size() == ORDERS && wh.gaveUp == 2_669 && deadSlots == DEAD_LETTERS && wh.retries.size() == 3, "webhooks");
        check(svc.checkouts.queue.size() == 200 && maxPending <= 201 && svc.checkouts.abandoned > 0, "checkout timeouts " + svc.checkouts.queue.size());
        check(svc.latency.count == ORDERS, "latency histogram");
        check(svc.menus.size() == MENU_CAP && svc.menus.evicted > 0, "menu cache at its cap");
        check(svc.labelBuffers.size() == POOL, "label pool");
        check(svc.eventCount == ORDERS && svc.events[RING - 1] != null, "order event ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
