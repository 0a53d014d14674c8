// hprofscan-dump: name=val102-leak-schoolbussms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val102-leak-schoolbussms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 102 (written blind), LEAK: the SMS alert service of a school-bus operator ("bus
 * 14 is 5 minutes from your stop"). Route reference data, the guardian directory, a cache of
 * rendered ETA pages at its cap, a pool of SMS encoding buffers, a ring of delivered messages, and
 * a dead-letter store: a message the carrier does not accept is parked in a
 * {@code PriorityQueue<DeadLetter>} ordered by its next retry time, and a retry job runs every
 * minute, re-sends what is due and puts every failure back, 10 minutes later, with no maximum
 * number of attempts. Some guardians' numbers are disconnected for good (the carrier answers
 * "unknown subscriber", which the gateway treats as retryable), so every message to them stays in
 * the queue forever and it grows with the traffic. See VALIDATION102.md.
 */
public final class Val102LeakSchoolBusSms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RETRY_DELAY = 10 * MINUTE;
    static final int ROUTES = 1_000, GUARDIANS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, MESSAGES_PER_HOUR = 8_000, HOURS = 10;
    /** The fix: a dead letter is given up (and reported) after this many attempts. */
    static final int MAX_ATTEMPTS = 6;
    static final String UNKNOWN_SUBSCRIBER = "ERR 01 unknown subscriber", THROTTLED = "ERR 88 throttled, retry later";
    static boolean FIXED;

    record Route(String code, String school, double[] stopTimings) {}
    record Guardian(String guardianId, String phone, String routeCode, byte[] preferences, long enrolledAt) {}
    record EtaPage(String key, byte[] rendered, long at) {}
    record SmsMessage(long id, String guardianId, String phone, String routeCode, byte[] body, long createdAt) {}
    record Delivered(long messageId, String phone, int attempts, long deliveredAt) {}

    static final class DeadLetter {
        final SmsMessage message;
        final long firstFailedAt;
        int attempts;
        long nextRetryAt;
        String lastError;
        DeadLetter(SmsMessage message, long failedAt, String error) { this.message = message; this.firstFailedAt = failedAt; this.attempts = 1; this.nextRetryAt = failedAt + RETRY_DELAY; this.lastError = error; }
    }

    static final class DeadLetterStore {
        final PriorityQueue<DeadLetter> byNextRetry = new PriorityQueue<>(Comparator.comparingLong((DeadLetter d) -> d.nextRetryAt).thenComparingLong(d -> d.message.id()));
        long parked, retries, redelivered, givenUp;
    }

    /** The carrier, as seen from the gateway (the outside world of the simulation; not part of the service). */
    static final class Carrier {
        final Set<String> disconnected;
        final Random r = new Random(102_040_003);
        long throttled;
        Carrier(Set<String> disconnected) { this.disconnected = disconnected; }
        String submit(SmsMessage m) {
            if (disconnected.contains(m.phone())) return UNKNOWN_SUBSCRIBER;
            if (r.nextInt(100) < 3) { throttled++; return THROTTLED; }
            return null;
        }
    }

    static final class PageCache extends LinkedHashMap<String, EtaPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EtaPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Route> ROUTES_BY_CODE = new HashMap<>();

    static final class AlertService {
        final Map<String, Guardian> guardians = new HashMap<>();
        final PageCache etaPages = new PageCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final Delivered[] delivered = new Delivered[RING];
        final DeadLetterStore deadLetters = new DeadLetterStore();
        long sent, deliveredCount;

        void send(Carrier carrier, SmsMessage m, long at) {
            sent++;
            byte[] buf = encodeBuffers.poll();
            buf[(int) (sent % buf.length)] = (byte) sent;
            encodeBuffers.add(buf);
            String err = carrier.submit(m);
            if (err == null) delivered[(int) (deliveredCount++ % RING)] = new Delivered(m.id(), m.phone(), 1, at);
            else { deadLetters.byNextRetry.add(new DeadLetter(m, at, err)); deadLetters.parked++; }
        }

        /** The retry job, every minute: re-sends every dead letter that is due. */
        void retryDue(Carrier carrier, long now) {
            DeadLetterStore s = deadLetters;
            while (!s.byNextRetry.isEmpty() && s.byNextRetry.peek().nextRetryAt <= now) {
                DeadLetter d = s.byNextRetry.poll();
                s.retries++;
                d.attempts++;
                String err = carrier.submit(d.message);
                if (err == null) {
                    s.redelivered++;
                    delivered[(int) (deliveredCount++ % RING)] = new Delivered(d.message.id(), d.message.phone(), d.attempts, now);
                    continue;
                }
                d.lastError = err;
                if (FIXED && d.attempts >= MAX_ATTEMPTS) { s.givenUp++; continue; } // the fix: give up, report to the school office
                // BUG: no maximum: a permanent error is put back like a temporary one
                d.nextRetryAt = now + RETRY_DELAY;
                s.byNextRetry.add(d);
            }
        }
    }

    static AlertService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Returns {messages to disconnected numbers, guardians with a disconnected number}. */
    static long[] simulate(AlertService svc, String[] guardianIds, long start, long end) {
        Random traffic = new Random(102_040_002);
        Set<String> disconnected = new HashSet<>();
        for (String id : guardianIds) if (traffic.nextInt(100) < 8) disconnected.add(svc.guardians.get(id).phone());
        Carrier carrier = new Carrier(disconnected);
        int total = MESSAGES_PER_HOUR * HOURS;
        long toDisconnected = 0;
        long nextRetryRun = start + MINUTE;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextRetryRun <= t) { svc.retryDue(carrier, nextRetryRun); nextRetryRun += MINUTE; }
            Guardian g = svc.guardians.get(guardianIds[traffic.nextInt(GUARDIANS)]);
            if (disconnected.contains(g.phone())) toDisconnected++;
            SmsMessage m = new SmsMessage(30_000_000L + i, g.guardianId(), g.phone(), g.routeCode(), new byte[280 + traffic.nextInt(280)], t);
            svc.send(carrier, m, t);
            String key = "eta-" + g.routeCode() + "-" + traffic.nextInt(6);
            if (svc.etaPages.get(key) == null) svc.etaPages.put(key, new EtaPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        while (nextRetryRun <= end) { svc.retryDue(carrier, nextRetryRun); nextRetryRun += MINUTE; }
        return new long[] {toDisconnected, disconnected.size()};
    }

    /** Returns {dead letters failed with "unknown subscriber", oldest first failure}. */
    static long[] queueStats(DeadLetterStore s) {
        long permanent = 0, oldest = Long.MAX_VALUE;
        for (DeadLetter d : s.byNextRetry) { if (d.lastError == UNKNOWN_SUBSCRIBER) permanent++; oldest = Math.min(oldest, d.firstFailedAt); }
        return new long[] {permanent, oldest};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val102.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(102_040_001);
        String[] routeCodes = new String[ROUTES];
        for (int r = 0; r < ROUTES; r++) {
            double[] timings = new double[72];
            for (int k = 0; k < timings.length; k++) timings[k] = rnd.nextDouble() * 60;
            routeCodes[r] = "BUS-" + (100 + r);
            ROUTES_BY_CODE.put(routeCodes[r], new Route(routeCodes[r], "School " + (r % 180), timings));
        }
        AlertService svc = new AlertService();
        SERVICE = svc;
        String[] guardianIds = new String[GUARDIANS];
        for (int g = 0; g < GUARDIANS; g++) {
            guardianIds[g] = "G" + (2_000_000 + g * 3);
            svc.guardians.put(guardianIds[g], new Guardian(guardianIds[g], "+447700" + (100_000 + g * 7), routeCodes[rnd.nextInt(ROUTES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);
        long[] sim = simulate(svc, guardianIds, start, end);
        guardianIds = null;
        routeCodes = null;
        DeadLetterStore s = svc.deadLetters;
        int queued = s.byNextRetry.size();
        long[] qs = queueStats(s);
        long permanent = qs[0], oldest = qs[1];
        int total = MESSAGES_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + "routes " + ROUTES_BY_CODE.size() + " guardians " + svc.guardians.size() + " (disconnected " + sim[1] + ") sent " + svc.sent + " (to disconnected numbers " + sim[0] + ") delivered " + svc.deliveredCount
                + " dead letters " + queued + " (unknown subscriber " + permanent + ", throttled " + (queued - permanent) + ", oldest " + (end - oldest) / MINUTE + " min) parked " + s.parked + " retries " + s.retries + " redelivered " + s.redelivered + " given up " + s.givenUp
                + " pages " + svc.etaPages.size() + " (evicted " + svc.etaPages.evicted + ") pool " + svc.encodeBuffers.size());
        check(ROUTES_BY_CODE.size() == ROUTES && svc.guardians.size() == GUARDIANS, "reference data / directory");
        check(svc.sent == total && svc.deliveredCount + queued + s.givenUp == total, "messages");
        if (FIXED) check(s.givenUp == sim[0] - permanent, "dead letters given up");
        else check(s.givenUp == 0 && permanent == sim[0], "every message to a disconnected number is still queued: " + permanent);
        check(svc.etaPages.size() == PAGE_CAP && svc.etaPages.evicted > 0, "eta page cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.delivered[RING - 1] != null, "ring wrapped");
        s = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
