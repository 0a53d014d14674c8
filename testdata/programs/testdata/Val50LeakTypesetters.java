// hprofscan-dump: name=val50-leak-typesetters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val50-leak-typesetters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 50 (written blind), LEAK: the web front of an online typesetting and print-proof
 * shop. Font reference data, the print-job directory, a cache of proof previews at its cap, a pool
 * of render buffers, a ring of access-log entries, and a hand-written header canonicalizer (a
 * HashMap<String,String>) that de-duplicates User-Agent and Referer values; referrers carry the
 * query string of the referring page, with a per-request id, so the canonicalizer grows without
 * bound. See VALIDATION50.md.
 */
public final class Val50LeakTypesetters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FONTS = 900, JOBS = 24_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS = 50_000;
    static boolean FIXED;

    record Font(String family, String foundry, double[] kerning) {}
    record PrintJob(String jobId, String fontFamily, int pages, byte[] layout, long createdAt) {}
    record Preview(String key, byte[] png, long at) {}
    record AccessEntry(String path, String userAgent, String referrer, int status, long at) {}

    /** Hand-written canonicalizer: returns the first String seen with the same contents. */
    static final class HeaderCanonicalizer {
        final HashMap<String, String> pool = new HashMap<>();
        long lookups, hits;
        String canonical(String s) {
            lookups++;
            String c = pool.putIfAbsent(s, s);
            if (c != null) { hits++; return c; }
            return s;
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Font> FONTS_BY_FAMILY = new HashMap<>();

    static final class WebFront {
        final Map<String, PrintJob> jobs = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final AccessEntry[] accessLog = new AccessEntry[RING];
        long served;
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
    }

    static WebFront SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val50.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(50_020_001);
        String[] families = new String[FONTS];
        for (int f = 0; f < FONTS; f++) {
            double[] kerning = new double[96];
            for (int k = 0; k < kerning.length; k++) kerning[k] = rnd.nextDouble() - 0.5;
            families[f] = "Family" + (100 + f);
            FONTS_BY_FAMILY.put(families[f], new Font(families[f], "Foundry " + (f % 40), kerning));
        }
        WebFront svc = new WebFront();
        SERVICE = svc;
        String[] jobIds = new String[JOBS];
        for (int j = 0; j < JOBS; j++) {
            jobIds[j] = "PJ" + (8_100_000 + j);
            svc.jobs.put(jobIds[j], new PrintJob(jobIds[j], families[rnd.nextInt(FONTS)], 1 + rnd.nextInt(400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        String[] agents = new String[60];
        for (int a = 0; a < agents.length; a++) agents[a] = "Mozilla/5.0 (" + (a % 3 == 0 ? "Windows NT 10.0; Win64; x64" : a % 3 == 1 ? "Macintosh; Intel Mac OS X 10_15_7" : "X11; Linux x86_64") + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + (100 + a) + ".0.0.0 Safari/537.36";
        String[] pages = {"/catalog/fonts", "/catalog/papers", "/proofs/compare", "/jobs/upload", "/checkout/cart", "/account/orders"};
        Random traffic = new Random(50_020_002);
        int withReferrer = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            // header values as a servlet container hands them over: fresh Strings per request
            String ua = svc.headers.canonical(new String(agents[traffic.nextInt(agents.length)].toCharArray()));
            String referrer = null;
            if (traffic.nextInt(10) < 7) {
                String page = "https://shop.example-typeset.com" + pages[traffic.nextInt(pages.length)];
                String full = page + "?rid=" + Long.toHexString(0x5f00_0000_0000L + i) + "&page=" + (1 + traffic.nextInt(20));
                // BUG: the full referrer, with its per-request id, is canonicalized
                referrer = FIXED ? svc.headers.canonical(page) : svc.headers.canonical(full);
                withReferrer++;
            }
            String job = jobIds[traffic.nextInt(JOBS)];
            svc.accessLog[(int) (svc.served++ % RING)] = new AccessEntry("/jobs/" + job + "/proof", ua, referrer, 200, t);
            String key = job + "/p" + (1 + traffic.nextInt(3));
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        HeaderCanonicalizer h = svc.headers;
        System.out.println((FIXED ? "FIXED " : "") + "fonts " + FONTS_BY_FAMILY.size() + " jobs " + svc.jobs.size() + " canonical values " + h.pool.size() + " lookups " + h.lookups + " hits " + h.hits
                + " with referrer " + withReferrer + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.renderBuffers.size() + " served " + svc.served);
        check(FONTS_BY_FAMILY.size() == FONTS && svc.jobs.size() == JOBS, "reference data / directory");
        check(h.lookups == REQUESTS + withReferrer, "lookups");
        if (FIXED) check(h.pool.size() == agents.length + pages.length, "canonical values bounded: " + h.pool.size());
        else check(h.pool.size() == agents.length + withReferrer, "canonicalizer keeps every referrer: " + h.pool.size());
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.served == REQUESTS && svc.accessLog[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
