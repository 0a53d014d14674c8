// hprofscan-dump: name=val101-leak-quiltdesigner-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val101-leak-quiltdesigner-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val101-leak-quiltdesigner jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val101-leak-quiltdesigner-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 101 (written blind), LEAK: the online quilt-pattern designer of a fabric
 * retailer. Fabric reference data, the directory of saved patterns, a cache of rendered pattern
 * thumbnails at its cap, a pool of render buffers, a ring of recent autosaves, the map of open
 * editing sessions, and an in-process design event bus (a CopyOnWriteArrayList of listener
 * lambdas). Every editing session registers a lambda on the bus when it opens (so that its canvas
 * can grey out a fabric that is repriced or sold out); the lambda captures the session and with it
 * the session's canvas view model (block grid, undo snapshots, palette). Closing a session removes
 * it from the open-session map but never unregisters the lambda, so every session ever opened stays
 * reachable from the bus. See VALIDATION101.md.
 */
public final class Val101LeakQuiltDesigner {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int FABRICS = 1_400, PATTERNS = 20_000, THUMB_CAP = 2_000, POOL = 8, RING = 4_096, SESSIONS_PER_HOUR = 900;
    static boolean FIXED;

    record Fabric(String code, String name, double[] colourHistogram) {}
    record SavedPattern(String id, String owner, String title, byte[] blockLayout, long createdAt) {}
    record Thumbnail(String key, byte[] png, long renderedAt) {}
    record Autosave(String patternId, long sessionId, long at, int bytes) {}
    record DesignEvent(String kind, String fabricCode, long at) {}
    /** A planned simulation step (kept only by the simulation loop, never by the service). */
    record Planned<T>(long at, T item) {}

    /** Per-session canvas state shown in the editor. */
    static final class CanvasViewModel {
        final int[] blockGrid = new int[144];
        final ArrayDeque<byte[]> undo = new ArrayDeque<>();
        final List<String> palette = new ArrayList<>();
        double zoom = 1.0;
        int greyedOut;
    }

    static final class EditingSession {
        final long sessionId;
        final String patternId, userId;
        final long openedAt;
        long closedAt;
        boolean closed;
        final CanvasViewModel view = new CanvasViewModel();
        Consumer<DesignEvent> listener;
        EditingSession(long sessionId, String patternId, String userId, long openedAt) {
            this.sessionId = sessionId; this.patternId = patternId; this.userId = userId; this.openedAt = openedAt;
        }
        void onDesignEvent(DesignEvent e) {
            if (!closed && view.palette.contains(e.fabricCode())) view.greyedOut++;
        }
    }

    /** In-process event bus of the designer. */
    static final class DesignEventBus {
        final CopyOnWriteArrayList<Consumer<DesignEvent>> listeners = new CopyOnWriteArrayList<>();
        long posted;
        void subscribe(Consumer<DesignEvent> l) { listeners.add(l); }
        void unsubscribe(Consumer<DesignEvent> l) { listeners.remove(l); }
        void post(DesignEvent e) { posted++; for (Consumer<DesignEvent> l : listeners) l.accept(e); }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();

    static final class DesignerService {
        final Map<String, SavedPattern> patterns = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Autosave[] autosaves = new Autosave[RING];
        long autosavesWritten;
        final Map<Long, EditingSession> openSessions = new HashMap<>();
        final DesignEventBus bus = new DesignEventBus();
        long opened, closed, stockAlerts, indexed, audited;

        EditingSession open(long id, String patternId, String userId, long at, Random r, String[] fabricCodes) {
            EditingSession s = new EditingSession(id, patternId, userId, at);
            for (int k = 0; k < s.view.blockGrid.length; k++) s.view.blockGrid[k] = r.nextInt(400);
            int palette = 6 + r.nextInt(5);
            for (int k = 0; k < palette; k++) s.view.palette.add(fabricCodes[r.nextInt(fabricCodes.length)]);
            int undo = 3 + r.nextInt(6);
            for (int k = 0; k < undo; k++) s.view.undo.addLast(new byte[64 + r.nextInt(64)]);
            s.view.zoom = 0.5 + r.nextInt(4) * 0.25;
            s.listener = e -> s.onDesignEvent(e);
            bus.subscribe(s.listener);
            openSessions.put(id, s);
            opened++;
            return s;
        }

        void close(EditingSession s, long at) {
            s.closed = true;
            s.closedAt = at;
            openSessions.remove(s.sessionId);
            if (FIXED) bus.unsubscribe(s.listener);
            // BUG: the listener lambda (and with it the session and its view model) stays on the bus
            closed++;
        }
    }

    static DesignerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String build(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(101_010_001);
        String[] fabricCodes = new String[FABRICS];
        for (int f = 0; f < FABRICS; f++) {
            double[] hist = new double[64];
            for (int k = 0; k < hist.length; k++) hist[k] = rnd.nextDouble();
            fabricCodes[f] = "FB-" + (20_000 + f);
            FABRICS_BY_CODE.put(fabricCodes[f], new Fabric(fabricCodes[f], "Fat quarter " + (f % 350), hist));
        }
        DesignerService svc = new DesignerService();
        SERVICE = svc;
        String[] patternIds = new String[PATTERNS];
        for (int p = 0; p < PATTERNS; p++) {
            patternIds[p] = "QP" + (4_000_000 + p);
            svc.patterns.put(patternIds[p], new SavedPattern(patternIds[p], "U" + (300_000 + rnd.nextInt(40_000)), "Block quilt " + (p % 900),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        svc.bus.subscribe(e -> SERVICE.stockAlerts++);
        svc.bus.subscribe(e -> SERVICE.indexed++);
        svc.bus.subscribe(e -> SERVICE.audited++);

        Random traffic = new Random(101_010_002);
        Random events = new Random(101_010_003);
        PriorityQueue<Planned<EditingSession>> closing = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextEvent = start + MINUTE;
        int maxOpen = 0;
        String[] kinds = {"FABRIC_REPRICED", "FABRIC_SOLD_OUT", "FABRIC_RESTOCKED"};
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (!closing.isEmpty() && closing.peek().at() <= t) { Planned<EditingSession> p = closing.poll(); svc.close(p.item(), p.at()); }
            while (nextEvent <= t) { svc.bus.post(new DesignEvent(kinds[events.nextInt(kinds.length)], fabricCodes[events.nextInt(FABRICS)], nextEvent)); nextEvent += MINUTE; }
            String patternId = patternIds[traffic.nextInt(PATTERNS)];
            long closesAt = t + (5 + traffic.nextInt(41)) * MINUTE;
            EditingSession s = svc.open(8_000_000L + i, patternId, "U" + (300_000 + traffic.nextInt(40_000)), t, traffic, fabricCodes);
            closing.add(new Planned<>(closesAt, s));
            maxOpen = Math.max(maxOpen, svc.openSessions.size());
            for (int k = 0; k < 4; k++) {
                String key = "thumb-" + traffic.nextInt(5_000);
                if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[400 + traffic.nextInt(400)], t));
            }
            int saves = 2 + traffic.nextInt(5);
            for (int k = 0; k < saves; k++) svc.autosaves[(int) (svc.autosavesWritten++ % RING)] = new Autosave(patternId, s.sessionId, Math.min(t + k * MINUTE, end - 1), 2_000 + traffic.nextInt(8_000));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        while (!closing.isEmpty() && closing.peek().at() <= end) { Planned<EditingSession> p = closing.poll(); svc.close(p.item(), p.at()); }
        while (nextEvent <= end) { svc.bus.post(new DesignEvent(kinds[events.nextInt(kinds.length)], fabricCodes[events.nextInt(FABRICS)], nextEvent)); nextEvent += MINUTE; }
        int stillOpen = closing.size();
        String summary = (FIXED ? "FIXED " : "") + "stage " + stage + " fabrics " + FABRICS_BY_CODE.size() + " patterns " + svc.patterns.size() + " sessions opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.openSessions.size() + " (max " + maxOpen + ") bus listeners " + svc.bus.listeners.size() + " events posted " + svc.bus.posted
                + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.renderBuffers.size() + " autosaves written " + svc.autosavesWritten;
        check(FABRICS_BY_CODE.size() == FABRICS && svc.patterns.size() == PATTERNS, "reference data / directory");
        check(svc.opened == sessions && svc.closed + stillOpen == sessions && svc.openSessions.size() == stillOpen, "sessions");
        check(svc.bus.posted == hours * 60L, "events posted: " + svc.bus.posted);
        if (FIXED) check(svc.bus.listeners.size() == 3 + stillOpen, "bus holds the open sessions only");
        else check(svc.bus.listeners.size() == 3 + sessions, "bus holds every session: " + svc.bus.listeners.size());
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.autosavesWritten > RING && svc.autosaves[RING - 1] != null, "ring");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val101.fixed");
        String summary = build(Integer.parseInt(args[2]));
        System.out.println(summary);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
