// hprofscan-dump: name=val58-healthy-beachresorts-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val58-healthy-beachresorts-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val58-healthy-beachresorts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val58-healthy-beachresorts-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 58 (written blind), HEALTHY: the guest-services API of a group of beach resorts.
 * Resort reference data, the booking directory, a cache of rendered room cards at its cap, a pool of
 * key-card encoder buffers, a ring of recent folio charges (fills during the second stage), a
 * metrics registry keyed by route template (a bounded set of meters), a rate limiter with one token
 * bucket per (client IP, route template) that evicts buckets idle for 10 minutes, and a bounded list
 * of the last 512 request contexts for the diagnostics page. Warms up, then plateaus.
 * See VALIDATION58.md.
 */
public final class Val58HealthyBeachResorts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_EVICT = 10 * MINUTE;
    static final int RESORTS = 1_400, BOOKINGS = 25_000, CARD_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 6_000, DIAG_KEEP = 512, BUCKETS = 24;

    record Resort(String code, String beach, double[] occupancyByWeek) {}
    record Booking(String confirmation, String resortCode, String guest, byte[] preferences, long bookedAt) {}
    record RoomCard(String key, byte[] rendered, long at) {}
    record Charge(String confirmation, String outlet, int cents, long at) {}
    record MeterId(String name, String method, String uri, String status) {}
    record BucketKey(String clientIp, String route) {}
    record RequestContext(String method, String path, String clientIp, long receivedAt, long tookMillis, String status) {}

    static final class Timer {
        long count, totalMillis, maxMillis; final long[] buckets = new long[BUCKETS];
        void record(long ms) { count++; totalMillis += ms; maxMillis = Math.max(maxMillis, ms); buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(ms + 1))]++; }
    }

    static final class TokenBucket {
        final int capacity; final double refillPerMs; double tokens; long lastRefillAt;
        TokenBucket(int capacity, double refillPerMs, long at) { this.capacity = capacity; this.refillPerMs = refillPerMs; this.tokens = capacity; this.lastRefillAt = at; }
        boolean tryAcquire(long at) { tokens = Math.min(capacity, tokens + (at - lastRefillAt) * refillPerMs); lastRefillAt = at; if (tokens >= 1) { tokens -= 1; return true; } return false; }
    }

    static final class RateLimiter {
        final Map<BucketKey, TokenBucket> buckets = new HashMap<>();
        long allowed, rejected, evicted, sweeps; int maxSize;
        boolean allow(String ip, String route, long at) {
            TokenBucket b = buckets.computeIfAbsent(new BucketKey(ip, route), k -> new TokenBucket(20, 20.0 / IDLE_EVICT, at));
            maxSize = Math.max(maxSize, buckets.size());
            if (b.tryAcquire(at)) { allowed++; return true; }
            rejected++; return false;
        }
        void evictIdle(long at) {
            sweeps++;
            for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) if (at - it.next().lastRefillAt > IDLE_EVICT) { it.remove(); evicted++; }
        }
    }

    static final class CardCache extends LinkedHashMap<String, RoomCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RoomCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Resort> RESORTS_BY_CODE = new HashMap<>();

    static final class GuestApi {
        final Map<String, Booking> bookings = new HashMap<>();
        final CardCache roomCards = new CardCache();
        final ArrayDeque<byte[]> keycardBuffers = new ArrayDeque<>();
        final Charge[] recentCharges = new Charge[RING];
        long charges, requests;
        final Map<MeterId, Timer> meters = new HashMap<>();
        final RateLimiter limiter = new RateLimiter();
        final ArrayDeque<RequestContext> recentRequests = new ArrayDeque<>();
        void finish(RequestContext c, String template) {
            requests++;
            meters.computeIfAbsent(new MeterId("http.server.requests", c.method(), template, c.status()), k -> new Timer()).record(c.tookMillis());
            recentRequests.addLast(c);
            if (recentRequests.size() > DIAG_KEEP) recentRequests.removeFirst();
        }
    }

    static GuestApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(58_050_001);
        String[] resortCodes = new String[RESORTS];
        for (int r = 0; r < RESORTS; r++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            resortCodes[r] = "BR-" + (r / 100) + "-" + (r % 100);
            RESORTS_BY_CODE.put(resortCodes[r], new Resort(resortCodes[r], "Beach " + (r / 20), occ));
        }
        GuestApi svc = new GuestApi();
        SERVICE = svc;
        String[] confirmations = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            confirmations[b] = "RSV" + (81_000_000 + b * 13);
            svc.bookings.put(confirmations[b], new Booking(confirmations[b], resortCodes[rnd.nextInt(RESORTS)], "Guest " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.keycardBuffers.add(new byte[32_768]);
        Random traffic = new Random(58_050_002);
        String[] outlets = {"Pool bar", "Spa", "Beach club", "Restaurant", "Minibar", "Water sports"};
        long nextSweep = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextSweep <= t) { svc.limiter.evictIdle(nextSweep); nextSweep += MINUTE; }
            int client = traffic.nextInt(20_000);
            String ip = "10." + (client / 250 % 256) + "." + (client % 250) + "." + (3 + client % 7);
            String conf = confirmations[traffic.nextInt(BOOKINGS)];
            int kind = traffic.nextInt(10);
            String method = kind < 4 ? "POST" : "GET";
            String template = kind < 4 ? "/bookings/{confirmation}/charges" : kind < 7 ? "/bookings/{confirmation}" : kind < 9 ? "/resorts/{code}/rooms" : "/health";
            String path = kind < 4 ? "/bookings/" + conf + "/charges" : kind < 7 ? "/bookings/" + conf : kind < 9 ? "/resorts/" + resortCodes[traffic.nextInt(RESORTS)] + "/rooms" : "/health";
            long took = 2 + traffic.nextInt(300);
            if (!svc.limiter.allow(ip, template, t)) { svc.finish(new RequestContext(method, path, ip, t, 0, "429"), template); continue; }
            svc.finish(new RequestContext(method, path, ip, t, took, traffic.nextInt(40) == 0 ? "404" : "200"), template);
            if (kind < 4) {
                svc.recentCharges[(int) (svc.charges++ % RING)] = new Charge(conf, outlets[traffic.nextInt(outlets.length)], 300 + traffic.nextInt(20_000), t);
                byte[] buf = svc.keycardBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.keycardBuffers.add(buf);
            }
            String key = "card-" + traffic.nextInt(4_000);
            if (svc.roomCards.get(key) == null) svc.roomCards.put(key, new RoomCard(key, new byte[600 + traffic.nextInt(600)], t));
        }
        while (nextSweep <= end) { svc.limiter.evictIdle(nextSweep); nextSweep += MINUTE; }
        RateLimiter l = svc.limiter;
        System.out.println("stage " + stage + " resorts " + RESORTS_BY_CODE.size() + " bookings " + svc.bookings.size() + " requests " + svc.requests + " meters " + svc.meters.size()
                + " buckets " + l.buckets.size() + " (max " + l.maxSize + ", evicted " + l.evicted + ", rejected " + l.rejected + ") diag " + svc.recentRequests.size() + " charges " + svc.charges
                + " cards " + svc.roomCards.size() + " (evicted " + svc.roomCards.evicted + ") pool " + svc.keycardBuffers.size());
        check(RESORTS_BY_CODE.size() == RESORTS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.requests == requests && svc.meters.size() <= 16, "meters by template: " + svc.meters.size());
        check(l.sweeps == hours * 60 && l.buckets.size() < 2_000, "limiter evicts idle buckets: " + l.buckets.size());
        check(svc.recentRequests.size() == DIAG_KEEP, "diagnostics bounded");
        check(svc.roomCards.size() == CARD_CAP && svc.roomCards.evicted > 0, "card cache at cap");
        check(svc.keycardBuffers.size() == POOL, "pool");
        check(stage == 1 ? svc.charges < RING : svc.recentCharges[RING - 1] != null, "charge ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
