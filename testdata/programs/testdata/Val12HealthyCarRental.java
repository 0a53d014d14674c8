// hprofscan-dump: name=val12-healthy-carrental jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val12-healthy-carrental-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 12 (written blind), HEALTHY (many live threads, pooled connections in use): the
 * reservation backend of a car rental company. One sync thread per branch (140 branches) keeps
 * the branch's counter terminal in step, each blocked on its branch's update queue; 48 request
 * threads are serving requests at the dump, each holding a database connection leased from the
 * pool of 64 (48 leased, 16 idle), each waiting for its query's result. Beside them: the fleet
 * directory and the rate cards (loaded at startup) and the open reservations (pick-up in the
 * coming weeks; a working set that is added to and removed from). See testdata/VALIDATION12.md.
 */
public final class Val12HealthyCarRental {
    static final int BRANCHES = 140;
    static final int VEHICLES = 30_000;
    static final int RATE_CARDS = 2_000;
    static final int POOL_SIZE = 64;
    static final int IN_FLIGHT = 48;
    static final int BOOKINGS = 24_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static RentalService RUNNING;

    static final class Vehicle {
        final String plate; final String vin; final String model; final String category; final int branch; final long firstRegisteredAt; int odometerKm;
        Vehicle(String plate, String vin, String model, String category, int branch, long firstRegisteredAt, int odometerKm) { this.plate = plate; this.vin = vin; this.model = model; this.category = category; this.branch = branch; this.firstRegisteredAt = firstRegisteredAt; this.odometerKm = odometerKm; }
    }

    /** Reference data: the fleet, loaded at startup. */
    static final class Fleet {
        static final Map<String, Vehicle> BY_PLATE = new HashMap<>();
    }

    /** Reference data: daily rates by category, branch and season, loaded at startup. */
    static final class RateCards {
        static final Map<String, int[]> BY_KEY = new HashMap<>();
    }

    static final class Reservation {
        final String bookingRef; final String driverName; final String category; final int pickupBranch; final long pickupAt; final long returnAt; final long bookedAt; final String[] extras;
        Reservation(String bookingRef, String driverName, String category, int pickupBranch, long pickupAt, long returnAt, long bookedAt, String[] extras) { this.bookingRef = bookingRef; this.driverName = driverName; this.category = category; this.pickupBranch = pickupBranch; this.pickupAt = pickupAt; this.returnAt = returnAt; this.bookedAt = bookedAt; this.extras = extras; }
    }

    static final class BranchUpdate { final long at; final String kind; BranchUpdate(long at, String kind) { this.at = at; this.kind = kind; } }

    static final class BranchLink {
        final int branchId; final BlockingQueue<BranchUpdate> updates = new LinkedBlockingQueue<>(); final byte[] terminalBuffer = new byte[4_096]; Thread thread; volatile long applied;
        BranchLink(int branchId) { this.branchId = branchId; }
    }

    static final class DbConnection {
        final int id; final byte[] socketBuffer = new byte[32_768]; long leasedAt; String leasedBy;
        DbConnection(int id) { this.id = id; }
    }

    /** A connection pool: idle connections in a queue, leased ones in a map. */
    static final class ConnectionPool {
        final ArrayBlockingQueue<DbConnection> idle = new ArrayBlockingQueue<>(POOL_SIZE);
        final Map<Integer, DbConnection> leased = new ConcurrentHashMap<>();
        ConnectionPool() { for (int i = 0; i < POOL_SIZE; i++) idle.add(new DbConnection(i)); }
        DbConnection lease(String who) throws InterruptedException { DbConnection c = idle.take(); c.leasedAt = System.currentTimeMillis(); c.leasedBy = who; leased.put(c.id, c); return c; }
        void release(DbConnection c) { leased.remove(c.id); c.leasedBy = null; idle.add(c); }
    }

    static final class RentalService {
        final Map<String, Reservation> open = new ConcurrentHashMap<>();
        final Map<Integer, BranchLink> branches = new ConcurrentHashMap<>();
        final ConnectionPool pool = new ConnectionPool();
        final List<Thread> requestThreads = new ArrayList<>();
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        Random rnd = new Random(12_060_001);
        RentalService svc = new RentalService();
        RUNNING = svc;
        for (int i = 0; i < 65; i++) svc.config.setProperty("rental.policy." + i, "rule-" + (i * 3));
        String[] cats = {"ECMR", "CDMR", "IDAR", "SFAR", "PVAR", "LDAR"};
        for (int i = 0; i < VEHICLES; i++) {
            String plate = "M-" + (char) ('A' + i % 26) + (char) ('A' + i / 26 % 26) + " " + (1_000 + i % 9_000);
            Fleet.BY_PLATE.put(plate, new Vehicle(plate, "WVW" + Long.toString(1_000_000_000L + i * 7_919L, 36).toUpperCase() + "XY", "Model " + (i % 120), cats[i % cats.length], i % BRANCHES, now - DAY * (30 + rnd.nextInt(1_400)), rnd.nextInt(120_000)));
        }
        for (int i = 0; i < RATE_CARDS; i++) { int[] r = new int[52]; for (int k = 0; k < 52; k++) r[k] = 2_900 + rnd.nextInt(20_000); RateCards.BY_KEY.put(cats[i % cats.length] + "/" + (i % BRANCHES) + "/" + i, r); }
        for (int b = 0; b < BRANCHES; b++) {
            BranchLink link = new BranchLink(b);
            Thread th = new Thread(() -> {
                try {
                    while (true) { BranchUpdate u = link.updates.take(); link.applied++; link.terminalBuffer[0] = (byte) u.at; }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "branch-sync-" + (100 + b));
            th.setDaemon(true);
            link.thread = th;
            svc.branches.put(b, link);
            th.start();
        }
        // Bookings over the last 30 days; the ones picked up and returned are closed and removed.
        int closed = 0;
        String[] extrasPool = {"child seat", "GPS", "snow chains", "extra driver", "roof box"};
        for (int i = 0; i < BOOKINGS; i++) {
            long bookedAt = now - 30 * DAY + (30 * DAY - 5 * MINUTE) * i / BOOKINGS;
            long pickup = bookedAt + HOUR * (2 + rnd.nextInt(24 * 40));
            long ret = pickup + DAY * (1 + rnd.nextInt(14));
            String ref = "RX" + Long.toString(36L * 36 * 36 * 36 * 36 + i * 104_729L, 36).toUpperCase();
            Reservation r = new Reservation(ref, "Driver " + i, cats[rnd.nextInt(cats.length)], rnd.nextInt(BRANCHES), pickup, ret, bookedAt, new String[] {extrasPool[rnd.nextInt(5)]});
            svc.open.put(ref, r);
            svc.branches.get(r.pickupBranch).updates.add(new BranchUpdate(bookedAt, "BOOKED"));
        }
        for (Reservation r : new ArrayList<>(svc.open.values())) if (r.returnAt < now) { svc.open.remove(r.bookingRef); closed++; }
        // 48 requests in flight, each holding a leased connection while its query runs.
        CountDownLatch queryResults = new CountDownLatch(1);
        CountDownLatch allLeased = new CountDownLatch(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            final String who = "rental-api-" + (i + 1);
            Thread th = new Thread(() -> {
                try {
                    DbConnection c = svc.pool.lease(who);
                    allLeased.countDown();
                    queryResults.await();
                    svc.pool.release(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, who);
            th.setDaemon(true);
            svc.requestThreads.add(th);
            th.start();
        }
        allLeased.await();
        for (BranchLink l : svc.branches.values()) { while (!l.updates.isEmpty() || l.thread.getState() != Thread.State.WAITING) Thread.sleep(1); }
        for (Thread th : svc.requestThreads) { while (th.getState() != Thread.State.WAITING) Thread.sleep(1); }
        int syncThreads = 0, apiThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("branch-sync-")) syncThreads++;
            if (th.getName().startsWith("rental-api-")) apiThreads++;
        }
        long applied = 0;
        for (BranchLink l : svc.branches.values()) applied += l.applied;
        System.out.println("fleet " + Fleet.BY_PLATE.size() + " rate cards " + RateCards.BY_KEY.size() + " open reservations " + svc.open.size() + " (closed " + closed + ") branches " + svc.branches.size()
                + " sync threads " + syncThreads + " api threads " + apiThreads + " leased " + svc.pool.leased.size() + " idle " + svc.pool.idle.size() + " applied " + applied);
        check(Fleet.BY_PLATE.size() == VEHICLES && RateCards.BY_KEY.size() == RATE_CARDS, "reference data");
        check(svc.open.size() + closed == BOOKINGS && applied == BOOKINGS, "reservations");
        check(syncThreads == BRANCHES && apiThreads == IN_FLIGHT && svc.pool.leased.size() == IN_FLIGHT && svc.pool.idle.size() == POOL_SIZE - IN_FLIGHT, "threads/pool");
        LeakCheck.histogram("java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        queryResults.countDown();
        System.exit(0);
    }
}
