// hprofscan-dump: name=val5-leak-observers jvm="-Xmx256m" variants=mxbean,jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Observable;
import java.util.Observer;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), LEAKING: an Android-like social app process. The signed-in
 * account is a process-wide singleton {@code AccountSession extends java.util.Observable}; every
 * {@code ProfileViewModel} (one per profile screen opened) registers itself with
 * {@code addObserver} and its {@code onCleared()} forgets {@code deleteObserver}. The
 * {@code Observable}'s own {@code Vector} ({@code java.util.Observable.obs}) keeps 1,800 cleared
 * view models (each with its 12 post UI states and a decoded 2 KiB avatar) opened over 3
 * simulated hours ending now, beside the 3 view models of the screens on the back stack and 4
 * app-scoped observers. See testdata/VALIDATION5.md.
 */
@SuppressWarnings("deprecation")
public final class Val5LeakObservers {
    static final int CLEARED_VMS = 1_800;
    static final int LIVE_VMS = 3;
    static final int APP_OBSERVERS = 4;
    static final int POSTS_PER_VM = 12;
    static final int FEED_POSTS = 20_000;
    static final int EMOJI = 3_000;
    static final int IMAGE_CACHE = 200;
    static final int ANALYTICS_MAX = 500;
    static final long SIM_MILLIS = 3L * 3600_000L;

    static SocialApp RUNNING;

    /** Process-wide signed-in account, observed by screens and app services. */
    static final class AccountSession extends Observable {
        static final AccountSession INSTANCE = new AccountSession();
        String userId; String displayName; int unreadCount; long updatedAt;
        void update(int unread, long now) { unreadCount = unread; updatedAt = now; setChanged(); notifyObservers(unread); }
    }

    static final class PostUiState {
        final long postId; final String author; final String excerpt; final int likes; final boolean liked;
        PostUiState(long postId, String author, String excerpt, int likes, boolean liked) { this.postId = postId; this.author = author; this.excerpt = excerpt; this.likes = likes; this.liked = liked; }
    }

    static final class ProfileViewModel implements Observer {
        final String screenId; final long profileUserId; final List<PostUiState> posts = new ArrayList<>(POSTS_PER_VM);
        final byte[] avatarPixels = new byte[2_048]; int unreadBadge; final long createdAt; long clearedAt; boolean cleared;
        ProfileViewModel(String screenId, long profileUserId, long createdAt) { this.screenId = screenId; this.profileUserId = profileUserId; this.createdAt = createdAt; AccountSession.INSTANCE.addObserver(this); }
        @Override public void update(Observable o, Object arg) { unreadBadge = (Integer) arg; }
        void onCleared(long now) { cleared = true; clearedAt = now; /* BUG: no AccountSession.INSTANCE.deleteObserver(this) */ }
    }

    /** App-scoped observers registered once (notification badge, sync, analytics, widget). */
    static final class AppObserver implements Observer {
        final String name; long lastUpdateAt; int updates;
        AppObserver(String name) { this.name = name; }
        @Override public void update(Observable o, Object arg) { updates++; lastUpdateAt = ((AccountSession) o).updatedAt; }
    }

    static final class Post {
        final long id; final long authorId; final String text; final long postedAt; int likes;
        Post(long id, long authorId, String text, long postedAt) { this.id = id; this.authorId = authorId; this.text = text; this.postedAt = postedAt; }
    }

    static final class EmojiTable {
        static final Map<String, String> SHORTCODES = new HashMap<>();
    }

    static final class ImageCache extends LinkedHashMap<String, byte[]> {
        final int maxEntries;
        ImageCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > maxEntries; }
    }

    static final class AnalyticsEvent {
        final String name; final String screen; final long at;
        AnalyticsEvent(String name, String screen, long at) { this.name = name; this.screen = screen; this.at = at; }
    }

    static final class SocialApp {
        final AccountSession session = AccountSession.INSTANCE;
        final Map<Long, Post> feedRepository = new HashMap<>();
        final ImageCache images = new ImageCache(IMAGE_CACHE);
        final ArrayDeque<ProfileViewModel> backStack = new ArrayDeque<>();
        final List<AppObserver> appObservers = new ArrayList<>();
        final List<AnalyticsEvent> analyticsBuffer = new ArrayList<>(ANALYTICS_MAX);
        long analyticsFlushed;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
        void track(String name, String screen, long now) {
            if (analyticsBuffer.size() == ANALYTICS_MAX) { analyticsFlushed += analyticsBuffer.size(); analyticsBuffer.clear(); }
            analyticsBuffer.add(new AnalyticsEvent(name, screen, now));
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        SocialApp app = new SocialApp();
        RUNNING = app;
        Random rnd = new Random(5_040_004);
        AccountSession.INSTANCE.userId = "u-8812734"; AccountSession.INSTANCE.displayName = "Ada";
        for (String n : new String[] {"badge", "sync", "analytics", "widget"}) { AppObserver o = new AppObserver(n); app.appObservers.add(o); AccountSession.INSTANCE.addObserver(o); }
        for (int i = 0; i < EMOJI; i++) EmojiTable.SHORTCODES.put(":e" + i + ":", new String(Character.toChars(0x1F300 + (i % 700))) + i);
        for (int i = 0; i < FEED_POSTS; i++) {
            long id = 990_000_000L + i;
            app.feedRepository.put(id, new Post(id, 5_000_000L + rnd.nextInt(20_000), "Post text number " + i + " about things and stuff #" + rnd.nextInt(1000), start + SIM_MILLIS * i / FEED_POSTS - 3_600_000L));
        }
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        int total = CLEARED_VMS + LIVE_VMS;
        int cleared = 0;
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            long profile = 5_000_000L + rnd.nextInt(20_000);
            ProfileViewModel vm = new ProfileViewModel("profile#" + i, profile, t);
            rnd.nextBytes(vm.avatarPixels);
            for (int j = 0; j < POSTS_PER_VM; j++) {
                Post p = app.feedRepository.get(990_000_000L + rnd.nextInt(FEED_POSTS));
                vm.posts.add(new PostUiState(p.id, "user" + p.authorId, p.text.substring(0, 20), p.likes, false));
            }
            String avatarKey = "avatar/" + profile;
            if (app.images.get(avatarKey) == null) { byte[] img = new byte[4_096]; rnd.nextBytes(img); app.images.put(avatarKey, img); }
            app.track("screen_view", vm.screenId, t);
            app.backStack.push(vm);
            if (app.backStack.size() > LIVE_VMS) {
                ProfileViewModel gone = app.backStack.removeLast();
                // the user navigated back far enough: the screen is destroyed, its view model cleared
                gone.onCleared(t);
                cleared++;
            }
            if (i % 10 == 0) AccountSession.INSTANCE.update(i % 17, t);
            app.count("screen.profile");
        }
        int observers = AccountSession.INSTANCE.countObservers();
        System.out.println("observers " + observers + " cleared " + cleared + " backstack " + app.backStack.size() + " images " + app.images.size() + " analytics " + app.analyticsBuffer.size());
        check(observers == APP_OBSERVERS + total, "observers " + observers);
        check(cleared == CLEARED_VMS, "cleared " + cleared);
        check(app.backStack.size() == LIVE_VMS, "back stack");
        check(app.images.size() == IMAGE_CACHE, "images " + app.images.size());
        check(app.analyticsBuffer.size() <= ANALYTICS_MAX, "analytics");
        check(app.feedRepository.size() == FEED_POSTS && EmojiTable.SHORTCODES.size() == EMOJI, "feed/emoji");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
