// hprofscan-dump: name=val101-healthy-sugarshacks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val101-healthy-sugarshacks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 101 (written blind), HEALTHY: the grading and payment service of a maple-syrup
 * producers' cooperative. Sugarbush reference data, the producer directory, a cache of rendered
 * grading certificates at its cap, a ring of recent tank readings, a hand-written database
 * connection pool (idle deque plus leased set) whose handlers release in a finally block, a
 * memo of drum prices keyed by a record (bounded by grade x colour class x drum size x region),
 * and a tank-alarm event bus on which dashboard sessions register a listener lambda (capturing
 * the session and its chart model) and unregister it when they close. See VALIDATION101.md.
 */
public final class Val101HealthySugarShacks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SUGARBUSHES = 1_300, PRODUCERS = 24_000, CERT_CAP = 2_000, RING = 16_384, HOURS = 10, REQUESTS = 60_000, DASHBOARDS = 3_000, REGIONS = 20;
    static final String[] GRADES = {"A-GOLDEN", "A-AMBER", "A-DARK", "A-VERY-DARK"};
    static final int COLOUR_CLASSES = 5;
    static final int[] DRUM_LITRES = {20, 205, 1_000};

    record Sugarbush(String code, String county, double[] sapFlowCurve) {}
    record Producer(String memberId, String sugarbushCode, String name, byte[] quotaRecord, long joinedAt) {}
    record Certificate(String key, byte[] pdf, long issuedAt) {}
    record TankReading(String memberId, int tank, double brix, double litres, long at) {}
    record GradeKey(String grade, int colourClass, int drumLitres, int region) {}
    record DrumPrice(GradeKey key, long centsPerPound, long computedAt) {}
    record TankAlarm(String memberId, int tank, String kind, long at) {}
    /** A planned simulation step (kept only by the simulation loop, never by the service). */
    record Planned<T>(long at, T item) {}

    static final class ChartModel {
        final double[] sparkline = new double[120];
        final List<String> watchedMembers = new ArrayList<>();
        int alarmsShown;
    }

    static final class DashboardSession {
        final long id; final String inspector; final long openedAt;
        final ChartModel chart = new ChartModel();
        Consumer<TankAlarm> listener;
        DashboardSession(long id, String inspector, long openedAt) { this.id = id; this.inspector = inspector; this.openedAt = openedAt; }
        void onAlarm(TankAlarm a) { if (chart.watchedMembers.contains(a.memberId())) chart.alarmsShown++; }
    }

    static final class AlarmBus {
        final CopyOnWriteArrayList<Consumer<TankAlarm>> listeners = new CopyOnWriteArrayList<>();
        long posted;
        void subscribe(Consumer<TankAlarm> l) { listeners.add(l); }
        void unsubscribe(Consumer<TankAlarm> l) { listeners.remove(l); }
        void post(TankAlarm a) { posted++; for (Consumer<TankAlarm> l : listeners) l.accept(a); }
    }

    static final class PooledConnection {
        final long id; final byte[] readBuffer = new byte[8_192]; final Map<String, int[]> statements = new LinkedHashMap<>(); String leasedBy; long leasedAt; int uses;
        PooledConnection(long id) { this.id = id; }
    }

    /** Hand-written connection pool: idle deque plus leased set; callers release in finally. */
    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = ConcurrentHashMap.newKeySet();
        long created, leases, releases;
        ConnectionPool(int prewarm) { for (int i = 0; i < prewarm; i++) idle.add(new PooledConnection(created++)); }
        PooledConnection lease(String by, long at) { PooledConnection c = idle.pollFirst(); if (c == null) c = new PooledConnection(created++); c.leasedBy = by; c.leasedAt = at; c.uses++; leased.add(c); leases++; return c; }
        void release(PooledConnection c) { leased.remove(c); c.leasedBy = null; idle.addFirst(c); releases++; }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final class DrumRejectedException extends Exception {
        DrumRejectedException(String msg) { super(msg, null, false, false); }
    }

    static final Map<String, Sugarbush> SUGARBUSHES_BY_CODE = new HashMap<>();

    static final class CoopService {
        final Map<String, Producer> producers = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final TankReading[] readings = new TankReading[RING];
        long readingsWritten;
        final ConnectionPool db = new ConnectionPool(12);
        final Map<GradeKey, DrumPrice> priceMemo = new HashMap<>();
        long priceLookups, rejected, graded;
        final AlarmBus alarms = new AlarmBus();
        final Map<Long, DashboardSession> dashboards = new HashMap<>();
        long dashboardsOpened, dashboardsClosed;

        DrumPrice price(String grade, int colour, int litres, int region, long at, Random r) {
            priceLookups++;
            return priceMemo.computeIfAbsent(new GradeKey(grade, colour, litres, region), k -> new DrumPrice(k, 250 + r.nextInt(200), at));
        }

        /** POST /drums/{id}/grade: the lab result is stored; a rejected drum is an error response. */
        void gradeDrum(String memberId, boolean rejectedByLab, long at, Random r) {
            PooledConnection c = db.lease("POST /drums/grade", at);
            try {
                c.statements.computeIfAbsent("INSERT INTO drum_grades (member, grade, colour, at) VALUES (?, ?, ?, ?)", k -> new int[4]);
                c.statements.computeIfAbsent("SELECT quota_lbs, delivered_lbs FROM quotas WHERE member = ?", k -> new int[1]);
                c.readBuffer[r.nextInt(c.readBuffer.length)] = 1;
                if (rejectedByLab) throw new DrumRejectedException("off-flavour (buddy) in drum of " + memberId);
                graded++;
            } catch (DrumRejectedException e) {
                rejected++;
            } finally {
                db.release(c);
            }
        }

        void openDashboard(DashboardSession s, Random r, String[] memberIds) {
            for (int k = 0; k < s.chart.sparkline.length; k++) s.chart.sparkline[k] = r.nextDouble() * 70;
            int watched = 5 + r.nextInt(10);
            for (int k = 0; k < watched; k++) s.chart.watchedMembers.add(memberIds[r.nextInt(memberIds.length)]);
            s.listener = a -> s.onAlarm(a);
            alarms.subscribe(s.listener);
            dashboards.put(s.id, s);
            dashboardsOpened++;
        }

        void closeDashboard(DashboardSession s) {
            dashboards.remove(s.id);
            alarms.unsubscribe(s.listener);
            dashboardsClosed++;
        }
    }

    static CoopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(101_060_001);
        String[] bushCodes = new String[SUGARBUSHES];
        for (int b = 0; b < SUGARBUSHES; b++) {
            double[] flow = new double[64];
            for (int k = 0; k < flow.length; k++) flow[k] = rnd.nextDouble() * 3;
            bushCodes[b] = "SB-" + (40_000 + b);
            SUGARBUSHES_BY_CODE.put(bushCodes[b], new Sugarbush(bushCodes[b], "County " + (b % 60), flow));
        }
        CoopService svc = new CoopService();
        SERVICE = svc;
        String[] memberIds = new String[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            memberIds[p] = "M" + (1_200_000 + p * 11);
            svc.producers.put(memberIds[p], new Producer(memberIds[p], bushCodes[rnd.nextInt(SUGARBUSHES)], "Erabliere " + (p % 2_000), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(7_000)) * DAY));
        }

        Random traffic = new Random(101_060_002);
        Random dash = new Random(101_060_003);
        Random pricing = new Random(101_060_004);
        PriorityQueue<Planned<DashboardSession>> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int nextDashboard = 0, maxOpen = 0;
        long gradeRequests = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (!closing.isEmpty() && closing.peek().at() <= t) svc.closeDashboard(closing.poll().item());
            while (nextDashboard < DASHBOARDS && start + (end - MINUTE - start) * nextDashboard / DASHBOARDS <= t) {
                long at = start + (end - MINUTE - start) * nextDashboard / DASHBOARDS;
                DashboardSession s = new DashboardSession(6_000_000L + nextDashboard, "insp" + dash.nextInt(150), at);
                long closesAt = at + (10 + dash.nextInt(51)) * MINUTE;
                svc.openDashboard(s, dash, memberIds);
                closing.add(new Planned<>(closesAt, s));
                maxOpen = Math.max(maxOpen, svc.dashboards.size());
                nextDashboard++;
            }
            String member = memberIds[traffic.nextInt(PRODUCERS)];
            int tank = 1 + traffic.nextInt(6);
            double brix = 1 + traffic.nextDouble() * 2.5;
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new TankReading(member, tank, brix, traffic.nextDouble() * 4_000, t);
            if (brix > 3.4) svc.alarms.post(new TankAlarm(member, tank, "BRIX_HIGH", t));
            int kind = traffic.nextInt(4);
            if (kind == 0) {
                gradeRequests++;
                svc.gradeDrum(member, traffic.nextInt(30) == 0, t, traffic);
            } else if (kind == 1) {
                svc.price(GRADES[traffic.nextInt(GRADES.length)], traffic.nextInt(COLOUR_CLASSES), DRUM_LITRES[traffic.nextInt(DRUM_LITRES.length)], traffic.nextInt(REGIONS), t, pricing);
            } else {
                String key = "cert-" + traffic.nextInt(6_000);
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) svc.closeDashboard(closing.poll().item());
        int open = closing.size();
        String summary = "sugarbushes " + SUGARBUSHES_BY_CODE.size() + " producers " + svc.producers.size() + " readings " + svc.readingsWritten + " alarms " + svc.alarms.posted
                + " dashboards opened " + svc.dashboardsOpened + " closed " + svc.dashboardsClosed + " open " + svc.dashboards.size() + " (max " + maxOpen + ") bus listeners " + svc.alarms.listeners.size()
                + " price memo " + svc.priceMemo.size() + " (lookups " + svc.priceLookups + ") graded " + svc.graded + " rejected " + svc.rejected
                + " db created " + svc.db.created + " idle " + svc.db.idle.size() + " leased " + svc.db.leased.size() + " (leases " + svc.db.leases + ") certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ")";
        check(SUGARBUSHES_BY_CODE.size() == SUGARBUSHES && svc.producers.size() == PRODUCERS, "reference data / directory");
        check(svc.readingsWritten == REQUESTS && svc.readings[RING - 1] != null, "ring");
        check(svc.dashboardsOpened == DASHBOARDS && svc.dashboards.size() == open && svc.alarms.listeners.size() == open, "dashboards unsubscribe on close");
        check(svc.priceMemo.size() == GRADES.length * COLOUR_CLASSES * DRUM_LITRES.length * REGIONS, "price memo covers its key space: " + svc.priceMemo.size());
        check(svc.graded + svc.rejected == gradeRequests && svc.rejected > 0 && svc.db.leased.isEmpty() && svc.db.idle.size() == 12 && svc.db.created == 12, "connection pool");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        String summary = build();
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
