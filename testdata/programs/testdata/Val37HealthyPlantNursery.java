// hprofscan-dump: name=val37-healthy-plantnursery-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val37-healthy-plantnursery-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val37-healthy-plantnursery jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val37-healthy-plantnursery-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 37 (written blind), HEALTHY: the greenhouse control service of a wholesale plant
 * nursery. Growing-bed reference data, the plant-lot directory, an LRU of rendered plant labels at
 * its configured cap (2,000, read with the right key), a ring of the last 8,192 sensor readings, a
 * pool of camera-frame buffers, an irrigation controller whose valve commands each get a
 * CompletableFuture that is completed by the valve's acknowledgement (callbacks fire; only the last
 * 512 completed futures are kept), a shutdown signal future with exactly one callback registered at
 * startup, and a climate-report StringBuilder that is exported and reset every 10 minutes. Warms up,
 * then plateaus. See VALIDATION37.md.
 */
public final class Val37HealthyPlantNursery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BEDS = 1_400, LOTS = 25_000, POOL = 8, RING = 8_192, ACK_RING = 512, READINGS_PER_HOUR = 6_000;

    record Bed(String code, String house, double[] lightCurve) {}
    record PlantLot(String lotCode, String species, String bedCode, byte[] careSheet, long pottedAt) {}
    record Label(String key, byte[] rendered, long at) {}
    record SensorReading(String bedCode, double moisture, double tempC, double lux, long at) {}
    record ValveAck(String bedCode, long commandId, int millilitres, long at) {}

    static final class LabelCache extends LinkedHashMap<String, Label> {
        final int maxEntries;
        long evicted;
        LabelCache(int maxEntries) { super(4_096, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > maxEntries) { evicted++; return true; } return false; }
    }

    static final class IrrigationController {
        final CompletableFuture<Void> shutdownSignal = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        final CompletableFuture<ValveAck>[] recentAcks = new CompletableFuture[ACK_RING];
        long commands, acknowledged, litresTotalMl, closedOnShutdown;
        final Map<String, Long> openValves = new HashMap<>();
        IrrigationController() { shutdownSignal.thenRun(() -> { closedOnShutdown = openValves.size(); openValves.clear(); }); }
        CompletableFuture<ValveAck> water(String bedCode, long at) {
            CompletableFuture<ValveAck> f = new CompletableFuture<>();
            long id = commands++;
            openValves.put(bedCode, id);
            f.thenAccept(ack -> { acknowledged++; litresTotalMl += ack.millilitres(); openValves.remove(ack.bedCode()); });
            recentAcks[(int) (id % ACK_RING)] = f;
            return f;
        }
    }

    static final class ClimateReport {
        final StringBuilder buffer = new StringBuilder(16 * 1_024);
        final OutputStream out = OutputStream.nullOutputStream();
        long exports, shipped;
        void add(SensorReading r) { buffer.append(r.at()).append(',').append(r.bedCode()).append(',').append(Math.round(r.moisture() * 100)).append(',').append(Math.round(r.tempC() * 10)).append('\n'); }
        void export() throws IOException { byte[] b = buffer.toString().getBytes(StandardCharsets.US_ASCII); out.write(b); shipped += b.length; buffer.setLength(0); exports++; }
    }

    static final Map<String, Bed> BEDS_BY_CODE = new HashMap<>();

    static final class NurseryService {
        final Map<String, PlantLot> lots = new HashMap<>();
        final LabelCache labels;
        final SensorReading[] readings = new SensorReading[RING];
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final IrrigationController irrigation = new IrrigationController();
        final ClimateReport report = new ClimateReport();
        long readingCount;
        NurseryService(Properties config) { labels = new LabelCache(Integer.parseInt(config.getProperty("labels.cache.max-entries", "500"))); }
    }

    static NurseryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = READINGS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(37_050_001);
        Properties config = new Properties();
        config.setProperty("labels.cache.max-entries", "2000");
        String[] bedCodes = new String[BEDS];
        for (int b = 0; b < BEDS; b++) {
            double[] light = new double[64];
            for (int k = 0; k < light.length; k++) light[k] = rnd.nextDouble() * 50_000;
            String code = "BED-" + (2_000 + b);
            bedCodes[b] = code;
            BEDS_BY_CODE.put(code, new Bed(code, "House " + (b / 50), light));
        }
        NurseryService svc = new NurseryService(config);
        SERVICE = svc;
        String[] lotCodes = new String[LOTS];
        String[] species = {"Hosta", "Lavandula", "Heuchera", "Salvia", "Acer palmatum", "Hydrangea", "Buxus", "Rosa", "Geranium", "Ficus"};
        for (int l = 0; l < LOTS; l++) {
            String lot = "LOT-" + (800_000 + l * 7);
            lotCodes[l] = lot;
            svc.lots.put(lot, new PlantLot(lot, species[l % species.length], bedCodes[rnd.nextInt(BEDS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(37_050_002);
        long nextExport = start + 10 * MINUTE;
        CompletableFuture<ValveAck> pending = null;
        String pendingBed = null;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextExport <= t) { svc.report.export(); nextExport += 10 * MINUTE; }
            String bed = bedCodes[traffic.nextInt(BEDS)];
            SensorReading r = new SensorReading(bed, traffic.nextDouble(), 12 + traffic.nextDouble() * 20, traffic.nextDouble() * 60_000, t);
            svc.readings[(int) (svc.readingCount++ % RING)] = r;
            svc.report.add(r);
            if (pending != null) { // the valve acknowledges the previous command
                pending.complete(new ValveAck(pendingBed, svc.irrigation.commands - 1, 200 + traffic.nextInt(800), t));
                pending = null;
            }
            if (r.moisture() < 0.25) { pending = svc.irrigation.water(bed, t); pendingBed = bed; }
            if (i % 2 == 0) {
                String key = lotCodes[traffic.nextInt(5_000)] + "/label";
                if (svc.labels.get(key) == null) svc.labels.put(key, new Label(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        if (pending != null) pending.complete(new ValveAck(pendingBed, svc.irrigation.commands - 1, 500, end - MINUTE));
        IrrigationController ir = svc.irrigation;
        int completedAcks = 0;
        for (CompletableFuture<ValveAck> f : ir.recentAcks) if (f != null && f.isDone() && f.getNumberOfDependents() == 0) completedAcks++;
        System.out.println("stage " + stage + " beds " + BEDS_BY_CODE.size() + " lots " + svc.lots.size() + " readings " + svc.readingCount + " commands " + ir.commands + " acknowledged " + ir.acknowledged
                + " recentAcks " + completedAcks + " shutdown dependents " + ir.shutdownSignal.getNumberOfDependents() + " open valves " + ir.openValves.size()
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") report exports " + svc.report.exports + " report length " + svc.report.buffer.length()
                + " capacity " + svc.report.buffer.capacity() + " pool " + svc.frameBuffers.size());
        check(BEDS_BY_CODE.size() == BEDS && svc.lots.size() == LOTS, "reference data / directory");
        check(svc.readingCount == events && svc.report.exports == hours * 6 - 1, "traffic");
        check(ir.acknowledged == ir.commands && ir.commands > ACK_RING && completedAcks == ACK_RING && ir.openValves.isEmpty(), "every valve command acknowledged");
        check(ir.shutdownSignal.getNumberOfDependents() == 1 && !ir.shutdownSignal.isDone(), "one shutdown callback");
        check(svc.labels.size() == 2_000 && svc.labels.evicted > 0, "label cache at cap");
        check(svc.report.buffer.length() < 100_000 && svc.report.buffer.capacity() < 200_000, "report reset after each export");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(stage == 1 ? svc.readings[RING - 1] == null && svc.readings[events - 1] != null : svc.readings[RING - 1] != null, "sensor ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
