// hprofscan-dump: name=val6-healthy-tickets jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-healthy-tickets-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 6 (written blind), HEALTHY: an event-ticketing service after 6 simulated hours
 * (150,000 seat holds, 30,000 purchases). Seat maps of 40 venues are loaded at startup (parallel
 * primitive arrays, the biggest structure), the event schedule keyed by event id, seat holds that
 * really expire after 10 minutes (swept), a JDBC-like connection pool of 10 connections whose
 * cursors are closed after each query and whose per-connection statement caches are LRUs at
 * capacity, a scheduler with 4 maintenance tasks registered once at startup, an event bus with 6
 * listeners registered at startup, and metrics. See testdata/VALIDATION6.md.
 */
public final class Val6HealthyTickets {
    static final int VENUES = 40;
    static final int EVENTS = 3_000;
    static final int HOLDS = 150_000;
    static final int POOL = 10;
    static final int STMT_CACHE = 64;
    static final long SIM_MILLIS = 6L * 3600_000L;
    static final long HOLD_MILLIS = 10L * 60_000L;

    static TicketService RUNNING;

    static final class SeatMap {
        final int venueId; final String name; final int[] sectionOf; final short[] rowOf; final short[] seatNo; final int[] basePriceCents; final long loadedAt;
        SeatMap(int venueId, String name, int seats, long loadedAt) {
            this.venueId = venueId; this.name = name; this.loadedAt = loadedAt;
            sectionOf = new int[seats]; rowOf = new short[seats]; seatNo = new short[seats]; basePriceCents = new int[seats];
        }
    }

    /** Reference data: seat maps loaded from the venue service at startup. */
    static final class VenueCatalog {
        static final Map<Integer, SeatMap> SEATMAPS = new HashMap<>();
    }

    static final class Event {
        final long eventId; final int venueId; final String title; final long startsAt; final long onSaleAt; int sold;
        Event(long eventId, int venueId, String title, long startsAt, long onSaleAt) { this.eventId = eventId; this.venueId = venueId; this.title = title; this.startsAt = startsAt; this.onSaleAt = onSaleAt; }
    }

    static final class SeatHold {
        final String holdId; final long eventId; final int seat; final long userId; final long createdAt; final long expiresAt;
        SeatHold(String holdId, long eventId, int seat, long userId, long createdAt, long expiresAt) { this.holdId = holdId; this.eventId = eventId; this.seat = seat; this.userId = userId; this.createdAt = createdAt; this.expiresAt = expiresAt; }
    }

    static final class HoldService {
        final Map<String, SeatHold> holds = new ConcurrentHashMap<>();
        long expired, converted;
        void sweep(long now) {
            for (Iterator<SeatHold> it = holds.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) { it.remove(); expired++; }
        }
    }

    static final class Cursor {
        final long cursorId; final String sql; final Object[][] rows; final long openedAt; boolean closed;
        Cursor(long cursorId, String sql, Object[][] rows, long openedAt) { this.cursorId = cursorId; this.sql = sql; this.rows = rows; this.openedAt = openedAt; }
    }

    static final class PreparedStmt {
        final String sql; final long preparedAt; long executions;
        PreparedStmt(String sql, long preparedAt) { this.sql = sql; this.preparedAt = preparedAt; }
    }

    static final class StatementCache extends LinkedHashMap<String, PreparedStmt> {
        final int max;
        StatementCache(int max) { super(max * 2, 0.75f, true); this.max = max; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStmt> e) { return size() > max; }
    }

    static final class DbConnection {
        final int id; final List<Cursor> openCursors = new ArrayList<>(); final StatementCache statements = new StatementCache(STMT_CACHE); long nextCursor;
        DbConnection(int id) { this.id = id; }
        Cursor query(String sql, int rows, long now) {
            PreparedStmt ps = statements.computeIfAbsent(sql, s -> new PreparedStmt(s, now));
            ps.executions++;
            Object[][] data = new Object[rows][];
            for (int r = 0; r < rows; r++) data[r] = new Object[] {(long) r, "row" + r};
            Cursor c = new Cursor(((long) id << 32) | nextCursor++, sql, data, now);
            openCursors.add(c);
            return c;
        }
        void close(Cursor c) { c.closed = true; openCursors.remove(c); }
    }

    interface TicketListener { void onEvent(String type, long eventId); }

    static final class EventBus {
        final List<TicketListener> listeners = new CopyOnWriteArrayList<>();
    }

    static final class CountingListener implements TicketListener {
        final String component; long seen;
        CountingListener(String component) { this.component = component; }
        @Override public void onEvent(String type, long eventId) { seen++; }
    }

    static final class TicketService {
        final Map<Long, Event> events = new HashMap<>();
        final HoldService holds = new HoldService();
        final DbConnection[] pool = new DbConnection[POOL];
        final EventBus bus = new EventBus();
        final AtomicInteger schedSeq = new AtomicInteger();
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "tickets-maint-" + schedSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Map<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_030_001);
        TicketService svc = new TicketService();
        RUNNING = svc;
        int totalSeats = 0;
        for (int v = 0; v < VENUES; v++) {
            int seats = 8_000 + (v * 977) % 10_000;
            SeatMap m = new SeatMap(5_000 + v, "Arena " + v, seats, start);
            for (int s = 0; s < seats; s++) { m.sectionOf[s] = 100 + s / 500; m.rowOf[s] = (short) (s / 25 % 20); m.seatNo[s] = (short) (s % 25); m.basePriceCents[s] = 2_500 + (s / 500) * 150; }
            VenueCatalog.SEATMAPS.put(m.venueId, m);
            totalSeats += seats;
        }
        for (int e = 0; e < EVENTS; e++) {
            long id = 880_000_000L + e * 17L;
            svc.events.put(id, new Event(id, 5_000 + e % VENUES, "Event " + Long.toString(id, 36), now + 86_400_000L * (1 + e % 120), start - 86_400_000L * (e % 60)));
        }
        Long[] eventIds = svc.events.keySet().toArray(new Long[0]);
        for (int c = 0; c < POOL; c++) svc.pool[c] = new DbConnection(c + 1);
        String[] components = {"inventory", "pricing", "notifications", "analytics", "fraud", "search-indexer"};
        for (String c : components) svc.bus.listeners.add(new CountingListener(c));
        svc.scheduler.scheduleWithFixedDelay(() -> svc.holds.sweep(System.currentTimeMillis()), 30, 30, TimeUnit.SECONDS);
        svc.scheduler.scheduleAtFixedRate(() -> svc.count("metrics.flush"), 60, 60, TimeUnit.SECONDS);
        svc.scheduler.scheduleAtFixedRate(() -> svc.count("pool.validate"), 120, 120, TimeUnit.SECONDS);
        svc.scheduler.scheduleWithFixedDelay(() -> svc.count("events.refresh"), 300, 300, TimeUnit.SECONDS);
        // ~200 distinct query shapes (by event-type and filter), so each statement cache is full.
        String[] sqls = new String[200];
        for (int q = 0; q < sqls.length; q++) sqls[q] = "SELECT seat_id, status FROM seat_status WHERE event_id = ? AND section = ? /* q" + q + " */";
        long lastSweep = start;
        for (int i = 0; i < HOLDS; i++) {
            long t = start + SIM_MILLIS * i / HOLDS;
            long eventId = eventIds[rnd.nextInt(EVENTS)];
            DbConnection conn = svc.pool[i % POOL];
            Cursor cur = conn.query(sqls[rnd.nextInt(sqls.length)], 4, t);
            conn.close(cur);
            SeatHold h = new SeatHold("H" + Long.toString(t, 36) + Integer.toString(i, 36), eventId, rnd.nextInt(8_000), 40_000_000L + rnd.nextInt(2_000_000), t, t + HOLD_MILLIS);
            svc.holds.holds.put(h.holdId, h);
            if (i % 5 == 0) { // purchase converts the hold
                svc.holds.holds.remove(h.holdId); svc.holds.converted++;
                svc.events.get(eventId).sold++;
                for (TicketListener l : svc.bus.listeners) l.onEvent("purchased", eventId);
            }
            if (t - lastSweep >= 30_000L) { svc.holds.sweep(t); lastSweep = t; }
            svc.count("holds.created");
        }
        svc.holds.sweep(now);
        int live = svc.holds.holds.size();
        int openCursors = 0;
        for (DbConnection c : svc.pool) { openCursors += c.openCursors.size(); check(c.statements.size() == STMT_CACHE, "stmt cache " + c.statements.size()); }
        System.out.println("venues " + VenueCatalog.SEATMAPS.size() + " seats " + totalSeats + " events " + svc.events.size() + " holds live " + live + " expired " + svc.holds.expired
                + " converted " + svc.holds.converted + " open cursors " + openCursors + " scheduled " + svc.scheduler.getQueue().size() + " listeners " + svc.bus.listeners.size());
        check(VenueCatalog.SEATMAPS.size() == VENUES, "venues");
        check(svc.events.size() == EVENTS, "events");
        check(live + svc.holds.expired + svc.holds.converted == HOLDS && live < 5_000, "holds " + live);
        check(openCursors == 0, "cursors");
        check(svc.scheduler.getQueue().size() == 4, "scheduled");
        check(svc.bus.listeners.size() == components.length, "listeners");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
