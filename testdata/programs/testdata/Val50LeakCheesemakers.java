// hprofscan-dump: name=val50-leak-cheesemakers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val50-leak-cheesemakers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val50-leak-cheesemakers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val50-leak-cheesemakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 50 (written blind), LEAK: the wholesale account ledger of a cheese dairy. Cheese
 * reference data, the cave's wheel directory, a cache of rendered invoices at its cap, a pool of
 * label buffers, a ring of recent orders, and an event-sourced projection of the 1,200 trade
 * customers' accounts: each aggregate keeps its applied events in a list and takes a snapshot every
 * 10 events, but the list is never truncated after the snapshot. See VALIDATION50.md.
 */
public final class Val50LeakCheesemakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CHEESES = 1_000, WHEELS = 22_000, CUSTOMERS = 1_200, INVOICE_CAP = 2_000, POOL = 8, RING = 4_096,
            EVENTS_PER_HOUR = 6_000, SNAPSHOT_EVERY = 10;
    static boolean FIXED;

    record Cheese(String code, String name, double[] ripeningCurve) {}
    record Wheel(String wheelId, String cheeseCode, int cave, byte[] turningLog, long madeAt) {}
    record Invoice(String key, byte[] rendered, long at) {}
    record Order(String customerId, String cheeseCode, int kilos, long at) {}
    record LedgerEvent(long seq, String type, String customerId, long amountCents, long at, byte[] payload) {}
    record Snapshot(String customerId, long version, long balanceCents, long creditLimitCents, long at) {}

    /** One customer account aggregate: the applied events and the latest snapshot. */
    static final class AccountStream {
        final String customerId;
        List<LedgerEvent> events = new ArrayList<>();
        Snapshot snapshot;
        long version, balanceCents;
        AccountStream(String customerId) { this.customerId = customerId; }
    }

    static final class Projection {
        final Map<String, AccountStream> streams = new HashMap<>();
        long applied, snapshots;
        void apply(LedgerEvent e) {
            AccountStream s = streams.computeIfAbsent(e.customerId(), AccountStream::new);
            s.events.add(e);
            s.version++;
            s.balanceCents += e.type().equals("PAYMENT") ? -e.amountCents() : e.amountCents();
            applied++;
            if (s.version % SNAPSHOT_EVERY == 0) {
                s.snapshot = new Snapshot(s.customerId, s.version, s.balanceCents, 500_000_00L, e.at());
                snapshots++;
                if (FIXED) s.events = new ArrayList<>(); // truncate: the snapshot covers everything applied
                // BUG: the events covered by the snapshot stay in s.events
            }
        }
    }

    static final class InvoiceCache extends LinkedHashMap<String, Invoice> {
        long evicted;
        InvoiceCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Invoice> e) { if (size() > INVOICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Cheese> CHEESES_BY_CODE = new HashMap<>();

    static final class LedgerService {
        final Map<String, Wheel> wheels = new HashMap<>();
        final InvoiceCache invoices = new InvoiceCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final Projection accounts = new Projection();
    }

    static LedgerService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val50.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(50_010_001);
        String[] cheeseCodes = new String[CHEESES];
        for (int c = 0; c < CHEESES; c++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 12;
            cheeseCodes[c] = "CH-" + (3_000 + c);
            CHEESES_BY_CODE.put(cheeseCodes[c], new Cheese(cheeseCodes[c], "Cheese " + c, curve));
        }
        LedgerService svc = new LedgerService();
        SERVICE = svc;
        for (int w = 0; w < WHEELS; w++) {
            String id = "WH" + (4_400_000 + w);
            svc.wheels.put(id, new Wheel(id, cheeseCodes[rnd.nextInt(CHEESES)], 1 + rnd.nextInt(9), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(700)) * 24 * HOUR));
        }
        String[] customers = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) customers[c] = "TC" + (70_000 + c);
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(50_010_002);
        String[] types = {"ORDER_BOOKED", "ORDER_BOOKED", "DELIVERY_CHARGED", "PAYMENT", "CREDIT_NOTE"};
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            String customer = customers[traffic.nextInt(CUSTOMERS)];
            String type = types[traffic.nextInt(types.length)];
            svc.accounts.apply(new LedgerEvent(1_000_000L + i, type, customer, 1_000 + traffic.nextInt(400_000), t, new byte[48 + traffic.nextInt(64)]));
            if (type.equals("ORDER_BOOKED")) {
                String cheese = cheeseCodes[traffic.nextInt(CHEESES)];
                svc.recentOrders[(int) (svc.orders++ % RING)] = new Order(customer, cheese, 5 + traffic.nextInt(200), t);
                String key = "inv-" + traffic.nextInt(6_000);
                if (svc.invoices.get(key) == null) svc.invoices.put(key, new Invoice(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            }
        }
        Projection p = svc.accounts;
        long kept = 0, covered = 0;
        for (AccountStream s : p.streams.values()) {
            kept += s.events.size();
            if (s.snapshot != null) covered += s.snapshot.version();
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " cheeses " + CHEESES_BY_CODE.size() + " wheels " + svc.wheels.size() + " aggregates " + p.streams.size()
                + " applied " + p.applied + " snapshots " + p.snapshots + " events kept " + kept + " covered by snapshots " + covered
                + " invoices " + svc.invoices.size() + " (evicted " + svc.invoices.evicted + ") pool " + svc.labelBuffers.size() + " orders " + svc.orders);
        check(CHEESES_BY_CODE.size() == CHEESES && svc.wheels.size() == WHEELS, "reference data / directory");
        check(p.streams.size() == CUSTOMERS && p.applied == events, "aggregates: " + p.streams.size());
        if (FIXED) check(kept == events - covered, "truncated streams: " + kept);
        else check(kept == events, "streams keep every event: " + kept);
        check(svc.invoices.size() == INVOICE_CAP && svc.invoices.evicted > 0, "invoice cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
