// hprofscan-dump: name=val109-leak-pollenalerts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val109-leak-pollenalerts-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 109 (written blind), LEAK: the alerting service of a pollen-forecast provider.
 * Users subscribe to alerts for a postcode district and an allergen; each subscription schedules
 * its daily digest with scheduleAtFixedRate on the shared alert scheduler (2 threads, remove-on-
 * cancel policy set) and keeps the ScheduledFuture in the subscription. Unsubscribing removes the
 * subscription from the directory but never cancels the future, so the scheduler's work queue keeps
 * a digest task, and through it the whole subscription (its week of hourly readings, its push
 * template, its device token), for every subscription ever made. Ordinary components beside it:
 * postcode-district forecast reference data, the user directory, a cache of map tiles at its cap,
 * a pool of push buffers, a ring of sent pushes, the push backlog, three housekeeping tasks.
 * See VALIDATION109.md.
 */
public final class Val109LeakPollenAlerts {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DISTRICTS = 1_300, USERS = 20_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SUBSCRIBES_PER_MINUTE = 15,
            PUSH_LAG_MINUTES = 3;
    static final String[] ALLERGENS = {"grass", "birch", "alder", "hazel", "oak", "plane", "nettle", "ragweed", "mugwort", "mould-spores"};
    static boolean FIXED;

    record District(String code, String town, float[] fourDayForecast) {}
    record AlertUser(String userId, String email, byte[] preferences, long joinedAt) {}
    record MapTile(String key, byte[] png, long renderedAt) {}
    record SentPush(String subscriptionId, String allergen, int level, long sentAt) {}
    record QueuedPush(String deviceToken, String body, long queuedAt) {}

    static final class AlertSubscription {
        final String id, userId, district, allergen, deviceToken;
        final int threshold;
        final long createdAt;
        final short[] lastWeekHourly = new short[168];
        final byte[] pushTemplate;
        ScheduledFuture<?> digest;
        long pushes;

        AlertSubscription(String id, String userId, String district, String allergen, String deviceToken, int threshold, long createdAt, byte[] pushTemplate) {
            this.id = id; this.userId = userId; this.district = district; this.allergen = allergen; this.deviceToken = deviceToken;
            this.threshold = threshold; this.createdAt = createdAt; this.pushTemplate = pushTemplate;
        }
    }

    /** The daily digest of one subscription. */
    static final class DigestTask implements Runnable {
        final AlertSubscription sub;
        final AlertService service;
        DigestTask(AlertSubscription sub, AlertService service) { this.sub = sub; this.service = service; }
        @Override public void run() { service.sendDigest(sub, System.currentTimeMillis()); }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class AlertService {
        final Map<String, AlertUser> users = new HashMap<>();
        final String[] userIds = new String[USERS];
        final Map<String, AlertSubscription> subscriptions = new ConcurrentHashMap<>();
        final ScheduledThreadPoolExecutor scheduler;
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> pushBuffers = new ArrayDeque<>();
        final SentPush[] sent = new SentPush[RING];
        final ArrayDeque<QueuedPush> pushBacklog = new ArrayDeque<>();
        long subscribed, unsubscribed, pushesSent, pushesDelivered, digests;

        AlertService() {
            AtomicInteger n = new AtomicInteger();
            scheduler = new ScheduledThreadPoolExecutor(2, r -> new Thread(r, "pollen-alerts-" + n.incrementAndGet()));
            scheduler.setRemoveOnCancelPolicy(true);
        }

        void subscribe(AlertSubscription s, Random r) {
            subscriptions.put(s.id, s);
            long firstDigest = 15 * MINUTE + r.nextInt(23 * 60) * MINUTE; // the user's chosen hour, from tomorrow
            s.digest = scheduler.scheduleAtFixedRate(new DigestTask(s, this), firstDigest, DAY, TimeUnit.MILLISECONDS);
            subscribed++;
        }

        void unsubscribe(String id) {
            AlertSubscription s = subscriptions.remove(id);
            if (s == null) return;
            unsubscribed++;
            if (FIXED) s.digest.cancel(false); // BUG: without the fix the digest task stays scheduled
        }

        void sendDigest(AlertSubscription s, long t) { digests++; queuePush(s, 0, t); }

        void queuePush(AlertSubscription s, int level, long t) {
            byte[] buf = pushBuffers.poll();
            System.arraycopy(s.pushTemplate, 0, buf, 0, Math.min(64, s.pushTemplate.length));
            pushBuffers.add(buf);
            pushBacklog.addLast(new QueuedPush(s.deviceToken, "Pollen alert: " + s.allergen + " level " + level + " in " + s.district, t));
            sent[(int) (pushesSent++ % RING)] = new SentPush(s.id, s.allergen, level, t);
            s.pushes++;
        }

        MapTile tile(String district, String allergen, long t, Random r) {
            String key = district + "/" + allergen + "/" + (t / HOUR);
            MapTile tile = tiles.get(key);
            if (tile == null) tiles.put(key, tile = new MapTile(key, new byte[400 + r.nextInt(400)], t));
            return tile;
        }
    }

    record Unsubscribe(long at, String id) {}

    static AlertService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(109_040_001);
        String[] districts = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            float[] f = new float[96];
            for (int h = 0; h < f.length; h++) f[h] = rnd.nextFloat() * 9;
            districts[d] = (char) ('A' + d % 23) + "" + (char) ('A' + d / 23 % 26) + (1 + d % 31);
            DISTRICTS_BY_CODE.put(districts[d], new District(districts[d], "Town " + (d % 410), f));
        }
        AlertService svc = new AlertService();
        SERVICE = svc;
        svc.scheduler.scheduleAtFixedRate(() -> { }, 20, 20, TimeUnit.MINUTES);   // forecast refresh
        svc.scheduler.scheduleWithFixedDelay(() -> { }, 1, 6, TimeUnit.HOURS);    // expired device-token cleanup
        svc.scheduler.scheduleAtFixedRate(() -> { }, 5, 5, TimeUnit.MINUTES);     // metrics flush
        for (int u = 0; u < USERS; u++) {
            svc.userIds[u] = "PU" + (3_300_000 + u * 9);
            svc.users.put(svc.userIds[u], new AlertUser(svc.userIds[u], "user" + (3_300_000 + u * 9) + "@mail.example", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pushBuffers.add(new byte[32_768]);

        Random subs = new Random(109_040_002), forecasts = new Random(109_040_003), tiles = new Random(109_040_004);
        PriorityQueue<Unsubscribe> pending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!pending.isEmpty() && pending.peek().at() <= t) svc.unsubscribe(pending.poll().id());
            for (int k = 0; k < SUBSCRIBES_PER_MINUTE; k++) {
                String id = "SUB-" + (61_000_000 + seq++);
                String user = svc.userIds[subs.nextInt(USERS)];
                AlertSubscription s = new AlertSubscription(id, user, districts[subs.nextInt(DISTRICTS)], ALLERGENS[subs.nextInt(ALLERGENS.length)],
                        Long.toHexString(subs.nextLong()) + Long.toHexString(subs.nextLong()) + Long.toHexString(subs.nextLong()), 3 + subs.nextInt(5), t + k * 4 * SECOND,
                        new byte[256 + subs.nextInt(256)]);
                for (int h = 0; h < s.lastWeekHourly.length; h++) s.lastWeekHourly[h] = (short) subs.nextInt(900);
                svc.subscribe(s, subs);
                if (subs.nextInt(100) < 78) pending.add(new Unsubscribe(s.createdAt + (5 + subs.nextInt(295)) * MINUTE, id));
            }
            if ((t - start) % (20 * MINUTE) == 18 * MINUTE) { // forecast run: alert the subscriptions over their threshold
                for (AlertSubscription s : svc.subscriptions.values()) {
                    int level = forecasts.nextInt(10);
                    if (level >= s.threshold + 3) { svc.tile(s.district, s.allergen, t, tiles); svc.queuePush(s, level, t); }
                }
            }
            while (!svc.pushBacklog.isEmpty() && svc.pushBacklog.peekFirst().queuedAt() <= t - PUSH_LAG_MINUTES * MINUTE) {
                svc.pushBacklog.pollFirst();
                svc.pushesDelivered++;
            }
            for (int k = 0; k < 8; k++) svc.tile(districts[tiles.nextInt(DISTRICTS)], ALLERGENS[tiles.nextInt(ALLERGENS.length)], t, tiles);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the scheduler's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val109.fixed");
        simulate();
        AlertService svc = SERVICE;
        int queued = svc.scheduler.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "districts " + DISTRICTS_BY_CODE.size() + " users " + svc.users.size() + " subscribed " + svc.subscribed + " unsubscribed " + svc.unsubscribed
                + " active " + svc.subscriptions.size() + " scheduler queue " + queued + " threads " + svc.scheduler.getPoolSize() + " digests run " + svc.digests + " pushes " + svc.pushesSent
                + " backlog " + svc.pushBacklog.size() + " (delivered " + svc.pushesDelivered + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.pushBuffers.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.users.size() == USERS, "reference data / directory");
        check(svc.subscribed == (long) SUBSCRIBES_PER_MINUTE * HOURS * 60 && svc.subscribed == svc.unsubscribed + svc.subscriptions.size(), "subscriptions");
        check(svc.unsubscribed == 5_119, "unsubscribed " + svc.unsubscribed);
        check(queued == 3 + svc.subscriptions.size() + (FIXED ? 0 : svc.unsubscribed) && svc.digests == 0, "scheduler queue " + queued);
        check(svc.scheduler.getPoolSize() == 2, "scheduler threads");
        check(svc.pushBacklog.size() == 782 && svc.pushesSent == svc.pushesDelivered + svc.pushBacklog.size() && svc.sent[RING - 1] != null, "pushes");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.pushBuffers.size() == POOL, "push buffer pool");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
