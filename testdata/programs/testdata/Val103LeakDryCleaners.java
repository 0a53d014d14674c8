// hprofscan-dump: name=val103-leak-drycleaners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val103-leak-drycleaners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 103 (written blind), LEAK: the order board of a dry-cleaning chain. Branch
 * reference data, the customer directory, a cache of rendered garment-care labels at its cap, a
 * pool of tag-printer buffers, a ring of recent SMS notifications, and the order board: a
 * HashMap<OrderKey, Order> whose key class includes the mutable status in hashCode/equals. The
 * service changes key.status in place and puts the order again: the entry stored under the old hash
 * can no longer be found or removed, so every status change leaves an entry behind, and the
 * entries left behind keep collected orders alive. See VALIDATION103.md.
 */
public final class Val103LeakDryCleaners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, HOURS = 10;
    static final int BRANCHES = 900, CUSTOMERS = 25_000, LABEL_CAP = 2_000, BUFFERS = 8, RING = 4_096, ORDERS = 12_000;
    static boolean FIXED;

    enum Status { RECEIVED, CLEANING, PRESSED, READY, COLLECTED }

    record Branch(String code, String town, double[] weeklyLoad) {}
    record Customer(String id, String homeBranch, byte[] preferences, long since) {}
    record CareLabel(String key, byte[] rendered, long at) {}
    record Notification(String ticket, String customer, Status status, long at) {}

    /** BUG: status is mutable and part of hashCode/equals (the fix compares the ticket only). */
    static final class OrderKey {
        final String ticket; Status status;
        OrderKey(String ticket, Status status) { this.ticket = ticket; this.status = status; }
        @Override public int hashCode() { return FIXED ? ticket.hashCode() : Objects.hash(ticket, status); }
        @Override public boolean equals(Object o) { return o instanceof OrderKey k && k.ticket.equals(ticket) && (FIXED || k.status == status); }
    }

    static final class Order {
        final OrderKey key; final String customer, branch; final int garments; final byte[] itemNotes; final long receivedAt; long updatedAt;
        Order(OrderKey key, String customer, String branch, int garments, byte[] itemNotes, long receivedAt) { this.key = key; this.customer = customer; this.branch = branch; this.garments = garments; this.itemNotes = itemNotes; this.receivedAt = receivedAt; this.updatedAt = receivedAt; }
    }

    record Transition(long at, String ticket, Status from, Status to) {}

    static final class LabelCache extends LinkedHashMap<String, CareLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CareLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Branch> BRANCHES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Customer> customers = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> tagBuffers = new ArrayDeque<>();
        final Notification[] recentSms = new Notification[RING];
        final Map<OrderKey, Order> board = new HashMap<>();
        long sms, received, changes, collected, notFound;

        void receive(Order o) { board.put(o.key, o); received++; }
        void advance(String ticket, Status from, Status to, long at) {
            Order o = board.get(new OrderKey(ticket, from));
            if (o == null) { notFound++; return; }
            o.updatedAt = at;
            if (to == Status.COLLECTED) {
                if (board.remove(new OrderKey(ticket, from)) != null) collected++;
                return;
            }
            o.key.status = to;   // mutates a key that is already in the map
            board.put(o.key, o); // leak: a second entry under the new hash; the old one stays
            changes++;
            recentSms[(int) (sms++ % RING)] = new Notification(ticket, o.customer, to, at);
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val103.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(103_030_001);
        String[] branchCodes = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) {
            double[] load = new double[64];
            for (int k = 0; k < load.length; k++) load[k] = rnd.nextDouble() * 300;
            branchCodes[b] = "DC-" + (2_000 + b);
            BRANCHES_BY_CODE.put(branchCodes[b], new Branch(branchCodes[b], "Town " + (b % 250), load));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CU" + (880_000 + c);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], branchCodes[rnd.nextInt(BRANCHES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < BUFFERS; b++) svc.tagBuffers.add(new byte[32_768]);
        Random traffic = new Random(103_030_002);
        String[] fabrics = {"wool", "silk", "linen", "cotton", "cashmere", "leather", "polyester"};
        PriorityQueue<Transition> due = new PriorityQueue<>((x, y) -> Long.compare(x.at(), y.at()));
        long span = end - MINUTE - start;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + span * i / ORDERS;
            while (!due.isEmpty() && due.peek().at() <= t) { Transition tr = due.poll(); svc.advance(tr.ticket(), tr.from(), tr.to(), tr.at()); }
            String ticket = "TK-" + (5_500_000 + i);
            String customer = customerIds[traffic.nextInt(CUSTOMERS)];
            svc.receive(new Order(new OrderKey(ticket, Status.RECEIVED), customer, branchCodes[traffic.nextInt(BRANCHES)], 1 + traffic.nextInt(6), new byte[120 + traffic.nextInt(120)], t));
            long c1 = t + (30 + traffic.nextInt(120)) * MINUTE, c2 = c1 + (20 + traffic.nextInt(90)) * MINUTE, c3 = c2 + (10 + traffic.nextInt(50)) * MINUTE, c4 = c3 + (20 + traffic.nextInt(160)) * MINUTE;
            due.add(new Transition(c1, ticket, Status.RECEIVED, Status.CLEANING));
            due.add(new Transition(c2, ticket, Status.CLEANING, Status.PRESSED));
            due.add(new Transition(c3, ticket, Status.PRESSED, Status.READY));
            due.add(new Transition(c4, ticket, Status.READY, Status.COLLECTED));
            String key = "label-" + fabrics[traffic.nextInt(fabrics.length)] + "-" + traffic.nextInt(1_000);
            if (svc.labels.get(key) == null) svc.labels.put(key, new CareLabel(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.tagBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.tagBuffers.add(buf);
        }
        while (!due.isEmpty() && due.peek().at() <= end - MINUTE) { Transition tr = due.poll(); svc.advance(tr.ticket(), tr.from(), tr.to(), tr.at()); }
        int pending = due.size();
        due.clear(); due = null; customerIds = null; branchCodes = null;
        long open = svc.received - svc.collected;
        System.out.println((FIXED ? "FIXED " : "") + "branches " + BRANCHES_BY_CODE.size() + " customers " + svc.customers.size() + " received " + svc.received + " status changes " + svc.changes
                + " collected " + svc.collected + " open " + open + " board entries " + svc.board.size() + " not found " + svc.notFound + " pending transitions " + pending
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") buffers " + svc.tagBuffers.size() + " sms " + svc.sms);
        check(BRANCHES_BY_CODE.size() == BRANCHES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.received == ORDERS && svc.notFound == 0 && svc.changes + svc.collected + pending == 4L * ORDERS, "order traffic");
        if (FIXED) check(svc.board.size() == open, "board holds the open orders: " + svc.board.size());
        else check(svc.board.size() == open + svc.changes, "one stale entry per status change: " + svc.board.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.tagBuffers.size() == BUFFERS, "buffer pool");
        check(svc.recentSms[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
