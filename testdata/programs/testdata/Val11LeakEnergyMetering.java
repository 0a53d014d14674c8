// hprofscan-dump: name=val11-leak-energymeter jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val11-leak-energymeter-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 11 (written blind), LEAK: the meter-data ingestion service of an electricity
 * utility after 12 simulated hours. Head-end systems upload batches of interval readings; a pool
 * of 4 ingest threads parses them. The parser keeps each batch's de-duplication context in a
 * per-thread map ({@code ThreadLocal<Map<String, BatchContext>>}) keyed by the batch's upload id,
 * written as if a thread served one request; nothing removes a context when its batch is done,
 * so every batch a pool thread ever parsed stays on that thread: 6,400 finished batches over the
 * 4 threads. Beside it: the meter registry and the tariff schedule (loaded at startup), a
 * customer account LRU at capacity, a ring of the latest interval readings and a decompression
 * buffer per ingest thread. See testdata/VALIDATION11.md.
 */
public final class Val11LeakEnergyMetering {
    static final int METERS = 80_000;
    static final int TARIFFS = 500;
    static final int ACCOUNT_CACHE_CAP = 8_000;
    static final int READING_RING = 40_000;
    static final int INGESTERS = 4;
    static final int BATCHES = 6_400;
    static final int METERS_PER_BATCH = 48;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 12 * HOUR;

    static MeteringService RUNNING;

    static final class MeterInfo {
        final long serial; final long premiseId; final String model; final String tariffCode; final double multiplier; final long installedAt; volatile long lastReadAt;
        MeterInfo(long serial, long premiseId, String model, String tariffCode, double multiplier, long installedAt) { this.serial = serial; this.premiseId = premiseId; this.model = model; this.tariffCode = tariffCode; this.multiplier = multiplier; this.installedAt = installedAt; }
    }

    /** Reference data: every meter of the service territory, loaded from the asset system at startup. */
    static final class MeterRegistry {
        static final Map<Long, MeterInfo> BY_SERIAL = new HashMap<>();
    }

    static final class Tariff {
        final String code; final String name; final double[] halfHourRates = new double[48]; final double standingCharge; final long effectiveFrom;
        Tariff(String code, String name, double standingCharge, long effectiveFrom) { this.code = code; this.name = name; this.standingCharge = standingCharge; this.effectiveFrom = effectiveFrom; }
    }

    /** Reference data: the tariff schedule, loaded at startup. */
    static final class TariffSchedule {
        static final Map<String, Tariff> BY_CODE = new HashMap<>();
    }

    static final class Account {
        final long premiseId; final String accountNo; final String holder; final String billingCycle; final long openedAt;
        Account(long premiseId, String accountNo, String holder, String billingCycle, long openedAt) { this.premiseId = premiseId; this.accountNo = accountNo; this.holder = holder; this.billingCycle = billingCycle; this.openedAt = openedAt; }
    }

    /** Customer accounts fetched from billing, least recently used evicted. */
    static final class AccountCache extends LinkedHashMap<Long, Account> {
        final int maxAccounts;
        long evictions;
        AccountCache(int maxAccounts) { super(16_384, 0.75f, true); this.maxAccounts = maxAccounts; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, Account> e) {
            if (size() > maxAccounts) { evictions++; return true; }
            return false;
        }
    }

    /** One interval reading; the ring's slots are allocated once and overwritten. */
    static final class ReadingSlot {
        long serial; long intervalEnd; double kwh; int quality;
    }

    static final class ReadingRing {
        final ReadingSlot[] slots = new ReadingSlot[READING_RING];
        long written;
        ReadingRing() { for (int i = 0; i < READING_RING; i++) slots[i] = new ReadingSlot(); }
        synchronized void append(long serial, long end, double kwh, int q) { ReadingSlot s = slots[(int) (written++ % READING_RING)]; s.serial = serial; s.intervalEnd = end; s.kwh = kwh; s.quality = q; }
    }

    /** De-duplication state of one uploaded batch. */
    static final class BatchContext {
        final String uploadId; final String headEndId; final long receivedAt; long completedAt; int readings; int duplicates;
        final long[] meterSerials = new long[METERS_PER_BATCH]; final byte[] signature = new byte[64];
        BatchContext(String uploadId, String headEndId, long receivedAt) { this.uploadId = uploadId; this.headEndId = headEndId; this.receivedAt = receivedAt; }
    }

    static final class IngestWorker {
        /** THE LEAK: batch contexts are put per thread and never removed. */
        static final ThreadLocal<Map<String, BatchContext>> BATCH_CONTEXTS = ThreadLocal.withInitial(HashMap::new);
        /** Per-thread decompression buffer (legitimate). */
        static final ThreadLocal<byte[]> DECOMPRESS = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

        static int parse(String uploadId, String headEnd, long receivedAt, long[] serials, byte[] sig, ReadingRing ring, boolean fixed) {
            Map<String, BatchContext> contexts = BATCH_CONTEXTS.get();
            BatchContext ctx = contexts.computeIfAbsent(uploadId, id -> new BatchContext(id, headEnd, receivedAt));
            DECOMPRESS.get()[0] = sig[0];
            System.arraycopy(sig, 0, ctx.signature, 0, sig.length);
            for (int k = 0; k < serials.length; k++) {
                ctx.meterSerials[k] = serials[k];
                MeterInfo m = MeterRegistry.BY_SERIAL.get(serials[k]);
                m.lastReadAt = receivedAt;
                ring.append(serials[k], receivedAt - receivedAt % (30 * MINUTE), 0.05 * (k % 40), 0);
                ctx.readings++;
            }
            ctx.completedAt = receivedAt + 2_000;
            if (fixed) contexts.remove(uploadId);
            return contexts.size();
        }
    }

    static final class MeteringService {
        final AccountCache accounts = new AccountCache(ACCOUNT_CACHE_CAP);
        final ReadingRing readings = new ReadingRing();
        final Map<String, Long> headEndLastSeen = new ConcurrentHashMap<>();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor ingesters = new ThreadPoolExecutor(INGESTERS, INGESTERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "meter-ingest-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val11.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(11_040_001);
        MeteringService svc = new MeteringService();
        RUNNING = svc;
        for (int i = 0; i < 65; i++) svc.config.setProperty("ingest.headend." + i + ".url", "https://he" + i + ".grid.example/api");
        String[] models = {"L+G E360", "Itron ACE", "Kamstrup 382", "Aclara SGM", "Elster A1800"};
        for (int i = 0; i < TARIFFS; i++) {
            Tariff t = new Tariff("T" + (1000 + i), "Tariff " + i, 0.25 + 0.01 * (i % 40), now - DAY * (30 + i % 700));
            for (int k = 0; k < 48; k++) t.halfHourRates[k] = 0.10 + 0.01 * ((k + i) % 20);
            TariffSchedule.BY_CODE.put(t.code, t);
        }
        for (int i = 0; i < METERS; i++) {
            long serial = 31_000_000L + i * 17L;
            MeterRegistry.BY_SERIAL.put(serial, new MeterInfo(serial, 5_000_000L + i, models[i % 5], "T" + (1000 + i % TARIFFS), 1.0, now - DAY * (100 + rnd.nextInt(5000))));
        }
        CyclicBarrier warm = new CyclicBarrier(INGESTERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < INGESTERS; w++) fs.add(svc.ingesters.submit(() -> { IngestWorker.DECOMPRESS.get()[0] = 1; IngestWorker.BATCH_CONTEXTS.get(); warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 12 hours: head-ends upload batches of 48 meters' readings; the ingest pool parses them.
        String[] billing = {"monthly", "quarterly", "bi-monthly"};
        List<Future<Integer>> parsed = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            long t = start + SIM_MILLIS * i / BATCHES;
            String uploadId = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            String headEnd = "he-" + (i % 65);
            long[] serials = new long[METERS_PER_BATCH];
            for (int k = 0; k < METERS_PER_BATCH; k++) serials[k] = 31_000_000L + (long) rnd.nextInt(METERS) * 17L;
            byte[] sig = new byte[64];
            rnd.nextBytes(sig);
            parsed.add(svc.ingesters.submit(() -> IngestWorker.parse(uploadId, headEnd, t, serials, sig, svc.readings, fixed)));
            svc.headEndLastSeen.put(headEnd, t);
            for (int k = 0; k < 3; k++) {
                long premise = 5_000_000L + (serials[k] - 31_000_000L) / 17L;
                if (svc.accounts.get(premise) == null) svc.accounts.put(premise, new Account(premise, "ACC" + premise, "Customer " + premise, billing[(int) (premise % 3)], now - DAY * rnd.nextInt(7000)));
            }
            if (parsed.size() >= 64) { for (Future<Integer> f : parsed) f.get(); parsed.clear(); }
        }
        for (Future<Integer> f : parsed) f.get();
        // count the contexts on every ingest thread
        int[] perThread = new int[INGESTERS];
        CyclicBarrier count = new CyclicBarrier(INGESTERS);
        AtomicInteger slot = new AtomicInteger();
        fs.clear();
        for (int w = 0; w < INGESTERS; w++) fs.add(svc.ingesters.submit(() -> { count.await(); perThread[slot.getAndIncrement()] = IngestWorker.BATCH_CONTEXTS.get().size(); return null; }));
        for (Future<?> f : fs) f.get();
        int contexts = 0;
        for (int c : perThread) contexts += c;
        int leaked = fixed ? 0 : BATCHES;
        System.out.println("meters " + MeterRegistry.BY_SERIAL.size() + " tariffs " + TariffSchedule.BY_CODE.size() + " accounts " + svc.accounts.size() + " (evictions " + svc.accounts.evictions
                + ") readings " + svc.readings.written + " batch contexts " + contexts + " " + java.util.Arrays.toString(perThread) + " head-ends " + svc.headEndLastSeen.size());
        check(MeterRegistry.BY_SERIAL.size() == METERS && TariffSchedule.BY_CODE.size() == TARIFFS, "reference data");
        check(svc.accounts.size() == ACCOUNT_CACHE_CAP && svc.accounts.evictions > 0, "account cache");
        check(contexts == leaked && svc.readings.written == (long) BATCHES * METERS_PER_BATCH && svc.ingesters.getPoolSize() == INGESTERS, "contexts/ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
