// hprofscan-dump: name=val104-leak-rarebooks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val104-leak-rarebooks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val104-leak-rarebooks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val104-leak-rarebooks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation set 104 (written blind), LEAK: the catalogue search of a rare-book marketplace.
 * Dealer reference data, the listing directory, an LRU of compiled page templates at its cap, a
 * pool of render buffers, a ring of recent searches, and a filter compiler that turns the free text
 * a user types into the search box into a case-insensitive java.util.regex.Pattern and keeps every
 * compiled filter in a HashMap keyed by (text, flags), never evicted. Free text is almost never
 * typed twice. See VALIDATION104.md.
 */
public final class Val104LeakRareBooks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEALERS = 1_000, LISTINGS = 24_000, TEMPLATE_CAP = 300, POOL = 8, RING = 2_048, SEARCHES_PER_HOUR = 2_000, FILTER_CAP = 256;
    static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    static boolean FIXED;

    record Dealer(String code, String city, double[] monthlySales) {}
    record Listing(String stockNo, String dealerCode, String title, byte[] conditionNotes, long listedAt) {}
    record CompiledTemplate(String key, String[] literals, byte[] code, long compiledAt) {}
    record SearchLog(String text, int hits, long at) {}
    record FilterKey(String text, int flags) {}
    record CompiledFilter(Pattern pattern, String regex, long compiledAt) {}

    static final class TemplateCache extends LinkedHashMap<String, CompiledTemplate> {
        long evicted;
        TemplateCache() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CompiledTemplate> e) { if (size() > TEMPLATE_CAP) { evicted++; return true; } return false; }
    }

    /** Compiles search-box text into a Pattern; BUG: caches every compiled filter forever. */
    static final class FilterCompiler {
        final Map<FilterKey, CompiledFilter> compiled = FIXED ? new LinkedHashMap<>(512, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<FilterKey, CompiledFilter> e) { return size() > FILTER_CAP; }
        } : new HashMap<>();
        long lookups, compilations;
        CompiledFilter filter(String text, long at) {
            lookups++;
            FilterKey key = new FilterKey(text, FLAGS);
            CompiledFilter f = compiled.get(key);
            if (f == null) {
                StringBuilder re = new StringBuilder();
                for (String word : text.trim().split("\\s+")) {
                    if (re.length() > 0) re.append(".*");
                    if (word.endsWith("*")) re.append(Pattern.quote(word.substring(0, word.length() - 1))).append("\\w*");
                    else re.append(Pattern.quote(word));
                }
                String regex = re.toString();
                f = new CompiledFilter(Pattern.compile(regex, FLAGS), regex, at);
                compilations++;
                compiled.put(key, f);
            }
            return f;
        }
    }

    static final Map<String, Dealer> DEALERS_BY_CODE = new HashMap<>();

    static final class Marketplace {
        final Map<String, Listing> listings = new HashMap<>();
        final TemplateCache templates = new TemplateCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final SearchLog[] recentSearches = new SearchLog[RING];
        long searches;
        final FilterCompiler filters = new FilterCompiler();
    }

    static Marketplace SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] WORDS = {"dickens", "austen", "bronte", "hardy", "eliot", "trollope", "thackeray", "gaskell", "conrad", "kipling", "stevenson", "wilde", "shelley", "byron", "keats",
        "milton", "defoe", "swift", "sterne", "fielding", "richardson", "scott", "burns", "blake", "tennyson", "browning", "rossetti", "morris", "ruskin", "carroll", "lear", "potter", "barrie",
        "grahame", "nesbit", "doyle", "wells", "verne", "dumas", "hugo", "balzac", "flaubert", "zola", "tolstoy", "dostoevsky", "chekhov", "turgenev", "goethe", "schiller", "dante", "boccaccio",
        "cervantes", "first", "edition", "signed", "inscribed", "vellum", "calf", "morocco", "gilt", "folio", "quarto", "octavo", "plates", "maps", "engraved", "illustrated", "private", "press",
        "kelmscott", "doves", "golden", "cockerel", "limited", "proof", "uncut", "unopened", "jacket", "provenance", "bookplate", "binding", "rebacked", "foxing", "atlas", "herbal", "bible",
        "psalter", "almanac", "voyage", "travels", "letters", "poems", "sonnets", "essays", "sermons", "novel", "tales", "stories", "history", "natural", "botany", "birds", "insects", "fishing",
        "hunting", "cookery", "gardening", "architecture", "astronomy", "navigation", "medicine", "anatomy", "chemistry", "mathematics", "london", "paris", "edinburgh", "dublin", "boston"};

    static String freeText(Random r) {
        StringBuilder sb = new StringBuilder(WORDS[r.nextInt(WORDS.length)]);
        sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
        if (r.nextInt(3) > 0) sb.append(' ').append(1_650 + r.nextInt(300));
        if (r.nextInt(3) == 0) { String w = WORDS[r.nextInt(WORDS.length)]; sb.append(' ').append(r.nextBoolean() ? w.substring(0, Math.min(4, w.length())) + "*" : w); }
        return sb.toString();
    }

    static void build(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int searches = SEARCHES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(104_010_001);
        String[] dealerCodes = new String[DEALERS];
        for (int d = 0; d < DEALERS; d++) {
            double[] sales = new double[64];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 4_000;
            dealerCodes[d] = "ABA-" + (2_000 + d);
            DEALERS_BY_CODE.put(dealerCodes[d], new Dealer(dealerCodes[d], "City " + (d % 150), sales));
        }
        Marketplace svc = new Marketplace();
        SERVICE = svc;
        String[] titles = new String[LISTINGS];
        for (int l = 0; l < LISTINGS; l++) {
            String stockNo = "RB" + (3_000_000 + l * 3);
            titles[l] = WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)] + " " + (1_650 + rnd.nextInt(300));
            svc.listings.put(stockNo, new Listing(stockNo, dealerCodes[rnd.nextInt(DEALERS)], titles[l], new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        String[] popular = new String[40];
        Random pr = new Random(104_010_003);
        for (int p = 0; p < popular.length; p++) popular[p] = freeText(pr);
        Random traffic = new Random(104_010_002);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            String text = traffic.nextInt(20) == 0 ? popular[traffic.nextInt(popular.length)] : freeText(traffic);
            distinct.add(text);
            Pattern p = svc.filters.filter(text, t).pattern();
            int hits = 0;
            for (int k = 0; k < 12; k++) if (p.matcher(titles[traffic.nextInt(LISTINGS)]).find()) hits++;
            svc.recentSearches[(int) (svc.searches++ % RING)] = new SearchLog(text, hits, t);
            String tkey = "tpl-" + dealerCodes[traffic.nextInt(DEALERS)] + "-" + (traffic.nextBoolean() ? "list" : "detail");
            if (svc.templates.get(tkey) == null) {
                String[] lits = new String[4 + traffic.nextInt(5)];
                for (int k = 0; k < lits.length; k++) lits[k] = "<div class=\"s" + k + "\">";
                svc.templates.put(tkey, new CompiledTemplate(tkey, lits, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        FilterCompiler f = svc.filters;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " dealers " + DEALERS_BY_CODE.size() + " listings " + svc.listings.size() + " searches " + svc.searches + " distinct texts " + distinct.size()
                + " filters cached " + f.compiled.size() + " (compilations " + f.compilations + ") templates " + svc.templates.size() + " (evicted " + svc.templates.evicted + ") pool " + svc.renderBuffers.size());
        check(DEALERS_BY_CODE.size() == DEALERS && svc.listings.size() == LISTINGS, "reference data / directory");
        check(svc.searches == searches && f.lookups == searches && svc.recentSearches[RING - 1] != null, "search ring");
        if (FIXED) check(f.compiled.size() == FILTER_CAP, "bounded filter cache");
        else check(f.compiled.size() == distinct.size() && f.compilations == distinct.size(), "filter cache keeps every text: " + f.compiled.size());
        check(svc.templates.size() == TEMPLATE_CAP && svc.templates.evicted > 0, "template cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val104.fixed");
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
