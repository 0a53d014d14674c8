// hprofscan-dump: name=val27-leak-cargomanifests-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val27-leak-cargomanifests-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val27-leak-cargomanifests jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-leak-cargomanifests-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Validation set 27 (written blind), LEAK: the manifest consumer of a container-shipping line.
 * Port reference data, the shipper directory, a manifest cache at its cap, a pool of parse
 * buffers, a ring of consumed records, and an idempotency filter that drops broker redeliveries.
 * The bug: the filter keeps every message id it ever processed in a HashSet; the broker only
 * redelivers within minutes, so every id older than that is useless but kept forever.
 * Series: 2 h / 4 h / 8 h. See VALIDATION27.md.
 */
public final class Val27LeakCargoManifests {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DEDUP_WINDOW = 10 * MINUTE;
    static final int PORTS = 3_000, SHIPPERS = 25_000, MANIFEST_CAP = 2_000, POOL = 8, RING = 8_192, PER_HOUR = 8_000;
    static boolean FIXED;

    record Port(String unlocode, String country, double[] congestionCurve) {}
    record Shipper(String id, String name, String country, byte[] kycProfile, long since) {}
    record MessageId(String uuid) {}
    record Manifest(String bookingRef, String vessel, String pol, String pod, byte[] containers, long at) {}
    record Consumed(String bookingRef, int partition, long offset, long at) {}

    static final class ManifestCache extends LinkedHashMap<String, Manifest> {
        long evicted;
        ManifestCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Manifest> e) { if (size() > MANIFEST_CAP) { evicted++; return true; } return false; }
    }

    static final class IdempotencyFilter {
        final Set<MessageId> processed = new HashSet<>(); // BUG: every id ever processed, never pruned
        final LinkedHashMap<String, Long> window = new LinkedHashMap<>(); // fixed: ids of the last DEDUP_WINDOW only
        long duplicates;
        boolean firstTime(String uuid, long at) {
            if (FIXED) {
                Iterator<Map.Entry<String, Long>> it = window.entrySet().iterator();
                while (it.hasNext()) { if (it.next().getValue() < at - DEDUP_WINDOW) it.remove(); else break; }
                if (window.containsKey(uuid)) { duplicates++; return false; }
                window.put(uuid, at);
                return true;
            }
            if (!processed.add(new MessageId(uuid))) { duplicates++; return false; }
            return true;
        }
        int size() { return FIXED ? window.size() : processed.size(); }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class ManifestConsumer {
        final Map<String, Shipper> shippers = new HashMap<>();
        final ManifestCache manifests = new ManifestCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final Consumed[] consumed = new Consumed[RING];
        final IdempotencyFilter dedup = new IdempotencyFilter();
        long consumedCount, applied;
    }

    static ManifestConsumer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val27.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int total = hours * PER_HOUR;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(27_010_001);
        for (int p = 0; p < PORTS; p++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 10;
            String code = "P" + (10_000 + p);
            PORTS_BY_CODE.put(code, new Port(code, "C" + (p % 180), curve));
        }
        ManifestConsumer svc = new ManifestConsumer();
        SERVICE = svc;
        for (int s = 0; s < SHIPPERS; s++) {
            String id = "SHP-" + (700_000 + s);
            svc.shippers.put(id, new Shipper(id, "Shipper " + s, "C" + (s % 180), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.parseBuffers.add(new byte[65_536]);
        Random traffic = new Random(27_010_002);
        String[] recent = new String[64];
        int redeliveries = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - start) * i / total;
            if (i > 64 && traffic.nextInt(40) == 0) { // broker redelivery of a message from the last seconds
                redeliveries++;
                check(!svc.dedup.firstTime(recent[traffic.nextInt(64)], t), "redelivery must be dropped");
            }
            String uuid = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
            recent[i % 64] = uuid;
            check(svc.dedup.firstTime(uuid, t), "new message");
            String ref = "BK" + traffic.nextInt(30_000);
            Manifest m = svc.manifests.get(ref);
            if (m == null) svc.manifests.put(ref, new Manifest(ref, "V" + traffic.nextInt(400), "P" + (10_000 + traffic.nextInt(PORTS)), "P" + (10_000 + traffic.nextInt(PORTS)), new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.parseBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.parseBuffers.add(buf);
            svc.applied++;
            svc.consumed[(int) (svc.consumedCount++ % RING)] = new Consumed(ref, i % 12, 5_000_000L + i, t);
        }
        int ids = svc.dedup.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " ports " + PORTS_BY_CODE.size() + " shippers " + svc.shippers.size() + " consumed " + svc.consumedCount
                + " dedup ids " + ids + " duplicates " + svc.dedup.duplicates + " redeliveries " + redeliveries + " manifests " + svc.manifests.size() + " (evicted " + svc.manifests.evicted + ") pool " + svc.parseBuffers.size());
        check(PORTS_BY_CODE.size() == PORTS && svc.shippers.size() == SHIPPERS, "reference data / directory");
        check(svc.dedup.duplicates == redeliveries, "duplicates");
        if (FIXED) check(ids <= PER_HOUR * DEDUP_WINDOW / HOUR + 2 && ids >= PER_HOUR * DEDUP_WINDOW / HOUR - 2, "dedup window " + ids);
        else check(ids == total, "dedup ids " + ids);
        check(svc.manifests.size() == MANIFEST_CAP && svc.manifests.evicted > 0, "manifest cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        check(svc.consumedCount == total && svc.consumed[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
