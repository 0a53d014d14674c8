// hprofscan-dump: name=val3-healthy-identity jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 3 (written blind), HEALTHY: an identity provider (login, sessions, token
 * introspection).
 *
 * <p>Public signing keys of every client application (a static {@code Map<String, byte[]>} by key
 * id, 2,000 keys, loaded at startup), a user directory (25,000 users with password hashes and
 * roles, the largest structure), web sessions keyed by random UUIDs with a 30-minute idle
 * timeout (swept every minute: 3,7xx live, all touched within the last 30 minutes), a token
 * introspection cache (access-order LinkedHashMap, removeEldestEntry at 10,000, keys are opaque
 * random tokens), 60 request timers with templated names (each with a 64-bucket histogram), an
 * LDAP connection pool of 10 (all idle), and a fixed crew of 8 {@code AuthWorker}s (an
 * application {@code Thread} subclass, named {@code auth-worker-N}) parked while waiting for
 * work. Nothing here is a leak. See testdata/VALIDATION3.md.
 */
public final class Val3HealthyIdentity {
    static final int CLIENT_KEYS = 2_000;
    static final int USERS = 25_000;
    static final long SESSION_IDLE = 30 * 60_000L;
    static final int INTROSPECTION_CAP = 10_000;
    static final int LDAP = 10;
    static final int WORKERS = 8;
    static final int LOGINS = 30_000;
    static final long SIM_MILLIS = 4L * 3600_000L;
    static final String[] ENDPOINTS = {"/oauth2/token", "/oauth2/authorize", "/oauth2/introspect", "/login", "/logout", "/userinfo",
        "/.well-known/jwks.json", "/mfa/verify", "/password/reset", "/sessions/{id}"};
    static final String[] METHODS = {"GET", "POST", "DELETE"};
    static final int[] STATUSES = {200, 401};

    static IdentityProvider RUNNING;

    /** Reference data: client applications' public keys by key id (DER bytes). */
    static final class SigningKeys {
        static final Map<String, byte[]> PUBLIC_KEYS = new HashMap<>();
        static void load(Random rnd) {
            for (int i = 0; i < CLIENT_KEYS; i++) {
                byte[] der = new byte[294];
                rnd.nextBytes(der);
                PUBLIC_KEYS.put("kid-" + (100_000 + i), der);
            }
        }
    }

    static final class User {
        final long id; final String login; final byte[] passwordHash; final byte[] salt; final Set<String> roles; final String email; long lastLoginAt;
        User(long id, String login, byte[] passwordHash, byte[] salt, Set<String> roles, String email) { this.id = id; this.login = login; this.passwordHash = passwordHash; this.salt = salt; this.roles = roles; this.email = email; }
    }

    static final class WebSession {
        final String id; final User user; final long createdAt; long lastAccessAt; final Map<String, String> attributes = new HashMap<>(4);
        WebSession(String id, User user, long now) { this.id = id; this.user = user; createdAt = lastAccessAt = now; }
    }

    static final class SessionStore {
        final ConcurrentHashMap<String, WebSession> sessions = new ConcurrentHashMap<>();
        final long idleTimeoutMillis = SESSION_IDLE;
        void sweep(long now) { sessions.values().removeIf(s -> now - s.lastAccessAt > idleTimeoutMillis); }
    }

    static final class Introspection {
        final boolean active; final String subject; final String scope; final long expiresAt;
        Introspection(boolean active, String subject, String scope, long expiresAt) { this.active = active; this.subject = subject; this.scope = scope; this.expiresAt = expiresAt; }
    }

    static final class IntrospectionCache extends LinkedHashMap<String, Introspection> {
        final int maxEntries;
        IntrospectionCache(int maxEntries) { super(16, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Introspection> e) { return size() > maxEntries; }
    }

    static final class RequestTimer {
        final String name; final long[] buckets = new long[64]; long count; long totalNanos; long lastRecordedAt;
        RequestTimer(String name) { this.name = name; }
        void record(long nanos, long now) { count++; totalNanos += nanos; lastRecordedAt = now; buckets[Math.min(63, 63 - Long.numberOfLeadingZeros(Math.max(1, nanos / 1000)))]++; }
    }

    static final class LdapConnection {
        final int id; final String url; final byte[] berBuffer = new byte[4_096]; boolean inUse; long lastUsedAt;
        LdapConnection(int id, String url) { this.id = id; this.url = url; }
    }

    /** A fixed crew of workers that park while their inbox is empty. */
    static final class AuthWorker extends Thread {
        final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
        final CountDownLatch ready;
        long handled;
        AuthWorker(int n, CountDownLatch ready) { super("auth-worker-" + n); this.ready = ready; setDaemon(true); }
        @Override public void run() {
            ready.countDown();
            while (true) {
                Runnable r = inbox.poll();
                if (r == null) { LockSupport.park(this); continue; }
                r.run();
                handled++;
            }
        }
    }

    static final class IdentityProvider {
        final Map<String, User> usersByLogin = new HashMap<>();
        final SessionStore sessions = new SessionStore();
        final IntrospectionCache introspection = new IntrospectionCache(INTROSPECTION_CAP);
        final Map<String, RequestTimer> timers = new ConcurrentHashMap<>();
        final ArrayBlockingQueue<LdapConnection> ldap = new ArrayBlockingQueue<>(LDAP);
        final List<AuthWorker> workers = new ArrayList<>();
        IdentityProvider() { for (int i = 0; i < LDAP; i++) ldap.add(new LdapConnection(i, "ldaps://directory.corp.example:636")); }

        void timer(String method, String endpoint, int status, long nanos, long now) {
            timers.computeIfAbsent(method + " " + endpoint + " " + status, RequestTimer::new).record(nanos, now);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static IdentityProvider build() throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(424_242);
        SigningKeys.load(rnd);
        IdentityProvider idp = new IdentityProvider();
        for (int i = 0; i < USERS; i++) {
            byte[] hash = new byte[32], salt = new byte[16];
            rnd.nextBytes(hash); rnd.nextBytes(salt);
            String login = "user" + (1_000_000 + i);
            idp.usersByLogin.put(login, new User(2_000_000L + i, login, hash, salt, i % 50 == 0 ? Set.of("user", "admin") : Set.of("user"), login + "@corp.example"));
        }
        CountDownLatch ready = new CountDownLatch(WORKERS);
        for (int i = 1; i <= WORKERS; i++) { AuthWorker w = new AuthWorker(i, ready); idp.workers.add(w); w.start(); }
        ready.await();
        List<WebSession> recent = new ArrayList<>();
        for (int l = 0; l < LOGINS; l++) {
            long t = start + SIM_MILLIS * l / LOGINS;
            User u = idp.usersByLogin.get("user" + (1_000_000 + rnd.nextInt(USERS)));
            u.lastLoginAt = t;
            LdapConnection c = idp.ldap.take();
            c.inUse = true; c.lastUsedAt = t; c.inUse = false;
            idp.ldap.add(c);
            WebSession s = new WebSession(new UUID(rnd.nextLong(), rnd.nextLong()).toString(), u, t);
            s.attributes.put("csrf", Long.toHexString(rnd.nextLong()));
            idp.sessions.sessions.put(s.id, s);
            recent.add(s);
            if (recent.size() > 50) recent.remove(0);
            WebSession touched = recent.get(rnd.nextInt(recent.size()));
            touched.lastAccessAt = t;
            for (int k = 0; k < 3; k++) {
                String token = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
                idp.introspection.put(token, new Introspection(true, u.login, "openid profile", t + 3_600_000L));
            }
            idp.timer(METHODS[l % 3], ENDPOINTS[rnd.nextInt(ENDPOINTS.length)], STATUSES[(l / 5) % 2], 1_000_000 + rnd.nextInt(80_000_000), t);
            if (l % 125 == 124) idp.sessions.sweep(t); // a simulated minute
        }
        idp.sessions.sweep(now);
        System.out.println("sessions " + idp.sessions.sessions.size());
        for (AuthWorker w : idp.workers) check(w.isAlive() && w.getState() == Thread.State.WAITING, "worker " + w.getName() + " " + w.getState());
        check(idp.timers.size() == ENDPOINTS.length * METHODS.length * STATUSES.length, "timers " + idp.timers.size());
        check(idp.introspection.size() == INTROSPECTION_CAP, "introspection " + idp.introspection.size());
        check(idp.ldap.size() == LDAP, "ldap");
        check(idp.usersByLogin.size() == USERS && SigningKeys.PUBLIC_KEYS.size() == CLIENT_KEYS, "reference data");
        return idp;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
