// hprofscan-dump: name=val30-leak-operahouse jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val30-leak-operahouse-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 30 (written blind), LEAK: the ticketing service of an opera house. Production
 * reference data, the patron directory, a cache of rendered seat maps at its cap, a pool of
 * ticket-printer buffers, a ring of sold tickets and a per-thread scratch buffer. The pricing
 * pipeline's config is reloaded every 5 minutes; each reload wraps the current Pipeline in three
 * new decorators (seat surcharges, promo discounts, fee rounding) instead of rebuilding it on the
 * base pricing, so Pipeline.current is a chain that grows by three stages per reload and keeps
 * every old stage with its tables. See VALIDATION30.md.
 */
public final class Val30LeakOperaHouse {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PRODUCTIONS = 400, PATRONS = 28_000, SEATS = 2_400, TIERS = 4, PROMOS = 120, BANDS = 256,
            SEATMAP_CAP = 2_000, POOL = 8, RING = 16_384, TICKETS_PER_HOUR = 3_000, HOURS = 10;
    static boolean FIXED;

    record Production(String code, String title, double[] demandByWeek, long premieredAt) {}
    record Patron(String patronId, String name, String tier, byte[] preferences, long joinedAt) {}
    record SeatMap(String key, byte[] rendered, long at) {}
    record Ticket(long ticketNo, String productionCode, int seat, int tier, long cents, long soldAt) {}

    /** The pricing pipeline; {@code current} is what the box office calls. */
    abstract static class Pipeline {
        static Pipeline current;
        abstract long price(int seat, int tier, String promo);
    }

    static final class BasePricing extends Pipeline {
        final int[] basePriceBySeatTier;
        BasePricing(int[] basePriceBySeatTier) { this.basePriceBySeatTier = basePriceBySeatTier; }
        @Override long price(int seat, int tier, String promo) { return basePriceBySeatTier[seat * TIERS + tier]; }
    }

    abstract static class Decorator extends Pipeline {
        final Pipeline delegate;
        final int generation;
        final long loadedAt;
        Decorator(Pipeline delegate, int generation, long loadedAt) { this.delegate = delegate; this.generation = generation; this.loadedAt = loadedAt; }
    }

    static final class SeatSurcharge extends Decorator {
        final int[] surchargeBySeatTier;
        SeatSurcharge(Pipeline d, int g, long at, int[] s) { super(d, g, at); surchargeBySeatTier = s; }
        @Override long price(int seat, int tier, String promo) { return delegate.price(seat, tier, promo) + surchargeBySeatTier[seat * TIERS + tier]; }
    }

    static final class PromoDiscount extends Decorator {
        final Map<String, Integer> percentByCode;
        PromoDiscount(Pipeline d, int g, long at, Map<String, Integer> p) { super(d, g, at); percentByCode = p; }
        @Override long price(int seat, int tier, String promo) {
            long p = delegate.price(seat, tier, promo);
            Integer pct = promo == null ? null : percentByCode.get(promo);
            return pct == null ? p : p * (100 - pct) / 100;
        }
    }

    static final class FeeRounding extends Decorator {
        final long[] feeByPriceBand;
        final String configVersion;
        FeeRounding(Pipeline d, int g, long at, long[] f, String v) { super(d, g, at); feeByPriceBand = f; configVersion = v; }
        @Override long price(int seat, int tier, String promo) {
            long p = delegate.price(seat, tier, promo);
            long withFee = p + feeByPriceBand[(int) Math.min(BANDS - 1, p / 1_000)];
            return (withFee + 49) / 50 * 50;
        }
    }

    static final class SeatMapCache extends LinkedHashMap<String, SeatMap> {
        long evicted;
        SeatMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMap> e) { if (size() > SEATMAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Production> PRODUCTIONS_BY_CODE = new HashMap<>();

    static final class BoxOffice {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
        final Map<String, Patron> patrons = new HashMap<>();
        final SeatMapCache seatMaps = new SeatMapCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Ticket[] sold = new Ticket[RING];
        BasePricing base;
        long tickets, reloads;

        /** Reads the pricing config and installs it. */
        void reload(Random cfg, long at) {
            int g = (int) reloads++;
            int[] surcharge = new int[SEATS * TIERS];
            for (int k = 0; k < surcharge.length; k++) surcharge[k] = cfg.nextInt(400);
            Map<String, Integer> promos = new HashMap<>();
            for (int k = 0; k < PROMOS; k++) promos.put("OPERA-" + (1_000 + (g * 37 + k * 7) % 9_000), 5 + cfg.nextInt(36));
            long[] fees = new long[BANDS];
            for (int k = 0; k < BANDS; k++) fees[k] = 150 + k * 3 + cfg.nextInt(50);
            Pipeline inner = FIXED ? base : Pipeline.current; // the fix rebuilds on the base pricing
            // BUG: wraps whatever is current, so every old stage stays in the chain
            Pipeline.current = new FeeRounding(new PromoDiscount(new SeatSurcharge(inner, g, at, surcharge), g, at, promos), g, at, fees, "pricing-v" + g);
        }
    }

    static BoxOffice SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val30.fixed");
        int tickets = TICKETS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(30_030_001);
        String[] productionCodes = new String[PRODUCTIONS];
        String[] titles = {"La traviata", "Tosca", "Carmen", "Die Zauberflöte", "Don Giovanni", "Aida", "Rigoletto", "Madama Butterfly", "Le nozze di Figaro", "La bohème"};
        for (int p = 0; p < PRODUCTIONS; p++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble();
            productionCodes[p] = "PRD-" + (1_900 + p);
            PRODUCTIONS_BY_CODE.put(productionCodes[p], new Production(productionCodes[p], titles[p % titles.length] + " (" + (1_980 + p / 10) + ")", demand, now - (long) (1 + rnd.nextInt(15_000)) * DAY));
        }
        BoxOffice svc = new BoxOffice();
        SERVICE = svc;
        String[] tiers = {"Friend", "Patron", "Benefactor", "Standard"};
        for (int p = 0; p < PATRONS; p++) {
            String id = "PT" + (8_000_000 + p * 3);
            svc.patrons.put(id, new Patron(id, "Patron " + p, tiers[p % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY));
        }
        int[] basePrices = new int[SEATS * TIERS];
        for (int k = 0; k < basePrices.length; k++) basePrices[k] = 2_500 + rnd.nextInt(20_000);
        svc.base = new BasePricing(basePrices);
        Pipeline.current = svc.base;
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random cfg = new Random(30_030_003);
        svc.reload(cfg, start); // initial load
        Random traffic = new Random(30_030_002);
        long nextReload = start + 5 * MINUTE;
        for (int i = 0; i < tickets; i++) {
            long t = start + (end - MINUTE - start) * i / tickets;
            while (nextReload <= t) { svc.reload(cfg, nextReload); nextReload += 5 * MINUTE; }
            int seat = traffic.nextInt(SEATS), tier = traffic.nextInt(TIERS);
            String promo = traffic.nextInt(4) == 0 ? "OPERA-" + (1_000 + traffic.nextInt(9_000)) : null;
            long cents = Pipeline.current.price(seat, tier, promo);
            byte[] scratch = BoxOffice.SCRATCH.get();
            scratch[i % scratch.length] = (byte) cents;
            svc.sold[(int) (svc.tickets++ % RING)] = new Ticket(40_000_000L + i, productionCodes[traffic.nextInt(PRODUCTIONS)], seat, tier, cents, t);
            String key = "map-" + traffic.nextInt(5_000);
            if (svc.seatMaps.get(key) == null) svc.seatMaps.put(key, new SeatMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.printBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printBuffers.add(buf);
        }
        int depth = 0;
        for (Pipeline p = Pipeline.current; p instanceof Decorator d; p = d.delegate) depth++;
        System.out.println((FIXED ? "FIXED " : "") + "productions " + PRODUCTIONS_BY_CODE.size() + " patrons " + svc.patrons.size() + " tickets " + svc.tickets + " reloads " + svc.reloads + " chain depth " + depth
                + " seat maps " + svc.seatMaps.size() + " (evicted " + svc.seatMaps.evicted + ") pool " + svc.printBuffers.size());
        check(PRODUCTIONS_BY_CODE.size() == PRODUCTIONS && svc.patrons.size() == PATRONS, "reference data / directory");
        check(svc.tickets == tickets && svc.reloads == HOURS * 12, "traffic: " + svc.reloads);
        if (FIXED) check(depth == 3, "one generation of decorators");
        else check(depth == 3 * svc.reloads, "every generation kept: " + depth);
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.sold[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
