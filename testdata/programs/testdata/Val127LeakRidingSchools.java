// hprofscan-dump: name=val127-leak-ridingschools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val127-leak-ridingschools-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 127 (written blind), LEAK: the lesson-booking service of a network of riding
 * schools (equestrian centres). Centre reference data, the horse and rider directories, the open
 * lesson bookings, a cache of rendered arena plans at its cap, a pool of invoice buffers, a ring of
 * booking events, a farrier request queue with a normal backlog, and BookingLocks: a
 * ConcurrentHashMap&lt;Long, ReentrantLock&gt; that serialises the changes of one booking
 * (create, change of horse, cancellation, check-in), filled by computeIfAbsent for every booking id
 * ever touched and never removed, not even when the lesson has been ridden or cancelled.
 * See VALIDATION127.md.
 */
public final class Val127LeakRidingSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long EVENT_EVERY = 400L, LESSON_AFTER = 40 * MINUTE, FARRIER_AFTER = 30 * MINUTE;
    static final int CENTRES = 600, HORSES = 6_000, RIDERS = 20_000, PLAN_CAP = 2_000, POOL = 8, RING = 8_192, RECENT = 512, HOURS = 10;
    static final String[] LESSONS = {"Private 30", "Private 45", "Group flatwork", "Group jumping", "Hack", "Lead-rein", "Dressage test ride", "Lunge lesson"};
    static boolean FIXED;

    record Centre(String code, String name, String county, double[] arenaUseByWeek) {}
    record Horse(String ueln, String name, String centreCode, int heightHands, byte[] passportRecord, long foaledAt) {}
    record Rider(String riderId, String name, String level, byte[] waiver, long registeredAt) {}
    record ArenaPlan(String key, byte[] rendered, long renderedAt) {}
    record BookingEvent(long bookingId, String action, String horse, long at) {}
    record FarrierRequest(String ueln, String centreCode, String note, long requestedAt) {}

    static final class LessonBooking {
        final long id; final String riderId; final String centreCode; final String lesson; final long bookedAt, lessonAt;
        String horse; int changes; boolean cancelled;
        LessonBooking(long id, String riderId, String centreCode, String lesson, String horse, long bookedAt, long lessonAt) { this.id = id; this.riderId = riderId; this.centreCode = centreCode; this.lesson = lesson; this.horse = horse; this.bookedAt = bookedAt; this.lessonAt = lessonAt; }
    }

    /** One lock per booking id: a booking is changed by one request at a time. */
    static final class BookingLocks {
        final ConcurrentHashMap<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
        long acquired;

        ReentrantLock acquire(long bookingId) {
            ReentrantLock lock = locks.computeIfAbsent(bookingId, id -> new ReentrantLock());
            lock.lock();
            acquired++;
            return lock;
        }

        void release(long bookingId, ReentrantLock lock, boolean bookingClosed) {
            lock.unlock();
            // BUG: the entry stays for ever; the fix forgets the lock of a closed booking
            if (FIXED && bookingClosed && !lock.isLocked() && !lock.hasQueuedThreads()) locks.remove(bookingId, lock);
        }
    }

    static final class PlanCache extends LinkedHashMap<String, ArenaPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ArenaPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Horse> horses = new HashMap<>();
        final Map<String, Rider> riders = new HashMap<>();
        final String[] uelns = new String[HORSES], riderIds = new String[RIDERS], centreCodes = new String[CENTRES];
        final Map<Long, LessonBooking> open = new HashMap<>();
        final ArrayDeque<LessonBooking> byLessonTime = new ArrayDeque<>();
        final BookingLocks bookingLocks = new BookingLocks();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final BookingEvent[] activity = new BookingEvent[RING];
        final ArrayDeque<FarrierRequest> farrierQueue = new ArrayDeque<>();
        final long[] recentIds = new long[RECENT];
        long nextId = 9_100_000_000L, created, changed, cancelled, ridden, activityWritten, farrierRequests, farrierVisits, planViews, invoices, missed;

        void log(long id, String action, String horse, long t) { activity[(int) (activityWritten++ % RING)] = new BookingEvent(id, action, horse, t); }

        LessonBooking recentOpen(Random r) {
            long id = recentIds[r.nextInt(RECENT)];
            LessonBooking b = id == 0 ? null : open.get(id);
            if (b == null) missed++;
            return b;
        }

        void book(Random r, long t) {
            long id = nextId++;
            ReentrantLock lock = bookingLocks.acquire(id);
            try {
                LessonBooking b = new LessonBooking(id, riderIds[r.nextInt(RIDERS)], centreCodes[r.nextInt(CENTRES)], LESSONS[r.nextInt(LESSONS.length)], uelns[r.nextInt(HORSES)], t, t + LESSON_AFTER);
                open.put(id, b);
                byLessonTime.addLast(b);
                recentIds[(int) (created++ % RECENT)] = id;
                log(id, "BOOKED", b.horse, t);
            } finally {
                bookingLocks.release(id, lock, false);
            }
        }

        void changeHorse(Random r, long t) {
            LessonBooking b = recentOpen(r);
            if (b == null) return;
            ReentrantLock lock = bookingLocks.acquire(b.id);
            try {
                b.horse = uelns[r.nextInt(HORSES)];
                b.changes++;
                changed++;
                log(b.id, "HORSE-CHANGED", b.horse, t);
            } finally {
                bookingLocks.release(b.id, lock, false);
            }
        }

        void cancel(Random r, long t) {
            LessonBooking b = recentOpen(r);
            if (b == null) return;
            ReentrantLock lock = bookingLocks.acquire(b.id);
            try {
                b.cancelled = true;
                open.remove(b.id);
                cancelled++;
                log(b.id, "CANCELLED", b.horse, t);
            } finally {
                bookingLocks.release(b.id, lock, true);
            }
        }

        /** Lessons whose time has come are ridden: check-in, invoice, booking closed. */
        void rideDue(long t) {
            while (!byLessonTime.isEmpty() && byLessonTime.peekFirst().lessonAt <= t) {
                LessonBooking b = byLessonTime.pollFirst();
                if (b.cancelled) continue;
                ReentrantLock lock = bookingLocks.acquire(b.id);
                try {
                    byte[] buf = invoiceBuffers.poll();
                    buf[(int) (b.id % buf.length)] = (byte) b.changes;
                    invoiceBuffers.addLast(buf);
                    invoices++;
                    open.remove(b.id);
                    ridden++;
                    log(b.id, "RIDDEN", b.horse, t);
                } finally {
                    bookingLocks.release(b.id, lock, true);
                }
            }
        }

        void viewPlan(Random r, long t) {
            planViews++;
            String key = "plan-" + centreCodes[r.nextInt(CENTRES)] + "-a" + r.nextInt(6);
            if (plans.get(key) == null) plans.put(key, new ArenaPlan(key, new byte[400 + r.nextInt(400)], t));
        }

        void farrier(Random r, long t) {
            String ueln = uelns[r.nextInt(HORSES)];
            farrierQueue.addLast(new FarrierRequest(ueln, horses.get(ueln).centreCode(), r.nextBoolean() ? "lost front shoe" : "trim and reset, 6 weeks", t));
            farrierRequests++;
        }

        void farrierRounds(long t) {
            while (!farrierQueue.isEmpty() && farrierQueue.peekFirst().requestedAt() <= t - FARRIER_AFTER) { farrierQueue.pollFirst(); farrierVisits++; }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(127_020_001);
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] counties = {"Yorkshire", "Gloucestershire", "Hampshire", "Suffolk", "Cumbria", "Wiltshire", "Shropshire", "Lincolnshire"};
        for (int c = 0; c < CENTRES; c++) {
            double[] use = new double[52];
            for (int k = 0; k < use.length; k++) use[k] = rnd.nextDouble() * 60;
            svc.centreCodes[c] = "EC" + (1_000 + c * 9);
            CENTRES_BY_CODE.put(svc.centreCodes[c], new Centre(svc.centreCodes[c], "Riding Centre " + c, counties[c % counties.length], use));
        }
        for (int h = 0; h < HORSES; h++) {
            svc.uelns[h] = "826002" + (100_000_000 + h * 37);
            svc.horses.put(svc.uelns[h], new Horse(svc.uelns[h], "Horse " + h, svc.centreCodes[rnd.nextInt(CENTRES)], 12 + rnd.nextInt(6), new byte[150 + rnd.nextInt(150)], now - (long) (1_500 + rnd.nextInt(7_000)) * DAY));
        }
        for (int i = 0; i < RIDERS; i++) {
            svc.riderIds[i] = "RR" + (610_000 + i * 3);
            svc.riders.put(svc.riderIds[i], new Rider(svc.riderIds[i], "Rider " + i, i % 5 == 0 ? "novice" : i % 5 == 1 ? "intermediate" : "improver", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(127_020_002);
        long events = HOURS * HOUR / EVENT_EVERY;
        long nextRound = start + MINUTE;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            while (nextRound <= t) { svc.farrierRounds(nextRound); nextRound += MINUTE; }
            svc.rideDue(t);
            int kind = traffic.nextInt(100);
            if (kind < 60) svc.book(traffic, t);
            else if (kind < 72) svc.changeHorse(traffic, t);
            else if (kind < 78) svc.cancel(traffic, t);
            else if (kind < 80) svc.farrier(traffic, t);
            else svc.viewPlan(traffic, t);
        }
        svc.rideDue(end);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val127.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        BookingService svc = SERVICE;
        int held = 0, ofClosed = 0;
        for (Map.Entry<Long, ReentrantLock> e : svc.bookingLocks.locks.entrySet()) {
            if (e.getValue().isLocked()) held++;
            if (!svc.open.containsKey(e.getKey())) ofClosed++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " horses " + svc.horses.size() + " riders " + svc.riders.size()
                + " bookings " + svc.created + " changed " + svc.changed + " cancelled " + svc.cancelled + " ridden " + svc.ridden + " open " + svc.open.size() + " missed " + svc.missed
                + " locks " + svc.bookingLocks.locks.size() + " (of closed bookings " + ofClosed + ", held " + held + ", acquired " + svc.bookingLocks.acquired + ")"
                + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.invoiceBuffers.size() + " invoices " + svc.invoices + " activity " + svc.activityWritten
                + " farrier " + svc.farrierRequests + "/" + svc.farrierVisits + " backlog " + svc.farrierQueue.size());
        check(CENTRES_BY_CODE.size() == CENTRES && svc.horses.size() == HORSES && svc.riders.size() == RIDERS, "reference data / directories");
        check(svc.created == svc.cancelled + svc.ridden + svc.open.size(), "bookings add up");
        check(held == 0, "no lock held");
        check(svc.created == 53_923 && svc.open.size() == 3_267 && svc.cancelled == 5_075 && svc.ridden == 45_581, "bookings: " + svc.created + " / " + svc.open.size());
        if (FIXED) check(svc.bookingLocks.locks.size() == svc.open.size() && ofClosed == 0, "a lock per open booking");
        else check(svc.bookingLocks.locks.size() == svc.created && ofClosed == svc.created - svc.open.size(), "a lock per booking ever made");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.activity[RING - 1] != null, "ring full");
        check(svc.farrierQueue.size() == svc.farrierRequests - svc.farrierVisits, "farrier backlog");
    }
}
