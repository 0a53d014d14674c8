// hprofscan-dump: name=val124-leak-parkrunresults-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val124-leak-parkrunresults-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val124-leak-parkrunresults jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val124-leak-parkrunresults-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Validation set 124 (written blind), LEAK (growth series): the results API of a community 5k
 * running events organisation (weekly timed runs in parks). Event reference data, the runner
 * directory, a cache of rendered results pages at its cap, a pool of JSON buffers, a ring of
 * recent requests, the milestone-e-mail queue with its backlog, and an in-process metrics
 * registry. The HTTP timers are tagged with the URI template, method and status (bounded), but the
 * runner-search endpoint records its latency timer and its hit-count summary tagged with the
 * normalised free-text query ("q=sarah oneill riverside"): the registry gains two meters, each
 * with a 64-bucket histogram, for every distinct search ever typed. See VALIDATION124.md.
 */
public final class Val124LeakParkrunResults {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int EVENTS = 900, RUNNERS = 24_000, PAGE_CAP = 1_500, POOL = 8, RING = 4_096, REQ_PER_HOUR = 3_000, BUCKETS = 64;
    static boolean FIXED;

    record Event(String slug, String name, String country, double[] medianTimeByWeek) {}
    record Runner(String barcode, String name, String homeEvent, String ageCategory, byte[] profile, long registeredAt) {}
    record ResultsPage(String key, byte[] rendered, long at) {}
    record RequestLog(String method, String path, int status, long micros, long at) {}
    record MilestoneEmail(String barcode, String to, int milestone, long queuedAt) {}

    // ---- a small Micrometer-like registry ------------------------------------------------------
    record Tag(String key, String value) {}
    record MeterId(String name, List<Tag> tags) {}

    abstract static class Meter {
        final MeterId id;
        Meter(MeterId id) { this.id = id; }
    }

    static final class Timer extends Meter {
        long count, totalMicros, maxMicros;
        final long[] buckets = new long[BUCKETS];
        Timer(MeterId id) { super(id); }
        void record(long micros) {
            count++; totalMicros += micros; maxMicros = Math.max(maxMicros, micros);
            buckets[Math.min(BUCKETS - 1, (63 - Long.numberOfLeadingZeros(Math.max(1, micros))) * 3)]++;
        }
    }

    static final class DistributionSummary extends Meter {
        long count; double total, max;
        final long[] buckets = new long[BUCKETS];
        DistributionSummary(MeterId id) { super(id); }
        void record(double v) { count++; total += v; max = Math.max(max, v); buckets[Math.min(BUCKETS - 1, (int) v)]++; }
    }

    static final class Gauge extends Meter {
        final DoubleSupplier value;
        Gauge(MeterId id, DoubleSupplier value) { super(id); this.value = value; }
    }

    static final class MeterRegistry {
        final ConcurrentHashMap<MeterId, Meter> meters = new ConcurrentHashMap<>();

        static List<Tag> tags(String... kv) {
            return kv.length == 2 ? List.of(new Tag(kv[0], kv[1]))
                    : kv.length == 4 ? List.of(new Tag(kv[0], kv[1]), new Tag(kv[2], kv[3]))
                    : List.of(new Tag(kv[0], kv[1]), new Tag(kv[2], kv[3]), new Tag(kv[4], kv[5]));
        }
        Timer timer(String name, String... kv) { return (Timer) meters.computeIfAbsent(new MeterId(name, tags(kv)), Timer::new); }
        DistributionSummary summary(String name, String... kv) { return (DistributionSummary) meters.computeIfAbsent(new MeterId(name, tags(kv)), DistributionSummary::new); }
        void gauge(String name, DoubleSupplier f, String... kv) { meters.computeIfAbsent(new MeterId(name, tags(kv)), id -> new Gauge(id, f)); }
    }

    static final class PageCache extends LinkedHashMap<String, ResultsPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultsPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Event> EVENTS_BY_SLUG = new HashMap<>();

    static final class ResultsService {
        final Map<String, Runner> runners = new HashMap<>();
        final String[] barcodes = new String[RUNNERS];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final RequestLog[] recent = new RequestLog[RING];
        final ArrayDeque<MilestoneEmail> mailQueue = new ArrayDeque<>();
        final MeterRegistry metrics = new MeterRegistry();
        final String[] recentQueries = new String[64];
        long requests, searches, distinctQueries, repeats, emailsQueued, emailsSent;

        void http(String method, String template, String path, int status, long micros, long t) {
            metrics.timer("http.server.requests", "method", method, "uri", template, "status", Integer.toString(status)).record(micros);
            recent[(int) (requests++ % RING)] = new RequestLog(method, path, status, micros, t);
        }

        byte[] buffer() { byte[] b = jsonBuffers.poll(); return b; }
        void release(byte[] b) { jsonBuffers.add(b); }

        void resultsPage(String[] slugs, Random r, long t) {
            String slug = slugs[r.nextInt(EVENTS)];
            int run = 400 + r.nextInt(12);
            String key = slug + "/" + run;
            int status = 200;
            if (r.nextInt(40) == 0) status = 404;
            else if (pages.get(key) == null) pages.put(key, new ResultsPage(key, new byte[400 + r.nextInt(400)], t));
            else if (r.nextInt(3) == 0) status = 304;
            byte[] b = buffer(); b[(int) (requests % b.length)] = (byte) run; release(b);
            http("GET", r.nextBoolean() ? "/events/{slug}/results/latest" : "/events/{slug}/results/{runId}", "/events/" + slug + "/results/" + run, status, 2_000 + r.nextInt(40_000), t);
        }

        void runnerPage(Random r, long t) {
            String code = barcodes[r.nextInt(RUNNERS)];
            boolean typo = r.nextInt(30) == 0;
            Runner rn = runners.get(typo ? code.substring(1) : code);
            int status = rn == null ? 404 : 200;
            if (rn != null && r.nextInt(4) == 0) {
                mailQueue.addLast(new MilestoneEmail(rn.barcode(), "runner" + rn.barcode().substring(1) + "@example.net", 50 * (1 + r.nextInt(10)), t));
                emailsQueued++;
            }
            http("GET", r.nextBoolean() ? "/runners/{barcode}" : "/runners/{barcode}/results", "/runners/" + (typo ? code.substring(1) : code), status, 1_500 + r.nextInt(20_000), t);
        }

        /** GET /search?q=...: searches runners by name, event, age category or barcode. */
        void search(String q, Runner[] byIndex, Random r, long t) {
            searches++;
            String normalised = q.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
            int hits = 0;
            for (int k = 0; k < 8; k++) if (byIndex[r.nextInt(RUNNERS)].name().toLowerCase(java.util.Locale.ROOT).contains(normalised.split(" ")[0])) hits++;
            long micros = 5_000 + r.nextInt(120_000);
            if (FIXED) {
                metrics.timer("results.search.latency", "endpoint", "/search").record(micros);
                metrics.summary("results.search.hits", "endpoint", "/search").record(hits);
            } else {
                // BUG: the free-text query as a tag value: a new series per distinct query
                metrics.timer("results.search.latency", "q", normalised).record(micros);
                metrics.summary("results.search.hits", "q", normalised).record(hits);
            }
            http("GET", "/search", "/search?q=" + normalised.replace(' ', '+'), 200, micros, t);
        }

        void sendMail(long t) {
            while (!mailQueue.isEmpty() && mailQueue.peekFirst().queuedAt() <= t - 5 * MINUTE) { mailQueue.pollFirst(); emailsSent++; }
        }
    }

    static ResultsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static final String[] FIRST = {"sarah", "james", "emma", "tom", "aisha", "dan", "chloe", "mohammed", "katie", "liam", "priya", "oliver", "ruth", "sam", "grace",
        "ben", "hannah", "jack", "nadia", "owen", "zoe", "matt", "ellie", "raj", "lucy", "pete", "freya", "ahmed", "jess", "will", "anna", "kieran"};
    static final String[] LAST = {"smith", "jones", "o'neill", "patel", "williams", "brown", "taylor", "davies", "evans", "wilson", "thomas", "roberts", "johnson",
        "lewis", "walker", "robinson", "wood", "thompson", "white", "watson", "jackson", "wright", "green", "harris", "cooper", "king", "lee", "martin", "clarke",
        "james", "morgan", "hughes", "edwards", "hill", "moore", "clark", "harrison", "scott", "young", "morris", "hall", "ward", "turner", "carter", "phillips",
        "mitchell", "nowak", "kaur", "begum", "ali", "murphy", "kelly", "byrne", "ryan", "walsh", "okafor", "mensah", "silva", "costa", "rossi"};
    static final String[] CATS = {"sm25-29", "sw30-34", "vm40-44", "vw45-49", "vm55-59", "jm11-14", "vw60-64", "sm18-19"};

    static String query(Random r, String[] slugs, String[] barcodes) {
        int shape = r.nextInt(10);
        String name = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
        switch (shape) {
            case 0: case 1: case 2: return name;
            case 3: case 4: return name + " " + slugs[r.nextInt(EVENTS)].split("-")[0];
            case 5: return name.charAt(0) + " " + LAST[r.nextInt(LAST.length)] + " " + CATS[r.nextInt(CATS.length)];
            case 6: return barcodes[r.nextInt(RUNNERS)];
            case 7: return "  " + name.toUpperCase(java.util.Locale.ROOT) + " ";
            case 8: return name + " " + (17 + r.nextInt(20)) + ":" + (10 + r.nextInt(50));
            default: return LAST[r.nextInt(LAST.length)] + " " + slugs[r.nextInt(EVENTS)].replace('-', ' ');
        }
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(124_020_001);
        String[] slugs = new String[EVENTS];
        String[] places = {"riverside", "castle", "meadows", "harbour", "forest", "common", "lakeside", "heath", "abbey", "victoria", "beacon", "quarry"};
        String[] kinds = {"park", "fields", "gardens", "downs", "green", "water"};
        for (int e = 0; e < EVENTS; e++) {
            double[] medians = new double[52];
            for (int k = 0; k < medians.length; k++) medians[k] = 1_500 + rnd.nextDouble() * 600;
            slugs[e] = places[e % places.length] + "-" + kinds[(e / places.length) % kinds.length] + (e >= places.length * kinds.length ? "-" + (e / (places.length * kinds.length)) : "");
            EVENTS_BY_SLUG.put(slugs[e], new Event(slugs[e], "Event " + e, e % 9 == 0 ? "IE" : "GB", medians));
        }
        ResultsService svc = new ResultsService();
        SERVICE = svc;
        Runner[] byIndex = new Runner[RUNNERS];
        for (int i = 0; i < RUNNERS; i++) {
            svc.barcodes[i] = "A" + (1_000_000 + i * 41);
            String name = FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)];
            byIndex[i] = new Runner(svc.barcodes[i], name, slugs[rnd.nextInt(EVENTS)], CATS[rnd.nextInt(CATS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (7 + rnd.nextInt(3_000)) * DAY);
            svc.runners.put(svc.barcodes[i], byIndex[i]);
        }
        for (int b = 0; b < POOL; b++) svc.jsonBuffers.add(new byte[32_768]);
        svc.metrics.gauge("results.pages.cached", () -> SERVICE.pages.size(), "cache", "results-pages");
        svc.metrics.gauge("results.mail.queue", () -> SERVICE.mailQueue.size(), "queue", "milestone-mail");
        svc.metrics.gauge("jvm.threads.live", () -> Thread.activeCount(), "area", "jvm");
        svc.metrics.gauge("jvm.memory.used", () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), "area", "heap");
        Random traffic = new Random(124_020_002);
        int requests = REQ_PER_HOUR * hours;
        long nextMail = start + 5 * MINUTE;
        java.util.Set<String> distinct = new java.util.HashSet<>(); // the simulator's own bookkeeping
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextMail <= t) { svc.sendMail(nextMail); nextMail += 5 * MINUTE; }
            int kind = traffic.nextInt(100);
            if (kind < 35) svc.resultsPage(slugs, traffic, t);
            else if (kind < 55) svc.runnerPage(traffic, t);
            else if (kind < 57) svc.http("GET", "/health", "/health", 200, 150 + traffic.nextInt(300), t);
            else {
                String q;
                if (traffic.nextInt(100) < 15 && svc.searches > 64) { q = svc.recentQueries[traffic.nextInt(64)]; svc.repeats++; }
                else q = query(traffic, slugs, svc.barcodes);
                svc.recentQueries[(int) (svc.searches % 64)] = q;
                svc.search(q, byIndex, traffic, t);
                if (distinct.add(q.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " "))) svc.distinctQueries++;
            }
        }
        while (nextMail <= end) { svc.sendMail(nextMail); nextMail += 5 * MINUTE; }
    }

    static int[] countMeters(MeterRegistry reg) {
        int search = 0, http = 0, gauges = 0;
        java.util.HashSet<String> queries = new java.util.HashSet<>();
        for (Meter m : reg.meters.values()) {
            if (m.id.name().startsWith("results.search.")) { search++; queries.add(m.id.tags().get(0).value()); }
            else if (m instanceof Gauge) gauges++;
            else http++;
        }
        return new int[] {search, http, gauges, queries.size()};
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val124.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        ResultsService svc = SERVICE;
        int[] c = countMeters(svc.metrics);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " events " + EVENTS_BY_SLUG.size() + " runners " + svc.runners.size() + " requests " + svc.requests + " searches " + svc.searches + " (distinct " + svc.distinctQueries + ") repeats " + svc.repeats
                + " meters " + svc.metrics.meters.size() + " (search " + c[0] + " for " + c[3] + " distinct tag values, http " + c[1] + ", gauges " + c[2] + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted
                + ") mail " + svc.emailsQueued + "/" + svc.emailsSent + " backlog " + svc.mailQueue.size() + " pool " + svc.jsonBuffers.size());
        check(EVENTS_BY_SLUG.size() == EVENTS && svc.runners.size() == RUNNERS, "reference data / directory");
        check(svc.requests == (long) REQ_PER_HOUR * hours, "requests");
        int[] expectSearches = {0, 2_662, 5_233, 10_395}, expectQueries = {0, 2_084, 3_796, 6_793}, expectBacklog = {0, 12, 11, 13};
        check(svc.searches == expectSearches[stage] && svc.distinctQueries == expectQueries[stage], "searches " + svc.searches + " distinct " + svc.distinctQueries);
        if (FIXED) check(c[0] == 2 && c[3] == 1, "two search meters");
        else check(c[0] == 2 * expectQueries[stage] && c[3] == expectQueries[stage], "two search meters per distinct query");
        check(c[1] == 12 && c[2] == 4, "http meters " + c[1] + " gauges " + c[2]);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.jsonBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.emailsQueued == svc.emailsSent + svc.mailQueue.size() && svc.mailQueue.size() == expectBacklog[stage], "mail");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
