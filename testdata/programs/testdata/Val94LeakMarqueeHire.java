// hprofscan-dump: name=val94-leak-marqueehire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val94-leak-marqueehire-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 94 (written blind), LEAK: the invoicing service of a marquee and event-tent hire
 * company. Marquee reference data, the customer directory, a cache of rendered site plans at its
 * cap, a pool of delivery-note print buffers, a ring of recent bookings, and the ledger export:
 * every invoice is exported to the accounting system by a task submitted to a single-thread
 * executor (a one-thread ThreadPoolExecutor with an unbounded LinkedBlockingQueue, as
 * Executors.newSingleThreadExecutor builds it). The consumer
 * thread "ledger-export" is alive and working, but the accounting API grants one call every 3 s
 * (1,200 per hour) while invoices arrive at 1,500 per hour: the backlog of export tasks, each
 * holding its invoice payload, grows by ~300 an hour for as long as the process runs. At the dump
 * the consumer is blocked in its current task, waiting for the next API call slot. See
 * VALIDATION94.md.
 */
public final class Val94LeakMarqueeHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, GRANT_EVERY = 3_000L;
    static final int MARQUEES = 1_000, CUSTOMERS = 22_000, PLAN_CAP = 2_000, POOL = 8, RING = 8_192, RECEIPTS = 1_024, INVOICES_PER_HOUR = 1_500, HOURS = 10,
            BULK = 50;
    static boolean FIXED;

    record Marquee(String code, String type, double[] windLoadTable) {}
    record Customer(String id, String name, byte[] accountRecord, long since) {}
    record SitePlan(String key, byte[] rendered, long at) {}
    record Booking(String customerId, String marqueeCode, long from, long until) {}
    /** The request as the invoicing screen hands it over: the invoice CSV the accounting API expects. */
    record ExportRequest(String invoiceNo, String customerId, long amountPence, long at, byte[] csv) {}
    record Receipt(String invoiceNo, long checksum, long at) {}

    /** Call slots of the accounting API: one every 3 s (its rate limit); unused slots carry over. */
    static final class ApiQuota {
        final Semaphore slots = new Semaphore(0);
        long granted;
        void grant() { granted++; slots.release(); }
        void acquire() throws InterruptedException { slots.acquire(); }
    }

    /** One export: posts one invoice to the accounting API. */
    static final class ExportTask implements Runnable {
        final ExportRequest request;
        final LedgerExporter exporter;
        ExportTask(ExportRequest request, LedgerExporter exporter) { this.request = request; this.exporter = exporter; }
        @Override public void run() {
            try {
                exporter.quota.acquire(); // waits for the next API call slot
                exporter.uploaded(List.of(request));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The fix: one long-running task ships everything pending (up to 50) per API call (the bulk endpoint). */
    static final class BulkFlusher implements Runnable {
        final LedgerExporter exporter;
        BulkFlusher(LedgerExporter exporter) { this.exporter = exporter; }
        @Override public void run() {
            List<ExportRequest> batch = new ArrayList<>(BULK);
            try {
                while (true) {
                    exporter.quota.acquire();
                    exporter.outbox.drainTo(batch, BULK);
                    exporter.uploaded(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class LedgerExporter {
        /** What Executors.newSingleThreadExecutor builds: one thread, an unbounded LinkedBlockingQueue. */
        final LinkedBlockingQueue<Runnable> workQueue = new LinkedBlockingQueue<>();
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, workQueue, r -> {
            Thread th = new Thread(r, "ledger-export");
            th.setDaemon(true);
            return th;
        });
        final ApiQuota quota = new ApiQuota();
        final LinkedBlockingQueue<ExportRequest> outbox = new LinkedBlockingQueue<>(); // used by the fix only
        final Receipt[] receipts = new Receipt[RECEIPTS];
        long submitted, exported, calls;

        void submit(ExportRequest r) {
            submitted++;
            if (FIXED) outbox.add(r);
            else executor.execute(new ExportTask(r, this));
        }

        /** Runs on the ledger-export thread. */
        synchronized void uploaded(List<ExportRequest> batch) {
            for (ExportRequest r : batch) {
                long sum = 17;
                for (byte b : r.csv()) sum = sum * 31 + b;
                receipts[(int) (exported++ % RECEIPTS)] = new Receipt(r.invoiceNo(), sum, r.at());
            }
            calls++;
            notifyAll();
        }

        synchronized void awaitCalls(long n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (calls < n) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new IllegalStateException("ledger-export did not make call " + n);
                wait(left);
            }
        }

        synchronized long exported() { return exported; }
        synchronized long calls() { return calls; }
        int backlog() { return workQueue.size(); }
    }

    static final class PlanCache extends LinkedHashMap<String, SitePlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SitePlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Marquee> MARQUEES_BY_CODE = new HashMap<>();

    static final class InvoicingService {
        final Map<String, Customer> customers = new HashMap<>();
        final PlanCache sitePlans = new PlanCache();
        final ArrayDeque<byte[]> noteBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        long bookings;
        final LedgerExporter ledger = new LedgerExporter();
    }

    static InvoicingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val94.fixed");
        int invoices = INVOICES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(94_020_001);
        String[] types = {"Clearspan 9m", "Clearspan 12m", "Traditional pole", "Chinese hat", "Stretch tent", "Frame 6m"};
        String[] marqueeCodes = new String[MARQUEES];
        for (int m = 0; m < MARQUEES; m++) {
            double[] table = new double[72];
            for (int k = 0; k < table.length; k++) table[k] = rnd.nextDouble() * 120;
            marqueeCodes[m] = "MQ-" + (2_000 + m);
            MARQUEES_BY_CODE.put(marqueeCodes[m], new Marquee(marqueeCodes[m], types[m % types.length], table));
        }
        InvoicingService svc = new InvoicingService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "MH" + (300_000 + c * 7);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.noteBuffers.add(new byte[32_768]);
        LedgerExporter ledger = svc.ledger;
        if (FIXED) ledger.executor.execute(new BulkFlusher(ledger));
        Random traffic = new Random(94_020_002);
        long nextGrant = start + GRANT_EVERY;
        for (int i = 0; i < invoices; i++) {
            long t = start + (end - MINUTE - start) * i / invoices;
            while (nextGrant <= t) {
                ledger.quota.grant();
                if (FIXED) ledger.awaitCalls(ledger.quota.granted);
                nextGrant += GRANT_EVERY;
            }
            String customer = customerIds[traffic.nextInt(CUSTOMERS)];
            String marquee = marqueeCodes[traffic.nextInt(MARQUEES)];
            long from = t + (long) (2 + traffic.nextInt(60)) * DAY;
            svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(customer, marquee, from, from + (long) (1 + traffic.nextInt(4)) * DAY);
            ledger.submit(new ExportRequest("INV-" + (5_100_000 + i), customer, 15_000 + traffic.nextInt(900_000), t, new byte[1_000 + traffic.nextInt(2_000)]));
            String key = "plan-" + traffic.nextInt(4_500);
            if (svc.sitePlans.get(key) == null) svc.sitePlans.put(key, new SitePlan(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.noteBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.noteBuffers.add(buf);
        }
        while (nextGrant <= end) {
            ledger.quota.grant();
            if (FIXED) ledger.awaitCalls(ledger.quota.granted);
            nextGrant += GRANT_EVERY;
        }
        long granted = ledger.quota.granted;
        // wait until the consumer has used every call slot and waits for the next one
        long deadline = System.currentTimeMillis() + 60_000;
        while (!(ledger.calls() == granted && ledger.quota.slots.hasQueuedThreads())) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("ledger-export did not settle: calls " + ledger.calls() + " of " + granted);
            Thread.sleep(5);
        }
        int backlog = ledger.backlog();
        System.out.println((FIXED ? "FIXED " : "") + "marquees " + MARQUEES_BY_CODE.size() + " customers " + svc.customers.size() + " invoices " + invoices + " submitted " + ledger.submitted
                + " API calls " + ledger.calls() + " (granted " + granted + ") exported " + ledger.exported() + " backlog " + backlog + " outbox " + ledger.outbox.size()
                + " site plans " + svc.sitePlans.size() + " (evicted " + svc.sitePlans.evicted + ") pool " + svc.noteBuffers.size() + " bookings " + svc.bookings);
        check(MARQUEES_BY_CODE.size() == MARQUEES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(granted == HOURS * HOUR / GRANT_EVERY && ledger.submitted == invoices, "traffic: granted " + granted);
        if (FIXED) check(backlog == 0 && ledger.exported() + ledger.outbox.size() == invoices && ledger.outbox.size() <= 2, "bulk export keeps up: outbox " + ledger.outbox.size());
        else check(ledger.exported() == granted && backlog == invoices - granted - 1, "backlog " + backlog);
        check(svc.sitePlans.size() == PLAN_CAP && svc.sitePlans.evicted > 0, "site-plan cache at cap");
        check(svc.noteBuffers.size() == POOL, "pool");
        check(svc.bookings == invoices && svc.recentBookings[RING - 1] != null, "booking ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
