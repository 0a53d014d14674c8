// hprofscan-dump: name=val83-leak-sequencinglab jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val83-leak-sequencinglab-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Validation set 83 (written blind), LEAK: the analysis-pipeline scheduler of a genomics core
 * facility's sequencing lab. Gene-panel reference data, the sample directory, a cache of rendered QC
 * reports at its cap, a pool of base-call buffers, a ring of instrument telemetry, the running
 * analysis jobs, and JMX monitoring: every analysis job (demultiplex, align, call variants for one
 * flow cell) publishes its progress as an MBean (a javax.management.StandardMBean wrapping the job,
 * interface AnalysisJobMBean) registered in the platform MBeanServer under
 * org.seqcore.pipeline:type=AnalysisJob,instrument=...,job=J-..., so the lab's monitoring console can
 * watch it. Nothing unregisters the MBean when the job completes: the MBeanServer's repository keeps
 * every job ever run, with its sample sheet and lane metrics. See VALIDATION83.md.
 */
public final class Val83LeakSequencingLab {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PANELS = 1_400, SAMPLES = 24_000, REPORT_CAP = 2_000, POOL = 8, RING = 16_384, JOBS_PER_HOUR = 300, HOURS = 10, INSTRUMENTS = 24;
    static final String DOMAIN = "org.seqcore.pipeline";
    static boolean FIXED;

    record GenePanel(String code, String name, double[] targetCoverage) {}
    record Sample(String barcode, String project, String panelCode, byte[] consentRecord, long receivedAt) {}
    record QcReport(String key, byte[] rendered, long at) {}
    record Telemetry(String instrument, String metric, double value, long at) {}

    /** The management interface the monitoring console reads. */
    public interface AnalysisJobMBean {
        String getJobId();
        String getInstrument();
        String getState();
        long getReadsProcessed();
        double getPercentQ30();
        long getSubmittedAt();
        long getFinishedAt();
    }

    static final class AnalysisJob implements AnalysisJobMBean {
        final String jobId, instrument, flowcell;
        final long submittedAt, finishesAt;
        final byte[] sampleSheet;
        final double[] laneYield = new double[8];
        String state = "QUEUED";
        long readsProcessed, finishedAt;
        double percentQ30;
        ObjectName objectName;
        AnalysisJob(String jobId, String instrument, String flowcell, long submittedAt, long finishesAt, byte[] sampleSheet) {
            this.jobId = jobId; this.instrument = instrument; this.flowcell = flowcell; this.submittedAt = submittedAt; this.finishesAt = finishesAt; this.sampleSheet = sampleSheet;
        }
        @Override public String getJobId() { return jobId; }
        @Override public String getInstrument() { return instrument; }
        @Override public String getState() { return state; }
        @Override public long getReadsProcessed() { return readsProcessed; }
        @Override public double getPercentQ30() { return percentQ30; }
        @Override public long getSubmittedAt() { return submittedAt; }
        @Override public long getFinishedAt() { return finishedAt; }
    }

    static final class ReportCache extends LinkedHashMap<String, QcReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QcReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, GenePanel> PANELS_BY_CODE = new HashMap<>();

    static final class PipelineService {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Sample> samples = new HashMap<>();
        final Map<String, AnalysisJob> running = new HashMap<>();
        final PriorityQueue<AnalysisJob> byFinish = new PriorityQueue<>((a, b) -> Long.compare(a.finishesAt, b.finishesAt));
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> baseCallBuffers = new ArrayDeque<>();
        final Telemetry[] telemetry = new Telemetry[RING];
        long telemetryWritten, submitted, completed, registered, unregistered;

        void submit(AnalysisJob job, Random r) throws Exception {
            submitted++;
            job.state = "RUNNING";
            running.put(job.jobId, job);
            byFinish.add(job);
            job.objectName = new ObjectName(DOMAIN + ":type=AnalysisJob,instrument=" + job.instrument + ",job=" + job.jobId);
            mbeans.registerMBean(new StandardMBean(job, AnalysisJobMBean.class), job.objectName);
            registered++;
        }

        void completeUpTo(long t, Random r) throws Exception {
            while (!byFinish.isEmpty() && byFinish.peek().finishesAt <= t) {
                AnalysisJob job = byFinish.poll();
                running.remove(job.jobId);
                job.state = r.nextInt(40) == 0 ? "FAILED" : "SUCCEEDED";
                job.finishedAt = job.finishesAt;
                job.readsProcessed = 200_000_000L + r.nextInt(400_000_000);
                job.percentQ30 = 80 + r.nextDouble() * 15;
                for (int l = 0; l < job.laneYield.length; l++) job.laneYield[l] = 40 + r.nextDouble() * 60;
                completed++;
                // BUG: the job's MBean stays registered. The fix unregisters it here.
                if (FIXED) { mbeans.unregisterMBean(job.objectName); unregistered++; }
            }
        }
    }

    static PipelineService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val83.fixed");
        int jobs = JOBS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(83_020_001);
        String[] panelCodes = new String[PANELS];
        for (int p = 0; p < PANELS; p++) {
            double[] coverage = new double[64];
            for (int k = 0; k < coverage.length; k++) coverage[k] = 30 + rnd.nextDouble() * 500;
            panelCodes[p] = "GP-" + (10_000 + p);
            PANELS_BY_CODE.put(panelCodes[p], new GenePanel(panelCodes[p], "Panel " + (p % 97) + "." + (p / 97), coverage));
        }
        PipelineService svc = new PipelineService();
        SERVICE = svc;
        String[] barcodes = new String[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            barcodes[s] = "SQ" + (48_000_000 + s * 13);
            svc.samples.put(barcodes[s], new Sample(barcodes[s], "PRJ-" + (700 + rnd.nextInt(300)), panelCodes[rnd.nextInt(PANELS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.baseCallBuffers.add(new byte[32_768]);
        String[] instruments = new String[INSTRUMENTS];
        for (int i = 0; i < INSTRUMENTS; i++) instruments[i] = (i % 3 == 0 ? "NX-" : i % 3 == 1 ? "NV-" : "MS-") + (10 + i);
        String[] metrics = {"cluster_density", "flow_temp", "laser_power", "pf_reads"};
        Random traffic = new Random(83_020_002);
        Random outcomes = new Random(83_020_003);
        for (int j = 0; j < jobs; j++) {
            long t = start + (end - MINUTE - start) * j / jobs;
            svc.completeUpTo(t, outcomes);
            String instrument = instruments[traffic.nextInt(INSTRUMENTS)];
            AnalysisJob job = new AnalysisJob("J-" + (5_200_000 + j), instrument, "FC" + Long.toHexString(0xA000_0000L + traffic.nextInt(1 << 28)).toUpperCase(), t,
                    t + (20 + traffic.nextInt(41)) * MINUTE, new byte[800 + traffic.nextInt(800)]);
            svc.submit(job, traffic);
            for (int k = 0; k < 8; k++) {
                svc.telemetry[(int) (svc.telemetryWritten++ % RING)] = new Telemetry(instruments[traffic.nextInt(INSTRUMENTS)], metrics[traffic.nextInt(metrics.length)], traffic.nextDouble() * 100, t);
            }
            for (int k = 0; k < 3; k++) {
                String key = "qc-" + barcodes[traffic.nextInt(SAMPLES)].substring(0, 7) + "-" + traffic.nextInt(12);
                if (svc.reports.get(key) == null) svc.reports.put(key, new QcReport(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.baseCallBuffers.poll();
            buf[j % buf.length] = (byte) j;
            svc.baseCallBuffers.add(buf);
        }
        svc.completeUpTo(end, outcomes);
        Set<ObjectName> names = svc.mbeans.queryNames(new ObjectName(DOMAIN + ":type=AnalysisJob,*"), null);
        System.out.println((FIXED ? "FIXED " : "") + "panels " + PANELS_BY_CODE.size() + " samples " + svc.samples.size() + " jobs submitted " + svc.submitted + " completed " + svc.completed + " running " + svc.running.size()
                + " registered MBeans " + names.size() + " (unregistered " + svc.unregistered + ") reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") telemetry " + svc.telemetryWritten + " pool " + svc.baseCallBuffers.size());
        check(PANELS_BY_CODE.size() == PANELS && svc.samples.size() == SAMPLES, "reference data / directory");
        check(svc.submitted == jobs && svc.completed + svc.running.size() == jobs && svc.running.size() > 0, "jobs");
        if (FIXED) check(names.size() == svc.running.size() && svc.unregistered == svc.completed, "only running jobs registered: " + names.size());
        else check(names.size() == jobs, "every job stays registered: " + names.size());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.baseCallBuffers.size() == POOL, "pool");
        check(svc.telemetryWritten == 8L * jobs && svc.telemetry[RING - 1] != null, "telemetry ring");
        LeakCheck.histogram(" [I (", "javax.management.ObjectName ", "com.sun.jmx.mbeanserver.NamedObject ", "javax.management.StandardMBean ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
