// hprofscan-dump: name=svc-healthy-canon jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-canon-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
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
 * Healthy (tuning set, session 6b): an HTTP ingress service that canonicalises the strings it
 * parses from requests. {@code StringCanon.pool} ({@code Ingress.canon}) is a
 * {@code ConcurrentHashMap<String, String>} mapping each string to its canonical copy; it is fed
 * only from a bounded vocabulary (header names, ISO country and language codes, locale tags,
 * content types, route templates): 2,000 distinct strings, seen 1.2 million times. Beside it: a
 * geo-IP range table (reference data, 30,000), a session store swept of idle sessions (2,400,
 * all touched within 30 minutes), a response LRU at capacity (2,000 {@code byte[]}), a bounded
 * access log (the last 1,000 requests), metrics. See testdata/SCENARIOS.md, "Tuning set, session 6b".
 */
public final class SvcHealthyCanon {
    static final int VOCABULARY = 2_000;
    static final int REQUESTS = 200_000;
    static final int GEO_RANGES = 30_000;
    static final int SESSIONS = 2_400;
    static final int RESPONSE_CACHE = 2_000;
    static final int ACCESS_LOG = 1_000;
    static final long SESSION_IDLE_MS = 30L * 60_000L;
    static final long SIM_MILLIS = 8L * 3600_000L;

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

    static final class GeoDirectory {
        final Map<Integer, GeoRange> byPrefix = new HashMap<>();
    }

    static final class Session {
        final String id; final long userId; final String country; final String locale; final long createdAt; long lastAccess; int hits;
        Session(String id, long userId, String country, String locale, long createdAt) { this.id = id; this.userId = userId; this.country = country; this.locale = locale; this.createdAt = createdAt; this.lastAccess = createdAt; }
    }

    static final class SessionStore {
        final Map<String, Session> sessions = new ConcurrentHashMap<>();
        void sweep(long now) { sessions.values().removeIf(s -> now - s.lastAccess > SESSION_IDLE_MS); }
    }

    static final class ResponseCache extends LinkedHashMap<String, byte[]> {
        final int capacity;
        ResponseCache(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > capacity; }
    }

    static final class AccessRecord {
        final String method; final String route; final String country; final int status; final long at;
        AccessRecord(String method, String route, String country, int status, long at) { this.method = method; this.route = route; this.country = country; this.status = status; this.at = at; }
    }

    static final class AccessLog {
        final ArrayDeque<AccessRecord> recent = new ArrayDeque<>();
        void add(AccessRecord r) { recent.addLast(r); if (recent.size() > ACCESS_LOG) recent.removeFirst(); }
    }

    static final class Ingress {
        final StringCanon canon = new StringCanon();
        final GeoDirectory geo = new GeoDirectory();
        final SessionStore sessions = new SessionStore();
        final ResponseCache responses = new ResponseCache(RESPONSE_CACHE);
        final AccessLog accessLog = new AccessLog();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static final String[] HEADERS = {"Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
        "Connection", "Content-Length", "Content-Type", "Cookie", "Host", "If-Modified-Since", "If-None-Match", "Origin",
        "Pragma", "Referer", "User-Agent", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id", "X-Real-Ip",
        "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform",
        "Upgrade-Insecure-Requests", "DNT", "TE", "Via", "Forwarded", "X-Api-Version", "X-Client-Version", "X-Device"};
    static final String[] CONTENT_TYPES = {"application/json", "text/html", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data", "image/png", "image/jpeg", "image/webp", "text/css",
        "application/javascript", "application/octet-stream"};
    static final String[] RESOURCES = {"orders", "customers", "products", "carts", "invoices", "shipments", "reviews",
        "coupons", "stores", "users", "payments", "refunds", "returns", "wishlists", "addresses", "notifications"};

    /** The bounded vocabulary a request's strings come from: exactly {@link #VOCABULARY} distinct strings. */
    static List<String> vocabulary(Random rnd) {
        Set<String> v = new LinkedHashSet<>();
        for (String h : HEADERS) { v.add(h); v.add(h.toLowerCase(Locale.ROOT)); }
        for (String c : CONTENT_TYPES) { v.add(c); v.add(c + "; charset=utf-8"); }
        String[] countries = Locale.getISOCountries();
        String[] languages = Locale.getISOLanguages();
        for (String c : countries) v.add(c);
        for (String l : languages) v.add(l);
        for (String r : RESOURCES) {
            v.add("/api/v1/" + r); v.add("/api/v1/" + r + "/{id}"); v.add("/api/v2/" + r); v.add("/api/v2/" + r + "/{id}");
        }
        while (v.size() < VOCABULARY) { // locale tags
            v.add(languages[rnd.nextInt(40)] + "-" + countries[rnd.nextInt(countries.length)]);
        }
        return new ArrayList<>(v);
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Ingress build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_611);
        Ingress s = new Ingress();
        String[] countries = Locale.getISOCountries();
        for (int i = 0; i < GEO_RANGES; i++) {
            int base = 0x0A000000 + i * 4096;
            s.geo.byPrefix.put(base >>> 12, new GeoRange(base, base + 4095, countries[rnd.nextInt(countries.length)], "City " + (10_000 + rnd.nextInt(5_000)), 1_000 + rnd.nextInt(60_000)));
        }
        List<String> vocab = vocabulary(rnd);
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        for (int r = 0; r < REQUESTS; r++) {
            long t = start + (SIM_MILLIS - 500) * r / REQUESTS;
            // each request parses six strings of the vocabulary: fresh copies, canonicalised
            String route = null, country = null, locale = null;
            for (int k = 0; k < 6; k++) {
                String parsed = new String(vocab.get(rnd.nextInt(VOCABULARY)).toCharArray());
                String c = s.canon.canon(parsed);
                if (k == 0) route = c; else if (k == 1) country = c; else if (k == 2) locale = c;
            }
            if (r % 40 == 0) {
                String sid = "s" + Long.toHexString(rnd.nextLong());
                s.sessions.sessions.put(sid, new Session(sid, 7_000_000L + rnd.nextInt(90_000), country, locale, t));
            } else if (r % 3 == 0 && !s.sessions.sessions.isEmpty() && r % 7 == 0) {
                s.count("session.touch");
            }
            if (r % 500 == 0) s.sessions.sweep(t);
            if (r % 5 == 0) {
                byte[] body = new byte[512 + rnd.nextInt(1_536)];
                s.responses.put("GET " + route + "?page=" + rnd.nextInt(400), body);
            }
            s.accessLog.add(new AccessRecord(methods[rnd.nextInt(4)], route, country, rnd.nextInt(20) == 0 ? 404 : 200, t));
            s.count("requests");
        }
        // the last half hour's sessions are live; trim to exactly SESSIONS by sweeping, then topping up
        s.sessions.sweep(now);
        while (s.sessions.sessions.size() > SESSIONS) s.sessions.sessions.remove(s.sessions.sessions.keySet().iterator().next());
        while (s.sessions.sessions.size() < SESSIONS) {
            String sid = "s" + Long.toHexString(rnd.nextLong());
            s.sessions.sessions.put(sid, new Session(sid, 7_000_000L + rnd.nextInt(90_000), s.canon.canon(new String(countries[rnd.nextInt(countries.length)])), s.canon.canon(new String(vocab.get(VOCABULARY - 1 - rnd.nextInt(200)))), now - rnd.nextInt((int) SESSION_IDLE_MS)));
        }
        check(s.canon.pool.size() == VOCABULARY, "canon " + s.canon.pool.size());
        check(s.geo.byPrefix.size() == GEO_RANGES, "geo");
        check(s.sessions.sessions.size() == SESSIONS, "sessions " + s.sessions.sessions.size());
        for (Session x : s.sessions.sessions.values()) check(now - x.lastAccess <= SESSION_IDLE_MS, "session age");
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
