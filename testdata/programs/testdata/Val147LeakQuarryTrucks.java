// hprofscan-dump: name=val147-leak-quarrytrucks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val147-leak-quarrytrucks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 147 (written blind), LEAK: the weighbridge service of a group of quarries. Product
 * reference data, the truck directory, a cache of rendered delivery dockets at its cap, a pool of
 * docket-printer buffers, a ring of axle weighings, the open tickets by number (openById, what the
 * exit gate uses) and the set of trucks on site (onSite, a HashSet<HaulTicket> the site-safety
 * roll call iterates, filtering by status). HaulTicket's equals/hashCode include its status, which
 * changes while the ticket is in the set (ARRIVED -> LOADED -> DEPARTED / VOID), so
 * onSite.remove(ticket) at departure misses and every departed ticket stays in the set. The roll
 * call filters them out and openById is right, so nothing visible breaks. See VALIDATION147.md.
 */
public final class Val147LeakQuarryTrucks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, ROLL_CALL_EVERY = 10 * MINUTE;
    static final int PRODUCTS = 400, TRUCKS = 18_000, DOCKET_CAP = 1_500, POOL = 8, RING = 8_192, HOURS = 10, TICKETS_PER_HOUR = 3_600;
    static boolean FIXED;

    enum Status { ARRIVED, LOADED, DEPARTED, VOID }

    record Product(String code, String grade, double[] priceBands) {}
    record Truck(String plate, String haulier, int axles, byte[] permit, long registeredAt) {}
    record Docket(String key, byte[] rendered, long at) {}
    record AxleWeighing(String plate, int[] axleKg, long at) {}

    /** A weighbridge ticket; equals/hashCode were generated over its identifying fields, status included. */
    static final class HaulTicket {
        final long ticketNo;
        final String plate, productCode;
        Status status = Status.ARRIVED;
        int tareKg, grossKg;
        final long arrivedAt;
        long departedAt;
        final byte[] docket;
        HaulTicket(long ticketNo, String plate, String productCode, long arrivedAt, byte[] docket) {
            this.ticketNo = ticketNo; this.plate = plate; this.productCode = productCode; this.arrivedAt = arrivedAt; this.docket = docket;
        }
        @Override public boolean equals(Object o) {
            if (!(o instanceof HaulTicket h)) return false;
            return FIXED ? ticketNo == h.ticketNo : ticketNo == h.ticketNo && status == h.status;
        }
        @Override public int hashCode() {
            // the fix: hash the immutable ticket number only
            return FIXED ? Long.hashCode(ticketNo) : 31 * Long.hashCode(ticketNo) + status.ordinal();
        }
    }

    static final class DocketCache extends LinkedHashMap<String, Docket> {
        long evicted;
        DocketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Docket> e) { if (size() > DOCKET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_CODE = new HashMap<>();

    static final class Weighbridge {
        final Map<String, Truck> trucks = new HashMap<>();
        final Map<Long, HaulTicket> openById = new HashMap<>();
        final Set<HaulTicket> onSite = new HashSet<>();
        final DocketCache dockets = new DocketCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final AxleWeighing[] weighings = new AxleWeighing[RING];
        long weighed, issued, departed, voided, missedRemovals, rollCalls;

        void arrive(HaulTicket t) { openById.put(t.ticketNo, t); onSite.add(t); issued++; }
        void loaded(HaulTicket t, int grossKg) { t.status = Status.LOADED; t.grossKg = grossKg; }
        void leave(HaulTicket t, boolean rejected, long at) {
            t.status = rejected ? Status.VOID : Status.DEPARTED;
            t.departedAt = at;
            if (rejected) voided++; else departed++;
            openById.remove(t.ticketNo);
            if (!onSite.remove(t)) missedRemovals++; // BUG: the hash of the stored ticket was computed with an older status
        }
        /** Site-safety roll call: trucks on site, from the set, filtered by status. */
        int rollCall() {
            int n = 0;
            for (HaulTicket t : onSite) if (t.status == Status.ARRIVED || t.status == Status.LOADED) n++;
            rollCalls++;
            return n;
        }
    }

    static Weighbridge SERVICE;
    static long END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        END = end;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(147_020_001);
        String[] grades = {"6F2 fill", "20mm clean", "40mm ballast", "Type 1 sub-base", "Scalpings", "Dust 0-4", "10mm chip", "Rip-rap"};
        String[] productCodes = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            double[] bands = new double[48];
            for (int k = 0; k < bands.length; k++) bands[k] = 8 + rnd.nextDouble() * 30;
            String code = "AGG-" + (1_000 + p);
            productCodes[p] = code;
            PRODUCTS_BY_CODE.put(code, new Product(code, grades[p % grades.length], bands));
        }
        Weighbridge svc = new Weighbridge();
        SERVICE = svc;
        String[] plates = new String[TRUCKS];
        for (int i = 0; i < TRUCKS; i++) {
            String plate = "QT" + (10_000 + i) + (char) ('A' + i % 26);
            plates[i] = plate;
            svc.trucks.put(plate, new Truck(plate, "Haulier " + (i % 700), 4 + rnd.nextInt(3), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int i = 0; i < POOL; i++) svc.printerBuffers.add(new byte[16_384]);
        Random traffic = new Random(147_020_002);
        int tickets = TICKETS_PER_HOUR * HOURS;
        // pending events: loaded and departure times of the tickets on site (long[]{time, kind, index})
        PriorityQueue<long[]> pending = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[2], y[2]));
        HaulTicket[] byIndex = new HaulTicket[tickets];
        long nextRollCall = start + ROLL_CALL_EVERY;
        for (int i = 0; i < tickets; i++) {
            long t = start + (end - MINUTE - start) * i / tickets;
            while (!pending.isEmpty() && pending.peek()[0] <= t) {
                long[] ev = pending.poll();
                HaulTicket h = byIndex[(int) ev[2]];
                if (ev[1] == 0) svc.loaded(h, h.tareKg + 12_000 + traffic.nextInt(18_000));
                else { svc.leave(h, traffic.nextInt(50) == 0, ev[0]); byIndex[(int) ev[2]] = null; }
            }
            while (nextRollCall <= t) {
                int rc = svc.rollCall();
                check(rc == svc.openById.size(), "roll call " + rc + " vs open " + svc.openById.size());
                nextRollCall += ROLL_CALL_EVERY;
            }
            String plate = plates[traffic.nextInt(TRUCKS)];
            HaulTicket h = new HaulTicket(5_000_000L + i, plate, productCodes[traffic.nextInt(PRODUCTS)], t, new byte[64 + traffic.nextInt(64)]);
            h.tareKg = 9_000 + traffic.nextInt(6_000);
            byIndex[i] = h;
            svc.arrive(h);
            long dwell = (10 + traffic.nextInt(31)) * MINUTE;
            pending.add(new long[] {t + dwell / 2, 0, i});
            pending.add(new long[] {t + dwell, 1, i});
            int[] axles = new int[5];
            for (int k = 0; k < axles.length; k++) axles[k] = 2_000 + traffic.nextInt(6_000);
            svc.weighings[(int) (svc.weighed++ % RING)] = new AxleWeighing(plate, axles, t);
            String key = "docket-" + traffic.nextInt(4_000);
            if (svc.dockets.get(key) == null) svc.dockets.put(key, new Docket(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
        }
        // events up to the end of the period
        while (!pending.isEmpty() && pending.peek()[0] <= end) {
            long[] ev = pending.poll();
            HaulTicket h = byIndex[(int) ev[2]];
            if (ev[1] == 0) svc.loaded(h, h.tareKg + 12_000 + traffic.nextInt(18_000));
            else { svc.leave(h, traffic.nextInt(50) == 0, ev[0]); byIndex[(int) ev[2]] = null; }
        }
    }

    static void verify() {
        Weighbridge svc = SERVICE;
        int open = svc.openById.size(), stale = 0, loadedOpen = 0;
        long oldestStale = Long.MAX_VALUE;
        for (HaulTicket t : svc.onSite) {
            if (t.status == Status.DEPARTED || t.status == Status.VOID) { stale++; oldestStale = Math.min(oldestStale, t.departedAt); }
        }
        for (HaulTicket t : svc.openById.values()) if (t.status == Status.LOADED) loadedOpen++;
        int rc = svc.rollCall();
        System.out.println((FIXED ? "FIXED " : "") + "products " + PRODUCTS_BY_CODE.size() + " trucks " + svc.trucks.size() + " issued " + svc.issued + " departed " + svc.departed
                + " voided " + svc.voided + " open " + open + " (loaded " + loadedOpen + ") onSite " + svc.onSite.size() + " stale " + stale + " missed removals " + svc.missedRemovals
                + " oldest stale departure age min " + (oldestStale == Long.MAX_VALUE ? -1 : (END - oldestStale) / MINUTE) + " roll calls " + svc.rollCalls
                + " dockets " + svc.dockets.size() + " (evicted " + svc.dockets.evicted + ") pool " + svc.printerBuffers.size() + " weighed " + svc.weighed);
        check(PRODUCTS_BY_CODE.size() == PRODUCTS && svc.trucks.size() == TRUCKS, "reference data / directory");
        check(svc.issued == (long) TICKETS_PER_HOUR * HOURS && svc.issued == svc.departed + svc.voided + open, "ticket traffic");
        check(rc == open, "roll call");
        if (FIXED) check(svc.onSite.size() == open && stale == 0 && svc.missedRemovals == 0, "onSite holds the open tickets");
        else check(svc.onSite.size() == svc.issued && stale == svc.departed + svc.voided && svc.missedRemovals == stale, "onSite keeps every ticket: " + svc.onSite.size());
        check(svc.dockets.size() == DOCKET_CAP && svc.dockets.evicted > 0, "docket cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.weighed == svc.issued && svc.weighings[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val147.fixed");
        build();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
