// hprofscan-dump: name=val99-leak-boatregistry jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val99-leak-boatregistry-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 99 (written blind), LEAK: the registration office of a national small-craft
 * registry (vessel registrations renewed online, registry look-ups by harbour masters). Mooring-zone
 * reference data, the vessel directory, a cache of rendered registration certificates at its cap, a
 * pool of document-scan buffers, a ring of recent renewal outcomes, and a hand-written database
 * connection pool (idle deque, leases in an IdentityHashMap connection -> Lease, opens a new
 * connection when none is idle, no upper bound). RenewalHandler.renew borrows a connection and then
 * parses the hull identification number; the try/finally that returns the connection starts only
 * after that parse, so a renewal with a malformed HIN throws between the borrow and the try: its
 * connection (with its socket buffers and statement cache) and its lease (with the rejected
 * renewal request) stay in the pool's lease map forever. See VALIDATION99.md.
 */
public final class Val99LeakBoatRegistry {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_100, VESSELS = 24_000, CERT_CAP = 2_000, SCAN_POOL = 8, RING = 16_384, PREWARMED = 10, HOURS = 10;
    static final int RENEWALS_PER_HOUR = 2_400, LOOKUPS_PER_HOUR = 6_000;
    static final String SQL_VESSEL = "SELECT * FROM vessel WHERE reg_no = ?", SQL_OWNER = "SELECT * FROM owner WHERE owner_id = ?",
            SQL_RENEW = "UPDATE registration SET valid_until = ? WHERE reg_no = ?", SQL_AUDIT = "INSERT INTO renewal_audit VALUES (?, ?, ?, ?)",
            SQL_ZONE = "SELECT * FROM mooring WHERE zone = ?";
    static boolean FIXED;

    record MooringZone(String code, String harbour, double[] feeByLengthClass) {}
    record Vessel(String regNo, String name, String hin, String ownerId, byte[] surveyRecord, long registeredAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record RenewalOutcome(String regNo, boolean accepted, long at) {}
    record RenewalRequest(String requestId, String regNo, String hin, String ownerName, byte[] form, long at) {}
    record HullId(String manufacturer, String serial, int modelYear) {}

    static final class PreparedStatement {
        final String sql; final int[] paramTypes; final byte[] plan; long executions;
        PreparedStatement(String sql, int params, byte[] plan) { this.sql = sql; this.paramTypes = new int[params]; this.plan = plan; }
    }

    static final class PooledConnection {
        final int id; final String url; final long openedAt;
        final byte[] readBuffer = new byte[8_192], writeBuffer = new byte[4_096];
        final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);
        long uses;
        PooledConnection(int id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
        PreparedStatement prepare(String sql, int params, Random r) {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) { ps = new PreparedStatement(sql, params, new byte[64 + r.nextInt(64)]); statements.put(sql, ps); }
            ps.executions++;
            readBuffer[(int) (uses % readBuffer.length)] = (byte) uses;
            return ps;
        }
    }

    record Lease(PooledConnection connection, RenewalRequest request, String caller, long borrowedAt) {}

    /** Hand-written pool: idle connections, leases by connection; opens a new connection when none is idle. */
    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final IdentityHashMap<PooledConnection, Lease> leased = new IdentityHashMap<>();
        int opened; long borrows, returns;
        PooledConnection open(long at) { opened++; return new PooledConnection(opened, "jdbc:postgresql://registry-db-" + (opened % 3) + "/craft", at); }
        PooledConnection borrow(RenewalRequest forRequest, String caller, long at) {
            PooledConnection c = idle.poll();
            if (c == null) c = open(at);
            c.uses++;
            borrows++;
            leased.put(c, new Lease(c, forRequest, caller, at));
            return c;
        }
        void release(PooledConnection c) {
            if (leased.remove(c) != null) { returns++; idle.push(c); }
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, MooringZone> ZONES_BY_CODE = new HashMap<>();

    static final class RegistryOffice {
        final Map<String, Vessel> vessels = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final RenewalOutcome[] recent = new RenewalOutcome[RING];
        long outcomes, accepted, rejected, lookups;
        final ConnectionPool db = new ConnectionPool();

        static HullId parseHin(String hin) {
            // ISO 10087: 3-letter manufacturer code, 5-character serial, month letter, year digit, 2-digit model year
            if (hin.length() != 12 || !Character.isLetter(hin.charAt(0)) || !Character.isDigit(hin.charAt(10)))
                throw new IllegalArgumentException("malformed hull identification number: " + hin);
            return new HullId(hin.substring(0, 3), hin.substring(3, 8), Integer.parseInt(hin.substring(10)));
        }

        /** The buggy handler: the borrow happens before the try that returns the connection. */
        void renew(RenewalRequest req, Random r, long at) {
            PooledConnection c = db.borrow(req, "RenewalHandler.renew", at);
            HullId hull = parseHin(req.hin()); // throws on a malformed HIN: c is never released
            try {
                execute(c, req, hull, r);
            } finally {
                db.release(c);
            }
        }

        /** The fix: borrow, then everything that can fail inside the try. */
        void renewFixed(RenewalRequest req, Random r, long at) {
            PooledConnection c = db.borrow(req, "RenewalHandler.renew", at);
            try {
                HullId hull = parseHin(req.hin());
                execute(c, req, hull, r);
            } finally {
                db.release(c);
            }
        }

        void execute(PooledConnection c, RenewalRequest req, HullId hull, Random r) {
            c.prepare(SQL_VESSEL, 1, r);
            c.prepare(SQL_OWNER, 1, r);
            c.prepare(SQL_RENEW, 2, r);
            c.prepare(SQL_AUDIT, 4, r);
            if (hull.modelYear() < 0) throw new IllegalStateException();
        }

        void lookup(String zone, Random r, long at) {
            PooledConnection c = db.borrow(null, "HarbourMasterApi.lookup", at);
            try {
                c.prepare(SQL_VESSEL, 1, r);
                c.prepare(SQL_ZONE, 1, r);
                lookups++;
            } finally {
                db.release(c);
            }
        }
    }

    static RegistryOffice SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hinFor(int v) {
        return "US" + (char) ('A' + v % 26) + String.format("%05d", v % 100_000) + "C" + (v % 10) + String.format("%02d", v % 30);
    }

    static void run() {
        int renewals = RENEWALS_PER_HOUR * HOURS, lookups = LOOKUPS_PER_HOUR * HOURS, events = renewals + lookups;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(99_020_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] fees = new double[64];
            for (int k = 0; k < fees.length; k++) fees[k] = 100 + rnd.nextDouble() * 900;
            zoneCodes[z] = "MZ-" + (z / 50) + "-" + (z % 50);
            ZONES_BY_CODE.put(zoneCodes[z], new MooringZone(zoneCodes[z], "Harbour " + (z / 50), fees));
        }
        RegistryOffice svc = new RegistryOffice();
        SERVICE = svc;
        String[] regNos = new String[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            regNos[v] = "SC-" + (200_000 + v * 7);
            svc.vessels.put(regNos[v], new Vessel(regNos[v], "Vessel " + v, hinFor(v), "OWN-" + (70_000 + rnd.nextInt(20_000)), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < SCAN_POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        for (int c = 0; c < PREWARMED; c++) svc.db.idle.add(svc.db.open(start));
        Random traffic = new Random(99_020_002);
        Random sql = new Random(99_020_003);
        int malformed = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (traffic.nextInt(events - i) < renewals) { // a renewal submitted online
                renewals--;
                String regNo = regNos[traffic.nextInt(VESSELS)];
                String hin = svc.vessels.get(regNo).hin();
                if (traffic.nextInt(40) == 0) { hin = hin.substring(0, 6) + "-" + hin.substring(6, 9); malformed++; } // typed with a dash, truncated
                RenewalRequest req = new RenewalRequest("RNW-" + (4_000_000 + i), regNo, hin, "Owner " + traffic.nextInt(90_000), new byte[200 + traffic.nextInt(200)], t);
                byte[] scan = svc.scanBuffers.poll();
                scan[i % scan.length] = (byte) i;
                svc.scanBuffers.add(scan);
                boolean ok;
                try {
                    if (FIXED) svc.renewFixed(req, sql, t); else svc.renew(req, sql, t);
                    ok = true;
                    svc.accepted++;
                } catch (IllegalArgumentException e) {
                    ok = false; // answered with "400: check the hull identification number"
                    svc.rejected++;
                }
                svc.recent[(int) (svc.outcomes++ % RING)] = new RenewalOutcome(regNo, ok, t);
                if (ok) {
                    String key = "cert-" + traffic.nextInt(6_000);
                    if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
                }
            } else { // a harbour master's look-up
                svc.lookup(zoneCodes[traffic.nextInt(ZONES)], sql, t);
            }
        }
        ConnectionPool db = svc.db;
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " vessels " + svc.vessels.size() + " renewals " + (svc.accepted + svc.rejected) + " (accepted " + svc.accepted
                + ", rejected " + svc.rejected + ", malformed " + malformed + ") lookups " + svc.lookups + " pool: opened " + db.opened + " idle " + db.idle.size() + " leased " + db.leased.size()
                + " borrows " + db.borrows + " returns " + db.returns + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") scan pool " + svc.scanBuffers.size()
                + " outcomes " + svc.outcomes);
        check(ZONES_BY_CODE.size() == ZONES && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.accepted + svc.rejected == RENEWALS_PER_HOUR * HOURS && svc.rejected == malformed && svc.lookups == LOOKUPS_PER_HOUR * HOURS, "traffic");
        if (FIXED) check(db.leased.isEmpty() && db.opened == PREWARMED && db.idle.size() == PREWARMED && db.returns == db.borrows, "fixed pool: all returned");
        else check(db.leased.size() == malformed && db.borrows - db.returns == malformed && db.opened == malformed + 1 && db.idle.size() == 1, "leaked leases: " + db.leased.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.scanBuffers.size() == SCAN_POOL, "scan pool");
        check(svc.outcomes > RING && svc.recent[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val99.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
