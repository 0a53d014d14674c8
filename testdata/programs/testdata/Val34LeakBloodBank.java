// hprofscan-dump: name=val34-leak-bloodbank jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val34-leak-bloodbank-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Validation set 34 (written blind), LEAK: the donation-tracking service of a regional blood bank.
 * Collection-site reference data, the donor directory, a cache of rendered unit labels at its cap,
 * a pool of barcode buffers, a ring of recent donations, and an asynchronous regulatory audit
 * logger: producers put events into an unbounded LinkedBlockingQueue and one writer thread
 * (audit-writer) batches them into the audit store. The writer holds a one-permit Semaphore (the
 * store segment) around each flush and releases it after a successful append, not in a finally:
 * two hours in, one flush fails (disk full), the exception is caught by the writer loop, the permit
 * is never returned, and the writer parks forever in acquire() on the next batch. The thread is
 * alive, producers keep logging, the queue grows. See VALIDATION34.md.
 */
public final class Val34LeakBloodBank {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_000, DONORS = 24_000, LABEL_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 4_000, HOURS = 10, BATCH = 50;
    static boolean FIXED;

    record CollectionSite(String code, String county, double[] dailyDraws) {}
    record Donor(String donorId, String bloodType, String name, byte[] questionnaire, long registeredAt) {}
    record UnitLabel(String key, byte[] rendered, long at) {}
    record Donation(String unitId, String donorId, String siteCode, int millilitres, long at) {}
    record AuditEvent(long seq, String action, String donorId, String unitId, String staffId, long at, byte[] detail) {}

    /** The audit store (an append-only segment file in production; simulated). */
    static final class AuditStore {
        final long diskFullAt;
        long appended, batches, bytes, failures;
        AuditStore(long diskFullAt) { this.diskFullAt = diskFullAt; }
        void append(List<AuditEvent> batch) throws IOException {
            AuditEvent last = batch.get(batch.size() - 1);
            if (failures == 0 && last.at() >= diskFullAt) { failures++; throw new IOException("No space left on device (audit-000417.seg)"); }
            for (AuditEvent e : batch) bytes += 48 + e.detail().length;
            appended += batch.size();
            batches++;
        }
    }

    static final class AuditLogger implements Runnable {
        final LinkedBlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(); // unbounded
        final Semaphore segmentPermit = new Semaphore(1);
        final List<AuditEvent> batch = new ArrayList<>();
        final AuditStore store;
        final Thread writer;
        volatile long taken, written, failedFlushes, logged;
        AuditLogger(AuditStore store) {
            this.store = store;
            writer = new Thread(this, "audit-writer");
            writer.setDaemon(true);
        }
        void log(AuditEvent e) { queue.add(e); logged++; }
        /** A checkpoint event forces a flush of the current batch. */
        static boolean isCheckpoint(AuditEvent e) { return e.action().equals("CHECKPOINT"); }
        @Override public void run() {
            while (true) {
                AuditEvent e;
                try { e = queue.take(); } catch (InterruptedException ie) { return; }
                taken++;
                batch.add(e);
                if (batch.size() < BATCH && !isCheckpoint(e)) continue;
                segmentPermit.acquireUninterruptibly();
                try {
                    store.append(batch);
                    written += batch.size();
                    batch.clear();
                    if (!FIXED) segmentPermit.release(); // BUG: only released on success
                } catch (IOException io) {
                    failedFlushes++; // "audit flush failed, will retry": the batch is kept
                } finally {
                    if (FIXED) segmentPermit.release();
                }
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, UnitLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, UnitLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CollectionSite> SITES_BY_CODE = new HashMap<>();

    static final class DonationService {
        final Map<String, Donor> donors = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> barcodeBuffers = new ArrayDeque<>();
        final Donation[] recent = new Donation[RING];
        long donations;
        AuditLogger audit;
    }

    static DonationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val34.fixed");
        int events = EVENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(34_030_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] draws = new double[48];
            for (int k = 0; k < draws.length; k++) draws[k] = rnd.nextDouble() * 120;
            siteCodes[s] = "CS-" + (700 + s);
            SITES_BY_CODE.put(siteCodes[s], new CollectionSite(siteCodes[s], "County " + (s % 90), draws));
        }
        DonationService svc = new DonationService();
        SERVICE = svc;
        String[] types = {"O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"};
        String[] donorIds = new String[DONORS];
        for (int d = 0; d < DONORS; d++) {
            donorIds[d] = "DN" + (8_800_000 + d * 7);
            svc.donors.put(donorIds[d], new Donor(donorIds[d], types[rnd.nextInt(types.length)], "Donor " + (d % 6_000) + "-" + (d / 6_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.barcodeBuffers.add(new byte[32_768]);
        AuditStore store = new AuditStore(start + 2 * HOUR);
        svc.audit = new AuditLogger(store);
        svc.audit.writer.start();
        Random traffic = new Random(34_030_002);
        String[] actions = {"DONATION_RECORDED", "UNIT_LABELLED", "UNIT_TESTED", "UNIT_RELEASED", "UNIT_QUARANTINED", "RECORD_VIEWED"};
        String[] staff = new String[120];
        for (int k = 0; k < staff.length; k++) staff[k] = "STAFF-" + (k + 1);
        long nextCheckpoint = start + 10 * MINUTE;
        long seq = 0;
        String unitId = null;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextCheckpoint <= t) { svc.audit.log(new AuditEvent(seq++, "CHECKPOINT", null, null, "system", nextCheckpoint, new byte[40])); nextCheckpoint += 10 * MINUTE; }
            String donor = donorIds[traffic.nextInt(DONORS)];
            String action = actions[traffic.nextInt(actions.length)];
            if (action.equals("DONATION_RECORDED") || unitId == null) {
                unitId = "W" + (1_234_000_000L + svc.donations);
                svc.recent[(int) (svc.donations++ % RING)] = new Donation(unitId, donor, siteCodes[traffic.nextInt(SITES)], 450 + traffic.nextInt(50), t);
                String key = "lbl-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new UnitLabel(key, new byte[400 + traffic.nextInt(400)], t));
            }
            svc.audit.log(new AuditEvent(seq++, action, donor, unitId, staff[traffic.nextInt(staff.length)], t, new byte[40 + traffic.nextInt(60)]));
            byte[] buf = svc.barcodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.barcodeBuffers.add(buf);
        }
        while (nextCheckpoint <= end) { svc.audit.log(new AuditEvent(seq++, "CHECKPOINT", null, null, "system", nextCheckpoint, new byte[40])); nextCheckpoint += 10 * MINUTE; }
        AuditLogger a = svc.audit;
        // Wait until the writer has settled: parked on the permit (leak) or idle on an empty queue (fixed).
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            boolean settled = FIXED ? a.queue.isEmpty() && a.written == seq && a.writer.getState() == Thread.State.WAITING
                    : a.segmentPermit.hasQueuedThreads() && a.writer.getState() == Thread.State.WAITING;
            if (settled) break;
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("audit writer did not settle: " + a.writer.getState() + " taken " + a.taken);
            Thread.sleep(20);
        }
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " donors " + svc.donors.size() + " audit logged " + a.logged + " taken " + a.taken + " written " + a.written
                + " queued " + a.queue.size() + " in batch " + a.batch.size() + " failed flushes " + a.failedFlushes + " store batches " + store.batches + " writer " + a.writer.getState() + " alive " + a.writer.isAlive()
                + " donations " + svc.donations + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.barcodeBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.donors.size() == DONORS, "reference data / directory");
        check(a.logged == seq && a.failedFlushes == 1 && a.writer.isAlive(), "audit traffic");
        if (FIXED) check(a.queue.isEmpty() && a.batch.isEmpty() && a.written == seq, "audit drained");
        else check(a.queue.size() == seq - a.taken && a.queue.size() > seq * 3 / 4 && a.taken == a.written + a.batch.size(), "audit queue grows behind a parked writer: " + a.queue.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.barcodeBuffers.size() == POOL, "pool");
        check(svc.donations > RING && svc.recent[RING - 1] != null, "donation ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
