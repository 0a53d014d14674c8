// hprofscan-dump: name=val115-leak-tidalturbines jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val115-leak-tidalturbines-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 115 (written blind), LEAK: the supervisory gateway of a tidal-stream turbine array.
 * The gateway sends commands (register-block reads, pitch and yaw setpoints, brake tests) to the
 * nacelle controllers over the subsea export cable's shared data link. Each command is kept in a
 * pending-request table, keyed by its correlation id, with the encoded request and the future the
 * caller waits on (with the historian's continuation attached); a response removes its entry and
 * completes the future. On this link 1 command in 12 is lost (the controller was resetting, the
 * frame was dropped) and no response ever comes; nothing times the table's entries out. Ordinary
 * components beside it: tide-station predictions (reference data), the asset register keyed by
 * asset tag, a trend-chart LRU at its cap, a pool of frame buffers, a ring of recent register
 * samples, open maintenance work orders. See VALIDATION115.md.
 */
public final class Val115LeakTidalTurbines {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOURS = 10, STATIONS = 800, ASSETS = 20_000, CHART_CAP = 2_000, POOL = 8, RING = 8_192, TURBINES = 48, COMMANDS_PER_MINUTE = 180;
    static final long TIMEOUT = 30 * SECOND;
    static final String[] COMMANDS = {"READ_BLOCK", "READ_BLOCK", "READ_BLOCK", "SET_PITCH", "SET_YAW", "BRAKE_TEST", "READ_ALARMS"};
    static final String[] PARTS = {"blade", "hub", "gearbox", "generator", "main bearing", "yaw drive", "pitch actuator", "converter", "subsea connector"};
    static boolean FIXED;

    record TideStation(String code, String name, double[] currentKnotsByQuarterHour) {}
    record Asset(String tag, String turbine, String part, byte[] maintenanceRecord, long installedAt) {}
    record RegisterBlock(String turbine, int firstRegister, int[] values, long at) {}
    record Sample(String turbine, int register, int value, long at) {}
    record TrendChart(String key, byte[] png, long renderedAt) {}
    record WorkOrder(String id, String turbine, String fault, long openedAt) {}

    /** A command sent and not yet answered. */
    static final class PendingCommand {
        final String correlationId, turbine, command;
        final byte[] request;
        final long sentAt;
        final CompletableFuture<RegisterBlock> reply = new CompletableFuture<>();
        PendingCommand(String correlationId, String turbine, String command, byte[] request, long sentAt) {
            this.correlationId = correlationId; this.turbine = turbine; this.command = command; this.request = request; this.sentAt = sentAt;
        }
    }

    static final Map<String, TideStation> STATIONS_BY_CODE = new HashMap<>();

    static final class SubseaLink {
        /** correlation id -> the command waiting for its response. */
        final Map<String, PendingCommand> pending = new ConcurrentHashMap<>();
        long sent, answered, lost, timedOut, lateResponses, seq;

        PendingCommand send(String turbine, String command, byte[] request, long t) {
            String id = turbine + "-" + Long.toString(0x5A00_0000L + seq++, 36);
            PendingCommand p = new PendingCommand(id, turbine, command, request, t);
            pending.put(id, p);
            sent++;
            return p;
        }

        void onResponse(String correlationId, RegisterBlock block) {
            PendingCommand p = pending.remove(correlationId);
            if (p == null) { lateResponses++; return; }
            answered++;
            p.reply.complete(block);
        }

        /** The fix: runs every 10 s and fails commands older than 30 s. */
        void expire(long now) {
            for (Iterator<PendingCommand> it = pending.values().iterator(); it.hasNext(); ) {
                PendingCommand p = it.next();
                if (now - p.sentAt >= TIMEOUT) { it.remove(); timedOut++; p.reply.completeExceptionally(new TimeoutException(p.correlationId)); }
            }
        }
    }

    static final class ChartCache extends LinkedHashMap<String, TrendChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrendChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final class Historian {
        final Sample[] recent = new Sample[RING];
        long samples;
        void record(RegisterBlock b) { for (int k = 0; k < b.values().length; k += 8) recent[(int) (samples++ % RING)] = new Sample(b.turbine(), b.firstRegister() + k, b.values()[k], b.at()); }
    }

    static final class ArrayService {
        final Map<String, Asset> assets = new HashMap<>();
        final String[] tags = new String[ASSETS];
        final String[] turbines = new String[TURBINES];
        final SubseaLink link = new SubseaLink();
        final Historian historian = new Historian();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final ArrayDeque<WorkOrder> workOrders = new ArrayDeque<>();
        long opened, closed, chartViews, failedCommands;

        PendingCommand command(Random r, long t) {
            String turbine = turbines[r.nextInt(TURBINES)];
            String cmd = COMMANDS[r.nextInt(COMMANDS.length)];
            byte[] request = new byte[400 + r.nextInt(500)]; // CBOR-encoded command with its register map and setpoints
            request[0] = (byte) cmd.length();
            byte[] buf = frameBuffers.poll();
            System.arraycopy(request, 0, buf, (int) (t % 1_024), 64);
            frameBuffers.add(buf);
            PendingCommand p = link.send(turbine, cmd, request, t);
            p.reply.thenAccept(historian::record).exceptionally(e -> { failedCommands++; return null; });
            return p;
        }

        void viewChart(Random r, long t) {
            chartViews++;
            String key = turbines[r.nextInt(TURBINES)] + "/" + (r.nextInt(120)) + "/" + (r.nextBoolean() ? "24h" : "7d");
            if (charts.get(key) == null) charts.put(key, new TrendChart(key, new byte[400 + r.nextInt(400)], t));
        }

        void alarm(Random r, long t) {
            String turbine = turbines[r.nextInt(TURBINES)];
            workOrders.addLast(new WorkOrder("WO-" + (300_000 + opened++), turbine, PARTS[r.nextInt(PARTS.length)] + " alarm", t));
        }

        void closeWorkOrders(long t) {
            while (!workOrders.isEmpty() && workOrders.peekFirst().openedAt() <= t - 40 * MINUTE) { workOrders.pollFirst(); closed++; }
        }
    }

    record Response(long at, String correlationId, String turbine, int firstRegister) {}

    static ArrayService SERVICE;
    static int LOST_BY_DESIGN, IN_FLIGHT;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(115_040_001);
        for (int s = 0; s < STATIONS; s++) {
            double[] knots = new double[96];
            for (int j = 0; j < knots.length; j++) knots[j] = rnd.nextDouble() * 5.5;
            String code = "TS" + (2_000 + s * 3);
            STATIONS_BY_CODE.put(code, new TideStation(code, "Tide station " + s, knots));
        }
        ArrayService svc = new ArrayService();
        SERVICE = svc;
        for (int k = 0; k < TURBINES; k++) svc.turbines[k] = "TT" + (1 + k / 12) + (char) ('A' + k % 12);
        for (int a = 0; a < ASSETS; a++) {
            svc.tags[a] = "AT-" + svc.turbines[a % TURBINES] + "-" + (10_000 + a);
            svc.assets.put(svc.tags[a], new Asset(svc.tags[a], svc.turbines[a % TURBINES], PARTS[rnd.nextInt(PARTS.length)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);

        Random traffic = new Random(115_040_002), link = new Random(115_040_003), ops = new Random(115_040_004);
        PriorityQueue<Response> responses = new PriorityQueue<>((x, y) -> x.at() != y.at() ? Long.compare(x.at(), y.at()) : x.correlationId().compareTo(y.correlationId()));
        long total = (long) COMMANDS_PER_MINUTE * HOURS * 60;
        long nextExpiry = start + 10 * SECOND;
        for (long i = 0; i < total; i++) {
            long t = start + (end - start) * i / total;
            while (!responses.isEmpty() && responses.peek().at() <= t) {
                Response resp = responses.poll();
                int[] values = new int[64];
                for (int k = 0; k < values.length; k++) values[k] = (int) ((resp.at() / 100 + k * 37) % 65_536);
                svc.link.onResponse(resp.correlationId(), new RegisterBlock(resp.turbine(), resp.firstRegister(), values, resp.at()));
            }
            if (FIXED) while (nextExpiry <= t) { svc.link.expire(nextExpiry); nextExpiry += 10 * SECOND; }
            PendingCommand p = svc.command(traffic, t);
            if (link.nextInt(12) == 0) LOST_BY_DESIGN++; // no response will ever come
            else responses.add(new Response(t + 150 + link.nextInt(2_350), p.correlationId, p.turbine, 40_001 + link.nextInt(200)));
            if (i % 3 == 0) svc.viewChart(ops, t);
            if (i % 90 == 0) svc.alarm(ops, t);
            if (i % 180 == 0) svc.closeWorkOrders(t);
        }
        IN_FLIGHT = responses.size(); // answers still on the wire at the dump
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val115.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ArrayService svc = SERVICE;
        SubseaLink l = svc.link;
        int lostPending = 0;
        for (PendingCommand p : l.pending.values()) if (!p.reply.isDone()) lostPending++;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " assets " + svc.assets.size() + " commands sent " + l.sent + " answered " + l.answered
                + " lost by the link " + LOST_BY_DESIGN + " in flight " + IN_FLIGHT + " pending " + l.pending.size() + " (timed out " + l.timedOut + ", failed " + svc.failedCommands
                + ") historian samples " + svc.historian.samples + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ", views " + svc.chartViews + ") pool " + svc.frameBuffers.size()
                + " work orders open " + svc.workOrders.size() + " (opened " + svc.opened + ", closed " + svc.closed + ")");
        check(STATIONS_BY_CODE.size() == STATIONS && svc.assets.size() == ASSETS, "reference data / directory");
        check(l.sent == (long) COMMANDS_PER_MINUTE * HOURS * 60 && l.sent == l.answered + l.pending.size() + l.timedOut && l.lateResponses == 0 && lostPending == l.pending.size(), "command accounting");
        check(FIXED ? l.timedOut == LOST_BY_DESIGN - (l.pending.size() - IN_FLIGHT) && l.pending.size() - IN_FLIGHT <= 40
                : l.pending.size() == LOST_BY_DESIGN + IN_FLIGHT && LOST_BY_DESIGN == 9_088, "pending " + l.pending.size());
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.frameBuffers.size() == POOL && svc.historian.recent[RING - 1] != null, "pool / ring");
        check(svc.workOrders.size() > 0 && svc.opened == svc.closed + svc.workOrders.size(), "work orders");
    }
}
