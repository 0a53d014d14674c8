// hprofscan-dump: name=val88-healthy-cipipelines-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val88-healthy-cipipelines-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val88-healthy-cipipelines jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val88-healthy-cipipelines-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 88 (written blind), HEALTHY: the build orchestrator of a hosted CI service.
 * Runner-image reference data, the repository directory, a cache of resolved lockfiles at its cap,
 * a pool of log-chunk buffers, and three look-alikes done right: a job-dependency graph under five
 * pipeline roots whose finished runs are unlinked (only a bounded deque of the last 2,048 run
 * summaries is kept); a log shipper writing one object per finished job to a long-lived
 * ObjectOutputStream over a rotating in-memory sink, reset() after every flush; and a webhook
 * intake whose duplicate filter is a BitSet indexed by delivery id modulo a fixed window and whose
 * JSON decoder's static key pool admits only the schema's keys (ids used as keys pass through).
 * Series: 1 h / 4 h / 8 h; it warms up, then plateaus. See VALIDATION88.md.
 */
public final class Val88HealthyCiPipelines {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, FLUSH_EVERY = 10_000L;
    static final int IMAGES = 1_400, REPOS = 25_000, LOCK_CAP = 2_000, POOL = 8, SUMMARY_CAP = 2_048, RUNS_PER_HOUR = 600, HOOKS_PER_RUN = 5;
    static final int SEGMENT_BYTES = 64 * 1024, KEEP_SEALED = 4, DEDUP_WINDOW = 1 << 20;
    static final String[] PIPELINES = {"pull-requests", "main-branch", "nightly", "release-tags", "dependency-bumps"};

    record RunnerImage(String name, String os, double[] bootSecondsByLoad) {}
    record Repo(String slug, String defaultBranch, byte[] settings, long createdAt) {}
    record Lockfile(String key, byte[] resolved, long at) {}
    record RunSummary(long runId, String pipeline, String repo, String outcome, int jobs, long startedAt, long finishedAt, byte[] testReport) {}
    record LogLine(long jobId, String kind, String level, String message, long at) implements Serializable {}

    static final class JobNode {
        final long id;
        final String kind, pipeline;
        final String[] params;
        final long submittedAt, doneAt;
        boolean done;
        String resultSummary;
        final List<JobNode> dependents = new ArrayList<>(2);
        JobNode(long id, String kind, String pipeline, String[] params, long submittedAt, long doneAt) {
            this.id = id; this.kind = kind; this.pipeline = pipeline; this.params = params; this.submittedAt = submittedAt; this.doneAt = doneAt;
        }
        void dependsOn(JobNode upstream) { upstream.dependents.add(this); }
    }

    static final class Run {
        final long runId; final JobNode root, head; final String repo; final long startedAt, finishAt;
        final List<JobNode> jobs = new ArrayList<>(8);
        Run(long runId, JobNode root, JobNode head, String repo, long startedAt, long finishAt) { this.runId = runId; this.root = root; this.head = head; this.repo = repo; this.startedAt = startedAt; this.finishAt = finishAt; }
    }

    /** Rotating in-memory sink: a full segment is sealed at the next flush; the last 4 are kept for retransmission. */
    static final class SegmentSink extends OutputStream {
        final ByteArrayOutputStream current = new ByteArrayOutputStream(SEGMENT_BYTES + 8_192);
        final ArrayDeque<byte[]> sealed = new ArrayDeque<>();
        long bytes, segmentsSealed;
        @Override public void write(int b) { current.write(b); bytes++; }
        @Override public void write(byte[] b, int off, int len) { current.write(b, off, len); bytes += len; }
        @Override public void flush() {
            if (current.size() >= SEGMENT_BYTES) {
                sealed.addLast(current.toByteArray());
                segmentsSealed++;
                current.reset();
                if (sealed.size() > KEEP_SEALED) sealed.removeFirst();
            }
        }
    }

    static final class LogShipper {
        final SegmentSink sink = new SegmentSink();
        final ObjectOutputStream out;
        long written, flushes, resets;
        LogShipper() throws IOException { out = new ObjectOutputStream(sink); }
        void ship(LogLine l) throws IOException { out.writeObject(l); written++; }
        void flush() throws IOException { out.flush(); flushes++; out.reset(); resets++; } // the stream forgets what it has sent
    }

    static final class Scheduler {
        final JobNode[] roots = new JobNode[PIPELINES.length];
        final PriorityQueue<Run> running = new PriorityQueue<>((a, b) -> Long.compare(a.finishAt, b.finishAt));
        final ArrayDeque<RunSummary> recentRuns = new ArrayDeque<>();
        final Random reports = new Random(88_050_004);
        long jobIds = 70_000_000L, submitted, finished, summariesDropped;
        void finish(Run run, LogShipper logs) throws IOException {
            for (JobNode j : run.jobs) {
                j.done = true;
                j.resultSummary = j.kind + " passed in " + ((j.doneAt - j.submittedAt) / 1_000) + "s";
                logs.ship(new LogLine(j.id, j.kind, "INFO", "job " + j.id + " " + j.resultSummary, j.doneAt));
            }
            if (!run.root.dependents.remove(run.head)) throw new IllegalStateException("run not linked");
            recentRuns.addLast(new RunSummary(run.runId, run.head.pipeline, run.repo, "passed", run.jobs.size(), run.startedAt, run.finishAt, new byte[200 + reports.nextInt(200)]));
            if (recentRuns.size() > SUMMARY_CAP) { recentRuns.removeFirst(); summariesDropped++; }
            finished++;
        }
    }

    /** The webhook JSON decoder's key pool: only the schema's keys are shared; anything else passes through. */
    static final class JsonKeys {
        static final Set<String> SCHEMA = Set.of("delivery", "event", "repo", "ref", "sha", "checks", "name", "status", "conclusion", "pusher");
        static final Map<String, String> POOL = new HashMap<>();
        static long passedThrough;
        static String canonical(String key) {
            String c = POOL.get(key);
            if (c != null) return c;
            if (!SCHEMA.contains(key)) { passedThrough++; return key; }
            POOL.put(key, key);
            return key;
        }
    }

    /** Duplicate filter over the newest DEDUP_WINDOW delivery ids: bit (id mod window), cleared as the window moves. */
    static final class DeliveryFilter {
        final BitSet seen = new BitSet(DEDUP_WINDOW);
        long highest = -1, accepted, duplicates;
        boolean firstTime(long id) {
            if (highest >= 0 && id <= highest - DEDUP_WINDOW) { duplicates++; return false; }
            if (id > highest) {
                if (highest >= 0) {
                    long from = highest + 1;
                    long gap = id - highest;
                    if (gap >= DEDUP_WINDOW) seen.clear();
                    else {
                        int a = (int) (from & (DEDUP_WINDOW - 1)), b = (int) (id & (DEDUP_WINDOW - 1));
                        if (a <= b) seen.clear(a, b + 1); else { seen.clear(a, DEDUP_WINDOW); seen.clear(0, b + 1); }
                    }
                }
                highest = id;
            }
            int slot = (int) (id & (DEDUP_WINDOW - 1));
            if (seen.get(slot)) { duplicates++; return false; }
            seen.set(slot);
            accepted++;
            return true;
        }
    }

    static final class WebhookIntake {
        final DeliveryFilter filter = new DeliveryFilter();
        long received, checksSeen;
        void receive(long deliveryId, String body) {
            received++;
            if (!filter.firstTime(deliveryId)) return;
            Map<String, Object> doc = Json.object(body);
            Object checks = doc.get("checks");
            if (checks instanceof Map<?, ?> m) checksSeen += m.size();
        }
    }

    /** Minimal JSON object decoder (objects, strings, integers), keys through JsonKeys. */
    static final class Json {
        final String s; int p;
        Json(String s) { this.s = s; }
        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String s) { return (Map<String, Object>) new Json(s).value(); }
        Object value() {
            char c = s.charAt(p);
            if (c == '{') {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (s.charAt(p) == '}') { p++; return m; }
                while (true) {
                    String k = JsonKeys.canonical(str());
                    p++; // ':'
                    m.put(k, value());
                    if (s.charAt(p++) == ',') continue;
                    return m;
                }
            }
            if (c == '"') return str();
            int q = p;
            while (Character.isDigit(s.charAt(p))) p++;
            return Long.parseLong(s, q, p, 10);
        }
        String str() { int q = s.indexOf('"', p + 1); String v = s.substring(p + 1, q); p = q + 1; return v; }
    }

    static final class LockCache extends LinkedHashMap<String, Lockfile> {
        long evicted;
        LockCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Lockfile> e) { if (size() > LOCK_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RunnerImage> IMAGES_BY_NAME = new HashMap<>();

    static final class Orchestrator {
        final Map<String, Repo> repos = new HashMap<>();
        final LockCache lockfiles = new LockCache();
        final ArrayDeque<byte[]> logBuffers = new ArrayDeque<>();
        final Scheduler scheduler = new Scheduler();
        final LogShipper logs;
        final WebhookIntake hooks = new WebhookIntake();
        Orchestrator() throws IOException { logs = new LogShipper(); }
    }

    static Orchestrator SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int runs = RUNS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(88_050_001);
        String[] oses = {"ubuntu-22.04", "ubuntu-20.04", "windows-2022", "macos-13", "debian-12"};
        for (int g = 0; g < IMAGES; g++) {
            double[] boot = new double[64];
            for (int k = 0; k < boot.length; k++) boot[k] = 5 + rnd.nextDouble() * 55;
            String name = "runner-" + oses[g % oses.length] + "-v" + (100 + g);
            IMAGES_BY_NAME.put(name, new RunnerImage(name, oses[g % oses.length], boot));
        }
        Orchestrator svc = new Orchestrator();
        SERVICE = svc;
        String[] slugs = new String[REPOS];
        for (int r = 0; r < REPOS; r++) {
            slugs[r] = "org-" + (r / 25) + "/repo-" + (r % 25);
            svc.repos.put(slugs[r], new Repo(slugs[r], r % 7 == 0 ? "master" : "main", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.logBuffers.add(new byte[32_768]);
        Scheduler sch = svc.scheduler;
        for (int p = 0; p < PIPELINES.length; p++) sch.roots[p] = new JobNode(sch.jobIds++, "pipeline", PIPELINES[p], new String[] {"owner=platform-team", "maxParallel=" + (10 + p)}, start - 60 * 24 * HOUR, 0);
        Random traffic = new Random(88_050_002);
        Random hooks = new Random(88_050_003);
        long nextFlush = start + FLUSH_EVERY;
        long deliveryId = 2_210_000_000L;
        long[] recentDeliveries = new long[128];
        int hookCount = 0, redelivered = 0, maxInFlight = 0;
        StringBuilder sb = new StringBuilder(1_024);
        for (int i = 0; i < runs; i++) {
            long t = start + (end - MINUTE - start) * i / runs;
            while (!sch.running.isEmpty() && sch.running.peek().finishAt <= t) {
                Run done = sch.running.poll();
                while (nextFlush <= done.finishAt) { svc.logs.flush(); nextFlush += FLUSH_EVERY; }
                sch.finish(done, svc.logs);
            }
            while (nextFlush <= t) { svc.logs.flush(); nextFlush += FLUSH_EVERY; }
            int p = traffic.nextInt(PIPELINES.length);
            String repo = slugs[traffic.nextInt(REPOS)];
            long coDone = t + (10 + traffic.nextInt(50)) * 1_000L;
            JobNode head = new JobNode(sch.jobIds++, "checkout", PIPELINES[p], new String[] {"repo=" + repo, "sha=" + Long.toHexString(0xa0000000L + traffic.nextInt(1 << 28))}, t, coDone);
            long buildDone = coDone + (60 + traffic.nextInt(240)) * 1_000L;
            JobNode build = new JobNode(sch.jobIds++, "build", PIPELINES[p], new String[] {"image=runner-" + oses[traffic.nextInt(oses.length)], "cache=warm"}, t, buildDone);
            build.dependsOn(head);
            int shards = 2 + traffic.nextInt(4);
            long lastShard = buildDone;
            List<JobNode> tests = new ArrayList<>(shards);
            for (int k = 0; k < shards; k++) {
                long d = buildDone + (60 + traffic.nextInt(480)) * 1_000L;
                lastShard = Math.max(lastShard, d);
                JobNode test = new JobNode(sch.jobIds++, "test-shard", PIPELINES[p], new String[] {"shard=" + (k + 1) + "/" + shards, "suite=unit+integration"}, t, d);
                test.dependsOn(build);
                tests.add(test);
            }
            JobNode publish = new JobNode(sch.jobIds++, "publish", PIPELINES[p], new String[] {"artifact=" + repo + "@" + i, "registry=internal"}, t, lastShard + 30_000L);
            for (JobNode test : tests) publish.dependsOn(test);
            Run run = new Run(900_000L + i, sch.roots[p], head, repo, t, publish.doneAt);
            run.jobs.add(head); run.jobs.add(build); run.jobs.addAll(tests); run.jobs.add(publish);
            sch.roots[p].dependents.add(head);
            sch.running.add(run);
            sch.submitted++;
            maxInFlight = Math.max(maxInFlight, sch.running.size());
            for (int k = 0; k < 6; k++) {
                String key = "lock-" + traffic.nextInt(5_000);
                if (svc.lockfiles.get(key) == null) svc.lockfiles.put(key, new Lockfile(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.logBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.logBuffers.add(buf);
            for (int h = 0; h < HOOKS_PER_RUN; h++) {
                long id;
                if (hookCount >= 128 && hooks.nextInt(30) == 0) { id = recentDeliveries[hooks.nextInt(128)]; redelivered++; }
                else { deliveryId += 1 + hooks.nextInt(1_599); id = deliveryId; recentDeliveries[hookCount++ & 127] = id; }
                sb.setLength(0);
                sb.append("{\"delivery\":").append(id).append(",\"event\":\"check_suite\",\"repo\":\"").append(slugs[hooks.nextInt(REPOS)]).append("\",\"ref\":\"refs/heads/main\",\"sha\":\"").append(Long.toHexString(0xb0000000L + hooks.nextInt(1 << 28))).append("\",\"checks\":{");
                int n = 1 + hooks.nextInt(3);
                for (int c = 0; c < n; c++) {
                    if (c > 0) sb.append(',');
                    sb.append("\"chk-").append(id % 1_000_000).append('-').append(c).append("\":{\"name\":\"ci/").append(c).append("\",\"status\":\"completed\",\"conclusion\":\"success\"}");
                }
                sb.append("}}");
                svc.hooks.receive(id, sb.toString());
            }
        }
        sb = null;
        while (!sch.running.isEmpty() && sch.running.peek().finishAt <= end) {
            Run done = sch.running.poll();
            while (nextFlush <= done.finishAt) { svc.logs.flush(); nextFlush += FLUSH_EVERY; }
            sch.finish(done, svc.logs);
        }
        while (nextFlush <= end) { svc.logs.flush(); nextFlush += FLUSH_EVERY; }
        int linked = 0;
        for (JobNode root : sch.roots) linked += root.dependents.size();
        DeliveryFilter f = svc.hooks.filter;
        SegmentSink sink = svc.logs.sink;
        System.out.println("stage " + stage + " images " + IMAGES_BY_NAME.size() + " repos " + svc.repos.size() + " runs " + sch.submitted + " finished " + sch.finished + " in flight " + sch.running.size() + " (max " + maxInFlight + ") linked " + linked
                + " summaries " + sch.recentRuns.size() + " (dropped " + sch.summariesDropped + ") log lines " + svc.logs.written + " flushes " + svc.logs.flushes + " resets " + svc.logs.resets + " bytes " + sink.bytes + " sealed " + sink.segmentsSealed + " kept " + sink.sealed.size()
                + " hooks " + svc.hooks.received + " (redelivered " + redelivered + ", accepted " + f.accepted + ", duplicates " + f.duplicates + ", bitset bits " + f.seen.size() + ", set " + f.seen.cardinality() + ") key pool " + JsonKeys.POOL.size() + " (passed through " + JsonKeys.passedThrough + ")"
                + " lockfiles " + svc.lockfiles.size() + " (evicted " + svc.lockfiles.evicted + ") pool " + svc.logBuffers.size());
        check(IMAGES_BY_NAME.size() == IMAGES && svc.repos.size() == REPOS, "reference data / directory");
        check(sch.submitted == runs && linked == sch.running.size() && sch.finished + sch.running.size() == runs && sch.running.size() < 120, "only in-flight runs linked");
        check(sch.recentRuns.size() == Math.min(SUMMARY_CAP, (int) sch.finished), "run summaries bounded");
        check(svc.logs.resets == svc.logs.flushes && svc.logs.flushes == hours * HOUR / FLUSH_EVERY && sink.sealed.size() == KEEP_SEALED, "log stream reset after every flush");
        check(svc.hooks.received == (long) runs * HOOKS_PER_RUN && f.accepted + f.duplicates == svc.hooks.received && f.duplicates == redelivered && f.seen.size() == DEDUP_WINDOW, "delivery filter bounded");
        check(JsonKeys.POOL.size() == JsonKeys.SCHEMA.size() - 1 && JsonKeys.passedThrough > 0, "key pool holds only schema keys");
        check(svc.lockfiles.size() == LOCK_CAP && svc.lockfiles.evicted > 0, "lockfile cache at cap");
        check(svc.logBuffers.size() == POOL, "pool");
        LeakCheck.histogram("java.io.ObjectOutputStream", "java.util.BitSet", "[J (", "[I (", "[B (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
