// hprofscan-dump: name=svc-leak-expiredgrants jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-expiredgrants-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 7c): an OAuth-style authorization server keeping the access grants it
 * issued in {@code ConcurrentHashMap<String, Grant> GrantStore.grants}, keyed by an opaque 32-hex
 * grant id. Each grant lives 10 or 15 minutes ({@code expiresAt = issuedAt + 10/15 min}); a purge
 * task ({@code grant-purger}, every minute) removes the expired ones. It worked for the first hour
 * of the 8 hours of uptime, then threw (a malformed grant from a buggy client) and its thread died
 * 7 hours ago ({@code GrantStore.purger} is the terminated thread, {@code lastPurgeAt} 7 hours old):
 * since then nothing removes a grant, so ~97% of the map is grants whose {@code expiresAt} is hours
 * in the past. Legitimate beside it: a client registry loaded at startup (2,000 clients), a JWKS key
 * cache (4 keys), an access-ordered LRU of consent decisions capped at 8,000 (full), a metrics ring
 * buffer (1,024 one-minute windows), and a refresh-token store whose 9,200 tokens expire 30 days
 * after issue (all in the future). See testdata/SCENARIOS.md, "Expiring-grant apps (session 7c)".
 */
public final class SvcLeakExpiredGrants {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long UPTIME = 8 * HOUR;
    static final long PURGER_DIED_AGO = 7 * HOUR;
    static final int ISSUED = 27_600;
    static final int CLIENTS = 2_000;
    static final int USERS = 40_000;
    static final int CONSENT_CAP = 8_000;
    static final int REFRESH_EVERY = 3;
    static final int RING = 1_024;
    static final long REFRESH_TTL = 30L * 24 * HOUR;
    /** No grant expires within this margin of the build time: the expired count cannot change before the dump. */
    static final long MARGIN = MINUTE;

    static Server RUNNING;

    static final class Grant {
        final String clientId; final String subject; final String scope; final long issuedAt; final long expiresAt; final byte[] signature;
        Grant(String clientId, String subject, String scope, long issuedAt, long expiresAt, byte[] signature) { this.clientId = clientId; this.subject = subject; this.scope = scope; this.issuedAt = issuedAt; this.expiresAt = expiresAt; this.signature = signature; }
    }

    /** Issued access grants. Leaking: the purger thread is dead, expired grants stay. */
    static final class GrantStore {
        final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
        volatile long lastPurgeAt;
        volatile Thread purger;
        volatile String purgeFailure;
        final LongAdder purged = new LongAdder();
        void put(String id, Grant g) { grants.put(id, g); }
        /** The every-minute purge task. */
        int purgeExpired(long now) {
            int n = 0;
            for (Iterator<Grant> it = grants.values().iterator(); it.hasNext(); ) {
                Grant g = it.next();
                if (g.scope == null) throw new IllegalStateException("grant without scope");
                if (g.expiresAt <= now) { it.remove(); n++; }
            }
            purged.add(n);
            lastPurgeAt = now;
            return n;
        }
    }

    static final class Client {
        final String clientId; final String name; final String[] redirectUris; final String allowedScopes; final byte[] secretHash; final String metadata; final long registeredAt;
        Client(String clientId, String name, String[] redirectUris, String allowedScopes, byte[] secretHash, String metadata, long registeredAt) { this.clientId = clientId; this.name = name; this.redirectUris = redirectUris; this.allowedScopes = allowedScopes; this.secretHash = secretHash; this.metadata = metadata; this.registeredAt = registeredAt; }
    }

    /** Legitimate: loaded once at startup from the client database, read-only afterwards. */
    static final class ClientRegistry {
        final Map<String, Client> clients = new HashMap<>();
        long loadedAt;
    }

    static final class Jwk {
        final String kid; final String alg; final byte[] modulus; final byte[] exponent; final long fetchedAt;
        Jwk(String kid, String alg, byte[] modulus, byte[] exponent, long fetchedAt) { this.kid = kid; this.alg = alg; this.modulus = modulus; this.exponent = exponent; this.fetchedAt = fetchedAt; }
    }

    /** Legitimate: the signing keys (current, next, two retired still verifying). */
    static final class JwksCache {
        final ConcurrentHashMap<String, Jwk> keys = new ConcurrentHashMap<>();
        volatile long refreshedAt;
    }

    static final class Consent {
        final String clientId; final String subject; final String scopes; final boolean granted; final long decidedAt;
        Consent(String clientId, String subject, String scopes, boolean granted, long decidedAt) { this.clientId = clientId; this.subject = subject; this.scopes = scopes; this.granted = granted; this.decidedAt = decidedAt; }
    }

    /** Legitimate: access-ordered LRU of consent decisions, capped at CONSENT_CAP. */
    static final class ConsentCache {
        final LinkedHashMap<String, Consent> decisions = new LinkedHashMap<>(2 * CONSENT_CAP, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Consent> e) { return size() > CONSENT_CAP; }
        };
        synchronized Consent get(String k) { return decisions.get(k); }
        synchronized void put(String k, Consent c) { decisions.put(k, c); }
    }

    static final class RefreshToken {
        final String clientId; final String subject; final String scope; final long issuedAt; final long expiresAt; final byte[] hash;
        RefreshToken(String clientId, String subject, String scope, long issuedAt, long expiresAt, byte[] hash) { this.clientId = clientId; this.subject = subject; this.scope = scope; this.issuedAt = issuedAt; this.expiresAt = expiresAt; this.hash = hash; }
    }

    /** Legitimate: refresh tokens live 30 days; none has expired yet. */
    static final class RefreshTokenStore {
        final ConcurrentHashMap<String, RefreshToken> tokens = new ConcurrentHashMap<>();
    }

    static final class Window { long start = -1; long issued; long denied; long refreshed; final long[] latency = new long[12]; }

    /** Legitimate: ring buffer of the last RING one-minute windows, all slots allocated at startup. */
    static final class MetricsRing {
        final Window[] ring = new Window[RING];
        MetricsRing() { for (int i = 0; i < RING; i++) ring[i] = new Window(); }
        void record(long at, int micros, boolean refreshed) {
            long w = at / MINUTE;
            Window s = ring[(int) (w % RING)];
            if (s.start != w * MINUTE) { s.start = w * MINUTE; s.issued = 0; s.denied = 0; s.refreshed = 0; java.util.Arrays.fill(s.latency, 0); }
            s.issued++; if (refreshed) s.refreshed++; s.latency[Math.min(11, 63 - Long.numberOfLeadingZeros(Math.max(1, micros / 50)))]++;
        }
    }

    static final class Server {
        final ClientRegistry registry = new ClientRegistry();
        final JwksCache jwks = new JwksCache();
        final GrantStore grantStore = new GrantStore();
        final ConsentCache consents = new ConsentCache();
        final RefreshTokenStore refreshTokens = new RefreshTokenStore();
        final MetricsRing metrics = new MetricsRing();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void count(String n) { counters.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static final String[] SCOPES = {"openid profile", "openid profile email", "orders:read", "orders:read orders:write", "payments:read", "openid offline_access", "catalog:read", "profile email offline_access"};
    static final String[] WORDS = {"acme", "north", "blue", "harbor", "pixel", "orbit", "maple", "quartz", "delta", "summit", "river", "lumen"};

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static byte[] bytes(Random r, int n) { byte[] b = new byte[n]; r.nextBytes(b); return b; }

    static String clientId(int i) { return "cl-" + (300_000 + i * 7); }

    static void loadClients(Server s, Random r, long start) {
        s.registry.loadedAt = start;
        for (int i = 0; i < CLIENTS; i++) {
            String id = clientId(i);
            String name = WORDS[i % WORDS.length] + " " + WORDS[(i / 12) % WORDS.length] + " app " + i;
            String host = WORDS[(i * 5) % WORDS.length] + i + ".example.com";
            String[] uris = {"https://" + host + "/oauth/callback", "https://" + host + "/silent-renew.html", "https://staging." + host + "/oauth/callback"};
            StringBuilder meta = new StringBuilder(1_800);
            meta.append("{\"client_id\":\"").append(id).append("\",\"client_name\":\"").append(name).append("\",\"logo_uri\":\"https://").append(host).append("/logo.png\"");
            meta.append(",\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"contacts\":[");
            for (int c = 0; c < 6; c++) meta.append(c == 0 ? "" : ",").append("\"ops").append(c).append('@').append(host).append('"');
            meta.append("],\"policy_uri\":\"https://").append(host).append("/privacy\",\"tos_uri\":\"https://").append(host).append("/terms\",\"software_statement\":\"");
            meta.append(hex(r, 1_200)).append("\"}");
            s.registry.clients.put(id, new Client(id, name, uris, SCOPES[i % SCOPES.length] + " openid", bytes(r, 32), meta.toString(), start - (i + 1) * 3_600_000L));
        }
        for (int k = 0; k < 4; k++) {
            String kid = "sig-2026-" + (8 + k) + "-" + hex(r, 8);
            s.jwks.keys.put(kid, new Jwk(kid, "RS256", bytes(r, 256), new byte[] {1, 0, 1}, start));
        }
        s.jwks.refreshedAt = start;
    }

    /** Issue time of grant n (8 hours of traffic), moved back 2 minutes if it would expire within MARGIN of now. */
    static long issuedAt(int n, long start, long now) {
        long t = start + 30_000L + (UPTIME - 60_000L) * n / ISSUED;
        long exp = t + lifetime(n);
        if (exp > now - MARGIN && exp <= now + MARGIN) t -= 2 * MARGIN;
        return t;
    }

    static long lifetime(int n) { return n % 3 == 0 ? 15 * MINUTE : 10 * MINUTE; }

    static Server build(long now) throws Exception {
        long start = now - UPTIME;
        Random r = new Random(0x6a7c_2026L);
        Server s = new Server();
        loadClients(s, r, start);
        GrantStore store = s.grantStore;
        long diesAt = now - PURGER_DIED_AGO;
        long nextPurge = start + MINUTE;
        boolean purgerAlive = true;
        for (int n = 0; n < ISSUED; n++) {
            long t = issuedAt(n, start, now);
            while (purgerAlive && nextPurge <= t) {
                if (nextPurge >= diesAt) {
                    // the task meets a grant a buggy client got issued without scope and throws: the purger thread dies
                    final long at = nextPurge;
                    Thread th = new Thread(() -> {
                        store.grants.put("broken-grant", new Grant("cl-unknown", "?", null, at, at, new byte[0]));
                        store.lastPurgeAt = at;
                        store.purgeExpired(at);
                    }, "grant-purger");
                    th.setUncaughtExceptionHandler((x, e) -> store.purgeFailure = x.getName() + ": " + e);
                    th.start();
                    th.join();
                    store.grants.remove("broken-grant");
                    store.purger = th;
                    purgerAlive = false;
                } else {
                    store.purgeExpired(nextPurge);
                }
                nextPurge += MINUTE;
            }
            int c = (int) ((n * 7_919L) % CLIENTS);
            Client client = s.registry.clients.get(clientId(c));
            String subject = "user-" + (1_000_000 + (n * 104_729L) % USERS);
            String scope = client.allowedScopes;
            String ck = client.clientId + "|" + subject;
            if (s.consents.get(ck) == null) s.consents.put(ck, new Consent(client.clientId, subject, scope, true, t - 2_000));
            String id = hex(r, 32);
            store.put(id, new Grant(client.clientId, subject, scope, t, t + lifetime(n), bytes(r, 32)));
            boolean refresh = n % REFRESH_EVERY == 0 && s.refreshTokens.tokens.size() < ISSUED / REFRESH_EVERY;
            if (refresh) s.refreshTokens.tokens.put("rt-" + hex(r, 40), new RefreshToken(client.clientId, subject, scope, t, t + REFRESH_TTL, bytes(r, 32)));
            s.metrics.record(t, 300 + (n * 31) % 4_000, refresh);
            s.count("token.issued." + (n % 3 == 0 ? "code" : "client_credentials"));
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Server s = RUNNING;
        GrantStore g = s.grantStore;
        int total = g.grants.size();
        int expired = 0, hoursOld = 0;
        for (Grant x : g.grants.values()) {
            if (x.expiresAt <= now) expired++;
            if (x.expiresAt <= now - HOUR) hoursOld++;
        }
        check(g.purger != null && !g.purger.isAlive(), "purger thread still alive");
        check(g.purgeFailure != null && g.purgeFailure.contains("grant without scope"), "purge failure " + g.purgeFailure);
        check(now - g.lastPurgeAt > PURGER_DIED_AGO - MINUTE && now - g.lastPurgeAt <= PURGER_DIED_AGO, "lastPurgeAt");
        check(total > 24_000 && total < 26_000, "grants " + total);
        check(expired > total * 0.95, "expired " + expired + " / " + total);
        check(s.registry.clients.size() == CLIENTS, "clients");
        check(s.jwks.keys.size() == 4, "jwks");
        check(s.consents.decisions.size() == CONSENT_CAP, "consents " + s.consents.decisions.size());
        check(s.refreshTokens.tokens.size() == ISSUED / REFRESH_EVERY, "refresh tokens " + s.refreshTokens.tokens.size());
        for (RefreshToken t : s.refreshTokens.tokens.values()) check(t.expiresAt > now + 29L * 24 * HOUR, "refresh token expiry");
        if (Boolean.getBoolean("grants.dropExpired")) {
            g.grants.values().removeIf(x -> x.expiresAt <= now);
        }
        System.gc();
        long before = System.currentTimeMillis();
        check(before - now < MARGIN, "too slow");
        DumpUtil.dump(variant, out);
        int expiredAtDump = 0;
        long after = System.currentTimeMillis();
        for (Grant x : g.grants.values()) if (x.expiresAt <= after) expiredAtDump++;
        check(Boolean.getBoolean("grants.dropExpired") ? expiredAtDump == 0 : expiredAtDump == expired, "expired changed during the dump");
        System.out.println("dumped " + out + ": " + expired + " expired grants / " + total + " in GrantStore.grants (" + hoursOld
            + " expired over an hour ago, " + (total - expired) + " valid); purged before the purger died: " + g.purged.sum()
            + "; refresh tokens " + s.refreshTokens.tokens.size() + ", consents " + s.consents.decisions.size());
        System.exit(0);
    }
}
