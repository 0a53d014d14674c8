// hprofscan-dump: name=val93-leak-examresults jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val93-leak-examresults-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 93 (written blind), LEAK: the results portal of a school exam board. Exam-centre
 * reference data, the candidate directory, a cache of rendered certificates at its cap, a pool of
 * PDF buffers, a ring of recent accesses, and a route-handler registry. The portal polls its
 * configuration service every 10 minutes and, on each reload, registers its six route handlers again,
 * each built on the new configuration snapshot, without unregistering the previous ones: lookup takes
 * the newest matching handler, so the portal behaves, but the handler list grows by six per reload and
 * every old handler keeps its whole configuration snapshot. See VALIDATION93.md.
 */
public final class Val93LeakExamResults {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CENTRES = 1_300, CANDIDATES = 26_000, CERT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS = 60_000, SETTINGS = 300;
    static final long RELOAD_EVERY = 10 * MINUTE;
    static boolean FIXED;

    record Centre(String code, String region, double[] passRateBySubject) {}
    record Candidate(String number, String centreCode, String name, byte[] results, long registeredAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record Access(String candidateNumber, String path, int status, long at) {}

    /** One parsed configuration: settings, the grade-boundary table, banner messages. */
    static final class ConfigSnapshot {
        final long version, loadedAt;
        final Map<String, String> settings = new HashMap<>();
        final byte[] gradeBoundaries;
        final String[] banners;
        ConfigSnapshot(long version, long loadedAt, byte[] gradeBoundaries, String[] banners) { this.version = version; this.loadedAt = loadedAt; this.gradeBoundaries = gradeBoundaries; this.banners = banners; }
    }

    abstract static class RouteHandler {
        final String prefix;
        final ConfigSnapshot config;
        long served;
        RouteHandler(String prefix, ConfigSnapshot config) { this.prefix = prefix; this.config = config; }
        abstract int handle(String path);
    }
    static final class ResultsHandler extends RouteHandler {
        ResultsHandler(ConfigSnapshot c) { super("/results/", c); }
        int handle(String path) { served++; return config.settings.containsKey("results.embargo.lifted") ? 200 : 403; }
    }
    static final class CertificateHandler extends RouteHandler {
        CertificateHandler(ConfigSnapshot c) { super("/certificates/", c); }
        int handle(String path) { served++; return 200; }
    }
    static final class CentreStatsHandler extends RouteHandler {
        CentreStatsHandler(ConfigSnapshot c) { super("/centres/", c); }
        int handle(String path) { served++; return config.gradeBoundaries.length > 0 ? 200 : 500; }
    }
    static final class AppealsHandler extends RouteHandler {
        AppealsHandler(ConfigSnapshot c) { super("/appeals", c); }
        int handle(String path) { served++; return 202; }
    }
    static final class HealthHandler extends RouteHandler {
        HealthHandler(ConfigSnapshot c) { super("/health", c); }
        int handle(String path) { served++; return 200; }
    }
    static final class AdminHandler extends RouteHandler {
        AdminHandler(ConfigSnapshot c) { super("/admin/", c); }
        int handle(String path) { served++; return 401; }
    }

    /** Route handlers in registration order; the newest matching one serves a request. */
    static final class HandlerRegistry {
        final List<RouteHandler> handlers = new ArrayList<>();
        long registrations, unregistrations;
        void register(RouteHandler h) { handlers.add(h); registrations++; }
        void unregisterAll() { unregistrations += handlers.size(); handlers.clear(); }
        RouteHandler lookup(String path) {
            for (int i = handlers.size() - 1; i >= 0; i--) if (path.startsWith(handlers.get(i).prefix)) return handlers.get(i);
            return null;
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class ResultsPortal {
        final Map<String, Candidate> candidates = new HashMap<>();
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Access[] accessLog = new Access[RING];
        long accesses;
        final HandlerRegistry registry = new HandlerRegistry();
        ConfigSnapshot current;
        long reloads;

        void applyConfig(ConfigSnapshot snapshot) {
            current = snapshot;
            reloads++;
            // BUG: the handlers built on the previous snapshot are never unregistered.
            if (FIXED) registry.unregisterAll();
            registry.register(new ResultsHandler(snapshot));
            registry.register(new CertificateHandler(snapshot));
            registry.register(new CentreStatsHandler(snapshot));
            registry.register(new AppealsHandler(snapshot));
            registry.register(new HealthHandler(snapshot));
            registry.register(new AdminHandler(snapshot));
        }
    }

    /** Parses the configuration as served by the configuration service (fresh objects every time). */
    static ConfigSnapshot loadConfig(long version, long at, Random r) {
        byte[] boundaries = new byte[24_576];
        for (int i = 0; i < boundaries.length; i += 64) boundaries[i] = (byte) r.nextInt(100);
        ConfigSnapshot s = new ConfigSnapshot(version, at, boundaries, new String[] {"Results day: " + (version % 3 == 0 ? "published" : "pending"), "Appeals close in " + (14 - version % 14) + " days"});
        for (int i = 0; i < SETTINGS; i++) s.settings.put("portal.centre-group." + i + ".embargo", "2025-08-" + (10 + i % 20) + "T08:00:00Z;grace=" + (i % 7) + ";rev=" + version);
        s.settings.put("results.embargo.lifted", "true");
        return s;
    }

    static ResultsPortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val93.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(93_040_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] pass = new double[80];
            for (int k = 0; k < pass.length; k++) pass[k] = rnd.nextDouble();
            centreCodes[c] = "C" + (10_000 + c * 7);
            CENTRES_BY_CODE.put(centreCodes[c], new Centre(centreCodes[c], "Region " + (c % 12), pass));
        }
        ResultsPortal svc = new ResultsPortal();
        SERVICE = svc;
        String[] numbers = new String[CANDIDATES];
        for (int c = 0; c < CANDIDATES; c++) {
            numbers[c] = "CAND" + (4_400_000 + c * 3);
            svc.candidates.put(numbers[c], new Candidate(numbers[c], centreCodes[rnd.nextInt(CENTRES)], "Candidate " + c, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random config = new Random(93_040_002);
        Random traffic = new Random(93_040_003);
        long version = 1;
        svc.applyConfig(loadConfig(version, start, config));
        long nextReload = start + RELOAD_EVERY;
        String[] paths = {"/results/", "/results/", "/results/", "/certificates/", "/certificates/", "/centres/", "/appeals", "/health", "/admin/"};
        int[] byStatus = new int[600];
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            while (nextReload <= t) { svc.applyConfig(loadConfig(++version, nextReload, config)); nextReload += RELOAD_EVERY; }
            String cand = numbers[traffic.nextInt(CANDIDATES)];
            String path = paths[traffic.nextInt(paths.length)] + cand;
            RouteHandler h = svc.registry.lookup(path);
            if (h.config != svc.current) throw new IllegalStateException("stale handler served " + path);
            int status = h.handle(path);
            byStatus[status]++;
            svc.accessLog[(int) (svc.accesses++ % RING)] = new Access(cand, path, status, t);
            if (path.startsWith("/certificates/")) {
                String key = "cert-" + traffic.nextInt(5_000);
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            }
        }
        centreCodes = null; numbers = null; // the id arrays of the simulation are not part of the service
        int reloadsExpected = HOURS * 6 - 1;
        int liveSnapshots = 0;
        java.util.IdentityHashMap<ConfigSnapshot, Boolean> distinct = new java.util.IdentityHashMap<>();
        for (RouteHandler h : svc.registry.handlers) distinct.put(h.config, Boolean.TRUE);
        liveSnapshots = distinct.size();
        distinct = null; // the check's own bookkeeping is not part of the service (an interpreted main frame keeps its locals)
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " candidates " + svc.candidates.size() + " configs applied " + svc.reloads + " (version " + svc.current.version + ") handlers " + svc.registry.handlers.size()
                + " (registered " + svc.registry.registrations + ", unregistered " + svc.registry.unregistrations + ", snapshots held " + liveSnapshots + ") statuses 200=" + byStatus[200] + " 202=" + byStatus[202] + " 401=" + byStatus[401]
                + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.pdfBuffers.size() + " accesses " + svc.accesses);
        check(CENTRES_BY_CODE.size() == CENTRES && svc.candidates.size() == CANDIDATES, "reference data / directory");
        check(svc.reloads == reloadsExpected + 1 && svc.registry.registrations == 6L * (reloadsExpected + 1), "reloads: " + svc.reloads);
        if (FIXED) check(svc.registry.handlers.size() == 6 && liveSnapshots == 1, "one generation of handlers");
        else check(svc.registry.handlers.size() == 6 * (reloadsExpected + 1) && liveSnapshots == reloadsExpected + 1, "every generation kept: " + svc.registry.handlers.size());
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.accesses == REQUESTS && svc.accessLog[RING - 1] != null, "ring");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
