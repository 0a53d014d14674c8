// hprofscan-dump: name=val117-leak-brailletranscripts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val117-leak-brailletranscripts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 117 (written blind), LEAK: the transcription service of a charity that turns
 * letters, bills and bank statements into embossed braille for its readers. Client organisations
 * (reference data), the reader directory, a cache of proof pages at its cap, a pool of emboss
 * buffers, a ring of delivered transcripts and the outbound post tray; the documents are handed to
 * one embosser through a single-thread ThreadPoolExecutor with an unbounded LinkedBlockingQueue.
 * Documents arrive at ~60 a minute, the one embosser finishes 40 a minute: the queued tasks, each
 * with its document text, pile up for hours. See VALIDATION117.md.
 */
public final class Val117LeakBrailleTranscripts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ORGS = 1_000, READERS = 20_000, PROOF_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, EMBOSS_PER_MINUTE = 40;
    static boolean FIXED;

    record Organisation(String code, String name, double[] volumeByWeek) {}
    record Reader(String readerId, String name, String postcode, int grade, byte[] preferences, long registeredAt) {}
    record ProofPage(String key, byte[] rendered, long at) {}
    record Delivery(String jobId, String readerId, int pages, long finishedAt) {}
    record PostItem(String jobId, String readerId, String postcode, int pages, long packedAt) {}

    /** One document to transcribe: the extracted text of the original (UTF-8). */
    static final class TranscriptionJob {
        final String jobId; final String readerId; final String orgCode; final String docType; final byte[] text; final long receivedAt; final int pages;
        TranscriptionJob(String jobId, String readerId, String orgCode, String docType, byte[] text, long receivedAt, int pages) { this.jobId = jobId; this.readerId = readerId; this.orgCode = orgCode; this.docType = docType; this.text = text; this.receivedAt = receivedAt; this.pages = pages; }
    }

    static final class ProofCache extends LinkedHashMap<String, ProofPage> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProofPage> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Organisation> ORGS_BY_CODE = new HashMap<>();

    /** The embossing desk: jobs go to the embosser's executor; the embosser works at its own pace. */
    static final class EmbossingDesk {
        final TranscriptionService service;
        final ThreadPoolExecutor embosser;
        /** The embosser's simulated machine time: one permit per document it can finish. */
        final Semaphore machineTime = new Semaphore(0);
        final AtomicLong submitted = new AtomicLong(), completed = new AtomicLong();
        long permits;

        EmbossingDesk(TranscriptionService service, int embossers) {
            this.service = service;
            this.embosser = new ThreadPoolExecutor(embossers, embossers, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "braille-embosser-" + (int) (submitted.get() % 100));
                t.setDaemon(true);
                return t;
            });
            embosser.prestartAllCoreThreads();
        }

        void submit(TranscriptionJob job) {
            submitted.incrementAndGet();
            embosser.execute(() -> {
                machineTime.acquireUninterruptibly();
                service.finish(job);
                completed.incrementAndGet();
            });
        }

        /** Grants the machine time of one simulated minute and waits until the embosser used it. */
        void tick(int documents) {
            permits += documents;
            machineTime.release(documents);
            long target = Math.min(permits, submitted.get());
            while (completed.get() < target) LockSupport.parkNanos(20_000);
        }

        int waitQuiet(int busy) {
            long expected = submitted.get() - completed.get() - Math.min(busy, submitted.get() - completed.get());
            while (embosser.getQueue().size() != expected) LockSupport.parkNanos(200_000);
            return (int) expected;
        }
    }

    static final class TranscriptionService {
        final Map<String, Reader> readers = new HashMap<>();
        final String[] readerIds = new String[READERS];
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> embossBuffers = new ArrayDeque<>();
        final Delivery[] delivered = new Delivery[RING];
        final ArrayDeque<PostItem> postTray = new ArrayDeque<>();
        EmbossingDesk desk;
        long received, finished, posted, pagesEmbossed;
        volatile long clock;

        /** Runs on the embosser thread. */
        synchronized void finish(TranscriptionJob job) {
            byte[] buf = embossBuffers.poll();
            for (int i = 0; i < job.text.length; i += 97) buf[i % buf.length] ^= job.text[i];
            embossBuffers.add(buf);
            pagesEmbossed += job.pages;
            delivered[(int) (finished++ % RING)] = new Delivery(job.jobId, job.readerId, job.pages, clock);
            Reader r = readers.get(job.readerId);
            postTray.addLast(new PostItem(job.jobId, job.readerId, r.postcode(), job.pages, clock));
        }

        synchronized void collectPost(long t) {
            // the post van collects every packed item older than 30 minutes
            while (!postTray.isEmpty() && postTray.peekFirst().packedAt() <= t - 30 * MINUTE) { postTray.removeFirst(); posted++; }
        }

        synchronized void proof(Random r, long t) {
            String key = "proof-" + r.nextInt(5_000);
            if (proofs.get(key) == null) proofs.put(key, new ProofPage(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static TranscriptionService SERVICE;
    static final String[] DOC_TYPES = {"bank-statement", "utility-bill", "council-tax", "hospital-letter", "pension-notice", "insurance-renewal"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(117_040_001);
        String[] orgCodes = new String[ORGS];
        for (int g = 0; g < ORGS; g++) {
            double[] vol = new double[52];
            for (int k = 0; k < vol.length; k++) vol[k] = rnd.nextDouble() * 400;
            orgCodes[g] = "ORG-" + (31_000 + g * 7);
            ORGS_BY_CODE.put(orgCodes[g], new Organisation(orgCodes[g], "Organisation " + g, vol));
        }
        TranscriptionService svc = new TranscriptionService();
        SERVICE = svc;
        for (int i = 0; i < READERS; i++) {
            svc.readerIds[i] = "RD" + (5_200_000 + i * 3);
            svc.readers.put(svc.readerIds[i], new Reader(svc.readerIds[i], "Reader " + i, "PC" + (10 + rnd.nextInt(80)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)),
                    1 + rnd.nextInt(2), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.embossBuffers.add(new byte[32_768]);
        svc.desk = new EmbossingDesk(svc, FIXED ? 2 : 1);
        Random traffic = new Random(117_040_002);
        int perMinute = FIXED ? 2 * EMBOSS_PER_MINUTE : EMBOSS_PER_MINUTE;
        for (long m = 0; m < HOURS * 60; m++) {
            long t0 = start + m * MINUTE;
            int arrivals = 45 + traffic.nextInt(31);
            for (int a = 0; a < arrivals; a++) {
                long t = t0 + a * MINUTE / arrivals;
                int len = 800 + traffic.nextInt(1_200);
                byte[] text = new byte[len];
                for (int k = 0; k < len; k += 16) text[k] = (byte) (32 + traffic.nextInt(90));
                svc.received++;
                svc.desk.submit(new TranscriptionJob("TJ-" + (8_000_000 + svc.received), svc.readerIds[traffic.nextInt(READERS)], orgCodes[traffic.nextInt(ORGS)],
                        DOC_TYPES[traffic.nextInt(DOC_TYPES.length)], text, t, 1 + len / 700));
                if (traffic.nextInt(4) == 0) svc.proof(traffic, t);
            }
            svc.clock = t0 + MINUTE - 1;
            svc.desk.tick(perMinute);
            svc.collectPost(t0 + MINUTE - 1);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val117.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        TranscriptionService svc = SERVICE;
        int queued = svc.desk.waitQuiet(FIXED ? 2 : 1);
        long inFlight = svc.desk.submitted.get() - svc.desk.completed.get() - queued;
        long queuedBytes = 0;
        System.out.println((FIXED ? "FIXED " : "") + "orgs " + ORGS_BY_CODE.size() + " readers " + svc.readers.size() + " received " + svc.received + " submitted " + svc.desk.submitted.get()
                + " embossed " + svc.desk.completed.get() + " queued " + queued + " in flight " + inFlight + " pages " + svc.pagesEmbossed + " post tray " + svc.postTray.size() + " posted " + svc.posted
                + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.embossBuffers.size());
        check(ORGS_BY_CODE.size() == ORGS && svc.readers.size() == READERS, "reference data / directory");
        check(svc.desk.submitted.get() == svc.received && svc.desk.completed.get() == svc.finished, "jobs");
        if (FIXED) check(queued == 0 && svc.finished == svc.received, "embossers keep up");
        else check(svc.finished == (long) HOURS * 60 * EMBOSS_PER_MINUTE && queued == svc.received - svc.finished - 1, "backlog " + queued);
        check(svc.received == EXPECTED_RECEIVED, "received " + svc.received);
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.embossBuffers.size() == POOL, "pool");
        check(svc.delivered[RING - 1] != null, "ring");
    }

    static final long EXPECTED_RECEIVED = 35_915;
}
