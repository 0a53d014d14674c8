// hprofscan-dump: name=val53-healthy-opticians jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val53-healthy-opticians-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 53 (written blind), HEALTHY: the practice-management service of a chain of
 * opticians. Lens catalogue reference data, the patient directory, a cache of rendered frame
 * try-on previews at its cap, a ring of recent eye-test appointments, a small fixed pool of
 * JDBC-like connections whose statements are all closed (try-with-resources: no open statement
 * at the dump), per-thread state on the request thread (a scratch buffer, and an audit batch that
 * is flushed and cleared at the end of every request), and a webhook outbox to the lens labs
 * (per-lab LinkedList retry queues; permanent 4xx rejections are dead-lettered into a capped log
 * of the newest 256). See VALIDATION53.md.
 */
public final class Val53HealthyOpticians {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LENSES = 2_400, PATIENTS = 27_000, PREVIEW_CAP = 2_000, RING = 16_384, CONNECTIONS = 6, LABS = 40, DEAD_LETTER_CAP = 256, HOURS = 10;
    static final int REQUESTS_PER_HOUR = 6_000;

    record Lens(String sku, String material, double[] priceByPower) {}
    record Patient(String patientId, String practice, String name, byte[] prescriptionHistory, long registeredAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record EyeTest(String patientId, String practice, String optometrist, long at) {}
    record AuditRecord(long requestId, String action, String patientId, long at, byte[] detail) {}
    record DeadLetter(long orderId, String labId, int status, int attempts, long firstAttemptAt, byte[] payload) {}

    static final class Statement implements AutoCloseable {
        final DbConnection conn; final String sql; final byte[] params; final List<long[]> rows = new ArrayList<>(); boolean closed;
        Statement(DbConnection conn, String sql, byte[] params) { this.conn = conn; this.sql = sql; this.params = params; }
        int execute(int rowCount) { for (int k = 0; k < rowCount; k++) rows.add(new long[] {k, params.length}); return rowCount; }
        @Override public void close() {
            if (closed) return;
            closed = true; conn.closed++; rows.clear();
            for (int k = conn.openStatements.size() - 1; k >= 0; k--) if (conn.openStatements.get(k) == this) { conn.openStatements.remove(k); break; }
        }
    }

    static final class DbConnection {
        final int id; final byte[] socketBuffer = new byte[16_384];
        final List<Statement> openStatements = new ArrayList<>();
        long prepared, closed;
        DbConnection(int id) { this.id = id; }
        Statement prepare(String sql, byte[] params) { Statement s = new Statement(this, sql, params); openStatements.add(s); prepared++; return s; }
    }

    static final class ConnectionPool {
        final DbConnection[] all = new DbConnection[CONNECTIONS];
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        ConnectionPool() { for (int c = 0; c < CONNECTIONS; c++) { all[c] = new DbConnection(c); idle.add(all[c]); } }
    }

    static final class LabOrder {
        final long orderId; final String labId; final byte[] payload; final int permanentStatus;
        int transientFailuresLeft, attempts; final long firstAttemptAt; long lastAttemptAt;
        LabOrder(long orderId, String labId, byte[] payload, int permanentStatus, int transientFailures, long at) {
            this.orderId = orderId; this.labId = labId; this.payload = payload; this.permanentStatus = permanentStatus; this.transientFailuresLeft = transientFailures; this.firstAttemptAt = at;
        }
    }

    static final class Lab {
        final String labId, endpoint; final LinkedList<LabOrder> retryQueue = new LinkedList<>(); long delivered;
        Lab(String labId, String endpoint) { this.labId = labId; this.endpoint = endpoint; }
    }

    static final class LabOutbox {
        final Map<String, Lab> labs = new HashMap<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
        long published, accepted, deadLettered, retryRounds;
        void attemptAndSettle(Lab lab, LabOrder o, long t) {
            o.attempts++; o.lastAttemptAt = t;
            int status = o.permanentStatus != 0 ? o.permanentStatus : o.transientFailuresLeft-- > 0 ? 503 : 201;
            if (status < 300) { accepted++; lab.delivered++; }
            else if (status >= 500) lab.retryQueue.addLast(o);
            else { // permanent rejection: dead-letter, never retry
                deadLettered++;
                deadLetters.addLast(new DeadLetter(o.orderId, o.labId, status, o.attempts, o.firstAttemptAt, o.payload));
                if (deadLetters.size() > DEAD_LETTER_CAP) deadLetters.removeFirst();
            }
        }
        void retryRound(long t) {
            retryRounds++;
            for (Lab lab : labs.values()) for (int n = lab.retryQueue.size(); n > 0; n--) attemptAndSettle(lab, lab.retryQueue.pollFirst(), t);
        }
        long queued() { long q = 0; for (Lab l : labs.values()) q += l.retryQueue.size(); return q; }
    }

    static final class AuditShipper {
        long shipped, flushes;
        void ship(List<AuditRecord> batch) { shipped += batch.size(); flushes++; }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
    static final ThreadLocal<List<AuditRecord>> AUDIT_BATCH = ThreadLocal.withInitial(ArrayList::new);

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lens> LENSES_BY_SKU = new HashMap<>();

    static final class PracticeService {
        final Map<String, Patient> patients = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final EyeTest[] recent = new EyeTest[RING];
        long eyeTests;
        final ConnectionPool db = new ConnectionPool();
        final LabOutbox outbox = new LabOutbox();
        final AuditShipper audit = new AuditShipper();

        void handle(long requestId, EyeTest test, String[] actions, byte[][] details, byte[] params, int rows) {
            byte[] scratch = SCRATCH.get();
            List<AuditRecord> batch = AUDIT_BATCH.get();
            DbConnection c = db.idle.poll();
            try (Statement s = c.prepare("SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY issued_at DESC LIMIT 5", params)) {
                s.execute(rows);
                scratch[(int) (requestId % scratch.length)] = (byte) rows;
            } finally {
                db.idle.add(c);
            }
            for (int k = 0; k < actions.length; k++) batch.add(new AuditRecord(requestId, actions[k], test.patientId(), test.at() + k * 20L, details[k]));
            recent[(int) (eyeTests++ % RING)] = test;
            audit.ship(batch); // end of request: flush and clear the per-thread batch
            batch.clear();
        }
    }

    static PracticeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(53_060_001);
        String[] materials = {"CR-39", "polycarbonate", "Trivex", "high-index 1.67", "high-index 1.74", "glass"};
        String[] skus = new String[LENSES];
        for (int l = 0; l < LENSES; l++) {
            double[] prices = new double[48];
            for (int k = 0; k < prices.length; k++) prices[k] = 40 + rnd.nextDouble() * 200;
            skus[l] = "LNS-" + (10_000 + l);
            LENSES_BY_SKU.put(skus[l], new Lens(skus[l], materials[l % materials.length], prices));
        }
        PracticeService svc = new PracticeService();
        SERVICE = svc;
        String[] practices = new String[300];
        for (int p = 0; p < practices.length; p++) practices[p] = "PR-" + (500 + p);
        String[] patientIds = new String[PATIENTS];
        for (int p = 0; p < PATIENTS; p++) {
            patientIds[p] = "PT" + (8_100_000 + p * 3);
            svc.patients.put(patientIds[p], new Patient(patientIds[p], practices[rnd.nextInt(practices.length)], "Patient " + p, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        Lab[] labs = new Lab[LABS];
        for (int l = 0; l < LABS; l++) {
            labs[l] = new Lab("LAB-" + (70 + l), "https://orders.lab" + l + ".example/api/v1/jobs");
            svc.outbox.labs.put(labs[l].labId, labs[l]);
        }
        String[] optometrists = new String[150];
        for (int o = 0; o < optometrists.length; o++) optometrists[o] = "optom-" + o;
        String[][] flows = {{"TEST_STARTED", "PRESCRIPTION_READ", "TEST_COMPLETED"}, {"TEST_STARTED", "PRESCRIPTION_READ", "PRESCRIPTION_ISSUED", "TEST_COMPLETED"}};
        Random traffic = new Random(53_060_002);
        Random orders = new Random(53_060_003);
        int requests = REQUESTS_PER_HOUR * HOURS;
        long nextRound = start + MINUTE, orderCount = 0, rejected = 0, auditRecords = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextRound <= t) { svc.outbox.retryRound(nextRound); nextRound += MINUTE; }
            String patient = patientIds[traffic.nextInt(PATIENTS)];
            EyeTest test = new EyeTest(patient, practices[traffic.nextInt(practices.length)], optometrists[traffic.nextInt(optometrists.length)], t);
            String[] flow = flows[traffic.nextInt(flows.length)];
            byte[][] details = new byte[flow.length][];
            for (int k = 0; k < flow.length; k++) details[k] = new byte[40 + traffic.nextInt(60)];
            auditRecords += flow.length;
            svc.handle(31_000_000L + i, test, flow, details, new byte[48 + traffic.nextInt(32)], 1 + traffic.nextInt(5));
            String key = "frame-" + traffic.nextInt(6_000) + "/" + traffic.nextInt(3);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 3 == 0) { // a lens order to a lab for every third eye test
                Lab lab = labs[orders.nextInt(LABS)];
                double q = orders.nextDouble();
                int perm = q < 0.04 ? (orders.nextBoolean() ? 400 : 422) : 0;
                int trans = q >= 0.04 && q < 0.08 ? 1 + orders.nextInt(3) : 0;
                if (perm != 0) rejected++;
                svc.outbox.published++;
                orderCount++;
                svc.outbox.attemptAndSettle(lab, new LabOrder(90_000_000L + i, lab.labId, new byte[500 + orders.nextInt(1_000)], perm, trans, t), t);
            }
        }
        while (nextRound <= end - MINUTE) { svc.outbox.retryRound(nextRound); nextRound += MINUTE; }
        long open = 0, prepared = 0;
        for (DbConnection c : svc.db.all) { open += c.openStatements.size(); prepared += c.prepared; }
        LabOutbox o = svc.outbox;
        System.out.println("lenses " + LENSES_BY_SKU.size() + " patients " + svc.patients.size() + " eye tests " + svc.eyeTests + " statements prepared " + prepared + " open " + open + " audit records " + auditRecords + " shipped " + svc.audit.shipped + " batch " + AUDIT_BATCH.get().size()
                + " lab orders " + orderCount + " accepted " + o.accepted + " rejected " + rejected + " dead letters kept " + o.deadLetters.size() + " queued " + o.queued() + " retry rounds " + o.retryRounds + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") idle connections " + svc.db.idle.size());
        check(LENSES_BY_SKU.size() == LENSES && svc.patients.size() == PATIENTS && o.labs.size() == LABS, "reference data / directories");
        check(svc.eyeTests == requests && svc.recent[RING - 1] != null, "ring");
        check(open == 0 && prepared == requests && svc.db.idle.size() == CONNECTIONS, "statements closed, pool complete");
        check(svc.audit.shipped == auditRecords && AUDIT_BATCH.get().isEmpty(), "audit batch flushed per request");
        check(o.deadLettered == rejected && o.deadLetters.size() == DEAD_LETTER_CAP && o.queued() < 40 && o.accepted + o.deadLettered + o.queued() == orderCount, "outbox: " + o.queued());
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
