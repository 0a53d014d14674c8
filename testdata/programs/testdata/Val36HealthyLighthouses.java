// hprofscan-dump: name=val36-healthy-lighthouses-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val36-healthy-lighthouses-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val36-healthy-lighthouses jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val36-healthy-lighthouses-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 36 (written blind), HEALTHY: the monitoring service of a coastal authority's
 * lighthouses and beacons. Light reference data, the vessel directory, a telemetry ingest queue
 * whose consumer keeps up (it holds one tick of readings), a ring of the last 16,384 processed
 * readings (filling in stage 1, full from stage 2), an HTTP client with one connection pool per
 * scheme://host:port (3 pools for 300-2,400 requests with query strings), a WeakHashMap of
 * alarm metadata whose values do not reference their keys (entries go when the alarm is closed),
 * and a hub of weak dashboard subscriptions pruned on every publish. See VALIDATION36.md.
 */
public final class Val36HealthyLighthouses {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 6_000L;
    static final int LIGHTS = 1_300, VESSELS = 24_000, RING = 16_384, CONSUME_PER_TICK = 60, OPEN_ALARMS = 12, OPEN_DASHBOARDS = 30, MIN_IDLE = 2, MAX_PER_ROUTE = 4;

    record Light(String code, String name, String character, double[] flashTimings) {}
    record Vessel(String mmsi, String name, String flag, byte[] profile, long registeredAt) {}
    record BeaconReading(long seq, String lightCode, int lampCurrentMa, int batteryMv, boolean lit, long at, byte[] frame) {}
    record RouteKey(String scheme, String host, int port) {}

    static final class AlarmContext {
        final String alarmId, lightCode;
        final long raisedAt;
        AlarmContext(String alarmId, String lightCode, long raisedAt) { this.alarmId = alarmId; this.lightCode = lightCode; this.raisedAt = raisedAt; }
    }

    static final class AlarmMetadata {
        final String alarmId; // the id, not the context: the entry goes when the context does
        final String severity;
        final byte[] noticeDraft;
        AlarmMetadata(String alarmId, String severity, byte[] noticeDraft) { this.alarmId = alarmId; this.severity = severity; this.noticeDraft = noticeDraft; }
    }

    static final class PooledConnection {
        final long id;
        final long openedAt;
        long lastUsedAt;
        final byte[] readBuffer = new byte[1_024];
        final byte[] writeBuffer = new byte[512];
        PooledConnection(long id, long openedAt) { this.id = id; this.openedAt = openedAt; }
    }

    static final class ConnectionPool {
        final RouteKey route;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        int open;
        long leases;
        ConnectionPool(RouteKey route, HttpClient client, long at) {
            this.route = route;
            for (int i = 0; i < MIN_IDLE; i++) { idle.add(new PooledConnection(client.ids++, at)); open++; }
        }
    }

    static final class HttpClient {
        final Map<RouteKey, ConnectionPool> pools = new HashMap<>();
        long requests, ids;
        ConnectionPool poolFor(String url, long at) {
            URI uri = URI.create(url);
            RouteKey key = new RouteKey(uri.getScheme(), uri.getHost(), uri.getPort());
            ConnectionPool p = pools.get(key);
            if (p == null) { p = new ConnectionPool(key, this, at); pools.put(key, p); }
            return p;
        }
        PooledConnection lease(ConnectionPool p, long at) {
            PooledConnection c = p.idle.poll();
            if (c == null) {
                if (p.open >= MAX_PER_ROUTE) throw new IllegalStateException("pool exhausted");
                c = new PooledConnection(ids++, at);
                p.open++;
            }
            p.leases++;
            requests++;
            c.lastUsedAt = at;
            return c;
        }
        void release(ConnectionPool p, PooledConnection c) { p.idle.addFirst(c); }
        void get(String url, long at) { ConnectionPool p = poolFor(url, at); PooledConnection c = lease(p, at); c.readBuffer[(int) (requests % 1_024)]++; release(p, c); }
    }

    interface StatusListener { void onStatus(int dark, int alarms, long at); }

    static final class DashboardView implements StatusListener {
        final String operator;
        final byte[] chart;
        int refreshes;
        DashboardView(String operator, byte[] chart) { this.operator = operator; this.chart = chart; }
        @Override public void onStatus(int dark, int alarms, long at) { refreshes++; chart[refreshes % chart.length] = (byte) dark; }
    }

    static final class DashboardSub extends WeakReference<StatusListener> {
        final String subscriberId;
        final long since;
        DashboardSub(StatusListener l, String subscriberId, long since) { super(l); this.subscriberId = subscriberId; this.since = since; }
    }

    static final class DashboardHub {
        final ArrayList<DashboardSub> subscriptions = new ArrayList<>();
        long pruned;
        void subscribe(StatusListener l, String id, long at) { subscriptions.add(new DashboardSub(l, id, at)); }
        void publish(int dark, int alarms, long at) {
            for (DashboardSub s : subscriptions) { StatusListener l = s.get(); if (l != null) l.onStatus(dark, alarms, at); }
            prune();
        }
        void prune() {
            int before = subscriptions.size();
            if (subscriptions.removeIf(s -> s.get() == null)) { pruned += before - subscriptions.size(); subscriptions.trimToSize(); }
        }
    }

    static final Map<String, Light> LIGHTS_BY_CODE = new HashMap<>();

    static final class MonitorService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final LinkedBlockingQueue<BeaconReading> telemetry = new LinkedBlockingQueue<>();
        final BeaconReading[] recent = new BeaconReading[RING];
        long produced, processed, darkReadings;
        final HttpClient http = new HttpClient();
        final WeakHashMap<AlarmContext, AlarmMetadata> alarmMeta = new WeakHashMap<>();
        final ArrayDeque<AlarmContext> openAlarms = new ArrayDeque<>();
        long alarms;
        final DashboardHub dashboards = new DashboardHub();
        final ArrayDeque<DashboardView> openDashboards = new ArrayDeque<>();
        long dashboardsOpened;

        void consume(Random r, int budget, long at) {
            for (int k = 0; k < budget; k++) {
                BeaconReading b = telemetry.poll();
                if (b == null) return;
                recent[(int) (processed++ % RING)] = b;
                if (!b.lit()) {
                    darkReadings++;
                    AlarmContext ctx = new AlarmContext("ALM-" + (500_000 + alarms++), b.lightCode(), at);
                    alarmMeta.put(ctx, new AlarmMetadata(ctx.alarmId, r.nextBoolean() ? "MAJOR" : "MINOR", new byte[300 + r.nextInt(300)]));
                    openAlarms.addLast(ctx);
                    if (openAlarms.size() > OPEN_ALARMS) openAlarms.removeFirst(); // acknowledged and closed
                    http.get("https://notices.coastguard.example:443/v1/notices?light=" + b.lightCode() + "&alarm=" + ctx.alarmId + "&requestId=n" + Long.toHexString(at + alarms), at);
                }
            }
        }
    }

    static MonitorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        int ticks = (int) ((end - start) / TICK);
        Random rnd = new Random(36_050_001);
        String[] lightCodes = new String[LIGHTS];
        String[] characters = {"Fl(2) 10s", "Oc 6s", "Iso 4s", "Fl W 5s", "LFl 12s", "Q(6)+LFl 15s"};
        for (int l = 0; l < LIGHTS; l++) {
            double[] timings = new double[96];
            for (int k = 0; k < timings.length; k++) timings[k] = rnd.nextDouble() * 3;
            lightCodes[l] = "LT-" + (10_000 + l * 7);
            LIGHTS_BY_CODE.put(lightCodes[l], new Light(lightCodes[l], "Light " + l, characters[l % characters.length], timings));
        }
        MonitorService svc = new MonitorService();
        SERVICE = svc;
        for (int v = 0; v < VESSELS; v++) {
            String mmsi = Integer.toString(232_000_000 + v * 17);
            svc.vessels.put(mmsi, new Vessel(mmsi, "Vessel " + v, v % 3 == 0 ? "GB" : v % 3 == 1 ? "NO" : "NL", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        Random feed = new Random(36_050_002);
        Random ops = new Random(36_050_003);
        long seq = 0;
        int lastBatch = 0;
        for (int tick = 0; tick < ticks; tick++) {
            long t = start + tick * TICK;
            svc.consume(ops, CONSUME_PER_TICK, t); // the readings of the previous tick
            lastBatch = 5 + feed.nextInt(11);
            for (int k = 0; k < lastBatch; k++) {
                svc.telemetry.add(new BeaconReading(seq++, lightCodes[feed.nextInt(LIGHTS)], 300 + feed.nextInt(400), 11_000 + feed.nextInt(2_500), feed.nextInt(50) != 0, t, new byte[48 + feed.nextInt(48)]));
                svc.produced++;
            }
            if (tick % 10 == 9) { // every minute: sea-state forecast for 3 areas in parallel, dashboards refreshed
                ConnectionPool p = svc.http.poolFor("https://marine.met.example:443/v2/forecast?area=all&t=" + t, t);
                PooledConnection[] leased = new PooledConnection[3];
                for (int a = 0; a < 3; a++) leased[a] = svc.http.lease(p, t);
                for (int a = 0; a < 3; a++) svc.http.release(p, leased[a]);
                if (tick % 600 == 599) svc.http.get("https://tides.hydrographic.example:443/v1/predictions?station=all&from=" + t, t);
                if (tick % 20 == 19) {
                    DashboardView d = new DashboardView("Operator " + ops.nextInt(40), new byte[2_000 + ops.nextInt(2_000)]);
                    svc.dashboards.subscribe(d, "dash-" + svc.dashboardsOpened++, t);
                    svc.openDashboards.addLast(d);
                    if (svc.openDashboards.size() > OPEN_DASHBOARDS) svc.openDashboards.removeFirst(); // the operator closed the tab
                }
                svc.dashboards.publish((int) (svc.darkReadings % 100), svc.openAlarms.size(), t);
            }
        }
        lightCodes = null; // startup array dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = feed = ops = null;
        System.gc();
        for (int i = 0; i < 100 && svc.alarmMeta.size() != OPEN_ALARMS; i++) { Thread.sleep(20); System.gc(); }
        svc.dashboards.prune();
        svc.dashboards.subscriptions.trimToSize();
        System.out.println("stage " + stage + " lights " + LIGHTS_BY_CODE.size() + " vessels " + svc.vessels.size() + " produced " + svc.produced + " processed " + svc.processed + " queued " + svc.telemetry.size() + " (last batch " + lastBatch + ") alarms " + svc.alarms
                + " alarm metadata " + svc.alarmMeta.size() + " dashboards opened " + svc.dashboardsOpened + " subscriptions " + svc.dashboards.subscriptions.size() + " http requests " + svc.http.requests + " pools " + svc.http.pools.size());
        check(LIGHTS_BY_CODE.size() == LIGHTS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.telemetry.size() == lastBatch && svc.processed + lastBatch == svc.produced, "consumer keeps up");
        check(svc.processed < RING ? svc.recent[(int) svc.processed] == null : svc.recent[RING - 1] != null, "reading ring");
        check(svc.alarms > OPEN_ALARMS && svc.alarmMeta.size() == OPEN_ALARMS, "alarm metadata follows the open alarms: " + svc.alarmMeta.size());
        check(svc.dashboardsOpened >= OPEN_DASHBOARDS && svc.dashboards.subscriptions.size() == OPEN_DASHBOARDS, "dashboard subscriptions pruned: " + svc.dashboards.subscriptions.size());
        check(svc.http.pools.size() == 3 && svc.http.requests >= 250L * hours, "one pool per host");
        for (ConnectionPool p : svc.http.pools.values()) check(p.idle.size() == p.open && p.open <= 3, "pool " + p.route);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
