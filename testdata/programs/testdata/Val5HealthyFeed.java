// hprofscan-dump: name=val5-healthy-feed jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Observable;
import java.util.Observer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), HEALTHY, series of three dumps: a mobile-app backend that
 * assembles users' home feeds. Warming, then plateau: the user profile directory is loaded lazily
 * and is bounded by the 8,000 users (4,000 -> 8,000 -> 8,000), the thumbnail cache fills to its
 * capacity (LRU, 1,500) and stays there. The counterparts of this set's leaks, done right:
 * feed futures registered by request id and removed when they complete (only the in-flight ones
 * remain), a config {@code Observable} with 5 observers registered once at startup, a push retry
 * {@code DelayQueue} whose tasks are dropped after 5 attempts. Reference data: an emoji/sticker
 * table. A ring of the last 4,096 requests. 10,000 -> 30,000 -> 50,000 feed requests.
 * See testdata/VALIDATION5.md.
 */
@SuppressWarnings("deprecation")
public final class Val5HealthyFeed {
    static final int USERS = 8_000;
    static final int FIRST_WAVE_USERS = 4_000;
    static final int THUMBS = 1_500;
    static final int STICKERS = 4_000;
    static final int RING = 4_096;
    static final int OBSERVERS = 5;
    static final int IN_FLIGHT = 6;
    static final int MAX_ATTEMPTS = 5;
    static final int[] REQUESTS_IN_SEGMENT = {10_000, 20_000, 20_000};
    static final long SIM_MILLIS = 4L * 3600_000L;

    static FeedService RUNNING;

    static final class Sticker {
        final String code; final String pack; final byte[] png; final long loadedAt;
        Sticker(String code, String pack, byte[] png, long loadedAt) { this.code = code; this.pack = pack; this.png = png; this.loadedAt = loadedAt; }
    }

    static final class StickerTable {
        static final Map<String, Sticker> STICKERS_BY_CODE = new HashMap<>();
    }

    static final class UserProfile {
        final long userId; final String handle; final String displayName; final List<Long> following = new ArrayList<>(); final long loadedAt;
        UserProfile(long userId, String handle, String displayName, long loadedAt) { this.userId = userId; this.handle = handle; this.displayName = displayName; this.loadedAt = loadedAt; }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ThumbnailCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class FeedPage {
        final long userId; final long[] postIds; final long builtAt;
        FeedPage(long userId, long[] postIds, long builtAt) { this.userId = userId; this.postIds = postIds; this.builtAt = builtAt; }
    }

    static final class RemoteConfig extends Observable {
        final Map<String, String> values = new HashMap<>(); long version;
        void publish(long v) { version = v; setChanged(); notifyObservers(v); }
    }

    static final class ConfigListener implements Observer {
        final String component; long seenVersion;
        ConfigListener(String component) { this.component = component; }
        @Override public void update(Observable o, Object arg) { seenVersion = (Long) arg; }
    }

    static final class PushTask implements Delayed {
        final long userId; final String message; int attempts; long nextAttemptAt; long dueSeq; final long createdAt;
        PushTask(long userId, String message, long createdAt) { this.userId = userId; this.message = message; this.createdAt = createdAt; this.nextAttemptAt = createdAt; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(nextAttemptAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) { return Long.compare(dueSeq, ((PushTask) o).dueSeq); }
    }

    static final class RequestRecord {
        final long userId; final int items; final long at;
        RequestRecord(long userId, int items, long at) { this.userId = userId; this.items = items; this.at = at; }
    }

    static final class FeedService {
        final Map<Long, UserProfile> profiles = new ConcurrentHashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache(THUMBS);
        final Map<Long, CompletableFuture<FeedPage>> inflight = new ConcurrentHashMap<>();
        final RemoteConfig config = new RemoteConfig();
        final DelayQueue<PushTask> pushRetries = new DelayQueue<>();
        final RequestRecord[] recent = new RequestRecord[RING];
        int ringPos; long deadLettered;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        UserProfile profile(long userId, long now) {
            return profiles.computeIfAbsent(userId, id -> { UserProfile p = new UserProfile(id, "@u" + id, "User " + id, now); for (int i = 0; i < 8; i++) p.following.add(id + 1 + i); return p; });
        }

        CompletableFuture<FeedPage> startFeed(long requestId, long userId) {
            CompletableFuture<FeedPage> f = new CompletableFuture<>();
            inflight.put(requestId, f);
            f.whenComplete((p, e) -> inflight.remove(requestId));
            return f;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        FeedService svc = new FeedService();
        RUNNING = svc;
        Random rnd = new Random(5_070_007);
        for (int i = 0; i < STICKERS; i++) {
            byte[] png = new byte[256 + rnd.nextInt(512)];
            rnd.nextBytes(png);
            StickerTable.STICKERS_BY_CODE.put("st" + i, new Sticker("st" + i, "pack" + (i / 40), png, start));
        }
        for (String c : new String[] {"feed-ranker", "ads", "moderation", "push", "thumbnails"}) { ConfigListener l = new ConfigListener(c); svc.config.addObserver(l); }
        svc.config.values.put("feed.size", "30");
        long from = start;
        long requestId = 1;
        int pushCreated = 0;
        List<CompletableFuture<FeedPage>> open = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            long to = System.currentTimeMillis();
            int n = REQUESTS_IN_SEGMENT[d];
            long step = Math.max(1, (to - from) / n);
            for (int i = 0; i < n; i++) {
                long t = from + (to - from) * i / n - 200;
                long user = d == 0 ? 20_000_000L + rnd.nextInt(FIRST_WAVE_USERS)
                        : 20_000_000L + (i < USERS ? (i * 7_919L) % USERS : rnd.nextInt(USERS));
                UserProfile p = svc.profile(user, t);
                CompletableFuture<FeedPage> f = svc.startFeed(requestId++, user);
                open.add(f);
                long[] posts = new long[20];
                for (int j = 0; j < posts.length; j++) posts[j] = 700_000_000L + rnd.nextInt(1_000_000);
                String thumb = "thumb/" + rnd.nextInt(5_000);
                if (svc.thumbnails.get(thumb) == null) { byte[] b = new byte[1_024]; rnd.nextBytes(b); svc.thumbnails.put(thumb, b); }
                svc.recent[svc.ringPos++ % RING] = new RequestRecord(user, posts.length, t);
                // pages complete a few requests later; the last IN_FLIGHT of each segment are still running
                if (open.size() > IN_FLIGHT) open.remove(0).complete(new FeedPage(p.userId, posts, t));
                long seq = requestId;
                if (i % 10 == 0) { PushTask nt = new PushTask(user, "You have new followers", t); nt.dueSeq = seq; svc.pushRetries.offer(nt); pushCreated++; }
                // push retrier: due tasks are retried; a task is dropped after MAX_ATTEMPTS
                PushTask pt;
                while ((pt = svc.pushRetries.peek()) != null && pt.dueSeq <= seq) {
                    svc.pushRetries.remove(pt);
                    pt.attempts++;
                    if (pt.attempts >= MAX_ATTEMPTS) { svc.deadLettered++; continue; }
                    pt.dueSeq = seq + 5L * pt.attempts; // backoff: 5, 10, 15, 20 request intervals
                    pt.nextAttemptAt = t + step * 5 * pt.attempts;
                    svc.pushRetries.offer(pt);
                }
                svc.count("feed.requests");
            }
            svc.config.publish(d + 1);
            int expectUsers = d == 0 ? -1 : USERS;
            System.out.println("dump " + (d + 1) + ": profiles " + svc.profiles.size() + " thumbs " + svc.thumbnails.size() + " inflight " + svc.inflight.size() + " push retries " + svc.pushRetries.size() + " dead-lettered " + svc.deadLettered + " observers " + svc.config.countObservers());
            if (expectUsers > 0) check(svc.profiles.size() == expectUsers, "profiles " + svc.profiles.size());
            else check(svc.profiles.size() == 3_683, "profiles " + svc.profiles.size());
            check(svc.pushRetries.size() == 5, "push retries " + svc.pushRetries.size());
            check(svc.thumbnails.size() == THUMBS, "thumbs");
            check(svc.inflight.size() == IN_FLIGHT, "inflight " + svc.inflight.size());
            check(svc.config.countObservers() == OBSERVERS, "observers");
            check(svc.pushRetries.size() + svc.deadLettered == pushCreated, "push");
            check(StickerTable.STICKERS_BY_CODE.size() == STICKERS, "stickers");
            String path = LeakCheck.seriesPath(args[1], d + 1, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d + 1 < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
