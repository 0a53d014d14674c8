// hprofscan-dump: name=val85-leak-cadconvert jvm="-Xmx266m --add-opens java.base/java.lang=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val85-leak-cadconvert-parallel jvm="-Xmx266m -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED" variants=jcmd
package testdata;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 85 (written blind), LEAK: the drawing-export service of an architecture
 * platform (GET /projects/{id}/export/{format}). Firm reference data, the project directory, a
 * cache of converted sheets at its cap, a pool of tessellation buffers, a ring of access-log
 * entries and one instance per exporter class. The exporter is found by a plugin lookup whose
 * class name is built from the request's format segment: Class.forName(PREFIX +
 * capitalize(format) + "Exporter"). Most lookups by crawlers, typos and scanners fail with
 * ClassNotFoundException (answered 404), but the application class loader (and its parent, the
 * platform loader, asked first) is parallel capable and keeps a lock object per class name it was
 * ever asked to load (ClassLoader.parallelLockMap): one entry per distinct format string ever
 * requested. The --add-opens in the dump spec is only for the self-check, which reads that map.
 * See VALIDATION85.md.
 */
public final class Val85LeakCadConvert {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FIRMS = 1_000, PROJECTS = 20_000, SHEET_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS = 240_000;
    static final String PREFIX = "testdata.Val85LeakCadConvert$";
    static final String[] FORMATS = {"dwg", "dxf", "ifc", "pdf", "svg", "step", "stl", "obj"};
    static final Set<String> KNOWN_FORMATS = Set.of(FORMATS);
    static boolean FIXED;

    record Firm(String code, String city, double[] monthlyExports) {}
    record Project(String id, String firmCode, String title, byte[] manifest, long createdAt) {}
    record Sheet(String key, byte[] converted, long at) {}
    record AccessEntry(String path, int status, long at) {}

    interface Exporter { String mediaType(); int export(Project p, byte[] scratch); }
    static abstract class BaseExporter implements Exporter {
        public int export(Project p, byte[] scratch) { int n = p.manifest().length; scratch[n % scratch.length]++; return n * 4 + mediaType().length(); }
    }
    public static final class DwgExporter extends BaseExporter { public String mediaType() { return "image/vnd.dwg"; } }
    public static final class DxfExporter extends BaseExporter { public String mediaType() { return "image/vnd.dxf"; } }
    public static final class IfcExporter extends BaseExporter { public String mediaType() { return "application/x-step"; } }
    public static final class PdfExporter extends BaseExporter { public String mediaType() { return "application/pdf"; } }
    public static final class SvgExporter extends BaseExporter { public String mediaType() { return "image/svg+xml"; } }
    public static final class StepExporter extends BaseExporter { public String mediaType() { return "model/step"; } }
    public static final class StlExporter extends BaseExporter { public String mediaType() { return "model/stl"; } }
    public static final class ObjExporter extends BaseExporter { public String mediaType() { return "model/obj"; } }

    static final class SheetCache extends LinkedHashMap<String, Sheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Sheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Firm> FIRMS_BY_CODE = new HashMap<>();

    static final class ConvertService {
        final Map<String, Project> projects = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> tessellationBuffers = new ArrayDeque<>();
        final AccessEntry[] accessLog = new AccessEntry[RING];
        long requests;
        final Map<Class<?>, Exporter> exporterInstances = new HashMap<>();
        long ok, notFound, lookups, failedLookups;

        static String pluginClassName(String format) {
            String f = format.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            if (f.isEmpty()) return null;
            return PREFIX + Character.toUpperCase(f.charAt(0)) + f.substring(1) + "Exporter";
        }

        /** The plugin lookup: the exporter class is named after the requested format. */
        Exporter exporterFor(String format) {
            if (FIXED && !KNOWN_FORMATS.contains(format.toLowerCase(Locale.ROOT))) return null; // the fix: allow-list before any lookup
            String cls = pluginClassName(format);
            if (cls == null) return null;
            lookups++;
            try {
                Class<?> c = Class.forName(cls);
                Exporter e = exporterInstances.get(c);
                if (e == null) {
                    e = (Exporter) c.getDeclaredConstructor().newInstance();
                    exporterInstances.put(c, e);
                }
                return e;
            } catch (ClassNotFoundException e) {
                failedLookups++;
                return null; // BUG: every distinct name asked for leaves a lock object in the class loader
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        void handle(String projectId, String format, Random r, long at) {
            Project p = projects.get(projectId);
            Exporter ex = p == null ? null : exporterFor(format);
            int status;
            if (ex == null) {
                status = 404;
                notFound++;
            } else {
                byte[] buf = tessellationBuffers.poll();
                int size = ex.export(p, buf);
                tessellationBuffers.add(buf);
                String key = projectId + "/" + format.toLowerCase(Locale.ROOT) + "/" + r.nextInt(2);
                if (sheets.get(key) == null) sheets.put(key, new Sheet(key, new byte[700 + (size % 700)], at));
                status = 200;
                ok++;
            }
            accessLog[(int) (requests++ % RING)] = new AccessEntry("/projects/" + projectId + "/export/" + format, status, at);
        }
    }

    static ConvertService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] TYPOS = {"dwgg", "dxff", "pfd", "ifc4", "ifc2x3", "ifc4x3", "stp", "iges", "igs", "3dm", "skp", "rvt", "nwd", "dgn", "png", "jpg", "jpeg", "tiff", "gltf", "glb",
        "fbx", "3ds", "dae", "usdz", "ply", "x_t", "sat", "dwf", "dwfx", "xlsx", "csv", "json", "xml", "zip", "html", "admin", "env", "config", "backup", "test"};

    /** The seeded request stream: [projectIndex, format]; also used (re-generated) by the self-check. */
    static String nextFormat(Random r) {
        int k = r.nextInt(100);
        if (k < 80) { // a real format, in the case the client sends
            String f = FORMATS[r.nextInt(FORMATS.length)];
            return r.nextInt(5) == 0 ? f.toUpperCase(Locale.ROOT) : f;
        }
        if (k < 85) { // a typo or an unsupported format, from a small set, with version suffixes
            String f = TYPOS[r.nextInt(TYPOS.length)];
            return r.nextInt(3) == 0 ? f + (2000 + r.nextInt(25)) : f;
        }
        // scanners and crawlers: a fresh token in the format position
        int len = 6 + r.nextInt(9);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(r.nextInt(36)));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val85.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(85_030_001);
        String[] firmCodes = new String[FIRMS];
        for (int f = 0; f < FIRMS; f++) {
            double[] exports = new double[80];
            for (int k = 0; k < exports.length; k++) exports[k] = rnd.nextDouble() * 500;
            firmCodes[f] = "AF" + (1_000 + f);
            FIRMS_BY_CODE.put(firmCodes[f], new Firm(firmCodes[f], "City " + (f % 180), exports));
        }
        ConvertService svc = new ConvertService();
        SERVICE = svc;
        String[] projectIds = new String[PROJECTS];
        String[] titles = {"Library extension", "Primary school", "Terraced houses", "Office refit", "Footbridge", "Clinic wing", "Warehouse", "Mixed-use block"};
        for (int p = 0; p < PROJECTS; p++) {
            projectIds[p] = "P" + (3_000_000 + p * 7);
            svc.projects.put(projectIds[p], new Project(projectIds[p], firmCodes[rnd.nextInt(FIRMS)], titles[p % titles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.tessellationBuffers.add(new byte[65_536]);
        Random traffic = new Random(85_030_002);
        Random other = new Random(85_030_003);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String projectId = projectIds[traffic.nextInt(PROJECTS)];
            svc.handle(projectId, nextFormat(traffic), other, t);
        }

        // Self-check: regenerate the request stream, collect the distinct class names that fail.
        Set<String> bogus = new HashSet<>();
        Random again = new Random(85_030_002);
        long bogusRequests = 0;
        for (int i = 0; i < REQUESTS; i++) {
            again.nextInt(PROJECTS);
            String f = nextFormat(again);
            if (!KNOWN_FORMATS.contains(f.toLowerCase(Locale.ROOT))) { bogusRequests++; bogus.add(ConvertService.pluginClassName(f)); }
        }
        VarHandle lockMap = MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup()).findVarHandle(ClassLoader.class, "parallelLockMap", ConcurrentHashMap.class);
        ClassLoader app = Val85LeakCadConvert.class.getClassLoader(), platform = app.getParent();
        ConcurrentHashMap<?, ?> appLocks = (ConcurrentHashMap<?, ?>) lockMap.get(app), platformLocks = (ConcurrentHashMap<?, ?>) lockMap.get(platform);
        int inApp = 0, inPlatform = 0;
        for (String n : bogus) { if (appLocks.containsKey(n)) inApp++; if (platformLocks.containsKey(n)) inPlatform++; }
        int distinct = bogus.size();
        bogus = null;
        System.out.println((FIXED ? "FIXED " : "") + "firms " + FIRMS_BY_CODE.size() + " projects " + svc.projects.size() + " requests " + svc.requests + " ok " + svc.ok + " 404 " + svc.notFound
                + " lookups " + svc.lookups + " failed " + svc.failedLookups + " (bogus requests " + bogusRequests + ", distinct names " + distinct + ") app loader locks " + appLocks.size() + " (bogus " + inApp
                + ") platform loader locks " + platformLocks.size() + " (bogus " + inPlatform + ") exporters " + svc.exporterInstances.size() + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted
                + ") pool " + svc.tessellationBuffers.size());
        check(FIRMS_BY_CODE.size() == FIRMS && svc.projects.size() == PROJECTS, "reference data / directory");
        check(svc.requests == REQUESTS && svc.notFound == bogusRequests && svc.ok == REQUESTS - bogusRequests, "traffic");
        check(svc.exporterInstances.size() == FORMATS.length, "one exporter per known format");
        if (FIXED) check(svc.failedLookups == 0 && inApp == 0 && inPlatform == 0, "no lookup of unknown names");
        else check(svc.failedLookups == bogusRequests && inApp == distinct && inPlatform == distinct && appLocks.size() > distinct, "a lock per name ever asked for: " + inApp);
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.tessellationBuffers.size() == POOL, "pool");
        check(svc.accessLog[RING - 1] != null, "access ring wraps");
        appLocks = null;
        platformLocks = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
