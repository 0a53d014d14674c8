// hprofscan-dump: name=taxi-fares jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=taxi-fares-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=taxi-fares-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=taxi-fares-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fare service of a taxi dispatcher: every trip is priced from the zone tariffs loaded at
 * startup ({@code FareService.tariffs}), for a driver of the directory ({@code drivers}, 4,000),
 * with quotes cached in an LRU ({@code quotes}, 1,500) and a queue of receipts to e-mail. A
 * fare the meter and the quote disagree on is corrected, and every correction is recorded for
 * the disputes desk in a static trail ({@code FareAudit.TRAIL}, an {@code ArrayList}) that a
 * housekeeping pass every ten minutes shortens, one by one from its oldest, to the newest
 * {@code TaxiFares.MAX_FARE_ADJUSTMENTS} (7,000: the constants sit in the service's outer class).
 * Nine hours of traffic, 2,500 corrections an hour.
 * <ul>
 * <li>{@code healthy}: the trail holds the 7,000 newest corrections plus those of the last ten
 * minutes at most: about 2 h 50 min of them, most over an hour old. No leak: it is capped.
 * <li>{@code leak}: the housekeeping pass only trims when the disputes desk is "online", a flag
 * never set in this deployment: the trail keeps every correction of the nine hours (22,500). The
 * leak is {@code FareAudit.TRAIL}.
 * </ul>
 * Deterministic (seeded) counts, printed and checked.
 */
public final class TaxiFares {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int MAX_FARE_ADJUSTMENTS = 7_000, QUOTE_CACHE_SIZE = 1_500, DRIVERS = 4_000, ZONES = 240, HOURS = 9, PER_HOUR = 2_500;
    static final long HOUSEKEEPING_EVERY = 10 * MINUTE;

    record Tariff(String zone, long baseCents, long perKmCents, double[] surgeByHour) {}

    record Driver(String licence, String name, String vehicle, long registeredAt) {}

    record FareAdjustment(long at, String tripId, String licence, long quotedCents, long meteredCents, String reason) {}

    record Receipt(String tripId, String email, byte[] pdf, long at) {}

    /** The trail of corrections kept for the disputes desk. */
    static final class FareAudit {
        static final List<FareAdjustment> TRAIL = new ArrayList<>();
        static boolean disputesDeskOnline;
        static long recorded, dropped;

        static void record(FareAdjustment a) {
            TRAIL.add(a);
            recorded++;
        }

        /** Drops the oldest corrections beyond the cap (in the leak, only while the desk is online). */
        static void housekeeping(boolean leak) {
            if (leak && !disputesDeskOnline) return;
            while (TRAIL.size() > MAX_FARE_ADJUSTMENTS) {
                TRAIL.remove(0);
                dropped++;
            }
        }
    }

    static final class FareService {
        final Map<String, Tariff> tariffs = new HashMap<>();
        final Map<String, Driver> drivers = new HashMap<>();
        final Map<String, long[]> quotes = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> e) {
                return size() > QUOTE_CACHE_SIZE;
            }
        };
        final ArrayDeque<Receipt> outbox = new ArrayDeque<>();
        long trips, emailed;
    }

    static FareService SERVICE;

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected: " + what);
    }

    static void simulate(FareService s, long start, long end, boolean leak) {
        Random rnd = new Random(77_310);
        String[] zones = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] surge = new double[24];
            for (int h = 0; h < 24; h++) surge[h] = 1 + rnd.nextDouble();
            zones[z] = "Z" + (100 + z);
            s.tariffs.put(zones[z], new Tariff(zones[z], 250 + rnd.nextInt(200), 120 + rnd.nextInt(80), surge));
        }
        String[] licences = new String[DRIVERS];
        for (int d = 0; d < DRIVERS; d++) {
            licences[d] = "PCO-" + (400_000 + d * 13);
            s.drivers.put(licences[d], new Driver(licences[d], "Driver " + d, "LX" + (10 + d % 90) + " " + (char) ('A' + d % 26) + "BC",
                    start - (30L + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        int corrections = HOURS * PER_HOUR;
        long nextHousekeeping = start + HOUSEKEEPING_EVERY;
        for (int i = 0; i < corrections; i++) {
            long t = start + (end - MINUTE - start) * i / corrections;
            while (nextHousekeeping <= t) {
                FareAudit.housekeeping(leak);
                nextHousekeeping += HOUSEKEEPING_EVERY;
            }
            String trip = "TRP-" + (90_000_000L + i * 3L);
            String zone = zones[rnd.nextInt(ZONES)];
            long quoted = 800 + rnd.nextInt(4_000);
            s.quotes.put(zone + "/" + rnd.nextInt(6_000), new long[] {quoted, t});
            long metered = quoted + rnd.nextInt(600) - 300;
            FareAudit.record(new FareAdjustment(t, trip, licences[rnd.nextInt(DRIVERS)], quoted, metered, metered > quoted ? "meter above quote" : "meter below quote"));
            s.trips++;
            s.outbox.add(new Receipt(trip, "rider" + rnd.nextInt(90_000) + "@example.com", new byte[300 + rnd.nextInt(300)], t));
            while (!s.outbox.isEmpty() && s.outbox.peek().at() <= t - 2 * MINUTE) {
                s.outbox.poll();
                s.emailed++;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        SERVICE = new FareService();
        simulate(SERVICE, end - HOURS * HOUR, end, leak);
        report(SERVICE, leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Prints the counts and checks them. */
    static void report(FareService s, boolean leak) {
        int trail = FareAudit.TRAIL.size();
        System.out.println((leak ? "leak" : "healthy") + " trips " + s.trips + " trail " + trail + " (recorded " + FareAudit.recorded + ", dropped "
                + FareAudit.dropped + ") tariffs " + s.tariffs.size() + " drivers " + s.drivers.size() + " quotes " + s.quotes.size()
                + " outbox " + s.outbox.size() + " (emailed " + s.emailed + ")");
        check(FareAudit.recorded == s.trips && trail + FareAudit.dropped == FareAudit.recorded, "every correction held or dropped");
        check(leak ? trail == HOURS * PER_HOUR : trail >= MAX_FARE_ADJUSTMENTS && trail < MAX_FARE_ADJUSTMENTS * 11 / 10, "trail as the variant says");
    }
}
