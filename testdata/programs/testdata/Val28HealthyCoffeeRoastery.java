// hprofscan-dump: name=val28-healthy-coffeeroastery jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-healthy-coffeeroastery-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), HEALTHY: the order and production service of a specialty
 * coffee roastery. Green-coffee lot reference data, the subscriber directory, per-roaster
 * temperature traces (fixed-size rings of the last two hours, full and wrapping), a label cache at
 * its cap, a pool of label-printing buffers, a ring of recent orders, and a courier-API circuit
 * breaker that throws a shared stackless exception created with suppression disabled, keeping the
 * last 256 failures in a bounded ring for the status page. See VALIDATION28.md.
 */
public final class Val28HealthyCoffeeRoastery {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LOTS = 1_500, SUBSCRIBERS = 25_000, ROASTERS = 12, TRACE = 7_200, LABEL_CAP = 2_500, POOL = 10, RING = 16_384, ORDERS = 60_000, FAILURE_RING = 256, HOURS = 10;

    record GreenLot(String code, String origin, String process, double[] cuppingScores) {}
    record Subscriber(String id, String name, String plan, byte[] preferences, long since) {}
    record Label(String key, byte[] rendered, long at) {}
    record Order(String subscriberId, String lot, int grams, String grind, long at) {}
    record Failure(String orderRef, String message, long at) {}

    static final class CourierUnavailableException extends RuntimeException {
        CourierUnavailableException() { super("courier API circuit open", null, false, false); } // no suppression, no stack trace
    }

    static final CourierUnavailableException COURIER_UNAVAILABLE = new CourierUnavailableException();

    static final class RoasterTrace {
        final String roasterId; final double[] celsius = new double[TRACE]; long samples;
        RoasterTrace(String roasterId) { this.roasterId = roasterId; }
        void add(double c) { celsius[(int) (samples++ % TRACE)] = c; }
    }

    static final class CourierBreaker {
        final Failure[] recentFailures = new Failure[FAILURE_RING];
        long failures, rejected, booked; int consecutive; long openUntil;
        void book(String orderRef, boolean fails, long at) {
            try {
                if (at < openUntil) { rejected++; throw COURIER_UNAVAILABLE; }
                if (fails) {
                    recentFailures[(int) (failures++ % FAILURE_RING)] = new Failure(orderRef, "POST /shipments timed out (order " + orderRef + ")", at);
                    if (++consecutive >= 3) { openUntil = at + 2 * MINUTE; consecutive = 0; }
                    return;
                }
                consecutive = 0; booked++;
            } catch (CourierUnavailableException e) {
                COURIER_UNAVAILABLE.addSuppressed(new IllegalStateException(orderRef)); // no-op: suppression disabled
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, GreenLot> LOTS_BY_CODE = new HashMap<>();

    static final class RoasteryService {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final Map<String, RoasterTrace> traces = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] orders = new Order[RING];
        final CourierBreaker courier = new CourierBreaker();
        long orderCount;
    }

    static RoasteryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(28_060_001);
        String[] origins = {"Ethiopia", "Colombia", "Kenya", "Guatemala", "Brazil", "Rwanda", "Panama", "Sumatra"};
        String[] processes = {"washed", "natural", "honey", "anaerobic"};
        String[] lotCodes = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            double[] scores = new double[100];
            for (int k = 0; k < scores.length; k++) scores[k] = 80 + rnd.nextDouble() * 10;
            String code = "LOT-" + (60_000 + l);
            lotCodes[l] = code;
            LOTS_BY_CODE.put(code, new GreenLot(code, origins[l % origins.length], processes[l % processes.length], scores));
        }
        RoasteryService svc = new RoasteryService();
        SERVICE = svc;
        String[] subscriberIds = new String[SUBSCRIBERS];
        String[] plans = {"weekly", "fortnightly", "monthly"};
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = "SUB" + (900_000 + s);
            subscriberIds[s] = id;
            svc.subscribers.put(id, new Subscriber(id, "Subscriber " + s, plans[s % plans.length], new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int r = 0; r < ROASTERS; r++) svc.traces.put("R" + (r + 1), new RoasterTrace("R" + (r + 1)));
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(28_060_002);
        // roaster probes: one sample per second per roaster over the last 3 hours of the period
        for (RoasterTrace tr : svc.traces.values()) for (int k = 0; k < 3 * 3_600; k++) tr.add(180 + traffic.nextDouble() * 50);
        String[] grinds = {"whole", "espresso", "filter", "french-press"};
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (end - start) * i / ORDERS;
            String sub = subscriberIds[traffic.nextInt(SUBSCRIBERS)];
            String lot = lotCodes[traffic.nextInt(LOTS)];
            String ref = "ORD" + (40_000_000 + i);
            svc.courier.book(ref, traffic.nextInt(100) < 3, t);
            String key = lot + "/" + grinds[traffic.nextInt(grinds.length)] + "/" + traffic.nextInt(3);
            if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
            svc.orders[(int) (svc.orderCount++ % RING)] = new Order(sub, lot, 250 * (1 + traffic.nextInt(4)), grinds[traffic.nextInt(grinds.length)], t);
        }
        CourierBreaker cb = svc.courier;
        System.out.println("lots " + LOTS_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " traces " + svc.traces.size() + " booked " + cb.booked + " failures " + cb.failures + " rejected " + cb.rejected
                + " suppressed " + COURIER_UNAVAILABLE.getSuppressed().length + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.labelBuffers.size() + " orders " + svc.orderCount);
        check(LOTS_BY_CODE.size() == LOTS && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        for (RoasterTrace tr : svc.traces.values()) check(tr.samples == 3 * 3_600 && tr.celsius.length == TRACE, "trace ring");
        check(svc.traces.size() == ROASTERS, "roasters");
        check(cb.booked + cb.failures + cb.rejected == ORDERS && cb.failures > FAILURE_RING && cb.recentFailures[FAILURE_RING - 1] != null && cb.rejected > 0, "courier breaker");
        check(COURIER_UNAVAILABLE.getSuppressed().length == 0, "no suppressed exceptions");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orderCount == ORDERS && svc.orders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
