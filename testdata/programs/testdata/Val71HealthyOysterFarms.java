// hprofscan-dump: name=val71-healthy-oysterfarms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val71-healthy-oysterfarms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.File;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 71 (written blind), HEALTHY: the harvest-traceability service of an oyster-farm
 * cooperative. Shellfish lease reference data, the harvest-batch directory (by harvest tag), a
 * cache of rendered lab reports at its cap, a ring of water-quality sensor readings, a pool of
 * tag-label buffers, a temp-directory tracker for lab-result uploads that drops a directory when
 * it is deleted, and a shutdown registry from which each upload unregisters its cleanup callback
 * when it finishes. See VALIDATION71.md.
 */
public final class Val71HealthyOysterFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LEASES = 1_400, BATCHES = 26_000, REPORT_CAP = 2_000, POOL = 8, RING = 16_384, READINGS_PER_HOUR = 6_000, UPLOADS_PER_HOUR = 600, HOURS = 10;
    static final File TMP_ROOT = new File("/var/lib/oyster-trace/tmp");

    record Lease(String code, String estuary, double[] tideAndTemperature) {}
    record Batch(String harvestTag, String leaseCode, int dozens, byte[] coldChainLog, long harvestedAt) {}
    record LabReport(String key, byte[] pdf, long at) {}
    record Reading(String leaseCode, double salinity, double temperature, double norovirusIndex, long at) {}

    static final class TempDirs {
        static final Set<File> PENDING_DELETE = new LinkedHashSet<>();
        static long created, deleted;
        static File create(String name) { File d = new File(TMP_ROOT, name); PENDING_DELETE.add(d); created++; return d; }
        static void deleteTree(File d) { PENDING_DELETE.remove(d); deleted++; } // (simulated delete) and forget it
    }

    static final class ShutdownRegistry {
        static final List<Runnable> CALLBACKS = new ArrayList<>();
        static synchronized void register(Runnable r) { CALLBACKS.add(r); }
        static synchronized void unregister(Runnable r) { CALLBACKS.remove(r); }
    }

    static final class Upload {
        final long id; final File dir; final long doneAt; final Runnable cleanup;
        Upload(long id, File dir, long doneAt, Runnable cleanup) { this.id = id; this.dir = dir; this.doneAt = doneAt; this.cleanup = cleanup; }
    }

    static final class ReportCache extends LinkedHashMap<String, LabReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lease> LEASES_BY_CODE = new HashMap<>();

    static final class TraceService {
        final Map<String, Batch> batches = new HashMap<>();
        final ReportCache reports = new ReportCache();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Map<Long, Upload> uploads = new HashMap<>();
        long readingCount, uploadCount, finished;

        Upload beginUpload(long id, long at, long doneAt, Random r) {
            File dir = TempDirs.create("lab-" + id + "-" + Long.toHexString(r.nextLong() | 1L << 60));
            byte[] scratch = new byte[256 + r.nextInt(256)];
            Runnable cleanup = () -> { TempDirs.deleteTree(dir); java.util.Arrays.fill(scratch, (byte) 0); };
            ShutdownRegistry.register(cleanup);
            Upload u = new Upload(id, dir, doneAt, cleanup);
            uploads.put(id, u);
            uploadCount++;
            return u;
        }

        void finishUpload(Upload u) {
            try {
                byte[] label = labelBuffers.poll();
                label[(int) (u.id % label.length)] = 1;
                labelBuffers.add(label);
            } finally {
                TempDirs.deleteTree(u.dir);
                ShutdownRegistry.unregister(u.cleanup);
                uploads.remove(u.id);
                finished++;
            }
        }
    }

    static TraceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(TraceService svc, String[] leaseCodes, String[] tags, long start, long end) {
        Random r = new Random(71_060_002);
        int readings = READINGS_PER_HOUR * HOURS;
        int everyUpload = READINGS_PER_HOUR / UPLOADS_PER_HOUR;
        PriorityQueue<Upload> running = new PriorityQueue<>((a, b) -> Long.compare(a.doneAt, b.doneAt));
        for (int i = 0; i <= readings; i++) {
            long t = i < readings ? start + (end - MINUTE - start) * i / readings : end;
            while (!running.isEmpty() && running.peek().doneAt <= t) svc.finishUpload(running.poll());
            if (i == readings) break;
            svc.readings[(int) (svc.readingCount++ % RING)] = new Reading(leaseCodes[r.nextInt(LEASES)], 28 + r.nextDouble() * 8, 6 + r.nextDouble() * 14, r.nextDouble(), t);
            if (i % everyUpload == 0) running.add(svc.beginUpload(4_400_000L + i / everyUpload, t, t + (2 + r.nextInt(10)) * MINUTE, r));
            if (i % 2 == 0) {
                String key = tags[r.nextInt(BATCHES)] + "/lab";
                if (svc.reports.get(key) == null) svc.reports.put(key, new LabReport(key, new byte[500 + r.nextInt(500)], t));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(71_060_001);
        String[] leaseCodes = new String[LEASES];
        for (int l = 0; l < LEASES; l++) {
            double[] series = new double[96];
            for (int k = 0; k < series.length; k++) series[k] = rnd.nextDouble() * 30;
            leaseCodes[l] = "LS-" + (700 + l);
            LEASES_BY_CODE.put(leaseCodes[l], new Lease(leaseCodes[l], "Estuary " + (l % 40), series));
        }
        TraceService svc = new TraceService();
        SERVICE = svc;
        String[] tags = new String[BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            tags[b] = "HT-" + (60_000_000 + b * 11);
            svc.batches.put(tags[b], new Batch(tags[b], leaseCodes[rnd.nextInt(LEASES)], 5 + rnd.nextInt(200), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(90)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        ShutdownRegistry.register(() -> svc.uploads.clear());
        ShutdownRegistry.register(() -> svc.reports.clear());
        ShutdownRegistry.register(() -> svc.labelBuffers.clear());
        ShutdownRegistry.register(() -> System.out.println("trace service stopped after " + svc.readingCount + " readings"));
        traffic(svc, leaseCodes, tags, start, end);
        int inFlight = svc.uploads.size();
        System.out.println("leases " + LEASES_BY_CODE.size() + " batches " + svc.batches.size() + " readings " + svc.readingCount + " uploads " + svc.uploadCount + " finished " + svc.finished + " in flight " + inFlight
                + " temp dirs pending " + TempDirs.PENDING_DELETE.size() + " (created " + TempDirs.created + ", deleted " + TempDirs.deleted + ") shutdown callbacks " + ShutdownRegistry.CALLBACKS.size()
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.labelBuffers.size());
        check(LEASES_BY_CODE.size() == LEASES && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.uploadCount == (long) UPLOADS_PER_HOUR * HOURS && svc.finished + inFlight == svc.uploadCount && inFlight > 0, "uploads");
        check(TempDirs.PENDING_DELETE.size() == inFlight && ShutdownRegistry.CALLBACKS.size() == 4 + inFlight, "only in-flight temp dirs and callbacks");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.readingCount == (long) READINGS_PER_HOUR * HOURS && svc.readings[RING - 1] != null, "reading ring wraps");
        check(svc.labelBuffers.size() == POOL, "pool");
        LeakCheck.histogram("java.io.File ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
