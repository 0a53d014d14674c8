// hprofscan-dump: name=val124-leak-mottesting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val124-leak-mottesting-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 124 (written blind), LEAK: the back office of a chain of MOT (vehicle roadworthiness)
 * test centres. Test-centre reference data, the vehicle directory, a cache of rendered test
 * certificates at its cap, a pool of PDF buffers, a ring of recent tests and the reminder-SMS queue
 * with its normal backlog. Every completed test must be recorded with the national MOT register: the
 * result goes into {@code RegisterOutbox.pending} and a relay sends up to 400 messages a minute.
 * The register's API has answered 503 since a maintenance window 2 h 10 min into the period that
 * never ended; a failed message is put back at the tail with {@code attempts + 1}, with no maximum
 * and no dead-letter store, so every result since the outage is still queued. See VALIDATION124.md.
 */
public final class Val124LeakMotTesting {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int CENTRES = 900, VEHICLES = 22_000, CERT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, TESTS_PER_HOUR = 1_400, RELAY_BATCH = 400, MAX_ATTEMPTS = 10;
    static final long OUTAGE_FROM = 2 * HOUR + 10 * MINUTE; // after the start of the simulated period; lasts beyond the dump
    // The truth of VALIDATION124.md (checked below).
    static final int EXPECT_PASSED = 9_968, EXPECT_SENT = 3_016, EXPECT_PENDING = 10_984, EXPECT_FAILURES = 185_168, EXPECT_MAX_ATTEMPTS = 75, EXPECT_REMINDERS_BACKLOG = 121,
            FIXED_PENDING = 186, FIXED_DEAD_LETTERED = 10_798;
    static boolean FIXED;

    record Centre(String centreId, String name, String town, double[] testsByWeek) {}
    record Vehicle(String registration, String vin, String make, String model, String fuel, byte[] history, long firstRegistered) {}
    record Certificate(String testNumber, byte[] pdf, long at) {}
    record TestSummary(String testNumber, String registration, String centreId, boolean passed, int odometer, long at) {}
    record ReminderSms(String registration, String phone, long dueAt, long queuedAt) {}

    static final class OutboxMessage {
        final long id; final String testNumber; final String payload; final long createdAt;
        int attempts; long lastAttemptAt; String lastError;
        OutboxMessage(long id, String testNumber, String payload, long createdAt) { this.id = id; this.testNumber = testNumber; this.payload = payload; this.createdAt = createdAt; }
    }

    /** The national register's client: down (503) from the outage on. */
    static final class RegisterClient {
        long calls, accepted;
        long outageFrom;
        static final String UNAVAILABLE = "503 Service Unavailable: planned maintenance (mot-register)";
        String post(OutboxMessage m, long t) {
            calls++;
            if (t >= outageFrom) return UNAVAILABLE;
            accepted++;
            return null;
        }
    }

    /** Where the fix parks messages that ran out of attempts (written to disk: only counted here). */
    static final class DeadLetterFile {
        long written, bytes;
        void write(OutboxMessage m) { written++; bytes += m.payload.length(); }
    }

    static final class RegisterOutbox {
        final ArrayDeque<OutboxMessage> pending = new ArrayDeque<>();
        final RegisterClient client = new RegisterClient();
        final DeadLetterFile deadLetters = new DeadLetterFile();
        long enqueued, sent, failures, relayRuns, lastRelayAt;

        void enqueue(OutboxMessage m) { pending.addLast(m); enqueued++; }

        /** Runs every minute: takes up to RELAY_BATCH messages from the head and posts them. */
        void relay(long t) {
            relayRuns++;
            lastRelayAt = t;
            int n = Math.min(RELAY_BATCH, pending.size());
            for (int k = 0; k < n; k++) {
                OutboxMessage m = pending.pollFirst();
                m.attempts++;
                m.lastAttemptAt = t;
                String error = client.post(m, t);
                if (error == null) { sent++; continue; }
                failures++;
                m.lastError = error;
                if (FIXED && m.attempts >= MAX_ATTEMPTS) { deadLetters.write(m); continue; }
                pending.addLast(m); // BUG: re-queued for ever, never dropped or dead-lettered
            }
        }
    }

    static final class CertCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_ID = new HashMap<>();

    static final class TestingService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final String[] registrations = new String[VEHICLES];
        final CertCache certificates = new CertCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final TestSummary[] recentTests = new TestSummary[RING];
        final ArrayDeque<ReminderSms> reminders = new ArrayDeque<>();
        final RegisterOutbox outbox = new RegisterOutbox();
        long tests, passes, remindersQueued, remindersSent, certViews;

        void completeTest(String[] centreIds, Random r, long t) {
            Vehicle v = vehicles.get(registrations[r.nextInt(VEHICLES)]);
            String centre = centreIds[r.nextInt(CENTRES)];
            boolean passed = r.nextInt(100) < 71;
            int odometer = 8_000 + r.nextInt(180_000);
            String testNumber = Long.toString(4_000_000_000L + tests * 37 + r.nextInt(37));
            StringBuilder json = new StringBuilder(1_024);
            json.append("{\"testNumber\":\"").append(testNumber).append("\",\"registration\":\"").append(v.registration()).append("\",\"vin\":\"").append(v.vin())
                    .append("\",\"make\":\"").append(v.make()).append("\",\"model\":\"").append(v.model()).append("\",\"fuelType\":\"").append(v.fuel())
                    .append("\",\"testCentre\":\"").append(centre).append("\",\"tester\":\"T").append(100_000 + r.nextInt(9_000)).append("\",\"completedAt\":").append(t)
                    .append(",\"odometer\":{\"value\":").append(odometer).append(",\"unit\":\"mi\"},\"result\":\"").append(passed ? "PASS" : "FAIL").append("\",\"items\":[");
            int items = (passed ? 0 : 1 + r.nextInt(4)) + r.nextInt(4);
            String[] defects = {"Nearside Front Tyre tread depth below requirements of 1.6mm (5.2.3 (e))", "Offside Headlamp aim too high (4.1.2 (b))",
                "Brake disc worn, pitted or scored, but not seriously weakened (1.1.14 (a) (ii))", "Windscreen has damage to an area less than a 10mm circle within zone A (3.2 (a) (i))",
                "Exhaust has a minor leak of exhaust gases (6.1.2 (a))", "Front Suspension arm ball joint has slight play (5.3.4 (a) (i))",
                "Oil leak, but not excessive (8.4.1 (a))", "Registration plate lamp inoperative (4.7.1 (b) (ii))"};
            for (int k = 0; k < items; k++) {
                json.append(k == 0 ? "" : ",").append("{\"type\":\"").append(!passed && k == 0 ? "MAJOR" : "ADVISORY").append("\",\"text\":\"").append(defects[r.nextInt(defects.length)]).append("\"}");
            }
            byte[] signature = new byte[256];
            r.nextBytes(signature);
            json.append("],\"expiryDate\":").append(passed ? t + 365 * DAY : 0).append(",\"testerSignature\":\"").append(java.util.Base64.getEncoder().encodeToString(signature)).append("\"}");
            outbox.enqueue(new OutboxMessage(9_000_000L + tests, testNumber, json.toString(), t));
            byte[] buf = pdfBuffers.poll();
            buf[(int) (tests % buf.length)] = (byte) items;
            pdfBuffers.add(buf);
            certificates.put(testNumber, new Certificate(testNumber, new byte[400 + r.nextInt(400)], t));
            recentTests[(int) (tests++ % RING)] = new TestSummary(testNumber, v.registration(), centre, passed, odometer, t);
            if (passed) {
                passes++;
                if (r.nextInt(3) == 0) { reminders.addLast(new ReminderSms(v.registration(), "07" + (700_000_000 + r.nextInt(99_999_999)), t + 335 * DAY, t)); remindersQueued++; }
            }
            // motorists look up recent certificates
            if (r.nextInt(2) == 0) {
                TestSummary s = recentTests[r.nextInt((int) Math.min(tests, RING))];
                if (s != null && certificates.get(s.testNumber()) != null) certViews++;
            }
        }

        /** The SMS gateway takes the reminders booked more than 20 minutes ago, every 10 minutes. */
        void sendReminders(long t) {
            while (!reminders.isEmpty() && reminders.peekFirst().queuedAt() <= t - 20 * MINUTE) { reminders.pollFirst(); remindersSent++; }
        }
    }

    static TestingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(124_040_001);
        String[] centreIds = new String[CENTRES];
        String[] towns = {"Swindon", "Preston", "Ipswich", "Wrexham", "Dundee", "Luton", "Telford", "Exeter", "Lincoln", "Carlisle", "Bangor", "Hull"};
        for (int c = 0; c < CENTRES; c++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = 40 + rnd.nextDouble() * 200;
            centreIds[c] = "V" + (10_000 + c * 11);
            CENTRES_BY_ID.put(centreIds[c], new Centre(centreIds[c], "AutoCheck " + towns[c % towns.length] + " " + (c / towns.length), towns[c % towns.length], weekly));
        }
        TestingService svc = new TestingService();
        SERVICE = svc;
        svc.outbox.client.outageFrom = start + OUTAGE_FROM;
        String[] makes = {"FORD", "VAUXHALL", "VOLKSWAGEN", "TOYOTA", "NISSAN", "BMW", "KIA", "PEUGEOT", "SKODA", "HONDA"};
        String[] models = {"FIESTA", "CORSA", "GOLF", "YARIS", "QASHQAI", "3 SERIES", "SPORTAGE", "208", "OCTAVIA", "JAZZ"};
        String letters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
        for (int i = 0; i < VEHICLES; i++) {
            String reg = "" + letters.charAt(rnd.nextInt(24)) + letters.charAt(rnd.nextInt(24)) + (10 + rnd.nextInt(64)) + " " + letters.charAt(rnd.nextInt(24)) + letters.charAt(rnd.nextInt(24)) + letters.charAt(rnd.nextInt(24));
            if (svc.vehicles.containsKey(reg)) { i--; continue; }
            svc.registrations[i] = reg;
            int m = rnd.nextInt(makes.length);
            String vin = "WF0" + Long.toString(Math.abs(rnd.nextLong()) % 100_000_000_000_000L, 36).toUpperCase();
            svc.vehicles.put(reg, new Vehicle(reg, vin, makes[m], models[m], rnd.nextInt(4) == 0 ? "DIESEL" : "PETROL", new byte[150 + rnd.nextInt(150)], now - (long) (1_095 + rnd.nextInt(6_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(124_040_002);
        int tests = TESTS_PER_HOUR * HOURS;
        long nextRelay = start + MINUTE, nextSms = start + 10 * MINUTE;
        for (int i = 0; i < tests; i++) {
            long t = start + (end - MINUTE - start) * i / tests;
            while (nextRelay <= t) { svc.outbox.relay(nextRelay); nextRelay += MINUTE; }
            while (nextSms <= t) { svc.sendReminders(nextSms); nextSms += 10 * MINUTE; }
            svc.completeTest(centreIds, traffic, t);
        }
        while (nextRelay <= end) { svc.outbox.relay(nextRelay); nextRelay += MINUTE; }
        while (nextSms <= end) { svc.sendReminders(nextSms); nextSms += 10 * MINUTE; }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val124.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        TestingService svc = SERVICE;
        RegisterOutbox ob = svc.outbox;
        int maxAttempts = 0, sinceOutage = 0;
        long oldest = Long.MAX_VALUE, payloadChars = 0;
        for (OutboxMessage m : ob.pending) {
            maxAttempts = Math.max(maxAttempts, m.attempts);
            oldest = Math.min(oldest, m.createdAt);
            payloadChars += m.payload.length();
            if (m.createdAt >= ob.client.outageFrom - MINUTE) sinceOutage++;
        }
        long minutesOld = oldest == Long.MAX_VALUE ? 0 : (ob.lastRelayAt - oldest) / MINUTE;
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_ID.size() + " vehicles " + svc.vehicles.size() + " tests " + svc.tests + " (passed " + svc.passes + ") outbox enqueued " + ob.enqueued
                + " sent " + ob.sent + " failures " + ob.failures + " relay runs " + ob.relayRuns + " pending " + ob.pending.size() + " (max attempts " + maxAttempts + ", oldest " + minutesOld + " min, payload chars " + payloadChars
                + ") dead-lettered " + ob.deadLetters.written + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ", views " + svc.certViews + ") reminders " + svc.remindersQueued + "/" + svc.remindersSent
                + " backlog " + svc.reminders.size() + " pool " + svc.pdfBuffers.size());
        check(CENTRES_BY_ID.size() == CENTRES && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(svc.tests == (long) TESTS_PER_HOUR * HOURS && svc.passes == EXPECT_PASSED && ob.enqueued == svc.tests && ob.sent == EXPECT_SENT && ob.relayRuns == HOURS * 60L, "tests / relay");
        if (FIXED) check(ob.pending.size() == FIXED_PENDING && ob.deadLetters.written == FIXED_DEAD_LETTERED && maxAttempts < MAX_ATTEMPTS, "bounded outbox");
        else check(ob.pending.size() == EXPECT_PENDING && sinceOutage == EXPECT_PENDING && ob.failures == EXPECT_FAILURES && maxAttempts == EXPECT_MAX_ATTEMPTS && ob.deadLetters.written == 0, "outbox backlog");
        check(ob.enqueued == ob.sent + ob.pending.size() + ob.deadLetters.written, "outbox accounting");
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.pdfBuffers.size() == POOL && svc.recentTests[RING - 1] != null, "pool / ring");
        check(svc.reminders.size() == EXPECT_REMINDERS_BACKLOG && svc.remindersQueued == svc.remindersSent + svc.reminders.size(), "reminder queue");
    }
}
