// hprofscan-dump: name=val89-healthy-carehomes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val89-healthy-carehomes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val89-healthy-carehomes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val89-healthy-carehomes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

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
 * Validation set 89 (written blind), HEALTHY: the medication and care-plan service of a group of
 * care homes. Care-home reference data, the resident directory, a cache of rendered medication
 * charts at its cap, a ring of medication-round events, an outbox (ArrayList with a read cursor)
 * whose delivered prefix is removed after every dispatcher pass, a static full-text index of the
 * lines of the care plans open for review whose lines are removed when a plan is closed, and a pool
 * of 8 database connections whose statement-leak debugging aid (a creation Throwable per prepared
 * statement) forgets a statement's trace when the statement is closed. Warms up, then plateaus.
 * See VALIDATION89.md.
 */
public final class Val89HealthyCareHomes {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PASS_EVERY = 30_000L;
    static final int HOMES = 1_200, RESIDENTS = 25_000, CHART_CAP = 2_000, RING = 16_384, CONNECTIONS = 8, EVENTS_PER_HOUR = 6_000, VOCABULARY = 1_500;

    record CareHome(String code, String name, double[] occupancyByWeek) {}
    record Resident(String residentNo, String homeCode, String room, byte[] careSummary, long admittedAt) {}
    record Chart(String key, byte[] rendered, long at) {}
    record RoundEvent(String residentNo, String medication, String nurse, boolean given, long at) {}

    static final class OutboxMessage {
        final long id; final String topic, residentNo; final long createdAt; final byte[] payload; long deliveredAt;
        OutboxMessage(long id, String topic, String residentNo, long createdAt, byte[] payload) { this.id = id; this.topic = topic; this.residentNo = residentNo; this.createdAt = createdAt; this.payload = payload; }
    }

    /** Outbox with a read cursor; the delivered prefix is removed after every pass. */
    static final class Outbox {
        final ArrayList<OutboxMessage> messages = new ArrayList<>();
        int cursor; long appended, delivered, passes; int maxSize;
        void append(OutboxMessage m) { messages.add(m); appended++; maxSize = Math.max(maxSize, messages.size()); }
        void dispatch(long at) {
            passes++;
            while (cursor < messages.size()) { messages.get(cursor).deliveredAt = at; cursor++; delivered++; }
            messages.subList(0, cursor).clear();
            cursor = 0;
        }
    }

    static final class CarePlan {
        final String id, residentNo, text; final long openedAt; long closesAt, closedAt; Line[] lines;
        CarePlan(String id, String residentNo, String text, long openedAt) { this.id = id; this.residentNo = residentNo; this.text = text; this.openedAt = openedAt; }
    }

    static final class Line {
        final int number; final String[] terms; final CarePlan plan;
        Line(int number, String[] terms, CarePlan plan) { this.number = number; this.terms = terms; this.plan = plan; }
    }

    /** Static full-text index of the lines of open care plans; a closed plan's lines are removed. */
    static final class CarePlanIndex {
        static final Map<String, List<Line>> BY_TERM = new HashMap<>();
        static long indexed, removed;
        static void add(Line l) { for (String t : l.terms) BY_TERM.computeIfAbsent(t, k -> new ArrayList<>()).add(l); indexed++; }
        static void remove(CarePlan p) {
            for (Line l : p.lines) {
                for (String t : l.terms) { List<Line> list = BY_TERM.get(t); list.remove(l); if (list.isEmpty()) BY_TERM.remove(t); }
                removed++;
            }
        }
    }

    record PrepareTrace(long statementId, String sql, long preparedAt, Throwable site) {}

    static long STATEMENT_IDS = 5_000_000;

    static final class Statement {
        final long id; final String sql; final DbConnection connection;
        Statement(long id, String sql, DbConnection connection) { this.id = id; this.sql = sql; this.connection = connection; }
        void close() { connection.closed(this); }
    }

    /** A pooled connection; the debugging aid keeps the creation trace of each open statement. */
    static final class DbConnection {
        final int number; final List<PrepareTrace> openTraces = new ArrayList<>(); long prepared;
        DbConnection(int number) { this.number = number; }
        Statement prepare(String sql, long at) {
            Statement s = new Statement(STATEMENT_IDS++, sql, this);
            openTraces.add(new PrepareTrace(s.id, sql, at, new Throwable()));
            prepared++;
            return s;
        }
        void closed(Statement s) {
            for (int k = openTraces.size() - 1; k >= 0; k--) if (openTraces.get(k).statementId() == s.id) { openTraces.remove(k); break; }
        }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CareHome> HOMES_BY_CODE = new HashMap<>();

    static final class CareService {
        final Map<String, Resident> residents = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final RoundEvent[] rounds = new RoundEvent[RING];
        long roundCount;
        final Outbox outbox = new Outbox();
        final Map<String, CarePlan> openPlans = new HashMap<>();
        long plansOpened, plansClosed;
        final List<DbConnection> connections = new ArrayList<>();
        final List<Statement> keepAlive = new ArrayList<>();
        int nextConnection;
        void write(String sql, long at) {
            DbConnection c = connections.get(nextConnection++ % connections.size());
            Statement s = c.prepare(sql, at);
            s.close();
        }
        void openPlan(CarePlan p, String[][] lineTerms) {
            p.lines = new Line[lineTerms.length];
            for (int n = 0; n < lineTerms.length; n++) { p.lines[n] = new Line(n + 1, lineTerms[n], p); CarePlanIndex.add(p.lines[n]); }
            openPlans.put(p.id, p);
            plansOpened++;
        }
        void closePlan(CarePlan p, long at) {
            openPlans.remove(p.id);
            p.closedAt = at;
            CarePlanIndex.remove(p);
            plansClosed++;
        }
    }

    static CareService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(89_050_001);
        String[] homeCodes = new String[HOMES];
        for (int h = 0; h < HOMES; h++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            homeCodes[h] = "CH-" + (1_000 + h);
            HOMES_BY_CODE.put(homeCodes[h], new CareHome(homeCodes[h], "Home " + h, occ));
        }
        CareService svc = new CareService();
        SERVICE = svc;
        String[] residentNos = new String[RESIDENTS];
        for (int r = 0; r < RESIDENTS; r++) {
            residentNos[r] = "RN" + (40_000_000 + r * 3);
            svc.residents.put(residentNos[r], new Resident(residentNos[r], homeCodes[rnd.nextInt(HOMES)], "Room " + (1 + rnd.nextInt(60)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            DbConnection dc = new DbConnection(c + 1);
            svc.connections.add(dc);
            svc.keepAlive.add(dc.prepare("SELECT 1", start)); // validation statement, open for the connection's life
        }
        String[] syl = {"ca", "re", "mo", "bi", "li", "ty", "nu", "tri", "on", "pa", "in", "sle", "ep", "hy", "dra", "fa"};
        Set<String> seen = new HashSet<>();
        String[] vocab = new String[VOCABULARY];
        for (int v = 0; v < VOCABULARY; ) {
            String w = syl[rnd.nextInt(syl.length)] + syl[rnd.nextInt(syl.length)] + syl[rnd.nextInt(syl.length)] + (rnd.nextBoolean() ? "" : syl[rnd.nextInt(syl.length)]);
            if (seen.add(w)) vocab[v++] = w;
        }
        String[] medications = {"paracetamol 500mg", "amlodipine 5mg", "metformin 500mg", "donepezil 10mg", "sertraline 50mg", "furosemide 40mg"};
        String[] topics = {"mar.given", "mar.refused", "stock.low"};
        String[] nurses = new String[80];
        for (int n = 0; n < nurses.length; n++) nurses[n] = "nurse" + (n + 1);

        Random traffic = new Random(89_050_002);
        PriorityQueue<CarePlan> closeQueue = new PriorityQueue<>((x, y) -> Long.compare(x.closesAt, y.closesAt));
        long nextPass = start + PASS_EVERY, nextPlan = start;
        int maxOpen = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextPass <= t) { svc.outbox.dispatch(nextPass); nextPass += PASS_EVERY; }
            while (!closeQueue.isEmpty() && closeQueue.peek().closesAt <= t) { CarePlan p = closeQueue.poll(); svc.closePlan(p, p.closesAt); }
            if (nextPlan <= t) { // a care plan opened for review every 2 minutes
                int nLines = 40 + traffic.nextInt(61);
                String[][] lineTerms = new String[nLines][];
                StringBuilder text = new StringBuilder(nLines * 48);
                for (int n = 0; n < nLines; n++) {
                    String[] terms = new String[3];
                    for (int k = 0; k < 3; k++) {
                        String w;
                        do { w = vocab[(int) (VOCABULARY * Math.pow(traffic.nextDouble(), 2))]; } while ((k > 0 && terms[0] == w) || (k > 1 && terms[1] == w));
                        terms[k] = w;
                        text.append(w).append(k < 2 ? " and " : ".\n");
                    }
                    lineTerms[n] = terms;
                }
                String resident = residentNos[traffic.nextInt(RESIDENTS)];
                CarePlan p = new CarePlan("CP-" + (9_000_000 + svc.plansOpened), resident, text.toString(), nextPlan);
                p.closesAt = nextPlan + (5 + traffic.nextInt(41)) * MINUTE;
                closeQueue.add(p);
                svc.openPlan(p, lineTerms);
                maxOpen = Math.max(maxOpen, svc.openPlans.size());
                nextPlan += 2 * MINUTE;
            }
            String resident = residentNos[traffic.nextInt(RESIDENTS)];
            boolean given = traffic.nextInt(20) != 0;
            svc.rounds[(int) (svc.roundCount++ % RING)] = new RoundEvent(resident, medications[traffic.nextInt(medications.length)], nurses[traffic.nextInt(nurses.length)], given, t);
            if (i % 3 == 0) {
                svc.write("INSERT INTO mar (resident_no, medication, given, at) VALUES (?, ?, ?, ?)", t);
                svc.outbox.append(new OutboxMessage(20_000_000L + i, topics[given ? 0 : 1], resident, t, new byte[60 + traffic.nextInt(80)]));
            }
            String key = "chart-" + traffic.nextInt(4_000);
            if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[600 + traffic.nextInt(600)], t));
        }
        closeQueue = null;
        long traces = 0, prepared = 0;
        for (DbConnection c : svc.connections) { traces += c.openTraces.size(); prepared += c.prepared; }
        long postings = 0;
        for (List<Line> l : CarePlanIndex.BY_TERM.values()) postings += l.size();
        long openLines = 0;
        for (CarePlan p : svc.openPlans.values()) openLines += p.lines.length;
        Outbox o = svc.outbox;
        System.out.println("stage " + stage + " homes " + HOMES_BY_CODE.size() + " residents " + svc.residents.size() + " rounds " + svc.roundCount + " charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") outbox " + o.messages.size()
                + " (appended " + o.appended + ", delivered " + o.delivered + ", passes " + o.passes + ", max " + o.maxSize + ") plans opened " + svc.plansOpened + " closed " + svc.plansClosed + " open " + svc.openPlans.size() + " (max " + maxOpen + ")"
                + " index terms " + CarePlanIndex.BY_TERM.size() + " postings " + postings + " lines " + (CarePlanIndex.indexed - CarePlanIndex.removed) + " statements prepared " + prepared + " traces " + traces);
        check(HOMES_BY_CODE.size() == HOMES && svc.residents.size() == RESIDENTS, "reference data / directory");
        check(svc.roundCount == events && svc.rounds[Math.min(events, RING) - 1] != null, "ring");
        check(o.passes == hours * 120L - 3 && o.messages.size() == o.appended - o.delivered && o.messages.size() < 100 && o.cursor == 0, "outbox compacted");
        check(svc.plansOpened == hours * 30L && svc.plansOpened == svc.plansClosed + svc.openPlans.size() && svc.openPlans.size() < 30 && CarePlanIndex.indexed - CarePlanIndex.removed == openLines, "index holds open plans only");
        check(traces == CONNECTIONS && prepared == CONNECTIONS + (events + 2) / 3, "traces of open statements only: " + traces);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
