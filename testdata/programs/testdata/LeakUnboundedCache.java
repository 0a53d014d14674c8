// hprofscan-dump: name=leak-unbounded-cache jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd
package testdata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Leak: an instance HashMap field {@code RequestCache.cache} keyed by unique request ids
 * (25,000 entries, never evicted), reached via static {@code LeakUnboundedCache.SERVICE}
 * -> {@code Service.requests} -> {@code RequestCache.cache}.
 * Decoy: a bounded LRU ({@code Service.pages}, LinkedHashMap accessOrder=true, capacity 1,000)
 * that received 50,000 puts; it retains MORE bytes than the leak but is bounded.
 */
public final class LeakUnboundedCache {
    static final int REQUESTS = 25_000;
    static final int LRU_CAPACITY = 1_000;
    static final int LRU_PUTS = 50_000;
    static final int PAGE_BYTES = 8192;

    static Service SERVICE;

    static final class Service {
        final RequestCache requests = new RequestCache();
        final LruCache<String, Page> pages = new LruCache<>(LRU_CAPACITY);
    }

    /** The leak: every response is cached under its unique request id, nothing is ever evicted. */
    static final class RequestCache {
        final Map<String, Response> cache = new HashMap<>();

        void remember(String requestId, Response r) {
            cache.put(requestId, r);
        }
    }

    static final class Response {
        final int status;
        final long timestamp;

        Response(int status, long timestamp) {
            this.status = status;
            this.timestamp = timestamp;
        }
    }

    /** Decoy: bounded LRU at capacity. */
    static final class LruCache<K, V> extends LinkedHashMap<K, V> {
        private final int capacity;

        LruCache(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
        }
    }

    static final class Page {
        final int number;
        final byte[] content;

        Page(int number) {
            this.number = number;
            this.content = new byte[PAGE_BYTES];
        }
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        SERVICE = new Service();
        for (int i = 0; i < LRU_PUTS; i++) {
            SERVICE.pages.put("page-" + (100_000 + i), new Page(i));
            if (i < REQUESTS) {
                SERVICE.requests.remember("req-" + (1_000_000 + i), new Response(200, 1_700_000_000_000L + i));
            }
        }
        if (SERVICE.pages.size() != LRU_CAPACITY || SERVICE.requests.cache.size() != REQUESTS) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        LeakCheck.histogram();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
