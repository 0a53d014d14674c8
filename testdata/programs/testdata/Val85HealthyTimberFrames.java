// hprofscan-dump: name=val85-healthy-timberframes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val85-healthy-timberframes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val85-healthy-timberframes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val85-healthy-timberframes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Validation set 85 (written blind), HEALTHY: the order and CNC-joinery service of a timber-frame
 * house manufacturer. Timber-grade reference data, the house-design directory, a cache of
 * rendered cut lists at its cap, a pool of CNC post-processor buffers, a hand-rolled ring of CNC
 * machine events, a bounded list of the last job reports, the open orders with one ReentrantLock
 * per open order (computeIfAbsent, removed when the order ships), and the CNC logger: every
 * joinery job captures its own log through a StreamHandler over a per-job ByteArrayOutputStream
 * that is removed from the logger and closed in a finally block. See VALIDATION85.md.
 */
public final class Val85HealthyTimberFrames {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GRADES = 1_400, DESIGNS = 24_000, CUT_LIST_CAP = 2_000, POOL = 8, MACHINE_RING = 8_192, REPORTS_KEPT = 512, ORDERS_PER_HOUR = 600, CONSOLE_LINES = 2_000;

    record Grade(String code, String species, double[] strengthTable) {}
    record Design(String code, String name, int floorArea, byte[] specification, long publishedAt) {}
    record CutList(String key, byte[] rendered, long at) {}
    record MachineEvent(String machine, String jobId, String operation, long at) {}
    record JobReport(String jobId, String orderId, int lines, int bytes, long at) {}

    static final class Order {
        final String id, designCode, site;
        final long placedAt;
        long cutAt, shippedAt;
        int state; // 0 placed, 1 cut, 2 shipped
        Order(String id, String designCode, String site, long placedAt) { this.id = id; this.designCode = designCode; this.site = site; this.placedAt = placedAt; }
    }

    record Due(long at, int next, Order order) {}

    /** Hand-rolled ring buffer of the newest machine events. */
    static final class MachineLog {
        final Object[] items = new Object[MACHINE_RING];
        int head, size; long written;
        void add(Object e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final class ConsoleRingHandler extends Handler {
        final ArrayDeque<String> lines = new ArrayDeque<>();
        long published;
        ConsoleRingHandler() { setFormatter(new SimpleFormatter()); }
        @Override public void publish(LogRecord r) {
            if (!isLoggable(r)) return;
            lines.addLast(getFormatter().format(r));
            if (lines.size() > CONSOLE_LINES) lines.removeFirst();
            published++;
        }
        @Override public void flush() {}
        @Override public void close() {}
    }

    static final class JobFilter implements Filter {
        final String jobId;
        JobFilter(String jobId) { this.jobId = jobId; }
        @Override public boolean isLoggable(LogRecord r) { Object[] p = r.getParameters(); return p != null && p.length > 0 && jobId.equals(p[0]); }
    }

    static final class CutListCache extends LinkedHashMap<String, CutList> {
        long evicted;
        CutListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CutList> e) { if (size() > CUT_LIST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Grade> GRADES_BY_CODE = new HashMap<>();
    static final Logger LOG = Logger.getLogger("com.timberframes.cnc");

    static final class FrameService {
        final Map<String, Design> designs = new HashMap<>();
        final CutListCache cutLists = new CutListCache();
        final ArrayDeque<byte[]> postProcessorBuffers = new ArrayDeque<>();
        final MachineLog machineLog = new MachineLog();
        final ArrayDeque<JobReport> jobReports = new ArrayDeque<>();
        final Map<String, Order> openOrders = new HashMap<>();
        final ConcurrentHashMap<String, ReentrantLock> orderLocks = new ConcurrentHashMap<>();
        final ConsoleRingHandler console = new ConsoleRingHandler();
        long placed, cut, shipped, queued, locksCreated, jobs, maxHandlers;

        ReentrantLock lockFor(String orderId) { return orderLocks.computeIfAbsent(orderId, k -> { locksCreated++; return new ReentrantLock(); }); }

        void place(Order o) {
            ReentrantLock l = lockFor(o.id);
            l.lock();
            try { openOrders.put(o.id, o); placed++; } finally { l.unlock(); }
        }

        static void log(long at, String msg, Object... params) {
            LogRecord r = new LogRecord(Level.INFO, msg);
            r.setInstant(Instant.ofEpochMilli(at));
            r.setLoggerName(LOG.getName());
            r.setParameters(params);
            LOG.log(r);
        }

        void cutJob(Order o, Random r, long at) {
            ReentrantLock l = lockFor(o.id);
            l.lock();
            try {
                String jobId = "CNC-" + o.id.substring(3);
                ByteArrayOutputStream capture = new ByteArrayOutputStream();
                StreamHandler jobLog = new StreamHandler(capture, new SimpleFormatter());
                jobLog.setFilter(new JobFilter(jobId));
                LOG.addHandler(jobLog);
                maxHandlers = Math.max(maxHandlers, LOG.getHandlers().length);
                int lines = 0;
                long t = at;
                try {
                    String machine = "HUNDEGGER-" + (1 + r.nextInt(6));
                    log(t, "job {0}: order {1}, design {2} on {3}", jobId, o.id, o.designCode, machine); lines++;
                    byte[] buf = postProcessorBuffers.poll();
                    for (int op = 0; op < 10; op++) {
                        t += 20_000 + r.nextInt(40_000);
                        String operation = op % 3 == 0 ? "tenon" : op % 3 == 1 ? "mortise" : "dovetail";
                        buf[(op * 3_001 + (int) cut) % buf.length] = (byte) op;
                        machineLog.add(new MachineEvent(machine, jobId, operation, t));
                        if (op % 2 == 1) { log(t, "job {0}: {1} batch {2} done", jobId, operation, op); lines++; }
                    }
                    postProcessorBuffers.add(buf);
                    log(t, "job {0}: done", jobId); lines++;
                    jobLog.flush();
                    byte[] report = capture.toByteArray(); // attached to the order's production record
                    jobReports.addLast(new JobReport(jobId, o.id, lines, report.length, t));
                    if (jobReports.size() > REPORTS_KEPT) jobReports.removeFirst();
                    jobs++;
                } finally {
                    LOG.removeHandler(jobLog);
                    jobLog.close();
                }
                o.state = 1; o.cutAt = t; cut++;
            } finally {
                l.unlock();
            }
        }

        void ship(Order o, long at) {
            ReentrantLock l = lockFor(o.id);
            l.lock();
            try { o.state = 2; o.shippedAt = at; openOrders.remove(o.id); shipped++; } finally { l.unlock(); }
            orderLocks.remove(o.id); // the order is finished: its lock goes too
        }
    }

    static FrameService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int orders = ORDERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(85_050_001);
        String[] species = {"Douglas fir", "Oak", "Larch", "Spruce", "Sweet chestnut", "Scots pine"};
        for (int g = 0; g < GRADES; g++) {
            double[] strength = new double[64];
            for (int k = 0; k < strength.length; k++) strength[k] = 10 + rnd.nextDouble() * 40;
            String code = "TG-" + (g / 100) + "-" + (g % 100);
            GRADES_BY_CODE.put(code, new Grade(code, species[g % species.length], strength));
        }
        FrameService svc = new FrameService();
        SERVICE = svc;
        LOG.setUseParentHandlers(false);
        LOG.setLevel(Level.INFO);
        LOG.addHandler(svc.console);
        String[] designCodes = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) {
            designCodes[d] = "HD" + (500_000 + d * 13);
            svc.designs.put(designCodes[d], new Design(designCodes[d], "Design " + (d % 700), 80 + rnd.nextInt(220), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.postProcessorBuffers.add(new byte[32_768]);
        Random traffic = new Random(85_050_002);
        Random machines = new Random(85_050_003);
        PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int maxOpen = 0;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            while (!due.isEmpty() && due.peek().at() <= t) advance(svc, due, traffic, machines, end);
            Order o = new Order("TF-" + (9_100_000 + i), designCodes[traffic.nextInt(DESIGNS)], "Plot " + traffic.nextInt(5_000), t);
            svc.place(o);
            maxOpen = Math.max(maxOpen, svc.openOrders.size());
            due.add(new Due(t + (5 + traffic.nextInt(16)) * MINUTE, 1, o));
            for (int v = 0; v < 10; v++) { // cut-list views from the workshop tablets
                String key = "cut-" + designCodes[traffic.nextInt(DESIGNS)].substring(2) + "-r" + traffic.nextInt(2);
                if (svc.cutLists.get(key) == null) svc.cutLists.put(key, new CutList(key, new byte[600 + traffic.nextInt(600)], t));
            }
        }
        while (!due.isEmpty() && due.peek().at() <= end - MINUTE) advance(svc, due, traffic, machines, end);
        int open = svc.openOrders.size();
        System.out.println("stage " + stage + " grades " + GRADES_BY_CODE.size() + " designs " + svc.designs.size() + " placed " + svc.placed + " cut " + svc.cut + " shipped " + svc.shipped + " queued " + svc.queued + " open " + open
                + " (max " + maxOpen + ") locks " + svc.orderLocks.size() + " (created " + svc.locksCreated + ") jobs " + svc.jobs + " handlers " + LOG.getHandlers().length + " (max " + svc.maxHandlers
                + ") console " + svc.console.lines.size() + " (published " + svc.console.published + ") reports " + svc.jobReports.size() + " machine ring " + svc.machineLog.size + " (written "
                + svc.machineLog.written + ", head " + svc.machineLog.head + ") cut lists " + svc.cutLists.size() + " (evicted " + svc.cutLists.evicted + ") pool " + svc.postProcessorBuffers.size());
        check(GRADES_BY_CODE.size() == GRADES && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.placed == orders && svc.shipped + open == orders && open < 1_500, "orders: " + open);
        check(svc.orderLocks.size() == open && svc.locksCreated == orders, "a lock per open order only");
        check(LOG.getHandlers().length == 1 && svc.maxHandlers == 2, "per-job handlers removed");
        check(svc.console.lines.size() == Math.min(CONSOLE_LINES, (int) svc.console.published), "console ring");
        check(svc.jobReports.size() == Math.min(REPORTS_KEPT, (int) svc.jobs), "job reports bounded");
        check(svc.machineLog.written == 10L * svc.jobs && svc.machineLog.size == Math.min(MACHINE_RING, (int) svc.machineLog.written), "machine ring");
        check(svc.cutLists.size() == CUT_LIST_CAP && svc.cutLists.evicted > 0, "cut-list cache at cap");
        check(svc.postProcessorBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void advance(FrameService svc, PriorityQueue<Due> due, Random traffic, Random machines, long end) {
        Due d = due.poll();
        if (d.next() == 1) {
            if (d.at() > end - 12 * MINUTE) { svc.queued++; return; } // would not finish before now: still queued for the CNC

            svc.cutJob(d.order(), machines, d.at());
            due.add(new Due(d.order().cutAt + (20 + traffic.nextInt(101)) * MINUTE, 2, d.order()));
        } else {
            svc.ship(d.order(), d.at());
        }
    }
}
