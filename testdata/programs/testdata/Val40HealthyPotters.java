// hprofscan-dump: name=val40-healthy-potters-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val40-healthy-potters-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val40-healthy-potters jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val40-healthy-potters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 40 (written blind), HEALTHY, series: the studio service of a pottery (wheel and
 * hand-building classes, open-studio bookings, kiln firings for members). Clay-body reference data,
 * the glaze-recipe catalogue (loaded lazily and by a warmer until the studio's 3,000 recipes are all
 * in), an LRU of rendered firing schedules at its cap, a pool of kiln-controller buffers, a ring of
 * kiln thermocouple readings, the wheel bookings in progress and the member-portal sessions (idle
 * eviction). Stages 1 / 2 / 3 simulate 1 / 4 / 8 hours (separate JVM runs, stage=N): the catalogue
 * and the ring fill by stage 2, everything else is at its cap or steady state; stage 3 is flat.
 * No leak. See VALIDATION40.md.
 */
public final class Val40HealthyPotters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SESSION_IDLE = 20 * MINUTE;
    static final int CLAYS = 800, GLAZES = 3_000, SCHEDULE_CAP = 600, POOL = 8, RING = 8_192, KILNS = 10, WARM_PER_MINUTE = 40, WHEELS = 24;
    static final long[] STAGE_MINUTES = {0, 60, 240, 480};

    record ClayBody(String code, String name, double[] shrinkageCurve) {}
    record GlazeRecipe(String code, String name, byte[] recipe, long formulatedAt) {}
    record FiringSchedule(String key, byte[] rendered, long at) {}
    record KilnReading(int kiln, long at, float celsius, float setpoint) {}
    record WheelBooking(String bookingId, String memberId, int wheel, byte[] projectNotes, long startsAt, long endsAt) {}

    static final class PortalSession {
        final String sessionId, memberId;
        final byte[] state;
        long lastSeenAt;
        PortalSession(String sessionId, String memberId, byte[] state, long lastSeenAt) { this.sessionId = sessionId; this.memberId = memberId; this.state = state; this.lastSeenAt = lastSeenAt; }
    }

    static final class ScheduleCache extends LinkedHashMap<String, FiringSchedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FiringSchedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ClayBody> CLAYS_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, GlazeRecipe> glazes = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> controllerBuffers = new ArrayDeque<>();
        final KilnReading[] readings = new KilnReading[RING];
        long readingsWritten;
        final Map<String, WheelBooking> bookings = new HashMap<>();
        final Map<String, PortalSession> sessions = new HashMap<>();
        int warmerNext;
        long sessionsOpened, sessionsEvicted, bookingsMade, bookingsDone;
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2].substring("stage=".length()));
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - STAGE_MINUTES[stage] * MINUTE;
        Random rnd = new Random(40_050_001);
        for (int c = 0; c < CLAYS; c++) {
            double[] s = new double[64];
            for (int k = 0; k < s.length; k++) s[k] = 0.08 + rnd.nextDouble() * 0.06;
            String code = "CLY-" + (300 + c);
            CLAYS_BY_CODE.put(code, new ClayBody(code, "Clay body " + c, s));
        }
        String[] glazeCodes = new String[GLAZES];
        int[] recipeBytes = new int[GLAZES];
        long[] formulatedAt = new long[GLAZES];
        for (int g = 0; g < GLAZES; g++) {
            glazeCodes[g] = "GLZ-" + (10_000 + g);
            recipeBytes[g] = 600 + rnd.nextInt(600);
            formulatedAt[g] = now - (long) (10 + rnd.nextInt(5_000)) * DAY;
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        for (int b = 0; b < POOL; b++) svc.controllerBuffers.add(new byte[32_768]);

        Random traffic = new Random(40_050_002);
        PriorityQueue<WheelBooking> ending = new PriorityQueue<>((a, b) -> a.endsAt() != b.endsAt() ? Long.compare(a.endsAt(), b.endsAt()) : a.bookingId().compareTo(b.bookingId()));
        long lazyLoads = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            // kiln controllers report every 12 s
            for (int tick = 0; tick < 5; tick++) {
                for (int k = 0; k < KILNS; k++) {
                    long at = minute + tick * 12_000L + k * 100L;
                    svc.readings[(int) (svc.readingsWritten++ % RING)] = new KilnReading(k, at, 20 + traffic.nextFloat() * 1_200, 1_000 + traffic.nextInt(300));
                }
            }
            // wheel sessions ending
            while (!ending.isEmpty() && ending.peek().endsAt() <= minute) { svc.bookings.remove(ending.poll().bookingId()); svc.bookingsDone++; }
            // glaze catalogue: lazy loads on requests and the warmer
            int requests = 10 + traffic.nextInt(10);
            for (int r = 0; r < requests; r++) {
                long at = minute + traffic.nextInt(60_000);
                int g = traffic.nextInt(GLAZES);
                if (svc.glazes.get(glazeCodes[g]) == null) { svc.glazes.put(glazeCodes[g], new GlazeRecipe(glazeCodes[g], "Glaze " + g, new byte[recipeBytes[g]], formulatedAt[g])); lazyLoads++; }
                String key = "kiln-" + traffic.nextInt(KILNS) + "/" + glazeCodes[g] + "/cone-" + (4 + traffic.nextInt(7));
                if (svc.schedules.get(key) == null) svc.schedules.put(key, new FiringSchedule(key, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.controllerBuffers.poll();
                buf[r] = (byte) minute;
                svc.controllerBuffers.add(buf);
            }
            for (int w = 0; w < WARM_PER_MINUTE && svc.warmerNext < GLAZES; w++, svc.warmerNext++) {
                int g = svc.warmerNext;
                if (svc.glazes.get(glazeCodes[g]) == null) svc.glazes.put(glazeCodes[g], new GlazeRecipe(glazeCodes[g], "Glaze " + g, new byte[recipeBytes[g]], formulatedAt[g]));
            }
            // wheel bookings
            if (traffic.nextInt(3) == 0) {
                long at = minute + traffic.nextInt(60_000);
                String id = "WB-" + (20_000 + svc.bookingsMade++);
                WheelBooking b = new WheelBooking(id, "MEM-" + (1_000 + traffic.nextInt(900)), traffic.nextInt(WHEELS), new byte[300 + traffic.nextInt(300)], at, at + (60 + traffic.nextInt(61)) * MINUTE);
                svc.bookings.put(id, b);
                ending.add(b);
            }
            // member portal
            int visits = 3 + traffic.nextInt(4);
            for (int v = 0; v < visits; v++) {
                long at = minute + traffic.nextInt(60_000);
                if (!svc.sessions.isEmpty() && traffic.nextInt(2) == 0) {
                    String sid = "PS-" + (svc.sessionsOpened - 1 - traffic.nextInt((int) Math.min(svc.sessionsOpened, 60)));
                    PortalSession s = svc.sessions.get(sid);
                    if (s != null) s.lastSeenAt = Math.max(s.lastSeenAt, at);
                } else {
                    String sid = "PS-" + svc.sessionsOpened++;
                    svc.sessions.put(sid, new PortalSession(sid, "MEM-" + (1_000 + traffic.nextInt(900)), new byte[200 + traffic.nextInt(200)], at));
                }
            }
            long sweepAt = minute + MINUTE;
            for (Iterator<PortalSession> it = svc.sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastSeenAt + SESSION_IDLE <= sweepAt) { it.remove(); svc.sessionsEvicted++; }
            }
        }
        ending = null;
        System.out.println("stage " + stage + " clays " + CLAYS_BY_CODE.size() + " glazes " + svc.glazes.size() + " (lazy " + lazyLoads + ", warmer at " + svc.warmerNext + ") schedules " + svc.schedules.size()
                + " (evicted " + svc.schedules.evicted + ") readings-written " + svc.readingsWritten + " bookings " + svc.bookings.size() + " (made " + svc.bookingsMade + ", done " + svc.bookingsDone + ")"
                + " sessions " + svc.sessions.size() + " (opened " + svc.sessionsOpened + ", evicted " + svc.sessionsEvicted + ") pool " + svc.controllerBuffers.size());
        int i = stage;
        check(CLAYS_BY_CODE.size() == CLAYS, "reference data");
        check(svc.glazes.size() == EXPECTED_GLAZES[i], "glaze catalogue");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted == EXPECTED_EVICTED[i], "schedule cache at cap");
        check(svc.readingsWritten == STAGE_MINUTES[i] * 5 * KILNS, "readings");
        check(svc.bookings.size() == EXPECTED_BOOKINGS[i] && svc.bookingsMade == EXPECTED_BOOKINGS_MADE[i], "bookings");
        check(svc.sessions.size() == EXPECTED_SESSIONS[i] && svc.sessionsOpened == EXPECTED_SESSIONS_OPENED[i], "sessions");
        check(svc.controllerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long[] EXPECTED_GLAZES = {0, 2_549, 3_000, 3_000};
    static final long[] EXPECTED_EVICTED = {0, 278, 2_937, 6_427};
    static final long[] EXPECTED_BOOKINGS = {0, 20, 34, 35};
    static final long[] EXPECTED_BOOKINGS_MADE = {0, 20, 89, 178};
    static final long[] EXPECTED_SESSIONS = {0, 59, 67, 59};
    static final long[] EXPECTED_SESSIONS_OPENED = {0, 126, 530, 1_080};
}
