// hprofscan-dump: name=val116-leak-escalators jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val116-leak-escalators-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 116 (written blind), LEAK: the telemetry gateway of a metro operator's escalators
 * and moving walkways. Station reference data, the component register, an LRU of decoded fault
 * reports at its cap, a pool of frame-decode buffers, a ring of recent readings, the open
 * maintenance work orders and the open controller connections. Each controller connection (one
 * per escalator; controllers reconnect after network flaps and idle timeouts) registers a config
 * callback in the static ConfigBroadcaster.CALLBACKS (a CopyOnWriteArrayList) so that pushed
 * configuration reaches it; the callback captures the connection's read and write buffers. close()
 * releases the connection but never removes its callback, so every connection ever opened stays
 * registered with its buffers. See VALIDATION116.md.
 */
public final class Val116LeakEscalators {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, PUSH_EVERY = 5 * MINUTE, ASSIGN_AFTER = 30 * MINUTE;
    static final int STATIONS = 450, CONTROLLERS = 600, COMPONENTS = 20_000, FAULT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, READINGS = 60_000;
    static final int READ_BUFFER = 2_048, WRITE_BUFFER = 1_024;
    static final String[] KINDS = {"step chain", "handrail drive", "main motor", "comb plate", "brake", "skirt switch", "step roller", "gearbox"};
    static final String[] FAULTS = {"E101 handrail speed deviation", "E214 step sag", "E305 comb plate impact", "E412 brake wear", "E520 motor overtemp", "E633 skirt switch open"};
    static boolean FIXED;

    record Station(String code, String name, double[] ridershipByQuarterHour) {}
    record Component(String serial, String kind, String escalatorId, byte[] maintenanceHistory, long installedAt) {}
    record FaultReport(String key, byte[] decoded, long at) {}
    record Reading(String controllerId, int speedMmS, int motorTempC, long stepCount, long at) {}
    record WorkOrder(String number, String escalatorId, String fault, long openedAt) {}
    record ConfigPush(int version, String scope, byte[] frame) {}

    interface ConfigCallback { void onConfig(ConfigPush push); }

    /** Config pushed to every connected controller. */
    static final class ConfigBroadcaster {
        static final CopyOnWriteArrayList<ConfigCallback> CALLBACKS = new CopyOnWriteArrayList<>();
        static long pushes, deliveries;
        static void register(ConfigCallback cb) { CALLBACKS.add(cb); }
        static void unregister(ConfigCallback cb) { CALLBACKS.remove(cb); }
        static void push(ConfigPush p) { pushes++; for (ConfigCallback cb : CALLBACKS) { cb.onConfig(p); deliveries++; } }
    }

    /** One TCP connection of an escalator controller (simulated: no real socket). */
    static final class ControllerConnection {
        final String connectionId, controllerId;
        final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER), writeBuffer = ByteBuffer.allocate(WRITE_BUFFER);
        final long openedAt;
        final long closesAt;
        ConfigCallback callback;
        boolean open = true;
        long framesIn;
        ControllerConnection(String connectionId, String controllerId, long openedAt, long closesAt) {
            this.connectionId = connectionId; this.controllerId = controllerId; this.openedAt = openedAt; this.closesAt = closesAt;
        }
    }

    static final class FaultCache extends LinkedHashMap<String, FaultReport> {
        long evicted;
        FaultCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FaultReport> e) { if (size() > FAULT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, Component> components = new HashMap<>();
        final FaultCache faultReports = new FaultCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<WorkOrder> workOrders = new ArrayDeque<>();
        final Map<String, ControllerConnection> connections = new HashMap<>();
        final String[] controllerIds = new String[CONTROLLERS];
        long readingCount, opened, closed, workOrdersOpened, workOrdersAssigned, faultHits, connectionSeq;

        ControllerConnection open(String controllerId, long t, Random r) {
            ControllerConnection c = new ControllerConnection("conn-" + (880_000 + connectionSeq++), controllerId, t, t + (40 + r.nextInt(160)) * MINUTE);
            ByteBuffer in = c.readBuffer, out = c.writeBuffer;
            String id = c.controllerId;
            c.callback = push -> {
                if (!push.scope().equals("all") && !id.startsWith(push.scope())) return;
                out.clear();
                out.put(push.frame());
                in.clear(); // the frame decoder restarts with the new config
            };
            ConfigBroadcaster.register(c.callback);
            connections.put(controllerId, c);
            opened++;
            return c;
        }

        void close(ControllerConnection c) {
            c.open = false;
            connections.remove(c.controllerId);
            closed++;
            if (FIXED) ConfigBroadcaster.unregister(c.callback);
            // BUG: the callback stays in ConfigBroadcaster.CALLBACKS, with both buffers
        }

        void reading(ControllerConnection c, long t, Random r) {
            byte[] scratch = decodeBuffers.poll();
            int len = 40 + r.nextInt(200);
            c.readBuffer.clear();
            c.readBuffer.put(scratch, 0, len);
            c.framesIn++;
            decodeBuffers.add(scratch);
            Reading rd = new Reading(c.controllerId, 450 + r.nextInt(200), 30 + r.nextInt(50), (long) r.nextInt(1_000_000) * 7, t);
            readings[(int) (readingCount++ % RING)] = rd;
            if (r.nextInt(20) == 0) {
                String fault = FAULTS[r.nextInt(FAULTS.length)];
                String key = c.controllerId + "/" + fault.substring(0, 4) + "/" + r.nextInt(4);
                if (faultReports.get(key) == null) faultReports.put(key, new FaultReport(key, new byte[400 + r.nextInt(400)], t));
                else faultHits++;
                if (r.nextInt(3) == 0) { workOrders.add(new WorkOrder("WO-" + (61_000 + workOrdersOpened++), c.controllerId, fault, t)); }
            }
        }

        void minute(long t) {
            while (!workOrders.isEmpty() && workOrders.peek().openedAt() + ASSIGN_AFTER <= t) { workOrders.poll(); workOrdersAssigned++; }
        }
    }

    record Reconnect(String controllerId, long at) {}

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(116_030_001);
        Gateway gw = new Gateway();
        SERVICE = gw;
        for (int s = 0; s < STATIONS; s++) {
            double[] riders = new double[96];
            for (int k = 0; k < riders.length; k++) riders[k] = rnd.nextDouble() * 2_500;
            String code = "STN-" + (100 + s);
            STATIONS_BY_CODE.put(code, new Station(code, "Station " + s, riders));
        }
        for (int e = 0; e < CONTROLLERS; e++) gw.controllerIds[e] = "ESC-" + (100 + e % STATIONS) + "-" + (char) ('A' + e / STATIONS) + (e % 7);
        for (int c = 0; c < COMPONENTS; c++) {
            String serial = "EC" + (7_300_000 + c * 13);
            gw.components.put(serial, new Component(serial, KINDS[rnd.nextInt(KINDS.length)], gw.controllerIds[rnd.nextInt(CONTROLLERS)], new byte[150 + rnd.nextInt(150)], now - (long) (60 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) gw.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_030_002);
        for (String id : gw.controllerIds) gw.open(id, start, traffic);
        PriorityQueue<Reconnect> reconnects = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.controllerId().compareTo(b.controllerId()));
        long nextMinute = start + MINUTE, nextPush = start + PUSH_EVERY;
        int version = 1;
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - MINUTE - start) * i / READINGS;
            while (nextMinute <= t) {
                long m = nextMinute;
                // connections whose time is up close (flap or idle timeout); their controller reconnects 1-3 minutes later
                for (String id : gw.controllerIds) {
                    ControllerConnection c = gw.connections.get(id);
                    if (c != null && c.closesAt <= m) { gw.close(c); reconnects.add(new Reconnect(id, m + (1 + traffic.nextInt(3)) * MINUTE)); }
                }
                while (!reconnects.isEmpty() && reconnects.peek().at() <= m) gw.open(reconnects.poll().controllerId(), m, traffic);
                gw.minute(m);
                if (m >= nextPush) {
                    String scope = traffic.nextInt(4) == 0 ? "all" : "ESC-" + (100 + traffic.nextInt(STATIONS));
                    ConfigBroadcaster.push(new ConfigPush(version++, scope, ("cfg v" + version + " speed=500 eco=" + traffic.nextBoolean()).getBytes(StandardCharsets.US_ASCII)));
                    nextPush += PUSH_EVERY;
                }
                nextMinute += MINUTE;
            }
            ControllerConnection c = gw.connections.get(gw.controllerIds[traffic.nextInt(CONTROLLERS)]);
            if (c != null) gw.reading(c, t, traffic);
        }
    }

    static final long EXPECTED_OPENED = 3_262, EXPECTED_OPEN_NOW = 590;

    static void report() {
        Gateway gw = SERVICE;
        long openBuffers = 0;
        for (ControllerConnection c : gw.connections.values()) if (c.open) openBuffers++;
        int callbacks = ConfigBroadcaster.CALLBACKS.size();
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " components " + gw.components.size() + " readings " + gw.readingCount + " connections opened " + gw.opened
                + " closed " + gw.closed + " open " + gw.connections.size() + " callbacks " + callbacks + " (pushes " + ConfigBroadcaster.pushes + ", deliveries " + ConfigBroadcaster.deliveries
                + ") fault reports " + gw.faultReports.size() + " (evicted " + gw.faultReports.evicted + ", hits " + gw.faultHits + ") work orders " + gw.workOrders.size() + " (opened " + gw.workOrdersOpened
                + ", assigned " + gw.workOrdersAssigned + ") pool " + gw.decodeBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && gw.components.size() == COMPONENTS, "reference data / directory");
        check(gw.opened == EXPECTED_OPENED && gw.connections.size() == EXPECTED_OPEN_NOW && gw.opened - gw.closed == gw.connections.size() && openBuffers == gw.connections.size(), "connections");
        check(callbacks == (FIXED ? gw.connections.size() : gw.opened), "config callbacks: " + callbacks);
        check(gw.faultReports.size() == FAULT_CAP && gw.faultReports.evicted > 0, "fault cache at cap");
        check(gw.decodeBuffers.size() == POOL && gw.readings[RING - 1] != null && !gw.workOrders.isEmpty(), "pool / ring / work orders");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val116.fixed");
        run();
        report();
        LeakCheck.histogram("java.nio.HeapByteBuffer ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
