// hprofscan-dump: name=val124-leak-caravanparks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val124-leak-caravanparks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 124 (written blind), LEAK: the guest Wi-Fi captive portal of a group of holiday
 * caravan parks. Park reference data, the access-point inventory, the holiday-booking directory, a
 * cache of rendered splash pages at its cap, a pool of RADIUS packet buffers, a ring of
 * authentication events and the RADIUS accounting queue with its normal backlog. Guest sessions
 * live in {@code SessionStore.sessions}; a sweeper scheduled with {@code scheduleAtFixedRate}
 * removes those idle for more than 30 minutes and bills their usage. 2 h 20 min into the period a
 * marketing campaign added a "TRIAL_15" plan at the portal; when the first trial session expired
 * the sweeper's {@code Plan.valueOf(planCode)} threw an IllegalArgumentException, and an exception
 * in a periodic task cancels all its later runs: no session has been removed by expiry since. The
 * sweep is driven by the simulated clock (the scheduled task runs every millisecond and sweeps
 * when main has advanced the clock; main waits for it), so the counts are exact. See
 * VALIDATION124.md.
 */
public final class Val124LeakCaravanParks {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, TICK = 5 * MINUTE, IDLE_TIMEOUT = 30 * MINUTE;
    static final int PARKS = 600, ACCESS_POINTS = 12_000, BOOKINGS = 18_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, LOGINS_PER_HOUR = 1_800;
    static final long TRIAL_FROM = 2 * HOUR + 20 * MINUTE; // after the start of the simulated period
    // The truth of VALIDATION124.md (checked below).
    static final int EXPECT_LOGINS = 17_322, EXPECT_LOGOUTS = 1_521, EXPECT_ON_NETWORK = 2_247, EXPECT_SWEEPS = 36, EXPECT_EXPIRED = 1_805,
            EXPECT_SESSIONS = 13_996, EXPECT_STALE = 10_985, FIXED_EXPIRED = 12_790, FIXED_SESSIONS = 3_011;
    static boolean FIXED;

    enum Plan { FREE_HOUR, DAY_PASS, WEEK_PASS, STREAMING_WEEK }

    record Park(String code, String name, String county, double[] occupancyByWeek) {}
    record AccessPoint(String apId, String parkCode, String mac, byte[] config, long installedAt) {}
    record Booking(String bookingRef, String parkCode, String guestName, String pitch, long arrival, long departure) {}
    record SplashPage(String key, byte[] rendered, long at) {}
    record AuthEvent(String mac, String apId, String result, long at) {}
    record AccountingRecord(String sessionToken, String apId, long bytesIn, long bytesOut, long at) {}

    static final class GuestSession {
        final String token, mac, bookingRef, apId, planCode; final long createdAt;
        volatile long lastSeen;
        long bytesIn, bytesOut;
        final Map<String, String> attributes = new HashMap<>();
        final byte[] radiusState;
        GuestSession(String token, String mac, String bookingRef, String apId, String planCode, long createdAt, byte[] radiusState) {
            this.token = token; this.mac = mac; this.bookingRef = bookingRef; this.apId = apId; this.planCode = planCode; this.createdAt = createdAt; this.lastSeen = createdAt; this.radiusState = radiusState;
        }
    }

    /** The usage ledger the sweeper bills expired sessions into (totals per plan only). */
    static final class UsageLedger {
        final long[] sessionsByPlan = new long[Plan.values().length];
        final long[] bytesByPlan = new long[Plan.values().length];
        long unknownPlan;
        void bill(GuestSession s, Plan p) { sessionsByPlan[p.ordinal()]++; bytesByPlan[p.ordinal()] += s.bytesIn + s.bytesOut; }
    }

    static final class SessionStore {
        final ConcurrentHashMap<String, GuestSession> sessions = new ConcurrentHashMap<>();
        final UsageLedger ledger = new UsageLedger();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wifi-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> sweeperHandle;
        volatile long clock, sweptUpTo;
        long sweeps, expired;

        void start(long now) {
            clock = now; sweptUpTo = now;
            sweeperHandle = scheduler.scheduleAtFixedRate(this::sweepIfDue, 1, 1, TimeUnit.MILLISECONDS);
        }

        void sweepIfDue() {
            long now = clock;
            if (now <= sweptUpTo) return;
            sweep(now);
            synchronized (this) { sweptUpTo = now; notifyAll(); }
        }

        /** Removes the sessions idle for more than the timeout, billing their usage first. */
        void sweep(long now) {
            sweeps++;
            List<GuestSession> idle = new ArrayList<>();
            for (GuestSession s : sessions.values()) if (now - s.lastSeen > IDLE_TIMEOUT) idle.add(s);
            idle.sort(Comparator.comparingLong((GuestSession s) -> s.lastSeen).thenComparing(s -> s.token));
            for (GuestSession s : idle) {
                if (FIXED) {
                    try { ledger.bill(s, Plan.valueOf(s.planCode)); } catch (IllegalArgumentException e) { ledger.unknownPlan++; }
                } else {
                    ledger.bill(s, Plan.valueOf(s.planCode)); // throws for "TRIAL_15": the periodic task is cancelled for good
                }
                sessions.remove(s.token);
                expired++;
            }
        }

        /** Advances the clock the sweeper reads and waits until it has swept (or is dead). */
        void advanceTo(long now) throws InterruptedException {
            clock = now;
            synchronized (this) {
                while (sweptUpTo < now && !sweeperHandle.isDone()) wait(20);
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, SplashPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SplashPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Park> PARKS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, AccessPoint> accessPoints = new HashMap<>();
        final String[] apIds = new String[ACCESS_POINTS];
        final Map<String, Booking> bookings = new HashMap<>();
        final String[] bookingRefs = new String[BOOKINGS];
        final PageCache splashPages = new PageCache();
        final ArrayDeque<byte[]> radiusBuffers = new ArrayDeque<>();
        final AuthEvent[] authLog = new AuthEvent[RING];
        final ArrayDeque<AccountingRecord> accountingQueue = new ArrayDeque<>();
        final SessionStore store = new SessionStore();
        long logins, rejected, logouts, authEvents, accountingSent, accountingQueued, trials;
        int active; // devices still on the network at the end (from the simulator)

        void auth(String mac, String apId, String result, long t) {
            byte[] buf = radiusBuffers.poll();
            buf[(int) (authEvents % buf.length)] = (byte) result.length();
            radiusBuffers.add(buf);
            authLog[(int) (authEvents++ % RING)] = new AuthEvent(mac, apId, result, t);
        }

        GuestSession login(Random r, long t, long elapsed) {
            String apId = apIds[r.nextInt(ACCESS_POINTS)];
            String mac = String.format("%02x:%02x:%02x:%02x:%02x:%02x", r.nextInt(256) & 0xfe | 0x02, r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256));
            String lang = new String[] {"en", "en", "en", "de", "nl", "fr", "pl"}[r.nextInt(7)];
            AccessPoint ap = accessPoints.get(apId);
            String pageKey = ap.parkCode() + "/" + lang + "/summer-" + r.nextInt(6);
            if (splashPages.get(pageKey) == null) splashPages.put(pageKey, new SplashPage(pageKey, new byte[400 + r.nextInt(400)], t));
            Booking b = bookings.get(bookingRefs[r.nextInt(BOOKINGS)]);
            if (r.nextInt(25) == 0) { rejected++; auth(mac, apId, "Access-Reject", t); return null; }
            String plan;
            int p = r.nextInt(100);
            if (elapsed >= TRIAL_FROM && p < 12) { plan = "TRIAL_15"; trials++; }
            else plan = p < 40 ? "FREE_HOUR" : p < 75 ? "DAY_PASS" : p < 93 ? "WEEK_PASS" : "STREAMING_WEEK";
            String token = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
            GuestSession s = new GuestSession(token, mac, b.bookingRef(), apId, plan, t, new byte[200 + r.nextInt(200)]);
            s.attributes.put("user-agent", new String[] {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)", "Mozilla/5.0 (Linux; Android 14; Pixel 7)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X)"}[r.nextInt(4)]);
            s.attributes.put("lang", lang);
            s.attributes.put("redirect", "https://www." + new String[] {"bbc.co.uk", "google.com", "netflix.com", "metoffice.gov.uk"}[r.nextInt(4)] + "/");
            store.sessions.put(token, s);
            logins++;
            auth(mac, apId, "Access-Accept", t);
            return s;
        }

        /** A RADIUS Interim-Update from the access point of an active session. */
        void interim(GuestSession s, Random r, long t) {
            s.lastSeen = t;
            s.bytesIn += 50_000 + r.nextInt(5_000_000);
            s.bytesOut += 5_000 + r.nextInt(500_000);
            accountingQueue.addLast(new AccountingRecord(s.token, s.apId, s.bytesIn, s.bytesOut, t));
            accountingQueued++;
        }

        void logout(GuestSession s, long t) {
            if (store.sessions.remove(s.token) != null) logouts++;
            auth(s.mac, s.apId, "Accounting-Stop", t);
        }

        /** Ships the accounting records older than one tick to the billing platform. */
        void shipAccounting(long t) {
            while (!accountingQueue.isEmpty() && accountingQueue.peekFirst().at() <= t - TICK) { accountingQueue.pollFirst(); accountingSent++; }
        }
    }

    record Device(GuestSession session, long leavesAt, boolean logsOut) {}

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(124_030_001);
        String[] parkCodes = new String[PARKS];
        String[] counties = {"Cornwall", "Devon", "Norfolk", "North Yorkshire", "Gwynedd", "Pembrokeshire", "Lincolnshire", "Dorset", "Cumbria", "Argyll"};
        for (int p = 0; p < PARKS; p++) {
            double[] occ = new double[52];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            parkCodes[p] = "HP" + (3_000 + p * 7);
            PARKS_BY_CODE.put(parkCodes[p], new Park(parkCodes[p], (p % 2 == 0 ? "Sandy Bay " : "Willow Brook ") + p, counties[p % counties.length], occ));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        for (int a = 0; a < ACCESS_POINTS; a++) {
            svc.apIds[a] = "AP-" + parkCodes[a % PARKS] + "-" + (100 + a / PARKS);
            String mac = String.format("f0:9f:c2:%02x:%02x:%02x", (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
            svc.accessPoints.put(svc.apIds[a], new AccessPoint(svc.apIds[a], parkCodes[a % PARKS], mac, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_500)) * DAY));
        }
        String[] names = {"Evans", "Hughes", "Schmidt", "de Vries", "Kowalska", "Martin", "Clarke", "Price", "Jansen", "Moreau", "Walsh", "Baker"};
        long today = now - now % DAY;
        for (int b = 0; b < BOOKINGS; b++) {
            svc.bookingRefs[b] = "HB" + (5_500_000 + b * 13);
            long arrival = today - (long) rnd.nextInt(14) * DAY + 15 * HOUR;
            svc.bookings.put(svc.bookingRefs[b], new Booking(svc.bookingRefs[b], parkCodes[rnd.nextInt(PARKS)], names[rnd.nextInt(names.length)] + " family", "Pitch " + (1 + rnd.nextInt(240)), arrival, arrival + (long) (3 + rnd.nextInt(11)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.radiusBuffers.add(new byte[4_096 * 8]);
        svc.store.start(start);
        Random traffic = new Random(124_030_002);
        List<Device> active = new ArrayList<>(); // the simulator's view of the devices on the network
        int logins = LOGINS_PER_HOUR * HOURS;
        long nextTick = start + TICK;
        for (int i = 0; i < logins; i++) {
            long t = start + (end - MINUTE - start) * i / logins;
            while (nextTick <= t) { tick(svc, active, traffic, nextTick); nextTick += TICK; }
            GuestSession s = svc.login(traffic, t, t - start);
            if (s != null) active.add(new Device(s, t + (long) (3 + traffic.nextInt(150)) * MINUTE, traffic.nextInt(10) == 0));
        }
        while (nextTick <= end) { tick(svc, active, traffic, nextTick); nextTick += TICK; }
        svc.active = active.size();
    }

    /** Every 5 minutes: devices leave (some log out), the others send an interim update; then the sweep. */
    static void tick(PortalService svc, List<Device> active, Random r, long t) throws InterruptedException {
        List<Device> still = new ArrayList<>(active.size());
        for (Device d : active) {
            if (d.leavesAt() <= t) { if (d.logsOut()) svc.logout(d.session(), d.leavesAt()); }
            else { svc.interim(d.session(), r, t); still.add(d); }
        }
        active.clear();
        active.addAll(still);
        svc.shipAccounting(t);
        svc.store.advanceTo(t);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val124.fixed");
        simulate();
        report(args);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(String[] args) {
        PortalService svc = SERVICE;
        SessionStore st = svc.store;
        long end = st.clock;
        int stale = 0;
        for (GuestSession s : st.sessions.values()) if (end - s.lastSeen > IDLE_TIMEOUT) stale++;
        String death = "alive";
        if (st.sweeperHandle.isDone()) {
            try { st.sweeperHandle.get(); } catch (Exception e) { death = "dead: " + e.getCause(); }
        }
        System.out.println((FIXED ? "FIXED " : "") + "parks " + PARKS_BY_CODE.size() + " access points " + svc.accessPoints.size() + " bookings " + svc.bookings.size() + " logins " + svc.logins + " (rejected " + svc.rejected
                + ", trials " + svc.trials + ") logouts " + svc.logouts + " sweeps " + st.sweeps + " expired " + st.expired + " sessions " + st.sessions.size() + " (idle past timeout " + stale + ", on the network " + svc.active
                + ") sweeper " + death + " pages " + svc.splashPages.size() + " (evicted " + svc.splashPages.evicted + ") accounting " + svc.accountingQueued + "/" + svc.accountingSent + " backlog " + svc.accountingQueue.size()
                + " pool " + svc.radiusBuffers.size());
        check(PARKS_BY_CODE.size() == PARKS && svc.accessPoints.size() == ACCESS_POINTS && svc.bookings.size() == BOOKINGS, "reference data / directories");
        check(svc.logins == EXPECT_LOGINS && svc.logouts == EXPECT_LOGOUTS && svc.active == EXPECT_ON_NETWORK, "logins / logouts / devices");
        if (FIXED) check(death.equals("alive") && st.sweeps == HOURS * 12 && st.expired == FIXED_EXPIRED && st.sessions.size() == FIXED_SESSIONS && stale == 0, "sweeper working");
        else check(st.sweeperHandle.isDone() && st.sweeps == EXPECT_SWEEPS && st.expired == EXPECT_EXPIRED && st.sessions.size() == EXPECT_SESSIONS && stale == EXPECT_STALE, "sweeper dead, sessions kept");
        check(svc.logins == svc.logouts + st.expired + st.sessions.size(), "session accounting");
        check(svc.splashPages.size() == PAGE_CAP && svc.splashPages.evicted > 0, "splash cache at cap");
        check(svc.radiusBuffers.size() == POOL && svc.authLog[RING - 1] != null, "pool / ring");
        check(svc.accountingQueue.size() == EXPECT_ON_NETWORK && svc.accountingQueued == svc.accountingSent + svc.accountingQueue.size(), "accounting backlog");
    }
}
