// hprofscan-dump: name=val67-leak-lettingagents jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val67-leak-lettingagents-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 67 (written blind), LEAK: the outbound-webhook service of a property-management
 * platform that notifies letting agents' CRMs (viewing booked, offer made, tenancy signed, rent
 * received, ...). Region reference data, the property directory, a cache of rendered listing
 * pages at its cap, a pool of JSON encoder buffers, a ring of delivery attempts, the registry of
 * agent endpoints, and a retry scheduler: a PriorityQueue of failed deliveries (with their payload
 * bytes) ordered by next attempt time. A failed delivery is rescheduled with capped exponential
 * backoff (30 s doubling, at most 30 min) forever: there is no attempt limit and no give-up for an
 * endpoint that answers 410 Gone, so every delivery to an agent that left the platform stays in
 * the queue. See VALIDATION67.md.
 */
public final class Val67LeakLettingAgents {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 1_100, PROPERTIES = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, ENDPOINTS = 400, GONE = 60, EVENTS_PER_HOUR = 3_600, HOURS = 10, MAX_ATTEMPTS = 6;
    static boolean FIXED;

    record Region(String code, String name, double[] rentIndex) {}
    record Property(String ref, String regionCode, String address, byte[] inventory, long listedAt) {}
    record ListingPage(String key, byte[] html, long at) {}
    record DeliveryAttempt(long deliveryId, String agentId, int status, long at) {}

    static final class Endpoint {
        final String agentId, url; long goneSince; long delivered, failed;
        Endpoint(String agentId, String url) { this.agentId = agentId; this.url = url; }
    }

    static final class PendingDelivery implements Comparable<PendingDelivery> {
        final long id; final Endpoint endpoint; final String eventType; final byte[] payload; final long createdAt;
        int attempts; long nextAttemptAt; String lastError;
        PendingDelivery(long id, Endpoint endpoint, String eventType, byte[] payload, long createdAt) { this.id = id; this.endpoint = endpoint; this.eventType = eventType; this.payload = payload; this.createdAt = createdAt; }
        @Override public int compareTo(PendingDelivery o) { int c = Long.compare(nextAttemptAt, o.nextAttemptAt); return c != 0 ? c : Long.compare(id, o.id); }
    }

    static final class RetryScheduler {
        final PriorityQueue<PendingDelivery> queue = new PriorityQueue<>();
        long rescheduled, gaveUp;
        static long backoff(int attempts) { return Math.min(30 * SECOND << Math.min(attempts - 1, 20), 30 * MINUTE); }
        void failed(PendingDelivery d, long now, String error) {
            d.attempts++;
            d.lastError = error;
            if (FIXED && d.attempts >= MAX_ATTEMPTS) { gaveUp++; return; } // fixed: dead-letter after 6 attempts (counted only)
            // BUG: no attempt limit, no give-up on 410 Gone: rescheduled forever
            d.nextAttemptAt = now + backoff(d.attempts);
            queue.add(d);
            rescheduled++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ListingPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ListingPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class WebhookService {
        final Map<String, Property> properties = new HashMap<>();
        final PageCache listingPages = new PageCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final DeliveryAttempt[] attemptLog = new DeliveryAttempt[RING];
        long attempts, delivered, created;
        final Map<String, Endpoint> endpoints = new HashMap<>();
        final RetryScheduler retries = new RetryScheduler();

        void attempt(PendingDelivery d, long now, Random net) {
            Endpoint e = d.endpoint;
            int status;
            if (e.goneSince != 0 && e.goneSince <= now) status = 410;
            else status = net.nextInt(50) == 0 ? 503 : 200;
            attemptLog[(int) (attempts++ % RING)] = new DeliveryAttempt(d.id, e.agentId, status, now);
            byte[] enc = encoderBuffers.poll();
            enc[(int) (attempts % enc.length)] = (byte) status;
            encoderBuffers.add(enc);
            if (status == 200) { e.delivered++; delivered++; }
            else { e.failed++; retries.failed(d, now, status == 410 ? "410 Gone" : "503 Service Unavailable"); }
        }

        void runDue(long upTo, Random net) {
            PriorityQueue<PendingDelivery> q = retries.queue;
            while (!q.isEmpty() && q.peek().nextAttemptAt <= upTo) {
                PendingDelivery d = q.poll();
                attempt(d, d.nextAttemptAt, net);
            }
        }
    }

    static WebhookService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val67.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(67_030_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] idx = new double[64];
            for (int k = 0; k < idx.length; k++) idx[k] = 80 + rnd.nextDouble() * 60;
            regionCodes[r] = "RG-" + (2_000 + r);
            REGIONS_BY_CODE.put(regionCodes[r], new Region(regionCodes[r], "Region " + r, idx));
        }
        WebhookService svc = new WebhookService();
        SERVICE = svc;
        String[] propertyRefs = new String[PROPERTIES];
        for (int p = 0; p < PROPERTIES; p++) {
            propertyRefs[p] = "PR" + (90_000_000 + p * 13);
            svc.properties.put(propertyRefs[p], new Property(propertyRefs[p], regionCodes[rnd.nextInt(REGIONS)], (1 + rnd.nextInt(200)) + " High Street", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[32_768]);
        Endpoint[] endpoints = new Endpoint[ENDPOINTS];
        for (int a = 0; a < ENDPOINTS; a++) {
            String agent = "AG" + (10_000 + a * 7);
            endpoints[a] = new Endpoint(agent, "https://crm.agent" + a + ".example/hooks/lettings");
            svc.endpoints.put(agent, endpoints[a]);
        }
        for (int g = 0; g < GONE; g++) { // agents that left the platform: their endpoint answers 410 Gone from then on
            endpoints[g * (ENDPOINTS / GONE)].goneSince = start + (long) rnd.nextInt(8 * 60) * MINUTE;
        }
        Random traffic = new Random(67_030_002);
        Random net = new Random(67_030_003);
        String[] types = {"viewing.booked", "offer.made", "offer.accepted", "tenancy.signed", "rent.received", "maintenance.reported"};
        int events = EVENTS_PER_HOUR * HOURS;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            svc.runDue(t, net);
            Endpoint e = endpoints[traffic.nextInt(ENDPOINTS)];
            PendingDelivery d = new PendingDelivery(5_000_000L + i, e, types[traffic.nextInt(types.length)], new byte[1_000 + traffic.nextInt(1_000)], t);
            svc.created++;
            svc.attempt(d, t, net);
            String key = "listing-" + propertyRefs[traffic.nextInt(PROPERTIES)].substring(0, 7) + "-" + traffic.nextInt(40);
            if (svc.listingPages.get(key) == null) svc.listingPages.put(key, new ListingPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        svc.runDue(end, net);
        PriorityQueue<PendingDelivery> q = svc.retries.queue;
        long toGone = 0, toAlive = 0;
        for (PendingDelivery d : q) { if (d.endpoint.goneSince != 0) toGone++; else toAlive++; }
        long goneNow = 0;
        for (Endpoint e : endpoints) if (e.goneSince != 0) goneNow++;
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " properties " + svc.properties.size() + " endpoints " + svc.endpoints.size() + " (gone " + goneNow + ") webhooks " + svc.created + " delivered " + svc.delivered
                + " attempts " + svc.attempts + " pending " + q.size() + " (to gone endpoints " + toGone + ", to live " + toAlive + ") rescheduled " + svc.retries.rescheduled + " gave up " + svc.retries.gaveUp
                + " pages " + svc.listingPages.size() + " (evicted " + svc.listingPages.evicted + ") pool " + svc.encoderBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.properties.size() == PROPERTIES && svc.endpoints.size() == ENDPOINTS && goneNow == GONE, "reference data / directories");
        check(svc.created == events && svc.delivered + q.size() + svc.retries.gaveUp == events, "every webhook delivered, pending or given up");
        if (FIXED) check(toGone < 600 && svc.retries.gaveUp > 0, "fixed: gives up after " + MAX_ATTEMPTS + " attempts");
        else check(toGone > 2_000 && svc.retries.gaveUp == 0, "every delivery to a gone endpoint still queued: " + toGone);
        check(svc.listingPages.size() == PAGE_CAP && svc.listingPages.evicted > 0, "page cache at cap");
        check(svc.encoderBuffers.size() == POOL && svc.attemptLog[RING - 1] != null, "pool / attempt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
