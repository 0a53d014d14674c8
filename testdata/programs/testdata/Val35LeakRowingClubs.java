// hprofscan-dump: name=val35-leak-rowingclubs-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val35-leak-rowingclubs-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val35-leak-rowingclubs jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val35-leak-rowingclubs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 35 (written blind), LEAK: a multi-tenant club-management service hosting 12
 * rowing clubs. Regatta-course reference data, the tenants (a map keyed by tenant id, each with
 * constant settings and a member directory), a cache of rendered calendar pages at its cap, a ring
 * of recent logins and a pool of photo-resize buffers. Every tenant keeps its activity feed
 * (session bookings, results, boat reservations, ...) in a list on the tenant object; the
 * configured feed cap (settings.feedCap = 200) is applied only when the feed is read for display,
 * never to the stored list, so every event since start stays. See VALIDATION35.md.
 */
public final class Val35LeakRowingClubs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLUBS = 12, MEMBERS_PER_CLUB = 1_500, COURSES = 1_000, PAGE_CAP = 2_000, POOL = 8, RING = 2_048, EVENTS_PER_HOUR = 4_000, FEED_CAP = 200;
    static boolean FIXED;

    record Course(String code, String river, double[] flowByWeek) {}
    record TenantSettings(String timeZone, String locale, int feedCap, boolean publicCalendar, String brandColour) {}
    record Member(String memberId, String name, String squad, byte[] profile, long joinedAt) {}
    record Payload(String summary, byte[] body) {}
    record ActivityEvent(long id, String kind, String actorId, long at, Payload payload) {}
    record Login(String tenantId, String memberId, long at) {}
    record CalendarPage(String key, byte[] rendered, long at) {}

    static final class Tenant {
        final String tenantId, name;
        final TenantSettings settings;
        final Map<String, Member> members = new HashMap<>();
        final List<ActivityEvent> feed = new ArrayList<>();
        long posted, reads;
        Tenant(String tenantId, String name, TenantSettings settings) { this.tenantId = tenantId; this.name = name; this.settings = settings; }
        void post(ActivityEvent e) {
            feed.add(e);
            posted++;
            if (FIXED && feed.size() > settings.feedCap()) feed.remove(0); // the fix: cap the stored feed
            // BUG: without the fix nothing is ever removed from the stored feed
        }
        /** What the club's home page shows: the newest feedCap events (the only place the cap is applied). */
        List<ActivityEvent> displayFeed() {
            reads++;
            int n = feed.size();
            return new ArrayList<>(feed.subList(Math.max(0, n - settings.feedCap()), n));
        }
    }

    static final class PageCache extends LinkedHashMap<String, CalendarPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CalendarPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();

    static final class ClubService {
        final Map<String, Tenant> tenants = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Login[] logins = new Login[RING];
        long loginCount;
    }

    static ClubService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val35.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(35_010_001);
        String[] rivers = {"Thames", "Severn", "Trent", "Ouse", "Cam", "Isis", "Wear", "Tyne", "Dee", "Avon"};
        for (int c = 0; c < COURSES; c++) {
            double[] flow = new double[64];
            for (int k = 0; k < flow.length; k++) flow[k] = 5 + rnd.nextDouble() * 120;
            String code = "CRS-" + (2_000 + c);
            COURSES_BY_CODE.put(code, new Course(code, rivers[c % rivers.length], flow));
        }
        ClubService svc = new ClubService();
        SERVICE = svc;
        String[] clubNames = {"Riverside", "Kingsmead", "Old Bridge", "Weir End", "Lockside", "Willow Bank", "Heron", "Mill Race", "Ferry Point", "Boathouse Row", "Northreach", "St Cuthbert"};
        String[] squads = {"Masters", "Senior", "Junior", "Novice", "Para", "Recreational"};
        String[] zones = {"Europe/London", "Europe/Dublin", "Europe/Amsterdam"};
        Tenant[] tenantArr = new Tenant[CLUBS];
        String[][] memberIds = new String[CLUBS][MEMBERS_PER_CLUB];
        for (int k = 0; k < CLUBS; k++) {
            String id = "club-" + (301 + k * 17);
            Tenant t = new Tenant(id, clubNames[k] + " Rowing Club", new TenantSettings(zones[k % zones.length], "en-GB", FEED_CAP, k % 3 != 0, "#" + Integer.toHexString(0x204060 + k * 0x0a0b0c)));
            for (int m = 0; m < MEMBERS_PER_CLUB; m++) {
                String mid = id + "-m" + (10_000 + m);
                memberIds[k][m] = mid;
                t.members.put(mid, new Member(mid, "Rower " + (char) ('A' + rnd.nextInt(26)) + ". " + (1_000 + rnd.nextInt(9_000)), squads[rnd.nextInt(squads.length)],
                        new byte[120 + rnd.nextInt(120)], now - (long) (1 + rnd.nextInt(3_650)) * 24 * HOUR));
            }
            tenantArr[k] = t;
            svc.tenants.put(id, t);
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        // Tenant activity is skewed: weights 1..3 (total 24).
        int[] weights = {3, 1, 2, 3, 1, 2, 2, 3, 1, 2, 3, 1};
        int[] pick = new int[24];
        for (int k = 0, p = 0; k < CLUBS; k++) for (int w = 0; w < weights[k]; w++) pick[p++] = k;
        Random traffic = new Random(35_010_002);
        String[] kinds = {"SESSION_BOOKED", "RESULT_POSTED", "BOAT_RESERVED", "COMMENT", "PHOTO_SHARED"};
        String[] boats = {"1x", "2x", "2-", "4x", "4+", "8+"};
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            int k = pick[traffic.nextInt(pick.length)];
            Tenant tenant = tenantArr[k];
            String actor = memberIds[k][traffic.nextInt(MEMBERS_PER_CLUB)];
            String kind = kinds[traffic.nextInt(kinds.length)];
            String summary = switch (kind) {
                case "SESSION_BOOKED" -> "Booked " + boats[traffic.nextInt(boats.length)] + " outing " + (5 + traffic.nextInt(14)) + ":" + (traffic.nextBoolean() ? "00" : "30");
                case "RESULT_POSTED" -> "2k erg " + (6 + traffic.nextInt(3)) + ":" + (10 + traffic.nextInt(50)) + "." + traffic.nextInt(10);
                case "BOAT_RESERVED" -> "Reserved hull H-" + (100 + traffic.nextInt(80));
                case "COMMENT" -> "Comment on thread " + traffic.nextInt(4_000);
                default -> "Photo album " + traffic.nextInt(900);
            };
            tenant.post(new ActivityEvent(40_000_000L + i, kind, actor, t, new Payload(summary, new byte[30 + traffic.nextInt(50)])));
            if (i % 3 == 0) svc.logins[(int) (svc.loginCount++ % RING)] = new Login(tenant.tenantId, actor, t);
            if (i % 2 == 0) {
                int shown = i % 4 == 0 ? tenant.displayFeed().size() : 0;
                String key = "cal-" + traffic.nextInt(4_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new CalendarPage(key, new byte[400 + traffic.nextInt(400) + shown % 2], t));
                byte[] buf = svc.photoBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.photoBuffers.add(buf);
            }
        }
        long posted = 0, stored = 0, members = 0;
        StringBuilder per = new StringBuilder();
        for (Tenant t : tenantArr) {
            posted += t.posted; stored += t.feed.size(); members += t.members.size();
            per.append(' ').append(t.feed.size());
            if (FIXED) check(t.feed.size() == Math.min(t.posted, FEED_CAP), "capped feed of " + t.tenantId);
            else check(t.feed.size() == t.posted, "feed keeps everything: " + t.tenantId);
            check(t.members.size() == MEMBERS_PER_CLUB, "members of " + t.tenantId);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " courses " + COURSES_BY_CODE.size() + " tenants " + svc.tenants.size() + " members " + members + " posted " + posted + " stored " + stored
                + " (per tenant" + per + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.photoBuffers.size() + " logins " + svc.loginCount);
        check(COURSES_BY_CODE.size() == COURSES && svc.tenants.size() == CLUBS, "reference data / tenants");
        check(posted == events, "posted");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.loginCount == (events + 2) / 3 && svc.logins[RING - 1] != null, "login ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
