// hprofscan-dump: name=val55-healthy-ballparks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val55-healthy-ballparks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val55-healthy-ballparks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val55-healthy-ballparks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.function.IntUnaryOperator;

/**
 * Validation set 55 (written blind), HEALTHY: the concessions and mobile-ordering service of a
 * baseball park operator. Stand reference data, the fan-account directory, a cache of rendered menu
 * boards at its cap, a pool of kitchen-printer buffers, a ring of recent sales (filling in stage 1,
 * full from stage 2), and look-alikes done right: a WeakHashMap of per-app-session attachments
 * whose values hold only the session id (entries go away with their sessions), a dead-letter
 * holder for orders the kitchen display system rejected during a short outage that a retry job
 * drained once the system was back, a per-thread scratch buffer and per-request context on the
 * main thread (the context removed after each request), and a price-board module reloaded every
 * 30 minutes into a new class loader whose gauge replaces the previous one in the registry (only
 * the current generation stays). See VALIDATION55.md.
 */
public final class Val55HealthyBallparks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STANDS = 1_400, FANS = 26_000, BOARD_CAP = 2_000, POOL = 8, SALES_RING = 65_536, SALES_PER_HOUR = 20_000, SESSIONS_PER_HOUR = 2_400;
    static final long RELOAD_EVERY = 30 * MINUTE, OUTAGE_BEFORE_END = 50 * MINUTE, OUTAGE_LENGTH = 10 * MINUTE;
    static final String BOARD_CLASS = "testdata.Val55HealthyBallparks$PriceBoard";

    record Stand(String code, String section, double[] hourlyDemand) {}
    record FanAccount(String fanId, String tier, byte[] preferences, long joinedAt) {}
    record MenuBoard(String key, byte[] rendered, long at) {}
    record Sale(long saleId, String standCode, String fanId, int cents, long at) {}
    record KitchenOrder(long orderId, String standCode, long at) {}

    static final class AppSession {
        final String sessionId, fanId; final long openedAt, closesAt;
        AppSession(String sessionId, String fanId, long openedAt, long closesAt) { this.sessionId = sessionId; this.fanId = fanId; this.openedAt = openedAt; this.closesAt = closesAt; }
    }
    /** Holds only the session id, never the session itself. */
    record SeatAttachment(String sessionId, byte[] seatMap, long at) {}
    record ParkedOrder(KitchenOrder order, byte[] ticket, String error, long parkedAt) {}
    record RequestContext(String fanId, long at, byte[] trace) {}

    public static final class PriceBoard implements IntUnaryOperator {
        public static final int[] PRICES = new int[8_192];
        static { for (int i = 0; i < PRICES.length; i++) PRICES[i] = 300 + (i * 17) % 900; }
        public final long[] happyHours = new long[2_048];
        @Override public int applyAsInt(int item) { return PRICES[item & (PRICES.length - 1)]; }
    }

    static final class BoardLoader extends ClassLoader {
        final int generation; final byte[] template; private final byte[] classBytes;
        BoardLoader(int generation, byte[] template, byte[] classBytes) {
            super("price-board-gen-" + generation, Val55HealthyBallparks.class.getClassLoader());
            this.generation = generation; this.template = template; this.classBytes = classBytes;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(BOARD_CLASS)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, classBytes, 0, classBytes.length);
                return c;
            }
        }
    }

    static final class Registry {
        static final Map<String, IntUnaryOperator> GAUGES = new LinkedHashMap<>();
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
    static final ThreadLocal<RequestContext> CONTEXT = new ThreadLocal<>();

    static final Map<String, Stand> STANDS_BY_CODE = new HashMap<>();

    static final class ConcessionService {
        final Map<String, FanAccount> fans = new HashMap<>();
        final LinkedHashMap<String, MenuBoard> boards = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, MenuBoard> e) { if (size() > BOARD_CAP) { boardsEvicted++; return true; } return false; }
        };
        long boardsEvicted;
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Sale[] sales = new Sale[SALES_RING];
        long salesWritten;
        final Map<String, AppSession> openSessions = new HashMap<>();
        final PriorityQueue<AppSession> closing = new PriorityQueue<>((a, b) -> Long.compare(a.closesAt, b.closesAt));
        final WeakHashMap<AppSession, SeatAttachment> attachments = new WeakHashMap<>();
        final List<ParkedOrder> deadLetters = new ArrayList<>();
        long parkedEver, redelivered, kitchenOrders;
        IntUnaryOperator priceBoard; BoardLoader boardLoader; int boardGeneration = -1;
        long sessionsOpened, sessionsClosed;

        void closeUntil(long t) {
            while (!closing.isEmpty() && closing.peek().closesAt <= t) { openSessions.remove(closing.poll().sessionId); sessionsClosed++; }
        }
        void reloadBoard(byte[] classBytes, Random rnd) throws Exception {
            int gen = boardGeneration + 1;
            BoardLoader loader = new BoardLoader(gen, new byte[20_000 + rnd.nextInt(10_000)], classBytes);
            IntUnaryOperator board = (IntUnaryOperator) loader.loadClass(BOARD_CLASS).getConstructor().newInstance();
            Registry.GAUGES.put("price-board.current", board); // replaces the previous generation's gauge
            priceBoard = board; boardLoader = loader; boardGeneration = gen;
        }
        void retryDeadLetters() {
            for (ParkedOrder p : deadLetters) { kitchenOrders++; redelivered++; }
            deadLetters.clear();
        }
    }

    static ConcessionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        long outageFrom = end - OUTAGE_BEFORE_END, outageTo = outageFrom + OUTAGE_LENGTH;
        byte[] classBytes;
        try (InputStream in = Val55HealthyBallparks.class.getResourceAsStream("Val55HealthyBallparks$PriceBoard.class")) { classBytes = in.readAllBytes(); }
        Random rnd = new Random(55_050_001);
        String[] standCodes = new String[STANDS];
        for (int s = 0; s < STANDS; s++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 200;
            String code = "STD-" + (100 + s);
            standCodes[s] = code;
            STANDS_BY_CODE.put(code, new Stand(code, "Section " + (s % 120), demand));
        }
        ConcessionService svc = new ConcessionService();
        SERVICE = svc;
        String[] fanIds = new String[FANS];
        String[] tiers = {"bleacher", "season", "club", "suite"};
        for (int f = 0; f < FANS; f++) {
            String id = "FAN" + (3_000_000 + f);
            fanIds[f] = id;
            svc.fans.put(id, new FanAccount(id, tiers[f % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        for (int g = 0; g < 20; g++) { final int k = g; Registry.GAUGES.put("pool.printer." + k, x -> svc.printerBuffers.size() + k); }
        Random templates = new Random(55_050_003);
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        svc.reloadBoard(classBytes, templates);
        loaders.add(new WeakReference<>(svc.boardLoader));
        long nextReload = start + RELOAD_EVERY;
        Random traffic = new Random(55_050_002);
        int sales = SALES_PER_HOUR * hours;
        boolean retried = false;
        long sessionSeq = 0;
        for (int i = 0; i < sales; i++) {
            long t = start + (end - MINUTE - start) * i / sales;
            while (nextReload <= t) { svc.reloadBoard(classBytes, templates); loaders.add(new WeakReference<>(svc.boardLoader)); nextReload += RELOAD_EVERY; }
            svc.closeUntil(t);
            if (!retried && t >= outageTo + 2 * MINUTE) { svc.retryDeadLetters(); retried = true; }
            String fan = fanIds[traffic.nextInt(FANS)];
            CONTEXT.set(new RequestContext(fan, t, new byte[64]));
            try {
                byte[] scratch = SCRATCH.get();
                scratch[i % scratch.length] = (byte) i;
                String stand = standCodes[traffic.nextInt(STANDS)];
                int cents = svc.priceBoard.applyAsInt(traffic.nextInt(10_000));
                svc.sales[(int) (svc.salesWritten++ % SALES_RING)] = new Sale(5_000_000_000L + i, stand, fan, cents, t);
                if (i % 4 == 0) {
                    KitchenOrder ko = new KitchenOrder(7_000_000L + i, stand, t);
                    if (t >= outageFrom && t < outageTo) { svc.deadLetters.add(new ParkedOrder(ko, new byte[200 + traffic.nextInt(200)], "kitchen display unreachable", t)); svc.parkedEver++; }
                    else svc.kitchenOrders++;
                }
                if (i % 25 == 0) { // an app session opens (seat-to-stand ordering), 20-79 minutes
                    String sid = "APP-" + (sessionSeq++ + 10_000_000L);
                    AppSession s = new AppSession(sid, fan, t, t + (20 + traffic.nextInt(60)) * MINUTE);
                    svc.openSessions.put(sid, s); svc.closing.add(s); svc.sessionsOpened++;
                    svc.attachments.put(s, new SeatAttachment(sid, new byte[300 + traffic.nextInt(300)], t));
                }
                String key = stand + "/board-" + traffic.nextInt(8);
                if (svc.boards.get(key) == null) svc.boards.put(key, new MenuBoard(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.printerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printerBuffers.add(buf);
            } finally {
                CONTEXT.remove();
            }
        }
        svc.closeUntil(end);
        int gens = svc.boardGeneration + 1;
        int alive = 0;
        for (int k = 0; k < 400; k++) {
            System.gc();
            alive = 0;
            for (WeakReference<ClassLoader> w : loaders) if (w.get() != null) alive++;
            if (alive == 1 && svc.attachments.size() == svc.openSessions.size()) break;
            Thread.sleep(20);
        }
        System.out.println("stage " + stage + " stands " + STANDS_BY_CODE.size() + " fans " + svc.fans.size() + " sales " + svc.salesWritten + " sessions opened " + svc.sessionsOpened + " open " + svc.openSessions.size()
                + " attachments " + svc.attachments.size() + " kitchen " + svc.kitchenOrders + " parkedEver " + svc.parkedEver + " redelivered " + svc.redelivered + " deadLetters " + svc.deadLetters.size()
                + " board generations " + gens + " alive " + alive + " gauges " + Registry.GAUGES.size() + " boards " + svc.boards.size() + " (evicted " + svc.boardsEvicted + ") pool " + svc.printerBuffers.size());
        check(STANDS_BY_CODE.size() == STANDS && svc.fans.size() == FANS, "reference data / directory");
        check(svc.salesWritten == sales && (stage == 1 || svc.sales[SALES_RING - 1] != null), "sales ring");
        check(svc.attachments.size() == svc.openSessions.size() && svc.closing.size() == svc.openSessions.size() && svc.sessionsOpened == svc.sessionsClosed + svc.openSessions.size(), "attachments follow sessions");
        check(svc.deadLetters.isEmpty() && svc.redelivered == svc.parkedEver && svc.parkedEver > 0, "dead letters drained");
        check(alive == 1 && gens == hours * 2 && Registry.GAUGES.size() == 21, "one price-board generation: " + alive + " of " + gens);
        check(CONTEXT.get() == null, "request context removed");
        check(svc.boards.size() == BOARD_CAP && svc.boardsEvicted > 0, "board cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        LeakCheck.histogram("price-board", "BoardLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
