// hprofscan-dump: name=val135-leak-coronercourt jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val135-leak-coronercourt-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Vector;

/**
 * Validation set 135 (written blind), LEAK: the case-management service of a senior coroner's area
 * (deaths reported by doctors and police, investigations, inquests). Registration-district reference
 * data, the staff directory (a fixed 320 users), the case directory, a cache of rendered documents at
 * its cap, a pool of PDF buffers, a ring of recent case events, the queue of notices to the
 * registrar with its normal backlog, and a legacy audit component written JDK 1.1 style: a static
 * {@code Hashtable<String, Vector<AuditEntry>>} keyed by user id, appended to on every action. Its
 * {@code trim(user, keep)} exists but is only called by the admin console's "trim audit logs"
 * action, which nobody uses: the key count stays 320, the Vectors grow with every action.
 * See VALIDATION135.md.
 */
public final class Val135LeakCoronerCourt {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int DISTRICTS = 1_000, USERS = 320, CASES = 20_000, DOC_CAP = 2_000, POOL = 8, RING = 8_192, ACTIONS = 60_000, HOURS = 10,
            KEEP = 50; // what the admin console's trim keeps (and what the fix keeps on every append)
    static boolean FIXED;

    static final String[] ROLES = {"CORONER", "ASSISTANT_CORONER", "CORONERS_OFFICER", "INQUEST_CLERK", "ADMIN", "PATHOLOGY_LIAISON"};
    static final String[] ACTIONS_NAMES = {"VIEW_CASE", "UPDATE_CIRCUMSTANCES", "REQUEST_POST_MORTEM", "UPLOAD_PM_REPORT", "ISSUE_FORM_100A", "ISSUE_FORM_100B",
            "OPEN_INQUEST", "LIST_HEARING", "ISSUE_INTERIM_CERT", "RECORD_CONCLUSION", "NOTIFY_FAMILY", "RELEASE_BODY", "PRINT_DOCUMENT"};
    static final String[] REFERRERS = {"GP", "HOSPITAL", "POLICE", "CARE_HOME", "AMBULANCE", "PRISON"};
    static final String[] WORKSTATIONS = {"CORO-WS01", "CORO-WS02", "CORO-WS03", "CORO-WS04", "CORO-LT11", "CORO-LT12", "MORT-WS01", "COURT-WS01"};

    record District(String code, String name, double[] deathsByMonth) {}
    record StaffUser(String userId, String name, String role, String team, long since) {}
    record CoronerCase(String caseRef, String deceasedName, String districtCode, String referredBy, long reportedAt, byte[] circumstances) {}
    record RenderedDocument(String key, byte[] pdf, long renderedAt) {}
    record CaseEvent(long seq, String caseRef, String userId, String action, long at) {}
    record RegistrarNotice(String caseRef, String form, String districtCode, long issuedAt) {}

    /** One line of the legacy audit log. */
    static final class AuditEntry {
        final String userId; final long at; final String action; final String caseRef; final String workstation; final String detail;
        AuditEntry(String userId, long at, String action, String caseRef, String workstation, String detail) { this.userId = userId; this.at = at; this.action = action; this.caseRef = caseRef; this.workstation = workstation; this.detail = detail; }
    }

    /** The legacy audit component (JDK 1.1 style, kept from the old case system). */
    static final class LegacyAuditLog {
        static final Hashtable<String, Vector<AuditEntry>> byUser = new Hashtable<>();
        static long appended, trimmed;

        static synchronized void record(AuditEntry e) {
            Vector<AuditEntry> v = byUser.get(e.userId);
            if (v == null) { v = new Vector<>(); byUser.put(e.userId, v); }
            v.addElement(e);
            appended++;
            if (FIXED) trim(e.userId, KEEP);
        }

        /** Drops all but the last {@code keep} entries of a user. Called only by AdminConsole.trimAuditLogs. */
        static synchronized void trim(String userId, int keep) {
            Vector<AuditEntry> v = byUser.get(userId);
            if (v == null) return;
            while (v.size() > keep) { v.removeElementAt(0); trimmed++; }
        }

        static synchronized int entries() {
            int n = 0;
            for (Enumeration<Vector<AuditEntry>> en = byUser.elements(); en.hasMoreElements();) n += en.nextElement().size();
            return n;
        }
    }

    /** The admin endpoint that would trim the log; nobody calls it. */
    static final class AdminConsole {
        static long trimRuns;
        static void trimAuditLogs() {
            trimRuns++;
            for (Enumeration<String> en = LegacyAuditLog.byUser.keys(); en.hasMoreElements();) LegacyAuditLog.trim(en.nextElement(), KEEP);
        }
    }

    static final class DocumentCache extends LinkedHashMap<String, RenderedDocument> {
        long evicted;
        DocumentCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedDocument> e) { if (size() > DOC_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class InquestService {
        final Map<String, StaffUser> staff = new HashMap<>();
        final String[] userIds = new String[USERS];
        final Map<String, CoronerCase> cases = new HashMap<>();
        final String[] caseRefs = new String[CASES];
        final DocumentCache documents = new DocumentCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final CaseEvent[] recentEvents = new CaseEvent[RING];
        final ArrayDeque<RegistrarNotice> registrarQueue = new ArrayDeque<>();
        long actions, renders, noticesQueued, noticesSent, batches;

        void act(Random r, long t) {
            // a few officers and clerks do most of the work
            int u = r.nextInt(4) == 0 ? r.nextInt(USERS) : r.nextInt(120);
            String userId = userIds[u];
            CoronerCase c = cases.get(caseRefs[r.nextInt(CASES)]);
            String action = ACTIONS_NAMES[r.nextInt(ACTIONS_NAMES.length)];
            recentEvents[(int) (actions % RING)] = new CaseEvent(actions, c.caseRef(), userId, action, t);
            actions++;
            String ws = WORKSTATIONS[u % WORKSTATIONS.length];
            LegacyAuditLog.record(new AuditEntry(userId, t, action, c.caseRef(), ws,
                    action + " on " + c.caseRef() + " district " + c.districtCode() + " by " + userId + " txn " + (71_000_000 + actions)));
            if (action.equals("PRINT_DOCUMENT") || action.equals("UPLOAD_PM_REPORT") || action.equals("ISSUE_INTERIM_CERT")) {
                String key = c.caseRef() + "/" + action;
                if (documents.get(key) == null) {
                    byte[] buf = pdfBuffers.poll();
                    buf[(int) (renders % buf.length)] = (byte) key.length();
                    pdfBuffers.add(buf);
                    documents.put(key, new RenderedDocument(key, new byte[400 + r.nextInt(400)], t));
                    renders++;
                }
            }
            if (action.equals("ISSUE_FORM_100B") || action.equals("RECORD_CONCLUSION")) {
                registrarQueue.addLast(new RegistrarNotice(c.caseRef(), action, c.districtCode(), t));
                noticesQueued++;
            }
        }

        /** Notices go to the registrar in a batch every 15 minutes once 10 minutes old (time to amend). */
        void sendToRegistrar(long t) {
            batches++;
            while (!registrarQueue.isEmpty() && registrarQueue.peekFirst().issuedAt() <= t - 10 * MINUTE) { registrarQueue.pollFirst(); noticesSent++; }
        }
    }

    static InquestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(135_040_001);
        String[] districtCodes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] deaths = new double[60];
            for (int k = 0; k < deaths.length; k++) deaths[k] = 20 + rnd.nextDouble() * 300;
            districtCodes[d] = "RD" + (3_000 + d * 7);
            DISTRICTS_BY_CODE.put(districtCodes[d], new District(districtCodes[d], "Registration district " + d, deaths));
        }
        InquestService svc = new InquestService();
        SERVICE = svc;
        for (int u = 0; u < USERS; u++) {
            String role = u < 6 ? ROLES[u % 2] : u < 120 ? ROLES[2 + u % 2] : ROLES[2 + u % 4];
            svc.userIds[u] = "cor" + (10_400 + u * 3);
            svc.staff.put(svc.userIds[u], new StaffUser(svc.userIds[u], "Staff member " + u, role, "Team " + (u % 9), now - (long) (100 + rnd.nextInt(4_000)) * DAY));
        }
        for (int i = 0; i < CASES; i++) {
            svc.caseRefs[i] = "COR-" + (510_000 + i * 3);
            svc.cases.put(svc.caseRefs[i], new CoronerCase(svc.caseRefs[i], "Deceased " + i, districtCodes[rnd.nextInt(DISTRICTS)], REFERRERS[rnd.nextInt(REFERRERS.length)], now - (long) (1 + rnd.nextInt(700)) * DAY, new byte[150 + rnd.nextInt(150)]));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(135_040_002);
        long nextBatch = start + 15 * MINUTE;
        for (int i = 0; i < ACTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / ACTIONS;
            while (nextBatch <= t) { svc.sendToRegistrar(nextBatch); nextBatch += 15 * MINUTE; }
            svc.act(traffic, t);
        }
    }

    static final int EXPECTED_ACTIVE_USERS = 320, EXPECTED_BACKLOG = 348, EXPECTED_FIXED_ENTRIES = 15_078;

    static void report() {
        InquestService svc = SERVICE;
        int entries = LegacyAuditLog.entries();
        int max = 0, min = Integer.MAX_VALUE;
        for (Enumeration<Vector<AuditEntry>> en = LegacyAuditLog.byUser.elements(); en.hasMoreElements();) { int n = en.nextElement().size(); max = Math.max(max, n); min = Math.min(min, n); }
        System.out.println((FIXED ? "FIXED " : "") + "districts " + DISTRICTS_BY_CODE.size() + " staff " + svc.staff.size() + " cases " + svc.cases.size() + " actions " + svc.actions
                + " audit users " + LegacyAuditLog.byUser.size() + " entries " + entries + " (per user " + min + ".." + max + ", appended " + LegacyAuditLog.appended + ", trimmed " + LegacyAuditLog.trimmed + ", admin trims " + AdminConsole.trimRuns + ")");
        System.out.println("  documents " + svc.documents.size() + " (rendered " + svc.renders + ", evicted " + svc.documents.evicted + ") pool " + svc.pdfBuffers.size() + " registrar " + svc.noticesQueued + " queued " + svc.noticesSent + " sent backlog " + svc.registrarQueue.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.staff.size() == USERS && svc.cases.size() == CASES, "reference data / directories");
        check(svc.actions == ACTIONS && LegacyAuditLog.appended == ACTIONS && AdminConsole.trimRuns == 0, "actions");
        check(EXPECTED_ACTIVE_USERS < 0 || LegacyAuditLog.byUser.size() == EXPECTED_ACTIVE_USERS, "audit users " + LegacyAuditLog.byUser.size());
        if (FIXED) check(max <= KEEP && (EXPECTED_FIXED_ENTRIES < 0 || entries == EXPECTED_FIXED_ENTRIES), "trimmed audit log " + entries);
        else check(entries == ACTIONS && LegacyAuditLog.trimmed == 0, "every action kept");
        check(svc.documents.size() == DOC_CAP && svc.documents.evicted > 0, "document cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recentEvents[RING - 1] != null, "ring");
        check(EXPECTED_BACKLOG < 0 || svc.registrarQueue.size() == EXPECTED_BACKLOG, "registrar backlog " + svc.registrarQueue.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val135.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
