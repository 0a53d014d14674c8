// hprofscan-dump: name=val85-leak-alignerlab jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val85-leak-alignerlab-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Validation set 85 (written blind), LEAK: the production service of a clear-aligner
 * orthodontic lab. Clinic reference data, the patient-case directory, a cache of rendered 3D
 * previews at its cap, a pool of slicing buffers, a ring of printer events, and the production
 * logger (a static java.util.logging.Logger with one fixed ring handler for the ops console).
 * Every production job (print, thermoform and trim one aligner set) captures its own log for the
 * case file: it adds a java.util.logging.StreamHandler over a per-job ByteArrayOutputStream (with
 * a filter that accepts only that job's records) to the shared logger, and at the end flushes it
 * and uploads the bytes, but never calls Logger.removeHandler: every job's handler, with its
 * stream, its writer's 8 KiB encoder buffer and its captured log, stays in the logger's handler
 * list. See VALIDATION85.md.
 */
public final class Val85LeakAlignerLab {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, JOB_EVERY = 45_000L;
    static final int CLINICS = 1_100, CASES = 22_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, CONSOLE_LINES = 2_000;
    static boolean FIXED;

    record Clinic(String code, String city, double[] weeklyVolume) {}
    record PatientCase(String caseId, String clinicCode, int stages, byte[] treatmentPlan, long openedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record PrinterEvent(String printer, String jobId, int layer, long at) {}
    record JobUpload(String jobId, String caseId, int lines, int bytes, long at) {}

    /** The ops console: the last CONSOLE_LINES formatted lines of the production log. */
    static final class ConsoleRingHandler extends Handler {
        final ArrayDeque<String> lines = new ArrayDeque<>();
        long published;
        ConsoleRingHandler() { setFormatter(new SimpleFormatter()); }
        @Override public void publish(LogRecord r) {
            if (!isLoggable(r)) return;
            lines.addLast(getFormatter().format(r));
            if (lines.size() > CONSOLE_LINES) lines.removeFirst();
            published++;
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    /** Accepts only the records of one job (the job id is parameter {0} of every job message). */
    static final class JobFilter implements Filter {
        final String jobId;
        JobFilter(String jobId) { this.jobId = jobId; }
        @Override public boolean isLoggable(LogRecord r) {
            Object[] p = r.getParameters();
            return p != null && p.length > 0 && jobId.equals(p[0]);
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("com.alignerlab.production");

    static final class LabService {
        final Map<String, PatientCase> cases = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> sliceBuffers = new ArrayDeque<>();
        final PrinterEvent[] printerEvents = new PrinterEvent[RING];
        long printerEventCount;
        final ConsoleRingHandler console = new ConsoleRingHandler();
        long jobs, recordsLogged, bytesUploaded, lastUploadBytes;

        static void log(Level level, long at, String msg, Object... params) {
            LogRecord r = new LogRecord(level, msg);
            r.setInstant(Instant.ofEpochMilli(at));
            r.setLoggerName(LOG.getName());
            r.setSourceClassName("com.alignerlab.production.JobRunner");
            r.setSourceMethodName("run");
            r.setParameters(params);
            LOG.log(r);
        }

        JobUpload runJob(String jobId, PatientCase pc, Random r, long at) {
            ByteArrayOutputStream capture = new ByteArrayOutputStream();
            StreamHandler jobLog = new StreamHandler(capture, new SimpleFormatter());
            jobLog.setFilter(new JobFilter(jobId));
            LOG.addHandler(jobLog);
            int lines = 0;
            long t = at;
            try {
                log(Level.INFO, t, "job {0}: case {1}, aligner stages {2}", jobId, pc.caseId(), pc.stages());
                lines++;
                String printer = "PRN-" + (1 + r.nextInt(24));
                int layers = 6 + r.nextInt(10);
                byte[] slice = sliceBuffers.poll();
                for (int layer = 0; layer < layers; layer++) {
                    slice[(layer * 4_099) % slice.length] = (byte) layer;
                    t += 1_000 + r.nextInt(2_000);
                    printerEvents[(int) (printerEventCount++ % RING)] = new PrinterEvent(printer, jobId, layer, t);
                    log(Level.INFO, t, "job {0}: printed layer batch {1} on {2}", jobId, layer, printer);
                    lines++;
                }
                sliceBuffers.add(slice);
                t += 2_000;
                log(Level.INFO, t, "job {0}: thermoformed {1} trays", jobId, 2 * pc.stages());
                lines++;
                if (r.nextInt(8) == 0) {
                    log(Level.WARNING, t, "job {0}: trim line deviation {1} mm, re-trimmed", jobId, r.nextInt(5) / 10.0);
                    lines++;
                }
                log(Level.INFO, t + 500, "job {0}: done", jobId);
                lines++;
                jobLog.flush();
                byte[] report = capture.toByteArray(); // uploaded to the case file
                bytesUploaded += report.length;
                lastUploadBytes = report.length;
                recordsLogged += lines;
                jobs++;
                return new JobUpload(jobId, pc.caseId(), lines, report.length, t);
            } finally {
                if (FIXED) { // the fix: detach and close the per-job handler
                    LOG.removeHandler(jobLog);
                    jobLog.close();
                }
                // BUG: Logger.removeHandler is never called; the handler stays attached to LOG
            }
        }
    }

    static LabService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val85.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(85_020_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] volume = new double[72];
            for (int k = 0; k < volume.length; k++) volume[k] = rnd.nextDouble() * 40;
            clinicCodes[c] = "CL-" + (8_000 + c);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "City " + (c % 240), volume));
        }
        LabService svc = new LabService();
        SERVICE = svc;
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(svc.console);
        String[] caseIds = new String[CASES];
        for (int p = 0; p < CASES; p++) {
            caseIds[p] = "AC" + (60_000_000 + p * 11);
            svc.cases.put(caseIds[p], new PatientCase(caseIds[p], clinicCodes[rnd.nextInt(CLINICS)], 10 + rnd.nextInt(30), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.sliceBuffers.add(new byte[65_536]);
        Random traffic = new Random(85_020_002);
        Random jobs = new Random(85_020_003);
        int expectedJobs = 0;
        JobUpload last = null;
        long jobNo = 0;
        for (long t = start; t < end - 5 * MINUTE; t += JOB_EVERY) {
            PatientCase pc = svc.cases.get(caseIds[jobs.nextInt(CASES)]);
            last = svc.runJob("JOB-" + (5_500_000 + jobNo++), pc, jobs, t);
            expectedJobs++;
            for (int v = 0; v < 12; v++) { // preview requests from the clinics' portal between jobs
                String key = "pv-" + caseIds[traffic.nextInt(CASES)].substring(2, 8) + "-s" + traffic.nextInt(3);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t + v * 3_000L));
            }
        }
        int handlers = LOG.getHandlers().length;
        System.out.println((FIXED ? "FIXED " : "") + "clinics " + CLINICS_BY_CODE.size() + " cases " + svc.cases.size() + " jobs " + svc.jobs + " records " + svc.recordsLogged + " uploaded " + svc.bytesUploaded
                + " (last " + svc.lastUploadBytes + ") handlers " + handlers + " console " + svc.console.lines.size() + " (published " + svc.console.published + ") previews " + svc.previews.size()
                + " (evicted " + svc.previews.evicted + ") pool " + svc.sliceBuffers.size() + " printer events " + svc.printerEventCount + " last job " + last.jobId());
        check(CLINICS_BY_CODE.size() == CLINICS && svc.cases.size() == CASES, "reference data / directory");
        check(svc.jobs == expectedJobs && svc.console.published == svc.recordsLogged && svc.console.lines.size() == CONSOLE_LINES, "jobs / console ring");
        if (FIXED) check(handlers == 1, "only the console handler");
        else check(handlers == expectedJobs + 1, "every job's handler stays attached: " + handlers);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.sliceBuffers.size() == POOL, "pool");
        check(svc.printerEventCount > RING && svc.printerEvents[RING - 1] != null, "printer ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
