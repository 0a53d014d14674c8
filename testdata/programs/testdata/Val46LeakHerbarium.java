// hprofscan-dump: name=val46-leak-herbarium jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val46-leak-herbarium-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 46 (written blind), LEAK: the specimen catalogue API of a university herbarium.
 * Plant-family reference data, the specimen directory, a cache of rendered image tiles at its cap,
 * a pool of scanner buffers, a ring of recent catalogue accesses, and a small hand-written database
 * driver: a pool of 8 long-lived connections, each keeping the statements opened on it in
 * {@code Connection.openStatements} until they are closed. The specimen-detail and loan endpoints
 * close their statements (try-with-resources); the full-text search endpoint reads the result and
 * returns the connection to the pool without closing its statement, so every search's statement,
 * with its parameters and result buffer, stays with its connection. The fix closes it. See
 * VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46LeakHerbarium {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FAMILIES = 1_200, SPECIMENS = 25_000, TILE_CAP = 2_000, POOL = 8, CONNECTIONS = 8, RING = 16_384, REQUESTS_PER_HOUR = 6_000, HOURS = 10;
    static final String SEARCH_SQL = "SELECT barcode, taxon, collector, collected_on FROM specimen WHERE to_tsvector(label) @@ plainto_tsquery(?) AND county = ? ORDER BY collected_on DESC LIMIT ?";
    static final String DETAIL_SQL = "SELECT * FROM specimen s JOIN determination d ON d.barcode = s.barcode WHERE s.barcode = ?";
    static final String LOAN_SQL = "INSERT INTO loan_request(barcode, institution, requested_at) VALUES (?, ?, ?)";
    static final String[] GENERA = {"Quercus", "Carex", "Salix", "Juncus", "Rubus", "Eriogonum", "Astragalus", "Penstemon", "Solidago", "Viola"};
    static boolean FIXED;

    record Family(String code, String name, double[] phenologyByWeek) {}
    record Specimen(String barcode, String familyCode, String collector, byte[] labelTranscription, long collectedAt) {}
    record ImageTile(String key, byte[] png, long at) {}
    record Access(String barcode, String user, String endpoint, long at) {}

    /** A statement of the hand-written driver: registered on its connection until closed. */
    static final class Statement implements AutoCloseable {
        final long id; final Connection connection; final String sql; final Object[] params; final long openedAt;
        byte[] resultBuffer; int rows; boolean closed;
        Statement(long id, Connection connection, String sql, Object[] params, long openedAt) { this.id = id; this.connection = connection; this.sql = sql; this.params = params; this.openedAt = openedAt; }
        void execute(int resultBytes, int rowCount) { resultBuffer = new byte[resultBytes]; rows = rowCount; connection.executions++; }
        @Override public void close() {
            if (closed) return;
            closed = true;
            resultBuffer = null;
            connection.openStatements.remove(this);
            connection.closedStatements++;
        }
    }

    static final class Connection {
        final String id; final long connectedAt;
        final List<Statement> openStatements = new ArrayList<>();
        long statementIds, executions, closedStatements, borrows;
        Connection(String id, long connectedAt) { this.id = id; this.connectedAt = connectedAt; }
        Statement prepare(String sql, long at, Object... params) {
            Statement s = new Statement(++statementIds, this, sql, params, at);
            openStatements.add(s);
            return s;
        }
    }

    static final class ConnectionPool {
        final Connection[] all = new Connection[CONNECTIONS];
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        ConnectionPool(long at) { for (int c = 0; c < CONNECTIONS; c++) { all[c] = new Connection("herb-db-" + c, at); idle.add(all[c]); } }
        Connection borrow() { Connection c = idle.poll(); c.borrows++; return c; }
        void release(Connection c) { idle.add(c); }
    }

    static final class TileCache extends LinkedHashMap<String, ImageTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ImageTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Family> FAMILIES_BY_CODE = new HashMap<>();

    static final class CatalogueService {
        final Map<String, Specimen> specimens = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> scannerBuffers = new ArrayDeque<>();
        final Access[] recentAccesses = new Access[RING];
        long accesses, searches, details, loans, resultBytesRead;
        ConnectionPool db;

        void search(String query, String county, int limit, int resultBytes, int rows, long at) {
            searches++;
            Connection c = db.borrow();
            if (FIXED) {
                try (Statement st = c.prepare(SEARCH_SQL, at, query, county, limit)) {
                    st.execute(resultBytes, rows);
                    resultBytesRead += st.resultBuffer.length;
                }
            } else {
                Statement st = c.prepare(SEARCH_SQL, at, query, county, limit);
                st.execute(resultBytes, rows);
                resultBytesRead += st.resultBuffer.length; // BUG: st is never closed
            }
            db.release(c);
        }

        void detail(String barcode, int resultBytes, long at) {
            details++;
            Connection c = db.borrow();
            try (Statement st = c.prepare(DETAIL_SQL, at, barcode)) {
                st.execute(resultBytes, 1);
                resultBytesRead += st.resultBuffer.length;
            } finally {
                db.release(c);
            }
        }

        void loan(String barcode, String institution, long at) {
            loans++;
            Connection c = db.borrow();
            try (Statement st = c.prepare(LOAN_SQL, at, barcode, institution, at)) {
                st.execute(16, 1);
            } finally {
                db.release(c);
            }
        }
    }

    static CatalogueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val46.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(46_030_001);
        String[] familyCodes = new String[FAMILIES];
        for (int f = 0; f < FAMILIES; f++) {
            double[] phenology = new double[64];
            for (int k = 0; k < phenology.length; k++) phenology[k] = rnd.nextDouble();
            familyCodes[f] = "FAM-" + (100 + f);
            FAMILIES_BY_CODE.put(familyCodes[f], new Family(familyCodes[f], GENERA[f % GENERA.length] + "aceae " + f, phenology));
        }
        CatalogueService svc = new CatalogueService();
        SERVICE = svc;
        svc.db = new ConnectionPool(start - 3 * DAY);
        String[] barcodes = new String[SPECIMENS];
        String[] collectors = {"Brandegee", "Eastwood", "Jepson", "Abrams", "Munz", "Howell", "Twisselmann", "Ertter"};
        for (int s = 0; s < SPECIMENS; s++) {
            barcodes[s] = "HERB" + (600_000 + s * 3);
            svc.specimens.put(barcodes[s], new Specimen(barcodes[s], familyCodes[rnd.nextInt(FAMILIES)], collectors[rnd.nextInt(collectors.length)], new byte[150 + rnd.nextInt(150)], now - (long) (365 + rnd.nextInt(40_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scannerBuffers.add(new byte[32_768]);
        String[] counties = new String[58];
        for (int c = 0; c < counties.length; c++) counties[c] = "county-" + (c + 1);
        String[] endpoints = {"search", "detail", "loan"};
        String[] institutions = {"UC", "CAS", "RSA", "SD", "NY", "MO", "US", "F"};

        Random traffic = new Random(46_030_002);
        int searchesExpected = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String barcode = barcodes[traffic.nextInt(SPECIMENS)];
            String user = "user-" + traffic.nextInt(900);
            int kind = traffic.nextInt(4); // 0 search, 1-2 detail, 3 loan (one in 8) or tile
            int resultBytes = 256 + traffic.nextInt(256);
            int endpoint;
            if (kind == 0) {
                String query = GENERA[traffic.nextInt(GENERA.length)] + " " + (char) ('a' + traffic.nextInt(26)) + (char) ('a' + traffic.nextInt(26)) + "* " + traffic.nextInt(1_000);
                svc.search(query, counties[traffic.nextInt(counties.length)], 25 + 25 * traffic.nextInt(4), resultBytes, 1 + traffic.nextInt(100), t);
                searchesExpected++;
                endpoint = 0;
            } else if (kind == 3 && traffic.nextInt(2) == 0) {
                svc.loan(barcode, institutions[traffic.nextInt(institutions.length)], t);
                endpoint = 2;
            } else {
                svc.detail(barcode, resultBytes, t);
                endpoint = 1;
                String tkey = "tile-" + traffic.nextInt(4_000);
                int tileSize = 600 + traffic.nextInt(600);
                if (svc.tiles.get(tkey) == null) svc.tiles.put(tkey, new ImageTile(tkey, new byte[tileSize], t));
                byte[] buf = svc.scannerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.scannerBuffers.add(buf);
            }
            svc.recentAccesses[(int) (svc.accesses++ % RING)] = new Access(barcode, user, endpoints[endpoint], t);
        }
        int open = 0, minOpen = Integer.MAX_VALUE, maxOpen = 0;
        long oldestOpen = Long.MAX_VALUE;
        for (Connection c : svc.db.all) {
            open += c.openStatements.size();
            minOpen = Math.min(minOpen, c.openStatements.size());
            maxOpen = Math.max(maxOpen, c.openStatements.size());
            for (Statement st : c.openStatements) oldestOpen = Math.min(oldestOpen, st.openedAt);
        }
        System.out.println((FIXED ? "FIXED " : "") + "families " + FAMILIES_BY_CODE.size() + " specimens " + svc.specimens.size() + " searches " + svc.searches + " details " + svc.details + " loans " + svc.loans
                + " open statements " + open + " (per connection " + minOpen + ".." + maxOpen + (open > 0 ? ", oldest " + (end - oldestOpen) / MINUTE + " min before end" : "") + ") idle connections " + svc.db.idle.size()
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.scannerBuffers.size() + " accesses " + svc.accesses);
        check(FAMILIES_BY_CODE.size() == FAMILIES && svc.specimens.size() == SPECIMENS, "reference data / directory");
        check(svc.searches == searchesExpected && svc.searches + svc.details + svc.loans == requests, "request traffic");
        check(open == (FIXED ? 0 : searchesExpected), "open statements: " + open);
        check(svc.db.idle.size() == CONNECTIONS, "connection pool");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.scannerBuffers.size() == POOL, "pool");
        check(svc.accesses == requests && svc.recentAccesses[RING - 1] != null, "ring");
        LeakCheck.histogram(" [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
