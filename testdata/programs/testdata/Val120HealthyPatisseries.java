// hprofscan-dump: name=val120-healthy-patisseries-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val120-healthy-patisseries-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val120-healthy-patisseries jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val120-healthy-patisseries-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 120 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * central-kitchen service of a patisserie chain. Shop reference data, the recipe book, an LRU of
 * printed labels, an LRU of product photos (filling in stage 1), the oven schedule grid, a pool of
 * label-printer buffers, a ring of shop orders (filling in stage 1), the van-loading queue, and
 * look-alikes of the set's leaks done right: bakers' oven-board views subscribe an anonymous
 * listener on the kitchen event bus and unsubscribe it on close; the shop-order consumer retries a
 * failed order at most 5 times and then dead-letters it (a ring of the last 256 for the operators);
 * the pooled database connections' statements are closed after use; the 3 bake workers' MDC-style
 * logging context is cleared in a finally. Stage 1 / 2 / 3 = 1 / 4 / 8 simulated hours.
 * See VALIDATION120.md.
 */
public final class Val120HealthyPatisseries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SHOPS = 900, RECIPES = 20_000, LABEL_CAP = 2_000, PHOTO_CAP = 1_200, POOL = 8, RING = 16_384, STATIONS = 24, CONNECTIONS = 6, WORKERS = 3,
            ORDERS_PER_MINUTE = 150, MAX_ATTEMPTS = 5, DEAD_LETTER_RING = 256;

    record Shop(String code, String town, double[] salesByHalfHour) {}
    record Recipe(String id, String name, String category, int gramsFlour, byte[] method, long revisedAt) {}
    record Label(String key, byte[] zpl, long at) {}
    record Photo(String key, byte[] jpeg, long at) {}
    record ShopOrder(String orderId, String shopCode, String recipeId, int quantity, long at) {}
    record VanLoad(String vanId, String shopCode, int trays, long loadedAt) {}
    record DeadLetter(String messageId, String shopCode, int attempts, String lastError, byte[] payload, long at) {}
    record BakeEvent(int station, String recipeId, int trays, long at) {}

    interface BakeListener { void onBake(BakeEvent e); }

    static final class KitchenEventBus {
        final List<BakeListener> listeners = new ArrayList<>();
        long published;
        void subscribe(BakeListener l) { listeners.add(l); }
        void unsubscribe(BakeListener l) { listeners.remove(l); }
        void publish(BakeEvent e) { published++; for (int i = 0; i < listeners.size(); i++) listeners.get(i).onBake(e); }
    }

    static final class TrayRow { final String recipeId; int trays; long lastBakedAt; TrayRow(String recipeId) { this.recipeId = recipeId; } }

    /** A baker's oven board on a station tablet, from login to logout. */
    static final class OvenBoardView {
        final int station; final String baker; final long openedAt; final Map<String, TrayRow> rows = new HashMap<>(); final byte[] layout;
        BakeListener listener; int repaints;
        OvenBoardView(int station, String baker, long openedAt, byte[] layout) { this.station = station; this.baker = baker; this.openedAt = openedAt; this.layout = layout; }
        void open(KitchenEventBus bus) {
            listener = new BakeListener() {
                @Override public void onBake(BakeEvent e) {
                    if (e.station() != station) return;
                    TrayRow row = rows.computeIfAbsent(e.recipeId(), TrayRow::new);
                    row.trays += e.trays(); row.lastBakedAt = e.at(); repaints++;
                }
            };
            bus.subscribe(listener);
        }
        void close(KitchenEventBus bus) { bus.unsubscribe(listener); listener = null; }
    }

    static final class Statement implements AutoCloseable {
        final DbConnection connection; final String sql; final Object[] params; byte[] resultBuffer;
        Statement(DbConnection connection, String sql, Object[] params) { this.connection = connection; this.sql = sql; this.params = params; }
        @Override public void close() { resultBuffer = null; connection.openStatements.remove(this); }
    }

    static final class DbConnection {
        final int id; final byte[] socketBuffer = new byte[16_384]; final List<Statement> openStatements = new ArrayList<>(); long statements;
        DbConnection(int id) { this.id = id; }
        Statement prepare(String sql, Object... params) { Statement s = new Statement(this, sql, params); openStatements.add(s); statements++; return s; }
    }

    static final class OrderMessage {
        final String messageId; final String shopCode; final byte[] payload; final long receivedAt; int attempts; String lastError;
        OrderMessage(String messageId, String shopCode, byte[] payload, long receivedAt) { this.messageId = messageId; this.shopCode = shopCode; this.payload = payload; this.receivedAt = receivedAt; }
    }

    static final class BadOrder extends RuntimeException { BadOrder(String m) { super(m, null, false, false); } }

    static final class LogContext {
        static final ThreadLocal<Map<String, String>> CONTEXT = ThreadLocal.withInitial(HashMap::new);
    }

    /** A bake worker: prepares the dough sheets of an order's shop on its own thread. */
    static final class BakeWorker {
        final int index; final ThreadPoolExecutor executor; long handled, doughSheets, contextAfter;
        BakeWorker(int index) {
            this.index = index;
            this.executor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> { Thread th = new Thread(r, "bake-worker-" + index); th.setDaemon(true); return th; });
        }
        void handle(ShopOrder o) {
            Map<String, String> mdc = LogContext.CONTEXT.get();
            mdc.put("shop", o.shopCode());
            mdc.put("order", o.orderId());
            mdc.put("timing." + o.orderId(), "start=" + o.at());
            try {
                doughSheets += (o.quantity() + 11) / 12;
                handled++;
            } finally {
                mdc.clear();
                contextAfter = mdc.size();
            }
        }
    }

    static final class LruCache<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        LruCache(int cap) { super(4_096, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class KitchenService {
        final Map<String, Recipe> recipes = new HashMap<>();
        final String[] recipeIds = new String[RECIPES];
        final String[] shopCodes = new String[SHOPS];
        final LruCache<Label> labels = new LruCache<>(LABEL_CAP);
        final LruCache<Photo> photos = new LruCache<>(PHOTO_CAP);
        final int[] ovenSchedule = new int[STATIONS * 96 * 96];
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final ShopOrder[] orders = new ShopOrder[RING];
        final ArrayDeque<VanLoad> vanQueue = new ArrayDeque<>();
        final KitchenEventBus bus = new KitchenEventBus();
        final OvenBoardView[] boards = new OvenBoardView[STATIONS];
        final DbConnection[] connections = new DbConnection[CONNECTIONS];
        final ArrayDeque<OrderMessage> retryQueue = new ArrayDeque<>();
        final DeadLetter[] deadLetters = new DeadLetter[DEAD_LETTER_RING];
        final BakeWorker[] workers = new BakeWorker[WORKERS];
        long orderCount, received, retries, deadLettered, viewsOpened, viewsClosed, loads, vansLeft, bakes;
        int nextConnection;
        long epoch; // start of the simulated period

        KitchenService() { bus.subscribe(e -> ovenSchedule[(e.station() * 96 + (int) ((e.at() - epoch) / 900_000L % 96)) % ovenSchedule.length] += e.trays()); }

        void login(int station, Random r, long t) {
            if (boards[station] != null) { boards[station].close(bus); viewsClosed++; }
            OvenBoardView v = new OvenBoardView(station, "BAKER-" + (100 + r.nextInt(90)), t, new byte[1_024 + r.nextInt(1_024)]);
            v.open(bus);
            boards[station] = v;
            viewsOpened++;
        }

        void onMessage(OrderMessage m, Random r, long t) {
            m.attempts++;
            try {
                if (m.payload[m.payload.length - 1] != '}') throw new BadOrder("order " + m.messageId + " from " + m.shopCode + " is not valid JSON");
                if (r.nextInt(100) < 3) throw new BadOrder("recipe service unavailable");
                accept(m, r, t);
            } catch (BadOrder e) {
                m.lastError = e.getMessage();
                if (m.attempts >= MAX_ATTEMPTS) deadLetters[(int) (deadLettered++ % DEAD_LETTER_RING)] = new DeadLetter(m.messageId, m.shopCode, m.attempts, m.lastError, m.payload, t);
                else retryQueue.addLast(m);
            }
        }

        void retryPass(Random r, long t) {
            int n = retryQueue.size();
            for (int i = 0; i < n; i++) { retries++; onMessage(retryQueue.pollFirst(), r, t); }
        }

        void accept(OrderMessage m, Random r, long t) {
            ShopOrder o = new ShopOrder("SO-" + (9_000_000 + orderCount), m.shopCode, recipeIds[r.nextInt(RECIPES)], 6 + r.nextInt(60), t);
            orders[(int) (orderCount++ % RING)] = o;
            DbConnection c = connections[nextConnection++ % CONNECTIONS];
            try (Statement s = c.prepare("SELECT grams, proof_minutes FROM recipe_step WHERE recipe_id = ?", o.recipeId())) { s.resultBuffer = new byte[200 + r.nextInt(300)]; }
            try (Statement s = c.prepare("INSERT INTO shop_order (id, shop, recipe, qty, at) VALUES (?, ?, ?, ?, ?)", o.orderId(), o.shopCode(), o.recipeId(), o.quantity(), t)) { s.resultBuffer = new byte[16]; }
            BakeWorker w = workers[(int) (orderCount % WORKERS)];
            w.executor.execute(() -> w.handle(o));
            String key = "label-" + r.nextInt(4_000);
            if (labels.get(key) == null) labels.put(key, new Label(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(5) == 0) {
                String pk = "photo-" + r.nextInt(1_500);
                if (photos.get(pk) == null) photos.put(pk, new Photo(pk, new byte[1_500 + r.nextInt(1_000)], t));
            }
        }

        void bake(Random r, long t) {
            BakeEvent e = new BakeEvent(r.nextInt(STATIONS), recipeIds[r.nextInt(RECIPES)], 1 + r.nextInt(8), t);
            bus.publish(e);
            bakes++;
            byte[] buf = printerBuffers.poll();
            buf[(int) (bakes % buf.length)] = (byte) e.trays();
            printerBuffers.add(buf);
        }

        void loadVans(Random r, long t) {
            for (int k = 0; k < 12; k++) { vanQueue.addLast(new VanLoad("VAN-" + (40 + r.nextInt(30)), shopCodes[r.nextInt(SHOPS)], 4 + r.nextInt(20), t)); loads++; }
            while (!vanQueue.isEmpty() && vanQueue.peekFirst().loadedAt() <= t - 20 * MINUTE) { vanQueue.pollFirst(); vansLeft++; }
        }

        void awaitWorkers() throws Exception { for (BakeWorker w : workers) w.executor.submit(() -> { }).get(); }

        int openStatements() { int n = 0; for (DbConnection c : connections) n += c.openStatements.size(); return n; }
    }

    static KitchenService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void expect(long actual, long expected, String what) { if (actual != expected) throw new IllegalStateException("unexpected " + what + ": " + actual + ", the truth table says " + expected); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(120_050_001);
        KitchenService svc = new KitchenService();
        SERVICE = svc;
        svc.epoch = start;
        String[] towns = {"Bath", "York", "Chester", "Durham", "Exeter", "Lincoln", "Oxford", "Winchester", "Ely", "Ludlow"};
        for (int s = 0; s < SHOPS; s++) {
            double[] sales = new double[48];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 800;
            svc.shopCodes[s] = "PAT-" + (500 + s);
            SHOPS_BY_CODE.put(svc.shopCodes[s], new Shop(svc.shopCodes[s], towns[s % towns.length], sales));
        }
        String[] categories = {"viennoiserie", "entremets", "tarte", "macaron", "choux", "pain"};
        for (int i = 0; i < RECIPES; i++) {
            String id = "RCP-" + (30_000 + i);
            svc.recipeIds[i] = id;
            svc.recipes.put(id, new Recipe(id, "Recipe " + i, categories[i % categories.length], 200 + rnd.nextInt(2_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int c = 0; c < CONNECTIONS; c++) svc.connections[c] = new DbConnection(c);
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) svc.workers[w] = new BakeWorker(w);
        Random traffic = new Random(120_050_002), outcomes = new Random(120_050_003), staff = new Random(120_050_004);
        long[] shiftEnd = new long[STATIONS];
        for (int s = 0; s < STATIONS; s++) { svc.login(s, staff, start); shiftEnd[s] = start + (1 + staff.nextInt(120)) * MINUTE; }
        int minutes = hours * 60;
        long seq = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int s = 0; s < STATIONS; s++) if (shiftEnd[s] <= t) { svc.login(s, staff, t); shiftEnd[s] = t + (90 + staff.nextInt(150)) * MINUTE; }
            svc.retryPass(outcomes, t);
            for (int k = 0; k < ORDERS_PER_MINUTE; k++) {
                byte[] payload = new byte[300 + traffic.nextInt(500)];
                payload[0] = '{';
                payload[payload.length - 1] = traffic.nextInt(1_000) < 12 ? (byte) ',' : (byte) '}';
                svc.received++;
                svc.onMessage(new OrderMessage("om-" + Long.toHexString(0x51_0000_0000L + seq++), svc.shopCodes[traffic.nextInt(SHOPS)], payload, t + k * 400L), outcomes, t + k * 400L);
            }
            for (int k = 0; k < 20; k++) svc.bake(traffic, t + k * 3_000L);
            if (m % 5 == 4) svc.loadVans(traffic, t);
            if (m % 60 == 59) svc.awaitWorkers();
        }
        svc.awaitWorkers();
    }

    static String report(int stage) {
        KitchenService svc = SERVICE;
        long handled = 0, context = 0;
        for (BakeWorker w : svc.workers) { handled += w.handled; context += w.contextAfter; }
        int deadLetterRing = 0;
        for (DeadLetter d : svc.deadLetters) if (d != null) deadLetterRing++;
        return "stage " + stage + " shops " + SHOPS_BY_CODE.size() + " recipes " + svc.recipes.size() + " received " + svc.received + " orders " + svc.orderCount + " retries " + svc.retries + " retry-queue " + svc.retryQueue.size()
                + " dead-lettered " + svc.deadLettered + " (ring " + deadLetterRing + ") views " + svc.viewsOpened + "/" + svc.viewsClosed + " listeners " + svc.bus.listeners.size() + " bakes " + svc.bakes
                + " statements open " + svc.openStatements() + " worker orders " + handled + " context " + context + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") photos " + svc.photos.size()
                + " (evicted " + svc.photos.evicted + ") pool " + svc.printerBuffers.size() + " vans " + svc.loads + "/" + svc.vansLeft + " backlog " + svc.vanQueue.size();
    }

    static void verify(int hours) {
        KitchenService svc = SERVICE;
        check(SHOPS_BY_CODE.size() == SHOPS && svc.recipes.size() == RECIPES, "reference data / recipe book");
        check(svc.received == (long) ORDERS_PER_MINUTE * 60 * hours, "messages");
        check(svc.orderCount + svc.deadLettered + svc.retryQueue.size() == svc.received, "every message accepted, dead-lettered or queued");
        check(svc.bus.listeners.size() == STATIONS + 1 && svc.viewsOpened - svc.viewsClosed == STATIONS, "one listener per open board");
        check(svc.openStatements() == 0, "statements closed");
        long handled = 0;
        for (BakeWorker w : svc.workers) { handled += w.handled; check(w.contextAfter == 0, "context of bake-worker-" + w.index); }
        check(handled == svc.orderCount, "worker orders");
        check(svc.labels.size() == LABEL_CAP, "label cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        int stage = hours == 1 ? 0 : hours == 4 ? 1 : 2;
        expect(svc.orderCount, new long[] {8_901, 35_563, 71_131}[stage], "orders");
        expect(svc.deadLettered, new long[] {91, 427, 857}[stage], "dead-lettered");
        expect(Math.min(svc.deadLettered, DEAD_LETTER_RING), new long[] {91, 256, 256}[stage], "dead-letter ring");
        expect(svc.retryQueue.size(), new long[] {8, 10, 12}[stage], "retry queue");
        expect(svc.viewsOpened, new long[] {40, 64, 99}[stage], "oven-board views opened");
        expect(svc.photos.size(), new long[] {1_059, 1_200, 1_200}[stage], "photos");
        expect(svc.vanQueue.size(), 48, "van backlog");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(report(stage));
        verify(hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
