// hprofscan-dump: name=val153-leak-choreonotation jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val153-leak-choreonotation-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 153 (written blind), LEAK: the collaborative editor service of a dance-notation
 * (choreography score) platform, a long-lived process. Studio reference data, the score directory,
 * a cache of rendered preview pages at its cap, a pool of render buffers, a ring of autosave
 * records, the map of open documents, and the undo histories: one Deque<Edit> per document (capped
 * at 200 steps), kept in a second map EditorService.histories keyed by document id. Closing a
 * document removes it from openDocuments, but nobody removes its history: the map keeps the undo
 * stack of every document ever opened. See VALIDATION153.md.
 */
public final class Val153LeakChoreoNotation {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 800, SCORES = 20_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, DOC_SESSIONS = 1_200, UNDO_CAP = 200;
    static boolean FIXED;

    record Studio(String code, String city, double[] roomBookings) {}
    record Score(String docId, String title, String studioCode, byte[] metadata, long createdAt) {}
    record Preview(String key, byte[] svg, long at) {}
    record Autosave(String docId, int edits, long at) {}
    record Edit(long seq, String op, int bar, String dancer, long at, byte[] delta) {}

    static final class OpenDocument {
        final String docId, userId; final long openedAt; long lastEditAt; int edits;
        OpenDocument(String docId, String userId, long openedAt) { this.docId = docId; this.userId = userId; this.openedAt = openedAt; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class EditorService {
        final Map<String, Score> scores = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Autosave[] autosaves = new Autosave[RING];
        long autosavesWritten;
        final Map<String, OpenDocument> openDocuments = new HashMap<>();
        /** Undo history per document id (capped at UNDO_CAP steps each). */
        final Map<String, Deque<Edit>> histories = new HashMap<>();
        long opened, closed, editSeq, trimmed;
        void open(String docId, String user, long at) {
            openDocuments.put(docId, new OpenDocument(docId, user, at));
            histories.computeIfAbsent(docId, k -> new ArrayDeque<>());
            opened++;
        }
        void edit(String docId, String op, int bar, String dancer, long at, byte[] delta) {
            OpenDocument d = openDocuments.get(docId);
            d.edits++; d.lastEditAt = at;
            Deque<Edit> h = histories.get(docId);
            h.addLast(new Edit(editSeq++, op, bar, dancer, at, delta));
            if (h.size() > UNDO_CAP) { h.removeFirst(); trimmed++; }
        }
        void close(String docId) {
            openDocuments.remove(docId);
            closed++;
            if (FIXED) histories.remove(docId); // the fix: the history goes with its document
            // BUG: histories.get(docId) stays forever
        }
    }

    static EditorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static EditorService run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(153_040_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] bookings = new double[60];
            for (int k = 0; k < bookings.length; k++) bookings[k] = rnd.nextDouble() * 12;
            studioCodes[s] = "STU-" + (800 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 120), bookings));
        }
        EditorService svc = new EditorService();
        String[] docIds = new String[SCORES];
        for (int d = 0; d < SCORES; d++) {
            docIds[d] = "SCORE-" + (3_000_000 + d * 13);
            svc.scores.put(docIds[d], new Score(docIds[d], "Piece " + d, studioCodes[rnd.nextInt(STUDIOS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(153_040_002);
        String[] ops = {"ADD_STEP", "MOVE_DANCER", "SET_TEMPO", "ADD_FORMATION", "DELETE_STEP", "ANNOTATE"};
        // one editing session: open a document, edit it for a while, close it (unless still open at the end)
        java.util.PriorityQueue<Object[]> closes = new java.util.PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        long maxDepth = 0;
        for (int i = 0; i < DOC_SESSIONS; i++) {
            long t = start + (end - start) * i / DOC_SESSIONS;
            while (!closes.isEmpty() && (Long) closes.peek()[0] <= t) svc.close((String) closes.poll()[1]);
            String doc;
            do { doc = docIds[traffic.nextInt(SCORES)]; } while (svc.openDocuments.containsKey(doc));
            String user = "U" + (60_000 + traffic.nextInt(9_000));
            svc.open(doc, user, t);
            int planned = 10 + traffic.nextInt(51), edits = 0;
            long at = t;
            for (int e = 0; e < planned; e++) {
                long next = at + 15_000 + traffic.nextInt(30_000);
                String op = ops[traffic.nextInt(ops.length)];
                int bar = 1 + traffic.nextInt(64);
                String dancer = "D" + traffic.nextInt(12);
                byte[] delta = new byte[40 + traffic.nextInt(50)];
                if (next >= end) break; // the rest of this session is still to come
                at = next;
                svc.edit(doc, op, bar, dancer, at, delta);
                edits++;
            }
            maxDepth = Math.max(maxDepth, svc.histories.get(doc).size());
            long closeAt = at + (1 + traffic.nextInt(10)) * MINUTE;
            closes.add(new Object[] {closeAt, doc});
            svc.autosaves[(int) (svc.autosavesWritten++ % RING)] = new Autosave(doc, edits, at);
            for (int p = 0; p < 8; p++) {
                String key = "prev-" + traffic.nextInt(5_000);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
                svc.autosaves[(int) (svc.autosavesWritten++ % RING)] = new Autosave(doc, p, t - p * 30_000L);
            }
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        while (!closes.isEmpty() && (Long) closes.peek()[0] <= end) svc.close((String) closes.poll()[1]);
        long historyEdits = 0, openEdits = 0;
        for (Map.Entry<String, Deque<Edit>> e : svc.histories.entrySet()) {
            historyEdits += e.getValue().size();
            if (svc.openDocuments.containsKey(e.getKey())) openEdits += e.getValue().size();
        }
        System.out.println((FIXED ? "FIXED " : "") + "studios " + STUDIOS_BY_CODE.size() + " scores " + svc.scores.size() + " open " + svc.openDocuments.size() + " histories " + svc.histories.size()
                + " (edits " + historyEdits + ", of open documents " + openEdits + ", max depth " + maxDepth + ", trimmed " + svc.trimmed + ") opened " + svc.opened + " closed " + svc.closed + " edits " + svc.editSeq
                + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.renderBuffers.size() + " autosaves " + svc.autosavesWritten);
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.scores.size() == SCORES, "reference data / directory");
        check(svc.opened == DOC_SESSIONS && svc.closed + svc.openDocuments.size() == DOC_SESSIONS && svc.openDocuments.size() == closes.size(), "document traffic");
        if (FIXED) check(svc.histories.size() == svc.openDocuments.size() && historyEdits == openEdits, "fixed: only open documents have a history: " + svc.histories.size());
        else check(svc.histories.size() > svc.openDocuments.size() + 500 && svc.histories.keySet().containsAll(svc.openDocuments.keySet()), "histories of closed documents stay: " + svc.histories.size());
        check(maxDepth <= UNDO_CAP, "undo depth capped");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.autosavesWritten == 9L * DOC_SESSIONS && svc.autosaves[RING - 1] != null, "ring wraps");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val153.fixed");
        SERVICE = run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
