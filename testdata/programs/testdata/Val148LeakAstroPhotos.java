// hprofscan-dump: name=val148-leak-astrophotos jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val148-leak-astrophotos-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 148 (written blind), LEAK: the image pipeline of a remote-observatory network that
 * rents telescope time to amateur astrophotographers. Telescope reference data, the target catalogue,
 * a cache of rendered finder charts at its cap, a pool of stacking buffers, a ring of the last 512
 * exposure frames, and the calibration side table: a WeakHashMap&lt;ExposureFrame, FrameCalibration&gt;
 * meant to drop a frame's calibration when the frame is gone. But every FrameCalibration keeps a
 * strong reference back to its frame (for logging), so no key ever becomes weakly reachable and no
 * entry is ever cleared. See VALIDATION148.md.
 */
public final class Val148LeakAstroPhotos {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TELESCOPES = 400, TARGETS = 25_000, CHART_CAP = 2_000, POOL = 8, FRAME_RING = 512, HOURS = 10, FRAMES_PER_MINUTE = 16;
    static boolean FIXED;

    record Telescope(String code, String site, double[] pointingModel) {}
    record Target(String catalogId, String constellation, byte[] ephemeris, long addedAt) {}
    record FinderChart(String key, byte[] rendered, long at) {}

    /** An exposure frame; identity equality (the pipeline passes the same object along). */
    static final class ExposureFrame {
        final String frameId, telescopeCode, targetId; final long at; final byte[] thumbnail;
        ExposureFrame(String frameId, String telescopeCode, String targetId, long at, byte[] thumbnail) { this.frameId = frameId; this.telescopeCode = telescopeCode; this.targetId = targetId; this.at = at; this.thumbnail = thumbnail; }
    }

    /** Calibration computed for one frame (dark current per readout channel and a flat-field patch). */
    static final class FrameCalibration {
        final ExposureFrame frame;   // BUG: the value points back to its own key (null with the fix)
        final String frameId;        // the fix keeps only the id
        final double[] darkCurrent; final byte[] flatField; final long computedAt;
        FrameCalibration(ExposureFrame frame, String frameId, double[] darkCurrent, byte[] flatField, long computedAt) { this.frame = frame; this.frameId = frameId; this.darkCurrent = darkCurrent; this.flatField = flatField; this.computedAt = computedAt; }
    }

    static final class ChartCache extends LinkedHashMap<String, FinderChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FinderChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Telescope> TELESCOPES_BY_CODE = new HashMap<>();

    static final class ImagePipeline {
        final Map<String, Target> targets = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> stackingBuffers = new ArrayDeque<>();
        final ExposureFrame[] recentFrames = new ExposureFrame[FRAME_RING];
        long frames;
        final WeakHashMap<ExposureFrame, FrameCalibration> calibrations = new WeakHashMap<>();

        void process(ExposureFrame f, Random traffic) {
            double[] dark = new double[32];
            for (int k = 0; k < dark.length; k++) dark[k] = traffic.nextDouble() * 0.02;
            calibrations.put(f, new FrameCalibration(FIXED ? null : f, f.frameId, dark, new byte[256 + traffic.nextInt(256)], f.at + 1_500));
            recentFrames[(int) (frames++ % FRAME_RING)] = f; // the only strong reference the pipeline keeps
        }
    }

    static ImagePipeline SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val148.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(148_040_001);
        String[] scopeCodes = new String[TELESCOPES];
        String[] sites = {"Siding Spring", "Sierra Nevada", "La Palma", "Atacama", "Mayhill"};
        for (int s = 0; s < TELESCOPES; s++) {
            double[] model = new double[64];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextGaussian();
            String code = "T" + (100 + s);
            scopeCodes[s] = code;
            TELESCOPES_BY_CODE.put(code, new Telescope(code, sites[s % sites.length], model));
        }
        ImagePipeline svc = new ImagePipeline();
        SERVICE = svc;
        String[] targetIds = new String[TARGETS];
        String[] constellations = {"Cygnus", "Orion", "Sagittarius", "Carina", "Andromeda", "Lyra", "Scorpius", "Ursa Major"};
        for (int t = 0; t < TARGETS; t++) {
            String id = "NGC-X" + (10_000 + t);
            targetIds[t] = id;
            svc.targets.put(id, new Target(id, constellations[t % constellations.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stackingBuffers.add(new byte[65_536]);
        Random traffic = new Random(148_040_002);
        int total = HOURS * 60 * FRAMES_PER_MINUTE; // 9,600 frames, one every 3.75 s
        for (int i = 0; i < total; i++) {
            long t = start + HOURS * HOUR * i / total;
            ExposureFrame f = new ExposureFrame("FR-" + (60_000_000 + i), scopeCodes[traffic.nextInt(TELESCOPES)], targetIds[traffic.nextInt(TARGETS)], t, new byte[256 + traffic.nextInt(256)]);
            svc.process(f, traffic);
            f = null;
            if (i % 2 == 0) {
                String key = "chart-" + traffic.nextInt(5_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new FinderChart(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.stackingBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.stackingBuffers.add(buf);
            }
        }
        int expected = FIXED ? FRAME_RING : total;
        int size = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // let the collector clear what it can, then count (size() expunges cleared entries)
            System.gc();
            Thread.sleep(50);
            size = svc.calibrations.size();
            if (size == expected) break;
        }
        System.out.println((FIXED ? "FIXED " : "") + "telescopes " + TELESCOPES_BY_CODE.size() + " targets " + svc.targets.size() + " frames " + svc.frames + " calibrations " + size
                + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.stackingBuffers.size());
        check(TELESCOPES_BY_CODE.size() == TELESCOPES && svc.targets.size() == TARGETS, "reference data / directory");
        check(svc.frames == 9_600 && svc.recentFrames[FRAME_RING - 1] != null, "frames / ring");
        check(size == expected, "calibrations after GC: " + size + " (expected " + expected + ")");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.stackingBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        Thread.sleep(50);
        check(svc.calibrations.size() == expected, "calibrations before the dump");
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
