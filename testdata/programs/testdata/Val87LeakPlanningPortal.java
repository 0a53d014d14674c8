// hprofscan-dump: name=val87-leak-planningportal jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val87-leak-planningportal-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 87 (written blind), LEAK: the back-office web portal of a council's planning
 * department (planning officers and registered agents). Ward reference data, the planning
 * application directory keyed by application reference, a cache of rendered site-plan thumbnails
 * at its cap, a pool of PDF buffers, a ring of access-log entries, and the HTTP sessions. Every
 * rendered form (comment, site-visit report, condition discharge, ...) gets its own CSRF token,
 * stored as a session attribute "csrf.<token>". Submitting the form checks the attribute but never
 * removes it, and abandoned forms are never cleaned up either; officer sessions are long-lived
 * (remember-me, 12 h idle timeout), so each session's attribute map grows all day. See
 * VALIDATION87.md.
 */
public final class Val87LeakPlanningPortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 12 * HOUR, TOKEN_MAX_AGE = HOUR;
    static final int WARDS = 1_000, APPLICATIONS = 22_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, USERS = 500, FORMS_PER_HOUR = 2_400, HOURS = 10;
    static final String CSRF_PREFIX = "csrf.";
    static final String[] FORMS = {"comment", "site-visit-report", "condition-discharge", "validation-checklist", "neighbour-notification", "decision-notice"};
    static boolean FIXED;

    record Ward(String code, String name, double[] monthlyDecisionDays) {}
    record Application(String reference, String wardCode, String address, byte[] siteDescription, long receivedAt) {}
    record SitePlan(String key, byte[] rendered, long at) {}
    record AccessLogEntry(String sessionId, String path, int status, long at) {}
    record StaffUser(String login, String displayName, String role) {}
    record FormToken(String token, String form, String applicationRef, long issuedAt, byte[] fieldDigest) {}

    static final class HttpSession {
        final String id; final long createdAt; long lastAccessedAt;
        final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
        HttpSession(String id, long createdAt) { this.id = id; this.createdAt = createdAt; this.lastAccessedAt = createdAt; }
        Object getAttribute(String name) { return attributes.get(name); }
        void setAttribute(String name, Object value) { attributes.put(name, value); }
        void removeAttribute(String name) { attributes.remove(name); }
    }

    static final class SessionManager {
        final ConcurrentHashMap<String, HttpSession> sessions = new ConcurrentHashMap<>();
        long expired;
        void expireIdle(long now) {
            for (Iterator<HttpSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccessedAt > IDLE_TIMEOUT) { it.remove(); expired++; }
            }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, SitePlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SitePlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Ward> WARDS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Application> applications = new HashMap<>();
        final SessionManager sessionManager = new SessionManager();
        final PlanCache sitePlans = new PlanCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final AccessLogEntry[] accessLog = new AccessLogEntry[RING];
        long requests, formsRendered, formsSubmitted, rejected, abandonedDropped;

        void log(HttpSession s, String path, int status, long at) {
            accessLog[(int) (requests++ % RING)] = new AccessLogEntry(s.id, path, status, at);
            s.lastAccessedAt = at;
        }

        /** GET /applications/{ref}/{form}: renders the form with a fresh CSRF token. */
        String renderForm(HttpSession s, String form, String appRef, Random r, long at) {
            String token = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
            if (FIXED) { // abandoned forms: drop this session's tokens older than an hour
                for (Iterator<Map.Entry<String, Object>> it = s.attributes.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Object> e = it.next();
                    if (e.getKey().startsWith(CSRF_PREFIX) && at - ((FormToken) e.getValue()).issuedAt() > TOKEN_MAX_AGE) { it.remove(); abandonedDropped++; }
                }
            }
            s.setAttribute(CSRF_PREFIX + token, new FormToken(token, form, appRef, at, new byte[32]));
            formsRendered++;
            String key = "plan-" + appRef.hashCode() % 3_000;
            if (sitePlans.get(key) == null) sitePlans.put(key, new SitePlan(key, new byte[500 + r.nextInt(500)], at));
            log(s, "/applications/" + appRef + "/" + form, 200, at);
            return token;
        }

        /** POST /applications/{ref}/{form}: checks the token. */
        void submitForm(HttpSession s, String token, long at) {
            FormToken t = (FormToken) s.getAttribute(CSRF_PREFIX + token);
            if (t == null) { rejected++; log(s, "/applications/?/submit", 403, at); return; }
            formsSubmitted++;
            if (FIXED) s.removeAttribute(CSRF_PREFIX + token); // one use per token
            // BUG: the token attribute stays in the session after the form is submitted
            byte[] buf = pdfBuffers.poll();
            buf[(int) (formsSubmitted % buf.length)] = (byte) token.charAt(0);
            pdfBuffers.add(buf);
            log(s, "/applications/" + t.applicationRef() + "/" + t.form(), 303, at);
        }
    }

    record PendingSubmit(long at, HttpSession session, String token) {}

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static PortalService build(long now, long start, long end) {
        Random rnd = new Random(87_040_001);
        String[] wardCodes = new String[WARDS];
        for (int w = 0; w < WARDS; w++) {
            double[] days = new double[72];
            for (int k = 0; k < days.length; k++) days[k] = 20 + rnd.nextDouble() * 60;
            wardCodes[w] = "E0" + (5_000_000 + w * 31);
            WARDS_BY_CODE.put(wardCodes[w], new Ward(wardCodes[w], "Ward " + w, days));
        }
        PortalService svc = new PortalService();
        String[] refs = new String[APPLICATIONS];
        for (int a = 0; a < APPLICATIONS; a++) {
            int year = 18 + a / 4_000;
            refs[a] = String.format("%02d/%05d/%s", year, a % 4_000 + 1, a % 3 == 0 ? "FUL" : a % 3 == 1 ? "HOU" : "LBC");
            long received = now - (long) (24 - year) * 365 * DAY - rnd.nextInt(365) * DAY;
            svc.applications.put(refs[a], new Application(refs[a], wardCodes[rnd.nextInt(WARDS)], (1 + rnd.nextInt(200)) + " High Street", new byte[150 + rnd.nextInt(150)], Math.min(received, now - DAY)));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        // Officers and agents sign in at the start of the day (remember-me sessions).
        Random traffic = new Random(87_040_002);
        HttpSession[] sessions = new HttpSession[USERS];
        for (int u = 0; u < USERS; u++) {
            String id = Long.toHexString(traffic.nextLong() | Long.MIN_VALUE).toUpperCase();
            HttpSession s = new HttpSession(id, start + u * 1_000L);
            s.setAttribute("user", new StaffUser("u" + (7_000 + u), "Officer " + u, u < 300 ? "PLANNING_OFFICER" : "AGENT"));
            s.setAttribute("locale", "en-GB");
            s.setAttribute("savedSearch", new byte[200 + traffic.nextInt(200)]);
            List<String> recentRefs = new ArrayList<>();
            for (int k = 0; k < 10; k++) recentRefs.add(refs[traffic.nextInt(APPLICATIONS)]);
            s.setAttribute("recentApplications", recentRefs);
            s.setAttribute("signedInAt", Long.valueOf(s.createdAt));
            sessions[u] = s;
            svc.sessionManager.sessions.put(id, s);
        }
        PriorityQueue<PendingSubmit> pending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int total = FORMS_PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < total; i++) {
            long t = start + USERS * 1_000L + (end - 30 * MINUTE - start - USERS * 1_000L) * i / total;
            while (!pending.isEmpty() && pending.peek().at() <= t) { PendingSubmit p = pending.poll(); svc.submitForm(p.session(), p.token(), p.at()); }
            while (nextSweep <= t) { svc.sessionManager.expireIdle(nextSweep); nextSweep += MINUTE; }
            HttpSession s = sessions[(int) (USERS * Math.pow(traffic.nextDouble(), 1.5))]; // some officers work through many more forms
            String token = svc.renderForm(s, FORMS[traffic.nextInt(FORMS.length)], refs[traffic.nextInt(APPLICATIONS)], traffic, t);
            boolean submitted = traffic.nextInt(100) < 85; // the rest are abandoned (tab closed, navigated away)
            long delay = (1 + traffic.nextInt(20)) * MINUTE;
            if (submitted) pending.add(new PendingSubmit(t + delay, s, token));
        }
        while (!pending.isEmpty() && pending.peek().at() <= end) { PendingSubmit p = pending.poll(); svc.submitForm(p.session(), p.token(), p.at()); }
        svc.sessionManager.expireIdle(end);
        return svc;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val87.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        PortalService svc = build(now, start, end);
        SERVICE = svc;
        long tokens = 0, plain = 0; int maxTokens = 0, minTokens = Integer.MAX_VALUE;
        for (HttpSession s : svc.sessionManager.sessions.values()) {
            int n = 0;
            for (String k : s.attributes.keySet()) if (k.startsWith(CSRF_PREFIX)) n++; else plain++;
            tokens += n; maxTokens = Math.max(maxTokens, n); minTokens = Math.min(minTokens, n);
        }
        System.out.println((FIXED ? "FIXED " : "") + "wards " + WARDS_BY_CODE.size() + " applications " + svc.applications.size() + " sessions " + svc.sessionManager.sessions.size()
                + " (expired " + svc.sessionManager.expired + ") forms rendered " + svc.formsRendered + " submitted " + svc.formsSubmitted + " rejected " + svc.rejected
                + " abandoned tokens dropped " + svc.abandonedDropped + " token attributes " + tokens + " (per session " + minTokens + ".." + maxTokens + ") other attributes " + plain
                + " requests " + svc.requests + " site plans " + svc.sitePlans.size() + " (evicted " + svc.sitePlans.evicted + ") pool " + svc.pdfBuffers.size());
        check(WARDS_BY_CODE.size() == WARDS && svc.applications.size() == APPLICATIONS, "reference data / directory");
        check(svc.sessionManager.sessions.size() == USERS && svc.sessionManager.expired == 0 && plain == 5L * USERS, "long-lived sessions");
        check(svc.formsRendered == (long) FORMS_PER_HOUR * HOURS && svc.rejected == 0, "traffic");
        if (FIXED) check(tokens == svc.formsRendered - svc.formsSubmitted - svc.abandonedDropped && tokens < svc.formsRendered / 10, "fixed keeps only outstanding tokens: " + tokens);
        else check(tokens == svc.formsRendered, "every token kept: " + tokens);
        check(svc.sitePlans.size() == PLAN_CAP && svc.sitePlans.evicted > 0, "site-plan cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.accessLog[RING - 1] != null && svc.requests > RING, "ring");
        LeakCheck.histogram(" [I (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
