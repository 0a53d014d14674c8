// hprofscan-dump: name=val10-healthy-payroll-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val10-healthy-payroll-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val10-healthy-payroll jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val10-healthy-payroll-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 10 (written blind), HEALTHY, a series (warming, then flat): a payroll calculation
 * service on a pay-run day. Stage 1 is the dump after 2 simulated hours (12,000 payslips computed),
 * stage 2 after 8 hours (48,000), stage 3 after 16 hours (96,000: corrections and re-runs). The
 * employee pay-profile directory is loaded lazily on an employee's first payslip and reaches all
 * 30,000 employees in stage 2; the hand-written timesheet-summary cache reaches its capacity of
 * 6,000 in stage 2; the audit ring of 16,384 preallocated entries wraps in stage 2. Beside them:
 * the tax tables (loaded at startup), a pool of 32 payslip PDF buffers and a fixed pool of 4
 * calculation threads with a scratch array each. See testdata/VALIDATION10.md.
 */
public final class Val10HealthyPayroll {
    static final int JURISDICTIONS = 4_000;
    static final int EMPLOYEES = 30_000;
    static final int TIMESHEET_CAP = 6_000;
    static final int AUDIT_RING = 16_384;
    static final int PDF_BUFFERS = 32;
    static final int CALCULATORS = 4;
    static final int SLIPS_PER_TIMESHEET = 4;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static PayrollService RUNNING;

    static final class TaxTable {
        final String jurisdiction; final int year; final double[] bracketLimits; final double[] rates; final double socialSecurityCap; final long publishedAt;
        TaxTable(String jurisdiction, int year, double[] bracketLimits, double[] rates, double socialSecurityCap, long publishedAt) { this.jurisdiction = jurisdiction; this.year = year; this.bracketLimits = bracketLimits; this.rates = rates; this.socialSecurityCap = socialSecurityCap; this.publishedAt = publishedAt; }
    }

    /** Reference data: withholding tables of every jurisdiction, loaded at startup. */
    static final class TaxTables {
        static final Map<String, TaxTable> BY_JURISDICTION = new HashMap<>();
    }

    static final class PayProfile {
        final long employeeId; final String fullName; final String iban; final String jurisdiction; final String costCenter; final long annualSalaryMinor; final long hiredAt;
        final long[] deductionCodes = new long[8]; long lastPaidAt; int payslips;
        PayProfile(long employeeId, String fullName, String iban, String jurisdiction, String costCenter, long annualSalaryMinor, long hiredAt) { this.employeeId = employeeId; this.fullName = fullName; this.iban = iban; this.jurisdiction = jurisdiction; this.costCenter = costCenter; this.annualSalaryMinor = annualSalaryMinor; this.hiredAt = hiredAt; }
    }

    /** Pay profiles, loaded from the HR system on an employee's first payslip of the run. */
    static final class PayProfileDirectory {
        final Map<Long, PayProfile> profiles = new ConcurrentHashMap<>();
        long loads;
    }

    static final class TimesheetSummary {
        final String key; final double[] hoursByDay; final double overtimeHours; final long approvedAt;
        TimesheetSummary(String key, double[] hoursByDay, double overtimeHours, long approvedAt) { this.key = key; this.hoursByDay = hoursByDay; this.overtimeHours = overtimeHours; this.approvedAt = approvedAt; }
    }

    /** Hand-written bounded cache: a map plus a FIFO queue of keys, evicting the oldest over capacity. */
    static final class TimesheetCache {
        final int capacity;
        final Map<String, TimesheetSummary> summaries = new HashMap<>();
        final ArrayDeque<String> fifo = new ArrayDeque<>();
        long evictions; long misses;
        TimesheetCache(int capacity) { this.capacity = capacity; }
        synchronized TimesheetSummary get(String key, Random rnd, long t) {
            TimesheetSummary s = summaries.get(key);
            if (s != null) return s;
            misses++;
            double[] hours = new double[31];
            for (int i = 0; i < hours.length; i++) hours[i] = rnd.nextInt(10);
            s = new TimesheetSummary(key, hours, rnd.nextInt(20), t - DAY);
            summaries.put(key, s);
            fifo.addLast(key);
            while (summaries.size() > capacity) { summaries.remove(fifo.removeFirst()); evictions++; }
            return s;
        }
    }

    /** An audit line; the ring's slots are allocated once and overwritten. */
    static final class AuditEntry {
        long payslipId; long employeeId; long netMinor; long computedAt; String action; final byte[] digest = new byte[32];
    }

    static final class AuditRing {
        final AuditEntry[] slots = new AuditEntry[AUDIT_RING];
        long written;
        AuditRing() { for (int i = 0; i < AUDIT_RING; i++) slots[i] = new AuditEntry(); }
        void append(long slip, long emp, long net, long t, String action) {
            AuditEntry e = slots[(int) (written++ % AUDIT_RING)];
            e.payslipId = slip; e.employeeId = emp; e.netMinor = net; e.computedAt = t; e.action = action;
        }
    }

    static final class PayrollService {
        final PayProfileDirectory directory = new PayProfileDirectory();
        final TimesheetCache timesheets = new TimesheetCache(TIMESHEET_CAP);
        final AuditRing audit = new AuditRing();
        final ArrayBlockingQueue<byte[]> pdfBuffers = new ArrayBlockingQueue<>(PDF_BUFFERS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor calculators = new ThreadPoolExecutor(CALCULATORS, CALCULATORS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "payroll-calc-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread scratch for the gross-to-net computation. */
        static final ThreadLocal<double[]> GROSS_TO_NET = ThreadLocal.withInitial(() -> new double[4096]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 8 : 16;
        int slips = stage == 1 ? 12_000 : stage == 2 ? 48_000 : 96_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(10_050_001);
        PayrollService svc = new PayrollService();
        RUNNING = svc;
        for (int i = 0; i < 100; i++) svc.config.setProperty("payroll.rule." + i + ".threshold", Integer.toString(500 * i));
        String[] states = {"CA", "NY", "TX", "WA", "IL", "MA", "FL", "GA", "CO", "OR"};
        String[] jur = new String[JURISDICTIONS];
        for (int i = 0; i < JURISDICTIONS; i++) {
            jur[i] = "US-" + states[i % 10] + "-" + String.format("%04d", i);
            double[] limits = new double[24], rates = new double[24];
            for (int k = 0; k < 24; k++) { limits[k] = 10_000.0 * (k + 1); rates[k] = 0.01 * k; }
            TaxTables.BY_JURISDICTION.put(jur[i], new TaxTable(jur[i], 2026, limits, rates, 168_600.0, now - DAY * (30 + i % 300)));
        }
        for (int i = 0; i < PDF_BUFFERS; i++) svc.pdfBuffers.add(new byte[32 * 1024]);
        CyclicBarrier warm = new CyclicBarrier(CALCULATORS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < CALCULATORS; w++) fs.add(svc.calculators.submit(() -> { PayrollService.GROSS_TO_NET.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] centers = {"ENG", "SALES", "OPS", "FIN", "HR", "LEGAL", "SUPPORT", "MKT"};
        for (int i = 0; i < slips; i++) {
            long t = start + hours * HOUR * i / slips;
            int idx = (int) ((i * 7_919L) % EMPLOYEES); // the first 30,000 payslips touch every employee once
            long empId = 4_100_000L + idx * 7L;
            PayProfile p = svc.directory.profiles.get(empId);
            if (p == null) {
                p = new PayProfile(empId, "Employee " + idx + " Surname" + (idx % 997), String.format("US%02d%018d", idx % 97, 1_000_000_000L + idx * 31L), jur[idx % JURISDICTIONS],
                        centers[idx % centers.length], 4_000_000L + rnd.nextInt(20_000_000), now - DAY * (30 + rnd.nextInt(7000)));
                for (int k = 0; k < p.deductionCodes.length; k++) p.deductionCodes[k] = 100 + rnd.nextInt(60);
                svc.directory.profiles.put(empId, p);
                svc.directory.loads++;
            }
            TimesheetSummary ts = svc.timesheets.get("crew-" + (i / SLIPS_PER_TIMESHEET) + "/2026-11", rnd, t);
            TaxTable tax = TaxTables.BY_JURISDICTION.get(p.jurisdiction);
            long gross = p.annualSalaryMinor / 12 + (long) (ts.overtimeHours * 5_000);
            long net = (long) (gross * (1 - tax.rates[Math.min(23, (int) (gross / 1_000_000))]));
            byte[] pdf = svc.pdfBuffers.poll();
            pdf[0] = (byte) i;
            svc.pdfBuffers.add(pdf);
            p.lastPaidAt = t; p.payslips++;
            svc.audit.append(6_000_000_000L + i, empId, net, t, i < EMPLOYEES ? "COMPUTED" : "RECOMPUTED");
        }
        int expectDir = Math.min(slips, EMPLOYEES);
        int sheets = slips / SLIPS_PER_TIMESHEET;
        System.out.println("stage " + stage + " tax tables " + TaxTables.BY_JURISDICTION.size() + " profiles " + svc.directory.profiles.size() + " timesheets "
                + svc.timesheets.summaries.size() + " (evictions " + svc.timesheets.evictions + ") audit " + svc.audit.written + " pdf buffers " + svc.pdfBuffers.size());
        check(TaxTables.BY_JURISDICTION.size() == JURISDICTIONS, "tax tables");
        check(svc.directory.profiles.size() == expectDir && svc.directory.loads == expectDir, "profiles");
        check(svc.timesheets.summaries.size() == Math.min(sheets, TIMESHEET_CAP) && svc.timesheets.fifo.size() == svc.timesheets.summaries.size()
                && svc.timesheets.evictions == Math.max(0, sheets - TIMESHEET_CAP) && svc.timesheets.misses == sheets, "timesheets");
        check(svc.audit.written == slips && svc.pdfBuffers.size() == PDF_BUFFERS && svc.calculators.getPoolSize() == CALCULATORS, "audit/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
