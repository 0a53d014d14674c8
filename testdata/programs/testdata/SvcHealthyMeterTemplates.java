// hprofscan-dump: name=svc-healthy-metertemplates jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-healthy-metertemplates-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Healthy (tuning set, session 33; series): the storefront and customer portal of a home-energy
 * retailer. No leak. Its hand-written metrics registry ({@code MeterRegistry.meters}, a
 * {@code HashMap<MeterId, Timer>}) is done right: server timers are tagged with method, route
 * template and status class, client timers with downstream service, endpoint template and outcome,
 * so it holds exactly 308 meters (65 routes x 4 status classes + 12 endpoints x 4 outcomes) from the
 * first dump to the last.
 *
 * <p>Beside it, two legitimate look-alikes of a high-cardinality map: the product page cache
 * ({@code PageCache.pages}), keyed by the raw product path ({@code /products/12345}) and holding
 * exactly one rendered page per product of the fixed 20,000-product catalogue (pre-rendered at
 * startup, re-rendered in place when a price changes, never evicted and never larger than the
 * catalogue); and the directory of 30,000 physical utility meters ({@code UtilityMeter}, with their
 * last 24 hourly readings) keyed by meter serial number, loaded at startup. Also: the catalogue
 * itself (reference data), an access-ordered LRU of product recommendations capped at 2,000, a ring
 * of the last 2,048 slow requests, and a pool of 8 response buffers of 32 KB (all returned).
 * Memory is flat from the first dump to the last.
 *
 * <p>Time line: as in SvcLeakMeterTags, the series starts the service 2 hours before the first
 * dump (hours 0-2 end at the start of the minute in which the program started), and hours 2-4 and
 * 4-8 are compressed into the real time between the dumps; the single dump maps all 8 hours onto the
 * 8 hours before the start of the minute in which it started. See testdata/TUNING33.md.
 */
public final class SvcHealthyMeterTemplates {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int PRODUCTS = 20_000;
    static final int UTILITY_METERS = 30_000;
    static final int READINGS = 24;
    static final int RECOMMENDATION_CAPACITY = 2_000;
    static final int CUSTOMERS = 50_000;
    static final int RING = 2_048;
    static final int SLOW_MICROS = 25_000;
    static final int POOL = 8;
    static final int BUFFER = 32 * 1024;
    static final int BUCKETS = 32;
    static final long[] HOURS_AT_DUMP = {2, 4, 8};
    static final int API_REQUESTS_PER_HOUR = 12_000;
    static final int PAGE_VIEWS_PER_HOUR = 8_000;
    static final int PRICE_CHANGES_PER_HOUR = 300;
    static final String SERVER = "http.server.requests";
    static final String CLIENT = "http.client.requests";

    static final String[] RESOURCES = {"products", "categories", "carts", "orders", "customers", "meters", "readings", "tariffs",
        "invoices", "payments", "addresses", "reviews", "wishlists", "coupons", "shipments", "returns"};
    static final String[] STATUS_CLASSES = {"2xx", "3xx", "4xx", "5xx"};
    static final String[] SERVICES = {"pricing", "inventory", "billing", "metering", "search", "shipping"};
    static final String[] OUTCOMES = {"SUCCESS", "CLIENT_ERROR", "SERVER_ERROR", "TIMEOUT"};
    static final String[] CATEGORIES = {"heat-pumps", "thermostats", "solar-panels", "inverters", "batteries", "wallboxes", "smart-plugs", "insulation", "lighting", "sensors"};
    static final String[] BRANDS = {"Voltaro", "Heliant", "Nordwatt", "Calora", "Ampere&Co", "Sunvik", "Thermix", "Gridly"};
    static final String[] METER_KINDS = {"electricity", "gas", "water", "heat"};
    static final String[] CITIES = {"BER", "HAM", "MUC", "CGN", "FRA", "STR", "LEJ", "DRS", "VIE", "ZRH"};

    /** 65 server routes: 4 per resource (list, get, create, update) plus the product page route. */
    static final String[] ROUTE_METHOD = new String[65];
    static final String[] ROUTE_TEMPLATE = new String[65];
    static final int PAGE_ROUTE = 64;
    /** 12 client endpoints: 2 per downstream service. */
    static final String[] ENDPOINT_SERVICE = new String[12];
    static final String[] ENDPOINT_TEMPLATE = new String[12];
    static final int EXPECTED_METERS = ROUTE_TEMPLATE.length * STATUS_CLASSES.length + ENDPOINT_TEMPLATE.length * OUTCOMES.length;

    static {
        for (int i = 0; i < RESOURCES.length; i++) {
            String base = "/api/v2/" + RESOURCES[i];
            ROUTE_METHOD[4 * i] = "GET"; ROUTE_TEMPLATE[4 * i] = base;
            ROUTE_METHOD[4 * i + 1] = "GET"; ROUTE_TEMPLATE[4 * i + 1] = base + "/{id}";
            ROUTE_METHOD[4 * i + 2] = "POST"; ROUTE_TEMPLATE[4 * i + 2] = base;
            ROUTE_METHOD[4 * i + 3] = "PUT"; ROUTE_TEMPLATE[4 * i + 3] = base + "/{id}";
        }
        ROUTE_METHOD[PAGE_ROUTE] = "GET"; ROUTE_TEMPLATE[PAGE_ROUTE] = "/products/{id}";
        for (int s = 0; s < SERVICES.length; s++) {
            ENDPOINT_SERVICE[2 * s] = SERVICES[s]; ENDPOINT_TEMPLATE[2 * s] = "/internal/" + SERVICES[s] + "/{key}";
            ENDPOINT_SERVICE[2 * s + 1] = SERVICES[s]; ENDPOINT_TEMPLATE[2 * s + 1] = "/internal/" + SERVICES[s] + "/batch";
        }
    }

    /** The virtual clock: simulated milliseconds since startup, mapped piecewise-linearly onto epoch milliseconds. */
    static final class SimClock {
        final long[] simFrom = new long[4];
        final long[] simTo = new long[4];
        final long[] realFrom = new long[4];
        final long[] realTo = new long[4];
        int segments;
        long sim;

        void addSegment(long sFrom, long sTo, long rFrom, long rTo) {
            simFrom[segments] = sFrom; simTo[segments] = sTo; realFrom[segments] = rFrom; realTo[segments] = rTo;
            segments++;
        }

        long epoch(long s) {
            int i = segments - 1;
            while (i > 0 && s < simFrom[i]) i--;
            return realFrom[i] + (s - simFrom[i]) * (realTo[i] - realFrom[i]) / (simTo[i] - simFrom[i]);
        }

        long now() { return epoch(sim); }

        long lastReal() { return realTo[segments - 1]; }
    }

    /** A meter's identity: the metric name and its tags as key/value pairs (hand-written value equality over the array). */
    record MeterId(String name, String[] tags) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MeterId m && name.equals(m.name) && Arrays.equals(tags, m.tags);
        }

        @Override
        public int hashCode() { return 31 * name.hashCode() + Arrays.hashCode(tags); }
    }

    /** A latency timer: count, total, max and a histogram of 32 power-of-two microsecond buckets. No timestamps. */
    static final class Timer {
        long count;
        long totalMicros;
        long maxMicros;
        final long[] buckets = new long[BUCKETS];

        void record(long micros) {
            count++;
            totalMicros += micros;
            if (micros > maxMicros) maxMicros = micros;
            buckets[Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, micros)))]++;
        }
    }

    /** The metrics registry, tagged by templates and classes only: bounded by routes x status classes. */
    static final class MeterRegistry {
        final HashMap<MeterId, Timer> meters = new HashMap<>();
        long recorded;
        long created;

        Timer timer(String name, String... tags) {
            MeterId id = new MeterId(name, tags);
            Timer t = meters.get(id);
            if (t == null) { t = new Timer(); meters.put(id, t); created++; }
            return t;
        }

        void server(int route, int status, long micros) {
            timer(SERVER, "method", ROUTE_METHOD[route], "route", ROUTE_TEMPLATE[route], "status", STATUS_CLASSES[status / 100 - 2]).record(micros);
            recorded++;
        }

        void client(int endpoint, int outcome, long micros) {
            timer(CLIENT, "service", ENDPOINT_SERVICE[endpoint], "endpoint", ENDPOINT_TEMPLATE[endpoint], "outcome", OUTCOMES[outcome]).record(micros);
            recorded++;
        }
    }

    static final class Product {
        final long id; final String sku; final String name; final String category; final long listedAt; final byte[] specs;
        long priceCents;
        Product(long id, String sku, String name, String category, long listedAt, byte[] specs, long priceCents) { this.id = id; this.sku = sku; this.name = name; this.category = category; this.listedAt = listedAt; this.specs = specs; this.priceCents = priceCents; }
    }

    /** Legitimate: the product catalogue (reference data), loaded once at startup; 20,000 products, fixed. */
    static final class Catalogue {
        static final Product[] PRODUCTS_BY_INDEX = new Product[PRODUCTS];
        static long loadedAt;

        static long productId(int k) { return 10_000 + (k * 7_919L) % 90_000; }

        static void load(long at, Random r) {
            loadedAt = at;
            for (int k = 0; k < PRODUCTS; k++) {
                String cat = CATEGORIES[k % CATEGORIES.length];
                String brand = BRANDS[r.nextInt(BRANDS.length)];
                byte[] specs = new byte[64 + r.nextInt(193)];
                r.nextBytes(specs);
                PRODUCTS_BY_INDEX[k] = new Product(productId(k), String.format("SKU-%s-%06d", cat.substring(0, 3).toUpperCase(), k), brand + " " + cat + " model " + (100 + r.nextInt(900)),
                    cat, at - 10 * DAY - (long) (r.nextDouble() * 4 * 365 * DAY), specs, 1_999 + r.nextInt(500_000));
            }
        }
    }

    static final class Page {
        final long productId; final long renderedAt; final String etag; final byte[] html;
        Page(long productId, long renderedAt, String etag, byte[] html) { this.productId = productId; this.renderedAt = renderedAt; this.etag = etag; this.html = html; }
    }

    /**
     * Legitimate look-alike: rendered product pages keyed by product path ({@code /products/12345}).
     * Exactly one entry per catalogue product, pre-rendered at startup, replaced in place on a price
     * change; bounded by the catalogue, so no eviction.
     */
    static final class PageCache {
        final HashMap<String, Page> pages = new HashMap<>();
        long hits;
        long misses;
        long rerenders;
        final Random renderRandom = new Random(0x9a9e_2033L);

        static String path(long productId) { return "/products/" + productId; }

        Page render(Product p, long now) {
            byte[] html = new byte[400 + renderRandom.nextInt(801)];
            renderRandom.nextBytes(html);
            return new Page(p.id, now, Long.toHexString(p.id * 1_000_003L + p.priceCents), html);
        }

        void warm(long now) { for (Product p : Catalogue.PRODUCTS_BY_INDEX) pages.put(path(p.id), render(p, now)); }

        Page get(String path) { Page pg = pages.get(path); if (pg == null) misses++; else hits++; return pg; }

        void rerender(Product p, long now) {
            // replaces the value of the existing key; the key set stays the catalogue's
            Page old = pages.replace(path(p.id), render(p, now));
            if (old == null) throw new IllegalStateException("page of " + p.id + " missing");
            rerenders++;
        }
    }

    static final class UtilityMeter {
        final String serial; final String kind; final String customerId; final long installedAt; final int[] hourlyWh = new int[READINGS];
        long lastReadAt; long readings;
        UtilityMeter(String serial, String kind, String customerId, long installedAt) { this.serial = serial; this.kind = kind; this.customerId = customerId; this.installedAt = installedAt; this.lastReadAt = installedAt; }
    }

    /** Legitimate look-alike: the 30,000 physical utility meters of the customers, by meter serial number, loaded at startup. */
    static final class UtilityMeterDirectory {
        final HashMap<String, UtilityMeter> bySerial = new HashMap<>();
        final String[] serials = new String[UTILITY_METERS];

        void load(long at, Random r) {
            for (int k = 0; k < UTILITY_METERS; k++) {
                String kind = METER_KINDS[k % METER_KINDS.length];
                String serial = String.format("%s-%s-%08d", kind.substring(0, 1).toUpperCase() + "M", CITIES[r.nextInt(CITIES.length)], (7_919L * (k + 1)) % 100_000_000);
                UtilityMeter m = new UtilityMeter(serial, kind, String.format("C%07d", r.nextInt(CUSTOMERS)), at - 30 * DAY - (long) (r.nextDouble() * 12 * 365 * DAY));
                for (int h = 0; h < READINGS; h++) m.hourlyWh[h] = r.nextInt(4_000);
                bySerial.put(serial, m);
                serials[k] = serial;
            }
        }

        void reading(String serial, long now, int wh) {
            UtilityMeter m = bySerial.get(serial);
            m.hourlyWh[(int) ((now / HOUR) % READINGS)] = wh;
            m.lastReadAt = now;
            m.readings++;
        }
    }

    static final class Recommendation {
        final String customerId; final long computedAt; final long[] productIds;
        Recommendation(String customerId, long computedAt, long[] productIds) { this.customerId = customerId; this.computedAt = computedAt; this.productIds = productIds; }
    }

    /** Legitimate: an access-ordered LRU of per-customer recommendations. */
    static final class RecommendationCache extends LinkedHashMap<String, Recommendation> {
        final int capacity;
        long evictions;
        long hits;
        long misses;

        RecommendationCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recommendation> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    static final class SlowRequest {
        final long at; final int micros; final int status; final String method; final String route;
        SlowRequest(long at, int micros, int status, String method, String route) { this.at = at; this.micros = micros; this.status = status; this.method = method; this.route = route; }
    }

    /** Legitimate: the last 2,048 slow requests (route templates only), overwritten in a ring. */
    static final class SlowLog {
        final SlowRequest[] ring = new SlowRequest[RING];
        int next;
        long total;

        void add(SlowRequest s) { ring[next] = s; next = (next + 1) % RING; total++; }
    }

    /** Legitimate: response buffers, borrowed per request and returned. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        BufferPool(int n, int size) { for (int i = 0; i < n; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.pollFirst(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.addFirst(b); }
    }

    static final class Storefront {
        final SimClock clock;
        final MeterRegistry registry = new MeterRegistry();
        final PageCache pages = new PageCache();
        final UtilityMeterDirectory utilityMeters = new UtilityMeterDirectory();
        final RecommendationCache recommendations = new RecommendationCache(RECOMMENDATION_CAPACITY);
        final SlowLog slowLog = new SlowLog();
        final BufferPool buffers = new BufferPool(POOL, BUFFER);
        final Random recRandom = new Random(0x5ec0_2033L);
        long handled;
        long checksum;

        Storefront(SimClock clock) { this.clock = clock; }

        void start(Random r) {
            pages.warm(clock.now());
            utilityMeters.load(clock.now(), r);
        }

        void finish(int route, int status, int micros, long now) {
            registry.server(route, status, micros);
            if (micros >= SLOW_MICROS) slowLog.add(new SlowRequest(now, micros, status, ROUTE_METHOD[route], ROUTE_TEMPLATE[route]));
            handled++;
        }

        /** GET /products/{id}: {@code path} is the raw request path. */
        void pageView(String path, String customer, int status, int micros) {
            long now = clock.now();
            byte[] buf = buffers.borrow();
            try {
                Page pg = pages.get(path);
                System.arraycopy(pg.html, 0, buf, 0, pg.html.length);
                String key = "rec:" + customer;
                Recommendation rec = recommendations.get(key);
                if (rec == null) {
                    recommendations.misses++;
                    long[] ids = new long[8 + recRandom.nextInt(17)];
                    for (int i = 0; i < ids.length; i++) ids[i] = Catalogue.PRODUCTS_BY_INDEX[recRandom.nextInt(PRODUCTS)].id;
                    recommendations.put(key, new Recommendation(key.substring(4), now, ids));
                } else {
                    recommendations.hits++;
                }
                checksum = checksum * 31 + buf[pg.html.length - 1];
            } finally {
                buffers.release(buf);
            }
            finish(PAGE_ROUTE, status, micros, now);
        }

        /** An API request on one of the 64 API routes; it calls one downstream endpoint. */
        void api(int route, int status, int micros, int endpoint, int outcome, int clientMicros, String meterSerial, int wh) {
            long now = clock.now();
            byte[] buf = buffers.borrow();
            try {
                buf[0] = (byte) route;
                if (meterSerial != null) utilityMeters.reading(meterSerial, now, wh);
                checksum = checksum * 31 + buf[0];
            } finally {
                buffers.release(buf);
            }
            registry.client(endpoint, outcome, clientMicros);
            finish(route, status, micros, now);
        }

        void priceChange(Product p, long cents) { p.priceCents = cents; pages.rerender(p, clock.now()); }
    }

    /** The clients' side of the simulation. */
    static final class Traffic {
        final Random r = new Random(0x7eaf_3033L);
        long apiRequests;
        long pageViews;
        long priceChanges;
        long readings;

        static int status(Random r) {
            int x = r.nextInt(100);
            return x < 85 ? 200 : x < 89 ? 304 : x < 97 ? 404 : 503;
        }

        int micros(int status) {
            int m = 1_000 + (int) Math.min(3_000_000, Math.abs(r.nextGaussian()) * 15_000 + r.nextInt(4_000));
            return status == 503 ? m + 50_000 : m;
        }

        /** Simulated hours [fromHour, toHour). */
        void run(Storefront s, long fromHour, long toHour) {
            int perHour = API_REQUESTS_PER_HOUR + PAGE_VIEWS_PER_HOUR + PRICE_CHANGES_PER_HOUR;
            long n = (toHour - fromHour) * perHour;
            long simFrom = fromHour * HOUR;
            long span = (toHour - fromHour) * HOUR;
            for (long j = 0; j < n; j++) {
                s.clock.sim = simFrom + (j + 1) * span / n;
                long slot = j % perHour; // within each hour: 300 price changes, 8,000 page views, 12,000 API requests, interleaved
                if (slot % 67 == 66 && slot / 67 < PRICE_CHANGES_PER_HOUR) {
                    Product p = Catalogue.PRODUCTS_BY_INDEX[r.nextInt(PRODUCTS)];
                    s.priceChange(p, Math.max(999, p.priceCents + r.nextInt(2_001) - 1_000));
                    priceChanges++;
                } else if ((slot - Math.min(slot / 67, PRICE_CHANGES_PER_HOUR)) % 5 < 2) {
                    int status = status(r);
                    Product p = Catalogue.PRODUCTS_BY_INDEX[r.nextInt(PRODUCTS)];
                    s.pageView(PageCache.path(p.id), String.format("C%07d", r.nextInt(CUSTOMERS)), status, micros(status));
                    pageViews++;
                } else {
                    int route = r.nextInt(PAGE_ROUTE);
                    int status = status(r);
                    int endpoint = r.nextInt(ENDPOINT_TEMPLATE.length);
                    int o = r.nextInt(100);
                    int outcome = o < 90 ? 0 : o < 95 ? 1 : o < 98 ? 2 : 3;
                    String serial = null;
                    String res = RESOURCES[route / 4];
                    if (res.equals("readings") || res.equals("meters")) { serial = s.utilityMeters.serials[r.nextInt(UTILITY_METERS)]; readings++; }
                    s.api(route, status, micros(status), endpoint, outcome, 500 + r.nextInt(20_000), serial, r.nextInt(4_000));
                    apiRequests++;
                }
            }
            s.clock.sim = toHour * HOUR;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long arr(long elements, int elementSize) { return (16 + elements * elementSize + 7) & ~7L; }

    static int tableLength(int size) { int t = 16; while (size > t * 3 / 4) t *= 2; return t; }

    /** Checks every component; returns a one-line summary with JVM sizes (compressed oops). */
    static String verify(Storefront s, Traffic traffic, long hours, long dumpAt) {
        check(traffic.priceChanges == hours * PRICE_CHANGES_PER_HOUR && traffic.pageViews == hours * PAGE_VIEWS_PER_HOUR && traffic.apiRequests == hours * API_REQUESTS_PER_HOUR,
            "traffic " + traffic.priceChanges + " / " + traffic.pageViews + " / " + traffic.apiRequests);
        long requests = traffic.pageViews + traffic.apiRequests;
        MeterRegistry reg = s.registry;
        check(s.handled == requests && reg.recorded == requests + traffic.apiRequests, "handled " + s.handled + ", recorded " + reg.recorded);
        check(reg.meters.size() == EXPECTED_METERS && reg.created == EXPECTED_METERS, "meters " + reg.meters.size() + ", expected " + EXPECTED_METERS);
        long timerCount = 0;
        for (Map.Entry<MeterId, Timer> e : reg.meters.entrySet()) {
            Timer t = e.getValue();
            long sum = 0;
            for (long b : t.buckets) sum += b;
            check(sum == t.count && t.count > 0, "timer " + Arrays.toString(e.getKey().tags()));
            check(e.getKey().tags().length == 6, "tags");
            timerCount += t.count;
        }
        check(timerCount == reg.recorded, "timer counts " + timerCount);
        long registryBytes = EXPECTED_METERS * (32L + 24 + arr(6, 4) + 40 + arr(BUCKETS, 8)) + arr(tableLength(EXPECTED_METERS), 4) + 48 + 32;
        // page cache: exactly one page per catalogue product, keyed by its path
        check(s.pages.pages.size() == PRODUCTS, "pages " + s.pages.pages.size());
        long htmlBytes = 0, keyBytes = 0, etagBytes = 0, oldestRender = Long.MAX_VALUE;
        for (Product p : Catalogue.PRODUCTS_BY_INDEX) {
            Page pg = s.pages.pages.get(PageCache.path(p.id));
            check(pg != null && pg.productId == p.id && pg.renderedAt <= dumpAt, "page of " + p.id);
            htmlBytes += arr(pg.html.length, 1);
            keyBytes += 24 + arr(PageCache.path(p.id).length(), 1);
            etagBytes += 24 + arr(pg.etag.length(), 1);
            oldestRender = Math.min(oldestRender, pg.renderedAt);
        }
        check(s.pages.misses == 0 && s.pages.hits == traffic.pageViews && s.pages.rerenders == traffic.priceChanges, "page cache counters");
        long pageCacheBytes = PRODUCTS * (32L + 40) + htmlBytes + keyBytes + etagBytes + arr(tableLength(PRODUCTS), 4) + 48 + 56;
        check(s.utilityMeters.bySerial.size() == UTILITY_METERS, "utility meters " + s.utilityMeters.bySerial.size());
        long readSince = 0, meterStrings = 0;
        for (UtilityMeter m : s.utilityMeters.bySerial.values()) {
            check(m.lastReadAt <= dumpAt && m.hourlyWh.length == READINGS, "utility meter " + m.serial);
            if (m.readings > 0) readSince++;
            meterStrings += 24 + arr(m.serial.length(), 1) + 24 + arr(m.customerId.length(), 1);
        }
        long utilityBytes = UTILITY_METERS * (32L + 56 + arr(READINGS, 4)) + meterStrings + arr(tableLength(UTILITY_METERS), 4) + 48 + arr(UTILITY_METERS, 4) + 24;
        check(s.recommendations.size() == RECOMMENDATION_CAPACITY && s.recommendations.evictions > 0, "recommendations " + s.recommendations.size());
        long recBytes = 0;
        for (Recommendation rec : s.recommendations.values()) { recBytes += arr(rec.productIds.length, 8); check(rec.computedAt <= dumpAt, "rec computedAt"); }
        check(s.buffers.free.size() == POOL && s.buffers.borrowed == 0, "pool");
        long prevAt = Long.MIN_VALUE;
        for (int i = 0; i < RING; i++) {
            SlowRequest q = s.slowLog.ring[(s.slowLog.next + i) % RING];
            check(q != null && q.at >= prevAt && q.at <= dumpAt && q.micros >= SLOW_MICROS, "slow ring slot " + i);
            prevAt = q.at;
        }
        long oldestSlow = s.slowLog.ring[s.slowLog.next].at;
        return "meters " + reg.meters.size() + " (recorded " + reg.recorded + ", registry model " + registryBytes + " B); pages " + s.pages.pages.size() + " (hits "
            + s.pages.hits + ", rerenders " + s.pages.rerenders + ", html " + htmlBytes + " B, keys " + keyBytes + " B, model " + pageCacheBytes + " B, oldest render "
            + (dumpAt - oldestRender) + " ms before); utility meters " + s.utilityMeters.bySerial.size() + " (read since start " + readSince + ", model " + utilityBytes
            + " B); recommendations " + s.recommendations.size() + " (evictions " + s.recommendations.evictions + ", hits " + s.recommendations.hits + ", misses "
            + s.recommendations.misses + ", id arrays " + recBytes + " B); slow ring " + RING + " (total " + s.slowLog.total + ", next " + s.slowLog.next + ", oldest "
            + (dumpAt - oldestSlow) + " ms before); pool " + s.buffers.free.size() + "/" + POOL + "; products " + Catalogue.PRODUCTS_BY_INDEX.length;
    }

    static Storefront RUNNING;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long r0 = System.currentTimeMillis();
        long minute0 = r0 - r0 % MINUTE; // the simulated period ends at the start of the current minute
        SimClock clock = new SimClock();
        if (count == 3) clock.addSegment(0, HOURS_AT_DUMP[0] * HOUR, minute0 - HOURS_AT_DUMP[0] * HOUR, minute0);
        else clock.addSegment(0, HOURS_AT_DUMP[2] * HOUR, minute0 - HOURS_AT_DUMP[2] * HOUR, minute0);
        Random setup = new Random(0x3e7e_3033L);
        Catalogue.load(clock.now(), setup);
        RUNNING = new Storefront(clock);
        RUNNING.start(setup);
        Traffic traffic = new Traffic();
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= 3; stage++) {
            long fromHour = stage == 1 ? 0 : HOURS_AT_DUMP[stage - 2];
            long toHour = HOURS_AT_DUMP[stage - 1];
            if (count == 3 && stage > 1) {
                long until = Math.max(System.currentTimeMillis(), clock.lastReal()) + 1_100;
                while (System.currentTimeMillis() < until) Thread.sleep(Math.max(1, until - System.currentTimeMillis()));
                clock.addSegment(fromHour * HOUR, toHour * HOUR, clock.lastReal(), System.currentTimeMillis());
            }
            traffic.run(RUNNING, fromHour, toHour);
            if (count != 3 && stage < 3) continue;
            String summary = verify(RUNNING, traffic, toHour, System.currentTimeMillis());
            System.gc();
            String path = LeakCheck.seriesPath(base, count == 3 ? stage : 1, count, dir);
            DumpUtil.dump(variant, path);
            if (count == 3 && stage < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + " after " + toHour + " h: " + summary);
        }
        System.exit(0);
    }
}
