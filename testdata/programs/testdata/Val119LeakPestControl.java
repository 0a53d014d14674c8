// hprofscan-dump: name=val119-leak-pestcontrol jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val119-leak-pestcontrol-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 119 (written blind), LEAK: the dispatch service of a commercial pest-control
 * contractor (call-outs to restaurants, warehouses and schools). Site reference data, the contract
 * directory, a cache of rendered inspection reports at its cap, a pool of photo buffers, a ring of
 * the visit log, an invoice queue with its normal backlog, the technicians' schedule of open
 * visits, and the board of open visits: a HashSet&lt;Visit&gt; whose equals/hashCode cover the
 * visit's status. When a technician completes a visit the status is set to COMPLETED first and
 * the visit removed from the board second: the remove looks in the wrong bucket and never finds
 * it, so every completed visit stays on the board. See VALIDATION119.md.
 */
public final class Val119LeakPestControl {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int SITES = 1_000, CONTRACTS = 20_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, TECHNICIANS = 240,
            HOURS = 10, VISITS_PER_HOUR = 3_600;
    static boolean FIXED;

    static final String[] PESTS = {"brown rat", "house mouse", "german cockroach", "oriental cockroach", "wasp nest",
            "bed bug", "feral pigeon", "stored product moth", "cat flea", "pharaoh ant"};
    static final String[] TREATMENTS = {"tamper-resistant bait boxes replenished", "snap traps set along skirting",
            "gel bait applied to harbourages", "nest treated with permethrin dust", "residual spray to bed frames and skirting",
            "bird spikes and netting inspected", "pheromone monitors replaced", "crack-and-crevice treatment",
            "proofing: door brush strip fitted", "insect light trap tubes changed"};
    static final String[] ACTIVITY = {"no activity", "low activity", "moderate activity", "heavy activity"};
    static final String[] PLANS = {"bronze-8", "silver-12", "gold-24", "food-safety-52"};

    record Site(String code, String name, String postcode, double[] baitTakeByMonth) {}
    record Contract(String contractNo, String siteCode, String plan, byte[] terms, long startedAt) {}
    record InspectionReport(String key, byte[] rendered, long at) {}
    record VisitLog(String visitId, String technicianId, String event, long at) {}
    record Invoice(String invoiceNo, String contractNo, int amountPence, long raisedAt) {}

    /**
     * A booked call-out. Two Visit objects are "the same" when id, site and status agree (the
     * board was meant to show a visit once per state).
     */
    static final class Visit {
        final String visitId;
        final String contractNo;
        final String siteCode;
        final String technicianId;
        final String pest;
        final long bookedAt;
        final long dueAt;
        String status = "BOOKED";
        String findings;
        long completedAt;

        Visit(String visitId, String contractNo, String siteCode, String technicianId, String pest, long bookedAt, long dueAt) {
            this.visitId = visitId; this.contractNo = contractNo; this.siteCode = siteCode; this.technicianId = technicianId;
            this.pest = pest; this.bookedAt = bookedAt; this.dueAt = dueAt;
        }

        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Visit)) return false;
            Visit v = (Visit) o;
            return visitId.equals(v.visitId) && siteCode.equals(v.siteCode) && status.equals(v.status);
        }

        @Override public int hashCode() { return Objects.hash(visitId, siteCode, status); }
    }

    /** The board of open call-outs shown to the dispatchers, and the technicians' schedule. */
    static final class VisitBoard {
        final Set<Visit> open = new HashSet<>();
        final PriorityQueue<Visit> schedule = new PriorityQueue<>(
                Comparator.comparingLong((Visit v) -> v.dueAt).thenComparing(v -> v.visitId));
        long booked, completed, removedFromBoard;

        void book(Visit v) {
            open.add(v);
            schedule.add(v);
            booked++;
        }

        Visit nextDue(long t) {
            Visit v = schedule.peek();
            return v != null && v.dueAt <= t ? schedule.poll() : null;
        }

        void complete(Visit v, String findings, long t) {
            if (FIXED && open.remove(v)) removedFromBoard++;
            v.status = "COMPLETED";
            v.findings = findings;
            v.completedAt = t;
            if (!FIXED && open.remove(v)) removedFromBoard++; // looks in the bucket of the new status
            completed++;
        }
    }

    static final class ReportCache extends LinkedHashMap<String, InspectionReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, InspectionReport> e) {
            if (size() > REPORT_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Contract> contracts = new HashMap<>();
        final String[] contractNos = new String[CONTRACTS];
        final String[] technicians = new String[TECHNICIANS];
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final VisitLog[] visitLog = new VisitLog[RING];
        final ArrayDeque<Invoice> invoiceQueue = new ArrayDeque<>();
        final VisitBoard board = new VisitBoard();
        long logged, invoicesRaised, invoicesSent, photos, nextVisit = 4_100_000;

        void log(String visitId, String technicianId, String event, long t) {
            visitLog[(int) (logged++ % RING)] = new VisitLog(visitId, technicianId, event, t);
        }

        void book(Random r, long t) {
            Contract c = contracts.get(contractNos[r.nextInt(CONTRACTS)]);
            String visitId = "PV-" + nextVisit++;
            String tech = technicians[r.nextInt(TECHNICIANS)];
            Visit v = new Visit(visitId, c.contractNo(), c.siteCode(), tech, PESTS[r.nextInt(PESTS.length)], t, t + (20 + r.nextInt(100)) * MINUTE);
            board.book(v);
            log(visitId, tech, "booked", t);
        }

        void complete(Visit v, Random r, long t) {
            int stations = 4 + r.nextInt(30);
            String findings = v.pest + ": " + TREATMENTS[r.nextInt(TREATMENTS.length)] + "; " + stations + " stations checked, "
                    + ACTIVITY[r.nextInt(ACTIVITY.length)] + " at station " + (1 + r.nextInt(stations)) + ". Next visit in "
                    + (7 + r.nextInt(50)) + " days, advise client to keep bin store doors closed.";
            board.complete(v, findings, t);
            log(v.visitId, v.technicianId, "completed", t);
            byte[] buf = photoBuffers.poll();
            buf[(int) (photos++ % buf.length)] = (byte) stations;
            photoBuffers.add(buf);
            String key = "report-" + v.siteCode + "-" + r.nextInt(5);
            if (reports.get(key) == null) reports.put(key, new InspectionReport(key, new byte[400 + r.nextInt(400)], t));
            invoiceQueue.add(new Invoice("INV-" + (9_000_000 + invoicesRaised++), v.contractNo, 4_500 + r.nextInt(20_000), t));
        }

        /** The invoicing run: sends every invoice raised more than five minutes ago. */
        void sendInvoices(long t) {
            while (!invoiceQueue.isEmpty() && invoiceQueue.peek().raisedAt() <= t - 5 * MINUTE) {
                invoiceQueue.poll();
                invoicesSent++;
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(119_010_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] take = new double[60];
            for (int k = 0; k < take.length; k++) take[k] = rnd.nextDouble() * 100;
            siteCodes[s] = "SITE-" + (30_000 + s * 7);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], "Premises " + s, "M" + (1 + s % 40) + " " + (s % 9) + "QX", take));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int i = 0; i < CONTRACTS; i++) {
            svc.contractNos[i] = "PC-" + (500_000 + i * 3);
            svc.contracts.put(svc.contractNos[i], new Contract(svc.contractNos[i], siteCodes[rnd.nextInt(SITES)], PLANS[rnd.nextInt(PLANS.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int k = 0; k < TECHNICIANS; k++) svc.technicians[k] = "TECH-" + (100 + k);
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        Random traffic = new Random(119_010_002), work = new Random(119_010_003);
        int visits = VISITS_PER_HOUR * HOURS;
        long nextInvoiceRun = start + 10 * MINUTE;
        for (int i = 0; i < visits; i++) {
            long t = start + (end - MINUTE - start) * i / visits;
            for (Visit v; (v = svc.board.nextDue(t)) != null; ) svc.complete(v, work, v.dueAt);
            while (nextInvoiceRun <= t) { svc.sendInvoices(nextInvoiceRun); nextInvoiceRun += 10 * MINUTE; }
            svc.book(traffic, t);
        }
    }

    static String verify() {
        DispatchService svc = SERVICE;
        VisitBoard b = svc.board;
        int visits = VISITS_PER_HOUR * HOURS;
        String summary = (FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " contracts " + svc.contracts.size() + " visits booked " + b.booked
                + " completed " + b.completed + " scheduled " + b.schedule.size() + " on board " + b.open.size() + " (removed " + b.removedFromBoard
                + ") reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.photoBuffers.size() + " log " + svc.logged
                + " invoices " + svc.invoicesRaised + " sent " + svc.invoicesSent + " queued " + svc.invoiceQueue.size();
        check(SITES_BY_CODE.size() == SITES && svc.contracts.size() == CONTRACTS, "reference data / directory");
        check(b.booked == visits && b.completed + b.schedule.size() == visits, "visits");
        if (FIXED) check(b.open.size() == b.schedule.size() && b.removedFromBoard == b.completed, "board = open visits");
        else check(b.open.size() == visits && b.removedFromBoard == 0, "board keeps every visit: " + b.open.size());
        check(b.completed == 31_881 && b.schedule.size() == 4_119, "completed / open: " + b.completed + " / " + b.schedule.size());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.photoBuffers.size() == POOL && svc.logged == visits + b.completed && svc.visitLog[RING - 1] != null, "pool / ring");
        check(svc.invoicesRaised == b.completed && svc.invoicesSent + svc.invoiceQueue.size() == svc.invoicesRaised && svc.invoiceQueue.size() < 1_000, "invoices");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val119.fixed");
        simulate();
        System.out.println(verify());
        LeakCheck.histogram("java.util.HashMap$Node ", "[Ljava.util.HashMap$Node;", "[B ", "java.lang.String ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
