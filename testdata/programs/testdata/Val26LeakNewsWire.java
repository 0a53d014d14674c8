// hprofscan-dump: name=val26-leak-newswire-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val26-leak-newswire-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val26-leak-newswire jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-leak-newswire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 26 (written blind), LEAK: the distribution service of a news agency's wire.
 * Agency reference data, the subscriber directory, a story cache at its cap, a pool of encode
 * buffers, a ring of wire items, and a delivery tracker counting delivery attempts per wire
 * sequence number. The bug: the tracker's int[] is indexed by (seq - firstSeq) and grown by
 * doubling with Arrays.copyOf; it is never rebased to the oldest unacknowledged message, so it
 * keeps growing with every message ever sent. Series: 2 h / 4 h / 8 h. See VALIDATION26.md.
 */
public final class Val26LeakNewsWire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int AGENCIES = 1_500, SUBSCRIBERS = 20_000, STORY_CAP = 3_000, POOL = 8, RING = 16_384, WINDOW = 65_536, PER_HOUR = 150_000;
    static boolean FIXED;

    record Agency(String code, String country, double[] tariffCurve) {}
    record Subscriber(String id, String outlet, String feed, byte[] filters, long since) {}
    record Story(String slug, String headline, byte[] body, long at) {}
    record WireItem(long seq, String slug, String agency, int priority, long at) {}

    static final class StoryCache extends LinkedHashMap<String, Story> {
        long evicted;
        StoryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Story> e) { if (size() > STORY_CAP) { evicted++; return true; } return false; }
    }

    static final class DeliveryTracker {
        final long firstSeq;
        int[] attempts = new int[1_024];
        long base, highestAcked, grows;
        DeliveryTracker(long firstSeq) { this.firstSeq = firstSeq; this.base = firstSeq; if (FIXED) attempts = new int[WINDOW]; }
        void sent(long seq) {
            if (FIXED) { attempts[(int) (seq % WINDOW)] = 1; return; } // fixed: a window rebased as acks move
            int idx = (int) (seq - firstSeq);
            if (idx >= attempts.length) { attempts = Arrays.copyOf(attempts, attempts.length * 2); grows++; } // BUG: never rebased
            attempts[idx]++;
        }
        void retried(long seq) { if (FIXED) attempts[(int) (seq % WINDOW)]++; else attempts[(int) (seq - firstSeq)]++; }
        void acked(long seq) { highestAcked = Math.max(highestAcked, seq); }
    }

    static final Map<String, Agency> AGENCIES_BY_CODE = new HashMap<>();

    static final class WireService {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final StoryCache stories = new StoryCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final WireItem[] items = new WireItem[RING];
        DeliveryTracker tracker;
        long itemCount;
    }

    static WireService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val26.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int total = hours * PER_HOUR;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_020_001);
        for (int a = 0; a < AGENCIES; a++) {
            double[] curve = new double[120];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 50;
            String code = "AG" + (1_000 + a);
            AGENCIES_BY_CODE.put(code, new Agency(code, "C" + (a % 190), curve));
        }
        WireService svc = new WireService();
        SERVICE = svc;
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = "SUB-" + (400_000 + s);
            svc.subscribers.put(id, new Subscriber(id, "Outlet " + s, "F" + (s % 40), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.encodeBuffers.add(new byte[65_536]);
        long firstSeq = 9_000_000_000L;
        svc.tracker = new DeliveryTracker(firstSeq);
        Random traffic = new Random(26_020_002);
        for (int i = 0; i < total; i++) {
            long t = start + (end - start) * i / total;
            long seq = firstSeq + i;
            String slug = "story-" + traffic.nextInt(40_000);
            svc.tracker.sent(seq);
            if (traffic.nextInt(50) == 0) svc.tracker.retried(seq);
            svc.tracker.acked(seq);
            if ((i & 15) == 0) {
                Story st = svc.stories.get(slug);
                if (st == null) svc.stories.put(slug, new Story(slug, "Headline " + slug, new byte[800 + traffic.nextInt(800)], t));
            }
            byte[] buf = svc.encodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encodeBuffers.add(buf);
            svc.items[(int) (svc.itemCount++ % RING)] = new WireItem(seq, slug, "AG" + (1_000 + traffic.nextInt(AGENCIES)), traffic.nextInt(5), t);
        }
        int len = svc.tracker.attempts.length;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " agencies " + AGENCIES_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " items " + svc.itemCount
                + " tracker.attempts length " + len + " (grows " + svc.tracker.grows + ") stories " + svc.stories.size() + " (evicted " + svc.stories.evicted + ") pool " + svc.encodeBuffers.size());
        check(AGENCIES_BY_CODE.size() == AGENCIES && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        int expected = 1_024;
        while (expected < total) expected *= 2;
        check(len == (FIXED ? WINDOW : expected), "tracker length " + len);
        check(svc.tracker.highestAcked == firstSeq + total - 1, "acks");
        check(svc.stories.size() == STORY_CAP && svc.stories.evicted > 0, "story cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.itemCount == total && svc.items[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
