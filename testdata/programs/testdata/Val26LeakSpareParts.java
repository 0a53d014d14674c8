// hprofscan-dump: name=val26-leak-spareparts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-leak-spareparts-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Validation set 26 (written blind), LEAK: the parts-lookup service of an agricultural-machinery
 * spare-parts distributor. Part-class reference data, the dealer directory, dealer sessions, a
 * pool of quote buffers, a ring of order lines, and an "LRU" of part details. The bug: the LRU is
 * an access-ordered LinkedHashMap whose removeEldestEntry cap is read from a config key that is
 * never set, so the default Integer.MAX_VALUE applies and it keeps every part id ever looked up
 * (ids from a catalogue of 1,000,000 parts). See testdata/VALIDATION26.md.
 */
public final class Val26LeakSpareParts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLASSES = 2_000, DEALERS = 25_000, SESSIONS = 300, POOL = 10, RING = 16_384, LOOKUPS = 20_000, WANTED_CAP = 4_000;
    static boolean FIXED;

    record PartClass(String code, String family, double[] priceCurve) {}
    record Dealer(String id, String name, String region, byte[] profile, long since) {}
    record DealerSession(String token, String dealerId, long openedAt, long lastSeenAt) {}
    record PartDetail(long partNo, String title, String supersededBy, byte[] description, long loadedAt) {}
    record OrderLine(String orderId, String dealerId, long partNo, int qty, long at) {}

    static final class PartCache extends LinkedHashMap<Long, PartDetail> {
        final int maxEntries;
        long evicted;
        PartCache(int maxEntries) { super(16, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, PartDetail> e) { if (size() > maxEntries) { evicted++; return true; } return false; }
    }

    static final Map<String, PartClass> CLASSES_BY_CODE = new HashMap<>();

    static final class PartsService {
        final Map<String, Dealer> dealers = new HashMap<>();
        final Map<String, DealerSession> sessions = new HashMap<>();
        final PartCache partDetails;
        final ArrayDeque<byte[]> quoteBuffers = new ArrayDeque<>();
        final OrderLine[] orders = new OrderLine[RING];
        long orderCount, misses;
        PartsService(Properties config) {
            // BUG: the key in application.properties is "parts.cache.maxEntries"; this one is never set
            partDetails = new PartCache(Integer.parseInt(config.getProperty("parts.cache.max-entries", String.valueOf(Integer.MAX_VALUE))));
        }
    }

    static PartsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val26.fixed"); // only for measuring the leak's share
        int hours = 10;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_010_001);
        String[] families = {"hydraulics", "pto", "bearings", "filters", "electrics", "tines", "belts", "cabin"};
        for (int c = 0; c < CLASSES; c++) {
            double[] curve = new double[100];
            for (int k = 0; k < curve.length; k++) curve[k] = 5 + rnd.nextDouble() * 900;
            String code = "PC-" + (10_000 + c);
            CLASSES_BY_CODE.put(code, new PartClass(code, families[c % families.length], curve));
        }
        Properties config = new Properties();
        config.setProperty("parts.cache.maxEntries", String.valueOf(WANTED_CAP));
        if (FIXED) config.setProperty("parts.cache.max-entries", String.valueOf(WANTED_CAP));
        PartsService svc = new PartsService(config);
        SERVICE = svc;
        for (int d = 0; d < DEALERS; d++) {
            String id = "DLR-" + (200_000 + d);
            svc.dealers.put(id, new Dealer(id, "Dealer " + d, "R" + (d % 90), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.quoteBuffers.add(new byte[32_768]);
        Random traffic = new Random(26_010_002);
        for (int i = 0; i < LOOKUPS; i++) {
            long t = start + (end - start) * i / LOOKUPS;
            String dealerId = "DLR-" + (200_000 + traffic.nextInt(DEALERS));
            String token = "S-" + (i % 1_000);
            DealerSession s = svc.sessions.get(token);
            if (s == null && svc.sessions.size() < SESSIONS) svc.sessions.put(token, new DealerSession(token, dealerId, t, t));
            else if (s != null) svc.sessions.put(token, new DealerSession(token, s.dealerId(), s.openedAt(), t));
            long partNo = 30_000_000L + traffic.nextInt(1_000_000);
            PartDetail pd = svc.partDetails.get(partNo);
            if (pd == null) {
                svc.misses++;
                svc.partDetails.put(partNo, pd = new PartDetail(partNo, "Part " + partNo, traffic.nextInt(10) == 0 ? "P" + (partNo + 1) : null, new byte[200 + traffic.nextInt(200)], t));
            }
            byte[] buf = svc.quoteBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.quoteBuffers.add(buf);
            svc.orders[(int) (svc.orderCount++ % RING)] = new OrderLine("ORD-" + (70_000_000 + i), dealerId, partNo, 1 + traffic.nextInt(8), t);
        }
        int cached = svc.partDetails.size();
        System.out.println((FIXED ? "FIXED " : "") + "classes " + CLASSES_BY_CODE.size() + " dealers " + svc.dealers.size() + " sessions " + svc.sessions.size()
                + " partDetails " + cached + " (distinct parts " + svc.misses + ", evicted " + svc.partDetails.evicted + ") pool " + svc.quoteBuffers.size() + " orders " + svc.orderCount);
        check(CLASSES_BY_CODE.size() == CLASSES && svc.dealers.size() == DEALERS && svc.sessions.size() == SESSIONS, "reference data / directory / sessions");
        check(FIXED ? cached == WANTED_CAP && svc.partDetails.evicted == svc.misses - WANTED_CAP : cached == svc.misses && svc.partDetails.evicted == 0, "part details " + cached);
        check(FIXED ? svc.misses == 19_914 : svc.misses == 19_775, "distinct parts " + svc.misses);
        check(svc.quoteBuffers.size() == POOL, "quote pool");
        check(svc.orderCount == LOOKUPS && svc.orders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
