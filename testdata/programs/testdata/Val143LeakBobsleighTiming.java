// hprofscan-dump: name=val143-leak-bobsleightiming jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val143-leak-bobsleightiming-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 143 (written blind), LEAK: the timing and scoring server of an artificial ice
 * track (bobsleigh, luge, skeleton: training runs and races). Track-section reference data, the
 * sled / athlete registry, an LRU of rendered start lists at its cap, a pool of video-frame
 * buffers, a ring of split times, a queue of results for the TV graphics with a normal backlog,
 * and the decoder of the timing units' messages: every photocell unit sends each split as one
 * Java-serialised datagram, and the server reads it with a new {@code TimingInputStream} (an
 * ObjectInputStream subclass) per message. The stream registers every class descriptor it resolves
 * in {@code TimingInputStream.DESCRIPTORS}, a static map keyed by class name plus the stream's id:
 * a per-stream cache written when the units kept one TCP stream open per session, never cleared, so
 * it gains an entry per descriptor per message. See VALIDATION143.md.
 */
public final class Val143LeakBobsleighTiming {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SECTIONS = 1_000, SLEDS = 16_000, LIST_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, RUNS = 600, CHECKPOINTS = 9;
    static boolean FIXED;

    record TrackSection(String code, String track, int curveNo, double[] iceTemperatureProfile) {}
    record Sled(String sledId, String discipline, String nation, String pilot, byte[] homologation, long registeredAt) {}
    record StartList(String key, byte[] rendered, long at) {}
    record Split(long runId, String sledId, int checkpoint, long elapsedMicros, int speedCentiKmh, long at) {}
    record TvResult(long runId, String sledId, long totalMicros, int rank, long queuedAt) {}

    // ---- what the timing units send ----
    static final class UnitInfo implements Serializable {
        private static final long serialVersionUID = 7L;
        final String unitId; final short firmware; final byte channel;
        UnitInfo(String unitId, short firmware, byte channel) { this.unitId = unitId; this.firmware = firmware; this.channel = channel; }
    }
    static final class SplitMessage implements Serializable {
        private static final long serialVersionUID = 12L;
        final long runId; final String sledId; final int checkpoint; final long elapsedMicros; final int speedCentiKmh; final int[] photocellRaw; final UnitInfo unit;
        SplitMessage(long runId, String sledId, int checkpoint, long elapsedMicros, int speedCentiKmh, int[] photocellRaw, UnitInfo unit) { this.runId = runId; this.sledId = sledId; this.checkpoint = checkpoint; this.elapsedMicros = elapsedMicros; this.speedCentiKmh = speedCentiKmh; this.photocellRaw = photocellRaw; this.unit = unit; }
    }

    static final Set<String> ALLOWED = Set.of(SplitMessage.class.getName(), UnitInfo.class.getName(), "[I");

    /** One stream per datagram. */
    static final class TimingInputStream extends ObjectInputStream {
        /** Descriptors resolved per stream: "class name#stream id" -> descriptor. Never cleared. */
        static final Map<String, ObjectStreamClass> DESCRIPTORS = new HashMap<>();
        final String streamId;
        final Map<String, ObjectStreamClass> own = new HashMap<>(); // the fix: the stream's own cache
        TimingInputStream(byte[] datagram, String streamId) throws IOException { super(new ByteArrayInputStream(datagram)); this.streamId = streamId; }
        @Override protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (!ALLOWED.contains(desc.getName())) throw new InvalidClassException(desc.getName(), "not a timing class");
            if (FIXED) own.putIfAbsent(desc.getName(), desc);
            else DESCRIPTORS.putIfAbsent(desc.getName() + "#" + streamId, desc);
            return super.resolveClass(desc);
        }
    }

    static final class ListCache extends LinkedHashMap<String, StartList> {
        long evicted;
        ListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StartList> e) { if (size() > LIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TrackSection> SECTIONS_BY_CODE = new HashMap<>();

    static final class TimingService {
        final Map<String, Sled> sleds = new HashMap<>();
        final String[] sledIds = new String[SLEDS];
        final ListCache startLists = new ListCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Split[] splits = new Split[RING];
        final ArrayDeque<TvResult> tvQueue = new ArrayDeque<>();
        long datagrams, decoded, splitCount, runs, tvSent, framesGrabbed, listViews;

        static byte[] encode(SplitMessage m) {
            try {
                ByteArrayOutputStream bos = new ByteArrayOutputStream(512);
                try (ObjectOutputStream out = new ObjectOutputStream(bos)) { out.writeObject(m); }
                return bos.toByteArray();
            } catch (IOException e) { throw new UncheckedIOException(e); }
        }

        SplitMessage decode(byte[] datagram, String unitId) {
            datagrams++;
            try (TimingInputStream in = new TimingInputStream(datagram, unitId + "/" + Long.toHexString(0x5100_0000L + datagrams))) {
                SplitMessage m = (SplitMessage) in.readObject();
                decoded++;
                return m;
            } catch (IOException e) { throw new UncheckedIOException(e); }
            catch (ClassNotFoundException e) { throw new IllegalStateException(e); }
        }

        void run(long runId, Random r, long t) {
            String sled = sledIds[r.nextInt(SLEDS)];
            long elapsed = 0;
            for (int c = 0; c < CHECKPOINTS; c++) {
                elapsed += 4_800_000L + r.nextInt(1_500_000);
                int[] raw = new int[6 + r.nextInt(10)];
                for (int k = 0; k < raw.length; k++) raw[k] = r.nextInt(4_096);
                String unitId = "PC-" + (c == 0 ? "START" : c == CHECKPOINTS - 1 ? "FINISH" : "I" + c);
                byte[] datagram = encode(new SplitMessage(runId, sled, c, elapsed, 9_000 + r.nextInt(6_000), raw, new UnitInfo(unitId, (short) 412, (byte) (c % 4))));
                SplitMessage m = decode(datagram, unitId);
                splits[(int) (splitCount++ % RING)] = new Split(m.runId, m.sledId, m.checkpoint, m.elapsedMicros, m.speedCentiKmh, t + m.elapsedMicros / 1_000);
            }
            runs++;
            byte[] frame = frameBuffers.poll();
            frame[(int) (runs % frame.length)] = (byte) runId;
            frameBuffers.add(frame);
            framesGrabbed++;
            tvQueue.add(new TvResult(runId, sled, elapsed, 1 + r.nextInt(30), t));
            for (int v = 3 + r.nextInt(8); v > 0; v--) {
                listViews++;
                String key = "startlist-" + r.nextInt(5_000);
                if (startLists.get(key) == null) startLists.put(key, new StartList(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        void sendTv(long t) {
            while (!tvQueue.isEmpty() && tvQueue.peek().queuedAt() + 4 * MINUTE <= t) { tvQueue.poll(); tvSent++; }
        }
    }

    static TimingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(143_030_001);
        String[] tracks = {"Koenigssee", "Altenberg", "Igls", "Lake Placid", "Whistler", "La Plagne", "Sigulda", "St. Moritz", "Cortina", "Yanqing", "Pyeongchang", "Winterberg"};
        for (int s = 0; s < SECTIONS; s++) {
            double[] ice = new double[64];
            for (int k = 0; k < ice.length; k++) ice[k] = -8 + rnd.nextDouble() * 4;
            String code = "SEC-" + (1_000 + s);
            SECTIONS_BY_CODE.put(code, new TrackSection(code, tracks[s % tracks.length], 1 + s % 19, ice));
        }
        TimingService svc = new TimingService();
        SERVICE = svc;
        String[] disciplines = {"2-man bob", "4-man bob", "monobob", "luge singles", "luge doubles", "skeleton"};
        String[] nations = {"GER", "AUT", "SUI", "LAT", "CAN", "USA", "ITA", "GBR", "KOR", "CHN", "RUS", "NOR"};
        for (int i = 0; i < SLEDS; i++) {
            String id = "SL-" + (60_000 + i * 7);
            svc.sledIds[i] = id;
            svc.sleds.put(id, new Sled(id, disciplines[rnd.nextInt(disciplines.length)], nations[rnd.nextInt(nations.length)], "Pilot " + i, new byte[150 + rnd.nextInt(150)], today - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(143_030_002);
        for (int i = 0; i < RUNS; i++) {
            long t = start + (end - MINUTE - start) * i / RUNS;
            svc.run(7_700_000L + i, traffic, t);
            svc.sendTv(t);
        }
    }

    static final long[] EXPECT = {16_200, 797, 5}; // leaking run: descriptor entries, start lists evicted, TV backlog

    static void report() {
        TimingService svc = SERVICE;
        Map<String, ObjectStreamClass> d = TimingInputStream.DESCRIPTORS;
        int splitDescs = 0, unitDescs = 0, arrayDescs = 0;
        for (String k : d.keySet()) {
            if (k.startsWith(SplitMessage.class.getName() + "#")) splitDescs++;
            else if (k.startsWith(UnitInfo.class.getName() + "#")) unitDescs++;
            else if (k.startsWith("[I#")) arrayDescs++;
        }
        long[] got = {d.size(), svc.startLists.evicted, svc.tvQueue.size()};
        System.out.println((FIXED ? "FIXED " : "") + "sections " + SECTIONS_BY_CODE.size() + " sleds " + svc.sleds.size() + " runs " + svc.runs + " datagrams " + svc.datagrams + " decoded " + svc.decoded
                + " descriptor cache " + got[0] + " (SplitMessage " + splitDescs + ", UnitInfo " + unitDescs + ", int[] " + arrayDescs + ") splits " + svc.splitCount + " start lists " + svc.startLists.size() + " (views " + svc.listViews + ", evicted " + got[1] + ")"
                + " frames " + svc.framesGrabbed + " tv " + svc.tvSent + " backlog " + got[2] + " pool " + svc.frameBuffers.size());
        check(SECTIONS_BY_CODE.size() == SECTIONS && svc.sleds.size() == SLEDS, "reference data / directory");
        check(svc.runs == RUNS && svc.datagrams == (long) RUNS * CHECKPOINTS && svc.decoded == svc.datagrams && svc.splitCount == svc.datagrams, "traffic");
        if (FIXED) check(d.isEmpty(), "no static descriptors");
        else check(d.size() == 3 * svc.datagrams && splitDescs == svc.datagrams && unitDescs == svc.datagrams && arrayDescs == svc.datagrams, "three descriptors per datagram");
        check(svc.startLists.size() == LIST_CAP && svc.startLists.evicted > 0, "start-list cache at cap");
        check(svc.frameBuffers.size() == POOL && svc.splits[RING - 1] != null, "pool / ring");
        for (int k = FIXED ? 1 : 0; k < EXPECT.length; k++) check(got[k] == EXPECT[k], "count #" + k + " is " + got[k] + ", expected " + EXPECT[k]);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val143.fixed");
        simulate();
        report();
        LeakCheck.histogram("java.io.ObjectStreamClass", "java.io.ObjectStreamField");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
