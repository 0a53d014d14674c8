// hprofscan-dump: name=session-leak jvm="-Xmx64m -XX:+UseSerialGC" variants=mxbean,jcmd-gz
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leak used as the README example and the bundled sample (testdata/sample/): a session
 * manager that never evicts sessions, next to two decoys that are big but not leaks (a primitive
 * lookup table and a bounded LRU cache). Every number here is documented in testdata/README.md
 * ("SessionLeak") and testdata/sample/README.md; change all together.
 *
 * <p>Usage: {@code java -cp testdata/build/classes testdata.SessionLeak <variant> <outpath>}.
 */
public final class SessionLeak {
    public static final int SESSIONS = 20_000;
    public static final int ATTRIBUTES_PER_SESSION = 2;
    public static final int SESSION_BUFFER_LEN = 256;
    public static final int LOOKUP_LEN = 200_000;
    public static final int LRU_CAPACITY = 500;
    public static final int LRU_PUTS = 2_000;
    public static final int CACHED_VALUE_LEN = 64;
    public static final long CREATED_BASE = 1_700_000_000_000L;

    /** Decoy 1: big primitive reference data, allocated once. */
    static long[] LOOKUP_TABLE;
    /** Decoy 2: bounded cache, holds exactly LRU_CAPACITY entries. */
    static LruCache<String, CachedValue> RECENT;

    static final class Attribute {
        final String name;
        final int value;

        Attribute(String name, int value) {
            this.name = name;
            this.value = value;
        }
    }

    static final class Session {
        final String id;
        final long createdAt;
        final byte[] buffer;
        final List<Attribute> attributes;

        Session(String id, long createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.buffer = new byte[SESSION_BUFFER_LEN];
            this.attributes = new ArrayList<>(ATTRIBUTES_PER_SESSION);
        }
    }

    /** The leak: sessions are added on login and never removed. */
    static final class SessionManager {
        static final Map<String, Session> sessions = new HashMap<>();

        static Session login(int n) {
            String id = String.format("session-%05d", n);
            Session s = new Session(id, CREATED_BASE + n * 1000L);
            s.buffer[0] = (byte) n;
            s.attributes.add(new Attribute("user", n));
            s.attributes.add(new Attribute("locale", n % 7));
            sessions.put(id, s);
            return s;
        }
    }

    static final class CachedValue {
        final int key;
        final byte[] payload = new byte[CACHED_VALUE_LEN];

        CachedValue(int key) {
            this.key = key;
        }
    }

    static final class LruCache<K, V> extends LinkedHashMap<K, V> {
        private final int capacity;

        LruCache(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: testdata.SessionLeak <mxbean|jcmd|jcmd-gz> <outpath>");
            System.exit(2);
        }
        build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }

    static void build() {
        LOOKUP_TABLE = new long[LOOKUP_LEN];
        for (int i = 0; i < LOOKUP_LEN; i++) {
            LOOKUP_TABLE[i] = i * 31L;
        }
        RECENT = new LruCache<>(LRU_CAPACITY);
        for (int n = 0; n < SESSIONS; n++) {
            SessionManager.login(n);
        }
        for (int i = 0; i < LRU_PUTS; i++) {
            RECENT.put("key-" + i, new CachedValue(i));
        }
        if (SessionManager.sessions.size() != SESSIONS || RECENT.size() != LRU_CAPACITY) {
            throw new IllegalStateException("unexpected sizes");
        }
    }
}
