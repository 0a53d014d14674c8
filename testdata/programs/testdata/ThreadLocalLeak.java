// hprofscan-dump: name=threadlocal-leak jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ThreadLocal leaks on a fixed pool of 8 live threads "ingest-worker-1".."ingest-worker-8".
 * (a) static {@code Renderer.BUFFERS}: every worker sets a byte[1 MiB] and never removes it (8 values).
 * (b) stale entries: every worker runs 60 ParseTasks, each with its OWN ThreadLocal<ParserScratch>
 *     (byte[10 KiB]) that is set and never removed; the tasks (the only strong refs to those
 *     ThreadLocal keys) are dropped and the keys are collected, leaving 60 stale entries
 *     (referent == null, value still strongly reachable) per thread = 480.
 * (c) decoy: static {@code Counter.COUNTS} holds one int[4] per worker (8 tiny values).
 *
 * Expunging is avoided by construction: all 60 ParseTasks of a worker stay strongly reachable
 * until the worker has finished all its set() calls (so no key can be cleared while the worker is
 * still using its ThreadLocalMap), and afterwards the workers never touch a ThreadLocal again
 * (they only block in the pool's LinkedBlockingQueue.take()).
 */
public final class ThreadLocalLeak {
    static final int WORKERS = 8;
    static final int TASKS_PER_WORKER = 60;
    static final int RENDER_BUFFER_BYTES = 1024 * 1024;
    static final int SCRATCH_BYTES = 10 * 1024;

    static ThreadPoolExecutor POOL;

    static final class Renderer {
        static final ThreadLocal<byte[]> BUFFERS = new ThreadLocal<>();

        static byte[] buffer() {
            byte[] b = BUFFERS.get();
            if (b == null) {
                b = new byte[RENDER_BUFFER_BYTES];
                BUFFERS.set(b);
            }
            return b;
        }
    }

    static final class Counter {
        static final ThreadLocal<int[]> COUNTS = new ThreadLocal<>();
    }

    static final class ParserScratch {
        final byte[] scratch = new byte[SCRATCH_BYTES];
        int used;
    }

    /** Short-lived task that owns a per-instance ThreadLocal (the anti-pattern). */
    static final class ParseTask {
        final ThreadLocal<ParserScratch> scratch = new ThreadLocal<>();
        final int id;

        ParseTask(int id) {
            this.id = id;
        }

        void run() {
            ParserScratch s = new ParserScratch();
            s.used = id;
            scratch.set(s);
        }
    }

    static final class NamedFactory implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "ingest-worker-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * Starts the pool and lets every worker set its ThreadLocals; returns when all 8 workers are done
     * (kept out of main() so no stack slot of main references scenario objects).
     */
    static void build() throws Exception {
        // Load and initialise the scenario classes on the main thread, not on the workers.
        new ParseTask(-1);
        new ParserScratch();
        Counter.COUNTS.getClass();
        Renderer.BUFFERS.getClass();

        POOL = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedFactory());
        POOL.prestartAllCoreThreads();
        CyclicBarrier allStarted = new CyclicBarrier(WORKERS);
        CountDownLatch done = new CountDownLatch(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
            final int worker = w;
            // The barrier makes each of the 8 threads run exactly one of these setup runs.
            POOL.execute(() -> {
                try {
                    allStarted.await();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                Renderer.buffer()[0] = (byte) worker;
                Counter.COUNTS.set(new int[4]);
                List<ParseTask> finished = new ArrayList<>(TASKS_PER_WORKER);
                for (int i = 0; i < TASKS_PER_WORKER; i++) {
                    ParseTask t = new ParseTask(worker * 1000 + i);
                    t.run();
                    finished.add(t);
                }
                finished.clear();
                done.countDown();
            });
        }
        done.await();
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();
        // Let the ParseTasks and their ThreadLocal keys be collected (clears the weak keys).
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        LeakCheck.histogram("java.lang.ThreadLocal$ThreadLocalMap$Entry ");
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        POOL.shutdownNow();
    }
}
