// hprofscan-dump: name=val63-healthy-coachtours-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val63-healthy-coachtours-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val63-healthy-coachtours jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val63-healthy-coachtours-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Validation set 63 (written blind), HEALTHY: the booking and live-tracking service of a coach tour
 * operator. Depot reference data, the booking directory, a cache of rendered itineraries at its cap,
 * a ring of coach GPS pings (fills in stage 2), and look-alikes of the set's four leaks done right:
 * a seat-map readiness future that is completed at startup (each request's thenAccept runs at once),
 * a CompositeDisposable of live-map subscriptions from which each request removes its handle, an
 * outbound HTTP keep-alive pool keyed by a fixed set of partner hosts with idle eviction, and a pool
 * of ticket-printer buffers with a lease tracker whose records are removed on release.
 * See VALIDATION63.md.
 */
public final class Val63HealthyCoachTours {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 60_000L;
    static final int DEPOTS = 1_400, BOOKINGS = 25_000, ITINERARY_CAP = 2_000, POOL = 8, GPS_RING = 8_192, PARTNERS = 24, EVENTS_PER_HOUR = 6_000, IN_FLIGHT = 6;

    record Depot(String code, String city, double[] weeklyDepartures) {}
    record Booking(String reference, String tourCode, String lead, byte[] manifestLine, long bookedAt) {}
    record Itinerary(String key, byte[] rendered, long at) {}
    record GpsPing(String coach, double lat, double lon, long at) {}
    record SeatMap(Map<String, boolean[]> seatsByTour, long builtAt) {}
    record TrackRequest(long id, String reference, long at, byte[] viewState) {}
    record LeaseTrace(long leaseId, String purpose, long at, Throwable acquiredAt) {}
    record Lease(long id, byte[] buffer) {}

    interface Disposable { void dispose(); boolean isDisposed(); }

    static final class CompositeDisposable {
        final Set<Disposable> resources = new HashSet<>();
        void add(Disposable d) { resources.add(d); }
        boolean remove(Disposable d) { if (resources.remove(d)) { d.dispose(); return true; } return false; }
    }

    static final class LiveMap {
        final List<Subscription> subscribers = new ArrayList<>();
        long ids;
        Subscription subscribe(Consumer<GpsPing> c) { Subscription s = new Subscription(this, ids++, c); subscribers.add(s); return s; }
        void publish(GpsPing p) { for (Subscription s : subscribers) s.onPing.accept(p); }
    }

    static final class Subscription implements Disposable {
        final LiveMap map; final long id; final Consumer<GpsPing> onPing; boolean disposed;
        Subscription(LiveMap map, long id, Consumer<GpsPing> onPing) { this.map = map; this.id = id; this.onPing = onPing; }
        @Override public void dispose() { if (!disposed) { disposed = true; map.subscribers.remove(this); } }
        @Override public boolean isDisposed() { return disposed; }
    }

    static final class Connection {
        final String host; long lastUsedAt; final byte[] readBuffer = new byte[1_024];
        Connection(String host, long at) { this.host = host; this.lastUsedAt = at; }
    }

    /** Keep-alive pool keyed by partner host (hotels, ferry lines, attractions), idle connections closed after 60 s. */
    static final class HttpClient {
        final Map<String, ArrayDeque<Connection>> idleByHost = new HashMap<>();
        long opened, reused, closed;
        Connection lease(String host, long at) {
            sweep(at);
            ArrayDeque<Connection> q = idleByHost.get(host);
            Connection c = q == null ? null : q.pollFirst();
            if (c != null) { reused++; return c; }
            opened++;
            return new Connection(host, at);
        }
        void release(Connection c, long at) { c.lastUsedAt = at; idleByHost.computeIfAbsent(c.host, h -> new ArrayDeque<>()).addFirst(c); }
        void sweep(long at) {
            for (Iterator<ArrayDeque<Connection>> it = idleByHost.values().iterator(); it.hasNext();) {
                ArrayDeque<Connection> q = it.next();
                while (!q.isEmpty() && at - q.peekLast().lastUsedAt > IDLE_TIMEOUT) { q.pollLast(); closed++; }
                if (q.isEmpty()) it.remove();
            }
        }
        int idle() { int n = 0; for (ArrayDeque<Connection> q : idleByHost.values()) n += q.size(); return n; }
    }

    /** Ticket-printer buffer pool with a lease tracker (records dropped on release). */
    static final class PrinterPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final Map<Long, LeaseTrace> outstanding = new HashMap<>();
        long leases;
        PrinterPool() { for (int i = 0; i < POOL; i++) free.add(new byte[32_768]); }
        Lease acquire(String purpose, long at) {
            long id = 3_000_000L + leases++;
            outstanding.put(id, new LeaseTrace(id, purpose, at, new Throwable("printer buffer acquired")));
            return new Lease(id, free.poll());
        }
        void release(Lease l) { outstanding.remove(l.id()); free.add(l.buffer()); }
    }

    static final class ItineraryCache extends LinkedHashMap<String, Itinerary> {
        long evicted;
        ItineraryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Itinerary> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class TourService {
        final Map<String, Booking> bookings = new HashMap<>();
        final ItineraryCache itineraries = new ItineraryCache();
        final GpsPing[] gps = new GpsPing[GPS_RING];
        long pings, seatChecks, pushed;
        final CompletableFuture<SeatMap> seatMapReady = new CompletableFuture<>();
        final LiveMap liveMap = new LiveMap();
        final CompositeDisposable trackingSubscriptions = new CompositeDisposable();
        final ArrayDeque<Subscription> open = new ArrayDeque<>();
        final HttpClient partners = new HttpClient();
        final PrinterPool printers = new PrinterPool();
        final ArrayDeque<Lease> printing = new ArrayDeque<>();

        void track(TrackRequest req) {
            seatMapReady.thenAccept(m -> { if (req.viewState().length > 0 && m.builtAt() > 0) seatChecks++; });
            Subscription s = liveMap.subscribe(p -> { if (req.viewState().length > 0) pushed++; });
            trackingSubscriptions.add(s);
            open.addLast(s);
            while (open.size() > IN_FLIGHT) trackingSubscriptions.remove(open.removeFirst());
        }
        void confirmWithPartner(String host, long at) { Connection c = partners.lease(host, at); c.readBuffer[(int) (at % 1_024)] = 1; partners.release(c, at + 80); }
        void printTicket(String purpose, long at, boolean keepHeld) {
            printing.addLast(printers.acquire(purpose, at));
            while (printing.size() > (keepHeld ? 2 : 0)) printers.release(printing.removeFirst());
        }
    }

    static TourService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(63_050_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] deps = new double[64];
            for (int k = 0; k < deps.length; k++) deps[k] = rnd.nextDouble() * 40;
            depotCodes[d] = "DEP-" + (d / 100) + "-" + (d % 100);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "City " + (d % 250), deps));
        }
        TourService svc = new TourService();
        SERVICE = svc;
        String[] refs = new String[BOOKINGS];
        for (int b = 0; b < BOOKINGS; b++) {
            refs[b] = "CT" + (80_000_000 + b * 11);
            svc.bookings.put(refs[b], new Booking(refs[b], "TOUR-" + rnd.nextInt(600), "Lead " + b, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        Map<String, boolean[]> seats = new HashMap<>();
        for (int t = 0; t < 600; t++) seats.put("TOUR-" + t, new boolean[53]);
        svc.seatMapReady.complete(new SeatMap(seats, start));
        String[] partnerHosts = new String[PARTNERS];
        for (int p = 0; p < PARTNERS; p++) partnerHosts[p] = "api.partner" + p + ".example.net";
        Random traffic = new Random(63_050_002);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            GpsPing ping = new GpsPing("COACH-" + traffic.nextInt(300), 50 + traffic.nextDouble(), -3 + traffic.nextDouble() * 4, t);
            svc.gps[(int) (svc.pings++ % GPS_RING)] = ping;
            svc.liveMap.publish(ping);
            if (i % 3 == 0) svc.track(new TrackRequest(90_000_000L + i, refs[traffic.nextInt(BOOKINGS)], t, new byte[60 + traffic.nextInt(60)]));
            if (i % 4 == 0) svc.confirmWithPartner(partnerHosts[traffic.nextInt(PARTNERS)], t);
            if (i % 5 == 0) svc.printTicket(i % 2 == 0 ? "boarding-pass" : "voucher", t, i >= events - 10);
            String key = "itin-" + traffic.nextInt(4_000);
            if (svc.itineraries.get(key) == null) svc.itineraries.put(key, new Itinerary(key, new byte[600 + traffic.nextInt(600)], t));
        }
        int tracked = (events + 2) / 3;
        System.out.println("stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " bookings " + svc.bookings.size() + " gps ring " + Math.min(svc.pings, GPS_RING) + " (written " + svc.pings + ") tracked " + tracked + " seatChecks " + svc.seatChecks
                + " dependents " + svc.seatMapReady.getNumberOfDependents() + " composite " + svc.trackingSubscriptions.resources.size() + " live subscribers " + svc.liveMap.subscribers.size()
                + " partner pools " + svc.partners.idleByHost.size() + " idle " + svc.partners.idle() + " (opened " + svc.partners.opened + ", reused " + svc.partners.reused + ", closed " + svc.partners.closed + ") printer leases " + svc.printers.leases
                + " outstanding " + svc.printers.outstanding.size() + " free " + svc.printers.free.size() + " itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ")");
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.bookings.size() == BOOKINGS, "reference data / directory");
        check(svc.pings == events && svc.gps[Math.min(events, GPS_RING) - 1] != null, "gps ring");
        check(svc.seatMapReady.getNumberOfDependents() == 0 && svc.seatChecks == tracked, "readiness future completed, callbacks ran");
        check(svc.trackingSubscriptions.resources.size() == IN_FLIGHT && svc.liveMap.subscribers.size() == IN_FLIGHT, "composite holds only open requests");
        check(svc.partners.idleByHost.size() <= PARTNERS && svc.partners.idle() <= PARTNERS, "partner pool bounded");
        check(svc.printers.outstanding.size() == 2 && svc.printers.free.size() == POOL - 2, "printer leases tracked while held");
        check(svc.itineraries.size() == ITINERARY_CAP && svc.itineraries.evicted > 0, "itinerary cache at cap");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
