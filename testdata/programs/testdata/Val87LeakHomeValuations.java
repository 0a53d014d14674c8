// hprofscan-dump: name=val87-leak-homevaluations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val87-leak-homevaluations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * Validation set 87 (written blind), LEAK: the automated valuation service of a mortgage lender's
 * home-valuation desk. Region reference data (house price indexes), the property directory keyed
 * by UPRN, a cache of rendered valuation reports at its cap, a pool of PDF buffers, a ring of
 * recent valuations, and the comparable-sales fan-out: every valuation submits four comparable
 * lookups to an ExecutorCompletionService (over a caller-runs executor: the sales indexes are
 * in-process) and then waits on the four futures it got back from submit(). Nobody ever calls
 * take() / poll(), so every completed future stays in the service's completion queue, with its
 * result. See VALIDATION87.md.
 */
public final class Val87LeakHomeValuations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGIONS = 1_100, PROPERTIES = 25_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, VALUATIONS_PER_HOUR = 1_200, COMPS = 4, HOURS = 10;
    static boolean FIXED;

    record Region(String code, String name, double[] monthlyPriceIndex) {}
    record Property(String uprn, String regionCode, String postcode, byte[] titleSummary, long registeredAt) {}
    record Report(String key, byte[] rendered, long at) {}
    record Valuation(String uprn, long valuePence, int comparables, long at) {}
    record ComparableSale(String uprn, long pricePence, long soldAt, double adjustment, byte[] evidence) {}

    /** Runs each task on the calling thread (the comparables indexes are in memory). */
    static final class CallerRunsExecutor implements Executor {
        long ran;
        @Override public void execute(Runnable task) { ran++; task.run(); }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class ValuationService {
        final Map<String, Property> properties = new HashMap<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Valuation[] recent = new Valuation[RING];
        long valuations, submitted, taken;
        final CallerRunsExecutor compsExecutor = new CallerRunsExecutor();
        final ExecutorCompletionService<ComparableSale> comparables = new ExecutorCompletionService<>(compsExecutor);
        String[] uprns;

        ComparableSale lookupComparable(String subject, int index, Random r, long at) {
            String other = uprns[r.nextInt(uprns.length)];
            return new ComparableSale(other, 15_000_000L + r.nextInt(60_000_000), at - (long) (30 + r.nextInt(700)) * DAY, 0.9 + r.nextDouble() * 0.2, new byte[48 + r.nextInt(48)]);
        }

        Valuation value(String uprn, Random r, long at) throws Exception {
            List<Future<ComparableSale>> futures = new ArrayList<>(COMPS);
            for (int k = 0; k < COMPS; k++) {
                int index = k;
                futures.add(comparables.submit(() -> lookupComparable(uprn, index, r, at)));
                submitted++;
            }
            long sum = 0;
            if (FIXED) {
                for (int k = 0; k < COMPS; k++) { sum += comparables.take().get().pricePence(); taken++; } // drains the completion queue
            } else {
                for (Future<ComparableSale> f : futures) sum += f.get().pricePence(); // BUG: the completion queue is never polled
            }
            Valuation v = new Valuation(uprn, sum / COMPS, COMPS, at);
            recent[(int) (valuations++ % RING)] = v;
            String key = "rep-" + r.nextInt(5_000);
            if (reports.get(key) == null) reports.put(key, new Report(key, new byte[600 + r.nextInt(600)], at));
            byte[] buf = pdfBuffers.poll();
            buf[(int) (valuations % buf.length)] = (byte) valuations;
            pdfBuffers.add(buf);
            return v;
        }
    }

    static ValuationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static ValuationService build(long now, long start, long end) throws Exception {
        Random rnd = new Random(87_020_001);
        String[] codes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] index = new double[72];
            for (int k = 0; k < index.length; k++) index[k] = 80 + rnd.nextDouble() * 60;
            codes[g] = "RG" + (400 + g);
            REGIONS_BY_CODE.put(codes[g], new Region(codes[g], "Region " + g, index));
        }
        ValuationService svc = new ValuationService();
        svc.uprns = new String[PROPERTIES];
        for (int p = 0; p < PROPERTIES; p++) {
            String uprn = Long.toString(100_023_000_000L + p * 13L);
            svc.uprns[p] = uprn;
            String postcode = (char) ('A' + rnd.nextInt(26)) + "" + (char) ('A' + rnd.nextInt(26)) + (1 + rnd.nextInt(20)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26));
            svc.properties.put(uprn, new Property(uprn, codes[rnd.nextInt(REGIONS)], postcode, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(87_020_002);
        int total = VALUATIONS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            svc.value(svc.uprns[traffic.nextInt(PROPERTIES)], traffic, t);
        }
        return svc;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val87.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        ValuationService svc = build(now, start, end);
        SERVICE = svc;
        long queued = svc.submitted - svc.taken; // completed futures nobody took (ECS has no size(); polling would change it)
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " properties " + svc.properties.size() + " valuations " + svc.valuations + " submitted " + svc.submitted
                + " ran " + svc.compsExecutor.ran + " taken " + svc.taken + " left in the completion queue " + queued + " reports " + svc.reports.size()
                + " (evicted " + svc.reports.evicted + ") pool " + svc.pdfBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(svc.valuations == (long) VALUATIONS_PER_HOUR * HOURS && svc.submitted == svc.valuations * COMPS && svc.compsExecutor.ran == svc.submitted, "traffic");
        if (FIXED) check(svc.taken == svc.submitted && queued == 0, "fixed drains every completion");
        else check(svc.taken == 0 && queued == svc.submitted, "nothing taken: " + queued);
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram(" [I (", " java.util.concurrent.FutureTask ", "java.util.concurrent.LinkedBlockingQueue$Node", "ExecutorCompletionService");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
