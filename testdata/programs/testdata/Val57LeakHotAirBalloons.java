// hprofscan-dump: name=val57-leak-hotairballoons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val57-leak-hotairballoons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 57 (written blind), LEAK: the booking and flight-manifest service of a hot-air
 * balloon ride operator. Launch-site reference data, the passenger directory, a cache of rendered
 * weather briefings at its cap, a pool of boarding-pass buffers, a ring of boarding scans, and a
 * small fixed pool of 6 database connections, each with its own prepared-statement cache keyed by
 * SQL text and no bound. The manifest lookup concatenates the booking reference into the SQL as a
 * literal, so every distinct booking reference becomes a new cached statement on every connection
 * it ran on. See VALIDATION57.md.
 */
public final class Val57LeakHotAirBalloons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_000, PASSENGERS = 25_000, BRIEFING_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 6,
            REQUESTS_PER_HOUR = 6_000, HOURS = 10;
    static boolean FIXED;

    static final String[] TEMPLATES = {
        "SELECT id, pilot, envelope, capacity FROM balloon WHERE site_code = ? AND status = 'READY'",
        "SELECT slot_id, starts_at, seats_left FROM flight_slot WHERE site_code = ? AND day = ?",
        "INSERT INTO booking (ref, passenger_id, slot_id, weight_kg, created_at) VALUES (?, ?, ?, ?, ?)",
        "UPDATE flight_slot SET seats_left = seats_left - ? WHERE slot_id = ? AND seats_left >= ?",
        "SELECT wind_speed, wind_dir, cloud_base FROM metar WHERE site_code = ? ORDER BY observed_at DESC LIMIT 1",
        "UPDATE booking SET status = ?, updated_at = ? WHERE ref = ?",
        "SELECT COUNT(*) FROM booking WHERE slot_id = ? AND status = 'CONFIRMED'",
        "INSERT INTO boarding_scan (ref, gate, scanned_at) VALUES (?, ?, ?)",
        "SELECT voucher_code, balance FROM gift_voucher WHERE voucher_code = ?",
        "DELETE FROM seat_hold WHERE expires_at < ?",
    };
    static final String MANIFEST_SQL = "SELECT passenger_id, seat, weight_kg, harness_size FROM manifest WHERE booking_ref = ";

    record LaunchSite(String code, String field, double[] windModel) {}
    record Passenger(String id, String name, byte[] waiver, long registeredAt) {}
    record Briefing(String key, byte[] rendered, long at) {}
    record BoardingScan(String bookingRef, String passengerId, int gate, long at) {}

    /** A server-side prepared statement handle. */
    static final class PreparedStmt {
        final String sql; final int paramCount; final byte[] plan; final long preparedAt; long uses;
        PreparedStmt(String sql, int paramCount, byte[] plan, long preparedAt) { this.sql = sql; this.paramCount = paramCount; this.plan = plan; this.preparedAt = preparedAt; }
    }

    /** A pooled connection with its own statement cache keyed by SQL text (no bound). */
    static final class PooledConnection {
        final int id; final Map<String, PreparedStmt> statementCache = new HashMap<>();
        long prepares, cacheHits;
        PooledConnection(int id) { this.id = id; }
        PreparedStmt prepare(String sql, Random r, long at) {
            PreparedStmt s = statementCache.get(sql);
            if (s == null) {
                int params = 0;
                for (int k = 0; k < sql.length(); k++) if (sql.charAt(k) == '?') params++;
                s = new PreparedStmt(sql, params, new byte[60 + r.nextInt(60)], at);
                statementCache.put(sql, s);
                prepares++;
            } else cacheHits++;
            s.uses++;
            return s;
        }
    }

    static final class BriefingCache extends LinkedHashMap<String, Briefing> {
        long evicted;
        BriefingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Briefing> e) { if (size() > BRIEFING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LaunchSite> SITES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Passenger> passengers = new HashMap<>();
        final BriefingCache briefings = new BriefingCache();
        final ArrayDeque<byte[]> passBuffers = new ArrayDeque<>();
        final BoardingScan[] scans = new BoardingScan[RING];
        long scansWritten, manifestLookups;
        final PooledConnection[] pool = new PooledConnection[CONNECTIONS];
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val57.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(57_030_001);
        for (int s = 0; s < SITES; s++) {
            double[] wind = new double[72];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 25;
            String code = "LS-" + (700 + s);
            SITES_BY_CODE.put(code, new LaunchSite(code, "Field " + (s % 180), wind));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] pids = new String[PASSENGERS];
        for (int p = 0; p < PASSENGERS; p++) {
            pids[p] = "PAX" + (40_000_000 + p * 11);
            svc.passengers.put(pids[p], new Passenger(pids[p], "Passenger " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.passBuffers.add(new byte[32_768]);
        for (int c = 0; c < CONNECTIONS; c++) svc.pool[c] = new PooledConnection(c);
        Random traffic = new Random(57_030_002);
        Random plans = new Random(57_030_003);
        java.util.Set<String>[] literalKeys = new java.util.Set[CONNECTIONS]; // self-check only
        for (int c = 0; c < CONNECTIONS; c++) literalKeys[c] = new java.util.HashSet<>();
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            PooledConnection conn = svc.pool[i % CONNECTIONS];
            conn.prepare(TEMPLATES[traffic.nextInt(TEMPLATES.length)], plans, t);
            String ref = "BK" + (2_000_000 + traffic.nextInt(150_000));
            if (traffic.nextInt(2) == 0) {
                svc.manifestLookups++;
                if (FIXED) conn.prepare(MANIFEST_SQL + "?", plans, t); // the fix: bind the booking reference
                else {
                    String sql = MANIFEST_SQL + "'" + ref + "'"; // BUG: the literal makes every reference a new statement
                    conn.prepare(sql, plans, t);
                    literalKeys[conn.id].add(sql);
                }
            }
            svc.scans[(int) (svc.scansWritten++ % RING)] = new BoardingScan(ref, pids[traffic.nextInt(PASSENGERS)], 1 + traffic.nextInt(6), t);
            String key = "brief-" + traffic.nextInt(4_000);
            if (svc.briefings.get(key) == null) svc.briefings.put(key, new Briefing(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.passBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.passBuffers.add(buf);
        }
        long cached = 0, prepares = 0, literals = 0;
        StringBuilder per = new StringBuilder();
        for (PooledConnection c : svc.pool) { cached += c.statementCache.size(); prepares += c.prepares; literals += literalKeys[c.id].size(); per.append(c.statementCache.size()).append(c.id < CONNECTIONS - 1 ? "/" : ""); }
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " passengers " + svc.passengers.size() + " statement caches " + per + " total " + cached + " (literal " + literals + ", prepares " + prepares
                + ") manifest lookups " + svc.manifestLookups + " briefings " + svc.briefings.size() + " (evicted " + svc.briefings.evicted + ") pool " + svc.passBuffers.size() + " scans " + svc.scansWritten);
        check(SITES_BY_CODE.size() == SITES && svc.passengers.size() == PASSENGERS, "reference data / directory");
        for (PooledConnection c : svc.pool) {
            if (FIXED) check(c.statementCache.size() == TEMPLATES.length + 1, "bound statements only: " + c.statementCache.size());
            else check(c.statementCache.size() == TEMPLATES.length + literalKeys[c.id].size() && c.prepares == c.statementCache.size(), "every literal SQL cached");
        }
        check(svc.briefings.size() == BRIEFING_CAP && svc.briefings.evicted > 0, "briefing cache at cap");
        check(svc.passBuffers.size() == POOL, "pool");
        check(svc.scansWritten == requests && svc.scans[RING - 1] != null, "ring");
        literalKeys = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
