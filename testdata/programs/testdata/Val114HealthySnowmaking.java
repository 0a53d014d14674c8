// hprofscan-dump: name=val114-healthy-snowmaking jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val114-healthy-snowmaking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 114 (written blind), HEALTHY: the snowmaking control service of a ski resort
 * (fan guns and lances on hydrants along the pistes, pump stations, weather masts). Piste
 * reference data, the hydrant directory, a cache of rendered weather tiles at its cap, a pool of
 * telemetry buffers, a ring of recent readings, the crew's maintenance tickets with their normal
 * backlog, the nozzle efficiency matrix (one large double[]), and bounded look-alikes of the set's
 * leaks: operator console sessions whose status push (scheduleAtFixedRate on a shared scheduler)
 * is cancelled at logout; a static valve-command audit trimmed on every append to its last 10,000;
 * pump start sequences run on a bounded pool of 2 threads and awaited; and the per-hydrant
 * valve-operation map whose entry is removed in a finally block even when the valve does not
 * respond (a sixth of the operations). 10 simulated hours. See VALIDATION114.md.
 */
public final class Val114HealthySnowmaking {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TICKET_SLA = 30 * MINUTE, PUMP_EVERY = 15 * MINUTE;
    static final int PISTES = 900, HYDRANTS = 18_000, TILE_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, OPS_PER_HOUR = 6_000, LOGINS_PER_HOUR = 40;
    static final int MAX_AUDIT = 10_000, PUMP_THREADS = 2, NOZZLE_CELLS = 300_000;

    static final String[] GUN_TYPES = {"fan gun", "lance", "tower fan", "ground fan"};
    static final String[] DIFFICULTIES = {"green", "blue", "red", "black"};

    record Piste(String code, String name, String difficulty, double[] wetBulbForecastByQuarterHour) {}
    record Hydrant(String hydrantId, String pisteCode, String gunType, byte[] calibration, long installedAt) {}
    record WeatherTile(String key, byte[] rendered, long at) {}
    record Reading(String hydrantId, double wetBulb, double flowLps, double pressureBar, long at) {}
    record Ticket(String hydrantId, String fault, long at) {}
    record ValveCommand(long at, String hydrantId, String command, String operator, boolean ok) {}

    static final class ValveTimeoutException extends Exception {
        ValveTimeoutException(String msg) { super(msg, null, false, false); }
    }

    /** Valve commands, kept for the resort's incident reviews: the last 10,000. */
    static final class ValveAudit {
        static final ArrayDeque<ValveCommand> HISTORY = new ArrayDeque<>();
        static long appended, dropped;
        static synchronized void record(ValveCommand c) {
            HISTORY.addLast(c);
            appended++;
            while (HISTORY.size() > MAX_AUDIT) { HISTORY.pollFirst(); dropped++; }
        }
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> { Thread t = new Thread(r, prefix + n.incrementAndGet()); t.setDaemon(true); return t; };
    }

    /** An operator logged in at a console: its status panel is refreshed every 30 s until logout. */
    static final class ConsoleSession {
        final String sessionId; final String operator; final String console; final long logoutAt; ScheduledFuture<?> refresh;
        ConsoleSession(String sessionId, String operator, String console, long logoutAt) { this.sessionId = sessionId; this.operator = operator; this.console = console; this.logoutAt = logoutAt; }
    }

    static final class Consoles {
        static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(2, named("resort-sched-"));
        static { SCHEDULER.setRemoveOnCancelPolicy(true); }
        final Map<String, ConsoleSession> sessions = new HashMap<>();
        final LongAdder refreshes = new LongAdder();
        long logins, logouts;
        void login(ConsoleSession s) {
            sessions.put(s.sessionId, s);
            s.refresh = SCHEDULER.scheduleAtFixedRate(() -> refreshes.increment(), 30, 30, TimeUnit.SECONDS);
            logins++;
        }
        void logout(ConsoleSession s) {
            s.refresh.cancel(false);
            sessions.remove(s.sessionId);
            logouts++;
        }
    }

    static final class TileCache extends LinkedHashMap<String, WeatherTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WeatherTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Piste> PISTES_BY_CODE = new HashMap<>();

    static final class SnowService {
        final Map<String, Hydrant> hydrants = new HashMap<>();
        final String[] hydrantIds = new String[HYDRANTS];
        final String[] pisteCodes = new String[PISTES];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<Ticket> tickets = new ArrayDeque<>();
        final double[] nozzleMatrix = new double[NOZZLE_CELLS];
        final Map<String, String> valveOps = new ConcurrentHashMap<>();
        final Consoles consoles = new Consoles();
        final ThreadPoolExecutor pumpSequencer = new ThreadPoolExecutor(PUMP_THREADS, PUMP_THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(100), named("pump-seq-"));
        long ops, failedOps, readingsWritten, ticketsOpened, ticketsClosed, pumpStarts, pumpSteps, sessionSeq = 900;

        void valveOperation(Random r, long t, String operator) {
            String hydrantId = hydrantIds[r.nextInt(HYDRANTS)];
            String command = r.nextBoolean() ? "OPEN " + (20 + r.nextInt(80)) + "%" : "CLOSE";
            valveOps.put(hydrantId, command);
            boolean ok = false;
            try {
                if (r.nextInt(6) == 0) throw new ValveTimeoutException("hydrant " + hydrantId + " did not acknowledge " + command);
                byte[] buf = telemetryBuffers.poll();
                buf[(int) (ops % buf.length)] = (byte) command.length();
                telemetryBuffers.add(buf);
                readings[(int) (readingsWritten++ % RING)] = new Reading(hydrantId, -2 - r.nextDouble() * 8, r.nextDouble() * 12, 20 + r.nextDouble() * 30, t);
                ok = true;
            } catch (ValveTimeoutException e) {
                failedOps++;
                if (r.nextInt(4) == 0) { tickets.add(new Ticket(hydrantId, "valve timeout", t)); ticketsOpened++; }
            } finally {
                valveOps.remove(hydrantId);
            }
            ValveAudit.record(new ValveCommand(t, hydrantId, command, operator, ok));
            ops++;
            if (r.nextInt(100) < 30) {
                String key = pisteCodes[r.nextInt(PISTES)] + "/tile-" + r.nextInt(4_000);
                if (tiles.get(key) == null) tiles.put(key, new WeatherTile(key, new byte[400 + r.nextInt(400)], t));
            }
            while (!tickets.isEmpty() && tickets.peek().at() <= t - TICKET_SLA) { tickets.poll(); ticketsClosed++; }
        }

        /** Every 15 minutes a pump station runs its start sequence on the sequencer pool; the caller waits for it. */
        void startPumps(Random r) throws Exception {
            int stations = 1 + r.nextInt(4);
            Future<?>[] runs = new Future<?>[stations];
            for (int i = 0; i < stations; i++) {
                int steps = 5 + r.nextInt(10);
                double[] cells = nozzleMatrix;
                runs[i] = pumpSequencer.submit(() -> { double s = 0; for (int k = 0; k < steps; k++) s += cells[k]; return s; });
                pumpSteps += steps;
            }
            for (Future<?> f : runs) f.get();
            pumpStarts += stations;
        }
    }

    static SnowService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(114_060_001);
        SnowService svc = new SnowService();
        SERVICE = svc;
        for (int p = 0; p < PISTES; p++) {
            double[] forecast = new double[96];
            for (int k = 0; k < forecast.length; k++) forecast[k] = -12 + rnd.nextDouble() * 14;
            svc.pisteCodes[p] = "P" + (100 + p);
            PISTES_BY_CODE.put(svc.pisteCodes[p], new Piste(svc.pisteCodes[p], "Piste " + p, DIFFICULTIES[rnd.nextInt(DIFFICULTIES.length)], forecast));
        }
        for (int i = 0; i < HYDRANTS; i++) {
            svc.hydrantIds[i] = "HYD-" + (10_000 + i * 3);
            svc.hydrants.put(svc.hydrantIds[i], new Hydrant(svc.hydrantIds[i], svc.pisteCodes[rnd.nextInt(PISTES)], GUN_TYPES[rnd.nextInt(GUN_TYPES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(3_000)) * DAY));
        }
        for (int k = 0; k < NOZZLE_CELLS; k++) svc.nozzleMatrix[k] = rnd.nextDouble();
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        String[] operators = new String[24];
        for (int o = 0; o < operators.length; o++) operators[o] = "operator-" + (o + 1);
        Random traffic = new Random(114_060_002);
        int ops = HOURS * OPS_PER_HOUR;
        int logins = HOURS * LOGINS_PER_HOUR;
        PriorityQueue<ConsoleSession> loggedIn = new PriorityQueue<>((a, b) -> a.logoutAt != b.logoutAt ? Long.compare(a.logoutAt, b.logoutAt) : a.sessionId.compareTo(b.sessionId));
        long nextPumps = start + PUMP_EVERY;
        int l = 0;
        for (int i = 0; i < ops; i++) {
            long t = start + (end - MINUTE - start) * i / ops;
            while (!loggedIn.isEmpty() && loggedIn.peek().logoutAt <= t) svc.consoles.logout(loggedIn.poll());
            while (nextPumps <= t) { svc.startPumps(traffic); nextPumps += PUMP_EVERY; }
            while (l < logins && start + (end - MINUTE - start) * l / logins <= t) {
                long at = start + (end - MINUTE - start) * l / logins;
                ConsoleSession cs = new ConsoleSession("CON-" + (svc.sessionSeq++), operators[traffic.nextInt(operators.length)], "console-" + (1 + traffic.nextInt(12)), at + 20 * MINUTE + traffic.nextInt(100) * MINUTE);
                svc.consoles.login(cs);
                loggedIn.add(cs);
                l++;
            }
            svc.valveOperation(traffic, t, operators[traffic.nextInt(operators.length)]);
        }
        while (!loggedIn.isEmpty() && loggedIn.peek().logoutAt <= end) svc.consoles.logout(loggedIn.poll());
    }

    static void verify() {
        SnowService svc = SERVICE;
        int ops = HOURS * OPS_PER_HOUR;
        int scheduled = Consoles.SCHEDULER.getQueue().size();
        System.out.println("pistes " + PISTES_BY_CODE.size() + " hydrants " + svc.hydrants.size() + " valve ops " + svc.ops + " (failed " + svc.failedOps + ", in progress " + svc.valveOps.size() + ")"
                + " audit " + ValveAudit.HISTORY.size() + " (appended " + ValveAudit.appended + ", dropped " + ValveAudit.dropped + ") readings " + svc.readingsWritten
                + " console logins " + svc.consoles.logins + "/" + svc.consoles.logouts + " active " + svc.consoles.sessions.size() + " scheduled " + scheduled
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pump starts " + svc.pumpStarts + " (" + svc.pumpSteps + " steps, pool " + svc.pumpSequencer.getPoolSize() + ")"
                + " pool " + svc.telemetryBuffers.size() + " tickets " + svc.ticketsOpened + "/" + svc.ticketsClosed + " backlog " + svc.tickets.size());
        check(PISTES_BY_CODE.size() == PISTES && svc.hydrants.size() == HYDRANTS, "reference data / directory");
        check(svc.ops == ops && svc.failedOps * 7 > ops && svc.failedOps * 5 < ops && svc.valveOps.isEmpty(), "valve operations, removed in finally");
        check(ValveAudit.HISTORY.size() == MAX_AUDIT && ValveAudit.appended == ops, "audit at its cap");
        check(svc.consoles.logins == HOURS * LOGINS_PER_HOUR && scheduled == svc.consoles.sessions.size() && scheduled > 20 && scheduled < 100, "console sessions: only the logged-in ones are scheduled");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.pumpSequencer.getPoolSize() == PUMP_THREADS && svc.pumpSequencer.getQueue().isEmpty(), "pump sequencer pool");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        check(svc.readings[RING - 1] != null, "ring");
        check(svc.tickets.size() > 0 && svc.tickets.size() < 200 && svc.ticketsOpened == svc.ticketsClosed + svc.tickets.size(), "ticket backlog");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
