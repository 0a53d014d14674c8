// hprofscan-dump: name=val16-leak-groundstation jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val16-leak-groundstation-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 16 (written blind), LEAK: the telemetry front end of a satellite ground-station
 * network. Each satellite pass is decoded on one of 4 long-lived decoder lanes (a
 * single-thread executor each, chosen by NORAD id so that a spacecraft's frames stay in order).
 * While decoding, the lane appends one {@code FrameTrace} per frame (with a copy of the frame's
 * 96-byte primary and secondary header) to a per-thread list in the static
 * {@code ThreadLocal} {@code FRAME_TRACE}, from which the pass quality report is built. The bug:
 * the list is never cleared ({@code FRAME_TRACE.remove()} is missing at the end of the pass), so
 * each lane's thread retains the trace of every frame it has ever decoded. 12 simulated hours, 720
 * passes. Legitimate: the telemetry parameter dictionary (a static map, the biggest structure),
 * the satellite catalogue with TLEs, a decoded-frame LRU at its cap, the upcoming-pass schedule,
 * the bounded archive-upload backlog, a capped history of pass reports and, on the same 4
 * threads, a 64 KiB decode scratch buffer in another static {@code ThreadLocal} that is reset
 * for every pass. See testdata/VALIDATION16.md.
 */
public final class Val16LeakGroundStation {
    static final int SATELLITES = 8_000;
    static final int PARAMS = 70_000;
    static final int FRAME_CACHE_CAP = 3_000;
    static final int FRAME_BYTES = 1_115;
    static final int HEADER_BYTES = 96;
    static final int LANES = 4;
    static final int PASSES = 720;
    static final int UPCOMING = 300;
    static final int REPORT_CAP = 500;
    static final int ARCHIVE_CAP = 400;
    static final int SCRATCH = 64 * 1024;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static GroundStation STATION;

    /** Per-thread decode scratch, reset at the start of every pass (legitimate). */
    static final ThreadLocal<byte[]> DECODE_SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH]);
    /** Per-thread frame trace of the pass being decoded. BUG: never cleared after the pass. */
    static final ThreadLocal<List<FrameTrace>> FRAME_TRACE = ThreadLocal.withInitial(ArrayList::new);

    static final class Satellite { final int noradId; final String name; final String tleLine1; final String tleLine2; final double[] elements;
        Satellite(int noradId, String name, String tleLine1, String tleLine2, double[] elements) { this.noradId = noradId; this.name = name; this.tleLine1 = tleLine1; this.tleLine2 = tleLine2; this.elements = elements; } }

    /** Reference data: the tracked spacecraft. */
    static final class SatelliteCatalog {
        static final Map<Integer, Satellite> SATELLITES_BY_NORAD = new HashMap<>();
    }

    static final class TelemetryParam { final String mnemonic; final String description; final String unit; final double[] calibration; final int apid;
        TelemetryParam(String mnemonic, String description, String unit, double[] calibration, int apid) { this.mnemonic = mnemonic; this.description = description; this.unit = unit; this.calibration = calibration; this.apid = apid; } }

    /** Reference data: the telemetry database (every parameter of every supported spacecraft bus). */
    static final class ParameterDictionary {
        static final Map<String, TelemetryParam> PARAMS_BY_MNEMONIC = new HashMap<>();
    }

    static final class FrameTrace { final long frameSeq; final int apid; final long receivedAt; final byte[] header; final String verdict;
        FrameTrace(long frameSeq, int apid, long receivedAt, byte[] header, String verdict) { this.frameSeq = frameSeq; this.apid = apid; this.receivedAt = receivedAt; this.header = header; this.verdict = verdict; } }

    static final class FrameLru extends LinkedHashMap<Long, byte[]> {
        long evicted;
        FrameLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { if (size() > FRAME_CACHE_CAP) { evicted++; return true; } return false; }
    }

    static final class Pass implements Comparable<Pass> { final int noradId; final String antenna; final long aos; final long los;
        Pass(int noradId, String antenna, long aos, long los) { this.noradId = noradId; this.antenna = antenna; this.aos = aos; this.los = los; }
        @Override public int compareTo(Pass o) { return Long.compare(aos, o.aos); } }

    static final class PassReport { final int noradId; final long aos; final int frames; final int crcErrors; final double snrDb;
        PassReport(int noradId, long aos, int frames, int crcErrors, double snrDb) { this.noradId = noradId; this.aos = aos; this.frames = frames; this.crcErrors = crcErrors; this.snrDb = snrDb; } }

    static final class ArchiveBatch { final String objectKey; final byte[] payload; final long closedAt;
        ArchiveBatch(String objectKey, byte[] payload, long closedAt) { this.objectKey = objectKey; this.payload = payload; this.closedAt = closedAt; } }

    static final class GroundStation {
        final FrameLru frames = new FrameLru();
        final PriorityQueue<Pass> upcoming = new PriorityQueue<>();
        final ArrayDeque<PassReport> reports = new ArrayDeque<>();
        long reportsRotated;
        final ArrayDeque<ArchiveBatch> archiveBacklog = new ArrayDeque<>();
        long archived;
        final ExecutorService[] lanes = new ExecutorService[LANES];
        final Properties config = new Properties();
        final boolean fixed;
        GroundStation(boolean fixed) {
            this.fixed = fixed;
            for (int l = 0; l < LANES; l++) { final int lane = l; lanes[l] = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, "tm-decoder-" + lane); t.setDaemon(true); return t; }); }
        }

        /** Runs on the satellite's lane. */
        PassReport decodePass(Pass p, byte[][] rawFrames, long[] receivedAt) {
            byte[] scratch = DECODE_SCRATCH.get();
            Arrays.fill(scratch, (byte) 0);
            List<FrameTrace> trace = FRAME_TRACE.get();
            int from = trace.size();
            int crc = 0;
            for (int i = 0; i < rawFrames.length; i++) {
                byte[] f = rawFrames[i];
                System.arraycopy(f, 0, scratch, (i * FRAME_BYTES) % (SCRATCH - FRAME_BYTES), FRAME_BYTES);
                boolean bad = (f[7] & 31) == 0;
                if (bad) crc++;
                trace.add(new FrameTrace(((long) p.noradId << 24) + i, f[2] & 0x7FF, receivedAt[i], Arrays.copyOf(f, HEADER_BYTES), bad ? "CRC-FAIL" : "OK"));
            }
            PassReport r = new PassReport(p.noradId, p.aos, trace.size() - from, crc, 3 + (trace.get(from).header[5] & 15));
            // BUG: FRAME_TRACE.remove() is missing (the fixed variant is only for measuring).
            if (fixed) FRAME_TRACE.remove();
            return r;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val16.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(16_020_002);
        GroundStation gs = new GroundStation(fixed);
        STATION = gs;
        for (int i = 0; i < 30; i++) gs.config.setProperty("station.antenna." + i + ".tle.refresh", (6 + i % 6) + "h");
        int[] norads = new int[SATELLITES];
        for (int s = 0; s < SATELLITES; s++) {
            double[] el = new double[6];
            for (int k = 0; k < 6; k++) el[k] = rnd.nextDouble() * 360;
            norads[s] = 40_000 + s * 3;
            String l1 = String.format("1 %05dU 18%03dA   24%012.8f  .00000%03d  00000-0  12345-3 0  999%d", norads[s], s % 999, el[0], s % 1000, s % 10);
            String l2 = String.format("2 %05d %8.4f %8.4f 0001234 %8.4f %8.4f 15.2%08d", norads[s], el[1] / 2, el[2], el[3], el[4], s);
            SatelliteCatalog.SATELLITES_BY_NORAD.put(norads[s], new Satellite(norads[s], "SAT-" + norads[s], l1, l2, el));
        }
        String[] subsystems = {"EPS", "ADCS", "COMMS", "OBC", "THERMAL", "PAYLOAD", "PROP"};
        String[] units = {"V", "A", "degC", "rad/s", "dBm", "%", "kPa"};
        for (int i = 0; i < PARAMS; i++) {
            double[] cal = new double[6];
            for (int k = 0; k < 6; k++) cal[k] = rnd.nextGaussian();
            String m = subsystems[i % 7] + "_P" + String.format("%06d", i);
            ParameterDictionary.PARAMS_BY_MNEMONIC.put(m, new TelemetryParam(m, subsystems[i % 7] + " housekeeping channel " + i + " (raw counts)", units[i % 7], cal, 100 + i % 1_900));
        }
        String[] antennas = {"SVALBARD-13m", "INUVIK-11m", "PUNTA-ARENAS-9m", "HARTEBEESTHOEK-12m"};
        for (int q = 0; q < UPCOMING; q++) gs.upcoming.add(new Pass(norads[rnd.nextInt(SATELLITES)], antennas[q % 4], now + q * 40_000L, now + q * 40_000L + (6 + rnd.nextInt(9)) * MINUTE));
        // Warm the lanes (each thread creates its DECODE_SCRATCH).
        List<Future<?>> warm = new ArrayList<>();
        for (ExecutorService lane : gs.lanes) warm.add(lane.submit(() -> DECODE_SCRATCH.get()));
        for (Future<?> f : warm) f.get();
        // 720 passes evenly over 12 hours (the last one starts 15 minutes before the dump, so every
        // frame, 4 s apart, was received before it); each downlinks 60-140 frames, decoded on the
        // satellite's lane; every 6th frame goes to the frame LRU; every pass closes an archive batch, and the
        // uploader takes the backlog every 30 minutes (after passes 17, 47, ...), so the last 12
        // batches are waiting at the dump.
        int[] perLane = new int[LANES];
        long totalFrames = 0, lastFrameAt = 0;
        for (int pn = 0; pn < PASSES; pn++) {
            long aos = start + (12 * HOUR - 15 * MINUTE) * pn / PASSES;
            int norad = norads[rnd.nextInt(SATELLITES)];
            Pass p = new Pass(norad, antennas[pn % 4], aos, aos + (6 + rnd.nextInt(9)) * MINUTE);
            int n = 60 + rnd.nextInt(81);
            byte[][] raw = new byte[n][];
            long[] at = new long[n];
            for (int i = 0; i < n; i++) { raw[i] = new byte[FRAME_BYTES]; rnd.nextBytes(raw[i]); at[i] = aos + i * 4_000L; }
            int lane = (norad / 3) % LANES;
            PassReport r = gs.lanes[lane].submit(() -> gs.decodePass(p, raw, at)).get();
            perLane[lane] += n;
            totalFrames += n;
            lastFrameAt = Math.max(lastFrameAt, at[n - 1]);
            for (int i = 0; i < n; i += 6) gs.frames.put(((long) norad << 24) + pn * 1_000L + i, raw[i]);
            gs.reports.addLast(r);
            if (gs.reports.size() > REPORT_CAP) { gs.reports.removeFirst(); gs.reportsRotated++; }
            byte[] payload = new byte[4_096];
            System.arraycopy(raw[0], 0, payload, 0, FRAME_BYTES);
            gs.archiveBacklog.addLast(new ArchiveBatch("tm/" + norad + "/" + aos + ".ccsds", payload, at[n - 1]));
            if (gs.archiveBacklog.size() > ARCHIVE_CAP) throw new IllegalStateException("archive backlog full");
            if (pn % 30 == 17) { gs.archived += gs.archiveBacklog.size(); gs.archiveBacklog.clear(); }
        }
        int[] traced = new int[LANES];
        List<Future<Integer>> sizes = new ArrayList<>();
        for (ExecutorService lane : gs.lanes) sizes.add(lane.submit(() -> FRAME_TRACE.get().size()));
        for (int l = 0; l < LANES; l++) traced[l] = sizes.get(l).get();
        // The probe above created an empty list on each lane in the fixed variant; drop it.
        if (fixed) { List<Future<?>> drop = new ArrayList<>(); for (ExecutorService lane : gs.lanes) drop.add(lane.submit(() -> FRAME_TRACE.remove())); for (Future<?> f : drop) f.get(); }
        System.out.println((fixed ? "FIXED " : "") + "satellites " + SatelliteCatalog.SATELLITES_BY_NORAD.size() + " params " + ParameterDictionary.PARAMS_BY_MNEMONIC.size() + " passes " + PASSES + " frames " + totalFrames + " per lane " + Arrays.toString(perLane) + " traced " + Arrays.toString(traced) + " frame lru " + gs.frames.size() + " (evicted " + gs.frames.evicted + ") reports " + gs.reports.size() + " (rotated " + gs.reportsRotated + ") archive backlog " + gs.archiveBacklog.size() + " (archived " + gs.archived + ") upcoming " + gs.upcoming.size());
        check(SatelliteCatalog.SATELLITES_BY_NORAD.size() == SATELLITES && ParameterDictionary.PARAMS_BY_MNEMONIC.size() == PARAMS, "reference data");
        for (int l = 0; l < LANES; l++) check(traced[l] == (fixed ? 0 : perLane[l]), "frame trace of lane " + l);
        check(lastFrameAt <= now, "frame times");
        check(gs.frames.size() == FRAME_CACHE_CAP && gs.frames.evicted > 0, "frame lru");
        check(gs.reports.size() == REPORT_CAP && gs.reportsRotated == PASSES - REPORT_CAP, "reports");
        check(gs.archiveBacklog.size() == (PASSES - 18) % 30 && gs.upcoming.size() == UPCOMING, "backlog/schedule");
        norads = null;
        LeakCheck.histogram(" java.lang.Thread ", "java.util.ArrayList ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
