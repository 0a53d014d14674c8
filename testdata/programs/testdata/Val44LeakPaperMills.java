// hprofscan-dump: name=val44-leak-papermills jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val44-leak-papermills-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 44 (written blind), LEAK: the mill service of a paper mill. Paper-grade reference
 * data, the customer-account directory, a cache of rendered reel labels at its cap, a pool of scan
 * buffers, a ring of online quality scans, and the reel-to-order reconciliation batch job, in
 * progress at dump time: it works in chunks of 250 reels through a hand-written unit of work
 * (identity map of every entity loaded, with its loaded-state snapshot for dirty checking), flushes
 * and commits after every chunk, but never clears the unit of work between chunks: the identity map
 * keeps every reel and order line the job has loaded so far. See VALIDATION44.md.
 */
public final class Val44LeakPaperMills {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GRADES = 1_000, CUSTOMERS = 22_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, SCANS = 60_000,
            JOB_REELS = 48_000, CHUNK = 250, DONE_AT_DUMP = 80 * CHUNK + 130, ORDER_LINES = 8_000;
    static boolean FIXED;

    record Grade(String code, String name, double[] calibration) {}
    record Customer(String account, String name, byte[] terms, long since) {}
    record ReelLabel(String key, byte[] rendered, long at) {}
    record QualityScan(String machine, long reelNo, double basisWeight, double moisture, long at) {}

    /** Entities, as the batch job's data layer loads them. */
    static final class Reel {
        final long reelNo; final String gradeCode; final int widthMm, weightKg; final long producedAt; String status; String orderNo; final byte[] cdProfile;
        Reel(long reelNo, String gradeCode, int widthMm, int weightKg, long producedAt, String status, byte[] cdProfile) {
            this.reelNo = reelNo; this.gradeCode = gradeCode; this.widthMm = widthMm; this.weightKg = weightKg; this.producedAt = producedAt; this.status = status; this.cdProfile = cdProfile;
        }
        Object[] state() { return new Object[] {gradeCode, widthMm, weightKg, status, orderNo}; }
    }
    static final class OrderLine {
        final long id; final String orderNo, account, gradeCode; final int reelsOrdered; int reelsAllocated; String status;
        OrderLine(long id, String orderNo, String account, String gradeCode, int reelsOrdered, int reelsAllocated, String status) {
            this.id = id; this.orderNo = orderNo; this.account = account; this.gradeCode = gradeCode; this.reelsOrdered = reelsOrdered; this.reelsAllocated = reelsAllocated; this.status = status;
        }
        Object[] state() { return new Object[] {reelsAllocated, status}; }
    }

    record EntityKey(String entity, long id) {}

    static final class EntityEntry {
        final Object entity; Object[] loadedState; final long loadedAt;
        EntityEntry(Object entity, Object[] loadedState, long loadedAt) { this.entity = entity; this.loadedState = loadedState; this.loadedAt = loadedAt; }
        Object[] current() { return entity instanceof Reel r ? r.state() : ((OrderLine) entity).state(); }
    }

    /** Hand-written unit of work: identity map + snapshots; flush writes what changed. */
    static final class UnitOfWork {
        final HashMap<EntityKey, EntityEntry> identityMap = new HashMap<>();
        long loads, flushes, rowsWritten, commits, clears;
        Object find(String entity, long id, java.util.function.LongFunction<Object> loader, long at) {
            EntityKey key = new EntityKey(entity, id);
            EntityEntry e = identityMap.get(key);
            if (e != null) return e.entity;
            Object loaded = loader.apply(id);
            loads++;
            e = new EntityEntry(loaded, loaded instanceof Reel r ? r.state() : ((OrderLine) loaded).state(), at);
            identityMap.put(key, e);
            return loaded;
        }
        /** Dirty-checks every managed entity against its snapshot and writes the changed ones. */
        void flush() {
            flushes++;
            for (EntityEntry e : identityMap.values()) {
                Object[] now = e.current();
                boolean dirty = false;
                for (int k = 0; k < now.length; k++) dirty |= !Objects.equals(now[k], e.loadedState[k]);
                if (dirty) { rowsWritten++; e.loadedState = now; }
            }
        }
        void commit() { commits++; }
        void clear() { identityMap.clear(); clears++; }
    }

    static final class ReconciliationJob {
        final String jobId; final long startedAt; final int totalReels, chunkSize;
        int processed, chunksCommitted;
        final UnitOfWork session = new UnitOfWork();
        ReconciliationJob(String jobId, long startedAt, int totalReels, int chunkSize) { this.jobId = jobId; this.startedAt = startedAt; this.totalReels = totalReels; this.chunkSize = chunkSize; }
    }

    static final class LabelCache extends LinkedHashMap<String, ReelLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ReelLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Grade> GRADES_BY_CODE = new HashMap<>();

    static final class MillService {
        final Map<String, Customer> customers = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final QualityScan[] scans = new QualityScan[RING];
        long scansWritten;
        ReconciliationJob currentJob;
    }

    static MillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The nightly reconciliation job, run until the dump (it is still in progress then). */
    static ReconciliationJob runReconciliation(MillService svc, String[] gradeCodes, String[] accounts, long end) {
        // Started 2 h 40 min ago, still running at the dump.
        long jobStart = end - 160 * MINUTE;
        ReconciliationJob job = new ReconciliationJob("RECON-" + (jobStart / MINUTE), jobStart, JOB_REELS, CHUNK);
        svc.currentJob = job;
        Random db = new Random(44_030_003);
        long firstReel = 8_800_000L;
        String[] statuses = {"OPEN", "PART_ALLOCATED"};
        for (int i = 0; i < DONE_AT_DUMP; i++) {
            long t = jobStart + (end - MINUTE - jobStart) * i / DONE_AT_DUMP;
            long reelNo = firstReel + i;
            long orderId = db.nextInt(ORDER_LINES);
            Reel reel = (Reel) job.session.find("Reel", reelNo, id -> new Reel(id, gradeCodes[db.nextInt(GRADES)], 1_000 + db.nextInt(2_600), 800 + db.nextInt(2_400),
                    end - (long) db.nextInt(24 * 60) * MINUTE, "PRODUCED", new byte[60 + db.nextInt(60)]), t);
            OrderLine line = (OrderLine) job.session.find("OrderLine", orderId, id -> new OrderLine(id, "SO-" + (7_000_000 + id / 3) + "/" + (id % 3 + 1), accounts[(int) (id * 7 % CUSTOMERS)],
                    gradeCodes[(int) (id % GRADES)], 20 + (int) (id % 40), (int) (id % 5), statuses[(int) (id % 2)]), t);
            reel.status = "RECONCILED";
            reel.orderNo = line.orderNo;
            line.reelsAllocated++;
            job.processed++;
            if (job.processed % CHUNK == 0) {
                job.session.flush();
                job.session.commit();
                job.chunksCommitted++;
                if (FIXED) job.session.clear();
                // BUG: the session is never cleared between chunks
            }
        }
        return job;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val44.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        Random rnd = new Random(44_030_001);
        String[] gradeCodes = new String[GRADES];
        for (int g = 0; g < GRADES; g++) {
            double[] cal = new double[80];
            for (int k = 0; k < cal.length; k++) cal[k] = 40 + rnd.nextDouble() * 200;
            gradeCodes[g] = "GR-" + (600 + g);
            GRADES_BY_CODE.put(gradeCodes[g], new Grade(gradeCodes[g], (g % 3 == 0 ? "Newsprint " : g % 3 == 1 ? "Kraft liner " : "Coated fine ") + (40 + g % 200) + " gsm", cal));
        }
        MillService svc = new MillService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "CU" + (300_000 + c);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Converter " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);

        // Online traffic of the last 10 hours: quality scans of the 4 paper machines, label rendering.
        Random traffic = new Random(44_030_002);
        long scanStart = end - 10 * HOUR;
        String[] machines = {"PM1", "PM2", "PM3", "PM4"};
        for (int i = 0; i < SCANS; i++) {
            long t = scanStart + (end - MINUTE - scanStart) * i / SCANS;
            svc.scans[(int) (svc.scansWritten++ % RING)] = new QualityScan(machines[i % 4], 9_000_000L + i / 8, 40 + traffic.nextDouble() * 200, 4 + traffic.nextDouble() * 5, t);
            String key = "reel-label-" + traffic.nextInt(5_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new ReelLabel(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.scanBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scanBuffers.add(buf);
        }

        ReconciliationJob job = runReconciliation(svc, gradeCodes, accounts, end);
        gradeCodes = null; accounts = null; // main's big locals: dead from here on
        UnitOfWork s = job.session;
        int reels = 0, lines = 0;
        for (EntityKey k : s.identityMap.keySet()) { if (k.entity().equals("Reel")) reels++; else lines++; }
        System.out.println((FIXED ? "FIXED " : "") + "grades " + GRADES_BY_CODE.size() + " customers " + svc.customers.size() + " job " + job.jobId + " processed " + job.processed + "/" + job.totalReels
                + " chunks committed " + job.chunksCommitted + " identity map " + s.identityMap.size() + " (reels " + reels + ", order lines " + lines + "; loads " + s.loads + ", flushes " + s.flushes
                + ", rows written " + s.rowsWritten + ", clears " + s.clears + ") labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") scans " + svc.scansWritten + " pool " + svc.scanBuffers.size());
        check(GRADES_BY_CODE.size() == GRADES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(job.processed == DONE_AT_DUMP && job.chunksCommitted == DONE_AT_DUMP / CHUNK && s.commits == job.chunksCommitted && job.processed < job.totalReels, "job in progress");
        if (FIXED) check(s.clears == job.chunksCommitted && reels == DONE_AT_DUMP % CHUNK && lines <= reels, "unit of work cleared per chunk: " + s.identityMap.size());
        else check(s.clears == 0 && reels == DONE_AT_DUMP && lines > ORDER_LINES * 9 / 10 && lines <= ORDER_LINES, "unit of work keeps everything: " + s.identityMap.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.scansWritten == SCANS && svc.scans[RING - 1] != null, "scan ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
