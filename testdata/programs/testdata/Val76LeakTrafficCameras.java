// hprofscan-dump: name=val76-leak-trafficcameras jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val76-leak-trafficcameras-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 76 (written blind), LEAK: the plate-read ingest service of a city's traffic-camera
 * network. Camera reference data, the vehicle registration directory, a cache of rendered snapshot
 * thumbnails at its cap, a pool of frame buffers, a ring of recent plate reads, and an asynchronous
 * log appender: callers put log events on an unbounded queue and one worker thread formats them
 * into the log file. Two hours in, the worker thread dies on an exception thrown while formatting
 * one event (a lazily rendered frame reference whose buffer was already recycled); the appender
 * records the failure, but the callers keep enqueueing and nothing drains the queue any more.
 * See VALIDATION76.md.
 */
public final class Val76LeakTrafficCameras {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CAMERAS = 1_400, VEHICLES = 26_000, THUMB_CAP = 2_000, POOL = 8, RING = 16_384, TAIL = 1_024;
    static final int HOURS = 10, READS_PER_MINUTE = 100, POISON_MINUTE = 120;
    static boolean FIXED;

    record Camera(String code, String junction, double[] calibration) {}
    record Vehicle(String plate, String make, byte[] registration, long registeredAt) {}
    record Thumbnail(String key, byte[] jpeg, long at) {}
    record PlateRead(String plate, String cameraCode, int speedKmh, long at) {}
    record LogEvent(long seq, long at, String level, String logger, String message, Object detail) {}

    /** A frame reference logged lazily: rendering it after the frame buffer was recycled fails. */
    static final class FrameRef {
        final String cameraCode; final long frameNo; boolean recycled;
        FrameRef(String cameraCode, long frameNo) { this.cameraCode = cameraCode; this.frameNo = frameNo; }
        @Override public String toString() {
            if (recycled) throw new IllegalStateException("frame " + frameNo + " of " + cameraCode + " already recycled");
            return cameraCode + "#" + frameNo;
        }
    }

    /** Asynchronous appender: unbounded queue drained by one worker thread. */
    static final class AsyncAppender {
        final LinkedBlockingQueue<LogEvent> queue = new LinkedBlockingQueue<>();
        final String[] tail = new String[TAIL]; // last lines written to the file, for /debug/log
        volatile long enqueued, written, formatErrors;
        volatile boolean workerFailed;
        volatile Throwable failure;
        long bytesWritten;
        Thread worker;

        void start() {
            worker = new Thread(this::drain, "log-appender");
            worker.setDaemon(true);
            worker.start();
        }

        void append(LogEvent e) { queue.add(e); enqueued++; }

        private void drain() {
            try {
                while (true) {
                    LogEvent e = queue.take();
                    if (FIXED) { // a failing event is reported and skipped; the worker keeps draining
                        try { write(e); } catch (RuntimeException ex) { formatErrors++; }
                    } else {
                        write(e); // BUG: an exception here ends the worker thread
                    }
                    written++;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) {
                failure = ex;
                workerFailed = true; // recorded, but nobody restarts the worker and append() keeps queueing
            }
        }

        private void write(LogEvent e) {
            String line = e.at() + " " + e.level() + " [" + e.logger() + "] " + e.message() + (e.detail() == null ? "" : " frame=" + e.detail());
            tail[(int) (written % TAIL)] = line;
            bytesWritten += line.length() + 1;
        }

        /** Simulation only: waits until the worker has written everything queued so far, or died. */
        void awaitIdle() {
            while (!workerFailed && written < enqueued) LockSupport.parkNanos(50_000);
        }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Camera> CAMERAS_BY_CODE = new HashMap<>();

    static final class IngestService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final ThumbCache thumbnails = new ThumbCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final PlateRead[] recentReads = new PlateRead[RING];
        long reads;
        final AsyncAppender log = new AsyncAppender();
    }

    static IngestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val76.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(76_020_001);
        String[] camCodes = new String[CAMERAS];
        for (int c = 0; c < CAMERAS; c++) {
            double[] cal = new double[96];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextGaussian();
            camCodes[c] = "CAM-" + (10_000 + c);
            CAMERAS_BY_CODE.put(camCodes[c], new Camera(camCodes[c], "Junction " + (c / 4), cal));
        }
        IngestService svc = new IngestService();
        SERVICE = svc;
        String[] plates = new String[VEHICLES];
        String[] makes = {"Volvo", "Ford", "Toyota", "Skoda", "Renault", "Kia", "BMW", "Fiat"};
        for (int v = 0; v < VEHICLES; v++) {
            plates[v] = String.format("%c%c%02d %c%c%c", 'A' + v % 26, 'A' + (v / 26) % 26, v % 100, 'A' + (v / 7) % 26, 'A' + (v / 11) % 26, 'A' + (v / 13) % 26) + "-" + v;
            svc.vehicles.put(plates[v], new Vehicle(plates[v], makes[v % makes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[65_536]);
        svc.log.start();

        Random traffic = new Random(76_020_002);
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN"};
        String[] loggers = {"ingest.PlateReader", "ingest.SpeedCheck", "ingest.Matcher", "ingest.Uploader"};
        long seq = 0, poisonSeq = -1;
        int minutes = HOURS * 60 - 1;
        for (int m = 0; m < minutes; m++) {
            for (int i = 0; i < READS_PER_MINUTE; i++) {
                long t = start + m * MINUTE + i * (MINUTE / READS_PER_MINUTE);
                String plate = plates[traffic.nextInt(VEHICLES)];
                String cam = camCodes[traffic.nextInt(CAMERAS)];
                int speed = 20 + traffic.nextInt(90);
                svc.recentReads[(int) (svc.reads++ % RING)] = new PlateRead(plate, cam, speed, t);
                String key = "thumb-" + traffic.nextInt(4_000);
                if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[(int) (svc.reads % buf.length)] = (byte) speed;
                svc.frameBuffers.add(buf);
                Object detail = null;
                if (m == POISON_MINUTE && i == 37) {
                    FrameRef f = new FrameRef(cam, svc.reads);
                    f.recycled = true;
                    detail = f;
                    poisonSeq = seq;
                }
                svc.log.append(new LogEvent(seq++, t, levels[traffic.nextInt(levels.length)], loggers[traffic.nextInt(loggers.length)],
                        "plate " + plate + " camera " + cam + " speed " + speed + " km/h conf 0." + (70 + traffic.nextInt(30)), detail));
            }
            svc.log.awaitIdle();
        }
        svc.log.awaitIdle();
        AsyncAppender a = svc.log;
        if (!FIXED) a.worker.join(10_000);
        for (long waitUntil = System.nanoTime() + 5_000_000_000L; FIXED && a.worker.getState() != Thread.State.WAITING && System.nanoTime() < waitUntil; ) Thread.sleep(1);
        Thread.State workerState = a.worker.getState();
        System.out.println((FIXED ? "FIXED " : "") + "cameras " + CAMERAS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " log enqueued " + a.enqueued + " written " + a.written + " queued " + a.queue.size()
                + " formatErrors " + a.formatErrors + " workerFailed " + a.workerFailed + " (" + a.failure + ") worker " + workerState + " poisonSeq " + poisonSeq
                + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.frameBuffers.size() + " reads " + svc.reads);
        check(CAMERAS_BY_CODE.size() == CAMERAS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(a.enqueued == (long) minutes * READS_PER_MINUTE, "log traffic");
        if (FIXED) check(a.queue.isEmpty() && a.written == a.enqueued && a.formatErrors == 1 && !a.workerFailed && workerState == Thread.State.WAITING, "appender drained: " + a.queue.size());
        else check(a.workerFailed && workerState == Thread.State.TERMINATED && a.written == poisonSeq && a.queue.size() == a.enqueued - poisonSeq - 1, "dead worker, queue keeps growing: " + a.queue.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.reads > RING && svc.recentReads[RING - 1] != null, "read ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
