// hprofscan-dump: name=val146-leak-dumplingbars jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val146-leak-dumplingbars-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 146 (written blind), LEAK: the online-ordering gateway of a chain of dumpling bars
 * (app, web and kiosk orders, kitchen tickets, loyalty). Store reference data, the loyalty-member
 * directory, an LRU of rendered receipts at its cap, a pool of kitchen-printer buffers, a ring of
 * recent requests, the kitchen-ticket queue with its normal backlog, the order idempotency store
 * (swept after 30 minutes), per-channel counters, and the header canonicaliser: every request's
 * headers pass through {@code HeaderCanon.canonical}, which deduplicates the values of a list of
 * headers in a static {@code ConcurrentHashMap<String, String>} so that the thousands of parsed
 * requests in flight share one String per User-Agent, Accept-Language, store id ... When POST
 * /orders started to require an Idempotency-Key (a fresh UUID per order, reused only by the
 * client's own retries), that header was added to the list: the map gains one entry per order and
 * is never cleared. One run of 10 hours. See VALIDATION146.md.
 */
public final class Val146LeakDumplingBars {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STORES = 380, MEMBERS = 20_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, REQUESTS_PER_MINUTE = 320,
            KITCHEN_MINUTES = 12, IDEMPOTENCY_MINUTES = 30;
    static boolean FIXED;
    static final String[] DISHES = {"pork xiaolongbao", "prawn har gow", "beef guotie", "chicken gyoza", "veg jiaozi", "lamb manti", "pork siu mai",
            "mushroom bao", "chilli wontons", "pelmeni", "momo", "mandu", "pierogi", "shumai", "chive pockets", "crab soup dumplings"};
    static final String[] CITIES = {"LDN", "MAN", "BHM", "GLA", "EDI", "LDS", "BRS", "LIV", "NCL", "CDF"};
    static final String[] LANGUAGES = {"en-GB", "en-GB,en;q=0.9", "en-US,en;q=0.8", "zh-CN,zh;q=0.9,en;q=0.7", "zh-HK", "pl-PL,pl;q=0.9", "ko-KR",
            "fr-FR,fr;q=0.8,en;q=0.6", "es-ES", "de-DE", "it-IT", "pt-PT"};
    static final String[] AGENTS = {"DumplingApp/6.4.0 (iOS 17.5; iPhone15,2)", "DumplingApp/6.4.0 (iOS 17.4; iPhone14,5)", "DumplingApp/6.3.2 (iOS 16.7)",
            "DumplingApp/6.4.0 (Android 14; Pixel 8)", "DumplingApp/6.4.0 (Android 13; SM-S911B)", "DumplingApp/6.3.2 (Android 12; SM-A525F)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "KioskShell/2.1 (store terminal)", "UberEatsConnector/3.9",
            "DeliverooPartner/1.14"};
    static final String[] CHANNELS = {"app", "web", "kiosk", "partner"};
    static final String[] ACCEPTS = {"application/json", "application/json, text/plain, */*", "*/*"};
    static final String[] ENCODINGS = {"gzip, deflate, br", "gzip", "br"};

    record Store(String storeId, String city, String name, double[] coversByHalfHour) {}
    record Member(String memberId, String name, byte[] preferences, int points, long joinedAt) {}
    record Receipt(String orderId, byte[] rendered, long at) {}
    record RequestRecord(long seq, String method, String path, Map<String, String> headers, int status, long at) {}
    record KitchenTicket(String orderId, String storeId, List<String> dishes, long placedAt) {}
    record StoredResponse(String idempotencyKey, String orderId, int status, long at) {}

    static final Map<String, Store> STORES_BY_ID = new HashMap<>();

    /** Canonical instances of repeated header values. */
    static final class HeaderCanon {
        static final ConcurrentHashMap<String, String> canonical = new ConcurrentHashMap<>();
        static final Set<String> CANONICAL_HEADERS = Set.of("Accept", "Accept-Language", "Accept-Encoding", "Content-Type", "User-Agent",
                "X-App-Version", "X-Store-Id", "X-Channel", "Idempotency-Key"); // Idempotency-Key: added with the orders API v2
        static long lookups;
        static String canon(String value) {
            lookups++;
            String c = canonical.putIfAbsent(value, value);
            return c == null ? value : c;
        }
        static boolean canonicalised(String header) {
            return CANONICAL_HEADERS.contains(header) && !(FIXED && header.equals("Idempotency-Key"));
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) {
            if (size() > RECEIPT_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final class IdempotencyStore {
        final Map<String, StoredResponse> byKey = new HashMap<>();
        long replays, swept;
        void sweep(long now) {
            for (Iterator<StoredResponse> it = byKey.values().iterator(); it.hasNext(); ) {
                if (it.next().at() + IDEMPOTENCY_MINUTES * MINUTE <= now) { it.remove(); swept++; }
            }
        }
    }

    static final class OrderGateway {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberIds = new String[MEMBERS];
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final RequestRecord[] recent = new RequestRecord[RING];
        final ArrayDeque<KitchenTicket> kitchen = new ArrayDeque<>();
        final IdempotencyStore idempotency = new IdempotencyStore();
        final long[] requestsByChannel = new long[CHANNELS.length];
        long requests, orders, menuReads, receiptRequests, receiptHits, ticketsDone, orderSeq;

        Map<String, String> parse(Map<String, String> raw) {
            Map<String, String> h = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : raw.entrySet()) h.put(e.getKey(), HeaderCanon.canonicalised(e.getKey()) ? HeaderCanon.canon(e.getValue()) : e.getValue());
            return h;
        }

        void handle(String method, String path, Map<String, String> raw, Random r, long t) {
            Map<String, String> h = parse(raw);
            int status = 200;
            requestsByChannel[Arrays.asList(CHANNELS).indexOf(h.get("X-Channel"))]++;
            if (method.equals("POST")) {
                String key = h.get("Idempotency-Key");
                StoredResponse prior = idempotency.byKey.get(key);
                if (prior != null) {
                    idempotency.replays++;
                    status = prior.status();
                } else {
                    String orderId = "DB-" + (5_000_000 + orderSeq++);
                    orders++;
                    int n = 2 + r.nextInt(5);
                    List<String> dishes = new java.util.ArrayList<>(n);
                    for (int k = 0; k < n; k++) dishes.add(DISHES[r.nextInt(DISHES.length)]);
                    kitchen.addLast(new KitchenTicket(orderId, h.get("X-Store-Id"), dishes, t));
                    byte[] buf = printerBuffers.poll();
                    buf[(int) (orders % buf.length)] = (byte) n;
                    printerBuffers.addLast(buf);
                    idempotency.byKey.put(key, new StoredResponse(key, orderId, 201, t));
                    status = 201;
                    receipt(orderId, r, t);
                }
            } else if (path.startsWith("/receipts/")) {
                receipt(path.substring("/receipts/".length()), r, t);
            } else {
                menuReads++;
            }
            recent[(int) (requests++ % RING)] = new RequestRecord(requests, method, path, h, status, t);
        }

        Receipt receipt(String orderId, Random r, long t) {
            receiptRequests++;
            Receipt rc = receipts.get(orderId);
            if (rc != null) { receiptHits++; return rc; }
            rc = new Receipt(orderId, new byte[350 + r.nextInt(400)], t);
            receipts.put(orderId, rc);
            return rc;
        }
    }

    static OrderGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String idempotencyKey(Random r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(hi, lo).toString();
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(146_050_001);
        String[] storeIds = new String[STORES];
        for (int s = 0; s < STORES; s++) {
            double[] covers = new double[48];
            for (int k = 0; k < covers.length; k++) covers[k] = rnd.nextDouble() * 140;
            storeIds[s] = CITIES[s % CITIES.length] + "-" + (100 + s);
            STORES_BY_ID.put(storeIds[s], new Store(storeIds[s], CITIES[s % CITIES.length], "Dumpling Bar " + CITIES[s % CITIES.length] + " " + s, covers));
        }
        OrderGateway svc = new OrderGateway();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            svc.memberIds[m] = "LM" + (8_100_000 + m * 11);
            svc.members.put(svc.memberIds[m], new Member(svc.memberIds[m], "Member " + m, new byte[150 + rnd.nextInt(150)], rnd.nextInt(4_000),
                    now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);

        Random traffic = new Random(146_050_002), keys = new Random(146_050_003), work = new Random(146_050_004);
        String[] recentKeys = new String[64];
        int keyCount = 0;
        int minute = 0;
        for (long t = start; t < end; t += MINUTE, minute++) {
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                int agent = traffic.nextInt(AGENTS.length);
                String channel = agent < 6 ? "app" : agent < 9 ? "web" : agent == 9 ? "kiosk" : "partner";
                Map<String, String> raw = new LinkedHashMap<>();
                raw.put("Accept", ACCEPTS[agent % ACCEPTS.length]);
                raw.put("Accept-Language", LANGUAGES[traffic.nextInt(4) == 0 ? traffic.nextInt(LANGUAGES.length) : agent % 3]);
                raw.put("Accept-Encoding", ENCODINGS[agent % ENCODINGS.length]);
                raw.put("User-Agent", AGENTS[agent]);
                raw.put("X-App-Version", agent < 6 ? AGENTS[agent].substring(12, 17) : "web-2024.18");
                raw.put("X-Store-Id", storeIds[traffic.nextInt(STORES)]);
                raw.put("X-Channel", channel);
                int roll = traffic.nextInt(100);
                String method = roll < 45 ? "POST" : "GET";
                String path;
                if (method.equals("POST")) {
                    raw.put("Content-Type", "application/json; charset=utf-8");
                    String key;
                    if (keyCount > 0 && traffic.nextInt(100) < 3) key = recentKeys[traffic.nextInt(Math.min(keyCount, recentKeys.length))]; // the client's retry
                    else { key = idempotencyKey(keys); recentKeys[keyCount++ % recentKeys.length] = key; }
                    raw.put("Idempotency-Key", key);
                    path = "/v2/orders";
                } else if (roll < 60) {
                    path = "/receipts/DB-" + (5_000_000 + Math.max(0, svc.orderSeq - 1 - traffic.nextInt(3_000)));
                } else {
                    path = "/v2/menu/" + storeIds[traffic.nextInt(STORES)];
                }
                raw.put("X-Request-Start", Long.toString(t + k * (MINUTE / REQUESTS_PER_MINUTE))); // not canonicalised
                svc.handle(method, path, raw, work, t + k * (MINUTE / REQUESTS_PER_MINUTE));
            }
            while (!svc.kitchen.isEmpty() && svc.kitchen.peekFirst().placedAt() + KITCHEN_MINUTES * MINUTE <= t + 59 * SECOND) {
                svc.kitchen.pollFirst();
                svc.ticketsDone++;
            }
            svc.idempotency.sweep(t + 59 * SECOND);
        }
    }

    // Exact counts (leaking run): orders, client retries replayed, canonical map entries, of which idempotency keys,
    // idempotency store entries, receipt evictions.
    static final long[] EXPECTED = {84_024, 2_630, 84_442, 84_024, 4_252, 92_639};

    static void verify() {
        OrderGateway svc = SERVICE;
        int keysInCanon = 0;
        for (String v : HeaderCanon.canonical.keySet()) if (v.length() == 36 && v.charAt(14) == '4' && v.charAt(8) == '-') keysInCanon++;
        int canonSize = HeaderCanon.canonical.size();
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_ID.size() + " members " + svc.members.size() + " requests " + svc.requests + " orders " + svc.orders
                + " replays " + svc.idempotency.replays + " menu reads " + svc.menuReads + " canonical " + canonSize + " (idempotency keys " + keysInCanon + ", other " + (canonSize - keysInCanon)
                + ", lookups " + HeaderCanon.lookups + ") idempotency store " + svc.idempotency.byKey.size() + " (swept " + svc.idempotency.swept + ")"
                + " receipts " + svc.receipts.size() + " (requests " + svc.receiptRequests + ", hits " + svc.receiptHits + ", evicted " + svc.receipts.evicted + ")"
                + " kitchen backlog " + svc.kitchen.size() + " done " + svc.ticketsDone + " pool " + svc.printerBuffers.size() + " by channel " + Arrays.toString(svc.requestsByChannel));
        check(STORES_BY_ID.size() == STORES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_MINUTE * HOURS * 60 && svc.recent[RING - 1] != null, "requests");
        check(svc.orders == svc.idempotency.byKey.size() + svc.idempotency.swept, "idempotency store swept");
        check(svc.kitchen.size() + svc.ticketsDone == svc.orders && svc.kitchen.size() < svc.orders / 40, "kitchen backlog");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at its cap");
        check(svc.printerBuffers.size() == POOL, "printer buffer pool");
        check(FIXED ? keysInCanon == 0 && canonSize < 500 : keysInCanon == svc.orders, "canonical map: " + canonSize);
        if (EXPECTED.length > 0 && !FIXED) {
            long[] got = {svc.orders, svc.idempotency.replays, canonSize, keysInCanon, svc.idempotency.byKey.size(), svc.receipts.evicted};
            check(Arrays.equals(EXPECTED, got), "exact counts " + Arrays.toString(got));
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val146.fixed");
        simulate();
        verify();
        LeakCheck.histogram("ConcurrentHashMap");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
