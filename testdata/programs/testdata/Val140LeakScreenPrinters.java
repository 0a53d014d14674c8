// hprofscan-dump: name=val140-leak-screenprinters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val140-leak-screenprinters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 140 (written blind), LEAK: the proofing service of a screen-printing and custom
 * apparel workshop. Customers place artwork on a garment (style, colour, print location) and get a
 * rendered proof; proofs are cached in an access-ordered LinkedHashMap subclass with a capacity of
 * 2,000. Its eviction hook is declared as removeEldestEntry(Entry eldest), where Entry is the
 * cache's own nested value class, not Map.Entry: an overload that LinkedHashMap never calls, so the
 * cache never evicts. Ink reference data, the order directory, a correct artwork-thumbnail LRU at
 * its cap, a pool of RIP buffers, a ring of press runs and a press queue with a normal backlog.
 * See VALIDATION140.md.
 */
public final class Val140LeakScreenPrinters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, PRESS_AFTER = 40 * MINUTE;
    static final int INKS = 1_000, ORDERS = 20_000, DESIGNS = 12_000, PROOF_CAP = 2_000, THUMB_CAP = 1_500, POOL = 8, RUN_RING = 1_024, REQUESTS_PER_HOUR = 3_600, HOURS = 10;
    static final String[] STYLES = {"classic tee", "heavyweight tee", "long sleeve", "hoodie", "zip hoodie", "crewneck sweat", "tote bag", "polo", "vest", "kids tee", "apron", "cap"};
    static final String[] COLOURS = {"black", "white", "navy", "heather grey", "bottle green", "burgundy", "royal blue", "sand", "red", "charcoal", "pink", "orange", "purple", "olive", "natural"};
    static final String[] PLACEMENTS = {"front centre", "left chest", "full back", "right sleeve", "nape", "front pocket"};
    static boolean FIXED;

    record Ink(String code, String name, int meshCount, double[] spectralCurve) {}
    record Order(String orderNo, String customer, String designId, int garments, byte[] artNotes, long placedAt) {}
    record Thumbnail(String designId, byte[] png, long at) {}
    record PressRun(long runId, String orderNo, String press, int screens, int prints, long at) {}
    record PressJob(long jobId, String orderNo, int screens, long readyAt) {}

    /** Rendered garment proofs, meant to keep the 2,000 most recently viewed. */
    static class ProofCache extends LinkedHashMap<String, ProofCache.Entry> {
        /** A rendered proof and its bookkeeping. */
        static final class Entry {
            final String key; final byte[] png; final long renderedAt; int views;
            Entry(String key, byte[] png, long renderedAt) { this.key = key; this.png = png; this.renderedAt = renderedAt; }
        }

        final int capacity; long evicted;

        ProofCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }

        // BUG: "Entry" here is ProofCache.Entry, the value class, not Map.Entry: this overloads
        // LinkedHashMap.removeEldestEntry(Map.Entry) instead of overriding it, and is never called.
        protected boolean removeEldestEntry(Entry eldest) {
            if (size() > capacity) { evicted++; return true; }
            return false;
        }

        /** The eviction hook as it was meant to be (used only by the fixed build). */
        static final class Fixed extends ProofCache {
            Fixed(int capacity) { super(capacity); }
            @Override protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() > capacity) { evicted++; return true; }
                return false;
            }
        }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        final int capacity; long evicted;
        ThumbnailCache(int capacity) { super(2_048, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> eldest) { if (size() > capacity) { evicted++; return true; } return false; }
    }

    static final Map<String, Ink> INKS_BY_CODE = new HashMap<>();

    static final class ProofService {
        final Map<String, Order> orders = new HashMap<>();
        final String[] orderNos = new String[ORDERS];
        final ProofCache proofs = FIXED ? new ProofCache.Fixed(PROOF_CAP) : new ProofCache(PROOF_CAP);
        final ThumbnailCache thumbnails = new ThumbnailCache(THUMB_CAP);
        final ArrayDeque<byte[]> ripBuffers = new ArrayDeque<>();
        final PressRun[] pressLog = new PressRun[RUN_RING];
        final ArrayDeque<PressJob> pressQueue = new ArrayDeque<>();
        final String[] recentKeys = new String[256];
        long requests, proofHits, rendered, thumbHits, runs, jobs, approvals;

        void viewProof(Random r, long t) {
            requests++;
            String key;
            if (r.nextInt(100) < 30 && requests > recentKeys.length) {
                key = recentKeys[r.nextInt(recentKeys.length)];
            } else {
                Order o = orders.get(orderNos[r.nextInt(ORDERS)]);
                key = o.designId() + "|" + STYLES[r.nextInt(STYLES.length)] + "|" + COLOURS[r.nextInt(COLOURS.length)] + "|" + PLACEMENTS[r.nextInt(PLACEMENTS.length)];
            }
            recentKeys[(int) (requests % recentKeys.length)] = key;
            int pngBytes = 300 + r.nextInt(500), thumbBytes = 600 + r.nextInt(600);
            ProofCache.Entry e = proofs.get(key);
            if (e != null) { proofHits++; e.views++; }
            else {
                byte[] rip = ripBuffers.poll();
                rip[(int) (rendered % rip.length)] = (byte) key.length();
                ripBuffers.add(rip);
                e = new ProofCache.Entry(key, new byte[pngBytes], t);
                e.views = 1;
                proofs.put(key, e);
                rendered++;
            }
            String designId = key.substring(0, key.indexOf('|'));
            if (thumbnails.get(designId) != null) thumbHits++;
            else thumbnails.put(designId, new Thumbnail(designId, new byte[thumbBytes], t));
            if (r.nextInt(25) == 0) {
                approvals++;
                pressQueue.addLast(new PressJob(7_700_000L + jobs++, orderNos[r.nextInt(ORDERS)], 1 + r.nextInt(6), t));
            }
            while (!pressQueue.isEmpty() && pressQueue.peekFirst().readyAt() + PRESS_AFTER <= t) {
                PressJob j = pressQueue.pollFirst();
                pressLog[(int) (runs++ % RUN_RING)] = new PressRun(runs, j.orderNo(), "press-" + (1 + (int) (j.jobId() % 6)), j.screens(), 12 + r.nextInt(300), t);
            }
        }
    }

    static ProofService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(140_030_001L);
        for (int i = 0; i < INKS; i++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "INK-" + (1_000 + i * 7);
            INKS_BY_CODE.put(code, new Ink(code, "Plastisol " + (i % 300) + (i % 2 == 0 ? " C" : " U"), 110 + 20 * rnd.nextInt(8), curve));
        }
        ProofService svc = new ProofService();
        SERVICE = svc;
        for (int i = 0; i < ORDERS; i++) {
            String no = "SP" + (250_000 + i);
            svc.orderNos[i] = no;
            svc.orders.put(no, new Order(no, "customer-" + rnd.nextInt(9_000), "ART" + (60_000 + rnd.nextInt(DESIGNS)), 12 + rnd.nextInt(500), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.ripBuffers.add(new byte[32_768]);
        Random traffic = new Random(140_030_002L);
        int requests = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            svc.viewProof(traffic, t);
        }
    }

    static void report() {
        ProofService svc = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "inks " + INKS_BY_CODE.size() + " orders " + svc.orders.size() + " proof views " + svc.requests + " hits " + svc.proofHits + " rendered " + svc.rendered
                + " proofs cached " + svc.proofs.size() + " (capacity " + svc.proofs.capacity + ", evicted " + svc.proofs.evicted + ")");
        System.out.println("  thumbnails " + svc.thumbnails.size() + " (hits " + svc.thumbHits + ", evicted " + svc.thumbnails.evicted + ") pool " + svc.ripBuffers.size() + " approvals " + svc.approvals
                + " press runs " + svc.runs + " press backlog " + svc.pressQueue.size());
        check(INKS_BY_CODE.size() == INKS && svc.orders.size() == ORDERS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && svc.proofHits + svc.rendered == svc.requests, "traffic");
        if (FIXED) check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted == svc.rendered - PROOF_CAP, "fixed: proofs at the cap");
        else check(svc.proofs.size() == svc.rendered && svc.proofs.evicted == 0 && svc.proofs.size() == 25_336, "every proof kept: " + svc.proofs.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail LRU at its cap");
        check(svc.ripBuffers.size() == POOL && svc.pressLog[RUN_RING - 1] != null && svc.jobs - svc.runs == svc.pressQueue.size(), "pool / ring / press queue");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val140.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
