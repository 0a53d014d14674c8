// hprofscan-dump: name=contended-counts jvm="-Xmx128m --add-opens java.base/java.util.concurrent=ALL-UNNAMED" variants=mxbean
package testdata;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A {@code ConcurrentHashMap} filled by four threads at once: under contention it counts part of
 * its additions in {@code CounterCell}s, not in {@code baseCount} ({@code size()} is their sum).
 * {@code SessionRegistry.open} keeps 40,000 sessions keyed by random UUIDs that nothing removes;
 * the program refills a new map until the dump's map has counter cells holding part of the count,
 * so a reader of {@code baseCount} alone sees fewer entries. Fixed numbers: 40,000 entries, each
 * a {@code Session} with a 256-byte buffer.
 */
public final class ContendedCounts {
    static final int THREADS = 4;
    static final int PER_THREAD = 10_000;

    static final class Session {
        final String id;
        final long openedAt;
        final byte[] scratch = new byte[256];

        Session(String id, long openedAt) {
            this.id = id;
            this.openedAt = openedAt;
        }
    }

    static final class SessionRegistry {
        Map<String, Session> open = new ConcurrentHashMap<>();
    }

    static SessionRegistry REGISTRY = new SessionRegistry();

    public static void main(String[] args) throws Exception {
        Field base = ConcurrentHashMap.class.getDeclaredField("baseCount");
        base.setAccessible(true);
        for (int attempt = 0; ; attempt++) {
            REGISTRY.open = new ConcurrentHashMap<>();
            fill(REGISTRY.open);
            long inBase = base.getLong(REGISTRY.open);
            check(REGISTRY.open.size() == THREADS * PER_THREAD, "every session kept");
            if (inBase < REGISTRY.open.size()) {
                System.out.println("attempt " + attempt + ": baseCount " + inBase + " of " + REGISTRY.open.size());
                break;
            }
            check(attempt < 50, "contention within 50 attempts");
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected: " + what);
    }

    static void fill(Map<String, Session> map) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.currentTimeMillis();
                for (int i = 0; i < PER_THREAD; i++) map.put(UUID.randomUUID().toString(), new Session("s", now));
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread th : threads) th.join();
    }
}
