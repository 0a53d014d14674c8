// hprofscan-dump: name=val86-leak-merchantsync-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val86-leak-merchantsync-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val86-leak-merchantsync jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val86-leak-merchantsync-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 86 (written blind), LEAK: the stock-level sync service of a multi-tenant
 * e-commerce platform. It pushes stock levels to each merchant's storefront API at a
 * tenant-specific host ({@code tenant-<id>.api.example.com}). Warehouse reference data, the SKU
 * directory, a cache of rendered stock payloads at its cap, a pool of JSON encode buffers, a ring
 * of recent pushes, a per-thread encode scratch buffer, and the storefront HTTP client: one
 * connection pool per upstream host, each holding its idle keep-alive connections with their read
 * and write buffers. A merchant syncs for 20-40 minutes and then goes quiet, but its pool is never
 * closed: the client keeps one pool per tenant ever seen. See VALIDATION86.md.
 */
public final class Val86LeakMerchantSync {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_LIMIT = 5 * MINUTE;
    static final int WAREHOUSES = 900, SKUS = 24_000, PAYLOAD_CAP = 2_000, POOL = 8, RING = 8_192, TENANTS_PER_HOUR = 100;
    static final int READ_BUFFER = 2_048, WRITE_BUFFER = 1_024;
    static boolean FIXED;

    record Warehouse(String code, String region, double[] capacityCurve) {}
    record Sku(String code, String warehouseCode, String title, byte[] productRecord, long listedAt) {}
    record Payload(String key, byte[] json, long at) {}
    record PushRecord(String host, String sku, int status, long at) {}

    /** One keep-alive connection to a storefront host, with its socket buffers. */
    static final class PooledConnection {
        final long id;
        final String host;
        final int port;
        final byte[] readBuffer = new byte[READ_BUFFER];
        final byte[] writeBuffer = new byte[WRITE_BUFFER];
        final long openedAt;
        long lastUsedAt;
        int requests;
        boolean open = true;
        PooledConnection(long id, String host, int port, long openedAt) { this.id = id; this.host = host; this.port = port; this.openedAt = openedAt; }
    }

    /** The connection pool of one upstream host. */
    static final class HostPool {
        final String host;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final long createdAt;
        long lastUsedAt;
        int opened, leased;
        HostPool(String host, long createdAt) { this.host = host; this.createdAt = createdAt; }
        PooledConnection lease(long id, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) { c = new PooledConnection(id, host, 443, at); opened++; }
            c.lastUsedAt = at; c.requests++; leased++; lastUsedAt = at;
            return c;
        }
        void release(PooledConnection c) { idle.addFirst(c); }
        void close() { for (PooledConnection c : idle) c.open = false; idle.clear(); }
    }

    static final class StorefrontClient {
        final Map<String, HostPool> pools = new HashMap<>();
        long connectionIds, poolsCreated, poolsClosed;
        HostPool poolFor(String host, long at) {
            HostPool p = pools.get(host);
            if (p == null) { p = new HostPool(host, at); pools.put(host, p); poolsCreated++; }
            return p;
        }
        /** The fix: close and drop the pools of hosts that have been idle for more than 5 minutes. */
        void reapIdle(long now) {
            for (Iterator<HostPool> it = pools.values().iterator(); it.hasNext(); ) {
                HostPool p = it.next();
                if (now - p.lastUsedAt > IDLE_LIMIT) { p.close(); it.remove(); poolsClosed++; }
            }
        }
        int connections() { int n = 0; for (HostPool p : pools.values()) n += p.idle.size(); return n; }
    }

    static final class PayloadCache extends LinkedHashMap<String, Payload> {
        long evicted;
        PayloadCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Payload> e) { if (size() > PAYLOAD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Warehouse> WAREHOUSES_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> ENCODE_SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class SyncService {
        final Map<String, Sku> skus = new HashMap<>();
        final PayloadCache payloads = new PayloadCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final PushRecord[] recentPushes = new PushRecord[RING];
        long pushes, batches;
        final StorefrontClient client = new StorefrontClient();
    }

    static SyncService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val86.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int tenants = TENANTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(86_010_001);
        String[] whCodes = new String[WAREHOUSES];
        for (int w = 0; w < WAREHOUSES; w++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 5_000;
            whCodes[w] = "WH-" + (3_000 + w);
            WAREHOUSES_BY_CODE.put(whCodes[w], new Warehouse(whCodes[w], "Region " + (w % 40), curve));
        }
        SyncService svc = new SyncService();
        SERVICE = svc;
        String[] skuCodes = new String[SKUS];
        for (int s = 0; s < SKUS; s++) {
            skuCodes[s] = "SKU-" + (40_000_000 + s * 3);
            svc.skus.put(skuCodes[s], new Sku(skuCodes[s], whCodes[rnd.nextInt(WAREHOUSES)], "Item " + s, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);

        // Tenant schedule: one merchant starts syncing every 36 s, syncs for 20-40 minutes, then goes quiet.
        Random sched = new Random(86_010_002);
        String[] hosts = new String[tenants];
        long[] from = new long[tenants], until = new long[tenants];
        for (int t = 0; t < tenants; t++) {
            hosts[t] = "tenant-" + (1_000 + t * 7) + ".api.example.com";
            from[t] = start + t * (HOUR / TENANTS_PER_HOUR);
            until[t] = from[t] + (20 + sched.nextInt(21)) * MINUTE;
        }
        Random traffic = new Random(86_010_003);
        int minutes = hours * 60;
        int maxActive = 0;
        for (int m = 0; m < minutes; m++) {
            long tm = start + m * MINUTE;
            int active = 0;
            for (int t = 0; t < tenants && from[t] < tm + MINUTE; t++) {
                if (until[t] <= tm) continue;
                active++;
                int batches = 2 + traffic.nextInt(4);
                for (int b = 0; b < batches; b++) {
                    long at = Math.max(tm + b * 11_000L + traffic.nextInt(5_000), from[t]);
                    int r = traffic.nextInt(10);
                    int concurrent = r < 6 ? 1 : r < 9 ? 2 : 3;
                    HostPool pool = svc.client.poolFor(hosts[t], at);
                    PooledConnection[] leased = new PooledConnection[concurrent];
                    for (int c = 0; c < concurrent; c++) {
                        leased[c] = pool.lease(svc.client.connectionIds++, at);
                        String sku = skuCodes[traffic.nextInt(SKUS)];
                        String key = "stock-" + skuCodes[traffic.nextInt(5_000)];
                        Payload p = svc.payloads.get(key);
                        if (p == null) { p = new Payload(key, new byte[400 + traffic.nextInt(400)], at); svc.payloads.put(key, p); }
                        byte[] buf = svc.jsonBuffers.poll();
                        byte[] scratch = ENCODE_SCRATCH.get();
                        scratch[(int) (svc.pushes % scratch.length)] = (byte) c;
                        buf[(int) (svc.pushes % buf.length)] = p.json()[0];
                        leased[c].writeBuffer[c] = (byte) svc.pushes;
                        svc.jsonBuffers.add(buf);
                        svc.recentPushes[(int) (svc.pushes++ % RING)] = new PushRecord(hosts[t], sku, traffic.nextInt(50) == 0 ? 429 : 200, at);
                    }
                    for (int c = concurrent - 1; c >= 0; c--) pool.release(leased[c]);
                    svc.batches++;
                }
            }
            maxActive = Math.max(maxActive, active);
            if (FIXED) svc.client.reapIdle(tm + MINUTE);
        }
        StorefrontClient cl = svc.client;
        int conns = cl.connections();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " warehouses " + WAREHOUSES_BY_CODE.size() + " skus " + svc.skus.size() + " tenants " + tenants + " pools " + cl.pools.size()
                + " (created " + cl.poolsCreated + ", closed " + cl.poolsClosed + ") idle connections " + conns + " batches " + svc.batches + " pushes " + svc.pushes + " max active " + maxActive
                + " payloads " + svc.payloads.size() + " (evicted " + svc.payloads.evicted + ") pool " + svc.jsonBuffers.size());
        check(WAREHOUSES_BY_CODE.size() == WAREHOUSES && svc.skus.size() == SKUS, "reference data / directory");
        check(cl.poolsCreated == tenants, "one pool per tenant: " + cl.poolsCreated);
        if (FIXED) {
            check(cl.pools.size() == cl.poolsCreated - cl.poolsClosed && cl.pools.size() < 100, "reaped pools: " + cl.pools.size());
            for (HostPool p : cl.pools.values()) check(end - p.lastUsedAt <= IDLE_LIMIT + MINUTE, "only recently used pools");
        } else {
            check(cl.pools.size() == tenants && cl.poolsClosed == 0, "pools never closed: " + cl.pools.size());
        }
        check(svc.payloads.size() == PAYLOAD_CAP && svc.payloads.evicted > 0, "payload cache at cap");
        check(svc.jsonBuffers.size() == POOL, "pool");
        check(svc.pushes > RING && svc.recentPushes[RING - 1] != null, "ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
