// hprofscan-dump: name=val134-leak-chiropractors jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val134-leak-chiropractors-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 134 (written blind), LEAK: the appointments and clinical-notes service of a chain
 * of chiropractic clinics. Clinic reference data, the patient directory, a cache of rendered
 * treatment plans at its cap, a pool of X-ray viewer buffers, a ring of recent appointments, the
 * SMS reminder queue with its normal backlog, and a pool of 12 clinical-database connections.
 * Every request borrows a connection and registers an "on release" callback on it (a lambda that
 * writes the visit's audit record, capturing the request's VisitContext with its SOAP-note draft).
 * The bug: the pooled connection runs and clears its callbacks only when it is physically closed,
 * and pooled connections are never closed, only returned to the pool: every callback ever
 * registered stays, spread over the 12 connections. See VALIDATION134.md.
 */
public final class Val134LeakChiropractors {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, REMIND_AFTER = 15 * MINUTE;
    static final int CLINICS = 600, PATIENTS = 20_000, PLAN_CAP = 2_000, BUFFERS = 8, CONNECTIONS = 12, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 3_000, AUDIT_RING = 1_024;
    static boolean FIXED;

    record Clinic(String code, String town, double[] bookingsByQuarterHour) {}
    record Patient(String patientId, String name, String clinic, String gpPractice, byte[] questionnaire, long registeredAt) {}
    record TreatmentPlan(String key, byte[] rendered, long at) {}
    record Appointment(String patientId, String clinic, String practitioner, long at) {}
    record Reminder(String patientId, String mobile, long at) {}
    record VisitContext(String requestId, String patientId, String clinic, String practitioner, String[] treatmentCodes, byte[] soapNote, long at) {}
    record AuditRecord(String requestId, String patientId, String action, long at) {}

    static final class PooledConnection {
        final int id; final String url;
        final List<Runnable> onRelease = new ArrayList<>();
        long borrows; boolean physicallyClosed;
        PooledConnection(int id) { this.id = id; this.url = "jdbc:postgresql://clinical-db-" + (id % 3) + ".internal:5432/notes"; }
        void addReleaseCallback(Runnable r) { onRelease.add(r); }
        void physicalClose() { for (Runnable r : onRelease) r.run(); onRelease.clear(); physicallyClosed = true; }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        long borrowed, released, callbacksRun;
        PooledConnection borrow() { borrowed++; PooledConnection c = idle.pollFirst(); c.borrows++; return c; }
        void release(PooledConnection c) {
            if (FIXED) { for (Runnable r : c.onRelease) { r.run(); callbacksRun++; } c.onRelease.clear(); }
            // BUG: the callbacks are left for physicalClose(), which a pooled connection never reaches
            released++;
            idle.addLast(c);
        }
    }

    static final class AuditTrail {
        final AuditRecord[] recent = new AuditRecord[AUDIT_RING];
        long written;
        void noteSaved(VisitContext ctx) { recent[(int) (written++ % AUDIT_RING)] = new AuditRecord(ctx.requestId(), ctx.patientId(), "soap-note-saved", ctx.at()); }
    }

    static final class PlanCache extends LinkedHashMap<String, TreatmentPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TreatmentPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class PracticeService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] patientIds = new String[PATIENTS];
        final String[] clinicCodes = new String[CLINICS];
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> xrayBuffers = new ArrayDeque<>();
        final Appointment[] recentAppointments = new Appointment[RING];
        final ArrayDeque<Reminder> reminders = new ArrayDeque<>();
        final ConnectionPool db = new ConnectionPool();
        final AuditTrail audit = new AuditTrail();
        long requests, appointments, remindersQueued, remindersSent, xrays;

        void request(Random r, long t) {
            Patient p = patients.get(patientIds[r.nextInt(PATIENTS)]);
            String practitioner = "DC" + (1_000 + r.nextInt(900));
            String[] codes = new String[1 + r.nextInt(3)];
            for (int k = 0; k < codes.length; k++) codes[k] = TREATMENTS[r.nextInt(TREATMENTS.length)];
            VisitContext ctx = new VisitContext("rq-" + Long.toHexString(0x4c00_0000L + requests++), p.patientId(), p.clinic(), practitioner, codes, new byte[120 + r.nextInt(220)], t);
            PooledConnection c = db.borrow();
            try {
                c.addReleaseCallback(() -> audit.noteSaved(ctx));
                recentAppointments[(int) (appointments++ % RING)] = new Appointment(p.patientId(), p.clinic(), practitioner, t);
                String pk = "plan-" + r.nextInt(6_000);
                if (plans.get(pk) == null) plans.put(pk, new TreatmentPlan(pk, new byte[400 + r.nextInt(400)], t));
                if (r.nextInt(3) == 0) { reminders.addLast(new Reminder(p.patientId(), "07" + (700_000_000 + r.nextInt(99_999_999)), t)); remindersQueued++; }
                if (r.nextInt(8) == 0) {
                    byte[] buf = xrayBuffers.poll();
                    buf[(int) (xrays++ % buf.length)] = (byte) codes.length;
                    xrayBuffers.add(buf);
                }
            } finally {
                db.release(c);
            }
        }

        void minuteTick(long t) {
            while (!reminders.isEmpty() && reminders.peekFirst().at() <= t - REMIND_AFTER) { reminders.pollFirst(); remindersSent++; }
        }
    }

    static final String[] TREATMENTS = {"SMT-L", "SMT-C", "SMT-T", "MOB-HIP", "SOFT-TISSUE", "DRY-NEEDLING", "REHAB-EX", "POSTURE-ADV", "KINESIO-TAPE", "SHOCKWAVE"};

    static PracticeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(134_030_001);
        PracticeService svc = new PracticeService();
        SERVICE = svc;
        for (int c = 0; c < CLINICS; c++) {
            double[] bookings = new double[96];
            for (int k = 0; k < bookings.length; k++) bookings[k] = rnd.nextDouble() * 12;
            svc.clinicCodes[c] = "CH-" + (4_000 + c);
            CLINICS_BY_CODE.put(svc.clinicCodes[c], new Clinic(svc.clinicCodes[c], "Town " + (c % 210), bookings));
        }
        for (int i = 0; i < PATIENTS; i++) {
            svc.patientIds[i] = "PT" + (9_300_000 + i * 11);
            svc.patients.put(svc.patientIds[i], new Patient(svc.patientIds[i], "Patient " + rnd.nextInt(60_000), svc.clinicCodes[rnd.nextInt(CLINICS)], "GP-" + (10_000 + rnd.nextInt(7_000)),
                    new byte[150 + rnd.nextInt(150)], end - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < BUFFERS; b++) svc.xrayBuffers.add(new byte[32_768]);
        for (int c = 0; c < CONNECTIONS; c++) svc.db.idle.addLast(new PooledConnection(c));
        Random traffic = new Random(134_030_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        long nextTick = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTick <= t) { svc.minuteTick(nextTick); nextTick += MINUTE; }
            svc.request(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick); nextTick += MINUTE; }
    }

    static void verify() {
        PracticeService svc = SERVICE;
        int pending = 0, minPending = Integer.MAX_VALUE, maxPending = 0;
        for (PooledConnection c : svc.db.idle) {
            pending += c.onRelease.size();
            minPending = Math.min(minPending, c.onRelease.size());
            maxPending = Math.max(maxPending, c.onRelease.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " requests " + svc.requests + " pool " + svc.db.idle.size() + " borrowed " + svc.db.borrowed + " released " + svc.db.released
                + " callbacks run " + svc.db.callbacksRun + " pending " + pending + " (" + minPending + ".." + maxPending + " per connection) audit " + svc.audit.written
                + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") reminders " + svc.reminders.size() + " (" + svc.remindersQueued + " queued, " + svc.remindersSent + " sent) ring " + Math.min(svc.appointments, RING));
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && svc.db.borrowed == svc.requests && svc.db.released == svc.requests && svc.db.idle.size() == CONNECTIONS, "pool");
        if (FIXED) check(pending == 0 && svc.db.callbacksRun == svc.requests && svc.audit.written == svc.requests, "fixed: callbacks run and cleared");
        else check(pending == svc.requests && svc.db.callbacksRun == 0 && svc.audit.written == 0 && minPending == svc.requests / CONNECTIONS, "callbacks pile up on the pooled connections");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.xrayBuffers.size() == BUFFERS, "buffer pool");
        check(svc.remindersQueued - svc.remindersSent == svc.reminders.size() && svc.reminders.size() > 0, "reminder backlog");
        check(svc.reminders.size() == 252 && svc.remindersQueued == 9_912 && svc.plans.evicted == 18_357, "exact reminder / plan counts"); // VALIDATION134.md
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val134.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
