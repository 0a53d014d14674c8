// hprofscan-dump: name=val24-leak-timesheets jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val24-leak-timesheets-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 24 (written blind), LEAK: the timesheet service of a consultancy. Timesheets are
 * immutable versions ({@code TimesheetVersion}); every edit creates a new version that keeps a
 * {@code previous} reference so the approval screen can show "what changed since the last version".
 * The store ({@code TimesheetStore.current}) maps each sheet to its newest version only. The bug:
 * the new version links the whole old version, whose own {@code previous} is never cut, so every
 * version ever saved stays reachable through the chain (one step back was wanted). Beside it:
 * projects, the consultant directory, a rate-card cache at its cap, a PDF buffer pool, an audit
 * ring. Simulated period: 12 h. See testdata/VALIDATION24.md.
 */
public final class Val24LeakTimesheets {
    static final long HOUR = 3_600_000L;
    static final int PROJECTS = 2_500, CONSULTANTS = 25_000, SHEETS = 6_000, EDITS = 40_000, RATE_CAP = 3_000, POOL = 16, RING = 8_192;
    static boolean FIXED;

    record Project(String code, String client, double[] budgetByWeek) {}
    record Consultant(String id, String practice, long hiredAt, byte[] skills) {}
    record RateCard(String key, double[] rates) {}
    record AuditEntry(String sheetId, String user, int version, long at) {}

    static final class TimesheetVersion {
        final String sheetId; final int version; final String editedBy; final long editedAt; final int[] minutesPerDay; final String note;
        TimesheetVersion previous; // for the "changes since last version" diff
        TimesheetVersion(String sheetId, int version, String editedBy, long editedAt, int[] minutesPerDay, String note, TimesheetVersion previous) {
            this.sheetId = sheetId; this.version = version; this.editedBy = editedBy; this.editedAt = editedAt; this.minutesPerDay = minutesPerDay; this.note = note; this.previous = previous;
        }
    }

    static final class TimesheetStore {
        final Map<String, TimesheetVersion> current = new HashMap<>();
        long saves;

        void save(String sheetId, String user, long at, int[] minutes, String note) {
            TimesheetVersion old = current.get(sheetId);
            if (FIXED && old != null) old.previous = null; // the fix: keep one step back only
            // BUG: old.previous is left as is, so the chain reaches every earlier version
            TimesheetVersion next = new TimesheetVersion(sheetId, old == null ? 1 : old.version + 1, user, at, minutes, note, old);
            current.put(sheetId, next);
            saves++;
        }
    }

    static final class RateCache extends LinkedHashMap<String, RateCard> {
        long evicted;
        RateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RateCard> e) { if (size() > RATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Project> PROJECTS_BY_CODE = new HashMap<>();

    static final class TimesheetService {
        final Map<String, Consultant> consultants = new HashMap<>();
        final TimesheetStore store = new TimesheetStore();
        final RateCache rateCards = new RateCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final AuditEntry[] audit = new AuditEntry[RING];
        long auditCount;
    }

    static TimesheetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val24.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(24_040_001);
        for (int p = 0; p < PROJECTS; p++) {
            double[] budget = new double[104];
            for (int k = 0; k < budget.length; k++) budget[k] = rnd.nextDouble() * 400;
            String code = "PRJ-" + (10_000 + p);
            PROJECTS_BY_CODE.put(code, new Project(code, "client-" + rnd.nextInt(700), budget));
        }
        TimesheetService svc = new TimesheetService();
        SERVICE = svc;
        for (int c = 0; c < CONSULTANTS; c++) {
            String id = "CON-" + (80_000 + c);
            svc.consultants.put(id, new Consultant(id, "practice-" + rnd.nextInt(40), now - (long) (1 + rnd.nextInt(3_650)) * 24 * HOUR, new byte[200 + rnd.nextInt(200)]));
        }
        for (int i = 0; i < POOL; i++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(24_040_002);
        for (int e = 0; e < EDITS; e++) {
            long t = start + (now - start) * e / EDITS;
            String sheet = "TS-2026W48-" + (100_000 + traffic.nextInt(SHEETS));
            String user = "CON-" + (80_000 + traffic.nextInt(CONSULTANTS));
            int[] minutes = new int[14]; // 7 days x (billable, non-billable)
            for (int k = 0; k < minutes.length; k++) minutes[k] = traffic.nextInt(600);
            svc.store.save(sheet, user, t, minutes, "PRJ-" + (10_000 + traffic.nextInt(PROJECTS)) + ": " + "updated hours, ticket " + traffic.nextInt(1_000_000));
            String rateKey = user + "/" + traffic.nextInt(3);
            if (svc.rateCards.get(rateKey) == null) svc.rateCards.put(rateKey, new RateCard(rateKey, new double[24]));
            svc.audit[(int) (svc.auditCount++ % RING)] = new AuditEntry(sheet, user, svc.store.current.get(sheet).version, t);
        }
        long reachable = 0, withPrevious = 0;
        for (TimesheetVersion v : svc.store.current.values()) {
            if (v.previous != null) withPrevious++;
            for (TimesheetVersion x = v; x != null; x = x.previous) reachable++;
        }
        int sheets = svc.store.current.size();
        System.out.println((FIXED ? "FIXED " : "") + "projects " + PROJECTS_BY_CODE.size() + " consultants " + svc.consultants.size() + " saves " + svc.store.saves + " sheets " + sheets
                + " with previous " + withPrevious + " versions reachable " + reachable + " rateCards " + svc.rateCards.size() + " (evicted " + svc.rateCards.evicted + ") audit " + svc.auditCount + " pool " + svc.pdfBuffers.size());
        check(PROJECTS_BY_CODE.size() == PROJECTS && svc.consultants.size() == CONSULTANTS, "reference data / directory");
        check(svc.store.saves == EDITS && sheets == 5_990 && withPrevious == 5_938, "sheets " + sheets + " with previous " + withPrevious); // seeded: 10 of the 6,000 sheets never edited, 52 saved once
        check(reachable == (FIXED ? sheets + withPrevious : EDITS), "versions reachable " + reachable);
        check(svc.rateCards.size() == RATE_CAP && svc.rateCards.evicted > 0, "rate card cache at its cap");
        check(svc.auditCount == EDITS && svc.audit[RING - 1] != null, "audit ring");
        check(svc.pdfBuffers.size() == POOL, "pdf buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
