// hprofscan-dump: name=val132-healthy-wastewaterworks-1 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val132-healthy-wastewaterworks-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val132-healthy-wastewaterworks jvm="-Xmx266m" variants=mxbean args="8"
// hprofscan-dump: name=val132-healthy-wastewaterworks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="8"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 132 (written blind), HEALTHY growth series (2 / 4 / 8 simulated hours): the
 * process-control service of a water company's wastewater treatment works. Works reference data, the
 * asset register, a cache of rendered trend charts at its cap, a pool of report buffers, a ring of
 * recent alarms, the work-order queue with its normal backlog, the plant-wide tick history (a
 * ConcurrentSkipListMap keyed by epoch milliseconds, trimmed every minute to the last hour: full and
 * at its plateau in every stage) and per-analyser rings of recent readings (trimmed to 48 on the live
 * path and on the outstation backfill path alike). See VALIDATION132.md.
 */
public final class Val132HealthyWastewaterWorks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int WORKS = 600, ASSETS = 18_000, CHART_CAP = 2_000, POOL = 8, ALARM_RING = 8_192;
    static final int OUTSTATIONS = 60, ANALYSERS_PER_OUTSTATION = 7, ANALYSERS = OUTSTATIONS * ANALYSERS_PER_OUTSTATION, KEEP = 48;
    static final long TICK_EVERY = 250L, WINDOW = HOUR, DISPATCH_AFTER = 30 * MINUTE;

    record Works(String code, String catchment, int populationEquivalent, double[] designFlowByQuarterHour) {}
    record Asset(String tag, String worksCode, String kind, String manufacturer, byte[] maintenanceRecord, long commissionedAt) {}
    /** One plant-wide sample of the works' process values. */
    record Tick(long at, int works, float inflowLs, float dissolvedO2, float ammoniaMgL, float mlssMgL, float blowerKw, int alarmBits) {}
    record AnalyserReading(long at, float value, float temperatureC, short quality) {}
    record Chart(String key, byte[] svg, long renderedAt) {}
    record Alarm(String assetTag, String code, int priority, long at) {}
    record WorkOrder(String id, String assetTag, String fault, String crew, long raisedAt) {}

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    /** The tick history behind the live trend screens: the last hour, older keys dropped every minute. */
    static final class Historian {
        final ConcurrentSkipListMap<Long, Tick> ticks = new ConcurrentSkipListMap<>();
        long recorded, retentionRuns, dropped;
        void record(Tick t) { ticks.put(t.at(), t); recorded++; }
        void retain(long nowMs) {
            long cutoff = nowMs - WINDOW;          // milliseconds, like the keys
            Map<Long, Tick> old = ticks.headMap(cutoff);
            dropped += old.size();
            old.clear();
            retentionRuns++;
        }
    }

    /** The last 48 readings of each analyser, for the compliance check and the trend popup. */
    static final class AnalyserRings {
        final Map<String, ArrayDeque<AnalyserReading>> byAnalyser = new HashMap<>();
        long live, backfilled, backfills;
        void onReading(String analyser, AnalyserReading r) {
            ArrayDeque<AnalyserReading> d = byAnalyser.get(analyser);
            d.addLast(r);
            while (d.size() > KEEP) d.pollFirst();
            live++;
        }
        void onBackfill(String analyser, List<AnalyserReading> batch) {
            ArrayDeque<AnalyserReading> d = byAnalyser.get(analyser);
            d.addAll(batch);
            while (d.size() > KEEP) d.pollFirst();
            backfilled += batch.size();
            backfills++;
        }
    }

    static final class ProcessService {
        final Map<String, Asset> assets = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final Alarm[] alarms = new Alarm[ALARM_RING];
        long alarmsWritten;
        final ArrayDeque<WorkOrder> workOrders = new ArrayDeque<>();
        long ordersRaised, ordersDispatched;
        final Historian historian = new Historian();
        final AnalyserRings analysers = new AnalyserRings();
        long chartRequests, reportsPrinted;
    }

    static final Map<String, Works> WORKS_BY_CODE = new HashMap<>();
    static ProcessService SERVICE;
    static int HOURS;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(132_010_001);
        String[] worksCodes = new String[WORKS];
        String[] catchments = {"Upper Tame", "Lower Trent", "Avon Vale", "Severn Estuary", "Dove", "Soar", "Wreake", "Derwent"};
        for (int w = 0; w < WORKS; w++) {
            double[] flow = new double[96];
            for (int k = 0; k < flow.length; k++) flow[k] = 20 + rnd.nextDouble() * 400;
            worksCodes[w] = "WwTW-" + (2_000 + w);
            WORKS_BY_CODE.put(worksCodes[w], new Works(worksCodes[w], catchments[w % catchments.length], 500 + rnd.nextInt(250_000), flow));
        }
        ProcessService svc = new ProcessService();
        SERVICE = svc;
        String[] kinds = {"INLET_SCREEN", "GRIT_PUMP", "AERATION_BLOWER", "RAS_PUMP", "SAS_PUMP", "STORM_PUMP", "UV_BANK", "DOSING_PUMP"};
        String[] makers = {"Xylem", "Grundfos", "Aerzen", "Sulzer", "Huber", "Trojan"};
        String[] tags = new String[ASSETS];
        for (int a = 0; a < ASSETS; a++) {
            tags[a] = "WW-" + (300_000 + a * 7);
            svc.assets.put(tags[a], new Asset(tags[a], worksCodes[rnd.nextInt(WORKS)], kinds[a % kinds.length], makers[rnd.nextInt(makers.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * DAY));
        }
        String[] analyserIds = new String[ANALYSERS];
        for (int i = 0; i < ANALYSERS; i++) {
            analyserIds[i] = "AN-" + (i / ANALYSERS_PER_OUTSTATION + 10) + "-" + (char) ('A' + i % ANALYSERS_PER_OUTSTATION);
            svc.analysers.byAnalyser.put(analyserIds[i], new ArrayDeque<>());
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);

        Random traffic = new Random(132_010_002);
        Random comms = new Random(132_010_003);
        String[] alarmCodes = {"HIGH_LEVEL", "LOW_DO", "BLOWER_TRIP", "SCREEN_BLINDED", "HIGH_AMMONIA", "STORM_OVERFLOW", "PUMP_FAIL", "COMMS_LOST"};
        String[] crews = {"North-1", "North-2", "South-1", "South-2", "East-1", "West-1"};
        // outstation comms: while an outstation is offline its analysers' readings are stored at the
        // outstation and backfilled in one batch when it reconnects
        long[] offlineUntil = new long[OUTSTATIONS];
        List<List<AnalyserReading>> stored = new ArrayList<>();
        for (int i = 0; i < ANALYSERS; i++) stored.add(new ArrayList<>());
        long ticks = hours * HOUR / TICK_EVERY;
        long nextRetention = start + MINUTE;
        for (long k = 0; k < ticks; k++) {
            long t = start + k * TICK_EVERY;
            while (nextRetention <= t) { svc.historian.retain(nextRetention); nextRetention += MINUTE; }
            int w = (int) (k % WORKS);
            svc.historian.record(new Tick(t, w, 20 + traffic.nextFloat() * 400, traffic.nextFloat() * 4, traffic.nextFloat() * 6,
                    2_000 + traffic.nextFloat() * 2_500, 30 + traffic.nextFloat() * 90, traffic.nextInt(8) == 0 ? 1 << traffic.nextInt(12) : 0));
            // one analyser reading per tick, round robin: each analyser every 105 s
            int a = (int) (k % ANALYSERS);
            int o = a / ANALYSERS_PER_OUTSTATION;
            if (a % ANALYSERS_PER_OUTSTATION == 0) {
                if (offlineUntil[o] != 0 && t >= offlineUntil[o]) {
                    offlineUntil[o] = 0;
                    for (int j = o * ANALYSERS_PER_OUTSTATION; j < (o + 1) * ANALYSERS_PER_OUTSTATION; j++) {
                        if (!stored.get(j).isEmpty()) { svc.analysers.onBackfill(analyserIds[j], stored.get(j)); stored.set(j, new ArrayList<>()); }
                    }
                }
                if (offlineUntil[o] == 0 && comms.nextInt(400) == 0) offlineUntil[o] = t + (10 + comms.nextInt(50)) * MINUTE;
            }
            AnalyserReading r = new AnalyserReading(t, comms.nextFloat() * 12, 8 + comms.nextFloat() * 12, (short) comms.nextInt(200));
            if (offlineUntil[o] != 0) stored.get(a).add(r); else svc.analysers.onReading(analyserIds[a], r);
            if (traffic.nextInt(1_000) < 208) {
                String tag = tags[traffic.nextInt(ASSETS)];
                svc.alarms[(int) (svc.alarmsWritten++ % ALARM_RING)] = new Alarm(tag, alarmCodes[traffic.nextInt(alarmCodes.length)], 1 + traffic.nextInt(4), t);
                if (traffic.nextInt(25) == 0) {
                    svc.workOrders.addLast(new WorkOrder("WO-" + (5_000_000 + svc.ordersRaised), tag, alarmCodes[traffic.nextInt(alarmCodes.length)], crews[traffic.nextInt(crews.length)], t));
                    svc.ordersRaised++;
                }
            }
            while (!svc.workOrders.isEmpty() && svc.workOrders.peekFirst().raisedAt() <= t - DISPATCH_AFTER) { svc.workOrders.pollFirst(); svc.ordersDispatched++; }
            if (traffic.nextInt(100) < 15) {
                String key = "trend-" + worksCodes[traffic.nextInt(WORKS)] + "-" + kinds[traffic.nextInt(kinds.length)].toLowerCase();
                svc.chartRequests++;
                if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (k % 600 == 0) {
                byte[] buf = svc.reportBuffers.poll();
                buf[(int) (k % buf.length)] = (byte) k;
                svc.reportBuffers.add(buf);
                svc.reportsPrinted++;
            }
        }
        int pendingAtOutstations = 0, offline = 0;
        for (int i = 0; i < ANALYSERS; i++) pendingAtOutstations += stored.get(i).size();
        for (int o = 0; o < OUTSTATIONS; o++) if (offlineUntil[o] != 0) offline++;
        int held = 0, minHeld = Integer.MAX_VALUE, maxHeld = 0;
        for (ArrayDeque<AnalyserReading> d : svc.analysers.byAnalyser.values()) { held += d.size(); minHeld = Math.min(minHeld, d.size()); maxHeld = Math.max(maxHeld, d.size()); }
        Historian h = svc.historian;
        SUMMARY = "hours " + hours + " works " + WORKS_BY_CODE.size() + " assets " + svc.assets.size() + " ticks recorded " + h.recorded + " held " + h.ticks.size()
                + " dropped " + h.dropped + " retention runs " + h.retentionRuns + " analysers " + svc.analysers.byAnalyser.size() + " readings held " + held
                + " (min " + minHeld + " max " + maxHeld + ") live " + svc.analysers.live + " backfilled " + svc.analysers.backfilled + " in " + svc.analysers.backfills
                + " backfills, pending at " + offline + " offline outstations " + pendingAtOutstations + " alarms " + svc.alarmsWritten + " work orders raised "
                + svc.ordersRaised + " dispatched " + svc.ordersDispatched + " backlog " + svc.workOrders.size() + " charts " + svc.charts.size() + " (requests "
                + svc.chartRequests + " evicted " + svc.charts.evicted + ") pool " + svc.reportBuffers.size() + " reports " + svc.reportsPrinted;
        check(WORKS_BY_CODE.size() == WORKS && svc.assets.size() == ASSETS, "reference data / directory");
        check(h.recorded == ticks && h.ticks.size() == (int) (h.recorded - h.dropped), "history bookkeeping");
        check(h.ticks.size() <= (WINDOW + MINUTE) / TICK_EVERY && h.ticks.size() >= WINDOW / TICK_EVERY, "history holds one hour: " + h.ticks.size());
        check(h.ticks.firstKey() >= nextRetention - MINUTE - WINDOW, "nothing older than the window");
        check(held <= ANALYSERS * KEEP && maxHeld == KEEP, "analyser rings bounded: " + held);
        check(svc.analysers.live + svc.analysers.backfilled + pendingAtOutstations == ticks, "readings accounted");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.reportBuffers.size() == POOL, "pool");
        check(svc.ordersRaised == svc.ordersDispatched + svc.workOrders.size() && svc.workOrders.size() > 0, "work-order backlog");
        check(svc.alarmsWritten > 0 && svc.alarms[0] != null, "alarm ring");
        // the exact counts of the truth table (VALIDATION132.md), per stage
        long[] expect = hours == 2 ? new long[] {14_640, 20_160, 1_197, 259, 5_935, 233, 49, 922}
                : hours == 4 ? new long[] {14_640, 20_160, 3_122, 182, 11_975, 449, 54, 3_443}
                : hours == 8 ? new long[] {14_640, 20_160, 7_021, 392, 24_092, 967, 71, 8_433} : null;
        if (expect != null) {
            long[] got = {h.ticks.size(), held, svc.analysers.backfilled, pendingAtOutstations, svc.alarmsWritten, svc.ordersRaised, svc.workOrders.size(), svc.charts.evicted};
            check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        HOURS = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        simulate(HOURS);
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
