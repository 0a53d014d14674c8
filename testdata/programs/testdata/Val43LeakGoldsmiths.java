// hprofscan-dump: name=val43-leak-goldsmiths jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val43-leak-goldsmiths-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 43 (written blind), LEAK: the assay service of a goldsmiths' assay office (makers send
 * rings, chains, bangles and flatware to be assayed and hallmarked). Alloy-standard reference data, the
 * directory of registered makers (sponsor's marks), an LRU of rendered assay certificates at its cap, a
 * pool of XRF spectrum buffers, a ring of hallmark records, the assay jobs in progress (runningJobs),
 * and the job-state publication for a monitoring agent that has since been removed: every job's state is
 * published as JVM system properties, System.setProperty("assay." + jobId + ".state" / ".assayer" /
 * ".result", ...) (the result a 200-400 character summary), and nothing ever clears them. System.props
 * (a java.util.Properties, its entries in its internal ConcurrentHashMap) keeps three entries per job
 * ever assayed. No thread besides main. See VALIDATION43.md.
 */
public final class Val43LeakGoldsmiths {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ALLOYS = 700, MAKERS = 18_000, CERT_CAP = 1_200, POOL = 8, RING = 2_048, HOURS = 10;
    static final String[] ASSAYERS = {"E. Pennington", "R. Okafor", "M. Lindqvist", "S. Hartley", "J. Abernethy", "P. Sandoval", "K. Mistry", "T. Ferreira", "L. Whitcombe", "D. Nakamura", "A. Brannigan", "H. Osei"};
    static final String[] ARTICLES = {"ring", "bangle", "chain", "brooch", "cufflinks", "locket", "spoon", "salver", "cup", "pendant"};
    static final String[] STANDARDS = {"9ct", "14ct", "18ct", "22ct", "sterling", "britannia", "platinum 950", "palladium 500"};
    static boolean FIXED;

    record Alloy(String code, String standard, int finenessPerMille, double[] referenceSpectrum) {}
    record Maker(String sponsorMark, String name, byte[] registration, long registeredAt) {}
    record Certificate(String jobId, byte[] rendered, long issuedAt) {}
    record HallmarkRecord(String jobId, String sponsorMark, String alloyCode, int pieces, boolean passed, long markedAt) {}

    static final class AssayJob {
        final String jobId;
        final Maker maker;
        final Alloy alloy;
        final String article;
        final int pieces;
        final String assayer;
        final long receivedAt, dueAt;
        String state = "RECEIVED";
        AssayJob(String jobId, Maker maker, Alloy alloy, String article, int pieces, String assayer, long receivedAt, long dueAt) {
            this.jobId = jobId; this.maker = maker; this.alloy = alloy; this.article = article; this.pieces = pieces; this.assayer = assayer; this.receivedAt = receivedAt; this.dueAt = dueAt;
        }
    }

    /** An LRU of rendered certificates (makers download them again within the day). */
    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Alloy> ALLOYS_BY_CODE = new HashMap<>();

    static final class AssayService {
        final Map<String, Maker> makers = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<double[]> xrfBuffers = new ArrayDeque<>();
        final HallmarkRecord[] hallmarks = new HallmarkRecord[RING];
        final Map<String, AssayJob> runningJobs = new HashMap<>();
        long hallmarksWritten, published;

        /** Publishes a job's state for the monitoring agent (removed since; the properties stayed). */
        void publish(AssayJob job, String result) {
            System.setProperty("assay." + job.jobId + ".state", job.state);
            System.setProperty("assay." + job.jobId + ".assayer", job.assayer);
            System.setProperty("assay." + job.jobId + ".result", result);
            published++;
        }

        void receive(AssayJob job) {
            runningJobs.put(job.jobId, job);
            job.state = "ASSAYING";
            publish(job, "pending");
        }

        void complete(AssayJob job, long at, Random traffic) {
            boolean passed = traffic.nextInt(25) != 0;
            job.state = passed ? "PASSED" : "FAILED";
            double measured = job.alloy.finenessPerMille() + (passed ? 0.1 + traffic.nextInt(40) / 10.0 : -(2 + traffic.nextInt(60) / 10.0));
            double[] spectrum = xrfBuffers.poll();
            spectrum[(int) (published % spectrum.length)] = measured;
            xrfBuffers.add(spectrum);
            publish(job, summary(job, measured, passed, at, 200 + traffic.nextInt(201)));
            runningJobs.remove(job.jobId);
            hallmarks[(int) (hallmarksWritten++ % RING)] = new HallmarkRecord(job.jobId, job.maker.sponsorMark(), job.alloy.code(), job.pieces, passed, at);
            certificates.put(job.jobId, new Certificate(job.jobId, new byte[600 + traffic.nextInt(600)], at));
            if (FIXED) { // the fix: the job's properties go when the job ends
                System.clearProperty("assay." + job.jobId + ".state");
                System.clearProperty("assay." + job.jobId + ".assayer");
                System.clearProperty("assay." + job.jobId + ".result");
            }
        }

        /** The textual result of an assay, exactly {@code length} characters. */
        static String summary(AssayJob job, double measured, boolean passed, long at, int length) {
            StringBuilder sb = new StringBuilder(length);
            sb.append("job ").append(job.jobId).append(": ").append(job.pieces).append(' ').append(job.article).append("(s) by ").append(job.maker.sponsorMark())
                    .append(", declared ").append(job.alloy.standard()).append(" (").append(job.alloy.finenessPerMille()).append("), measured ")
                    .append(String.format(Locale.ROOT, "%.1f", measured)).append(" by XRF and cupellation; ").append(passed ? "hallmark struck" : "below standard, returned unmarked")
                    .append(" at ").append(at).append("; assayer ").append(job.assayer).append(". Remarks:");
            String filler = " solder within tolerance, scrape samples from the shank and the clasp;";
            while (sb.length() < length) sb.append(filler, 0, Math.min(filler.length(), length - sb.length()));
            if (sb.length() != length) throw new IllegalStateException("summary length " + sb.length());
            return sb.toString();
        }
    }

    static AssayService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static long assayProperties() {
        long n = 0;
        for (Object k : System.getProperties().keySet()) if (k instanceof String s && s.startsWith("assay.")) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val43.fixed");
        long jdkProperties = System.getProperties().size();
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(43_020_001);
        Alloy[] alloys = new Alloy[ALLOYS];
        int[] fineness = {375, 585, 750, 916, 925, 958, 950, 500};
        for (int a = 0; a < ALLOYS; a++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble() * 1_000;
            String code = "AL-" + (4_000 + a);
            alloys[a] = new Alloy(code, STANDARDS[a % STANDARDS.length], fineness[a % fineness.length], c);
            ALLOYS_BY_CODE.put(code, alloys[a]);
        }
        AssayService svc = new AssayService();
        SERVICE = svc;
        Maker[] makers = new Maker[MAKERS];
        for (int m = 0; m < MAKERS; m++) {
            String mark = "SM-" + (100_000 + m * 11);
            makers[m] = new Maker(mark, "Maker " + m, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * DAY);
            svc.makers.put(mark, makers[m]);
        }
        for (int b = 0; b < POOL; b++) svc.xrfBuffers.add(new double[4_096]);

        Random traffic = new Random(43_020_002);
        Map<Long, List<AssayJob>> due = new HashMap<>();
        long received = 0, completed = 0, downloads = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            List<AssayJob> done = due.remove(minute);
            if (done != null) for (AssayJob job : done) { svc.complete(job, minute + traffic.nextInt(60_000), traffic); completed++; }
            int jobs = 8 + traffic.nextInt(8);
            for (int k = 0; k < jobs; k++) {
                long at = minute + traffic.nextInt(60_000);
                AssayJob job = new AssayJob("AJ-" + (4_100_000 + received), makers[traffic.nextInt(MAKERS)], alloys[traffic.nextInt(ALLOYS)], ARTICLES[traffic.nextInt(ARTICLES.length)],
                        1 + traffic.nextInt(24), ASSAYERS[traffic.nextInt(ASSAYERS.length)], at, minute + (long) (30 + traffic.nextInt(120)) * MINUTE);
                svc.receive(job);
                due.computeIfAbsent(job.dueAt, x -> new ArrayList<>()).add(job);
                received++;
            }
            // Makers download recent certificates again (access order).
            for (int k = 0; k < 3 && completed > 0; k++) if (svc.certificates.get("AJ-" + (4_100_000 + completed - 1 - traffic.nextInt((int) Math.min(completed, 400)))) != null) downloads++;
        }
        due = null;
        long props = assayProperties();
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "alloys " + ALLOYS_BY_CODE.size() + " makers " + svc.makers.size() + " received " + received + " completed " + completed
                + " running " + svc.runningJobs.size() + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ", downloads " + downloads
                + ") hallmarks " + svc.hallmarksWritten + " pool " + svc.xrfBuffers.size() + " published " + svc.published + " assay properties " + props
                + " system properties " + System.getProperties().size() + " (JDK's " + jdkProperties + ")");
        check(ALLOYS_BY_CODE.size() == ALLOYS && svc.makers.size() == MAKERS, "reference data / directory");
        check(received == EXPECTED_RECEIVED && completed == EXPECTED_COMPLETED && svc.runningJobs.size() == received - completed, "jobs");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted == completed - CERT_CAP && svc.hallmarksWritten == completed && svc.hallmarks[RING - 1] != null && svc.xrfBuffers.size() == POOL, "certificates / hallmarks / pool");
        check(svc.published == received + completed, "published");
        check(props == 3 * (FIXED ? received - completed : received) && System.getProperties().size() == jdkProperties + props, "assay properties " + props);
        LeakCheck.histogram("  [I ", "java.util.concurrent.ConcurrentHashMap$Node ", "java.lang.String ", "  [B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_RECEIVED = 6_859, EXPECTED_COMPLETED = 5_859;
}
