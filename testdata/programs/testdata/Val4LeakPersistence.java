// hprofscan-dump: name=val4-leak-persistence-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), LEAKING: a loyalty-points service on a hand-written
 * Hibernate-like ORM whose session (unit of work) is opened once at startup and never cleared.
 *
 * <p>The {@code OrmSession}'s {@code PersistenceContext} keeps every entity it has loaded or
 * persisted in {@code entitiesByKey} ({@code HashMap<EntityKey, Object>}, the first-level cache)
 * and a copy of its loaded state in {@code entitySnapshots} ({@code HashMap<EntityKey,
 * Object[]>}, for dirty checking). A session should live for one request or one batch; this one
 * is a singleton field of the service, so every member looked up and every points transaction
 * written since startup stays: 6,000 members and 30,000 transactions over 12 simulated hours
 * ending now (each request loads one member and persists one transaction; the context is
 * flushed, never cleared). The keys are database ids (entity name + long id).
 *
 * <p>Healthy beside it: tier rules and a reward catalog (reference data: 4,000 + 8,000), a partner
 * directory (1,500), a second-level entity cache done right (a {@code ConcurrentHashMap} + FIFO
 * queue, at its capacity of 5,000), a pool of 10 database connections (all idle), an outbox ring
 * of the last 2,048 events, metrics. See testdata/VALIDATION4.md.
 */
public final class Val4LeakPersistence {
    static final int MEMBERS = 6_000;
    static final int TRANSACTIONS = 30_000;
    static final int TIER_RULES = 4_000;
    static final int REWARDS = 8_000;
    static final int PARTNERS = 1_500;
    static final int L2_MAX = 5_000;
    static final int DB_CONNECTIONS = 10;
    static final int OUTBOX = 2_048;
    static final long SIM_MILLIS = 12L * 3600_000L;

    static LoyaltyService RUNNING;

    static final class EntityKey {
        final String entityName; final long id;
        EntityKey(String entityName, long id) { this.entityName = entityName; this.id = id; }
        @Override public boolean equals(Object o) { return o instanceof EntityKey && ((EntityKey) o).id == id && ((EntityKey) o).entityName.equals(entityName); }
        @Override public int hashCode() { return Objects.hash(entityName, id); }
    }

    static final class MemberEntity {
        long id; String email; String tier; long pointsBalance; String countryCode; long enrolledAt; long lastActivityAt;
    }

    static final class PointsTransaction {
        long id; long memberId; long partnerId; long points; String reason; BigDecimal spend; long createdAt;
    }

    static final class PersistenceContext {
        final Map<EntityKey, Object> entitiesByKey = new HashMap<>();
        final Map<EntityKey, Object[]> entitySnapshots = new HashMap<>();
        long flushes;
        void add(EntityKey k, Object entity, Object[] state) { entitiesByKey.put(k, entity); entitySnapshots.put(k, state); }
        void clear() { entitiesByKey.clear(); entitySnapshots.clear(); }
    }

    static final class OrmSession {
        final PersistenceContext context = new PersistenceContext();
        final long openedAt;
        OrmSession(long openedAt) { this.openedAt = openedAt; }

        MemberEntity findMember(long id, Random rnd, long now) {
            EntityKey k = new EntityKey("Member", id);
            Object e = context.entitiesByKey.get(k);
            if (e != null) return (MemberEntity) e;
            MemberEntity m = new MemberEntity();
            m.id = id; m.email = "member" + id + "@example.com"; m.tier = (id % 4 == 0) ? "GOLD" : "SILVER";
            m.pointsBalance = rnd.nextInt(100_000); m.countryCode = (id % 3 == 0) ? "DE" : "FR";
            m.enrolledAt = now - 86_400_000L * (1 + (id % 900)); m.lastActivityAt = now;
            context.add(k, m, new Object[] {m.email, m.tier, m.pointsBalance, m.countryCode, m.enrolledAt, m.lastActivityAt});
            return m;
        }

        void persist(PointsTransaction t) {
            context.add(new EntityKey("PointsTransaction", t.id), t, new Object[] {t.memberId, t.partnerId, t.points, t.reason, t.spend, t.createdAt});
        }

        void flush() { context.flushes++; }
    }

    static final class TierRule {
        final String code; final String tier; final String partnerCategory; final BigDecimal multiplier; final long loadedAt;
        TierRule(String code, String tier, String partnerCategory, BigDecimal multiplier, long loadedAt) { this.code = code; this.tier = tier; this.partnerCategory = partnerCategory; this.multiplier = multiplier; this.loadedAt = loadedAt; }
    }

    static final class Reward {
        final long id; final String title; final long costPoints; final String description; final long loadedAt;
        Reward(long id, String title, long costPoints, String description, long loadedAt) { this.id = id; this.title = title; this.costPoints = costPoints; this.description = description; this.loadedAt = loadedAt; }
    }

    static final class ReferenceData {
        static final Map<String, TierRule> TIER_RULES_BY_CODE = new HashMap<>();
        static final List<Reward> REWARD_CATALOG = new ArrayList<>();
    }

    static final class Partner {
        final long id; final String name; final String category; final String apiEndpoint;
        Partner(long id, String name, String category, String apiEndpoint) { this.id = id; this.name = name; this.category = category; this.apiEndpoint = apiEndpoint; }
    }

    static final class CachedBalance {
        final long memberId; final long points; final long cachedAt;
        CachedBalance(long memberId, long points, long cachedAt) { this.memberId = memberId; this.points = points; this.cachedAt = cachedAt; }
    }

    /** Second-level cache region: bounded map + FIFO eviction queue. */
    static final class SecondLevelCache {
        final ConcurrentHashMap<Long, CachedBalance> region = new ConcurrentHashMap<>();
        final ArrayDeque<Long> fifo = new ArrayDeque<>();
        final int capacity; long evictions;
        SecondLevelCache(int capacity) { this.capacity = capacity; }
        void put(long id, CachedBalance b) {
            if (region.put(id, b) == null) fifo.addLast(id);
            while (region.size() > capacity) { region.remove(fifo.pollFirst()); evictions++; }
        }
    }

    static final class DbConnection {
        final int id; final byte[] wireBuffer = new byte[8_192]; long lastUsedAt;
        DbConnection(int id, long now) { this.id = id; this.lastUsedAt = now; }
    }

    static final class OutboxEvent {
        final String type; final long aggregateId; final String payload; final long at;
        OutboxEvent(String type, long aggregateId, String payload, long at) { this.type = type; this.aggregateId = aggregateId; this.payload = payload; this.at = at; }
    }

    static final class LoyaltyService {
        final OrmSession session; // BUG: one session for the life of the process
        final Map<Long, Partner> partners = new HashMap<>();
        final SecondLevelCache balances = new SecondLevelCache(L2_MAX);
        final ArrayBlockingQueue<DbConnection> connections = new ArrayBlockingQueue<>(DB_CONNECTIONS);
        final OutboxEvent[] outbox = new OutboxEvent[OUTBOX];
        long outboxNext, txnSeq = 880_000_000L;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        LoyaltyService(long now) { session = new OrmSession(now); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void earn(long memberId, long partnerId, BigDecimal spend, Random rnd, long now) throws InterruptedException {
            DbConnection c = connections.take();
            try {
                MemberEntity m = session.findMember(memberId, rnd, now);
                long points = spend.longValue() * (m.tier.equals("GOLD") ? 2 : 1);
                PointsTransaction t = new PointsTransaction();
                t.id = txnSeq++; t.memberId = memberId; t.partnerId = partnerId; t.points = points; t.reason = "EARN"; t.spend = spend; t.createdAt = now;
                session.persist(t);
                m.pointsBalance += points; m.lastActivityAt = now;
                session.flush(); // flushed, never cleared
                balances.put(memberId, new CachedBalance(memberId, m.pointsBalance, now));
                outbox[(int) (outboxNext++ % OUTBOX)] = new OutboxEvent("PointsEarned", memberId, "{\"points\":" + points + "}", now);
                c.lastUsedAt = now;
            } finally {
                connections.put(c);
            }
            count("earn");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        LoyaltyService svc = new LoyaltyService(start);
        RUNNING = svc;
        String[] tiers = {"BASIC", "SILVER", "GOLD", "PLATINUM"};
        String[] cats = {"AIRLINE", "HOTEL", "RETAIL", "FUEL", "DINING"};
        for (int i = 0; i < TIER_RULES; i++) {
            String code = "TR-" + (60_000 + i);
            ReferenceData.TIER_RULES_BY_CODE.put(code, new TierRule(code, tiers[i % 4], cats[i % 5], BigDecimal.valueOf(100 + i % 200, 2), start));
        }
        for (int i = 0; i < REWARDS; i++) ReferenceData.REWARD_CATALOG.add(new Reward(70_000L + i, "Reward " + i, 500 + (i % 100) * 250L, "Redeem for item " + i + " in the catalog", start));
        for (int i = 0; i < PARTNERS; i++) svc.partners.put(10_000L + i, new Partner(10_000L + i, "Partner " + i, cats[i % 5], "https://partner" + i + ".example.com/api"));
        for (int i = 0; i < DB_CONNECTIONS; i++) svc.connections.add(new DbConnection(i, start));
        Random rnd = new Random(4_040_404);
        long end = System.currentTimeMillis();
        for (int i = 0; i < TRANSACTIONS; i++) {
            long t = start + (end - start) * i / TRANSACTIONS;
            long member = 3_000_000L + (i < MEMBERS ? i : rnd.nextInt(MEMBERS));
            svc.earn(member, 10_000L + rnd.nextInt(PARTNERS), BigDecimal.valueOf(100 + rnd.nextInt(50_000), 2), rnd, t);
        }
        PersistenceContext pc = svc.session.context;
        int members = 0, txns = 0;
        for (Object e : pc.entitiesByKey.values()) { if (e instanceof MemberEntity) members++; else if (e instanceof PointsTransaction) txns++; }
        System.out.println("context " + pc.entitiesByKey.size() + " members " + members + " txns " + txns + " l2 " + svc.balances.region.size());
        check(members == MEMBERS && txns == TRANSACTIONS, "context members " + members + " txns " + txns);
        check(pc.entitiesByKey.size() == MEMBERS + TRANSACTIONS && pc.entitySnapshots.size() == MEMBERS + TRANSACTIONS, "context size");
        check(svc.balances.region.size() == L2_MAX && svc.balances.fifo.size() == L2_MAX, "l2 " + svc.balances.region.size());
        check(svc.connections.size() == DB_CONNECTIONS, "connections");
        check(svc.partners.size() == PARTNERS, "partners");
        check(ReferenceData.TIER_RULES_BY_CODE.size() == TIER_RULES && ReferenceData.REWARD_CATALOG.size() == REWARDS, "reference data");
        check(svc.outboxNext >= OUTBOX, "outbox");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
