// hprofscan-dump: name=val8-leak-hotelbooking-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val8-leak-hotelbooking-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val8-leak-hotelbooking jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val8-leak-hotelbooking-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 8 (written blind), LEAK, a series: a hotel booking engine. Stage 1 is the dump
 * after 3 simulated hours, stage 2 after 6, stage 3 after 12. The leak: every corporate group
 * search creates its own single-thread executor to fetch the group rates from the channel manager
 * and never shuts it down; the idle pool thread keeps the executor, and the executor's thread
 * factory (a lambda naming the thread after the search) keeps the whole {@code GroupSearch} with
 * its quotes and the raw channel response (150, 300, 600 of them). Beside it: the property
 * directory loaded at startup, a hand-written LRU of nightly rates at capacity, the store of
 * upcoming reservations, a pool of channel-manager clients, the shared search pool and the config.
 * See testdata/VALIDATION8.md.
 */
public final class Val8LeakHotelBooking {
    static final int HOTELS = 20_000;
    static final int RATE_CAP = 12_000;
    static final int RESERVATIONS = 30_000;
    static final int CHANNEL_CLIENTS = 6;
    static final int SEARCH_WORKERS = 4;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static BookingEngine RUNNING;
    /** Only with -Dval8.share=true (never in a dump): the leaked executors, to measure what they retain. */
    static final boolean MEASURE_SHARE = Boolean.getBoolean("val8.share");
    static final List<ExecutorService> MEASURED = new ArrayList<>();

    static final class RoomType {
        final String code; final String name; final int maxOccupancy; final String[] amenities;
        RoomType(String code, String name, int maxOccupancy, String[] amenities) { this.code = code; this.name = name; this.maxOccupancy = maxOccupancy; this.amenities = amenities; }
    }

    static final class Hotel {
        final long hotelId; final String name; final String city; final String countryCode; final int stars; final RoomType[] roomTypes; final double lat; final double lon; final long updatedAt;
        Hotel(long hotelId, String name, String city, String countryCode, int stars, RoomType[] roomTypes, double lat, double lon, long updatedAt) {
            this.hotelId = hotelId; this.name = name; this.city = city; this.countryCode = countryCode; this.stars = stars; this.roomTypes = roomTypes; this.lat = lat; this.lon = lon; this.updatedAt = updatedAt;
        }
    }

    /** Reference data: the contracted properties, loaded once at startup. */
    static final class PropertyDirectory {
        static final Map<Long, Hotel> HOTELS_BY_ID = new HashMap<>(HOTELS * 2);
    }

    static final class RateSnapshot {
        final long hotelId; final String roomType; final long[] nightlyRatesCents; final String currency; final long fetchedAt;
        RateSnapshot(long hotelId, String roomType, long[] nightlyRatesCents, String currency, long fetchedAt) { this.hotelId = hotelId; this.roomType = roomType; this.nightlyRatesCents = nightlyRatesCents; this.currency = currency; this.fetchedAt = fetchedAt; }
    }

    /** Nightly rates per hotel, room type and arrival day; least recently used evicted beyond maxEntries. */
    static final class RateCache {
        final int maxEntries = RATE_CAP;
        final LinkedHashMap<String, RateSnapshot> entries = new LinkedHashMap<>(RATE_CAP * 2, 0.75f, true);
        long evictions;
        synchronized RateSnapshot get(String key) { return entries.get(key); }
        synchronized void put(String key, RateSnapshot s) {
            entries.put(key, s);
            if (entries.size() > maxEntries) { Iterator<String> it = entries.keySet().iterator(); it.next(); it.remove(); evictions++; }
        }
    }

    static final class Reservation {
        final String confirmation; final long hotelId; final String roomType; final String guestName; final String guestEmail; final long checkInAt; final long checkOutAt; final long totalCents; final long createdAt;
        Reservation(String confirmation, long hotelId, String roomType, String guestName, String guestEmail, long checkInAt, long checkOutAt, long totalCents, long createdAt) {
            this.confirmation = confirmation; this.hotelId = hotelId; this.roomType = roomType; this.guestName = guestName; this.guestEmail = guestEmail; this.checkInAt = checkInAt; this.checkOutAt = checkOutAt; this.totalCents = totalCents; this.createdAt = createdAt;
        }
    }

    /** Upcoming stays (loaded from the database at startup, then kept in step); departed stays are archived. */
    static final class ReservationStore {
        final Map<String, Reservation> byConfirmation = new HashMap<>(RESERVATIONS * 2);
        final ArrayDeque<String> byArrival = new ArrayDeque<>();
        void add(Reservation r) { byConfirmation.put(r.confirmation, r); byArrival.addLast(r.confirmation); }
        void archiveEarliest() { byConfirmation.remove(byArrival.pollFirst()); }
    }

    static final class ChannelClient { final String endpoint; final byte[] responseBuffer = new byte[32 * 1024]; long calls; ChannelClient(String endpoint) { this.endpoint = endpoint; } }

    /** HTTP clients to the channel manager, borrowed and returned around each call. */
    static final class ChannelClientPool {
        final ArrayBlockingQueue<ChannelClient> idle = new ArrayBlockingQueue<>(CHANNEL_CLIENTS);
        ChannelClient borrow() { return idle.poll(); }
        void release(ChannelClient c) { idle.offer(c); }
    }

    static final class RateQuote {
        final long hotelId; final String roomType; final long[] nightlyCents; final boolean refundable;
        RateQuote(long hotelId, String roomType, long[] nightlyCents, boolean refundable) { this.hotelId = hotelId; this.roomType = roomType; this.nightlyCents = nightlyCents; this.refundable = refundable; }
    }

    static final class GroupSearch {
        final String searchId; final String corporateAccount; final long[] hotelIds; final long checkInAt; final int nights; final int rooms; final long createdAt;
        final List<RateQuote> quotes = new ArrayList<>(); byte[] rawChannelResponse;
        GroupSearch(String searchId, String corporateAccount, long[] hotelIds, long checkInAt, int nights, int rooms, long createdAt) {
            this.searchId = searchId; this.corporateAccount = corporateAccount; this.hotelIds = hotelIds; this.checkInAt = checkInAt; this.nights = nights; this.rooms = rooms; this.createdAt = createdAt;
        }
    }

    static final class GroupRateService {
        final BookingEngine engine;
        long searches;
        GroupRateService(BookingEngine engine) { this.engine = engine; }

        /** THE LEAK: a new executor per group search, never shut down. */
        GroupSearch search(GroupSearch search, Random rnd) throws Exception {
            ExecutorService fetcher = Executors.newFixedThreadPool(1, r -> new Thread(r, "group-rates-" + search.searchId));
            fetcher.submit(() -> fetch(search, rnd)).get();
            if (MEASURE_SHARE) MEASURED.add(fetcher);
            searches++;
            return search;
        }

        void fetch(GroupSearch s, Random rnd) {
            ChannelClient c = engine.channels.borrow();
            try {
                c.calls++;
                s.rawChannelResponse = new byte[12 * 1024];
                for (long hotelId : s.hotelIds) {
                    Hotel h = PropertyDirectory.HOTELS_BY_ID.get(hotelId);
                    for (int r = 0; r < 2; r++) {
                        long[] nightly = new long[s.nights];
                        for (int n = 0; n < nightly.length; n++) nightly[n] = 9_000 + rnd.nextInt(30_000);
                        s.quotes.add(new RateQuote(hotelId, h.roomTypes[r].code, nightly, rnd.nextBoolean()));
                    }
                }
            } finally {
                engine.channels.release(c);
            }
        }
    }

    static final class BookingEngine {
        final RateCache rates = new RateCache();
        final ReservationStore reservations = new ReservationStore();
        final ChannelClientPool channels = new ChannelClientPool();
        final ExecutorService searchPool = Executors.newFixedThreadPool(SEARCH_WORKERS, new java.util.concurrent.ThreadFactory() {
            final AtomicInteger n = new AtomicInteger();
            @Override public Thread newThread(Runnable r) { Thread t = new Thread(r, "search-worker-" + n.incrementAndGet()); t.setDaemon(true); return t; }
        });
        final GroupRateService groups = new GroupRateService(this);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static long liveBytes() throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.trim().startsWith("Total")) { String[] t = line.trim().split("\\s+"); total = Long.parseLong(t[2]); }
        }
        p.waitFor();
        return total;
    }

    static Reservation booking(Random rnd, long[] hotelIds, int seq, long createdAt) {
        Hotel h = PropertyDirectory.HOTELS_BY_ID.get(hotelIds[rnd.nextInt(HOTELS)]);
        long checkIn = createdAt + DAY * (1 + rnd.nextInt(300));
        int nights = 1 + rnd.nextInt(6);
        return new Reservation(String.format("HB%08d", 10_000_000 + seq), h.hotelId, h.roomTypes[rnd.nextInt(h.roomTypes.length)].code, "Guest " + seq, "guest" + seq + "@mail.example",
                checkIn, checkIn + nights * DAY, nights * (9_000L + rnd.nextInt(30_000)), createdAt);
    }

    public static void main(String[] args) throws Exception {
        // The leaked pool threads are not daemons: a failed check must still end the JVM.
        try { run(args); } catch (Throwable t) { t.printStackTrace(); System.exit(1); }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 3 : stage == 2 ? 6 : 12;
        int groupSearches = stage == 1 ? 150 : stage == 2 ? 300 : 600;
        int searches = (int) (4_000 * hours);
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(8_030_001);
        BookingEngine eng = new BookingEngine();
        RUNNING = eng;
        for (int i = 0; i < 70; i++) eng.config.setProperty("booking.channel." + i + ".timeoutMillis", Integer.toString(2_000 + 100 * (i % 20)));
        String[] cities = {"Lisbon", "Porto", "Madrid", "Seville", "Valencia", "Rome", "Milan", "Vienna", "Prague", "Krakow", "Berlin", "Hamburg"};
        String[] countries = {"PT", "PT", "ES", "ES", "ES", "IT", "IT", "AT", "CZ", "PL", "DE", "DE"};
        String[] amenities = {"wifi", "minibar", "balcony", "sea-view", "bathtub", "espresso", "safe", "desk", "sofa-bed", "crib"};
        long[] hotelIds = new long[HOTELS];
        for (int i = 0; i < HOTELS; i++) {
            hotelIds[i] = 300_000L + i * 11;
            RoomType[] rts = new RoomType[2 + i % 4];
            for (int r = 0; r < rts.length; r++) {
                String[] am = new String[2 + (i + r) % 6];
                for (int a = 0; a < am.length; a++) am[a] = amenities[(i + r + a) % amenities.length];
                rts[r] = new RoomType("RT" + r, r == 0 ? "Standard double" : r == 1 ? "Superior twin" : "Suite " + r, 2 + r % 3, am);
            }
            PropertyDirectory.HOTELS_BY_ID.put(hotelIds[i], new Hotel(hotelIds[i], "Hotel " + cities[i % cities.length] + " " + i, cities[i % cities.length], countries[i % cities.length],
                    2 + i % 4, rts, 35 + rnd.nextDouble() * 20, -9 + rnd.nextDouble() * 30, start - DAY * (i % 500)));
        }
        ((java.util.concurrent.ThreadPoolExecutor) eng.searchPool).prestartAllCoreThreads();
        for (int c = 0; c < CHANNEL_CLIENTS; c++) eng.channels.release(new ChannelClient("https://channel-manager.example/api/v3/node" + c));
        int seq = 0;
        for (int i = 0; i < RESERVATIONS; i++) eng.reservations.add(booking(rnd, hotelIds, seq++, start - DAY * (1 + rnd.nextInt(300))));
        int groupDone = 0;
        for (int i = 0; i < searches; i++) {
            long t = start + hours * HOUR * i / searches;
            for (int k = 0; k < 3; k++) {
                long hotelId = hotelIds[rnd.nextInt(HOTELS)];
                String key = hotelId + ":RT" + rnd.nextInt(2) + ":" + ((t / DAY) + 1 + rnd.nextInt(60));
                if (eng.rates.get(key) == null) {
                    long[] nightly = new long[14];
                    for (int n = 0; n < nightly.length; n++) nightly[n] = 9_000 + rnd.nextInt(30_000);
                    eng.rates.put(key, new RateSnapshot(hotelId, "RT" + (key.charAt(key.indexOf(":RT") + 3) - '0'), nightly, "EUR", t));
                }
            }
            if (rnd.nextInt(10) == 0) { eng.reservations.add(booking(rnd, hotelIds, seq++, t)); eng.reservations.archiveEarliest(); }
            if ((long) (i + 1) * groupSearches / searches > groupDone) {
                long[] ids = new long[40];
                for (int h = 0; h < ids.length; h++) ids[h] = hotelIds[rnd.nextInt(HOTELS)];
                GroupSearch gs = new GroupSearch("GS-" + Long.toHexString(rnd.nextLong()), "CORP-" + rnd.nextInt(800), ids, t + DAY * (14 + rnd.nextInt(120)), 2 + rnd.nextInt(4), 10 + rnd.nextInt(40), t);
                eng.groups.search(gs, rnd);
                groupDone++;
            }
        }
        int groupThreads = 0, searchThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) { if (th.getName().startsWith("group-rates-")) groupThreads++; if (th.getName().startsWith("search-worker-")) searchThreads++; }
        System.out.println("stage " + stage + " hotels " + PropertyDirectory.HOTELS_BY_ID.size() + " rates " + eng.rates.entries.size() + " (evicted " + eng.rates.evictions + ") reservations "
                + eng.reservations.byConfirmation.size() + " channel clients " + eng.channels.idle.size() + " group searches " + eng.groups.searches + " group-rates threads " + groupThreads + " search-worker threads " + searchThreads);
        check(PropertyDirectory.HOTELS_BY_ID.size() == HOTELS, "hotels");
        check(eng.rates.entries.size() == RATE_CAP && eng.rates.evictions > 0, "rates");
        check(eng.reservations.byConfirmation.size() == RESERVATIONS, "reservations");
        check(eng.channels.idle.size() == CHANNEL_CLIENTS, "channel clients");
        check(searchThreads == SEARCH_WORKERS, "search workers");
        check(eng.groups.searches == groupSearches && groupThreads == groupSearches, "group searches");
        System.gc();
        if (MEASURE_SHARE) {
            long before = liveBytes();
            for (ExecutorService e : MEASURED) { e.shutdown(); e.awaitTermination(10, TimeUnit.SECONDS); }
            MEASURED.clear();
            System.gc();
            long after = liveBytes();
            System.out.printf("share: live %d, leak %d (%.1f%%)%n", before, before - after, 100.0 * (before - after) / before);
            System.exit(0);
        }
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
