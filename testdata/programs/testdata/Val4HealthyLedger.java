// hprofscan-dump: name=val4-healthy-ledger-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED" variants=jcmd
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), HEALTHY: a double-entry ledger (posting service) that does
 * right what several leaking services of this set do wrong.
 *
 * <p>Its JDBC-style connections cache prepared statements per connection, but the SQL is
 * parameterised (48 distinct texts) and each cache is an LRU of at most 64 ({@code LinkedHashMap},
 * {@code removeEldestEntry}): 10 connections x 48 statements. It replicates journal batches to a
 * standby over one long-lived {@code ObjectOutputStream} and calls {@code reset()} after every
 * batch, so the stream's handle table is empty between batches. Its ORM session's persistence
 * context is cleared after every batch of 200 postings: it holds only the current batch (120 at
 * dump time). It registers one shutdown hook, at startup. Beside those: the chart of accounts
 * (reference data, 8,000), a customer-account directory keyed by IBAN and loaded lazily (bounded
 * by the 20,000 accounts, fully warmed), a balance cache ({@code HashMap} + FIFO queue, at its
 * capacity of 5,000), a ring of the last 4,096 postings, metrics. 60,120 postings over 10
 * simulated hours ending now. Nothing here is a leak. See testdata/VALIDATION4.md.
 */
public final class Val4HealthyLedger {
    static final int GL_ACCOUNTS = 8_000;
    static final int CUSTOMER_ACCOUNTS = 20_000;
    static final int CONNECTIONS = 10;
    static final int SQL_TEXTS = 48;
    static final int STATEMENT_LRU = 64;
    static final int BALANCE_CACHE = 5_000;
    static final int RING = 4_096;
    static final int BATCH = 200;
    static final int POSTINGS = 60_120;
    static final long SIM_MILLIS = 10L * 3600_000L;

    static PostingService RUNNING;

    static final class GlAccount {
        final String code; final String name; final String type; final String parentCode; final long loadedAt;
        GlAccount(String code, String name, String type, String parentCode, long loadedAt) { this.code = code; this.name = name; this.type = type; this.parentCode = parentCode; this.loadedAt = loadedAt; }
    }

    static final class ChartOfAccounts {
        static final Map<String, GlAccount> ACCOUNTS_BY_CODE = new HashMap<>();
        static void load(long now) {
            String[] types = {"ASSET", "LIABILITY", "EQUITY", "INCOME", "EXPENSE"};
            for (int i = 0; i < GL_ACCOUNTS; i++) {
                String code = String.valueOf(100_000 + i);
                ACCOUNTS_BY_CODE.put(code, new GlAccount(code, "GL account " + i, types[i % 5], String.valueOf(100_000 + i / 50), now));
            }
        }
    }

    static final class CustomerAccount {
        final String iban; final long customerId; final String glCode; final String currency; final long openedAt; final long loadedAt;
        CustomerAccount(String iban, long customerId, String glCode, String currency, long openedAt, long loadedAt) { this.iban = iban; this.customerId = customerId; this.glCode = glCode; this.currency = currency; this.openedAt = openedAt; this.loadedAt = loadedAt; }
    }

    static final class AccountDirectory {
        final Map<String, CustomerAccount> byIban = new ConcurrentHashMap<>();
        CustomerAccount get(String iban, int n, long now) {
            return byIban.computeIfAbsent(iban, k -> new CustomerAccount(k, 7_000_000L + n, String.valueOf(100_000 + n % GL_ACCOUNTS), "EUR", now - 86_400_000L * (1 + n % 3_000), now));
        }
    }

    static final class PreparedStatementImpl {
        final String sql; final int[] paramTypes; final byte[] describeBuffer = new byte[256]; final long preparedAt; long lastUsedAt; int useCount;
        PreparedStatementImpl(String sql, int params, long now) { this.sql = sql; this.paramTypes = new int[params]; this.preparedAt = now; this.lastUsedAt = now; }
    }

    static final class StatementLru extends LinkedHashMap<String, PreparedStatementImpl> {
        final int maxStatements;
        StatementLru(int maxStatements) { super(maxStatements * 2, 0.75f, true); this.maxStatements = maxStatements; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStatementImpl> e) { return size() > maxStatements; }
    }

    static final class JdbcConnection {
        final int id; final byte[] socketBuffer = new byte[16_384]; final StatementLru statementCache = new StatementLru(STATEMENT_LRU); long lastUsedAt;
        JdbcConnection(int id, long now) { this.id = id; this.lastUsedAt = now; }
        void execute(int sqlNo, long now) {
            String sql = "INSERT INTO ledger_" + (sqlNo % 6) + " /* s" + sqlNo + " */ (entry_id, account, amount, posted_at) VALUES (?, ?, ?, ?)";
            PreparedStatementImpl ps = statementCache.get(sql);
            if (ps == null) { ps = new PreparedStatementImpl(sql, 4, now); statementCache.put(sql, ps); }
            ps.lastUsedAt = now; ps.useCount++; lastUsedAt = now;
        }
    }

    static final class JournalEntry implements Serializable {
        private static final long serialVersionUID = 1L;
        final long entryId; final String debit; final String credit; final long amountMinor; final long postedAt;
        JournalEntry(long entryId, String debit, String credit, long amountMinor, long postedAt) { this.entryId = entryId; this.debit = debit; this.credit = credit; this.amountMinor = amountMinor; this.postedAt = postedAt; }
    }

    static final class StandbyStream extends OutputStream {
        long bytesSent;
        @Override public void write(int b) { bytesSent++; }
        @Override public void write(byte[] b, int off, int len) { bytesSent += len; }
    }

    static final class JournalReplicator {
        final StandbyStream socket = new StandbyStream(); final ObjectOutputStream out; long batches;
        JournalReplicator() throws IOException { out = new ObjectOutputStream(socket); }
        void sendBatch(List<JournalEntry> batch) throws IOException {
            for (JournalEntry e : batch) out.writeObject(e);
            out.reset(); // forget the handles: nothing written stays reachable from the stream
            out.flush();
            batches++;
        }
    }

    static final class EntityKey {
        final String entityName; final long id;
        EntityKey(String entityName, long id) { this.entityName = entityName; this.id = id; }
        @Override public boolean equals(Object o) { return o instanceof EntityKey && ((EntityKey) o).id == id && ((EntityKey) o).entityName.equals(entityName); }
        @Override public int hashCode() { return Objects.hash(entityName, id); }
    }

    static final class PersistenceContext {
        final Map<EntityKey, Object> entitiesByKey = new HashMap<>();
        final Map<EntityKey, Object[]> entitySnapshots = new HashMap<>();
        void add(EntityKey k, Object e, Object[] state) { entitiesByKey.put(k, e); entitySnapshots.put(k, state); }
        void clear() { entitiesByKey.clear(); entitySnapshots.clear(); }
    }

    static final class OrmSession {
        final PersistenceContext context = new PersistenceContext(); long flushes;
    }

    static final class CachedBalance {
        final String iban; final long balanceMinor; final long asOf;
        CachedBalance(String iban, long balanceMinor, long asOf) { this.iban = iban; this.balanceMinor = balanceMinor; this.asOf = asOf; }
    }

    static final class BalanceCache {
        final Map<String, CachedBalance> entries = new HashMap<>();
        final ArrayDeque<String> insertionOrder = new ArrayDeque<>();
        final int capacity; long evictions;
        BalanceCache(int capacity) { this.capacity = capacity; }
        void put(String iban, CachedBalance b) {
            if (entries.put(iban, b) == null) insertionOrder.addLast(iban);
            while (entries.size() > capacity) { entries.remove(insertionOrder.pollFirst()); evictions++; }
        }
    }

    static final class PostingService {
        final AccountDirectory accounts = new AccountDirectory();
        final List<JdbcConnection> connections = new ArrayList<>();
        final JournalReplicator replicator;
        final OrmSession session = new OrmSession();
        final List<JournalEntry> batch = new ArrayList<>(BATCH);
        final BalanceCache balances = new BalanceCache(BALANCE_CACHE);
        final JournalEntry[] recent = new JournalEntry[RING];
        long recentNext, entrySeq = 5_000_000_000L;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        final Thread shutdownHook;
        PostingService(long now) throws IOException {
            replicator = new JournalReplicator();
            for (int i = 0; i < CONNECTIONS; i++) connections.add(new JdbcConnection(i, now));
            shutdownHook = new Thread(() -> { try { replicator.out.flush(); } catch (IOException ignored) { } }, "ledger-journal-flush");
            Runtime.getRuntime().addShutdownHook(shutdownHook); // once, at startup
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void post(String debitIban, int dn, String creditIban, int cn, long amount, int sqlNo, long now) throws IOException {
            CustomerAccount d = accounts.get(debitIban, dn, now), c = accounts.get(creditIban, cn, now);
            JournalEntry e = new JournalEntry(entrySeq++, d.iban, c.iban, amount, now);
            connections.get((int) (e.entryId % CONNECTIONS)).execute(sqlNo, now);
            session.context.add(new EntityKey("JournalEntry", e.entryId), e, new Object[] {e.debit, e.credit, e.amountMinor, e.postedAt});
            batch.add(e);
            recent[(int) (recentNext++ % RING)] = e;
            balances.put(d.iban, new CachedBalance(d.iban, -amount, now));
            balances.put(c.iban, new CachedBalance(c.iban, amount, now));
            if (batch.size() == BATCH) {
                replicator.sendBatch(batch);
                session.flushes++;
                session.context.clear(); // end of the unit of work
                batch.clear();
            }
            count("posting");
        }
    }

    static int handleTableSize(ObjectOutputStream out) {
        try {
            java.lang.reflect.Field hf = ObjectOutputStream.class.getDeclaredField("handles");
            hf.setAccessible(true);
            Object h = hf.get(out);
            java.lang.reflect.Method m = h.getClass().getDeclaredMethod("size");
            m.setAccessible(true);
            return (Integer) m.invoke(h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    static int hookCount() {
        try {
            java.lang.reflect.Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(null)).size();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        PostingService svc = new PostingService(start);
        RUNNING = svc;
        ChartOfAccounts.load(start);
        Random rnd = new Random(4_040_909);
        long end = System.currentTimeMillis();
        for (int i = 0; i < POSTINGS; i++) {
            long t = start + (end - start) * i / POSTINGS;
            // Accounts warm lazily: the first 10,000 postings touch all 20,000 accounts once.
            int dn = i < CUSTOMER_ACCOUNTS / 2 ? 2 * i : rnd.nextInt(CUSTOMER_ACCOUNTS);
            int cn = i < CUSTOMER_ACCOUNTS / 2 ? 2 * i + 1 : rnd.nextInt(CUSTOMER_ACCOUNTS);
            svc.post("DE89" + (370_400_440_000_000L + dn), dn, "DE89" + (370_400_440_000_000L + cn), cn, 100 + rnd.nextInt(1_000_000), i < SQL_TEXTS * CONNECTIONS ? i / CONNECTIONS : rnd.nextInt(SQL_TEXTS), t);
        }
        int handles = handleTableSize(svc.replicator.out), hooks = hookCount();
        System.out.println("accounts " + svc.accounts.byIban.size() + " balances " + svc.balances.entries.size() + " context " + svc.session.context.entitiesByKey.size()
                + " batch " + svc.batch.size() + " handles " + handles + " hooks " + hooks);
        for (JdbcConnection c : svc.connections) check(c.statementCache.size() == SQL_TEXTS, "statements on " + c.id + ": " + c.statementCache.size());
        check(svc.accounts.byIban.size() == CUSTOMER_ACCOUNTS, "accounts");
        check(svc.balances.entries.size() == BALANCE_CACHE && svc.balances.insertionOrder.size() == BALANCE_CACHE, "balances");
        check(svc.session.context.entitiesByKey.size() == POSTINGS % BATCH && svc.batch.size() == POSTINGS % BATCH, "context");
        check(handles == -1 || handles == 0, "handles " + handles);
        check(hooks == -1 || hooks == 1, "hooks " + hooks);
        check(ChartOfAccounts.ACCOUNTS_BY_CODE.size() == GL_ACCOUNTS, "gl");
        check(svc.recentNext >= RING, "ring");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
