// hprofscan-dump: name=val112-leak-footfallcounters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val112-leak-footfallcounters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val112-leak-footfallcounters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val112-leak-footfallcounters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 112 (written blind), LEAK: the counting service of a shopping-centre footfall
 * analytics provider (door sensors at mall entrances). Centre reference data, the sensor directory,
 * a cache of rendered heatmap tiles at its cap, a pool of frame buffers, a ring of recent count
 * events, an alert queue with its normal backlog, and the analytics uplink: every count event is
 * appended as a JSON line to one batch payload (a ByteArrayOutputStream) that is shipped to the
 * landlord's analytics endpoint every 5 minutes. The uplink ships only the bytes written since the
 * last shipment but never resets the payload, so the one buffer holds every event since start.
 * A growth series: 2, 4 and 8 simulated hours. See VALIDATION112.md.
 */
public final class Val112LeakFootfallCounters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SHIP_EVERY = 5 * MINUTE, ALERT_EVERY = 2 * MINUTE, ALERT_SLA = 15 * MINUTE;
    static final int CENTRES = 800, SENSORS = 18_000, TILE_CAP = 2_000, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 15_000, ALERT_BACKLOG_MAX = 200;
    static final int INITIAL_PAYLOAD = 65_536;
    static boolean FIXED;

    record Centre(String code, String name, double[] footfallByQuarterHour) {}
    record Sensor(String serial, String centreCode, String door, String firmware, byte[] calibration, long installedAt) {}
    record HeatmapTile(String key, byte[] rendered, long at) {}
    record CountEvent(String sensorSerial, String centreCode, long at, int count, boolean in) {}
    record Alert(String sensorSerial, String reason, long raisedAt) {}

    /** The batch payload: JSON lines, shipped every 5 minutes. */
    static final class PayloadBuffer extends ByteArrayOutputStream {
        PayloadBuffer(int size) { super(size); }
        int capacity() { return buf.length; }
        void writeRange(int from, OutputStream out) throws java.io.IOException { out.write(buf, from, count - from); }
    }

    /** Counts what is sent to the landlord's analytics endpoint. */
    static final class EndpointSink extends OutputStream {
        long bytes, requests;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class AnalyticsUplink {
        final PayloadBuffer batch = new PayloadBuffer(INITIAL_PAYLOAD);
        final EndpointSink endpoint = new EndpointSink();
        int shippedUpTo;
        long appended, appendedBytes, shipments;

        void append(CountEvent e, String firmware) {
            String line = "{\"ts\":" + e.at() + ",\"centre\":\"" + e.centreCode() + "\",\"sensor\":\"" + e.sensorSerial() + "\",\"dir\":\"" + (e.in() ? "in" : "out")
                    + "\",\"count\":" + e.count() + ",\"fw\":\"" + firmware + "\"}\n";
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            batch.writeBytes(bytes);
            appended++;
            appendedBytes += bytes.length;
        }

        void ship() throws java.io.IOException {
            if (batch.size() == shippedUpTo) return;
            batch.writeRange(shippedUpTo, endpoint);
            endpoint.requests++;
            shipments++;
            shippedUpTo = batch.size();
            // BUG: the payload is never reset after a shipment; the fix resets it
            if (FIXED) { batch.reset(); shippedUpTo = 0; }
        }
    }

    static final class TileCache extends LinkedHashMap<String, HeatmapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HeatmapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class CountingService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final String[] serials = new String[SENSORS];
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final CountEvent[] recent = new CountEvent[RING];
        final ArrayDeque<Alert> alerts = new ArrayDeque<>();
        final AnalyticsUplink uplink = new AnalyticsUplink();
        long events, alertsRaised, alertsHandled, frames;

        void count(Random r, long t) {
            Sensor s = sensors.get(serials[r.nextInt(SENSORS)]);
            CountEvent e = new CountEvent(s.serial(), s.centreCode(), t, 1 + r.nextInt(12), r.nextBoolean());
            recent[(int) (events++ % RING)] = e;
            uplink.append(e, s.firmware());
            if (r.nextInt(100) < 25) {
                String key = s.centreCode() + "/tile-" + r.nextInt(5_000);
                if (tiles.get(key) == null) tiles.put(key, new HeatmapTile(key, new byte[400 + r.nextInt(400)], t));
            }
            if (r.nextInt(100) < 20) {
                byte[] buf = frameBuffers.poll();
                buf[(int) (events % buf.length)] = (byte) e.count();
                frameBuffers.add(buf);
                frames++;
            }
            if (r.nextInt(100) == 0) { alerts.add(new Alert(s.serial(), r.nextBoolean() ? "occlusion" : "count-drift", t)); alertsRaised++; }
        }

        /** The field team's queue: an alert is closed once it is 15 minutes old (re-checked by then). */
        void handleAlerts(long t) {
            while (!alerts.isEmpty() && alerts.peek().raisedAt() <= t - ALERT_SLA) { alerts.poll(); alertsHandled++; }
        }
    }

    static CountingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws java.io.IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(112_030_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] quarterHours = new double[96];
            for (int k = 0; k < quarterHours.length; k++) quarterHours[k] = rnd.nextDouble() * 900;
            centreCodes[c] = "SC-" + (1_000 + c);
            CENTRES_BY_CODE.put(centreCodes[c], new Centre(centreCodes[c], "Centre " + c, quarterHours));
        }
        CountingService svc = new CountingService();
        SERVICE = svc;
        String[] firmware = {"4.2.1", "4.2.3", "4.3.0", "5.0.2"};
        for (int i = 0; i < SENSORS; i++) {
            svc.serials[i] = "FS-" + (2_400_000 + i * 7);
            svc.sensors.put(svc.serials[i], new Sensor(svc.serials[i], centreCodes[rnd.nextInt(CENTRES)], "door-" + (1 + rnd.nextInt(24)), firmware[rnd.nextInt(firmware.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(112_030_002);
        int events = hours * EVENTS_PER_HOUR;
        long nextShip = start + SHIP_EVERY, nextAlerts = start + ALERT_EVERY;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextShip <= t) { svc.uplink.ship(); nextShip += SHIP_EVERY; }
            while (nextAlerts <= t) { svc.handleAlerts(nextAlerts); nextAlerts += ALERT_EVERY; }
            svc.count(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        FIXED = Boolean.getBoolean("val112.fixed");
        simulate(hours);
        CountingService svc = SERVICE;
        AnalyticsUplink up = svc.uplink;
        long events = (long) hours * EVENTS_PER_HOUR;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " centres " + CENTRES_BY_CODE.size() + " sensors " + svc.sensors.size() + " events " + svc.events + " appended " + up.appended
                + " payload " + up.batch.size() + " bytes (capacity " + up.batch.capacity() + ", shipped up to " + up.shippedUpTo + ", " + up.shipments + " shipments, " + up.endpoint.bytes + " bytes sent)"
                + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") frames " + svc.frames + " pool " + svc.frameBuffers.size() + " alerts " + svc.alertsRaised + "/" + svc.alertsHandled + " backlog " + svc.alerts.size());
        check(CENTRES_BY_CODE.size() == CENTRES && svc.sensors.size() == SENSORS, "reference data / directory");
        check(svc.events == events && up.appended == events && up.shipments == hours * 12L - 1, "traffic");
        check(up.endpoint.bytes + up.batch.size() - up.shippedUpTo == up.appendedBytes, "shipped bytes");
        if (FIXED) check(up.batch.capacity() <= 262_144 && up.batch.size() < 200_000, "fixed: payload of the current 5 minutes only");
        else check(up.batch.capacity() == (stage == 1 ? 4 : stage == 2 ? 8 : 16) * 1_048_576 && up.endpoint.bytes == up.shippedUpTo, "payload of every event since start: capacity " + up.batch.capacity());
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(svc.alerts.size() > 0 && svc.alerts.size() < ALERT_BACKLOG_MAX && svc.alertsRaised == svc.alertsHandled + svc.alerts.size(), "alert backlog");
        svc = null; up = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
