// hprofscan-dump: name=val130-leak-degreeaudit jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val130-leak-degreeaudit-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 130 (written blind), LEAK: the degree-audit service of a university registrar.
 * Students (and their advisers) upload a "what-if" plan (CSV lines {@code code;status;grade;prereqs})
 * and get back which planned courses have their prerequisites met. Course-catalogue reference data,
 * the student directory, a cache of rendered audit reports at its cap, a pool of PDF buffers, a ring
 * of the request log and a queue of official-transcript print jobs with a normal backlog.
 *
 * <p>The leak: the long-lived {@code PrerequisiteResolver} keeps its memo of resolved nodes,
 * {@code resolved} (an {@code IdentityHashMap<CourseNode, Resolution>}), as a field "so that one
 * walk does not re-resolve a shared prerequisite", and never clears it between requests. The nodes
 * are built per request from the request's payload (and point back to their plan and its payload),
 * so nothing is ever found again in the memo: it keeps every node ever walked. The fix uses a fresh
 * memo per request. See VALIDATION130.md.
 */
public final class Val130LeakDegreeAudit {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int COURSES = 3_000, STUDENTS = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10, AUDITS = 3_200;
    static final String[] DEPTS = {"MATH", "PHYS", "CHEM", "BIOL", "COMP", "ECON", "HIST", "PHIL", "ENGL", "STAT", "MECH", "ELEC", "CIVL", "PSYC", "LING"};
    static final String[] GRADES = {"A", "A-", "B+", "B", "B-", "C+", "C", "D", "F"};
    static final String[] PROGRAMMES = {"BSc Mathematics", "BSc Physics", "BEng Mechanical", "BA History", "BSc Computer Science", "BA Economics", "BSc Statistics"};
    static boolean FIXED;

    record CatalogueCourse(String code, String title, int credits, String[] prereqCodes, double[] gradeDistribution) {}
    record Student(String studentId, String name, String programme, byte[] transcriptSummary, long enrolledAt) {}
    record AuditReport(String key, byte[] rendered, long at) {}
    record AuditLogEntry(long requestId, String studentId, int courses, int unmet, long at) {}
    record TranscriptJob(long jobId, String studentId, String recipient, long requestedAt) {}
    record Resolution(boolean satisfied, int depth, String blockedBy) {}

    /** The request: who asked, and the raw uploaded plan. */
    static final class AuditPlan {
        final long requestId; final String studentId; final byte[] payload; final long at; final List<CourseNode> nodes = new ArrayList<>();
        AuditPlan(long requestId, String studentId, byte[] payload, long at) { this.requestId = requestId; this.studentId = studentId; this.payload = payload; this.at = at; }
    }

    /** One course of one plan, parsed from the payload. */
    static final class CourseNode {
        final String code; final String status; final String grade; final AuditPlan plan; final List<CourseNode> prereqs = new ArrayList<>(2);
        CourseNode(String code, String status, String grade, AuditPlan plan) { this.code = code; this.status = status; this.grade = grade; this.plan = plan; }
    }

    static final class ReportCache extends LinkedHashMap<String, AuditReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AuditReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Resolution IN_PROGRESS = new Resolution(false, -1, "cycle");

    /** Long-lived: one per service. */
    static final class PrerequisiteResolver {
        Map<CourseNode, Resolution> resolved = new IdentityHashMap<>(); // BUG: never cleared between requests
        long walks, nodesWalked, cycles;

        synchronized int audit(AuditPlan plan) {
            if (FIXED) resolved = new IdentityHashMap<>();
            walks++;
            int unmet = 0;
            for (CourseNode n : plan.nodes) {
                Resolution r = resolve(n, 0); // every course of the plan: the report lists each one
                if (n.status.equals("planned") && !r.satisfied()) unmet++;
            }
            return unmet;
        }

        private Resolution resolve(CourseNode n, int depth) {
            Resolution known = resolved.get(n);
            if (known != null) { if (known == IN_PROGRESS) cycles++; return known; }
            resolved.put(n, IN_PROGRESS);
            nodesWalked++;
            boolean ok = true;
            String blockedBy = null;
            for (CourseNode p : n.prereqs) {
                Resolution r = resolve(p, depth + 1);
                boolean passed = p.status.equals("done") ? !p.grade.equals("F") && !p.grade.equals("D") : p.status.equals("enrolled") || r.satisfied();
                if (!passed && ok) { ok = false; blockedBy = p.code; }
            }
            Resolution r = new Resolution(ok, depth, blockedBy);
            resolved.put(n, r);
            return r;
        }
    }

    static final Map<String, CatalogueCourse> COURSES_BY_CODE = new HashMap<>();
    static final String[] COURSE_CODES = new String[COURSES];

    static final class AuditService {
        final Map<String, Student> students = new HashMap<>();
        final String[] studentIds = new String[STUDENTS];
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final AuditLogEntry[] requestLog = new AuditLogEntry[RING];
        final ArrayDeque<TranscriptJob> printQueue = new ArrayDeque<>();
        final PrerequisiteResolver resolver = new PrerequisiteResolver();
        long audits, nodesParsed, unmetTotal, reportViews, transcripts, printed;

        /** What the portal uploads: the student's completed, current and planned courses with their prerequisites. */
        static String draftPayload(Random r) {
            LinkedHashSet<String> codes = new LinkedHashSet<>();
            int targets = 3 + r.nextInt(5);
            for (int k = 0; k < targets; k++) closure(COURSE_CODES[r.nextInt(COURSES)], codes, 0);
            StringBuilder sb = new StringBuilder(codes.size() * 40);
            sb.append("code;status;grade;prereqs\n");
            for (String code : codes) {
                CatalogueCourse c = COURSES_BY_CODE.get(code);
                int roll = r.nextInt(10);
                String status = roll < 5 ? "done" : roll < 7 ? "enrolled" : "planned";
                sb.append(code).append(';').append(status).append(';').append(status.equals("done") ? GRADES[r.nextInt(GRADES.length)] : "").append(';').append(String.join(",", c.prereqCodes())).append('\n');
            }
            return sb.toString();
        }

        private static void closure(String code, LinkedHashSet<String> into, int depth) {
            if (depth > 6 || !into.add(code)) return;
            for (String p : COURSES_BY_CODE.get(code).prereqCodes()) closure(p, into, depth + 1);
        }

        /** Builds this request's graph from its payload. */
        void parse(AuditPlan plan) {
            String[] lines = new String(plan.payload, StandardCharsets.UTF_8).split("\n");
            Map<String, CourseNode> byCode = new HashMap<>();
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(";", -1);
                CourseNode n = new CourseNode(f[0], f[1].intern(), f[2].intern(), plan);
                byCode.put(n.code, n);
                plan.nodes.add(n);
                rows.add(f);
            }
            for (String[] f : rows) {
                if (f[3].isEmpty()) continue;
                CourseNode n = byCode.get(f[0]);
                for (String p : f[3].split(",")) { CourseNode pn = byCode.get(p); if (pn != null) n.prereqs.add(pn); }
            }
            nodesParsed += plan.nodes.size();
        }

        void audit(Random r, long t) {
            String sid = studentIds[r.nextInt(STUDENTS)];
            AuditPlan plan = new AuditPlan(40_000_000L + audits, sid, draftPayload(r).getBytes(StandardCharsets.UTF_8), t);
            parse(plan);
            int unmet = resolver.audit(plan);
            unmetTotal += unmet;
            requestLog[(int) (audits % RING)] = new AuditLogEntry(plan.requestId, sid, plan.nodes.size(), unmet, t);
            audits++;
            byte[] pdf = pdfBuffers.poll();
            pdf[(int) (audits % pdf.length)] = (byte) unmet;
            pdfBuffers.add(pdf);
            String key = "audit-" + sid + "-" + (plan.nodes.size() % 7);
            if (reports.get(key) == null) reports.put(key, new AuditReport(key, new byte[400 + r.nextInt(400)], t));
        }

        void viewReport(Random r, long t) {
            reportViews++;
            String key = "audit-" + studentIds[r.nextInt(2_500)] + "-" + r.nextInt(7);
            if (reports.get(key) == null) reports.put(key, new AuditReport(key, new byte[400 + r.nextInt(400)], t));
        }

        void requestTranscript(Random r, long t) {
            printQueue.addLast(new TranscriptJob(660_000L + transcripts++, studentIds[r.nextInt(STUDENTS)], "Graduate admissions office " + r.nextInt(900), t));
        }

        void printDue(long t) {
            while (!printQueue.isEmpty() && printQueue.peekFirst().requestedAt() <= t - 30 * MINUTE) { printQueue.removeFirst(); printed++; }
        }
    }

    static AuditService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(130_020_001);
        for (int i = 0; i < COURSES; i++) {
            String dept = DEPTS[i % DEPTS.length];
            int level = 1 + (i / DEPTS.length) % 4;
            int num = i / (DEPTS.length * 4);
            COURSE_CODES[i] = dept + "-" + level + (num < 10 ? "00" : "0") + num;
        }
        for (int i = 0; i < COURSES; i++) {
            int level = COURSE_CODES[i].charAt(COURSE_CODES[i].indexOf('-') + 1) - '0';
            List<String> pre = new ArrayList<>();
            if (level > 1) {
                int n = 1 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    // a prerequisite of a lower level, usually in the same department
                    int dept = rnd.nextInt(4) == 0 ? rnd.nextInt(DEPTS.length) : i % DEPTS.length;
                    int lower = 1 + rnd.nextInt(level - 1);
                    int idx = dept + DEPTS.length * ((lower - 1) + 4 * rnd.nextInt(COURSES / (DEPTS.length * 4)));
                    if (!pre.contains(COURSE_CODES[idx])) pre.add(COURSE_CODES[idx]);
                }
            }
            double[] dist = new double[40];
            for (int k = 0; k < dist.length; k++) dist[k] = rnd.nextDouble();
            COURSES_BY_CODE.put(COURSE_CODES[i], new CatalogueCourse(COURSE_CODES[i], "Course " + COURSE_CODES[i], 5 + 5 * rnd.nextInt(3), pre.toArray(new String[0]), dist));
        }
        AuditService svc = new AuditService();
        SERVICE = svc;
        for (int i = 0; i < STUDENTS; i++) {
            svc.studentIds[i] = "S" + (2_100_000 + i * 7);
            svc.students.put(svc.studentIds[i], new Student(svc.studentIds[i], "Student " + i, PROGRAMMES[rnd.nextInt(PROGRAMMES.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(130_020_002);
        for (int i = 0; i < AUDITS; i++) {
            long t = start + (end - MINUTE - start) * i / AUDITS;
            svc.audit(traffic, t);
            for (int v = 0; v < 4; v++) svc.viewReport(traffic, t);
            if (traffic.nextInt(4) == 0) svc.requestTranscript(traffic, t);
            svc.printDue(t);
        }
    }

    static final long NODES = 62_652, LAST_PLAN = 28, UNMET = 1_600, CYCLES = 0, REPORT_EVICTED = 12_812, TRANSCRIPTS = 792, PRINT_BACKLOG = 37;

    static void report() {
        AuditService svc = SERVICE;
        PrerequisiteResolver res = svc.resolver;
        System.out.println((FIXED ? "FIXED " : "") + "courses " + COURSES_BY_CODE.size() + " students " + svc.students.size() + " audits " + svc.audits + " nodes parsed " + svc.nodesParsed + " walked " + res.nodesWalked + " memo " + res.resolved.size()
                + " cycles " + res.cycles + " unmet " + svc.unmetTotal + " reports " + svc.reports.size() + " (views " + svc.reportViews + ", evicted " + svc.reports.evicted + ") transcripts " + svc.transcripts + " printed " + svc.printed
                + " backlog " + svc.printQueue.size() + " pool " + svc.pdfBuffers.size());
        check(COURSES_BY_CODE.size() == COURSES && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.audits == AUDITS && res.walks == AUDITS && svc.nodesParsed == NODES && res.nodesWalked == NODES && svc.unmetTotal == UNMET && res.cycles == CYCLES, "audits");
        if (FIXED) check(res.resolved.size() == LAST_PLAN, "memo of the last request only");
        else check(res.resolved.size() == NODES, "memo keeps every node: " + res.resolved.size());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted == REPORT_EVICTED, "report cache at cap");
        check(svc.transcripts == TRANSCRIPTS && svc.printQueue.size() == PRINT_BACKLOG, "print queue");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.requestLog[(AUDITS - 1) % RING] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val130.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
