// hprofscan-dump: name=val75-leak-bikerepair jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val75-leak-bikerepair-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 75 (written blind), LEAK: the booking API of a chain of bicycle repair
 * workshops. Every HTTP request gets a new BookingRequestHandler; its constructor registers it
 * with the application event bus (topic "parts.repriced", so a quote being built sees a price
 * change), and nothing ever unregisters it: the bus keeps every handler, with its request, since
 * start. Beside it: workshop reference data, the customer directory, a cache of rendered repair
 * quotes at its cap, a pool of label buffers, a ring of recent job cards and the bus's four
 * long-lived subscribers. See VALIDATION75.md.
 */
public final class Val75LeakBikeRepair {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WORKSHOPS = 1_000, CUSTOMERS = 22_000, QUOTE_CAP = 2_000, POOL = 8, JOB_RING = 16_384, HOURS = 10, REQUESTS = 20_000;
    static boolean FIXED;

    record Workshop(String code, String city, double[] hourlyCapacity) {}
    record Customer(String customerId, String name, byte[] serviceHistory, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record JobCard(String jobId, String customerId, String workshop, String bikeModel, long at) {}
    record BookingRequest(String requestId, String customerId, String workshop, String bikeModel, String path, long receivedAt, byte[] body) {}
    record PartsRepriced(String sku, int newPriceCents, long at) {}

    interface BusListener { void onEvent(Object event); }

    /** Application-wide event bus: topic -> subscribers. */
    static final class AppEventBus {
        final Map<String, List<BusListener>> listenersByTopic = new HashMap<>();
        long posted, delivered;
        void register(String topic, BusListener l) { listenersByTopic.computeIfAbsent(topic, k -> new ArrayList<>()).add(l); }
        void unregister(String topic, BusListener l) { List<BusListener> ls = listenersByTopic.get(topic); if (ls != null) ls.remove(l); }
        void post(String topic, Object event) {
            posted++;
            for (BusListener l : listenersByTopic.getOrDefault(topic, List.of())) { l.onEvent(event); delivered++; }
        }
    }

    /** Long-lived subscribers, registered once at startup. */
    static final class CountingSubscriber implements BusListener {
        final String name; long seen;
        CountingSubscriber(String name) { this.name = name; }
        @Override public void onEvent(Object event) { seen++; }
    }

    /** One per request. */
    static final class BookingRequestHandler implements BusListener {
        final AppEventBus bus;
        final BookingRequest request;
        final StringBuilder response = new StringBuilder(64);
        int repricesSeen;
        boolean done;
        BookingRequestHandler(AppEventBus bus, BookingRequest request) {
            this.bus = bus;
            this.request = request;
            bus.register("parts.repriced", this); // BUG: registered here, never unregistered
        }
        @Override public void onEvent(Object event) { if (!done) repricesSeen++; }
        void handle(Quote q) {
            response.append("{\"job\":\"").append(request.requestId()).append("\",\"quote\":").append(q.rendered().length).append('}');
            done = true;
        }
        /** The fix: called in a finally block after the response is written. */
        void close() { bus.unregister("parts.repriced", this); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Workshop> WORKSHOPS_BY_CODE = new HashMap<>();

    static final class BookingApi {
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final JobCard[] recentJobs = new JobCard[JOB_RING];
        long jobs;
        final AppEventBus bus = new AppEventBus();
        final List<CountingSubscriber> subscribers = new ArrayList<>();
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val75.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(75_020_001);
        String[] shopCodes = new String[WORKSHOPS];
        for (int w = 0; w < WORKSHOPS; w++) {
            double[] cap = new double[72];
            for (int k = 0; k < cap.length; k++) cap[k] = rnd.nextDouble() * 6;
            shopCodes[w] = "WS-" + (200 + w);
            WORKSHOPS_BY_CODE.put(shopCodes[w], new Workshop(shopCodes[w], "City " + (w % 250), cap));
        }
        BookingApi api = new BookingApi();
        SERVICE = api;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU-" + (800_000 + c * 11);
            api.customers.put(customerIds[c], new Customer(customerIds[c], "Rider " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) api.labelBuffers.add(new byte[32_768]);
        String[][] topics = {{"parts.repriced", "inventory"}, {"job.booked", "notifications"}, {"job.completed", "invoicing"}, {"job.booked", "metrics"}};
        for (String[] tp : topics) { CountingSubscriber s = new CountingSubscriber(tp[1]); api.subscribers.add(s); api.bus.register(tp[0], s); }
        Random traffic = new Random(75_020_002);
        String[] models = {"Brompton C", "Trek Domane", "Cube Kathmandu", "Giant Talon", "Specialized Turbo Vado", "Raleigh Pioneer"};
        String[] paths = {"POST /bookings", "POST /bookings/quote", "PUT /bookings/{id}", "POST /bookings/{id}/parts"};
        long nextReprice = start + 10 * MINUTE;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (nextReprice <= t) { api.bus.post("parts.repriced", new PartsRepriced("SKU-" + traffic.nextInt(9_000), 500 + traffic.nextInt(20_000), nextReprice)); nextReprice += 10 * MINUTE; }
            String customer = customerIds[traffic.nextInt(CUSTOMERS)];
            String shop = shopCodes[traffic.nextInt(WORKSHOPS)];
            String model = models[traffic.nextInt(models.length)];
            BookingRequest req = new BookingRequest("REQ-" + Long.toHexString(0x5a00_0000L + i), customer, shop, model, paths[i % paths.length], t, new byte[100 + traffic.nextInt(100)]);
            BookingRequestHandler h = new BookingRequestHandler(api.bus, req);
            try {
                String key = "quote-" + traffic.nextInt(4_500);
                Quote q = api.quotes.get(key);
                if (q == null) { q = new Quote(key, new byte[500 + traffic.nextInt(500)], t); api.quotes.put(key, q); }
                h.handle(q);
                api.recentJobs[(int) (api.jobs++ % JOB_RING)] = new JobCard("JOB-" + (4_000_000 + i), customer, shop, model, t);
                api.bus.post("job.booked", req.requestId());
                byte[] buf = api.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                api.labelBuffers.add(buf);
            } finally {
                if (FIXED) h.close();
            }
        }
        int onTopic = api.bus.listenersByTopic.get("parts.repriced").size();
        System.out.println((FIXED ? "FIXED " : "") + "workshops " + WORKSHOPS_BY_CODE.size() + " customers " + api.customers.size() + " parts.repriced listeners " + onTopic
                + " (posted " + api.bus.posted + ", delivered " + api.bus.delivered + ") topics " + api.bus.listenersByTopic.size() + " quotes " + api.quotes.size() + " (evicted " + api.quotes.evicted + ") pool " + api.labelBuffers.size() + " jobs " + api.jobs);
        check(WORKSHOPS_BY_CODE.size() == WORKSHOPS && api.customers.size() == CUSTOMERS, "reference data / directory");
        check(onTopic == (FIXED ? 1 : 1 + REQUESTS), "handlers on the bus: " + onTopic);
        check(api.bus.listenersByTopic.get("job.booked").size() == 2 && api.bus.listenersByTopic.get("job.completed").size() == 1, "long-lived subscribers");
        check(api.quotes.size() == QUOTE_CAP && api.quotes.evicted > 0, "quote cache at cap");
        check(api.labelBuffers.size() == POOL, "pool");
        check(api.jobs == REQUESTS && api.recentJobs[JOB_RING - 1] != null, "job ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
