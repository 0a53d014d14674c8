// hprofscan-dump: name=val25-leak-notary jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val25-leak-notary-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 25 (written blind), LEAK: a remote online notarization service (signing sessions
 * with a notary over video). Document-type reference data, the notary directory, an identity-check
 * cache at its cap, a pool of PDF stamping buffers, a ring of journal entries, and a hand-written
 * timeout queue: a PriorityQueue of deadlines ordered by due time, with a 24 h timeout per signing
 * request. The bug: completing a request only sets deadline.cancelled = true (lazy cancellation)
 * and the queue is only polled while its head is due, so the cancelled deadlines of completed
 * requests, each capturing its request, pile up until they fall due a day later. Simulated period:
 * 12 h. See testdata/VALIDATION25.md.
 */
public final class Val25LeakNotary {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT = 24 * HOUR;
    static final int DOC_TYPES = 1_200, NOTARIES = 20_000, IDCHECK_CAP = 3_000, POOL = 10, RING = 8_192, REQUESTS = 16_000, CONCURRENCY = 40;
    static boolean FIXED;

    record DocType(String code, String jurisdiction, double[] feeSchedule) {}
    record Notary(String id, String name, String commission, byte[] credentials, long commissionedAt) {}
    record IdCheck(String subject, byte[] kbaResult) {}
    record JournalEntry(String requestId, String notaryId, String docType, long at) {}
    static final class SigningRequest { final String id; final String docType; final String signer; final byte[] document; final long startedAt; long completedAt;
        SigningRequest(String id, String docType, String signer, byte[] document, long startedAt) { this.id = id; this.docType = docType; this.signer = signer; this.document = document; this.startedAt = startedAt; } }
    static final class Deadline implements Comparable<Deadline> { final long dueAt; final SigningRequest request; boolean cancelled;
        Deadline(long dueAt, SigningRequest request) { this.dueAt = dueAt; this.request = request; }
        @Override public int compareTo(Deadline o) { return Long.compare(dueAt, o.dueAt); } }

    static final class TimeoutQueue {
        final PriorityQueue<Deadline> queue = new PriorityQueue<>();
        long timedOut;
        Deadline schedule(SigningRequest r) { Deadline d = new Deadline(r.startedAt + TIMEOUT, r); queue.add(d); return d; }
        void cancel(Deadline d) { d.cancelled = true; if (FIXED) queue.remove(d); } // BUG: lazy cancellation only
        /** Runs every minute: fires the deadlines that are due. */
        void tick(long now) {
            while (!queue.isEmpty() && queue.peek().dueAt <= now) { Deadline d = queue.poll(); if (!d.cancelled) timedOut++; }
        }
    }

    static final class IdCheckCache extends LinkedHashMap<String, IdCheck> {
        long evicted;
        IdCheckCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, IdCheck> e) { if (size() > IDCHECK_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DocType> DOC_TYPES_BY_CODE = new HashMap<>();

    static final class NotaryService {
        final Map<String, Notary> notaries = new HashMap<>();
        final TimeoutQueue timeouts = new TimeoutQueue();
        final Map<String, Deadline> open = new HashMap<>();
        final IdCheckCache idChecks = new IdCheckCache();
        final ArrayDeque<byte[]> stampBuffers = new ArrayDeque<>();
        final JournalEntry[] journal = new JournalEntry[RING];
        long journalCount, completed;
    }

    static NotaryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val25.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(25_030_001);
        String[] jurisdictions = {"TX", "FL", "VA", "NV", "MN", "ND", "TN", "IN"};
        for (int d = 0; d < DOC_TYPES; d++) {
            double[] fees = new double[128];
            for (int k = 0; k < fees.length; k++) fees[k] = 5 + rnd.nextDouble() * 50;
            String code = "DT-" + (400 + d);
            DOC_TYPES_BY_CODE.put(code, new DocType(code, jurisdictions[d % jurisdictions.length], fees));
        }
        NotaryService svc = new NotaryService();
        SERVICE = svc;
        for (int n = 0; n < NOTARIES; n++) {
            String id = "NOT-" + (800_000 + n);
            svc.notaries.put(id, new Notary(id, "Notary " + n, "COMM-" + rnd.nextInt(9_000_000), new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(3_650)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.stampBuffers.add(new byte[65_536]);
        Random traffic = new Random(25_030_002);
        ArrayDeque<SigningRequest> window = new ArrayDeque<>();
        long lastTick = start / MINUTE;
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + (now - start) * r / REQUESTS;
            if (t / MINUTE != lastTick) { lastTick = t / MINUTE; svc.timeouts.tick(t); }
            SigningRequest req = new SigningRequest("RON-" + (60_000_000 + r), "DT-" + (400 + traffic.nextInt(DOC_TYPES)), "SGN-" + traffic.nextInt(500_000), new byte[200 + traffic.nextInt(400)], t);
            svc.open.put(req.id, svc.timeouts.schedule(req));
            window.add(req);
            String subject = req.signer;
            if (svc.idChecks.get(subject) == null) svc.idChecks.put(subject, new IdCheck(subject, new byte[400 + traffic.nextInt(400)]));
            if (window.size() > CONCURRENCY) {
                SigningRequest done = window.poll();
                done.completedAt = t;
                svc.timeouts.cancel(svc.open.remove(done.id));
                svc.completed++;
                byte[] buf = svc.stampBuffers.poll();
                buf[r % buf.length] = (byte) r;
                svc.stampBuffers.add(buf);
                svc.journal[(int) (svc.journalCount++ % RING)] = new JournalEntry(done.id, "NOT-" + (800_000 + traffic.nextInt(NOTARIES)), done.docType, t);
            }
        }
        TimeoutQueue tq = svc.timeouts;
        long cancelled = 0, live = 0;
        for (Deadline d : tq.queue) { if (d.cancelled) cancelled++; else live++; }
        System.out.println((FIXED ? "FIXED " : "") + "doc types " + DOC_TYPES_BY_CODE.size() + " notaries " + svc.notaries.size() + " requests " + REQUESTS + " completed " + svc.completed + " open " + svc.open.size()
                + " timeout queue " + tq.queue.size() + " (cancelled " + cancelled + ", live " + live + ", timed out " + tq.timedOut + ") id checks " + svc.idChecks.size() + " (evicted " + svc.idChecks.evicted + ") pool " + svc.stampBuffers.size() + " journal " + svc.journalCount);
        check(DOC_TYPES_BY_CODE.size() == DOC_TYPES && svc.notaries.size() == NOTARIES, "reference data / directory");
        check(svc.open.size() == CONCURRENCY && live == CONCURRENCY && svc.completed == REQUESTS - CONCURRENCY && tq.timedOut == 0, "open requests");
        check(cancelled == (FIXED ? 0 : REQUESTS - CONCURRENCY), "cancelled deadlines " + cancelled);
        check(svc.idChecks.size() == IDCHECK_CAP && svc.idChecks.evicted > 0, "id-check cache at its cap");
        check(svc.stampBuffers.size() == POOL, "stamp pool");
        check(svc.journalCount == REQUESTS - CONCURRENCY && svc.journal[RING - 1] != null, "journal ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
