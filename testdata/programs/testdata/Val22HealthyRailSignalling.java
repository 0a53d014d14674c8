// hprofscan-dump: name=val22-healthy-railsignals jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val22-healthy-railsignals-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 22 (written blind), HEALTHY: the traffic-management back end of a rail signalling
 * control centre. Big legitimate structures only: interlockings and signals (reference data), the
 * trains on the network, a timetable future completed at startup (2 dependents run), a telemetry
 * pool and a single-thread alarm executor that both keep up, one Timer per subsystem (4), a
 * SoftReference-valued cache of track diagrams at its cap, a reusable 6 MiB frame buffer, a
 * message-buffer pool, a telemetry ring. 10 simulated hours. See testdata/VALIDATION22.md.
 */
public final class Val22HealthyRailSignalling {
    static final long HOUR = 3_600_000L;
    static final int INTERLOCKINGS = 600, SIGNALS = 25_000, TRAINS = 900, DIAGRAM_CAP = 2_500, BUFFERS = 20, TELEMETRY_RING = 32_768, TELEMETRY = 60_000, DIAGRAM_REQUESTS = 9_000;

    record Interlocking(String id, String name, int[] routeTable) {}
    record Signal(String id, String interlocking, String aspect, double[] geometry) {}
    record Train(String headcode, String operator, int consist, long enteredAt) {}
    record Telemetry(String headcode, String signal, int speedKmh, long at) {}

    static final class LruMap<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        LruMap(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static ThreadPoolExecutor executor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static final Map<String, Interlocking> INTERLOCKINGS_BY_ID = new HashMap<>();
    static final Map<String, Signal> SIGNALS_BY_ID = new HashMap<>();

    static final class ControlCentre {
        final Map<String, Train> trains = new HashMap<>();
        final CompletableFuture<String> timetableLoaded = new CompletableFuture<>();
        final ThreadPoolExecutor telemetryPool = executor("telemetry", 4);
        final ThreadPoolExecutor alarms = executor("alarm-dispatch", 1);
        final Timer berthSync = new Timer("berth-sync", true), healthProbe = new Timer("health-probe", true), logRotation = new Timer("log-rotation", true), tsrRefresh = new Timer("tsr-refresh", true);
        final LruMap<SoftReference<byte[]>> diagrams = new LruMap<>(DIAGRAM_CAP);
        final byte[] frameBuffer = new byte[6 << 20];
        final ArrayDeque<byte[]> messageBuffers = new ArrayDeque<>();
        final Telemetry[] telemetry = new Telemetry[TELEMETRY_RING];
        final AtomicLong processed = new AtomicLong(), alarmsSent = new AtomicLong();
        long telemetryWritten, startupCallbacks;
    }

    static ControlCentre CENTRE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(22_060_001);
        for (int i = 0; i < INTERLOCKINGS; i++) {
            int[] table = new int[512];
            for (int k = 0; k < table.length; k++) table[k] = rnd.nextInt(4_096);
            INTERLOCKINGS_BY_ID.put("IXL-" + i, new Interlocking("IXL-" + i, "Interlocking " + i, table));
        }
        String[] aspects = {"RED", "YELLOW", "DOUBLE_YELLOW", "GREEN"};
        for (int s = 0; s < SIGNALS; s++) {
            double[] geo = new double[16];
            for (int k = 0; k < geo.length; k++) geo[k] = rnd.nextDouble();
            String id = "SIG-" + (100_000 + s);
            SIGNALS_BY_ID.put(id, new Signal(id, "IXL-" + rnd.nextInt(INTERLOCKINGS), aspects[rnd.nextInt(4)], geo));
        }
        ControlCentre c = new ControlCentre();
        CENTRE = c;
        String[] operators = {"GW", "XC", "VT", "SR", "NT"};
        for (int t = 0; t < TRAINS; t++) {
            String hc = (1 + t % 9) + "" + (char) ('A' + t % 26) + String.format("%02d", t % 100) + "-" + t;
            c.trains.put(hc, new Train(hc, operators[t % operators.length], 2 + rnd.nextInt(10), now - (long) rnd.nextInt(180) * 60_000L));
        }
        for (int b = 0; b < BUFFERS; b++) c.messageBuffers.push(new byte[8_192]);
        c.timetableLoaded.thenAccept(v -> c.startupCallbacks++);
        c.timetableLoaded.thenAccept(v -> c.startupCallbacks++);
        c.timetableLoaded.complete("timetable 2026-12 v3");
        for (Timer t : List.of(c.berthSync, c.healthProbe, c.logRotation, c.tsrRefresh)) t.schedule(new TimerTask() { @Override public void run() { } }, 120_000, 120_000);
        Random traffic = new Random(22_060_002);
        long alarmsSubmitted = 0;
        for (int i = 0; i < TELEMETRY; i++) {
            long t = start + (now - start) * i / TELEMETRY;
            String sig = "SIG-" + (100_000 + traffic.nextInt(SIGNALS));
            c.telemetry[(int) (c.telemetryWritten++ % TELEMETRY_RING)] = new Telemetry("T" + traffic.nextInt(TRAINS), sig, traffic.nextInt(200), t);
            c.frameBuffer[traffic.nextInt(c.frameBuffer.length)] = (byte) i; // frame assembled in the reused buffer
            c.telemetryPool.execute(c.processed::incrementAndGet);
            if (i % 50 == 0) { c.alarms.execute(c.alarmsSent::incrementAndGet); alarmsSubmitted++; }
        }
        for (int d = 0; d < DIAGRAM_REQUESTS; d++) {
            byte[] diagram = new byte[1_024 + traffic.nextInt(1_024)];
            c.diagrams.put("TC-" + d, new SoftReference<>(diagram));
        }
        while (c.telemetryPool.getCompletedTaskCount() < TELEMETRY || c.alarms.getCompletedTaskCount() < alarmsSubmitted) Thread.sleep(5);
        int softLive = 0;
        for (SoftReference<byte[]> r : c.diagrams.values()) if (r.get() != null) softLive++;
        System.out.println("interlockings " + INTERLOCKINGS_BY_ID.size() + " signals " + SIGNALS_BY_ID.size() + " trains " + c.trains.size() + " startup callbacks " + c.startupCallbacks + " telemetry processed " + c.processed.get() + " alarms " + c.alarmsSent.get() + "/" + alarmsSubmitted + " queues " + c.telemetryPool.getQueue().size() + "/" + c.alarms.getQueue().size() + " diagrams " + c.diagrams.size() + " (evicted " + c.diagrams.evicted + ", live referents " + softLive + ") buffers " + c.messageBuffers.size() + " telemetry " + c.telemetryWritten);
        check(INTERLOCKINGS_BY_ID.size() == INTERLOCKINGS && SIGNALS_BY_ID.size() == SIGNALS && c.trains.size() == TRAINS && c.messageBuffers.size() == BUFFERS, "reference data");
        check(c.startupCallbacks == 2 && c.timetableLoaded.isDone() && c.timetableLoaded.getNumberOfDependents() == 0, "timetable future");
        check(c.processed.get() == TELEMETRY && c.alarmsSent.get() == alarmsSubmitted && c.telemetryPool.getQueue().isEmpty() && c.alarms.getQueue().isEmpty(), "executors keep up");
        check(c.diagrams.size() == DIAGRAM_CAP && c.diagrams.evicted == DIAGRAM_REQUESTS - DIAGRAM_CAP, "diagram cache at its cap");
        check(c.telemetryWritten == TELEMETRY && c.telemetry[TELEMETRY_RING - 1] != null, "telemetry ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
