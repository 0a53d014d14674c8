// hprofscan-dump: name=val31-healthy-drivingschools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val31-healthy-drivingschools-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 31 (written blind), HEALTHY: the lesson-booking platform of a multi-tenant SaaS for
 * driving schools. Test-centre reference data, the student directory, a cache of rendered lesson
 * plans at its cap, a ring of booked lessons, a pool of route-replay buffers, and a root application
 * context with one child context per tenant school (a fixed 48, created at startup and kept for
 * the life of the process: their beans, among them an instructor roster and an availability
 * bitmap, and their config). Each request runs in a short-lived child of its tenant's context,
 * which the request scope closes (removed from the tenant's children): none is left at the dump.
 * See VALIDATION31.md.
 */
public final class Val31HealthyDrivingSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOURS = 10, TENANTS = 48, CENTRES = 1_300, STUDENTS = 27_000, PLAN_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 3_000, AVAILABILITY_SLOTS = 12 * 7 * 48;

    record TestCentre(String code, String town, double[] passRateByWeek) {}
    record Student(String licenceNo, String tenantId, String name, byte[] progressRecord, long enrolledAt) {}
    record LessonPlan(String key, byte[] rendered, long at) {}
    record Lesson(String licenceNo, String tenantId, String instructor, long startsAt, int minutes) {}
    record Instructor(String id, String name, String car) {}
    record ContextEvent(String type, long at) {}

    static final class AppContext {
        final String id;
        final AppContext parent;
        final long createdAt;
        final Map<String, Object> beans = new HashMap<>();
        byte[] config;
        final List<AppContext> children = new ArrayList<>();
        long eventsSeen;
        boolean closed;
        AppContext(String id, AppContext parent, long createdAt) { this.id = id; this.parent = parent; this.createdAt = createdAt; }
        AppContext createChild(String childId, long at) {
            AppContext c = new AppContext(childId, this, at);
            children.add(c);
            return c;
        }
        void publish(ContextEvent e) {
            eventsSeen++;
            for (AppContext c : children) c.publish(e);
        }
        void close() {
            closed = true;
            if (parent != null) parent.children.remove(this);
        }
    }

    static final class PlanCache extends LinkedHashMap<String, LessonPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, TestCentre> CENTRES_BY_CODE = new HashMap<>();

    static final class SchoolPlatform {
        final AppContext root;
        final Map<String, AppContext> tenantContexts = new HashMap<>();
        final Map<String, Student> students = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> replayBuffers = new ArrayDeque<>();
        final Lesson[] lessons = new Lesson[RING];
        long booked, requests, closedRequests, refreshes;
        SchoolPlatform(long startedAt) {
            root = new AppContext("root", null, startedAt);
            for (String bean : new String[] {"dataSource", "mailer", "smsGateway", "calendarSync", "paymentGateway", "tenantResolver", "auditLog", "metrics"}) {
                root.beans.put(bean, bean + "@" + Integer.toHexString(bean.hashCode()));
            }
            root.config = new byte[4_096];
        }
    }

    static SchoolPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(31_060_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] rates = new double[80];
            for (int k = 0; k < rates.length; k++) rates[k] = 0.3 + rnd.nextDouble() * 0.5;
            centreCodes[c] = "TC-" + (700 + c);
            CENTRES_BY_CODE.put(centreCodes[c], new TestCentre(centreCodes[c], "Town " + (c % 500), rates));
        }
        SchoolPlatform svc = new SchoolPlatform(start);
        SERVICE = svc;
        String[] tenantIds = new String[TENANTS];
        for (int k = 0; k < TENANTS; k++) { // one long-lived child context per tenant school, created at startup
            tenantIds[k] = "DS-" + (300 + k);
            AppContext tc = svc.root.createChild("tenant-" + tenantIds[k], start - (long) (1 + rnd.nextInt(900)) * 24 * HOUR);
            List<Instructor> roster = new ArrayList<>();
            for (int n = 0; n < 8 + rnd.nextInt(25); n++) roster.add(new Instructor(tenantIds[k] + "-I" + n, "Instructor " + n, "Car " + rnd.nextInt(40)));
            tc.beans.put("roster", roster);
            tc.beans.put("pricing", new double[] {35 + rnd.nextInt(20), 40 + rnd.nextInt(25), 120 + rnd.nextInt(60)});
            tc.beans.put("branding", "https://cdn.drivingcloud.example/" + tenantIds[k] + "/logo.png");
            tc.beans.put("homeCentre", centreCodes[rnd.nextInt(CENTRES)]);
            long[] availability = new long[AVAILABILITY_SLOTS]; // 12 weeks x 7 days x 48 half-hours, a bit per instructor
            for (int a = 0; a < availability.length; a++) availability[a] = rnd.nextLong();
            tc.beans.put("availability", availability);
            tc.config = new byte[2_048 + rnd.nextInt(2_048)];
            svc.tenantContexts.put(tenantIds[k], tc);
        }
        for (int s = 0; s < STUDENTS; s++) {
            String licence = "PL" + (40_000_000 + s * 29);
            svc.students.put(licence, new Student(licence, tenantIds[rnd.nextInt(TENANTS)], "Student " + s, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(800)) * 24 * HOUR));
        }
        String[] licences = svc.students.keySet().toArray(new String[0]);
        java.util.Arrays.sort(licences);
        for (int b = 0; b < POOL; b++) svc.replayBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_060_002);
        long nextRefresh = start + 10 * MINUTE;
        int maxOpen = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextRefresh <= t) { svc.root.publish(new ContextEvent("config-refreshed", nextRefresh)); svc.refreshes++; nextRefresh += 10 * MINUTE; }
            Student st = svc.students.get(licences[traffic.nextInt(STUDENTS)]);
            AppContext tenant = svc.tenantContexts.get(st.tenantId());
            AppContext req = tenant.createChild("req-" + Long.toHexString(0x6b00_0000_0000L + i), t);
            req.beans.put("student", st);
            req.beans.put("requestId", req.id);
            svc.requests++;
            maxOpen = Math.max(maxOpen, tenant.children.size());
            @SuppressWarnings("unchecked") List<Instructor> roster = (List<Instructor>) tenant.beans.get("roster");
            svc.lessons[(int) (svc.booked++ % RING)] = new Lesson(st.licenceNo(), st.tenantId(), roster.get(traffic.nextInt(roster.size())).id(), t + (1 + traffic.nextInt(14)) * 24 * HOUR, 60 + 30 * traffic.nextInt(3));
            String key = "plan-" + st.tenantId() + "-" + traffic.nextInt(90);
            if (svc.plans.get(key) == null) svc.plans.put(key, new LessonPlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.replayBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.replayBuffers.add(buf);
            req.close(); // the request scope ends
            svc.closedRequests++;
        }
        int tenantChildren = svc.tenantContexts.values().stream().mapToInt(c -> c.children.size()).sum();
        System.out.println("centres " + CENTRES_BY_CODE.size() + " tenants " + svc.root.children.size() + " students " + svc.students.size() + " requests " + svc.requests + " closed " + svc.closedRequests + " open request contexts " + tenantChildren
                + " (max " + maxOpen + ") refreshes " + svc.refreshes + " tenant events " + svc.root.children.get(0).eventsSeen + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.replayBuffers.size() + " lessons " + svc.booked);
        check(CENTRES_BY_CODE.size() == CENTRES && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.root.children.size() == TENANTS && svc.tenantContexts.size() == TENANTS, "one context per tenant");
        check(svc.requests == requests && svc.closedRequests == requests && tenantChildren == 0 && maxOpen == 1, "request contexts closed");
        check(svc.refreshes == HOURS * 6 - 1, "refreshes");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.replayBuffers.size() == POOL, "pool");
        check(svc.booked == requests && svc.lessons[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
