// hprofscan-dump: name=val51-healthy-recordpressers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val51-healthy-recordpressers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 51 (written blind), HEALTHY: the plant service of a vinyl record pressing plant.
 * Press reference data, the directory of releases (catalogue numbers), a cache of rendered label
 * proofs at its cap, a pool of stamper-image buffers, a ring of recent press cycles, a
 * Micrometer-like metrics registry with one cycle timer per press (bounded by the fleet) plus HTTP
 * timers by URI template and status, and a clean-up executor (one worker thread,
 * "upload-cleaner") on which every label-artwork upload schedules the deletion of its temporary file
 * 24 hours ahead; the task captures only the upload id and the file path, the payload is dropped
 * once the proof is rendered. See VALIDATION51.md.
 */
public final class Val51HealthyRecordPressers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, CLEANUP_AFTER = 24 * HOUR;
    static final int PRESSES = 1_100, RELEASES = 26_000, PROOF_CAP = 2_000, POOL = 10, RING = 16_384, CYCLES_PER_HOUR = 6_000, UPLOADS_PER_HOUR = 500, HOURS = 10, BUCKETS = 32;
    static final String[] URIS = {"/releases/{catNo}", "/releases/{catNo}/proof", "/presses/{code}", "/orders/{id}", "/uploads"};

    record Press(String code, String hall, double[] temperatureProfile) {}
    record Release(String catalogueNo, String label, String title, byte[] trackList, long addedAt) {}
    record LabelProof(String key, byte[] rendered, long at) {}
    record PressCycle(String pressCode, String catalogueNo, int tempC, int cycleMs, long at) {}
    record Tag(String key, String value) {}

    static final class MeterId {
        final String name; final Tag[] tags; final int hash;
        MeterId(String name, Tag[] tags) { this.name = name; this.tags = tags; this.hash = 31 * name.hashCode() + Arrays.hashCode(tags); }
        @Override public boolean equals(Object o) { return o instanceof MeterId m && m.name.equals(name) && Arrays.equals(m.tags, tags); }
        @Override public int hashCode() { return hash; }
    }

    static final class Timer {
        final MeterId id; long count, totalNanos, maxNanos, firstAt, lastAt; final long[] buckets = new long[BUCKETS];
        Timer(MeterId id) { this.id = id; }
        void record(long nanos, long at) {
            if (count++ == 0) firstAt = at;
            lastAt = at; totalNanos += nanos; if (nanos > maxNanos) maxNanos = nanos;
            buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1L, nanos / 1_000)))]++;
        }
    }

    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Timer> meters = new ConcurrentHashMap<>();
        Timer timer(String name, String... keyValues) {
            Tag[] tags = new Tag[keyValues.length / 2];
            for (int k = 0; k < tags.length; k++) tags[k] = new Tag(keyValues[2 * k], keyValues[2 * k + 1]);
            Arrays.sort(tags, Comparator.comparing(Tag::key));
            return meters.computeIfAbsent(new MeterId(name, tags), Timer::new);
        }
    }

    static final class ProofCache extends LinkedHashMap<String, LabelProof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabelProof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Press> PRESSES_BY_CODE = new HashMap<>();

    static final class PlantService {
        final Map<String, Release> releases = new HashMap<>();
        final ProofCache labelProofs = new ProofCache();
        final ArrayDeque<byte[]> stamperBuffers = new ArrayDeque<>();
        final PressCycle[] pressLog = new PressCycle[RING];
        long cycles, uploads, purged;
        final MeterRegistry registry = new MeterRegistry();
        final ScheduledThreadPoolExecutor cleaner = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "upload-cleaner");
            th.setDaemon(true);
            return th;
        });

        void purgeFile(String uploadId, String tmpPath) { purged++; }

        /** Renders the proof from the artwork, then schedules the temp file's deletion (id and path only). */
        void acceptUpload(String uploadId, byte[] artwork, String proofKey, long receivedAt) {
            uploads++;
            if (labelProofs.get(proofKey) == null) labelProofs.put(proofKey, new LabelProof(proofKey, Arrays.copyOf(artwork, 600 + artwork.length % 600), receivedAt));
            String path = "/var/spool/label-art/" + uploadId + ".tmp";
            cleaner.schedule(() -> purgeFile(uploadId, path), receivedAt + CLEANUP_AFTER - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static PlantService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(51_060_001);
        String[] pressCodes = new String[PRESSES];
        for (int p = 0; p < PRESSES; p++) {
            double[] profile = new double[80];
            for (int k = 0; k < profile.length; k++) profile[k] = 120 + rnd.nextDouble() * 60;
            pressCodes[p] = "PR-" + (p / 100) + "-" + (100 + p % 100);
            PRESSES_BY_CODE.put(pressCodes[p], new Press(pressCodes[p], "Hall " + (p / 100), profile));
        }
        PlantService svc = new PlantService();
        SERVICE = svc;
        String[] catNos = new String[RELEASES];
        for (int r = 0; r < RELEASES; r++) {
            catNos[r] = "VNL-" + (60_000 + r * 3);
            svc.releases.put(catNos[r], new Release(catNos[r], "Label " + (r % 400), "Title " + r, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stamperBuffers.add(new byte[32_768]);
        Random traffic = new Random(51_060_002);
        int cycles = CYCLES_PER_HOUR * HOURS, perUpload = CYCLES_PER_HOUR / UPLOADS_PER_HOUR;
        for (int i = 0; i < cycles; i++) {
            long t = start + (end - MINUTE - start) * i / cycles;
            String press = pressCodes[traffic.nextInt(PRESSES)];
            String catNo = catNos[traffic.nextInt(RELEASES)];
            int cycleMs = 18_000 + traffic.nextInt(12_000);
            svc.pressLog[(int) (svc.cycles++ % RING)] = new PressCycle(press, catNo, 150 + traffic.nextInt(40), cycleMs, t);
            svc.registry.timer("press.cycle", "press", press).record(cycleMs * 1_000_000L, t);
            byte[] buf = svc.stamperBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.stamperBuffers.add(buf);
            svc.registry.timer("http.server.requests", "uri", URIS[traffic.nextInt(URIS.length)], "status", traffic.nextInt(50) == 0 ? "404" : "200").record(300_000L + traffic.nextInt(30_000_000), t);
            if (i % perUpload == 0) {
                String uploadId = "LA" + Long.toString(0x51_6000_0000L + i * 5L + traffic.nextInt(5), 36);
                svc.acceptUpload(uploadId, new byte[1_000 + traffic.nextInt(2_000)], "proof-" + traffic.nextInt(4_000), t);
            }
        }
        int uploads = UPLOADS_PER_HOUR * HOURS, queued = svc.cleaner.getQueue().size();
        int meters = svc.registry.meters.size();
        System.out.println("presses " + PRESSES_BY_CODE.size() + " releases " + svc.releases.size() + " cycles " + svc.cycles + " meters " + meters + " uploads " + svc.uploads + " queued clean-ups " + queued + " (purged " + svc.purged
                + ") proofs " + svc.labelProofs.size() + " (evicted " + svc.labelProofs.evicted + ") pool " + svc.stamperBuffers.size());
        check(PRESSES_BY_CODE.size() == PRESSES && svc.releases.size() == RELEASES, "reference data / directory");
        check(meters == PRESSES + URIS.length * 2, "one cycle timer per press plus http timers: " + meters);
        check(svc.uploads == uploads && queued == uploads && svc.purged == 0 && svc.cleaner.getPoolSize() == 1, "clean-up queue: " + queued);
        check(svc.labelProofs.size() == PROOF_CAP && svc.labelProofs.evicted > 0, "proof cache at cap");
        check(svc.stamperBuffers.size() == POOL, "pool");
        check(svc.cycles == cycles && svc.pressLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
