// hprofscan-dump: name=val127-leak-pilatesstudios-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val127-leak-pilatesstudios-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val127-leak-pilatesstudios jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val127-leak-pilatesstudios-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 127 (written blind), LEAK series: the member portal of a chain of reformer pilates
 * studios (class timetable, bookings, credits). Studio reference data, the member directory, the
 * class timetable, a cache of rendered timetable pages at its cap, a pool of invoice buffers, a
 * ring of booking events, a queue of class reminders with a normal backlog, and the portal's
 * session store: ConcurrentHashMap&lt;String, PortalSession&gt;, each session holding a few
 * attributes (CSRF token, membership view, booking cart). Its expiry sweeper runs at a fixed rate on
 * a ScheduledExecutorService; 50 minutes into the run it meets an idle session created by the old
 * studio kiosk app, whose "membership" attribute is a String, and the cast throws. The executor
 * cancels the periodic task silently (the future completes exceptionally, nobody looks at it):
 * no session has expired since, the sweeper thread and its executor idle on. See VALIDATION127.md.
 */
public final class Val127LeakPilatesStudios {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long TTL = 20 * MINUTE, SWEEP_EVERY = 5 * MINUTE, EVENT_EVERY = 500L, REMIND_AFTER = 10 * MINUTE;
    static final int STUDIOS = 500, MEMBERS = 22_000, CLASSES = 6_000, PAGE_CAP = 2_000, POOL = 8, RING = 1_024, RECENT = 300;
    static final String[] PLANS = {"UNLIMITED", "8-PACK", "4-PACK", "INTRO-3", "CORPORATE"};
    static final String[] CLASS_TYPES = {"Reformer Flow", "Reformer Strength", "Tower", "Mat Foundations", "Jumpboard", "Pre-natal", "Barre Reformer"};
    static boolean FIXED;

    record Studio(String code, String name, String city, double[] occupancyBySlot) {}
    record Member(String number, String name, String homeStudio, byte[] healthQuestionnaire, long joinedAt) {}
    record ClassSlot(String classId, String studioCode, String type, String instructor, long startsAt, int capacity) {}
    record TimetablePage(String key, byte[] rendered, long renderedAt) {}
    record BookingEvent(long seq, String memberNumber, String classId, String action, long at) {}
    record Reminder(String memberNumber, String phone, String text, long queuedAt) {}
    record CsrfToken(String token, long issuedAt) {}
    record Membership(String plan, int creditsLeft, int creditsHeld, long renewsAt) {}

    static final class BookingCart {
        final List<String> classIds = new ArrayList<>(4);
        long updatedAt;
    }

    static final class PortalSession {
        final String id; final String memberNumber; final long createdAt; final byte[] deviceFingerprint;
        final Map<String, Object> attributes = new HashMap<>(8);
        volatile long lastAccess;
        PortalSession(String id, String memberNumber, long createdAt, byte[] deviceFingerprint) { this.id = id; this.memberNumber = memberNumber; this.createdAt = createdAt; this.deviceFingerprint = deviceFingerprint; this.lastAccess = createdAt; }
    }

    /** The sweeper's clock: the simulation hands every scheduled run the simulated time of its tick. */
    static final class TickClock {
        final BlockingQueue<Long> ticks = new ArrayBlockingQueue<>(1);
        final BlockingQueue<Boolean> done = new ArrayBlockingQueue<>(1);
        long await() { try { return ticks.take(); } catch (InterruptedException e) { throw new IllegalStateException(e); } }
        void ran(boolean ok) { done.add(ok); }
    }

    static final class SessionStore {
        final ConcurrentHashMap<String, PortalSession> sessions = new ConcurrentHashMap<>();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> { Thread th = new Thread(r, "portal-session-sweeper"); th.setDaemon(true); return th; });
        final TickClock clock = new TickClock();
        ScheduledFuture<?> sweeperHandle;
        long created, loggedOut, expired, sweeps, creditsReleased, badSessions, diedAt;

        void start() {
            sweeperHandle = scheduler.scheduleAtFixedRate(() -> {
                long now = clock.await();
                boolean ok = false;
                try { expireIdle(now); ok = true; } finally { clock.ran(ok); }
            }, 0, 1, TimeUnit.MILLISECONDS);
        }

        /** Removes the sessions idle for longer than the TTL, giving held class credits back. */
        void expireIdle(long now) {
            sweeps++;
            for (Iterator<PortalSession> it = sessions.values().iterator(); it.hasNext();) {
                PortalSession s = it.next();
                if (now - s.lastAccess <= TTL) continue;
                if (FIXED) {
                    try { release(s); } catch (RuntimeException e) { badSessions++; }
                } else {
                    release(s); // BUG: a ClassCastException here ends the periodic task for good
                }
                it.remove();
                expired++;
            }
        }

        void release(PortalSession s) {
            Membership m = (Membership) s.attributes.get("membership");
            creditsReleased += m.creditsHeld();
        }

        /** Runs one scheduled sweep at simulated time t, in lock-step with the sweeper thread. */
        void tick(long t) throws InterruptedException {
            if (sweeperHandle.isDone()) return; // nothing is scheduled any more
            clock.ticks.put(t);
            if (!clock.done.take()) {
                try { sweeperHandle.get(); } catch (ExecutionException e) { diedAt = t; }
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, TimetablePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TimetablePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNumbers = new String[MEMBERS];
        final String[] studioCodes = new String[STUDIOS];
        final Map<String, ClassSlot> timetable = new HashMap<>();
        final String[] classIds = new String[CLASSES];
        final SessionStore store = new SessionStore();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final BookingEvent[] events = new BookingEvent[RING];
        final ArrayDeque<Reminder> reminders = new ArrayDeque<>();
        final String[] recentSessions = new String[RECENT];
        long logins, kioskLogins, views, bookings, cancellations, eventsWritten, remindersQueued, remindersSent, staleClicks, invoices;

        PortalSession recent(Random r) {
            String id = recentSessions[r.nextInt(RECENT)];
            PortalSession s = id == null ? null : store.sessions.get(id);
            if (s == null) staleClicks++;
            return s;
        }

        void login(Random r, long t) {
            String number = memberNumbers[r.nextInt(MEMBERS)];
            PortalSession s = new PortalSession("ps_" + Long.toHexString(r.nextLong() & 0x7fff_ffff_ffff_ffffL), number, t, new byte[100 + r.nextInt(100)]);
            s.attributes.put("csrf", new CsrfToken(Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()), t));
            if (r.nextInt(350) == 0) { // the reception kiosk's old app stores the plan as text
                s.attributes.put("membership", PLANS[r.nextInt(PLANS.length)] + ";credits=" + r.nextInt(10));
                kioskLogins++;
            } else {
                s.attributes.put("membership", new Membership(PLANS[r.nextInt(PLANS.length)], r.nextInt(12), 0, t + (1 + r.nextInt(60)) * DAY));
            }
            s.attributes.put("cart", new BookingCart());
            store.sessions.put(s.id, s);
            store.created++;
            recentSessions[(int) (logins++ % RECENT)] = s.id;
        }

        void view(Random r, long t) {
            PortalSession s = recent(r);
            if (s == null) return;
            s.lastAccess = t;
            views++;
            String key = "tt-" + studioCodes[r.nextInt(STUDIOS)] + "-w" + r.nextInt(10);
            if (pages.get(key) == null) pages.put(key, new TimetablePage(key, new byte[400 + r.nextInt(400)], t));
        }

        void book(Random r, long t) {
            PortalSession s = recent(r);
            if (s == null) return;
            s.lastAccess = t;
            String classId = classIds[r.nextInt(CLASSES)];
            BookingCart cart = (BookingCart) s.attributes.get("cart");
            Object m = s.attributes.get("membership");
            if (m instanceof Membership ms) s.attributes.put("membership", new Membership(ms.plan(), Math.max(0, ms.creditsLeft() - 1), ms.creditsHeld() + 1, ms.renewsAt()));
            cart.classIds.add(classId);
            cart.updatedAt = t;
            bookings++;
            events[(int) (eventsWritten++ % RING)] = new BookingEvent(eventsWritten, s.memberNumber, classId, "BOOK", t);
            reminders.addLast(new Reminder(s.memberNumber, "+4477009" + (10_000 + r.nextInt(90_000)), "Your " + timetable.get(classId).type() + " class is booked. Grip socks required.", t));
            remindersQueued++;
            byte[] buf = invoiceBuffers.poll();
            buf[(int) (bookings % buf.length)] = (byte) cart.classIds.size();
            invoiceBuffers.addLast(buf);
            invoices++;
        }

        void cancel(Random r, long t) {
            PortalSession s = recent(r);
            if (s == null) return;
            s.lastAccess = t;
            BookingCart cart = (BookingCart) s.attributes.get("cart");
            if (cart.classIds.isEmpty()) return;
            String classId = cart.classIds.remove(cart.classIds.size() - 1);
            cancellations++;
            events[(int) (eventsWritten++ % RING)] = new BookingEvent(eventsWritten, s.memberNumber, classId, "CANCEL", t);
        }

        void logout(Random r) {
            PortalSession s = recent(r);
            if (s == null) return;
            if (store.sessions.remove(s.id) != null) store.loggedOut++;
        }

        void sendReminders(long t) {
            while (!reminders.isEmpty() && reminders.peekFirst().queuedAt() <= t - REMIND_AFTER) { reminders.pollFirst(); remindersSent++; }
        }
    }

    static PortalService SERVICE;
    static long SIM_END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        SIM_END = end;
        Random rnd = new Random(127_010_001);
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] cities = {"London", "Bristol", "Leeds", "Brighton", "Manchester", "Edinburgh", "Cardiff", "Bath"};
        for (int s = 0; s < STUDIOS; s++) {
            double[] occ = new double[84];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            svc.studioCodes[s] = "PS" + (100 + s * 3);
            STUDIOS_BY_CODE.put(svc.studioCodes[s], new Studio(svc.studioCodes[s], "Studio " + s, cities[s % cities.length], occ));
        }
        for (int i = 0; i < MEMBERS; i++) {
            svc.memberNumbers[i] = "PM" + (5_200_000 + i * 7);
            svc.members.put(svc.memberNumbers[i], new Member(svc.memberNumbers[i], "Member " + i, svc.studioCodes[rnd.nextInt(STUDIOS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int c = 0; c < CLASSES; c++) {
            svc.classIds[c] = "CL" + (880_000 + c);
            svc.timetable.put(svc.classIds[c], new ClassSlot(svc.classIds[c], svc.studioCodes[rnd.nextInt(STUDIOS)], CLASS_TYPES[rnd.nextInt(CLASS_TYPES.length)], "Instructor " + rnd.nextInt(900), end + (1 + rnd.nextInt(14 * 24)) * HOUR, 8 + rnd.nextInt(8)));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        svc.store.start();
        Random traffic = new Random(127_010_002);
        long events = hours * HOUR / EVENT_EVERY;
        long nextSweep = start + SWEEP_EVERY, nextRemind = start + MINUTE;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            while (nextSweep <= t) { svc.store.tick(nextSweep); nextSweep += SWEEP_EVERY; }
            while (nextRemind <= t) { svc.sendReminders(nextRemind); nextRemind += MINUTE; }
            int kind = traffic.nextInt(100);
            if (kind < 28) svc.login(traffic, t);
            else if (kind < 78) svc.view(traffic, t);
            else if (kind < 90) svc.book(traffic, t);
            else if (kind < 95) svc.cancel(traffic, t);
            else svc.logout(traffic);
        }
        svc.store.tick(end);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val127.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) {
        PortalService svc = SERVICE;
        SessionStore st = svc.store;
        int idle = 0, kiosk = 0;
        long oldest = 0;
        for (PortalSession s : st.sessions.values()) {
            if (SIM_END - s.lastAccess > TTL) { idle++; oldest = Math.max(oldest, SIM_END - s.lastAccess); }
            if (!(s.attributes.get("membership") instanceof Membership)) kiosk++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " studios " + STUDIOS_BY_CODE.size() + " members " + svc.members.size() + " classes " + svc.timetable.size()
                + " logins " + svc.logins + " (kiosk " + svc.kioskLogins + ") views " + svc.views + " bookings " + svc.bookings + " cancellations " + svc.cancellations + " stale clicks " + svc.staleClicks
                + " sessions " + st.sessions.size() + " (created " + st.created + ", logged out " + st.loggedOut + ", expired " + st.expired + ", sweeps " + st.sweeps
                + ", sweeper done " + st.sweeperHandle.isDone() + " at minute " + (st.diedAt == 0 ? -1 : (st.diedAt - (SIM_END - hours * HOUR)) / MINUTE)
                + ", idle " + idle + ", oldest idle " + oldest / MINUTE + " min, kiosk sessions " + kiosk + ", bad " + st.badSessions + ")"
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.invoiceBuffers.size() + " events " + svc.eventsWritten
                + " reminders " + svc.remindersQueued + "/" + svc.remindersSent + " backlog " + svc.reminders.size());
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.members.size() == MEMBERS && svc.timetable.size() == CLASSES, "reference data / directories");
        check(st.created == svc.logins && st.created == st.sessions.size() + st.loggedOut + st.expired, "sessions add up");
        if (FIXED) check(idle == 0 && !st.sweeperHandle.isDone() && st.sweeps == hours * 12L, "sweeper alive");
        else check(st.sweeperHandle.isDone() && st.sweeps == 11 && st.diedAt == SIM_END - hours * HOUR + 55 * MINUTE && !st.scheduler.isShutdown(), "sweeper died at its 11th run, executor alive");
        int k = stage - 1;
        check(st.sessions.size() == (FIXED ? new int[] {796, 737, 742} : new int[] {2_675, 5_997, 12_779})[k], "sessions at the dump: " + st.sessions.size());
        check(idle == (FIXED ? 0 : new int[] {1_879, 5_260, 12_037}[k]), "idle sessions: " + idle);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.events[RING - 1] != null, "ring full");
        check(svc.reminders.size() == svc.remindersQueued - svc.remindersSent, "reminder backlog");
    }
}
