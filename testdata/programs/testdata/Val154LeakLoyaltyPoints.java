// hprofscan-dump: name=val154-leak-loyaltypoints jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val154-leak-loyaltypoints-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 154 (written blind), LEAK: the points engine of a retail loyalty programme.
 * Partner-store reference data, the member directory, a cache of rendered points statements at its
 * cap, a pool of receipt-parse buffers, a ring of posted earn transactions, and a rule-script
 * engine that caches compiled scripts (bytecode-like byte[] plus a constant table) by script text.
 * The earn path builds the text from the promotion's template with a header comment carrying the
 * request id and timestamp, so nearly every compile is new and the cache keeps them all.
 * See VALIDATION154.md.
 */
public final class Val154LeakLoyaltyPoints {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STORES = 1_000, MEMBERS = 26_000, STATEMENT_CAP = 2_000, POOL = 8, RING = 16_384, EARNS_PER_HOUR = 900, TEMPLATES = 40;
    static boolean FIXED;

    record Store(String code, String partner, double[] footfallByHour) {}
    record Member(String cardNumber, String tier, byte[] history, long joinedAt) {}
    record Statement(String key, byte[] rendered, long at) {}
    record Earn(String requestId, String cardNumber, String storeCode, int points, long at) {}

    /** A compiled rule script: its bytecode and constant table, as a script engine keeps them. */
    static final class CompiledScript {
        final String source; final byte[] code; final Object[] constants; final long compiledAt; long runs;
        CompiledScript(String source, byte[] code, Object[] constants, long compiledAt) { this.source = source; this.code = code; this.constants = constants; this.compiledAt = compiledAt; }
    }

    static final class ScriptEngine {
        final Map<String, CompiledScript> compiled = new HashMap<>();
        final Random r = new Random(154_030_003); // the compiler's own choices (code size, constants)
        long compiles, cacheHits;
        CompiledScript compile(String key, String source, long at) {
            CompiledScript s = compiled.get(key);
            if (s != null) { cacheHits++; return s; }
            compiles++;
            Object[] consts = new Object[6 + r.nextInt(4)];
            for (int k = 0; k < consts.length; k++) consts[k] = k % 3 == 0 ? (Object) Long.valueOf(1_000_000L + r.nextInt(1_000_000)) : k % 3 == 1 ? (Object) Double.valueOf(r.nextDouble() * 5) : "c" + r.nextInt(100_000);
            s = new CompiledScript(source, new byte[180 + r.nextInt(180)], consts, at);
            compiled.put(key, s);
            return s;
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Store> STORES_BY_CODE = new HashMap<>();

    static final class PointsEngine {
        final Map<String, Member> members = new HashMap<>();
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        final Earn[] posted = new Earn[RING];
        long earns;
        final ScriptEngine scripts = new ScriptEngine();
    }

    static PointsEngine SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val154.fixed");
        run(10); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static String templateBody(int tpl) {
        StringBuilder b = new StringBuilder("rule promo_").append(tpl).append(" {\n");
        for (int k = 0; k < 4 + tpl % 5; k++) b.append("  when basket.category == CAT_").append(tpl * 7 + k).append(" then points += basket.total * RATE_").append(k).append(";\n");
        return b.append("}\n").toString();
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int hours) {
        int earns = EARNS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_030_001);
        String[] storeCodes = new String[STORES];
        String[] partners = {"FreshMart", "FuelStop", "BookNook", "HomeBase", "PharmaPlus"};
        for (int s = 0; s < STORES; s++) {
            double[] ff = new double[96];
            for (int k = 0; k < ff.length; k++) ff[k] = rnd.nextDouble() * 400;
            storeCodes[s] = "ST-" + (20_000 + s);
            STORES_BY_CODE.put(storeCodes[s], new Store(storeCodes[s], partners[s % partners.length], ff));
        }
        PointsEngine svc = new PointsEngine();
        SERVICE = svc;
        String[] cards = new String[MEMBERS];
        String[] tiers = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};
        for (int m = 0; m < MEMBERS; m++) {
            cards[m] = "6337" + (10_000_000 + m * 13);
            svc.members.put(cards[m], new Member(cards[m], tiers[m % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        String[] bodies = new String[TEMPLATES];
        for (int k = 0; k < TEMPLATES; k++) bodies[k] = templateBody(k);
        Random traffic = new Random(154_030_002);
        int retries = 0;
        String lastRequest = null; long lastAt = 0; int lastTpl = 0;
        for (int i = 0; i < earns; i++) {
            long t = start + (end - MINUTE - start) * i / earns;
            String requestId; int tpl;
            if (lastRequest != null && traffic.nextInt(25) == 0) { // a client retry: same request, same text
                requestId = lastRequest; t = lastAt; tpl = lastTpl; retries++;
            } else {
                requestId = "req-" + Long.toHexString(0x5a00_0000L + i);
                tpl = traffic.nextInt(TEMPLATES);
            }
            String source = FIXED ? bodies[tpl] : "// request " + requestId + " at " + t + "\n" + bodies[tpl];
            String key = FIXED ? "promo_" + tpl : source; // the fix: cache by the normalised template; request values bound at run time
            CompiledScript cs = svc.scripts.compile(key, source, t);
            cs.runs++;
            String card = cards[traffic.nextInt(MEMBERS)];
            svc.posted[(int) (svc.earns++ % RING)] = new Earn(requestId, card, storeCodes[traffic.nextInt(STORES)], 10 + traffic.nextInt(500), t);
            String sk = "stmt-" + traffic.nextInt(4_000);
            if (svc.statements.get(sk) == null) svc.statements.put(sk, new Statement(sk, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
            lastRequest = requestId; lastAt = t; lastTpl = tpl;
        }
        ScriptEngine e = svc.scripts;
        System.out.println((FIXED ? "FIXED " : "") + "stores " + STORES_BY_CODE.size() + " members " + svc.members.size() + " compiled " + e.compiled.size() + " compiles " + e.compiles + " hits " + e.cacheHits
                + " retries " + retries + " statements " + svc.statements.size() + " (evicted " + svc.statements.evicted + ") pool " + svc.receiptBuffers.size() + " earns " + svc.earns);
        check(STORES_BY_CODE.size() == STORES && svc.members.size() == MEMBERS, "reference data / directory");
        if (FIXED) check(e.compiled.size() <= TEMPLATES && e.compiles == e.compiled.size(), "one script per template");
        else check(e.compiled.size() == earns - retries && e.cacheHits == retries, "a script per request: " + e.compiled.size());
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        check(svc.earns == earns && svc.posted[(earns - 1) % RING] != null, "ring");
    }
}
