// hprofscan-dump: name=val14-healthy-variantannot-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val14-healthy-variantannot-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val14-healthy-variantannot jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val14-healthy-variantannot-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 14 (written blind), HEALTHY, series (warming): the variant-annotation service of a
 * clinical genomics lab. It annotates sequenced variants against a gene model and a population
 * frequency table (both loaded at startup, the biggest structures), memoizes annotations in an
 * access-ordered LRU capped at 6,000 (not yet full after 1 hour, full from stage 2 on), keeps the
 * last 1,500 finished report jobs, parses VCF uploads with a pool of 16 big buffers, and runs a
 * fixed pool of annotation workers. Stage 1 after 1 hour, stage 2 after 4 hours, stage 3 after 8
 * hours, same seed. See testdata/VALIDATION14.md.
 */
public final class Val14HealthyVariantAnnotation {
    static final int TRANSCRIPTS = 30_000;
    static final int KNOWN_VARIANTS = 60_000;
    static final int ANNOTATION_CAP = 6_000;
    static final int JOB_HISTORY_CAP = 1_500;
    static final int PARSE_BUFFERS = 16;
    static final int WORKERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static AnnotationService SERVICE;

    static final class Transcript {
        final String transcriptId; final String geneSymbol; final String chrom; final int txStart; final int txEnd; final int[] exonStarts; final int[] exonEnds; final boolean canonical;
        Transcript(String transcriptId, String geneSymbol, String chrom, int txStart, int txEnd, int[] exonStarts, int[] exonEnds, boolean canonical) { this.transcriptId = transcriptId; this.geneSymbol = geneSymbol; this.chrom = chrom; this.txStart = txStart; this.txEnd = txEnd; this.exonStarts = exonStarts; this.exonEnds = exonEnds; this.canonical = canonical; }
    }

    /** Reference data: the gene model (RefSeq-like), loaded at startup. */
    static final class GeneModel {
        static final Map<String, Transcript> TRANSCRIPTS_BY_ID = new HashMap<>();
    }

    /** Reference data: allele frequencies of known variants in 8 populations. */
    static final class PopulationTable {
        final Map<String, float[]> alleleFreqByVariant = new HashMap<>();
        final long releasedAt;
        PopulationTable(long releasedAt) { this.releasedAt = releasedAt; }
    }

    static final class Annotation {
        final String variantKey; final String transcriptId; final String consequence; final String hgvsCoding; final String hgvsProtein; final float[] popAf; final long annotatedAt; long lastServedAt;
        Annotation(String variantKey, String transcriptId, String consequence, String hgvsCoding, String hgvsProtein, float[] popAf, long annotatedAt) { this.variantKey = variantKey; this.transcriptId = transcriptId; this.consequence = consequence; this.hgvsCoding = hgvsCoding; this.hgvsProtein = hgvsProtein; this.popAf = popAf; this.annotatedAt = annotatedAt; this.lastServedAt = annotatedAt; }
    }

    /** Memoized annotations, an access-ordered LRU with a hard cap. */
    static final class AnnotationMemo extends LinkedHashMap<String, Annotation> {
        long evicted;
        AnnotationMemo() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Annotation> eldest) {
            if (size() > ANNOTATION_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final class ReportJob {
        final String jobId; final String sampleBarcode; final String panel; final int variantCount; final long submittedAt; final long finishedAt; final String reviewer;
        ReportJob(String jobId, String sampleBarcode, String panel, int variantCount, long submittedAt, long finishedAt, String reviewer) { this.jobId = jobId; this.sampleBarcode = sampleBarcode; this.panel = panel; this.variantCount = variantCount; this.submittedAt = submittedAt; this.finishedAt = finishedAt; this.reviewer = reviewer; }
    }

    static final class AnnotationService {
        final PopulationTable populations;
        final AnnotationMemo memo = new AnnotationMemo();
        final ArrayDeque<ReportJob> finishedJobs = new ArrayDeque<>();
        long jobsRotatedOut;
        final ArrayBlockingQueue<byte[]> vcfParseBuffers = new ArrayBlockingQueue<>(PARSE_BUFFERS);
        final Map<String, LongAdder> consequenceCounters = new HashMap<>();
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "annot-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties settings = new Properties();
        AnnotationService(PopulationTable populations) { this.populations = populations; for (int i = 0; i < PARSE_BUFFERS; i++) vcfParseBuffers.add(new byte[256 * 1024]); }
        void recordJob(ReportJob j) { finishedJobs.addLast(j); while (finishedJobs.size() > JOB_HISTORY_CAP) { finishedJobs.removeFirst(); jobsRotatedOut++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int lookups = (int) (4_000 * hours);
        int jobs = lookups / 10;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(14_010_001);
        String[] chroms = new String[24];
        for (int c = 0; c < 22; c++) chroms[c] = "chr" + (c + 1);
        chroms[22] = "chrX"; chroms[23] = "chrY";
        for (int i = 0; i < TRANSCRIPTS; i++) {
            int exons = 10 + rnd.nextInt(31);
            int[] s = new int[exons], e = new int[exons];
            int pos = 10_000 + rnd.nextInt(200_000_000);
            int txStart = pos;
            for (int k = 0; k < exons; k++) { s[k] = pos; pos += 80 + rnd.nextInt(400); e[k] = pos; pos += 500 + rnd.nextInt(8_000); }
            String id = "NM_" + (100_000 + i) + "." + (1 + rnd.nextInt(4));
            GeneModel.TRANSCRIPTS_BY_ID.put(id, new Transcript(id, "GENE" + (i / 3), chroms[rnd.nextInt(24)], txStart, pos, s, e, i % 3 == 0));
        }
        PopulationTable pops = new PopulationTable(now - 120 * DAY);
        for (int i = 0; i < KNOWN_VARIANTS; i++) {
            float[] af = new float[8];
            for (int k = 0; k < 8; k++) af[k] = rnd.nextFloat() * 0.05f;
            pops.alleleFreqByVariant.put(chroms[i % 24] + ":" + (50_000 + i * 3_331L) + ":A>G", af);
        }
        AnnotationService svc = new AnnotationService(pops);
        SERVICE = svc;
        for (int i = 0; i < 55; i++) svc.settings.setProperty("annotation.source." + i, "refseq-v" + (100 + i));
        String[] consequences = {"missense_variant", "synonymous_variant", "stop_gained", "frameshift_variant", "splice_region_variant", "intron_variant", "3_prime_UTR_variant", "5_prime_UTR_variant", "inframe_deletion", "start_lost"};
        for (String c : consequences) svc.consequenceCounters.put(c, new LongAdder());
        CyclicBarrier ready = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) warm.add(svc.workers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Traffic: 4,000 lookups an hour; every lookup asks a variant not asked before (new samples),
        // one in four a known population variant, so the memo fills to its cap and then rotates.
        String[] txIds = GeneModel.TRANSCRIPTS_BY_ID.keySet().toArray(new String[0]);
        java.util.Arrays.sort(txIds);
        for (int i = 0; i < lookups; i++) {
            long t = start + (now - start) * i / lookups;
            String key = i % 4 == 0 ? chroms[(i / 4) % 24] + ":" + (50_000 + (long) ((i / 4) % KNOWN_VARIANTS) * 3_331L) + ":A>G" : chroms[i % 24] + ":" + (300_000_000L + i) + ":C>T";
            Annotation a = svc.memo.get(key);
            if (a == null) {
                String tx = txIds[rnd.nextInt(txIds.length)];
                String cons = consequences[rnd.nextInt(consequences.length)];
                float[] af = pops.alleleFreqByVariant.get(key);
                a = new Annotation(key, tx, cons, tx + ":c." + (100 + rnd.nextInt(3_000)) + "C>T", "p.Arg" + (30 + rnd.nextInt(900)) + "Cys", af == null ? new float[8] : af.clone(), t);
                svc.memo.put(key, a);
                svc.consequenceCounters.get(cons).increment();
            }
            a.lastServedAt = t;
            if (i % 10 == 9) {
                byte[] buf = svc.vcfParseBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.vcfParseBuffers.offer(buf);
                svc.recordJob(new ReportJob("RJ-" + (900_000 + i / 10), "SB" + (4_000_000 + rnd.nextInt(900_000)), i % 3 == 0 ? "cardio-panel-v4" : "onco-panel-v7", 20 + rnd.nextInt(400), t - (5 + rnd.nextInt(40)) * MINUTE, t, "reviewer-" + rnd.nextInt(30)));
            }
        }
        int expectedMemo = Math.min(lookups, ANNOTATION_CAP);
        int expectedJobs = Math.min(jobs, JOB_HISTORY_CAP);
        System.out.println("stage " + stage + " transcripts " + GeneModel.TRANSCRIPTS_BY_ID.size() + " popvariants " + pops.alleleFreqByVariant.size() + " memo " + svc.memo.size() + " (evicted " + svc.memo.evicted + ") jobs " + svc.finishedJobs.size() + " (rotated " + svc.jobsRotatedOut + ")");
        check(GeneModel.TRANSCRIPTS_BY_ID.size() == TRANSCRIPTS && pops.alleleFreqByVariant.size() == KNOWN_VARIANTS, "reference data");
        check(svc.memo.size() == expectedMemo && svc.memo.evicted == lookups - expectedMemo, "memo");
        check(svc.finishedJobs.size() == expectedJobs && svc.jobsRotatedOut == jobs - expectedJobs, "job history");
        check(svc.vcfParseBuffers.size() == PARSE_BUFFERS && svc.workers.getPoolSize() == WORKERS, "buffers/pool");
        txIds = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
