// hprofscan-dump: name=val20-leak-petinsurance jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val20-leak-petinsurance-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 20 (written blind), LEAK: the claims service of a pet insurer. For every claim
 * it asks the treating vet clinic's practice system to confirm the invoice. The bug: the clinic
 * gateway builds a new {@link HttpClient} per claim (to set that clinic's timeout) and parks it
 * with the call context in a map keyed by the claim's request id, which nobody cleans, so every
 * client (its selector-manager thread "HttpClient-N-SelectorManager", connection pool and
 * executor) stays. Beside it: one shared client for the insurer's own services, the policy book,
 * the clinic directory, a decision cache at its cap, an audit ring, a fixed HTTP pool.
 * See testdata/VALIDATION20.md.
 */
public final class Val20LeakPetInsurance {
    static final long HOUR = 3_600_000L;
    static final int POLICIES = 40_000, CLINICS = 5_000, BREEDS = 600, DECISION_CAP = 4_000, RING = 8_192, HTTP_THREADS = 8;
    static final int CLAIMS = 1_200;

    record Breed(String code, String name, double[] riskByAge) {}
    record Policy(String policyNo, long holderId, String petName, String breedCode, long startedAt, double[] monthlyPremium) {}
    record Clinic(String clinicId, String name, String city, String endpoint, int[] openingQuarterHours) {}
    record Decision(String claimId, String policyNo, long decidedAt, long approvedCents, byte[] letterPdf) {}
    record AuditEvent(String claimId, String action, long at) {}

    static final class PolicyBook { static final Map<String, Policy> BY_POLICY = new HashMap<>(); static final Map<String, Breed> BREEDS_BY_CODE = new HashMap<>(); }
    static final class ClinicDirectory { static final Map<String, Clinic> BY_CLINIC = new HashMap<>(); }

    /** What the gateway keeps per clinic call (the bug: it is never removed). */
    static final class ClinicCall {
        final String requestId; final String clinicId; final long startedAt; final HttpClient client; final HttpRequest request; final byte[] invoiceJson;
        ClinicCall(String requestId, String clinicId, long startedAt, HttpClient client, HttpRequest request, byte[] invoiceJson) {
            this.requestId = requestId; this.clinicId = clinicId; this.startedAt = startedAt; this.client = client; this.request = request; this.invoiceJson = invoiceJson;
        }
    }

    static final class ClinicGateway {
        final HttpClient shared = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final Map<String, ClinicCall> inFlight = new ConcurrentHashMap<>();
        long calls;
        void confirmInvoice(String requestId, Clinic clinic, long at, byte[] invoice, boolean fixed) {
            HttpClient client = fixed ? shared : HttpClient.newBuilder().connectTimeout(Duration.ofMillis(800 + clinic.openingQuarterHours[0])).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(clinic.endpoint + "/invoices/confirm?claim=" + requestId)).timeout(Duration.ofSeconds(3)).header("X-Request-Id", requestId).build();
            inFlight.put(requestId, new ClinicCall(requestId, clinic.clinicId, at, client, req, invoice));
            calls++;
            // (the practice system is simulated: the answer is derived from the invoice)
            if (fixed) inFlight.remove(requestId); // BUG in the leak run: the call is never removed
        }
    }

    static final class DecisionCache extends LinkedHashMap<String, Decision> {
        long evicted;
        DecisionCache() { super(1024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Decision> e) { if (size() > DECISION_CAP) { evicted++; return true; } return false; }
    }

    static final class ClaimService {
        final ClinicGateway gateway = new ClinicGateway();
        final DecisionCache decisions = new DecisionCache();
        final AuditEvent[] audit = new AuditEvent[RING];
        long auditWritten;
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r, "claims-http-" + System.nanoTime() % 100000); t.setDaemon(true); return t; });
        final HttpRequest policyLookup = HttpRequest.newBuilder(URI.create("http://policy-core.internal:8080/v2/policies")).build();
        void audit(String claimId, String action, long at) { audit[(int) (auditWritten++ % RING)] = new AuditEvent(claimId, action, at); }
    }

    static ClaimService CLAIMS_SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val20.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long hours = 6, start = now - hours * HOUR;
        Random rnd = new Random(20_010_001);
        ClaimService svc = new ClaimService();
        CLAIMS_SERVICE = svc;
        for (int b = 0; b < BREEDS; b++) {
            double[] risk = new double[20];
            for (int k = 0; k < risk.length; k++) risk[k] = rnd.nextDouble();
            String code = "BRD-" + (1000 + b);
            PolicyBook.BREEDS_BY_CODE.put(code, new Breed(code, (b % 2 == 0 ? "Dog breed " : "Cat breed ") + b, risk));
        }
        String[] pets = {"Bella", "Max", "Luna", "Charlie", "Milo", "Daisy", "Oscar", "Coco"};
        for (int p = 0; p < POLICIES; p++) {
            double[] prem = new double[12];
            for (int k = 0; k < prem.length; k++) prem[k] = 18 + rnd.nextDouble() * 60;
            String no = "PI-" + (7_000_000 + p);
            PolicyBook.BY_POLICY.put(no, new Policy(no, 500_000L + rnd.nextInt(35_000), pets[p % pets.length] + " " + (p % 97), "BRD-" + (1000 + rnd.nextInt(BREEDS)), now - (long) (rnd.nextDouble() * 5 * 365 * 24) * HOUR, prem));
        }
        for (int c = 0; c < CLINICS; c++) {
            int[] q = new int[48];
            for (int k = 0; k < q.length; k++) q[k] = rnd.nextInt(96);
            String id = "VET-" + (30_000 + c);
            ClinicDirectory.BY_CLINIC.put(id, new Clinic(id, "Animal Clinic " + c, "City " + (c % 300), "https://pms-" + c + ".vetclinics.example", q));
        }
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        for (int i = 0; i < CLAIMS; i++) {
            long t = start + (now - start) * i / CLAIMS;
            String claimId = "CLM-" + (90_000_000 + i);
            String requestId = "req-" + Long.toHexString(rnd.nextLong()) + "-" + i;
            Clinic clinic = ClinicDirectory.BY_CLINIC.get("VET-" + (30_000 + rnd.nextInt(CLINICS)));
            String policyNo = "PI-" + (7_000_000 + rnd.nextInt(POLICIES));
            byte[] invoice = new byte[3_000 + rnd.nextInt(2_000)];
            rnd.nextBytes(invoice);
            svc.audit(claimId, "RECEIVED", t);
            svc.gateway.confirmInvoice(requestId, clinic, t + 200, invoice, fixed);
            byte[] letter = new byte[1_500 + rnd.nextInt(1_500)];
            svc.decisions.put(claimId, new Decision(claimId, policyNo, t + 900, rnd.nextInt(250_000), letter));
            svc.audit(claimId, "DECIDED", t + 900);
        }
        // more decisions than claims above: the cache also holds the decisions re-read by the portal
        for (int i = 0; i < 6_000; i++) {
            long t = start + (now - start) * i / 6_000;
            String claimId = "CLM-" + (80_000_000 + i);
            svc.decisions.put(claimId, new Decision(claimId, "PI-" + (7_000_000 + rnd.nextInt(POLICIES)), t, rnd.nextInt(250_000), new byte[1_500 + rnd.nextInt(1_500)]));
            svc.audit(claimId, "PORTAL_VIEW", t);
        }
        int clientThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("HttpClient-") && th.getName().endsWith("-SelectorManager")) clientThreads++;
        System.out.println((fixed ? "FIXED " : "") + "policies " + PolicyBook.BY_POLICY.size() + " breeds " + PolicyBook.BREEDS_BY_CODE.size() + " clinics " + ClinicDirectory.BY_CLINIC.size() + " claims " + svc.gateway.calls + " parked clinic calls " + svc.gateway.inFlight.size() + " selector threads " + clientThreads + " decisions " + svc.decisions.size() + " (evicted " + svc.decisions.evicted + ") audit written " + svc.auditWritten);
        check(PolicyBook.BY_POLICY.size() == POLICIES && PolicyBook.BREEDS_BY_CODE.size() == BREEDS && ClinicDirectory.BY_CLINIC.size() == CLINICS, "reference data");
        check(svc.gateway.calls == CLAIMS, "claims");
        check(svc.gateway.inFlight.size() == (fixed ? 0 : CLAIMS), "parked clinic calls");
        check(clientThreads == (fixed ? 1 : CLAIMS + 1), "selector-manager threads: " + clientThreads);
        check(svc.decisions.size() == DECISION_CAP && svc.decisions.evicted == CLAIMS + 6_000 - DECISION_CAP, "decision cache at its cap");
        check(svc.auditWritten == 2L * CLAIMS + 6_000 && svc.audit[RING - 1] != null, "audit ring full and wrapping");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
