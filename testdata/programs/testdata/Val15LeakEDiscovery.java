// hprofscan-dump: name=val15-leak-ediscovery jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val15-leak-ediscovery-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), LEAK: the document-review backend of a litigation e-discovery
 * platform. A reviewer's "prepare batch" request OCRs and privilege-screens the batch's pages on a
 * small executor; the OCR engine keeps a 24 KiB per-thread scratch buffer in a static
 * {@code ThreadLocal}. The bug: {@code ReviewService.prepareBatch} creates that executor with
 * {@code Executors.newFixedThreadPool(2, ...)} per request and never shuts it down, so each batch
 * leaves two idle, parked worker threads alive forever (GC roots), each with its scratch buffer.
 * 10 simulated hours, 160 batches. Legitimate: the document metadata store (the biggest
 * structure), the custodian directory, the privilege term list, an extracted-text LRU at its cap,
 * a capped history of coding decisions, the batches in review and a fixed I/O pool whose 4 threads
 * hold the same ThreadLocal scratch legitimately. See testdata/VALIDATION15.md.
 */
public final class Val15LeakEDiscovery {
    static final int DOCUMENTS = 40_000;
    static final int CUSTODIANS = 20_000;
    static final int TERMS = 5_000;
    static final int BATCHES = 160;
    static final int PAGES_PER_BATCH = 50;
    static final int TEXT_CAP = 2_500;
    static final int DECISION_CAP = 3_000;
    static final int IO_THREADS = 4;
    static final int SCRATCH = 24 * 1024;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static ReviewService REVIEW;

    /** Per-thread OCR scratch (legitimate on long-lived threads). */
    static final ThreadLocal<byte[]> OCR_SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH]);

    static final class Custodian { final String id; final String name; final String department; final String mailbox;
        Custodian(String id, String name, String department, String mailbox) { this.id = id; this.name = name; this.department = department; this.mailbox = mailbox; } }

    /** Reference data: the matter's custodians. */
    static final class MatterIndex {
        static final Map<String, Custodian> CUSTODIANS_BY_ID = new HashMap<>();
    }

    static final class DocMeta { final String bates; final Custodian custodian; final String title; final byte[] sha256; final int pages; final long sentAt;
        DocMeta(String bates, Custodian custodian, String title, byte[] sha256, int pages, long sentAt) { this.bates = bates; this.custodian = custodian; this.title = title; this.sha256 = sha256; this.pages = pages; this.sentAt = sentAt; } }

    static final class TextLru extends LinkedHashMap<String, String> {
        long evicted;
        TextLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { if (size() > TEXT_CAP) { evicted++; return true; } return false; }
    }

    static final class Decision { final String bates; final String reviewer; final String code; final long decidedAt;
        Decision(String bates, String reviewer, String code, long decidedAt) { this.bates = bates; this.reviewer = reviewer; this.code = code; this.decidedAt = decidedAt; } }

    static final class Batch { final int batchNo; final String reviewer; final List<String> bates; final long preparedAt; final List<String> privilegeHits = new ArrayList<>();
        Batch(int batchNo, String reviewer, List<String> bates, long preparedAt) { this.batchNo = batchNo; this.reviewer = reviewer; this.bates = bates; this.preparedAt = preparedAt; } }

    static String ocr(String bates, int page) {
        byte[] scratch = OCR_SCRATCH.get();
        scratch[page % SCRATCH] ^= 1;
        return "Page " + page + " of " + bates + ": privileged and confidential attorney work product re: merger diligence";
    }

    static final class ReviewService {
        final Map<String, DocMeta> docsByBates = new HashMap<>();
        final Set<String> privilegeTerms = new HashSet<>();
        final TextLru extractedText = new TextLru();
        final ArrayDeque<Decision> recentDecisions = new ArrayDeque<>();
        long decisionsRotated;
        final Map<Integer, Batch> inReview = new HashMap<>();
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "review-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        ReviewService(boolean fixed) { this.fixed = fixed; }

        Batch prepareBatch(int batchNo, String reviewer, List<String> bates, long t) throws Exception {
            AtomicInteger n = new AtomicInteger();
            ExecutorService ocrPool = Executors.newFixedThreadPool(2, r -> { Thread th = new Thread(r, "ocr-batch-" + batchNo + "-" + n.incrementAndGet()); th.setDaemon(true); return th; });
            Batch b = new Batch(batchNo, reviewer, bates, t);
            List<Future<String>> pages = new ArrayList<>();
            for (int i = 0; i < bates.size(); i++) { final String doc = bates.get(i); final int p = i; pages.add(ocrPool.submit(() -> ocr(doc, p))); }
            for (int i = 0; i < pages.size(); i++) {
                String text = pages.get(i).get();
                extractedText.put(bates.get(i), text);
                if (privilegeTerms.contains("attorney-" + (bates.get(i).hashCode() & 4_095))) b.privilegeHits.add(bates.get(i));
            }
            // BUG: ocrPool is never shut down (the fixed variant is only for measuring).
            if (fixed) { ocrPool.shutdown(); ocrPool.awaitTermination(10, TimeUnit.SECONDS); }
            return b;
        }

        void decide(Decision d) { recentDecisions.addLast(d); if (recentDecisions.size() > DECISION_CAP) { recentDecisions.removeFirst(); decisionsRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val15.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(15_030_003);
        ReviewService svc = new ReviewService(fixed);
        REVIEW = svc;
        for (int i = 0; i < 50; i++) svc.config.setProperty("review.coding.panel." + i, "layout-" + (i % 6));
        String[] depts = {"Legal", "Finance", "M&A", "Sales", "Engineering", "Board"};
        Custodian[] custodians = new Custodian[CUSTODIANS];
        for (int c = 0; c < CUSTODIANS; c++) {
            String id = "CUS-" + (50_000 + c);
            custodians[c] = new Custodian(id, "Employee " + c, depts[c % depts.length], "employee" + c + "@acme-holdings.example");
            MatterIndex.CUSTODIANS_BY_ID.put(id, custodians[c]);
        }
        for (int t = 0; t < TERMS; t++) svc.privilegeTerms.add("attorney-" + (t * 7 % 8_192));
        String[] bates = new String[DOCUMENTS];
        for (int d = 0; d < DOCUMENTS; d++) {
            byte[] sha = new byte[32];
            rnd.nextBytes(sha);
            bates[d] = String.format("ACME-%08d", 1_000 + d * 11);
            svc.docsByBates.put(bates[d], new DocMeta(bates[d], custodians[rnd.nextInt(CUSTODIANS)], "RE: RE: FW: Project Falcon diligence call notes, draft " + (d % 40) + " (privileged?)", sha, 1 + rnd.nextInt(40), start - HOUR * 24 * (1 + rnd.nextInt(2_000))));
        }
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { OCR_SCRATCH.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // 160 batches evenly over 10 hours; a batch is reviewed (one coding decision per document)
        // 30 minutes after it was prepared, then leaves the in-review set.
        String[] codes = {"RESPONSIVE", "NOT-RESPONSIVE", "PRIVILEGED", "HOT", "REDACT"};
        for (int bn = 0; bn < BATCHES; bn++) {
            long t = start + 10 * HOUR * bn / BATCHES;
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < PAGES_PER_BATCH; i++) docs.add(bates[rnd.nextInt(DOCUMENTS)]);
            String reviewer = "reviewer-" + (bn % 25);
            svc.inReview.put(bn, svc.prepareBatch(bn, reviewer, docs, t));
            for (java.util.Iterator<Batch> it = svc.inReview.values().iterator(); it.hasNext();) {
                Batch b = it.next();
                if (b.preparedAt + 30 * MINUTE <= t) {
                    for (int i = 0; i < b.bates.size(); i++) svc.decide(new Decision(b.bates.get(i), b.reviewer, codes[rnd.nextInt(codes.length)], b.preparedAt + 30 * MINUTE - (b.bates.size() - i) * 20_000L));
                    it.remove();
                }
            }
        }
        int ocrThreads = 0, ioThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("ocr-batch-")) ocrThreads++;
            if (th.getName().startsWith("review-io-")) ioThreads++;
        }
        int reviewed = BATCHES - svc.inReview.size();
        System.out.println((fixed ? "FIXED " : "") + "custodians " + MatterIndex.CUSTODIANS_BY_ID.size() + " docs " + svc.docsByBates.size() + " terms " + svc.privilegeTerms.size() + " in review " + svc.inReview.size() + " reviewed " + reviewed + " decisions " + svc.recentDecisions.size() + " (rotated " + svc.decisionsRotated + ") text " + svc.extractedText.size() + " (evicted " + svc.extractedText.evicted + ") ocr threads " + ocrThreads + " io threads " + ioThreads);
        check(MatterIndex.CUSTODIANS_BY_ID.size() == CUSTODIANS && svc.docsByBates.size() == DOCUMENTS && svc.privilegeTerms.size() == TERMS, "reference data");
        check(ocrThreads == (fixed ? 0 : 2 * BATCHES) && ioThreads == IO_THREADS && svc.io.getPoolSize() == IO_THREADS, "threads");
        check(svc.inReview.size() == 8 && reviewed * PAGES_PER_BATCH == DECISION_CAP + svc.decisionsRotated && svc.recentDecisions.size() == DECISION_CAP, "review");
        check(svc.extractedText.size() == TEXT_CAP && svc.extractedText.evicted > 0, "text lru");
        custodians = null; bates = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
