// hprofscan-dump: name=val115-leak-weighbridges jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val115-leak-weighbridges-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Validation set 115 (written blind), LEAK: the ticketing service of a weighbridge operator
 * (quarries, waste transfer stations, grain stores). Each site's weight indicator speaks its
 * vendor's protocol, decoded by a driver plugin. The driver host loads every new driver build in a
 * fresh child-first class loader (classes defined from the bytes of a bundle directory written at
 * start) and "unloads" the old one (closed, dropped from the host). But the audit writer turns the
 * driver's reading records into JSON by reflection and caches one codec per reading class in a
 * static map keyed by Class: every replaced driver generation stays pinned through its reading
 * class (class -> loader -> the driver class and its static linearisation tables). Ordinary
 * components beside it: site reference data, the vehicle directory keyed by registration, a
 * rendered-ticket LRU at its cap, a pool of print buffers, a ring of recent weighings, the
 * invoicing export backlog. See VALIDATION115.md.
 */
public final class Val115LeakWeighbridges {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int HOURS = 10, SITES = 900, VEHICLES = 20_000, TICKET_CAP = 2_000, POOL = 8, RING = 8_192, WEIGHINGS_PER_HOUR = 3_000,
            RELOADS = 60, EXPORT_EVERY_MINUTES = 15;
    static final String PLUGIN_PREFIX = "testdata.Val115Driver";
    /** Indicator vendors: driver class, load cells (linearisation curves) per indicator. */
    static final String[][] VENDORS = {
            {"rinstrum-r420", "testdata.Val115DriverSerialIndicator", "24"},
            {"avery-l215", "testdata.Val115DriverSerialIndicator", "16"},
            {"mettler-ind570", "testdata.Val115DriverModbusIndicator", "32"},
            {"cardinal-225", "testdata.Val115DriverSerialIndicator", "20"},
            {"precia-i40", "testdata.Val115DriverModbusIndicator", "28"},
            {"sysdev-tl", "testdata.Val115DriverSerialIndicator", "16"}};
    static final String[] MATERIALS = {"MOT type 1", "20mm clean stone", "6F2 capping", "building sand", "topsoil", "mixed C&D waste", "green waste", "feed wheat", "malting barley", "oilseed rape"};
    static boolean FIXED;

    /** Host API seen by the driver plugins (loaded by the application class loader). */
    public interface ScaleDriver {
        void open(DriverConfig config);
        ScaleReading decode(byte[] frame, int cell, long at);
        void close();
    }
    public interface ScaleReading {
        long grossKg();
        boolean stable();
    }
    public record DriverConfig(String vendor, int version, int loadCells, long seed) {}

    record Site(String code, String name, String vendor, double[] tonnesByHalfHour) {}
    record Vehicle(String vrn, String haulier, int axles, long tareKg, byte[] tareHistory, long registeredAt) {}
    record Weighing(String ticketNo, String vrn, String site, long grossKg, long netKg, String material, long at, String auditJson) {}
    record RenderedTicket(String ticketNo, byte[] pdf, long renderedAt) {}
    record ExportLine(String ticketNo, String haulier, long netKg, long at) {}

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    /** Child-first loader of one driver bundle: defines the bundle's classes from their bytes. */
    static final class BundleLoader extends ClassLoader {
        final String vendor;
        final int version;
        final Map<String, byte[]> classBytes = new HashMap<>();
        final Properties manifest = new Properties();

        BundleLoader(Path dir, String vendor, int version) throws IOException {
            super("driver-" + vendor + "-v" + version, Val115LeakWeighbridges.class.getClassLoader());
            this.vendor = vendor;
            this.version = version;
            manifest.load(new StringReader(Files.readString(dir.resolve("bundle.properties"))));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    String name = dir.relativize(f).toString().replace('/', '.');
                    classBytes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
                }
            }
        }

        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && classBytes.containsKey(name)) c = findClass(name);
                if (c == null) return super.loadClass(name, resolve);
                if (resolve) resolveClass(c);
                return c;
            }
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classBytes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }

    /** Reflective JSON writer of the driver readings for the audit trail. */
    static final class AuditJson {
        record Codec(Class<?> type, RecordComponent[] components, Method[] accessors, String[] names) {}
        /** One codec per reading class (meant: "a handful of driver types"). */
        static final Map<Class<?>, Codec> CODECS = new ConcurrentHashMap<>();
        static long encoded;

        static String encode(Object reading) throws Exception {
            Codec c = CODECS.computeIfAbsent(reading.getClass(), AuditJson::codecFor);
            StringBuilder sb = new StringBuilder(160).append('{');
            for (int i = 0; i < c.accessors().length; i++) {
                if (i > 0) sb.append(',');
                Object v = c.accessors()[i].invoke(reading);
                sb.append('"').append(c.names()[i]).append("\":");
                if (v instanceof String) sb.append('"').append(v).append('"'); else sb.append(v);
            }
            encoded++;
            return sb.append('}').toString();
        }

        static Codec codecFor(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Method[] acc = new Method[rc.length];
            String[] names = new String[rc.length];
            for (int i = 0; i < rc.length; i++) {
                acc[i] = rc[i].getAccessor();
                acc[i].setAccessible(true);
                names[i] = rc[i].getName();
            }
            return new Codec(type, rc, acc, names);
        }

        /** The fix: drop the codecs of classes defined by a loader that is being unloaded. */
        static void forget(ClassLoader loader) {
            CODECS.keySet().removeIf(k -> k.getClassLoader() == loader);
        }
    }

    static final class DriverHandle {
        final BundleLoader loader;
        final ScaleDriver driver;
        final long loadedAt;
        DriverHandle(BundleLoader loader, ScaleDriver driver, long loadedAt) { this.loader = loader; this.driver = driver; this.loadedAt = loadedAt; }
    }

    static final class DriverHost {
        final Path bundles;
        final Map<String, DriverHandle> active = new HashMap<>();
        final Map<String, Integer> versions = new HashMap<>();
        final ArrayDeque<String> reloadLog = new ArrayDeque<>();
        long loads, unloads, retiredCurves;

        DriverHost(Path bundles) { this.bundles = bundles; }

        void load(String vendor, long t) throws Exception {
            int version = versions.merge(vendor, 1, Integer::sum);
            BundleLoader loader = new BundleLoader(bundles.resolve(vendor).resolve("v" + version), vendor, version);
            Class<?> cls = loader.loadClass(loader.manifest.getProperty("driver.class"));
            Constructor<?> ctor = cls.getDeclaredConstructor();
            ctor.setAccessible(true);
            ScaleDriver driver = (ScaleDriver) ctor.newInstance();
            driver.open(new DriverConfig(vendor, version, Integer.parseInt(loader.manifest.getProperty("load.cells")), 115_010_100L + loads));
            DriverHandle old = active.put(vendor, new DriverHandle(loader, driver, t));
            loads++;
            if (old != null) {
                old.driver.close();
                retiredCurves += Integer.parseInt(old.loader.manifest.getProperty("load.cells"));
                if (FIXED) AuditJson.forget(old.loader);
                unloads++;
            }
            reloadLog.addLast(vendor + " v" + version + " loaded at " + t);
            if (reloadLog.size() > 64) reloadLog.removeFirst();
        }
    }

    static final class TicketCache extends LinkedHashMap<String, RenderedTicket> {
        long evicted;
        TicketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedTicket> e) { if (size() > TICKET_CAP) { evicted++; return true; } return false; }
    }

    static final class TicketService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final String[] vrns = new String[VEHICLES];
        final String[] siteCodes = new String[SITES];
        final DriverHost host;
        final TicketCache tickets = new TicketCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Weighing[] recent = new Weighing[RING];
        final ArrayDeque<ExportLine> invoiceExport = new ArrayDeque<>();
        long weighings, exported, exports, unstable;

        TicketService(DriverHost host) { this.host = host; }

        void weigh(Random r, long t) throws Exception {
            Site site = SITES_BY_CODE.get(siteCodes[r.nextInt(SITES)]);
            Vehicle v = vehicles.get(vrns[r.nextInt(VEHICLES)]);
            long gross = v.tareKg() + 2_000 + r.nextInt(26_000);
            byte[] frame = ((r.nextInt(40) == 0 ? "US,GS,+" : "ST,GS,+") + String.format("%07d", gross) + "kg,ID" + site.code()).getBytes(StandardCharsets.US_ASCII);
            ScaleReading reading = host.active.get(site.vendor()).driver.decode(frame, r.nextInt(8), t);
            if (!reading.stable()) unstable++;
            String ticketNo = "WB" + (70_000_000 + weighings);
            String material = MATERIALS[r.nextInt(MATERIALS.length)];
            Weighing w = new Weighing(ticketNo, v.vrn(), site.code(), reading.grossKg(), reading.grossKg() - v.tareKg(), material, t, AuditJson.encode(reading));
            recent[(int) (weighings++ % RING)] = w;
            invoiceExport.addLast(new ExportLine(ticketNo, v.haulier(), w.netKg(), t));
            if (r.nextInt(3) == 0) {
                RenderedTicket rt = new RenderedTicket(ticketNo, new byte[400 + r.nextInt(400)], t);
                tickets.put(ticketNo, rt);
                byte[] buf = printBuffers.poll();
                buf[(int) (t % buf.length)] = (byte) rt.pdf().length;
                printBuffers.add(buf);
            } else if (r.nextInt(4) == 0 && weighings > 100) {
                tickets.get("WB" + (70_000_000 + weighings - 1 - r.nextInt(100))); // reprint of a recent ticket
            }
        }

        void exportInvoices(long t) {
            while (!invoiceExport.isEmpty() && invoiceExport.peekFirst().at() <= t - 5 * MINUTE) { invoiceExport.pollFirst(); exported++; }
            exports++;
        }
    }

    static TicketService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] classFile(String name) throws IOException {
        try (InputStream in = Val115LeakWeighbridges.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) throw new IOException("no class file for " + name);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Writes the driver bundles (every build of every vendor's driver) into a scratch directory. */
    static Path writeBundles(int[] buildsPerVendor) throws IOException {
        Path root = Files.createTempDirectory("val115-weighbridge-drivers");
        for (int v = 0; v < VENDORS.length; v++) {
            String driverClass = VENDORS[v][1];
            for (int b = 1; b <= buildsPerVendor[v]; b++) {
                Path dir = root.resolve(VENDORS[v][0]).resolve("v" + b);
                Path pkg = dir.resolve("testdata");
                Files.createDirectories(pkg);
                for (String cls : new String[] {driverClass, driverClass + "$Reading"}) {
                    Files.write(pkg.resolve(cls.substring("testdata.".length()) + ".class"), classFile(cls));
                }
                Files.writeString(dir.resolve("bundle.properties"), "vendor=" + VENDORS[v][0] + "\nversion=" + b + "\ndriver.class=" + driverClass
                        + "\nload.cells=" + VENDORS[v][2] + "\n");
            }
        }
        return root;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(115_010_001);
        // The reload schedule: one new driver build every 10 minutes, for a vendor picked at random.
        Random reloads = new Random(115_010_004);
        int[] reloadVendor = new int[RELOADS];
        int[] builds = new int[VENDORS.length];
        for (int v = 0; v < VENDORS.length; v++) builds[v] = 1;
        for (int k = 0; k < RELOADS; k++) { reloadVendor[k] = reloads.nextInt(VENDORS.length); builds[reloadVendor[k]]++; }
        Path bundles = writeBundles(builds);

        for (int s = 0; s < SITES; s++) {
            double[] tonnes = new double[48];
            for (int j = 0; j < tonnes.length; j++) tonnes[j] = rnd.nextDouble() * 600;
            String code = "WBS" + (1_000 + s * 7);
            SITES_BY_CODE.put(code, new Site(code, (s % 3 == 0 ? "Quarry " : s % 3 == 1 ? "Transfer station " : "Grain store ") + s, VENDORS[s % VENDORS.length][0], tonnes));
        }
        DriverHost host = new DriverHost(bundles);
        TicketService svc = new TicketService(host);
        SERVICE = svc;
        int si = 0;
        for (String code : SITES_BY_CODE.keySet()) svc.siteCodes[si++] = code;
        java.util.Arrays.sort(svc.siteCodes);
        String[] hauliers = new String[400];
        for (int h = 0; h < hauliers.length; h++) hauliers[h] = "Haulier " + (char) ('A' + h % 26) + (char) ('A' + (h / 26) % 26) + " Ltd #" + h;
        for (int p = 0; p < VEHICLES; p++) {
            int h3 = (p * 7_919) % 17_576;
            svc.vrns[p] = (char) ('A' + p % 26) + "" + (char) ('A' + (p / 26) % 26) + (10 + p / 676) + " " + (char) ('A' + h3 % 26) + (char) ('A' + (h3 / 26) % 26) + (char) ('A' + h3 / 676);
            svc.vehicles.put(svc.vrns[p], new Vehicle(svc.vrns[p], hauliers[rnd.nextInt(hauliers.length)], 2 + rnd.nextInt(5), 7_000 + rnd.nextInt(11_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        check(svc.vehicles.size() == VEHICLES, "vehicle registrations unique");
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        for (String[] vendor : VENDORS) host.load(vendor[0], start);

        Random traffic = new Random(115_010_002);
        int total = WEIGHINGS_PER_HOUR * HOURS;
        int nextReload = 0;
        long nextExport = start + EXPORT_EVERY_MINUTES * MINUTE;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextReload < RELOADS && start + (nextReload + 1) * 10 * MINUTE - 3 * MINUTE <= t) {
                host.load(VENDORS[reloadVendor[nextReload]][0], start + (nextReload + 1) * 10 * MINUTE - 3 * MINUTE);
                nextReload++;
            }
            while (nextExport <= t) { svc.exportInvoices(nextExport); nextExport += EXPORT_EVERY_MINUTES * MINUTE; }
            svc.weigh(traffic, t);
        }
        deleteTree(bundles);
    }

    /**
     * Waits until the JIT compilers are idle (nothing being compiled, both queues empty, three
     * checks in a row): a compilation in progress keeps the classes it looks at (an unloaded plugin
     * generation among them) alive through the next GC, and the heap dump would show them.
     */
    static void waitForCompilerIdle() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int i = 0, idle = 0; i < 600 && idle < 3; i++) {
            String queue = (String) server.invoke(dcmd, "compilerQueue", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            idle = queue.replaceAll("\\s+", "").endsWith("Currentcompiles:C1compilequeue:EmptyC2compilequeue:Empty") ? idle + 1 : 0;
            Thread.sleep(100);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val115.fixed");
        simulate();
        report();
        waitForCompilerIdle();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        TicketService svc = SERVICE;
        DriverHost host = svc.host;
        int codecs = AuditJson.CODECS.size();
        int stale = 0;
        for (Class<?> c : AuditJson.CODECS.keySet()) {
            boolean current = false;
            for (DriverHandle h : host.active.values()) current |= c.getClassLoader() == h.loader;
            if (!current) stale++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " weighings " + svc.weighings + " (unstable " + svc.unstable
                + ") audit encoded " + AuditJson.encoded + " codecs " + codecs + " (stale " + stale + ") driver loads " + host.loads + " unloads " + host.unloads + " (their curves " + host.retiredCurves + ") active " + host.active.size()
                + " tickets " + svc.tickets.size() + " (evicted " + svc.tickets.evicted + ") pool " + svc.printBuffers.size() + " export backlog " + svc.invoiceExport.size()
                + " (exported " + svc.exported + " in " + svc.exports + " runs)");
        check(SITES_BY_CODE.size() == SITES && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(svc.weighings == (long) WEIGHINGS_PER_HOUR * HOURS && AuditJson.encoded == svc.weighings, "weighings");
        check(host.loads == VENDORS.length + RELOADS && host.unloads == RELOADS && host.active.size() == VENDORS.length && host.retiredCurves == 1_280, "driver reloads");
        check(codecs == (FIXED ? VENDORS.length : VENDORS.length + RELOADS) && stale == (FIXED ? 0 : RELOADS), "audit codecs " + codecs + " stale " + stale);
        check(svc.tickets.size() == TICKET_CAP && svc.tickets.evicted > 0, "ticket cache at cap");
        check(svc.printBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.invoiceExport.size() > 0 && svc.exported + svc.invoiceExport.size() == svc.weighings, "invoice export backlog");
    }
}

/**
 * Driver plugin (loaded only by the driver host's bundle loaders, never by the application class
 * loader): ASCII streaming protocol of serial weight indicators.
 */
final class Val115DriverSerialIndicator implements Val115LeakWeighbridges.ScaleDriver {
    /** Linearisation curve per load cell (kg correction by 1/1024 of the range): built at open. */
    static final Map<String, double[]> LINEARISATION = new HashMap<>();
    static final byte[] RX_BUFFER = new byte[16_384];
    static String vendor;
    static int version;
    int rxPos;
    boolean open;

    record Reading(String indicator, int build, int cell, long grossKg, boolean stable, long at) implements Val115LeakWeighbridges.ScaleReading {}

    @Override public void open(Val115LeakWeighbridges.DriverConfig config) {
        vendor = config.vendor();
        version = config.version();
        Random r = new Random(config.seed());
        for (int c = 0; c < config.loadCells(); c++) {
            double[] curve = new double[1_024];
            for (int k = 0; k < curve.length; k++) curve[k] = (r.nextDouble() - 0.5) * 4;
            LINEARISATION.put(vendor + "/LC" + c, curve);
        }
        open = true;
    }

    @Override public Val115LeakWeighbridges.ScaleReading decode(byte[] frame, int cell, long at) {
        for (byte b : frame) RX_BUFFER[rxPos++ & (RX_BUFFER.length - 1)] = b;
        String s = new String(frame, 7, 7, StandardCharsets.US_ASCII);
        long raw = Long.parseLong(s);
        double[] curve = LINEARISATION.get(vendor + "/LC" + (cell % LINEARISATION.size()));
        long gross = raw + Math.round(curve[(int) (raw % curve.length)]);
        return new Reading(vendor, version, cell, gross, frame[0] == 'S', at);
    }

    @Override public void close() { open = false; }
}

/** Driver plugin: Modbus register protocol of panel indicators. */
final class Val115DriverModbusIndicator implements Val115LeakWeighbridges.ScaleDriver {
    static final Map<String, double[]> LINEARISATION = new HashMap<>();
    static final byte[] RX_BUFFER = new byte[16_384];
    static String vendor;
    static int version;
    int rxPos;
    boolean open;

    record Reading(String indicator, int build, int unitId, int cell, long grossKg, int statusWord, boolean stable, long at) implements Val115LeakWeighbridges.ScaleReading {}

    @Override public void open(Val115LeakWeighbridges.DriverConfig config) {
        vendor = config.vendor();
        version = config.version();
        Random r = new Random(config.seed());
        for (int c = 0; c < config.loadCells(); c++) {
            double[] curve = new double[1_024];
            for (int k = 0; k < curve.length; k++) curve[k] = (r.nextDouble() - 0.5) * 3;
            LINEARISATION.put(vendor + "/LC" + c, curve);
        }
        open = true;
    }

    @Override public Val115LeakWeighbridges.ScaleReading decode(byte[] frame, int cell, long at) {
        for (byte b : frame) RX_BUFFER[rxPos++ & (RX_BUFFER.length - 1)] = b;
        long raw = Long.parseLong(new String(frame, 7, 7, StandardCharsets.US_ASCII));
        double[] curve = LINEARISATION.get(vendor + "/LC" + (cell % LINEARISATION.size()));
        long gross = raw + Math.round(curve[(int) (raw % curve.length)]);
        return new Reading(vendor, version, 1 + cell % 4, cell, gross, 0x0101, frame[0] == 'S', at);
    }

    @Override public void close() { open = false; }
}
