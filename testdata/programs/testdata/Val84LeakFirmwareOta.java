// hprofscan-dump: name=val84-leak-firmwareota jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val84-leak-firmwareota-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Validation set 84 (written blind), LEAK: the over-the-air update service of a fleet of
 * agricultural soil sensors. Hardware-model reference data, the device directory, a cache of signed
 * update manifests at its cap, a ring of device check-ins, a pool of 16 KiB signing buffers, and an
 * application-level pool of 8 KiB chunk buffers (BufferPool: free deque + inUse identity set) used to
 * receive the devices' post-update diagnostic bundles chunk by chunk. The chunk handler returns early
 * with a NACK when a chunk's CRC-32 does not match (the device resends it) and forgets to release the
 * buffer on that path: the pool allocates a new buffer whenever none is free and keeps every lost one
 * in inUse, which grows. See VALIDATION84.md.
 */
public final class Val84LeakFirmwareOta {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MODELS = 1_000, DEVICES = 25_000, MANIFEST_CAP = 2_000, SIGN_POOL = 6, RING = 16_384, CHUNKS_PER_HOUR = 3_000, HOURS = 10;
    static final int CHUNK_BUFFER = 8_192, PREALLOCATED = 8, MAX_IN_FLIGHT = 4;
    static boolean FIXED;

    record HardwareModel(String code, String name, double[] batteryCurve) {}
    record Device(String serial, String modelCode, String farmId, byte[] config, long provisionedAt) {}
    record Manifest(String key, byte[] signed, long at) {}
    record CheckIn(String serial, String firmware, int batteryPct, long at) {}

    static final class PooledBuffer {
        final int id; final byte[] data = new byte[CHUNK_BUFFER];
        long leasedAt; String leasedBy; int uses;
        PooledBuffer(int id) { this.id = id; }
    }

    /** Application-level buffer pool: a free list and the set of leased buffers. */
    static final class BufferPool {
        final ArrayDeque<PooledBuffer> free = new ArrayDeque<>();
        final Set<PooledBuffer> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        int created; long leases, releases;
        BufferPool(int preallocate) { for (int i = 0; i < preallocate; i++) free.push(new PooledBuffer(created++)); }
        PooledBuffer acquire(String who, long at) {
            PooledBuffer b = free.poll();
            if (b == null) b = new PooledBuffer(created++); // none free: grow
            b.leasedAt = at; b.leasedBy = who; b.uses++;
            inUse.add(b); leases++;
            return b;
        }
        void release(PooledBuffer b) {
            if (inUse.remove(b)) { b.leasedBy = null; free.push(b); releases++; }
        }
    }

    static final class ChunkUpload {
        final String uploadId; final PooledBuffer buf; final int length; final long expectedCrc, startedAt;
        ChunkUpload(String uploadId, PooledBuffer buf, int length, long expectedCrc, long startedAt) { this.uploadId = uploadId; this.buf = buf; this.length = length; this.expectedCrc = expectedCrc; this.startedAt = startedAt; }
    }

    static final class ManifestCache extends LinkedHashMap<String, Manifest> {
        long evicted;
        ManifestCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Manifest> e) { if (size() > MANIFEST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, HardwareModel> MODELS_BY_CODE = new HashMap<>();

    static final class OtaService {
        final Map<String, Device> devices = new HashMap<>();
        final ManifestCache manifests = new ManifestCache();
        final ArrayDeque<byte[]> signBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInsWritten;
        final BufferPool chunkPool = new BufferPool(PREALLOCATED);
        final ArrayDeque<ChunkUpload> inFlight = new ArrayDeque<>();
        long acked, nacked, bytesStored;

        /** Completes one received chunk: verify, store, release. */
        boolean handleChunk(ChunkUpload u) {
            PooledBuffer buf = u.buf;
            CRC32 crc = new CRC32();
            crc.update(buf.data, 0, u.length);
            if (crc.getValue() != u.expectedCrc) {
                nacked++;
                if (FIXED) chunkPool.release(buf); // fixed: released on every path
                return false; // BUG: early return without release(); the buffer stays leased forever
            }
            bytesStored += u.length;
            acked++;
            chunkPool.release(buf);
            return true;
        }
    }

    static OtaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val84.fixed");
        int chunks = CHUNKS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(84_040_001);
        String[] modelCodes = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] curve = new double[48];
            for (int k = 0; k < curve.length; k++) curve[k] = 100 - k * 1.5 - rnd.nextDouble() * 5;
            modelCodes[m] = "HW-" + (200 + m);
            MODELS_BY_CODE.put(modelCodes[m], new HardwareModel(modelCodes[m], "SoilProbe rev " + (m % 40), curve));
        }
        OtaService svc = new OtaService();
        SERVICE = svc;
        String[] serials = new String[DEVICES];
        for (int d = 0; d < DEVICES; d++) {
            serials[d] = "SN" + (900_000_000 + d * 17);
            svc.devices.put(serials[d], new Device(serials[d], modelCodes[rnd.nextInt(MODELS)], "FARM-" + (d % 1_700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < SIGN_POOL; b++) svc.signBuffers.add(new byte[16_384]);
        Random traffic = new Random(84_040_002);
        String[] firmware = {"4.2.0", "4.2.1", "4.3.0", "5.0.0-rc2"};
        int corrupted = 0;
        for (int i = 0; i < chunks; i++) {
            long t = start + (end - MINUTE - start) * i / chunks;
            String serial = serials[traffic.nextInt(DEVICES)];
            // a diagnostic-bundle chunk arrives: lease a buffer and receive into it
            PooledBuffer buf = svc.chunkPool.acquire(serial + "/chunk-" + i, t);
            int len = 2_048 + traffic.nextInt(CHUNK_BUFFER - 2_048);
            for (int k = 0; k < len; k += 61) buf.data[k] = (byte) (k + i);
            CRC32 crc = new CRC32();
            crc.update(buf.data, 0, len);
            long expected = crc.getValue();
            if (traffic.nextInt(1_000) < 20) { expected ^= 0x5A5AL; corrupted++; } // bit errors on the radio link
            svc.inFlight.add(new ChunkUpload(serial + "/chunk-" + i, buf, len, expected, t));
            if (svc.inFlight.size() > MAX_IN_FLIGHT) svc.handleChunk(svc.inFlight.poll());
            // every chunk's device also checks in; every other one fetches its update manifest
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(serial, firmware[traffic.nextInt(firmware.length)], 20 + traffic.nextInt(80), t);
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(serials[traffic.nextInt(DEVICES)], firmware[traffic.nextInt(firmware.length)], 20 + traffic.nextInt(80), t);
            if (i % 2 == 0) {
                String key = "manifest-" + modelCodes[traffic.nextInt(MODELS)] + "-" + firmware[traffic.nextInt(firmware.length)];
                if (svc.manifests.get(key) == null) {
                    byte[] sb = svc.signBuffers.poll();
                    sb[i % sb.length] = (byte) i;
                    svc.signBuffers.add(sb);
                    svc.manifests.put(key, new Manifest(key, new byte[400 + traffic.nextInt(400)], t));
                }
            }
        }
        BufferPool pool = svc.chunkPool;
        int inFlight = svc.inFlight.size();
        System.out.println((FIXED ? "FIXED " : "") + "models " + MODELS_BY_CODE.size() + " devices " + svc.devices.size() + " chunk pool: created " + pool.created + " free " + pool.free.size() + " in use " + pool.inUse.size() + " (in flight " + inFlight + ") leases " + pool.leases + " releases " + pool.releases
                + " acked " + svc.acked + " nacked " + svc.nacked + " (corrupted sent " + corrupted + ") manifests " + svc.manifests.size() + " (evicted " + svc.manifests.evicted + ") sign pool " + svc.signBuffers.size() + " check-ins " + svc.checkInsWritten);
        check(MODELS_BY_CODE.size() == MODELS && svc.devices.size() == DEVICES, "reference data / directory");
        check(pool.leases == chunks && svc.acked + svc.nacked + inFlight == chunks && inFlight == MAX_IN_FLIGHT, "chunk traffic");
        if (FIXED) check(pool.inUse.size() == inFlight && pool.created == PREALLOCATED && pool.free.size() == PREALLOCATED - inFlight, "fixed pool: " + pool.created);
        else check(pool.inUse.size() == inFlight + svc.nacked && pool.created == pool.inUse.size() + pool.free.size(), "pool keeps every buffer lost on the NACK path: " + pool.inUse.size());
        check(svc.manifests.size() == MANIFEST_CAP && svc.manifests.evicted > 0, "manifest cache at cap");
        check(svc.signBuffers.size() == SIGN_POOL, "sign pool");
        check(svc.checkInsWritten == 2L * chunks && svc.checkIns[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
