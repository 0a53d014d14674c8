// hprofscan-dump: name=val93-healthy-streetlighting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val93-healthy-streetlighting-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 93 (written blind), HEALTHY: the central management system of a city's street
 * lighting. District reference data, the lamp directory, a cache of rendered dimming-schedule pages at
 * its cap, a ring of recent lamp telemetry, a pool of radio-gateway buffers, three nightly import jobs
 * (one per maintenance contractor, reused every night) whose persistence session is cleared after
 * every chunk commit, and a route-handler registry whose handlers are replaced as a whole on every
 * configuration reload (every 10 minutes). See VALIDATION93.md.
 */
public final class Val93HealthyStreetLighting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DISTRICTS = 1_200, LAMPS = 28_000, PAGE_CAP = 2_000, POOL = 10, RING = 16_384, NIGHTS = 3, CHUNK = 400,
            FAULTS_PER_NIGHT = 1_500, READINGS = 60_000, SETTINGS = 300;
    static final long RELOAD_EVERY = 10 * MINUTE;
    static final String[] CONTRACTORS = {"contractor-northlight", "contractor-brightway", "contractor-lumen-services"};

    record District(String code, String ward, double[] dimmingByQuarterHour) {}
    record Lamp(String assetId, String districtCode, String luminaire, byte[] maintenanceHistory, long installedAt) {}
    record SchedulePage(String key, byte[] rendered, long at) {}
    record Telemetry(String assetId, float watts, float lux, boolean fault, long at) {}
    record EntityKey(String entity, long id) {}

    /** Entity: a fault report of a contractor. */
    static final class FaultReport {
        final long id; final String assetId, contractor; String code, status; byte[] description; long reportedAt, importedAt;
        FaultReport(long id, String assetId, String contractor) { this.id = id; this.assetId = assetId; this.contractor = contractor; }
    }

    /** Persistence session: managed entities by key, and the inserts not yet flushed. */
    static final class Session {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final List<Object> insertQueue = new ArrayList<>();
        long flushedRows, commits, clears;
        void persist(EntityKey key, Object entity) { identityMap.put(key, entity); insertQueue.add(entity); }
        void commit() { flushedRows += insertQueue.size(); insertQueue.clear(); commits++; }
        void clear() { identityMap.clear(); insertQueue.clear(); clears++; }
    }

    /** Nightly import of one contractor's fault reports; commits and clears the session per chunk. */
    static final class ImportJob {
        final String source;
        final Session session = new Session();
        long runs, imported;
        int maxManaged;
        ImportJob(String source) { this.source = source; }
        void run(long at, Random feed, long[] ids, String[] assetIds) {
            runs++;
            String[] codes = {"LAMP_OUT", "DAY_BURNER", "FLICKER", "POLE_DAMAGE", "CABLE_FAULT", "NODE_OFFLINE"};
            for (int f = 0; f < FAULTS_PER_NIGHT; f++) {
                long id = ids[0]++;
                FaultReport r = new FaultReport(id, assetIds[feed.nextInt(assetIds.length)], source);
                r.code = codes[feed.nextInt(codes.length)];
                r.status = "RECEIVED";
                r.description = new byte[80 + feed.nextInt(80)];
                r.reportedAt = at - (long) (1 + feed.nextInt(20)) * HOUR;
                r.importedAt = at + f * 500L;
                session.persist(new EntityKey("FaultReport", id), r);
                imported++;
                maxManaged = Math.max(maxManaged, session.identityMap.size());
                if ((f + 1) % CHUNK == 0) { session.commit(); session.clear(); }
            }
            session.commit();
            session.clear();
        }
    }

    static final class ConfigSnapshot {
        final long version, loadedAt;
        final Map<String, String> settings = new HashMap<>();
        final byte[] dimmingCurves;
        ConfigSnapshot(long version, long loadedAt, byte[] dimmingCurves) { this.version = version; this.loadedAt = loadedAt; this.dimmingCurves = dimmingCurves; }
    }

    static final class RouteHandler {
        final String prefix;
        final ConfigSnapshot config;
        long served;
        RouteHandler(String prefix, ConfigSnapshot config) { this.prefix = prefix; this.config = config; }
    }

    /** Handlers of the current configuration; a reload swaps in a complete new list. */
    static final class HandlerRegistry {
        List<RouteHandler> handlers = List.of();
        long generations;
        void replaceAll(List<RouteHandler> fresh) { handlers = List.copyOf(fresh); generations++; }
        RouteHandler lookup(String path) {
            for (RouteHandler h : handlers) if (path.startsWith(h.prefix)) return h;
            return null;
        }
    }

    static final class PageCache extends LinkedHashMap<String, SchedulePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SchedulePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, District> DISTRICTS_BY_CODE = new HashMap<>();

    static final class LightingService {
        final Map<String, Lamp> lamps = new HashMap<>();
        final PageCache schedulePages = new PageCache();
        final Telemetry[] telemetry = new Telemetry[RING];
        long readings;
        final ArrayDeque<byte[]> radioBuffers = new ArrayDeque<>();
        final Map<String, ImportJob> faultImports = new LinkedHashMap<>();
        final HandlerRegistry registry = new HandlerRegistry();
        ConfigSnapshot current;

        void applyConfig(ConfigSnapshot s) {
            current = s;
            List<RouteHandler> fresh = new ArrayList<>();
            for (String p : new String[] {"/lamps/", "/districts/", "/schedules/", "/faults", "/health", "/admin/"}) fresh.add(new RouteHandler(p, s));
            registry.replaceAll(fresh);
        }
    }

    static ConfigSnapshot loadConfig(long version, long at, Random r) {
        byte[] curves = new byte[24_576];
        for (int i = 0; i < curves.length; i += 64) curves[i] = (byte) r.nextInt(100);
        ConfigSnapshot s = new ConfigSnapshot(version, at, curves);
        for (int i = 0; i < SETTINGS; i++) s.settings.put("lighting.district-group." + i + ".dim-level", (20 + i % 60) + "%;after=23:00;rev=" + version);
        return s;
    }

    static LightingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        // the imports start at 02:00 UTC (one contractor every 10 minutes) and are done within 35 minutes
        long lastNight = end - end % DAY + 2 * HOUR;
        if (lastNight + 40 * MINUTE > end) lastNight -= DAY;
        long start = end - NIGHTS * DAY - HOUR;
        Random rnd = new Random(93_060_001);
        String[] districtCodes = new String[DISTRICTS];
        for (int d = 0; d < DISTRICTS; d++) {
            double[] dim = new double[96];
            for (int k = 0; k < dim.length; k++) dim[k] = rnd.nextDouble();
            districtCodes[d] = "D" + (100 + d);
            DISTRICTS_BY_CODE.put(districtCodes[d], new District(districtCodes[d], "Ward " + (d % 40), dim));
        }
        LightingService svc = new LightingService();
        SERVICE = svc;
        String[] luminaires = {"LED-35W", "LED-55W", "LED-90W", "SON-70W", "CMH-60W"};
        String[] assetIds = new String[LAMPS];
        for (int l = 0; l < LAMPS; l++) {
            assetIds[l] = "SL-" + (200_000 + l * 3);
            svc.lamps.put(assetIds[l], new Lamp(assetIds[l], districtCodes[rnd.nextInt(DISTRICTS)], luminaires[l % luminaires.length], new byte[180 + rnd.nextInt(180)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.radioBuffers.add(new byte[32_768]);
        for (String c : CONTRACTORS) svc.faultImports.put(c, new ImportJob(c));
        Random config = new Random(93_060_002);
        Random feed = new Random(93_060_003);
        Random traffic = new Random(93_060_004);
        long version = 1;
        svc.applyConfig(loadConfig(version, start, config));
        long nextReload = start + RELOAD_EVERY;
        long nextNight = lastNight - (NIGHTS - 1) * DAY;
        long[] ids = {80_000_000};
        int nights = 0;
        String[] paths = {"/lamps/", "/lamps/", "/districts/", "/schedules/", "/schedules/", "/faults", "/health"};
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - MINUTE - start) * i / READINGS;
            while (nextReload <= t) { svc.applyConfig(loadConfig(++version, nextReload, config)); nextReload += RELOAD_EVERY; }
            while (nextNight <= t) {
                int s = 0;
                for (ImportJob job : svc.faultImports.values()) job.run(nextNight + (s++) * 10 * MINUTE, feed, ids, assetIds);
                nights++;
                nextNight += DAY;
            }
            String asset = assetIds[traffic.nextInt(LAMPS)];
            svc.telemetry[(int) (svc.readings++ % RING)] = new Telemetry(asset, 20 + traffic.nextFloat() * 70, traffic.nextFloat() * 40, traffic.nextInt(200) == 0, t);
            RouteHandler h = svc.registry.lookup(paths[traffic.nextInt(paths.length)] + asset);
            if (h.config != svc.current) throw new IllegalStateException("stale handler");
            h.served++;
            String key = "schedule-" + traffic.nextInt(4_500);
            if (svc.schedulePages.get(key) == null) svc.schedulePages.put(key, new SchedulePage(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 3 == 0) {
                byte[] buf = svc.radioBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.radioBuffers.add(buf);
            }
        }
        districtCodes = null; assetIds = null; // the id arrays of the simulation are not part of the service
        long managed = 0, imported = 0, flushed = 0, queued = 0;
        int maxManaged = 0;
        for (ImportJob job : svc.faultImports.values()) {
            managed += job.session.identityMap.size();
            imported += job.imported;
            flushed += job.session.flushedRows;
            queued += job.session.insertQueue.size();
            maxManaged = Math.max(maxManaged, job.maxManaged);
        }
        long reloadsExpected = (end - MINUTE - start) / RELOAD_EVERY;
        System.out.println("districts " + DISTRICTS_BY_CODE.size() + " lamps " + svc.lamps.size() + " nights " + nights + " (last import " + (end - lastNight) / MINUTE + " min ago) imported " + imported + " flushed " + flushed
                + " managed " + managed + " (max " + maxManaged + ") config generations " + svc.registry.generations + " (version " + svc.current.version + ") handlers " + svc.registry.handlers.size()
                + " pages " + svc.schedulePages.size() + " (evicted " + svc.schedulePages.evicted + ") readings " + svc.readings + " pool " + svc.radioBuffers.size());
        check(DISTRICTS_BY_CODE.size() == DISTRICTS && svc.lamps.size() == LAMPS, "reference data / directory");
        check(nights == NIGHTS && imported == (long) NIGHTS * CONTRACTORS.length * FAULTS_PER_NIGHT && flushed == imported && queued == 0 && managed == 0 && maxManaged == CHUNK, "imports cleared: " + managed);
        check(svc.registry.generations == reloadsExpected + 1 && svc.registry.handlers.size() == 6 && svc.registry.handlers.get(0).config == svc.current, "one generation of handlers");
        check(svc.schedulePages.size() == PAGE_CAP && svc.schedulePages.evicted > 0, "page cache at cap");
        check(svc.readings == READINGS && svc.telemetry[RING - 1] != null, "ring");
        check(svc.radioBuffers.size() == POOL, "pool");
        LeakCheck.histogram("[I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
