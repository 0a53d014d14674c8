// hprofscan-dump: name=val130-leak-themeparkrides jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val130-leak-themeparkrides-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 130 (written blind), LEAK: the virtual-queue (ride reservation) service of a theme
 * park. Guests book a return time for a ride; a pool of {@code vq-worker} threads runs each booking
 * through {@code ReservationGateway.current} (a volatile handler chain: retries of a busy ride
 * controller, per-ride metering, then the ride's queue controller). Ride and ticket-product
 * reference data, the directory of today's tickets, a cache of rendered return-time passes at its
 * cap, a pool of QR render buffers, a ring of bookings and a queue of ride-closure notifications
 * with a normal backlog.
 *
 * <p>The leak: the ride-status board pushes a new park configuration every time a ride opens,
 * closes or goes on a weather hold (about every 2 minutes), and {@code reload} replaces the handler
 * with {@code new RetryingHandler(new MeteringHandler(current, cfg), cfg)}: it wraps the current
 * chain instead of the base controller, so every earlier generation (its config snapshot of the 60
 * rides, its per-ride metering tables and retry budgets) stays linked below the newest one. At the
 * dump three workers are in the middle of a booking: two wait for the ride controller's reply in the
 * base, one waits for the statistics lock of an old metering layer, held by the metrics exporter
 * that is walking the chain. The fix wraps the base. See VALIDATION130.md.
 */
public final class Val130LeakThemeParkRides {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int RIDES = 60, PRODUCTS = 1_000, TICKETS = 20_000, PASS_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, BOOKINGS = 30_000, WORKERS = 6, BUCKETS = 32, EXPORT_BLOCK_GEN = 40;
    static final String[] AREAS = {"Pirate Cove", "Frontier Town", "Dragon Keep", "Galaxy Port", "Jungle Falls", "Kiddie Meadow"};
    static final String[] STATUSES = {"OPEN", "OPEN", "OPEN", "OPEN", "WEATHER_HOLD", "CLOSED_TECHNICAL", "OPEN_SINGLE_RIDER"};
    static boolean FIXED;

    record Ride(String rideId, String name, String area, int minHeightCm, double[] waitBaselineByQuarterHour) {}
    record TicketProduct(String sku, String name, double[] priceByDemandLevel) {}
    record Ticket(String ticketId, String sku, String holder, byte[] entitlements, long issuedAt) {}
    record ReturnPass(String key, byte[] qr, long at) {}
    record Booking(long bookingId, String ticketId, String rideId, long returnAt, String outcome, long at) {}
    record ClosureNotice(long noticeId, String ticketId, String rideId, String text, long at) {}
    record RideSettings(String rideId, String status, int slotCapacity, int slotMinutes, String notice) {}
    record Confirmation(long bookingId, String rideId, long returnAt) {}

    static final class ParkConfig {
        final long version; final long loadedAt; final Map<String, RideSettings> rides = new HashMap<>();
        ParkConfig(long version, long loadedAt) { this.version = version; this.loadedAt = loadedAt; }
    }

    static class BookingException extends Exception { BookingException(String m) { super(m, null, false, false); } }
    static final class RideBusy extends BookingException { RideBusy(String m) { super(m); } }
    static final class RideUnavailable extends BookingException { RideUnavailable(String m) { super(m); } }

    /** One booking; everything random about it is drawn on main before it is submitted. */
    static final class BookingRequest {
        final long bookingId; final String ticketId; final String rideId; final long at; int busyReplies;
        CountDownLatch controllerReply; CountDownLatch entered; volatile Thread runner; volatile String outcome;
        BookingRequest(long bookingId, String ticketId, String rideId, long at, int busyReplies) { this.bookingId = bookingId; this.ticketId = ticketId; this.rideId = rideId; this.at = at; this.busyReplies = busyReplies; }
    }

    interface ReservationHandler { Confirmation handle(BookingRequest req) throws BookingException; }

    /** The base: the ride's virtual-queue controller. */
    static final class RideControllerHandler implements ReservationHandler {
        final Map<String, String> liveStatus = new HashMap<>();
        final Map<String, long[]> nextSlot = new HashMap<>();
        @Override public Confirmation handle(BookingRequest req) throws BookingException {
            if (req.controllerReply != null) {
                req.runner = Thread.currentThread();
                req.entered.countDown();
                try { req.controllerReply.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new RideBusy("interrupted"); }
            }
            synchronized (this) {
                String status = liveStatus.get(req.rideId);
                if (status.startsWith("CLOSED") || status.equals("WEATHER_HOLD")) throw new RideUnavailable(req.rideId + " is " + status);
                if (req.busyReplies > 0) { req.busyReplies--; throw new RideBusy("controller of " + req.rideId + " busy"); }
                long[] slot = nextSlot.computeIfAbsent(req.rideId, r -> new long[] {req.at});
                slot[0] = Math.max(slot[0], req.at) + 20_000L;
                return new Confirmation(req.bookingId, req.rideId, slot[0]);
            }
        }
    }

    /** Per-ride booking statistics of one configuration generation. */
    static final class MeteringHandler implements ReservationHandler {
        final ReservationHandler next; final ParkConfig config; final long generation;
        final ReentrantLock statsLock = new ReentrantLock();
        final long[] latencyBuckets = new long[64];
        final Map<String, long[]> perRide = new HashMap<>();
        long inFlight, ok, failed;
        MeteringHandler(ReservationHandler next, ParkConfig config) {
            this.next = next; this.config = config; this.generation = config.version;
            for (String ride : config.rides.keySet()) perRide.put(ride, new long[BUCKETS]);
        }
        @Override public Confirmation handle(BookingRequest req) throws BookingException {
            statsLock.lock();
            try { inFlight++; } finally { statsLock.unlock(); }
            boolean success = false;
            try {
                Confirmation c = next.handle(req);
                success = true;
                return c;
            } finally {
                statsLock.lock();
                try {
                    inFlight--;
                    if (success) ok++; else failed++;
                    perRide.get(req.rideId)[(int) (req.bookingId % BUCKETS)]++;
                    latencyBuckets[(int) (req.bookingId % 64)]++;
                } finally { statsLock.unlock(); }
            }
        }
    }

    static final class RetryBudget { int attempts, retries, exhausted; }

    /** Retries a busy controller, with a per-ride budget, for one configuration generation. */
    static final class RetryingHandler implements ReservationHandler {
        final ReservationHandler next; final ParkConfig config; final Map<String, RetryBudget> budgets = new HashMap<>();
        final int[] backoffMs = {50, 100, 200, 400};
        RetryingHandler(ReservationHandler next, ParkConfig config) {
            this.next = next; this.config = config;
            for (String ride : config.rides.keySet()) budgets.put(ride, new RetryBudget());
        }
        @Override public Confirmation handle(BookingRequest req) throws BookingException {
            RetryBudget b;
            synchronized (this) { b = budgets.get(req.rideId); b.attempts++; }
            for (int attempt = 0; ; attempt++) {
                try {
                    return next.handle(req);
                } catch (RideBusy busy) {
                    synchronized (this) { if (attempt + 1 >= backoffMs.length) { b.exhausted++; throw busy; } b.retries++; }
                }
            }
        }
    }

    static final class ReservationGateway {
        final RideControllerHandler base = new RideControllerHandler();
        volatile ReservationHandler current;
        long reloads;

        void reload(ParkConfig cfg) {
            for (RideSettings s : cfg.rides.values()) base.liveStatus.put(s.rideId(), s.status());
            ReservationHandler inner = FIXED ? base : (current == null ? base : current);
            current = new RetryingHandler(new MeteringHandler(inner, cfg), cfg); // BUG: wraps the current chain
            reloads++;
        }

        int depth() {
            int n = 0;
            for (ReservationHandler h = current; h != base; n++) h = h instanceof RetryingHandler ? ((RetryingHandler) h).next : ((MeteringHandler) h).next;
            return n;
        }
    }

    /** Pushes each metering layer's counters to the metrics gateway, newest first. */
    static final class MetricsExporter implements Runnable {
        final ReservationGateway gateway; final CountDownLatch sinkAck = new CountDownLatch(1); volatile MeteringHandler blockedAt; volatile long layersExported;
        MetricsExporter(ReservationGateway gateway) { this.gateway = gateway; }
        @Override public void run() {
            ReservationHandler h = gateway.current;
            while (h != gateway.base) {
                if (h instanceof MeteringHandler) {
                    MeteringHandler m = (MeteringHandler) h;
                    boolean lastLayer = !(m.next instanceof RetryingHandler);
                    m.statsLock.lock();
                    try {
                        layersExported++;
                        if (m.generation <= EXPORT_BLOCK_GEN || lastLayer) { blockedAt = m; sinkAck.await(); } // the push gateway does not answer
                    } catch (InterruptedException e) {
                        return;
                    } finally { m.statsLock.unlock(); }
                    h = m.next;
                } else {
                    h = ((RetryingHandler) h).next;
                }
            }
        }
    }

    static final Map<String, Ride> RIDES_BY_ID = new HashMap<>();
    static final Map<String, TicketProduct> PRODUCTS_BY_SKU = new HashMap<>();

    static final class ReservationService {
        final Map<String, Ticket> tickets = new HashMap<>();
        final String[] ticketIds = new String[TICKETS];
        final String[] rideIds = new String[RIDES];
        final LinkedHashMap<String, ReturnPass> passes = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, ReturnPass> e) { if (size() > PASS_CAP) { passesEvicted++; return true; } return false; }
        };
        long passesEvicted;
        final ArrayDeque<byte[]> qrBuffers = new ArrayDeque<>();
        final Booking[] bookings = new Booking[RING];
        final ArrayDeque<ClosureNotice> notices = new ArrayDeque<>();
        final ReservationGateway gateway = new ReservationGateway();
        ThreadPoolExecutor workers;
        Thread exporterThread; MetricsExporter exporter;
        final AtomicLong confirmed = new AtomicLong(), unavailable = new AtomicLong(), busyGaveUp = new AtomicLong();
        long bookingCount, noticesSent, noticesQueued, configVersion;
        final String[] lastStatus = new String[RIDES];

        ParkConfig nextConfig(Random r, long t) {
            ParkConfig cfg = new ParkConfig(++configVersion, t);
            int changed = r.nextInt(RIDES);
            for (int i = 0; i < RIDES; i++) {
                if (lastStatus[i] == null || i == changed) lastStatus[i] = STATUSES[r.nextInt(STATUSES.length)];
                Ride ride = RIDES_BY_ID.get(rideIds[i]);
                String notice = lastStatus[i].equals("OPEN") ? ride.name() + " (" + ride.area() + "): return times every " + (5 + i % 10) + " minutes, minimum height " + ride.minHeightCm() + " cm"
                        : ride.name() + " (" + ride.area() + "): " + lastStatus[i].toLowerCase().replace('_', ' ') + " since config v" + cfg.version + ", guests with return times will be notified";
                cfg.rides.put(rideIds[i], new RideSettings(rideIds[i], lastStatus[i], 8 + r.nextInt(24), 5 + i % 10, notice));
            }
            return cfg;
        }

        BookingRequest newRequest(Random r, long t) {
            int busy = r.nextInt(10) == 0 ? 1 + r.nextInt(2) : 0;
            return new BookingRequest(31_000_000L + bookingCount++, ticketIds[r.nextInt(TICKETS)], rideIds[r.nextInt(RIDES)], t, busy);
        }

        Future<?> submit(BookingRequest req) {
            return workers.submit(() -> {
                try {
                    Confirmation c = gateway.current.handle(req);
                    confirmed.incrementAndGet();
                    req.outcome = "CONFIRMED " + c.returnAt();
                } catch (RideUnavailable e) {
                    unavailable.incrementAndGet();
                    req.outcome = "UNAVAILABLE";
                } catch (BookingException e) {
                    busyGaveUp.incrementAndGet();
                    req.outcome = "BUSY";
                }
            });
        }

        void book(Random r, long t) throws InterruptedException, ExecutionException {
            BookingRequest req = newRequest(r, t);
            submit(req).get();
            bookings[(int) (req.bookingId % RING)] = new Booking(req.bookingId, req.ticketId, req.rideId, t + 30 * MINUTE, req.outcome, t);
            if (req.outcome.equals("UNAVAILABLE")) {
                notices.addLast(new ClosureNotice(990_000L + noticesQueued++, req.ticketId, req.rideId, "Sorry, " + RIDES_BY_ID.get(req.rideId).name() + " is not taking return times right now", t));
            } else {
                String key = "pass-" + req.ticketId + "-" + req.rideId;
                if (passes.get(key) == null) passes.put(key, new ReturnPass(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = qrBuffers.poll();
                buf[(int) (req.bookingId % buf.length)] = (byte) key.length();
                qrBuffers.add(buf);
            }
            while (!notices.isEmpty() && notices.peekFirst().at() <= t - 5 * MINUTE) { notices.removeFirst(); noticesSent++; }
        }

        BookingRequest startInFlight(Random r, long t, boolean waitForController) throws InterruptedException {
            BookingRequest req = newRequest(r, t);
            req.busyReplies = 0;
            if (waitForController) { req.controllerReply = new CountDownLatch(1); req.entered = new CountDownLatch(1); }
            submit(req);
            if (waitForController) {
                req.entered.await();
                while (req.runner.getState() != Thread.State.WAITING) Thread.sleep(1);
            }
            return req;
        }
    }

    static ReservationService SERVICE;
    static BookingRequest[] IN_FLIGHT = new BookingRequest[3];

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(130_030_001);
        ReservationService svc = new ReservationService();
        SERVICE = svc;
        for (int i = 0; i < RIDES; i++) {
            double[] wait = new double[96];
            for (int k = 0; k < wait.length; k++) wait[k] = rnd.nextDouble() * 90;
            svc.rideIds[i] = "RIDE-" + (101 + i);
            RIDES_BY_ID.put(svc.rideIds[i], new Ride(svc.rideIds[i], "Attraction " + (101 + i), AREAS[i % AREAS.length], 90 + 5 * rnd.nextInt(9), wait));
        }
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            double[] price = new double[60];
            for (int k = 0; k < price.length; k++) price[k] = 39 + rnd.nextDouble() * 60;
            skus[p] = "TP-" + (5_000 + p);
            PRODUCTS_BY_SKU.put(skus[p], new TicketProduct(skus[p], "Ticket product " + p, price));
        }
        for (int i = 0; i < TICKETS; i++) {
            svc.ticketIds[i] = "TK" + (80_000_000 + i * 17);
            svc.tickets.put(svc.ticketIds[i], new Ticket(svc.ticketIds[i], skus[rnd.nextInt(PRODUCTS)], "Guest " + i, new byte[150 + rnd.nextInt(150)], start - (long) rnd.nextInt(180) * DAY - rnd.nextInt(10) * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.qrBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), run -> {
            Thread th = new Thread(run, "vq-worker-" + threadNo.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        svc.workers.prestartAllCoreThreads();
        Random board = new Random(130_030_002), traffic = new Random(130_030_003);
        svc.gateway.reload(svc.nextConfig(board, start));
        long nextMinute = start + MINUTE;
        for (int i = 0; i < BOOKINGS; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / BOOKINGS;
            while (nextMinute <= t) {
                if (board.nextInt(2) == 0) svc.gateway.reload(svc.nextConfig(board, nextMinute)); // a ride opened, closed or went on hold
                nextMinute += MINUTE;
            }
            svc.book(traffic, t);
        }
        // the dump catches three bookings in the middle of the chain
        Random last = new Random(130_030_004);
        IN_FLIGHT[0] = svc.startInFlight(last, end - MINUTE, true);
        IN_FLIGHT[1] = svc.startInFlight(last, end - MINUTE / 2, true);
        svc.exporter = new MetricsExporter(svc.gateway);
        svc.exporterThread = new Thread(svc.exporter, "metrics-export");
        svc.exporterThread.setDaemon(true);
        svc.exporterThread.start();
        while (svc.exporter.blockedAt == null || svc.exporterThread.getState() != Thread.State.WAITING) Thread.sleep(1);
        IN_FLIGHT[2] = svc.startInFlight(last, end - MINUTE / 3, false);
        ReentrantLock lock = svc.exporter.blockedAt.statsLock;
        while (!lock.hasQueuedThreads()) Thread.sleep(1);
        for (Thread th : lockWaiters(svc)) IN_FLIGHT[2].runner = th;
        while (IN_FLIGHT[2].runner.getState() != Thread.State.WAITING) Thread.sleep(1); // queued, then parked
    }

    static java.util.List<Thread> lockWaiters(ReservationService svc) {
        java.util.List<Thread> out = new java.util.ArrayList<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("vq-worker-") && svc.exporter.blockedAt.statsLock.hasQueuedThread(th)) out.add(th);
        return out;
    }

    static final long RELOADS = 304, CONFIRMED = 23_920, UNAVAILABLE = 6_080, BUSY = 0, PASS_EVICTED = 21_882, NOTICES = 6_080, NOTICE_BACKLOG = 37, EXPORTED = 265;

    static void report() {
        ReservationService svc = SERVICE;
        ReservationGateway gw = svc.gateway;
        int depth = gw.depth();
        System.out.println((FIXED ? "FIXED " : "") + "rides " + RIDES_BY_ID.size() + " products " + PRODUCTS_BY_SKU.size() + " tickets " + svc.tickets.size() + " bookings " + svc.bookingCount + " (confirmed " + svc.confirmed.get() + ", unavailable " + svc.unavailable.get()
                + ", busy " + svc.busyGaveUp.get() + ") reloads " + gw.reloads + " chain layers " + depth + " exporter blocked at generation " + svc.exporter.blockedAt.generation + " after " + svc.exporter.layersExported + " layers"
                + " passes " + svc.passes.size() + " (evicted " + svc.passesEvicted + ") notices " + svc.noticesQueued + " sent " + svc.noticesSent + " backlog " + svc.notices.size() + " pool " + svc.qrBuffers.size());
        check(RIDES_BY_ID.size() == RIDES && PRODUCTS_BY_SKU.size() == PRODUCTS && svc.tickets.size() == TICKETS, "reference data / directory");
        check(svc.bookingCount == BOOKINGS + 3 && svc.confirmed.get() == CONFIRMED && svc.unavailable.get() == UNAVAILABLE && svc.busyGaveUp.get() == BUSY, "bookings");
        check(gw.reloads == RELOADS && depth == (FIXED ? 2 : 2 * RELOADS), "chain depth " + depth);
        check(svc.exporter.blockedAt.generation == (FIXED ? RELOADS : EXPORT_BLOCK_GEN) && svc.exporter.layersExported == (FIXED ? 1 : EXPORTED), "exporter");
        check(svc.passes.size() == PASS_CAP && svc.passesEvicted == PASS_EVICTED, "pass cache at cap");
        check(svc.noticesQueued == NOTICES && svc.notices.size() == NOTICE_BACKLOG, "closure notices");
        check(svc.qrBuffers.size() == POOL, "pool");
        check(svc.bookings[RING - 1] != null, "ring");
        for (BookingRequest req : IN_FLIGHT) check(req.runner != null && req.runner.getState() == Thread.State.WAITING && req.outcome == null, "in flight");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val130.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.out.flush();
        Runtime.getRuntime().halt(0); // three bookings and the exporter are still waiting
    }
}
