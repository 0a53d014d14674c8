// hprofscan-dump: name=val30-leak-florists-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val30-leak-florists-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val30-leak-florists jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val30-leak-florists-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 30 (written blind), LEAK: the pricing service of a flower-delivery shop. A fixed
 * bouquet catalogue (reference data loaded once), the delivery-postcode directory, a cache of
 * rendered gift-card previews at its cap, a pool of label-printer buffers and a ring of recent
 * quotes. Every bouquet memoises its prices per (delivery date, postcode) in its own HashMap
 * (Bouquet.priceMemo); the wholesale stem prices are refreshed every 30 minutes but the memos are
 * never cleared or bounded, so they grow with every quote for as long as the process lives.
 * See VALIDATION30.md.
 */
public final class Val30LeakFlorists {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int BOUQUETS = 600, POSTCODES = 30_000, CARD_CAP = 2_000, POOL = 8, RING = 8_192, QUOTES_PER_HOUR = 6_000;
    static boolean FIXED;

    record MemoKey(int deliveryDay, String postcode) {}
    record Quote(long cents, long quotedAt, byte[] breakdown) {}
    record Postcode(String code, String district, int zone, byte[] deliveryNotes, long addedAt) {}
    record CardPreview(String key, byte[] rendered, long at) {}
    record QuoteRecord(String bouquetCode, String postcode, int deliveryDay, long cents, long at) {}

    /** Catalogue entry: reference data, plus its price memo (the leak). */
    static final class Bouquet {
        final String code, name;
        final int baseCents;
        final double[] stemCostByWeek;
        final long listedAt;
        final Map<MemoKey, Quote> priceMemo = new HashMap<>();
        long memoHits;
        Bouquet(String code, String name, int baseCents, double[] stemCostByWeek, long listedAt) {
            this.code = code; this.name = name; this.baseCents = baseCents; this.stemCostByWeek = stemCostByWeek; this.listedAt = listedAt;
        }
    }

    static final class CardCache extends LinkedHashMap<String, CardPreview> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CardPreview> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Bouquet> CATALOGUE = new HashMap<>();

    static final class PricingService {
        final Map<String, Postcode> postcodes = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final QuoteRecord[] recent = new QuoteRecord[RING];
        double wholesaleIndex = 1.0;
        long quotes, misses, missesSinceRefresh, refreshes;

        Quote quote(Bouquet b, int day, Postcode p, long at, int breakdownLen) {
            MemoKey k = new MemoKey(day, p.code());
            Quote q = b.priceMemo.get(k);
            if (q == null) {
                misses++;
                missesSinceRefresh++;
                long cents = Math.round((b.baseCents + b.stemCostByWeek[(day / 7) % 52] * 100) * wholesaleIndex) + p.zone() * 150L;
                q = new Quote(cents, at, new byte[breakdownLen]);
                b.priceMemo.put(k, q);
            } else {
                b.memoHits++;
            }
            recent[(int) (quotes++ % RING)] = new QuoteRecord(b.code, p.code(), day, q.cents(), at);
            return q;
        }

        /** Wholesale stem prices change every 30 minutes. */
        void refreshWholesale(double index) {
            wholesaleIndex = index;
            refreshes++;
            missesSinceRefresh = 0;
            if (FIXED) { // the memoised prices are stale now: drop them
                for (Bouquet b : CATALOGUE.values()) b.priceMemo.clear();
            }
            // BUG: the memos are neither cleared nor bounded
        }
    }

    static PricingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val30.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int quotes = QUOTES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        int firstDay = (int) (start / DAY);
        Random rnd = new Random(30_010_001);
        String[] styles = {"Hand-tied", "Posy", "Hatbox", "Vase", "Basket", "Wreath", "Sheaf", "Bridal"};
        String[] flowers = {"roses", "peonies", "tulips", "lilies", "freesias", "sunflowers", "ranunculus", "hydrangeas", "orchids", "gerberas"};
        Bouquet[] bouquets = new Bouquet[BOUQUETS];
        for (int b = 0; b < BOUQUETS; b++) {
            double[] stem = new double[52];
            for (int w = 0; w < stem.length; w++) stem[w] = 0.4 + rnd.nextDouble() * 2.6;
            String code = "BQ-" + (10_000 + b * 3);
            bouquets[b] = new Bouquet(code, styles[b % styles.length] + " of " + flowers[(b / styles.length) % flowers.length] + " No. " + b,
                    2_500 + rnd.nextInt(9_000), stem, now - (long) (1 + rnd.nextInt(1_800)) * DAY);
            CATALOGUE.put(code, bouquets[b]);
        }
        PricingService svc = new PricingService();
        SERVICE = svc;
        Postcode[] codes = new Postcode[POSTCODES];
        String[] areas = {"AB", "BA", "BN", "BS", "CB", "CF", "CM", "CT", "DE", "DH", "EH", "EX", "GL", "GU", "HP", "HR", "IP", "KT", "LA", "LE",
                "LN", "LS", "ME", "MK", "NE", "NG", "NR", "OX", "PE", "PL", "PO", "RG", "SG", "SL", "SN", "SO", "SP", "TN", "TQ", "YO"};
        for (int i = 0; i < POSTCODES; i++) {
            String district = areas[i % 40] + (1 + (i / 40) % 25);
            String code = district + " " + ((i / 1_000) % 10) + (char) ('A' + i / 10_000) + (char) ('A' + i % 23);
            codes[i] = new Postcode(code, district, rnd.nextInt(6), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY);
            svc.postcodes.put(code, codes[i]);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(30_010_002);
        Random wholesale = new Random(30_010_003);
        int[] lastBouquet = new int[64], lastDay = new int[64], lastPostcode = new int[64];
        long nextRefresh = start + 30 * MINUTE;
        long repeats = 0;
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            while (nextRefresh <= t) { svc.refreshWholesale(0.9 + wholesale.nextDouble() * 0.2); nextRefresh += 30 * MINUTE; }
            int bi, day, pi;
            if (i >= 64 && traffic.nextInt(5) == 0) { // the customer asks again for one of the last quotes
                int r = traffic.nextInt(64);
                bi = lastBouquet[r]; day = lastDay[r]; pi = lastPostcode[r];
                repeats++;
            } else {
                double u = traffic.nextDouble();
                bi = (int) (BOUQUETS * u * u); // popular bouquets first
                day = firstDay + 1 + traffic.nextInt(14);
                pi = traffic.nextInt(POSTCODES);
            }
            lastBouquet[i % 64] = bi; lastDay[i % 64] = day; lastPostcode[i % 64] = pi;
            svc.quote(bouquets[bi], day, codes[pi], t, 40 + traffic.nextInt(40));
            if (i % 2 == 0) {
                String key = "card-" + traffic.nextInt(5_000);
                if (svc.cards.get(key) == null) svc.cards.put(key, new CardPreview(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            }
        }
        long memoEntries = 0;
        int largest = 0, nonEmpty = 0;
        for (Bouquet b : bouquets) { memoEntries += b.priceMemo.size(); largest = Math.max(largest, b.priceMemo.size()); if (!b.priceMemo.isEmpty()) nonEmpty++; }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " bouquets " + CATALOGUE.size() + " postcodes " + svc.postcodes.size() + " quotes " + svc.quotes + " (repeats " + repeats + ", misses " + svc.misses
                + ", since last refresh " + svc.missesSinceRefresh + ") refreshes " + svc.refreshes + " memo entries " + memoEntries + " in " + nonEmpty + " bouquets (largest " + largest + ") cards " + svc.cards.size()
                + " (evicted " + svc.cards.evicted + ") pool " + svc.labelBuffers.size());
        check(CATALOGUE.size() == BOUQUETS && svc.postcodes.size() == POSTCODES, "reference data / directory");
        check(svc.quotes == quotes && svc.refreshes == hours * 2 - 1, "traffic: " + svc.refreshes);
        if (FIXED) check(memoEntries == svc.missesSinceRefresh, "memos cleared at each refresh: " + memoEntries);
        else check(memoEntries == svc.misses, "memos keep every quote: " + memoEntries);
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
