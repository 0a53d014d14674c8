// hprofscan-dump: name=val107-leak-gymsoftware jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val107-leak-gymsoftware-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 107 (written blind), LEAK: a multi-tenant gym-management platform (members,
 * classes, billing for independent gyms). Plan reference data, the member directory, a size-capped
 * cache of rendered timetables, a pool of export buffers, a ring of door check-ins, and the tenant
 * directory: onboarding a gym creates its own Executors.newSingleThreadScheduledExecutor (thread
 * "nightly-billing-<tenant>") that runs its nightly billing run at 02:00 UTC, the job holding the
 * tenant's billing workspace. Offboarding removes the tenant from the directory but never shuts
 * the scheduler down: one idle scheduler thread per offboarded gym stays alive, with its queued
 * job and the workspace it captured. See VALIDATION107.md.
 */
public final class Val107LeakGymSoftware {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int PLANS = 1_000, MEMBERS = 20_000, TIMETABLE_CAP = 2_000, POOL = 8, RING = 16_384, TENANTS = 220, OFFBOARD_EVERY = 3, CHECKINS = 60_000, PERIOD_DAYS = 180;
    static boolean FIXED;

    record Plan(String code, String name, double[] monthlyPrices) {}
    record Member(String memberNo, String tenantId, String plan, byte[] waiver, long joinedAt) {}
    record Timetable(String key, byte[] rendered, long at) {}
    record CheckIn(String memberNo, String door, long at) {}

    /** What the nightly billing run of one gym works on. */
    static final class BillingWorkspace {
        final String tenantId; final byte[] mandateSnapshot; final Map<String, String> settings = new HashMap<>(); long runs;
        BillingWorkspace(String tenantId, int bytes) { this.tenantId = tenantId; this.mandateSnapshot = new byte[bytes]; }
    }

    static final class NightlyBillingJob implements Runnable {
        final BillingWorkspace workspace;
        NightlyBillingJob(BillingWorkspace w) { workspace = w; }
        @Override public void run() { workspace.runs++; }
    }

    static final class Tenant {
        final String id, gymName; final long onboardedAt; final ScheduledExecutorService scheduler; final BillingWorkspace workspace;
        Tenant(String id, String gymName, long onboardedAt, ScheduledExecutorService scheduler, BillingWorkspace workspace) { this.id = id; this.gymName = gymName; this.onboardedAt = onboardedAt; this.scheduler = scheduler; this.workspace = workspace; }
    }

    static final class TimetableCache extends LinkedHashMap<String, Timetable> {
        long evicted;
        TimetableCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Timetable> e) { if (size() > TIMETABLE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Plan> PLANS_BY_CODE = new HashMap<>();

    static final class Platform {
        final Map<String, Tenant> tenants = new HashMap<>();
        final Map<String, Member> members = new HashMap<>();
        final TimetableCache timetables = new TimetableCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final CheckIn[] doorLog = new CheckIn[RING];
        long checkIns, onboarded, offboarded;

        void onboard(String id, String name, long at, int workspaceBytes, long firstRunDelayMs) {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "nightly-billing-" + id);
                t.setDaemon(true);
                return t;
            });
            BillingWorkspace w = new BillingWorkspace(id, workspaceBytes);
            w.settings.put("currency", "GBP");
            w.settings.put("dunningDays", Integer.toString(3 + workspaceBytes % 11));
            w.settings.put("gatewayAccount", "acct_" + Integer.toHexString(id.hashCode()));
            s.scheduleAtFixedRate(new NightlyBillingJob(w), firstRunDelayMs, DAY, TimeUnit.MILLISECONDS);
            tenants.put(id, new Tenant(id, name, at, s, w));
            onboarded++;
        }

        void offboard(String id) throws InterruptedException {
            Tenant t = tenants.remove(id);
            if (FIXED) { // the fix: stop the gym's scheduler with it
                t.scheduler.shutdownNow();
                if (!t.scheduler.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("scheduler of " + id + " did not stop");
            }
            // BUG: the scheduler (its thread, queued job and workspace) is left running
            offboarded++;
        }
    }

    static Platform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - PERIOD_DAYS * DAY;
        ZonedDateTime next2am = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).withHour(2).withMinute(0).withSecond(0).withNano(0);
        if (next2am.toInstant().toEpochMilli() <= now + 10 * MINUTE) next2am = next2am.plusDays(1);
        long firstRunDelay = next2am.toInstant().toEpochMilli() - now; // never runs while this program lives
        Random rnd = new Random(107_040_001);
        String[] planCodes = new String[PLANS];
        for (int p = 0; p < PLANS; p++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 15 + rnd.nextDouble() * 60;
            planCodes[p] = "PLAN-" + (800 + p);
            PLANS_BY_CODE.put(planCodes[p], new Plan(planCodes[p], "Plan " + (p % 90), prices));
        }
        Platform svc = new Platform();
        SERVICE = svc;
        Random traffic = new Random(107_040_002);
        for (int g = 0; g < TENANTS; g++) {
            long at = start + (end - DAY - start) * g / TENANTS;
            svc.onboard("gym-" + (41_000 + g), "Gym " + (g % 150), at, 32_768 + traffic.nextInt(32_768), firstRunDelay);
            if (g % OFFBOARD_EVERY == OFFBOARD_EVERY - 1) svc.offboard("gym-" + (41_000 + g - 2)); // churn: the gym onboarded two before this one leaves (trial not converted)
        }
        for (int m = 0; m < MEMBERS; m++) {
            String no = "M" + (9_100_000 + m);
            svc.members.put(no, new Member(no, "gym-" + (41_000 + rnd.nextInt(TENANTS)), planCodes[rnd.nextInt(PLANS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        long ciStart = end - 10 * HOUR;
        for (int i = 0; i < CHECKINS; i++) {
            long t = ciStart + (end - MINUTE - ciStart) * i / CHECKINS;
            svc.doorLog[(int) (svc.checkIns++ % RING)] = new CheckIn("M" + (9_100_000 + traffic.nextInt(MEMBERS)), "door-" + traffic.nextInt(4), t);
            String key = "tt-" + traffic.nextInt(5_000);
            if (svc.timetables.get(key) == null) svc.timetables.put(key, new Timetable(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.exportBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.exportBuffers.add(buf);
        }
    }

    static int billingThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("nightly-billing-") && t.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val107.fixed");
        run();
        Platform svc = SERVICE;
        int expected = FIXED ? svc.tenants.size() : TENANTS;
        for (int k = 0; k < 100 && billingThreads() != expected; k++) Thread.sleep(50); // a stopped worker needs a moment to exit
        int threads = billingThreads();
        System.out.println((FIXED ? "FIXED " : "") + "plans " + PLANS_BY_CODE.size() + " members " + svc.members.size() + " onboarded " + svc.onboarded + " offboarded " + svc.offboarded + " tenants " + svc.tenants.size()
                + " billing threads " + threads + " timetables " + svc.timetables.size() + " (evicted " + svc.timetables.evicted + ") pool " + svc.exportBuffers.size() + " check-ins " + svc.checkIns);
        check(PLANS_BY_CODE.size() == PLANS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.onboarded == TENANTS && svc.offboarded == TENANTS / OFFBOARD_EVERY && svc.tenants.size() == TENANTS - TENANTS / OFFBOARD_EVERY, "tenants");
        if (FIXED) check(threads == svc.tenants.size(), "fixed: one scheduler thread per tenant: " + threads);
        else check(threads == TENANTS, "every scheduler thread alive: " + threads);
        check(svc.timetables.size() == TIMETABLE_CAP && svc.timetables.evicted > 0, "timetable cache at cap");
        check(svc.exportBuffers.size() == POOL && svc.doorLog[RING - 1] != null, "pool / ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
