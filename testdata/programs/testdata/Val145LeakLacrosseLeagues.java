// hprofscan-dump: name=val145-leak-lacrosseleagues-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val145-leak-lacrosseleagues-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val145-leak-lacrosseleagues jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val145-leak-lacrosseleagues-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 145 (written blind), LEAK (growth series): the members' portal of a lacrosse
 * league association (players, coaches, referees, parents and volunteers of its clubs log in to see
 * fixtures, results, availability and squad messages). The session cache is an access-ordered
 * LinkedHashMap whose removeEldestEntry was meant to cap it at 2,000 sessions, but it compares
 * size() with the cache's byte budget field (maxBytes, 256 MiB) instead of maxEntries: it never
 * evicts, and every login's session stays unless the member logs out. Ordinary components beside
 * it: club and division reference data, the member directory, a cache of rendered fixture pages at
 * its cap, a pool of stats-render buffers, a ring of recent logins and the notification outbox
 * with its backlog. Stage 1/2/3 simulate 2/4/8 hours. See VALIDATION145.md.
 */
public final class Val145LeakLacrosseLeagues {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CLUBS = 900, DIVISIONS = 40, MEMBERS = 20_000, SESSION_CAP = 2_000, PAGE_CAP = 1_500, POOL = 8, RING = 4_096,
            OUTBOX_BATCH = 250;
    static final long SESSION_BYTE_BUDGET = 256L << 20;
    static final String[] ROLES = {"player", "player", "player", "coach", "referee", "parent", "parent", "volunteer"};
    static final String[] PAGES = {"/fixtures", "/results", "/table", "/squad", "/availability", "/messages", "/club/news", "/me/registration"};
    static final String[] REGIONS = {"north", "south", "east", "west", "midlands", "coast", "valley", "highlands"};
    static boolean FIXED;

    record Club(String code, String name, String region, double[] attendanceByWeek) {}
    record Division(String code, String name, int teams, int[] roundDates) {}
    record Member(String membershipNo, String name, String clubCode, String role, byte[] profile, long registeredAt) {}
    record FixturePage(String key, byte[] html, long renderedAt) {}
    record LoginEvent(String membershipNo, String clubCode, String userAgent, long at) {}
    record Notification(String to, String subject, String body, long queuedAt) {}

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();
    static final Map<String, Division> DIVISIONS_BY_CODE = new HashMap<>();

    static final class MemberSession {
        final String token, membershipNo, clubCode, role;
        final long loginAt;
        long lastSeenAt;
        int requests;
        final byte[] attributes;      // serialised session attributes (CSRF token, squad filters, draft messages)
        MemberSession(String token, String membershipNo, String clubCode, String role, long loginAt, byte[] attributes) {
            this.token = token; this.membershipNo = membershipNo; this.clubCode = clubCode; this.role = role; this.loginAt = loginAt; this.lastSeenAt = loginAt;
            this.attributes = attributes;
        }
    }

    /** Sessions by token, least recently used first; meant to hold at most maxEntries sessions. */
    static final class SessionCache extends LinkedHashMap<String, MemberSession> {
        final int maxEntries;
        final long maxBytes;
        long evicted;
        SessionCache(int maxEntries, long maxBytes) { super(4_096, 0.75f, true); this.maxEntries = maxEntries; this.maxBytes = maxBytes; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MemberSession> eldest) {
            boolean full = FIXED ? size() > maxEntries : size() > maxBytes; // BUG: an entry count compared with the byte budget
            if (full) evicted++;
            return full;
        }
    }

    static final class PageCache extends LinkedHashMap<String, FixturePage> {
        long evicted;
        PageCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FixturePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class PortalService {
        final Map<String, Member> members = new HashMap<>();
        final String[] membershipNos = new String[MEMBERS];
        final SessionCache sessions = new SessionCache(SESSION_CAP, SESSION_BYTE_BUDGET);
        final String[] tokensIssued = new String[RING];
        final LoginEvent[] recentLogins = new LoginEvent[RING];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> statBuffers = new ArrayDeque<>();
        final ArrayDeque<Notification> outbox = new ArrayDeque<>();
        long logins, logouts, requests, unknownTokens, pageHits, pageRenders, notificationsQueued, notificationsSent;

        void login(Random r, long t) {
            Member m = members.get(membershipNos[r.nextInt(MEMBERS)]);
            String token = String.format("%016x%016x", r.nextLong(), r.nextLong());
            sessions.put(token, new MemberSession(token, m.membershipNo(), m.clubCode(), m.role(), t, new byte[400 + r.nextInt(500)]));
            int slot = (int) (logins++ % RING);
            tokensIssued[slot] = token;
            recentLogins[slot] = new LoginEvent(m.membershipNo(), m.clubCode(), r.nextInt(3) == 0 ? "LaxApp/5.2 (iOS 17)" : "Mozilla/5.0 (Android 14)", t);
        }

        /** Most requests come from the members who logged in during the last hour or so. */
        void request(Random r, long t) {
            int n = (int) Math.min(logins, 2_500);
            String token = tokensIssued[(int) ((logins - 1 - r.nextInt(n)) % RING)];
            String page = PAGES[r.nextInt(PAGES.length)];
            int division = r.nextInt(DIVISIONS), round = r.nextInt(60), roll = r.nextInt(4);
            long ref = r.nextLong();
            MemberSession s = sessions.get(token);
            if (s == null) { unknownTokens++; return; }          // expired or logged out: sent to the login page
            s.lastSeenAt = t;
            s.requests++;
            requests++;
            if (page.equals("/fixtures") || page.equals("/results") || page.equals("/table")) {
                String key = page + "/DIV-" + (100 + division) + "/r" + round;
                if (pages.get(key) != null) pageHits++;
                else { pages.put(key, new FixturePage(key, new byte[400 + Math.floorMod(key.hashCode(), 400)], t)); pageRenders++; }
            } else if (page.equals("/messages") && roll == 0) {
                outbox.addLast(new Notification(s.membershipNo + "@members.example", "Squad message from " + s.clubCode,
                        "Training moved to the 3G pitch, bring both sticks. Ref " + String.format("%016x", ref), t));
                notificationsQueued++;
            }
            byte[] buf = statBuffers.poll();
            buf[s.requests % buf.length]++;
            statBuffers.add(buf);
        }

        void logout(Random r, long t) {
            int n = (int) Math.min(logins, 3_000);
            if (sessions.remove(tokensIssued[(int) ((logins - 1 - r.nextInt(n)) % RING)]) != null) logouts++;
        }

        void sendNotifications() {
            for (int k = 0; k < OUTBOX_BATCH && !outbox.isEmpty(); k++) { outbox.pollFirst(); notificationsSent++; }
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(145_030_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] weeks = new double[52];
            for (int w = 0; w < weeks.length; w++) weeks[w] = rnd.nextInt(600);
            clubCodes[c] = "LC-" + (3_000 + c * 3);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Lacrosse Club " + (c + 1), REGIONS[rnd.nextInt(REGIONS.length)], weeks));
        }
        for (int d = 0; d < DIVISIONS; d++) {
            int[] rounds = new int[60];
            for (int k = 0; k < rounds.length; k++) rounds[k] = k * 7 + rnd.nextInt(3);
            String code = "DIV-" + (100 + d);
            DIVISIONS_BY_CODE.put(code, new Division(code, (d < 20 ? "Men's " : "Women's ") + "division " + (1 + d % 20), 8 + rnd.nextInt(6), rounds));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            svc.membershipNos[m] = "LAX" + (200_000 + m * 9);
            svc.members.put(svc.membershipNos[m], new Member(svc.membershipNos[m], "member " + (m + 1), clubCodes[rnd.nextInt(CLUBS)], ROLES[rnd.nextInt(ROLES.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.statBuffers.add(new byte[32_768]);

        Random traffic = new Random(145_030_002);
        for (long t = start; t < end; t += MINUTE) {
            int outs = t == start ? 0 : 3 + traffic.nextInt(6);         // ~1 in 8 members logs out
            for (int k = 0; k < outs; k++) svc.logout(traffic, t + k * 500L);
            int logins = 34 + traffic.nextInt(17);                        // ~2,500 an hour
            for (int k = 0; k < logins; k++) svc.login(traffic, t + 5 * SECOND + k * 1_000L);
            int reqs = 110 + traffic.nextInt(61);
            for (int k = 0; k < reqs; k++) svc.request(traffic, t + 5 * SECOND + k * 300L);
            if ((t - start) % (5 * MINUTE) == 2 * MINUTE) svc.sendNotifications();
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val145.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage) {
        PortalService svc = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " clubs " + CLUBS_BY_CODE.size() + " divisions " + DIVISIONS_BY_CODE.size() + " members " + svc.members.size()
                + " logins " + svc.logins + " logouts " + svc.logouts + " requests " + svc.requests + " (unknown tokens " + svc.unknownTokens + ") sessions " + svc.sessions.size()
                + " (evicted " + svc.sessions.evicted + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ", hits " + svc.pageHits + ", renders " + svc.pageRenders
                + ") notifications +" + svc.notificationsQueued + " sent " + svc.notificationsSent + " backlog " + svc.outbox.size() + " pool " + svc.statBuffers.size());
        check(CLUBS_BY_CODE.size() == CLUBS && DIVISIONS_BY_CODE.size() == DIVISIONS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.sessions.size() + svc.sessions.evicted + svc.logouts == svc.logins, "sessions accounted");
        check(FIXED ? svc.sessions.size() == SESSION_CAP : svc.sessions.evicted == 0, "session cache");
        long expected = stage == 1 ? EXPECTED[0] : stage == 2 ? EXPECTED[1] : EXPECTED[2];
        check(FIXED || expected < 0 || svc.sessions.size() == expected, "session entries " + svc.sessions.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "fixture page cache at cap");
        check(svc.statBuffers.size() == POOL && svc.recentLogins[RING - 1] != null, "pool / ring");
        check(svc.outbox.size() > 0 && svc.notificationsQueued == svc.notificationsSent + svc.outbox.size(), "notification backlog");
    }

    static final long[] EXPECTED = {4_526, 8_937, 17_734};
}
