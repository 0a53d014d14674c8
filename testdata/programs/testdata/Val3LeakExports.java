// hprofscan-dump: name=val3-leak-exports-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), LEAKING: a user-profile service with a "download my data"
 * feature.
 *
 * <p>{@code POST /me/export} renders the user's session history into a zip-like byte array and
 * parks it in {@code SessionExportStore.EXPORTS}, a static {@code Map<String, byte[]>} keyed by
 * {@code "<userId>/<exportId UUID>"}, so that the browser can fetch it with the link in the
 * notification e-mail. The download handler removes the entry once fetched; nothing else ever
 * does (no TTL, no cap), and most users never click the link. 1,800 exports over a day, 540
 * downloaded: 1,260 entries, 4 to 12 KiB each. The values are bare {@code byte[]}: no timestamp
 * anywhere.
 *
 * <p>Healthy beside it: a profile directory (20,000 users with preferences, the largest structure),
 * i18n message bundles (reference data, 30,000 strings), an avatar cache that is also a
 * {@code Map<Long, byte[]>} but a FIFO capped at 800, per-thread 32 KiB render buffers in a
 * ThreadLocal on a fixed pool of 4, metrics. See testdata/VALIDATION3.md.
 */
public final class Val3LeakExports {
    static final int USERS = 20_000;
    static final int MESSAGES = 30_000;
    static final int EXPORTS = 1_800;
    static final int DOWNLOAD_EVERY = 10; // 3 of every 10 exports are downloaded
    static final int AVATAR_CAP = 800;
    static final int WORKERS = 4;

    static ProfileService RUNNING;

    /** Reference data: message bundles by "locale:key", loaded at startup. */
    static final class Messages {
        static final Map<String, String> BUNDLE = new HashMap<>();
        static void load() {
            String[] locales = {"en", "de", "fr", "es", "it", "nl"};
            for (int i = 0; i < MESSAGES; i++) {
                String loc = locales[i % locales.length];
                BUNDLE.put(loc + ":profile.msg." + (i / locales.length), "Translated message " + i + " for " + loc + " users of the profile page");
            }
        }
    }

    /** Exports waiting to be downloaded. */
    static final class SessionExportStore {
        static final Map<String, byte[]> EXPORTS = new HashMap<>();
    }

    static final class UserProfile {
        final long userId; final String displayName; final String email; final Map<String, String> preferences; final List<String> roles;
        UserProfile(long userId, String displayName, String email, Map<String, String> preferences, List<String> roles) {
            this.userId = userId; this.displayName = displayName; this.email = email; this.preferences = preferences; this.roles = roles;
        }
    }

    static final class ProfileDirectory {
        final Map<Long, UserProfile> byUserId = new ConcurrentHashMap<>();
    }

    /** FIFO avatar thumbnails, capped. */
    static final class AvatarCache {
        final Map<Long, byte[]> thumbnails = new HashMap<>();
        final ArrayDeque<Long> order = new ArrayDeque<>();
        final int capacity;
        AvatarCache(int capacity) { this.capacity = capacity; }
        byte[] get(long userId) {
            byte[] b = thumbnails.get(userId);
            if (b == null) {
                b = new byte[2_048];
                b[0] = (byte) userId;
                thumbnails.put(userId, b);
                order.add(userId);
                if (order.size() > capacity) thumbnails.remove(order.poll());
            }
            return b;
        }
    }

    static final class RenderWorkers {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
        final ExecutorService pool;
        RenderWorkers() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory f = r -> {
                Thread t = new Thread(r, "profile-render-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(WORKERS, f);
        }
    }

    static final class ProfileService {
        final ProfileDirectory directory = new ProfileDirectory();
        final AvatarCache avatars = new AvatarCache(AVATAR_CAP);
        final RenderWorkers render = new RenderWorkers();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        String requestExport(UserProfile u, Random rnd) throws Exception {
            int size = 4_096 + rnd.nextInt(8_193);
            Future<byte[]> f = render.pool.submit(() -> {
                byte[] scratch = RenderWorkers.SCRATCH.get();
                for (int i = 0; i < scratch.length; i += 512) scratch[i] = (byte) u.userId;
                byte[] zip = new byte[size];
                System.arraycopy(scratch, 0, zip, 0, Math.min(size, scratch.length));
                zip[0] = 'P'; zip[1] = 'K';
                return zip;
            });
            String key = u.userId + "/" + new UUID(rnd.nextLong(), rnd.nextLong());
            SessionExportStore.EXPORTS.put(key, f.get());
            count("export.created");
            return key;
        }

        byte[] download(String key) {
            count("export.downloaded");
            return SessionExportStore.EXPORTS.remove(key);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static ProfileService build() throws Exception {
        ProfileService svc = new ProfileService();
        Messages.load();
        String[] themes = {"dark", "light", "system"};
        for (int i = 0; i < USERS; i++) {
            long id = 3_000_000L + i;
            Map<String, String> prefs = new HashMap<>();
            prefs.put("theme", themes[i % 3]);
            prefs.put("locale", i % 2 == 0 ? "en-GB" : "de-DE");
            prefs.put("newsletter", i % 5 == 0 ? "weekly" : "never");
            svc.directory.byUserId.put(id, new UserProfile(id, "User " + i, "user" + i + "@example.net", prefs, List.of("user")));
        }
        // warm every render thread's scratch buffer
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        Future<?>[] warm = new Future<?>[WORKERS];
        for (int i = 0; i < WORKERS; i++) warm[i] = svc.render.pool.submit(() -> { RenderWorkers.SCRATCH.get(); barrier.await(); return null; });
        for (Future<?> f : warm) f.get();

        Random rnd = new Random(1_234_567);
        for (int i = 0; i < 50_000; i++) svc.avatars.get(3_000_000L + rnd.nextInt(USERS));
        int downloaded = 0;
        for (int e = 0; e < EXPORTS; e++) {
            UserProfile u = svc.directory.byUserId.get(3_000_000L + rnd.nextInt(USERS));
            String key = svc.requestExport(u, rnd);
            if (e % DOWNLOAD_EVERY < 3) {
                if (svc.download(key) == null) throw new IllegalStateException("lost export");
                downloaded++;
            }
        }
        check(SessionExportStore.EXPORTS.size() == EXPORTS - downloaded && downloaded == 540, "exports " + SessionExportStore.EXPORTS.size());
        check(svc.avatars.thumbnails.size() == AVATAR_CAP && svc.avatars.order.size() == AVATAR_CAP, "avatars " + svc.avatars.thumbnails.size());
        check(svc.directory.byUserId.size() == USERS && Messages.BUNDLE.size() == MESSAGES, "reference data");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
