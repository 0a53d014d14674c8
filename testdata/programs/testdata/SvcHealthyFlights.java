// hprofscan-dump: name=svc-healthy-flights jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-flights-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Healthy flight search service. Big static reference data (airports in a TreeMap, routes in an
 * ArrayList), an access-ordered LRU fare cache at capacity, a bounded search queue partially full,
 * a scheduled executor with 3 housekeeping jobs, and a metrics registry. No leak.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyFlights {
    static final int AIRPORTS = 3_000;
    static final int ROUTES = 40_000;
    static final int FARE_CAPACITY = 5_000;
    static final int SEARCHES = 60_000;
    static final int QUEUE_CAPACITY = 1_024;
    static final int QUEUED = 300;
    static final long SIM_HOURS = 18;

    enum CabinClass { ECONOMY, PREMIUM, BUSINESS, FIRST }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Airport {
        final String iata;
        final String name;
        final String city;
        final double latitude;
        final double longitude;
        final String timeZone;
        final long loadedAt;

        Airport(String iata, int i, long loadedAt) {
            this.iata = iata;
            this.name = "Airport " + (10000 + i);
            this.city = "City " + (10000 + i);
            this.latitude = -60 + (i % 1200) * 0.1;
            this.longitude = -180 + (i % 3600) * 0.1;
            this.timeZone = "UTC+" + (i % 12);
            this.loadedAt = loadedAt;
        }
    }

    static final class Route {
        final Airport origin;
        final Airport destination;
        final String carrier;
        final int distanceKm;
        final int[] weeklyDepartures;
        final long loadedAt;

        Route(Airport origin, Airport destination, String carrier, int distanceKm, long loadedAt) {
            this.origin = origin;
            this.destination = destination;
            this.carrier = carrier;
            this.distanceKm = distanceKm;
            this.weeklyDepartures = new int[7];
            this.loadedAt = loadedAt;
        }
    }

    /** Static reference data, loaded once when the service starts. */
    static final class AirportCatalog {
        static final TreeMap<String, Airport> AIRPORTS_BY_IATA = new TreeMap<>();
        static final List<Route> ROUTES = new ArrayList<>();
        static final String[] CARRIERS = {"LH", "AF", "BA", "KL", "IB", "AZ", "LX", "OS", "SK", "TP"};

        static void load(long loadedAt) {
            List<Airport> list = new ArrayList<>(AIRPORTS);
            for (int i = 0; i < AIRPORTS; i++) {
                String code = "" + (char) ('A' + i / 676) + (char) ('A' + i / 26 % 26) + (char) ('A' + i % 26);
                Airport a = new Airport(code, i, loadedAt);
                AIRPORTS_BY_IATA.put(code, a);
                list.add(a);
            }
            for (int r = 0; r < SvcHealthyFlights.ROUTES; r++) {
                Airport o = list.get(r % AIRPORTS);
                Airport d = list.get((r * 13 + 1 + r / AIRPORTS) % AIRPORTS);
                ROUTES.add(new Route(o, d, CARRIERS[r % CARRIERS.length], 200 + (r * 17) % 9000, loadedAt));
            }
        }
    }

    static final class FareQuote {
        final Route route;
        final CabinClass cabin;
        final BigDecimal amount;
        final String currency;
        final long quotedAt;
        final long expiresAt;

        FareQuote(Route route, CabinClass cabin, BigDecimal amount, long quotedAt) {
            this.route = route;
            this.cabin = cabin;
            this.amount = amount;
            this.currency = "EUR";
            this.quotedAt = quotedAt;
            this.expiresAt = quotedAt + 15 * 60_000;
        }
    }

    /** LRU of recently priced itineraries, capped at {@code capacity}. */
    static final class FareCache extends LinkedHashMap<String, FareQuote> {
        final int capacity;

        FareCache(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FareQuote> eldest) {
            return size() > capacity;
        }
    }

    static final class SearchRequest {
        final String requestId;
        final String origin;
        final String destination;
        final CabinClass cabin;
        final int passengers;
        final long receivedAt;

        SearchRequest(long n, String origin, String destination, long receivedAt) {
            this.requestId = "srch-" + (10_000_000 + n);
            this.origin = origin;
            this.destination = destination;
            this.cabin = CabinClass.values()[(int) (n % 4)];
            this.passengers = 1 + (int) (n % 4);
            this.receivedAt = receivedAt;
        }
    }

    static final class Counter {
        final String name;
        final AtomicLong value = new AtomicLong();

        Counter(String name) {
            this.name = name;
        }
    }

    static final class MetricsRegistry {
        final Map<String, Counter> counters = new ConcurrentHashMap<>();

        Counter counter(String name) {
            return counters.computeIfAbsent(name, Counter::new);
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Housekeeping: 3 periodic jobs that only touch service-level components. */
    static final class Housekeeping {
        final ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(2, new NamedThreadFactory("flights-housekeeping-"));

        void start(SearchService s) {
            scheduler.scheduleAtFixedRate(() -> s.metrics.counter("fares.cached").value.set(s.fares.size()), 10, 10, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(() -> s.metrics.counter("queue.depth").value.set(s.pending.size()), 10, 10, TimeUnit.MINUTES);
            scheduler.scheduleWithFixedDelay(s::heartbeat, 30, 30, TimeUnit.MINUTES);
        }
    }

    static final class SearchService {
        final SimClock clock;
        final FareCache fares = new FareCache(FARE_CAPACITY);
        final ArrayBlockingQueue<SearchRequest> pending = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final MetricsRegistry metrics = new MetricsRegistry();
        final Housekeeping housekeeping = new Housekeeping();
        long heartbeats;

        SearchService(SimClock clock) {
            this.clock = clock;
        }

        void heartbeat() {
            heartbeats++;
        }

        void search(long n) {
            long now = clock.getAsLong();
            Route r = AirportCatalog.ROUTES.get((int) ((n * 7_919) % ROUTES));
            SearchRequest req = new SearchRequest(n, r.origin.iata, r.destination.iata, now);
            String key = r.origin.iata + "-" + r.destination.iata + "-" + req.cabin + "-" + (n / 4);
            FareQuote q = fares.get(key);
            if (q == null) {
                q = new FareQuote(r, req.cabin, BigDecimal.valueOf(4_900 + (n * 31) % 90_000, 2), now);
                fares.put(key, q);
                metrics.counter("fares.miss").value.incrementAndGet();
            } else {
                metrics.counter("fares.hit").value.incrementAndGet();
            }
            metrics.counter("search.total").value.incrementAndGet();
            metrics.counter("search." + req.cabin.name().toLowerCase()).value.incrementAndGet();
            // Async availability checks: the queue is drained by a consumer; the last QUEUED are still pending.
            if (n >= SEARCHES - QUEUED) {
                pending.add(req);
            }
        }
    }

    static SearchService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        AirportCatalog.load(start);
        SimClock clock = new SimClock(start);
        SearchService s = new SearchService(clock);
        s.housekeeping.start(s);
        for (long n = 0; n < SEARCHES; n++) {
            clock.now = start + (end - start) * (n + 1) / SEARCHES;
            s.search(n);
        }
        clock.now = System.currentTimeMillis();
        if (s.fares.size() != FARE_CAPACITY || s.pending.size() != QUEUED
                || AirportCatalog.AIRPORTS_BY_IATA.size() != AIRPORTS || AirportCatalog.ROUTES.size() != ROUTES) {
            throw new IllegalStateException("unexpected sizes " + s.fares.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
