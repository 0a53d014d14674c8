// hprofscan-dump: name=val88-leak-mailcampaigns-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val88-leak-mailcampaigns-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val88-leak-mailcampaigns jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val88-leak-mailcampaigns-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 88 (written blind), LEAK: the workflow scheduler of an e-mail marketing platform.
 * Sender-domain reference data, the account directory, a cache of rendered template previews at
 * its cap, a pool of MIME-encoding buffers, a ring of delivery receipts, and the job-dependency
 * graph: every submitted campaign run is a small DAG of JobNodes (segment-audience ->
 * render-variants -> 2-4 send-batch -> collect-stats; each node keeps its dependents, its
 * parameters and, once done, a result summary) linked under one of six pipeline root nodes. The
 * roots are the only way to the graph. Finished runs are never unlinked from their root, so the
 * graph grows with every run ever submitted. See VALIDATION88.md.
 */
public final class Val88LeakMailCampaigns {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DOMAINS = 1_000, ACCOUNTS = 24_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 16_384, RUNS_PER_HOUR = 600, RECEIPTS_PER_RUN = 16;
    static final String[] PIPELINES = {"newsletters", "transactional-digest", "win-back", "abandoned-cart", "product-launch", "re-engagement"};
    static boolean FIXED;

    record SenderDomain(String domain, String ipPool, double[] hourlyReputation) {}
    record Account(String accountId, String brandName, byte[] brandKit, long createdAt) {}
    record Preview(String key, byte[] html, long renderedAt) {}
    record Receipt(String messageId, String accountId, String outcome, long at) {}

    enum State { PENDING, DONE }

    /** One node of the job-dependency graph. */
    static final class JobNode {
        final long id;
        final String kind, pipeline;
        final String[] params;
        final long submittedAt;
        long doneAt, finishedAt;
        State state = State.PENDING;
        String resultSummary;
        final List<JobNode> dependents = new ArrayList<>(2);
        JobNode(long id, String kind, String pipeline, String[] params, long submittedAt, long doneAt) {
            this.id = id; this.kind = kind; this.pipeline = pipeline; this.params = params; this.submittedAt = submittedAt; this.doneAt = doneAt;
        }
        void dependsOn(JobNode upstream) { upstream.dependents.add(this); }
    }

    /** A run in flight: held by the scheduler's completion queue only until it finishes. */
    static final class CampaignRun {
        final JobNode root, head;
        final List<JobNode> jobs = new ArrayList<>(8);
        final long finishAt;
        CampaignRun(JobNode root, JobNode head, long finishAt) { this.root = root; this.head = head; this.finishAt = finishAt; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SenderDomain> DOMAINS_BY_NAME = new HashMap<>();

    static final class Scheduler {
        final JobNode[] roots = new JobNode[PIPELINES.length];
        final PriorityQueue<CampaignRun> running = new PriorityQueue<>((a, b) -> Long.compare(a.finishAt, b.finishAt));
        long jobIds = 40_000_000L, submitted, finished, unlinked;

        void finish(CampaignRun run) {
            for (JobNode j : run.jobs) {
                j.state = State.DONE;
                j.finishedAt = j.doneAt;
                j.resultSummary = j.kind + " ok in " + ((j.doneAt - j.submittedAt) / 1_000) + "s (job " + j.id + ")";
            }
            finished++;
            if (FIXED) { // unlink the finished run from its pipeline root
                if (!run.root.dependents.remove(run.head)) throw new IllegalStateException("run not linked");
                unlinked++;
            }
            // BUG: the finished run stays linked under its pipeline root forever
        }

        void advanceTo(long now) {
            while (!running.isEmpty() && running.peek().finishAt <= now) finish(running.poll());
        }
    }

    static final class CampaignService {
        final Map<String, Account> accounts = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> mimeBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        long receiptsWritten;
        final Scheduler scheduler = new Scheduler();
    }

    static CampaignService SERVICE;

    /** {runs linked under the roots, distinct jobs reachable from the roots} (a run is a DAG: each node counted once). */
    static long[] countLinked(Scheduler sch) {
        long runs = 0, jobs = 0;
        for (JobNode root : sch.roots) {
            runs += root.dependents.size();
            java.util.IdentityHashMap<JobNode, Boolean> seen = new java.util.IdentityHashMap<>();
            ArrayDeque<JobNode> todo = new ArrayDeque<>(root.dependents);
            while (!todo.isEmpty()) {
                JobNode j = todo.poll();
                if (seen.put(j, Boolean.TRUE) == null) todo.addAll(j.dependents);
            }
            jobs += seen.size();
        }
        return new long[] {runs, jobs};
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val88.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int runs = RUNS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(88_010_001);
        String[] domains = new String[DOMAINS];
        for (int d = 0; d < DOMAINS; d++) {
            double[] rep = new double[72];
            for (int k = 0; k < rep.length; k++) rep[k] = 60 + rnd.nextDouble() * 40;
            domains[d] = "mail" + d + ".send-" + (d % 40) + ".example.net";
            DOMAINS_BY_NAME.put(domains[d], new SenderDomain(domains[d], "pool-" + (d % 12), rep));
        }
        CampaignService svc = new CampaignService();
        SERVICE = svc;
        String[] accountIds = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountIds[a] = "ACC-" + (310_000 + a * 3);
            svc.accounts.put(accountIds[a], new Account(accountIds[a], "Brand " + (a % 900), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.mimeBuffers.add(new byte[32_768]);
        Scheduler sch = svc.scheduler;
        for (int p = 0; p < PIPELINES.length; p++) {
            sch.roots[p] = new JobNode(sch.jobIds++, "pipeline", PIPELINES[p], new String[] {"owner=growth-team", "concurrency=" + (4 + p)}, start - 30 * 24 * HOUR, 0);
        }
        Random traffic = new Random(88_010_002);
        String[] outcomes = {"delivered", "delivered", "delivered", "opened", "bounced", "deferred"};
        long jobsCreated = 0;
        for (int i = 0; i < runs; i++) {
            long t = start + (end - MINUTE - start) * i / runs;
            sch.advanceTo(t);
            int p = traffic.nextInt(PIPELINES.length);
            JobNode root = sch.roots[p];
            String pipeline = PIPELINES[p];
            String account = accountIds[traffic.nextInt(ACCOUNTS)];
            long segDone = t + (30 + traffic.nextInt(150)) * 1_000L;
            JobNode head = new JobNode(sch.jobIds++, "segment-audience", pipeline, new String[] {"account=" + account, "segment=seg-" + traffic.nextInt(90_000)}, t, segDone);
            long renderDone = segDone + (20 + traffic.nextInt(200)) * 1_000L;
            JobNode render = new JobNode(sch.jobIds++, "render-variants", pipeline, new String[] {"template=tpl-" + traffic.nextInt(6_000), "locales=" + (1 + traffic.nextInt(5))}, t, renderDone);
            render.dependsOn(head);
            int batches = 2 + traffic.nextInt(3);
            long lastSend = renderDone;
            CampaignRun run;
            List<JobNode> sends = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                long sendDone = renderDone + (60 + traffic.nextInt(900)) * 1_000L;
                lastSend = Math.max(lastSend, sendDone);
                JobNode send = new JobNode(sch.jobIds++, "send-batch", pipeline, new String[] {"batch=" + (b + 1) + "/" + batches, "ipPool=pool-" + traffic.nextInt(12)}, t, sendDone);
                send.dependsOn(render);
                sends.add(send);
            }
            JobNode stats = new JobNode(sch.jobIds++, "collect-stats", pipeline, new String[] {"window=24h", "report=rpt-" + Long.toHexString(0x5a0000L + i)}, t, lastSend + 60_000L);
            for (JobNode s : sends) stats.dependsOn(s);
            run = new CampaignRun(root, head, stats.doneAt);
            run.jobs.add(head); run.jobs.add(render); run.jobs.addAll(sends); run.jobs.add(stats);
            jobsCreated += run.jobs.size();
            root.dependents.add(head);
            sch.running.add(run);
            sch.submitted++;
            for (int r = 0; r < RECEIPTS_PER_RUN; r++) {
                svc.receipts[(int) (svc.receiptsWritten++ % RING)] = new Receipt("msg-" + Long.toHexString(0x9e00_0000L + svc.receiptsWritten), account, outcomes[traffic.nextInt(outcomes.length)], t);
            }
            for (int v = 0; v < 3; v++) {
                String key = "tpl-" + traffic.nextInt(6_000) + "/" + traffic.nextInt(2);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.mimeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.mimeBuffers.add(buf);
        }
        sch.advanceTo(end);
        // runs still in flight at the dump: mark the jobs already done
        int activeRuns = sch.running.size();
        long activeJobs = 0;
        for (CampaignRun run : sch.running) {
            for (JobNode j : run.jobs) if (j.doneAt <= end) { j.state = State.DONE; j.finishedAt = j.doneAt; j.resultSummary = j.kind + " ok"; }
            activeJobs += run.jobs.size();
        }
        long[] linked = countLinked(sch);
        int linkedRuns = (int) linked[0];
        long linkedJobs = linked[1];
        int[] perRoot = new int[PIPELINES.length];
        for (int p = 0; p < PIPELINES.length; p++) perRoot[p] = sch.roots[p].dependents.size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " domains " + DOMAINS_BY_NAME.size() + " accounts " + svc.accounts.size() + " runs submitted " + sch.submitted + " finished " + sch.finished
                + " in flight " + activeRuns + " (" + activeJobs + " jobs) jobs created " + jobsCreated + " linked runs " + linkedRuns + " linked jobs " + linkedJobs + " per root " + java.util.Arrays.toString(perRoot)
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.mimeBuffers.size() + " receipts " + svc.receiptsWritten);
        check(DOMAINS_BY_NAME.size() == DOMAINS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(sch.submitted == runs && sch.finished + activeRuns == runs && activeRuns > 0 && activeRuns < 250, "runs: " + activeRuns);
        if (FIXED) check(linkedRuns == activeRuns && linkedJobs == activeJobs && sch.unlinked == sch.finished, "only in-flight runs linked");
        else check(linkedRuns == runs && linkedJobs == jobsCreated, "graph keeps every run: " + linkedRuns);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.mimeBuffers.size() == POOL, "pool");
        check(svc.receiptsWritten == (long) runs * RECEIPTS_PER_RUN && svc.receipts[RING - 1] != null, "receipt ring");
        LeakCheck.histogram("[I (", "[B (", "java.util.ArrayList ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
