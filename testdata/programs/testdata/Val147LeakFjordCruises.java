// hprofscan-dump: name=val147-leak-fjordcruises-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val147-leak-fjordcruises-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val147-leak-fjordcruises jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val147-leak-fjordcruises-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 147 (written blind), LEAK: a booking platform hosting 64 fjord-cruise operators
 * (tenants). Port reference data, the booking directory, a cache of rendered itinerary pages at
 * its cap, a pool of boarding-pass print buffers, a ring of recent check-ins, and a per-tenant
 * audit trail: a map from operator id (a fixed set of 64) to a TenantTrail whose ArrayDeque gets
 * one AuditEvent per booking change. Housekeeping every 5 minutes is meant to drop events older
 * than one hour, but it trims the list returned by TenantTrail.events(), a defensive copy, so the
 * deques only grow in depth. See VALIDATION147.md.
 */
public final class Val147LeakFjordCruises {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, HOUSEKEEPING_EVERY = 5 * MINUTE, RETENTION = HOUR;
    static final int PORTS = 900, OPERATORS = 64, BOOKINGS = 24_000, ITINERARY_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Port(String code, String fjord, double[] tideTable) {}
    record Booking(String ref, String operatorId, String portCode, String passenger, byte[] manifest, long bookedAt) {}
    record ItineraryPage(String key, byte[] rendered, long at) {}
    record CheckIn(String bookingRef, String gate, long at) {}
    record AuditEvent(long seq, String operatorId, String actor, String action, String bookingRef, long at, byte[] diff) {}

    /** One operator's audit trail. */
    static final class TenantTrail {
        final String operatorId;
        final ArrayDeque<AuditEvent> events = new ArrayDeque<>();
        long appended, trimmed;
        TenantTrail(String operatorId) { this.operatorId = operatorId; }
        void append(AuditEvent e) { events.addLast(e); appended++; }
        /** A read-only view for the audit screen: a defensive copy. */
        List<AuditEvent> events() { return new ArrayList<>(events); }
        /** The fix: drops the real deque's head while it is older than the cutoff. */
        int trimOlderThan(long cutoff) {
            int n = 0;
            while (!events.isEmpty() && events.peekFirst().at() < cutoff) { events.pollFirst(); n++; }
            trimmed += n;
            return n;
        }
    }

    static final class AuditLog {
        final Map<String, TenantTrail> trails = new HashMap<>();
        long housekeepingRuns, removedByHousekeeping;
        void record(AuditEvent e) { trails.computeIfAbsent(e.operatorId(), TenantTrail::new).append(e); }
        void housekeeping(long now) {
            long cutoff = now - RETENTION;
            for (TenantTrail trail : trails.values()) {
                if (FIXED) {
                    removedByHousekeeping += trail.trimOlderThan(cutoff);
                } else {
                    // BUG: events() is a copy; removeIf trims the copy, the deque keeps everything
                    List<AuditEvent> view = trail.events();
                    view.removeIf(ev -> ev.at() < cutoff);
                }
            }
            housekeepingRuns++;
        }
    }

    static final class ItineraryCache extends LinkedHashMap<String, ItineraryPage> {
        long evicted;
        ItineraryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ItineraryPage> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class Platform {
        final Map<String, Booking> bookings = new HashMap<>();
        final ItineraryCache itineraries = new ItineraryCache();
        final ArrayDeque<byte[]> passBuffers = new ArrayDeque<>();
        final CheckIn[] recentCheckIns = new CheckIn[RING];
        long checkIns;
        final AuditLog audit = new AuditLog();
    }

    static Platform SERVICE;
    static int HOURS, EVENTS;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build(int stage) {
        HOURS = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        EVENTS = EVENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_010_001);
        String[] fjords = {"Geirangerfjord", "Naeroyfjord", "Sognefjord", "Hardangerfjord", "Lysefjord", "Trollfjord"};
        String[] portCodes = new String[PORTS];
        for (int p = 0; p < PORTS; p++) {
            double[] tide = new double[64];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 3.5;
            String code = "NO-" + (3_000 + p);
            portCodes[p] = code;
            PORTS_BY_CODE.put(code, new Port(code, fjords[p % fjords.length], tide));
        }
        String[] operators = new String[OPERATORS];
        for (int o = 0; o < OPERATORS; o++) operators[o] = "op-" + (100 + o);
        Platform svc = new Platform();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            String ref = "FJ" + (4_000_000 + b * 7);
            refs[b] = ref;
            svc.bookings.put(ref, new Booking(ref, operators[b % OPERATORS], portCodes[rnd.nextInt(PORTS)], "Passenger " + (b % 9_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.passBuffers.add(new byte[32_768]);
        Random traffic = new Random(147_010_002);
        String[] actions = {"BOOKING_CREATED", "SEAT_CHANGED", "PASSENGER_RENAMED", "REFUND_ISSUED", "CABIN_UPGRADED", "BOOKING_CANCELLED"};
        long nextHousekeeping = start + HOUSEKEEPING_EVERY;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            while (nextHousekeeping <= t) { svc.audit.housekeeping(nextHousekeeping); nextHousekeeping += HOUSEKEEPING_EVERY; }
            // operators differ in size: a quarter of the traffic goes to the 8 biggest
            int op = traffic.nextInt(4) == 0 ? traffic.nextInt(8) : traffic.nextInt(OPERATORS);
            String ref = refs[traffic.nextInt(BOOKINGS)];
            String actor = "agent-" + operators[op].substring(3) + "-" + traffic.nextInt(40);
            svc.audit.record(new AuditEvent(70_000_000L + i, operators[op], actor, actions[traffic.nextInt(actions.length)], ref, t, new byte[48 + traffic.nextInt(64)]));
            if (i % 2 == 0) {
                svc.recentCheckIns[(int) (svc.checkIns++ % RING)] = new CheckIn(ref, "gate-" + traffic.nextInt(12), t);
                String key = "itin-" + traffic.nextInt(6_000);
                if (svc.itineraries.get(key) == null) svc.itineraries.put(key, new ItineraryPage(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.passBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.passBuffers.add(buf);
            }
        }
    }

    static void verify(int stage) {
        Platform svc = SERVICE;
        AuditLog a = svc.audit;
        long held = 0, appended = 0, oldest = Long.MAX_VALUE, olderThanHour = 0;
        int maxDepth = 0, minDepth = Integer.MAX_VALUE;
        for (TenantTrail tt : a.trails.values()) {
            held += tt.events.size();
            appended += tt.appended;
            maxDepth = Math.max(maxDepth, tt.events.size());
            minDepth = Math.min(minDepth, tt.events.size());
            if (!tt.events.isEmpty()) oldest = Math.min(oldest, tt.events.peekFirst().at());
            for (AuditEvent e : tt.events) if (e.at() < END - RETENTION) olderThanHour++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hours " + HOURS + " ports " + PORTS_BY_CODE.size() + " bookings " + svc.bookings.size()
                + " trails " + a.trails.size() + " audit events held " + held + " appended " + appended + " older than 1h at the dump " + olderThanHour
                + " depth min/max " + minDepth + "/" + maxDepth + " oldest age min " + (END - oldest) / MINUTE + " housekeeping runs " + a.housekeepingRuns
                + " removed " + a.removedByHousekeeping + " itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ") pool " + svc.passBuffers.size()
                + " checkIns " + svc.checkIns);
        check(PORTS_BY_CODE.size() == PORTS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(a.trails.size() == OPERATORS, "one trail per operator");
        check(appended == EVENTS, "audit traffic");
        check(a.housekeepingRuns == HOURS * 12 - 1, "housekeeping runs " + a.housekeepingRuns);
        if (FIXED) check(held < EVENTS_PER_HOUR + 700 && held + a.removedByHousekeeping == EVENTS, "trimmed trails: " + held);
        else check(held == EVENTS && a.removedByHousekeeping == 0, "trails keep everything: " + held);
        check(svc.itineraries.size() == ITINERARY_CAP && svc.itineraries.evicted > 0, "itinerary cache at cap");
        check(svc.passBuffers.size() == POOL, "pool");
        check(svc.checkIns == EVENTS / 2 && svc.recentCheckIns[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val147.fixed");
        int stage = Integer.parseInt(args[2]);
        build(stage);
        verify(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
