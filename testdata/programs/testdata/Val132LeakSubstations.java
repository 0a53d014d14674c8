// hprofscan-dump: name=val132-leak-substations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val132-leak-substations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 132 (written blind), LEAK: the panel service behind the control-room consoles of
 * an electricity distribution network operator. Primary-substation reference data, the feeder
 * directory, a cache of rendered single-line diagrams at its cap, a pool of snapshot buffers, a ring
 * of recent SCADA events, the switching-instruction queue with its normal backlog, and the panel
 * directory: every substation panel an engineer opens is a subscription whose refresh is scheduled
 * on the shared ScheduledThreadPoolExecutor with scheduleWithFixedDelay, the task lambda capturing
 * the panel's state (its render buffer). Closing the panel removes the subscription from the
 * directory but never cancels the future, so the executor's queue keeps every panel ever opened.
 * See VALIDATION132.md.
 */
public final class Val132LeakSubstations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SUBSTATIONS = 1_100, FEEDERS = 20_000, DIAGRAM_CAP = 2_000, POOL = 8, EVENT_RING = 8_192, HOURS = 10, PANELS = 5_400, EVENTS = 72_000;
    /** Refresh period of a panel (real time: the first refresh is due long after the dump). */
    static final long REFRESH_EVERY = 10 * MINUTE;
    static boolean FIXED;
    /** Runs of any scheduled task (none is due before the dump). */
    static final AtomicLong RUNS = new AtomicLong();

    record Substation(String code, String name, String voltage, String region, double[] loadByHalfHour) {}
    record Feeder(String id, String substationCode, String name, int ratingAmps, byte[] protectionSettings, long commissionedAt) {}
    record Diagram(String key, byte[] svg, long renderedAt) {}
    record ScadaEvent(String point, String state, int priority, long at) {}
    record SwitchingInstruction(String id, String feeder, String action, String engineer, long issuedAt) {}
    /** A planned simulation step (kept only by the simulation loop). */
    record Planned(long at, String panelId) {}

    /** What one open panel shows and renders into. */
    static final class PanelState {
        final String panelId, substationCode, console, engineer;
        final String[] points;
        final byte[] renderBuffer;
        long lastRefresh, refreshes;
        PanelState(String panelId, String substationCode, String console, String engineer, String[] points, int bufferBytes) {
            this.panelId = panelId; this.substationCode = substationCode; this.console = console; this.engineer = engineer; this.points = points;
            this.renderBuffer = new byte[bufferBytes];
        }
        void refresh() { refreshes++; lastRefresh = System.currentTimeMillis(); renderBuffer[0] = (byte) refreshes; RUNS.incrementAndGet(); }
    }

    static final class PanelSubscription {
        final String id;
        final PanelState state;
        final long openedAt;
        ScheduledFuture<?> refresh;
        PanelSubscription(String id, PanelState state, long openedAt) { this.id = id; this.state = state; this.openedAt = openedAt; }
    }

    static final class DiagramCache extends LinkedHashMap<String, Diagram> {
        long evicted;
        DiagramCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Diagram> e) { if (size() > DIAGRAM_CAP) { evicted++; return true; } return false; }
    }

    static final class PanelDirectory {
        final Map<String, PanelSubscription> open = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler;
        long opened, closed, scheduled;
        PanelDirectory() {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "panel-refresh-" + n.incrementAndGet()); t.setDaemon(true); return t; });
            scheduler.setRemoveOnCancelPolicy(true);
        }
        void open(PanelSubscription s) {
            PanelState state = s.state;
            s.refresh = scheduler.scheduleWithFixedDelay(() -> state.refresh(), REFRESH_EVERY, REFRESH_EVERY, TimeUnit.MILLISECONDS);
            scheduled++;
            open.put(s.id, s);
            opened++;
        }
        void close(String id) {
            PanelSubscription s = open.remove(id);
            // BUG: the refresh is never cancelled; its lambda keeps the panel state in the scheduler's queue
            if (FIXED) s.refresh.cancel(false);
            closed++;
        }
    }

    static final class PanelService {
        final Map<String, Feeder> feeders = new HashMap<>();
        final DiagramCache diagrams = new DiagramCache();
        final ArrayDeque<byte[]> snapshotBuffers = new ArrayDeque<>();
        final ScadaEvent[] events = new ScadaEvent[EVENT_RING];
        long eventsWritten;
        final ArrayDeque<SwitchingInstruction> instructions = new ArrayDeque<>();
        long issued, executed;
        final PanelDirectory panels = new PanelDirectory();
        long diagramRequests;
    }

    static final Map<String, Substation> SUBSTATIONS_BY_CODE = new HashMap<>();
    static PanelService SERVICE;
    static String SUMMARY;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(132_050_001);
        String[] codes = new String[SUBSTATIONS];
        String[] regions = {"North West", "Yorkshire", "East Midlands", "West Midlands", "South Wales", "South West"};
        String[] voltages = {"33/11kV", "33/11kV", "66/11kV", "132/33kV"};
        for (int s = 0; s < SUBSTATIONS; s++) {
            double[] load = new double[48];
            for (int k = 0; k < load.length; k++) load[k] = 2 + rnd.nextDouble() * 30;
            codes[s] = "PSS-" + (1_000 + s * 3);
            SUBSTATIONS_BY_CODE.put(codes[s], new Substation(codes[s], "Primary " + s, voltages[s % voltages.length], regions[s % regions.length], load));
        }
        PanelService svc = new PanelService();
        SERVICE = svc;
        String[] feederIds = new String[FEEDERS];
        for (int f = 0; f < FEEDERS; f++) {
            feederIds[f] = "FDR-" + codes[f % SUBSTATIONS].substring(4) + "-" + (f / SUBSTATIONS + 1);
            svc.feeders.put(feederIds[f], new Feeder(feederIds[f], codes[f % SUBSTATIONS], "Feeder " + (f / SUBSTATIONS + 1), 200 + 50 * rnd.nextInt(8),
                    new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(12_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.snapshotBuffers.add(new byte[32_768]);
        PanelDirectory dir = svc.panels;
        // housekeeping on the same scheduler
        dir.scheduler.scheduleWithFixedDelay(() -> RUNS.incrementAndGet(), 15 * MINUTE, 15 * MINUTE, TimeUnit.MILLISECONDS);
        dir.scheduler.scheduleWithFixedDelay(() -> RUNS.incrementAndGet(), HOUR, HOUR, TimeUnit.MILLISECONDS);
        dir.scheduler.scheduleAtFixedRate(() -> RUNS.incrementAndGet(), 30 * MINUTE, 30 * MINUTE, TimeUnit.MILLISECONDS);

        Random traffic = new Random(132_050_002);
        Random consoles = new Random(132_050_003);
        String[] states = {"OPEN", "CLOSED", "TRIPPED", "EARTHED", "ALARM", "NORMAL"};
        String[] actions = {"open CB", "close CB", "apply earths", "remove earths", "lock off", "issue permit"};
        PriorityQueue<Planned> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int nextPanel = 0, maxOpen = 0;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            while (nextPanel < PANELS && start + (end - MINUTE - start) * nextPanel / PANELS <= t) {
                long at = start + (end - MINUTE - start) * nextPanel / PANELS;
                while (!closing.isEmpty() && closing.peek().at() <= at) dir.close(closing.poll().panelId());
                String sub = codes[consoles.nextInt(SUBSTATIONS)];
                String[] points = new String[4 + consoles.nextInt(9)];
                for (int k = 0; k < points.length; k++) points[k] = sub + "." + (k < 2 ? "CB" : "TX") + (k + 1) + "." + (k % 2 == 0 ? "AMPS" : "STATE");
                String id = "PNL-" + (800_000 + nextPanel);
                PanelState state = new PanelState(id, sub, "CONSOLE-" + (1 + consoles.nextInt(24)), "eng" + (100 + consoles.nextInt(140)), points, 1_024 + consoles.nextInt(2_048));
                dir.open(new PanelSubscription(id, state, at));
                closing.add(new Planned(at + (3 + consoles.nextInt(88)) * MINUTE, id));
                maxOpen = Math.max(maxOpen, dir.open.size());
                nextPanel++;
            }
            String point = codes[traffic.nextInt(SUBSTATIONS)] + ".CB" + (1 + traffic.nextInt(6));
            svc.events[(int) (svc.eventsWritten++ % EVENT_RING)] = new ScadaEvent(point, states[traffic.nextInt(states.length)], 1 + traffic.nextInt(4), t);
            if (traffic.nextInt(40) == 0) {
                svc.instructions.addLast(new SwitchingInstruction("SI-" + (40_000 + svc.issued++), feederIds[traffic.nextInt(FEEDERS)], actions[traffic.nextInt(actions.length)], "eng" + traffic.nextInt(140), t));
            }
            while (!svc.instructions.isEmpty() && svc.instructions.peekFirst().issuedAt() <= t - 20 * MINUTE) { svc.instructions.pollFirst(); svc.executed++; }
            if (i % 4 == 0) {
                String key = "sld-" + codes[traffic.nextInt(SUBSTATIONS)] + (traffic.nextInt(3) == 0 ? "-detail" : "");
                svc.diagramRequests++;
                if (svc.diagrams.get(key) == null) svc.diagrams.put(key, new Diagram(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.snapshotBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.snapshotBuffers.add(buf);
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) dir.close(closing.poll().panelId());
        int stillOpen = closing.size();
        long ran = RUNS.get();
        int queued = dir.scheduler.getQueue().size();
        SUMMARY = (FIXED ? "FIXED " : "") + "substations " + SUBSTATIONS_BY_CODE.size() + " feeders " + svc.feeders.size() + " panels opened " + dir.opened
                + " closed " + dir.closed + " open " + dir.open.size() + " (max " + maxOpen + ") scheduler queue " + queued + " (3 housekeeping) events " + svc.eventsWritten
                + " instructions " + svc.issued + " executed " + svc.executed + " backlog " + svc.instructions.size() + " diagrams " + svc.diagrams.size()
                + " (requests " + svc.diagramRequests + " evicted " + svc.diagrams.evicted + ") pool " + svc.snapshotBuffers.size() + " task runs " + ran;
        check(SUBSTATIONS_BY_CODE.size() == SUBSTATIONS && svc.feeders.size() == FEEDERS, "reference data / directory");
        check(dir.opened == PANELS && dir.closed + stillOpen == PANELS && dir.open.size() == stillOpen, "panels");
        check(ran == 0 && dir.scheduler.getCompletedTaskCount() == 0, "no scheduled task ran before the dump");
        if (FIXED) check(queued == 3 + stillOpen, "queue holds the open panels only: " + queued);
        else check(queued == 3 + PANELS, "queue keeps every panel's refresh: " + queued);
        check(svc.diagrams.size() == DIAGRAM_CAP && svc.diagrams.evicted > 0, "diagram cache at cap");
        check(svc.snapshotBuffers.size() == POOL, "pool");
        check(svc.issued == svc.executed + svc.instructions.size() && svc.instructions.size() > 0, "instruction backlog");
        check(svc.events[EVENT_RING - 1] != null, "event ring");
        // the exact counts of the truth table (VALIDATION132.md)
        long[] got = {queued, dir.open.size(), dir.closed, svc.issued, svc.instructions.size(), svc.diagrams.evicted};
        long[] expect = {FIXED ? 408 : 5_403, 405, 4_995, 1_843, 58, 783};
        check(java.util.Arrays.equals(expect, got), "exact counts " + java.util.Arrays.toString(got));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val132.fixed");
        simulate();
        System.out.println(SUMMARY);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
