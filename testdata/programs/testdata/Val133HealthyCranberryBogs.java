// hprofscan-dump: name=val133-healthy-cranberrybogs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val133-healthy-cranberrybogs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val133-healthy-cranberrybogs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val133-healthy-cranberrybogs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Validation set 133 (written blind), HEALTHY: the bog-operations service of a cranberry growers'
 * cooperative. It consumes LoRaWAN sensor messages (water level, soil temperature, sprinkler
 * pressure, harvest bin weights) from the cooperative's broker, which delivers at least once: an
 * idempotency window (message id to receive time) drops the redeliveries and is swept every minute
 * of ids older than an hour, so it plateaus. Logging is reconfigured from the central config every
 * 15 minutes by replacing the "recent lines" handler of the telemetry logger (the old one removed
 * and closed). Bog reference data, the sensor directory, a frost-map tile cache (warming in stage 1,
 * at its cap from stage 2), a pool of report buffers, a ring of recent readings and a queue of pump
 * commands with a normal backlog. Series: 2 / 4 / 8 simulated hours. See VALIDATION133.md.
 */
public final class Val133HealthyCranberryBogs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long WINDOW = HOUR, RECONFIGURE_EVERY = 15 * MINUTE, PUMP_DELAY = 10 * MINUTE;
    static final int BOGS = 900, SENSORS = 22_000, TILE_CAP = 1_500, TILE_KEYS = 4_000, POOL = 8, RING = 8_192;
    static final int MESSAGES_PER_HOUR = 6_000, TILE_REQUESTS_PER_HOUR = 700, LOG_LINES = 400;
    static final String[] KINDS = {"water-level", "soil-temp", "sprinkler-pressure", "bin-weight"};

    record Bog(String code, String marsh, double acres, double[] weeklyBarrels) {}
    record Sensor(String devEui, String bogCode, String kind, byte[] calibration, long installedAt) {}
    record Reading(String messageId, String devEui, String kind, double value, long at) {}
    record FrostTile(String key, byte[] png, long renderedAt) {}
    record PumpCommand(String bogCode, String pumpId, int litresPerSecond, long queuedAt) {}
    record Delivery(String messageId, int sensor, int kind, double value, long due) {}

    /** Keeps the last N formatted log lines for the ops console's "recent log" page. */
    static final class RecentLinesHandler extends Handler {
        final String generation; final long configuredAt;
        String[] lines; int next; long published; boolean closed;
        RecentLinesHandler(String generation, long configuredAt, int capacity) { this.generation = generation; this.configuredAt = configuredAt; this.lines = new String[capacity]; }
        @Override public void publish(LogRecord r) {
            if (closed || !isLoggable(r)) return;
            long ms = r.getMillis() % DAY;
            String line = "[" + generation + "] " + two(ms / HOUR) + ":" + two(ms / MINUTE % 60) + ":" + two(ms / 1000 % 60) + " " + r.getLevel().getName() + " " + r.getLoggerName() + " - " + r.getMessage();
            lines[next] = line;
            next = (next + 1) % lines.length;
            published++;
        }
        @Override public void flush() {}
        @Override public void close() { closed = true; lines = null; }
        static String two(long v) { return v < 10 ? "0" + v : Long.toString(v); }
    }

    /** Applies the logging section of the central config: replaces the recent-lines handler. */
    static final class LoggingConfigurer {
        final String loggerName; RecentLinesHandler current; int generations, closedHandlers;
        LoggingConfigurer(String loggerName) { this.loggerName = loggerName; }
        void apply(long t) {
            Logger log = Logger.getLogger(loggerName);
            RecentLinesHandler next = new RecentLinesHandler("cfg-" + (4_100 + generations), t, LOG_LINES);
            next.setLevel(Level.INFO);
            if (current != null) { log.removeHandler(current); current.close(); closedHandlers++; }
            log.addHandler(next);
            current = next;
            generations++;
        }
    }

    /** Message id to receive time; ids older than the window are swept every minute. */
    static final class IdempotencyWindow {
        final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
        long accepted, caught, swept, sweeps;
        boolean firstDelivery(String id, long t) {
            if (seen.putIfAbsent(id, t) != null) { caught++; return false; }
            accepted++;
            return true;
        }
        void sweep(long t) {
            long cutoff = t - WINDOW;
            int before = seen.size();
            seen.values().removeIf(at -> at < cutoff);
            swept += before - seen.size();
            sweeps++;
        }
    }

    static final class TileCache extends LinkedHashMap<String, FrostTile> {
        long evicted, hits, misses;
        TileCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FrostTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Bog> BOGS_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("coop.bogs.telemetry");

    static final class OperationsService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final String[] devEuis = new String[SENSORS];
        final IdempotencyWindow idempotency = new IdempotencyWindow();
        final TileCache frostTiles = new TileCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final Reading[] recent = new Reading[RING];
        final ArrayDeque<PumpCommand> pumpQueue = new ArrayDeque<>();
        final LoggingConfigurer logging = new LoggingConfigurer("coop.bogs.telemetry");
        long readings, pumpsQueued, pumpsSent, reports;

        void onMessage(String id, int sensor, int kind, double value, long t) {
            if (!idempotency.firstDelivery(id, t)) {
                LOG.log(record(Level.WARNING, "dropped redelivery " + id, t));
                return;
            }
            Sensor s = sensors.get(devEuis[sensor]);
            recent[(int) (readings++ % RING)] = new Reading(id, s.devEui(), KINDS[kind], value, t);
            if (kind == 0 && value > 45.0) {
                pumpQueue.addLast(new PumpCommand(s.bogCode(), s.bogCode() + "-P" + (sensor % 3), 40 + (int) value, t));
                pumpsQueued++;
                LOG.log(record(Level.INFO, "flood pump requested for " + s.bogCode() + " level " + (int) value + " cm", t));
            } else if (readings % 4 == 0) {
                LOG.log(record(Level.INFO, KINDS[kind] + " " + s.devEui() + " = " + (int) (value * 10) / 10.0, t));
            }
        }

        void dispatchPumps(long t) {
            while (!pumpQueue.isEmpty() && pumpQueue.peekFirst().queuedAt() <= t - PUMP_DELAY) { pumpQueue.pollFirst(); pumpsSent++; }
        }

        void frostMap(Random r, long t) {
            int k = r.nextInt(TILE_KEYS);
            String key = "frost/14/" + (4_800 + k / 64) + "/" + (6_100 + k % 64);
            if (frostTiles.get(key) != null) { frostTiles.hits++; return; }
            frostTiles.misses++;
            byte[] buf = reportBuffers.poll();
            buf[(int) (reports++ % buf.length)] = (byte) key.length();
            reportBuffers.add(buf);
            frostTiles.put(key, new FrostTile(key, new byte[600 + r.nextInt(600)], t));
        }
    }

    static LogRecord record(Level level, String msg, long t) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("coop.bogs.telemetry");
        r.setInstant(java.time.Instant.ofEpochMilli(t));
        return r;
    }

    static OperationsService SERVICE;
    static long MESSAGES, DELIVERIES;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(133_010_001);
        String[] bogCodes = new String[BOGS];
        for (int b = 0; b < BOGS; b++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 400;
            bogCodes[b] = "BG-" + (4_000 + b);
            BOGS_BY_CODE.put(bogCodes[b], new Bog(bogCodes[b], "Marsh " + (b % 70), 2 + rnd.nextDouble() * 30, weekly));
        }
        OperationsService svc = new OperationsService();
        SERVICE = svc;
        for (int i = 0; i < SENSORS; i++) {
            svc.devEuis[i] = String.format("70B3D57ED%07X", 0x1A000 + i * 7);
            svc.sensors.put(svc.devEuis[i], new Sensor(svc.devEuis[i], bogCodes[rnd.nextInt(BOGS)], KINDS[i % 4], new byte[200 + rnd.nextInt(200)], now - (10 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        svc.logging.apply(start);

        Random traffic = new Random(133_010_002), tiles = new Random(133_010_003);
        int messages = MESSAGES_PER_HOUR * hours, tileRequests = TILE_REQUESTS_PER_HOUR * hours;
        ArrayDeque<Delivery> redeliveries = new ArrayDeque<>();
        long nextSweep = start + MINUTE, nextConfig = start + RECONFIGURE_EVERY;
        int tileDone = 0;
        for (int i = 0; i < messages; i++) {
            long t = start + (end - MINUTE - start) * i / messages;
            while (nextSweep <= t) { svc.idempotency.sweep(nextSweep); svc.dispatchPumps(nextSweep); nextSweep += MINUTE; }
            while (nextConfig <= t) { svc.logging.apply(nextConfig); nextConfig += RECONFIGURE_EVERY; }
            while (!redeliveries.isEmpty() && redeliveries.peekFirst().due() <= t) {
                Delivery d = redeliveries.pollFirst();
                svc.onMessage(d.messageId(), d.sensor(), d.kind(), d.value(), t);
                DELIVERIES++;
            }
            String id = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
            int sensor = traffic.nextInt(SENSORS), kind = sensor % 4;
            double value = kind == 0 ? 20 + traffic.nextDouble() * 27 : kind == 1 ? -4 + traffic.nextDouble() * 20 : kind == 2 ? 2 + traffic.nextDouble() * 5 : 200 + traffic.nextDouble() * 900;
            svc.onMessage(id, sensor, kind, value, t);
            MESSAGES++; DELIVERIES++;
            // the broker redelivers 1 message in 200 (lost acks) one to four minutes later
            if (traffic.nextInt(200) == 0) redeliveries.addLast(new Delivery(id, sensor, kind, value, t + (1 + traffic.nextInt(4)) * MINUTE));
            while (tileDone < (long) tileRequests * (i + 1) / messages) { svc.frostMap(tiles, t); tileDone++; }
        }
        while (!redeliveries.isEmpty() && redeliveries.peekFirst().due() <= end) {
            Delivery d = redeliveries.pollFirst();
            svc.onMessage(d.messageId(), d.sensor(), d.kind(), d.value(), d.due());
            DELIVERIES++;
        }
        svc.idempotency.sweep(end);
        svc.dispatchPumps(end);
    }

    static String report(int stage, int hours) {
        OperationsService svc = SERVICE;
        IdempotencyWindow w = svc.idempotency;
        List<Handler> handlers = new ArrayList<>(Arrays.asList(LOG.getHandlers()));
        RecentLinesHandler h = svc.logging.current;
        String line = "stage " + stage + " (" + hours + " h) bogs " + BOGS_BY_CODE.size() + " sensors " + svc.sensors.size() + " messages " + MESSAGES + " deliveries " + DELIVERIES
                + " idempotency " + w.seen.size() + " (accepted " + w.accepted + ", caught " + w.caught + ", swept " + w.swept + ", sweeps " + w.sweeps + ")"
                + " log handlers " + handlers.size() + " (generations " + svc.logging.generations + ", closed " + svc.logging.closedHandlers + ", current published " + h.published + ")"
                + " tiles " + svc.frostTiles.size() + " (evicted " + svc.frostTiles.evicted + ", hits " + svc.frostTiles.hits + ") pool " + svc.reportBuffers.size()
                + " readings " + svc.readings + " pumps queued " + svc.pumpsQueued + " sent " + svc.pumpsSent + " backlog " + svc.pumpQueue.size();
        check(BOGS_BY_CODE.size() == BOGS && svc.sensors.size() == SENSORS, "reference data / directory");
        check(MESSAGES == (long) MESSAGES_PER_HOUR * hours && w.accepted == MESSAGES && DELIVERIES == MESSAGES + w.caught, "messages");
        check(w.caught > 0 && w.seen.size() == w.accepted - w.swept, "idempotency window");
        check(w.seen.size() > MESSAGES_PER_HOUR - 150 && w.seen.size() < MESSAGES_PER_HOUR + 300, "window holds about an hour: " + w.seen.size());
        check(handlers.size() == 1 && handlers.get(0) == h && svc.logging.closedHandlers == svc.logging.generations - 1, "one log handler");
        check(svc.logging.generations == hours * 4, "reconfigurations: " + svc.logging.generations);
        check(stage == 1 ? svc.frostTiles.size() < TILE_CAP : svc.frostTiles.size() == TILE_CAP && svc.frostTiles.evicted > 0, "tile cache");
        check(svc.reportBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null && svc.readings == MESSAGES, "ring");
        check(svc.pumpQueue.size() > 0 && svc.pumpsSent + svc.pumpQueue.size() == svc.pumpsQueued, "pump queue");
        // the exact counts of VALIDATION133.md
        int k = stage - 1;
        check(w.seen.size() == new int[] {5_949, 5_924, 5_912}[k] && w.caught == new int[] {51, 127, 260}[k], "window " + w.seen.size() + ", caught " + w.caught);
        check(svc.frostTiles.size() == new int[] {1_200, 1_500, 1_500}[k] && svc.pumpQueue.size() == new int[] {10, 18, 18}[k], "tiles / pump backlog");
        return line;
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(report(stage, hours));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
