// hprofscan-dump: name=val97-leak-labelartwork-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val97-leak-labelartwork-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val97-leak-labelartwork jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val97-leak-labelartwork-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 97 (written blind), LEAK: the artwork approval service of a pharmaceutical
 * packaging printer (carton and leaflet label artwork submitted by brand owners, checked and
 * approved before plates are made). Market reference data, the product directory, a cache of
 * rendered proofs at its cap, a pool of rasterizer buffers, a ring of recent approvals, a bounded
 * review queue, and a metadata cache: a WeakHashMap keyed by the per-submission ParsedArtwork
 * object, meant to hold the derived metadata only while someone still holds the artwork (the
 * review queue). BUG: the cached ArtworkMetadata keeps a strong reference to its own key
 * (ArtworkMetadata.source, kept "so the review page can re-render"), so no key ever becomes weakly
 * reachable and no entry is ever cleared. See VALIDATION97.md.
 */
public final class Val97LeakLabelArtwork {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MARKETS = 950, PRODUCTS = 22_000, PROOF_CAP = 2_000, POOL = 8, RING = 4_096,
            SUBMISSIONS_PER_HOUR = 2_000, REVIEW_QUEUE = 64;
    static boolean FIXED;

    record Market(String code, String language, double[] fontScaleByPanel) {}
    record Product(String productCode, String name, String marketCode, byte[] leafletText, long registeredAt) {}
    record Proof(String key, byte[] rendered, long at) {}
    record Approval(String submissionId, String productCode, String reviewer, boolean approved, long at) {}

    /** A submitted artwork file after parsing: one per submission (request), keyed by identity. */
    static final class ParsedArtwork {
        final String submissionId;
        final String productCode;
        final byte[] layers;
        final long receivedAt;
        ParsedArtwork(String submissionId, String productCode, byte[] layers, long receivedAt) {
            this.submissionId = submissionId; this.productCode = productCode; this.layers = layers; this.receivedAt = receivedAt;
        }
    }

    /** Derived metadata of one artwork (panels found, barcode check, thumbnail). */
    static final class ArtworkMetadata {
        final ParsedArtwork source; // BUG: the value points back at its own key (null with the fix)
        final String submissionId;
        final int panels;
        final boolean barcodeOk;
        final byte[] thumbnail;
        final long computedAt;
        ArtworkMetadata(ParsedArtwork source, String submissionId, int panels, boolean barcodeOk, byte[] thumbnail, long computedAt) {
            this.source = source; this.submissionId = submissionId; this.panels = panels; this.barcodeOk = barcodeOk;
            this.thumbnail = thumbnail; this.computedAt = computedAt;
        }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Market> MARKETS_BY_CODE = new HashMap<>();

    static final class ArtworkService {
        final Map<String, Product> products = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final Approval[] recentApprovals = new Approval[RING];
        long approvals;
        final ArrayDeque<ParsedArtwork> reviewQueue = new ArrayDeque<>();
        final WeakHashMap<ParsedArtwork, ArtworkMetadata> metadata = new WeakHashMap<>();
        long metadataComputed, metadataHits;

        ArtworkMetadata metadataFor(ParsedArtwork a, Random r, long at) {
            ArtworkMetadata m = metadata.get(a);
            if (m != null) { metadataHits++; return m; }
            m = new ArtworkMetadata(FIXED ? null : a, a.submissionId, 2 + r.nextInt(6), r.nextInt(20) != 0, new byte[48 + r.nextInt(48)], at);
            metadata.put(a, m);
            metadataComputed++;
            return m;
        }
    }

    static ArtworkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int build(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int submissions = SUBMISSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(97_010_001);
        String[] marketCodes = new String[MARKETS];
        String[] languages = {"en", "de", "fr", "es", "it", "nl", "pl", "sv", "pt", "cs"};
        for (int m = 0; m < MARKETS; m++) {
            double[] scale = new double[48];
            for (int k = 0; k < scale.length; k++) scale[k] = 0.6 + rnd.nextDouble() * 0.8;
            String code = "MK-" + (3_000 + m);
            marketCodes[m] = code;
            MARKETS_BY_CODE.put(code, new Market(code, languages[m % languages.length], scale));
        }
        ArtworkService svc = new ArtworkService();
        SERVICE = svc;
        String[] productCodes = new String[PRODUCTS];
        String[] names = {"Amoxicillin 500 mg", "Ibuprofen 200 mg", "Omeprazole 20 mg", "Metformin 850 mg", "Atorvastatin 10 mg", "Salbutamol inhaler", "Cetirizine 10 mg", "Paracetamol 1 g"};
        for (int p = 0; p < PRODUCTS; p++) {
            String code = "PC" + (50_000_000 + p * 3);
            productCodes[p] = code;
            svc.products.put(code, new Product(code, names[p % names.length], marketCodes[rnd.nextInt(MARKETS)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);
        Random traffic = new Random(97_010_002);
        Random analysis = new Random(97_010_003);
        String[] reviewers = {"QA-Berg", "QA-Osei", "QA-Lindqvist", "QA-Moreau", "QA-Tanaka", "QA-Novak"};
        for (int i = 0; i < submissions; i++) {
            long t = start + (end - MINUTE - start) * i / submissions;
            String productCode = productCodes[traffic.nextInt(PRODUCTS)];
            ParsedArtwork art = new ParsedArtwork("SUB-" + (40_000_000 + i), productCode, new byte[160 + traffic.nextInt(160)], t);
            svc.metadataFor(art, analysis, t);
            svc.reviewQueue.addLast(art);
            if (svc.reviewQueue.size() > REVIEW_QUEUE) {
                ParsedArtwork done = svc.reviewQueue.pollFirst();
                ArtworkMetadata m = svc.metadataFor(done, analysis, t);
                svc.recentApprovals[(int) (svc.approvals++ % RING)] = new Approval(done.submissionId, done.productCode, reviewers[traffic.nextInt(reviewers.length)], m.barcodeOk, t);
            }
            String key = "proof-" + traffic.nextInt(6_000);
            if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.rasterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.rasterBuffers.add(buf);
        }
        return submissions;
    }

    /** Runs System.gc() until the metadata cache has {@code expected} entries (stale ones expunged by size()). */
    static int settle(int expected) throws InterruptedException {
        int size = -1;
        for (int round = 0; round < 100; round++) {
            System.gc();
            Thread.sleep(50);
            size = SERVICE.metadata.size();
            if (size == expected) return size;
        }
        return size;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val97.fixed");
        int stage = Integer.parseInt(args[2]);
        int submissions = build(stage);
        ArtworkService svc = SERVICE;
        int expected = FIXED ? REVIEW_QUEUE : submissions;
        int size = settle(expected);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " markets " + MARKETS_BY_CODE.size() + " products " + svc.products.size()
                + " metadata " + size + " (computed " + svc.metadataComputed + ", hits " + svc.metadataHits + ") review queue " + svc.reviewQueue.size()
                + " approvals " + svc.approvals + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.rasterBuffers.size());
        check(MARKETS_BY_CODE.size() == MARKETS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.metadataComputed == submissions && svc.metadataHits == submissions - REVIEW_QUEUE, "metadata traffic");
        check(svc.reviewQueue.size() == REVIEW_QUEUE, "review queue");
        if (FIXED) check(size == REVIEW_QUEUE, "fixed: only the artworks still in review keep metadata: " + size);
        else check(size == submissions, "metadata cache never cleared: " + size);
        check(svc.approvals == submissions - REVIEW_QUEUE && svc.recentApprovals[Math.min(RING, (int) svc.approvals) - 1] != null, "approval ring");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        svc = null;
        LeakCheck.histogram("java.util.WeakHashMap", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
