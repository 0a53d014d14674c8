// hprofscan-dump: name=val59-leak-charitydonations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val59-leak-charitydonations-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 59 (written blind), LEAK: the donation-payments API of a fundraising platform for
 * charities. Campaign reference data, the donor directory, a cache of rendered tax receipts at its
 * cap, a pool of card-tokenisation buffers, a per-thread scratch buffer, a ring of recent
 * donations, and an idempotency-key store: every POST /donations carries an Idempotency-Key header
 * and the stored response is kept in DonationService.idempotency
 * (Collections.synchronizedMap(new HashMap<>()), key -> StoredResponse) so that a client retry
 * gets the same answer instead of charging the card twice. Keys were meant to be forgotten after
 * 24 h by an hourly pruning job, but the job is never scheduled (pruneExpired exists and is never
 * called): the store keeps the response of every donation since the process started (4 days
 * here). See VALIDATION59.md.
 */
public final class Val59LeakCharityDonations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, KEY_TTL = 24 * HOUR;
    static final int CAMPAIGNS = 1_000, DONORS = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192, DAYS = 4, DONATIONS_PER_DAY = 8_000;
    static boolean FIXED;

    record Campaign(String code, String charity, double[] dailyTotals) {}
    record Donor(String donorId, String postcode, boolean giftAid, byte[] declaration, long since) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Donation(String donationId, String donorId, String campaign, long amountPence, long at) {}
    record StoredResponse(int status, String donationId, long storedAt, byte[] body) {}

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Campaign> CAMPAIGNS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    static final class DonationService {
        final Map<String, Donor> donors = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> tokenBuffers = new ArrayDeque<>();
        final Donation[] recent = new Donation[RING];
        long donations, replays, pruned, pruneRuns;
        final Map<String, StoredResponse> idempotency = Collections.synchronizedMap(new HashMap<>());

        /** The hourly job that forgets keys older than 24 h. BUG: never scheduled in the leaking build. */
        void pruneExpired(long now) {
            synchronized (idempotency) {
                for (Iterator<StoredResponse> it = idempotency.values().iterator(); it.hasNext(); ) {
                    if (it.next().storedAt < now - KEY_TTL) { it.remove(); pruned++; }
                }
            }
            pruneRuns++;
        }
    }

    static DonationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val59.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - DAYS * DAY;
        Random rnd = new Random(59_030_001);
        String[] campaignCodes = new String[CAMPAIGNS];
        for (int c = 0; c < CAMPAIGNS; c++) {
            double[] totals = new double[64];
            for (int k = 0; k < totals.length; k++) totals[k] = rnd.nextDouble() * 5_000;
            campaignCodes[c] = "CAMP-" + (60_000 + c);
            CAMPAIGNS_BY_CODE.put(campaignCodes[c], new Campaign(campaignCodes[c], "Charity " + (c % 320), totals));
        }
        DonationService svc = new DonationService();
        SERVICE = svc;
        String[] donorIds = new String[DONORS];
        for (int d = 0; d < DONORS; d++) {
            donorIds[d] = "DN" + (5_500_000 + d * 7);
            svc.donors.put(donorIds[d], new Donor(donorIds[d], "PC" + rnd.nextInt(9_000), rnd.nextBoolean(), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.tokenBuffers.add(new byte[32_768]);
        Random traffic = new Random(59_030_002);
        int total = DONATIONS_PER_DAY * DAYS;
        long nextPrune = start + HOUR;
        String[] recentKeys = new String[64];
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            if (FIXED) while (nextPrune <= t) { svc.pruneExpired(nextPrune); nextPrune += HOUR; }
            // one request in 25 is a client retry of a recent key: answered from the store, nothing new stored
            if (i >= 64 && traffic.nextInt(25) == 0) {
                StoredResponse r = svc.idempotency.get(recentKeys[traffic.nextInt(recentKeys.length)]);
                if (r == null) throw new IllegalStateException("retry of a fresh key not found");
                svc.replays++;
            }
            String key = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
            recentKeys[i % recentKeys.length] = key;
            String donor = donorIds[traffic.nextInt(DONORS)];
            String donationId = "D" + (300_000_000L + i);
            long amount = 500 + traffic.nextInt(20_000);
            byte[] scratch = SCRATCH.get();
            scratch[i % scratch.length] = (byte) i;
            byte[] tok = svc.tokenBuffers.poll();
            tok[i % tok.length] = (byte) amount;
            svc.tokenBuffers.add(tok);
            svc.idempotency.put(key, new StoredResponse(201, donationId, t, new byte[120 + traffic.nextInt(120)]));
            svc.recent[(int) (svc.donations++ % RING)] = new Donation(donationId, donor, campaignCodes[traffic.nextInt(CAMPAIGNS)], amount, t);
            String rkey = "receipt-" + traffic.nextInt(5_000);
            if (svc.receipts.get(rkey) == null) svc.receipts.put(rkey, new Receipt(rkey, new byte[500 + traffic.nextInt(500)], t));
        }
        int stored = svc.idempotency.size();
        long older;
        synchronized (svc.idempotency) { older = svc.idempotency.values().stream().filter(r -> r.storedAt() < end - KEY_TTL).count(); }
        System.out.println((FIXED ? "FIXED " : "") + "campaigns " + CAMPAIGNS_BY_CODE.size() + " donors " + svc.donors.size() + " idempotency keys " + stored + " (older than 24 h " + older + ", pruned " + svc.pruned + " in " + svc.pruneRuns
                + " runs, replays " + svc.replays + ") receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.tokenBuffers.size() + " donations " + svc.donations);
        check(CAMPAIGNS_BY_CODE.size() == CAMPAIGNS && svc.donors.size() == DONORS, "reference data / directory");
        check(svc.donations == total && svc.replays > 0, "traffic");
        if (FIXED) check(svc.pruneRuns == DAYS * 24 - 1 && stored == total - svc.pruned && stored < DONATIONS_PER_DAY + DONATIONS_PER_DAY / 24 + 1, "pruned store: " + stored);
        else check(stored == total && svc.pruneRuns == 0, "store keeps every key: " + stored);
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.tokenBuffers.size() == POOL && SCRATCH.get().length == 64 * 1024, "pool / scratch");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
