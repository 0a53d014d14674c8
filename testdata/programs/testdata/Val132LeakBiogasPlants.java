// hprofscan-dump: name=val132-leak-biogasplants-1 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val132-leak-biogasplants-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val132-leak-biogasplants jvm="-Xmx266m" variants=mxbean args="8"
// hprofscan-dump: name=val132-leak-biogasplants-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="8"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 132 (written blind), LEAK growth series (2 / 4 / 8 simulated hours): the
 * operations service of an anaerobic-digestion (biogas) plant operator. Plant reference data, the
 * feedstock delivery tickets, a cache of rendered trend images at its cap, a pool of export
 * buffers, a ring of recent alarms, the gas-to-grid nomination outbox with its normal backlog,
 * per-digester lists of the last 24 lab samples (trimmed), and the live tick history: a
 * ConcurrentSkipListMap keyed by the SCADA gateway's timestamp in epoch MICROseconds, whose
 * retention job runs every minute and calls headMap(cutoff).clear() with a cutoff computed from
 * System.currentTimeMillis() in MILLIseconds. Every key is about a thousand times larger than the
 * cutoff, nothing is ever evicted, and the history keeps every tick since start.
 * See VALIDATION132.md.
 */
public final class Val132LeakBiogasPlants {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PLANTS = 320, DIGESTERS = 48, DELIVERIES = 20_000, TREND_CAP = 2_000, POOL = 8, ALARM_RING = 8_192, LAB_KEEP = 24;
    static final long TICK_EVERY_MS = 250L, WINDOW_MS = 15 * MINUTE, NOMINATION_EVERY = 5 * MINUTE;
    static boolean FIXED;

    record Plant(String code, String operatorName, String gridEntryPoint, double[] feedPlanByHourOfWeek) {}
    record Delivery(String ticket, String plantCode, String feedstock, String haulier, double tonnes, byte[] labAnalysis, long weighedAt) {}
    /** One sample of a digester's process values; atMicros is the gateway's timestamp (epoch microseconds). */
    record Tick(long atMicros, int digester, float biogasM3h, float methanePct, float h2sPpm, float tempC, float ph, float levelPct, int alarmBits) {}
    record LabSample(String sampleId, double fosTac, double vfaMgL, double dryMatterPct, long takenAt) {}
    record TrendImage(String key, byte[] png, long renderedAt) {}
    record Alarm(String tag, String code, int priority, long at) {}
    record Nomination(String id, String gridEntryPoint, double m3, double wobbeIndex, long createdAt) {}

    static final class TrendCache extends LinkedHashMap<String, TrendImage> {
        long evicted;
        TrendCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrendImage> e) { if (size() > TREND_CAP) { evicted++; return true; } return false; }
    }

    /** Live history behind the operator's trend screens: meant to keep the last 15 minutes. */
    static final class TickHistory {
        final ConcurrentSkipListMap<Long, Tick> ticks = new ConcurrentSkipListMap<>();
        long recorded, retentionRuns, evicted;
        void record(Tick t) { ticks.put(t.atMicros(), t); recorded++; }
        /** The retention job, every minute. */
        void retain(long nowMillis) {
            // BUG: the keys are epoch microseconds (gateway timestamps), the cutoff is in milliseconds
            long cutoff = FIXED ? (nowMillis - WINDOW_MS) * 1_000L : nowMillis - WINDOW_MS;
            Map<Long, Tick> old = ticks.headMap(cutoff);
            evicted += old.size();
            old.clear();
            retentionRuns++;
        }
    }

    static final class OperationsService {
        final Map<String, Delivery> deliveries = new HashMap<>();
        final TrendCache trends = new TrendCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final Alarm[] alarms = new Alarm[ALARM_RING];
        long alarmsWritten;
        final ArrayDeque<Nomination> nominations = new ArrayDeque<>();
        long nominated, nominationsSent;
        final Map<Integer, ArrayDeque<LabSample>> labByDigester = new HashMap<>();
        long labSamples;
        final TickHistory history = new TickHistory();
        long trendRequests, exports;
    }

    static final Map<String, Plant> PLANTS_BY_CODE = new HashMap<>();
    static OperationsService SERVICE;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(132_020_001);
        String[] plantCodes = new String[PLANTS];
        String[] operators = {"Greenfield AD", "Marsh Energy", "Vale Biogas", "Harvest Power", "Fenland Gas", "Westcountry Renewables"};
        for (int p = 0; p < PLANTS; p++) {
            double[] plan = new double[168];
            for (int k = 0; k < plan.length; k++) plan[k] = 2 + rnd.nextDouble() * 18;
            plantCodes[p] = "ADP-" + (400 + p);
            PLANTS_BY_CODE.put(plantCodes[p], new Plant(plantCodes[p], operators[p % operators.length], "GEP-" + (9_000 + p / 4), plan));
        }
        OperationsService svc = new OperationsService();
        SERVICE = svc;
        String[] feedstocks = {"maize silage", "grass silage", "cattle slurry", "pig slurry", "food waste", "poultry litter", "sugar beet pulp", "rye silage"};
        String[] hauliers = {"J. Pritchard & Sons", "Agri-Haul Ltd", "Fen Transport", "Mercia Bulk", "Owen Brothers"};
        for (int d = 0; d < DELIVERIES; d++) {
            String ticket = "FD-" + (7_100_000 + d * 3);
            svc.deliveries.put(ticket, new Delivery(ticket, plantCodes[rnd.nextInt(PLANTS)], feedstocks[rnd.nextInt(feedstocks.length)], hauliers[rnd.nextInt(hauliers.length)],
                    8 + rnd.nextInt(220) / 10.0, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(180)) * DAY));
        }
        for (int g = 0; g < DIGESTERS; g++) svc.labByDigester.put(g, new ArrayDeque<>());
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);

        Random traffic = new Random(132_020_002);
        String[] alarmCodes = {"HIGH_H2S", "LOW_CH4", "FOAMING", "HIGH_TEMP", "LOW_PH", "FLARE_ON", "CHP_TRIP", "PRV_LIFT"};
        String[] views = {"gas-quality", "temperature", "feed-rate", "chp-output", "level"};
        long ticks = hours * HOUR / TICK_EVERY_MS;
        long nextRetention = start + MINUTE, nextNomination = start + NOMINATION_EVERY;
        for (long k = 0; k < ticks; k++) {
            long t = start + k * TICK_EVERY_MS;
            while (nextRetention <= t) { svc.history.retain(nextRetention); nextRetention += MINUTE; }
            while (nextNomination <= t) {
                // the grid operator takes the nominations older than 10 minutes, every 5 minutes
                while (!svc.nominations.isEmpty() && svc.nominations.peekFirst().createdAt() <= nextNomination - 10 * MINUTE) { svc.nominations.pollFirst(); svc.nominationsSent++; }
                nextNomination += NOMINATION_EVERY;
            }
            int digester = (int) (k % DIGESTERS);
            long atMicros = t * 1_000L + traffic.nextInt(1_000);
            svc.history.record(new Tick(atMicros, digester, 80 + traffic.nextFloat() * 900, 50 + traffic.nextFloat() * 15, traffic.nextFloat() * 400,
                    37 + traffic.nextFloat() * 5, 7 + traffic.nextFloat(), 40 + traffic.nextFloat() * 50, traffic.nextInt(10) == 0 ? 1 << traffic.nextInt(16) : 0));
            if (traffic.nextInt(1_000) < 180) {
                svc.alarms[(int) (svc.alarmsWritten++ % ALARM_RING)] = new Alarm("DG-" + digester + "-" + (100 + traffic.nextInt(60)), alarmCodes[traffic.nextInt(alarmCodes.length)], 1 + traffic.nextInt(4), t);
            }
            if (traffic.nextInt(1_000) < 15) {
                ArrayDeque<LabSample> lab = svc.labByDigester.get(traffic.nextInt(DIGESTERS));
                lab.addLast(new LabSample("LS-" + (880_000 + svc.labSamples++), 0.2 + traffic.nextDouble() * 0.4, 500 + traffic.nextDouble() * 3_000, 6 + traffic.nextDouble() * 6, t));
                while (lab.size() > LAB_KEEP) lab.pollFirst();
            }
            if (k % 480 == 7) {
                svc.nominations.addLast(new Nomination("NOM-" + (60_000 + svc.nominated++), "GEP-" + (9_000 + traffic.nextInt(PLANTS / 4)), 300 + traffic.nextInt(2_000), 48 + traffic.nextDouble() * 4, t));
            }
            if (traffic.nextInt(100) < 15) {
                String key = plantCodes[traffic.nextInt(PLANTS)] + "/" + views[traffic.nextInt(views.length)] + "/" + (traffic.nextInt(4) == 0 ? "24h" : "1h");
                svc.trendRequests++;
                if (svc.trends.get(key) == null) svc.trends.put(key, new TrendImage(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (k % 900 == 0) {
                byte[] buf = svc.exportBuffers.poll();
                buf[(int) (k % buf.length)] = (byte) k;
                svc.exportBuffers.add(buf);
                svc.exports++;
            }
        }
        TickHistory h = svc.history;
        int labHeld = 0;
        for (ArrayDeque<LabSample> l : svc.labByDigester.values()) labHeld += l.size();
        SUMMARY = (FIXED ? "FIXED " : "") + "hours " + hours + " plants " + PLANTS_BY_CODE.size() + " deliveries " + svc.deliveries.size() + " ticks recorded " + h.recorded
                + " held " + h.ticks.size() + " evicted " + h.evicted + " retention runs " + h.retentionRuns + " oldest tick age min " + (end - h.ticks.firstKey() / 1_000L) / MINUTE
                + " lab samples " + svc.labSamples + " held " + labHeld + " alarms " + svc.alarmsWritten + " nominations " + svc.nominated + " sent " + svc.nominationsSent
                + " backlog " + svc.nominations.size() + " trends " + svc.trends.size() + " (requests " + svc.trendRequests + " evicted " + svc.trends.evicted + ") pool "
                + svc.exportBuffers.size() + " exports " + svc.exports;
        check(PLANTS_BY_CODE.size() == PLANTS && svc.deliveries.size() == DELIVERIES, "reference data / directory");
        check(h.recorded == ticks && h.retentionRuns == hours * 60L - 1, "retention ran every minute: " + h.retentionRuns);
        if (FIXED) check(h.ticks.size() >= WINDOW_MS / TICK_EVERY_MS && h.ticks.size() <= (WINDOW_MS + MINUTE) / TICK_EVERY_MS, "fixed: 15 minutes held: " + h.ticks.size());
        else check(h.evicted == 0 && h.ticks.size() == ticks, "every tick since start held: " + h.ticks.size());
        check(labHeld <= DIGESTERS * LAB_KEEP, "lab samples bounded");
        check(svc.trends.size() == TREND_CAP && svc.trends.evicted > 0, "trend cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.nominated == svc.nominationsSent + svc.nominations.size() && svc.nominations.size() > 0, "nomination backlog");
        check(svc.alarmsWritten > 0, "alarm ring");
        // the exact counts of the truth table (VALIDATION132.md), per stage
        long[] expect = hours == 2 ? new long[] {28_800, 444, 5_184, 7, 233}
                : hours == 4 ? new long[] {57_600, 859, 10_472, 7, 1_369}
                : hours == 8 ? new long[] {115_200, 1_147, 20_882, 7, 3_734} : null;
        if (expect != null) {
            if (FIXED) expect[0] = 3_840;
            long[] got = {h.ticks.size(), labHeld, svc.alarmsWritten, svc.nominations.size(), svc.trends.evicted};
            check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val132.fixed");
        simulate(args.length > 2 ? Integer.parseInt(args[2]) : 8);
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
