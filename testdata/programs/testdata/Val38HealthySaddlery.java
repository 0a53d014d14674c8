// hprofscan-dump: name=val38-healthy-saddlery jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val38-healthy-saddlery-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 38 (written blind), HEALTHY: the stock and order service of a saddlery (saddles,
 * bridles and tack made from hides bought from tanneries). Tannery reference data, the customer
 * directory, an LRU of rendered fitting sheets at its cap, a pool of pattern buffers, a ring of
 * recent sales, a TTL cache of hide reservations swept completely every minute, and, biggest by
 * far, the hide inventory: one record per hide in the warehouse (150,000, keyed by hide tag, each
 * with its receipt and last stock-count timestamps), loaded at startup. Every hide cut for an order
 * is removed and every hide received is added; receipts and cuts balance, so the inventory stays at
 * the warehouse's stock. No leak. See VALIDATION38.md.
 */
public final class Val38HealthySaddlery {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RESERVATION_TTL = 20 * MINUTE;
    static final int TANNERIES = 600, HIDES = 150_000, CUSTOMERS = 6_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, CUTS_PER_HOUR = 800, HOURS = 10;

    record Tannery(String code, String name, double[] gradeMix) {}
    record Customer(String id, String name, String discipline, byte[] fittingNotes, long since) {}
    record FittingSheet(String key, byte[] rendered, long at) {}
    record Sale(String orderNo, String hideTag, String customerId, int priceCents, long at) {}
    record Reservation(String hideTag, String orderNo, long createdAt, long expiresAt) {}

    static final class Hide {
        final String tag, tanneryCode;
        final byte grade;
        final float weightKg;
        final long receivedAt;
        long lastCountedAt;
        Hide(String tag, String tanneryCode, byte grade, float weightKg, long receivedAt, long lastCountedAt) { this.tag = tag; this.tanneryCode = tanneryCode; this.grade = grade; this.weightKg = weightKg; this.receivedAt = receivedAt; this.lastCountedAt = lastCountedAt; }
    }

    static final class SheetCache extends LinkedHashMap<String, FittingSheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FittingSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    /** Hide reservations; the sweep checks every entry (TTLs are all equal here anyway). */
    static final class ReservationCache {
        final LinkedHashMap<String, Reservation> byTag = new LinkedHashMap<>();
        long swept;
        void sweep(long now) { for (Iterator<Reservation> it = byTag.values().iterator(); it.hasNext(); ) if (it.next().expiresAt <= now) { it.remove(); swept++; } }
    }

    static final Map<String, Tannery> TANNERIES_BY_CODE = new HashMap<>();

    static final class SaddleryService {
        final HashMap<String, Hide> hides = new HashMap<>(HIDES * 4 / 3 + 1);
        final Map<String, Customer> customers = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ArrayDeque<byte[]> patternBuffers = new ArrayDeque<>();
        final Sale[] recentSales = new Sale[RING];
        final ReservationCache reservations = new ReservationCache();
        long sales, received;
    }

    static SaddleryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(38_060_001);
        String[] tanneryCodes = new String[TANNERIES];
        for (int t = 0; t < TANNERIES; t++) {
            double[] g = new double[64];
            for (int k = 0; k < g.length; k++) g[k] = rnd.nextDouble();
            tanneryCodes[t] = "TN-" + (100 + t);
            TANNERIES_BY_CODE.put(tanneryCodes[t], new Tannery(tanneryCodes[t], "Tannery " + t, g));
        }
        SaddleryService svc = new SaddleryService();
        SERVICE = svc;
        List<String> tags = new ArrayList<>(HIDES + 10_000);
        long nextTag = 7_000_000L;
        for (int h = 0; h < HIDES; h++) {
            String tag = "HD-" + (nextTag++);
            long receivedAt = start - (long) (1 + rnd.nextInt(540)) * 24 * HOUR;
            svc.hides.put(tag, new Hide(tag, tanneryCodes[rnd.nextInt(TANNERIES)], (byte) (1 + rnd.nextInt(4)), 3 + rnd.nextFloat() * 5, receivedAt, Math.min(receivedAt + (long) rnd.nextInt(30) * 24 * HOUR, start - HOUR)));
            tags.add(tag);
        }
        String[] customerIds = new String[CUSTOMERS];
        String[] disciplines = {"dressage", "jumping", "eventing", "western", "endurance", "polo"};
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU-" + (20_000 + c);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Rider " + c, disciplines[rnd.nextInt(disciplines.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.patternBuffers.add(new byte[32_768]);

        Random traffic = new Random(38_060_002);
        int cuts = CUTS_PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < cuts; i++) {
            long t = start + (end - MINUTE - start) * i / cuts;
            while (nextSweep <= t) { svc.reservations.sweep(nextSweep); nextSweep += MINUTE; }
            // an order reserves a hide; the cut (a sale) removes it from the inventory
            int pick = traffic.nextInt(tags.size());
            String tag = tags.get(pick);
            tags.set(pick, tags.get(tags.size() - 1)); tags.remove(tags.size() - 1);
            String orderNo = "SO-" + (510_000 + i);
            svc.reservations.byTag.put(tag, new Reservation(tag, orderNo, t, t + RESERVATION_TTL));
            Hide hide = svc.hides.remove(tag);
            if (hide == null) throw new IllegalStateException("hide missing " + tag);
            String customerId = customerIds[traffic.nextInt(CUSTOMERS)];
            svc.recentSales[(int) (svc.sales++ % RING)] = new Sale(orderNo, tag, customerId, 80_000 + traffic.nextInt(400_000), t);
            String key = customerId + "/" + hide.grade;
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new FittingSheet(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.patternBuffers.poll(); buf[i % buf.length] = hide.grade; svc.patternBuffers.add(buf);
            // the tanneries deliver as much as is cut: one hide received per hide cut
            String newTag = "HD-" + (nextTag++);
            svc.hides.put(newTag, new Hide(newTag, tanneryCodes[traffic.nextInt(TANNERIES)], (byte) (1 + traffic.nextInt(4)), 3 + traffic.nextFloat() * 5, t, t));
            tags.add(newTag);
            svc.received++;
            // the stock count walks the warehouse: 40 hides recounted per cut
            for (int k = 0; k < 40; k++) svc.hides.get(tags.get(traffic.nextInt(tags.size()))).lastCountedAt = t;
        }
        while (nextSweep <= end) { svc.reservations.sweep(nextSweep); nextSweep += MINUTE; }
        tags = null;
        long maxTs = 0;
        for (Hide h : svc.hides.values()) maxTs = Math.max(maxTs, Math.max(h.receivedAt, h.lastCountedAt));
        System.out.println("tanneries " + TANNERIES_BY_CODE.size() + " hides " + svc.hides.size() + " received " + svc.received + " sales " + svc.sales + " customers " + svc.customers.size() + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ") reservations "
                + svc.reservations.byTag.size() + " (swept " + svc.reservations.swept + ") pool " + svc.patternBuffers.size());
        check(TANNERIES_BY_CODE.size() == TANNERIES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.hides.size() == HIDES && svc.sales == cuts && svc.received == cuts, "inventory equals the warehouse stock");
        check(maxTs < end, "no timestamp after the dump");
        check(svc.reservations.byTag.size() == EXPECTED_RESERVATIONS && svc.reservations.swept == cuts - EXPECTED_RESERVATIONS, "reservations: " + svc.reservations.byTag.size());
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "sheet cache at cap");
        check(svc.patternBuffers.size() == POOL, "pool");
        check(svc.recentSales[RING - 1] == null || svc.sales >= RING, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int EXPECTED_RESERVATIONS = 253;
}
