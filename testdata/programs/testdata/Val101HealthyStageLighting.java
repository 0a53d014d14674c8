// hprofscan-dump: name=val101-healthy-stagelighting-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val101-healthy-stagelighting-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val101-healthy-stagelighting jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val101-healthy-stagelighting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Validation set 101 (written blind), HEALTHY: the cloud service behind a touring theatre
 * company's lighting consoles. Fixture-profile reference data, the directory of shows, a cue
 * editor whose editing sessions register a listener lambda (capturing the session and its cue
 * view model) on an in-process console event bus and unregister it on close, scheduled show
 * reports on a shared ScheduledThreadPoolExecutor whose futures are cancelled on unsubscribe, a
 * memo of computed dimmer curves keyed by a record (bounded by the fixture models and modes), a
 * hand-written connection pool whose handlers release in a finally block, and a cache of rendered
 * stage plots at its cap. Warms up, then plateaus. See VALIDATION101.md.
 */
public final class Val101HealthyStageLighting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FIXTURES = 1_200, SHOWS = 20_000, PLOT_CAP = 2_000, HOT_MODELS = 300, MODES = 4, REQUESTS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 400, SUBS_PER_HOUR = 300;
    static final AtomicLong RUNS = new AtomicLong();

    record FixtureProfile(String model, String maker, double[] dimmerCurve) {}
    record Show(String id, String title, String venue, byte[] cueListHeader, long createdAt) {}
    record StagePlot(String key, byte[] svg, long renderedAt) {}
    record ConsoleEvent(String kind, String model, long at) {}
    record CurveKey(String model, int mode) {}
    /** A planned simulation step (kept only by the simulation loop, never by the service). */
    record Planned<T>(long at, T item) {}

    static final class CueViewModel {
        final int[] cueNumbers = new int[96];
        final ArrayDeque<byte[]> undo = new ArrayDeque<>();
        final List<String> patchedModels = new ArrayList<>();
        int highlighted;
    }

    static final class CueSession {
        final long id; final String showId, operator; final long openedAt;
        final CueViewModel view = new CueViewModel();
        Consumer<ConsoleEvent> listener;
        CueSession(long id, String showId, String operator, long openedAt) { this.id = id; this.showId = showId; this.operator = operator; this.openedAt = openedAt; }
        void onEvent(ConsoleEvent e) { if (view.patchedModels.contains(e.model())) view.highlighted++; }
    }

    static final class ConsoleEventBus {
        final CopyOnWriteArrayList<Consumer<ConsoleEvent>> listeners = new CopyOnWriteArrayList<>();
        long posted;
        void subscribe(Consumer<ConsoleEvent> l) { listeners.add(l); }
        void unsubscribe(Consumer<ConsoleEvent> l) { listeners.remove(l); }
        void post(ConsoleEvent e) { posted++; for (Consumer<ConsoleEvent> l : listeners) l.accept(e); }
    }

    static final class CueEditor {
        final Map<Long, CueSession> open = new HashMap<>();
        final ConsoleEventBus bus = new ConsoleEventBus();
        long opened, closed;
        void openSession(CueSession s, Random r, String[] models) {
            for (int k = 0; k < s.view.cueNumbers.length; k++) s.view.cueNumbers[k] = k * 10 + r.nextInt(10);
            int undo = 3 + r.nextInt(6);
            for (int k = 0; k < undo; k++) s.view.undo.addLast(new byte[64 + r.nextInt(64)]);
            int patched = 4 + r.nextInt(6);
            for (int k = 0; k < patched; k++) s.view.patchedModels.add(models[r.nextInt(models.length)]);
            s.listener = e -> s.onEvent(e);
            bus.subscribe(s.listener);
            open.put(s.id, s);
            opened++;
        }
        void closeSession(CueSession s) {
            open.remove(s.id);
            bus.unsubscribe(s.listener);
            closed++;
        }
    }

    record ReportQuery(String showId, String venue, String[] sections, long windowMs, String recipient) {}

    static final class ShowReportTask implements Runnable {
        final ReportQuery query; final StringBuilder buffer;
        ShowReportTask(ReportQuery query, int chars) { this.query = query; this.buffer = new StringBuilder(chars); }
        @Override public void run() { RUNS.incrementAndGet(); buffer.setLength(0); buffer.append(query.showId()); }
    }

    static final class ReportSubscription {
        final String id; final ReportQuery query; final long createdAt; ScheduledFuture<?> future;
        ReportSubscription(String id, ReportQuery query, long createdAt) { this.id = id; this.query = query; this.createdAt = createdAt; }
    }

    static final class ReportScheduler {
        final Map<String, ReportSubscription> active = new HashMap<>();
        final ScheduledThreadPoolExecutor executor;
        long subscribed, cancelled;
        ReportScheduler() {
            executor = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "show-reports-1"); t.setDaemon(true); return t; });
            executor.setRemoveOnCancelPolicy(true);
        }
        void subscribe(ReportSubscription s, int chars, long initialDelay) {
            s.future = executor.scheduleAtFixedRate(new ShowReportTask(s.query, chars), initialDelay, DAY, TimeUnit.MILLISECONDS);
            active.put(s.id, s);
            subscribed++;
        }
        void unsubscribe(String id) {
            ReportSubscription s = active.remove(id);
            s.future.cancel(false);
            cancelled++;
        }
    }

    /** Memo of computed dimmer curves, keyed by a record (value equality). */
    static final class CurveMemo {
        final Map<CurveKey, float[]> curves = new HashMap<>();
        long lookups, computed;
        float[] curve(String model, int mode) {
            lookups++;
            return curves.computeIfAbsent(new CurveKey(model, mode), k -> {
                computed++;
                float[] c = new float[256];
                for (int i = 0; i < c.length; i++) c[i] = (float) Math.pow(i / 255.0, 1.5 + k.mode() * 0.25);
                return c;
            });
        }
    }

    static final class PooledConnection {
        final long id; final byte[] readBuffer = new byte[8_192]; final Map<String, int[]> statements = new HashMap<>(); String leasedBy; int uses;
        PooledConnection(long id) { this.id = id; }
    }

    /** Hand-written connection pool; every handler releases in a finally block. */
    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = ConcurrentHashMap.newKeySet();
        long created, leases, releases, failures;
        ConnectionPool(int prewarm) { for (int i = 0; i < prewarm; i++) idle.add(new PooledConnection(created++)); }
        PooledConnection lease(String by) { PooledConnection c = idle.pollFirst(); if (c == null) c = new PooledConnection(created++); c.leasedBy = by; c.uses++; leased.add(c); leases++; return c; }
        void release(PooledConnection c) { leased.remove(c); c.leasedBy = null; idle.addFirst(c); releases++; }
    }

    static final class PlotCache extends LinkedHashMap<String, StagePlot> {
        long evicted;
        PlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StagePlot> e) { if (size() > PLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FixtureProfile> FIXTURES_BY_MODEL = new HashMap<>();

    static final class LightingCloud {
        final Map<String, Show> shows = new HashMap<>();
        final CueEditor editor = new CueEditor();
        final ReportScheduler reports = new ReportScheduler();
        final CurveMemo curves = new CurveMemo();
        final ConnectionPool db = new ConnectionPool(8);
        final PlotCache plots = new PlotCache();

        void saveCue(String showId, boolean lockTimeout, Random r) {
            PooledConnection c = db.lease("PUT /shows/cues");
            try {
                c.statements.computeIfAbsent("UPDATE cues SET levels = ? WHERE show = ? AND cue = ?", k -> new int[3]);
                c.readBuffer[r.nextInt(c.readBuffer.length)] = 1;
                if (lockTimeout) throw new IllegalStateException("lock timeout saving cue of " + showId);
            } catch (IllegalStateException e) {
                db.failures++;
            } finally {
                db.release(c);
            }
        }
    }

    static LightingCloud SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours, sessions = SESSIONS_PER_HOUR * hours, subscriptions = SUBS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(101_050_001);
        String[] models = new String[FIXTURES];
        String[] makers = {"Robe", "ETC", "Martin", "Chauvet", "Clay Paky", "Ayrton", "Vari-Lite", "GLP"};
        for (int f = 0; f < FIXTURES; f++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            models[f] = "FX-" + (10_000 + f * 3);
            FIXTURES_BY_MODEL.put(models[f], new FixtureProfile(models[f], makers[f % makers.length], curve));
        }
        LightingCloud svc = new LightingCloud();
        SERVICE = svc;
        String[] showIds = new String[SHOWS];
        for (int s = 0; s < SHOWS; s++) {
            showIds[s] = "SHOW-" + (500_000 + s);
            svc.shows.put(showIds[s], new Show(showIds[s], "Production " + (s % 1_500), "Venue " + (s % 400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        String[] hotModels = new String[HOT_MODELS];
        for (int h = 0; h < HOT_MODELS; h++) hotModels[h] = models[h * (FIXTURES / HOT_MODELS)];

        Random traffic = new Random(101_050_002);
        Random editing = new Random(101_050_003);
        Random subs = new Random(101_050_004);
        PriorityQueue<Planned<CueSession>> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        PriorityQueue<Planned<String>> ending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        String[] sections = {"cue-timings", "fixture-hours", "lamp-warnings", "patch-changes", "dimmer-faults", "operator-notes"};
        int nextSession = 0, nextSub = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (!closing.isEmpty() && closing.peek().at() <= t) svc.editor.closeSession(closing.poll().item());
            while (!ending.isEmpty() && ending.peek().at() <= t) svc.reports.unsubscribe(ending.poll().item());
            while (nextSession < sessions && start + (end - MINUTE - start) * nextSession / sessions <= t) {
                long at = start + (end - MINUTE - start) * nextSession / sessions;
                CueSession s = new CueSession(3_000_000L + nextSession, showIds[editing.nextInt(SHOWS)], "op" + editing.nextInt(600), at);
                long closesAt = at + (5 + editing.nextInt(41)) * MINUTE;
                svc.editor.openSession(s, editing, hotModels);
                closing.add(new Planned<>(closesAt, s));
                nextSession++;
            }
            while (nextSub < subscriptions && start + (end - MINUTE - start) * nextSub / subscriptions <= t) {
                long at = start + (end - MINUTE - start) * nextSub / subscriptions;
                String[] chosen = new String[2 + subs.nextInt(3)];
                for (int k = 0; k < chosen.length; k++) chosen[k] = sections[subs.nextInt(sections.length)];
                String showId = showIds[subs.nextInt(SHOWS)];
                ReportSubscription s = new ReportSubscription("RS-" + (90_000 + nextSub), new ReportQuery(showId, "Venue " + subs.nextInt(400), chosen, (1 + subs.nextInt(7)) * DAY, "ld" + subs.nextInt(3_000) + "@tour.example"), at);
                long endsAt = at + (20 + subs.nextInt(100)) * MINUTE;
                long firstRun = end - end % DAY + (6 + subs.nextInt(3)) * HOUR;
                while (firstRun < now + 30 * MINUTE) firstRun += DAY;
                svc.reports.subscribe(s, 1_024 + subs.nextInt(1_024), firstRun - now);
                ending.add(new Planned<>(endsAt, s.id));
                nextSub++;
            }
            if (i % 20 == 0) svc.editor.bus.post(new ConsoleEvent(i % 40 == 0 ? "LAMP_HOURS" : "FIRMWARE", hotModels[traffic.nextInt(HOT_MODELS)], t));
            int kind = traffic.nextInt(4);
            if (kind == 0) svc.curves.curve(hotModels[traffic.nextInt(HOT_MODELS)], traffic.nextInt(MODES));
            else if (kind == 1) svc.saveCue(showIds[traffic.nextInt(SHOWS)], traffic.nextInt(40) == 0, traffic);
            else {
                String key = "plot-" + traffic.nextInt(6_000);
                if (svc.plots.get(key) == null) svc.plots.put(key, new StagePlot(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) svc.editor.closeSession(closing.poll().item());
        while (!ending.isEmpty() && ending.peek().at() <= end) svc.reports.unsubscribe(ending.poll().item());
        int openSessions = closing.size(), activeSubs = ending.size();
        CueEditor ed = svc.editor;
        ReportScheduler rs = svc.reports;
        String summary = "stage " + stage + " fixtures " + FIXTURES_BY_MODEL.size() + " shows " + svc.shows.size() + " sessions opened " + ed.opened + " closed " + ed.closed + " open " + ed.open.size()
                + " bus listeners " + ed.bus.listeners.size() + " (events " + ed.bus.posted + ") reports subscribed " + rs.subscribed + " cancelled " + rs.cancelled + " active " + rs.active.size()
                + " queue " + rs.executor.getQueue().size() + " curves " + svc.curves.curves.size() + " (lookups " + svc.curves.lookups + ") db created " + svc.db.created + " idle " + svc.db.idle.size()
                + " leased " + svc.db.leased.size() + " (leases " + svc.db.leases + ", failures " + svc.db.failures + ") plots " + svc.plots.size() + " (evicted " + svc.plots.evicted + ")";
        check(FIXTURES_BY_MODEL.size() == FIXTURES && svc.shows.size() == SHOWS, "reference data / directory");
        check(ed.opened == sessions && ed.open.size() == openSessions && ed.bus.listeners.size() == openSessions, "editor sessions: " + ed.bus.listeners.size());
        check(rs.subscribed == subscriptions && rs.active.size() == activeSubs && rs.executor.getQueue().size() == activeSubs && RUNS.get() == 0, "report subscriptions");
        check(svc.curves.curves.size() <= HOT_MODELS * MODES, "curve memo bounded");
        check(svc.db.leased.isEmpty() && svc.db.created == 8 && svc.db.idle.size() == 8 && svc.db.failures > 0, "connection pool");
        check(svc.plots.size() <= PLOT_CAP && (stage == 1 || svc.plots.size() == PLOT_CAP), "plot cache");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        String summary = build(Integer.parseInt(args[2]));
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
