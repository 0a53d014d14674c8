// hprofscan-dump: name=val3-healthy-hotels jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 3 (written blind), HEALTHY, series of three dumps (warming, then plateau): a
 * hotel availability and pricing service.
 *
 * <p>Rate plans are loaded at startup (12,000, static). The hotel directory is loaded lazily from
 * the database and is bounded by the 8,000 hotels: 5,000 at the first dump, 8,000 at the second
 * and third. The availability cache is written like Caffeine (hash map + hand-made access-order
 * list + {@code maximumSize}): 3,000 at the first dump, at its maximum of 6,000 after that. The
 * price-tick ring buffer (16,384 slots) has 10,000 ticks at the first dump and is full after.
 * The rate-plan LRU ({@code removeEldestEntry}) is at its capacity of 2,000 in every dump. A fixed
 * pool of 4 search workers keeps a scratch object per thread (ThreadLocal). Booking events are
 * batched and flushed every 500. Nothing here is a leak.
 * See testdata/VALIDATION3.md.
 */
public final class Val3HealthyHotels {
    static final int RATE_PLANS = 12_000;
    static final int HOTELS = 8_000;
    static final int AVAIL_MAX = 6_000;
    static final int PLAN_LRU = 2_000;
    static final int RING = 16_384;
    static final int WORKERS = 4;
    static final int BATCH = 500;
    static final int[] HOTELS_AT_DUMP = {5_000, 8_000, 8_000};
    static final int[] AVAIL_AT_DUMP = {3_000, 6_000, 6_000};
    static final int[] SEARCHES_IN_SEGMENT = {10_000, 12_000, 12_000};
    static final long SIM_MILLIS = 6L * 3600_000L;

    static AvailabilityService RUNNING;

    static final class RatePlan {
        final String code; final String hotelCode; final String board; final BigDecimal baseRate; final boolean refundable; final long loadedAt;
        RatePlan(String code, String hotelCode, String board, BigDecimal baseRate, boolean refundable, long loadedAt) { this.code = code; this.hotelCode = hotelCode; this.board = board; this.baseRate = baseRate; this.refundable = refundable; this.loadedAt = loadedAt; }
    }

    static final class RatePlans {
        static final Map<String, RatePlan> BY_CODE = new HashMap<>();
        static void load(long now) {
            String[] boards = {"RO", "BB", "HB", "FB", "AI"};
            for (int i = 0; i < RATE_PLANS; i++) {
                String code = "RP" + (400_000 + i);
                BY_CODE.put(code, new RatePlan(code, "H" + (100_000 + i % HOTELS), boards[i % 5], BigDecimal.valueOf(5_900 + i % 30_000, 2), i % 4 != 0, now));
            }
        }
    }

    static final class Hotel {
        final long id; final String name; final String city; final int stars; final List<String> amenities; final long loadedAt;
        Hotel(long id, String name, String city, int stars, List<String> amenities, long loadedAt) { this.id = id; this.name = name; this.city = city; this.stars = stars; this.amenities = amenities; this.loadedAt = loadedAt; }
    }

    static final class HotelDirectory {
        final Map<Long, Hotel> byId = new ConcurrentHashMap<>();
        Hotel get(long id, long now) {
            return byId.computeIfAbsent(id, k -> new Hotel(k, "Hotel " + k, "City " + (k % 700), 1 + (int) (k % 5), List.of("wifi", k % 2 == 0 ? "pool" : "gym"), now));
        }
    }

    static final class Availability {
        final long hotelId; final int nights; final short[] roomsLeft; final long checkedAtNanos;
        Availability(long hotelId, int nights, short[] roomsLeft, long checkedAtNanos) { this.hotelId = hotelId; this.nights = nights; this.roomsLeft = roomsLeft; this.checkedAtNanos = checkedAtNanos; }
    }

    /** Caffeine-like bounded cache: map + access-order doubly linked list, evicts the LRU node. */
    static final class AvailabilityCache {
        static final class Node {
            final String key; Availability value; Node prev, next; long accessNanos;
            Node(String key, Availability value) { this.key = key; this.value = value; }
        }
        final ConcurrentHashMap<String, Node> data = new ConcurrentHashMap<>();
        final long maximumSize; Node first, last; long hits, misses, evictions;
        AvailabilityCache(long maximumSize) { this.maximumSize = maximumSize; }
        Availability get(String key, java.util.function.Function<String, Availability> loader) {
            Node n = data.get(key);
            if (n != null) { hits++; moveToEnd(n); n.accessNanos = System.nanoTime(); return n.value; }
            misses++;
            n = new Node(key, loader.apply(key));
            n.accessNanos = System.nanoTime();
            data.put(key, n);
            append(n);
            while (data.size() > maximumSize) { Node v = first; remove(v); data.remove(v.key); evictions++; }
            return n.value;
        }
        void append(Node n) { n.prev = last; n.next = null; if (last != null) last.next = n; else first = n; last = n; }
        void remove(Node n) {
            if (n.prev != null) n.prev.next = n.next; else first = n.next;
            if (n.next != null) n.next.prev = n.prev; else last = n.prev;
            n.prev = n.next = null;
        }
        void moveToEnd(Node n) { remove(n); append(n); }
    }

    static final class PlanLru extends LinkedHashMap<String, RatePlan> {
        final int capacity;
        PlanLru(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RatePlan> e) { return size() > capacity; }
    }

    static final class PriceTick {
        final String ratePlan; final BigDecimal price; final long at;
        PriceTick(String ratePlan, BigDecimal price, long at) { this.ratePlan = ratePlan; this.price = price; this.at = at; }
    }

    static final class PriceTickRing {
        final PriceTick[] slots = new PriceTick[RING];
        long next;
        void add(PriceTick t) { slots[(int) (next++ % RING)] = t; }
        int filled() { int n = 0; for (PriceTick t : slots) if (t != null) n++; return n; }
    }

    static final class SearchScratch {
        final int[] candidateIds = new int[2_048]; final StringBuilder keyBuilder = new StringBuilder(256);
    }

    static final class BookingEvent {
        final String bookingRef; final long hotelId; final long at;
        BookingEvent(String bookingRef, long hotelId, long at) { this.bookingRef = bookingRef; this.hotelId = hotelId; this.at = at; }
    }

    static final class BookingBatcher {
        final List<BookingEvent> current = new ArrayList<>(BATCH);
        long flushedBatches, flushedEvents;
        void add(BookingEvent e) {
            current.add(e);
            if (current.size() == BATCH) { flushedBatches++; flushedEvents += current.size(); current.clear(); }
        }
    }

    static final class AvailabilityService {
        final HotelDirectory hotels = new HotelDirectory();
        final AvailabilityCache availability = new AvailabilityCache(AVAIL_MAX);
        final PlanLru planLru = new PlanLru(PLAN_LRU);
        final PriceTickRing ticks = new PriceTickRing();
        final BookingBatcher bookings = new BookingBatcher();
        final ExecutorService searchWorkers;
        static final ThreadLocal<SearchScratch> SCRATCH = ThreadLocal.withInitial(SearchScratch::new);
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        long bookingSeq;

        AvailabilityService() {
            AtomicInteger n = new AtomicInteger();
            searchWorkers = Executors.newFixedThreadPool(WORKERS, r -> {
                Thread t = new Thread(r, "search-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void search(long hotelId, int dayOffset, boolean checkAvailability, Random rnd, long now) {
            Hotel h = hotels.get(hotelId, now);
            if (checkAvailability) {
                String key = h.id + ":" + dayOffset;
                availability.get(key, k -> new Availability(h.id, 1 + dayOffset % 7, new short[14], System.nanoTime()));
            }
            RatePlan p = RatePlans.BY_CODE.get("RP" + (400_000 + rnd.nextInt(RATE_PLANS)));
            planLru.put(p.code, p);
            ticks.add(new PriceTick(p.code, p.baseRate, now));
            if (rnd.nextInt(20) == 0) bookings.add(new BookingEvent("BK" + (bookingSeq++ + 77_000_000L), h.id, now));
            count("search");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /**
     * Segment d's searches: the first segment touches hotels 0..4,999 and checks availability for
     * hotels 0..2,999 (3,000 keys); the later ones touch all 8,000 hotels and 3 days each (more keys
     * than the cache holds).
     */
    static void segment(AvailabilityService svc, int d, Random rnd, long from, long to) throws Exception {
        int hotelsSoFar = HOTELS_AT_DUMP[d];
        int n = SEARCHES_IN_SEGMENT[d];
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = from + (to - from) * i / n;
            long h = d == 0 ? i % hotelsSoFar : (i * 7L) % hotelsSoFar;
            int dayOffset = (d == 0) ? 0 : (i % 3);
            boolean checkAvailability = d > 0 || h < AVAIL_AT_DUMP[0];
            long seed = rnd.nextLong();
            svc.search(100_000L + h, dayOffset, checkAvailability, new Random(seed), t);
            if (i % 1000 == 0) fs.add(svc.searchWorkers.submit(() -> { AvailabilityService.SCRATCH.get().keyBuilder.setLength(0); }));
        }
        for (Future<?> f : fs) f.get();
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        AvailabilityService svc = new AvailabilityService();
        RUNNING = svc;
        RatePlans.load(start);
        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        Future<?>[] warm = new Future<?>[WORKERS];
        for (int i = 0; i < WORKERS; i++) warm[i] = svc.searchWorkers.submit(() -> { AvailabilityService.SCRATCH.get(); barrier.await(); return null; });
        for (Future<?> f : warm) f.get();
        Random rnd = new Random(99_991);
        long from = start;
        for (int d = 0; d < count; d++) {
            segment(svc, d, rnd, from, System.currentTimeMillis());
            check(svc.hotels.byId.size() == HOTELS_AT_DUMP[d], "hotels " + svc.hotels.byId.size());
            check(svc.availability.data.size() == AVAIL_AT_DUMP[d], "availability " + svc.availability.data.size());
            check(svc.planLru.size() == PLAN_LRU, "plan lru " + svc.planLru.size());
            check(svc.ticks.filled() == (d == 0 ? 10_000 : RING), "ticks " + svc.ticks.filled());
            check(RatePlans.BY_CODE.size() == RATE_PLANS, "rate plans");
            System.out.println("dump " + (d + 1) + ": pending bookings " + svc.bookings.current.size() + ", flushed " + svc.bookings.flushedEvents);
            String path = LeakCheck.seriesPath(args[1], d + 1, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d + 1 < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
