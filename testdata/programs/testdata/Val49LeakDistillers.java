// hprofscan-dump: name=val49-leak-distillers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val49-leak-distillers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Validation set 49 (written blind), LEAK: the excise-duty reporting service of a whisky
 * distillery's bonded warehouses. Duty-band reference data, the cask directory, a cache of rendered
 * gauge certificates at its cap, a pool of report-render buffers, a ring of cask movements and a
 * long-lived log handler keeping the last 4,096 log lines for the ops console. Every 10 minutes a
 * movement-reconciliation batch job runs for each bonded warehouse; each job adds its own
 * java.util.logging Handler to the shared "com.glenaird.excise" logger to collect the job's own log
 * lines (filtered by job id) into the report it mails to the excise officer. The job never removes
 * its handler when it ends: the logger keeps every job's handler with its report lines.
 * See VALIDATION49.md.
 */
public final class Val49LeakDistillers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BANDS = 1_300, CASKS = 26_000, CERT_CAP = 2_000, POOL = 8, RING = 8_192, LOG_RING = 4_096,
            WAREHOUSES = 24, HOURS = 10, JOB_EVERY_MIN = 10;
    static boolean FIXED;

    static final Logger LOG = Logger.getLogger("com.glenaird.excise");

    record DutyBand(String code, String description, double[] rateHistory) {}
    record Cask(String caskNo, String warehouse, String spirit, byte[] fillRecord, long filledAt) {}
    record GaugeCertificate(String key, byte[] rendered, long at) {}
    record Movement(String caskNo, String from, String to, int litres, long at) {}

    /** The ops console's tail of the log: the last LOG_RING lines (legitimately long-lived). */
    static final class RecentLogHandler extends Handler {
        final String[] lines = new String[LOG_RING];
        long published;
        @Override public void publish(LogRecord r) { lines[(int) (published++ % LOG_RING)] = r.getMessage(); }
        @Override public void flush() {}
        @Override public void close() {}
    }

    /** Collects one job's log lines for its report (records of other jobs are ignored). */
    static final class JobReportHandler extends Handler {
        final String jobId, warehouse;
        final long startedAt;
        final List<String> reportLines = new ArrayList<>();
        boolean mailed;
        JobReportHandler(String jobId, String warehouse, long startedAt) { this.jobId = jobId; this.warehouse = warehouse; this.startedAt = startedAt; }
        @Override public void publish(LogRecord r) {
            Object[] p = r.getParameters();
            if (p != null && p.length > 0 && jobId.equals(p[0])) reportLines.add(r.getLevel().getName() + " " + warehouse + " " + r.getMessage());
        }
        @Override public void flush() { mailed = true; }
        @Override public void close() {}
    }

    static final class CertificateCache extends LinkedHashMap<String, GaugeCertificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GaugeCertificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DutyBand> BANDS_BY_CODE = new HashMap<>();

    static final class ExciseService {
        final Map<String, Cask> casks = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Movement[] movements = new Movement[RING];
        long moved, jobs, reportLines, mailed, handlersRemoved;
        final RecentLogHandler recentLog = new RecentLogHandler();

        /** One movement-reconciliation job of one warehouse. */
        void runJob(String warehouse, long at, String[] caskNos, Random r) {
            String jobId = "JOB-" + warehouse + "-" + Long.toString(at / MINUTE, 36);
            JobReportHandler h = new JobReportHandler(jobId, warehouse, at);
            LOG.addHandler(h);
            try {
                LOG.log(Level.INFO, "reconciliation " + jobId + " started for " + warehouse, jobId);
                int n = 18 + r.nextInt(24);
                for (int k = 0; k < n; k++) {
                    String cask = caskNos[r.nextInt(caskNos.length)];
                    String to = "WH-" + (char) ('A' + r.nextInt(WAREHOUSES)) + "/bay " + r.nextInt(40);
                    int litres = 180 + r.nextInt(320);
                    long t = at + k * 5_000L;
                    movements[(int) (moved++ % RING)] = new Movement(cask, warehouse, to, litres, t);
                    Level level = r.nextInt(12) == 0 ? Level.WARNING : Level.INFO;
                    LOG.log(level, "cask " + cask + " moved " + warehouse + " -> " + to + ", " + litres + " l at " + (40 + r.nextInt(25)) + "." + r.nextInt(10)
                            + "% ABV, duty band " + "DB-" + (100 + r.nextInt(BANDS)) + (level == Level.WARNING ? ", gauge differs from book by " + (1 + r.nextInt(9)) + " l" : ""), jobId);
                    String key = "cert-" + r.nextInt(5_000);
                    if (certificates.get(key) == null) certificates.put(key, new GaugeCertificate(key, new byte[500 + r.nextInt(500)], t));
                }
                LOG.log(Level.INFO, "reconciliation " + jobId + " finished: " + n + " movements", jobId);
                byte[] buf = renderBuffers.poll();
                buf[(int) (jobs % buf.length)] = (byte) n;
                renderBuffers.add(buf);
                h.flush(); // mails the report to the excise officer
                reportLines += h.reportLines.size();
                mailed++;
            } finally {
                if (FIXED) { // remove the job's handler when the job ends
                    LOG.removeHandler(h);
                    handlersRemoved++;
                }
                // BUG: the job's handler stays on the shared logger
            }
            jobs++;
        }
    }

    static ExciseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val49.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(49_030_001);
        for (int b = 0; b < BANDS; b++) {
            double[] rates = new double[64];
            for (int k = 0; k < rates.length; k++) rates[k] = 20 + rnd.nextDouble() * 15;
            String code = "DB-" + (100 + b);
            BANDS_BY_CODE.put(code, new DutyBand(code, "Spirits band " + (b % 50) + " strength " + (b % 26 + 20) + "%", rates));
        }
        ExciseService svc = new ExciseService();
        SERVICE = svc;
        LOG.setUseParentHandlers(false);
        LOG.addHandler(svc.recentLog);
        String[] spirits = {"Single malt", "Grain", "Peated malt", "Rye", "Sherry-cask malt", "Port-finish malt"};
        String[] caskNos = new String[CASKS];
        for (int c = 0; c < CASKS; c++) {
            caskNos[c] = "CK" + (1_000_000 + c * 7);
            svc.casks.put(caskNos[c], new Cask(caskNos[c], "WH-" + (char) ('A' + c % WAREHOUSES), spirits[c % spirits.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(49_030_002);
        int rounds = HOURS * 60 / JOB_EVERY_MIN;
        for (int round = 0; round < rounds; round++) {
            long at = start + round * JOB_EVERY_MIN * MINUTE;
            for (int w = 0; w < WAREHOUSES; w++) svc.runJob("WH-" + (char) ('A' + w), at + w * 7_000L, caskNos, traffic);
        }
        int handlers = LOG.getHandlers().length;
        System.out.println((FIXED ? "FIXED " : "") + "bands " + BANDS_BY_CODE.size() + " casks " + svc.casks.size() + " jobs " + svc.jobs + " report lines " + svc.reportLines + " mailed " + svc.mailed
                + " handlers on logger " + handlers + " (removed " + svc.handlersRemoved + ") log lines " + svc.recentLog.published + " movements " + svc.moved
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.renderBuffers.size());
        int jobs = rounds * WAREHOUSES;
        check(BANDS_BY_CODE.size() == BANDS && svc.casks.size() == CASKS, "reference data / directory");
        check(svc.jobs == jobs && svc.mailed == jobs && svc.recentLog.published == svc.reportLines && svc.reportLines == svc.moved + 2L * jobs, "jobs and log lines");
        if (FIXED) check(handlers == 1 && svc.handlersRemoved == jobs, "only the console handler");
        else check(handlers == jobs + 1, "every job's handler still on the logger: " + handlers);
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.moved > RING && svc.movements[RING - 1] != null, "movement ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
