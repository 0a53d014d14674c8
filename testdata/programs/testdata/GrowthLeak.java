// hprofscan-dump: name=growth-leak jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Growth series, leak: one JVM dumps itself three times while static {@code SessionStore.SESSIONS}
 * (HashMap) grows 20,000 -> 40,000 -> 80,000 entries. Constant beside it: {@code ConfigRegistry.CONFIGS}
 * (ArrayList of 5,000 Config) and {@code RecentPages.LRU} (LRU LinkedHashMap at capacity 1,000,
 * entries replaced between dumps).
 *
 * Series output: for base path testdata/dumps/growth-leak.hprof the dumps are written to
 * growth-leak-1.hprof, growth-leak-2.hprof and finally growth-leak.hprof (the base path, written last);
 * with --series-dir=DIR (as in the dump spec) the two earlier dumps go into DIR instead of next to the
 * base path (generate.sh passes a temporary base path and moves only that file).
 * About 1.1 s passes between dumps so that the HPROF header timestamps differ.
 */
public final class GrowthLeak {
    static final int[] SESSIONS_AT_DUMP = {20_000, 40_000, 80_000};
    static final int CONFIGS = 5_000;
    static final int LRU_CAPACITY = 1_000;
    static final int SESSION_BYTES = 128;

    static final class SessionStore {
        static final Map<String, Session> SESSIONS = new HashMap<>();
    }

    static final class Session {
        final String id;
        final long createdAt;
        final byte[] attributes;

        Session(String id, long createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.attributes = new byte[SESSION_BYTES];
        }
    }

    static final class ConfigRegistry {
        static final List<Config> CONFIGS = new ArrayList<>(GrowthLeak.CONFIGS);
    }

    static final class Config {
        final String key;
        final String value;

        Config(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }

    static final class RecentPages {
        static final Map<String, PageView> LRU = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PageView> eldest) {
                return size() > LRU_CAPACITY;
            }
        };
    }

    static final class PageView {
        final int page;
        final long at;

        PageView(int page, long at) {
            this.page = page;
            this.at = at;
        }
    }

    static int nextPage;
    static int sessions;

    static void browse(int views) {
        for (int i = 0; i < views; i++) {
            int p = nextPage++;
            RecentPages.LRU.put("page-" + (1_000_000 + p), new PageView(p, p * 7L));
        }
    }

    static void loadConfigs() {
        for (int i = 0; i < CONFIGS; i++) {
            ConfigRegistry.CONFIGS.add(new Config("config.key." + (1_000 + i), "value-" + (1_000 + i)));
        }
    }

    /** One period of traffic: 3,000 page views (LRU stays at capacity) and new sessions up to {@code total}. */
    static void advance(int total) {
        browse(3_000);
        while (sessions < total) {
            String id = "session-" + (10_000_000 + sessions);
            SessionStore.SESSIONS.put(id, new Session(id, 1_700_000_000_000L + sessions));
            sessions++;
        }
        if (SessionStore.SESSIONS.size() != total || RecentPages.LRU.size() != LRU_CAPACITY) {
            throw new IllegalStateException("unexpected sizes");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, SESSIONS_AT_DUMP.length);
        int count = (Integer) series[0];
        String seriesDir = (String) series[1];
        if (count != SESSIONS_AT_DUMP.length) {
            throw new IllegalArgumentException("this series has exactly 3 dumps");
        }

        loadConfigs();
        for (int d = 1; d <= count; d++) {
            advance(SESSIONS_AT_DUMP[d - 1]);
            if (d > 1) {
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
