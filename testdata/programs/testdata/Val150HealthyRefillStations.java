// hprofscan-dump: name=val150-healthy-refillstations-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val150-healthy-refillstations-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val150-healthy-refillstations jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val150-healthy-refillstations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 150 (written blind), HEALTHY: the till service of a chain of zero-waste refill
 * shops. Product reference data, the directory of registered refill containers, a cache of rendered
 * receipts at its cap, a pool of label-printer buffers, a ring of recent receipts, the customers'
 * refill accounts as event-sourced aggregates (a fixed 360) whose event lists really are truncated
 * after each snapshot (every 20 events), and a client of the stock service that deduplicates
 * in-flight stock lookups in a ConcurrentHashMap of CompletableFutures and removes the entry in
 * whenComplete, whether the lookup succeeded or failed (4% fail). See VALIDATION150.md.
 */
public final class Val150HealthyRefillStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PRODUCTS = 1_200, CONTAINERS = 25_000, ACCOUNTS = 360, RECEIPT_CAP = 2_000, POOL = 8, RING = 16_384, EVENTS_PER_HOUR = 6_000, SNAPSHOT_EVERY = 20, MAX_OUTSTANDING = 12;

    record Product(String sku, String name, double[] pricePerGramByWeek) {}
    record Container(String tag, String ownerAccount, String kind, byte[] washHistory, long registeredAt) {}
    record RenderedReceipt(String key, byte[] rendered, long at) {}
    record Receipt(String accountNo, String sku, int grams, long at) {}
    record AccountEvent(long seq, String type, String accountNo, String sku, int grams, long at, byte[] payload) {}
    record AccountSnapshot(String accountNo, long version, long at, long gramsRefilled, int visits, long pointsBalance) {}
    record StockLevel(String key, long at, int grams) {}

    static final class StockUnavailableException extends Exception {
        StockUnavailableException(String key) { super("stock service did not answer for " + key); }
    }

    /** Event-sourced refill account: state + the events since the last snapshot. */
    static final class RefillAccount {
        final String accountNo;
        final List<AccountEvent> events = new ArrayList<>();
        AccountSnapshot snapshot;
        long version, gramsRefilled, points;
        int visits, snapshots;
        RefillAccount(String accountNo) { this.accountNo = accountNo; }
        void apply(AccountEvent e) {
            events.add(e);
            version = e.seq();
            gramsRefilled += e.grams();
            points += e.grams() / 100;
            if (e.type().equals("REFILL")) visits++;
        }
        void takeSnapshot(long at) {
            snapshot = new AccountSnapshot(accountNo, version, at, gramsRefilled, visits, points);
            snapshots++;
            events.subList(0, events.size()).clear(); // the snapshot covers them: really dropped
        }
    }

    record Call(String key, CompletableFuture<StockLevel> future) {}

    static final class StockClient {
        final ConcurrentHashMap<String, CompletableFuture<StockLevel>> inflight = new ConcurrentHashMap<>();
        final ArrayDeque<Call> outstanding = new ArrayDeque<>();
        long lookups, joined, calls, succeeded, failed;
        CompletableFuture<StockLevel> lookup(String key) {
            lookups++;
            CompletableFuture<StockLevel> existing = inflight.get(key);
            if (existing != null) { joined++; return existing; }
            CompletableFuture<StockLevel> f = new CompletableFuture<>();
            inflight.put(key, f);
            f.whenComplete((level, error) -> inflight.remove(key)); // whatever the outcome
            outstanding.add(new Call(key, f));
            calls++;
            return f;
        }
        void answerOldest(Random r, long at) {
            Call c = outstanding.poll();
            if (r.nextInt(100) < 4) { failed++; c.future().completeExceptionally(new StockUnavailableException(c.key())); }
            else { succeeded++; c.future().complete(new StockLevel(c.key(), at, r.nextInt(20_000))); }
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, RenderedReceipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedReceipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_SKU = new HashMap<>();

    static final class TillService {
        final Map<String, Container> containers = new HashMap<>();
        final Map<String, RefillAccount> accounts = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Receipt[] recentReceipts = new Receipt[RING];
        final StockClient stock = new StockClient();
        long receiptCount, applied;
    }

    static TillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(150_050_001);
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 0.002 + rnd.nextDouble() * 0.05;
            skus[p] = "SKU-" + (40_000 + p);
            PRODUCTS_BY_SKU.put(skus[p], new Product(skus[p], "Bulk item " + p, prices));
        }
        TillService svc = new TillService();
        SERVICE = svc;
        String[] accountNos = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountNos[a] = "RF-" + (70_000 + a * 13);
            svc.accounts.put(accountNos[a], new RefillAccount(accountNos[a]));
        }
        String[] kinds = {"jar", "bottle", "tin", "pouch"};
        for (int c = 0; c < CONTAINERS; c++) {
            String tag = "CT" + (5_500_000 + c * 7);
            svc.containers.put(tag, new Container(tag, accountNos[rnd.nextInt(ACCOUNTS)], kinds[c % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(150_050_002);
        Random stockOutcomes = new Random(150_050_003);
        String[] types = {"REFILL", "REFILL", "RETURN_DEPOSIT", "POINTS_REDEEMED", "CONTAINER_WASHED"};
        int maxLive = 0, maxInflight = 0;
        StockClient stock = svc.stock;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            RefillAccount acc = svc.accounts.get(accountNos[traffic.nextInt(ACCOUNTS)]);
            String sku = skus[traffic.nextInt(PRODUCTS)];
            int grams = 50 + traffic.nextInt(1_500);
            acc.apply(new AccountEvent(80_000_000L + i, types[traffic.nextInt(types.length)], acc.accountNo, sku, grams, t, new byte[40 + traffic.nextInt(40)]));
            svc.applied++;
            maxLive = Math.max(maxLive, acc.events.size());
            if (acc.events.size() >= SNAPSHOT_EVERY) acc.takeSnapshot(t);
            String stockKey = "stock/" + (i % 40) + "/" + sku;
            stock.lookup(stockKey);
            if (traffic.nextInt(4) == 0) stock.lookup(stockKey); // the shelf display asks too
            while (stock.outstanding.size() > MAX_OUTSTANDING) stock.answerOldest(stockOutcomes, t);
            maxInflight = Math.max(maxInflight, stock.inflight.size());
            svc.recentReceipts[(int) (svc.receiptCount++ % RING)] = new Receipt(acc.accountNo, sku, grams, t);
            String key = "receipt-" + traffic.nextInt(4_000);
            if (svc.receipts.get(key) == null) svc.receipts.put(key, new RenderedReceipt(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        long live = 0, snapshots = 0;
        for (RefillAccount a : svc.accounts.values()) { live += a.events.size(); snapshots += a.snapshots; }
        System.out.println("stage " + stage + " products " + PRODUCTS_BY_SKU.size() + " containers " + svc.containers.size() + " accounts " + svc.accounts.size() + " events " + svc.applied + " kept " + live + " (max " + maxLive + ") snapshots " + snapshots
                + " stock lookups " + stock.lookups + " joined " + stock.joined + " calls " + stock.calls + " failed " + stock.failed + " in flight " + stock.inflight.size() + " (max " + maxInflight + ") receipts ring " + Math.min(RING, svc.receiptCount) + " of " + svc.receiptCount
                + " cache " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.labelBuffers.size());
        check(PRODUCTS_BY_SKU.size() == PRODUCTS && svc.containers.size() == CONTAINERS && svc.accounts.size() == ACCOUNTS, "reference data / directories");
        check(svc.applied == events && live + snapshots * SNAPSHOT_EVERY == events && maxLive <= SNAPSHOT_EVERY, "account events truncated: " + live);
        check(stock.inflight.size() == stock.outstanding.size() && stock.outstanding.size() <= MAX_OUTSTANDING && stock.failed > 0 && stock.calls == stock.succeeded + stock.failed + stock.outstanding.size(), "stock dedup map");
        check(svc.receiptCount == events && svc.recentReceipts[(int) Math.min(RING, events) - 1] != null, "receipt ring");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        skus = null;
        accountNos = null;
        stock = null;
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
