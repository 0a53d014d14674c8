// hprofscan-dump: name=val45-healthy-tinsmiths-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val45-healthy-tinsmiths-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val45-healthy-tinsmiths jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val45-healthy-tinsmiths-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 45 (written blind), HEALTHY: the web shop of a tinware workshop (tinsmiths).
 * Sheet-gauge reference data, the product-design directory, a cache of rendered product pages at
 * its cap, a pool of press-program buffers, a ring of recent orders, an error tracker whose
 * fingerprint is the exception class and its throw site (one record per kind of error, each with
 * the last exception and its stack trace) plus a bounded list of the last 256 exceptions, and a
 * publish/subscribe broker with one topic per order (replay buffer of the last 5 events) that is
 * deleted when the order ships or is cancelled, beside two long-lived shop topics. Warms up, then
 * plateaus. See VALIDATION45.md.
 */
public final class Val45HealthyTinsmiths {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int GAUGES = 1_400, DESIGNS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, TICKS_PER_HOUR = 6_000, RECENT_ERRORS = 256;
    static final int ORDER_REPLAY = 5, STOCK_REPLAY = 256, NEWS_REPLAY = 32;
    static final String[] STAGES = {"PLACED", "PAID", "CUT", "SOLDERED", "PACKED", "SHIPPED", "CANCELLED"};

    record SheetGauge(String code, String alloy, double[] thicknessTolerance) {}
    record ProductDesign(String sku, String gaugeCode, String name, byte[] pattern, long publishedAt) {}
    record ProductPage(String key, byte[] rendered, long at) {}
    record OrderSummary(String orderId, String sku, int quantity, long totalCents, long at) {}
    /** outcome: 0 ok, 1 solder spec, 2 sheet shortage, 3 payment declined, 4 carrier rejected. */
    record Checkout(String orderId, String sku, int quantity, int outcome, long at) {}
    record TopicEvent(String type, long at, byte[] payload) {}
    record ErrorSample(Throwable error, long at) {}

    static class ShopException extends Exception { ShopException(String m) { super(m); } }
    static final class SolderSpecException extends ShopException { SolderSpecException(String m) { super(m); } }
    static final class SheetShortageException extends ShopException { SheetShortageException(String m) { super(m); } }
    static final class PaymentDeclinedException extends ShopException { PaymentDeclinedException(String m) { super(m); } }
    static final class CarrierRejectedException extends ShopException { CarrierRejectedException(String m) { super(m); } }

    static final class Validation {
        static void solder(Checkout c) throws SolderSpecException {
            if (c.outcome() == 1) throw new SolderSpecException("Order " + c.orderId() + ": lead-free solder not rated for " + c.sku());
        }
    }
    static final class Stock {
        static void reserve(Checkout c) throws SheetShortageException {
            if (c.outcome() == 2) throw new SheetShortageException("Order " + c.orderId() + " needs " + (c.quantity() * 2) + " sheets for " + c.sku() + ", " + (c.quantity() % 3) + " left");
        }
    }
    static final class Payments {
        static long charge(Checkout c) throws PaymentDeclinedException {
            if (c.outcome() == 3) throw new PaymentDeclinedException("Payment declined for order " + c.orderId() + ": card expired");
            return 1_250L * c.quantity();
        }
    }
    static final class Shipping {
        static void book(Checkout c) throws CarrierRejectedException {
            if (c.outcome() == 4) throw new CarrierRejectedException("Carrier rejected order " + c.orderId() + ": parcel " + (60 + c.quantity()) + " cm long");
        }
    }

    static final class ErrorRecord {
        final String fingerprint; final long firstSeen; long count, lastSeen; Throwable last;
        ErrorRecord(String fingerprint, long at) { this.fingerprint = fingerprint; this.firstSeen = at; }
    }

    /** Groups errors by exception class and throw site; keeps the last 256 exceptions for the debug page. */
    static final class ErrorTracker {
        final Map<String, ErrorRecord> byFingerprint = new HashMap<>();
        final ArrayDeque<ErrorSample> recent = new ArrayDeque<>(RECENT_ERRORS);
        long captured, dropped;
        void capture(Throwable t, long at) {
            captured++;
            StackTraceElement[] st = t.getStackTrace();
            String fp = t.getClass().getName() + " @ " + st[0] + " < " + st[1];
            ErrorRecord r = byFingerprint.get(fp);
            if (r == null) { r = new ErrorRecord(fp, at); byFingerprint.put(fp, r); }
            r.count++; r.lastSeen = at; r.last = t;
            if (recent.size() == RECENT_ERRORS) { recent.removeFirst(); dropped++; }
            recent.addLast(new ErrorSample(t, at));
        }
    }

    static final class Topic {
        final String name; final int replayCap; final ArrayDeque<TopicEvent> replay; long published;
        final List<Object> subscribers = new ArrayList<>(2);
        Topic(String name, int replayCap) { this.name = name; this.replayCap = replayCap; this.replay = new ArrayDeque<>(replayCap); }
        void publish(TopicEvent e) { if (replay.size() == replayCap) replay.removeFirst(); replay.addLast(e); published++; }
    }

    static final class Broker {
        final Map<String, Topic> topics = new HashMap<>();
        long created, deleted;
        Topic create(String name, int replayCap) { Topic t = new Topic(name, replayCap); topics.put(name, t); created++; return t; }
        void delete(String name) { if (topics.remove(name) != null) deleted++; }
    }

    static final class OpenOrder {
        final String orderId, topic; final boolean cancel; final Object customerPage = new Object(); int stage;
        OpenOrder(String orderId, boolean cancel) { this.orderId = orderId; this.topic = "orders/" + orderId + "/status"; this.cancel = cancel; }
    }

    record Step(long at, long seq, OpenOrder order) implements Comparable<Step> {
        public int compareTo(Step o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static final class PageCache extends LinkedHashMap<String, ProductPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProductPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SheetGauge> GAUGES_BY_CODE = new HashMap<>();

    static final class ShopService {
        final Map<String, ProductDesign> designs = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> pressBuffers = new ArrayDeque<>();
        final OrderSummary[] recentOrders = new OrderSummary[RING];
        long ordersWritten;
        final ErrorTracker errors = new ErrorTracker();
        final Broker broker = new Broker();
        final PriorityQueue<Step> fulfilment = new PriorityQueue<>();
        long seq, placed, shipped, cancelled;

        void checkout(Checkout c) throws ShopException {
            Validation.solder(c);
            Stock.reserve(c);
            long total = Payments.charge(c);
            Shipping.book(c);
            recentOrders[(int) (ordersWritten++ % RING)] = new OrderSummary(c.orderId(), c.sku(), c.quantity(), total, c.at());
        }

        void advance(Step s, Random r) {
            OpenOrder o = s.order();
            o.stage = o.stage == 0 && o.cancel ? 6 : o.stage + 1;
            Topic t = broker.topics.get(o.topic);
            t.publish(new TopicEvent(STAGES[o.stage], s.at(), new byte[40 + r.nextInt(40)]));
            if (o.stage >= 5) {
                if (o.stage == 5) shipped++; else cancelled++;
                t.subscribers.remove(o.customerPage);
                broker.delete(o.topic); // the order is finished: its topic goes
            } else {
                fulfilment.add(new Step(s.at() + (4 + r.nextInt(9)) * MINUTE + r.nextInt(60) * 1_000L, seq++, o));
            }
        }
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run(int hours, long now) {
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(45_050_001);
        String[] gaugeCodes = new String[GAUGES];
        String[] alloys = {"tinplate", "terne", "galvanised", "copper", "pewter-sheet"};
        for (int g = 0; g < GAUGES; g++) {
            double[] tol = new double[64];
            for (int k = 0; k < tol.length; k++) tol[k] = rnd.nextDouble() * 0.05;
            gaugeCodes[g] = "GA-" + (200 + g);
            GAUGES_BY_CODE.put(gaugeCodes[g], new SheetGauge(gaugeCodes[g], alloys[g % alloys.length], tol));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        String[] skus = new String[DESIGNS];
        String[] names = {"lantern", "cookie cutter", "candle sconce", "watering can", "mug", "tray", "funnel", "milk pail"};
        for (int d = 0; d < DESIGNS; d++) {
            skus[d] = "TN-" + (500_000 + d);
            svc.designs.put(skus[d], new ProductDesign(skus[d], gaugeCodes[rnd.nextInt(GAUGES)], names[d % names.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pressBuffers.add(new byte[32_768]);
        svc.broker.create("stock/levels", STOCK_REPLAY);
        svc.broker.create("shop/announcements", NEWS_REPLAY);
        Random traffic = new Random(45_050_002);
        Random workshop = new Random(45_050_003);
        int ticks = TICKS_PER_HOUR * hours;
        int orderNo = 0;
        for (int i = 0; i < ticks; i++) {
            long t = start + (end - MINUTE - start) * i / ticks;
            while (!svc.fulfilment.isEmpty() && svc.fulfilment.peek().at() <= t) svc.advance(svc.fulfilment.poll(), workshop);
            String key = "page-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new ProductPage(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 5 == 0) svc.broker.topics.get("stock/levels").publish(new TopicEvent("LEVEL", t, new byte[40 + traffic.nextInt(40)]));
            if (i % 150 == 0) svc.broker.topics.get("shop/announcements").publish(new TopicEvent("NEWS", t, new byte[40 + traffic.nextInt(40)]));
            if (i % 2 == 0) {
                int roll = traffic.nextInt(100);
                int outcome = roll < 2 ? 1 : roll < 4 ? 2 : roll < 5 ? 3 : roll < 6 ? 4 : 0;
                Checkout c = new Checkout("TS-" + (3_300_000 + orderNo++), skus[traffic.nextInt(DESIGNS)], 1 + traffic.nextInt(12), outcome, t);
                try {
                    svc.checkout(c);
                    OpenOrder o = new OpenOrder(c.orderId(), traffic.nextInt(100) < 4);
                    svc.placed++;
                    Topic topic = svc.broker.create(o.topic, ORDER_REPLAY);
                    topic.subscribers.add(o.customerPage);
                    topic.publish(new TopicEvent(STAGES[0], t, new byte[40 + traffic.nextInt(40)]));
                    svc.fulfilment.add(new Step(t + (4 + traffic.nextInt(9)) * MINUTE + traffic.nextInt(60) * 1_000L, svc.seq++, o));
                    byte[] buf = svc.pressBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.pressBuffers.add(buf);
                } catch (ShopException e) {
                    svc.errors.capture(e, t);
                }
            }
        }
        while (!svc.fulfilment.isEmpty() && svc.fulfilment.peek().at() < end) svc.advance(svc.fulfilment.poll(), workshop);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        run(hours, System.currentTimeMillis());
        ShopService svc = SERVICE;
        ErrorTracker e = svc.errors;
        long open = svc.placed - svc.shipped - svc.cancelled;
        System.out.println("stage " + stage + " gauges " + GAUGES_BY_CODE.size() + " designs " + svc.designs.size() + " placed " + svc.placed + " shipped " + svc.shipped + " cancelled " + svc.cancelled + " open " + open
                + " topics " + svc.broker.topics.size() + " (created " + svc.broker.created + ", deleted " + svc.broker.deleted + ") errors " + e.captured + " fingerprints " + e.byFingerprint.size() + " recent errors " + e.recent.size() + " (dropped " + e.dropped
                + ") orders " + svc.ordersWritten + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.pressBuffers.size());
        check(GAUGES_BY_CODE.size() == GAUGES && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.broker.topics.size() == 2 + open && svc.fulfilment.size() == open && svc.broker.deleted == svc.shipped + svc.cancelled, "only open orders have a topic: " + open);
        check(e.byFingerprint.size() == 4 && e.recent.size() == Math.min(RECENT_ERRORS, e.captured) && e.captured + svc.placed == (long) TICKS_PER_HOUR * hours / 2, "error tracker bounded");
        check(svc.broker.topics.get("stock/levels").replay.size() == STOCK_REPLAY && svc.broker.topics.get("shop/announcements").replay.size() == NEWS_REPLAY, "shop topics");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.pressBuffers.size() == POOL, "pool");
        check(svc.ordersWritten == svc.placed && svc.recentOrders[(int) Math.min(RING, svc.ordersWritten) - 1] != null, "ring");
        svc = null; e = null;
        LeakCheck.histogram("java.lang.StackTraceElement");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
