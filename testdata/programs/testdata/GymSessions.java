// hprofscan-dump: name=gym-sessions jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=gym-sessions-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=gym-sessions-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=gym-sessions-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gym chain's class-booking service: sessions keyed by random ids, each with its own
 * inactivity limit ({@code idleTimeout}, a {@code java.time.Duration}: 10 minutes on the
 * entrance kiosks, 30 in the app) past its {@code lastAccessed} ({@code Instant}), and an
 * absolute lifetime of 24 hours ({@code maxLifetime}). 1,500 sessions an hour over 8 simulated
 * hours, each used for 1 to 20 minutes. Beside it: 12,000 members and 60 studios (reference
 * data), an LRU of 1,000 timetable pages at its cap, bookings per class.
 * <ul>
 * <li>{@code healthy}: a sweep every minute drops sessions idle past their own limit: those
 * used in the last half hour are held.
 * <li>{@code leak}: the sweep tests only the 24-hour lifetime, which no session reaches in 8
 * hours: every session is held, nearly all idle for hours past their own limit.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class GymSessions {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int PER_HOUR = 1_500, HOURS = 8;

    record Member(long id, String name, String plan, long since) {}

    record Studio(String code, String city, int capacity, byte[] floorPlan) {}

    static final class MemberSession {
        final String id;
        final long memberId;
        final Instant created;
        final Duration idleTimeout;
        final Duration maxLifetime = Duration.ofHours(24);
        Instant lastAccessed;
        final Map<String, Object> state = new HashMap<>();

        MemberSession(String id, long memberId, Instant created, Duration idleTimeout) {
            this.id = id;
            this.memberId = memberId;
            this.created = created;
            this.idleTimeout = idleTimeout;
            this.lastAccessed = created;
        }
    }

    static final class SessionStore {
        final boolean lifetimeOnly;
        final Map<String, MemberSession> sessions = new ConcurrentHashMap<>();

        SessionStore(boolean lifetimeOnly) {
            this.lifetimeOnly = lifetimeOnly;
        }

        void sweep(Instant now) {
            for (Iterator<MemberSession> it = sessions.values().iterator(); it.hasNext();) {
                MemberSession s = it.next();
                boolean expired = now.isAfter(s.created.plus(s.maxLifetime));
                boolean idle = now.isAfter(s.lastAccessed.plus(s.idleTimeout));
                // BUG (leak): only the absolute lifetime is tested
                if (expired || (!lifetimeOnly && idle)) {
                    it.remove();
                    STATS.swept++;
                }
            }
        }
    }

    static final class Stats {
        long sessions, swept;
    }

    static final Stats STATS = new Stats();
    static final Map<Long, Member> MEMBERS = new HashMap<>();
    static final Map<String, Studio> STUDIOS = new HashMap<>();
    static final Map<String, byte[]> PAGES = new LinkedHashMap<>(2_048, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > 1_000;
        }
    };
    static final Map<Integer, int[]> BOOKED = new HashMap<>();
    static SessionStore store;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(leak, end - HOURS * HOUR, end);
        report(leak, end);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long start, long end) {
        Random r = new Random(52_017);
        for (int i = 0; i < 12_000; i++) {
            long id = 3_000_000L + i * 11L;
            MEMBERS.put(id, new Member(id, "Member " + id, i % 5 == 0 ? "premium" : "basic", start - (i + 1) * 2 * HOUR));
        }
        for (int i = 0; i < 60; i++) {
            String code = "ST" + (10 + i);
            STUDIOS.put(code, new Studio(code, "City " + (i % 12), 20 + i, new byte[2_000 + i * 10]));
        }
        store = new SessionStore(leak);
        int visits = PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < visits; i++) {
            long t = start + (end - start - MINUTE) * i / visits;
            while (nextSweep <= t) {
                store.sweep(Instant.ofEpochMilli(nextSweep));
                nextSweep += MINUTE;
            }
            String id = Long.toHexString(r.nextLong() | (1L << 62)) + Long.toHexString(r.nextLong() | (1L << 62));
            boolean kiosk = r.nextInt(3) == 0;
            MemberSession s = new MemberSession(id, 3_000_000L + r.nextInt(12_000) * 11L, Instant.ofEpochMilli(t), Duration.ofMinutes(kiosk ? 10 : 30));
            s.state.put("basket", new byte[200 + r.nextInt(400)]);
            s.state.put("locale", r.nextBoolean() ? "en" : "de");
            s.lastAccessed = Instant.ofEpochMilli(Math.min(t + (1 + r.nextInt(20)) * MINUTE, end - 1_000));
            store.sessions.put(id, s);
            STATS.sessions++;
            PAGES.put("timetable-" + r.nextInt(3_000), new byte[500 + r.nextInt(300)]);
            BOOKED.computeIfAbsent(i % 600, k -> new int[2])[0]++;
        }
        store.sweep(Instant.ofEpochMilli(nextSweep));
    }

    static void report(boolean leak, long end) {
        int idlePast = 0;
        for (MemberSession s : store.sessions.values()) {
            if (end - s.lastAccessed.toEpochMilli() > s.idleTimeout.toMillis() + 5 * MINUTE) idlePast++;
        }
        System.out.println((leak ? "leak" : "healthy") + " sessions " + store.sessions.size() + " (idle past their limit " + idlePast + ", swept " + STATS.swept + ") pages " + PAGES.size());
        int expected = leak ? 12_000 : 851;
        if (store.sessions.size() != expected) throw new IllegalStateException("sessions " + store.sessions.size());
    }
}
