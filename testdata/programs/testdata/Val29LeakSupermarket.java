// hprofscan-dump: name=val29-leak-supermarket jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val29-leak-supermarket-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Validation set 29 (written blind), LEAK: the head-office ingest of a supermarket chain's
 * point-of-sale transactions. Store reference data, the product (PLU) directory, a cache of
 * rendered price-check pages at its cap, a pool of decode buffers, a ring of recently booked
 * transactions, and 8 resequencers, one per feed partition: transactions carry a per-partition
 * sequence number and must be booked in order, so a resequencer holds early arrivals in a TreeMap
 * until the gap before them fills. Two hours in, one transaction of partition 5 is lost by the
 * store gateway and never redelivered; the resequencer has no gap timeout (no skip, no replay
 * request), so every later transaction of that partition waits in pending forever while the other
 * 7 partitions flow. See VALIDATION29.md.
 */
public final class Val29LeakSupermarket {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, GAP_TIMEOUT = 30_000L;
    static final int STORES = 1_100, PLUS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, PARTITIONS = 8, HOURS = 10, TXS = 160_000, STUCK = 5;
    static boolean FIXED;

    record Store(String code, String town, double[] hourlyFootfall) {}
    record Plu(String code, String description, byte[] nutritionLabel, long listedAt) {}
    record PricePage(String key, byte[] rendered, long at) {}
    record PosTransaction(int partition, long seq, String storeCode, int lane, long amountCents, long at, byte[] basket) {}

    static final class Resequencer {
        final int partition;
        long nextExpected = 1;
        long gapSince = -1;
        final TreeMap<Long, PosTransaction> pending = new TreeMap<>();
        long booked, skipped;
        Resequencer(int partition) { this.partition = partition; }
        void accept(PosTransaction tx, IngestService svc, long at) {
            pending.put(tx.seq(), tx);
            drain(svc);
            if (!pending.isEmpty() && gapSince < 0) gapSince = at;
            if (FIXED && gapSince >= 0 && at - gapSince > GAP_TIMEOUT) { // give up on the gap: book what follows, ask for a replay
                skipped += pending.firstKey() - nextExpected;
                nextExpected = pending.firstKey();
                drain(svc);
            }
            if (pending.isEmpty()) gapSince = -1;
        }
        void drain(IngestService svc) {
            PosTransaction t;
            while ((t = pending.get(nextExpected)) != null) {
                pending.remove(nextExpected);
                nextExpected++;
                booked++;
                svc.book(t);
            }
            if (!pending.isEmpty()) { /* still waiting for nextExpected */ } else gapSince = -1;
        }
    }

    static final class PageCache extends LinkedHashMap<String, PricePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PricePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class IngestService {
        final Map<String, Plu> plus = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final PosTransaction[] booked = new PosTransaction[RING];
        long bookedCount;
        final Resequencer[] resequencers = new Resequencer[PARTITIONS];
        void book(PosTransaction t) { booked[(int) (bookedCount++ % RING)] = t; }
    }

    static IngestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val29.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(29_040_001);
        String[] storeCodes = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] footfall = new double[72];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 800;
            storeCodes[s] = "ST-" + (1_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], "Town " + (s % 350), footfall));
        }
        IngestService svc = new IngestService();
        SERVICE = svc;
        for (int p = 0; p < PLUS; p++) {
            String plu = "PLU-" + (200_000 + p);
            svc.plus.put(plu, new Plu(plu, "Product " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        for (int p = 0; p < PARTITIONS; p++) svc.resequencers[p] = new Resequencer(p);
        Random traffic = new Random(29_040_002);
        long[] nextSeq = new long[PARTITIONS];
        java.util.Arrays.fill(nextSeq, 1);
        long lostAt = start + 2 * HOUR;
        long lostSeq = -1, sentAfterLost = 0;
        PosTransaction held = null; // a transaction arriving a little late (normal reordering)
        for (int i = 0; i < TXS; i++) {
            long t = start + (end - MINUTE - start) * i / TXS;
            int p = traffic.nextInt(PARTITIONS);
            String store = storeCodes[traffic.nextInt(STORES)];
            PosTransaction tx = new PosTransaction(p, nextSeq[p]++, store, 1 + traffic.nextInt(12), 100 + traffic.nextInt(20_000), t, new byte[60 + traffic.nextInt(60)]);
            if (p == STUCK && lostSeq < 0 && t >= lostAt) { lostSeq = tx.seq(); continue; } // lost by the store gateway, never redelivered
            if (p == STUCK && lostSeq > 0) sentAfterLost++;
            if (held == null && traffic.nextInt(50) == 0) { held = tx; continue; } // arrives after the next one
            svc.resequencers[p].accept(tx, svc, t);
            if (held != null && held != tx) { svc.resequencers[held.partition()].accept(held, svc, t); held = null; }
            String key = "price-" + traffic.nextInt(5_000);
            if (i % 4 == 0 && svc.pages.get(key) == null) svc.pages.put(key, new PricePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        if (held != null) svc.resequencers[held.partition()].accept(held, svc, end - MINUTE);
        Resequencer stuck = svc.resequencers[STUCK];
        long otherPending = 0;
        for (Resequencer r : svc.resequencers) if (r != stuck) otherPending += r.pending.size();
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " plus " + svc.plus.size() + " booked " + svc.bookedCount + " lost seq " + lostSeq + " sent after it " + sentAfterLost
                + " stuck pending " + stuck.pending.size() + " (nextExpected " + stuck.nextExpected + ", skipped " + stuck.skipped + ") other pending " + otherPending + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.decodeBuffers.size());
        check(STORES_BY_CODE.size() == STORES && svc.plus.size() == PLUS, "reference data / directory");
        check(lostSeq > 0 && otherPending == 0, "other partitions drained");
        if (FIXED) check(stuck.pending.isEmpty() && stuck.skipped == 1 && svc.bookedCount == TXS - 1, "gap skipped");
        else check(stuck.pending.size() == sentAfterLost && stuck.nextExpected == lostSeq && svc.bookedCount == TXS - 1 - sentAfterLost, "everything after the gap pending: " + stuck.pending.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.booked[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
