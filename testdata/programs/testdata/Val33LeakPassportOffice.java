// hprofscan-dump: name=val33-leak-passportoffice jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val33-leak-passportoffice-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Validation set 33 (written blind), LEAK: the online renewal portal of a national passport office.
 * Passport-office reference data, the passport directory, a cache of rendered application-status
 * pages at its cap, a pool of photo-normalisation buffers, a ring of recent decisions, and the photo
 * check: every renewal application is handled by a thread of its own ("photo-check-<id>") that
 * loads the application (the uploaded photo and the request context), submits the photo to an
 * external biometric vendor with a callback and waits on a CountDownLatch for the verdict. When the
 * vendor answers HTTP 503 the client logs the error and returns without ever invoking the callback,
 * so the latch is never counted down and the thread parks forever, its application reachable from
 * its stack. See VALIDATION33.md.
 */
public final class Val33LeakPassportOffice {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int OFFICES = 1_000, PASSPORTS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, APPLICATIONS = 6_000, HOURS = 10;
    static boolean FIXED;

    record Office(String code, String city, double[] weeklyDemand) {}
    record PassportRecord(String passportNo, String holderId, String officeCode, byte[] history, long issuedAt) {}
    record StatusPage(String key, byte[] rendered, long at) {}
    record Decision(long applicationId, String passportNo, String outcome, long at) {}

    static final class RequestContext {
        final String traceId, locale, clientIp; final long receivedAt;
        final Map<String, String> headers = new HashMap<>();
        RequestContext(String traceId, String locale, String clientIp, long receivedAt) { this.traceId = traceId; this.locale = locale; this.clientIp = clientIp; this.receivedAt = receivedAt; }
    }

    static final class RenewalApplication {
        final long id; final String passportNo, applicantName; final byte[] photo; final RequestContext context;
        RenewalApplication(long id, String passportNo, String applicantName, byte[] photo, RequestContext context) { this.id = id; this.passportNo = passportNo; this.applicantName = applicantName; this.photo = photo; this.context = context; }
    }

    interface PhotoCallback { void onVerdict(boolean compliant); void onError(String reason); }

    /** Client of the external biometric photo-check vendor (the vendor's answers are simulated). */
    static final class BiometricVendorClient {
        final Random answers = new Random(33_030_003);
        final long outageFrom, outageUntil;
        long calls, verdicts, errors, droppedCallbacks;
        volatile boolean lastCallDropped;
        BiometricVendorClient(long outageFrom, long outageUntil) { this.outageFrom = outageFrom; this.outageUntil = outageUntil; }
        synchronized void submit(RenewalApplication app, long at, PhotoCallback callback) {
            calls++;
            boolean unavailable = (at >= outageFrom && at < outageUntil) ? answers.nextInt(100) < 35 : answers.nextInt(1_000) < 4;
            lastCallDropped = false;
            if (!unavailable) { verdicts++; callback.onVerdict(app.photo.length % 9 != 0); return; }
            errors++;
            if (FIXED) { callback.onError("HTTP 503 from vendor"); return; }
            // BUG: the 503 branch only logs; the callback is dropped and never invoked
            droppedCallbacks++;
            lastCallDropped = true;
        }
    }

    static final class PageCache extends LinkedHashMap<String, StatusPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StatusPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Office> OFFICES_BY_CODE = new HashMap<>();

    static final class RenewalService {
        final Map<String, PassportRecord> passports = new HashMap<>();
        final PageCache statusPages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Decision[] recentDecisions = new Decision[RING];
        long decisions, manualReviews;
        BiometricVendorClient vendor;
        synchronized void record(Decision d) { recentDecisions[(int) (decisions++ % RING)] = d; if (d.outcome().equals("MANUAL_REVIEW")) manualReviews++; }
        /** Loads the application from the intake store: the uploaded photo (normalised) and the request context. */
        RenewalApplication load(long id, String passportNo, String name, int photoLength, long at) {
            byte[] photo = new byte[photoLength];
            byte[] scratch;
            synchronized (photoBuffers) { scratch = photoBuffers.poll(); }
            for (int k = 0; k < photo.length; k += 61) { scratch[k % scratch.length] = (byte) k; photo[k] = (byte) (id + k); }
            synchronized (photoBuffers) { photoBuffers.add(scratch); }
            RequestContext ctx = new RequestContext(Long.toHexString(0x7e57_0000_0000L + id * 31), id % 5 == 0 ? "fr-CA" : "en-CA", "10.8." + (id % 250) + "." + (id % 199), at);
            ctx.headers.put("User-Agent", "Mozilla/5.0 renewal-portal/" + (id % 7));
            ctx.headers.put("X-Session", "s-" + Long.toHexString(id * 104_729L));
            ctx.headers.put("X-Applicant", passportNo);
            ctx.headers.put("Accept-Language", ctx.locale);
            return new RenewalApplication(id, passportNo, name, photo, ctx);
        }
        /** Runs on the application's own thread. */
        void checkPhoto(long id, String passportNo, String name, int photoLength, long at, CountDownLatch submitted) throws InterruptedException {
            RenewalApplication app = load(id, passportNo, name, photoLength, at);
            CountDownLatch verdict = new CountDownLatch(1);
            String[] outcome = new String[1];
            vendor.submit(app, at, new PhotoCallback() {
                @Override public void onVerdict(boolean compliant) { outcome[0] = compliant ? "PHOTO_ACCEPTED" : "PHOTO_REJECTED"; verdict.countDown(); }
                @Override public void onError(String reason) { outcome[0] = "MANUAL_REVIEW"; verdict.countDown(); }
            });
            submitted.countDown();
            verdict.await(); // no timeout
            record(new Decision(app.id, app.passportNo, outcome[0], app.context.receivedAt));
        }
    }

    static RenewalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val33.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(33_030_001);
        String[] officeCodes = new String[OFFICES];
        for (int o = 0; o < OFFICES; o++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 400;
            officeCodes[o] = "PPO-" + (700 + o);
            OFFICES_BY_CODE.put(officeCodes[o], new Office(officeCodes[o], "City " + (o % 250), demand));
        }
        RenewalService svc = new RenewalService();
        SERVICE = svc;
        svc.vendor = new BiometricVendorClient(start + 5 * HOUR + 30 * MINUTE, start + 7 * HOUR + 15 * MINUTE);
        String[] passportNos = new String[PASSPORTS];
        for (int p = 0; p < PASSPORTS; p++) {
            passportNos[p] = "GA" + (400_000 + p * 37);
            svc.passports.put(passportNos[p], new PassportRecord(passportNos[p], "H" + (9_000_000 + p), officeCodes[rnd.nextInt(OFFICES)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_600)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[65_536]);
        String[] surnames = {"Tremblay", "Gagnon", "Roy", "Smith", "Wong", "Singh", "MacDonald", "Martin", "Lee", "Bouchard"};
        Random traffic = new Random(33_030_002);
        List<Thread> parked = new ArrayList<>();
        long span = HOURS * HOUR - 2 * MINUTE;
        for (int i = 0; i < APPLICATIONS; i++) {
            long at = start + span * i / APPLICATIONS;
            long id = 58_000_000L + i;
            String passportNo = passportNos[traffic.nextInt(PASSPORTS)];
            String name = surnames[traffic.nextInt(surnames.length)] + ", " + (char) ('A' + traffic.nextInt(26)) + ".";
            int photoLength = 8_192 + traffic.nextInt(8_192);
            CountDownLatch submitted = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try { svc.checkPhoto(id, passportNo, name, photoLength, at, submitted); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "photo-check-" + id);
            t.start();
            submitted.await();
            if (svc.vendor.lastCallDropped) parked.add(t);
            else t.join();
            String key = "status-" + passportNos[traffic.nextInt(PASSPORTS)];
            if (svc.statusPages.get(key) == null) svc.statusPages.put(key, new StatusPage(key, new byte[400 + traffic.nextInt(600)], at));
        }
        // Wait until every thread whose callback was dropped is parked on its latch.
        long deadline = System.currentTimeMillis() + 30_000;
        for (Thread t : parked) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("thread not parked: " + t.getName() + " " + t.getState());
                Thread.sleep(1);
            }
        }
        int parkedCount = parked.size();
        parked = null;
        int live = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("photo-check-")) live++;
        BiometricVendorClient v = svc.vendor;
        System.out.println((FIXED ? "FIXED " : "") + "offices " + OFFICES_BY_CODE.size() + " passports " + svc.passports.size() + " applications " + APPLICATIONS + " vendor calls " + v.calls + " verdicts " + v.verdicts + " errors " + v.errors
                + " dropped callbacks " + v.droppedCallbacks + " parked threads " + parkedCount + " live photo-check threads " + live + " decisions " + svc.decisions + " (manual review " + svc.manualReviews + ")"
                + " status pages " + svc.statusPages.size() + " (evicted " + svc.statusPages.evicted + ") pool " + svc.photoBuffers.size());
        check(OFFICES_BY_CODE.size() == OFFICES && svc.passports.size() == PASSPORTS, "reference data / directory");
        check(v.calls == APPLICATIONS && v.verdicts + v.errors == APPLICATIONS, "vendor calls");
        if (FIXED) check(parkedCount == 0 && live == 0 && svc.decisions == APPLICATIONS && svc.manualReviews == v.errors, "every thread finished");
        else check(parkedCount == v.errors && live == parkedCount && svc.decisions == v.verdicts, "one parked thread per dropped callback: " + live);
        check(svc.statusPages.size() == PAGE_CAP && svc.statusPages.evicted > 0, "status page cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.decisions > RING && svc.recentDecisions[RING - 1] != null, "decision ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
