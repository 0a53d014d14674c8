// hprofscan-dump: name=growth-steady jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Growth series, control (no leak): a token cache at capacity with expiry. Static
 * {@code TokenCache.TOKENS} (HashMap) holds exactly 10,000 tokens at each of the three dumps;
 * between dumps the 4,000 oldest tokens expire (are removed) and 4,000 new ones are added.
 * Constant beside it: {@code ConfigRegistry.CONFIGS} (ArrayList of 2,000 Config).
 *
 * Series output: growth-steady-1.hprof, growth-steady-2.hprof, growth-steady.hprof (base path, last);
 * the earlier two go into --series-dir=DIR when given (see GrowthLeak).
 */
public final class GrowthSteady {
    static final int DUMPS = 3;
    static final int CAPACITY = 10_000;
    static final int TURNOVER = 4_000;
    static final int CONFIGS = 2_000;
    static final int CLAIMS_BYTES = 64;

    static final class TokenCache {
        static final Map<String, Token> TOKENS = new HashMap<>();
        static int oldest;
        static int next;

        static void issue() {
            int n = next++;
            String key = "tok-" + (100_000_000 + n);
            TOKENS.put(key, new Token(key, 1_700_000_000_000L + n));
        }

        static void expireOldest(int howMany) {
            for (int i = 0; i < howMany; i++) {
                if (TOKENS.remove("tok-" + (100_000_000 + oldest++)) == null) {
                    throw new IllegalStateException("missing token");
                }
            }
        }
    }

    static final class Token {
        final String value;
        final long expiresAt;
        final byte[] claims;

        Token(String value, long expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
            this.claims = new byte[CLAIMS_BYTES];
        }
    }

    static final class ConfigRegistry {
        static final List<Config> CONFIGS = new ArrayList<>(GrowthSteady.CONFIGS);
    }

    static final class Config {
        final String key;
        final String value;

        Config(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }

    static void fill() {
        for (int i = 0; i < CONFIGS; i++) {
            ConfigRegistry.CONFIGS.add(new Config("config.key." + (1_000 + i), "value-" + (1_000 + i)));
        }
        for (int i = 0; i < CAPACITY; i++) {
            TokenCache.issue();
        }
        check();
    }

    /** The 4,000 oldest tokens expire and 4,000 new ones are issued. */
    static void turnover() {
        TokenCache.expireOldest(TURNOVER);
        for (int i = 0; i < TURNOVER; i++) {
            TokenCache.issue();
        }
        check();
    }

    static void check() {
        if (TokenCache.TOKENS.size() != CAPACITY) {
            throw new IllegalStateException("unexpected size");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, DUMPS);
        int count = (Integer) series[0];
        String seriesDir = (String) series[1];
        if (count != DUMPS) {
            throw new IllegalArgumentException("this series has exactly 3 dumps");
        }

        fill();
        for (int d = 1; d <= count; d++) {
            if (d > 1) {
                turnover();
                Thread.sleep(1_100);
            }
            System.gc();
            LeakCheck.histogram();
            String path = LeakCheck.seriesPath(base, d, count, seriesDir);
            DumpUtil.dump(variant, path);
            if (d < count) {
                new java.io.File(path).setReadable(true, false); // generate.sh only chmods the base file
            }
            System.out.println("dumped " + path);
        }
    }
}
