// hprofscan-dump: name=val6-healthy-pharmacy jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val6-healthy-pharmacy-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 6 (written blind), HEALTHY: a pharmacy-benefits claims service that has run for
 * 8 simulated hours (40,000 claims). It holds a drug formulary loaded at startup (the biggest
 * structure), a pharmacy directory keyed by NCPDP ids, an eligibility LRU at capacity, a member
 * portal session store whose sessions really expire (swept every 5 simulated minutes), a
 * per-thread 32 KiB scratch buffer on each of the 8 claim workers (ThreadLocal), a metrics
 * registry and the service config. See testdata/VALIDATION6.md.
 */
public final class Val6HealthyPharmacy {
    static final int DRUGS = 20_000;
    static final int PHARMACIES = 8_000;
    static final int ELIGIBILITY_CAP = 5_000;
    static final int CLAIMS = 40_000;
    static final int LOGINS = 12_000;
    static final int WORKERS = 8;
    static final long SIM_MILLIS = 8L * 3600_000L;
    static final long SESSION_IDLE_MILLIS = 30L * 60_000L;

    static ClaimService RUNNING;

    static final class Drug {
        final String ndc; final String name; final String strength; final String form; final int tier;
        final long[] awpCentsByMonth = new long[12]; final String[] interactsWith; final long loadedAt;
        Drug(String ndc, String name, String strength, String form, int tier, String[] interactsWith, long loadedAt) {
            this.ndc = ndc; this.name = name; this.strength = strength; this.form = form; this.tier = tier; this.interactsWith = interactsWith; this.loadedAt = loadedAt;
        }
    }

    /** Reference data, loaded once from the weekly formulary file. */
    static final class Formulary {
        static final Map<String, Drug> DRUGS_BY_NDC = new HashMap<>(DRUGS * 2);
    }

    static final class Pharmacy {
        final long ncpdpId; final String npi; final String name; final String city; final String state; final boolean mailOrder; final long updatedAt;
        Pharmacy(long ncpdpId, String npi, String name, String city, String state, boolean mailOrder, long updatedAt) {
            this.ncpdpId = ncpdpId; this.npi = npi; this.name = name; this.city = city; this.state = state; this.mailOrder = mailOrder; this.updatedAt = updatedAt;
        }
    }

    static final class PharmacyDirectory {
        final Map<Long, Pharmacy> byNcpdpId = new HashMap<>();
    }

    static final class Eligibility {
        final String memberId; final String planCode; final int[] copayCentsByTier = new int[8]; final long checkedAt;
        Eligibility(String memberId, String planCode, long checkedAt) { this.memberId = memberId; this.planCode = planCode; this.checkedAt = checkedAt; }
    }

    static final class EligibilityCache extends LinkedHashMap<String, Eligibility> {
        final int maxEntries;
        EligibilityCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Eligibility> e) { return size() > maxEntries; }
    }

    static final class PortalSession {
        final String token; final String memberId; final long createdAt; long lastAccessAt; final byte[] csrfState = new byte[48];
        PortalSession(String token, String memberId, long createdAt) { this.token = token; this.memberId = memberId; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SessionStore {
        final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();
        long expired;
        void sweep(long now) {
            for (Iterator<PortalSession> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccessAt > SESSION_IDLE_MILLIS) { it.remove(); expired++; }
            }
        }
    }

    static final class TimerStat {
        final String name; long count; long totalMicros; final long[] histogram = new long[32];
        TimerStat(String name) { this.name = name; }
        void record(long micros) { count++; totalMicros += micros; histogram[Math.min(31, 63 - Long.numberOfLeadingZeros(micros + 1))]++; }
    }

    static final class ClaimService {
        final PharmacyDirectory pharmacies = new PharmacyDirectory();
        final EligibilityCache eligibility = new EligibilityCache(ELIGIBILITY_CAP);
        final SessionStore portal = new SessionStore();
        final Map<String, TimerStat> metrics = new ConcurrentHashMap<>();
        final Properties config = new Properties();
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "claims-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread scratch buffer for NCPDP D.0 encoding, reused by every claim on that worker. */
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
        long adjudicated;

        TimerStat timer(String n) { return metrics.computeIfAbsent(n, TimerStat::new); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String hex(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(6_010_001);
        ClaimService svc = new ClaimService();
        RUNNING = svc;
        for (int i = 0; i < 200; i++) svc.config.setProperty("claims.plan." + i + ".maxDaysSupply", Integer.toString(30 + i % 60));
        String[] forms = {"TAB", "CAP", "SOLN", "INJ", "CRM", "SUSP"};
        String[] ndcs = new String[DRUGS];
        for (int i = 0; i < DRUGS; i++) {
            ndcs[i] = String.format("%05d-%04d-%02d", 10_000 + i / 7, (i * 37) % 10_000, i % 100);
        }
        for (int i = 0; i < DRUGS; i++) {
            String[] inter = new String[i % 5];
            for (int k = 0; k < inter.length; k++) inter[k] = ndcs[rnd.nextInt(DRUGS)];
            Drug d = new Drug(ndcs[i], "DRUG" + Integer.toString(i, 36).toUpperCase() + " " + (5 + i % 95) + "MG", (5 + i % 95) + " MG", forms[i % forms.length], 1 + i % 5, inter, start);
            for (int m = 0; m < 12; m++) d.awpCentsByMonth[m] = 100 + rnd.nextInt(90_000);
            Formulary.DRUGS_BY_NDC.put(d.ndc, d);
        }
        String[] states = {"CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI"};
        long[] ncpdp = new long[PHARMACIES];
        for (int i = 0; i < PHARMACIES; i++) {
            ncpdp[i] = 1_000_000L + i * 113L;
            svc.pharmacies.byNcpdpId.put(ncpdp[i], new Pharmacy(ncpdp[i], Long.toString(1_200_000_000L + i * 7919L), "Pharmacy #" + i, "City" + (i % 700), states[i % states.length], i % 40 == 0, start - 86_400_000L * (i % 90)));
        }
        // Bring up the claim workers; each one touches its scratch buffer once (exactly 8 buffers).
        CyclicBarrier warm = new CyclicBarrier(WORKERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) fs.add(svc.workers.submit(() -> { ClaimService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 8 simulated hours of traffic: claims (eligibility lookups) and portal logins / page views.
        int members = 60_000;
        List<PortalSession> open = new ArrayList<>();
        long lastSweep = start;
        int logins = 0;
        for (int i = 0; i < CLAIMS; i++) {
            long t = start + SIM_MILLIS * i / CLAIMS;
            String member = String.format("M%09d", 100_000_000 + rnd.nextInt(members));
            Eligibility e = svc.eligibility.get(member);
            if (e == null) { e = new Eligibility(member, "PLN-" + (rnd.nextInt(40) + 100), t); for (int k = 0; k < 8; k++) e.copayCentsByTier[k] = 500 * (k + 1); svc.eligibility.put(member, e); }
            Drug d = Formulary.DRUGS_BY_NDC.get(ndcs[rnd.nextInt(DRUGS)]);
            check(d != null && svc.pharmacies.byNcpdpId.containsKey(ncpdp[rnd.nextInt(PHARMACIES)]), "lookup");
            svc.timer("claims.adjudicate").record(800 + rnd.nextInt(4_000));
            svc.adjudicated++;
            if (i % 10 < 3 && logins < LOGINS) { // a member logs in to the portal
                PortalSession s = new PortalSession(hex(rnd, 32), member, t);
                rnd.nextBytes(s.csrfState);
                svc.portal.sessions.put(s.token, s);
                open.add(s);
                logins++;
            }
            if (!open.isEmpty() && i % 3 == 0) { // page views on recent sessions
                PortalSession s = open.get(open.size() - 1 - rnd.nextInt(Math.min(open.size(), 50)));
                if (svc.portal.sessions.containsKey(s.token)) s.lastAccessAt = t;
            }
            if (t - lastSweep >= 5 * 60_000L) {
                svc.portal.sweep(t);
                open.removeIf(s -> !svc.portal.sessions.containsKey(s.token));
                lastSweep = t;
            }
        }
        svc.portal.sweep(now);
        open.clear();
        for (String n : new String[] {"eligibility.lookup", "formulary.lookup", "pharmacy.lookup", "portal.login", "portal.view", "db.query"}) svc.timer(n).record(100);
        int live = svc.portal.sessions.size();
        System.out.println("drugs " + Formulary.DRUGS_BY_NDC.size() + " pharmacies " + svc.pharmacies.byNcpdpId.size() + " eligibility " + svc.eligibility.size()
                + " sessions live " + live + " expired " + svc.portal.expired + " logins " + logins + " metrics " + svc.metrics.size());
        check(Formulary.DRUGS_BY_NDC.size() == DRUGS, "drugs");
        check(svc.pharmacies.byNcpdpId.size() == PHARMACIES, "pharmacies");
        check(svc.eligibility.size() == ELIGIBILITY_CAP, "eligibility");
        check(logins == LOGINS && live + svc.portal.expired == LOGINS && live < 1_000, "sessions " + live);
        check(svc.workers.getPoolSize() == WORKERS, "workers");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
