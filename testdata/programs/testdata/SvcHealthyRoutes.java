// hprofscan-dump: name=svc-healthy-routes jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Healthy (tuning set, session 7; series, the twin of {@link SvcLeakWarmPools}): an API
 * aggregator whose HTTP client keeps one connection pool per route ({@code "host:port"}) in
 * {@code ConnectionManager.pools}, over a fixed set of 200 configured upstream routes. All 200
 * pools are opened and warmed at startup (6 hours before the dumps) and then only reused: 200 /
 * 200 / 200 pools in the three dumps, {@code createdAt} at startup, {@code lastUsedAt} within the
 * last few seconds, 4-8 idle connections each. Legitimate as well: a DNS cache (60 s TTL, the 200
 * upstream hosts), a static routing table (2,500 rules), a latency histogram ring buffer (3,600
 * one-second slots), a response cache LRU at capacity (3,000), metrics. Nothing leaks.
 * See testdata/SCENARIOS.md, "Session 7 tuning apps".
 */
public final class SvcHealthyRoutes {
    static final int ROUTES = 200;
    static final int MAX_PER_ROUTE = 8;
    static final long DNS_TTL = 60_000L;
    static final int ROUTING_RULES = 2_500;
    static final int RING = 3_600;
    static final int RESPONSE_CACHE = 3_000;
    static final int[] REQUESTS_AT_DUMP = {20_000, 40_000, 60_000};
    static final long UPTIME = 6L * 3600_000L;

    static Service RUNNING;

    static final class PooledConnection {
        final long id; final String route; final long openedAt; long lastUsedAt; final byte[] readBuffer; final byte[] writeBuffer;
        PooledConnection(long id, String route, long openedAt, int readBytes, int writeBytes) {
            this.id = id; this.route = route; this.openedAt = openedAt; this.lastUsedAt = openedAt;
            this.readBuffer = new byte[readBytes]; this.writeBuffer = new byte[writeBytes];
        }
    }

    static final class RoutePool {
        final String route; final String host; final int port; final boolean tls; final int maxPerRoute;
        final long createdAt; long lastUsedAt; int leased; long requests;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(MAX_PER_ROUTE);
        RoutePool(String host, int port, boolean tls, int maxPerRoute, long createdAt) {
            this.host = host; this.port = port; this.tls = tls; this.maxPerRoute = maxPerRoute;
            this.route = host + ":" + port; this.createdAt = createdAt; this.lastUsedAt = createdAt;
        }
    }

    /** Legitimate: one pool per configured route, the routes are fixed. */
    static final class ConnectionManager {
        final ConcurrentHashMap<String, RoutePool> pools = new ConcurrentHashMap<>();
        long nextConnectionId;
        RoutePool route(String host, int port, long at) {
            return pools.computeIfAbsent(host + ":" + port, k -> new RoutePool(host, port, true, MAX_PER_ROUTE, at));
        }
        void request(RoutePool p, long at, Random rnd) {
            PooledConnection c = p.idle.pollFirst();
            if (c == null) c = new PooledConnection(++nextConnectionId, p.route, at, 4_096, 2_048);
            c.lastUsedAt = at;
            c.readBuffer[rnd.nextInt(c.readBuffer.length)] = 1;
            p.idle.addLast(c);
            p.lastUsedAt = at;
            p.requests++;
        }
    }

    static final class DnsEntry {
        final String host; final byte[] address; final long resolvedAt; final long expiresAt;
        DnsEntry(String host, byte[] address, long resolvedAt) { this.host = host; this.address = address; this.resolvedAt = resolvedAt; this.expiresAt = resolvedAt + DNS_TTL; }
    }

    /** Legitimate: entries expire after DNS_TTL and are swept. */
    static final class DnsCache {
        final ConcurrentHashMap<String, DnsEntry> entries = new ConcurrentHashMap<>();
        void resolve(String host, long at, Random rnd) {
            DnsEntry e = entries.get(host);
            if (e == null || e.expiresAt <= at) {
                byte[] a = {10, (byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) rnd.nextInt(256)};
                entries.put(host, new DnsEntry(host, a, at));
            }
        }
        void sweep(long now) {
            for (Iterator<DnsEntry> it = entries.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) it.remove();
        }
    }

    static final class RouteRule {
        final String pathPrefix; final String cluster; final int timeoutMillis; final int retries; final String[] methods;
        RouteRule(String pathPrefix, String cluster, int timeoutMillis, int retries, String[] methods) { this.pathPrefix = pathPrefix; this.cluster = cluster; this.timeoutMillis = timeoutMillis; this.retries = retries; this.methods = methods; }
    }

    static final class RoutingTable { static final Map<String, RouteRule> RULES = new HashMap<>(); }

    static final class HistogramSlot {
        long second; final long[] counts = new long[48]; long max;
    }

    static final class LatencyHistory {
        final HistogramSlot[] ring = new HistogramSlot[RING];
        int head;
        void record(long at, long micros) {
            long sec = at / 1_000;
            HistogramSlot s = ring[head];
            if (s == null || s.second != sec) {
                head = (head + 1) % RING;
                s = ring[head];
                if (s == null) { s = new HistogramSlot(); ring[head] = s; }
                s.second = sec; java.util.Arrays.fill(s.counts, 0); s.max = 0;
            }
            s.counts[Math.min(47, 63 - Long.numberOfLeadingZeros(Math.max(1, micros)))]++;
            s.max = Math.max(s.max, micros);
        }
    }

    static final class ResponseCache extends LinkedHashMap<String, byte[]> {
        ResponseCache() { super(2 * RESPONSE_CACHE, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > RESPONSE_CACHE; }
    }

    static final class Service {
        final ConnectionManager http = new ConnectionManager();
        final DnsCache dns = new DnsCache();
        final LatencyHistory latency = new LatencyHistory();
        final ResponseCache responses = new ResponseCache();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static final Random RND = new Random(70_704);
    static final String[] CLUSTERS = {"orders", "billing", "catalog", "search", "accounts", "shipping", "notify", "media"};
    static final String[] HOSTS = new String[ROUTES];
    static final int[] PORTS = new int[ROUTES];

    /** One request: a configured route (skewed: a few routes carry most traffic), maybe cached. */
    static void request(Service s, long at) {
        int r = Math.min(ROUTES - 1, (int) (Math.abs(RND.nextGaussian()) * ROUTES / 3));
        s.dns.resolve(HOSTS[r], at, RND);
        RoutePool p = s.http.route(HOSTS[r], PORTS[r], at);
        s.http.request(p, at, RND);
        String key = "/v1/" + CLUSTERS[r % CLUSTERS.length] + "/item/" + RND.nextInt(20_000);
        if (s.responses.get(key) == null) s.responses.put(key, new byte[512 + RND.nextInt(1_536)]);
        s.latency.record(at, 2_000 + RND.nextInt(150_000));
        s.count("upstream." + CLUSTERS[r % CLUSTERS.length]);
    }

    static Service build(long now) {
        long start = now - UPTIME;
        Service s = new Service();
        for (int i = 0; i < ROUTING_RULES; i++) {
            String prefix = "/v" + (1 + i % 3) + "/" + CLUSTERS[i % CLUSTERS.length] + "/resource" + i;
            RoutingTable.RULES.put(prefix, new RouteRule(prefix, CLUSTERS[i % CLUSTERS.length], 500 + 100 * (i % 20), i % 4, new String[] {"GET", "POST"}));
        }
        for (int i = 0; i < ROUTES; i++) {
            HOSTS[i] = CLUSTERS[i % CLUSTERS.length] + "-" + (i / CLUSTERS.length) + ".svc.internal.example.com";
            PORTS[i] = i % 4 == 0 ? 8443 : 443;
        }
        // startup: every configured route is opened and warmed to 4..8 idle connections
        for (int i = 0; i < ROUTES; i++) {
            long t = start + i * 50L;
            s.dns.resolve(HOSTS[i], t, RND);
            RoutePool p = s.http.route(HOSTS[i], PORTS[i], t);
            int warm = 4 + RND.nextInt(MAX_PER_ROUTE - 3);
            for (int c = 0; c < warm; c++) p.idle.addLast(new PooledConnection(++s.http.nextConnectionId, p.route, t, 4_096, 2_048));
            p.lastUsedAt = t;
        }
        // six hours of traffic, one request every ~4.5 s (fills the latency ring)
        for (long t = start + 60_000L; t < now - 30_000L; t += 4_500L) request(s, t);
        return s;
    }

    /** The last seconds before a dump: requests at the real time, every route touched. */
    static void serve(Service s, int requests) {
        for (int i = 0; i < requests; i++) request(s, System.currentTimeMillis());
        for (int r = 0; r < ROUTES; r++) s.http.request(s.http.pools.get(HOSTS[r] + ":" + PORTS[r]), System.currentTimeMillis(), RND);
        s.dns.sweep(System.currentTimeMillis());
        for (int r = 0; r < ROUTES; r++) s.dns.resolve(HOSTS[r], System.currentTimeMillis(), RND);
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        for (int d = 1; d <= count; d++) {
            if (d > 1) Thread.sleep(1_100);
            serve(RUNNING, REQUESTS_AT_DUMP[count == 1 ? 2 : d - 1]);
            check(RUNNING.http.pools.size() == ROUTES, "pools " + RUNNING.http.pools.size());
            long conns = 0, oldest = Long.MAX_VALUE, idleSince = Long.MAX_VALUE;
            for (RoutePool p : RUNNING.http.pools.values()) {
                conns += p.idle.size();
                oldest = Math.min(oldest, p.createdAt);
                idleSince = Math.min(idleSince, p.lastUsedAt);
                check(p.idle.size() >= 4 && p.idle.size() <= MAX_PER_ROUTE, "idle " + p.idle.size());
            }
            check(RUNNING.dns.entries.size() == ROUTES, "dns " + RUNNING.dns.entries.size());
            check(RUNNING.responses.size() == RESPONSE_CACHE && RoutingTable.RULES.size() == ROUTING_RULES, "cache/rules");
            int full = 0;
            for (HistogramSlot h : RUNNING.latency.ring) if (h != null) full++;
            check(full == RING, "ring " + full);
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) new java.io.File(path).setReadable(true, false);
            long t = System.currentTimeMillis();
            System.out.println("dumped " + path + ": " + ROUTES + " pools, " + conns + " idle connections, created "
                + (t - oldest) / 60_000 + " min ago, least recently used " + (t - idleSince) + " ms ago");
        }
        System.exit(0);
    }
}
