// hprofscan-dump: name=val154-leak-marathontracker jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val154-leak-marathontracker-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 154 (written blind), LEAK: the live-tracking service of a city marathon.
 * Timing-mat reference data, the runner directory, a cache of rendered runner pages at its cap, a
 * pool of push-message buffers, a ring of chip reads, and one long-lived RaceFeed per start wave
 * (a subject keeping its observers in an identity set). Every spectator long-poll request
 * subscribes a short-lived SplitWatcher wrapped in a Subscription (equals/hashCode by request id)
 * and, when the request ends, unsubscribes with a new Subscription for the same request id: the
 * identity set does not use equals, so nothing is removed. See VALIDATION154.md.
 */
public final class Val154LeakMarathonTracker {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATS = 1_200, RUNNERS = 30_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, WAVES = 8, REQUESTS_PER_HOUR = 3_000, READS_PER_REQUEST = 3;
    static boolean FIXED;

    record Mat(String code, String race, double[] elevationProfile) {}
    record Runner(String bib, String name, String wave, byte[] emergencyInfo, long registeredAt) {}
    record RunnerPage(String key, byte[] rendered, long at) {}
    record ChipRead(String bib, String matCode, long at) {}

    interface SplitObserver { void onSplits(String wave, long at); }

    /** A spectator's long-poll request waiting for new splits of one runner. */
    static final class SplitWatcher implements SplitObserver {
        final String requestId, bib; final byte[] responseBuffer; final long openedAt; int delivered;
        SplitWatcher(String requestId, String bib, byte[] responseBuffer, long openedAt) { this.requestId = requestId; this.bib = bib; this.responseBuffer = responseBuffer; this.openedAt = openedAt; }
        @Override public void onSplits(String wave, long at) { delivered++; }
    }

    /** A permanent observer: the results board or the commentary desk of a wave. */
    static final class DeskObserver implements SplitObserver {
        final String desk; long updates;
        DeskObserver(String desk) { this.desk = desk; }
        @Override public void onSplits(String wave, long at) { updates++; }
    }

    /** Registration handle; equal by request id (a correct equals, but see RaceFeed). */
    static final class Subscription {
        final String requestId; final SplitObserver observer;
        Subscription(String requestId, SplitObserver observer) { this.requestId = requestId; this.observer = observer; }
        @Override public boolean equals(Object o) { return o instanceof Subscription s && s.requestId.equals(requestId); }
        @Override public int hashCode() { return Objects.hash(requestId); }
    }

    /** The long-lived subject of one start wave. */
    static final class RaceFeed {
        final String wave;
        final Set<Subscription> observers = Collections.newSetFromMap(new IdentityHashMap<>());
        long broadcasts, unsubscribes, removed;
        RaceFeed(String wave) { this.wave = wave; }
        Subscription subscribe(String requestId, SplitObserver o) { Subscription s = new Subscription(requestId, o); observers.add(s); return s; }
        void unsubscribe(Subscription s) { unsubscribes++; if (observers.remove(s)) removed++; }
        void broadcast(long at) { broadcasts++; for (Subscription s : observers) s.observer.onSplits(wave, at); }
    }

    static final class PageCache extends LinkedHashMap<String, RunnerPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RunnerPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Mat> MATS_BY_CODE = new HashMap<>();

    static final class TrackerService {
        final Map<String, Runner> runners = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> pushBuffers = new ArrayDeque<>();
        final ChipRead[] reads = new ChipRead[RING];
        long readCount;
        final Map<String, RaceFeed> feeds = new HashMap<>();

        /** One spectator long-poll: subscribe, wait for the next splits, answer, unsubscribe. */
        void pollSplits(String requestId, Runner r, byte[] buffer, long at) {
            RaceFeed feed = feeds.get(r.wave());
            Subscription sub = feed.subscribe(requestId, new SplitWatcher(requestId, r.bib(), buffer, at));
            // ... the response is written when the feed broadcasts, or on timeout ...
            if (FIXED) feed.unsubscribe(sub); // the fix: remove the very object that was added
            else feed.unsubscribe(new Subscription(requestId, null)); // BUG: an equal wrapper, not the same one
        }
    }

    static TrackerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val154.fixed");
        run(6); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int hours) {
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_040_001);
        String[] matCodes = new String[MATS];
        for (int m = 0; m < MATS; m++) {
            double[] elev = new double[80];
            for (int k = 0; k < elev.length; k++) elev[k] = rnd.nextDouble() * 120;
            matCodes[m] = "MAT-" + (m / 40) + "-" + (m % 40);
            MATS_BY_CODE.put(matCodes[m], new Mat(matCodes[m], "Race " + (m / 40), elev));
        }
        TrackerService svc = new TrackerService();
        SERVICE = svc;
        String[] waves = new String[WAVES];
        for (int w = 0; w < WAVES; w++) {
            waves[w] = "WAVE-" + (char) ('A' + w);
            RaceFeed f = new RaceFeed(waves[w]);
            f.subscribe("desk-results-" + w, new DeskObserver("results board " + waves[w]));
            f.subscribe("desk-commentary-" + w, new DeskObserver("commentary " + waves[w]));
            svc.feeds.put(waves[w], f);
        }
        Runner[] runners = new Runner[RUNNERS];
        for (int r = 0; r < RUNNERS; r++) {
            String bib = Integer.toString(10_000 + r);
            runners[r] = new Runner(bib, "Runner " + r, waves[r % WAVES], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR);
            svc.runners.put(bib, runners[r]);
        }
        for (int b = 0; b < POOL; b++) svc.pushBuffers.add(new byte[32_768]);
        Random traffic = new Random(154_040_002);
        long nextBroadcast = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextBroadcast <= t) { for (RaceFeed f : svc.feeds.values()) f.broadcast(nextBroadcast); nextBroadcast += MINUTE; }
            Runner r = runners[traffic.nextInt(RUNNERS)];
            for (int k = 0; k < READS_PER_REQUEST; k++) svc.reads[(int) (svc.readCount++ % RING)] = new ChipRead(runners[traffic.nextInt(RUNNERS)].bib(), matCodes[traffic.nextInt(MATS)], t);
            svc.pollSplits("sp-" + Long.toHexString(0x3b00_0000L + i), r, new byte[256 + traffic.nextInt(256)], t);
            String key = "page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new RunnerPage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.pushBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pushBuffers.add(buf);
        }
        int observers = 0; long removed = 0, broadcasts = 0;
        for (RaceFeed f : svc.feeds.values()) { observers += f.observers.size(); removed += f.removed; broadcasts += f.broadcasts; }
        System.out.println((FIXED ? "FIXED " : "") + "mats " + MATS_BY_CODE.size() + " runners " + svc.runners.size() + " feeds " + svc.feeds.size() + " observers " + observers + " removed " + removed + " broadcasts " + broadcasts
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.pushBuffers.size() + " reads " + svc.readCount);
        check(MATS_BY_CODE.size() == MATS && svc.runners.size() == RUNNERS && svc.feeds.size() == WAVES, "reference data / directory");
        if (FIXED) check(observers == 2 * WAVES && removed == requests, "only the desks observe");
        else check(observers == 2 * WAVES + requests && removed == 0, "every watcher still subscribed: " + observers);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.pushBuffers.size() == POOL, "pool");
        check(svc.readCount == (long) requests * READS_PER_REQUEST && svc.reads[RING - 1] != null, "ring");
    }
}
