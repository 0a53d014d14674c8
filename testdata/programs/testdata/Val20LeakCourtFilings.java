// hprofscan-dump: name=val20-leak-courtfilings jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val20-leak-courtfilings-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Validation set 20 (written blind), LEAK: the e-filing service of a district court. Each filing
 * request attaches a {@link RequestTraceHandler} (captures the filing's ids and a trace buffer, so
 * that a failed filing can be replayed for the clerk) to the service's static logger with
 * {@link Logger#addHandler}; the handler is meant to be removed when the request ends, but the
 * removal is missing, so the logger's handler list grows by one per filing. Beside it: the two
 * fixed handlers added at startup (console, rolling in-memory "file" handler), the docket index,
 * the statute book, a document cache at its cap, clerk sessions, the hearing calendar ring, the
 * intake queue. See testdata/VALIDATION20.md.
 */
public final class Val20LeakCourtFilings {
    static final long HOUR = 3_600_000L;
    static final int CASES = 50_000, STATUTES = 8_000, DOC_CAP = 2_000, CLERKS = 300, RING = 2_048, QUEUE_CAP = 256, FILINGS = 3_000;

    record CourtCase(String docket, String title, long openedAt, String judge, long[] partyIds) {}
    record Statute(String section, String heading, String text) {}
    record StampedDocument(String docId, String docket, long stampedAt, byte[] pdf) {}
    record ClerkSession(String clerkId, String token, long loggedInAt, long lastSeenAt) {}
    record HearingSlot(String docket, String room, long at) {}
    record Intake(String filingId, String docket, long receivedAt) {}

    static final class CourtLog {
        static final Logger LOG = Logger.getLogger("court.efiling");
    }

    /** Fixed handler: a rolling in-memory log "file" (bounded, 64 KiB segments, 8 kept). */
    static final class RollingMemoryHandler extends Handler {
        final byte[][] segments = new byte[8][64 * 1024];
        int segment, pos; long published;
        @Override public void publish(LogRecord r) {
            byte[] line = (r.getMillis() + " " + r.getLevel() + " " + r.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            if (pos + line.length > segments[segment].length) { segment = (segment + 1) % segments.length; pos = 0; }
            System.arraycopy(line, 0, segments[segment], pos, Math.min(line.length, segments[segment].length)); pos += line.length; published++;
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    /** Per-request handler: keeps the request's context and its trace lines for a replay. */
    static final class RequestTraceHandler extends Handler {
        final String filingId; final String docket; final String clerkId; final long startedAt;
        final StringBuilder trace = new StringBuilder(512);
        final byte[] envelope;
        RequestTraceHandler(String filingId, String docket, String clerkId, long startedAt, byte[] envelope) { this.filingId = filingId; this.docket = docket; this.clerkId = clerkId; this.startedAt = startedAt; this.envelope = envelope; }
        @Override public void publish(LogRecord r) { if (trace.length() < 1_000) trace.append(r.getMillis()).append(' ').append(r.getMessage()).append('\n'); }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class DocumentCache extends LinkedHashMap<String, StampedDocument> {
        long evicted;
        DocumentCache() { super(1024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StampedDocument> e) { if (size() > DOC_CAP) { evicted++; return true; } return false; }
    }

    static final class FilingService {
        final Map<String, CourtCase> docket = new HashMap<>();
        final DocumentCache documents = new DocumentCache();
        final Map<String, ClerkSession> clerkSessions = new ConcurrentHashMap<>();
        final HearingSlot[] calendar = new HearingSlot[RING];
        long calendarWritten;
        final ArrayBlockingQueue<Intake> intake = new ArrayBlockingQueue<>(QUEUE_CAP);
        final RollingMemoryHandler file = new RollingMemoryHandler();
        final ConsoleHandler console = new ConsoleHandler();
        long filings;

        void start() {
            CourtLog.LOG.setUseParentHandlers(false);
            CourtLog.LOG.setLevel(Level.FINE);
            console.setLevel(Level.WARNING);
            file.setLevel(Level.FINE);
            CourtLog.LOG.addHandler(console);
            CourtLog.LOG.addHandler(file);
        }

        void file(String filingId, String docketNo, String clerkId, long at, Random rnd, boolean fixed) {
            byte[] envelope = new byte[600 + rnd.nextInt(400)];
            rnd.nextBytes(envelope);
            RequestTraceHandler h = new RequestTraceHandler(filingId, docketNo, clerkId, at, envelope);
            h.setLevel(Level.FINE);
            CourtLog.LOG.addHandler(h);
            try {
                CourtLog.LOG.fine("filing " + filingId + " received for " + docketNo + " by " + clerkId);
                byte[] pdf = new byte[1_000 + rnd.nextInt(1_000)];
                documents.put(filingId, new StampedDocument(filingId, docketNo, at + 1_000, pdf));
                calendar[(int) (calendarWritten++ % RING)] = new HearingSlot(docketNo, "Room " + (1 + rnd.nextInt(24)), at + (long) (1 + rnd.nextInt(60)) * 24 * HOUR);
                filings++;
            } finally {
                if (fixed) CourtLog.LOG.removeHandler(h); // BUG in the leak run: the handler is never removed
            }
        }
    }

    static FilingService COURT;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val20.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long hours = 8, start = now - hours * HOUR;
        Random rnd = new Random(20_020_001);
        FilingService svc = new FilingService();
        COURT = svc;
        svc.start();
        String[] judges = {"Hon. A. Reyes", "Hon. B. Okafor", "Hon. C. Lindqvist", "Hon. D. Mehta", "Hon. E. Novak"};
        for (int c = 0; c < CASES; c++) {
            long[] parties = new long[2 + rnd.nextInt(5)];
            for (int k = 0; k < parties.length; k++) parties[k] = 1_000_000L + rnd.nextInt(400_000);
            String no = (c % 3 == 0 ? "CV-" : "CR-") + (2020 + c % 7) + "-" + (100_000 + c);
            svc.docket.put(no, new CourtCase(no, "Party " + parties[0] + " v. Party " + parties[1], now - (long) rnd.nextInt(6 * 365 * 24) * HOUR, judges[c % judges.length], parties));
        }
        Map<String, Statute> statutes = new HashMap<>();
        for (int s = 0; s < STATUTES; s++) {
            String sec = "§ " + (100 + s / 20) + "." + (s % 20);
            StringBuilder text = new StringBuilder();
            while (text.length() < 600) text.append("The court may, upon motion of a party, extend the time for filing. ");
            statutes.put(sec, new Statute(sec, "Section " + sec, text.toString()));
        }
        STATUTE_BOOK = statutes;
        for (int k = 0; k < CLERKS; k++) {
            String id = "clerk-" + (100 + k);
            svc.clerkSessions.put(id, new ClerkSession(id, Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()), now - (long) rnd.nextInt(8) * HOUR, now - rnd.nextInt(600_000)));
        }
        List<String> docketNos = new ArrayList<>(svc.docket.keySet());
        java.util.Collections.sort(docketNos);
        for (int i = 0; i < FILINGS; i++) {
            long t = start + (now - start) * i / FILINGS;
            svc.file("EF-" + (60_000_000 + i), docketNos.get(rnd.nextInt(docketNos.size())), "clerk-" + (100 + rnd.nextInt(CLERKS)), t, rnd, fixed);
        }
        for (int q = 0; q < 180; q++) svc.intake.add(new Intake("EF-" + (60_000_000 + FILINGS + q), docketNos.get(rnd.nextInt(docketNos.size())), now - (180 - q) * 1_000L));
        int handlers = CourtLog.LOG.getHandlers().length;
        int traceHandlers = 0;
        for (Handler h : CourtLog.LOG.getHandlers()) if (h instanceof RequestTraceHandler) traceHandlers++;
        System.out.println((fixed ? "FIXED " : "") + "cases " + svc.docket.size() + " statutes " + STATUTE_BOOK.size() + " clerks " + svc.clerkSessions.size() + " filings " + svc.filings + " logger handlers " + handlers + " (request trace " + traceHandlers + ") documents " + svc.documents.size() + " (evicted " + svc.documents.evicted + ") calendar written " + svc.calendarWritten + " intake " + svc.intake.size() + " file log lines " + svc.file.published);
        check(svc.docket.size() == CASES && STATUTE_BOOK.size() == STATUTES && svc.clerkSessions.size() == CLERKS, "reference data");
        check(svc.filings == FILINGS, "filings");
        check(handlers == (fixed ? 2 : FILINGS + 2) && traceHandlers == (fixed ? 0 : FILINGS), "logger handlers");
        check(svc.file.published == FILINGS, "file handler saw every filing");
        check(svc.documents.size() == DOC_CAP && svc.documents.evicted == FILINGS - DOC_CAP, "document cache at its cap");
        check(svc.calendarWritten == FILINGS && svc.calendar[RING - 1] != null, "calendar ring wrapping");
        check(svc.intake.size() == 180, "intake queue");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static Map<String, Statute> STATUTE_BOOK;
}
