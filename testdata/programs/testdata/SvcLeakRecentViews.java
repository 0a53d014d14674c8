// hprofscan-dump: name=svc-leak-recentviews jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-recentviews-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Leak (tuning set, session 31; series): a shop's personalisation service. It keeps, per customer,
 * the recently viewed products ({@code ShopperProfile.recentViews}, an {@code ArrayDeque<View>})
 * in {@code PersonalisationService.profiles}, a map keyed by customer id that holds the fixed set of
 * 3,000 customers from startup. The code means to keep the last 30 views per customer, but the
 * trim checks the size of {@code recentCategories} (kept at 5 at most), so no view is ever dropped:
 * 12,000 / 24,000 / 48,000 views after 2 / 4 / 8 simulated hours (6,000 views an hour; 85% of them
 * by 300 frequent shoppers). {@code -Dsvc.fixed=true} runs the corrected trim.
 *
 * <p>Beside it, legitimately: the static product catalog (2,000 products with a {@code double[]}
 * price history), the customer directory (3,000 customers who joined over the last 6 years), an
 * access-ordered LRU of rendered recommendation pages capped at 1,500, a pool of 8 render buffers
 * of 32 KB (all returned), a ring of the last 8,192 page hits, and the live web sessions (idle ones
 * swept after 30 minutes).
 *
 * <p>Time line: the series starts the service 2 hours before the first dump (hours 0-2 at their
 * real rate); hours 2-4 and 4-8 are compressed into the real time between the dumps (about 12.5 s
 * and 24.5 s, so every view still gets its own millisecond). The single dump maps all 8 hours onto
 * the 8 real hours before it. Every timestamp is on that virtual clock and before the dump. See
 * testdata/TUNING31.md.
 */
public final class SvcLeakRecentViews {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int CUSTOMERS = 3_000;
    static final int FREQUENT = 300;
    static final int PRODUCTS = 2_000;
    static final int MAX_RECENT_VIEWS = 30;
    static final int MAX_RECENT_CATEGORIES = 5;
    static final int PAGE_CACHE_CAPACITY = 1_500;
    static final int RING = 8_192;
    static final int POOL = 8;
    static final int BUFFER = 32 * 1024;
    static final long IDLE_TIMEOUT = 30 * MINUTE;
    static final long[] HOURS_AT_DUMP = {2, 4, 8};
    static final int VIEWS_PER_HOUR = 6_000;
    static final boolean FIXED = Boolean.getBoolean("svc.fixed");

    static final String[] CATEGORIES = {"shoes", "outdoor", "kitchen", "garden", "toys", "books", "audio", "laptops", "phones", "beauty", "sports", "office"};
    static final String[] BRANDS = {"Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adventure Works", "Proseware", "Wingtip", "Alpine Ski House", "Coho"};
    static final String[] SOURCES = {"home", "search", "category", "email", "recommendation", "cart"};
    static final String[] COUNTRIES = {"DE", "FR", "NL", "GB", "ES", "IT", "PL", "SE", "AT", "BE"};
    static final String[] TIERS = {"none", "silver", "gold", "platinum"};
    static final String[] FIRST = {"anna", "ben", "carla", "dmitri", "elif", "farid", "greta", "hugo", "ines", "jonas", "kemal", "lena", "mateo", "nora", "omar", "paula"};
    static final String[] LAST = {"meyer", "okafor", "silva", "tanaka", "novak", "haddad", "larsen", "rossi", "kowalski", "dubois", "ng", "fischer"};
    static final String[] AGENTS = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Safari/604.1", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"};

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

    static final class Product {
        final String code; final String name; final String category; final String brand; final long listedAt; final double[] priceHistory;
        Product(String code, String name, String category, String brand, long listedAt, double[] priceHistory) { this.code = code; this.name = name; this.category = category; this.brand = brand; this.listedAt = listedAt; this.priceHistory = priceHistory; }
        double currentPrice() { return priceHistory[priceHistory.length - 1]; }
    }

    /** Legitimate: the product catalog, loaded once at startup. */
    static final class Catalog {
        static final Map<String, Product> BY_CODE = new HashMap<>();
        static final Product[][] BY_CATEGORY = new Product[CATEGORIES.length][];
        static long loadedAt;

        static void load(long at, Random r) {
            loadedAt = at;
            List<List<Product>> byCat = new ArrayList<>();
            for (int c = 0; c < CATEGORIES.length; c++) byCat.add(new ArrayList<>());
            for (int i = 0; i < PRODUCTS; i++) {
                String code = String.format("SKU-%06d", (104_729L * (i + 1)) % 1_000_000);
                int c = i % CATEGORIES.length;
                int days = 30 + r.nextInt(151);
                double[] prices = new double[days];
                double p = 5 + r.nextInt(400) + r.nextInt(100) / 100.0;
                for (int d = 0; d < days; d++) { p = Math.max(1, p * (0.97 + r.nextDouble() * 0.06)); prices[d] = Math.round(p * 100) / 100.0; }
                String brand = BRANDS[r.nextInt(BRANDS.length)];
                Product pr = new Product(code, brand + " " + CATEGORIES[c] + " item " + (i + 1), CATEGORIES[c], brand, at - days * DAY - r.nextInt(400) * DAY, prices);
                BY_CODE.put(code, pr);
                byCat.get(c).add(pr);
            }
            for (int c = 0; c < CATEGORIES.length; c++) BY_CATEGORY[c] = byCat.get(c).toArray(new Product[0]);
        }
    }

    static final class Customer {
        final long id; final String email; final String displayName; final String country; final long joinedAt; final String tier; final byte[] marketingPrefs; final int favouriteCategory;
        Customer(long id, String email, String displayName, String country, long joinedAt, String tier, byte[] marketingPrefs, int favouriteCategory) { this.id = id; this.email = email; this.displayName = displayName; this.country = country; this.joinedAt = joinedAt; this.tier = tier; this.marketingPrefs = marketingPrefs; this.favouriteCategory = favouriteCategory; }
    }

    /** Legitimate: every registered customer, loaded at startup. */
    static final class CustomerDirectory {
        final HashMap<Long, Customer> byId = new HashMap<>();
        final long[] ids = new long[CUSTOMERS];

        void load(long at, Random r) {
            for (int k = 0; k < CUSTOMERS; k++) {
                long id = 7_000_000L + k * 13L;
                byte[] prefs = new byte[8 + r.nextInt(17)];
                r.nextBytes(prefs);
                Customer c = new Customer(id, FIRST[k % FIRST.length] + "." + LAST[(k / 16) % LAST.length] + k + "@example.com",
                    capitalise(FIRST[k % FIRST.length]) + " " + capitalise(LAST[(k / 16) % LAST.length]), COUNTRIES[r.nextInt(COUNTRIES.length)],
                    at - DAY - (long) (r.nextDouble() * 6 * 365 * DAY), TIERS[r.nextInt(10) < 6 ? 0 : 1 + r.nextInt(3)], prefs, r.nextInt(CATEGORIES.length));
                byId.put(id, c);
                ids[k] = id;
            }
        }
    }

    static final class View {
        final String productCode; final long viewedAt; final String source; final int position; final byte[] renderHints;
        View(String productCode, long viewedAt, String source, int position, byte[] renderHints) { this.productCode = productCode; this.viewedAt = viewedAt; this.source = source; this.position = position; this.renderHints = renderHints; }
    }

    /** Per customer: what they looked at recently (meant to be the last 30 views), and their recent categories. */
    static final class ShopperProfile {
        final long customerId;
        final ArrayDeque<View> recentViews = new ArrayDeque<>();
        final List<String> recentCategories = new ArrayList<>(MAX_RECENT_CATEGORIES + 1);
        long lastViewAt;
        int viewsTotal;

        ShopperProfile(long customerId) { this.customerId = customerId; }

        void recordView(View v, String category) {
            recentViews.addLast(v);
            recentCategories.remove(category);
            recentCategories.add(0, category);
            while (recentCategories.size() > MAX_RECENT_CATEGORIES) recentCategories.remove(recentCategories.size() - 1);
            // keep the last MAX_RECENT_VIEWS views
            int size = FIXED ? recentViews.size() : recentCategories.size(); // the bug: the wrong collection's size
            for (; size > MAX_RECENT_VIEWS; size--) recentViews.pollFirst();
            lastViewAt = v.viewedAt;
            viewsTotal++;
        }
    }

    static final class RecommendationPage {
        final String key; final long customerId; final String category; final String[] productCodes; final byte[] html; final long renderedAt;
        RecommendationPage(String key, long customerId, String category, String[] productCodes, byte[] html, long renderedAt) { this.key = key; this.customerId = customerId; this.category = category; this.productCodes = productCodes; this.html = html; this.renderedAt = renderedAt; }
    }

    /** Legitimate: an access-ordered LRU of rendered recommendation pages. */
    static final class PageCache extends LinkedHashMap<String, RecommendationPage> {
        final int capacity;
        long evictions;
        long hits;
        long misses;

        PageCache(int capacity) { super(2_048, 0.75f, true); this.capacity = capacity; }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RecommendationPage> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    /** Legitimate: render buffers, borrowed per render and returned. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        BufferPool(int n, int size) { for (int i = 0; i < n; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.pollFirst(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.addFirst(b); }
    }

    static final class PageHit {
        final String path; final long customerId; final long at; final int status; final int micros;
        PageHit(String path, long customerId, long at, int status, int micros) { this.path = path; this.customerId = customerId; this.at = at; this.status = status; this.micros = micros; }
    }

    /** Legitimate: the last RING page hits for the live dashboard (a fixed array, overwritten). */
    static final class HitLog {
        final PageHit[] ring = new PageHit[RING];
        int next;
        long total;
        void add(PageHit h) { ring[next] = h; next = (next + 1) % RING; total++; }
        boolean wrapped() { return total > RING; }
    }

    static final class ShopSession {
        final String token; final long customerId; final long startedAt; final String userAgent; final byte[] cartToken;
        long lastSeenAt; int pages;
        ShopSession(String token, long customerId, long startedAt, String userAgent, byte[] cartToken) { this.token = token; this.customerId = customerId; this.startedAt = startedAt; this.userAgent = userAgent; this.cartToken = cartToken; this.lastSeenAt = startedAt; }
    }

    /** Legitimate: live web sessions by token; the sweep drops sessions idle for 30 minutes. */
    static final class SessionStore {
        final HashMap<String, ShopSession> sessions = new HashMap<>();
        final Random tokens = new Random(0x5e55_2031L);
        long created;
        long expired;

        ShopSession touch(String token, long customerId, long now) {
            ShopSession s = token == null ? null : sessions.get(token);
            if (s == null || s.customerId != customerId) {
                byte[] cart = new byte[16];
                tokens.nextBytes(cart);
                String t = Long.toHexString(tokens.nextLong() | Long.MIN_VALUE) + Long.toHexString(tokens.nextLong() | Long.MIN_VALUE);
                s = new ShopSession(t, customerId, now, AGENTS[(int) (customerId % AGENTS.length)], cart);
                sessions.put(t, s);
                created++;
            }
            s.lastSeenAt = now;
            s.pages++;
            return s;
        }

        void sweep(long idleBefore) {
            for (Iterator<ShopSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastSeenAt <= idleBefore) { it.remove(); expired++; }
            }
        }
    }

    static final class PersonalisationService {
        final SimClock clock;
        final CustomerDirectory customers = new CustomerDirectory();
        final HashMap<Long, ShopperProfile> profiles = new HashMap<>();
        final PageCache pages = new PageCache(PAGE_CACHE_CAPACITY);
        final BufferPool buffers = new BufferPool(POOL, BUFFER);
        final HitLog hits = new HitLog();
        final SessionStore sessions = new SessionStore();
        long views;

        PersonalisationService(SimClock clock) { this.clock = clock; }

        void start(Random r) {
            customers.load(clock.now(), r);
            for (long id : customers.ids) profiles.put(id, new ShopperProfile(id));
        }

        /** GET /p/{code}: records the view, renders (or reuses) the recommendations for the category. Returns the session token. */
        String productPage(String sessionToken, long customerId, String code, String source, int position, byte[] hints) {
            long now = clock.now();
            ShopSession s = sessions.touch(sessionToken, customerId, now);
            Product p = Catalog.BY_CODE.get(code);
            ShopperProfile profile = profiles.get(customerId);
            profile.recordView(new View(p.code, now, source, position, hints), p.category);
            views++;
            String key = "rec:" + customerId + ":" + p.category;
            RecommendationPage page = pages.get(key);
            if (page == null) {
                pages.misses++;
                page = render(key, customerId, p, now);
                pages.put(key, page);
            } else {
                pages.hits++;
            }
            hits.add(new PageHit("/p/" + code, customerId, now, 200, 900 + (int) (views % 7_000)));
            return s.token;
        }

        /** GET /search or /cart: only the hit log and the session see it. */
        String otherPage(String sessionToken, long customerId, String path) {
            long now = clock.now();
            ShopSession s = sessions.touch(sessionToken, customerId, now);
            hits.add(new PageHit(path, customerId, now, 200, 400 + (int) (hits.total % 3_000)));
            return s.token;
        }

        RecommendationPage render(String key, long customerId, Product viewed, long now) {
            byte[] buf = buffers.borrow();
            try {
                Product[] inCat = Catalog.BY_CATEGORY[Arrays.asList(CATEGORIES).indexOf(viewed.category)];
                String[] codes = new String[12];
                int len = 0;
                for (int i = 0; i < codes.length; i++) {
                    Product q = inCat[(int) ((customerId + i * 31L + viewed.code.hashCode()) & 0x7fffffff) % inCat.length];
                    codes[i] = q.code;
                    byte[] tile = ("<li class=\"tile\" data-sku=\"" + q.code + "\"><a href=\"/p/" + q.code + "\">" + q.name + "</a><span class=\"price\">"
                        + q.currentPrice() + "</span><img src=\"/img/" + q.code + "/480.webp\" loading=\"lazy\" width=\"480\" height=\"480\"></li>\n").getBytes();
                    for (int rep = 0; rep < 1 + (int) ((customerId + i) % 3); rep++) { System.arraycopy(tile, 0, buf, len, tile.length); len += tile.length; }
                }
                return new RecommendationPage(key, customerId, viewed.category, codes, Arrays.copyOf(buf, len), now);
            } finally {
                buffers.release(buf);
            }
        }
    }

    static String capitalise(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    /** The shoppers' side of the simulation: who views what, and their session cookies. */
    static final class Traffic {
        final Random r = new Random(0x71e3_2031L);
        final int[] frequent = new int[FREQUENT];
        final int[] occasional = new int[CUSTOMERS - FREQUENT];
        final String[] cookie = new String[CUSTOMERS];
        long views;
        long nextSweep = MINUTE;

        Traffic() {
            int[] perm = new int[CUSTOMERS];
            for (int i = 0; i < CUSTOMERS; i++) perm[i] = i;
            for (int i = CUSTOMERS - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
            System.arraycopy(perm, 0, frequent, 0, FREQUENT);
            System.arraycopy(perm, FREQUENT, occasional, 0, CUSTOMERS - FREQUENT);
        }

        /** Simulated hours [fromHour, toHour): VIEWS_PER_HOUR views an hour, evenly spaced; every other view also a search or cart page. */
        void run(PersonalisationService s, long fromHour, long toHour) {
            long n = (toHour - fromHour) * VIEWS_PER_HOUR;
            long simFrom = fromHour * HOUR;
            long span = (toHour - fromHour) * HOUR;
            for (long j = 0; j < n; j++) {
                long t = simFrom + (j + 1) * span / n;
                while (nextSweep <= t) { s.clock.sim = nextSweep; s.sessions.sweep(s.clock.epoch(nextSweep - IDLE_TIMEOUT)); nextSweep += MINUTE; }
                s.clock.sim = t;
                int k = r.nextInt(100) < 85 ? frequent[r.nextInt(FREQUENT)] : occasional[r.nextInt(CUSTOMERS - FREQUENT)];
                long id = s.customers.ids[k];
                Customer c = s.customers.byId.get(id);
                int cat = r.nextInt(10) < 6 ? c.favouriteCategory : r.nextInt(CATEGORIES.length);
                Product[] inCat = Catalog.BY_CATEGORY[cat];
                Product p = inCat[r.nextInt(inCat.length)];
                byte[] hints = new byte[40 + r.nextInt(81)];
                r.nextBytes(hints);
                String code = new String(p.code.toCharArray()); // as parsed from the request path
                cookie[k] = s.productPage(cookie[k], id, code, SOURCES[r.nextInt(SOURCES.length)], 1 + r.nextInt(48), hints);
                if (j % 2 == 1) {
                    String path = r.nextBoolean() ? "/search?q=" + CATEGORIES[r.nextInt(CATEGORIES.length)] + "+" + BRANDS[r.nextInt(BRANDS.length)].toLowerCase().replace(' ', '+') : "/cart";
                    cookie[k] = s.otherPage(cookie[k], id, path);
                }
                views++;
            }
            s.clock.sim = toHour * HOUR;
            s.sessions.sweep(s.clock.epoch(toHour * HOUR - IDLE_TIMEOUT));
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long align(long n) { return (n + 7) & ~7L; }

    static long arr(long elements, int elementSize) { return align(16 + elements * elementSize); }

    /** Checks every component; returns a one-line summary with approximate JVM sizes (compressed oops). */
    static String verify(PersonalisationService s, long expectedViews, long dumpAt) {
        check(s.views == expectedViews, "views served " + s.views);
        check(s.profiles.size() == CUSTOMERS && s.customers.byId.size() == CUSTOMERS, "profiles " + s.profiles.size());
        check(Catalog.BY_CODE.size() == PRODUCTS, "catalog " + Catalog.BY_CODE.size());
        long held = 0, excess = 0, over = 0, viewBytes = 0, dequeBytes = 0, maxSize = 0;
        for (ShopperProfile p : s.profiles.values()) {
            int n = p.recentViews.size();
            if (FIXED) check(n == Math.min(p.viewsTotal, MAX_RECENT_VIEWS), "fixed profile holds " + n + " of " + p.viewsTotal);
            else check(n == p.viewsTotal, "profile holds " + n + " of " + p.viewsTotal);
            check(p.recentCategories.size() <= MAX_RECENT_CATEGORIES, "categories " + p.recentCategories.size());
            long last = Long.MIN_VALUE;
            for (View v : p.recentViews) {
                check(v.viewedAt > last && v.viewedAt <= dumpAt, "viewedAt order");
                check(v.renderHints.length >= 40 && v.renderHints.length <= 120, "hints " + v.renderHints.length);
                last = v.viewedAt;
                viewBytes += 40 + arr(v.renderHints.length, 1);
            }
            held += n;
            maxSize = Math.max(maxSize, n);
            if (p.viewsTotal > MAX_RECENT_VIEWS) { over++; excess += p.viewsTotal - MAX_RECENT_VIEWS; }
            dequeBytes += 24 + arr(dequeCapacity(FIXED ? Math.min(p.viewsTotal, MAX_RECENT_VIEWS + 1) : n), 4);
        }
        if (FIXED) check(maxSize <= MAX_RECENT_VIEWS, "fixed max " + maxSize);
        else check(held == expectedViews, "views held " + held);
        check(s.pages.size() == PAGE_CACHE_CAPACITY && s.pages.evictions > PAGE_CACHE_CAPACITY, "page cache " + s.pages.size() + " evictions " + s.pages.evictions);
        long pageBytes = 0;
        for (RecommendationPage p : s.pages.values()) pageBytes += arr(p.html.length, 1);
        check(s.buffers.free.size() == POOL && s.buffers.borrowed == 0, "pool");
        check(s.hits.wrapped(), "ring not wrapped");
        for (PageHit h : s.hits.ring) check(h != null && h.at <= dumpAt, "ring slot");
        for (ShopSession x : s.sessions.sessions.values()) check(x.lastSeenAt > dumpAt - IDLE_TIMEOUT && x.lastSeenAt <= dumpAt, "session idle");
        check(s.sessions.sessions.size() >= 100 && s.sessions.sessions.size() <= 1_000, "sessions " + s.sessions.sessions.size());
        long priceBytes = 0;
        for (Product p : Catalog.BY_CODE.values()) priceBytes += arr(p.priceHistory.length, 8);
        return "views held " + held + " (fixed=" + FIXED + ", max per customer " + maxSize + ", " + over + " customers over " + MAX_RECENT_VIEWS
            + ", views beyond the cap " + excess + ", View+hints ~" + viewBytes + " B, deques+arrays ~" + dequeBytes + " B), page cache " + s.pages.size()
            + " (evictions " + s.pages.evictions + ", hits " + s.pages.hits + ", misses " + s.pages.misses + ", html ~" + pageBytes + " B), hits "
            + s.hits.total + " (ring " + RING + "), sessions " + s.sessions.sessions.size() + " (created " + s.sessions.created + ", expired "
            + s.sessions.expired + "), catalog " + Catalog.BY_CODE.size() + " (price history ~" + priceBytes + " B), pool " + s.buffers.free.size() + "/" + POOL;
    }

    /** Length of an ArrayDeque's array after it held {@code maxSize} elements (JDK 17: 16 + 1, then +2 + old below 64, else +50%). */
    static int dequeCapacity(int maxSize) {
        int cap = 17;
        while (maxSize >= cap) cap += cap < 64 ? cap + 2 : cap >> 1;
        return cap;
    }

    static PersonalisationService RUNNING;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long r0 = System.currentTimeMillis();
        SimClock clock = new SimClock();
        if (count == 3) clock.addSegment(0, HOURS_AT_DUMP[0] * HOUR, r0 - HOURS_AT_DUMP[0] * HOUR, r0);
        else clock.addSegment(0, HOURS_AT_DUMP[2] * HOUR, r0 - HOURS_AT_DUMP[2] * HOUR, r0);
        Random setup = new Random(0xca7a_2031L);
        Catalog.load(clock.now(), setup);
        RUNNING = new PersonalisationService(clock);
        RUNNING.start(setup);
        Traffic traffic = new Traffic();
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= 3; stage++) {
            long fromHour = stage == 1 ? 0 : HOURS_AT_DUMP[stage - 2];
            long toHour = HOURS_AT_DUMP[stage - 1];
            if (count == 3 && stage > 1) {
                long views = (toHour - fromHour) * VIEWS_PER_HOUR;
                long until = clock.lastReal() + Math.max(1_100, views + 500);
                while (System.currentTimeMillis() < until) Thread.sleep(Math.max(1, until - System.currentTimeMillis()));
                clock.addSegment(fromHour * HOUR, toHour * HOUR, clock.lastReal(), System.currentTimeMillis());
            }
            traffic.run(RUNNING, fromHour, toHour);
            if (count != 3 && stage < 3) continue;
            long dumpAt = System.currentTimeMillis();
            RUNNING.sessions.sweep(dumpAt - IDLE_TIMEOUT); // the scheduled sweep, on the wall clock
            String summary = verify(RUNNING, toHour * VIEWS_PER_HOUR, dumpAt);
            System.gc();
            String path = LeakCheck.seriesPath(base, count == 3 ? stage : 1, count, dir);
            DumpUtil.dump(variant, path);
            if (count == 3 && stage < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + " after " + toHour + " h: " + summary);
        }
        System.exit(0);
    }
}
