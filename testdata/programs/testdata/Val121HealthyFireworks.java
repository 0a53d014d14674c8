// hprofscan-dump: name=val121-healthy-fireworks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val121-healthy-fireworks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validation set 121 (written blind), HEALTHY: the show-design and firing service of a fireworks
 * display company. Every wireless firing module keeps its last {@link #RECENT_CUES} fired cues
 * for the firing console, trimmed by the one method both the live radio path and the post-show
 * log import go through (modules held in a list and in a map by serial); council permit checks
 * are futures completed when the council's API answers, each with a callback, removed from the
 * pending map on completion; each open show design keeps an undo history of edit commands capped
 * at {@link #UNDO_DEPTH}; cue scripts are parsed with a fixed set of seven compiled templates
 * cached by template name. Memory-hungry but constant: a wind model grid of 400,000 doubles.
 * See VALIDATION121.md.
 */
public final class Val121HealthyFireworks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SITES = 1_200, PRODUCTS = 20_000, MODULES = 3_000, RECENT_CUES = 24, DESIGNS = 200, UNDO_DEPTH = 50, PLAN_CAP = 2_000, POOL = 10,
            RING = 16_384, HOURS = 10, CUES_PER_MINUTE = 200, EDITS_PER_MINUTE = 20, PERMITS_PER_MINUTE = 3, PLANS_PER_MINUTE = 10, MANIFESTS_PER_MINUTE = 2,
            LOG_IMPORT_MINUTES = 30, MANIFEST_MINUTES = 45, WIND_CELLS = 400_000;
    static final String[] TEMPLATES = {"cue", "chain", "pyro-musical", "delay", "abort", "safety-check", "module-test"};
    static final String[] EFFECTS = {"peony", "chrysanthemum", "willow", "palm", "crossette", "comet", "mine", "cake", "roman candle", "salute", "kamuro", "ring"};
    static final String[] COUNCILS = {"Leeds", "Bristol", "Norwich", "Cardiff", "Bath", "York", "Exeter", "Durham", "Lancaster", "Perth"};

    record Site(String code, String name, double lat, double lon, double[] noiseLimitByHalfHour) {}
    record Product(String catalogueNo, String effect, String hazardType, int calibreMm, byte[] safetyDataSheet, long approvedAt) {}
    record CueFired(long seq, String moduleSerial, int channel, String catalogueNo, long firedAt, boolean fromLog) {}
    record ShowPlan(String key, byte[] pdf, long renderedAt) {}
    record PermitDecision(String applicationId, String council, boolean granted, String conditions) {}
    record Manifest(String manifestId, String siteCode, double netExplosiveKg, long queuedAt) {}
    record CueEdit(String cueId, long oldOffsetMs, long newOffsetMs, String oldProduct, String newProduct, String editor, long at) {}
    record PermitDue(long at, String applicationId, boolean granted) {}

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class FiringModule {
        final String serial, firmware;
        final int channels;
        final ArrayDeque<CueFired> recentCues = new ArrayDeque<>();
        long fired;
        FiringModule(String serial, String firmware, int channels) { this.serial = serial; this.firmware = firmware; this.channels = channels; }
    }

    static final class PermitApplication {
        final String applicationId, council, siteCode;
        final long submittedAt;
        PermitDecision decision;
        PermitApplication(String applicationId, String council, String siteCode, long submittedAt) {
            this.applicationId = applicationId; this.council = council; this.siteCode = siteCode; this.submittedAt = submittedAt;
        }
    }

    static final class ShowDesign {
        final String designId, siteCode;
        final Map<String, Long> cueOffsets = new HashMap<>();
        final Map<String, String> cueProducts = new HashMap<>();
        final ArrayDeque<CueEdit> undo = new ArrayDeque<>();
        final ArrayDeque<CueEdit> redo = new ArrayDeque<>();
        long edits, undos;
        ShowDesign(String designId, String siteCode) { this.designId = designId; this.siteCode = siteCode; }

        void apply(CueEdit e) {
            cueOffsets.put(e.cueId(), e.newOffsetMs());
            cueProducts.put(e.cueId(), e.newProduct());
            undo.addLast(e);
            while (undo.size() > UNDO_DEPTH) undo.removeFirst();
            redo.clear();
            edits++;
        }

        boolean undoLast() {
            CueEdit e = undo.pollLast();
            if (e == null) return false;
            cueOffsets.put(e.cueId(), e.oldOffsetMs());
            cueProducts.put(e.cueId(), e.oldProduct());
            redo.push(e);
            undos++;
            return true;
        }
    }

    static final class PlanCache extends LinkedHashMap<String, ShowPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShowPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final class FiringService {
        final Map<String, Product> products = new HashMap<>();
        final String[] catalogueNos = new String[PRODUCTS];
        final List<FiringModule> modules = new ArrayList<>();
        final Map<String, FiringModule> modulesBySerial = new HashMap<>();
        final Map<String, ShowDesign> designs = new HashMap<>();
        final Map<String, CompletableFuture<PermitDecision>> pendingPermits = new HashMap<>();
        final Map<String, PermitApplication> applications = new HashMap<>();
        final ConcurrentHashMap<String, Pattern> templates = new ConcurrentHashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> plotBuffers = new ArrayDeque<>();
        final CueFired[] cueLog = new CueFired[RING];
        final ArrayDeque<Manifest> manifests = new ArrayDeque<>();
        final double[] windModel = new double[WIND_CELLS];
        long cueSeq, liveCues, importedCues, imports, permitsAsked, permitsAnswered, permitCallbacks, scriptsParsed, manifestsQueued, manifestsSent, plansRequested;

        Pattern template(String name) {
            return templates.computeIfAbsent(name, n -> Pattern.compile(switch (n) {
                case "cue" -> "CUE\\s+(\\d+)\\s+@\\s*(\\d+(?:\\.\\d+)?)s\\s+M(\\d+):(\\d+)";
                case "chain" -> "CHAIN\\s+(\\d+)\\s+x(\\d+)\\s+every\\s+(\\d+)ms";
                case "pyro-musical" -> "SYNC\\s+track=(\\d+)\\s+beat=(\\d+)";
                case "delay" -> "DELAY\\s+(\\d+)ms";
                case "abort" -> "ABORT(?:\\s+zone=(\\w+))?";
                case "safety-check" -> "CHECK\\s+(continuity|arming|distance)\\s+M(\\d+)";
                default -> "TEST\\s+M(\\d+)\\s+ch(\\d+)";
            }));
        }

        void parseScriptLine(String line) {
            for (String t : TEMPLATES) if (template(t).matcher(line).matches()) { scriptsParsed++; return; }
        }

        /** The single entry point of both the live radio path and the post-show log import. */
        void record(FiringModule m, CueFired c) {
            m.recentCues.addLast(c);
            while (m.recentCues.size() > RECENT_CUES) m.recentCues.removeFirst();
            m.fired++;
            cueLog[(int) (c.seq() % RING)] = c;
        }

        void onRadioCue(CueFired c) { record(modulesBySerial.get(c.moduleSerial()), c); liveCues++; }

        void onLogImport(List<CueFired> log) { for (CueFired c : log) { record(modulesBySerial.get(c.moduleSerial()), c); importedCues++; } imports++; }

        void askPermit(PermitApplication a) {
            applications.put(a.applicationId, a);
            CompletableFuture<PermitDecision> f = new CompletableFuture<>();
            pendingPermits.put(a.applicationId, f);
            f.whenComplete((d, err) -> { if (err == null) { a.decision = d; permitCallbacks++; } });
            permitsAsked++;
        }

        void onCouncilAnswer(String applicationId, boolean granted) {
            CompletableFuture<PermitDecision> f = pendingPermits.remove(applicationId);
            PermitApplication a = applications.remove(applicationId);
            f.complete(new PermitDecision(applicationId, a.council, granted, granted ? "no aerial shells above 75 mm after 22:30" : "insufficient separation distance"));
            permitsAnswered++;
        }

        ShowPlan plan(String designId, int revision, long t, Random r) {
            plansRequested++;
            String key = designId + "/rev-" + revision;
            ShowPlan p = plans.get(key);
            if (p == null) {
                byte[] buf = plotBuffers.poll();
                int len = 500 + r.nextInt(500);
                for (int i = 0; i < len; i += 20) buf[i] = (byte) r.nextInt(256);
                p = new ShowPlan(key, java.util.Arrays.copyOf(buf, len), t);
                plotBuffers.add(buf);
                plans.put(key, p);
            }
            return p;
        }

        void dispatchManifests(long t) {
            while (!manifests.isEmpty() && manifests.peekFirst().queuedAt() <= t - MANIFEST_MINUTES * MINUTE) { manifests.pollFirst(); manifestsSent++; }
        }
    }

    static FiringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(121_060_001);
        String[] sites = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] limits = new double[64];
            for (int k = 0; k < limits.length; k++) limits[k] = 70 + rnd.nextDouble() * 50;
            sites[s] = "FS" + (2_000 + s * 9);
            SITES_BY_CODE.put(sites[s], new Site(sites[s], COUNCILS[s % COUNCILS.length] + " site " + (s + 1), 50 + rnd.nextDouble() * 6, -5 + rnd.nextDouble() * 6, limits));
        }
        FiringService svc = new FiringService();
        SERVICE = svc;
        for (int p = 0; p < PRODUCTS; p++) {
            svc.catalogueNos[p] = "PX-" + (10_000 + p * 3);
            svc.products.put(svc.catalogueNos[p], new Product(svc.catalogueNos[p], EFFECTS[rnd.nextInt(EFFECTS.length)], rnd.nextInt(4) == 0 ? "1.3G" : "1.4G",
                    25 + rnd.nextInt(8) * 25, new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_500)) * DAY));
        }
        for (int m = 0; m < MODULES; m++) {
            FiringModule fm = new FiringModule("FM" + (880_000 + m * 17), "2." + rnd.nextInt(5) + "." + rnd.nextInt(9), rnd.nextBoolean() ? 16 : 32);
            svc.modules.add(fm);
            svc.modulesBySerial.put(fm.serial, fm);
        }
        String[] designIds = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) {
            designIds[d] = "SHOW-" + (7_000 + d * 13);
            ShowDesign sd = new ShowDesign(designIds[d], sites[rnd.nextInt(SITES)]);
            for (int c = 0; c < 60; c++) { sd.cueOffsets.put("C" + c, c * 2_500L); sd.cueProducts.put("C" + c, svc.catalogueNos[rnd.nextInt(PRODUCTS)]); }
            svc.designs.put(designIds[d], sd);
        }
        for (int b = 0; b < POOL; b++) svc.plotBuffers.add(new byte[32_768]);
        for (int w = 0; w < WIND_CELLS; w++) svc.windModel[w] = rnd.nextDouble() * 18;

        Random cues = new Random(121_060_002), edits = new Random(121_060_003), permits = new Random(121_060_004), plans = new Random(121_060_005);
        List<CueFired> offlineLog = new ArrayList<>();
        PriorityQueue<PermitDue> answers = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.applicationId().compareTo(b.applicationId()));
        long nextImport = start + LOG_IMPORT_MINUTES * MINUTE, applicationSeq = 0, manifestSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < CUES_PER_MINUTE; k++) {
                FiringModule m = svc.modules.get(cues.nextInt(MODULES));
                boolean offline = cues.nextInt(4) == 0;
                CueFired c = new CueFired(++svc.cueSeq, m.serial, 1 + cues.nextInt(m.channels), svc.catalogueNos[cues.nextInt(PRODUCTS)], t + k * 300L, offline);
                if (offline) offlineLog.add(c); else svc.onRadioCue(c);
                if (k % 20 == 0) svc.parseScriptLine(switch (cues.nextInt(4)) {
                    case 0 -> "CUE " + c.seq() + " @ " + (k * 0.3) + "s M" + (m.serial.hashCode() & 0xff) + ":" + c.channel();
                    case 1 -> "CHAIN " + k + " x" + (2 + cues.nextInt(8)) + " every " + (100 + cues.nextInt(400)) + "ms";
                    case 2 -> "CHECK continuity M" + cues.nextInt(100);
                    default -> "DELAY " + cues.nextInt(5_000) + "ms";
                });
            }
            if (t >= nextImport) { svc.onLogImport(offlineLog); offlineLog = new ArrayList<>(); nextImport = t + LOG_IMPORT_MINUTES * MINUTE; }
            for (int k = 0; k < EDITS_PER_MINUTE; k++) {
                ShowDesign d = svc.designs.get(designIds[edits.nextInt(DESIGNS)]);
                if (edits.nextInt(10) == 0) { d.undoLast(); continue; }
                String cue = "C" + edits.nextInt(60);
                d.apply(new CueEdit(cue, d.cueOffsets.get(cue), edits.nextInt(150_000), d.cueProducts.get(cue), svc.catalogueNos[edits.nextInt(PRODUCTS)],
                        "designer" + edits.nextInt(40), t + k * 3 * SECOND));
            }
            for (int k = 0; k < PERMITS_PER_MINUTE; k++) {
                String id = "PA-" + (60_000 + applicationSeq++);
                svc.askPermit(new PermitApplication(id, COUNCILS[permits.nextInt(COUNCILS.length)], sites[permits.nextInt(SITES)], t));
                answers.add(new PermitDue(t + (5 + permits.nextInt(16)) * MINUTE, id, permits.nextInt(10) != 0));
            }
            while (!answers.isEmpty() && answers.peek().at() <= t) { PermitDue a = answers.poll(); svc.onCouncilAnswer(a.applicationId(), a.granted()); }
            for (int k = 0; k < PLANS_PER_MINUTE; k++) svc.plan(designIds[plans.nextInt(DESIGNS)], plans.nextInt(40), t, plans);
            for (int k = 0; k < MANIFESTS_PER_MINUTE; k++) {
                svc.manifests.addLast(new Manifest("ADR-" + (manifestSeq++), sites[plans.nextInt(SITES)], 5 + plans.nextInt(400) / 4.0, t));
                svc.manifestsQueued++;
            }
            svc.dispatchManifests(t);
        }
    }

    static void report() {
        FiringService svc = SERVICE;
        long minutes = HOURS * 60L;
        int held = 0, atCap = 0, maxHeld = 0, undoHeld = 0, redoHeld = 0, designsAtDepth = 0, dependents = 0;
        for (FiringModule m : svc.modules) { held += m.recentCues.size(); maxHeld = Math.max(maxHeld, m.recentCues.size()); if (m.recentCues.size() == RECENT_CUES) atCap++; }
        for (ShowDesign d : svc.designs.values()) { undoHeld += d.undo.size(); redoHeld += d.redo.size(); if (d.undo.size() == UNDO_DEPTH) designsAtDepth++; }
        for (CompletableFuture<PermitDecision> f : svc.pendingPermits.values()) dependents += f.getNumberOfDependents();
        System.out.println("sites " + SITES_BY_CODE.size() + " products " + svc.products.size() + " modules " + svc.modules.size() + "/" + svc.modulesBySerial.size()
                + " cues " + svc.cueSeq + " (live " + svc.liveCues + ", imported " + svc.importedCues + " in " + svc.imports + " imports) console deques " + held + " (at cap "
                + atCap + ", max " + maxHeld + ") designs " + svc.designs.size() + " undo " + undoHeld + " (at depth " + designsAtDepth + ") redo " + redoHeld
                + " permits asked " + svc.permitsAsked + " answered " + svc.permitsAnswered + " pending " + svc.pendingPermits.size() + " (dependents " + dependents
                + ", callbacks " + svc.permitCallbacks + ") templates " + svc.templates.size() + " scripts parsed " + svc.scriptsParsed + " plans " + svc.plans.size()
                + " (requested " + svc.plansRequested + ", evicted " + svc.plans.evicted + ") pool " + svc.plotBuffers.size() + " manifests backlog " + svc.manifests.size()
                + " (queued " + svc.manifestsQueued + ", sent " + svc.manifestsSent + ")");
        check(SITES_BY_CODE.size() == SITES && svc.products.size() == PRODUCTS && svc.modulesBySerial.size() == MODULES && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.cueSeq == CUES_PER_MINUTE * minutes && maxHeld == RECENT_CUES && held == 71_987 && atCap == 2_995, "console deques");
        check(svc.liveCues == 90_027 && svc.importedCues == 28_546 && svc.imports == 19, "cue paths");
        check(undoHeld == 9_257 && designsAtDepth == 85 && redoHeld == 18, "undo histories");
        check(svc.permitsAsked == PERMITS_PER_MINUTE * minutes && svc.permitsAsked == svc.permitsAnswered + svc.pendingPermits.size() && svc.permitCallbacks == svc.permitsAnswered
                && dependents == svc.pendingPermits.size() && svc.applications.size() == svc.pendingPermits.size() && svc.pendingPermits.size() == 40, "permit futures");
        check(svc.templates.size() == TEMPLATES.length - 1 && svc.scriptsParsed == 6_000, "templates");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted == 2_823, "plan cache at cap");
        check(svc.cueLog[RING - 1] != null && svc.plotBuffers.size() == POOL, "cue log ring / pool");
        check(svc.manifests.size() == 90 && svc.manifestsQueued == svc.manifestsSent + svc.manifests.size(), "manifests");
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
