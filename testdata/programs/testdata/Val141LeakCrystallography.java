// hprofscan-dump: name=val141-leak-crystallography jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val141-leak-crystallography-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Validation set 141 (written blind), LEAK: the structure-refinement service of a small-molecule
 * X-ray crystallography facility. Users submit least-squares refinement jobs against their
 * diffraction datasets; to report the peak heap of a refinement, each job registers a
 * {@code NotificationListener} on the young-generation {@code GarbageCollectorMXBean} (cast to
 * {@code NotificationEmitter}) when it starts: the listener captures the job (its refined atom
 * sites, its refinement log) and records the heap after each GC while the job runs. Nobody calls
 * {@code removeNotificationListener}: the platform bean's listener list keeps every job since start.
 * The service's own GC pause log, registered once at startup, is the one legitimate listener.
 * Ordinary components beside it: space-group and scattering-factor reference data, the dataset
 * directory, a cache of density-map slices at its cap, a pool of FFT scratch arrays, a ring of
 * recent job summaries and the CIF deposition backlog. 10 simulated hours. See VALIDATION141.md.
 */
public final class Val141LeakCrystallography {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SPACE_GROUP_COUNT = 230, ELEMENTS = 98, DATASETS = 16_000, MAP_CAP = 1_500, POOL = 8, RING = 4_096, JOBS_PER_MINUTE = 7, HOURS = 10,
            SLICES_PER_MINUTE = 25, DEPOSIT_LAG_MINUTES = 5, PAUSE_LOG = 256;
    static final String[] SYSTEMS = {"triclinic", "monoclinic", "orthorhombic", "tetragonal", "trigonal", "hexagonal", "cubic"};
    static final String[] COMMON_GROUPS = {"P2_1/c", "P-1", "C2/c", "P2_12_12_1", "Pbca", "P2_1", "Pna2_1", "Cc", "P2/c", "Pnma"};
    static final String[] GROUPS = {"chem-synthesis", "pharma-solid-state", "mof-lab", "mineralogy", "coordination-chem", "catalysis"};
    static boolean FIXED;

    record SpaceGroup(int number, String symbol, String crystalSystem, double[] symmetryOps) {}
    record ScatteringFactor(String element, double[] cromerMann) {}
    record Dataset(String datasetId, String owner, String spaceGroup, double wavelength, byte[] header, long collectedAt) {}
    record MapSlice(String key, byte[] pixels, long renderedAt) {}
    record JobSummary(String jobId, String datasetId, double rFactor, int cycles, long finishedAt) {}
    record Deposition(String jobId, String cifName, int bytes, long queuedAt) {}

    /** A refinement job; after it finishes only its summary is meant to remain (in the ring). */
    static final class RefinementJob {
        final String jobId, datasetId, user, spaceGroup;
        final double[] atomSites;
        final int cycles;
        final long submittedAt;
        String log;
        double rFactor;
        volatile boolean running;
        volatile long peakHeapAfterGc;
        RefinementJob(String jobId, String datasetId, String user, String spaceGroup, int atoms, int cycles, long submittedAt) {
            this.jobId = jobId; this.datasetId = datasetId; this.user = user; this.spaceGroup = spaceGroup; this.atomSites = new double[atoms * 4]; this.cycles = cycles;
            this.submittedAt = submittedAt;
        }
    }

    /** Watches the heap while one job runs. */
    static final class JobMemoryWatch implements NotificationListener {
        final RefinementJob job;
        JobMemoryWatch(RefinementJob job) { this.job = job; }
        @Override public void handleNotification(Notification n, Object handback) {
            if (!job.running || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
            if (used > job.peakHeapAfterGc) job.peakHeapAfterGc = used;
        }
    }

    /** The service's GC pause log: one listener for the life of the process. */
    static final class GcPauseLog implements NotificationListener {
        final long[] pausesMs = new long[PAUSE_LOG];
        volatile int count;
        @Override public void handleNotification(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            pausesMs[count % PAUSE_LOG] = info.getGcInfo().getDuration();
            count++;
        }
    }

    static final Map<Integer, SpaceGroup> SPACE_GROUPS = new HashMap<>();
    static final Map<String, ScatteringFactor> SCATTERING_FACTORS = new HashMap<>();

    static final class MapCache extends LinkedHashMap<String, MapSlice> {
        long evicted;
        MapCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapSlice> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final class RefinementService {
        final Map<String, Dataset> datasets = new HashMap<>();
        final String[] datasetIds = new String[DATASETS];
        final MapCache densityMaps = new MapCache();
        final ArrayDeque<double[]> fftScratch = new ArrayDeque<>();
        final JobSummary[] recentJobs = new JobSummary[RING];
        final ArrayDeque<Deposition> depositions = new ArrayDeque<>();
        final GarbageCollectorMXBean gcBean = youngCollector();
        final GcPauseLog pauseLog = new GcPauseLog();
        long jobsRun, watchesAdded, watchesRemoved, sliceRenders, sliceHits, queued, deposited, scratchUses;

        void start() {
            ((NotificationEmitter) gcBean).addNotificationListener(pauseLog, null, "facility-gc-log");
        }

        void run(RefinementJob job, Random r, long t) throws Exception {
            NotificationEmitter emitter = (NotificationEmitter) gcBean;
            JobMemoryWatch watch = new JobMemoryWatch(job);
            emitter.addNotificationListener(watch, null, job.jobId); // BUG: never removed
            watchesAdded++;
            job.running = true;
            try {
                double[] scratch = fftScratch.poll();
                double r1 = 0.25;
                for (int c = 0; c < job.cycles; c++) {
                    for (int k = 0; k < job.atomSites.length; k++) job.atomSites[k] += (r.nextDouble() - 0.5) / (c + 1);
                    scratch[(c * 31 + job.atomSites.length) % scratch.length] = r1;
                    r1 = r1 * (0.72 + r.nextDouble() * 0.2);
                }
                fftScratch.add(scratch);
                scratchUses++;
                job.rFactor = Math.max(0.018, r1);
                job.log = "Refinement of " + job.datasetId + " in " + job.spaceGroup + ": " + job.cycles + " cycles of full-matrix least squares on F^2, " + job.atomSites.length / 4
                        + " atoms, R1 = " + String.format("%.4f", job.rFactor) + ", wR2 = " + String.format("%.4f", job.rFactor * 2.4) + ", GooF = " + String.format("%.3f", 0.95 + r.nextDouble() * 0.2)
                        + ", max shift/esd " + String.format("%.3f", r.nextDouble() * 0.01);
            } finally {
                job.running = false;
                if (FIXED) { emitter.removeNotificationListener(watch); watchesRemoved++; }
            }
            recentJobs[(int) (jobsRun++ % RING)] = new JobSummary(job.jobId, job.datasetId, job.rFactor, job.cycles, t);
            if (job.rFactor < 0.06) { depositions.addLast(new Deposition(job.jobId, job.datasetId.toLowerCase() + "_final.cif", 20_000 + r.nextInt(80_000), t)); queued++; }
        }

        void slice(String key, Random r, long t) {
            if (densityMaps.get(key) != null) { sliceHits++; return; }
            densityMaps.put(key, new MapSlice(key, new byte[400 + r.nextInt(400)], t));
            sliceRenders++;
        }
    }

    static RefinementService SERVICE;

    /** The young-generation collector's bean ("G1 Young Generation", "PS Scavenge", "Copy"). */
    static GarbageCollectorMXBean youngCollector() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            String n = b.getName();
            if (n.equals("G1 Young Generation") || n.equals("PS Scavenge") || n.equals("Copy")) return b;
        }
        return ManagementFactory.getGarbageCollectorMXBeans().get(0);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(141_040_001);
        for (int g = 1; g <= SPACE_GROUP_COUNT; g++) {
            int ops = g <= 2 ? g : g <= 15 ? 4 : g <= 74 ? 8 : g <= 142 ? 16 : g <= 194 ? 24 : 48;
            double[] m = new double[ops * 12];
            for (int j = 0; j < m.length; j++) m[j] = rnd.nextInt(3) - 1;
            SPACE_GROUPS.put(g, new SpaceGroup(g, g <= COMMON_GROUPS.length ? COMMON_GROUPS[g - 1] : "SG" + g, SYSTEMS[Math.min(6, g / 34)], m));
        }
        for (int e = 0; e < ELEMENTS; e++) {
            double[] cm = new double[9];
            for (int j = 0; j < cm.length; j++) cm[j] = rnd.nextDouble() * 20;
            SCATTERING_FACTORS.put("Z" + (e + 1), new ScatteringFactor("Z" + (e + 1), cm));
        }
        RefinementService svc = new RefinementService();
        SERVICE = svc;
        for (int d = 0; d < DATASETS; d++) {
            svc.datasetIds[d] = "XD-" + (20_000 + d * 3);
            svc.datasets.put(svc.datasetIds[d], new Dataset(svc.datasetIds[d], GROUPS[rnd.nextInt(GROUPS.length)] + "/u" + rnd.nextInt(400),
                    COMMON_GROUPS[rnd.nextInt(COMMON_GROUPS.length)], rnd.nextBoolean() ? 0.71073 : 1.54184, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.fftScratch.add(new double[4_096]);
        svc.start();

        Random jobs = new Random(141_040_002), work = new Random(141_040_003), maps = new Random(141_040_004);
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < JOBS_PER_MINUTE; k++) {
                Dataset ds = svc.datasets.get(svc.datasetIds[jobs.nextInt(DATASETS)]);
                RefinementJob job = new RefinementJob("RJ-" + (9_100_000 + seq++), ds.datasetId(), ds.owner(), ds.spaceGroup(), 12 + jobs.nextInt(48), 4 + jobs.nextInt(12), t + k * 8 * SECOND);
                svc.run(job, work, t + k * 8 * SECOND);
            }
            for (int k = 0; k < SLICES_PER_MINUTE; k++) svc.slice(svc.datasetIds[maps.nextInt(500)] + "/fo-fc/z" + maps.nextInt(24), maps, t);
            while (!svc.depositions.isEmpty() && svc.depositions.peekFirst().queuedAt() <= t - DEPOSIT_LAG_MINUTES * MINUTE) {
                svc.depositions.pollFirst();
                svc.deposited++;
            }
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val141.fixed");
        simulate();
        report();
        LeakCheck.histogram("NotificationEmitterSupport");
        System.gc();
        Thread.sleep(300); // let the notification thread deliver the last GC notification before the dump
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        RefinementService svc = SERVICE;
        int listening = (int) (svc.watchesAdded - svc.watchesRemoved) + 1;
        System.out.println((FIXED ? "FIXED " : "") + "space groups " + SPACE_GROUPS.size() + " elements " + SCATTERING_FACTORS.size() + " datasets " + svc.datasets.size() + " jobs " + svc.jobsRun
                + " watches +" + svc.watchesAdded + " -" + svc.watchesRemoved + " listeners on " + svc.gcBean.getName() + " (" + svc.gcBean.getClass().getName() + ") " + listening
                + " density maps " + svc.densityMaps.size() + " (renders " + svc.sliceRenders + ", hits " + svc.sliceHits + ", evicted " + svc.densityMaps.evicted + ") scratch pool " + svc.fftScratch.size()
                + " deposition backlog " + svc.depositions.size() + " (queued " + svc.queued + ", deposited " + svc.deposited + ")");
        check(SPACE_GROUPS.size() == SPACE_GROUP_COUNT && SCATTERING_FACTORS.size() == ELEMENTS && svc.datasets.size() == DATASETS, "reference data / directory");
        check(svc.jobsRun == (long) JOBS_PER_MINUTE * 60 * HOURS && svc.watchesAdded == svc.jobsRun, "jobs");
        check(FIXED ? svc.watchesRemoved == svc.jobsRun : svc.watchesRemoved == 0, "listeners");
        check(svc.densityMaps.size() == MAP_CAP && svc.densityMaps.evicted > 0 && svc.fftScratch.size() == POOL, "density map cache at cap / scratch pool");
        check(svc.recentJobs[RING - 1] != null, "job ring full");
        check(svc.depositions.size() > 0 && svc.queued == svc.deposited + svc.depositions.size(), "deposition backlog");
        check(svc.queued == 2_905 && svc.depositions.size() == 30 && svc.sliceRenders == 13_222, "expected counts: queued " + svc.queued + " backlog " + svc.depositions.size() + " renders " + svc.sliceRenders);
    }
}
