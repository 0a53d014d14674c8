// hprofscan-dump: name=val34-leak-vendingfleet jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val34-leak-vendingfleet-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 34 (written blind), LEAK: the telemetry gateway of a vending-machine operator.
 * Depot reference data, the machine directory, a cache of product images at its cap, a pool of
 * frame buffers, a ring of recent vend events, the table of open connections, and JMX monitoring:
 * every modem connection registers a ConnectionStats MBean (which holds its MachineSession) on the
 * platform MBeanServer under com.vendco.gateway:type=Connection,machine=...,conn=.... Machines drop
 * and reconnect their cellular link all day; on disconnect the gateway closes the session and
 * removes it from the open-connection table, but never unregisters the MBean (unregistering was
 * left to gateway shutdown). The MBeanServer's repository keeps every closed session forever.
 * See VALIDATION34.md.
 */
public final class Val34LeakVendingFleet {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 800, MACHINES = 18_000, IMAGE_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTS_PER_HOUR = 700, HOURS = 8;
    static final String DOMAIN = "com.vendco.gateway";
    static boolean FIXED;

    record Depot(String code, String city, double[] restockMinutes) {}
    record Machine(String machineId, String depotCode, String model, byte[] planogram, long installedAt) {}
    record ProductImage(String key, byte[] png, long at) {}
    record VendEvent(String machineId, int slot, int priceCents, long at) {}

    static final class MachineSession {
        final long connId; final String machineId, remoteAddress; final long connectedAt; long closedAt, closeAt;
        long messages, bytesReceived;
        final byte[] lastFrame;
        MachineSession(long connId, String machineId, String remoteAddress, long connectedAt, int frameBytes) {
            this.connId = connId; this.machineId = machineId; this.remoteAddress = remoteAddress; this.connectedAt = connectedAt; this.lastFrame = new byte[frameBytes];
        }
    }

    public interface ConnectionStatsMBean {
        String getMachineId();
        String getRemoteAddress();
        long getConnectedAt();
        long getMessages();
        long getBytesReceived();
        boolean isOpen();
    }

    public static final class ConnectionStats implements ConnectionStatsMBean {
        final MachineSession session;
        ConnectionStats(MachineSession session) { this.session = session; }
        @Override public String getMachineId() { return session.machineId; }
        @Override public String getRemoteAddress() { return session.remoteAddress; }
        @Override public long getConnectedAt() { return session.connectedAt; }
        @Override public long getMessages() { return session.messages; }
        @Override public long getBytesReceived() { return session.bytesReceived; }
        @Override public boolean isOpen() { return session.closedAt == 0; }
    }

    public interface GatewayStatsMBean { int getOpenConnections(); long getConnectsTotal(); }

    public static final class GatewayStats implements GatewayStatsMBean {
        final TelemetryGateway gateway;
        GatewayStats(TelemetryGateway gateway) { this.gateway = gateway; }
        @Override public int getOpenConnections() { return gateway.open.size(); }
        @Override public long getConnectsTotal() { return gateway.connects; }
    }

    static final class ImageCache extends LinkedHashMap<String, ProductImage> {
        long evicted;
        ImageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductImage> e) { if (size() > IMAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class TelemetryGateway {
        final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Machine> machines = new HashMap<>();
        final Map<Long, MachineSession> open = new HashMap<>();
        final PriorityQueue<MachineSession> closing = new PriorityQueue<>((a, b) -> Long.compare(a.closeAt, b.closeAt));
        final ImageCache images = new ImageCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final VendEvent[] vends = new VendEvent[RING];
        long connects, disconnects, vendCount, registered, unregistered;

        static ObjectName nameOf(MachineSession s) throws Exception {
            return new ObjectName(DOMAIN + ":type=Connection,machine=" + s.machineId + ",conn=" + s.connId);
        }
        void connect(MachineSession s) throws Exception {
            open.put(s.connId, s);
            closing.add(s);
            connects++;
            mbs.registerMBean(new ConnectionStats(s), nameOf(s));
            registered++;
        }
        void closeDue(long t) throws Exception {
            while (!closing.isEmpty() && closing.peek().closeAt <= t) {
                MachineSession s = closing.poll();
                s.closedAt = s.closeAt;
                open.remove(s.connId);
                disconnects++;
                if (FIXED) { mbs.unregisterMBean(nameOf(s)); unregistered++; }
                // BUG: the MBean is only unregistered at gateway shutdown
            }
        }
    }

    static TelemetryGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val34.fixed");
        int connections = CONNECTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(34_040_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] restock = new double[64];
            for (int k = 0; k < restock.length; k++) restock[k] = 10 + rnd.nextDouble() * 50;
            depotCodes[d] = "DEP-" + (410 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "City " + (d % 160), restock));
        }
        TelemetryGateway gw = new TelemetryGateway();
        SERVICE = gw;
        gw.mbs.registerMBean(new GatewayStats(gw), new ObjectName(DOMAIN + ":type=Gateway"));
        String[] models = {"Snack 5x8", "Combo 42", "Cold Drink 10", "Coffee Bar", "Fresh Food 36"};
        String[] machineIds = new String[MACHINES];
        for (int m = 0; m < MACHINES; m++) {
            machineIds[m] = "VM" + (500_000 + m * 3);
            gw.machines.put(machineIds[m], new Machine(machineIds[m], depotCodes[rnd.nextInt(DEPOTS)], models[m % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(34_040_002);
        int vendsPerConnect = 8;
        for (int i = 0; i < connections; i++) {
            long t = start + (end - MINUTE - start) * i / connections;
            gw.closeDue(t);
            String machine = machineIds[traffic.nextInt(MACHINES)];
            MachineSession s = new MachineSession(70_000_000L + i, machine, "10." + traffic.nextInt(64) + "." + traffic.nextInt(256) + "." + traffic.nextInt(256), t, 128 + traffic.nextInt(128));
            s.closeAt = t + (5 + traffic.nextInt(85)) * MINUTE;
            gw.connect(s);
            for (int v = 0; v < vendsPerConnect; v++) {
                gw.vends[(int) (gw.vendCount++ % RING)] = new VendEvent(machine, traffic.nextInt(40), 75 + traffic.nextInt(400), t + v * 1_000);
                s.messages++;
                s.bytesReceived += 60 + traffic.nextInt(60);
            }
            String key = "img-" + traffic.nextInt(4_000);
            if (gw.images.get(key) == null) gw.images.put(key, new ProductImage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = gw.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            gw.frameBuffers.add(buf);
        }
        gw.closeDue(end);
        Set<ObjectName> conns = gw.mbs.queryNames(new ObjectName(DOMAIN + ":type=Connection,*"), null);
        int registeredOpen = 0;
        for (ObjectName n : conns) if (gw.open.containsKey(Long.parseLong(n.getKeyProperty("conn")))) registeredOpen++;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " machines " + gw.machines.size() + " connects " + gw.connects + " disconnects " + gw.disconnects
                + " open " + gw.open.size() + " connection mbeans " + conns.size() + " (of open connections " + registeredOpen + ") unregistered " + gw.unregistered + " mbeans in server " + gw.mbs.getMBeanCount()
                + " vends " + gw.vendCount + " images " + gw.images.size() + " (evicted " + gw.images.evicted + ") pool " + gw.frameBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && gw.machines.size() == MACHINES, "reference data / directory");
        check(gw.connects == connections && gw.connects == gw.disconnects + gw.open.size() && registeredOpen == gw.open.size(), "connection traffic");
        if (FIXED) check(conns.size() == gw.open.size(), "only open connections registered: " + conns.size());
        else check(conns.size() == connections, "every connection ever made is registered: " + conns.size());
        check(gw.images.size() == IMAGE_CAP && gw.images.evicted > 0, "image cache at cap");
        check(gw.frameBuffers.size() == POOL, "pool");
        check(gw.vendCount > RING && gw.vends[RING - 1] != null, "vend ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
