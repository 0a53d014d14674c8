// hprofscan-dump: name=svc-leak-history jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leak #11, series: a card-activity service keeps each customer's activity history as a list in a
 * map keyed by account number "for the fraud model". The set of customers is fixed (2,000) but
 * each list only grows: 10,000 -> 20,000 -> 40,000 events in total (5, 10, 20 per customer).
 * Beside it: static branch reference data, the customer directory (2,000, constant), a ring of
 * the last 4,096 transactions, an access-ordered fraud-score LRU at capacity, and metrics.
 * See testdata/SERVICES.md.
 */
public final class SvcLeakHistory {
    static final int BRANCHES = 500;
    static final int CUSTOMERS = 2_000;
    static final int RING = 4_096;
    static final int SCORE_CAPACITY = 1_000;
    static final int[] EVENTS_AT_DUMP = {10_000, 20_000, 40_000};
    static final long SIM_HOURS = 24;

    enum ActivityType { CARD_PAYMENT, ATM_WITHDRAWAL, TRANSFER_IN, TRANSFER_OUT, LOGIN }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Branch {
        final String sortCode;
        final String name;
        final String city;
        final long loadedAt;

        Branch(String sortCode, int i, long loadedAt) {
            this.sortCode = sortCode;
            this.name = "Branch " + (1000 + i);
            this.city = "City " + (1000 + i % 120);
            this.loadedAt = loadedAt;
        }
    }

    static final class Branches {
        static final TreeMap<String, Branch> BY_SORT_CODE = new TreeMap<>();

        static void load(long loadedAt) {
            for (int i = 0; i < BRANCHES; i++) {
                String code = "20-" + (10 + i / 100) + "-" + (10 + i % 100);
                BY_SORT_CODE.put(code, new Branch(code, i, loadedAt));
            }
        }
    }

    static final class Customer {
        final String accountNumber;
        final String name;
        final Branch branch;
        final BigDecimal creditLimit;
        final long createdAt;
        long lastActivityAt;

        Customer(String accountNumber, Branch branch, long createdAt) {
            this.accountNumber = accountNumber;
            this.name = "Account holder " + accountNumber;
            this.branch = branch;
            this.creditLimit = BigDecimal.valueOf(500_000, 2);
            this.createdAt = createdAt;
        }
    }

    static final class CustomerDirectory {
        final Map<String, Customer> byAccount = new ConcurrentHashMap<>();
        final List<Branch> branches = new ArrayList<>();

        Customer get(int k) {
            if (branches.isEmpty()) {
                branches.addAll(Branches.BY_SORT_CODE.values());
            }
            return byAccount.computeIfAbsent("GB" + (60_000_000 + k), a -> new Customer(a, branches.get(k % BRANCHES), 1_450_000_000_000L + k * 7_200_000L));
        }
    }

    static final class ActivityEvent {
        final long at;
        final ActivityType type;
        final String merchant;
        final BigDecimal amount;

        ActivityEvent(long at, ActivityType type, String merchant, BigDecimal amount) {
            this.at = at;
            this.type = type;
            this.merchant = merchant;
            this.amount = amount;
        }
    }

    /** Full activity history per account, appended forever. */
    static final class CustomerActivity {
        final Map<String, List<ActivityEvent>> history = new HashMap<>();

        void record(String account, ActivityEvent e) {
            history.computeIfAbsent(account, a -> new ArrayList<>()).add(e);
        }
    }

    static final class Transaction {
        final long id;
        final String account;
        final BigDecimal amount;
        final long bookedAt;

        Transaction(long id, String account, BigDecimal amount, long bookedAt) {
            this.id = id;
            this.account = account;
            this.amount = amount;
            this.bookedAt = bookedAt;
        }
    }

    /** The last RING transactions, for the operations dashboard. */
    static final class TransactionRing {
        final Transaction[] ring = new Transaction[RING];
        int next;
        boolean wrapped;

        void add(Transaction t) {
            ring[next] = t;
            next = (next + 1) % RING;
            wrapped |= next == 0;
        }
    }

    static final class FraudScore {
        final String account;
        final double score;
        final long computedAt;

        FraudScore(String account, double score, long computedAt) {
            this.account = account;
            this.score = score;
            this.computedAt = computedAt;
        }
    }

    static final class ScoreCache extends LinkedHashMap<String, FraudScore> {
        final int capacity;

        ScoreCache(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FraudScore> eldest) {
            return size() > capacity;
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> histograms = new ConcurrentHashMap<>();

        void record(String name, long v) {
            histograms.computeIfAbsent(name, k -> new long[32])[(int) (v & 31)]++;
        }
    }

    static final class ActivityService {
        final SimClock clock;
        final CustomerDirectory customers = new CustomerDirectory();
        final CustomerActivity activity = new CustomerActivity();
        final TransactionRing recent = new TransactionRing();
        final ScoreCache scores = new ScoreCache(SCORE_CAPACITY);
        final MetricsRegistry metrics = new MetricsRegistry();
        long events;

        ActivityService(SimClock clock) {
            this.clock = clock;
        }

        void onActivity(long n) {
            long now = clock.getAsLong();
            Customer c = customers.get((int) ((n * 7) % CUSTOMERS));
            c.lastActivityAt = now;
            ActivityType type = ActivityType.values()[(int) (n % 5)];
            BigDecimal amount = BigDecimal.valueOf(100 + (n * 53) % 50_000, 2);
            activity.record(c.accountNumber, new ActivityEvent(now, type, "MCC" + (5000 + n % 900), amount));
            recent.add(new Transaction(n, c.accountNumber, amount, now));
            FraudScore s = scores.get(c.accountNumber);
            if (s == null) {
                scores.put(c.accountNumber, new FraudScore(c.accountNumber, (n % 100) / 100.0, now));
            }
            metrics.record("activity." + type.name().toLowerCase(), n);
            events++;
        }
    }

    static ActivityService RUNNING;

    static void serve(int total) {
        ActivityService s = RUNNING;
        long from = s.clock.now;
        long to = System.currentTimeMillis();
        long first = s.events;
        for (long n = first; n < total; n++) {
            s.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            s.onActivity(n);
        }
        int perCustomer = total / CUSTOMERS;
        for (List<ActivityEvent> l : s.activity.history.values()) {
            if (l.size() != perCustomer) {
                throw new IllegalStateException("uneven history");
            }
        }
        if (s.activity.history.size() != CUSTOMERS || s.customers.byAccount.size() != CUSTOMERS
                || !s.recent.wrapped || s.scores.size() != SCORE_CAPACITY) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long start = System.currentTimeMillis() - SIM_HOURS * 3_600_000L;
        Branches.load(start);
        RUNNING = new ActivityService(new SimClock(start));
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(EVENTS_AT_DUMP[count == 1 ? 2 : d - 1]);
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) {
                new java.io.File(path).setReadable(true, false);
            }
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
