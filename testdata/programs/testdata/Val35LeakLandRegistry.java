// hprofscan-dump: name=val35-leak-landregistry jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val35-leak-landregistry-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 35 (written blind), LEAK: the land registry's parcel service. Municipality
 * reference data, the title-deed directory, a cache of rendered parcel maps at its cap, a ring of
 * recent title searches, a pool of geometry-parse buffers, and the nightly cadastre import, running
 * when the dump is taken. The import goes through one hand-written unit of work (Session) whose
 * identity map (EntityKey -> managed Parcel) and snapshot copies (EntityKey -> Object[] state, for
 * dirty checking) grow with every imported row: the job calls flush() every 500 rows but never
 * clear(). See VALIDATION35.md.
 */
public final class Val35LeakLandRegistry {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MUNICIPALITIES = 900, DEEDS = 22_000, MAP_CAP = 2_000, POOL = 8, RING = 8_192, SEARCHES = 30_000, HOURS = 10;
    static final int IMPORT_ROWS = 64_000, FLUSH_EVERY = 500, DUMP_AT_ROW = 22_250;
    static final long IMPORT_MINUTES = 40;
    static boolean FIXED;

    record Municipality(String code, String name, double[] levyRates) {}
    record TitleDeed(String titleNumber, String municipalityCode, String proprietor, byte[] register, long registeredAt) {}
    record ParcelMap(String key, byte[] rendered, long at) {}
    record TitleSearch(String titleNumber, String requester, long at) {}
    record EntityKey(String entity, Object id) {}

    /** A managed entity of the import (mutable, as entities are). */
    static final class Parcel {
        final String parcelId; String municipalityCode, ownerName; double areaSqm; long registeredAt, importedAt; byte[] geometry;
        Parcel(String parcelId) { this.parcelId = parcelId; }
        Object[] state() { return new Object[] {municipalityCode, ownerName, Double.valueOf(areaSqm), Long.valueOf(registeredAt), Long.valueOf(importedAt), geometry.clone()}; }
    }

    /** Hand-written unit of work: identity map, snapshots for dirty checking, an insert queue. */
    static final class Session {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final Map<EntityKey, Object[]> snapshots = new HashMap<>();
        final List<Parcel> insertQueue = new ArrayList<>();
        long flushes, inserted, updated, clears;
        void persist(Parcel p) {
            EntityKey k = new EntityKey("Parcel", p.parcelId);
            identityMap.put(k, p);
            snapshots.put(k, p.state());
            insertQueue.add(p);
        }
        /** Writes queued inserts and any managed entity whose state differs from its snapshot. */
        void flush() {
            inserted += insertQueue.size();
            insertQueue.clear();
            for (Map.Entry<EntityKey, Object> e : identityMap.entrySet()) {
                Parcel p = (Parcel) e.getValue();
                Object[] snap = snapshots.get(e.getKey());
                if (!Objects.equals(snap[1], p.ownerName) || !Arrays.equals((byte[]) snap[5], p.geometry)) { updated++; snapshots.put(e.getKey(), p.state()); }
            }
            flushes++;
        }
        void clear() { identityMap.clear(); snapshots.clear(); insertQueue.clear(); clears++; }
    }

    /** Streams the cadastre export file (rows generated from a seed, as if parsed). */
    static final class RowReader {
        final Random r; int rowsRead;
        RowReader(long seed) { r = new Random(seed); }
    }

    static final class ImportJob {
        final String file; final long startedAt; final int totalRows; final Session session = new Session(); final RowReader reader;
        boolean running; int rowsImported;
        ImportJob(String file, long startedAt, int totalRows, long seed) { this.file = file; this.startedAt = startedAt; this.totalRows = totalRows; this.reader = new RowReader(seed); }
    }

    static final class MapCache extends LinkedHashMap<String, ParcelMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ParcelMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Municipality> MUNICIPALITIES_BY_CODE = new HashMap<>();

    static final class ParcelService {
        final Map<String, TitleDeed> deeds = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> geometryBuffers = new ArrayDeque<>();
        final TitleSearch[] searches = new TitleSearch[RING];
        long searchCount;
        ImportJob currentImport;
    }

    static ParcelService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val35.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(35_030_001);
        String[] muniCodes = new String[MUNICIPALITIES];
        for (int m = 0; m < MUNICIPALITIES; m++) {
            double[] levy = new double[64];
            for (int k = 0; k < levy.length; k++) levy[k] = rnd.nextDouble() * 3;
            muniCodes[m] = "M" + (4_000 + m * 3);
            MUNICIPALITIES_BY_CODE.put(muniCodes[m], new Municipality(muniCodes[m], "Municipality " + m, levy));
        }
        ParcelService svc = new ParcelService();
        SERVICE = svc;
        String[] titles = new String[DEEDS];
        for (int d = 0; d < DEEDS; d++) {
            titles[d] = "TN" + (800_000 + d * 11);
            svc.deeds.put(titles[d], new TitleDeed(titles[d], muniCodes[rnd.nextInt(MUNICIPALITIES)], "Proprietor " + rnd.nextInt(1_000_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(7_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.geometryBuffers.add(new byte[32_768]);
        // Daytime traffic: title searches and parcel maps over the 10 hours before the import started.
        long importStart = end - IMPORT_MINUTES * MINUTE;
        Random traffic = new Random(35_030_002);
        for (int i = 0; i < SEARCHES; i++) {
            long t = start + (importStart - start) * i / SEARCHES;
            svc.searches[(int) (svc.searchCount++ % RING)] = new TitleSearch(titles[traffic.nextInt(DEEDS)], "conveyancer-" + traffic.nextInt(2_000), t);
            String key = "map-" + traffic.nextInt(4_000);
            if (svc.maps.get(key) == null) svc.maps.put(key, new ParcelMap(key, new byte[600 + traffic.nextInt(600)], t));
        }
        // The nightly import: 64,000 rows, started 40 minutes ago; the dump is taken at row 22,250.
        ImportJob job = new ImportJob("cadastre-export-" + (importStart / (24 * HOUR)) + ".csv", importStart, IMPORT_ROWS, 35_030_003);
        svc.currentImport = job;
        job.running = true;
        Session session = job.session;
        String[] surnames = {"Okafor", "Lindqvist", "Moreau", "Haddad", "Kowalski", "Tanaka", "Fitzgerald", "Novak", "Costa", "Brennan"};
        for (int row = 0; row < DUMP_AT_ROW; row++) {
            Random r = job.reader.r;
            job.reader.rowsRead++;
            Parcel p = new Parcel("P-" + muniCodes[r.nextInt(MUNICIPALITIES)].substring(1) + "-" + (1_000_000 + row * 7));
            p.municipalityCode = muniCodes[r.nextInt(MUNICIPALITIES)];
            p.ownerName = surnames[r.nextInt(surnames.length)] + " " + (char) ('A' + r.nextInt(26)) + "." + r.nextInt(10_000);
            p.areaSqm = 80 + r.nextDouble() * 20_000;
            p.registeredAt = now - (long) (1 + r.nextInt(20_000)) * 24 * HOUR;
            p.importedAt = importStart + (end - MINUTE - importStart) * row / DUMP_AT_ROW;
            p.geometry = new byte[40 + r.nextInt(60)];
            byte[] buf = svc.geometryBuffers.poll();
            buf[row % buf.length] = (byte) row;
            svc.geometryBuffers.add(buf);
            session.persist(p);
            job.rowsImported++;
            if (job.rowsImported % FLUSH_EVERY == 0) {
                session.flush();
                if (FIXED) session.clear(); // the fix: detach what was written
                // BUG: without the fix nothing is detached; the identity map and snapshots keep every row
            }
        }
        int sinceFlush = DUMP_AT_ROW % FLUSH_EVERY;
        System.out.println((FIXED ? "FIXED " : "") + "municipalities " + MUNICIPALITIES_BY_CODE.size() + " deeds " + svc.deeds.size() + " searches " + svc.searchCount + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted
                + ") pool " + svc.geometryBuffers.size() + " import " + job.file + " rows " + job.rowsImported + "/" + job.totalRows + " identityMap " + session.identityMap.size() + " snapshots " + session.snapshots.size()
                + " insertQueue " + session.insertQueue.size() + " flushes " + session.flushes + " inserted " + session.inserted + " updated " + session.updated + " clears " + session.clears);
        check(MUNICIPALITIES_BY_CODE.size() == MUNICIPALITIES && svc.deeds.size() == DEEDS, "reference data / directory");
        check(job.running && job.rowsImported == DUMP_AT_ROW && session.flushes == DUMP_AT_ROW / FLUSH_EVERY && session.insertQueue.size() == sinceFlush, "import progress");
        if (FIXED) check(session.identityMap.size() == sinceFlush && session.snapshots.size() == sinceFlush, "cleared session");
        else check(session.identityMap.size() == DUMP_AT_ROW && session.snapshots.size() == DUMP_AT_ROW, "session keeps every row: " + session.identityMap.size());
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.geometryBuffers.size() == POOL, "pool");
        check(svc.searchCount == SEARCHES && svc.searches[RING - 1] != null, "search ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
