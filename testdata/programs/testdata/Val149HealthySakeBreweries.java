// hprofscan-dump: name=val149-healthy-sakebreweries-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val149-healthy-sakebreweries-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val149-healthy-sakebreweries jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val149-healthy-sakebreweries-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 149 (written blind), HEALTHY: the fermentation-monitoring service of a group of
 * sake breweries. Brewery reference data, the directory of fermentation tanks, a time-to-idle cache
 * of sensor calibrations whose statistics job reads without refreshing (entries do expire), a
 * request tracer whose registry is exported and emptied every minute, a cache of rendered batch
 * labels at its cap, and an ArrayList-backed ring of the latest sensor readings that stays at its
 * capacity. Warms up, then plateaus. See VALIDATION149.md.
 */
public final class Val149HealthySakeBreweries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE = 15 * MINUTE;
    static final int BREWERIES = 1_200, TANKS = 25_000, SENSORS = 40_000, LABEL_CAP = 2_000, RING = 8_192, READINGS_PER_HOUR = 6_000;

    record Brewery(String code, String prefecture, double[] humidityCurve) {}
    record Tank(String tankId, String breweryCode, String rice, byte[] batchRecord, long filledAt) {}
    record BatchLabel(String key, byte[] rendered, long at) {}
    record Calibration(String sensorId, byte[] table, long calibratedAt, int driftPpm) {}

    static final class Reading {
        final String tankId, sensorId;
        final double temperature, brix;
        final long at;
        Reading(String tankId, String sensorId, double temperature, double brix, long at) { this.tankId = tankId; this.sensorId = sensorId; this.temperature = temperature; this.brix = brix; this.at = at; }
    }

    /** Hand-written time-to-idle cache (15 minutes). */
    static final class IdleCache {
        static final class Entry {
            final Calibration value;
            long lastAccess;
            Entry(Calibration value, long at) { this.value = value; this.lastAccess = at; }
        }
        final HashMap<String, Entry> entries = new HashMap<>();
        long hits, misses, expired, sweeps, maxSize;
        Calibration get(String key, long now) {
            Entry e = entries.get(key);
            if (e == null) { misses++; return null; }
            hits++;
            e.lastAccess = now;
            return e.value;
        }
        Calibration peek(String key) { Entry e = entries.get(key); return e == null ? null : e.value; }
        void put(String key, Calibration v, long now) { entries.put(key, new Entry(v, now)); maxSize = Math.max(maxSize, entries.size()); }
        void sweep(long now) {
            sweeps++;
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccess > IDLE) { it.remove(); expired++; }
            }
        }
    }

    static final class RequestContext {
        final String requestId, path;
        final long startedAt;
        final HashMap<String, String> attributes = new HashMap<>();
        RequestContext(String requestId, String path, long startedAt) { this.requestId = requestId; this.path = path; this.startedAt = startedAt; }
    }

    /** Request tracing: the registry is exported to the collector and emptied every minute. */
    static final class RequestTracer {
        static final Map<RequestContext, Long> ACTIVE = Collections.synchronizedMap(new IdentityHashMap<>());
        static long registered, exported, exports, maxActive;
        static void register(RequestContext c) { ACTIVE.put(c, c.startedAt); registered++; maxActive = Math.max(maxActive, ACTIVE.size()); }
        static void export() { synchronized (ACTIVE) { exported += ACTIVE.size(); ACTIVE.clear(); exports++; } }
    }

    /** ArrayList-backed ring of the latest readings, trimmed to its capacity. */
    static final class ReadingRing {
        final ArrayList<Reading> items = new ArrayList<>();
        final int capacity;
        long written, trimmed;
        ReadingRing(int capacity) { this.capacity = capacity; }
        void add(Reading r) {
            items.add(r);
            written++;
            int oldest = items.size() - capacity;
            if (oldest > 0) { items.subList(0, oldest).clear(); trimmed += oldest; }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, BatchLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BatchLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Brewery> BREWERIES_BY_CODE = new HashMap<>();

    static final class MonitoringService {
        final Map<String, Tank> tanks = new HashMap<>();
        final IdleCache calibrations = new IdleCache();
        final LabelCache labels = new LabelCache();
        final ReadingRing readings = new ReadingRing(RING);
        long statsRuns;
        double lastMeanDrift;
        /** Drift statistics every 5 minutes: reads every calibration without refreshing it. */
        void driftStats() {
            long sum = 0;
            for (String key : calibrations.entries.keySet()) sum += calibrations.peek(key).driftPpm();
            lastMeanDrift = calibrations.entries.isEmpty() ? 0 : (double) sum / calibrations.entries.size();
            statsRuns++;
        }
    }

    static MonitoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int readings = READINGS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(149_050_001);
        String[] breweryCodes = new String[BREWERIES];
        for (int b = 0; b < BREWERIES; b++) {
            double[] h = new double[64];
            for (int k = 0; k < h.length; k++) h[k] = 40 + rnd.nextDouble() * 50;
            String code = "BW-" + (2_000 + b);
            breweryCodes[b] = code;
            BREWERIES_BY_CODE.put(code, new Brewery(code, "Prefecture " + (b % 47), h));
        }
        MonitoringService svc = new MonitoringService();
        SERVICE = svc;
        String[] tankIds = new String[TANKS];
        String[] rices = {"Yamada Nishiki", "Omachi", "Gohyakumangoku", "Miyama Nishiki"};
        for (int t = 0; t < TANKS; t++) {
            String id = "TK" + (3_300_000 + t);
            tankIds[t] = id;
            svc.tanks.put(id, new Tank(id, breweryCodes[rnd.nextInt(BREWERIES)], rices[t % rices.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(90)) * 24 * HOUR));
        }
        Random traffic = new Random(149_050_002);
        String[] paths = {"POST /readings", "GET /tanks/{id}", "GET /labels/{batch}"};
        long nextSweep = start + MINUTE, nextStats = start + 5 * MINUTE;
        RequestContext ctx = null;
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (nextSweep <= t) { svc.calibrations.sweep(nextSweep); RequestTracer.export(); nextSweep += MINUTE; }
            while (nextStats <= t) { svc.driftStats(); nextStats += 5 * MINUTE; }
            ctx = new RequestContext("rq-" + (40_000_000L + i), paths[i % paths.length], t);
            RequestTracer.register(ctx);
            String tank = tankIds[traffic.nextInt(TANKS)];
            int s = traffic.nextInt(SENSORS);
            String sensorId = "SN" + (700_000 + s);
            ctx.attributes.put("tank", tank);
            ctx.attributes.put("sensor", sensorId);
            Calibration cal = svc.calibrations.get(sensorId, t);
            if (cal == null) { cal = new Calibration(sensorId, new byte[200 + (s * 31) % 200], t - (s % 30) * 24 * HOUR, s % 90); svc.calibrations.put(sensorId, cal, t); }
            svc.readings.add(new Reading(tank, cal.sensorId(), 8 + traffic.nextDouble() * 10, 5 + traffic.nextDouble() * 20, t));
            if (i % 2 == 0) {
                String key = "label-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new BatchLabel(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        IdleCache c = svc.calibrations;
        ReadingRing r = svc.readings;
        System.out.println("stage " + stage + " breweries " + BREWERIES_BY_CODE.size() + " tanks " + svc.tanks.size() + " calibrations " + c.entries.size() + " (max " + c.maxSize
                + ", expired " + c.expired + ", hits " + c.hits + ", misses " + c.misses + ") stats " + svc.statsRuns + " traced " + RequestTracer.ACTIVE.size() + " (max "
                + RequestTracer.maxActive + ", exported " + RequestTracer.exported + " in " + RequestTracer.exports + ") ring " + r.items.size() + " written " + r.written
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ")");
        check(BREWERIES_BY_CODE.size() == BREWERIES && svc.tanks.size() == TANKS, "reference data / directory");
        check(c.expired > 0 && c.entries.size() <= 1_700 && c.maxSize <= 1_700, "idle calibrations expire: " + c.entries.size());
        check(RequestTracer.exports == hours * 60 - 2 && RequestTracer.ACTIVE.size() <= 101 && RequestTracer.registered == readings, "tracer exported every minute");
        check(r.written == readings && r.items.size() == Math.min(readings, RING), "ring at capacity");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        svc = null; c = null; r = null; ctx = null; tankIds = null; breweryCodes = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
