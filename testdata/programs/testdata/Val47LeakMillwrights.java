// hprofscan-dump: name=val47-leak-millwrights jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val47-leak-millwrights-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 47 (written blind), LEAK: the maintenance dispatch service of an industrial
 * millwright contractor (installs, aligns and repairs machinery in 1,000 client plants). Plant
 * reference data, the machine directory, a cache of rendered machine drawings at its cap, a pool of
 * vibration-telemetry buffers, a ring of completed-job summaries, and the in-flight work-order
 * registry: a HashMap keyed by a WorkOrderKey whose equals/hashCode include the phase. When a
 * technician arrives on site the code sets the key's phase to ON_SITE (to keep the dispatch board's
 * grouping key in step with the order); on completion it calls inFlight.remove(order.key), which
 * hashes the mutated key, misses the entry stored under the SCHEDULED hash, and silently returns
 * null. Every order that was ever on site stays in the registry. See VALIDATION47.md.
 */
public final class Val47LeakMillwrights {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PLANTS = 1_000, MACHINES = 26_000, DRAWING_CAP = 2_000, POOL = 8, RING = 16_384, ORDERS_PER_HOUR = 2_400, HOURS = 10;
    static boolean FIXED;

    record Plant(String code, String name, String region, double[] vibrationBaseline) {}
    record Machine(String assetId, String plantCode, String type, byte[] spec, long installedAt) {}
    record Drawing(String key, byte[] rendered, long at) {}
    record JobSummary(long ticket, String assetId, String technician, int minutesOnSite, long closedAt) {}

    /** Key of the in-flight registry; the dispatch board groups by phase, so the phase is part of the key. */
    static final class WorkOrderKey {
        final String plantCode, assetId;
        final long ticket;
        String phase;
        WorkOrderKey(String plantCode, String assetId, long ticket, String phase) { this.plantCode = plantCode; this.assetId = assetId; this.ticket = ticket; this.phase = phase; }
        @Override public boolean equals(Object o) {
            return o instanceof WorkOrderKey k && k.ticket == ticket && k.plantCode.equals(plantCode) && k.assetId.equals(assetId) && k.phase.equals(phase);
        }
        @Override public int hashCode() { return Objects.hash(plantCode, assetId, ticket, phase); }
    }

    static final class WorkOrder {
        final WorkOrderKey key;
        final String technician, fault;
        final long openedAt;
        long onSiteAt, closedAt;
        String status = "SCHEDULED";
        final byte[] checklist;
        WorkOrder(WorkOrderKey key, String technician, String fault, long openedAt, byte[] checklist) { this.key = key; this.technician = technician; this.fault = fault; this.openedAt = openedAt; this.checklist = checklist; }
    }

    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Plant> PLANTS_BY_CODE = new HashMap<>();

    static final class Dispatcher {
        final Map<String, Machine> machines = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final JobSummary[] completed = new JobSummary[RING];
        final Map<WorkOrderKey, WorkOrder> inFlight = new HashMap<>();
        long opened, dispatched, cancelled, closed, missedRemovals;

        void open(WorkOrder o) { inFlight.put(o.key, o); opened++; }
        void arriveOnSite(WorkOrder o, long at) {
            o.status = "ON_SITE";
            o.onSiteAt = at;
            if (!FIXED) o.key.phase = "ON_SITE"; // BUG: mutates a field that the key's hashCode uses while the key is in the map
            dispatched++;
        }
        void cancel(WorkOrder o, long at) {
            o.status = "CANCELLED";
            o.closedAt = at;
            if (inFlight.remove(o.key) == null) missedRemovals++;
            cancelled++;
        }
        void complete(WorkOrder o, long at) {
            o.status = "DONE";
            o.closedAt = at;
            if (inFlight.remove(o.key) == null) missedRemovals++; // the lookup misses: the return value is not checked
            completed[(int) (closed % RING)] = new JobSummary(o.key.ticket, o.key.assetId, o.technician, (int) ((at - o.onSiteAt) / MINUTE), at);
            closed++;
        }
    }

    static final int OPEN = 0, ARRIVE = 1, COMPLETE = 2, CANCEL = 3;

    static final class Event implements Comparable<Event> {
        final long at, seq; final int kind; final WorkOrder order;
        Event(long at, long seq, int kind, WorkOrder order) { this.at = at; this.seq = seq; this.kind = kind; this.order = order; }
        @Override public int compareTo(Event o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static Dispatcher SERVICE;

    static final String[] TYPES = {"Roller mill", "Conveyor", "Gearbox", "Extruder", "Press", "Kiln drive", "Pump train", "Crusher"};
    static final String[] FAULTS = {"misalignment", "bearing wear", "vibration", "seal leak", "belt slip", "overheating", "shaft runout"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val47.fixed");
        int ordersTotal = ORDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(47_020_001);
        String[] plantCodes = new String[PLANTS];
        for (int p = 0; p < PLANTS; p++) {
            double[] baseline = new double[80];
            for (int k = 0; k < baseline.length; k++) baseline[k] = rnd.nextDouble() * 12;
            plantCodes[p] = "PL-" + (40_000 + p);
            PLANTS_BY_CODE.put(plantCodes[p], new Plant(plantCodes[p], "Plant " + p, "Region " + (p % 14), baseline));
        }
        Dispatcher svc = new Dispatcher();
        SERVICE = svc;
        String[] assetIds = new String[MACHINES];
        String[] assetPlants = new String[MACHINES];
        for (int m = 0; m < MACHINES; m++) {
            assetIds[m] = "MW-" + (800_000 + m * 3);
            assetPlants[m] = plantCodes[rnd.nextInt(PLANTS)];
            svc.machines.put(assetIds[m], new Machine(assetIds[m], assetPlants[m], TYPES[m % TYPES.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        String[] technicians = new String[180];
        for (int k = 0; k < technicians.length; k++) technicians[k] = "tech-" + (100 + k);
        simulate(svc, ordersTotal, start, end, assetIds, assetPlants, technicians);

        long open = svc.opened - svc.cancelled - svc.closed;
        long stale = 0;
        for (WorkOrder o : svc.inFlight.values()) if (o.closedAt != 0) stale++;
        System.out.println((FIXED ? "FIXED " : "") + "plants " + PLANTS_BY_CODE.size() + " machines " + svc.machines.size() + " in-flight registry " + svc.inFlight.size() + " (closed orders in it " + stale + ", open " + open
                + ") opened " + svc.opened + " on site " + svc.dispatched + " cancelled " + svc.cancelled + " completed " + svc.closed + " missed removals " + svc.missedRemovals
                + " drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted + ") pool " + svc.telemetryBuffers.size());
        check(PLANTS_BY_CODE.size() == PLANTS && svc.machines.size() == MACHINES, "reference data / directory");
        check(svc.opened == ordersTotal, "orders opened");
        if (FIXED) check(svc.inFlight.size() == open && stale == 0 && svc.missedRemovals == 0, "registry holds open orders only");
        else check(svc.inFlight.size() == open + svc.closed && stale == svc.closed && svc.missedRemovals == svc.closed, "every completed order stays: " + svc.inFlight.size());
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted > 0, "drawing cache at cap");
        check(svc.telemetryBuffers.size() == POOL, "pool");
        check(svc.closed > RING && svc.completed[RING - 1] != null, "completed ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Work orders open evenly over 10 hours; 1 in 12 is cancelled 5-60 minutes later (before anyone goes
     * out), the others get a technician on site 5-35 minutes after opening and are completed 10-90
     * minutes later. Events due at or after the dump have not happened yet (those orders are open).
     */
    static void simulate(Dispatcher svc, int ordersTotal, long start, long end, String[] assetIds, String[] assetPlants, String[] technicians) {
        Random traffic = new Random(47_020_002);
        PriorityQueue<Event> queue = new PriorityQueue<>();
        long seq = 0;
        for (int i = 0; i < ordersTotal; i++) queue.add(new Event(start + (end - MINUTE - start) * i / ordersTotal, seq++, OPEN, null));
        long ticket = 61_000_000L;
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            switch (e.kind) {
                case OPEN -> {
                    int m = traffic.nextInt(assetIds.length);
                    WorkOrder o = new WorkOrder(new WorkOrderKey(assetPlants[m], assetIds[m], ticket++, "SCHEDULED"), technicians[traffic.nextInt(technicians.length)],
                            FAULTS[traffic.nextInt(FAULTS.length)], e.at, new byte[160 + traffic.nextInt(160)]);
                    svc.open(o);
                    String key = "dwg-" + assetIds[traffic.nextInt(6_000)];
                    if (svc.drawings.get(key) == null) svc.drawings.put(key, new Drawing(key, new byte[500 + traffic.nextInt(500)], e.at));
                    Event next = traffic.nextInt(12) == 0
                            ? new Event(e.at + (5 + traffic.nextInt(56)) * MINUTE + traffic.nextInt(60) * SECOND, seq++, CANCEL, o)
                            : new Event(e.at + (5 + traffic.nextInt(31)) * MINUTE + traffic.nextInt(60) * SECOND, seq++, ARRIVE, o);
                    if (next.at < end) queue.add(next);
                }
                case ARRIVE -> {
                    svc.arriveOnSite(e.order, e.at);
                    byte[] buf = svc.telemetryBuffers.poll();
                    buf[(int) (svc.dispatched % buf.length)] = (byte) svc.dispatched;
                    svc.telemetryBuffers.add(buf);
                    long done = e.at + (10 + traffic.nextInt(81)) * MINUTE + traffic.nextInt(60) * SECOND;
                    if (done < end) queue.add(new Event(done, seq++, COMPLETE, e.order));
                }
                case COMPLETE -> svc.complete(e.order, e.at);
                case CANCEL -> svc.cancel(e.order, e.at);
                default -> throw new IllegalStateException("kind " + e.kind);
            }
        }
    }
}
