// hprofscan-dump: name=val4-leak-replication jvm="-Xmx256m --add-opens=java.base/java.io=ALL-UNNAMED" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 4 (written blind), LEAKING, series of three dumps: a shopping-cart service that
 * replicates HTTP-session changes to its standby peer over one long-lived
 * {@code ObjectOutputStream}, and never calls {@code reset()}.
 *
 * <p>{@code ReplicationLink.out} wraps a socket-like stream ({@code PeerStream}, counts the bytes
 * and drops them). An {@code ObjectOutputStream} remembers every object it has written in its
 * handle table (so it can write back-references), until {@code reset()}: every
 * {@code SessionDelta} (with its {@code byte[256]} of serialised attributes) written since
 * startup stays reachable from {@code out.handles.objs}. 10,000 deltas over 6 simulated hours
 * before the first dump, then 10,000 and 20,000 more in the ~1 s before the second and third:
 * 10,000 -> 20,000 -> 40,000 deltas held.
 *
 * <p>Healthy beside it (the same in the three dumps): a product snapshot (reference data, 15,000),
 * the session store (2,000 live sessions, random UUID ids, each touched within the last 30
 * minutes, each with a 2-line cart), a cart-pricing LRU ({@code LinkedHashMap}, access order, at its capacity of 3,000),
 * the cluster membership (12 nodes), metrics. See testdata/VALIDATION4.md.
 */
public final class Val4LeakReplication {
    static final int PRODUCTS = 15_000;
    static final int SESSIONS = 2_000;
    static final int PRICING_LRU = 3_000;
    static final int NODES = 12;
    static final int[] DELTAS_IN_SEGMENT = {10_000, 10_000, 20_000};
    static final long SIM_MILLIS = 6L * 3600_000L;

    static CartService RUNNING;

    static final class SessionDelta implements Serializable {
        private static final long serialVersionUID = 1L;
        final String sessionId; final long at; final int version; final byte[] attributes;
        SessionDelta(String sessionId, long at, int version, byte[] attributes) { this.sessionId = sessionId; this.at = at; this.version = version; this.attributes = attributes; }
    }

    /** Socket-like sink: counts and drops what the peer would receive. */
    static final class PeerStream extends OutputStream {
        final String peer; long bytesSent; long lastWriteAt;
        PeerStream(String peer) { this.peer = peer; }
        @Override public void write(int b) { bytesSent++; }
        @Override public void write(byte[] b, int off, int len) { bytesSent += len; lastWriteAt = System.currentTimeMillis(); }
    }

    static final class ReplicationLink {
        final PeerStream socket; final ObjectOutputStream out; long deltasSent;
        ReplicationLink(String peer) throws IOException { socket = new PeerStream(peer); out = new ObjectOutputStream(socket); }
        void send(SessionDelta d) throws IOException {
            out.writeObject(d); // BUG: never out.reset(): the handle table keeps every delta
            out.flush();
            deltasSent++;
        }
    }

    static final class Product {
        final String sku; final String title; final BigDecimal price; final int stock; final long loadedAt;
        Product(String sku, String title, BigDecimal price, int stock, long loadedAt) { this.sku = sku; this.title = title; this.price = price; this.stock = stock; this.loadedAt = loadedAt; }
    }

    static final class ProductSnapshot {
        static final Map<String, Product> BY_SKU = new HashMap<>();
    }

    static final class CartLine {
        final String sku; int qty;
        CartLine(String sku, int qty) { this.sku = sku; this.qty = qty; }
    }

    static final class HttpSession {
        final String id; final long createdAt; long lastAccessAt; int version; final List<CartLine> cart = new ArrayList<>();
        /** A session starts with the visitor's saved cart: two lines. */
        HttpSession(String id, long createdAt, String sku1, String sku2) { this.id = id; this.createdAt = createdAt; this.lastAccessAt = createdAt; cart.add(new CartLine(sku1, 1)); cart.add(new CartLine(sku2, 1)); }
    }

    static final class PricedCart {
        final String sessionId; final int version; final BigDecimal total; final long pricedAt;
        PricedCart(String sessionId, int version, BigDecimal total, long pricedAt) { this.sessionId = sessionId; this.version = version; this.total = total; this.pricedAt = pricedAt; }
    }

    static final class PricingLru extends LinkedHashMap<String, PricedCart> {
        final int capacity;
        PricingLru(int capacity) { super(capacity * 2, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PricedCart> e) { return size() > capacity; }
    }

    static final class ClusterNode {
        final String name; final String address; final long joinedAt; long lastHeartbeatAt;
        ClusterNode(String name, String address, long joinedAt) { this.name = name; this.address = address; this.joinedAt = joinedAt; this.lastHeartbeatAt = joinedAt; }
    }

    static final class CartService {
        final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();
        final PricingLru pricing = new PricingLru(PRICING_LRU);
        final List<ClusterNode> members = new ArrayList<>();
        final ReplicationLink replication;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        CartService() throws IOException { replication = new ReplicationLink("cart-standby-1:7800"); }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void addToCart(HttpSession s, Product p, int seq, Random rnd, long now) throws IOException {
            s.lastAccessAt = now; s.version++;
            s.cart.get(seq % 2).qty += 1 + rnd.nextInt(3);
            BigDecimal total = BigDecimal.ZERO;
            for (CartLine l : s.cart) total = total.add(ProductSnapshot.BY_SKU.get(l.sku).price.multiply(BigDecimal.valueOf(l.qty)));
            pricing.put(s.id + "#" + s.version, new PricedCart(s.id, s.version, total, now));
            byte[] attrs = new byte[256];
            rnd.nextBytes(attrs);
            replication.send(new SessionDelta(s.id, now, s.version, attrs));
            count("cart.add");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The handle-table array of the stream (reflection needs --add-opens; used only when allowed). */
    static int deltasInHandleTable(ObjectOutputStream out) {
        try {
            java.lang.reflect.Field hf = ObjectOutputStream.class.getDeclaredField("handles");
            hf.setAccessible(true);
            Object handles = hf.get(out);
            java.lang.reflect.Field of = handles.getClass().getDeclaredField("objs");
            of.setAccessible(true);
            int n = 0;
            for (Object o : (Object[]) of.get(handles)) if (o instanceof SessionDelta) n++;
            return n;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        Object[] series = LeakCheck.seriesArgs(args, 3);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        CartService svc = new CartService();
        RUNNING = svc;
        Random rnd = new Random(4_040_505);
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = "SKU-" + (300_000 + i);
            ProductSnapshot.BY_SKU.put(sku, new Product(sku, "Product " + i, BigDecimal.valueOf(199 + rnd.nextInt(50_000), 2), rnd.nextInt(500), start));
        }
        for (int i = 0; i < NODES; i++) svc.members.add(new ClusterNode("cart-" + i, "10.1.0." + (10 + i) + ":7800", start));
        HttpSession[] live = new HttpSession[SESSIONS];
        long from = start;
        int total = 0;
        for (int d = 0; d < count; d++) {
            long to = System.currentTimeMillis();
            int n = DELTAS_IN_SEGMENT[d];
            for (int i = 0; i < n; i++) {
                long t = from + (to - from) * i / n;
                int si = rnd.nextInt(SESSIONS);
                // Sessions are created during the first segment; later ones are touched by their users.
                if (d == 0 && i < SESSIONS) si = i;
                if (live[si] == null) {
                    live[si] = new HttpSession(new UUID(rnd.nextLong(), rnd.nextLong()).toString(), t, "SKU-" + (300_000 + si), "SKU-" + (302_000 + si));
                    svc.sessions.put(live[si].id, live[si]);
                }
                svc.addToCart(live[si], ProductSnapshot.BY_SKU.get("SKU-" + (300_000 + rnd.nextInt(PRODUCTS))), i, rnd, t);
            }
            // Idle sessions are expired after 30 minutes and replaced by new visitors, keeping 2,000 live.
            for (int si = 0; si < SESSIONS; si++) {
                if (to - live[si].lastAccessAt > 1_800_000L) {
                    svc.sessions.remove(live[si].id);
                    live[si] = new HttpSession(new UUID(rnd.nextLong(), rnd.nextLong()).toString(), to - 1 - si % 1000, "SKU-" + (304_000 + si), "SKU-" + (306_000 + si));
                    svc.sessions.put(live[si].id, live[si]);
                }
            }
            total += n;
            for (ClusterNode c : svc.members) c.lastHeartbeatAt = to - 500;
            int inTable = deltasInHandleTable(svc.replication.out);
            System.out.println("dump " + (d + 1) + ": deltas sent " + svc.replication.deltasSent + " in handle table " + inTable + " sessions " + svc.sessions.size() + " pricing " + svc.pricing.size());
            check(svc.replication.deltasSent == total, "deltas " + svc.replication.deltasSent);
            check(inTable == -1 || inTable == total, "handle table " + inTable);
            check(svc.sessions.size() == SESSIONS, "sessions " + svc.sessions.size());
            check(svc.pricing.size() == PRICING_LRU, "pricing " + svc.pricing.size());
            check(ProductSnapshot.BY_SKU.size() == PRODUCTS, "products");
            String path = LeakCheck.seriesPath(args[1], d + 1, count, dir);
            System.gc();
            DumpUtil.dump(args[0], path);
            System.out.println("dumped " + path);
            if (d + 1 < count) {
                Thread.sleep(1_100);
                from = System.currentTimeMillis() - 1_000;
            }
        }
        System.exit(0);
    }
}
