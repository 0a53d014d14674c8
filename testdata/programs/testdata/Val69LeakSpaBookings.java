// hprofscan-dump: name=val69-leak-spabookings jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val69-leak-spabookings-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 69 (written blind), LEAK: the booking API of a chain of day spas. Treatment
 * reference data, the guest directory, a cache of rendered availability pages at its cap, a pool of
 * receipt buffers, a ring of recent bookings, and an in-process metrics exporter whose series
 * registry maps a SeriesKey (name + tags) to a Series with a small ring of the last 8 samples. The
 * request-latency timer is tagged with the request's trace id, so every request creates a new
 * series that is never used again and never expires. See VALIDATION69.md.
 */
public final class Val69LeakSpaBookings {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TREATMENTS = 1_200, GUESTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 2_048, REQUESTS = 30_000, HOURS = 10, SAMPLES = 8;
    static boolean FIXED;

    record Treatment(String code, String name, double[] priceByWeek) {}
    record Guest(String guestId, String name, String homeSpa, byte[] preferences, long memberSince) {}
    record Page(String key, byte[] rendered, long at) {}
    record Booking(String guestId, String treatmentCode, long slotAt, long bookedAt) {}

    static final class SeriesKey {
        final String name, route, status, traceId;
        SeriesKey(String name, String route, String status, String traceId) { this.name = name; this.route = route; this.status = status; this.traceId = traceId; }
        @Override public boolean equals(Object o) { return o instanceof SeriesKey k && name.equals(k.name) && route.equals(k.route) && status.equals(k.status) && Objects.equals(traceId, k.traceId); }
        @Override public int hashCode() { return Objects.hash(name, route, status, traceId); }
    }

    /** One time series: the last SAMPLES samples in a ring, plus totals. */
    static final class Series {
        final SeriesKey key;
        final long[] sampleAt = new long[SAMPLES];
        final double[] sampleValue = new double[SAMPLES];
        int next; long count; double sum;
        String exemplarTraceId;
        Series(SeriesKey key) { this.key = key; }
        void record(long at, double v) { sampleAt[next] = at; sampleValue[next] = v; next = (next + 1) % SAMPLES; count++; sum += v; }
    }

    static final class MetricsExporter {
        final Map<SeriesKey, Series> registry = new HashMap<>();
        long recorded, scrapes;
        void timer(String name, String route, String status, String traceId, long at, double millis) {
            // BUG: the trace id is a tag, so each request is its own series
            SeriesKey key = new SeriesKey(name, route, status, FIXED ? null : traceId);
            Series s = registry.computeIfAbsent(key, Series::new);
            s.record(at, millis);
            if (FIXED) s.exemplarTraceId = traceId; // the fix: the trace id is only an exemplar
            recorded++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Treatment> TREATMENTS_BY_CODE = new HashMap<>();

    static final class BookingApi {
        final Map<String, Guest> guests = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        final MetricsExporter metrics = new MetricsExporter();
        long bookings;
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val69.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(69_030_001);
        String[] treatmentCodes = new String[TREATMENTS];
        for (int i = 0; i < TREATMENTS; i++) {
            double[] p = new double[64];
            for (int k = 0; k < p.length; k++) p[k] = 40 + rnd.nextDouble() * 160;
            treatmentCodes[i] = "TRT-" + (10_000 + i);
            TREATMENTS_BY_CODE.put(treatmentCodes[i], new Treatment(treatmentCodes[i], "Treatment " + i, p));
        }
        BookingApi svc = new BookingApi();
        SERVICE = svc;
        String[] guestIds = new String[GUESTS];
        for (int g = 0; g < GUESTS; g++) {
            guestIds[g] = "G" + (30_000_000 + g * 3);
            svc.guests.put(guestIds[g], new Guest(guestIds[g], "Guest " + g, "SPA-" + rnd.nextInt(40), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        String[] routes = {"GET /availability", "GET /treatments/{code}", "POST /bookings", "DELETE /bookings/{id}", "GET /guests/{id}", "PUT /guests/{id}/preferences",
                "GET /vouchers/{code}", "POST /vouchers", "GET /spas", "GET /spas/{id}/rooms", "POST /payments", "GET /bookings/{id}"};
        String[] statuses = {"200", "201", "204", "404", "409"};
        Random traffic = new Random(69_030_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            String traceId = String.format("%016x%016x", traffic.nextLong(), traffic.nextLong());
            String route = routes[traffic.nextInt(routes.length)];
            String status = statuses[traffic.nextInt(10) < 7 ? 0 : traffic.nextInt(statuses.length)];
            svc.metrics.timer("http.server.requests", route, status, traceId, t, 2 + traffic.nextDouble() * 300);
            if (route.equals("POST /bookings")) {
                svc.recent[(int) (svc.bookings++ % RING)] = new Booking(guestIds[traffic.nextInt(GUESTS)], treatmentCodes[traffic.nextInt(TREATMENTS)], t + (1 + traffic.nextInt(30)) * 24 * HOUR, t);
            }
            String key = "avail-" + traffic.nextInt(4_500);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
            if (i % 100 == 99) svc.metrics.scrapes++;
        }
        int series = svc.metrics.registry.size();
        System.out.println((FIXED ? "FIXED " : "") + "treatments " + TREATMENTS_BY_CODE.size() + " guests " + svc.guests.size() + " series " + series + " (recorded " + svc.metrics.recorded + ") bookings " + svc.bookings
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.receiptBuffers.size());
        check(TREATMENTS_BY_CODE.size() == TREATMENTS && svc.guests.size() == GUESTS, "reference data / directory");
        check(svc.metrics.recorded == REQUESTS, "metrics");
        if (FIXED) check(series <= routes.length * statuses.length, "bounded series: " + series);
        else check(series == REQUESTS, "one series per request: " + series);
        check(svc.bookings > RING && svc.recent[RING - 1] != null, "booking ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
