// hprofscan-dump: name=locker-holds jvm="-Xmx200m" variants=mxbean args="healthy executor 8"
// hprofscan-dump: name=locker-holds-timer-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy timer 8"
// hprofscan-dump: name=locker-holds-leak-early jvm="-Xmx200m" variants=mxbean args="leak executor 3"
// hprofscan-dump: name=locker-holds-leak jvm="-Xmx200m" variants=mxbean args="leak executor 8"
// hprofscan-dump: name=locker-holds-leak-timer-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak timer 8"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The reservation service of a parcel-locker network. Each parcel deposited in a locker gets a
 * one-shot hold-expiry task 72 hours ahead (the parcel goes back to its sender if nobody
 * collects it), on a {@code ScheduledThreadPoolExecutor} with remove-on-cancel ({@code executor})
 * or a {@code java.util.Timer} ({@code timer}); the parcel keeps the task's handle. Customers
 * collect their parcels 20 minutes to 6 hours after the deposit. 600 deposits an hour over the
 * simulated hours (an argument). Beside it: the locker sites (reference data with a week of
 * occupancy), the open parcels by tracking number, an LRU of 1,500 courier lookups at its cap,
 * a pool of 6 label buffers, a ring of the last 2,048 locker events, and one periodic
 * occupancy report on the same scheduler.
 * <ul>
 * <li>{@code healthy}: collecting a parcel cancels its hold (the timer is purged): the
 * scheduler holds the open parcels' holds and the report.
 * <li>{@code leak}: collecting sets {@code pickedUpAt} and forgets the hold: every collected
 * parcel stays queued, with its label image, until its 72 hours pass.
 * </ul>
 * Counts depend only on the seed and the simulated hours; printed and checked.
 */
public final class LockerHolds {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int PER_HOUR = 600, SITES = 600, LRU_CAP = 1_500, RING = 2_048, BUFFERS = 6;

    /** A parcel in a locker. */
    static final class Parcel {
        final String trackingNo, siteCode, recipientHash;
        final long depositedAt;
        final byte[] labelImage;
        long pickedUpAt;
        Object hold;

        Parcel(String trackingNo, String siteCode, String recipientHash, long depositedAt, byte[] labelImage) {
            this.trackingNo = trackingNo;
            this.siteCode = siteCode;
            this.recipientHash = recipientHash;
            this.depositedAt = depositedAt;
            this.labelImage = labelImage;
        }
    }

    /** Sends an uncollected parcel back (never runs in the program: 72 hours ahead). */
    static final class HoldExpiry implements Runnable {
        final Parcel parcel;

        HoldExpiry(Parcel parcel) { this.parcel = parcel; }

        @Override public void run() { if (parcel.pickedUpAt == 0) System.out.println("return " + parcel.trackingNo); }
    }

    /** The same, as a TimerTask. */
    static final class HoldExpiryTask extends TimerTask {
        final Parcel parcel;

        HoldExpiryTask(Parcel parcel) { this.parcel = parcel; }

        @Override public void run() { if (parcel.pickedUpAt == 0) System.out.println("return " + parcel.trackingNo); }
    }

    /** A locker site: reference data. */
    record Site(String code, String address, double[] weekOccupancy) {}

    /** A locker event (deposit, pickup) for the ops dashboard. */
    record Event(String trackingNo, String what, long at) {}

    /** A courier's record, looked up by id. */
    record Courier(String id, String depot, byte[] vehicleDocs) {}

    static final class CourierLru extends LinkedHashMap<String, Courier> {
        CourierLru() { super(2_048, 0.75f, true); }

        @Override protected boolean removeEldestEntry(Map.Entry<String, Courier> e) { return size() > LRU_CAP; }
    }

    static final class LockerService {
        final boolean leak, timer;
        final Map<String, Site> sites = new HashMap<>();
        final Map<String, Parcel> openParcels = new HashMap<>();
        final CourierLru couriers = new CourierLru();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Event[] ring = new Event[RING];
        final ScheduledThreadPoolExecutor holds;
        final Timer holdTimer;
        long deposited, collected, events, lookups;

        LockerService(boolean leak, boolean timer) {
            this.leak = leak;
            this.timer = timer;
            if (timer) {
                holds = null;
                holdTimer = new Timer("locker-holds", true);
                holdTimer.schedule(new TimerTask() { @Override public void run() { report(); } }, 15 * MINUTE, 15 * MINUTE);
            } else {
                holdTimer = null;
                holds = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "locker-holds");
                    t.setDaemon(true);
                    return t;
                });
                holds.setRemoveOnCancelPolicy(true);
                holds.scheduleAtFixedRate(this::report, 15, 15, TimeUnit.MINUTES);
            }
            for (int i = 0; i < BUFFERS; i++) labelBuffers.add(new byte[16 * 1024]);
        }

        void report() { System.out.println("open " + openParcels.size()); }

        void event(String trackingNo, String what, long at) { ring[(int) (events++ % RING)] = new Event(trackingNo, what, at); }

        void deposit(Parcel p) {
            openParcels.put(p.trackingNo, p);
            if (timer) {
                HoldExpiryTask t = new HoldExpiryTask(p);
                holdTimer.schedule(t, 72 * HOUR);
                p.hold = t;
            } else {
                p.hold = holds.schedule(new HoldExpiry(p), 72, TimeUnit.HOURS);
            }
            deposited++;
            event(p.trackingNo, "deposit", p.depositedAt);
        }

        void collect(Parcel p, long at) {
            openParcels.remove(p.trackingNo);
            p.pickedUpAt = at;
            if (!leak) {
                if (timer) {
                    ((TimerTask) p.hold).cancel();
                    holdTimer.purge();
                } else {
                    ((ScheduledFuture<?>) p.hold).cancel(false);
                }
            }
            collected++;
            event(p.trackingNo, "pickup", at);
        }

        void lookup(Random r) {
            String id = "CR-" + (10_000 + r.nextInt(3_000));
            lookups++;
            if (couriers.get(id) == null) couriers.put(id, new Courier(id, "D" + r.nextInt(40), new byte[300 + r.nextInt(300)]));
        }

        int queued() { return timer ? -1 : holds.getQueue().size(); }
    }

    /** Parcels collected by the dump, by simulated hours (the truth of the tests). */
    static final Map<Integer, Long> EXPECT_COLLECTED = Map.of(3, 390L, 8, 2_956L);

    static LockerService service;

    record Pickup(long at, Parcel parcel) {}

    static void simulate(LockerService svc, int hours, long now) {
        Random r = new Random(20261206L);
        for (int i = 0; i < SITES; i++) {
            double[] occ = new double[7 * 24];
            for (int h = 0; h < occ.length; h++) occ[h] = r.nextDouble();
            String code = "LK" + (4_000 + i);
            svc.sites.put(code, new Site(code, "Unit " + i + ", " + (100 + r.nextInt(900)) + " Station Road", occ));
        }
        long start = now - hours * HOUR;
        PriorityQueue<Pickup> pickups = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long step = HOUR / PER_HOUR;
        for (int i = 0; i < hours * PER_HOUR; i++) {
            long t = start + i * step;
            while (!pickups.isEmpty() && pickups.peek().at() <= t) {
                Pickup p = pickups.poll();
                svc.collect(p.parcel(), p.at());
            }
            Parcel p = new Parcel("LP" + (70_000_000 + i), "LK" + (4_000 + r.nextInt(SITES)), Integer.toHexString(r.nextInt()), t, new byte[900 + r.nextInt(300)]);
            svc.deposit(p);
            pickups.add(new Pickup(t + 20 * MINUTE + (long) (r.nextDouble() * 340 * MINUTE), p));
            svc.lookup(r);
            svc.lookup(r);
        }
        while (!pickups.isEmpty() && pickups.peek().at() <= now) {
            Pickup p = pickups.poll();
            svc.collect(p.parcel(), p.at());
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void countAndCheck(LockerService svc, int hours) {
        long open = svc.openParcels.size();
        System.out.println("deposited " + svc.deposited + " collected " + svc.collected + " open " + open
                + " couriers " + svc.couriers.size() + " lookups " + svc.lookups + " queued " + svc.queued());
        check(svc.deposited == (long) hours * PER_HOUR && svc.deposited == svc.collected + open, "parcels");
        check(svc.collected == EXPECT_COLLECTED.get(hours), "collected " + svc.collected);
        check(svc.couriers.size() == LRU_CAP, "lru at its cap");
        if (!svc.timer) check(svc.queued() == 1 + open + (svc.leak ? svc.collected : 0), "queue " + svc.queued());
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        boolean timer = args[3].equals("timer");
        int hours = Integer.parseInt(args[4]);
        service = new LockerService(leak, timer);
        simulate(service, hours, System.currentTimeMillis());
        countAndCheck(service, hours);
        DumpUtil.dump(args[0], args[1]);
    }
}
