// hprofscan-dump: name=val112-healthy-greengrocers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val112-healthy-greengrocers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 112 (written blind), HEALTHY: the stock and ordering service of a chain of
 * greengrocers (shop tills, supplier orders, deliveries). Shop reference data, the directory of
 * produce lots, a cache of printed shelf labels at its cap, a pool of label-printer buffers, a ring
 * of till sales, the shop x product price matrix (one large double[]), a van queue with its normal
 * backlog, and bounded look-alikes of the set's leaks: a lock per open replenishment order removed
 * when the order is delivered, one Semaphore per supplier (a fixed 300), the open orders as
 * aggregates whose domain events are cleared after publishing (delivered orders leave the
 * repository), a supplier EDI message builder reset after every message, and a barcode parser with
 * a cache of its 5 fixed GS1 patterns. See VALIDATION112.md.
 */
public final class Val112HealthyGreengrocers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, VAN_SLA = 20 * MINUTE;
    static final int SHOPS = 1_200, PRODUCTS = 400, LOTS = 20_000, SUPPLIERS = 300, LABEL_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, SALES_PER_HOUR = 6_000;

    record Shop(String code, String town, double[] takingsByHour) {}
    record ProduceLot(String lotNo, String supplierCode, int productIndex, String origin, byte[] traceability, long harvestedAt) {}
    record ShelfLabel(String key, byte[] printed, long at) {}
    record TillSale(String shopCode, String lotNo, int grams, int pence, long at) {}
    record VanRun(String orderId, String shopCode, long loadedAt) {}
    record Envelope(String eventId, String type, String orderId, long at) {}

    abstract static class OrderEvent {
        final String eventId; final long at;
        OrderEvent(String eventId, long at) { this.eventId = eventId; this.at = at; }
        abstract String type();
    }
    static final class OrderPlaced extends OrderEvent {
        final String supplierCode; OrderPlaced(String id, long at, String supplierCode) { super(id, at); this.supplierCode = supplierCode; }
        String type() { return "OrderPlaced"; }
    }
    static final class LineAdded extends OrderEvent {
        final String lotNo; final int kilos; LineAdded(String id, long at, String lotNo, int kilos) { super(id, at); this.lotNo = lotNo; this.kilos = kilos; }
        String type() { return "LineAdded"; }
    }
    static final class OrderDelivered extends OrderEvent {
        OrderDelivered(String id, long at) { super(id, at); }
        String type() { return "OrderDelivered"; }
    }

    /** Aggregate: a shop's replenishment order, open until delivered. */
    static final class ReplenishmentOrder {
        final String orderId; final String shopCode; final String supplierCode; final long placedAt; final List<String> lots = new ArrayList<>(); int kilos;
        private List<OrderEvent> events = new ArrayList<>();
        ReplenishmentOrder(String orderId, String shopCode, String supplierCode, long placedAt) { this.orderId = orderId; this.shopCode = shopCode; this.supplierCode = supplierCode; this.placedAt = placedAt; }
        void raise(OrderEvent e) { events.add(e); }
        List<OrderEvent> drainEvents() { List<OrderEvent> out = events; events = new ArrayList<>(2); return out; }
    }

    static final class LabelCache extends LinkedHashMap<String, ShelfLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShelfLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    /** GS1 barcode shapes: a cache filled by the 5 formats the scanners send. */
    static final class BarcodeParser {
        static final String[] FORMATS = {"ean13", "ean8", "gs1-weight", "gs1-price", "lot-label"};
        final ConcurrentHashMap<String, Pattern> patterns = new ConcurrentHashMap<>();
        long parsed;
        Pattern patternFor(String format) {
            return patterns.computeIfAbsent(format, f -> switch (f) {
                case "ean13" -> Pattern.compile("^(\\d{12})(\\d)$");
                case "ean8" -> Pattern.compile("^(\\d{7})(\\d)$");
                case "gs1-weight" -> Pattern.compile("^2(\\d)(\\d{5})(\\d{5})(\\d)$");
                case "gs1-price" -> Pattern.compile("^02(\\d{5})(\\d{5})(\\d)$");
                default -> Pattern.compile("^LOT-([A-Z]{2})(\\d{6})$");
            });
        }
    }

    /** Builds one supplier EDI (ORDERS) message at a time; reset after each. */
    static final class EdiWriter {
        final StringBuilder message = new StringBuilder(16_384);
        long messages, chars;
        void send(ReplenishmentOrder o, Writer out) throws java.io.IOException {
            message.append("UNH+").append(o.orderId).append("+ORDERS:D:96A:UN'BGM+220+").append(o.orderId).append("'NAD+SU+").append(o.supplierCode).append("'NAD+DP+").append(o.shopCode).append('\'');
            int n = 0;
            for (String lot : o.lots) message.append("LIN+").append(++n).append("++").append(lot).append("'QTY+21:").append(o.kilos / Math.max(1, o.lots.size())).append(":KGM'");
            message.append("UNT+").append(4 + 2 * n).append('+').append(o.orderId).append('\'');
            chars += message.length();
            out.append(message);
            message.setLength(0);
            messages++;
        }
    }

    static final Map<String, Shop> SHOPS_BY_CODE = new HashMap<>();

    static final class StockService {
        final Map<String, ProduceLot> lots = new HashMap<>();
        final String[] lotNos = new String[LOTS];
        final String[] shopCodes = new String[SHOPS];
        final String[] supplierCodes = new String[SUPPLIERS];
        final double[] priceMatrix = new double[SHOPS * PRODUCTS];
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final TillSale[] sales = new TillSale[RING];
        final Map<String, ReplenishmentOrder> openOrders = new HashMap<>();
        final ConcurrentHashMap<String, ReentrantLock> orderLocks = new ConcurrentHashMap<>();
        final Map<String, Semaphore> supplierSlots = new HashMap<>();
        final ArrayDeque<VanRun> vanQueue = new ArrayDeque<>();
        final Envelope[] outbox = new Envelope[2_048];
        final BarcodeParser barcodes = new BarcodeParser();
        final EdiWriter edi = new EdiWriter();
        final Writer ediLink = Writer.nullWriter();
        long saleCount, orders, delivered, events, published, vans, vansLeft, orderSeq = 41_000, eventSeq = 0x6600_0000L;

        void publish(ReplenishmentOrder o, long t) {
            for (OrderEvent e : o.drainEvents()) { outbox[(int) (published++ % outbox.length)] = new Envelope(e.eventId, e.type(), o.orderId, t); }
        }

        static String scanned(String format, Random r) {
            long digits = 100_000_000_000L + r.nextInt(900_000_000);
            return switch (format) {
                case "ean13" -> "5" + digits;
                case "ean8" -> "5012345" + r.nextInt(10);
                case "gs1-weight" -> "2" + digits;
                case "gs1-price" -> "02" + (digits / 10);
                default -> "LOT-GB" + (100_000 + r.nextInt(900_000));
            };
        }

        void sale(Random r, long t) throws java.io.IOException {
            String shop = shopCodes[r.nextInt(SHOPS)];
            ProduceLot lot = lots.get(lotNos[r.nextInt(LOTS)]);
            String format = BarcodeParser.FORMATS[r.nextInt(BarcodeParser.FORMATS.length)];
            Matcher m = barcodes.patternFor(format).matcher(scanned(format, r));
            if (m.matches()) barcodes.parsed++;
            int grams = 100 + r.nextInt(2_000);
            int pence = (int) (priceMatrix[Math.floorMod(shop.hashCode(), SHOPS) * PRODUCTS + lot.productIndex()] * grams / 1_000);
            sales[(int) (saleCount++ % RING)] = new TillSale(shop, lot.lotNo(), grams, pence, t);
            if (r.nextInt(100) < 35) {
                String key = shop + "/" + lot.productIndex() + "/" + r.nextInt(12);
                if (labels.get(key) == null) labels.put(key, new ShelfLabel(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = printerBuffers.poll();
                buf[(int) (saleCount % buf.length)] = (byte) pence;
                printerBuffers.add(buf);
            }
            if (r.nextInt(100) < 4) order(shop, r, t);
        }

        void order(String shop, Random r, long t) throws java.io.IOException {
            String supplier = supplierCodes[r.nextInt(SUPPLIERS)];
            Semaphore slot = supplierSlots.get(supplier);
            if (!slot.tryAcquire()) throw new IllegalStateException("supplier slot leaked: " + supplier);
            try {
                String orderId = "RO-" + (orderSeq++);
                ReentrantLock lock = orderLocks.computeIfAbsent(orderId, id -> new ReentrantLock());
                lock.lock();
                try {
                    ReplenishmentOrder o = new ReplenishmentOrder(orderId, shop, supplier, t);
                    o.raise(new OrderPlaced("oe-" + Long.toHexString(eventSeq++), t, supplier));
                    int lines = 1 + r.nextInt(4);
                    for (int k = 0; k < lines; k++) {
                        String lotNo = lotNos[r.nextInt(LOTS)];
                        int kilos = 5 + r.nextInt(60);
                        o.lots.add(lotNo); o.kilos += kilos;
                        o.raise(new LineAdded("oe-" + Long.toHexString(eventSeq++), t, lotNo, kilos));
                    }
                    events += 1 + lines;
                    openOrders.put(orderId, o);
                    edi.send(o, ediLink);
                    publish(o, t);
                    orders++;
                } finally {
                    lock.unlock();
                }
                vanQueue.add(new VanRun(orderId, shop, t));
                vans++;
            } finally {
                slot.release();
            }
        }

        /** Vans leave 20 minutes after loading; the order is delivered and leaves the repository with its lock. */
        void dispatchVans(long t) {
            while (!vanQueue.isEmpty() && vanQueue.peek().loadedAt() <= t - VAN_SLA) {
                VanRun run = vanQueue.poll();
                vansLeft++;
                ReentrantLock lock = orderLocks.get(run.orderId());
                lock.lock();
                try {
                    ReplenishmentOrder o = openOrders.remove(run.orderId());
                    o.raise(new OrderDelivered("oe-" + Long.toHexString(eventSeq++), t));
                    events++;
                    publish(o, t);
                    delivered++;
                } finally {
                    lock.unlock();
                    orderLocks.remove(run.orderId(), lock);
                }
            }
        }
    }

    static StockService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws java.io.IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(112_060_001);
        StockService svc = new StockService();
        SERVICE = svc;
        String[] towns = {"Bristol", "Bath", "Frome", "Wells", "Taunton", "Yeovil", "Stroud", "Cheltenham", "Gloucester"};
        for (int s = 0; s < SHOPS; s++) {
            double[] takings = new double[72];
            for (int k = 0; k < takings.length; k++) takings[k] = rnd.nextDouble() * 400;
            svc.shopCodes[s] = "GG" + (5_000 + s * 3);
            SHOPS_BY_CODE.put(svc.shopCodes[s], new Shop(svc.shopCodes[s], towns[s % towns.length], takings));
        }
        for (int k = 0; k < svc.priceMatrix.length; k++) svc.priceMatrix[k] = 80 + rnd.nextDouble() * 900;
        for (int p = 0; p < SUPPLIERS; p++) { svc.supplierCodes[p] = "SUP" + (700 + p); svc.supplierSlots.put(svc.supplierCodes[p], new Semaphore(4)); }
        String[] origins = {"Kent", "Herefordshire", "Cornwall", "Lincolnshire", "Spain", "Morocco", "Kenya", "Netherlands", "Peru"};
        for (int i = 0; i < LOTS; i++) {
            svc.lotNos[i] = "LOT-GB" + (200_000 + i * 9);
            svc.lots.put(svc.lotNos[i], new ProduceLot(svc.lotNos[i], svc.supplierCodes[rnd.nextInt(SUPPLIERS)], rnd.nextInt(PRODUCTS), origins[rnd.nextInt(origins.length)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(20)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(112_060_002);
        int sales = HOURS * SALES_PER_HOUR;
        for (int i = 0; i < sales; i++) {
            long t = start + (end - MINUTE - start) * i / sales;
            svc.dispatchVans(t);
            svc.sale(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        simulate();
        StockService svc = SERVICE;
        int sales = HOURS * SALES_PER_HOUR;
        int held = 0;
        for (ReentrantLock l : svc.orderLocks.values()) if (l.isLocked()) held++;
        for (Semaphore s : svc.supplierSlots.values()) if (s.availablePermits() != 4) held++;
        long pending = 0;
        for (ReplenishmentOrder o : svc.openOrders.values()) pending += o.events.size();
        System.out.println("shops " + SHOPS_BY_CODE.size() + " lots " + svc.lots.size() + " sales " + svc.saleCount + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") orders " + svc.orders
                + " delivered " + svc.delivered + " open " + svc.openOrders.size() + " order locks " + svc.orderLocks.size() + " events " + svc.events + " published " + svc.published + " pending " + pending
                + " edi messages " + svc.edi.messages + " (" + svc.edi.chars + " chars, builder capacity " + svc.edi.message.capacity() + ") barcodes parsed " + svc.barcodes.parsed + " patterns " + svc.barcodes.patterns.size()
                + " vans " + svc.vans + " left " + svc.vansLeft + " queued " + svc.vanQueue.size() + " pool " + svc.printerBuffers.size());
        check(SHOPS_BY_CODE.size() == SHOPS && svc.lots.size() == LOTS && svc.supplierSlots.size() == SUPPLIERS, "reference data / directory");
        check(svc.saleCount == sales && svc.barcodes.parsed == sales && svc.barcodes.patterns.size() == 5, "traffic, barcode patterns");
        check(svc.openOrders.size() == svc.vanQueue.size() && svc.orderLocks.size() == svc.openOrders.size() && svc.orders == svc.delivered + svc.openOrders.size(), "open orders and their locks");
        check(svc.openOrders.size() > 0 && svc.openOrders.size() < 300 && held == 0 && pending == 0 && svc.published == svc.events, "bounded open orders, events published and cleared");
        check(svc.edi.message.length() == 0 && svc.edi.message.capacity() == 16_384 && svc.edi.messages == svc.orders, "EDI builder reset per message");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.sales[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
