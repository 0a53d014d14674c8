// hprofscan-dump: name=val104-leak-lyriceditor jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val104-leak-lyriceditor-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 104 (written blind), LEAK: a collaborative song-lyric editor. Rhyme-dictionary
 * reference data, the songwriter directory, the open-documents directory, an LRU of rendered
 * previews at its cap, a pool of export buffers, a ring of recent activity, and the undo histories:
 * a static Map<Long, Deque<Edit>> keyed by document id (each history capped at 50 edits, with the
 * before / after text of every edit). Closing a document removes it from the open-documents
 * directory but never from the undo map, so the histories of closed documents stay. See
 * VALIDATION104.md.
 */
public final class Val104LeakLyricEditor {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int RHYMES = 1_500, WRITERS = 20_000, PREVIEW_CAP = 1_500, POOL = 6, RING = 8_192, OPENINGS = 3_000, UNDO_DEPTH = 50, HOURS = 10;
    static boolean FIXED;

    record RhymeEntry(String sound, String[] words, double[] vector) {}
    record Writer(String handle, String displayName, byte[] profile, long joinedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record Activity(long documentId, String handle, String action, long at) {}
    record Edit(long at, int offset, String before, String after) {}

    static final class Document {
        final long id; final String title, owner; final long openedAt; final byte[] content; long lastEdit; int edits;
        Document(long id, String title, String owner, long openedAt, byte[] content) { this.id = id; this.title = title; this.owner = owner; this.openedAt = openedAt; this.content = content; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, RhymeEntry> RHYMES_BY_SOUND = new HashMap<>();
    /** Undo histories by document id. */
    static final Map<Long, Deque<Edit>> UNDO = new HashMap<>();

    static final class EditorService {
        final Map<String, Writer> writers = new HashMap<>();
        final Map<Long, Document> openDocuments = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        long activities, opened, closed, edits, undone;

        void log(long doc, String handle, String action, long t) { activity[(int) (activities++ % RING)] = new Activity(doc, handle, action, t); }
        void open(Document d, long t) { openDocuments.put(d.id, d); opened++; log(d.id, d.owner, "open", t); }
        void edit(Document d, Edit e) {
            Deque<Edit> h = UNDO.computeIfAbsent(d.id, k -> new ArrayDeque<>());
            h.push(e);
            if (h.size() > UNDO_DEPTH) h.removeLast();
            d.edits++; d.lastEdit = e.at(); edits++;
            log(d.id, d.owner, "edit", e.at());
        }
        void undo(Document d, long t) { Deque<Edit> h = UNDO.get(d.id); if (h != null && h.poll() != null) { undone++; log(d.id, d.owner, "undo", t); } }
        void close(Document d, long t) {
            openDocuments.remove(d.id); closed++;
            if (FIXED) UNDO.remove(d.id); // fix: the history goes with the document
            // BUG: UNDO keeps the closed document's history
            log(d.id, d.owner, "close", t);
        }
    }

    static EditorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] LYRIC = {"midnight", "highway", "river", "heart", "fire", "rain", "dancing", "alone", "golden", "summer", "whisper", "thunder", "city", "lights", "forever", "broken",
        "shadow", "morning", "ocean", "wild", "stars", "falling", "home", "road", "love", "echo", "silver", "storm", "dream", "wings"};

    static String line(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) { if (w > 0) sb.append(' '); sb.append(LYRIC[r.nextInt(LYRIC.length)]); }
        return sb.toString();
    }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(104_030_001);
        for (int s = 0; s < RHYMES; s++) {
            double[] vec = new double[64];
            for (int k = 0; k < vec.length; k++) vec[k] = rnd.nextDouble();
            String sound = "-" + LYRIC[s % LYRIC.length].substring(1) + "/" + s;
            RHYMES_BY_SOUND.put(sound, new RhymeEntry(sound, new String[] {LYRIC[rnd.nextInt(LYRIC.length)], LYRIC[rnd.nextInt(LYRIC.length)]}, vec));
        }
        EditorService svc = new EditorService();
        SERVICE = svc;
        String[] handles = new String[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            handles[w] = "@writer" + (10_000 + w);
            svc.writers.put(handles[w], new Writer(handles[w], "Writer " + w, new byte[150 + rnd.nextInt(150)], now - (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[65_536]);
        // Each opening is a session on one document: opened at some time, 5-40 edits (some undone) spread
        // over up to 50 minutes, then closed, unless the closing time lies after the end of the period.
        Random traffic = new Random(104_030_002);
        long[] opens = new long[OPENINGS];
        for (int o = 0; o < OPENINGS; o++) opens[o] = start + (long) (traffic.nextDouble() * (end - MINUTE - start));
        java.util.Arrays.sort(opens);
        // Events: (time << 20) | (opening << 2) | kind, kind 0 = open, 1 = edit, 2 = undo, 3 = close.
        long[] events = new long[OPENINGS * 60];
        int n = 0, stillOpen = 0;
        for (int o = 0; o < OPENINGS; o++) {
            long t0 = opens[o];
            long dur = 5 * MINUTE + (long) (traffic.nextDouble() * 45 * MINUTE);
            int edits = 5 + traffic.nextInt(36);
            events[n++] = (t0 << 20) | ((long) o << 2);
            for (int e = 0; e < edits; e++) {
                long at = t0 + 1 + (long) (traffic.nextDouble() * (dur - 2));
                int kind = traffic.nextInt(8) == 0 ? 2 : 1;
                if (at <= end - MINUTE) events[n++] = (at << 20) | ((long) o << 2) | kind; // nothing after the end of the period
            }
            if (t0 + dur <= end - MINUTE) events[n++] = ((t0 + dur) << 20) | ((long) o << 2) | 3;
            else stillOpen++;
        }
        events = java.util.Arrays.copyOf(events, n);
        java.util.Arrays.sort(events);
        Document[] docs = new Document[OPENINGS];
        for (int i = 0; i < n; i++) {
            long t = events[i] >>> 20; int o = (int) ((events[i] >> 2) & 0x3FFFF); int kind = (int) (events[i] & 3);
            if (kind == 0) {
                docs[o] = new Document(880_000_000L + o * 13L, "Song " + o, handles[traffic.nextInt(WRITERS)], t, new byte[1_000 + traffic.nextInt(2_000)]);
                svc.open(docs[o], t);
            } else if (kind == 1) {
                int words = 2 + traffic.nextInt(7);
                svc.edit(docs[o], new Edit(t, traffic.nextInt(docs[o].content.length), line(traffic, words), line(traffic, words)));
                String key = "preview-" + docs[o].id + "-" + (docs[o].edits / 10);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[400 + traffic.nextInt(400)], t));
            } else if (kind == 2) {
                svc.undo(docs[o], t);
            } else {
                svc.close(docs[o], t);
                byte[] buf = svc.exportBuffers.poll();
                buf[o % buf.length] = (byte) o;
                svc.exportBuffers.add(buf);
            }
        }
        int closedHistories = 0; long closedEdits = 0, openEdits = 0;
        for (Map.Entry<Long, Deque<Edit>> e : UNDO.entrySet()) {
            if (svc.openDocuments.containsKey(e.getKey())) openEdits += e.getValue().size();
            else { closedHistories++; closedEdits += e.getValue().size(); }
        }
        System.out.println((FIXED ? "FIXED " : "") + "rhymes " + RHYMES_BY_SOUND.size() + " writers " + svc.writers.size() + " opened " + svc.opened + " closed " + svc.closed + " open " + svc.openDocuments.size()
                + " edits " + svc.edits + " undone " + svc.undone + " undo histories " + UNDO.size() + " (closed " + closedHistories + " with " + closedEdits + " edits; open with " + openEdits + " edits) previews "
                + svc.previews.size() + " (evicted " + svc.previews.evicted + ") activity " + svc.activities + " pool " + svc.exportBuffers.size());
        check(RHYMES_BY_SOUND.size() == RHYMES && svc.writers.size() == WRITERS, "reference data / directory");
        check(svc.opened == OPENINGS && svc.openDocuments.size() == stillOpen && svc.closed == OPENINGS - stillOpen, "open documents");
        if (FIXED) check(closedHistories == 0, "no history of a closed document");
        else check(closedHistories == svc.closed, "every closed document keeps its history: " + closedHistories);
        for (Deque<Edit> h : UNDO.values()) check(h.size() <= UNDO_DEPTH, "undo depth");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.exportBuffers.size() == POOL && svc.activity[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val104.fixed");
        build();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
