// hprofscan-dump: name=val23-healthy-greenhouse jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val23-healthy-greenhouse-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 23 (written blind), HEALTHY: the climate controller of a commercial greenhouse.
 * A telemetry batch {@code ByteArrayOutputStream} (pre-sized 2 MiB) uploaded and {@code reset()}
 * every 1,000 readings; a valve-command {@code ExecutorCompletionService} whose acknowledgements
 * are polled after every control cycle; a lock map keyed by the 48 greenhouse zones (bounded
 * natural keys); crop profiles and zones, a camera-frame cache at its cap, a pool of image
 * buffers and a sensor-reading ring, full and wrapping. 10 simulated hours. See
 * testdata/VALIDATION23.md.
 */
public final class Val23HealthyGreenhouse {
    static final long HOUR = 3_600_000L;
    static final int CROPS = 1_200, ZONES = 48, SENSORS = 30_000, FRAME_CAP = 1_500, POOL = 12, RING = 32_768, READINGS = 60_000, CYCLES = 600;

    record CropProfile(String code, String name, double[] temperatureCurve, double[] humidityCurve) {}
    record Zone(String id, String crop, int[] valveIds) {}
    record Sensor(String id, String zone, String kind, long installedAt, double[] calibration) {}
    record Frame(String cameraId, long at, byte[] jpeg) {}
    record Reading(String sensorId, double value, long at) {}
    record ValveAck(String zone, int valve, long at) {}

    static final class FrameCache extends LinkedHashMap<String, Frame> {
        long evicted;
        FrameCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Frame> e) { if (size() > FRAME_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CropProfile> CROPS_BY_CODE = new HashMap<>();

    static final class ClimateController {
        final Map<String, Zone> zones = new HashMap<>();
        final Map<String, Sensor> sensors = new HashMap<>();
        final ConcurrentHashMap<String, Object> zoneLocks = new ConcurrentHashMap<>();
        final ByteArrayOutputStream telemetryBatch = new ByteArrayOutputStream(2 << 20);
        final FrameCache frames = new FrameCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ExecutorService valvePool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r); t.setDaemon(true); t.setName("valve-driver-" + t.getId()); return t; });
        final ExecutorCompletionService<ValveAck> valveCommands = new ExecutorCompletionService<>(valvePool);
        long readingCount, uploads, acks, commands;
    }

    static ClimateController CONTROLLER;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(23_060_001);
        for (int c = 0; c < CROPS; c++) {
            double[] temp = new double[96], hum = new double[96];
            for (int k = 0; k < 96; k++) { temp[k] = 15 + rnd.nextDouble() * 15; hum[k] = 50 + rnd.nextDouble() * 40; }
            String code = "CROP-" + (400 + c);
            CROPS_BY_CODE.put(code, new CropProfile(code, "Tomato cultivar " + c, temp, hum));
        }
        ClimateController ctl = new ClimateController();
        CONTROLLER = ctl;
        for (int z = 0; z < ZONES; z++) {
            int[] valves = new int[24];
            for (int k = 0; k < valves.length; k++) valves[k] = z * 100 + k;
            String id = "ZONE-" + (char) ('A' + z / 8) + (z % 8);
            ctl.zones.put(id, new Zone(id, "CROP-" + (400 + rnd.nextInt(CROPS)), valves));
            ctl.zoneLocks.put(id, new Object());
        }
        String[] zoneIds = ctl.zones.keySet().toArray(new String[0]);
        java.util.Arrays.sort(zoneIds);
        String[] kinds = {"TEMP", "HUMIDITY", "CO2", "PAR", "SOIL_EC"};
        for (int s = 0; s < SENSORS; s++) {
            double[] cal = new double[16];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextGaussian();
            String id = "SN-" + (1_000_000 + s);
            ctl.sensors.put(id, new Sensor(id, zoneIds[s % ZONES], kinds[s % kinds.length], now - (long) (1 + rnd.nextInt(1_000)) * 24 * HOUR, cal));
        }
        for (int i = 0; i < POOL; i++) ctl.imageBuffers.add(new byte[65_536]);
        Random traffic = new Random(23_060_002);
        int perCycle = READINGS / CYCLES;
        for (int cy = 0; cy < CYCLES; cy++) {
            for (int r = 0; r < perCycle; r++) {
                int x = cy * perCycle + r;
                long t = start + (now - start) * x / READINGS;
                String sensor = "SN-" + (1_000_000 + traffic.nextInt(SENSORS));
                double v = traffic.nextDouble() * 100;
                ctl.readings[(int) (ctl.readingCount++ % RING)] = new Reading(sensor, v, t);
                ctl.telemetryBatch.writeBytes((t + "," + sensor + "," + v + "\n").getBytes(StandardCharsets.US_ASCII));
                if (ctl.readingCount % 1_000 == 0) { ctl.telemetryBatch.reset(); ctl.uploads++; } // uploaded to the cloud historian
                String cam = "CAM-" + traffic.nextInt(5_000);
                if (ctl.frames.get(cam) == null) ctl.frames.put(cam, new Frame(cam, t, new byte[1_024 + traffic.nextInt(2_048)]));
            }
            long cycleAt = start + (now - start) * (cy + 1) / CYCLES;
            String zone = zoneIds[traffic.nextInt(ZONES)];
            synchronized (ctl.zoneLocks.get(zone)) { // per-zone mutual exclusion; the zone set is fixed
                for (int v = 0; v < 4; v++) { int valve = v; ctl.valveCommands.submit(() -> new ValveAck(zone, valve, cycleAt)); ctl.commands++; }
                for (int v = 0; v < 4; v++) { Future<ValveAck> ack = ctl.valveCommands.poll(5, TimeUnit.SECONDS); if (ack == null) throw new IllegalStateException("valve ack timeout"); ack.get(); ctl.acks++; }
            }
        }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) ctl.valvePool;
        for (int w = 0; w < 2_000 && pool.getCompletedTaskCount() < ctl.commands; w++) Thread.sleep(5);
        System.out.println("crops " + CROPS_BY_CODE.size() + " zones " + ctl.zones.size() + " zone locks " + ctl.zoneLocks.size() + " sensors " + ctl.sensors.size() + " readings " + ctl.readingCount
                + " batch bytes " + ctl.telemetryBatch.size() + " uploads " + ctl.uploads + " valve commands " + ctl.commands + " acks " + ctl.acks + " frames " + ctl.frames.size() + " (evicted " + ctl.frames.evicted + ") pool " + ctl.imageBuffers.size());
        check(CROPS_BY_CODE.size() == CROPS && ctl.zones.size() == ZONES && ctl.zoneLocks.size() == ZONES && ctl.sensors.size() == SENSORS, "reference data / directory");
        check(ctl.readingCount == READINGS && ctl.readings[RING - 1] != null && ctl.uploads == READINGS / 1_000 && ctl.telemetryBatch.size() == 0, "readings / telemetry batch");
        check(ctl.commands == CYCLES * 4 && ctl.acks == ctl.commands && pool.getCompletedTaskCount() == ctl.commands && ctl.valveCommands.poll() == null, "valve commands all acknowledged");
        check(ctl.frames.size() == FRAME_CAP && ctl.frames.evicted > 0, "frame cache at its cap");
        check(ctl.imageBuffers.size() == POOL, "image pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
