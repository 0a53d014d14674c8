// hprofscan-dump: name=val28-leak-courierdispatch jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-leak-courierdispatch-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), LEAK: the webhook dispatcher of a courier company, which
 * notifies retail partners of shipment events. Partner-endpoint reference data, the courier
 * directory, a route cache at its cap, a pool of payload buffers, a ring of delivery records, one
 * circuit breaker per partner endpoint, and a shared, pre-allocated stackless
 * {@code CircuitOpenException} thrown whenever a breaker rejects a call (a common idiom to avoid
 * allocating an exception per rejection). The bug: to make the log line of a rejection show what
 * tripped the breaker, every failed delivery is attached to that shared instance with
 * addSuppressed(); the instance lives forever and its suppressed list keeps every failure (with
 * its message and backtrace) since start. See VALIDATION28.md.
 */
public final class Val28LeakCourierDispatch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PARTNERS = 1_200, COURIERS = 20_000, ROUTE_CAP = 2_000, POOL = 8, RING = 16_384, DELIVERIES = 100_000, HOURS = 10, TRIP_AFTER = 3;
    static final long OPEN_FOR = 60_000L;
    static final boolean FIXED = Boolean.getBoolean("val28.fixed");

    record PartnerEndpoint(String code, String url, String retailer, double[] latencyHistogram) {}
    record Courier(String id, String name, String depot, byte[] vehicleProfile, long since) {}
    record Route(String key, byte[] rendered, long at) {}
    record DeliveryRecord(String partner, String shipmentId, String event, int status, long at) {}

    /** Thrown for every call a breaker rejects; one shared instance without a stack trace. */
    static final class CircuitOpenException extends RuntimeException {
        // the fix: enableSuppression = false (addSuppressed is then a no-op)
        CircuitOpenException() { super("partner endpoint circuit open", null, !FIXED, false); }
    }

    static final class WebhookTimeoutException extends Exception {
        final String partner; final String shipmentId; final long at;
        WebhookTimeoutException(String partner, String url, String shipmentId, int attempt, long at) {
            super("POST " + url + " timed out after 5000 ms (shipment " + shipmentId + ", attempt " + attempt + ")");
            this.partner = partner; this.shipmentId = shipmentId; this.at = at;
        }
    }

    static final CircuitOpenException CIRCUIT_OPEN = new CircuitOpenException();

    static final class CircuitBreaker {
        final String partner; int consecutiveFailures; long openUntil; long trips, rejections;
        CircuitBreaker(String partner) { this.partner = partner; }
    }

    static final class RouteCache extends LinkedHashMap<String, Route> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Route> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PartnerEndpoint> PARTNERS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Courier> couriers = new HashMap<>();
        final Map<String, CircuitBreaker> breakers = new HashMap<>();
        final RouteCache routes = new RouteCache();
        final ArrayDeque<byte[]> payloadBuffers = new ArrayDeque<>();
        final DeliveryRecord[] deliveries = new DeliveryRecord[RING];
        long deliveryCount, failures, rejected, delivered;

        /** Returns the HTTP-ish status recorded for the delivery. */
        int send(PartnerEndpoint p, String shipmentId, long at, boolean timesOut, int attempt) {
            CircuitBreaker b = breakers.get(p.code());
            try {
                if (at < b.openUntil) { b.rejections++; throw CIRCUIT_OPEN; }
                if (timesOut) throw new WebhookTimeoutException(p.code(), p.url(), shipmentId, attempt, at);
                b.consecutiveFailures = 0;
                delivered++;
                return 204;
            } catch (WebhookTimeoutException e) {
                failures++;
                CIRCUIT_OPEN.addSuppressed(e); // BUG: the shared instance accumulates every failure
                if (++b.consecutiveFailures >= TRIP_AFTER) { b.openUntil = at + OPEN_FOR; b.trips++; b.consecutiveFailures = 0; }
                return 504;
            } catch (CircuitOpenException e) {
                rejected++;
                return 503;
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(28_040_001);
        PartnerEndpoint[] partners = new PartnerEndpoint[PARTNERS];
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int k = 0; k < PARTNERS; k++) {
            double[] hist = new double[64];
            for (int j = 0; j < hist.length; j++) hist[j] = rnd.nextDouble();
            String code = "PTN-" + (3_000 + k);
            partners[k] = new PartnerEndpoint(code, "https://hooks.retailer" + k + ".example/shipments", "Retailer " + k, hist);
            PARTNERS_BY_CODE.put(code, partners[k]);
            svc.breakers.put(code, new CircuitBreaker(code));
        }
        String[] depots = {"North", "South", "East", "West", "Central", "Airport"};
        for (int c = 0; c < COURIERS; c++) {
            String id = "CR" + (600_000 + c);
            svc.couriers.put(id, new Courier(id, "Courier " + c, depots[c % depots.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.payloadBuffers.add(new byte[65_536]);
        Random traffic = new Random(28_040_002);
        String[] events = {"picked-up", "in-transit", "out-for-delivery", "delivered", "failed-attempt"};
        boolean[] flaky = new boolean[PARTNERS];
        for (int k = 0; k < PARTNERS; k++) flaky[k] = traffic.nextInt(10) == 0; // one partner in ten has a slow endpoint
        int s504 = 0, s503 = 0, s204 = 0;
        for (int i = 0; i < DELIVERIES; i++) {
            long t = start + (end - start) * i / DELIVERIES;
            int k = traffic.nextInt(PARTNERS);
            String shipmentId = "SHP" + (500_000_000L + i);
            boolean timesOut = traffic.nextInt(100) < (flaky[k] ? 50 : 2);
            int status = svc.send(partners[k], shipmentId, t, timesOut, 1 + traffic.nextInt(3));
            if (status == 504) s504++; else if (status == 503) s503++; else s204++;
            String key = "route-" + traffic.nextInt(6_000);
            if (svc.routes.get(key) == null) svc.routes.put(key, new Route(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.payloadBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.payloadBuffers.add(buf);
            svc.deliveries[(int) (svc.deliveryCount++ % RING)] = new DeliveryRecord(partners[k].code(), shipmentId, events[traffic.nextInt(events.length)], status, t);
        }
        int suppressed = CIRCUIT_OPEN.getSuppressed().length;
        System.out.println((FIXED ? "FIXED " : "") + "partners " + PARTNERS_BY_CODE.size() + " couriers " + svc.couriers.size() + " breakers " + svc.breakers.size() + " deliveries " + svc.deliveryCount + " delivered " + svc.delivered
                + " failures " + svc.failures + " rejected " + svc.rejected + " suppressed on CIRCUIT_OPEN " + suppressed + " routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") pool " + svc.payloadBuffers.size());
        check(PARTNERS_BY_CODE.size() == PARTNERS && svc.couriers.size() == COURIERS && svc.breakers.size() == PARTNERS, "reference data / directory");
        check(svc.failures == s504 && svc.rejected == s503 && svc.delivered == s204 && s504 + s503 + s204 == DELIVERIES, "delivery accounting");
        if (FIXED) check(suppressed == 0, "no suppression on the shared exception");
        else check(suppressed == svc.failures && suppressed > 5_000, "every failure kept: " + suppressed);
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.payloadBuffers.size() == POOL, "pool");
        check(svc.deliveryCount == DELIVERIES && svc.deliveries[RING - 1] != null, "ring");
        LeakCheck.histogram("java.lang.Throwable", "StackTraceElement");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
