// hprofscan-dump: name=val15-leak-freightrates-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val15-leak-freightrates-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val15-leak-freightrates jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val15-leak-freightrates-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), LEAK, series: the spot-rate quoting service of an ocean
 * freight forwarder. A quote for a lane (origin port, destination port, equipment, sailing week)
 * is priced from the contract tariff plus surcharges; the priced quote is memoized per lane. The
 * bug: the memo's key class {@code LaneKey} declares {@code equals(LaneKey)} (an overload, not an
 * override of {@code Object.equals}) and no {@code hashCode}, so every lookup misses and every
 * quote request adds a new memo entry. The memoized {@code RateQuote}s carry no timestamp. Only
 * 500 lanes are ever asked, so a working memo would hold 500 quotes. Stage 1 after 2 hours (3,000
 * quotes), stage 2 after 4 hours (6,000), stage 3 after 8 hours (12,000). Legitimate: the port
 * directory, the contract tariffs (the biggest structure beside the leak), a vessel-schedule LRU at
 * its cap, a capped audit of recent quotes and a fixed pool of pricing threads. See
 * testdata/VALIDATION15.md.
 */
public final class Val15LeakFreightRates {
    static final int PORTS = 4_000;
    static final int TARIFFS = 60_000;
    static final int LANES = 500;
    static final int VESSELS = 5_000;
    static final int SCHEDULE_CAP = 1_500;
    static final int AUDIT_CAP = 2_000;
    static final int PRICERS = 3;
    static final int QUOTES_PER_HOUR = 1_500;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static RateService RATES;

    static final class Port { final String locode; final String name; final double lat; final double lon; final double[] congestionByMonth;
        Port(String locode, String name, double lat, double lon, double[] congestionByMonth) { this.locode = locode; this.name = name; this.lat = lat; this.lon = lon; this.congestionByMonth = congestionByMonth; } }

    /** Reference data: UN/LOCODE ports. */
    static final class PortDirectory {
        static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();
    }

    static final class Tariff { final String contractNo; final String origin; final String dest; final String equipment; final double[] breakpoints; final long validTo;
        Tariff(String contractNo, String origin, String dest, String equipment, double[] breakpoints, long validTo) { this.contractNo = contractNo; this.origin = origin; this.dest = dest; this.equipment = equipment; this.breakpoints = breakpoints; this.validTo = validTo; } }

    /** The memo key. BUG: equals is an overload (never called by HashMap) and hashCode is missing. */
    static final class LaneKey {
        final String origin; final String dest; final String equipment; final int sailingWeek;
        LaneKey(String origin, String dest, String equipment, int sailingWeek) { this.origin = origin; this.dest = dest; this.equipment = equipment; this.sailingWeek = sailingWeek; }
        public boolean equals(LaneKey o) { return o != null && origin.equals(o.origin) && dest.equals(o.dest) && equipment.equals(o.equipment) && sailingWeek == o.sailingWeek; }
    }

    /** The same key written correctly; used only by the fixed variant that measures the leak's share. */
    static final class FixedLaneKey {
        final String origin; final String dest; final String equipment; final int sailingWeek;
        FixedLaneKey(String origin, String dest, String equipment, int sailingWeek) { this.origin = origin; this.dest = dest; this.equipment = equipment; this.sailingWeek = sailingWeek; }
        @Override public boolean equals(Object x) { if (!(x instanceof FixedLaneKey)) return false; FixedLaneKey o = (FixedLaneKey) x; return origin.equals(o.origin) && dest.equals(o.dest) && equipment.equals(o.equipment) && sailingWeek == o.sailingWeek; }
        @Override public int hashCode() { return ((origin.hashCode() * 31 + dest.hashCode()) * 31 + equipment.hashCode()) * 31 + sailingWeek; }
    }

    /** A priced quote: no timestamp, no request id. */
    static final class RateQuote { final Object key; final String contractNo; final double baseUsd; final double[] surcharges; final String breakdown; final List<String> legs; final int transitDays;
        RateQuote(Object key, String contractNo, double baseUsd, double[] surcharges, String breakdown, List<String> legs, int transitDays) { this.key = key; this.contractNo = contractNo; this.baseUsd = baseUsd; this.surcharges = surcharges; this.breakdown = breakdown; this.legs = legs; this.transitDays = transitDays; } }

    static final class VesselSchedule { final String imo; final String service; final long[] portCallEtas;
        VesselSchedule(String imo, String service, long[] portCallEtas) { this.imo = imo; this.service = service; this.portCallEtas = portCallEtas; } }

    static final class ScheduleLru extends LinkedHashMap<String, VesselSchedule> {
        long evicted;
        ScheduleLru() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VesselSchedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final class QuoteAudit { final String customer; final String origin; final String dest; final long quotedAt; final double totalUsd;
        QuoteAudit(String customer, String origin, String dest, long quotedAt, double totalUsd) { this.customer = customer; this.origin = origin; this.dest = dest; this.quotedAt = quotedAt; this.totalUsd = totalUsd; } }

    static final class RateService {
        final Map<String, Tariff> tariffByLane = new HashMap<>();
        final Map<Object, RateQuote> quoteMemo = new HashMap<>();
        final ScheduleLru schedules = new ScheduleLru();
        final ArrayDeque<QuoteAudit> recentQuotes = new ArrayDeque<>();
        long auditRotated;
        long memoHits;
        final AtomicInteger pricerSeq = new AtomicInteger();
        final ThreadPoolExecutor pricers = new ThreadPoolExecutor(PRICERS, PRICERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "rate-calc-" + pricerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        RateService(boolean fixed) { this.fixed = fixed; }

        RateQuote quote(String o, String d, String eq, int week, Random rnd) {
            Object key = fixed ? new FixedLaneKey(o, d, eq, week) : new LaneKey(o, d, eq, week);
            RateQuote q = quoteMemo.get(key);
            if (q != null) { memoHits++; return q; }
            Tariff t = tariffByLane.get(o + ">" + d + ":" + eq);
            double[] sur = new double[64];
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sur.length; i++) { sur[i] = 10 + rnd.nextInt(400); if (i < 12) sb.append("S").append(i).append('=').append((int) sur[i]).append(";"); }
            sb.append(" BAF/CAF/THC/ISPS/LSS via ").append(t.contractNo).append(" week ").append(week).append(" ").append(o).append("->").append(d);
            List<String> legs = new ArrayList<>();
            legs.add(o); legs.add("TRANSSHIP-" + (week % 7)); legs.add(d);
            q = new RateQuote(key, t.contractNo, t.breakpoints[week % t.breakpoints.length], sur, sb.toString(), legs, 12 + rnd.nextInt(30));
            quoteMemo.put(key, q);
            return q;
        }

        void audit(QuoteAudit a) { recentQuotes.addLast(a); if (recentQuotes.size() > AUDIT_CAP) { recentQuotes.removeFirst(); auditRotated++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val15.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(15_010_001);
        RateService svc = new RateService(fixed);
        RATES = svc;
        for (int i = 0; i < 40; i++) svc.config.setProperty("rates.surcharge.table." + i, "v" + (3 + i % 4));
        String[] codes = new String[PORTS];
        for (int p = 0; p < PORTS; p++) {
            double[] cong = new double[12];
            for (int m = 0; m < 12; m++) cong[m] = rnd.nextDouble() * 5;
            codes[p] = String.format("%c%c%c%02d", (char) ('A' + p % 26), (char) ('A' + (p / 26) % 26), (char) ('A' + (p / 676) % 26), p % 100);
            PortDirectory.PORTS_BY_CODE.put(codes[p], new Port(codes[p], "Port of " + codes[p] + " terminal " + (p % 9), -60 + rnd.nextDouble() * 120, -180 + rnd.nextDouble() * 360, cong));
        }
        String[] equipment = {"20DV", "40DV", "40HC", "45HC", "20RF", "40RF"};
        // Contract tariffs: 10,000 port pairs x 6 equipment types; the first 500 lanes are the ones customers ask.
        String[] laneO = new String[LANES], laneD = new String[LANES], laneE = new String[LANES];
        int[] laneWeek = new int[LANES];
        for (int pair = 0; pair < TARIFFS / equipment.length; pair++) {
            String o = codes[(pair * 7) % PORTS], d = codes[(pair * 13 + 1 + pair / PORTS) % PORTS];
            for (int e = 0; e < equipment.length; e++) {
                double[] bp = new double[20];
                for (int b = 0; b < bp.length; b++) bp[b] = 800 + rnd.nextInt(3_200);
                svc.tariffByLane.put(o + ">" + d + ":" + equipment[e], new Tariff("SC-" + (2_000_000 + pair * 6 + e), o, d, equipment[e], bp, now + DAY * (30 + rnd.nextInt(300))));
                int lane = pair * equipment.length + e;
                if (lane < LANES) { laneO[lane] = o; laneD[lane] = d; laneE[lane] = equipment[e]; laneWeek[lane] = 1 + rnd.nextInt(52); }
            }
        }
        String[] imos = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) imos[v] = "IMO" + (9_100_000 + v * 3);
        CyclicBarrier ready = new CyclicBarrier(PRICERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < PRICERS; w++) warm.add(svc.pricers.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Quote requests spread evenly up to the dump. The first 500 requests ask each lane once
        // (in a shuffled order); later requests ask a random one of the 500 lanes.
        int quotes = (int) (QUOTES_PER_HOUR * hours);
        int[] order = new int[LANES];
        for (int i = 0; i < LANES; i++) order[i] = i;
        for (int i = LANES - 1; i > 0; i--) { int j = rnd.nextInt(i + 1); int x = order[i]; order[i] = order[j]; order[j] = x; }
        for (int i = 0; i < quotes; i++) {
            long t = start + (now - start) * i / quotes;
            int lane = i < LANES ? order[i] : rnd.nextInt(LANES);
            RateQuote q = svc.quote(laneO[lane], laneD[lane], laneE[lane], laneWeek[lane], rnd);
            String imo = imos[rnd.nextInt(VESSELS)];
            if (svc.schedules.get(imo) == null) {
                long[] etas = new long[32];
                for (int c = 0; c < etas.length; c++) etas[c] = t + c * DAY + rnd.nextInt(86_400) * 1000L;
                svc.schedules.put(imo, new VesselSchedule(imo, "SVC-" + (imo.hashCode() & 63), etas));
            }
            double total = q.baseUsd;
            for (double s : q.surcharges) total += s;
            svc.audit(new QuoteAudit("CUST-" + (10_000 + rnd.nextInt(3_000)), laneO[lane], laneD[lane], t, total));
        }
        int expectedMemo = fixed ? LANES : quotes;
        System.out.println("stage " + stage + (fixed ? " FIXED" : "") + " ports " + PortDirectory.PORTS_BY_CODE.size() + " tariffs " + svc.tariffByLane.size() + " memo " + svc.quoteMemo.size() + " (hits " + svc.memoHits + ") schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") audit " + svc.recentQuotes.size() + " (rotated " + svc.auditRotated + ")");
        check(PortDirectory.PORTS_BY_CODE.size() == PORTS && svc.tariffByLane.size() == TARIFFS, "reference data");
        check(quotes == 1_500 * hours && svc.quoteMemo.size() == expectedMemo && svc.memoHits == (fixed ? quotes - LANES : 0), "quote memo");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule lru");
        check(svc.recentQuotes.size() == AUDIT_CAP && svc.auditRotated == quotes - AUDIT_CAP, "audit");
        check(svc.pricers.getPoolSize() == PRICERS, "pool");
        codes = null; imos = null; laneO = null; laneD = null; laneE = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
