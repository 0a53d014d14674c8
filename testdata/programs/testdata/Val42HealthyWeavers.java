// hprofscan-dump: name=val42-healthy-weavers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val42-healthy-weavers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 42 (written blind), HEALTHY: the order service of a weaving mill. Loom reference data,
 * the customer directory, the yarn canon (canonical values, bounded by the domain: a String interning
 * map of the 5,760 yarn codes (6 fibres x 12 counts x 80 colours) and a de-duplication map of YarnSpec
 * value objects (yarn code x S/Z twist: at most 11,520), filled as order lines are parsed), a large
 * pool of 1,200 draft buffers (int[1024] each) borrowed per weave plan and returned, an LRU of rendered
 * fabric previews at its cap, a ring of shipments. Each order builds per-request scratch state (a
 * ScratchPad with a char[4096] parse buffer and a per-yarn tally) that is released when the order is
 * done (inFlight is empty at the dump). No leak. No thread besides main. See VALIDATION42.md.
 */
public final class Val42HealthyWeavers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int LOOMS = 240, CUSTOMERS = 12_000, DRAFT_POOL = 1_200, PREVIEW_CAP = 800, RING = 2_048, HOURS = 10;
    static final String[] FIBRES = {"wool", "cotton", "linen", "silk", "alpaca", "mohair"};
    static final int COUNTS = 12, COLOURS = 80;

    record Loom(String id, String model, double[] tensionProfile) {}
    record Customer(String id, String name, byte[] accountNotes, long since) {}
    record FabricPreview(String key, byte[] rendered, long at) {}
    record Shipment(String orderId, String customerId, int metres, long shippedAt) {}

    /** A canonical yarn specification (value object; equal specs are de-duplicated by YarnCanon). */
    static final class YarnSpec {
        final String yarnCode;
        final char twist;
        final int ply;
        YarnSpec(String yarnCode, char twist, int ply) { this.yarnCode = yarnCode; this.twist = twist; this.ply = ply; }
        @Override public boolean equals(Object o) { return o instanceof YarnSpec y && y.yarnCode.equals(yarnCode) && y.twist == twist && y.ply == ply; }
        @Override public int hashCode() { return Objects.hash(yarnCode, twist, ply); }
    }

    static final class YarnCanon {
        final Map<String, String> codes = new HashMap<>();
        final Map<YarnSpec, YarnSpec> specs = new HashMap<>();
        String code(String parsed) { return codes.computeIfAbsent(parsed, k -> k); }
        YarnSpec spec(String parsedCode, char twist) {
            YarnSpec s = new YarnSpec(code(parsedCode), twist, 2);
            YarnSpec c = specs.putIfAbsent(s, s);
            return c == null ? s : c;
        }
    }

    static final class DraftBuffer {
        final int[] liftPlan = new int[1_024];
        String borrowedFor;
        void reset() { java.util.Arrays.fill(liftPlan, 0); borrowedFor = null; }
    }

    static final class ScratchPad {
        final char[] parseBuffer = new char[4_096];
        final Map<YarnSpec, Integer> tally = new HashMap<>();
    }

    static final class PreviewCache extends LinkedHashMap<String, FabricPreview> {
        long evicted;
        PreviewCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FabricPreview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Loom> LOOMS_BY_ID = new HashMap<>();

    static final class MillService {
        final Map<String, Customer> customers = new HashMap<>();
        final YarnCanon canon = new YarnCanon();
        final ArrayDeque<DraftBuffer> draftPool = new ArrayDeque<>();
        final PreviewCache previews = new PreviewCache();
        final Shipment[] shipments = new Shipment[RING];
        final Map<String, ScratchPad> inFlight = new HashMap<>();
        long shipmentsWritten, borrowed;
    }

    static MillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(42_060_001);
        for (int l = 0; l < LOOMS; l++) {
            double[] t = new double[64];
            for (int k = 0; k < t.length; k++) t[k] = 20 + rnd.nextDouble() * 80;
            String id = "LM-" + (100 + l);
            LOOMS_BY_ID.put(id, new Loom(id, l % 3 == 0 ? "rapier" : l % 3 == 1 ? "air-jet" : "dobby", t));
        }
        MillService svc = new MillService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "WC-" + (40_000 + c * 17);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        for (int p = 0; p < DRAFT_POOL; p++) svc.draftPool.add(new DraftBuffer());

        Random traffic = new Random(42_060_002);
        long orders = 0, lines = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            int n = 6 + traffic.nextInt(7);
            for (int k = 0; k < n; k++) {
                long at = minute + traffic.nextInt(60_000);
                String orderId = "WO-" + (300_000 + orders);
                String customer = customerIds[traffic.nextInt(CUSTOMERS)];
                ScratchPad pad = new ScratchPad();
                svc.inFlight.put(orderId, pad);
                // Borrow draft buffers from the pool for the weave plan (up to 12 looms per order).
                int looms = 1 + traffic.nextInt(12);
                DraftBuffer[] plan = new DraftBuffer[looms];
                for (int b = 0; b < looms; b++) {
                    plan[b] = svc.draftPool.poll();
                    plan[b].borrowedFor = orderId;
                    plan[b].liftPlan[(int) (orders % 1_024)] = b;
                    svc.borrowed++;
                }
                int orderLines = 3 + traffic.nextInt(6);
                int metres = 0;
                String first = null;
                for (int li = 0; li < orderLines; li++) {
                    // Parsed from the order text: a fresh String each time, canonicalised.
                    String parsed = FIBRES[traffic.nextInt(FIBRES.length)] + "-" + (10 + 2 * traffic.nextInt(COUNTS)) + "s-C" + (100 + traffic.nextInt(COLOURS));
                    parsed.getChars(0, parsed.length(), pad.parseBuffer, li * 32);
                    YarnSpec spec = svc.canon.spec(new String(pad.parseBuffer, li * 32, parsed.length()), traffic.nextBoolean() ? 'S' : 'Z');
                    pad.tally.merge(spec, 1, Integer::sum);
                    if (first == null) first = spec.yarnCode;
                    metres += 20 + traffic.nextInt(200);
                    lines++;
                }
                String previewKey = first + "/" + looms + "/" + (orderLines % 4);
                if (svc.previews.get(previewKey) == null) svc.previews.put(previewKey, new FabricPreview(previewKey, new byte[1_000 + traffic.nextInt(1_000)], at));
                for (DraftBuffer b : plan) { b.reset(); svc.draftPool.add(b); }
                svc.shipments[(int) (svc.shipmentsWritten++ % RING)] = new Shipment(orderId, customer, metres, at);
                svc.inFlight.remove(orderId); // the scratch pad is released with the request
                orders++;
            }
        }
        System.gc();
        System.out.println("looms " + LOOMS_BY_ID.size() + " customers " + svc.customers.size() + " orders " + orders + " lines " + lines + " yarn codes " + svc.canon.codes.size()
                + " specs " + svc.canon.specs.size() + " pool " + svc.draftPool.size() + " borrowed " + svc.borrowed + " previews " + svc.previews.size() + " (evicted "
                + svc.previews.evicted + ") shipments " + svc.shipmentsWritten + " in flight " + svc.inFlight.size());
        check(LOOMS_BY_ID.size() == LOOMS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(orders == EXPECTED_ORDERS && lines == EXPECTED_LINES, "traffic");
        check(svc.canon.codes.size() == EXPECTED_CODES && svc.canon.codes.size() <= FIBRES.length * COUNTS * COLOURS, "yarn codes " + svc.canon.codes.size());
        check(svc.canon.specs.size() == EXPECTED_SPECS && svc.canon.specs.size() <= 2 * FIBRES.length * COUNTS * COLOURS, "yarn specs " + svc.canon.specs.size());
        check(svc.draftPool.size() == DRAFT_POOL && svc.inFlight.isEmpty(), "pool / in flight");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted == EXPECTED_PREVIEWS_EVICTED, "preview LRU at cap");
        check(svc.shipmentsWritten == orders && svc.shipments[RING - 1] != null, "shipments");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_ORDERS = 5_397, EXPECTED_LINES = 29_483, EXPECTED_CODES = 5_721, EXPECTED_SPECS = 10_633, EXPECTED_PREVIEWS_EVICTED = 4_575;
}
