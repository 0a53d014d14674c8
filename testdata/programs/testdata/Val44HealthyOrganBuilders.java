// hprofscan-dump: name=val44-healthy-organbuilders jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val44-healthy-organbuilders-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validation set 44 (written blind), HEALTHY: the workshop service of a pipe-organ builder. Organ
 * stop reference data, the pipe directory, a cache of rendered pipe drawings at its cap, a ring of
 * workbench events, a pool of voicing-analysis buffers, a static cache of compiled search patterns
 * keyed by expression (bounded by the 240 saved searches the UI offers: free text is not accepted),
 * and the nightly pipe-inventory sync, in progress at dump time, whose unit of work is flushed,
 * committed and cleared after every chunk of 250 pipes. See VALIDATION44.md.
 */
public final class Val44HealthyOrganBuilders {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STOPS = 1_100, PIPES = 28_000, DRAWING_CAP = 2_000, POOL = 10, RING = 16_384, BENCH_EVENTS = 60_000,
            SAVED_SEARCHES = 240, CHUNK = 250, SYNCED_AT_DUMP = 90 * CHUNK + 170;

    record Stop(String code, String name, double[] voicingCurve) {}
    record Pipe(String pipeId, String stopCode, String organ, int lengthMm, byte[] voicingRecord, long madeAt) {}
    record Drawing(String key, byte[] rendered, long at) {}
    record BenchEvent(String pipeId, String voicer, String action, long at) {}

    /** Compiled patterns of the saved searches, keyed by their expression; at most SAVED_SEARCHES keys. */
    static final class SearchFilters {
        static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
        static long compiles, hits;
        static Pattern forSaved(String expression) {
            Pattern p = COMPILED.get(expression);
            if (p != null) { hits++; return p; }
            compiles++;
            p = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
            COMPILED.put(expression, p);
            return p;
        }
    }

    /** Entity of the inventory sync, as loaded from the database. */
    static final class PipeRow {
        final String pipeId; final int lengthMm; String location; String condition; final byte[] photoRef;
        PipeRow(String pipeId, int lengthMm, String location, String condition, byte[] photoRef) { this.pipeId = pipeId; this.lengthMm = lengthMm; this.location = location; this.condition = condition; this.photoRef = photoRef; }
        Object[] state() { return new Object[] {lengthMm, location, condition}; }
    }
    record EntityKey(String entity, String id) {}
    static final class EntityEntry {
        final PipeRow entity; Object[] loadedState;
        EntityEntry(PipeRow entity, Object[] loadedState) { this.entity = entity; this.loadedState = loadedState; }
    }
    static final class UnitOfWork {
        final HashMap<EntityKey, EntityEntry> identityMap = new HashMap<>();
        long loads, flushes, rowsWritten, commits, clears; int maxManaged;
        PipeRow find(String id, java.util.function.Function<String, PipeRow> loader) {
            EntityKey k = new EntityKey("PipeRow", id);
            EntityEntry e = identityMap.get(k);
            if (e != null) return e.entity;
            PipeRow row = loader.apply(id); loads++;
            identityMap.put(k, new EntityEntry(row, row.state()));
            maxManaged = Math.max(maxManaged, identityMap.size());
            return row;
        }
        void flush() {
            flushes++;
            for (EntityEntry e : identityMap.values()) {
                Object[] now = e.entity.state();
                boolean dirty = false;
                for (int k = 0; k < now.length; k++) dirty |= !Objects.equals(now[k], e.loadedState[k]);
                if (dirty) { rowsWritten++; e.loadedState = now; }
            }
        }
        void commit() { commits++; }
        void clear() { identityMap.clear(); clears++; }
    }
    static final class InventorySync {
        final String runId; final long startedAt; int processed, chunksCommitted;
        final UnitOfWork session = new UnitOfWork();
        InventorySync(String runId, long startedAt) { this.runId = runId; this.startedAt = startedAt; }
    }

    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, Pipe> pipes = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final BenchEvent[] bench = new BenchEvent[RING];
        final ArrayDeque<byte[]> voicingBuffers = new ArrayDeque<>();
        long benchWritten, searches, searchHits;
        InventorySync currentSync;
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 10 * HOUR;
        Random rnd = new Random(44_060_001);
        String[] stopNames = {"Open Diapason", "Stopped Diapason", "Principal", "Flute", "Fifteenth", "Mixture", "Trumpet", "Oboe", "Bourdon", "Gamba", "Celeste", "Tierce"};
        String[] stopCodes = new String[STOPS];
        for (int s = 0; s < STOPS; s++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 60;
            stopCodes[s] = "ST-" + (700 + s);
            STOPS_BY_CODE.put(stopCodes[s], new Stop(stopCodes[s], stopNames[s % stopNames.length] + " " + (s % 3 == 0 ? "8'" : s % 3 == 1 ? "4'" : "16'"), curve));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        String[] organs = new String[60];
        for (int o = 0; o < organs.length; o++) organs[o] = "Organ " + (o + 1) + " (" + (o % 2 == 0 ? "St Mary's" : "Town Hall") + ")";
        String[] pipeIds = new String[PIPES];
        String[] titles = new String[PIPES];
        for (int p = 0; p < PIPES; p++) {
            pipeIds[p] = "PP-" + (1_000_000 + p);
            String stop = stopCodes[rnd.nextInt(STOPS)];
            titles[p] = STOPS_BY_CODE.get(stop).name() + " " + organs[p % organs.length] + " note " + (p % 61);
            svc.pipes.put(pipeIds[p], new Pipe(pipeIds[p], stop, organs[p % organs.length], 20 + rnd.nextInt(4_900), new byte[180 + rnd.nextInt(180)],
                    now - (long) (1 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.voicingBuffers.add(new byte[32_768]);
        String[] saved = new String[SAVED_SEARCHES];
        for (int k = 0; k < SAVED_SEARCHES; k++) saved[k] = "^" + stopNames[k % stopNames.length] + ".*" + organs[k % organs.length].replace("(", "\\(").replace(")", "\\)") + " note " + (k % 61) + "$";
        Random traffic = new Random(44_060_002);
        String[] voicers = {"voicer-ab", "voicer-cd", "voicer-ef", "voicer-gh", "voicer-ij", "voicer-kl"};
        String[] actions = {"cut-up", "nick", "regulate", "tune", "clean", "solder"};
        for (int i = 0; i < BENCH_EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / BENCH_EVENTS;
            String pipeId = pipeIds[traffic.nextInt(PIPES)];
            svc.bench[(int) (svc.benchWritten++ % RING)] = new BenchEvent(pipeId, voicers[traffic.nextInt(voicers.length)], actions[traffic.nextInt(actions.length)], t);
            if (i % 5 == 0) {
                Pattern p = SearchFilters.forSaved(saved[traffic.nextInt(SAVED_SEARCHES)]);
                int from = traffic.nextInt(PIPES - 32);
                for (int k = from; k < from + 32; k++) if (p.matcher(titles[k]).find()) svc.searchHits++;
                svc.searches++;
            }
            String key = "drawing-" + traffic.nextInt(5_000);
            if (svc.drawings.get(key) == null) svc.drawings.put(key, new Drawing(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.voicingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.voicingBuffers.add(buf);
        }
        // Nightly pipe-inventory sync, started 50 minutes ago, in progress at the dump.
        long syncStart = end - 50 * MINUTE;
        InventorySync sync = new InventorySync("INV-" + (syncStart / MINUTE), syncStart);
        svc.currentSync = sync;
        Random db = new Random(44_060_003);
        String[] locations = {"Bench A", "Bench B", "Store 1", "Store 2", "On site", "Voicing room"};
        String[] conditions = {"GOOD", "DENTED", "NEEDS_CLEAN", "SPLIT_SEAM"};
        for (int i = 0; i < SYNCED_AT_DUMP; i++) {
            PipeRow row = sync.session.find(pipeIds[i], id -> new PipeRow(id, svc.pipes.get(id).lengthMm(), locations[db.nextInt(locations.length)], conditions[db.nextInt(conditions.length)], new byte[40 + db.nextInt(40)]));
            if (db.nextInt(10) == 0) row.location = locations[db.nextInt(locations.length)];
            sync.processed++;
            if (sync.processed % CHUNK == 0) {
                sync.session.flush();
                sync.session.commit();
                sync.session.clear();
                sync.chunksCommitted++;
            }
        }
        titles = null; pipeIds = null; saved = null; stopCodes = null; organs = null; // main's big locals: dead from here on
        UnitOfWork s = sync.session;
        System.out.println("stops " + STOPS_BY_CODE.size() + " pipes " + svc.pipes.size() + " bench " + svc.benchWritten + " searches " + svc.searches + " (hits " + svc.searchHits + ") compiled "
                + SearchFilters.COMPILED.size() + " (compiles " + SearchFilters.compiles + ", cache hits " + SearchFilters.hits + ") sync " + sync.runId + " processed " + sync.processed + " chunks " + sync.chunksCommitted
                + " managed " + s.identityMap.size() + " (max " + s.maxManaged + ", loads " + s.loads + ", rows written " + s.rowsWritten + ", clears " + s.clears + ") drawings " + svc.drawings.size()
                + " (evicted " + svc.drawings.evicted + ") pool " + svc.voicingBuffers.size());
        check(STOPS_BY_CODE.size() == STOPS && svc.pipes.size() == PIPES, "reference data / directory");
        check(SearchFilters.COMPILED.size() <= SAVED_SEARCHES && SearchFilters.compiles == SearchFilters.COMPILED.size() && SearchFilters.compiles + SearchFilters.hits == svc.searches, "saved-search patterns");
        check(sync.chunksCommitted == SYNCED_AT_DUMP / CHUNK && s.identityMap.size() == SYNCED_AT_DUMP % CHUNK && s.maxManaged == CHUNK && s.clears == sync.chunksCommitted, "unit of work cleared per chunk");
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted > 0, "drawing cache at cap");
        check(svc.benchWritten == BENCH_EVENTS && svc.bench[RING - 1] != null, "bench ring");
        check(svc.voicingBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
