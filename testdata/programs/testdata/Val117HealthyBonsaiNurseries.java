// hprofscan-dump: name=val117-healthy-bonsainurseries-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val117-healthy-bonsainurseries-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val117-healthy-bonsainurseries jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val117-healthy-bonsainurseries-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 117 (written blind), HEALTHY (growth series that warms up and plateaus): the web
 * shop and care service of a group of bonsai nurseries. Species (reference data), the tree
 * directory, a care-sheet cache at its cap, a photo cache that fills by stage 2, a pool of label
 * buffers, a ring of orders, a stock grid; and the bounded look-alikes of the set's leaks: a static
 * ThreadLocal scratch on 4 pricing lanes removed in a finally, a rate limiter per client IP that
 * evicts idle buckets, statement caches with bind parameters over a fixed set of queries (LRU,
 * capped) and a dispatch work queue whose 2 consumers keep up (a backlog of ~2 minutes).
 * See VALIDATION117.md.
 */
public final class Val117HealthyBonsaiNurseries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SPECIES = 1_000, TREES = 22_000, SHEET_CAP = 2_000, PHOTO_CAP = 1_200, POOL = 8, RING = 2_048, LANES = 4, CONNECTIONS = 4, STMT_CAP = 64, REQUESTS_PER_HOUR = 3_960;

    record Species(String code, String latinName, double[] wateringByWeek) {}
    record Tree(String tagId, String speciesCode, String style, int ageYears, byte[] careLog, long acquiredAt) {}
    record CareSheet(String key, byte[] rendered, long at) {}
    record Photo(String key, byte[] jpeg, long at) {}
    record Order(String orderId, String tagId, long pricePence, long at) {}
    record DispatchJob(String orderId, String tagId, byte[] packingSlip, long at) {}

    /** Per-thread scratch of the pricing lanes (reused by every request of the thread, removed after each). */
    static final class PriceScratch { final double[] factors = new double[32]; final StringBuilder note = new StringBuilder(64); }
    static final ThreadLocal<PriceScratch> SCRATCH = ThreadLocal.withInitial(PriceScratch::new);
    static final AtomicLong SCRATCH_GETS = new AtomicLong(), SCRATCH_REMOVES = new AtomicLong();

    static final class Bucket { double tokens; long lastSeenAt; Bucket(double tokens, long t) { this.tokens = tokens; this.lastSeenAt = t; } }

    static final class RateLimiter {
        final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        long created, evicted;
        boolean allow(String ip, long t) {
            Bucket b = buckets.get(ip);
            if (b == null) { b = new Bucket(30, t); buckets.put(ip, b); created++; }
            b.tokens = Math.min(30, b.tokens + (t - b.lastSeenAt) * 20.0 / MINUTE);
            b.lastSeenAt = t;
            if (b.tokens < 1) return false;
            b.tokens -= 1;
            return true;
        }
        void evictIdle(long t) {
            var it = buckets.values().iterator();
            while (it.hasNext()) if (it.next().lastSeenAt < t - 10 * MINUTE) { it.remove(); evicted++; }
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Object[]> {
        StatementCache() { super(128, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Object[]> e) { return size() > STMT_CAP; }
    }

    static final class Connection {
        final StatementCache statements = new StatementCache();
        final byte[] socketBuffer = new byte[16_384];
        long executions;
        void execute(String sql, long t) {
            if (statements.get(sql) == null) statements.put(sql, new Object[] {sql, new byte[60 + sql.length() % 60], t});
            socketBuffer[(int) (executions++ % socketBuffer.length)]++;
        }
    }

    static final String[] SQL = {
        "SELECT tag_id, species, style, age_years FROM tree WHERE tag_id = ?",
        "SELECT code, latin_name FROM species WHERE code = ?",
        "SELECT price_pence FROM price WHERE tag_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
        "INSERT INTO orders (id, tag_id, customer_ip, price_pence, placed_at) VALUES (?, ?, ?, ?, ?)",
        "UPDATE tree SET reserved_until = ? WHERE tag_id = ?",
        "SELECT tag_id FROM tree WHERE species = ? AND style = ? AND reserved_until < ? LIMIT 24",
        "INSERT INTO care_event (tag_id, kind, at) VALUES (?, ?, ?)",
        "SELECT at, kind FROM care_event WHERE tag_id = ? ORDER BY at DESC LIMIT 20",
        "UPDATE orders SET dispatched_at = ? WHERE id = ?",
        "SELECT COUNT(*) FROM orders WHERE placed_at >= ?",
    };

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(2 * cap, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    /** Dispatch: packing jobs go to 2 packers through an executor; each packer has its own pace (simulated). */
    static final class DispatchDesk {
        final ThreadPoolExecutor packers = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r, "dispatch-packer"); t.setDaemon(true); return t; });
        final Semaphore packingTime = new Semaphore(0);
        final AtomicLong submitted = new AtomicLong(), packed = new AtomicLong(), slipBytes = new AtomicLong();
        final long[] perMinute = new long[8 * 60 + 2];
        long permits;
        DispatchDesk() { packers.prestartAllCoreThreads(); }
        void submit(DispatchJob job, int minute) {
            submitted.incrementAndGet(); perMinute[minute]++;
            packers.execute(() -> { packingTime.acquireUninterruptibly(); slipBytes.addAndGet(job.packingSlip().length); packed.incrementAndGet(); });
        }
        /** At the end of minute m the packers have packed everything submitted up to minute m - 2. */
        void tick(int minute) {
            if (minute >= 2) { permits += perMinute[minute - 2]; packingTime.release((int) perMinute[minute - 2]); }
            while (packed.get() < permits) LockSupport.parkNanos(20_000);
        }
        int waitQuiet() {
            long open = submitted.get() - packed.get();
            long expected = open - Math.min(2, open);
            while (packers.getQueue().size() != expected) LockSupport.parkNanos(200_000);
            return (int) expected;
        }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class NurseryService {
        final Map<String, Tree> trees = new HashMap<>();
        final String[] tagIds = new String[TREES];
        final Lru<CareSheet> careSheets = new Lru<>(SHEET_CAP);
        final Lru<Photo> photos = new Lru<>(PHOTO_CAP);
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] orders = new Order[RING];
        final double[] stockGrid = new double[300_000];
        final RateLimiter limiter = new RateLimiter();
        final Connection[] connections = new Connection[CONNECTIONS];
        final ExecutorService[] lanes = new ExecutorService[LANES];
        final DispatchDesk dispatch = new DispatchDesk();
        long requests, ordersPlaced, limited;

        NurseryService() {
            for (int c = 0; c < CONNECTIONS; c++) connections[c] = new Connection();
            for (int l = 0; l < LANES; l++) { String name = "pricing-lane-" + l; lanes[l] = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; }); }
        }

        /** Runs on a pricing lane. */
        static long price(Tree tree, Species sp, int week) {
            PriceScratch s = SCRATCH.get();
            SCRATCH_GETS.incrementAndGet();
            try {
                for (int k = 0; k < s.factors.length; k++) s.factors[k] = sp.wateringByWeek()[(week + k) % 52] * (1 + tree.ageYears() / 40.0);
                s.note.setLength(0);
                s.note.append(tree.style()).append(' ').append(tree.ageYears()).append("y");
                double sum = 0;
                for (double f : s.factors) sum += f;
                return 2_500 + (long) (sum * 31) + s.note.length();
            } finally {
                SCRATCH.remove();
                SCRATCH_REMOVES.incrementAndGet();
            }
        }
    }

    static NurseryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String clientIp(Random r) { return (81 + r.nextInt(6)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(117_050_001);
        NurseryService svc = new NurseryService();
        SERVICE = svc;
        String[] codes = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) {
            double[] w = new double[52];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble() * 3;
            codes[s] = "SP-" + (500 + s);
            SPECIES_BY_CODE.put(codes[s], new Species(codes[s], "Species " + s, w));
        }
        String[] styles = {"chokkan", "moyogi", "shakan", "kengai", "han-kengai", "bunjingi", "hokidachi", "ishitsuki"};
        for (int i = 0; i < TREES; i++) {
            svc.tagIds[i] = "BT" + (120_000 + i * 5);
            svc.trees.put(svc.tagIds[i], new Tree(svc.tagIds[i], codes[rnd.nextInt(SPECIES)], styles[rnd.nextInt(styles.length)], 3 + rnd.nextInt(80), new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(4_000)) * DAY));
        }
        for (int k = 0; k < svc.stockGrid.length; k++) svc.stockGrid[k] = rnd.nextInt(50);
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(117_050_002);
        String[] regulars = new String[400];
        for (int k = 0; k < regulars.length; k++) regulars[k] = clientIp(traffic);
        int perMinute = REQUESTS_PER_HOUR / 60;
        List<Future<Long>> pending = new ArrayList<>();
        List<Object[]> meta = new ArrayList<>();
        for (int m = 0; m < hours * 60; m++) {
            long t0 = start + m * MINUTE;
            for (int q = 0; q < perMinute; q++) {
                long t = t0 + q * MINUTE / perMinute;
                svc.requests++;
                String ip = traffic.nextInt(3) == 0 ? clientIp(traffic) : regulars[traffic.nextInt(regulars.length)];
                if (!svc.limiter.allow(ip, t)) { svc.limited++; continue; }
                Connection c = svc.connections[(int) (svc.requests % CONNECTIONS)];
                String tag = svc.tagIds[traffic.nextInt(TREES)];
                Tree tree = svc.trees.get(tag);
                c.execute(SQL[0], t); c.execute(SQL[1], t);
                String sheetKey = tree.speciesCode() + "/" + tree.style();
                if (svc.careSheets.get(sheetKey) == null) svc.careSheets.put(sheetKey, new CareSheet(sheetKey, new byte[400 + traffic.nextInt(400)], t));
                String photoKey = "photo-" + traffic.nextInt(2_000);
                if (traffic.nextInt(8) == 0 && svc.photos.get(photoKey) == null) svc.photos.put(photoKey, new Photo(photoKey, new byte[1_500 + traffic.nextInt(1_000)], t));
                c.execute(SQL[5 + traffic.nextInt(5)], t);
                if (traffic.nextInt(5) == 0) {
                    c.execute(SQL[2], t); c.execute(SQL[3], t); c.execute(SQL[4], t);
                    Species sp = SPECIES_BY_CODE.get(tree.speciesCode());
                    int week = traffic.nextInt(52);
                    pending.add(svc.lanes[Math.floorMod(tag.hashCode(), LANES)].submit(() -> NurseryService.price(tree, sp, week)));
                    meta.add(new Object[] {tag, t, m, 200 + traffic.nextInt(200)});
                }
            }
            flush(svc, pending, meta);
            svc.limiter.evictIdle(t0 + MINUTE);
            svc.dispatch.tick(m);
        }
    }

    static void flush(NurseryService svc, List<Future<Long>> pending, List<Object[]> meta) throws Exception {
        for (int k = 0; k < pending.size(); k++) {
            Object[] x = meta.get(k);
            long price = pending.get(k).get();
            String id = "BO-" + (700_000 + svc.ordersPlaced);
            svc.orders[(int) (svc.ordersPlaced++ % RING)] = new Order(id, (String) x[0], price, (Long) x[1]);
            byte[] buf = svc.labelBuffers.poll();
            buf[(int) (price % buf.length)]++;
            svc.labelBuffers.add(buf);
            svc.dispatch.submit(new DispatchJob(id, (String) x[0], new byte[(Integer) x[3]], (Long) x[1]), (Integer) x[2]);
        }
        pending.clear();
        meta.clear();
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        NurseryService svc = SERVICE;
        int queued = svc.dispatch.waitQuiet();
        int statements = 0;
        for (Connection c : svc.connections) statements += c.statements.size();
        System.out.println("stage " + stage + " species " + SPECIES_BY_CODE.size() + " trees " + svc.trees.size() + " requests " + svc.requests + " limited " + svc.limited + " orders " + svc.ordersPlaced
                + " buckets " + svc.limiter.buckets.size() + " (created " + svc.limiter.created + ", evicted " + svc.limiter.evicted + ") statements " + statements
                + " scratch gets " + SCRATCH_GETS.get() + " removes " + SCRATCH_REMOVES.get() + " dispatch submitted " + svc.dispatch.submitted.get() + " packed " + svc.dispatch.packed.get() + " queued " + queued
                + " care sheets " + svc.careSheets.size() + " (evicted " + svc.careSheets.evicted + ") photos " + svc.photos.size() + " (evicted " + svc.photos.evicted + ") pool " + svc.labelBuffers.size());
        check(SPECIES_BY_CODE.size() == SPECIES && svc.trees.size() == TREES, "reference data / directory");
        check(svc.requests == (long) hours * REQUESTS_PER_HOUR, "requests");
        check(SCRATCH_GETS.get() == svc.ordersPlaced && SCRATCH_REMOVES.get() == svc.ordersPlaced, "scratch removed");
        check(statements == CONNECTIONS * SQL.length, "statements " + statements);
        check(svc.dispatch.submitted.get() == svc.ordersPlaced && queued < 200, "dispatch backlog " + queued);
        check(svc.limiter.buckets.size() < 1_500, "buckets " + svc.limiter.buckets.size());
        check(svc.careSheets.size() == SHEET_CAP && svc.careSheets.evicted > 0, "care sheets at cap");
        check(stage == 1 || svc.photos.size() == PHOTO_CAP, "photos at cap from stage 2");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders[(int) Math.min(svc.ordersPlaced, RING) - 1] != null, "ring");
    }
}
