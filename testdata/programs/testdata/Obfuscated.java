// hprofscan-dump: name=obfuscated jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An app as an R8/ProGuard release build leaves it: the classes and fields are named {@code a},
 * {@code b}, {@code c}; only the entry point keeps its name. testdata/mapping/obfuscated.txt is
 * its mapping file (written by hand in R8's format): {@code testdata.a} is
 * {@code com.example.SessionStore}, whose static {@code a} ({@code sessions}) holds 20,000
 * {@code testdata.b} ({@code com.example.Session}: {@code a} createdAt, {@code b} lastAccess,
 * {@code c} payload, a byte[256]) added one every 1.5 s over 8.3 hours and never removed: a leak
 * by its entries' ages. See testdata/SCENARIOS.md.
 */
public final class Obfuscated {
    static final int SESSIONS = 20_000;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        a.a(SESSIONS);
        System.gc();
        LeakCheck.histogram();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}

/** com.example.SessionStore. */
final class a {
    /** sessions: opened, never closed. */
    static final Map<String, b> a = new HashMap<>();

    /** open(n): n sessions, the oldest 1.5 s x n before now. */
    static void a(int n) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            long t = now - (long) (n - i) * 1_500L;
            a.put(UUID.randomUUID().toString(), new b(t, new byte[256]));
        }
    }
}

/** com.example.Session. */
final class b {
    /** createdAt. */
    final long a;
    /** lastAccess. */
    long b;
    /** payload. */
    final byte[] c;

    b(long t, byte[] p) {
        a = t;
        b = t;
        c = p;
    }
}
