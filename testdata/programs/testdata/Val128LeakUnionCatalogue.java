// hprofscan-dump: name=val128-leak-unioncatalogue jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val128-leak-unioncatalogue-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 128 (written blind), LEAK: the union catalogue of a regional library consortium.
 * Member-library reference data, the index of existing bibliographic records, an LRU of cover
 * thumbnails at its cap, a pool of export buffers, a ring of OPAC searches, the inter-library loan
 * queue with its normal backlog, and the record import: each member library's MARC file is loaded
 * through a unit of work (an identity map of every entity loaded or persisted, keyed by its Long id,
 * and a dirty list). The import used to flush and clear the unit of work every 500 records; since it
 * was rewritten around a streaming MARC reader it only commits (flush + clear) when the file ends.
 * The small hourly files are unaffected; the retrospective-conversion file of a university library
 * (60,000 records) is mid-run at the dump and its unit of work holds every record and holding it has
 * imported so far. See VALIDATION128.md.
 */
public final class Val128LeakUnionCatalogue {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int LIBRARIES = 1_000, EXISTING = 20_000, COVER_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SEARCHES_PER_HOUR = 2_400;
    static final int FLUSH_EVERY = 500, BIG_FILE_RECORDS = 60_000, BIG_JOB_MINUTES = 20;
    static boolean FIXED;

    record Library(String isil, String name, String region, double[] loansByWeek) {}
    record BibSummary(String controlNo, long recordId, String title, byte[] leader, long updatedAt) {}
    record CoverThumb(String isbn, byte[] jpeg, long at) {}
    record OpacSearch(long seq, String terms, int results, long at) {}
    record IllRequest(long id, String controlNo, String fromIsil, String toIsil, long at) {}
    record ImportSummary(long jobId, String file, int records, int holdings, long startedAt, long committedAt) {}

    abstract static class Entity {
        final long id; int version;
        Entity(long id) { this.id = id; }
    }
    static final class BibRecord extends Entity {
        final String controlNo; final String title; final String author; final String isbn; byte[] marc;
        BibRecord(long id, String controlNo, String title, String author, String isbn, byte[] marc) { super(id); this.controlNo = controlNo; this.title = title; this.author = author; this.isbn = isbn; this.marc = marc; }
    }
    static final class Holding extends Entity {
        final long bibId; final String isil; final String shelfmark; final String barcode;
        Holding(long id, long bibId, String isil, String shelfmark, String barcode) { super(id); this.bibId = bibId; this.isil = isil; this.shelfmark = shelfmark; this.barcode = barcode; }
    }

    /** The unit of work of an import: identity map (by id) and the entities to write at flush. */
    static final class ImportSession {
        final Map<Long, Entity> identityMap = new HashMap<>();
        final List<Entity> dirty = new ArrayList<>();
        long flushes, written;
        void flush() { written += dirty.size(); flushes++; dirty.clear(); }
        void clear() { identityMap.clear(); }
    }

    static final class ImportJob {
        final long id; final String file; final String isil; final int records; final long startedAt; final ImportSession session = new ImportSession();
        int processed, holdings, matched;
        ImportJob(long id, String file, String isil, int records, long startedAt) { this.id = id; this.file = file; this.isil = isil; this.records = records; this.startedAt = startedAt; }
    }

    static final class CoverCache extends LinkedHashMap<String, CoverThumb> {
        long evicted, hits;
        CoverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CoverThumb> e) { if (size() > COVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Library> LIBRARIES_BY_ISIL = new HashMap<>();

    static final class CatalogueService {
        final Map<String, BibSummary> bibIndex = new HashMap<>();
        final String[] controlNos = new String[EXISTING];
        final String[] isils = new String[LIBRARIES];
        final CoverCache covers = new CoverCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final OpacSearch[] searchLog = new OpacSearch[RING];
        final ArrayDeque<IllRequest> illQueue = new ArrayDeque<>();
        final ArrayDeque<ImportSummary> importHistory = new ArrayDeque<>();
        ImportJob running;
        long searches, illRequested, illSent, jobs, nextId = 50_000_000L, newControlNo = 90_000_000L;

        void search(Random r, long t) {
            long seq = searches++;
            String terms = "kw=" + Integer.toString(r.nextInt(1_000_000), 36) + "+" + Integer.toString(r.nextInt(50_000), 36);
            searchLog[(int) (seq % RING)] = new OpacSearch(seq, terms, r.nextInt(400), t);
            String isbn = "978" + (100_000_000 + r.nextInt(5_000));
            if (covers.get(isbn) != null) covers.hits++;
            else covers.put(isbn, new CoverThumb(isbn, new byte[400 + r.nextInt(400)], t));
            byte[] buf = exportBuffers.poll();
            buf[(int) (seq % buf.length)] = 1;
            exportBuffers.add(buf);
            if (r.nextInt(40) == 0) illQueue.addLast(new IllRequest(illRequested++, controlNos[r.nextInt(EXISTING)], isils[r.nextInt(LIBRARIES)], isils[r.nextInt(LIBRARIES)], t));
            while (!illQueue.isEmpty() && illQueue.peekFirst().at() <= t - 20 * MINUTE) { illQueue.pollFirst(); illSent++; }
        }

        ImportJob startImport(String file, String isil, int records, long t) {
            jobs++;
            running = new ImportJob(3_000 + jobs, file, isil, records, t);
            return running;
        }

        /** One MARC record of the file: match or create the bibliographic record, add the library's holdings. */
        void importRecord(ImportJob job, Random r) {
            ImportSession s = job.session;
            int author = r.nextInt(30_000), isbn = r.nextInt(90_000_000), marcBytes = 150 + r.nextInt(300);
            BibRecord bib;
            if (r.nextInt(100) < 25) {
                BibSummary existing = bibIndex.get(controlNos[r.nextInt(EXISTING)]);
                bib = (BibRecord) s.identityMap.get(existing.recordId());
                if (bib == null) {
                    bib = new BibRecord(existing.recordId(), existing.controlNo(), existing.title(), "Author " + author, "978" + (200_000_000 + isbn), new byte[marcBytes]);
                    s.identityMap.put(bib.id, bib);
                }
                if (bib.version++ == 0) s.dirty.add(bib);
                job.matched++;
            } else {
                String controlNo = "ocm" + (newControlNo++);
                bib = new BibRecord(nextId++, controlNo, "Title " + Long.toString(r.nextLong() & 0xffff_ffffL, 36) + " " + r.nextInt(10_000), "Author " + author, "978" + (200_000_000 + isbn), new byte[marcBytes]);
                s.identityMap.put(bib.id, bib);
                s.dirty.add(bib);
            }
            int copies = 1 + r.nextInt(2);
            for (int c = 0; c < copies; c++) {
                Holding h = new Holding(nextId++, bib.id, job.isil, "QA" + (76 + r.nextInt(20)) + "." + r.nextInt(1_000) + " " + (char) ('A' + r.nextInt(26)) + r.nextInt(100), "3" + (1_000_000_000L + r.nextInt(900_000_000)));
                s.identityMap.put(h.id, h);
                s.dirty.add(h);
                job.holdings++;
            }
            job.processed++;
            if (FIXED && job.processed % FLUSH_EVERY == 0) { s.flush(); s.clear(); } // what the import did before the rewrite
        }

        void commit(long t) {
            ImportJob j = running;
            j.session.flush();
            j.session.clear();
            importHistory.addLast(new ImportSummary(j.id, j.file, j.processed, j.holdings, j.startedAt, t));
            if (importHistory.size() > 12) importHistory.removeFirst();
            running = null;
        }
    }

    static CatalogueService SERVICE;

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(128_030_001);
        CatalogueService svc = new CatalogueService();
        SERVICE = svc;
        for (int l = 0; l < LIBRARIES; l++) {
            double[] loans = new double[52];
            for (int k = 0; k < loans.length; k++) loans[k] = rnd.nextDouble() * 3_000;
            svc.isils[l] = "GB-" + (char) ('A' + l % 26) + (char) ('A' + (l / 26) % 26) + (1_000 + l);
            LIBRARIES_BY_ISIL.put(svc.isils[l], new Library(svc.isils[l], "Library " + l, "Region " + (l % 40), loans));
        }
        for (int i = 0; i < EXISTING; i++) {
            svc.controlNos[i] = "ocm" + (10_000_000 + i * 37);
            svc.bibIndex.put(svc.controlNos[i], new BibSummary(svc.controlNos[i], 10_000_000L + i, "Existing title " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        Random opac = new Random(128_030_002), files = new Random(128_030_003);
        int n = SEARCHES_PER_HOUR * HOURS;
        long bigStart = end - BIG_JOB_MINUTES * MINUTE;
        long nextSmall = start + 10 * MINUTE;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            while (nextSmall <= t && nextSmall < bigStart) {
                String isil = svc.isils[files.nextInt(LIBRARIES)];
                ImportJob j = svc.startImport(isil + "-daily.mrc", isil, 800 + files.nextInt(1_200), nextSmall);
                for (int k = 0; k < j.records; k++) svc.importRecord(j, files);
                svc.commit(nextSmall + j.records * 60L);
                nextSmall += HOUR;
            }
            svc.search(opac, t);
        }
        // the retrospective-conversion file of a university library: 60,000 records, 660-709 per minute
        ImportJob big = svc.startImport("GB-UkUniv-retrocon-part3.mrc", svc.isils[7], BIG_FILE_RECORDS, bigStart);
        for (int m = 0; m < BIG_JOB_MINUTES; m++) {
            int records = 660 + files.nextInt(50);
            for (int k = 0; k < records; k++) svc.importRecord(big, files);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void verify() {
        CatalogueService s = SERVICE;
        ImportJob j = s.running;
        long bibs = 0, holdings = 0;
        for (Entity e : j.session.identityMap.values()) { if (e instanceof BibRecord) bibs++; else holdings++; }
        System.out.println((FIXED ? "FIXED " : "") + "libraries " + LIBRARIES_BY_ISIL.size() + " index " + s.bibIndex.size() + " searches " + s.searches + " covers " + s.covers.size() + " (evicted " + s.covers.evicted + ", hits " + s.covers.hits + ")"
                + " ill " + s.illRequested + " sent " + s.illSent + " backlog " + s.illQueue.size() + " jobs " + s.jobs + " history " + s.importHistory.size()
                + " running " + j.file + " " + j.processed + "/" + j.records + " matched " + j.matched + " holdings " + j.holdings + " flushes " + j.session.flushes
                + " identityMap " + j.session.identityMap.size() + " (bibs " + bibs + ", holdings " + holdings + ") dirty " + j.session.dirty.size() + " pool " + s.exportBuffers.size());
        check(LIBRARIES_BY_ISIL.size() == LIBRARIES && s.bibIndex.size() == EXISTING, "reference data / index");
        check(s.searches == (long) SEARCHES_PER_HOUR * HOURS, "searches");
        check(s.covers.size() == COVER_CAP && s.covers.evicted > 0, "cover cache at cap");
        check(s.exportBuffers.size() == POOL && s.searchLog[RING - 1] != null, "pool / ring");
        check(j.processed < j.records, "the big import is mid-run");
        if (FIXED) check(j.session.flushes == j.processed / FLUSH_EVERY && j.session.identityMap.size() <= 3 * FLUSH_EVERY, "unit of work holds the current chunk");
        else check(j.session.flushes == 0 && holdings == j.holdings && j.session.dirty.size() == j.session.identityMap.size(), "unit of work holds the whole run");
        long[] got = {s.jobs, s.covers.evicted, s.illRequested, s.illQueue.size(), j.processed, j.matched, j.holdings, bibs, holdings, j.session.dirty.size()};
        long[] e = FIXED ? EXPECT_FIXED : EXPECT;
        for (int i = 0; i < e.length; i++) check(e[i] < 0 || got[i] == e[i], "count #" + i + " = " + got[i] + ", expected " + e[i]);
    }

    /** jobs, covers evicted, ILL requested, ILL backlog, big-file records, matched, holdings, bibs and holdings in the identity map, dirty. */
    static final long[] EXPECT = {11, 12_810, 648, 15, 13_651, 3_322, 20_508, 13_387, 20_508, 33_895};
    static final long[] EXPECT_FIXED = {11, 12_810, 648, 15, 13_651, 3_322, 20_508, 151, 223, 374};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val128.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
