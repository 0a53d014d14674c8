// hprofscan-dump: name=val84-healthy-foodbank-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val84-healthy-foodbank-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val84-healthy-foodbank jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val84-healthy-foodbank-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validation set 84 (written blind), HEALTHY: the parcel-distribution service of a regional food
 * bank. Depot reference data, the household directory, a topic broker whose per-parcel topics are
 * removed when their last subscriber leaves, a reminder index keyed by due time whose firing loop
 * removes every fired reminder (a failed SMS is retried once, then dead-lettered and dropped), a
 * packing-plan memo keyed by a value record (bounded by its finite key space), a label-buffer pool
 * that releases in finally, and a ring of barcode scans. See VALIDATION84.md.
 */
public final class Val84HealthyFoodBank {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEPOTS = 1_200, HOUSEHOLDS = 25_000, RING = 16_384, PARCELS_PER_HOUR = 2_400, SCANS_PER_PARCEL = 3;
    static final int LABEL_BUFFER = 16_384, PREALLOCATED = 8, MAX_IN_FLIGHT = 3;
    static final int SIZES = 8, DIETS = 6, REGIONS = 20;

    record Depot(String code, String town, double[] weeklyStock) {}
    record Household(String householdId, String depotCode, int size, byte[] eligibility, long registeredAt) {}
    record Scan(String parcelId, String depotCode, String station, long at) {}
    record AllocationKey(int householdSize, int diet, int region) {}
    record Allocation(AllocationKey key, int[] itemQuantities, long plannedAt) {}

    interface Subscriber { void onMessage(String topic, String status, long at); }

    /** Topic broker; a topic is removed together with its last subscriber. */
    static final class Broker {
        final Map<String, Set<Subscriber>> topics = new HashMap<>();
        long published, delivered, removedTopics;
        void subscribe(String topic, Subscriber s) { topics.computeIfAbsent(topic, k -> new HashSet<>()).add(s); }
        void unsubscribe(String topic, Subscriber s) {
            topics.computeIfPresent(topic, (k, set) -> {
                set.remove(s);
                if (set.isEmpty()) { removedTopics++; return null; }
                return set;
            });
        }
        void publish(String topic, String status, long at) {
            published++;
            Set<Subscriber> set = topics.get(topic);
            if (set == null) return;
            for (Subscriber s : new ArrayList<>(set)) { s.onMessage(topic, status, at); delivered++; }
        }
    }

    /** A volunteer driver's app or the household's SMS relay: follows one parcel until it is done. */
    static final class ParcelFollower implements Subscriber {
        final Broker broker; final String topic, who; String last; int updates;
        ParcelFollower(Broker broker, String topic, String who) { this.broker = broker; this.topic = topic; this.who = who; }
        @Override public void onMessage(String t, String status, long at) {
            last = status; updates++;
            if (status.equals("DELIVERED") || status.equals("RETURNED")) broker.unsubscribe(topic, this);
        }
    }

    static final class DepotDisplay implements Subscriber {
        final String depotCode; long shown;
        DepotDisplay(String depotCode) { this.depotCode = depotCode; }
        @Override public void onMessage(String t, String status, long at) { shown++; }
    }

    static final class CollectionReminder {
        final String parcelId, householdId; final byte[] sms; int attempts; long dueAt;
        CollectionReminder(String parcelId, String householdId, byte[] sms, long dueAt) { this.parcelId = parcelId; this.householdId = householdId; this.sms = sms; this.dueAt = dueAt; }
    }

    /** Reminders by due time; every fired reminder leaves the index. */
    static final class ReminderIndex {
        final TreeMap<Long, CollectionReminder> byDue = new TreeMap<>();
        long scheduled, sent, retried, deadLettered;
        void schedule(CollectionReminder r, long due) {
            while (byDue.containsKey(due)) due++;
            r.dueAt = due;
            byDue.put(due, r);
        }
        void fire(long now, Random r) {
            Map.Entry<Long, CollectionReminder> e;
            while ((e = byDue.firstEntry()) != null && e.getKey() <= now) {
                byDue.pollFirstEntry();
                CollectionReminder c = e.getValue();
                c.attempts++;
                if (r.nextInt(100) >= 8) sent++;
                else if (c.attempts < 2) { retried++; schedule(c, now + 15 * MINUTE); }
                else deadLettered++;
            }
        }
    }

    /** Application-level buffer pool; every lease is released in finally. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final Set<byte[]> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        int created; long leases, releases;
        BufferPool() { for (int i = 0; i < PREALLOCATED; i++) { free.push(new byte[LABEL_BUFFER]); created++; } }
        byte[] acquire() { byte[] b = free.poll(); if (b == null) { b = new byte[LABEL_BUFFER]; created++; } inUse.add(b); leases++; return b; }
        void release(byte[] b) { if (inUse.remove(b)) { free.push(b); releases++; } }
    }

    static final class Parcel {
        final String id, depotCode, householdId; final boolean returned; final long outAt, doneAt; int step; long nextAt;
        Parcel(String id, String depotCode, String householdId, boolean returned, long outAt, long doneAt) { this.id = id; this.depotCode = depotCode; this.householdId = householdId; this.returned = returned; this.outAt = outAt; this.doneAt = doneAt; this.nextAt = outAt; }
        String topic() { return "parcel/" + id + "/status"; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DistributionService {
        final Map<String, Household> households = new HashMap<>();
        final Broker broker = new Broker();
        final ReminderIndex reminders = new ReminderIndex();
        final Map<AllocationKey, Allocation> packingPlans = new HashMap<>();
        final BufferPool labels = new BufferPool();
        final ArrayDeque<byte[]> printing = new ArrayDeque<>();
        final Scan[] scans = new Scan[RING];
        long scansWritten, labelErrors, parcelsDone, plansComputed;
        final PriorityQueue<Parcel> onRoute = new PriorityQueue<>(Comparator.comparingLong((Parcel p) -> p.nextAt));

        Allocation plan(AllocationKey key, long at) {
            return packingPlans.computeIfAbsent(key, k -> {
                plansComputed++;
                int[] q = new int[24];
                for (int i = 0; i < q.length; i++) q[i] = (k.householdSize() * (i + 3) + k.diet() * 5 + k.region()) % 7;
                return new Allocation(k, q, at);
            });
        }
        void printLabel(String parcelId, long at, Random r) {
            byte[] buf = labels.acquire();
            printing.add(buf);
            if (printing.size() > MAX_IN_FLIGHT) {
                byte[] done = printing.poll();
                try {
                    done[(int) (at % done.length)] = 1;
                    if (r.nextInt(100) < 2) throw new IllegalStateException("label printer jam");
                } catch (IllegalStateException jam) {
                    labelErrors++;
                } finally {
                    labels.release(done);
                }
            }
        }
        void advance(long now) {
            while (!onRoute.isEmpty() && onRoute.peek().nextAt <= now) {
                Parcel p = onRoute.poll();
                if (p.step == 0) {
                    broker.publish(p.topic(), "OUT_FOR_DELIVERY", p.outAt);
                    p.step = 1; p.nextAt = p.doneAt; onRoute.add(p);
                } else {
                    broker.publish(p.topic(), p.returned ? "RETURNED" : "DELIVERED", p.doneAt);
                    broker.publish("depot/" + p.depotCode + "/stock", p.id, p.doneAt);
                    parcelsDone++;
                }
            }
        }
    }

    static DistributionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int parcels = PARCELS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(84_050_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] stock = new double[64];
            for (int k = 0; k < stock.length; k++) stock[k] = rnd.nextDouble() * 500;
            depotCodes[d] = "FB-" + (1_000 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Town " + (d % 400), stock));
        }
        DistributionService svc = new DistributionService();
        SERVICE = svc;
        String[] householdIds = new String[HOUSEHOLDS];
        for (int h = 0; h < HOUSEHOLDS; h++) {
            householdIds[h] = "HH" + (7_000_000 + h * 9);
            svc.households.put(householdIds[h], new Household(householdIds[h], depotCodes[rnd.nextInt(DEPOTS)], 1 + rnd.nextInt(SIZES), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int d = 0; d < DEPOTS; d++) svc.broker.subscribe("depot/" + depotCodes[d] + "/stock", new DepotDisplay(depotCodes[d]));
        Random traffic = new Random(84_050_002);
        Random sms = new Random(84_050_003);
        long nextTick = start + MINUTE;
        int maxPlans = SIZES * DIETS * REGIONS;
        for (int i = 0; i < parcels; i++) {
            long t = start + (end - MINUTE - start) * i / parcels;
            while (nextTick <= t) { svc.reminders.fire(nextTick, sms); nextTick += MINUTE; }
            svc.advance(t);
            String id = "PC" + (20_000_000 + i);
            String hh = householdIds[traffic.nextInt(HOUSEHOLDS)];
            Household household = svc.households.get(hh);
            svc.plan(new AllocationKey(household.size() - 1, traffic.nextInt(DIETS), traffic.nextInt(REGIONS)), t);
            svc.plan(new AllocationKey(traffic.nextInt(SIZES), traffic.nextInt(DIETS), traffic.nextInt(REGIONS)), t); // re-pack check of a substitute
            boolean returned = traffic.nextInt(100) < 3;
            long outAt = t + (20 + traffic.nextInt(40)) * MINUTE;
            long doneAt = outAt + (10 + traffic.nextInt(30)) * MINUTE;
            Parcel p = new Parcel(id, household.depotCode(), hh, returned, outAt, doneAt);
            String topic = p.topic();
            svc.broker.subscribe(topic, new ParcelFollower(svc.broker, topic, "driver-app"));
            svc.broker.subscribe(topic, new ParcelFollower(svc.broker, topic, "sms:" + hh));
            svc.broker.publish(topic, "PACKED", t);
            svc.onRoute.add(p);
            svc.reminders.schedule(new CollectionReminder(id, hh, new byte[60 + traffic.nextInt(60)], 0), t + (30 + traffic.nextInt(120)) * MINUTE);
            svc.reminders.scheduled++;
            svc.printLabel(id, t, traffic);
            for (int s = 0; s < SCANS_PER_PARCEL; s++)
                svc.scans[(int) (svc.scansWritten++ % RING)] = new Scan(id, household.depotCode(), "station-" + traffic.nextInt(12), t);
        }
        while (nextTick <= end) { svc.reminders.fire(nextTick, sms); nextTick += MINUTE; }
        svc.advance(end);
        Broker br = svc.broker;
        int empty = 0, parcelTopics = 0, pastDue = 0;
        for (Map.Entry<String, Set<Subscriber>> e : br.topics.entrySet()) { if (e.getValue().isEmpty()) empty++; if (e.getKey().startsWith("parcel/")) parcelTopics++; }
        for (long due : svc.reminders.byDue.keySet()) if (due <= end) pastDue++;
        ReminderIndex ri = svc.reminders;
        BufferPool pool = svc.labels;
        System.out.println("stage " + stage + " depots " + DEPOTS_BY_CODE.size() + " households " + svc.households.size() + " topics " + br.topics.size() + " (parcel topics " + parcelTopics + ", empty " + empty + ", removed " + br.removedTopics + ") parcels done " + svc.parcelsDone + " on route " + svc.onRoute.size()
                + " reminders " + ri.byDue.size() + " (past-due " + pastDue + ", sent " + ri.sent + ", retried " + ri.retried + ", dead-lettered " + ri.deadLettered + ") plans " + svc.packingPlans.size() + "/" + maxPlans + " (computed " + svc.plansComputed + ") label pool created " + pool.created
                + " free " + pool.free.size() + " in use " + pool.inUse.size() + " (errors " + svc.labelErrors + ") scans " + svc.scansWritten);
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.households.size() == HOUSEHOLDS, "reference data / directory");
        check(svc.parcelsDone + svc.onRoute.size() == parcels && br.removedTopics == svc.parcelsDone, "parcel traffic");
        check(empty == 0 && br.topics.size() == DEPOTS + svc.onRoute.size() && parcelTopics == svc.onRoute.size(), "broker drops finished topics");
        check(pastDue == 0 && ri.sent + ri.deadLettered + ri.byDue.size() == parcels, "reminder index holds only future reminders");
        check(svc.packingPlans.size() <= maxPlans && svc.plansComputed == svc.packingPlans.size(), "packing plans bounded by the key space");
        check(pool.created == PREALLOCATED && pool.inUse.size() == MAX_IN_FLIGHT && pool.releases == pool.leases - MAX_IN_FLIGHT, "label pool");
        check(svc.scansWritten == (long) SCANS_PER_PARCEL * parcels && svc.scans[Math.min(RING, SCANS_PER_PARCEL * parcels) - 1] != null, "scan ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
