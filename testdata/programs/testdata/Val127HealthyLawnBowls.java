// hprofscan-dump: name=val127-healthy-lawnbowls-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val127-healthy-lawnbowls-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val127-healthy-lawnbowls jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val127-healthy-lawnbowls-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 127 (written blind), HEALTHY series: the member portal and rink-booking service of
 * a county association of lawn bowls clubs. The national register of bowlers (a big reference
 * dataset loaded at startup), club reference data, a cache of rendered draw sheets at its cap, a
 * pool of scorecard buffers, a ring of rink results, a queue of match e-mails with a normal backlog,
 * and look-alikes of the set's leaks done right: a session store whose expiry sweeper (scheduled at
 * a fixed rate on its own ScheduledExecutorService) catches the error of a malformed session and
 * goes on, so the sessions stay bounded by the idle timeout; and a lock per rink booking, removed
 * when the booking is played. See VALIDATION127.md.
 */
public final class Val127HealthyLawnBowls {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long TTL = 30 * MINUTE, SWEEP_EVERY = 5 * MINUTE, EVENT_EVERY = 600L, PLAY_AFTER = 45 * MINUTE, MAIL_EVERY = 5 * MINUTE;
    static final int CLUBS = 700, BOWLERS = 30_000, SHEET_CAP = 2_000, POOL = 8, RING = 2_048, RECENT = 256;
    static final String[] PLANS = {"FULL", "SOCIAL", "JUNIOR", "COUNTRY", "WINTER-INDOOR"};

    record Club(String code, String name, String county, double[] greenSpeedByWeek) {}
    record Bowler(String number, String name, String clubCode, byte[] handicapHistory, long registeredAt) {}
    record DrawSheet(String key, byte[] rendered, long renderedAt) {}
    record RinkResult(long bookingId, String clubCode, int rink, int shotsFor, int shotsAgainst, long playedAt) {}
    record MatchEmail(String to, String subject, String body, long queuedAt) {}
    record CsrfToken(String token, long issuedAt) {}
    record Membership(String plan, int creditsLeft, long renewsAt) {}
    record GreenPrefs(String homeClub, String footwear, boolean wantsEmails) {}

    static final class Session {
        final String id; final String bowlerNumber; final long createdAt; final byte[] clientHints;
        final Map<String, Object> attributes = new HashMap<>(8);
        volatile long lastAccess;
        Session(String id, String bowlerNumber, long createdAt, byte[] clientHints) { this.id = id; this.bowlerNumber = bowlerNumber; this.createdAt = createdAt; this.clientHints = clientHints; this.lastAccess = createdAt; }
    }

    static final class RinkBooking {
        final long id; final String clubCode; final int rink; final String bookedBy; final long bookedAt, playAt;
        RinkBooking(long id, String clubCode, int rink, String bookedBy, long bookedAt, long playAt) { this.id = id; this.clubCode = clubCode; this.rink = rink; this.bookedBy = bookedBy; this.bookedAt = bookedAt; this.playAt = playAt; }
    }

    /** The sweeper's clock: the simulation hands every scheduled run the simulated time of its tick. */
    static final class TickClock {
        final BlockingQueue<Long> ticks = new ArrayBlockingQueue<>(1);
        final BlockingQueue<Boolean> done = new ArrayBlockingQueue<>(1);
        long await() { try { return ticks.take(); } catch (InterruptedException e) { throw new IllegalStateException(e); } }
        void ran(boolean ok) { done.add(ok); }
    }

    /** Sessions by token; expired by a periodic sweeper that survives a bad session. */
    static final class SessionStore {
        final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> { Thread th = new Thread(r, "bowls-session-sweeper"); th.setDaemon(true); return th; });
        final TickClock clock = new TickClock();
        ScheduledFuture<?> sweeperHandle;
        long created, loggedOut, expired, malformed, sweeps, creditsReturned;

        void start() {
            sweeperHandle = scheduler.scheduleAtFixedRate(() -> {
                long now = clock.await();
                boolean ok = false;
                try { expireIdle(now); ok = true; } finally { clock.ran(ok); }
            }, 0, 1, TimeUnit.MILLISECONDS);
        }

        void expireIdle(long now) {
            sweeps++;
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
                Session s = it.next();
                if (now - s.lastAccess <= TTL) continue;
                try {
                    Membership m = (Membership) s.attributes.get("membership");
                    creditsReturned += m.creditsLeft() > 0 ? 1 : 0;
                } catch (RuntimeException e) {
                    malformed++; // logged with the session id; the session is dropped all the same
                }
                it.remove();
                expired++;
            }
        }

        /** Runs one scheduled sweep at simulated time t, in lock-step with the sweeper thread. */
        void tick(long t) throws InterruptedException {
            clock.ticks.put(t);
            if (!clock.done.take()) {
                try { sweeperHandle.get(); } catch (ExecutionException e) { throw new IllegalStateException("sweeper died", e); }
            }
        }
    }

    static final class DrawSheetCache extends LinkedHashMap<String, DrawSheet> {
        long evicted;
        DrawSheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DrawSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Bowler> register = new HashMap<>();
        final String[] bowlerNumbers = new String[BOWLERS];
        final String[] clubCodes = new String[CLUBS];
        final SessionStore store = new SessionStore();
        final DrawSheetCache sheets = new DrawSheetCache();
        final ArrayDeque<byte[]> scorecardBuffers = new ArrayDeque<>();
        final RinkResult[] results = new RinkResult[RING];
        final ArrayDeque<MatchEmail> mailQueue = new ArrayDeque<>();
        final String[] recentSessions = new String[RECENT];
        final ConcurrentHashMap<Long, ReentrantLock> bookingLocks = new ConcurrentHashMap<>();
        final Map<Long, RinkBooking> openBookings = new HashMap<>();
        final ArrayDeque<RinkBooking> byPlayTime = new ArrayDeque<>();
        long nextBookingId = 7_300_000_000L, logins, views, bookings, played, resultsWritten, mailsQueued, mailsSent, staleClicks, cardsPrinted;

        ReentrantLock lockFor(long bookingId) { return bookingLocks.computeIfAbsent(bookingId, id -> new ReentrantLock()); }

        void unlockAndForget(long bookingId, ReentrantLock lock, boolean closed) {
            lock.unlock();
            if (closed && !lock.isLocked() && !lock.hasQueuedThreads()) bookingLocks.remove(bookingId, lock);
        }

        Session recent(Random r) {
            String id = recentSessions[r.nextInt(RECENT)];
            Session s = id == null ? null : store.sessions.get(id);
            if (s == null) staleClicks++;
            return s;
        }

        void login(Random r, long t) {
            String number = bowlerNumbers[r.nextInt(BOWLERS)];
            Session s = new Session("bw-" + Long.toHexString(r.nextLong() & 0x7fff_ffff_ffff_ffffL), number, t, new byte[100 + r.nextInt(100)]);
            s.attributes.put("csrf", new CsrfToken(Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()), t));
            if (r.nextInt(400) == 0) s.attributes.put("membership", "LEGACY:" + PLANS[r.nextInt(PLANS.length)]); // old clubhouse kiosk
            else s.attributes.put("membership", new Membership(PLANS[r.nextInt(PLANS.length)], r.nextInt(12), t + (1 + r.nextInt(300)) * DAY));
            s.attributes.put("prefs", new GreenPrefs(register.get(number).clubCode(), r.nextBoolean() ? "flat-sole" : "trainer", r.nextInt(4) > 0));
            store.sessions.put(s.id, s);
            store.created++;
            recentSessions[(int) (logins++ % RECENT)] = s.id;
        }

        void view(Random r, long t) {
            Session s = recent(r);
            if (s == null) return;
            s.lastAccess = t;
            views++;
            String key = "draw-" + clubCodes[r.nextInt(CLUBS)] + "-" + r.nextInt(8);
            if (sheets.get(key) == null) sheets.put(key, new DrawSheet(key, new byte[400 + r.nextInt(400)], t));
        }

        void book(Random r, long t) {
            Session s = recent(r);
            if (s == null) return;
            s.lastAccess = t;
            long id = nextBookingId++;
            ReentrantLock lock = lockFor(id);
            lock.lock();
            try {
                RinkBooking b = new RinkBooking(id, clubCodes[r.nextInt(CLUBS)], 1 + r.nextInt(6), s.bowlerNumber, t, t + PLAY_AFTER);
                openBookings.put(id, b);
                byPlayTime.addLast(b);
                bookings++;
                mailQueue.addLast(new MatchEmail(s.bowlerNumber + "@members.example", "Rink " + b.rink + " booked", "Your rink at " + b.clubCode + " is booked, booking " + id + ". Bring your own woods.", t));
                mailsQueued++;
            } finally {
                unlockAndForget(id, lock, false);
            }
        }

        void logout(Random r) {
            Session s = recent(r);
            if (s == null) return;
            if (store.sessions.remove(s.id) != null) store.loggedOut++;
        }

        /** Bookings whose end has come are played: the result is recorded and the booking closed. */
        void playDue(Random r, long t) {
            while (!byPlayTime.isEmpty() && byPlayTime.peekFirst().playAt <= t) {
                RinkBooking b = byPlayTime.pollFirst();
                ReentrantLock lock = lockFor(b.id);
                lock.lock();
                try {
                    byte[] card = scorecardBuffers.poll();
                    card[(int) (b.id % card.length)] = (byte) b.rink;
                    scorecardBuffers.addLast(card);
                    cardsPrinted++;
                    results[(int) (resultsWritten++ % RING)] = new RinkResult(b.id, b.clubCode, b.rink, r.nextInt(30), r.nextInt(30), t);
                    openBookings.remove(b.id);
                    played++;
                } finally {
                    unlockAndForget(b.id, lock, true);
                }
            }
        }

        void sendMail(long t) {
            while (!mailQueue.isEmpty() && mailQueue.peekFirst().queuedAt() <= t - MAIL_EVERY) { mailQueue.pollFirst(); mailsSent++; }
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
        Random rnd = new Random(127_050_001);
        PortalService svc = new PortalService();
        SERVICE = svc;
        String[] counties = {"Kent", "Surrey", "Devon", "Norfolk", "Cheshire", "Dorset", "Essex", "Somerset"};
        for (int c = 0; c < CLUBS; c++) {
            double[] speed = new double[52];
            for (int k = 0; k < speed.length; k++) speed[k] = 10 + rnd.nextDouble() * 6;
            svc.clubCodes[c] = "BC" + (3_000 + c * 7);
            CLUBS_BY_CODE.put(svc.clubCodes[c], new Club(svc.clubCodes[c], "Bowls Club " + c, counties[c % counties.length], speed));
        }
        for (int i = 0; i < BOWLERS; i++) {
            svc.bowlerNumbers[i] = "EB" + (40_100_000 + i * 17);
            svc.register.put(svc.bowlerNumbers[i], new Bowler(svc.bowlerNumbers[i], "Bowler " + i, svc.clubCodes[rnd.nextInt(CLUBS)], new byte[200 + rnd.nextInt(200)], now - (long) (30 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scorecardBuffers.add(new byte[32_768]);
        svc.store.start();
        Random traffic = new Random(127_050_002);
        long events = hours * HOUR / EVENT_EVERY;
        long nextSweep = start + SWEEP_EVERY, nextMail = start + MAIL_EVERY;
        for (long i = 0; i < events; i++) {
            long t = start + i * EVENT_EVERY;
            while (nextSweep <= t) { svc.store.tick(nextSweep); nextSweep += SWEEP_EVERY; }
            while (nextMail <= t) { svc.sendMail(nextMail); nextMail += MAIL_EVERY; }
            svc.playDue(traffic, t);
            int kind = traffic.nextInt(100);
            if (kind < 30) svc.login(traffic, t);
            else if (kind < 82) svc.view(traffic, t);
            else if (kind < 94) svc.book(traffic, t);
            else svc.logout(traffic);
        }
        svc.playDue(traffic, end);
        svc.store.tick(end);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
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
        int idle = 0;
        for (Session s : st.sessions.values()) if (SIM_END - s.lastAccess > TTL) idle++;
        System.out.println("stage " + stage + " clubs " + CLUBS_BY_CODE.size() + " bowlers " + svc.register.size() + " logins " + svc.logins + " views " + svc.views + " stale clicks " + svc.staleClicks
                + " sessions " + st.sessions.size() + " (created " + st.created + ", logged out " + st.loggedOut + ", expired " + st.expired + ", malformed " + st.malformed + ", sweeps " + st.sweeps + ", idle " + idle + ")"
                + " bookings " + svc.bookings + " played " + svc.played + " open " + svc.openBookings.size() + " locks " + svc.bookingLocks.size()
                + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") pool " + svc.scorecardBuffers.size() + " results " + svc.resultsWritten
                + " mails " + svc.mailsQueued + "/" + svc.mailsSent + " backlog " + svc.mailQueue.size());
        check(CLUBS_BY_CODE.size() == CLUBS && svc.register.size() == BOWLERS, "reference data / register");
        check(st.created == svc.logins && st.created == st.sessions.size() + st.loggedOut + st.expired, "sessions add up");
        check(idle == 0 && !st.sweeperHandle.isDone() && st.sweeps == hours * 12L, "sweeper alive, nothing idle");
        check(st.sessions.size() == new int[] {865, 841, 861}[stage - 1] && svc.openBookings.size() == new int[] {507, 454, 510}[stage - 1], "sessions / open bookings: " + st.sessions.size() + " / " + svc.openBookings.size());
        check(svc.bookingLocks.size() == svc.openBookings.size() && svc.byPlayTime.size() == svc.openBookings.size() && svc.bookings == svc.played + svc.openBookings.size(), "a lock per open booking");
        for (ReentrantLock l : svc.bookingLocks.values()) check(!l.isLocked(), "no lock held");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "draw-sheet cache at cap");
        check(svc.scorecardBuffers.size() == POOL, "pool");
        check(svc.mailQueue.size() == svc.mailsQueued - svc.mailsSent, "mail backlog");
    }
}
