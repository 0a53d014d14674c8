// hprofscan-dump: name=val118-leak-bettingshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val118-leak-bettingshops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 118 (written blind), LEAK: the slip service of a chain of licensed betting shops.
 * Shop reference data, the market directory, a cache of rendered coupons at its cap, a pool of
 * receipt-printer buffers, a ring of recently settled slips and a payout queue with its normal
 * backlog. Every slip taken at a counter is appended to the regulator's audit journal: ONE
 * java.io.ObjectOutputStream kept open on the day's journal file, flushed every minute and never
 * reset(), so its handle table keeps every slip (with its selections and receipt text) it has written
 * since the journal was opened. See VALIDATION118.md.
 */
public final class Val118LeakBettingShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SHOPS = 1_000, MARKETS = 16_000, COUPON_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SLIPS = 24_000;
    static boolean FIXED;

    record Shop(String code, String town, double[] turnoverByHour) {}
    record Market(String marketId, String event, String[] runners, byte[] priceHistory, long opensAt) {}
    record Coupon(String key, byte[] rendered, long at) {}
    record Settled(String slipId, String shopCode, int returnsPence, long at) {}
    record Payout(String slipId, String shopCode, int pence, long dueAt) {}

    static final class Selection implements Serializable {
        private static final long serialVersionUID = 1L;
        final String marketId; final String runner; final int oddsNum; final int oddsDen;
        Selection(String marketId, String runner, int oddsNum, int oddsDen) { this.marketId = marketId; this.runner = runner; this.oddsNum = oddsNum; this.oddsDen = oddsDen; }
    }

    static final class BetSlip implements Serializable {
        private static final long serialVersionUID = 1L;
        final String slipId; final String shopCode; final String terminal; final long placedAt; final int stakePence; final String betType;
        final ArrayList<Selection> selections; final String receiptText;
        BetSlip(String slipId, String shopCode, String terminal, long placedAt, int stakePence, String betType, ArrayList<Selection> selections, String receiptText) {
            this.slipId = slipId; this.shopCode = shopCode; this.terminal = terminal; this.placedAt = placedAt; this.stakePence = stakePence; this.betType = betType; this.selections = selections; this.receiptText = receiptText;
        }
    }

    /** The audit journal: one object stream on the day's file, kept open. BUG: never reset(). */
    static final class SlipJournal {
        final File file;
        final FileOutputStream fileOut;
        final ObjectOutputStream out;
        long written, flushes, resets;
        SlipJournal(File file) throws IOException {
            this.file = file;
            this.fileOut = new FileOutputStream(file);
            this.out = new ObjectOutputStream(new BufferedOutputStream(fileOut, 16_384));
        }
        void append(BetSlip s) throws IOException { out.writeObject(s); written++; }
        void flush() throws IOException {
            out.flush(); flushes++;
            if (FIXED) { out.reset(); resets++; }
        }
    }

    static final class CouponCache extends LinkedHashMap<String, Coupon> {
        long evicted;
        CouponCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Coupon> e) { if (size() > COUPON_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class SlipService {
        final Map<String, Market> markets = new HashMap<>();
        final String[] marketIds = new String[MARKETS];
        final String[] shopCodes = new String[SHOPS];
        final CouponCache coupons = new CouponCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Settled[] settled = new Settled[RING];
        final ArrayDeque<Payout> payouts = new ArrayDeque<>();
        SlipJournal journal;
        long slips, selections, settledCount, paid;

        void take(Random r, long t) throws IOException {
            String shop = shopCodes[r.nextInt(SHOPS)];
            int legs = 1 + (r.nextInt(10) < 6 ? 0 : r.nextInt(4));
            ArrayList<Selection> sel = new ArrayList<>(legs);
            StringBuilder receipt = new StringBuilder(256);
            String slipId = "SL" + Long.toString(90_000_000L + slips * 7, 36).toUpperCase();
            receipt.append(shop).append(' ').append(slipId).append('\n');
            for (int k = 0; k < legs; k++) {
                Market m = markets.get(marketIds[r.nextInt(MARKETS)]);
                String runner = m.runners()[r.nextInt(m.runners().length)];
                int num = 1 + r.nextInt(12), den = 1 + r.nextInt(4);
                sel.add(new Selection(m.marketId(), runner, num, den));
                receipt.append(m.event()).append(" / ").append(runner).append(" @ ").append(num).append('/').append(den).append('\n');
            }
            selections += legs;
            int stake = 50 * (1 + r.nextInt(40));
            String type = legs == 1 ? "SINGLE" : legs == 2 ? "DOUBLE" : legs == 3 ? "TREBLE" : "ACCA4";
            receipt.append(type).append(" stake ").append(stake).append("p");
            BetSlip slip = new BetSlip(slipId, shop, shop + "-T" + (1 + r.nextInt(4)), t, stake, type, sel, receipt.toString());
            slips++;
            journal.append(slip);
            byte[] buf = printerBuffers.poll();
            buf[(int) (slips % buf.length)] = (byte) legs;
            printerBuffers.add(buf);
            String key = "coupon-" + marketIds[r.nextInt(MARKETS)] + "-" + r.nextInt(4);
            if (coupons.get(key) == null) coupons.put(key, new Coupon(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(5) < 2) {
                int returns = r.nextInt(3) == 0 ? stake * 3 : 0;
                settled[(int) (settledCount++ % RING)] = new Settled(slipId, shop, returns, t);
                if (returns > 0) payouts.addLast(new Payout(slipId, shop, returns, t + 15 * MINUTE));
            }
        }

        void pay(long t) {
            while (!payouts.isEmpty() && payouts.peekFirst().dueAt() <= t) { payouts.pollFirst(); paid++; }
        }
    }

    static SlipService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] SPORTS = {"Kempton 14:10", "Doncaster 15:25", "Arsenal v Spurs", "Celtic v Hibs", "Wimbledon R3", "Ayr 13:45", "Darts PL N7", "Ascot 16:05", "Sunderland v Leeds", "Cheltenham 13:30"};

    static final String[] RUNNERS = new String[97 * 12];
    static {
        String[] names = {"Desert Comet", "Lady Fernside", "Kilbride Lad", "Ocean Verse", "Silver Quill", "Night Piper", "Red Admiral", "Copper Kettle", "Hill Of Tara", "Ballyhoo", "Draw", "Field"};
        for (int g = 0; g < 97; g++) for (int k = 0; k < 12; k++) RUNNERS[g * 12 + k] = names[k] + (g == 0 ? "" : " " + (char) ('A' + g % 26) + (g / 26 + 1));
    }

    static void simulate(File journalFile) throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(118_040_001);
        SlipService svc = new SlipService();
        SERVICE = svc;
        for (int s = 0; s < SHOPS; s++) {
            double[] turnover = new double[72];
            for (int k = 0; k < turnover.length; k++) turnover[k] = rnd.nextDouble() * 900;
            svc.shopCodes[s] = "BS" + (3_000 + s);
            SHOPS_BY_CODE.put(svc.shopCodes[s], new Shop(svc.shopCodes[s], "Town " + (s % 310), turnover));
        }
        for (int i = 0; i < MARKETS; i++) {
            svc.marketIds[i] = "MKT" + (6_000_000 + i * 11);
            String[] runners = new String[2 + rnd.nextInt(10)];
            for (int k = 0; k < runners.length; k++) runners[k] = RUNNERS[(i % 97) * 12 + k];
            svc.markets.put(svc.marketIds[i], new Market(svc.marketIds[i], SPORTS[i % SPORTS.length] + " #" + i, runners, new byte[150 + rnd.nextInt(150)], now + (long) (1 + rnd.nextInt(72)) * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        svc.journal = new SlipJournal(journalFile);
        Random traffic = new Random(118_040_002);
        long nextFlush = start + MINUTE;
        for (int i = 0; i < SLIPS; i++) {
            long t = start + (end - MINUTE - start) * i / SLIPS;
            while (nextFlush <= t) { svc.journal.flush(); svc.pay(nextFlush); nextFlush += MINUTE; }
            svc.take(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val118.fixed");
        File journalFile = File.createTempFile("val118-slip-journal-", ".ser");
        journalFile.deleteOnExit();
        simulate(journalFile);
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        SERVICE.journal.out.close();
        journalFile.delete();
        System.exit(0);
    }

    static void report() {
        SlipService svc = SERVICE;
        SlipJournal j = svc.journal;
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " markets " + svc.markets.size() + " slips " + svc.slips + " selections " + svc.selections + " journal written " + j.written
                + " flushes " + j.flushes + " resets " + j.resets + " coupons " + svc.coupons.size() + " (evicted " + svc.coupons.evicted + ") pool " + svc.printerBuffers.size() + " settled " + svc.settledCount
                + " paid " + svc.paid + " payout backlog " + svc.payouts.size());
        check(SHOPS_BY_CODE.size() == SHOPS && svc.markets.size() == MARKETS, "reference data / directory");
        check(svc.slips == SLIPS && j.written == SLIPS, "slips");
        check(j.flushes == HOURS * 60 - 2 && j.resets == (FIXED ? j.flushes : 0), "journal flushes");
        check(svc.coupons.size() == COUPON_CAP && svc.coupons.evicted > 0, "coupon cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.settled[RING - 1] != null, "ring");
        check(!svc.payouts.isEmpty(), "payout backlog");
    }
}
