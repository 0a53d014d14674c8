// hprofscan-dump: name=val103-healthy-ropeways-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val103-healthy-ropeways-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val103-healthy-ropeways jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val103-healthy-ropeways-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Validation set 103 (written blind), HEALTHY: the lift operations service of a mountain ropeway
 * company. Station reference data, the ski-pass directory, a cache of rendered trail maps at its cap,
 * a ring of gate scans (fills in stage 2, then wraps), a pool of 8 database connections whose
 * statement caches hold bound-parameter SQL only (LRU-capped per connection), a SubmissionPublisher
 * of lift status pushed to station displays and kiosk sessions (closing a kiosk cancels its
 * subscription), and a board of maintenance work orders keyed by an immutable id (status is a plain
 * field; closed orders are removed). Warms up in stage 1-2, then flat. See VALIDATION103.md.
 */
public final class Val103HealthyRopeways {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_100, PASSES = 25_000, MAP_CAP = 2_000, RING = 16_384, CONNECTIONS = 8, STMT_CAP = 16, DISPLAYS = 40;
    static final int SCANS_PER_HOUR = 6_000, KIOSKS_PER_HOUR = 120, ORDERS_PER_HOUR = 240;

    record Station(String code, String lift, double[] hourlyRiders) {}
    record SkiPass(String number, String holder, byte[] photoAndTerms, long issuedAt) {}
    record TrailMap(String key, byte[] rendered, long at) {}
    record GateScan(String pass, String station, long at) {}
    record LiftStatus(String station, int waitMinutes, boolean open, long at) {}
    record PreparedStatementStub(String sql, int[] paramTypes, byte[] planHandle, long preparedAt) {}

    static final class StatementCache extends LinkedHashMap<String, PreparedStatementStub> {
        long evicted;
        StatementCache() { super(32, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStatementStub> e) { if (size() > STMT_CAP) { evicted++; return true; } return false; }
    }
    static final class DbConnection { final int id; final StatementCache statements = new StatementCache(); DbConnection(int id) { this.id = id; } }

    static final class Display implements Flow.Subscriber<LiftStatus> {
        final String id; final byte[] screen; final long connectedAt, closeAt; Flow.Subscription subscription; long shown;
        Display(String id, byte[] screen, long connectedAt, long closeAt) { this.id = id; this.screen = screen; this.connectedAt = connectedAt; this.closeAt = closeAt; }
        @Override public void onSubscribe(Flow.Subscription s) { subscription = s; s.request(8); }
        @Override public void onNext(LiftStatus u) { screen[(int) (shown++ % screen.length)] = (byte) u.waitMinutes(); subscription.request(1); }
        @Override public void onError(Throwable t) {}
        @Override public void onComplete() {}
    }

    static final class WorkOrder { final String id, station; final byte[] checklist; final long openedAt, closeAt; String status = "OPEN";
        WorkOrder(String id, String station, byte[] checklist, long openedAt, long closeAt) { this.id = id; this.station = station; this.checklist = checklist; this.openedAt = openedAt; this.closeAt = closeAt; } }

    static final class MapCache extends LinkedHashMap<String, TrailMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrailMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class LiftOps {
        final Map<String, SkiPass> passes = new HashMap<>();
        final MapCache maps = new MapCache();
        final GateScan[] scans = new GateScan[RING];
        final DbConnection[] db = new DbConnection[CONNECTIONS];
        final Map<String, Display> kiosks = new HashMap<>();
        final SubmissionPublisher<LiftStatus> status = new SubmissionPublisher<>(Runnable::run, 64);
        final Map<String, WorkOrder> workOrders = new HashMap<>();
        long scanned, kiosksOpened, kiosksClosed, ordersOpened, ordersClosed, statusPushed;
        LiftOps() { for (int i = 0; i < CONNECTIONS; i++) db[i] = new DbConnection(i); }
    }

    static LiftOps SERVICE;
    static final String[] SQL = {
        "SELECT holder, valid_until FROM passes WHERE number = ?", "INSERT INTO scans (pass, station, at) VALUES (?, ?, ?)",
        "SELECT wait_minutes FROM queues WHERE station = ?", "UPDATE stations SET riders = riders + 1 WHERE code = ?",
        "SELECT * FROM work_orders WHERE station = ? AND status = ?", "UPDATE work_orders SET status = ? WHERE id = ?",
        "INSERT INTO work_orders (id, station, opened_at) VALUES (?, ?, ?)", "SELECT wind_kmh FROM weather WHERE station = ? AND at > ?",
        "SELECT COUNT(*) FROM scans WHERE station = ? AND at BETWEEN ? AND ?", "SELECT price FROM tariffs WHERE product = ? AND day = ?"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(103_050_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] riders = new double[64];
            for (int k = 0; k < riders.length; k++) riders[k] = rnd.nextDouble() * 800;
            stationCodes[s] = "ST-" + (1_000 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Lift " + (s % 90), riders));
        }
        LiftOps svc = new LiftOps();
        SERVICE = svc;
        String[] passNumbers = new String[PASSES];
        for (int p = 0; p < PASSES; p++) {
            passNumbers[p] = "SP" + (44_000_000 + p);
            svc.passes.put(passNumbers[p], new SkiPass(passNumbers[p], "Holder " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int d = 0; d < DISPLAYS; d++) svc.status.subscribe(new Display("display-" + d, new byte[4_096], start, Long.MAX_VALUE));
        Random traffic = new Random(103_050_002);
        PriorityQueue<Display> closingKiosks = new PriorityQueue<>((x, y) -> Long.compare(x.closeAt, y.closeAt));
        PriorityQueue<WorkOrder> closingOrders = new PriorityQueue<>((x, y) -> Long.compare(x.closeAt, y.closeAt));
        int scans = SCANS_PER_HOUR * hours;
        long span = end - MINUTE - start;
        for (int i = 0; i < scans; i++) {
            long t = start + span * i / scans;
            while (!closingKiosks.isEmpty() && closingKiosks.peek().closeAt <= t) {
                Display k = closingKiosks.poll(); k.subscription.cancel(); svc.kiosks.remove(k.id); svc.kiosksClosed++;
            }
            while (!closingOrders.isEmpty() && closingOrders.peek().closeAt <= t) {
                WorkOrder w = closingOrders.poll(); w.status = "CLOSED"; svc.workOrders.remove(w.id); svc.ordersClosed++;
            }
            String pass = passNumbers[traffic.nextInt(PASSES)];
            String station = stationCodes[traffic.nextInt(STATIONS)];
            svc.scans[(int) (svc.scanned++ % RING)] = new GateScan(pass, station, t);
            DbConnection conn = svc.db[traffic.nextInt(CONNECTIONS)];
            String sql = SQL[traffic.nextInt(SQL.length)];
            if (conn.statements.get(sql) == null) conn.statements.put(sql, new PreparedStatementStub(sql, new int[3], new byte[96 + traffic.nextInt(96)], t));
            if (i % 10 == 0) { svc.status.offer(new LiftStatus(station, traffic.nextInt(25), traffic.nextInt(20) != 0, t), null); svc.statusPushed++; }
            if (i % (SCANS_PER_HOUR / KIOSKS_PER_HOUR) == 0) {
                Display k = new Display("kiosk-" + svc.kiosksOpened, new byte[2_048 + traffic.nextInt(2_048)], t, t + (2 + traffic.nextInt(19)) * MINUTE);
                svc.kiosks.put(k.id, k); svc.status.subscribe(k); closingKiosks.add(k); svc.kiosksOpened++;
            }
            if (i % (SCANS_PER_HOUR / ORDERS_PER_HOUR) == 0) {
                WorkOrder w = new WorkOrder("WO-" + (90_000 + svc.ordersOpened), station, new byte[300 + traffic.nextInt(300)], t, t + (5 + traffic.nextInt(40)) * MINUTE);
                svc.workOrders.put(w.id, w); closingOrders.add(w); svc.ordersOpened++;
                w.status = "IN_PROGRESS"; // status is a plain field: the key (id) never changes
            }
            String key = "trail-" + traffic.nextInt(2_800);
            if (svc.maps.get(key) == null) svc.maps.put(key, new TrailMap(key, new byte[600 + traffic.nextInt(600)], t));
        }
        int kiosksOpen = closingKiosks.size(), ordersOpen = closingOrders.size();
        closingKiosks.clear(); closingOrders.clear(); closingKiosks = null; closingOrders = null; passNumbers = null; stationCodes = null;
        int subscribers = svc.status.getNumberOfSubscribers();
        int statements = 0;
        for (DbConnection c : svc.db) statements += c.statements.size();
        System.out.println("stage " + stage + " stations " + STATIONS_BY_CODE.size() + " passes " + svc.passes.size() + " scans " + svc.scanned + " statements " + statements
                + " subscribers " + subscribers + " kiosks open " + svc.kiosks.size() + " (opened " + svc.kiosksOpened + ") work orders open " + svc.workOrders.size() + " (opened " + svc.ordersOpened
                + ") status pushed " + svc.statusPushed + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ")");
        check(STATIONS_BY_CODE.size() == STATIONS && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.scanned == scans && (stage == 1 ? svc.scans[RING - 1] == null : svc.scans[RING - 1] != null), "gate ring");
        check(statements == CONNECTIONS * SQL.length, "bound statements only: " + statements);
        check(svc.kiosks.size() == kiosksOpen && subscribers == DISPLAYS + kiosksOpen && svc.kiosksOpened == svc.kiosksClosed + kiosksOpen, "publisher holds open displays only");
        check(svc.workOrders.size() == ordersOpen && svc.ordersOpened == svc.ordersClosed + ordersOpen, "work orders");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        LeakCheck.histogram("java.util.concurrent.SubmissionPublisher");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
