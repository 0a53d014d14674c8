// hprofscan-dump: name=val131-healthy-olivepresses jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val131-healthy-olivepresses-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 131 (written blind), HEALTHY: the multi-tenant platform of 36 olive-oil mills
 * (co-operative presses). Cultivar reference data, the grower directory (long-lived member
 * records), per-mill capped caches of yield reports keyed by the mill's tenant id (a fixed set: most
 * at their cap, the small mills below it), a set of running press-analysis jobs whose equals/hashCode
 * cover only the immutable job id (only the in-flight jobs are there), a large label-artwork cache of
 * SoftReferences (simply big: every bottle label of every mill), a ring of weighbridge tickets, a pool
 * of label-printer buffers and a lab-sample queue with its normal backlog. See VALIDATION131.md.
 */
public final class Val131HealthyOlivePresses {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int MILLS = 36, SMALL_MILLS = 6, CULTIVARS = 1_000, GROWERS = 22_000, LABELS_PER_MILL = 40, REPORT_CAP = 64;
    static final int PRESS_LINES = 12, TICKET_RING = 8_192, JOB_RING = 512, POOL = 8, HOURS = 10;
    static final int DELIVERIES_PER_HOUR = 1_200, JOBS_PER_HOUR = 100, REPORT_VIEWS_PER_HOUR = 2_000, LAB_BATCH = 60;
    static final String[] VARIETIES = {"Arbequina", "Picual", "Koroneiki", "Frantoio", "Leccino", "Hojiblanca", "Coratina", "Manzanilla", "Cornicabra", "Empeltre"};
    static final String[] JOB_KINDS = {"malaxation-curve", "yield-estimate", "polyphenol-forecast", "pomace-balance"};
    static final String[] REPORTS = {"yield", "acidity", "peroxide", "k232", "payout", "moisture"};

    record Cultivar(String code, String variety, String region, double[] weeklyYield) {}
    record Mill(String tenantId, String name, String town, int pressLines) {}
    record Grower(String growerId, String millId, String name, long memberSince, int trees, byte[] parcelRegister) {}
    record YieldReport(String key, String millId, double[] values, byte[] rendered, long at) {}
    record LabelArtwork(String sku, String millId, String title, byte[] png) {}
    record WeighTicket(long ticketNo, String growerId, int kilos, long at) {}
    record LabSample(String sampleId, String growerId, long takenAt) {}
    record JobSummary(String jobId, String kind, String status, long startedAt, long finishedAt) {}

    enum Status { QUEUED, RUNNING, DONE }

    /** A press-analysis job: identity is the job id, which never changes. */
    static final class PressJob {
        final String jobId; final String millId; final String kind; final long submittedAt; final long durationMillis;
        volatile Status status = Status.QUEUED;
        long startedAt, finishedAt;
        PressJob(String jobId, String millId, String kind, long submittedAt, long durationMillis) { this.jobId = jobId; this.millId = millId; this.kind = kind; this.submittedAt = submittedAt; this.durationMillis = durationMillis; }
        @Override public boolean equals(Object o) { return o instanceof PressJob && ((PressJob) o).jobId.equals(jobId); }
        @Override public int hashCode() { return Objects.hash(jobId); }
    }

    static final class LruCache<K, V> extends LinkedHashMap<K, V> {
        final int cap;
        long evicted;
        LruCache(int cap) { super(16, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, Cultivar> CULTIVARS_BY_CODE = new HashMap<>();

    static final class MillPlatform {
        final Map<String, Mill> mills = new LinkedHashMap<>();
        final String[] millIds = new String[MILLS];
        final Map<String, Grower> growers = new HashMap<>();
        final String[] growerIds = new String[GROWERS];
        /** Yield reports per mill, keyed by the mill's tenant id. */
        final Map<String, LruCache<String, YieldReport>> reportCaches = new ConcurrentHashMap<>();
        final Set<PressJob> running = ConcurrentHashMap.newKeySet();
        final ArrayDeque<PressJob> waiting = new ArrayDeque<>();
        final PressJob[] lines = new PressJob[PRESS_LINES];
        final JobSummary[] recentJobs = new JobSummary[JOB_RING];
        final Map<String, SoftReference<LabelArtwork>> labelArtwork = new ConcurrentHashMap<>();
        final String[] skus = new String[MILLS * LABELS_PER_MILL];
        final WeighTicket[] tickets = new WeighTicket[TICKET_RING];
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final ArrayDeque<LabSample> labQueue = new ArrayDeque<>();
        long deliveries, kilos, jobsSubmitted, jobsStarted, jobsDone, reportViews, reportsRendered, labelsPrinted, samplesTaken, samplesAnalysed, artworkReloads;

        LruCache<String, YieldReport> cacheOf(String millId) { return reportCaches.computeIfAbsent(millId, id -> new LruCache<>(REPORT_CAP)); }

        YieldReport report(String millId, String key, Random r, long at) {
            LruCache<String, YieldReport> cache = cacheOf(millId);
            YieldReport rep = cache.get(key);
            if (rep == null) {
                double[] v = new double[24];
                for (int k = 0; k < v.length; k++) v[k] = r.nextDouble() * 20;
                rep = new YieldReport(key, millId, v, new byte[500 + r.nextInt(500)], at);
                cache.put(key, rep);
                reportsRendered++;
            }
            reportViews++;
            return rep;
        }

        /** Weeks of reports a mill looks at: the small mills (no analysis subscription) keep few. */
        int keySpace(int mill) { return mill < MILLS - SMALL_MILLS ? 50 : 4 + (mill - (MILLS - SMALL_MILLS)); }

        void deliver(Random r, long at) {
            String grower = growerIds[r.nextInt(GROWERS)];
            int kg = 200 + r.nextInt(3_000);
            tickets[(int) (deliveries % TICKET_RING)] = new WeighTicket(9_000_000L + deliveries, grower, kg, at);
            deliveries++;
            kilos += kg;
            if (r.nextInt(4) == 0) labQueue.add(new LabSample("LS-" + (600_000 + samplesTaken++), grower, at));
            if (r.nextInt(10) == 0) printLabel(r);
        }

        void printLabel(Random r) {
            String sku = skus[r.nextInt(skus.length)];
            LabelArtwork art = labelArtwork.get(sku).get();
            if (art == null) { artworkReloads++; return; }
            byte[] buf = printerBuffers.poll();
            System.arraycopy(art.png(), 0, buf, 0, Math.min(64, art.png().length));
            printerBuffers.add(buf);
            labelsPrinted++;
        }

        void submit(Random r, long at) {
            int mill = r.nextInt(MILLS - SMALL_MILLS); // the small mills have no press-analysis subscription
            PressJob j = new PressJob("PJ-" + (40_000 + jobsSubmitted++), millIds[mill], JOB_KINDS[r.nextInt(JOB_KINDS.length)], at, (2 + r.nextInt(7)) * MINUTE);
            waiting.add(j);
        }

        /** Each press-analysis line finishes its job when due and takes the next waiting one. */
        void runLines(Random r, long now) {
            for (int k = 0; k < PRESS_LINES; k++) {
                PressJob j = lines[k];
                if (j != null && j.startedAt + j.durationMillis <= now) {
                    j.status = Status.DONE;
                    j.finishedAt = now;
                    running.remove(j);
                    report(j.millId, j.kind + "/" + j.jobId, r, now);
                    recentJobs[(int) (jobsDone++ % JOB_RING)] = new JobSummary(j.jobId, j.kind, j.status.name(), j.startedAt, j.finishedAt);
                    lines[k] = null;
                }
                if (lines[k] == null && !waiting.isEmpty()) {
                    PressJob n = waiting.poll();
                    n.status = Status.RUNNING;
                    n.startedAt = now;
                    running.add(n);
                    lines[k] = n;
                    jobsStarted++;
                }
            }
        }

        void analyseSamples(long now) {
            int n = 0;
            while (n < LAB_BATCH && !labQueue.isEmpty() && labQueue.peek().takenAt() <= now - 20 * MINUTE) { labQueue.poll(); n++; samplesAnalysed++; }
        }
    }

    static MillPlatform PLATFORM;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(131_060_001);
        for (int c = 0; c < CULTIVARS; c++) {
            double[] y = new double[52];
            for (int k = 0; k < y.length; k++) y[k] = rnd.nextDouble() * 25;
            String code = "CU-" + (1_000 + c);
            CULTIVARS_BY_CODE.put(code, new Cultivar(code, VARIETIES[c % VARIETIES.length], "Region " + (c % 40), y));
        }
        MillPlatform p = new MillPlatform();
        PLATFORM = p;
        for (int m = 0; m < MILLS; m++) {
            p.millIds[m] = "mill-" + (m < 10 ? "0" : "") + m;
            p.mills.put(p.millIds[m], new Mill(p.millIds[m], "Almazara " + (m + 1), "Town " + (m % 17), 1 + rnd.nextInt(4)));
        }
        for (int g = 0; g < GROWERS; g++) {
            p.growerIds[g] = "GR" + (3_000_000 + g * 13);
            p.growers.put(p.growerIds[g], new Grower(p.growerIds[g], p.millIds[g % MILLS], "Grower " + g, now - (long) (365 + rnd.nextInt(30 * 365)) * DAY, 50 + rnd.nextInt(4_000), new byte[150 + rnd.nextInt(150)]));
        }
        for (int m = 0; m < MILLS; m++) {
            for (int l = 0; l < LABELS_PER_MILL; l++) {
                String sku = p.millIds[m] + "/EVOO-" + (l < 10 ? "0" : "") + l;
                p.skus[m * LABELS_PER_MILL + l] = sku;
                p.labelArtwork.put(sku, new SoftReference<>(new LabelArtwork(sku, p.millIds[m], "Extra virgin olive oil " + (250 * (1 + l % 4)) + " ml", new byte[4_000 + rnd.nextInt(4_000)])));
            }
        }
        for (int b = 0; b < POOL; b++) p.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(131_060_002);
        long deliverySpacing = HOUR / DELIVERIES_PER_HOUR, jobSpacing = HOUR / JOBS_PER_HOUR, viewSpacing = HOUR / REPORT_VIEWS_PER_HOUR;
        long nd = 0, nj = 0, nv = 0;
        for (int m = 1; m <= HOURS * 60; m++) {
            long tick = start + m * MINUTE;
            for (; start + nd * deliverySpacing < tick; nd++) p.deliver(traffic, start + nd * deliverySpacing);
            for (; start + nj * jobSpacing < tick; nj++) p.submit(traffic, start + nj * jobSpacing);
            for (; start + nv * viewSpacing < tick; nv++) {
                int mill = traffic.nextInt(MILLS);
                p.report(p.millIds[mill], REPORTS[traffic.nextInt(REPORTS.length)] + "/w" + traffic.nextInt(p.keySpace(mill)), traffic, start + nv * viewSpacing);
            }
            p.runLines(traffic, tick);
            if (m % 10 == 0) p.analyseSamples(tick);
        }
    }

    static final long[] EXPECTED = {20_993, 2_154, 993, 7, 0, 2_956, 103, 1_186, 8_616_590};

    static void verify() {
        MillPlatform p = PLATFORM;
        int atCap = 0, reports = 0, inFlight = 0, soft = 0;
        long softBytes = 0;
        for (LruCache<String, YieldReport> c : p.reportCaches.values()) { reports += c.size(); if (c.size() == REPORT_CAP) atCap++; }
        for (PressJob j : p.lines) if (j != null) inFlight++;
        for (SoftReference<LabelArtwork> ref : p.labelArtwork.values()) { LabelArtwork a = ref.get(); if (a != null) { soft++; softBytes += a.png().length; } }
        System.out.println("cultivars " + CULTIVARS_BY_CODE.size() + " mills " + p.mills.size() + " growers " + p.growers.size()
                + " | report caches " + p.reportCaches.size() + " at cap " + atCap + " reports " + reports + " views " + p.reportViews + " rendered " + p.reportsRendered
                + " | jobs submitted " + p.jobsSubmitted + " started " + p.jobsStarted + " done " + p.jobsDone + " running " + p.running.size() + " waiting " + p.waiting.size()
                + " | label artwork " + p.labelArtwork.size() + " alive " + soft + " (" + softBytes + " bytes) printed " + p.labelsPrinted + " reloads " + p.artworkReloads
                + " | deliveries " + p.deliveries + " kilos " + p.kilos + " samples " + p.samplesTaken + " analysed " + p.samplesAnalysed + " lab backlog " + p.labQueue.size() + " pool " + p.printerBuffers.size());
        check(CULTIVARS_BY_CODE.size() == CULTIVARS && p.mills.size() == MILLS && p.growers.size() == GROWERS, "reference data / directory");
        check(p.reportCaches.size() == MILLS && atCap == MILLS - SMALL_MILLS, "one report cache per mill, the big ones at their cap");
        check(p.running.size() == inFlight && p.jobsStarted - p.jobsDone == inFlight, "running = in flight");
        check(p.labelArtwork.size() == MILLS * LABELS_PER_MILL && soft == MILLS * LABELS_PER_MILL && p.artworkReloads == 0, "label artwork all loaded");
        check(p.printerBuffers.size() == POOL && p.tickets[TICKET_RING - 1] != null, "pool / ring");
        long[] got = {p.reportViews, reports, p.jobsDone, p.running.size(), p.waiting.size(), p.samplesAnalysed, p.labQueue.size(), p.labelsPrinted, softBytes};
        check(java.util.Arrays.equals(EXPECTED, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(EXPECTED));
    }

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
