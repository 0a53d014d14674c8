// hprofscan-dump: name=val23-leak-mortgages-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val23-leak-mortgages-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val23-leak-mortgages jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val23-leak-mortgages-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 23 (written blind), LEAK: the origination service of a mortgage lender. Every
 * request appends one audit line to a static debug buffer ({@code AuditTrail.DEBUG_TRAIL}, a
 * {@code StringBuilder}). The bug: the buffer is meant to be written out and reset by
 * {@code flush()} every 500 lines, but only when {@code AuditTrail.flushEnabled} is set, and the
 * configuration that sets it was never wired: nothing ever resets or truncates the builder, so its
 * one {@code byte[]} keeps growing (reallocated larger as it grows). Beside it: rate sheets,
 * branches, the application directory, a credit-report cache at its cap, a document buffer pool,
 * an event ring. Series: stage 1 simulates 2 h, stage 2 4 h, stage 3 8 h. See
 * testdata/VALIDATION23.md.
 */
public final class Val23LeakMortgages {
    static final long HOUR = 3_600_000L;
    static final int PRODUCTS = 1_500, BRANCHES = 300, APPLICATIONS = 40_000, REPORT_CAP = 3_000, POOL = 16, RING = 8_192;

    record RateSheet(String productCode, String name, double[] grid) {}
    record Branch(String code, String city, int[] calendar) {}
    record Application(String id, String branch, String product, long amountCents, long submittedAt, byte[] summary) {}
    record CreditReport(String ssnHash, int score, byte[] tradelines) {}
    record Event(String applicationId, String kind, long at) {}

    /** The debug/audit buffer: one line per request, flushed to the log every 500 lines when enabled. */
    static final class AuditTrail {
        static final StringBuilder DEBUG_TRAIL = new StringBuilder(1_024);
        static boolean flushEnabled; // BUG: the property that sets it ("audit.flush") was never wired
        static long lines, flushedLines;

        static void append(long at, String applicationId, String action, String officer, long amountCents) {
            DEBUG_TRAIL.append(at).append(" app=").append(applicationId).append(" action=").append(action)
                    .append(" officer=").append(officer).append(" amount=").append(amountCents).append(" status=OK trace=")
                    .append(Long.toHexString(at * 31 + amountCents)).append('\n');
            lines++;
            if (flushEnabled && lines % 500 == 0) flush();
        }

        static void flush() { flushedLines += 500; DEBUG_TRAIL.setLength(0); } // would write to the audit log
    }

    static final class ReportCache extends LinkedHashMap<String, CreditReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CreditReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RateSheet> RATE_SHEETS = new HashMap<>();
    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class LendingService {
        final Map<String, Application> applications = new HashMap<>();
        final ReportCache creditReports = new ReportCache();
        final ArrayDeque<byte[]> docBuffers = new ArrayDeque<>();
        final Event[] events = new Event[RING];
        long eventCount, requests;
    }

    static LendingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val23.fixed"); // only for measuring the leak's share
        AuditTrail.flushEnabled = fixed;
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = stage == 1 ? 10_000 : stage == 2 ? 20_000 : 40_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(23_010_001);
        for (int p = 0; p < PRODUCTS; p++) {
            double[] grid = new double[180];
            for (int k = 0; k < grid.length; k++) grid[k] = 3.0 + rnd.nextDouble() * 4;
            String code = "MTG-" + (1_000 + p);
            RATE_SHEETS.put(code, new RateSheet(code, (10 + p % 21) + "-year fixed tier " + p, grid));
        }
        String[] cities = {"Leeds", "Austin", "Lyon", "Graz", "Porto", "Osaka", "Cork", "Perth"};
        for (int b = 0; b < BRANCHES; b++) {
            int[] cal = new int[365];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextInt(12);
            String code = "BR-" + (200 + b);
            BRANCHES_BY_CODE.put(code, new Branch(code, cities[b % cities.length], cal));
        }
        LendingService svc = new LendingService();
        SERVICE = svc;
        for (int a = 0; a < APPLICATIONS; a++) {
            String id = "APP-" + (9_000_000 + a);
            svc.applications.put(id, new Application(id, "BR-" + (200 + rnd.nextInt(BRANCHES)), "MTG-" + (1_000 + rnd.nextInt(PRODUCTS)),
                    10_000_000L + rnd.nextInt(90_000_000), now - (long) (1 + rnd.nextInt(2_000)) * 60_000L * 60, new byte[160 + rnd.nextInt(160)]));
        }
        for (int i = 0; i < POOL; i++) svc.docBuffers.add(new byte[32_768]);
        Random traffic = new Random(23_010_002);
        String[] actions = {"QUOTE", "UNDERWRITE", "APPRAISE", "CONDITION", "APPROVE", "DISCLOSE"};
        for (int r = 0; r < requests; r++) {
            long t = start + (now - start) * r / requests;
            String appId = "APP-" + (9_000_000 + traffic.nextInt(APPLICATIONS));
            String action = actions[traffic.nextInt(actions.length)];
            String ssn = "ssn-" + Integer.toHexString(traffic.nextInt(8_000) * 7_919);
            if (svc.creditReports.get(ssn) == null) svc.creditReports.put(ssn, new CreditReport(ssn, 500 + traffic.nextInt(350), new byte[1_024]));
            svc.events[(int) (svc.eventCount++ % RING)] = new Event(appId, action, t);
            AuditTrail.append(t, appId, action, "officer" + traffic.nextInt(400), 10_000_000L + traffic.nextInt(90_000_000));
            svc.requests++;
        }
        int newlines = 0;
        for (int i = 0; i < AuditTrail.DEBUG_TRAIL.length(); i++) if (AuditTrail.DEBUG_TRAIL.charAt(i) == '\n') newlines++;
        long expectedLines = fixed ? requests % 500 : requests;
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " rate sheets " + RATE_SHEETS.size() + " branches " + BRANCHES_BY_CODE.size() + " applications " + svc.applications.size()
                + " requests " + svc.requests + " debug trail lines " + newlines + " chars " + AuditTrail.DEBUG_TRAIL.length() + " capacity " + AuditTrail.DEBUG_TRAIL.capacity()
                + " flushed " + AuditTrail.flushedLines + " reports " + svc.creditReports.size() + " (evicted " + svc.creditReports.evicted + ") events " + svc.eventCount + " pool " + svc.docBuffers.size());
        check(RATE_SHEETS.size() == PRODUCTS && BRANCHES_BY_CODE.size() == BRANCHES && svc.applications.size() == APPLICATIONS, "reference data / directory");
        check(svc.requests == requests && AuditTrail.lines == requests && newlines == expectedLines, "debug trail lines " + newlines);
        check(svc.creditReports.size() == REPORT_CAP && svc.creditReports.evicted > 0, "credit report cache at its cap");
        check(svc.eventCount == requests && svc.events[RING - 1] != null, "event ring");
        check(svc.docBuffers.size() == POOL, "document buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
