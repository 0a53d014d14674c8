// hprofscan-dump: name=val128-healthy-herdbooks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val128-healthy-herdbooks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 128 (written blind), HEALTHY: the herd-book service of a pedigree cattle breed
 * society. A large reference dataset (26,000 AI sires with their genomic breeding values), the herd
 * directory, the registered dams, a connection pool of 10 database connections, a ring of recent
 * registrations, an LRU of pedigree certificates at its cap, the classification-inspection queue
 * with its normal backlog, and the calving-registration import: a batch job that loads the dams it
 * touches and persists the calves through a unit of work (identity map + dirty list) that it flushes
 * and clears every 500 rows; the big import of the day is mid-run at the dump. See VALIDATION128.md.
 */
public final class Val128HealthyHerdBooks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SIRES = 26_000, HERDS = 6_000, DAMS = 20_000, CERT_CAP = 1_500, CONNECTIONS = 10, RING = 4_096;
    static final int FLUSH_EVERY = 500, HOURS = 10, LOOKUPS_PER_HOUR = 2_400, BIG_FILE_ROWS = 30_000, BIG_JOB_MINUTES = 35;

    record Sire(String herdBookNo, String name, String breed, double[] breedingValues, long bornAt) {}
    record Herd(String prefix, String owner, String county, byte[] holdingRecord, long registeredAt) {}
    record Dam(long id, String earTag, String herdPrefix, String name, byte[] lineage, long bornAt) {}
    record PedigreeCertificate(String earTag, byte[] pdf, long at) {}
    record RegistrationEvent(long seq, String earTag, String damTag, String sire, String source, long at) {}
    record InspectionRequest(long id, String herdPrefix, int cows, long requestedAt) {}
    record JobSummary(long jobId, String file, int rows, int flushes, long startedAt, long finishedAt) {}
    record PreparedHandle(String sql, int serverId) {}

    /** A managed entity of the import's unit of work. */
    static final class DamEntity {
        final long id; final String earTag; int calvings; long lastCalvedAt;
        DamEntity(long id, String earTag) { this.id = id; this.earTag = earTag; }
    }
    static final class CalfRegistration {
        final long id; final String earTag; final DamEntity dam; final String sire; final char sex; final long bornAt; final byte[] notes;
        CalfRegistration(long id, String earTag, DamEntity dam, String sire, char sex, long bornAt, byte[] notes) {
            this.id = id; this.earTag = earTag; this.dam = dam; this.sire = sire; this.sex = sex; this.bornAt = bornAt; this.notes = notes;
        }
    }

    static final class DbConnection {
        final int id; final byte[] sendBuffer = new byte[8_192]; final byte[] receiveBuffer = new byte[16_384];
        final Map<String, PreparedHandle> statements = new HashMap<>();
        long executed;
        DbConnection(int id) {
            this.id = id;
            String[] sql = {"INSERT INTO calf", "UPDATE dam", "SELECT dam", "SELECT sire", "INSERT INTO registration_log", "SELECT herd",
                    "UPDATE herd_stats", "SELECT certificate", "INSERT INTO inspection", "UPDATE inspection", "SELECT lineage", "INSERT INTO audit"};
            for (int k = 0; k < sql.length; k++) statements.put(sql[k], new PreparedHandle(sql[k] + " ... /* v3 */", id * 100 + k));
        }
    }

    static final class ConnectionPool {
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final List<DbConnection> leased = new ArrayList<>();
        long borrows, returns;
        DbConnection borrow() { DbConnection c = idle.pollFirst(); leased.add(c); borrows++; return c; }
        void giveBack(DbConnection c) { leased.remove(c); idle.addFirst(c); returns++; }
    }

    /** The unit of work of an import: flushed and cleared every FLUSH_EVERY rows. */
    static final class ImportSession {
        final Map<Long, Object> identityMap = new HashMap<>();
        final List<Object> dirty = new ArrayList<>();
        long flushedEntities, flushes;
        void flushAndClear(DbConnection c) {
            c.executed += dirty.size();
            flushedEntities += dirty.size();
            flushes++;
            dirty.clear();
            identityMap.clear();
        }
    }

    static final class ImportJob {
        final long id; final String file; final int rows; final long startedAt; final DbConnection connection; final ImportSession session = new ImportSession();
        int processed; long damLoads, damHits;
        ImportJob(long id, String file, int rows, long startedAt, DbConnection connection) { this.id = id; this.file = file; this.rows = rows; this.startedAt = startedAt; this.connection = connection; }
    }

    static final class CertificateCache extends LinkedHashMap<String, PedigreeCertificate> {
        long evicted;
        CertificateCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PedigreeCertificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Sire> SIRES_BY_NUMBER = new HashMap<>();

    static final class HerdBookService {
        final Map<String, Herd> herds = new HashMap<>();
        final Map<String, Dam> dams = new HashMap<>();
        final String[] sireNumbers = new String[SIRES];
        final String[] herdPrefixes = new String[HERDS];
        final String[] damTags = new String[DAMS];
        final ConnectionPool pool = new ConnectionPool();
        final RegistrationEvent[] recent = new RegistrationEvent[RING];
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<InspectionRequest> inspections = new ArrayDeque<>();
        final ArrayDeque<JobSummary> jobHistory = new ArrayDeque<>();
        ImportJob running;
        long registrations, calves, lookups, certHits, inspectionsRequested, inspectionsDone, jobs, nextEntityId = 900_000_000L;

        void register(String earTag, String damTag, String sire, String source, long t) {
            long seq = registrations++;
            recent[(int) (seq % RING)] = new RegistrationEvent(seq, earTag, damTag, sire, source, t);
        }

        void lookup(Random r, long t) {
            lookups++;
            DbConnection c = pool.borrow();
            String tag = damTags[r.nextInt(DAMS)];
            c.executed++;
            String key = "cert-" + tag.substring(tag.length() - 4);
            if (certificates.get(key) != null) certHits++;
            else certificates.put(key, new PedigreeCertificate(key, new byte[600 + r.nextInt(600)], t));
            pool.giveBack(c);
            if (r.nextInt(40) == 0) { inspections.addLast(new InspectionRequest(inspectionsRequested++, herdPrefixes[r.nextInt(HERDS)], 5 + r.nextInt(120), t)); }
            while (!inspections.isEmpty() && inspections.peekFirst().requestedAt() <= t - 45 * MINUTE) { inspections.pollFirst(); inspectionsDone++; }
        }

        ImportJob startJob(String file, int rows, long t) {
            jobs++;
            running = new ImportJob(7_000 + jobs, file, rows, t, pool.borrow());
            return running;
        }

        /** One row of the calving file: load (or find) the dam in the unit of work, persist the calf. */
        void importRow(ImportJob job, Random r, long t) {
            ImportSession s = job.session;
            Dam dam = dams.get(damTags[r.nextInt(DAMS)]);
            DamEntity d = (DamEntity) s.identityMap.get(dam.id());
            if (d == null) {
                d = new DamEntity(dam.id(), dam.earTag());
                s.identityMap.put(dam.id(), d);
                job.damLoads++;
                job.connection.executed++;
            } else job.damHits++;
            if (d.calvings++ == 0) s.dirty.add(d);
            d.lastCalvedAt = t - (long) r.nextInt(20) * DAY;
            String sire = sireNumbers[r.nextInt(SIRES)];
            long id = nextEntityId++;
            String calfTag = "UK" + (300_000_000_000L + id);
            CalfRegistration calf = new CalfRegistration(id, calfTag, d, sire, r.nextBoolean() ? 'F' : 'M', d.lastCalvedAt, new byte[60 + r.nextInt(100)]);
            s.identityMap.put(id, calf);
            s.dirty.add(calf);
            calves++;
            register(calfTag, dam.earTag(), sire, job.file, t);
            if (++job.processed % FLUSH_EVERY == 0) s.flushAndClear(job.connection);
        }

        void finishJob(long t) {
            ImportJob j = running;
            j.session.flushAndClear(j.connection);
            pool.giveBack(j.connection);
            jobHistory.addLast(new JobSummary(j.id, j.file, j.processed, (int) j.session.flushes, j.startedAt, t));
            if (jobHistory.size() > 10) jobHistory.removeFirst();
            running = null;
        }
    }

    static HerdBookService SERVICE;

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(128_060_001);
        String[] breeds = {"Aberdeen-Angus", "Hereford", "Limousin", "Simmental", "Charolais", "Shorthorn", "Highland", "Dexter"};
        HerdBookService svc = new HerdBookService();
        SERVICE = svc;
        for (int i = 0; i < SIRES; i++) {
            double[] ebv = new double[40];
            for (int k = 0; k < ebv.length; k++) ebv[k] = rnd.nextGaussian() * 12;
            svc.sireNumbers[i] = "HB" + breeds[i % breeds.length].charAt(0) + (500_000 + i * 7);
            SIRES_BY_NUMBER.put(svc.sireNumbers[i], new Sire(svc.sireNumbers[i], "Sire " + i, breeds[i % breeds.length], ebv, now - (long) (400 + rnd.nextInt(4_000)) * DAY));
        }
        for (int h = 0; h < HERDS; h++) {
            svc.herdPrefixes[h] = "HP" + (10_000 + h * 3);
            svc.herds.put(svc.herdPrefixes[h], new Herd(svc.herdPrefixes[h], "Farm " + h, "County " + (h % 90), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(9_000)) * DAY));
        }
        for (int d = 0; d < DAMS; d++) {
            svc.damTags[d] = "UK" + (100_000_000_000L + d * 13L);
            svc.dams.put(svc.damTags[d], new Dam(800_000_000L + d, svc.damTags[d], svc.herdPrefixes[rnd.nextInt(HERDS)], "Dam " + d, new byte[100 + rnd.nextInt(100)], now - (long) (700 + rnd.nextInt(3_000)) * DAY));
        }
        for (int c = 0; c < CONNECTIONS; c++) svc.pool.idle.add(new DbConnection(c));
        Random web = new Random(128_060_002), files = new Random(128_060_003);
        int lookups = LOOKUPS_PER_HOUR * HOURS;
        long bigStart = end - BIG_JOB_MINUTES * MINUTE;
        long nextSmall = start + 20 * MINUTE;
        for (int i = 0; i < lookups; i++) {
            long t = start + (end - MINUTE - start) * i / lookups;
            // the farm-software exports of the day: one small file every hour, imported in one go
            while (nextSmall <= t && nextSmall < bigStart) {
                ImportJob j = svc.startJob("bcms-export-" + svc.jobs + ".csv", 1_000 + files.nextInt(2_000), nextSmall);
                for (int row = 0; row < j.rows; row++) svc.importRow(j, files, nextSmall + row * 100L);
                svc.finishJob(nextSmall + j.rows * 100L);
                nextSmall += HOUR;
            }
            svc.lookup(web, t);
        }
        // the big file of the day: 30,000 rows, started 35 minutes before the dump, 450-549 rows per minute
        ImportJob big = svc.startJob("society-annual-calvings.csv", BIG_FILE_ROWS, bigStart);
        for (int m = 0; m < BIG_JOB_MINUTES; m++) {
            int rows = 450 + files.nextInt(100);
            for (int k = 0; k < rows; k++) svc.importRow(big, files, bigStart + m * MINUTE + k * (MINUTE / rows));
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void verify() {
        HerdBookService s = SERVICE;
        ImportJob j = s.running;
        System.out.println("sires " + SIRES_BY_NUMBER.size() + " herds " + s.herds.size() + " dams " + s.dams.size() + " lookups " + s.lookups + " certificates " + s.certificates.size() + " (evicted " + s.certificates.evicted + ", hits " + s.certHits + ")"
                + " inspections " + s.inspectionsRequested + " done " + s.inspectionsDone + " backlog " + s.inspections.size() + " jobs " + s.jobs + " history " + s.jobHistory.size()
                + " registrations " + s.registrations + " calves " + s.calves + " pool idle " + s.pool.idle.size() + " leased " + s.pool.leased.size()
                + " running " + j.file + " processed " + j.processed + "/" + j.rows + " flushes " + j.session.flushes + " flushed " + j.session.flushedEntities
                + " identityMap " + j.session.identityMap.size() + " dirty " + j.session.dirty.size() + " damLoads " + j.damLoads + " damHits " + j.damHits);
        check(SIRES_BY_NUMBER.size() == SIRES && s.herds.size() == HERDS && s.dams.size() == DAMS, "reference data / directories");
        check(s.lookups == (long) LOOKUPS_PER_HOUR * HOURS, "lookups");
        check(s.certificates.size() == CERT_CAP && s.certificates.evicted > 0, "certificate cache at cap");
        check(s.pool.idle.size() == CONNECTIONS - 1 && s.pool.leased.size() == 1 && s.pool.leased.get(0) == j.connection, "pool: the import holds one connection");
        check(j.processed < j.rows && j.session.flushes == j.processed / FLUSH_EVERY, "the big import is mid-run");
        int inChunk = j.processed % FLUSH_EVERY;
        check(j.session.dirty.size() >= inChunk && j.session.dirty.size() <= 2 * inChunk && j.session.identityMap.size() == j.session.dirty.size(), "unit of work holds the current chunk only");
        check(s.recent[RING - 1] != null, "ring");
        long[] got = {s.certificates.evicted, s.inspectionsRequested, s.inspections.size(), s.jobs, s.calves, j.processed, j.session.identityMap.size(), j.session.dirty.size()};
        for (int i = 0; i < EXPECT.length; i++) check(EXPECT[i] < 0 || got[i] == EXPECT[i], "count #" + i + " = " + got[i] + ", expected " + EXPECT[i]);
    }

    /** certificates evicted, inspections requested, inspection backlog, jobs, calves, big-job rows, identity map, dirty. */
    static final long[] EXPECT = {18_906, 580, 35, 11, 37_704, 17_650, 300, 300};

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
