// hprofscan-dump: name=val85-leak-giftcards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val85-leak-giftcards-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 85 (written blind), LEAK: the balance-check and redemption API of a retail
 * group's gift cards. Merchant reference data, the card directory, a cache of rendered receipts
 * at its cap, a pool of PIN-hashing buffers, a ring of recent redemptions, a size-capped LRU of
 * failed-PIN strike counters per client IP, and a penalty box: an IP that fails the PIN five times
 * within ten minutes is banned for 15 minutes (Map<String, Ban> keyed by client IP, each Ban with
 * its expiry time). An expired ban is ignored when checked, but nothing ever removes it: a
 * credential-stuffing botnet rotating through residential proxies leaves one Ban per proxy IP it
 * ever used. See VALIDATION85.md.
 */
public final class Val85LeakGiftCards {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, BAN_FOR = 15 * MINUTE, STRIKE_WINDOW = 10 * MINUTE;
    static final int MERCHANTS = 1_200, CARDS = 25_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 16_384, STRIKE_CAP = 1_024, MAX_STRIKES = 5, HOURS = 10;
    static final int STEPS = 200_000; // one step every 180 ms: a customer request, or (1 in 4) an attack burst from one proxy IP
    static boolean FIXED;

    record Merchant(String code, String name, double[] dailyRedemptions) {}
    record Card(String number, String merchantCode, long balanceCents, byte[] ledger, long issuedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Redemption(String cardNumber, String merchantCode, long amountCents, String ip, long at) {}
    record Ban(String ip, long bannedAt, long until, int strikes, String lastCardTried, byte[] deviceFingerprint) {}

    static final class Strikes { int count; long firstAt; }

    /** Failed-PIN counters per IP, capped (the oldest are forgotten). */
    static final class StrikeTable extends LinkedHashMap<String, Strikes> {
        long evicted;
        StrikeTable() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Strikes> e) { if (size() > STRIKE_CAP) { evicted++; return true; } return false; }
    }

    /** Bans per client IP; a ban carries its expiry. */
    static final class PenaltyBox {
        final Map<String, Ban> bans = new HashMap<>();
        long issued, replaced, purged, checksWhileBanned, expiredSeen;
        boolean isBanned(String ip, long now) {
            Ban b = bans.get(ip);
            if (b == null) return false;
            if (now < b.until()) { checksWhileBanned++; return true; }
            expiredSeen++; // expired: ignored, but left in the map (BUG: never removed)
            return false;
        }
        void ban(Ban b) { issued++; if (bans.put(b.ip(), b) != null) replaced++; }
        /** The fix: run every minute. */
        void purgeExpired(long now) {
            int before = bans.size();
            bans.values().removeIf(b -> b.until() <= now);
            purged += before - bans.size();
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Merchant> MERCHANTS_BY_CODE = new HashMap<>();

    static final class CardService {
        final Map<String, Card> cards = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> pinHashBuffers = new ArrayDeque<>();
        final Redemption[] recentRedemptions = new Redemption[RING];
        long redemptions;
        final StrikeTable strikes = new StrikeTable();
        final PenaltyBox penaltyBox = new PenaltyBox();
        long requests, rejectedBanned, pinFailures, balanceChecks;

        /** One PIN-protected request; returns false if rejected. */
        boolean request(String ip, String cardNumber, boolean pinOk, boolean redeem, Random r, long at) {
            requests++;
            if (penaltyBox.isBanned(ip, at)) { rejectedBanned++; return false; }
            byte[] buf = pinHashBuffers.poll();
            buf[(int) (requests % buf.length)] ^= (byte) at;
            pinHashBuffers.add(buf);
            if (!pinOk) {
                pinFailures++;
                Strikes s = strikes.get(ip);
                if (s == null || at - s.firstAt > STRIKE_WINDOW) { s = new Strikes(); s.firstAt = at; strikes.put(ip, s); }
                if (++s.count >= MAX_STRIKES) {
                    byte[] fp = new byte[16];
                    r.nextBytes(fp);
                    penaltyBox.ban(new Ban(ip, at, at + BAN_FOR, s.count, cardNumber, fp));
                    strikes.remove(ip);
                }
                return false;
            }
            strikes.remove(ip);
            Card c = cards.get(cardNumber);
            if (redeem) {
                long amount = 500 + r.nextInt(9_500);
                recentRedemptions[(int) (redemptions++ % RING)] = new Redemption(c.number(), c.merchantCode(), amount, ip, at);
                String key = "rcpt-" + c.merchantCode() + "-" + r.nextInt(3);
                if (receipts.get(key) == null) receipts.put(key, new Receipt(key, new byte[400 + r.nextInt(400)], at));
            } else {
                balanceChecks++;
            }
            return true;
        }
    }

    static CardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The address of the botnet's j-th proxy (deterministic, so a proxy can come back later). */
    static String proxyIp(int j) {
        int h = j * 0x9E3779B9;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return (new int[] {45, 77, 91, 103, 146, 185, 193, 212}[(h >>> 24) & 7]) + "." + ((h >>> 16) & 255) + "." + ((h >>> 8) & 255) + "." + (1 + (h & 253));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val85.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(85_040_001);
        String[] merchantCodes = new String[MERCHANTS];
        for (int m = 0; m < MERCHANTS; m++) {
            double[] daily = new double[64];
            for (int k = 0; k < daily.length; k++) daily[k] = rnd.nextDouble() * 300;
            merchantCodes[m] = "M" + (40_000 + m);
            MERCHANTS_BY_CODE.put(merchantCodes[m], new Merchant(merchantCodes[m], "Store " + (m % 400), daily));
        }
        CardService svc = new CardService();
        SERVICE = svc;
        String[] cardNumbers = new String[CARDS];
        for (int c = 0; c < CARDS; c++) {
            cardNumbers[c] = "6035" + (712_000_000_000L + c * 37L);
            svc.cards.put(cardNumbers[c], new Card(cardNumbers[c], merchantCodes[rnd.nextInt(MERCHANTS)], 1_000 + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pinHashBuffers.add(new byte[32_768]);
        Random traffic = new Random(85_040_002);
        Random details = new Random(85_040_003);
        int proxiesUsed = 0, bursts = 0, returning = 0;
        long nextPurge = start + MINUTE;
        for (int i = 0; i < STEPS; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / STEPS;
            if (FIXED) while (nextPurge <= t) { svc.penaltyBox.purgeExpired(nextPurge); nextPurge += MINUTE; }
            if (traffic.nextInt(4) != 0) { // a customer: checks a balance or redeems, mistypes the PIN now and then
                int customer = traffic.nextInt(60_000);
                String ip = "86." + (customer >>> 12) + "." + ((customer >>> 4) & 255) + "." + (16 + (customer & 15));
                svc.request(ip, cardNumbers[traffic.nextInt(CARDS)], traffic.nextInt(40) != 0, traffic.nextBoolean(), details, t);
            } else { // credential stuffing: one proxy tries 5-8 card/PIN pairs within 40 s
                bursts++;
                String ip;
                if (proxiesUsed > 100 && traffic.nextInt(10) == 0) { ip = proxyIp(traffic.nextInt(proxiesUsed)); returning++; }
                else ip = proxyIp(proxiesUsed++);
                int tries = 5 + traffic.nextInt(4);
                for (int k = 0; k < tries; k++) svc.request(ip, cardNumbers[traffic.nextInt(CARDS)], false, false, details, t + k * 5 * SECOND);
            }
        }
        if (FIXED) while (nextPurge <= end - MINUTE) { svc.penaltyBox.purgeExpired(nextPurge); nextPurge += MINUTE; }
        PenaltyBox box = svc.penaltyBox;
        long active = box.bans.values().stream().filter(b -> b.until() > end - MINUTE).count();
        System.out.println((FIXED ? "FIXED " : "") + "merchants " + MERCHANTS_BY_CODE.size() + " cards " + svc.cards.size() + " requests " + svc.requests + " bursts " + bursts + " proxies " + proxiesUsed
                + " returning " + returning + " pin failures " + svc.pinFailures + " rejected (banned) " + svc.rejectedBanned + " bans " + box.bans.size() + " (issued " + box.issued + ", replaced " + box.replaced
                + ", purged " + box.purged + ", active " + active + ", expired seen " + box.expiredSeen + ") strikes " + svc.strikes.size() + " (evicted " + svc.strikes.evicted + ") receipts " + svc.receipts.size()
                + " (evicted " + svc.receipts.evicted + ") pool " + svc.pinHashBuffers.size() + " redemptions " + svc.redemptions + " balance checks " + svc.balanceChecks);
        check(MERCHANTS_BY_CODE.size() == MERCHANTS && svc.cards.size() == CARDS, "reference data / directory");
        check(box.bans.size() == box.issued - box.replaced - box.purged, "ban bookkeeping");
        if (FIXED) check(box.bans.size() == active && active < 2_000, "only active bans: " + active);
        else check(box.purged == 0 && box.bans.size() > 30_000 && active < 2_000, "every ban ever issued: " + box.bans.size());
        check(svc.strikes.size() <= STRIKE_CAP && svc.strikes.size() > STRIKE_CAP - 16 && svc.strikes.evicted > 0, "strike table at its cap: " + svc.strikes.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.pinHashBuffers.size() == POOL, "pool");
        check(svc.redemptions > RING && svc.recentRedemptions[RING - 1] != null, "redemption ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
