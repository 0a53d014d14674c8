// hprofscan-dump: name=svc-leak-warmpools jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-warmpools-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
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
 * Leak (tuning set, session 7; series): a webhook/callback delivery service whose HTTP client
 * keeps one connection pool per route ({@code "host:port"}) in
 * {@code ConnectionManager.pools} and never closes or removes a pool. Routes come from
 * user-supplied callback URLs (one-off hosts: preview deployments, tunnels), so new routes keep
 * arriving. The service warmed 1,200 such pools over its 6 hours of uptime (created and last used
 * between 6 hours and 10 minutes before the first dump), then a tenant's bulk import fires
 * callbacks to 1,200 new hosts just before each dump: 2,400 / 3,600 / 4,800 leaked pools (plus
 * 40 configured partner pools), half or more of them created in the last few seconds. Each pool
 * has {@code createdAt}, {@code lastUsedAt} and an {@code ArrayDeque} of 1-2 idle connections with
 * read/write buffers. Legitimate: a DNS cache (LRU capped at 1,024, 60 s TTL), a static routing
 * table (2,500 rules), a latency histogram ring buffer (3,600 one-second slots), a webhook
 * subscription directory (10,000), metrics. See testdata/SCENARIOS.md, "Session 7 tuning apps".
 */
public final class SvcLeakWarmPools {
    static final int PARTNERS = 40;
    static final int WARM = 1_200;
    static final int BURST = 1_200;
    static final int STAGES = 3;
    static final int DNS_CAP = 1_024;
    static final long DNS_TTL = 60_000L;
    static final int ROUTING_RULES = 2_500;
    static final int RING = 3_600;
    static final int SUBSCRIPTIONS = 10_000;
    static final long UPTIME = 6L * 3600_000L;

    static Service RUNNING;

    static final class PooledConnection {
        final long id; final String route; final long openedAt; long lastUsedAt; final byte[] readBuffer; final byte[] writeBuffer;
        PooledConnection(long id, String route, long openedAt, int readBytes, int writeBytes) {
            this.id = id; this.route = route; this.openedAt = openedAt; this.lastUsedAt = openedAt;
            this.readBuffer = new byte[readBytes]; this.writeBuffer = new byte[writeBytes];
        }
    }

    /** One pool per route: idle connections kept for reuse, no idle eviction, never closed. */
    static final class RoutePool {
        final String route; final String host; final int port; final boolean tls; final int maxPerRoute;
        final long createdAt; long lastUsedAt; int leased; long requests;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(4);
        RoutePool(String host, int port, boolean tls, int maxPerRoute, long createdAt) {
            this.host = host; this.port = port; this.tls = tls; this.maxPerRoute = maxPerRoute;
            this.route = host + ":" + port; this.createdAt = createdAt; this.lastUsedAt = createdAt;
        }
    }

    /** Leaking: {@code pools} only ever grows (no close, no removal of idle routes). */
    static final class ConnectionManager {
        final ConcurrentHashMap<String, RoutePool> pools = new ConcurrentHashMap<>();
        long nextConnectionId;
        RoutePool route(String host, int port, boolean tls, long at) {
            return pools.computeIfAbsent(host + ":" + port, k -> new RoutePool(host, port, tls, 8, at));
        }
        /** A request on a route: lease an idle connection or open one, then return it to idle. */
        void request(RoutePool p, long at, int connections, Random rnd) {
            while (p.idle.size() < connections) {
                p.idle.addLast(new PooledConnection(++nextConnectionId, p.route, at, 1_024, 512));
            }
            PooledConnection c = p.idle.peekFirst();
            c.lastUsedAt = at;
            c.readBuffer[rnd.nextInt(c.readBuffer.length)] = 1;
            p.lastUsedAt = at;
            p.requests++;
        }
    }

    static final class DnsEntry {
        final String host; final byte[] address; final long resolvedAt; final long expiresAt;
        DnsEntry(String host, byte[] address, long resolvedAt) { this.host = host; this.address = address; this.resolvedAt = resolvedAt; this.expiresAt = resolvedAt + DNS_TTL; }
    }

    /** Legitimate: LRU capped at DNS_CAP, entries expire after DNS_TTL. */
    static final class DnsCache {
        final LinkedHashMap<String, DnsEntry> entries = new LinkedHashMap<>(2 * DNS_CAP, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, DnsEntry> e) { return size() > DNS_CAP; }
        };
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

    /** Legitimate: static routing table loaded from configuration at startup. */
    static final class RoutingTable { static final Map<String, RouteRule> RULES = new HashMap<>(); }

    static final class HistogramSlot {
        long second; final long[] counts = new long[48]; long max;
    }

    /** Legitimate: ring buffer of the last RING one-second latency histograms. */
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

    static final class Subscription {
        final long id; final String tenant; final String eventType; final String url; final String secret;
        Subscription(long id, String tenant, String eventType, String url, String secret) { this.id = id; this.tenant = tenant; this.eventType = eventType; this.url = url; this.secret = secret; }
    }

    static final class Service {
        final ConnectionManager http = new ConnectionManager();
        final DnsCache dns = new DnsCache();
        final LatencyHistory latency = new LatencyHistory();
        final Map<Long, Subscription> subscriptions = new HashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static final Random RND = new Random(70_701);
    static final String[] CLUSTERS = {"orders", "billing", "catalog", "search", "accounts", "shipping", "notify", "media"};
    static int callbackSeq;

    static String partnerHost(int i) { return "api.partner" + i + ".example.com"; }

    static String hex(int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) sb.append(String.format("%02x", RND.nextInt(256)));
        return sb.toString();
    }

    /** A callback to a user-supplied URL: a host seen once (preview deployment, tunnel). */
    static void callback(Service s, long at) {
        int n = ++callbackSeq;
        String host = (n % 3 == 0 ? "pr-" + (10_000 + n) + ".preview.customer" + (n % 97) + ".dev"
            : n % 3 == 1 ? hex(6) + ".tunnel.example.net" : "cb-" + hex(4) + ".hooks.tenant" + (n % 211) + ".io");
        int port = n % 5 == 0 ? 8443 : 443;
        s.dns.resolve(host, at, RND);
        RoutePool p = s.http.route(host, port, true, at);
        s.http.request(p, at, 1 + (n % 2), RND);
        s.latency.record(at, 20_000 + RND.nextInt(400_000));
        s.count("callback.sent");
    }

    static void partnerTraffic(Service s, long at, int requests) {
        for (int i = 0; i < requests; i++) {
            int k = RND.nextInt(PARTNERS);
            s.dns.resolve(partnerHost(k), at, RND);
            RoutePool p = s.http.route(partnerHost(k), 443, true, at);
            s.http.request(p, at, 4, RND);
            s.latency.record(at, 2_000 + RND.nextInt(80_000));
            s.count("partner.request");
        }
    }

    static Service build(long now) {
        long start = now - UPTIME;
        Service s = new Service();
        for (int i = 0; i < ROUTING_RULES; i++) {
            String prefix = "/v" + (1 + i % 3) + "/" + CLUSTERS[i % CLUSTERS.length] + "/resource" + i;
            RoutingTable.RULES.put(prefix, new RouteRule(prefix, CLUSTERS[i % CLUSTERS.length], 500 + 100 * (i % 20), i % 4, new String[] {"GET", "POST"}));
        }
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            s.subscriptions.put(90_000L + i, new Subscription(90_000L + i, "tenant-" + (i % 400), "order." + (i % 7),
                "https://hooks.tenant" + (i % 400) + ".example.com/events/" + i, hex(16)));
        }
        // startup: the partner pools are opened and warmed
        for (int k = 0; k < PARTNERS; k++) {
            s.dns.resolve(partnerHost(k), start + k, RND);
            s.http.request(s.http.route(partnerHost(k), 443, true, start + k), start + k, 4, RND);
        }
        // warm-up over the uptime: one-off callbacks, each route used once, then never again
        long warmEnd = now - 10L * 60_000L;
        for (int i = 0; i < WARM; i++) {
            long t = start + 60_000L + (warmEnd - start - 60_000L) * i / WARM;
            callback(s, t);
            for (int k = 1; k <= 3; k++) partnerTraffic(s, t + k * 4_500L, 1);
        }
        return s;
    }

    /** A tenant's bulk import: BURST callbacks to new hosts, interleaved with partner traffic, now. */
    static void burst(Service s) {
        for (int i = 0; i < BURST; i++) {
            callback(s, System.currentTimeMillis());
            partnerTraffic(s, System.currentTimeMillis(), 2);
        }
        partnerTraffic(s, System.currentTimeMillis(), 400);
        s.dns.sweep(System.currentTimeMillis());
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= STAGES; stage++) {
            if (stage > 1) Thread.sleep(1_100);
            burst(RUNNING);
            int leaked = WARM + BURST * stage;
            check(RUNNING.http.pools.size() == PARTNERS + leaked, "pools " + RUNNING.http.pools.size());
            check(RUNNING.dns.entries.size() == DNS_CAP, "dns " + RUNNING.dns.entries.size());
            check(RoutingTable.RULES.size() == ROUTING_RULES && RUNNING.subscriptions.size() == SUBSCRIPTIONS, "reference data");
            int full = 0;
            for (HistogramSlot h : RUNNING.latency.ring) if (h != null) full++;
            check(full == RING, "ring " + full);
            int d = count == 1 ? (stage == STAGES ? 1 : 0) : stage;
            if (d == 0) continue;
            long t = System.currentTimeMillis();
            int recent = 0;
            for (RoutePool p : RUNNING.http.pools.values()) if (!p.host.startsWith("api.partner") && p.createdAt >= t - 10_000L) recent++;
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + ": " + leaked + " leaked pools, " + recent + " created in the last 10 s");
        }
        System.exit(0);
    }
}
