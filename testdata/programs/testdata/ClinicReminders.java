// hprofscan-dump: name=clinic-reminders jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=clinic-reminders-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=clinic-reminders-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=clinic-reminders-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
// hprofscan-dump: name=clinic-reminders-lettered jvm="-Xmx200m" variants=mxbean args="healthy lettered"
// hprofscan-dump: name=clinic-reminders-leak-lettered jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak lettered"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A dental-practice SaaS: every clinic (tenant) gets its own single-thread scheduler
 * ({@code Clinic.reminders}, threads {@code reminders-clinic-<id>}) that sends appointment
 * reminders from a workspace of its own (a letter template, a batch buffer of 24-48 KiB and
 * the clinic's settings). 180 clinics were onboarded over 200 days, 70 of them left since
 * (offboarded: removed from {@code Practice.clinics}). Beside it: the shared request pool (8
 * threads), 30,000 patients, the treatment codes loaded at startup, an LRU of rendered letters
 * at its cap and a ring of recent appointments.
 * <ul>
 * <li>{@code healthy}: offboarding shuts the clinic's scheduler down: 110 schedulers, one per
 * clinic still there, each held by its clinic. No leak: a pool per tenant, by design.
 * <li>{@code leak}: offboarding removes the clinic but forgets {@code shutdownNow()}: the 70
 * schedulers of clinics gone keep their thread, their queued reminder task and its workspace,
 * held by nothing but their own threads. The leak is those 70 pools (the 110 of clinics still
 * there are in use).
 * </ul>
 * With {@code lettered}, a clinic's id ends in a region letter ({@code CL41003B}): the thread
 * names of the clinics of one region make a name pattern of their own (26 patterns), each
 * mixing schedulers still in use with orphaned ones; the counts stay the same.
 * Fixed numbers (printed).
 */
public final class ClinicReminders {
    static final long DAY = 24 * 3_600_000L;
    static final int CLINICS = 180, GONE = 70, PATIENTS = 30_000, LETTER_CAP = 1_500, RING = 8_192;

    record TreatmentCode(String code, String description, double[] fees) {}

    record Patient(long id, String clinicId, String name, long bornAt, byte[] chart) {}

    record Appointment(long id, long patientId, String code, long at) {}

    static final class Workspace {
        final String template;
        final byte[] batch;
        final Map<String, String> settings = new HashMap<>();

        Workspace(String template, byte[] batch) {
            this.template = template;
            this.batch = batch;
        }
    }

    static final class ReminderJob implements Runnable {
        final String clinicId;
        final Workspace workspace;
        long sent;

        ReminderJob(String clinicId, Workspace workspace) {
            this.clinicId = clinicId;
            this.workspace = workspace;
        }

        @Override
        public void run() {
            sent++;
        }
    }

    static final class Clinic {
        final String id;
        final String name;
        final long onboardedAt;
        final ScheduledExecutorService reminders;

        Clinic(String id, String name, long onboardedAt, ScheduledExecutorService reminders) {
            this.id = id;
            this.name = name;
            this.onboardedAt = onboardedAt;
            this.reminders = reminders;
        }
    }

    static final class Practice {
        final Map<String, Clinic> clinics = new HashMap<>();
        final Map<Long, Patient> patients = new HashMap<>();
        final ExecutorService requests = Executors.newFixedThreadPool(8, named("request-worker-"));
        final Map<String, byte[]> letters = new LinkedHashMap<>(LETTER_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > LETTER_CAP;
            }
        };
        final Appointment[] recent = new Appointment[RING];
        int booked;
    }

    static final Map<String, TreatmentCode> CODES = new HashMap<>();
    static Practice PRACTICE;

    static ThreadFactory named(String prefix) {
        int[] n = {0};
        return r -> {
            Thread t = new Thread(r, prefix + (n[0]++));
            t.setDaemon(true);
            return t;
        };
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        boolean lettered = args.length > 3 && args[3].equals("lettered");
        long now = System.currentTimeMillis();
        Random rnd = new Random(90_451);
        for (int i = 0; i < 600; i++) {
            double[] fees = new double[48];
            for (int k = 0; k < fees.length; k++) fees[k] = 20 + rnd.nextInt(900);
            String code = "D" + (1000 + i * 7);
            CODES.put(code, new TreatmentCode(code, "Treatment " + i + " of the fee schedule", fees));
        }
        Practice p = new Practice();
        PRACTICE = p;
        List<Clinic> all = new ArrayList<>();
        for (int i = 0; i < CLINICS; i++) {
            String id = "CL" + (41_000 + i * 3) + (lettered ? String.valueOf((char) ('A' + i % 26)) : "");
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(named("reminders-clinic-" + id + "-"));
            Workspace w = new Workspace("Dear {patient}, your appointment at " + id + " is on {date}.",
                    new byte[24 * 1024 + rnd.nextInt(24 * 1024)]);
            for (int k = 0; k < 40; k++) w.settings.put("setting." + k, "value-" + rnd.nextInt(1_000_000));
            s.scheduleWithFixedDelay(new ReminderJob(id, w), 1, 1, TimeUnit.HOURS);
            Clinic c = new Clinic(id, "Clinic " + i, now - (200 - i) * DAY, s);
            all.add(c);
            p.clinics.put(id, c);
        }
        int gone = 0;
        for (int i = 0; gone < GONE; i += 2) {
            Clinic c = all.get((i * 7) % CLINICS);
            if (p.clinics.remove(c.id) == null) continue;
            gone++;
            if (!leak) c.reminders.shutdownNow();
        }
        List<String> ids = new ArrayList<>(p.clinics.keySet());
        for (long k = 0; k < PATIENTS; k++) {
            long id = 7_000_000 + k * 11;
            p.patients.put(id, new Patient(id, ids.get(rnd.nextInt(ids.size())), "Patient " + k,
                    now - (5_000 + rnd.nextInt(25_000)) * DAY, new byte[120 + rnd.nextInt(200)]));
        }
        for (int k = 0; k < 40_000; k++) {
            long at = now - (40_000 - k) * 60_000L;
            Appointment ap = new Appointment(k + 1, 7_000_000 + rnd.nextInt(PATIENTS) * 11L, "D" + (1000 + rnd.nextInt(600) * 7), at);
            p.recent[p.booked++ % RING] = ap;
            if (k % 4 == 0) p.letters.put("letter-" + rnd.nextInt(8_000), new byte[400 + rnd.nextInt(400)]);
        }
        for (int i = 0; i < 8; i++) p.requests.submit(() -> { });
        all = null;
        Thread.sleep(300);
        long live = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("reminders-clinic-")).count();
        System.out.println((leak ? "leak" : "healthy") + " clinics " + p.clinics.size() + " reminder threads " + live
                + " patients " + p.patients.size() + " letters " + p.letters.size());
        if (live != (leak ? CLINICS : CLINICS - GONE)) throw new IllegalStateException("unexpected threads " + live);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
