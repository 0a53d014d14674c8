// hprofscan-dump: name=val112-leak-lostproperty jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val112-leak-lostproperty-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 112 (written blind), LEAK: the lost-property office of a city transit network
 * (buses and metro). Station reference data, the directory of found items (and its index by
 * station), a cache of rendered claim forms at its cap, a pool of label-printer buffers, a ring of
 * the search log, a queue of claimed items awaiting the courier with its normal backlog, and the
 * search matcher: each public search ("black umbrella line 4 2024-05-12") is turned into a regular
 * expression (one look-ahead per word) and compiled into a cache keyed by the query text, meant to
 * hold "the few common searches". Every query carries its own colour, item, line, date and name,
 * so almost every search adds an entry, and nothing ever removes one. See VALIDATION112.md.
 */
public final class Val112LeakLostProperty {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, COURIER_SLA = 60 * MINUTE;
    static final int STATIONS = 1_000, ITEMS = 20_000, FORM_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, SEARCHES_PER_HOUR = 800, RECENT_QUERIES = 64;
    static boolean FIXED;

    record Station(String code, String name, double[] itemsByHalfHour) {}
    record FoundItem(String ref, String stationCode, String description, long foundAt, byte[] photoMeta) {}
    record ClaimForm(String key, byte[] rendered, long at) {}
    record SearchLog(long seq, String rawQuery, String stationCode, int hits, long at) {}
    record ReturnShipment(String itemRef, String claimant, String postcode, long claimedAt) {}

    /** A compiled search: the query's pattern and its use counters. */
    static final class CompiledQuery {
        final String text; final Pattern pattern; final long compiledAt; int uses;
        CompiledQuery(String text, Pattern pattern, long compiledAt) { this.text = text; this.pattern = pattern; this.compiledAt = compiledAt; }
    }

    static final String[] COLOURS = {"black", "navy", "red", "grey", "brown", "green", "blue", "white", "pink", "silver", "beige", "purple"};
    static final String[] KINDS = {"umbrella", "backpack", "phone", "wallet", "keys", "laptop", "scarf", "glasses", "headphones", "purse", "coat", "hat", "gloves", "tablet",
            "book", "watch", "camera", "suitcase", "charger", "helmet", "lunchbox", "jacket", "handbag", "earbuds", "kindle", "thermos", "badge", "stroller", "guitar", "skateboard"};
    static final String[] BRANDS = {"samsung", "apple", "north face", "ray-ban", "casio", "eastpak", "barbour", "sony", "bose", "herschel", "fjallraven", "lenovo"};
    static final String[] SURNAMES = {"okafor", "nguyen", "smith", "kowalski", "patel", "oconnor", "garcia", "mensah", "ivanova", "tanaka", "rossi", "murphy", "haddad", "jensen"};

    /** Compiles public searches; "a small cache: the same few searches come in all day". */
    static final class QueryMatcher {
        final Map<String, CompiledQuery> patternCache = new HashMap<>();
        long compiled, cacheHits;

        void primeFixedShapes(long t) {
            patternCache.put("date", new CompiledQuery("date", Pattern.compile("\\b(\\d{4}-\\d{2}-\\d{2})\\b"), t));
            patternCache.put("line", new CompiledQuery("line", Pattern.compile("\\b(line|route) (\\d{1,3})\\b"), t));
            patternCache.put("phone-tail", new CompiledQuery("phone-tail", Pattern.compile("\\bends (\\d{4})\\b"), t));
            patternCache.put("name-tag", new CompiledQuery("name-tag", Pattern.compile("\\bname tag ([a-z]+)\\b"), t));
            compiled += 4;
        }

        CompiledQuery forQuery(String normalized, long t) {
            CompiledQuery q = patternCache.get(normalized);
            if (q != null) { cacheHits++; q.uses++; return q; }
            StringBuilder regex = new StringBuilder("(?s)");
            for (String word : normalized.split(" ")) regex.append("(?=.*\\b").append(Pattern.quote(word)).append("\\b)");
            regex.append(".*");
            q = new CompiledQuery(normalized, Pattern.compile(regex.toString()), t);
            q.uses++;
            compiled++;
            patternCache.put(normalized, q); // BUG: keyed by the whole query text, never bounded or evicted
            return q;
        }

        /** The fix: the words are compared as words; only the 4 fixed shapes are compiled (primed at startup). */
        boolean matchesFixed(String normalized, String description) {
            for (String word : normalized.split(" ")) if (!description.contains(word)) return false;
            Matcher d = patternCache.get("date").pattern.matcher(normalized);
            return !d.find() || description.contains(d.group(1));
        }
    }

    static final class FormCache extends LinkedHashMap<String, ClaimForm> {
        long evicted;
        FormCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ClaimForm> e) { if (size() > FORM_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class LostPropertyService {
        final Map<String, FoundItem> items = new HashMap<>();
        final Map<String, List<FoundItem>> byStation = new HashMap<>();
        final String[] stationCodes = new String[STATIONS];
        final FormCache forms = new FormCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final SearchLog[] searchLog = new SearchLog[RING];
        final ArrayDeque<ReturnShipment> courierQueue = new ArrayDeque<>();
        final QueryMatcher matcher = new QueryMatcher();
        final String[] recentQueries = new String[RECENT_QUERIES];
        long searches, hits, claims, shipped, labels, repeats;

        void search(Random r, long t, long now) {
            String station = stationCodes[r.nextInt(STATIONS)];
            String raw;
            if (searches >= RECENT_QUERIES && r.nextInt(100) < 10) {
                raw = recentQueries[r.nextInt(RECENT_QUERIES)]; // the same person searching again
                repeats++;
            } else {
                List<FoundItem> atStation = byStation.get(station);
                // a quarter of the searches come from the owner of an item that was handed in here
                raw = r.nextInt(4) == 0 && !atStation.isEmpty() ? ownerQuery(r, atStation.get(r.nextInt(atStation.size()))) : randomQuery(r, now);
            }
            recentQueries[(int) (searches % RECENT_QUERIES)] = raw;
            String normalized = raw.trim().replaceAll(" +", " ").toLowerCase(Locale.ROOT);
            int found = 0;
            if (FIXED) {
                for (FoundItem it : byStation.get(station)) if (matcher.matchesFixed(normalized, it.description())) found++;
            } else {
                CompiledQuery q = matcher.forQuery(normalized, t);
                for (FoundItem it : byStation.get(station)) if (q.pattern.matcher(it.description()).matches()) found++;
            }
            hits += found;
            searchLog[(int) (searches++ % RING)] = new SearchLog(searches, raw, station, found, t);
            List<FoundItem> list = byStation.get(station);
            FoundItem item = list.get(r.nextInt(list.size()));
            if (r.nextInt(100) < 40) {
                String key = item.ref() + "/claim";
                if (forms.get(key) == null) forms.put(key, new ClaimForm(key, new byte[400 + r.nextInt(400)], t));
            }
            if (r.nextInt(100) < 6) {
                byte[] buf = labelBuffers.poll();
                buf[(int) (claims % buf.length)] = (byte) item.photoMeta().length;
                labelBuffers.add(buf);
                labels++;
                courierQueue.add(new ReturnShipment(item.ref(), "Claimant " + claims, "N" + (1 + r.nextInt(22)) + " " + (1 + r.nextInt(9)) + "PX", t));
                claims++;
            }
            while (!courierQueue.isEmpty() && courierQueue.peek().claimedAt() <= t - COURIER_SLA) { courierQueue.poll(); shipped++; }
        }
    }

    /** What the owner types: the item's colour, kind, line and date, in their own order and case. */
    static String ownerQuery(Random r, FoundItem item) {
        String[] w = item.description().replace(" found on ", " ").split(" ");
        String where = w[2] + " " + w[3];
        String q = r.nextBoolean() ? w[0] + " " + w[1] + " " + where + " " + w[4] : w[4] + " " + where + " " + w[0] + " " + w[1];
        if (r.nextBoolean()) q = Character.toUpperCase(q.charAt(0)) + q.substring(1);
        return r.nextInt(100) < 20 ? q + "  " : q;
    }

    static String randomQuery(Random r, long now) {
        StringBuilder q = new StringBuilder();
        String colour = COLOURS[r.nextInt(COLOURS.length)];
        q.append(r.nextBoolean() ? Character.toUpperCase(colour.charAt(0)) + colour.substring(1) : colour);
        if (r.nextInt(100) < 30) q.append(' ').append(BRANDS[r.nextInt(BRANDS.length)]);
        q.append(' ').append(KINDS[r.nextInt(KINDS.length)]);
        q.append(r.nextBoolean() ? " line " + (1 + r.nextInt(12)) : " route " + (1 + r.nextInt(300)));
        q.append(' ').append(LocalDate.ofInstant(Instant.ofEpochMilli(now - (long) r.nextInt(30) * DAY), ZoneOffset.UTC));
        int extra = r.nextInt(100);
        if (extra < 25) q.append(" name tag ").append(SURNAMES[r.nextInt(SURNAMES.length)]);
        else if (extra < 40) q.append(" ends ").append(1_000 + r.nextInt(9_000));
        if (r.nextInt(100) < 15) q.append("  ");
        return q.toString();
    }

    static LostPropertyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(112_040_001);
        LostPropertyService svc = new LostPropertyService();
        SERVICE = svc;
        for (int s = 0; s < STATIONS; s++) {
            double[] perHalfHour = new double[48];
            for (int k = 0; k < perHalfHour.length; k++) perHalfHour[k] = rnd.nextDouble() * 6;
            svc.stationCodes[s] = "ST" + (300 + s);
            STATIONS_BY_CODE.put(svc.stationCodes[s], new Station(svc.stationCodes[s], "Station " + s, perHalfHour));
            svc.byStation.put(svc.stationCodes[s], new ArrayList<>());
        }
        for (int i = 0; i < ITEMS; i++) {
            String ref = "LP" + (7_000_000 + i * 3);
            String station = svc.stationCodes[rnd.nextInt(STATIONS)];
            // A whole day before today's (UTC), then a time of that day: the dates, and so the
            // distinct query texts, are the same whatever time of day the program runs at.
            long foundAt = now - now % DAY - (long) (rnd.nextInt(30) + 1) * DAY + rnd.nextInt(86_400) * 1_000L;
            String desc = COLOURS[rnd.nextInt(COLOURS.length)] + " " + KINDS[rnd.nextInt(KINDS.length)] + " found on " + (rnd.nextBoolean() ? "line " + (1 + rnd.nextInt(12)) : "route " + (1 + rnd.nextInt(300)))
                    + " " + LocalDate.ofInstant(Instant.ofEpochMilli(foundAt), ZoneOffset.UTC) + (rnd.nextInt(4) == 0 ? " name tag " + SURNAMES[rnd.nextInt(SURNAMES.length)] : "");
            FoundItem item = new FoundItem(ref, station, desc, foundAt, new byte[150 + rnd.nextInt(150)]);
            svc.items.put(ref, item);
            svc.byStation.get(station).add(item);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        svc.matcher.primeFixedShapes(start);
        Random traffic = new Random(112_040_002);
        int searches = HOURS * SEARCHES_PER_HOUR;
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            svc.search(traffic, t, now);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val112.fixed");
        simulate();
        LostPropertyService svc = SERVICE;
        QueryMatcher m = svc.matcher;
        int searches = HOURS * SEARCHES_PER_HOUR;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " items " + svc.items.size() + " searches " + svc.searches + " (repeats " + svc.repeats + ", hits " + svc.hits
                + ") patterns cached " + m.patternCache.size() + " (compiled " + m.compiled + ", cache hits " + m.cacheHits + ") forms " + svc.forms.size() + " (evicted " + svc.forms.evicted + ") labels " + svc.labels
                + " pool " + svc.labelBuffers.size() + " claims " + svc.claims + " shipped " + svc.shipped + " courier backlog " + svc.courierQueue.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.items.size() == ITEMS, "reference data / directory");
        check(svc.searches == searches, "traffic");
        if (FIXED) check(m.patternCache.size() == 4 && m.compiled == 4, "fixed: the 4 fixed shapes only");
        else check(m.patternCache.size() == m.compiled && m.compiled + m.cacheHits == searches + 4, "a pattern per distinct query: " + m.patternCache.size());
        check(svc.forms.size() == FORM_CAP && svc.forms.evicted > 0, "claim-form cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.searchLog[RING - 1] != null, "ring");
        check(svc.courierQueue.size() > 0 && svc.courierQueue.size() < 400 && svc.claims == svc.shipped + svc.courierQueue.size(), "courier backlog");
        svc = null; m = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
