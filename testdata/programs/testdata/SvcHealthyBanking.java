// hprofscan-dump: name=svc-healthy-banking jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-banking-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Healthy core-banking service: static bank codes (a plain mutable HashMap in a static field) and
 * postal codes (Map.copyOf), a customer directory by account number (instance ConcurrentHashMap,
 * fully warmed), a TTL session cache purged by idle time (15 min), a database connection pool whose
 * connections are all returned, and 4 ledger workers with a 16 KiB ThreadLocal scratch buffer.
 * The simulated clock advances exactly 1 s per login over 12 hours and ends at the real time.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyBanking {
    static final int BANKS = 3_500;
    static final int POSTAL_CODES = 8_000;
    static final int CUSTOMERS = 12_000;
    static final int LOGINS = 43_200;
    static final long STEP_MILLIS = 1_000;
    static final long SESSION_IDLE_MILLIS = 15 * 60_000;
    static final int PURGE_EVERY = 60;
    static final int EXPECTED_SESSIONS = 901;
    static final int POOL_SIZE = 20;
    static final int WORKERS = 4;
    static final int SCRATCH_BYTES = 16 * 1024;

    enum AccountType { CHECKING, SAVINGS, LOAN }

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

    static final class Bank {
        final String code;
        final String name;
        final String bic;
        final long loadedAt;

        Bank(String code, String name, String bic, long loadedAt) {
            this.code = code;
            this.name = name;
            this.bic = bic;
            this.loadedAt = loadedAt;
        }
    }

    static final class BankCodes {
        static final Map<String, Bank> BANKS = new HashMap<>();

        static void load(long loadedAt) {
            for (int i = 0; i < SvcHealthyBanking.BANKS; i++) {
                String code = Integer.toString(10_000_000 + i * 7);
                BANKS.put(code, new Bank(code, "Genossenschaftsbank " + (10_000 + i), "GENODE" + (10 + i % 90) + "XXX", loadedAt));
            }
        }
    }

    static final class PostalCode {
        final String code;
        final String city;
        final String region;
        final long loadedAt;

        PostalCode(String code, String city, String region, long loadedAt) {
            this.code = code;
            this.city = city;
            this.region = region;
            this.loadedAt = loadedAt;
        }
    }

    static final class PostalCodes {
        static Map<String, PostalCode> CODES;

        static void load(long loadedAt) {
            Map<String, PostalCode> m = new HashMap<>();
            for (int i = 0; i < POSTAL_CODES; i++) {
                String code = Integer.toString(10_000 + i * 11);
                m.put(code, new PostalCode(code, "Town " + (100_000 + i), "R" + (10 + i % 16), loadedAt));
            }
            CODES = Map.copyOf(m);
        }
    }

    static final class Account {
        final String iban;
        final AccountType type;
        BigDecimal balance;
        final long openedAt;

        Account(String iban, AccountType type, BigDecimal balance, long openedAt) {
            this.iban = iban;
            this.type = type;
            this.balance = balance;
            this.openedAt = openedAt;
        }
    }

    static final class Customer {
        final String accountNumber;
        final long id;
        final String name;
        final String email;
        final PostalCode postalCode;
        final Bank bank;
        final List<Account> accounts = new ArrayList<>(2);
        final long createdAt;
        long lastLoginAt;

        Customer(String accountNumber, long id, PostalCode pc, Bank bank, long createdAt) {
            this.accountNumber = accountNumber;
            this.id = id;
            this.name = "Customer " + id;
            this.email = "c" + id + "@mail.example.org";
            this.postalCode = pc;
            this.bank = bank;
            this.createdAt = createdAt;
        }
    }

    /** Customers by account number, loaded from the core database on first use. */
    static final class CustomerDirectory {
        final Map<String, Customer> byAccount = new ConcurrentHashMap<>();
        final List<String> postalKeys;
        final List<String> bankKeys;

        CustomerDirectory() {
            postalKeys = new ArrayList<>(PostalCodes.CODES.keySet());
            postalKeys.sort(null);
            bankKeys = new ArrayList<>(BankCodes.BANKS.keySet());
            bankKeys.sort(null);
        }

        Customer get(int k) {
            String acct = "DE" + (4_000_000_000L + k);
            return byAccount.computeIfAbsent(acct, a -> {
                long id = 1_000_000L + k;
                Customer c = new Customer(a, id, PostalCodes.CODES.get(postalKeys.get(k % POSTAL_CODES)),
                        BankCodes.BANKS.get(bankKeys.get(k % BANKS)), 1_400_000_000_000L + k * 60_000L);
                c.accounts.add(new Account("DE89" + a, AccountType.CHECKING, BigDecimal.valueOf(k * 13L, 2), c.createdAt));
                c.accounts.add(new Account("DE77" + a, k % 2 == 0 ? AccountType.SAVINGS : AccountType.LOAN,
                        BigDecimal.valueOf(k * 101L, 2), c.createdAt));
                return c;
            });
        }
    }

    static final class Session {
        final String token;
        final long customerId;
        final String clientIp;
        final long createdAt;
        long lastAccess;

        Session(String token, long customerId, String clientIp, long now) {
            this.token = token;
            this.customerId = customerId;
            this.clientIp = clientIp;
            this.createdAt = now;
            this.lastAccess = now;
        }
    }

    /** Online-banking sessions; purged when idle longer than idleMillis. */
    static final class SessionCache {
        final Map<String, Session> sessions = new ConcurrentHashMap<>();
        final long idleMillis;
        final LongSupplier clock;
        long purged;

        SessionCache(long idleMillis, LongSupplier clock) {
            this.idleMillis = idleMillis;
            this.clock = clock;
        }

        void purgeExpired() {
            long cutoff = clock.getAsLong() - idleMillis;
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastAccess < cutoff) {
                    it.remove();
                    purged++;
                }
            }
        }
    }

    static final class DbConnection {
        final int id;
        final String url;
        final byte[] socketBuffer = new byte[4_096];
        long lastUsedAt;
        int statements;

        DbConnection(int id) {
            this.id = id;
            this.url = "jdbc:postgresql://core-db-" + (id % 2) + ":5432/ledger";
        }
    }

    static final class ConnectionPool {
        final List<DbConnection> all = new ArrayList<>();
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final int maxSize;

        ConnectionPool(int maxSize) {
            this.maxSize = maxSize;
            for (int i = 0; i < maxSize; i++) {
                DbConnection c = new DbConnection(i);
                all.add(c);
                idle.add(c);
            }
        }

        DbConnection borrow() {
            DbConnection c = idle.poll();
            if (c == null) {
                throw new IllegalStateException("pool exhausted");
            }
            return c;
        }

        void release(DbConnection c) {
            idle.push(c);
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

    static final class LedgerWorkers {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        final ExecutorService pool = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("ledger-worker-"));

        void warmUp() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                fs.add(pool.submit(() -> {
                    barrier.await();
                    return SCRATCH.get().length;
                }));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        }
    }

    static final class BankingService {
        final SimClock clock;
        final CustomerDirectory customers = new CustomerDirectory();
        final SessionCache sessions;
        final ConnectionPool db = new ConnectionPool(POOL_SIZE);
        final LedgerWorkers ledger = new LedgerWorkers();
        final Random tokens = new Random(42);

        BankingService(SimClock clock) {
            this.clock = clock;
            this.sessions = new SessionCache(SESSION_IDLE_MILLIS, clock);
        }

        void login(int n) {
            long now = clock.getAsLong();
            DbConnection c = db.borrow();
            try {
                Customer cust = customers.get((int) ((n * 7L) % CUSTOMERS));
                cust.lastLoginAt = now;
                c.lastUsedAt = now;
                c.statements++;
                String token = new UUID(tokens.nextLong(), tokens.nextLong()).toString();
                sessions.sessions.put(token, new Session(token, cust.id, "10.1." + (n % 250) + "." + (n % 200), now));
            } finally {
                db.release(c);
            }
            if (n % PURGE_EVERY == PURGE_EVERY - 1) {
                sessions.purgeExpired();
            }
        }
    }

    static BankingService RUNNING;

    static void build() throws Exception {
        long end = System.currentTimeMillis();
        long start = end - LOGINS * STEP_MILLIS;
        BankCodes.load(start);
        PostalCodes.load(start);
        SimClock clock = new SimClock(start);
        BankingService s = new BankingService(clock);
        s.ledger.warmUp();
        for (int n = 0; n < LOGINS; n++) {
            clock.now = start + (n + 1) * STEP_MILLIS;
            s.login(n);
        }
        if (s.customers.byAccount.size() != CUSTOMERS || s.sessions.sessions.size() != EXPECTED_SESSIONS
                || s.db.idle.size() != POOL_SIZE || BankCodes.BANKS.size() != BANKS
                || PostalCodes.CODES.size() != POSTAL_CODES) {
            throw new IllegalStateException("unexpected sizes " + s.sessions.sessions.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
