// hprofscan-dump: name=val19-leak-evcharging jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val19-leak-evcharging-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 19 (written blind), LEAK: the OCPP gateway of an EV charging network. Every
 * websocket connection of a charge point registers a per-connection statistics MBean on the
 * platform MBeanServer ({@code com.voltgrid.ocpp:type=Connection,...}) so operators can watch it
 * in JConsole. The bug: {@code disconnect()} removes the connection from the gateway's map but
 * never unregisters the MBean, so the MBeanServer's repository keeps every connection that ever
 * existed, with its message statistics and last frame buffer. Legitimate beside it: 10 service
 * MBeans registered once at startup, the charge-point registry and site directory (reference data),
 * the tariff table, the open connections, the charging-session ring, the frame buffer pool and a
 * fixed I/O pool. See testdata/VALIDATION19.md.
 */
public final class Val19LeakEvCharging {
    static final int CHARGE_POINTS = 45_000;
    static final int SITES = 3_000;
    static final int TARIFFS = 900;
    static final int CONNECTIONS = 4_200;
    static final int RING = 16_384;
    static final int SESSIONS = 24_000;
    static final int POOL = 48;
    static final int IO_THREADS = 8;
    static final long SIM_HOURS = 10;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final String DOMAIN = "com.voltgrid.ocpp";
    static final String[] SERVICES = {"GatewayMetrics", "TariffEngine", "SessionRouter", "FirmwareRollout", "SmartCharging",
        "AuthorizationCache", "MeterValueSink", "HeartbeatMonitor", "RoamingHub", "ReservationBook"};

    static Gateway GATEWAY;

    public interface ConnectionStatsMBean {
        String getChargePointId();
        long getConnectedAt();
        long getMessagesIn();
        long getMessagesOut();
        long getLastMessageAt();
    }

    public interface ServiceInfoMBean {
        String getName();
        long getStartedAt();
        long getOperations();
    }

    /** Statistics of one OCPP websocket connection, exposed as an MBean. */
    static final class MessageStats { final int[] byAction = new int[32]; final long[] latencyMicros = new long[64]; final byte[] lastFrame = new byte[1_536]; int latencyPos; }

    public static final class ConnectionStats implements ConnectionStatsMBean {
        final String chargePointId; final long connectionId; final long connectedAt; final String remoteAddress; final String firmware; final MessageStats stats = new MessageStats();
        long messagesIn, messagesOut, lastMessageAt, disconnectedAt;
        ConnectionStats(String chargePointId, long connectionId, long connectedAt, String remoteAddress, String firmware) { this.chargePointId = chargePointId; this.connectionId = connectionId; this.connectedAt = connectedAt; this.remoteAddress = remoteAddress; this.firmware = firmware; }
        @Override public String getChargePointId() { return chargePointId; }
        @Override public long getConnectedAt() { return connectedAt; }
        @Override public long getMessagesIn() { return messagesIn; }
        @Override public long getMessagesOut() { return messagesOut; }
        @Override public long getLastMessageAt() { return lastMessageAt; }
    }

    public static final class ServiceInfo implements ServiceInfoMBean {
        final String name; final long startedAt; final Properties settings = new Properties(); long operations;
        ServiceInfo(String name, long startedAt) { this.name = name; this.startedAt = startedAt; }
        @Override public String getName() { return name; }
        @Override public long getStartedAt() { return startedAt; }
        @Override public long getOperations() { return operations; }
    }

    static final class ChargePoint { final String id; final int siteId; final String vendor; final String model; final int connectors; final float[] maxKw; final long commissionedAt;
        ChargePoint(String id, int siteId, String vendor, String model, int connectors, float[] maxKw, long commissionedAt) { this.id = id; this.siteId = siteId; this.vendor = vendor; this.model = model; this.connectors = connectors; this.maxKw = maxKw; this.commissionedAt = commissionedAt; } }

    static final class Site { final int id; final String name; final String address; final double lat, lon; final int[] openingHours;
        Site(int id, String name, String address, double lat, double lon, int[] openingHours) { this.id = id; this.name = name; this.address = address; this.lat = lat; this.lon = lon; this.openingHours = openingHours; } }

    /** Reference data: every commissioned charge point, loaded at startup. */
    static final class ChargePointRegistry {
        static final Map<String, ChargePoint> BY_ID = new HashMap<>();
        static final List<ChargePoint> ALL = new ArrayList<>();
    }

    /** Reference data: half-hourly prices per tariff. */
    static final class TariffTable {
        static final Map<Integer, double[]> BY_ID = new HashMap<>();
    }

    static final class Connection { final ConnectionStats stats; final ObjectName name; final ChargePoint cp;
        Connection(ConnectionStats stats, ObjectName name, ChargePoint cp) { this.stats = stats; this.name = name; this.cp = cp; } }

    static final class SessionRecord { final long transactionId; final String chargePointId; final long startedAt; final long stoppedAt; final double kwh; final float[] powerCurve;
        SessionRecord(long transactionId, String chargePointId, long startedAt, long stoppedAt, double kwh, float[] powerCurve) { this.transactionId = transactionId; this.chargePointId = chargePointId; this.startedAt = startedAt; this.stoppedAt = stoppedAt; this.kwh = kwh; this.powerCurve = powerCurve; } }

    static final class Gateway {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<Integer, Site> sites = new HashMap<>();
        final Map<String, Connection> open = new ConcurrentHashMap<>();
        final Map<String, ServiceInfo> services = new HashMap<>();
        final SessionRecord[] history = new SessionRecord[RING];
        final ArrayBlockingQueue<byte[]> framePool = new ArrayBlockingQueue<>(POOL);
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "ocpp-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        long historyWritten, connects, disconnects, registered, unregistered;
        Gateway(boolean fixed) { this.fixed = fixed; }

        void connect(ChargePoint cp, long connectionId, long t, Random rnd) throws Exception {
            ConnectionStats s = new ConnectionStats(cp.id, connectionId, t, "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ":" + (40_000 + rnd.nextInt(20_000)), "fw-" + (3 + rnd.nextInt(3)) + "." + rnd.nextInt(10));
            ObjectName name = new ObjectName(DOMAIN + ":type=Connection,chargePoint=" + cp.id + ",connection=" + connectionId);
            mbeans.registerMBean(s, name);
            registered++;
            connects++;
            // BootNotification, StatusNotification per connector, Heartbeats
            int msgs = 20 + rnd.nextInt(60);
            for (int m = 0; m < msgs; m++) {
                s.stats.byAction[rnd.nextInt(32)]++;
                s.stats.latencyMicros[s.stats.latencyPos++ & 63] = 200 + rnd.nextInt(5_000);
                s.messagesIn++;
                s.messagesOut++;
            }
            byte[] frame = framePool.poll();
            for (int i = 0; i < s.stats.lastFrame.length; i += 7) s.stats.lastFrame[i] = (byte) (connectionId + i);
            if (frame != null) framePool.add(frame);
            s.lastMessageAt = t;
            open.put(cp.id, new Connection(s, name, cp));
        }

        void disconnect(String chargePointId, long t) throws Exception {
            Connection c = open.remove(chargePointId);
            c.stats.disconnectedAt = t;
            c.stats.lastMessageAt = t;
            disconnects++;
            if (fixed) { mbeans.unregisterMBean(c.name); unregistered++; }
            // BUG: the leak run never unregisters the connection's MBean.
        }

        void recordSession(SessionRecord r) { history[(int) (historyWritten++ % RING)] = r; }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val19.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(19_010_001);
        Gateway gw = new Gateway(fixed);
        GATEWAY = gw;
        for (int i = 0; i < 30; i++) gw.config.setProperty("ocpp.heartbeat.interval.group" + i, Integer.toString(300 + 30 * (i % 5)));
        for (String svc : SERVICES) {
            ServiceInfo si = new ServiceInfo(svc, start);
            for (int k = 0; k < 8; k++) si.settings.setProperty(svc.toLowerCase() + ".setting" + k, "value-" + k);
            gw.mbeans.registerMBean(si, new ObjectName(DOMAIN + ":type=Service,name=" + svc));
            gw.services.put(svc, si);
        }
        for (int s = 0; s < SITES; s++) {
            int[] hours = new int[14];
            for (int k = 0; k < hours.length; k++) hours[k] = k % 2 == 0 ? 6 + rnd.nextInt(3) : 20 + rnd.nextInt(4);
            gw.sites.put(s, new Site(s, "Site " + s + " (" + (s % 7 == 0 ? "motorway services" : "retail park") + ")", (1 + s % 300) + " Harbour Road, Town " + (s % 640), 48 + rnd.nextDouble() * 6, 2 + rnd.nextDouble() * 10, hours));
        }
        String[] vendors = {"Alpitronic", "ABB", "Kempower", "Tritium", "Wallbox", "Ekoenergetyka"};
        for (int i = 0; i < CHARGE_POINTS; i++) {
            int conns = 1 + rnd.nextInt(4);
            float[] kw = new float[24];
            for (int k = 0; k < kw.length; k++) kw[k] = 22 + rnd.nextInt(330);
            String id = "CP-" + (100_000 + i);
            ChargePoint cp = new ChargePoint(id, rnd.nextInt(SITES), vendors[i % vendors.length], vendors[i % vendors.length] + " HYC" + (50 + i % 300), conns, kw, start - (long) (rnd.nextDouble() * 900 * 24 * HOUR));
            ChargePointRegistry.BY_ID.put(id, cp);
            ChargePointRegistry.ALL.add(cp);
        }
        for (int t = 0; t < TARIFFS; t++) {
            double[] prices = new double[48];
            for (int k = 0; k < prices.length; k++) prices[k] = 0.29 + rnd.nextDouble() * 0.4;
            TariffTable.BY_ID.put(t, prices);
        }
        for (int i = 0; i < POOL; i++) gw.framePool.add(new byte[32 * 1024]);
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(gw.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Connections: each lasts 20 minutes to 4 hours (a websocket drop, a reboot); a charge
        // point that reconnects while its old connection is still open closes the old one first.
        PriorityQueue<long[]> ends = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<String, Long> openUntil = new HashMap<>();
        long span = now - start;
        int sessionIdx = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            long t = start + span * i / CONNECTIONS;
            while (!ends.isEmpty() && ends.peek()[0] <= t) {
                long[] e = ends.poll();
                String id = ChargePointRegistry.ALL.get((int) e[1]).id;
                Long until = openUntil.get(id);
                if (until != null && until == e[0]) { gw.disconnect(id, e[0]); openUntil.remove(id); }
            }
            // charging sessions finished since the last connection
            while (sessionIdx < (long) SESSIONS * (t - start) / span) {
                float[] curve = new float[32];
                for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextFloat() * 150;
                long stop = start + span * sessionIdx / SESSIONS;
                gw.recordSession(new SessionRecord(880_000_000L + sessionIdx, ChargePointRegistry.ALL.get(rnd.nextInt(CHARGE_POINTS)).id, stop - (10 + rnd.nextInt(50)) * MINUTE, stop, 5 + rnd.nextDouble() * 60, curve));
                sessionIdx++;
            }
            int cpIdx = rnd.nextInt(CHARGE_POINTS);
            ChargePoint cp = ChargePointRegistry.ALL.get(cpIdx);
            if (openUntil.containsKey(cp.id)) { gw.disconnect(cp.id, t); openUntil.remove(cp.id); }
            gw.connect(cp, 5_000_000_000L + i, t, rnd);
            long end = t + (20 + rnd.nextInt(220)) * MINUTE;
            openUntil.put(cp.id, end);
            ends.add(new long[] {end, cpIdx});
            gw.services.get(SERVICES[i % SERVICES.length]).operations++;
        }
        while (!ends.isEmpty() && ends.peek()[0] <= now) {
            long[] e = ends.poll();
            String id = ChargePointRegistry.ALL.get((int) e[1]).id;
            Long until = openUntil.get(id);
            if (until != null && until == e[0]) { gw.disconnect(id, e[0]); openUntil.remove(id); }
        }
        ends = null;
        int open = gw.open.size();
        int inDomain = gw.mbeans.queryNames(new ObjectName(DOMAIN + ":*"), null).size();
        int connBeans = gw.mbeans.queryNames(new ObjectName(DOMAIN + ":type=Connection,*"), null).size();
        System.out.println((fixed ? "FIXED " : "") + "charge points " + ChargePointRegistry.BY_ID.size() + " sites " + gw.sites.size() + " tariffs " + TariffTable.BY_ID.size() + " connects " + gw.connects + " disconnects " + gw.disconnects + " open " + open + " mbeans in " + DOMAIN + " " + inDomain + " (connection beans " + connBeans + ", service beans " + gw.services.size() + ") sessions recorded " + gw.historyWritten + " pool " + gw.framePool.size());
        check(ChargePointRegistry.BY_ID.size() == CHARGE_POINTS && gw.sites.size() == SITES && TariffTable.BY_ID.size() == TARIFFS, "reference data");
        check(gw.connects == CONNECTIONS && gw.connects - gw.disconnects == open && open == openUntil.size(), "open connections");
        check(connBeans == (fixed ? open : CONNECTIONS), "connection mbeans");
        check(inDomain == connBeans + SERVICES.length, "mbeans in domain");
        check(gw.historyWritten > RING && gw.framePool.size() == POOL && gw.io.getPoolSize() == IO_THREADS, "ring, pool, threads");
        openUntil = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
