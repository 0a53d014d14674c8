// hprofscan-dump: name=val43-leak-basketmakers-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val43-leak-basketmakers-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val43-leak-basketmakers jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val43-leak-basketmakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="stage=3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 43 (written blind), LEAK (series): the order-export service of a basket works (willow
 * log baskets, picnic hampers, shopping and bicycle baskets, sold online and to garden centres). Willow,
 * rush and cane reference data, the customer directory, a lazily warmed catalogue of basket designs, an
 * LRU of rendered shipping labels at its cap, a pool of weave-planner buffers, a ring of dispatch
 * records, the orders on the weaving benches (the backlog loaded at startup, then new orders), and the
 * export journal: every finished order's export record (a 300-600 byte text line) is appended to
 * ExportJournal.buffer, a long-lived java.io.ByteArrayOutputStream, and every 5 minutes
 * flushToWarehouse() sends buffer.toByteArray() to the warehouse link (a stub that counts the bytes
 * and drops the copy) but never calls buffer.reset(). The warehouse de-duplicates by order id, so the
 * repeated records went unnoticed. The one buffer keeps every record since startup; its byte[] grows by
 * doubling its capacity. Stage k (stage=1|2|3, one JVM run each) simulates 2 / 4 / 8 hours, so the
 * leak doubles twice. No thread besides main. See VALIDATION43.md.
 */
public final class Val43LeakBasketmakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MATERIALS = 800, CUSTOMERS = 20_000, DESIGNS = 1_600, LABEL_CAP = 1_000, POOL = 8, RING = 1_024, FLUSH_MINUTES = 5, JOURNAL_INITIAL = 8_192, HISTORY_MINUTES = 140;
    static final int[] STAGE_MINUTES = {120, 240, 480};
    static final String[] STYLES = {"log basket", "picnic hamper", "shopping basket", "bicycle basket", "laundry basket", "trug", "cradle", "fishing creel"};
    static final String[] KINDS = {"willow", "rush", "cane", "hazel", "sea grass"};
    static boolean FIXED;

    record Material(String code, String kind, double[] stockCurve) {}
    record Customer(String id, String name, byte[] deliveryAddress, long since) {}
    record BasketDesign(String code, String style, int heightMm, byte[] weavePattern, long designedAt) {}
    record ShippingLabel(String orderId, byte[] rendered, long printedAt) {}
    record Dispatch(String orderId, String customerId, int parcels, long dispatchedAt) {}
    record BasketOrder(String orderId, Customer customer, String designCode, String materialCode, int quantity, int priceCents, long placedAt, long dueAt) {}

    /** Stub of the warehouse link: counts what it is sent and drops the copy. */
    static final class WarehouseLink {
        long batches, bytesSent;
        void send(byte[] batch) { batches++; bytesSent += batch.length; }
    }

    /** The export journal: the finished orders' export records, shipped to the warehouse every 5 minutes. */
    static final class ExportJournal {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(JOURNAL_INITIAL);
        final WarehouseLink warehouse = new WarehouseLink();
        long records, flushes, peak;

        void append(byte[] line) {
            buffer.write(line, 0, line.length);
            records++;
            peak = Math.max(peak, buffer.size());
        }

        void flushToWarehouse() {
            warehouse.send(buffer.toByteArray());
            flushes++;
            if (FIXED) buffer.reset(); // the fix; the service as deployed never resets the buffer
        }

        /** The capacity of the buffer's byte[]: ByteArrayOutputStream doubles it whenever a write does not fit. */
        long capacity() {
            long cap = JOURNAL_INITIAL;
            while (cap < peak) cap <<= 1;
            return cap;
        }
    }

    /** An LRU of rendered shipping labels (reprinted when a parcel is re-labelled). */
    static final class LabelCache extends LinkedHashMap<String, ShippingLabel> {
        long evicted;
        LabelCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShippingLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class ExportService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, BasketDesign> designs = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> weaveBuffers = new ArrayDeque<>();
        final Dispatch[] dispatches = new Dispatch[RING];
        final Map<String, BasketOrder> openOrders = new HashMap<>();
        final ExportJournal journal = new ExportJournal();
        long dispatchesWritten;

        BasketDesign design(int d, long at) {
            String code = "BD-" + (3_000 + d);
            BasketDesign bd = designs.get(code);
            if (bd == null) {
                Random r = new Random(43_010_100L + d);
                bd = new BasketDesign(code, STYLES[d % STYLES.length], 150 + r.nextInt(600), new byte[1_000 + r.nextInt(1_000)], at - (long) (20 + r.nextInt(4_000)) * DAY);
                designs.put(code, bd);
            }
            return bd;
        }

        /** The export record of a finished order: one text line of exactly {@code length} bytes. */
        static byte[] exportRecord(BasketOrder o, long finishedAt, int length) {
            StringBuilder sb = new StringBuilder(length);
            sb.append("EXP|").append(o.orderId()).append('|').append(o.customer().id()).append('|').append(o.designCode()).append('|').append(o.materialCode())
                    .append("|qty=").append(o.quantity()).append("|price=").append(o.priceCents()).append("|placed=").append(o.placedAt()).append("|finished=").append(finishedAt)
                    .append("|ship-to=").append(o.customer().name()).append("|note=");
            String filler = " handle wrapped, lid hinged with leather, base slewed, packed in recycled card;";
            while (sb.length() < length - 1) sb.append(filler, 0, Math.min(filler.length(), length - 1 - sb.length()));
            sb.append('\n');
            byte[] line = sb.toString().getBytes(StandardCharsets.US_ASCII);
            if (line.length != length) throw new IllegalStateException("record length " + line.length);
            return line;
        }

        void finish(BasketOrder o, long at, Random traffic) {
            openOrders.remove(o.orderId());
            journal.append(exportRecord(o, at, 300 + traffic.nextInt(301)));
            dispatches[(int) (dispatchesWritten++ % RING)] = new Dispatch(o.orderId(), o.customer().id(), 1 + o.quantity() / 3, at);
            labels.put(o.orderId(), new ShippingLabel(o.orderId(), new byte[500 + traffic.nextInt(500)], at));
        }
    }

    static ExportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        check(stage >= 1 && stage <= 3, "stage " + stage);
        FIXED = Boolean.getBoolean("val43.fixed");
        int minutes = STAGE_MINUTES[stage - 1];
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - minutes * MINUTE;
        Random rnd = new Random(43_010_001);
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 50 + rnd.nextDouble() * 900;
            materialCodes[m] = "WL-" + (10_000 + m);
            MATERIALS_BY_CODE.put(materialCodes[m], new Material(materialCodes[m], KINDS[m % KINDS.length], c));
        }
        ExportService svc = new ExportService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "BC-" + (200_000 + c * 9);
            customers[c] = new Customer(id, "Customer " + c, new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(5_000)) * DAY);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.weaveBuffers.add(new byte[32_768]);

        Random traffic = new Random(43_010_002);
        Map<Long, List<BasketOrder>> due = new HashMap<>();
        long placed = 0, placedLive = 0, finished = 0, backlog = 0, warmed = 0;
        // The orders on the benches when the service started: the last 140 minutes of orders, loaded from the database.
        for (long minute = start - HISTORY_MINUTES * MINUTE; minute < end; minute += MINUTE) {
            boolean live = minute >= start;
            if (live) {
                List<BasketOrder> done = due.remove(minute);
                if (done != null) for (BasketOrder o : done) { svc.finish(o, minute + traffic.nextInt(60_000), traffic); finished++; }
                for (int w = 0; w < 20 && svc.designs.size() < DESIGNS; w++) svc.design((int) (warmed++ % DESIGNS), minute);
            }
            int orders = 10 + traffic.nextInt(14);
            for (int k = 0; k < orders; k++) {
                long at = minute + traffic.nextInt(60_000);
                Customer cust = customers[traffic.nextInt(CUSTOMERS)];
                int d = traffic.nextInt(DESIGNS);
                String designCode = live ? svc.design(d, at).code() : "BD-" + (3_000 + d);
                String material = materialCodes[traffic.nextInt(MATERIALS)];
                long dueAt = minute + (long) (20 + traffic.nextInt(121)) * MINUTE;
                BasketOrder o = new BasketOrder("BO-" + (1_000_000 + placed), cust, designCode, material, 1 + traffic.nextInt(6), 2_500 + traffic.nextInt(30_000), at, dueAt);
                placed++;
                if (live) placedLive++;
                else if (dueAt < start) continue; // finished before the restart
                else backlog++;
                svc.openOrders.put(o.orderId(), o);
                due.computeIfAbsent(dueAt, x -> new ArrayList<>()).add(o);
                if (live) {
                    byte[] buf = svc.weaveBuffers.poll();
                    buf[(int) (placed % buf.length)] = (byte) placed;
                    svc.weaveBuffers.add(buf);
                }
            }
            if (live && ((minute - start) / MINUTE + 1) % FLUSH_MINUTES == 0) svc.journal.flushToWarehouse();
        }
        due = null;
        ExportJournal j = svc.journal;
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + minutes + " min) materials " + MATERIALS_BY_CODE.size() + " customers " + svc.customers.size()
                + " designs " + svc.designs.size() + " placed " + placed + " (live " + placedLive + ") backlog " + backlog + " finished " + finished + " open " + svc.openOrders.size()
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") dispatches " + svc.dispatchesWritten + " pool " + svc.weaveBuffers.size()
                + " journal records " + j.records + " flushes " + j.flushes + " buffer count " + j.buffer.size() + " peak " + j.peak + " capacity " + j.capacity()
                + " warehouse batches " + j.warehouse.batches + " bytes sent " + j.warehouse.bytesSent);
        try {
            Field f = ByteArrayOutputStream.class.getDeclaredField("buf");
            f.setAccessible(true); // only with --add-opens java.base/java.io=ALL-UNNAMED
            int length = ((byte[]) f.get(j.buffer)).length;
            System.out.println("journal buffer byte[] length (reflection) " + length);
            check(length == j.capacity(), "journal capacity " + length);
        } catch (RuntimeException e) {
            // java.io is not opened to this module: the length is the doubling rule's (capacity())
        }
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.customers.size() == CUSTOMERS && svc.designs.size() == DESIGNS, "reference data / directory / designs");
        check(backlog == EXPECTED_BACKLOG && placedLive == EXPECTED_PLACED[stage - 1] && finished == EXPECTED_FINISHED[stage - 1] && svc.openOrders.size() == backlog + placedLive - finished, "orders");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == finished - LABEL_CAP && svc.dispatchesWritten == finished && svc.dispatches[RING - 1] != null && svc.weaveBuffers.size() == POOL, "labels / dispatches / pool");
        check(j.records == finished && j.flushes == minutes / FLUSH_MINUTES && j.warehouse.batches == j.flushes, "journal");
        if (FIXED) {
            check(j.buffer.size() == 0, "journal reset");
        } else {
            check(j.buffer.size() == EXPECTED_COUNT[stage - 1] && j.peak == j.buffer.size() && j.capacity() == EXPECTED_CAPACITY[stage - 1], "journal count " + j.buffer.size());
        }
        LeakCheck.histogram("  [I ", "  [B ", "java.io.ByteArrayOutputStream ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_BACKLOG = 1_256;
    static final long[] EXPECTED_PLACED = {1_949, 3_998, 7_864}, EXPECTED_FINISHED = {1_896, 3_896, 7_776}, EXPECTED_COUNT = {853_687, 1_750_897, 3_501_929}, EXPECTED_CAPACITY = {1_048_576, 2_097_152, 4_194_304};
}
