// hprofscan-dump: name=val59-leak-containercranes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val59-leak-containercranes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 59 (written blind), LEAK: the crane-telemetry gateway of a container terminal.
 * Berth reference data, the container directory, a cache of rendered stowage plans at its cap, a
 * pool of frame-decode buffers, a ring of recent container moves, the table of open controller
 * connections, and per-connection JMX monitoring: every crane controller connection registers a
 * ConnectionStats MBean (testdata.val59:type=CraneConnection,...) with the platform MBean server so
 * that operations can watch it in JConsole. Controllers reconnect often (radio hand-overs along the
 * quay), and closing a connection never unregisters its MBean: the MBean server keeps every
 * ConnectionStats ever registered, with the closed ClientConnection it references (and that
 * connection's last telemetry frame). See VALIDATION59.md.
 */
public final class Val59LeakContainerCranes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BERTHS = 1_000, CONTAINERS = 25_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, CRANES = 240, HOURS = 10, CONNECTIONS = 6_000, MOVES = 57_600;
    static final String DOMAIN = "testdata.val59";
    static boolean FIXED;

    record Berth(String code, String quay, double[] tideWindow) {}
    record Container(String number, String owner, String isoType, byte[] manifest, long gateInAt) {}
    record StowagePlan(String key, byte[] rendered, long at) {}
    record Move(String containerNo, String craneId, String from, String to, long at) {}

    static final class ClientConnection {
        final long id; final String craneId, remoteAddress; final long openedAt; long closedAt;
        long framesIn, bytesIn;
        byte[] lastFrame;
        ClientConnection(long id, String craneId, String remoteAddress, long openedAt) { this.id = id; this.craneId = craneId; this.remoteAddress = remoteAddress; this.openedAt = openedAt; }
    }

    public interface ConnectionStatsMBean {
        String getCraneId();
        String getRemoteAddress();
        long getFramesIn();
        long getBytesIn();
        long getOpenedAt();
        boolean isOpen();
    }

    public static final class ConnectionStats implements ConnectionStatsMBean {
        final ClientConnection conn;
        ConnectionStats(ClientConnection conn) { this.conn = conn; }
        @Override public String getCraneId() { return conn.craneId; }
        @Override public String getRemoteAddress() { return conn.remoteAddress; }
        @Override public long getFramesIn() { return conn.framesIn; }
        @Override public long getBytesIn() { return conn.bytesIn; }
        @Override public long getOpenedAt() { return conn.openedAt; }
        @Override public boolean isOpen() { return conn.closedAt == 0; }
    }

    static final class PlanCache extends LinkedHashMap<String, StowagePlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StowagePlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Berth> BERTHS_BY_CODE = new HashMap<>();

    static final class TelemetryGateway {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Container> containers = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Move[] moves = new Move[RING];
        long moveCount;
        final Map<Long, ClientConnection> open = new HashMap<>();
        long opened, closed, registered, unregistered;

        static ObjectName nameOf(ClientConnection c) throws Exception {
            return new ObjectName(DOMAIN + ":type=CraneConnection,crane=" + c.craneId + ",id=" + c.id);
        }
        ClientConnection accept(long id, String craneId, String remote, long at) throws Exception {
            ClientConnection c = new ClientConnection(id, craneId, remote, at);
            open.put(id, c);
            opened++;
            mbeans.registerMBean(new ConnectionStats(c), nameOf(c));
            registered++;
            return c;
        }
        void close(ClientConnection c, long at) throws Exception {
            c.closedAt = at;
            open.remove(c.id);
            closed++;
            if (FIXED) { mbeans.unregisterMBean(nameOf(c)); unregistered++; }
            // BUG: the ConnectionStats MBean stays registered after the connection is closed
        }
    }

    static TelemetryGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val59.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(59_020_001);
        String[] berthCodes = new String[BERTHS];
        for (int b = 0; b < BERTHS; b++) {
            double[] tide = new double[96];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 6;
            berthCodes[b] = "BERTH-" + (b / 50) + "-" + (b % 50);
            BERTHS_BY_CODE.put(berthCodes[b], new Berth(berthCodes[b], "Quay " + (b / 50), tide));
        }
        TelemetryGateway svc = new TelemetryGateway();
        SERVICE = svc;
        String[] numbers = new String[CONTAINERS];
        String[] owners = {"MSCU", "MAEU", "CMAU", "HLXU", "OOLU", "EGHU", "TGHU"};
        String[] isoTypes = {"22G1", "42G1", "45G1", "22R1", "45R1", "L5G1"};
        for (int c = 0; c < CONTAINERS; c++) {
            String owner = owners[c % owners.length];
            numbers[c] = owner + (1_000_000 + c * 13);
            svc.containers.put(numbers[c], new Container(numbers[c], owner, isoTypes[rnd.nextInt(isoTypes.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(30)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        String[] craneIds = new String[CRANES];
        for (int k = 0; k < CRANES; k++) craneIds[k] = "STS-" + (k / 12) + "-" + (k % 12);
        Random traffic = new Random(59_020_002);
        // Connection lifecycles: one connection per crane at the start, then CONNECTIONS - CRANES reconnects spread
        // over the period; a reconnect closes the crane's current connection and opens a new one.
        ClientConnection[] current = new ClientConnection[CRANES];
        long connId = 880_000;
        for (int k = 0; k < CRANES; k++) current[k] = svc.accept(connId++, craneIds[k], "10.40." + (k / 12) + "." + (10 + k % 12) + ":" + (40_000 + traffic.nextInt(20_000)), start);
        int reconnects = CONNECTIONS - CRANES;
        int movesPerReconnect = MOVES / reconnects;
        int moveIdx = 0;
        for (int r = 0; r < reconnects; r++) {
            for (int m = 0; m < movesPerReconnect && moveIdx < MOVES; m++, moveIdx++) {
                long t = start + (end - MINUTE - start) * moveIdx / MOVES;
                int k = traffic.nextInt(CRANES);
                ClientConnection c = current[k];
                byte[] frame = new byte[256 + traffic.nextInt(512)];
                c.lastFrame = frame; c.framesIn++; c.bytesIn += frame.length;
                svc.moves[(int) (svc.moveCount++ % RING)] = new Move(numbers[traffic.nextInt(CONTAINERS)], craneIds[k], berthCodes[traffic.nextInt(BERTHS)], "YARD-" + traffic.nextInt(400), t);
                String key = "plan-" + traffic.nextInt(4_000);
                if (svc.plans.get(key) == null) svc.plans.put(key, new StowagePlan(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[moveIdx % buf.length] = (byte) moveIdx;
                svc.frameBuffers.add(buf);
            }
            long t = start + (end - MINUTE - start) * moveIdx / MOVES;
            int k = traffic.nextInt(CRANES);
            svc.close(current[k], t);
            current[k] = svc.accept(connId++, craneIds[k], "10.40." + (k / 12) + "." + (10 + k % 12) + ":" + (40_000 + traffic.nextInt(20_000)), t);
        }
        int ours = svc.mbeans.queryNames(new ObjectName(DOMAIN + ":type=CraneConnection,*"), null).size();
        System.out.println((FIXED ? "FIXED " : "") + "berths " + BERTHS_BY_CODE.size() + " containers " + svc.containers.size() + " connections opened " + svc.opened + " closed " + svc.closed + " open " + svc.open.size()
                + " mbeans " + ours + " (platform total " + svc.mbeans.getMBeanCount() + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.frameBuffers.size() + " moves " + svc.moveCount);
        check(BERTHS_BY_CODE.size() == BERTHS && svc.containers.size() == CONTAINERS, "reference data / directory");
        check(svc.opened == CONNECTIONS && svc.closed == CONNECTIONS - CRANES && svc.open.size() == CRANES, "connections");
        if (FIXED) check(ours == CRANES, "mbeans of open connections: " + ours);
        else check(ours == CONNECTIONS, "mbeans of every connection ever opened: " + ours);
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.moveCount == MOVES && svc.moves[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
