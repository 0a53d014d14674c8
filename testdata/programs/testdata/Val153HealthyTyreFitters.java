// hprofscan-dump: name=val153-healthy-tyrefitters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val153-healthy-tyrefitters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val153-healthy-tyrefitters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val153-healthy-tyrefitters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 153 (written blind), HEALTHY: the dispatch service of a mobile tyre-fitting
 * company (vans that fit tyres at the customer's kerb). Depot reference data, the customer
 * directory, a time-to-live cache of tyre-price quotes stamped with nanoTime() and swept against
 * nanoTime() (it works: 20 minutes of quotes), an outbox of wholesaler orders whose retries carry
 * the original message id (acknowledgements remove them), a static registry of active fitting
 * jobs that each job leaves in a finally block (also when the van aborts the job), a ring of van
 * GPS pings (filling in stage 1, wrapping later) and a pool of invoice-printer buffers. Warms up,
 * then plateaus. See VALIDATION153.md.
 */
public final class Val153HealthyTyreFitters {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, QUOTE_TTL_NANOS = 20 * MINUTE * 1_000_000L, ACK_TIMEOUT = 30 * SECOND;
    static final int DEPOTS = 1_200, CUSTOMERS = 25_000, POOL = 8, PING_RING = 8_192, REQUESTS_PER_HOUR = 3_000, JOBS_PER_HOUR = 240, ORDERS_PER_HOUR = 600;
    /** The host's monotonic clock at the start of the simulated period: up 11 days. */
    static final long NANO_ORIGIN = 11 * 24 * HOUR * 1_000_000L;

    record Depot(String code, String region, double[] weeklyStock) {}
    record Customer(String id, String postcode, String vehicleReg, byte[] serviceHistory, long since) {}
    record VanPing(String van, double lat, double lon, long at) {}
    static final class Quote {
        final String key; final byte[] priceSheet; final long storedAtNanos;
        Quote(String key, byte[] priceSheet, long storedAtNanos) { this.key = key; this.priceSheet = priceSheet; this.storedAtNanos = storedAtNanos; }
    }

    static final class Clock {
        final long startMs; long nowMs;
        Clock(long startMs) { this.startMs = startMs; this.nowMs = startMs; }
        long nanoTime() { return NANO_ORIGIN + (nowMs - startMs) * 1_000_000L; }
    }

    /** Hand-written TTL cache: stamped with nanoTime, compared against nanoTime. */
    static final class QuoteCache {
        final Map<String, Quote> entries = new HashMap<>();
        final Clock clock;
        long hits, loads, sweeps, expired;
        QuoteCache(Clock clock) { this.clock = clock; }
        boolean isExpired(Quote q) { return clock.nanoTime() - q.storedAtNanos > QUOTE_TTL_NANOS; }
        Quote get(String key, Random r) {
            Quote q = entries.get(key);
            if (q != null && !isExpired(q)) { hits++; return q; }
            loads++;
            q = new Quote(key, new byte[300 + r.nextInt(300)], clock.nanoTime());
            entries.put(key, q);
            return q;
        }
        void sweep() {
            sweeps++;
            for (Iterator<Quote> it = entries.values().iterator(); it.hasNext(); ) if (isExpired(it.next())) { it.remove(); expired++; }
        }
    }

    static final class PendingOrder {
        final long messageId; int attempts = 1; final String depotCode; final long firstSentAt; long lastSentAt; final byte[] payload;
        PendingOrder(long messageId, String depotCode, long at, byte[] payload) { this.messageId = messageId; this.depotCode = depotCode; this.firstSentAt = at; this.lastSentAt = at; this.payload = payload; }
    }

    /** Outbox of stock orders to the wholesaler; a retry keeps the original id as correlation id. */
    static final class WholesalerOutbox {
        final Map<Long, PendingOrder> pending = new HashMap<>();
        long sent, retries, acks, unmatched;
        void send(PendingOrder o) { pending.put(o.messageId, o); sent++; }
        long retry(PendingOrder o, long at) { o.attempts++; o.lastSentAt = at; retries++; return o.messageId; }
        void onAck(long correlationId) { acks++; if (pending.remove(correlationId) == null) unmatched++; }
    }

    static final class FittingJob {
        /** Active jobs for the metrics endpoint: a job registers when created and leaves in finally. */
        static final Set<FittingJob> ACTIVE = ConcurrentHashMap.newKeySet();
        final String jobId, customerId, van; final long startedAt; final byte[] checklist;
        FittingJob(String jobId, String customerId, String van, long startedAt, byte[] checklist) {
            this.jobId = jobId; this.customerId = customerId; this.van = van; this.startedAt = startedAt; this.checklist = checklist;
            ACTIVE.add(this);
        }
        void close() { ACTIVE.remove(this); }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Clock clock;
        final Map<String, Customer> customers = new HashMap<>();
        final QuoteCache quotes;
        final WholesalerOutbox outbox = new WholesalerOutbox();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final VanPing[] pings = new VanPing[PING_RING];
        long pingsWritten, jobsDone, jobsAborted;
        DispatchService(Clock clock) { this.clock = clock; this.quotes = new QuoteCache(clock); }
        /** The end of a job, normal or aborted (van breakdown, customer absent): always leaves ACTIVE. */
        void endJob(FittingJob job, boolean aborted) {
            try {
                if (aborted) { jobsAborted++; throw new IllegalStateException("job " + job.jobId + " aborted"); }
                jobsDone++;
            } catch (IllegalStateException e) {
                // logged and reported to the van's driver
            } finally {
                job.close();
            }
        }
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static DispatchService run(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(153_050_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] stock = new double[64];
            for (int k = 0; k < stock.length; k++) stock[k] = rnd.nextDouble() * 500;
            depotCodes[d] = "DEP-" + (1_000 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Region " + (d % 40), stock));
        }
        DispatchService svc = new DispatchService(new Clock(start));
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CUS" + (8_000_000 + c * 3);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "PC" + rnd.nextInt(9_000), "REG" + (100_000 + rnd.nextInt(800_000)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(153_050_002), jobs = new Random(153_050_003), orders = new Random(153_050_004);
        // merge three streams by time: quote requests (with van pings), fitting jobs, wholesaler orders
        int requests = REQUESTS_PER_HOUR * hours, nJobs = JOBS_PER_HOUR * hours, nOrders = ORDERS_PER_HOUR * hours;
        java.util.PriorityQueue<Object[]> jobEnds = new java.util.PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        int j = 0, o = 0, inFlight = 0;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            while (nextSweep <= t) { svc.clock.nowMs = nextSweep; svc.quotes.sweep(); nextSweep += MINUTE; }
            svc.clock.nowMs = t;
            while (!jobEnds.isEmpty() && (Long) jobEnds.peek()[0] <= t) { Object[] e = jobEnds.poll(); svc.endJob((FittingJob) e[1], (Boolean) e[2]); }
            while (j < nJobs && start + (end - start) * j / nJobs <= t) {
                long jt = start + (end - start) * j / nJobs;
                FittingJob job = new FittingJob("JOB-" + (40_000_000 + j), customerIds[jobs.nextInt(CUSTOMERS)], "VAN-" + jobs.nextInt(120), jt, new byte[1_000 + jobs.nextInt(1_000)]);
                jobEnds.add(new Object[] {jt + (20 + jobs.nextInt(70)) * MINUTE, job, jobs.nextInt(100) < 5});
                j++;
            }
            while (o < nOrders && start + (end - start) * o / nOrders <= t) {
                long ot = start + (end - start) * o / nOrders;
                PendingOrder po = new PendingOrder(70_000_000L + o, depotCodes[orders.nextInt(DEPOTS)], ot, new byte[600 + orders.nextInt(600)]);
                svc.outbox.send(po);
                long ackAt = ot + 200 + orders.nextInt(2_800), correlation = po.messageId;
                if (orders.nextInt(100) < 4) { // no answer in 30 s: retried, same correlation id
                    long retryAt = ot + ACK_TIMEOUT;
                    ackAt = retryAt + 200 + orders.nextInt(2_800);
                    if (retryAt < end) correlation = svc.outbox.retry(po, retryAt);
                }
                if (ackAt < end) svc.outbox.onAck(correlation); else inFlight++;
                o++;
            }
            String quoteKey = "q:" + (char) ('A' + traffic.nextInt(20)) + traffic.nextInt(9_000) + "/" + (195 + 10 * traffic.nextInt(8)) + "R" + (15 + traffic.nextInt(5));
            svc.quotes.get(quoteKey, traffic);
            svc.pings[(int) (svc.pingsWritten++ % PING_RING)] = new VanPing("VAN-" + traffic.nextInt(120), 50 + traffic.nextDouble() * 5, -3 + traffic.nextDouble() * 4, t);
            svc.pings[(int) (svc.pingsWritten++ % PING_RING)] = new VanPing("VAN-" + traffic.nextInt(120), 50 + traffic.nextDouble() * 5, -3 + traffic.nextDouble() * 4, t);
            byte[] buf = svc.invoiceBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.invoiceBuffers.add(buf);
        }
        svc.clock.nowMs = end;
        while (!jobEnds.isEmpty() && (Long) jobEnds.peek()[0] <= end) { Object[] e = jobEnds.poll(); svc.endJob((FittingJob) e[1], (Boolean) e[2]); }
        svc.quotes.sweep();
        QuoteCache qc = svc.quotes;
        WholesalerOutbox ob = svc.outbox;
        System.out.println("stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " customers " + svc.customers.size() + " quotes " + qc.entries.size() + " (loads " + qc.loads + ", hits " + qc.hits + ", sweeps " + qc.sweeps
                + ", expired " + qc.expired + ") outbox " + ob.pending.size() + " (sent " + ob.sent + ", retries " + ob.retries + ", acks " + ob.acks + ", unmatched " + ob.unmatched + ") active jobs " + FittingJob.ACTIVE.size()
                + " (done " + svc.jobsDone + ", aborted " + svc.jobsAborted + ") pings " + svc.pingsWritten + " pool " + svc.invoiceBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(qc.loads + qc.hits == requests && qc.expired > 0 && qc.loads - qc.expired - qc.entries.size() >= 0, "quote traffic");
        for (Quote q : qc.entries.values()) check(!qc.isExpired(q), "quote cache holds only fresh quotes");
        check(ob.sent == nOrders && ob.acks + inFlight == nOrders && ob.unmatched == 0 && ob.pending.size() == inFlight && ob.retries > 0, "outbox holds only in-flight orders: " + ob.pending.size());
        check(j == nJobs && svc.jobsDone + svc.jobsAborted + FittingJob.ACTIVE.size() == nJobs && FittingJob.ACTIVE.size() == jobEnds.size() && svc.jobsAborted > 0, "registry holds only jobs in progress: " + FittingJob.ACTIVE.size());
        check(svc.pingsWritten == 2L * requests && (stage == 1 ? svc.pings[PING_RING - 1] == null : svc.pings[PING_RING - 1] != null), "ping ring");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        return svc;
    }

    public static void main(String[] args) throws Exception {
        SERVICE = run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
