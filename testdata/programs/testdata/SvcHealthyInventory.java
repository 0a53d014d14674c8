// hprofscan-dump: name=svc-healthy-inventory jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-inventory-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.Timer;
import java.util.TimerTask;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Healthy warehouse inventory service: a static SKU catalog (unmodifiableSortedMap over a TreeMap),
 * stock levels by SKU id (instance ConcurrentHashMap, one per SKU), a TTL reservation cache purged
 * by expiry, connected handheld scanners in an IdentityHashMap (bounded by the devices) with a
 * WeakHashMap of per-scanner statistics used correctly, a java.util.Timer with 2 periodic tasks, a
 * pool of reusable pick lists and metrics. The clock advances exactly 3 s per event over 20 hours.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyInventory {
    static final int SKUS = 12_000;
    static final int SCANNERS = 60;
    static final int EVENTS = 24_000;
    static final long STEP_MILLIS = 3_000;
    static final long RESERVATION_TTL_MILLIS = 10 * 60_000;
    static final int EXPECTED_RESERVATIONS = 200;
    static final int PICK_LISTS = 128;

    enum Unit { PIECE, BOX, PALLET }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Sku {
        final long id;
        final String code;
        final String description;
        final Unit unit;
        final BigDecimal unitCost;
        final long loadedAt;

        Sku(long id, long loadedAt) {
            this.id = id;
            this.code = "SKU-" + id;
            this.description = "Stock keeping unit " + id + " (shelf " + (id % 400) + ")";
            this.unit = Unit.values()[(int) (id % 3)];
            this.unitCost = BigDecimal.valueOf(50 + id % 20_000, 2);
            this.loadedAt = loadedAt;
        }
    }

    static final class SkuCatalog {
        static SortedMap<Long, Sku> BY_ID;

        static void load(long loadedAt) {
            TreeMap<Long, Sku> m = new TreeMap<>();
            for (int i = 0; i < SKUS; i++) {
                long id = 4_000_000L + i;
                m.put(id, new Sku(id, loadedAt));
            }
            BY_ID = Collections.unmodifiableSortedMap(m);
        }
    }

    static final class StockLevel {
        final Sku sku;
        int onHand;
        int reserved;
        long updatedAt;

        StockLevel(Sku sku) {
            this.sku = sku;
            this.onHand = 100;
        }
    }

    /** One stock level per SKU, created on the first movement. */
    static final class StockLedger {
        final Map<Long, StockLevel> levels = new ConcurrentHashMap<>();
    }

    static final class Reservation {
        final String reservationId;
        final long skuId;
        final int quantity;
        final long expiresAt;

        Reservation(String reservationId, long skuId, int quantity, long expiresAt) {
            this.reservationId = reservationId;
            this.skuId = skuId;
            this.quantity = quantity;
            this.expiresAt = expiresAt;
        }
    }

    /** Reservations expire after ttlMillis and are purged. */
    static final class ReservationCache {
        final Map<String, Reservation> byId = new ConcurrentHashMap<>();
        final long ttlMillis;

        ReservationCache(long ttlMillis) {
            this.ttlMillis = ttlMillis;
        }

        void purge(long now) {
            for (Iterator<Reservation> it = byId.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAt <= now) {
                    it.remove();
                }
            }
        }
    }

    static final class ScannerSession {
        final String deviceId;
        final String operator;
        long connectedAt;

        ScannerSession(String deviceId, String operator, long connectedAt) {
            this.deviceId = deviceId;
            this.operator = operator;
            this.connectedAt = connectedAt;
        }
    }

    static final class ScanStats {
        long scans;
        long errors;
    }

    /** Connected handheld scanners (one session object per device) and their statistics. */
    static final class ScannerRegistry {
        final Map<ScannerSession, String> connected = new IdentityHashMap<>();
        final Map<ScannerSession, ScanStats> stats = new WeakHashMap<>();
        final ScannerSession[] byIndex = new ScannerSession[SCANNERS];

        ScannerSession session(int k, long now) {
            ScannerSession s = byIndex[k];
            if (s == null) {
                s = new ScannerSession("HH-" + (7000 + k), "operator" + k, now);
                byIndex[k] = s;
                connected.put(s, "zone-" + (k % 6));
                stats.put(s, new ScanStats());
            }
            return s;
        }
    }

    static final class PickList {
        final long[] skuIds = new long[64];
        final int[] quantities = new int[64];
        int lines;
    }

    static final class PickListPool {
        final ArrayDeque<PickList> free = new ArrayDeque<>();

        PickListPool(int n) {
            for (int i = 0; i < n; i++) {
                free.add(new PickList());
            }
        }
    }

    static final class MetricsRegistry {
        final Map<String, long[]> histograms = new ConcurrentHashMap<>();

        void record(String name, long v) {
            histograms.computeIfAbsent(name, k -> new long[20])[(int) (v % 20)]++;
        }
    }

    static final class InventoryService {
        final SimClock clock;
        final StockLedger ledger = new StockLedger();
        final ReservationCache reservations = new ReservationCache(RESERVATION_TTL_MILLIS);
        final ScannerRegistry scanners = new ScannerRegistry();
        final PickListPool pickLists = new PickListPool(PICK_LISTS);
        final MetricsRegistry metrics = new MetricsRegistry();
        final Timer timer = new Timer("inventory-timer", true);

        InventoryService(SimClock clock) {
            this.clock = clock;
            timer.scheduleAtFixedRate(new TimerTask() {
                @Override
                public void run() {
                    metrics.record("stock.levels", ledger.levels.size());
                }
            }, 3_600_000L, 3_600_000L);
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    reservations.purge(clock.getAsLong());
                }
            }, 600_000L, 600_000L);
        }

        void onScan(int n) {
            long now = clock.getAsLong();
            ScannerSession s = scanners.session(n % SCANNERS, now);
            long skuId = 4_000_000L + (n * 7L) % SKUS;
            StockLevel level = ledger.levels.computeIfAbsent(skuId, id -> new StockLevel(SkuCatalog.BY_ID.get(id)));
            PickList pl = pickLists.free.pop();
            try {
                pl.skuIds[0] = skuId;
                pl.quantities[0] = 1;
                pl.lines = 1;
                level.onHand--;
                level.reserved++;
                level.updatedAt = now;
            } finally {
                pickLists.free.push(pl);
            }
            reservations.byId.put("RSV-" + (10_000_000 + n), new Reservation("RSV-" + (10_000_000 + n), skuId, 1, now + RESERVATION_TTL_MILLIS));
            scanners.stats.get(s).scans++;
            if (n % 20 == 19) {
                reservations.purge(now);
            }
            metrics.record("scan.latency", n);
        }
    }

    static InventoryService RUNNING;

    static void build() {
        long end = System.currentTimeMillis();
        long start = end - EVENTS * STEP_MILLIS;
        SkuCatalog.load(start);
        SimClock clock = new SimClock(start);
        InventoryService s = new InventoryService(clock);
        for (int n = 0; n < EVENTS; n++) {
            clock.now = start + (n + 1) * STEP_MILLIS;
            s.onScan(n);
        }
        if (s.ledger.levels.size() != SKUS || s.reservations.byId.size() != EXPECTED_RESERVATIONS
                || s.scanners.connected.size() != SCANNERS || s.scanners.stats.size() != SCANNERS
                || s.pickLists.free.size() != PICK_LISTS) {
            throw new IllegalStateException("unexpected sizes " + s.reservations.byId.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
