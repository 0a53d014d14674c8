// hprofscan-dump: name=val16-healthy-windfarm-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val16-healthy-windfarm-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val16-healthy-windfarm jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val16-healthy-windfarm-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 16 (written blind), HEALTHY, series (warms, then flat): the SCADA historian of an
 * offshore wind farm. Every turbine's tags are polled over Modbus; the historian compresses them
 * into blocks and keeps the most recently read blocks in an LRU (3,000 blocks); alarms go to a
 * capped journal (2,000). Stage 1 after 1 hour (1,200 blocks, 800 alarms: still filling), stage 2
 * after 4 hours (both at their caps), stage 3 after 8 hours (same sizes). Legitimate, all of it:
 * the tag registry (a static map of 110,000 tag definitions loaded once, the biggest structure),
 * the 150 turbines with a preallocated 7-day ring of 10-minute power averages, the block LRU, the
 * alarm journal, a pool of Modbus frame buffers (all returned) and a fixed pool of poller threads
 * with a per-thread buffer reset on every task. See testdata/VALIDATION16.md.
 */
public final class Val16HealthyWindFarm {
    static final int TAGS = 110_000;
    static final int TURBINES = 150;
    static final int RING = 7 * 24 * 6;
    static final int BLOCK_CAP = 3_000;
    static final int BLOCKS_PER_HOUR = 1_200;
    static final int ALARM_CAP = 2_000;
    static final int ALARMS_PER_HOUR = 800;
    static final int FRAMES = 48;
    static final int FRAME_BYTES = 16 * 1024;
    static final int POLLERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static Historian HISTORIAN;

    /** Per-thread Modbus receive buffer, cleared at the start of every poll task. */
    static final ThreadLocal<byte[]> MODBUS_RX = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

    static final class TagDef { final int id; final String name; final String unit; final double[] limits;
        TagDef(int id, String name, String unit, double[] limits) { this.id = id; this.name = name; this.unit = unit; this.limits = limits; } }

    /** Reference data: every tag of every turbine and substation, loaded once at startup. */
    static final class TagRegistry {
        static final Map<Integer, TagDef> TAGS_BY_ID = new HashMap<>();
    }

    static final class Turbine { final String id; final double ratedKw; final float[] powerRing = new float[RING]; int cursor; long lastAverageAt;
        Turbine(String id, double ratedKw) { this.id = id; this.ratedKw = ratedKw; } }

    static final class HistBlock { final String key; final int tagId; final long fromMs; final long toMs; final byte[] compressed;
        HistBlock(String key, int tagId, long fromMs, long toMs, byte[] compressed) { this.key = key; this.tagId = tagId; this.fromMs = fromMs; this.toMs = toMs; this.compressed = compressed; } }

    static final class BlockLru extends LinkedHashMap<String, HistBlock> {
        long evicted;
        BlockLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HistBlock> e) { if (size() > BLOCK_CAP) { evicted++; return true; } return false; }
    }

    static final class Alarm { final int tagId; final String severity; final String text; final long raisedAt; final double value;
        Alarm(int tagId, String severity, String text, long raisedAt, double value) { this.tagId = tagId; this.severity = severity; this.text = text; this.raisedAt = raisedAt; this.value = value; } }

    static final class FramePool {
        final ArrayBlockingQueue<byte[]> idle = new ArrayBlockingQueue<>(FRAMES);
        FramePool() { for (int i = 0; i < FRAMES; i++) idle.add(new byte[FRAME_BYTES]); }
        byte[] borrow() throws InterruptedException { return idle.take(); }
        void giveBack(byte[] b) { Arrays.fill(b, (byte) 0); idle.add(b); }
    }

    static final class Historian {
        final Turbine[] turbines = new Turbine[TURBINES];
        final BlockLru blocks = new BlockLru();
        final ArrayDeque<Alarm> alarms = new ArrayDeque<>();
        long alarmsRotated;
        final FramePool frames = new FramePool();
        final AtomicInteger pollSeq = new AtomicInteger();
        final ThreadPoolExecutor pollers = new ThreadPoolExecutor(POLLERS, POLLERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "scada-poll-" + pollSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        void alarm(Alarm a) { alarms.addLast(a); if (alarms.size() > ALARM_CAP) { alarms.removeFirst(); alarmsRotated++; } }

        int poll(int turbine) throws InterruptedException {
            byte[] rx = MODBUS_RX.get();
            Arrays.fill(rx, (byte) 0);
            byte[] frame = frames.borrow();
            try {
                frame[0] = (byte) turbine; rx[1] = frame[0];
                return rx[1];
            } finally { frames.giveBack(frame); }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(16_040_004);
        Historian h = new Historian();
        HISTORIAN = h;
        for (int i = 0; i < 40; i++) h.config.setProperty("scada.modbus.unit." + i, "10.40." + (i / 8) + "." + (20 + i));
        String[] units = {"degC", "kW", "rpm", "m/s", "deg", "bar", "A", "V", "Hz", "%"};
        String[] parts = {"gearbox.bearing-temp", "generator.winding-temp", "rotor.speed", "nacelle.wind-speed", "yaw.angle", "hydraulic.pressure", "converter.current", "grid.voltage", "grid.frequency", "pitch.blade-position"};
        for (int i = 0; i < TAGS; i++) {
            double[] lim = new double[4];
            for (int k = 0; k < 4; k++) lim[k] = k * 10 + rnd.nextDouble() * 10;
            int id = 700_000 + i;
            TagRegistry.TAGS_BY_ID.put(id, new TagDef(id, "WTG-" + (i % TURBINES) + "." + parts[i % 10] + "-" + (i / 1_500), units[i % 10], lim));
        }
        for (int t = 0; t < TURBINES; t++) {
            Turbine tb = new Turbine("WTG-" + t, 8_000 + (t % 3) * 1_000);
            for (int k = 0; k < RING; k++) tb.powerRing[k] = rnd.nextFloat() * (float) tb.ratedKw;
            h.turbines[t] = tb;
        }
        CyclicBarrier ready = new CyclicBarrier(POLLERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < POLLERS; w++) warm.add(h.pollers.submit(() -> { MODBUS_RX.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // Blocks and alarms spread evenly up to the dump; every block is a new (tag, 5-minute window).
        int blocks = (int) (BLOCKS_PER_HOUR * hours);
        for (int i = 0; i < blocks; i++) {
            long t = start + (now - start) * i / blocks;
            int tag = 700_000 + rnd.nextInt(TAGS);
            long from = t - 5 * MINUTE;
            String key = tag + "@" + from;
            byte[] c = new byte[960 + rnd.nextInt(128)];
            rnd.nextBytes(c);
            h.blocks.put(key, new HistBlock(key, tag, from, t, c));
            if (i % 3 == 0) h.blocks.get(key);
        }
        int alarms = (int) (ALARMS_PER_HOUR * hours);
        String[] sev = {"INFO", "WARN", "FAULT", "TRIP"};
        for (int i = 0; i < alarms; i++) {
            long t = start + (now - start) * i / alarms;
            int tag = 700_000 + rnd.nextInt(TAGS);
            h.alarm(new Alarm(tag, sev[i % 4], "limit exceeded on " + TagRegistry.TAGS_BY_ID.get(tag).name, t, rnd.nextDouble() * 100));
        }
        for (Turbine tb : h.turbines) { tb.lastAverageAt = now - (now % (10 * MINUTE)); tb.cursor = (int) ((tb.lastAverageAt / (10 * MINUTE)) % RING); }
        List<Future<Integer>> polls = new ArrayList<>();
        for (int t = 0; t < TURBINES; t++) { final int tt = t; polls.add(h.pollers.submit(() -> h.poll(tt))); }
        for (Future<Integer> f : polls) f.get();
        int expectedBlocks = Math.min(blocks, BLOCK_CAP);
        System.out.println("stage " + stage + " tags " + TagRegistry.TAGS_BY_ID.size() + " turbines " + TURBINES + " blocks " + h.blocks.size() + " (evicted " + h.blocks.evicted + ") alarms " + h.alarms.size() + " (rotated " + h.alarmsRotated + ") idle frames " + h.frames.idle.size());
        check(TagRegistry.TAGS_BY_ID.size() == TAGS, "tag registry");
        check(h.blocks.size() == expectedBlocks && h.blocks.evicted == blocks - expectedBlocks, "block lru");
        check(h.alarms.size() == Math.min(alarms, ALARM_CAP) && h.alarmsRotated == alarms - h.alarms.size(), "alarm journal");
        check(h.frames.idle.size() == FRAMES && h.pollers.getPoolSize() == POLLERS && h.pollers.getCompletedTaskCount() == POLLERS + TURBINES, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
