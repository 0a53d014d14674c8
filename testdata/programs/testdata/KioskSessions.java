// hprofscan-dump: name=kiosk-sessions jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=kiosk-sessions-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=kiosk-sessions-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=kiosk-sessions-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * The ticket-kiosk backend of a museum network. Web sessions ({@code Portal.sessions}, a
 * {@code ConcurrentHashMap} keyed by a random token) expire after 18 hours without a request;
 * an expiry index beside them holds {@code Expiry { token, deadline }} entries that a reaper
 * polls in deadline order. Beside them: museums loaded at startup ({@code MUSEUMS}), the
 * members' directory, a size-capped LRU of price quotes, an audit trail of the last two hours'
 * requests (each record with its own retention deadline), a ring of request latencies and a
 * pool of render buffers. Thirty hours of visits (400 an hour, 3-20 requests each).
 * <ul>
 * <li>{@code healthy}: the index ({@code Portal.index}, a {@code TreeSet}) is re-armed on every
 * request: the session's old entry is removed and one with the new deadline added, one entry
 * per live session. The live sessions are idle up to 18 hours, within their time to live. No
 * leak.
 * <li>{@code leak}: every request adds a new entry to {@code Portal.queue} (a
 * {@code PriorityBlockingQueue}) and never removes the old one; the reaper only drops entries
 * whose deadline has passed. The queue holds one entry per request of the last 18 hours, about
 * 11 per live session: the leak is {@code Portal.queue}, the sessions themselves are the same
 * as in the healthy run.
 * </ul>
 * Fixed numbers (printed).
 */
public final class KioskSessions {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long TTL = 18 * HOUR;
    static final int VISITS = 12_000, MEMBERS = 15_000, QUOTE_CAP = 2_000, RING = 8_192, BUFFERS = 32;

    record Museum(String code, String name, double[] hourlyVisitors) {}

    record Member(long id, String name, String email, long joinedAt, byte[] preferences) {}

    record Quote(String museum, long day, byte[] breakdown) {}

    static final class Session {
        final String token;
        final long memberId;
        final long createdAt;
        long lastSeen;
        final List<String> basket = new ArrayList<>();

        Session(String token, long memberId, long createdAt) {
            this.token = token;
            this.memberId = memberId;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
        }
    }

    /** An index entry: the session it expires and when. */
    static final class Expiry implements Comparable<Expiry> {
        final String token;
        final long deadline;

        Expiry(String token, long deadline) {
            this.token = token;
            this.deadline = deadline;
        }

        @Override
        public int compareTo(Expiry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : token.compareTo(o.token);
        }
    }

    record AuditRecord(String token, String action, long at, long retainUntil) {}

    static final class Portal {
        final boolean leak;
        final Map<Long, Member> members = new HashMap<>();
        final Map<String, Session> sessions = new ConcurrentHashMap<>();
        final TreeSet<Expiry> index = new TreeSet<>(Comparator.naturalOrder());
        final Queue<Expiry> queue = new PriorityBlockingQueue<>();
        final Map<String, Quote> quotes = new LinkedHashMap<>(QUOTE_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Quote> e) {
                return size() > QUOTE_CAP;
            }
        };
        final ArrayDeque<AuditRecord> audit = new ArrayDeque<>();
        final long[] latencies = new long[RING];
        long requests;
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();

        Portal(boolean leak) {
            this.leak = leak;
            for (int i = 0; i < BUFFERS; i++) buffers.push(new byte[16_384]);
        }

        void touch(Session s, long t, Random rnd) {
            if (leak) {
                queue.add(new Expiry(s.token, t + TTL));
            } else {
                index.remove(new Expiry(s.token, s.lastSeen + TTL));
                index.add(new Expiry(s.token, t + TTL));
            }
            s.lastSeen = t;
            if (rnd.nextInt(4) == 0 && s.basket.size() < 6) s.basket.add("TKT-" + rnd.nextInt(90_000));
            audit.add(new AuditRecord(s.token, rnd.nextBoolean() ? "view" : "quote", t, t + 2 * HOUR));
            latencies[(int) (requests++ % RING)] = 5 + rnd.nextInt(400);
        }

        /** Drops the index entries due by {@code now}, and the sessions idle for the TTL. */
        void reap(long now) {
            if (leak) {
                while (!queue.isEmpty() && queue.peek().deadline <= now) expire(queue.poll().token, now);
            } else {
                while (!index.isEmpty() && index.first().deadline <= now) expire(index.pollFirst().token, now);
            }
            while (!audit.isEmpty() && audit.peekFirst().retainUntil() <= now) audit.pollFirst();
        }

        private void expire(String token, long now) {
            Session s = sessions.get(token);
            if (s != null && s.lastSeen + TTL <= now) sessions.remove(token);
        }
    }

    static final Map<String, Museum> MUSEUMS = new HashMap<>();
    static Portal PORTAL;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 30 * HOUR;
        Random rnd = new Random(42_001);
        for (int i = 0; i < 400; i++) {
            double[] v = new double[64];
            for (int k = 0; k < v.length; k++) v[k] = rnd.nextDouble() * 900;
            String code = "MU" + (100 + i);
            MUSEUMS.put(code, new Museum(code, "Museum " + i, v));
        }
        Portal p = new Portal(leak);
        PORTAL = p;
        for (long id = 1; id <= MEMBERS; id++) {
            p.members.put(80_000_000L + id * 7, new Member(80_000_000L + id * 7, "Member " + id, "m" + id + "@example.org",
                    start - rnd.nextInt(900) * 24 * HOUR, new byte[120 + rnd.nextInt(180)]));
        }
        long live = 0;
        for (int v = 0; v < VISITS; v++) {
            long t = start + (end - start - 40 * MINUTE) * v / VISITS;
            p.reap(t);
            String token = Long.toHexString(rnd.nextLong() | Long.MIN_VALUE) + Long.toHexString(rnd.nextLong() | Long.MIN_VALUE);
            Session s = new Session(token, 80_000_000L + (1 + rnd.nextInt(MEMBERS)) * 7, t);
            p.sessions.put(token, s);
            if (!leak) p.index.add(new Expiry(token, t + TTL));
            int requests = 3 + rnd.nextInt(18);
            for (int r = 0; r < requests; r++) {
                t += MINUTE / 2 + rnd.nextInt(150_000);
                p.touch(s, t, rnd);
                if (t + TTL > end) live++;
                String museum = "MU" + (100 + rnd.nextInt(400));
                String key = museum + "/" + (t / (24 * HOUR) + rnd.nextInt(30));
                p.quotes.computeIfAbsent(key, k -> new Quote(museum, 0, new byte[200]));
            }
        }
        p.reap(end);
        int sessions = p.sessions.size();
        int entries = leak ? p.queue.size() : p.index.size();
        System.out.println((leak ? "leak" : "healthy") + " sessions " + sessions + " index entries " + entries + " (entries with a later deadline: "
                + live + ") audit " + p.audit.size() + " quotes " + p.quotes.size() + " members " + p.members.size());
        if (leak ? entries != live : entries != sessions) throw new IllegalStateException("unexpected index size " + entries);
        if (p.quotes.size() != QUOTE_CAP || sessions < 6_000 || sessions > 8_000) throw new IllegalStateException("unexpected sizes");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
