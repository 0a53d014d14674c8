// hprofscan-dump: name=svc-healthy-payments jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Healthy payment gateway, dumped 3 times from one JVM (a series). Nothing leaks: the merchant
 * directory and the FX quote cache warm up to their natural size / cap and then stay flat.
 *
 * Components: static reference data (currencies, banks), MerchantDirectory (instance
 * ConcurrentHashMap by numeric merchant id, lazily loaded), FxRateCache (hand-written FIFO cache,
 * ConcurrentHashMap + ConcurrentLinkedQueue, maxSize 2,000), PaymentJournal (ring buffer of the
 * last 8,192 payments), MetricsRegistry, and a fixed pool of 4 workers with a 32 KiB ThreadLocal
 * scratch buffer each. See testdata/SERVICES.md.
 */
public final class SvcHealthyPayments {
    static final int CURRENCIES = 160;
    static final int BANKS = 4_000;
    static final int MERCHANTS = 6_000;
    static final int FX_MAX = 2_000;
    static final int RING = 8_192;
    static final int WORKERS = 4;
    static final int SCRATCH_BYTES = 32 * 1024;
    static final int[] REQUESTS_AT_DUMP = {4_000, 12_000, 20_000};
    static final long SIM_HOURS = 12;

    enum PaymentMethod { CARD, SEPA, ACH, WALLET, BANK_TRANSFER }

    enum Status { AUTHORIZED, CAPTURED, DECLINED, REFUNDED }

    /** Simulated wall clock: hours of traffic compressed into the run, ending at the real time. */
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

    static final class Currency {
        final String code;
        final String name;
        final int minorUnits;
        final long loadedAt;

        Currency(String code, String name, int minorUnits, long loadedAt) {
            this.code = code;
            this.name = name;
            this.minorUnits = minorUnits;
            this.loadedAt = loadedAt;
        }
    }

    static final class Bank {
        final String bic;
        final String name;
        final String country;
        final long loadedAt;

        Bank(String bic, String name, String country, long loadedAt) {
            this.bic = bic;
            this.name = name;
            this.country = country;
            this.loadedAt = loadedAt;
        }
    }

    /** Loaded once at startup. */
    static final class ReferenceData {
        static Map<String, Currency> CURRENCIES_BY_CODE;
        static final Map<String, Bank> BANKS_BY_BIC = new HashMap<>();

        static void load(long loadedAt) {
            Map<String, Currency> m = new HashMap<>();
            for (int i = 0; i < CURRENCIES; i++) {
                String code = "" + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26) + (char) ('A' + (i * 7) % 26);
                m.put(code, new Currency(code, "Currency " + (1000 + i), i % 3 == 0 ? 0 : 2, loadedAt));
            }
            CURRENCIES_BY_CODE = Map.copyOf(m);
            for (int i = 0; i < BANKS; i++) {
                String bic = "BK" + (10000 + i) + "XX";
                BANKS_BY_BIC.put(bic, new Bank(bic, "Bank of Region " + (10000 + i), "C" + (10 + i % 80), loadedAt));
            }
        }
    }

    static final class Merchant {
        final long id;
        final String name;
        final String email;
        final Currency settlementCurrency;
        final Bank payoutBank;
        final Set<PaymentMethod> methods;
        final long createdAt;
        long lastSeenMillis;

        Merchant(long id, Currency cur, Bank bank, long createdAt) {
            this.id = id;
            this.name = "Merchant " + id;
            this.email = "billing@m" + id + ".example.com";
            this.settlementCurrency = cur;
            this.payoutBank = bank;
            this.methods = id % 2 == 0 ? EnumSet.of(PaymentMethod.CARD, PaymentMethod.WALLET)
                    : EnumSet.of(PaymentMethod.CARD, PaymentMethod.SEPA, PaymentMethod.BANK_TRANSFER);
            this.createdAt = createdAt;
        }
    }

    /** Merchants by database id, loaded lazily on first request; bounded by the merchant table. */
    static final class MerchantDirectory {
        final Map<Long, Merchant> merchants = new ConcurrentHashMap<>();
        final List<Currency> currencies;
        final LongSupplier clock;

        MerchantDirectory(LongSupplier clock) {
            this.clock = clock;
            this.currencies = new ArrayList<>(ReferenceData.CURRENCIES_BY_CODE.values());
            this.currencies.sort((a, b) -> a.code.compareTo(b.code));
        }

        Merchant get(long id) {
            Merchant m = merchants.computeIfAbsent(id, this::loadFromDatabase);
            m.lastSeenMillis = clock.getAsLong();
            return m;
        }

        private Merchant loadFromDatabase(long id) {
            int k = (int) (id - 1_000_000L);
            Bank bank = ReferenceData.BANKS_BY_BIC.get("BK" + (10000 + k % BANKS) + "XX");
            return new Merchant(id, currencies.get(k % currencies.size()), bank, 1_600_000_000_000L + k * 3_600_000L);
        }
    }

    static final class FxQuote {
        final String pair;
        final BigDecimal rate;
        final long quotedAt;
        final long expiresAt;

        FxQuote(String pair, BigDecimal rate, long quotedAt) {
            this.pair = pair;
            this.rate = rate;
            this.quotedAt = quotedAt;
            this.expiresAt = quotedAt + 60_000;
        }
    }

    /** Size-capped FIFO cache: insertion order in a queue, eldest evicted beyond maxSize. */
    static final class FxRateCache {
        final int maxSize;
        final ConcurrentHashMap<String, FxQuote> quotes = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> insertionOrder = new ConcurrentLinkedQueue<>();
        long evictions;

        FxRateCache(int maxSize) {
            this.maxSize = maxSize;
        }

        void put(String key, FxQuote q) {
            if (quotes.put(key, q) == null) {
                insertionOrder.add(key);
            }
            while (quotes.size() > maxSize) {
                String eldest = insertionOrder.poll();
                if (eldest == null) {
                    break;
                }
                quotes.remove(eldest);
                evictions++;
            }
        }
    }

    static final class Payment {
        final long id;
        final long merchantId;
        final BigDecimal amount;
        final Currency currency;
        final PaymentMethod method;
        Status status;
        final String reference;
        final long createdAt;

        Payment(long id, Merchant m, BigDecimal amount, PaymentMethod method, long createdAt) {
            this.id = id;
            this.merchantId = m.id;
            this.amount = amount;
            this.currency = m.settlementCurrency;
            this.method = method;
            this.status = Status.AUTHORIZED;
            this.reference = "PAY-" + (100_000_000L + id);
            this.createdAt = createdAt;
        }
    }

    /** The last RING payments for the dashboard: a ring buffer, oldest slot overwritten. */
    static final class PaymentJournal {
        final Payment[] slots = new Payment[RING];
        long head;
        long tail;

        void append(Payment p) {
            slots[(int) (head % slots.length)] = p;
            head++;
            if (head - tail > slots.length) {
                tail = head - slots.length;
            }
        }

        int size() {
            return (int) (head - tail);
        }
    }

    static final class Histogram {
        final String name;
        final long[] buckets = new long[64];
        long count;
        long sum;

        Histogram(String name) {
            this.name = name;
        }

        void record(long v) {
            buckets[Math.min(63, 64 - Long.numberOfLeadingZeros(Math.max(1, v)))]++;
            count++;
            sum += v;
        }
    }

    static final class MetricsRegistry {
        final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

        Histogram histogram(String name) {
            return histograms.computeIfAbsent(name, Histogram::new);
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Signs settlement files on the worker pool; each worker reuses a 32 KiB scratch buffer. */
    static final class SettlementSigner {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("payments-worker-"));

        long sign(long batch) {
            byte[] buf = SCRATCH.get();
            buf[(int) (batch % buf.length)] ^= (byte) batch;
            return batch * 31 + buf.length;
        }

        /** Every worker signs once at startup (the barrier makes each of the 4 threads take one). */
        void warmUp() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                long b = i;
                fs.add(workers.submit(() -> {
                    barrier.await();
                    return sign(b);
                }));
            }
            for (Future<Long> f : fs) {
                f.get();
            }
        }
    }

    /** The request handler layer. */
    static final class PaymentService {
        final SimClock clock;
        final MerchantDirectory merchants;
        final FxRateCache fx = new FxRateCache(FX_MAX);
        final PaymentJournal journal = new PaymentJournal();
        final MetricsRegistry metrics = new MetricsRegistry();
        final SettlementSigner signer = new SettlementSigner();
        final PaymentMethod[] methods = PaymentMethod.values();
        long requests;

        PaymentService(SimClock clock) {
            this.clock = clock;
            this.merchants = new MerchantDirectory(clock);
            for (String op : new String[] {"authorize", "capture", "refund", "fx", "settle", "lookup"}) {
                for (String m : new String[] {"latency", "size", "retries", "queue"}) {
                    metrics.histogram("payments." + op + "." + m);
                }
            }
        }

        void handle(long n) {
            long now = clock.getAsLong();
            Merchant m = merchants.get(1_000_000L + (n * 7) % MERCHANTS);
            BigDecimal amount = BigDecimal.valueOf(100 + (n * 37) % 100_000, 2);
            Payment p = new Payment(n, m, amount, methods[(int) (n % methods.length)], now);
            if (n % 3 == 0) {
                p.status = Status.CAPTURED;
            }
            journal.append(p);
            if (n % 5 == 0) {
                String pair = "EUR" + m.settlementCurrency.code;
                fx.put(pair + "-" + n, new FxQuote(pair, amount.divide(BigDecimal.valueOf(97), 6, RoundingMode.HALF_UP), now));
                metrics.histogram("payments.fx.latency").record(n % 300);
            }
            metrics.histogram("payments.authorize.latency").record(n % 1000);
            requests++;
        }
    }

    static PaymentService RUNNING;

    static void start(long startedAt) throws Exception {
        ReferenceData.load(startedAt);
        RUNNING = new PaymentService(new SimClock(startedAt));
        RUNNING.signer.warmUp();
    }

    /** Serves requests up to {@code total}, spread evenly from the clock's time to the real now. */
    static void serve(int total) {
        PaymentService s = RUNNING;
        long from = s.clock.now;
        long to = System.currentTimeMillis();
        long first = s.requests;
        for (long n = first; n < total; n++) {
            s.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            s.handle(n);
        }
        int expectMerchants = Math.min(total, MERCHANTS);
        if (s.merchants.merchants.size() != expectMerchants || s.fx.quotes.size() != Math.min(total / 5, FX_MAX)
                || s.fx.insertionOrder.size() != s.fx.quotes.size() || s.journal.size() != Math.min(total, RING)) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        start(now - SIM_HOURS * 3_600_000L);
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(REQUESTS_AT_DUMP[count == 1 ? 2 : d - 1]);
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
