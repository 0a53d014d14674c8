// hprofscan-dump: name=val113-healthy-woolmills jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val113-healthy-woolmills-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Validation set 113 (written blind), HEALTHY: the order, quality-control and buyer-portal service
 * of a worsted spinning mill. Fibre-grade reference data, the yarn-order directory, a shade-card
 * cache at its cap, a pool of dye-recipe buffers, a ring of QC results, the courier queue with a
 * normal backlog, a constant spindle-load grid (one large double[]), and look-alikes of the set's
 * leaks done right: buyer-portal sessions register an inner-class listener on the order-status feed
 * and remove it at logout or expiry; the 4 QC workers collect readings in a per-thread list cleared
 * in a finally; twist settings are memoised under a record key over a bounded key space; lab
 * reports are inflated by readers registered while open and closed in a finally.
 * See VALIDATION113.md.
 */
public final class Val113HealthyWoolMills {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GRADES = 1_000, ORDERS = 20_000, SHADE_CAP = 2_000, POOL = 10, RING = 16_384, WORKERS = 4, SPINDLES = 1_200, HOURS = 10,
            BOBBINS_PER_HOUR = 5_000, SESSIONS_PER_HOUR = 240, REPORTS_PER_HOUR = 120, COURIER_AFTER_MIN = 30;
    static final String[] FIBRES = {"merino 19.5", "merino 21", "corriedale", "bluefaced leicester", "alpaca blend"};
    static final int[] COUNTS_NM = {18, 24, 28, 32, 36, 40, 48, 60};
    static final int[] PLIES = {1, 2, 3};
    static final String[] TWISTS = {"S", "Z"};

    record FibreGrade(String code, String fibre, double[] micronHistogram) {}
    record YarnOrder(String orderNo, String buyer, String shade, byte[] spec, long placedAt) {}
    record ShadeCard(String key, byte[] swatchImage, long at) {}
    record QcReading(String bobbinId, int spindle, double tex, double cvPercent, int thinPlaces, long at) {}
    record QcResult(String bobbinId, String orderNo, double meanTex, double cvPercent, boolean passed, long at) {}
    record Parcel(long id, String orderNo, int cones, long packedAt) {}
    record YarnSpec(String fibre, int countNm, int ply, String twist) {}
    record TwistSetting(YarnSpec spec, int turnsPerMetre, double tensionCn) {}
    record StatusChange(String orderNo, String status, long at) {}
    record LabReport(String reportId, String orderNo, int rows, long at) {}

    interface OrderStatusListener { void statusChanged(StatusChange c); }

    /** A buyer logged in to the portal: watches its own orders' status. */
    static final class PortalSession {
        final String sessionId, buyer; final long expiresAt; final ArrayDeque<StatusChange> notifications = new ArrayDeque<>();
        final OrderStatusListener listener = new StatusListener();
        PortalSession(String sessionId, String buyer, long expiresAt) { this.sessionId = sessionId; this.buyer = buyer; this.expiresAt = expiresAt; }
        final class StatusListener implements OrderStatusListener {
            @Override public void statusChanged(StatusChange c) {
                if (!c.orderNo().endsWith(buyer.substring(buyer.length() - 1))) return;
                notifications.addLast(c);
                if (notifications.size() > 20) notifications.removeFirst();
            }
        }
    }

    static final class OrderStatusFeed {
        final List<OrderStatusListener> listeners = new CopyOnWriteArrayList<>();
        long published;
        void publish(StatusChange c) { published++; for (OrderStatusListener l : listeners) l.statusChanged(c); }
    }

    static final class LabReportReader implements AutoCloseable {
        final Inflater inflater = new Inflater();
        final Set<LabReportReader> open;
        LabReportReader(Set<LabReportReader> open) { this.open = open; open.add(this); }
        String read(byte[] compressed) throws DataFormatException {
            inflater.setInput(compressed);
            byte[] out = new byte[compressed.length * 8 + 1_024];
            int n = inflater.inflate(out);
            if (!inflater.finished()) throw new DataFormatException("lab report larger than expected");
            return new String(out, 0, n, StandardCharsets.US_ASCII);
        }
        @Override public void close() { inflater.end(); open.remove(this); }
    }

    static final class ShadeCache extends LinkedHashMap<String, ShadeCard> {
        long evicted;
        ShadeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShadeCard> e) { if (size() > SHADE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FibreGrade> GRADES_BY_CODE = new HashMap<>();

    static final class MillService {
        final Map<String, YarnOrder> orders = new HashMap<>();
        final String[] orderNos = new String[ORDERS];
        final ShadeCache shadeCards = new ShadeCache();
        final ArrayDeque<byte[]> dyeBuffers = new ArrayDeque<>();
        final QcResult[] qcResults = new QcResult[RING];
        final ArrayDeque<Parcel> courierQueue = new ArrayDeque<>();
        /** Spindle load by spindle and 10-minute slot over 2.8 days; constant size. */
        final double[] spindleLoad = new double[SPINDLES * 400];
        final Map<YarnSpec, TwistSetting> twistMemo = new HashMap<>();
        final OrderStatusFeed feed = new OrderStatusFeed();
        final Map<String, PortalSession> sessions = new LinkedHashMap<>();
        final ThreadLocal<List<QcReading>> readings = ThreadLocal.withInitial(ArrayList::new);
        final Set<LabReportReader> openReaders = ConcurrentHashMap.newKeySet();
        final AtomicInteger workerIds = new AtomicInteger();
        final ExecutorService qcWorkers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread th = new Thread(r, "qc-worker-" + workerIds.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        final AtomicLong readingsTaken = new AtomicLong();
        long bobbins, passed, parcels, parcelsSent, sessionsOpened, sessionsClosed, reports, reportRows, twistLookups;

        TwistSetting twist(YarnSpec spec) {
            twistLookups++;
            return twistMemo.computeIfAbsent(spec, s -> new TwistSetting(s, (int) (80 * Math.sqrt(s.countNm()) * (s.ply() == 1 ? 1.0 : 0.85)), 8.0 + s.countNm() / 10.0));
        }

        /** Runs on a QC worker: measures one bobbin on the evenness tester. */
        QcResult measure(String bobbinId, String orderNo, int spindle, long seed, long t) {
            List<QcReading> list = readings.get();
            try {
                Random r = new Random(seed);
                int n = 20 + r.nextInt(20);
                double drift = r.nextInt(25) == 0 ? 3.5 : 0; // a worn drafting apron on this spindle
                for (int i = 0; i < n; i++) list.add(new QcReading(bobbinId, spindle, 20 + r.nextDouble() * 5, 9 + r.nextDouble() * 6 + drift, r.nextInt(12), t));
                double sum = 0, cv = 0;
                for (QcReading q : list) { sum += q.tex(); cv += q.cvPercent(); }
                readingsTaken.addAndGet(list.size());
                return new QcResult(bobbinId, orderNo, sum / list.size(), cv / list.size(), cv / list.size() < 14.0, t);
            } finally {
                list.clear();
            }
        }

        void openSession(Random r, long t) {
            String buyer = "BUY-" + (1_000 + r.nextInt(900));
            PortalSession s = new PortalSession("ps-" + Long.toHexString(0x6600_0000L + sessionsOpened++), buyer, t + (5 + r.nextInt(40)) * MINUTE);
            feed.listeners.add(s.listener);
            sessions.put(s.sessionId, s);
        }

        void expireSessions(long t) {
            for (Iterator<PortalSession> it = sessions.values().iterator(); it.hasNext(); ) {
                PortalSession s = it.next();
                if (s.expiresAt > t) continue;
                it.remove();
                feed.listeners.remove(s.listener);
                sessionsClosed++;
            }
        }

        void labReport(byte[] compressed, String orderNo, long t) throws DataFormatException {
            try (LabReportReader reader = new LabReportReader(openReaders)) {
                String csv = reader.read(compressed);
                reports++;
                reportRows += csv.split("\n").length - 1;
                feed.publish(new StatusChange(orderNo, "lab-tested", t));
            }
        }

        void minute(Random r, long t, int m, byte[][] labReports) throws Exception {
            int sessionsNow = (int) (((long) (m + 1) * SESSIONS_PER_HOUR) / 60 - ((long) m * SESSIONS_PER_HOUR) / 60);
            for (int k = 0; k < sessionsNow; k++) openSession(r, t);
            int bobbinsNow = (int) (((long) (m + 1) * BOBBINS_PER_HOUR) / 60 - ((long) m * BOBBINS_PER_HOUR) / 60);
            List<Callable<QcResult>> tasks = new ArrayList<>(bobbinsNow);
            for (int k = 0; k < bobbinsNow; k++) {
                String bobbin = "BB" + (80_000_000L + bobbins + k), orderNo = orderNos[r.nextInt(ORDERS)];
                int spindle = r.nextInt(SPINDLES);
                long seed = r.nextLong();
                spindleLoad[spindle * 400 + (m % 400)] += 1.0;
                twist(new YarnSpec(FIBRES[r.nextInt(FIBRES.length)], COUNTS_NM[r.nextInt(COUNTS_NM.length)], PLIES[r.nextInt(PLIES.length)], TWISTS[r.nextInt(TWISTS.length)]));
                tasks.add(() -> measure(bobbin, orderNo, spindle, seed, t));
            }
            for (Future<QcResult> f : qcWorkers.invokeAll(tasks)) {
                QcResult q = f.get();
                qcResults[(int) (bobbins++ % RING)] = q;
                if (q.passed()) passed++;
                if (bobbins % 50 == 0) {
                    courierQueue.addLast(new Parcel(900_000L + parcels++, q.orderNo(), 12 + r.nextInt(36), t));
                    feed.publish(new StatusChange(q.orderNo(), "packed", t));
                }
            }
            for (int k = 0; k < 12; k++) {
                String key = "shade-" + r.nextInt(6_000);
                if (shadeCards.get(key) == null) {
                    byte[] buf = dyeBuffers.poll();
                    buf[(int) ((bobbins + k) % buf.length)] = (byte) k;
                    dyeBuffers.add(buf);
                    shadeCards.put(key, new ShadeCard(key, new byte[500 + r.nextInt(500)], t));
                }
            }
            for (int k = 0; k < REPORTS_PER_HOUR / 60; k++) labReport(labReports[r.nextInt(labReports.length)], orderNos[r.nextInt(ORDERS)], t);
            while (!courierQueue.isEmpty() && courierQueue.peekFirst().packedAt() + COURIER_AFTER_MIN * MINUTE <= t) { courierQueue.removeFirst(); parcelsSent++; }
            expireSessions(t);
        }

        /** One probe per worker (they wait for each other): readings left in any worker's list. */
        int readingsLeft() throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Callable<Integer>> probes = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) probes.add(() -> { int left = readings.get().size(); barrier.await(); return left; });
            int left = 0;
            for (Future<Integer> f : qcWorkers.invokeAll(probes)) left += f.get();
            return left;
        }
    }

    static MillService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static byte[] compressedLabReport(Random r, int k) {
        StringBuilder sb = new StringBuilder("sample,micron,cv,crimp,strength_nktex,vm_percent\n");
        int rows = 40 + r.nextInt(80);
        for (int i = 0; i < rows; i++) sb.append("LR").append(k).append('-').append(i).append(',').append(17 + r.nextInt(80) / 10.0).append(',').append(18 + r.nextInt(60) / 10.0)
                .append(',').append(4 + r.nextInt(8)).append(',').append(30 + r.nextInt(20)).append(',').append(r.nextInt(30) / 10.0).append('\n');
        byte[] plain = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Deflater d = new Deflater();
        try {
            d.setInput(plain);
            d.finish();
            byte[] out = new byte[plain.length + 64];
            return Arrays.copyOf(out, d.deflate(out));
        } finally {
            d.end();
        }
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(113_060_001);
        for (int g = 0; g < GRADES; g++) {
            double[] hist = new double[40];
            for (int k = 0; k < hist.length; k++) hist[k] = rnd.nextDouble() * 100;
            String code = "FG-" + (5_000 + g * 3);
            GRADES_BY_CODE.put(code, new FibreGrade(code, FIBRES[g % FIBRES.length], hist));
        }
        MillService svc = new MillService();
        SERVICE = svc;
        for (int i = 0; i < ORDERS; i++) {
            svc.orderNos[i] = "YO-" + (240_000 + i * 3);
            svc.orders.put(svc.orderNos[i], new YarnOrder(svc.orderNos[i], "BUY-" + (1_000 + i % 900), "shade-" + (i % 6_000), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(120)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.dyeBuffers.add(new byte[32_768]);
        byte[][] labReports = new byte[40][];
        for (int k = 0; k < labReports.length; k++) labReports[k] = compressedLabReport(rnd, k);
        Random traffic = new Random(113_060_002);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) svc.minute(traffic, start + m * MINUTE, m, labReports);
    }

    public static void main(String[] args) throws Exception {
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() throws Exception {
        MillService svc = SERVICE;
        int left = svc.readingsLeft();
        int live = svc.sessions.size();
        System.out.println("grades " + GRADES_BY_CODE.size() + " orders " + svc.orders.size() + " bobbins " + svc.bobbins + " passed " + svc.passed + " readings " + svc.readingsTaken.get() + " left " + left
                + " twist settings " + svc.twistMemo.size() + " (lookups " + svc.twistLookups + ") portal sessions " + svc.sessionsOpened + " closed " + svc.sessionsClosed + " live " + live
                + " listeners " + svc.feed.listeners.size() + " status changes " + svc.feed.published + " lab reports " + svc.reports + " (" + svc.reportRows + " rows) open readers " + svc.openReaders.size()
                + " parcels " + svc.parcels + " sent " + svc.parcelsSent + " backlog " + svc.courierQueue.size() + " shade cards " + svc.shadeCards.size() + " (evicted " + svc.shadeCards.evicted
                + ") pool " + svc.dyeBuffers.size());
        check(GRADES_BY_CODE.size() == GRADES && svc.orders.size() == ORDERS, "reference data / directory");
        check(svc.bobbins == (long) BOBBINS_PER_HOUR * HOURS && left == 0, "QC readings cleared");
        check(svc.twistMemo.size() <= FIBRES.length * COUNTS_NM.length * PLIES.length * TWISTS.length && svc.twistLookups == svc.bobbins, "twist memo bounded");
        check(svc.sessionsOpened == (long) SESSIONS_PER_HOUR * HOURS && svc.sessionsClosed + live == svc.sessionsOpened && svc.feed.listeners.size() == live, "portal sessions");
        check(svc.openReaders.isEmpty() && svc.reports == (long) REPORTS_PER_HOUR * HOURS, "lab report readers closed");
        check(svc.shadeCards.size() == SHADE_CAP && svc.shadeCards.evicted > 0, "shade cache at cap");
        check(svc.dyeBuffers.size() == POOL, "pool");
        check(svc.qcResults[RING - 1] != null, "ring");
        check(!svc.courierQueue.isEmpty() && svc.parcelsSent > 0, "courier backlog");
    }
}
