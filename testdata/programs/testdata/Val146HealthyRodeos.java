// hprofscan-dump: name=val146-healthy-rodeos-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val146-healthy-rodeos-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val146-healthy-rodeos jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val146-healthy-rodeos-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 146 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * results service of a professional rodeo association. Arena reference data, the contestant
 * directory, an LRU of rendered score sheets (below its cap in stage 1, at it from stage 2), a
 * pool of print buffers, a ring of scored runs, the vet-check queue with its normal backlog, event
 * counters, and look-alikes of the set's leaks done right: the result syndication keeps the newest
 * attempt of every undelivered message (each retry links the previous attempt), but gives a
 * message up after 5 attempts and moves it to a dead-letter ring of 32 (the chain is dropped);
 * the fan app's per-user rate windows (ConcurrentSkipListMap of request times) are trimmed with
 * the right bound on every request and idle users' windows are swept. Stage 1/2/3 simulate
 * 2/4/8 hours. See VALIDATION146.md.
 */
public final class Val146HealthyRodeos {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ARENAS = 900, CONTESTANTS = 22_000, SHEET_CAP = 1_800, POOL = 6, RING = 2_048, RUNS_PER_MINUTE = 10,
            SHEET_REQUESTS_PER_MINUTE = 12, FAN_REQUESTS_PER_MINUTE = 220, FANS = 6_000, MAX_ATTEMPTS = 5, DEAD_LETTER_CAP = 32,
            RETRY_EVERY_MINUTES = 3, VET_CHECKS_PER_MINUTE = 6, VET_LAG_MINUTES = 15, FAN_LIMIT = 30;
    static final long FAN_WINDOW = 10 * MINUTE;
    static final String[] EVENTS = {"bareback", "saddle-bronc", "bull-riding", "tie-down-roping", "steer-wrestling", "team-roping",
            "breakaway-roping", "barrel-racing"};
    static final String[] PARTNERS = {"standings", "tv-graphics", "sponsor-app", "stock-contractors", "press-wire"};
    static final String[] STATES = {"TX", "OK", "WY", "MT", "NM", "CO", "SD", "NE", "OR", "ID", "UT", "NV", "AB", "SK", "KS"};
    static final String[] FIRST = {"Cody", "Tuf", "Wade", "Jess", "Ty", "Shad", "Kaycee", "Hailey", "Stetson", "Sage", "Rusty", "Jade",
            "Dalton", "Lainey", "Colt", "Brody", "Jordan", "Emmy", "Trey", "Casey"};
    static final String[] LAST = {"Wright", "Cooper", "Mason", "Feist", "Murray", "Harris", "Brazile", "Rider", "Nelson", "Dupont",
            "Henson", "Owens", "Lambert", "Reyes", "Garcia", "McCoy", "Black", "Tanner", "Moreno", "Haines"};
    /** Names the press wire's ISO-8859-1 feed cannot carry (about 1 contestant in 60). */
    static final String[] NON_LATIN1 = {"Nguyễn", "Wójcik", "Dvořák", "Łukasz", "Şahin", "Kővári", "Trần", "Čapek"};

    record Arena(String code, String name, String state, double[] attendanceByHalfHour) {}
    record Contestant(String cardNo, String name, String homeState, byte[] bio, long memberSince) {}
    record ScoredRun(String runId, String cardNo, String event, String arena, int scoreTenths, long at) {}
    record ScoreSheet(String runId, byte[] rendered, long renderedAt) {}
    record VetCheck(String animalId, String contractor, String reason, long queuedAt) {}
    record ResultMessage(String messageId, String partner, byte[] payload, long createdAt) {}
    record DeadLetter(String messageId, String partner, int attempts, String lastError, byte[] payload, long at) {}

    /** One delivery attempt; a retry links the attempt before it. */
    static final class Attempt {
        final Attempt previous;
        final String messageId, partner;
        final int number, status;
        final long at;
        final byte[] payload;
        final String error;
        Attempt(Attempt previous, String messageId, String partner, int number, long at, byte[] payload, int status, String error) {
            this.previous = previous; this.messageId = messageId; this.partner = partner; this.number = number; this.at = at;
            this.payload = payload; this.status = status; this.error = error;
        }
    }

    static final Map<String, Arena> ARENAS_BY_CODE = new HashMap<>();

    static final class SheetCache extends LinkedHashMap<String, ScoreSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ScoreSheet> e) {
            if (size() > SHEET_CAP) { evicted++; return true; }
            return false;
        }
    }

    /** The partners' endpoints as the service sees them (stand-in for the HTTP client). */
    static final class PartnerGateway {
        long calls, ok, transientErrors, rejected;
        int send(String partner, String messageId, int attemptNo, byte[] payload) {
            calls++;
            int h = Math.floorMod(messageId.hashCode(), 1_000);
            if (h < 30 && attemptNo <= 1 + h % 3) { transientErrors++; return 503; }
            if (partner.equals("press-wire") && !latin1(payload)) { rejected++; return 400; }
            ok++;
            return 200;
        }
        static boolean latin1(byte[] utf8) {
            String s = new String(utf8, StandardCharsets.UTF_8);
            for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0xFF) return false;
            return true;
        }
    }

    static final class ResultSyndication {
        final Map<String, Attempt> latestAttempt = new HashMap<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
        final PartnerGateway gateway = new PartnerGateway();
        long sent, delivered, deliveredOnRetry, retries, deadLettered, deadLettersDropped, rounds, errorSeq;

        void send(ResultMessage m, long t) {
            sent++;
            byte[] copy = m.payload().clone();
            int status = gateway.send(m.partner(), m.messageId(), 1, copy);
            if (status == 200) { delivered++; return; }
            latestAttempt.put(m.messageId(), new Attempt(null, m.messageId(), m.partner(), 1, t, copy, status, error(status, m.partner())));
        }

        void retryRound(long t) {
            rounds++;
            List<Attempt> due = new ArrayList<>(latestAttempt.values());
            for (Attempt last : due) {
                retries++;
                int n = last.number + 1;
                byte[] copy = last.payload.clone();
                int status = gateway.send(last.partner, last.messageId, n, copy);
                if (status == 200) {
                    latestAttempt.remove(last.messageId);
                    delivered++;
                    deliveredOnRetry++;
                } else if (n >= MAX_ATTEMPTS) {
                    latestAttempt.remove(last.messageId); // the chain goes with it
                    deadLetters.addLast(new DeadLetter(last.messageId, last.partner, n, error(status, last.partner), copy, t));
                    deadLettered++;
                    if (deadLetters.size() > DEAD_LETTER_CAP) { deadLetters.removeFirst(); deadLettersDropped++; }
                } else {
                    latestAttempt.put(last.messageId, new Attempt(last, last.messageId, last.partner, n, t, copy, status, error(status, last.partner)));
                }
            }
        }

        String error(int status, String partner) {
            String ref = Long.toHexString(0x5a000000L + errorSeq++);
            return status == 503 ? "503 Service Unavailable from " + partner + " (retry-after 60, ref " + ref + ")"
                    : "400 Bad Request from " + partner + ": field 'name' not representable in ISO-8859-1 (ref " + ref + ")";
        }

        int chainLength(Attempt a) { int n = 0; for (; a != null; a = a.previous) n++; return n; }
    }

    /** Per-fan sliding windows of request times (value: request cost), trimmed on every request. */
    static final class FanRateLimiter {
        final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, Integer>> windows = new ConcurrentHashMap<>();
        long allowed, rejected, trimmed, idleRemoved;

        boolean tryAcquire(String fanId, int cost, long now) {
            ConcurrentSkipListMap<Long, Integer> w = windows.computeIfAbsent(fanId, k -> new ConcurrentSkipListMap<>());
            NavigableMap<Long, Integer> expired = w.headMap(now - FAN_WINDOW, true);
            trimmed += expired.size();
            expired.clear();
            int used = 0;
            for (int c : w.values()) used += c;
            if (used + cost > FAN_LIMIT) { rejected++; return false; }
            w.merge(now, cost, Integer::sum);
            allowed++;
            return true;
        }

        void sweepIdle(long now) {
            for (Iterator<ConcurrentSkipListMap<Long, Integer>> it = windows.values().iterator(); it.hasNext(); ) {
                ConcurrentSkipListMap<Long, Integer> w = it.next();
                NavigableMap<Long, Integer> expired = w.headMap(now - FAN_WINDOW, true);
                trimmed += expired.size();
                expired.clear();
                if (w.isEmpty()) { it.remove(); idleRemoved++; }
            }
        }

        int entries() { int n = 0; for (ConcurrentSkipListMap<Long, Integer> w : windows.values()) n += w.size(); return n; }
    }

    static final class RodeoService {
        final Map<String, Contestant> contestants = new HashMap<>();
        final String[] cardNos = new String[CONTESTANTS];
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final ScoredRun[] runs = new ScoredRun[RING];
        final ArrayDeque<VetCheck> vetQueue = new ArrayDeque<>();
        final long[] runsByEvent = new long[EVENTS.length];
        final ResultSyndication syndication = new ResultSyndication();
        final FanRateLimiter fanLimiter = new FanRateLimiter();
        long runCount, sheetRequests, sheetHits, vetChecked, fanRequests, messageSeq;

        void score(ScoredRun run, Contestant c, Random r) {
            runs[(int) (runCount++ % RING)] = run;
            for (int e = 0; e < EVENTS.length; e++) if (EVENTS[e].equals(run.event())) runsByEvent[e]++;
            for (String partner : PARTNERS) {
                String id = "msg-" + Long.toHexString(0x7f100000L + messageSeq++);
                syndication.send(new ResultMessage(id, partner, payload(run, c, partner, r), run.at()), run.at());
            }
        }

        byte[] payload(ScoredRun run, Contestant c, String partner, Random r) {
            StringBuilder sb = new StringBuilder(2_600);
            sb.append("{\"run\":\"").append(run.runId()).append("\",\"card\":\"").append(c.cardNo()).append("\",\"name\":\"").append(c.name())
                    .append("\",\"event\":\"").append(run.event()).append("\",\"arena\":\"").append(run.arena()).append("\",\"score\":")
                    .append(run.scoreTenths() / 10).append('.').append(run.scoreTenths() % 10).append(",\"partner\":\"").append(partner)
                    .append("\",\"at\":").append(run.at()).append(",\"judges\":[");
            int marks = 30 + r.nextInt(110);
            for (int k = 0; k < marks; k++) sb.append(k == 0 ? "" : ",").append("{\"j\":").append(1 + k % 4).append(",\"m\":").append(r.nextInt(26)).append('}');
            return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        ScoreSheet sheet(ScoredRun run, Random r, long t) {
            sheetRequests++;
            ScoreSheet s = sheets.get(run.runId());
            if (s != null) { sheetHits++; return s; }
            s = new ScoreSheet(run.runId(), new byte[500 + r.nextInt(500)], t);
            byte[] buf = printBuffers.poll();
            buf[(int) (sheetRequests % buf.length)] = (byte) s.rendered().length;
            printBuffers.addLast(buf);
            sheets.put(run.runId(), s);
            return s;
        }

        void fanRequest(String fanId, int cost, long t) {
            fanRequests++;
            fanLimiter.tryAcquire(fanId, cost, t);
        }
    }

    static RodeoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(146_010_001);
        String[] arenaCodes = new String[ARENAS];
        for (int a = 0; a < ARENAS; a++) {
            double[] att = new double[48];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 6_000;
            arenaCodes[a] = "AR-" + STATES[a % STATES.length] + "-" + (300 + a * 7);
            ARENAS_BY_CODE.put(arenaCodes[a], new Arena(arenaCodes[a], "Arena " + a, STATES[a % STATES.length], att));
        }
        RodeoService svc = new RodeoService();
        SERVICE = svc;
        for (int c = 0; c < CONTESTANTS; c++) {
            String card = "RC-" + (410_000 + c * 3);
            String last = rnd.nextInt(60) == 0 ? NON_LATIN1[rnd.nextInt(NON_LATIN1.length)] : LAST[rnd.nextInt(LAST.length)];
            svc.cardNos[c] = card;
            svc.contestants.put(card, new Contestant(card, FIRST[rnd.nextInt(FIRST.length)] + " " + last, STATES[rnd.nextInt(STATES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);

        Random runs = new Random(146_010_002), payloads = new Random(146_010_003), sheets = new Random(146_010_004),
                fans = new Random(146_010_005), vet = new Random(146_010_006);
        int minute = 0, animalSeq = 0;
        for (long t = start; t < end; t += MINUTE, minute++) {
            for (int k = 0; k < RUNS_PER_MINUTE; k++) {
                Contestant c = svc.contestants.get(svc.cardNos[runs.nextInt(CONTESTANTS)]);
                ScoredRun run = new ScoredRun("RUN-" + (2_000_000 + svc.runCount), c.cardNo(), EVENTS[runs.nextInt(EVENTS.length)],
                        arenaCodes[runs.nextInt(ARENAS)], 600 + runs.nextInt(320), t + k * 6 * SECOND);
                svc.score(run, c, payloads);
            }
            for (int k = 0; k < SHEET_REQUESTS_PER_MINUTE; k++) {
                long back = k < 9 ? k : 10 + sheets.nextInt(200);
                long idx = Math.max(0, svc.runCount - 1 - back);
                svc.sheet(svc.runs[(int) (idx % RING)], sheets, t + k * 5 * SECOND);
            }
            for (int k = 0; k < FAN_REQUESTS_PER_MINUTE; k++) {
                // a tenth of the requests come from three scraper accounts polling the live scores
                String fanId = fans.nextInt(10) == 0 ? "fan-scraper-" + fans.nextInt(3) : "fan-" + (880_000 + fans.nextInt(1 + fans.nextInt(FANS)) * 13);
                svc.fanRequest(fanId, fans.nextInt(6) == 0 ? 3 : 1, t + k * (MINUTE / FAN_REQUESTS_PER_MINUTE));
            }
            for (int k = 0; k < VET_CHECKS_PER_MINUTE; k++) {
                svc.vetQueue.addLast(new VetCheck("AN-" + (70_000 + animalSeq++ % 9_000), "contractor-" + vet.nextInt(40),
                        vet.nextInt(4) == 0 ? "lameness check" : "pre-event inspection", t + k * 10 * SECOND));
            }
            while (!svc.vetQueue.isEmpty() && svc.vetQueue.peekFirst().queuedAt() + VET_LAG_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.vetQueue.pollFirst();
                svc.vetChecked++;
            }
            if ((minute + 1) % RETRY_EVERY_MINUTES == 0) svc.syndication.retryRound(t + 59 * SECOND);
            svc.fanLimiter.sweepIdle(t + 59 * SECOND);
        }
    }

    // Exact counts per stage: delivered, in retry, dead-lettered, dead letters kept, sheet cache, sheet evictions,
    // fan windows, fan window entries, fan requests rejected.
    static final long[][] EXPECTED = {
            {5_975, 3, 22, 22, 1_108, 0, 1_466, 2_059, 1_796},
            {11_957, 1, 42, 32, 1_800, 419, 1_509, 2_067, 3_488},
            {23_912, 7, 81, 32, 1_800, 2_644, 1_505, 2_079, 6_918},
    };

    static void verify(int stage, int hours) {
        RodeoService svc = SERVICE;
        ResultSyndication syn = svc.syndication;
        int minutes = hours * 60;
        int maxChain = 0, chained = 0;
        for (Attempt a : syn.latestAttempt.values()) { int n = syn.chainLength(a); maxChain = Math.max(maxChain, n); chained += n; }
        int fanEntries = svc.fanLimiter.entries();
        System.out.println("stage " + stage + " arenas " + ARENAS_BY_CODE.size() + " contestants " + svc.contestants.size() + " runs " + svc.runCount
                + " messages " + syn.sent + " delivered " + syn.delivered + " (on retry " + syn.deliveredOnRetry + ") in retry " + syn.latestAttempt.size()
                + " (attempts " + chained + ", longest " + maxChain + ") dead-lettered " + syn.deadLettered + " kept " + syn.deadLetters.size()
                + " rounds " + syn.rounds + " gateway " + syn.gateway.calls + "/" + syn.gateway.ok + "/" + syn.gateway.transientErrors + "/" + syn.gateway.rejected
                + " sheets " + svc.sheets.size() + " (requests " + svc.sheetRequests + ", hits " + svc.sheetHits + ", evicted " + svc.sheets.evicted + ")"
                + " fan requests " + svc.fanRequests + " allowed " + svc.fanLimiter.allowed + " rejected " + svc.fanLimiter.rejected
                + " windows " + svc.fanLimiter.windows.size() + " entries " + fanEntries + " trimmed " + svc.fanLimiter.trimmed + " idle removed " + svc.fanLimiter.idleRemoved
                + " vet backlog " + svc.vetQueue.size() + " checked " + svc.vetChecked + " pool " + svc.printBuffers.size());
        check(ARENAS_BY_CODE.size() == ARENAS && svc.contestants.size() == CONTESTANTS, "reference data / directory");
        check(svc.runCount == (long) RUNS_PER_MINUTE * minutes && syn.sent == svc.runCount * PARTNERS.length, "runs and messages");
        check(syn.sent == syn.delivered + syn.latestAttempt.size() + syn.deadLettered, "every message delivered, in retry or dead-lettered");
        check(maxChain < MAX_ATTEMPTS && chained <= syn.latestAttempt.size() * (MAX_ATTEMPTS - 1), "retry chains bounded");
        check(syn.deadLetters.size() == Math.min(DEAD_LETTER_CAP, syn.deadLettered), "dead-letter ring");
        check(svc.sheets.size() == Math.min(SHEET_CAP, svc.sheetRequests - svc.sheetHits), "sheet cache");
        check(stage == 1 ? svc.sheets.evicted == 0 && svc.sheets.size() < SHEET_CAP : svc.sheets.size() == SHEET_CAP, "sheet cache warm");
        check(svc.fanRequests == (long) FAN_REQUESTS_PER_MINUTE * minutes && svc.fanLimiter.allowed + svc.fanLimiter.rejected == svc.fanRequests, "fan requests");
        check(svc.fanLimiter.allowed == fanEntries + svc.fanLimiter.trimmed, "fan windows trimmed");
        check(svc.vetQueue.size() == VET_CHECKS_PER_MINUTE * VET_LAG_MINUTES && svc.vetChecked == (long) VET_CHECKS_PER_MINUTE * (minutes - VET_LAG_MINUTES), "vet backlog");
        check(svc.printBuffers.size() == POOL, "print buffer pool");
        check(stage == 1 ? svc.runs[(int) svc.runCount - 1] != null && svc.runs[RING - 1] == null : svc.runs[RING - 1] != null, "run ring");
        long[] e = EXPECTED[stage - 1];
        if (e.length > 0) {
            long[] got = {syn.delivered, syn.latestAttempt.size(), syn.deadLettered, syn.deadLetters.size(), svc.sheets.size(), svc.sheets.evicted,
                    svc.fanLimiter.windows.size(), fanEntries, svc.fanLimiter.rejected};
            check(java.util.Arrays.equals(e, got), "exact counts " + java.util.Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
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
