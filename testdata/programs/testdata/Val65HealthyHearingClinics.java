// hprofscan-dump: name=val65-healthy-hearingclinics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val65-healthy-hearingclinics-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), HEALTHY: the appointment and hearing-aid fitting service of a
 * chain of audiology clinics. Clinic reference data, the patient directory, a cache of schedule
 * query results keyed by query text + clinic + day (an LRU at its cap), a pool of calibration
 * couplers with a borrowed map (returned in finally, also when a fitting fails), a per-thread
 * scratch buffer, the last 100 failed fittings (trimmed correctly), and a ring of fitting events.
 * See VALIDATION65.md.
 */
public final class Val65HealthyHearingClinics {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLINICS = 1_000, PATIENTS = 28_000, SCHEDULE_CAP = 2_000, COUPLERS = 12, RING = 16_384, KEEP_ERRORS = 100, FITTINGS_PER_HOUR = 6_000, HOURS = 10;
    static final String SCHEDULE_SQL = "SELECT slot_start, audiologist FROM slots WHERE clinic_code = ? AND day = ? AND booked = false";

    record Clinic(String code, String town, double[] weeklyDemand) {}
    record Patient(String patientId, String name, byte[] audiogramHistory, long registeredAt) {}
    record ScheduleResult(String key, long[] freeSlots, long fetchedAt) {}
    record FittingEvent(String patientId, String clinicCode, int gainDb, long at) {}
    record FittingRequest(String requestId, String patientId, String clinicCode, int gainDb, long at) {}
    record FailedFitting(long at, Exception error, FittingRequest request) {}
    record CouplerBorrow(long borrowedAt, String requestId) {}

    static final class FittingFailedException extends Exception {
        FittingFailedException(String msg) { super(msg); }
    }

    static final class ScheduleCache extends LinkedHashMap<String, ScheduleResult> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ScheduleResult> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final class Coupler { final int id; final float[] response = new float[2_048]; long uses; Coupler(int id) { this.id = id; } }

    static final class CouplerPool {
        final ArrayDeque<Coupler> idle = new ArrayDeque<>();
        final Map<Coupler, CouplerBorrow> borrowed = new HashMap<>();
        long borrows, releases;
        CouplerPool() { for (int k = 0; k < COUPLERS; k++) idle.add(new Coupler(k)); }
        Coupler borrow(String requestId, long at) { Coupler c = idle.poll(); borrowed.put(c, new CouplerBorrow(at, requestId)); borrows++; return c; }
        void release(Coupler c) { if (borrowed.remove(c) != null) { idle.add(c); releases++; } }
    }

    static final class Diagnostics {
        final ArrayDeque<FailedFitting> lastFailures = new ArrayDeque<>();
        long failures;
        void record(FailedFitting f) { failures++; lastFailures.addLast(f); while (lastFailures.size() > KEEP_ERRORS) lastFailures.removeFirst(); }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class FittingService {
        final Map<String, Patient> patients = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final CouplerPool couplers = new CouplerPool();
        final Diagnostics diagnostics = new Diagnostics();
        final FittingEvent[] events = new FittingEvent[RING];
        long written;

        void fit(FittingRequest r, Coupler c) throws FittingFailedException {
            c.uses++;
            byte[] scratch = SCRATCH.get();
            scratch[(int) (c.uses % scratch.length)] = (byte) r.gainDb();
            if (r.gainDb() > 70) throw new FittingFailedException("feedback above " + r.gainDb() + " dB gain for " + r.patientId() + " at " + r.clinicCode());
            c.response[r.gainDb() % c.response.length] += 1f;
        }
    }

    static FittingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int fittings = FITTINGS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(65_060_001);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] demand = new double[80];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 50;
            clinicCodes[c] = "AUD-" + (600 + c);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "Town " + (c % 260), demand));
        }
        FittingService svc = new FittingService();
        SERVICE = svc;
        String[] patientIds = new String[PATIENTS];
        for (int p = 0; p < PATIENTS; p++) {
            patientIds[p] = "NHS" + (4_000_000_000L + p * 101L);
            svc.patients.put(patientIds[p], new Patient(patientIds[p], "Patient " + p, new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        Random traffic = new Random(65_060_002);
        for (int i = 0; i < fittings; i++) {
            long t = start + (end - MINUTE - start) * i / fittings;
            String patient = patientIds[traffic.nextInt(PATIENTS)];
            String clinic = clinicCodes[traffic.nextInt(CLINICS)];
            String day = Instant.ofEpochMilli(t + (long) traffic.nextInt(21) * DAY).toString().substring(0, 10);
            String key = SCHEDULE_SQL + "|" + clinic + "|" + day;
            if (svc.schedules.get(key) == null) {
                long[] free = new long[4 + traffic.nextInt(12)];
                for (int k = 0; k < free.length; k++) free[k] = t + (long) traffic.nextInt(21 * 24) * HOUR;
                svc.schedules.put(key, new ScheduleResult(key, free, t));
            }
            FittingRequest req = new FittingRequest("fit-" + Long.toHexString(0x7e00_0000L + i), patient, clinic, 10 + traffic.nextInt(64), t);
            Coupler c = svc.couplers.borrow(req.requestId(), t);
            try {
                svc.fit(req, c);
                svc.events[(int) (svc.written++ % RING)] = new FittingEvent(patient, clinic, req.gainDb(), t);
            } catch (FittingFailedException e) {
                svc.diagnostics.record(new FailedFitting(t, e, req));
            } finally {
                svc.couplers.release(c);
            }
        }
        System.out.println("clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") couplers idle " + svc.couplers.idle.size() + " borrowed " + svc.couplers.borrowed.size()
                + " (borrows " + svc.couplers.borrows + ") failures kept " + svc.diagnostics.lastFailures.size() + " of " + svc.diagnostics.failures + " events written " + svc.written);
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.couplers.idle.size() == COUPLERS && svc.couplers.borrowed.isEmpty() && svc.couplers.releases == fittings, "couplers all returned");
        check(svc.diagnostics.lastFailures.size() == KEEP_ERRORS && svc.diagnostics.failures > KEEP_ERRORS, "last 100 failures");
        check(svc.written + svc.diagnostics.failures == fittings && svc.events[RING - 1] != null, "ring");
        check(SCRATCH.get().length == 65_536, "scratch");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
