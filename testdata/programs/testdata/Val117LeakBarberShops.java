// hprofscan-dump: name=val117-leak-barbershops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val117-leak-barbershops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 117 (written blind), LEAK: the booking platform of a chain of barber shops.
 * Shops (reference data), the customer directory, a cache of rendered shop pages at its cap, a pool
 * of receipt buffers, a ring of bookings and an SMS reminder queue; the database is reached through
 * a pool of 6 connections, each with a prepared-statement cache keyed by SQL text (no bound: "the
 * application only has a dozen queries"). The availability search inlines the shop, the barber,
 * the day and the start time as literals, so nearly every search prepares and caches a new
 * statement on the connection it ran on. See VALIDATION117.md.
 */
public final class Val117LeakBarberShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SHOPS = 900, BARBERS_PER_SHOP = 6, CUSTOMERS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, CONNECTIONS = 6, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Shop(String code, String name, String town, double[] footfallByHour) {}
    record Customer(String customerId, String name, String mobile, byte[] preferences, long since) {}
    record ShopPage(String key, byte[] rendered, long at) {}
    record Booking(String bookingId, String customerId, String barberId, long slotAt, long bookedAt) {}
    record Reminder(String bookingId, String mobile, long sendAt) {}

    /** A server-side prepared statement as the driver caches it. */
    static final class PreparedStmt {
        final String sql; final int[] paramTypes; final byte[] plan; final long preparedAt; long executions;
        PreparedStmt(String sql, int[] paramTypes, byte[] plan, long preparedAt) { this.sql = sql; this.paramTypes = paramTypes; this.plan = plan; this.preparedAt = preparedAt; }
    }

    static final class PooledConnection {
        final int id; final byte[] socketBuffer = new byte[16_384];
        final Map<String, PreparedStmt> statementCache = new HashMap<>();
        long prepares, executions;
        PooledConnection(int id) { this.id = id; }

        PreparedStmt prepare(String sql, long t) {
            PreparedStmt ps = statementCache.get(sql);
            if (ps == null) {
                int params = 0;
                for (int i = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') params++;
                ps = new PreparedStmt(sql, new int[params], new byte[60 + sql.length() % 60], t);
                statementCache.put(sql, ps);
                prepares++;
            }
            ps.executions++; executions++;
            socketBuffer[(int) (executions % socketBuffer.length)]++;
            return ps;
        }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final PooledConnection[] all = new PooledConnection[CONNECTIONS];
        ConnectionPool() { for (int i = 0; i < CONNECTIONS; i++) { all[i] = new PooledConnection(i); idle.add(all[i]); } }
        PooledConnection borrow() { return idle.pollFirst(); }
        void giveBack(PooledConnection c) { idle.addLast(c); }
    }

    static final String[] FIXED_SQL = {
        "SELECT id, name, mobile FROM customer WHERE id = ?",
        "SELECT id, name, town, opening_hours FROM shop WHERE code = ?",
        "SELECT id, name, skills FROM barber WHERE shop_code = ? AND active = true",
        "INSERT INTO booking (id, customer_id, barber_id, slot_start, service, price_pence) VALUES (?, ?, ?, ?, ?, ?)",
        "UPDATE booking SET status = 'CANCELLED', cancelled_at = ? WHERE id = ?",
        "SELECT id, slot_start, service FROM booking WHERE customer_id = ? ORDER BY slot_start DESC LIMIT 10",
        "INSERT INTO sms_outbox (booking_id, mobile, send_at, body) VALUES (?, ?, ?, ?)",
        "SELECT service, price_pence, minutes FROM price_list WHERE shop_code = ?",
        "UPDATE customer SET last_visit = ?, visits = visits + 1 WHERE id = ?",
        "SELECT AVG(stars) FROM review WHERE barber_id = ?",
        "INSERT INTO review (booking_id, barber_id, stars, body) VALUES (?, ?, ?, ?)",
        "SELECT code FROM voucher WHERE code = ? AND redeemed_at IS NULL",
    };
    static final String AVAILABILITY_BOUND = "SELECT slot_start, chair_no FROM slot WHERE shop_code = ? AND barber_id = ? AND slot_start >= ? AND slot_start < ? AND booked = false ORDER BY slot_start";

    static final class ShopPageCache extends LinkedHashMap<String, ShopPage> {
        long evicted;
        ShopPageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShopPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerIds = new String[CUSTOMERS];
        final String[] shopCodes = new String[SHOPS];
        final ConnectionPool db = new ConnectionPool();
        final ShopPageCache pages = new ShopPageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Booking[] bookings = new Booking[RING];
        final ArrayDeque<Reminder> reminders = new ArrayDeque<>();
        long requests, searches, booked, remindersSent;

        void request(Random r, long t, long today) {
            requests++;
            PooledConnection c = db.borrow();
            try {
                String shop = shopCodes[r.nextInt(SHOPS)];
                String customerId = customerIds[r.nextInt(CUSTOMERS)];
                c.prepare(FIXED_SQL[0], t);
                c.prepare(FIXED_SQL[1], t);
                int kind = r.nextInt(10);
                if (kind < 6) {
                    searches++;
                    String barber = "BB-" + shop.substring(3) + "-" + (1 + r.nextInt(BARBERS_PER_SHOP));
                    LocalDate day = LocalDate.ofEpochDay(today / DAY + r.nextInt(14));
                    int fromMin = 9 * 60 + 15 * r.nextInt(36);
                    String from = String.format("%s %02d:%02d:00", day, fromMin / 60, fromMin % 60);
                    if (FIXED) c.prepare(AVAILABILITY_BOUND, t);
                    else c.prepare("SELECT slot_start, chair_no FROM slot WHERE shop_code = '" + shop + "' AND barber_id = '" + barber + "' AND slot_start >= '" + from
                            + "' AND slot_start < '" + day + " 20:00:00' AND booked = false ORDER BY slot_start", t);
                    c.prepare(FIXED_SQL[7], t);
                } else if (kind < 8) {
                    c.prepare(FIXED_SQL[2], t);
                    c.prepare(FIXED_SQL[3], t);
                    c.prepare(FIXED_SQL[6], t);
                    String id = "BK" + (9_000_000 + booked);
                    long slot = t + (1 + r.nextInt(14 * 24)) * HOUR;
                    bookings[(int) (booked++ % RING)] = new Booking(id, customerId, "BB-" + shop.substring(3) + "-1", slot, t);
                    reminders.addLast(new Reminder(id, customers.get(customerId).mobile(), t + 20 * MINUTE));
                    byte[] buf = receiptBuffers.poll();
                    buf[(int) (booked % buf.length)]++;
                    receiptBuffers.add(buf);
                } else {
                    c.prepare(FIXED_SQL[5 + r.nextInt(7)], t);
                    String key = shop + "/page-" + r.nextInt(4);
                    if (pages.get(key) == null) pages.put(key, new ShopPage(key, new byte[400 + r.nextInt(400)], t));
                }
            } finally {
                db.giveBack(c);
            }
        }

        void sendReminders(long t) {
            while (!reminders.isEmpty() && reminders.peekFirst().sendAt() <= t) { reminders.removeFirst(); remindersSent++; }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long today = now - now % DAY;
        Random rnd = new Random(117_030_001);
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int s = 0; s < SHOPS; s++) {
            double[] f = new double[72];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 40;
            svc.shopCodes[s] = "SH-" + (1_000 + s);
            SHOPS_BY_CODE.put(svc.shopCodes[s], new Shop(svc.shopCodes[s], "Barbers " + s, "Town " + (s % 250), f));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerIds[i] = "CB" + (4_400_000 + i * 11);
            svc.customers.put(svc.customerIds[i], new Customer(svc.customerIds[i], "Customer " + i, "07" + (700_000_000 + rnd.nextInt(99_999_999)), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(117_030_002);
        int requests = HOURS * REQUESTS_PER_HOUR;
        long nextMinute = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextMinute <= t) { svc.sendReminders(nextMinute); nextMinute += MINUTE; }
            svc.request(traffic, t, today);
        }
        svc.sendReminders(end - MINUTE);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val117.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_STATEMENTS = 35_907;

    static void report() {
        BookingService svc = SERVICE;
        long cached = 0, prepares = 0;
        StringBuilder per = new StringBuilder();
        for (PooledConnection c : svc.db.all) { cached += c.statementCache.size(); prepares += c.prepares; per.append(' ').append(c.statementCache.size()); }
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " customers " + svc.customers.size() + " requests " + svc.requests + " searches " + svc.searches + " booked " + svc.booked
                + " reminders sent " + svc.remindersSent + " queued " + svc.reminders.size() + " cached statements " + cached + " (per connection" + per + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted
                + ") pool " + svc.receiptBuffers.size() + " idle connections " + svc.db.idle.size());
        check(SHOPS_BY_CODE.size() == SHOPS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.requests == (long) HOURS * REQUESTS_PER_HOUR && svc.db.idle.size() == CONNECTIONS, "requests");
        check(cached == prepares, "statements");
        if (FIXED) check(cached <= CONNECTIONS * (FIXED_SQL.length + 1), "bounded statements " + cached);
        else check(cached == EXPECTED_STATEMENTS, "statements " + cached);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.bookings[RING - 1] != null, "ring");
    }
}
