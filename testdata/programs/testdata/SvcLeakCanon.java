// hprofscan-dump: name=svc-leak-canon jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-canon-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6b): an HTTP ingress service with two canonicalising maps of the
 * same class. {@code Ingress.headers} is fed only header names, codes and routes (a bounded
 * vocabulary of 2,000: healthy). {@code Ingress.attributes} canonicalises every request
 * attribute, including the per-request trace id and request id: 50,000 entries, 40,000 of them
 * (80%) seen by one request only, never removed. No application class holds a timestamp. Beside
 * them: a geo-IP range table (30,000), a tenant directory (8,000 accounts), a response LRU at
 * capacity (2,000 {@code byte[]}), a bounded access log (the last 1,000 requests), metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6b".
 */
public final class SvcLeakCanon {
    static final int VOCABULARY = 2_000;
    static final int ACCOUNTS = 8_000;
    static final int REQUESTS = 20_000;
    static final int ATTRIBUTES = VOCABULARY + ACCOUNTS + 2 * REQUESTS; // 50,000
    static final int GEO_RANGES = 30_000;
    static final int RESPONSE_CACHE = 2_000;
    static final int ACCESS_LOG = 1_000;

    static Ingress RUNNING;

    /** Canonicalising map: one shared copy per distinct string. */
    static final class StringCanon {
        final Map<String, String> pool = new ConcurrentHashMap<>();
        String canon(String s) {
            String c = pool.putIfAbsent(s, s);
            return c == null ? s : c;
        }
    }

    static final class GeoRange {
        final int startIp; final int endIp; final String country; final String city; final int asn;
        GeoRange(int startIp, int endIp, String country, String city, int asn) { this.startIp = startIp; this.endIp = endIp; this.country = country; this.city = city; this.asn = asn; }
    }

    static final class GeoDirectory { final Map<Integer, GeoRange> byPrefix = new HashMap<>(); }

    static final class Tenant {
        final String accountCode; final String name; final String plan; final int rateLimit;
        Tenant(String accountCode, String name, String plan, int rateLimit) { this.accountCode = accountCode; this.name = name; this.plan = plan; this.rateLimit = rateLimit; }
    }

    static final class TenantDirectory { final Map<String, Tenant> byAccount = new HashMap<>(); }

    static final class ResponseCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ResponseCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class AccessRecord {
        final String method; final String route; final String traceId; final String account; final int status;
        AccessRecord(String method, String route, String traceId, String account, int status) { this.method = method; this.route = route; this.traceId = traceId; this.account = account; this.status = status; }
    }

    static final class AccessLog {
        final ArrayDeque<AccessRecord> recent = new ArrayDeque<>();
        void add(AccessRecord r) { recent.addLast(r); if (recent.size() > ACCESS_LOG) recent.removeFirst(); }
    }

    static final class Ingress {
        final StringCanon headers = new StringCanon();
        final StringCanon attributes = new StringCanon();
        final GeoDirectory geo = new GeoDirectory();
        final TenantDirectory tenants = new TenantDirectory();
        final ResponseCache responses = new ResponseCache(RESPONSE_CACHE);
        final AccessLog accessLog = new AccessLog();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static List<String> vocabulary(Random rnd) { return new ArrayList<>(SvcHealthyCanonVocabulary.build(rnd, VOCABULARY)); }

    /** The same bounded vocabulary as SvcHealthyCanon (header names, codes, routes, locale tags). */
    static final class SvcHealthyCanonVocabulary {
        static Set<String> build(Random rnd, int n) {
            Set<String> v = new LinkedHashSet<>();
            for (String h : SvcHealthyCanon.HEADERS) { v.add(h); v.add(h.toLowerCase(Locale.ROOT)); }
            for (String c : SvcHealthyCanon.CONTENT_TYPES) { v.add(c); v.add(c + "; charset=utf-8"); }
            String[] countries = Locale.getISOCountries();
            String[] languages = Locale.getISOLanguages();
            for (String c : countries) v.add(c);
            for (String l : languages) v.add(l);
            for (String r : SvcHealthyCanon.RESOURCES) {
                v.add("/api/v1/" + r); v.add("/api/v1/" + r + "/{id}"); v.add("/api/v2/" + r); v.add("/api/v2/" + r + "/{id}");
            }
            while (v.size() < n) v.add(languages[rnd.nextInt(40)] + "-" + countries[rnd.nextInt(countries.length)]);
            return v;
        }
    }

    static String hex(Random rnd, int bytes) {
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) { int x = rnd.nextInt(256); sb.append(Character.forDigit(x >> 4, 16)).append(Character.forDigit(x & 15, 16)); }
        return sb.toString();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Ingress build() {
        Random rnd = new Random(60_612);
        Ingress s = new Ingress();
        String[] countries = Locale.getISOCountries();
        for (int i = 0; i < GEO_RANGES; i++) {
            int base = 0x0A000000 + i * 4096;
            s.geo.byPrefix.put(base >>> 12, new GeoRange(base, base + 4095, countries[rnd.nextInt(countries.length)], "City " + (10_000 + rnd.nextInt(5_000)), 1_000 + rnd.nextInt(60_000)));
        }
        String[] plans = {"free", "team", "business", "enterprise"};
        String[] accounts = new String[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = "ACC-" + (100_000 + i);
            s.tenants.byAccount.put(accounts[i], new Tenant(accounts[i], "Tenant " + i, plans[rnd.nextInt(4)], 100 * (1 + rnd.nextInt(50))));
        }
        List<String> vocab = vocabulary(rnd);
        // warm-up: every vocabulary string and every account code has been seen before
        for (String w : vocab) { s.headers.canon(new String(w.toCharArray())); s.attributes.canon(new String(w.toCharArray())); }
        for (String a : accounts) s.attributes.canon(new String(a.toCharArray()));
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        for (int r = 0; r < REQUESTS; r++) {
            for (int k = 0; k < 8; k++) s.headers.canon(new String(vocab.get(rnd.nextInt(VOCABULARY)).toCharArray()));
            String route = s.attributes.canon(new String(vocab.get(rnd.nextInt(VOCABULARY)).toCharArray()));
            String account = s.attributes.canon(new String(accounts[rnd.nextInt(ACCOUNTS)].toCharArray()));
            String traceId = s.attributes.canon(hex(rnd, 16));           // unique per request
            String requestId = s.attributes.canon("req-" + hex(rnd, 8)); // unique per request
            if (r % 5 == 0) s.responses.put("GET " + route + "?account=" + account + "&page=" + rnd.nextInt(40), new byte[512 + rnd.nextInt(1_536)]);
            s.accessLog.add(new AccessRecord(methods[rnd.nextInt(4)], route, traceId, account, requestId.hashCode() % 20 == 0 ? 404 : 200));
            s.count("requests");
        }
        check(s.headers.pool.size() == VOCABULARY, "headers " + s.headers.pool.size());
        check(s.attributes.pool.size() == ATTRIBUTES, "attributes " + s.attributes.pool.size());
        check(s.geo.byPrefix.size() == GEO_RANGES && s.tenants.byAccount.size() == ACCOUNTS, "reference data");
        check(s.responses.size() == RESPONSE_CACHE, "responses " + s.responses.size());
        check(s.accessLog.recent.size() == ACCESS_LOG, "access log");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
