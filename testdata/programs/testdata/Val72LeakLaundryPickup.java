// hprofscan-dump: name=val72-leak-laundrypickup jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val72-leak-laundrypickup-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Validation set 72 (written blind), LEAK: the booking service of a laundry pickup-and-delivery
 * company. Depot reference data, the customer directory, a cache of rendered price sheets at its
 * cap, a pool of bag-tag printer buffers, a ring of recent pickups, four long-lived subscription
 * consumers on the message-broker connection, and a request/reply client for the route planner:
 * every quote request creates a new consumer on its reply queue, with its own prefetch buffer (a
 * bounded queue of received messages), registered in the connection's consumer list. The reply is
 * taken out, but the consumer is never closed: it stays registered with its prefetch buffer and the
 * late ETA updates the planner keeps sending into it. See VALIDATION72.md.
 */
public final class Val72LeakLaundryPickup {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 900, CUSTOMERS = 26_000, PRICE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 1_200, PREFETCH = 32, HOURS = 10;
    static boolean FIXED;

    record Depot(String code, String city, double[] capacityBySlot) {}
    record Customer(String accountId, String depotCode, String name, byte[] garmentPreferences, long joinedAt) {}
    record PriceSheet(String key, byte[] rendered, long at) {}
    record Pickup(String accountId, String depotCode, int bags, long at) {}
    record Message(long deliveryTag, String correlationId, String type, long at, byte[] body) {}

    /** A broker consumer: registered on the connection, the broker pushes up to PREFETCH unacked messages into its buffer. */
    static final class Consumer {
        final String consumerTag, queue; final long createdAt; final BrokerConnection connection;
        final ArrayBlockingQueue<Message> prefetch;
        boolean closed; long received;
        Consumer(String consumerTag, String queue, int prefetchCount, long createdAt, BrokerConnection connection) {
            this.consumerTag = consumerTag; this.queue = queue; this.createdAt = createdAt; this.connection = connection; this.prefetch = new ArrayBlockingQueue<>(prefetchCount);
        }
        boolean deliver(Message m) { if (closed || !prefetch.offer(m)) return false; received++; return true; }
        void close() { closed = true; prefetch.clear(); connection.consumers.remove(this); }
    }

    static final class BrokerConnection {
        final String url; final List<Consumer> consumers = new ArrayList<>(); long consumerSeq, deliveryTags, dropped;
        BrokerConnection(String url) { this.url = url; }
        Consumer createConsumer(String queue, int prefetchCount, long at) {
            Consumer c = new Consumer("amq.ctag-" + Long.toHexString(0x3f00_0000L + consumerSeq++), queue, prefetchCount, at, this);
            consumers.add(c);
            return c;
        }
        void publish(Consumer to, String correlationId, String type, long at, byte[] body) {
            if (!to.deliver(new Message(++deliveryTags, correlationId, type, at, body))) dropped++;
        }
    }

    static final class PriceCache extends LinkedHashMap<String, PriceSheet> {
        long evicted;
        PriceCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PriceSheet> e) { if (size() > PRICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Customer> customers = new HashMap<>();
        final PriceCache prices = new PriceCache();
        final ArrayDeque<byte[]> bagTagBuffers = new ArrayDeque<>();
        final Pickup[] recentPickups = new Pickup[RING];
        long pickups, quotes, lateUpdates;
        final BrokerConnection broker = new BrokerConnection("amqps://broker.laundry.internal:5671/bookings");
        final List<Consumer> subscriptions = new ArrayList<>();

        /** Request/reply: asks the route planner for a pickup window and waits for the reply. */
        Message requestQuote(Random r, String accountId, long at) {
            Consumer reply = broker.createConsumer("amq.gen-reply-" + Long.toHexString(0x6100_0000L + quotes), PREFETCH, at);
            String correlationId = "q-" + Long.toHexString(0x7e00_0000_0000L + quotes++);
            // the planner answers, then keeps sending ETA updates to the reply queue for a while
            broker.publish(reply, correlationId, "QUOTE", at + 40 + r.nextInt(200), new byte[120 + r.nextInt(80)]);
            int updates = r.nextInt(4);
            for (int u = 0; u < updates; u++) { broker.publish(reply, correlationId, "ETA_UPDATE", at + (u + 1) * 10_000L, new byte[80 + r.nextInt(80)]); lateUpdates++; }
            Message m = reply.prefetch.poll();
            if (FIXED) reply.close(); // the fix: close the consumer once the reply is in
            // BUG: the consumer is never closed; it stays in broker.consumers with the late updates
            return m;
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val72.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        BookingService svc = new BookingService();
        SERVICE = svc;
        int requests = REQUESTS_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + simulate(svc, start, end, now, requests));
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.quotes == requests, "quotes");
        int requestConsumers = 0, buffered = 0;
        for (Consumer c : svc.broker.consumers) {
            if (c.queue.startsWith("amq.gen-reply-")) { requestConsumers++; buffered += c.prefetch.size(); check(!c.closed, "open"); }
        }
        System.out.println("request consumers still registered " + requestConsumers + " holding " + buffered + " late updates");
        if (FIXED) check(requestConsumers == 0 && svc.broker.consumers.size() == 4, "request consumers closed");
        else check(requestConsumers == requests && buffered == svc.lateUpdates && svc.broker.consumers.size() == requests + 4, "every request consumer kept: " + requestConsumers);
        for (Consumer c : svc.subscriptions) check(c.prefetch.size() <= 256 && svc.broker.consumers.contains(c), "subscription");
        check(svc.prices.size() == PRICE_CAP && svc.prices.evicted > 0, "price cache at cap");
        check(svc.bagTagBuffers.size() == POOL, "pool");
        check(svc.pickups > RING && svc.recentPickups[RING - 1] != null, "pickup ring wraps");
        System.gc(); // before the histogram too: dead TLAB filler arrays otherwise inflate SerialGC totals
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String simulate(BookingService svc, long start, long end, long now, int requests) {
        Random rnd = new Random(72_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] cap = new double[96];
            for (int k = 0; k < cap.length; k++) cap[k] = rnd.nextDouble() * 40;
            depotCodes[d] = "DP-" + (3_000 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "District " + (d % 120), cap));
        }
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "LP" + (60_000_000 + c * 11);
            svc.customers.put(accounts[c], new Customer(accounts[c], depotCodes[rnd.nextInt(DEPOTS)], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.bagTagBuffers.add(new byte[32_768]);
        String[] topics = {"driver-positions", "depot-status", "payment-events", "garment-scans"};
        for (String topic : topics) svc.subscriptions.add(svc.broker.createConsumer(topic, 256, start));
        Random traffic = new Random(72_020_002);
        Random planner = new Random(72_020_003);
        int events = requests * 3;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String account = accounts[traffic.nextInt(CUSTOMERS)];
            // subscription traffic: consumed as it arrives, a few messages left unacked at any time
            Consumer sub = svc.subscriptions.get(i % topics.length);
            svc.broker.publish(sub, null, sub.queue, t, new byte[60 + traffic.nextInt(60)]);
            if (sub.prefetch.size() > 20 + traffic.nextInt(40)) while (sub.prefetch.size() > 5) sub.prefetch.poll();
            if (i % 3 == 0) {
                Message reply = svc.requestQuote(planner, account, t);
                if (reply == null) throw new IllegalStateException("no reply");
                svc.recentPickups[(int) (svc.pickups++ % RING)] = new Pickup(account, depotCodes[traffic.nextInt(DEPOTS)], 1 + traffic.nextInt(4), t);
            }
            String key = "price-" + traffic.nextInt(4_500);
            if (svc.prices.get(key) == null) svc.prices.put(key, new PriceSheet(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.bagTagBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.bagTagBuffers.add(buf);
        }
        int subBuffered = 0;
        for (Consumer c : svc.subscriptions) subBuffered += c.prefetch.size();
        return "depots " + DEPOTS_BY_CODE.size() + " customers " + svc.customers.size() + " quotes " + svc.quotes + " late updates " + svc.lateUpdates + " consumers " + svc.broker.consumers.size()
                + " (subscriptions buffering " + subBuffered + ") dropped " + svc.broker.dropped + " pickups " + svc.pickups + " prices " + svc.prices.size() + " (evicted " + svc.prices.evicted + ") pool " + svc.bagTagBuffers.size();
    }
}
