// hprofscan-dump: name=val139-healthy-haberdashery-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val139-healthy-haberdashery-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val139-healthy-haberdashery jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val139-healthy-haberdashery-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 139 (written blind), HEALTHY (growth series 1 / 4 / 8 h): the web shop of an
 * online haberdashery (ribbons, lace, buttons, zips, threads, trims). Supplier reference data, the
 * product catalogue, a cache of product pages at its cap, a cache of swatch photos that warms up
 * in the first hours, a pool of cutting-label buffers, a packing queue with its normal backlog,
 * and look-alikes of the set's leaks done right: the end-of-roll remnant store (a primary map of
 * remnants by id, swept after an hour) with a tag index that the sweeper cleans on every removal;
 * a logging configuration whose in-memory appender is a bounded ring of the last 4,096 events; a
 * per-worker request-context stack (ThreadLocal ArrayDeque on the 4 API workers) popped in a
 * finally. See VALIDATION139.md.
 */
public final class Val139HealthyHaberdashery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, REMNANT_TTL = HOUR, PACK_AFTER = 20 * MINUTE;
    static final int SUPPLIERS = 900, PRODUCTS = 24_000, PAGE_CAP = 2_000, SWATCH_CAP = 1_500, POOL = 8, LOG_RING = 4_096,
            ORDER_RING = 512, WORKERS = 4, REQUESTS_PER_MINUTE = 100, REMNANTS_PER_MINUTE = 50;

    static final String[] MATERIALS = {"cotton", "satin", "velvet", "grosgrain", "organza", "lace", "jersey", "linen", "tweed", "felt",
        "elastic", "bias-binding", "petersham", "tulle", "chiffon", "denim", "silk", "wool", "polyester", "metallic"};
    static final String[] COLOURS = {"ivory", "black", "navy", "red", "bottle-green", "sage", "dusky-pink", "fuchsia", "mustard", "ochre",
        "teal", "duck-egg", "cobalt", "lilac", "plum", "burgundy", "coral", "peach", "lemon", "mint", "forest", "olive", "khaki", "camel",
        "chocolate", "taupe", "silver-grey", "charcoal", "white", "cream", "gold", "silver", "copper", "rose-gold", "turquoise", "aqua",
        "royal-blue", "sky", "orange", "cerise"};
    static final String[] WIDTHS = {"3mm", "6mm", "9mm", "10mm", "15mm", "16mm", "25mm", "38mm", "50mm", "75mm", "112cm", "150cm"};
    static final String[] OFFERS = {"clearance", "bundle", "seconds", "last-roll"};
    static final String[] UNITS = {"per metre", "per card", "per pack", "each", "per reel"};

    enum Level { DEBUG, INFO, WARN, ERROR }
    record Supplier(String code, String name, String country, double[] leadTimeDays) {}
    record Product(String sku, String title, String colour, String unit, int priceP, byte[] spec, long listedAt) {}
    record Remnant(long id, String sku, String title, int lengthCm, int priceP, String[] tags, long postedAt) {}
    record CachedPage(String key, byte[] html, long at) {}
    record Swatch(String key, byte[] jpeg, long at) {}
    record LogEvent(Level level, String logger, String template, Object[] args, String thread, long at) {}
    record Order(String orderId, String customerId, String sku, int qty, int totalP, long at) {}
    record PackJob(Order order, long queuedAt) {}
    record Request(long seq, int kind, String customerId, String sku, String key, int qty, byte[] body, boolean invalid, long at) {}
    record Response(Request request, int priceP, int lines) {}

    static final class InvalidBasketException extends Exception {
        InvalidBasketException(String m) { super(m); }
    }

    /** A request's context on its worker; pushed on entry, popped in a finally. */
    static final class RequestContext {
        final String requestId, customerId; final Map<String, String> attributes = new HashMap<>(); final byte[] body; final long startedAt;
        RequestContext(String requestId, String customerId, byte[] body, long startedAt) { this.requestId = requestId; this.customerId = customerId; this.body = body; this.startedAt = startedAt; }
    }

    static final class RequestScope {
        static final ThreadLocal<ArrayDeque<RequestContext>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
        static final AtomicLong PUSHED = new AtomicLong(), POPPED = new AtomicLong();
        static void enter(RequestContext c) { STACK.get().push(c); PUSHED.incrementAndGet(); }
        static void exit() { STACK.get().pop(); POPPED.incrementAndGet(); }
    }

    // ---- logging: a console appender and a bounded in-memory ring ----
    interface Appender { void append(LogEvent e); }
    static final class ConsoleAppender implements Appender {
        final StringBuilder line = new StringBuilder(512); long lines, chars;
        public void append(LogEvent e) {
            line.setLength(0);
            line.append(e.at()).append(' ').append(e.level()).append(' ').append(e.logger()).append(" - ");
            int a = 0; String t = e.template();
            for (int i = 0; i < t.length(); i++) {
                if (t.charAt(i) == '{' && i + 1 < t.length() && t.charAt(i + 1) == '}' && a < e.args().length) { line.append(e.args()[a++]); i++; } else line.append(t.charAt(i));
            }
            lines++; chars += line.length();
        }
    }
    static final class RingAppender implements Appender {
        final LogEvent[] ring = new LogEvent[LOG_RING]; long written;
        public void append(LogEvent e) { ring[(int) (written++ % LOG_RING)] = e; }
        int size() { return (int) Math.min(written, LOG_RING); }
    }
    static final class LogConfig {
        Level threshold = Level.INFO;
        final List<Appender> appenders = new ArrayList<>();
        long filtered;
        void log(Level level, String logger, String template, long at, Object... args) {
            if (level.ordinal() < threshold.ordinal()) { filtered++; return; }
            LogEvent e = new LogEvent(level, logger, template, args, Thread.currentThread().getName(), at);
            for (Appender a : appenders) a.append(e);
        }
    }
    static final LogConfig LOGGING = new LogConfig();

    // ---- caches ----
    static final class PageCache extends LinkedHashMap<String, CachedPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CachedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }
    static final class SwatchCache extends LinkedHashMap<String, Swatch> {
        long evicted;
        SwatchCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Swatch> e) { if (size() > SWATCH_CAP) { evicted++; return true; } return false; }
    }

    /** End-of-roll remnants: by id (swept after an hour) and indexed by tag; the sweeper cleans both. */
    static final class RemnantStore {
        final Map<Long, Remnant> byId = new HashMap<>();
        final Map<String, Set<Long>> byTag = new HashMap<>();
        long posted, expired;
        void add(Remnant r) {
            byId.put(r.id(), r);
            for (String tag : r.tags()) byTag.computeIfAbsent(tag, k -> new HashSet<>()).add(r.id());
            posted++;
        }
        void remove(Remnant r) {
            byId.remove(r.id());
            for (String tag : r.tags()) {
                Set<Long> ids = byTag.get(tag);
                if (ids != null && ids.remove(r.id()) && ids.isEmpty()) byTag.remove(tag);
            }
        }
        void sweep(long now) {
            List<Remnant> old = new ArrayList<>();
            for (Remnant r : byId.values()) if (r.postedAt() < now - REMNANT_TTL) old.add(r);
            for (Remnant r : old) { remove(r); expired++; }
        }
        int search(String tag) {
            Set<Long> ids = byTag.get(tag);
            if (ids == null) return 0;
            int found = 0;
            for (Long id : ids) if (byId.containsKey(id)) found++;
            return found;
        }
        long indexEntries() { long n = 0; for (Set<Long> s : byTag.values()) n += s.size(); return n; }
    }

    static final class ShopService {
        final Map<String, Product> products = new HashMap<>();
        final String[] skus = new String[PRODUCTS];
        final RemnantStore remnants = new RemnantStore();
        final PageCache pages = new PageCache();
        final SwatchCache swatches = new SwatchCache();
        final ArrayDeque<byte[]> cutBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[ORDER_RING];
        final ArrayDeque<PackJob> packQueue = new ArrayDeque<>();
        final ConsoleAppender console = new ConsoleAppender();
        final RingAppender recentLog = new RingAppender();
        ThreadPoolExecutor api;
        long requests, failed, orders, packed, pageViews, swatchViews, searches, searchHits, labelsPrinted;

        /** Runs on an API worker: reads only the catalogue (read-only after startup). */
        Response handle(Request req) throws InvalidBasketException {
            RequestContext ctx = new RequestContext("rq-" + Long.toHexString(0x6c00_0000L + req.seq()), req.customerId(), req.body(), req.at());
            ctx.attributes.put("customer", req.customerId());
            ctx.attributes.put("sku", req.sku());
            ctx.attributes.put("channel", req.kind() == 3 ? "checkout" : "browse");
            ctx.attributes.put("locale", "en-GB");
            ctx.attributes.put("bodyBytes", Integer.toString(req.body().length));
            RequestScope.enter(ctx);
            try {
                Product p = products.get(req.sku());
                if (req.invalid()) throw new InvalidBasketException("basket " + ctx.requestId + ": " + req.sku() + " not sold in quantity " + req.qty());
                int lines = 0;
                for (int i = 0; i < req.body().length; i += 64) lines += req.body()[i] & 1;
                return new Response(req, p.priceP() * Math.max(1, req.qty()), lines);
            } finally {
                RequestScope.exit();
            }
        }
    }

    static final Map<String, Supplier> SUPPLIERS_BY_CODE = new HashMap<>();
    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void startup(long now) {
        Random rnd = new Random(139_010_001);
        String[] countries = {"GB", "FR", "IT", "DE", "PT", "IN", "JP", "CN", "TR", "BE"};
        for (int s = 0; s < SUPPLIERS; s++) {
            double[] lead = new double[60];
            for (int k = 0; k < lead.length; k++) lead[k] = 2 + rnd.nextDouble() * 40;
            String code = "SUP-" + (3_000 + s);
            SUPPLIERS_BY_CODE.put(code, new Supplier(code, "Trimmings Co " + s, countries[s % countries.length], lead));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "HB" + (100_000 + i * 7);
            svc.skus[i] = sku;
            String material = MATERIALS[rnd.nextInt(MATERIALS.length)], colour = COLOURS[rnd.nextInt(COLOURS.length)];
            svc.products.put(sku, new Product(sku, WIDTHS[rnd.nextInt(WIDTHS.length)] + " " + colour + " " + material + " ribbon #" + i, colour,
                    UNITS[rnd.nextInt(UNITS.length)], 45 + rnd.nextInt(1_800), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.cutBuffers.add(new byte[32_768]);
        LOGGING.appenders.add(svc.console);
        LOGGING.appenders.add(svc.recentLog);
        AtomicInteger n = new AtomicInteger();
        svc.api = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "shop-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static void simulate(int hours) throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        startup(now);
        ShopService svc = SERVICE;
        Random traffic = new Random(139_010_002), stock = new Random(139_010_003);
        long remnantSeq = 0;
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            svc.remnants.sweep(t);
            for (int k = 0; k < REMNANTS_PER_MINUTE; k++) {
                String sku = svc.skus[stock.nextInt(PRODUCTS)];
                Product p = svc.products.get(sku);
                int nTags = 3 + stock.nextInt(2);
                String[] tags = new String[nTags];
                tags[0] = MATERIALS[stock.nextInt(MATERIALS.length)];
                tags[1] = p.colour();
                tags[2] = WIDTHS[stock.nextInt(WIDTHS.length)];
                if (nTags == 4) tags[3] = OFFERS[stock.nextInt(OFFERS.length)];
                long id = 4_400_000_000L + remnantSeq++;
                svc.remnants.add(new Remnant(id, sku, "Remnant " + (20 + stock.nextInt(180)) + "cm of " + p.title(), 20 + stock.nextInt(180), 30 + stock.nextInt(600), tags, t + k * 1_000L));
            }
            while (!svc.packQueue.isEmpty() && svc.packQueue.peekFirst().queuedAt() <= t - PACK_AFTER) {
                PackJob job = svc.packQueue.pollFirst();
                byte[] buf = svc.cutBuffers.poll();
                buf[(int) (svc.packed % buf.length)] = (byte) job.order().qty();
                svc.cutBuffers.add(buf);
                svc.packed++; svc.labelsPrinted++;
                LOGGING.log(Level.DEBUG, "shop.packing", "packed {} ({} items)", t, job.order().orderId(), job.order().qty());
            }
            List<Request> batch = new ArrayList<>(REQUESTS_PER_MINUTE);
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                int roll = traffic.nextInt(100);
                int kind = roll < 55 ? 0 : roll < 80 ? 1 : roll < 92 ? 2 : 3;
                String sku = svc.skus[traffic.nextInt(PRODUCTS)];
                String key = kind == 0 ? "page-" + traffic.nextInt(5_000) : kind == 1 ? "swatch-" + traffic.nextInt(6_000)
                        : kind == 2 ? (traffic.nextBoolean() ? MATERIALS[traffic.nextInt(MATERIALS.length)] : COLOURS[traffic.nextInt(COLOURS.length)]) : null;
                boolean invalid = traffic.nextInt(100) < 5;
                batch.add(new Request(svc.requests++, kind, "CU" + (500_000 + traffic.nextInt(60_000)), sku, key, 1 + traffic.nextInt(6),
                        new byte[512 + traffic.nextInt(1_024)], invalid, t + k * 600L));
            }
            List<Callable<Response>> tasks = new ArrayList<>(batch.size());
            for (Request r : batch) tasks.add(() -> svc.handle(r));
            List<Future<Response>> results = svc.api.invokeAll(tasks);
            for (int k = 0; k < results.size(); k++) {
                Request req = batch.get(k);
                Response resp;
                try {
                    resp = results.get(k).get();
                } catch (ExecutionException e) {
                    svc.failed++;
                    LOGGING.log(Level.WARN, "shop.api", "request {} rejected: {}", req.at(), Long.toHexString(0x6c00_0000L + req.seq()), e.getCause().getMessage());
                    continue;
                }
                switch (req.kind()) {
                    case 0 -> {
                        svc.pageViews++;
                        if (svc.pages.get(req.key()) == null) svc.pages.put(req.key(), new CachedPage(req.key(), new byte[400 + traffic.nextInt(400)], req.at()));
                        LOGGING.log(Level.INFO, "shop.catalogue", "page {} served for {}", req.at(), req.key(), req.sku());
                    }
                    case 1 -> {
                        svc.swatchViews++;
                        if (svc.swatches.get(req.key()) == null) svc.swatches.put(req.key(), new Swatch(req.key(), new byte[1_500 + traffic.nextInt(1_000)], req.at()));
                        LOGGING.log(Level.DEBUG, "shop.swatches", "swatch {}", req.at(), req.key());
                    }
                    case 2 -> {
                        svc.searches++;
                        int hits = svc.remnants.search(req.key());
                        svc.searchHits += hits;
                        LOGGING.log(Level.INFO, "shop.remnants", "remnant search {} found {}", req.at(), req.key(), hits);
                    }
                    default -> {
                        Order o = new Order("HO-" + (7_000_000 + svc.orders), req.customerId(), req.sku(), req.qty(), resp.priceP(), req.at());
                        svc.recentOrders[(int) (svc.orders++ % ORDER_RING)] = o;
                        svc.packQueue.addLast(new PackJob(o, req.at()));
                        LOGGING.log(Level.INFO, "shop.orders", "order {} placed by {} total {}p", req.at(), o.orderId(), o.customerId(), o.totalP());
                    }
                }
            }
        }
        svc.remnants.sweep(end);
    }

    static void awaitIdleWorkers() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            int waiting = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("shop-api-") && t.getState() == Thread.State.WAITING) waiting++;
            if (waiting == WORKERS) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("API workers not idle");
    }

    static void verify(int stage, int hours) throws InterruptedException {
        ShopService svc = SERVICE;
        awaitIdleWorkers();
        int workers = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("shop-api-")) workers++;
        long requests = (long) hours * 60 * REQUESTS_PER_MINUTE;
        long indexEntries = svc.remnants.indexEntries(), liveTags = 0;
        for (Remnant r : svc.remnants.byId.values()) liveTags += r.tags().length;
        boolean noEmpty = true;
        for (Set<Long> s : svc.remnants.byTag.values()) noEmpty &= !s.isEmpty();
        System.out.println("stage " + stage + " suppliers " + SUPPLIERS_BY_CODE.size() + " products " + svc.products.size() + " requests " + svc.requests + " failed " + svc.failed
                + " remnants " + svc.remnants.byId.size() + " (posted " + svc.remnants.posted + " expired " + svc.remnants.expired + ") tags " + svc.remnants.byTag.size() + " index " + indexEntries
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") swatches " + svc.swatches.size() + " (evicted " + svc.swatches.evicted + ")"
                + " orders " + svc.orders + " packed " + svc.packed + " backlog " + svc.packQueue.size() + " log ring " + svc.recentLog.size() + " (written " + svc.recentLog.written
                + ", console " + svc.console.lines + ", filtered " + LOGGING.filtered + ") searches " + svc.searches + " hits " + svc.searchHits
                + " contexts pushed " + RequestScope.PUSHED.get() + " popped " + RequestScope.POPPED.get() + " workers " + workers);
        check(SUPPLIERS_BY_CODE.size() == SUPPLIERS && svc.products.size() == PRODUCTS, "reference data / catalogue");
        check(svc.requests == requests && RequestScope.PUSHED.get() == requests && RequestScope.POPPED.get() == requests, "every context popped");
        check(workers == WORKERS, "4 API workers");
        check(svc.remnants.byId.size() == 60 * REMNANTS_PER_MINUTE && svc.remnants.posted == (long) hours * 60 * REMNANTS_PER_MINUTE, "remnants live for an hour");
        check(indexEntries == liveTags && noEmpty, "tag index cleaned with the store: " + indexEntries + " vs " + liveTags);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at its cap");
        check(stage == 1 ? svc.swatches.size() < SWATCH_CAP : svc.swatches.size() == SWATCH_CAP, "swatch cache warming");
        check(svc.cutBuffers.size() == POOL, "pool");
        check(svc.recentLog.size() == LOG_RING && svc.console.lines == svc.recentLog.written, "log ring full");
        check(svc.packQueue.size() > 0 && svc.packQueue.size() < 400 && svc.orders == svc.packed + svc.packQueue.size(), "pack backlog");
        // the truth table (VALIDATION139.md)
        long[] expectFailed = {0, 302, 1_213, 2_384}, expectBacklog = {0, 171, 174, 154}, expectOrders = {0, 457, 1_837, 3_694}, expectIndex = {0, 10_492, 10_493, 10_519};
        check(svc.failed == expectFailed[stage] && svc.packQueue.size() == expectBacklog[stage] && svc.orders == expectOrders[stage] && indexEntries == expectIndex[stage]
                && svc.swatches.size() == (stage == 1 ? 1_265 : SWATCH_CAP), "truth table, stage " + stage);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
