// hprofscan-dump: name=val33-leak-reeferfleet-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val33-leak-reeferfleet-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val33-leak-reeferfleet jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val33-leak-reeferfleet-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 33 (written blind), LEAK: the telemetry uplink of a shipping line's refrigerated
 * container (reefer) fleet. Cargo-profile reference data, the container directory, a cache of
 * rendered voyage temperature charts at its cap, a pool of frame-decode buffers, a ring of recent
 * readings, and one batch buffer per reefer controller of the monitored fleet (a
 * ByteArrayOutputStream appended to with every reading, shipped to the ingestion API and reset when
 * it crosses the flush threshold). The threshold is configured as "batch.flush.kb = 4" but the
 * uplink multiplies it by 1024 * 1024: a 4 MB threshold that no buffer ever reaches, so every
 * buffer keeps every reading since start and keeps growing. See VALIDATION33.md.
 */
public final class Val33LeakReeferFleet {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PROFILES = 1_300, CONTAINERS = 22_000, FLEET = 360, CHART_CAP = 2_000, POOL = 8, RING = 16_384;
    /** "batch.flush.kb" of the uplink configuration. */
    static final int FLUSH_KB = 4;
    static final int INITIAL_BUFFER = 4_608;

    record CargoProfile(String code, String commodity, double[] setpointCurve) {}
    record Container(String number, String profileCode, String owner, byte[] maintenanceLog, long builtAt) {}
    record VoyageChart(String key, byte[] rendered, long at) {}
    record Reading(String container, long at, int supplyDeciC, int returnDeciC, int co2PerMille) {}

    /** One batch per reefer controller: readings are appended as CSV lines until the batch is shipped. */
    static final class DeviceBatch {
        final String controllerId, container;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(INITIAL_BUFFER);
        int readings; long openedAt, appendedBytes, flushes;
        DeviceBatch(String controllerId, String container) { this.controllerId = controllerId; this.container = container; }
    }

    static final class Uplink {
        final long flushThreshold;
        final Map<String, DeviceBatch> batches = new HashMap<>();
        long shippedBatches, shippedBytes;
        Uplink(long flushThreshold) { this.flushThreshold = flushThreshold; }
        void append(DeviceBatch b, byte[] line, long at) {
            if (b.readings == 0) b.openedAt = at;
            b.buffer.write(line, 0, line.length);
            b.readings++;
            b.appendedBytes += line.length;
            if (b.buffer.size() >= flushThreshold) ship(b);
        }
        /** Posts the batch to the ingestion API (simulated) and starts a new one in the same buffer. */
        void ship(DeviceBatch b) {
            byte[] payload = b.buffer.toByteArray();
            shippedBytes += payload.length;
            shippedBatches++;
            b.flushes++;
            b.buffer.reset();
            b.readings = 0;
        }
    }

    static final class ChartCache extends LinkedHashMap<String, VoyageChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VoyageChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CargoProfile> PROFILES_BY_CODE = new HashMap<>();

    static final class TelemetryService {
        final Map<String, Container> containers = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] recent = new Reading[RING];
        long readings;
        final Uplink uplink;
        TelemetryService(Uplink uplink) { this.uplink = uplink; }
    }

    static TelemetryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int capacityFor(int size) { int cap = INITIAL_BUFFER; while (cap < size) cap *= 2; return cap; }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val33.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(33_010_001);
        String[] commodities = {"bananas", "frozen fish", "pharma", "chilled meat", "citrus", "flowers", "ice cream", "avocados"};
        String[] profileCodes = new String[PROFILES];
        for (int p = 0; p < PROFILES; p++) {
            double[] curve = new double[60];
            for (int k = 0; k < curve.length; k++) curve[k] = -25 + rnd.nextDouble() * 40;
            profileCodes[p] = "CP-" + (3_000 + p);
            PROFILES_BY_CODE.put(profileCodes[p], new CargoProfile(profileCodes[p], commodities[p % commodities.length], curve));
        }
        // BUG (fixed run: kilobytes): the configured kilobytes are multiplied as if they were megabytes.
        long threshold = fixed ? FLUSH_KB * 1024L : FLUSH_KB * 1024L * 1024L;
        TelemetryService svc = new TelemetryService(new Uplink(threshold));
        SERVICE = svc;
        String[] owners = {"Maersk", "MSC", "CMA CGM", "Hapag", "ONE", "Evergreen"};
        String[] numbers = new String[CONTAINERS];
        for (int c = 0; c < CONTAINERS; c++) {
            numbers[c] = "RFU" + (1_000_000 + c * 13);
            svc.containers.put(numbers[c], new Container(numbers[c], profileCodes[rnd.nextInt(PROFILES)], owners[c % owners.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        // The monitored fleet: one controller per reefer at sea, each reporting every 45-134 s.
        DeviceBatch[] fleet = new DeviceBatch[FLEET];
        int[] interval = new int[FLEET], phase = new int[FLEET];
        for (int d = 0; d < FLEET; d++) {
            fleet[d] = new DeviceBatch("CTRL-" + (810_000 + d), numbers[rnd.nextInt(CONTAINERS)]);
            interval[d] = 45 + rnd.nextInt(90);
            phase[d] = rnd.nextInt(interval[d]);
            svc.uplink.batches.put(fleet[d].controllerId, fleet[d]);
        }
        Random traffic = new Random(33_010_002);
        long lines = 0;
        int lastSecond = hours * 3_600 - 60;
        for (int sec = 0; sec < lastSecond; sec++) {
            long t = start + sec * 1_000L;
            for (int d = 0; d < FLEET; d++) {
                if ((sec + phase[d]) % interval[d] != 0) continue;
                DeviceBatch b = fleet[d];
                int supply = -250 + traffic.nextInt(400), ret = supply + traffic.nextInt(30), co2 = traffic.nextInt(120);
                String line = t + "," + b.controllerId + "," + b.container + ",sup=" + supply + ",ret=" + ret + ",co2=" + co2 + ",door=" + (traffic.nextInt(50) == 0 ? 1 : 0) + "\n";
                byte[] frame = svc.decodeBuffers.poll();
                frame[(int) (lines % frame.length)] = (byte) supply;
                svc.decodeBuffers.add(frame);
                svc.uplink.append(b, line.getBytes(StandardCharsets.ISO_8859_1), t);
                lines++;
                svc.recent[(int) (svc.readings++ % RING)] = new Reading(b.container, t, supply, ret, co2);
                if (traffic.nextInt(3) == 0) {
                    String key = "chart-" + traffic.nextInt(4_000);
                    if (svc.charts.get(key) == null) svc.charts.put(key, new VoyageChart(key, new byte[500 + traffic.nextInt(500)], t));
                }
            }
        }
        long buffered = 0, capacity = 0, appended = 0;
        int minSize = Integer.MAX_VALUE, maxSize = 0;
        java.util.TreeMap<Integer, Integer> byCapacity = new java.util.TreeMap<>();
        for (DeviceBatch b : fleet) {
            byCapacity.merge(capacityFor(b.buffer.size()), 1, Integer::sum);
            int size = b.buffer.size();
            buffered += size;
            appended += b.appendedBytes;
            capacity += capacityFor(size);
            minSize = Math.min(minSize, size);
            maxSize = Math.max(maxSize, size);
        }
        Uplink u = svc.uplink;
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " profiles " + PROFILES_BY_CODE.size() + " containers " + svc.containers.size() + " fleet " + u.batches.size()
                + " readings " + svc.readings + " appended bytes " + appended + " buffered bytes " + buffered + " (min " + minSize + ", max " + maxSize + ", est. capacity " + capacity + ", buffers by capacity " + byCapacity + ")"
                + " shipped batches " + u.shippedBatches + " (" + u.shippedBytes + " bytes) charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.decodeBuffers.size());
        check(PROFILES_BY_CODE.size() == PROFILES && svc.containers.size() == CONTAINERS && u.batches.size() == FLEET, "reference data / directory / fleet");
        check(svc.readings == lines && appended == u.shippedBytes + buffered, "uplink accounting");
        if (fixed) check(maxSize < threshold && u.shippedBatches > 0 && capacity == (long) FLEET * INITIAL_BUFFER, "batches flushed: max " + maxSize);
        else check(u.shippedBatches == 0 && buffered == appended && minSize > 0, "nothing ever shipped: " + u.shippedBatches);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.readings > RING && svc.recent[RING - 1] != null, "ring wrapping");
        fleet = null; // the batches stay reachable only through the uplink
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
