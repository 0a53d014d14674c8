// hprofscan-dump: name=val88-leak-rfidportals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val88-leak-rfidportals-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 88 (written blind), LEAK: the read-ingest service of a logistics operator's RFID
 * dock-door portals. Dock-door reference data, the directory of tagged assets, a cache of rendered
 * asset-location pages at its cap, a pool of frame-decode buffers, a per-thread decode scratch
 * buffer, a ring of recent tag reads, and an idempotency filter: the broker delivers reads at least
 * once, so the consumer marks each read's sequence number (the topic's global offset, which advances
 * for every site's reads, not just this site's) in a java.util.BitSet of "already processed" flags
 * indexed by (offset - first offset seen). The index only ever increases, so the BitSet's long[]
 * grows with the highest offset ever seen. See VALIDATION88.md.
 */
public final class Val88LeakRfidPortals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DOORS = 1_200, ASSETS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, READS_PER_HOUR = 6_000, HOURS = 10;
    static final int WINDOW = 1 << 22; // the fix: offsets more than 4,194,304 behind the newest are never redelivered
    static boolean FIXED;

    record DockDoor(String code, String site, double[] throughputByHour) {}
    record Asset(String epc, String ownerCode, String kind, byte[] manifest, long taggedAt) {}
    record LocationPage(String key, byte[] rendered, long at) {}
    record TagRead(long offset, String epc, String doorCode, int antenna, int rssi, long at) {}

    /** Idempotency filter: one bit per topic offset since the first one seen. */
    static final class ProcessedFilter {
        BitSet processed = new BitSet();
        long base = -1, accepted, duplicates, rebases;
        /** Returns true if the read at this offset was not processed before (and marks it). */
        boolean firstTime(long offset) {
            if (base < 0) base = offset;
            long idx = offset - base;
            if (FIXED && idx >= WINDOW) { // rebase: keep only the newest half window
                int shift = (int) (idx - WINDOW / 2);
                processed = processed.get(shift, Math.max(shift, processed.length()));
                base += shift;
                idx -= shift;
                rebases++;
            }
            if (idx < 0) { duplicates++; return false; } // older than the window: long processed
            if (processed.get((int) idx)) { duplicates++; return false; }
            processed.set((int) idx); // BUG: idx grows with every offset of the topic; nothing ever drops the old bits
            accepted++;
            return true;
        }
    }

    static final class PageCache extends LinkedHashMap<String, LocationPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LocationPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DockDoor> DOORS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> DECODE_SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class ReadIngest {
        final Map<String, Asset> assets = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final TagRead[] recent = new TagRead[RING];
        long booked;
        final ProcessedFilter filter = new ProcessedFilter();
    }

    static ReadIngest SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val88.fixed");
        int reads = READS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(88_030_001);
        String[] doorCodes = new String[DOORS];
        for (int d = 0; d < DOORS; d++) {
            double[] tp = new double[64];
            for (int k = 0; k < tp.length; k++) tp[k] = rnd.nextDouble() * 250;
            doorCodes[d] = "DD-" + (d / 40) + "-" + (d % 40);
            DOORS_BY_CODE.put(doorCodes[d], new DockDoor(doorCodes[d], "Site " + (d / 40), tp));
        }
        ReadIngest svc = new ReadIngest();
        SERVICE = svc;
        String[] epcs = new String[ASSETS];
        String[] kinds = {"pallet", "roll-cage", "tote", "container", "trailer"};
        for (int a = 0; a < ASSETS; a++) {
            epcs[a] = "urn:epc:id:sgtin:0614141." + (100_000 + a / 50) + "." + (a % 50);
            svc.assets.put(epcs[a], new Asset(epcs[a], "OWN-" + (a % 700), kinds[a % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(88_030_002);
        ProcessedFilter f = svc.filter;
        long offset = 7_340_118_000L;
        long[] lastOffsets = new long[256];
        int delivered = 0, redelivered = 0;
        for (int i = 0; i < reads; i++) {
            long t = start + (end - MINUTE - start) * i / reads;
            // the topic carries every site's reads: this site's next read is 1..1,599 offsets later
            offset += 1 + traffic.nextInt(1_599);
            lastOffsets[i & 255] = offset;
            process(svc, offset, epcs[traffic.nextInt(ASSETS)], doorCodes[traffic.nextInt(DOORS)], traffic, t, i);
            delivered++;
            if (i >= 256 && traffic.nextInt(40) == 0) { // at-least-once: a recent read is delivered again
                process(svc, lastOffsets[traffic.nextInt(256)], epcs[traffic.nextInt(ASSETS)], doorCodes[traffic.nextInt(DOORS)], traffic, t, i);
                redelivered++;
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "doors " + DOORS_BY_CODE.size() + " assets " + svc.assets.size() + " delivered " + delivered + " redelivered " + redelivered + " accepted " + f.accepted
                + " duplicates " + f.duplicates + " first offset " + (FIXED ? "(rebased " + f.rebases + "x) " : "") + f.base + " last offset " + offset + " bitset bits " + f.processed.size() + " length " + f.processed.length()
                + " cardinality " + f.processed.cardinality() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.frameBuffers.size() + " booked " + svc.booked);
        check(DOORS_BY_CODE.size() == DOORS && svc.assets.size() == ASSETS, "reference data / directory");
        check(f.accepted == reads && f.duplicates == redelivered && svc.booked == reads, "dedup: " + f.duplicates);
        if (FIXED) check(f.processed.size() <= WINDOW && f.rebases > 0, "filter bounded to the window");
        else check(f.processed.length() == offset - f.base + 1 && f.processed.cardinality() == reads, "filter covers every offset since start: " + f.processed.length());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "read ring");
        LeakCheck.histogram("java.util.BitSet", "[J (", "[I (", "[B (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void process(ReadIngest svc, long offset, String epc, String door, Random traffic, long t, int i) {
        byte[] scratch = DECODE_SCRATCH.get();
        scratch[i % scratch.length] = (byte) offset;
        byte[] buf = svc.frameBuffers.poll();
        buf[i % buf.length] = (byte) i;
        svc.frameBuffers.add(buf);
        if (!svc.filter.firstTime(offset)) return;
        svc.recent[(int) (svc.booked++ % RING)] = new TagRead(offset, epc, door, 1 + traffic.nextInt(4), -40 - traffic.nextInt(40), t);
        String key = "loc-" + traffic.nextInt(5_000);
        if (svc.pages.get(key) == null) svc.pages.put(key, new LocationPage(key, new byte[500 + traffic.nextInt(500)], t));
    }
}
