// hprofscan-dump: name=val37-leak-boilerinspections jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val37-leak-boilerinspections-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 37 (written blind), LEAK: the inspection-report intake of a boiler and
 * pressure-vessel inspection authority, a single-threaded request loop. District reference data,
 * the boiler registry, a cache of rendered certificates at its cap, a pool of report-parse buffers,
 * a ring of recent readings and a scratch buffer of the loop. Every request runs inside a
 * diagnostic scope pushed on the loop's DiagnosticContext stack (request id, inspector, boiler
 * serial, attributes, a copy of the request body for error reports) and popped after the handler
 * returns; but the pop is not in a finally block, and a report with an out-of-range reading makes
 * the handler throw (the loop catches it, logs it and answers 422): the scope of every rejected
 * report stays on the stack forever, under the frames of later requests. See VALIDATION37.md.
 */
public final class Val37LeakBoilerInspections {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DISTRICTS = 1_000, BOILERS = 25_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, REPORTS_PER_HOUR = 7_000, HOURS = 10;
    static boolean FIXED;

    record District(String code, String name, double[] monthlyLoad) {}
    record Boiler(String serial, String districtCode, String owner, byte[] history, long commissionedAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record Reading(String serial, double pressureBar, double temperatureC, long at) {}

    /** One request's diagnostic frame: what an error report or a slow-request log would print. */
    static final class Scope {
        final String requestId, inspectorId, boilerSerial;
        final long startedAt;
        final Map<String, String> attributes = new HashMap<>();
        final byte[] requestBody;
        Scope(String requestId, String inspectorId, String boilerSerial, long startedAt, byte[] requestBody) {
            this.requestId = requestId; this.inspectorId = inspectorId; this.boilerSerial = boilerSerial; this.startedAt = startedAt; this.requestBody = requestBody;
        }
    }

    /** Nested diagnostic scopes of the request loop (one loop thread, so a plain field). */
    static final class DiagnosticContext {
        final Deque<Scope> scopes = new ArrayDeque<>();
        int maxDepth;
        void push(Scope s) { scopes.push(s); maxDepth = Math.max(maxDepth, scopes.size()); }
        Scope pop() { return scopes.pop(); }
    }

    static final class InvalidReadingException extends Exception {
        InvalidReadingException(String msg) { super(msg, null, false, false); }
    }

    static final class CertCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class IntakeService {
        final Map<String, Boiler> boilers = new HashMap<>();
        final CertCache certificates = new CertCache();
        final ArrayDeque<byte[]> parseBuffers = new ArrayDeque<>();
        final Reading[] recent = new Reading[RING];
        final byte[] loopScratch = new byte[256 * 1_024];
        final DiagnosticContext diagnostics = new DiagnosticContext();
        long accepted, rejected;

        void handle(Reading r, byte[] body) throws InvalidReadingException {
            byte[] buf = parseBuffers.poll();
            System.arraycopy(body, 0, buf, 0, body.length);
            parseBuffers.add(buf);
            if (r.pressureBar() > 40.0 || r.temperatureC() < 0.0) throw new InvalidReadingException("reading out of range for " + r.serial());
            recent[(int) (accepted++ % RING)] = r;
            loopScratch[(int) (accepted % loopScratch.length)] = body[0];
        }

        void serve(String requestId, String inspector, Reading r, byte[] body, long t) {
            Scope scope = new Scope(requestId, inspector, r.serial(), t, body);
            scope.attributes.put("route", "POST /reports");
            scope.attributes.put("district", boilers.get(r.serial()).districtCode());
            scope.attributes.put("client", "tablet-" + (requestId.hashCode() & 0x3ff));
            diagnostics.push(scope);
            try {
                if (FIXED) {
                    try { handle(r, body); } finally { diagnostics.pop(); }
                } else {
                    handle(r, body);
                    diagnostics.pop(); // BUG: skipped when handle() throws
                }
            } catch (InvalidReadingException e) {
                rejected++; // logged and answered with 422; the request is over
            }
        }
    }

    static IntakeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val37.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(37_040_001);
        String[] districtCodes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] load = new double[64];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 300;
            String code = "DI-" + (600 + d);
            districtCodes[d] = code;
            DISTRICTS_BY_CODE.put(code, new District(code, "District " + d, load));
        }
        IntakeService svc = new IntakeService();
        SERVICE = svc;
        String[] serials = new String[BOILERS];
        for (int b = 0; b < BOILERS; b++) {
            String serial = "NB-" + (5_500_000 + b * 11);
            serials[b] = serial;
            svc.boilers.put(serial, new Boiler(serial, districtCodes[rnd.nextInt(DISTRICTS)], "Owner " + rnd.nextInt(9_000), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parseBuffers.add(new byte[32_768]);
        Random traffic = new Random(37_040_002);
        int reports = REPORTS_PER_HOUR * HOURS;
        for (int i = 0; i < reports; i++) {
            long t = start + (end - MINUTE - start) * i / reports;
            String serial = serials[traffic.nextInt(BOILERS)];
            boolean bad = traffic.nextInt(100) < 8; // a mistyped gauge value
            Reading r = new Reading(serial, bad ? 41 + traffic.nextInt(900) : 2 + traffic.nextDouble() * 30, 60 + traffic.nextDouble() * 140, t);
            byte[] body = new byte[300 + traffic.nextInt(300)];
            body[0] = (byte) i;
            svc.serve("req-" + (30_000_000L + i), "insp-" + (100 + traffic.nextInt(600)), r, body, t);
            String key = serial + "/cert";
            if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[400 + traffic.nextInt(400)], t));
        }
        DiagnosticContext dc = svc.diagnostics;
        System.out.println((FIXED ? "FIXED " : "") + "districts " + DISTRICTS_BY_CODE.size() + " boilers " + svc.boilers.size() + " reports " + reports + " accepted " + svc.accepted + " rejected " + svc.rejected
                + " scope depth " + dc.scopes.size() + " max depth " + dc.maxDepth + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.parseBuffers.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.boilers.size() == BOILERS, "reference data / directory");
        check(svc.accepted + svc.rejected == reports && svc.rejected > 0, "traffic");
        if (FIXED) check(dc.scopes.isEmpty() && dc.maxDepth == 1, "balanced scopes");
        else check(dc.scopes.size() == svc.rejected && dc.maxDepth == svc.rejected + 1, "one stuck scope per rejected report: " + dc.scopes.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.parseBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
