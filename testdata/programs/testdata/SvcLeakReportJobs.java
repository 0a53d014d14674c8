// hprofscan-dump: name=svc-leak-reportjobs jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-reportjobs-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 9): a reporting service. Every export request gets its own
 * single-thread executor ({@code Executors.newFixedThreadPool(1, factory)} with a {@code JobThreadFactory}
 * that names the thread {@code report-<8 hex of the job id>} and keeps the job for diagnostics);
 * the job runs and finishes, but the executor is never shut down, so its idle thread stays alive
 * and keeps the factory, the job, its rows and its rendered output. 360 such threads after 8 hours.
 * Beside it: a legitimately big fixed render pool (48 threads), a template directory loaded at
 * startup, a tenant directory and a LinkedHashMap LRU of finished report summaries at its cap.
 * Jobs were requested in an order that does not follow their timestamps. See
 * testdata/SCENARIOS.md, "Session 9 tuning apps".
 */
public final class SvcLeakReportJobs {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 8 * HOUR;
    static final int LEAKED_JOBS = 360;
    static final int RENDER_THREADS = 48;
    static final int TEMPLATES = 6_000;
    static final int TENANTS = 20_000;
    static final int SUMMARY_CAP = 2_000;
    static final int SUMMARIES_MADE = 9_000;
    static final int ROWS_PER_JOB = 40;
    static final int RENDERED = 4_096;

    static Service RUNNING;

    enum JobStatus { QUEUED, RUNNING, DONE, FAILED }

    static final class ReportRow {
        final String account; final long amountCents; final String currency; final long bookedAt; final String memo;
        ReportRow(String account, long amountCents, String currency, long bookedAt, String memo) { this.account = account; this.amountCents = amountCents; this.currency = currency; this.bookedAt = bookedAt; this.memo = memo; }
    }

    /** One export request: its parameters, the rows it read and what it rendered. */
    static final class ReportJob {
        final String jobId; final long tenantId; final String templateCode; final long requestedAt; final List<ReportRow> rows = new ArrayList<>();
        byte[] rendered; long finishedAt; volatile JobStatus status = JobStatus.QUEUED;
        ReportJob(String jobId, long tenantId, String templateCode, long requestedAt) { this.jobId = jobId; this.tenantId = tenantId; this.templateCode = templateCode; this.requestedAt = requestedAt; }
    }

    /** Names the job's thread after the job and keeps the job for diagnostics. */
    static final class JobThreadFactory implements ThreadFactory {
        final ReportJob job;
        JobThreadFactory(ReportJob job) { this.job = job; }
        public Thread newThread(Runnable r) { Thread t = new Thread(r, "report-" + job.jobId.substring(0, 8)); t.setDaemon(true); return t; }
    }

    static final class Template {
        final String code; final String title; final String[] columns; final String layout; final long createdAt;
        Template(String code, String title, String[] columns, String layout, long createdAt) { this.code = code; this.title = title; this.columns = columns; this.layout = layout; this.createdAt = createdAt; }
    }

    /** Legitimate: report templates, loaded once at startup. */
    static final class TemplateDirectory {
        final HashMap<String, Template> templates = new HashMap<>();
    }

    static final class Tenant {
        final long id; final String name; final String region; final String billingEmail; final byte[] settings; final long createdAt;
        Tenant(long id, String name, String region, String billingEmail, byte[] settings, long createdAt) { this.id = id; this.name = name; this.region = region; this.billingEmail = billingEmail; this.settings = settings; this.createdAt = createdAt; }
    }

    /** Legitimate: every tenant, loaded at startup. */
    static final class TenantDirectory {
        final HashMap<Long, Tenant> tenants = new HashMap<>();
    }

    static final class ReportSummary {
        final String jobId; final long tenantId; final int rows; final long finishedAt; final byte[] preview;
        ReportSummary(String jobId, long tenantId, int rows, long finishedAt, byte[] preview) { this.jobId = jobId; this.tenantId = tenantId; this.rows = rows; this.finishedAt = finishedAt; this.preview = preview; }
    }

    /** Legitimate: the last SUMMARY_CAP finished reports (an LRU with removeEldestEntry). */
    static final class SummaryCache extends LinkedHashMap<String, ReportSummary> {
        final int capacity;
        long evicted;
        SummaryCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ReportSummary> e) { boolean old = size() > capacity; if (old) evicted++; return old; }
    }

    static final class Service {
        final TemplateDirectory templates = new TemplateDirectory();
        final TenantDirectory tenants = new TenantDirectory();
        final SummaryCache summaries = new SummaryCache(SUMMARY_CAP);
        final ExecutorService renderPool;
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        Service() {
            AtomicInteger n = new AtomicInteger();
            renderPool = Executors.newFixedThreadPool(RENDER_THREADS, r -> { Thread t = new Thread(r, "render-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void count(String k) { counters.computeIfAbsent(k, x -> new LongAdder()).increment(); }

        /** The bug: one executor per export request, never shut down. */
        void export(ReportJob job, Random r, CountDownLatch done, boolean dropLeaked) {
            ExecutorService ex = Executors.newFixedThreadPool(1, new JobThreadFactory(job));
            ex.execute(() -> { run(job, r); done.countDown(); });
            if (dropLeaked) ex.shutdown(); // measuring runs only
            count("export");
        }

        void run(ReportJob job, Random r) {
            job.status = JobStatus.RUNNING;
            Tenant t = tenants.tenants.get(job.tenantId);
            for (int i = 0; i < ROWS_PER_JOB; i++) job.rows.add(new ReportRow("acct-" + t.id + "-" + i, 100 + (job.requestedAt + i * 7919L) % 900_000, i % 3 == 0 ? "EUR" : "USD", job.requestedAt - (i + 1) * HOUR, "booking " + job.jobId.substring(0, 6) + "/" + i));
            job.rendered = new byte[RENDERED];
            job.finishedAt = job.requestedAt + (3 + job.rows.size() % 50) * SECOND;
            job.status = JobStatus.DONE;
        }
    }

    static final String[] WORDS = {"ledger", "invoice", "payout", "refund", "balance", "statement", "tax", "chargeback", "fx", "fees"};
    static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south"};

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static long tenantId(int k) { return 500_000L + k * 13L; }

    static void loadStartup(Service s, Random r, long start) {
        for (int i = 0; i < TEMPLATES; i++) {
            String code = WORDS[i % WORDS.length] + "-" + (1000 + i);
            String[] cols = new String[8 + i % 8];
            for (int c = 0; c < cols.length; c++) cols[c] = WORDS[(i + c) % WORDS.length] + "_" + c;
            StringBuilder layout = new StringBuilder();
            for (int k = 0; k < 20; k++) layout.append("<col w=").append(10 + (i + k) % 90).append(" name=").append(cols[k % cols.length]).append("/>");
            s.templates.templates.put(code, new Template(code, "Report " + code, cols, layout.toString(), start - (1 + i % 900) * DAY));
        }
        for (int k = 0; k < TENANTS; k++) {
            byte[] settings = new byte[160];
            r.nextBytes(settings);
            s.tenants.tenants.put(tenantId(k), new Tenant(tenantId(k), "Tenant " + WORDS[k % WORDS.length] + " " + k, REGIONS[k % REGIONS.length],
                "billing+" + k + "@tenant" + (k % 97) + ".example.com", settings, start - (1 + k % 1500) * DAY));
        }
    }

    static Service build(long now, boolean dropLeaked) throws InterruptedException {
        long start = now - UPTIME;
        Random r = new Random(0x4e90_2026L);
        Service s = new Service();
        loadStartup(s, r, start);
        // Summaries of the synchronous (render pool) reports over the 8 hours; the cache keeps the last SUMMARY_CAP.
        CountDownLatch rendered = new CountDownLatch(SUMMARIES_MADE);
        for (int i = 0; i < SUMMARIES_MADE; i++) {
            final int n = i;
            final String id = hex(r, 24);
            s.renderPool.execute(() -> {
                byte[] preview = new byte[1_024];
                synchronized (s.summaries) { s.summaries.put(id, new ReportSummary(id, tenantId(n * 7 % TENANTS), 10 + n % 300, start + (UPTIME - MINUTE) * n / SUMMARIES_MADE, preview)); }
                rendered.countDown();
            });
        }
        rendered.await();
        // The exports: requested evenly over 7.5 hours, but started in shuffled order (a retry queue replays them).
        List<Long> times = new ArrayList<>();
        for (int j = 0; j < LEAKED_JOBS; j++) times.add(start + 10 * MINUTE + (UPTIME - 40 * MINUTE) * j / LEAKED_JOBS);
        Collections.shuffle(times, r);
        CountDownLatch done = new CountDownLatch(LEAKED_JOBS);
        for (int j = 0; j < LEAKED_JOBS; j++) {
            ReportJob job = new ReportJob(hex(r, 32), tenantId(r.nextInt(TENANTS)), WORDS[j % WORDS.length] + "-" + (1000 + r.nextInt(TEMPLATES)), times.get(j));
            s.export(job, r, done, dropLeaked);
        }
        if (!done.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("exports did not finish");
        return s;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        boolean dropLeaked = Boolean.getBoolean("reports.dropLeaked");
        long now = System.currentTimeMillis();
        RUNNING = build(now, dropLeaked);
        Service s = RUNNING;
        if (dropLeaked) Thread.sleep(500);
        int reportThreads = 0, renderThreads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("report-[0-9a-f]{8}")) reportThreads++;
            if (t.getName().startsWith("render-worker-")) renderThreads++;
        }
        check(reportThreads == (dropLeaked ? 0 : LEAKED_JOBS), "report threads " + reportThreads);
        check(renderThreads == RENDER_THREADS, "render threads " + renderThreads);
        check(s.templates.templates.size() == TEMPLATES, "templates");
        check(s.tenants.tenants.size() == TENANTS, "tenants");
        check(s.summaries.size() == SUMMARY_CAP && s.summaries.evicted == SUMMARIES_MADE - SUMMARY_CAP, "summaries " + s.summaries.size());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out + ": " + reportThreads + " report-<hex> threads (one idle single-thread executor per export), "
            + renderThreads + " render workers, templates " + TEMPLATES + ", tenants " + TENANTS + ", summaries " + s.summaries.size()
            + " (evicted " + s.summaries.evicted + ")");
        System.exit(0);
    }
}
