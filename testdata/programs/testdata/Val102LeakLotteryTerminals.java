// hprofscan-dump: name=val102-leak-lotteryterminals jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val102-leak-lotteryterminals-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 102 (written blind), LEAK: the ticket-sale API of a national lottery's retail
 * terminals. Retailer reference data, the terminal directory, a cache of rendered draw-results
 * pages at its cap, a pool of ticket-signing buffers, a ring of recent sales, and a fixed set of 4
 * sales worker threads (a hand-rolled striped pool: each retailer's sales go to one worker). Every
 * sale records two regulatory audit events into a per-thread buffer
 * ({@code static ThreadLocal<List<AuditEvent>>}) that is bulk-inserted into the audit store only
 * when it holds {@code AUDIT_FLUSH_AT} = 50,000 events, a size no worker ever reaches: each
 * worker's list grows with every sale it handles. See VALIDATION102.md.
 */
public final class Val102LeakLotteryTerminals {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RETAILERS = 1_200, TERMINALS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 4, SALES_PER_HOUR = 3_000, HOURS = 10;
    /** Rows per bulk insert into the audit store. */
    static final int AUDIT_FLUSH_AT = 50_000;
    static boolean FIXED;

    record Retailer(String code, String town, double[] weeklySales) {}
    record Terminal(String terminalId, String retailerCode, String model, byte[] firmwareRecord, long installedAt) {}
    record ResultsPage(String key, byte[] rendered, long at) {}
    record Sale(String ticketId, String terminalId, String game, int stakeCents, long at) {}
    record AuditEvent(long seq, String type, String ticketId, String terminalId, long at, byte[] detail) {}

    /** A sale request as received from a terminal; main waits for the reply. */
    static final class SaleRequest {
        final long seq; final String terminalId, game; final int stakeCents; final long at; final int debitDetail, issueDetail;
        final CompletableFuture<Sale> reply = new CompletableFuture<>();
        SaleRequest(long seq, String terminalId, String game, int stakeCents, long at, int debitDetail, int issueDetail) {
            this.seq = seq; this.terminalId = terminalId; this.game = game; this.stakeCents = stakeCents; this.at = at; this.debitDetail = debitDetail; this.issueDetail = issueDetail;
        }
    }

    /** Regulatory audit trail: events are buffered per worker thread and bulk-inserted. */
    static final class AuditTrail {
        static final ThreadLocal<List<AuditEvent>> PENDING = ThreadLocal.withInitial(ArrayList::new);
        static void record(AuditEvent e) {
            List<AuditEvent> batch = PENDING.get();
            batch.add(e);
            if (batch.size() >= AUDIT_FLUSH_AT) flush(batch);
            // BUG: no other flush: at ~15,000 events per worker in 10 hours the threshold is never reached
        }
        static void flush(List<AuditEvent> batch) {
            SalesWorker w = (SalesWorker) Thread.currentThread();
            w.flushedEvents += batch.size(); // stands for the bulk insert into the audit store
            w.flushes++;
            batch.clear();
        }
        /** The fix: the buffer is flushed at the end of every request. */
        static void endOfRequest() { if (FIXED) flush(PENDING.get()); }
    }

    static final class SalesWorker extends Thread {
        final BlockingQueue<SaleRequest> inbox = new ArrayBlockingQueue<>(16);
        long handled, recordedEvents, flushedEvents, flushes;
        SalesWorker(int i) { super("sales-worker-" + i); setDaemon(true); }
        @Override public void run() {
            try {
                while (true) serveOne();
            } catch (InterruptedException e) {
                // service stop
            }
        }
        private void serveOne() throws InterruptedException {
            SaleRequest q = inbox.take();
            try {
                q.reply.complete(sell(q));
            } catch (RuntimeException e) {
                q.reply.completeExceptionally(e);
            }
        }
        private Sale sell(SaleRequest q) {
            Terminal t = SERVICE.terminals.get(q.terminalId);
            if (t == null) throw new IllegalArgumentException("unknown terminal " + q.terminalId);
            String ticketId = "TK-" + Long.toString(5_000_000_000L + q.seq, 36).toUpperCase();
            AuditTrail.record(new AuditEvent(2 * q.seq, "STAKE_DEBITED", ticketId, q.terminalId, q.at, new byte[q.debitDetail]));
            AuditTrail.record(new AuditEvent(2 * q.seq + 1, "TICKET_ISSUED", ticketId, q.terminalId, q.at + 40, new byte[q.issueDetail]));
            recordedEvents += 2;
            handled++;
            AuditTrail.endOfRequest();
            return new Sale(ticketId, q.terminalId, q.game, q.stakeCents, q.at);
        }
        long pendingEvents() { return recordedEvents - flushedEvents; }
    }

    static final class PageCache extends LinkedHashMap<String, ResultsPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultsPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Retailer> RETAILERS_BY_CODE = new HashMap<>();

    static final class SalesService {
        final Map<String, Terminal> terminals = new HashMap<>();
        final PageCache resultsPages = new PageCache();
        final ArrayDeque<byte[]> signingBuffers = new ArrayDeque<>();
        final Sale[] recentSales = new Sale[RING];
        final SalesWorker[] workers = new SalesWorker[WORKERS];
        long sales;

        int stripeOf(String terminalId) { return Math.floorMod(terminals.get(terminalId).retailerCode().hashCode(), WORKERS); }
    }

    static SalesService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Simulates the period's sales; every request is handed to its stripe's worker and answered before the next. */
    static void simulate(SalesService svc, String[] terminalIds, long start, long end) throws Exception {
        Random traffic = new Random(102_020_002);
        String[] games = {"Lotto", "EuroDraw", "Daily Pick 3", "Thunderball", "Scratch Gold"};
        int total = SALES_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            String terminal = terminalIds[traffic.nextInt(TERMINALS)];
            SaleRequest req = new SaleRequest(i, terminal, games[traffic.nextInt(games.length)], 100 * (1 + traffic.nextInt(20)), t, 40 + traffic.nextInt(40), 40 + traffic.nextInt(40));
            svc.workers[svc.stripeOf(terminal)].inbox.put(req);
            Sale sale = req.reply.get();
            svc.recentSales[(int) (svc.sales++ % RING)] = sale;
            String key = "results-" + traffic.nextInt(5_000);
            if (svc.resultsPages.get(key) == null) svc.resultsPages.put(key, new ResultsPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.signingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.signingBuffers.add(buf);
        }
    }

    /** Returns {pending audit events, sales handled, flushes} over all workers; appends name=sales/pending per worker. */
    static long[] workerTotals(SalesService svc, StringBuilder perWorker) {
        long pending = 0, handled = 0, flushes = 0;
        for (SalesWorker w : svc.workers) {
            perWorker.append(' ').append(w.getName()).append('=').append(w.handled).append('/').append(w.pendingEvents());
            pending += w.pendingEvents(); handled += w.handled; flushes += w.flushes;
        }
        return new long[] {pending, handled, flushes};
    }

    static boolean workersAliveBelowThreshold(SalesService svc) {
        for (SalesWorker w : svc.workers) if (!w.isAlive() || w.pendingEvents() >= AUDIT_FLUSH_AT) return false;
        return true;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val102.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(102_020_001);
        String[] retailerCodes = new String[RETAILERS];
        for (int r = 0; r < RETAILERS; r++) {
            double[] weekly = new double[64];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 5_000;
            retailerCodes[r] = "RT-" + (20_000 + r * 7);
            RETAILERS_BY_CODE.put(retailerCodes[r], new Retailer(retailerCodes[r], "Town " + (r % 320), weekly));
        }
        SalesService svc = new SalesService();
        SERVICE = svc;
        String[] terminalIds = new String[TERMINALS];
        String[] models = {"LT-200", "LT-300", "LT-300X", "Kiosk K9"};
        for (int t = 0; t < TERMINALS; t++) {
            terminalIds[t] = "TRM" + (700_000 + t);
            svc.terminals.put(terminalIds[t], new Terminal(terminalIds[t], retailerCodes[rnd.nextInt(RETAILERS)], models[t % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.signingBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new SalesWorker(w); svc.workers[w].start(); }
        simulate(svc, terminalIds, start, end);
        terminalIds = null;
        retailerCodes = null;
        StringBuilder perWorker = new StringBuilder();
        long[] totals = workerTotals(svc, perWorker);
        long pending = totals[0], handled = totals[1], flushes = totals[2];
        int total = SALES_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + "retailers " + RETAILERS_BY_CODE.size() + " terminals " + svc.terminals.size() + " sales " + svc.sales + " workers (sales/pending audit events)" + perWorker
                + " pending " + pending + " flushes " + flushes + " pages " + svc.resultsPages.size() + " (evicted " + svc.resultsPages.evicted + ") pool " + svc.signingBuffers.size());
        check(RETAILERS_BY_CODE.size() == RETAILERS && svc.terminals.size() == TERMINALS, "reference data / directory");
        check(svc.sales == total && handled == total, "sales");
        check(pending == (FIXED ? 0 : 2L * total) && flushes == (FIXED ? total : 0), "audit buffers: " + pending);
        check(workersAliveBelowThreshold(svc), "workers alive, every buffer below the flush threshold");
        check(svc.resultsPages.size() == PAGE_CAP && svc.resultsPages.evicted > 0, "results cache at cap");
        check(svc.signingBuffers.size() == POOL, "pool");
        check(svc.recentSales[RING - 1] != null, "ring wrapped");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
