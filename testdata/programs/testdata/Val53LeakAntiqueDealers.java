// hprofscan-dump: name=val53-leak-antiquedealers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val53-leak-antiquedealers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val53-leak-antiquedealers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val53-leak-antiquedealers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 53 (written blind), LEAK: the webhook outbox of an online marketplace for antique
 * dealers. Category reference data, the lot catalogue, a cache of rendered lot pages at its cap, a
 * pool of payload-signing buffers, a ring of recent delivery attempts, and the dealer directory:
 * a fixed set of dealers, each with a LinkedList retry queue of webhook deliveries. A retry round
 * runs every minute. Deliveries that the dealer's endpoint rejects permanently (HTTP 400 / 410 /
 * 422, about 4% of events) are treated like transient 5xx failures: they are put back on the retry
 * queue instead of being dead-lettered, so every dealer's queue keeps every rejected delivery
 * (its payload, attempt count, firstAttemptAt and a lastAttemptAt bumped every round) forever.
 * See VALIDATION53.md.
 */
public final class Val53LeakAntiqueDealers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CATEGORIES = 1_200, DEALERS = 320, LOTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 12_000;
    static boolean FIXED;

    record Category(String code, String name, double[] priceIndex) {}
    record Lot(String lotNumber, String categoryCode, String title, byte[] conditionReport, long listedAt) {}
    record LotPage(String key, byte[] rendered, long at) {}
    record Attempt(long eventId, String dealerId, int status, long at) {}

    /** One webhook delivery (one event for one dealer); mutable: retried in place. */
    static final class Delivery {
        final long eventId; final String dealerId, type; final byte[] payload;
        final int permanentStatus; // 0, or the 4xx the dealer's endpoint answers for this payload
        int transientFailuresLeft, attempts, lastStatus;
        final long firstAttemptAt; long lastAttemptAt;
        Delivery(long eventId, String dealerId, String type, byte[] payload, int permanentStatus, int transientFailures, long at) {
            this.eventId = eventId; this.dealerId = dealerId; this.type = type; this.payload = payload;
            this.permanentStatus = permanentStatus; this.transientFailuresLeft = transientFailures; this.firstAttemptAt = at;
        }
    }

    static final class Dealer {
        final String dealerId, endpoint; final byte[] signingSecret;
        final LinkedList<Delivery> retryQueue = new LinkedList<>();
        long delivered, deadLettered;
        Dealer(String dealerId, String endpoint, byte[] signingSecret) { this.dealerId = dealerId; this.endpoint = endpoint; this.signingSecret = signingSecret; }
    }

    static final class PageCache extends LinkedHashMap<String, LotPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LotPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Category> CATEGORIES_BY_CODE = new HashMap<>();

    static final class Marketplace {
        final Map<String, Lot> lots = new HashMap<>();
        final Map<String, Dealer> dealers = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> signingBuffers = new ArrayDeque<>();
        final Attempt[] attempts = new Attempt[RING];
        long attemptsWritten, published, accepted, transientFailures, rejections, retryRounds, deadLettered;

        int attempt(Dealer d, Delivery w, long t) {
            byte[] buf = signingBuffers.poll(); // HMAC of the payload with the dealer's secret
            for (int k = 0; k < 16; k++) buf[(int) ((w.eventId + k) % buf.length)] ^= d.signingSecret[k];
            signingBuffers.add(buf);
            w.attempts++;
            w.lastAttemptAt = t;
            int status;
            if (w.permanentStatus != 0) status = w.permanentStatus;
            else if (w.transientFailuresLeft > 0) { w.transientFailuresLeft--; status = 503; }
            else status = 200;
            w.lastStatus = status;
            attempts[(int) (attemptsWritten++ % RING)] = new Attempt(w.eventId, d.dealerId, status, t);
            return status;
        }

        void settle(Dealer d, Delivery w, int status) {
            if (status < 300) { accepted++; d.delivered++; return; }
            if (status >= 500) { transientFailures++; d.retryQueue.addLast(w); return; }
            rejections++;
            if (FIXED) { deadLettered++; d.deadLettered++; return; } // dead-letter: reported, never retried
            d.retryQueue.addLast(w); // BUG: a permanent 4xx is retried like a 5xx, forever
        }

        void publish(Dealer d, Delivery w, long t) { published++; settle(d, w, attempt(d, w, t)); }

        void retryRound(long t) {
            retryRounds++;
            for (Dealer d : dealers.values()) {
                for (int n = d.retryQueue.size(); n > 0; n--) {
                    Delivery w = d.retryQueue.pollFirst();
                    settle(d, w, attempt(d, w, t));
                }
            }
        }
    }

    static Marketplace SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val53.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(53_010_001);
        String[] categoryCodes = new String[CATEGORIES];
        String[] periods = {"Georgian", "Victorian", "Edwardian", "Art Deco", "Mid-century", "Regency"};
        for (int c = 0; c < CATEGORIES; c++) {
            double[] index = new double[64];
            for (int k = 0; k < index.length; k++) index[k] = 80 + rnd.nextDouble() * 40;
            categoryCodes[c] = "CAT-" + (3_000 + c);
            CATEGORIES_BY_CODE.put(categoryCodes[c], new Category(categoryCodes[c], periods[c % periods.length] + " " + (c / periods.length), index));
        }
        Marketplace svc = new Marketplace();
        SERVICE = svc;
        String[] lotNumbers = new String[LOTS];
        for (int l = 0; l < LOTS; l++) {
            lotNumbers[l] = "LOT-" + (880_000 + l);
            svc.lots.put(lotNumbers[l], new Lot(lotNumbers[l], categoryCodes[rnd.nextInt(CATEGORIES)], "Lot " + l, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        Dealer[] dealerList = new Dealer[DEALERS];
        for (int d = 0; d < DEALERS; d++) {
            String id = "DLR-" + (41_000 + d * 3);
            byte[] secret = new byte[32];
            rnd.nextBytes(secret);
            dealerList[d] = new Dealer(id, "https://hooks.dealer" + d + ".example/antiques/webhook", secret);
            svc.dealers.put(id, dealerList[d]);
        }
        for (int b = 0; b < POOL; b++) svc.signingBuffers.add(new byte[32_768]);
        Random traffic = new Random(53_010_002);
        String[] types = {"lot.sold", "offer.received", "offer.withdrawn", "payout.sent", "shipment.booked"};
        int[] permanent = {400, 410, 422};
        long nextRound = start + MINUTE;
        long rejectedEvents = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextRound <= t) { svc.retryRound(nextRound); nextRound += MINUTE; }
            Dealer d = dealerList[traffic.nextInt(DEALERS)];
            double p = traffic.nextDouble();
            int perm = p < 0.04 ? permanent[traffic.nextInt(permanent.length)] : 0;
            int transientFailures = p >= 0.04 && p < 0.07 ? 1 + traffic.nextInt(3) : 0;
            if (perm != 0) rejectedEvents++;
            Delivery w = new Delivery(70_000_000L + i, d.dealerId, types[traffic.nextInt(types.length)], new byte[600 + traffic.nextInt(1_200)], perm, transientFailures, t);
            svc.publish(d, w, t);
            if (i % 2 == 0) {
                String key = lotNumbers[traffic.nextInt(LOTS)] + "/page" + traffic.nextInt(2);
                if (svc.pages.get(key) == null) svc.pages.put(key, new LotPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        while (nextRound <= end - MINUTE) { svc.retryRound(nextRound); nextRound += MINUTE; }
        long queued = 0, queuedRejected = 0, maxAttempts = 0;
        int dealersWithRejected = 0;
        for (Dealer d : dealerList) {
            queued += d.retryQueue.size();
            int r = 0;
            for (Delivery w : d.retryQueue) { if (w.permanentStatus != 0) r++; maxAttempts = Math.max(maxAttempts, w.attempts); }
            queuedRejected += r;
            if (r > 0) dealersWithRejected++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " categories " + CATEGORIES_BY_CODE.size() + " lots " + svc.lots.size() + " dealers " + svc.dealers.size() + " published " + svc.published
                + " rejected events " + rejectedEvents + " queued " + queued + " (rejected " + queuedRejected + ", transient " + (queued - queuedRejected) + ", dealers with rejected " + dealersWithRejected + ", max attempts " + maxAttempts + ") dead-lettered " + svc.deadLettered
                + " retry rounds " + svc.retryRounds + " attempts " + svc.attemptsWritten + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.signingBuffers.size());
        check(CATEGORIES_BY_CODE.size() == CATEGORIES && svc.lots.size() == LOTS && svc.dealers.size() == DEALERS, "reference data / directories");
        check(svc.published == events && svc.retryRounds == (long) hours * 60 - 1, "traffic: " + svc.retryRounds);
        if (FIXED) check(queuedRejected == 0 && svc.deadLettered == rejectedEvents && queued < 100, "rejected deliveries dead-lettered: " + queued);
        else check(queuedRejected == rejectedEvents && svc.deadLettered == 0 && queued - queuedRejected < 100, "rejected deliveries kept: " + queuedRejected);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.signingBuffers.size() == POOL, "pool");
        check(svc.attemptsWritten > RING && svc.attempts[RING - 1] != null, "attempt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
