// hprofscan-dump: name=val147-leak-yurtcamps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val147-leak-yurtcamps-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 147 (written blind), LEAK: the guest Wi-Fi captive portal of a chain of glamping
 * yurt camps. Camp reference data, the stay directory, the live portal sessions by token, a cache
 * of rendered camp maps at its cap, a pool of voucher-printer buffers, a ring of bandwidth samples,
 * and a java.util.Timer (one daemon thread, "portal-session-expiry") on which every login schedules
 * a SessionExpiry task 24 hours ahead (the absolute session limit). A session that ends earlier
 * (logout, device gone, checkout) cancels its task with TimerTask.cancel(), but nobody calls
 * Timer.purge(): the timer's queue keeps every cancelled task, and each keeps its PortalSession.
 * The hourly usage report is the queue's first task, so the timer thread sleeps until then. See
 * VALIDATION147.md.
 */
public final class Val147LeakYurtCamps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, ABSOLUTE_LIMIT = 24 * HOUR;
    static final int CAMPS = 300, STAYS = 15_000, MAP_CAP = 1_200, POOL = 8, RING = 4_096, HOURS = 10, LOGINS_PER_HOUR = 2_000;
    static boolean FIXED;

    record Camp(String code, String valley, double[] occupancyByNight) {}
    record Stay(String ref, String campCode, String guest, byte[] preferences, long arrival, long departure) {}
    record CampMap(String key, byte[] rendered, long at) {}
    record BandwidthSample(String token, long upBytes, long downBytes, long at) {}

    static final class PortalSession {
        final String token, mac, stayRef;
        final long loginAt;
        long endedAt;
        final byte[] cookieJar;
        SessionExpiry expiry;
        PortalSession(String token, String mac, String stayRef, long loginAt, byte[] cookieJar) {
            this.token = token; this.mac = mac; this.stayRef = stayRef; this.loginAt = loginAt; this.cookieJar = cookieJar;
        }
    }

    /** Ends a session at its absolute limit; cancelled when the session ends before. */
    static final class SessionExpiry extends TimerTask {
        final PortalSession session;
        SessionExpiry(PortalSession session) { this.session = session; }
        @Override public void run() { SERVICE.expire(session); }
    }

    /** Hourly usage report to the camp owners (the timer's earliest task). */
    static final class UsageReport extends TimerTask {
        @Override public void run() { /* would mail the report */ }
    }

    static final class MapCache extends LinkedHashMap<String, CampMap> {
        long evicted;
        MapCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CampMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Camp> CAMPS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Stay> stays = new HashMap<>();
        final Map<String, PortalSession> sessions = new HashMap<>();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> voucherBuffers = new ArrayDeque<>();
        final BandwidthSample[] samples = new BandwidthSample[RING];
        final Timer timer = new Timer("portal-session-expiry", true);
        long logins, ended, expired, sampled, purges, cancelsSincePurge;

        void login(PortalSession s, long at) {
            sessions.put(s.token, s);
            s.expiry = new SessionExpiry(s);
            timer.schedule(s.expiry, new Date(s.loginAt + ABSOLUTE_LIMIT));
            logins++;
        }
        void end(PortalSession s, long at) {
            s.endedAt = at;
            sessions.remove(s.token);
            s.expiry.cancel(); // BUG: cancelled, but it stays in the timer's queue (no purge)
            ended++;
            if (FIXED && ++cancelsSincePurge >= 100) { timer.purge(); purges++; cancelsSincePurge = 0; } // the fix
        }
        void expire(PortalSession s) { sessions.remove(s.token); expired++; }
    }

    static Portal SERVICE;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_040_001);
        String[] valleys = {"Glen Etive", "Borrowdale", "Elan Valley", "Dovedale", "Glen Coe", "Wasdale"};
        String[] campCodes = new String[CAMPS];
        for (int c = 0; c < CAMPS; c++) {
            double[] occ = new double[96];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "YC-" + (200 + c);
            campCodes[c] = code;
            CAMPS_BY_CODE.put(code, new Camp(code, valleys[c % valleys.length], occ));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        // first task of the queue: the usage report at the next full hour, then hourly
        svc.timer.scheduleAtFixedRate(new UsageReport(), new Date(end - end % HOUR + HOUR), HOUR);
        String[] stayRefs = new String[STAYS];
        for (int s = 0; s < STAYS; s++) {
            String ref = "ST" + (800_000 + s * 3);
            stayRefs[s] = ref;
            long arrival = now - (long) rnd.nextInt(5) * 24 * HOUR - rnd.nextInt(12) * HOUR;
            svc.stays.put(ref, new Stay(ref, campCodes[rnd.nextInt(CAMPS)], "Guest " + (s % 11_000), new byte[150 + rnd.nextInt(150)], arrival, arrival + (2 + rnd.nextInt(6)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.voucherBuffers.add(new byte[16_384]);
        Random traffic = new Random(147_040_002);
        int logins = LOGINS_PER_HOUR * HOURS;
        PriorityQueue<PortalSession> endings = new PriorityQueue<>((a, b) -> a.endedAt != b.endedAt ? Long.compare(a.endedAt, b.endedAt) : a.token.compareTo(b.token));
        for (int i = 0; i < logins; i++) {
            long t = start + (end - MINUTE - start) * i / logins;
            while (!endings.isEmpty() && endings.peek().endedAt <= t) {
                PortalSession s = endings.poll();
                svc.end(s, s.endedAt);
            }
            String token = "wifi-" + Long.toHexString(0x5a17_0000_0000L + i * 7_919L);
            String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", traffic.nextInt(256), traffic.nextInt(256), traffic.nextInt(256), traffic.nextInt(256), traffic.nextInt(256));
            PortalSession s = new PortalSession(token, mac, stayRefs[traffic.nextInt(STAYS)], t, new byte[96 + traffic.nextInt(96)]);
            svc.login(s, t);
            s.endedAt = t + (5 + traffic.nextInt(175)) * MINUTE; // planned end: 5 min to 3 h
            endings.add(s);
            svc.samples[(int) (svc.sampled++ % RING)] = new BandwidthSample(token, traffic.nextInt(5_000_000), traffic.nextInt(50_000_000), t);
            if (i % 2 == 0) {
                String key = "map-" + traffic.nextInt(3_000);
                if (svc.maps.get(key) == null) svc.maps.put(key, new CampMap(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.voucherBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.voucherBuffers.add(buf);
            }
        }
        while (!endings.isEmpty() && endings.peek().endedAt <= end) {
            PortalSession s = endings.poll();
            svc.end(s, s.endedAt);
        }
        for (PortalSession s : endings) s.endedAt = 0; // still connected
    }

    static void verify() {
        Portal svc = SERVICE;
        int live = svc.sessions.size();
        System.out.println((FIXED ? "FIXED " : "") + "camps " + CAMPS_BY_CODE.size() + " stays " + svc.stays.size() + " logins " + svc.logins + " ended (cancelled) " + svc.ended
                + " expired " + svc.expired + " live sessions " + live + " purges " + svc.purges + " cancelled since last purge " + svc.cancelsSincePurge
                + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.voucherBuffers.size() + " sampled " + svc.sampled);
        check(CAMPS_BY_CODE.size() == CAMPS && svc.stays.size() == STAYS, "reference data / directory");
        check(svc.logins == (long) LOGINS_PER_HOUR * HOURS && svc.expired == 0 && svc.logins == svc.ended + live, "session traffic");
        if (FIXED) check(svc.purges == svc.ended / 100 && svc.cancelsSincePurge == svc.ended % 100, "purged");
        else check(svc.purges == 0, "never purged");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.voucherBuffers.size() == POOL, "pool");
        check(svc.sampled == svc.logins && svc.samples[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val147.fixed");
        build();
        verify();
        LeakCheck.histogram("java.util.TimerTask", "java.util.TaskQueue", "java.util.Timer");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
