// hprofscan-dump: name=val138-leak-karategradings jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val138-leak-karategradings-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 138 (written blind), LEAK: the grading service of a karate association. After a
 * kyu grading a dojo uploads its result sheet (CSV); each upload runs a GradingImportJob that
 * creates its own Executors.newFixedThreadPool(n) (n = 2, 3 or 4 by sheet size) for its parallel
 * steps (parse the rows in n chunks, verify the licences, work out the new grades), waits for the
 * results and returns WITHOUT shutdown(): the pool's idle workers stay alive, parked on the pool's
 * queue, and keep the pool; each task also put the job's context (job id, dojo, the whole
 * GradingSheet, for its error messages) into the logging context map of its thread, a ThreadLocal
 * that nothing clears, so every idle worker keeps its job's sheet. Plus dojo reference data, the
 * member directory, a cache of rendered certificates at its cap, a pool of print buffers, a ring of
 * recent results, a certificate post queue with its normal backlog and one shared mail pool.
 * See VALIDATION138.md.
 */
public final class Val138LeakKarateGradings {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int DOJOS = 1_000, MEMBERS = 22_000, CERT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, UPLOAD_EVERY_MINUTES = 4;
    static final String[] GRADES = {"9th kyu", "8th kyu", "7th kyu", "6th kyu", "5th kyu", "4th kyu", "3rd kyu", "2nd kyu", "1st kyu", "1st dan"};
    static boolean FIXED;

    record Dojo(String code, String name, String region, String style, double[] attendanceByWeek) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record GradingResult(String licenceNo, String dojo, String fromGrade, String toGrade, boolean passed, long at) {}
    record CertificatePost(String licenceNo, String grade, String address, long printedAt) {}

    static final class Member {
        final String licenceNo, name, dojo; final byte[] record; final long joinedAt; int grade;
        Member(String licenceNo, String name, String dojo, byte[] record, long joinedAt, int grade) { this.licenceNo = licenceNo; this.name = name; this.dojo = dojo; this.record = record; this.joinedAt = joinedAt; this.grade = grade; }
    }

    static final class CandidateRow {
        final String licenceNo, name; final int fromGrade; final int[] scores; final byte[] examinerNotes; boolean licenceValid, passed;
        CandidateRow(String licenceNo, String name, int fromGrade, int[] scores, byte[] examinerNotes) { this.licenceNo = licenceNo; this.name = name; this.fromGrade = fromGrade; this.scores = scores; this.examinerNotes = examinerNotes; }
    }

    static final class GradingSheet {
        final String sheetId, dojo, examiner; final long gradedAt; final String[] csvLines; final List<CandidateRow> rows = new ArrayList<>();
        GradingSheet(String sheetId, String dojo, String examiner, long gradedAt, String[] csvLines) { this.sheetId = sheetId; this.dojo = dojo; this.examiner = examiner; this.gradedAt = gradedAt; this.csvLines = csvLines; }
    }

    /** The logging context of the current thread (an MDC): put by the import tasks, never cleared. */
    static final class ImportLog {
        static final ThreadLocal<Map<String, Object>> CONTEXT = ThreadLocal.withInitial(HashMap::new);
        static void enter(String jobId, GradingSheet sheet, String step) {
            Map<String, Object> m = CONTEXT.get();
            m.put("job", jobId); m.put("dojo", sheet.dojo); m.put("sheet", sheet); m.put("step", step);
        }
    }

    static final class CertCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Dojo> DOJOS_BY_CODE = new HashMap<>();

    static final class GradingService {
        final Map<String, Member> members = new HashMap<>();
        final String[] licenceNos = new String[MEMBERS];
        final CertCache certificates = new CertCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GradingResult[] recentResults = new GradingResult[RING];
        final ArrayDeque<CertificatePost> postQueue = new ArrayDeque<>();
        final ExecutorService mailPool = Executors.newFixedThreadPool(2, named("grading-mail-", new AtomicInteger()));
        final AtomicLong tasksRun = new AtomicLong();
        final long[] poolsBySize = new long[5];
        long jobs, poolsCreated, poolThreads, tasksSubmitted, mailsSent, results, passes, posted, lookups;
    }

    static ThreadFactory named(String prefix, AtomicInteger n) {
        return r -> { Thread t = new Thread(r, prefix + n.incrementAndGet()); t.setDaemon(true); return t; };
    }

    static final class GradingImportJob {
        final String jobId; final GradingSheet sheet;
        GradingImportJob(String jobId, GradingSheet sheet) { this.jobId = jobId; this.sheet = sheet; }

        void run(GradingService svc, long t) throws Exception {
            int lines = sheet.csvLines.length - 1;
            int n = lines <= 90 ? 2 : lines <= 170 ? 3 : 4;
            ExecutorService pool = Executors.newFixedThreadPool(n, named("grading-import-" + jobId + "-", new AtomicInteger()));
            svc.poolsCreated++;
            svc.poolsBySize[n]++;
            svc.poolThreads += n;
            try {
                // step 1: parse the rows in n chunks (the first n tasks start the n workers)
                List<Callable<List<CandidateRow>>> parse = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    int from = 1 + c * lines / n, to = 1 + (c + 1) * lines / n;
                    parse.add(() -> {
                        ImportLog.enter(jobId, sheet, "parse");
                        List<CandidateRow> out = new ArrayList<>();
                        for (int i = from; i < to; i++) out.add(parseRow(sheet.csvLines[i]));
                        svc.tasksRun.incrementAndGet();
                        return out;
                    });
                }
                svc.tasksSubmitted += parse.size();
                for (Future<List<CandidateRow>> f : pool.invokeAll(parse)) sheet.rows.addAll(f.get());
                // step 2: verify licences and score the candidates, n chunks again
                List<Callable<Integer>> verify = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    int from = c * sheet.rows.size() / n, to = (c + 1) * sheet.rows.size() / n;
                    verify.add(() -> {
                        ImportLog.enter(jobId, sheet, "verify");
                        int passed = 0;
                        for (int i = from; i < to; i++) {
                            CandidateRow r = sheet.rows.get(i);
                            Member m = svc.members.get(r.licenceNo);
                            r.licenceValid = m != null && m.dojo.equals(sheet.dojo);
                            int total = 0;
                            for (int s : r.scores) total += s;
                            r.passed = r.licenceValid && total >= 6 * r.scores.length;
                            if (r.passed) passed++;
                        }
                        svc.tasksRun.incrementAndGet();
                        return passed;
                    });
                }
                svc.tasksSubmitted += verify.size();
                for (Future<Integer> f : pool.invokeAll(verify)) svc.passes += f.get();
            } finally {
                if (FIXED) { pool.shutdown(); pool.awaitTermination(10, TimeUnit.SECONDS); }
                // BUG: otherwise the pool is never shut down; its n idle workers wait on its queue for ever
            }
            // step 3 (on the request thread): new grades, results ring, certificates to post
            for (CandidateRow r : sheet.rows) {
                Member m = svc.members.get(r.licenceNo);
                String from = GRADES[r.fromGrade], to = GRADES[Math.min(GRADES.length - 1, r.fromGrade + 1)];
                svc.recentResults[(int) (svc.results++ % RING)] = new GradingResult(r.licenceNo, sheet.dojo, from, r.passed ? to : from, r.passed, t);
                if (r.passed) {
                    if (m != null) m.grade = Math.min(GRADES.length - 1, r.fromGrade + 1);
                    svc.postQueue.addLast(new CertificatePost(r.licenceNo, to, "c/o " + sheet.dojo, t));
                }
            }
            String summary = sheet.sheetId + ": " + sheet.rows.size() + " candidates";
            svc.mailPool.submit(() -> { svc.tasksRun.incrementAndGet(); return summary.length(); }).get();
            svc.tasksSubmitted++;
            svc.mailsSent++;
            svc.jobs++;
        }

        static CandidateRow parseRow(String line) {
            String[] f = line.split(",");
            int[] scores = new int[f.length - 4];
            for (int i = 0; i < scores.length; i++) scores[i] = Integer.parseInt(f[4 + i]);
            byte[] notes = new byte[Integer.parseInt(f[3])];
            for (int i = 0; i < notes.length; i++) notes[i] = (byte) ('a' + (i * 7 + line.length()) % 26);
            return new CandidateRow(f[0], f[1], Integer.parseInt(f[2]), scores, notes);
        }
    }

    static GradingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(138_040_001);
        String[] styles = {"Shotokan", "Wado-ryu", "Goju-ryu", "Shito-ryu", "Kyokushin"};
        String[] dojoCodes = new String[DOJOS];
        for (int d = 0; d < DOJOS; d++) {
            double[] att = new double[52];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 80;
            dojoCodes[d] = "DJ-" + (5_000 + d);
            DOJOS_BY_CODE.put(dojoCodes[d], new Dojo(dojoCodes[d], "Dojo " + d, "Region " + (d % 14), styles[d % styles.length], att));
        }
        GradingService svc = new GradingService();
        SERVICE = svc;
        for (int i = 0; i < MEMBERS; i++) {
            svc.licenceNos[i] = "KL" + (810_000 + i * 7);
            svc.members.put(svc.licenceNos[i], new Member(svc.licenceNos[i], "Member " + i, dojoCodes[i % DOJOS], new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(4_000)) * DAY, rnd.nextInt(9)));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random uploads = new Random(138_040_002), traffic = new Random(138_040_003);
        int jobs = HOURS * 60 / UPLOAD_EVERY_MINUTES;
        for (int j = 0; j < jobs; j++) {
            long t = start + j * UPLOAD_EVERY_MINUTES * MINUTE + uploads.nextInt(60) * 1_000L;
            String dojo = dojoCodes[uploads.nextInt(DOJOS)];
            int candidates = 40 + uploads.nextInt(201);
            String[] csv = new String[candidates + 1];
            csv[0] = "licence,name,from_grade,notes_len,kihon,kata,kumite,spirit";
            int base = Integer.parseInt(dojo.substring(3)) - 5_000;
            for (int c = 1; c <= candidates; c++) {
                int idx = (base + DOJOS * uploads.nextInt(MEMBERS / DOJOS)) % MEMBERS;
                Member m = svc.members.get(svc.licenceNos[idx]);
                csv[c] = m.licenceNo + "," + m.name + "," + m.grade + "," + (150 + uploads.nextInt(250)) + "," + (4 + uploads.nextInt(7)) + "," + (4 + uploads.nextInt(7)) + "," + (3 + uploads.nextInt(8)) + "," + (5 + uploads.nextInt(6));
            }
            GradingSheet sheet = new GradingSheet("GS-" + (70_000 + j), dojo, "Sensei " + uploads.nextInt(300), t - uploads.nextInt(3) * DAY, csv);
            new GradingImportJob("GI" + (40_000 + j), sheet).run(svc, t);
            for (int r = 0; r < 80; r++) { // members and dojos looking up certificates between uploads
                svc.lookups++;
                String key = "cert-" + svc.licenceNos[traffic.nextInt(5_000)];
                if (svc.certificates.get(key) == null) {
                    svc.certificates.put(key, new Certificate(key, new byte[400 + traffic.nextInt(400)], t));
                    byte[] buf = svc.printBuffers.poll();
                    buf[r] = (byte) j;
                    svc.printBuffers.add(buf);
                }
            }
            while (!svc.postQueue.isEmpty() && svc.postQueue.peekFirst().printedAt() <= t - 30 * MINUTE) { svc.postQueue.pollFirst(); svc.posted++; }
        }
    }

    /** Live threads whose name starts with prefix; waits (up to 20 s) until all of them are parked. */
    static int[] threads(String prefix) throws InterruptedException {
        int alive = 0, waiting = 0;
        for (int attempt = 0; attempt < 400; attempt++) {
            alive = 0; waiting = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.getName().startsWith(prefix) || !t.isAlive()) continue;
                alive++;
                if (t.getState() == Thread.State.WAITING) waiting++;
            }
            if (alive == waiting && (!FIXED || alive == 0 || !prefix.startsWith("grading-import-"))) break;
            Thread.sleep(50);
        }
        return new int[] {alive, waiting};
    }

    static void report() throws InterruptedException {
        GradingService svc = SERVICE;
        int[] imports = threads("grading-import-"), mail = threads("grading-mail-");
        System.out.println((FIXED ? "FIXED " : "") + "dojos " + DOJOS_BY_CODE.size() + " members " + svc.members.size() + " jobs " + svc.jobs + " pools " + svc.poolsCreated + " (2/3/4 threads: " + svc.poolsBySize[2] + "/" + svc.poolsBySize[3] + "/" + svc.poolsBySize[4] + ") poolThreads " + svc.poolThreads + " tasks " + svc.tasksSubmitted
                + " run " + svc.tasksRun.get() + " importThreads " + imports[0] + " (parked " + imports[1] + ") mailThreads " + mail[0] + " results " + svc.results + " passes " + svc.passes + " posted " + svc.posted + " queued " + svc.postQueue.size()
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") lookups " + svc.lookups);
        check(DOJOS_BY_CODE.size() == DOJOS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.jobs == 150 && svc.poolsCreated == 150 && svc.poolThreads == 462 && svc.tasksRun.get() == svc.tasksSubmitted, "jobs");
        check(imports[0] == (FIXED ? 0 : svc.poolThreads) && imports[1] == imports[0], "idle import workers");
        check(mail[0] == 2 && mail[1] == 2, "the shared mail pool");
        check(svc.results == 20_783 && svc.passes == 18_000 && svc.postQueue.size() == 1_065, "results / posts");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0 && svc.printBuffers.size() == POOL && svc.recentResults[RING - 1] != null, "cache at cap / pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val138.fixed");
        run();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
