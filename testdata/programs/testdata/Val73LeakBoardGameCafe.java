// hprofscan-dump: name=val73-leak-boardgamecafe-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val73-leak-boardgamecafe-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val73-leak-boardgamecafe jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val73-leak-boardgamecafe-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), LEAK: the table-service backend of a chain of board-game
 * cafes. Cafe reference data, the game library directory, a cache of rendered table pages at its
 * cap, a pool of receipt-printer buffers, a ring of recent game checkouts, a per-thread scratch
 * buffer, and a DataLoader-style batching loader of table orders (order id -> loaded TableOrder)
 * that is meant to live for one request but is a field of the long-lived singleton service, so it
 * keeps every order any request ever loaded. See VALIDATION73.md.
 */
public final class Val73LeakBoardGameCafe {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CAFES = 1_200, GAMES = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, REQUESTS_PER_HOUR = 9_000, WINDOW = 300;
    static boolean FIXED;

    record Cafe(String code, String city, double[] hourlyFootfall) {}
    record Game(String sku, String title, byte[] rulesSummary, long acquiredAt) {}
    record TablePage(String key, byte[] rendered, long at) {}
    record Checkout(String sku, String tableCode, long at) {}
    /** A row of the orders table, as the loader materialises it. */
    record TableOrder(long id, String tableCode, long memberId, long openedAt, byte[] lineItems) {}

    /** DataLoader-style batching cache: collects ids, fetches the missing ones in one query, memoises. */
    static final class OrderLoader {
        final Map<Long, TableOrder> loaded = new HashMap<>();
        long batches, fetched, hits;
        List<TableOrder> loadMany(List<Long> ids, long[] openedAtById, String[] tableById) {
            List<TableOrder> out = new ArrayList<>(ids.size());
            List<Long> missing = new ArrayList<>();
            for (Long id : ids) if (loaded.containsKey(id)) hits++; else if (!missing.contains(id)) missing.add(id);
            if (!missing.isEmpty()) {
                batches++;
                for (Long id : missing) { // "SELECT ... WHERE id IN (...)"
                    int k = (int) (id - 40_000_000L);
                    loaded.put(id, new TableOrder(id, tableById[k], 700_000L + (id * 7_919L) % 90_000L, openedAtById[k], new byte[160 + (int) ((id * 31L) % 160)]));
                    fetched++;
                }
            }
            for (Long id : ids) out.add(loaded.get(id));
            return out;
        }
    }

    static final class PageCache extends LinkedHashMap<String, TablePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TablePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cafe> CAFES_BY_CODE = new HashMap<>();

    static final class CafeService {
        final Map<String, Game> games = new HashMap<>();
        final PageCache tablePages = new PageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Checkout[] recentCheckouts = new Checkout[RING];
        long checkouts, requests, ordersLoadedInRequests;
        final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[16_384]);
        /** BUG: one loader for the whole service; it should be created per request. */
        OrderLoader orderLoader = new OrderLoader();
        long fixedLoaderBatches;
    }

    static CafeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val73.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(73_010_001);
        String[] cafeCodes = new String[CAFES];
        for (int c = 0; c < CAFES; c++) {
            double[] footfall = new double[64];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 120;
            cafeCodes[c] = "CAFE-" + (3_000 + c);
            CAFES_BY_CODE.put(cafeCodes[c], new Cafe(cafeCodes[c], "City " + (c % 250), footfall));
        }
        CafeService svc = new CafeService();
        SERVICE = svc;
        if (FIXED) svc.orderLoader = null;
        String[] skus = new String[GAMES];
        String[] titles = {"Catan", "Carcassonne", "Ticket to Ride", "Azul", "Wingspan", "Pandemic", "Dixit", "Codenames", "Terraforming Mars"};
        for (int g = 0; g < GAMES; g++) {
            skus[g] = "BG-" + (100_000 + g);
            svc.games.put(skus[g], new Game(skus[g], titles[g % titles.length] + " #" + (g / titles.length), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(73_010_002);
        int maxOrders = requests / 3 + 1;
        long[] openedAtById = new long[maxOrders];
        String[] tableById = new String[maxOrders];
        int opened = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            if (i % 3 == 0) { // a party sits down: a new order row
                openedAtById[opened] = t;
                tableById[opened] = cafeCodes[traffic.nextInt(CAFES)] + "/T" + (1 + traffic.nextInt(24));
                opened++;
            }
            // request: the table's bill / kitchen display loads 1-3 recent orders in one batch
            int n = 1 + traffic.nextInt(3);
            List<Long> ids = new ArrayList<>(n);
            int lo = Math.max(0, opened - WINDOW);
            for (int k = 0; k < n; k++) ids.add(40_000_000L + lo + traffic.nextInt(opened - lo));
            OrderLoader loader = FIXED ? new OrderLoader() : svc.orderLoader;
            List<TableOrder> orders = loader.loadMany(ids, openedAtById, tableById);
            if (FIXED) svc.fixedLoaderBatches += loader.batches;
            svc.ordersLoadedInRequests += orders.size();
            svc.requests++;
            byte[] scratch = svc.scratch.get();
            scratch[i % scratch.length] = (byte) orders.get(0).lineItems().length;
            if (i % 2 == 0) {
                svc.recentCheckouts[(int) (svc.checkouts++ % RING)] = new Checkout(skus[traffic.nextInt(GAMES)], orders.get(0).tableCode(), t);
                String key = "table-" + traffic.nextInt(5_000);
                if (svc.tablePages.get(key) == null) svc.tablePages.put(key, new TablePage(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.receiptBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.receiptBuffers.add(buf);
            }
        }
        openedAtById = null; // the "database" rows are not part of the service's heap
        tableById = null;
        OrderLoader l = svc.orderLoader;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " cafes " + CAFES_BY_CODE.size() + " games " + svc.games.size() + " orders opened " + opened + " requests " + svc.requests
                + " loader " + (l == null ? "none (per request, batches " + svc.fixedLoaderBatches + ")" : l.loaded.size() + " loaded (batches " + l.batches + ", fetched " + l.fetched + ", hits " + l.hits + ")")
                + " pages " + svc.tablePages.size() + " (evicted " + svc.tablePages.evicted + ") pool " + svc.receiptBuffers.size() + " checkouts " + svc.checkouts);
        check(CAFES_BY_CODE.size() == CAFES && svc.games.size() == GAMES, "reference data / directory");
        check(opened == requests / 3 && svc.requests == requests, "traffic");
        if (FIXED) check(svc.orderLoader == null, "no long-lived loader");
        else check(l.loaded.size() == l.fetched && l.loaded.size() > opened * 9 / 10 && l.loaded.size() <= opened, "loader keeps every order ever loaded: " + l.loaded.size());
        check(svc.tablePages.size() == PAGE_CAP && svc.tablePages.evicted > 0, "page cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.checkouts == requests / 2 && svc.recentCheckouts[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
