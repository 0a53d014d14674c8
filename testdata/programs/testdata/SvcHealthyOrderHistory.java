// hprofscan-dump: name=svc-healthy-orderhistory jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-healthy-orderhistory-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Healthy (tuning set, session 31; series): a customer-service back office. No leak. Components:
 * the customer registry ({@code CustomerRegistry.byId}, 4,000 customers), each customer holding
 * the order history loaded at startup from the order database (3-20 orders, placed over the last 3
 * years; it does not change during traffic) and the last 20 support searches about them (an
 * {@code ArrayDeque<Search>} trimmed on every add; full for almost every customer after 2 hours);
 * the support desk's open tickets per agent (opened and closed during traffic, about 300 open, none
 * older than an hour); static reference data (countries, product lines); a hand-written
 * size-capped cache of customer summaries (a {@code ConcurrentHashMap} plus a FIFO eviction queue,
 * capacity 2,000, full); a fixed pool of 4 report workers, kept and reused, each with a 64 KB
 * {@code ThreadLocal} scratch buffer. Memory is flat from the first dump to the last.
 *
 * <p>Time line: as in SvcLeakRecentViews, the series starts the service 2 hours before the first
 * dump, and hours 2-4 and 4-8 are compressed into the real time between the dumps; the single dump
 * maps all 8 hours onto the 8 real hours before it. See testdata/TUNING31.md.
 */
public final class SvcHealthyOrderHistory {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int CUSTOMERS = 4_000;
    static final int AGENTS = 40;
    static final int RECENT_SEARCHES = 20;
    static final int CACHE_CAPACITY = 2_000;
    static final int WORKERS = 4;
    static final int SCRATCH = 64 * 1024;
    static final long[] HOURS_AT_DUMP = {2, 4, 8};
    static final int SEARCHES_PER_HOUR = 60_000;
    static final int TICKETS_PER_HOUR = 600;
    static final long REPORT_EVERY = 15 * MINUTE;

    static final String[][] COUNTRY_ROWS = {
        {"DE", "Germany", "EUR", "19", "+49"}, {"FR", "France", "EUR", "20", "+33"}, {"NL", "Netherlands", "EUR", "21", "+31"}, {"GB", "United Kingdom", "GBP", "20", "+44"},
        {"ES", "Spain", "EUR", "21", "+34"}, {"IT", "Italy", "EUR", "22", "+39"}, {"PL", "Poland", "PLN", "23", "+48"}, {"SE", "Sweden", "SEK", "25", "+46"},
        {"AT", "Austria", "EUR", "20", "+43"}, {"BE", "Belgium", "EUR", "21", "+32"}, {"DK", "Denmark", "DKK", "25", "+45"}, {"FI", "Finland", "EUR", "24", "+358"},
        {"IE", "Ireland", "EUR", "23", "+353"}, {"PT", "Portugal", "EUR", "23", "+351"}, {"CZ", "Czechia", "CZK", "21", "+420"}, {"HU", "Hungary", "HUF", "27", "+36"},
        {"NO", "Norway", "NOK", "25", "+47"}, {"CH", "Switzerland", "CHF", "8", "+41"}, {"US", "United States", "USD", "0", "+1"}, {"CA", "Canada", "CAD", "5", "+1"},
        {"JP", "Japan", "JPY", "10", "+81"}, {"AU", "Australia", "AUD", "10", "+61"}, {"NZ", "New Zealand", "NZD", "15", "+64"}, {"SG", "Singapore", "SGD", "9", "+65"}};
    static final String[] LINES = {"washing-machines", "dryers", "dishwashers", "fridges", "freezers", "ovens", "hobs", "hoods", "microwaves", "coffee-machines",
        "vacuum-cleaners", "robot-vacuums", "air-purifiers", "heaters", "fans", "kettles", "toasters", "blenders", "irons", "hair-care", "shavers", "tv", "soundbars", "smart-home"};
    static final String[] STATUSES = {"DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED", "RETURNED", "REFUNDED", "CANCELLED"};
    static final String[] CHANNELS = {"phone", "chat", "email"};
    static final String[] SUBJECTS = {"Where is my order?", "Item arrived damaged", "Return label request", "Warranty claim", "Invoice correction", "Installation appointment", "Refund not received", "Change delivery address"};
    static final String[] FIRST = {"anna", "ben", "carla", "dmitri", "elif", "farid", "greta", "hugo", "ines", "jonas", "kemal", "lena", "mateo", "nora", "omar", "paula"};
    static final String[] LAST = {"meyer", "okafor", "silva", "tanaka", "novak", "haddad", "larsen", "rossi", "kowalski", "dubois", "ng", "fischer"};

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

    static final class Country {
        final String iso; final String name; final String currency; final BigDecimal vatPercent; final String phonePrefix;
        Country(String iso, String name, String currency, BigDecimal vatPercent, String phonePrefix) { this.iso = iso; this.name = name; this.currency = currency; this.vatPercent = vatPercent; this.phonePrefix = phonePrefix; }
    }

    static final class ProductLine {
        final String code; final String name; final int warrantyMonths; final String escalationQueue; final byte[] serviceTerms;
        ProductLine(String code, String name, int warrantyMonths, String escalationQueue, byte[] serviceTerms) { this.code = code; this.name = name; this.warrantyMonths = warrantyMonths; this.escalationQueue = escalationQueue; this.serviceTerms = serviceTerms; }
    }

    /** Legitimate: reference data loaded once at startup. */
    static final class ReferenceData {
        static final Map<String, Country> COUNTRIES = new LinkedHashMap<>();
        static final Map<String, ProductLine> PRODUCT_LINES = new HashMap<>();
        static long loadedAt;

        static void load(long at, Random r) {
            loadedAt = at;
            for (String[] row : COUNTRY_ROWS) COUNTRIES.put(row[0], new Country(row[0], row[1], row[2], new BigDecimal(row[3]), row[4]));
            for (int i = 0; i < LINES.length; i++) {
                byte[] terms = new byte[1_024 + r.nextInt(3_073)];
                r.nextBytes(terms);
                PRODUCT_LINES.put(LINES[i], new ProductLine(LINES[i], Character.toUpperCase(LINES[i].charAt(0)) + LINES[i].substring(1).replace('-', ' '),
                    12 * (1 + i % 3), "L2-" + LINES[i].toUpperCase(), terms));
            }
        }
    }

    static final class Order {
        final String orderNo; final long placedAt; final BigDecimal total; final String currency; final String productLine; final String status; final byte[] lines;
        Order(String orderNo, long placedAt, BigDecimal total, String currency, String productLine, String status, byte[] lines) { this.orderNo = orderNo; this.placedAt = placedAt; this.total = total; this.currency = currency; this.productLine = productLine; this.status = status; this.lines = lines; }
    }

    static final class Search {
        final long at; final String agentId; final String channel; final String query; final int results;
        Search(long at, String agentId, String channel, String query, int results) { this.at = at; this.agentId = agentId; this.channel = channel; this.query = query; this.results = results; }
    }

    static final class CustomerAccount {
        final long id; final String name; final String email; final String country; final long customerSince;
        final List<Order> orders;
        final ArrayDeque<Search> recentSearches = new ArrayDeque<>();
        long lastContactAt; int searchesTotal;
        CustomerAccount(long id, String name, String email, String country, long customerSince, List<Order> orders) { this.id = id; this.name = name; this.email = email; this.country = country; this.customerSince = customerSince; this.orders = orders; }

        void recordSearch(Search s) {
            recentSearches.addLast(s);
            while (recentSearches.size() > RECENT_SEARCHES) recentSearches.pollFirst();
            lastContactAt = s.at;
            searchesTotal++;
        }
    }

    /** Legitimate: every customer with their order history, loaded from the order database at startup. */
    static final class CustomerRegistry {
        final HashMap<Long, CustomerAccount> byId = new HashMap<>();
        final long[] ids = new long[CUSTOMERS];
        long ordersLoaded;

        void load(long at, Random r) {
            long orderSeq = 4_100_000;
            for (int k = 0; k < CUSTOMERS; k++) {
                long id = 30_000_000L + k * 7L;
                String country = COUNTRY_ROWS[r.nextInt(COUNTRY_ROWS.length)][0];
                String currency = ReferenceData.COUNTRIES.get(country).currency;
                int n = 3 + r.nextInt(18);
                long[] placed = new long[n];
                for (int i = 0; i < n; i++) placed[i] = at - HOUR - (long) (r.nextDouble() * 3 * 365 * DAY);
                java.util.Arrays.sort(placed);
                List<Order> orders = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] lines = new byte[100 + r.nextInt(201)];
                    r.nextBytes(lines);
                    orders.add(new Order("SO-" + (orderSeq += 1 + r.nextInt(40)), placed[i], BigDecimal.valueOf(1_999 + r.nextInt(250_000), 2), currency,
                        LINES[r.nextInt(LINES.length)], STATUSES[r.nextInt(STATUSES.length)], lines));
                }
                String first = FIRST[k % FIRST.length], last = LAST[(k / 16) % LAST.length];
                CustomerAccount c = new CustomerAccount(id, Character.toUpperCase(first.charAt(0)) + first.substring(1) + " " + Character.toUpperCase(last.charAt(0)) + last.substring(1),
                    first + "." + last + k + "@example.net", country, placed[0] - (long) (r.nextDouble() * 200 * DAY), orders);
                c.lastContactAt = placed[n - 1];
                byId.put(id, c);
                ids[k] = id;
                ordersLoaded += n;
            }
        }
    }

    static final class Ticket {
        final long ticketNo; final long customerId; final String agentId; final String subject; final int priority; final long openedAt; final byte[] notes;
        Ticket(long ticketNo, long customerId, String agentId, String subject, int priority, long openedAt, byte[] notes) { this.ticketNo = ticketNo; this.customerId = customerId; this.agentId = agentId; this.subject = subject; this.priority = priority; this.openedAt = openedAt; this.notes = notes; }
    }

    /** Legitimate: the open tickets of each agent; a ticket leaves the map when it is closed. */
    static final class SupportDesk {
        final HashMap<String, LinkedHashMap<Long, Ticket>> openByAgent = new HashMap<>();
        final String[] agentIds = new String[AGENTS];
        long opened;
        long closed;

        SupportDesk() {
            for (int a = 0; a < AGENTS; a++) { agentIds[a] = "agent-" + (101 + a); openByAgent.put(agentIds[a], new LinkedHashMap<>()); }
        }

        void open(Ticket t) { openByAgent.get(t.agentId).put(t.ticketNo, t); opened++; }

        void close(String agentId, long ticketNo) { if (openByAgent.get(agentId).remove(ticketNo) != null) closed++; }

        int openCount() { int n = 0; for (Map<Long, Ticket> m : openByAgent.values()) n += m.size(); return n; }
    }

    static final class CachedSummary {
        final String key; final long customerId; final int orders; final long builtAt; final byte[] body;
        CachedSummary(String key, long customerId, int orders, long builtAt, byte[] body) { this.key = key; this.customerId = customerId; this.orders = orders; this.builtAt = builtAt; this.body = body; }
    }

    /** Legitimate: a size-capped cache of rendered customer summaries, evicting in insertion order. */
    static final class SummaryCache {
        final int capacity;
        final ConcurrentHashMap<String, CachedSummary> entries = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> insertionOrder = new ConcurrentLinkedQueue<>();
        long evictions;
        long hits;
        long misses;

        SummaryCache(int capacity) { this.capacity = capacity; }

        CachedSummary get(String key) {
            CachedSummary s = entries.get(key);
            if (s == null) misses++; else hits++;
            return s;
        }

        void put(String key, CachedSummary value) {
            if (entries.put(key, value) == null) insertionOrder.add(key);
            while (entries.size() > capacity) {
                String eldest = insertionOrder.poll();
                if (eldest == null) break;
                if (entries.remove(eldest) != null) evictions++;
            }
        }
    }

    /** Legitimate: a fixed pool of report workers, created once and reused, each with its own scratch buffer. */
    static final class ReportWorkers {
        final AtomicInteger threads = new AtomicInteger();
        final AtomicInteger buffersCreated = new AtomicInteger();
        final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> { buffersCreated.incrementAndGet(); return new byte[SCRATCH]; });
        final ExecutorService pool = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "report-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long reports;
        long lastChecksum;

        /** The SLA report: eight slices of the agents, each packed into the worker's scratch buffer. */
        void slaReport(SupportDesk desk, long now) throws Exception {
            List<Callable<Long>> slices = new ArrayList<>();
            for (int part = 0; part < 8; part++) {
                List<Ticket> tickets = new ArrayList<>();
                for (int a = part; a < AGENTS; a += 8) tickets.addAll(desk.openByAgent.get(desk.agentIds[a]).values());
                slices.add(() -> {
                    byte[] buf = scratch.get();
                    int pos = 0;
                    long sum = 0;
                    for (Ticket t : tickets) {
                        int len = Math.min(t.notes.length, buf.length - pos);
                        System.arraycopy(t.notes, 0, buf, pos, len);
                        pos = (pos + len) % (buf.length - 2_048);
                        sum += (now - t.openedAt) / MINUTE * t.priority;
                    }
                    return sum;
                });
            }
            long total = 0;
            for (Future<Long> f : pool.invokeAll(slices)) total += f.get();
            lastChecksum = total;
            reports++;
        }
    }

    static final class BackOffice {
        final SimClock clock;
        final CustomerRegistry customers = new CustomerRegistry();
        final SupportDesk desk = new SupportDesk();
        final SummaryCache summaries = new SummaryCache(CACHE_CAPACITY);
        final ReportWorkers workers = new ReportWorkers();
        long searches;

        BackOffice(SimClock clock) { this.clock = clock; }

        /** An agent searches for a customer (and, now and then, opens their card). */
        void search(String agentId, String channel, long customerId, String query, boolean openCard) {
            long now = clock.now();
            CustomerAccount c = customers.byId.get(customerId);
            int results = 0;
            for (Order o : c.orders) if (query.contains(o.orderNo) || query.startsWith("email:") || query.startsWith("line:" + o.productLine)) results++;
            c.recordSearch(new Search(now, agentId, channel, query, results));
            searches++;
            if (openCard) {
                String key = (query.startsWith("SO-") ? "orders:" : "summary:") + customerId;
                if (summaries.get(key) == null) summaries.put(key, render(key, c, now));
            }
        }

        CachedSummary render(String key, CustomerAccount c, long now) {
            StringBuilder b = new StringBuilder(4_096);
            b.append("{\"customer\":").append(c.id).append(",\"name\":\"").append(c.name).append("\",\"country\":\"").append(c.country).append("\",\"orders\":[");
            for (Order o : c.orders) {
                b.append("{\"no\":\"").append(o.orderNo).append("\",\"placedAt\":").append(o.placedAt).append(",\"total\":\"").append(o.total).append(' ').append(o.currency)
                    .append("\",\"line\":\"").append(o.productLine).append("\",\"status\":\"").append(o.status).append("\"},");
                if (key.startsWith("orders:")) b.append("{\"lines\":").append(o.lines.length).append(",\"warrantyMonths\":").append(ReferenceData.PRODUCT_LINES.get(o.productLine).warrantyMonths).append("},");
            }
            b.append("]}");
            return new CachedSummary(key, c.id, c.orders.size(), now, b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The agents' side of the simulation. */
    static final class Traffic {
        final Random r = new Random(0x0a6e_2031L);
        final Random tickets = new Random(0x71c4_2031L);
        long nextTicketNo = 880_000;
        long nextMinute = MINUTE;
        long nextReport = REPORT_EVERY;

        static long resolutionMinutes(long ticketNo) { return 5 + (ticketNo * 0x9E3779B97F4A7C15L >>> 40) % 50; }

        void run(BackOffice s, long fromHour, long toHour) throws Exception {
            long n = (toHour - fromHour) * SEARCHES_PER_HOUR;
            long simFrom = fromHour * HOUR;
            long span = (toHour - fromHour) * HOUR;
            long ticketEvery = HOUR / TICKETS_PER_HOUR;
            long nextTicket = simFrom + ticketEvery;
            for (long j = 0; j < n; j++) {
                long t = simFrom + (j + 1) * span / n;
                while (nextMinute <= t) { s.clock.sim = nextMinute; closeResolved(s, nextMinute); nextMinute += MINUTE; }
                while (nextReport <= t) { s.clock.sim = nextReport; s.workers.slaReport(s.desk, s.clock.now()); nextReport += REPORT_EVERY; }
                while (nextTicket <= t) { s.clock.sim = nextTicket; openTicket(s); nextTicket += ticketEvery; }
                s.clock.sim = t;
                int k = r.nextInt(CUSTOMERS);
                long id = s.customers.ids[k];
                CustomerAccount c = s.customers.byId.get(id);
                String query;
                switch (r.nextInt(4)) {
                    case 0: query = c.orders.get(r.nextInt(c.orders.size())).orderNo; break;
                    case 1: query = "email:" + c.email; break;
                    case 2: query = "line:" + LINES[r.nextInt(LINES.length)]; break;
                    default: query = "name:" + c.name.toLowerCase(); break;
                }
                s.search(s.desk.agentIds[r.nextInt(AGENTS)], CHANNELS[r.nextInt(CHANNELS.length)], id, new String(query.toCharArray()), r.nextInt(4) == 0);
            }
            s.clock.sim = toHour * HOUR;
            closeResolved(s, toHour * HOUR);
        }

        void openTicket(BackOffice s) {
            long now = s.clock.now();
            int k = tickets.nextInt(CUSTOMERS);
            byte[] notes = new byte[200 + tickets.nextInt(1_001)];
            tickets.nextBytes(notes);
            s.desk.open(new Ticket(nextTicketNo++, s.customers.ids[k], s.desk.agentIds[tickets.nextInt(AGENTS)], SUBJECTS[tickets.nextInt(SUBJECTS.length)], 1 + tickets.nextInt(4), now, notes));
        }

        /** Agents close the tickets they resolved (5 to 54 minutes after opening). */
        void closeResolved(BackOffice s, long sim) {
            List<Ticket> done = new ArrayList<>();
            for (Map<Long, Ticket> m : s.desk.openByAgent.values())
                for (Ticket t : m.values()) if (t.openedAt <= s.clock.epoch(sim - resolutionMinutes(t.ticketNo) * MINUTE)) done.add(t);
            for (Ticket t : done) s.desk.close(t.agentId, t.ticketNo);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long arr(long elements, int elementSize) { return (16 + elements * elementSize + 7) & ~7L; }

    static String verify(BackOffice s, long expectedSearches, long dumpAt) {
        check(s.searches == expectedSearches, "searches " + s.searches);
        check(s.customers.byId.size() == CUSTOMERS, "customers " + s.customers.byId.size());
        long orders = 0, orderBytes = 0, held = 0, full = 0, searchBytes = 0;
        for (CustomerAccount c : s.customers.byId.values()) {
            check(c.orders.size() >= 3 && c.orders.size() <= 20, "orders per customer " + c.orders.size());
            for (Order o : c.orders) {
                check(o.placedAt < s.clock.epoch(0) && o.placedAt > s.clock.epoch(0) - 3 * 365 * DAY - HOUR && o.lines.length >= 100 && o.lines.length <= 300, "order");
                orderBytes += 48 + 24 + arr(o.orderNo.length(), 1) + 40 + arr(o.lines.length, 1); // Order, orderNo, BigDecimal, lines
            }
            orders += c.orders.size();
            int n = c.recentSearches.size();
            check(n == Math.min(c.searchesTotal, RECENT_SEARCHES), "searches held " + n + " of " + c.searchesTotal);
            held += n;
            if (n == RECENT_SEARCHES) full++;
            for (Search x : c.recentSearches) { check(x.at <= dumpAt, "search at"); searchBytes += 40 + 24 + arr(x.query.length(), 1); }
        }
        check(orders == s.customers.ordersLoaded, "orders changed: " + orders + " vs " + s.customers.ordersLoaded);
        check(full * 10 >= CUSTOMERS * 9L, "full deques " + full);
        int open = s.desk.openCount();
        check(open >= 150 && open <= 500 && s.desk.openByAgent.size() == AGENTS, "open tickets " + open);
        long ticketBytes = 0;
        for (Map<Long, Ticket> m : s.desk.openByAgent.values())
            for (Ticket t : m.values()) { check(t.openedAt > dumpAt - HOUR && t.openedAt <= dumpAt, "ticket age " + (dumpAt - t.openedAt)); ticketBytes += 56 + arr(t.notes.length, 1); }
        check(s.summaries.entries.size() == CACHE_CAPACITY && s.summaries.insertionOrder.size() == CACHE_CAPACITY && s.summaries.evictions > CACHE_CAPACITY, "cache " + s.summaries.entries.size());
        long cacheBytes = 0;
        for (CachedSummary c : s.summaries.entries.values()) cacheBytes += arr(c.body.length, 1);
        check(s.workers.threads.get() == WORKERS && s.workers.buffersCreated.get() == WORKERS, "workers " + s.workers.threads.get() + " buffers " + s.workers.buffersCreated.get());
        check(ReferenceData.COUNTRIES.size() == COUNTRY_ROWS.length && ReferenceData.PRODUCT_LINES.size() == LINES.length, "reference data");
        return "customers " + s.customers.byId.size() + ", orders " + orders + " (~" + orderBytes + " B), searches held " + held + " (" + full + " deques full, ~"
            + searchBytes + " B; " + s.searches + " searches served), open tickets " + open + " (opened " + s.desk.opened + ", closed " + s.desk.closed + ", ~"
            + ticketBytes + " B), summary cache " + s.summaries.entries.size() + " (evictions " + s.summaries.evictions + ", hits " + s.summaries.hits + ", misses "
            + s.summaries.misses + ", bodies ~" + cacheBytes + " B), workers " + s.workers.threads.get() + " (scratch buffers " + s.workers.buffersCreated.get()
            + ", reports " + s.workers.reports + ")";
    }

    static BackOffice RUNNING;

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
        Random setup = new Random(0xdb00_2031L);
        ReferenceData.load(clock.now(), setup);
        RUNNING = new BackOffice(clock);
        RUNNING.customers.load(clock.now(), setup);
        Traffic traffic = new Traffic();
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= 3; stage++) {
            long fromHour = stage == 1 ? 0 : HOURS_AT_DUMP[stage - 2];
            long toHour = HOURS_AT_DUMP[stage - 1];
            if (count == 3 && stage > 1) {
                long until = clock.lastReal() + 1_100;
                while (System.currentTimeMillis() < until) Thread.sleep(Math.max(1, until - System.currentTimeMillis()));
                clock.addSegment(fromHour * HOUR, toHour * HOUR, clock.lastReal(), System.currentTimeMillis());
            }
            traffic.run(RUNNING, fromHour, toHour);
            if (count != 3 && stage < 3) continue;
            long dumpAt = System.currentTimeMillis();
            String summary = verify(RUNNING, toHour * SEARCHES_PER_HOUR, dumpAt);
            System.gc();
            String path = LeakCheck.seriesPath(base, count == 3 ? stage : 1, count, dir);
            DumpUtil.dump(variant, path);
            if (count == 3 && stage < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + " after " + toHour + " h: " + summary);
        }
        System.exit(0);
    }
}
