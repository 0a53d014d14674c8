// hprofscan-dump: name=val80-leak-craftfairs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val80-leak-craftfairs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 80 (written blind), LEAK: the listing service of an online craft-fair
 * marketplace. Fair reference data, the maker directory, a cache of rendered stall pages at its
 * cap, a pool of image-decode buffers, a ring of recent orders, and a thumbnail cache keyed by the
 * SHA-256 hex digest of each uploaded photo (ThumbnailStore.bySha256, a HashMap). Every upload is a
 * new photo, so every key is new and nothing is ever evicted: the map holds a thumbnail of every
 * photo uploaded since start. The fix makes it an LRU capped at 1,000 thumbnails. See
 * VALIDATION80.md.
 */
public final class Val80LeakCraftFairs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FAIRS = 1_100, MAKERS = 25_000, STALL_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, UPLOADS = 9_000, THUMB_CAP_FIXED = 1_000;
    static boolean FIXED;

    record Fair(String code, String venue, double[] footfallByHour) {}
    record Maker(String id, String craft, byte[] profile, long joinedAt) {}
    record StallPage(String key, byte[] rendered, long at) {}
    record Order(String makerId, String buyerRef, int cents, long at) {}
    record Thumbnail(String sha256, String makerId, int width, int height, byte[] jpeg, long uploadedAt) {}

    static final class ThumbnailStore {
        final Map<String, Thumbnail> bySha256;
        long stored, hits, evicted;
        ThumbnailStore() {
            if (FIXED) bySha256 = new LinkedHashMap<>(2_048, 0.75f, true) {
                @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP_FIXED) { evicted++; return true; } return false; }
            };
            else bySha256 = new HashMap<>(); // BUG: unbounded, and every upload has a new digest
        }
        Thumbnail thumbnailFor(String sha, String maker, byte[] original, Random r, long at) {
            Thumbnail t = bySha256.get(sha);
            if (t != null) { hits++; return t; }
            t = new Thumbnail(sha, maker, 320, 240, new byte[700 + r.nextInt(600)], at);
            t.jpeg()[0] = original[0];
            bySha256.put(sha, t);
            stored++;
            return t;
        }
    }

    static final class StallCache extends LinkedHashMap<String, StallPage> {
        long evicted;
        StallCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StallPage> e) { if (size() > STALL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fair> FAIRS_BY_CODE = new HashMap<>();

    static final class ListingService {
        final Map<String, Maker> makers = new HashMap<>();
        final StallCache stalls = new StallCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Order[] recent = new Order[RING];
        long orders;
        final ThumbnailStore thumbnails = new ThumbnailStore();
    }

    static ListingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val80.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(80_030_001);
        String[] fairCodes = new String[FAIRS];
        for (int f = 0; f < FAIRS; f++) {
            double[] footfall = new double[72];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 500;
            String code = "FAIR-" + (6_000 + f);
            fairCodes[f] = code;
            FAIRS_BY_CODE.put(code, new Fair(code, "Hall " + (f % 350), footfall));
        }
        ListingService svc = new ListingService();
        SERVICE = svc;
        String[] makerIds = new String[MAKERS];
        String[] crafts = {"ceramics", "woodwork", "knitwear", "jewellery", "leather", "prints"};
        for (int m = 0; m < MAKERS; m++) {
            String id = "MK" + (8_000_000 + m);
            makerIds[m] = id;
            svc.makers.put(id, new Maker(id, crafts[m % crafts.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[65_536]);
        Random traffic = new Random(80_030_002);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        byte[] photo = new byte[4_096];
        int views = 0;
        for (int u = 0; u < UPLOADS; u++) {
            long t = start + (end - MINUTE - start) * u / UPLOADS;
            String maker = makerIds[traffic.nextInt(MAKERS)];
            traffic.nextBytes(photo); // a new photo: its digest is new
            byte[] buf = svc.decodeBuffers.poll();
            System.arraycopy(photo, 0, buf, 0, photo.length);
            svc.decodeBuffers.add(buf);
            String digest = hex.formatHex(sha.digest(photo));
            svc.thumbnails.thumbnailFor(digest, maker, photo, traffic, t);
            // listing page views re-read the thumbnail of a recent upload by its digest
            for (int v = 0; v < 2; v++) {
                String key = "stall-" + traffic.nextInt(6_000);
                if (svc.stalls.get(key) == null) svc.stalls.put(key, new StallPage(key, new byte[500 + traffic.nextInt(500)], t));
                svc.thumbnails.thumbnailFor(digest, maker, photo, traffic, t);
                svc.recent[(int) (svc.orders++ % RING)] = new Order(maker, "B" + traffic.nextInt(200_000), 500 + traffic.nextInt(20_000), t);
                views++;
            }
        }
        ThumbnailStore ts = svc.thumbnails;
        System.out.println((FIXED ? "FIXED " : "") + "fairs " + FAIRS_BY_CODE.size() + " makers " + svc.makers.size() + " thumbnails " + ts.bySha256.size() + " stored " + ts.stored + " hits " + ts.hits + " evicted " + ts.evicted
                + " stalls " + svc.stalls.size() + " (evicted " + svc.stalls.evicted + ") pool " + svc.decodeBuffers.size() + " orders " + svc.orders);
        check(FAIRS_BY_CODE.size() == FAIRS && svc.makers.size() == MAKERS, "reference data / directory");
        check(ts.stored == UPLOADS && ts.hits == views, "every upload unique, every view a hit");
        if (FIXED) check(ts.bySha256.size() == THUMB_CAP_FIXED && ts.evicted == UPLOADS - THUMB_CAP_FIXED, "capped thumbnails");
        else check(ts.bySha256.size() == UPLOADS && ts.evicted == 0, "thumbnails keep every upload: " + ts.bySha256.size());
        check(svc.stalls.size() == STALL_CAP && svc.stalls.evicted > 0, "stall cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.orders == 2L * UPLOADS && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
