// hprofscan-dump: name=flow-subscribers jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=flow-subscribers-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=flow-subscribers-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=flow-subscribers-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * The live-departures board service of a regional bus operator: a
 * {@link SubmissionPublisher} of departure updates, with one subscriber per open board (a
 * station screen, a phone app session), each keeping a 6 KB render buffer. 1,800 boards are
 * opened over 8 simulated hours; 40 are open at the dump. Beside it: 3,000 stops and their
 * timetables (reference data), an LRU of 1,200 journey plans at its cap, a ring of 2,048 updates.
 * <ul>
 * <li>{@code healthy}: a board that closes cancels its subscription (the publisher drops it at
 * its next update): 40 subscribers.
 * <li>{@code leak}: closing a board marks it closed and never cancels: 1,800 subscribers.
 * </ul>
 * The publisher runs its subscribers on the submitting thread. Counts depend only on the seed;
 * printed and checked.
 */
public final class FlowSubscribers {
    static final long MINUTE = 60_000L;
    static final int BOARDS = 1_800, OPEN = 40, STOPS = 3_000, LRU_CAP = 1_200, RING = 2_048, MINUTES = 480;

    record Departure(String stop, String route, long due, int delaySeconds) {}

    record Stop(String code, String name, int[] timetable) {}

    /** One open board's subscriber. */
    static final class BoardSubscriber implements Flow.Subscriber<Departure> {
        final String boardId;
        final long openedAt;
        final byte[] renderBuffer = new byte[6_000];
        Flow.Subscription subscription;
        boolean closed;
        long updates;

        BoardSubscriber(String boardId, long openedAt) {
            this.boardId = boardId;
            this.openedAt = openedAt;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Departure d) {
            updates++;
            renderBuffer[(int) (updates % renderBuffer.length)] = (byte) d.delaySeconds();
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onComplete() {}
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();
    static final Map<String, String> PLANS = new LinkedHashMap<>(LRU_CAP, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > LRU_CAP;
        }
    };
    static final Departure[] RECENT = new Departure[RING];
    static final Map<String, BoardSubscriber> OPEN_BOARDS = new LinkedHashMap<>();
    static SubmissionPublisher<Departure> departures;
    static long published;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long now = System.currentTimeMillis();
        simulate(leak, now);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long now) {
        Random r = new Random(20261207L);
        for (int i = 0; i < STOPS; i++) {
            int[] tt = new int[120];
            for (int k = 0; k < tt.length; k++) tt[k] = r.nextInt(1_440);
            STOPS_BY_CODE.put("ST" + (4_000 + i), new Stop("ST" + (4_000 + i), "Stop " + r.nextInt(90_000), tt));
        }
        departures = new SubmissionPublisher<>(Runnable::run, 64);
        long start = now - MINUTES * MINUTE;
        List<BoardSubscriber> opened = new ArrayList<>();
        int perMinute = BOARDS / MINUTES + 1;
        for (int m = 0; m < MINUTES; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < perMinute && opened.size() < BOARDS; k++) {
                BoardSubscriber b = new BoardSubscriber("board-" + (10_000 + opened.size()), t);
                departures.subscribe(b);
                opened.add(b);
                OPEN_BOARDS.put(b.boardId, b);
            }
            while (OPEN_BOARDS.size() > OPEN) close(leak, OPEN_BOARDS.keySet().iterator().next());
            publish(r, t);
        }
    }

    static void close(boolean leak, String boardId) {
        BoardSubscriber b = OPEN_BOARDS.remove(boardId);
        b.closed = true;
        if (!leak) b.subscription.cancel();
    }

    static void publish(Random r, long t) {
        String stop = "ST" + (4_000 + r.nextInt(STOPS));
        Departure d = new Departure(stop, "R" + r.nextInt(90), t + r.nextInt(60) * MINUTE, r.nextInt(600));
        departures.submit(d);
        RECENT[(int) (published++ % RING)] = d;
        PLANS.computeIfAbsent(stop + "->" + r.nextInt(900), k -> "plan " + k.hashCode());
    }

    static void report(boolean leak) {
        int subscribers = departures.getNumberOfSubscribers();
        System.out.println((leak ? "leak" : "healthy") + " subscribers " + subscribers + " open " + OPEN_BOARDS.size()
                + " published " + published + " plans " + PLANS.size());
        check(subscribers == (leak ? BOARDS : OPEN), "subscribers");
        check(OPEN_BOARDS.size() == OPEN, "open");
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("count mismatch: " + what);
    }
}
