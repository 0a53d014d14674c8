// hprofscan-dump: name=val80-healthy-candyshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val80-healthy-candyshops-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 80 (written blind), HEALTHY: the store and wholesale-order service of a chain of
 * candy shops. Confectionery reference data (recipes with a sugar curve), the product directory
 * keyed by SKU, a cache of rendered shelf labels at its cap, a ring of till receipts, a pool of
 * label-printer buffers, an order outbox purged by the relay, and a supplier-broker client whose
 * pending acks expire after 30 s (1 ack in 40 is lost and expired). 10 h. See VALIDATION80.md.
 */
public final class Val80HealthyCandyShops {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RECIPES = 1_600, SKUS = 30_000, LABEL_CAP = 3_000, POOL = 10, RING = 16_384, HOURS = 10, RECEIPTS = 80_000;

    record Recipe(String code, String name, double[] sugarCurve) {}
    record Product(String sku, String recipeCode, String name, byte[] allergenSheet, long listedAt) {}
    record ShelfLabel(String key, byte[] rendered, long at) {}
    record Receipt(String shopCode, String sku, int cents, long at) {}
    record PendingMessage(long seq, String supplier, long sentAt, byte[] payload) {}

    static final class OutboxMessage {
        final long id; final String supplier; final long createdAt; final byte[] body; boolean sent; long sentAt;
        OutboxMessage(long id, String supplier, long createdAt, byte[] body) { this.id = id; this.supplier = supplier; this.createdAt = createdAt; this.body = body; }
    }

    static final class LabelCache extends LinkedHashMap<String, ShelfLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShelfLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Recipe> RECIPES_BY_CODE = new HashMap<>();

    static final class ShopService {
        final Map<String, Product> products = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final Receipt[] receipts = new Receipt[RING];
        long sold;
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final LinkedHashMap<Long, OutboxMessage> outbox = new LinkedHashMap<>();
        long ordersWritten, ordersSent;
        final HashMap<Long, PendingMessage> pendingAcks = new HashMap<>();
        long acked, expired;
    }

    static ShopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(80_060_001);
        String[] recipeCodes = new String[RECIPES];
        for (int r = 0; r < RECIPES; r++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 160;
            String code = "RC-" + (4_000 + r);
            recipeCodes[r] = code;
            RECIPES_BY_CODE.put(code, new Recipe(code, "Recipe " + r, curve));
        }
        ShopService svc = new ShopService();
        SERVICE = svc;
        String[] skus = new String[SKUS];
        for (int p = 0; p < SKUS; p++) {
            String sku = "CS" + (9_000_000 + p);
            skus[p] = sku;
            svc.products.put(sku, new Product(sku, recipeCodes[rnd.nextInt(RECIPES)], "Sweet " + p, new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(2_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(80_060_002);
        long nextRelay = start + 30 * SECOND, nextExpiry = start + 10 * SECOND, seq = 1;
        long[] ackWindow = new long[3];
        int orders = 0;
        for (int i = 0; i < RECEIPTS; i++) {
            long t = start + (end - MINUTE - start) * i / RECEIPTS;
            while (nextRelay <= t) {
                for (Iterator<OutboxMessage> it = svc.outbox.values().iterator(); it.hasNext(); ) { OutboxMessage m = it.next(); m.sent = true; m.sentAt = nextRelay; svc.ordersSent++; it.remove(); }
                nextRelay += 30 * SECOND;
            }
            while (nextExpiry <= t) {
                final long cutoff = nextExpiry - 30 * SECOND;
                svc.pendingAcks.values().removeIf(p -> { boolean old = p.sentAt() < cutoff; if (old) svc.expired++; return old; });
                nextExpiry += 10 * SECOND;
            }
            String sku = skus[traffic.nextInt(SKUS)];
            svc.receipts[(int) (svc.sold++ % RING)] = new Receipt("SHOP-" + traffic.nextInt(240), sku, 50 + traffic.nextInt(2_000), t);
            String key = "label-" + traffic.nextInt(9_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new ShelfLabel(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
            if (i % 4 == 0) { // a wholesale re-order: written to the outbox and published to the supplier broker
                String supplier = "SUP-" + traffic.nextInt(60);
                svc.outbox.put(700_000L + i, new OutboxMessage(700_000L + i, supplier, t, new byte[150 + traffic.nextInt(150)]));
                svc.ordersWritten++;
                long s = seq++;
                svc.pendingAcks.put(s, new PendingMessage(s, supplier, t, new byte[100 + traffic.nextInt(150)]));
                boolean lost = traffic.nextInt(40) == 0;
                int slot = orders % 3;
                if (orders >= 3 && ackWindow[slot] > 0 && svc.pendingAcks.remove(ackWindow[slot]) != null) svc.acked++;
                ackWindow[slot] = lost ? 0 : s;
                orders++;
            }
        }
        System.out.println("recipes " + RECIPES_BY_CODE.size() + " products " + svc.products.size() + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") receipts " + svc.sold
                + " outbox " + svc.outbox.size() + " (written " + svc.ordersWritten + ", sent " + svc.ordersSent + ") pending acks " + svc.pendingAcks.size() + " (acked " + svc.acked + ", expired " + svc.expired + ") pool " + svc.printerBuffers.size());
        check(RECIPES_BY_CODE.size() == RECIPES && svc.products.size() == SKUS, "reference data / directory");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.sold == RECEIPTS && svc.receipts[RING - 1] != null, "ring");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.outbox.size() < 50 && svc.ordersWritten == RECEIPTS / 4, "outbox purged: " + svc.outbox.size());
        check(svc.pendingAcks.size() < 50 && svc.expired > 0, "pending acks expire: " + svc.pendingAcks.size());
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
