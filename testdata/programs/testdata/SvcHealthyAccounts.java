// hprofscan-dump: name=svc-healthy-accounts jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-healthy-accounts-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Healthy (tuning set, session 8; series): an account and API-key service. No leak. Components:
 * an account directory ({@code HashMap<Long, Account>}) filled lazily from the account database as
 * users log in or use an API key (44,000 accounts at the first dump, then flat at the population of
 * 48,000; created over the last 2 years, most idle for hours); a hand-written bounded LRU cache of
 * resolved API keys ({@code ResolvedKeyCache}: a {@code ConcurrentHashMap} plus an access-ordered
 * doubly-linked list, {@code maximumSize} 20,000, full in every dump after many evictions); static
 * reference data (plans and permissions loaded at startup); a pool of 64 I/O buffers, all returned;
 * web sessions removed on logout and by the idle sweep. See testdata/SCENARIOS.md, "Session 8
 * tuning apps".
 */
public final class SvcHealthyAccounts {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 10 * HOUR;
    static final long IDLE_TIMEOUT = 30 * MINUTE;
    static final int POPULATION = 48_000;
    static final int WARM_1 = 44_000;
    static final int HOT = 2_000;
    static final long CACHE_MAX = 16_000;
    static final int PERMISSIONS = 2_500;
    static final int POOL = 64;
    static final int BUFFER = 16 * 1024;
    static final int REQUESTS_SIMULATED = 240_000;
    static final int[] REQUESTS_AT_DUMP = {0, 40_000, 40_000};

    static Service RUNNING;

    static final class ApiKey {
        final String keyId; final long accountId; final byte[] secretHash; final long createdAt; long lastUsedAt;
        ApiKey(String keyId, long accountId, byte[] secretHash, long createdAt) { this.keyId = keyId; this.accountId = accountId; this.secretHash = secretHash; this.createdAt = createdAt; this.lastUsedAt = createdAt; }
    }

    static final class Account {
        final long id; final String email; final String displayName; final String planCode; final long createdAt; final byte[] passwordHash; final ApiKey[] keys;
        long lastLoginAt; long lastUsedAt; int status;
        Account(long id, String email, String displayName, String planCode, long createdAt, byte[] passwordHash, ApiKey[] keys) { this.id = id; this.email = email; this.displayName = displayName; this.planCode = planCode; this.createdAt = createdAt; this.passwordHash = passwordHash; this.keys = keys; }
    }

    static final class Plan {
        final String code; final String name; final int requestsPerMinute; final String[] permissions;
        Plan(String code, String name, int requestsPerMinute, String[] permissions) { this.code = code; this.name = name; this.requestsPerMinute = requestsPerMinute; this.permissions = permissions; }
    }

    static final class Permission {
        final String code; final String resource; final String action; final String description;
        Permission(String code, String resource, String action, String description) { this.code = code; this.resource = resource; this.action = action; this.description = description; }
    }

    /** Legitimate: reference data loaded once at startup. */
    static final class Entitlements {
        static final Map<String, Plan> PLANS = new HashMap<>();
        static final Map<String, Permission> PERMISSIONS_BY_CODE = new HashMap<>();
        static long loadedAt;
    }

    /** The account database (simulated: every row is derived from its id). */
    static final class AccountDatabase {
        long queries;
        final long epoch;
        AccountDatabase(long epoch) { this.epoch = epoch; }
        Account load(int k) {
            queries++;
            long id = accountId(k);
            Random r = new Random(id * 0x9E3779B97F4A7C15L);
            long createdAt = epoch - DAY - (long) (r.nextDouble() * 729 * DAY);
            byte[] pw = new byte[32];
            r.nextBytes(pw);
            ApiKey[] keys = new ApiKey[keyCount(k)];
            for (int i = 0; i < keys.length; i++) {
                byte[] h = new byte[32];
                r.nextBytes(h);
                keys[i] = new ApiKey(keyId(k, i), id, h, createdAt + (long) (r.nextDouble() * (epoch - createdAt)));
            }
            Account a = new Account(id, FIRST[k % FIRST.length] + "." + LAST[(k / 7) % LAST.length] + k + "@" + DOMAINS[k % DOMAINS.length],
                FIRST[k % FIRST.length] + " " + LAST[(k / 7) % LAST.length], PLAN_CODES[k % PLAN_CODES.length], createdAt, pw, keys);
            a.lastLoginAt = createdAt + (long) (r.nextDouble() * (epoch - createdAt));
            a.lastUsedAt = a.lastLoginAt;
            return a;
        }
    }

    /** Legitimate: accounts by id, loaded lazily as their users show up; never more than the population. */
    static final class AccountDirectory {
        final HashMap<Long, Account> accounts = new HashMap<>();
        final AccountDatabase db;
        AccountDirectory(AccountDatabase db) { this.db = db; }
        Account get(int k) {
            Account a = accounts.get(accountId(k));
            if (a == null) { a = db.load(k); accounts.put(a.id, a); }
            return a;
        }
    }

    static final class ResolvedKey {
        final long accountId; final String planCode; final String[] permissions; final long resolvedAt;
        ResolvedKey(long accountId, String planCode, String[] permissions, long resolvedAt) { this.accountId = accountId; this.planCode = planCode; this.permissions = permissions; this.resolvedAt = resolvedAt; }
    }

    /** Legitimate: a hand-written bounded LRU cache of resolved API keys (one object). */
    static final class ResolvedKeyCache {
        static final class Node {
            final String key; final ResolvedKey value; Node prev; Node next; long accessTime;
            Node(String key, ResolvedKey value, long accessTime) { this.key = key; this.value = value; this.accessTime = accessTime; }
        }
        final long maximumSize;
        final ConcurrentHashMap<String, Node> data = new ConcurrentHashMap<>();
        Node head; // most recently used
        Node tail; // least recently used
        long evictionCount;
        long hitCount;
        long missCount;
        ResolvedKeyCache(long maximumSize) { this.maximumSize = maximumSize; }

        synchronized ResolvedKey get(String key, long now) {
            Node n = data.get(key);
            if (n == null) { missCount++; return null; }
            hitCount++;
            n.accessTime = now;
            unlink(n);
            pushFront(n);
            return n.value;
        }

        synchronized void put(String key, ResolvedKey value, long now) {
            Node n = new Node(key, value, now);
            Node old = data.put(key, n);
            if (old != null) unlink(old);
            pushFront(n);
            while (data.size() > maximumSize) {
                Node lru = tail;
                unlink(lru);
                data.remove(lru.key);
                evictionCount++;
            }
        }

        private void unlink(Node n) {
            if (n.prev != null) n.prev.next = n.next; else head = n.next;
            if (n.next != null) n.next.prev = n.prev; else tail = n.prev;
            n.prev = null;
            n.next = null;
        }

        private void pushFront(Node n) {
            n.next = head;
            if (head != null) head.prev = n;
            head = n;
            if (tail == null) tail = n;
        }
    }

    static final class WebSession {
        final long accountId; final String ipAddress; final String userAgent; final long createdAt; final byte[] csrfToken;
        long lastAccessAt; boolean rememberMe;
        WebSession(long accountId, String ipAddress, String userAgent, long createdAt, byte[] csrfToken) { this.accountId = accountId; this.ipAddress = ipAddress; this.userAgent = userAgent; this.createdAt = createdAt; this.csrfToken = csrfToken; this.lastAccessAt = createdAt; }
    }

    /** Legitimate: web sessions by token; removed on logout and by the idle sweep. */
    static final class SessionManager {
        final HashMap<String, WebSession> sessions = new HashMap<>();
        long loggedOut;
        long expired;
        void logout(String token) { if (sessions.remove(token) != null) loggedOut++; }
        void sweep(long now) {
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) {
                WebSession s = it.next();
                if (!s.rememberMe && s.lastAccessAt + IDLE_TIMEOUT <= now) { it.remove(); expired++; }
            }
        }
    }

    /** Legitimate: request/response buffers, borrowed per request and returned. */
    static final class BufferPool {
        final int capacity;
        final ArrayBlockingQueue<byte[]> free;
        int borrowed;
        BufferPool(int capacity, int size) { this.capacity = capacity; free = new ArrayBlockingQueue<>(capacity); for (int i = 0; i < capacity; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.poll(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.add(b); }
    }

    static final class Service {
        final AccountDatabase db;
        final AccountDirectory directory;
        final ResolvedKeyCache keyCache = new ResolvedKeyCache(CACHE_MAX);
        final SessionManager sessions = new SessionManager();
        final BufferPool buffers = new BufferPool(POOL, BUFFER);
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        Service(long epoch) { db = new AccountDatabase(epoch); directory = new AccountDirectory(db); }
        void count(String n) { counters.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        /** An authenticated API call with key {@code slot} of account {@code k}. */
        void apiCall(int k, int slot, long at) {
            byte[] buf = buffers.borrow();
            try {
                String presented = new String(keyId(k, slot % keyCount(k)).toCharArray()); // from the request header
                ResolvedKey rk = keyCache.get(presented, at);
                Account a = directory.get(k);
                if (rk == null) {
                    rk = new ResolvedKey(a.id, a.planCode, Entitlements.PLANS.get(a.planCode).permissions, at);
                    keyCache.put(presented, rk, at);
                }
                a.lastUsedAt = at;
                a.keys[slot % a.keys.length].lastUsedAt = at;
                buf[k % BUFFER] = (byte) slot;
                count("api." + a.planCode);
            } finally {
                buffers.release(buf);
            }
        }
    }

    static final String[] FIRST = {"anna", "ben", "carla", "dmitri", "elif", "farid", "greta", "hugo", "ines", "jonas", "kemal", "lena", "mateo", "nora", "omar", "paula"};
    static final String[] LAST = {"meyer", "okafor", "silva", "tanaka", "novak", "haddad", "larsen", "rossi", "kowalski", "dubois", "ng", "fischer"};
    static final String[] DOMAINS = {"example.com", "mail.example.org", "corp.example.net", "example.io"};
    static final String[] PLAN_CODES = {"free", "free", "free", "starter", "starter", "team", "business", "enterprise"};
    static final String[] RESOURCES = {"projects", "invoices", "users", "keys", "webhooks", "reports", "billing", "audit", "exports", "datasets"};
    static final String[] ACTIONS = {"read", "write", "delete", "admin", "share"};
    static final String[] AGENTS = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Safari/605.1.15", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"};

    static long accountId(int k) { return 100_000L + k * 17L; }

    static int keyCount(int k) { return k % 3 == 0 ? 2 : 1; }

    static String keyId(int k, int slot) {
        long h = (accountId(k) * 0x9E3779B97F4A7C15L) ^ (slot * 0xC2B2AE3D27D4EB4FL);
        return "ak_live_" + Long.toHexString(h | Long.MIN_VALUE) + Long.toHexString((h * 31 + 7) | Long.MIN_VALUE).substring(0, 8);
    }

    static String hex(Random r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) { String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); b.append(h, 0, Math.min(16, chars - b.length())); }
        return b.toString();
    }

    static void loadEntitlements(long at) {
        Entitlements.loadedAt = at;
        for (int p = 0; p < PERMISSIONS; p++) {
            String res = RESOURCES[p % RESOURCES.length] + (p / 50);
            String act = ACTIONS[(p / RESOURCES.length) % ACTIONS.length];
            String code = res + ":" + act + ":" + p;
            Entitlements.PERMISSIONS_BY_CODE.put(code, new Permission(code, res, act,
                "Allows the holder to " + act + " " + res + " of the organisation, including nested objects, audit entries and exported copies (" + p + ")"));
        }
        String[] codes = Entitlements.PERMISSIONS_BY_CODE.keySet().stream().sorted().toArray(String[]::new);
        String[] distinct = {"free", "starter", "team", "business", "enterprise"};
        for (int i = 0; i < distinct.length; i++) {
            String[] perms = java.util.Arrays.copyOf(codes, 300 * (i + 1));
            Entitlements.PLANS.put(distinct[i], new Plan(distinct[i], distinct[i].toUpperCase() + " plan", 60 << i, perms));
        }
    }

    /** Phase 1: the simulated hours: WARM_1 users log in (first appearance), REQUESTS_SIMULATED API calls, logouts and sweeps. */
    static Service build(long now) {
        long start = now - UPTIME;
        Service s = new Service(start);
        loadEntitlements(start);
        Random r = new Random(0xacc0_2026L);
        int appeared = 0;
        long nextSweep = start + MINUTE;
        java.util.PriorityQueue<long[]> logouts = new java.util.PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        String[] tokens = new String[WARM_1];
        for (int j = 0; j < REQUESTS_SIMULATED; j++) {
            long t = start + (UPTIME - MINUTE) * j / REQUESTS_SIMULATED;
            while (appeared < WARM_1 && loginAt(appeared, start) <= t) {
                login(s, r, appeared, loginAt(appeared, start), tokens, logouts, now);
                appeared++;
            }
            while (!logouts.isEmpty() && logouts.peek()[0] <= t) s.sessions.logout(tokens[(int) logouts.poll()[1]]);
            if (nextSweep <= t) { s.sessions.sweep(nextSweep); nextSweep += MINUTE; }
            if (appeared == 0) continue;
            int k = r.nextInt(5) < 4 ? r.nextInt(Math.min(HOT, appeared)) : r.nextInt(appeared);
            s.apiCall(k, r.nextInt(2), t);
        }
        while (appeared < WARM_1) { login(s, r, appeared, loginAt(appeared, start), tokens, logouts, now); appeared++; }
        while (!logouts.isEmpty() && logouts.peek()[0] <= now) s.sessions.logout(tokens[(int) logouts.poll()[1]]);
        // remember-me sessions were used in the last 30 minutes
        int n = 0;
        for (WebSession w : s.sessions.sessions.values()) if (w.rememberMe) w.lastAccessAt = Math.max(w.lastAccessAt, now - 29 * MINUTE + (n++ % 1_700) * SECOND);
        s.sessions.sweep(now);
        return s;
    }

    static long loginAt(int k, long start) { return start + 2 * MINUTE + (UPTIME - 10 * MINUTE) * k / WARM_1; }

    /** First login of user k: loads the account, opens a web session; most sessions end by logout or idle timeout. */
    static void login(Service s, Random r, int k, long at, String[] tokens, java.util.PriorityQueue<long[]> logouts, long now) {
        Account a = s.directory.get(k);
        a.lastLoginAt = at;
        a.lastUsedAt = at;
        String token = hex(r, 32);
        byte[] csrf = new byte[16];
        r.nextBytes(csrf);
        WebSession w = new WebSession(a.id, "192.0." + (k % 250) + "." + (k / 250 % 250), AGENTS[k % AGENTS.length], at, csrf);
        int fate = k % 20;
        if (fate < 12) { w.lastAccessAt = at + (1 + k % 40) * MINUTE; logouts.add(new long[] {w.lastAccessAt, k}); }
        else if (fate < 17) w.lastAccessAt = at + (1 + k % 60) * MINUTE; // left open, the idle sweep ends it
        else w.rememberMe = true;
        if (w.lastAccessAt > now) w.lastAccessAt = now - SECOND;
        s.sessions.sessions.put(token, w);
        tokens[k] = token;
        s.count("login");
    }

    /** Traffic at the real time before dump d (2 and 3): new users appear through their API keys in the first of them. */
    static void serve(Service s, int d, Random r) {
        int calls = REQUESTS_AT_DUMP[d - 1];
        for (int j = 0; j < calls; j++) {
            long t = System.currentTimeMillis();
            int k;
            if (d == 2 && j % 10 == 0 && j / 10 < POPULATION - WARM_1) k = WARM_1 + j / 10;
            else k = r.nextInt(10) < 9 ? r.nextInt(HOT) : r.nextInt(d == 2 ? WARM_1 + Math.min(j / 10, POPULATION - WARM_1) : POPULATION);
            s.apiCall(k, r.nextInt(2), t);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        RUNNING = build(now);
        Service s = RUNNING;
        Random r = new Random(0xacc1_2026L);
        for (int d = 1; d <= 3; d++) {
            if (d > 1) { if (count == 3) Thread.sleep(1_100); serve(s, d, r); }
            if (count != 3 && d < 3) continue;
            int expected = d == 1 ? WARM_1 : POPULATION;
            check(s.directory.accounts.size() == expected, "accounts " + s.directory.accounts.size());
            check(s.keyCache.data.size() == CACHE_MAX, "cache " + s.keyCache.data.size());
            int linked = 0;
            for (ResolvedKeyCache.Node n = s.keyCache.head; n != null; n = n.next) linked++;
            check(linked == CACHE_MAX, "cache list " + linked);
            check(s.keyCache.evictionCount > 10_000, "evictions " + s.keyCache.evictionCount);
            check(s.buffers.free.size() == POOL && s.buffers.borrowed == 0, "pool");
            check(Entitlements.PLANS.size() == 5 && Entitlements.PERMISSIONS_BY_CODE.size() == PERMISSIONS, "entitlements");
            long t = System.currentTimeMillis();
            int idleHours = 0;
            for (Account a : s.directory.accounts.values()) if (t - a.lastUsedAt > HOUR) idleHours++;
            long oldestAccess = s.keyCache.tail.accessTime;
            System.gc();
            String path = LeakCheck.seriesPath(base, d == 3 ? count : d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + ": accounts " + s.directory.accounts.size() + " (" + idleHours + " idle > 1 h, db queries " + s.db.queries
                + "), key cache " + s.keyCache.data.size() + "/" + s.keyCache.maximumSize + " (evictions " + s.keyCache.evictionCount + ", hits "
                + s.keyCache.hitCount + ", misses " + s.keyCache.missCount + ", LRU tail accessed " + (t - oldestAccess) / MINUTE + " min ago), sessions "
                + s.sessions.sessions.size() + " (logged out " + s.sessions.loggedOut + ", expired " + s.sessions.expired + "), permissions "
                + Entitlements.PERMISSIONS_BY_CODE.size() + ", plans " + Entitlements.PLANS.size() + ", buffers " + s.buffers.free.size() + "/" + POOL);
        }
        System.exit(0);
    }
}
