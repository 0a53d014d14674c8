// hprofscan-dump: name=val11-leak-dnsresolver-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val11-leak-dnsresolver-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val11-leak-dnsresolver jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val11-leak-dnsresolver-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 11 (written blind), LEAK, a series: a caching recursive DNS resolver. The record
 * cache expires entries by TTL against a coarse clock, but the clock is ticked by a task scheduled
 * once ({@code schedule}) instead of periodically, so its time stays at the service's start: the
 * periodic sweep never finds an expired record and every name ever resolved stays. Most of them
 * are one-off names (tracking and CDN subdomains) queried once, expired long ago and never asked
 * for again. Stage 1 is the dump after 2 simulated hours (10,000 such records), stage 2 after 4
 * hours (20,000), stage 3 after 8 hours (40,000); in every stage 2,000 popular names (looked up
 * constantly) and 500 names resolved in the last minute are legitimately cached. Beside it: the
 * local zone directory and the blocklist (loaded at startup), a query log ring and a fixed pool of
 * 4 resolver threads with a datagram buffer each. See testdata/VALIDATION11.md.
 */
public final class Val11LeakDnsResolver {
    static final int ZONES = 20_000;
    static final int BLOCKED = 60_000;
    static final int HOT = 2_000;
    static final int FRESH_TAIL = 500;
    static final int QUERY_RING = 32_768;
    static final int RESOLVERS = 4;
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static DnsService RUNNING;

    static final class LocalZone {
        final String origin; final String[] nameservers; final int serial; final int minimumTtl; final long createdAt; final boolean forwardOnly;
        LocalZone(String origin, String[] nameservers, int serial, int minimumTtl, long createdAt, boolean forwardOnly) { this.origin = origin; this.nameservers = nameservers; this.serial = serial; this.minimumTtl = minimumTtl; this.createdAt = createdAt; this.forwardOnly = forwardOnly; }
    }

    /** Reference data: zones served locally or forwarded (corporate split horizon), loaded at startup. */
    static final class ZoneDirectory {
        static final Map<String, LocalZone> BY_ORIGIN = new HashMap<>();
    }

    /** Reference data: the DNS blocklist (malware and phishing domains), loaded at startup. */
    static final class Blocklist {
        static final Set<String> DOMAINS = new HashSet<>();
    }

    /** A coarse clock: reading the time is one volatile load; a ticker task should advance it every second. */
    static final class CoarseClock {
        volatile long nowMillis;
        CoarseClock(long t) { nowMillis = t; }
        void tick(long t) { nowMillis = t; }
        long now() { return nowMillis; }
    }

    static final class CachedRecord {
        final String name; final int rrType; final byte[] rdata; final int ttlSeconds; final long storedAt; final long expiresAt; final String upstream;
        long lastHitAt; int hits;
        CachedRecord(String name, int rrType, byte[] rdata, int ttlSeconds, long storedAt, String upstream) { this.name = name; this.rrType = rrType; this.rdata = rdata; this.ttlSeconds = ttlSeconds; this.storedAt = storedAt; this.expiresAt = storedAt + ttlSeconds * SECOND; this.upstream = upstream; this.lastHitAt = storedAt; }
    }

    /** The record cache: TTL expiry against the coarse clock, swept periodically. */
    static final class ResolverCache {
        /** THE LEAK: the clock never advances, so nothing is ever expired. */
        final Map<String, CachedRecord> entries = new ConcurrentHashMap<>();
        final CoarseClock clock;
        long hits; long misses; long expired;
        ResolverCache(CoarseClock clock) { this.clock = clock; }
        CachedRecord lookup(String name, long t) {
            CachedRecord r = entries.get(name);
            if (r == null || r.expiresAt <= clock.now()) { misses++; return null; }
            hits++; r.hits++; r.lastHitAt = t;
            return r;
        }
        void store(CachedRecord r) { entries.put(r.name, r); }
        void sweep() {
            long now = clock.now();
            entries.values().removeIf(r -> { boolean e = r.expiresAt <= now; if (e) expired++; return e; });
        }
    }

    /** A query log line; the ring's slots are allocated once and overwritten. */
    static final class QueryLogSlot {
        long at; String qname; int rrType; int rcode; String clientAddr; int micros;
    }

    static final class QueryLog {
        final QueryLogSlot[] slots = new QueryLogSlot[QUERY_RING];
        long written;
        QueryLog() { for (int i = 0; i < QUERY_RING; i++) slots[i] = new QueryLogSlot(); }
        void append(long t, String q, int type, int rcode, String client, int micros) {
            QueryLogSlot s = slots[(int) (written++ % QUERY_RING)];
            s.at = t; s.qname = q; s.rrType = type; s.rcode = rcode; s.clientAddr = client; s.micros = micros;
        }
    }

    static final class DnsService {
        final CoarseClock clock;
        final ResolverCache cache;
        final QueryLog queryLog = new QueryLog();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor resolvers = new ThreadPoolExecutor(RESOLVERS, RESOLVERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "dns-resolver-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread receive buffer for upstream datagrams (EDNS0 max payload). */
        static final ThreadLocal<byte[]> DATAGRAM = ThreadLocal.withInitial(() -> new byte[65_536]);
        final Properties config = new Properties();
        DnsService(long startedAt) { clock = new CoarseClock(startedAt); cache = new ResolverCache(clock); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] rdata(Random rnd) { byte[] b = new byte[16 + rnd.nextInt(48)]; rnd.nextBytes(b); return b; }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val11.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = 1L << stage; // 2, 4, 8
        int tail = 5_000 << stage; // 10,000, 20,000, 40,000 one-off names, all expired at the dump
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(11_010_001);
        DnsService svc = new DnsService(start);
        RUNNING = svc;
        for (int i = 0; i < 85; i++) svc.config.setProperty("resolver.upstream." + i, "198.51.100." + (i % 250) + ":53");
        String[] tlds = {"com", "net", "org", "io", "de", "co.uk", "fr", "nl"};
        for (int i = 0; i < ZONES; i++) {
            String origin = "z" + Integer.toString(i * 31 + 7, 36) + ".corp." + tlds[i % tlds.length];
            ZoneDirectory.BY_ORIGIN.put(origin, new LocalZone(origin, new String[] {"ns1." + origin, "ns2." + origin}, 2026010100 + i % 97, 300, now - DAY * (30 + rnd.nextInt(3000)), i % 4 == 0));
        }
        for (int i = 0; i < BLOCKED; i++) Blocklist.DOMAINS.add("bad-" + Integer.toString(i * 7919 + 13, 36) + "." + tlds[i % tlds.length]);
        CyclicBarrier warm = new CyclicBarrier(RESOLVERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RESOLVERS; w++) fs.add(svc.resolvers.submit(() -> { DnsService.DATAGRAM.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] upstreams = {"9.9.9.9", "1.1.1.1", "8.8.8.8"};
        String[] hot = new String[HOT];
        for (int i = 0; i < HOT; i++) hot[i] = "www.site" + i + "." + tlds[i % tlds.length];
        // Traffic: one-off names (each queried once, TTL 60-300 s) spread over the period up to 10
        // minutes before the dump, popular names looked up between them; the last minute resolves
        // 500 more one-off names with TTLs of 10-60 minutes (not expired at the dump).
        long tailEnd = now - 10 * MINUTE;
        long nextSweep = start + 10 * MINUTE;
        long queries = 0;
        for (int i = 0; i < tail + FRESH_TAIL; i++) {
            boolean fresh = i >= tail;
            long t = fresh ? now - MINUTE + MINUTE * (i - tail) / FRESH_TAIL : start + (tailEnd - start) * i / tail;
            if (fixed) svc.clock.tick(t); // the fixed service's ticker runs every second
            if (t >= nextSweep) { svc.cache.sweep(); nextSweep += 10 * MINUTE; }
            String name = fresh ? "edge-" + Integer.toString(i, 36) + ".cdn-assets.example" : "t" + Long.toString(0x5DEECE66DL * (i + 1) & 0xFFFFFFFFFFL, 36) + ".metrics.adtrk.example";
            if (svc.cache.lookup(name, t) == null) {
                int ttl = fresh ? 600 + rnd.nextInt(3000) : 60 + rnd.nextInt(241);
                svc.cache.store(new CachedRecord(name, 1, rdata(rnd), ttl, t, upstreams[rnd.nextInt(3)]));
            }
            svc.queryLog.append(t, name, 1, 0, "10.1." + rnd.nextInt(256) + "." + rnd.nextInt(256), 200 + rnd.nextInt(20_000));
            queries++;
            for (int k = 0; k < 4; k++) {
                String h = hot[(i * 4 + k) % HOT];
                if (svc.cache.lookup(h, t) == null) svc.cache.store(new CachedRecord(h, 1, rdata(rnd), 300, t, upstreams[rnd.nextInt(3)]));
                svc.queryLog.append(t, h, 1, 0, "10.2." + rnd.nextInt(256) + "." + rnd.nextInt(256), 100 + rnd.nextInt(2_000));
                queries++;
            }
        }
        // the hot names keep being asked for up to the dump
        for (int k = 0; k < HOT; k++) {
            long t = now - MINUTE + MINUTE * k / HOT;
            if (fixed) svc.clock.tick(t);
            if (svc.cache.lookup(hot[k], t) == null) svc.cache.store(new CachedRecord(hot[k], 1, rdata(rnd), 300, t, upstreams[rnd.nextInt(3)]));
            svc.queryLog.append(t, hot[k], 1, 0, "10.2." + rnd.nextInt(256) + "." + rnd.nextInt(256), 100 + rnd.nextInt(2_000));
            queries++;
        }
        if (fixed) svc.clock.tick(now);
        svc.cache.sweep(); // the last periodic sweep before the dump
        int oneOffExpired = 0, oneOffLive = 0, hotIn = 0;
        long dumpHorizon = now + 2 * MINUTE; // the dump follows within seconds
        for (CachedRecord r : svc.cache.entries.values()) {
            if (r.name.startsWith("www.site")) hotIn++;
            else if (r.expiresAt < now) oneOffExpired++;
            else if (r.expiresAt > dumpHorizon) oneOffLive++;
        }
        int leaked = fixed ? 0 : tail;
        System.out.println("stage " + stage + " zones " + ZoneDirectory.BY_ORIGIN.size() + " blocked " + Blocklist.DOMAINS.size() + " cache " + svc.cache.entries.size()
                + " (one-off expired " + oneOffExpired + ", one-off live " + oneOffLive + ", popular " + hotIn + ") hits " + svc.cache.hits + " misses " + svc.cache.misses
                + " swept " + svc.cache.expired + " queries " + queries + " ring " + svc.queryLog.written);
        check(ZoneDirectory.BY_ORIGIN.size() == ZONES && Blocklist.DOMAINS.size() == BLOCKED, "reference data");
        check(oneOffExpired == leaked && oneOffLive == FRESH_TAIL && hotIn == HOT && svc.cache.entries.size() == leaked + FRESH_TAIL + HOT, "cache");
        check(svc.queryLog.written == queries && queries > QUERY_RING && svc.resolvers.getPoolSize() == RESOLVERS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
