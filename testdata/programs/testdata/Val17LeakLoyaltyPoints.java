// hprofscan-dump: name=val17-leak-loyalty jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val17-leak-loyalty-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 17 (written blind), LEAK: the points-redemption API of a retail loyalty
 * programme. Every redemption is timed in the static metrics registry
 * {@code Metrics.TIMERS}; the bug: the redemption endpoint names its timer after the member
 * ("loyalty.redeem.member.&lt;memberId&gt;.latency" instead of the member's tier), so the static
 * registry gains a timer with its 40-bucket histogram for every member who ever redeems, and
 * nothing removes them. Legitimate beside it, bigger: the reward catalogue and the partner-store
 * directory (static maps loaded at startup), the member-account LRU at its cap, the points-ledger
 * write-behind queue, the service's 45 fixed timers and a fixed HTTP pool.
 * See testdata/VALIDATION17.md.
 */
public final class Val17LeakLoyaltyPoints {
    static final int REWARDS = 45_000;
    static final int STORES = 20_000;
    static final int MEMBERS = 2_000_000;
    static final int ACCOUNT_CAP = 8_000;
    static final int REDEMPTIONS_PER_HOUR = 2_400;
    static final long SIM_HOURS = 10;
    static final int BUCKETS = 40;
    static final int FIXED_TIMERS = 45;
    static final int HTTP_THREADS = 8;
    static final int LEDGER_CAP = 5_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static LoyaltyService LOYALTY;

    static final class Reward { final String sku; final String title; final String description; final int pointsCost; final int[] monthlyStock;
        Reward(String sku, String title, String description, int pointsCost, int[] monthlyStock) { this.sku = sku; this.title = title; this.description = description; this.pointsCost = pointsCost; this.monthlyStock = monthlyStock; } }

    /** Reference data: the reward catalogue, loaded at startup. */
    static final class RewardCatalog {
        static final Map<String, Reward> REWARDS_BY_SKU = new HashMap<>();
        static final List<Reward> ALL = new ArrayList<>();
    }

    static final class Store { final int id; final String name; final String postcode; final double lat; final double lon; final String partner;
        Store(int id, String name, String postcode, double lat, double lon, String partner) { this.id = id; this.name = name; this.postcode = postcode; this.lat = lat; this.lon = lon; this.partner = partner; } }

    /** Reference data: the partner stores where points can be earned and redeemed. */
    static final class PartnerStores {
        static final Map<Integer, Store> BY_ID = new HashMap<>();
    }

    static final class Timer { final String name; long count; long sumMicros; long maxMicros; final long[] buckets = new long[BUCKETS]; long lastAt;
        Timer(String name) { this.name = name; }
        void record(long micros, long at) { count++; sumMicros += micros; maxMicros = Math.max(maxMicros, micros); buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(micros + 1))]++; lastAt = at; } }

    /** The process-wide metrics registry. */
    static final class Metrics {
        static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();
        static Timer timer(String name) { return TIMERS.computeIfAbsent(name, Timer::new); }
    }

    static final class MemberAccount { final String memberId; final String tier; long points; long lastRedeemAt; final String email;
        MemberAccount(String memberId, String tier, long points, String email) { this.memberId = memberId; this.tier = tier; this.points = points; this.email = email; } }

    static final class AccountLru extends LinkedHashMap<String, MemberAccount> {
        long evicted;
        AccountLru() { super(16_384, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MemberAccount> e) { if (size() > ACCOUNT_CAP) { evicted++; return true; } return false; }
    }

    static final class LedgerEntry { final String memberId; final String rewardSku; final int storeId; final long points; final long at;
        LedgerEntry(String memberId, String rewardSku, int storeId, long points, long at) { this.memberId = memberId; this.rewardSku = rewardSku; this.storeId = storeId; this.points = points; this.at = at; } }

    static final class LoyaltyService {
        final AccountLru accounts = new AccountLru();
        final ArrayBlockingQueue<LedgerEntry> ledgerWriteBehind = new ArrayBlockingQueue<>(LEDGER_CAP);
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "loyalty-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final boolean fixed;
        long flushed;
        long accountLoads;
        LoyaltyService(boolean fixed) { this.fixed = fixed; }

        MemberAccount account(String memberId, Random rnd) {
            MemberAccount a = accounts.get(memberId);
            if (a == null) {
                accountLoads++;
                String[] tiers = {"blue", "silver", "gold", "platinum"};
                a = new MemberAccount(memberId, tiers[Math.abs(memberId.hashCode()) % 4], 5_000 + rnd.nextInt(200_000), memberId.toLowerCase() + "@mail.example.com");
                accounts.put(memberId, a);
            }
            return a;
        }

        void redeem(String memberId, Reward reward, Store store, long t, long micros, Random rnd) {
            MemberAccount a = account(memberId, rnd);
            a.points -= reward.pointsCost;
            a.lastRedeemAt = t;
            ledgerWriteBehind.add(new LedgerEntry(memberId, reward.sku, store.id, reward.pointsCost, t));
            Metrics.timer("loyalty.redeem.all.latency").record(micros, t);
            // BUG: the timer is named per member (the fixed variant, only for measuring, names it per tier).
            Metrics.timer(fixed ? "loyalty.redeem.tier." + a.tier + ".latency" : "loyalty.redeem.member." + memberId + ".latency").record(micros, t);
        }

        void flushLedger() { flushed += ledgerWriteBehind.size(); ledgerWriteBehind.clear(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val17.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(17_030_003);
        LoyaltyService svc = new LoyaltyService(fixed);
        LOYALTY = svc;
        for (int i = 0; i < 25; i++) svc.config.setProperty("loyalty.partner." + i + ".rate", Integer.toString(1 + i % 5));
        String[] kinds = {"Gift card", "Cinema tickets", "Coffee machine", "Weekend break", "Headphones", "Kitchen knife set", "Spa voucher", "Bluetooth speaker"};
        for (int i = 0; i < REWARDS; i++) {
            int[] stock = new int[12];
            for (int k = 0; k < 12; k++) stock[k] = rnd.nextInt(500);
            String sku = "RW-" + (600_000 + i);
            Reward r = new Reward(sku, kinds[i % kinds.length] + " " + (i % 700), "Redeem for a " + kinds[i % kinds.length].toLowerCase() + " from partner " + (i % 300) + "; delivered in 3-5 working days, subject to availability", 500 + rnd.nextInt(40_000), stock);
            RewardCatalog.REWARDS_BY_SKU.put(sku, r);
            RewardCatalog.ALL.add(r);
        }
        String[] partners = {"FreshMart", "FuelNow", "BookNook", "HomeHub", "StyleCo"};
        for (int i = 0; i < STORES; i++) {
            Store s = new Store(40_000 + i, partners[i % partners.length] + " store " + i, "LS" + (1 + i % 30) + " " + (1 + i % 9) + "AB", 53 + rnd.nextDouble(), -1.5 + rnd.nextDouble(), partners[i % partners.length]);
            PartnerStores.BY_ID.put(s.id, s);
        }
        String[] fixedNames = {"http.server.requests", "loyalty.earn.latency", "loyalty.balance.latency", "db.ledger.write", "db.account.read", "cache.account.hit", "cache.account.miss", "partner.api.call", "queue.ledger.depth"};
        for (int i = 0; i < FIXED_TIMERS - 1; i++) Metrics.timer(fixedNames[i % fixedNames.length] + "." + (i / fixedNames.length)).record(100 + i, start);
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Redemptions spread evenly up to the dump; the ledger is written every 5 minutes.
        int redemptions = (int) (REDEMPTIONS_PER_HOUR * SIM_HOURS);
        java.util.Set<String> members = new java.util.HashSet<>();
        long nextFlush = start + 5 * MINUTE;
        for (int i = 0; i < redemptions; i++) {
            long t = start + (now - start) * i / redemptions;
            while (nextFlush <= t) { svc.flushLedger(); nextFlush += 5 * MINUTE; }
            // a fifth of the redemptions come from a small set of very active members
            String memberId = rnd.nextInt(5) == 0 ? "M" + (10_000_000 + rnd.nextInt(2_000)) : "M" + (10_000_000 + rnd.nextInt(MEMBERS));
            members.add(memberId);
            svc.redeem(memberId, RewardCatalog.ALL.get(rnd.nextInt(REWARDS)), PartnerStores.BY_ID.get(40_000 + rnd.nextInt(STORES)), t, 200 + rnd.nextInt(90_000), rnd);
        }
        int perMember = 0, perTier = 0;
        for (String k : Metrics.TIMERS.keySet()) { if (k.startsWith("loyalty.redeem.member.")) perMember++; if (k.startsWith("loyalty.redeem.tier.")) perTier++; }
        int pending = svc.ledgerWriteBehind.size();
        System.out.println((fixed ? "FIXED " : "") + "rewards " + RewardCatalog.REWARDS_BY_SKU.size() + " stores " + PartnerStores.BY_ID.size() + " redemptions " + redemptions + " distinct members " + members.size() + " timers " + Metrics.TIMERS.size() + " (per member " + perMember + ", per tier " + perTier + ") accounts " + svc.accounts.size() + " (evicted " + svc.accounts.evicted + ") ledger pending " + pending + " flushed " + svc.flushed);
        check(RewardCatalog.REWARDS_BY_SKU.size() == REWARDS && PartnerStores.BY_ID.size() == STORES, "reference data");
        check(perMember == (fixed ? 0 : members.size()) && perTier == (fixed ? 4 : 0), "per-member timers");
        check(Metrics.TIMERS.size() == FIXED_TIMERS + (fixed ? 4 : members.size()), "timers");
        check(svc.accounts.size() == ACCOUNT_CAP && svc.accounts.evicted == svc.accountLoads - ACCOUNT_CAP, "account lru");
        check(pending + svc.flushed == redemptions && pending > 0, "ledger queue");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        members = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
