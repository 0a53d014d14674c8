// hprofscan-dump: name=val24-leak-vetclinic jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val24-leak-vetclinic-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 24 (written blind), LEAK: the practice-management service of a veterinary clinic.
 * Request threads put every lab result on an unbounded {@code LinkedBlockingQueue}
 * ({@code LabSync.pending}) drained by ONE plain consumer thread ({@code lab-sync}, a while loop)
 * that uploads it to the laboratory's system. The bug: a bad record of the startup import (no
 * species) makes the consumer throw an {@code IllegalArgumentException}; nothing catches it, the thread
 * dies, nobody restarts it, and the queue keeps every record offered since. Beside it: breeds,
 * the patient directory, an imaging cache at its cap, an X-ray buffer pool, a visit ring.
 * Simulated period: 9 h. See testdata/VALIDATION24.md.
 */
public final class Val24LeakVetClinic {
    static final long HOUR = 3_600_000L;
    static final int BREEDS = 2_000, PATIENTS = 40_000, IMAGE_CAP = 1_500, POOL = 12, RING = 8_192;
    static final int IMPORT = 500, BAD_AT = 37, PER_DESK = 10_000, DESKS = 2;
    static boolean FIXED;

    record Breed(String code, String species, String name, double[] growthCurve) {}
    record Patient(String id, String ownerId, String breed, long registeredAt, byte[] history) {}
    record Image(String key, byte[] thumbnail) {}
    record Visit(String patientId, String reason, long at) {}
    record LabRecord(String id, String patientId, String species, String testCode, long collectedAt, byte[] result) {}

    static final class LabSync {
        final LinkedBlockingQueue<LabRecord> pending = new LinkedBlockingQueue<>();
        volatile long uploaded, failed;
        final Thread consumer;

        LabSync() {
            consumer = new Thread(() -> {
                while (true) {
                    LabRecord r;
                    try { r = pending.take(); } catch (InterruptedException e) { return; }
                    if (FIXED) {
                        try { upload(r); } catch (RuntimeException e) { failed++; } // the fix: one bad record is logged and skipped
                    } else {
                        upload(r); // BUG: an exception here ends the thread; nothing restarts it
                    }
                }
            }, "lab-sync");
            consumer.setDaemon(true);
            consumer.setUncaughtExceptionHandler((t, e) -> System.out.println("lab-sync died: " + e));
        }

        void upload(LabRecord r) {
            if (r.species().isEmpty()) throw new IllegalArgumentException("empty species");
            uploaded++;
        }
    }

    static final class ImageCache extends LinkedHashMap<String, Image> {
        long evicted;
        ImageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Image> e) { if (size() > IMAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Breed> BREEDS_BY_CODE = new HashMap<>();

    static final class ClinicService {
        final Map<String, Patient> patients = new HashMap<>();
        final ImageCache images = new ImageCache();
        final ArrayDeque<byte[]> xrayBuffers = new ArrayDeque<>();
        final Visit[] visits = new Visit[RING];
        final LabSync labSync = new LabSync();
        long visitCount;
    }

    static ClinicService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val24.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 9 * HOUR;
        Random rnd = new Random(24_020_001);
        String[] species = {"dog", "cat", "rabbit", "horse", "ferret", "parrot"};
        for (int b = 0; b < BREEDS; b++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 0.5 + rnd.nextDouble() * 60;
            String code = "BRD-" + (1_000 + b);
            BREEDS_BY_CODE.put(code, new Breed(code, species[b % species.length], "breed " + b, curve));
        }
        ClinicService svc = new ClinicService();
        SERVICE = svc;
        for (int p = 0; p < PATIENTS; p++) {
            String id = "PET-" + (2_000_000 + p);
            svc.patients.put(id, new Patient(id, "OWN-" + rnd.nextInt(25_000), "BRD-" + (1_000 + rnd.nextInt(BREEDS)),
                    now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR, new byte[120 + rnd.nextInt(180)]));
        }
        for (int i = 0; i < POOL; i++) svc.xrayBuffers.add(new byte[65_536]);
        // startup import of the last night's lab results; record BAD_AT has no species (migrated data)
        Random imp = new Random(24_020_002);
        svc.labSync.consumer.start();
        for (int i = 0; i < IMPORT; i++) {
            svc.labSync.pending.add(new LabRecord("LAB-I" + i, "PET-" + (2_000_000 + imp.nextInt(PATIENTS)), i == BAD_AT ? "" : species[imp.nextInt(6)],
                    "T" + imp.nextInt(300), start - (long) imp.nextInt(12) * HOUR, new byte[120 + imp.nextInt(160)]));
        }
        if (FIXED) { while (svc.labSync.uploaded + svc.labSync.failed < IMPORT) Thread.sleep(2); } else { svc.labSync.consumer.join(10_000); }
        // two front-desk request threads register visits and lab results all day
        Thread[] desks = new Thread[DESKS];
        for (int d = 0; d < DESKS; d++) {
            final int desk = d;
            desks[d] = new Thread(() -> {
                Random traffic = new Random(24_020_010 + desk);
                for (int r = 0; r < PER_DESK; r++) {
                    long t = start + (now - start) * r / PER_DESK;
                    String pet = "PET-" + (2_000_000 + traffic.nextInt(PATIENTS));
                    svc.labSync.pending.add(new LabRecord("LAB-" + desk + "-" + r, pet, species[traffic.nextInt(6)], "T" + traffic.nextInt(300), t, new byte[120 + traffic.nextInt(160)]));
                }
            }, "front-desk-" + d);
            desks[d].start();
        }
        for (Thread t : desks) t.join();
        Random traffic = new Random(24_020_020);
        for (int v = 0; v < 30_000; v++) {
            long t = start + (now - start) * v / 30_000;
            String pet = "PET-" + (2_000_000 + traffic.nextInt(PATIENTS));
            String key = pet + "/xr" + traffic.nextInt(2);
            if (svc.images.get(key) == null) svc.images.put(key, new Image(key, new byte[1_024 + traffic.nextInt(2_048)]));
            svc.visits[(int) (svc.visitCount++ % RING)] = new Visit(pet, "reason-" + traffic.nextInt(40), t);
        }
        int total = IMPORT + DESKS * PER_DESK;
        if (FIXED) { for (int w = 0; w < 5_000 && svc.labSync.uploaded + svc.labSync.failed < total; w++) Thread.sleep(2); }
        int queued = svc.labSync.pending.size();
        System.out.println((FIXED ? "FIXED " : "") + "breeds " + BREEDS_BY_CODE.size() + " patients " + svc.patients.size() + " lab records offered " + total
                + " uploaded " + svc.labSync.uploaded + " failed " + svc.labSync.failed + " queued " + queued + " consumer alive " + svc.labSync.consumer.isAlive()
                + " images " + svc.images.size() + " (evicted " + svc.images.evicted + ") visits " + svc.visitCount + " pool " + svc.xrayBuffers.size());
        check(BREEDS_BY_CODE.size() == BREEDS && svc.patients.size() == PATIENTS, "reference data / directory");
        if (FIXED) check(queued == 0 && svc.labSync.uploaded == total - 1 && svc.labSync.failed == 1 && svc.labSync.consumer.isAlive(), "lab queue drained");
        else check(queued == total - BAD_AT - 1 && svc.labSync.uploaded == BAD_AT && !svc.labSync.consumer.isAlive(), "lab queue " + queued);
        check(svc.images.size() == IMAGE_CAP && svc.images.evicted > 0, "image cache at its cap");
        check(svc.visitCount == 30_000 && svc.visits[RING - 1] != null, "visit ring");
        check(svc.xrayBuffers.size() == POOL, "x-ray buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
