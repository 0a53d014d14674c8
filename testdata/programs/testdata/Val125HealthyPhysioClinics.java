// hprofscan-dump: name=val125-healthy-physioclinics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val125-healthy-physioclinics-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 125 (written blind), HEALTHY: the booking and home-exercise service of a chain of
 * physiotherapy clinics. Clinic reference data, the patient directory, the exercise library, the
 * patients' active home-exercise programmes, an LRU of appointment-slot search pages keyed by the
 * query string (at its cap), a static list of failed clinical-note syncs trimmed to the last 300,
 * exercise-video sessions that register a progress listener on the long-lived video hub and close
 * the returned Subscription in a finally block (some sessions in flight at the dump), three
 * long-lived SMS reminder threads fed through a queue, a pool of letter buffers, a ring of recent
 * bookings and the GP-referral triage queue with its backlog. 10 simulated hours.
 * See VALIDATION125.md.
 */
public final class Val125HealthyPhysioClinics {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLINICS = 900, PATIENTS = 20_000, EXERCISES = 3_000, PROGRAMMES = 6_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            SEARCHES_PER_MINUTE = 14, BOOKINGS_PER_MINUTE = 15, VIDEO_PER_MINUTE = 10, FAILURES_KEPT = 300, SENDERS = 3, TRIAGE_MINUTES = 30;
    static final String[] SPECIALTIES = {"msk", "sports", "neuro", "pelvic-health", "paediatric", "post-op", "hydrotherapy"};
    static final String[] SYNC_ERRORS = {"EPR 503 Service Unavailable", "EPR 409 note version conflict", "timeout after 30 s", "TLS handshake failed", "EPR 422 missing consent flag"};

    record Clinic(String code, String name, double[] utilisationByMonth) {}
    record Patient(String patientId, String name, String nhsNumber, byte[] history, long registeredAt) {}
    record Exercise(String code, String title, byte[] videoMeta, int seconds) {}
    record Programme(String patientId, String[] exercises, int[] reps, long prescribedAt) {}
    record SlotPage(String[] slotIds, String html, long computedAt) {}
    record Booking(String bookingId, String patientId, String clinic, String specialty, long slotAt, long bookedAt) {}
    record SyncFailure(String noteId, String patientId, String error, long at) {}
    record Reminder(String bookingId, String phone, String text) {}
    record Referral(String referralId, String patientId, String gpPractice, String reason, long receivedAt) {}
    record Progress(String sessionId, int second, long at) {}

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    /** Utility of the note sync: the last failures, for the IT support page. Trimmed to 300. */
    static final class NoteSyncFailures {
        static final List<SyncFailure> LAST = new ArrayList<>();
        static long recorded;
        private NoteSyncFailures() {}
        static synchronized void record(SyncFailure f) {
            LAST.add(f);
            recorded++;
            if (LAST.size() > FAILURES_KEPT) LAST.remove(0);
        }
    }

    static final class PageCache extends LinkedHashMap<String, SlotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SlotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    interface ProgressListener { void onProgress(Progress p); }

    /** Long-lived hub of exercise-video progress; listeners in a set, removed on close. */
    static final class VideoHub {
        final Set<Registration> listeners = new LinkedHashSet<>();
        long nextId = 1, events;
        record Registration(long id, String sessionId, ProgressListener listener) {}
        final class Subscription implements AutoCloseable {
            final Registration reg;
            Subscription(Registration reg) { this.reg = reg; }
            @Override public void close() { listeners.remove(reg); }
        }
        Subscription register(String sessionId, ProgressListener l) { Registration r = new Registration(nextId++, sessionId, l); listeners.add(r); return new Subscription(r); }
        void emit(Progress p) { events++; for (Registration r : listeners) if (r.sessionId().equals(p.sessionId())) r.listener().onProgress(p); }
    }

    static final class VideoSession {
        final String sessionId, patientId, exercise; final long endsAt;
        int lastSecond; VideoHub.Subscription subscription;
        VideoSession(String sessionId, String patientId, String exercise, long endsAt) { this.sessionId = sessionId; this.patientId = patientId; this.exercise = exercise; this.endsAt = endsAt; }
        void onProgress(Progress p) { lastSecond = p.second(); }
    }

    /** Three long-lived SMS reminder senders. */
    static final class ReminderSenders {
        final LinkedBlockingQueue<Reminder> queue = new LinkedBlockingQueue<>();
        final AtomicLong sent = new AtomicLong(), characters = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        long queued;
        ReminderSenders() {
            for (int k = 1; k <= SENDERS; k++) {
                Thread th = new Thread(this::run, "sms-reminder-" + k);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
        }
        void run() {
            try {
                while (true) { Reminder r = queue.take(); characters.addAndGet(r.text().length()); sent.incrementAndGet(); }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        void send(Reminder r) { queued++; queue.add(r); }
        void drain() throws InterruptedException { while (sent.get() < queued) Thread.sleep(2); }
    }

    static final class ClinicService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] patientIds = new String[PATIENTS];
        final Map<String, Exercise> exercises = new HashMap<>();
        final String[] exerciseCodes = new String[EXERCISES];
        final Map<String, Programme> programmes = new HashMap<>();
        final PageCache slotPages = new PageCache();
        final VideoHub hub = new VideoHub();
        final Map<String, VideoSession> sessions = new LinkedHashMap<>();
        final ReminderSenders reminders = new ReminderSenders();
        final ArrayDeque<byte[]> letterBuffers = new ArrayDeque<>();
        final Booking[] bookings = new Booking[RING];
        final ArrayDeque<Referral> triage = new ArrayDeque<>();
        long searches, pageHits, booked, notes, videoStarted, videoEnded, referrals, triaged;

        void endSession(VideoSession s) {
            try {
                s.lastSecond = Math.max(s.lastSecond, 1);
            } finally {
                s.subscription.close();
                sessions.remove(s.sessionId);
                videoEnded++;
            }
        }
    }

    static ClinicService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long today = end - end % DAY;
        long todayEpochDay = today / DAY; // dates in queries: whole days after the start of today (UTC)
        Random rnd = new Random(125_060_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] u = new double[60];
            for (int j = 0; j < u.length; j++) u[j] = rnd.nextDouble();
            clinicCodes[c] = "PC" + (500 + c * 3);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "Physio clinic " + c + (c % 2 == 0 ? " (High Street)" : " (Retail Park)"), u));
        }
        ClinicService svc = new ClinicService();
        SERVICE = svc;
        for (int p = 0; p < PATIENTS; p++) {
            svc.patientIds[p] = "PT" + (6_000_000 + p * 11);
            svc.patients.put(svc.patientIds[p], new Patient(svc.patientIds[p], "Patient " + rnd.nextInt(1_000_000), String.valueOf(4_000_000_000L + rnd.nextInt(900_000_000)),
                    new byte[150 + rnd.nextInt(150)], end - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int e = 0; e < EXERCISES; e++) {
            svc.exerciseCodes[e] = "EX-" + (1_000 + e);
            svc.exercises.put(svc.exerciseCodes[e], new Exercise(svc.exerciseCodes[e], "Exercise " + e + " (" + SPECIALTIES[e % SPECIALTIES.length] + ")", new byte[200 + rnd.nextInt(200)], 30 + rnd.nextInt(300)));
        }
        for (int p = 0; p < PROGRAMMES; p++) {
            int n = 3 + rnd.nextInt(6);
            String[] ex = new String[n];
            int[] reps = new int[n];
            for (int k = 0; k < n; k++) { ex[k] = svc.exerciseCodes[rnd.nextInt(EXERCISES)]; reps[k] = 5 + rnd.nextInt(16); }
            String pid = svc.patientIds[p * 3];
            svc.programmes.put(pid, new Programme(pid, ex, reps, end - (long) (1 + rnd.nextInt(60)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.letterBuffers.add(new byte[32_768]);

        Random search = new Random(125_060_002), booking = new Random(125_060_003), video = new Random(125_060_004), notes = new Random(125_060_005), gp = new Random(125_060_006);
        long sessionSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < SEARCHES_PER_MINUTE; k++) {
                String query = "clinic=" + clinicCodes[search.nextInt(3) == 0 ? search.nextInt(30) : search.nextInt(CLINICS)] + "&date=" + LocalDate.ofEpochDay(todayEpochDay + 1 + search.nextInt(14))
                        + "&type=" + SPECIALTIES[search.nextInt(SPECIALTIES.length)] + "&therapist=any&page=" + (search.nextInt(5) == 0 ? 2 : 1);
                svc.searches++;
                if (svc.slotPages.get(query) != null) { svc.pageHits++; continue; }
                String[] slots = new String[2 + search.nextInt(8)];
                StringBuilder html = new StringBuilder("<table class=\"slots\">");
                for (int s = 0; s < slots.length; s++) {
                    slots[s] = "SLT" + (search.nextInt(9_000_000) + 1_000_000);
                    html.append("<tr data-slot=\"").append(slots[s]).append("\"><td>").append(8 + search.nextInt(10)).append(":").append(search.nextBoolean() ? "00" : "30").append("</td><td>45 min</td></tr>");
                }
                svc.slotPages.put(query, new SlotPage(slots, html.append("</table>").toString(), t));
            }
            for (int k = 0; k < BOOKINGS_PER_MINUTE; k++) {
                String pid = svc.patientIds[booking.nextInt(PATIENTS)];
                Booking b = new Booking("BKG" + (90_000_000 + svc.booked), pid, clinicCodes[booking.nextInt(CLINICS)], SPECIALTIES[booking.nextInt(SPECIALTIES.length)],
                        today + (1 + booking.nextInt(14)) * DAY + (8 + booking.nextInt(10)) * HOUR, t);
                svc.bookings[(int) (svc.booked++ % RING)] = b;
                svc.reminders.send(new Reminder(b.bookingId(), "07" + (700_000_000 + booking.nextInt(99_999_999)), "Your " + b.specialty() + " physiotherapy appointment at " + b.clinic()
                        + " is booked. Reply C to cancel."));
                byte[] buf = svc.letterBuffers.poll();
                buf[booking.nextInt(buf.length)] = (byte) b.bookingId().length();
                svc.letterBuffers.add(buf);
                svc.notes++;
                if (notes.nextInt(100) < 4) NoteSyncFailures.record(new SyncFailure("NOTE-" + (svc.notes + 500_000), pid, SYNC_ERRORS[notes.nextInt(SYNC_ERRORS.length)], t + k * 1_000L));
            }
            for (VideoSession s : new ArrayList<>(svc.sessions.values())) if (s.endsAt <= t) svc.endSession(s);
            for (int k = 0; k < VIDEO_PER_MINUTE; k++) {
                VideoSession s = new VideoSession("vs-" + Long.toHexString(0xa000_0000L + sessionSeq++), svc.patientIds[video.nextInt(PATIENTS)], svc.exerciseCodes[video.nextInt(EXERCISES)],
                        t + (20 + video.nextInt(160)) * SECOND);
                s.subscription = svc.hub.register(s.sessionId, s::onProgress);
                svc.sessions.put(s.sessionId, s);
                svc.videoStarted++;
            }
            for (VideoSession s : svc.sessions.values()) svc.hub.emit(new Progress(s.sessionId, 10 + video.nextInt(50), t));
            if (gp.nextInt(3) == 0) svc.triage.addLast(new Referral("REF" + (400_000 + svc.referrals++), svc.patientIds[gp.nextInt(PATIENTS)], "GP" + gp.nextInt(800),
                    "Referred for " + SPECIALTIES[gp.nextInt(SPECIALTIES.length)] + " assessment; pain " + gp.nextInt(10) + "/10 for " + (1 + gp.nextInt(20)) + " weeks", t));
            while (!svc.triage.isEmpty() && svc.triage.peekFirst().receivedAt() <= t - TRIAGE_MINUTES * MINUTE) { svc.triage.pollFirst(); svc.triaged++; }
        }
        svc.reminders.drain();
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        simulate();
        settle();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Thread th : SERVICE.reminders.threads) if (th.getState() != Thread.State.WAITING) all = false;
            if (all) return;
            Thread.sleep(10);
        }
        throw new IllegalStateException("reminder senders did not settle");
    }

    static void report() {
        ClinicService svc = SERVICE;
        int minutes = HOURS * 60;
        System.out.println("clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " exercises " + svc.exercises.size() + " programmes " + svc.programmes.size()
                + " searches " + svc.searches + " (hits " + svc.pageHits + ") pages " + svc.slotPages.size() + " (evicted " + svc.slotPages.evicted + ") bookings " + svc.booked
                + " reminders " + svc.reminders.sent.get() + " (" + svc.reminders.characters.get() + " chars) sync failures " + NoteSyncFailures.recorded + " kept " + NoteSyncFailures.LAST.size()
                + " video sessions +" + svc.videoStarted + " -" + svc.videoEnded + " open " + svc.sessions.size() + " listeners " + svc.hub.listeners.size() + " events " + svc.hub.events
                + " pool " + svc.letterBuffers.size() + " referrals " + svc.referrals + " triaged " + svc.triaged + " backlog " + svc.triage.size());
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS && svc.exercises.size() == EXERCISES && svc.programmes.size() == PROGRAMMES, "reference data / directories");
        check(svc.searches == (long) SEARCHES_PER_MINUTE * minutes && svc.slotPages.size() == PAGE_CAP && svc.slotPages.evicted > 0, "slot page cache at cap");
        check(svc.booked == (long) BOOKINGS_PER_MINUTE * minutes && svc.reminders.sent.get() == svc.booked && svc.reminders.queue.isEmpty() && svc.bookings[RING - 1] != null, "bookings / reminders");
        check(NoteSyncFailures.LAST.size() == FAILURES_KEPT && NoteSyncFailures.recorded > FAILURES_KEPT, "note sync failures");
        check(svc.videoStarted == svc.videoEnded + svc.sessions.size() && svc.hub.listeners.size() == svc.sessions.size() && svc.sessions.size() > 0, "video hub");
        check(svc.sessions.size() == 20 && NoteSyncFailures.recorded == 381, "open sessions / failures recorded");
        check(svc.letterBuffers.size() == POOL, "letter pool");
        check(svc.triage.size() > 0 && svc.referrals == svc.triaged + svc.triage.size(), "triage queue");
    }
}
