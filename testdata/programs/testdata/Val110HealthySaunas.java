// hprofscan-dump: name=val110-healthy-saunas-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val110-healthy-saunas-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val110-healthy-saunas jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val110-healthy-saunas-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Validation set 110 (written blind), HEALTHY (growth series that warms up and plateaus): the booking
 * and check-in service of a chain of public saunas and spas. Cabin reference data, a bounded static
 * ring of recent humidity alerts, the guest directory, a cache of rendered day passes at its cap, a
 * pool of receipt buffers, a ring of visits (filling in stage 1, wrapping from stage 2), a queue of
 * booked treatments with its normal backlog, and look-alikes of the set's leaks done right: the 4
 * check-in workers keep a ThreadLocal StringBuilder scratch that is reset for every request; 5
 * installed aroma-infusion plugins each have their own class loader, kept on purpose (installed once,
 * never reloaded); the cabins' timetable files are read through a handle tracker and closed in a
 * finally, beside a bounded set of 4 journal segments kept open by design; and a static event outbox
 * is drained (every kind) by an hourly export. See VALIDATION110.md.
 */
public final class Val110HealthySaunas {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CABINS = 1_000, GUESTS = 22_000, PASS_CAP = 2_000, POOL = 8, RING = 8_192, ALERT_RING = 2_048, VISITS_PER_HOUR = 4_000, WORKERS = 4, SEGMENTS = 4, TIMETABLES = 24;
    static final String[] PLUGINS = {"eucalyptus", "birch-leaf", "pine-tar", "lavender", "mint-menthol"};

    record Cabin(String code, String spa, int maxCelsius, double[] temperatureProfile) {}
    record HumidityAlert(String cabinCode, int percent, long at) {}
    record Guest(String guestId, String name, String homeSpa, byte[] visitHistory, long memberSince) {}
    record DayPass(String key, byte[] rendered, long at) {}
    record Visit(String guestId, String cabinCode, int minutes, long at) {}
    record Treatment(String guestId, String kind, long startsAt) {}
    record SpaEvent(long seq, String kind, String guestId, long at, byte[] payload) {}
    record CheckIn(String guestId, String cabinCode, long at, long seed) {}

    /** The plugins' API, loaded once by the application class loader. */
    public interface AromaProgram {
        String name();
        void configure(String name);
        double doseMl(int cabinCelsius, int minute);
    }
    /** The plugin class: defined by every plugin's own loader (never by the application loader). */
    public static final class InfusionProgram implements AromaProgram {
        public static final double[] DOSING = new double[2_048];
        static { for (int i = 0; i < DOSING.length; i++) DOSING[i] = 0.5 + (i % 61) * 0.02; }
        String name = "unnamed";
        public InfusionProgram() {}
        public void configure(String n) { name = n; }
        public String name() { return name; }
        public double doseMl(int cabinCelsius, int minute) { return DOSING[(cabinCelsius * 13 + minute) & 2_047]; }
    }
    static final class PluginLoader extends ClassLoader {
        final String plugin; final Map<String, byte[]> bytecode;
        PluginLoader(String plugin, Map<String, byte[]> bytecode) {
            super("aroma-plugin-" + plugin, Val110HealthySaunas.class.getClassLoader());
            this.plugin = plugin; this.bytecode = bytecode;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
    record InstalledPlugin(String name, PluginLoader loader, AromaProgram program, long installedAt) {}

    /** An open file handle, tracked while open (timetable readers and journal segments). */
    static final class TrackedHandle implements Closeable {
        final long id; final String what; final Closeable resource; final Map<Long, TrackedHandle> tracker; final long openedAt;
        TrackedHandle(long id, String what, Closeable resource, Map<Long, TrackedHandle> tracker, long openedAt) {
            this.id = id; this.what = what; this.resource = resource; this.tracker = tracker; this.openedAt = openedAt;
            tracker.put(id, this);
        }
        @Override public void close() throws IOException { tracker.remove(id); resource.close(); }
    }

    static final class PassCache extends LinkedHashMap<String, DayPass> {
        long evicted;
        PassCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DayPass> e) { if (size() > PASS_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cabin> CABINS_BY_CODE = new HashMap<>();
    static final HumidityAlert[] RECENT_ALERTS = new HumidityAlert[ALERT_RING];
    static long alerts;
    static final List<SpaEvent> OUTBOX = new ArrayList<>();
    static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(1_024));

    static final class SpaService {
        final Map<String, Guest> guests = new HashMap<>();
        final String[] guestIds = new String[GUESTS];
        final PassCache passes = new PassCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Visit[] visits = new Visit[RING];
        final ArrayDeque<Treatment> treatments = new ArrayDeque<>();
        final Map<String, InstalledPlugin> plugins = new LinkedHashMap<>();
        final Map<Long, TrackedHandle> openHandles = new ConcurrentHashMap<>();
        final ArrayDeque<TrackedHandle> journalSegments = new ArrayDeque<>();
        final Map<String, Path> timetables = new HashMap<>();
        final ExecutorService workers;
        Path dir;
        long visitCount, seq, exported, exports, handleIds, timetableReads, segmentsRotated, journalBytes, treatmentsStarted;

        SpaService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "spa-worker-" + n.incrementAndGet()));
        }

        /** Runs on a check-in worker: renders the locker receipt in the thread's scratch builder. */
        String renderReceipt(CheckIn c) {
            StringBuilder sb = SCRATCH.get();
            sb.setLength(0);
            Random r = new Random(c.seed());
            sb.append("LOCKER RECEIPT\nguest ").append(c.guestId()).append("\ncabin ").append(c.cabinCode()).append("\nat ").append(c.at()).append('\n');
            int lines = 2 + r.nextInt(6);
            for (int l = 0; l < lines; l++) sb.append("item ").append(l).append(": towel/robe/slippers ").append(r.nextInt(90)).append('\n');
            String out = sb.toString();
            if (sb.capacity() > 16_384) SCRATCH.set(new StringBuilder(1_024)); // never keep an oversized scratch
            return out;
        }

        /** Reads a cabin's timetable (its first session line), closing the file in a finally. */
        String readTimetable(String cabinCode, long at) throws IOException {
            Path file = timetables.get("TT-" + (Math.abs(cabinCode.hashCode()) % TIMETABLES));
            BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 2_048);
            TrackedHandle h = new TrackedHandle(++handleIds, "timetable " + file.getFileName(), reader, openHandles, at);
            try {
                String line;
                while ((line = reader.readLine()) != null) if (line.startsWith(cabinCode.substring(0, 3))) return line;
                return null;
            } finally {
                h.close();
                timetableReads++;
            }
        }

        /** Appends to the newest journal segment; rotates at 64 KiB, keeping the newest SEGMENTS open. */
        void journal(String text, long at) throws IOException {
            TrackedHandle seg = journalSegments.peekLast();
            FileChannel ch = (FileChannel) seg.resource;
            if (ch.size() > 65_536) {
                seg = openSegment(at);
                segmentsRotated++;
                if (journalSegments.size() > SEGMENTS) journalSegments.pollFirst().close();
                ch = (FileChannel) seg.resource;
            }
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) journalBytes += ch.write(b);
        }

        TrackedHandle openSegment(long at) throws IOException {
            Path p = dir.resolve("journal-" + (segmentsRotated + journalSegments.size()) + ".log");
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            TrackedHandle h = new TrackedHandle(++handleIds, "journal " + p.getFileName(), ch, openHandles, at);
            journalSegments.addLast(h);
            return h;
        }

        void export(long at) {
            synchronized (OUTBOX) { exported += OUTBOX.size(); OUTBOX.clear(); }
            exports++;
        }
    }

    static SpaService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(110_050_001);
        String[] spas = {"Kotiharju", "Allas", "Loyly", "Sompasauna", "Kulttuurisauna", "Arla", "Yrjonkatu", "Rajaportti"};
        String[] cabinCodes = new String[CABINS];
        for (int c = 0; c < CABINS; c++) {
            double[] profile = new double[48];
            for (int k = 0; k < profile.length; k++) profile[k] = 60 + rnd.nextDouble() * 45;
            cabinCodes[c] = spas[c % spas.length].substring(0, 3).toUpperCase() + "-" + (100 + c);
            CABINS_BY_CODE.put(cabinCodes[c], new Cabin(cabinCodes[c], spas[c % spas.length], 70 + rnd.nextInt(40), profile));
        }
        SpaService svc = new SpaService();
        SERVICE = svc;
        for (int g = 0; g < GUESTS; g++) {
            svc.guestIds[g] = "G" + (5_400_000 + g * 7);
            svc.guests.put(svc.guestIds[g], new Guest(svc.guestIds[g], "Guest " + g, spas[rnd.nextInt(spas.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        // installed plugins: one loader each, for the life of the service
        Map<String, byte[]> bytecode = new HashMap<>();
        try (InputStream in = Val110HealthySaunas.class.getResourceAsStream("Val110HealthySaunas$InfusionProgram.class")) {
            bytecode.put(Val110HealthySaunas.class.getName() + "$InfusionProgram", in.readAllBytes());
        }
        for (String p : PLUGINS) {
            PluginLoader l = new PluginLoader(p, bytecode);
            AromaProgram prog = (AromaProgram) l.loadClass(Val110HealthySaunas.class.getName() + "$InfusionProgram").getDeclaredConstructor().newInstance();
            prog.configure(p);
            svc.plugins.put(p, new InstalledPlugin(p, l, prog, start - 30 * DAY));
        }
        // files: cabin timetables (read per check-in) and the journal
        svc.dir = Files.createTempDirectory("val110-saunas-");
        for (int t = 0; t < TIMETABLES; t++) {
            Path f = svc.dir.resolve("TT-" + t + ".txt");
            try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                for (int l = 0; l < 300; l++) { w.write(spas[rnd.nextInt(spas.length)].substring(0, 3).toUpperCase() + " session " + (6 + l % 16) + ":00 " + (40 + rnd.nextInt(80)) + " min"); w.newLine(); }
            }
            svc.timetables.put("TT-" + t, f);
        }
        for (int s = 0; s < SEGMENTS; s++) svc.openSegment(start);

        Random traffic = new Random(110_050_002);
        String[] kinds = {"birch whisking", "salt scrub", "massage 30", "massage 60", "peat wrap"};
        String[] pluginNames = PLUGINS;
        int requests = VISITS_PER_HOUR * hours;
        long nextExport = start + 30 * MINUTE;
        final int chunk = 64;
        List<CheckIn> batch = new ArrayList<>(chunk);
        List<Future<String>> futures = new ArrayList<>(chunk);
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            batch.add(new CheckIn(svc.guestIds[traffic.nextInt(GUESTS)], cabinCodes[traffic.nextInt(CABINS)], t, traffic.nextLong()));
            if (batch.size() < chunk && i < requests - 1) continue;
            for (CheckIn c : batch) futures.add(svc.workers.submit(() -> svc.renderReceipt(c)));
            for (int k = 0; k < batch.size(); k++) {
                CheckIn c = batch.get(k);
                String receipt = futures.get(k).get();
                while (nextExport <= c.at()) { svc.export(nextExport); nextExport += HOUR; }
                Random r = new Random(c.seed() ^ 0x5a5a);
                svc.visits[(int) (svc.visitCount++ % RING)] = new Visit(c.guestId(), c.cabinCode(), 30 + r.nextInt(120), c.at());
                String key = c.guestId().substring(0, 6) + "/" + r.nextInt(5_000);
                if (svc.passes.get(key) == null) svc.passes.put(key, new DayPass(key, new byte[400 + r.nextInt(400)], c.at()));
                byte[] buf = svc.receiptBuffers.poll();
                buf[(int) (svc.visitCount % buf.length)] = (byte) receipt.length();
                svc.receiptBuffers.add(buf);
                svc.readTimetable(c.cabinCode(), c.at());
                svc.journal(c.guestId() + " " + c.cabinCode() + " " + c.at() + "\n", c.at());
                double dose = svc.plugins.get(pluginNames[r.nextInt(pluginNames.length)]).program().doseMl(80, (int) (c.at() / MINUTE % 60));
                synchronized (OUTBOX) { OUTBOX.add(new SpaEvent(++svc.seq, "CHECK_IN", c.guestId(), c.at(), new byte[40 + r.nextInt(80)])); }
                if (r.nextInt(4) == 0) {
                    RECENT_ALERTS[(int) (alerts++ % ALERT_RING)] = new HumidityAlert(c.cabinCode(), 60 + (int) dose, c.at());
                }
                if (r.nextInt(5) == 0) svc.treatments.addLast(new Treatment(c.guestId(), kinds[r.nextInt(kinds.length)], c.at() + 20 * MINUTE));
                while (!svc.treatments.isEmpty() && svc.treatments.peekFirst().startsAt() <= c.at()) { svc.treatments.pollFirst(); svc.treatmentsStarted++; }
            }
            batch.clear();
            futures.clear();
        }
    }

    static void deleteFiles() throws IOException {
        SpaService svc = SERVICE;
        if (svc == null || svc.dir == null) return;
        try (Stream<Path> files = Files.walk(svc.dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        try {
            simulate(hours);
            SpaService svc = SERVICE;
            int requests = VISITS_PER_HOUR * hours;
            System.out.println("stage " + stage + " cabins " + CABINS_BY_CODE.size() + " guests " + svc.guests.size() + " visits " + svc.visitCount + " passes " + svc.passes.size() + " (evicted " + svc.passes.evicted + ") pool " + svc.receiptBuffers.size()
                    + " treatments waiting " + svc.treatments.size() + " (started " + svc.treatmentsStarted + ") plugins " + svc.plugins.size() + " alerts " + alerts + " timetable reads " + svc.timetableReads
                    + " open handles " + svc.openHandles.size() + " journal segments " + svc.journalSegments.size() + " (rotated " + svc.segmentsRotated + ", " + svc.journalBytes + " bytes) outbox " + OUTBOX.size() + " (exported " + svc.exported + " in " + svc.exports + " runs)");
            check(CABINS_BY_CODE.size() == CABINS && svc.guests.size() == GUESTS, "reference data / directory");
            check(svc.visitCount == requests && svc.timetableReads == requests, "requests");
            check(svc.openHandles.size() == SEGMENTS && svc.journalSegments.size() == SEGMENTS, "open handles: only the journal segments");
            check(svc.plugins.size() == PLUGINS.length, "plugins");
            check(svc.passes.size() == PASS_CAP && svc.passes.evicted > 0, "pass cache at cap");
            check(svc.receiptBuffers.size() == POOL, "pool");
            check(svc.visits[Math.min(requests, RING) - 1] != null, "ring");
            check(stage == 1 ? alerts > 500 && alerts < ALERT_RING : alerts > ALERT_RING, "alert ring " + alerts);
            check(svc.exports == hours && OUTBOX.size() > 1_500 && OUTBOX.size() < 2_500, "outbox " + OUTBOX.size());
            check(svc.treatments.size() > 100 && svc.treatments.size() < 400, "treatments " + svc.treatments.size());
            svc = null;
            LeakCheck.histogram("PluginLoader", "FileChannelImpl", "BufferedReader");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
        } finally {
            deleteFiles();
        }
        System.exit(0);
    }
}
