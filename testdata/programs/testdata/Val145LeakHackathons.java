// hprofscan-dump: name=val145-leak-hackathons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val145-leak-hackathons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 145 (written blind), LEAK: the build service of a hackathon platform. Teams push
 * commits during the event and every push starts a build of the team's demo on a shared runner
 * fleet. Each build schedules a 6-hour job timeout (the usual CI default) on the service's shared
 * ScheduledThreadPoolExecutor (the platform's tracing subclass wraps every task with the build
 * context of the request that scheduled it, so the task's log lines carry the build id), and the
 * build cancels it when it finishes, minutes later. setRemoveOnCancelPolicy(true) was never called,
 * so every cancelled timeout stays in the executor's work queue, with the build context it carries,
 * until its 6 hours are up. Ordinary components beside it: event and runner-image reference data, the participant
 * and team directories, the builds in progress, a cache of build-log tails at its cap, a pool of
 * artifact buffers, a ring of recent builds and the judging queue with its backlog. 5 hours of an
 * event (every timeout scheduled since the start is still within its 6 hours). See VALIDATION145.md.
 */
public final class Val145LeakHackathons {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int EVENTS = 300, IMAGES = 24, PARTICIPANTS = 22_000, TEAMS = 5_500, LOG_CAP = 1_200, POOL = 8, RING = 4_096, HOURS = 5,
            JUDGING_LAG_MINUTES = 20;
    static final long JOB_TIMEOUT = 6 * HOUR;
    static final String[] STACKS = {"node-20", "python-3.12", "go-1.22", "rust-1.78", "java-21", "dotnet-8", "ruby-3.3", "deno-1.44"};
    static final String[] BRANCHES = {"main", "demo", "feature/auth", "feature/ui", "fix/build", "feature/api", "hotfix/deploy", "feature/ml-model"};
    static boolean FIXED;

    record HackEvent(String code, String title, String city, double[] submissionsByHalfHour) {}
    record RunnerImage(String name, String stack, long sizeBytes, String[] preinstalled) {}
    record Participant(String handle, String name, String teamId, byte[] profile, long joinedAt) {}
    record Team(String teamId, String eventCode, String repoUrl, String[] members, String stack) {}
    record BuildSummary(String buildId, String teamId, String commit, boolean ok, int seconds, long finishedAt) {}
    record LogTail(String teamId, byte[] text, long at) {}
    record Submission(String teamId, String buildId, String demoUrl, long submittedAt) {}

    static final Map<String, HackEvent> EVENTS_BY_CODE = new HashMap<>();
    static final Map<String, RunnerImage> IMAGES_BY_NAME = new HashMap<>();

    /** What a build carries from push to finish; the timeout task captures it. */
    static final class BuildContext {
        final String buildId, teamId, commit, branch, image;
        final String[] env;
        final byte[] workspaceManifest;
        final int[] stepSeconds = new int[12];
        final long startedAt;
        ScheduledFuture<?> timeout;
        BuildContext(String buildId, String teamId, String commit, String branch, String image, String[] env, byte[] manifest, long startedAt) {
            this.buildId = buildId; this.teamId = teamId; this.commit = commit; this.branch = branch; this.image = image; this.env = env;
            this.workspaceManifest = manifest; this.startedAt = startedAt;
        }
    }

    /** The build whose request is being handled on this thread (log context, like an MDC). */
    static final ThreadLocal<BuildContext> CURRENT_BUILD = new ThreadLocal<>();

    /** The platform's scheduler: every task carries the build context of the request that scheduled it. */
    static final class TracingScheduler extends ScheduledThreadPoolExecutor {
        TracingScheduler(int core, ThreadFactory factory) { super(core, factory); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) { return new TracedTask<>(this, task, CURRENT_BUILD.get()); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) { return new TracedTask<>(this, task, CURRENT_BUILD.get()); }
    }

    static final class TracedTask<V> implements RunnableScheduledFuture<V> {
        final ScheduledThreadPoolExecutor owner;
        final RunnableScheduledFuture<V> task;
        final BuildContext context;
        TracedTask(ScheduledThreadPoolExecutor owner, RunnableScheduledFuture<V> task, BuildContext context) { this.owner = owner; this.task = task; this.context = context; }
        @Override public void run() { CURRENT_BUILD.set(context); try { task.run(); } finally { CURRENT_BUILD.remove(); } }
        @Override public boolean cancel(boolean interrupt) {
            boolean cancelled = task.cancel(interrupt);
            if (cancelled && owner.getRemoveOnCancelPolicy()) owner.remove(this);   // the queue holds this wrapper, not the inner task
            return cancelled;
        }
        @Override public boolean isPeriodic() { return task.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return task.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return task.compareTo(o instanceof TracedTask<?> t ? t.task : o); }
        @Override public boolean isCancelled() { return task.isCancelled(); }
        @Override public boolean isDone() { return task.isDone(); }
        @Override public V get() throws InterruptedException, ExecutionException { return task.get(); }
        @Override public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException { return task.get(timeout, unit); }
    }

    static final class LogCache extends LinkedHashMap<String, LogTail> {
        long evicted;
        LogCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LogTail> e) { if (size() > LOG_CAP) { evicted++; return true; } return false; }
    }

    static final class BuildService {
        final Map<String, Participant> participants = new HashMap<>();
        final Map<String, Team> teams = new HashMap<>();
        final String[] teamIds = new String[TEAMS];
        final Map<String, BuildContext> running = new HashMap<>();
        final TracingScheduler timeouts;
        final LogCache logs = new LogCache();
        final ArrayDeque<byte[]> artifactBuffers = new ArrayDeque<>();
        final BuildSummary[] recent = new BuildSummary[RING];
        final ArrayDeque<Submission> judging = new ArrayDeque<>();
        int periodicJobs;
        long builds, succeeded, failed, timedOut, logHits, submissions, judged;

        BuildService() {
            AtomicInteger n = new AtomicInteger();
            timeouts = new TracingScheduler(1, r -> { Thread th = new Thread(r, "build-timeouts-" + n.incrementAndGet()); th.setDaemon(true); return th; });
            if (FIXED) timeouts.setRemoveOnCancelPolicy(true); // BUG: never set in the service as written
            timeouts.scheduleAtFixedRate(() -> { }, 30, 10, TimeUnit.MINUTES);  // runner fleet heartbeat
            timeouts.scheduleAtFixedRate(() -> { }, 45, 15, TimeUnit.MINUTES);  // queue-depth metrics
            periodicJobs = 2;
        }

        BuildContext start(Team team, Random r, long t, long end) {
            String buildId = "B" + (9_000_000 + builds++);
            String[] env = {"TEAM_ID=" + team.teamId(), "EVENT=" + team.eventCode(), "STACK=" + team.stack(), "CI=true",
                    "DEMO_URL=https://" + team.teamId().toLowerCase() + ".demo.example", "BUILD_ID=" + buildId};
            BuildContext ctx = new BuildContext(buildId, team.teamId(), String.format("%016x%016x%08x", r.nextLong(), r.nextLong(), r.nextInt()),
                    BRANCHES[r.nextInt(BRANCHES.length)], "runner-" + team.stack(), env, new byte[400 + r.nextInt(400)], t);
            CURRENT_BUILD.set(ctx);
            try {
                // the timeout is due 6 hours after the build started; it is scheduled relative to now
                long due = t + JOB_TIMEOUT - end;
                ctx.timeout = timeouts.schedule(() -> timeOut(ctx), due, TimeUnit.MILLISECONDS);
                running.put(buildId, ctx);
            } finally {
                CURRENT_BUILD.remove();
            }
            return ctx;
        }

        void timeOut(BuildContext ctx) { if (running.remove(ctx.buildId) != null) timedOut++; }

        void finish(BuildContext ctx, Random r, long t) {
            ctx.timeout.cancel(false);
            running.remove(ctx.buildId);
            int total = 0;
            for (int k = 0; k < ctx.stepSeconds.length; k++) total += ctx.stepSeconds[k] = 2 + r.nextInt(40);
            boolean ok = r.nextInt(100) < 78;
            if (ok) succeeded++; else failed++;
            long n = succeeded + failed - 1;
            recent[(int) (n % RING)] = new BuildSummary(ctx.buildId, ctx.teamId, ctx.commit, ok, total, t);
            if (logs.get(ctx.teamId) != null) logHits++;
            logs.put(ctx.teamId, new LogTail(ctx.teamId, new byte[1_000 + r.nextInt(1_000)], t));
            byte[] buf = artifactBuffers.poll();
            buf[total % buf.length]++;
            artifactBuffers.add(buf);
            if (ok && r.nextInt(6) == 0) {
                judging.addLast(new Submission(ctx.teamId, ctx.buildId, "https://" + ctx.teamId.toLowerCase() + ".demo.example/" + ctx.commit.substring(0, 7), t));
                submissions++;
            }
        }
    }

    record Finish(long at, BuildContext ctx) {}

    static BuildService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(145_040_001);
        String[] eventCodes = new String[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            double[] halves = new double[48];
            for (int k = 0; k < halves.length; k++) halves[k] = rnd.nextInt(120);
            eventCodes[e] = "HX-" + (2_000 + e * 7);
            EVENTS_BY_CODE.put(eventCodes[e], new HackEvent(eventCodes[e], "Hack weekend " + (e + 1), "city " + rnd.nextInt(90), halves));
        }
        for (int i = 0; i < IMAGES; i++) {
            String stack = STACKS[i % STACKS.length];
            String name = i < STACKS.length ? "runner-" + stack : "runner-" + stack + "-gpu" + (i / STACKS.length);
            IMAGES_BY_NAME.put(name, new RunnerImage(name, stack, 800_000_000L + rnd.nextInt(900_000_000), new String[] {"git", "curl", "make", stack}));
        }
        BuildService svc = new BuildService();
        SERVICE = svc;
        for (int k = 0; k < TEAMS; k++) {
            svc.teamIds[k] = "T" + (40_000 + k * 3);
            String[] members = new String[4];
            for (int m = 0; m < 4; m++) {
                String handle = "hk" + (100_000 + k * 4 + m);
                members[m] = handle;
                svc.participants.put(handle, new Participant(handle, "hacker " + (k * 4 + m + 1), svc.teamIds[k], new byte[150 + rnd.nextInt(150)],
                        now - (long) (1 + rnd.nextInt(900)) * DAY));
            }
            String eventCode = eventCodes[rnd.nextInt(EVENTS)];
            svc.teams.put(svc.teamIds[k], new Team(svc.teamIds[k], eventCode, "https://git.example/" + eventCode.toLowerCase() + "/" + svc.teamIds[k].toLowerCase(),
                    members, STACKS[rnd.nextInt(STACKS.length)]));
        }
        for (int p = PARTICIPANTS - TEAMS * 4, k = 0; k < p; k++) {          // registered, not in a team yet
            String handle = "hk" + (900_000 + k);
            svc.participants.put(handle, new Participant(handle, "solo " + (k + 1), null, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.artifactBuffers.add(new byte[65_536]);

        Random traffic = new Random(145_040_002);
        PriorityQueue<Finish> finishes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        for (long t = start; t < end; t += MINUTE) {
            while (!finishes.isEmpty() && finishes.peek().at() <= t) { Finish f = finishes.poll(); svc.finish(f.ctx(), traffic, t); }
            int pushes = 26 + traffic.nextInt(15);                             // ~2,000 builds an hour
            for (int k = 0; k < pushes; k++) {
                Team team = svc.teams.get(svc.teamIds[traffic.nextInt(TEAMS)]);
                long at = t + k * 1_400L;
                BuildContext ctx = svc.start(team, traffic, at, end);
                finishes.add(new Finish(at + (2 + traffic.nextInt(12)) * MINUTE, ctx));
            }
            while (!svc.judging.isEmpty() && svc.judging.peekFirst().submittedAt() <= t - JUDGING_LAG_MINUTES * MINUTE) { svc.judging.pollFirst(); svc.judged++; }
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val145.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        BuildService svc = SERVICE;
        int queued = svc.timeouts.getQueue().size();
        long finished = svc.succeeded + svc.failed;
        System.out.println((FIXED ? "FIXED " : "") + "events " + EVENTS_BY_CODE.size() + " images " + IMAGES_BY_NAME.size() + " participants " + svc.participants.size()
                + " teams " + svc.teams.size() + " builds " + svc.builds + " finished " + finished + " (ok " + svc.succeeded + ", failed " + svc.failed + ", timed out "
                + svc.timedOut + ") running " + svc.running.size() + " timeout queue " + queued + " logs " + svc.logs.size() + " (evicted " + svc.logs.evicted + ", hits "
                + svc.logHits + ") submissions " + svc.submissions + " judged " + svc.judged + " backlog " + svc.judging.size() + " pool " + svc.artifactBuffers.size());
        check(EVENTS_BY_CODE.size() == EVENTS && IMAGES_BY_NAME.size() == IMAGES && svc.participants.size() == PARTICIPANTS && svc.teams.size() == TEAMS,
                "reference data / directories");
        check(svc.builds == finished + svc.running.size() && svc.timedOut == 0, "builds");
        check(FIXED ? queued == svc.periodicJobs + svc.running.size() : queued == svc.periodicJobs + svc.builds, "timeout queue " + queued);
        check(EXPECTED_BUILDS < 0 || (svc.builds == EXPECTED_BUILDS && svc.running.size() == EXPECTED_RUNNING), "build counts");
        check(svc.logs.size() == LOG_CAP && svc.logs.evicted > 0, "log cache at cap");
        check(svc.artifactBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.judging.size() > 0 && svc.submissions == svc.judged + svc.judging.size(), "judging backlog");
    }

    static final long EXPECTED_BUILDS = 9_777, EXPECTED_RUNNING = 282;
}
