// hprofscan-dump: name=quota-windows jvm="-Xmx200m" variants=mxbean args="healthy 24"
// hprofscan-dump: name=quota-windows-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy 24"
// hprofscan-dump: name=quota-windows-leak jvm="-Xmx200m" variants=mxbean args="leak 1"
// hprofscan-dump: name=quota-windows-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak 1"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The quota service of a public API gateway: 2,000 client applications, each with a sliding
 * window of its calls (a deque of call records, the oldest first) that the service trims of
 * calls older than its window on every call, to enforce a per-window quota. 150 calls a minute
 * over 8 simulated hours. Beside it: the clients and their plans (reference data), an LRU of
 * 1,500 API-key lookups at its cap, a ring of the last 4,096 calls, per-client counters.
 * <ul>
 * <li>{@code healthy 24}: a 24-hour window (a daily quota): after 8 hours nothing is old enough
 * to trim, so every call is still in its window; the window field says so.
 * <li>{@code leak 1}: a 1-hour window, but the trim compares the call times (milliseconds) with
 * a cutoff in seconds: nothing is ever trimmed, 8 hours of calls in a 1-hour window.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class QuotaWindows {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int CLIENTS = 2_000, CALLS_PER_MINUTE = 150, MINUTES = 480, LRU_CAP = 1_500, RING = 4_096;
    static final String[] PATHS = {"/v2/quotes", "/v2/orders", "/v2/orders/{id}", "/v2/accounts/{id}", "/v2/search"};

    record Plan(String name, int callsPerWindow, int burst) {}

    record Client(String clientId, String owner, Plan plan, long registeredAt) {}

    record Call(String clientId, String path, long at, int status, int latencyMs) {}

    /** The sliding windows of every client's calls. */
    static final class QuotaLimiter {
        final long windowMillis;
        final boolean brokenTrim;
        final Map<String, ArrayDeque<Call>> windows = new HashMap<>();
        final Map<String, long[]> counters = new HashMap<>();
        long trimmed, rejected;

        QuotaLimiter(long windowMillis, boolean brokenTrim) {
            this.windowMillis = windowMillis;
            this.brokenTrim = brokenTrim;
        }

        boolean admit(Client c, Call call) {
            ArrayDeque<Call> w = windows.computeIfAbsent(c.clientId(), k -> new ArrayDeque<>());
            long cutoff = brokenTrim ? (call.at() - windowMillis) / 1000 : call.at() - windowMillis;
            while (!w.isEmpty() && w.peekFirst().at() < cutoff) {
                w.removeFirst();
                trimmed++;
            }
            long[] n = counters.computeIfAbsent(c.clientId(), k -> new long[2]);
            n[0]++;
            if (w.size() >= c.plan().callsPerWindow()) {
                rejected++;
                n[1]++;
                return false;
            }
            w.addLast(call);
            return true;
        }
    }

    static final Map<String, Client> CLIENTS_BY_ID = new HashMap<>();
    static final Map<String, String> KEY_LOOKUPS = new LinkedHashMap<>(LRU_CAP, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > LRU_CAP;
        }
    };
    static final Call[] RECENT = new Call[RING];
    static QuotaLimiter limiter;
    static long calls, admitted;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long windowHours = Long.parseLong(args[3]);
        long now = System.currentTimeMillis();
        simulate(leak, windowHours * HOUR, now);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long window, long now) {
        Random r = new Random(20261207L);
        Plan[] plans = {new Plan("free", 200, 10), new Plan("team", 2_000, 50), new Plan("business", 20_000, 200)};
        String[] ids = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            ids[i] = "app-" + (10_000 + i * 7);
            Plan p = plans[i % 10 == 0 ? 2 : i % 3 == 0 ? 1 : 0];
            long registered = now - (30L + r.nextInt(700)) * 24 * HOUR;
            CLIENTS_BY_ID.put(ids[i], new Client(ids[i], "owner" + r.nextInt(900) + "@example.org", p, registered));
        }
        limiter = new QuotaLimiter(window, leak);
        long start = now - MINUTES * MINUTE;
        for (int m = 0; m < MINUTES; m++) {
            for (int k = 0; k < CALLS_PER_MINUTE; k++) {
                int c = (int) Math.min(CLIENTS - 1, Math.abs(r.nextGaussian()) * CLIENTS / 3);
                long t = start + m * MINUTE + k * MINUTE / CALLS_PER_MINUTE;
                Call call = new Call(ids[c], PATHS[r.nextInt(PATHS.length)], t, r.nextInt(50) == 0 ? 500 : 200, 5 + r.nextInt(300));
                calls++;
                if (limiter.admit(CLIENTS_BY_ID.get(ids[c]), call)) admitted++;
                RECENT[(int) (calls % RING)] = call;
                KEY_LOOKUPS.computeIfAbsent("key-" + ids[c] + "-" + r.nextInt(3), key -> "hash:" + Long.toHexString(key.hashCode() * 31L));
            }
        }
    }

    static void report(boolean leak) {
        long held = 0;
        for (ArrayDeque<Call> w : limiter.windows.values()) held += w.size();
        System.out.println((leak ? "leak" : "healthy") + " calls " + calls + " admitted " + admitted + " held " + held + " trimmed "
                + limiter.trimmed + " rejected " + limiter.rejected + " windows " + limiter.windows.size() + " lookups "
                + KEY_LOOKUPS.size());
        check(calls == (long) CALLS_PER_MINUTE * MINUTES, "calls");
        check(held + limiter.trimmed == admitted, "held");
        check(limiter.trimmed == 0, "nothing trimmed in 8 hours: 24 h windows still filling, or the broken trim");
        check(KEY_LOOKUPS.size() == LRU_CAP, "lookups");
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("count mismatch: " + what);
    }
}
