// hprofscan-dump: name=val143-leak-biathlonportal-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val143-leak-biathlonportal-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val143-leak-biathlonportal jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val143-leak-biathlonportal-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 143 (written blind), LEAK series: the results and team portal of a biathlon
 * World Cup (live results app, coaches' shooting analysis, team staff, press). Course reference
 * data, the athlete directory, the portal's user accounts, a cache of rendered result sheets at its
 * cap, a pool of PDF buffers, a ring of shooting bouts, a push-notification queue with a normal
 * backlog, and a session registry: {@code byToken} (token -> session) and the reverse index
 * {@code tokensByUser} (user id -> that user's tokens, for "sign out on all devices" and for pushing
 * to all of a user's devices). Logout updates both; the idle sweeper, which ends most sessions,
 * removes the token from {@code byToken} only, so every user's token list keeps the tokens of all
 * their expired sessions. See VALIDATION143.md.
 */
public final class Val143LeakBiathlonPortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE = 30 * MINUTE;
    static final int COURSES = 1_000, ATHLETES = 14_000, USERS = 6_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192;
    static final int LOGINS_PER_MINUTE = 150, BOUTS_PER_MINUTE = 100;
    static boolean FIXED;

    record Course(String code, String venue, String loop, double[] elevationProfile) {}
    record Athlete(String ibuId, String name, String nation, byte[] profile, long licensedAt) {}
    record UserAccount(long userId, String login, String role, String nation, long createdAt) {}
    record ResultSheet(String key, byte[] rendered, long at) {}
    record ShootingBout(String ibuId, String raceId, int lane, int hitsMask, boolean standing, long at) {}
    record Push(long userId, String title, byte[] payload, long queuedAt) {}

    static final class Session {
        final String token; final long userId; final String device; final long createdAt; final long plannedEnd; final boolean logsOut;
        long lastSeen; int requests;
        Session(String token, long userId, String device, long createdAt, long plannedEnd, boolean logsOut) { this.token = token; this.userId = userId; this.device = device; this.createdAt = createdAt; this.plannedEnd = plannedEnd; this.logsOut = logsOut; this.lastSeen = createdAt; }
    }

    static final class SessionRegistry {
        final Map<String, Session> byToken = new HashMap<>();
        /** user id -> that user's session tokens (all devices). */
        final Map<Long, List<String>> tokensByUser = new HashMap<>();
        long logins, logouts, expired, signOutAll, pushesFannedOut;

        void login(Session s) {
            byToken.put(s.token, s);
            tokensByUser.computeIfAbsent(s.userId, u -> new ArrayList<>()).add(s.token);
            logins++;
        }

        void logout(String token) {
            Session s = byToken.remove(token);
            if (s == null) return;
            List<String> list = tokensByUser.get(s.userId);
            if (list != null) { list.remove(token); if (list.isEmpty()) tokensByUser.remove(s.userId); }
            logouts++;
        }

        /** "Sign out on all devices". */
        void signOutEverywhere(long userId) {
            List<String> list = tokensByUser.remove(userId);
            if (list == null) return;
            for (String t : list) if (byToken.remove(t) != null) logouts++;
            signOutAll++;
        }

        /** Sessions of a user that a push should reach (the list is filtered against byToken). */
        int liveSessionsOf(long userId) {
            List<String> list = tokensByUser.get(userId);
            if (list == null) return 0;
            int n = 0;
            for (String t : list) if (byToken.containsKey(t)) n++;
            pushesFannedOut += n;
            return n;
        }

        /** The idle sweeper, every minute. */
        void sweep(long t) {
            List<Session> idle = new ArrayList<>();
            for (Session s : byToken.values()) if (s.lastSeen + IDLE <= t) idle.add(s);
            for (Session s : idle) {
                byToken.remove(s.token);
                if (FIXED) {
                    List<String> list = tokensByUser.get(s.userId);
                    if (list != null) { list.remove(s.token); if (list.isEmpty()) tokensByUser.remove(s.userId); }
                }
                expired++;
            }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, ResultSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ResultSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Course> COURSES_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Athlete> athletes = new HashMap<>();
        final String[] ibuIds = new String[ATHLETES];
        final Map<Long, UserAccount> users = new HashMap<>();
        final long[] userIds = new long[USERS];
        final SessionRegistry sessions = new SessionRegistry();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final ShootingBout[] bouts = new ShootingBout[RING];
        final ArrayDeque<Push> pushQueue = new ArrayDeque<>();
        long requests, boutCount, pushesQueued, pushesSent, pdfs;

        void request(Session s, Random r, long t) {
            s.lastSeen = t; s.requests++; requests++;
            String key = "sheet-" + r.nextInt(6_000);
            if (sheets.get(key) == null) sheets.put(key, new ResultSheet(key, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(20) == 0) {
                byte[] buf = pdfBuffers.poll();
                buf[(int) (requests % buf.length)] = (byte) s.requests;
                pdfBuffers.add(buf);
                pdfs++;
            }
        }

        void bout(Random r, long t, int raceNo) {
            String ibu = ibuIds[r.nextInt(ATHLETES)];
            bouts[(int) (boutCount++ % RING)] = new ShootingBout(ibu, "RC-" + (4_100 + raceNo), 1 + r.nextInt(30), r.nextInt(32), r.nextBoolean(), t);
            if (r.nextInt(25) == 0) {
                long u = userIds[r.nextInt(USERS)];
                if (sessions.liveSessionsOf(u) > 0) { pushQueue.add(new Push(u, "Result: " + ibu, new byte[120 + r.nextInt(120)], t)); pushesQueued++; }
            }
        }

        void sendPushes(long t) {
            while (!pushQueue.isEmpty() && pushQueue.peek().queuedAt() + 2 * MINUTE <= t) { pushQueue.poll(); pushesSent++; }
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - hours * HOUR;
        Random rnd = new Random(143_010_001);
        String[] venues = {"Oestersund", "Hochfilzen", "Annecy", "Oberhof", "Ruhpolding", "Anterselva", "Nove Mesto", "Kontiolahti", "Oslo", "Lenzerheide", "Pokljuka", "Soldier Hollow"};
        for (int c = 0; c < COURSES; c++) {
            double[] elev = new double[60];
            for (int k = 0; k < elev.length; k++) elev[k] = 600 + rnd.nextDouble() * 120;
            String code = "CRS-" + (2_000 + c);
            COURSES_BY_CODE.put(code, new Course(code, venues[c % venues.length], (1 + rnd.nextInt(4)) + ".0 km loop", elev));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] nations = {"NOR", "FRA", "GER", "SWE", "ITA", "AUT", "CZE", "FIN", "USA", "CAN", "SUI", "SLO"};
        for (int i = 0; i < ATHLETES; i++) {
            String id = "IBU" + (10_400_000 + i * 17);
            svc.ibuIds[i] = id;
            svc.athletes.put(id, new Athlete(id, "Athlete " + i, nations[rnd.nextInt(nations.length)], new byte[150 + rnd.nextInt(150)], today - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        String[] roles = {"fan", "fan", "fan", "fan", "coach", "team-staff", "athlete", "press"};
        for (int u = 0; u < USERS; u++) {
            long id = 8_800_000L + u * 11L;
            svc.userIds[u] = id;
            svc.users.put(id, new UserAccount(id, "u" + id, roles[rnd.nextInt(roles.length)], nations[rnd.nextInt(nations.length)], today - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(143_010_002), bouts = new Random(143_010_003);
        String[] devices = {"ios-app", "android-app", "web", "coach-tablet"};
        HexFormat hex = HexFormat.of();
        for (int m = 0; m < hours * 60; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < LOGINS_PER_MINUTE; k++) {
                // the results app exchanges its device credential for a fresh session on every launch
                int u = traffic.nextInt(100) < 60 ? traffic.nextInt(USERS / 6) : traffic.nextInt(USERS);
                byte[] raw = new byte[32];
                traffic.nextBytes(raw);
                String token = hex.formatHex(raw);
                boolean logsOut = traffic.nextInt(100) < 22;
                svc.sessions.login(new Session(token, svc.userIds[u], devices[traffic.nextInt(devices.length)], t, t + (2 + traffic.nextInt(30)) * MINUTE, logsOut));
                if (traffic.nextInt(2_000) == 0) svc.sessions.signOutEverywhere(svc.userIds[traffic.nextInt(USERS)]);
            }
            List<String> out = new ArrayList<>();
            for (Session s : svc.sessions.byToken.values()) {
                if (s.plannedEnd <= t) { if (s.logsOut) out.add(s.token); }
                else if (s.createdAt < t && traffic.nextInt(100) < 50) svc.request(s, traffic, t);
            }
            for (String tok : out) svc.sessions.logout(tok);
            svc.sessions.sweep(t);
            for (int b = 0; b < BOUTS_PER_MINUTE; b++) svc.bout(bouts, t + b * 600L, m / 20);
            svc.sendPushes(t);
        }
    }

    // expected counts of stages 1, 2, 3 (leaking run): live sessions, listed tokens, stale tokens, users listed, logins, logouts, expired
    static final long[][] EXPECT = {
        {5_764, 14_594, 8_830, 4_090, 18_000, 3_405, 8_831},
        {5_765, 28_545, 22_780, 5_258, 36_000, 7_407, 22_828},
        {5_740, 56_427, 50_687, 5_880, 72_000, 15_446, 50_814},
    };

    static void report(int stage, int hours) {
        PortalService svc = SERVICE;
        SessionRegistry reg = svc.sessions;
        long listed = 0, stale = 0, longest = 0;
        for (List<String> l : reg.tokensByUser.values()) {
            listed += l.size();
            longest = Math.max(longest, l.size());
            for (String tok : l) if (!reg.byToken.containsKey(tok)) stale++;
        }
        long[] got = {reg.byToken.size(), listed, stale, reg.tokensByUser.size(), reg.logins, reg.logouts, reg.expired};
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + hours + " h) courses " + COURSES_BY_CODE.size() + " athletes " + svc.athletes.size() + " users " + svc.users.size()
                + " logins " + got[4] + " logouts " + got[5] + " expired " + got[6] + " sign-out-all " + reg.signOutAll + " live sessions " + got[0] + " tokensByUser " + got[3] + " users, " + got[1] + " tokens (stale " + got[2] + ", longest list " + longest + ")"
                + " requests " + svc.requests + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pdfs " + svc.pdfs + " bouts " + svc.boutCount + " pushes " + svc.pushesQueued + "/" + svc.pushesSent + " backlog " + svc.pushQueue.size() + " fan-out " + reg.pushesFannedOut + " pool " + svc.pdfBuffers.size());
        check(COURSES_BY_CODE.size() == COURSES && svc.athletes.size() == ATHLETES && svc.users.size() == USERS, "reference data / directory");
        check(reg.logins == (long) LOGINS_PER_MINUTE * 60 * hours && reg.logins == reg.logouts + reg.expired + reg.byToken.size(), "session accounting");
        for (Session s : reg.byToken.values()) check(reg.tokensByUser.get(s.userId).contains(s.token), "live session indexed");
        if (FIXED) check(stale == 0 && listed == reg.byToken.size(), "index = live sessions");
        else check(listed == reg.byToken.size() + stale && stale > 0, "stale tokens listed");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.pdfBuffers.size() == POOL && svc.bouts[RING - 1] != null && svc.boutCount == (long) BOUTS_PER_MINUTE * 60 * hours, "pool / ring");
        long[] want = EXPECT[stage - 1];
        if (!FIXED) for (int k = 0; k < want.length; k++) check(got[k] == want[k], "count #" + k + " is " + got[k] + ", expected " + want[k]);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val143.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
