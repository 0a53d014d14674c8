// hprofscan-dump: name=val90-leak-commoditybrokers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val90-leak-commoditybrokers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val90-leak-commoditybrokers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val90-leak-commoditybrokers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 90 (written blind), LEAK: the broker desk of a grain and oilseed commodity
 * brokerage. Futures-contract reference data, the client-account directory, a cache of rendered
 * quote sheets at its cap, a pool of ticket-printer buffers, a ring of recent fills, and one
 * notification inbox per broker (a Deque of price / fill / margin alerts in a directory of the 200
 * brokers of the desk). An inbox is meant to keep the latest 100 notifications, but the trim runs
 * only when the broker opens the inbox in the desk app; most brokers act on the pop-ups and never
 * open it, so their deques grow with the alert traffic while the directory keeps its 200 entries.
 * See VALIDATION90.md.
 */
public final class Val90LeakCommodityBrokers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CONTRACTS = 1_200, BROKERS = 200, ACCOUNTS = 24_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192,
            INBOX_KEEP = 100, ALERTS_PER_HOUR = 15_000, OPENERS = 20;
    static boolean FIXED;

    record Contract(String code, String commodity, double[] settlementCurve) {}
    record ClientAccount(String accountNo, String brokerId, String name, byte[] kycRecord, long openedAt) {}
    record QuoteSheet(String key, byte[] rendered, long at) {}
    record Fill(String accountNo, String contractCode, int lots, long priceCents, long at) {}
    record Notification(long id, String kind, String contractCode, long at, byte[] body) {}

    /** One broker's inbox: meant to hold the latest INBOX_KEEP notifications. */
    static final class Inbox {
        final String brokerId;
        final Deque<Notification> items = new ArrayDeque<>();
        long delivered, opens, lastOpenedAt, trimmed;
        Inbox(String brokerId) { this.brokerId = brokerId; }
        void push(Notification n) {
            items.addLast(n);
            delivered++;
            if (FIXED) trim(); // the fix: enforce the cap on every push
        }
        /** Called when the broker opens the inbox view in the desk app (BUG: the only place that trims). */
        void open(long at) {
            opens++;
            lastOpenedAt = at;
            trim();
        }
        void trim() { while (items.size() > INBOX_KEEP) { items.removeFirst(); trimmed++; } }
    }

    static final class SheetCache extends LinkedHashMap<String, QuoteSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuoteSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Contract> CONTRACTS_BY_CODE = new HashMap<>();

    static final class BrokerDesk {
        final Map<String, ClientAccount> accounts = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final Fill[] recentFills = new Fill[RING];
        long fills;
    }

    static BrokerDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val90.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int alerts = ALERTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(90_010_001);
        String[] commodities = {"Corn", "Soybeans", "Wheat", "Soybean oil", "Soybean meal", "Oats", "Rough rice", "Canola"};
        String[] contractCodes = new String[CONTRACTS];
        for (int c = 0; c < CONTRACTS; c++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 300 + rnd.nextDouble() * 900;
            String code = "ZC" + (char) ('A' + c % 26) + (24 + c / 26 % 6) + "-" + c;
            contractCodes[c] = code;
            CONTRACTS_BY_CODE.put(code, new Contract(code, commodities[c % commodities.length], curve));
        }
        BrokerDesk desk = new BrokerDesk();
        SERVICE = desk;
        String[] brokerIds = new String[BROKERS];
        Inbox[] inboxByIndex = new Inbox[BROKERS];
        for (int b = 0; b < BROKERS; b++) {
            brokerIds[b] = "BRK-" + (4_100 + b);
            inboxByIndex[b] = new Inbox(brokerIds[b]);
            desk.inboxes.put(brokerIds[b], inboxByIndex[b]);
        }
        String[] accountNos = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountNos[a] = "AC" + (30_000_000 + a * 3);
            desk.accounts.put(accountNos[a], new ClientAccount(accountNos[a], brokerIds[rnd.nextInt(BROKERS)], "Farm account " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) desk.ticketBuffers.add(new byte[32_768]);
        // The first OPENERS brokers open their inbox now and then (every 20-40 minutes); the others never do.
        long[] nextOpen = new long[BROKERS];
        Random opens = new Random(90_010_003);
        for (int b = 0; b < BROKERS; b++) nextOpen[b] = b < OPENERS ? start + (20 + opens.nextInt(21)) * MINUTE : Long.MAX_VALUE;
        Random traffic = new Random(90_010_002);
        String[] kinds = {"PRICE_ALERT", "FILL", "MARGIN_CALL", "SPREAD_ALERT", "NEWS"};
        for (int i = 0; i < alerts; i++) {
            long t = start + (end - MINUTE - start) * i / alerts;
            for (int b = 0; b < OPENERS; b++) {
                while (nextOpen[b] <= t) { inboxByIndex[b].open(nextOpen[b]); nextOpen[b] += (20 + opens.nextInt(21)) * MINUTE; }
            }
            Inbox inbox = inboxByIndex[traffic.nextInt(BROKERS)];
            String contract = contractCodes[traffic.nextInt(CONTRACTS)];
            inbox.push(new Notification(80_000_000L + i, kinds[traffic.nextInt(kinds.length)], contract, t, new byte[24 + traffic.nextInt(32)]));
            if (i % 3 == 0) {
                desk.recentFills[(int) (desk.fills++ % RING)] = new Fill(accountNos[traffic.nextInt(ACCOUNTS)], contract, 1 + traffic.nextInt(50), 30_000 + traffic.nextInt(90_000), t);
                String key = "sheet-" + traffic.nextInt(5_000);
                if (desk.sheets.get(key) == null) desk.sheets.put(key, new QuoteSheet(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = desk.ticketBuffers.poll();
                buf[i % buf.length] = (byte) i;
                desk.ticketBuffers.add(buf);
            }
        }
        long held = 0, delivered = 0, openCount = 0, trimmed = 0;
        int maxHeld = 0, minHeld = Integer.MAX_VALUE, minNeverOpened = Integer.MAX_VALUE, neverOpened = 0;
        for (Inbox in : desk.inboxes.values()) {
            held += in.items.size(); delivered += in.delivered; openCount += in.opens; trimmed += in.trimmed;
            maxHeld = Math.max(maxHeld, in.items.size()); minHeld = Math.min(minHeld, in.items.size());
            if (in.opens == 0) { neverOpened++; minNeverOpened = Math.min(minNeverOpened, in.items.size()); }
        }
        long overCap = 0;
        for (Inbox in : desk.inboxes.values()) overCap += Math.max(0, in.items.size() - INBOX_KEEP);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " contracts " + CONTRACTS_BY_CODE.size() + " accounts " + desk.accounts.size() + " inboxes " + desk.inboxes.size()
                + " notifications held " + held + " (delivered " + delivered + ", trimmed " + trimmed + ", over cap " + overCap + ", min " + minHeld + " (never-opened min " + minNeverOpened + ") max " + maxHeld + " per inbox, never opened " + neverOpened + ", opens " + openCount + ")"
                + " sheets " + desk.sheets.size() + " (evicted " + desk.sheets.evicted + ") pool " + desk.ticketBuffers.size() + " fills " + desk.fills);
        check(CONTRACTS_BY_CODE.size() == CONTRACTS && desk.accounts.size() == ACCOUNTS && desk.inboxes.size() == BROKERS, "reference data / directories");
        check(delivered == alerts && held + trimmed == delivered, "alert traffic");
        check(neverOpened == BROKERS - OPENERS && openCount > 0, "openers");
        if (FIXED) check(held == (long) BROKERS * INBOX_KEEP && maxHeld == INBOX_KEEP, "capped inboxes: " + held);
        else check(minNeverOpened > INBOX_KEEP && held > (long) BROKERS * INBOX_KEEP, "inboxes past their cap: " + held);
        check(desk.sheets.size() == SHEET_CAP && desk.sheets.evicted > 0, "sheet cache at cap");
        check(desk.ticketBuffers.size() == POOL, "pool");
        check(desk.fills == (alerts + 2) / 3 && desk.recentFills[RING - 1] != null, "fill ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
