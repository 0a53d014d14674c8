// hprofscan-dump: name=val37-leak-weighstations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val37-leak-weighstations-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 37 (written blind), LEAK: the back office of a state's highway weigh stations.
 * Station reference data, the truck-permit directory, a cache of permit-check results at its cap, a
 * pool of axle-sensor decode buffers, a ring of recent weighings, and a pre-allocated 6 MiB camera
 * frame staging array. Every weighing is appended as one CSV line to the compliance exporter's
 * StringBuilder; every 10 minutes the exporter writes the part appended since the last export
 * (buffer.substring(exportedChars)) to the compliance feed and advances exportedChars, but never
 * calls buffer.setLength(0): the one builder (one byte[] growing by doubling) holds every line since
 * start. See VALIDATION37.md.
 */
public final class Val37LeakWeighStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 900, TRUCKS = 26_000, CHECK_CAP = 2_000, POOL = 8, RING = 16_384, WEIGHINGS_PER_HOUR = 6_000, HOURS = 10, FRAME_BYTES = 6 * 1_024 * 1_024;
    static boolean FIXED;

    record Station(String code, String highway, double[] scaleCalibration) {}
    record TruckPermit(String plate, String carrier, int maxGrossKg, byte[] permitRecord, long issuedAt) {}
    record PermitCheck(String key, byte[] result, long at) {}
    record Weighing(String plate, String stationCode, int grossKg, int[] axleKg, boolean overweight, long at) {}

    static final class CheckCache extends LinkedHashMap<String, PermitCheck> {
        long evicted;
        CheckCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PermitCheck> e) { if (size() > CHECK_CAP) { evicted++; return true; } return false; }
    }

    /** Ships the weighings to the state's compliance feed every 10 minutes. */
    static final class ComplianceExporter {
        final StringBuilder buffer = new StringBuilder(64 * 1_024);
        long exportedChars, exports, linesAppended, bytesShipped;
        final Writer feed = new Writer() { // the compliance feed (an HTTPS upload in production)
            final OutputStream sink = OutputStream.nullOutputStream();
            @Override public void write(char[] c, int off, int len) throws IOException { sink.write(new String(c, off, len).getBytes(StandardCharsets.US_ASCII)); bytesShipped += len; }
            @Override public void flush() {}
            @Override public void close() {}
        };
        void append(Weighing w) {
            buffer.append(w.at()).append(',').append(w.stationCode()).append(',').append(w.plate()).append(',').append(w.grossKg());
            for (int a : w.axleKg()) buffer.append(",axle=").append(a);
            buffer.append(',').append(w.overweight() ? "OVER" : "OK").append('\n');
            linesAppended++;
        }
        void export() throws IOException {
            if (FIXED) {
                feed.write(buffer.toString());
                buffer.setLength(0);
            } else {
                // BUG: ships only the new part, and never resets the builder
                feed.write(buffer.substring((int) exportedChars));
                exportedChars = buffer.length();
            }
            exports++;
        }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class WeighService {
        final Map<String, TruckPermit> permits = new HashMap<>();
        final CheckCache checks = new CheckCache();
        final ArrayDeque<byte[]> axleBuffers = new ArrayDeque<>();
        final Weighing[] recent = new Weighing[RING];
        final byte[] frameStaging = new byte[FRAME_BYTES];
        final ComplianceExporter exporter = new ComplianceExporter();
        long weighings;
    }

    static WeighService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val37.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(37_030_001);
        String[] stationCodes = new String[STATIONS];
        String[] highways = {"I-80", "I-70", "US-30", "I-25", "US-6", "I-76"};
        for (int s = 0; s < STATIONS; s++) {
            double[] cal = new double[72];
            for (int k = 0; k < cal.length; k++) cal[k] = 0.98 + rnd.nextDouble() * 0.04;
            String code = "WS-" + (1_000 + s);
            stationCodes[s] = code;
            STATIONS_BY_CODE.put(code, new Station(code, highways[s % highways.length], cal));
        }
        WeighService svc = new WeighService();
        SERVICE = svc;
        String[] plates = new String[TRUCKS];
        for (int t = 0; t < TRUCKS; t++) {
            String plate = "TRK" + (4_100_000 + t * 3);
            plates[t] = plate;
            svc.permits.put(plate, new TruckPermit(plate, "Carrier " + rnd.nextInt(3_000), 36_000 + rnd.nextInt(8_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.axleBuffers.add(new byte[32_768]);
        Random traffic = new Random(37_030_002);
        int weighings = WEIGHINGS_PER_HOUR * HOURS;
        long nextExport = start + 10 * MINUTE;
        for (int i = 0; i < weighings; i++) {
            long t = start + (end - MINUTE - start) * i / weighings;
            while (nextExport <= t) { svc.exporter.export(); nextExport += 10 * MINUTE; }
            String plate = plates[traffic.nextInt(TRUCKS)];
            int gross = 18_000 + traffic.nextInt(28_000);
            int[] axles = new int[5];
            for (int a = 0; a < axles.length; a++) axles[a] = gross / 5 - 500 + traffic.nextInt(1_000);
            Weighing w = new Weighing(plate, stationCodes[traffic.nextInt(STATIONS)], gross, axles, gross > svc.permits.get(plate).maxGrossKg(), t);
            svc.recent[(int) (svc.weighings++ % RING)] = w;
            svc.exporter.append(w);
            svc.frameStaging[(i * 4_099) % FRAME_BYTES] = (byte) i;
            String key = plate + "@" + (t / HOUR);
            if (svc.checks.get(key) == null) svc.checks.put(key, new PermitCheck(key, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.axleBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.axleBuffers.add(buf);
        }
        ComplianceExporter ex = svc.exporter;
        int exportsExpected = HOURS * 6 - 1;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " permits " + svc.permits.size() + " weighings " + svc.weighings + " exports " + ex.exports
                + " buffer length " + ex.buffer.length() + " capacity " + ex.buffer.capacity() + " exportedChars " + ex.exportedChars + " shipped " + ex.bytesShipped
                + " checks " + svc.checks.size() + " (evicted " + svc.checks.evicted + ") pool " + svc.axleBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.permits.size() == TRUCKS, "reference data / directory");
        check(ex.linesAppended == weighings && ex.exports == exportsExpected, "exporter traffic: " + ex.exports);
        if (FIXED) check(ex.buffer.length() < 200_000 && ex.buffer.capacity() < 400_000, "builder reset after each export");
        else check(ex.buffer.length() > 4_000_000 && ex.exportedChars == ex.bytesShipped && ex.buffer.length() - ex.exportedChars < 200_000, "builder keeps every line: " + ex.buffer.length());
        check(svc.checks.size() == CHECK_CAP && svc.checks.evicted > 0, "check cache at cap");
        check(svc.axleBuffers.size() == POOL && svc.frameStaging.length == FRAME_BYTES, "pool / staging");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
