// hprofscan-dump: name=val6-healthy-telemetry jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=val6-healthy-telemetry-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="--series=1"
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), HEALTHY, series of three dumps: an IoT telemetry ingestion
 * service. Three traffic segments always run (5 simulated hours, then two ~1 s bursts); the
 * dumps are taken after the last {@code --series} segments. Warming, then plateau: the device
 * registry is filled lazily on a device's first message and is bounded by the fleet (6,000 ->
 * 12,000 -> 12,000 devices); the last-reading cache is a hand-written Caffeine-like bounded cache
 * (map + access-order linked list, maximumSize 20,000) at its maximum from the first dump; a ring
 * of the last 16,384 readings; a pool of 64 receive buffers, all returned; a firmware catalog
 * (reference data). See testdata/VALIDATION6.md.
 */
public final class Val6HealthyTelemetry {
    static final int FLEET = 12_000;
    static final int CHANNELS = 5;
    static final int CACHE_MAX = 20_000;
    static final int RING = 16_384;
    static final int POOL = 64;
    static final int FIRMWARE = 600;
    static final int[] MESSAGES_IN_SEGMENT = {40_000, 60_000, 60_000};
    static final int[] ACTIVE_IN_SEGMENT = {6_000, FLEET, FLEET};
    static final long SIM_MILLIS = 5L * 3600_000L;

    static IngestService RUNNING;

    static final class FirmwareManifest {
        final String version; final String model; final byte[] signature = new byte[256]; final String[] files; final long publishedAt;
        FirmwareManifest(String version, String model, String[] files, long publishedAt) { this.version = version; this.model = model; this.files = files; this.publishedAt = publishedAt; }
    }

    static final class FirmwareCatalog {
        static final Map<String, FirmwareManifest> MANIFESTS_BY_VERSION = new HashMap<>();
    }

    static final class Device {
        final String deviceId; final String model; final String firmware; final long firstSeenAt; long lastSeenAt; long messages; final double[] calibration = new double[CHANNELS];
        Device(String deviceId, String model, String firmware, long firstSeenAt) { this.deviceId = deviceId; this.model = model; this.firmware = firmware; this.firstSeenAt = firstSeenAt; this.lastSeenAt = firstSeenAt; }
    }

    static final class DeviceRegistry {
        final Map<String, Device> devices = new ConcurrentHashMap<>();
    }

    static final class Reading {
        final String deviceId; final int channel; final double value; final long at;
        Reading(String deviceId, int channel, double value, long at) { this.deviceId = deviceId; this.channel = channel; this.value = value; this.at = at; }
    }

    /** A hand-written bounded cache in the style of Caffeine: hash map + access-order list, evicts the LRU node. */
    static final class BoundedLocalCache<K, V> {
        static final class Node<K, V> { final K key; V value; Node<K, V> prev, next; long accessTime; Node(K key, V value) { this.key = key; this.value = value; } }
        final ConcurrentHashMap<K, Node<K, V>> data = new ConcurrentHashMap<>();
        final long maximumSize; Node<K, V> head, tail; long evictionCount;
        BoundedLocalCache(long maximumSize) { this.maximumSize = maximumSize; }
        void put(K key, V value, long now) {
            Node<K, V> n = data.get(key);
            if (n != null) { n.value = value; touch(n, now); return; }
            n = new Node<>(key, value); n.accessTime = now; data.put(key, n); linkLast(n);
            while (data.size() > maximumSize) { Node<K, V> e = head; unlink(e); data.remove(e.key); evictionCount++; }
        }
        void touch(Node<K, V> n, long now) { n.accessTime = now; unlink(n); linkLast(n); }
        void linkLast(Node<K, V> n) { n.prev = tail; n.next = null; if (tail == null) head = n; else tail.next = n; tail = n; }
        void unlink(Node<K, V> n) { if (n.prev == null) head = n.next; else n.prev.next = n.next; if (n.next == null) tail = n.prev; else n.next.prev = n.prev; n.prev = n.next = null; }
    }

    static final class BufferPool {
        final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(); int outstanding;
        BufferPool(int n) { for (int i = 0; i < n; i++) free.add(ByteBuffer.allocate(8_192)); }
        ByteBuffer acquire() { outstanding++; ByteBuffer b = free.pollFirst(); return b != null ? b : ByteBuffer.allocate(8_192); }
        void release(ByteBuffer b) { outstanding--; b.clear(); free.addFirst(b); }
    }

    static final class IngestService {
        final DeviceRegistry registry = new DeviceRegistry();
        final BoundedLocalCache<String, Reading> lastReading = new BoundedLocalCache<>(CACHE_MAX);
        final Reading[] recent = new Reading[RING];
        long ringPos;
        final BufferPool buffers = new BufferPool(POOL);
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();

        void ingest(String deviceId, int channel, double value, String model, String fw, long t) {
            ByteBuffer buf = buffers.acquire();
            buf.putLong(t).putInt(channel).putDouble(value);
            Device d = registry.devices.get(deviceId);
            if (d == null) { d = new Device(deviceId, model, fw, t); registry.devices.put(deviceId, d); metrics.computeIfAbsent("devices.registered", k -> new LongAdder()).increment(); }
            d.lastSeenAt = t; d.messages++;
            Reading r = new Reading(deviceId, channel, value, t);
            lastReading.put(deviceId + "/ch" + channel, r, t);
            recent[(int) (ringPos++ % RING)] = r;
            buffers.release(buf);
            metrics.computeIfAbsent("messages.ingested", k -> new LongAdder()).increment();
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        int segments = MESSAGES_IN_SEGMENT.length;
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_020_001);
        IngestService svc = new IngestService();
        RUNNING = svc;
        String[] models = {"TH-200", "TH-210", "PM-25", "GW-1", "CO2-X"};
        for (int i = 0; i < FIRMWARE; i++) {
            String[] files = new String[3 + i % 4];
            for (int k = 0; k < files.length; k++) files[k] = "fw/" + models[i % models.length] + "/" + i + "/part" + k + ".bin";
            FirmwareManifest m = new FirmwareManifest((2 + i / 200) + "." + (i / 10 % 20) + "." + i % 10 + "-" + models[i % models.length], models[i % models.length], files, start - 86_400_000L * (i % 300));
            rnd.nextBytes(m.signature);
            FirmwareCatalog.MANIFESTS_BY_VERSION.put(m.version, m);
        }
        String[] fwVersions = FirmwareCatalog.MANIFESTS_BY_VERSION.keySet().toArray(new String[0]);
        String[] ids = new String[FLEET];
        for (int i = 0; i < FLEET; i++) {
            long mac = 0x00_1A_2B_00_00_00L + i * 7_919L;
            ids[i] = String.format("dev-%012X", mac);
        }
        long from = start;
        long msgNo = 0;
        for (int s = 0; s < segments; s++) {
            long to = System.currentTimeMillis();
            int n = MESSAGES_IN_SEGMENT[s], active = ACTIVE_IN_SEGMENT[s];
            for (int i = 0; i < n; i++) {
                long t = from + (to - from) * i / n - 200;
                int dev = (int) ((msgNo++ * 7L) % active); // every active device reports, round robin over a stride
                int ch = rnd.nextInt(CHANNELS);
                svc.ingest(ids[dev], ch, 20 + rnd.nextGaussian() * 3, models[dev % models.length], fwVersions[dev % fwVersions.length], t);
            }
            int devices = svc.registry.devices.size();
            System.out.println("segment " + (s + 1) + ": devices " + devices + " cache " + svc.lastReading.data.size() + " evicted " + svc.lastReading.evictionCount
                    + " pool free " + svc.buffers.free.size() + " firmware " + FirmwareCatalog.MANIFESTS_BY_VERSION.size());
            check(devices == ACTIVE_IN_SEGMENT[s] || (s > 0 && devices == FLEET), "devices " + devices);
            check(svc.lastReading.data.size() == CACHE_MAX, "cache");
            check(svc.buffers.free.size() == POOL && svc.buffers.outstanding == 0, "pool");
            check(FirmwareCatalog.MANIFESTS_BY_VERSION.size() == FIRMWARE, "firmware");
            int index = s - (segments - count);
            if (index >= 0) {
                String path = LeakCheck.seriesPath(args[1], index + 1, count, dir);
                System.gc();
                DumpUtil.dump(args[0], path);
                System.out.println("dumped " + path);
            }
            if (s + 1 < segments) {
                if (index >= 0) Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
