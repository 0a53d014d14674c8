// hprofscan-dump: name=val89-healthy-bandrehearsal jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val89-healthy-bandrehearsal-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 89 (written blind), HEALTHY: the booking service of a chain of band rehearsal
 * studios. Studio reference data, the band directory, a cache of rendered room schedules at its
 * cap, a ring of door-access events, a pool of amp-profile buffers, a reminder outbox (ArrayList
 * with a read cursor) compacted after every dispatcher pass, and a ScheduledThreadPoolExecutor that
 * schedules a 1-hour expiry per provisional booking hold (decorated with the caller's logging
 * context) and cancels it when the hold is confirmed or released, with
 * setRemoveOnCancelPolicy(true): only the holds still open are in its queue. See VALIDATION89.md.
 */
public final class Val89HealthyBandRehearsal {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, PASS_EVERY = 30_000L;
    static final int STUDIOS = 1_000, BANDS = 26_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, HOLDS = 12_000, DOOR_EVENTS = 60_000;

    record Studio(String code, String city, double[] roomUseByHour) {}
    record Band(String bandId, String name, String homeStudio, byte[] riderAndGear, long joinedAt) {}
    record Schedule(String key, byte[] rendered, long at) {}
    record DoorEvent(String bandId, String studioCode, String door, long at) {}

    static final class Hold {
        final String holdId, bandId, studioCode; final long createdAt, slotStart; final byte[] notes;
        long resolvesAt; String outcome; ScheduledFuture<?> expiry;
        Hold(String holdId, String bandId, String studioCode, long createdAt, long slotStart, byte[] notes) {
            this.holdId = holdId; this.bandId = bandId; this.studioCode = studioCode; this.createdAt = createdAt; this.slotStart = slotStart; this.notes = notes;
        }
    }

    static final class Reminder {
        final long id; final String bandId, channel; final long createdAt; final byte[] body; long sentAt;
        Reminder(long id, String bandId, String channel, long createdAt, byte[] body) { this.id = id; this.bandId = bandId; this.channel = channel; this.createdAt = createdAt; this.body = body; }
    }

    /** Reminder outbox with a read cursor; the sent prefix is removed after every pass. */
    static final class ReminderOutbox {
        final ArrayList<Reminder> messages = new ArrayList<>();
        int cursor; long appended, sent, passes;
        void append(Reminder r) { messages.add(r); appended++; }
        void dispatch(long at) {
            passes++;
            while (cursor < messages.size()) { messages.get(cursor++).sentAt = at; sent++; }
            messages.subList(0, cursor).clear();
            cursor = 0;
        }
    }

    static final ThreadLocal<Map<String, String>> MDC = ThreadLocal.withInitial(HashMap::new);

    static final class ContextTask<V> implements RunnableScheduledFuture<V> {
        final RunnableScheduledFuture<V> inner; final Runnable command; final Map<String, String> context; final HoldScheduler owner;
        ContextTask(RunnableScheduledFuture<V> inner, Runnable command, Map<String, String> context, HoldScheduler owner) { this.inner = inner; this.command = command; this.context = context; this.owner = owner; }
        @Override public void run() { Map<String, String> saved = MDC.get(); MDC.set(context); try { inner.run(); } finally { MDC.set(saved); } }
        @Override public boolean cancel(boolean mayInterrupt) {
            boolean c = inner.cancel(mayInterrupt);
            if (c && owner.getRemoveOnCancelPolicy()) owner.remove(this); // the JDK's check only sees the inner task
            return c;
        }
        @Override public boolean isPeriodic() { return inner.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return inner.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return inner.compareTo(o instanceof ContextTask<?> c ? c.inner : o); }
        @Override public boolean isCancelled() { return inner.isCancelled(); }
        @Override public boolean isDone() { return inner.isDone(); }
        @Override public V get() throws InterruptedException, ExecutionException { return inner.get(); }
        @Override public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException { return inner.get(timeout, unit); }
    }

    static final class HoldScheduler extends ScheduledThreadPoolExecutor {
        HoldScheduler(ThreadFactory f) { super(1, f); setRemoveOnCancelPolicy(true); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) { return new ContextTask<>(task, r, new HashMap<>(MDC.get()), this); }
        @Override protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) { return new ContextTask<>(task, null, new HashMap<>(MDC.get()), this); }
    }

    static final class ScheduleCache extends LinkedHashMap<String, Schedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Schedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Band> bands = new HashMap<>();
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> ampBuffers = new ArrayDeque<>();
        final DoorEvent[] doorLog = new DoorEvent[RING];
        long doorEvents;
        final ReminderOutbox reminders = new ReminderOutbox();
        final Map<String, Hold> openHolds = new HashMap<>();
        long confirmed, released, expired;
        final HoldScheduler scheduler = new HoldScheduler(r -> { Thread t = new Thread(r, "hold-expiry"); t.setDaemon(true); return t; });

        void placeHold(Hold h) {
            openHolds.put(h.holdId, h);
            MDC.get().put("holdId", h.holdId);
            MDC.get().put("band", h.bandId);
            h.expiry = scheduler.schedule(() -> expire(h), 1, TimeUnit.HOURS);
            MDC.get().clear();
        }
        void expire(Hold h) { if (openHolds.remove(h.holdId) != null) { h.outcome = "EXPIRED"; expired++; } }
        void resolve(Hold h, boolean confirm) {
            openHolds.remove(h.holdId);
            h.outcome = confirm ? "CONFIRMED" : "RELEASED";
            if (confirm) confirmed++; else released++;
            h.expiry.cancel(false);
            h.expiry = null;
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(89_060_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] use = new double[80];
            for (int k = 0; k < use.length; k++) use[k] = rnd.nextDouble();
            studioCodes[s] = "STU-" + (300 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 90), use));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] bandIds = new String[BANDS];
        for (int b = 0; b < BANDS; b++) {
            bandIds[b] = "BAND-" + (600_000 + b * 7);
            svc.bands.put(bandIds[b], new Band(bandIds[b], "The " + b + " Collective", studioCodes[rnd.nextInt(STUDIOS)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ampBuffers.add(new byte[32_768]);

        Random traffic = new Random(89_060_002);
        String[] doors = {"front", "loading bay", "room A", "room B", "room C"};
        String[] channels = {"sms", "email", "push"};
        PriorityQueue<Hold> pending = new PriorityQueue<>((x, y) -> Long.compare(x.resolvesAt, y.resolvesAt));
        long nextPass = start + PASS_EVERY;
        int holdsPlaced = 0, maxQueue = 0;
        for (int i = 0; i < DOOR_EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / DOOR_EVENTS;
            while (nextPass <= t) { svc.reminders.dispatch(nextPass); nextPass += PASS_EVERY; }
            while (!pending.isEmpty() && pending.peek().resolvesAt <= t) { Hold h = pending.poll(); svc.resolve(h, h.createdAt % 4 != 0); }
            if (i % 5 == 0) { // a provisional hold; confirmed or released within 1-45 minutes
                String band = bandIds[traffic.nextInt(BANDS)];
                Hold h = new Hold("HLD-" + (70_000_000 + holdsPlaced), band, studioCodes[traffic.nextInt(STUDIOS)], t, t + (1 + traffic.nextInt(14)) * 24 * HOUR, new byte[100 + traffic.nextInt(200)]);
                h.resolvesAt = t + (1 + traffic.nextInt(45)) * MINUTE + traffic.nextInt(60) * SECOND;
                pending.add(h);
                svc.placeHold(h);
                holdsPlaced++;
                svc.reminders.append(new Reminder(80_000_000L + i, band, channels[traffic.nextInt(channels.length)], t, new byte[80 + traffic.nextInt(120)]));
                maxQueue = Math.max(maxQueue, svc.scheduler.getQueue().size());
            }
            svc.doorLog[(int) (svc.doorEvents++ % RING)] = new DoorEvent(bandIds[traffic.nextInt(BANDS)], studioCodes[traffic.nextInt(STUDIOS)], doors[traffic.nextInt(doors.length)], t);
            String key = "sched-" + traffic.nextInt(4_000);
            if (svc.schedules.get(key) == null) svc.schedules.put(key, new Schedule(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.ampBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ampBuffers.add(buf);
        }
        while (!pending.isEmpty() && pending.peek().resolvesAt <= end) { Hold h = pending.poll(); svc.resolve(h, h.createdAt % 4 != 0); }
        pending = null;
        int queued = svc.scheduler.getQueue().size();
        ReminderOutbox o = svc.reminders;
        System.out.println("studios " + STUDIOS_BY_CODE.size() + " bands " + svc.bands.size() + " holds " + holdsPlaced + " confirmed " + svc.confirmed + " released " + svc.released + " open " + svc.openHolds.size() + " scheduler queue " + queued + " (max " + maxQueue + ")"
                + " reminders " + o.messages.size() + " (appended " + o.appended + ", sent " + o.sent + ", passes " + o.passes + ") door events " + svc.doorEvents + " schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") pool " + svc.ampBuffers.size());
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.bands.size() == BANDS, "reference data / directory");
        check(holdsPlaced == HOLDS && svc.confirmed + svc.released + svc.openHolds.size() == HOLDS && svc.expired == 0 && svc.openHolds.size() > 0, "holds");
        check(queued == svc.openHolds.size() && maxQueue < 600, "scheduler queue holds the open holds only: " + queued);
        check(o.messages.size() == o.appended - o.sent && o.messages.size() < 50 && o.cursor == 0, "outbox compacted");
        check(svc.doorEvents == DOOR_EVENTS && svc.doorLog[RING - 1] != null, "ring");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.ampBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
