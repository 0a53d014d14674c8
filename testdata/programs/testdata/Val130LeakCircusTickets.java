// hprofscan-dump: name=val130-leak-circustickets jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val130-leak-circustickets-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 130 (written blind), LEAK: the box-office service of a touring circus (big-top
 * shows in a new town every few days). Seat sales run on a fixed {@code ThreadPoolExecutor} of four
 * {@code box-office} threads. Venue reference data, the loyalty-member directory, a cache of
 * rendered e-tickets at its cap, a pool of ticket-print buffers, a ring of sales, a bounded audit
 * journal and a queue of refund requests with a normal backlog.
 *
 * <p>The leak: every sale writes its audit records (seat held, payment authorised or declined,
 * seat released, ticket issued, loyalty points) through {@code SaleAuditTrail.record}, which ships
 * each record to the journal and also appends it to the thread's {@code ThreadLocal<List<SaleAudit>>}
 * {@code SaleAuditTrail.TRAIL}, so that a declined payment can be compensated (the seats held by
 * this sale released) by walking back the records of the current sale. Nothing ever clears or
 * removes the list: the pool's four threads live for the whole run, and each thread's list keeps the
 * records of every sale it ever ran. The fix removes the value in the task's {@code finally}.
 * See VALIDATION130.md.
 */
public final class Val130LeakCircusTickets {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 1_000, MEMBERS = 20_000, ETICKET_CAP = 2_000, POOL = 8, RING = 8_192, JOURNAL = 4_096, HOURS = 10, SALES = 36_000, WORKERS = 4;
    static final String[] SECTIONS = {"RINGSIDE", "A", "B", "C", "D", "BOX", "GALLERY"};
    static final String[] CARDS = {"VISA", "MC", "AMEX", "MAESTRO"};
    static boolean FIXED;

    record Venue(String code, String town, int seats, double[] demandBySection) {}
    record Member(String memberId, String name, String tier, byte[] profile, long joinedAt) {}
    record ETicket(String key, byte[] rendered, long at) {}
    record Sale(long saleId, String venueCode, String seat, String outcome, int priceCents, long at) {}
    record RefundRequest(long refundId, long saleId, String reason, long at) {}
    record SaleAudit(long saleId, String action, String seat, String detail, long at) {}

    /** Everything random about a sale, drawn on main before it is submitted. */
    record SaleOrder(long saleId, String venueCode, String[] seats, String memberId, boolean declined, String card, int priceCents, long at) {}

    /** Audit trail of the sale the current thread is running. */
    static final class SaleAuditTrail {
        static final ThreadLocal<List<SaleAudit>> TRAIL = ThreadLocal.withInitial(ArrayList::new);
        final SaleAudit[] journal = new SaleAudit[JOURNAL];
        final AtomicLong shipped = new AtomicLong();

        void record(SaleAudit a) {
            TRAIL.get().add(a);
            synchronized (journal) { journal[(int) (shipped.getAndIncrement() % JOURNAL)] = a; }
        }

        /** Compensation: the seats this sale still holds, found by walking back its records. */
        List<String> heldSeats(long saleId) {
            List<SaleAudit> trail = TRAIL.get();
            List<String> held = new ArrayList<>();
            for (int i = trail.size() - 1; i >= 0 && trail.get(i).saleId() == saleId; i--) if (trail.get(i).action().equals("SEAT_HELD")) held.add(trail.get(i).seat());
            return held;
        }
    }

    static final class ETicketCache extends LinkedHashMap<String, ETicket> {
        long evicted;
        ETicketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ETicket> e) { if (size() > ETICKET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class BoxOfficeService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberIds = new String[MEMBERS];
        final String[] venueCodes = new String[VENUES];
        final ETicketCache etickets = new ETicketCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Sale[] sales = new Sale[RING];
        final ArrayDeque<RefundRequest> refunds = new ArrayDeque<>();
        final SaleAuditTrail audit = new SaleAuditTrail();
        ThreadPoolExecutor workers;
        final AtomicLong issued = new AtomicLong(), declined = new AtomicLong(), released = new AtomicLong(), tasks = new AtomicLong();
        long saleCount, refundCount, refundsDone;

        /** Runs on a box-office thread. */
        String sell(SaleOrder o) {
            try {
                for (String seat : o.seats()) audit.record(new SaleAudit(o.saleId(), "SEAT_HELD", seat, null, o.at()));
                if (o.declined()) {
                    audit.record(new SaleAudit(o.saleId(), "PAYMENT_DECLINED", null, o.card() + " issuer declined (05 do not honour), amount " + o.priceCents() + " cents", o.at()));
                    for (String seat : audit.heldSeats(o.saleId())) { audit.record(new SaleAudit(o.saleId(), "SEAT_RELEASED", seat, null, o.at())); released.incrementAndGet(); }
                    declined.incrementAndGet();
                    return "DECLINED";
                }
                audit.record(new SaleAudit(o.saleId(), "PAYMENT_AUTHORISED", null, o.card() + " auth " + Long.toHexString(0xA10000L + o.saleId() % 0xFFFF).toUpperCase() + ", amount " + o.priceCents() + " cents", o.at()));
                for (String seat : o.seats()) audit.record(new SaleAudit(o.saleId(), "TICKET_ISSUED", seat, null, o.at()));
                if (o.memberId() != null) audit.record(new SaleAudit(o.saleId(), "LOYALTY_POINTS", null, o.memberId() + " +" + o.priceCents() / 100, o.at()));
                issued.addAndGet(o.seats().length);
                return "ISSUED";
            } finally {
                tasks.incrementAndGet();
                if (FIXED) SaleAuditTrail.TRAIL.remove();
            }
        }

        void sale(Random r, long t) throws Exception {
            String venue = venueCodes[r.nextInt(VENUES)];
            int n = 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
            String section = SECTIONS[r.nextInt(SECTIONS.length)];
            int row = 1 + r.nextInt(20), first = 1 + r.nextInt(30);
            String[] seats = new String[n];
            for (int k = 0; k < n; k++) seats[k] = section + "-R" + row + "-S" + (first + k);
            String member = r.nextInt(3) == 0 ? memberIds[r.nextInt(MEMBERS)] : null;
            SaleOrder o = new SaleOrder(62_000_000L + saleCount, venue, seats, member, r.nextInt(12) == 0, CARDS[r.nextInt(CARDS.length)], n * (1_500 + 250 * r.nextInt(20)), t);
            String outcome = workers.submit(() -> sell(o)).get();
            sales[(int) (saleCount % RING)] = new Sale(o.saleId(), venue, seats[0], outcome, o.priceCents(), t);
            saleCount++;
            if (outcome.equals("ISSUED")) {
                String key = "eticket-" + o.saleId();
                etickets.put(key, new ETicket(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = printBuffers.poll();
                buf[(int) (o.saleId() % buf.length)] = (byte) n;
                printBuffers.add(buf);
                if (r.nextInt(40) == 0) refunds.addLast(new RefundRequest(330_000L + refundCount++, o.saleId(), "show cancelled: high winds at " + venue, t));
            }
            while (!refunds.isEmpty() && refunds.peekFirst().at() <= t - 20 * MINUTE) { refunds.removeFirst(); refundsDone++; }
        }
    }

    static BoxOfficeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(130_040_001);
        BoxOfficeService svc = new BoxOfficeService();
        SERVICE = svc;
        for (int v = 0; v < VENUES; v++) {
            double[] demand = new double[48];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble();
            svc.venueCodes[v] = "BT-" + (2_000 + v);
            VENUES_BY_CODE.put(svc.venueCodes[v], new Venue(svc.venueCodes[v], "Town " + v, 800 + 50 * rnd.nextInt(30), demand));
        }
        for (int i = 0; i < MEMBERS; i++) {
            svc.memberIds[i] = "CF" + (5_500_000 + i * 11);
            svc.members.put(svc.memberIds[i], new Member(svc.memberIds[i], "Member " + i, i % 10 == 0 ? "gold" : "standard", new byte[150 + rnd.nextInt(150)], now - (long) (5 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        AtomicInteger threadNo = new AtomicInteger();
        svc.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), run -> {
            Thread th = new Thread(run, "box-office-" + threadNo.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        svc.workers.prestartAllCoreThreads();
        Random traffic = new Random(130_040_002);
        for (int i = 0; i < SALES; i++) {
            long t = start + (end - MINUTE - start) * i / SALES;
            svc.sale(traffic, t);
        }
    }

    /** Sums the four threads' trail lists (read on the threads themselves). */
    static long[] trailSizes() throws Exception {
        BoxOfficeService svc = SERVICE;
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long total = 0;
        int threads = 0;
        for (int attempt = 0; attempt < 1_000 && seen.size() < WORKERS; attempt++) {
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Long>> fs = new ArrayList<>();
            // four probes that wait for each other: each of the four threads runs exactly one
            for (int w = 0; w < WORKERS; w++) fs.add(svc.workers.submit(() -> {
                gate.await();
                if (!seen.add(Thread.currentThread().getName())) return -1L;
                long size = SaleAuditTrail.TRAIL.get().size();
                if (FIXED) SaleAuditTrail.TRAIL.remove();
                return size;
            }));
            gate.countDown();
            for (java.util.concurrent.Future<Long> f : fs) { long r = f.get(); if (r >= 0) { total += r; threads++; } }
        }
        return new long[] {total, threads};
    }

    static final long ISSUED = 49_577, DECLINED = 2_901, RELEASED = 4_339, RECORDS = 154_905, ETICKET_EVICTED = 31_099, REFUNDS = 864, REFUND_BACKLOG = 23;

    static void report() throws Exception {
        BoxOfficeService svc = SERVICE;
        long[] trail = trailSizes();
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " members " + svc.members.size() + " sales " + svc.saleCount + " (tasks " + svc.tasks.get() + ") tickets issued " + svc.issued.get() + " declined " + svc.declined.get()
                + " seats released " + svc.released.get() + " audit records " + svc.audit.shipped.get() + " in the " + trail[1] + " threads' trails " + trail[0] + " etickets " + svc.etickets.size() + " (evicted " + svc.etickets.evicted + ") refunds " + svc.refundCount
                + " done " + svc.refundsDone + " backlog " + svc.refunds.size() + " pool " + svc.printBuffers.size() + " workers " + svc.workers.getPoolSize());
        check(VENUES_BY_CODE.size() == VENUES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.saleCount == SALES && svc.tasks.get() == SALES && svc.issued.get() == ISSUED && svc.declined.get() == DECLINED && svc.released.get() == RELEASED, "sales");
        check(svc.audit.shipped.get() == RECORDS && trail[1] == WORKERS, "audit records");
        check(trail[0] == (FIXED ? 0 : RECORDS), "records kept by the threads' trails: " + trail[0]);
        check(svc.etickets.size() == ETICKET_CAP && svc.etickets.evicted == ETICKET_EVICTED, "e-ticket cache at cap");
        check(svc.refundCount == REFUNDS && svc.refunds.size() == REFUND_BACKLOG, "refunds");
        check(svc.printBuffers.size() == POOL && svc.workers.getPoolSize() == WORKERS, "pools");
        check(svc.sales[RING - 1] != null && svc.audit.journal[JOURNAL - 1] != null, "rings");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val130.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
