// hprofscan-dump: name=val151-healthy-teablending-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val151-healthy-teablending-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val151-healthy-teablending jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val151-healthy-teablending-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 151 (written blind), HEALTHY: the order service of a tea-blending subscription
 * business. Estate reference data, the subscriber directory, a cache of rendered tin labels at its
 * cap, a pool of label-printer buffers, a ring of the last order events, a fixed pool of 3 database
 * connections whose prepared-statement caches are keyed by parameterised SQL (a fixed set of 14),
 * a string canonicalizer over closed vocabularies (origin country codes, leaf grades, flavour
 * notes), and a fixed pool of 4 worker threads with a per-thread order context (a static
 * ThreadLocal) whose breadcrumb list is cleared in a finally block after every task, failed or not.
 * Warms up, then plateaus. See VALIDATION151.md.
 */
public final class Val151HealthyTeaBlending {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ESTATES = 1_300, SUBSCRIBERS = 25_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 4, CONNECTIONS = 3,
            ORDERS_PER_HOUR = 6_000;
    static final String[] COUNTRIES = {"CN", "IN", "LK", "JP", "KE", "TW", "NP", "VN", "ID", "MW", "RW", "TZ", "UG", "BD", "MM", "TH", "KR", "GE", "TR", "AR", "ZA", "MZ"};
    static final String[] GRADES = {"FTGFOP1", "TGFOP", "GFOP", "FOP", "OP", "BOP", "BOPF", "FBOP", "PEKOE", "DUST", "FANNINGS", "CTC-BP1"};
    static final String[] NOTES = {"malty", "floral", "muscatel", "smoky", "grassy", "citrus", "honey", "stone fruit", "toasty", "marine", "chestnut", "cocoa",
        "jasmine", "bergamot", "rose", "vanilla", "ginger", "cardamom", "mint", "lemongrass", "hibiscus", "orange peel", "caramel", "woody"};
    static final String[] SQL = {
        "SELECT s.id, s.plan, s.next_box FROM subscribers s WHERE s.id = ?",
        "INSERT INTO orders (order_no, subscriber_id, blend, grams, at) VALUES (?, ?, ?, ?, ?)",
        "UPDATE stock SET grams = grams - ? WHERE estate = ? AND grade = ?",
        "SELECT b.blend_code, b.recipe FROM blends b WHERE b.blend_code = ?",
        "INSERT INTO order_lines (order_no, estate, grade, grams) VALUES (?, ?, ?, ?)",
        "SELECT st.grams FROM stock st WHERE st.estate = ? AND st.grade = ?",
        "UPDATE subscribers SET next_box = ? WHERE id = ?",
        "INSERT INTO payments (order_no, amount, at) VALUES (?, ?, ?)",
        "SELECT p.code, p.discount FROM promotions p WHERE p.code = ? AND p.valid_until > ?",
        "INSERT INTO shipments (order_no, carrier, label_no, at) VALUES (?, ?, ?, ?)",
        "SELECT COUNT(*) FROM orders o WHERE o.subscriber_id = ? AND o.at > ?",
        "UPDATE blends SET last_mixed = ? WHERE blend_code = ?",
        "INSERT INTO audit_log (actor, action, at) VALUES (?, ?, ?)",
        "SELECT o.order_no, o.status FROM orders o WHERE o.order_no = ?",
    };
    static final String[] STEPS = {"load-subscriber", "load-blend", "reserve-stock", "price", "charge", "label", "ship", "notify"};

    record Estate(String code, String country, double[] yieldByWeek) {}
    record Subscriber(String id, String plan, byte[] preferences, long since) {}
    record TinLabel(String key, byte[] rendered, long at) {}
    record OrderEvent(String orderNo, String subscriberId, String blend, String country, String grade, long at) {}
    record Order(long seq, String orderNo, String subscriberId, String blend, String country, String grade, String note, long at, int steps, boolean declined) {}
    record Breadcrumb(String orderNo, String step, long at, byte[] detail) {}

    static final class PaymentDeclined extends Exception { PaymentDeclined() { super("card declined", null, false, false); } }

    static final class OrderContext {
        final ArrayList<Breadcrumb> crumbs = new ArrayList<>();
        long tasks, declined;
    }

    static final ThreadLocal<OrderContext> CONTEXT = ThreadLocal.withInitial(OrderContext::new);

    static final class Statement { final String sql; final byte[] plan; long executions; Statement(String sql, byte[] plan) { this.sql = sql; this.plan = plan; } }

    static final class DbConnection {
        final Map<String, Statement> statementCache = new HashMap<>();
        synchronized void execute(String sql) {
            Statement st = statementCache.get(sql);
            if (st == null) statementCache.put(sql, st = new Statement(sql, new byte[120 + (sql.hashCode() & 0x7f)]));
            st.executions++;
        }
    }

    /** Canonical instances of closed-vocabulary strings (countries, grades, notes). */
    static final class Vocabulary {
        final ConcurrentHashMap<String, String> canonical = new ConcurrentHashMap<>();
        String canon(String s) { String p = canonical.putIfAbsent(s, s); return p == null ? s : p; }
    }

    static final class LabelCache extends LinkedHashMap<String, TinLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TinLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Estate> ESTATES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final OrderEvent[] events = new OrderEvent[RING];
        final DbConnection[] connections = new DbConnection[CONNECTIONS];
        final Vocabulary vocabulary = new Vocabulary();
        long logged, declined;
        ThreadPoolExecutor workers;

        void handle(Order o) {
            OrderContext ctx = CONTEXT.get();
            ctx.tasks++;
            try {
                process(ctx, o);
            } catch (PaymentDeclined e) {
                ctx.declined++;
                synchronized (this) { declined++; }
            } finally {
                ctx.crumbs.clear(); // every task, failed or not
            }
        }

        void process(OrderContext ctx, Order o) throws PaymentDeclined {
            DbConnection c = connections[(int) (o.seq() % CONNECTIONS)];
            for (int s = 0; s < o.steps(); s++) {
                ctx.crumbs.add(new Breadcrumb(o.orderNo(), STEPS[s], o.at() + 25L * s, new byte[24 + (int) ((o.seq() * 13 + s) % 32)]));
                c.execute(SQL[(int) ((o.seq() + s * 5) % SQL.length)]);
            }
            if (o.declined()) throw new PaymentDeclined();
            String country = vocabulary.canon(o.country()), grade = vocabulary.canon(o.grade());
            vocabulary.canon(o.note());
            synchronized (this) {
                String key = "tin-" + o.blend() + "-" + grade;
                if (labels.get(key) == null) labels.put(key, new TinLabel(key, new byte[400 + (int) (o.seq() % 400)], o.at()));
                byte[] buf = labelBuffers.poll();
                buf[(int) (o.seq() % buf.length)] = (byte) o.seq();
                labelBuffers.add(buf);
                events[(int) (logged++ % RING)] = new OrderEvent(o.orderNo(), o.subscriberId(), o.blend(), country, grade, o.at());
            }
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int orders = ORDERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(151_050_001);
        String[] estateCodes = new String[ESTATES];
        for (int e = 0; e < ESTATES; e++) {
            double[] yield = new double[64];
            for (int k = 0; k < yield.length; k++) yield[k] = rnd.nextDouble() * 500;
            String code = "EST-" + (2_000 + e);
            estateCodes[e] = code;
            ESTATES_BY_CODE.put(code, new Estate(code, COUNTRIES[e % COUNTRIES.length], yield));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        for (int c = 0; c < CONNECTIONS; c++) svc.connections[c] = new DbConnection();
        String[] subscriberIds = new String[SUBSCRIBERS];
        String[] plans = {"monthly-100g", "monthly-250g", "fortnightly-100g", "quarterly-500g"};
        for (int s = 0; s < SUBSCRIBERS; s++) {
            String id = "SUB-" + (800_000 + s);
            subscriberIds[s] = id;
            svc.subscribers.put(id, new Subscriber(id, plans[s % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "blend-worker-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        svc.workers.prestartAllCoreThreads();

        Random traffic = new Random(151_050_002);
        CountDownLatch done = new CountDownLatch(orders);
        long expectedDeclined = 0;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            boolean declined = traffic.nextInt(12) == 0;
            if (declined) expectedDeclined++;
            // country codes, grades and notes arrive as fresh strings from the order JSON
            Order o = new Order(i, "TB-" + (40_000_000 + i), subscriberIds[traffic.nextInt(SUBSCRIBERS)], "BL-" + traffic.nextInt(900),
                    new String(COUNTRIES[traffic.nextInt(COUNTRIES.length)]), new String(GRADES[traffic.nextInt(GRADES.length)]),
                    new String(NOTES[traffic.nextInt(NOTES.length)]), t, 5 + traffic.nextInt(4), declined);
            svc.workers.execute(() -> {
                try { SERVICE.handle(o); } finally { done.countDown(); }
            });
        }
        check(done.await(120, TimeUnit.SECONDS), "orders not all served");

        CyclicBarrier barrier = new CyclicBarrier(WORKERS);
        CountDownLatch probed = new CountDownLatch(WORKERS);
        AtomicLong crumbSum = new AtomicLong(), taskSum = new AtomicLong();
        AtomicInteger contexts = new AtomicInteger();
        for (int w = 0; w < WORKERS; w++) {
            svc.workers.execute(() -> {
                try {
                    OrderContext ctx = CONTEXT.get();
                    crumbSum.addAndGet(ctx.crumbs.size());
                    taskSum.addAndGet(ctx.tasks);
                    contexts.incrementAndGet();
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    probed.countDown();
                }
            });
        }
        check(probed.await(60, TimeUnit.SECONDS) && contexts.get() == WORKERS, "probes");
        int statements = 0;
        for (int c = 0; c < CONNECTIONS; c++) statements += svc.connections[c].statementCache.size();
        int vocab = svc.vocabulary.canonical.size();
        System.out.println("stage " + stage + " estates " + ESTATES_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " orders " + orders
                + " declined " + svc.declined + " breadcrumbs held " + crumbSum.get() + " statements " + statements + " vocabulary " + vocab
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.labelBuffers.size() + " events " + svc.logged);
        check(ESTATES_BY_CODE.size() == ESTATES && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        check(taskSum.get() == orders && svc.declined == expectedDeclined && svc.logged == orders - expectedDeclined, "traffic");
        check(crumbSum.get() == 0, "contexts cleared after every task: " + crumbSum.get());
        check(statements == CONNECTIONS * SQL.length, "statement caches hold the fixed set: " + statements);
        check(vocab == COUNTRIES.length + GRADES.length + NOTES.length, "closed vocabulary: " + vocab);
        check(svc.labelBuffers.size() == POOL, "pool");
        if (stage > 1) check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0 && svc.events[RING - 1] != null, "cache at cap, ring full");
        svc = null; subscriberIds = null; estateCodes = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
