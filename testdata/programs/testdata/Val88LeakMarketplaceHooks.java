// hprofscan-dump: name=val88-leak-marketplacehooks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val88-leak-marketplacehooks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 88 (written blind), LEAK: the order-webhook receiver of an online marketplace.
 * Category reference data, the seller directory, a cache of rendered listing pages at its cap, a
 * pool of request-body buffers, a ring of recent order updates, and the JSON decoder's static key
 * pool: to save memory the decoder canonicalises every object key through JsonKeys.POOL (a
 * Map<String, String>, one shared String per key). Most sellers' integrations send a list of
 * orders ([{"id": "order-100123", ...}]), but some send a map keyed by order id
 * ({"order-100123": {...}}): every order id of those sellers becomes a pool key and is never
 * removed. See VALIDATION88.md.
 */
public final class Val88LeakMarketplaceHooks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CATEGORIES = 1_000, SELLERS = 24_000, ACTIVE_SELLERS = 3_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, BATCHES_PER_HOUR = 10_000, HOURS = 10;
    static final int POOL_CAP = 4_096; // the fix: a bounded pool (new keys pass through once it is full)
    static boolean FIXED;

    record Category(String code, String name, double[] commissionByBand) {}
    record Seller(String sellerId, String storeName, byte[] settlementProfile, long joinedAt) {}
    record ListingPage(String key, byte[] rendered, long at) {}
    record OrderUpdate(String orderId, String sellerId, String status, long amountCents, long at) {}

    /** The decoder's key pool (static: shared by every decoder in the process). */
    static final class JsonKeys {
        static final Map<String, String> POOL = new HashMap<>();
        static long lookups, passedThrough;
        static String canonical(String key) {
            lookups++;
            String c = POOL.get(key);
            if (c != null) return c;
            if (FIXED && POOL.size() >= POOL_CAP) { passedThrough++; return key; }
            POOL.put(key, key); // BUG: every distinct key ever decoded stays here, order ids included
            return key;
        }
    }

    /** A small recursive-descent JSON decoder (objects, arrays, strings, integers). */
    static final class JsonDecoder {
        final String s; int p;
        JsonDecoder(String s) { this.s = s; }
        static Object decode(String s) { JsonDecoder d = new JsonDecoder(s); Object v = d.value(); if (d.p != s.length()) throw new IllegalArgumentException("trailing data at " + d.p); return v; }
        Object value() {
            char c = s.charAt(p);
            if (c == '{') {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (s.charAt(p) == '}') { p++; return m; }
                while (true) {
                    String k = JsonKeys.canonical(string());
                    expect(':');
                    m.put(k, value());
                    if (s.charAt(p) == ',') { p++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                p++;
                List<Object> l = new ArrayList<>();
                if (s.charAt(p) == ']') { p++; return l; }
                while (true) {
                    l.add(value());
                    if (s.charAt(p) == ',') { p++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            int q = p;
            while (p < s.length() && (Character.isDigit(s.charAt(p)) || s.charAt(p) == '-')) p++;
            return Long.parseLong(s, q, p, 10);
        }
        String string() {
            expect('"');
            int q = s.indexOf('"', p);
            String v = s.substring(p, q);
            p = q + 1;
            return v;
        }
        void expect(char c) { if (s.charAt(p) != c) throw new IllegalArgumentException("expected " + c + " at " + p); p++; }
    }

    static final class PageCache extends LinkedHashMap<String, ListingPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ListingPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Category> CATEGORIES_BY_CODE = new HashMap<>();

    static final class WebhookService {
        final Map<String, Seller> sellers = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<char[]> bodyBuffers = new ArrayDeque<>();
        final OrderUpdate[] recent = new OrderUpdate[RING];
        long updates, payloads, listShaped, mapShaped;

        @SuppressWarnings("unchecked")
        void receive(String body, long at, Random r) {
            char[] buf = bodyBuffers.poll();
            body.getChars(0, Math.min(body.length(), buf.length), buf, 0);
            bodyBuffers.add(buf);
            Map<String, Object> doc = (Map<String, Object>) JsonDecoder.decode(body);
            payloads++;
            String sellerId = (String) doc.get("seller");
            if (!sellers.containsKey(sellerId)) throw new IllegalStateException("unknown seller " + sellerId);
            Object orders = doc.get("orders");
            if (orders instanceof List<?> list) {
                listShaped++;
                for (Object o : list) { Map<String, Object> m = (Map<String, Object>) o; book((String) m.get("id"), sellerId, m, at); }
            } else {
                mapShaped++;
                for (Map.Entry<String, Object> e : ((Map<String, Object>) orders).entrySet()) book(e.getKey(), sellerId, (Map<String, Object>) e.getValue(), at);
            }
            String key = "lst-" + r.nextInt(6_000);
            if (pages.get(key) == null) pages.put(key, new ListingPage(key, new byte[500 + r.nextInt(500)], at));
        }

        void book(String orderId, String sellerId, Map<String, Object> m, long at) {
            recent[(int) (updates++ % RING)] = new OrderUpdate(orderId, sellerId, (String) m.get("status"), (Long) m.get("amount"), at);
        }
    }

    static WebhookService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val88.fixed");
        int batches = BATCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(88_040_001);
        for (int c = 0; c < CATEGORIES; c++) {
            double[] bands = new double[80];
            for (int k = 0; k < bands.length; k++) bands[k] = 0.03 + rnd.nextDouble() * 0.12;
            String code = "CAT-" + (2_000 + c);
            CATEGORIES_BY_CODE.put(code, new Category(code, "Category " + (c % 250), bands));
        }
        WebhookService svc = new WebhookService();
        SERVICE = svc;
        String[] sellerIds = new String[SELLERS];
        for (int s = 0; s < SELLERS; s++) {
            sellerIds[s] = "SL-" + (10_000 + s);
            svc.sellers.put(sellerIds[s], new Seller(sellerIds[s], "Store " + (s % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.bodyBuffers.add(new char[16_384]);
        Random traffic = new Random(88_040_002);
        Random cache = new Random(88_040_003);
        String[] carriers = {"DHL", "UPS", "DPD", "GLS", "PostNL"};
        String[] currencies = {"EUR", "GBP", "PLN", "SEK"};
        long[] lastOrder = new long[ACTIVE_SELLERS];
        long orders = 0, ordersOfMapSellers = 0;
        int mapSellers = 0;
        for (int s = 0; s < ACTIVE_SELLERS; s++) if (mapShapedSeller(s)) mapSellers++;
        StringBuilder sb = new StringBuilder(4_096);
        for (int i = 0; i < batches; i++) {
            long t = start + (end - MINUTE - start) * i / batches;
            int s = traffic.nextInt(ACTIVE_SELLERS);
            boolean asMap = mapShapedSeller(s);
            int n = 1 + traffic.nextInt(4);
            sb.setLength(0);
            sb.append("{\"event\":\"orders.updated\",\"seller\":\"").append(sellerIds[s * 8]).append("\",\"sentAt\":").append(t).append(",\"orders\":").append(asMap ? '{' : '[');
            for (int k = 0; k < n; k++) {
                long orderNo;
                String status;
                if (lastOrder[s] == 0 || traffic.nextInt(2) == 0) {
                    orderNo = 100_000 + orders++;
                    if (asMap) ordersOfMapSellers++;
                    lastOrder[s] = orderNo;
                    status = "placed";
                } else {
                    orderNo = lastOrder[s];
                    int st = traffic.nextInt(10);
                    status = st < 5 ? "paid" : st < 9 ? "shipped" : "cancelled";
                }
                if (k > 0) sb.append(',');
                if (asMap) sb.append("\"order-").append(orderNo).append("\":{");
                else sb.append("{\"id\":\"order-").append(orderNo).append("\",");
                sb.append("\"status\":\"").append(status).append("\",\"sku\":\"SKU-").append(40_000 + traffic.nextInt(30_000)).append("\",\"qty\":").append(1 + traffic.nextInt(5))
                        .append(",\"amount\":").append(299 + traffic.nextInt(40_000)).append(",\"currency\":\"").append(currencies[traffic.nextInt(currencies.length)]).append('"');
                if (status.equals("shipped")) sb.append(",\"shipping\":{\"carrier\":\"").append(carriers[traffic.nextInt(carriers.length)]).append("\",\"tracking\":\"TRK").append(Long.toString(9_000_000_000L + traffic.nextInt(1_000_000_000), 36).toUpperCase()).append("\"}");
                sb.append('}');
            }
            sb.append(asMap ? '}' : ']').append('}');
            svc.receive(sb.toString(), t, cache);
        }
        sb = null;
        int pool = JsonKeys.POOL.size();
        long idKeys = 0;
        for (String k : JsonKeys.POOL.keySet()) if (k.startsWith("order-")) idKeys++;
        System.out.println((FIXED ? "FIXED " : "") + "categories " + CATEGORIES_BY_CODE.size() + " sellers " + svc.sellers.size() + " payloads " + svc.payloads + " (list-shaped " + svc.listShaped + ", map-shaped " + svc.mapShaped + " from " + mapSellers + " of " + ACTIVE_SELLERS + " active sellers)"
                + " updates " + svc.updates + " orders " + orders + " (of map-shaped sellers " + ordersOfMapSellers + ") key pool " + pool + " (order ids " + idKeys + ", lookups " + JsonKeys.lookups + ", passed through " + JsonKeys.passedThrough + ")"
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.bodyBuffers.size());
        check(CATEGORIES_BY_CODE.size() == CATEGORIES && svc.sellers.size() == SELLERS, "reference data / directory");
        check(svc.payloads == batches && svc.listShaped + svc.mapShaped == batches && svc.mapShaped > 0, "payloads");
        if (FIXED) check(pool == POOL_CAP && JsonKeys.passedThrough > 0, "key pool bounded");
        else check(idKeys == ordersOfMapSellers && pool == idKeys + 13, "key pool holds every order id of map-shaped sellers: " + pool);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.bodyBuffers.size() == POOL, "pool");
        check(svc.updates > RING && svc.recent[RING - 1] != null, "update ring");
        LeakCheck.histogram("java.util.HashMap ", "java.util.HashMap$Node ", "[I (", "[B (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** 9 sellers in 20 integrate with the map-shaped payload. */
    static boolean mapShapedSeller(int s) { return s % 20 < 9; }
}
