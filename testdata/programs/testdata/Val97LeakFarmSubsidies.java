// hprofscan-dump: name=val97-leak-farmsubsidies jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val97-leak-farmsubsidies-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 97 (written blind), LEAK: the claims intake of a farm-subsidy paying agency.
 * Regional offices upload claim batches (a CSV of area-payment claims); each batch import parses
 * the upload, validates the two halves of the batch in parallel and books the accepted claims.
 * Parish reference data, the farm directory, a cache of rendered payment schedules at its cap, a
 * pool of print buffers and a ring of recently booked claims. BUG: every import creates its own
 * two-thread executor (Executors.newFixedThreadPool(2) with a thread factory naming the threads
 * "claims-import-&lt;batch&gt;-&lt;n&gt;"; the factory is an inner class of BatchImport, so it keeps the batch)
 * and never shuts it down: the two idle core threads stay alive, parked waiting for work that never
 * comes, and each keeps its pool, the factory and through it the whole batch (raw upload, parsed
 * claims, rejects). One pool per import accumulates. See VALIDATION97.md.
 */
public final class Val97LeakFarmSubsidies {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IMPORT_EVERY = 200_000L;
    static final int PARISHES = 1_000, FARMS = 25_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10;
    static final String THREAD_PREFIX = "claims-import-";
    static boolean FIXED;

    record Parish(String code, String county, double[] rainfallByWeek) {}
    record Farm(String holdingNumber, String parishCode, String holder, byte[] parcelRecord, long registeredAt) {}
    record Schedule(String key, byte[] rendered, long at) {}
    record Claim(String claimId, String holdingNumber, String scheme, int hectaresX100, long amountCents, long claimedAt) {}

    /** One uploaded batch; the thread factory of its executor is an inner class and keeps it. */
    static final class BatchImport {
        final String batchId, officeCode;
        final long receivedAt;
        final byte[] rawUpload;
        final List<Claim> claims = new ArrayList<>();
        final List<String> rejects = Collections.synchronizedList(new ArrayList<>());
        int booked;
        BatchImport(String batchId, String officeCode, long receivedAt, byte[] rawUpload) {
            this.batchId = batchId; this.officeCode = officeCode; this.receivedAt = receivedAt; this.rawUpload = rawUpload;
        }
        final class ImportThreadFactory implements ThreadFactory {
            int created;
            @Override public Thread newThread(Runnable r) { return new Thread(r, THREAD_PREFIX + batchId + "-" + (++created)); }
        }
    }

    static final class ScheduleCache extends LinkedHashMap<String, Schedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Schedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Parish> PARISHES_BY_CODE = new HashMap<>();

    static final class IntakeService {
        final Map<String, Farm> farms = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Claim[] recentlyBooked = new Claim[RING];
        long bookedClaims, rejectedClaims, imports;

        boolean validate(Claim c) {
            Farm f = farms.get(c.holdingNumber());
            return f != null && c.hectaresX100() > 0 && c.hectaresX100() < 250_000 && !c.scheme().isEmpty();
        }

        void importBatch(BatchImport batch) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2, batch.new ImportThreadFactory());
            try {
                int half = batch.claims.size() / 2;
                List<Future<boolean[]>> parts = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    List<Claim> part = batch.claims.subList(p == 0 ? 0 : half, p == 0 ? half : batch.claims.size());
                    parts.add(pool.submit(() -> {
                        boolean[] ok = new boolean[part.size()];
                        for (int i = 0; i < ok.length; i++) {
                            ok[i] = validate(part.get(i));
                            if (!ok[i]) batch.rejects.add(part.get(i).claimId() + ": holding or area invalid");
                        }
                        return ok;
                    }));
                }
                int idx = 0;
                for (Future<boolean[]> f : parts) {
                    for (boolean ok : f.get(60, TimeUnit.SECONDS)) {
                        Claim c = batch.claims.get(idx++);
                        if (ok) { recentlyBooked[(int) (bookedClaims++ % RING)] = c; batch.booked++; } else rejectedClaims++;
                    }
                }
                imports++;
            } finally {
                if (FIXED) { pool.shutdown(); pool.awaitTermination(30, TimeUnit.SECONDS); } // the fix; the bug: never shut down
            }
        }
    }

    static IntakeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; no local of this method survives it. */
    static int build() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(97_030_001);
        String[] parishCodes = new String[PARISHES];
        for (int p = 0; p < PARISHES; p++) {
            double[] rain = new double[64];
            for (int k = 0; k < rain.length; k++) rain[k] = rnd.nextDouble() * 40;
            parishCodes[p] = "PAR-" + (10_000 + p);
            PARISHES_BY_CODE.put(parishCodes[p], new Parish(parishCodes[p], "County " + (p / 50), rain));
        }
        IntakeService svc = new IntakeService();
        SERVICE = svc;
        String[] holdings = new String[FARMS];
        for (int f = 0; f < FARMS; f++) {
            holdings[f] = "H" + (44_000_000 + f * 11);
            svc.farms.put(holdings[f], new Farm(holdings[f], parishCodes[rnd.nextInt(PARISHES)], "Holder " + (f % 900), new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(8_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(97_030_002);
        String[] schemes = {"BPS", "AGRI-ENV", "YOUNG-FARMER", "COUPLED-SUCKLER", "ORGANIC"};
        int batches = (int) ((end - MINUTE - start) / IMPORT_EVERY);
        long claimNo = 0;
        for (int b = 0; b < batches; b++) {
            long t = start + b * IMPORT_EVERY + traffic.nextInt(60_000);
            BatchImport batch = new BatchImport("B" + (830_000 + b), "RO-" + (1 + traffic.nextInt(24)), t, new byte[12_000 + traffic.nextInt(12_000)]);
            int n = 40 + traffic.nextInt(41);
            for (int i = 0; i < n; i++) {
                String holding = traffic.nextInt(50) == 0 ? "H-UNKNOWN-" + traffic.nextInt(1_000) : holdings[traffic.nextInt(FARMS)];
                batch.claims.add(new Claim("CL" + (5_000_000 + claimNo++), holding, schemes[traffic.nextInt(schemes.length)], 50 + traffic.nextInt(40_000), 1_000 + traffic.nextInt(2_000_000), t));
            }
            svc.importBatch(batch);
            for (int k = 0; k < 40; k++) {
                String key = "sched-" + traffic.nextInt(4_000);
                if (svc.schedules.get(key) == null) svc.schedules.put(key, new Schedule(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.printBuffers.poll();
            buf[b % buf.length] = (byte) b;
            svc.printBuffers.add(buf);
        }
        return batches;
    }

    /** Live threads of import pools: {total, parked (WAITING)}. */
    static int[] importThreads() {
        int live = 0, waiting = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(THREAD_PREFIX) && t.isAlive()) {
                live++;
                if (t.getState() == Thread.State.WAITING) waiting++;
            }
        }
        return new int[] {live, waiting};
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) { // the parked import threads would keep a failed run alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val97.fixed");
        int batches = build();
        IntakeService svc = SERVICE;
        int[] threads = importThreads();
        for (int wait = 0; wait < 100 && (FIXED ? threads[0] != 0 : threads[1] != threads[0]); wait++) { Thread.sleep(50); threads = importThreads(); }
        System.out.println((FIXED ? "FIXED " : "") + "parishes " + PARISHES_BY_CODE.size() + " farms " + svc.farms.size() + " imports " + svc.imports + " booked " + svc.bookedClaims
                + " rejected " + svc.rejectedClaims + " import threads " + threads[0] + " (parked " + threads[1] + ") schedules " + svc.schedules.size()
                + " (evicted " + svc.schedules.evicted + ") pool " + svc.printBuffers.size());
        check(PARISHES_BY_CODE.size() == PARISHES && svc.farms.size() == FARMS, "reference data / directory");
        check(svc.imports == batches && svc.bookedClaims > RING && svc.recentlyBooked[RING - 1] != null, "imports / booked ring");
        if (FIXED) check(threads[0] == 0, "fixed: import pools shut down");
        else check(threads[0] == 2 * batches && threads[1] == threads[0], "two parked threads per import: " + threads[0]);
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        threads = null;
        svc = null;
        LeakCheck.histogram("java.lang.Thread ", "ThreadPoolExecutor", " [B ", " [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
