// hprofscan-dump: name=val60-leak-cookeryschool jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val60-leak-cookeryschool-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 60 (written blind), LEAK: the notification service of a chain of cookery
 * schools. Enrolment confirmations, class reminders and invoices are e-mailed; a failed send is
 * retried on a shared ScheduledExecutorService with exponential back-off (1, 2, 4, 8, ... minutes)
 * and no maximum number of attempts, so every message to a permanently failing address (mailbox
 * gone, domain expired) keeps a queued retry task, holding the rendered message, for ever.
 * The executor's single worker thread is the only thread besides main. See VALIDATION60.md.
 */
public final class Val60LeakCookerySchool {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SCHOOLS = 1_000, STUDENTS = 26_000, TEMPLATE_CAP = 2_000, POOL = 8, RING = 16_384, MAILS_PER_HOUR = 3_000, HOURS = 10, MAX_ATTEMPTS = 5;
    static boolean FIXED;

    record School(String code, String city, double[] roomOccupancy) {}
    record Student(String studentId, String schoolCode, String email, byte[] profile, long enrolledAt) {}
    record RenderedTemplate(String key, byte[] html, long at) {}
    record SentMail(String messageId, String to, long at, int attempts) {}
    record EmailMessage(String messageId, String to, String subject, byte[] rendered, long createdAt) {}

    /** A queued retry: resends the message; on failure it reschedules itself with the doubled delay. */
    static final class RetryTask implements Runnable {
        final EmailMessage message; final int attempt; final long dueAt;
        RetryTask(EmailMessage m, int attempt, long dueAt) { this.message = m; this.attempt = attempt; this.dueAt = dueAt; }
        @Override public void run() { SERVICE.retries.schedule(new RetryTask(message, attempt + 1, dueAt + (MINUTE << (attempt + 1))), MINUTE << (attempt + 1), TimeUnit.MILLISECONDS); }
    }

    static final class TemplateCache extends LinkedHashMap<String, RenderedTemplate> {
        long evicted;
        TemplateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedTemplate> e) { if (size() > TEMPLATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, School> SCHOOLS_BY_CODE = new HashMap<>();

    static final class Notifier {
        final Map<String, Student> students = new HashMap<>();
        final ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1);
        final TemplateCache templates = new TemplateCache();
        final ArrayDeque<byte[]> smtpBuffers = new ArrayDeque<>();
        final SentMail[] sent = new SentMail[RING];
        final String[] deadLetters = new String[256];
        long sentCount, failures, scheduled, deadLettered;
    }

    static Notifier SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val60.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(60_030_001);
        for (int s = 0; s < SCHOOLS; s++) {
            double[] occ = new double[80];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "LS-" + (600 + s);
            SCHOOLS_BY_CODE.put(code, new School(code, "City " + (s % 250), occ));
        }
        Notifier svc = new Notifier();
        SERVICE = svc;
        String[] ids = new String[STUDENTS];
        boolean[] bouncing = new boolean[STUDENTS];
        for (int s = 0; s < STUDENTS; s++) {
            ids[s] = "ST" + (8_100_000 + s);
            bouncing[s] = rnd.nextInt(100) < 6; // 6% of addresses fail permanently
            svc.students.put(ids[s], new Student(ids[s], "LS-" + (600 + rnd.nextInt(SCHOOLS)), "student" + s + "@mail" + (s % 50) + ".example", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.smtpBuffers.add(new byte[32_768]);
        Random traffic = new Random(60_030_002);
        String[] subjects = {"Your enrolment is confirmed", "Class reminder", "Invoice", "Knife skills: what to bring", "Timetable change"};
        int mails = MAILS_PER_HOUR * HOURS;
        int expectQueued = 0;
        for (int i = 0; i < mails; i++) {
            long t = start + (end - MINUTE - start) * i / mails;
            int st = traffic.nextInt(STUDENTS);
            Student s = svc.students.get(ids[st]);
            EmailMessage m = new EmailMessage("msg-" + (50_000_000L + i), s.email(), subjects[traffic.nextInt(subjects.length)], new byte[2_000 + traffic.nextInt(2_000)], t);
            boolean transientFail = traffic.nextInt(100) < 5;
            int succeedsAt = 1 + traffic.nextInt(2); // transient failures succeed on retry 1 or 2
            int attempts = 1;
            if (bouncing[st] || transientFail) {
                svc.failures++;
                // retry k (k = 0, 1, ...) is due at the next full minute after t plus 1, 2, 4, ... minutes cumulated
                long due = t - t % MINUTE + 2 * MINUTE;
                int k = 0;
                while (true) {
                    if (due > end) { // not yet due at the end of the period: queued on the executor
                        svc.retries.schedule(new RetryTask(m, k, due), due - end, TimeUnit.MILLISECONDS);
                        svc.scheduled++; expectQueued++;
                        break;
                    }
                    attempts++;
                    if (!bouncing[st] && k + 1 >= succeedsAt) break; // delivered on this retry
                    if (FIXED && k + 1 >= MAX_ATTEMPTS) { svc.deadLetters[(int) (svc.deadLettered++ % svc.deadLetters.length)] = m.messageId(); break; }
                    k++;
                    due += MINUTE << k;
                }
            }
            svc.sent[(int) (svc.sentCount++ % RING)] = new SentMail(m.messageId(), m.to(), t, attempts);
            String key = "tpl-" + traffic.nextInt(6_000);
            if (svc.templates.get(key) == null) svc.templates.put(key, new RenderedTemplate(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.smtpBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.smtpBuffers.add(buf);
        }
        int queued = svc.retries.getQueue().size();
        System.out.println((FIXED ? "FIXED " : "") + "schools " + SCHOOLS_BY_CODE.size() + " students " + svc.students.size() + " mails " + mails + " failures " + svc.failures + " queued retries " + queued
                + " dead-lettered " + svc.deadLettered + " templates " + svc.templates.size() + " (evicted " + svc.templates.evicted + ") pool " + svc.smtpBuffers.size() + " sent " + svc.sentCount);
        check(SCHOOLS_BY_CODE.size() == SCHOOLS && svc.students.size() == STUDENTS, "reference data / directory");
        check(queued == expectQueued, "queued retries " + queued + " vs " + expectQueued);
        if (FIXED) check(queued < 200 && svc.deadLettered > 0, "bounded retries");
        else check(queued > 1_000 && svc.deadLettered == 0, "retries kept forever");
        check(svc.templates.size() == TEMPLATE_CAP && svc.templates.evicted > 0, "template cache at cap");
        check(svc.smtpBuffers.size() == POOL, "pool");
        check(svc.sentCount == mails && svc.sent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
