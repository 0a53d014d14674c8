// hprofscan-dump: name=val106-leak-ebooklending jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val106-leak-ebooklending-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 106 (written blind), LEAK: the lending API of a public library consortium's e-book
 * service. Branch reference data, the title directory, a cache of cover thumbnails at its cap, a pool
 * of DRM-wrapping buffers, a ring of recent loans, the requests in flight, and a request tracer that
 * keeps each request's trace in a WeakHashMap<Request, Trace>, meant to forget a trace once its
 * request is gone. But every Trace keeps a strong reference to its own Request (for the access log
 * line written when the trace is flushed), so the weak keys stay strongly reachable through the
 * map's own values and no entry is ever cleared. See VALIDATION106.md.
 */
public final class Val106LeakEbookLending {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BRANCHES = 900, TITLES = 25_000, COVER_CAP = 2_000, POOL = 8, RING = 2_048, REQUESTS = 16_000, IN_FLIGHT = 8, HOURS = 10;
    static boolean FIXED;

    record Branch(String code, String name, double[] weeklyFootfall) {}
    record Title(String isbn, String author, String format, byte[] metadata, long addedAt) {}
    record Cover(String isbn, byte[] thumbnail, long at) {}
    record Loan(String patronId, String isbn, String branchCode, long from, long until) {}

    /** An HTTP request of the lending API (not a record: identity equality, as a WeakHashMap key should have). */
    static final class Request {
        final String requestId, method, path, patronId; final long receivedAt; final byte[] headers;
        Request(String requestId, String method, String path, String patronId, long receivedAt, byte[] headers) {
            this.requestId = requestId; this.method = method; this.path = path; this.patronId = patronId; this.receivedAt = receivedAt; this.headers = headers;
        }
    }

    static final class Span {
        final String name; final long startMs, endMs; final String detail;
        Span(String name, long startMs, long endMs, String detail) { this.name = name; this.startMs = startMs; this.endMs = endMs; this.detail = detail; }
    }

    static final class Trace {
        final String traceId; final Request request; final String requestId; final List<Span> spans = new ArrayList<>(6); long finishedAt;
        Trace(String traceId, Request request, String requestId) { this.traceId = traceId; this.request = request; this.requestId = requestId; }
    }

    static final class Tracer {
        final WeakHashMap<Request, Trace> traceByRequest = new WeakHashMap<>();
        long started, finished;
        Trace start(Request r, long at) {
            // BUG: the value keeps its own key strongly (for the access log); the fix keeps only the request id
            Trace t = new Trace("tr-" + Long.toHexString(0x5A000000L + started++), FIXED ? null : r, r.requestId);
            t.spans.add(new Span("http.server", at, at, r.method + " " + r.path));
            traceByRequest.put(r, t);
            return t;
        }
    }

    static final class CoverCache extends LinkedHashMap<String, Cover> {
        long evicted;
        CoverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Cover> e) { if (size() > COVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class LendingService {
        final Map<String, Title> titles = new HashMap<>();
        final CoverCache covers = new CoverCache();
        final ArrayDeque<byte[]> drmBuffers = new ArrayDeque<>();
        final Loan[] recentLoans = new Loan[RING];
        long loans;
        final Tracer tracer = new Tracer();
        final ArrayDeque<Request> inFlight = new ArrayDeque<>(); // requests still being served (long polls)
    }

    static LendingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_020_001);
        String[] branchCodes = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 400;
            branchCodes[b] = "LIB-" + (700 + b);
            BRANCHES_BY_CODE.put(branchCodes[b], new Branch(branchCodes[b], "Branch library " + b, footfall));
        }
        LendingService svc = new LendingService();
        SERVICE = svc;
        String[] isbns = new String[TITLES];
        String[] formats = {"epub", "pdf", "audiobook"};
        for (int t = 0; t < TITLES; t++) {
            isbns[t] = "978" + (1_000_000_000L + 37L * t);
            svc.titles.put(isbns[t], new Title(isbns[t], "Author " + (t % 4_000), formats[t % 3], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.drmBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_020_002);
        String[][] routes = {{"POST", "/loans"}, {"GET", "/titles/{isbn}"}, {"POST", "/holds"}, {"GET", "/patrons/{id}/shelf"}, {"POST", "/returns"}};
        String[] stages = {"auth.patron", "catalog.lookup", "drm.wrap", "db.commit", "cdn.sign"};
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String[] route = routes[traffic.nextInt(routes.length)];
            String patron = "P" + (20_000_000 + traffic.nextInt(400_000));
            Request req = new Request("req-" + (8_000_000 + i), route[0], route[1], patron, t, new byte[60 + traffic.nextInt(60)]);
            Trace tr = svc.tracer.start(req, t);
            long at = t;
            int spans = 2 + traffic.nextInt(4);
            for (int s = 0; s < spans; s++) { long d = 2 + traffic.nextInt(80); tr.spans.add(new Span(stages[s], at, at + d, "ok")); at += d; }
            tr.finishedAt = at;
            svc.tracer.finished++;
            if (route[0].equals("POST") && route[1].equals("/loans")) {
                String isbn = isbns[traffic.nextInt(TITLES)];
                svc.recentLoans[(int) (svc.loans++ % RING)] = new Loan(patron, isbn, branchCodes[traffic.nextInt(BRANCHES)], t, t + 21 * 24 * HOUR);
                if (svc.covers.get(isbn) == null) svc.covers.put(isbn, new Cover(isbn, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.drmBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.drmBuffers.add(buf);
            } else {
                String isbn = isbns[traffic.nextInt(5_000)];
                if (svc.covers.get(isbn) == null) svc.covers.put(isbn, new Cover(isbn, new byte[600 + traffic.nextInt(600)], t));
            }
            // the last IN_FLIGHT requests are long polls still being served at the dump
            if (i >= REQUESTS - IN_FLIGHT) svc.inFlight.add(req);
        }
    }

    static void selfCheck() throws Exception {
        LendingService svc = SERVICE;
        int traces = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // weak keys are cleared by a GC and expunged on access
            System.gc();
            Thread.sleep(50);
            traces = svc.tracer.traceByRequest.size();
            if (!FIXED || traces == IN_FLIGHT) break;
        }
        System.out.println((FIXED ? "FIXED " : "") + "branches " + BRANCHES_BY_CODE.size() + " titles " + svc.titles.size() + " traces " + traces + " (started " + svc.tracer.started
                + ", finished " + svc.tracer.finished + ") in flight " + svc.inFlight.size() + " covers " + svc.covers.size() + " (evicted " + svc.covers.evicted + ") pool " + svc.drmBuffers.size() + " loans " + svc.loans);
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.titles.size() == TITLES, "reference data / directory");
        check(svc.tracer.started == REQUESTS && svc.inFlight.size() == IN_FLIGHT, "traffic");
        if (FIXED) check(traces == IN_FLIGHT, "traces of requests in flight only: " + traces);
        else check(traces == REQUESTS, "every trace kept: " + traces);
        check(svc.covers.size() == COVER_CAP && svc.covers.evicted > 0, "cover cache at cap");
        check(svc.drmBuffers.size() == POOL, "pool");
        check(svc.loans > RING && svc.recentLoans[RING - 1] != null, "ring: " + svc.loans);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val106.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
