// hprofscan-dump: name=val91-leak-carboncredits jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val91-leak-carboncredits-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validation set 91 (written blind), LEAK: the market-data service of a carbon-credit exchange.
 * Registry reference data, the trading-account directory, a cache of rendered quote pages at its
 * cap, a pool of FIX decode buffers, a ring of executed trades, a per-thread message scratch
 * buffer, and per-instrument price histories ({@code TreeMap<Long, Tick>} keyed by epoch
 * milliseconds) meant to keep the last hour, trimmed every minute with
 * {@code headMap(cutoff).clear()} where the cutoff is computed in seconds
 * ({@code now / 1000 - 3600}): no key is ever below it, nothing is trimmed. See VALIDATION91.md.
 */
public final class Val91LeakCarbonCredits {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGISTRIES = 900, ACCOUNTS = 20_000, INSTRUMENTS = 400, LIQUID = 40, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, TICKS_PER_HOUR = 8_000;
    static boolean FIXED;

    record Registry(String code, String standard, double[] issuanceByMonth) {}
    record Account(String accountNo, String company, byte[] kyc, long openedAt) {}
    record Tick(long at, long priceMicros, int tonnes, String venue) {}
    record QuotePage(String key, byte[] rendered, long at) {}
    record Trade(long tradeId, String symbol, String buyer, String seller, long priceMicros, int tonnes, long at) {}

    /** The last hour of ticks of one instrument, for the intraday chart. */
    static final class PriceHistory {
        final String symbol, registryCode;
        final TreeMap<Long, Tick> ticks = new TreeMap<>();
        long added, trimmed;
        PriceHistory(String symbol, String registryCode) { this.symbol = symbol; this.registryCode = registryCode; }

        void add(Tick t) { ticks.put(t.at(), t); added++; }

        /** Drops the ticks older than one hour. */
        void trim(long nowMs) {
            long cutoff = FIXED ? nowMs - HOUR : nowMs / 1000 - 3600; // BUG (unfixed): seconds since the epoch; the keys are epoch millis
            SortedMap<Long, Tick> old = ticks.headMap(cutoff);
            trimmed += old.size();
            old.clear();
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, QuotePage> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuotePage> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Registry> REGISTRIES_BY_CODE = new HashMap<>();
    static final ThreadLocal<char[]> FIX_SCRATCH = ThreadLocal.withInitial(() -> new char[8_192]);

    static final class MarketDataService {
        final Map<String, Account> accounts = new HashMap<>();
        final Map<String, PriceHistory> histories = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> fixBuffers = new ArrayDeque<>();
        final Trade[] trades = new Trade[RING];
        long tradesWritten, trims;
    }

    static MarketDataService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(MarketDataService svc, String[] symbols, String[] accountNos, long start, long end) {
        Random traffic = new Random(91_030_002);
        String[] venues = {"XCBL", "XACX", "XCTX", "OTC"};
        int ticks = TICKS_PER_HOUR * HOURS;
        long nextTrim = start + MINUTE;
        for (int i = 0; i < ticks; i++) {
            long t = start + (end - MINUTE - start) * i / ticks;
            while (nextTrim <= t) {
                for (PriceHistory h : svc.histories.values()) h.trim(nextTrim);
                svc.trims++;
                nextTrim += MINUTE;
            }
            String symbol = symbols[traffic.nextBoolean() ? traffic.nextInt(LIQUID) : traffic.nextInt(INSTRUMENTS)];
            long price = 4_000_000L + traffic.nextInt(60_000_000);
            int tonnes = 100 * (1 + traffic.nextInt(50));
            char[] scratch = FIX_SCRATCH.get();
            scratch[i % scratch.length] = (char) ('0' + i % 10);
            svc.histories.get(symbol).add(new Tick(t, price, tonnes, venues[traffic.nextInt(venues.length)]));
            if (i % 3 == 0) {
                svc.trades[(int) (svc.tradesWritten++ % RING)] = new Trade(88_000_000L + i, symbol, accountNos[traffic.nextInt(ACCOUNTS)], accountNos[traffic.nextInt(ACCOUNTS)], price, tonnes, t);
            }
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new QuotePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.fixBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.fixBuffers.add(buf);
        }
        while (nextTrim <= end) { // the trim job keeps running up to the dump
            for (PriceHistory h : svc.histories.values()) h.trim(nextTrim);
            svc.trims++;
            nextTrim += MINUTE;
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val91.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(91_030_001);
        String[] registryCodes = new String[REGISTRIES];
        String[] standards = {"VCS", "GS", "CAR", "ACR", "PURO"};
        for (int g = 0; g < REGISTRIES; g++) {
            double[] issuance = new double[72];
            for (int k = 0; k < issuance.length; k++) issuance[k] = rnd.nextDouble() * 50_000;
            registryCodes[g] = standards[g % standards.length] + "-" + (1_000 + g);
            REGISTRIES_BY_CODE.put(registryCodes[g], new Registry(registryCodes[g], standards[g % standards.length], issuance));
        }
        MarketDataService svc = new MarketDataService();
        SERVICE = svc;
        String[] accountNos = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountNos[a] = "CX" + (4_100_000 + a * 13);
            svc.accounts.put(accountNos[a], new Account(accountNos[a], "Company " + (a % 4_000), new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        String[] symbols = new String[INSTRUMENTS];
        for (int s = 0; s < INSTRUMENTS; s++) {
            String registry = registryCodes[rnd.nextInt(REGISTRIES)];
            symbols[s] = registry + "-V" + (2_015 + s % 10) + "-" + s;
            svc.histories.put(symbols[s], new PriceHistory(symbols[s], registry));
        }
        for (int b = 0; b < POOL; b++) svc.fixBuffers.add(new byte[32_768]);
        simulate(svc, symbols, accountNos, start, end);
        accountNos = null;
        long held = 0, trimmed = 0, added = 0, oldestKept = Long.MAX_VALUE;
        int nonEmpty = 0;
        for (PriceHistory h : svc.histories.values()) {
            held += h.ticks.size(); trimmed += h.trimmed; added += h.added;
            if (!h.ticks.isEmpty()) { nonEmpty++; oldestKept = Math.min(oldestKept, h.ticks.firstKey()); }
        }
        long trimsExpected = HOURS * 60;
        System.out.println((FIXED ? "FIXED " : "") + "registries " + REGISTRIES_BY_CODE.size() + " accounts " + svc.accounts.size() + " instruments " + svc.histories.size() + " (non-empty " + nonEmpty + ") ticks held " + held
                + " trimmed " + trimmed + " added " + added + " trims " + svc.trims + " oldest kept " + (end - oldestKept) / MINUTE + " min ago quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool "
                + svc.fixBuffers.size() + " trades " + svc.tradesWritten);
        check(REGISTRIES_BY_CODE.size() == REGISTRIES && svc.accounts.size() == ACCOUNTS && svc.histories.size() == INSTRUMENTS, "reference data / directory");
        check(added == (long) TICKS_PER_HOUR * HOURS && held + trimmed == added && svc.trims == trimsExpected, "ticks");
        if (FIXED) check(end - oldestKept <= HOUR && held < 2L * TICKS_PER_HOUR, "histories keep the last hour: " + held);
        else check(trimmed == 0 && held == added, "histories keep everything: " + held);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.fixBuffers.size() == POOL, "pool");
        check(svc.tradesWritten == ((long) TICKS_PER_HOUR * HOURS + 2) / 3 && svc.trades[RING - 1] != null, "trade ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
