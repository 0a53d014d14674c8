// hprofscan-dump: name=val8-leak-iotgateway jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val8-leak-iotgateway-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 8 (written blind), LEAK: an MQTT ingestion gateway for building sensors that has
 * run for 8 simulated hours. Eight ingest workers (event-loop threads) decode the frames. The
 * leak: {@code FrameDecoder.PENDING_ACKS}, a ThreadLocal list of QoS-1 frames waiting for their
 * PUBACK; the ack flusher clears {@code PENDING_ACKS.get()} on its own scheduler thread, so the
 * workers' lists are never cleared (4,000 frames on each of the 8 workers, hours old). Beside it:
 * the device registry (registered lazily on first CONNECT, now all 40,000 devices), the firmware
 * catalog loaded at startup, a last-value cache at capacity, the live MQTT sessions, an alarm ring,
 * a 128 KB decode scratch buffer per worker (a legitimate ThreadLocal on the same threads) and the
 * config. See testdata/VALIDATION8.md.
 */
public final class Val8LeakIotGateway {
    static final int DEVICES = 40_000;
    static final int FIRMWARE = 400;
    static final int LAST_VALUE_CAP = 30_000;
    static final int ALARM_SLOTS = 4_096;
    static final int WORKERS = 8;
    static final int QOS1_FRAMES = 32_000;
    static final int QOS0_FRAMES = 96_000;
    static final int CONNECTED = 12_000;
    static final long HOUR = 3_600_000L;
    static final long SIM_MILLIS = 8 * HOUR;

    static Gateway RUNNING;

    static final class Device {
        final String deviceId; final String telemetryTopic; final String buildingId; final String model; final int[] calibration; String firmwareVersion; final long registeredAt; long lastSeenAt;
        Device(String deviceId, String buildingId, String model, int[] calibration, String firmwareVersion, long registeredAt) {
            this.deviceId = deviceId; this.telemetryTopic = "buildings/" + buildingId + "/devices/" + deviceId + "/telemetry"; this.buildingId = buildingId; this.model = model;
            this.calibration = calibration; this.firmwareVersion = firmwareVersion; this.registeredAt = registeredAt;
        }
    }

    /** Devices are looked up in the provisioning service on their first CONNECT and kept. */
    static final class DeviceRegistry {
        final Map<String, Device> byId = new ConcurrentHashMap<>();
    }

    static final class FirmwareImage {
        final String model; final String version; final long sizeBytes; final String[] chunkSha256; final long releasedAt;
        FirmwareImage(String model, String version, long sizeBytes, String[] chunkSha256, long releasedAt) { this.model = model; this.version = version; this.sizeBytes = sizeBytes; this.chunkSha256 = chunkSha256; this.releasedAt = releasedAt; }
    }

    /** Reference data: every released firmware image's manifest, loaded at startup. */
    static final class FirmwareCatalog {
        static final Map<String, FirmwareImage> BY_VERSION = new HashMap<>();
    }

    static final class SensorReading {
        final String deviceId; final int channel; final double value; final long measuredAt;
        SensorReading(String deviceId, int channel, double value, long measuredAt) { this.deviceId = deviceId; this.channel = channel; this.value = value; this.measuredAt = measuredAt; }
    }

    /** The latest reading of the 30,000 most recently active device channels, for the dashboards. */
    static final class LastValueCache extends LinkedHashMap<String, SensorReading> {
        final int maxEntries;
        LastValueCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SensorReading> e) { return size() > maxEntries; }
    }

    static final class MqttSession {
        final String clientId; final int keepAliveSeconds; final long connectedAt; long lastPacketAt; int inflight; final String[] subscriptions;
        MqttSession(String clientId, int keepAliveSeconds, long connectedAt, String[] subscriptions) { this.clientId = clientId; this.keepAliveSeconds = keepAliveSeconds; this.connectedAt = connectedAt; this.lastPacketAt = connectedAt; this.subscriptions = subscriptions; }
    }

    static final class Alarm { String deviceId; int code; long raisedAt; boolean acknowledged; }

    /** The last 4,096 alarms for the operator console; preallocated and overwritten. */
    static final class AlarmRing {
        final Alarm[] slots = new Alarm[ALARM_SLOTS];
        long written;
        AlarmRing() { for (int i = 0; i < slots.length; i++) slots[i] = new Alarm(); }
        Alarm next() { return slots[(int) (written++ % ALARM_SLOTS)]; }
    }

    static final class TelemetryFrame {
        final String deviceId; final String topic; final byte[] payload; final int packetId; final byte qos; final long receivedAt;
        TelemetryFrame(String deviceId, String topic, byte[] payload, int packetId, byte qos, long receivedAt) { this.deviceId = deviceId; this.topic = topic; this.payload = payload; this.packetId = packetId; this.qos = qos; this.receivedAt = receivedAt; }
    }

    static final class FrameDecoder {
        /** A decode scratch buffer per ingest worker: legitimate, one per thread. */
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[128 * 1024]);
        /** THE LEAK: QoS-1 frames waiting for PUBACK, per worker; only the flusher's own list is ever cleared. */
        static final ThreadLocal<List<TelemetryFrame>> PENDING_ACKS = ThreadLocal.withInitial(ArrayList::new);

        static void decode(TelemetryFrame f) {
            byte[] s = SCRATCH.get();
            System.arraycopy(f.payload, 0, s, 0, f.payload.length);
            if (f.qos == 1) PENDING_ACKS.get().add(f);
        }
    }

    /** Sends the PUBACKs every second on the scheduler thread, then clears "the" pending list. */
    static final class AckFlusher {
        long flushed;
        void flush() { List<TelemetryFrame> l = FrameDecoder.PENDING_ACKS.get(); flushed += l.size(); l.clear(); }
    }

    /** One event-loop thread with its own task queue. */
    static final class IngestWorker extends Thread {
        final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        IngestWorker(int n) { super("mqtt-ingest-" + n); setDaemon(true); }
        @Override public void run() {
            try { while (true) tasks.take().run(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
    }

    static final class Gateway {
        final DeviceRegistry devices = new DeviceRegistry();
        final LastValueCache lastValues = new LastValueCache(LAST_VALUE_CAP);
        final Map<String, MqttSession> sessions = new ConcurrentHashMap<>();
        final AlarmRing alarms = new AlarmRing();
        final IngestWorker[] workers = new IngestWorker[WORKERS];
        final ExecutorService scheduler = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, "mqtt-ack-flusher"); t.setDaemon(true); return t; });
        final AckFlusher flusher = new AckFlusher();
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static long liveBytes() throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.trim().startsWith("Total")) { String[] t = line.trim().split("\\s+"); total = Long.parseLong(t[2]); }
        }
        p.waitFor();
        return total;
    }

    static void drain(Gateway gw) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(WORKERS);
        for (IngestWorker w : gw.workers) w.tasks.add(done::countDown);
        done.await();
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(8_020_001);
        Gateway gw = new Gateway();
        RUNNING = gw;
        for (int i = 0; i < 100; i++) gw.config.setProperty("gateway.building." + i + ".alarmThreshold", Integer.toString(30 + i % 50));
        String[] models = {"TH-200", "TH-210", "CO2-9", "PIR-4", "LUX-7", "VOC-3", "WTR-1", "DOOR-2"};
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < FIRMWARE; i++) {
            String model = models[i % models.length], version = model + "-" + (1 + i / 40) + "." + (i % 40) + ".0";
            String[] chunks = new String[24 + i % 40];
            for (int c = 0; c < chunks.length; c++) chunks[c] = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
            FirmwareCatalog.BY_VERSION.put(version, new FirmwareImage(model, version, chunks.length * 65_536L, chunks, start - 86_400_000L * (400 - i)));
            versions.add(version);
        }
        for (int w = 0; w < WORKERS; w++) { gw.workers[w] = new IngestWorker(w); gw.workers[w].start(); }
        String[] deviceIds = new String[DEVICES];
        for (int i = 0; i < DEVICES; i++) deviceIds[i] = String.format("dev-%s-%06d", models[i % models.length].toLowerCase(), i);
        int registered = 0;
        int packetId = 0;
        int total = QOS1_FRAMES + QOS0_FRAMES;
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            // Devices connect for the first time over the first 5 hours of the run; then all are known.
            String id = registered < DEVICES && (i % 2 == 0 || registered == 0) ? deviceIds[registered] : deviceIds[rnd.nextInt(Math.max(1, registered))];
            Device d = gw.devices.byId.get(id);
            if (d == null) {
                int[] cal = new int[16];
                for (int c = 0; c < cal.length; c++) cal[c] = rnd.nextInt(1_000);
                int n = registered++;
                d = new Device(id, "B" + (n % 700), models[n % models.length], cal, versions.get((n % models.length) + models.length * (n % 10)), t);
                gw.devices.byId.put(id, d);
            }
            d.lastSeenAt = t;
            int channel = rnd.nextInt(4);
            gw.lastValues.put(id + "#" + channel, new SensorReading(id, channel, rnd.nextDouble() * 100, t));
            if (rnd.nextInt(100) == 0) { Alarm a = gw.alarms.next(); a.deviceId = id; a.code = 100 + rnd.nextInt(20); a.raisedAt = t; a.acknowledged = rnd.nextBoolean(); }
            // Every fourth frame is QoS 1: exactly QOS1_FRAMES of them, round-robin over the workers.
            byte qos = (byte) (i % 4 == 3 ? 1 : 0);
            TelemetryFrame f = new TelemetryFrame(d.deviceId, d.telemetryTopic, new byte[256 + rnd.nextInt(512)], qos == 1 ? (++packetId & 0xFFFF) : 0, qos, t);
            gw.workers[qos == 1 ? (i / 4) % WORKERS : i % WORKERS].tasks.add(() -> FrameDecoder.decode(f));
            if (i % 4_000 == 3_999) { drain(gw); gw.scheduler.submit(gw.flusher::flush).get(); }
        }
        drain(gw);
        gw.scheduler.submit(gw.flusher::flush).get();
        // The devices connected now (the last 12,000 that sent something), keep-alive 60 s.
        List<Device> recent = new ArrayList<>(gw.devices.byId.values());
        recent.sort((a, b) -> Long.compare(b.lastSeenAt, a.lastSeenAt));
        for (int i = 0; i < CONNECTED; i++) {
            Device d = recent.get(i);
            MqttSession s = new MqttSession(d.deviceId, 60, d.lastSeenAt - rnd.nextInt(3_600_000), new String[] {"buildings/" + d.buildingId + "/commands", "devices/" + d.deviceId + "/ota"});
            s.lastPacketAt = now - rnd.nextInt(60_000);
            gw.sessions.put(d.deviceId, s);
        }
        recent = null;
        int[] perWorker = new int[WORKERS];
        CountDownLatch counted = new CountDownLatch(WORKERS);
        for (int w = 0; w < WORKERS; w++) { int k = w; gw.workers[w].tasks.add(() -> { perWorker[k] = FrameDecoder.PENDING_ACKS.get().size(); counted.countDown(); }); }
        counted.await();
        int pending = 0;
        for (int c : perWorker) pending += c;
        System.out.println("devices " + gw.devices.byId.size() + " firmware " + FirmwareCatalog.BY_VERSION.size() + " lastValues " + gw.lastValues.size() + " sessions " + gw.sessions.size()
                + " alarms " + gw.alarms.written + " pending acks " + pending + " " + java.util.Arrays.toString(perWorker) + " (flusher cleared " + gw.flusher.flushed + ")");
        check(gw.devices.byId.size() == DEVICES && FirmwareCatalog.BY_VERSION.size() == FIRMWARE, "reference data");
        check(gw.lastValues.size() == LAST_VALUE_CAP, "last values");
        check(gw.sessions.size() == CONNECTED, "sessions");
        check(gw.flusher.flushed == 0, "flusher");
        for (int c : perWorker) check(c == QOS1_FRAMES / WORKERS, "pending acks per worker " + c);
        System.gc();
        if (Boolean.getBoolean("val8.share")) {
            long before = liveBytes();
            CountDownLatch cleared = new CountDownLatch(WORKERS);
            for (IngestWorker w : gw.workers) w.tasks.add(() -> { FrameDecoder.PENDING_ACKS.get().clear(); cleared.countDown(); });
            cleared.await();
            System.gc();
            long after = liveBytes();
            System.out.printf("share: live %d, leak %d (%.1f%%)%n", before, before - after, 100.0 * (before - after) / before);
            System.exit(0);
        }
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
