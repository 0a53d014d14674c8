// hprofscan-dump: name=val66-leak-skirental jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val66-leak-skirental-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 66 (written blind), LEAK: the multi-tenant back end of ski-rental shops (one
 * tenant per shop chain). Resort reference data, the rental-gear directory, a cache of rendered
 * rental agreements at its cap, a pool of boot-fitting scan buffers, a ring of recent rentals, and
 * a per-tenant executor cache: a tenant's end-of-shift reports run one at a time on that tenant's
 * single-thread executor (its thread keeps a 16 KiB render buffer in a ThreadLocal). The cache key
 * is meant to be the tenant id, but it accidentally includes the request's random shard suffix
 * (tenant + "/" + shard), so almost every report request creates and caches a new single-thread
 * executor with its own live thread and render buffer. See VALIDATION66.md.
 */
public final class Val66LeakSkiRental {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RESORTS = 1_300, GEAR = 26_000, AGREEMENT_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, TENANTS = 30, REPORTS = 420, RENTALS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Resort(String code, String country, double[] snowDepthByWeek) {}
    record Gear(String tag, String kind, String resortCode, byte[] serviceLog, long boughtAt) {}
    record Agreement(String key, byte[] rendered, long at) {}
    record Rental(String tag, String customer, long from, long until) {}
    record ShiftReport(String tenant, long at, int rentals, String worker) {}

    /** Per worker thread: the report renderer's scratch buffer. */
    static final ThreadLocal<byte[]> RENDER_BUFFER = ThreadLocal.withInitial(() -> new byte[16_384]);

    static final class TenantExecutors {
        final Map<String, ExecutorService> cache = new ConcurrentHashMap<>();
        long created;
        ExecutorService forKey(String key) {
            return cache.computeIfAbsent(key, k -> {
                created++;
                return Executors.newSingleThreadExecutor(r -> { Thread th = new Thread(r, "report-" + k); th.setDaemon(true); return th; });
            });
        }
    }

    static final class AgreementCache extends LinkedHashMap<String, Agreement> {
        long evicted;
        AgreementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Agreement> e) { if (size() > AGREEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Resort> RESORTS_BY_CODE = new HashMap<>();

    static final class RentalPlatform {
        final Map<String, Gear> gear = new HashMap<>();
        final AgreementCache agreements = new AgreementCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final Rental[] recent = new Rental[RING];
        long rentals;
        final TenantExecutors executors = new TenantExecutors();
        final ShiftReport[] lastReports = new ShiftReport[64];
        long reports;
    }

    static RentalPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val66.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(66_040_001);
        String[] resortCodes = new String[RESORTS];
        for (int r = 0; r < RESORTS; r++) {
            double[] depth = new double[64];
            for (int k = 0; k < depth.length; k++) depth[k] = rnd.nextDouble() * 300;
            resortCodes[r] = "RS-" + (1_000 + r);
            RESORTS_BY_CODE.put(resortCodes[r], new Resort(resortCodes[r], new String[] {"AT", "CH", "FR", "IT"}[r % 4], depth));
        }
        RentalPlatform svc = new RentalPlatform();
        SERVICE = svc;
        String[] tags = new String[GEAR];
        String[] kinds = {"Ski", "Snowboard", "Boots", "Helmet", "Poles", "Touring ski"};
        for (int g = 0; g < GEAR; g++) {
            tags[g] = "G" + (3_000_000 + g);
            svc.gear.put(tags[g], new Gear(tags[g], kinds[g % kinds.length], resortCodes[rnd.nextInt(RESORTS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        String[] tenants = new String[TENANTS];
        for (int t = 0; t < TENANTS; t++) tenants[t] = "tenant-" + (char) ('a' + t % 26) + (t / 26) + "-shops";
        Random traffic = new Random(66_040_002);
        Random reportsRnd = new Random(66_040_003);
        int rentals = RENTALS_PER_HOUR * HOURS;
        int reportDone = 0;
        for (int i = 0; i < rentals; i++) {
            long t = start + (end - MINUTE - start) * i / rentals;
            String tag = tags[traffic.nextInt(GEAR)];
            svc.recent[(int) (svc.rentals++ % RING)] = new Rental(tag, "CU" + (200_000 + traffic.nextInt(90_000)), t, t + (1 + traffic.nextInt(6)) * 24 * HOUR);
            String key = "agr-" + traffic.nextInt(4_000);
            if (svc.agreements.get(key) == null) svc.agreements.put(key, new Agreement(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.scanBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.scanBuffers.add(buf);
            // end-of-shift report requests, evenly spread
            while (reportDone < REPORTS && (long) reportDone * rentals <= (long) i * REPORTS) {
                String tenant = tenants[reportsRnd.nextInt(TENANTS)];
                int shard = reportsRnd.nextInt(8_192); // request routing shard, meant for the report store only
                String execKey = FIXED ? tenant : tenant + "/" + shard; // BUG: the shard leaks into the executor key
                final long at = t;
                final int count = 50 + reportsRnd.nextInt(400);
                Future<ShiftReport> f = svc.executors.forKey(execKey).submit(() -> {
                    byte[] render = RENDER_BUFFER.get();
                    render[count % render.length] = (byte) count;
                    return new ShiftReport(tenant, at, count, Thread.currentThread().getName());
                });
                svc.lastReports[(int) (svc.reports++ % svc.lastReports.length)] = f.get();
                reportDone++;
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "resorts " + RESORTS_BY_CODE.size() + " gear " + svc.gear.size() + " executors " + svc.executors.cache.size() + " (created " + svc.executors.created + ") reports " + svc.reports
                + " agreements " + svc.agreements.size() + " (evicted " + svc.agreements.evicted + ") pool " + svc.scanBuffers.size() + " rentals " + svc.rentals);
        check(RESORTS_BY_CODE.size() == RESORTS && svc.gear.size() == GEAR, "reference data / directory");
        check(svc.reports == REPORTS, "reports");
        if (FIXED) check(svc.executors.cache.size() == TENANTS, "one executor per tenant");
        else check(svc.executors.cache.size() > REPORTS * 9 / 10, "an executor per request: " + svc.executors.cache.size());
        check(svc.agreements.size() == AGREEMENT_CAP && svc.agreements.evicted > 0, "agreement cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.rentals == rentals && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
