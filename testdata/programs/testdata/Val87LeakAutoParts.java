// hprofscan-dump: name=val87-leak-autoparts-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val87-leak-autoparts-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val87-leak-autoparts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val87-leak-autoparts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 87 (written blind), LEAK: the parts-search service of an online car-parts shop.
 * Warehouse reference data, the parts directory keyed by part number, a cache of rendered fitment
 * pages at its cap, a pool of image buffers, a ring of recent searches, and a search-suggestion
 * trie (a tree of TrieNode, each with a HashMap of children by character). The trie is seeded at
 * startup from the catalogue's phrases ("brake pads ford focus"), but the search handler also
 * inserts every query users type, raw: typos, years, VINs, registration plates, part and order
 * numbers. Nothing prunes it, so it grows with the traffic. See VALIDATION87.md.
 */
public final class Val87LeakAutoParts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WAREHOUSES = 1_000, PARTS = 24_000, FITMENT_CAP = 2_000, POOL = 8, RING = 2_048, QUERIES_PER_HOUR = 2_000;
    static boolean FIXED;

    static final String[] CATEGORIES = {"brake pads", "brake discs", "oil filter", "air filter", "cabin filter", "spark plugs",
        "wiper blades", "timing belt", "water pump", "alternator", "starter motor", "clutch kit", "shock absorber", "coil spring",
        "wheel bearing", "cv joint", "exhaust back box", "catalytic converter", "radiator", "thermostat", "headlight bulb", "battery",
        "glow plugs", "fuel pump", "drop link", "track rod end", "control arm", "engine mount", "egr valve", "lambda sensor"};
    static final String[] MAKES = {"ford", "vauxhall", "volkswagen", "bmw", "audi", "toyota", "nissan", "peugeot", "renault", "honda",
        "mercedes", "skoda", "seat", "kia", "hyundai", "fiat", "citroen", "mazda", "volvo", "mini"};
    static final String[][] MODELS = {
        {"fiesta", "focus", "mondeo", "kuga", "transit"}, {"corsa", "astra", "insignia", "mokka", "zafira"},
        {"polo", "golf", "passat", "tiguan", "touran"}, {"1 series", "3 series", "5 series", "x1", "x3"},
        {"a1", "a3", "a4", "a6", "q5"}, {"yaris", "corolla", "auris", "rav4", "prius"}, {"micra", "juke", "qashqai", "note", "leaf"},
        {"208", "308", "2008", "3008", "partner"}, {"clio", "megane", "captur", "scenic", "kangoo"}, {"jazz", "civic", "cr-v", "hr-v", "accord"},
        {"a class", "c class", "e class", "sprinter", "vito"}, {"fabia", "octavia", "superb", "yeti", "kodiaq"},
        {"ibiza", "leon", "ateca", "arona", "alhambra"}, {"picanto", "rio", "ceed", "sportage", "niro"}, {"i10", "i20", "i30", "tucson", "kona"},
        {"500", "panda", "punto", "tipo", "doblo"}, {"c1", "c3", "c4", "berlingo", "dispatch"}, {"mazda2", "mazda3", "mazda6", "cx-5", "mx-5"},
        {"v40", "v60", "xc40", "xc60", "xc90"}, {"one", "cooper", "countryman", "clubman", "paceman"}};
    static final String VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

    record Warehouse(String code, String town, double[] weeklyStockForecast) {}
    record Part(String partNumber, String category, String make, byte[] fitmentData, long listedAt) {}
    record FitmentPage(String key, byte[] rendered, long at) {}
    record Search(String query, String sessionId, int results, long at) {}

    /** One node of the suggestion trie: children by next character. */
    static final class TrieNode {
        final Map<Character, TrieNode> children = new HashMap<>(4);
        int count;          // times a phrase ending here was typed (0: prefix only)
        long lastTypedAt;
    }

    static final class SuggestionTrie {
        final TrieNode root = new TrieNode();
        long nodes = 1, phrases, inserts, bumps;
        /** Adds the phrase (creating its missing nodes) and counts it. */
        void insert(String phrase, long at) {
            TrieNode n = root;
            for (int i = 0; i < phrase.length(); i++) {
                Character c = phrase.charAt(i);
                TrieNode next = n.children.get(c);
                if (next == null) { next = new TrieNode(); n.children.put(c, next); nodes++; }
                n = next;
            }
            if (n.count == 0) phrases++;
            n.count++; n.lastTypedAt = at; inserts++;
        }
        /** Counts an existing phrase; never creates nodes. */
        boolean bump(String phrase, long at) {
            TrieNode n = root;
            for (int i = 0; i < phrase.length() && n != null; i++) n = n.children.get(phrase.charAt(i));
            if (n == null || n.count == 0) return false;
            n.count++; n.lastTypedAt = at; bumps++;
            return true;
        }
        long countNodes() {
            long c = 0; ArrayDeque<TrieNode> stack = new ArrayDeque<>(); stack.push(root);
            while (!stack.isEmpty()) { TrieNode n = stack.pop(); c++; n.children.forEach((ch, k) -> stack.push(k)); }
            return c;
        }
        long countPhrases() {
            long c = 0; ArrayDeque<TrieNode> stack = new ArrayDeque<>(); stack.push(root);
            while (!stack.isEmpty()) { TrieNode n = stack.pop(); if (n.count > 0) c++; n.children.forEach((ch, k) -> stack.push(k)); }
            return c;
        }
    }

    static final class FitmentCache extends LinkedHashMap<String, FitmentPage> {
        long evicted;
        FitmentCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FitmentPage> e) { if (size() > FITMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Warehouse> WAREHOUSES_BY_CODE = new HashMap<>();

    static final class PartsService {
        final Map<String, Part> parts = new HashMap<>();
        final FitmentCache fitmentPages = new FitmentCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Search[] recentSearches = new Search[RING];
        long searches;
        final SuggestionTrie suggestions = new SuggestionTrie();
        long catalogueNodes, cataloguePhrases;

        /** The search handler: looks the query up, records it, renders fitment if it hit a part. */
        void search(String raw, String canonical, String sessionId, Random r, long at) {
            String q = raw.trim().toLowerCase();
            Part exact = parts.get(q.toUpperCase());
            int results = exact != null ? 1 : canonical != null ? 5 + r.nextInt(40) : r.nextInt(3);
            if (FIXED) {
                if (canonical != null) suggestions.bump(canonical, at); // only known phrases are counted
            } else {
                suggestions.insert(q, at); // BUG: every typed query becomes a suggestion, never pruned
            }
            recentSearches[(int) (searches++ % RING)] = new Search(raw, sessionId, results, at);
            String key = "fit-" + r.nextInt(5_000);
            if (fitmentPages.get(key) == null) fitmentPages.put(key, new FitmentPage(key, new byte[500 + r.nextInt(500)], at));
            byte[] buf = imageBuffers.poll();
            buf[(int) (searches % buf.length)] = (byte) results;
            imageBuffers.add(buf);
        }
    }

    static PartsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String typo(String s, Random r) {
        int p = r.nextInt(s.length() - 1);
        switch (r.nextInt(4)) {
            case 0: return s.substring(0, p) + s.charAt(p + 1) + s.charAt(p) + s.substring(p + 2);   // swapped
            case 1: return s.substring(0, p) + s.substring(p + 1);                                  // dropped
            case 2: return s.substring(0, p + 1) + s.charAt(p) + s.substring(p + 1);                // doubled
            default: return s.substring(0, p) + (char) ('a' + r.nextInt(26)) + s.substring(p + 1);  // wrong key
        }
    }

    static PartsService build(int hours, long now, long start, long end) {
        Random rnd = new Random(87_010_001);
        String[] codes = new String[WAREHOUSES];
        for (int w = 0; w < WAREHOUSES; w++) {
            double[] forecast = new double[64];
            for (int k = 0; k < forecast.length; k++) forecast[k] = rnd.nextDouble() * 500;
            codes[w] = "WH-" + (2_000 + w);
            WAREHOUSES_BY_CODE.put(codes[w], new Warehouse(codes[w], "Depot " + (w % 250), forecast));
        }
        PartsService svc = new PartsService();
        String[] partNumbers = new String[PARTS];
        for (int p = 0; p < PARTS; p++) {
            partNumbers[p] = "PN-" + (3_000_000 + p * 7);
            svc.parts.put(partNumbers[p], new Part(partNumbers[p], CATEGORIES[p % CATEGORIES.length], MAKES[rnd.nextInt(MAKES.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        // Seed: the catalogue's phrases (category + make, category + make + model): 3,600 phrases.
        long seededAt = start - 24 * HOUR;
        for (String c : CATEGORIES) {
            for (int m = 0; m < MAKES.length; m++) {
                svc.suggestions.insert(c + " " + MAKES[m], seededAt);
                for (String model : MODELS[m]) svc.suggestions.insert(c + " " + MAKES[m] + " " + model, seededAt);
            }
        }
        svc.catalogueNodes = svc.suggestions.nodes;
        svc.cataloguePhrases = svc.suggestions.phrases;
        Random traffic = new Random(87_010_002);
        int queries = QUERIES_PER_HOUR * hours;
        for (int i = 0; i < queries; i++) {
            long t = start + (end - MINUTE - start) * i / queries;
            String session = "s" + Integer.toHexString(0x3a000 + traffic.nextInt(4_000));
            int kind = traffic.nextInt(100);
            String raw, canonical = null;
            if (kind < 40) { // free text: category make [model] [year], sometimes misspelt
                int m = traffic.nextInt(MAKES.length);
                String phrase = CATEGORIES[traffic.nextInt(CATEGORIES.length)] + " " + MAKES[m];
                if (traffic.nextInt(10) < 6) phrase += " " + MODELS[m][traffic.nextInt(5)];
                canonical = phrase;
                raw = traffic.nextInt(10) < 4 ? phrase + " " + (2004 + traffic.nextInt(21)) : phrase;
                if (traffic.nextInt(100) < 35) raw = typo(raw, traffic);
            } else if (kind < 60) { // a part number from a box or an invoice
                raw = partNumbers[traffic.nextInt(PARTS)].toLowerCase();
                if (traffic.nextInt(10) == 0) raw = typo(raw, traffic);
            } else if (kind < 75) { // a VIN
                StringBuilder v = new StringBuilder(17);
                for (int k = 0; k < 17; k++) v.append(VIN_CHARS.charAt(traffic.nextInt(VIN_CHARS.length())));
                raw = v.toString();
            } else if (kind < 90) { // a registration plate
                raw = "" + (char) ('A' + traffic.nextInt(26)) + (char) ('A' + traffic.nextInt(26)) + (10 + traffic.nextInt(64)) + " "
                        + (char) ('A' + traffic.nextInt(26)) + (char) ('A' + traffic.nextInt(26)) + (char) ('A' + traffic.nextInt(26));
            } else { // an order number pasted from the confirmation e-mail
                raw = "order " + (7_000_000 + traffic.nextInt(900_000));
            }
            svc.search(raw, canonical, session, traffic, t);
        }
        return svc;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val87.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        PartsService svc = build(hours, now, start, end);
        SERVICE = svc;
        SuggestionTrie trie = svc.suggestions;
        long nodes = trie.countNodes(), phrases = trie.countPhrases();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " warehouses " + WAREHOUSES_BY_CODE.size() + " parts " + svc.parts.size() + " searches " + svc.searches
                + " trie nodes " + nodes + " (catalogue " + svc.catalogueNodes + ", typed " + (nodes - svc.catalogueNodes) + ") phrases " + phrases + " (catalogue " + svc.cataloguePhrases
                + ") inserts " + trie.inserts + " bumps " + trie.bumps + " fitment " + svc.fitmentPages.size() + " (evicted " + svc.fitmentPages.evicted + ") pool " + svc.imageBuffers.size());
        check(WAREHOUSES_BY_CODE.size() == WAREHOUSES && svc.parts.size() == PARTS, "reference data / directory");
        check(svc.searches == (long) QUERIES_PER_HOUR * hours, "traffic");
        check(nodes == trie.nodes && phrases == trie.phrases, "trie bookkeeping: " + nodes + " / " + trie.nodes);
        check(svc.cataloguePhrases == CATEGORIES.length * MAKES.length * 6, "catalogue phrases");
        if (FIXED) check(nodes == svc.catalogueNodes && phrases == svc.cataloguePhrases, "fixed trie stays the catalogue");
        else check(trie.inserts == svc.cataloguePhrases + svc.searches && nodes > 2 * svc.catalogueNodes, "trie keeps every typed query: " + nodes);
        check(svc.fitmentPages.size() == FITMENT_CAP && svc.fitmentPages.evicted > 0, "fitment cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.recentSearches[RING - 1] != null, "ring");
        LeakCheck.histogram(" [I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
