// hprofscan-dump: name=val2-healthy-shipping jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val2-healthy-shipping-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Validation set 2 (written blind): a parcel tracking service of a courier. HEALTHY.
 *
 * <p>Components: depot directory and postcode routing table (reference data), parcel tracker
 * (parcels with their scan events; delivered parcels are purged 48 h after delivery by a
 * scheduled job), per-minute throughput ring buffer, webhook dispatcher (bounded queue drained
 * by two sender threads; a burst is in flight at dump time), HTTP connection pool with
 * per-connection buffers, metrics. 10 simulated days pass; the parcel store reaches a plateau.
 */
public final class Val2HealthyShipping {
    static final int DEPOTS = 2_000;
    static final int POSTCODES = 30_000;
    static final int PARCELS_PER_HOUR = 120;
    static final int DAYS = 10;
    static final long RETENTION_AFTER_DELIVERY = TimeUnit.HOURS.toMillis(48);
    static final int CONNECTIONS = 24;
    static final int CONN_BUFFER = 16 * 1024;
    static final int WEBHOOK_QUEUE_CAP = 5_000;
    static final int WEBHOOKS_AT_DUMP = 1_500;
    static final long START = Instant.parse("2026-09-07T00:00:00Z").toEpochMilli();

    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { nowMillis = start; }
        long millis() { return nowMillis; }
        void advance(long ms) { nowMillis += ms; }
    }

    static final class Depot {
        final String code; final String name; final String city; final double lat, lon; final int dailyCapacity;
        Depot(String code, String name, String city, double lat, double lon, int cap) { this.code = code; this.name = name; this.city = city; this.lat = lat; this.lon = lon; dailyCapacity = cap; }
    }

    static final class RoutingTable {
        final Map<String, Depot> depots = new HashMap<>();
        final Map<String, Depot> depotByPostcode = new HashMap<>();
        final Map<String, String> cityByPostcode = new HashMap<>();
        void load(Random rnd) {
            for (int i = 0; i < DEPOTS; i++) {
                String code = "D" + String.format("%04d", i);
                depots.put(code, new Depot(code, "Depot " + code + " Hub", "City" + (i % 400), 47 + rnd.nextDouble() * 8, 5 + rnd.nextDouble() * 10, 500 + rnd.nextInt(5000)));
            }
            for (int p = 0; p < POSTCODES; p++) {
                String pc = String.format("%05d", p * 2 + 1000);
                depotByPostcode.put(pc, depots.get("D" + String.format("%04d", p % DEPOTS)));
                cityByPostcode.put(pc, "City" + (p % 400) + " district " + (p % 37));
            }
        }
    }

    static final class ScanEvent {
        final String type; final String depotCode; final long atMillis;
        ScanEvent(String type, String depotCode, long at) { this.type = type; this.depotCode = depotCode; atMillis = at; }
    }

    static final class Parcel {
        final String trackingNumber; final String senderId; final String postcode; final int weightGrams;
        final long createdAtMillis; final long deliverAtMillis; long deliveredAtMillis;
        final List<ScanEvent> events = new ArrayList<>(6);
        Parcel(String tn, String senderId, String postcode, int weight, long created, long deliverAt) {
            trackingNumber = tn; this.senderId = senderId; this.postcode = postcode; weightGrams = weight; createdAtMillis = created; deliverAtMillis = deliverAt;
        }
    }

    static final class ParcelTracker {
        final ConcurrentHashMap<String, Parcel> parcels = new ConcurrentHashMap<>();
        long created, delivered, purged;
        void purge(long now) {
            for (Iterator<Parcel> it = parcels.values().iterator(); it.hasNext(); ) {
                Parcel p = it.next();
                if (p.deliveredAtMillis != 0 && p.deliveredAtMillis + RETENTION_AFTER_DELIVERY <= now) { it.remove(); purged++; }
            }
        }
    }

    static final class ThroughputRing {
        final long[] perMinute = new long[24 * 60];
        long lastMinute = -1;
        void record(long now) {
            long minute = now / 60_000;
            if (minute != lastMinute) { perMinute[(int) (minute % perMinute.length)] = 0; lastMinute = minute; }
            perMinute[(int) (minute % perMinute.length)]++;
        }
    }

    static final class HttpConnection {
        final String host; final byte[] in = new byte[CONN_BUFFER]; final byte[] out = new byte[CONN_BUFFER]; long lastUsedMillis; long requests;
        HttpConnection(String host) { this.host = host; }
    }

    static final class HttpConnectionPool {
        final ArrayBlockingQueue<HttpConnection> idle = new ArrayBlockingQueue<>(CONNECTIONS);
        HttpConnectionPool() { for (int i = 0; i < CONNECTIONS; i++) idle.add(new HttpConnection("hooks-" + (i % 4) + ".partner.example")); }
    }

    static final class WebhookCall {
        final String url; final String trackingNumber; final String payloadJson; final long enqueuedAtMillis; int attempts;
        WebhookCall(String url, String tn, String payload, long at) { this.url = url; trackingNumber = tn; payloadJson = payload; enqueuedAtMillis = at; }
    }

    static final class WebhookDispatcher {
        final LinkedBlockingQueue<WebhookCall> queue = new LinkedBlockingQueue<>(WEBHOOK_QUEUE_CAP);
        final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
        final LongAdder delivered = new LongAdder();
        final HttpConnectionPool pool;
        final ExecutorService senders = Executors.newFixedThreadPool(2, r -> { Thread t = new Thread(r, "webhook-sender"); t.setDaemon(true); return t; });
        WebhookDispatcher(HttpConnectionPool pool) {
            this.pool = pool;
            for (int i = 0; i < 2; i++) senders.submit(this::send);
        }
        private void send() {
            while (true) {
                gate.readLock().lock();
                try {
                    WebhookCall c = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (c == null) continue;
                    HttpConnection conn = pool.idle.take();
                    try {
                        byte[] body = c.payloadJson.getBytes();
                        System.arraycopy(body, 0, conn.out, 0, Math.min(body.length, conn.out.length));
                        conn.requests++;
                        c.attempts++;
                    } finally {
                        pool.idle.add(conn);
                    }
                    delivered.increment();
                } catch (InterruptedException e) {
                    return;
                } finally {
                    gate.readLock().unlock();
                }
            }
        }
    }

    final SimClock clock = new SimClock(START);
    final RoutingTable routing = new RoutingTable();
    final ParcelTracker tracker = new ParcelTracker();
    final ThroughputRing throughput = new ThroughputRing();
    final HttpConnectionPool connections = new HttpConnectionPool();
    final WebhookDispatcher webhooks = new WebhookDispatcher(connections);
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final Random rnd = new Random(777);
    final List<Parcel> outForDelivery = new ArrayList<>();
    long seq, webhooksEnqueued;

    static Val2HealthyShipping service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void webhook(Parcel p, String status) throws InterruptedException {
        webhooks.queue.put(new WebhookCall("https://hooks-" + (p.senderId.hashCode() & 3) + ".partner.example/parcel-status",
                p.trackingNumber, "{\"tracking\":\"" + p.trackingNumber + "\",\"status\":\"" + status + "\",\"at\":" + clock.millis() + "}", clock.millis()));
        webhooksEnqueued++;
    }

    void runHour() throws InterruptedException {
        long step = 3_600_000L / PARCELS_PER_HOUR;
        for (int i = 0; i < PARCELS_PER_HOUR; i++) {
            long now = clock.millis();
            String pc = String.format("%05d", rnd.nextInt(POSTCODES) * 2 + 1000);
            Depot d = routing.depotByPostcode.get(pc);
            Parcel p = new Parcel("JJD" + (14_000_000_000L + seq++), "SND" + rnd.nextInt(900), pc, 100 + rnd.nextInt(20_000),
                    now, now + TimeUnit.HOURS.toMillis(20 + rnd.nextInt(28)));
            p.events.add(new ScanEvent("ACCEPTED", d.code, now));
            tracker.parcels.put(p.trackingNumber, p);
            tracker.created++;
            outForDelivery.add(p);
            throughput.record(now);
            inc("parcel.accepted");
            clock.advance(step);
        }
        long now = clock.millis();
        for (Iterator<Parcel> it = outForDelivery.iterator(); it.hasNext(); ) {
            Parcel p = it.next();
            if (p.deliverAtMillis <= now) {
                Depot d = routing.depotByPostcode.get(p.postcode);
                p.events.add(new ScanEvent("HUB", "D0000", p.deliverAtMillis - 36_000_000));
                p.events.add(new ScanEvent("OUT_FOR_DELIVERY", d.code, p.deliverAtMillis - 7_200_000));
                p.events.add(new ScanEvent("DELIVERED", d.code, p.deliverAtMillis));
                p.deliveredAtMillis = p.deliverAtMillis;
                tracker.delivered++;
                webhook(p, "DELIVERED");
                it.remove();
            }
        }
        if ((now / 3_600_000L) % 6 == 0) tracker.purge(now); // purge job every 6 hours
    }

    /** Status pushes for the first n parcels in the store (senders are stalled, so they queue up). */
    void enqueueStatusBurst(int n) throws InterruptedException {
        int i = 0;
        for (Parcel p : tracker.parcels.values()) {
            if (i++ == n) break;
            webhook(p, "IN_TRANSIT");
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) throws Exception {
        Val2HealthyShipping svc = new Val2HealthyShipping();
        service = svc;
        svc.routing.load(svc.rnd);
        for (int h = 0; h < DAYS * 24; h++) svc.runHour();
        while (svc.webhooks.delivered.sum() < svc.webhooksEnqueued) Thread.sleep(2);
        svc.webhooks.gate.writeLock().lock(); // partner endpoint slow: senders stall, the burst waits
        svc.enqueueStatusBurst(WEBHOOKS_AT_DUMP);

        long now = svc.clock.millis();
        long expired = svc.tracker.parcels.values().stream().filter(p -> p.deliveredAtMillis != 0 && p.deliveredAtMillis + RETENTION_AFTER_DELIVERY + TimeUnit.HOURS.toMillis(6) <= now).count();
        check(expired == 0, "parcels past retention " + expired);
        check(svc.tracker.parcels.size() == svc.tracker.created - svc.tracker.purged, "parcel accounting");
        check(svc.tracker.parcels.size() == 9_763, "parcel store (seeded run) " + svc.tracker.parcels.size());
        check(svc.tracker.parcels.size() < 13_000 && svc.tracker.purged > 15_000, "parcel store " + svc.tracker.parcels.size() + " purged " + svc.tracker.purged);
        check(svc.outForDelivery.size() + svc.tracker.delivered == svc.tracker.created, "delivery accounting");
        check(svc.routing.depots.size() == DEPOTS && svc.routing.depotByPostcode.size() == POSTCODES, "routing");
        check(svc.webhooks.queue.size() == WEBHOOKS_AT_DUMP, "webhook queue " + svc.webhooks.queue.size());
        check(svc.connections.idle.size() == CONNECTIONS, "connections");

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
