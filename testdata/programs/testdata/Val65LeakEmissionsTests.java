// hprofscan-dump: name=val65-leak-emissionstests jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val65-leak-emissionstests-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), LEAK: the upload endpoint of a vehicle emissions-testing
 * network (test stations send each test's analyser readings). Station reference data, the vehicle
 * directory, a cache of rendered test certificates at its cap, a pool of report buffers, a ring of
 * recent test results, and a diagnostics component meant to keep the latest 100 rejected uploads
 * (exception + the upload) for the /debug/errors page. Its trim was copy-pasted from the warning
 * list and trims lastWarnings (never written, always empty) instead of lastErrors, so every
 * rejected upload with its exception stays. See VALIDATION65.md.
 */
public final class Val65LeakEmissionsTests {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_000, VEHICLES = 25_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, UPLOADS_PER_HOUR = 5_000, HOURS = 10, KEEP_ERRORS = 100;
    static boolean FIXED;

    record Station(String code, String county, double[] hourlyLoad) {}
    record Vehicle(String vin, String plate, String fuel, byte[] testHistory, long registeredAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record TestResult(String uploadId, String vin, boolean passed, double lambda, long at) {}
    record TestUpload(String uploadId, String stationCode, String vin, long at, byte[] readings) {}
    record ErrorEntry(long at, Exception error, TestUpload upload) {}

    static final class ReadingsRejectedException extends Exception {
        ReadingsRejectedException(String msg) { super(msg); }
    }

    /** Keeps the latest rejected uploads and warnings for the debug page. */
    static final class Diagnostics {
        final List<ErrorEntry> lastErrors = new ArrayList<>();
        final List<ErrorEntry> lastWarnings = new ArrayList<>();
        long errors;
        void recordError(ErrorEntry e) {
            errors++;
            lastErrors.add(e);
            trim(FIXED ? lastErrors : lastWarnings); // BUG (unfixed): trims the warning list, which nothing writes
        }
        static void trim(List<ErrorEntry> list) {
            while (list.size() > KEEP_ERRORS) list.remove(0);
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class UploadService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final TestResult[] recent = new TestResult[RING];
        long results;
        final Diagnostics diagnostics = new Diagnostics();

        TestResult accept(TestUpload u) throws ReadingsRejectedException {
            int co = u.readings()[0] & 0xFF;
            if (co > 230) throw new ReadingsRejectedException("analyser reading out of range (CO " + co + ") for " + u.vin() + " at " + u.stationCode());
            return new TestResult(u.uploadId(), u.vin(), co < 180, 0.97 + (u.readings()[1] & 0x3F) / 1_000.0, u.at());
        }
    }

    static UploadService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val65.fixed");
        int uploads = UPLOADS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(65_040_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] load = new double[72];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 12;
            stationCodes[s] = "MOT-" + (40_000 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "County " + (s % 48), load));
        }
        UploadService svc = new UploadService();
        SERVICE = svc;
        String[] vins = new String[VEHICLES];
        String[] fuels = {"petrol", "diesel", "hybrid", "lpg"};
        for (int v = 0; v < VEHICLES; v++) {
            vins[v] = "WVW" + (10_000_000_000L + v * 7_919L);
            svc.vehicles.put(vins[v], new Vehicle(vins[v], "PL" + (100_000 + v), fuels[v % fuels.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(6_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);
        Random traffic = new Random(65_040_002);
        int rejected = 0;
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - MINUTE - start) * i / uploads;
            byte[] readings = new byte[200 + traffic.nextInt(200)];
            traffic.nextBytes(readings);
            String vin = vins[traffic.nextInt(VEHICLES)];
            TestUpload u = new TestUpload("UP-" + (70_000_000 + i), stationCodes[traffic.nextInt(STATIONS)], vin, t, readings);
            try {
                TestResult r = svc.accept(u);
                svc.recent[(int) (svc.results++ % RING)] = r;
                String key = "cert-" + traffic.nextInt(5_000);
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.reportBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.reportBuffers.add(buf);
            } catch (ReadingsRejectedException e) {
                rejected++;
                svc.diagnostics.recordError(new ErrorEntry(t, e, u));
            }
        }
        Diagnostics d = svc.diagnostics;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " lastErrors " + d.lastErrors.size() + " lastWarnings " + d.lastWarnings.size() + " (errors " + d.errors + ", rejected " + rejected
                + ") certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.reportBuffers.size() + " results " + svc.results);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(d.errors == rejected && svc.results == uploads - rejected && d.lastWarnings.isEmpty(), "upload traffic");
        if (FIXED) check(d.lastErrors.size() == KEEP_ERRORS, "latest 100 errors");
        else check(d.lastErrors.size() == rejected, "every rejected upload kept: " + d.lastErrors.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.reportBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
