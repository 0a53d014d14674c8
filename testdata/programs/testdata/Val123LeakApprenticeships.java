// hprofscan-dump: name=val123-leak-apprenticeships jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val123-leak-apprenticeships-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Validation set 123 (written blind), LEAK: the vacancy search API of an apprenticeship portal.
 * Training-provider reference data, the vacancy directory and its index by trade, an LRU of rendered
 * employer profiles at its cap, a pool of application-pack PDF buffers, a ring of recent searches, a
 * queue of job-alert e-mails, and a result cache with a 15-minute time-to-live. The cache is keyed
 * by the VacancyCriteria object that the request parser builds afresh for every request, and that
 * class overrides neither equals nor hashCode: every lookup misses, every search adds an entry, and
 * the expiry (checked only when a lookup finds an entry) never removes anything. See
 * VALIDATION123.md.
 */
public final class Val123LeakApprenticeships {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TTL = 15 * MINUTE;
    static final int HOURS = 10, PROVIDERS = 1_100, VACANCIES = 24_000, EMPLOYERS = 6_000, PROFILE_CAP = 2_000,
            POOL = 8, RING = 8_192, SEARCHES = 40_000, PAGE_SIZE = 20;
    static boolean FIXED;

    static final String[] TRADES = {"electrician", "plumber", "carpenter", "bricklayer", "chef", "hairdresser",
        "motor-vehicle", "accountancy", "software-dev", "data-analyst", "nursing-assoc", "dental-nurse",
        "butcher", "baker", "welder", "engineering-tech", "hgv-driver", "warehouse", "retail", "customer-service",
        "teaching-assist", "childcare", "horticulture", "surveying"};
    static final String[] REGIONS = {"north-east", "north-west", "yorkshire", "east-midlands", "west-midlands",
        "east", "london", "south-east", "south-west", "wales", "scotland", "northern-ireland"};
    static final int[] LEVELS = {2, 3, 4, 6};
    static final String[] KEYWORDS = {"weekend", "hybrid", "driving", "nights", "part-time", "relocation",
        "bonus", "uniform", "training-allowance", "shift", "site", "office"};

    record Provider(String ukprn, String name, double[] weeklyStarts) {}
    record Vacancy(String ref, String title, String employer, String trade, String region, int level,
                   int weeklyWage, long postedAt, byte[] description) {}
    record EmployerProfile(String employerId, byte[] rendered, long at) {}
    record SearchLogEntry(String sessionId, String summary, int hits, long at) {}
    record JobAlert(String email, String summary, byte[] body, long createdAt) {}

    /** What the request parser builds from the query string: a new object for every request. */
    static class VacancyCriteria {
        final String trade, region; final int level, minWeeklyWage, radiusMiles, page; final List<String> keywords; final long builtAt;
        VacancyCriteria(String trade, String region, int level, int minWeeklyWage, int radiusMiles, int page, List<String> keywords, long builtAt) {
            this.trade = trade; this.region = region; this.level = level; this.minWeeklyWage = minWeeklyWage;
            this.radiusMiles = radiusMiles; this.page = page; this.keywords = keywords; this.builtAt = builtAt;
        }
        String summary() { return trade + "/" + region + "/L" + level + "/w" + minWeeklyWage + "/r" + radiusMiles + "/p" + page + (keywords.isEmpty() ? "" : "/" + keywords.get(0)); }
        // BUG: no equals / hashCode, so a HashMap compares criteria by identity
    }

    /** The fix (used only with -Dval123.fixed=true): value equality over the search fields. */
    static final class ValueCriteria extends VacancyCriteria {
        ValueCriteria(String trade, String region, int level, int minWeeklyWage, int radiusMiles, int page, List<String> keywords, long builtAt) {
            super(trade, region, level, minWeeklyWage, radiusMiles, page, keywords, builtAt);
        }
        @Override public boolean equals(Object o) {
            if (!(o instanceof VacancyCriteria)) return false;
            VacancyCriteria c = (VacancyCriteria) o;
            return trade.equals(c.trade) && region.equals(c.region) && level == c.level && minWeeklyWage == c.minWeeklyWage
                    && radiusMiles == c.radiusMiles && page == c.page && keywords.equals(c.keywords);
        }
        @Override public int hashCode() { return Objects.hash(trade, region, level, minWeeklyWage, radiusMiles, page, keywords); }
    }

    static final class CachedPage {
        final String[] refs; final int totalHits; final long cachedAt, expiresAt;
        CachedPage(String[] refs, int totalHits, long cachedAt) { this.refs = refs; this.totalHits = totalHits; this.cachedAt = cachedAt; this.expiresAt = cachedAt + TTL; }
    }

    /** Search results cached for 15 minutes; an expired entry is replaced when a lookup finds it. */
    static final class ResultCache {
        final HashMap<VacancyCriteria, CachedPage> pages = new HashMap<>();
        long hits, misses, expired;
        CachedPage get(VacancyCriteria c, long now) {
            CachedPage p = pages.get(c);
            if (p == null) { misses++; return null; }
            if (p.expiresAt <= now) { pages.remove(c); expired++; misses++; return null; }
            hits++;
            return p;
        }
        void put(VacancyCriteria c, CachedPage p) { pages.put(c, p); }
    }

    static final class ProfileCache extends LinkedHashMap<String, EmployerProfile> {
        long evicted;
        ProfileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EmployerProfile> e) { if (size() > PROFILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Provider> PROVIDERS_BY_UKPRN = new HashMap<>();

    static final class SearchService {
        final Map<String, Vacancy> vacancies = new HashMap<>();
        final Map<String, List<Vacancy>> byTrade = new HashMap<>();
        final ResultCache results = new ResultCache();
        final ProfileCache profiles = new ProfileCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final SearchLogEntry[] recent = new SearchLogEntry[RING];
        final ArrayDeque<JobAlert> alertQueue = new ArrayDeque<>();
        long searches, packs, alertsQueued, alertsSent, alertBatches;

        CachedPage search(VacancyCriteria c, long now) {
            CachedPage p = results.get(c, now);
            if (p != null) return p;
            List<Vacancy> candidates = byTrade.get(c.trade);
            List<String> found = new ArrayList<>();
            int total = 0, skip = (c.page - 1) * PAGE_SIZE;
            for (Vacancy v : candidates) {
                if (!v.region.equals(c.region) || v.level < c.level || v.weeklyWage < c.minWeeklyWage) continue;
                if (!c.keywords.isEmpty() && !v.title.contains(c.keywords.get(0))) continue;
                if (total >= skip && found.size() < PAGE_SIZE) found.add(v.ref);
                total++;
            }
            p = new CachedPage(found.toArray(new String[0]), total, now);
            results.put(c, p);
            return p;
        }

        void flushAlerts(long now) {
            int n = 0;
            while (!alertQueue.isEmpty() && alertQueue.peekFirst().createdAt <= now) { alertQueue.pollFirst(); n++; }
            alertsSent += n;
            alertBatches++;
        }
    }

    static SearchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_010_001);
        for (int p = 0; p < PROVIDERS; p++) {
            double[] starts = new double[52];
            for (int k = 0; k < starts.length; k++) starts[k] = rnd.nextDouble() * 30;
            String ukprn = Integer.toString(10_001_000 + 7 * p);
            PROVIDERS_BY_UKPRN.put(ukprn, new Provider(ukprn, "Training provider " + p, starts));
        }
        SearchService svc = new SearchService();
        SERVICE = svc;
        for (String trade : TRADES) svc.byTrade.put(trade, new ArrayList<>());
        for (int v = 0; v < VACANCIES; v++) {
            String trade = TRADES[skewed(rnd, TRADES.length)];
            String title = "Apprentice " + trade + (rnd.nextInt(3) == 0 ? " " + KEYWORDS[rnd.nextInt(KEYWORDS.length)] : "") + " role " + (v % 97);
            Vacancy vac = new Vacancy("VAC" + (1_000_400_000L + 13L * v), title, "EMP" + (40_000 + rnd.nextInt(EMPLOYERS)), trade,
                    REGIONS[rnd.nextInt(REGIONS.length)], LEVELS[rnd.nextInt(LEVELS.length)], 180 + rnd.nextInt(260),
                    now - (long) (1 + rnd.nextInt(60)) * DAY, new byte[150 + rnd.nextInt(150)]);
            svc.vacancies.put(vac.ref, vac);
            svc.byTrade.get(trade).add(vac);
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(123_010_002);
        long span = end - MINUTE - start;
        long nextFlush = start + 5 * MINUTE;
        for (int i = 0; i < SEARCHES; i++) {
            long t = start + span * i / SEARCHES;
            while (nextFlush <= t) { svc.flushAlerts(nextFlush - 5 * MINUTE); nextFlush += 5 * MINUTE; }
            VacancyCriteria c = parse(traffic, t);
            CachedPage page = svc.search(c, t);
            svc.searches++;
            String session = "s-" + Long.toHexString(0x7A00_0000L + traffic.nextInt(90_000));
            svc.recent[(int) (i % RING)] = new SearchLogEntry(session, c.summary(), page.totalHits, t);
            String employer = "EMP" + (40_000 + traffic.nextInt(EMPLOYERS));
            if (svc.profiles.get(employer) == null) svc.profiles.put(employer, new EmployerProfile(employer, new byte[400 + traffic.nextInt(400)], t));
            if (traffic.nextInt(10) == 0) {
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
                svc.packs++;
            }
            if (traffic.nextInt(20) == 0) {
                svc.alertQueue.add(new JobAlert("candidate" + traffic.nextInt(200_000) + "@example.org", c.summary(), new byte[200 + traffic.nextInt(200)], t));
                svc.alertsQueued++;
            }
        }
    }

    /** A trade index biased towards the popular trades (a few trades get most searches). */
    static int skewed(Random r, int n) {
        int a = r.nextInt(n), b = r.nextInt(n);
        return Math.min(a, b);
    }

    /** The request parser: builds a new criteria object from the query string of every request. */
    static VacancyCriteria parse(Random traffic, long t) {
        String trade = TRADES[skewed(traffic, TRADES.length)];
        String region = REGIONS[traffic.nextInt(REGIONS.length)];
        int level = traffic.nextInt(4) == 0 ? LEVELS[1 + traffic.nextInt(LEVELS.length - 1)] : LEVELS[0];
        boolean refined = traffic.nextInt(6) == 0;
        int wage = refined ? 200 + 100 * traffic.nextInt(2) : 0;
        int radius = refined ? (traffic.nextBoolean() ? 10 : 50) : 25;
        int page = traffic.nextInt(6) == 0 ? 2 + traffic.nextInt(2) : 1;
        List<String> keywords = traffic.nextInt(10) == 0 ? List.of(KEYWORDS[traffic.nextInt(KEYWORDS.length)]) : List.of();
        return FIXED ? new ValueCriteria(trade, region, level, wage, radius, page, keywords, t)
                     : new VacancyCriteria(trade, region, level, wage, radius, page, keywords, t);
    }

    static void selfCheck() {
        SearchService svc = SERVICE;
        ResultCache rc = svc.results;
        int distinct;
        {
            java.util.HashSet<String> keys = new java.util.HashSet<>();
            for (VacancyCriteria c : rc.pages.keySet()) keys.add(c.summary());
            distinct = keys.size();
        }
        System.out.println((FIXED ? "FIXED " : "") + "providers " + PROVIDERS_BY_UKPRN.size() + " vacancies " + svc.vacancies.size() + " trades " + svc.byTrade.size()
                + " searches " + svc.searches + " cached pages " + rc.pages.size() + " (distinct criteria " + distinct + ", hits " + rc.hits + ", misses " + rc.misses
                + ", expired " + rc.expired + ") profiles " + svc.profiles.size() + " (evicted " + svc.profiles.evicted + ") pool " + svc.pdfBuffers.size()
                + " packs " + svc.packs + " alerts queued " + svc.alertsQueued + " sent " + svc.alertsSent + " backlog " + svc.alertQueue.size() + " batches " + svc.alertBatches);
        check(PROVIDERS_BY_UKPRN.size() == PROVIDERS && svc.vacancies.size() == VACANCIES && svc.byTrade.size() == TRADES.length, "reference data / directory");
        check(svc.searches == SEARCHES && rc.hits + rc.misses == SEARCHES, "search traffic");
        if (FIXED) check(rc.pages.size() == distinct && rc.pages.size() == EXPECTED_FIXED_ENTRIES && rc.hits == EXPECTED_FIXED_HITS, "one entry per distinct criteria: " + rc.pages.size() + " / " + rc.hits);
        else check(rc.pages.size() == SEARCHES && rc.hits == 0 && rc.expired == 0 && distinct == EXPECTED_FIXED_ENTRIES, "one entry per search: " + rc.pages.size() + " over " + distinct);
        check(svc.profiles.size() == PROFILE_CAP && svc.profiles.evicted == EXPECTED_EVICTED, "profile cache at cap: " + svc.profiles.evicted);
        check(svc.pdfBuffers.size() == POOL && svc.packs == EXPECTED_PACKS, "pool: " + svc.packs);
        check(svc.recent[RING - 1] != null, "ring full");
        check(svc.alertsQueued == EXPECTED_ALERTS && svc.alertQueue.size() == EXPECTED_BACKLOG, "alerts: " + svc.alertsQueued + " / " + svc.alertQueue.size());
    }

    // Filled in from the first run (the same in every run: fixed seeds, times relative to the start of the minute).
    static final int EXPECTED_FIXED_ENTRIES = 8_543, EXPECTED_FIXED_HITS = 14_627, EXPECTED_EVICTED = 25_181, EXPECTED_PACKS = 4_071, EXPECTED_ALERTS = 2_055, EXPECTED_BACKLOG = 39;

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val123.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
