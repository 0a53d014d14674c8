// hprofscan-dump: name=val75-leak-babymonitors-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val75-leak-babymonitors-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val75-leak-babymonitors jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val75-leak-babymonitors-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 75 (written blind), LEAK: the presence service of a baby-monitor cloud. Parent
 * phones and nursery cameras send heartbeats; the service keeps a last-seen entry per device id
 * (a UUID the app generates on install) so the parent app can show "camera online / last seen 3
 * min ago". Devices churn: every reinstall of the app or factory reset of a camera comes back with
 * a new UUID and the old one is never heard from again. Entries are never expired, so the map
 * grows with traffic. Beside it: firmware reference data, the household directory, a cache of
 * snapshot thumbnails at its cap, a pool of audio buffers and a ring of cry alerts.
 * See VALIDATION75.md.
 */
public final class Val75LeakBabyMonitors {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TTL = 30 * MINUTE;
    static final int FIRMWARE = 1_000, HOUSEHOLDS = 24_000, SNAPSHOT_CAP = 2_000, POOL = 8, ALERT_RING = 8_192,
            ONLINE = 6_000, HEARTBEATS_PER_HOUR = 24_000;
    static boolean FIXED;

    record Firmware(String version, String board, double[] micCalibration) {}
    record Household(String accountId, String timezone, byte[] settings, long createdAt) {}
    record Snapshot(String key, byte[] jpeg, long at) {}
    record CryAlert(String deviceId, String accountId, int level, long at) {}

    /** Last heartbeat of one device (phone app install or camera). */
    static final class DeviceSeen {
        final String deviceId, accountId, platform, appVersion;
        final byte[] pushToken;
        long lastSeenAt;
        int heartbeats;
        DeviceSeen(String deviceId, String accountId, String platform, String appVersion, byte[] pushToken, long at) {
            this.deviceId = deviceId; this.accountId = accountId; this.platform = platform; this.appVersion = appVersion; this.pushToken = pushToken; this.lastSeenAt = at;
        }
    }

    static final class SnapshotCache extends LinkedHashMap<String, Snapshot> {
        long evicted;
        SnapshotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Snapshot> e) { if (size() > SNAPSHOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Firmware> FIRMWARE_BY_VERSION = new HashMap<>();

    static final class PresenceService {
        final Map<String, Household> households = new HashMap<>();
        final SnapshotCache snapshots = new SnapshotCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final CryAlert[] alerts = new CryAlert[ALERT_RING];
        long alertsWritten;
        /** deviceId -> last heartbeat. BUG: nothing ever removes an entry. */
        final Map<String, DeviceSeen> lastSeen = new HashMap<>();
        long inserted, sweeps, expired;

        void heartbeat(String deviceId, String accountId, String platform, String appVersion, Random r, long at) {
            int tokenLength = 32 + r.nextInt(32); // sent with every heartbeat (the push token may rotate)
            DeviceSeen d = lastSeen.get(deviceId);
            if (d == null) {
                d = new DeviceSeen(deviceId, accountId, platform, appVersion, new byte[tokenLength], at);
                lastSeen.put(deviceId, d);
                inserted++;
            }
            d.lastSeenAt = at;
            d.heartbeats++;
        }

        /** The fix: drop devices not heard from for 30 minutes (run every 5 minutes). */
        void expire(long now) {
            sweeps++;
            for (Iterator<DeviceSeen> it = lastSeen.values().iterator(); it.hasNext(); ) {
                if (it.next().lastSeenAt < now - TTL) { it.remove(); expired++; }
            }
        }
    }

    static PresenceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val75.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int beats = HEARTBEATS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(75_010_001);
        String[] versions = new String[FIRMWARE];
        for (int f = 0; f < FIRMWARE; f++) {
            double[] cal = new double[64];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextDouble() * 3;
            versions[f] = "fw-" + (f / 100) + "." + (f % 100) + ".0";
            FIRMWARE_BY_VERSION.put(versions[f], new Firmware(versions[f], "board-" + (f % 12), cal));
        }
        PresenceService svc = new PresenceService();
        SERVICE = svc;
        String[] accounts = new String[HOUSEHOLDS];
        String[] zones = {"Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Tokyo", "Australia/Sydney"};
        for (int h = 0; h < HOUSEHOLDS; h++) {
            accounts[h] = "HH" + (3_000_000 + h * 3);
            svc.households.put(accounts[h], new Household(accounts[h], zones[h % zones.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        Random traffic = new Random(75_010_002);
        Random ids = new Random(75_010_003);
        // The devices online at any time; a reinstall replaces a slot's id with a fresh UUID.
        String[] online = new String[ONLINE];
        String[] onlineAccount = new String[ONLINE];
        for (int s = 0; s < ONLINE; s++) { online[s] = new UUID(ids.nextLong(), ids.nextLong()).toString(); onlineAccount[s] = accounts[traffic.nextInt(HOUSEHOLDS)]; }
        String[] platforms = {"ios", "android", "camera-v2", "camera-v3"};
        long reinstalls = 0, nextSweep = start + 5 * MINUTE;
        for (int i = 0; i < beats; i++) {
            long t = start + (end - MINUTE - start) * i / beats;
            if (FIXED) while (nextSweep <= t) { svc.expire(nextSweep); nextSweep += 5 * MINUTE; }
            int slot = traffic.nextInt(ONLINE);
            if (traffic.nextInt(8) == 0) { // this heartbeat is the first one of a fresh install: new id
                online[slot] = new UUID(ids.nextLong(), ids.nextLong()).toString();
                reinstalls++;
            }
            svc.heartbeat(online[slot], onlineAccount[slot], platforms[slot % platforms.length], versions[traffic.nextInt(FIRMWARE)], traffic, t);
            if (i % 4 == 0) {
                svc.alerts[(int) (svc.alertsWritten++ % ALERT_RING)] = new CryAlert(online[slot], onlineAccount[slot], 1 + traffic.nextInt(5), t);
                String key = "snap-" + traffic.nextInt(4_000);
                if (svc.snapshots.get(key) == null) svc.snapshots.put(key, new Snapshot(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.audioBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.audioBuffers.add(buf);
            }
        }
        long oldest = Long.MAX_VALUE;
        for (DeviceSeen d : svc.lastSeen.values()) oldest = Math.min(oldest, d.lastSeenAt);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " firmware " + FIRMWARE_BY_VERSION.size() + " households " + svc.households.size() + " lastSeen " + svc.lastSeen.size()
                + " (inserted " + svc.inserted + ", reinstalls " + reinstalls + ", sweeps " + svc.sweeps + ", expired " + svc.expired + ", oldest " + (end - oldest) / MINUTE + " min before end)"
                + " snapshots " + svc.snapshots.size() + " (evicted " + svc.snapshots.evicted + ") pool " + svc.audioBuffers.size() + " alerts " + svc.alertsWritten);
        check(FIRMWARE_BY_VERSION.size() == FIRMWARE && svc.households.size() == HOUSEHOLDS, "reference data / directory");
        if (FIXED) check(svc.lastSeen.size() == svc.inserted - svc.expired && svc.lastSeen.size() < 2 * ONLINE && end - oldest <= TTL + 7 * MINUTE, "expired presence: " + svc.lastSeen.size());
        else check(svc.lastSeen.size() == svc.inserted && svc.inserted > reinstalls, "presence keeps every device id: " + svc.lastSeen.size());
        check(svc.snapshots.size() == SNAPSHOT_CAP && svc.snapshots.evicted > 0, "snapshot cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        check(svc.alertsWritten == beats / 4 && svc.alerts[ALERT_RING - 1] != null, "alert ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
