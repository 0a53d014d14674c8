// hprofscan-dump: name=svc-leak-metertags jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-metertags-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Leak (tuning set, session 33; series): the checkout API of a web shop with a hand-written metrics
 * registry ({@code MeterRegistry.meters}, a {@code HashMap<MeterId, Timer>}). Every request is timed
 * under the meter {@code http.server.requests} tagged with method, status and uri; the uri tag is
 * the raw request URI with its ids left in ({@code /api/v1/carts/83412/items/7}) instead of the
 * route template, so every request on a cart or an order creates a new meter, and meters are never
 * removed: 10,003 / 20,003 / 40,003 meters after 2 / 4 / 8 simulated hours (5,000 id-bearing
 * requests an hour, each on a new cart or order, plus 3 meters of the id-free routes).
 * {@code -Dsvc.fixed=true} tags with the route template ({@code /api/v1/carts/{id}/items/{n}}).
 *
 * <p>Beside it, legitimately: the static table of 96 shipping zones (reference data), the customer
 * directory (8,000 customers by customer number), an access-ordered LRU of customer price lists
 * capped at 1,500, a ring of the last 4,096 access-log entries, and a pool of 8 response buffers of
 * 16 KB (all returned).
 *
 * <p>Time line: the series starts the service 2 hours before the first dump; hours 0-2 end at the
 * start of the minute in which the program started, hours 2-4 and 4-8 are compressed into the real
 * time between the dumps. The single dump maps all 8 hours onto the 8 hours before the start of the
 * minute in which it started. Every timestamp is on that virtual clock and before the dump. See
 * testdata/TUNING33.md.
 */
public final class SvcLeakMeterTags {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int ZONES = 96;
    static final int CUSTOMERS = 8_000;
    static final int PRICE_CACHE_CAPACITY = 1_500;
    static final int RING = 4_096;
    static final int POOL = 8;
    static final int BUFFER = 16 * 1024;
    static final int BUCKETS = 32;
    static final long[] HOURS_AT_DUMP = {2, 4, 8};
    static final int ID_REQUESTS_PER_HOUR = 5_000;
    static final int SEARCHES_PER_HOUR = 600;
    static final long HEALTH_EVERY = MINUTE;
    static final int FIXED_ROUTE_METERS = 3; // GET /api/v1/health 200, GET /api/v1/search 200 and 400
    static final String METRIC = "http.server.requests";
    static final boolean FIXED = Boolean.getBoolean("svc.fixed");

    static final String[] COUNTRIES = {"DE", "AT", "CH", "FR", "NL", "BE", "LU", "DK", "PL", "CZ", "IT", "ES"};
    static final String[] CARRIERS = {"dhl", "dpd", "ups", "gls", "hermes", "post", "fedex", "tnt"};
    static final String[] TIERS = {"standard", "silver", "gold", "business"};

    /** The id-bearing routes: method, route template, and the status codes they answer with. */
    static final String[] ROUTE_METHOD = {"GET", "POST", "DELETE", "GET", "GET", "POST"};
    static final String[] ROUTE_TEMPLATE = {"/api/v1/carts/{id}/items/{n}", "/api/v1/carts/{id}/items", "/api/v1/carts/{id}/items/{n}",
        "/api/v1/carts/{id}", "/api/v1/orders/{id}", "/api/v1/orders/{id}/payment"};
    static final String[][] ROUTE_STATUS = {{"200", "404"}, {"201", "409"}, {"204", "404"}, {"200", "404"}, {"200", "404"}, {"201", "402"}};

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

        String tag(String key) {
            for (int i = 0; i < tags.length; i += 2) if (tags[i].equals(key)) return tags[i + 1];
            return null;
        }
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

    /** The service's metrics registry: one timer per distinct meter id, created on first use, never removed. */
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

        void record(String method, String status, String uri, long micros) {
            timer(METRIC, "method", method, "status", status, "uri", uri).record(micros);
            recorded++;
        }
    }

    static final class Zone {
        final String code; final String country; final String carrier; final long validFrom; final byte[] rateTable;
        Zone(String code, String country, String carrier, long validFrom, byte[] rateTable) { this.code = code; this.country = country; this.carrier = carrier; this.validFrom = validFrom; this.rateTable = rateTable; }
    }

    /** Legitimate: the shipping zones and their rate tables, loaded once at startup. */
    static final class ShippingZones {
        static final Map<String, Zone> BY_CODE = new HashMap<>();
        static final String[] CODES = new String[ZONES];
        static long loadedAt;

        static void load(long at, Random r) {
            loadedAt = at;
            for (int i = 0; i < ZONES; i++) {
                String code = COUNTRIES[i % COUNTRIES.length] + "-" + CARRIERS[i / COUNTRIES.length] + "-z" + (1 + i % 5);
                byte[] rates = new byte[512 + r.nextInt(1_537)];
                r.nextBytes(rates);
                BY_CODE.put(code, new Zone(code, COUNTRIES[i % COUNTRIES.length], CARRIERS[i / COUNTRIES.length], at - 20 * DAY - (long) (r.nextDouble() * 2 * 365 * DAY), rates));
                CODES[i] = code;
            }
        }
    }

    static final class Customer {
        final String number; final String email; final String tier; final String zone; final long registeredAt; final byte[] passwordHash;
        long lastSeenAt; long requests;
        Customer(String number, String email, String tier, String zone, long registeredAt, byte[] passwordHash) { this.number = number; this.email = email; this.tier = tier; this.zone = zone; this.registeredAt = registeredAt; this.passwordHash = passwordHash; this.lastSeenAt = registeredAt; }
    }

    /** Legitimate: every customer account by customer number, loaded at startup. */
    static final class CustomerDirectory {
        final HashMap<String, Customer> byNumber = new HashMap<>();
        final String[] numbers = new String[CUSTOMERS];

        void load(long at, Random r) {
            for (int k = 0; k < CUSTOMERS; k++) {
                String number = String.format("CU-%07d", (48_611L * (k + 1)) % 10_000_000);
                byte[] hash = new byte[32];
                r.nextBytes(hash);
                Customer c = new Customer(number, "customer" + (k + 1) + "@example.com", TIERS[r.nextInt(TIERS.length)], ShippingZones.CODES[r.nextInt(ZONES)],
                    at - 3 * DAY - (long) (r.nextDouble() * 6 * 365 * DAY), hash);
                byNumber.put(number, c);
                numbers[k] = number;
            }
        }
    }

    static final class PriceList {
        final String customer; final long computedAt; final byte[] body;
        PriceList(String customer, long computedAt, byte[] body) { this.customer = customer; this.computedAt = computedAt; this.body = body; }
    }

    /** Legitimate: an access-ordered LRU of computed customer price lists. */
    static final class PriceCache extends LinkedHashMap<String, PriceList> {
        final int capacity;
        long evictions;
        long hits;
        long misses;

        PriceCache(int capacity) { super(2_048, 0.75f, true); this.capacity = capacity; }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PriceList> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    static final class AccessEntry {
        final long at; final int status; final int micros; final String method; final String route;
        AccessEntry(long at, int status, int micros, String method, String route) { this.at = at; this.status = status; this.micros = micros; this.method = method; this.route = route; }
    }

    /** Legitimate: the last 4,096 access-log entries (route templates only), overwritten in a ring. */
    static final class AccessLog {
        final AccessEntry[] ring = new AccessEntry[RING];
        int next;
        long total;

        void add(AccessEntry e) { ring[next] = e; next = (next + 1) % RING; total++; }
    }

    /** Legitimate: response buffers, borrowed per request and returned. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        BufferPool(int n, int size) { for (int i = 0; i < n; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.pollFirst(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.addFirst(b); }
    }

    static final class CheckoutApi {
        final SimClock clock;
        final MeterRegistry registry = new MeterRegistry();
        final CustomerDirectory customers = new CustomerDirectory();
        final PriceCache prices = new PriceCache(PRICE_CACHE_CAPACITY);
        final AccessLog accessLog = new AccessLog();
        final BufferPool buffers = new BufferPool(POOL, BUFFER);
        final Random priceRandom = new Random(0x9e1c_2033L);
        long handled;
        long checksum;

        CheckoutApi(SimClock clock) { this.clock = clock; }

        void start(Random r) { customers.load(clock.now(), r); }

        /** Handles one request; {@code uri} is the request URI as parsed from the request line. */
        void handle(String method, String uri, String route, String customer, String status, int micros) {
            long now = clock.now();
            byte[] buf = buffers.borrow();
            try {
                if (customer != null) {
                    Customer c = customers.byNumber.get(customer);
                    c.lastSeenAt = now;
                    c.requests++;
                    String key = "price:" + customer;
                    PriceList p = prices.get(key);
                    if (p == null) {
                        prices.misses++;
                        byte[] body = new byte[400 + priceRandom.nextInt(1_201)];
                        priceRandom.nextBytes(body);
                        p = new PriceList(c.number, now, body);
                        prices.put(key, p);
                    } else {
                        prices.hits++;
                    }
                    System.arraycopy(p.body, 0, buf, 0, Math.min(p.body.length, buf.length));
                }
                buf[0] = (byte) micros;
                checksum = checksum * 31 + buf[0];
            } finally {
                buffers.release(buf);
            }
            // the bug: the raw URI (ids included) is the uri tag; the fix uses the route template
            registry.record(method, status, FIXED ? route : uri, micros);
            accessLog.add(new AccessEntry(now, Integer.parseInt(status), micros, method, route));
            handled++;
        }
    }

    /** The clients' side of the simulation. */
    static final class Traffic {
        final Random r = new Random(0x7eaf_2033L);
        long idRequests;
        long searches;
        long healthChecks;
        long nextHealth = MINUTE;

        /** A new cart or order number for every id-bearing request (a bijection of the request counter, never repeated). */
        static long entityId(long k) { return 100_000 + (k * 7_919L) % 900_000; }

        /** Simulated hours [fromHour, toHour). */
        void run(CheckoutApi api, long fromHour, long toHour) {
            long n = (toHour - fromHour) * (ID_REQUESTS_PER_HOUR + SEARCHES_PER_HOUR);
            long simFrom = fromHour * HOUR;
            long span = (toHour - fromHour) * HOUR;
            for (long j = 0; j < n; j++) {
                long t = simFrom + (j + 1) * span / n;
                while (nextHealth < t) {
                    api.clock.sim = nextHealth;
                    api.handle("GET", new String("/api/v1/health".toCharArray()), "/api/v1/health", null, "200", 150 + r.nextInt(200));
                    healthChecks++;
                    nextHealth += HEALTH_EVERY;
                }
                api.clock.sim = t;
                String customer = api.customers.numbers[r.nextInt(CUSTOMERS)];
                int micros = 800 + (int) Math.min(2_000_000, Math.abs(r.nextGaussian()) * 20_000 + r.nextInt(5_000));
                // 3 of every 28 requests (600 of 5,600 an hour) are searches; the rest act on a new cart or order
                long m = j % 28;
                if (m == 9 || m == 18 || m == 27) {
                    String status = r.nextInt(20) == 0 ? "400" : "200";
                    api.handle("GET", new String("/api/v1/search".toCharArray()), "/api/v1/search", customer, status, micros);
                    searches++;
                    continue;
                }
                int route = r.nextInt(ROUTE_TEMPLATE.length);
                long id = entityId(idRequests);
                String tmpl = ROUTE_TEMPLATE[route];
                String uri = tmpl.replace("{id}", Long.toString(id)).replace("{n}", Integer.toString(1 + r.nextInt(12)));
                String status = ROUTE_STATUS[route][r.nextInt(10) == 0 ? 1 : 0];
                api.handle(ROUTE_METHOD[route], uri, tmpl, customer, status, micros);
                idRequests++;
            }
            while (nextHealth <= toHour * HOUR) {
                api.clock.sim = nextHealth;
                api.handle("GET", new String("/api/v1/health".toCharArray()), "/api/v1/health", null, "200", 150 + r.nextInt(200));
                healthChecks++;
                nextHealth += HEALTH_EVERY;
            }
            api.clock.sim = toHour * HOUR;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long arr(long elements, int elementSize) { return (16 + elements * elementSize + 7) & ~7L; }

    static int tableLength(int size) { int t = 16; while (size > t * 3 / 4) t *= 2; return t; }

    /** Checks every component; returns a one-line summary with JVM sizes (compressed oops). */
    static String verify(CheckoutApi api, Traffic traffic, long hours, long dumpAt) {
        long idRequests = hours * ID_REQUESTS_PER_HOUR;
        long searches = hours * SEARCHES_PER_HOUR;
        long health = hours * 60;
        check(traffic.idRequests == idRequests && traffic.searches == searches && traffic.healthChecks == health,
            "requests " + traffic.idRequests + " / " + traffic.searches + " / " + traffic.healthChecks);
        long requests = idRequests + searches + health;
        MeterRegistry reg = api.registry;
        check(api.handled == requests && reg.recorded == requests, "handled " + api.handled);
        int size = reg.meters.size();
        if (!FIXED) check(size == idRequests + FIXED_ROUTE_METERS, "meters " + size + ", expected " + (idRequests + FIXED_ROUTE_METERS));
        else check(size < 40, "fixed meters " + size);
        check(reg.created == size, "created " + reg.created);
        long timerCount = 0, uriBytes = 0;
        int oneRequestMeters = 0;
        HashSet<String> uris = new HashSet<>();
        for (Map.Entry<MeterId, Timer> e : reg.meters.entrySet()) {
            MeterId id = e.getKey();
            Timer t = e.getValue();
            check(id.name() == METRIC && id.tags().length == 6 && id.tags()[0] == "method" && id.tags()[2] == "status" && id.tags()[4] == "uri", "meter id " + id);
            long sum = 0;
            for (long b : t.buckets) sum += b;
            check(sum == t.count && t.count > 0 && t.buckets.length == BUCKETS && t.maxMicros <= t.totalMicros, "timer");
            timerCount += t.count;
            if (t.count == 1) oneRequestMeters++;
            String uri = id.tag("uri");
            uris.add(uri);
            if (!FIXED) uriBytes += 24 + arr(uri.length(), 1);
        }
        check(timerCount == requests, "timer counts " + timerCount);
        if (!FIXED) check(oneRequestMeters == idRequests && uris.size() == size - 1, "one-request meters " + oneRequestMeters + ", uris " + uris.size());
        long perMeter = 32 /* HashMap$Node */ + 24 /* MeterId */ + arr(6, 4) + 40 /* Timer */ + arr(BUCKETS, 8);
        long registryBytes = size * perMeter + uriBytes + arr(tableLength(size), 4) + 48 /* HashMap */ + 32 /* MeterRegistry */;
        check(api.prices.size() == PRICE_CACHE_CAPACITY && api.prices.evictions > 0, "price cache " + api.prices.size());
        long priceBytes = 0;
        for (PriceList p : api.prices.values()) { priceBytes += arr(p.body.length, 1); check(p.computedAt <= dumpAt, "price computedAt"); }
        check(api.buffers.free.size() == POOL && api.buffers.borrowed == 0, "pool");
        check(api.accessLog.total == requests, "access log total");
        long prevAt = Long.MIN_VALUE;
        for (int i = 0; i < RING; i++) {
            AccessEntry a = api.accessLog.ring[(api.accessLog.next + i) % RING];
            check(a != null && a.at >= prevAt && a.at <= dumpAt, "ring slot " + i);
            prevAt = a.at;
        }
        long oldestRing = api.accessLog.ring[api.accessLog.next].at;
        check(api.customers.byNumber.size() == CUSTOMERS && ShippingZones.BY_CODE.size() == ZONES, "reference data");
        long maxSeen = 0;
        for (Customer c : api.customers.byNumber.values()) { check(c.lastSeenAt <= dumpAt, "customer lastSeenAt"); maxSeen = Math.max(maxSeen, c.lastSeenAt); }
        return "meters " + size + " (fixed=" + FIXED + ", table " + tableLength(size) + ", one-request meters " + oneRequestMeters + ", uri strings " + uriBytes
            + " B), registry model " + registryBytes + " B; requests " + requests + " (" + idRequests + " id-bearing, " + searches + " searches, " + health
            + " health); price cache " + api.prices.size() + " (evictions " + api.prices.evictions + ", hits " + api.prices.hits + ", misses " + api.prices.misses
            + ", bodies " + priceBytes + " B); ring " + RING + " (total " + api.accessLog.total + ", next " + api.accessLog.next + ", oldest " + (dumpAt - oldestRing)
            + " ms before the check); pool " + api.buffers.free.size() + "/" + POOL + "; customers " + api.customers.byNumber.size() + " (last seen "
            + (dumpAt - maxSeen) + " ms before); zones " + ShippingZones.BY_CODE.size();
    }

    static CheckoutApi RUNNING;

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
        Random setup = new Random(0x3e7e_2033L);
        ShippingZones.load(clock.now(), setup);
        RUNNING = new CheckoutApi(clock);
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
