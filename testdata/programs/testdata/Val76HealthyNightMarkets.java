// hprofscan-dump: name=val76-healthy-nightmarkets-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val76-healthy-nightmarkets-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val76-healthy-nightmarkets jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val76-healthy-nightmarkets-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Validation set 76 (written blind), HEALTHY: the visitor app and payment service of a city's
 * night markets. Market reference data, the vendor directory, a cache of rendered stall pages at
 * its cap, a ring of recent card payments, a receipt-buffer pool that tracks the buffers handed out
 * ('outstanding') and gets every one back, also when a payment is declined; a per-visitor "recently
 * viewed stalls" store keyed by anonymous visitor id whose idle visitors are expired after 30
 * minutes; and a database connection pool recycled every 10 minutes whose metrics registry lists
 * only live connections (each with its own bounded statement cache). Warms up, then plateaus.
 * See VALIDATION76.md.
 */
public final class Val76HealthyNightMarkets {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, STEP = 10_000L, IDLE = 30 * MINUTE, MAX_LIFETIME = 10 * MINUTE;
    static final int MARKETS = 1_200, VENDORS = 25_000, PAGE_CAP = 2_000, RING = 8_192, VIEW_CAP = 15, VISITORS_PER_HOUR = 2_400;
    static final int FREE_CAP = 16, RECEIPT_BYTES = 4_096, CONNECTIONS = 10, QUERIES = 36, STMT_CAP = 48;

    record Market(String code, String district, double[] footfallByWeek) {}
    record Vendor(String vendorId, String marketCode, String stallName, byte[] menu, long joinedAt) {}
    record StallPage(String key, byte[] rendered, long at) {}
    record Payment(String paymentId, String vendorId, int cents, boolean declined, long at) {}
    record ViewedStall(String vendorId, long at) {}
    record PreparedStmt(String sql, byte[] plan, long preparedAt) {}

    static final class VisitorViews {
        final String visitorId; final ArrayDeque<ViewedStall> items = new ArrayDeque<>(VIEW_CAP); long lastSeen;
        VisitorViews(String visitorId) { this.visitorId = visitorId; }
    }

    /** Recently viewed stalls per anonymous visitor; idle visitors are expired every 5 minutes. */
    static final class RecentlyViewed {
        final Map<String, VisitorViews> byVisitor = new HashMap<>();
        long views, trimmed, expired, lastSweepAt;
        void viewed(String visitorId, String vendorId, long at) {
            VisitorViews v = byVisitor.computeIfAbsent(visitorId, VisitorViews::new);
            v.items.addLast(new ViewedStall(vendorId, at));
            if (v.items.size() > VIEW_CAP) { v.items.removeFirst(); trimmed++; }
            v.lastSeen = at; views++;
        }
        void sweep(long now) {
            lastSweepAt = now;
            for (Iterator<VisitorViews> it = byVisitor.values().iterator(); it.hasNext(); ) if (it.next().lastSeen < now - IDLE) { it.remove(); expired++; }
        }
    }

    static final class ReceiptBuffer {
        final int id; final ByteBuffer data = ByteBuffer.allocate(RECEIPT_BYTES); String paymentId;
        ReceiptBuffer(int id) { this.id = id; }
    }

    static final class ReceiptPool {
        final ArrayDeque<ReceiptBuffer> free = new ArrayDeque<>();
        final Set<ReceiptBuffer> outstanding = new HashSet<>();
        long allocated, acquired, released;
        ReceiptBuffer acquire(String paymentId) {
            ReceiptBuffer b = free.poll();
            if (b == null) b = new ReceiptBuffer((int) allocated++);
            b.paymentId = paymentId; b.data.clear(); outstanding.add(b); acquired++;
            return b;
        }
        void release(ReceiptBuffer b) { outstanding.remove(b); released++; b.paymentId = null; if (free.size() < FREE_CAP) free.add(b); }
    }

    static final class StatementCache extends LinkedHashMap<String, PreparedStmt> {
        StatementCache() { super(16, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PreparedStmt> e) { return size() > STMT_CAP; }
    }

    static final class DbConnection {
        final long id; final long openedAt; long uses; boolean closed;
        final StatementCache statements = new StatementCache();
        DbConnection(long id, long openedAt) { this.id = id; this.openedAt = openedAt; }
    }

    static final class ConnectionPool {
        final DbConnection[] slots = new DbConnection[CONNECTIONS];
        final List<DbConnection> live = new ArrayList<>(); // metrics page: live connections only
        long nextId = 1, opened, closed;
        DbConnection open(long at) { DbConnection c = new DbConnection(nextId++, at); live.add(c); opened++; return c; }
        DbConnection borrow(int slot, long at) {
            DbConnection c = slots[slot];
            if (at - c.openedAt >= MAX_LIFETIME) { c.closed = true; c.statements.clear(); live.remove(c); closed++; c = slots[slot] = open(at); }
            c.uses++;
            return c;
        }
    }

    static final class PageCache extends LinkedHashMap<String, StallPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StallPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Market> MARKETS_BY_CODE = new HashMap<>();

    static final class MarketService {
        final Map<String, Vendor> vendors = new HashMap<>();
        final PageCache pages = new PageCache();
        final Payment[] payments = new Payment[RING];
        long paymentCount, declined;
        final ReceiptPool receipts = new ReceiptPool();
        final RecentlyViewed recentlyViewed = new RecentlyViewed();
        final ConnectionPool db = new ConnectionPool();
    }

    static final class Session {
        final String visitorId; int viewsLeft; long nextAt;
        Session(String visitorId, int viewsLeft, long nextAt) { this.visitorId = visitorId; this.viewsLeft = viewsLeft; this.nextAt = nextAt; }
    }

    static MarketService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int visitors = VISITORS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(76_050_001);
        String[] marketCodes = new String[MARKETS];
        for (int m = 0; m < MARKETS; m++) {
            double[] f = new double[64];
            for (int k = 0; k < f.length; k++) f[k] = rnd.nextDouble() * 3_000;
            marketCodes[m] = "NM-" + (m / 40) + "-" + (m % 40);
            MARKETS_BY_CODE.put(marketCodes[m], new Market(marketCodes[m], "District " + (m / 40), f));
        }
        MarketService svc = new MarketService();
        SERVICE = svc;
        String[] vendorIds = new String[VENDORS];
        for (int v = 0; v < VENDORS; v++) {
            vendorIds[v] = "V" + (300_000 + v * 3);
            svc.vendors.put(vendorIds[v], new Vendor(vendorIds[v], marketCodes[rnd.nextInt(MARKETS)], "Stall " + (v % 2_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        String[] sql = new String[QUERIES];
        for (int q = 0; q < QUERIES; q++) sql[q] = "select * from stall_" + (q % 6) + " where market_id = ? and kind_" + q + " = ?";
        for (int b = 0; b < FREE_CAP; b++) svc.receipts.free.add(new ReceiptBuffer((int) svc.receipts.allocated++)); // pre-filled pool
        for (int c = 0; c < CONNECTIONS; c++) svc.db.slots[c] = svc.db.open(start - (CONNECTIONS - c) * MINUTE);

        Random traffic = new Random(76_050_002);
        PriorityQueue<Session> active = new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
        int arrived = 0;
        long nextSweep = start + 5 * MINUTE;
        for (long t = start; t < end; t += STEP) {
            while (arrived < visitors && start + (end - MINUTE - start) * arrived / visitors <= t) {
                active.add(new Session(new UUID(traffic.nextLong(), traffic.nextLong()).toString(), 3 + traffic.nextInt(25), t));
                arrived++;
            }
            while (nextSweep <= t) { svc.recentlyViewed.sweep(nextSweep); nextSweep += 5 * MINUTE; }
            while (!active.isEmpty() && active.peek().nextAt <= t) {
                Session s = active.poll();
                String vendorId = vendorIds[traffic.nextInt(VENDORS)];
                svc.recentlyViewed.viewed(s.visitorId, vendorId, t);
                DbConnection c = svc.db.borrow((int) (svc.recentlyViewed.views % CONNECTIONS), t);
                String q = sql[traffic.nextInt(QUERIES)];
                if (c.statements.get(q) == null) c.statements.put(q, new PreparedStmt(q, new byte[300 + traffic.nextInt(300)], t));
                String key = "stall-" + traffic.nextInt(4_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new StallPage(key, new byte[500 + traffic.nextInt(500)], t));
                if (traffic.nextInt(8) == 0) {
                    String pid = "PAY-" + (50_000_000 + svc.paymentCount);
                    ReceiptBuffer b = svc.receipts.acquire(pid);
                    boolean declined = traffic.nextInt(25) == 0;
                    try {
                        b.data.put((byte) 1).putLong(t);
                        if (declined) { svc.declined++; throw new IllegalStateException("card declined"); }
                        svc.payments[(int) (svc.paymentCount++ % RING)] = new Payment(pid, vendorId, 300 + traffic.nextInt(3_000), false, t);
                    } catch (IllegalStateException e) {
                        svc.payments[(int) (svc.paymentCount++ % RING)] = new Payment(pid, vendorId, 0, true, t);
                    } finally {
                        svc.receipts.release(b); // released on the error path too
                    }
                }
                if (--s.viewsLeft > 0) { s.nextAt = t + 20_000 + traffic.nextInt(120_000); active.add(s); }
            }
        }
        active = null;
        RecentlyViewed rv = svc.recentlyViewed;
        int idleAtLastSweep = 0, maxList = 0;
        for (VisitorViews v : rv.byVisitor.values()) { if (v.lastSeen < rv.lastSweepAt - IDLE) idleAtLastSweep++; maxList = Math.max(maxList, v.items.size()); }
        long stmts = 0;
        for (DbConnection c : svc.db.live) stmts += c.statements.size();
        ReceiptPool rp = svc.receipts;
        System.out.println("stage " + stage + " markets " + MARKETS_BY_CODE.size() + " vendors " + svc.vendors.size() + " visitors " + arrived + " in store " + rv.byVisitor.size() + " (expired " + rv.expired + ", max list " + maxList + ") views " + rv.views
                + " connections live " + svc.db.live.size() + " opened " + svc.db.opened + " closed " + svc.db.closed + " statements " + stmts + " payments " + svc.paymentCount + " declined " + svc.declined
                + " receipts allocated " + rp.allocated + " outstanding " + rp.outstanding.size() + " free " + rp.free.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ")");
        check(MARKETS_BY_CODE.size() == MARKETS && svc.vendors.size() == VENDORS, "reference data / directory");
        check(arrived == visitors && idleAtLastSweep == 0 && maxList == VIEW_CAP && rv.byVisitor.size() + rv.expired == visitors, "recently viewed: idle visitors expired");
        check(svc.db.live.size() == CONNECTIONS && svc.db.opened == svc.db.closed + CONNECTIONS && svc.db.closed > 0 && stmts <= (long) CONNECTIONS * QUERIES, "connection registry lists live connections");
        check(rp.outstanding.isEmpty() && rp.released == rp.acquired && rp.free.size() == FREE_CAP && rp.allocated == FREE_CAP && svc.declined > 0, "receipt buffers all returned");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.payments[(int) Math.min(svc.paymentCount, RING) - 1] != null && (svc.paymentCount < RING) == (svc.payments[RING - 1] == null), "payment ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
