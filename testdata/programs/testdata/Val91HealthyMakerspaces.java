// hprofscan-dump: name=val91-healthy-makerspaces-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val91-healthy-makerspaces-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val91-healthy-makerspaces jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val91-healthy-makerspaces-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validation set 91 (written blind), HEALTHY: the member portal of a chain of makerspaces.
 * Machine-type reference data, the member directory, a cache of rendered booking calendars at its
 * cap, a pool of G-code upload buffers, a ring of door-badge swipes, a project follow index
 * ({@code followersOf} / {@code followingOf}, both directions updated by follow and unfollow,
 * churning at a constant size) and per-machine telemetry histories ({@code TreeMap<Long, Reading>}
 * keyed by epoch milliseconds, trimmed every minute to the last two hours with a cutoff in
 * milliseconds). Warms up, then plateaus. See VALIDATION91.md.
 */
public final class Val91HealthyMakerspaces {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW = 2 * HOUR;
    static final int MACHINE_TYPES = 1_200, MEMBERS = 25_000, PROJECTS = 6_000, INITIAL_FOLLOWS = 40_000, MACHINES = 400;
    static final int CALENDAR_CAP = 2_000, POOL = 8, SWIPE_RING = 12_288, EVENTS_PER_HOUR = 9_000;
    static final long FIRST_MEMBER = 60_000_000L, FIRST_PROJECT = 90_000_000L;

    record MachineType(String code, String name, double[] wearCurve) {}
    record MakerMember(String membershipNo, String name, String homeSpace, byte[] waiver, long joinedAt) {}
    record Calendar(String key, byte[] rendered, long at) {}
    record Swipe(String membershipNo, String door, long at) {}
    record Reading(long at, float spindleTempC, float vibration, int rpm) {}

    /** Who follows which project, both directions. */
    static final class ProjectFollows {
        final Map<Long, Set<Long>> followersOf = new HashMap<>(); // project -> members
        final Map<Long, Set<Long>> followingOf = new HashMap<>(); // member -> projects
        long follows, unfollows;
        boolean follow(Long member, Long project) {
            if (!followingOf.computeIfAbsent(member, k -> new HashSet<>()).add(project)) return false;
            followersOf.computeIfAbsent(project, k -> new HashSet<>()).add(member);
            follows++;
            return true;
        }
        void unfollow(Long member, Long project) {
            removePair(followingOf, member, project);
            removePair(followersOf, project, member);
            unfollows++;
        }
        static void removePair(Map<Long, Set<Long>> m, Long key, Long value) {
            Set<Long> s = m.get(key);
            if (s != null && s.remove(value) && s.isEmpty()) m.remove(key);
        }
        static long pairs(Map<Long, Set<Long>> m) {
            long n = 0;
            for (Set<Long> s : m.values()) n += s.size();
            return n;
        }
    }

    /** The last two hours of one machine's telemetry. */
    static final class Telemetry {
        final String machineId;
        final TreeMap<Long, Reading> readings = new TreeMap<>();
        long added, trimmed;
        Telemetry(String machineId) { this.machineId = machineId; }
        void add(Reading r) { readings.put(r.at(), r); added++; }
        void trim(long nowMs) {
            SortedMap<Long, Reading> old = readings.headMap(nowMs - WINDOW);
            trimmed += old.size();
            old.clear();
        }
    }

    static final class CalendarCache extends LinkedHashMap<String, Calendar> {
        long evicted;
        CalendarCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Calendar> e) { if (size() > CALENDAR_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, MachineType> MACHINE_TYPES_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, MakerMember> members = new HashMap<>();
        final ProjectFollows follows = new ProjectFollows();
        final Map<String, Telemetry> telemetry = new HashMap<>();
        final CalendarCache calendars = new CalendarCache();
        final ArrayDeque<byte[]> gcodeBuffers = new ArrayDeque<>();
        final Swipe[] swipes = new Swipe[SWIPE_RING];
        long swipesWritten, trims;
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Long[] pickFollowed(PortalService svc, Random r) {
        while (true) {
            Long m = FIRST_MEMBER + r.nextInt(MEMBERS);
            Set<Long> s = svc.follows.followingOf.get(m);
            if (s == null) continue;
            int k = r.nextInt(s.size());
            Iterator<Long> it = s.iterator();
            Long p = it.next();
            while (k-- > 0) p = it.next();
            return new Long[] {m, p};
        }
    }

    static void simulate(PortalService svc, String[] membershipNos, String[] machineIds, long start, long end, int hours) {
        Random traffic = new Random(91_050_002);
        String[] doors = {"Main door", "Wood shop", "Metal shop", "Laser room", "Textiles", "Electronics"};
        int events = EVENTS_PER_HOUR * hours;
        long nextTrim = start + MINUTE;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextTrim <= t) {
                for (Telemetry tm : svc.telemetry.values()) tm.trim(nextTrim);
                svc.trims++;
                nextTrim += MINUTE;
            }
            // telemetry: each machine reports every 400 events (160 s)
            svc.telemetry.get(machineIds[i % MACHINES]).add(new Reading(t, 20 + traffic.nextFloat() * 40, traffic.nextFloat(), 1_000 + traffic.nextInt(20_000)));
            svc.swipes[(int) (svc.swipesWritten++ % SWIPE_RING)] = new Swipe(membershipNos[traffic.nextInt(MEMBERS)], doors[traffic.nextInt(doors.length)], t);
            if (i % 3 == 0) { // follow churn: a follow, then an unfollow
                if (i % 6 == 0) {
                    while (true) {
                        Long m = FIRST_MEMBER + traffic.nextInt(MEMBERS);
                        Long p = FIRST_PROJECT + traffic.nextInt(PROJECTS);
                        if (svc.follows.follow(m, p)) break;
                    }
                } else {
                    Long[] f = pickFollowed(svc, traffic);
                    svc.follows.unfollow(f[0], f[1]);
                }
            }
            String key = "cal-" + traffic.nextInt(4_000);
            if (svc.calendars.get(key) == null) svc.calendars.put(key, new Calendar(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 2 == 0) {
                byte[] buf = svc.gcodeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.gcodeBuffers.add(buf);
            }
        }
        while (nextTrim <= end) {
            for (Telemetry tm : svc.telemetry.values()) tm.trim(nextTrim);
            svc.trims++;
            nextTrim += MINUTE;
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(91_050_001);
        String[] typeCodes = new String[MACHINE_TYPES];
        for (int m = 0; m < MACHINE_TYPES; m++) {
            double[] wear = new double[64];
            for (int k = 0; k < wear.length; k++) wear[k] = rnd.nextDouble();
            typeCodes[m] = "MT-" + (600 + m);
            MACHINE_TYPES_BY_CODE.put(typeCodes[m], new MachineType(typeCodes[m], "Machine type " + m, wear));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] membershipNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            membershipNos[m] = "MK" + (300_000 + m * 3);
            svc.members.put(membershipNos[m], new MakerMember(membershipNos[m], "Maker " + m, "Space " + (m % 12), new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        Random load = new Random(91_050_003);
        int loaded = 0;
        while (loaded < INITIAL_FOLLOWS) {
            if (svc.follows.follow(FIRST_MEMBER + load.nextInt(MEMBERS), FIRST_PROJECT + load.nextInt(PROJECTS))) loaded++;
        }
        String[] machineIds = new String[MACHINES];
        for (int m = 0; m < MACHINES; m++) {
            machineIds[m] = "M-" + (m % 12) + "-" + typeCodes[rnd.nextInt(MACHINE_TYPES)] + "-" + m;
            svc.telemetry.put(machineIds[m], new Telemetry(machineIds[m]));
        }
        for (int b = 0; b < POOL; b++) svc.gcodeBuffers.add(new byte[32_768]);
        simulate(svc, membershipNos, machineIds, start, end, hours);
        membershipNos = null;
        ProjectFollows f = svc.follows;
        long followers = ProjectFollows.pairs(f.followersOf), following = ProjectFollows.pairs(f.followingOf);
        long held = 0, added = 0, trimmed = 0, oldest = Long.MAX_VALUE;
        int maxPerMachine = 0;
        for (Telemetry tm : svc.telemetry.values()) {
            held += tm.readings.size(); added += tm.added; trimmed += tm.trimmed;
            maxPerMachine = Math.max(maxPerMachine, tm.readings.size());
            oldest = Math.min(oldest, tm.readings.firstKey());
        }
        int events = EVENTS_PER_HOUR * hours;
        System.out.println("stage " + stage + " machine types " + MACHINE_TYPES_BY_CODE.size() + " members " + svc.members.size() + " follows " + following + " / " + followers + " pairs (keys " + f.followingOf.size() + " / " + f.followersOf.size()
                + ", follows " + f.follows + " unfollows " + f.unfollows + ") telemetry " + held + " readings held (added " + added + ", trimmed " + trimmed + ", max " + maxPerMachine + " per machine, oldest " + (end - oldest) / MINUTE
                + " min) trims " + svc.trims + " swipes " + svc.swipesWritten + " calendars " + svc.calendars.size() + " (evicted " + svc.calendars.evicted + ") pool " + svc.gcodeBuffers.size());
        check(MACHINE_TYPES_BY_CODE.size() == MACHINE_TYPES && svc.members.size() == MEMBERS && svc.telemetry.size() == MACHINES, "reference data / directory");
        check(following == INITIAL_FOLLOWS && followers == INITIAL_FOLLOWS, "follow index constant");
        check(f.unfollows == (events + 5) / 6 && f.follows == INITIAL_FOLLOWS + (events + 5) / 6, "follow churn");
        check(added == events && held + trimmed == added && end - oldest <= WINDOW && maxPerMachine <= 46, "telemetry trimmed to the window: " + held);
        check(svc.trims == hours * 60L, "trims");
        check(svc.swipesWritten == events && svc.swipes[Math.min(events, SWIPE_RING) - 1] != null, "swipe ring");
        check(svc.calendars.size() == CALENDAR_CAP && svc.calendars.evicted > 0, "calendar cache at cap");
        check(svc.gcodeBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
