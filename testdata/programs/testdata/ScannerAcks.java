// hprofscan-dump: name=scanner-acks jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=scanner-acks-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=scanner-acks-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=scanner-acks-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A warehouse's scan-event consumer: 8 partitions of barcode-scanner events, processed out of
 * order in batches of 16. Each partition keeps the acks above its committed offset
 * ({@code committedOffset}) in a {@code ConcurrentSkipListMap<Long, ScanAck>} and commits (and
 * prunes) while the next offset is acked. 12,000 events an hour over 8 simulated hours. Beside
 * it: each partition's replay window, the last 1,000 committed acks (kept for redelivery to a
 * late subscriber, keyed at or below the committed offset, trimmed on every commit), 20,000 bin
 * locations (reference data), an LRU of 800 label images at its cap, and a pool of 24 buffers.
 * <ul>
 * <li>{@code healthy}: every event is acked: each partition holds only the unacked part of its
 * last batch.
 * <li>{@code leak}: a malformed event on partitions 2 and 5, 20 minutes in, is logged and
 * skipped without an ack: those partitions' committed offsets never move again and every later
 * ack stays above them.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class ScannerAcks {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int PARTITIONS = 8, BATCH = 16, PER_HOUR = 12_000, HOURS = 8, REPLAY = 1_000;

    record ScanAck(long offset, long ackedAt, String scannerId, int lane, String parcelRef) {}

    record Bin(String code, String aisle, int level, int capacity) {}

    static final class PartitionAcks {
        final int partition;
        final ConcurrentSkipListMap<Long, ScanAck> acked = new ConcurrentSkipListMap<>();
        final TreeMap<Long, ScanAck> replay = new TreeMap<>();
        long committedOffset;
        long nextOffset;
        long commits;

        PartitionAcks(int partition, long first) {
            this.partition = partition;
            this.committedOffset = first - 1;
            this.nextOffset = first;
        }

        void ack(ScanAck a) {
            acked.put(a.offset(), a);
            while (!acked.isEmpty() && acked.firstKey() == committedOffset + 1) {
                ScanAck done = acked.pollFirstEntry().getValue();
                replay.put(done.offset(), done);
                if (replay.size() > REPLAY) replay.pollFirstEntry();
                committedOffset++;
                commits++;
            }
        }
    }

    static final Map<String, Bin> BINS = new HashMap<>();
    static final Map<String, byte[]> LABELS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > 800;
        }
    };
    static final List<byte[]> BUFFERS = new ArrayList<>();
    static final PartitionAcks[] PARTITION_ACKS = new PartitionAcks[PARTITIONS];
    static long skipped;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(leak, end - HOURS * HOUR, end);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long start, long end) {
        Random r = new Random(53_002);
        for (int i = 0; i < 20_000; i++) {
            String code = "A" + (i / 500) + "-L" + (i % 5) + "-" + (i % 100);
            BINS.put(code + "/" + i, new Bin(code, "A" + (i / 500), i % 5, 40 + i % 60));
        }
        for (int i = 0; i < 24; i++) BUFFERS.add(new byte[32_768]);
        for (int p = 0; p < PARTITIONS; p++) PARTITION_ACKS[p] = new PartitionAcks(p, 1_000_000L * (p + 1));
        int events = PER_HOUR * HOURS;
        int perPartition = events / PARTITIONS;
        int batches = perPartition / BATCH;
        for (int b = 0; b < batches; b++) {
            for (int p = 0; p < PARTITIONS; p++) {
                long t = start + (end - MINUTE - start) * ((long) b * PARTITIONS + p) / ((long) batches * PARTITIONS);
                batch(r, PARTITION_ACKS[p], t, b == batches - 1, leak && (p == 2 || p == 5) && b == batches / 24);
            }
        }
    }

    static void batch(Random r, PartitionAcks pa, long t, boolean last, boolean poison) {
        List<Long> offsets = new ArrayList<>();
        for (int k = 0; k < BATCH; k++) offsets.add(pa.nextOffset++);
        Collections.shuffle(offsets, r);
        int acks = last ? BATCH / 2 : BATCH;
        long lowest = pa.nextOffset - BATCH;
        if (last) offsets.remove(Long.valueOf(lowest));
        for (int k = 0; k < acks && k < offsets.size(); k++) {
            long o = offsets.get(k);
            if (poison && o == lowest + 3) {
                skipped++;
                continue;
            }
            String scanner = "SC-" + (100 + r.nextInt(60));
            String parcel = "PX" + Long.toString(900_000_000L + r.nextInt(90_000_000), 36).toUpperCase();
            pa.ack(new ScanAck(o, t + r.nextInt(2_000), scanner, r.nextInt(24), parcel));
            LABELS.put("label-" + r.nextInt(5_000), new byte[600 + r.nextInt(300)]);
        }
    }

    static void report(boolean leak) {
        long held = 0, stuck = 0, replay = 0;
        for (PartitionAcks pa : PARTITION_ACKS) {
            held += pa.acked.size();
            replay += pa.replay.size();
            if (pa.partition == 2 || pa.partition == 5) stuck += pa.acked.size();
        }
        System.out.println("bins " + BINS.size() + ", labels " + LABELS.size() + ", replay " + replay
                + ", acks held " + held + " (partitions 2 and 5: " + stuck + "), skipped " + skipped);
        if (BINS.size() != 20_000 || LABELS.size() != 800 || replay != (leak ? 6_998 : 8_000)) throw new IllegalStateException("reference " + replay);
        long expected = leak ? 23_032 : 64;
        if (held != expected) throw new IllegalStateException("acks held " + held);
    }
}
