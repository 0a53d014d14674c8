// hprofscan-dump: name=val5-leak-retryqueue jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), LEAKING: a partner-event delivery service with a retry queue
 * ({@code DeliveryRetrier.queue}, a {@code java.util.concurrent.DelayQueue}). A failed delivery is
 * re-enqueued with exponential backoff capped at 15 minutes; the retrier has no attempt limit and
 * does not tell permanent failures (410 Gone, 404) from transient ones, so deliveries to the 300
 * decommissioned partner endpoints are re-enqueued forever. 5,000 such tasks (first attempted over
 * 12 simulated hours ending now, each last attempted within the last 15 minutes) beside the
 * transient failures still waiting for their next attempt (count checked and stated in
 * VALIDATION5.md). See testdata/VALIDATION5.md.
 */
public final class Val5LeakRetryQueue {
    static final int ENDPOINTS = 3_000;
    static final int GONE_ENDPOINTS = 300;
    static final int DEAD_TASKS = 5_000;
    static final int TRANSIENT_TASKS = 3_000;
    static final int SCHEMAS = 1_500;
    static final int HTTP_CONNS = 32;
    static final int DEDUP = 5_000;
    static final int RING = 8_192;
    static final long SIM_MILLIS = 12L * 3600_000L;
    static final long BASE_BACKOFF = 30_000L;
    static final long MAX_BACKOFF = 15L * 60_000L;

    static DeliveryService RUNNING;

    static final class RetryTask implements Delayed {
        final String deliveryId; final String endpointUrl; final byte[] payload; final long firstAttemptAt;
        long lastAttemptAt; long nextAttemptAt; int attempts; int lastStatus;
        RetryTask(String deliveryId, String endpointUrl, byte[] payload, long firstAttemptAt) { this.deliveryId = deliveryId; this.endpointUrl = endpointUrl; this.payload = payload; this.firstAttemptAt = firstAttemptAt; this.nextAttemptAt = firstAttemptAt; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(nextAttemptAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) { return Long.compare(nextAttemptAt, ((RetryTask) o).nextAttemptAt); }
    }

    static final class Endpoint {
        final String url; final String partner; final boolean gone; final int succeedAfter; final long registeredAt;
        Endpoint(String url, String partner, boolean gone, int succeedAfter, long registeredAt) { this.url = url; this.partner = partner; this.gone = gone; this.succeedAfter = succeedAfter; this.registeredAt = registeredAt; }
    }

    static final class EventSchema {
        final String type; final int version; final String jsonSchema;
        EventSchema(String type, int version, String jsonSchema) { this.type = type; this.version = version; this.jsonSchema = jsonSchema; }
    }

    static final class SchemaRegistry {
        static final Map<String, EventSchema> SCHEMAS_BY_TYPE = new HashMap<>();
    }

    static final class HttpConnection {
        final int id; final byte[] buffer = new byte[4_096]; long lastUsedAt;
        HttpConnection(int id) { this.id = id; }
    }

    static final class DeliveryEvent {
        final String deliveryId; final int status; final long at;
        DeliveryEvent(String deliveryId, int status, long at) { this.deliveryId = deliveryId; this.status = status; this.at = at; }
    }

    static final class DedupWindow extends LinkedHashMap<String, Boolean> {
        final int maxEntries;
        DedupWindow(int maxEntries) { super(maxEntries * 2); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) { return size() > maxEntries; }
    }

    static final class DeliveryRetrier {
        final DelayQueue<RetryTask> queue = new DelayQueue<>();
        long retries; long succeeded;
        void schedule(RetryTask t, int status, long attemptAt) {
            t.attempts++; t.lastAttemptAt = attemptAt; t.lastStatus = status;
            long backoff = Math.min(MAX_BACKOFF, BASE_BACKOFF << Math.min(10, t.attempts - 1));
            t.nextAttemptAt = attemptAt + backoff;
            queue.offer(t); // BUG: no attempt limit, no dead-letter for 404/410
        }
    }

    static final class DeliveryService {
        final Map<String, Endpoint> endpoints = new HashMap<>();
        final DeliveryRetrier retrier = new DeliveryRetrier();
        final ArrayBlockingQueue<HttpConnection> connections = new ArrayBlockingQueue<>(HTTP_CONNS);
        final DedupWindow dedup = new DedupWindow(DEDUP);
        final DeliveryEvent[] recent = new DeliveryEvent[RING];
        int ringPos;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** One delivery attempt; returns the HTTP status. */
        int attempt(RetryTask t, long at) {
            HttpConnection c = connections.poll();
            c.lastUsedAt = at;
            Endpoint e = endpoints.get(t.endpointUrl);
            int status = e.gone ? (e.succeedAfter % 2 == 0 ? 410 : 404) : (t.attempts + 1 >= e.succeedAfter ? 200 : 503);
            connections.offer(c);
            recent[ringPos++ % RING] = new DeliveryEvent(t.deliveryId, status, at);
            count("delivery." + status);
            return status;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        DeliveryService svc = new DeliveryService();
        RUNNING = svc;
        Random rnd = new Random(5_050_005);
        for (int i = 0; i < SCHEMAS; i++) {
            String type = "partner.event." + i;
            SchemaRegistry.SCHEMAS_BY_TYPE.put(type, new EventSchema(type, 1 + i % 3, "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"properties\":{" + "\"f\":{\"type\":\"string\"},".repeat(20) + "}}"));
        }
        String[] urls = new String[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            urls[i] = "https://partner" + i + ".example.org/events";
            svc.endpoints.put(urls[i], new Endpoint(urls[i], "partner-" + i, i < GONE_ENDPOINTS, 2 + rnd.nextInt(3), start - 86_400_000L));
        }
        for (int i = 0; i < HTTP_CONNS; i++) svc.connections.add(new HttpConnection(i));
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        // First attempts: DEAD_TASKS to gone endpoints and TRANSIENT_TASKS to endpoints with a transient outage,
        // interleaved over the 12 hours; the rest of the traffic (successful first attempts) only touches the dedup window.
        int total = DEAD_TASKS + TRANSIENT_TASKS;
        RetryTask[] first = new RetryTask[total];
        int dead = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (now - 60_000L - start) * i / total;
            boolean toGone = (long) (i + 1) * DEAD_TASKS / total > dead;
            String url;
            if (toGone) { dead++; url = urls[rnd.nextInt(GONE_ENDPOINTS)]; } else url = urls[GONE_ENDPOINTS + rnd.nextInt(ENDPOINTS - GONE_ENDPOINTS)];
            byte[] payload = new byte[512 + rnd.nextInt(1_024)];
            rnd.nextBytes(payload);
            first[i] = new RetryTask("dlv-" + (600_000_000L + i), url, payload, t);
            for (int k = 0; k < 6; k++) svc.dedup.put("dlv-" + (600_000_000L + i) + "-" + k, Boolean.TRUE);
        }
        // Run the retrier over simulated time, in time order, until every queued task is due in the future.
        for (RetryTask t : first) svc.retrier.queue.offer(t);
        RetryTask t;
        while ((t = svc.retrier.queue.poll()) != null) {
            long at = t.nextAttemptAt;
            int status = svc.attempt(t, at);
            if (status == 200) { svc.retrier.succeeded++; continue; }
            svc.retrier.retries++;
            svc.retrier.schedule(t, status, at);
        }
        int inQueue = svc.retrier.queue.size(), gone = 0, transientLeft = 0;
        long oldestLast = Long.MAX_VALUE;
        for (RetryTask r : svc.retrier.queue) {
            if (svc.endpoints.get(r.endpointUrl).gone) { gone++; oldestLast = Math.min(oldestLast, r.lastAttemptAt); } else transientLeft++;
        }
        System.out.println("queue " + inQueue + " gone " + gone + " transient " + transientLeft + " succeeded " + svc.retrier.succeeded + " retries " + svc.retrier.retries + " oldest last attempt " + (now - oldestLast) / 1000 + " s ago");
        check(gone == DEAD_TASKS, "gone " + gone);
        check(transientLeft + svc.retrier.succeeded == TRANSIENT_TASKS, "transient " + transientLeft);
        check(now - oldestLast <= MAX_BACKOFF, "last attempts");
        check(svc.connections.size() == HTTP_CONNS && svc.dedup.size() == DEDUP, "pool/dedup");
        check(SchemaRegistry.SCHEMAS_BY_TYPE.size() == SCHEMAS && svc.endpoints.size() == ENDPOINTS, "reference data");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
