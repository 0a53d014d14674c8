// hprofscan-dump: name=svc-leak-requests jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-requests-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;

/**
 * Leak #12, series: an API gateway keeps every proxied request (path, headers and the request body)
 * in an instance HashMap keyed by the request id so that it can be replayed if the upstream fails;
 * the entry is meant to be dropped on success but never is. 5,000 -> 10,000 -> 20,000 entries.
 * The entries carry no timestamp. Beside it: a static routing table (15,000 routes), an API client
 * directory by client id, an LRU response cache at capacity, and a bounded dispatch queue
 * partially full. The extra "-serial" dump (no series) holds the final state (20,000).
 * See testdata/SERVICES.md.
 */
public final class SvcLeakRequests {
    static final int ROUTES = 15_000;
    static final int CLIENTS = 3_000;
    static final int RESPONSE_CACHE = 1_000;
    static final int QUEUE_CAPACITY = 1_000;
    static final int QUEUED = 400;
    static final int BODY_BYTES = 384;
    static final int[] REQUESTS_AT_DUMP = {5_000, 10_000, 20_000};
    static final long SIM_HOURS = 6;

    enum Method { GET, POST, PUT, DELETE }

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
        final Method method;
        final int timeoutMillis;
        final String[] requiredScopes;

        Route(String pathPrefix, String upstream, Method method, int timeoutMillis, String[] requiredScopes) {
            this.pathPrefix = pathPrefix;
            this.upstream = upstream;
            this.method = method;
            this.timeoutMillis = timeoutMillis;
            this.requiredScopes = requiredScopes;
        }
    }

    /** Routing table, loaded from configuration at startup. */
    static final class RoutingTable {
        static final List<Route> ROUTES = new ArrayList<>();
        static final String[] READ = {"read"};
        static final String[] WRITE = {"read", "write"};

        static void load() {
            for (int i = 0; i < SvcLeakRequests.ROUTES; i++) {
                Method m = Method.values()[i % 4];
                ROUTES.add(new Route("/api/v2/svc" + (i / 50) + "/res" + (10_000 + i), "http://upstream-" + (i % 40) + ".internal:8080",
                        m, 1_000 + i % 5 * 1_000, m == Method.GET ? READ : WRITE));
            }
        }
    }

    static final class ApiClient {
        final String clientId;
        final String name;
        final String plan;
        final int rateLimitPerMinute;
        final long createdAt;

        ApiClient(String clientId, long createdAt) {
            this.clientId = clientId;
            this.name = "Integration " + clientId;
            this.plan = clientId.hashCode() % 2 == 0 ? "gold" : "silver";
            this.rateLimitPerMinute = 600;
            this.createdAt = createdAt;
        }
    }

    static final class ClientDirectory {
        final Map<String, ApiClient> byClientId = new ConcurrentHashMap<>();

        ApiClient get(int k) {
            return byClientId.computeIfAbsent("client-" + (100_000 + k), c -> new ApiClient(c, 1_600_000_000_000L + k * 86_400L));
        }
    }

    static final class CachedResponse {
        final int status;
        final byte[] body;
        final String etag;

        CachedResponse(int status, byte[] body, String etag) {
            this.status = status;
            this.body = body;
            this.etag = etag;
        }
    }

    static final class ResponseCache extends LinkedHashMap<String, CachedResponse> {
        final int capacity;

        ResponseCache(int capacity) {
            super(512, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedResponse> eldest) {
            return size() > capacity;
        }
    }

    static final class PendingRequest {
        final String requestId;
        final String path;
        final Map<String, String> headers = new HashMap<>(4);
        final byte[] body;

        PendingRequest(String requestId, String path, String client, byte[] body) {
            this.requestId = requestId;
            this.path = path;
            this.headers.put("X-Client-Id", client);
            this.headers.put("X-Request-Id", requestId);
            this.body = body;
        }
    }

    /** Requests kept for replay until the upstream answered; the success path forgets to remove them. */
    static final class ReplayBuffer {
        final Map<String, PendingRequest> inflight = new HashMap<>();
    }

    static final class DispatchTask {
        final String requestId;
        final Route route;

        DispatchTask(String requestId, Route route) {
            this.requestId = requestId;
            this.route = route;
        }
    }

    static final class Gateway {
        final SimClock clock;
        final ClientDirectory clients = new ClientDirectory();
        final ResponseCache responses = new ResponseCache(RESPONSE_CACHE);
        final ReplayBuffer replay = new ReplayBuffer();
        final LinkedBlockingQueue<DispatchTask> dispatch = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        long handled;

        Gateway(SimClock clock) {
            this.clock = clock;
        }

        void handle(long n) {
            Route r = RoutingTable.ROUTES.get((int) ((n * 31) % ROUTES));
            ApiClient c = clients.get((int) ((n * 13) % CLIENTS));
            String requestId = "rq-" + (300_000_000L + n);
            if (r.method == Method.GET) {
                String key = r.pathPrefix + "?page=" + (n % 7);
                if (responses.get(key) == null) {
                    responses.put(key, new CachedResponse(200, new byte[256], "\"" + n + "\""));
                }
            }
            replay.inflight.put(requestId, new PendingRequest(requestId, r.pathPrefix, c.clientId, new byte[BODY_BYTES]));
            dispatch.offer(new DispatchTask(requestId, r));
            if (dispatch.size() > QUEUED) {
                dispatch.poll();
            }
            handled++;
        }
    }

    static Gateway RUNNING;

    static void serve(int total) {
        Gateway g = RUNNING;
        long from = g.clock.now;
        long to = System.currentTimeMillis();
        long first = g.handled;
        for (long n = first; n < total; n++) {
            g.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            g.handle(n);
        }
        if (g.replay.inflight.size() != total || g.responses.size() != RESPONSE_CACHE
                || g.clients.byClientId.size() != CLIENTS || g.dispatch.size() != QUEUED) {
            throw new IllegalStateException("unexpected sizes " + g.responses.size());
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        RoutingTable.load();
        RUNNING = new Gateway(new SimClock(System.currentTimeMillis() - SIM_HOURS * 3_600_000L));
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(REQUESTS_AT_DUMP[count == 1 ? 2 : d - 1]);
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
