// hprofscan-dump: name=val126-healthy-physioclinics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val126-healthy-physioclinics-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 126 (written blind), HEALTHY: the booking and treatment-plan service of a chain of
 * physiotherapy clinics. Clinic reference data, the patient directory, the exercise library and its
 * metadata (keyed by the stable exercise code), a cache of rendered discharge letters at its cap, a
 * ring of recent appointments, a ring of audit events, an SMS reminder queue with its normal backlog,
 * and the look-alikes of the set's leaks done right: requests run on a fixed pool of 4 workers whose
 * ThreadLocal request context (with its audit events) is removed in a finally, plus one bounded letter
 * builder per worker; every telephone-triage call gets a one-shot "no call-back" deadline on a
 * java.util.Timer, cancelled when the physiotherapist calls back (the timer purged every half hour:
 * only the calls still waiting are pending); the PDF buffer pool gets every buffer back (two are in use
 * by the monthly outcomes report running at the dump). See VALIDATION126.md.
 */
public final class Val126HealthyPhysioClinics {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, CALLBACK_DEADLINE = 12 * HOUR;
    static final int CLINICS = 800, PATIENTS = 20_000, EXERCISES = 1_500, LETTER_CAP = 2_000, PDF_BUFFERS = 10, RING = 8_192, AUDIT_RING = 4_096,
            WORKERS = 4, HOURS = 10, REQUESTS_PER_HOUR = 2_400, CALLS_PER_HOUR = 200;

    static final String[] BODY = {"lower back", "neck", "shoulder", "knee", "ankle", "hip", "wrist", "Achilles", "hamstring", "thoracic spine"};
    static final String[] KINDS = {"new-assessment", "follow-up", "follow-up", "follow-up", "reschedule", "discharge", "exercise-plan"};
    static final String[] EQUIPMENT = {"none", "resistance band", "foam roller", "step", "swiss ball", "light dumbbell", "wobble board"};

    record Clinic(String code, String town, double[] slotsByHour) {}
    record Patient(String patientNo, String name, String gpPractice, String postcode, byte[] history, long registeredAt) {}
    record Exercise(String code, String name, String bodyArea, String description) {}
    record ExerciseMeta(String code, int videoSeconds, int difficulty, String equipment, byte[] thumbnail) {}
    record Letter(String key, byte[] pdf, long at) {}
    record Appointment(String bookingRef, String patientNo, String clinicCode, String kind, long slotAt) {}
    record AuditEvent(long requestId, String user, String action, String patientNo, long at) {}
    record SmsReminder(String patientNo, String text, long sendAt) {}
    record Request(long id, String user, String kind, String patientNo, String clinicCode, long at, long seed) {}
    record Handled(long id, String kind, String patientNo, String clinicCode, long slotAt, String letterKey, String letterText, List<String> exerciseCodes, List<AuditEvent> audit) {}

    /** The request being served on this worker: who, and what it did (for the audit log). */
    static final class RequestContext {
        final long requestId; final String user; final List<AuditEvent> audit = new ArrayList<>();
        RequestContext(long requestId, String user) { this.requestId = requestId; this.user = user; }
    }
    static final ThreadLocal<RequestContext> CONTEXT = new ThreadLocal<>();
    /** One letter builder per worker, emptied before every letter (bounded). */
    static final ThreadLocal<StringBuilder> LETTER = ThreadLocal.withInitial(() -> new StringBuilder(1_024));

    static final class TriageCall {
        final String callId, patientNo, bodyArea, notes; final long calledAt, callbackAt; TimerTask deadline;
        TriageCall(String callId, String patientNo, String bodyArea, String notes, long calledAt, long callbackAt) {
            this.callId = callId; this.patientNo = patientNo; this.bodyArea = bodyArea; this.notes = notes; this.calledAt = calledAt; this.callbackAt = callbackAt;
        }
    }

    static final class PdfBuffer { final int id; final byte[] bytes = new byte[32_768]; PdfBuffer(int id) { this.id = id; } }
    static final class PdfBufferPool {
        final ArrayDeque<PdfBuffer> free = new ArrayDeque<>();
        final List<PdfBuffer> inUse = new ArrayList<>();
        long acquires, releases;
        PdfBuffer acquire() { acquires++; PdfBuffer b = free.poll(); if (b == null) throw new IllegalStateException("no PDF buffer"); inUse.add(b); return b; }
        void release(PdfBuffer b) { releases++; inUse.remove(b); free.add(b); }
    }
    /** The monthly outcomes report, running at the dump: it holds two PDF buffers until it finishes. */
    static final class ReportJob { final String name; final List<PdfBuffer> buffers = new ArrayList<>(); long startedAt; ReportJob(String name) { this.name = name; } }

    static final class LetterCache extends LinkedHashMap<String, Letter> {
        long evicted;
        LetterCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Letter> e) { if (size() > LETTER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] patientNos = new String[PATIENTS];
        final Map<String, Exercise> exercises = new HashMap<>();
        final String[] exerciseCodes = new String[EXERCISES];
        final Map<String, ExerciseMeta> exerciseMeta = new HashMap<>();
        final LetterCache letters = new LetterCache();
        final Appointment[] appointments = new Appointment[RING];
        final AuditEvent[] auditLog = new AuditEvent[AUDIT_RING];
        final ArrayDeque<SmsReminder> smsQueue = new ArrayDeque<>();
        final PdfBufferPool pdfPool = new PdfBufferPool();
        ReportJob reportJob;
        final ExecutorService workers;
        final Timer callbackTimer = new Timer("triage-callbacks", true);
        final PriorityQueue<TriageCall> awaitingCallback = new PriorityQueue<>(Comparator.comparingLong((TriageCall c) -> c.callbackAt).thenComparing(c -> c.callId));
        long requests, audited, bookings, calls, callbacks, smsQueued, smsSent, letterHits, metaComputed, metaHits;

        BookingService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "booking-worker-" + n.incrementAndGet()));
        }

        /** Runs on a booking worker. */
        Handled handle(Request q) {
            RequestContext ctx = new RequestContext(q.id(), q.user());
            CONTEXT.set(ctx);
            try {
                Random r = new Random(q.seed());
                ctx.audit.add(new AuditEvent(q.id(), q.user(), "opened-record", q.patientNo(), q.at()));
                long slot = 0; String letterKey = null, letterText = null; List<String> plan = List.of();
                switch (q.kind()) {
                    case "new-assessment", "follow-up", "reschedule" -> {
                        slot = q.at() + (1 + r.nextInt(14)) * DAY + (8 + r.nextInt(10)) * HOUR;
                        ctx.audit.add(new AuditEvent(q.id(), q.user(), q.kind().equals("reschedule") ? "moved-appointment" : "booked-appointment", q.patientNo(), q.at()));
                    }
                    case "discharge" -> {
                        StringBuilder sb = LETTER.get();
                        sb.setLength(0);
                        sb.append("Dear Dr ").append(patients.get(q.patientNo()).gpPractice()).append(", your patient attended ").append(3 + r.nextInt(6))
                                .append(" sessions for ").append(BODY[r.nextInt(BODY.length)]).append(" pain and is discharged with a home programme.");
                        letterKey = "letter-" + q.patientNo();
                        letterText = sb.toString();
                        ctx.audit.add(new AuditEvent(q.id(), q.user(), "discharged", q.patientNo(), q.at()));
                    }
                    default -> { // exercise-plan
                        List<String> codes = new ArrayList<>();
                        for (int k = 3 + r.nextInt(4); k > 0; k--) codes.add(exerciseCodes[r.nextInt(EXERCISES)]);
                        plan = codes;
                        ctx.audit.add(new AuditEvent(q.id(), q.user(), "issued-exercise-plan", q.patientNo(), q.at()));
                    }
                }
                return new Handled(q.id(), q.kind(), q.patientNo(), q.clinicCode(), slot, letterKey, letterText, plan, new ArrayList<>(ctx.audit));
            } finally {
                CONTEXT.remove();
            }
        }

        /** Back on the request thread, in request order. */
        void apply(Handled h, Random r, long t) {
            requests++;
            for (AuditEvent e : h.audit()) auditLog[(int) (audited++ % AUDIT_RING)] = e;
            if (h.slotAt() != 0) {
                bookings++;
                String ref = "BK" + (3_300_000 + bookings);
                appointments[(int) ((bookings - 1) % RING)] = new Appointment(ref, h.patientNo(), h.clinicCode(), h.kind(), h.slotAt());
                if (r.nextInt(4) == 0) { smsQueued++; smsQueue.add(new SmsReminder(h.patientNo(), "Your physio appointment " + ref + " is confirmed. Reply C to cancel.", t + 10 * MINUTE)); }
            }
            if (h.letterKey() != null) {
                if (letters.get(h.letterKey()) != null) letterHits++;
                else {
                    PdfBuffer buf = pdfPool.acquire();
                    try {
                        byte[] text = h.letterText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        System.arraycopy(text, 0, buf.bytes, 0, Math.min(text.length, buf.bytes.length));
                        letters.put(h.letterKey(), new Letter(h.letterKey(), new byte[400 + r.nextInt(400)], t));
                    } finally {
                        pdfPool.release(buf);
                    }
                }
            }
            for (String code : h.exerciseCodes()) {
                if (exerciseMeta.containsKey(code)) { metaHits++; continue; }
                metaComputed++;
                exerciseMeta.put(code, new ExerciseMeta(code, 30 + r.nextInt(240), 1 + r.nextInt(5), EQUIPMENT[r.nextInt(EQUIPMENT.length)], new byte[256]));
            }
        }

        void triageCall(Random r, long t, long now) {
            calls++;
            TriageCall c = new TriageCall("TC" + (810_000 + calls), patientNos[r.nextInt(PATIENTS)], BODY[r.nextInt(BODY.length)],
                    "pain " + (2 + r.nextInt(8)) + "/10 for " + (1 + r.nextInt(20)) + " weeks, " + (r.nextBoolean() ? "worse at night" : "worse on stairs") + ", no red flags",
                    t, t + (10 + r.nextInt(80)) * MINUTE);
            c.deadline = new TimerTask() { @Override public void run() { System.out.println("no call-back for " + c.callId); } };
            callbackTimer.schedule(c.deadline, t + CALLBACK_DEADLINE - now);
            awaitingCallback.add(c);
        }

        void callBackUpTo(long t) {
            while (!awaitingCallback.isEmpty() && awaitingCallback.peek().callbackAt <= t) {
                TriageCall c = awaitingCallback.poll();
                c.deadline.cancel();
                callbacks++;
            }
        }

        void sendSms(long t) {
            while (!smsQueue.isEmpty() && smsQueue.peek().sendAt() <= t) { smsQueue.poll(); smsSent++; }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(126_060_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] slots = new double[60];
            for (int k = 0; k < slots.length; k++) slots[k] = rnd.nextInt(12);
            clinicCodes[c] = "PC" + (500 + c);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "Town " + c, slots));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int i = 0; i < PATIENTS; i++) {
            svc.patientNos[i] = "PT" + (4_400_000 + i * 11);
            svc.patients.put(svc.patientNos[i], new Patient(svc.patientNos[i], "Patient " + i, "Practice " + rnd.nextInt(900),
                    "PO" + (1 + rnd.nextInt(40)) + " " + rnd.nextInt(10) + "AB", new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int i = 0; i < EXERCISES; i++) {
            svc.exerciseCodes[i] = String.format("EX-%04d", i + 1);
            svc.exercises.put(svc.exerciseCodes[i], new Exercise(svc.exerciseCodes[i], "Exercise " + i, BODY[i % BODY.length],
                    "Hold for " + (5 + i % 25) + " seconds, repeat " + (5 + i % 10) + " times, " + (1 + i % 3) + " sets a day; stop if the pain goes above 5/10."));
        }
        for (int k = 1; k <= PDF_BUFFERS; k++) svc.pdfPool.free.add(new PdfBuffer(k));
        String[] users = new String[300];
        for (int u = 0; u < users.length; u++) users[u] = "physio" + (100 + u);

        Random traffic = new Random(126_060_002), shared = new Random(126_060_003), phones = new Random(126_060_004);
        int total = REQUESTS_PER_HOUR * HOURS, callsTotal = CALLS_PER_HOUR * HOURS;
        int windows = HOURS * 12; // 5-minute windows
        long nextPurge = start + 30 * MINUTE;
        int call = 0;
        for (int w = 0; w < windows; w++) {
            long windowEnd = start + (w + 1) * 5 * MINUTE;
            int from = (int) ((long) total * w / windows), to = (int) ((long) total * (w + 1) / windows);
            List<Request> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                long t = start + (end - MINUTE - start) * i / total;
                batch.add(new Request(52_000_000L + i, users[traffic.nextInt(users.length)], KINDS[traffic.nextInt(KINDS.length)], svc.patientNos[traffic.nextInt(PATIENTS)],
                        clinicCodes[traffic.nextInt(CLINICS)], t, traffic.nextLong()));
            }
            List<Future<Handled>> futures = new ArrayList<>();
            for (Request q : batch) futures.add(svc.workers.submit(() -> svc.handle(q)));
            for (int k = 0; k < futures.size(); k++) svc.apply(futures.get(k).get(), shared, batch.get(k).at());
            for (; call < (long) callsTotal * (w + 1) / windows; call++) {
                long t = start + (end - MINUTE - start) * call / callsTotal;
                svc.callBackUpTo(t);
                svc.triageCall(phones, t, now);
            }
            svc.callBackUpTo(windowEnd);
            svc.sendSms(windowEnd);
            // the timer thread also drops cancelled tasks that reach the head of its queue, so how many
            // purge() removes depends on thread timing: it is not counted
            if (nextPurge <= windowEnd) { svc.callbackTimer.purge(); nextPurge += 30 * MINUTE; }
            if (w == windows - 3) { // the monthly outcomes report starts 15 minutes before the dump
                svc.reportJob = new ReportJob("monthly-outcomes");
                svc.reportJob.startedAt = windowEnd;
                svc.reportJob.buffers.add(svc.pdfPool.acquire());
                svc.reportJob.buffers.add(svc.pdfPool.acquire());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            simulate();
            report();
        } catch (Throwable e) { // the booking workers are not daemons: fail the run instead of hanging
            e.printStackTrace();
            System.exit(1);
        }
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        BookingService svc = SERVICE;
        System.out.println("clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " exercises " + svc.exercises.size() + " requests " + svc.requests
                + " audit events " + svc.audited + " bookings " + svc.bookings + " letters " + svc.letters.size() + " (evicted " + svc.letters.evicted + ", hits " + svc.letterHits + ")"
                + " exercise meta " + svc.exerciseMeta.size() + " (hits " + svc.metaHits + ") calls " + svc.calls + " called back " + svc.callbacks + " waiting " + svc.awaitingCallback.size()
                + " sms " + svc.smsQueued + " sent " + svc.smsSent + " backlog " + svc.smsQueue.size()
                + " pdf buffers free " + svc.pdfPool.free.size() + " in use " + svc.pdfPool.inUse.size() + " (acquires " + svc.pdfPool.acquires + ", releases " + svc.pdfPool.releases + ")");
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS && svc.exercises.size() == EXERCISES, "reference data / directories");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && svc.audited == EXPECT_AUDIT && svc.bookings == EXPECT_BOOKINGS, "requests");
        check(svc.calls == (long) CALLS_PER_HOUR * HOURS && svc.awaitingCallback.size() == EXPECT_WAITING && svc.callbacks + svc.awaitingCallback.size() == svc.calls, "triage calls");
        check(svc.smsQueue.size() == EXPECT_SMS_BACKLOG, "sms backlog");
        check(svc.callbackTimer.purge() == 0, "no cancelled deadline left in the timer queue");
        check(svc.exerciseMeta.size() <= EXERCISES && svc.exerciseMeta.size() == EXPECT_META, "exercise metadata by code");
        check(svc.pdfPool.inUse.size() == 2 && svc.pdfPool.free.size() == PDF_BUFFERS - 2 && svc.pdfPool.releases == svc.pdfPool.acquires - 2, "pdf pool");
        check(svc.letters.size() == LETTER_CAP && svc.letters.evicted > 0, "letter cache at cap");
        check(svc.appointments[RING - 1] != null && svc.auditLog[AUDIT_RING - 1] != null, "rings");
    }

    static final long EXPECT_AUDIT = 48_000, EXPECT_BOOKINGS = 17_285, EXPECT_WAITING = 156, EXPECT_SMS_BACKLOG = 58, EXPECT_META = 1_500;
}
