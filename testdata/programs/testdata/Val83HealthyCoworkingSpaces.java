// hprofscan-dump: name=val83-healthy-coworking-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val83-healthy-coworking-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val83-healthy-coworking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val83-healthy-coworking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 83 (written blind), HEALTHY: the operations portal of a chain of coworking spaces.
 * Space reference data, the member directory, a cache of rendered floor plans at its cap, a pool of
 * badge-printer buffers, a ring of door-access events (filling in stage 1, full from stage 2), the
 * HTTP sessions of the 150 community managers (logged in all day, never expiring while in use), each
 * with a back-button cache of rendered pages trimmed to the last 12, and a JSON writer whose
 * cycle-detection visited set is a static IdentityHashMap cleared when each top-level document is
 * done. See VALIDATION83.md.
 */
public final class Val83HealthyCoworkingSpaces {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int SPACES = 1_300, MEMBERS = 26_000, PLAN_CAP = 2_000, POOL = 8, DOOR_RING = 16_384, STAFF = 150, BACK_CAP = 12, VIEWS_PER_HOUR = 4_500, DOOR_EVENTS_PER_HOUR = 6_000;

    record Space(String code, String city, double[] occupancyByWeek) {}
    record Member(String memberId, String homeSpace, String plan, byte[] contract, long joinedAt) {}
    record FloorPlan(String key, byte[] rendered, long at) {}
    record DoorEvent(String memberId, String door, boolean granted, long at) {}
    record RenderedPage(String path, long renderedAt, byte[] html) {}

    static final class ManagerSession {
        final String sessionId, staffId;
        final long loginAt;
        long lastSeen, views;
        final Map<String, Object> attributes = new HashMap<>();
        /** Back-button cache: the last BACK_CAP pages this session rendered. */
        final ArrayDeque<RenderedPage> backCache = new ArrayDeque<>();
        ManagerSession(String sessionId, String staffId, long loginAt) { this.sessionId = sessionId; this.staffId = staffId; this.loginAt = loginAt; this.lastSeen = loginAt; }
        void remember(RenderedPage p) {
            backCache.addLast(p);
            if (backCache.size() > BACK_CAP) backCache.removeFirst();
        }
    }

    interface JsonBean { Object[] jsonFields(); }
    record BookingDto(String bookingId, String room, long from, long until, List<String> attendees) implements JsonBean {
        public Object[] jsonFields() { return new Object[] {"id", bookingId, "room", room, "from", from, "until", until, "attendees", attendees}; }
    }
    record DayDto(String spaceCode, String day, List<BookingDto> bookings) implements JsonBean {
        public Object[] jsonFields() { return new Object[] {"space", spaceCode, "day", day, "bookings", bookings}; }
    }

    /** JSON writer with cycle detection; the visited set is static but emptied after every document. */
    static final class Json {
        static final Set<Object> VISITED = Collections.newSetFromMap(new IdentityHashMap<>());
        static long documents;
        static int depth, maxVisited;
        static String write(Object root) {
            StringBuilder sb = new StringBuilder(512);
            try {
                value(sb, root);
            } finally {
                maxVisited = Math.max(maxVisited, VISITED.size());
                VISITED.clear();
                depth = 0;
            }
            documents++;
            return sb.toString();
        }
        static void value(StringBuilder sb, Object v) {
            if (v == null) sb.append("null");
            else if (v instanceof String s) sb.append('"').append(s).append('"');
            else if (v instanceof Number || v instanceof Boolean) sb.append(v);
            else if (v instanceof List<?> list) {
                if (!VISITED.add(list)) throw new IllegalStateException("cycle");
                sb.append('[');
                for (int i = 0; i < list.size(); i++) { if (i > 0) sb.append(','); value(sb, list.get(i)); }
                sb.append(']');
            } else if (v instanceof JsonBean bean) {
                if (!VISITED.add(bean)) throw new IllegalStateException("cycle");
                Object[] f = bean.jsonFields();
                sb.append('{');
                for (int i = 0; i < f.length; i += 2) { if (i > 0) sb.append(','); sb.append('"').append(f[i]).append("\":"); value(sb, f[i + 1]); }
                sb.append('}');
            } else throw new IllegalArgumentException("not serializable: " + v.getClass());
        }
    }

    static final class PlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    /** Hand-rolled ring: keeps the newest DOOR_RING events. */
    static final class DoorLog {
        final DoorEvent[] items = new DoorEvent[DOOR_RING];
        int head, size; long written;
        void add(DoorEvent e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final Map<String, Space> SPACES_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, ManagerSession> sessions = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> badgeBuffers = new ArrayDeque<>();
        final DoorLog doors = new DoorLog();
        long expired;
        void sweep(long now) {
            for (Iterator<ManagerSession> it = sessions.values().iterator(); it.hasNext(); ) if (now - it.next().lastSeen > IDLE_TIMEOUT) { it.remove(); expired++; }
        }
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int doorEvents = DOOR_EVENTS_PER_HOUR * hours;
        int views = VIEWS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(83_050_001);
        String[] cities = {"Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast", "Norwich", "York"};
        String[] spaceCodes = new String[SPACES];
        for (int s = 0; s < SPACES; s++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            spaceCodes[s] = "CW-" + cities[s % cities.length].substring(0, 3).toUpperCase() + "-" + (100 + s);
            SPACES_BY_CODE.put(spaceCodes[s], new Space(spaceCodes[s], cities[s % cities.length], occ));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        String[] plans = {"hot-desk", "fixed-desk", "private-office", "virtual"};
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "MB" + (6_100_000 + m * 11);
            svc.members.put(memberIds[m], new Member(memberIds[m], spaceCodes[rnd.nextInt(SPACES)], plans[rnd.nextInt(plans.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.badgeBuffers.add(new byte[32_768]);
        ManagerSession[] staff = new ManagerSession[STAFF];
        for (int s = 0; s < STAFF; s++) {
            String sid = Long.toHexString(0xc0_0000_0000L + s * 104_729L);
            staff[s] = new ManagerSession(sid, "cm-" + (200 + s), start - rnd.nextInt(20) * MINUTE);
            staff[s].attributes.put("locale", "en-GB");
            staff[s].attributes.put("space", spaceCodes[s * 7 % SPACES]);
            svc.sessions.put(sid, staff[s]);
        }
        Random traffic = new Random(83_050_002);
        String[] screens = {"/spaces/%s/today", "/spaces/%s/bookings", "/members/%s", "/spaces/%s/invoices"};
        String[] doorsNames = {"Front", "Side", "Bike store", "Roof terrace"};
        long nextSweep = start + MINUTE, nextPoll = start + 5 * MINUTE;
        int v = 0;
        for (int i = 0; i < doorEvents; i++) {
            long t = start + (end - MINUTE - start) * i / doorEvents;
            while (nextPoll <= t) { for (ManagerSession s : staff) s.lastSeen = Math.max(s.lastSeen, nextPoll); nextPoll += 5 * MINUTE; }
            while (nextSweep <= t) { svc.sweep(nextSweep); nextSweep += MINUTE; }
            svc.doors.add(new DoorEvent(memberIds[traffic.nextInt(MEMBERS)], doorsNames[traffic.nextInt(doorsNames.length)], traffic.nextInt(50) != 0, t));
            // 3 page views per 4 door events
            for (; (long) v * doorEvents < (long) (i + 1) * views; v++) {
                ManagerSession s = staff[traffic.nextInt(STAFF)];
                s.lastSeen = t; s.views++;
                int screen = traffic.nextInt(screens.length);
                String arg = screen == 2 ? memberIds[traffic.nextInt(MEMBERS)] : spaceCodes[traffic.nextInt(SPACES)];
                String body;
                if (screen == 1) { // the bookings page is also served as JSON to the calendar widget
                    List<BookingDto> bookings = new ArrayList<>();
                    int n = 2 + traffic.nextInt(6);
                    for (int k = 0; k < n; k++) bookings.add(new BookingDto("BK" + traffic.nextInt(1_000_000), "Room " + traffic.nextInt(12), t + k * HOUR, t + (k + 1) * HOUR, List.of(memberIds[traffic.nextInt(MEMBERS)], memberIds[traffic.nextInt(MEMBERS)])));
                    body = Json.write(new DayDto(arg, "today", bookings));
                } else body = "";
                s.remember(new RenderedPage(String.format(screens[screen], arg) + "?v=" + body.length(), t, new byte[200 + traffic.nextInt(400)]));
                String key = "plan-" + spaceCodes[traffic.nextInt(SPACES)] + "/f" + traffic.nextInt(3);
                if (svc.plans.get(key) == null) svc.plans.put(key, new FloorPlan(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.badgeBuffers.poll();
                buf[v % buf.length] = (byte) v;
                svc.badgeBuffers.add(buf);
            }
        }
        while (nextPoll <= end) { for (ManagerSession s : staff) s.lastSeen = Math.max(s.lastSeen, nextPoll); nextPoll += 5 * MINUTE; }
        while (nextSweep <= end) { svc.sweep(nextSweep); nextSweep += MINUTE; }
        long cached = 0;
        int minViews = Integer.MAX_VALUE;
        for (ManagerSession s : svc.sessions.values()) { cached += s.backCache.size(); minViews = (int) Math.min(minViews, s.views); }
        System.out.println("stage " + stage + " spaces " + SPACES_BY_CODE.size() + " members " + svc.members.size() + " sessions " + svc.sessions.size() + " (expired " + svc.expired + ") views " + v + " (min per session " + minViews + ") cached pages " + cached
                + " json documents " + Json.documents + " (visited now " + Json.VISITED.size() + ", max " + Json.maxVisited + ") door log " + svc.doors.size + " (written " + svc.doors.written + ", head " + svc.doors.head + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.badgeBuffers.size());
        check(SPACES_BY_CODE.size() == SPACES && svc.members.size() == MEMBERS, "reference data / directory");
        check(v == views && svc.sessions.size() == STAFF && svc.expired == 0, "sessions");
        check(cached == (long) STAFF * BACK_CAP, "back caches trimmed: " + cached);
        check(Json.VISITED.isEmpty() && Json.documents > 0, "visited set emptied after every document");
        check(svc.doors.written == doorEvents && svc.doors.size == Math.min(doorEvents, DOOR_RING), "door ring");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.badgeBuffers.size() == POOL, "pool");
        LeakCheck.histogram(" [I (", "java.util.IdentityHashMap ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
