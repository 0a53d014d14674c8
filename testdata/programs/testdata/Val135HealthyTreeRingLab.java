// hprofscan-dump: name=val135-healthy-treeringlab jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val135-healthy-treeringlab-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 135 (written blind), HEALTHY: the dating service of a dendrochronology laboratory
 * (tree-ring dating of timbers from historic buildings, boats and archaeological sites). A large
 * read-only reference table (1,200 regional master chronologies, a float index per calendar year),
 * the sample register, a cache of rendered dating reports at its cap, a pool of plot buffers, a
 * fixed crew of 4 cross-dating workers idle on their queue at the dump, a ring of the recent
 * requests, a sign-off queue with its normal backlog, and a memo of cross-dating results keyed by
 * the normalised query (species | region | length class): a small key space, all hits after the
 * warm-up. See VALIDATION135.md.
 */
public final class Val135HealthyTreeRingLab {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int CHRONOLOGIES = 1_200, YEARS = 1_500, FIRST_YEAR = 500, SAMPLES = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 4_096,
            WORKERS = 4, REQUESTS = 40_000, HOURS = 10, BATCH = 50, LENGTH_CLASSES = 10;

    static final String[][] SPECIES = {
        {"QURO", "Quercus robur", "oak"}, {"QUPE", "Quercus petraea", "sessile oak"}, {"PISY", "Pinus sylvestris", "Scots pine"},
        {"FASY", "Fagus sylvatica", "beech"}, {"PCAB", "Picea abies", "Norway spruce"}, {"LADE", "Larix decidua", "larch"},
        {"ABAL", "Abies alba", "silver fir"}, {"FREX", "Fraxinus excelsior", "ash"}, {"ULGL", "Ulmus glabra", "wych elm"},
        {"CASA", "Castanea sativa", "sweet chestnut"}, {"TAXU", "Taxus baccata", "yew"}, {"ALGL", "Alnus glutinosa", "alder"}};
    static final String[][] REGIONS = {
        {"SENG", "South England"}, {"EANG", "East Anglia"}, {"MIDL", "Midlands"}, {"NENG", "North England"}, {"WALE", "Wales"},
        {"SCOT", "Scotland"}, {"IREL", "Ireland"}, {"BRIT", "Brittany"}, {"NORM", "Normandy"}, {"FLAN", "Flanders"},
        {"HOLL", "Holland"}, {"NGER", "North Germany"}, {"SGER", "South Germany"}, {"DENM", "Denmark"}, {"SWED", "South Sweden"},
        {"NORW", "Norway"}, {"BALT", "Baltic"}, {"POLA", "Poland"}, {"BOHE", "Bohemia"}, {"ALPS", "Alps"},
        {"JURA", "Jura"}, {"PARI", "Paris Basin"}, {"BURG", "Burgundy"}, {"RHIN", "Rhineland"}, {"SAXO", "Saxony"}};
    static final String[] MATERIALS = {"roof truss", "floor joist", "boat plank", "well lining", "door frame", "panel painting", "barrel stave", "pile"};

    record MasterChronology(String code, String species, String region, int firstYear, float[] ringIndex) {}
    record Sample(String sampleId, String site, String speciesCode, String regionCode, int rings, byte[] measurementNotes, long receivedAt) {}
    record DatingRequest(long requestId, String sampleId, String rawQuery, String normalisedKey, long at) {}
    record DatingResult(String key, String bestChronology, int endYear, double tValue, double[] topTValues, String summary) {}
    record Report(String key, byte[] pdf, long renderedAt) {}
    record SignOff(String sampleId, String reportKey, long readyAt) {}

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    /** The read-only reference collection, loaded at startup. */
    static final Map<String, MasterChronology> MASTER_CHRONOLOGIES = new HashMap<>();

    /** Cross-dating, memoised by the normalised query (the same few thousand queries all day). */
    static final class CrossDater {
        final ConcurrentHashMap<String, DatingResult> memo = new ConcurrentHashMap<>();
        final AtomicLong computed = new AtomicLong(), lookups = new AtomicLong();

        static String normalise(String rawQuery) {
            // "Quercus robur ; South England ; 118 rings" -> "QURO|SENG|L100"
            String[] parts = rawQuery.split(";");
            String species = parts[0].trim(), region = parts[1].trim();
            int rings = Integer.parseInt(parts[2].trim().split(" ")[0]);
            String sp = null, rg = null;
            for (String[] s : SPECIES) if (s[1].equalsIgnoreCase(species)) sp = s[0];
            for (String[] g : REGIONS) if (g[1].equalsIgnoreCase(region)) rg = g[0];
            int cls = Math.min(LENGTH_CLASSES - 1, Math.max(0, (rings - 50) / 25));
            return sp + "|" + rg + "|L" + (50 + cls * 25);
        }

        DatingResult date(String key) {
            lookups.incrementAndGet();
            return memo.computeIfAbsent(key, k -> {
                computed.incrementAndGet();
                Random r = new Random(k.hashCode());
                String[] p = k.split("\\|");
                double[] top = new double[8];
                String best = null;
                double bestT = -1;
                for (int i = 0; i < top.length; i++) {
                    String code = p[0] + "-" + p[1] + "-" + (1 + r.nextInt(4));
                    MasterChronology m = MASTER_CHRONOLOGIES.get(code);
                    double sum = 0;
                    int from = r.nextInt(YEARS - 300);
                    for (int y = from; y < from + 200; y++) sum += m.ringIndex()[y];
                    top[i] = 2.0 + (sum % 1.0) * 8.0;
                    if (top[i] > bestT) { bestT = top[i]; best = code; }
                }
                int endYear = FIRST_YEAR + 300 + r.nextInt(YEARS - 300);
                return new DatingResult(k, best, endYear, bestT, top, "Felled after " + endYear + "; best match " + best + " t=" + String.format(java.util.Locale.ROOT, "%.2f", bestT));
            });
        }
    }

    static final class LabService {
        final Map<String, Sample> samples = new HashMap<>();
        final String[] sampleIds = new String[SAMPLES];
        final CrossDater dater = new CrossDater();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> { Thread t = new Thread(runnable, "crossdating-" + WORKER_IDS.getAndIncrement()); t.setDaemon(true); return t; });
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> plotBuffers = new ArrayDeque<>();
        final DatingRequest[] recent = new DatingRequest[RING];
        final ArrayDeque<SignOff> signOffQueue = new ArrayDeque<>();
        long requests, tasksSubmitted, tasksCompleted, reportsRendered, signedOff;

        void render(DatingRequest q, DatingResult res, Random r) {
            String key = res.key() + "|" + q.sampleId().substring(q.sampleId().length() - 1);
            if (reports.get(key) == null) {
                byte[] buf = plotBuffers.poll();
                buf[(int) (reportsRendered % buf.length)] = (byte) res.endYear();
                plotBuffers.add(buf);
                reports.put(key, new Report(key, new byte[400 + r.nextInt(400)], q.at()));
                reportsRendered++;
            }
            if (r.nextInt(8) == 0) signOffQueue.addLast(new SignOff(q.sampleId(), key, q.at())); // commissioned reports need a dendrochronologist's sign-off
        }

        void signOff(long t) {
            while (!signOffQueue.isEmpty() && signOffQueue.peekFirst().readyAt() <= t - 45 * MINUTE) { signOffQueue.pollFirst(); signedOff++; }
        }
    }

    static final AtomicLong WORKER_IDS = new AtomicLong(1);
    static LabService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(135_020_001);
        for (String[] sp : SPECIES) {
            for (String[] rg : REGIONS) {
                for (int v = 1; v <= 4; v++) {
                    float[] idx = new float[YEARS];
                    for (int y = 0; y < YEARS; y++) idx[y] = 0.4f + rnd.nextFloat() * 1.2f;
                    String code = sp[0] + "-" + rg[0] + "-" + v;
                    MASTER_CHRONOLOGIES.put(code, new MasterChronology(code, sp[1], rg[1], FIRST_YEAR, idx));
                }
            }
        }
        LabService svc = new LabService();
        SERVICE = svc;
        svc.workers.prestartAllCoreThreads();
        for (int i = 0; i < SAMPLES; i++) {
            svc.sampleIds[i] = "DR" + (240_000 + i * 3);
            String[] sp = SPECIES[rnd.nextInt(SPECIES.length)];
            String[] rg = REGIONS[rnd.nextInt(REGIONS.length)];
            svc.samples.put(svc.sampleIds[i], new Sample(svc.sampleIds[i], MATERIALS[rnd.nextInt(MATERIALS.length)] + ", site " + (i % 1_700), sp[0], rg[0], 50 + rnd.nextInt(260), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotBuffers.add(new byte[32_768]);
        Random traffic = new Random(135_020_002), render = new Random(135_020_003);
        List<DatingRequest> batch = new ArrayList<>(BATCH);
        List<Future<DatingResult>> results = new ArrayList<>(BATCH);
        long nextSignOff = start + 15 * MINUTE;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (nextSignOff <= t) { svc.signOff(nextSignOff); nextSignOff += 15 * MINUTE; }
            Sample s = svc.samples.get(svc.sampleIds[traffic.nextInt(SAMPLES)]);
            String species = SPECIES[indexOf(SPECIES, s.speciesCode())][1];
            String region = REGIONS[indexOf(REGIONS, s.regionCode())][1];
            String raw = (traffic.nextBoolean() ? species : species.toUpperCase()) + (traffic.nextBoolean() ? " ; " : ";") + region + " ; " + s.rings() + " rings";
            DatingRequest q = new DatingRequest(9_000_000L + i, s.sampleId(), raw, CrossDater.normalise(raw), t);
            batch.add(q);
            results.add(svc.workers.submit(() -> svc.dater.date(q.normalisedKey())));
            svc.tasksSubmitted++;
            if (batch.size() == BATCH || i == REQUESTS - 1) {
                for (int k = 0; k < batch.size(); k++) {
                    DatingResult res = results.get(k).get();
                    svc.tasksCompleted++;
                    DatingRequest done = batch.get(k);
                    svc.recent[(int) (svc.requests++ % RING)] = done;
                    svc.render(done, res, render);
                }
                batch.clear();
                results.clear();
            }
        }
    }

    static int indexOf(String[][] table, String code) {
        for (int i = 0; i < table.length; i++) if (table[i][0].equals(code)) return i;
        throw new IllegalArgumentException(code);
    }

    static void report() throws Exception {
        LabService svc = SERVICE;
        // the workers are idle on their queue: every task has completed and been collected
        long deadline = System.currentTimeMillis() + 10_000;
        while (svc.workers.getActiveCount() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(5);
        long hits = svc.dater.lookups.get() - svc.dater.computed.get();
        System.out.println("chronologies " + MASTER_CHRONOLOGIES.size() + " samples " + svc.samples.size() + " requests " + svc.requests + " tasks " + svc.tasksSubmitted + "/" + svc.tasksCompleted
                + " memo " + svc.dater.memo.size() + " (computed " + svc.dater.computed.get() + ", hits " + hits + ") workers " + svc.workers.getPoolSize() + " active " + svc.workers.getActiveCount() + " queued " + svc.workers.getQueue().size());
        System.out.println("  reports " + svc.reports.size() + " (rendered " + svc.reportsRendered + ", evicted " + svc.reports.evicted + ") pool " + svc.plotBuffers.size() + " sign-off backlog " + svc.signOffQueue.size() + " (signed " + svc.signedOff + ")");
        check(MASTER_CHRONOLOGIES.size() == CHRONOLOGIES && svc.samples.size() == SAMPLES, "reference data / directory");
        check(svc.requests == REQUESTS && svc.tasksSubmitted == REQUESTS && svc.tasksCompleted == REQUESTS && svc.dater.lookups.get() == REQUESTS, "requests");
        check(svc.dater.memo.size() == svc.dater.computed.get() && (EXPECTED_MEMO < 0 || svc.dater.memo.size() == EXPECTED_MEMO), "memo entries " + svc.dater.memo.size());
        check(svc.workers.getPoolSize() == WORKERS && svc.workers.getActiveCount() == 0 && svc.workers.getQueue().isEmpty(), "workers idle");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.plotBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(EXPECTED_BACKLOG < 0 || svc.signOffQueue.size() == EXPECTED_BACKLOG, "sign-off backlog " + svc.signOffQueue.size());
    }

    static final int EXPECTED_MEMO = 2_988, EXPECTED_BACKLOG = 484;

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
