// hprofscan-dump: name=svc-leak-scheduled jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Leak #4: a reporting service schedules a periodic status poll for every submitted report
 * (scheduleAtFixedRate on the shared scheduler) and never cancels it when the report is done.
 * 2,400 leaked periodic tasks, each capturing the ReportJob (with a 1 KiB partial result), sit in
 * the scheduler's queue beside its 3 legitimate housekeeping jobs. Beside it: static report
 * templates, a tenant directory by tenant code, a TTL result cache purged by expiry, and metrics.
 * See testdata/SERVICES.md.
 */
public final class SvcLeakScheduled {
    static final int TEMPLATES = 1_500;
    static final int TENANTS = 900;
    static final int REPORTS = 2_400;
    static final long STEP_MILLIS = 15_000;
    static final long RESULT_TTL_MILLIS = 30 * 60_000;
    static final int EXPECTED_RESULTS = 120;
    static final int HOUSEKEEPING_JOBS = 3;

    enum Format { PDF, CSV, XLSX }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class ReportTemplate {
        final String id;
        final String title;
        final String sql;
        final Format format;
        final long loadedAt;

        ReportTemplate(String id, int i, long loadedAt) {
            this.id = id;
            this.title = "Monthly report " + id;
            this.sql = "SELECT * FROM facts_" + (i % 40) + " WHERE tenant = ? AND month = ? ORDER BY k" + i;
            this.format = Format.values()[i % 3];
            this.loadedAt = loadedAt;
        }
    }

    static final class Templates {
        static final Map<String, ReportTemplate> BY_ID = new HashMap<>();

        static void load(long loadedAt) {
            for (int i = 0; i < TEMPLATES; i++) {
                String id = "rpt-" + (10_000 + i);
                BY_ID.put(id, new ReportTemplate(id, i, loadedAt));
            }
        }
    }

    static final class Tenant {
        final String code;
        final String name;
        final String timeZone;
        final int reportQuota;

        Tenant(String code, int i) {
            this.code = code;
            this.name = "Tenant " + (10_000 + i);
            this.timeZone = "Europe/Zone" + (i % 20);
            this.reportQuota = 100 + i % 50;
        }
    }

    static final class TenantDirectory {
        final Map<String, Tenant> byCode = new ConcurrentHashMap<>();

        Tenant get(int i) {
            return byCode.computeIfAbsent("T" + (10_000 + i), c -> new Tenant(c, i));
        }
    }

    static final class ReportJob {
        final String jobId;
        final Tenant tenant;
        final ReportTemplate template;
        final byte[] partialResult = new byte[1_024];
        final long submittedAt;
        int polls;

        ReportJob(String jobId, Tenant tenant, ReportTemplate template, long submittedAt) {
            this.jobId = jobId;
            this.tenant = tenant;
            this.template = template;
            this.submittedAt = submittedAt;
        }
    }

    static final class RenderedReport {
        final String jobId;
        final byte[] document;
        final long expiresAt;

        RenderedReport(String jobId, byte[] document, long expiresAt) {
            this.jobId = jobId;
            this.document = document;
            this.expiresAt = expiresAt;
        }
    }

    /** Finished documents, kept for download until expiresAt and purged afterwards. */
    static final class ResultCache {
        final Map<String, RenderedReport> results = new ConcurrentHashMap<>();
        final long ttlMillis;
        final LongSupplier clock;

        ResultCache(long ttlMillis, LongSupplier clock) {
            this.ttlMillis = ttlMillis;
            this.clock = clock;
        }

        void put(String jobId, byte[] doc) {
            results.put(jobId, new RenderedReport(jobId, doc, clock.getAsLong() + ttlMillis));
        }

        void purge() {
            long now = clock.getAsLong();
            for (Iterator<RenderedReport> it = results.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAt <= now) {
                    it.remove();
                }
            }
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> histograms = new ConcurrentHashMap<>();

        void record(String name, long v) {
            histograms.computeIfAbsent(name, k -> new long[40])[(int) (v % 40)]++;
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static final class ReportService {
        final SimClock clock;
        final ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(2, new NamedThreadFactory("report-scheduler-"));
        final TenantDirectory tenants = new TenantDirectory();
        final ResultCache results;
        final MetricsRegistry metrics = new MetricsRegistry();

        ReportService(SimClock clock) {
            this.clock = clock;
            this.results = new ResultCache(RESULT_TTL_MILLIS, clock);
            scheduler.scheduleAtFixedRate(results::purge, 5, 5, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(() -> metrics.record("results.size", results.results.size()), 1, 1, TimeUnit.MINUTES);
            scheduler.scheduleWithFixedDelay(() -> metrics.record("tenants.size", tenants.byCode.size()), 10, 10, TimeUnit.MINUTES);
        }

        void pollStatus(ReportJob job) {
            job.polls++;
            job.partialResult[0] = (byte) job.polls;
        }

        void submit(int n) {
            long now = clock.getAsLong();
            Tenant t = tenants.get(n % TENANTS);
            ReportTemplate tpl = Templates.BY_ID.get("rpt-" + (10_000 + (n * 7) % TEMPLATES));
            ReportJob job = new ReportJob("job-" + (30_000_000 + n), t, tpl, now);
            // Poll the warehouse for the job status every 30 s; the future is dropped, never cancelled.
            scheduler.scheduleAtFixedRate(() -> pollStatus(job), 30, 30, TimeUnit.SECONDS);
            results.put(job.jobId, new byte[512]);
            metrics.record("reports.submitted", n);
            if (n % 20 == 19) {
                results.purge();
            }
        }
    }

    static ReportService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - REPORTS * STEP_MILLIS;
        Templates.load(start);
        SimClock clock = new SimClock(start);
        ReportService s = new ReportService(clock);
        for (int n = 0; n < REPORTS; n++) {
            clock.now = start + (n + 1) * STEP_MILLIS;
            s.submit(n);
        }
        if (s.results.results.size() != EXPECTED_RESULTS || s.tenants.byCode.size() != TENANTS
                || ((java.util.concurrent.ScheduledThreadPoolExecutor) s.scheduler).getQueue().size() != REPORTS + HOUSEKEEPING_JOBS) {
            throw new IllegalStateException("unexpected sizes " + s.results.results.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
