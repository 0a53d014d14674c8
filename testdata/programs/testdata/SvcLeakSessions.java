// hprofscan-dump: name=svc-leak-sessions jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Leak #1, series: an authentication service caches every issued session under its UUID token in
 * an instance HashMap and never evicts. Logins double between dumps (6,000 -> 12,000 -> 24,000).
 * Beside it: static country reference data, a user directory by database id that warms to 10,000
 * users, an access-ordered per-client rate-limiter LRU at capacity, and a metrics registry.
 * See testdata/SERVICES.md.
 */
public final class SvcLeakSessions {
    static final int COUNTRIES = 250;
    static final int USERS = 10_000;
    static final int LIMITER_CAPACITY = 2_000;
    static final int CLIENT_IPS = 5_000;
    static final int[] LOGINS_AT_DUMP = {6_000, 12_000, 24_000};
    static final long SIM_HOURS = 12;

    enum Role { CUSTOMER, SUPPORT, ADMIN }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Country {
        final String iso2;
        final String name;
        final String dialCode;
        final long loadedAt;

        Country(String iso2, String name, String dialCode, long loadedAt) {
            this.iso2 = iso2;
            this.name = name;
            this.dialCode = dialCode;
            this.loadedAt = loadedAt;
        }
    }

    static final class Countries {
        static final Map<String, Country> BY_CODE = new HashMap<>();
        static final List<Country> ALL = new ArrayList<>();

        static void load(long loadedAt) {
            for (int i = 0; i < COUNTRIES; i++) {
                String iso = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
                Country c = new Country(iso, "Country " + (100 + i), "+" + (100 + i), loadedAt);
                BY_CODE.put(iso, c);
                ALL.add(c);
            }
        }
    }

    static final class User {
        final long id;
        final String login;
        final String email;
        final Country country;
        final Role role;
        final long createdAt;
        long lastLoginAt;

        User(long id, Country country, long createdAt) {
            this.id = id;
            this.login = "user" + id;
            this.email = "user" + id + "@example.com";
            this.country = country;
            this.role = id % 100 == 0 ? Role.ADMIN : id % 10 == 0 ? Role.SUPPORT : Role.CUSTOMER;
            this.createdAt = createdAt;
        }
    }

    /** Users by database id, loaded on first login. */
    static final class UserDirectory {
        final Map<Long, User> byId = new ConcurrentHashMap<>();

        User get(long id) {
            return byId.computeIfAbsent(id, k -> new User(k, Countries.ALL.get((int) (k % COUNTRIES)), 1_500_000_000_000L + (k - 3_000_000L) * 60_000L));
        }
    }

    static final class AuthSession {
        final String token;
        final long userId;
        final String userAgent;
        final byte[] claims;
        final long createdAt;

        AuthSession(String token, long userId, String userAgent, long createdAt) {
            this.token = token;
            this.userId = userId;
            this.userAgent = userAgent;
            this.claims = new byte[128];
            this.createdAt = createdAt;
        }
    }

    /** Meant to be a cache of live sessions; nothing ever removes a token (logout is never wired). */
    static final class SessionTokenCache {
        final Map<String, AuthSession> tokens = new HashMap<>();

        void put(AuthSession s) {
            tokens.put(s.token, s);
        }
    }

    static final class Bucket {
        final String clientIp;
        int tokens;
        long refilledAt;

        Bucket(String clientIp, long now) {
            this.clientIp = clientIp;
            this.tokens = 20;
            this.refilledAt = now;
        }
    }

    /** Token buckets of the most recently seen clients (access-ordered LRU). */
    static final class RateLimiter extends LinkedHashMap<String, Bucket> {
        final int maxClients;

        RateLimiter(int maxClients) {
            super(256, 0.75f, true);
            this.maxClients = maxClients;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
        }
    }

    static final class MetricsRegistry {
        final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

        void inc(String name) {
            counters.computeIfAbsent(name, k -> new LongAdder()).increment();
        }
    }

    static final class AuthService {
        final SimClock clock;
        final UserDirectory users = new UserDirectory();
        final SessionTokenCache sessions = new SessionTokenCache();
        final RateLimiter limiter = new RateLimiter(LIMITER_CAPACITY);
        final MetricsRegistry metrics = new MetricsRegistry();
        final Random tokenSource = new Random(7);
        long logins;

        AuthService(SimClock clock) {
            this.clock = clock;
        }

        String login(long n) {
            long now = clock.getAsLong();
            String ip = "10." + (n % CLIENT_IPS / 250) + "." + (n % CLIENT_IPS % 250) + ".7";
            Bucket b = limiter.get(ip);
            if (b == null) {
                b = new Bucket(ip, now);
                limiter.put(ip, b);
            }
            b.tokens--;
            User u = users.get(3_000_000L + (n * 7) % USERS);
            u.lastLoginAt = now;
            String token = new UUID(tokenSource.nextLong(), tokenSource.nextLong()).toString();
            sessions.put(new AuthSession(token, u.id, n % 2 == 0 ? "Mozilla/5.0" : "okhttp/4.12", now));
            metrics.inc("auth.login." + u.role.name().toLowerCase());
            metrics.inc("auth.login.total");
            logins++;
            return token;
        }
    }

    static AuthService RUNNING;

    static void serve(int total) {
        AuthService s = RUNNING;
        long from = s.clock.now;
        long to = System.currentTimeMillis();
        long first = s.logins;
        for (long n = first; n < total; n++) {
            s.clock.now = from + (to - from) * (n - first + 1) / (total - first);
            s.login(n);
        }
        if (s.sessions.tokens.size() != total || s.users.byId.size() != Math.min(total, USERS)
                || s.limiter.size() != LIMITER_CAPACITY) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long start = System.currentTimeMillis() - SIM_HOURS * 3_600_000L;
        Countries.load(start);
        RUNNING = new AuthService(new SimClock(start));
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                Thread.sleep(1_100);
            }
            serve(LOGINS_AT_DUMP[count == 1 ? 2 : d - 1]);
            System.gc();
            String path = LeakCheck.seriesPath(base, d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < count) {
                new java.io.File(path).setReadable(true, false);
            }
            System.out.println("dumped " + path);
        }
        System.exit(0);
    }
}
