// hprofscan-dump: name=val49-leak-maltsters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val49-leak-maltsters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 49 (written blind), LEAK: the quote service of a maltings that sells malt to
 * breweries. Malt-spec reference data, the brewery account directory, a cache of rendered spec
 * sheets at its cap, a pool of lab-report buffers, a ring of issued quotes and a "config loaded"
 * future completed at startup (requests chain on it and run at once). Quotes are priced
 * provisionally and every request attaches a callback to the "price book ready" future to reprice
 * the quote with the day's barley price book once it is loaded (capturing the quote request with
 * its brew-sheet attachment). The loader's first attempt failed (exchange feed timed out) and the
 * failure was swallowed: nothing ever completes the future, so every callback stays on it.
 * See VALIDATION49.md.
 */
public final class Val49LeakMaltsters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MALTS = 900, BREWERIES = 22_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, QUOTES_PER_HOUR = 1_200;
    static boolean FIXED;

    record MaltSpec(String code, String family, double[] kilningCurve) {}
    record Brewery(String account, String name, byte[] profile, long since) {}
    record SpecSheet(String key, byte[] rendered, long at) {}
    record Config(String currency, int vatPermille, long loadedAt) {}
    record PriceBook(Map<String, Double> perTonne, long at) {}
    record Quote(String quoteNo, String account, String malt, int tonnes, long provisionalCents, long at) {}

    /** A quote request with the brewer's brew sheet attached. */
    static final class QuoteRequest {
        final String requestId, account, malt;
        final int tonnes;
        final long at;
        final byte[] brewSheet;
        long repricedCents = -1;
        QuoteRequest(String requestId, String account, String malt, int tonnes, long at, byte[] brewSheet) {
            this.requestId = requestId; this.account = account; this.malt = malt; this.tonnes = tonnes; this.at = at; this.brewSheet = brewSheet;
        }
    }

    static final class SheetCache extends LinkedHashMap<String, SpecSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SpecSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, MaltSpec> MALTS_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Brewery> breweries = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> labBuffers = new ArrayDeque<>();
        final Quote[] recentQuotes = new Quote[RING];
        long quotes, repriced, configUses;
        final CompletableFuture<Config> configLoaded = new CompletableFuture<>();
        final CompletableFuture<PriceBook> priceBookReady = new CompletableFuture<>();
        int loadAttempts;

        /** Loads the day's price book from the barley exchange; the first attempt times out. */
        PriceBook fetchPriceBook(long at) {
            loadAttempts++;
            if (loadAttempts == 1) throw new IllegalStateException("exchange feed timed out");
            Map<String, Double> prices = new HashMap<>();
            for (String code : MALTS_BY_CODE.keySet()) prices.put(code, 380.0 + (code.hashCode() & 0xff));
            return new PriceBook(prices, at);
        }

        /** Startup / retry path of the price-book loader. */
        boolean loadPriceBook(long at) {
            try {
                priceBookReady.complete(fetchPriceBook(at));
                return true;
            } catch (RuntimeException e) {
                // BUG: the failure is swallowed; nobody completes (or retries) priceBookReady
                return false;
            }
        }

        void reprice(QuoteRequest req, PriceBook book) {
            double perTonne = book.perTonne().getOrDefault(req.malt, 400.0);
            req.repricedCents = Math.round(perTonne * 100 * req.tonnes);
            repriced++;
        }

        Quote quote(QuoteRequest req, Random r) {
            configLoaded.thenAccept(c -> configUses++); // completed at startup: runs at once
            long provisional = 40_000L * req.tonnes + r.nextInt(10_000);
            Quote q = new Quote("Q" + (60_000_000L + quotes), req.account, req.malt, req.tonnes, provisional, req.at);
            recentQuotes[(int) (quotes++ % RING)] = q;
            priceBookReady.thenAccept(book -> reprice(req, book)); // waits for the price book
            return q;
        }
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val49.fixed");
        int quotes = QUOTES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(49_020_001);
        String[] families = {"Pale", "Pilsner", "Munich", "Vienna", "Crystal", "Chocolate", "Black", "Wheat", "Smoked", "Peated"};
        String[] maltCodes = new String[MALTS];
        for (int m = 0; m < MALTS; m++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = 50 + rnd.nextDouble() * 60;
            maltCodes[m] = "MLT-" + (700 + m);
            MALTS_BY_CODE.put(maltCodes[m], new MaltSpec(maltCodes[m], families[m % families.length], curve));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] accounts = new String[BREWERIES];
        for (int b = 0; b < BREWERIES; b++) {
            accounts[b] = "BRW" + (80_000 + b * 3);
            svc.breweries.put(accounts[b], new Brewery(accounts[b], "Brewery " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labBuffers.add(new byte[32_768]);
        svc.configLoaded.complete(new Config("EUR", 190, start));
        boolean loaded = svc.loadPriceBook(start); // fails: feed timed out
        long retryAt = start + 3 * MINUTE;
        Random traffic = new Random(49_020_002);
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            if (FIXED && !loaded && t >= retryAt) { loaded = svc.loadPriceBook(retryAt); retryAt += 3 * MINUTE; } // fix: retry until loaded
            String account = accounts[traffic.nextInt(BREWERIES)];
            String malt = maltCodes[traffic.nextInt(MALTS)];
            QuoteRequest req = new QuoteRequest("QR-" + Long.toHexString(0xa11_0000_0000L + i * 31L), account, malt, 1 + traffic.nextInt(40), t, new byte[200 + traffic.nextInt(400)]);
            svc.quote(req, traffic);
            String key = "sheet-" + traffic.nextInt(4_500);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new SpecSheet(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.labBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labBuffers.add(buf);
        }
        int waiting = svc.priceBookReady.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "malts " + MALTS_BY_CODE.size() + " breweries " + svc.breweries.size() + " quotes " + svc.quotes + " price book loaded " + svc.priceBookReady.isDone()
                + " (attempts " + svc.loadAttempts + ") callbacks waiting " + waiting + " repriced " + svc.repriced + " config uses " + svc.configUses
                + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.labBuffers.size());
        check(MALTS_BY_CODE.size() == MALTS && svc.breweries.size() == BREWERIES, "reference data / directory");
        check(svc.quotes == quotes && svc.configUses == quotes && svc.configLoaded.getNumberOfDependents() == 0, "quotes");
        if (FIXED) check(svc.priceBookReady.isDone() && waiting == 0 && svc.repriced == quotes, "price book loaded, all repriced");
        else check(!svc.priceBookReady.isDone() && waiting == quotes && svc.repriced == 0, "every callback waiting: " + waiting);
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.labBuffers.size() == POOL, "pool");
        check(svc.recentQuotes[RING - 1] != null, "quote ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
