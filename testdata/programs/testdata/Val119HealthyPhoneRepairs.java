// hprofscan-dump: name=val119-healthy-phonerepairs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val119-healthy-phonerepairs-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Validation set 119 (written blind), HEALTHY: the till and workshop service of a high-street
 * phone-repair chain (screens, batteries, charging ports; accessories fitted at the counter). Shop
 * reference data, the customer directory, a price matrix, a cache of rendered receipts at its cap, a
 * pool of ticket-printer buffers, a ring of till sales, the "ready for collection" SMS queue, and
 * look-alikes of the set's leaks done right: the workshop's set of phones in repair hashes on the
 * immutable ticket number (the status changes, the ticket leaves the set when ready); the spare-part
 * catalogue cache is keyed by a value class with equals/hashCode over a fixed set of 96 (brand,
 * model family) pairs; every label print run registers a shutdown hook
 * and removes it when the run closes (none is running at the dump); till-session totals live in a
 * WeakHashMap whose values hold only the till id. See VALIDATION119.md.
 */
public final class Val119HealthyPhoneRepairs {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, PRINT_EVERY = 20 * MINUTE, SESSION_LENGTH = 4 * HOUR;
    static final int SHOPS = 1_100, SERVICES = 250, CUSTOMERS = 20_000, RECEIPT_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10,
            SALES_PER_HOUR = 6_000;

    static final String[] REPAIRS = {"screen replacement (OLED)", "screen replacement (LCD)", "battery replacement", "charging port repair",
            "rear glass replacement", "camera lens replacement", "water damage clean", "speaker replacement", "software restore", "data recovery"};
    static final String[] BRANDS = {"Apple", "Samsung", "Google", "Xiaomi", "OnePlus", "Motorola", "Nokia", "Sony", "Oppo", "Huawei",
            "Honor", "Fairphone"};
    static final String[] FAMILIES = {"flagship-24", "flagship-23", "flagship-22", "midrange-24", "midrange-23", "budget-24", "budget-23",
            "foldable"};

    record Shop(String code, String town, double[] takingsByHour) {}
    record Customer(String cardNo, String name, String phone, byte[] preferences, long joinedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Sale(String shopCode, String item, int pence, long at) {}
    record Sms(String phone, String text, long queuedAt) {}
    record SparePart(String brand, String family, String partCode, int stock, double fittingPence) {}

    /** The spare-part catalogue key: a value class compared by brand and model family. */
    static final class PartKey {
        final String brand;
        final String family;
        PartKey(String brand, String family) { this.brand = brand; this.family = family; }
        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof PartKey)) return false;
            PartKey k = (PartKey) o;
            return brand.equals(k.brand) && family.equals(k.family);
        }
        @Override public int hashCode() { return brand.hashCode() * 31 + family.hashCode(); }
    }

    /** A phone in the workshop; equality is the ticket number only. */
    static final class RepairTicket {
        final String ticketNo;
        final String shopCode;
        final String customerCard;
        final String repair;
        final long readyAt;
        String status = "RECEIVED";
        RepairTicket(String ticketNo, String shopCode, String customerCard, String repair, long readyAt) {
            this.ticketNo = ticketNo; this.shopCode = shopCode; this.customerCard = customerCard; this.repair = repair; this.readyAt = readyAt;
        }
        @Override public boolean equals(Object o) { return o instanceof RepairTicket && ((RepairTicket) o).ticketNo.equals(ticketNo); }
        @Override public int hashCode() { return ticketNo.hashCode(); }
    }

    /** One till's trading session (a shift). */
    static final class TillSession {
        final String tillId;
        final String sessionId;
        final long openedAt;
        TillSession(String tillId, String sessionId, long openedAt) { this.tillId = tillId; this.sessionId = sessionId; this.openedAt = openedAt; }
    }

    /** Running totals of a session: the till id and counters, not the session. */
    static final class SessionTotals {
        final String tillId;
        int sales;
        long pence;
        SessionTotals(String tillId) { this.tillId = tillId; }
    }

    static final class LabelRun {
        final long runId; final long startedAt; final byte[] spool; boolean spoolDeleted;
        LabelRun(long runId, long startedAt, byte[] spool) { this.runId = runId; this.startedAt = startedAt; this.spool = spool; }
        void deleteSpool() { spoolDeleted = true; }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) {
            if (size() > RECEIPT_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class RepairService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] cards = new String[CUSTOMERS];
        final String[] shopCodes = new String[SHOPS];
        final double[] priceMatrix = new double[SHOPS * SERVICES];
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Sale[] sales = new Sale[RING];
        final ArrayDeque<Sms> smsQueue = new ArrayDeque<>();
        final Set<RepairTicket> inRepair = new HashSet<>();
        final PriorityQueue<RepairTicket> bench = new PriorityQueue<>(
                Comparator.comparingLong((RepairTicket k) -> k.readyAt).thenComparing(k -> k.ticketNo));
        final Map<PartKey, SparePart> parts = new HashMap<>();
        final Map<String, TillSession> sessionOfShop = new HashMap<>();
        final Map<TillSession, SessionTotals> totals = new WeakHashMap<>();
        LabelRun runningLabels; Thread labelHook;
        long saleCount, tickets, ready, accessoriesFitted, smsQueued, smsSent, sessionsOpened, labelRuns, hooksAdded, hooksRemoved, prints;

        void sale(Random r, long t) {
            int s = r.nextInt(SHOPS);
            String shop = shopCodes[s];
            Customer c = customers.get(cards[r.nextInt(CUSTOMERS)]);
            int kind = r.nextInt(10);
            String item;
            int pence;
            if (kind < 4) {
                PartKey key = new PartKey(BRANDS[r.nextInt(BRANDS.length)], FAMILIES[r.nextInt(FAMILIES.length)]);
                SparePart part = parts.get(key);
                if (part == null) {
                    part = new SparePart(key.brand, key.family, "SP-" + key.brand.substring(0, 2).toUpperCase(Locale.ROOT) + "-" + key.family, 40 + r.nextInt(200), 450 + r.nextInt(600));
                    parts.put(key, part);
                }
                item = "screen protector fitted " + part.partCode();
                pence = (int) part.fittingPence();
                accessoriesFitted++;
            } else {
                int service = r.nextInt(REPAIRS.length);
                item = REPAIRS[service];
                pence = (int) (priceMatrix[s * SERVICES + service] * 100);
                RepairTicket ticket = new RepairTicket("PRT-" + (5_500_000 + tickets++), shop, c.cardNo(), item, t + (20 + r.nextInt(61)) * MINUTE);
                inRepair.add(ticket);
                bench.add(ticket);
            }
            sales[(int) (saleCount++ % RING)] = new Sale(shop, item, pence, t);
            SessionTotals tot = totals.get(sessionOfShop.get(shop));
            tot.sales++;
            tot.pence += pence;
            String rk = "receipt-" + shop + "-" + r.nextInt(4);
            if (receipts.get(rk) == null) receipts.put(rk, new Receipt(rk, new byte[400 + r.nextInt(400)], t));
            byte[] buf = printerBuffers.poll();
            buf[(int) (prints++ % buf.length)] = (byte) pence;
            printerBuffers.add(buf);
        }

        /** The bench finishes tickets in ready order: status changes, the ticket leaves the set (same hash). */
        void finishRepairs(long t) {
            while (!bench.isEmpty() && bench.peek().readyAt <= t) {
                RepairTicket ticket = bench.poll();
                ticket.status = "READY";
                if (inRepair.remove(ticket)) ready++;
                Customer c = customers.get(ticket.customerCard);
                smsQueue.add(new Sms(c.phone(), "Your phone (" + ticket.repair + ", " + ticket.ticketNo + ") is ready at " + SHOPS_BY_CODE.get(ticket.shopCode).town(), t));
                smsQueued++;
            }
        }

        void sendSms(long t) {
            while (!smsQueue.isEmpty() && smsQueue.peek().queuedAt() <= t - 2 * MINUTE) { smsQueue.poll(); smsSent++; }
        }

        void openSession(String shop, long t) {
            TillSession session = new TillSession(shop + "/T1", "TS-" + (7_000_000 + sessionsOpened++), t);
            sessionOfShop.put(shop, session);
            totals.put(session, new SessionTotals(session.tillId));
        }

        void startLabelRun(Random r, long t) {
            LabelRun run = new LabelRun(44_000 + labelRuns++, t, new byte[2_048 + r.nextInt(2_048)]);
            Thread hook = new Thread(run::deleteSpool, "label-spool-cleanup-" + run.runId);
            Runtime.getRuntime().addShutdownHook(hook);
            hooksAdded++;
            runningLabels = run;
            labelHook = hook;
        }

        void finishLabelRun() {
            if (runningLabels == null) return;
            runningLabels.deleteSpool();
            if (Runtime.getRuntime().removeShutdownHook(labelHook)) hooksRemoved++;
            runningLabels = null;
            labelHook = null;
        }
    }

    static RepairService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(119_060_001);
        RepairService svc = new RepairService();
        SERVICE = svc;
        for (int s = 0; s < SHOPS; s++) {
            double[] takings = new double[72];
            for (int k = 0; k < takings.length; k++) takings[k] = rnd.nextDouble() * 400;
            svc.shopCodes[s] = "PR" + (1_000 + s);
            SHOPS_BY_CODE.put(svc.shopCodes[s], new Shop(svc.shopCodes[s], "Town " + (s % 430), takings));
        }
        for (int k = 0; k < svc.priceMatrix.length; k++) svc.priceMatrix[k] = 6 + rnd.nextInt(6_000) / 100.0;
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.cards[i] = "LC" + (88_000_000 + i * 13);
            svc.customers.put(svc.cards[i], new Customer(svc.cards[i], "Customer " + i, "07700 " + (100_000 + i * 17 % 900_000), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        // each shop's till session started some time in the last shift; sessions rotate every 4 hours
        long[] nextRotation = new long[SHOPS];
        for (int s = 0; s < SHOPS; s++) {
            long opened = start - (long) rnd.nextInt(240) * MINUTE;
            svc.openSession(svc.shopCodes[s], opened);
            nextRotation[s] = opened + SESSION_LENGTH;
        }
        Random traffic = new Random(119_060_002), labels = new Random(119_060_003);
        int saleCount = SALES_PER_HOUR * HOURS;
        long nextPrint = start + PRINT_EVERY, nextSms = start + 5 * MINUTE;
        for (int i = 0; i < saleCount; i++) {
            long t = start + (end - MINUTE - start) * i / saleCount;
            while (nextPrint <= t) { svc.startLabelRun(labels, nextPrint); nextPrint += PRINT_EVERY; }
            if (svc.runningLabels != null && svc.runningLabels.startedAt + 5 * MINUTE <= t) svc.finishLabelRun();
            svc.finishRepairs(t);
            while (nextSms <= t) { svc.sendSms(nextSms); nextSms += 5 * MINUTE; }
            if (i % 100 == 0) {
                for (int s = 0; s < SHOPS; s++) {
                    if (nextRotation[s] <= t) { svc.openSession(svc.shopCodes[s], nextRotation[s]); nextRotation[s] += SESSION_LENGTH; }
                }
            }
            svc.sale(traffic, t);
        }
    }

    /** Lets the collector clear the closed sessions; the WeakHashMap expunges on size(). */
    static int settledTotals(int expected) throws InterruptedException {
        int size = SERVICE.totals.size();
        for (int tries = 0; tries < 50 && size != expected; tries++) {
            System.gc();
            Thread.sleep(20);
            size = SERVICE.totals.size();
        }
        return size;
    }

    static String verify() throws InterruptedException {
        RepairService svc = SERVICE;
        int saleCount = SALES_PER_HOUR * HOURS;
        int totals = settledTotals(SHOPS);
        long hooks = svc.hooksAdded - svc.hooksRemoved;
        String summary = "shops " + SHOPS_BY_CODE.size() + " customers " + svc.customers.size() + " sales " + svc.saleCount + " accessories fitted " + svc.accessoriesFitted
                + " parts " + svc.parts.size() + " tickets " + svc.tickets + " ready " + svc.ready + " in repair " + svc.inRepair.size() + " sms "
                + svc.smsQueued + " sent " + svc.smsSent + " queued " + svc.smsQueue.size() + " sessions opened " + svc.sessionsOpened + " session totals "
                + totals + " label runs " + svc.labelRuns + " hooks " + hooks + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted
                + ") pool " + svc.printerBuffers.size();
        check(SHOPS_BY_CODE.size() == SHOPS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.saleCount == saleCount && svc.accessoriesFitted + svc.tickets == saleCount, "sales");
        check(svc.parts.size() == BRANDS.length * FAMILIES.length, "spare parts " + svc.parts.size());
        check(svc.inRepair.size() == svc.bench.size() && svc.ready + svc.inRepair.size() == svc.tickets && svc.inRepair.size() < 4_000, "in repair");
        check(svc.smsQueued == svc.ready && svc.smsSent + svc.smsQueue.size() == svc.smsQueued && svc.smsQueue.size() < 1_000, "sms");
        check(totals == SHOPS && svc.sessionOfShop.size() == SHOPS && svc.sessionsOpened > 2L * SHOPS, "session totals " + totals);
        check(svc.labelRuns == HOURS * 3L - 1 && hooks == 0 && svc.runningLabels == null, "label runs / hooks");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.printerBuffers.size() == POOL && svc.sales[RING - 1] != null, "pool / ring");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        simulate();
        System.out.println(verify());
        LeakCheck.histogram("java.util.WeakHashMap", "java.lang.Thread ", "java.util.IdentityHashMap", "[D ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
