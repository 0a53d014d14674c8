// hprofscan-dump: name=svc-leak-shutdownhooks jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=svc-leak-shutdownhooks-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
package testdata;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6b): a batch-job runner that registers a JVM shutdown hook per job
 * ({@code Runtime.getRuntime().addShutdownHook(new Thread(...))}, to delete the job's scratch
 * files if the JVM stops mid-job) and never removes it when the job finishes. Each hook is an
 * unstarted {@code Thread} whose {@code Runnable} (a lambda) captures its {@link JobContext}
 * (parameters, scratch file names, a 2-6 KB staging buffer). They accumulate in the JDK's
 * static {@code java.lang.ApplicationShutdownHooks.hooks} ({@code IdentityHashMap<Thread, Thread>}):
 * 1,200 job hooks plus the service's own single hook registered at startup (healthy counterpart:
 * {@code Service.onShutdown}, capturing only the service) = 1,201 entries. Also: the job
 * definitions (static, 400), a 4-thread worker pool, a results LRU at capacity (1,000), the
 * bounded run history (the last 500 runs), metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6b".
 */
public final class SvcLeakShutdownHooks {
    static final int DEFINITIONS = 400;
    static final int JOBS = 1_200;
    static final int RESULTS = 1_000;
    static final int HISTORY = 500;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static Service RUNNING;

    static final class JobDefinition {
        final String name; final String cron; final String owner; final Map<String, String> defaults;
        JobDefinition(String name, String cron, String owner, Map<String, String> defaults) { this.name = name; this.cron = cron; this.owner = owner; this.defaults = defaults; }
    }

    static final class JobDefinitions { static final Map<String, JobDefinition> BY_NAME = new HashMap<>(); }

    static final class JobContext {
        final long runId; final JobDefinition definition; final Map<String, String> params; final List<String> scratchFiles;
        final byte[] staging; final long startedAt; long finishedAt; String outcome;
        JobContext(long runId, JobDefinition definition, Map<String, String> params, List<String> scratchFiles, byte[] staging, long startedAt) {
            this.runId = runId; this.definition = definition; this.params = params; this.scratchFiles = scratchFiles; this.staging = staging; this.startedAt = startedAt;
        }
        void cleanup() { scratchFiles.clear(); }
    }

    static final class RunRecord {
        final long runId; final String job; final long startedAt; final long finishedAt; final String outcome;
        RunRecord(long runId, String job, long startedAt, long finishedAt, String outcome) { this.runId = runId; this.job = job; this.startedAt = startedAt; this.finishedAt = finishedAt; this.outcome = outcome; }
    }

    static final class ResultCache extends LinkedHashMap<Long, byte[]> {
        final int capacity;
        ResultCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return size() > capacity; }
    }

    static final class JobRunner {
        final ExecutorService workers = Executors.newFixedThreadPool(4, r -> { Thread t = new Thread(r, "job-worker"); t.setDaemon(true); return t; });
        final ArrayDeque<RunRecord> history = new ArrayDeque<>();
        final ResultCache results = new ResultCache(RESULTS);
        long runs;

        JobContext run(JobDefinition def, Random rnd, long startedAt, long finishedAt) throws Exception {
            Map<String, String> params = new HashMap<>(def.defaults);
            params.put("date", "2026-11-" + (10 + rnd.nextInt(20)));
            params.put("partition", Integer.toString(rnd.nextInt(64)));
            List<String> scratch = new ArrayList<>();
            for (int i = 0; i < 3; i++) scratch.add("/var/tmp/jobs/" + def.name + "/" + (++runs) + "-" + i + ".part");
            JobContext ctx = new JobContext(runs, def, params, scratch, new byte[2_048 + rnd.nextInt(4_096)], startedAt);
            // the leak: a hook per job, to clean up if the JVM stops mid-job; never removed
            Runtime.getRuntime().addShutdownHook(new Thread(ctx::cleanup, "cleanup-" + def.name + "-" + ctx.runId));
            Future<byte[]> f = workers.submit(() -> { byte[] out = new byte[256 + ctx.staging.length / 64]; out[0] = (byte) ctx.runId; return out; });
            results.put(ctx.runId, f.get());
            ctx.finishedAt = finishedAt; ctx.outcome = "OK";
            history.addLast(new RunRecord(ctx.runId, def.name, startedAt, finishedAt, ctx.outcome));
            if (history.size() > HISTORY) history.removeFirst();
            return ctx;
        }
    }

    static final class Service {
        final JobRunner runner = new JobRunner();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final Thread onShutdown;
        volatile boolean stopping;
        Service() {
            // healthy counterpart: one hook for the service, registered once at startup
            onShutdown = new Thread(() -> { stopping = true; runner.workers.shutdown(); }, "service-shutdown");
            Runtime.getRuntime().addShutdownHook(onShutdown);
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    @SuppressWarnings("unchecked")
    static int hookCount() throws ReflectiveOperationException {
        Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
        Field f = c.getDeclaredField("hooks");
        f.setAccessible(true);
        synchronized (c) { return ((IdentityHashMap<Thread, Thread>) f.get(null)).size(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_641);
        int before = hookCount();
        Service s = new Service();
        String[] owners = {"billing", "reporting", "search", "crm", "warehouse"};
        String[] cron = {"0 * * * *", "*/15 * * * *", "0 3 * * *", "30 2 * * 1"};
        List<JobDefinition> defs = new ArrayList<>();
        for (int i = 0; i < DEFINITIONS; i++) {
            Map<String, String> d = new HashMap<>();
            d.put("region", "eu-" + (i % 3)); d.put("format", i % 2 == 0 ? "parquet" : "csv"); d.put("retries", Integer.toString(1 + i % 4));
            JobDefinition def = new JobDefinition("job-" + (5_000 + i), cron[i % cron.length], owners[i % owners.length], d);
            JobDefinitions.BY_NAME.put(def.name, def);
            defs.add(def);
        }
        for (int j = 0; j < JOBS; j++) {
            long t = start + (SIM_MILLIS - 60_000) * j / JOBS;
            s.runner.run(defs.get(rnd.nextInt(DEFINITIONS)), rnd, t, t + 5_000 + rnd.nextInt(25_000));
            s.count("jobs.ok");
        }
        check(before == 0, "hooks before start " + before);
        check(hookCount() == JOBS + 1, "hooks " + hookCount());
        check(JobDefinitions.BY_NAME.size() == DEFINITIONS && s.runner.results.size() == RESULTS && s.runner.history.size() == HISTORY, "runner");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        Runtime.getRuntime().halt(0); // do not run the 1,201 hooks
    }
}
