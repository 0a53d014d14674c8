// hprofscan-dump: name=val129-leak-levelcrossings jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val129-leak-levelcrossings-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 129 (written blind), LEAK: the remote-monitoring service of a railway's level
 * crossings. Every barrier closure writes four lines (barriers down, obstacle scan, train passed,
 * barriers up) to the crossing's activity log, a StringBuilder per crossing in
 * CrossingActivityLog.byCrossing (a HashMap with one entry per crossing: 360, constant). The log
 * was meant to show "recent activity" on the crossing's status page, but nothing ever trims it:
 * the map keeps its 360 entries while every value grows with each train. Also: the crossing
 * reference data, the timetabled-service directory, an LRU of rendered status pages at its cap, a
 * pool of CCTV frame buffers, a ring of recent crossing events, counters and the fault-ticket
 * queue with its normal backlog. 10 simulated hours. See VALIDATION129.md.
 */
public final class Val129LeakLevelCrossings {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CROSSINGS = 360, SERVICES = 20_000, PAGE_CAP = 1_500, POOL = 6, RING = 8_192, HOURS = 10, CLOSURES_PER_HOUR = 3_600,
            FAULT_LAG_MINUTES = 45, KEEP_LINES = 40;
    static final String[] TYPES = {"AHB", "MCB-CCTV", "MCB-OD", "AOCL", "ABCL", "UWC-MWL"};
    static final String[] LINES = {"East Coast Main Line", "Cambridge Line", "Ely-Peterborough", "Fen Line", "Marshlink", "Wherry Lines", "Breckland Line", "Poacher Line"};
    static final String[] KINDS = {"DOWN", "SCAN", "PASSED", "UP"};
    static boolean FIXED;

    record Crossing(String id, String name, String type, String line, int weight, double[] closuresByHalfHour) {}
    record TrainService(String uid, String headcode, String operator, byte[] schedule, long validFrom) {}
    record CrossingEvent(String crossingId, String kind, String headcode, long at) {}
    record StatusPage(String key, byte[] html, long renderedAt) {}
    record FaultTicket(String ticketId, String crossingId, String fault, long raisedAt) {}

    static final Map<String, Crossing> CROSSINGS_BY_ID = new HashMap<>();

    /** Per-crossing activity text for the status page ("recent activity"). */
    static final class CrossingActivityLog {
        final Map<String, StringBuilder> byCrossing = new HashMap<>();
        long lines, trimmed;
        void append(String crossingId, String line) {
            StringBuilder sb = byCrossing.get(crossingId);
            sb.append(line).append('\n'); // BUG: never trimmed
            lines++;
            if (FIXED) {
                int n = 0;
                for (int i = 0; i < sb.length(); i++) if (sb.charAt(i) == '\n') n++;
                while (n-- > KEEP_LINES) { sb.delete(0, sb.indexOf("\n") + 1); trimmed++; }
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, StatusPage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StatusPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class MonitoringService {
        final Map<String, TrainService> services = new HashMap<>();
        final TrainService[] serviceList = new TrainService[SERVICES];
        final String[] crossingIds = new String[CROSSINGS];
        final CrossingActivityLog log = new CrossingActivityLog();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> cctvFrames = new ArrayDeque<>();
        final CrossingEvent[] recent = new CrossingEvent[RING];
        final ArrayDeque<FaultTicket> faults = new ArrayDeque<>();
        final long[] eventsByKind = new long[KINDS.length];
        long events, closures, pageViews, pagesRendered, faultsRaised, faultsClosed;

        void event(String crossingId, int kind, String headcode, String detail, long t) {
            String line = Instant.ofEpochSecond(t / SECOND) + " " + crossingId + " " + KINDS[kind] + " " + headcode + " " + detail;
            log.append(crossingId, line);
            recent[(int) (events++ % RING)] = new CrossingEvent(crossingId, KINDS[kind], headcode, t);
            eventsByKind[kind]++;
        }

        void closure(String crossingId, TrainService train, Random r, long t, long slot) {
            closures++;
            int warn = 24 + r.nextInt(12), closed = 50 + r.nextInt(120);
            event(crossingId, 0, train.headcode(), "approach=" + (r.nextBoolean() ? "UP" : "DN") + " warning=" + warn + "s", t);
            event(crossingId, 1, train.headcode(), "obstacle-detection=" + (r.nextInt(50) == 0 ? "RETRY" : "CLEAR") + " radar=ok lidar=ok", t + warn * SECOND);
            event(crossingId, 2, train.headcode(), "speed=" + (30 + r.nextInt(70)) + "mph cars=" + (2 + r.nextInt(11)) + " uid=" + train.uid(), t + (warn + closed - 10) * SECOND);
            event(crossingId, 3, train.headcode(), "closed=" + closed + "s", t + (warn + closed) * SECOND);
            if (r.nextInt(3) == 0) {
                pageViews++;
                String key = crossingId + "/slot-" + slot; // the page is re-rendered every 15 minutes
                StatusPage p = pages.get(key);
                if (p == null) { pages.put(key, p = new StatusPage(key, new byte[400 + r.nextInt(400)], t)); pagesRendered++; }
                byte[] frame = cctvFrames.pollFirst();
                frame[(int) (t % frame.length)] = (byte) p.html().length;
                cctvFrames.addLast(frame);
            }
        }
    }

    static MonitoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(129_040_001);
        MonitoringService svc = new MonitoringService();
        SERVICE = svc;
        int weights = 0;
        for (int c = 0; c < CROSSINGS; c++) {
            double[] cl = new double[48];
            for (int j = 0; j < cl.length; j++) cl[j] = rnd.nextDouble() * 8;
            String id = "LC" + String.format("%04d", 100 + c * 3);
            svc.crossingIds[c] = id;
            int weight = 1 + rnd.nextInt(6);
            weights += weight;
            CROSSINGS_BY_ID.put(id, new Crossing(id, LINES[c % LINES.length] + " crossing " + (c / LINES.length + 1), TYPES[rnd.nextInt(TYPES.length)], LINES[c % LINES.length], weight, cl));
            svc.log.byCrossing.put(id, new StringBuilder(256));
        }
        int[] byWeight = new int[weights];
        for (int c = 0, k = 0; c < CROSSINGS; c++) for (int w = 0; w < CROSSINGS_BY_ID.get(svc.crossingIds[c]).weight(); w++) byWeight[k++] = c;
        String[] operators = {"GR", "GN", "LE", "EM", "XC", "FL"};
        for (int s = 0; s < SERVICES; s++) {
            String uid = "C" + (10_000 + s * 4);
            TrainService ts = new TrainService(uid, (1 + rnd.nextInt(9)) + "" + (char) ('A' + rnd.nextInt(26)) + String.format("%02d", rnd.nextInt(100)), operators[rnd.nextInt(operators.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(180)) * DAY);
            svc.serviceList[s] = ts;
            svc.services.put(uid, ts);
        }
        for (int b = 0; b < POOL; b++) svc.cctvFrames.addLast(new byte[65_536]);

        Random traffic = new Random(129_040_002), faults = new Random(129_040_003);
        int total = CLOSURES_PER_HOUR * HOURS;
        int ticketSeq = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - 10 * MINUTE - start) * i / total;
            String crossing = svc.crossingIds[byWeight[traffic.nextInt(byWeight.length)]];
            svc.closure(crossing, svc.serviceList[traffic.nextInt(SERVICES)], traffic, t, (t - start) / (15 * MINUTE));
            if (faults.nextInt(120) == 0) {
                svc.faults.addLast(new FaultTicket("FT-" + (71_000 + ticketSeq++), crossing, faults.nextBoolean() ? "barrier skirt damaged" : "yodel alarm intermittent", t));
                svc.faultsRaised++;
            }
            while (!svc.faults.isEmpty() && svc.faults.peekFirst().raisedAt() <= t - FAULT_LAG_MINUTES * MINUTE) {
                svc.faults.pollFirst();
                svc.faultsClosed++;
            }
        }
    }

    static void report() {
        MonitoringService svc = SERVICE;
        long chars = 0, capacity = 0;
        int maxLen = 0, minLen = Integer.MAX_VALUE;
        for (StringBuilder sb : svc.log.byCrossing.values()) {
            chars += sb.length();
            capacity += sb.capacity();
            maxLen = Math.max(maxLen, sb.length());
            minLen = Math.min(minLen, sb.length());
        }
        System.out.println((FIXED ? "FIXED " : "") + "crossings " + CROSSINGS_BY_ID.size() + " services " + svc.services.size() + " closures " + svc.closures + " events " + svc.events
                + " log entries " + svc.log.byCrossing.size() + " (lines " + svc.log.lines + ", trimmed " + svc.log.trimmed + ", chars " + chars + ", capacity " + capacity + ", per crossing "
                + minLen + ".." + maxLen + ") pages " + svc.pages.size() + " (views " + svc.pageViews + ", rendered " + svc.pagesRendered + ", evicted " + svc.pages.evicted + ") faults backlog "
                + svc.faults.size() + " (raised " + svc.faultsRaised + ", closed " + svc.faultsClosed + ") pool " + svc.cctvFrames.size());
        check(CROSSINGS_BY_ID.size() == CROSSINGS && svc.services.size() == SERVICES, "reference data / directory");
        check(svc.closures == (long) CLOSURES_PER_HOUR * HOURS && svc.events == 4 * svc.closures && svc.log.lines == svc.events, "events");
        check(svc.log.byCrossing.size() == CROSSINGS, "log entries");
        check(FIXED ? svc.log.lines - svc.log.trimmed == (long) KEEP_LINES * CROSSINGS : svc.log.trimmed == 0 && chars == 9_390_968, "log text " + chars);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted == svc.pagesRendered - PAGE_CAP && svc.pagesRendered == 7_538, "status page cache at cap");
        check(svc.cctvFrames.size() == POOL, "cctv frame pool");
        check(svc.recent[RING - 1] != null, "event ring");
        check(svc.faults.size() == 29 && svc.faultsRaised == 297 && svc.faultsRaised == svc.faultsClosed + svc.faults.size(), "fault backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val129.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
