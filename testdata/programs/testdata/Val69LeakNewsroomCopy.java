// hprofscan-dump: name=val69-leak-newsroomcopy-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val69-leak-newsroomcopy-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val69-leak-newsroomcopy jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val69-leak-newsroomcopy-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 69 (written blind), LEAK: the collaborative copy-editing service of a newsroom.
 * Bureau reference data, the contributor directory, a cache of rendered story previews at its cap,
 * a pool of spell-check buffers, a ring of recent edit notices for the presence feed, and the open
 * stories: a fixed set of 800 documents, each keeping an undo history (an ArrayList of UndoRecord,
 * each holding the text the edit replaced). The history is never trimmed, so the lists grow with
 * editing traffic while the map of documents stays at 800. See VALIDATION69.md.
 */
public final class Val69LeakNewsroomCopy {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BUREAUS = 1_100, CONTRIBUTORS = 22_000, DOCUMENTS = 800, PREVIEW_CAP = 2_000, POOL = 8, RING = 4_096,
            EDITS_PER_HOUR = 6_000, UNDO_DEPTH = 10;
    static boolean FIXED;

    record Bureau(String code, String city, double[] weeklyQuota) {}
    record Contributor(String bylineId, String name, String bureauCode, byte[] profile, long joinedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record EditNotice(String slug, String editorId, long at) {}
    record UndoRecord(long editId, String editorId, int offset, String replacedText, long at) {}

    static final class Document {
        final String slug, bureauCode;
        final byte[] body;
        int version;
        long lastEditAt;
        final List<UndoRecord> undo = new ArrayList<>();
        Document(String slug, String bureauCode, byte[] body) { this.slug = slug; this.bureauCode = bureauCode; this.body = body; }
        void applyEdit(UndoRecord r) {
            undo.add(r);
            version++;
            lastEditAt = r.at();
            if (FIXED) while (undo.size() > UNDO_DEPTH) undo.remove(0); // keep the last UNDO_DEPTH edits
            // BUG: nothing trims the history; every edit since the story was opened stays undoable
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Bureau> BUREAUS_BY_CODE = new HashMap<>();

    static final class CopyDesk {
        final Map<String, Contributor> contributors = new HashMap<>();
        final Map<String, Document> documents = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<char[]> spellBuffers = new ArrayDeque<>();
        final EditNotice[] recentEdits = new EditNotice[RING];
        long edits;
    }

    static CopyDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val69.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int edits = EDITS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(69_010_001);
        String[] bureauCodes = new String[BUREAUS];
        for (int b = 0; b < BUREAUS; b++) {
            double[] quota = new double[64];
            for (int k = 0; k < quota.length; k++) quota[k] = rnd.nextDouble() * 40;
            bureauCodes[b] = "BUR-" + (3_000 + b);
            BUREAUS_BY_CODE.put(bureauCodes[b], new Bureau(bureauCodes[b], "City " + (b % 250), quota));
        }
        CopyDesk svc = new CopyDesk();
        SERVICE = svc;
        String[] bylines = new String[CONTRIBUTORS];
        for (int c = 0; c < CONTRIBUTORS; c++) {
            bylines[c] = "BY" + (4_100_000 + c);
            svc.contributors.put(bylines[c], new Contributor(bylines[c], "Reporter " + c, bureauCodes[rnd.nextInt(BUREAUS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        String[] slugs = new String[DOCUMENTS];
        for (int d = 0; d < DOCUMENTS; d++) {
            slugs[d] = "story-" + (880_000 + d);
            svc.documents.put(slugs[d], new Document(slugs[d], bureauCodes[rnd.nextInt(BUREAUS)], new byte[2_000 + rnd.nextInt(2_000)]));
        }
        for (int b = 0; b < POOL; b++) svc.spellBuffers.add(new char[16_384]);
        StringBuilder sb = new StringBuilder();
        String words = "the council voted late on tuesday to approve the budget amendment after a lengthy debate over transport funding ";
        while (sb.length() < 4_000) sb.append(words);
        String copy = sb.toString();
        Random traffic = new Random(69_010_002);
        for (int i = 0; i < edits; i++) {
            long t = start + (end - MINUTE - start) * i / edits;
            // a fifth of the stories (the developing ones) get 60% of the edits
            int d = traffic.nextInt(10) < 6 ? traffic.nextInt(DOCUMENTS / 5) : traffic.nextInt(DOCUMENTS);
            Document doc = svc.documents.get(slugs[d]);
            String editor = bylines[traffic.nextInt(CONTRIBUTORS)];
            int offset = traffic.nextInt(3_900);
            int len = 10 + traffic.nextInt(50);
            doc.applyEdit(new UndoRecord(50_000_000L + i, editor, offset, new String(copy.substring(offset, offset + len)), t));
            svc.recentEdits[(int) (svc.edits++ % RING)] = new EditNotice(doc.slug, editor, t);
            if (i % 2 == 0) {
                String key = "prev-" + traffic.nextInt(5_000);
                if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            }
            char[] buf = svc.spellBuffers.poll();
            buf[i % buf.length] = 'x';
            svc.spellBuffers.add(buf);
        }
        long undoTotal = 0; int maxDepth = 0;
        for (Document doc : svc.documents.values()) { undoTotal += doc.undo.size(); maxDepth = Math.max(maxDepth, doc.undo.size()); }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " bureaus " + BUREAUS_BY_CODE.size() + " contributors " + svc.contributors.size() + " documents " + svc.documents.size()
                + " undo records " + undoTotal + " (max per document " + maxDepth + ") edits " + svc.edits + " previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.spellBuffers.size());
        check(BUREAUS_BY_CODE.size() == BUREAUS && svc.contributors.size() == CONTRIBUTORS, "reference data / directory");
        check(svc.documents.size() == DOCUMENTS, "open documents");
        if (FIXED) check(maxDepth <= UNDO_DEPTH, "undo trimmed: " + maxDepth);
        else check(undoTotal == edits, "undo keeps every edit: " + undoTotal);
        check(svc.edits == edits && svc.recentEdits[RING - 1] != null, "ring");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.spellBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
