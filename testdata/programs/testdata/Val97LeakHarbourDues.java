// hprofscan-dump: name=val97-leak-harbourdues jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val97-leak-harbourdues-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 97 (written blind), LEAK: the harbour-dues billing service of a port authority
 * (tonnage, berth and pilotage dues computed for every port call). Berth reference data, the vessel
 * directory, a cache of rendered dues invoices at its cap, a pool of PDF buffers, a ring of recent
 * port calls, an audit sink keeping the last 2,000 published audit records for the compliance page,
 * and a fixed worker pool of 4 threads (a ThreadPoolExecutor that lives as long as the service)
 * that computes each billing tick's dues in 4 berth-zone shards. BUG: the dues calculator keeps a
 * per-thread audit trail (an instance ThreadLocal holding an ArrayList); every calculation appends
 * its audit record to the worker's list and publishes it, and nothing ever calls remove() or clears
 * the list, so each of the 4 pool threads keeps every record it ever wrote. See VALIDATION97.md.
 */
public final class Val97LeakHarbourDues {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICK = 15_000L;
    static final int BERTHS = 1_100, VESSELS = 24_000, INVOICE_CAP = 2_000, POOL = 8, RING = 16_384, SINK = 2_000,
            WORKERS = 4, PER_SHARD = 5, HOURS = 10;
    static boolean FIXED;

    record Berth(String code, String quay, double[] tideWindowModel) {}
    record Vessel(String imo, String name, String flag, byte[] particulars, long registeredAt) {}
    record Invoice(String key, byte[] rendered, long at) {}
    record PortCall(long callId, String imo, String berthCode, long arrivedAt) {}
    record DuesRequest(long requestId, String imo, String berthCode, int grossTonnage, int hoursAlongside, byte[] tariffInputs, long at) {}
    record AuditRecord(long requestId, String imo, String rule, long at, long amountCents, byte[] inputsSnapshot) {}

    /** Published audit records: only the last SINK are kept (compliance page). */
    static final class AuditSink {
        final AuditRecord[] recent = new AuditRecord[SINK];
        long published;
        synchronized void publish(AuditRecord r) { recent[(int) (published++ % SINK)] = r; }
    }

    static final class DuesCalculator {
        /** Per-thread audit trail of the calculation in progress. BUG: never cleared or removed. */
        final ThreadLocal<List<AuditRecord>> auditTrail = ThreadLocal.withInitial(ArrayList::new);
        final AuditSink sink;
        final AtomicInteger calculated = new AtomicInteger();
        DuesCalculator(AuditSink sink) { this.sink = sink; }

        long calculate(DuesRequest q) {
            List<AuditRecord> trail = auditTrail.get();
            try {
                long tonnageDues = (long) q.grossTonnage() * 37;
                long berthDues = (long) q.hoursAlongside() * 2_150;
                long amount = tonnageDues + berthDues + (q.tariffInputs().length * 11L);
                String rule = q.grossTonnage() > 40_000 ? "TARIFF-B/LARGE" : q.grossTonnage() > 8_000 ? "TARIFF-B/MEDIUM" : "TARIFF-A/SMALL";
                AuditRecord rec = new AuditRecord(q.requestId(), q.imo(), rule, q.at(), amount, q.tariffInputs().clone());
                trail.add(rec);
                sink.publish(rec);
                calculated.incrementAndGet();
                return amount;
            } finally {
                if (FIXED) auditTrail.remove(); // the fix; the bug: the trail is never cleared
            }
        }
    }

    static final class InvoiceCache extends LinkedHashMap<String, Invoice> {
        long evicted;
        InvoiceCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Invoice> e) { if (size() > INVOICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Berth> BERTHS_BY_CODE = new HashMap<>();

    static final class DuesService {
        final Map<String, Vessel> vessels = new HashMap<>();
        final InvoiceCache invoices = new InvoiceCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final PortCall[] recentCalls = new PortCall[RING];
        long portCalls;
        final AuditSink sink = new AuditSink();
        final DuesCalculator calculator = new DuesCalculator(sink);
        final ThreadPoolExecutor workers;
        final CyclicBarrier tickBarrier = new CyclicBarrier(WORKERS);
        DuesService() {
            AtomicInteger n = new AtomicInteger();
            workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> new Thread(r, "dues-worker-" + n.incrementAndGet()));
        }

        /** One billing tick: the 4 berth-zone shards run in parallel and meet at the barrier (one shard per thread). */
        long tick(DuesRequest[][] shards) throws Exception {
            List<Future<Long>> fs = new ArrayList<>();
            for (DuesRequest[] shard : shards) {
                fs.add(workers.submit(() -> {
                    long sum = 0;
                    for (DuesRequest q : shard) sum += calculator.calculate(q);
                    tickBarrier.await(30, TimeUnit.SECONDS);
                    return sum;
                }));
            }
            long total = 0;
            for (Future<Long> f : fs) total += f.get(60, TimeUnit.SECONDS);
            return total;
        }

        /** Size of each worker's audit trail (one probe per thread, held apart by the barrier). */
        int[] trailSizes() throws Exception {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                fs.add(workers.submit(() -> {
                    int size = calculator.auditTrail.get().size();
                    if (FIXED) calculator.auditTrail.remove();
                    tickBarrier.await(30, TimeUnit.SECONDS);
                    return size;
                }));
            }
            int[] sizes = new int[WORKERS];
            for (int w = 0; w < WORKERS; w++) sizes[w] = fs.get(w).get(60, TimeUnit.SECONDS);
            return sizes;
        }
    }

    static DuesService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(97_020_001);
        String[] berthCodes = new String[BERTHS];
        for (int b = 0; b < BERTHS; b++) {
            double[] model = new double[72];
            for (int k = 0; k < model.length; k++) model[k] = rnd.nextDouble() * 6.5;
            berthCodes[b] = "BTH-" + (b / 40) + "-" + (b % 40);
            BERTHS_BY_CODE.put(berthCodes[b], new Berth(berthCodes[b], "Quay " + (b / 40), model));
        }
        DuesService svc = new DuesService();
        SERVICE = svc;
        String[] imos = new String[VESSELS];
        String[] flags = {"PA", "LR", "MH", "SG", "MT", "BS", "NO", "GR", "CY", "DK"};
        int[] tonnage = new int[VESSELS];
        for (int v = 0; v < VESSELS; v++) {
            imos[v] = "IMO" + (9_100_000 + v * 7);
            tonnage[v] = 500 + rnd.nextInt(120_000);
            svc.vessels.put(imos[v], new Vessel(imos[v], "MV Vessel " + (v % 500), flags[v % flags.length], new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(6_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(97_020_002);
        int ticks = (int) ((end - start) / TICK);
        long request = 0;
        for (int k = 0; k < ticks; k++) {
            long t = start + k * TICK;
            DuesRequest[][] shards = new DuesRequest[WORKERS][PER_SHARD];
            for (int s = 0; s < WORKERS; s++) {
                for (int j = 0; j < PER_SHARD; j++) {
                    int v = traffic.nextInt(VESSELS);
                    String berth = berthCodes[traffic.nextInt(BERTHS)];
                    shards[s][j] = new DuesRequest(61_000_000L + request++, imos[v], berth, tonnage[v], 2 + traffic.nextInt(70), new byte[48 + traffic.nextInt(48)], t);
                    svc.recentCalls[(int) (svc.portCalls++ % RING)] = new PortCall(700_000_000L + request, imos[v], berth, t);
                }
            }
            svc.tick(shards);
            String key = "inv-" + traffic.nextInt(5_000);
            if (svc.invoices.get(key) == null) svc.invoices.put(key, new Invoice(key, new byte[500 + traffic.nextInt(500)], t));
            key = "inv-" + traffic.nextInt(5_000);
            if (svc.invoices.get(key) == null) svc.invoices.put(key, new Invoice(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[k % buf.length] = (byte) k;
            svc.pdfBuffers.add(buf);
        }
        return ticks;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val97.fixed");
        int ticks = build();
        DuesService svc = SERVICE;
        int requests = ticks * WORKERS * PER_SHARD;
        int[] trails = svc.trailSizes();
        for (int wait = 0; wait < 100 && svc.workers.getActiveCount() > 0; wait++) Thread.sleep(50);
        System.out.println((FIXED ? "FIXED " : "") + "berths " + BERTHS_BY_CODE.size() + " vessels " + svc.vessels.size() + " ticks " + ticks + " requests " + requests
                + " calculated " + svc.calculator.calculated.get() + " trails " + java.util.Arrays.toString(trails) + " published " + svc.sink.published
                + " port calls " + svc.portCalls + " invoices " + svc.invoices.size() + " (evicted " + svc.invoices.evicted + ") pool " + svc.pdfBuffers.size()
                + " workers " + svc.workers.getPoolSize());
        check(BERTHS_BY_CODE.size() == BERTHS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.calculator.calculated.get() == requests && svc.sink.published == requests && svc.sink.recent[SINK - 1] != null, "dues traffic");
        for (int w = 0; w < WORKERS; w++) {
            if (FIXED) check(trails[w] == 0, "fixed: trail removed after each calculation");
            else check(trails[w] == ticks * PER_SHARD, "audit trail of a worker keeps every record: " + trails[w]);
        }
        check(svc.workers.getPoolSize() == WORKERS && svc.workers.getActiveCount() == 0, "worker pool");
        check(svc.portCalls == requests && svc.recentCalls[RING - 1] != null, "port-call ring");
        check(svc.invoices.size() == INVOICE_CAP && svc.invoices.evicted > 0, "invoice cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        trails = null;
        svc = null;
        LeakCheck.histogram("java.util.ArrayList", "ThreadLocal", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
