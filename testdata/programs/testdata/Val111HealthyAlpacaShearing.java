// hprofscan-dump: name=val111-healthy-alpacashearing-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val111-healthy-alpacashearing-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val111-healthy-alpacashearing jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val111-healthy-alpacashearing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.MemoryHandler;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;

/**
 * Validation set 111 (written blind), HEALTHY: the booking and fleece-tracking service of a mobile
 * alpaca-shearing contractor. Farm reference data, the animal directory (ear tags), a cache of
 * fleece-bag labels at its cap, a pool of scale buffers, a ring of shearings (filling in stage 1,
 * wrapping from stage 2), and look-alikes of the set's leaks done right: a static Logger with one
 * MemoryHandler ring added at startup, and a per-request capture handler removed in a finally that
 * covers every path; a PriorityBlockingQueue of fleece events drained every minute by a live shipper
 * thread (it holds the last minute's events at the dump); farmer-portal sessions that register a
 * listener on the memory MXBean and remove it both on logout and on idle expiry.
 * Series: 1 h / 4 h / 8 h. See VALIDATION111.md.
 */
public final class Val111HealthyAlpacaShearing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int FARMS = 1_000, ANIMALS = 22_000, LABEL_CAP = 2_000, POOL = 8, RING = 8_192, CONSOLE_RECORDS = 1_000, CAPTURE_RECORDS = 32;
    static final int SHEARINGS_PER_HOUR = 4_000, SESSIONS_PER_HOUR = 300;

    record Farm(String code, String region, double[] herdByMonth) {}
    record Alpaca(String earTag, String farmCode, String name, byte[] fleeceHistory, long bornAt) {}
    record Label(String key, byte[] rendered, long at) {}
    record Shearing(String earTag, String farmCode, String shearer, int fleeceGrams, int micron, long at) {}
    record FleeceEvent(long seq, String earTag, String bagId, int grams, long at, byte[] payload) {}
    record SessionEnd(long at, String sessionId, boolean logout) {}

    static final class RequestContext {
        final String requestId; final String earTag; final long receivedAt; final byte[] body;
        RequestContext(String requestId, String earTag, long receivedAt, byte[] body) { this.requestId = requestId; this.earTag = earTag; this.receivedAt = receivedAt; this.body = body; }
    }
    static final class IncidentCapture extends Handler {
        final RequestContext context; final List<String> lines = new ArrayList<>();
        IncidentCapture(RequestContext context) { this.context = context; }
        @Override public void publish(LogRecord r) { lines.add(context.requestId + " " + r.getMessage()); }
        @Override public void flush() {}
        @Override public void close() { lines.clear(); }
    }
    /** Where the startup MemoryHandler pushes its ring (the ops console); nothing is pushed in normal operation. */
    static final class OpsConsoleHandler extends Handler {
        long published;
        @Override public void publish(LogRecord r) { published++; }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class PortalSession {
        final String sessionId; final String farmCode; final long openedAt; byte[] draftBooking; DraftSaver listener;
        PortalSession(String sessionId, String farmCode, long openedAt, byte[] draftBooking) { this.sessionId = sessionId; this.farmCode = farmCode; this.openedAt = openedAt; this.draftBooking = draftBooking; }
    }
    static final class DraftSaver implements NotificationListener {
        final PortalSession session;
        DraftSaver(PortalSession session) { this.session = session; }
        @Override public void handleNotification(Notification n, Object handback) { session.draftBooking = new byte[0]; }
    }
    static final class HeapAlarm implements NotificationListener {
        long alarms;
        @Override public void handleNotification(Notification n, Object handback) { alarms++; }
    }
    static final NotificationFilter HEAP_THRESHOLDS = n -> MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType());

    static final Comparator<FleeceEvent> BY_TIME = Comparator.comparingLong(FleeceEvent::at).thenComparingLong(FleeceEvent::seq);

    /** Ships fleece events to the wool-pool cooperative once a minute; its thread stays alive. */
    static final class FleeceEventShipper {
        final PriorityBlockingQueue<FleeceEvent> pending = new PriorityBlockingQueue<>(256, BY_TIME);
        final SynchronousQueue<Long> ticks = new SynchronousQueue<>();
        final SynchronousQueue<Integer> acks = new SynchronousQueue<>();
        final Thread worker = new Thread(this::run, "fleece-event-shipper");
        volatile long shipped, flushes;

        void run() {
            List<FleeceEvent> batch = new ArrayList<>();
            try {
                while (true) {
                    long tick = ticks.take();
                    while (true) {
                        FleeceEvent e = pending.peek();
                        if (e == null || e.at() >= tick) break;
                        batch.add(pending.poll());
                    }
                    int n = batch.size();
                    shipped += n; flushes++;
                    batch.clear();
                    acks.put(n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void flushUpTo(long tick) throws InterruptedException {
            if (!ticks.offer(tick, 30, TimeUnit.SECONDS) || acks.poll(30, TimeUnit.SECONDS) == null) {
                System.err.println("fleece-event-shipper does not answer");
                System.exit(4);
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Farm> FARMS_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("nz.fleecetrack.shearing");

    static final class ShearingService {
        final Map<String, Alpaca> animals = new HashMap<>();
        final Map<String, int[]> micronHistograms = new HashMap<>(); // per farm: last season's fibre diameters, 0.1 micron bins
        final String[] earTags = new String[ANIMALS];
        final String[] farmCodes = new String[FARMS];
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> scaleBuffers = new ArrayDeque<>();
        final Shearing[] shearings = new Shearing[RING];
        final OpsConsoleHandler opsConsole = new OpsConsoleHandler();
        final MemoryHandler consoleRing = new MemoryHandler(opsConsole, CONSOLE_RECORDS, Level.SEVERE);
        final FleeceEventShipper shipper = new FleeceEventShipper();
        final NotificationEmitter memoryBean = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        final HeapAlarm alarm = new HeapAlarm();
        final Map<String, PortalSession> sessions = new HashMap<>();
        long requests, accepted, rejected, captureAdded, captureRemoved, events, opened, closed, loggedOut, expired, listenersAdded, listenersRemoved;

        void shear(Random r, long t) {
            String requestId = "sh-" + Long.toHexString(0x2b00_0000L + requests);
            requests++;
            Alpaca a = animals.get(earTags[r.nextInt(ANIMALS)]);
            RequestContext ctx = new RequestContext(requestId, a.earTag(), t, new byte[600 + r.nextInt(600)]);
            MemoryHandler capture = new MemoryHandler(new IncidentCapture(ctx), CAPTURE_RECORDS, Level.SEVERE);
            LOG.addHandler(capture);
            captureAdded++;
            try {
                if (r.nextInt(8) == 0) {
                    rejected++;
                    LOG.warning(requestId + " rejected: " + a.earTag() + " already shorn this season (farm " + a.farmCode() + ")");
                    return;
                }
                accepted++;
                int grams = 1_500 + r.nextInt(3_500);
                shearings[(int) ((accepted - 1) % RING)] = new Shearing(a.earTag(), a.farmCode(), "shearer-" + r.nextInt(30), grams, 16 + r.nextInt(14), t);
                String key = "bag-" + a.farmCode() + "-" + r.nextInt(5);
                if (labels.get(key) == null) labels.put(key, new Label(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = scaleBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) grams;
                scaleBuffers.add(buf);
                shipper.pending.add(new FleeceEvent(events++, a.earTag(), key, grams, t, new byte[64 + r.nextInt(64)]));
                LOG.info(requestId + " shorn: " + a.earTag() + " " + grams + " g at farm " + a.farmCode());
            } finally {
                LOG.removeHandler(capture);
                captureRemoved++;
            }
        }

        void openSession(Random r, long t, int n) {
            PortalSession s = new PortalSession("ps-" + Long.toHexString(0x6a00_0000L + n * 5L), farmCodes[r.nextInt(FARMS)], t, new byte[512 + r.nextInt(1_024)]);
            s.listener = new DraftSaver(s);
            memoryBean.addNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
            listenersAdded++;
            sessions.put(s.sessionId, s);
            opened++;
        }

        /** Logout and idle expiry both end here. */
        void closeSession(SessionEnd e) throws ListenerNotFoundException {
            PortalSession s = sessions.remove(e.sessionId());
            if (e.logout()) loggedOut++; else expired++;
            memoryBean.removeNotificationListener(s.listener, HEAP_THRESHOLDS, s.sessionId);
            listenersRemoved++;
            closed++;
        }
    }

    static ShearingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(111_050_001);
        ShearingService svc = new ShearingService();
        SERVICE = svc;
        String[] regions = {"Canterbury", "Otago", "Southland", "Waikato", "Hawke's Bay", "Manawatu"};
        for (int f = 0; f < FARMS; f++) {
            double[] herd = new double[64];
            for (int k = 0; k < herd.length; k++) herd[k] = 5 + rnd.nextDouble() * 150;
            svc.farmCodes[f] = "FM-" + (7_000 + f);
            FARMS_BY_CODE.put(svc.farmCodes[f], new Farm(svc.farmCodes[f], regions[rnd.nextInt(regions.length)], herd));
        }
        for (int i = 0; i < ANIMALS; i++) {
            svc.earTags[i] = "NZ" + (9_800_000 + i * 11);
            svc.animals.put(svc.earTags[i], new Alpaca(svc.earTags[i], svc.farmCodes[rnd.nextInt(FARMS)], "Alpaca " + i, new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(5_000)) * DAY));
        }
        for (int f = 0; f < FARMS; f++) {
            int[] bins = new int[256];
            for (int k = 0; k < bins.length; k++) bins[k] = rnd.nextInt(40);
            svc.micronHistograms.put(svc.farmCodes[f], bins);
        }
        for (int b = 0; b < POOL; b++) svc.scaleBuffers.add(new byte[32_768]);
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(svc.consoleRing);
        svc.memoryBean.addNotificationListener(svc.alarm, HEAP_THRESHOLDS, "ops");
        svc.shipper.worker.setDaemon(true);
        svc.shipper.worker.start();
        Random traffic = new Random(111_050_002), portal = new Random(111_050_003);
        PriorityQueue<SessionEnd> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int requests = SHEARINGS_PER_HOUR * hours, sessions = SESSIONS_PER_HOUR * hours;
        int nextSession = 0;
        long nextTick = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTick <= t) { svc.shipper.flushUpTo(nextTick); nextTick += MINUTE; }
            while (!ends.isEmpty() && ends.peek().at() <= t) svc.closeSession(ends.poll());
            while (nextSession < sessions && start + (end - MINUTE - start) * nextSession / sessions <= t) {
                long ts = start + (end - MINUTE - start) * nextSession / sessions;
                svc.openSession(portal, ts, nextSession);
                long active = (5 + portal.nextInt(56)) * MINUTE;
                boolean logout = portal.nextBoolean();
                ends.add(new SessionEnd(logout ? ts + active : ts + active + IDLE_TIMEOUT, "ps-" + Long.toHexString(0x6a00_0000L + nextSession * 5L), logout));
                nextSession++;
            }
            svc.shear(traffic, t);
        }
        while (!ends.isEmpty() && ends.peek().at() <= end) svc.closeSession(ends.poll());
    }

    public static void main(String[] args) throws Exception {
        try {
            int stage = Integer.parseInt(args[2]);
            int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
            simulate(hours);
            ShearingService svc = SERVICE;
            int requests = SHEARINGS_PER_HOUR * hours;
            long registered = svc.listenersAdded - svc.listenersRemoved;
            int[] expectBacklog = {0, 60, 58, 58};
            System.out.println("stage " + stage + " farms " + FARMS_BY_CODE.size() + " animals " + svc.animals.size() + " shearings " + svc.requests + " accepted " + svc.accepted + " rejected " + svc.rejected + " capture +" + svc.captureAdded + " -" + svc.captureRemoved
                    + " handlers on logger " + LOG.getHandlers().length + " events " + svc.events + " shipped " + svc.shipper.shipped + " in " + svc.shipper.flushes + " flushes, pending " + svc.shipper.pending.size() + " shipper " + svc.shipper.worker.getState()
                    + " sessions opened " + svc.opened + " closed " + svc.closed + " (logout " + svc.loggedOut + ", expired " + svc.expired + ") open " + svc.sessions.size() + " listeners registered " + registered + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.scaleBuffers.size());
            check(FARMS_BY_CODE.size() == FARMS && svc.animals.size() == ANIMALS && svc.micronHistograms.size() == FARMS, "reference data / directory / histograms");
            check(svc.requests == requests && svc.captureAdded == requests && svc.captureRemoved == requests && LOG.getHandlers().length == 1, "capture handlers removed on every path");
            check(svc.events == svc.accepted && svc.shipper.shipped + svc.shipper.pending.size() == svc.events && svc.shipper.flushes == hours * 60L - 2, "shipper keeps up");
            check(svc.shipper.pending.size() == expectBacklog[stage], "backlog of the last minute");
            check(svc.shipper.worker.isAlive(), "shipper alive");
            check(svc.opened == (long) SESSIONS_PER_HOUR * hours && registered == svc.sessions.size() && svc.opened == svc.closed + svc.sessions.size(), "session listeners");
            check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
            check(svc.scaleBuffers.size() == POOL, "pool");
            check(svc.shearings[(int) Math.min(svc.accepted, RING) - 1] != null, "ring");
            svc = null;
            LeakCheck.histogram("java.util.logging.MemoryHandler", "LogRecord", "NotificationEmitterSupport", "PriorityBlockingQueue");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.out.flush();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
