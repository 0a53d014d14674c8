// hprofscan-dump: name=val98-healthy-radarmosaics jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val98-healthy-radarmosaics-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Validation set 98 (written blind), HEALTHY: the weather-radar mosaic service of a met office.
 * Radar-site reference data, the product directory, a cache of rendered map tiles at its cap, a
 * ring of volume scans, a pool of decode buffers, a colour-scale plugin reloaded every 30 minutes
 * in a fresh class loader (it defines a custom java.util.logging.Level and attaches an audit
 * StreamHandler to the root logger, and removes it again when deactivated: only the current
 * generation stays loaded), and the display settings with a PropertyChangeSupport (per-request
 * legend formatters register a listener and remove it when the request ends). See VALIDATION98.md.
 */
public final class Val98HealthyRadarMosaics {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, RELOAD_EVERY = 30 * MINUTE;
    static final int RADARS = 900, PRODUCTS = 22_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SCANS_PER_HOUR = 4_000;
    static final String PACK_PREFIX = "testdata.Val98HealthyRadarMosaics$Pack";
    static final String PACK_CLASS = "testdata.Val98HealthyRadarMosaics$PackColourScales";

    record Radar(String code, String site, double[] beamElevations) {}
    record Product(String productId, String kind, byte[] metadata, long publishedAt) {}
    record Tile(String key, byte[] rendered, long at) {}
    record VolumeScan(String radarCode, int elevations, long startedAt, long endedAt) {}

    public interface ColourScales {
        void activate(int version, long seed);
        void deactivate();
        String version();
        int entries();
        int colourFor(double dbz);
    }

    // ---- the plugin: defined again by every generation's loader ----

    public static final class PackScaleLevel extends Level {
        public static final Level SCALE_AUDIT = new PackScaleLevel("SCALE_AUDIT", 860);
        PackScaleLevel(String name, int value) { super(name, value); }
    }

    public record PackColourStop(double dbz, int rgb, String label, byte[] dither) {}

    public static final class PackColourScales implements ColourScales {
        static final List<PackColourStop> STOPS = new ArrayList<>();
        static String VERSION;
        final ByteArrayOutputStream auditOut = new ByteArrayOutputStream(256);
        StreamHandler audit;
        public PackColourScales() {}
        @Override public void activate(int version, long seed) {
            VERSION = "colourscales-" + version;
            Random r = new Random(seed);
            for (int i = 0; i < 600; i++) STOPS.add(new PackColourStop(-30 + i * 0.15, r.nextInt(0x1000000), "stop " + i + " v" + version, new byte[40 + r.nextInt(40)]));
            audit = new StreamHandler(auditOut, new SimpleFormatter());
            audit.setLevel(PackScaleLevel.SCALE_AUDIT);
            Logger.getLogger("").addHandler(audit);
        }
        @Override public void deactivate() {
            Logger.getLogger("").removeHandler(audit);
            audit.close();
        }
        @Override public String version() { return VERSION; }
        @Override public int entries() { return STOPS.size(); }
        @Override public int colourFor(double dbz) {
            int i = (int) Math.max(0, Math.min(STOPS.size() - 1, (dbz + 30) / 0.15));
            return STOPS.get(i).rgb();
        }
    }

    // ---- the host ----

    static final class PluginLoader extends ClassLoader {
        PluginLoader(String name, ClassLoader parent) { super(name, parent); }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACK_PREFIX)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) throw new ClassNotFoundException(name);
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    static final class ScaleHost {
        PluginLoader loader; ColourScales current; int generation; long reloadedAt;
        void reload(long at) throws Exception {
            generation++;
            PluginLoader l = new PluginLoader("colourscales-gen-" + generation, Val98HealthyRadarMosaics.class.getClassLoader());
            ColourScales p = (ColourScales) Class.forName(PACK_CLASS, true, l).getDeclaredConstructor().newInstance();
            p.activate(200 + generation, 98_060_100L + generation);
            ColourScales old = current;
            current = p; loader = l; reloadedAt = at;
            if (old != null) old.deactivate();
        }
    }

    static final class DisplaySettings {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        String units = "dBZ"; long fired;
        void setUnits(String u) { String old = units; units = u; fired++; changes.firePropertyChange("units", old, u); }
    }

    static final class SettingsWatcher implements PropertyChangeListener {
        final String component; long seen;
        SettingsWatcher(String component) { this.component = component; }
        @Override public void propertyChange(PropertyChangeEvent e) { seen++; }
    }

    /** Per request; removed from the settings when the request ends. */
    static final class LegendFormatter implements AutoCloseable {
        final String productId; final DisplaySettings settings; final List<String> labels = new ArrayList<>();
        final PropertyChangeListener unitsListener = this::onUnitsChanged;
        String units; byte[] rendered;
        LegendFormatter(String productId, DisplaySettings settings) {
            this.productId = productId; this.settings = settings; this.units = settings.units;
            settings.changes.addPropertyChangeListener("units", unitsListener);
        }
        void onUnitsChanged(PropertyChangeEvent e) { units = (String) e.getNewValue(); }
        @Override public void close() { settings.changes.removePropertyChangeListener("units", unitsListener); }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Radar> RADARS_BY_CODE = new HashMap<>();

    static final class MosaicService {
        final Map<String, Product> products = new HashMap<>();
        final TileCache tiles = new TileCache();
        final VolumeScan[] scans = new VolumeScan[RING];
        long scansWritten, legends;
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final ScaleHost scales = new ScaleHost();
        final DisplaySettings settings = new DisplaySettings();
        final List<SettingsWatcher> watchers = new ArrayList<>();

        byte[] legend(String productId, Random r) {
            try (LegendFormatter f = new LegendFormatter(productId, settings)) {
                for (int k = 0; k < 6; k++) f.labels.add(productId + " " + f.units + " band " + k);
                f.rendered = new byte[200 + r.nextInt(200)];
                legends++;
                return f.rendered;
            }
        }
    }

    static MosaicService SERVICE;
    static int EXPECTED_GENERATIONS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_060_001);
        String[] radarCodes = new String[RADARS];
        for (int g = 0; g < RADARS; g++) {
            double[] beams = new double[96];
            for (int k = 0; k < beams.length; k++) beams[k] = rnd.nextDouble() * 20;
            radarCodes[g] = "RAD-" + (100 + g);
            RADARS_BY_CODE.put(radarCodes[g], new Radar(radarCodes[g], "Site " + g, beams));
        }
        MosaicService svc = new MosaicService();
        SERVICE = svc;
        for (String c : new String[] {"tile-renderer", "legend-cache", "web-map"}) {
            SettingsWatcher w = new SettingsWatcher(c);
            svc.watchers.add(w);
            svc.settings.changes.addPropertyChangeListener(w);
        }
        String[] productIds = new String[PRODUCTS];
        String[] kinds = {"PPI", "CAPPI", "ECHO-TOP", "RAIN-ACC", "VIL"};
        for (int p = 0; p < PRODUCTS; p++) {
            productIds[p] = "PRD-" + (500_000 + p);
            svc.products.put(productIds[p], new Product(productIds[p], kinds[p % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[65_536]);
        svc.scales.reload(start);
        Random traffic = new Random(98_060_002);
        int total = SCANS_PER_HOUR * HOURS;
        long nextReload = start + RELOAD_EVERY;
        String[] units = {"mm/h", "dBZ"};
        int unitChanges = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextReload <= t) { svc.scales.reload(nextReload); nextReload += RELOAD_EVERY; }
            if (unitChanges < 4 && t >= start + (2 + 2L * unitChanges) * HOUR) svc.settings.setUnits(units[unitChanges++ % 2]);
            String radar = radarCodes[traffic.nextInt(RADARS)];
            svc.scans[(int) (svc.scansWritten++ % RING)] = new VolumeScan(radar, 6 + traffic.nextInt(10), t - 300_000, t);
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) svc.scales.current.colourFor(traffic.nextDouble() * 70);
            svc.decodeBuffers.add(buf);
            String key = "tile-" + traffic.nextInt(5_000);
            if (svc.tiles.get(key) == null) svc.tiles.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], t));
            if (traffic.nextInt(4) == 0) svc.legend(productIds[traffic.nextInt(PRODUCTS)], traffic);
        }
        EXPECTED_GENERATIONS = 1 + (int) ((end - MINUTE - start - 1) / RELOAD_EVERY);
    }

    static void verify() {
        MosaicService svc = SERVICE;
        int rootHandlers = Logger.getLogger("").getHandlers().length;
        int unitListeners = svc.settings.changes.getPropertyChangeListeners("units").length;
        int allListeners = svc.settings.changes.getPropertyChangeListeners().length;
        System.out.println("radars " + RADARS_BY_CODE.size() + " products " + svc.products.size() + " scans " + svc.scansWritten + " colour-scale generations " + svc.scales.generation + " current " + svc.scales.current.version()
                + " (" + svc.scales.current.entries() + " stops, loader " + svc.scales.loader.getName() + ") root-logger handlers " + rootHandlers + " legends " + svc.legends + " listeners " + allListeners
                + " (units " + unitListeners + ", fired " + svc.settings.fired + ") tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.decodeBuffers.size());
        check(RADARS_BY_CODE.size() == RADARS && svc.products.size() == PRODUCTS, "reference data / directory");
        check(svc.scansWritten == (long) SCANS_PER_HOUR * HOURS && svc.scans[RING - 1] != null, "scan ring wrapping");
        check(svc.scales.generation == EXPECTED_GENERATIONS && svc.scales.current.entries() == 600 && svc.scales.current.getClass().getClassLoader() == svc.scales.loader, "plugin reloads: " + svc.scales.generation);
        check(rootHandlers == 2, "console handler + the current audit handler: " + rootHandlers);
        check(unitListeners == 0 && allListeners == 3 && svc.settings.fired == 4 && svc.watchers.get(0).seen == 4 && svc.legends > 0, "listeners removed");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
    }

    /**
     * Waits until the JIT has been idle for 300 ms (at most 10 s) before the heap is inspected: a
     * method being compiled keeps its class (and class loader) alive.
     */
    static void settle() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long last = -1;
        for (int i = 0, quiet = 0; i < 100 && quiet < 3; i++) {
            long t = jit.getTotalCompilationTime();
            quiet = t == last ? quiet + 1 : 0;
            last = t;
            Thread.sleep(100);
        }
    }

    public static void main(String[] args) throws Exception {
        build();
        settle();
        verify();
        LeakCheck.histogram(" [I ", "java.util.logging.", "ClassLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
