// hprofscan-dump: name=val95-healthy-bottlebanks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val95-healthy-bottlebanks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 95 (written blind), HEALTHY: the collection service of a council's glass bottle
 * banks. Site reference data, the trade-customer account directory, a cache of rendered collection
 * calendars at its cap, a ring of recent fill-sensor readings, a pool of route-planning buffers, an
 * event bus on which short-lived fill-level report views register an inner-class listener and
 * unregister it when they close, and a ConcurrentHashMap of per-truck monitors keyed by the
 * registration of the fixed fleet (400 trucks). See VALIDATION95.md.
 */
public final class Val95HealthyBottleBanks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, VIEW_IDLE = 10 * MINUTE;
    static final int SITES = 1_400, ACCOUNTS = 26_000, CALENDAR_CAP = 2_000, POOL = 8, RING = 16_384, TRUCKS = 400, HOURS = 10, READINGS = 60_000, VIEWS = 6_000;

    record Site(String code, String ward, double[] weeklyTonnes) {}
    record Account(String id, String business, byte[] contract, long openedAt) {}
    record Calendar(String key, byte[] rendered, long at) {}
    record Reading(String siteCode, int fillPercent, long at) {}

    interface FillListener { void onReading(Reading r); }

    static final class FillBus {
        final List<FillListener> listeners = new ArrayList<>();
        long posted;
        void register(FillListener l) { listeners.add(l); }
        void unregister(FillListener l) { if (!listeners.remove(l)) throw new IllegalStateException("not registered"); }
        void post(Reading r) { posted++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onReading(r); }
    }

    static final class OverflowAlerts implements FillListener { long alerts; public void onReading(Reading r) { if (r.fillPercent() > 90) alerts++; } }
    static final class RoutePlanner implements FillListener { long seen; public void onReading(Reading r) { seen++; } }

    static final class FillReportView {
        final long viewId; final String officer, title; final byte[] renderedChart; final long openedAt;
        long refreshes; boolean closed;
        final Refresh listener = new Refresh();
        FillReportView(long viewId, String officer, String title, byte[] renderedChart, long openedAt) {
            this.viewId = viewId; this.officer = officer; this.title = title; this.renderedChart = renderedChart; this.openedAt = openedAt;
        }
        final class Refresh implements FillListener { public void onReading(Reading r) { if (!closed) refreshes++; } }
        void close(FillBus bus) { closed = true; bus.unregister(listener); }
    }

    static final class Truck { final String reg; int tripsToday; long tonnesKg; Truck(String reg) { this.reg = reg; } }

    static final class CalendarCache extends LinkedHashMap<String, Calendar> {
        long evicted;
        CalendarCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Calendar> e) { if (size() > CALENDAR_CAP) { evicted++; return true; } return false; }
    }

    static final class CollectionService {
        final Map<String, Account> accounts = new HashMap<>();
        final CalendarCache calendars = new CalendarCache();
        final Reading[] readings = new Reading[RING];
        long readingsWritten;
        final ArrayDeque<byte[]> routeBuffers = new ArrayDeque<>();
        final FillBus bus = new FillBus();
        final ArrayDeque<FillReportView> openViews = new ArrayDeque<>();
        final Map<String, Truck> trucks = new HashMap<>();
        /** Serialises the updates of one truck's day sheet; keyed by registration (a fixed fleet). */
        final ConcurrentHashMap<String, Object> truckLocks = new ConcurrentHashMap<>();
        long viewsOpened, viewsClosed, collections;
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();
    static CollectionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void closeIdle(CollectionService svc, long t) {
        while (!svc.openViews.isEmpty() && svc.openViews.peek().openedAt + VIEW_IDLE <= t) { svc.openViews.poll().close(svc.bus); svc.viewsClosed++; }
    }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(95_060_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] tonnes = new double[72];
            for (int k = 0; k < tonnes.length; k++) tonnes[k] = rnd.nextDouble() * 3;
            siteCodes[s] = "BB-" + (20_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], "Ward " + (s % 60), tonnes));
        }
        CollectionService svc = new CollectionService();
        SERVICE = svc;
        for (int a = 0; a < ACCOUNTS; a++) {
            String id = "TA" + (900_000 + a);
            svc.accounts.put(id, new Account(id, "Bar or restaurant " + (a % 6_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        String[] regs = new String[TRUCKS];
        for (int k = 0; k < TRUCKS; k++) { regs[k] = "GL" + (10 + k / 26) + (char) ('A' + k % 26) + "TRK"; svc.trucks.put(regs[k], new Truck(regs[k])); }
        for (int b = 0; b < POOL; b++) svc.routeBuffers.add(new byte[32_768]);
        svc.bus.register(new OverflowAlerts());
        svc.bus.register(new RoutePlanner());
        Random traffic = new Random(95_060_002);
        long period = end - start;
        int v = 0;
        for (int i = 0; i < READINGS; i++) {
            long t = start + period * i / READINGS;
            while (v < VIEWS && start + period * v / VIEWS <= t) {
                long at = start + period * v / VIEWS;
                closeIdle(svc, at);
                FillReportView view = new FillReportView(400_000L + v, "officer" + traffic.nextInt(80), "Fill levels ward " + traffic.nextInt(60), new byte[600 + traffic.nextInt(600)], at);
                svc.bus.register(view.listener);
                svc.openViews.add(view);
                svc.viewsOpened++;
                v++;
            }
            closeIdle(svc, t);
            Reading r = new Reading(siteCodes[traffic.nextInt(SITES)], traffic.nextInt(101), t);
            svc.readings[(int) (svc.readingsWritten++ % RING)] = r;
            svc.bus.post(r);
            if (r.fillPercent() > 80) { // a truck is sent to empty the bank
                String reg = regs[traffic.nextInt(TRUCKS)];
                synchronized (svc.truckLocks.computeIfAbsent(reg, k -> new Object())) {
                    Truck tr = svc.trucks.get(reg);
                    tr.tripsToday++;
                    tr.tonnesKg += 200 + traffic.nextInt(800);
                    svc.collections++;
                }
            }
            String key = "cal-" + traffic.nextInt(7_000);
            if (svc.calendars.get(key) == null) svc.calendars.put(key, new Calendar(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.routeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.routeBuffers.add(buf);
        }
        closeIdle(svc, end);
        System.out.println("sites " + SITES_BY_CODE.size() + " accounts " + svc.accounts.size() + " trucks " + svc.trucks.size() + " truckLocks " + svc.truckLocks.size() + " collections " + svc.collections
                + " views opened " + svc.viewsOpened + " closed " + svc.viewsClosed + " open " + svc.openViews.size() + " listeners " + svc.bus.listeners.size() + " calendars " + svc.calendars.size()
                + " (evicted " + svc.calendars.evicted + ") readings " + svc.readingsWritten + " pool " + svc.routeBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.accounts.size() == ACCOUNTS && svc.trucks.size() == TRUCKS, "reference data / directory / fleet");
        check(svc.truckLocks.size() == TRUCKS, "one monitor per truck of the fleet: " + svc.truckLocks.size());
        check(svc.viewsOpened == VIEWS && svc.bus.listeners.size() == 2 + svc.openViews.size(), "listeners only of open views");
        check(svc.calendars.size() == CALENDAR_CAP && svc.calendars.evicted > 0, "calendar cache at cap");
        check(svc.readingsWritten == READINGS && svc.readings[RING - 1] != null, "ring");
        check(svc.routeBuffers.size() == POOL, "pool");
    }

    public static void main(String[] args) throws Exception {
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
