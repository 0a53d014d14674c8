// hprofscan-dump: name=val86-leak-pricefeeds jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val86-leak-pricefeeds-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 86 (written blind), LEAK: the supplier price-feed importer of a DIY / hardware
 * retail chain. Suppliers send single price updates through an API and bulk price lists (CSV) every
 * 20 minutes; rows that fail validation throw a {@code PriceRowException}, which is kept with its
 * stack trace in a "recent errors" list for the operations page. Supplier reference data, the SKU
 * catalogue, a cache of rendered shelf-edge price pages at its cap, a pool of CSV parse buffers, a
 * ring of applied price changes, the current retail price of every SKU, and the recent-errors list, meant to
 * keep MAX_RECENT = 50 entries: both paths trim only when {@code size() == MAX_RECENT}, and the
 * bulk path adds a whole feed's errors at once, so the first bulk feed with errors jumps past 50
 * and the list is never trimmed again. See VALIDATION86.md.
 */
public final class Val86LeakPriceFeeds {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUPPLIERS = 1_100, SKUS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, MAX_RECENT = 50;
    static final int HOURS = 10, API_UPDATES_PER_MINUTE = 300, FEED_EVERY_MINUTES = 20, FEED_ROWS = 2_000;
    static boolean FIXED;

    record Supplier(String code, String name, double[] leadTimeDays) {}
    record CatalogItem(String sku, String supplierCode, String description, byte[] spec, long listedAt) {}
    record PricePage(String key, byte[] rendered, long at) {}
    record PriceChange(String sku, String supplierCode, long oldCents, long newCents, long at) {}
    record PriceRow(String supplierCode, String sku, int row, long costCents, long retailCents, String currency) {}
    /** One entry of the operations page. */
    record ErrorRecord(long at, String supplierCode, String feedId, int row, String fingerprint, Throwable error) {}

    static final class PriceRowException extends Exception {
        final String supplierCode, sku; final int row;
        PriceRowException(String message, String supplierCode, String sku, int row) { super(message); this.supplierCode = supplierCode; this.sku = sku; this.row = row; }
    }

    /** Recent errors for the operations page; meant to keep the last MAX_RECENT. */
    static final class RecentErrors {
        final List<ErrorRecord> recent = new ArrayList<>();
        long recorded, trimmed;
        void add(ErrorRecord e) {
            if (recent.size() == MAX_RECENT) { recent.remove(0); trimmed++; } // BUG: == instead of >=
            recent.add(e); recorded++;
            if (FIXED) trim();
        }
        void addAll(List<ErrorRecord> batch) {
            if (recent.size() == MAX_RECENT) { recent.remove(0); trimmed++; } // BUG: trims one, adds a batch
            recent.addAll(batch); recorded += batch.size();
            if (FIXED) trim();
        }
        /** The fix: trim down to MAX_RECENT after every add. */
        void trim() { while (recent.size() > MAX_RECENT) { recent.remove(0); trimmed++; } }
    }

    static final class PageCache extends LinkedHashMap<String, PricePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PricePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class PriceValidator {
        static void validate(PriceRow r) throws PriceRowException {
            checkCurrency(r);
            checkMargin(r);
        }
        static void checkCurrency(PriceRow r) throws PriceRowException {
            if (!r.currency().equals("GBP")) throw new PriceRowException("row " + r.row() + " of " + r.supplierCode() + ": unsupported currency " + r.currency() + " for " + r.sku(), r.supplierCode(), r.sku(), r.row());
        }
        static void checkMargin(PriceRow r) throws PriceRowException {
            if (r.retailCents() <= r.costCents()) throw new PriceRowException("row " + r.row() + " of " + r.supplierCode() + ": retail " + r.retailCents() + " not above cost " + r.costCents() + " for " + r.sku(), r.supplierCode(), r.sku(), r.row());
        }
    }

    static final class RowMapper {
        static PriceRow map(String supplierCode, String sku, int row, Random r) {
            long cost = 100 + r.nextInt(20_000);
            int k = r.nextInt(1_000);
            long retail = k < 12 ? cost - r.nextInt(50) : cost + 1 + r.nextInt(5_000); // 1.2% below cost
            String currency = k >= 12 && k < 18 ? "EUR" : "GBP";                           // 0.6% wrong currency
            return new PriceRow(supplierCode, sku, row, cost, retail, currency);
        }
    }

    static final Map<String, Supplier> SUPPLIERS_BY_CODE = new HashMap<>();

    static final class PriceService {
        final Map<String, CatalogItem> catalog = new HashMap<>();
        final Map<String, Long> retail = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> csvBuffers = new ArrayDeque<>();
        final PriceChange[] applied = new PriceChange[RING];
        long appliedCount, rows, feeds;
        final RecentErrors errors = new RecentErrors();

        ErrorRecord errorRecord(long at, String feedId, PriceRowException e) {
            StackTraceElement[] st = e.getStackTrace(); // fills the exception's stack trace for the page
            String fingerprint = st[0].getMethodName() + "@" + st[0].getLineNumber() + "/" + st.length;
            return new ErrorRecord(at, e.supplierCode, feedId, e.row, fingerprint, e);
        }

        boolean apply(PriceRow row, long at, Random r) throws PriceRowException {
            rows++;
            PriceValidator.validate(row);
            Long old = retail.put(row.sku(), row.retailCents());
            applied[(int) (appliedCount++ % RING)] = new PriceChange(row.sku(), row.supplierCode(), old == null ? 0 : old, row.retailCents(), at);
            String key = "page-" + r.nextInt(5_000);
            if (pages.get(key) == null) pages.put(key, new PricePage(key, new byte[500 + r.nextInt(500)], at));
            return true;
        }

        void apiUpdate(String supplierCode, String sku, long at, Random r) {
            PriceRow row = RowMapper.map(supplierCode, sku, 1, r);
            try {
                apply(row, at, r);
            } catch (PriceRowException e) {
                errors.add(errorRecord(at, "api", e));
            }
        }

        void importBulk(String feedId, String supplierCode, String[] skus, long at, Random r) {
            feeds++;
            byte[] buf = csvBuffers.poll();
            List<ErrorRecord> failed = new ArrayList<>();
            for (int i = 0; i < FEED_ROWS; i++) {
                buf[i % buf.length] = (byte) i;
                PriceRow row = RowMapper.map(supplierCode, skus[r.nextInt(skus.length)], i + 2, r);
                try {
                    apply(row, at, r);
                } catch (PriceRowException e) {
                    failed.add(errorRecord(at, feedId, e));
                }
            }
            csvBuffers.add(buf);
            if (!failed.isEmpty()) errors.addAll(failed);
        }
    }

    static PriceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val86.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(86_030_001);
        String[] supplierCodes = new String[SUPPLIERS];
        for (int s = 0; s < SUPPLIERS; s++) {
            double[] lead = new double[72];
            for (int k = 0; k < lead.length; k++) lead[k] = 1 + rnd.nextDouble() * 20;
            supplierCodes[s] = "SUP-" + (60_000 + s * 3);
            SUPPLIERS_BY_CODE.put(supplierCodes[s], new Supplier(supplierCodes[s], "Supplier " + s, lead));
        }
        PriceService svc = new PriceService();
        SERVICE = svc;
        String[] skus = new String[SKUS];
        for (int i = 0; i < SKUS; i++) {
            skus[i] = "DIY" + (3_000_000 + i * 7);
            svc.catalog.put(skus[i], new CatalogItem(skus[i], supplierCodes[rnd.nextInt(SUPPLIERS)], "Product " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.csvBuffers.add(new byte[32_768]);
        Random traffic = new Random(86_030_002);
        int minutes = HOURS * 60;
        long firstOverflowAt = 0;
        for (int m = 0; m < minutes; m++) {
            long tm = start + m * MINUTE;
            for (int u = 0; u < API_UPDATES_PER_MINUTE; u++) {
                svc.apiUpdate(supplierCodes[traffic.nextInt(SUPPLIERS)], skus[traffic.nextInt(SKUS)], tm + u * (MINUTE / API_UPDATES_PER_MINUTE), traffic);
            }
            if (m % FEED_EVERY_MINUTES == FEED_EVERY_MINUTES - 1) {
                String supplier = supplierCodes[traffic.nextInt(SUPPLIERS)];
                svc.importBulk("feed-" + supplier + "-" + m, supplier, skus, tm + 30_000, traffic);
            }
            if (firstOverflowAt == 0 && svc.errors.recent.size() > MAX_RECENT) firstOverflowAt = tm;
        }
        RecentErrors e = svc.errors;
        System.out.println((FIXED ? "FIXED " : "") + "suppliers " + SUPPLIERS_BY_CODE.size() + " catalog " + svc.catalog.size() + " rows " + svc.rows + " feeds " + svc.feeds + " applied " + svc.appliedCount
                + " errors recorded " + e.recorded + " kept " + e.recent.size() + " trimmed " + e.trimmed + " first past 50 at minute " + (firstOverflowAt == 0 ? -1 : (firstOverflowAt - start) / MINUTE)
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.csvBuffers.size() + " prices " + svc.retail.size());
        check(SUPPLIERS_BY_CODE.size() == SUPPLIERS && svc.catalog.size() == SKUS, "reference data / directory");
        check(svc.feeds == minutes / FEED_EVERY_MINUTES && svc.rows == (long) minutes * API_UPDATES_PER_MINUTE + svc.feeds * FEED_ROWS, "traffic");
        check(e.recorded == svc.rows - svc.appliedCount && e.recorded > 1_000, "every rejected row recorded");
        if (FIXED) check(e.recent.size() == MAX_RECENT && e.trimmed == e.recorded - MAX_RECENT, "recent errors trimmed: " + e.recent.size());
        else check(e.recent.size() == e.recorded - e.trimmed && e.recent.size() > 1_000, "recent errors never trimmed after the first bulk feed: " + e.recent.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.csvBuffers.size() == POOL, "pool");
        check(svc.appliedCount > RING && svc.applied[RING - 1] != null, "ring wraps");
        LeakCheck.histogram("java.lang.StackTraceElement");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
