// hprofscan-dump: name=svc-leak-gateway jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Leak (tuning set), series: an API gateway gives every client connection a 16 KiB direct
 * read buffer and registers it in {@code ConnectionRegistry.open}; when the peer hangs up the
 * connection is marked closed but never unregistered, so its direct buffer (native memory,
 * outside the Java heap) is never freed. Connections double between dumps (1,000 -> 2,000 ->
 * 4,000: 16,384,000 -> 32,768,000 -> 65,536,000 bytes of native memory), while the Java heap
 * stays small. Beside it: a route table loaded at startup (20,000 routes), a pool of 48 direct
 * 128 KiB buffers (6,291,456 bytes native) that requests borrow and return (full at every
 * dump), upstream health by upstream name (200) and a metrics registry. See
 * testdata/SERVICES.md.
 */
public final class SvcLeakGateway {
    static final int ROUTES = 20_000;
    static final int UPSTREAMS = 200;
    static final int POOL_BUFFERS = 48;
    static final int POOL_BUFFER_BYTES = 128 * 1024;
    static final int READ_BUFFER_BYTES = 16 * 1024;
    static final int[] CONNECTIONS_AT_DUMP = {1_000, 2_000, 4_000};
    static final long SIM_HOURS = 10;

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Route {
        final String pathPrefix;
        final String upstream;
        final int weight;
        final long loadedAt;

        Route(String pathPrefix, String upstream, int weight, long loadedAt) {
            this.pathPrefix = pathPrefix;
            this.upstream = upstream;
            this.weight = weight;
            this.loadedAt = loadedAt;
        }
    }

    /** Routes by path prefix, loaded once at startup from the configuration service. */
    static final class RouteTable {
        static final Map<String, Route> BY_PREFIX = new HashMap<>();

        static void load(long now) {
            for (int i = 0; i < ROUTES; i++) {
                String prefix = "/api/v" + (1 + i % 3) + "/svc" + (i / 3) + "/";
                BY_PREFIX.put(prefix, new Route(prefix, "upstream-" + (i % UPSTREAMS), 1 + i % 5, now));
            }
        }
    }

    /** Direct buffers for request bodies: borrowed per request, returned when it completes. */
    static final class BufferPool {
        final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(POOL_BUFFERS);

        BufferPool() {
            for (int i = 0; i < POOL_BUFFERS; i++) {
                free.add(ByteBuffer.allocateDirect(POOL_BUFFER_BYTES));
            }
        }

        ByteBuffer borrow() {
            ByteBuffer b = free.poll();
            return b != null ? b : ByteBuffer.allocateDirect(POOL_BUFFER_BYTES);
        }

        void giveBack(ByteBuffer b) {
            b.clear();
            free.offer(b);
        }
    }

    static final class Connection {
        final long id;
        final String remoteAddress;
        final long openedAt;
        long lastActiveAt;
        boolean closed;
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);

        Connection(long id, String remoteAddress, long openedAt) {
            this.id = id;
            this.remoteAddress = remoteAddress;
            this.openedAt = openedAt;
            this.lastActiveAt = openedAt;
        }
    }

    /** Every open client connection by id. The leak: onPeerClosed forgets to remove it. */
    static final class ConnectionRegistry {
        final Map<Long, Connection> open = new ConcurrentHashMap<>();

        Connection accept(long id, String remote, long now) {
            Connection c = new Connection(id, remote, now);
            open.put(id, c);
            return c;
        }

        void onPeerClosed(Connection c) {
            c.closed = true; // and should have been: open.remove(c.id)
        }
    }

    static final class UpstreamHealth {
        final String upstream;
        long lastCheckAt;
        int failures;

        UpstreamHealth(String upstream) {
            this.upstream = upstream;
        }
    }

    static final class Metrics {
        final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new LongAdder()).increment();
        }
    }

    static final class Gateway {
        final SimClock clock;
        final BufferPool pool = new BufferPool();
        final ConnectionRegistry connections = new ConnectionRegistry();
        final Map<String, UpstreamHealth> health = new ConcurrentHashMap<>();
        final Metrics metrics = new Metrics();
        long accepted;

        Gateway(SimClock clock) {
            this.clock = clock;
            for (int i = 0; i < UPSTREAMS; i++) {
                health.put("upstream-" + i, new UpstreamHealth("upstream-" + i));
            }
        }

        void handleConnection(long n) {
            long now = clock.now;
            Connection c = connections.accept(n, "10." + (n % 200) + "." + (n / 200 % 250) + ".7", now);
            for (int r = 0; r < 3; r++) {
                Route route = RouteTable.BY_PREFIX.get("/api/v" + (1 + r) + "/svc" + (n % 6_000) + "/");
                ByteBuffer body = pool.borrow();
                body.putLong(n).putInt(r);
                UpstreamHealth h = health.get(route.upstream);
                h.lastCheckAt = now;
                c.readBuffer.putInt(r);
                c.lastActiveAt = now;
                pool.giveBack(body);
                metrics.inc("gateway.requests." + route.weight);
            }
            connections.onPeerClosed(c);
            metrics.inc("gateway.connections");
            accepted++;
        }
    }

    static Gateway RUNNING;

    static void serve(int total) {
        Gateway g = RUNNING;
        long from = g.clock.now;
        long to = System.currentTimeMillis();
        long first = g.accepted;
        for (long n = first; n < total; n++) {
            g.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            g.handleConnection(n);
        }
        if (g.connections.open.size() != total || g.pool.free.size() != POOL_BUFFERS
                || RouteTable.BY_PREFIX.size() != ROUTES || g.health.size() != UPSTREAMS) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long start = System.currentTimeMillis() - SIM_HOURS * 3_600_000L;
        RouteTable.load(start);
        RUNNING = new Gateway(new SimClock(start));
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(CONNECTIONS_AT_DUMP[count == 1 ? 2 : d - 1]);
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) {
                new java.io.File(path).setReadable(true, false);
            }
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
