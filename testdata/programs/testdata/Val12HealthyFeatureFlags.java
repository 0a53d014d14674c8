// hprofscan-dump: name=val12-healthy-featureflags-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val12-healthy-featureflags-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val12-healthy-featureflags jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val12-healthy-featureflags-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
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
 * Validation set 12 (written blind), HEALTHY, a series (warming, then flat): a feature-flag
 * evaluation service. Stage 1 is the dump after 1 simulated hour (only the first region's 3,000
 * tenants and the 2,500 flags they use are active), stage 2 after 4 hours, stage 3 after 8 hours
 * (all 8,000 tenants and all 4,000 flags seen by stage 2). The tenant directory is loaded lazily on
 * a tenant's first request, the compiled-rule cache compiles a flag's targeting rules on its first
 * evaluation; both are bounded by the number of tenants and flags and are full from stage 2 on.
 * Beside them: the flag definitions (loaded at startup), an evaluation-event ring of preallocated
 * slots and a fixed pool of evaluators with a scratch each. See testdata/VALIDATION12.md.
 */
public final class Val12HealthyFeatureFlags {
    static final int FLAGS = 4_000;
    static final int TENANTS = 8_000;
    static final int EVAL_RING = 32_768;
    static final int EVALUATORS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static FlagService RUNNING;

    static final class FlagDefinition {
        final String key; final String owner; final String description; final String[] variants; final String rulesJson; final long createdAt; final long updatedAt;
        FlagDefinition(String key, String owner, String description, String[] variants, String rulesJson, long createdAt, long updatedAt) { this.key = key; this.owner = owner; this.description = description; this.variants = variants; this.rulesJson = rulesJson; this.createdAt = createdAt; this.updatedAt = updatedAt; }
    }

    /** Reference data: every flag's definition, loaded from the config store at startup. */
    static final class FlagStore {
        static final Map<String, FlagDefinition> BY_KEY = new HashMap<>();
    }

    static final class Tenant {
        final String tenantId; final String plan; final String region; final long[] segmentBits; final long signedUpAt; long lastRequestAt; long requests;
        Tenant(String tenantId, String plan, String region, long[] segmentBits, long signedUpAt) { this.tenantId = tenantId; this.plan = plan; this.region = region; this.segmentBits = segmentBits; this.signedUpAt = signedUpAt; }
    }

    static final class CompiledRule {
        final String flagKey; final int[] bytecode; final long compiledAt; long evaluations;
        CompiledRule(String flagKey, int[] bytecode, long compiledAt) { this.flagKey = flagKey; this.bytecode = bytecode; this.compiledAt = compiledAt; }
    }

    static final class EvalEvent { long at; String tenantId; String flagKey; int variant; }

    static final class FlagService {
        /** Loaded lazily from the account service on a tenant's first request; bounded by the tenant count. */
        final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
        /** A flag's rules compiled on its first evaluation; bounded by the flag count. */
        final Map<String, CompiledRule> compiled = new ConcurrentHashMap<>();
        final EvalEvent[] ring = new EvalEvent[EVAL_RING];
        long evaluations;
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor evaluators = new ThreadPoolExecutor(EVALUATORS, EVALUATORS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "flag-eval-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<int[]> STACK = ThreadLocal.withInitial(() -> new int[8_192]);
        final Properties config = new Properties();
        FlagService() { for (int i = 0; i < EVAL_RING; i++) ring[i] = new EvalEvent(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String tenantId(int i) { return "tn_" + Integer.toString(1_000_000 + i * 37, 36); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int requests = (int) (40_000 * hours);
        int activeTenants = stage == 1 ? 3_000 : TENANTS;
        int activeFlags = stage == 1 ? 2_500 : FLAGS;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(12_040_001);
        FlagService svc = new FlagService();
        RUNNING = svc;
        for (int i = 0; i < 60; i++) svc.config.setProperty("flags.sdk." + i, "v" + (i % 7));
        for (int i = 0; i < FLAGS; i++) {
            String key = "ff." + (i % 40) + ".feature_" + i;
            StringBuilder rules = new StringBuilder("{\"rules\":[");
            for (int k = 0, n = 2 + rnd.nextInt(6); k < n; k++) rules.append("{\"segment\":").append(rnd.nextInt(1_024)).append(",\"pct\":").append(rnd.nextInt(100)).append("},");
            rules.append("]}");
            long created = now - DAY * (10 + rnd.nextInt(1_500));
            FlagStore.BY_KEY.put(key, new FlagDefinition(key, "team-" + (i % 40), "Rollout of feature " + i, new String[] {"off", "on", i % 5 == 0 ? "beta" : "control"}, rules.toString(), created, created + DAY * rnd.nextInt(10)));
        }
        String[] flagKeys = new String[FLAGS];
        for (int i = 0; i < FLAGS; i++) flagKeys[i] = "ff." + (i % 40) + ".feature_" + i;
        CyclicBarrier warm = new CyclicBarrier(EVALUATORS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < EVALUATORS; w++) fs.add(svc.evaluators.submit(() -> { FlagService.STACK.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] plans = {"free", "team", "business", "enterprise"};
        String[] regions = {"eu-west", "us-east", "ap-south"};
        for (int i = 0; i < requests; i++) {
            long t = start + (now - start) * i / requests;
            int ti = (int) ((i * 7_919L) % activeTenants);
            String tid = tenantId(ti);
            Tenant tn = svc.tenants.get(tid);
            if (tn == null) {
                long[] bits = new long[64];
                for (int k = 0; k < 64; k++) bits[k] = rnd.nextLong();
                tn = new Tenant(tid, plans[ti % plans.length], regions[ti % regions.length], bits, now - DAY * (1 + rnd.nextInt(2_000)));
                svc.tenants.put(tid, tn);
            }
            tn.lastRequestAt = t; tn.requests++;
            String fk = flagKeys[(int) ((i * 31L + i / 7) % activeFlags)];
            CompiledRule cr = svc.compiled.get(fk);
            if (cr == null) {
                int[] code = new int[24 + rnd.nextInt(40)];
                for (int k = 0; k < code.length; k++) code[k] = rnd.nextInt();
                cr = new CompiledRule(fk, code, t);
                svc.compiled.put(fk, cr);
            }
            cr.evaluations++;
            EvalEvent e = svc.ring[(int) (svc.evaluations++ % EVAL_RING)];
            e.at = t; e.tenantId = tid; e.flagKey = fk; e.variant = rnd.nextInt(3);
        }
        System.out.println("stage " + stage + " flags " + FlagStore.BY_KEY.size() + " tenants " + svc.tenants.size() + " compiled " + svc.compiled.size() + " evaluations " + svc.evaluations);
        check(FlagStore.BY_KEY.size() == FLAGS, "reference data");
        check(svc.tenants.size() == activeTenants && svc.compiled.size() == activeFlags, "warm directories");
        check(svc.evaluations == requests && requests > EVAL_RING && svc.evaluators.getPoolSize() == EVALUATORS, "ring/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
