// hprofscan-dump: name=val75-healthy-robomowers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val75-healthy-robomowers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val75-healthy-robomowers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val75-healthy-robomowers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 75 (written blind), HEALTHY: the cloud backend of a robotic lawn-mower maker.
 * Mower-model reference data, the owner directory, a device presence map keyed by install UUID
 * (devices churn through reinstalls) whose entries expire after 30 minutes, an event bus on which
 * each request handler registers in its constructor and unregisters in a finally block, a
 * hand-written LRU of garden-map tiles whose capacity comes from configuration (set: 2,000), one
 * firmware-rollout scheduler per dealer network that is shut down when a config reload replaces
 * it, a ring of telemetry readings and a pool of blade-sensor buffers. Warms up, then plateaus.
 * See VALIDATION75.md.
 */
public final class Val75HealthyRoboMowers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TTL = 30 * MINUTE;
    static final int MODELS = 1_500, OWNERS = 25_000, POOL = 8, TELEMETRY_RING = 16_384, ONLINE = 5_000, HEARTBEATS_PER_HOUR = 20_000, DEALERS = 4;

    record MowerModel(String code, String series, double[] cuttingProfile) {}
    record Owner(String ownerId, String postcode, byte[] gardenNotes, long since) {}
    record MapTile(String key, byte[] png, long at) {}
    record Telemetry(String deviceId, int batteryPct, int bladeRpm, long at) {}
    record ApiRequest(String requestId, String ownerId, String path, long at, byte[] body) {}

    static final class DevicePresence {
        final String deviceId, ownerId; final byte[] pushToken; long lastSeenAt; int heartbeats;
        DevicePresence(String deviceId, String ownerId, byte[] pushToken, long at) { this.deviceId = deviceId; this.ownerId = ownerId; this.pushToken = pushToken; this.lastSeenAt = at; }
    }

    interface BusListener { void onEvent(Object event); }

    static final class EventBus {
        final Map<String, List<BusListener>> listenersByTopic = new HashMap<>();
        long posted, maxListeners;
        void register(String topic, BusListener l) { List<BusListener> ls = listenersByTopic.computeIfAbsent(topic, k -> new ArrayList<>()); ls.add(l); maxListeners = Math.max(maxListeners, ls.size()); }
        void unregister(String topic, BusListener l) { List<BusListener> ls = listenersByTopic.get(topic); if (ls != null) ls.remove(l); }
        void post(String topic, Object e) { posted++; for (BusListener l : listenersByTopic.getOrDefault(topic, List.of())) l.onEvent(e); }
    }

    static final class Subscriber implements BusListener { final String name; long seen; Subscriber(String name) { this.name = name; } public void onEvent(Object e) { seen++; } }

    /** Per request; registers in its constructor, unregisters in close() (always called). */
    static final class ScheduleRequestHandler implements BusListener, AutoCloseable {
        final EventBus bus; final ApiRequest request; int firmwareEvents;
        ScheduleRequestHandler(EventBus bus, ApiRequest request) { this.bus = bus; this.request = request; bus.register("firmware.released", this); }
        public void onEvent(Object e) { firmwareEvents++; }
        @Override public void close() { bus.unregister("firmware.released", this); }
    }

    static final class ConfiguredLru<K, V> extends LinkedHashMap<K, V> {
        final int capacity; long evicted;
        ConfiguredLru(int capacity) { super(1_024, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            if (capacity <= 0) return false; // "0 = eviction disabled"
            if (size() > capacity) { evicted++; return true; }
            return false;
        }
    }

    static final class DealerConfig {
        final String dealer; final int version; final byte[] rolloutPlan;
        DealerConfig(String dealer, int version, byte[] rolloutPlan) { this.dealer = dealer; this.version = version; this.rolloutPlan = rolloutPlan; }
    }

    static final class RolloutTick implements Runnable { final DealerConfig config; volatile long runs; RolloutTick(DealerConfig c) { config = c; } public void run() { runs++; } }

    static final class DealerRuntime {
        final String dealer; DealerConfig config; ScheduledExecutorService scheduler; int reloads;
        DealerRuntime(String dealer) { this.dealer = dealer; }
        void apply(DealerConfig cfg) throws InterruptedException {
            ScheduledExecutorService previous = scheduler;
            config = cfg;
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> { Thread th = new Thread(r, "rollout-" + dealer); th.setDaemon(true); return th; });
            scheduler.scheduleWithFixedDelay(new RolloutTick(cfg), 10, 10, TimeUnit.MINUTES);
            reloads++;
            if (previous != null) {
                previous.shutdownNow();
                if (!previous.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("old scheduler did not stop");
            }
        }
    }

    static final Map<String, MowerModel> MODELS_BY_CODE = new HashMap<>();

    static final class MowerCloud {
        final Properties config = new Properties();
        final Map<String, Owner> owners = new HashMap<>();
        final Map<String, DevicePresence> presence = new HashMap<>();
        long presenceInserted, presenceExpired;
        final EventBus bus = new EventBus();
        final List<Subscriber> subscribers = new ArrayList<>();
        ConfiguredLru<String, MapTile> tiles;
        final Map<String, DealerRuntime> dealers = new LinkedHashMap<>();
        final Telemetry[] telemetry = new Telemetry[TELEMETRY_RING];
        long telemetryWritten;
        final ArrayDeque<byte[]> sensorBuffers = new ArrayDeque<>();

        void heartbeat(String deviceId, String ownerId, Random r, long at) {
            int tokenLength = 32 + r.nextInt(32);
            DevicePresence p = presence.get(deviceId);
            if (p == null) { p = new DevicePresence(deviceId, ownerId, new byte[tokenLength], at); presence.put(deviceId, p); presenceInserted++; }
            p.lastSeenAt = at; p.heartbeats++;
        }
        void expire(long now) {
            for (Iterator<DevicePresence> it = presence.values().iterator(); it.hasNext(); ) if (it.next().lastSeenAt < now - TTL) { it.remove(); presenceExpired++; }
        }
    }

    static MowerCloud SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int beats = HEARTBEATS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(75_050_001);
        for (int m = 0; m < MODELS; m++) {
            double[] profile = new double[64];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 40;
            String code = "MWR-" + (m / 100) + "-" + (m % 100);
            MODELS_BY_CODE.put(code, new MowerModel(code, "Series " + (m % 9), profile));
        }
        MowerCloud svc = new MowerCloud();
        SERVICE = svc;
        svc.config.setProperty("cache.tiles.max-entries", "2000");
        String v = svc.config.getProperty("cache.tiles.max-entries");
        svc.tiles = new ConfiguredLru<>(v == null ? 0 : Integer.parseInt(v));
        String[] ownerIds = new String[OWNERS];
        for (int o = 0; o < OWNERS; o++) {
            ownerIds[o] = "OWN-" + (5_000_000 + o * 7);
            svc.owners.put(ownerIds[o], new Owner(ownerIds[o], "PC" + (o % 2_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.sensorBuffers.add(new byte[32_768]);
        for (String[] s : new String[][] {{"firmware.released", "fleet-stats"}, {"mower.stuck", "push"}, {"mower.stuck", "support-queue"}}) {
            Subscriber sub = new Subscriber(s[1]); svc.subscribers.add(sub); svc.bus.register(s[0], sub);
        }
        Random configs = new Random(75_050_004);
        int version = 1;
        for (String d : new String[] {"north-dealers", "south-dealers", "east-dealers", "west-dealers"}) {
            DealerRuntime rt = new DealerRuntime(d); svc.dealers.put(d, rt); rt.apply(new DealerConfig(d, version, new byte[8_192 + configs.nextInt(8_192)]));
        }
        Random traffic = new Random(75_050_002);
        Random ids = new Random(75_050_003);
        String[] online = new String[ONLINE], onlineOwner = new String[ONLINE];
        for (int s = 0; s < ONLINE; s++) { online[s] = new UUID(ids.nextLong(), ids.nextLong()).toString(); onlineOwner[s] = ownerIds[traffic.nextInt(OWNERS)]; }
        long nextSweep = start + 5 * MINUTE, nextReload = start + 30 * MINUTE, nextRelease = start + 15 * MINUTE, reinstalls = 0, requests = 0;
        int maxPresence = 0;
        for (int i = 0; i < beats; i++) {
            long t = start + (end - MINUTE - start) * i / beats;
            while (nextSweep <= t) { svc.expire(nextSweep); nextSweep += 5 * MINUTE; }
            while (nextReload <= t) {
                version++;
                for (DealerRuntime rt : svc.dealers.values()) rt.apply(new DealerConfig(rt.dealer, version, new byte[8_192 + configs.nextInt(8_192)]));
                nextReload += 30 * MINUTE;
            }
            while (nextRelease <= t) { svc.bus.post("firmware.released", "fw-" + nextRelease); nextRelease += 15 * MINUTE; }
            int slot = traffic.nextInt(ONLINE);
            if (traffic.nextInt(8) == 0) { online[slot] = new UUID(ids.nextLong(), ids.nextLong()).toString(); reinstalls++; }
            svc.heartbeat(online[slot], onlineOwner[slot], traffic, t);
            maxPresence = Math.max(maxPresence, svc.presence.size());
            if (i % 3 == 0) {
                svc.telemetry[(int) (svc.telemetryWritten++ % TELEMETRY_RING)] = new Telemetry(online[slot], traffic.nextInt(101), 2_000 + traffic.nextInt(2_000), t);
            }
            if (i % 6 == 0) {
                requests++;
                try (ScheduleRequestHandler h = new ScheduleRequestHandler(svc.bus, new ApiRequest("RQ-" + Long.toHexString(0x3b00_0000L + i), onlineOwner[slot], "PUT /mowers/{id}/schedule", t, new byte[100 + traffic.nextInt(100)]))) {
                    String key = "tile-" + traffic.nextInt(4_000);
                    if (svc.tiles.get(key) == null) svc.tiles.put(key, new MapTile(key, new byte[500 + traffic.nextInt(500)], t));
                }
                byte[] buf = svc.sensorBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.sensorBuffers.add(buf);
            }
        }
        int rolloutThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("rollout-")) rolloutThreads++;
        long oldest = Long.MAX_VALUE;
        for (DevicePresence p : svc.presence.values()) oldest = Math.min(oldest, p.lastSeenAt);
        System.out.println("stage " + stage + " models " + MODELS_BY_CODE.size() + " owners " + svc.owners.size() + " presence " + svc.presence.size() + " (max " + maxPresence + ", inserted " + svc.presenceInserted + ", expired " + svc.presenceExpired + ", reinstalls " + reinstalls
                + ", oldest " + (end - oldest) / MINUTE + " min) requests " + requests + " firmware.released listeners " + svc.bus.listenersByTopic.get("firmware.released").size() + " (max " + svc.bus.maxListeners + ", posted " + svc.bus.posted + ") tiles " + svc.tiles.size()
                + " (evicted " + svc.tiles.evicted + ") dealers " + svc.dealers.size() + " reloads " + svc.dealers.get("north-dealers").reloads + " rollout threads " + rolloutThreads + " telemetry " + svc.telemetryWritten + " pool " + svc.sensorBuffers.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.owners.size() == OWNERS, "reference data / directory");
        check(svc.presence.size() == svc.presenceInserted - svc.presenceExpired && svc.presence.size() < 2 * ONLINE && end - oldest <= TTL + 7 * MINUTE, "presence expired: " + svc.presence.size());
        check(svc.bus.listenersByTopic.get("firmware.released").size() == 1 && svc.bus.maxListeners == 2 && svc.bus.listenersByTopic.get("mower.stuck").size() == 2, "bus handlers unregistered");
        check(svc.tiles.capacity == 2_000 && svc.tiles.size() == 2_000 && svc.tiles.evicted > 0, "tile cache at cap");
        check(rolloutThreads == DEALERS && svc.dealers.get("north-dealers").reloads == hours * 2, "one rollout scheduler per dealer: " + rolloutThreads);
        check(svc.telemetryWritten == (beats + 2) / 3 && svc.telemetry[(int) Math.min(TELEMETRY_RING, svc.telemetryWritten) - 1] != null, "telemetry ring");
        check(svc.sensorBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
