// hprofscan-dump: name=val86-healthy-channelmanager-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val86-healthy-channelmanager-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val86-healthy-channelmanager jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val86-healthy-channelmanager-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 86 (written blind), HEALTHY: a hotel channel manager that pushes rates and
 * availability to each hotel's booking-engine API at a tenant-specific host
 * ({@code tenant-<id>.api.example.com}). Market reference data, the rate-plan directory, the
 * booking-engine HTTP client with one connection pool per hotel host (idle pools closed and dropped
 * after 5 minutes), a background executor (one worker thread, {@code ari-recalc-1}, with a
 * per-thread scratch buffer) recalculating rate grids whose futures are listed on a status page
 * that keeps the last 50, a recent-errors list trimmed to 50 after every single or batch add (each
 * entry with its exception's stack trace), a hand-written LRU of rendered rate grids (a HashMap of
 * nodes in an intrusive doubly linked recency list, capacity 2,000) and a ring of the last 32,768
 * pushes. Warms up over the first hour(s), then plateaus. See VALIDATION86.md.
 */
public final class Val86HealthyChannelManager {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_LIMIT = 5 * MINUTE;
    static final int MARKETS = 1_300, PLANS = 25_000, GRID_CAP = 2_000, RING = 32_768, STATUS_CAP = 50, MAX_RECENT = 50, HOTELS_PER_HOUR = 100;

    record Market(String code, String country, double[] demandIndex) {}
    record RatePlan(String code, String hotelHost, String roomType, byte[] rules, long createdAt) {}
    record PushEvent(String host, String planCode, int status, long at) {}
    record RecalcReport(long jobId, String planCode, String summary, byte[] grid, long at) {}
    record ErrorRecord(long at, String host, String planCode, String fingerprint, Throwable error) {}

    static final class PartnerRejectedException extends Exception {
        final String host; final int status;
        PartnerRejectedException(String message, String host, int status) { super(message); this.host = host; this.status = status; }
    }

    static final class PooledConnection {
        final long id; final String host; final byte[] readBuffer = new byte[2_048], writeBuffer = new byte[1_024]; final long openedAt; long lastUsedAt; int requests;
        PooledConnection(long id, String host, long openedAt) { this.id = id; this.host = host; this.openedAt = openedAt; }
    }

    static final class HostPool {
        final String host; final ArrayDeque<PooledConnection> idle = new ArrayDeque<>(); final long createdAt; long lastUsedAt; int opened;
        HostPool(String host, long createdAt) { this.host = host; this.createdAt = createdAt; }
        PooledConnection lease(long id, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) { c = new PooledConnection(id, host, at); opened++; }
            c.lastUsedAt = at; c.requests++; lastUsedAt = at;
            return c;
        }
        void release(PooledConnection c) { idle.addFirst(c); }
        void close() { idle.clear(); }
    }

    static final class BookingEngineClient {
        final Map<String, HostPool> pools = new HashMap<>();
        long connectionIds, poolsCreated, poolsClosed;
        HostPool poolFor(String host, long at) {
            HostPool p = pools.get(host);
            if (p == null) { p = new HostPool(host, at); pools.put(host, p); poolsCreated++; }
            return p;
        }
        void reapIdle(long now) {
            for (Iterator<HostPool> it = pools.values().iterator(); it.hasNext(); ) {
                HostPool p = it.next();
                if (now - p.lastUsedAt > IDLE_LIMIT) { p.close(); it.remove(); poolsClosed++; }
            }
        }
    }

    /** Hand-written LRU: a HashMap of nodes linked in recency order (head = most recent). */
    static final class GridCache {
        static final class Node { final String key; byte[] grid; long at; Node prev, next; Node(String key, byte[] grid, long at) { this.key = key; this.grid = grid; this.at = at; } }
        final Map<String, Node> map = new HashMap<>();
        Node head, tail;
        final int capacity;
        long hits, misses, evicted;
        GridCache(int capacity) { this.capacity = capacity; }
        private void unlink(Node n) {
            if (n.prev != null) n.prev.next = n.next; else head = n.next;
            if (n.next != null) n.next.prev = n.prev; else tail = n.prev;
            n.prev = n.next = null;
        }
        private void pushFront(Node n) { n.next = head; if (head != null) head.prev = n; head = n; if (tail == null) tail = n; }
        byte[] get(String key) {
            Node n = map.get(key);
            if (n == null) { misses++; return null; }
            hits++; unlink(n); pushFront(n);
            return n.grid;
        }
        void put(String key, byte[] grid, long at) {
            Node n = new Node(key, grid, at);
            map.put(key, n); pushFront(n);
            if (map.size() > capacity) { Node eldest = tail; unlink(eldest); map.remove(eldest.key); evicted++; }
        }
        int linked() { int k = 0; for (Node n = head; n != null; n = n.next) k++; return k; }
    }

    /** Recent errors for the operations page: trimmed to MAX_RECENT after every add. */
    static final class RecentErrors {
        final List<ErrorRecord> recent = new ArrayList<>();
        long recorded, trimmed;
        void add(ErrorRecord e) { recent.add(e); recorded++; trim(); }
        void addAll(List<ErrorRecord> batch) { recent.addAll(batch); recorded += batch.size(); trim(); }
        void trim() { while (recent.size() > MAX_RECENT) { recent.remove(0); trimmed++; } }
    }

    static final ThreadLocal<byte[]> RECALC_SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
    static final Map<String, Market> MARKETS_BY_CODE = new HashMap<>();

    static final class ChannelManager {
        final Map<String, RatePlan> plans = new HashMap<>();
        final BookingEngineClient client = new BookingEngineClient();
        final ExecutorService recalc = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "ari-recalc-1"); t.setDaemon(true); return t; });
        final ArrayDeque<Future<RecalcReport>> statusJobs = new ArrayDeque<>();
        long jobIds, jobsPruned;
        final RecentErrors errors = new RecentErrors();
        final GridCache grids = new GridCache(GRID_CAP);
        final PushEvent[] pushLog = new PushEvent[RING];
        long pushes;

        Future<RecalcReport> submitRecalc(String planCode, long at) {
            long jobId = 7_700_000L + jobIds++;
            Future<RecalcReport> f = recalc.submit(() -> recalculate(jobId, planCode, at));
            statusJobs.addLast(f);
            while (statusJobs.size() > STATUS_CAP && statusJobs.peekFirst().isDone()) { statusJobs.removeFirst(); jobsPruned++; }
            return f;
        }

        static RecalcReport recalculate(long jobId, String planCode, long at) {
            Random r = new Random(jobId);
            byte[] scratch = RECALC_SCRATCH.get();
            byte[] grid = new byte[200 + r.nextInt(200)];
            for (int i = 0; i < grid.length; i++) scratch[i] = (byte) (i + jobId);
            System.arraycopy(scratch, 0, grid, 0, grid.length);
            return new RecalcReport(jobId, planCode, "recalc " + planCode + " " + grid.length, grid, at + 1_500);
        }

        ErrorRecord errorRecord(long at, String planCode, PartnerRejectedException e) {
            StackTraceElement[] st = e.getStackTrace();
            return new ErrorRecord(at, e.host, planCode, st[0].getMethodName() + "@" + st.length, e);
        }

        void send(PooledConnection c, String planCode, int status, long at) throws PartnerRejectedException {
            c.writeBuffer[(int) (pushes % c.writeBuffer.length)] = (byte) status;
            pushLog[(int) (pushes++ % RING)] = new PushEvent(c.host, planCode, status, at);
            if (status != 200) throw new PartnerRejectedException("HTTP " + status + " from " + c.host + " for " + planCode, c.host, status);
        }
    }

    static ChannelManager SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int hotels = HOTELS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(86_050_001);
        for (int m = 0; m < MARKETS; m++) {
            double[] idx = new double[64];
            for (int k = 0; k < idx.length; k++) idx[k] = rnd.nextDouble() * 3;
            String code = "MKT-" + (700 + m);
            MARKETS_BY_CODE.put(code, new Market(code, "C" + (m % 60), idx));
        }
        ChannelManager svc = new ChannelManager();
        SERVICE = svc;
        String[] planCodes = new String[PLANS];
        String[] roomTypes = {"STD", "DBL", "TWN", "STE", "FAM"};
        for (int p = 0; p < PLANS; p++) {
            planCodes[p] = "RP" + (9_000_000 + p * 3);
            svc.plans.put(planCodes[p], new RatePlan(planCodes[p], "tenant-" + (1_000 + (p % 800) * 7) + ".api.example.com", roomTypes[p % roomTypes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        Random sched = new Random(86_050_002);
        String[] hosts = new String[hotels];
        long[] from = new long[hotels], until = new long[hotels];
        for (int h = 0; h < hotels; h++) {
            hosts[h] = "tenant-" + (1_000 + h * 7) + ".api.example.com";
            from[h] = start + h * (HOUR / HOTELS_PER_HOUR);
            until[h] = from[h] + (20 + sched.nextInt(21)) * MINUTE;
        }
        Random traffic = new Random(86_050_003);
        int minutes = hours * 60;
        List<Future<RecalcReport>> pending = new ArrayList<>();
        int maxPools = 0, maxErrors = 0, uploads = 0;
        long recalcBytes = 0;
        for (int m = 0; m < minutes; m++) {
            long tm = start + m * MINUTE;
            for (int h = 0; h < hotels && from[h] < tm + MINUTE; h++) {
                if (until[h] <= tm) continue;
                int batches = 2 + traffic.nextInt(4);
                for (int b = 0; b < batches; b++) {
                    long at = Math.max(tm + b * 11_000L + traffic.nextInt(5_000), from[h]);
                    int r = traffic.nextInt(10);
                    int concurrent = r < 6 ? 1 : r < 9 ? 2 : 3;
                    HostPool pool = svc.client.poolFor(hosts[h], at);
                    PooledConnection[] leased = new PooledConnection[concurrent];
                    for (int c = 0; c < concurrent; c++) {
                        leased[c] = pool.lease(svc.client.connectionIds++, at);
                        String plan = planCodes[traffic.nextInt(PLANS)];
                        String key = "grid-" + planCodes[traffic.nextInt(3_000)] + "-" + (1 + traffic.nextInt(2));
                        if (svc.grids.get(key) == null) svc.grids.put(key, new byte[400 + traffic.nextInt(400)], at);
                        int status = traffic.nextInt(150) == 0 ? 422 : 200;
                        try {
                            svc.send(leased[c], plan, status, at);
                        } catch (PartnerRejectedException e) {
                            svc.errors.add(svc.errorRecord(at, plan, e));
                        }
                    }
                    for (int c = concurrent - 1; c >= 0; c--) pool.release(leased[c]);
                }
            }
            // bulk availability upload every 15 minutes: its rejected rows are recorded as one batch
            if (m % 15 == 14) {
                uploads++;
                List<ErrorRecord> failed = new ArrayList<>();
                HostPool pool = svc.client.poolFor(hosts[Math.min(hotels - 1, (int) ((tm - start) / (HOUR / HOTELS_PER_HOUR)))], tm + 30_000);
                PooledConnection c = pool.lease(svc.client.connectionIds++, tm + 30_000);
                for (int row = 0; row < 400; row++) {
                    String plan = planCodes[traffic.nextInt(PLANS)];
                    try {
                        svc.send(c, plan, traffic.nextInt(50) == 0 ? 409 : 200, tm + 30_000);
                    } catch (PartnerRejectedException e) {
                        failed.add(svc.errorRecord(tm + 30_000, plan, e));
                    }
                }
                pool.release(c);
                if (!failed.isEmpty()) svc.errors.addAll(failed);
            }
            for (int j = 0; j < 4; j++) pending.add(svc.submitRecalc(planCodes[traffic.nextInt(PLANS)], tm + j * 15_000L));
            for (Future<RecalcReport> f : pending) recalcBytes += f.get().grid().length; // the minute's recalculations are awaited
            pending.clear();
            svc.client.reapIdle(tm + MINUTE);
            maxPools = Math.max(maxPools, svc.client.pools.size());
            maxErrors = Math.max(maxErrors, svc.errors.recent.size());
        }
        BookingEngineClient cl = svc.client;
        int conns = 0;
        for (HostPool p : cl.pools.values()) conns += p.idle.size();
        int done = 0;
        for (Future<RecalcReport> f : svc.statusJobs) if (f.isDone()) done++;
        System.out.println("stage " + stage + " markets " + MARKETS_BY_CODE.size() + " plans " + svc.plans.size() + " hotels " + hotels + " pools " + cl.pools.size() + " (created " + cl.poolsCreated + ", closed " + cl.poolsClosed
                + ", max " + maxPools + ") idle connections " + conns + " jobs " + svc.jobIds + " status " + svc.statusJobs.size() + " (done " + done + ", pruned " + svc.jobsPruned + ") errors " + svc.errors.recorded
                + " kept " + svc.errors.recent.size() + " (max " + maxErrors + ", uploads " + uploads + ") grids " + svc.grids.map.size() + " (linked " + svc.grids.linked() + ", hits " + svc.grids.hits + ", evicted " + svc.grids.evicted
                + ") pushes " + svc.pushes + " recalc bytes " + recalcBytes);
        check(MARKETS_BY_CODE.size() == MARKETS && svc.plans.size() == PLANS, "reference data / directory");
        check(cl.poolsCreated >= hotels && cl.pools.size() == cl.poolsCreated - cl.poolsClosed && cl.pools.size() < 100, "pools reaped: " + cl.pools.size());
        for (HostPool p : cl.pools.values()) check(end - p.lastUsedAt <= IDLE_LIMIT + MINUTE, "only recently used pools");
        check(svc.jobIds == 4L * minutes && svc.statusJobs.size() == STATUS_CAP && done == STATUS_CAP, "status jobs bounded");
        check(svc.errors.recent.size() == MAX_RECENT && maxErrors == MAX_RECENT && svc.errors.recorded > MAX_RECENT, "recent errors trimmed");
        check(svc.grids.map.size() == GRID_CAP && svc.grids.linked() == GRID_CAP && svc.grids.evicted > 0, "grid cache at cap");
        check(stage == 1 ? svc.pushes < RING : svc.pushes > RING && svc.pushLog[RING - 1] != null, "push ring: " + svc.pushes);
        LeakCheck.histogram("java.util.concurrent.FutureTask", "java.lang.StackTraceElement");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
