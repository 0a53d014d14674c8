// hprofscan-dump: name=pool-scratch jvm="-Xmx128m" variants=mxbean
// hprofscan-dump: name=pool-scratch-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A render service whose pool of 200 worker threads ({@code render-1..200}) each keep a
 * per-thread scratch object ({@code Scratch}: a 12 KiB {@code char[]} and a 4 KiB
 * {@code byte[]}) in the static ThreadLocal {@code SCRATCH}: 200 small values, some 3.2 MB in
 * all, beside a directory of 20,000 customers. One small value per thread is bounded by the
 * number of threads; a tool must list it (as a big retainer: nothing in one dump says whether
 * the threads keep coming), never drop it for being small per thread. Fixed numbers.
 */
public final class PoolScratch {
    static final int THREADS = 200;

    static final class Scratch {
        final char[] text = new char[6_144];
        final byte[] bytes = new byte[4_096];
        int uses;
    }

    static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    record Customer(String id, String name, byte[] profile) {}

    static final Map<String, Customer> CUSTOMERS = new HashMap<>();
    static ExecutorService POOL;

    public static void main(String[] args) throws Exception {
        for (int c = 0; c < 20_000; c++) {
            String id = "C" + (700_000 + c);
            CUSTOMERS.put(id, new Customer(id, "Customer " + c, new byte[120]));
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        POOL = Executors.newFixedThreadPool(THREADS, named);
        // Every worker renders once and holds at the latch until all have: each thread gets one.
        CountDownLatch all = new CountDownLatch(THREADS);
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            POOL.execute(() -> {
                SCRATCH.get().uses++;
                all.countDown();
                try {
                    all.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        done.await();
        System.out.println("threads " + n.get() + " customers " + CUSTOMERS.size());
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
