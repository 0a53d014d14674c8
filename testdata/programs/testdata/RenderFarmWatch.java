// hprofscan-dump: name=render-farm-watch jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=render-farm-watch-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=render-farm-watch-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=render-farm-watch-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * A render farm's frame service. Each render job watches the JVM's memory while it runs: it
 * registers a {@code FrameBudgetGuard} (a {@code javax.management.NotificationListener} holding
 * the job, its scene and its tile buffers) on the platform {@code MemoryMXBean}, a
 * {@code NotificationEmitter}. 2,400 jobs. Beside it: 6,000 assets (reference data loaded at
 * startup), an LRU of 800 thumbnails at its cap, a pool of 24 tile buffers, and one
 * {@code HeapPressureMonitor} registered at startup for the life of the service.
 * <ul>
 * <li>{@code healthy}: a job removes its guard when it ends
 * ({@code removeNotificationListener} in a {@code finally}): the startup monitor alone stays.
 * <li>{@code leak}: the guard is never removed: 2,400 guards stay on the memory bean, each
 * keeping its finished job.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class RenderFarmWatch {
    static final int JOBS = 2_400;

    record Asset(String code, String kind, byte[] preview) {}

    static final class RenderJob {
        final long id;
        final String scene;
        final double[] camera;
        final byte[] tiles;
        String state = "QUEUED";

        RenderJob(long id, String scene, double[] camera, byte[] tiles) {
            this.id = id;
            this.scene = scene;
            this.camera = camera;
            this.tiles = tiles;
        }
    }

    static final class FrameBudgetGuard implements NotificationListener {
        final RenderJob job;
        long warnings;

        FrameBudgetGuard(RenderJob job) {
            this.job = job;
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            warnings++;
        }
    }

    static final class HeapPressureMonitor implements NotificationListener {
        long notifications;

        @Override
        public void handleNotification(Notification n, Object handback) {
            notifications++;
        }
    }

    static final Map<String, Asset> ASSETS = new HashMap<>();
    static final Map<String, byte[]> THUMBNAILS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > 800;
        }
    };
    static final ArrayDeque<byte[]> TILE_POOL = new ArrayDeque<>();
    static final HeapPressureMonitor MONITOR = new HeapPressureMonitor();
    static MemoryMXBean memoryBean;
    static int finished;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        simulate(leak);
        report();
        System.gc();
        Thread.sleep(300);
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak) throws ListenerNotFoundException {
        Random r = new Random(53_004);
        for (int i = 0; i < 6_000; i++) {
            String code = "AS-" + (10_000 + i);
            ASSETS.put(code, new Asset(code, i % 3 == 0 ? "mesh" : "texture", new byte[400 + i % 300]));
        }
        for (int i = 0; i < 24; i++) TILE_POOL.add(new byte[32_768]);
        memoryBean = ManagementFactory.getMemoryMXBean();
        NotificationEmitter emitter = (NotificationEmitter) memoryBean;
        emitter.addNotificationListener(MONITOR, null, null);
        for (int j = 0; j < JOBS; j++) {
            RenderJob job = new RenderJob(900_000L + j, "scene-" + r.nextInt(300), new double[16], new byte[1_200 + r.nextInt(800)]);
            FrameBudgetGuard guard = new FrameBudgetGuard(job);
            emitter.addNotificationListener(guard, null, null);
            try {
                job.state = "RENDERING";
                THUMBNAILS.put("thumb-" + r.nextInt(4_000), new byte[500 + r.nextInt(300)]);
                job.state = "DONE";
                finished++;
            } finally {
                if (!leak) emitter.removeNotificationListener(guard);
            }
        }
    }

    static void report() {
        System.out.println("assets " + ASSETS.size() + ", thumbnails " + THUMBNAILS.size() + ", jobs finished " + finished);
        if (ASSETS.size() != 6_000 || THUMBNAILS.size() != 800 || finished != JOBS) throw new IllegalStateException("counts");
    }
}
