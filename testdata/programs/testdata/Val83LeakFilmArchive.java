// hprofscan-dump: name=val83-leak-filmarchive jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val83-leak-filmarchive-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 83 (written blind), LEAK: the catalogue API of a national film archive (films,
 * reels, condition reports, viewing-copy loans). Collection reference data, the film directory, a
 * cache of rendered search pages at its cap, a pool of telecine scan buffers, a ring of access-log
 * entries, and a hand-written JSON serializer (Json) with cycle detection: every bean and list it
 * writes is added to a visited set so that a cyclic graph fails fast instead of recursing forever.
 * The visited set is a static field (Json.VISITED, a Collections.newSetFromMap over an
 * IdentityHashMap), shared by every call, and an object is never taken out of it when its write
 * finishes: the set keeps every response DTO graph the API ever wrote. (Responses are built fresh per
 * request, so the stale entries never trigger a false "cycle".) See VALIDATION83.md.
 */
public final class Val83LeakFilmArchive {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COLLECTIONS = 1_100, FILMS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, RESPONSES_PER_HOUR = 1_000, HOURS = 10;
    static boolean FIXED;

    record FilmCollection(String code, String name, double[] vaultHumidityByWeek) {}
    record Film(String accession, String title, int year, String collectionCode, byte[] provenance, long accessionedAt) {}
    record SearchPage(String key, byte[] rendered, long at) {}
    record AccessLog(String accession, String client, int status, long at) {}

    /** A response object the serializer can write. */
    interface JsonBean { Object[] jsonFields(); }

    record ReelDto(int reelNo, String gauge, String stock, int lengthFeet, String notes) implements JsonBean {
        public Object[] jsonFields() { return new Object[] {"reelNo", reelNo, "gauge", gauge, "stock", stock, "lengthFeet", lengthFeet, "notes", notes}; }
    }
    record ConditionDto(String grade, double acidity, double shrinkagePercent, String assessedBy) implements JsonBean {
        public Object[] jsonFields() { return new Object[] {"grade", grade, "acidity", acidity, "shrinkage", shrinkagePercent, "assessedBy", assessedBy}; }
    }
    record FilmDto(String accession, String displayTitle, List<ReelDto> reels, ConditionDto condition, byte[] posterThumb) implements JsonBean {
        public Object[] jsonFields() { return new Object[] {"accession", accession, "title", displayTitle, "reels", reels, "condition", condition, "posterThumb", posterThumb}; }
    }

    /** Hand-written JSON writer with cycle detection. */
    static final class Json {
        /** Objects currently being written (cycle detection), shared by every call. */
        static final Set<Object> VISITED = Collections.newSetFromMap(new IdentityHashMap<>());
        static long documents, maxDepth;
        static int depth;

        static String write(Object root) {
            StringBuilder sb = new StringBuilder(1_024);
            value(sb, root);
            documents++;
            return sb.toString();
        }

        static void enter(Object o) {
            if (!VISITED.add(o)) throw new IllegalStateException("cycle detected at " + o.getClass().getSimpleName());
            maxDepth = Math.max(maxDepth, ++depth);
        }

        static void exit(Object o) {
            depth--;
            // BUG: the object is never removed. The fix removes it when its write finishes.
            if (FIXED) VISITED.remove(o);
        }

        static void value(StringBuilder sb, Object v) {
            if (v == null) sb.append("null");
            else if (v instanceof String s) sb.append('"').append(s.replace("\"", "\\\"")).append('"');
            else if (v instanceof Number || v instanceof Boolean) sb.append(v);
            else if (v instanceof byte[] b) sb.append('"').append(Base64Len.of(b)).append('"');
            else if (v instanceof List<?> list) {
                enter(list);
                sb.append('[');
                for (int i = 0; i < list.size(); i++) { if (i > 0) sb.append(','); value(sb, list.get(i)); }
                sb.append(']');
                exit(list);
            } else if (v instanceof JsonBean bean) {
                enter(bean);
                Object[] f = bean.jsonFields();
                sb.append('{');
                for (int i = 0; i < f.length; i += 2) { if (i > 0) sb.append(','); sb.append('"').append(f[i]).append("\":"); value(sb, f[i + 1]); }
                sb.append('}');
                exit(bean);
            } else throw new IllegalArgumentException("not serializable: " + v.getClass());
        }
    }

    /** Stand-in for base64 (the archive writes a placeholder of the encoded length). */
    static final class Base64Len { static String of(byte[] b) { return "b64:" + ((b.length + 2) / 3 * 4); } }

    static final class PageCache extends LinkedHashMap<String, SearchPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FilmCollection> COLLECTIONS_BY_CODE = new HashMap<>();

    static final class CatalogueApi {
        final Map<String, Film> films = new HashMap<>();
        final PageCache searchPages = new PageCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final AccessLog[] accessLog = new AccessLog[RING];
        long requests, responseBytes, dtoObjects;

        FilmDto filmResponse(Film f, Random r) {
            int reels = 2 + r.nextInt(5);
            List<ReelDto> list = new ArrayList<>(reels);
            String[] gauges = {"35mm", "16mm", "9.5mm", "70mm"};
            String[] stocks = {"nitrate", "acetate", "polyester"};
            for (int k = 1; k <= reels; k++) {
                list.add(new ReelDto(k, gauges[r.nextInt(gauges.length)], stocks[r.nextInt(stocks.length)], 600 + r.nextInt(1_400),
                        "reel " + k + " of " + reels + ": vinegar syndrome level " + r.nextInt(4) + ", shrinkage " + r.nextInt(15) / 10.0 + "%"));
            }
            ConditionDto condition = new ConditionDto("ABCDE".substring(r.nextInt(5)).substring(0, 1), r.nextDouble(), r.nextDouble() * 2, "conservator-" + r.nextInt(40));
            dtoObjects += 3 + reels; // the FilmDto, its reel list, the reels and the condition are written as beans/lists
            return new FilmDto(f.accession(), f.title() + " (" + f.year() + ")", list, condition, new byte[200 + r.nextInt(400)]);
        }
    }

    static CatalogueApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val83.fixed");
        int responses = RESPONSES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(83_030_001);
        String[] collectionCodes = new String[COLLECTIONS];
        for (int c = 0; c < COLLECTIONS; c++) {
            double[] humidity = new double[64];
            for (int k = 0; k < humidity.length; k++) humidity[k] = 30 + rnd.nextDouble() * 10;
            collectionCodes[c] = "COL-" + (2_000 + c);
            COLLECTIONS_BY_CODE.put(collectionCodes[c], new FilmCollection(collectionCodes[c], "Collection " + c, humidity));
        }
        CatalogueApi api = new CatalogueApi();
        SERVICE = api;
        String[] accessions = new String[FILMS];
        String[] words = {"Harbour", "Night", "Mill", "Summer", "River", "Station", "Letter", "Coast", "Winter", "Parade", "Garden", "Signal"};
        for (int f = 0; f < FILMS; f++) {
            accessions[f] = "FA-" + (300_000 + f * 3);
            String title = "The " + words[rnd.nextInt(words.length)] + " " + words[rnd.nextInt(words.length)];
            api.films.put(accessions[f], new Film(accessions[f], title, 1905 + rnd.nextInt(90), collectionCodes[rnd.nextInt(COLLECTIONS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) api.scanBuffers.add(new byte[32_768]);
        Random traffic = new Random(83_030_002);
        String[] clients = {"reading-room", "partner-api", "web", "loans-desk", "education"};
        for (int i = 0; i < responses; i++) {
            long t = start + (end - MINUTE - start) * i / responses;
            Film film = api.films.get(accessions[traffic.nextInt(FILMS)]);
            String body = Json.write(api.filmResponse(film, traffic));
            api.requests++;
            api.responseBytes += body.length();
            for (int k = 0; k < 2; k++) {
                api.accessLog[(int) ((2L * i + k) % RING)] = new AccessLog(accessions[traffic.nextInt(FILMS)], clients[traffic.nextInt(clients.length)], k == 0 ? 200 : 304, t);
            }
            String key = "search:" + words[traffic.nextInt(words.length)].toLowerCase() + ":p" + traffic.nextInt(300);
            if (api.searchPages.get(key) == null) api.searchPages.put(key, new SearchPage(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % 3 == 0) {
                byte[] buf = api.scanBuffers.poll();
                buf[i % buf.length] = (byte) i;
                api.scanBuffers.add(buf);
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "collections " + COLLECTIONS_BY_CODE.size() + " films " + api.films.size() + " responses " + api.requests + " (" + api.responseBytes + " chars) DTO beans/lists written " + api.dtoObjects
                + " visited " + Json.VISITED.size() + " (max depth " + Json.maxDepth + ", depth " + Json.depth + ") pages " + api.searchPages.size() + " (evicted " + api.searchPages.evicted + ") pool " + api.scanBuffers.size());
        check(COLLECTIONS_BY_CODE.size() == COLLECTIONS && api.films.size() == FILMS, "reference data / directory");
        check(Json.documents == responses && Json.depth == 0 && Json.maxDepth == 3, "serializer");
        if (FIXED) check(Json.VISITED.isEmpty(), "visited set empty between calls");
        else check(Json.VISITED.size() == api.dtoObjects, "visited set keeps every DTO: " + Json.VISITED.size());
        check(api.searchPages.size() == PAGE_CAP && api.searchPages.evicted > 0, "search page cache at cap");
        check(api.scanBuffers.size() == POOL, "pool");
        check(api.accessLog[RING - 1] != null, "access-log ring");
        LeakCheck.histogram(" [I (", "java.util.IdentityHashMap ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
