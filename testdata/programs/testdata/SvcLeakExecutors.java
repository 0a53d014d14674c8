// hprofscan-dump: name=svc-leak-executors jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-executors-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Leak #10: a data-export service creates a single-thread executor per export request to run the
 * export "in the background" and never shuts it down. Each executor keeps one idle worker thread
 * named "export-<requestId>" alive, and through its ThreadFactory (a lambda capturing the request)
 * the ExportRequest with its 512-byte spec. 300 such executors. Beside it: a shared fixed pool of
 * 4 IO workers, static country codes, a tenant directory by tenant code, a TTL cache of export
 * results purged by expiry, and metrics. See testdata/SERVICES.md.
 */
public final class SvcLeakExecutors {
    static final int EXPORTS = 300;
    static final int COUNTRIES = 249;
    static final int TENANTS = 5_000;
    static final int STATUS_CHECKS = 30_000;
    static final long STEP_MILLIS = 2_000;
    static final long RESULT_TTL_MILLIS = 60 * 60_000;
    static final int IO_WORKERS = 4;

    enum Format { CSV, JSON, PARQUET }

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

    static final class CountryCode {
        final String alpha2;
        final String alpha3;
        final int numeric;
        final String name;

        CountryCode(String alpha2, String alpha3, int numeric, String name) {
            this.alpha2 = alpha2;
            this.alpha3 = alpha3;
            this.numeric = numeric;
            this.name = name;
        }
    }

    static final class CountryCodes {
        static Map<String, CountryCode> BY_ALPHA2;

        static void load() {
            Map<String, CountryCode> m = new HashMap<>();
            for (int i = 0; i < COUNTRIES; i++) {
                String a2 = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
                m.put(a2, new CountryCode(a2, a2 + "X", 100 + i, "Country " + (100 + i)));
            }
            BY_ALPHA2 = Collections.unmodifiableMap(m);
        }
    }

    static final class Tenant {
        final String code;
        final String name;
        final CountryCode country;
        final String bucket;
        final Map<String, String> exportSettings = new HashMap<>();

        Tenant(String code, CountryCode country) {
            this.code = code;
            this.name = "Tenant " + code;
            this.country = country;
            this.bucket = "s3://exports-" + code.toLowerCase();
            exportSettings.put("delimiter", code.endsWith("0") ? ";" : ",");
            exportSettings.put("encoding", "UTF-8");
            exportSettings.put("notify", "ops@" + code.toLowerCase() + ".example.com");
        }
    }

    static final class TenantDirectory {
        final Map<String, Tenant> byCode = new ConcurrentHashMap<>();

        Tenant get(int k) {
            return byCode.computeIfAbsent("EX" + (10_000 + k),
                    c -> new Tenant(c, CountryCodes.BY_ALPHA2.get("" + (char) ('A' + k % COUNTRIES / 26) + (char) ('A' + k % COUNTRIES % 26))));
        }
    }

    static final class ExportRequest {
        final String requestId;
        final Tenant tenant;
        final Format format;
        final byte[] spec = new byte[512];

        ExportRequest(String requestId, Tenant tenant, Format format) {
            this.requestId = requestId;
            this.tenant = tenant;
            this.format = format;
        }
    }

    static final class ExportResult {
        final String requestId;
        final String location;
        final long rows;
        final long expiresAt;

        ExportResult(String requestId, String location, long rows, long expiresAt) {
            this.requestId = requestId;
            this.location = location;
            this.rows = rows;
            this.expiresAt = expiresAt;
        }
    }

    static final class ResultCache {
        final Map<String, ExportResult> results = new ConcurrentHashMap<>();
        final long ttlMillis;

        ResultCache(long ttlMillis) {
            this.ttlMillis = ttlMillis;
        }

        void purge(long now) {
            for (Iterator<ExportResult> it = results.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAt <= now) {
                    it.remove();
                }
            }
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

    static final class MetricsRegistry {
        final Map<String, long[]> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new long[1])[0]++;
        }
    }

    static final class ExportService {
        final SimClock clock;
        final ExecutorService io = Executors.newFixedThreadPool(IO_WORKERS, new NamedThreadFactory("export-io-"));
        final TenantDirectory tenants = new TenantDirectory();
        final ResultCache results = new ResultCache(RESULT_TTL_MILLIS);
        final MetricsRegistry metrics = new MetricsRegistry();

        ExportService(SimClock clock) {
            this.clock = clock;
        }

        long runExport(ExportRequest req) {
            req.spec[0] = 1;
            return 1_000L + req.spec.length;
        }

        void export(int n) throws Exception {
            ExportRequest req = new ExportRequest("exp-" + (90_000_000 + n), tenants.get((n * 11) % TENANTS), Format.values()[n % 3]);
            // A private executor per export so that a slow export cannot block others. Never shut down.
            ExecutorService background = Executors.newFixedThreadPool(1, r -> {
                Thread t = new Thread(r, "export-" + req.requestId);
                t.setDaemon(true);
                return t;
            });
            long rows = background.submit(() -> runExport(req)).get();
            results.results.put(req.requestId,
                    new ExportResult(req.requestId, req.tenant.bucket + "/" + req.requestId + ".out", rows, clock.getAsLong() + RESULT_TTL_MILLIS));
            metrics.inc("export." + req.format.name().toLowerCase());
        }

        void statusCheck(int n) {
            tenants.get(n % TENANTS);
            metrics.inc("export.status");
            if (n % 100 == 99) {
                results.purge(clock.getAsLong());
            }
        }

        void warmUpIo() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(IO_WORKERS);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < IO_WORKERS; i++) {
                fs.add(io.submit(() -> barrier.await()));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        }
    }

    static ExportService RUNNING;

    static void build() throws Exception {
        long end = System.currentTimeMillis();
        long start = end - STATUS_CHECKS * STEP_MILLIS;
        CountryCodes.load();
        SimClock clock = new SimClock(start);
        ExportService s = new ExportService(clock);
        s.warmUpIo();
        int exportEvery = STATUS_CHECKS / EXPORTS;
        for (int n = 0; n < STATUS_CHECKS; n++) {
            clock.now = start + (n + 1) * STEP_MILLIS;
            if (n % exportEvery == 0) {
                s.export(n / exportEvery);
            }
            s.statusCheck(n);
        }
        // Exports every 200 s with a 1 h TTL, purged every 100 checks: 18 results are unexpired.
        if (s.results.results.size() != 18 || s.tenants.byCode.size() != TENANTS) {
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
