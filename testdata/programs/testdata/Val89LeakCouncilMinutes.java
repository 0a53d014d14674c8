// hprofscan-dump: name=val89-leak-councilminutes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val89-leak-councilminutes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 89 (written blind), LEAK: the meeting-minutes review service of a city council.
 * Committee reference data, the agenda-item directory, a cache of rendered minute pages at its cap,
 * a pool of PDF-render buffers, a ring of recent views, the registry of documents open for review,
 * and a static full-text index (term -> list of Line). Every line of an opened document is indexed
 * as a small Line (line number, a few terms) that keeps a reference to its parent Document, which
 * holds the whole text. When a clerk closes a document it is removed from the open-document
 * registry, but its lines are never removed from the index (searches filter out closed documents,
 * so nobody notices): every closed document stays pinned, text and all. See VALIDATION89.md.
 */
public final class Val89LeakCouncilMinutes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COMMITTEES = 1_000, ITEMS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, VOCABULARY = 2_500, VIEWS_PER_MINUTE = 36;
    static boolean FIXED;

    record Committee(String code, String name, double[] attendanceByMonth) {}
    record AgendaItem(String ref, String committeeCode, String title, byte[] summary, long tabledAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record View(String documentId, String clerk, int hits, long at) {}

    static final class Document {
        final String id, committeeCode, title, text; final long openedAt; long closesAt, closedAt;
        Line[] lines;
        Document(String id, String committeeCode, String title, String text, long openedAt) {
            this.id = id; this.committeeCode = committeeCode; this.title = title; this.text = text; this.openedAt = openedAt;
        }
    }

    /** One indexed line: its number, the terms it was indexed under, and its document. */
    static final class Line {
        final int number; final String[] terms; final Document document;
        Line(int number, String[] terms, Document document) { this.number = number; this.terms = terms; this.document = document; }
    }

    /** Static full-text index shared by every review session. */
    static final class LineIndex {
        static final Map<String, List<Line>> BY_TERM = new HashMap<>();
        static long indexed, removed;
        static void add(Line line) {
            for (String term : line.terms) BY_TERM.computeIfAbsent(term, k -> new ArrayList<>()).add(line);
            indexed++;
        }
        static void removeDocument(Document d) {
            for (Line line : d.lines) {
                for (String term : line.terms) {
                    List<Line> list = BY_TERM.get(term);
                    list.remove(line);
                    if (list.isEmpty()) BY_TERM.remove(term);
                }
                removed++;
            }
        }
        static long postings() { long n = 0; for (List<Line> l : BY_TERM.values()) n += l.size(); return n; }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Committee> COMMITTEES_BY_CODE = new HashMap<>();

    static final class MinutesService {
        final Map<String, AgendaItem> agendaItems = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final View[] views = new View[RING];
        long viewCount, opened, closed, closedLines;
        final Map<String, Document> openDocuments = new HashMap<>();

        void open(Document d, String[][] lineTerms) {
            d.lines = new Line[lineTerms.length];
            for (int n = 0; n < lineTerms.length; n++) { d.lines[n] = new Line(n + 1, lineTerms[n], d); LineIndex.add(d.lines[n]); }
            openDocuments.put(d.id, d);
            opened++;
        }
        void close(Document d, long at) {
            openDocuments.remove(d.id);
            d.closedAt = at;
            closed++;
            closedLines += d.lines.length;
            if (FIXED) LineIndex.removeDocument(d);
            // BUG: the document's lines stay in LineIndex.BY_TERM, each pinning the document
        }
        /** Search hits in open documents only. */
        int search(String term) {
            List<Line> list = LineIndex.BY_TERM.get(term);
            if (list == null) return 0;
            int hits = 0;
            for (Line l : list) if (l.document.closedAt == 0) hits++;
            return hits;
        }
    }

    static MinutesService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val89.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(89_020_001);
        String[] committeeCodes = new String[COMMITTEES];
        for (int c = 0; c < COMMITTEES; c++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble();
            committeeCodes[c] = "CTE-" + (200 + c);
            COMMITTEES_BY_CODE.put(committeeCodes[c], new Committee(committeeCodes[c], "Committee " + (c % 120) + " / ward " + (c / 120), att));
        }
        MinutesService svc = new MinutesService();
        SERVICE = svc;
        for (int a = 0; a < ITEMS; a++) {
            String ref = "AI-" + (2_000_000 + a);
            svc.agendaItems.put(ref, new AgendaItem(ref, committeeCodes[rnd.nextInt(COMMITTEES)], "Item " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        // the vocabulary: pseudo-words, shared by every line that uses them
        String[] syl = {"ba", "con", "de", "fi", "gra", "ho", "lin", "mo", "pre", "qua", "ri", "sto", "tu", "ven", "wor", "zel", "an", "ex", "ply", "sen"};
        Set<String> seen = new HashSet<>();
        String[] vocab = new String[VOCABULARY];
        for (int v = 0; v < VOCABULARY; ) {
            String w = syl[rnd.nextInt(syl.length)] + syl[rnd.nextInt(syl.length)] + syl[rnd.nextInt(syl.length)] + (rnd.nextBoolean() ? "" : syl[rnd.nextInt(syl.length)]);
            if (seen.add(w)) vocab[v++] = w;
        }
        String[] fillers = {"the", "and", "that", "was", "of", "to", "resolved", "noted", "moved", "agreed"};
        String[] clerks = new String[40];
        for (int c = 0; c < clerks.length; c++) clerks[c] = "clerk" + (c + 1);

        Random traffic = new Random(89_020_002);
        PriorityQueue<Document> closeQueue = new PriorityQueue<>((x, y) -> Long.compare(x.closesAt, y.closesAt));
        String[] recentIds = new String[20];
        int minutes = HOURS * 60;
        long maxOpen = 0;
        for (int m = 0; m < minutes; m++) {
            long minuteStart = start + m * MINUTE;
            // one document opened per minute
            long openedAt = minuteStart + traffic.nextInt(50_000);
            int nLines = 40 + traffic.nextInt(61);
            String[][] lineTerms = new String[nLines][];
            StringBuilder text = new StringBuilder(nLines * 64);
            for (int n = 0; n < nLines; n++) {
                int nt = 3 + traffic.nextInt(2);
                String[] terms = new String[nt];
                for (int k = 0; k < nt; k++) {
                    String w;
                    boolean dup;
                    do { // skewed towards the first words of the vocabulary
                        int idx = (int) (VOCABULARY * Math.pow(traffic.nextDouble(), 2));
                        w = vocab[idx];
                        dup = false;
                        for (int q = 0; q < k; q++) dup |= terms[q] == w;
                    } while (dup);
                    terms[k] = w;
                }
                lineTerms[n] = terms;
                for (int k = 0; k < nt; k++) text.append(terms[k]).append(' ').append(fillers[traffic.nextInt(fillers.length)]).append(' ');
                text.append(fillers[traffic.nextInt(fillers.length)]).append(".\n");
            }
            String cte = committeeCodes[traffic.nextInt(COMMITTEES)];
            Document d = new Document("MIN-" + (880_000 + m), cte, "Minutes of " + cte + " meeting " + (1 + traffic.nextInt(24)), text.toString(), openedAt);
            d.closesAt = openedAt + (5 + traffic.nextInt(41)) * MINUTE;
            closeQueue.add(d);
            recentIds[m % recentIds.length] = d.id;
            svc.open(d, lineTerms);
            maxOpen = Math.max(maxOpen, svc.openDocuments.size());
            // views and searches during the minute
            for (int v = 0; v < VIEWS_PER_MINUTE; v++) {
                long t = minuteStart + v * (MINUTE / VIEWS_PER_MINUTE);
                while (!closeQueue.isEmpty() && closeQueue.peek().closesAt <= t) { Document c = closeQueue.poll(); svc.close(c, c.closesAt); }
                String term = vocab[(int) (VOCABULARY * Math.pow(traffic.nextDouble(), 2))];
                int hits = svc.search(term);
                String docId = recentIds[Math.max(0, m - traffic.nextInt(recentIds.length)) % recentIds.length];
                svc.views[(int) (svc.viewCount++ % RING)] = new View(docId, clerks[traffic.nextInt(clerks.length)], hits, t);
                String key = "page-" + traffic.nextInt(4_500);
                if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.pdfBuffers.poll();
                buf[v % buf.length] = (byte) v;
                svc.pdfBuffers.add(buf);
            }
        }
        while (!closeQueue.isEmpty() && closeQueue.peek().closesAt <= end) { Document c = closeQueue.poll(); svc.close(c, c.closesAt); }
        closeQueue = null;
        long openLines = 0, closedLines = svc.closedLines;
        for (Document d : svc.openDocuments.values()) openLines += d.lines.length;
        long postings = LineIndex.postings();
        System.out.println((FIXED ? "FIXED " : "") + "committees " + COMMITTEES_BY_CODE.size() + " items " + svc.agendaItems.size() + " documents opened " + svc.opened + " closed " + svc.closed + " open " + svc.openDocuments.size() + " (max " + maxOpen + ")"
                + " index terms " + LineIndex.BY_TERM.size() + " postings " + postings + " lines indexed " + LineIndex.indexed + " removed " + LineIndex.removed + " open-doc lines " + openLines + " closed-doc lines " + closedLines
                + " views " + svc.viewCount + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.pdfBuffers.size());
        check(COMMITTEES_BY_CODE.size() == COMMITTEES && svc.agendaItems.size() == ITEMS, "reference data / directory");
        check(svc.opened == minutes && svc.opened == svc.closed + svc.openDocuments.size() && svc.openDocuments.size() > 0 && svc.openDocuments.size() < 60, "documents");
        if (FIXED) check(LineIndex.indexed - LineIndex.removed == openLines && LineIndex.removed == closedLines, "index holds open documents only");
        else check(LineIndex.removed == 0 && LineIndex.indexed == openLines + closedLines, "index keeps every line");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.viewCount == (long) minutes * VIEWS_PER_MINUTE && svc.views[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
