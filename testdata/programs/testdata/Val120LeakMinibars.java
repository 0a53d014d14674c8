// hprofscan-dump: name=val120-leak-minibars jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val120-leak-minibars-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 120 (written blind), LEAK: the minibar billing service of a hotel group. Fridge
 * sensors report every item taken; the charge is priced and posted to the hotel's property
 * management system. Hotel reference data, the room directory, the minibar price lists, an LRU of
 * rendered folios at its cap, a pool of receipt buffers, a ring of recent consumption events, and
 * four worker threads (one per shard of hotels, so a folio's postings stay in order) each with a
 * PMS outbox with a normal backlog. Logging uses an MDC-style context, a static
 * ThreadLocal&lt;Map&lt;String, String&gt;&gt;: every request puts the common keys plus a timing key
 * named after its request id, and at the end clears only the common keys, so every worker's map
 * keeps one entry per request it ever handled. See VALIDATION120.md.
 */
public final class Val120LeakMinibars {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int HOTELS = 600, ROOMS = 20_000, SKUS = 40, FOLIO_CAP = 2_000, POOL = 8, RING = 8_192, SHARDS = 4, HOURS = 10, PER_MINUTE = 60;
    static boolean FIXED;

    record Hotel(String code, String name, String city, double[] occupancyForecast) {}
    record Room(String key, String hotelCode, String number, String fridgeSerial, byte[] fridgeConfig, long fittedAt) {}
    record PriceList(String hotelCode, String[] skus, int[] cents) {}
    record RenderedFolio(String key, byte[] html, long at) {}
    record Consumption(String requestId, String roomKey, String sku, long at) {}
    record Posting(String requestId, String folio, String hotelCode, String sku, int cents, long at) {}

    /** MDC-style logging context of the current thread. */
    static final class LogContext {
        static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(HashMap::new);
        static final String[] COMMON = {"hotel", "room", "folio", "channel", "sensor"};
        static void put(String key, String value) { CONTEXT.get().put(key, value); }
        static void clearCommon() { Map<String, String> m = CONTEXT.get(); for (String k : COMMON) m.remove(k); }
        static void clear() { CONTEXT.get().clear(); }
        static int size() { return CONTEXT.get().size(); }
    }

    /** One worker thread and the postings it has not yet sent to the hotels' PMS. */
    static final class Shard {
        final int index; final ThreadPoolExecutor executor; final ArrayDeque<Posting> pmsOutbox = new ArrayDeque<>();
        long handled, posted, sent, contextEntries;
        Shard(int index) {
            this.index = index;
            this.executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread th = new Thread(r, "minibar-worker-" + index); th.setDaemon(true); return th; });
        }

        /** Runs on this shard's worker thread. */
        void handle(MinibarService svc, Consumption c, Room room, long t) {
            LogContext.put("hotel", room.hotelCode());
            LogContext.put("room", room.number());
            LogContext.put("folio", "F" + room.hotelCode() + "-" + room.number());
            LogContext.put("channel", "fridge-sensor");
            LogContext.put("sensor", room.fridgeSerial());
            LogContext.put("timing." + c.requestId(), "start=" + t + " sku=" + c.sku() + " worker=" + index);
            try {
                PriceList prices = svc.priceLists.get(room.hotelCode());
                int cents = 0;
                for (int k = 0; k < prices.skus().length; k++) if (prices.skus()[k].equals(c.sku())) cents = prices.cents()[k];
                pmsOutbox.addLast(new Posting(c.requestId(), "F" + room.hotelCode() + "-" + room.number(), room.hotelCode(), c.sku(), cents, t));
                posted++;
                while (!pmsOutbox.isEmpty() && pmsOutbox.peekFirst().at() <= t - 5 * MINUTE) { pmsOutbox.pollFirst(); sent++; }
                handled++;
            } finally {
                if (FIXED) LogContext.clear(); else LogContext.clearCommon();
                contextEntries = LogContext.size();
            }
        }
    }

    static final class FolioCache extends LinkedHashMap<String, RenderedFolio> {
        long evicted;
        FolioCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedFolio> e) { if (size() > FOLIO_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hotel> HOTELS_BY_CODE = new HashMap<>();

    static final class MinibarService {
        final Map<String, Room> rooms = new HashMap<>();
        final Room[] roomList = new Room[ROOMS];
        final Map<String, PriceList> priceLists = new HashMap<>();
        final FolioCache folios = new FolioCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Consumption[] recent = new Consumption[RING];
        final Shard[] shards = new Shard[SHARDS];
        final int[] hotelShard = new int[HOTELS];
        final Map<String, Integer> hotelIndex = new HashMap<>();
        long requests, receipts;

        void consumption(Random r, long t) {
            Room room = roomList[r.nextInt(ROOMS)];
            PriceList prices = priceLists.get(room.hotelCode());
            String requestId = "mb-" + Long.toHexString(0x3c00_0000L + requests * 13);
            Consumption c = new Consumption(requestId, room.key(), prices.skus()[r.nextInt(prices.skus().length)], t);
            recent[(int) (requests++ % RING)] = c;
            Shard shard = shards[hotelShard[hotelIndex.get(room.hotelCode())]];
            shard.executor.execute(() -> shard.handle(this, c, room, t));
            if (r.nextInt(4) == 0) {
                String key = "folio-" + room.key() + "-v" + r.nextInt(3);
                if (folios.get(key) == null) folios.put(key, new RenderedFolio(key, new byte[400 + r.nextInt(400)], t));
            }
            if (r.nextInt(20) == 0) {
                byte[] buf = receiptBuffers.poll();
                buf[(int) (requests % buf.length)] = 1;
                receiptBuffers.add(buf);
                receipts++;
            }
        }

        void awaitWorkers() throws Exception {
            for (Shard s : shards) s.executor.submit(() -> { }).get();
        }
    }

    static MinibarService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(120_040_001);
        MinibarService svc = new MinibarService();
        SERVICE = svc;
        String[] cities = {"London", "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Lisbon", "Dublin", "Amsterdam"};
        String[] catalogue = new String[120];
        for (int k = 0; k < catalogue.length; k++) catalogue[k] = "SKU-" + (7_000 + k * 17);
        String[] hotelCodes = new String[HOTELS];
        for (int h = 0; h < HOTELS; h++) {
            double[] occupancy = new double[90];
            for (int k = 0; k < occupancy.length; k++) occupancy[k] = rnd.nextDouble();
            hotelCodes[h] = "H" + (1_000 + h);
            HOTELS_BY_CODE.put(hotelCodes[h], new Hotel(hotelCodes[h], "Hotel " + h, cities[h % cities.length], occupancy));
            String[] skus = new String[SKUS];
            int[] cents = new int[SKUS];
            for (int k = 0; k < SKUS; k++) { skus[k] = catalogue[(h * 7 + k * 3) % catalogue.length]; cents[k] = 250 + 50 * rnd.nextInt(30); }
            svc.priceLists.put(hotelCodes[h], new PriceList(hotelCodes[h], skus, cents));
            svc.hotelShard[h] = h % SHARDS;
            svc.hotelIndex.put(hotelCodes[h], h);
        }
        for (int i = 0; i < ROOMS; i++) {
            String hotel = hotelCodes[rnd.nextInt(HOTELS)];
            String number = Integer.toString(100 * (1 + rnd.nextInt(12)) + rnd.nextInt(60));
            String key = hotel + "-" + number + "-" + i;
            Room room = new Room(key, hotel, number, "MB-" + (200_000 + i), new byte[150 + rnd.nextInt(150)], now - (long) (60 + rnd.nextInt(2_500)) * DAY);
            svc.rooms.put(key, room);
            svc.roomList[i] = room;
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        for (int s = 0; s < SHARDS; s++) svc.shards[s] = new Shard(s);
        Random traffic = new Random(120_040_002);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < PER_MINUTE; k++) svc.consumption(traffic, t + k * 1_000L);
            if (m % 60 == 59) svc.awaitWorkers();
        }
        svc.awaitWorkers();
    }

    static String report() {
        MinibarService svc = SERVICE;
        StringBuilder shards = new StringBuilder();
        long handled = 0, context = 0, backlog = 0;
        for (Shard s : svc.shards) {
            shards.append(" [worker-").append(s.index).append(" handled ").append(s.handled).append(" context ").append(s.contextEntries).append(" outbox ").append(s.pmsOutbox.size()).append(']');
            handled += s.handled; context += s.contextEntries; backlog += s.pmsOutbox.size();
        }
        return (FIXED ? "FIXED " : "") + "hotels " + HOTELS_BY_CODE.size() + " rooms " + svc.rooms.size() + " requests " + svc.requests + " handled " + handled + " context entries " + context + " outbox backlog " + backlog + shards
                + " folios " + svc.folios.size() + " (evicted " + svc.folios.evicted + ") pool " + svc.receiptBuffers.size() + " receipts " + svc.receipts;
    }

    static void verify() {
        MinibarService svc = SERVICE;
        check(HOTELS_BY_CODE.size() == HOTELS && svc.rooms.size() == ROOMS && svc.priceLists.size() == HOTELS, "reference data / directory");
        check(svc.requests == (long) PER_MINUTE * 60 * HOURS, "requests");
        long handled = 0, context = 0;
        for (Shard s : svc.shards) { handled += s.handled; context += s.contextEntries; check(s.contextEntries == (FIXED ? 0 : s.handled), "context of worker " + s.index); }
        check(handled == svc.requests && context == (FIXED ? 0 : svc.requests), "context entries");
        check(svc.folios.size() == FOLIO_CAP && svc.folios.evicted > 0, "folio cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        long[] perWorker = {9_112, 8_842, 8_964, 9_082};
        long backlog = 0;
        for (Shard s : svc.shards) { expect(s.handled, perWorker[s.index], "requests of minibar-worker-" + s.index); expect(s.contextEntries, FIXED ? 0 : perWorker[s.index], "context entries of minibar-worker-" + s.index); backlog += s.pmsOutbox.size(); }
        expect(backlog, 303, "PMS outbox backlog");
        expect(svc.folios.evicted, 6_672, "folios evicted");
        expect(svc.receipts, 1_774, "receipts");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val120.fixed");
        simulate();
        System.out.println(report());
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
