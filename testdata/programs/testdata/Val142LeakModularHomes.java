// hprofscan-dump: name=val142-leak-modularhomes jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val142-leak-modularhomes-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 142 (written blind), LEAK: the online configurator of a modular (factory-built)
 * home builder. Every saved design is parsed into a graph of module and option nodes (kitchen
 * module, bathroom pod, roof cassette, heat pump, solar kit ...) and handed to the long-lived
 * {@code DependencyResolver}, which walks the dependencies into a bill of materials. Its visited
 * map ({@code IdentityHashMap<Object, Boolean>}, a field "so the walk needs no parameter") is
 * cleared at the end of a successful resolution only: when an option conflicts with the chosen
 * chassis or supply (a few percent of designs), the exception leaves that design's visited nodes,
 * and through them the design itself, in the map for ever. Chassis reference data, the component
 * catalogue, a quote cache at its cap, a pool of drawing buffers, an audit ring and a site-survey
 * queue with its normal backlog beside it. See VALIDATION142.md.
 */
public final class Val142LeakModularHomes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int CHASSIS = 1_000, COMPONENTS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, DESIGNS = 18_000, HOURS = 10;
    static boolean FIXED;

    record Chassis(String code, String supply, int maxModules, double[] loadSpanTable) {}
    record Component(String sku, String kind, String supplier, byte[] specSheet, boolean threePhase, long listedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record AuditEntry(String requestId, String outcome, int nodes, long at) {}
    record SiteSurvey(String requestId, String postcode, long bookedAt) {}
    record BomLine(String sku, int quantity) {}

    /** A saved design as the customer submitted it. */
    static final class ConfigurationRequest {
        final String requestId; final String customerId; final String chassisCode; final byte[] designJson; final long submittedAt;
        ConfigurationRequest(String requestId, String customerId, String chassisCode, byte[] designJson, long submittedAt) { this.requestId = requestId; this.customerId = customerId; this.chassisCode = chassisCode; this.designJson = designJson; this.submittedAt = submittedAt; }
    }

    /** One module or option of one design (built per request). */
    static final class ModuleNode {
        final String sku; final String instanceId; final ConfigurationRequest request; final String room; final int quantity;
        final List<ModuleNode> dependsOn = new ArrayList<>(2);
        ModuleNode kit; // a kit option: the root of its own sub-design
        ModuleNode(String sku, String instanceId, ConfigurationRequest request, String room, int quantity) { this.sku = sku; this.instanceId = instanceId; this.request = request; this.room = room; this.quantity = quantity; }
    }

    static final class ConfigurationConflict extends RuntimeException {
        ConfigurationConflict(String m) { super(m, null, false, false); }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Chassis> CHASSIS_BY_CODE = new HashMap<>();

    /**
     * Long-lived: one per service. Resolutions nest (a kit option is a design of its own, resolved
     * by a nested call), so a resolution does not clear the whole map: at its end it removes the
     * nodes it marked itself.
     */
    static final class DependencyResolver {
        final Map<String, Component> catalogue;
        final Map<Object, Boolean> visited = new IdentityHashMap<>();
        Chassis chassis;
        long resolutions, nested, conflicts;
        DependencyResolver(Map<String, Component> catalogue) { this.catalogue = catalogue; }

        List<BomLine> resolve(ModuleNode root, Chassis chassis) {
            resolutions++;
            this.chassis = chassis;
            return resolveNested(root);
        }

        private List<BomLine> resolveNested(ModuleNode root) {
            List<BomLine> bom = new ArrayList<>();
            List<ModuleNode> marked = new ArrayList<>();
            if (FIXED) {
                try { walk(root, bom, marked); } finally { for (ModuleNode m : marked) visited.remove(m); }
            } else {
                walk(root, bom, marked);
                for (ModuleNode m : marked) visited.remove(m);
            }
            return bom;
        }

        private void walk(ModuleNode n, List<BomLine> bom, List<ModuleNode> marked) {
            if (visited.put(n, Boolean.TRUE) != null) return;
            marked.add(n);
            Component c = catalogue.get(n.sku);
            if (c.threePhase() && chassis.supply().equals("single-phase")) {
                conflicts++;
                throw new ConfigurationConflict(n.sku + " needs a three-phase supply; chassis " + chassis.code() + " is single-phase (" + n.instanceId + ")");
            }
            if (n.kit != null) { nested++; bom.addAll(resolveNested(n.kit)); }
            for (ModuleNode d : n.dependsOn) walk(d, bom, marked);
            bom.add(new BomLine(n.sku, n.quantity));
        }
    }

    static final class ConfiguratorService {
        final Map<String, Component> catalogue = new HashMap<>();
        final String[] skus = new String[COMPONENTS];
        final List<String> singlePhaseSkus = new ArrayList<>(), threePhaseSkus = new ArrayList<>();
        final DependencyResolver resolver = new DependencyResolver(catalogue);
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> drawingBuffers = new ArrayDeque<>();
        final AuditEntry[] audit = new AuditEntry[RING];
        final ArrayDeque<SiteSurvey> surveys = new ArrayDeque<>();
        long designs, resolved, rejected, bomLines, nodesBuilt, nodesOfRejected, nodesOfRejectedDesigns, auditCount, surveysBooked, surveysDone, quoteViews;

        ModuleNode parse(ConfigurationRequest req, Chassis ch, Random r) {
            String[] rooms = {"kitchen", "bathroom", "bedroom-1", "bedroom-2", "living", "utility", "roof", "plant"};
            boolean conflict = ch.supply().equals("single-phase") && r.nextInt(100) < 12;
            ModuleNode root = new ModuleNode(singlePhaseSkus.get(r.nextInt(singlePhaseSkus.size())), req.requestId + "#0", req, "chassis", 1);
            List<ModuleNode> all = new ArrayList<>();
            all.add(root);
            int n = 24 + r.nextInt(41);
            int conflictAt = conflict ? 5 + r.nextInt(n - 5) : -1;
            int serial = 0;
            for (int i = 1; i <= n; i++) {
                List<String> pool = i == conflictAt ? threePhaseSkus : singlePhaseSkus;
                ModuleNode m = new ModuleNode(pool.get(r.nextInt(pool.size())), req.requestId + "#" + (++serial), req, rooms[r.nextInt(rooms.length)], 1 + r.nextInt(24));
                if (i != conflictAt && r.nextInt(15) == 0) {
                    // a kit (bathroom pod, plant room ...): its own small design, resolved by a nested call
                    List<ModuleNode> kit = new ArrayList<>();
                    kit.add(new ModuleNode(singlePhaseSkus.get(r.nextInt(singlePhaseSkus.size())), req.requestId + "#" + (++serial), req, m.room, 1));
                    for (int k = 4 + r.nextInt(7); k > 0; k--) {
                        ModuleNode part = new ModuleNode(singlePhaseSkus.get(r.nextInt(singlePhaseSkus.size())), req.requestId + "#" + (++serial), req, m.room, 1 + r.nextInt(6));
                        kit.get(r.nextInt(kit.size())).dependsOn.add(part);
                        kit.add(part);
                    }
                    m.kit = kit.get(0);
                    nodesBuilt += kit.size();
                }
                all.get(r.nextInt(all.size())).dependsOn.add(m);
                if (i > 6 && r.nextInt(6) == 0) m.dependsOn.add(all.get(1 + r.nextInt(5))); // shared service riser / wall panel
                all.add(m);
            }
            nodesBuilt += all.size();
            return root;
        }

        void configure(String[] chassisCodes, Random r, long t) {
            designs++;
            Chassis ch = CHASSIS_BY_CODE.get(chassisCodes[r.nextInt(CHASSIS)]);
            String requestId = "DSN-" + (5_200_000 + designs * 3);
            ConfigurationRequest req = new ConfigurationRequest(requestId, "cust-" + (40_000 + r.nextInt(60_000)), ch.code(), new byte[1_000 + r.nextInt(2_000)], t);
            long builtBefore = nodesBuilt;
            ModuleNode root = parse(req, ch, r);
            String outcome;
            int before = resolver.visited.size();
            try {
                bomLines += resolver.resolve(root, ch).size();
                resolved++;
                outcome = "quoted";
                if (r.nextInt(20) == 0) { surveys.add(new SiteSurvey(requestId, "PL" + (1 + r.nextInt(30)) + " " + r.nextInt(10) + "QX", t)); surveysBooked++; }
            } catch (ConfigurationConflict e) {
                rejected++;
                nodesOfRejected += resolver.visited.size() - before;
                nodesOfRejectedDesigns += nodesBuilt - builtBefore;
                outcome = "rejected: " + e.getMessage();
            }
            audit[(int) (auditCount++ % RING)] = new AuditEntry(requestId, outcome, 0, t);
        }

        void viewQuote(Random r, long t) {
            quoteViews++;
            String key = "quote/DSN-" + (5_200_000 + (1 + r.nextInt((int) designs)) * 3L);
            if (quotes.get(key) == null) quotes.put(key, new Quote(key, new byte[400 + r.nextInt(400)], t));
            byte[] buf = drawingBuffers.poll();
            buf[(int) (quoteViews % buf.length)] = (byte) key.length();
            drawingBuffers.add(buf);
        }

        void dispatchSurveys(long t) {
            while (!surveys.isEmpty() && t - surveys.peek().bookedAt() >= 2 * HOUR) { surveys.poll(); surveysDone++; }
        }
    }

    static ConfiguratorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(142_060_001);
        String[] chassisCodes = new String[CHASSIS];
        for (int c = 0; c < CHASSIS; c++) {
            double[] spans = new double[64];
            for (int k = 0; k < spans.length; k++) spans[k] = 2.4 + rnd.nextDouble() * 9;
            chassisCodes[c] = "CH-" + (300 + c);
            CHASSIS_BY_CODE.put(chassisCodes[c], new Chassis(chassisCodes[c], c % 3 == 0 ? "single-phase" : "three-phase", 2 + c % 6, spans));
        }
        ConfiguratorService svc = new ConfiguratorService();
        SERVICE = svc;
        String[] kinds = {"wall panel", "floor cassette", "roof cassette", "kitchen module", "bathroom pod", "window", "door", "heat pump", "solar kit", "EV charger", "MVHR unit", "stair"};
        String[] suppliers = {"Nordvik Timber", "Ashby Panels", "Greenhaus Energy", "Calder Glazing", "Tarn Modular"};
        for (int i = 0; i < COMPONENTS; i++) {
            svc.skus[i] = "MH-" + (60_000 + i * 7);
            String kind = kinds[i % kinds.length];
            boolean threePhase = (kind.equals("heat pump") || kind.equals("EV charger")) && rnd.nextInt(3) == 0;
            svc.catalogue.put(svc.skus[i], new Component(svc.skus[i], kind, suppliers[rnd.nextInt(suppliers.length)], new byte[150 + rnd.nextInt(150)], threePhase, now - (long) (1 + rnd.nextInt(1_200)) * DAY));
            (threePhase ? svc.threePhaseSkus : svc.singlePhaseSkus).add(svc.skus[i]);
        }
        for (int b = 0; b < POOL; b++) svc.drawingBuffers.add(new byte[32_768]);
        Random traffic = new Random(142_060_002), views = new Random(142_060_003);
        for (int i = 0; i < DESIGNS; i++) {
            long t = start + (end - MINUTE - start) * i / DESIGNS;
            svc.configure(chassisCodes, traffic, t);
            svc.viewQuote(views, t);
            if (i % 30 == 0) svc.dispatchSurveys(t);
        }
    }

    static void report() {
        ConfiguratorService svc = SERVICE;
        DependencyResolver res = svc.resolver;
        int fromRejected = 0;
        for (Object o : res.visited.keySet()) if (o instanceof ModuleNode) fromRejected++;
        System.out.println((FIXED ? "FIXED " : "") + "chassis " + CHASSIS_BY_CODE.size() + " components " + svc.catalogue.size() + " (three-phase " + svc.threePhaseSkus.size() + ")"
                + " designs " + svc.designs + " (nested kit resolutions " + res.nested + ") resolved " + svc.resolved + " rejected " + svc.rejected + " nodes built " + svc.nodesBuilt + " bom lines " + svc.bomLines
                + " visited " + res.visited.size() + " (nodes of rejected designs visited " + svc.nodesOfRejected + ", of " + svc.nodesOfRejectedDesigns + " in those designs)"
                + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") surveys " + svc.surveysBooked + "/" + svc.surveysDone + " backlog " + svc.surveys.size()
                + " audit " + svc.auditCount + " pool " + svc.drawingBuffers.size());
        check(CHASSIS_BY_CODE.size() == CHASSIS && svc.catalogue.size() == COMPONENTS, "reference data / catalogue");
        check(svc.designs == DESIGNS && res.resolutions == DESIGNS && svc.resolved + svc.rejected == DESIGNS && res.conflicts == svc.rejected && svc.rejected > 0, "designs");
        if (FIXED) check(res.visited.isEmpty(), "visited emptied");
        else check(res.visited.size() == svc.nodesOfRejected && fromRejected == res.visited.size(), "visited nodes of rejected designs: " + res.visited.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.drawingBuffers.size() == POOL, "pool");
        check(svc.surveys.size() > 0 && svc.surveys.size() < 300 && svc.surveysDone + svc.surveys.size() == svc.surveysBooked, "survey backlog");
        check(svc.audit[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val142.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
