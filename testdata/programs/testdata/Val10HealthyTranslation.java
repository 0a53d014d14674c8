// hprofscan-dump: name=val10-healthy-translation jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val10-healthy-translation-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 10 (written blind), HEALTHY: a machine-translation service for a localisation
 * platform after 45 simulated days of low, bursty traffic. Looks suspicious, is legitimate: the
 * translation-memory LRU ({@code LinkedHashMap} in access order with {@code removeEldestEntry}),
 * one of the two biggest structures, is at its capacity of 20,000 segments after 8,800 evictions,
 * and since traffic is low its entries were created up to weeks ago and none has been hit in the
 * last 3 days (the least recently used one 32 days before the dump). Also: the terminology glossary (loaded at
 * startup), the customer project directory, a model-session pool of 6, a job history capped at
 * 4,000 and a fixed pool of 6 translation workers with a scratch tensor each.
 * See testdata/VALIDATION10.md.
 */
public final class Val10HealthyTranslation {
    static final int GLOSSARY = 50_000;
    static final int PROJECTS = 3_000;
    static final int TM_CAP = 20_000;
    static final int REQUESTS = 36_000;
    static final int MODEL_SESSIONS = 6;
    static final int JOB_HISTORY_CAP = 4_000;
    static final int WORKERS = 6;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 45 * DAY;

    static TranslationService RUNNING;

    static final class GlossaryTerm {
        final String sourceTerm; final String langPair; final String targetTerm; final String domain; final boolean doNotTranslate;
        GlossaryTerm(String sourceTerm, String langPair, String targetTerm, String domain, boolean doNotTranslate) { this.sourceTerm = sourceTerm; this.langPair = langPair; this.targetTerm = targetTerm; this.domain = domain; this.doNotTranslate = doNotTranslate; }
    }

    /** Reference data: the approved terminology of all customers, loaded at startup. */
    static final class Glossary {
        static final Map<String, GlossaryTerm> TERMS = new HashMap<>();
    }

    static final class Project {
        final long projectId; final String customer; final String sourceLang; final String[] targetLangs; final String styleGuide; final long createdAt;
        Project(long projectId, String customer, String sourceLang, String[] targetLangs, String styleGuide, long createdAt) { this.projectId = projectId; this.customer = customer; this.sourceLang = sourceLang; this.targetLangs = targetLangs; this.styleGuide = styleGuide; this.createdAt = createdAt; }
    }

    static final class TmSegment {
        final long sourceHash; final String langPair; final String source; final String target; final float score; final long createdAt; long lastHitAt; int hits;
        TmSegment(long sourceHash, String langPair, String source, String target, float score, long createdAt) { this.sourceHash = sourceHash; this.langPair = langPair; this.source = source; this.target = target; this.score = score; this.createdAt = createdAt; this.lastHitAt = createdAt; }
    }

    /** Translation memory: recently used segment translations, least recently used evicted. */
    static final class TranslationMemory extends LinkedHashMap<String, TmSegment> {
        final int maxSegments;
        long evictions;
        TranslationMemory(int maxSegments) { super(32_768, 0.75f, true); this.maxSegments = maxSegments; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TmSegment> e) {
            if (size() > maxSegments) { evictions++; return true; }
            return false;
        }
    }

    static final class ModelSession {
        final String model; final float[] kvCache = new float[16 * 1024]; long requests;
        ModelSession(String model) { this.model = model; }
    }

    static final class JobRecord {
        final long jobId; final long projectId; final int segments; final long submittedAt; final long finishedAt; final String status;
        JobRecord(long jobId, long projectId, int segments, long submittedAt, long finishedAt, String status) { this.jobId = jobId; this.projectId = projectId; this.segments = segments; this.submittedAt = submittedAt; this.finishedAt = finishedAt; this.status = status; }
    }

    static final class TranslationService {
        final Map<Long, Project> projects = new ConcurrentHashMap<>();
        final TranslationMemory memory = new TranslationMemory(TM_CAP);
        final ArrayBlockingQueue<ModelSession> sessions = new ArrayBlockingQueue<>(MODEL_SESSIONS);
        final ArrayDeque<JobRecord> jobs = new ArrayDeque<>();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "mt-worker-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread scratch tensor of the translation workers. */
        static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16 * 1024]);
        final Properties config = new Properties();
        long requests; long tmHits;
        void record(JobRecord j) { jobs.addLast(j); if (jobs.size() > JOB_HISTORY_CAP) jobs.removeFirst(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(10_060_001);
        TranslationService svc = new TranslationService();
        RUNNING = svc;
        for (int i = 0; i < 110; i++) svc.config.setProperty("mt.engine.lang." + i + ".beam", Integer.toString(4 + i % 5));
        String[] pairs = {"en>de", "en>fr", "en>ja", "en>es", "de>en", "en>pt", "en>it", "en>zh"};
        String[] domains = {"legal", "medical", "software", "marketing", "finance"};
        for (int i = 0; i < GLOSSARY; i++) {
            String pair = pairs[i % pairs.length];
            String term = "term-" + Integer.toString(i * 31 + 7, 36);
            Glossary.TERMS.put(pair + ":" + term, new GlossaryTerm(term, pair, "ziel-" + Integer.toString(i * 17, 36), domains[i % 5], i % 40 == 0));
        }
        for (int i = 0; i < PROJECTS; i++) {
            long id = 81_000L + i;
            svc.projects.put(id, new Project(id, "customer-" + (i % 400), "en", new String[] {"de", "fr", "ja"}, "style-guide-v" + (i % 9), now - DAY * rnd.nextInt(1500)));
        }
        for (int i = 0; i < MODEL_SESSIONS; i++) svc.sessions.add(new ModelSession("nmt-large-" + pairs[i % pairs.length]));
        CyclicBarrier warm = new CyclicBarrier(WORKERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) fs.add(svc.workers.submit(() -> { TranslationService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 45 days of requests. Requests are mostly new segments (a fifth repeat a recent one), and
        // traffic stops 3 days before the dump except for a trickle: most entries are idle for days.
        long jobSeq = 7_700_000L;
        List<String> recent = new ArrayList<>();
        int distinct = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (SIM_MILLIS - 3 * DAY) * i / REQUESTS;
            String key;
            if (i % 5 == 4 && !recent.isEmpty()) {
                key = recent.get(rnd.nextInt(recent.size()));
            } else {
                key = pairs[distinct % pairs.length] + ":" + Long.toHexString(0x5eed_0000_0000L + distinct * 2_654_435_761L);
                distinct++;
                recent.add(key);
                if (recent.size() > 500) recent.remove(0);
            }
            svc.requests++;
            TmSegment seg = svc.memory.get(key);
            if (seg != null) { seg.lastHitAt = t; seg.hits++; svc.tmHits++; continue; }
            ModelSession ms = svc.sessions.poll();
            ms.requests++;
            svc.sessions.add(ms);
            int len = 60 + rnd.nextInt(120);
            StringBuilder src = new StringBuilder(len), tgt = new StringBuilder(len + 20);
            for (int k = 0; k < len; k++) src.append((char) ('a' + rnd.nextInt(26)));
            for (int k = 0; k < len + 10; k++) tgt.append((char) ('a' + rnd.nextInt(26)));
            svc.memory.put(key, new TmSegment(key.hashCode() * 31L + len, key.substring(0, 5), src.toString(), tgt.toString(), 0.7f + rnd.nextFloat() * 0.3f, t));
            if (i % 6 == 0) svc.record(new JobRecord(jobSeq++, 81_000L + rnd.nextInt(PROJECTS), 1 + rnd.nextInt(400), t, t + MINUTE * rnd.nextInt(120), "DONE"));
        }
        long oldestHit = Long.MAX_VALUE, idleOverDay = 0;
        for (TmSegment s : svc.memory.values()) { oldestHit = Math.min(oldestHit, s.lastHitAt); if (now - s.lastHitAt > DAY) idleOverDay++; }
        System.out.println("glossary " + Glossary.TERMS.size() + " projects " + svc.projects.size() + " tm " + svc.memory.size() + " (evictions " + svc.memory.evictions + ", distinct "
                + distinct + ", hits " + svc.tmHits + ", idle > 1 day " + idleOverDay + ", least recently hit " + (now - oldestHit) / DAY + " days ago) jobs " + svc.jobs.size()
                + " sessions " + svc.sessions.size());
        check(Glossary.TERMS.size() == GLOSSARY && svc.projects.size() == PROJECTS, "reference data");
        check(svc.memory.size() == TM_CAP && svc.memory.evictions == svc.requests - svc.tmHits - TM_CAP && idleOverDay == TM_CAP, "translation memory");
        check(svc.jobs.size() == JOB_HISTORY_CAP && svc.sessions.size() == MODEL_SESSIONS && svc.workers.getPoolSize() == WORKERS, "jobs/pools");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
