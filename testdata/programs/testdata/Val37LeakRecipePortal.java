// hprofscan-dump: name=val37-leak-recipeportal jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val37-leak-recipeportal-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Validation set 37 (written blind), LEAK: the search front end of a recipe portal. Cuisine
 * reference data, the recipe directory, a nutrition-panel LRU at its cap of 2,000, a pool of image
 * resize buffers, a ring of recent query-log entries, and a search-result page cache: an
 * access-ordered LinkedHashMap LRU keyed by the normalized query string of each request. Its cap is
 * read with getProperty("search.cache.maxEntries", Integer.MAX_VALUE) but the configuration file
 * spells the key "search.cache.max-entries", so the cap is Integer.MAX_VALUE and
 * removeEldestEntry never evicts: every distinct query ever searched stays. See VALIDATION37.md.
 */
public final class Val37LeakRecipePortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CUISINES = 800, RECIPES = 25_000, NUTRITION_CAP = 2_000, POOL = 8, RING = 8_192, QUERIES_PER_HOUR = 2_500, HOURS = 10;
    static boolean FIXED;

    record Cuisine(String code, String name, double[] seasonality) {}
    record Recipe(String slug, String cuisineCode, String title, byte[] instructions, long publishedAt) {}
    record NutritionPanel(String slug, byte[] rendered, long at) {}
    record ResultPage(String query, int[] recipeIds, byte[] rendered, long at) {}
    record QueryLogEntry(String query, String visitor, int hits, long at) {}

    /** An LRU whose cap comes from configuration. */
    static final class ResultPageCache extends LinkedHashMap<String, ResultPage> {
        final long maxEntries;
        long evicted, hits, misses;
        ResultPageCache(long maxEntries) { super(1_024, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultPage> e) { if (size() > maxEntries) { evicted++; return true; } return false; }
    }

    static final class NutritionCache extends LinkedHashMap<String, NutritionPanel> {
        long evicted;
        NutritionCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, NutritionPanel> e) { if (size() > NUTRITION_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cuisine> CUISINES_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Recipe> recipes = new HashMap<>();
        final NutritionCache nutrition = new NutritionCache();
        final ResultPageCache results;
        final ArrayDeque<byte[]> resizeBuffers = new ArrayDeque<>();
        final QueryLogEntry[] queryLog = new QueryLogEntry[RING];
        long queries;
        SearchService(Properties config) {
            // BUG: the file says "search.cache.max-entries=2000"; this key is never found, so the cap
            // silently defaults to Integer.MAX_VALUE.
            String key = FIXED ? "search.cache.max-entries" : "search.cache.maxEntries";
            results = new ResultPageCache(Long.parseLong(config.getProperty(key, Integer.toString(Integer.MAX_VALUE))));
        }
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val37.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(37_020_001);
        Properties config = new Properties();
        config.setProperty("search.cache.max-entries", "2000");
        config.setProperty("search.page.size", "20");
        config.setProperty("nutrition.cache.max-entries", Integer.toString(NUTRITION_CAP));
        String[] cuisineCodes = new String[CUISINES];
        for (int c = 0; c < CUISINES; c++) {
            double[] season = new double[52];
            for (int k = 0; k < season.length; k++) season[k] = rnd.nextDouble();
            String code = "CU-" + (400 + c);
            cuisineCodes[c] = code;
            CUISINES_BY_CODE.put(code, new Cuisine(code, "Cuisine " + c, season));
        }
        SearchService svc = new SearchService(config);
        SERVICE = svc;
        String[] slugs = new String[RECIPES];
        for (int r = 0; r < RECIPES; r++) {
            String slug = "recipe-" + (200_000 + r * 13);
            slugs[r] = slug;
            svc.recipes.put(slug, new Recipe(slug, cuisineCodes[rnd.nextInt(CUISINES)], "Dish no. " + r, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.resizeBuffers.add(new byte[32_768]);
        String[] words = {"chicken", "vegan", "pasta", "quick", "spicy", "soup", "gluten-free", "salmon", "curry", "salad", "tofu", "lemon", "garlic", "baked", "slow-cooker", "chocolate", "rice", "beef", "mushroom", "breakfast"};
        String[] sorts = {"relevance", "rating", "newest", "time"};
        Random traffic = new Random(37_020_002);
        int queries = QUERIES_PER_HOUR * HOURS;
        for (int i = 0; i < queries; i++) {
            long t = start + (end - MINUTE - start) * i / queries;
            String q;
            if (traffic.nextInt(5) == 0) q = "q=" + words[traffic.nextInt(words.length)] + "&sort=relevance&page=1"; // popular queries
            else q = "q=" + words[traffic.nextInt(words.length)] + "+" + words[traffic.nextInt(words.length)] + "&maxMinutes=" + (10 + traffic.nextInt(110))
                    + "&sort=" + sorts[traffic.nextInt(sorts.length)] + "&page=" + (1 + traffic.nextInt(3));
            int renderedLength = 300 + traffic.nextInt(300); // drawn on every request: hits and misses consume the same randomness
            ResultPage page = svc.results.get(q);
            if (page == null) {
                svc.results.misses++;
                int[] ids = new int[20]; // the search result of a query is deterministic
                for (int k = 0; k < ids.length; k++) ids[k] = Math.floorMod(q.hashCode() * 31 + k * 7_919, RECIPES);
                page = new ResultPage(q, ids, new byte[renderedLength], t);
                svc.results.put(q, page);
            } else svc.results.hits++;
            svc.queryLog[(int) (svc.queries++ % RING)] = new QueryLogEntry(q, "v" + traffic.nextInt(400_000), page.recipeIds().length, t);
            String slug = slugs[page.recipeIds()[traffic.nextInt(20)] % 6_000];
            if (svc.nutrition.get(slug) == null) svc.nutrition.put(slug, new NutritionPanel(slug, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.resizeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.resizeBuffers.add(buf);
        }
        ResultPageCache rc = svc.results;
        System.out.println((FIXED ? "FIXED " : "") + "cuisines " + CUISINES_BY_CODE.size() + " recipes " + svc.recipes.size() + " queries " + svc.queries + " result cache max " + rc.maxEntries
                + " size " + rc.size() + " hits " + rc.hits + " misses " + rc.misses + " evicted " + rc.evicted + " nutrition " + svc.nutrition.size() + " (evicted " + svc.nutrition.evicted + ") pool " + svc.resizeBuffers.size());
        check(CUISINES_BY_CODE.size() == CUISINES && svc.recipes.size() == RECIPES, "reference data / directory");
        check(svc.queries == queries && rc.hits + rc.misses == queries, "traffic");
        if (FIXED) check(rc.maxEntries == 2_000 && rc.size() == 2_000 && rc.evicted == rc.misses - 2_000, "result cache at its configured cap");
        else check(rc.maxEntries == Integer.MAX_VALUE && rc.size() == rc.misses && rc.evicted == 0, "result cache keeps every distinct query: " + rc.size());
        check(svc.nutrition.size() == NUTRITION_CAP && svc.nutrition.evicted > 0, "nutrition cache at cap");
        check(svc.resizeBuffers.size() == POOL, "pool");
        check(svc.queryLog[RING - 1] != null, "query-log ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
