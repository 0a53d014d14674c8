// hprofscan-dump: name=svc-leak-linkedlog jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-leak-linkedlog-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Leak (tuning set, session 6): an inventory service that keeps an in-memory audit trail as a
 * hand-written singly linked chain ({@code AuditTrail}: {@code head}, {@code tail}, {@code size};
 * {@link AuditEntry#next}), appended on every stock movement and never trimmed: 22,000 entries
 * with {@code at} epoch millis one every ~2 s over 12 hours, each with a 200-600 byte detail.
 * Healthy counterpart: the stock-level cache ({@code StockLru}), a hand-written bounded LRU (doubly
 * linked nodes {@code prev}/{@code next} plus a {@code HashMap} index) at its capacity of 4,000,
 * entries touched over the last hour. Also: warehouses and a SKU table (reference data, 20,000),
 * open reservations (300, within the last 10 minutes), metrics.
 * See testdata/SCENARIOS.md, "Tuning set, session 6".
 */
public final class SvcLeakLinkedLog {
    static final int SKUS = 20_000;
    static final int MOVEMENTS = 22_000;
    static final int LRU_CAPACITY = 4_000;
    static final int RESERVATIONS = 300;
    static final long SIM_MILLIS = 12L * 3600_000L;

    static Service RUNNING;

    static final class AuditEntry {
        final long seq; final long at; final String actor; final String action; final String sku; final int delta; final byte[] detail;
        AuditEntry next;
        AuditEntry(long seq, long at, String actor, String action, String sku, int delta, byte[] detail) {
            this.seq = seq; this.at = at; this.actor = actor; this.action = action; this.sku = sku; this.delta = delta; this.detail = detail;
        }
    }

    static final class AuditTrail {
        AuditEntry head, tail; int size; long nextSeq;
        void append(long at, String actor, String action, String sku, int delta, byte[] detail) {
            AuditEntry e = new AuditEntry(++nextSeq, at, actor, action, sku, delta, detail);
            if (tail == null) head = e; else tail.next = e;
            tail = e; size++;
        }
    }

    static final class StockNode {
        final String sku; int onHand; long lastAccess; StockNode prev, next;
        StockNode(String sku, int onHand, long lastAccess) { this.sku = sku; this.onHand = onHand; this.lastAccess = lastAccess; }
    }

    static final class StockLru {
        final int capacity; StockNode head, tail; int size;
        final Map<String, StockNode> index = new HashMap<>();
        StockLru(int capacity) { this.capacity = capacity; }
        void unlink(StockNode n) {
            if (n.prev != null) n.prev.next = n.next; else head = n.next;
            if (n.next != null) n.next.prev = n.prev; else tail = n.prev;
            n.prev = n.next = null;
        }
        void pushFront(StockNode n) { n.next = head; if (head != null) head.prev = n; head = n; if (tail == null) tail = n; }
        void put(String sku, int onHand, long now) {
            StockNode n = index.get(sku);
            if (n != null) { unlink(n); n.onHand = onHand; n.lastAccess = now; pushFront(n); return; }
            n = new StockNode(sku, onHand, now);
            pushFront(n); index.put(sku, n); size++;
            if (size > capacity) { StockNode t = tail; unlink(t); index.remove(t.sku); size--; }
        }
    }

    static final class Sku {
        final String code; final String description; final String warehouse; final int reorderLevel;
        Sku(String code, String description, String warehouse, int reorderLevel) { this.code = code; this.description = description; this.warehouse = warehouse; this.reorderLevel = reorderLevel; }
    }

    static final class Reservation {
        final String id; final String sku; final int qty; final long createdAt;
        Reservation(String id, String sku, int qty, long createdAt) { this.id = id; this.sku = sku; this.qty = qty; this.createdAt = createdAt; }
    }

    static final class ReferenceData {
        static final Map<String, Sku> SKUS = new HashMap<>();
        static final String[] WAREHOUSES = {"AMS-1", "FRA-2", "MAD-1", "WAW-3", "DUB-1", "MIL-2"};
    }

    static final class Service {
        final AuditTrail audit = new AuditTrail();
        final StockLru stock = new StockLru(LRU_CAPACITY);
        final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Service build() {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(60_607);
        Service s = new Service();
        for (int i = 0; i < SKUS; i++) {
            String code = "SKU-" + (5_500_000 + i);
            ReferenceData.SKUS.put(code, new Sku(code, "Item " + i + " (" + (1 + i % 50) + " pcs per box)", ReferenceData.WAREHOUSES[i % ReferenceData.WAREHOUSES.length], 5 + rnd.nextInt(50)));
        }
        String[] actions = {"receive", "pick", "adjust", "transfer", "return"};
        for (int m = 0; m < MOVEMENTS; m++) {
            long t = start + (SIM_MILLIS - 3_000) * m / MOVEMENTS;
            String sku = "SKU-" + (5_500_000 + rnd.nextInt(SKUS));
            int delta = rnd.nextInt(41) - 20;
            byte[] detail = new byte[200 + rnd.nextInt(400)];
            rnd.nextBytes(detail);
            s.audit.append(t, "picker-" + rnd.nextInt(60), actions[rnd.nextInt(actions.length)], sku, delta, detail);
            s.count("movements");
        }
        for (int r = 0; r < 60_000; r++) { // stock lookups, the last hour
            long t = now - 3_600_000 + 3_599_000L * r / 60_000;
            s.stock.put("SKU-" + (5_500_000 + rnd.nextInt(SKUS)), rnd.nextInt(500), t);
        }
        for (int i = 0; i < RESERVATIONS; i++) {
            String id = "R-" + (300_000 + i);
            s.reservations.put(id, new Reservation(id, "SKU-" + (5_500_000 + rnd.nextInt(SKUS)), 1 + rnd.nextInt(5), now - 600_000 + i * 2_000L));
        }
        int n = 0;
        for (AuditEntry e = s.audit.head; e != null; e = e.next) n++;
        check(n == MOVEMENTS && s.audit.size == MOVEMENTS, "audit " + n);
        int k = 0;
        for (StockNode x = s.stock.head; x != null; x = x.next) k++;
        check(k == LRU_CAPACITY && s.stock.index.size() == LRU_CAPACITY, "lru " + k);
        check(ReferenceData.SKUS.size() == SKUS && s.reservations.size() == RESERVATIONS, "others");
        return s;
    }

    public static void main(String[] args) throws Exception {
        RUNNING = build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
