// hprofscan-dump: name=svc-healthy-timeline jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-healthy-timeline-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Healthy (tuning set, session 9; series): an activity-timeline service. No leak. Components: a
 * capped history of recent activities ({@code ArrayDeque}, trimmed from the front with
 * {@code pollFirst} at its cap of 20,000; the entries span the last ~4 hours and arrive out of
 * order, their {@code occurredAt} up to 20 minutes before their arrival); a fixed fan-out pool of
 * 16 threads, each with a {@code ThreadLocal<List<Object>>} scratch buffer cleared after every
 * task; a registry of collector agents that warms from 20 agents (dump 1, below 1% of the heap)
 * to the fleet of 300 (dump 2) and stays there (dump 3): warming, not a leak; a user directory
 * and a static emoji catalog loaded at startup. See testdata/SCENARIOS.md, "Session 9 tuning apps".
 */
public final class SvcHealthyTimeline {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long UPTIME = 10 * HOUR;
    static final int HISTORY_CAP = 20_000;
    static final int ACTIVITIES = 50_000;
    static final int LIVE_ACTIVITIES = 2_000;
    static final int FANOUT_THREADS = 16;
    static final int FANOUT_TASKS = 4_000;
    static final int USERS = 25_000;
    static final int EMOJI = 3_000;
    static final int[] AGENTS_AT_DUMP = {20, 300, 300};
    static final int AGENT_CONFIG = 4_096;

    static Service RUNNING;

    static final class Activity {
        final long userId; final String kind; final String objectRef; final long occurredAt; final long receivedAt; final byte[] payload;
        Activity(long userId, String kind, String objectRef, long occurredAt, long receivedAt, byte[] payload) { this.userId = userId; this.kind = kind; this.objectRef = objectRef; this.occurredAt = occurredAt; this.receivedAt = receivedAt; this.payload = payload; }
    }

    /** Legitimate: the last HISTORY_CAP activities; the oldest is dropped from the front when full. */
    static final class ActivityHistory {
        final ArrayDeque<Activity> recent = new ArrayDeque<>();
        long appended; long dropped;
        synchronized void append(Activity a) {
            if (recent.size() == HISTORY_CAP) { recent.pollFirst(); dropped++; }
            recent.addLast(a);
            appended++;
        }
    }

    /** Legitimate: the fan-out pool; each thread reuses one scratch list, cleared after each task. */
    static final class FanoutPool {
        static final ThreadLocal<List<Object>> SCRATCH = ThreadLocal.withInitial(ArrayList::new);
        final ExecutorService pool;
        final LongAdder delivered = new LongAdder();
        FanoutPool() {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(FANOUT_THREADS, r -> { Thread t = new Thread(r, "timeline-fanout-" + n.incrementAndGet()); t.setDaemon(true); return t; });
        }
        void fanout(Activity a, long[] followers, CountDownLatch done) {
            pool.execute(() -> {
                List<Object> scratch = SCRATCH.get();
                try {
                    for (long f : followers) scratch.add(new long[] {f, a.occurredAt});
                    delivered.add(scratch.size());
                } finally {
                    scratch.clear();
                    done.countDown();
                }
            });
        }
    }

    static final class Agent {
        final String agentId; final String host; final String version; final long registeredAt; final byte[] config; final long[] counters = new long[128];
        long lastHeartbeatAt;
        Agent(String agentId, String host, String version, long registeredAt, byte[] config) { this.agentId = agentId; this.host = host; this.version = version; this.registeredAt = registeredAt; this.config = config; this.lastHeartbeatAt = registeredAt; }
    }

    /** Legitimate: collector agents of the fleet, registered as they come up (300 hosts). */
    static final class AgentRegistry {
        final ConcurrentHashMap<String, Agent> agents = new ConcurrentHashMap<>();
    }

    static final class UserCard {
        final long id; final String handle; final String displayName; final String bio; final long createdAt; long lastPostAt;
        UserCard(long id, String handle, String displayName, String bio, long createdAt) { this.id = id; this.handle = handle; this.displayName = displayName; this.bio = bio; this.createdAt = createdAt; }
    }

    /** Legitimate: every user, loaded at startup. */
    static final class UserDirectory {
        final HashMap<Long, UserCard> users = new HashMap<>();
    }

    static final class Emoji {
        final String code; final String unicode; final String[] keywords;
        Emoji(String code, String unicode, String[] keywords) { this.code = code; this.unicode = unicode; this.keywords = keywords; }
    }

    /** Legitimate: static reference data. */
    static final class EmojiCatalog {
        static final HashMap<String, Emoji> BY_CODE = new HashMap<>();
    }

    static final class Service {
        final ActivityHistory history = new ActivityHistory();
        final FanoutPool fanout = new FanoutPool();
        final AgentRegistry agents = new AgentRegistry();
        final UserDirectory directory = new UserDirectory();
        final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
        void count(String k) { counters.computeIfAbsent(k, x -> new LongAdder()).increment(); }
    }

    static final String[] WORDS = {"sunrise", "granite", "velvet", "harvest", "lantern", "mosaic", "thistle", "zephyr", "quill", "meridian", "bramble", "tidal"};
    static final String[] KINDS = {"post", "like", "comment", "share", "follow", "mention"};

    static long userId(int k) { return 9_000_000L + k * 3L; }

    static String host(int h) { return "collector-" + (h % 3 == 0 ? "eu" : h % 3 == 1 ? "us" : "ap") + "-" + (100 + h) + ".int.example.net"; }

    static Activity activity(Random r, long receivedAt) {
        int u = r.nextInt(USERS);
        byte[] p = new byte[64];
        r.nextBytes(p);
        return new Activity(userId(u), KINDS[r.nextInt(KINDS.length)], "obj/" + Long.toHexString(r.nextLong() & 0xffff_ffffL), receivedAt - r.nextInt(20 * 60) * SECOND, receivedAt, p);
    }

    static long[] followers(Random r) {
        long[] f = new long[50 + r.nextInt(200)];
        for (int i = 0; i < f.length; i++) f[i] = userId(r.nextInt(USERS));
        return f;
    }

    static Service build(long now) throws InterruptedException {
        long start = now - UPTIME;
        Random r = new Random(0x7113_2026L);
        Service s = new Service();
        for (int e = 0; e < EMOJI; e++) EmojiCatalog.BY_CODE.put(":" + WORDS[e % WORDS.length] + e + ":", new Emoji(":" + WORDS[e % WORDS.length] + e + ":", new String(Character.toChars(0x1F300 + e % 700)), new String[] {WORDS[e % WORDS.length], WORDS[(e / 12) % WORDS.length]}));
        for (int k = 0; k < USERS; k++) {
            UserCard c = new UserCard(userId(k), WORDS[k % WORDS.length] + "_" + k, WORDS[(k / 5) % WORDS.length] + " " + WORDS[(k / 7) % WORDS.length], "Writes about " + WORDS[(k * 3) % WORDS.length] + ", " + WORDS[(k * 5) % WORDS.length] + " and " + WORDS[(k * 11) % WORDS.length] + ".", start - (1 + k % 2000) * DAY);
            c.lastPostAt = start - r.nextInt(30) * DAY;
            s.directory.users.put(c.id, c);
        }
        CountDownLatch done = new CountDownLatch(FANOUT_TASKS);
        int fanned = 0;
        for (int j = 0; j < ACTIVITIES; j++) {
            Activity a = activity(r, start + 30 * MINUTE + (UPTIME - 31 * MINUTE) * j / ACTIVITIES);
            s.history.append(a);
            s.directory.users.get(a.userId).lastPostAt = Math.max(s.directory.users.get(a.userId).lastPostAt, a.occurredAt);
            if (j % (ACTIVITIES / FANOUT_TASKS) == 0 && fanned < FANOUT_TASKS) { s.fanout.fanout(a, followers(r), done); fanned++; }
            s.count("activity." + a.kind);
        }
        done.await();
        return s;
    }

    /** Real-time traffic before dump d: agents come up (until the fleet is complete), activities arrive, agents heartbeat. */
    static void serve(Service s, int d, Random r) {
        for (int h = s.agents.agents.size(); h < AGENTS_AT_DUMP[d - 1]; h++) {
            byte[] cfg = new byte[AGENT_CONFIG];
            r.nextBytes(cfg);
            Agent a = new Agent("agent:" + host(h), host(h), "4." + (h % 3) + "." + (h % 7), System.currentTimeMillis(), cfg);
            s.agents.agents.put(a.agentId, a);
        }
        for (Agent a : s.agents.agents.values()) { a.lastHeartbeatAt = System.currentTimeMillis(); a.counters[r.nextInt(128)]++; }
        if (d > 1) for (int j = 0; j < LIVE_ACTIVITIES; j++) s.history.append(activity(r, System.currentTimeMillis()));
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
        Random r = new Random(0x7114_2026L);
        for (int d = 1; d <= 3; d++) {
            if (d > 1 && count == 3) Thread.sleep(1_100);
            serve(s, d, r);
            if (count != 3 && d < 3) continue;
            check(s.history.recent.size() == HISTORY_CAP, "history " + s.history.recent.size());
            check(s.agents.agents.size() == AGENTS_AT_DUMP[d - 1], "agents " + s.agents.agents.size());
            check(s.directory.users.size() == USERS && EmojiCatalog.BY_CODE.size() == EMOJI, "directory");
            long t = System.currentTimeMillis();
            long oldest = Long.MAX_VALUE;
            for (Activity a : s.history.recent) oldest = Math.min(oldest, a.occurredAt);
            System.gc();
            String path = LeakCheck.seriesPath(base, d == 3 ? count : d, count, dir);
            DumpUtil.dump(variant, path);
            if (d < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + ": history " + s.history.recent.size() + "/" + HISTORY_CAP + " (appended " + s.history.appended + ", dropped "
                + s.history.dropped + ", oldest " + (t - oldest) / MINUTE + " min ago), agents " + s.agents.agents.size() + ", fan-out threads " + FANOUT_THREADS
                + " (delivered " + s.fanout.delivered.sum() + "), users " + USERS + ", emoji " + EMOJI);
        }
        System.exit(0);
    }
}
