// hprofscan-dump: name=lift-telemetry jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=lift-telemetry-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=lift-telemetry-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=lift-telemetry-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A lift (elevator) monitoring service. Each of 2,500 lift cars keeps its recent readings in
 * {@code Car.recent}, an {@code ArrayDeque<Reading>}; a {@code Reading} holds only primitives
 * (time, floor, load, speed, door state), so the readings are most of the service's objects.
 * The cars are held by the service's directory by id and by its polling rota (a list): the
 * service object dominates everything. Online cars trim their deque to
 * {@code MAX_READINGS = 48} on every reading. Leak: cars on a maintenance contract (a third)
 * buffer their readings for an upload that never comes, and their deques are never trimmed:
 * 140-200 readings each, no deque big alone. Healthy: every car trims.
 *
 * <p>Beside it: 700 buildings (reference data loaded at start), a fault-code table, an LRU of
 * 1,200 rendered shaft diagrams, and a ring of the last 4,096 alarms.
 */
public final class LiftTelemetry {
    static final int CARS = 2_500;
    static final int MAX_READINGS = 48;
    static final int READINGS = 400_000;
    static final long HOUR = 3_600_000L;

    record Building(String code, String street, int floors, byte[] plan) {}

    record Reading(long at, int floor, int loadKg, float speed, boolean doorOpen) {}

    record Alarm(String car, int code, long at) {}

    static final class Car {
        final String id;
        final String building;
        final boolean maintenanceContract;
        final ArrayDeque<Reading> recent = new ArrayDeque<>();
        long received, dropped;

        Car(String id, String building, boolean maintenanceContract) {
            this.id = id;
            this.building = building;
            this.maintenanceContract = maintenanceContract;
        }

        void record(Reading r, boolean leak) {
            recent.addLast(r);
            received++;
            if (leak && maintenanceContract) return; // buffered for the contractor's upload
            while (recent.size() > MAX_READINGS) {
                recent.removeFirst();
                dropped++;
            }
        }
    }

    static final class Service {
        final Map<String, Car> cars = new HashMap<>();
        final List<Car> rota = new ArrayList<>();
        final Map<String, Building> buildings = new HashMap<>();
        final Map<Integer, String> faultCodes = new HashMap<>();
        final Map<String, byte[]> diagrams = new java.util.LinkedHashMap<>(2_048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > 1_200;
            }
        };
        final Alarm[] alarms = new Alarm[4_096];
        long alarmCount;
    }

    static final Service SERVICE = new Service();

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected count: " + what);
    }

    static void load(Service s, Random rnd) {
        for (int b = 0; b < 700; b++) {
            String code = "BLD-" + (3_000 + b);
            s.buildings.put(code, new Building(code, "Street " + (b % 90), 4 + rnd.nextInt(40), new byte[300 + rnd.nextInt(300)]));
        }
        for (int f = 0; f < 400; f++) s.faultCodes.put(1_000 + f, "Fault " + f);
        for (int c = 0; c < CARS; c++) {
            Car car = new Car("LIFT-" + (60_000 + c * 3), "BLD-" + (3_000 + c % 700), c % 3 == 0);
            s.cars.put(car.id, car);
            s.rota.add(car);
        }
    }

    /** Ten hours of readings ending a minute before now, polled round the rota. */
    static void traffic(Service s, boolean leak, long now) {
        Random rnd = new Random(46_301);
        long end = now - now % 60_000L;
        long start = end - 10 * HOUR;
        for (int i = 0; i < READINGS; i++) {
            long t = start + (end - 60_000L - start) * i / READINGS;
            Car car = s.rota.get(rnd.nextInt(CARS));
            car.record(new Reading(t, rnd.nextInt(40), rnd.nextInt(1_000), rnd.nextFloat() * 2, rnd.nextInt(5) == 0), leak);
            if (i % 97 == 0) s.alarms[(int) (s.alarmCount++ % s.alarms.length)] = new Alarm(car.id, 1_000 + rnd.nextInt(400), t);
            if (i % 13 == 0) {
                String key = "shaft-" + rnd.nextInt(4_000);
                if (s.diagrams.get(key) == null) s.diagrams.put(key, new byte[700 + rnd.nextInt(500)]);
            }
        }
    }

    static void report(Service s, boolean leak) {
        long held = 0, over = 0, atCap = 0;
        for (Car c : s.rota) {
            held += c.recent.size();
            if (c.recent.size() > MAX_READINGS) over++;
            if (c.recent.size() == MAX_READINGS) atCap++;
        }
        System.out.println((leak ? "leak" : "healthy") + " cars " + CARS + " readings held " + held + " (at cap " + atCap + ", over " + over
                + ") buildings " + s.buildings.size() + " diagrams " + s.diagrams.size() + " alarms " + s.alarmCount);
        check(leak ? over > CARS / 4 : over == 0, "over the cap: " + over);
        check(s.cars.size() == CARS && s.buildings.size() == 700 && s.diagrams.size() == 1_200, "components");
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        load(SERVICE, new Random(46_300));
        traffic(SERVICE, leak, System.currentTimeMillis());
        report(SERVICE, leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
