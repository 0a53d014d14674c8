// hprofscan-dump: name=val151-leak-antiquemaps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val151-leak-antiquemaps-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 151 (written blind), LEAK: the search service of an online dealer in antique maps
 * and prints. Cartographer reference data, the stock directory, a cache of rendered result pages at
 * its cap, a pool of thumbnail buffers, a ring of recent searches, and a hand-written string
 * canonicalizer (a ConcurrentHashMap<String, String> used like String.intern()) meant for the closed
 * vocabularies (cartographers, regions, map types) but also fed every normalised search phrase and
 * every free-text tag customers put on saved maps; it is never pruned, so it keeps every distinct
 * phrase and tag ever seen. See VALIDATION151.md.
 */
public final class Val151LeakAntiqueMaps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CARTOGRAPHERS = 600, REGIONS = 300, LISTINGS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10,
            SEARCHES_PER_HOUR = 7_000, TAGS_PER_HOUR = 1_000;
    static final String[] MAP_TYPES = {"county map", "sea chart", "town plan", "world map", "celestial chart", "road strip map", "estate map", "military survey", "atlas plate", "pocket globe gores"};
    static final String[] WORDS = {"yorkshire", "saxton", "speed", "blaeu", "mercator", "ortelius", "kent", "devon", "cornwall", "wales", "scotland", "ireland", "london",
        "bristol", "thames", "coast", "harbour", "islands", "antique", "original", "hand", "coloured", "copper", "engraving", "folio", "framed", "rare", "early",
        "county", "map", "chart", "plan", "atlas", "sea", "road", "ogilby", "moll", "bowen", "kitchin", "cary", "greenwood", "morden", "jansson", "hondius",
        "de", "wit", "visscher", "homann", "seutter", "delisle", "america", "virginia", "carolina", "new", "england", "france", "holland", "germany", "italy",
        "rome", "venice", "paris", "africa", "asia", "india", "china", "japan", "arctic", "polar", "voyage", "cook", "discovery", "pacific", "atlantic"};
    static boolean FIXED;

    record Cartographer(String name, String workshop, double[] plateCountsByDecade) {}
    record Listing(String stockNo, String cartographer, String region, String mapType, byte[] conditionReport, long listedAt) {}
    record ResultPage(String key, byte[] rendered, long at) {}
    record SearchLog(String phrase, String sessionId, int hits, long at) {}
    record SavedTag(String customer, String stockNo, String tag, long at) {}

    /** Hand-written String.intern(): returns the canonical instance of an equal string, never forgets one. */
    static final class Canonicalizer {
        final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
        long calls;
        String canon(String s) {
            calls++;
            String prior = pool.putIfAbsent(s, s);
            return prior == null ? s : prior;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ResultPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cartographer> CARTOGRAPHERS_BY_NAME = new HashMap<>();

    static final class SearchService {
        final Canonicalizer strings = new Canonicalizer();
        final Map<String, Listing> listings = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> thumbnailBuffers = new ArrayDeque<>();
        final SearchLog[] recent = new SearchLog[RING];
        final SavedTag[] recentTags = new SavedTag[4_096];
        long searches, tagged;

        String normalise(String raw) { return raw.trim().toLowerCase(); }

        void search(String raw, String sessionId, long at, int pageNo) {
            String phrase = normalise(raw);
            if (!FIXED) phrase = strings.canon(phrase); // BUG: user-typed phrases go into the never-pruned canonical pool
            int hits = (phrase.hashCode() & 0x3ff);
            String key = "p-" + (phrase.hashCode() & 0xfff) + "-" + pageNo;
            if (pages.get(key) == null) pages.put(key, new ResultPage(key, new byte[500 + (hits % 500)], at));
            byte[] thumb = thumbnailBuffers.poll();
            thumb[(int) (searches % thumb.length)] = (byte) hits;
            thumbnailBuffers.add(thumb);
            recent[(int) (searches++ % RING)] = new SearchLog(phrase, sessionId, hits, at);
        }

        void tag(String customer, String stockNo, String raw, long at) {
            String tag = normalise(raw);
            if (!FIXED) tag = strings.canon(tag); // BUG: free-text tags too
            recentTags[(int) (tagged++ % recentTags.length)] = new SavedTag(customer, stockNo, tag, at);
        }
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String phrase(Random r, int minWords, int maxWords) {
        StringBuilder sb = new StringBuilder();
        int n = minWords + r.nextInt(maxWords - minWords + 1);
        for (int w = 0; w < n; w++) { if (w > 0) sb.append(' '); sb.append(WORDS[r.nextInt(WORDS.length)]); }
        if (r.nextInt(3) == 0) sb.append(' ').append(1550 + r.nextInt(350));
        if (r.nextInt(4) == 0) sb.insert(0, "  ").append(' '); // stray whitespace, trimmed by normalise
        if (r.nextInt(2) == 0) { int k = r.nextInt(sb.length()); sb.setCharAt(k, Character.toUpperCase(sb.charAt(k))); } // lower-cased by normalise
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val151.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(151_040_001);
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] names = new String[CARTOGRAPHERS], regions = new String[REGIONS];
        for (int c = 0; c < CARTOGRAPHERS; c++) {
            double[] plates = new double[50];
            for (int k = 0; k < plates.length; k++) plates[k] = rnd.nextInt(400);
            String name = svc.strings.canon("cartographer " + (c + 1) + " " + WORDS[c % WORDS.length]);
            names[c] = name;
            CARTOGRAPHERS_BY_NAME.put(name, new Cartographer(name, "Workshop " + (c % 90), plates));
        }
        for (int g = 0; g < REGIONS; g++) regions[g] = svc.strings.canon("region " + WORDS[g % WORDS.length] + " " + (g / WORDS.length));
        for (String t : MAP_TYPES) svc.strings.canon(t);
        int vocabulary = svc.strings.pool.size();
        String[] stockNos = new String[LISTINGS];
        for (int l = 0; l < LISTINGS; l++) {
            String stock = "AM-" + (10_000_000 + l * 3);
            stockNos[l] = stock;
            svc.listings.put(stock, new Listing(stock, names[rnd.nextInt(CARTOGRAPHERS)], regions[rnd.nextInt(REGIONS)],
                    svc.strings.canon(MAP_TYPES[rnd.nextInt(MAP_TYPES.length)]), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.thumbnailBuffers.add(new byte[65_536]);
        Random traffic = new Random(151_040_002);
        String[] popular = new String[250];
        for (int p = 0; p < popular.length; p++) popular[p] = phrase(traffic, 1, 2);
        int searches = SEARCHES_PER_HOUR * HOURS, tags = TAGS_PER_HOUR * HOURS, total = searches + tags;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            if (i % 8 != 7) {
                String raw = traffic.nextInt(5) == 0 ? popular[traffic.nextInt(popular.length)] : phrase(traffic, 2, 5);
                svc.search(raw, "S" + Long.toHexString(0x5A000000L + traffic.nextInt(40_000)), t, 1 + (traffic.nextInt(6) == 0 ? traffic.nextInt(5) : 0));
            } else {
                svc.tag("CU" + (300_000 + traffic.nextInt(30_000)), stockNos[traffic.nextInt(LISTINGS)], phrase(traffic, 1, 4), t);
            }
        }
        int poolSize = svc.strings.pool.size();
        System.out.println((FIXED ? "FIXED " : "") + "cartographers " + CARTOGRAPHERS_BY_NAME.size() + " listings " + svc.listings.size() + " vocabulary " + vocabulary
                + " canonical pool " + poolSize + " (user phrases and tags " + (poolSize - vocabulary) + ", canon calls " + svc.strings.calls + ") searches " + svc.searches
                + " tags " + svc.tagged + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.thumbnailBuffers.size());
        check(CARTOGRAPHERS_BY_NAME.size() == CARTOGRAPHERS && svc.listings.size() == LISTINGS, "reference data / directory");
        check(vocabulary == CARTOGRAPHERS + REGIONS + MAP_TYPES.length, "closed vocabulary " + vocabulary);
        check(svc.searches == searches && svc.tagged == tags, "traffic");
        if (FIXED) check(poolSize == vocabulary, "pool holds the closed vocabulary only: " + poolSize);
        else check(poolSize > vocabulary + (searches + tags) / 2, "pool keeps every user phrase and tag: " + poolSize);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.thumbnailBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null && svc.recentTags[4_095] != null, "rings");
        svc = null; names = null; regions = null; stockNos = null; popular = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
