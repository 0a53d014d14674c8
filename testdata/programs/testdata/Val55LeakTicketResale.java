// hprofscan-dump: name=val55-leak-ticketresale jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val55-leak-ticketresale-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 55 (written blind), LEAK: the seller-payout service of a ticket resale
 * marketplace. Venue reference data, the listing directory, a cache of rendered event pages at
 * its cap, a pool of request-signing buffers, a ring of completed payout receipts, and a
 * dead-letter holder for payouts the partner payment gateway rejected. Four hours before the dump
 * the gateway was down for 40 minutes: every payout of that window failed and was parked, with the
 * signed payload it had built, in the dead-letter holder. Nothing ever drains, retries or removes
 * parked payouts (the retry job was never wired up), so since the outage ended nothing new is
 * added but the parked entries are still held and never used again. See VALIDATION55.md.
 */
public final class Val55LeakTicketResale {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VENUES = 1_000, LISTINGS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, PAYOUTS_PER_HOUR = 6_000;
    static final long OUTAGE_BEFORE_END = 4 * HOUR, OUTAGE_LENGTH = 40 * MINUTE;
    static boolean FIXED;

    record Venue(String code, String city, double[] tierPrices) {}
    record Listing(String listingId, String venueCode, String sellerId, byte[] seatDetails, long listedAt) {}
    record EventPage(String key, byte[] rendered, long at) {}
    record PayoutRequest(long payoutId, String sellerId, String listingId, long amountCents, long at) {}
    record Receipt(long payoutId, String sellerId, long amountCents, long at, String gatewayRef) {}

    /** A payout the gateway rejected, with everything it captured when it failed. */
    static final class ParkedPayout {
        final PayoutRequest request; final byte[] signedPayload; final String error; final long parkedAt; int attempts;
        ParkedPayout(PayoutRequest request, byte[] signedPayload, String error, long parkedAt) {
            this.request = request; this.signedPayload = signedPayload; this.error = error; this.parkedAt = parkedAt; this.attempts = 1;
        }
    }

    static final class DeadLetters {
        final List<ParkedPayout> parked = new ArrayList<>();
        long everParked, redelivered;
        void park(ParkedPayout p) { parked.add(p); everParked++; }
    }

    static final class PageCache extends LinkedHashMap<String, EventPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EventPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class PayoutService {
        final Map<String, Listing> listings = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> signingBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        long paid;
        final DeadLetters deadLetters = new DeadLetters();

        void pay(PayoutRequest r, long t) { receipts[(int) (paid++ % RING)] = new Receipt(r.payoutId(), r.sellerId(), r.amountCents(), t, "GW-" + r.payoutId()); }

        /** The fix: the retry job, once the partner is back, redelivers and removes parked payouts. */
        void retryParked(long t) {
            for (ParkedPayout p : parked()) { p.attempts++; pay(p.request, t); deadLetters.redelivered++; }
            deadLetters.parked.clear();
        }
        List<ParkedPayout> parked() { return new ArrayList<>(deadLetters.parked); }
    }

    static PayoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val55.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long outageFrom = end - OUTAGE_BEFORE_END, outageTo = outageFrom + OUTAGE_LENGTH;
        int payouts = PAYOUTS_PER_HOUR * HOURS;
        Random rnd = new Random(55_020_001);
        String[] venueCodes = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            double[] tiers = new double[80];
            for (int k = 0; k < tiers.length; k++) tiers[k] = 20 + rnd.nextDouble() * 400;
            String code = "VN-" + (8_000 + v);
            venueCodes[v] = code;
            VENUES_BY_CODE.put(code, new Venue(code, "City " + (v % 250), tiers));
        }
        PayoutService svc = new PayoutService();
        SERVICE = svc;
        String[] listingIds = new String[LISTINGS];
        String[] sellers = new String[LISTINGS];
        for (int l = 0; l < LISTINGS; l++) {
            String id = "LS" + (40_000_000 + l);
            listingIds[l] = id;
            sellers[l] = "SEL-" + (200_000 + rnd.nextInt(9_000));
            svc.listings.put(id, new Listing(id, venueCodes[rnd.nextInt(VENUES)], sellers[l], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.signingBuffers.add(new byte[32_768]);
        Random traffic = new Random(55_020_002);
        long lastParkedAt = 0;
        boolean retried = false;
        for (int i = 0; i < payouts; i++) {
            long t = start + (end - MINUTE - start) * i / payouts;
            if (FIXED && !retried && t >= outageTo + 5 * MINUTE) { svc.retryParked(t); retried = true; }
            int l = traffic.nextInt(LISTINGS);
            PayoutRequest r = new PayoutRequest(600_000_000L + i, sellers[l], listingIds[l], 1_500 + traffic.nextInt(40_000), t);
            byte[] signed = new byte[1_000 + traffic.nextInt(1_000)];
            byte[] buf = svc.signingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.signingBuffers.add(buf);
            if (t >= outageFrom && t < outageTo) {
                svc.deadLetters.park(new ParkedPayout(r, signed, "503 Service Unavailable from partner gateway", t));
                lastParkedAt = t;
            } else {
                svc.pay(r, t);
            }
            String key = venueCodes[traffic.nextInt(VENUES)] + "/event-" + traffic.nextInt(6);
            if (svc.pages.get(key) == null) svc.pages.put(key, new EventPage(key, new byte[500 + traffic.nextInt(500)], t));
        }
        DeadLetters dl = svc.deadLetters;
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " listings " + svc.listings.size() + " paid " + svc.paid + " everParked " + dl.everParked + " parked " + dl.parked.size()
                + " redelivered " + dl.redelivered + " lastParked " + (end - lastParkedAt) / MINUTE + " min before end; pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.signingBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.listings.size() == LISTINGS, "reference data / directory");
        check(dl.everParked == 4_006, "parked during the 40-minute outage: " + dl.everParked);
        check(end - lastParkedAt > 3 * HOUR, "nothing parked since the outage ended");
        if (FIXED) check(dl.parked.isEmpty() && dl.redelivered == dl.everParked && svc.paid == payouts, "drained");
        else check(dl.parked.size() == 4_006 && svc.paid == payouts - 4_006, "parked forever: " + dl.parked.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.signingBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "receipt ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
