// hprofscan-dump: name=val134-leak-bailiffs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val134-leak-bailiffs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val134-leak-bailiffs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val134-leak-bailiffs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 134 (written blind), LEAK: the field-visit service of a firm of certificated
 * enforcement agents (bailiffs) collecting council tax, parking and magistrates' court debts for
 * 120 client creditors. Postcode-area reference data, the enforcement case directory, a cache of
 * rendered enforcement notices at its cap, a pool of print buffers, a ring of recent visits, the
 * mailroom's post queue with its normal backlog, and the report forwarder: every visit report is
 * posted to the client's case-management API; failures go to a retry scheduler (a PriorityQueue
 * ordered by next attempt) with backoff and a give-up rule (6 attempts, then a capped dead-letter
 * ring). The bug: the timeout path reschedules the report without counting the attempt, so the
 * give-up rule never fires for timeouts. 12 clients moved to new case systems and their old
 * endpoints silently drop packets: their reports time out for ever and are retried every minute,
 * for ever; reports that time out now and then and succeed on retry leave the queue.
 * A growth series: 2 / 4 / 8 simulated hours. See VALIDATION134.md.
 */
public final class Val134LeakBailiffs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, MAILROOM_EVERY = 30 * MINUTE;
    static final int AREAS = 1_100, CASES = 20_000, CLIENTS = 120, NOTICE_CAP = 2_000, POOL = 8, RING = 8_192, VISITS_PER_HOUR = 4_000,
            MAX_ATTEMPTS = 6, DEAD_LETTER_CAP = 256;
    static final int OK = 201, UNAUTHORIZED = 401, UNAVAILABLE = 503, TIMEOUT = -1;
    static final long GIVE_UP_AFTER = (2 + 4 + 8 + 16 + 16) * MINUTE; // with attempts counted: the 6th failure, 46 minutes after the first
    static boolean FIXED;
    static long END;

    record PostcodeArea(String area, String region, double[] successByHalfHour) {}
    record EnforcementCase(String ref, String debtorName, String address, String area, int client, long balancePence, byte[] notes, long issuedAt) {}
    record Notice(String key, byte[] rendered, long at) {}
    record Visit(String visitId, String caseRef, String agentId, String outcome, long at) {}
    record Letter(String caseRef, String kind, long at) {}
    record DeadLetter(String reportId, String clientCode, int attempts, String lastError, long at) {}

    static final class Client {
        final String code, endpoint; final boolean blackHoled, revoked;
        Client(String code, String endpoint, boolean blackHoled, boolean revoked) { this.code = code; this.endpoint = endpoint; this.blackHoled = blackHoled; this.revoked = revoked; }
    }

    static final class PendingReport {
        final long seq; final String reportId; final String caseRef; final int client; final byte[] body; final long createdAt;
        int attempts; long nextAttemptAt; String lastError;
        PendingReport(long seq, String reportId, String caseRef, int client, byte[] body, long createdAt) {
            this.seq = seq; this.reportId = reportId; this.caseRef = caseRef; this.client = client; this.body = body; this.createdAt = createdAt;
        }
    }

    /** The clients' case-management APIs: black-holed endpoints never answer, revoked ones say 401. */
    static final class ClientApis {
        final Client[] clients = new Client[CLIENTS];
        final Random outcomes = new Random(134_010_004);
        long calls;
        int post(int client) {
            calls++;
            Client c = clients[client];
            int roll = outcomes.nextInt(100);
            if (c.blackHoled) return TIMEOUT;
            if (c.revoked) return UNAUTHORIZED;
            if (roll < 3) return TIMEOUT;
            if (roll < 5) return UNAVAILABLE;
            return OK;
        }
    }

    static final class ReportForwarder {
        final ClientApis apis = new ClientApis();
        final PriorityQueue<PendingReport> retries = new PriorityQueue<>(Comparator.comparingLong((PendingReport p) -> p.nextAttemptAt).thenComparingLong(p -> p.seq));
        final DeadLetter[] deadLetters = new DeadLetter[DEAD_LETTER_CAP];
        long forwarded, delivered, retried, timeouts, errors, givenUp;

        static long backoff(int attempts) { return MINUTE << Math.min(attempts, 4); } // 1, 2, 4, 8, 16 minutes

        void send(PendingReport p, long t) {
            int status = apis.post(p.client);
            if (status == OK) { delivered++; return; }
            if (status == TIMEOUT) {
                timeouts++;
                p.lastError = "timeout after 30 s: POST " + apis.clients[p.client].endpoint;
                if (!FIXED) { reschedule(p, t); return; } // BUG: the attempt is not counted, the give-up rule below is skipped
                p.attempts++;
            } else {
                errors++;
                p.attempts++;
                p.lastError = status == UNAUTHORIZED ? "401 Unauthorized: API key revoked" : "503 Service Unavailable";
            }
            if (p.attempts >= MAX_ATTEMPTS) {
                deadLetters[(int) (givenUp++ % DEAD_LETTER_CAP)] = new DeadLetter(p.reportId, apis.clients[p.client].code, p.attempts, p.lastError, t);
                return;
            }
            reschedule(p, t);
        }

        void reschedule(PendingReport p, long t) {
            p.nextAttemptAt = t + backoff(p.attempts);
            retries.add(p);
        }

        void runDue(long t) {
            while (!retries.isEmpty() && retries.peek().nextAttemptAt <= t) {
                retried++;
                send(retries.poll(), t);
            }
        }
    }

    static final class NoticeCache extends LinkedHashMap<String, Notice> {
        long evicted;
        NoticeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Notice> e) { if (size() > NOTICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PostcodeArea> AREAS_BY_CODE = new HashMap<>();

    static final class FieldService {
        final Map<String, EnforcementCase> cases = new HashMap<>();
        final String[] caseRefs = new String[CASES];
        final NoticeCache notices = new NoticeCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Visit[] recentVisits = new Visit[RING];
        final ArrayDeque<Letter> postQueue = new ArrayDeque<>();
        final ReportForwarder forwarder = new ReportForwarder();
        long visits, lettersQueued, lettersPosted, mailroomRuns, prints;

        void visit(Random r, long t) {
            EnforcementCase c = cases.get(caseRefs[r.nextInt(CASES)]);
            String outcome = OUTCOMES[r.nextInt(OUTCOMES.length)];
            String visitId = "V" + (81_000_000 + visits);
            recentVisits[(int) (visits++ % RING)] = new Visit(visitId, c.ref(), "EA" + (100 + r.nextInt(240)), outcome, t);
            String nk = "notice-" + r.nextInt(6_000);
            if (notices.get(nk) == null) notices.put(nk, new Notice(nk, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(10) < 3) { postQueue.addLast(new Letter(c.ref(), "notice of enforcement", t)); lettersQueued++; }
            byte[] buf = printBuffers.poll();
            buf[(int) (prints++ % buf.length)] = (byte) outcome.length();
            printBuffers.add(buf);
            PendingReport p = new PendingReport(visits, "VR-" + visitId, c.ref(), c.client(), new byte[2_000 + r.nextInt(3_000)], t);
            forwarder.forwarded++;
            forwarder.send(p, t);
        }

        void minuteTick(long t, long start) {
            forwarder.runDue(t);
            if ((t - start) % MAILROOM_EVERY == 0) {
                mailroomRuns++;
                while (!postQueue.isEmpty() && postQueue.peekFirst().at() <= t - 10 * MINUTE) { postQueue.pollFirst(); lettersPosted++; }
            }
        }
    }

    static final String[] OUTCOMES = {"no contact", "paid in full", "payment arrangement", "controlled goods agreement", "vulnerable - returned to client", "gone away", "left notice", "vehicle clamped"};

    static FieldService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        END = end;
        Random rnd = new Random(134_010_001);
        for (int a = 0; a < AREAS; a++) {
            double[] success = new double[48];
            for (int k = 0; k < success.length; k++) success[k] = rnd.nextDouble();
            String code = (char) ('A' + a % 26) + "" + (char) ('A' + (a / 26) % 26) + (1 + a / 676);
            AREAS_BY_CODE.put(code, new PostcodeArea(code, "Region " + (a % 12), success));
        }
        String[] areaCodes = AREAS_BY_CODE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(areaCodes);
        FieldService svc = new FieldService();
        SERVICE = svc;
        for (int i = 0; i < CLIENTS; i++) {
            String code = "CL-" + (700 + i);
            // 12 clients moved case systems: the old endpoint drops packets (timeout); 2 revoked the firm's API key
            svc.forwarder.apis.clients[i] = new Client(code, "https://cms.client" + (700 + i) + ".example.gov.uk/api/v2/enforcement/visit-reports", i % 10 == 3, i == 41 || i == 97);
        }
        for (int i = 0; i < CASES; i++) {
            svc.caseRefs[i] = "LO-" + (3_100_000 + i * 7);
            svc.cases.put(svc.caseRefs[i], new EnforcementCase(svc.caseRefs[i], "Debtor " + rnd.nextInt(50_000), (1 + rnd.nextInt(200)) + " High Street", areaCodes[rnd.nextInt(AREAS)],
                    i % CLIENTS, 5_000 + rnd.nextInt(400_000), new byte[150 + rnd.nextInt(150)], end - (long) (7 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(134_010_002);
        int visits = VISITS_PER_HOUR * hours;
        long nextTick = start + MINUTE;
        for (int i = 0; i < visits; i++) {
            long t = start + (end - MINUTE - start) * i / visits;
            while (nextTick <= t) { svc.minuteTick(nextTick, start); nextTick += MINUTE; }
            svc.visit(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick, start); nextTick += MINUTE; }
    }

    static void verify(int stage, int hours) {
        long end = END;
        FieldService svc = SERVICE;
        ReportForwarder f = svc.forwarder;
        int blackHoled = 0, pastGiveUp = 0, zeroAttempts = 0, maxAttempts = 0;
        for (PendingReport p : f.retries) {
            if (f.apis.clients[p.client].blackHoled) {
                blackHoled++;
                if (p.createdAt <= end - GIVE_UP_AFTER) pastGiveUp++;
            }
            if (p.attempts == 0) zeroAttempts++;
            maxAttempts = Math.max(maxAttempts, p.attempts);
        }
        int deadLetters = 0;
        for (DeadLetter d : f.deadLetters) if (d != null) deadLetters++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " areas " + AREAS_BY_CODE.size() + " cases " + svc.cases.size() + " visits " + svc.visits + " forwarded " + f.forwarded + " delivered " + f.delivered
                + " retried " + f.retried + " timeouts " + f.timeouts + " errors " + f.errors + " givenUp " + f.givenUp + " deadLetters " + deadLetters + " queue " + f.retries.size()
                + " (black-holed " + blackHoled + ", past give-up " + pastGiveUp + ", 0 attempts " + zeroAttempts + ", max attempts " + maxAttempts + ")"
                + " notices " + svc.notices.size() + " (evicted " + svc.notices.evicted + ") post " + svc.postQueue.size() + " (" + svc.lettersQueued + " queued, " + svc.lettersPosted + " posted, " + svc.mailroomRuns + " runs)"
                + " ring " + Math.min(svc.visits, RING));
        check(AREAS_BY_CODE.size() == AREAS && svc.cases.size() == CASES, "reference data / directory");
        check(svc.visits == (long) VISITS_PER_HOUR * hours && f.forwarded == svc.visits, "visits");
        check(f.delivered + f.givenUp + f.retries.size() == f.forwarded, "every report delivered, given up or pending");
        check(deadLetters == Math.min(DEAD_LETTER_CAP, (int) f.givenUp) && f.givenUp > 0 && maxAttempts < MAX_ATTEMPTS, "give-up rule for errors");
        if (FIXED) check(pastGiveUp == 0 && f.retries.size() < 600, "fixed: timeouts given up too");
        else check(pastGiveUp > 0, "black-holed reports retried for ever: " + blackHoled);
        check(svc.notices.size() == NOTICE_CAP && svc.notices.evicted > 0, "notice cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.lettersQueued - svc.lettersPosted == svc.postQueue.size() && svc.postQueue.size() > 0, "post backlog");
        int k = stage - 1; // the exact counts of VALIDATION134.md
        check(svc.notices.evicted == new long[] {3_719, 9_073, 19_833}[k] && svc.postQueue.size() == new int[] {168, 175, 180}[k], "exact notice / post counts");
        if (!FIXED) check(f.retries.size() == new int[] {869, 1_657, 3_217}[k] && blackHoled == new int[] {814, 1_605, 3_155}[k] && pastGiveUp == new int[] {489, 1_295, 2_862}[k]
                && f.delivered == new long[] {7_056, 14_126, 28_304}[k] && f.givenUp == new long[] {75, 217, 479}[k], "exact retry counts");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val134.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
