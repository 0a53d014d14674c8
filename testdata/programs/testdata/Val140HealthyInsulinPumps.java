// hprofscan-dump: name=val140-healthy-insulinpumps-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val140-healthy-insulinpumps-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val140-healthy-insulinpumps jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val140-healthy-insulinpumps-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 140 (written blind), HEALTHY growth series: the cloud service of an insulin-pump
 * and CGM programme. Clinic reference data, the patient directory, a glucose-chart LRU at its cap,
 * a pool of upload buffers, a ring of recent CGM readings, a care-team task queue with a normal
 * backlog, and the look-alikes of the set's leaks done right: the dose-advisor RPC client removes a
 * pending call when its reply arrives and when it times out (a handful in flight at the dump), the
 * chart LRU's removeEldestEntry overrides and evicts, and the glucose-alert publisher has the few
 * dozen clinician consoles that are open (a closed console cancels its subscription).
 * Stage 1 / 2 / 3 simulate 2 / 4 / 8 hours. See VALIDATION140.md.
 */
public final class Val140HealthyInsulinPumps {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int CLINICS = 1_000, PATIENTS = 22_000, CHART_CAP = 2_000, POOL = 8, RING = 8_192, UPLOADS_PER_HOUR = 20_000, CONSOLES_PER_HOUR = 40;
    static final long ADVICE_TIMEOUT = 5 * SECOND, TASK_AGE = 10 * MINUTE;
    static final String[] WINDOWS = {"24h", "3d", "7d", "14d"};
    static final String[] ZONES = {"Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Madrid", "America/Toronto"};

    record Clinic(String code, String name, String timeZone, double[] targetLowByHalfHour) {}
    record Patient(String patientId, String clinicCode, String pumpSerial, String cgmSerial, byte[] therapySettings, long enrolledAt) {}
    record GlucoseChart(String key, byte[] rendered, long renderedAt) {}
    record CgmReading(String patientId, String cgmSerial, long at, int mgdl, int trend) {}
    record GlucoseAlert(long alertId, String patientId, String clinicCode, String kind, int mgdl, long at) {}
    record CareTeamTask(long taskId, String patientId, String clinicCode, String text, long createdAt) {}
    record DoseAdvice(long correlationId, String patientId, double bolusUnits, double basalAdjustPct, long computedAt) {}

    /** One request to the dose advisor awaiting its reply, keyed by correlation id. */
    static final class PendingCall {
        final long correlationId; final String method; final String patientId; final byte[] requestFrame; final long sentAt, deadline;
        final CompletableFuture<DoseAdvice> future = new CompletableFuture<>();
        PendingCall(long correlationId, String method, String patientId, byte[] requestFrame, long sentAt) {
            this.correlationId = correlationId; this.method = method; this.patientId = patientId; this.requestFrame = requestFrame; this.sentAt = sentAt; this.deadline = sentAt + ADVICE_TIMEOUT;
        }
    }

    /** RPC client of the dose-advisor engine. */
    static final class DoseAdvisorClient {
        final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
        final AtomicLong correlationIds = new AtomicLong(5_000_001L);
        long sent, replied, timedOut, lateReplies;

        PendingCall send(String method, String patientId, byte[] frame, long t) {
            long id = correlationIds.getAndIncrement();
            PendingCall call = new PendingCall(id, method, patientId, frame, t);
            pending.put(id, call);
            sent++;
            return call;
        }

        void onReply(long id, double bolus, double basal, long t) {
            PendingCall call = pending.remove(id);
            if (call == null) { lateReplies++; return; } // timed out earlier: the late reply is dropped
            replied++;
            call.future.complete(new DoseAdvice(id, call.patientId, bolus, basal, t));
        }

        void onTimeout(long id, long t) {
            PendingCall call = pending.remove(id);
            if (call == null) return; // replied in time
            timedOut++;
            call.future.completeExceptionally(new TimeoutException("dose-advisor " + call.method + " #" + id + " timed out after " + ADVICE_TIMEOUT + " ms"));
        }
    }

    static final class ChartCache extends LinkedHashMap<String, GlucoseChart> {
        final int capacity; long evicted;
        ChartCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GlucoseChart> eldest) {
            if (size() > capacity) { evicted++; return true; }
            return false;
        }
    }

    /** A clinician's live console (websocket) with its frame buffers. */
    static final class ConsoleConnection {
        final long connectionId; final String clinicCode; final String clinician; final long openedAt, closesAt;
        final byte[] inbound = new byte[1_024]; final byte[] outbound = new byte[2_048];
        int outPos; long alertsSent; boolean open = true; Flow.Subscription subscription;
        ConsoleConnection(long connectionId, String clinicCode, String clinician, long openedAt, long closesAt) {
            this.connectionId = connectionId; this.clinicCode = clinicCode; this.clinician = clinician; this.openedAt = openedAt; this.closesAt = closesAt;
        }
        void write(GlucoseAlert a) {
            String frame = a.kind() + ' ' + a.patientId() + ' ' + a.mgdl();
            for (int k = 0; k < frame.length(); k++) outbound[(outPos + k) % outbound.length] = (byte) frame.charAt(k);
            outPos = (outPos + frame.length()) % outbound.length;
            alertsSent++;
        }
    }

    static final class AlertSubscriber implements Flow.Subscriber<GlucoseAlert> {
        final ConsoleConnection conn;
        AlertSubscriber(ConsoleConnection conn) { this.conn = conn; }
        @Override public void onSubscribe(Flow.Subscription s) { conn.subscription = s; s.request(Long.MAX_VALUE); }
        @Override public void onNext(GlucoseAlert a) { if (conn.open) conn.write(a); }
        @Override public void onError(Throwable t) { conn.open = false; }
        @Override public void onComplete() { conn.open = false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();

    static final class PumpService {
        final Map<String, Patient> patients = new HashMap<>();
        final String[] patientIds = new String[PATIENTS];
        final ChartCache charts = new ChartCache(CHART_CAP);
        final ArrayDeque<byte[]> uploadBuffers = new ArrayDeque<>();
        final CgmReading[] readings = new CgmReading[RING];
        final ArrayDeque<CareTeamTask> careTeamQueue = new ArrayDeque<>();
        final DoseAdvisorClient advisor = new DoseAdvisorClient();
        final SubmissionPublisher<GlucoseAlert> alerts = new SubmissionPublisher<>(Runnable::run, 32);
        final Map<Long, ConsoleConnection> consoles = new HashMap<>();
        long uploads, chartRequests, chartHits, alertCount, tasksCreated, tasksDone, advised, fallbacks, consolesOpened, consolesClosed;

        void upload(Random r, long t) {
            Patient p = r.nextInt(3) == 0 && uploads > RING ? patients.get(readings[r.nextInt(RING)].patientId()) : patients.get(patientIds[r.nextInt(PATIENTS)]);
            int mgdl = 55 + r.nextInt(260);
            CgmReading reading = new CgmReading(p.patientId(), p.cgmSerial(), t, mgdl, r.nextInt(5) - 2);
            readings[(int) (uploads++ % RING)] = reading;
            byte[] buf = uploadBuffers.poll();
            buf[(int) (uploads % buf.length)] = (byte) mgdl;
            uploadBuffers.add(buf);
            if (mgdl < 70 || mgdl > 300) {
                GlucoseAlert a = new GlucoseAlert(900_000L + alertCount++, p.patientId(), p.clinicCode(), mgdl < 70 ? "LOW" : "HIGH", mgdl, t);
                alerts.submit(a);
                careTeamQueue.addLast(new CareTeamTask(40_000L + tasksCreated++, p.patientId(), p.clinicCode(), "Review " + a.kind() + " " + mgdl + " mg/dL, pump " + p.pumpSerial(), t));
            }
            while (!careTeamQueue.isEmpty() && careTeamQueue.peekFirst().createdAt() + TASK_AGE <= t) { careTeamQueue.pollFirst(); tasksDone++; }
            if (r.nextInt(8) == 0) {
                chartRequests++;
                String key = "chart-" + p.patientId() + "-" + WINDOWS[r.nextInt(WINDOWS.length)];
                if (charts.get(key) != null) chartHits++;
                else charts.put(key, new GlucoseChart(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        PendingCall requestAdvice(Random r, long t) {
            Patient p = patients.get(patientIds[r.nextInt(PATIENTS)]);
            PendingCall call = advisor.send(r.nextInt(4) == 0 ? "BasalReview" : "BolusAdvice", p.patientId(), new byte[200 + r.nextInt(300)], t);
            call.future.whenComplete((advice, ex) -> { if (ex != null) fallbacks++; else advised++; });
            return call;
        }

        void openConsole(long id, Random r, long t, long closesAt) {
            ConsoleConnection c = new ConsoleConnection(id, "CL" + (3_000 + r.nextInt(CLINICS)), "clinician-" + (1_000 + r.nextInt(4_000)), t, closesAt);
            consoles.put(id, c);
            consolesOpened++;
            alerts.subscribe(new AlertSubscriber(c));
        }

        void closeConsole(long id) {
            ConsoleConnection c = consoles.remove(id);
            c.open = false;
            c.subscription.cancel();
            consolesClosed++;
        }
    }

    static PumpService SERVICE;
    static long[] RESULT;

    static final int REPLY = 0, TIMEOUT = 1, CONSOLE_CLOSE = 2;
    record Event(long at, long seq, int kind, long id) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(140_010_001L);
        String[] clinicCodes = new String[CLINICS];
        for (int c = 0; c < CLINICS; c++) {
            double[] low = new double[48];
            for (int k = 0; k < low.length; k++) low[k] = 70 + rnd.nextDouble() * 20;
            clinicCodes[c] = "CL" + (3_000 + c);
            CLINICS_BY_CODE.put(clinicCodes[c], new Clinic(clinicCodes[c], "Diabetes clinic " + c, ZONES[c % ZONES.length], low));
        }
        PumpService svc = new PumpService();
        SERVICE = svc;
        for (int i = 0; i < PATIENTS; i++) {
            String id = "PT" + (6_200_000 + i * 7);
            svc.patientIds[i] = id;
            svc.patients.put(id, new Patient(id, clinicCodes[rnd.nextInt(CLINICS)], "PMP" + (41_000_000 + i), "CGM" + (77_000_000 + i), new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.uploadBuffers.add(new byte[32_768]);

        PriorityQueue<Event> wire = new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
        long[] seq = {0};
        Random traffic = new Random(140_010_002L), net = new Random(140_010_003L), desk = new Random(140_010_004L);
        int uploads = UPLOADS_PER_HOUR * hours, consoleSessions = CONSOLES_PER_HOUR * hours;
        int nextConsole = 0;
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - start) * i / uploads;
            while (!wire.isEmpty() && wire.peek().at() <= t) dispatch(svc, wire.poll(), net);
            while (nextConsole < consoleSessions && start + (end - start) * nextConsole / consoleSessions <= t) {
                long closesAt = t + 20 * MINUTE + desk.nextInt(80) * MINUTE + desk.nextInt(60) * SECOND;
                long id = 300_000L + nextConsole++;
                svc.openConsole(id, desk, t, closesAt);
                wire.add(new Event(closesAt, seq[0]++, CONSOLE_CLOSE, id));
            }
            svc.upload(traffic, t);
            if (i % 2 == 0) {
                PendingCall call = svc.requestAdvice(traffic, t);
                boolean slow = net.nextInt(100) < 3;
                long latency = slow ? ADVICE_TIMEOUT + 1_000 + net.nextInt(25_000) : 100 + net.nextInt(2_900);
                wire.add(new Event(t + latency, seq[0]++, REPLY, call.correlationId));
                wire.add(new Event(call.deadline, seq[0]++, TIMEOUT, call.correlationId));
            }
        }
        while (!wire.isEmpty() && wire.peek().at() <= end) dispatch(svc, wire.poll(), net);
        long inFlightOnWire = wire.stream().filter(e -> e.kind() == REPLY && svc.advisor.pending.containsKey(e.id())).count();
        long consolesOnWire = wire.stream().filter(e -> e.kind() == CONSOLE_CLOSE).count();
        RESULT = new long[] {inFlightOnWire, consolesOnWire};
    }

    static void dispatch(PumpService svc, Event e, Random net) {
        switch (e.kind()) {
            case REPLY -> svc.advisor.onReply(e.id(), Math.round(net.nextDouble() * 80) / 10.0, net.nextInt(41) - 20, e.at());
            case TIMEOUT -> svc.advisor.onTimeout(e.id(), e.at());
            case CONSOLE_CLOSE -> svc.closeConsole(e.id());
            default -> throw new IllegalStateException("event " + e);
        }
    }

    // stage -> {advice calls, timed out, in flight, consoles open, charts evicted, care-team backlog}
    static final long[][] EXPECTED = {
        {20_000, 579, 5, 38, 2_887, 365},
        {40_000, 1_194, 3, 40, 7_696, 360},
        {80_000, 2_375, 2, 43, 17_281, 408},
    };

    static void report(int stage, int hours) {
        PumpService svc = SERVICE;
        DoseAdvisorClient adv = svc.advisor;
        int subscribers = svc.alerts.getNumberOfSubscribers();
        System.out.println("stage " + stage + " (" + hours + " h) clinics " + CLINICS_BY_CODE.size() + " patients " + svc.patients.size() + " uploads " + svc.uploads
                + " advice calls " + adv.sent + " replied " + adv.replied + " timed out " + adv.timedOut + " late replies dropped " + adv.lateReplies + " in flight " + adv.pending.size()
                + " (advised " + svc.advised + ", fallbacks " + svc.fallbacks + ")");
        System.out.println("  charts " + svc.charts.size() + " (requests " + svc.chartRequests + ", hits " + svc.chartHits + ", evicted " + svc.charts.evicted + ") pool " + svc.uploadBuffers.size()
                + " alerts " + svc.alertCount + " consoles opened " + svc.consolesOpened + " closed " + svc.consolesClosed + " open " + svc.consoles.size() + " subscribers " + subscribers
                + " care-team tasks " + svc.tasksCreated + " done " + svc.tasksDone + " backlog " + svc.careTeamQueue.size());
        int hoursCalls = UPLOADS_PER_HOUR * hours / 2;
        check(CLINICS_BY_CODE.size() == CLINICS && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.uploads == (long) UPLOADS_PER_HOUR * hours && adv.sent == hoursCalls, "traffic");
        check(adv.sent == adv.replied + adv.timedOut + adv.pending.size(), "every call replied, timed out or in flight");
        check(adv.pending.size() == RESULT[0] && adv.pending.size() <= 20, "a handful in flight: " + adv.pending.size());
        check(svc.advised == adv.replied && svc.fallbacks == adv.timedOut, "callers completed");
        check(svc.consoles.size() == RESULT[1] && subscribers == svc.consoles.size() && svc.consolesOpened - svc.consolesClosed == svc.consoles.size(), "consoles");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart LRU at its cap");
        check(svc.uploadBuffers.size() == POOL && svc.readings[RING - 1] != null, "pool / ring");
        check(svc.tasksCreated - svc.tasksDone == svc.careTeamQueue.size(), "care-team queue");
        long[] exp = EXPECTED[stage - 1];
        long[] got = {adv.sent, adv.timedOut, adv.pending.size(), svc.consoles.size(), svc.charts.evicted, svc.careTeamQueue.size()};
        for (int k = 0; k < got.length; k++) check(exp[k] < 0 || exp[k] == got[k], "stage " + stage + " count " + k + ": " + got[k] + " != " + exp[k]);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        RESULT = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
