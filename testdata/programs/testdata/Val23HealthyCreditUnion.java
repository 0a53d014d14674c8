// hprofscan-dump: name=val23-healthy-creditunion-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val23-healthy-creditunion-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val23-healthy-creditunion jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val23-healthy-creditunion-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 23 (written blind), HEALTHY: the core-banking service of a credit union.
 * Legitimate look-alikes of set 23's leaks: a statement-export {@code StringBuilder} (pre-sized
 * 1 Mi chars) flushed and reset with {@code setLength(0)} whenever it passes 900,000 chars; a
 * fraud-check {@code ExecutorCompletionService} whose results are all taken after each batch; a
 * lock map keyed by account number (the bounded set of 30,000 accounts, created at startup) and a
 * striped array of 64 ledger locks. Plus products and branches, the member directory, an
 * exchange-rate cache at its cap, a pool of cheque-image buffers and a transaction ring.
 * Series: stage 1 simulates 1 h, stage 2 4 h, stage 3 8 h: it warms up (the ring and the cache
 * fill) and then stays flat. See testdata/VALIDATION23.md.
 */
public final class Val23HealthyCreditUnion {
    static final long HOUR = 3_600_000L;
    static final int PRODUCTS = 600, BRANCHES = 120, MEMBERS = 30_000, RATE_CAP = 3_000, POOL = 16, RING = 16_384, STRIPES = 64, BATCH = 200;

    record Product(String code, String name, double[] rateTable) {}
    record Branch(String code, String city, int[] hours) {}
    record Member(long number, String name, String account, long memberSince, int[] balanceHistory) {}
    record Quote(String pair, double[] ticks) {}
    record Txn(String account, long amountCents, String kind, long at) {}
    record FraudVerdict(String account, int score) {}

    static final class RateCache extends LinkedHashMap<String, Quote> {
        long evicted;
        RateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > RATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_CODE = new HashMap<>();
    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class CoreBanking {
        final Map<Long, Member> members = new HashMap<>();
        final ConcurrentHashMap<String, ReentrantLock> accountLocks = new ConcurrentHashMap<>();
        final ReentrantLock[] ledgerStripes = new ReentrantLock[STRIPES];
        final StringBuilder statementExport = new StringBuilder(1 << 20);
        final RateCache rates = new RateCache();
        final ArrayDeque<byte[]> chequeBuffers = new ArrayDeque<>();
        final Txn[] ring = new Txn[RING];
        final ExecutorService fraudPool = new ThreadPoolExecutor(3, 3, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread t = new Thread(r); t.setDaemon(true); t.setName("fraud-check-" + t.getId()); return t; });
        final ExecutorCompletionService<FraudVerdict> fraudChecks = new ExecutorCompletionService<>(fraudPool);
        long txns, exportFlushes, exportedLines, verdictsTaken;
    }

    static CoreBanking CORE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int txns = stage == 1 ? 5_000 : stage == 2 ? 20_000 : 40_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(23_050_001);
        for (int p = 0; p < PRODUCTS; p++) {
            double[] table = new double[240];
            for (int k = 0; k < table.length; k++) table[k] = rnd.nextDouble() * 9;
            String code = "PRD-" + (100 + p);
            PRODUCTS_BY_CODE.put(code, new Product(code, "Share certificate " + p, table));
        }
        String[] cities = {"Duluth", "Fargo", "Bend", "Reno", "Boise", "Provo", "Tulsa", "Akron"};
        for (int b = 0; b < BRANCHES; b++) {
            int[] h = new int[168];
            for (int k = 0; k < h.length; k++) h[k] = rnd.nextInt(2);
            String code = "BR-" + (10 + b);
            BRANCHES_BY_CODE.put(code, new Branch(code, cities[b % cities.length], h));
        }
        CoreBanking core = new CoreBanking();
        CORE = core;
        for (int m = 0; m < MEMBERS; m++) {
            int[] hist = new int[36];
            for (int k = 0; k < hist.length; k++) hist[k] = rnd.nextInt(1_000_000);
            long number = 300_000L + m;
            String account = "ACC-" + (55_000_000 + m);
            core.members.put(number, new Member(number, "Member " + m, account, now - (long) (1 + rnd.nextInt(9_000)) * 24 * HOUR, hist));
            core.accountLocks.computeIfAbsent(account, a -> new ReentrantLock()); // one lock per account, created at startup
        }
        for (int s = 0; s < STRIPES; s++) core.ledgerStripes[s] = new ReentrantLock();
        for (int i = 0; i < POOL; i++) core.chequeBuffers.add(new byte[32_768]);
        Random traffic = new Random(23_050_002);
        String[] kinds = {"DEPOSIT", "WITHDRAWAL", "TRANSFER", "LOAN_PAYMENT", "FEE"};
        int submitted = 0;
        for (int x = 0; x < txns; x++) {
            long t = start + (now - start) * x / txns;
            int m = traffic.nextInt(MEMBERS);
            String account = "ACC-" + (55_000_000 + m);
            long amount = 100 + traffic.nextInt(500_000);
            String kind = kinds[traffic.nextInt(kinds.length)];
            ReentrantLock lock = core.accountLocks.get(account);
            lock.lock();
            try {
                ReentrantLock stripe = core.ledgerStripes[m % STRIPES];
                stripe.lock();
                try { core.ring[(int) (core.txns++ % RING)] = new Txn(account, amount, kind, t); } finally { stripe.unlock(); }
            } finally { lock.unlock(); }
            core.statementExport.append(t).append(';').append(account).append(';').append(kind).append(';').append(amount).append(";posted\n");
            core.exportedLines++;
            if (core.statementExport.length() > 900_000) { core.statementExport.setLength(0); core.exportFlushes++; } // written to the statement file
            String pair = "USD/" + Integer.toString(traffic.nextInt(9_000), 36);
            if (core.rates.get(pair) == null) {
                double[] ticks = new double[32];
                for (int k = 0; k < ticks.length; k++) ticks[k] = traffic.nextDouble();
                core.rates.put(pair, new Quote(pair, ticks));
            }
            int score = traffic.nextInt(1_000);
            core.fraudChecks.submit(() -> new FraudVerdict(account, score));
            submitted++;
            if (submitted == BATCH) { // end of batch: every verdict is taken
                for (int k = 0; k < BATCH; k++) { core.fraudChecks.take().get(); core.verdictsTaken++; }
                submitted = 0;
            }
        }
        for (int k = 0; k < submitted; k++) { core.fraudChecks.take().get(); core.verdictsTaken++; }
        ThreadPoolExecutor pool = (ThreadPoolExecutor) core.fraudPool;
        for (int w = 0; w < 2_000 && pool.getCompletedTaskCount() < txns; w++) Thread.sleep(5);
        System.out.println("stage " + stage + " products " + PRODUCTS_BY_CODE.size() + " branches " + BRANCHES_BY_CODE.size() + " members " + core.members.size() + " account locks " + core.accountLocks.size()
                + " txns " + core.txns + " export chars " + core.statementExport.length() + " capacity " + core.statementExport.capacity() + " flushes " + core.exportFlushes
                + " verdicts taken " + core.verdictsTaken + " completed " + pool.getCompletedTaskCount() + " rates " + core.rates.size() + " (evicted " + core.rates.evicted + ") pool " + core.chequeBuffers.size());
        check(PRODUCTS_BY_CODE.size() == PRODUCTS && BRANCHES_BY_CODE.size() == BRANCHES && core.members.size() == MEMBERS, "reference data / directory");
        check(core.accountLocks.size() == MEMBERS, "account locks");
        check(core.txns == txns && core.exportedLines == txns && core.statementExport.capacity() == (1 << 20) && core.statementExport.length() <= 900_000, "statement export buffer");
        check(core.verdictsTaken == txns && pool.getCompletedTaskCount() == txns && core.fraudChecks.poll() == null, "fraud checks all taken");
        check(core.rates.size() == (stage == 1 ? core.rates.size() : RATE_CAP) && core.rates.size() <= RATE_CAP, "rate cache");
        check(stage == 1 || core.ring[RING - 1] != null, "txn ring");
        check(core.chequeBuffers.size() == POOL, "cheque pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
