// hprofscan-dump: name=val154-leak-serverrooms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val154-leak-serverrooms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 154 (written blind), LEAK: the environmental monitoring service of a colocation
 * data centre's server rooms. Room reference data, the rack directory, a cache of rendered rack
 * dashboards at its cap, a pool of SNMP decode buffers, a ring of sensor readings, and the alert
 * board's "recent alerts" list (an ArrayList) whose housekeeping trim runs only when an alert's
 * timestamp falls exactly on the hour. Alert timestamps carry the sensor's milliseconds, so the
 * test never holds and the list keeps every alert since start. See VALIDATION154.md.
 */
public final class Val154LeakServerRooms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ROOMS = 1_100, RACKS = 22_000, DASH_CAP = 2_000, POOL = 8, RING = 16_384, READINGS_PER_HOUR = 6_000, RECENT_MAX = 500;
    static boolean FIXED;

    record Room(String code, String hall, double[] setpointsByHour) {}
    record Rack(String tag, String roomCode, String tenant, byte[] inventory, long installedAt) {}
    record Dashboard(String key, byte[] rendered, long at) {}
    record Reading(String rackTag, String sensor, double value, long at) {}
    record Alert(String alertId, String rackTag, String kind, long raisedAt, byte[] context) {}

    /** The alert board: the recent alerts shown on the NOC wall. */
    static final class AlertBoard {
        final List<Alert> recent = new ArrayList<>();
        long raised, trims;
        void raise(Alert a) {
            recent.add(a);
            raised++;
            if (FIXED) { // the fix: trim on every add
                while (recent.size() > RECENT_MAX) recent.remove(0);
                return;
            }
            // BUG: housekeeping "once an hour, on the hour"; raisedAt carries milliseconds, so never
            if (a.raisedAt() % HOUR == 0) {
                while (recent.size() > RECENT_MAX) recent.remove(0);
                trims++;
            }
        }
    }

    static final class DashboardCache extends LinkedHashMap<String, Dashboard> {
        long evicted;
        DashboardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Dashboard> e) { if (size() > DASH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Room> ROOMS_BY_CODE = new HashMap<>();

    static final class MonitoringService {
        final Map<String, Rack> racks = new HashMap<>();
        final DashboardCache dashboards = new DashboardCache();
        final ArrayDeque<byte[]> snmpBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingCount;
        final AlertBoard alerts = new AlertBoard();
    }

    static MonitoringService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val154.fixed");
        run(10); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int hours) {
        int events = READINGS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_020_001);
        String[] roomCodes = new String[ROOMS];
        for (int r = 0; r < ROOMS; r++) {
            double[] sp = new double[72];
            for (int k = 0; k < sp.length; k++) sp[k] = 18 + rnd.nextDouble() * 9;
            roomCodes[r] = "DC" + (1 + r / 200) + "-ROOM-" + (r % 200);
            ROOMS_BY_CODE.put(roomCodes[r], new Room(roomCodes[r], "Hall " + (char) ('A' + r % 6), sp));
        }
        MonitoringService svc = new MonitoringService();
        SERVICE = svc;
        String[] tags = new String[RACKS];
        for (int k = 0; k < RACKS; k++) {
            tags[k] = "RK-" + (600_000 + k);
            svc.racks.put(tags[k], new Rack(tags[k], roomCodes[rnd.nextInt(ROOMS)], "Tenant " + rnd.nextInt(400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.snmpBuffers.add(new byte[32_768]);
        Random traffic = new Random(154_020_002);
        String[] sensors = {"inlet-temp", "outlet-temp", "humidity", "pdu-a-amps", "pdu-b-amps", "door"};
        String[] kinds = {"TEMP_HIGH", "HUMIDITY_LOW", "PDU_OVERLOAD", "DOOR_OPEN", "SENSOR_LOST"};
        int alertsExpected = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String tag = tags[traffic.nextInt(RACKS)];
            svc.readings[(int) (svc.readingCount++ % RING)] = new Reading(tag, sensors[traffic.nextInt(sensors.length)], 15 + traffic.nextDouble() * 30, t);
            if (traffic.nextInt(4) == 0) {
                long raisedAt = t - t % MINUTE + 250 + traffic.nextInt(700); // sensor clock: a minute tick plus milliseconds
                svc.alerts.raise(new Alert("AL-" + Long.toString(raisedAt, 36) + "-" + i, tag, kinds[traffic.nextInt(kinds.length)], raisedAt, new byte[150 + traffic.nextInt(150)]));
                alertsExpected++;
            }
            String key = "dash-" + traffic.nextInt(5_000);
            if (svc.dashboards.get(key) == null) svc.dashboards.put(key, new Dashboard(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.snmpBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.snmpBuffers.add(buf);
        }
        AlertBoard a = svc.alerts;
        System.out.println((FIXED ? "FIXED " : "") + "rooms " + ROOMS_BY_CODE.size() + " racks " + svc.racks.size() + " recent alerts " + a.recent.size() + " raised " + a.raised + " trims " + a.trims
                + " dashboards " + svc.dashboards.size() + " (evicted " + svc.dashboards.evicted + ") pool " + svc.snmpBuffers.size() + " readings " + svc.readingCount);
        check(ROOMS_BY_CODE.size() == ROOMS && svc.racks.size() == RACKS, "reference data / directory");
        check(a.raised == alertsExpected, "alert traffic");
        if (FIXED) check(a.recent.size() == RECENT_MAX, "recent alerts trimmed");
        else check(a.trims == 0 && a.recent.size() == alertsExpected, "recent alerts never trimmed: " + a.recent.size());
        check(svc.dashboards.size() == DASH_CAP && svc.dashboards.evicted > 0, "dashboard cache at cap");
        check(svc.snmpBuffers.size() == POOL, "pool");
        check(svc.readingCount == events && svc.readings[RING - 1] != null, "ring");
    }
}
