// hprofscan-dump: name=val113-leak-animalmovements jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val113-leak-animalmovements-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 113 (written blind), LEAK: the movement-reporting service of a livestock
 * traceability agency (cattle and sheep moves between holdings). Parish reference data, the
 * holding directory (CPH numbers), the TB-restriction register, a cache of passport scans at its
 * cap, a pool of PDF buffers, a ring of recent movements, an inspection queue with a normal
 * backlog, and a fixed pool of 4 validator threads. Each validation appends one audit line per rule
 * checked to the worker's AuditBatch, held by an instance ThreadLocal of the MovementAuditor; the
 * batch is shipped by offset after every task but never cleared, so every audit line ever written
 * stays on the 4 worker threads. See VALIDATION113.md.
 */
public final class Val113LeakAnimalMovements {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PARISHES = 1_000, HOLDINGS = 20_000, RESTRICTED = 300, SCAN_CAP = 2_000, POOL = 8, RING = 8_192, WORKERS = 4,
            NOTICES_PER_HOUR = 1_600, HOURS = 10, INSPECT_AFTER_MIN = 45;
    static final String[] SPECIES = {"cattle", "cattle", "cattle", "sheep", "sheep"};
    static final String[] REASONS = {"sale", "market", "grazing", "slaughter", "show", "breeding"};
    static boolean FIXED;

    record Parish(String code, String county, double[] headByMonth) {}
    record Holding(String cph, String keeper, String parishCode, byte[] registration, long registeredAt) {}
    record PassportScan(String key, byte[] image, long at) {}
    record MovementNotice(String reference, String species, String fromCph, String toCph, int head, int daysStandstill, String passport, String reason, long at) {}
    record ValidationResult(String reference, boolean accepted, String failedRule, int rulesChecked) {}
    record MovementRecord(String reference, String fromCph, String toCph, int head, boolean accepted, long at) {}
    record Inspection(long id, String reference, String failedRule, long raisedAt) {}
    record AuditLine(long at, String rule, String outcome, String detail) {}

    /** The audit lines a validator thread has written (shipped from flushedUpTo on). */
    static final class AuditBatch {
        final String worker = Thread.currentThread().getName();
        final List<AuditLine> lines = new ArrayList<>();
        int flushedUpTo;
    }

    /** Ships audit lines to the agency's audit-log collector (counts only). */
    static final class AuditSink {
        final AtomicLong lines = new AtomicLong(), bytes = new AtomicLong();
        void ship(AuditLine l) { lines.incrementAndGet(); bytes.addAndGet(l.detail().length() + 24); }
    }

    static final class MovementAuditor {
        final ThreadLocal<AuditBatch> pending = ThreadLocal.withInitial(AuditBatch::new);
        final ThreadLocal<StringBuilder> lineBuilder = ThreadLocal.withInitial(() -> new StringBuilder(512));
        final AuditSink sink = new AuditSink();

        void record(AuditBatch b, MovementNotice n, String rule, boolean pass, String extra) {
            StringBuilder sb = lineBuilder.get();
            sb.setLength(0);
            sb.append(n.reference()).append(' ').append(rule).append(pass ? " pass" : " FAIL").append(" from=").append(n.fromCph()).append(" to=").append(n.toCph())
                    .append(" head=").append(n.head()).append(' ').append(n.species());
            if (extra != null) sb.append(' ').append(extra);
            b.lines.add(new AuditLine(n.at(), rule, pass ? "pass" : "fail", sb.toString()));
        }

        /** Ships the lines written since the last flush. */
        void flush(AuditBatch b) {
            int n = b.lines.size();
            for (int i = b.flushedUpTo; i < n; i++) sink.ship(b.lines.get(i));
            b.flushedUpTo = n;
            if (FIXED) { b.lines.clear(); b.flushedUpTo = 0; }
        }
    }

    static final class ScanCache extends LinkedHashMap<String, PassportScan> {
        long evicted;
        ScanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PassportScan> e) { if (size() > SCAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Parish> PARISHES_BY_CODE = new HashMap<>();

    static final class MovementService {
        final Map<String, Holding> holdings = new HashMap<>();
        final String[] cphs = new String[HOLDINGS];
        final Set<String> restrictions = new HashSet<>();
        final ScanCache scans = new ScanCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final MovementRecord[] recent = new MovementRecord[RING];
        final ArrayDeque<Inspection> inspections = new ArrayDeque<>();
        final MovementAuditor auditor = new MovementAuditor();
        final AtomicInteger workerIds = new AtomicInteger();
        final ExecutorService validators = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread th = new Thread(r, "movement-validator-" + workerIds.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        long notices, accepted, rejected, movementCount, inspectionsRaised, inspectionsClosed, expectedLines;
        final AtomicLong validated = new AtomicLong();

        /** Runs on a validator thread. */
        ValidationResult validate(MovementNotice n) {
            AuditBatch b = auditor.pending.get();
            String failed = null;
            int rules = 0;
            Holding from = holdings.get(n.fromCph()), to = holdings.get(n.toCph());
            rules++; auditor.record(b, n, "R01-ORIGIN-REGISTERED", from != null, from == null ? null : "keeper=" + from.keeper());
            if (from == null) failed = "R01-ORIGIN-REGISTERED";
            rules++; auditor.record(b, n, "R02-DEST-REGISTERED", to != null, to == null ? null : "parish=" + to.parishCode());
            if (to == null && failed == null) failed = "R02-DEST-REGISTERED";
            boolean restricted = restrictions.contains(n.fromCph());
            rules++; auditor.record(b, n, "R03-TB-RESTRICTION", !restricted, restricted ? "notice=TB02" : null);
            if (restricted && failed == null) failed = "R03-TB-RESTRICTION";
            boolean standstill = n.daysStandstill() >= 6;
            rules++; auditor.record(b, n, "R04-STANDSTILL-6D", standstill, "days=" + n.daysStandstill());
            if (!standstill && failed == null) failed = "R04-STANDSTILL-6D";
            if (n.species().equals("cattle")) {
                boolean ok = checkDigit(n.passport());
                rules++; auditor.record(b, n, "R05-PASSPORT", ok, "passport=" + n.passport());
                if (!ok && failed == null) failed = "R05-PASSPORT";
            }
            if (n.head() > 50) {
                rules++; auditor.record(b, n, "R06-TRANSPORT-CERT", true, "reason=" + n.reason());
            }
            auditor.flush(b);
            validated.incrementAndGet();
            return new ValidationResult(n.reference(), failed == null, failed, rules);
        }

        static boolean checkDigit(String passport) {
            int sum = 0;
            for (int i = 0; i < passport.length() - 1; i++) sum += Character.isDigit(passport.charAt(i)) ? passport.charAt(i) - '0' : 0;
            return sum % 7 == passport.charAt(passport.length() - 1) - '0';
        }

        void minute(List<MovementNotice> batch, Random r, long t) throws Exception {
            List<Callable<ValidationResult>> tasks = new ArrayList<>(batch.size());
            for (MovementNotice n : batch) {
                tasks.add(() -> validate(n));
                expectedLines += 4 + (n.species().equals("cattle") ? 1 : 0) + (n.head() > 50 ? 1 : 0);
            }
            List<Future<ValidationResult>> results = validators.invokeAll(tasks);
            for (int i = 0; i < batch.size(); i++) {
                MovementNotice n = batch.get(i);
                ValidationResult v = results.get(i).get();
                notices++;
                if (v.accepted()) accepted++; else rejected++;
                recent[(int) (movementCount++ % RING)] = new MovementRecord(n.reference(), n.fromCph(), n.toCph(), n.head(), v.accepted(), n.at());
                if (!v.accepted() && !v.failedRule().equals("R04-STANDSTILL-6D")) inspections.addLast(new Inspection(5_500_000L + inspectionsRaised++, n.reference(), v.failedRule(), t));
                if (n.species().equals("cattle")) {
                    String key = "scan-" + n.passport().substring(0, 8);
                    if (scans.get(key) == null) scans.put(key, new PassportScan(key, new byte[400 + r.nextInt(400)], t));
                }
                if (v.accepted() && n.head() > 50) {
                    byte[] buf = pdfBuffers.poll();
                    buf[(int) (movementCount % buf.length)] = (byte) n.head();
                    pdfBuffers.add(buf);
                }
            }
            while (!inspections.isEmpty() && inspections.peekFirst().raisedAt() + INSPECT_AFTER_MIN * MINUTE <= t) { inspections.removeFirst(); inspectionsClosed++; }
        }

        /** Asks each of the 4 validator threads (one probe each: they wait for each other) how many audit lines it holds. */
        long[] pendingPerWorker() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Callable<long[]>> probes = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) probes.add(() -> { AuditBatch b = auditor.pending.get(); long[] v = {b.lines.size(), b.flushedUpTo}; barrier.await(); return v; });
            long[] total = new long[2];
            for (Future<long[]> f : validators.invokeAll(probes)) { long[] v = f.get(); total[0] += v[0]; total[1] += v[1]; }
            return total;
        }
    }

    static MovementService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static MovementNotice notice(MovementService svc, Random r, long seq, long t) {
        String species = SPECIES[r.nextInt(SPECIES.length)];
        String from = r.nextInt(200) == 0 ? "99/" + (100 + r.nextInt(900)) + "/" + (1_000 + r.nextInt(9_000)) : svc.cphs[r.nextInt(HOLDINGS)];
        String to = svc.cphs[r.nextInt(HOLDINGS)];
        int head = r.nextInt(4) == 0 ? 51 + r.nextInt(200) : 1 + r.nextInt(50);
        StringBuilder passport = new StringBuilder("UK");
        int sum = 0;
        for (int k = 0; k < 11; k++) { int d = r.nextInt(10); sum += d; passport.append(d); }
        passport.append(r.nextInt(40) == 0 ? (sum + 1) % 7 : sum % 7);
        return new MovementNotice("MV" + (44_000_000L + seq), species, from, to, head, r.nextInt(12) == 0 ? r.nextInt(6) : 6 + r.nextInt(300), passport.toString(), REASONS[r.nextInt(REASONS.length)], t);
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(113_020_001);
        String[] parishCodes = new String[PARISHES];
        for (int p = 0; p < PARISHES; p++) {
            double[] head = new double[48];
            for (int k = 0; k < head.length; k++) head[k] = rnd.nextDouble() * 4_000;
            parishCodes[p] = (10 + p / 100) + "/" + (100 + p % 100 * 7);
            PARISHES_BY_CODE.put(parishCodes[p], new Parish(parishCodes[p], "County " + (p / 100), head));
        }
        MovementService svc = new MovementService();
        SERVICE = svc;
        for (int i = 0; i < HOLDINGS; i++) {
            String parish = parishCodes[rnd.nextInt(PARISHES)];
            String cph = parish + "/" + (1_000 + i % 9_000) + (i >= 9_000 ? "" + (char) ('A' + i / 9_000) : "");
            svc.cphs[i] = cph;
            svc.holdings.put(cph, new Holding(cph, "Keeper " + (i % 7_000) + " of " + (i % 13 == 0 ? "Home Farm" : "Farm " + (i % 900)), parish, new byte[150 + rnd.nextInt(150)],
                    now - (long) (30 + rnd.nextInt(9_000)) * DAY));
        }
        while (svc.restrictions.size() < RESTRICTED) svc.restrictions.add(svc.cphs[rnd.nextInt(HOLDINGS)]);
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(113_020_002), web = new Random(113_020_003);
        int minutes = HOURS * 60;
        long seq = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            int count = (int) (((long) (m + 1) * NOTICES_PER_HOUR) / 60 - ((long) m * NOTICES_PER_HOUR) / 60);
            List<MovementNotice> batch = new ArrayList<>(count);
            for (int k = 0; k < count; k++) batch.add(notice(svc, traffic, seq++, t + k * (MINUTE / count)));
            svc.minute(batch, web, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val113.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() throws Exception {
        MovementService svc = SERVICE;
        long[] pending = svc.pendingPerWorker();
        System.out.println((FIXED ? "FIXED " : "") + "parishes " + PARISHES_BY_CODE.size() + " holdings " + svc.holdings.size() + " restricted " + svc.restrictions.size() + " notices " + svc.notices
                + " (accepted " + svc.accepted + ", rejected " + svc.rejected + ") audit lines shipped " + svc.auditor.sink.lines.get() + " held on the workers " + pending[0] + " (flushed " + pending[1] + ")"
                + " inspections " + svc.inspectionsRaised + " closed " + svc.inspectionsClosed + " backlog " + svc.inspections.size() + " scans " + svc.scans.size() + " (evicted " + svc.scans.evicted
                + ") pool " + svc.pdfBuffers.size());
        check(PARISHES_BY_CODE.size() == PARISHES && svc.holdings.size() == HOLDINGS && svc.restrictions.size() == RESTRICTED, "reference data / directory");
        check(svc.notices == (long) NOTICES_PER_HOUR * HOURS && svc.validated.get() == svc.notices && svc.accepted + svc.rejected == svc.notices, "notices");
        check(svc.auditor.sink.lines.get() == svc.expectedLines, "audit lines shipped");
        if (FIXED) check(pending[0] == 0, "nothing held on the workers");
        else check(pending[0] == svc.expectedLines && pending[1] == svc.expectedLines, "every audit line held on the workers: " + pending[0]);
        check(svc.scans.size() == SCAN_CAP && svc.scans.evicted > 0, "scan cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(!svc.inspections.isEmpty() && svc.inspectionsClosed > 0, "inspection backlog");
    }
}
