// hprofscan-dump: name=val133-leak-sugarbeet jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val133-leak-sugarbeet-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Validation set 133 (written blind), LEAK: the process-monitoring service of a sugar beet factory
 * during the campaign. Grower contracts, the directory of beet deliveries, a cache of tare-house lab
 * results at its cap, a pool of chart buffers, a ring of process readings and the reception queue
 * of lorries with a normal backlog. Logging is reconfigured from the central config every 10
 * simulated minutes: the reconfigurer builds a new "recent records" handler (a ring of the last
 * 1,000 formatted lines, for the control room's log page) and adds it to the process logger with
 * Logger.getLogger(...).addHandler, but never removes the previous one: the logger's handler list
 * keeps every generation, each with its own ring of lines, and every record is formatted by all of
 * them. See VALIDATION133.md.
 */
public final class Val133LeakSugarBeet {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long RELOAD_EVERY = 10 * MINUTE, UNLOAD_DELAY = 15 * MINUTE;
    static final int HOURS = 10, GROWERS = 1_000, DELIVERIES = 20_000, LAB_CAP = 2_000, POOL = 8, RING = 8_192, READINGS_PER_HOUR = 8_000, LOG_LINES = 1_000;
    static final String LOGGER = "factory.process";
    static final String[] UNITS = {"diffuser D1", "diffuser D2", "pulp press P3", "pulp press P4", "evaporator E1", "evaporator E2", "lime kiln", "carbonatation C1", "centrifuge K7", "beet washer"};
    static boolean FIXED;

    record Grower(String contract, String farm, double hectares, double[] weeklyTonnes) {}
    record Delivery(String ticket, String contract, String lorry, byte[] sampleRecord, long weighedAt) {}
    record LabResult(String key, byte[] report, long at) {}
    record Reading(String unit, String tag, double value, long at) {}
    record Lorry(String plate, String ticket, long arrivedAt) {}

    /** One revision of the logging section of the central config. */
    static final class LoggingConfig {
        final int revision; final long loadedAt; final Map<String, Level> levels = new TreeMap<>(); final String rawText;
        LoggingConfig(int revision, long loadedAt, Random r) {
            this.revision = revision; this.loadedAt = loadedAt;
            StringBuilder sb = new StringBuilder("# factory logging, revision " + revision + "\n");
            for (int k = 0; k < 32; k++) {
                String name = "factory." + UNITS[k % UNITS.length].replace(' ', '.') + ".sub" + k;
                Level level = r.nextInt(5) == 0 ? Level.FINE : Level.INFO;
                levels.put(name, level);
                sb.append(name).append(".level=").append(level.getName()).append('\n');
            }
            sb.append("recent.capacity=").append(LOG_LINES).append("\nrecent.format=[%rev] %time %level %logger - %msg\n");
            rawText = sb.toString();
        }
    }

    /** Keeps the last N formatted lines for the control room's "recent log" page. */
    static final class RecentRecordsHandler extends Handler {
        final LoggingConfig config; final String prefix;
        String[] lines; int next; long published; boolean closed;
        RecentRecordsHandler(LoggingConfig config) { this.config = config; this.prefix = "[cfg-r" + config.revision + "] "; this.lines = new String[LOG_LINES]; }
        @Override public void publish(LogRecord r) {
            if (closed || !isLoggable(r)) return;
            long ms = r.getMillis() % DAY;
            lines[next] = prefix + two(ms / HOUR) + ":" + two(ms / MINUTE % 60) + ":" + two(ms / 1000 % 60) + " " + r.getLevel().getName() + " " + r.getLoggerName() + " - " + r.getMessage();
            next = (next + 1) % lines.length;
            published++;
        }
        @Override public void flush() {}
        @Override public void close() { closed = true; lines = null; }
        static String two(long v) { return v < 10 ? "0" + v : Long.toString(v); }
    }

    /** The control room console: counts what it shows (long-lived, legitimately on the logger). */
    static final class ConsoleSinkHandler extends Handler {
        long shown;
        @Override public void publish(LogRecord r) { if (isLoggable(r)) shown++; }
        @Override public void flush() {}
        @Override public void close() {}
    }

    /** Applies the logging section of the central config when it changes. */
    static final class LoggingReconfigurer {
        RecentRecordsHandler current; int reloads; int removed;
        void reload(LoggingConfig cfg) {
            RecentRecordsHandler handler = new RecentRecordsHandler(cfg);
            handler.setLevel(Level.INFO);
            if (FIXED && current != null) { Logger.getLogger(LOGGER).removeHandler(current); current.close(); removed++; }
            Logger.getLogger(LOGGER).addHandler(handler);
            current = handler;
            reloads++;
        }
    }

    static final class LabCache extends LinkedHashMap<String, LabResult> {
        long evicted;
        LabCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabResult> e) { if (size() > LAB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Grower> GROWERS_BY_CONTRACT = new HashMap<>();
    static final Logger LOG = Logger.getLogger(LOGGER);
    static final ConsoleSinkHandler CONSOLE = new ConsoleSinkHandler();

    static final class ProcessService {
        final Map<String, Delivery> deliveries = new HashMap<>();
        final String[] tickets = new String[DELIVERIES];
        final LabCache lab = new LabCache();
        final ArrayDeque<byte[]> chartBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<Lorry> reception = new ArrayDeque<>();
        final LoggingReconfigurer logging = new LoggingReconfigurer();
        long readingCount, logged, lorries, unloaded;

        void onReading(Random r, long t) {
            int u = r.nextInt(UNITS.length);
            String unit = UNITS[u];
            double value = 40 + r.nextDouble() * 60;
            readings[(int) (readingCount++ % RING)] = new Reading(unit, "TI-" + (100 + u * 10 + r.nextInt(10)), value, t);
            LogRecord rec = new LogRecord(value > 97 ? Level.WARNING : Level.INFO, unit + " " + (value > 97 ? "high temperature " : "temperature ") + (int) (value * 10) / 10.0 + " C, throughput " + (380 + r.nextInt(60)) + " t/h");
            rec.setLoggerName(LOGGER);
            rec.setInstant(java.time.Instant.ofEpochMilli(t));
            LOG.log(rec);
            logged++;
            byte[] chart = chartBuffers.poll();
            chart[(int) (readingCount % chart.length)] = (byte) u;
            chartBuffers.add(chart);
            String key = tickets[r.nextInt(DELIVERIES)] + "/pol";
            if (lab.get(key) == null) lab.put(key, new LabResult(key, new byte[400 + r.nextInt(400)], t));
        }

        void lorryArrives(Random r, long t) {
            reception.addLast(new Lorry("SB" + (10 + r.nextInt(89)) + " " + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + "X", tickets[r.nextInt(DELIVERIES)], t));
            lorries++;
        }

        void unload(long t) {
            while (!reception.isEmpty() && reception.peekFirst().arrivedAt() <= t - UNLOAD_DELAY) { reception.pollFirst(); unloaded++; }
        }
    }

    static ProcessService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(133_040_001);
        String[] contracts = new String[GROWERS];
        for (int g = 0; g < GROWERS; g++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 600;
            contracts[g] = "GC-" + (24_000 + g * 3);
            GROWERS_BY_CONTRACT.put(contracts[g], new Grower(contracts[g], "Farm " + g, 5 + rnd.nextDouble() * 120, weekly));
        }
        ProcessService svc = new ProcessService();
        SERVICE = svc;
        for (int i = 0; i < DELIVERIES; i++) {
            svc.tickets[i] = "WT" + (3_400_000 + i * 11);
            svc.deliveries.put(svc.tickets[i], new Delivery(svc.tickets[i], contracts[rnd.nextInt(GROWERS)], "SB" + (10 + rnd.nextInt(89)), new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(80)) * DAY + rnd.nextInt(600) * MINUTE));
        }
        for (int b = 0; b < POOL; b++) svc.chartBuffers.add(new byte[32_768]);
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(CONSOLE);
        Random cfg = new Random(133_040_004);
        int revision = 2_400;
        svc.logging.reload(new LoggingConfig(revision++, start, cfg));

        Random traffic = new Random(133_040_002), yard = new Random(133_040_003);
        int readings = READINGS_PER_HOUR * HOURS;
        long nextReload = start + RELOAD_EVERY, nextMinute = start + MINUTE;
        for (int i = 0; i < readings; i++) {
            long t = start + (end - MINUTE - start) * i / readings;
            while (nextMinute <= t) {
                svc.unload(nextMinute);
                // about 50 lorries an hour at the reception
                if (yard.nextInt(6) < 5) svc.lorryArrives(yard, nextMinute);
                nextMinute += MINUTE;
            }
            while (nextReload <= t) { svc.logging.reload(new LoggingConfig(revision++, nextReload, cfg)); nextReload += RELOAD_EVERY; }
            svc.onReading(traffic, t);
        }
        svc.unload(end);
    }

    static String report() {
        ProcessService svc = SERVICE;
        Handler[] handlers = LOG.getHandlers();
        int recent = 0; long lines = 0;
        for (Handler h : handlers) if (h instanceof RecentRecordsHandler) { recent++; RecentRecordsHandler rh = (RecentRecordsHandler) h; for (String s : rh.lines) if (s != null) lines++; }
        String line = (FIXED ? "FIXED " : "") + "growers " + GROWERS_BY_CONTRACT.size() + " deliveries " + svc.deliveries.size() + " readings " + svc.readingCount + " logged " + svc.logged + " console shown " + CONSOLE.shown
                + " reloads " + svc.logging.reloads + " removed " + svc.logging.removed + " handlers " + handlers.length + " (recent-records " + recent + ", lines held " + lines + ")"
                + " lab " + svc.lab.size() + " (evicted " + svc.lab.evicted + ") pool " + svc.chartBuffers.size() + " lorries " + svc.lorries + " unloaded " + svc.unloaded + " waiting " + svc.reception.size();
        check(GROWERS_BY_CONTRACT.size() == GROWERS && svc.deliveries.size() == DELIVERIES, "reference data / directory");
        check(svc.readingCount == (long) READINGS_PER_HOUR * HOURS && svc.logged == svc.readingCount && CONSOLE.shown == svc.logged, "readings");
        check(svc.logging.reloads == HOURS * 6, "reloads: " + svc.logging.reloads);
        if (FIXED) check(handlers.length == 2 && recent == 1 && svc.logging.removed == svc.logging.reloads - 1 && lines == LOG_LINES, "console + current handler");
        else check(handlers.length == 1 + svc.logging.reloads && recent == svc.logging.reloads && lines == (long) LOG_LINES * recent, "every generation kept: " + handlers.length);
        check(svc.lab.size() == LAB_CAP && svc.lab.evicted > 0, "lab cache at cap");
        check(svc.chartBuffers.size() == POOL, "pool");
        check(svc.readings[RING - 1] != null, "ring");
        check(svc.reception.size() > 0 && svc.unloaded + svc.reception.size() == svc.lorries, "reception queue");
        // the exact counts of VALIDATION133.md
        check(handlers.length == (FIXED ? 2 : 61) && lines == (FIXED ? 1_000 : 60_000) && svc.reception.size() == 11 && svc.lorries == 495, "exact counts");
        return line;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val133.fixed");
        simulate();
        System.out.println(report());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
