// hprofscan-dump: name=val33-leak-floorplans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val33-leak-floorplans-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 33 (written blind), LEAK: the browser-based floor-plan editor of an architecture
 * firm. Building-material reference data, the project directory, a cache of rendered plan tiles at
 * its cap, a pool of export buffers, a ring of recent edit operations, the map of open editor
 * sessions, and the firm's workspace settings (units, grid, theme), a long-lived object with a
 * java.beans.PropertyChangeSupport. Every editor session opens 2-4 plan view models (each holding
 * its rendered plan, viewport and layer list) that register as property change listeners on the
 * settings so that they re-render when the grid or units change; closing the session drops it from
 * the open-session map but never removes its view models from the settings' listeners. See
 * VALIDATION33.md.
 */
public final class Val33LeakFloorPlans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 1_300, PROJECTS = 24_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS = 2_400, HOURS = 10;

    record Material(String code, String name, double[] thermalByTemperature) {}
    record Project(String number, String client, String site, byte[] brief, long startedAt) {}
    record PlanTile(String key, byte[] png, long at) {}
    record EditOp(String sessionId, String planNumber, String op, long at) {}

    /** The firm-wide workspace settings: one object for the life of the process. */
    static final class WorkspaceSettings {
        private final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        String units = "metric", theme = "light";
        int gridMm = 50;
        long changesFired;
        void addPropertyChangeListener(PropertyChangeListener l) { changes.addPropertyChangeListener(l); }
        void removePropertyChangeListener(PropertyChangeListener l) { changes.removePropertyChangeListener(l); }
        int listenerCount() { return changes.getPropertyChangeListeners().length; }
        void setGridMm(int g) { int old = gridMm; gridMm = g; changesFired++; changes.firePropertyChange("gridMm", old, g); }
        void setUnits(String u) { String old = units; units = u; changesFired++; changes.firePropertyChange("units", old, u); }
    }

    /** One open plan in a browser tab: re-renders when a setting it depends on changes. */
    static final class PlanViewModel implements PropertyChangeListener {
        final EditorSession session;
        final String planNumber;
        final byte[] renderedSvg;
        final double[] viewport = new double[16];
        final List<String> visibleLayers;
        boolean stale; int repaints;
        PlanViewModel(EditorSession session, String planNumber, byte[] renderedSvg, List<String> visibleLayers) {
            this.session = session; this.planNumber = planNumber; this.renderedSvg = renderedSvg; this.visibleLayers = visibleLayers;
            viewport[0] = viewport[5] = viewport[10] = viewport[15] = 1.0;
        }
        @Override public void propertyChange(PropertyChangeEvent e) { stale = true; repaints++; }
    }

    /** Settings listeners of the application itself (registered once at startup). */
    static final class AutosavePolicy implements PropertyChangeListener { long seen; @Override public void propertyChange(PropertyChangeEvent e) { seen++; } }
    static final class SettingsAudit implements PropertyChangeListener { final List<String> last = new ArrayList<>(); @Override public void propertyChange(PropertyChangeEvent e) { last.add(e.getPropertyName()); if (last.size() > 32) last.remove(0); } }

    static final class EditorSession {
        final String id, user; final long openedAt, closesAt;
        final List<PlanViewModel> views = new ArrayList<>(4);
        EditorSession(String id, String user, long openedAt, long closesAt) { this.id = id; this.user = user; this.openedAt = openedAt; this.closesAt = closesAt; }
    }

    static final class TileCache extends LinkedHashMap<String, PlanTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PlanTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class EditorService {
        final Map<String, Project> projects = new HashMap<>();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final EditOp[] recentEdits = new EditOp[RING];
        long edits;
        final Map<String, EditorSession> openSessions = new HashMap<>();
        final WorkspaceSettings settings = new WorkspaceSettings();
        long opened, closed, viewsOpened;
        void close(EditorSession s, boolean fixed) {
            openSessions.remove(s.id);
            closed++;
            if (fixed) for (PlanViewModel vm : s.views) settings.removePropertyChangeListener(vm);
            // BUG: the session's view models stay registered on the firm-wide settings
        }
    }

    static EditorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val33.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(33_020_001);
        String[] names = {"Concrete C30", "Glulam", "Brick", "CLT panel", "Mineral wool", "Steel S355", "Gypsum board", "Triple glazing"};
        for (int m = 0; m < MATERIALS; m++) {
            double[] thermal = new double[64];
            for (int k = 0; k < thermal.length; k++) thermal[k] = 0.02 + rnd.nextDouble() * 2;
            String code = "MAT-" + (40_000 + m);
            MATERIALS_BY_CODE.put(code, new Material(code, names[m % names.length], thermal));
        }
        EditorService svc = new EditorService();
        SERVICE = svc;
        AutosavePolicy autosave = new AutosavePolicy();
        SettingsAudit audit = new SettingsAudit();
        svc.settings.addPropertyChangeListener(autosave);
        svc.settings.addPropertyChangeListener(audit);
        String[] projectNumbers = new String[PROJECTS];
        for (int p = 0; p < PROJECTS; p++) {
            projectNumbers[p] = "P" + (2_010_000 + p * 3);
            svc.projects.put(projectNumbers[p], new Project(projectNumbers[p], "Client " + (p % 900), "Plot " + (p % 4_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        List<String> layersArch = List.of("walls", "doors", "windows", "dimensions");
        List<String> layersMep = List.of("walls", "ducts", "electrical", "plumbing", "dimensions");
        List<String> layersFurn = List.of("walls", "furniture", "finishes");
        String[] ops = {"MOVE_WALL", "ADD_DOOR", "ADD_WINDOW", "DIMENSION", "SET_MATERIAL", "DELETE", "ANNOTATE"};
        Random traffic = new Random(33_020_002);
        PriorityQueue<EditorSession> byClose = new PriorityQueue<>((a, b) -> Long.compare(a.closesAt, b.closesAt));
        long span = HOURS * HOUR - 2 * MINUTE;
        long nextSettingsChange = start + HOUR;
        int changeNo = 0;
        for (int i = 0; i < SESSIONS; i++) {
            long at = start + span * i / SESSIONS;
            while (!byClose.isEmpty() && byClose.peek().closesAt <= at) svc.close(byClose.poll(), fixed);
            while (nextSettingsChange <= at) {
                if (changeNo++ % 2 == 0) svc.settings.setGridMm(svc.settings.gridMm == 50 ? 25 : 50);
                else svc.settings.setUnits(svc.settings.units.equals("metric") ? "imperial" : "metric");
                nextSettingsChange += HOUR;
            }
            EditorSession s = new EditorSession("ed-" + Long.toHexString(0x5a00_0000L + i * 7919L), "arch" + traffic.nextInt(180), at, at + (5 + traffic.nextInt(40)) * MINUTE);
            svc.openSessions.put(s.id, s);
            svc.opened++;
            byClose.add(s);
            int views = 2 + traffic.nextInt(3);
            for (int v = 0; v < views; v++) {
                String plan = projectNumbers[traffic.nextInt(PROJECTS)] + "/L" + traffic.nextInt(6);
                int kind = traffic.nextInt(3);
                PlanViewModel vm = new PlanViewModel(s, plan, new byte[600 + traffic.nextInt(1_000)], kind == 0 ? layersArch : kind == 1 ? layersMep : layersFurn);
                s.views.add(vm);
                svc.settings.addPropertyChangeListener(vm);
                svc.viewsOpened++;
            }
            int editCount = 10 + traffic.nextInt(30);
            long length = s.closesAt - s.openedAt;
            for (int e = 0; e < editCount; e++) {
                long t = s.openedAt + length * e / editCount;
                if (t >= end) break;
                PlanViewModel vm = s.views.get(e % views);
                svc.recentEdits[(int) (svc.edits++ % RING)] = new EditOp(s.id, vm.planNumber, ops[traffic.nextInt(ops.length)], t);
                String key = vm.planNumber + "@" + traffic.nextInt(40);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new PlanTile(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.exportBuffers.poll();
                buf[e % buf.length] = (byte) e;
                svc.exportBuffers.add(buf);
            }
        }
        while (!byClose.isEmpty() && byClose.peek().closesAt <= end) svc.close(byClose.poll(), fixed);
        long openViews = 0;
        for (EditorSession s : svc.openSessions.values()) openViews += s.views.size();
        int listeners = svc.settings.listenerCount();
        System.out.println((fixed ? "FIXED " : "") + "materials " + MATERIALS_BY_CODE.size() + " projects " + svc.projects.size() + " sessions opened " + svc.opened + " closed " + svc.closed + " open " + svc.openSessions.size()
                + " views opened " + svc.viewsOpened + " open views " + openViews + " settings listeners " + listeners + " (settings changes " + svc.settings.changesFired + ", autosave saw " + autosave.seen + ")"
                + " edits " + svc.edits + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.exportBuffers.size());
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.projects.size() == PROJECTS, "reference data / directory");
        check(svc.opened == SESSIONS && svc.closed + svc.openSessions.size() == SESSIONS && svc.openSessions.size() == byClose.size(), "sessions");
        if (fixed) check(listeners == 2 + openViews, "only open views listen: " + listeners);
        else check(listeners == 2 + svc.viewsOpened, "every view ever opened still listens: " + listeners);
        check(autosave.seen == svc.settings.changesFired && svc.settings.changesFired == HOURS - 1, "settings changes");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.edits > RING && svc.recentEdits[RING - 1] != null, "edit ring wrapping");
        byClose = null; // the close schedule of the open sessions (also in openSessions)
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
