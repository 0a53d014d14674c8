// hprofscan-dump: name=val34-healthy-cartography-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val34-healthy-cartography-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val34-healthy-cartography jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val34-healthy-cartography-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 34 (written blind), HEALTHY: the map-sheet editor of a national mapping agency.
 * Projection-zone reference data, the gazetteer (place-name directory), 30 long-open map sheets each
 * with an undo history capped at the configured limit (150, read from the right key), a tile cache
 * keyed by TileKey(sheet, zoom, x, y) (no time in the key) capped at 2,000, a pool of raster
 * buffers, a ring of recent saves, and one JMX SheetStats MBean per open sheet. Warms up (the undo
 * histories and the save ring fill) and then plateaus. See VALIDATION34.md.
 */
public final class Val34HealthyCartography {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_400, PLACES = 26_000, SHEETS = 30, FEATURES = 600, TILE_CAP = 2_000, POOL = 8, RING = 8_192, EDITS_PER_HOUR = 3_000;

    record ProjectionZone(String code, String datum, double[] gridCorrections) {}
    record Place(String placeId, String name, String featureClass, byte[] record, long surveyedAt) {}
    record TileKey(String sheetId, int zoom, int x, int y) {}
    record Tile(TileKey key, byte[] raster, long renderedAt) {}
    record SaveRecord(String sheetId, long version, String editor, long at) {}
    record Edit(long seq, int feature, String before, String after, String editor, long at) {}

    static final class EditorConfig {
        final Properties props = new Properties();
        EditorConfig() { props.setProperty("editor.undoLimit", "150"); props.setProperty("tiles.cacheSize", Integer.toString(TILE_CAP)); }
        int undoLimit() { return Integer.parseInt(props.getProperty("editor.undoLimit", "150")); }
    }

    static final class UndoHistory {
        final ArrayDeque<Edit> undo = new ArrayDeque<>();
        final ArrayDeque<Edit> redo = new ArrayDeque<>();
        final int limit;
        long recorded, undone, trimmed;
        UndoHistory(int limit) { this.limit = limit; }
        void record(Edit e) {
            undo.addLast(e);
            redo.clear();
            recorded++;
            while (undo.size() > limit) { undo.removeFirst(); trimmed++; }
        }
        Edit undoLast() { Edit e = undo.pollLast(); if (e != null) { redo.addLast(e); undone++; } return e; }
    }

    static final class MapSheet {
        final String sheetId, zoneCode; final String[] featureLabels; final UndoHistory history; final long openedAt;
        long version;
        MapSheet(String sheetId, String zoneCode, String[] labels, int undoLimit, long openedAt) { this.sheetId = sheetId; this.zoneCode = zoneCode; this.featureLabels = labels; this.history = new UndoHistory(undoLimit); this.openedAt = openedAt; }
    }

    public interface SheetStatsMBean { String getSheetId(); long getVersion(); int getUndoDepth(); }

    public static final class SheetStats implements SheetStatsMBean {
        final MapSheet sheet;
        SheetStats(MapSheet sheet) { this.sheet = sheet; }
        @Override public String getSheetId() { return sheet.sheetId; }
        @Override public long getVersion() { return sheet.version; }
        @Override public int getUndoDepth() { return sheet.history.undo.size(); }
    }

    static final class TileCache extends LinkedHashMap<TileKey, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<TileKey, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ProjectionZone> ZONES_BY_CODE = new HashMap<>();

    static final class SheetEditorService {
        final EditorConfig config = new EditorConfig();
        final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Place> gazetteer = new HashMap<>();
        final Map<String, MapSheet> sheets = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> rasterBuffers = new ArrayDeque<>();
        final SaveRecord[] saves = new SaveRecord[RING];
        long saveCount, edits, undos, tileHits, tileMisses;
    }

    static SheetEditorService SERVICE;

    static final String[] WORDS = {"Beck", "Fell", "Moss", "Hollow", "Cross", "Mill", "Farm", "Wood", "Tarn", "Pike", "Gill", "Knott", "Barrow", "Scar", "Ford", "Green", "Lane", "Head"};

    static String label(Random r) {
        StringBuilder sb = new StringBuilder();
        int words = 2 + r.nextInt(3);
        for (int w = 0; w < words; w++) { if (w > 0) sb.append(' '); sb.append(WORDS[r.nextInt(WORDS.length)]); }
        return sb.append(" (").append(r.nextInt(900) + 100).append(" m)").toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int edits = EDITS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(34_050_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] corr = new double[60];
            for (int k = 0; k < corr.length; k++) corr[k] = rnd.nextGaussian() * 0.3;
            zoneCodes[z] = "PZ-" + (z / 60) + "-" + (z % 60);
            ZONES_BY_CODE.put(zoneCodes[z], new ProjectionZone(zoneCodes[z], z % 3 == 0 ? "OSGB36" : "ETRS89", corr));
        }
        SheetEditorService svc = new SheetEditorService();
        SERVICE = svc;
        String[] classes = {"Settlement", "Hill", "Water", "Wood", "Farm", "Antiquity", "Road"};
        for (int p = 0; p < PLACES; p++) {
            String id = "GZ" + (3_000_000 + p * 11);
            svc.gazetteer.put(id, new Place(id, label(rnd), classes[p % classes.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        int undoLimit = svc.config.undoLimit();
        String[] sheetIds = new String[SHEETS];
        for (int s = 0; s < SHEETS; s++) {
            String[] labels = new String[FEATURES];
            for (int f = 0; f < FEATURES; f++) labels[f] = label(rnd);
            sheetIds[s] = "SHEET-" + (100 + s * 7) + "-" + (char) ('A' + s % 4);
            MapSheet sheet = new MapSheet(sheetIds[s], zoneCodes[s * 40], labels, undoLimit, start - (1 + rnd.nextInt(48)) * HOUR);
            svc.sheets.put(sheetIds[s], sheet);
            svc.mbs.registerMBean(new SheetStats(sheet), new ObjectName("gov.mapping.editor:type=Sheet,id=" + sheetIds[s]));
        }
        for (int b = 0; b < POOL; b++) svc.rasterBuffers.add(new byte[32_768]);
        String[] editors = new String[150];
        for (int k = 0; k < editors.length; k++) editors[k] = "cartographer" + (k + 1);
        Random traffic = new Random(34_050_002);
        for (int i = 0; i < edits; i++) {
            long t = start + (end - MINUTE - start) * i / edits;
            MapSheet sheet = svc.sheets.get(sheetIds[traffic.nextInt(SHEETS)]);
            String editor = editors[traffic.nextInt(editors.length)];
            if (traffic.nextInt(100) < 4) {
                Edit e = sheet.history.undoLast();
                if (e != null) sheet.featureLabels[e.feature()] = e.before();
                svc.undos++;
            } else {
                int f = traffic.nextInt(FEATURES);
                String after = label(traffic);
                sheet.history.record(new Edit(5_000_000L + i, f, sheet.featureLabels[f], after, editor, t));
                sheet.featureLabels[f] = after;
                svc.edits++;
            }
            sheet.version++;
            svc.saves[(int) (svc.saveCount++ % RING)] = new SaveRecord(sheet.sheetId, sheet.version, editor, t);
            for (int r = 0; r < 2; r++) {
                TileKey key = new TileKey(sheet.sheetId, 12 + traffic.nextInt(4), traffic.nextInt(12), traffic.nextInt(12));
                if (svc.tiles.get(key) != null) { svc.tileHits++; continue; }
                svc.tileMisses++;
                svc.tiles.put(key, new Tile(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.rasterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.rasterBuffers.add(buf);
        }
        int undoEntries = 0, redoEntries = 0, maxUndo = 0, minUndo = Integer.MAX_VALUE;
        for (MapSheet s : svc.sheets.values()) {
            undoEntries += s.history.undo.size(); redoEntries += s.history.redo.size();
            maxUndo = Math.max(maxUndo, s.history.undo.size()); minUndo = Math.min(minUndo, s.history.undo.size());
        }
        int sheetBeans = svc.mbs.queryNames(new ObjectName("gov.mapping.editor:type=Sheet,*"), null).size();
        System.out.println("stage " + stage + " zones " + ZONES_BY_CODE.size() + " places " + svc.gazetteer.size() + " sheets " + svc.sheets.size() + " sheet mbeans " + sheetBeans
                + " edits " + svc.edits + " undos " + svc.undos + " undo entries " + undoEntries + " (min " + minUndo + ", max " + maxUndo + ") redo entries " + redoEntries
                + " tiles " + svc.tiles.size() + " (hits " + svc.tileHits + ", misses " + svc.tileMisses + ", evicted " + svc.tiles.evicted + ") saves " + svc.saveCount + " pool " + svc.rasterBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.gazetteer.size() == PLACES && svc.sheets.size() == SHEETS && sheetBeans == SHEETS, "reference data / directory / sheets");
        check(svc.edits + svc.undos == edits && undoLimit == 150 && maxUndo <= 150, "undo histories capped: " + maxUndo);
        if (stage >= 2) check(minUndo >= 140, "undo histories at their cap: " + minUndo);
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.rasterBuffers.size() == POOL, "pool");
        check(svc.saveCount == edits && svc.saves[Math.min(edits, RING) - 1] != null, "save ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
