// hprofscan-dump: name=coworking-passes jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=coworking-passes-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=coworking-passes-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=coworking-passes-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The door-access backend of a coworking chain. A day pass ({@code Access.passes}, a
 * {@code ConcurrentHashMap} keyed by its printed code) stays valid until 12 hours after its
 * last swipe; the door readers send raw frames ({@code "SWIPE|R042|PASS-7F3A9C21|..."}) from
 * which each swipe parses the pass code anew (a new {@code String} per swipe, equal to the
 * map's key but never the same object). An expiry index ({@code Expiry { code, deadline }})
 * lets a reaper drop passes in deadline order. Beside them: 240 sites loaded at startup, 12,000
 * members, 900 door readers, an LRU of 1,500 badge photos at its cap, a ring of recent swipes
 * and a pool of frame buffers. Thirty hours of traffic: 420 passes an hour, 4-24 swipes each.
 * <ul>
 * <li>{@code healthy}: every swipe re-arms the pass's entry in {@code Access.index} (a
 * {@code TreeSet}): the old entry is removed by value and one with the new deadline added: one
 * entry per live pass, most passes idle for hours within their 12 hours. No leak.
 * <li>{@code leak}: every swipe adds an entry to {@code Access.queue} (a
 * {@code PriorityQueue}) and never removes the old one; the reaper only drops entries whose
 * deadline has passed: about 14 entries per live pass, each naming it by a code of its own.
 * The leak is {@code Access.queue}; the passes are the same as in the healthy run.
 * </ul>
 * Fixed numbers (printed).
 */
public final class CoworkingPasses {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long TTL = 12 * HOUR;
    static final int PASSES = 12_600, MEMBERS = 12_000, READERS = 900, PHOTO_CAP = 1_500, RING = 8_192;

    record Site(String code, String city, double[] occupancy) {}

    record Member(long id, String name, String company, long joinedAt, byte[] profile) {}

    record Reader(String id, String site, String door, byte[] key) {}

    static final class Pass {
        final String code;
        final long memberId;
        final long issuedAt;
        long lastSwipe;
        int swipes;

        Pass(String code, long memberId, long issuedAt) {
            this.code = code;
            this.memberId = memberId;
            this.issuedAt = issuedAt;
            this.lastSwipe = issuedAt;
        }
    }

    /** An index entry: the pass it expires (by code) and when. */
    static final class Expiry implements Comparable<Expiry> {
        final String code;
        final long deadline;

        Expiry(String code, long deadline) {
            this.code = code;
            this.deadline = deadline;
        }

        @Override
        public int compareTo(Expiry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : code.compareTo(o.code);
        }
    }

    record Swipe(String reader, long at, boolean granted) {}

    static final class Access {
        final boolean leak;
        final Map<Long, Member> members = new HashMap<>();
        final Map<String, Reader> readers = new HashMap<>();
        final Map<String, Pass> passes = new ConcurrentHashMap<>();
        final TreeSet<Expiry> index = new TreeSet<>();
        final PriorityQueue<Expiry> queue = new PriorityQueue<>();
        final Map<Long, byte[]> photos = new LinkedHashMap<>(PHOTO_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
                return size() > PHOTO_CAP;
            }
        };
        final Swipe[] recent = new Swipe[RING];
        long swiped;
        final ArrayDeque<byte[]> frames = new ArrayDeque<>();

        Access(boolean leak) {
            this.leak = leak;
            for (int i = 0; i < 16; i++) frames.push(new byte[8_192]);
        }

        /** A reader's frame: the pass code is parsed out of it, a new String every time. */
        void swipe(byte[] frame, long t) {
            String text = new String(frame, StandardCharsets.US_ASCII);
            String[] parts = text.split("\\|");
            String reader = parts[1];
            String code = parts[2];
            Pass p = passes.get(code);
            recent[(int) (swiped++ % RING)] = new Swipe(readers.get(reader).id(), t, p != null);
            if (p == null) return;
            if (leak) {
                queue.add(new Expiry(code, t + TTL));
            } else {
                index.remove(new Expiry(code, p.lastSwipe + TTL));
                index.add(new Expiry(code, t + TTL));
            }
            p.lastSwipe = t;
            p.swipes++;
            photos.computeIfAbsent(p.memberId, m -> new byte[600 + (int) (m % 400)]);
        }

        /** Drops the index entries due by {@code now}, and the passes unused for the TTL. */
        void reap(long now) {
            if (leak) {
                while (!queue.isEmpty() && queue.peek().deadline <= now) expire(queue.poll().code, now);
            } else {
                while (!index.isEmpty() && index.first().deadline <= now) expire(index.pollFirst().code, now);
            }
        }

        private void expire(String code, long now) {
            Pass p = passes.get(code);
            if (p != null && p.lastSwipe + TTL <= now) passes.remove(code);
        }
    }

    static final Map<String, Site> SITES = new HashMap<>();
    static Access ACCESS;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 30 * HOUR;
        Random rnd = new Random(61_207);
        for (int i = 0; i < 240; i++) {
            double[] occ = new double[168];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "S" + (300 + i);
            SITES.put(code, new Site(code, "City " + (i % 40), occ));
        }
        Access acc = new Access(leak);
        ACCESS = acc;
        for (long id = 1; id <= MEMBERS; id++) {
            long mid = 5_000_000L + id * 13;
            acc.members.put(mid, new Member(mid, "Member " + id, "Company " + rnd.nextInt(2_000),
                    start - rnd.nextInt(1_500) * 24 * HOUR, new byte[150 + rnd.nextInt(250)]));
        }
        for (int i = 0; i < READERS; i++) {
            String id = "R" + (1000 + i);
            acc.readers.put(id, new Reader(id, "S" + (300 + i % 240), "door-" + (i % 7), new byte[64]));
        }
        long live = 0;
        for (int v = 0; v < PASSES; v++) {
            long t = start + (end - start - 30 * MINUTE) * v / PASSES;
            acc.reap(t);
            String code = "PASS-" + Long.toHexString(0x10000000L + rnd.nextInt(0x6fffffff)).toUpperCase();
            if (acc.passes.containsKey(code)) continue;
            Pass p = new Pass(code, 5_000_000L + (1 + rnd.nextInt(MEMBERS)) * 13, t);
            acc.passes.put(code, p);
            if (!leak) acc.index.add(new Expiry(code, t + TTL));
            int swipes = 4 + rnd.nextInt(21);
            for (int s = 0; s < swipes; s++) {
                t += 2 * MINUTE + rnd.nextInt(20 * 60_000);
                String reader = "R" + (1000 + rnd.nextInt(READERS));
                byte[] frame = ("SWIPE|" + reader + "|" + code + "|" + Long.toHexString(t)).getBytes(StandardCharsets.US_ASCII);
                acc.swipe(frame, t);
                if (t + TTL > end) live++;
            }
        }
        acc.reap(end);
        int passes = acc.passes.size();
        int entries = leak ? acc.queue.size() : acc.index.size();
        System.out.println((leak ? "leak" : "healthy") + " passes " + passes + " index entries " + entries + " (swipes with a later deadline: "
                + live + ") photos " + acc.photos.size() + " members " + acc.members.size() + " swipes " + acc.swiped);
        if (leak ? entries != live : entries != passes) throw new IllegalStateException("unexpected index size " + entries);
        if (acc.photos.size() != PHOTO_CAP || passes < 4_000 || passes > 7_000) throw new IllegalStateException("unexpected sizes " + passes);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
