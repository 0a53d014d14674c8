// hprofscan-dump: name=val76-healthy-archeryranges jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val76-healthy-archeryranges-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 76 (written blind), HEALTHY: the lane-booking and scoring service of a chain of
 * archery ranges. Range reference data, the member directory, a cache of rendered scorecards at its
 * cap, a ring of lane bookings, a target-image buffer pool that tracks the buffers handed out
 * ('outstanding') and gets every one back (released in a finally block, also when scoring fails),
 * an asynchronous log appender with a bounded queue whose worker thread survives a failing event
 * (reported and skipped) and is drained at the dump, and a database connection pool recycled every
 * 10 minutes whose metrics keep live connections plus a bounded ring of closed-connection
 * summaries (closed connections themselves and their statement caches are dropped). See
 * VALIDATION76.md.
 */
public final class Val76HealthyArcheryRanges {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, MAX_LIFETIME = 10 * MINUTE;
    static final int RANGES = 1_000, MEMBERS = 26_000, CARD_CAP = 2_000, RING = 16_384, FREE_CAP = 12, IMAGE_BYTES = 32_768;
    static final int HOURS = 10, BOOKINGS_PER_MINUTE = 80, QUEUE_CAP = 4_096, TAIL = 1_024, CONNECTIONS = 8, QUERIES = 32, STMT_CAP = 48, CLOSED_KEPT = 256;

    record Range(String code, String town, double[] laneUsage) {}
    record Member(String memberNo, String club, byte[] scoreHistory, long joinedAt) {}
    record Scorecard(String key, byte[] rendered, long at) {}
    record LaneBooking(String memberNo, String rangeCode, int lane, long at, long until) {}
    record LogEvent(long seq, long at, String level, String logger, String message, Object detail) {}
    record PreparedStmt(String sql, byte[] plan, long preparedAt) {}
    record ClosedConnection(long id, long openedAt, long closedAt, long uses, int statements) {}

    /** Logged lazily; rendering fails for a target face that was re-scored meanwhile. */
    static final class TargetRef {
        final String lane; final boolean stale;
        TargetRef(String lane, boolean stale) { this.lane = lane; this.stale = stale; }
        @Override public String toString() { if (stale) throw new IllegalStateException("target " + lane + " was re-scored"); return lane; }
    }

    static final class AsyncAppender {
        final ArrayBlockingQueue<LogEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAP);
        final String[] tail = new String[TAIL];
        volatile long enqueued, written, formatErrors;
        Thread worker;
        void start() { worker = new Thread(this::drain, "log-appender"); worker.setDaemon(true); worker.start(); }
        void append(LogEvent e) throws InterruptedException { queue.put(e); enqueued++; } // blocks when full (back-pressure)
        private void drain() {
            try {
                while (true) {
                    LogEvent e = queue.take();
                    try {
                        String line = e.at() + " " + e.level() + " [" + e.logger() + "] " + e.message() + (e.detail() == null ? "" : " target=" + e.detail());
                        tail[(int) (written % TAIL)] = line;
                    } catch (RuntimeException ex) {
                        formatErrors++; // reported and skipped; the worker keeps draining
                    }
                    written++;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        void awaitIdle() { while (written < enqueued) LockSupport.parkNanos(50_000); }
    }

    static final class ImageBuffer {
        final int id; final ByteBuffer data = ByteBuffer.allocate(IMAGE_BYTES); String owner;
        ImageBuffer(int id) { this.id = id; }
    }

    static final class ImagePool {
        final ArrayDeque<ImageBuffer> free = new ArrayDeque<>();
        final Set<ImageBuffer> outstanding = new HashSet<>();
        long allocated, acquired, released;
        ImageBuffer acquire(String owner) {
            ImageBuffer b = free.poll();
            if (b == null) b = new ImageBuffer((int) allocated++);
            b.owner = owner; b.data.clear(); outstanding.add(b); acquired++;
            return b;
        }
        void release(ImageBuffer b) { outstanding.remove(b); released++; b.owner = null; if (free.size() < FREE_CAP) free.add(b); }
    }

    static final class StatementCache extends LinkedHashMap<String, PreparedStmt> {
        StatementCache() { super(16, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStmt> e) { return size() > STMT_CAP; }
    }

    static final class DbConnection {
        final long id, openedAt; long uses; final StatementCache statements = new StatementCache();
        DbConnection(long id, long openedAt) { this.id = id; this.openedAt = openedAt; }
    }

    static final class ConnectionPool {
        final DbConnection[] slots = new DbConnection[CONNECTIONS];
        final List<DbConnection> live = new ArrayList<>();
        final ArrayDeque<ClosedConnection> recentlyClosed = new ArrayDeque<>(); // metrics: last 256 closed, as summaries
        long nextId = 1, opened, closed;
        DbConnection open(long at) { DbConnection c = new DbConnection(nextId++, at); live.add(c); opened++; return c; }
        DbConnection borrow(int slot, long at) {
            DbConnection c = slots[slot];
            if (at - c.openedAt >= MAX_LIFETIME) {
                live.remove(c); closed++;
                recentlyClosed.addLast(new ClosedConnection(c.id, c.openedAt, at, c.uses, c.statements.size()));
                if (recentlyClosed.size() > CLOSED_KEPT) recentlyClosed.removeFirst();
                c = slots[slot] = open(at);
            }
            c.uses++;
            return c;
        }
    }

    static final class CardCache extends LinkedHashMap<String, Scorecard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Scorecard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Range> RANGES_BY_CODE = new HashMap<>();

    static final class RangeService {
        final Map<String, Member> members = new HashMap<>();
        final CardCache scorecards = new CardCache();
        final LaneBooking[] bookings = new LaneBooking[RING];
        long bookingCount, scoringFailures;
        final ImagePool targetImages = new ImagePool();
        final AsyncAppender log = new AsyncAppender();
        final ConnectionPool db = new ConnectionPool();
    }

    static RangeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(76_060_001);
        String[] rangeCodes = new String[RANGES];
        for (int r = 0; r < RANGES; r++) {
            double[] u = new double[80];
            for (int k = 0; k < u.length; k++) u[k] = rnd.nextDouble();
            rangeCodes[r] = "AR-" + (700 + r);
            RANGES_BY_CODE.put(rangeCodes[r], new Range(rangeCodes[r], "Town " + (r % 250), u));
        }
        RangeService svc = new RangeService();
        SERVICE = svc;
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "GNAS-" + (1_000_000 + m * 11);
            svc.members.put(memberNos[m], new Member(memberNos[m], "Club " + (m % 900), new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        String[] sql = new String[QUERIES];
        for (int q = 0; q < QUERIES; q++) sql[q] = "select * from lane_" + (q % 4) + " where range_id = ? and slot_" + q + " = ?";
        for (int c = 0; c < CONNECTIONS; c++) svc.db.slots[c] = svc.db.open(start - (CONNECTIONS - c) * MINUTE);
        for (int b = 0; b < FREE_CAP; b++) svc.targetImages.free.add(new ImageBuffer((int) svc.targetImages.allocated++)); // pre-filled pool
        svc.log.start();

        Random traffic = new Random(76_060_002);
        String[] levels = {"INFO", "INFO", "DEBUG", "WARN"};
        String[] loggers = {"booking.Lanes", "scoring.Targets", "scoring.Rounds"};
        long seq = 0;
        int minutes = HOURS * 60 - 1;
        for (int m = 0; m < minutes; m++) {
            for (int i = 0; i < BOOKINGS_PER_MINUTE; i++) {
                long t = start + m * MINUTE + i * (MINUTE / BOOKINGS_PER_MINUTE);
                String member = memberNos[traffic.nextInt(MEMBERS)];
                String range = rangeCodes[traffic.nextInt(RANGES)];
                int lane = 1 + traffic.nextInt(24);
                svc.bookings[(int) (svc.bookingCount++ % RING)] = new LaneBooking(member, range, lane, t, t + (1 + traffic.nextInt(3)) * HOUR);
                DbConnection c = svc.db.borrow((int) (svc.bookingCount % CONNECTIONS), t);
                String q = sql[traffic.nextInt(QUERIES)];
                if (c.statements.get(q) == null) c.statements.put(q, new PreparedStmt(q, new byte[300 + traffic.nextInt(300)], t));
                String key = "card-" + traffic.nextInt(4_500);
                if (svc.scorecards.get(key) == null) svc.scorecards.put(key, new Scorecard(key, new byte[600 + traffic.nextInt(600)], t));
                ImageBuffer img = svc.targetImages.acquire(member);
                try {
                    img.data.putInt(lane).putLong(t);
                    if (traffic.nextInt(50) == 0) { svc.scoringFailures++; throw new IllegalStateException("arrow outside target face"); }
                } catch (IllegalStateException e) {
                    // scoring failed: reported below, buffer still released
                } finally {
                    svc.targetImages.release(img);
                }
                Object detail = (m % 97 == 5 && i == 3) ? new TargetRef(range + "/" + lane, true) : null;
                svc.log.append(new LogEvent(seq++, t, levels[traffic.nextInt(levels.length)], loggers[traffic.nextInt(loggers.length)], "booking " + member + " range " + range + " lane " + lane, detail));
            }
            svc.log.awaitIdle();
        }
        svc.log.awaitIdle();
        AsyncAppender a = svc.log;
        for (long waitUntil = System.nanoTime() + 5_000_000_000L; a.worker.getState() != Thread.State.WAITING && System.nanoTime() < waitUntil; ) Thread.sleep(1);
        Thread.State workerState = a.worker.getState();
        long stmts = 0;
        for (DbConnection c : svc.db.live) stmts += c.statements.size();
        ImagePool ip = svc.targetImages;
        System.out.println("ranges " + RANGES_BY_CODE.size() + " members " + svc.members.size() + " bookings " + svc.bookingCount + " scoring failures " + svc.scoringFailures + " images allocated " + ip.allocated + " outstanding " + ip.outstanding.size() + " free " + ip.free.size()
                + " log enqueued " + a.enqueued + " written " + a.written + " queued " + a.queue.size() + " formatErrors " + a.formatErrors + " worker " + workerState
                + " connections live " + svc.db.live.size() + " opened " + svc.db.opened + " closed " + svc.db.closed + " closed kept " + svc.db.recentlyClosed.size() + " statements " + stmts
                + " scorecards " + svc.scorecards.size() + " (evicted " + svc.scorecards.evicted + ")");
        check(RANGES_BY_CODE.size() == RANGES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.bookingCount == (long) minutes * BOOKINGS_PER_MINUTE && svc.bookings[RING - 1] != null, "booking ring wrapping");
        check(ip.outstanding.isEmpty() && ip.acquired == ip.released && ip.allocated == FREE_CAP && ip.free.size() == FREE_CAP && svc.scoringFailures > 0, "image buffers all returned");
        check(a.queue.isEmpty() && a.written == a.enqueued && a.formatErrors > 0 && workerState == Thread.State.WAITING, "appender drained, worker alive");
        check(svc.db.live.size() == CONNECTIONS && svc.db.recentlyClosed.size() == CLOSED_KEPT && svc.db.closed > CLOSED_KEPT && stmts <= (long) CONNECTIONS * QUERIES, "connection metrics bounded");
        check(svc.scorecards.size() == CARD_CAP && svc.scorecards.evicted > 0, "scorecard cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
