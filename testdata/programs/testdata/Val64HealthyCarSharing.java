// hprofscan-dump: name=val64-healthy-carsharing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val64-healthy-carsharing-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.text.SimpleDateFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * Validation set 64 (written blind), HEALTHY: the trip service of a city car-sharing operator. Zone
 * reference data, the vehicle directory, a cache of rendered trip quotes at its cap, a ring of
 * telematics pings, a pool of unlock-command buffers, per-member "recently viewed" vehicle lists
 * capped at 20 (compared as int), a date formatter per thread held in a ThreadLocal (only main
 * exists), an event bus whose dead-event handler only counts per type, and a heartbeat timer for the
 * open vehicle telematics connections (run on main; cancelled and removed on disconnect). 10 h of
 * traffic. See VALIDATION64.md.
 */
public final class Val64HealthyCarSharing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_000, VEHICLES = 24_000, MEMBERS = 600, MAX_RECENT = 20, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384,
            STEPS = 50_000, HOURS = 10;
    static final long HEARTBEAT_MS = 20_000L;

    record Zone(String code, String district, double[] demandByHour) {}
    record Vehicle(String plate, String model, String homeZone, byte[] maintenanceLog, long commissionedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Ping(String plate, double lat, double lon, int batteryPct, long at) {}
    record ViewedVehicle(int seq, String plate, long at) {}
    record TripStarted(String plate, String memberId, long at) {}
    record TripEnded(String plate, String memberId, long at) {}
    record TyrePressureLow(String plate, int kpa, long at) {}

    static final class MemberActivity {
        final String memberId;
        int nextSeq;
        final ArrayDeque<ViewedVehicle> recentlyViewed = new ArrayDeque<>();
        MemberActivity(String memberId, int lifetimeViews) { this.memberId = memberId; this.nextSeq = lifetimeViews; }
        void viewed(String plate, long at) {
            int seq = nextSeq++;
            recentlyViewed.addLast(new ViewedVehicle(seq, plate, at));
            if (seq == recentlyViewed.peekFirst().seq() + MAX_RECENT) recentlyViewed.pollFirst();
        }
    }

    static final class EventBus {
        final Map<Class<?>, List<Consumer<Object>>> subscribers = new HashMap<>();
        final Map<String, Long> deadCounts = new HashMap<>();
        long posted, dead;
        void subscribe(Class<?> type, Consumer<Object> h) { subscribers.computeIfAbsent(type, k -> new ArrayList<>()).add(h); }
        void post(Object event) {
            posted++;
            List<Consumer<Object>> hs = subscribers.get(event.getClass());
            if (hs == null) { dead++; deadCounts.merge(event.getClass().getSimpleName(), 1L, Long::sum); return; }
            for (Consumer<Object> h : hs) h.accept(event);
        }
    }

    static final class TelematicsLink {
        final String plate, sessionKey;
        final byte[] sendBuffer;
        final long connectedAt;
        long plannedDisconnectAt, nextHeartbeatAt, heartbeats;
        TelematicsLink(String plate, String sessionKey, byte[] sendBuffer, long connectedAt) { this.plate = plate; this.sessionKey = sessionKey; this.sendBuffer = sendBuffer; this.connectedAt = connectedAt; }
    }

    static final class PageCache extends LinkedHashMap<String, Quote> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();
    static final ThreadLocal<SimpleDateFormat> RECEIPT_FORMAT = ThreadLocal.withInitial(() -> {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f;
    });

    static final class FleetService {
        final Map<String, Vehicle> vehicles = new HashMap<>();
        final PageCache quotes = new PageCache();
        final Ping[] pings = new Ping[RING];
        final ArrayDeque<byte[]> unlockBuffers = new ArrayDeque<>();
        final Map<String, MemberActivity> members = new HashMap<>();
        final EventBus bus = new EventBus();
        final Map<String, TelematicsLink> links = new HashMap<>();
        final PriorityQueue<TelematicsLink> heartbeatQueue = new PriorityQueue<>((a, b) -> Long.compare(a.nextHeartbeatAt, b.nextHeartbeatAt));
        long pingsWritten, trips, receipts, connects, disconnects;
    }

    static FleetService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(64_060_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] demand = new double[96];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 50;
            zoneCodes[z] = "ZN-" + (4_000 + z);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + (z % 60), demand));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        String[] plates = new String[VEHICLES];
        String[] models = {"City EV", "Compact", "Estate", "Van", "Cabrio"};
        for (int v = 0; v < VEHICLES; v++) {
            plates[v] = "CS-" + (100_000 + v);
            svc.vehicles.put(plates[v], new Vehicle(plates[v], models[v % models.length], zoneCodes[rnd.nextInt(ZONES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        MemberActivity[] members = new MemberActivity[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            members[m] = new MemberActivity("DRV-" + (60_000 + m), 200 + rnd.nextInt(20_000));
            svc.members.put(members[m].memberId, members[m]);
        }
        for (int b = 0; b < POOL; b++) svc.unlockBuffers.add(new byte[32_768]);
        svc.bus.subscribe(TripStarted.class, e -> svc.trips++);
        svc.bus.subscribe(TripEnded.class, e -> { RECEIPT_FORMAT.get().format(new Date(((TripEnded) e).at())); svc.receipts++; });
        Random traffic = new Random(64_060_002);
        PriorityQueue<TelematicsLink> disconnecting = new PriorityQueue<>((a, b) -> Long.compare(a.plannedDisconnectAt, b.plannedDisconnectAt));
        int[] viewsBy = new int[MEMBERS];
        long fired = 0;
        for (int i = 0; i < STEPS; i++) {
            long t = start + (end - MINUTE - start) * i / STEPS;
            while (!svc.heartbeatQueue.isEmpty() && svc.heartbeatQueue.peek().nextHeartbeatAt <= t) {
                TelematicsLink l = svc.heartbeatQueue.poll();
                l.sendBuffer[0] = 1;
                l.heartbeats++;
                fired++;
                l.nextHeartbeatAt += HEARTBEAT_MS;
                svc.heartbeatQueue.add(l);
            }
            while (!disconnecting.isEmpty() && disconnecting.peek().plannedDisconnectAt <= t) {
                TelematicsLink l = disconnecting.poll();
                svc.heartbeatQueue.remove(l); // heartbeat cancelled with the link
                svc.links.remove(l.plate);
                svc.disconnects++;
            }
            String plate = plates[traffic.nextInt(VEHICLES)];
            int m = traffic.nextInt(MEMBERS);
            members[m].viewed(plate, t);
            viewsBy[m]++;
            svc.pings[(int) (svc.pingsWritten % RING)] = new Ping(plate, 52 + traffic.nextDouble(), 13 + traffic.nextDouble(), traffic.nextInt(101), t);
            svc.pingsWritten++;
            switch (traffic.nextInt(5)) {
                case 0 -> svc.bus.post(new TripStarted(plate, members[m].memberId, t));
                case 1 -> svc.bus.post(new TripEnded(plate, members[m].memberId, t));
                case 2 -> svc.bus.post(new TyrePressureLow(plate, 150 + traffic.nextInt(60), t));
                default -> { }
            }
            if (i % 10 == 0 && !svc.links.containsKey(plate)) {
                TelematicsLink l = new TelematicsLink(plate, Long.toHexString(traffic.nextLong()), new byte[512 + traffic.nextInt(512)], t);
                l.plannedDisconnectAt = t + (10 + traffic.nextInt(50)) * MINUTE;
                l.nextHeartbeatAt = t + HEARTBEAT_MS;
                svc.links.put(plate, l);
                svc.heartbeatQueue.add(l);
                disconnecting.add(l);
                svc.connects++;
                byte[] buf = svc.unlockBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.unlockBuffers.add(buf);
            }
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
        }
        long listed = 0, expected = 0;
        for (int m = 0; m < MEMBERS; m++) { listed += members[m].recentlyViewed.size(); expected += Math.min(viewsBy[m], MAX_RECENT); }
        System.out.println("zones " + ZONES_BY_CODE.size() + " vehicles " + svc.vehicles.size() + " members " + svc.members.size() + " recently-viewed entries " + listed
                + " bus posted " + svc.bus.posted + " dead " + svc.bus.dead + " deadCounts " + svc.bus.deadCounts + " links open " + svc.links.size() + " (connects " + svc.connects
                + ") heartbeat queue " + svc.heartbeatQueue.size() + " fired " + fired + " receipts " + svc.receipts + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted
                + ") pings " + svc.pingsWritten + " pool " + svc.unlockBuffers.size());
        check(ZONES_BY_CODE.size() == ZONES && svc.vehicles.size() == VEHICLES && svc.members.size() == MEMBERS, "reference data / directories");
        check(listed == expected && listed == (long) MEMBERS * MAX_RECENT, "recently viewed capped: " + listed);
        check(svc.bus.deadCounts.size() == 1 && svc.bus.subscribers.size() == 2, "bus");
        check(svc.heartbeatQueue.size() == svc.links.size() && svc.connects - svc.disconnects == svc.links.size(), "heartbeats of connected links only");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.unlockBuffers.size() == POOL, "pool");
        check(svc.pingsWritten == STEPS && svc.pings[RING - 1] != null, "ping ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
