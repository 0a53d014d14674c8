// hprofscan-dump: name=val58-leak-carpenters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val58-leak-carpenters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 58 (written blind), LEAK: the quoting service of a bespoke joinery / carpentry
 * workshop. Timber reference data, the customer directory, a cache of rendered cut lists at its cap,
 * a pool of plotter buffers, a ring of recent quotes, per-worker scratch buffers (ThreadLocal), and
 * a worker pool (a ThreadPoolExecutor subclass) that prices each quote request. Its afterExecute
 * hook keeps every finished task's context (the request with its drawing, the timings and a result
 * summary) in a list "for diagnostics" that nothing trims. See VALIDATION58.md.
 */
public final class Val58LeakCarpenters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TIMBERS = 1_000, CUSTOMERS = 24_000, CUTLIST_CAP = 2_000, POOL = 8, RING = 4_096, WORKERS = 4, HOURS = 10, QUOTES_PER_HOUR = 3_000, DIAG_KEEP = 500;
    static boolean FIXED;

    record Timber(String code, String species, double[] priceHistory) {}
    record Customer(String accountNo, String name, byte[] addressBook, long since) {}
    record CutList(String key, byte[] rendered, long at) {}
    record QuoteLog(String quoteId, String customerNo, long at) {}
    record QuoteRequest(String quoteId, String customerNo, String timberCode, int parts, byte[] drawing, long receivedAt) {}

    /** What a finished task leaves for the diagnostics page. */
    static final class TaskContext {
        final QuoteRequest request; final long queuedAt, startedAt, finishedAt; String resultSummary;
        TaskContext(QuoteRequest request, long queuedAt, long startedAt, long finishedAt) { this.request = request; this.queuedAt = queuedAt; this.startedAt = startedAt; this.finishedAt = finishedAt; }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class PriceQuoteTask implements Runnable {
        final TaskContext context;
        PriceQuoteTask(TaskContext context) { this.context = context; }
        @Override public void run() {
            QuoteRequest q = context.request;
            byte[] scratch = SCRATCH.get();
            long sum = 0;
            for (int k = 0; k < q.drawing().length; k++) { scratch[k] = q.drawing()[k]; sum += k; }
            long cents = q.parts() * 2_350L + sum % 10_000;
            context.resultSummary = "quote " + q.quoteId() + ": " + q.parts() + " parts in " + q.timberCode() + ", " + cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100 + " GBP";
        }
    }

    /** The worker pool; afterExecute keeps the context of every finished task. */
    static final class QuotePool extends ThreadPoolExecutor {
        final List<TaskContext> diagnostics = new ArrayList<>();           // the bug: grows forever
        final ArrayDeque<TaskContext> recentDiagnostics = new ArrayDeque<>(); // the fix: last DIAG_KEEP
        long finished;
        QuotePool() {
            super(WORKERS, WORKERS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new ThreadFactory() {
                final AtomicInteger n = new AtomicInteger();
                @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, "quote-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; }
            });
        }
        @Override protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            TaskContext c = ((PriceQuoteTask) r).context;
            synchronized (this) {
                finished++;
                if (FIXED) { recentDiagnostics.addLast(c); if (recentDiagnostics.size() > DIAG_KEEP) recentDiagnostics.removeFirst(); }
                else diagnostics.add(c); // "for diagnostics"; nothing ever trims it
            }
        }
    }

    static final class CutListCache extends LinkedHashMap<String, CutList> {
        long evicted;
        CutListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CutList> e) { if (size() > CUTLIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Timber> TIMBERS_BY_CODE = new HashMap<>();

    static final class QuotingService {
        final Map<String, Customer> customers = new HashMap<>();
        final CutListCache cutLists = new CutListCache();
        final ArrayDeque<byte[]> plotterBuffers = new ArrayDeque<>();
        final QuoteLog[] recentQuotes = new QuoteLog[RING];
        long quotes;
        final QuotePool pool = new QuotePool();
    }

    static QuotingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val58.fixed");
        int quotes = QUOTES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(58_030_001);
        String[] timberCodes = new String[TIMBERS];
        String[] species = {"Oak", "Ash", "Walnut", "Cherry", "Maple", "Douglas fir", "Sapele", "Iroko"};
        for (int b = 0; b < TIMBERS; b++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 400 + rnd.nextDouble() * 1_600;
            timberCodes[b] = "TMB-" + (2_000 + b);
            TIMBERS_BY_CODE.put(timberCodes[b], new Timber(timberCodes[b], species[b % species.length], prices));
        }
        QuotingService svc = new QuotingService();
        SERVICE = svc;
        String[] accounts = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            accounts[c] = "JC" + (400_000 + c * 7);
            svc.customers.put(accounts[c], new Customer(accounts[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.plotterBuffers.add(new byte[32_768]);
        Random traffic = new Random(58_030_002);
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            String quoteId = "Q" + (7_700_000 + i);
            String customer = accounts[traffic.nextInt(CUSTOMERS)];
            QuoteRequest q = new QuoteRequest(quoteId, customer, timberCodes[traffic.nextInt(TIMBERS)], 2 + traffic.nextInt(40), new byte[200 + traffic.nextInt(200)], t);
            long startedAt = t + 5 + traffic.nextInt(800);
            svc.pool.execute(new PriceQuoteTask(new TaskContext(q, t, startedAt, startedAt + 20 + traffic.nextInt(2_000))));
            svc.recentQuotes[(int) (svc.quotes++ % RING)] = new QuoteLog(quoteId, customer, t);
            String key = "cut-" + traffic.nextInt(5_000);
            if (svc.cutLists.get(key) == null) svc.cutLists.put(key, new CutList(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.plotterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.plotterBuffers.add(buf);
            if (i % 2_000 == 1_999) while (svc.pool.getCompletedTaskCount() < i + 1 - 200) Thread.sleep(2);
        }
        while (svc.pool.getCompletedTaskCount() < quotes) Thread.sleep(5);
        QuotePool p = svc.pool;
        int kept = FIXED ? p.recentDiagnostics.size() : p.diagnostics.size();
        System.out.println((FIXED ? "FIXED " : "") + "timbers " + TIMBERS_BY_CODE.size() + " customers " + svc.customers.size() + " quotes " + svc.quotes + " finished " + p.finished
                + " diagnostics kept " + kept + " workers " + p.getPoolSize() + " cutLists " + svc.cutLists.size() + " (evicted " + svc.cutLists.evicted + ") pool " + svc.plotterBuffers.size());
        check(TIMBERS_BY_CODE.size() == TIMBERS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(p.finished == quotes && p.getCompletedTaskCount() == quotes && p.getPoolSize() == WORKERS && p.getQueue().isEmpty(), "pool traffic");
        if (FIXED) check(kept == DIAG_KEEP && p.diagnostics.isEmpty(), "bounded diagnostics");
        else check(kept == quotes && p.recentDiagnostics.isEmpty(), "diagnostics keep every task: " + kept);
        for (TaskContext c : FIXED ? p.recentDiagnostics : p.diagnostics) check(c.resultSummary != null, "finished context");
        check(svc.cutLists.size() == CUTLIST_CAP && svc.cutLists.evicted > 0, "cut-list cache at cap");
        check(svc.plotterBuffers.size() == POOL, "pool");
        check(svc.recentQuotes[RING - 1] != null, "quote ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
