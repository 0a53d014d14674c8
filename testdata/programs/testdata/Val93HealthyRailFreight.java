// hprofscan-dump: name=val93-healthy-railfreight-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val93-healthy-railfreight-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val93-healthy-railfreight jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val93-healthy-railfreight-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 93 (written blind), HEALTHY: the wagon-tracking service of a rail freight operator.
 * Yard reference data, the wagon directory, a cache of rendered consist diagrams at its cap, a pool of
 * telegram decode buffers, a ring of recent wagon positions, per-endpoint sliding-window rate
 * counters of the customer API (one bucket per epoch second, pruned to the 10-minute window with a
 * cutoff in seconds), and the idempotency guard of the wagon-event consumer (a Set of broker message
 * ids, expired after one hour through a queue in arrival order). Warms up, then plateaus.
 * See VALIDATION93.md.
 */
public final class Val93HealthyRailFreight {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long WINDOW_SECONDS = 600, RETENTION_MS = HOUR;
    static final int YARDS = 1_500, WAGONS = 25_000, DIAGRAM_CAP = 2_000, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 8_000, REQUESTS_PER_HOUR = 12_000;
    static final String[] ENDPOINTS = {
        "GET /api/wagons/{number}", "GET /api/wagons/{number}/position", "GET /api/consists/{train}", "GET /api/yards/{code}/inventory",
        "POST /api/bookings", "GET /api/bookings/{id}", "GET /api/eta/{train}", "GET /api/invoices", "GET /api/tariffs",
        "POST /api/damage-reports", "GET /api/customers/{id}/wagons", "GET /api/search"};
    static final int[] WEIGHTS = {20, 18, 10, 8, 4, 8, 12, 3, 3, 2, 7, 5};

    record Yard(String code, String country, double[] dwellHoursByWeek) {}
    record Wagon(String number, String type, String owner, byte[] maintenance, long builtAt) {}
    record ConsistDiagram(String key, byte[] rendered, long at) {}
    record WagonPosition(String wagonNumber, String yardCode, double lat, double lon, long at) {}
    record Seen(String messageId, long at) {}

    static final class Bucket {
        int requests, errors;
        long latencyMicros;
    }

    /** Sliding-window request counter of one endpoint, pruned to the window (keys and cutoff in seconds). */
    static final class RateCounter {
        final String endpoint;
        final TreeMap<Long, Bucket> buckets = new TreeMap<>();
        long requests, bucketsCreated, bucketsPruned;
        RateCounter(String endpoint) { this.endpoint = endpoint; }
        void record(long atMs, long latencyMicros, boolean error) {
            long second = atMs / SECOND;
            Bucket b = buckets.get(second);
            if (b == null) { b = new Bucket(); buckets.put(second, b); bucketsCreated++; }
            b.requests++;
            if (error) b.errors++;
            b.latencyMicros += latencyMicros;
            requests++;
            long cutoff = second - WINDOW_SECONDS;
            while (!buckets.isEmpty() && buckets.firstKey() < cutoff) { buckets.pollFirstEntry(); bucketsPruned++; }
        }
        int inWindow(long nowMs) {
            int n = 0;
            for (Bucket b : buckets.tailMap(nowMs / SECOND - WINDOW_SECONDS, true).values()) n += b.requests;
            return n;
        }
    }

    /** Drops broker redeliveries; forgets ids after an hour. */
    static final class IdempotencyGuard {
        final Set<String> processed = ConcurrentHashMap.newKeySet();
        final ArrayDeque<Seen> arrivals = new ArrayDeque<>();
        long accepted, duplicates, expired;
        boolean firstTime(String id, long at) {
            while (!arrivals.isEmpty() && arrivals.peekFirst().at() < at - RETENTION_MS) { processed.remove(arrivals.pollFirst().messageId()); expired++; }
            if (!processed.add(id)) { duplicates++; return false; }
            arrivals.addLast(new Seen(id, at));
            accepted++;
            return true;
        }
    }

    static final class DiagramCache extends LinkedHashMap<String, ConsistDiagram> {
        long evicted;
        DiagramCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ConsistDiagram> e) { if (size() > DIAGRAM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();

    static final class FreightService {
        final Map<String, Wagon> wagons = new HashMap<>();
        final DiagramCache diagrams = new DiagramCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final WagonPosition[] positions = new WagonPosition[RING];
        long positionsWritten, throttled;
        final Map<String, RateCounter> counters = new LinkedHashMap<>();
        final IdempotencyGuard guard = new IdempotencyGuard();
    }

    static FreightService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours, requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(93_050_001);
        String[] countries = {"DE", "AT", "CH", "PL", "CZ", "NL", "BE", "FR", "IT", "HU"};
        String[] yardCodes = new String[YARDS];
        for (int y = 0; y < YARDS; y++) {
            double[] dwell = new double[64];
            for (int k = 0; k < dwell.length; k++) dwell[k] = rnd.nextDouble() * 48;
            yardCodes[y] = countries[y % countries.length] + "-Y" + (1_000 + y);
            YARDS_BY_CODE.put(yardCodes[y], new Yard(yardCodes[y], countries[y % countries.length], dwell));
        }
        FreightService svc = new FreightService();
        SERVICE = svc;
        String[] types = {"Sgns", "Eanos", "Habbins", "Zacns", "Tadns", "Shimmns", "Rils", "Uacns"};
        String[] numbers = new String[WAGONS];
        for (int w = 0; w < WAGONS; w++) {
            numbers[w] = Long.toString(318_045_000_000L + w * 13L);
            svc.wagons.put(numbers[w], new Wagon(numbers[w], types[w % types.length], "Lessor " + (w % 40), new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        for (String ep : ENDPOINTS) svc.counters.put(ep, new RateCounter(ep));
        int weightSum = 0;
        for (int w : WEIGHTS) weightSum += w;
        Random api = new Random(93_050_002);
        Random feed = new Random(93_050_003);
        // The API requests and the wagon events interleave in time order.
        int r = 0, e = 0;
        long redelivered = 0;
        ArrayDeque<Seen> redeliveries = new ArrayDeque<>(); // broker side: every redelivery 90 s after the original
        int maxGuard = 0;
        while (r < requests || e < events) {
            long tr = r < requests ? start + (end - MINUTE - start) * r / requests : Long.MAX_VALUE;
            long te = e < events ? start + (end - MINUTE - start) * e / events : Long.MAX_VALUE;
            if (tr <= te) {
                int pick = api.nextInt(weightSum), k = 0;
                while (pick >= WEIGHTS[k]) pick -= WEIGHTS[k++];
                RateCounter c = svc.counters.get(ENDPOINTS[k]);
                if (c.inWindow(tr) >= 450) svc.throttled++;
                c.record(tr, 1_500 + api.nextInt(30_000), api.nextInt(100) < 2);
                if (k <= 2 || k == 10) {
                    String key = "consist-" + api.nextInt(4_000);
                    if (svc.diagrams.get(key) == null) svc.diagrams.put(key, new ConsistDiagram(key, new byte[600 + api.nextInt(600)], tr));
                }
                r++;
            } else {
                while (!redeliveries.isEmpty() && redeliveries.peekFirst().at() <= te) {
                    Seen s = redeliveries.pollFirst();
                    redelivered++;
                    if (svc.guard.firstTime(s.messageId(), s.at())) throw new IllegalStateException("redelivery accepted");
                }
                String id = new UUID(feed.nextLong(), feed.nextLong()).toString();
                if (!svc.guard.firstTime(id, te)) throw new IllegalStateException("fresh event dropped");
                if (feed.nextInt(100) < 2 && te + 90 * SECOND < end - MINUTE) redeliveries.addLast(new Seen(id, te + 90 * SECOND));
                maxGuard = Math.max(maxGuard, svc.guard.processed.size());
                Wagon w = svc.wagons.get(numbers[feed.nextInt(WAGONS)]);
                svc.positions[(int) (svc.positionsWritten++ % RING)] = new WagonPosition(w.number(), yardCodes[feed.nextInt(YARDS)], 45 + feed.nextDouble() * 10, 5 + feed.nextDouble() * 15, te);
                byte[] buf = svc.decodeBuffers.poll();
                buf[e % buf.length] = (byte) e;
                svc.decodeBuffers.add(buf);
                e++;
            }
        }
        yardCodes = null; numbers = null; // the id arrays of the simulation are not part of the service
        while (!redeliveries.isEmpty()) {
            Seen s = redeliveries.pollFirst();
            redelivered++;
            if (svc.guard.firstTime(s.messageId(), s.at())) throw new IllegalStateException("redelivery accepted");
        }
        long buckets = 0, pruned = 0, created = 0, counted = 0;
        StringBuilder per = new StringBuilder();
        for (RateCounter c : svc.counters.values()) { buckets += c.buckets.size(); pruned += c.bucketsPruned; created += c.bucketsCreated; counted += c.requests; per.append(' ').append(c.buckets.size()); }
        IdempotencyGuard g = svc.guard;
        System.out.println("stage " + stage + " yards " + YARDS_BY_CODE.size() + " wagons " + svc.wagons.size() + " buckets " + buckets + " (created " + created + ", pruned " + pruned + ") per endpoint" + per + " requests " + counted
                + " throttled " + svc.throttled + " guard " + g.processed.size() + " ids (accepted " + g.accepted + ", duplicates " + g.duplicates + ", expired " + g.expired + ", max " + maxGuard + ") positions " + svc.positionsWritten
                + " diagrams " + svc.diagrams.size() + " (evicted " + svc.diagrams.evicted + ") pool " + svc.decodeBuffers.size());
        check(YARDS_BY_CODE.size() == YARDS && svc.wagons.size() == WAGONS, "reference data / directory");
        check(counted == requests && buckets == created - pruned && buckets <= ENDPOINTS.length * (WINDOW_SECONDS + 1), "counters pruned to the window: " + buckets);
        check(g.accepted == events && g.duplicates == redelivered && g.processed.size() == g.arrivals.size() && g.processed.size() == g.accepted - g.expired && g.processed.size() <= EVENTS_PER_HOUR * 61 / 60, "guard keeps the last hour: " + g.processed.size());
        check(svc.positionsWritten == events && svc.positions[(int) Math.min(events, RING) - 1] != null, "ring");
        check(svc.diagrams.size() == DIAGRAM_CAP && svc.diagrams.evicted > 0, "diagram cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
