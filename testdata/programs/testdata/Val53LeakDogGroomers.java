// hprofscan-dump: name=val53-leak-doggroomers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val53-leak-doggroomers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 53 (written blind), LEAK: the booking and reporting service of a chain of dog
 * grooming salons. Salon reference data, the pet directory, a cache of rendered appointment cards
 * at its cap, a pool of invoice-printer buffers, a ring of recent appointments, and a small fixed
 * pool of hand-written JDBC-like connections. A connection keeps the statements it has prepared
 * in openStatements until they are closed (each Statement has its SQL text, a parameter buffer and
 * a cache of result rows). The booking path closes its statements (try-with-resources); the report
 * path prepares a statement per request and never calls close(), so each long-lived connection
 * keeps every report statement it ever prepared. See VALIDATION53.md.
 */
public final class Val53LeakDogGroomers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SALONS = 1_000, PETS = 26_000, CARD_CAP = 2_000, CONNECTIONS = 6, PRINT_POOL = 8, RING = 16_384, HOURS = 10;
    static final int BOOKINGS_PER_HOUR = 5_000, REPORTS_PER_HOUR = 1_000;
    static boolean FIXED;

    record Salon(String code, String town, double[] hourlyBookings) {}
    record Pet(String petId, String salonCode, String breed, byte[] groomingNotes, long registeredAt) {}
    record Card(String key, byte[] rendered, long at) {}
    record Appointment(String petId, String salonCode, String groomer, long at, int minutes) {}
    record ResultRow(String petId, String groomer, int minutes, long endedAt) {}

    static final class Statement implements AutoCloseable {
        final DbConnection conn; final String sql; final byte[] params; final long preparedAt;
        final List<ResultRow> rowCache = new ArrayList<>();
        boolean closed; int executions;
        Statement(DbConnection conn, String sql, byte[] params, long preparedAt) { this.conn = conn; this.sql = sql; this.params = params; this.preparedAt = preparedAt; }
        int executeUpdate() { executions++; conn.socketBuffer[executions % conn.socketBuffer.length] ^= params[0]; return 1; }
        List<ResultRow> executeQuery(List<ResultRow> rows) { executions++; rowCache.clear(); rowCache.addAll(rows); return rowCache; }
        @Override public void close() {
            if (closed) return;
            closed = true;
            conn.closed++;
            for (int k = conn.openStatements.size() - 1; k >= 0; k--) if (conn.openStatements.get(k) == this) { conn.openStatements.remove(k); break; }
        }
    }

    static final class DbConnection {
        final int id; final byte[] socketBuffer = new byte[16_384];
        final List<Statement> openStatements = new ArrayList<>();
        long prepared, closed, borrowed;
        DbConnection(int id) { this.id = id; }
        Statement prepare(String sql, byte[] params, long at) { Statement s = new Statement(this, sql, params, at); openStatements.add(s); prepared++; return s; }
    }

    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        ConnectionPool() { for (int c = 0; c < CONNECTIONS; c++) { all[c] = new DbConnection(c); idle.add(all[c]); } }
        DbConnection borrow() { DbConnection c = idle.poll(); c.borrowed++; return c; }
        void release(DbConnection c) { idle.add(c); }
    }

    static final class CardCache extends LinkedHashMap<String, Card> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Card> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Salon> SALONS_BY_CODE = new HashMap<>();

    static final class GroomingService {
        final Map<String, Pet> pets = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Appointment[] recent = new Appointment[RING];
        final ConnectionPool db = new ConnectionPool();
        long appointments, reports, rowsReturned;

        void book(Appointment a, byte[] params, Random r) {
            DbConnection c = db.borrow();
            try (Statement s = c.prepare("INSERT INTO appointments (pet_id, salon_code, groomer, starts_at, minutes) VALUES (?, ?, ?, ?, ?)", params, a.at())) {
                s.executeUpdate();
            } finally {
                db.release(c);
            }
            recent[(int) (appointments++ % RING)] = a;
            String key = a.salonCode() + "/" + r.nextInt(5);
            if (cards.get(key) == null) cards.put(key, new Card(key, new byte[400 + r.nextInt(400)], a.at()));
            byte[] buf = printBuffers.poll();
            buf[(int) (appointments % buf.length)] = (byte) appointments;
            printBuffers.add(buf);
        }

        /** Groomer-utilisation report of one salon since a given time (the admin dashboard). */
        int report(long requestId, String salonCode, String kind, byte[] params, List<ResultRow> rows, long at) {
            DbConnection c = db.borrow();
            try {
                String sql = "/* report=" + kind + " req=" + requestId + " */ SELECT a.pet_id, a.groomer, a.minutes, a.ended_at FROM appointments a WHERE a.salon_code = ? AND a.ended_at >= ? ORDER BY a.ended_at";
                if (FIXED) {
                    try (Statement s = c.prepare(sql, params, at)) { return s.executeQuery(rows).size(); }
                }
                Statement s = c.prepare(sql, params, at); // BUG: never closed; the connection keeps it in openStatements
                return s.executeQuery(rows).size();
            } finally {
                reports++;
                db.release(c);
            }
        }
    }

    static GroomingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val53.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(53_020_001);
        String[] salonCodes = new String[SALONS];
        for (int s = 0; s < SALONS; s++) {
            double[] hourly = new double[72];
            for (int k = 0; k < hourly.length; k++) hourly[k] = rnd.nextDouble() * 12;
            salonCodes[s] = "SAL-" + (2_000 + s);
            SALONS_BY_CODE.put(salonCodes[s], new Salon(salonCodes[s], "Town " + (s % 250), hourly));
        }
        GroomingService svc = new GroomingService();
        SERVICE = svc;
        String[] petIds = new String[PETS];
        String[] breeds = {"Poodle", "Cocker Spaniel", "Shih Tzu", "Schnauzer", "Bichon Frise", "Golden Retriever", "Westie", "Labradoodle"};
        for (int p = 0; p < PETS; p++) {
            petIds[p] = "PET-" + (600_000 + p * 3);
            svc.pets.put(petIds[p], new Pet(petIds[p], salonCodes[rnd.nextInt(SALONS)], breeds[p % breeds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < PRINT_POOL; b++) svc.printBuffers.add(new byte[32_768]);
        String[] groomers = new String[120];
        for (int g = 0; g < groomers.length; g++) groomers[g] = "groomer-" + g;
        String[] kinds = {"utilisation", "no-shows", "revenue-by-groomer", "repeat-clients"};
        Random traffic = new Random(53_020_002);
        int bookings = BOOKINGS_PER_HOUR * HOURS, reportCount = 0;
        int perReport = BOOKINGS_PER_HOUR / REPORTS_PER_HOUR;
        int maxOpen = 0;
        for (int i = 0; i < bookings; i++) {
            long t = start + (end - MINUTE - start) * i / bookings;
            String pet = petIds[traffic.nextInt(PETS)];
            String salon = salonCodes[traffic.nextInt(SALONS)];
            svc.book(new Appointment(pet, salon, groomers[traffic.nextInt(groomers.length)], t, 30 + 15 * traffic.nextInt(8)), new byte[48 + traffic.nextInt(32)], traffic);
            if (traffic.nextInt(perReport) == 0) { // about one report request per five bookings
                reportCount++;
                List<ResultRow> rows = new ArrayList<>();
                for (int k = 4 + traffic.nextInt(12); k > 0; k--) rows.add(new ResultRow(petIds[traffic.nextInt(PETS)], groomers[traffic.nextInt(groomers.length)], 30 + 15 * traffic.nextInt(8), t - traffic.nextInt(86_400) * 1_000L));
                svc.rowsReturned += svc.report(40_000_000L + i, salon, kinds[traffic.nextInt(kinds.length)], new byte[64 + traffic.nextInt(64)], rows, t);
            }
            for (DbConnection c : svc.db.all) maxOpen = Math.max(maxOpen, c.openStatements.size());
        }
        long open = 0, prepared = 0, closed = 0, openRows = 0;
        StringBuilder perConn = new StringBuilder();
        for (DbConnection c : svc.db.all) {
            open += c.openStatements.size(); prepared += c.prepared; closed += c.closed;
            for (Statement s : c.openStatements) openRows += s.rowCache.size();
            perConn.append(' ').append(c.openStatements.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "salons " + SALONS_BY_CODE.size() + " pets " + svc.pets.size() + " appointments " + svc.appointments + " reports " + svc.reports + " prepared " + prepared + " closed " + closed
                + " open statements " + open + " (per connection" + perConn + ", rows cached " + openRows + ", max open " + maxOpen + ") rows returned " + svc.rowsReturned + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") print pool " + svc.printBuffers.size()
                + " idle connections " + svc.db.idle.size());
        check(SALONS_BY_CODE.size() == SALONS && svc.pets.size() == PETS, "reference data / directory");
        check(svc.appointments == bookings && svc.reports == reportCount && prepared == bookings + reportCount, "traffic");
        if (FIXED) check(open == 0 && closed == prepared, "every statement closed: " + open);
        else check(open == reportCount && closed == bookings && openRows == svc.rowsReturned, "report statements kept open: " + open);
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.printBuffers.size() == PRINT_POOL && svc.db.idle.size() == CONNECTIONS, "pools");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
