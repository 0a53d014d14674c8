// hprofscan-dump: name=val149-leak-snowcatfleet jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val149-leak-snowcatfleet-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 149 (written blind), LEAK: the telemetry service of a ski area's snowcat
 * (piste-groomer) fleet. Slope reference data, the vehicle directory, a cache of rendered grooming
 * plans at its cap, a pool of radio-decode buffers, a bounded queue of recent alerts, and a
 * hand-written ring buffer of the latest telemetry pings backed by an ArrayList: its trim step
 * compares the index of the oldest entry to keep against the list's size instead of against 0, so
 * it never removes anything and the "ring" grows with every ping. See VALIDATION149.md.
 */
public final class Val149LeakSnowcatFleet {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SLOPES = 1_300, VEHICLES = 20_000, PLAN_CAP = 2_000, POOL = 8, RING = 4_096, ALERTS = 512, HOURS = 10, PINGS_PER_HOUR = 7_200;
    static boolean FIXED;

    record Slope(String code, String area, double[] snowpackModel) {}
    record Vehicle(String serial, String depot, String model, byte[] maintenanceLog, long commissionedAt) {}
    record GroomingPlan(String key, byte[] rendered, long at) {}
    record Alert(String serial, String kind, long at) {}

    static final class TelemetryPing {
        final String serial;
        final double lat, lon;
        final int fuelPercent;
        final long at;
        final byte[] frame;
        TelemetryPing(String serial, double lat, double lon, int fuelPercent, long at, byte[] frame) {
            this.serial = serial; this.lat = lat; this.lon = lon; this.fuelPercent = fuelPercent; this.at = at; this.frame = frame;
        }
    }

    /** Hand-written ring buffer of the latest pings, backed by an ArrayList. */
    static final class PingRing {
        final ArrayList<TelemetryPing> items = new ArrayList<>();
        final int capacity;
        long written, trimmed;
        PingRing(int capacity) { this.capacity = capacity; }
        void add(TelemetryPing p) {
            items.add(p);
            written++;
            int oldest = items.size() - capacity; // index of the oldest entry to keep
            // BUG: compares against the size instead of 0, so the trim never runs
            if (FIXED ? oldest > 0 : oldest > items.size()) {
                items.subList(0, oldest).clear();
                trimmed += oldest;
            }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, GroomingPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GroomingPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Slope> SLOPES_BY_CODE = new HashMap<>();

    static final class FleetService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final ArrayDeque<Alert> alerts = new ArrayDeque<>();
        final PingRing pings = new PingRing(RING);
        long alertsRaised;
    }

    static FleetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val149.fixed");
        int pings = PINGS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(149_040_001);
        String[] slopeCodes = new String[SLOPES];
        for (int s = 0; s < SLOPES; s++) {
            double[] m = new double[64];
            for (int k = 0; k < m.length; k++) m[k] = rnd.nextDouble() * 300;
            String code = "SL-" + (6_000 + s);
            slopeCodes[s] = code;
            SLOPES_BY_CODE.put(code, new Slope(code, "Area " + (s % 60), m));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        String[] serials = new String[VEHICLES];
        String[] models = {"PB 600", "PB 400", "Bison X", "Husky", "Leitwolf"};
        for (int v = 0; v < VEHICLES; v++) {
            String serial = "SC" + (9_100_000 + v);
            serials[v] = serial;
            svc.vehicles.put(serial, new Vehicle(serial, "Depot " + (v % 140), models[v % models.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(149_040_002);
        for (int i = 0; i < pings; i++) {
            long t = start + (end - MINUTE - start) * i / pings;
            String serial = serials[traffic.nextInt(VEHICLES)];
            int fuel = traffic.nextInt(100);
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.decodeBuffers.add(buf);
            svc.pings.add(new TelemetryPing(serial, 46 + traffic.nextDouble(), 7 + traffic.nextDouble(), fuel, t, new byte[24 + traffic.nextInt(32)]));
            if (fuel < 3) {
                svc.alerts.addLast(new Alert(serial, "LOW_FUEL", t));
                svc.alertsRaised++;
                if (svc.alerts.size() > ALERTS) svc.alerts.pollFirst();
            }
            if (i % 3 == 0) {
                String key = "plan-" + slopeCodes[traffic.nextInt(SLOPES)] + "-" + traffic.nextInt(4);
                if (svc.plans.get(key) == null) svc.plans.put(key, new GroomingPlan(key, new byte[500 + traffic.nextInt(500)], t));
            }
        }
        PingRing r = svc.pings;
        System.out.println((FIXED ? "FIXED " : "") + "slopes " + SLOPES_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " pings written " + r.written + " held " + r.items.size()
                + " trimmed " + r.trimmed + " alerts " + svc.alerts.size() + " (raised " + svc.alertsRaised + ") plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.decodeBuffers.size());
        check(SLOPES_BY_CODE.size() == SLOPES && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(r.written == pings, "traffic");
        if (FIXED) check(r.items.size() == RING && r.trimmed == pings - RING, "ring at capacity");
        else check(r.items.size() == pings && r.trimmed == 0, "ring never trims: " + r.items.size());
        check(svc.alerts.size() == ALERTS && svc.alertsRaised > ALERTS, "alert queue bounded");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "grooming-plan cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        svc = null; r = null; serials = null; slopeCodes = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
