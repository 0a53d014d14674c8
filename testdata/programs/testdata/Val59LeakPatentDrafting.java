// hprofscan-dump: name=val59-leak-patentdrafting jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val59-leak-patentdrafting-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 59 (written blind), LEAK: the collaborative editor of a patent-attorney firm
 * (several attorneys and paralegals draft the claims and description of one application together).
 * Claim-template reference data, the document directory (keyed by the numeric database id), a
 * cache of rendered PDF previews at its cap, a pool of diff buffers, a ring of presence events
 * (cursor moves), the table of open editing sessions, and the undo history: a static
 * HashMap<Long, UndoStack> from document id to that document's undo stack. Opening a document
 * creates or reuses its stack, every edit pushes onto it, and closing the document does not remove
 * the entry: every document ever opened keeps its whole editing history (a reopened document
 * continues the old stack). See VALIDATION59.md.
 */
public final class Val59LeakPatentDrafting {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TEMPLATES = 1_500, DOCUMENTS = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, SESSIONS = 2_000, CONCURRENT = 60, UNDO_CAP = 500;
    static boolean FIXED;

    record ClaimTemplate(String code, String jurisdiction, byte[] boilerplate) {}
    record DocumentInfo(long docId, String title, String matterNo, byte[] abstractText, long createdAt) {}
    record Preview(String key, byte[] pdf, long at) {}
    record PresenceEvent(long docId, String user, int caret, long at) {}
    record Edit(long seq, int offset, String author, long at, byte[] before, byte[] after) {}

    static final class UndoStack {
        final long docId;
        final ArrayDeque<Edit> edits = new ArrayDeque<>();
        long pushed;
        UndoStack(long docId) { this.docId = docId; }
        void push(Edit e) { edits.push(e); pushed++; if (edits.size() > UNDO_CAP) edits.removeLast(); }
    }

    static final class EditSession {
        final long docId; final String openedBy; final long openedAt; int editsLeft;
        EditSession(long docId, String openedBy, long openedAt, int editsLeft) { this.docId = docId; this.openedBy = openedBy; this.openedAt = openedAt; this.editsLeft = editsLeft; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ClaimTemplate> TEMPLATES_BY_CODE = new HashMap<>();
    /** Undo history by document id. */
    static final Map<Long, UndoStack> UNDO_BY_DOC = new HashMap<>();

    static final class EditorService {
        final Map<Long, DocumentInfo> documents = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> diffBuffers = new ArrayDeque<>();
        final PresenceEvent[] presence = new PresenceEvent[RING];
        long presenceCount;
        final Map<Long, EditSession> sessions = new HashMap<>();
        long opened, closed, edits;

        EditSession open(long docId, String user, long at, int edits) {
            EditSession s = new EditSession(docId, user, at, edits);
            sessions.put(docId, s);
            UNDO_BY_DOC.computeIfAbsent(docId, UndoStack::new);
            opened++;
            return s;
        }
        void close(EditSession s) {
            sessions.remove(s.docId);
            closed++;
            if (FIXED) UNDO_BY_DOC.remove(s.docId);
            // BUG: the document's undo stack stays in UNDO_BY_DOC after it is closed
        }
    }

    static EditorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val59.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(59_040_001);
        String[] jurisdictions = {"EP", "US", "GB", "DE", "JP", "CN", "WO"};
        for (int k = 0; k < TEMPLATES; k++) {
            String code = "CT-" + jurisdictions[k % jurisdictions.length] + "-" + (100 + k);
            TEMPLATES_BY_CODE.put(code, new ClaimTemplate(code, jurisdictions[k % jurisdictions.length], new byte[300 + rnd.nextInt(300)]));
        }
        EditorService svc = new EditorService();
        SERVICE = svc;
        long[] docIds = new long[DOCUMENTS];
        for (int d = 0; d < DOCUMENTS; d++) {
            docIds[d] = 418_000L + d * 3;
            svc.documents.put(docIds[d], new DocumentInfo(docIds[d], "Application " + d, "M" + (20_000 + d / 4) + "-" + (d % 4), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.diffBuffers.add(new byte[32_768]);
        String[] users = new String[180];
        for (int u = 0; u < users.length; u++) users[u] = "atty" + (u < 60 ? "" : "-pl") + u;
        Random traffic = new Random(59_040_002);
        // Sessions: at most CONCURRENT open at a time; each has 5-44 edits; 1 presence event per edit.
        int plannedEdits = 0;
        int[] editsOf = new int[SESSIONS];
        for (int s = 0; s < SESSIONS; s++) { editsOf[s] = 5 + traffic.nextInt(40); plannedEdits += editsOf[s]; }
        EditSession[] slots = new EditSession[CONCURRENT];
        Set<Long> everOpened = new HashSet<>();
        int nextSession = 0, done = 0;
        long seq = 0;
        while (done < SESSIONS) {
            long t = start + (end - MINUTE - start) * seq / plannedEdits;
            int slot = traffic.nextInt(CONCURRENT);
            if (slots[slot] == null) {
                if (nextSession == SESSIONS) continue;
                long doc = docIds[traffic.nextInt(DOCUMENTS)];
                if (svc.sessions.containsKey(doc)) continue; // already open elsewhere: pick again
                slots[slot] = svc.open(doc, users[traffic.nextInt(users.length)], t, editsOf[nextSession++]);
                everOpened.add(doc);
            }
            EditSession s = slots[slot];
            if (s.editsLeft == 0) continue; // finished, left open at the end of the period
            UndoStack stack = UNDO_BY_DOC.get(s.docId);
            stack.push(new Edit(seq++, traffic.nextInt(40_000), users[traffic.nextInt(users.length)], t, new byte[10 + traffic.nextInt(50)], new byte[10 + traffic.nextInt(50)]));
            svc.edits++;
            svc.presence[(int) (svc.presenceCount++ % RING)] = new PresenceEvent(s.docId, s.openedBy, traffic.nextInt(40_000), t);
            byte[] buf = svc.diffBuffers.poll();
            buf[(int) (seq % buf.length)] = (byte) seq;
            svc.diffBuffers.add(buf);
            String key = "preview-" + traffic.nextInt(4_000);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            if (--s.editsLeft == 0) {
                done++;
                // sessions finishing after the last one was started stay open at the dump (users still in them)
                if (nextSession < SESSIONS) { svc.close(s); slots[slot] = null; }
            }
        }
        int open = svc.sessions.size();
        long kept = 0;
        for (UndoStack u : UNDO_BY_DOC.values()) kept += u.edits.size();
        long keptOpen = 0;
        for (Long d : svc.sessions.keySet()) keptOpen += UNDO_BY_DOC.get(d).edits.size();
        System.out.println((FIXED ? "FIXED " : "") + "templates " + TEMPLATES_BY_CODE.size() + " documents " + svc.documents.size() + " sessions opened " + svc.opened + " closed " + svc.closed + " open " + open
                + " distinct docs opened " + everOpened.size() + " undo stacks " + UNDO_BY_DOC.size() + " edits kept " + kept + " (of open docs " + keptOpen + ", edits " + svc.edits + ") previews " + svc.previews.size()
                + " (evicted " + svc.previews.evicted + ") pool " + svc.diffBuffers.size() + " presence " + svc.presenceCount);
        check(TEMPLATES_BY_CODE.size() == TEMPLATES && svc.documents.size() == DOCUMENTS, "reference data / directory");
        check(svc.opened == SESSIONS && svc.edits == plannedEdits && open == svc.opened - svc.closed, "sessions: " + open);
        if (FIXED) check(UNDO_BY_DOC.size() == open && kept == keptOpen, "undo of open documents only");
        else check(UNDO_BY_DOC.size() == everOpened.size() && kept == svc.edits, "undo of every document ever opened: " + UNDO_BY_DOC.size());
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.diffBuffers.size() == POOL, "pool");
        check(svc.presenceCount == svc.edits && svc.presence[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
