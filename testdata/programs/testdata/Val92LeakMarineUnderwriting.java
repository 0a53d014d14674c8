// hprofscan-dump: name=val92-leak-marineunderwriting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val92-leak-marineunderwriting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 92 (written blind), LEAK: the quote service of a marine cargo underwriter. Port
 * reference data, the vessel directory, a cache of rendered policy pages at its cap, a pool of
 * rating buffers, a ring of recently issued quotes, and a request de-duplicator: brokers' systems
 * retry a quote request within a fraction of a second, so {@code QuoteDeduplicator.inFlight} (a
 * {@code ConcurrentHashMap<String, CompletableFuture<Quote>>} keyed by the request fingerprint)
 * lets a retry join the running rating call. The entry is removed by a {@code thenAccept} callback
 * on the future, which runs only when the future completes normally: requests the rating engine
 * rejects (completed with an {@code UnderwritingException}) and requests that time out after 10 s
 * (completed with a {@code QuoteTimeoutException}) stay in the map forever, each keeping its
 * request through the exception. See VALIDATION92.md.
 */
public final class Val92LeakMarineUnderwriting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT_MS = 10_000L;
    static final int HOURS = 10, PORTS = 1_000, VESSELS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS = 180_000;
    static boolean FIXED;

    record Port(String code, String name, double[] riskByWeek) {}
    record Vessel(String imo, String name, String flag, byte[] survey, long surveyedAt) {}
    record QuoteRequest(long requestId, String brokerRef, String vesselImo, String fromPort, String toPort, String cargoClass, long insuredValueCents, long at, byte[] manifest) {}
    record Quote(String fingerprint, long premiumCents, String currency, long issuedAt, long validUntil, byte[] terms) {}
    record PolicyPage(String key, byte[] rendered, long at) {}

    /** The rating engine declined the risk (no stack trace: an expected business outcome). */
    static final class UnderwritingException extends RuntimeException {
        final QuoteRequest request; final String reasonCode;
        UnderwritingException(QuoteRequest request, String reasonCode) { super(null, null, false, false); this.request = request; this.reasonCode = reasonCode; }
        @Override public String getMessage() { return "declined " + request.requestId() + ": " + reasonCode; }
    }

    /** No answer from the rating engine within TIMEOUT_MS. */
    static final class QuoteTimeoutException extends RuntimeException {
        final QuoteRequest request; final long waitedMs;
        QuoteTimeoutException(QuoteRequest request, long waitedMs) { super(null, null, false, false); this.request = request; this.waitedMs = waitedMs; }
        @Override public String getMessage() { return "no rating for " + request.requestId() + " after " + waitedMs + " ms"; }
    }

    /** Lets retries of the same request join the running rating call. */
    static final class QuoteDeduplicator {
        final ConcurrentHashMap<String, CompletableFuture<Quote>> inFlight = new ConcurrentHashMap<>();
        long started, joined;
        CompletableFuture<Quote> begin(String fingerprint) {
            CompletableFuture<Quote> running = inFlight.get(fingerprint);
            if (running != null && !running.isDone()) { joined++; return running; }
            CompletableFuture<Quote> f = new CompletableFuture<>();
            inFlight.put(fingerprint, f);
            started++;
            if (FIXED) f.whenComplete((q, ex) -> inFlight.remove(fingerprint, f)); // fix: on every outcome
            else f.thenAccept(q -> inFlight.remove(fingerprint, f)); // BUG: runs only on normal completion
            return f;
        }
    }

    /** A rating call waiting for the engine's answer (or for its timeout). */
    record PendingCall(long dueAt, long seq, int outcome, String fingerprint, QuoteRequest request, CompletableFuture<Quote> future) {}

    static final class PageCache extends LinkedHashMap<String, PolicyPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PolicyPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final QuoteDeduplicator dedup = new QuoteDeduplicator();
        final PriorityQueue<PendingCall> engineCalls = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
        final PageCache policyPages = new PageCache();
        final ArrayDeque<byte[]> ratingBuffers = new ArrayDeque<>();
        final Quote[] recentQuotes = new Quote[RING];
        long issued, declined, timedOut;

        void completeDue(long upTo, Random r) {
            while (!engineCalls.isEmpty() && engineCalls.peek().dueAt() <= upTo) {
                PendingCall c = engineCalls.poll();
                if (c.outcome() == 0) {
                    Quote q = new Quote(c.fingerprint(), c.request().insuredValueCents() / 400 + r.nextInt(50_000), "USD", c.dueAt(), c.dueAt() + 72 * HOUR, new byte[100 + r.nextInt(100)]);
                    recentQuotes[(int) (issued++ % RING)] = q;
                    String key = "policy-" + c.request().cargoClass() + "-" + r.nextInt(3_000);
                    if (policyPages.get(key) == null) policyPages.put(key, new PolicyPage(key, new byte[500 + r.nextInt(500)], c.dueAt()));
                    byte[] buf = ratingBuffers.poll();
                    buf[(int) (issued % buf.length)] = (byte) issued;
                    ratingBuffers.add(buf);
                    c.future().complete(q);
                } else if (c.outcome() == 1) {
                    declined++;
                    c.future().completeExceptionally(new UnderwritingException(c.request(), DECLINE_REASONS[r.nextInt(DECLINE_REASONS.length)]));
                } else {
                    timedOut++;
                    c.future().completeExceptionally(new QuoteTimeoutException(c.request(), TIMEOUT_MS));
                }
            }
        }
    }

    static final String[] DECLINE_REASONS = {"SANCTIONED_ROUTE", "VESSEL_AGE", "CARGO_EXCLUDED", "ACCUMULATION_LIMIT", "SURVEY_EXPIRED"};
    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String fingerprint(QuoteRequest r) {
        long h1 = 0x9E3779B97F4A7C15L * (r.requestId() + 1), h2 = 0xC2B2AE3D27D4EB4FL;
        for (String s : new String[] {r.brokerRef(), r.vesselImo(), r.fromPort(), r.toPort(), r.cargoClass()}) {
            for (int i = 0; i < s.length(); i++) { h1 = (h1 ^ s.charAt(i)) * 0x100000001B3L; h2 = Long.rotateLeft(h2 ^ (h1 >>> 7), 23) * 0x94D049BB133111EBL; }
        }
        h2 ^= r.insuredValueCents() * 0xBF58476D1CE4E5B9L;
        String a = Long.toHexString(h1), b = Long.toHexString(h2);
        return "0000000000000000".substring(a.length()) + a + "0000000000000000".substring(b.length()) + b;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val92.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(92_020_001);
        String[] portCodes = new String[PORTS];
        for (int p = 0; p < PORTS; p++) {
            double[] risk = new double[64];
            for (int k = 0; k < risk.length; k++) risk[k] = rnd.nextDouble();
            portCodes[p] = "P" + (char) ('A' + p % 26) + (char) ('A' + (p / 26) % 26) + (100 + p);
            PORTS_BY_CODE.put(portCodes[p], new Port(portCodes[p], "Port " + p, risk));
        }
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] imos = new String[VESSELS];
        String[] flags = {"PA", "LR", "MH", "SG", "MT", "BS", "GR", "CY"};
        for (int v = 0; v < VESSELS; v++) {
            imos[v] = "IMO" + (9_100_000 + v * 13);
            svc.vessels.put(imos[v], new Vessel(imos[v], "MV Vessel " + v, flags[v % flags.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ratingBuffers.add(new byte[32_768]);
        String[] cargoClasses = {"CONTAINERISED", "BULK_GRAIN", "REEFER", "PROJECT_CARGO", "VEHICLES", "CHEMICALS", "STEEL_COILS"};
        Random traffic = new Random(92_020_002);
        Random engine = new Random(92_020_003);
        long seq = 0, retries = 0, maxInFlightPending = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            svc.completeDue(t, engine);
            QuoteRequest req = new QuoteRequest(61_000_000L + i, "BRK-" + (61_000_000L + i), imos[traffic.nextInt(VESSELS)], portCodes[traffic.nextInt(PORTS)], portCodes[traffic.nextInt(PORTS)],
                    cargoClasses[traffic.nextInt(cargoClasses.length)], 100_000_00L + traffic.nextInt(1_000_000) * 100L, t, new byte[60 + traffic.nextInt(80)]);
            String fp = fingerprint(req);
            CompletableFuture<Quote> f = svc.dedup.begin(fp);
            int roll = traffic.nextInt(100);
            int outcome = roll < 90 ? 0 : roll < 96 ? 1 : 2;
            long due = outcome == 0 ? t + 200 + traffic.nextInt(1_800) : outcome == 1 ? t + 300 + traffic.nextInt(1_200) : t + TIMEOUT_MS;
            svc.engineCalls.add(new PendingCall(due, seq++, outcome, fp, req, f));
            if (traffic.nextInt(100) < 12) { // the broker's retry arrives while the call is still running
                check(svc.dedup.begin(fp) == f, "retry joins the running call");
                retries++;
            }
            maxInFlightPending = Math.max(maxInFlightPending, svc.engineCalls.size());
        }
        portCodes = null; imos = null; flags = null; cargoClasses = null; // only the service's structures stay reachable
        QuoteDeduplicator d = svc.dedup;
        long pending = svc.engineCalls.size();
        long doneInMap = 0, failedInMap = 0;
        for (CompletableFuture<Quote> f : d.inFlight.values()) { if (f.isDone()) doneInMap++; if (f.isCompletedExceptionally()) failedInMap++; }
        System.out.println((FIXED ? "FIXED " : "") + "ports " + PORTS_BY_CODE.size() + " vessels " + svc.vessels.size() + " requests " + REQUESTS + " started " + d.started + " joined " + d.joined
                + " issued " + svc.issued + " declined " + svc.declined + " timed out " + svc.timedOut + " pending " + pending + " (max " + maxInFlightPending + ") inFlight " + d.inFlight.size()
                + " (done " + doneInMap + ", failed " + failedInMap + ") pages " + svc.policyPages.size() + " (evicted " + svc.policyPages.evicted + ") pool " + svc.ratingBuffers.size() + " quotes ring " + Math.min(RING, svc.issued));
        check(PORTS_BY_CODE.size() == PORTS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(d.started == REQUESTS && d.joined == retries && svc.issued + svc.declined + svc.timedOut + pending == REQUESTS, "traffic");
        if (FIXED) check(d.inFlight.size() == pending && doneInMap == 0, "only running calls in flight: " + d.inFlight.size());
        else check(d.inFlight.size() == pending + svc.declined + svc.timedOut && failedInMap == svc.declined + svc.timedOut, "failed calls stay: " + d.inFlight.size());
        check(svc.policyPages.size() == PAGE_CAP && svc.policyPages.evicted > 0, "page cache at cap");
        check(svc.ratingBuffers.size() == POOL, "pool");
        check(svc.issued > RING && svc.recentQuotes[RING - 1] != null, "quote ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
