// hprofscan-dump: name=val94-leak-fundadmin jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val94-leak-fundadmin-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 94 (written blind), LEAK: the investor-reporting service of a fund administrator.
 * Fund reference data, the investor directory, a cache of rendered factsheets at its cap, a pool of
 * PDF buffers, a ring of recent dealing orders, and scheduled NAV reports: every report subscription
 * ("send me the NAV report of fund X daily / weekly") gets its own java.util.Timer with a periodic
 * ReportTask that holds the subscription's report state (its parameters and the last rendered
 * report). Unsubscribing removes the subscription from the scheduler's map but never cancels its
 * Timer: the timer thread stays alive, waiting for the next run, and keeps the task and its state.
 * See VALIDATION94.md.
 */
public final class Val94LeakFundAdmin {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FUNDS = 1_100, INVESTORS = 22_000, FACTSHEET_CAP = 2_000, POOL = 8, RING = 8_192, ORDERS_PER_HOUR = 4_000, HOURS = 10,
            INITIAL_SUBSCRIPTIONS = 140, CHANGES = 720;
    static final String THREAD_PREFIX = "nav-report-";
    static boolean FIXED;
    static long SERVICE_START;

    record Fund(String code, String name, String currency, double[] navHistory) {}
    record Investor(String id, String name, byte[] kycRecord, long since) {}
    record Factsheet(String key, byte[] rendered, long at) {}
    record DealingOrder(String investorId, String fundCode, boolean subscription, long amountMinor, long at) {}

    /** What a report run needs and what it produced last time. */
    static final class ReportState {
        final String fundCode, reportType, recipient;
        final List<String> shareClasses;
        byte[] lastRendered;
        long lastRunAt;
        int runs;
        ReportState(String fundCode, String reportType, String recipient, List<String> shareClasses) { this.fundCode = fundCode; this.reportType = reportType; this.recipient = recipient; this.shareClasses = shareClasses; }
    }

    static final class ReportTask extends TimerTask {
        final String subscriptionId;
        final ReportState state;
        ReportTask(String subscriptionId, ReportState state) { this.subscriptionId = subscriptionId; this.state = state; }
        @Override public void run() { // renders and mails the report (not reached during the simulated period)
            state.lastRunAt = System.currentTimeMillis();
            state.runs++;
        }
    }

    static final class Subscription {
        final String id, investorId;
        final long createdAt, periodMs, firstRunAt;
        final Timer timer;
        final ReportTask task;
        Subscription(String id, String investorId, long createdAt, long periodMs, long firstRunAt, Timer timer, ReportTask task) {
            this.id = id; this.investorId = investorId; this.createdAt = createdAt; this.periodMs = periodMs; this.firstRunAt = firstRunAt; this.timer = timer; this.task = task;
        }
    }

    static final class ReportScheduler {
        final Map<String, Subscription> subscriptions = new HashMap<>();
        long created, unsubscribed, unsubscribedAtStartup, timersCancelled;
        void subscribe(String id, String investorId, ReportState state, long createdAt, long periodMs, long firstRunAt) {
            Timer timer = new Timer(THREAD_PREFIX + id, true);
            ReportTask task = new ReportTask(id, state);
            timer.scheduleAtFixedRate(task, new Date(firstRunAt), periodMs);
            subscriptions.put(id, new Subscription(id, investorId, createdAt, periodMs, firstRunAt, timer, task));
            created++;
        }
        void unsubscribe(String id) {
            Subscription s = subscriptions.remove(id);
            unsubscribed++;
            if (s.createdAt < SERVICE_START) unsubscribedAtStartup++;
            if (FIXED) { s.timer.cancel(); timersCancelled++; }
            // BUG: the Timer is never cancelled; its thread keeps waiting for the next run
        }
    }

    static final class FactsheetCache extends LinkedHashMap<String, Factsheet> {
        long evicted;
        FactsheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Factsheet> e) { if (size() > FACTSHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fund> FUNDS_BY_CODE = new HashMap<>();

    static final class ReportingService {
        final Map<String, Investor> investors = new HashMap<>();
        final FactsheetCache factsheets = new FactsheetCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final DealingOrder[] recentOrders = new DealingOrder[RING];
        long orders;
        final ReportScheduler scheduler = new ReportScheduler();
    }

    static ReportingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int liveReportThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith(THREAD_PREFIX) && t.isAlive()) n++;
        return n;
    }

    static ReportState newState(Random r, String fundCode, String investorId) {
        List<String> classes = new ArrayList<>();
        for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) classes.add(fundCode + "-" + (char) ('A' + k) + (r.nextBoolean() ? "-ACC" : "-INC"));
        ReportState s = new ReportState(fundCode, r.nextInt(3) == 0 ? "WEEKLY_NAV" : "DAILY_NAV", investorId + "@investors.example", classes);
        s.lastRendered = new byte[4_096 + r.nextInt(8_192)]; // preview rendered when the subscription is set up
        return s;
    }

    /** Change number k at time 'at': even k an investor subscribes in the portal, odd k one unsubscribes (or redeems out of the fund). */
    static void applyChange(int k, long at, long end, ReportScheduler sched, Random subs, List<String> active, String[] investorIds, String[] fundCodes) {
        if (k % 2 == 0) {
            String id = "SUB-" + (60_000 + sched.created);
            String investor = investorIds[subs.nextInt(INVESTORS)];
            ReportState st = newState(subs, fundCodes[subs.nextInt(FUNDS)], investor);
            long period = st.reportType.equals("WEEKLY_NAV") ? 7 * DAY : DAY;
            sched.subscribe(id, investor, st, at, period, end + HOUR + subs.nextInt(6 * 24) * HOUR);
            active.add(id);
        } else {
            sched.unsubscribe(active.remove(subs.nextInt(active.size())));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val94.fixed");
        int orders = ORDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        SERVICE_START = start;
        Random rnd = new Random(94_030_001);
        String[] fundCodes = new String[FUNDS];
        String[] ccy = {"GBP", "EUR", "USD", "CHF"};
        for (int f = 0; f < FUNDS; f++) {
            double[] nav = new double[64];
            for (int k = 0; k < nav.length; k++) nav[k] = 90 + rnd.nextDouble() * 30;
            fundCodes[f] = "FD" + (10_000 + f);
            FUNDS_BY_CODE.put(fundCodes[f], new Fund(fundCodes[f], "Fund " + f, ccy[f % ccy.length], nav));
        }
        ReportingService svc = new ReportingService();
        SERVICE = svc;
        String[] investorIds = new String[INVESTORS];
        for (int i = 0; i < INVESTORS; i++) {
            investorIds[i] = "INV" + (800_000 + i * 3);
            svc.investors.put(investorIds[i], new Investor(investorIds[i], "Investor " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random subs = new Random(94_030_003);
        ReportScheduler sched = svc.scheduler;
        List<String> active = new ArrayList<>();
        for (int k = 0; k < INITIAL_SUBSCRIPTIONS; k++) { // subscriptions set up before this process started (loaded at startup)
            String id = "SUB-" + (60_000 + sched.created);
            String investor = investorIds[subs.nextInt(INVESTORS)];
            ReportState st = newState(subs, fundCodes[subs.nextInt(FUNDS)], investor);
            long period = st.reportType.equals("WEEKLY_NAV") ? 7 * DAY : DAY;
            sched.subscribe(id, investor, st, start - (long) (1 + subs.nextInt(400)) * DAY, period, end + HOUR + subs.nextInt(6 * 24) * HOUR);
            active.add(id);
        }
        Random traffic = new Random(94_030_002);
        long changeEvery = HOURS * HOUR / CHANGES;
        long nextChange = start + changeEvery / 2;
        int changes = 0;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            while (nextChange <= t && changes < CHANGES) {
                applyChange(changes++, nextChange, end, sched, subs, active, investorIds, fundCodes);
                nextChange += changeEvery;
            }
            String fund = fundCodes[traffic.nextInt(FUNDS)];
            svc.recentOrders[(int) (svc.orders++ % RING)] = new DealingOrder(investorIds[traffic.nextInt(INVESTORS)], fund, traffic.nextInt(3) != 0, 100_000 + traffic.nextInt(5_000_000), t);
            String key = fund + "/" + ccy[traffic.nextInt(ccy.length)];
            if (svc.factsheets.get(key) == null) svc.factsheets.put(key, new Factsheet(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        while (nextChange <= end && changes < CHANGES) {
            applyChange(changes++, nextChange, end, sched, subs, active, investorIds, fundCodes);
            nextChange += changeEvery;
        }
        int expectedThreads = FIXED ? INITIAL_SUBSCRIPTIONS : INITIAL_SUBSCRIPTIONS + CHANGES / 2;
        long deadline = System.currentTimeMillis() + 60_000;
        int threads;
        while ((threads = liveReportThreads()) != expectedThreads) { // cancelled timers' threads end asynchronously
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("report threads: " + threads);
            Thread.sleep(10);
        }
        System.out.println((FIXED ? "FIXED " : "") + "funds " + FUNDS_BY_CODE.size() + " investors " + svc.investors.size() + " subscriptions " + sched.subscriptions.size()
                + " (created " + sched.created + ", unsubscribed " + sched.unsubscribed + " (" + sched.unsubscribedAtStartup + " of them loaded at startup), timers cancelled " + sched.timersCancelled + ") live " + THREAD_PREFIX + "* threads " + threads
                + " factsheets " + svc.factsheets.size() + " (evicted " + svc.factsheets.evicted + ") pool " + svc.pdfBuffers.size() + " orders " + svc.orders);
        check(FUNDS_BY_CODE.size() == FUNDS && svc.investors.size() == INVESTORS, "reference data / directory");
        check(changes == CHANGES && sched.created == INITIAL_SUBSCRIPTIONS + CHANGES / 2 && sched.unsubscribed == CHANGES / 2 && sched.subscriptions.size() == INITIAL_SUBSCRIPTIONS, "subscriptions");
        check(threads == expectedThreads, "timer threads " + threads);
        check(svc.factsheets.size() == FACTSHEET_CAP && svc.factsheets.evicted > 0, "factsheet cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.orders == orders && svc.recentOrders[RING - 1] != null, "order ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
