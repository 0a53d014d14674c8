// hprofscan-dump: name=val13-leak-parcellockers jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val13-leak-parcellockers-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 13 (written blind), LEAK: the backend of a parcel-locker network. When a courier
 * deposits a parcel, the service schedules a periodic pickup reminder (every 6 hours) on its
 * scheduler; the reminder task captures the delivery (with its label image and tracking events).
 * The counter pickup path cancels the reminder, but the newer app pickup path (95% of pickups
 * here) only marks the delivery picked up: the reminder then does nothing when it runs, but it is
 * never cancelled and reschedules itself forever, so the scheduler's work queue keeps every
 * delivery picked up through the app. Beside it: the locker sites with their compartments and the
 * customer directory (loaded at startup), the deliveries awaiting pickup (a working set), a capped
 * LRU of courier route manifests, an SMS outbox ring and 3 housekeeping tasks on the same
 * scheduler. See testdata/VALIDATION13.md.
 */
public final class Val13LeakParcelLockers {
    static final int SITES = 3_000;
    static final int COMPARTMENTS = 60;
    static final int CUSTOMERS = 50_000;
    static final int DEPOSITED = 7_000;
    static final int AWAITING = 600;
    static final int MANIFEST_CAP = 1_000;
    static final int SMS_RING = 4_096;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static LockerService RUNNING;

    static final class Compartment { final int index; final char size; String parcelId; long occupiedSince;
        Compartment(int index, char size) { this.index = index; this.size = size; } }

    static final class LockerSite { final String siteId; final String address; final double lat; final double lon; final Compartment[] compartments;
        LockerSite(String siteId, String address, double lat, double lon, Compartment[] compartments) { this.siteId = siteId; this.address = address; this.lat = lat; this.lon = lon; this.compartments = compartments; } }

    /** Reference data: locker sites, loaded at startup. */
    static final class Sites {
        static final Map<String, LockerSite> BY_ID = new HashMap<>();
    }

    static final class Customer { final String customerId; final String phone; final String email; final String preferredSite; final long since;
        Customer(String customerId, String phone, String email, String preferredSite, long since) { this.customerId = customerId; this.phone = phone; this.email = email; this.preferredSite = preferredSite; this.since = since; } }

    static final class Delivery { final String parcelId; final String customerId; final String siteId; final int compartment; final String pickupCode; final long depositedAt; final byte[] labelImage; final List<String> tracking;
        volatile long pickedUpAt; ScheduledFuture<?> reminder;
        Delivery(String parcelId, String customerId, String siteId, int compartment, String pickupCode, long depositedAt, byte[] labelImage, List<String> tracking) { this.parcelId = parcelId; this.customerId = customerId; this.siteId = siteId; this.compartment = compartment; this.pickupCode = pickupCode; this.depositedAt = depositedAt; this.labelImage = labelImage; this.tracking = tracking; } }

    static final class PickupReminder implements Runnable {
        final Delivery delivery; final LockerService service;
        PickupReminder(Delivery delivery, LockerService service) { this.delivery = delivery; this.service = service; }
        @Override public void run() { if (delivery.pickedUpAt == 0) service.sms("Your parcel " + delivery.parcelId + " is waiting, code " + delivery.pickupCode); }
    }

    static final class Manifest { final String routeId; final String courier; final String[] parcelIds; final long plannedAt;
        Manifest(String routeId, String courier, String[] parcelIds, long plannedAt) { this.routeId = routeId; this.courier = courier; this.parcelIds = parcelIds; this.plannedAt = plannedAt; } }

    static final class SmsSlot { long at; String text; }

    static final class LockerService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, Delivery> awaiting = new ConcurrentHashMap<>();
        final AtomicInteger seq = new AtomicInteger();
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> { Thread t = new Thread(r, "locker-sched-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final LinkedHashMap<String, Manifest> manifests = new LinkedHashMap<>(MANIFEST_CAP * 4 / 3 + 1, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Manifest> e) { return size() > MANIFEST_CAP; }
        };
        final SmsSlot[] outbox = new SmsSlot[SMS_RING];
        long smsSent;
        final Properties config = new Properties();
        LockerService() { for (int i = 0; i < SMS_RING; i++) outbox[i] = new SmsSlot(); }
        synchronized void sms(String text) { SmsSlot s = outbox[(int) (smsSent++ % SMS_RING)]; s.at = System.currentTimeMillis(); s.text = text; }
        void deposit(Delivery d) {
            awaiting.put(d.parcelId, d);
            d.reminder = scheduler.scheduleAtFixedRate(new PickupReminder(d, this), 6, 6, TimeUnit.HOURS);
        }
        void pickupAtCounter(Delivery d, long t) { d.pickedUpAt = t; d.reminder.cancel(false); awaiting.remove(d.parcelId); }
        void pickupViaApp(Delivery d, long t, boolean fixed) {
            d.pickedUpAt = t;
            if (fixed) d.reminder.cancel(false);
            awaiting.remove(d.parcelId);
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val13.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(13_060_001);
        LockerService svc = new LockerService();
        svc.scheduler.setRemoveOnCancelPolicy(true);
        RUNNING = svc;
        for (int i = 0; i < 50; i++) svc.config.setProperty("locker.firmware." + i, "v" + (3 + i % 4));
        svc.scheduler.scheduleAtFixedRate(() -> svc.sms("heartbeat"), 1, 1, TimeUnit.HOURS);
        svc.scheduler.scheduleAtFixedRate(() -> svc.manifests.size(), 30, 30, TimeUnit.MINUTES);
        svc.scheduler.scheduleWithFixedDelay(() -> svc.awaiting.size(), 2, 2, TimeUnit.HOURS);
        char[] sizes = {'S', 'M', 'L'};
        for (int i = 0; i < SITES; i++) {
            Compartment[] cs = new Compartment[COMPARTMENTS];
            for (int k = 0; k < COMPARTMENTS; k++) cs[k] = new Compartment(k, sizes[k % 3]);
            String id = "LK" + (10_000 + i);
            Sites.BY_ID.put(id, new LockerSite(id, "Locker at " + i + " Market Square", 46 + rnd.nextDouble() * 2, 6 + rnd.nextDouble() * 4, cs));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "CU" + (3_000_000 + i);
            svc.customers.put(id, new Customer(id, "+41 76 " + (1_000_000 + i), "customer" + i + "@mail.example", "LK" + (10_000 + rnd.nextInt(SITES)), now - DAY * rnd.nextInt(2_000)));
        }
        // Traffic: 7,000 deposits over 12 hours; all but the last 600 are picked up 20 minutes to
        // 3 hours later, but before the dump (1 in 20 at the counter, the rest through the app).
        List<Delivery> deliveries = new ArrayList<>();
        int viaApp = 0, atCounter = 0;
        for (int i = 0; i < DEPOSITED; i++) {
            long t = start + (now - 30 * MINUTE - start) * i / DEPOSITED;
            String site = "LK" + (10_000 + rnd.nextInt(SITES));
            int comp = rnd.nextInt(COMPARTMENTS);
            byte[] label = new byte[1_024 + rnd.nextInt(1_536)];
            rnd.nextBytes(label);
            List<String> tracking = new ArrayList<>();
            for (int k = 0, n = 3 + rnd.nextInt(4); k < n; k++) tracking.add("hub-" + rnd.nextInt(40) + " scanned at " + (t - (n - k) * HOUR));
            Delivery d = new Delivery("PX" + (800_000_000L + i), "CU" + (3_000_000 + rnd.nextInt(CUSTOMERS)), site, comp, Integer.toString(100_000 + rnd.nextInt(900_000)), t, label, tracking);
            Compartment c = Sites.BY_ID.get(site).compartments[comp];
            c.parcelId = d.parcelId; c.occupiedSince = t;
            svc.deposit(d);
            deliveries.add(d);
            if (i % 7 == 0) {
                String[] ps = new String[20 + rnd.nextInt(30)];
                for (int k = 0; k < ps.length; k++) ps[k] = "PX" + (800_000_000L + i + k);
                svc.manifests.put("RT-" + i, new Manifest("RT-" + i, "courier-" + rnd.nextInt(300), ps, t));
            }
        }
        for (int i = 0; i < DEPOSITED - AWAITING; i++) {
            Delivery d = deliveries.get(i);
            long t = Math.min(d.depositedAt + (20 + rnd.nextInt(160)) * MINUTE, now - (1 + rnd.nextInt(20)) * MINUTE);
            Compartment c = Sites.BY_ID.get(d.siteId).compartments[d.compartment];
            if (d.parcelId.equals(c.parcelId)) { c.parcelId = null; c.occupiedSince = 0; }
            if (i % 20 == 0) { svc.pickupAtCounter(d, t); atCounter++; } else { svc.pickupViaApp(d, t, fixed); viaApp++; }
        }
        int pickedInQueue = 0, awaitingInQueue = 0;
        for (Delivery d : deliveries) check(d.pickedUpAt < now && (d.pickedUpAt == 0 || d.pickedUpAt > d.depositedAt), "pickup times");
        for (Delivery d : deliveries) if (!d.reminder.isCancelled() && !d.reminder.isDone()) { if (d.pickedUpAt > 0) pickedInQueue++; else awaitingInQueue++; }
        deliveries = null;
        int queued = svc.scheduler.getQueue().size();
        int leaked = fixed ? 0 : viaApp;
        System.out.println("sites " + Sites.BY_ID.size() + " customers " + svc.customers.size() + " awaiting " + svc.awaiting.size() + " scheduler queue " + queued + " (picked up " + pickedInQueue + ", awaiting " + awaitingInQueue + ", housekeeping " + (queued - pickedInQueue - awaitingInQueue) + ") manifests " + svc.manifests.size() + " via app " + viaApp + " at counter " + atCounter);
        check(Sites.BY_ID.size() == SITES && svc.customers.size() == CUSTOMERS, "reference data");
        check(svc.awaiting.size() == AWAITING && awaitingInQueue == AWAITING && pickedInQueue == leaked && queued == leaked + AWAITING + 3, "reminders");
        check(svc.manifests.size() == MANIFEST_CAP && svc.scheduler.getCompletedTaskCount() == 0, "manifests/scheduler");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
