// hprofscan-dump: name=val27-healthy-screenwriting-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val27-healthy-screenwriting-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val27-healthy-screenwriting jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-healthy-screenwriting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 27 (written blind), HEALTHY: the collaborative script-writing platform of a TV
 * studio. Format templates, the writer directory, 40 open scripts with undo histories capped at
 * 250 edits, a review-note consumer whose idempotency filter keeps the ids of the last 5 minutes
 * only, an API router rebuilt from scratch on every configuration reload, a page-render cache at
 * its cap, a pool of PDF buffers and a ring of activity events. Series: 1 h / 4 h / 8 h; warms up
 * by stage 2, then flat. See VALIDATION27.md.
 */
public final class Val27HealthyScreenwriting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DEDUP_WINDOW = 5 * MINUTE, RELOAD_EVERY = 15 * MINUTE;
    static final int TEMPLATES = 1_500, WRITERS = 20_000, SCRIPTS = 40, UNDO_CAP = 250, RENDER_CAP = 2_000, POOL = 8, RING = 16_384, ROUTES = 300;
    static final int EDITS_PER_HOUR = 6_000, NOTES_PER_HOUR = 12_000;

    record Template(String code, String format, double[] layout) {}
    record Writer(String id, String name, String guild, byte[] profile, long since) {}
    record Edit(long at, String author, int offset, byte[] inserted) {}
    record Route(String method, String path, String handler, byte[] filterChain, long loadedAt) {}
    record Rendered(String key, byte[] pdfPage, long at) {}
    record Activity(String scriptId, String writerId, int kind, long at) {}

    static final class Script {
        final String id; final String title; final byte[] content; long version;
        final ArrayDeque<Edit> undo = new ArrayDeque<>();
        Script(String id, String title, byte[] content) { this.id = id; this.title = title; this.content = content; }
        void apply(Edit e) { content[e.offset() % content.length] ^= 1; version++; undo.addLast(e); if (undo.size() > UNDO_CAP) undo.pollFirst(); }
    }

    static final class NoteDeduplicator {
        final LinkedHashMap<String, Long> recent = new LinkedHashMap<>(); // ids of the last 5 minutes, insertion order = time order
        long duplicates;
        boolean firstTime(String id, long at) {
            Iterator<Map.Entry<String, Long>> it = recent.entrySet().iterator();
            while (it.hasNext()) { if (it.next().getValue() <= at - DEDUP_WINDOW) it.remove(); else break; }
            if (recent.containsKey(id)) { duplicates++; return false; }
            recent.put(id, at);
            return true;
        }
    }

    static final class ApiRouter {
        volatile List<Route> routes = List.of();
        volatile Map<String, Route> byPath = Map.of();
        int reloads;
        void refresh(long at) {
            Random cfg = new Random(27_050_009);
            List<Route> fresh = new ArrayList<>(ROUTES);
            Map<String, Route> index = new HashMap<>();
            for (int r = 0; r < ROUTES; r++) {
                Route route = new Route(r % 3 == 0 ? "POST" : "GET", "/api/v2/scripts/resource" + r + "/{id}", "handler" + cfg.nextInt(80), new byte[200 + cfg.nextInt(200)], at);
                fresh.add(route);
                index.put(route.method() + " " + route.path(), route);
            }
            routes = Collections.unmodifiableList(fresh); // rebuilt from scratch: one copy of each route
            byPath = index;
            reloads++;
        }
    }

    static final class RenderCache extends LinkedHashMap<String, Rendered> {
        long evicted;
        RenderCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Rendered> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Template> TEMPLATES_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, Writer> writers = new HashMap<>();
        final Map<String, Script> openScripts = new HashMap<>();
        final NoteDeduplicator notes = new NoteDeduplicator();
        final ApiRouter router = new ApiRouter();
        final RenderCache renders = new RenderCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        long activityCount, notesApplied;
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(27_050_001);
        for (int t = 0; t < TEMPLATES; t++) {
            double[] layout = new double[80];
            for (int k = 0; k < layout.length; k++) layout[k] = rnd.nextDouble() * 20;
            String code = "TPL-" + (3_000 + t);
            TEMPLATES_BY_CODE.put(code, new Template(code, "Format " + (t % 12), layout));
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        String[] writerIds = new String[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            String id = "W" + (600_000 + w);
            writerIds[w] = id;
            svc.writers.put(id, new Writer(id, "Writer " + w, "Guild " + (w % 20), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] scriptIds = new String[SCRIPTS];
        for (int s = 0; s < SCRIPTS; s++) {
            scriptIds[s] = "SCR-" + (44_000 + s);
            svc.openScripts.put(scriptIds[s], new Script(scriptIds[s], "Episode " + s, new byte[32_000 + rnd.nextInt(16_000)]));
        }
        for (int p = 0; p < POOL; p++) svc.pdfBuffers.add(new byte[32_768]);
        svc.router.refresh(start);
        long nextReload = start + RELOAD_EVERY;
        Random traffic = new Random(27_050_002);
        int notes = hours * NOTES_PER_HOUR; // one edit per two notes: EDITS_PER_HOUR
        String[] recentNotes = new String[32];
        int redeliveries = 0;
        long lastT = start;
        for (int i = 0; i < notes; i++) {
            long t = start + (end - start) * i / notes;
            lastT = t;
            while (t >= nextReload) { svc.router.refresh(nextReload); nextReload += RELOAD_EVERY; }
            if (i > 32 && traffic.nextInt(40) == 0) { redeliveries++; check(!svc.notes.firstTime(recentNotes[traffic.nextInt(32)], t), "redelivery dropped"); }
            String noteId = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
            recentNotes[i % 32] = noteId;
            check(svc.notes.firstTime(noteId, t), "new note");
            svc.notesApplied++;
            String scriptId = scriptIds[traffic.nextInt(SCRIPTS)];
            String writer = writerIds[traffic.nextInt(WRITERS)];
            if ((i & 1) == 0) { // one edit per two notes
                Script s = svc.openScripts.get(scriptId);
                s.apply(new Edit(t, writer, traffic.nextInt(48_000), new byte[8 + traffic.nextInt(56)]));
                if (i % 4 == 0) { String key = scriptId + "#p" + traffic.nextInt(120) + "@" + s.version; svc.renders.put(key, new Rendered(key, new byte[600 + traffic.nextInt(600)], t)); }
            }
            Route r = svc.router.routes.get(traffic.nextInt(ROUTES));
            check(svc.router.byPath.get(r.method() + " " + r.path()) == r, "route index");
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
            svc.activity[(int) (svc.activityCount++ % RING)] = new Activity(scriptId, writer, traffic.nextInt(4), t);
        }
        while (end >= nextReload) { svc.router.refresh(nextReload); nextReload += RELOAD_EVERY; }
        long inWindow = 0;
        for (int i = 0; i < notes; i++) { long t = start + (end - start) * i / notes; if (t > lastT - DEDUP_WINDOW) inWindow++; }
        long undoTotal = 0;
        int minUndo = Integer.MAX_VALUE, maxUndo = 0;
        for (Script s : svc.openScripts.values()) { undoTotal += s.undo.size(); minUndo = Math.min(minUndo, s.undo.size()); maxUndo = Math.max(maxUndo, s.undo.size()); }
        System.out.println("stage " + stage + " templates " + TEMPLATES_BY_CODE.size() + " writers " + svc.writers.size() + " scripts " + svc.openScripts.size() + " undo total " + undoTotal
                + " (min " + minUndo + ", max " + maxUndo + ") dedup ids " + svc.notes.recent.size() + " (in window " + inWindow + ", duplicates " + svc.notes.duplicates + ") routes " + svc.router.routes.size()
                + " reloads " + svc.router.reloads + " renders " + svc.renders.size() + " (evicted " + svc.renders.evicted + ") pool " + svc.pdfBuffers.size() + " activity " + svc.activityCount);
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.writers.size() == WRITERS && svc.openScripts.size() == SCRIPTS, "reference data / directory / scripts");
        check(svc.notes.recent.size() == inWindow && svc.notes.duplicates == redeliveries, "dedup window " + svc.notes.recent.size());
        check(svc.router.routes.size() == ROUTES && svc.router.byPath.size() == ROUTES && svc.router.reloads == 1 + hours * 4, "router " + svc.router.reloads);
        if (stage >= 2) check(minUndo == UNDO_CAP && undoTotal == (long) SCRIPTS * UNDO_CAP, "undo capped and reached");
        else check(maxUndo < UNDO_CAP && undoTotal == (notes + 1) / 2, "undo warming " + undoTotal);
        check(svc.renders.size() == RENDER_CAP && svc.renders.evicted > 0, "render cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.activityCount == notes && (stage == 1 || svc.activity[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
