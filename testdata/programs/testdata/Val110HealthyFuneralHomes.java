// hprofscan-dump: name=val110-healthy-funeralhomes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val110-healthy-funeralhomes-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Validation set 110 (written blind), HEALTHY: the arrangements service of a group of funeral
 * directors. Venue reference data, a bounded static ring of recently published obituary notices, the
 * family-contact directory, a cache of rendered order-of-service booklets at its cap, a pool of PDF
 * buffers, a condolence-moderation queue with its normal backlog, and look-alikes of the set's leaks
 * done right: the 4 arrangement workers reuse a fixed ThreadLocal scratch buffer; 3 installed
 * stationery plugins each have their own class loader, kept on purpose, and each registered its print
 * shop's JDBC driver once (3 drivers, installed for the life of the service, never reloaded); the
 * venues' price lists are read with try-with-resources, beside a fixed pool of 6 archive file channels
 * kept open by design; and a static CRM outbox is drained (every kind) every 15 minutes.
 * See VALIDATION110.md.
 */
public final class Val110HealthyFuneralHomes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 1_100, FAMILIES = 24_000, BOOKLET_CAP = 2_000, POOL = 10, NOTICE_RING = 4_096, ARRANGEMENTS = 30_000, HOURS = 10, WORKERS = 4, ARCHIVE_CHANNELS = 6, PRICE_LISTS = 20;
    static final String[] PLUGINS = {"memorial-cards", "hymn-sheets", "florist-orders"};

    record Venue(String code, String name, String kind, double[] weeklyAvailability) {}
    record Notice(String noticeId, String deceased, String venueCode, long publishedAt) {}
    record Family(String contactId, String name, String phone, byte[] arrangementNotes, long firstContactAt) {}
    record Booklet(String key, byte[] pdf, long at) {}
    record Condolence(String noticeId, String from, byte[] message, long postedAt) {}
    record CrmEvent(long seq, String kind, String contactId, long at, byte[] payload) {}
    record Arrangement(String contactId, String venueCode, long at, long seed) {}
    record Draft(String contactId, int checksum) {}

    /** The stationery plugins' API, loaded once by the application class loader. */
    public interface StationeryPlugin {
        String name();
        void configure(String name);
        int layout(int pages, int photos);
    }
    /** Plugin class, defined by each plugin's own loader. */
    public static final class StationeryLayout implements StationeryPlugin {
        public static final int[] GRID = new int[4_096];
        static { for (int i = 0; i < GRID.length; i++) GRID[i] = (i * 37) % 211; }
        String name = "unnamed";
        public StationeryLayout() throws Exception {
            Class.forName(StationeryLayout.class.getName().replace("StationeryLayout", "PrintShopDriver"), true, StationeryLayout.class.getClassLoader());
        }
        public String name() { return name; }
        public void configure(String n) { name = n; }
        public int layout(int pages, int photos) { return GRID[(pages * 64 + photos) & 4_095]; }
    }
    /** The print shop's JDBC driver shipped with each plugin (plugin class): registers itself. */
    public static final class PrintShopDriver implements Driver {
        static {
            try { DriverManager.registerDriver(new PrintShopDriver()); } catch (SQLException e) { throw new ExceptionInInitializerError(e); }
        }
        public PrintShopDriver() {}
        @Override public Connection connect(String url, Properties info) { return null; }
        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith("jdbc:printshop:"); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 1; }
        @Override public int getMinorVersion() { return 9; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() { return Logger.getLogger("printshop"); }
    }
    static final class PluginLoader extends ClassLoader {
        final String plugin; final Map<String, byte[]> bytecode;
        PluginLoader(String plugin, Map<String, byte[]> bytecode) {
            super("stationery-plugin-" + plugin, Val110HealthyFuneralHomes.class.getClassLoader());
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
    record InstalledPlugin(String name, PluginLoader loader, StationeryPlugin plugin, long installedAt) {}

    static final class BookletCache extends LinkedHashMap<String, Booklet> {
        long evicted;
        BookletCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Booklet> e) { if (size() > BOOKLET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();
    static final Notice[] RECENT_NOTICES = new Notice[NOTICE_RING];
    static long notices;
    static final List<CrmEvent> CRM_OUTBOX = new ArrayList<>();
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class ArrangementService {
        final Map<String, Family> families = new HashMap<>();
        final String[] contactIds = new String[FAMILIES];
        final BookletCache booklets = new BookletCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final ArrayDeque<Condolence> moderation = new ArrayDeque<>();
        final Map<String, InstalledPlugin> plugins = new LinkedHashMap<>();
        final ArrayBlockingQueue<FileChannel> archiveChannels = new ArrayBlockingQueue<>(ARCHIVE_CHANNELS);
        final Map<String, Path> priceLists = new HashMap<>();
        final ExecutorService workers;
        Path dir;
        long arrangements, seq, exported, exports, priceReads, archiveReads, moderated;

        ArrangementService() {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "arrangement-worker-" + n.incrementAndGet()));
        }

        /** Runs on a worker: drafts the order of service in the thread's fixed scratch buffer. */
        Draft draft(Arrangement a) {
            byte[] scratch = SCRATCH.get();
            Random r = new Random(a.seed());
            int len = 2_000 + r.nextInt(12_000), sum = 0;
            for (int i = 0; i < len; i++) { scratch[i] = (byte) (i * 31 + a.contactId().charAt(i % a.contactId().length())); sum += scratch[i]; }
            return new Draft(a.contactId(), sum);
        }

        String readPriceList(String venueCode) throws IOException {
            Path file = priceLists.get("PL-" + (Math.abs(venueCode.hashCode()) % PRICE_LISTS));
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 2_048)) {
                priceReads++;
                String line;
                while ((line = reader.readLine()) != null) if (line.startsWith(venueCode.substring(0, 2))) return line;
                return null;
            }
        }

        int readArchive(long position, byte[] into) throws Exception {
            FileChannel ch = archiveChannels.take();
            try {
                archiveReads++;
                return ch.read(ByteBuffer.wrap(into, 0, 512), position % (ch.size() - 512));
            } finally {
                archiveChannels.put(ch);
            }
        }
    }

    static ArrangementService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(110_060_001);
        String[] kinds = {"chapel", "crematorium", "church", "woodland burial ground", "community hall"};
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] avail = new double[40];
            for (int k = 0; k < avail.length; k++) avail[k] = rnd.nextDouble();
            venueCodes[v] = kinds[v % kinds.length].substring(0, 2).toUpperCase() + "-" + (400 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], "Venue " + v, kinds[v % kinds.length], avail));
        }
        ArrangementService svc = new ArrangementService();
        SERVICE = svc;
        for (int f = 0; f < FAMILIES; f++) {
            svc.contactIds[f] = "FC-" + (300_000 + f * 11);
            svc.families.put(svc.contactIds[f], new Family(svc.contactIds[f], "Family " + f, "07" + (700_000_000 + rnd.nextInt(99_999_999)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Map<String, byte[]> bytecode = new HashMap<>();
        for (String simple : new String[] {"StationeryLayout", "PrintShopDriver"}) {
            try (InputStream in = Val110HealthyFuneralHomes.class.getResourceAsStream("Val110HealthyFuneralHomes$" + simple + ".class")) {
                bytecode.put(Val110HealthyFuneralHomes.class.getName() + "$" + simple, in.readAllBytes());
            }
        }
        for (String p : PLUGINS) {
            PluginLoader l = new PluginLoader(p, bytecode);
            StationeryPlugin plugin = (StationeryPlugin) l.loadClass(Val110HealthyFuneralHomes.class.getName() + "$StationeryLayout").getDeclaredConstructor().newInstance();
            plugin.configure(p);
            svc.plugins.put(p, new InstalledPlugin(p, l, plugin, start - 90 * DAY));
        }
        svc.dir = Files.createTempDirectory("val110-funeralhomes-");
        for (int k = 0; k < PRICE_LISTS; k++) {
            Path f = svc.dir.resolve("PL-" + k + ".csv");
            try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                for (int l = 0; l < 200; l++) { w.write(kinds[rnd.nextInt(kinds.length)].substring(0, 2).toUpperCase() + ";service " + l + ";" + (400 + rnd.nextInt(4_000)) + ".00"); w.newLine(); }
            }
            svc.priceLists.put("PL-" + k, f);
        }
        Path archive = svc.dir.resolve("archive.dat");
        byte[] block = new byte[65_536];
        rnd.nextBytes(block);
        Files.write(archive, block);
        for (int c = 0; c < ARCHIVE_CHANNELS; c++) svc.archiveChannels.add(FileChannel.open(archive, StandardOpenOption.READ));

        Random traffic = new Random(110_060_002);
        String[] eventKinds = {"ENQUIRY", "ARRANGEMENT_MEETING", "QUOTE_SENT", "DEPOSIT_PAID"};
        long nextExport = start + 15 * MINUTE;
        final int chunk = 64;
        List<Arrangement> batch = new ArrayList<>(chunk);
        List<Future<Draft>> futures = new ArrayList<>(chunk);
        byte[] page = new byte[512];
        for (int i = 0; i < ARRANGEMENTS; i++) {
            long t = start + (end - MINUTE - start) * i / ARRANGEMENTS;
            batch.add(new Arrangement(svc.contactIds[traffic.nextInt(FAMILIES)], venueCodes[traffic.nextInt(VENUES)], t, traffic.nextLong()));
            if (batch.size() < chunk && i < ARRANGEMENTS - 1) continue;
            for (Arrangement a : batch) futures.add(svc.workers.submit(() -> svc.draft(a)));
            for (int k = 0; k < batch.size(); k++) {
                Arrangement a = batch.get(k);
                Draft d = futures.get(k).get();
                while (nextExport <= a.at()) { synchronized (CRM_OUTBOX) { svc.exported += CRM_OUTBOX.size(); CRM_OUTBOX.clear(); } svc.exports++; nextExport += 15 * MINUTE; }
                svc.arrangements++;
                Random r = new Random(a.seed() ^ 0x3c3c);
                String key = a.venueCode() + "/" + r.nextInt(6_000);
                if (svc.booklets.get(key) == null) svc.booklets.put(key, new Booklet(key, new byte[600 + r.nextInt(600)], a.at()));
                byte[] buf = svc.pdfBuffers.poll();
                buf[(int) (svc.arrangements % buf.length)] = (byte) d.checksum();
                svc.pdfBuffers.add(buf);
                svc.readPriceList(a.venueCode());
                svc.readArchive(a.seed() & 0xffff, page);
                svc.plugins.get(PLUGINS[r.nextInt(PLUGINS.length)]).plugin().layout(4 + r.nextInt(12), r.nextInt(20));
                synchronized (CRM_OUTBOX) { CRM_OUTBOX.add(new CrmEvent(++svc.seq, eventKinds[r.nextInt(eventKinds.length)], a.contactId(), a.at(), new byte[40 + r.nextInt(80)])); }
                if (r.nextInt(6) == 0) {
                    Notice n = new Notice("OB-" + (90_000 + notices), "Deceased " + r.nextInt(100_000), a.venueCode(), a.at());
                    RECENT_NOTICES[(int) (notices++ % NOTICE_RING)] = n;
                    for (int c = 0; c < 1 + r.nextInt(4); c++) svc.moderation.addLast(new Condolence(n.noticeId(), "Friend " + r.nextInt(50_000), new byte[100 + r.nextInt(300)], a.at()));
                }
                // moderators approve condolences within about 45 minutes
                while (!svc.moderation.isEmpty() && svc.moderation.peekFirst().postedAt() < a.at() - 45 * MINUTE) { svc.moderation.pollFirst(); svc.moderated++; }
            }
            batch.clear();
            futures.clear();
        }
    }

    static void deleteFiles() throws IOException {
        ArrangementService svc = SERVICE;
        if (svc == null || svc.dir == null) return;
        try (Stream<Path> files = Files.walk(svc.dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            simulate();
            ArrangementService svc = SERVICE;
            System.out.println("venues " + VENUES_BY_CODE.size() + " families " + svc.families.size() + " arrangements " + svc.arrangements + " booklets " + svc.booklets.size() + " (evicted " + svc.booklets.evicted + ") pool " + svc.pdfBuffers.size()
                    + " notices " + notices + " moderation backlog " + svc.moderation.size() + " (moderated " + svc.moderated + ") plugins " + svc.plugins.size() + " price reads " + svc.priceReads + " archive reads " + svc.archiveReads
                    + " archive channels " + svc.archiveChannels.size() + " outbox " + CRM_OUTBOX.size() + " (exported " + svc.exported + " in " + svc.exports + " runs)");
            check(VENUES_BY_CODE.size() == VENUES && svc.families.size() == FAMILIES, "reference data / directory");
            check(svc.arrangements == ARRANGEMENTS && svc.priceReads == ARRANGEMENTS && svc.archiveReads == ARRANGEMENTS, "requests");
            check(svc.plugins.size() == PLUGINS.length && svc.archiveChannels.size() == ARCHIVE_CHANNELS, "plugins / channels");
            check(notices > NOTICE_RING, "notice ring");
            check(svc.booklets.size() == BOOKLET_CAP && svc.booklets.evicted > 0, "booklet cache at cap");
            check(svc.pdfBuffers.size() == POOL, "pool");
            check(svc.exports == HOURS * 4 - 1 && CRM_OUTBOX.size() > 500 && CRM_OUTBOX.size() < 1_000, "outbox " + CRM_OUTBOX.size());
            check(svc.moderation.size() > 600 && svc.moderation.size() < 1_300, "moderation backlog " + svc.moderation.size());
            svc = null;
            LeakCheck.histogram("PluginLoader", "FileChannelImpl", "DriverInfo", "PrintShopDriver");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
        } finally {
            deleteFiles();
        }
        System.exit(0);
    }
}
