// hprofscan-dump: name=val125-leak-audiobooks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val125-leak-audiobooks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
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
 * Validation set 125 (written blind), LEAK: the mastering pipeline of an audiobook production
 * studio. Each uploaded chapter recording becomes a MasteringJob (loudness normalisation, noise
 * gate, ACX checks). For every job the service starts a watchdog thread
 * ("mastering-watchdog-<job>") that waits on the job's cancel latch to kill the encoder if the
 * producer cancels; the latch is counted down only on a cancel, never when the job completes, so
 * the watchdog of every completed job waits forever and keeps the job (its loudness curve,
 * waveform preview and QC notes) alive. Ordinary components beside it: publisher reference data,
 * the title catalogue, the narrator directory, the jobs in flight, an LRU of proof-listening links
 * at its cap, a pool of encoder buffers, a ring of recent job summaries, the retailer delivery
 * queue with its backlog. 10 simulated hours. See VALIDATION125.md.
 */
public final class Val125LeakAudiobooks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PUBLISHERS = 800, TITLES = 16_000, NARRATORS = 3_000, PROOF_CAP = 300, POOL = 6, RING = 2_048, HOURS = 10, JOBS_PER_HOUR = 75,
            DELIVERY_EVERY_MINUTES = 15, PREVIEW_BYTES = 2_048;
    static final String WATCHDOG = "mastering-watchdog-";
    static final String[] ACCENTS = {"RP", "Scottish", "Welsh", "Irish", "Yorkshire", "General American", "Australian"};
    static final String[] QC = {"noise floor below -60 dBFS", "room tone at head and tail", "no clipping", "peak below -3 dBFS", "RMS within -23 to -18 dB",
            "mouth clicks removed", "breaths reduced", "chapter title read", "consistent levels across chapter", "retail sample marked"};
    static boolean FIXED;

    record Publisher(String code, String name, double[] royaltiesByMonth) {}
    record Title(String isbn, String title, String author, String publisher, byte[] blurb, int chapters, long contractedAt) {}
    record Narrator(String narratorId, String name, String accent, byte[] voiceSample, long joinedAt) {}
    record ProofLink(String chapterKey, byte[] signedUrlAndMeta, long issuedAt) {}
    record JobSummary(String jobId, String chapterKey, double integratedLufs, boolean cancelled, long finishedAt) {}
    record Delivery(String chapterKey, String retailer, long readyAt) {}

    static final Map<String, Publisher> PUBLISHERS_BY_CODE = new HashMap<>();

    static final class MasteringJob {
        final String jobId, chapterKey, narratorId; final long submittedAt, dueAt;
        final float[] loudnessCurve;     // short-term loudness, one value per second of audio
        final byte[] waveformPreview = new byte[PREVIEW_BYTES];
        final List<String> qcNotes = new ArrayList<>();
        final CountDownLatch cancelSignal = new CountDownLatch(1);
        volatile boolean cancelled, completed, encoderKilled;
        double integratedLufs, truePeakDb;
        MasteringJob(String jobId, String chapterKey, String narratorId, int seconds, long submittedAt, long dueAt) {
            this.jobId = jobId; this.chapterKey = chapterKey; this.narratorId = narratorId; this.loudnessCurve = new float[seconds]; this.submittedAt = submittedAt; this.dueAt = dueAt;
        }
    }

    static final class ProofLinks extends LinkedHashMap<String, ProofLink> {
        long evicted;
        ProofLinks() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProofLink> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final class MasteringService {
        final Map<String, Title> titles = new HashMap<>();
        final String[] isbns = new String[TITLES];
        final Map<String, Narrator> narrators = new HashMap<>();
        final String[] narratorIds = new String[NARRATORS];
        final Map<String, MasteringJob> inFlight = new LinkedHashMap<>();
        final ProofLinks proofs = new ProofLinks();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final JobSummary[] recent = new JobSummary[RING];
        final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
        long submitted, completed, cancelled, watchdogsStarted, delivered, proofViews;

        Thread submit(MasteringJob job) {
            inFlight.put(job.jobId, job);
            Thread w = new Thread(() -> watch(job), WATCHDOG + job.jobId);
            w.setDaemon(true);
            w.start();
            watchdogsStarted++;
            submitted++;
            return w;
        }

        /** The watchdog: kills the encoder when the producer cancels. BUG: nothing wakes it when the job completes. */
        static void watch(MasteringJob job) {
            try {
                job.cancelSignal.await();
                if (job.cancelled) job.encoderKilled = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void complete(MasteringJob job, Random r, long t) {
            job.integratedLufs = -20.5 + r.nextDouble() * 2.5;
            job.truePeakDb = -3.5 - r.nextDouble() * 2;
            int notes = 3 + r.nextInt(6);
            for (int k = 0; k < notes; k++) job.qcNotes.add(QC[r.nextInt(QC.length)] + " (checked at " + (r.nextInt(job.loudnessCurve.length)) + " s, take " + (1 + r.nextInt(4)) + ")");
            job.completed = true;
            inFlight.remove(job.jobId);
            if (FIXED) job.cancelSignal.countDown(); // the fix: the watchdog ends with its job
            completed++;
            recent[(int) ((completed + cancelled - 1) % RING)] = new JobSummary(job.jobId, job.chapterKey, job.integratedLufs, false, t);
            deliveries.addLast(new Delivery(job.chapterKey, r.nextBoolean() ? "Audible" : "Kobo", t));
            if (r.nextInt(100) < 60) {
                ProofLink p = proofs.get(job.chapterKey);
                if (p == null) proofs.put(job.chapterKey, p = new ProofLink(job.chapterKey, new byte[400 + r.nextInt(400)], t));
                proofViews++;
            }
        }

        void cancel(MasteringJob job, long t) {
            job.cancelled = true;
            job.cancelSignal.countDown(); // the watchdog kills the encoder and ends
            inFlight.remove(job.jobId);
            cancelled++;
            recent[(int) ((completed + cancelled - 1) % RING)] = new JobSummary(job.jobId, job.chapterKey, 0, true, t);
        }
    }

    static MasteringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(125_040_001);
        String[] pubCodes = new String[PUBLISHERS];
        for (int p = 0; p < PUBLISHERS; p++) {
            double[] roy = new double[36];
            for (int j = 0; j < roy.length; j++) roy[j] = rnd.nextDouble() * 25_000;
            pubCodes[p] = "PB" + (400 + p * 3);
            PUBLISHERS_BY_CODE.put(pubCodes[p], new Publisher(pubCodes[p], "Publisher " + p + (p % 2 == 0 ? " Press" : " Books"), roy));
        }
        MasteringService svc = new MasteringService();
        SERVICE = svc;
        for (int i = 0; i < TITLES; i++) {
            svc.isbns[i] = "978-1-" + (400_000 + i * 7) + "-" + (i % 10);
            svc.titles.put(svc.isbns[i], new Title(svc.isbns[i], "Title " + rnd.nextInt(1_000_000), "Author " + rnd.nextInt(50_000), pubCodes[rnd.nextInt(PUBLISHERS)],
                    new byte[150 + rnd.nextInt(150)], 8 + rnd.nextInt(40), end - (long) (1 + rnd.nextInt(1_000)) * DAY));
        }
        for (int n = 0; n < NARRATORS; n++) {
            svc.narratorIds[n] = "NR" + (9_000 + n);
            svc.narrators.put(svc.narratorIds[n], new Narrator(svc.narratorIds[n], "Narrator " + rnd.nextInt(100_000), ACCENTS[rnd.nextInt(ACCENTS.length)], new byte[200 + rnd.nextInt(200)],
                    end - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[65_536]);

        Random uploads = new Random(125_040_002), mastering = new Random(125_040_003), qc = new Random(125_040_004);
        int total = JOBS_PER_HOUR * HOURS;
        Map<String, Thread> started = new HashMap<>(); // the simulation's own bookkeeping, to join the watchdogs that end
        List<Thread> ending = new ArrayList<>();
        List<MasteringJob> pending = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            // jobs whose encoder finished by now complete (or were cancelled by the producer)
            pending.clear();
            for (MasteringJob j : svc.inFlight.values()) if (j.dueAt <= t) pending.add(j);
            for (MasteringJob j : pending) {
                boolean cancel = mastering.nextInt(100) < 4;
                if (cancel) svc.cancel(j, j.dueAt); else svc.complete(j, qc, j.dueAt);
                Thread w = started.remove(j.jobId);
                if (cancel || FIXED) ending.add(w);
            }
            while (!svc.deliveries.isEmpty() && svc.deliveries.peekFirst().readyAt() <= t - DELIVERY_EVERY_MINUTES * MINUTE) {
                svc.deliveries.pollFirst();
                svc.delivered++;
            }
            String isbn = svc.isbns[uploads.nextInt(TITLES)];
            int chapter = 1 + uploads.nextInt(svc.titles.get(isbn).chapters());
            int seconds = 900 + uploads.nextInt(1_500);
            MasteringJob job = new MasteringJob("MJ" + (4_200_000 + i), isbn + "/ch" + chapter, svc.narratorIds[uploads.nextInt(NARRATORS)], seconds, t,
                    t + (4 + uploads.nextInt(9)) * MINUTE);
            byte[] buf = svc.encoderBuffers.poll();
            for (int s = 0; s < seconds; s++) job.loudnessCurve[s] = -23f + (float) (mastering.nextGaussian() * 3);
            for (int k = 0; k < PREVIEW_BYTES; k++) job.waveformPreview[k] = (byte) (buf[(k * 31) & (buf.length - 1)] + mastering.nextInt(64));
            svc.encoderBuffers.add(buf);
            started.put(job.jobId, svc.submit(job));
        }
        for (Thread w : ending) {
            try { w.join(60_000); } catch (InterruptedException e) { throw new IllegalStateException(e); }
            if (w.isAlive()) throw new IllegalStateException("watchdog did not end: " + w.getName());
        }
    }

    static List<Thread> watchdogs() {
        List<Thread> list = new ArrayList<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(WATCHDOG)) list.add(th);
        return list;
    }

    /** Waits until every remaining watchdog is parked in await(). */
    static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Thread th : watchdogs()) if (th.getState() != Thread.State.WAITING) all = false;
            if (all) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("watchdogs did not settle");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val125.fixed");
        simulate();
        settle();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        MasteringService svc = SERVICE;
        int alive = watchdogs().size();
        System.out.println((FIXED ? "FIXED " : "") + "publishers " + PUBLISHERS_BY_CODE.size() + " titles " + svc.titles.size() + " narrators " + svc.narrators.size() + " jobs " + svc.submitted
                + " completed " + svc.completed + " cancelled " + svc.cancelled + " in flight " + svc.inFlight.size() + " watchdogs started " + svc.watchdogsStarted + " alive " + alive
                + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ", views " + svc.proofViews + ") pool " + svc.encoderBuffers.size()
                + " deliveries " + svc.completed + " delivered " + svc.delivered + " backlog " + svc.deliveries.size());
        check(PUBLISHERS_BY_CODE.size() == PUBLISHERS && svc.titles.size() == TITLES && svc.narrators.size() == NARRATORS, "reference data / directories");
        check(svc.submitted == JOBS_PER_HOUR * HOURS && svc.submitted == svc.completed + svc.cancelled + svc.inFlight.size(), "jobs");
        check(alive == (FIXED ? svc.inFlight.size() : svc.completed + svc.inFlight.size()), "watchdog threads " + alive);
        long expected = 712;
        check(svc.completed == expected, "completed " + svc.completed);
        check(svc.proofs.size() == Math.min(PROOF_CAP, svc.proofViews) && svc.encoderBuffers.size() == POOL, "proof links / encoder pool");
        check(svc.deliveries.size() > 0 && svc.completed == svc.delivered + svc.deliveries.size(), "delivery queue");
    }
}
