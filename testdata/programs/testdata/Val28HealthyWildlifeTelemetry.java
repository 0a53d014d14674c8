// hprofscan-dump: name=val28-healthy-wildlifetelemetry-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val28-healthy-wildlifetelemetry-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val28-healthy-wildlifetelemetry jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val28-healthy-wildlifetelemetry-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 28 (written blind), HEALTHY: the telemetry platform of a wildlife-tracking
 * project. Species reference data, the GPS-collar directory, per-partition consumer state of the
 * collar-fix stream (closed and removed on revoke: only the owned partitions' state), a registry of
 * scroll cursors for researchers' paged queries (idle cursors swept after 5 minutes), a per-API-key
 * token-bucket limiter whose idle buckets are evicted after 10 minutes, a map-tile cache at its
 * cap, a pool of fix-decoding buffers and a ring of recent fixes. Series: 1 h / 4 h / 8 h; the
 * ring fills in stage 2, everything else is at its working size from stage 1. See VALIDATION28.md.
 */
public final class Val28HealthyWildlifeTelemetry {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPECIES = 1_000, COLLARS = 25_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, PARTITIONS = 24, OWN = 12, WINDOW_SLOTS = 360, DEDUP = 1_024, PAGE = 20, KEYS_ACTIVE = 400;
    static final long REBALANCE_EVERY = 10 * MINUTE, CURSOR_IDLE = 5 * MINUTE, BUCKET_IDLE = 10 * MINUTE;

    record Species(String code, String latinName, String status, double[] homeRangeModel) {}
    record Collar(String id, String species, String animalName, byte[] calibration, long deployedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Fix(String collarId, long seq, double lat, double lon, float hdop, long at) {}
    record PartitionKey(String topic, int partition) {}
    record Hit(String collarId, long seq, byte[] summary) {}

    static final class PartitionState {
        final PartitionKey key; final int generation; final long openedAt;
        long position, committedOffset; boolean closed;
        final double[] window = new double[WINDOW_SLOTS];
        final long[] dedupRing = new long[DEDUP];
        int dedupPos;
        PartitionState(PartitionKey key, int generation, long openedAt) { this.key = key; this.generation = generation; this.openedAt = openedAt; }
        void apply(Fix f) { for (long v : dedupRing) if (v == f.seq()) return; dedupRing[dedupPos++ % DEDUP] = f.seq(); window[(int) (f.at() / 10_000 % WINDOW_SLOTS)] += f.hdop(); position++; }
        void close() { closed = true; }
    }

    static final class StreamConsumer {
        final Map<PartitionKey, PartitionState> states = new HashMap<>();
        int generation; long revoked;
        void onPartitionsRevoked() {
            for (Iterator<PartitionState> it = states.values().iterator(); it.hasNext();) { PartitionState s = it.next(); s.committedOffset = s.position; s.close(); it.remove(); revoked++; }
        }
        void onPartitionsAssigned(Random r, long at) {
            generation++;
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) all.add(p);
            for (int k = 0; k < OWN; k++) { PartitionKey key = new PartitionKey("collar-fixes", all.remove(r.nextInt(all.size()))); states.put(key, new PartitionState(key, generation, at)); }
        }
    }

    static final class ScrollContext {
        final String cursorId; final String apiKey; final String query; final Object[] sortAfter; final int totalPages;
        List<Hit> page; int pagesServed; long lastAccess;
        ScrollContext(String cursorId, String apiKey, String query, Object[] sortAfter, int totalPages, List<Hit> page, long at) { this.cursorId = cursorId; this.apiKey = apiKey; this.query = query; this.sortAfter = sortAfter; this.totalPages = totalPages; this.page = page; this.pagesServed = 1; this.lastAccess = at; }
    }

    static final class CursorRegistry {
        final Map<String, ScrollContext> open = new HashMap<>();
        long opened, completed, swept;
        void next(String id, List<Hit> page, long at) { ScrollContext c = open.get(id); c.page = page; c.pagesServed++; c.lastAccess = at; if (c.pagesServed == c.totalPages) { open.remove(id); completed++; } }
        void sweepIdle(long now) { for (Iterator<ScrollContext> it = open.values().iterator(); it.hasNext();) if (it.next().lastAccess < now - CURSOR_IDLE) { it.remove(); swept++; } }
    }

    static final class TokenBucket {
        final String apiKey; final int capacity; final double refillPerMs; double tokens; long lastRefill; int rejected;
        TokenBucket(String apiKey, int capacity, double refillPerMs, long at) { this.apiKey = apiKey; this.capacity = capacity; this.refillPerMs = refillPerMs; this.tokens = capacity; this.lastRefill = at; }
    }

    static final class RateLimiter {
        final Map<String, TokenBucket> buckets = new HashMap<>();
        long created, evicted;
        boolean allow(String key, long at) {
            TokenBucket b = buckets.computeIfAbsent(key, k -> { created++; return new TokenBucket(k, 30, 5.0 / SECOND, at); });
            b.tokens = Math.min(b.capacity, b.tokens + (at - b.lastRefill) * b.refillPerMs); b.lastRefill = at;
            if (b.tokens >= 1) { b.tokens--; return true; }
            b.rejected++; return false;
        }
        void evictIdle(long now) { for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext();) if (it.next().lastRefill < now - BUCKET_IDLE) { it.remove(); evicted++; } }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class TelemetryService {
        final Map<String, Collar> collars = new HashMap<>();
        final StreamConsumer consumer = new StreamConsumer();
        final CursorRegistry cursors = new CursorRegistry();
        final RateLimiter limiter = new RateLimiter();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> fixBuffers = new ArrayDeque<>();
        final Fix[] fixes = new Fix[RING];
        long fixCount;
    }

    static TelemetryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static List<Hit> page(Random r, String[] collarIds) {
        List<Hit> hits = new ArrayList<>(PAGE);
        for (int h = 0; h < PAGE; h++) hits.add(new Hit(collarIds[r.nextInt(collarIds.length)], r.nextInt(1_000_000), new byte[40 + r.nextInt(40)]));
        return hits;
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int fixesTotal = 12_000 * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(28_050_001);
        String[] speciesCodes = new String[SPECIES];
        String[] status = {"LC", "NT", "VU", "EN", "CR"};
        for (int s = 0; s < SPECIES; s++) {
            double[] model = new double[120];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextDouble() * 50;
            String code = "SP-" + (4_000 + s);
            speciesCodes[s] = code;
            SPECIES_BY_CODE.put(code, new Species(code, "Species latinus " + s, status[s % status.length], model));
        }
        TelemetryService svc = new TelemetryService();
        SERVICE = svc;
        String[] collarIds = new String[COLLARS];
        for (int c = 0; c < COLLARS; c++) {
            String id = "COL" + (2_000_000 + c);
            collarIds[c] = id;
            svc.collars.put(id, new Collar(id, speciesCodes[rnd.nextInt(SPECIES)], "Animal " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.fixBuffers.add(new byte[32_768]);
        Random groups = new Random(28_050_003);
        Random traffic = new Random(28_050_002);
        Random api = new Random(28_050_004);
        svc.consumer.onPartitionsAssigned(groups, start);
        String[] activeKeys = new String[KEYS_ACTIVE];
        for (int a = 0; a < KEYS_ACTIVE; a++) activeKeys[a] = "key-" + Long.toHexString(api.nextLong());
        long nextRebalance = start + REBALANCE_EVERY, nextSweep = start + MINUTE;
        int rebalances = 0;
        List<PartitionState> owned = new ArrayList<>(svc.consumer.states.values());
        for (int i = 0; i < fixesTotal; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / fixesTotal;
            while (nextRebalance <= t) { svc.consumer.onPartitionsRevoked(); svc.consumer.onPartitionsAssigned(groups, nextRebalance); owned = new ArrayList<>(svc.consumer.states.values()); nextRebalance += REBALANCE_EVERY; rebalances++; }
            while (nextSweep <= t) { svc.cursors.sweepIdle(nextSweep); svc.limiter.evictIdle(nextSweep); nextSweep += MINUTE; }
            int c = traffic.nextInt(COLLARS);
            Fix f = new Fix(collarIds[c], 3_000_000_000L + i, -20 + traffic.nextDouble() * 40, 10 + traffic.nextDouble() * 40, traffic.nextFloat() * 5, t);
            owned.get(traffic.nextInt(owned.size())).apply(f);
            byte[] buf = svc.fixBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.fixBuffers.add(buf);
            svc.fixes[(int) (svc.fixCount++ % RING)] = f;
            // researcher API: 1 call in 3 fixes
            if (i % 3 == 0) {
                int slot = api.nextInt(KEYS_ACTIVE);
                if (api.nextInt(50) == 0) activeKeys[slot] = "key-" + Long.toHexString(api.nextLong()); // occasional new key
                String key = activeKeys[slot];
                if (svc.limiter.allow(key, t)) {
                    if (api.nextInt(4) == 0) {
                        String cursorId = "cur-" + Long.toHexString(api.nextLong());
                        int totalPages = 2 + api.nextInt(5);
                        int read = api.nextInt(3) == 0 ? totalPages : 1 + api.nextInt(2);
                        if (read > totalPages) read = totalPages;
                        svc.cursors.open.put(cursorId, new ScrollContext(cursorId, key, "species:" + speciesCodes[api.nextInt(SPECIES)] + " bbox:" + api.nextInt(90), new Object[] {api.nextLong(), collarIds[api.nextInt(COLLARS)]}, totalPages, page(api, collarIds), t));
                        svc.cursors.opened++;
                        for (int p = 2; p <= read; p++) svc.cursors.next(cursorId, page(api, collarIds), t + (p - 1) * 5 * SECOND);
                    } else {
                        String tk = "z" + (8 + api.nextInt(6)) + "/" + api.nextInt(60) + "/" + api.nextInt(60);
                        if (svc.tiles.get(tk) == null) svc.tiles.put(tk, new Tile(tk, new byte[600 + api.nextInt(600)], t));
                    }
                }
            }
        }
        svc.cursors.sweepIdle(end);
        svc.limiter.evictIdle(end);
        CursorRegistry cr = svc.cursors;
        RateLimiter rl = svc.limiter;
        System.out.println("stage " + stage + " species " + SPECIES_BY_CODE.size() + " collars " + svc.collars.size() + " rebalances " + rebalances + " partition states " + svc.consumer.states.size() + " (revoked " + svc.consumer.revoked
                + ") cursors open " + cr.open.size() + " (opened " + cr.opened + " completed " + cr.completed + " swept " + cr.swept + ") buckets " + rl.buckets.size() + " (created " + rl.created + " evicted " + rl.evicted
                + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.fixBuffers.size() + " fixes " + svc.fixCount);
        check(SPECIES_BY_CODE.size() == SPECIES && svc.collars.size() == COLLARS, "reference data / directory");
        check(rebalances == hours * 6 - 1 && svc.consumer.states.size() == OWN && svc.consumer.revoked == (long) rebalances * OWN, "partition state of owned partitions only");
        check(cr.open.size() < 100 && cr.opened == cr.completed + cr.swept + cr.open.size(), "cursor registry swept: " + cr.open.size());
        check(rl.buckets.size() <= KEYS_ACTIVE && rl.buckets.size() > KEYS_ACTIVE / 2 && rl.created - rl.evicted == rl.buckets.size(), "limiter at the active key count: " + rl.buckets.size());
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.fixBuffers.size() == POOL, "pool");
        check(svc.fixCount == fixesTotal && (stage == 1 || svc.fixes[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
