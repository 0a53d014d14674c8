// hprofscan-dump: name=val118-healthy-seaweedfarms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val118-healthy-seaweedfarms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 118 (written blind), HEALTHY: the farm-management service of a seaweed
 * aquaculture company. Farm-site reference data, the longline directory, a calibration grid (one
 * large constant array), a cache of rendered satellite tiles at its cap, a pool of report buffers, a
 * ring of buoy sensor readings, a harvest-vessel queue with its normal backlog, and bounded
 * look-alikes of the set's leaks: harvest rules compiled into classes by fresh loaders and cached by
 * their text over a fixed rule set (an edited rule replaces its entry); sensor-batch threads whose
 * per-thread context (a static map keyed by Thread) is removed when the thread's work ends;
 * "diver not surfaced" alarms scheduled two days ahead on a shared ScheduledThreadPoolExecutor and
 * cancelled (removed on cancel) when the dive log is closed; a regulator feed ObjectOutputStream
 * reset after every message. See VALIDATION118.md.
 */
public final class Val118HealthySeaweedFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, PUSH_EVERY = 30 * MINUTE;
    static final int SITES = 1_000, LINES = 20_000, TILE_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, READINGS = 60_000, RULES = 40, BATCH_THREADS = 3;

    public interface HarvestRule { int score(long value); }

    record Site(String code, String loch, double[] growthByFortnight) {}
    record Longline(String lineId, String siteCode, String species, byte[] seedingRecord, long seededAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Reading(String buoy, double nitrate, double temperature, long at) {}
    record VesselJob(long jobId, String vessel, String lineId, long dueAt) {}
    record CompiledRule(String text, String ruleId, Class<?> ruleClass, HarvestRule rule, long compiledAt) {}

    static final class Dive {
        final long diveId; final String diver; final String site; final long startedAt; boolean surfaced;
        Dive(long diveId, String diver, String site, long startedAt) { this.diveId = diveId; this.diver = diver; this.site = site; this.startedAt = startedAt; }
    }

    static final class RegulatorMessage implements Serializable {
        private static final long serialVersionUID = 1L;
        final String site; final String kind; final double value; final long at;
        RegulatorMessage(String site, String kind, double value, long at) { this.site = site; this.kind = kind; this.value = value; this.at = at; }
    }

    /** The regulator link: counts what it sends (the socket of the real service). */
    static final class RegulatorLink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class RuleLoader extends ClassLoader {
        RuleLoader(String name, ClassLoader parent) { super(name, parent); }
        Class<?> define(String binaryName, byte[] b) { return defineClass(binaryName, b, 0, b.length); }
    }

    static byte[] classFile(String internalName, String iface, String source, long threshold) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + source.length());
            DataOutputStream o = new DataOutputStream(bos);
            o.writeInt(0xCAFEBABE); o.writeShort(0); o.writeShort(61); o.writeShort(21);
            o.writeByte(1); o.writeUTF(internalName); o.writeByte(7); o.writeShort(1);
            o.writeByte(1); o.writeUTF("java/lang/Object"); o.writeByte(7); o.writeShort(3);
            o.writeByte(1); o.writeUTF(iface); o.writeByte(7); o.writeShort(5);
            o.writeByte(1); o.writeUTF("<init>"); o.writeByte(1); o.writeUTF("()V");
            o.writeByte(12); o.writeShort(7); o.writeShort(8); o.writeByte(10); o.writeShort(4); o.writeShort(9);
            o.writeByte(1); o.writeUTF("Code"); o.writeByte(1); o.writeUTF("score"); o.writeByte(1); o.writeUTF("(J)I");
            o.writeByte(5); o.writeLong(threshold);
            o.writeByte(1); o.writeUTF("SOURCE"); o.writeByte(1); o.writeUTF("Ljava/lang/String;"); o.writeByte(1); o.writeUTF("ConstantValue");
            o.writeByte(8); o.writeShort(20); o.writeByte(1); o.writeUTF(source);
            o.writeShort(0x0031); o.writeShort(2); o.writeShort(4); o.writeShort(1); o.writeShort(6);
            o.writeShort(1); o.writeShort(0x0019); o.writeShort(16); o.writeShort(17); o.writeShort(1); o.writeShort(18); o.writeInt(2); o.writeShort(19);
            o.writeShort(2);
            o.writeShort(0x0001); o.writeShort(7); o.writeShort(8); o.writeShort(1);
            o.writeShort(11); o.writeInt(17); o.writeShort(1); o.writeShort(1); o.writeInt(5);
            o.writeByte(0x2a); o.writeByte(0xb7); o.writeShort(10); o.writeByte(0xb1); o.writeShort(0); o.writeShort(0);
            o.writeShort(0x0001); o.writeShort(12); o.writeShort(13); o.writeShort(1);
            o.writeShort(11); o.writeInt(18); o.writeShort(4); o.writeShort(3); o.writeInt(6);
            o.writeByte(0x1f); o.writeByte(0x14); o.writeShort(14); o.writeByte(0x94); o.writeByte(0xac); o.writeShort(0); o.writeShort(0);
            o.writeShort(0);
            o.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Harvest rules compiled by their text; an edited rule's old entry is removed. */
    static final class RuleCompiler {
        final Map<String, CompiledRule> byText = new HashMap<>();
        final Map<String, CompiledRule> active = new LinkedHashMap<>();
        long pushes, submitted, compilations, hits, replaced;

        void submit(String ruleId, String text, long threshold, long t) {
            submitted++;
            CompiledRule c = byText.get(text);
            if (c == null) {
                long seq = compilations++;
                String binary = "rules.harvest.Rule_" + ruleId.replace('-', '_') + "_" + seq;
                RuleLoader loader = new RuleLoader("harvest-rule-" + ruleId + "-" + seq, Val118HealthySeaweedFarms.class.getClassLoader());
                Class<?> cls = loader.define(binary, classFile(binary.replace('.', '/'), HarvestRule.class.getName().replace('.', '/'), text, threshold));
                try {
                    c = new CompiledRule(text, ruleId, cls, (HarvestRule) cls.getDeclaredConstructor().newInstance(), t);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                byText.put(text, c);
            } else {
                hits++;
            }
            CompiledRule old = active.put(ruleId, c);
            if (old != null && old != c) { byText.remove(old.text()); replaced++; }
        }

        int score(long v) { int s = 0; for (CompiledRule c : active.values()) s += c.rule().score(v); return s; }
    }

    /** Per-thread parse state of the sensor-batch code; removed in the thread's finally. */
    static final class IngestContext {
        final String thread; final char[] lineBuffer = new char[2_048]; final double[] window = new double[256]; long batches;
        IngestContext(String thread) { this.thread = thread; }
    }
    static final Map<Thread, IngestContext> INGEST_CONTEXTS = new ConcurrentHashMap<>();

    static final class SensorBatch implements Runnable {
        final long batchId; final int readings; double meanNitrate;
        SensorBatch(long batchId, int readings) { this.batchId = batchId; this.readings = readings; }
        @Override public void run() {
            Thread me = Thread.currentThread();
            IngestContext ctx = INGEST_CONTEXTS.computeIfAbsent(me, th -> new IngestContext(th.getName()));
            try {
                Random r = new Random(batchId);
                double sum = 0;
                for (int k = 0; k < readings; k++) { double v = r.nextDouble() * 12; ctx.window[k % ctx.window.length] = v; ctx.lineBuffer[k % ctx.lineBuffer.length] = (char) ('0' + k % 10); sum += v; }
                ctx.batches++;
                meanNitrate = sum / readings;
            } finally {
                INGEST_CONTEXTS.remove(me);
            }
        }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class FarmService {
        final Map<String, Longline> lines = new HashMap<>();
        final String[] lineIds = new String[LINES];
        final String[] siteCodes = new String[SITES];
        final double[] calibrationGrid = new double[400_000];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<VesselJob> vesselQueue = new ArrayDeque<>();
        final RuleCompiler rules = new RuleCompiler();
        final ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, r -> { Thread th = new Thread(r, "dive-alarms"); th.setDaemon(true); return th; });
        final Map<Long, ScheduledFuture<?>> diveAlarms = new HashMap<>();
        final Map<Long, Dive> underwater = new HashMap<>();
        final RegulatorLink link = new RegulatorLink();
        ObjectOutputStream regulatorFeed;
        long readingCount, vesselJobs, vesselDone, dives, surfaced, alarmsCancelled, feedMessages, feedResets, batches, threads;

        FarmService() { alarms.setRemoveOnCancelPolicy(true); }

        void reading(Random r, long t) throws IOException {
            String buoy = "BUOY-" + lineIds[r.nextInt(LINES)].substring(3);
            Reading rd = new Reading(buoy, r.nextDouble() * 12, 6 + r.nextDouble() * 10, t);
            readings[(int) (readingCount++ % RING)] = rd;
            rules.score((long) (rd.nitrate() * 1_000));
            String key = "tile-" + r.nextInt(7_000);
            if (tiles.get(key) == null) tiles.put(key, new Tile(key, new byte[400 + r.nextInt(400)], t));
            if (readingCount % 25 == 0) {
                regulatorFeed.writeObject(new RegulatorMessage(siteCodes[r.nextInt(SITES)], "nitrate", rd.nitrate(), t));
                regulatorFeed.flush(); regulatorFeed.reset();
                feedMessages++; feedResets++;
            }
            if (r.nextInt(100) == 0) {
                vesselQueue.addLast(new VesselJob(8_800_000L + vesselJobs++, "MV-" + (1 + r.nextInt(6)), lineIds[r.nextInt(LINES)], t + (20 + r.nextInt(60)) * MINUTE));
                byte[] buf = reportBuffers.poll();
                buf[(int) (vesselJobs % buf.length)] = 1;
                reportBuffers.add(buf);
            }
        }

        void vessels(long t) { while (!vesselQueue.isEmpty() && vesselQueue.peekFirst().dueAt() <= t) { vesselQueue.pollFirst(); vesselDone++; } }

        void startDive(Random r, long t, long now) {
            Dive d = new Dive(40_000L + dives++, "DIVER-" + (10 + r.nextInt(40)), siteCodes[r.nextInt(SITES)], t);
            underwater.put(d.diveId, d);
            long fireAt = t + 2 * DAY;
            diveAlarms.put(d.diveId, alarms.schedule(() -> { if (!d.surfaced) System.out.println("diver overdue " + d.diveId); }, fireAt - now, TimeUnit.MILLISECONDS));
        }

        void closeDive(long diveId) {
            Dive d = underwater.remove(diveId);
            d.surfaced = true;
            surfaced++;
            if (diveAlarms.remove(diveId).cancel(false)) alarmsCancelled++;
        }

        void runBatches(long firstId) throws InterruptedException {
            List<Thread> ts = new ArrayList<>();
            List<SensorBatch> bs = new ArrayList<>();
            for (int k = 0; k < BATCH_THREADS; k++) {
                SensorBatch b = new SensorBatch(firstId + k, 200 + (int) ((firstId + k) % 300));
                bs.add(b);
                Thread th = new Thread(b, "sensor-batch-" + (firstId + k));
                threads++;
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            batches += bs.size();
        }
    }

    static FarmService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(118_060_001);
        FarmService svc = new FarmService();
        SERVICE = svc;
        String[] species = {"Saccharina latissima", "Alaria esculenta", "Palmaria palmata", "Ulva lactuca"};
        for (int s = 0; s < SITES; s++) {
            double[] growth = new double[96];
            for (int k = 0; k < growth.length; k++) growth[k] = rnd.nextDouble() * 4;
            svc.siteCodes[s] = "SF" + (2_000 + s);
            SITES_BY_CODE.put(svc.siteCodes[s], new Site(svc.siteCodes[s], "Loch " + (s % 60), growth));
        }
        for (int i = 0; i < LINES; i++) {
            svc.lineIds[i] = "LL-" + (500_000 + i * 3);
            svc.lines.put(svc.lineIds[i], new Longline(svc.lineIds[i], svc.siteCodes[rnd.nextInt(SITES)], species[i % species.length], new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(200)) * DAY));
        }
        for (int k = 0; k < svc.calibrationGrid.length; k++) svc.calibrationGrid[k] = rnd.nextDouble();
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);
        svc.regulatorFeed = new ObjectOutputStream(svc.link);
        long[] thresholds = new long[RULES];
        int[] revs = new int[RULES];
        for (int k = 0; k < RULES; k++) thresholds[k] = 500 + rnd.nextInt(10_000);
        Random traffic = new Random(118_060_002), edits = new Random(118_060_003);
        long nextPush = start;
        java.util.PriorityQueue<long[]> surfacing = new java.util.PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - MINUTE - start) * i / READINGS;
            while (nextPush <= t) {
                svc.rules.pushes++;
                if (svc.rules.pushes % 4 == 0) { int k = edits.nextInt(RULES); thresholds[k] = 500 + edits.nextInt(10_000); revs[k]++; }
                for (int k = 0; k < RULES; k++) svc.rules.submit("HR-" + (100 + k), "rule HR-" + (100 + k) + " when line.frond_length_mm > " + thresholds[k] + " and site.nitrate < 9 then harvest_priority += " + (k % 4 + 1) + " // rev " + revs[k], thresholds[k], nextPush);
                nextPush += PUSH_EVERY;
            }
            while (!surfacing.isEmpty() && surfacing.peek()[0] <= t) svc.closeDive(surfacing.poll()[1]);
            svc.reading(traffic, t);
            svc.vessels(t);
            if (i % 120 == 0) { svc.startDive(traffic, t, now); surfacing.add(new long[] {t + (25 + traffic.nextInt(50)) * MINUTE, svc.dives - 1 + 40_000L}); }
            if (i % 600 == 0) svc.runBatches(900_000L + svc.batches);
        }
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        FarmService svc = SERVICE;
        RuleCompiler rc = svc.rules;
        System.out.println("sites " + SITES_BY_CODE.size() + " lines " + svc.lines.size() + " readings " + svc.readingCount + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.reportBuffers.size()
                + " vessel jobs " + svc.vesselJobs + " done " + svc.vesselDone + " backlog " + svc.vesselQueue.size() + " rule pushes " + rc.pushes + " submitted " + rc.submitted + " compilations " + rc.compilations
                + " hits " + rc.hits + " replaced " + rc.replaced + " cached " + rc.byText.size() + " dives " + svc.dives + " surfaced " + svc.surfaced + " underwater " + svc.underwater.size()
                + " alarms cancelled " + svc.alarmsCancelled + " alarm queue " + svc.alarms.getQueue().size() + " batches " + svc.batches + " threads " + svc.threads + " ingest contexts " + INGEST_CONTEXTS.size()
                + " feed messages " + svc.feedMessages + " resets " + svc.feedResets);
        check(SITES_BY_CODE.size() == SITES && svc.lines.size() == LINES, "reference data / directory");
        check(svc.readingCount == READINGS && svc.feedMessages == READINGS / 25 && svc.feedResets == svc.feedMessages, "readings / feed");
        check(rc.byText.size() == RULES && rc.active.size() == RULES && rc.compilations == RULES + rc.replaced && rc.pushes == HOURS * 2L, "rules");
        check(svc.surfaced + svc.underwater.size() == svc.dives && svc.alarmsCancelled == svc.surfaced && svc.alarms.getQueue().size() == svc.underwater.size(), "dive alarms");
        check(INGEST_CONTEXTS.isEmpty() && svc.threads == svc.batches, "ingest contexts removed");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.reportBuffers.size() == POOL, "pool");
        check(svc.readings[RING - 1] != null, "ring");
        check(svc.vesselDone + svc.vesselQueue.size() == svc.vesselJobs && !svc.vesselQueue.isEmpty(), "vessel queue");
    }
}
