// hprofscan-dump: name=val14-healthy-irrigation jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val14-healthy-irrigation-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 14 (written blind), HEALTHY: the cloud controller of a precision-irrigation
 * network. It holds the field-zone registry with soil profiles (loaded at startup, the biggest
 * structure), a fixed-size ring of the last 96 soil-moisture readings per zone (preallocated), a
 * weather-forecast cache per grid cell with a 90-minute TTL (swept every 5 minutes; a random cell is
 * asked every half second, each about every 20 minutes, so it holds most cells), the valve commands awaiting an ack from the
 * field (sent in the last 4 minutes), a pool of telemetry decode buffers, a fixed pool of valve dispatchers
 * and a scheduler with two housekeeping tasks. 10 simulated hours. See testdata/VALIDATION14.md.
 */
public final class Val14HealthyIrrigation {
    static final int ZONES = 12_000;
    static final int READINGS_PER_ZONE = 96;
    static final int GRID_CELLS = 2_400;
    static final int DECODE_BUFFERS = 32;
    static final int DISPATCHERS = 3;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long FORECAST_TTL = 90 * MINUTE;

    static IrrigationController CONTROLLER;

    static final class SoilProfile { final String texture; final double[] waterHoldingByLayer; final double fieldCapacity; final double wiltingPoint;
        SoilProfile(String texture, double[] waterHoldingByLayer, double fieldCapacity, double wiltingPoint) { this.texture = texture; this.waterHoldingByLayer = waterHoldingByLayer; this.fieldCapacity = fieldCapacity; this.wiltingPoint = wiltingPoint; } }

    static final class FieldZone { final String zoneId; final String farmId; final String crop; final int gridCell; final int valveId; final SoilProfile soil; final double hectares; final long plantedAt;
        FieldZone(String zoneId, String farmId, String crop, int gridCell, int valveId, SoilProfile soil, double hectares, long plantedAt) { this.zoneId = zoneId; this.farmId = farmId; this.crop = crop; this.gridCell = gridCell; this.valveId = valveId; this.soil = soil; this.hectares = hectares; this.plantedAt = plantedAt; } }

    /** Reference data: the field zones of all farms, loaded at startup. */
    static final class ZoneRegistry {
        static final Map<String, FieldZone> ZONES_BY_ID = new HashMap<>();
    }

    /** Per-zone moisture ring: preallocated, overwritten in place. */
    static final class MoistureRing { final short[] centiPercent = new short[READINGS_PER_ZONE]; final long[] readAt = new long[READINGS_PER_ZONE]; int next; long total;
        void add(short v, long t) { centiPercent[next] = v; readAt[next] = t; next = (next + 1) % READINGS_PER_ZONE; total++; } }

    static final class Forecast { final int gridCell; final double[] hourlyEt0; final double[] hourlyRainMm; final long fetchedAt; final long validUntil;
        Forecast(int gridCell, double[] hourlyEt0, double[] hourlyRainMm, long fetchedAt, long validUntil) { this.gridCell = gridCell; this.hourlyEt0 = hourlyEt0; this.hourlyRainMm = hourlyRainMm; this.fetchedAt = fetchedAt; this.validUntil = validUntil; } }

    static final class ValveCommand { final long commandId; final String zoneId; final int valveId; final int openSeconds; final long sentAt;
        ValveCommand(long commandId, String zoneId, int valveId, int openSeconds, long sentAt) { this.commandId = commandId; this.zoneId = zoneId; this.valveId = valveId; this.openSeconds = openSeconds; this.sentAt = sentAt; } }

    static final class IrrigationController {
        final Map<String, MoistureRing> moistureByZone = new HashMap<>();
        final Map<Integer, Forecast> forecastByCell = new ConcurrentHashMap<>();
        long forecastsExpired;
        final Map<Long, ValveCommand> awaitingAck = new ConcurrentHashMap<>();
        final ArrayBlockingQueue<byte[]> telemetryDecodeBuffers = new ArrayBlockingQueue<>(DECODE_BUFFERS);
        final AtomicInteger dispatcherSeq = new AtomicInteger();
        final ThreadPoolExecutor valveDispatch = new ThreadPoolExecutor(DISPATCHERS, DISPATCHERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "valve-dispatch-" + dispatcherSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "irrigation-housekeeping"); t.setDaemon(true); return t; });
        final Properties tuning = new Properties();
        IrrigationController() { for (int i = 0; i < DECODE_BUFFERS; i++) telemetryDecodeBuffers.add(new byte[64 * 1024]); }
        void sweepForecasts(long t) { for (Iterator<Forecast> it = forecastByCell.values().iterator(); it.hasNext();) if (it.next().validUntil <= t) { it.remove(); forecastsExpired++; } }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(14_020_001);
        IrrigationController ctl = new IrrigationController();
        CONTROLLER = ctl;
        for (int i = 0; i < 48; i++) ctl.tuning.setProperty("et.crop.coefficient." + i, Double.toString(0.3 + i * 0.02));
        String[] textures = {"sand", "loamy sand", "sandy loam", "loam", "silt loam", "clay loam", "clay"};
        String[] crops = {"maize", "almond", "tomato", "alfalfa", "grape", "cotton", "lettuce", "citrus"};
        for (int i = 0; i < ZONES; i++) {
            double[] layers = new double[24];
            for (int k = 0; k < layers.length; k++) layers[k] = 0.05 + rnd.nextDouble() * 0.2;
            String id = "Z-" + (30_000 + i);
            ZoneRegistry.ZONES_BY_ID.put(id, new FieldZone(id, "farm-" + (i / 40), crops[rnd.nextInt(crops.length)], i % GRID_CELLS, 500_000 + i,
                    new SoilProfile(textures[rnd.nextInt(textures.length)], layers, 0.3 + rnd.nextDouble() * 0.1, 0.1 + rnd.nextDouble() * 0.05), 1 + rnd.nextDouble() * 20, now - DAY * (30 + rnd.nextInt(150))));
            ctl.moistureByZone.put(id, new MoistureRing());
        }
        CyclicBarrier ready = new CyclicBarrier(DISPATCHERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < DISPATCHERS; w++) warm.add(ctl.valveDispatch.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        ctl.housekeeping.scheduleAtFixedRate(() -> ctl.sweepForecasts(System.currentTimeMillis()), 5, 5, TimeUnit.MINUTES);
        ctl.housekeeping.scheduleWithFixedDelay(() -> System.out.println("valve commands awaiting ack: " + ctl.awaitingAck.size()), 1, 1, TimeUnit.HOURS);
        // Telemetry: every zone reports every 5 minutes (120 readings per zone over 10 h, more than
        // the ring holds); the scheduler asks each grid cell's forecast every 20 minutes; a valve
        // command every 3 seconds, acked 20 s to 4 min later.
        Map<Integer, Long> lastFetch = new HashMap<>();
        long lastSweep = start;
        String[] zoneIds = new String[ZONES];
        for (int i = 0; i < ZONES; i++) zoneIds[i] = "Z-" + (30_000 + i);
        int rounds = (int) (10 * HOUR / (5 * MINUTE));
        for (int r = 0; r < rounds; r++) {
            long t0 = start + r * 5 * MINUTE;
            for (int z = 0; z < ZONES; z++) ctl.moistureByZone.get(zoneIds[z]).add((short) (1_000 + rnd.nextInt(3_000)), t0 + (z % 300) * 1_000L);
            byte[] buf = ctl.telemetryDecodeBuffers.poll();
            buf[r % buf.length] = (byte) r;
            ctl.telemetryDecodeBuffers.offer(buf);
        }
        long fetches = 0, replacedExpired = 0;
        for (long t = start; t < now; t += 20 * MINUTE / GRID_CELLS) {
            if (t - lastSweep >= 5 * MINUTE) { ctl.sweepForecasts(t); lastSweep = t; }
            int c = rnd.nextInt(GRID_CELLS);
            Forecast f = ctl.forecastByCell.get(c);
            if (f == null || f.validUntil <= t) {
                double[] et = new double[48], rain = new double[48];
                for (int h = 0; h < 48; h++) { et[h] = rnd.nextDouble() * 0.8; rain[h] = rnd.nextInt(10) == 0 ? rnd.nextDouble() * 5 : 0; }
                ctl.forecastByCell.put(c, new Forecast(c, et, rain, t, t + FORECAST_TTL));
                lastFetch.put(c, t);
                fetches++;
                if (f != null) replacedExpired++;
            }
        }
        ctl.sweepForecasts(now);
        long commandSeq = 8_000_000_000L;
        int liveCommands = 0;
        for (long t = start; t < now; t += 3_000) {
            long cid = commandSeq++;
            ValveCommand cmd = new ValveCommand(cid, zoneIds[(int) (cid % ZONES)], 500_000 + (int) (cid % ZONES), 300 + rnd.nextInt(3_000), t);
            ctl.awaitingAck.put(cid, cmd);
            long ackAt = t + 20_000 + rnd.nextInt(220_000);
            if (ackAt <= now) ctl.awaitingAck.remove(cid); else liveCommands++;
        }
        int fresh = 0;
        for (long f : lastFetch.values()) if (f + FORECAST_TTL > now) fresh++;
        long readings = 0;
        for (MoistureRing m : ctl.moistureByZone.values()) readings += m.total;
        System.out.println("zones " + ZoneRegistry.ZONES_BY_ID.size() + " rings " + ctl.moistureByZone.size() + " readings " + readings + " forecasts " + ctl.forecastByCell.size() + " (fetches " + fetches + ", expired " + ctl.forecastsExpired + ") awaiting ack " + ctl.awaitingAck.size());
        check(ZoneRegistry.ZONES_BY_ID.size() == ZONES && ctl.moistureByZone.size() == ZONES && readings == (long) ZONES * rounds && rounds > READINGS_PER_ZONE, "zones/rings");
        check(ctl.forecastByCell.size() == fresh && fresh > GRID_CELLS * 70 / 100 && ctl.forecastsExpired + replacedExpired == fetches - fresh, "forecasts");
        check(ctl.awaitingAck.size() == liveCommands && liveCommands > 10 && liveCommands < 200, "awaiting ack");
        for (ValveCommand c : ctl.awaitingAck.values()) check(c.sentAt > now - 4 * MINUTE, "ack window");
        check(ctl.telemetryDecodeBuffers.size() == DECODE_BUFFERS && ctl.valveDispatch.getPoolSize() == DISPATCHERS && ctl.housekeeping.getQueue().size() == 2, "buffers/pools");
        lastFetch = null; zoneIds = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
