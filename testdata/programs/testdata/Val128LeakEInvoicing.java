// hprofscan-dump: name=val128-leak-einvoicing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val128-leak-einvoicing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 128 (written blind), LEAK: the sending access point of an e-invoicing (Peppol-style)
 * network operator. Partner access-point reference data, the directory of receiving participants,
 * an LRU of validation reports at its cap, a pool of signing buffers, a ring of transmission
 * receipts, and the outbound queue: a DelayQueue of transmissions (each with its UBL invoice) that
 * every new invoice enters 30 seconds after it is received (validation and batching) and that a
 * failed transmission re-enters with exponential backoff (1 minute doubling, at most 60 minutes).
 * Invoices to participants that moved to another provider fail on every attempt (the SMP lookup
 * answers 404): there is no maximum attempt count and no dead-letter queue, so they are retried
 * forever, each with its payload, while new ones keep arriving. The healthy invoices of the same
 * queue are sent on the first attempt or after a transient retry. See VALIDATION128.md.
 */
public final class Val128LeakEInvoicing {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int ACCESS_POINTS = 1_000, PARTICIPANTS = 20_000, MOVED = 150, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, INVOICES_PER_HOUR = 3_600;
    static final long TICK = 20 * SECOND, BATCH_DELAY = 30 * SECOND, MAX_BACKOFF = 60 * MINUTE;
    static final int MAX_ATTEMPTS = 8, DEAD_LETTER_CAP = 500; // the fix only
    static boolean FIXED;

    record PartnerAccessPoint(String apId, String endpointUrl, double[] latencyByHalfHour) {}
    record Participant(String participantId, String name, String apId, byte[] capabilities, long registeredAt, boolean movedAway) {}
    record ValidationReport(String key, byte[] svrl, long at) {}
    record Receipt(long transmissionId, String messageId, String receiver, int attempts, long sentAt) {}
    record DeadLetter(long transmissionId, String sender, String receiver, String error, int attempts, long at) {}

    /** Simulated clock of the access point (the DelayQueue's delays are computed against it). */
    static long clock;

    static final class Transmission implements Delayed {
        final long id; final String sender; final String receiver; final String docType; final byte[] ubl; final long receivedAt;
        long due; int attempts; String lastError;
        Transmission(long id, String sender, String receiver, String docType, byte[] ubl, long receivedAt, long due) { this.id = id; this.sender = sender; this.receiver = receiver; this.docType = docType; this.ubl = ubl; this.receivedAt = receivedAt; this.due = due; }
        @Override public long getDelay(TimeUnit unit) { return unit.convert(due - clock, TimeUnit.MILLISECONDS); }
        @Override public int compareTo(Delayed o) {
            Transmission x = (Transmission) o;
            int c = Long.compare(due, x.due);
            return c != 0 ? c : Long.compare(id, x.id);
        }
    }

    static final class ReportCache extends LinkedHashMap<String, ValidationReport> {
        long evicted, hits;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ValidationReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PartnerAccessPoint> ACCESS_POINTS_BY_ID = new HashMap<>();

    static final class Dispatcher {
        final DelayQueue<Transmission> outbound = new DelayQueue<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>(); // the fix only
        long attempts, sent, failures, retries, transientFailures, notFound, deadLettered, sendersNotified;
    }

    static final class AccessPointService {
        final Map<String, Participant> participants = new HashMap<>();
        final String[] participantIds = new String[PARTICIPANTS];
        final String[] movedIds = new String[MOVED];
        final String[] senders = new String[400];
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> signingBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        final Dispatcher dispatcher = new Dispatcher();
        long received, toMoved, nextId = 4_400_000L;

        void receive(Random r, long t) {
            received++;
            String receiver = r.nextInt(1_000) < 25 ? movedIds[r.nextInt(MOVED)] : participantIds[r.nextInt(PARTICIPANTS)];
            if (participants.get(receiver).movedAway()) toMoved++;
            String sender = senders[r.nextInt(senders.length)];
            String docType = r.nextInt(10) == 0 ? "CreditNote-2" : "Invoice-2";
            byte[] ubl = new byte[4_000 + r.nextInt(12_000)];
            String reportKey = "svrl-" + r.nextInt(5_000);
            if (reports.get(reportKey) != null) reports.hits++;
            else reports.put(reportKey, new ValidationReport(reportKey, new byte[400 + r.nextInt(400)], t));
            dispatcher.outbound.add(new Transmission(nextId++, sender, receiver, docType, ubl, t, t + BATCH_DELAY));
        }

        /** One dispatcher run: sends every transmission that is due. */
        void dispatch(Random network, long t) {
            clock = t;
            Dispatcher d = dispatcher;
            Transmission x;
            while ((x = d.outbound.poll()) != null) {
                x.attempts++;
                d.attempts++;
                boolean ok;
                if (participants.get(x.receiver).movedAway()) { ok = false; x.lastError = "SMP lookup 404: participant " + x.receiver + " not registered"; d.notFound++; }
                else {
                    ok = network.nextInt(100) >= (x.attempts == 1 ? 2 : 20);
                    if (!ok) { x.lastError = "AS4 timeout after 30000 ms"; d.transientFailures++; }
                }
                byte[] buf = signingBuffers.poll();
                buf[(int) (x.id % buf.length)] = (byte) x.attempts;
                signingBuffers.add(buf);
                if (ok) {
                    long seq = d.sent++;
                    receipts[(int) (seq % RING)] = new Receipt(x.id, "msg-" + Long.toHexString(x.id * 0x9e3779b1L), x.receiver, x.attempts, t);
                    continue;
                }
                d.failures++;
                if (FIXED && x.attempts >= MAX_ATTEMPTS) {
                    d.deadLettered++;
                    d.deadLetters.addLast(new DeadLetter(x.id, x.sender, x.receiver, x.lastError, x.attempts, t));
                    if (d.deadLetters.size() > DEAD_LETTER_CAP) d.deadLetters.removeFirst();
                    d.sendersNotified++;
                    continue;
                }
                d.retries++;
                x.due = t + Math.min(MAX_BACKOFF, MINUTE << Math.min(x.attempts - 1, 10));
                d.outbound.add(x);
            }
        }
    }

    static AccessPointService SERVICE;

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(128_040_001);
        for (int a = 0; a < ACCESS_POINTS; a++) {
            double[] lat = new double[48];
            for (int k = 0; k < lat.length; k++) lat[k] = 80 + rnd.nextDouble() * 900;
            String id = "POP" + (100_000 + a * 3);
            ACCESS_POINTS_BY_ID.put(id, new PartnerAccessPoint(id, "https://ap" + a + ".example-network.eu/as4", lat));
        }
        String[] apIds = ACCESS_POINTS_BY_ID.keySet().toArray(new String[0]);
        java.util.Arrays.sort(apIds);
        AccessPointService svc = new AccessPointService();
        SERVICE = svc;
        int moved = 0;
        for (int i = 0; i < PARTICIPANTS; i++) {
            String pid = "0088:579" + (1_000_000_000L + i * 7L);
            boolean movedAway = i % (PARTICIPANTS / MOVED) == 17 && moved < MOVED;
            svc.participantIds[i] = pid;
            if (movedAway) svc.movedIds[moved++] = pid;
            svc.participants.put(pid, new Participant(pid, "Buyer " + i, apIds[rnd.nextInt(apIds.length)], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(2_000)) * DAY, movedAway));
        }
        for (int k = 0; k < svc.senders.length; k++) svc.senders[k] = "0088:579" + (2_000_000_000L + k * 13L);
        for (int b = 0; b < POOL; b++) svc.signingBuffers.add(new byte[32_768]);
        Random traffic = new Random(128_040_002), network = new Random(128_040_003);
        int n = INVOICES_PER_HOUR * HOURS;
        long nextTick = start;
        for (int i = 0; i < n; i++) {
            long t = start + (end - start) * i / n;
            while (nextTick <= t) { svc.dispatch(network, nextTick); nextTick += TICK; }
            svc.receive(traffic, t);
        }
        // the dump is taken between two dispatcher runs: the invoices of the last seconds are still batching
        clock = end;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void verify() {
        AccessPointService s = SERVICE;
        Dispatcher d = s.dispatcher;
        long poison = 0, healthy = 0, poisonPayload = 0, maxAttempts = 0;
        for (Transmission x : d.outbound) {
            if (s.participants.get(x.receiver).movedAway()) { poison++; poisonPayload += x.ubl.length; maxAttempts = Math.max(maxAttempts, x.attempts); }
            else healthy++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "access points " + ACCESS_POINTS_BY_ID.size() + " participants " + s.participants.size() + " received " + s.received + " to moved " + s.toMoved
                + " attempts " + d.attempts + " sent " + d.sent + " failures " + d.failures + " (not found " + d.notFound + ", transient " + d.transientFailures + ") retries " + d.retries
                + " dead-lettered " + d.deadLettered + " dead letters " + d.deadLetters.size() + " queued " + d.outbound.size() + " (poison " + poison + " with " + poisonPayload + " payload bytes, max attempts " + maxAttempts + "; healthy " + healthy + ")"
                + " reports " + s.reports.size() + " (evicted " + s.reports.evicted + ", hits " + s.reports.hits + ") pool " + s.signingBuffers.size());
        check(ACCESS_POINTS_BY_ID.size() == ACCESS_POINTS && s.participants.size() == PARTICIPANTS, "reference data / directory");
        check(s.received == (long) INVOICES_PER_HOUR * HOURS && s.received == d.sent + d.deadLettered + d.outbound.size(), "every invoice sent, dead-lettered or queued");
        check(FIXED ? d.deadLettered > 0 && maxAttempts < MAX_ATTEMPTS : poison == s.toMoved && d.deadLettered == 0, "poison messages");
        check(s.reports.size() == REPORT_CAP && s.reports.evicted > 0, "report cache at cap");
        check(s.signingBuffers.size() == POOL && s.receipts[RING - 1] != null, "pool / ring");
        long[] got = {s.toMoved, d.sent, d.attempts, d.transientFailures, d.outbound.size(), poison, healthy, poisonPayload, maxAttempts, d.deadLettered, s.reports.evicted};
        long[] e = FIXED ? EXPECT_FIXED : EXPECT;
        for (int i = 0; i < e.length; i++) check(e[i] < 0 || got[i] == e[i], "count #" + i + " = " + got[i] + ", expected " + e[i]);
    }

    /** to moved, sent, attempts, transient failures, queued, poison queued, healthy queued, poison payload bytes, max attempts, dead-lettered, reports evicted. */
    static final long[] EXPECT = {1_142, 34_807, 47_419, 879, 1_193, 1_142, 51, 11_405_962, 15, 0, 20_035};
    static final long[] EXPECT_FIXED = {1_142, 34_807, 44_326, 879, 289, 238, 51, 2_411_873, 7, 904, 20_035};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val128.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
