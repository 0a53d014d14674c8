// hprofscan-dump: name=val101-leak-beachhuts jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val101-leak-beachhuts-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 101 (written blind), LEAK: the booking service of a seaside council's beach-hut
 * rentals. Beach reference data, the hut directory, a cache of rendered availability calendars at
 * its cap, a ring of recent bookings, a pool of receipt buffers, and two hand-written database
 * connection pools of the same class (an idle deque plus a leased set; each connection has a
 * statement cache and a read buffer): one for the bookings database, one for the payments
 * database. The availability handler leases a bookings connection and releases it at the end of
 * its success path; when the query hits a lock timeout (a hut being booked at that moment), the
 * catch block turns it into a 409 response and returns without releasing. Those connections stay
 * in the bookings pool's leased set forever, and the pool opens a new one whenever the idle deque
 * is empty. The payments pool releases in a finally block and is healthy. See VALIDATION101.md.
 */
public final class Val101LeakBeachHuts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int BEACHES = 1_100, HUTS = 24_000, CALENDAR_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS = 60_000, STATEMENT_CAP = 16;
    static boolean FIXED;

    record Beach(String code, String resort, double[] tideTable) {}
    record Hut(String number, String beachCode, String colour, byte[] inventory, long builtAt) {}
    record Calendar(String key, byte[] html, long renderedAt) {}
    record Booking(String hutNumber, String customerId, long from, long until, long bookedAt) {}
    record Response(int status, String body) {}

    static final class LockTimeoutException extends Exception {
        LockTimeoutException(String msg) { super(msg, null, false, false); }
    }

    static final class PreparedStatementStub {
        final String sql; final int[] paramTypes; final long preparedAt; int executions;
        PreparedStatementStub(String sql, int params, long preparedAt) { this.sql = sql; this.paramTypes = new int[params]; this.preparedAt = preparedAt; }
    }

    static final class StatementCache extends LinkedHashMap<String, PreparedStatementStub> {
        StatementCache() { super(16, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStatementStub> e) { return size() > STATEMENT_CAP; }
    }

    static final class PooledConnection {
        final long id; final String database; final long createdAt;
        final byte[] readBuffer = new byte[8_192];
        final StatementCache statements = new StatementCache();
        long leasedAt; String leasedBy; int uses;
        PooledConnection(long id, String database, long createdAt) { this.id = id; this.database = database; this.createdAt = createdAt; }
        PreparedStatementStub prepare(String sql, int params, long at) {
            PreparedStatementStub st = statements.get(sql);
            if (st == null) { st = new PreparedStatementStub(sql, params, at); statements.put(sql, st); }
            st.executions++;
            return st;
        }
        int read(int bytes) { int n = Math.min(bytes, readBuffer.length); readBuffer[n - 1] = (byte) n; return n; }
    }

    /** Hand-written connection pool: an idle deque and a leased set. */
    static final class ConnectionPool {
        final String database;
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = ConcurrentHashMap.newKeySet();
        long created, leases, releases;
        ConnectionPool(String database, int prewarm, long at) { this.database = database; for (int i = 0; i < prewarm; i++) idle.add(open(at)); }
        PooledConnection open(long at) { return new PooledConnection(created++, database, at); }
        PooledConnection lease(String by, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) c = open(at);
            c.leasedAt = at; c.leasedBy = by; c.uses++;
            leased.add(c);
            leases++;
            return c;
        }
        void release(PooledConnection c) {
            if (!leased.remove(c)) throw new IllegalStateException("not leased: " + c.id);
            c.leasedBy = null;
            idle.addFirst(c);
            releases++;
        }
    }

    static final class CalendarCache extends LinkedHashMap<String, Calendar> {
        long evicted;
        CalendarCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Calendar> e) { if (size() > CALENDAR_CAP) { evicted++; return true; } return false; }
    }

    static final String SQL_AVAILABILITY = "SELECT day, state FROM hut_availability WHERE hut = ? AND day BETWEEN ? AND ? FOR SHARE";
    static final String SQL_HOLDS = "SELECT hold_id, expires FROM hut_holds WHERE hut = ?";
    static final String SQL_INSERT_BOOKING = "INSERT INTO bookings (hut, customer, day_from, day_until, created) VALUES (?, ?, ?, ?, ?)";
    static final String SQL_UPDATE_AVAIL = "UPDATE hut_availability SET state = 'BOOKED' WHERE hut = ? AND day BETWEEN ? AND ?";
    static final String SQL_PRICE = "SELECT band, price_pence FROM hut_prices WHERE beach = ? AND season = ?";
    static final String SQL_CUSTOMER = "SELECT name, postcode, resident FROM customers WHERE id = ?";
    static final String SQL_CHARGE = "INSERT INTO charges (booking, amount_pence, card_token, at) VALUES (?, ?, ?, ?)";
    static final String SQL_REFUND_CHECK = "SELECT count(*) FROM refunds WHERE customer = ? AND at > ?";
    static final String SQL_LEDGER = "INSERT INTO ledger (account, amount_pence, ref, at) VALUES (?, ?, ?, ?)";

    static final Map<String, Beach> BEACHES_BY_CODE = new HashMap<>();

    static final class HutService {
        final Map<String, Hut> huts = new HashMap<>();
        final CalendarCache calendars = new CalendarCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        long bookings;
        ConnectionPool bookingsDb, paymentsDb;
        long conflicts, available;

        /** GET /huts/{n}/availability */
        Response checkAvailability(String hut, long at, boolean lockTimeout, Random r) {
            PooledConnection c = bookingsDb.lease("GET /huts/availability", at);
            try {
                c.prepare(SQL_HOLDS, 1, at);
                c.prepare(SQL_AVAILABILITY, 3, at);
                c.read(512 + r.nextInt(4_096));
                if (lockTimeout) throw new LockTimeoutException("lock wait timeout on hut_availability for " + hut);
                c.prepare(SQL_PRICE, 2, at);
                bookingsDb.release(c);
                available++;
                return new Response(200, "available");
            } catch (LockTimeoutException e) {
                conflicts++;
                if (FIXED) bookingsDb.release(c);
                // BUG: the error path returns without releasing the connection
                return new Response(409, "hut is being booked, please retry");
            }
        }

        /** POST /bookings */
        Response book(String hut, String customer, long at, Random r) {
            PooledConnection c = bookingsDb.lease("POST /bookings", at);
            long from, until;
            try {
                c.prepare(SQL_CUSTOMER, 1, at);
                c.prepare(SQL_INSERT_BOOKING, 5, at);
                c.prepare(SQL_UPDATE_AVAIL, 3, at);
                c.read(256 + r.nextInt(1_024));
                from = at + (1 + r.nextInt(60)) * DAY;
                until = from + (1 + r.nextInt(14)) * DAY;
            } finally {
                bookingsDb.release(c);
            }
            PooledConnection p = paymentsDb.lease("POST /bookings charge", at);
            try {
                p.prepare(SQL_REFUND_CHECK, 2, at);
                p.prepare(SQL_CHARGE, 4, at);
                p.prepare(SQL_LEDGER, 4, at);
                p.read(128 + r.nextInt(512));
            } finally {
                paymentsDb.release(p);
            }
            recentBookings[(int) (bookings++ % RING)] = new Booking(hut, customer, from, until, at);
            byte[] buf = receiptBuffers.poll();
            buf[(int) (bookings % buf.length)] = 1;
            receiptBuffers.add(buf);
            return new Response(201, "booked");
        }
    }

    static HutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(101_030_001);
        String[] beachCodes = new String[BEACHES];
        for (int b = 0; b < BEACHES; b++) {
            double[] tides = new double[72];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 6;
            beachCodes[b] = "BCH-" + (3_000 + b);
            BEACHES_BY_CODE.put(beachCodes[b], new Beach(beachCodes[b], "Resort " + (b % 120), tides));
        }
        HutService svc = new HutService();
        SERVICE = svc;
        String[] hutNumbers = new String[HUTS];
        String[] colours = {"sky blue", "lemon", "mint", "coral", "white", "lilac"};
        for (int h = 0; h < HUTS; h++) {
            hutNumbers[h] = "HUT-" + (h / 200) + "-" + (100 + h % 200);
            svc.huts.put(hutNumbers[h], new Hut(hutNumbers[h], beachCodes[rnd.nextInt(BEACHES)], colours[h % colours.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        svc.bookingsDb = new ConnectionPool("bookings", 10, start);
        svc.paymentsDb = new ConnectionPool("payments", 6, start);

        Random traffic = new Random(101_030_002);
        long errors = 0, calendarRequests = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String hut = hutNumbers[traffic.nextInt(HUTS)];
            int kind = traffic.nextInt(20);
            if (kind < 12) {
                boolean lockTimeout = traffic.nextInt(50) == 0;
                if (lockTimeout) errors++;
                svc.checkAvailability(hut, t, lockTimeout, traffic);
            } else if (kind < 17) {
                svc.book(hut, "C" + (500_000 + traffic.nextInt(90_000)), t, traffic);
            } else {
                calendarRequests++;
                String key = "cal-" + traffic.nextInt(6_000);
                if (svc.calendars.get(key) == null) svc.calendars.put(key, new Calendar(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        ConnectionPool b = svc.bookingsDb, p = svc.paymentsDb;
        String summary = (FIXED ? "FIXED " : "") + "beaches " + BEACHES_BY_CODE.size() + " huts " + svc.huts.size() + " available " + svc.available + " conflicts " + svc.conflicts + " bookings " + svc.bookings
                + " bookingsDb created " + b.created + " idle " + b.idle.size() + " leased " + b.leased.size() + " (leases " + b.leases + ", releases " + b.releases + ")"
                + " paymentsDb created " + p.created + " idle " + p.idle.size() + " leased " + p.leased.size() + " (leases " + p.leases + ")"
                + " calendars " + svc.calendars.size() + " (evicted " + svc.calendars.evicted + ") pool " + svc.receiptBuffers.size();
        check(BEACHES_BY_CODE.size() == BEACHES && svc.huts.size() == HUTS, "reference data / directory");
        check(svc.conflicts == errors && svc.available + svc.conflicts + svc.bookings + calendarRequests == REQUESTS, "requests");
        if (FIXED) check(b.leased.isEmpty() && b.idle.size() == 10 && b.created == 10, "bookings pool healthy");
        else check(b.leased.size() == errors && b.idle.size() <= 1, "bookings pool keeps every failed lease: " + b.leased.size());
        check(b.leased.size() + b.idle.size() == b.created, "bookings pool accounting");
        check(p.leased.isEmpty() && p.idle.size() == 6 && p.created == 6, "payments pool");
        check(svc.calendars.size() == CALENDAR_CAP && svc.calendars.evicted > 0, "calendar cache at cap");
        check(svc.receiptBuffers.size() == POOL, "receipt pool");
        check(svc.bookings > RING && svc.recentBookings[RING - 1] != null, "ring");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val101.fixed");
        String summary = build();
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
