// hprofscan-dump: name=val21-leak-trademarks-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val21-leak-trademarks-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val21-leak-trademarks jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val21-leak-trademarks-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 21 (written blind), LEAK: the examination back end of a trademark office, written
 * event-sourced. Each pending {@code TrademarkApplication} aggregate records its changes as
 * domain events in {@code pendingEvents}; the repository appends them to the event store and
 * should then call {@code markCommitted()}. The bug: {@code markCommitted()} is never called, so
 * every aggregate keeps every event it ever raised. The aggregate map itself is legitimate
 * (bounded: the applications under examination, all in use). Beside it: the Nice classification,
 * the register of granted marks, examiner sessions, a similarity-search cache at its cap, the
 * event store's sequence ring, a command-log ring.
 * Series: stage 1 simulates 2 h, stage 2 4 h, stage 3 8 h. See testdata/VALIDATION21.md.
 */
public final class Val21LeakTrademarkRegistry {
    static final long HOUR = 3_600_000L;
    static final int NICE_CLASSES = 45, TERMS_PER_CLASS = 220, GRANTED = 70_000, APPLICATIONS = 3_000, EXAMINERS = 200;
    static final int SEARCH_CAP = 1_500, STORE_RING = 4_096, COMMAND_RING = 4_096, EVENTS_PER_HOUR = 3_000;

    record NiceClass(int number, String heading, String[] terms) {}
    record GrantedMark(String regNo, String wordMark, String owner, int[] classes, long grantedAt) {}
    record ExaminerSession(String examinerId, String desk, long loggedInAt) {}
    record SearchResult(String query, String[] hits, long at) {}
    record Command(String applicationId, String type, long at) {}

    static final class DomainEvent {
        final String applicationId, type; final long seq, occurredAt; final byte[] payload;
        DomainEvent(String applicationId, String type, long seq, long occurredAt, byte[] payload) { this.applicationId = applicationId; this.type = type; this.seq = seq; this.occurredAt = occurredAt; this.payload = payload; }
    }

    static final class TrademarkApplication {
        final String id, wordMark, applicant; final long filedAt; final int[] classes;
        String status = "FILED"; long version;
        final List<DomainEvent> pendingEvents = new ArrayList<>();
        TrademarkApplication(String id, String wordMark, String applicant, long filedAt, int[] classes) { this.id = id; this.wordMark = wordMark; this.applicant = applicant; this.filedAt = filedAt; this.classes = classes; }
        void raise(String type, long seq, long at, byte[] payload) { pendingEvents.add(new DomainEvent(id, type, seq, at, payload)); status = type; version++; }
        void markCommitted() { pendingEvents.clear(); }
    }

    /** The event store: appends go to the database (discarded here); only the last sequence numbers are kept. */
    static final class EventStore {
        final long[] recentSeq = new long[STORE_RING];
        long appended;
        void append(List<DomainEvent> events) { for (DomainEvent e : events) recentSeq[(int) (appended++ % STORE_RING)] = e.seq; }
    }

    static final class SearchCache extends LinkedHashMap<String, SearchResult> {
        long evicted;
        SearchCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SearchResult> e) { if (size() > SEARCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<Integer, NiceClass> NICE = new HashMap<>();
    static final Map<String, GrantedMark> REGISTER = new HashMap<>();

    static final class ExaminationService {
        final Map<String, TrademarkApplication> applications = new HashMap<>();
        final Map<String, ExaminerSession> examiners = new HashMap<>();
        final SearchCache searches = new SearchCache();
        final EventStore store = new EventStore();
        final Command[] commandLog = new Command[COMMAND_RING];
        long commands, committedBatches;
    }

    static ExaminationService EXAMINATION;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val21.fixed"); // only for measuring the leak's share
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(21_040_001);
        for (int c = 1; c <= NICE_CLASSES; c++) {
            String[] terms = new String[TERMS_PER_CLASS];
            for (int k = 0; k < terms.length; k++) terms[k] = "goods term " + c + "." + k + (k % 3 == 0 ? " for industrial use" : "");
            NICE.put(c, new NiceClass(c, "Class " + c + " heading", terms));
        }
        for (int g = 0; g < GRANTED; g++) {
            int[] classes = new int[1 + rnd.nextInt(5)];
            for (int k = 0; k < classes.length; k++) classes[k] = 1 + rnd.nextInt(NICE_CLASSES);
            String reg = "UK" + (3_000_000 + g);
            REGISTER.put(reg, new GrantedMark(reg, "MARK" + Integer.toString(g * 7919, 36).toUpperCase(), "Owner Holdings " + (g % 9_000) + " Ltd", classes, now - (long) rnd.nextInt(30 * 365) * 24 * HOUR));
        }
        ExaminationService svc = new ExaminationService();
        EXAMINATION = svc;
        for (int e = 0; e < EXAMINERS; e++) svc.examiners.put("EX-" + e, new ExaminerSession("EX-" + e, "Desk " + (e % 40), now - 9 * HOUR + e * 60_000L));
        for (int a = 0; a < APPLICATIONS; a++) {
            int[] classes = new int[1 + rnd.nextInt(4)];
            for (int k = 0; k < classes.length; k++) classes[k] = 1 + rnd.nextInt(NICE_CLASSES);
            String id = "APP-" + (8_100_000 + a);
            svc.applications.put(id, new TrademarkApplication(id, "BRAND" + a, "Applicant " + (a % 2_000), now - (long) (30 + rnd.nextInt(300)) * 24 * HOUR, classes));
        }
        String[] types = {"FORMALITIES_CHECKED", "SEARCH_COMPLETED", "OBJECTION_RAISED", "RESPONSE_RECEIVED", "EXAMINER_NOTE_ADDED", "PUBLISHED"};
        int total = (int) (EVENTS_PER_HOUR * hours);
        Random traffic = new Random(21_040_002);
        for (int i = 0; i < total; i++) {
            long t = start + (now - start) * i / total;
            TrademarkApplication app = svc.applications.get("APP-" + (8_100_000 + traffic.nextInt(APPLICATIONS)));
            String type = types[traffic.nextInt(types.length)];
            app.raise(type, i + 1, t, new byte[200 + traffic.nextInt(300)]);
            svc.commandLog[(int) (svc.commands++ % COMMAND_RING)] = new Command(app.id, type, t);
            // the repository persists the new events ...
            List<DomainEvent> uncommitted = app.pendingEvents;
            svc.store.append(fixed ? uncommitted : uncommitted.subList(uncommitted.size() - 1, uncommitted.size()));
            svc.committedBatches++;
            if (fixed) app.markCommitted(); // ... BUG in the leak run: markCommitted() is never called
            if (i % 2 == 0) { // every second command runs a similarity search
                String[] hits = new String[20];
                for (int k = 0; k < hits.length; k++) hits[k] = "UK" + (3_000_000 + traffic.nextInt(GRANTED));
                svc.searches.put(app.wordMark + "#" + i, new SearchResult(app.wordMark, hits, t));
            }
        }
        long pending = 0, versions = 0;
        int maxPending = 0;
        for (TrademarkApplication a : svc.applications.values()) { pending += a.pendingEvents.size(); versions += a.version; maxPending = Math.max(maxPending, a.pendingEvents.size()); }
        System.out.println((fixed ? "FIXED " : "") + "stage " + stage + " nice classes " + NICE.size() + " granted marks " + REGISTER.size() + " examiners " + svc.examiners.size() + " applications " + svc.applications.size() + " events " + total + " persisted " + svc.store.appended + " pending (uncommitted) events " + pending + " (max per aggregate " + maxPending + ") searches " + svc.searches.size() + " (evicted " + svc.searches.evicted + ") commands " + svc.commands);
        check(NICE.size() == NICE_CLASSES && REGISTER.size() == GRANTED && svc.examiners.size() == EXAMINERS, "reference data");
        check(svc.applications.size() == APPLICATIONS && versions == total && svc.store.appended == total && svc.committedBatches == total, "aggregates and event store");
        check(pending == (fixed ? 0 : total), "pending events " + pending);
        check(svc.searches.size() == SEARCH_CAP && svc.searches.evicted == total / 2 - SEARCH_CAP, "search cache at its cap");
        check(svc.commands == total && svc.commandLog[COMMAND_RING - 1] != null, "command ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
