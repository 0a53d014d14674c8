// hprofscan-dump: name=val50-leak-cartwrights jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val50-leak-cartwrights-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 50 (written blind), LEAK: the order export of a wagon and cart builder. Part
 * reference data, the dealer directory, a cache of rendered quotes at its cap, a pool of crate-label
 * buffers, a ring of shipments, and one long-lived, reused GraphExporter that serializes each
 * finished order graph to the ERP; its IdentityHashMap of visited objects (cycle detection and
 * back-references) is never cleared between export calls, so it keeps every exported order graph.
 * See VALIDATION50.md.
 */
public final class Val50LeakCartwrights {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PARTS = 1_500, DEALERS = 20_000, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, HOURS = 10, ORDERS = 12_000;
    static boolean FIXED;

    record Part(String partNo, String description, double[] toleranceProfile) {}
    record Dealer(String dealerId, String region, byte[] contract, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record Shipment(String orderId, String dealerId, int crates, long at) {}

    static final class Order {
        final String orderId; final Dealer dealer; final long placedAt; final byte[] notes;
        final List<OrderLine> lines = new ArrayList<>();
        Order(String orderId, Dealer dealer, long placedAt, byte[] notes) { this.orderId = orderId; this.dealer = dealer; this.placedAt = placedAt; this.notes = notes; }
    }
    static final class OrderLine {
        final Order order; final Part part; final int qty; final byte[] spec; // back-reference: a cycle
        OrderLine(Order order, Part part, int qty, byte[] spec) { this.order = order; this.part = part; this.qty = qty; this.spec = spec; }
    }

    /** Reused serializer: writes an object graph, each object once, later occurrences as #ref. */
    static final class GraphExporter {
        IdentityHashMap<Object, Integer> visited = new IdentityHashMap<>();
        final StringBuilder out = new StringBuilder(8_192);
        int nextRef;
        long exports, bytesWritten;
        String export(Order o) {
            if (FIXED) { visited = new IdentityHashMap<>(); nextRef = 0; } // a fresh visited set per call
            // BUG: visited (and nextRef) carry over from every earlier export call
            out.setLength(0);
            writeOrder(o);
            exports++;
            bytesWritten += out.length();
            return out.toString();
        }
        private boolean seen(Object x) {
            Integer ref = visited.get(x);
            if (ref != null) { out.append("#").append(ref); return true; }
            visited.put(x, nextRef++);
            return false;
        }
        private void writeOrder(Order o) {
            if (seen(o)) return;
            out.append("{order:").append(o.orderId).append(",at:").append(o.placedAt).append(",notes:").append(o.notes.length).append(",dealer:");
            if (!seen(o.dealer)) out.append(o.dealer.dealerId());
            out.append(",lines:[");
            for (OrderLine l : o.lines) {
                if (seen(l)) continue;
                out.append("{qty:").append(l.qty).append(",part:");
                if (!seen(l.part)) out.append(l.part.partNo());
                out.append(",order:");
                writeOrder(l.order);
                out.append("}");
            }
            out.append("]}");
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Part> PARTS_BY_NO = new HashMap<>();

    static final class ExportService {
        final Map<String, Dealer> dealers = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Shipment[] shipments = new Shipment[RING];
        long shipped;
        final GraphExporter exporter = new GraphExporter();
    }

    static ExportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val50.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(50_030_001);
        Part[] parts = new Part[PARTS];
        for (int p = 0; p < PARTS; p++) {
            double[] profile = new double[64];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 0.2;
            parts[p] = new Part("WP-" + (20_000 + p), "Wheel/axle part " + p, profile);
            PARTS_BY_NO.put(parts[p].partNo(), parts[p]);
        }
        ExportService svc = new ExportService();
        SERVICE = svc;
        Dealer[] dealers = new Dealer[DEALERS];
        for (int d = 0; d < DEALERS; d++) {
            dealers[d] = new Dealer("DL" + (600_000 + d), "Region " + (d % 50), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR);
            svc.dealers.put(dealers[d].dealerId(), dealers[d]);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(50_030_002);
        long lines = 0;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (end - MINUTE - start) * i / ORDERS;
            Dealer dealer = dealers[traffic.nextInt(DEALERS)];
            Order o = new Order("CO-" + (900_000 + i), dealer, t, new byte[60 + traffic.nextInt(60)]);
            int n = 1 + traffic.nextInt(5);
            for (int k = 0; k < n; k++) o.lines.add(new OrderLine(o, parts[traffic.nextInt(PARTS)], 1 + traffic.nextInt(12), new byte[30 + traffic.nextInt(40)]));
            lines += n;
            String json = svc.exporter.export(o); // the order is finished: exported, then dropped
            svc.shipments[(int) (svc.shipped++ % RING)] = new Shipment(o.orderId, dealer.dealerId(), 1 + json.length() % 7, t);
            String key = "q-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        GraphExporter x = svc.exporter;
        System.out.println((FIXED ? "FIXED " : "") + "parts " + PARTS_BY_NO.size() + " dealers " + svc.dealers.size() + " exports " + x.exports + " order lines " + lines + " visited " + x.visited.size()
                + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.labelBuffers.size() + " shipped " + svc.shipped);
        check(PARTS_BY_NO.size() == PARTS && svc.dealers.size() == DEALERS, "reference data / directory");
        check(x.exports == ORDERS, "exports");
        if (FIXED) check(x.visited.size() <= 2 + 2 * 5, "visited holds the last order only: " + x.visited.size());
        else check(x.visited.size() > ORDERS + lines, "visited keeps every exported order and line: " + x.visited.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.shipped == ORDERS && svc.shipments[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
