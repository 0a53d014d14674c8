// hprofscan-dump: name=val134-leak-probate jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val134-leak-probate-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 134 (written blind), LEAK: the case service of a probate and estate-administration
 * practice. Bank reference data, the estate directory, a cache of rendered estate accounts at its
 * cap, a pool of PDF buffers, a ring of ledger postings, the Gazette notice queue with its normal
 * backlog, and a hand-written TTL cache of the searches every estate needs (will register,
 * insolvency register, Land Registry, unclaimed assets): TTL 10 minutes, a sweeper every minute.
 * The bug: an entry's creation time is taken from the service clock's nanoTime() but the expiry
 * check subtracts it from currentTimeMillis(): the "age" is negative, no entry ever counts as
 * expired, the sweeper runs and removes nothing, and the cache keeps every search ever made.
 * See VALIDATION134.md.
 */
public final class Val134LeakProbate {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, TTL_MILLIS = 10 * MINUTE, GAZETTE_EVERY = HOUR;
    static final int INSTITUTIONS = 1_200, ESTATES = 20_000, ACCOUNT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SEARCHES_PER_HOUR = 3_000, RECENT_KEYS = 200;
    static boolean FIXED;

    record Institution(String sortCode, String name, double[] savingsRateByMonth) {}
    record Estate(String ref, String deceased, String dateOfBirth, String postcode, String executor, long grossValuePence, byte[] assetSummary, long diedAt) {}
    record Account(String key, byte[] rendered, long at) {}
    record Posting(String estateRef, String kind, long amountPence, long at) {}
    record GazetteNotice(String estateRef, String deceased, long at) {}

    static final class SearchResult {
        final String key; final String register; final byte[] document; final long createdAt;
        SearchResult(String key, String register, byte[] document, long createdAt) { this.key = key; this.register = register; this.document = document; this.createdAt = createdAt; }
    }

    /**
     * The service's clock: the simulated wall clock in epoch milliseconds and a monotonic clock in
     * nanoseconds, like System.currentTimeMillis() / System.nanoTime(). The monotonic clock counts
     * from the host's boot (up 5 days 3 hours when the period starts), not from 1970.
     */
    static final class ServiceClock {
        static final long BOOT_UPTIME_NANOS = (5 * DAY + 3 * HOUR) * 1_000_000L;
        final long startMillis; long millis;
        ServiceClock(long startMillis) { this.startMillis = startMillis; this.millis = startMillis; }
        long currentTimeMillis() { return millis; }
        long nanoTime() { return BOOT_UPTIME_NANOS + (millis - startMillis) * 1_000_000L; }
    }

    static final class SearchCache {
        final HashMap<String, SearchResult> entries = new HashMap<>();
        final ServiceClock clock;
        final long ttlMillis = TTL_MILLIS;
        final Random documents = new Random(134_020_003);
        long hits, misses, sweeps, swept;
        SearchCache(ServiceClock clock) { this.clock = clock; }

        boolean expired(SearchResult r) { return clock.currentTimeMillis() - r.createdAt >= ttlMillis; } // BUG when createdAt is nanoTime()

        SearchResult search(String key, String register) {
            SearchResult hit = entries.get(key);
            if (hit != null && !expired(hit)) { hits++; return hit; }
            misses++;
            long created = FIXED ? clock.currentTimeMillis() : clock.nanoTime();
            SearchResult fresh = new SearchResult(key, register, new byte[300 + documents.nextInt(400)], created);
            entries.put(key, fresh);
            return fresh;
        }

        void sweep() {
            sweeps++;
            for (Iterator<SearchResult> it = entries.values().iterator(); it.hasNext(); ) {
                if (expired(it.next())) { it.remove(); swept++; }
            }
        }
    }

    static final class AccountCache extends LinkedHashMap<String, Account> {
        long evicted;
        AccountCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Account> e) { if (size() > ACCOUNT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Institution> INSTITUTIONS_BY_SORT_CODE = new HashMap<>();

    static final class EstateService {
        final Map<String, Estate> estates = new HashMap<>();
        final String[] estateRefs = new String[ESTATES];
        final AccountCache accounts = new AccountCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Posting[] ledger = new Posting[RING];
        final ArrayDeque<GazetteNotice> gazette = new ArrayDeque<>();
        final String[] recentKeys = new String[RECENT_KEYS];
        final ServiceClock clock;
        final SearchCache searches;
        long requests, postings, noticesQueued, noticesPublished, gazetteRuns, renders;
        EstateService(ServiceClock clock) { this.clock = clock; this.searches = new SearchCache(clock); }

        void request(Random r, long t) {
            clock.millis = t;
            String key;
            int register;
            if (requests >= RECENT_KEYS && r.nextInt(4) == 0) { // the caseworker re-runs a recent search
                key = recentKeys[r.nextInt(RECENT_KEYS)];
                register = key.charAt(0) - '0';
            } else {
                Estate e = estates.get(estateRefs[r.nextInt(ESTATES)]);
                register = r.nextInt(REGISTERS.length);
                key = register + "|" + e.deceased().toUpperCase() + "|" + e.dateOfBirth() + "|" + e.postcode();
            }
            recentKeys[(int) (requests++ % RECENT_KEYS)] = key;
            searches.search(key, REGISTERS[register]);
            Estate e = estates.get(estateRefs[r.nextInt(ESTATES)]);
            ledger[(int) (postings++ % RING)] = new Posting(e.ref(), POSTINGS[r.nextInt(POSTINGS.length)], 100 + r.nextInt(2_000_000), t);
            String ak = "account-" + r.nextInt(5_000);
            if (accounts.get(ak) == null) accounts.put(ak, new Account(ak, new byte[400 + r.nextInt(400)], t));
            if (r.nextInt(20) == 0) { gazette.addLast(new GazetteNotice(e.ref(), e.deceased(), t)); noticesQueued++; }
            byte[] buf = pdfBuffers.poll();
            buf[(int) (renders++ % buf.length)] = (byte) key.length();
            pdfBuffers.add(buf);
        }

        void minuteTick(long t, long start) {
            clock.millis = t;
            searches.sweep();
            if ((t - start) % GAZETTE_EVERY == 0) {
                gazetteRuns++;
                while (!gazette.isEmpty() && gazette.peekFirst().at() <= t - 30 * MINUTE) { gazette.pollFirst(); noticesPublished++; }
            }
        }
    }

    static final String[] REGISTERS = {"will register", "insolvency register", "land registry title", "unclaimed assets"};
    static final String[] POSTINGS = {"bank closure proceeds", "funeral account", "IHT payment", "legal fees", "property sale", "share sale", "interim distribution", "utility refund"};
    static final String[] SURNAMES = {"Okafor", "Smith", "Jones", "Patel", "Williams", "Nowak", "Brown", "Khan", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Roberts", "Murphy", "Kowalski"};

    static EstateService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(134_020_001);
        for (int i = 0; i < INSTITUTIONS; i++) {
            double[] rates = new double[60];
            for (int k = 0; k < rates.length; k++) rates[k] = rnd.nextDouble() * 5;
            String sortCode = String.format("%02d-%02d-%02d", 20 + i / 100, i % 100, (i * 37) % 100);
            INSTITUTIONS_BY_SORT_CODE.put(sortCode, new Institution(sortCode, "Bank " + (i % 300), rates));
        }
        EstateService svc = new EstateService(new ServiceClock(start));
        SERVICE = svc;
        for (int i = 0; i < ESTATES; i++) {
            svc.estateRefs[i] = "EST-" + (610_000 + i * 3);
            String dob = (1920 + rnd.nextInt(75)) + "-" + String.format("%02d-%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            svc.estates.put(svc.estateRefs[i], new Estate(svc.estateRefs[i], (char) ('A' + rnd.nextInt(26)) + ". " + SURNAMES[rnd.nextInt(SURNAMES.length)], dob,
                    (char) ('A' + rnd.nextInt(26)) + "" + (char) ('A' + rnd.nextInt(26)) + (1 + rnd.nextInt(30)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)),
                    "Executor " + rnd.nextInt(40_000), 5_000_000L + rnd.nextInt(900_000_000), new byte[150 + rnd.nextInt(150)], end - (long) (20 + rnd.nextInt(600)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(134_020_002);
        int requests = SEARCHES_PER_HOUR * HOURS;
        long nextTick = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextTick <= t) { svc.minuteTick(nextTick, start); nextTick += MINUTE; }
            svc.request(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick, start); nextTick += MINUTE; }
    }

    static void verify() {
        EstateService svc = SERVICE;
        SearchCache c = svc.searches;
        long now = svc.clock.currentTimeMillis();
        int olderThanTtl = 0;
        for (SearchResult r : c.entries.values()) {
            long createdMillis = FIXED ? r.createdAt : svc.clock.startMillis + (r.createdAt - ServiceClock.BOOT_UPTIME_NANOS) / 1_000_000L;
            if (now - createdMillis >= TTL_MILLIS) olderThanTtl++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "institutions " + INSTITUTIONS_BY_SORT_CODE.size() + " estates " + svc.estates.size() + " requests " + svc.requests + " searches " + c.entries.size()
                + " (hits " + c.hits + " misses " + c.misses + " sweeps " + c.sweeps + " swept " + c.swept + " older than TTL " + olderThanTtl + ") accounts " + svc.accounts.size() + " (evicted " + svc.accounts.evicted + ")"
                + " ledger " + Math.min(svc.postings, RING) + " of " + svc.postings + " gazette " + svc.gazette.size() + " (" + svc.noticesQueued + " queued, " + svc.noticesPublished + " published, " + svc.gazetteRuns + " runs)");
        check(INSTITUTIONS_BY_SORT_CODE.size() == INSTITUTIONS && svc.estates.size() == ESTATES, "reference data / directory");
        check(svc.requests == (long) SEARCHES_PER_HOUR * HOURS && c.hits + c.misses == svc.requests && c.sweeps == HOURS * 60, "searches");
        if (FIXED) check(olderThanTtl == 0 && c.swept > 0 && c.entries.size() < 800, "fixed: entries expire");
        else check(c.swept == 0 && c.entries.size() == c.misses && olderThanTtl > 0, "nothing ever expires");
        check(svc.accounts.size() == ACCOUNT_CAP && svc.accounts.evicted > 0, "account cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.noticesQueued - svc.noticesPublished == svc.gazette.size() && svc.gazette.size() > 0, "gazette backlog");
        check(svc.gazette.size() == 54 && svc.accounts.evicted == 16_456, "exact gazette / account counts"); // VALIDATION134.md
        if (!FIXED) check(c.entries.size() == 19_729 && c.hits == 10_271 && olderThanTtl == 19_477, "exact search-cache counts");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val134.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
