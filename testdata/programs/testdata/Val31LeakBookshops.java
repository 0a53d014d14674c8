// hprofscan-dump: name=val31-leak-bookshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val31-leak-bookshops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 31 (written blind), LEAK: the catalogue service of a bookshop chain. Shop reference
 * data, the in-store stock directory, a cache of book metadata at its cap, a pool of receipt
 * buffers, a ring of recent lookups, and a request-coalescing ("single flight") metadata loader:
 * a cache miss looks up the ISBN in a ConcurrentHashMap of in-flight loads and joins the running
 * fetch from the publisher feed, or starts one. The answer path removes the entry; the timeout path
 * completes the future exceptionally and forgets to remove it, so every timed-out load stays in the
 * map (and later requests for that ISBN are served the old failure). See VALIDATION31.md.
 */
public final class Val31LeakBookshops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT_MS = 3_000L;
    static final int HOURS = 10, SHOPS = 1_000, STOCK = 24_000, METADATA_CAP = 2_000, POOL = 8, RING = 16_384,
            LOOKUPS_PER_HOUR = 36_000, TITLES = 400_000, BESTSELLERS = 3_000, FAIL_PERCENT = 3;
    static boolean FIXED;

    record Shop(String code, String city, double[] hourlyFootfall) {}
    record StockRecord(String isbn, String shopCode, int onHand, byte[] shelfRecord, long receivedAt) {}
    record BookMetadata(String isbn, String title, String author, byte[] blurb, long fetchedAt) {}
    record Lookup(String isbn, String shopCode, boolean cached, long at) {}
    /** A request to the publisher feed that is answered (or times out) at {@code due}. */
    record Outstanding(String isbn, CompletableFuture<BookMetadata> future, long due, boolean willTimeOut, long hash) {}

    static final class MetadataCache extends LinkedHashMap<String, BookMetadata> {
        long evicted;
        MetadataCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BookMetadata> e) { if (size() > METADATA_CAP) { evicted++; return true; } return false; }
    }

    /** Request coalescing: one fetch per ISBN at a time, joined by every concurrent miss. */
    static final class MetadataLoader {
        final ConcurrentHashMap<String, CompletableFuture<BookMetadata>> inFlight = new ConcurrentHashMap<>();
        /** The feed client's pending requests, ordered by answer / timeout time. */
        final PriorityQueue<Outstanding> outstanding = new PriorityQueue<>(Comparator.comparingLong(Outstanding::due));
        final MetadataCache cache;
        long fetches, coalesced, answered, timedOut;
        MetadataLoader(MetadataCache cache) { this.cache = cache; }

        CompletableFuture<BookMetadata> load(String isbn, long at, long hash) {
            CompletableFuture<BookMetadata> running = inFlight.get(isbn);
            if (running != null) { coalesced++; return running; }
            CompletableFuture<BookMetadata> f = new CompletableFuture<>();
            inFlight.put(isbn, f);
            fetches++;
            boolean willTimeOut = Math.floorMod(hash, 100) < FAIL_PERCENT;
            outstanding.add(new Outstanding(isbn, f, at + (willTimeOut ? TIMEOUT_MS : 60 + Math.floorMod(hash >> 8, 900)), willTimeOut, hash));
            return f;
        }

        void completeDue(long upTo) {
            while (!outstanding.isEmpty() && outstanding.peek().due() <= upTo) {
                Outstanding o = outstanding.poll();
                if (o.willTimeOut()) onTimeout(o); else onAnswer(o);
            }
        }

        void onAnswer(Outstanding o) {
            BookMetadata m = new BookMetadata(o.isbn(), "Title " + o.isbn().substring(5), "Author " + Math.floorMod(o.hash() >> 20, 40_000), new byte[300 + (int) Math.floorMod(o.hash() >> 12, 300)], o.due());
            cache.put(o.isbn(), m);
            inFlight.remove(o.isbn());
            o.future().complete(m);
            answered++;
        }

        void onTimeout(Outstanding o) {
            timedOut++;
            o.future().completeExceptionally(new TimeoutException("metadata fetch for ISBN " + o.isbn() + " timed out after " + TIMEOUT_MS + " ms"));
            if (FIXED) inFlight.remove(o.isbn(), o.future()); // the failed load leaves the map like an answered one
            // BUG: the timeout path forgets to remove the entry; the failed future stays in inFlight
        }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class CatalogueService {
        final Map<String, StockRecord> stock = new HashMap<>();
        final MetadataCache metadata = new MetadataCache();
        final MetadataLoader loader = new MetadataLoader(metadata);
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Lookup[] recentLookups = new Lookup[RING];
        long lookups, cacheHits, servedFailures;
    }

    static CatalogueService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String isbn(int title) { return "978" + (1_000_000_000L + title * 2_477L % 9_000_000_000L); }

    /** The feed's behaviour for request i (latency, timeout), the same in the fixed run. */
    static long mix(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val31.fixed");
        int lookups = LOOKUPS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(31_020_001);
        String[] shopCodes = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            double[] footfall = new double[72];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 300;
            shopCodes[s] = "BS-" + (2_000 + s);
            SHOPS_BY_CODE.put(shopCodes[s], new Shop(shopCodes[s], "City " + (s % 250), footfall));
        }
        CatalogueService svc = new CatalogueService();
        SERVICE = svc;
        for (int k = 0; k < STOCK; k++) {
            String isbn = isbn(k * 16);
            svc.stock.put(isbn, new StockRecord(isbn, shopCodes[rnd.nextInt(SHOPS)], rnd.nextInt(12), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_020_002);
        long lastT = start;
        for (int i = 0; i < lookups; i++) {
            long t = start + (end - MINUTE - start) * i / lookups;
            lastT = t;
            svc.loader.completeDue(t);
            int title = traffic.nextInt(10) < 3 ? traffic.nextInt(BESTSELLERS) : traffic.nextInt(TITLES);
            String isbn = isbn(title); // parsed from the request: a fresh String
            String shop = shopCodes[traffic.nextInt(SHOPS)];
            svc.lookups++;
            BookMetadata m = svc.metadata.get(isbn);
            if (m != null) svc.cacheHits++;
            else {
                CompletableFuture<BookMetadata> f = svc.loader.load(isbn, t, mix(31_020_003L + i));
                if (f.isCompletedExceptionally()) svc.servedFailures++; // joined a load that had already failed
            }
            svc.recentLookups[(int) ((svc.lookups - 1) % RING)] = new Lookup(isbn, shop, m != null, t);
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
        }
        MetadataLoader l = svc.loader;
        int open = l.outstanding.size();
        System.out.println((FIXED ? "FIXED " : "") + "shops " + SHOPS_BY_CODE.size() + " stock " + svc.stock.size() + " lookups " + svc.lookups + " hits " + svc.cacheHits + " fetches " + l.fetches + " coalesced " + l.coalesced
                + " answered " + l.answered + " timedOut " + l.timedOut + " servedFailures " + svc.servedFailures + " outstanding " + open + " inFlight " + l.inFlight.size()
                + " metadata " + svc.metadata.size() + " (evicted " + svc.metadata.evicted + ") pool " + svc.receiptBuffers.size() + " last lookup " + (end - lastT) + " ms before the minute");
        check(SHOPS_BY_CODE.size() == SHOPS && svc.stock.size() == STOCK, "reference data / directory");
        check(svc.lookups == lookups && l.fetches == l.answered + l.timedOut + open, "feed traffic");
        check(open > 0 && open < 50, "a few loads in flight: " + open);
        if (FIXED) check(l.inFlight.size() == open, "only running loads in flight: " + l.inFlight.size());
        else check(l.inFlight.size() == l.timedOut + open, "failed loads stay: " + l.inFlight.size());
        check(svc.metadata.size() == METADATA_CAP && svc.metadata.evicted > 0, "metadata cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.recentLookups[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
