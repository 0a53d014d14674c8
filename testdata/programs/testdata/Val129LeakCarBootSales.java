// hprofscan-dump: name=val129-leak-carbootsales jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val129-leak-carbootsales-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 129 (written blind), LEAK: the pitch-booking platform of a car-boot sale organiser
 * (weekend and bank-holiday sales on fields, car parks and showgrounds). A pool of 12 database
 * connections, each with its own prepared-statement cache (a HashMap keyed by SQL text). Every
 * statement the service runs uses '?' parameters, except the traders' "my bookings" page: it
 * builds its SQL with the trader number and the sale date inlined as literals, so every distinct
 * (trader, date) pair becomes a new cached statement on whichever connection served it, and the
 * caches of all 12 connections keep growing. Also: sale-site reference data, the trader directory,
 * an LRU of rendered pitch maps at its cap, a pool of receipt buffers, a ring of recent bookings
 * and the SMS-reminder queue with its normal backlog. 10 simulated hours. See VALIDATION129.md.
 */
public final class Val129LeakCarBootSales {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SITES = 900, TRADERS = 20_000, REGULARS = 600, SALE_DAYS = 8, MAP_CAP = 1_500, POOL = 8, CONNECTIONS = 12, RING = 2_048,
            HOURS = 10, LOOKUPS_PER_HOUR = 3_200, SMS_LAG_MINUTES = 20;
    static final String[] GOODS = {"bric-a-brac", "books", "vinyl", "tools", "toys", "clothes", "plants", "antiques", "electricals", "crafts"};
    static final String[] SIZES = {"car", "car+trailer", "van", "large van", "gazebo"};
    static final String MY_BOOKINGS_PREFIX = "SELECT b.booking_ref, b.pitch_no, b.pitch_size, b.status, s.site_name FROM pitch_booking b JOIN sale_site s ON s.site_id = b.site_id";
    /** The parameterised statements every other code path uses (18). */
    static final String[] SQL = {
            "SELECT site_id, site_name, postcode, opens_at FROM sale_site WHERE site_id = ?",
            "SELECT trader_id, display_name, vehicle_reg FROM trader WHERE trader_id = ?",
            "SELECT COUNT(*) FROM pitch_booking WHERE site_id = ? AND sale_date = ? AND status = 'BOOKED'",
            "SELECT pitch_no, pitch_size FROM pitch WHERE site_id = ? AND pitch_no NOT IN (SELECT pitch_no FROM pitch_booking WHERE site_id = ? AND sale_date = ?)",
            "INSERT INTO pitch_booking (booking_ref, trader_id, site_id, sale_date, pitch_no, pitch_size, status) VALUES (?, ?, ?, ?, ?, ?, 'BOOKED')",
            "UPDATE pitch_booking SET status = ?, updated_at = ? WHERE booking_ref = ?",
            "INSERT INTO payment (booking_ref, amount_pence, method, taken_at) VALUES (?, ?, ?, ?)",
            "SELECT amount_pence FROM pitch_tariff WHERE site_id = ? AND pitch_size = ?",
            "INSERT INTO sms_outbox (trader_id, body, due_at) VALUES (?, ?, ?)",
            "UPDATE sms_outbox SET sent_at = ? WHERE id = ?",
            "SELECT id, trader_id, body FROM sms_outbox WHERE sent_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT 100",
            "SELECT weather_code, wind_mph FROM site_weather WHERE site_id = ? AND forecast_for = ?",
            "UPDATE sale_day SET cancelled = ?, reason = ? WHERE site_id = ? AND sale_date = ?",
            "SELECT goods_category, COUNT(*) FROM pitch_booking WHERE site_id = ? AND sale_date = ? GROUP BY goods_category",
            "INSERT INTO audit_log (actor, action, entity, at) VALUES (?, ?, ?, ?)",
            "SELECT early_bird_fee, buyer_entry_fee FROM sale_day WHERE site_id = ? AND sale_date = ?",
            "UPDATE trader SET last_seen_at = ? WHERE trader_id = ?",
            "SELECT booking_ref FROM pitch_booking WHERE trader_id = ? AND status = 'WAITLIST' ORDER BY created_at"};
    static boolean FIXED;

    record SaleSite(String siteId, String name, String postcode, double[] attendanceByWeek) {}
    record Trader(String traderId, int traderNo, String displayName, String vehicleReg, byte[] profile, long registeredAt) {}
    record Booking(String bookingRef, int traderNo, String siteId, String saleDate, String pitchSize, long at) {}
    record PitchMap(String key, byte[] svg, long renderedAt) {}
    record Sms(String traderId, String body, long dueAt) {}

    static final Map<String, SaleSite> SITES_BY_ID = new HashMap<>();

    static final class MapCache extends LinkedHashMap<String, PitchMap> {
        long evicted;
        MapCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PitchMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    /** What the driver keeps per prepared statement: the text, its parameter slots, the column labels and the server's handle. */
    static final class CachedStatement {
        final String sql;
        final int[] parameterOffsets;
        final String[] columnLabels;
        final byte[] serverHandle = new byte[32];
        final long preparedAt;
        long executions;
        CachedStatement(String sql, long preparedAt) {
            this.sql = sql;
            int n = 0;
            for (int i = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') n++;
            parameterOffsets = new int[n];
            for (int i = 0, k = 0; i < sql.length(); i++) if (sql.charAt(i) == '?') parameterOffsets[k++] = i;
            columnLabels = sql.startsWith("SELECT") ? new String[] {"col1", "col2", "col3"} : new String[0];
            for (int i = 0; i < 8 && i < serverHandle.length; i++) serverHandle[i] = (byte) (sql.hashCode() >>> (i * 4));
            this.preparedAt = preparedAt;
        }
    }

    static final class DbConnection {
        final String id;
        final byte[] socketBuffer = new byte[16_384];
        /** The driver's per-connection statement cache, keyed by SQL text (no bound). */
        final Map<String, CachedStatement> statementCache = new HashMap<>();
        long prepares, cacheHits;
        DbConnection(String id) { this.id = id; }
        CachedStatement prepareStatement(String sql, long t) {
            CachedStatement s = statementCache.get(sql);
            if (s == null) { statementCache.put(sql, s = new CachedStatement(sql, t)); prepares++; } else cacheHits++;
            s.executions++;
            socketBuffer[(int) (s.executions % socketBuffer.length)] = (byte) sql.length();
            return s;
        }
    }

    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        long borrows;
        ConnectionPool() { for (int i = 0; i < CONNECTIONS; i++) idle.addLast(all[i] = new DbConnection("cbs-db-" + (i + 1))); }
        DbConnection borrow() { borrows++; return idle.pollFirst(); }
        void release(DbConnection c) { idle.addLast(c); }
    }

    static final class PitchRepository {
        final ConnectionPool pool;
        long myBookingsQueries;
        PitchRepository(ConnectionPool pool) { this.pool = pool; }

        /** The trader's "my bookings" page for one sale day. */
        void bookingsFor(int traderNo, String saleDate, Random r, long t) {
            DbConnection c = pool.borrow();
            try {
                String sql = FIXED
                        ? MY_BOOKINGS_PREFIX + " WHERE b.trader_id = ? AND b.sale_date = ? ORDER BY b.pitch_no"
                        // BUG: literals concatenated in: one SQL text (and one cached statement) per trader and day
                        : MY_BOOKINGS_PREFIX + " WHERE b.trader_id = " + traderNo + " AND b.sale_date = DATE '" + saleDate + "' ORDER BY b.pitch_no";
                c.prepareStatement(sql, t);
                myBookingsQueries++;
                int others = 1 + r.nextInt(3);
                for (int k = 0; k < others; k++) c.prepareStatement(SQL[r.nextInt(SQL.length)], t);
            } finally {
                pool.release(c);
            }
        }
    }

    static final class BookingService {
        final Map<String, Trader> traders = new HashMap<>();
        final Trader[] traderList = new Trader[TRADERS];
        final String[] siteIds = new String[SITES];
        final String[] saleDates = new String[SALE_DAYS];
        final ConnectionPool db = new ConnectionPool();
        final PitchRepository pitches = new PitchRepository(db);
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        final ArrayDeque<Sms> smsQueue = new ArrayDeque<>();
        long lookups, bookings, mapViews, mapsRendered, smsQueued, smsSent;

        void myBookings(Trader tr, int day, Random r, long t) {
            lookups++;
            pitches.bookingsFor(tr.traderNo(), saleDates[day], r, t);
            if (r.nextInt(2) == 0) {
                mapViews++;
                String site = siteIds[r.nextInt(SITES)];
                String key = site + "/" + saleDates[day];
                PitchMap m = maps.get(key);
                if (m == null) { maps.put(key, m = new PitchMap(key, new byte[600 + r.nextInt(600)], t)); mapsRendered++; }
            }
            if (r.nextInt(10) == 0) {
                String site = siteIds[r.nextInt(SITES)];
                Booking b = new Booking("CB-" + (3_000_000 + bookings), tr.traderNo(), site, saleDates[day], SIZES[r.nextInt(SIZES.length)], t);
                recent[(int) (bookings++ % RING)] = b;
                byte[] buf = receiptBuffers.pollFirst();
                buf[(int) (t % buf.length)] = (byte) b.bookingRef().length();
                receiptBuffers.addLast(buf);
                smsQueue.addLast(new Sms(tr.traderId(), "Pitch booked: " + b.bookingRef() + " at " + site + ", gates open 6:30", t + SMS_LAG_MINUTES * MINUTE));
                smsQueued++;
            }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long today = now - now % DAY;
        Random rnd = new Random(129_020_001);
        for (int s = 0; s < SITES; s++) {
            double[] att = new double[52];
            for (int j = 0; j < att.length; j++) att[j] = rnd.nextDouble() * 3_000;
            String id = "SITE-" + (4_000 + s * 3);
            SITES_BY_ID.put(id, new SaleSite(id, "Sale field " + s, "PE" + (1 + rnd.nextInt(38)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)), att));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] ids = SITES_BY_ID.keySet().toArray(new String[0]);
        java.util.Arrays.sort(ids);
        System.arraycopy(ids, 0, svc.siteIds, 0, SITES);
        // the next sale days: whole days after the start of today (UTC)
        for (int d = 0; d < SALE_DAYS; d++) svc.saleDates[d] = LocalDate.ofEpochDay((today + (long) (1 + d * 3) * DAY) / DAY).toString();
        for (int i = 0; i < TRADERS; i++) {
            int no = 100_000 + i * 3;
            Trader tr = new Trader("TR-" + no, no, "Trader " + rnd.nextInt(1_000_000) + " (" + GOODS[rnd.nextInt(GOODS.length)] + ")",
                    "V" + (10 + rnd.nextInt(80)) + " " + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY);
            svc.traderList[i] = tr;
            svc.traders.put(tr.traderId(), tr);
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.addLast(new byte[32_768]);

        Random traffic = new Random(129_020_002);
        int total = LOOKUPS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            // a quarter of the page loads come from the 600 regulars, who check every sale day
            Trader tr = traffic.nextInt(4) == 0 ? svc.traderList[traffic.nextInt(REGULARS)] : svc.traderList[REGULARS + traffic.nextInt(TRADERS - REGULARS)];
            svc.myBookings(tr, traffic.nextInt(SALE_DAYS), traffic, t);
            while (!svc.smsQueue.isEmpty() && svc.smsQueue.peekFirst().dueAt() <= t) {
                svc.smsQueue.pollFirst();
                svc.smsSent++;
            }
        }
    }

    static void report() {
        BookingService svc = SERVICE;
        int statements = 0, literal = 0, min = Integer.MAX_VALUE, max = 0;
        long prepares = 0, hits = 0;
        for (DbConnection c : svc.db.all) {
            statements += c.statementCache.size();
            for (String sql : c.statementCache.keySet()) if (sql.contains("DATE '")) literal++;
            min = Math.min(min, c.statementCache.size());
            max = Math.max(max, c.statementCache.size());
            prepares += c.prepares;
            hits += c.cacheHits;
        }
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_ID.size() + " traders " + svc.traders.size() + " lookups " + svc.lookups + " statements " + statements
                + " (literal " + literal + ", per connection " + min + ".." + max + ", prepares " + prepares + ", hits " + hits + ", borrows " + svc.db.borrows + ") maps " + svc.maps.size()
                + " (views " + svc.mapViews + ", rendered " + svc.mapsRendered + ", evicted " + svc.maps.evicted + ") bookings " + svc.bookings + " sms backlog " + svc.smsQueue.size()
                + " (queued " + svc.smsQueued + ", sent " + svc.smsSent + ") pools " + svc.receiptBuffers.size() + "/" + svc.db.idle.size());
        check(SITES_BY_ID.size() == SITES && svc.traders.size() == TRADERS, "reference data / directory");
        check(svc.lookups == (long) LOOKUPS_PER_HOUR * HOURS && svc.pitches.myBookingsQueries == svc.lookups && svc.db.borrows == svc.lookups && statements == prepares, "lookups");
        check(FIXED ? literal == 0 && statements == CONNECTIONS * (SQL.length + 1) : literal == 31_282 && statements == 31_282 + CONNECTIONS * SQL.length, "statement caches " + statements + " literal " + literal);
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted == svc.mapsRendered - MAP_CAP && svc.mapsRendered == 12_829, "pitch map cache at cap");
        check(svc.receiptBuffers.size() == POOL && svc.db.idle.size() == CONNECTIONS, "pools");
        check(svc.recent[RING - 1] != null, "booking ring");
        check(svc.smsQueue.size() == 80 && svc.bookings == 3_189 && svc.smsQueued == svc.smsSent + svc.smsQueue.size(), "sms backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val129.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
