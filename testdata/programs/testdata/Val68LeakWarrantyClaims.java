// hprofscan-dump: name=val68-leak-warrantyclaims jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val68-leak-warrantyclaims-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 68 (written blind), LEAK: the multi-tenant claims engine of a warranty
 * administrator. Product-category reference data, the open-claims directory, a cache of rendered
 * claim decisions at its cap, a pool of PDF buffers, a ring of recent decisions, and a per-tenant
 * PluginHost: each retailer tenant's adjudication rules (class TenantRules) are loaded through a
 * fresh RuleLoader (a child-first ClassLoader) whenever the tenant's rule configuration changes.
 * Each rule registers itself in the static ClaimEvents.LISTENERS registry; a reload replaces the
 * tenant's entry in the host, but never unregisters the old rules, so every old loader (with its
 * class and rule instances) stays reachable. See VALIDATION68.md.
 */
public final class Val68LeakWarrantyClaims {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CATEGORIES = 1_100, CLAIMS = 22_000, DECISION_CAP = 2_000, POOL = 8, RING = 8_192, TENANTS = 30, RULES_PER_TENANT = 8, HOURS = 10, CLAIMS_PER_HOUR = 4_000;
    static final String RULES_CLASS = "testdata.Val68LeakWarrantyClaims$TenantRules";
    static boolean FIXED;
    static byte[] RULES_BYTECODE;

    record Category(String code, String name, double[] failureCurve) {}
    record Claim(String claimNumber, String tenant, String categoryCode, byte[] evidence, long openedAt) {}
    record Decision(String claimNumber, String tenant, boolean approved, long at) {}
    record RenderedDecision(String key, byte[] pdf, long at) {}

    /** Implemented by tenant rules; loaded by the application loader (shared by every RuleLoader). */
    public interface RuleListener {
        String tenant();
        boolean onClaim(String claimNumber, long amountMinor);
    }

    /** A tenant's adjudication rule; this class is defined anew by each RuleLoader. */
    public static final class TenantRules implements RuleListener {
        public String tenant; public int version, ruleIndex; public long loadedAt;
        public byte[] compiledTable; public Map<String, Integer> thresholds = new HashMap<>();
        public TenantRules() {}
        @Override public String tenant() { return tenant; }
        @Override public boolean onClaim(String claimNumber, long amountMinor) { return amountMinor < thresholds.getOrDefault("max", 0) || compiledTable[claimNumber.length() % compiledTable.length] > 0; }
    }

    /** Child-first for the rules class, parent-first for everything else. */
    static final class RuleLoader extends ClassLoader {
        final String tenant; final int version; final long createdAt;
        RuleLoader(String tenant, int version, long createdAt, ClassLoader parent) { super("rules-" + tenant + "-v" + version, parent); this.tenant = tenant; this.version = version; this.createdAt = createdAt; }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(RULES_CLASS)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) c = defineClass(name, RULES_BYTECODE, 0, RULES_BYTECODE.length);
                    return c;
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    /** The static listener registry every rule registers with. */
    static final class ClaimEvents {
        static final List<RuleListener> LISTENERS = new ArrayList<>();
        static void register(RuleListener l) { LISTENERS.add(l); }
        static void unregisterTenant(String tenant) { LISTENERS.removeIf(l -> l.tenant().equals(tenant)); }
    }

    static final class TenantPlugin {
        final String tenant; final RuleLoader loader; final List<RuleListener> rules = new ArrayList<>();
        TenantPlugin(String tenant, RuleLoader loader) { this.tenant = tenant; this.loader = loader; }
    }

    static final class PluginHost {
        final Map<String, TenantPlugin> active = new HashMap<>();
        long loads;
        TenantPlugin load(String tenant, int version, long at, Random r) throws Exception {
            if (FIXED && active.containsKey(tenant)) ClaimEvents.unregisterTenant(tenant);
            // BUG (without the fix): the previous version's rules stay registered in ClaimEvents.LISTENERS
            RuleLoader loader = new RuleLoader(tenant, version, at, Val68LeakWarrantyClaims.class.getClassLoader());
            Class<?> c = loader.loadClass(RULES_CLASS);
            if (c == TenantRules.class || c.getClassLoader() != loader) throw new IllegalStateException("rules not isolated");
            TenantPlugin p = new TenantPlugin(tenant, loader);
            for (int k = 0; k < RULES_PER_TENANT; k++) {
                Object o = c.getDeclaredConstructor().newInstance();
                c.getField("tenant").set(o, tenant);
                c.getField("version").setInt(o, version);
                c.getField("ruleIndex").setInt(o, k);
                c.getField("loadedAt").setLong(o, at);
                c.getField("compiledTable").set(o, new byte[1_024 + r.nextInt(1_024)]);
                @SuppressWarnings("unchecked") Map<String, Integer> th = (Map<String, Integer>) c.getField("thresholds").get(o);
                th.put("max", 20_000 + r.nextInt(80_000)); th.put("deductible", r.nextInt(5_000));
                RuleListener l = (RuleListener) o;
                p.rules.add(l);
                ClaimEvents.register(l);
            }
            active.put(tenant, p);
            loads++;
            return p;
        }
    }

    static final class DecisionCache extends LinkedHashMap<String, RenderedDecision> {
        long evicted;
        DecisionCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedDecision> e) { if (size() > DECISION_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Category> CATEGORIES_BY_CODE = new HashMap<>();

    static final class ClaimsEngine {
        final Map<String, Claim> claims = new HashMap<>();
        final DecisionCache decisions = new DecisionCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Decision[] recent = new Decision[RING];
        long decided;
        final PluginHost plugins = new PluginHost();
    }

    static ClaimsEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The traffic loop, in its own method: no compiled frame of it is on the stack at the dump. */
    static int traffic(ClaimsEngine svc, String[] tenants, String[] claimNumbers, Random config, int[] versions, long[] nextReload, long start, long last) throws Exception {
        Random traffic = new Random(68_040_002);
        int events = CLAIMS_PER_HOUR * HOURS;
        int reloads = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (last - start) * i / events;
            for (int k = 0; k < TENANTS; k++) {
                while (nextReload[k] <= t) { svc.plugins.load(tenants[k], ++versions[k], nextReload[k], config); reloads++; nextReload[k] += (10 + config.nextInt(30)) * MINUTE; }
            }
            String number = claimNumbers[traffic.nextInt(CLAIMS)];
            String tenant = tenants[traffic.nextInt(TENANTS)];
            boolean approved = true;
            for (RuleListener l : svc.plugins.active.get(tenant).rules) approved &= l.onClaim(number, traffic.nextInt(100_000));
            svc.recent[(int) (svc.decided++ % RING)] = new Decision(number, tenant, approved, t);
            String key = "dec-" + traffic.nextInt(5_000);
            if (svc.decisions.get(key) == null) svc.decisions.put(key, new RenderedDecision(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
        }
        return reloads;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val68.fixed");
        try (InputStream in = Val68LeakWarrantyClaims.class.getResourceAsStream("Val68LeakWarrantyClaims$TenantRules.class")) { RULES_BYTECODE = in.readAllBytes(); }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(68_040_001);
        String[] categoryCodes = new String[CATEGORIES];
        for (int c = 0; c < CATEGORIES; c++) {
            double[] curve = new double[72];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 0.05;
            categoryCodes[c] = "CAT-" + (2_000 + c);
            CATEGORIES_BY_CODE.put(categoryCodes[c], new Category(categoryCodes[c], "Category " + c, curve));
        }
        ClaimsEngine svc = new ClaimsEngine();
        SERVICE = svc;
        String[] tenants = new String[TENANTS];
        for (int t = 0; t < TENANTS; t++) tenants[t] = "retailer-" + (char) ('a' + t % 26) + (t / 26 == 0 ? "" : Integer.toString(t / 26)) + "-" + (100 + t);
        String[] claimNumbers = new String[CLAIMS];
        for (int c = 0; c < CLAIMS; c++) {
            claimNumbers[c] = "WC" + (40_000_000 + c * 11);
            svc.claims.put(claimNumbers[c], new Claim(claimNumbers[c], tenants[rnd.nextInt(TENANTS)], categoryCodes[rnd.nextInt(CATEGORIES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(90)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random config = new Random(68_040_003);
        int[] versions = new int[TENANTS];
        long[] nextReload = new long[TENANTS];
        for (int t = 0; t < TENANTS; t++) { svc.plugins.load(tenants[t], ++versions[t], start, config); nextReload[t] = start + (10 + config.nextInt(30)) * MINUTE; }
        int reloads = traffic(svc, tenants, claimNumbers, config, versions, nextReload, start, last);
        PluginHost host = svc.plugins;
        int loaders = host.loads > 0 ? (int) host.loads : 0;
        System.out.println((FIXED ? "FIXED " : "") + "categories " + CATEGORIES_BY_CODE.size() + " claims " + svc.claims.size() + " tenants " + host.active.size() + " loads " + host.loads + " reloads " + reloads + " listeners " + ClaimEvents.LISTENERS.size()
                + " decisions " + svc.decisions.size() + " (evicted " + svc.decisions.evicted + ") pool " + svc.pdfBuffers.size() + " decided " + svc.decided);
        check(CATEGORIES_BY_CODE.size() == CATEGORIES && svc.claims.size() == CLAIMS, "reference data / directory");
        check(host.active.size() == TENANTS && host.loads == TENANTS + reloads && loaders == host.loads, "plugin loads");
        if (FIXED) check(ClaimEvents.LISTENERS.size() == TENANTS * RULES_PER_TENANT, "only current rules registered");
        else check(ClaimEvents.LISTENERS.size() == host.loads * RULES_PER_TENANT, "every version's rules registered: " + ClaimEvents.LISTENERS.size());
        check(svc.decisions.size() == DECISION_CAP && svc.decisions.evicted > 0, "decision cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.decided == CLAIMS_PER_HOUR * HOURS && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram("RuleLoader", "java.lang.Class ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
