// hprofscan-dump: name=val9-healthy-ledger-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val9-healthy-ledger-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val9-healthy-ledger jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val9-healthy-ledger-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 9 (written blind), HEALTHY, a series (warming, then flat): a bank's core ledger
 * posting service. Stage 1 is the dump after 1 simulated hour (15,000 postings), stage 2 after 6
 * hours (60,000), stage 3 after 12 hours (120,000). The balance directory warms lazily until every
 * one of the 40,000 customer accounts has posted (stage 2), then stays at that size; the
 * hand-written FX-rate cache reaches its capacity of 4,000 in stage 2; the journal ring of 32,768
 * preallocated entries wraps in stage 2. Beside them: the chart of accounts (loaded at startup) and
 * a pool of 64 posting buffers. See testdata/VALIDATION9.md.
 */
public final class Val9HealthyLedger {
    static final int GL_ACCOUNTS = 8_000;
    static final int CUSTOMER_ACCOUNTS = 40_000;
    static final int FX_CAPACITY = 4_000;
    static final int POSTINGS_PER_RATE = 10;
    static final int JOURNAL_RING = 32_768;
    static final int BUFFER_POOL = 64;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "PLN", "CZK", "DKK"};

    static LedgerService RUNNING;

    static final class GlAccount {
        final String glCode; final String name; final String type; final String parentCode; final String currency; final boolean postingAllowed; final long validFrom;
        GlAccount(String glCode, String name, String type, String parentCode, String currency, boolean postingAllowed, long validFrom) { this.glCode = glCode; this.name = name; this.type = type; this.parentCode = parentCode; this.currency = currency; this.postingAllowed = postingAllowed; this.validFrom = validFrom; }
    }

    /** Reference data: the general-ledger chart of accounts, loaded once at startup. */
    static final class ChartOfAccounts {
        static final Map<String, GlAccount> BY_CODE = new HashMap<>();
    }

    static final class AccountBalance {
        final String accountNumber; final String currency; final String glCode; long ledgerMinor; long availableMinor; long lastPostingAt; long postings; final long openedAt;
        AccountBalance(String accountNumber, String currency, String glCode, long openedAt) { this.accountNumber = accountNumber; this.currency = currency; this.glCode = glCode; this.openedAt = openedAt; }
    }

    /** Balances of customer accounts, loaded from the database on an account's first posting. */
    static final class BalanceDirectory {
        final Map<String, AccountBalance> balances = new ConcurrentHashMap<>();
        long loads;
    }

    static final class RateSnapshot {
        final String key; final double mid; final double[] ladder; final long publishedAt;
        RateSnapshot(String key, double mid, double[] ladder, long publishedAt) { this.key = key; this.mid = mid; this.ladder = ladder; this.publishedAt = publishedAt; }
    }

    /** Hand-written bounded cache of FX snapshots: a map plus a FIFO queue of keys, evicting the oldest. */
    static final class FxRateCache {
        final int capacity;
        final ConcurrentHashMap<String, RateSnapshot> snapshots = new ConcurrentHashMap<>();
        final ArrayDeque<String> insertionOrder = new ArrayDeque<>();
        long evictions; long misses;
        FxRateCache(int capacity) { this.capacity = capacity; }
        synchronized RateSnapshot get(String key, Random rnd, long t) {
            RateSnapshot s = snapshots.get(key);
            if (s != null) return s;
            misses++;
            double[] ladder = new double[64];
            for (int i = 0; i < ladder.length; i++) ladder[i] = 1.0 + rnd.nextDouble() / 100;
            s = new RateSnapshot(key, ladder[0], ladder, t);
            snapshots.put(key, s);
            insertionOrder.addLast(key);
            while (snapshots.size() > capacity) { snapshots.remove(insertionOrder.removeFirst()); evictions++; }
            return s;
        }
    }

    /** One journal line; the ring's slots are allocated once and overwritten. */
    static final class JournalEntry {
        long postingId; String accountNumber; long amountMinor; long valueDate; long bookedAt; final byte[] memo = new byte[48];
    }

    static final class JournalRing {
        final JournalEntry[] slots = new JournalEntry[JOURNAL_RING];
        long written;
        JournalRing() { for (int i = 0; i < JOURNAL_RING; i++) slots[i] = new JournalEntry(); }
        void append(long postingId, String account, long amount, long t) {
            JournalEntry e = slots[(int) (written++ % JOURNAL_RING)];
            e.postingId = postingId; e.accountNumber = account; e.amountMinor = amount; e.valueDate = t - t % DAY; e.bookedAt = t;
        }
    }

    static final class LedgerService {
        final BalanceDirectory directory = new BalanceDirectory();
        final FxRateCache fx = new FxRateCache(FX_CAPACITY);
        final JournalRing journal = new JournalRing();
        final ArrayBlockingQueue<ByteBuffer> postingBuffers = new ArrayBlockingQueue<>(BUFFER_POOL);
        final Properties config = new Properties();
    }

    static String accountNumber(int idx) { return String.format("DE%02d5001%010d", 10 + idx % 89, 3_000_000_000L + idx * 17L); }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 6 : 12;
        int postings = stage == 1 ? 15_000 : stage == 2 ? 60_000 : 120_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(9_020_001);
        LedgerService svc = new LedgerService();
        RUNNING = svc;
        for (int i = 0; i < 80; i++) svc.config.setProperty("ledger.posting.rule." + i, "limit=" + (1000 * i));
        String[] types = {"ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"};
        for (int i = 0; i < GL_ACCOUNTS; i++) {
            String code = String.format("%d%05d", 1 + i % 5, i);
            ChartOfAccounts.BY_CODE.put(code, new GlAccount(code, "GL " + types[i % 5].toLowerCase() + " account " + i + " (" + CURRENCIES[i % CURRENCIES.length] + ")",
                    types[i % 5], String.format("%d%05d", 1 + i % 5, i / 100 * 100), CURRENCIES[i % CURRENCIES.length], i % 100 != 0, now - DAY * (365 + i % 3000)));
        }
        for (int i = 0; i < BUFFER_POOL; i++) svc.postingBuffers.add(ByteBuffer.allocate(16 * 1024));
        String[] glCodes = ChartOfAccounts.BY_CODE.keySet().toArray(new String[0]);
        java.util.Arrays.sort(glCodes);
        for (int i = 0; i < postings; i++) {
            long t = start + hours * HOUR * i / postings;
            int idx = (int) ((i * 7_919L) % CUSTOMER_ACCOUNTS); // the first 40,000 postings touch every account once
            String acct = accountNumber(idx);
            AccountBalance b = svc.directory.balances.get(acct);
            if (b == null) {
                b = new AccountBalance(acct, CURRENCIES[idx % CURRENCIES.length], glCodes[idx % GL_ACCOUNTS], now - DAY * (30 + idx % 4000));
                svc.directory.balances.put(acct, b);
                svc.directory.loads++;
            }
            String pair = CURRENCIES[(i / POSTINGS_PER_RATE) % CURRENCIES.length] + "EUR"; // the batch's settlement rate
            RateSnapshot r = svc.fx.get(pair + "@" + (i / POSTINGS_PER_RATE), rnd, t);
            long amount = (long) ((rnd.nextInt(200_000) - 100_000) * r.mid);
            ByteBuffer buf = svc.postingBuffers.poll();
            buf.clear(); buf.putLong(amount);
            svc.postingBuffers.add(buf);
            b.ledgerMinor += amount; b.availableMinor += amount; b.lastPostingAt = t; b.postings++;
            svc.journal.append(900_000_000L + i, b.accountNumber, amount, t);
        }
        int expectDir = Math.min(postings, CUSTOMER_ACCOUNTS);
        int rates = postings / POSTINGS_PER_RATE;
        System.out.println("stage " + stage + " gl " + ChartOfAccounts.BY_CODE.size() + " balances " + svc.directory.balances.size() + " fx " + svc.fx.snapshots.size()
                + " (evictions " + svc.fx.evictions + ") journal written " + svc.journal.written + " buffers " + svc.postingBuffers.size());
        check(ChartOfAccounts.BY_CODE.size() == GL_ACCOUNTS, "chart");
        check(svc.directory.balances.size() == expectDir && svc.directory.loads == expectDir, "balances");
        check(svc.fx.snapshots.size() == Math.min(rates, FX_CAPACITY) && svc.fx.insertionOrder.size() == svc.fx.snapshots.size()
                && svc.fx.evictions == Math.max(0, rates - FX_CAPACITY) && svc.fx.misses == rates, "fx");
        check(svc.journal.written == postings && svc.postingBuffers.size() == BUFFER_POOL, "journal/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
