// hprofscan-dump: name=val27-leak-contracteditor jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-leak-contracteditor-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 27 (written blind), LEAK: the collaborative contract editor of a law firm.
 * Clause library, the user directory, the ~50 open documents (bounded), a preview cache at its
 * cap, a pool of diff buffers and a ring of presence events. The bug: every open document keeps
 * an undo history (ArrayDeque of edits) that is never capped, so the documents grow without
 * bound while the map of open documents stays at 50 entries. See VALIDATION27.md.
 */
public final class Val27LeakContractEditor {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLAUSES = 2_500, USERS = 20_000, DOCS = 50, PREVIEW_CAP = 2_000, POOL = 8, RING = 16_384, EDITS = 60_000, UNDO_CAP = 100, HOURS = 10;
    static boolean FIXED;

    record Clause(String code, String title, byte[] text, double[] riskWeights) {}
    record User(String id, String name, String firm, byte[] preferences, long since) {}
    record Preview(String docId, long version, byte[] html) {}
    record PresenceEvent(String docId, String userId, int kind, long at) {}

    static final class Edit {
        final long at; final String author; final int offset; final int deleted; final byte[] inserted;
        Edit(long at, String author, int offset, int deleted, byte[] inserted) { this.at = at; this.author = author; this.offset = offset; this.deleted = deleted; this.inserted = inserted; }
    }

    static final class Document {
        final String id; final String title; final byte[] content; long version;
        final ArrayDeque<Edit> undo = new ArrayDeque<>(); // BUG: never capped
        Document(String id, String title, byte[] content) { this.id = id; this.title = title; this.content = content; }
        void apply(Edit e) {
            content[e.offset % content.length] ^= 1;
            version++;
            undo.addLast(e);
            if (FIXED && undo.size() > UNDO_CAP) undo.pollFirst(); // fixed: undo depth capped
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clause> CLAUSES_BY_CODE = new HashMap<>();

    static final class EditorService {
        final Map<String, User> users = new HashMap<>();
        final Map<String, Document> openDocuments = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> diffBuffers = new ArrayDeque<>();
        final PresenceEvent[] presence = new PresenceEvent[RING];
        long presenceCount;
    }

    static EditorService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val27.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(27_020_001);
        for (int c = 0; c < CLAUSES; c++) {
            double[] w = new double[32];
            for (int k = 0; k < w.length; k++) w[k] = rnd.nextDouble();
            String code = "CL-" + (5_000 + c);
            CLAUSES_BY_CODE.put(code, new Clause(code, "Clause " + c, new byte[300 + rnd.nextInt(300)], w));
        }
        EditorService svc = new EditorService();
        SERVICE = svc;
        String[] userIds = new String[USERS];
        for (int u = 0; u < USERS; u++) {
            String id = "U" + (300_000 + u);
            userIds[u] = id;
            svc.users.put(id, new User(id, "Lawyer " + u, "Firm " + (u % 300), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        String[] docIds = new String[DOCS];
        for (int d = 0; d < DOCS; d++) {
            docIds[d] = "DOC-" + (81_000 + d);
            svc.openDocuments.put(docIds[d], new Document(docIds[d], "Agreement " + d, new byte[24_000 + rnd.nextInt(16_000)]));
        }
        for (int p = 0; p < POOL; p++) svc.diffBuffers.add(new byte[32_768]);
        Random traffic = new Random(27_020_002);
        for (int i = 0; i < EDITS; i++) {
            long t = start + (end - start) * i / EDITS;
            String docId = traffic.nextInt(10) < 7 ? docIds[traffic.nextInt(5)] : docIds[traffic.nextInt(DOCS)]; // a few hot documents
            String author = userIds[traffic.nextInt(USERS)];
            Document doc = svc.openDocuments.get(docId);
            doc.apply(new Edit(t, author, traffic.nextInt(40_000), traffic.nextInt(20), new byte[8 + traffic.nextInt(56)]));
            if (i % 10 == 0) svc.previews.put(docId + "@" + doc.version, new Preview(docId, doc.version, new byte[600 + traffic.nextInt(600)]));
            byte[] buf = svc.diffBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.diffBuffers.add(buf);
            svc.presence[(int) (svc.presenceCount++ % RING)] = new PresenceEvent(docId, author, traffic.nextInt(3), t);
        }
        long undoTotal = 0;
        int minUndo = Integer.MAX_VALUE, maxUndo = 0;
        for (Document d : svc.openDocuments.values()) { undoTotal += d.undo.size(); minUndo = Math.min(minUndo, d.undo.size()); maxUndo = Math.max(maxUndo, d.undo.size()); }
        System.out.println((FIXED ? "FIXED " : "") + "clauses " + CLAUSES_BY_CODE.size() + " users " + svc.users.size() + " open documents " + svc.openDocuments.size()
                + " undo total " + undoTotal + " (min " + minUndo + ", max " + maxUndo + ") previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.diffBuffers.size() + " presence " + svc.presenceCount);
        check(CLAUSES_BY_CODE.size() == CLAUSES && svc.users.size() == USERS, "reference data / directory");
        check(svc.openDocuments.size() == DOCS, "open documents");
        check(undoTotal == (FIXED ? (long) DOCS * UNDO_CAP : EDITS), "undo total " + undoTotal);
        check(minUndo >= UNDO_CAP, "every document past the cap");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.diffBuffers.size() == POOL, "pool");
        check(svc.presenceCount == EDITS && svc.presence[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
