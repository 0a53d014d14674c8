// hprofscan-dump: name=val120-healthy-osteopathy jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val120-healthy-osteopathy-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 120 (written blind), HEALTHY: the booking and billing service of a chain of
 * osteopathy clinics, 10 simulated hours. Clinic reference data, the patient register, an LRU of
 * treatment notes at its cap, the practitioners' slot grid (one large constant int[]), a pool of
 * letter buffers, a ring of recent appointments and the SMS reminder queue (sent 10 minutes after booking) with a normal backlog.
 * Look-alikes of the set's leaks, bounded or cleaned up: practitioners' diary views subscribe an
 * anonymous listener on the clinic event bus and unsubscribe it when the practitioner logs out;
 * insurer claims that fail are retried at most 4 times and then handed to a manual-review queue
 * that staff work off; every statement of the pooled connections is closed by a query helper; the
 * 4 invoicing pool threads put an MDC-style logging context (with a key named after the request id)
 * and remove every key they put in a finally. See VALIDATION120.md.
 */
public final class Val120HealthyOsteopathy {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int CLINICS = 700, PATIENTS = 22_000, NOTE_CAP = 2_000, POOL = 6, RING = 8_192, DESKS = 40, CONNECTIONS = 8, THREADS = 4, HOURS = 10,
            BOOKINGS_PER_MINUTE = 40, MAX_ATTEMPTS = 4;

    record Clinic(String code, String town, double[] utilisationByWeek) {}
    record Patient(String id, String clinicCode, String name, long bornAt, byte[] history) {}
    record TreatmentNote(String key, byte[] text, long at) {}
    record Appointment(String id, String patientId, String clinicCode, String practitioner, long slotAt, long bookedAt) {}
    record SmsReminder(String appointmentId, String phone, String text, long sendAt) {}
    record ClinicEvent(String clinicCode, String practitioner, String appointmentId, String kind, long at) {}
    record ReviewItem(String claimId, String reason, int attempts, long queuedAt) {}

    interface ClinicListener { void onEvent(ClinicEvent e); }

    static final class ClinicEventBus {
        final List<ClinicListener> listeners = new ArrayList<>();
        void subscribe(ClinicListener l) { listeners.add(l); }
        void unsubscribe(ClinicListener l) { listeners.remove(l); }
        void publish(ClinicEvent e) { for (int i = 0; i < listeners.size(); i++) listeners.get(i).onEvent(e); }
    }

    static final class DiaryEntry { final String appointmentId; final String kind; final long at; DiaryEntry(String appointmentId, String kind, long at) { this.appointmentId = appointmentId; this.kind = kind; this.at = at; } }

    /** A practitioner's diary on a desk, from login to logout. */
    static final class DiaryView {
        final String practitioner; final int desk; final long openedAt; final List<DiaryEntry> entries = new ArrayList<>(); final byte[] layout;
        ClinicListener listener;
        DiaryView(String practitioner, int desk, long openedAt, byte[] layout) { this.practitioner = practitioner; this.desk = desk; this.openedAt = openedAt; this.layout = layout; }
        void open(ClinicEventBus bus) {
            listener = new ClinicListener() {
                @Override public void onEvent(ClinicEvent e) { if (e.practitioner().equals(practitioner)) entries.add(new DiaryEntry(e.appointmentId(), e.kind(), e.at())); }
            };
            bus.subscribe(listener);
        }
        void close(ClinicEventBus bus) { try { entries.clear(); } finally { bus.unsubscribe(listener); } }
    }

    static final class Statement {
        final DbConnection connection; final String sql; final Object[] params; byte[] rows;
        Statement(DbConnection connection, String sql, Object[] params) { this.connection = connection; this.sql = sql; this.params = params; }
        void close() { rows = null; connection.openStatements.remove(this); }
    }

    static final class DbConnection {
        final int id; final byte[] socketBuffer = new byte[16_384]; final List<Statement> openStatements = new ArrayList<>(); long created;
        DbConnection(int id) { this.id = id; }
    }

    /** Query helper: every statement is closed in a finally. */
    static final class QueryRunner {
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>(); final DbConnection[] all = new DbConnection[CONNECTIONS]; long queries;
        int run(String sql, Random r, Object... params) {
            DbConnection c = idle.pollFirst();
            Statement s = new Statement(c, sql, params);
            c.openStatements.add(s); c.created++;
            try { s.rows = new byte[200 + r.nextInt(400)]; queries++; return s.rows.length; } finally { s.close(); idle.addLast(c); }
        }
        int open() { int n = 0; for (DbConnection c : all) n += c.openStatements.size(); return n; }
    }

    static final class Claim {
        final String claimId; final String insurer; final String policyNumber; final int pence; final byte[] edi; int attempts; String lastError;
        Claim(String claimId, String insurer, String policyNumber, int pence, byte[] edi) { this.claimId = claimId; this.insurer = insurer; this.policyNumber = policyNumber; this.pence = pence; this.edi = edi; }
    }

    static final class ClaimRejected extends RuntimeException { ClaimRejected(String m) { super(m, null, false, false); } }

    static final class MDC {
        static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(HashMap::new);
        static void put(String k, String v) { CONTEXT.get().put(k, v); }
        static void remove(String k) { CONTEXT.get().remove(k); }
        static int size() { return CONTEXT.get().size(); }
    }

    static final class NoteCache extends LinkedHashMap<String, TreatmentNote> {
        long evicted;
        NoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TreatmentNote> e) { if (size() > NOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class ClinicService {
        final Map<String, Patient> patients = new HashMap<>();
        final Patient[] patientList = new Patient[PATIENTS];
        final String[] clinicCodes = new String[CLINICS];
        final NoteCache notes = new NoteCache();
        final int[] slotGrid = new int[CLINICS * 12 * 56];
        final ArrayDeque<byte[]> letterBuffers = new ArrayDeque<>();
        final Appointment[] appointments = new Appointment[RING];
        final ArrayDeque<SmsReminder> smsQueue = new ArrayDeque<>();
        final ClinicEventBus bus = new ClinicEventBus();
        final DiaryView[] desks = new DiaryView[DESKS];
        final QueryRunner db = new QueryRunner();
        final ArrayDeque<Claim> claimRetries = new ArrayDeque<>();
        final ArrayDeque<ReviewItem> manualReview = new ArrayDeque<>();
        final ThreadPoolExecutor invoicing = new ThreadPoolExecutor(THREADS, THREADS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new java.util.concurrent.ThreadFactory() {
            final AtomicInteger n = new AtomicInteger();
            @Override public Thread newThread(Runnable r) { Thread th = new Thread(r, "clinic-worker-" + n.getAndIncrement()); th.setDaemon(true); return th; }
        });
        final ConcurrentHashMap<String, LongAdder> invoicedByClinic = new ConcurrentHashMap<>();
        final AtomicLong invoices = new AtomicLong();
        final AtomicInteger maxContextAfter = new AtomicInteger();
        final List<Future<?>> pending = new ArrayList<>();
        long bookings, logins, logouts, claims, claimsPaid, claimRetryCount, reviewed, smsSent, letters;

        ClinicService() { bus.subscribe(e -> slotGrid[Math.floorMod(e.appointmentId().hashCode(), slotGrid.length)]++); }

        void login(int desk, Random r, long t) {
            if (desks[desk] != null) { desks[desk].close(bus); logouts++; }
            DiaryView v = new DiaryView("OST-" + (400 + r.nextInt(120)), desk, t, new byte[1_024 + r.nextInt(1_024)]);
            v.open(bus);
            desks[desk] = v;
            logins++;
        }

        void book(Random r, long t) {
            Patient p = patientList[r.nextInt(PATIENTS)];
            String practitioner = desks[r.nextInt(DESKS)].practitioner;
            Appointment a = new Appointment("AP-" + (7_700_000 + bookings), p.id(), p.clinicCode(), practitioner, t + (1 + r.nextInt(14)) * DAY, t);
            appointments[(int) (bookings++ % RING)] = a;
            db.run("INSERT INTO appointment (id, patient, clinic, practitioner, slot_at) VALUES (?, ?, ?, ?, ?)", r, a.id(), a.patientId(), a.clinicCode(), practitioner, a.slotAt());
            bus.publish(new ClinicEvent(a.clinicCode(), practitioner, a.id(), "BOOKED", t));
            smsQueue.addLast(new SmsReminder(a.id(), "+44 7700 9" + (10_000 + r.nextInt(89_999)), "Your appointment at " + a.clinicCode() + " is confirmed", t + 10 * MINUTE));
            String key = "note-" + r.nextInt(6_000);
            if (notes.get(key) == null) notes.put(key, new TreatmentNote(key, new byte[500 + r.nextInt(500)], t));
            if (r.nextInt(4) == 0) {
                boolean malformed = r.nextInt(100) < 2;
                Claim c = new Claim("CLM-" + (300_000 + claims++), r.nextBoolean() ? "BUPA" : "AXA-PPP", malformed ? "" : "POL" + (1_000_000 + r.nextInt(9_000_000)), 4_500 + r.nextInt(3_000), new byte[400 + r.nextInt(400)]);
                submitClaim(c, r, t);
            }
            String requestId = "req-" + Long.toHexString(0x6e00_0000L + bookings);
            String clinic = p.clinicCode();
            int pence = 4_500 + r.nextInt(3_000);
            pending.add(invoicing.submit(() -> invoice(requestId, clinic, pence)));
        }

        /** Runs on a clinic-worker thread. */
        void invoice(String requestId, String clinic, int pence) {
            MDC.put("clinic", clinic);
            MDC.put("request", requestId);
            MDC.put("timing." + requestId, "queued");
            try {
                invoicedByClinic.computeIfAbsent(clinic, k -> new LongAdder()).add(pence);
                invoices.incrementAndGet();
            } finally {
                MDC.remove("clinic");
                MDC.remove("request");
                MDC.remove("timing." + requestId);
                maxContextAfter.accumulateAndGet(MDC.size(), Math::max);
            }
        }

        void submitClaim(Claim c, Random r, long t) {
            c.attempts++;
            try {
                if (c.policyNumber.isEmpty()) throw new ClaimRejected("missing policy number on " + c.claimId);
                if (r.nextInt(100) < 5) throw new ClaimRejected("insurer gateway timeout (" + c.insurer + ")");
                claimsPaid++;
            } catch (ClaimRejected e) {
                c.lastError = e.getMessage();
                if (c.attempts >= MAX_ATTEMPTS) manualReview.addLast(new ReviewItem(c.claimId, c.lastError, c.attempts, t));
                else claimRetries.addLast(c);
            }
        }

        void retryClaims(Random r, long t) {
            int n = claimRetries.size();
            for (int i = 0; i < n; i++) { claimRetryCount++; submitClaim(claimRetries.pollFirst(), r, t); }
        }

        void workOffReviews(long t) { while (!manualReview.isEmpty() && manualReview.peekFirst().queuedAt() <= t - 30 * MINUTE) { manualReview.pollFirst(); reviewed++; } }

        void sendSms(long t) { while (!smsQueue.isEmpty() && smsQueue.peekFirst().sendAt() <= t) { smsQueue.pollFirst(); smsSent++; } }

        void printLetter(Random r) {
            byte[] buf = letterBuffers.poll();
            buf[r.nextInt(buf.length)] = 1;
            letterBuffers.add(buf);
            letters++;
        }

        void awaitInvoicing() throws Exception { for (Future<?> f : pending) f.get(); pending.clear(); }
    }

    static ClinicService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(120_060_001);
        ClinicService svc = new ClinicService();
        SERVICE = svc;
        String[] towns = {"Leeds", "Bristol", "Norwich", "Reading", "Derby", "Truro", "Carlisle", "Hereford", "Stirling", "Swansea"};
        for (int c = 0; c < CLINICS; c++) {
            double[] util = new double[84];
            for (int k = 0; k < util.length; k++) util[k] = rnd.nextDouble();
            svc.clinicCodes[c] = "OC" + (1_200 + c);
            CLINICS_BY_CODE.put(svc.clinicCodes[c], new Clinic(svc.clinicCodes[c], towns[c % towns.length], util));
        }
        for (int i = 0; i < PATIENTS; i++) {
            String id = "PT-" + (5_500_000 + i * 11);
            Patient p = new Patient(id, svc.clinicCodes[rnd.nextInt(CLINICS)], "Patient " + i, now - (long) (6_000 + rnd.nextInt(25_000)) * DAY, new byte[150 + rnd.nextInt(150)]);
            svc.patients.put(id, p);
            svc.patientList[i] = p;
        }
        for (int i = 0; i < CONNECTIONS; i++) { svc.db.all[i] = new DbConnection(i); svc.db.idle.add(svc.db.all[i]); }
        for (int b = 0; b < POOL; b++) svc.letterBuffers.add(new byte[65_536]);
        Random traffic = new Random(120_060_002), staff = new Random(120_060_003);
        long[] logout = new long[DESKS];
        for (int d = 0; d < DESKS; d++) { svc.login(d, staff, start); logout[d] = start + (1 + staff.nextInt(180)) * MINUTE; }
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int d = 0; d < DESKS; d++) if (logout[d] <= t) { svc.login(d, staff, t); logout[d] = t + (120 + staff.nextInt(120)) * MINUTE; }
            if (m % 2 == 1) svc.retryClaims(traffic, t);
            for (int k = 0; k < BOOKINGS_PER_MINUTE; k++) svc.book(traffic, t + k * 1_500L);
            if (m % 3 == 0) svc.printLetter(traffic);
            svc.sendSms(t);
            if (m % 30 == 29) svc.workOffReviews(t);
            if (m % 60 == 59) svc.awaitInvoicing();
        }
        svc.awaitInvoicing();
    }

    static String report() {
        ClinicService svc = SERVICE;
        int diaryEntries = 0;
        for (DiaryView v : svc.desks) diaryEntries += v.entries.size();
        return "clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " bookings " + svc.bookings + " logins " + svc.logins + " logouts " + svc.logouts + " listeners " + svc.bus.listeners.size()
                + " diary entries " + diaryEntries + " queries " + svc.db.queries + " open statements " + svc.db.open() + " claims " + svc.claims + " paid " + svc.claimsPaid + " retries " + svc.claimRetryCount
                + " retry-queue " + svc.claimRetries.size() + " manual review " + svc.manualReview.size() + " (reviewed " + svc.reviewed + ") invoices " + svc.invoices.get() + " clinics invoiced " + svc.invoicedByClinic.size()
                + " max context " + svc.maxContextAfter.get() + " threads " + svc.invoicing.getPoolSize() + " notes " + svc.notes.size() + " (evicted " + svc.notes.evicted + ") pool " + svc.letterBuffers.size()
                + " letters " + svc.letters + " sms " + svc.smsSent + " backlog " + svc.smsQueue.size();
    }

    static void verify() {
        ClinicService svc = SERVICE;
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS, "reference data / register");
        check(svc.bookings == (long) BOOKINGS_PER_MINUTE * 60 * HOURS && svc.invoices.get() == svc.bookings, "bookings / invoices");
        check(svc.bus.listeners.size() == DESKS + 1 && svc.logins - svc.logouts == DESKS, "one listener per logged-in desk");
        check(svc.db.open() == 0 && svc.db.idle.size() == CONNECTIONS, "statements closed");
        check(svc.claimsPaid + svc.claimRetries.size() + svc.manualReview.size() + svc.reviewed == svc.claims, "claims");
        check(svc.maxContextAfter.get() == 0 && svc.invoicing.getPoolSize() == THREADS, "logging context cleared");
        check(svc.notes.size() == NOTE_CAP && svc.notes.evicted > 0, "note cache at cap");
        check(svc.letterBuffers.size() == POOL, "pool");
        check(svc.appointments[RING - 1] != null, "ring");
        expect(svc.logins, 177, "diary logins");
        expect(svc.logouts, 137, "diary logouts");
        expect(svc.claims, 6_059, "claims");
        expect(svc.claimsPaid, 5_932, "claims paid");
        expect(svc.claimRetries.size(), 3, "claim retry queue");
        expect(svc.manualReview.size(), 10, "manual-review backlog");
        expect(svc.reviewed, 114, "claims reviewed");
        expect(svc.smsQueue.size(), 439, "SMS backlog");
        expect(svc.notes.evicted, 14_295, "notes evicted");
    }

    public static void main(String[] args) throws Exception {
        simulate();
        System.out.println(report());
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
