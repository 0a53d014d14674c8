// hprofscan-dump: name=val137-leak-canyoning jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val137-leak-canyoning-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 137 (written blind), LEAK: the booking API of a canyoning adventure operator.
 * Canyon reference data (river flow by half hour), the customer directory, a cache of rendered trip
 * pages at its cap, a pool of waiver-PDF buffers, a ring of the access log, a queue of waiver e-mails
 * with a normal backlog, and a hand-written metrics registry (RequestMetrics.histograms, a
 * HashMap<String, Histogram>, each histogram a long[] of latency buckets and a few counters). The
 * request filter names the histogram after the method and the full request URI, ids and query
 * string included, instead of the route template, so nearly every request creates a new histogram
 * that is never removed. See VALIDATION137.md.
 */
public final class Val137LeakCanyoning {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WAIVER_MAIL_AFTER = 15 * MINUTE;
    static final int CANYONS = 1_000, CUSTOMERS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 2_600, BUCKETS = 24;
    static boolean FIXED;

    record Canyon(String code, String name, String grade, double[] flowByHalfHour) {}
    record Customer(String customerId, String name, String country, byte[] medicalNotes, long registeredAt) {}
    record TripPage(String key, byte[] rendered, long at) {}
    record AccessLogEntry(String method, String uri, int status, long micros, long at) {}
    record WaiverMail(String bookingRef, String email, long due) {}

    /** A latency histogram: exponential buckets from 100 us. */
    static final class Histogram {
        final String name;
        final long[] buckets = new long[BUCKETS];
        long count, sumMicros, maxMicros, errors;
        Histogram(String name) { this.name = name; }
        void record(long micros, int status) {
            int b = 0;
            for (long edge = 100; edge < micros && b < BUCKETS - 1; edge <<= 1) b++;
            buckets[b]++; count++; sumMicros += micros; maxMicros = Math.max(maxMicros, micros);
            if (status >= 500) errors++;
        }
    }

    static final class RequestMetrics {
        final Map<String, Histogram> histograms = new HashMap<>();
        long recorded;
        void record(String method, String uri, String routeTemplate, long micros, int status) {
            String name = FIXED ? method + " " + routeTemplate : method + " " + uri; // BUG: the full URI, ids and query string included
            histograms.computeIfAbsent(name, Histogram::new).record(micros, status);
            recorded++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, TripPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TripPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Canyon> CANYONS_BY_CODE = new HashMap<>();
    static final String[] GRADES = {"v2a2II", "v3a3III", "v4a4IV", "v5a4IV", "v3a2II", "v4a3III", "v5a5V"};
    static final String[] LANGS = {"en", "de", "fr", "es", "it", "nl"};
    static final String[] SIZES = {"XS", "S", "M", "L", "XL", "XXL"};
    static final String[] FIXED_PATHS = {"/api/v1/canyons", "/health", "/api/v1/weather/alerts", "/api/v1/guides", "/api/v1/meeting-points"};

    static final class BookingApi {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerIds = new String[CUSTOMERS];
        final PageCache tripPages = new PageCache();
        final ArrayDeque<byte[]> waiverBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        final ArrayDeque<WaiverMail> waiverMails = new ArrayDeque<>();
        final RequestMetrics metrics = new RequestMetrics();
        long requests, bookings, mailsSent, errors;
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long todayEpochDay = (now - now % DAY) / DAY; // departure dates: whole days after the start of today (UTC)
        Random rnd = new Random(137_040_001);
        String[] codes = new String[CANYONS];
        for (int c = 0; c < CANYONS; c++) {
            double[] flow = new double[48];
            for (int k = 0; k < flow.length; k++) flow[k] = rnd.nextDouble() * 4;
            codes[c] = "CY-" + (1_000 + c);
            CANYONS_BY_CODE.put(codes[c], new Canyon(codes[c], "Barranco " + c, GRADES[rnd.nextInt(GRADES.length)], flow));
        }
        BookingApi api = new BookingApi();
        SERVICE = api;
        String[] countries = {"ES", "FR", "DE", "GB", "NL", "IT", "CH", "AT", "BE", "US"};
        for (int i = 0; i < CUSTOMERS; i++) {
            api.customerIds[i] = "CU" + (640_000 + i * 11);
            api.customers.put(api.customerIds[i], new Customer(api.customerIds[i], "Customer " + i, countries[rnd.nextInt(countries.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) api.waiverBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_040_002);
        int total = REQUESTS_PER_HOUR * HOURS;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (!api.waiverMails.isEmpty() && api.waiverMails.peekFirst().due() <= t) { api.waiverMails.pollFirst(); api.mailsSent++; }
            int kind = traffic.nextInt(100);
            String method = "GET", uri, route;
            String canyon = codes[traffic.nextInt(CANYONS)];
            if (kind < 35) {
                String date = LocalDate.ofEpochDay(todayEpochDay + 1 + traffic.nextInt(120)).toString();
                uri = "/api/v1/canyons/" + canyon + "/departures?date=" + date + "&party=" + (1 + traffic.nextInt(10)) + "&lang=" + LANGS[traffic.nextInt(LANGS.length)];
                route = "/api/v1/canyons/{code}/departures";
            } else if (kind < 55) {
                uri = "/api/v1/departures/DP-" + (88_000_000 + traffic.nextInt(900_000)) + "/availability?party=" + (1 + traffic.nextInt(10));
                route = "/api/v1/departures/{id}/availability";
            } else if (kind < 70) {
                method = "POST";
                String ref = "BK" + Long.toString(0x2b_0000_0000L + traffic.nextInt(1 << 30), 36).toUpperCase();
                uri = "/api/v1/bookings/" + ref + "/participants/" + (1 + traffic.nextInt(8)) + "?wetsuit=" + SIZES[traffic.nextInt(SIZES.length)] + "&shoe=" + (35 + traffic.nextInt(13));
                route = "/api/v1/bookings/{ref}/participants/{n}";
                api.bookings++;
                api.waiverMails.addLast(new WaiverMail(ref, api.customerIds[traffic.nextInt(CUSTOMERS)].toLowerCase() + "@mail.example", t + WAIVER_MAIL_AFTER));
            } else if (kind < 82) {
                uri = "/api/v1/bookings/BK" + Long.toString(0x2b_0000_0000L + traffic.nextInt(1 << 30), 36).toUpperCase() + "?token=" + Long.toHexString(traffic.nextLong());
                route = "/api/v1/bookings/{ref}";
            } else if (kind < 90) {
                method = "POST";
                uri = "/api/v1/waivers/WV-" + (5_000_000 + traffic.nextInt(4_000_000)) + "/sign?customer=" + api.customerIds[traffic.nextInt(CUSTOMERS)];
                route = "/api/v1/waivers/{id}/sign";
                byte[] buf = api.waiverBuffers.poll();
                buf[i % buf.length] = (byte) i;
                api.waiverBuffers.add(buf);
            } else {
                uri = FIXED_PATHS[traffic.nextInt(FIXED_PATHS.length)];
                route = uri;
            }
            long micros = 300 + (long) (traffic.nextDouble() * traffic.nextDouble() * 400_000);
            int status = traffic.nextInt(200) == 0 ? 503 : method.equals("POST") ? 201 : 200;
            if (status >= 500) api.errors++;
            api.metrics.record(method, uri, route, micros, status);
            api.accessLog[(int) (api.requests++ % RING)] = new AccessLogEntry(method, uri, status, micros, t);
            if (kind < 55) {
                String key = canyon + "/trip/" + LANGS[traffic.nextInt(LANGS.length)];
                if (api.tripPages.get(key) == null) api.tripPages.put(key, new TripPage(key, new byte[400 + traffic.nextInt(400)], t));
            }
        }
    }

    static void report() {
        BookingApi api = SERVICE;
        RequestMetrics m = api.metrics;
        int single = 0, fixedPaths = 0; long maxCount = 0;
        for (Histogram h : m.histograms.values()) {
            if (h.count == 1) single++;
            maxCount = Math.max(maxCount, h.count);
        }
        for (String p : FIXED_PATHS) if (m.histograms.containsKey("GET " + p)) fixedPaths++;
        System.out.println((FIXED ? "FIXED " : "") + "canyons " + CANYONS_BY_CODE.size() + " customers " + api.customers.size() + " requests " + api.requests + " recorded " + m.recorded
                + " histograms " + m.histograms.size() + " (count 1: " + single + ", fixed paths " + fixedPaths + ", busiest " + maxCount + ") bookings " + api.bookings + " mails " + api.mailsSent
                + " backlog " + api.waiverMails.size() + " errors " + api.errors + " pages " + api.tripPages.size() + " (evicted " + api.tripPages.evicted + ")");
        check(CANYONS_BY_CODE.size() == CANYONS && api.customers.size() == CUSTOMERS, "reference data / directory");
        check(api.requests == (long) REQUESTS_PER_HOUR * HOURS && m.recorded == api.requests, "requests");
        if (FIXED) check(m.histograms.size() == 10, "fixed: one histogram per route template");
        else check(fixedPaths == FIXED_PATHS.length && m.histograms.size() > 23_000 && single > 22_900, "one histogram per request URI: " + m.histograms.size());
        check(api.tripPages.size() == PAGE_CAP && api.tripPages.evicted > 0, "trip-page cache at cap");
        check(api.waiverBuffers.size() == POOL && api.accessLog[RING - 1] != null, "pool / ring");
        check(api.waiverMails.size() > 60 && api.waiverMails.size() < 140, "waiver mail backlog " + api.waiverMails.size());
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val137.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
