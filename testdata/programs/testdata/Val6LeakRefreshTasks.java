// hprofscan-dump: name=val6-leak-refreshtasks jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-leak-refreshtasks-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), LEAKING: a BI dashboard service. Opening a dashboard
 * registers a periodic "live refresh" of its widgets with the service's scheduler
 * ({@code scheduleWithFixedDelay}, every 5 minutes) capturing the view request (user, filters,
 * widget queries); the returned {@code ScheduledFuture} is dropped, so closing the view never
 * cancels it. 2,400 dashboard views over 8 simulated hours leave 2,400 periodic tasks in the
 * scheduler's queue beside its 3 legitimate maintenance tasks. Beside it: the widget catalog
 * (static), user preferences by user id, a query-result LRU at capacity, viewer sessions that
 * expire after 20 minutes, metrics. See testdata/VALIDATION6.md.
 */
public final class Val6LeakRefreshTasks {
    static final int WIDGETS = 2_000;
    static final int USERS = 15_000;
    static final int RESULT_CAP = 3_000;
    static final int VIEWS = 2_400;
    static final int QUERIES = 40_000;
    static final long SIM_MILLIS = 8L * 3600_000L;
    static final long SESSION_IDLE_MILLIS = 20L * 60_000L;

    static DashboardService RUNNING;

    static final class WidgetDef {
        final String widgetId; final String kind; final String queryTemplate; final String[] dimensions; final int refreshSeconds;
        WidgetDef(String widgetId, String kind, String queryTemplate, String[] dimensions, int refreshSeconds) { this.widgetId = widgetId; this.kind = kind; this.queryTemplate = queryTemplate; this.dimensions = dimensions; this.refreshSeconds = refreshSeconds; }
    }

    static final class WidgetCatalog {
        static final Map<String, WidgetDef> WIDGETS_BY_ID = new HashMap<>();
    }

    static final class UserPrefs {
        final long userId; final String timezone; final String locale; final String defaultDashboard; final int[] pinned = new int[8]; final long updatedAt;
        UserPrefs(long userId, String timezone, String locale, String defaultDashboard, long updatedAt) { this.userId = userId; this.timezone = timezone; this.locale = locale; this.defaultDashboard = defaultDashboard; this.updatedAt = updatedAt; }
    }

    static final class QueryResult {
        final String queryHash; final double[] series; final long computedAt;
        QueryResult(String queryHash, double[] series, long computedAt) { this.queryHash = queryHash; this.series = series; this.computedAt = computedAt; }
    }

    static final class ResultLru extends LinkedHashMap<String, QueryResult> {
        final int capacity;
        ResultLru(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QueryResult> e) { return size() > capacity; }
    }

    static final class WidgetQuery {
        final String widgetId; final String sql; final String timeRange;
        WidgetQuery(String widgetId, String sql, String timeRange) { this.widgetId = widgetId; this.sql = sql; this.timeRange = timeRange; }
    }

    static final class DashboardView {
        final String viewId; final long userId; final String dashboardId; final Map<String, String> filters = new HashMap<>(); final List<WidgetQuery> widgets = new ArrayList<>(); final long openedAt; long lastRefreshAt;
        DashboardView(String viewId, long userId, String dashboardId, long openedAt) { this.viewId = viewId; this.userId = userId; this.dashboardId = dashboardId; this.openedAt = openedAt; this.lastRefreshAt = openedAt; }
    }

    static final class ViewerSession {
        final String sessionId; final long userId; final long createdAt; long lastSeenAt;
        ViewerSession(String sessionId, long userId, long createdAt) { this.sessionId = sessionId; this.userId = userId; this.createdAt = createdAt; this.lastSeenAt = createdAt; }
    }

    static final class DashboardService {
        final Map<Long, UserPrefs> prefs = new HashMap<>();
        final ResultLru results = new ResultLru(RESULT_CAP);
        final Map<String, ViewerSession> sessions = new ConcurrentHashMap<>();
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final AtomicInteger threadSeq = new AtomicInteger();
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "dashboard-refresh-" + threadSeq.incrementAndGet()); t.setDaemon(true); return t; });
        long sessionsExpired;

        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void refresh(DashboardView v) {
            for (WidgetQuery q : v.widgets) { synchronized (results) { results.get(q.sql + "|" + v.filters); } }
            v.lastRefreshAt = System.currentTimeMillis();
            count("dashboard.refresh");
        }

        /** GET /dashboards/{id}: renders the view and turns on live refresh. BUG: the future is dropped, never cancelled. */
        void open(DashboardView v) {
            scheduler.scheduleWithFixedDelay(() -> refresh(v), 5, 5, TimeUnit.MINUTES);
            count("dashboard.open");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_070_001);
        DashboardService svc = new DashboardService();
        RUNNING = svc;
        svc.scheduler.scheduleAtFixedRate(() -> svc.count("metrics.flush"), 1, 1, TimeUnit.MINUTES);
        svc.scheduler.scheduleWithFixedDelay(() -> svc.count("sessions.sweep"), 2, 2, TimeUnit.MINUTES);
        svc.scheduler.scheduleWithFixedDelay(() -> svc.count("catalog.reload"), 15, 15, TimeUnit.MINUTES);
        String[] kinds = {"line", "bar", "table", "kpi", "heatmap", "pie"};
        String[] widgetIds = new String[WIDGETS];
        for (int w = 0; w < WIDGETS; w++) {
            widgetIds[w] = "wdg_" + Integer.toString(1_000_000 + w * 37, 36);
            WidgetCatalog.WIDGETS_BY_ID.put(widgetIds[w], new WidgetDef(widgetIds[w], kinds[w % kinds.length],
                    "SELECT date_trunc('hour', ts) AS t, sum(amount) FROM sales_" + (w % 40) + " WHERE region = :region AND ts > now() - :range GROUP BY 1 /* " + widgetIds[w] + " */",
                    new String[] {"region", "channel", "product_line"}, 60 * (1 + w % 15)));
        }
        String[] zones = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", "America/Chicago"};
        for (int u = 0; u < USERS; u++) {
            long id = 3_100_000L + u * 13L;
            svc.prefs.put(id, new UserPrefs(id, zones[u % zones.length], u % 3 == 0 ? "de-DE" : "en-US", "dsh_" + (u % 300), start - 60_000L * (u % 20_000)));
        }
        Long[] userIds = svc.prefs.keySet().toArray(new Long[0]);
        String[] regions = {"emea", "amer", "apac"};
        int total = QUERIES + VIEWS, views = 0;
        long lastSweep = start;
        List<ViewerSession> recent = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long t = start + SIM_MILLIS * i / total;
            long user = userIds[rnd.nextInt(USERS)];
            if ((long) (i + 1) * VIEWS / total > views) {
                views++;
                DashboardView v = new DashboardView("view_" + Long.toHexString(rnd.nextLong()), user, "dsh_" + rnd.nextInt(300), t);
                v.filters.put("region", regions[rnd.nextInt(3)]);
                v.filters.put("range", (1 + rnd.nextInt(30)) + "d");
                v.filters.put("channel", rnd.nextBoolean() ? "online" : "retail");
                for (int k = 0; k < 6; k++) {
                    WidgetDef d = WidgetCatalog.WIDGETS_BY_ID.get(widgetIds[rnd.nextInt(WIDGETS)]);
                    v.widgets.add(new WidgetQuery(d.widgetId, d.queryTemplate.replace(":region", "'" + v.filters.get("region") + "'"), v.filters.get("range")));
                }
                svc.open(v);
                ViewerSession s = new ViewerSession("vs_" + Long.toHexString(rnd.nextLong()), user, t);
                svc.sessions.put(s.sessionId, s);
                recent.add(s);
            } else {
                String key = "q" + rnd.nextInt(12_000) + "|" + regions[rnd.nextInt(3)];
                synchronized (svc.results) {
                    if (svc.results.get(key) == null) { double[] series = new double[48]; for (int k = 0; k < 48; k++) series[k] = rnd.nextDouble() * 1e5; svc.results.put(key, new QueryResult(key, series, t)); }
                }
                if (!recent.isEmpty()) recent.get(recent.size() - 1 - rnd.nextInt(Math.min(recent.size(), 10))).lastSeenAt = t;
                svc.count("query.executed");
            }
            if (t - lastSweep >= 60_000L) {
                for (Iterator<ViewerSession> it = svc.sessions.values().iterator(); it.hasNext(); ) if (t - it.next().lastSeenAt > SESSION_IDLE_MILLIS) { it.remove(); svc.sessionsExpired++; }
                recent.removeIf(s -> !svc.sessions.containsKey(s.sessionId));
                lastSweep = t;
            }
        }
        recent.clear();
        int queued = svc.scheduler.getQueue().size();
        System.out.println("scheduled tasks " + queued + " views " + views + " sessions live " + svc.sessions.size() + " expired " + svc.sessionsExpired
                + " results " + svc.results.size() + " prefs " + svc.prefs.size() + " widgets " + WidgetCatalog.WIDGETS_BY_ID.size());
        check(views == VIEWS && queued == VIEWS + 3, "scheduled " + queued);
        check(svc.results.size() == RESULT_CAP, "results");
        check(svc.prefs.size() == USERS && WidgetCatalog.WIDGETS_BY_ID.size() == WIDGETS, "directories");
        check(svc.sessions.size() + svc.sessionsExpired == VIEWS && svc.sessions.size() < 200, "sessions");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
