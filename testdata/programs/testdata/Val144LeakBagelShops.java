// hprofscan-dump: name=val144-leak-bagelshops-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val144-leak-bagelshops-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val144-leak-bagelshops jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val144-leak-bagelshops-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 144 (written blind), LEAK: the order service of a bagel-shop chain. Mobile and
 * catering orders arrive as messages on the "orders" topic; the consumer tries each one three
 * times and moves a message that still fails (unknown modifier for that shop, blocked loyalty card,
 * expired payment token, pickup slot already gone; about 3% of orders) to an in-memory
 * {@code List<DeadLetter>} with its payload, headers and the last exception, "for an operator to
 * replay". The replay endpoint exists ({@link OrderConsumer#replayAll}) but nothing calls it, so the
 * list only grows. Beside it: shop reference data, the menu, the loyalty directory, a receipt cache
 * at its cap, a pool of label-printer buffers, a ring of recent orders and the kitchen queue with
 * its normal backlog. Series: 2 / 4 / 8 h. See VALIDATION144.md.
 */
public final class Val144LeakBagelShops {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SHOPS = 600, MENU_ITEMS = 2_400, CUSTOMERS = 20_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192,
            ORDERS_PER_MINUTE = 200, MAX_ATTEMPTS = 3;
    static final long KITCHEN_TIME = 6 * MINUTE, REPLAY_EVERY = 15 * MINUTE;
    static final String TOPIC = "orders.v4";
    static final String[] BAGELS = {"plain", "everything", "sesame", "poppy", "onion", "garlic", "salt", "pumpernickel", "cinnamon-raisin", "asiago", "whole-wheat", "jalapeno-cheddar"};
    static final String[] SPREADS = {"plain-cc", "scallion-cc", "veggie-cc", "lox-spread", "honey-walnut-cc", "butter", "hummus", "tofu-spread", "nova", "egg-salad"};
    static boolean FIXED;

    record Shop(String code, String street, String city, double[] forecastByQuarterHour, long openedAt) {}
    record MenuItem(String sku, String name, int priceCents, byte[] allergens) {}
    record Customer(String cardNo, String name, String favourite, byte[] profile, long memberSince) {}
    record Receipt(String orderId, byte[] rendered, long at) {}
    record PlacedOrder(String orderId, String shopCode, String cardNo, int lines, int totalCents, long pickupAt) {}
    record KitchenTicket(String orderId, String shopCode, int items, long at) {}
    record Message(String id, String topic, int partition, long offset, Map<String, String> headers, byte[] payload, long at) {}

    /** A message that failed every attempt, kept with its payload and last error for an operator. */
    static final class DeadLetter {
        final Message message; final Exception error; final int attempts; final long firstAttemptAt, deadAt;
        DeadLetter(Message message, Exception error, int attempts, long firstAttemptAt, long deadAt) {
            this.message = message; this.error = error; this.attempts = attempts; this.firstAttemptAt = firstAttemptAt; this.deadAt = deadAt;
        }
    }

    static final class OrderRejectedException extends RuntimeException {
        final String reason;
        OrderRejectedException(String reason, String message, Throwable cause) { super(message, cause); this.reason = reason; }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, MenuItem> menu = new HashMap<>();
        final String[] skus = new String[MENU_ITEMS];
        final Map<String, Customer> customers = new HashMap<>();
        final String[] cardNos = new String[CUSTOMERS];
        final java.util.Set<String> blockedCards = new java.util.HashSet<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final PlacedOrder[] recentOrders = new PlacedOrder[RING];
        final ArrayDeque<KitchenTicket> kitchen = new ArrayDeque<>();
        long placed, ticketsDone, labels;

        /** Handles one order message; throws when it cannot be accepted. */
        void handle(Message m, int attempt) {
            String json = new String(m.payload(), StandardCharsets.UTF_8);
            String orderId = field(json, "orderId"), shop = field(json, "shop"), card = field(json, "card");
            if (json.contains("\"kds\":\"busy\"") && attempt == 1)
                throw new OrderRejectedException("kitchen-timeout", "kitchen display of " + shop + " did not acknowledge " + orderId + " within 2000 ms", null);
            if (blockedCards.contains(card))
                throw new OrderRejectedException("card-blocked", "loyalty card " + card + " is blocked (chargeback review); order " + orderId + " refused", null);
            int from = json.indexOf("\"lines\":[");
            int lines = 0, total = 0;
            for (int i = json.indexOf("{\"sku\":\"", from); i >= 0; i = json.indexOf("{\"sku\":\"", i + 1)) {
                String sku = json.substring(i + 8, json.indexOf('"', i + 8));
                MenuItem item = menu.get(sku);
                if (item == null)
                    throw new OrderRejectedException("unknown-modifier", "modifier " + sku + " is not on the menu of shop " + shop + " (order " + orderId + ", line " + (lines + 1) + ")", null);
                lines++;
                total += item.priceCents();
            }
            if (json.contains("\"payment\":\"expired\""))
                throw new OrderRejectedException("payment-declined", "payment for order " + orderId + " declined by the acquirer",
                        new IllegalStateException("token tok_" + Long.toHexString(m.offset() * 2_654_435_761L) + " expired before capture"));
            long pickup = Long.parseLong(field(json, "pickupAt"));
            if (pickup < m.at())
                throw new OrderRejectedException("slot-gone", "pickup slot " + pickup + " of order " + orderId + " is before its arrival " + m.at(), null);
            PlacedOrder o = new PlacedOrder(orderId, SHOPS_BY_CODE.get(shop).code(), customers.get(card).cardNo(), lines, total, pickup);
            recentOrders[(int) (placed++ % RING)] = o;
            kitchen.addLast(new KitchenTicket(o.orderId(), o.shopCode(), lines, m.at()));
            if (receipts.get(orderId) == null) receipts.put(orderId, new Receipt(orderId, new byte[400 + (int) (m.offset() % 400)], m.at()));
            byte[] buf = labelBuffers.poll();
            buf[(int) (labels++ % buf.length)] = (byte) lines;
            labelBuffers.add(buf);
        }

        void kitchenTick(long t) {
            while (!kitchen.isEmpty() && kitchen.peekFirst().at() <= t - KITCHEN_TIME) { kitchen.pollFirst(); ticketsDone++; }
        }

        static String field(String json, String name) {
            int i = json.indexOf("\"" + name + "\":");
            int from = i + name.length() + 3;
            boolean quoted = json.charAt(from) == '"';
            if (quoted) from++;
            int to = from;
            while (to < json.length() && json.charAt(to) != (quoted ? '"' : ',') && json.charAt(to) != '}') to++;
            return json.substring(from, to);
        }
    }

    /** The "orders" topic consumer: three attempts, then the dead-letter list. */
    static final class OrderConsumer {
        final OrderService service;
        final List<DeadLetter> deadLetters = new ArrayList<>();
        long consumed, handled, retries, deadLettered, replayed, replayFailed, parkedDurably;
        final Map<String, Long> deadByReason = new HashMap<>();

        OrderConsumer(OrderService service) { this.service = service; }

        void onMessage(Message m) {
            consumed++;
            RuntimeException last = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                try {
                    service.handle(m, attempt);
                    handled++;
                    return;
                } catch (OrderRejectedException e) {
                    last = e;
                    if (attempt < MAX_ATTEMPTS) retries++;
                }
            }
            // kept for an operator to replay from the admin page
            deadLetters.add(new DeadLetter(m, last, MAX_ATTEMPTS, m.at(), m.at() + 2 * SECOND));
            deadLettered++;
            deadByReason.merge(((OrderRejectedException) last).reason, 1L, Long::sum);
        }

        /** POST /admin/dead-letters/replay: re-delivers every dead letter; what fails again goes to the durable DLQ topic. Never called. */
        int replayAll() {
            int n = 0;
            for (DeadLetter d : deadLetters) {
                try { service.handle(d.message, MAX_ATTEMPTS + 1); replayed++; } catch (OrderRejectedException e) { replayFailed++; parkedDurably++; }
                n++;
            }
            deadLetters.clear();
            return n;
        }
    }

    static OrderService SERVICE;
    static OrderConsumer CONSUMER;
    static int STAGE, HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Map<String, String> headers(Random r, long seq) {
        Map<String, String> h = new HashMap<>(8);
        h.put("traceparent", "00-" + Long.toHexString(r.nextLong() | 1L << 62) + Long.toHexString(r.nextLong() | 1L << 62) + "-" + Long.toHexString(r.nextLong() | 1L << 62) + "-01");
        h.put("source-app", r.nextInt(5) == 0 ? "catering-web/3.12.0" : (r.nextBoolean() ? "bagel-ios/7.4." : "bagel-android/7.4.") + r.nextInt(9));
        h.put("content-type", "application/json");
        h.put("schema-version", "4");
        return h;
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(144_010_001);
        String[] shopCodes = new String[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            double[] f = new double[96];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 120;
            shopCodes[s] = "BS-" + (1_000 + s * 7);
            SHOPS_BY_CODE.put(shopCodes[s], new Shop(shopCodes[s], (10 + s) + " " + (s % 2 == 0 ? "Main St" : "Broadway"), "City " + (s % 45), f, now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        OrderConsumer consumer = new OrderConsumer(svc);
        CONSUMER = consumer;
        for (int i = 0; i < MENU_ITEMS; i++) {
            svc.skus[i] = "BG-" + (10_000 + i * 3);
            String name = i % 3 == 0 ? BAGELS[i % BAGELS.length] + " bagel" : i % 3 == 1 ? BAGELS[i % BAGELS.length] + " with " + SPREADS[i % SPREADS.length] : "modifier " + SPREADS[i % SPREADS.length] + " x" + (1 + i % 3);
            svc.menu.put(svc.skus[i], new MenuItem(svc.skus[i], name, 95 + rnd.nextInt(1_200), new byte[64 + rnd.nextInt(128)]));
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            svc.cardNos[c] = "BGL" + (70_000_000 + c * 13);
            svc.customers.put(svc.cardNos[c], new Customer(svc.cardNos[c], "Customer " + c, svc.skus[rnd.nextInt(MENU_ITEMS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int c = 0; c < CUSTOMERS; c += 97) svc.blockedCards.add(svc.cardNos[c]);
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);

        Random traffic = new Random(144_010_002), hdr = new Random(144_010_003);
        long seq = 0;
        StringBuilder json = new StringBuilder(4_096);
        long nextReplay = start + REPLAY_EVERY;
        for (long t = start; t < end; t += MINUTE) {
            if (FIXED) while (nextReplay <= t) { consumer.replayAll(); nextReplay += REPLAY_EVERY; }
            for (int i = 0; i < ORDERS_PER_MINUTE; i++) {
                long at = t + i * 300L;
                seq++;
                String orderId = "ORD-" + Long.toString(0x2b_0000_0000L + seq * 7, 36).toUpperCase();
                boolean catering = traffic.nextInt(10) == 0;
                int fate = traffic.nextInt(1_000);
                String card = svc.cardNos[traffic.nextInt(CUSTOMERS)];
                if (fate < 6) card = svc.cardNos[97 * traffic.nextInt(CUSTOMERS / 97)]; // a blocked card
                json.setLength(0);
                json.append("{\"orderId\":\"").append(orderId).append("\",\"shop\":\"").append(shopCodes[traffic.nextInt(SHOPS)])
                        .append("\",\"card\":\"").append(card).append("\",\"channel\":\"").append(catering ? "catering" : "mobile")
                        .append("\",\"kds\":\"").append(fate >= 30 && fate < 50 ? "busy" : "ok")
                        .append("\",\"payment\":\"").append(fate >= 6 && fate < 14 ? "expired" : "tok-" + Long.toHexString(traffic.nextLong()))
                        .append("\",\"pickupAt\":").append(fate >= 14 && fate < 20 ? at - (1 + traffic.nextInt(20)) * MINUTE : at + (10 + traffic.nextInt(50)) * MINUTE)
                        .append(",\"lines\":[");
                int lines = catering ? 8 + traffic.nextInt(25) : 1 + traffic.nextInt(5);
                for (int l = 0; l < lines; l++) {
                    String sku = fate >= 20 && fate < 30 && l == lines - 1 ? "BG-" + (90_000 + traffic.nextInt(900)) : svc.skus[traffic.nextInt(MENU_ITEMS)];
                    if (l > 0) json.append(',');
                    json.append("{\"sku\":\"").append(sku).append("\",\"qty\":").append(1 + traffic.nextInt(catering ? 12 : 2))
                            .append(",\"note\":\"").append(traffic.nextInt(4) == 0 ? "toasted, light schmear, cut in half please" : "").append("\"}");
                }
                json.append("],\"notes\":\"").append(catering ? "Deliver to reception, ask for the office manager; invoice to accounts payable, PO " + (400_000 + traffic.nextInt(99_999)) : "").append("\"}");
                consumer.onMessage(new Message("m-" + Long.toHexString(0x51_0000_0000L + seq), TOPIC, (int) (seq % 24), seq / 24, headers(hdr, seq),
                        json.toString().getBytes(StandardCharsets.UTF_8), at));
            }
            svc.kitchenTick(t + MINUTE - 1);
        }
    }

    static void report() {
        OrderService svc = SERVICE;
        OrderConsumer c = CONSUMER;
        long payloadBytes = 0, withCause = 0;
        for (DeadLetter d : c.deadLetters) { payloadBytes += d.message.payload().length; if (d.error.getCause() != null) withCause++; }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + STAGE + " shops " + SHOPS_BY_CODE.size() + " menu " + svc.menu.size() + " customers " + svc.customers.size()
                + " messages " + c.consumed + " handled " + c.handled + " retries " + c.retries + " dead-lettered " + c.deadLettered + " " + new java.util.TreeMap<>(c.deadByReason)
                + " dead letters held " + c.deadLetters.size() + " (payload bytes " + payloadBytes + ", with cause " + withCause + ") replayed " + c.replayed + " parked durably " + c.parkedDurably
                + " placed " + svc.placed + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.labelBuffers.size()
                + " kitchen backlog " + svc.kitchen.size() + " (done " + svc.ticketsDone + ")");
        long messages = (long) ORDERS_PER_MINUTE * 60 * HOURS;
        long[] e = EXPECTED[STAGE];
        check(SHOPS_BY_CODE.size() == SHOPS && svc.menu.size() == MENU_ITEMS && svc.customers.size() == CUSTOMERS, "reference data / directories");
        check(c.consumed == messages && c.handled + c.deadLettered == messages && c.handled + c.replayed == svc.placed, "messages");
        check(c.deadLettered == e[0] && c.retries == e[1], "dead-lettered " + c.deadLettered + " retries " + c.retries);
        check(c.deadLetters.size() == (FIXED ? e[2] : e[0]) && payloadBytes == (FIXED ? e[3] : e[4]), "dead letters held " + c.deadLetters.size() + " payload " + payloadBytes);
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.labelBuffers.size() == POOL && svc.recentOrders[RING - 1] != null, "pool / ring");
        check(svc.kitchen.size() == e[5], "kitchen backlog " + svc.kitchen.size());
    }

    /** Per stage: dead-lettered, retries, held with the fix, their payload bytes with the fix, payload bytes held, kitchen backlog. */
    static final long[][] EXPECTED = {
        {},
        {1_016, 2_504, 114, 46_957, 398_486, 1_152},
        {1_952, 4_838, 116, 50_632, 783_454, 1_149},
        {3_898, 9_711, 120, 45_524, 1_569_756, 1_152},
    };

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val144.fixed");
        STAGE = Integer.parseInt(args[2]);
        HOURS = STAGE == 1 ? 2 : STAGE == 2 ? 4 : 8;
        simulate(HOURS);
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
