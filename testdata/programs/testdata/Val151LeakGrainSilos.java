// hprofscan-dump: name=val151-leak-grainsilos jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val151-leak-grainsilos-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 151 (written blind), LEAK: the silo-inventory service of a grain cooperative's
 * elevators. Silo reference data, the grower directory, a cache of rendered price-board pages at its
 * cap, a pool of moisture-analyser frame buffers, a ring of the last weigh-ins, and a fixed pool of 4
 * database connections, each with a prepared-statement cache keyed by SQL text. Every query but one
 * uses '?' parameters (a fixed set of 18 statements); the weigh-ticket lookup that growers use from
 * the member app concatenates the ticket number into the SQL text ("... WHERE t.ticket_no = 7001234"),
 * so every distinct ticket looked up is a new key, and the caches grow without limit.
 * See VALIDATION151.md.
 */
public final class Val151LeakGrainSilos {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SILOS = 900, GROWERS = 20_000, PAGE_CAP = 1_500, FRAME_POOL = 8, RING = 16_384, CONNECTIONS = 4, HOURS = 10,
            WEIGH_INS_PER_HOUR = 6_000, LOOKUPS_PER_HOUR = 2_000;
    static final String[] FIXED_SQL = {
        "SELECT s.code, s.capacity_t, s.level_t FROM silos s WHERE s.code = ?",
        "UPDATE silos SET level_t = level_t + ?, updated_at = ? WHERE code = ?",
        "INSERT INTO weigh_tickets (ticket_no, grower_id, silo_code, gross_kg, tare_kg, moisture, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "SELECT g.id, g.name, g.contract_t FROM growers g WHERE g.id = ?",
        "UPDATE growers SET delivered_t = delivered_t + ? WHERE id = ?",
        "INSERT INTO moisture_samples (ticket_no, probe, reading, at) VALUES (?, ?, ?, ?)",
        "SELECT p.grade, p.price_per_t FROM price_board p WHERE p.commodity = ? AND p.day = ?",
        "INSERT INTO grade_results (ticket_no, grade, dockage) VALUES (?, ?, ?)",
        "SELECT COUNT(*) FROM weigh_tickets t WHERE t.silo_code = ? AND t.at >= ?",
        "UPDATE trucks SET last_seen = ? WHERE plate = ?",
        "SELECT c.contract_no, c.remaining_t FROM contracts c WHERE c.grower_id = ? AND c.season = ?",
        "INSERT INTO audit_log (actor, action, at) VALUES (?, ?, ?)",
        "SELECT f.fan_id, f.running FROM aeration_fans f WHERE f.silo_code = ?",
        "UPDATE aeration_fans SET running = ?, changed_at = ? WHERE fan_id = ?",
        "SELECT t.temp_c FROM silo_temps t WHERE t.silo_code = ? ORDER BY t.at DESC LIMIT 1",
        "INSERT INTO silo_temps (silo_code, cable, depth_m, temp_c, at) VALUES (?, ?, ?, ?, ?)",
        "SELECT s.settlement_no, s.amount FROM settlements s WHERE s.grower_id = ? AND s.paid = ?",
        "INSERT INTO settlements (settlement_no, grower_id, amount, at) VALUES (?, ?, ?, ?)",
    };
    static final String TICKET_SQL_PREFIX = "SELECT t.ticket_no, t.grower_id, t.silo_code, t.net_kg, t.moisture, t.grade FROM weigh_tickets t WHERE t.ticket_no = ";
    static boolean FIXED;

    record Silo(String code, String elevator, double[] levelCurve) {}
    record Grower(String id, String name, byte[] contractTerms, long memberSince) {}
    record PricePage(String key, byte[] rendered, long at) {}
    record WeighIn(long ticketNo, String growerId, String siloCode, int netKg, long at) {}

    /** A server-side prepared statement: its SQL, the owning connection, and the plan the server sent back. */
    static final class PreparedStatement {
        final String sql;
        final DbConnection connection;
        final byte[] plan;
        final long preparedAt;
        long executions;
        PreparedStatement(String sql, DbConnection connection, byte[] plan, long preparedAt) { this.sql = sql; this.connection = connection; this.plan = plan; this.preparedAt = preparedAt; }
    }

    static final class DbConnection {
        final int id;
        final Map<String, PreparedStatement> statementCache = new HashMap<>();
        long executions, prepares;
        DbConnection(int id) { this.id = id; }
        PreparedStatement prepare(String sql, long at) {
            PreparedStatement ps = statementCache.get(sql);
            if (ps == null) {
                ps = new PreparedStatement(sql, this, new byte[120 + (sql.hashCode() & 0x7f)], at);
                statementCache.put(sql, ps);
                prepares++;
            }
            ps.executions++;
            executions++;
            return ps;
        }
    }

    static final class ConnectionPool {
        final DbConnection[] connections = new DbConnection[CONNECTIONS];
        long borrowed;
        final Random idle = new Random(151_020_003); // which connection happens to be idle
        ConnectionPool() { for (int c = 0; c < CONNECTIONS; c++) connections[c] = new DbConnection(c + 1); }
        DbConnection borrow() { borrowed++; return connections[idle.nextInt(CONNECTIONS)]; }
    }

    static final class PageCache extends LinkedHashMap<String, PricePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PricePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Silo> SILOS_BY_CODE = new HashMap<>();

    static final class ElevatorService {
        final Map<String, Grower> growers = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final WeighIn[] weighIns = new WeighIn[RING];
        final ConnectionPool db = new ConnectionPool();
        long recorded, lookups;

        void recordWeighIn(WeighIn w, int sqlA, int sqlB) {
            DbConnection c = db.borrow();
            c.prepare(FIXED_SQL[2], w.at());
            c.prepare(FIXED_SQL[1], w.at());
            c.prepare(FIXED_SQL[sqlA], w.at());
            c.prepare(FIXED_SQL[sqlB], w.at());
            byte[] frame = frameBuffers.poll();
            frame[(int) (w.ticketNo() % frame.length)] = (byte) w.netKg();
            frameBuffers.add(frame);
            weighIns[(int) (recorded++ % RING)] = w;
        }

        /** The grower app's "where is my load" lookup. */
        void lookupTicket(long ticketNo, long at) {
            DbConnection c = db.borrow();
            if (FIXED) c.prepare(TICKET_SQL_PREFIX + "?", at);
            else c.prepare(TICKET_SQL_PREFIX + ticketNo, at); // BUG: the ticket number is concatenated into the SQL text
            lookups++;
        }
    }

    static ElevatorService SERVICE;

    /** {total statements, ticket-lookup statements} over the pool (its own frame: no iterator stays in main's). */
    static int[] countStatements(ElevatorService svc) {
        int total = 0, ticket = 0;
        for (DbConnection c : svc.db.connections) {
            total += c.statementCache.size();
            for (String sql : c.statementCache.keySet()) if (sql.startsWith(TICKET_SQL_PREFIX)) ticket++;
        }
        return new int[] {total, ticket};
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val151.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(151_020_001);
        String[] siloCodes = new String[SILOS];
        for (int s = 0; s < SILOS; s++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 4_000;
            String code = "SILO-" + (1_000 + s);
            siloCodes[s] = code;
            SILOS_BY_CODE.put(code, new Silo(code, "Elevator " + (s / 12), curve));
        }
        ElevatorService svc = new ElevatorService();
        SERVICE = svc;
        String[] growerIds = new String[GROWERS];
        for (int g = 0; g < GROWERS; g++) {
            String id = "GR-" + (200_000 + g);
            growerIds[g] = id;
            svc.growers.put(id, new Grower(id, "Farm " + g, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < FRAME_POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(151_020_002);
        int weighIns = WEIGH_INS_PER_HOUR * HOURS, lookups = LOOKUPS_PER_HOUR * HOURS;
        int total = weighIns + lookups;
        long firstTicket = 7_000_000L, issued = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            if (i % 4 != 3) {
                svc.recordWeighIn(new WeighIn(firstTicket + issued++, growerIds[traffic.nextInt(GROWERS)], siloCodes[traffic.nextInt(SILOS)], 8_000 + traffic.nextInt(22_000), t),
                        3 + traffic.nextInt(8), 11 + traffic.nextInt(7));
                if (traffic.nextInt(3) == 0) {
                    String key = "board-" + traffic.nextInt(4_000);
                    if (svc.pages.get(key) == null) svc.pages.put(key, new PricePage(key, new byte[500 + traffic.nextInt(500)], t));
                }
            } else {
                // growers look up a recent ticket (usually their own load of the last hour or so)
                long back = Math.min(issued, 200 + traffic.nextInt(6_000));
                svc.lookupTicket(firstTicket + issued - 1 - traffic.nextInt((int) Math.max(1, back)), t);
                // board views also hit the price-board statements
                svc.db.borrow().prepare(FIXED_SQL[6], t);
                svc.db.borrow().prepare(FIXED_SQL[0], t);
            }
        }
        int[] counts = countStatements(svc);
        int totalStatements = counts[0], concatenated = counts[1];
        System.out.println((FIXED ? "FIXED " : "") + "silos " + SILOS_BY_CODE.size() + " growers " + svc.growers.size() + " weigh-ins " + svc.recorded
                + " lookups " + svc.lookups + " statements " + totalStatements + " (ticket-lookup statements " + concatenated + ") per connection "
                + svc.db.connections[0].statementCache.size() + "/" + svc.db.connections[1].statementCache.size() + "/" + svc.db.connections[2].statementCache.size() + "/" + svc.db.connections[3].statementCache.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.frameBuffers.size());
        check(SILOS_BY_CODE.size() == SILOS && svc.growers.size() == GROWERS, "reference data / directory");
        check(svc.recorded == weighIns && svc.lookups == lookups, "traffic");
        check(totalStatements == CONNECTIONS * FIXED_SQL.length + concatenated, "fixed statements on every connection: " + totalStatements);
        if (FIXED) check(concatenated == CONNECTIONS, "one parameterised ticket statement per connection: " + concatenated);
        else check(concatenated > lookups * 8 / 10, "ticket statements keyed by literal: " + concatenated);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.frameBuffers.size() == FRAME_POOL, "pool");
        check(svc.weighIns[RING - 1] != null, "ring");
        svc = null; growerIds = null; siloCodes = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
