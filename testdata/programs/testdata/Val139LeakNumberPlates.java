// hprofscan-dump: name=val139-leak-numberplates jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val139-leak-numberplates-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 139 (written blind), LEAK: the valuation API of a dealer in personalised
 * (cherished) number plates. Reference data on the registration formats, the stock of
 * registrations for sale with their entitlement certificates, a cache of rendered plate previews at
 * its cap, a pool of render buffers, a ring of recent valuations and the queue of DVLA transfer
 * applications with its normal backlog. Each valuation registers, on the valuation rules' "reloaded"
 * signal ({@code ValuationRules.reloaded}, a {@code CompletableFuture<Void>}), a {@code thenRun}
 * that re-prices its quote when the rules change, and watch-list valuations also a
 * {@code whenComplete} that notifies the watchers. The rules are reloaded only by a file watcher
 * that is disabled in production, so the signal never completes and its completion stack keeps
 * every valuation's context since start. See VALIDATION139.md.
 */
public final class Val139LeakNumberPlates {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SUBMIT_EVERY = 15 * MINUTE;
    static final int FORMATS = 1_000, STOCK = 24_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, VALUATIONS_PER_HOUR = 3_200;
    static boolean FIXED;

    record PlateFormat(String code, String description, double[] weeklyAveragePriceP) {}
    record Registration(String mark, String formatCode, int askingPriceP, String certificate, byte[] entitlement, long listedAt) {}
    record PlatePreview(String key, byte[] png, long at) {}
    record Valuation(String valuationId, String mark, int priceP, long at) {}
    record TransferApplication(String mark, String buyer, String nomineeVrm, long requestedAt) {}

    /** One valuation's working state, kept so that it can be re-priced when the rules reload. */
    static final class ValuationContext {
        final String valuationId; final String mark; final String sessionId; final int pricedAtP; final byte[] quoteSnapshot; final boolean watchlist; final long at;
        int repricedP; boolean watchersNotified;
        ValuationContext(String valuationId, String mark, String sessionId, int pricedAtP, byte[] quoteSnapshot, boolean watchlist, long at) {
            this.valuationId = valuationId; this.mark = mark; this.sessionId = sessionId; this.pricedAtP = pricedAtP; this.quoteSnapshot = quoteSnapshot; this.watchlist = watchlist; this.at = at;
        }
        void reprice() { repricedP = pricedAtP; }
        void notifyWatchers() { watchersNotified = true; }
    }

    /** The valuation rules; a reload would complete {@code reloaded} and replace it. */
    static final class ValuationRules {
        final boolean watchEnabled; // false in production: the rules file is never re-read
        final Map<String, Double> multipliers = new HashMap<>();
        CompletableFuture<Void> reloaded = new CompletableFuture<>();
        long reloads;
        ValuationRules(boolean watchEnabled) { this.watchEnabled = watchEnabled; }
        CompletableFuture<Void> onReload() { return reloaded; }
        void reload() {
            CompletableFuture<Void> done = reloaded;
            reloaded = new CompletableFuture<>();
            reloads++;
            done.complete(null);
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, PlatePreview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PlatePreview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final class PlateService {
        final Map<String, Registration> stock = new HashMap<>();
        final String[] marks = new String[STOCK];
        final ValuationRules rules = new ValuationRules(false);
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Valuation[] recentValuations = new Valuation[RING];
        final ArrayDeque<TransferApplication> transfers = new ArrayDeque<>();
        long valuations, watchlistValuations, thenRuns, whenCompletes, transfersRequested, transfersSubmitted, submissions;

        Valuation value(String mark, String session, boolean watchlist, Random r, long t) {
            Registration reg = stock.get(mark);
            double m = rules.multipliers.getOrDefault(reg.formatCode(), 1.0);
            int price = (int) (reg.askingPriceP() * m);
            String id = "VAL-" + Long.toHexString(0x2e_0000_0000L + valuations);
            ValuationContext ctx = new ValuationContext(id, mark, session, price, new byte[60 + r.nextInt(60)], watchlist, t);
            if (!FIXED) { // BUG: registered on a signal that never completes; the fix re-prices open quotes from the quote store instead
                rules.onReload().thenRun(ctx::reprice);
                thenRuns++;
                if (watchlist) { rules.onReload().whenComplete((v, error) -> ctx.notifyWatchers()); whenCompletes++; }
            }
            valuations++;
            if (watchlist) watchlistValuations++;
            Valuation val = new Valuation(id, mark, price, t);
            recentValuations[(int) (valuations % RING)] = val;
            return val;
        }
    }

    static final Map<String, PlateFormat> FORMATS_BY_CODE = new HashMap<>();
    static PlateService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String letters(Random r, int n) { StringBuilder b = new StringBuilder(); for (int i = 0; i < n; i++) b.append((char) ('A' + r.nextInt(26))); return b.toString(); }

    static void startup(long now, Random rnd) {
        String[] kinds = {"dateless", "prefix", "suffix", "current", "Northern Ireland", "initials", "name"};
        for (int f = 0; f < FORMATS; f++) {
            double[] prices = new double[52];
            for (int k = 0; k < prices.length; k++) prices[k] = 25_000 + rnd.nextDouble() * 400_000;
            String code = "FMT-" + (100 + f);
            FORMATS_BY_CODE.put(code, new PlateFormat(code, kinds[f % kinds.length] + " style " + f, prices));
        }
        PlateService svc = new PlateService();
        SERVICE = svc;
        for (int f = 0; f < FORMATS; f += 10) svc.rules.multipliers.put("FMT-" + (100 + f), 0.9 + rnd.nextDouble() * 0.3);
        for (int i = 0; i < STOCK; i++) {
            String mark;
            do {
                int kind = rnd.nextInt(4);
                mark = kind == 0 ? letters(rnd, 3) + " " + (1 + rnd.nextInt(999))
                        : kind == 1 ? letters(rnd, 1) + (1 + rnd.nextInt(999)) + " " + letters(rnd, 3)
                        : kind == 2 ? letters(rnd, 3) + " " + (1 + rnd.nextInt(999)) + letters(rnd, 1)
                        : letters(rnd, 2) + (10 + rnd.nextInt(64)) + " " + letters(rnd, 3);
            } while (svc.stock.containsKey(mark));
            svc.marks[i] = mark;
            svc.stock.put(mark, new Registration(mark, "FMT-" + (100 + rnd.nextInt(FORMATS)), 25_000 + rnd.nextInt(2_500_000), "V750-" + (40_000_000 + i), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(139_060_001);
        startup(now, rnd);
        PlateService svc = SERVICE;
        Random traffic = new Random(139_060_002);
        int valuations = VALUATIONS_PER_HOUR * HOURS;
        long nextSubmit = start + SUBMIT_EVERY;
        for (int i = 0; i < valuations; i++) {
            long t = start + (end - MINUTE - start) * i / valuations;
            while (nextSubmit <= t) { submit(svc, nextSubmit); nextSubmit += SUBMIT_EVERY; }
            String mark = svc.marks[traffic.nextInt(STOCK)];
            String session = "sess-" + Long.toHexString(0x4f1e_0000_0000L + traffic.nextInt(1 << 30));
            boolean watchlist = traffic.nextInt(5) == 0;
            svc.value(mark, session, watchlist, traffic, t);
            String key = mark + "/" + (traffic.nextBoolean() ? "front" : "rear") + "/" + (traffic.nextInt(3) == 0 ? "4d-gel" : "standard");
            if (svc.previews.get(key) == null) {
                byte[] buf = svc.renderBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.renderBuffers.add(buf);
                svc.previews.put(key, new PlatePreview(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (traffic.nextInt(40) == 0) {
                svc.transfers.addLast(new TransferApplication(mark, "BUY" + traffic.nextInt(500_000), letters(traffic, 2) + (10 + traffic.nextInt(64)) + " " + letters(traffic, 3), t));
                svc.transfersRequested++;
            }
        }
        while (nextSubmit < end) { submit(svc, nextSubmit); nextSubmit += SUBMIT_EVERY; }
    }

    /** Submits the queued transfer applications older than 5 minutes to the DVLA in one batch. */
    static void submit(PlateService svc, long t) {
        svc.submissions++;
        while (!svc.transfers.isEmpty() && svc.transfers.peekFirst().requestedAt() <= t - 5 * MINUTE) { svc.transfers.pollFirst(); svc.transfersSubmitted++; }
    }

    static void verify() {
        PlateService svc = SERVICE;
        CompletableFuture<Void> signal = svc.rules.reloaded;
        int dependents = signal.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "formats " + FORMATS_BY_CODE.size() + " stock " + svc.stock.size() + " valuations " + svc.valuations + " (watchlist " + svc.watchlistValuations
                + ") thenRun " + svc.thenRuns + " whenComplete " + svc.whenCompletes + " dependents " + dependents + " reloads " + svc.rules.reloads + " done " + signal.isDone()
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") transfers " + svc.transfersRequested + " submitted " + svc.transfersSubmitted + " in " + svc.submissions
                + " batches, backlog " + svc.transfers.size());
        check(FORMATS_BY_CODE.size() == FORMATS && svc.stock.size() == STOCK, "reference data / stock");
        check(svc.valuations == (long) VALUATIONS_PER_HOUR * HOURS && svc.rules.reloads == 0 && !signal.isDone(), "valuations, no reload");
        if (FIXED) check(dependents == 0, "no callback on the signal");
        else check(dependents == svc.valuations + svc.watchlistValuations && svc.thenRuns == svc.valuations && svc.whenCompletes == svc.watchlistValuations, "a callback per valuation: " + dependents);
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at its cap");
        check(svc.renderBuffers.size() == POOL && svc.recentValuations[RING - 1] != null, "pool / ring");
        check(svc.transfers.size() > 0 && svc.transfers.size() < 200 && svc.transfersRequested == svc.transfersSubmitted + svc.transfers.size(), "transfer backlog");
        // the truth table (VALIDATION139.md)
        check(svc.valuations == 32_000 && svc.watchlistValuations == 6_230 && dependents == (FIXED ? 0 : 38_230) && svc.transfers.size() == 28, "truth table");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val139.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
