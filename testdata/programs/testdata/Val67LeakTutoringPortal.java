// hprofscan-dump: name=val67-leak-tutoringportal-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val67-leak-tutoringportal-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val67-leak-tutoringportal jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val67-leak-tutoringportal-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 67 (written blind), LEAK: the lesson-search service of an online tutoring
 * marketplace. Curriculum reference data, the tutor directory, a cache of rendered tutor profile
 * pages at its cap, a pool of video-preview buffers, a ring of recent bookings, and a query-plan
 * cache keyed by the full SQL text. The search code inlines the literal values (subject, level,
 * postcode area, the request's own "from" time, the price limit) into the SQL instead of binding
 * parameters, so every request's text is new: every search parses and caches a fresh plan (a small
 * tree of operator objects) and the cache has no size limit. See VALIDATION67.md.
 */
public final class Val67LeakTutoringPortal {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int UNITS = 1_200, TUTORS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 1_024, SEARCHES_PER_HOUR = 3_000;
    static boolean FIXED;

    record CurriculumUnit(String code, String subject, double[] difficultyCurve) {}
    record Tutor(String tutorId, String unitCode, String displayName, byte[] profile, long joinedAt) {}
    record ProfilePage(String key, byte[] rendered, long at) {}
    record Booking(String tutorId, String studentId, long bookedAt, long lessonAt) {}

    /** Physical plan operators. */
    interface PlanNode {}
    record IndexScan(String table, String index, String keyPredicate, double estRows) implements PlanNode {}
    record Filter(PlanNode input, String predicate, double selectivity) implements PlanNode {}
    record HashJoin(PlanNode build, PlanNode probe, String joinKey) implements PlanNode {}
    record Sort(PlanNode input, String[] orderBy) implements PlanNode {}
    record Limit(PlanNode input, int rows) implements PlanNode {}

    static final class QueryPlan {
        final String sql; final PlanNode root; final long plannedAt; long executions;
        QueryPlan(String sql, PlanNode root, long plannedAt) { this.sql = sql; this.root = root; this.plannedAt = plannedAt; }
    }

    /** Plan cache keyed by the SQL text (no size limit: the number of distinct texts is assumed small). */
    static final class QueryPlanner {
        final Map<String, QueryPlan> plans = new HashMap<>();
        long parses, hits;
        QueryPlan planFor(String sql, String[] predicates, String[] orderBy, long at) {
            QueryPlan p = plans.get(sql);
            if (p == null) {
                PlanNode tutors = new IndexScan("tutors", "idx_tutors_" + "unit", predicates[0], 120.0);
                PlanNode slots = new Filter(new IndexScan("slots", "idx_slots_starts_at", predicates[1], 4_800.0), predicates[2], 0.35);
                p = new QueryPlan(sql, new Limit(new Sort(new HashJoin(tutors, slots, "tutor_id"), orderBy), 20), at);
                plans.put(sql, p);
                parses++;
            } else {
                hits++;
            }
            p.executions++;
            return p;
        }
    }

    static final class PageCache extends LinkedHashMap<String, ProfilePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProfilePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, CurriculumUnit> UNITS_BY_CODE = new HashMap<>();

    static final class SearchService {
        final Map<String, Tutor> tutors = new HashMap<>();
        final PageCache profilePages = new PageCache();
        final ArrayDeque<byte[]> previewBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        long bookings, searches;
        final QueryPlanner planner = new QueryPlanner();
    }

    static SearchService SERVICE;

    static final String[] ORDER_SQL = {"s.starts_at", "s.price_cents", "t.rating DESC", "t.lessons_given DESC"};
    static final String[][] ORDER_COLS = {{"s.starts_at"}, {"s.price_cents", "s.starts_at"}, {"t.rating"}, {"t.lessons_given", "t.rating"}};
    static final String[] LEVELS = {"GCSE", "A-level", "IB", "KS3", "University"};

    static String lit(Object v) { return FIXED ? "?" : "'" + v + "'"; }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val67.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int searches = SEARCHES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(67_010_001);
        String[] unitCodes = new String[UNITS];
        String[] subjects = {"Maths", "Physics", "Chemistry", "Biology", "English", "French", "History", "Computing", "Economics", "Music"};
        for (int u = 0; u < UNITS; u++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 10;
            unitCodes[u] = "CU-" + (3_000 + u);
            UNITS_BY_CODE.put(unitCodes[u], new CurriculumUnit(unitCodes[u], subjects[u % subjects.length], curve));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        String[] tutorIds = new String[TUTORS];
        for (int t = 0; t < TUTORS; t++) {
            tutorIds[t] = "TU" + (4_400_000 + t * 3);
            svc.tutors.put(tutorIds[t], new Tutor(tutorIds[t], unitCodes[rnd.nextInt(UNITS)], "Tutor " + t, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.previewBuffers.add(new byte[32_768]);
        Random traffic = new Random(67_010_002);
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            int shape = traffic.nextInt(3), order = traffic.nextInt(ORDER_SQL.length);
            String unit = unitCodes[traffic.nextInt(UNITS)];
            String p0, p1 = "s.starts_at >= " + lit(t), p2 = "s.price_cents <= " + lit(2_000 + 100 * traffic.nextInt(60));
            if (shape == 0) p0 = "t.unit_code = " + lit(unit);
            else if (shape == 1) p0 = "t.unit_code = " + lit(unit) + " AND t.level = " + lit(LEVELS[traffic.nextInt(LEVELS.length)]);
            else p0 = "t.postcode_area = " + lit("PA" + traffic.nextInt(90)) + " AND t.in_person = TRUE";
            String sql = "SELECT t.tutor_id, t.display_name, s.slot_id, s.starts_at, s.price_cents FROM tutors t JOIN slots s ON s.tutor_id = t.tutor_id WHERE "
                    + p0 + " AND " + p1 + " AND " + p2 + " ORDER BY " + ORDER_SQL[order] + " LIMIT 20";
            svc.planner.planFor(sql, new String[] {p0, p1, p2}, ORDER_COLS[order], t);
            svc.searches++;
            String key = "tp-" + traffic.nextInt(5_000);
            if (svc.profilePages.get(key) == null) svc.profilePages.put(key, new ProfilePage(key, new byte[400 + traffic.nextInt(400)], t));
            if (i % 3 == 0) {
                svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(tutorIds[traffic.nextInt(TUTORS)], "ST" + (800_000 + traffic.nextInt(90_000)), t, t + (1 + traffic.nextInt(14)) * 24 * HOUR);
                byte[] buf = svc.previewBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.previewBuffers.add(buf);
            }
        }
        QueryPlanner pl = svc.planner;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " units " + UNITS_BY_CODE.size() + " tutors " + svc.tutors.size() + " searches " + svc.searches + " plans " + pl.plans.size()
                + " (parses " + pl.parses + ", hits " + pl.hits + ") pages " + svc.profilePages.size() + " (evicted " + svc.profilePages.evicted + ") pool " + svc.previewBuffers.size() + " bookings " + svc.bookings);
        check(UNITS_BY_CODE.size() == UNITS && svc.tutors.size() == TUTORS, "reference data / directory");
        check(svc.searches == searches, "traffic");
        if (FIXED) check(pl.plans.size() == 12 && pl.hits == searches - 12, "parameterized plans: " + pl.plans.size());
        else check(pl.plans.size() == searches && pl.hits == 0, "one plan per search: " + pl.plans.size());
        check(svc.profilePages.size() == PAGE_CAP && svc.profilePages.evicted > 0, "page cache at cap");
        check(svc.previewBuffers.size() == POOL, "pool");
        check(svc.bookings == (searches + 2) / 3 && svc.recentBookings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
