// hprofscan-dump: name=val103-leak-orthodontics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val103-leak-orthodontics-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Validation set 103 (written blind), LEAK: the intra-oral scan upload service of an orthodontics
 * lab. Clinic reference data, the patient directory, a cache of rendered treatment plans at its cap,
 * a pool of mesh-decode buffers, a ring of completed uploads, the map of uploads in flight, and one
 * application Thread subclass per upload (UploadStream) that waits on a CountDownLatch for the
 * client's last chunk and then streams the assembled scan to the archive. When the client aborts,
 * the service marks the upload aborted and drops it from the in-flight map, but nothing counts the
 * latch down: the thread stays parked forever, holding its upload's buffer. See VALIDATION103.md.
 */
public final class Val103LeakOrthodontics {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, HOURS = 10;
    static final int CLINICS = 1_000, PATIENTS = 24_000, PLAN_CAP = 2_000, BUFFERS = 8, RING = 4_096, UPLOADS = 3_000, ABORT_ONE_IN = 12;
    static boolean FIXED;

    record Clinic(String code, String city, double[] weeklyChairs) {}
    record Patient(String id, String clinic, byte[] treatmentHistory, long since) {}
    record TreatmentPlan(String key, byte[] rendered, long at) {}
    record UploadRecord(String uploadId, String patientId, int bytes, long checksum, long at) {}

    static final class ScanUpload {
        final String uploadId, patientId; final byte[] buffer; final long startedAt; int received; volatile boolean aborted; long checksum;
        ScanUpload(String uploadId, String patientId, byte[] buffer, long startedAt) { this.uploadId = uploadId; this.patientId = patientId; this.buffer = buffer; this.startedAt = startedAt; }
    }

    /** One thread per upload: waits for the last chunk, then streams the scan to the archive. */
    static final class UploadStream extends Thread {
        final ScanUpload upload; final CountDownLatch lastChunk = new CountDownLatch(1);
        UploadStream(ScanUpload upload) { super(null, null, "scan-upload-" + upload.uploadId, 256 * 1024); this.upload = upload; setDaemon(true); }
        @Override public void run() {
            try { lastChunk.await(); } catch (InterruptedException e) { return; }
            if (upload.aborted) return;
            long sum = 17;
            for (int i = 0; i < upload.received; i++) sum = sum * 31 + upload.buffer[i];
            upload.checksum = sum;
        }
    }

    static final class PlanCache extends LinkedHashMap<String, TreatmentPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TreatmentPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class ScanService {
        final Map<String, Patient> patients = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final UploadRecord[] completed = new UploadRecord[RING];
        final Map<String, UploadStream> inFlight = new HashMap<>();
        long started, finished, aborted;

        UploadStream begin(ScanUpload u) { UploadStream s = new UploadStream(u); inFlight.put(u.uploadId, s); started++; s.start(); return s; }
        void complete(UploadStream s, long at) throws InterruptedException {
            s.lastChunk.countDown();
            s.join();
            inFlight.remove(s.upload.uploadId);
            completed[(int) (finished++ % RING)] = new UploadRecord(s.upload.uploadId, s.upload.patientId, s.upload.received, s.upload.checksum, at);
        }
        void abort(UploadStream s) throws InterruptedException {
            s.upload.aborted = true;
            inFlight.remove(s.upload.uploadId);
            aborted++;
            if (FIXED) { s.lastChunk.countDown(); s.join(); }
            // BUG: nothing counts lastChunk down, so the thread waits forever with its buffer
        }
    }

    static ScanService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val103.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(103_040_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] chairs = new double[64];
            for (int k = 0; k < chairs.length; k++) chairs[k] = rnd.nextDouble() * 12;
            clinicCodes[c] = "OC-" + (7_000 + c);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "City " + (c % 180), chairs));
        }
        ScanService svc = new ScanService();
        SERVICE = svc;
        String[] patientIds = new String[PATIENTS];
        for (int p = 0; p < PATIENTS; p++) {
            patientIds[p] = "PT" + (3_300_000 + p);
            svc.patients.put(patientIds[p], new Patient(patientIds[p], clinicCodes[rnd.nextInt(CLINICS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.decodeBuffers.add(new byte[65_536]);
        Random traffic = new Random(103_040_002);
        List<UploadStream> parked = new ArrayList<>();
        long span = end - MINUTE - start;
        for (int i = 0; i < UPLOADS; i++) {
            long t = start + span * i / UPLOADS;
            String patient = patientIds[traffic.nextInt(PATIENTS)];
            ScanUpload u = new ScanUpload("up" + Long.toHexString(0x3c0_0000L + i), patient, new byte[24_576 + traffic.nextInt(32_768)], t);
            UploadStream s = svc.begin(u);
            boolean abort = traffic.nextInt(ABORT_ONE_IN) == 0;
            int chunks = abort ? 1 + traffic.nextInt(5) : 8;
            int chunk = u.buffer.length / 8;
            for (int c = 0; c < chunks; c++) { for (int k = 0; k < chunk; k += 64) u.buffer[u.received + k] = (byte) (i + k); u.received += chunk; }
            if (abort) { svc.abort(s); if (!FIXED) parked.add(s); }
            else svc.complete(s, t + (1 + traffic.nextInt(4)) * 1_000L);
            String key = "plan-" + traffic.nextInt(6_000);
            if (svc.plans.get(key) == null) svc.plans.put(key, new TreatmentPlan(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
            u = null; s = null;
        }
        for (int tries = 0; tries < 1_000; tries++) {
            boolean allWaiting = true;
            for (UploadStream s : parked) allWaiting &= s.getState() == Thread.State.WAITING;
            if (allWaiting) break;
            Thread.sleep(10);
        }
        int waiting = 0;
        for (UploadStream s : parked) if (s.getState() == Thread.State.WAITING) waiting++;
        parked.clear(); parked = null; patientIds = null; clinicCodes = null;
        int alive = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th instanceof UploadStream) alive++;
        System.out.println((FIXED ? "FIXED " : "") + "clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " uploads " + svc.started + " finished " + svc.finished
                + " aborted " + svc.aborted + " upload threads alive " + alive + " (waiting " + waiting + ") in flight " + svc.inFlight.size() + " plans " + svc.plans.size()
                + " (evicted " + svc.plans.evicted + ") buffers " + svc.decodeBuffers.size());
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.started == UPLOADS && svc.finished + svc.aborted == UPLOADS && svc.inFlight.isEmpty(), "upload traffic");
        if (FIXED) check(alive == 0, "no upload thread left: " + alive);
        else check(alive == svc.aborted && waiting == alive, "one parked thread per aborted upload: " + alive + " / " + waiting);
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.decodeBuffers.size() == BUFFERS, "buffer pool");
        check(svc.completed[RING - 1] == null && svc.completed[(int) svc.finished - 1] != null, "ring partly filled");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
