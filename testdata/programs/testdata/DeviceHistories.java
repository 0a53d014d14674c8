// hprofscan-dump: name=device-histories jvm="-Xmx128m" variants=mxbean args="healthy"
// hprofscan-dump: name=device-histories-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="healthy"
// hprofscan-dump: name=device-histories-leak jvm="-Xmx128m" variants=mxbean args="leak"
// hprofscan-dump: name=device-histories-leak-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A telemetry directory ({@code Fleet.devices}, device id to {@code Device}) whose devices keep
 * no time of their own, only their last 64 readings in an {@code ArrayDeque} (each reading
 * timed); trimming from the front moves each deque's head round its array, so most deques are
 * wrapped at the dump and their oldest and newest readings lie mid-array, next to the head.
 * <ul>
 * <li>{@code healthy}: 1,500 devices, every one reporting every 10 minutes (with jitter) for
 * the 3 days simulated: a live directory, each device's newest reading minutes old. No leak.
 * <li>{@code leak}: 3,000 devices registered evenly over the 3 days, each reporting every 10
 * minutes for 16 hours and then going silent, never removed: the devices of the last 16 hours
 * still report, the others (some 78%) were last touched hours or days before the dump. The leak is {@code Fleet.devices}, 3,000 entries.
 * </ul>
 * A tool that reads a deque's first and last elements in array order dates each device by
 * readings from the middle of its history. Fixed numbers (printed).
 */
public final class DeviceHistories {
    static final int KEEP = 64;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAYS = 3;

    record Reading(long at, double value, byte[] raw) {}

    static final class Device {
        final String id;
        final ArrayDeque<Reading> recent = new ArrayDeque<>();

        Device(String id) {
            this.id = id;
        }

        void report(Reading r) {
            recent.addLast(r);
            while (recent.size() > KEEP) recent.removeFirst();
        }
    }

    static final class Fleet {
        final Map<String, Device> devices = new HashMap<>();
    }

    static final Fleet FLEET = new Fleet();

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - DAYS * 24 * HOUR;
        Random rnd = new Random(39_001);
        int devices = leak ? 3_000 : 1_500;
        long life = leak ? 16 * HOUR : DAYS * 24 * HOUR;
        long readings = 0;
        for (int d = 0; d < devices; d++) {
            Device dev = new Device("dev-" + (50_000 + d));
            FLEET.devices.put(dev.id, dev);
            // Healthy devices all report from the start; leaking ones register over the days.
            long from = leak ? start + (end - start) * d / devices : start;
            long until = Math.min(end - MINUTE, from + life);
            for (long t = from + rnd.nextInt(600) * 1_000L; t < until; t += 10 * MINUTE - 60_000 + rnd.nextInt(120_000)) {
                dev.report(new Reading(t, rnd.nextDouble(), new byte[24]));
                readings++;
            }
        }
        long held = 0, live = 0;
        for (Device dev : FLEET.devices.values()) {
            held += dev.recent.size();
            if (!dev.recent.isEmpty() && dev.recent.peekLast().at() >= end - HOUR) live++;
        }
        System.out.println("devices " + FLEET.devices.size() + " readings " + readings + " held " + held + " live " + live);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
