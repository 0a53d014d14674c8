// hprofscan-dump: name=val78-leak-childcarecentres jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val78-leak-childcarecentres-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 78 (written blind), LEAK: the attendance read model of a chain of childcare
 * centres, built by an event-sourcing projection. Centre reference data, the enrolment directory,
 * the projection's per-child attendance views, a cache of rendered daily reports at its cap, a pool
 * of PDF buffers, a ring of recent events for the parents' live feed, and the projection's
 * de-duplication set: the event store delivers at least once, so the projection remembers the id of
 * every event it has processed (global ids, monotonically increasing) in a HashSet and skips
 * redeliveries. The set is never trimmed, although the projection checkpoints its position every 5
 * minutes and ids at or below the checkpoint can never be new. See VALIDATION78.md.
 */
public final class Val78LeakChildcareCentres {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CENTRES = 900, CHILDREN = 26_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 12_000, HOURS = 10;
    static final int REDELIVER_EVERY = 50, REDELIVERY_LAG = 7;
    static boolean FIXED;

    record Centre(String code, String town, double[] ratioSchedule) {}
    record Enrolment(String childId, String centreCode, String room, byte[] carePlan, long enrolledAt) {}
    record Report(String key, byte[] rendered, long at) {}
    record AttendanceEvent(long id, String type, String childId, String centreCode, long at) {}

    static final class AttendanceView {
        final String childId;
        String status;
        long lastEventAt;
        int checkIns, meals, naps, incidents;
        AttendanceView(String childId) { this.childId = childId; }
    }

    static final class AttendanceProjection {
        final Map<String, AttendanceView> views = new HashMap<>();
        final Set<Long> processedIds = new HashSet<>();
        long applied, duplicatesSkipped, checkpoints, lastCheckpointId = -1, maxIdSeen = -1;

        void handle(AttendanceEvent e) {
            if ((FIXED && e.id() <= lastCheckpointId) || processedIds.contains(e.id())) { duplicatesSkipped++; return; }
            processedIds.add(e.id()); // BUG: never trimmed, not even below the checkpoint
            maxIdSeen = Math.max(maxIdSeen, e.id());
            AttendanceView v = views.computeIfAbsent(e.childId(), AttendanceView::new);
            v.lastEventAt = e.at();
            switch (e.type()) {
                case "CHECK_IN" -> { v.status = "IN"; v.checkIns++; }
                case "CHECK_OUT" -> v.status = "OUT";
                case "MEAL" -> v.meals++;
                case "NAP" -> v.naps++;
                default -> v.incidents++;
            }
            applied++;
        }

        void checkpoint() {
            lastCheckpointId = maxIdSeen;
            checkpoints++;
            if (FIXED) processedIds.clear(); // every id in the set is at or below the checkpoint
        }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class ProjectionService {
        final Map<String, Enrolment> enrolments = new HashMap<>();
        final AttendanceProjection projection = new AttendanceProjection();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final AttendanceEvent[] recentEvents = new AttendanceEvent[RING];
        long fed;
    }

    static ProjectionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Redelivery(int due, AttendanceEvent event) {}

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val78.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(78_030_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] ratios = new double[96];
            for (int k = 0; k < ratios.length; k++) ratios[k] = 3 + rnd.nextDouble() * 5;
            String code = "CC-" + (8_000 + c);
            centreCodes[c] = code;
            CENTRES_BY_CODE.put(code, new Centre(code, "Town " + (c % 250), ratios));
        }
        ProjectionService svc = new ProjectionService();
        SERVICE = svc;
        String[] rooms = {"Babies", "Toddlers", "Pre-school", "After-school"};
        String[] childIds = new String[CHILDREN];
        for (int k = 0; k < CHILDREN; k++) {
            String id = "CH" + (60_000_000 + k);
            childIds[k] = id;
            svc.enrolments.put(id, new Enrolment(id, centreCodes[rnd.nextInt(CENTRES)], rooms[k % rooms.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(78_030_002);
        String[] types = {"CHECK_IN", "CHECK_OUT", "MEAL", "NAP", "INCIDENT"};
        int events = EVENTS_PER_HOUR * HOURS;
        ArrayDeque<Redelivery> redeliveries = new ArrayDeque<>();
        long nextCheckpoint = start + 5 * MINUTE, id = 880_000_000L;
        int redelivered = 0;
        AttendanceProjection p = svc.projection;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextCheckpoint <= t) { p.checkpoint(); nextCheckpoint += 5 * MINUTE; }
            while (!redeliveries.isEmpty() && redeliveries.peek().due() <= i) { p.handle(redeliveries.poll().event()); redelivered++; }
            id += 1 + traffic.nextInt(3);
            String child = childIds[traffic.nextInt(CHILDREN)];
            AttendanceEvent e = new AttendanceEvent(id, types[traffic.nextInt(types.length)], child, svc.enrolments.get(child).centreCode(), t);
            p.handle(e);
            if (i % REDELIVER_EVERY == 0) redeliveries.add(new Redelivery(i + REDELIVERY_LAG, e));
            svc.recentEvents[(int) (svc.fed++ % RING)] = e;
            if (i % 3 == 0) {
                String key = child.substring(0, 6) + "/" + traffic.nextInt(6_000);
                if (svc.reports.get(key) == null) svc.reports.put(key, new Report(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            }
        }
        while (!redeliveries.isEmpty()) { p.handle(redeliveries.poll().event()); redelivered++; }
        redeliveries = null;
        int expectedCheckpoints = HOURS * 12 - 1;
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " enrolments " + svc.enrolments.size() + " views " + p.views.size() + " processedIds " + p.processedIds.size()
                + " applied " + p.applied + " duplicates " + p.duplicatesSkipped + " checkpoints " + p.checkpoints + " lastCheckpointId " + p.lastCheckpointId + " maxId " + p.maxIdSeen
                + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") pool " + svc.pdfBuffers.size() + " fed " + svc.fed);
        check(CENTRES_BY_CODE.size() == CENTRES && svc.enrolments.size() == CHILDREN, "reference data / directory");
        check(p.applied == events && p.duplicatesSkipped == redelivered && redelivered == events / REDELIVER_EVERY && p.checkpoints == expectedCheckpoints, "projection traffic");
        check(p.views.size() <= CHILDREN && p.views.size() > CHILDREN * 9 / 10, "views " + p.views.size());
        if (FIXED) check(p.processedIds.size() < 1_100 && p.processedIds.stream().allMatch(x -> x > p.lastCheckpointId), "ids since the checkpoint only: " + p.processedIds.size());
        else check(p.processedIds.size() == events, "every id kept: " + p.processedIds.size());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.fed == events && svc.recentEvents[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
