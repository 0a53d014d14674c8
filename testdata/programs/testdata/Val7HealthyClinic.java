// hprofscan-dump: name=val7-healthy-clinic jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val7-healthy-clinic-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 7 (written blind), HEALTHY: a telehealth scheduling service that has run for
 * 12 simulated hours. It holds the provider directory loaded at startup (the biggest structure),
 * an appointment calendar of booked future appointments (booked up to 60 days ago, legitimate),
 * an insurance-eligibility TTL cache whose entries really expire (15 minutes), patient-portal
 * sessions with a 12-hour absolute and 2-hour idle lifetime (so live sessions span hours), a
 * pool of 20 database connections, an audit log capped at 2,000 entries (LinkedHashMap with
 * removeEldestEntry) and the config. See testdata/VALIDATION7.md.
 */
public final class Val7HealthyClinic {
    static final int PROVIDERS = 6_000;
    static final int BOOKINGS = 30_000;
    static final int AUDIT_CAP = 2_000;
    static final int POOL_SIZE = 20;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 12 * HOUR;
    static final long ELIGIBILITY_TTL = 15 * MINUTE;
    static final long SESSION_IDLE = 2 * HOUR;
    static final long SESSION_MAX = 12 * HOUR;

    static SchedulingService RUNNING;

    static final class Provider {
        final String npi; final String fullName; final String specialty; final String[] licensedStates; final String[] languages;
        final long[] weeklySlotMask = new long[7]; final int visitMinutes; final long credentialedAt;
        Provider(String npi, String fullName, String specialty, String[] licensedStates, String[] languages, int visitMinutes, long credentialedAt) {
            this.npi = npi; this.fullName = fullName; this.specialty = specialty; this.licensedStates = licensedStates; this.languages = languages; this.visitMinutes = visitMinutes; this.credentialedAt = credentialedAt;
        }
    }

    /** Reference data: the credentialed providers, loaded at startup from the credentialing system. */
    static final class ProviderDirectory {
        static final Map<String, Provider> BY_NPI = new HashMap<>(PROVIDERS * 2);
    }

    static final class Appointment {
        final long appointmentId; final String patientMrn; final Provider provider; final long startsAt; final int minutes; final long bookedAt; long updatedAt; String status; final String reason;
        Appointment(long appointmentId, String patientMrn, Provider provider, long startsAt, int minutes, long bookedAt, String reason) {
            this.appointmentId = appointmentId; this.patientMrn = patientMrn; this.provider = provider; this.startsAt = startsAt; this.minutes = minutes; this.bookedAt = bookedAt; this.updatedAt = bookedAt; this.status = "BOOKED"; this.reason = reason;
        }
    }

    /** Booked appointments by start time; past appointments are archived nightly. */
    static final class AppointmentCalendar {
        final TreeMap<Long, List<Appointment>> byStart = new TreeMap<>();
        final Map<Long, Appointment> byId = new HashMap<>();
        void book(Appointment a) { byStart.computeIfAbsent(a.startsAt, k -> new ArrayList<>(2)).add(a); byId.put(a.appointmentId, a); }
        void archiveBefore(long t) {
            for (Iterator<Map.Entry<Long, List<Appointment>>> it = byStart.headMap(t).entrySet().iterator(); it.hasNext(); ) {
                for (Appointment a : it.next().getValue()) byId.remove(a.appointmentId);
                it.remove();
            }
        }
    }

    static final class Eligibility {
        final String memberId; final String payerId; final boolean active; final int copayCents; final long fetchedAt; final long expiresAt;
        Eligibility(String memberId, String payerId, boolean active, int copayCents, long fetchedAt) { this.memberId = memberId; this.payerId = payerId; this.active = active; this.copayCents = copayCents; this.fetchedAt = fetchedAt; this.expiresAt = fetchedAt + ELIGIBILITY_TTL; }
    }

    /** 270/271 responses cached for 15 minutes; a sweeper drops expired ones every minute. */
    static final class EligibilityCache {
        final ConcurrentHashMap<String, Eligibility> entries = new ConcurrentHashMap<>();
        long expired;
        void sweep(long now) { for (Iterator<Eligibility> it = entries.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) { it.remove(); expired++; } }
    }

    static final class PortalSession {
        final String sessionId; final String patientMrn; final long createdAt; long lastAccessAt; final Map<String, String> attributes = new HashMap<>();
        PortalSession(String sessionId, String patientMrn, long createdAt) { this.sessionId = sessionId; this.patientMrn = patientMrn; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SessionStore {
        final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();
        long expired;
        void sweep(long now) {
            for (Iterator<PortalSession> it = sessions.values().iterator(); it.hasNext(); ) {
                PortalSession s = it.next();
                if (now - s.lastAccessAt > SESSION_IDLE || now - s.createdAt > SESSION_MAX) { it.remove(); expired++; }
            }
        }
    }

    static final class PooledConnection {
        final int id; final String url; final byte[] socketBuffer = new byte[16 * 1024]; final long openedAt; long lastBorrowedAt; long useCount;
        PooledConnection(int id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
    }

    static final class ConnectionPool {
        final List<PooledConnection> all = new ArrayList<>();
        final ArrayBlockingQueue<PooledConnection> idle = new ArrayBlockingQueue<>(POOL_SIZE);
    }

    static final class AuditEntry {
        final long at; final String actor; final String action; final String resource;
        AuditEntry(long at, String actor, String action, String resource) { this.at = at; this.actor = actor; this.action = action; this.resource = resource; }
    }

    static final class AuditLog extends LinkedHashMap<Long, AuditEntry> {
        final int maxEntries;
        AuditLog(int maxEntries) { super(maxEntries * 2); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, AuditEntry> e) { return size() > maxEntries; }
    }

    static final class SchedulingService {
        final AppointmentCalendar calendar = new AppointmentCalendar();
        final EligibilityCache eligibility = new EligibilityCache();
        final SessionStore portal = new SessionStore();
        final ConnectionPool db = new ConnectionPool();
        final AuditLog audit = new AuditLog(AUDIT_CAP);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hex(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(7_030_001);
        SchedulingService svc = new SchedulingService();
        RUNNING = svc;
        for (int i = 0; i < 100; i++) svc.config.setProperty("scheduling.clinic." + i + ".bufferMinutes", Integer.toString(5 + i % 10));
        String[] specialties = {"Family Medicine", "Dermatology", "Psychiatry", "Pediatrics", "Cardiology", "Endocrinology", "Internal Medicine"};
        String[] states = {"CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "AZ"};
        String[] langs = {"en", "es", "zh", "vi", "fr", "ko"};
        String[] npis = new String[PROVIDERS];
        for (int i = 0; i < PROVIDERS; i++) {
            npis[i] = Long.toString(1_003_000_000L + i * 1_117L);
            String[] lic = new String[1 + i % 5];
            for (int k = 0; k < lic.length; k++) lic[k] = states[(i + k) % states.length];
            String[] ls = new String[1 + i % 3];
            for (int k = 0; k < ls.length; k++) ls[k] = langs[(i + k) % langs.length];
            Provider p = new Provider(npis[i], "Dr. Provider " + Integer.toString(i, 36).toUpperCase(), specialties[i % specialties.length], lic, ls, 15 + 15 * (i % 3), start - DAY * (10 + i % 2000));
            for (int d = 0; d < 7; d++) p.weeklySlotMask[d] = rnd.nextLong();
            ProviderDirectory.BY_NPI.put(npis[i], p);
        }
        for (int i = 0; i < POOL_SIZE; i++) {
            PooledConnection c = new PooledConnection(i, "jdbc:postgresql://sched-db-" + (i % 2) + ":5432/scheduling", start + i * 250L);
            svc.db.all.add(c); svc.db.idle.add(c);
        }
        // Bookings made before this process started (loaded from the database at startup): the
        // calendar covers the next 30 days, booked up to 60 days in advance.
        String[] reasons = {"follow-up", "new patient", "medication review", "lab results", "annual physical", "urgent care"};
        long apptSeq = 880_000_000L;
        for (int i = 0; i < BOOKINGS; i++) {
            long startsAt = (start - 2 * HOUR) + (long) (rnd.nextDouble() * 32 * DAY);
            startsAt -= startsAt % (15 * MINUTE);
            long bookedAt = startsAt - (long) (rnd.nextDouble() * 60 * DAY);
            if (bookedAt > start) bookedAt = start - rnd.nextInt(3_600_000);
            String mrn = String.format("MRN%08d", 10_000_000 + rnd.nextInt(5_000_000));
            Provider p = ProviderDirectory.BY_NPI.get(npis[rnd.nextInt(PROVIDERS)]);
            svc.calendar.book(new Appointment(apptSeq++, mrn, p, startsAt, p.visitMinutes, bookedAt, reasons[i % reasons.length]));
        }
        // 12 hours of traffic: eligibility checks, portal logins and page views, bookings, audit.
        int events = 60_000;
        List<PortalSession> recent = new ArrayList<>();
        long lastSweep = start;
        long auditSeq = 1;
        for (int i = 0; i < events; i++) {
            long t = start + SIM_MILLIS * i / events;
            String member = String.format("W%09d", 200_000_000 + rnd.nextInt(300_000));
            Eligibility e = svc.eligibility.entries.get(member);
            if (e == null || e.expiresAt <= t) svc.eligibility.entries.put(member, new Eligibility(member, "PAYER" + (rnd.nextInt(60) + 100), rnd.nextInt(10) != 0, 500 * rnd.nextInt(10), t));
            PooledConnection c = svc.db.idle.poll();
            c.lastBorrowedAt = t; c.useCount++;
            svc.db.idle.add(c);
            if (i % 20 == 0) {
                PortalSession s = new PortalSession(hex(rnd, 40), String.format("MRN%08d", 10_000_000 + rnd.nextInt(5_000_000)), t);
                s.attributes.put("locale", "en-US"); s.attributes.put("tz", "America/Chicago"); s.attributes.put("csrf", hex(rnd, 24));
                svc.portal.sessions.put(s.sessionId, s);
                recent.add(s);
            }
            if (i % 4 == 0 && !recent.isEmpty()) { // patients keep using the portal for a while, some for hours
                PortalSession s = recent.get(recent.size() - 1 - rnd.nextInt(Math.min(recent.size(), 100)));
                if (svc.portal.sessions.containsKey(s.sessionId)) s.lastAccessAt = t;
            }
            if (i % 6 == 0) {
                long startsAt = t + (long) (rnd.nextDouble() * 30 * DAY);
                Provider p = ProviderDirectory.BY_NPI.get(npis[rnd.nextInt(PROVIDERS)]);
                svc.calendar.book(new Appointment(apptSeq++, String.format("MRN%08d", 10_000_000 + rnd.nextInt(5_000_000)), p, startsAt - startsAt % (15 * MINUTE), p.visitMinutes, t, reasons[i % reasons.length]));
            }
            svc.audit.put(auditSeq, new AuditEntry(t, "user" + rnd.nextInt(500), i % 3 == 0 ? "VIEW" : "UPDATE", "Appointment/" + (apptSeq - 1 - rnd.nextInt(100))));
            auditSeq++;
            if (t - lastSweep >= MINUTE) {
                svc.eligibility.sweep(t);
                svc.portal.sweep(t);
                recent.removeIf(s -> !svc.portal.sessions.containsKey(s.sessionId));
                lastSweep = t;
            }
            if (i % 5_000 == 0) svc.calendar.archiveBefore(t);
        }
        svc.eligibility.sweep(now);
        svc.portal.sweep(now);
        svc.calendar.archiveBefore(now);
        recent.clear();
        long oldestSession = now;
        for (PortalSession s : svc.portal.sessions.values()) oldestSession = Math.min(oldestSession, s.createdAt);
        System.out.println("providers " + ProviderDirectory.BY_NPI.size() + " appointments " + svc.calendar.byId.size() + " eligibility " + svc.eligibility.entries.size()
                + " (expired " + svc.eligibility.expired + ") sessions " + svc.portal.sessions.size() + " (expired " + svc.portal.expired + ", oldest " + (now - oldestSession) / MINUTE + " min)"
                + " pool " + svc.db.idle.size() + " audit " + svc.audit.size());
        check(ProviderDirectory.BY_NPI.size() == PROVIDERS, "providers");
        check(svc.calendar.byId.size() > 20_000, "appointments");
        check(svc.eligibility.entries.size() < 3_000, "eligibility");
        check(svc.portal.sessions.size() < 1_000 && now - oldestSession > HOUR, "sessions");
        check(svc.db.idle.size() == POOL_SIZE && svc.audit.size() == AUDIT_CAP, "pool/audit");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
