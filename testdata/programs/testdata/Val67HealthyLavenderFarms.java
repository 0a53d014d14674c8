// hprofscan-dump: name=val67-healthy-lavenderfarms-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val67-healthy-lavenderfarms-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val67-healthy-lavenderfarms jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val67-healthy-lavenderfarms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 67 (written blind), HEALTHY: the web shop and wholesale desk of a lavender
 * growers' co-operative. Field reference data, the customer directory, a query-plan cache keyed by
 * parameterized SQL (12 templates, LRU-capped at 256), a live oil-auction board whose WebSocket
 * sessions register a tick listener and unregister it on close, a webhook retry scheduler for
 * wholesale buyers that gives up after 6 attempts (dead letters kept in a ring of 256 without their
 * payload), a ring of the last 16,384 shop orders, and a cache of rendered label pages at its cap.
 * Warms up (the order ring fills) and then plateaus. See VALIDATION67.md.
 */
public final class Val67HealthyLavenderFarms {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, TICK_EVERY = 5_000L;
    static final int FIELDS = 1_500, CUSTOMERS = 25_000, PLAN_CAP = 256, LABEL_CAP = 2_000, ORDER_RING = 16_384, DEAD_CAP = 256, BUYERS = 200, GONE = 12,
            ORDERS_PER_HOUR = 6_000, SESSIONS_PER_HOUR = 300, WEBHOOKS_PER_HOUR = 1_200, MAX_ATTEMPTS = 6;

    record Field(String code, String variety, double[] bloomIndex) {}
    record Customer(String customerId, String country, byte[] addressBook, long since) {}
    record LabelPage(String key, byte[] rendered, long at) {}
    record ShopOrder(long orderNo, String customerId, String sku, int qty, long at) {}
    record Tick(String lot, double pricePerKg, long at) {}
    record DeadLetter(long deliveryId, String buyerId, String lastError, int attempts, long at) {}

    interface PlanNode {}
    record IndexScan(String table, String index, String keyPredicate, double estRows) implements PlanNode {}
    record Filter(PlanNode input, String predicate, double selectivity) implements PlanNode {}
    record HashJoin(PlanNode build, PlanNode probe, String joinKey) implements PlanNode {}
    record Sort(PlanNode input, String[] orderBy) implements PlanNode {}
    record Limit(PlanNode input, int rows) implements PlanNode {}
    record QueryPlan(String sql, PlanNode root, long plannedAt) {}

    /** Plan cache keyed by parameterized SQL text (literals are bound, never inlined), LRU-capped. */
    static final class PlanCache extends LinkedHashMap<String, QueryPlan> {
        long parses, hits, evicted;
        PlanCache() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QueryPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
        QueryPlan planFor(String sql, String[] predicates, String[] orderBy, long at) {
            QueryPlan p = get(sql);
            if (p != null) { hits++; return p; }
            PlanNode orders = new IndexScan("orders", "idx_orders_customer", predicates[0], 40.0);
            PlanNode lines = new Filter(new IndexScan("order_lines", "idx_lines_order", predicates[1], 400.0), predicates[2], 0.5);
            p = new QueryPlan(sql, new Limit(new Sort(new HashJoin(orders, lines, "order_no"), orderBy), 50), at);
            put(sql, p);
            parses++;
            return p;
        }
    }

    interface TickListener { void onTick(Tick t); }

    static final class BoardSession {
        final String sessionId, customerId; final long openedAt; final byte[] sendBuffer = new byte[2_048];
        long closedAt; boolean closed; int pending; long frames;
        TickListener listener;
        BoardSession(String sessionId, String customerId, long openedAt) { this.sessionId = sessionId; this.customerId = customerId; this.openedAt = openedAt; }
    }

    static final class AuctionBoard {
        final List<TickListener> listeners = new ArrayList<>();
        final Map<String, BoardSession> open = new HashMap<>();
        long opened, closed, published;
        BoardSession connect(String id, String customerId, long at) {
            BoardSession s = new BoardSession(id, customerId, at);
            s.listener = tick -> {
                if (s.pending + 32 > s.sendBuffer.length) { s.frames++; s.pending = 0; }
                s.sendBuffer[s.pending] = (byte) tick.at();
                s.pending += 32;
            };
            listeners.add(s.listener);
            open.put(id, s);
            opened++;
            return s;
        }
        void disconnect(BoardSession s, long at) {
            s.closed = true; s.closedAt = at;
            listeners.remove(s.listener); // unregistered on close
            open.remove(s.sessionId);
            closed++;
        }
        void publish(Tick t) { published++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onTick(t); }
    }

    static final class Buyer { final String buyerId; long goneSince; Buyer(String id) { buyerId = id; } }

    static final class PendingWebhook implements Comparable<PendingWebhook> {
        final long id; final Buyer buyer; final byte[] payload; int attempts; long nextAttemptAt; String lastError;
        PendingWebhook(long id, Buyer buyer, byte[] payload) { this.id = id; this.buyer = buyer; this.payload = payload; }
        @Override public int compareTo(PendingWebhook o) { int c = Long.compare(nextAttemptAt, o.nextAttemptAt); return c != 0 ? c : Long.compare(id, o.id); }
    }

    /** Retries with capped backoff, gives up after MAX_ATTEMPTS (dead letter without payload). */
    static final class WebhookRetrier {
        final PriorityQueue<PendingWebhook> queue = new PriorityQueue<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
        long sent, delivered, gaveUp, maxQueue;
        void attempt(PendingWebhook w, long now, Random net) {
            sent++;
            boolean ok = !(w.buyer.goneSince != 0 && w.buyer.goneSince <= now) && net.nextInt(40) != 0;
            if (ok) { delivered++; return; }
            w.attempts++;
            w.lastError = w.buyer.goneSince != 0 && w.buyer.goneSince <= now ? "410 Gone" : "502 Bad Gateway";
            if (w.attempts >= MAX_ATTEMPTS) {
                gaveUp++;
                deadLetters.addLast(new DeadLetter(w.id, w.buyer.buyerId, w.lastError, w.attempts, now));
                if (deadLetters.size() > DEAD_CAP) deadLetters.removeFirst();
                return;
            }
            w.nextAttemptAt = now + Math.min(30 * SECOND << (w.attempts - 1), 30 * MINUTE);
            queue.add(w);
            maxQueue = Math.max(maxQueue, queue.size());
        }
        void runDue(long upTo, Random net) {
            while (!queue.isEmpty() && queue.peek().nextAttemptAt <= upTo) { PendingWebhook w = queue.poll(); attempt(w, w.nextAttemptAt, net); }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, LabelPage> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabelPage> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Field> FIELDS_BY_CODE = new HashMap<>();

    static final class CoopShop {
        final Map<String, Customer> customers = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final AuctionBoard board = new AuctionBoard();
        final WebhookRetrier webhooks = new WebhookRetrier();
        final ShopOrder[] recentOrders = new ShopOrder[ORDER_RING];
        long orders;
        final LabelCache labels = new LabelCache();
    }

    static CoopShop SERVICE;
    static final String[] ORDER_SQL = {"o.placed_at DESC", "l.sku", "o.total_cents DESC"};
    static final String[][] ORDER_COLS = {{"o.placed_at"}, {"l.sku", "o.placed_at"}, {"o.total_cents"}};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(CoopShop svc, String[] customerIds, Buyer[] buyers, int hours, long start, long end) {
        Random traffic = new Random(67_050_002), board = new Random(67_050_003), net = new Random(67_050_004);
        String[] skus = {"OIL-10ML", "OIL-50ML", "BUNDLE-DRIED", "SACHET-6", "SOAP-BAR", "MIST-100ML", "HONEY-250G", "CANDLE-L"};
        PriorityQueue<long[]> closing = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        Map<Long, BoardSession> byNo = new HashMap<>();
        int orders = ORDERS_PER_HOUR * hours, sessionsEvery = ORDERS_PER_HOUR / SESSIONS_PER_HOUR, webhooksEvery = ORDERS_PER_HOUR / WEBHOOKS_PER_HOUR;
        long nextTick = start;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            while (nextTick <= t) {
                while (!closing.isEmpty() && closing.peek()[0] <= nextTick) { long[] c = closing.poll(); svc.board.disconnect(byNo.remove(c[1]), c[0]); }
                svc.board.publish(new Tick("LOT-" + (nextTick / HOUR % 24), 90 + board.nextDouble() * 40, nextTick));
                nextTick += TICK_EVERY;
            }
            svc.webhooks.runDue(t, net);
            String customer = customerIds[traffic.nextInt(CUSTOMERS)];
            svc.recentOrders[(int) (svc.orders++ % ORDER_RING)] = new ShopOrder(40_000_000L + i, customer, skus[traffic.nextInt(skus.length)], 1 + traffic.nextInt(6), t);
            int shape = traffic.nextInt(4), order = traffic.nextInt(ORDER_SQL.length);
            String p0 = shape == 0 ? "o.customer_id = ?" : shape == 1 ? "o.customer_id = ? AND o.status = ?" : shape == 2 ? "o.country = ? AND o.channel = ?" : "o.placed_at >= ?";
            String sql = "SELECT o.order_no, o.placed_at, l.sku, l.qty FROM orders o JOIN order_lines l ON l.order_no = o.order_no WHERE " + p0
                    + " AND l.qty >= ? AND l.price_cents <= ? ORDER BY " + ORDER_SQL[order] + " LIMIT 50";
            svc.plans.planFor(sql, new String[] {p0, "l.qty >= ?", "l.price_cents <= ?"}, ORDER_COLS[order], t); // bound: customer, status, ... are parameters
            String key = "label-" + traffic.nextInt(3_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new LabelPage(key, new byte[500 + traffic.nextInt(500)], t));
            if (i % sessionsEvery == 0) {
                BoardSession s = svc.board.connect("bs-" + Long.toHexString(0x1a7e_0000L + i), customerIds[traffic.nextInt(CUSTOMERS)], t);
                byNo.put((long) i, s);
                closing.add(new long[] {t + (1 + traffic.nextInt(40)) * MINUTE + traffic.nextInt(60_000), i});
            }
            if (i % webhooksEvery == 0) {
                PendingWebhook w = new PendingWebhook(8_800_000L + i, buyers[traffic.nextInt(BUYERS)], new byte[800 + traffic.nextInt(800)]);
                svc.webhooks.attempt(w, t, net);
            }
        }
        svc.webhooks.runDue(end, net);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(67_050_001);
        String[] varieties = {"Hidcote", "Munstead", "Grosso", "Folgate", "Maillette", "Super"};
        for (int f = 0; f < FIELDS; f++) {
            double[] bloom = new double[64];
            for (int k = 0; k < bloom.length; k++) bloom[k] = rnd.nextDouble();
            String code = "FLD-" + (f / 50) + "-" + (f % 50);
            FIELDS_BY_CODE.put(code, new Field(code, varieties[f % varieties.length], bloom));
        }
        CoopShop svc = new CoopShop();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        String[] countries = {"GB", "FR", "DE", "NL", "IE", "BE", "ES", "IT"};
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU" + (6_100_000 + c * 5);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], countries[c % countries.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        Buyer[] buyers = new Buyer[BUYERS];
        for (int b = 0; b < BUYERS; b++) buyers[b] = new Buyer("WB" + (700 + b));
        for (int g = 0; g < GONE; g++) buyers[g * (BUYERS / GONE)].goneSince = start + (long) rnd.nextInt(50) * MINUTE; // some buyers' endpoints disappear
        simulate(svc, customerIds, buyers, hours, start, end);
        WebhookRetrier wh = svc.webhooks;
        AuctionBoard bd = svc.board;
        System.out.println("stage " + stage + " fields " + FIELDS_BY_CODE.size() + " customers " + svc.customers.size() + " plans " + svc.plans.size() + " (parses " + svc.plans.parses + ", hits " + svc.plans.hits + ") board open " + bd.open.size()
                + " listeners " + bd.listeners.size() + " (opened " + bd.opened + ", closed " + bd.closed + ", ticks " + bd.published + ") webhooks pending " + wh.queue.size() + " (max " + wh.maxQueue + ", sent " + wh.sent + ", delivered " + wh.delivered
                + ", gave up " + wh.gaveUp + ", dead letters kept " + wh.deadLetters.size() + ") orders " + svc.orders + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ")");
        check(FIELDS_BY_CODE.size() == FIELDS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.plans.size() == 12 && svc.plans.parses == 12 && svc.plans.evicted == 0, "parameterized plans");
        check(bd.listeners.size() == bd.open.size() && bd.opened == (long) SESSIONS_PER_HOUR * hours && bd.open.size() < 200, "board listeners of open sessions only");
        check(wh.queue.size() < 200 && wh.deadLetters.size() <= DEAD_CAP && wh.gaveUp > 0, "webhook retries bounded");
        check(svc.orders == (long) ORDERS_PER_HOUR * hours && svc.recentOrders[(int) Math.min(svc.orders, ORDER_RING) - 1] != null, "order ring");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
