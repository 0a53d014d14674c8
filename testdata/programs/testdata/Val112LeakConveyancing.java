// hprofscan-dump: name=val112-leak-conveyancing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val112-leak-conveyancing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 112 (written blind), LEAK: the case-management service of a conveyancing law firm
 * (property purchases and sales). Local-authority reference data, the case directory, a cache of
 * rendered local-search results at its cap, a pool of PDF buffers, a ring of case activity, an
 * outbox of client e-mails with its normal backlog, and a lock registry that serialises edits of one
 * document: a ReentrantLock per document id, created on first use (computeIfAbsent) and never
 * removed, so every document ever edited keeps its lock entry. See VALIDATION112.md.
 */
public final class Val112LeakConveyancing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, MAIL_EVERY = 5 * MINUTE;
    static final int AUTHORITIES = 1_000, CASES = 20_000, SEARCH_CAP = 2_000, POOL = 8, RING = 8_192, MAIL_BATCH = 600;
    static final int HOURS = 10, REQUESTS_PER_HOUR = 9_000;
    static boolean FIXED;

    record LocalAuthority(String code, String name, double[] searchFeeByMonth) {}
    record ConveyancingCase(String caseRef, String authorityCode, String propertyAddress, String clientName, byte[] summary, long openedAt) {}
    record SearchResult(String key, byte[] rendered, long at) {}
    record Activity(long seq, String caseRef, String documentId, String action, long at) {}
    record ClientEmail(String caseRef, String subject, byte[] body, long queuedAt) {}

    /** Serialises concurrent edits of one document (contract draft, TR1, enquiries, completion statement). */
    static final class DocumentLocks {
        final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        long acquired, released;

        ReentrantLock acquire(String documentId) {
            ReentrantLock lock = locks.computeIfAbsent(documentId, id -> new ReentrantLock());
            lock.lock();
            acquired++;
            return lock;
        }

        void release(String documentId, ReentrantLock lock) {
            lock.unlock();
            released++;
            // BUG: the entry is kept for ever; the fix drops it once nobody holds or waits for it
            if (FIXED && !lock.isLocked() && !lock.hasQueuedThreads()) locks.remove(documentId, lock);
        }
    }

    static final class SearchCache extends LinkedHashMap<String, SearchResult> {
        long evicted;
        SearchCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchResult> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, LocalAuthority> AUTHORITIES_BY_CODE = new HashMap<>();
    static final String[] ACTIONS = {"draft-contract", "tr1-transfer", "replies-to-enquiries", "completion-statement", "sdlt-return", "title-plan"};

    static final class CaseService {
        final Map<String, ConveyancingCase> cases = new HashMap<>();
        final String[] caseRefs = new String[CASES];
        final int[] docSeq = new int[CASES];
        final SearchCache searches = new SearchCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[RING];
        final ArrayDeque<ClientEmail> outbox = new ArrayDeque<>();
        final DocumentLocks docLocks = new DocumentLocks();
        long requests, newDocuments, edits, emailsQueued, emailsSent, pdfs;

        void edit(Random r, long t) {
            String caseRef, documentId, action;
            Activity recent = requests >= RING && r.nextInt(100) < 45 ? activity[r.nextInt(RING)] : null;
            if (recent != null) {
                caseRef = recent.caseRef(); documentId = recent.documentId(); action = recent.action();
            } else {
                int c = r.nextInt(CASES);
                caseRef = caseRefs[c];
                documentId = caseRef + "/D" + String.format("%02d", ++docSeq[c]);
                action = ACTIONS[r.nextInt(ACTIONS.length)];
                newDocuments++;
            }
            ReentrantLock lock = docLocks.acquire(documentId);
            try {
                edits++;
                ConveyancingCase cc = cases.get(caseRef);
                if (r.nextInt(100) < 30) {
                    String key = cc.authorityCode() + "/search-" + r.nextInt(5_000);
                    if (searches.get(key) == null) searches.put(key, new SearchResult(key, new byte[400 + r.nextInt(400)], t));
                }
                if (r.nextInt(100) < 40) {
                    byte[] buf = pdfBuffers.poll();
                    buf[(int) (edits % buf.length)] = (byte) cc.summary().length;
                    pdfBuffers.add(buf);
                    pdfs++;
                }
                if (r.nextInt(2) == 0) {
                    outbox.add(new ClientEmail(caseRef, "Update on " + cc.propertyAddress() + ": " + action, new byte[200 + r.nextInt(200)], t));
                    emailsQueued++;
                }
                activity[(int) (requests % RING)] = new Activity(requests, caseRef, documentId, action, t);
                requests++;
            } finally {
                docLocks.release(documentId, lock);
            }
        }

        void sendMail() {
            for (int k = 0; k < MAIL_BATCH && !outbox.isEmpty(); k++) { outbox.poll(); emailsSent++; }
        }
    }

    static CaseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(112_010_001);
        String[] authCodes = new String[AUTHORITIES];
        for (int a = 0; a < AUTHORITIES; a++) {
            double[] fees = new double[60];
            for (int k = 0; k < fees.length; k++) fees[k] = 80 + rnd.nextDouble() * 220;
            authCodes[a] = "LA" + (4_100 + a * 3);
            AUTHORITIES_BY_CODE.put(authCodes[a], new LocalAuthority(authCodes[a], "Borough " + a, fees));
        }
        CaseService svc = new CaseService();
        SERVICE = svc;
        String[] streets = {"High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road", "Green Lane", "Manor Way"};
        for (int i = 0; i < CASES; i++) {
            svc.caseRefs[i] = "CV24-" + (100_000 + i * 7);
            svc.cases.put(svc.caseRefs[i], new ConveyancingCase(svc.caseRefs[i], authCodes[rnd.nextInt(AUTHORITIES)], (1 + rnd.nextInt(200)) + " " + streets[rnd.nextInt(streets.length)],
                    "Client " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(112_010_002);
        int requests = HOURS * REQUESTS_PER_HOUR;
        long nextMail = start + MAIL_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextMail <= t) { svc.sendMail(); nextMail += MAIL_EVERY; }
            svc.edit(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val112.fixed");
        simulate();
        CaseService svc = SERVICE;
        int requests = HOURS * REQUESTS_PER_HOUR;
        int locks = svc.docLocks.locks.size();
        System.out.println((FIXED ? "FIXED " : "") + "authorities " + AUTHORITIES_BY_CODE.size() + " cases " + svc.cases.size() + " edits " + svc.edits + " new documents " + svc.newDocuments
                + " locks " + locks + " (acquired " + svc.docLocks.acquired + ", released " + svc.docLocks.released + ") searches " + svc.searches.size() + " (evicted " + svc.searches.evicted
                + ") pdfs " + svc.pdfs + " pool " + svc.pdfBuffers.size() + " emails queued " + svc.emailsQueued + " sent " + svc.emailsSent + " backlog " + svc.outbox.size());
        check(AUTHORITIES_BY_CODE.size() == AUTHORITIES && svc.cases.size() == CASES, "reference data / directory");
        check(svc.requests == requests && svc.edits == requests && svc.docLocks.acquired == requests && svc.docLocks.released == requests, "traffic");
        for (ReentrantLock l : svc.docLocks.locks.values()) check(!l.isLocked(), "a lock still held");
        if (FIXED) check(locks == 0, "fixed: no lock entry left");
        else check(locks == svc.newDocuments, "one lock per document ever edited: " + locks);
        check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted > 0, "search cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.activity[RING - 1] != null, "ring");
        check(svc.outbox.size() > 0 && svc.outbox.size() < MAIL_BATCH && svc.emailsQueued == svc.emailsSent + svc.outbox.size(), "outbox backlog");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
