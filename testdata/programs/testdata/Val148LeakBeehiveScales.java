// hprofscan-dump: name=val148-leak-beehivescales jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val148-leak-beehivescales-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 148 (written blind), LEAK: the telemetry uplink of a beekeepers' co-operative's
 * smart hive scales. Apiary reference data, the beekeeper directory, a cache of rendered hive
 * charts at its cap, a pool of decode buffers, the time-series store's ring of written readings,
 * and the uplink's outbox: an unbounded LinkedBlockingQueue drained by one daemon writer thread.
 * Twenty minutes after start the writer took a reading with a NaN weight (a scale's load cell
 * glitched), threw from its loop and died (nobody handles it; nobody keeps the Thread). The scales
 * keep reporting every 5 minutes and the uplink keeps offering: every later reading stays in the
 * outbox. See VALIDATION148.md.
 */
public final class Val148LeakBeehiveScales {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REPORT_EVERY = 5 * MINUTE;
    static final int APIARIES = 600, BEEKEEPERS = 20_000, HIVES = 1_200, CHART_CAP = 2_000, POOL = 8, STORE_RING = 4_096, HOURS = 10;
    static final int GLITCH_SLOT = 4, GLITCH_HIVE = 777; // 20 minutes in
    static boolean FIXED;

    record Apiary(String code, String parish, double[] forageModel) {}
    record Beekeeper(String regNo, String name, byte[] profile, long registeredAt) {}
    record Hive(String hiveId, String apiaryCode, String keeperRegNo) {}
    record HiveChart(String key, byte[] rendered, long at) {}
    record HiveReading(String hiveId, long at, double weightKg, double broodTempC, double humidity, byte[] acousticSummary) {}

    /** The outbox and its single writer. */
    static final class TelemetryUplink {
        final LinkedBlockingQueue<HiveReading> outbox = new LinkedBlockingQueue<>(); // unbounded
        final HiveReading[] store = new HiveReading[STORE_RING];                     // the time-series store (last 4,096 written)
        final Map<String, HiveReading> latestByHive = new HashMap<>();
        final AtomicLong taken = new AtomicLong();
        volatile long lastWrittenAt;
        long written, rejected, offered;

        Thread startWriter() {
            Thread t = new Thread(this::writeLoop, "uplink-writer");
            t.setDaemon(true);
            t.start();
            return t; // the service keeps no reference to its writer
        }

        void writeLoop() {
            while (true) {
                HiveReading r;
                try { r = outbox.take(); } catch (InterruptedException e) { return; }
                try {
                    write(r);
                } catch (IllegalArgumentException e) {
                    if (!FIXED) throw e; // BUG: one bad reading kills the only writer
                    synchronized (this) { rejected++; } // the fix: count it as rejected and go on
                } finally {
                    taken.incrementAndGet();
                }
            }
        }

        void write(HiveReading r) {
            if (Double.isNaN(r.weightKg())) throw new IllegalArgumentException("weight is NaN for hive " + r.hiveId());
            synchronized (this) {
                store[(int) (written++ % STORE_RING)] = r;
                latestByHive.put(r.hiveId(), r);
            }
            lastWrittenAt = r.at();
        }

        void offer(HiveReading r) { outbox.offer(r); offered++; }
    }

    static final class ChartCache extends LinkedHashMap<String, HiveChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HiveChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Apiary> APIARIES_BY_CODE = new HashMap<>();

    static final class CoopService {
        final Map<String, Beekeeper> beekeepers = new HashMap<>();
        final Map<String, Hive> hives = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final TelemetryUplink uplink = new TelemetryUplink();
    }

    static CoopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val148.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(148_030_001);
        String[] apiaryCodes = new String[APIARIES];
        for (int a = 0; a < APIARIES; a++) {
            double[] forage = new double[96];
            for (int k = 0; k < forage.length; k++) forage[k] = rnd.nextDouble();
            String code = "AP-" + (40_000 + a);
            apiaryCodes[a] = code;
            APIARIES_BY_CODE.put(code, new Apiary(code, "Parish " + (a % 150), forage));
        }
        CoopService svc = new CoopService();
        SERVICE = svc;
        String[] keepers = new String[BEEKEEPERS];
        for (int k = 0; k < BEEKEEPERS; k++) {
            String reg = "BK" + (5_500_000 + k);
            keepers[k] = reg;
            svc.beekeepers.put(reg, new Beekeeper(reg, "Keeper " + k, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] hiveIds = new String[HIVES];
        for (int h = 0; h < HIVES; h++) {
            String id = "HV-" + (10_000 + h);
            hiveIds[h] = id;
            svc.hives.put(id, new Hive(id, apiaryCodes[rnd.nextInt(APIARIES)], keepers[rnd.nextInt(BEEKEEPERS)]));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        TelemetryUplink up = svc.uplink;
        Thread writer = up.startWriter();
        Random traffic = new Random(148_030_002);
        int slots = (int) (HOURS * HOUR / REPORT_EVERY); // 120 report rounds
        for (int s = 0; s < slots; s++) {
            long base = start + s * REPORT_EVERY;
            for (int h = 0; h < HIVES; h++) {
                double weight = (s == GLITCH_SLOT && h == GLITCH_HIVE) ? Double.NaN : 30 + traffic.nextDouble() * 40;
                up.offer(new HiveReading(hiveIds[h], base + h * 200L, weight, 33 + traffic.nextDouble() * 3, 40 + traffic.nextDouble() * 30, new byte[24 + traffic.nextInt(32)]));
            }
            // the round's housekeeping: chart requests from the web app, a decode buffer borrowed and returned
            for (int c = 0; c < 100; c++) {
                String key = "chart-" + traffic.nextInt(5_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new HiveChart(key, new byte[500 + traffic.nextInt(500)], base + c * 1_000L));
            }
            byte[] buf = svc.decodeBuffers.poll();
            buf[s % buf.length] = (byte) s;
            svc.decodeBuffers.add(buf);
            // wait until the writer has taken this round (or is dead) so that the counts are exact
            while (up.taken.get() < up.offered && writer.isAlive()) Thread.sleep(1);
        }
        boolean writerAlive = writer.isAlive();
        writer = null;
        long backlog = up.outbox.size();
        System.out.println((FIXED ? "FIXED " : "") + "apiaries " + APIARIES_BY_CODE.size() + " beekeepers " + svc.beekeepers.size() + " hives " + svc.hives.size() + " offered " + up.offered
                + " taken " + up.taken.get() + " written " + up.written + " rejected " + up.rejected + " backlog " + backlog + " writer alive " + writerAlive
                + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.decodeBuffers.size());
        long glitchIndex = (long) GLITCH_SLOT * HIVES + GLITCH_HIVE; // 5,577
        check(APIARIES_BY_CODE.size() == APIARIES && svc.beekeepers.size() == BEEKEEPERS && svc.hives.size() == HIVES, "reference data / directory");
        check(up.offered == 144_000, "offered");
        if (FIXED) check(writerAlive && backlog == 0 && up.written == 143_999 && up.rejected == 1, "fixed: writer keeps up");
        else check(!writerAlive && up.written == glitchIndex && up.taken.get() == glitchIndex + 1 && backlog == 144_000 - glitchIndex - 1, "dead writer, backlog " + backlog);
        check(up.latestByHive.size() == HIVES && up.store[STORE_RING - 1] != null, "store ring / latest by hive");
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
