// hprofscan-dump: name=val153-leak-remotelabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val153-leak-remotelabs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 153 (written blind), LEAK: the session gateway of a university's remote
 * laboratories (students drive real oscilloscopes, spectrometers and robot arms over the web).
 * Instrument reference data, the experiment directory, a cache of rendered lab-sheet pages at its
 * cap, a pool of frame-grabber buffers, a ring of instrument telemetry, the map of sessions in
 * progress, and a static registry of "active sessions" for the metrics endpoint: a LabSession adds
 * itself to LabSession.ACTIVE in its constructor and removes itself in close(). When a student's
 * link drops, the watchdog calls abort(), which releases the instrument and drops the session
 * from the gateway but never calls close(): every aborted session stays in the static set.
 * See VALIDATION153.md.
 */
public final class Val153LeakRemoteLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int INSTRUMENTS = 700, EXPERIMENTS = 25_000, SHEET_CAP = 2_000, POOL = 6, RING = 16_384, HOURS = 10, SESSIONS = 24_000;
    static boolean FIXED;

    record Instrument(String code, String lab, double[] calibration) {}
    record Experiment(String id, String course, String instrumentCode, byte[] procedure, long publishedAt) {}
    record SheetPage(String key, byte[] html, long at) {}
    record Telemetry(String instrumentCode, double value, long at) {}
    record Command(String verb, String argument, long at) {}

    static final class LabSession {
        /** "Active sessions" for the metrics endpoint: sessions register here and leave in close(). */
        static final Set<LabSession> ACTIVE = ConcurrentHashMap.newKeySet();
        final String sessionId, studentId, instrumentCode; final long startedAt; long endedAt;
        final byte[] lastFrame; final List<Command> commands = new ArrayList<>();
        boolean closed, aborted;
        LabSession(String sessionId, String studentId, String instrumentCode, long startedAt, byte[] lastFrame) {
            this.sessionId = sessionId; this.studentId = studentId; this.instrumentCode = instrumentCode; this.startedAt = startedAt; this.lastFrame = lastFrame;
            ACTIVE.add(this);
        }
        void close(long at) { if (!closed) { closed = true; endedAt = at; ACTIVE.remove(this); } }
    }

    static final class SheetCache extends LinkedHashMap<String, SheetPage> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SheetPage> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Instrument> INSTRUMENTS_BY_CODE = new HashMap<>();

    static final class LabGateway {
        final Map<String, Experiment> experiments = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Telemetry[] telemetry = new Telemetry[RING];
        long telemetryWritten;
        final Map<String, LabSession> inProgress = new HashMap<>();
        long finished, aborted;
        void finish(LabSession s, long at) { inProgress.remove(s.sessionId); s.close(at); finished++; }
        /** The watchdog's path for a dropped link: release the instrument, forget the session. */
        void abort(LabSession s, long at) {
            inProgress.remove(s.sessionId);
            s.aborted = true; s.endedAt = at; aborted++;
            if (FIXED) s.close(at); // the fix: abort ends in close() too
            // BUG: close() is never called, the session stays in LabSession.ACTIVE
        }
    }

    static LabGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static LabGateway run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(153_030_001);
        String[] instrumentCodes = new String[INSTRUMENTS];
        for (int k = 0; k < INSTRUMENTS; k++) {
            double[] cal = new double[128];
            for (int j = 0; j < cal.length; j++) cal[j] = rnd.nextGaussian();
            instrumentCodes[k] = "INS-" + (k / 100) + "-" + (k % 100);
            INSTRUMENTS_BY_CODE.put(instrumentCodes[k], new Instrument(instrumentCodes[k], "Lab " + (k / 25), cal));
        }
        LabGateway gw = new LabGateway();
        String[] experimentIds = new String[EXPERIMENTS];
        for (int e = 0; e < EXPERIMENTS; e++) {
            experimentIds[e] = "EXP-" + (120_000 + e);
            gw.experiments.put(experimentIds[e], new Experiment(experimentIds[e], "PHYS" + (100 + e % 60), instrumentCodes[rnd.nextInt(INSTRUMENTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.frameBuffers.add(new byte[65_536]);
        Random traffic = new Random(153_030_002);
        String[] verbs = {"SET_GAIN", "MOVE_ARM", "CAPTURE", "SET_WAVELENGTH", "TRIGGER"};
        // sessions end in start order of their end times: keep the pending ends in a queue by end time
        java.util.PriorityQueue<long[]> ends = new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        LabSession[] byIndex = new LabSession[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            long t = start + (end - start) * i / SESSIONS;
            while (!ends.isEmpty() && ends.peek()[0] <= t) {
                long[] e = ends.poll();
                LabSession s = byIndex[(int) e[1]];
                byIndex[(int) e[1]] = null;
                if (e[2] == 1) gw.abort(s, e[0]); else gw.finish(s, e[0]);
            }
            String ins = instrumentCodes[traffic.nextInt(INSTRUMENTS)];
            LabSession s = new LabSession("LS-" + Long.toHexString(0x5a00_0000L + i), "ST" + (2_000_000 + traffic.nextInt(40_000)), ins, t, new byte[2_000 + traffic.nextInt(2_000)]);
            int nCommands = 3 + traffic.nextInt(10);
            for (int c = 0; c < nCommands; c++) {
                String verb = verbs[traffic.nextInt(verbs.length)], arg = Integer.toString(traffic.nextInt(1_000));
                if (t + c * 20_000L < end) s.commands.add(new Command(verb, arg, t + c * 20_000L)); // none in the future
            }
            gw.inProgress.put(s.sessionId, s);
            byIndex[i] = s;
            boolean drops = traffic.nextInt(100) < 5; // the student's link drops: the watchdog aborts
            ends.add(new long[] {t + (5 + traffic.nextInt(35)) * MINUTE, i, drops ? 1 : 0});
            gw.telemetry[(int) (gw.telemetryWritten++ % RING)] = new Telemetry(ins, traffic.nextDouble() * 100, t);
            gw.telemetry[(int) (gw.telemetryWritten++ % RING)] = new Telemetry(instrumentCodes[traffic.nextInt(INSTRUMENTS)], traffic.nextDouble() * 100, t);
            String key = "sheet-" + traffic.nextInt(5_000);
            if (gw.sheets.get(key) == null) gw.sheets.put(key, new SheetPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = gw.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            gw.frameBuffers.add(buf);
        }
        while (!ends.isEmpty() && ends.peek()[0] <= end) {
            long[] e = ends.poll();
            LabSession s = byIndex[(int) e[1]];
            byIndex[(int) e[1]] = null;
            if (e[2] == 1) gw.abort(s, e[0]); else gw.finish(s, e[0]);
        }
        int abortedActive = 0;
        for (LabSession s : LabSession.ACTIVE) if (s.aborted) abortedActive++;
        System.out.println((FIXED ? "FIXED " : "") + "instruments " + INSTRUMENTS_BY_CODE.size() + " experiments " + gw.experiments.size() + " in progress " + gw.inProgress.size() + " ACTIVE " + LabSession.ACTIVE.size()
                + " (aborted in it " + abortedActive + ", finished " + gw.finished + ", aborted " + gw.aborted + ") sheets " + gw.sheets.size() + " (evicted " + gw.sheets.evicted + ") pool " + gw.frameBuffers.size()
                + " telemetry " + gw.telemetryWritten);
        check(INSTRUMENTS_BY_CODE.size() == INSTRUMENTS && gw.experiments.size() == EXPERIMENTS, "reference data / directory");
        check(gw.finished + gw.aborted + gw.inProgress.size() == SESSIONS && gw.inProgress.size() == ends.size(), "session traffic");
        if (FIXED) check(LabSession.ACTIVE.size() == gw.inProgress.size() && abortedActive == 0, "fixed registry holds sessions in progress: " + LabSession.ACTIVE.size());
        else check(abortedActive == gw.aborted && LabSession.ACTIVE.size() == gw.inProgress.size() + gw.aborted, "aborted sessions stay registered: " + LabSession.ACTIVE.size());
        check(gw.sheets.size() == SHEET_CAP && gw.sheets.evicted > 0, "sheet cache at cap");
        check(gw.frameBuffers.size() == POOL, "pool");
        check(gw.telemetryWritten == 2L * SESSIONS && gw.telemetry[RING - 1] != null, "ring wraps");
        return gw;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val153.fixed");
        SERVICE = run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
