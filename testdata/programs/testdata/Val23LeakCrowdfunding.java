// hprofscan-dump: name=val23-leak-crowdfunding jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val23-leak-crowdfunding-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 23 (written blind), LEAK: the pledge service of a crowdfunding platform. Each
 * pledge request carries an idempotency key; for mutual exclusion between retries of the same
 * request the service takes {@code pledgeLocks.computeIfAbsent(key, k -> new ReentrantLock())},
 * locks it, processes the pledge and unlocks. The bug: the lock is never removed from the map,
 * so {@code PledgeService.pledgeLocks} keeps one {@code ReentrantLock} per idempotency key ever
 * seen. Beside it: the campaign catalogue, the backer directory, a campaign-page cache at its cap,
 * a pool of receipt buffers, a pledge-event ring, a bounded settlement queue.
 * 12 simulated hours. See testdata/VALIDATION23.md.
 */
public final class Val23LeakCrowdfunding {
    static final long HOUR = 3_600_000L;
    static final int CAMPAIGNS = 5_000, BACKERS = 60_000, PLEDGES = 70_000, PAGE_CAP = 2_000, POOL = 16, RING = 16_384, SETTLEMENT_CAP = 4_096;

    record Campaign(String slug, String title, String story, long goalCents, int[] rewardTiers) {}
    record Backer(long id, String email, String country, long joinedAt) {}
    record CampaignPage(String slug, byte[] html) {}
    record PledgeEvent(String idempotencyKey, String campaign, long backerId, long amountCents, long at) {}

    static final class PageCache extends LinkedHashMap<String, CampaignPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CampaignPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Campaign> CAMPAIGNS_BY_SLUG = new HashMap<>();

    static final class PledgeService {
        final Map<Long, Backer> backers = new HashMap<>();
        final ConcurrentHashMap<String, ReentrantLock> pledgeLocks = new ConcurrentHashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final PledgeEvent[] events = new PledgeEvent[RING];
        final ArrayBlockingQueue<PledgeEvent> settlements = new ArrayBlockingQueue<>(SETTLEMENT_CAP);
        final Map<String, long[]> raisedByCampaign = new HashMap<>();
        long eventCount, pledges, settled;

        void pledge(String key, String campaign, long backerId, long amountCents, long at, boolean fixed) {
            ReentrantLock lock = pledgeLocks.computeIfAbsent(key, k -> new ReentrantLock());
            lock.lock();
            try {
                raisedByCampaign.computeIfAbsent(campaign, c -> new long[2])[0] += amountCents;
                PledgeEvent e = new PledgeEvent(key, campaign, backerId, amountCents, at);
                events[(int) (eventCount++ % RING)] = e;
                if (!settlements.offer(e)) { settlements.clear(); settled += SETTLEMENT_CAP; settlements.offer(e); } // batch settled
                pledges++;
            } finally {
                lock.unlock();
                if (fixed) pledgeLocks.remove(key, lock); // the fix; BUG in the leak run: never removed
            }
        }
    }

    static PledgeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val23.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(23_030_001);
        for (int c = 0; c < CAMPAIGNS; c++) {
            StringBuilder sb = new StringBuilder();
            int len = 300 + rnd.nextInt(500);
            while (sb.length() < len) sb.append("we are building a community workshop ").append(c).append(' ');
            int[] tiers = new int[32];
            for (int k = 0; k < tiers.length; k++) tiers[k] = 500 * (k + 1) + rnd.nextInt(500);
            String slug = "campaign-" + Integer.toString(c * 97 + 1_000, 36);
            CAMPAIGNS_BY_SLUG.put(slug, new Campaign(slug, "Campaign " + c, sb.toString(), 1_000_000L + rnd.nextInt(50_000_000), tiers));
        }
        String[] slugs = CAMPAIGNS_BY_SLUG.keySet().toArray(new String[0]);
        java.util.Arrays.sort(slugs);
        PledgeService svc = new PledgeService();
        SERVICE = svc;
        String[] countries = {"DE", "US", "GB", "CA", "AU", "NL", "FI", "BR"};
        for (int b = 0; b < BACKERS; b++) {
            long id = 4_000_000L + b;
            svc.backers.put(id, new Backer(id, "backer" + b + "@mail.example", countries[b % countries.length], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.receiptBuffers.add(new byte[16_384]);
        Random traffic = new Random(23_030_002);
        for (int p = 0; p < PLEDGES; p++) {
            long t = start + (now - start) * p / PLEDGES;
            String slug = slugs[traffic.nextInt(slugs.length)];
            String key = new java.util.UUID(traffic.nextLong(), traffic.nextLong()).toString();
            svc.pledge(key, slug, 4_000_000L + traffic.nextInt(BACKERS), 100 + traffic.nextInt(50_000), t, fixed);
            if (svc.pages.get(slug) == null) svc.pages.put(slug, new CampaignPage(slug, new byte[1_024 + traffic.nextInt(1_024)]));
        }
        System.out.println((fixed ? "FIXED " : "") + "campaigns " + CAMPAIGNS_BY_SLUG.size() + " backers " + svc.backers.size() + " pledges " + svc.pledges + " pledge locks " + svc.pledgeLocks.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") events " + svc.eventCount + " settlement queue " + svc.settlements.size() + " settled " + svc.settled + " pool " + svc.receiptBuffers.size());
        check(CAMPAIGNS_BY_SLUG.size() == CAMPAIGNS && svc.backers.size() == BACKERS, "reference data / directory");
        check(svc.pledges == PLEDGES && svc.pledgeLocks.size() == (fixed ? 0 : PLEDGES), "pledge locks " + svc.pledgeLocks.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at its cap");
        check(svc.eventCount == PLEDGES && svc.events[RING - 1] != null, "event ring");
        check(svc.settled + svc.settlements.size() == PLEDGES, "settlement queue");
        check(svc.receiptBuffers.size() == POOL, "receipt pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
