// hprofscan-dump: name=val142-healthy-tabletopgames jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val142-healthy-tabletopgames-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 142 (written blind), HEALTHY: the production back end of a tabletop game
 * publisher (card games, board games, punchboards and dice made to order). A large read-only table
 * of component specifications and tier prices; the project directory; a bill-of-materials resolver
 * whose identity visited set is cleared in a finally (some resolutions fail on a missing die-line);
 * proof renders run an external imposition command (ProcessBuilder, here `echo` with the tool's
 * arguments), and the last 48 finished proof jobs (with their Process) are kept for the status
 * page; a card-proof cache at its cap, a pool of plate buffers, a ring of events and a print queue
 * with its normal backlog. See VALIDATION142.md.
 */
public final class Val142HealthyTabletopGames {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SPECS = 30_000, PROJECTS = 6_000, PROOF_CAP = 2_000, POOL = 8, RING = 4_096, FINISHED_KEPT = 48, HOURS = 10;
    static final int RESOLUTIONS = 12_000, PROOF_JOBS = 600, PROOF_VIEWS = 24_000;

    record ComponentSpec(String sku, String kind, String material, int widthMm, int heightMm, double[] tierPrices) {}
    record Project(String projectId, String title, String designer, byte[] brief, long createdAt) {}
    record CardProof(String key, byte[] rendered, long at) {}
    record Event(String projectId, String what, long at) {}
    record PrintRun(String projectId, int copies, String press, long queuedAt) {}
    record BomLine(String sku, int quantity, double unitPrice) {}

    static final class PartNode {
        final String sku; final String instanceId; final int quantity; final List<PartNode> requires = new ArrayList<>(3);
        PartNode(String sku, String instanceId, int quantity) { this.sku = sku; this.instanceId = instanceId; this.quantity = quantity; }
    }

    static final class MissingDieLine extends RuntimeException {
        MissingDieLine(String m) { super(m, null, false, false); }
    }

    /** A proof render: the job's description and the external process that ran it. */
    static final class ProofJob {
        final String jobId; final String projectId; final List<String> command; final byte[] ticket; final long submittedAt;
        Process process; byte[] log; int exitCode = -1; long finishedAt;
        ProofJob(String jobId, String projectId, List<String> command, byte[] ticket, long submittedAt) { this.jobId = jobId; this.projectId = projectId; this.command = command; this.ticket = ticket; this.submittedAt = submittedAt; }
    }

    static final class ProofCache extends LinkedHashMap<String, CardProof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CardProof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    /** Read-only after startup. */
    static final Map<String, ComponentSpec> SPECS_BY_SKU = new HashMap<>();
    static final String[] SKUS = new String[SPECS];

    /** Long-lived BOM resolver: the visited set is a field, emptied after every resolution. */
    static final class BomResolver {
        final Set<PartNode> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        long resolutions, failures, nodesVisited;

        List<BomLine> resolve(PartNode root) {
            resolutions++;
            try {
                List<BomLine> lines = new ArrayList<>();
                walk(root, lines);
                return lines;
            } catch (MissingDieLine e) {
                failures++;
                throw e;
            } finally {
                visited.clear();
            }
        }

        private void walk(PartNode n, List<BomLine> out) {
            if (!visited.add(n)) return;
            nodesVisited++;
            ComponentSpec spec = SPECS_BY_SKU.get(n.sku);
            if (spec == null) throw new MissingDieLine("no die-line for " + n.sku + " (" + n.instanceId + ")");
            out.add(new BomLine(n.sku, n.quantity, spec.tierPrices()[Math.min(11, n.quantity / 500)]));
            for (PartNode child : n.requires) walk(child, out);
        }
    }

    static final class ProductionService {
        final Map<String, Project> projects = new HashMap<>();
        final String[] projectIds = new String[PROJECTS];
        final BomResolver resolver = new BomResolver();
        final Map<String, ProofJob> runningProofs = new HashMap<>();
        final ArrayDeque<ProofJob> finishedProofs = new ArrayDeque<>();
        final ProofCache cardProofs = new ProofCache();
        final ArrayDeque<byte[]> plateBuffers = new ArrayDeque<>();
        final Event[] events = new Event[RING];
        final ArrayDeque<PrintRun> printQueue = new ArrayDeque<>();
        long eventCount, quotes, quoteFailures, bomLines, proofsStarted, proofsFinished, proofViews, printRuns, printed;

        void event(String projectId, String what, long t) { events[(int) (eventCount++ % RING)] = new Event(projectId, what, t); }

        PartNode buildGraph(String projectId, Random r, long quoteNo) {
            PartNode box = new PartNode(SKUS[r.nextInt(SPECS)], projectId + "/q" + quoteNo + "/box", 1_000 + r.nextInt(4_000));
            int parts = 8 + r.nextInt(40);
            List<PartNode> all = new ArrayList<>();
            all.add(box);
            for (int p = 1; p <= parts; p++) {
                boolean missing = r.nextInt(1_000) < 1; // a custom die-line not yet in the table
                PartNode n = new PartNode(missing ? "DL-CUSTOM-" + r.nextInt(900) : SKUS[r.nextInt(SPECS)], projectId + "/q" + quoteNo + "/p" + p, 1 + r.nextInt(6_000));
                all.get(r.nextInt(all.size())).requires.add(n);
                if (p > 4 && r.nextInt(5) == 0) n.requires.add(all.get(1 + r.nextInt(3))); // shared punchboard / card sheet
                all.add(n);
            }
            return box;
        }

        void quote(Random r, long t) {
            String projectId = projectIds[r.nextInt(PROJECTS)];
            PartNode root = buildGraph(projectId, r, quotes++);
            try {
                bomLines += resolver.resolve(root).size();
                event(projectId, "quoted", t);
            } catch (MissingDieLine e) {
                quoteFailures++;
                event(projectId, "quote failed: " + e.getMessage(), t);
            }
        }

        void proof(Random r, long t) throws IOException, InterruptedException {
            String projectId = projectIds[r.nextInt(PROJECTS)];
            String jobId = "PJ-" + (610_000 + proofsStarted);
            List<String> command = List.of("echo", "impose", "--sheet=" + (r.nextBoolean() ? "SRA3" : "B2"), "--bleed=3mm", "--dpi=" + (r.nextBoolean() ? 300 : 600),
                    "--in=/srv/tabletop/projects/" + projectId + "/cards.pdf", "--out=/srv/tabletop/proofs/" + jobId + ".pdf");
            byte[] ticket = new byte[500 + r.nextInt(900)];
            ProofJob job = new ProofJob(jobId, projectId, command, ticket, t);
            runningProofs.put(jobId, job);
            proofsStarted++;
            job.process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream in = job.process.getInputStream()) { job.log = in.readAllBytes(); }
            job.exitCode = job.process.waitFor();
            finish(job, t + (20 + r.nextInt(100)) * SECOND);
        }

        void finish(ProofJob job, long t) {
            job.finishedAt = t;
            runningProofs.remove(job.jobId);
            finishedProofs.addLast(job);
            if (finishedProofs.size() > FINISHED_KEPT) finishedProofs.removeFirst();
            proofsFinished++;
            event(job.projectId, "proof ready", t);
        }

        void viewProof(Random r, long t) {
            proofViews++;
            String key = projectIds[r.nextInt(PROJECTS)] + "/card-" + r.nextInt(3);
            if (cardProofs.get(key) == null) cardProofs.put(key, new CardProof(key, new byte[400 + r.nextInt(400)], t));
            byte[] plate = plateBuffers.poll();
            plate[(int) (proofViews % plate.length)] = (byte) key.length();
            plateBuffers.add(plate);
        }

        void orderPrint(Random r, long t) {
            printQueue.add(new PrintRun(projectIds[r.nextInt(PROJECTS)], 500 * (1 + r.nextInt(20)), "press-" + (1 + r.nextInt(4)), t));
            printRuns++;
        }

        void press(long t) {
            while (!printQueue.isEmpty() && t - printQueue.peek().queuedAt() >= 45 * MINUTE) { printQueue.poll(); printed++; }
        }
    }

    static ProductionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(142_020_001);
        String[] kinds = {"poker card", "tarot card", "mini card", "punchboard", "game board", "rulebook", "tuck box", "telescoping box", "insert tray", "d6 die", "meeple", "token sheet"};
        String[] materials = {"310 gsm black core", "2 mm greyboard", "1.5 mm greyboard", "130 gsm silk", "wood", "ABS", "linen finish 300 gsm"};
        for (int i = 0; i < SPECS; i++) {
            double[] tiers = new double[12];
            double base = 0.01 + rnd.nextDouble() * 4;
            for (int k = 0; k < tiers.length; k++) tiers[k] = base * (1 - k * 0.05);
            SKUS[i] = "TT-" + (100_000 + i * 3);
            SPECS_BY_SKU.put(SKUS[i], new ComponentSpec(SKUS[i], kinds[i % kinds.length], materials[rnd.nextInt(materials.length)], 40 + rnd.nextInt(500), 40 + rnd.nextInt(500), tiers));
        }
        ProductionService svc = new ProductionService();
        SERVICE = svc;
        for (int i = 0; i < PROJECTS; i++) {
            svc.projectIds[i] = "TG-" + (24_000 + i);
            svc.projects.put(svc.projectIds[i], new Project(svc.projectIds[i], "Game " + i, "Designer " + (i % 700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plateBuffers.add(new byte[32_768]);
        Random quotes = new Random(142_020_002), proofs = new Random(142_020_003), views = new Random(142_020_004);
        int total = RESOLUTIONS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.quote(quotes, t);
            if (i % (RESOLUTIONS / PROOF_JOBS) == 7) svc.proof(proofs, t);
            for (int k = 0; k < PROOF_VIEWS / RESOLUTIONS; k++) svc.viewProof(views, t);
            if (i % 24 == 0) svc.orderPrint(quotes, t);
            if (i % 20 == 0) svc.press(t);
        }
    }

    static void report() {
        ProductionService svc = SERVICE;
        BomResolver res = svc.resolver;
        int exited = 0;
        for (ProofJob j : svc.finishedProofs) if (j.exitCode == 0 && j.log.length > 0) exited++;
        System.out.println("specs " + SPECS_BY_SKU.size() + " projects " + svc.projects.size() + " quotes " + svc.quotes + " (failed " + svc.quoteFailures + ", bom lines " + svc.bomLines + ")"
                + " resolver " + res.resolutions + "/" + res.failures + " nodes " + res.nodesVisited + " visited now " + res.visited.size()
                + " proofs " + svc.proofsStarted + "/" + svc.proofsFinished + " running " + svc.runningProofs.size() + " finished kept " + svc.finishedProofs.size() + " (exited 0: " + exited + ")"
                + " card proofs " + svc.cardProofs.size() + " (evicted " + svc.cardProofs.evicted + ") print runs " + svc.printRuns + "/" + svc.printed + " backlog " + svc.printQueue.size()
                + " events " + svc.eventCount + " pool " + svc.plateBuffers.size());
        check(SPECS_BY_SKU.size() == SPECS && svc.projects.size() == PROJECTS, "reference table / directory");
        check(svc.quotes == RESOLUTIONS && res.resolutions == RESOLUTIONS && res.failures == svc.quoteFailures && svc.quoteFailures > 0, "quotes");
        check(res.visited.isEmpty(), "visited set emptied after every resolution");
        check(svc.proofsStarted == PROOF_JOBS && svc.proofsFinished == PROOF_JOBS && svc.runningProofs.isEmpty(), "proof jobs");
        check(svc.finishedProofs.size() == FINISHED_KEPT && exited == FINISHED_KEPT, "finished proofs kept");
        check(svc.cardProofs.size() == PROOF_CAP && svc.cardProofs.evicted > 0, "card proof cache at cap");
        check(svc.plateBuffers.size() == POOL, "pool");
        check(svc.printQueue.size() > 0 && svc.printQueue.size() < 60 && svc.printRuns == svc.printed + svc.printQueue.size(), "print backlog");
        check(svc.events[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
