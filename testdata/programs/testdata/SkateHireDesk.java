// hprofscan-dump: name=skate-hire-desk jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=skate-hire-desk-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=skate-hire-desk-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=skate-hire-desk-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
// hprofscan-dump: name=skate-hire-desk-leak-cap jvm="-Xmx200m" variants=mxbean args="leak-cap"
// hprofscan-dump: name=skate-hire-desk-leak-cap-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak-cap"
// hprofscan-dump: name=skate-hire-desk-holds jvm="-Xmx200m" variants=mxbean args="holds"
// hprofscan-dump: name=skate-hire-desk-leak-holds jvm="-Xmx200m" variants=mxbean args="leak-holds"
// hprofscan-dump: name=skate-hire-desk-leak-holds-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak-holds"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tuning program (session 54): the hire desk of a chain of ice rinks. Beside the rink
 * reference data, the skater directory, a capped LRU of printed waivers, a pool of label
 * buffers and a ring of recent scans, the desk keeps every returned hire for 20 minutes (the
 * window for damage claims) in {@code HireDesk.returned}; a periodic trim on the desk's own
 * single-thread scheduler ({@code scheduleWithFixedDelay}, its future kept in
 * {@code HireDesk.trimTask} to cancel it on close) removes those past the window.
 * <ul>
 * <li>{@code healthy}: the trim skips a hire it cannot judge; the map holds the last 20
 * minutes of returns (1,050, and the walk-in hire it skips), the trim runs to the end.
 * <li>{@code leak}: the trim meets a walk-in hire without a rink code in minute 30 and throws a
 * NullPointerException. A periodic task that throws is never run again (its future ends
 * exceptionally); the scheduler's thread lives on, idle. Every return from then on stays: 29,550
 * returns, from minute 10 on.
 * <li>{@code leak-cap}: the trim is lenient, but the waiver LRU's {@code removeEldestEntry}
 * compares {@code size()} with its byte budget ({@code maxBytes}, 64 MiB) instead of its entry
 * cap ({@code maxEntries}, 1,500): the access-ordered map never evicts and keeps a waiver for
 * every skater who hired (printed).
 * <li>{@code holds} (session 55): the desk also places a deposit hold per hire
 * ({@code HireDesk.holds}, no end time of its own: a hold is released 20 minutes after its
 * placement by a {@code HoldReleaser} given the map, run by its own periodic task, kept in
 * {@code HireDesk.releaseTask}). The releaser skips a walk-in's hold (no skater): 1,051 holds.
 * <li>{@code leak-holds}: the releaser looks the walk-in's skater up and throws a
 * NullPointerException in minute 51, when that hold is due (before releasing any); its task
 * never runs again and every hold placed since minute 30 stays (28,550). The return trim is lenient and keeps working.
 * </ul>
 * The trim runs exactly once per simulated minute (a hand-off with the simulation), so the
 * counts are fixed (printed).
 */
public final class SkateHireDesk {
    static final long MINUTE = 60_000L, DAY = 24 * 60 * MINUTE;
    static final int RINKS = 400, SKATERS = 16_000, WAIVER_CAP = 1_500, RING = 8_192, POOL = 8;
    static final int MINUTES = 600, RETURNS_PER_MINUTE = 50, WINDOW_MINUTES = 20, WALK_IN_MINUTE = 30;

    record Rink(String code, String city, double[] iceHours) {}
    record Skater(long id, String name, String rinkCode, long joinedAt, byte[] profile) {}
    record Hire(long id, long skaterId, String rinkCode, int bootSize, long hiredAt, long returnedAt, byte[] inspection) {}
    record Scan(long hireId, String rinkCode, long at) {}
    record DepositHold(long hireId, long skaterId, int cents, long placedAt, byte[] cardToken) {}

    static final Map<String, Rink> RINKS_BY_CODE = new HashMap<>();

    static final class WaiverCache extends LinkedHashMap<Long, byte[]> {
        final int maxEntries = WAIVER_CAP;
        final long maxBytes = 64L << 20;
        final boolean wrongCap;
        WaiverCache(boolean wrongCap) { super(2_048, 0.75f, true); this.wrongCap = wrongCap; }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { return wrongCap ? size() > maxBytes : size() > maxEntries; }
    }

    /** Releases the deposit holds placed more than the window ago, once per simulated minute. */
    static final class HoldReleaser {
        final Map<Long, DepositHold> holds;
        final Map<Long, Skater> skaters;
        final boolean lenient;
        final SynchronousQueue<Long> ticks = new SynchronousQueue<>();
        final SynchronousQueue<Boolean> done = new SynchronousQueue<>();
        long released, releasedCents;

        HoldReleaser(Map<Long, DepositHold> holds, Map<Long, Skater> skaters, boolean lenient) { this.holds = holds; this.skaters = skaters; this.lenient = lenient; }

        void runOnce() { handOff(ticks, done, this::release); }

        void release(long now) {
            java.util.List<DepositHold> due = new java.util.ArrayList<>();
            for (DepositHold h : holds.values()) {
                if (now - h.placedAt() <= WINDOW_MINUTES * MINUTE || (h.skaterId() == 0 && lenient)) continue;
                due.add(h);
            }
            long cents = 0;
            for (DepositHold h : due) cents += skaters.get(h.skaterId()).name().isEmpty() ? 0 : h.cents(); // BUG: a walk-in's hold has no skater
            for (DepositHold h : due) { holds.remove(h.hireId()); released++; }
            releasedCents += cents;
        }
    }

    static final class HireDesk {
        final Map<Long, Skater> skaters = new HashMap<>();
        final WaiverCache waivers;
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Scan[] scans = new Scan[RING];
        final Map<Long, Hire> returned = new LinkedHashMap<>();
        final ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(r -> { Thread t = new Thread(r, "desk-trim"); t.setDaemon(true); return t; });
        final ScheduledExecutorService holdScheduler = Executors.newSingleThreadScheduledExecutor(r -> { Thread t = new Thread(r, "desk-holds"); t.setDaemon(true); return t; });
        final SynchronousQueue<Long> ticks = new SynchronousQueue<>();
        final SynchronousQueue<Boolean> trimmed = new SynchronousQueue<>();
        final boolean lenient;
        final Map<Long, DepositHold> holds = new java.util.concurrent.ConcurrentHashMap<>();
        HoldReleaser releaser;
        ScheduledFuture<?> trimTask, releaseTask;
        long scanCount, trims, removed;

        HireDesk(boolean lenient, boolean wrongCap) { this.lenient = lenient; this.waivers = new WaiverCache(wrongCap); }

        void start() { trimTask = trimmer.scheduleWithFixedDelay(this::trimOnce, 0, 1, TimeUnit.MILLISECONDS); }

        void startReleaser(boolean lenientRelease) {
            releaser = new HoldReleaser(holds, skaters, lenientRelease);
            releaseTask = holdScheduler.scheduleAtFixedRate(releaser::runOnce, 0, 1, TimeUnit.MILLISECONDS);
        }

        /** One run of the periodic trim: waits for the simulation's minute, trims, reports. */
        void trimOnce() {
            handOff(ticks, trimmed, now -> {
                trims++;
                trimReturned(now);
            });
        }

        void trimReturned(long now) {
            for (Iterator<Hire> it = returned.values().iterator(); it.hasNext(); ) {
                Hire h = it.next();
                if (h.rinkCode() == null && lenient) continue;
                if (RINKS_BY_CODE.get(h.rinkCode()).code().isEmpty()) continue; // BUG: a walk-in has no rink code
                if (now - h.returnedAt() > WINDOW_MINUTES * MINUTE) { it.remove(); removed++; }
            }
        }
    }

    static HireDesk DESK;

    /**
     * One run of a periodic task in step with the simulation: waits for its minute, runs
     * {@code work} and reports whether it returned (a run that throws reports false, then the
     * exception ends the task).
     */
    static void handOff(SynchronousQueue<Long> ticks, SynchronousQueue<Boolean> done, java.util.function.LongConsumer work) {
        long now;
        try {
            now = ticks.take();
        } catch (InterruptedException e) {
            return;
        }
        boolean ok = false;
        try {
            work.accept(now);
            ok = true;
        } finally {
            try { done.put(ok); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        boolean leakCap = args.length > 2 && args[2].equals("leak-cap");
        boolean leakHolds = args.length > 2 && args[2].equals("leak-holds");
        boolean holds = leakHolds || args.length > 2 && args[2].equals("holds");
        long now = System.currentTimeMillis();
        long start = now - MINUTES * MINUTE;
        Random rnd = new Random(54_001);
        String[] codes = new String[RINKS];
        for (int i = 0; i < RINKS; i++) {
            double[] hours = new double[56];
            for (int k = 0; k < hours.length; k++) hours[k] = rnd.nextInt(16);
            codes[i] = "RK" + (3_000 + i * 7);
            RINKS_BY_CODE.put(codes[i], new Rink(codes[i], "City " + (i % 40), hours));
        }
        HireDesk desk = new HireDesk(!leak, leakCap);
        DESK = desk;
        for (int i = 0; i < SKATERS; i++) {
            long id = 900_000 + i * 13L;
            desk.skaters.put(id, new Skater(id, "Skater " + i, codes[rnd.nextInt(RINKS)], now - (30 + rnd.nextInt(1_500)) * DAY, new byte[200 + rnd.nextInt(200)]));
        }
        for (int b = 0; b < POOL; b++) desk.labelBuffers.add(new byte[32_768]);
        desk.start();
        if (holds) desk.startReleaser(!leakHolds);
        simulate(desk, rnd, start, leak);
        check(desk.skaters.size() == SKATERS && (leakCap ? desk.waivers.size() > 8 * WAIVER_CAP : desk.waivers.size() == WAIVER_CAP), "directory and waivers");
        int expected = leak ? (MINUTES - WALK_IN_MINUTE + WINDOW_MINUTES + 1) * RETURNS_PER_MINUTE : (WINDOW_MINUTES + 1) * RETURNS_PER_MINUTE + 1; // + the walk-in hire the lenient trim skips
        System.out.println((args.length > 2 ? args[2] : "healthy") + " returned " + desk.returned.size() + " trims " + desk.trims + " removed " + desk.removed
                + " trim task done " + desk.trimTask.isDone() + " waivers " + desk.waivers.size() + " scans " + desk.scanCount);
        check(desk.returned.size() == expected, "returned " + desk.returned.size() + " expected " + expected);
        check(desk.trimTask.isDone() == leak, "trim task state");
        int expectedHolds = !holds ? 0 : leakHolds ? (MINUTES - WALK_IN_MINUTE + 1) * RETURNS_PER_MINUTE : (WINDOW_MINUTES + 1) * RETURNS_PER_MINUTE + 1;
        System.out.println("holds " + desk.holds.size() + " released " + (desk.releaser == null ? 0 : desk.releaser.released));
        check(desk.holds.size() == expectedHolds, "holds " + desk.holds.size() + " expected " + expectedHolds);
        check(!holds || desk.releaseTask.isDone() == leakHolds, "release task state");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Ten simulated hours: 50 returns a minute, a scan per return, the trim once a minute. */
    static void simulate(HireDesk desk, Random rnd, long start, boolean leak) throws InterruptedException {
        long hireId = 70_000_000L;
        boolean trimming = true;
        for (int m = 1; m <= MINUTES; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < RETURNS_PER_MINUTE; k++) {
                long skater = 900_000 + rnd.nextInt(SKATERS) * 13L;
                boolean walkIn = m == WALK_IN_MINUTE && k == 0;
                String rink = walkIn ? null : desk.skaters.get(skater).rinkCode();
                Hire h = new Hire(++hireId, skater, rink, 30 + rnd.nextInt(18), t - (40 + rnd.nextInt(90)) * MINUTE, t, new byte[120 + rnd.nextInt(240)]);
                desk.returned.put(h.id(), h);
                if (desk.releaser != null) desk.holds.put(h.id(), new DepositHold(h.id(), walkIn ? 0 : skater, 2_000 + rnd.nextInt(6_000), t, new byte[48 + rnd.nextInt(48)]));
                desk.scans[(int) (desk.scanCount++ % RING)] = new Scan(h.id(), rink, t);
                long waiver = skater;
                if (desk.waivers.get(waiver) == null) desk.waivers.put(waiver, new byte[300 + rnd.nextInt(300)]);
                byte[] label = desk.labelBuffers.poll();
                label[(int) (hireId % label.length)] = 1;
                desk.labelBuffers.add(label);
            }
            if (desk.releaser != null && !desk.releaseTask.isDone()) {
                desk.releaser.ticks.put(t);
                if (!desk.releaser.done.take()) {
                    while (!desk.releaseTask.isDone()) Thread.sleep(1);
                }
            }
            if (trimming) {
                desk.ticks.put(t);
                trimming = desk.trimmed.take();
                if (!trimming) {
                    while (!desk.trimTask.isDone()) Thread.sleep(1);
                }
            }
        }
    }
}
