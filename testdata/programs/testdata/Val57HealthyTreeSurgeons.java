// hprofscan-dump: name=val57-healthy-treesurgeons jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val57-healthy-treesurgeons-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 57 (written blind), HEALTHY: the scheduling service of an arboriculture (tree
 * surgery) contractor. Tree-species reference data, the work-site directory, a cache of rendered
 * risk assessments at its cap, a pool of chipper-telemetry decode buffers, a ring of site visits,
 * and the look-alikes done right: a unit of work opened and closed per request, an audit
 * ObjectOutputStream reset() after every batch, per-connection statement caches that bind their
 * parameters (IN-lists of 1-8 placeholders give a bounded set of SQL texts) and are LRU-capped at
 * 64, and a canonicalisation pool fed only from species, crew and council names. See VALIDATION57.md.
 */
public final class Val57HealthyTreeSurgeons {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPECIES = 1_200, SITES = 26_000, ASSESSMENT_CAP = 2_000, POOL = 10, RING = 16_384, CONNECTIONS = 5, STMT_CAP = 64,
            REQUESTS_PER_HOUR = 6_000, HOURS = 10, BATCH = 200;

    record Species(String code, String latinName, double[] growthCurve) {}
    record WorkSite(String siteId, String council, String speciesCode, byte[] survey, long surveyedAt) {}
    record Assessment(String key, byte[] rendered, long at) {}
    record Visit(String siteId, String crew, int minutes, long at) {}
    record EntityKey(String type, long id) {}

    static final class Job { final long id; final String siteId; final String crew; final byte[] method;
        Job(long id, String siteId, String crew, byte[] method) { this.id = id; this.siteId = siteId; this.crew = crew; this.method = method; } }

    /** Persistence context opened for one request and closed at its end. */
    static final class UnitOfWork implements AutoCloseable {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        boolean closed;
        Job findJob(long id, String[] siteIds, String[] crews) {
            EntityKey k = new EntityKey("Job", id);
            Object e = identityMap.get(k);
            if (e != null) return (Job) e;
            Random r = new Random(id);
            Job j = new Job(id, siteIds[r.nextInt(siteIds.length)], crews[r.nextInt(crews.length)], new byte[60 + r.nextInt(60)]);
            identityMap.put(k, j);
            return j;
        }
        @Override public void close() { identityMap.clear(); closed = true; }
    }

    static final class AuditEntry implements Serializable {
        private static final long serialVersionUID = 1L;
        final long jobId; final String kind, siteId; final long at; final byte[] detail;
        AuditEntry(long jobId, String kind, String siteId, long at, byte[] detail) { this.jobId = jobId; this.kind = kind; this.siteId = siteId; this.at = at; this.detail = detail; }
    }

    static final class NullSocket extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    /** Audit stream to the records office, reset after every batch of BATCH entries. */
    static final class AuditStream {
        final NullSocket socket = new NullSocket();
        final ObjectOutputStream out;
        long written, resets;
        AuditStream() throws IOException { out = new ObjectOutputStream(socket); }
        void write(AuditEntry e) throws IOException {
            out.writeObject(e);
            if (++written % BATCH == 0) { out.flush(); out.reset(); resets++; }
        }
    }

    static final class Stmt { final String sql; final byte[] plan; long uses; Stmt(String sql, byte[] plan) { this.sql = sql; this.plan = plan; } }

    /** Per-connection statement cache: LRU, capped. */
    static final class StmtCache extends LinkedHashMap<String, Stmt> {
        long evicted;
        StmtCache() { super(128, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Stmt> e) { if (size() > STMT_CAP) { evicted++; return true; } return false; }
    }

    static final class Connection {
        final int id; final StmtCache statementCache = new StmtCache(); long prepares;
        Connection(int id) { this.id = id; }
        void prepare(String sql, Random r) { Stmt s = statementCache.get(sql); if (s == null) { s = new Stmt(sql, new byte[60 + r.nextInt(60)]); statementCache.put(sql, s); prepares++; } s.uses++; }
    }

    static final class Canonicalizer {
        final Map<String, String> pool = new HashMap<>();
        String canon(String s) { String c = pool.putIfAbsent(s, s); return c == null ? s : c; }
    }

    static final class AssessmentCache extends LinkedHashMap<String, Assessment> {
        long evicted;
        AssessmentCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Assessment> e) { if (size() > ASSESSMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class SchedulingService {
        final Canonicalizer canon = new Canonicalizer();
        final Map<String, WorkSite> sites = new HashMap<>();
        final AssessmentCache assessments = new AssessmentCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Visit[] visits = new Visit[RING];
        long visitsWritten, unitsOpened, unitsClosed;
        final Connection[] connections = new Connection[CONNECTIONS];
        AuditStream audit;
    }

    static SchedulingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(57_060_001);
        SchedulingService svc = new SchedulingService();
        SERVICE = svc;
        String[] speciesCodes = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) {
            double[] growth = new double[80];
            for (int k = 0; k < growth.length; k++) growth[k] = rnd.nextDouble() * 2;
            speciesCodes[s] = svc.canon.canon("SP-" + (10_000 + s));
            SPECIES_BY_CODE.put(speciesCodes[s], new Species(speciesCodes[s], "Genus species var. " + s, growth));
        }
        String[] councils = new String[150];
        for (int c = 0; c < councils.length; c++) councils[c] = svc.canon.canon("Council " + c);
        String[] crews = new String[60];
        for (int c = 0; c < crews.length; c++) crews[c] = svc.canon.canon("Crew " + (char) ('A' + c % 26) + (c / 26));
        String[] siteIds = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            siteIds[s] = "WS" + (30_000_000 + s * 9);
            svc.sites.put(siteIds[s], new WorkSite(siteIds[s], svc.canon.canon(new String(councils[rnd.nextInt(councils.length)])), speciesCodes[rnd.nextInt(SPECIES)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        int vocabulary = svc.canon.pool.size();
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        for (int c = 0; c < CONNECTIONS; c++) svc.connections[c] = new Connection(c);
        svc.audit = new AuditStream();
        Random traffic = new Random(57_060_002);
        Random plans = new Random(57_060_003);
        String[] kinds = {"FELLED", "CROWN_REDUCED", "STUMP_GROUND", "INSPECTED", "PERMIT_CHECKED"};
        String[] templates = {"SELECT job_id, site_id, crew FROM job WHERE day = ? AND crew = ?", "UPDATE job SET status = ?, finished_at = ? WHERE job_id = ?",
            "INSERT INTO visit (site_id, crew, minutes, at) VALUES (?, ?, ?, ?)", "SELECT tpo, conservation_area FROM site_constraint WHERE site_id = ?",
            "SELECT reading FROM chipper_telemetry WHERE unit = ? AND at > ?", "SELECT permit_no, expires FROM felling_licence WHERE site_id = ?"};
        long nextJob = 5_500_000L;
        int maxIdentity = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            svc.unitsOpened++;
            Job job;
            try (UnitOfWork uow = new UnitOfWork()) { // one unit of work per request
                long jid = traffic.nextInt(100) < 40 ? nextJob++ : 5_500_000L + traffic.nextInt((int) Math.max(1, nextJob - 5_500_000L));
                job = uow.findJob(jid, siteIds, crews);
                uow.findJob(jid, siteIds, crews);
                maxIdentity = Math.max(maxIdentity, uow.identityMap.size());
            }
            svc.unitsClosed++;
            Connection c = svc.connections[i % CONNECTIONS];
            c.prepare(templates[traffic.nextInt(templates.length)], plans);
            int n = 1 + traffic.nextInt(8); // IN-list of 1..8 bound placeholders: 8 distinct texts
            sb.setLength(0);
            sb.append("SELECT site_id, species, height_m FROM tree WHERE site_id IN (");
            for (int k = 0; k < n; k++) sb.append(k == 0 ? "?" : ", ?");
            sb.append(')');
            c.prepare(sb.toString(), plans);
            if (traffic.nextInt(5) == 0) c.prepare("SELECT * FROM hedge_survey WHERE site_id = ? AND year = " + (2_015 + traffic.nextInt(10)), plans); // 10 year literals: bounded
            svc.audit.write(new AuditEntry(job.id, kinds[traffic.nextInt(kinds.length)], job.siteId, t, new byte[40 + traffic.nextInt(40)]));
            svc.visits[(int) (svc.visitsWritten++ % RING)] = new Visit(job.siteId, job.crew, 10 + traffic.nextInt(300), t);
            String key = "risk-" + traffic.nextInt(4_500);
            if (svc.assessments.get(key) == null) svc.assessments.put(key, new Assessment(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
        }
        long cached = 0, evicted = 0;
        for (Connection c : svc.connections) { cached += c.statementCache.size(); evicted += c.statementCache.evicted; }
        System.out.println("species " + SPECIES_BY_CODE.size() + " sites " + svc.sites.size() + " canon " + svc.canon.pool.size() + " units " + svc.unitsOpened + "/" + svc.unitsClosed + " (max identity " + maxIdentity + ", jobs " + (nextJob - 5_500_000L)
                + ") statements " + cached + " (evicted " + evicted + ") audit " + svc.audit.written + " (resets " + svc.audit.resets + ", " + svc.audit.socket.bytes + " bytes) assessments " + svc.assessments.size() + " (evicted " + svc.assessments.evicted
                + ") pool " + svc.decodeBuffers.size() + " visits " + svc.visitsWritten);
        check(SPECIES_BY_CODE.size() == SPECIES && svc.sites.size() == SITES, "reference data / directory");
        check(svc.canon.pool.size() == vocabulary && vocabulary == SPECIES + 150 + 60, "canon vocabulary " + vocabulary);
        check(svc.unitsOpened == requests && svc.unitsClosed == requests && maxIdentity == 1, "units of work");
        check(cached <= (long) CONNECTIONS * STMT_CAP && cached == (long) CONNECTIONS * (6 + 8 + 10), "statement caches bounded: " + cached);
        check(svc.audit.written == requests && svc.audit.resets == requests / BATCH, "audit stream reset");
        check(svc.assessments.size() == ASSESSMENT_CAP && svc.assessments.evicted > 0, "assessment cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.visitsWritten == requests && svc.visits[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
