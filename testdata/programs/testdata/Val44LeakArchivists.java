// hprofscan-dump: name=val44-leak-archivists jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val44-leak-archivists-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 44 (written blind), LEAK: the catalogue search service of a county record office
 * (archivists). Fonds reference data, the catalogue-record directory, a cache of rendered
 * finding-aid pages at its cap, a pool of OCR buffers, a ring of search-log entries, and the filter
 * compiler: every search request carries a free-text filter expression typed by the user (a regular
 * expression over record titles), which is compiled to a java.util.regex.Pattern and cached in a
 * static map keyed by the expression text. Nothing ever evicts, and almost every expression is
 * distinct (surnames, places, years). See VALIDATION44.md.
 */
public final class Val44LeakArchivists {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FONDS = 1_100, RECORDS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            SEARCHES_PER_HOUR = 1_200, FIXED_CAP = 256;
    static boolean FIXED;

    record Fonds(String code, String title, double[] accessionsByYear) {}
    record CatalogueRecord(String reference, String fondsCode, String title, byte[] description, long catalogedAt) {}
    record FindingAidPage(String key, byte[] rendered, long at) {}
    record SearchLogEntry(String readerTicket, long searchId, int hits, int micros, long at) {}

    /** Compiles the user's filter expression; the compiled Pattern is cached by its text. */
    static final class FilterCompiler {
        /** BUG: keyed by free text, never evicted. */
        static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
        /** The fix: a small access-ordered LRU instead (used only with -Dval44.fixed=true). */
        static final Map<String, Pattern> BOUNDED = new LinkedHashMap<>(512, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) { if (size() > FIXED_CAP) { evicted++; return true; } return false; }
        };
        static long compiles, hits, evicted;
        static Pattern compile(String expression) {
            Map<String, Pattern> cache = FIXED ? BOUNDED : COMPILED;
            Pattern p = cache.get(expression);
            if (p != null) { hits++; return p; }
            p = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
            compiles++;
            cache.put(expression, p);
            return p;
        }
    }

    static final class PageCache extends LinkedHashMap<String, FindingAidPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FindingAidPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fonds> FONDS_BY_CODE = new HashMap<>();

    static final class CatalogueService {
        final Map<String, CatalogueRecord> records = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> ocrBuffers = new ArrayDeque<>();
        final SearchLogEntry[] searchLog = new SearchLogEntry[RING];
        long searches, totalHits;
    }

    static CatalogueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] SURNAMES = {"smith", "smyth", "baker", "cooper", "fletcher", "thatcher", "turner", "walker", "webb", "wright", "carter", "mason", "taylor",
            "hughes", "evans", "price", "morgan", "lloyd", "parry", "jenkins", "harris", "clarke", "ward", "hall", "allen", "king", "wood", "green", "shaw", "lewis",
            "ashby", "bennett", "chambers", "dawson", "ellis", "foster", "gibbs", "hopkins", "ingram", "jarvis", "kemp", "lamb", "marsh", "nash", "osborne", "pratt",
            "quinn", "rowe", "sharp", "tucker", "upton", "vickers", "wade", "yates", "abbott", "blake", "cross", "dyer", "eaton", "finch"};
    static final String[] PLACES = {"ashford", "barton", "chester", "dunmore", "eastleigh", "fairford", "gresley", "hatfield", "ilford", "kingsbury", "langley",
            "marlow", "newbury", "oakham", "pershore", "quarley", "radley", "stow", "tetbury", "upwey", "ventnor", "wantage", "yarm", "alcester", "bampton",
            "cricklade", "dursley", "evesham", "frome", "glaston"};
    static final String[] RECORD_TYPES = {"baptism", "burial", "marriage", "banns", "tithe", "manor court", "quarter sessions", "settlement", "apprentice",
            "will", "inventory", "enclosure", "rate book", "vestry", "poor law", "estate map", "deed", "lease", "survey", "muster"};

    /** The filter a reader types: surnames, places, record types and years, in a few shapes. */
    static String expression(Random r) {
        String s1 = SURNAMES[r.nextInt(SURNAMES.length)], s2 = SURNAMES[r.nextInt(SURNAMES.length)];
        String p1 = PLACES[r.nextInt(PLACES.length)], p2 = PLACES[r.nextInt(PLACES.length)];
        String type = RECORD_TYPES[r.nextInt(RECORD_TYPES.length)];
        int year = 1550 + r.nextInt(400);
        switch (r.nextInt(5)) {
            case 0: return s1 + "|" + s2 + ".*" + p1 + " " + year / 10 + "[0-9]";
            case 1: return "^" + type + ".*(" + p1 + "|" + p2 + ").*" + year;
            case 2: return "(" + s1 + "|" + s2 + ")e?s? (of|at) " + p1 + " 1[5-9]\\d\\d";
            case 3: return type + "s?\\b.*\\b" + s1 + "\\b.*" + (year / 10) + "\\d";
            default: return "\\b" + p1 + "\\b.*(" + type + "|" + RECORD_TYPES[r.nextInt(RECORD_TYPES.length)] + ").*" + s1 + ".*" + year;
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val44.fixed");
        int searches = SEARCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(44_020_001);
        String[] fondsCodes = new String[FONDS];
        for (int f = 0; f < FONDS; f++) {
            double[] acc = new double[64];
            for (int k = 0; k < acc.length; k++) acc[k] = rnd.nextDouble() * 400;
            fondsCodes[f] = "D" + (100 + f);
            FONDS_BY_CODE.put(fondsCodes[f], new Fonds(fondsCodes[f], "Records of " + PLACES[f % PLACES.length] + " parish, series " + (f / PLACES.length), acc));
        }
        CatalogueService svc = new CatalogueService();
        SERVICE = svc;
        String[] titles = new String[RECORDS];
        String[] references = new String[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            String fonds = fondsCodes[rnd.nextInt(FONDS)];
            references[i] = fonds + "/" + (1 + rnd.nextInt(40)) + "/" + i;
            titles[i] = RECORD_TYPES[rnd.nextInt(RECORD_TYPES.length)] + " of " + SURNAMES[rnd.nextInt(SURNAMES.length)] + " of " + PLACES[rnd.nextInt(PLACES.length)]
                    + " " + (1550 + rnd.nextInt(400));
            svc.records.put(references[i], new CatalogueRecord(references[i], fonds, titles[i], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ocrBuffers.add(new byte[32_768]);
        String[] popular = new String[40];
        Random pop = new Random(44_020_003);
        for (int k = 0; k < popular.length; k++) popular[k] = expression(pop);
        Random traffic = new Random(44_020_002);
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            String reader = "RT-" + (20_000 + traffic.nextInt(9_000));
            String expr = traffic.nextInt(100) < 5 ? popular[traffic.nextInt(popular.length)] : expression(traffic);
            Pattern filter = FilterCompiler.compile(expr);
            int hits = 0;
            int from = traffic.nextInt(RECORDS - 64);
            for (int k = from; k < from + 64; k++) {
                Matcher m = filter.matcher(titles[k]);
                if (m.find()) hits++;
            }
            svc.totalHits += hits;
            svc.searchLog[(int) (svc.searches++ % RING)] = new SearchLogEntry(reader, 5_000_000L + i, hits, 200 + traffic.nextInt(5_000), t);
            for (int v = 0; v < 3; v++) {
                String key = "aid-" + traffic.nextInt(4_500);
                if (svc.pages.get(key) == null) svc.pages.put(key, new FindingAidPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.ocrBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ocrBuffers.add(buf);
        }
        titles = null; references = null; fondsCodes = null; popular = null; // main's big locals: dead from here on
        int cached = FilterCompiler.COMPILED.size() + FilterCompiler.BOUNDED.size();
        System.out.println((FIXED ? "FIXED " : "") + "fonds " + FONDS_BY_CODE.size() + " records " + svc.records.size() + " searches " + svc.searches + " hits " + svc.totalHits
                + " compiled patterns cached " + cached + " (compiles " + FilterCompiler.compiles + ", cache hits " + FilterCompiler.hits + ", evicted " + FilterCompiler.evicted
                + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.ocrBuffers.size());
        check(FONDS_BY_CODE.size() == FONDS && svc.records.size() == RECORDS, "reference data / directory");
        check(svc.searches == searches && FilterCompiler.compiles + FilterCompiler.hits == searches, "search traffic");
        if (FIXED) check(FilterCompiler.COMPILED.isEmpty() && FilterCompiler.BOUNDED.size() == FIXED_CAP && FilterCompiler.evicted > 0, "bounded pattern cache");
        else check(FilterCompiler.BOUNDED.isEmpty() && FilterCompiler.COMPILED.size() == FilterCompiler.compiles && FilterCompiler.compiles > searches * 9 / 10, "every compiled pattern kept: " + cached);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.ocrBuffers.size() == POOL, "pool");
        check(svc.searchLog[RING - 1] != null && searches > RING, "search ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
