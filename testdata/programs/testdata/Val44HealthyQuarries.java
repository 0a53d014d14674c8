// hprofscan-dump: name=val44-healthy-quarries-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val44-healthy-quarries-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val44-healthy-quarries jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val44-healthy-quarries-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 44 (written blind), HEALTHY: the weighbridge and dispatch service of a group of
 * stone quarries. Aggregate-product reference data, the customer-account directory, the haulier
 * truck directory where every truck keeps its last five weighings (1,500 small bounded deques), a
 * dead-letter store for tickets the ERP refused (replayed automatically every 10 minutes and capped),
 * a cache of rendered delivery tickets at its cap, a hand-rolled ring of weighbridge events and a
 * pool of printer buffers. Warms up, then plateaus. See VALIDATION44.md.
 */
public final class Val44HealthyQuarries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PRODUCTS = 1_200, ACCOUNTS = 25_000, TRUCKS = 1_500, KEEP_WEIGHINGS = 5, TICKET_CAP = 2_000, POOL = 8,
            BRIDGE_RING = 8_192, WEIGHINGS_PER_HOUR = 6_000, FAIL_PERCENT = 4, DEAD_LETTER_CAP = 2_000;

    record Product(String code, String name, double[] gradingCurve) {}
    record Account(String accountNo, String company, byte[] creditTerms, long openedAt) {}
    record TicketPage(String key, byte[] rendered, long at) {}
    record Weighing(String ticketNo, String productCode, int grossKg, int tareKg, long at) {}
    record BridgeEvent(String truckReg, String bridge, int kg, long at) {}

    /** A haulier's truck with its last KEEP_WEIGHINGS weighings (for the driver's kiosk). */
    static final class Truck {
        final String registration, haulier;
        final ArrayDeque<Weighing> lastWeighings = new ArrayDeque<>(KEEP_WEIGHINGS + 1);
        long weighings;
        Truck(String registration, String haulier) { this.registration = registration; this.haulier = haulier; }
        void record(Weighing w) { lastWeighings.addLast(w); if (lastWeighings.size() > KEEP_WEIGHINGS) lastWeighings.removeFirst(); weighings++; }
    }

    /** Hand-rolled ring buffer of the newest BRIDGE_RING weighbridge events. */
    static final class BridgeLog {
        final Object[] items = new Object[BRIDGE_RING];
        int head, size; long written;
        void add(Object e) { items[(head + size) % items.length] = e; if (size < items.length) size++; else head = (head + 1) % items.length; written++; }
    }

    static final class DeadLetter {
        final String ticketNo, error; final byte[] body; final long parkedAt;
        DeadLetter(String ticketNo, String error, byte[] body, long parkedAt) { this.ticketNo = ticketNo; this.error = error; this.body = body; this.parkedAt = parkedAt; }
    }

    /** Refused tickets; a sweep replays those parked 5+ minutes ago every 10 minutes; hard cap. */
    static final class DeadLetterStore {
        final LinkedHashMap<String, DeadLetter> parked = new LinkedHashMap<>();
        long parkedTotal, replayed, droppedToArchive, sweeps; int maxParked;
        void park(DeadLetter d) {
            parked.put(d.ticketNo, d); parkedTotal++;
            if (parked.size() > DEAD_LETTER_CAP) { Iterator<DeadLetter> it = parked.values().iterator(); it.next(); it.remove(); droppedToArchive++; }
            maxParked = Math.max(maxParked, parked.size());
        }
        void replayParkedBefore(long cutoff) {
            sweeps++;
            for (Iterator<DeadLetter> it = parked.values().iterator(); it.hasNext(); ) {
                if (it.next().parkedAt > cutoff) break;
                it.remove(); replayed++;
            }
        }
    }

    static final class TicketCache extends LinkedHashMap<String, TicketPage> {
        long evicted;
        TicketCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TicketPage> e) { if (size() > TICKET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Account> accounts = new HashMap<>();
        final Map<String, Truck> trucks = new HashMap<>();
        final DeadLetterStore deadLetters = new DeadLetterStore();
        final TicketCache tickets = new TicketCache();
        final BridgeLog bridgeLog = new BridgeLog();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        long delivered;
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int weighings = WEIGHINGS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(44_050_001);
        String[] productCodes = new String[PRODUCTS];
        String[] kinds = {"Type 1 sub-base", "20mm clean stone", "Crusher run", "Scalpings", "Rock armour", "Dust", "40mm ballast", "10mm chippings"};
        for (int p = 0; p < PRODUCTS; p++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 100;
            productCodes[p] = "AGG-" + (2_000 + p);
            PRODUCTS_BY_CODE.put(productCodes[p], new Product(productCodes[p], kinds[p % kinds.length] + " (pit " + (p / kinds.length) + ")", curve));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        for (int a = 0; a < ACCOUNTS; a++) {
            String no = "QA" + (400_000 + a);
            svc.accounts.put(no, new Account(no, "Contractor " + a, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        String[] regs = new String[TRUCKS];
        for (int t = 0; t < TRUCKS; t++) {
            regs[t] = String.format("%c%c%02d %c%c%c", (char) ('A' + t % 26), (char) ('A' + t / 26 % 26), 10 + t % 60, (char) ('K' + t % 13), (char) ('P' + t % 9), (char) ('A' + t / 60 % 26));
            svc.trucks.put(regs[t], new Truck(regs[t], "Haulier " + rnd.nextInt(120)));
        }
        check(svc.trucks.size() == TRUCKS, "distinct registrations");
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(44_050_002);
        long nextSweep = start + 10 * MINUTE;
        for (int i = 0; i < weighings; i++) {
            long t = start + (end - MINUTE - start) * i / weighings;
            while (nextSweep <= t) { svc.deadLetters.replayParkedBefore(nextSweep - 5 * MINUTE); nextSweep += 10 * MINUTE; }
            Truck truck = svc.trucks.get(regs[traffic.nextInt(TRUCKS)]);
            String ticketNo = "WT-" + (60_000_000 + i);
            int tare = 12_000 + traffic.nextInt(6_000);
            Weighing w = new Weighing(ticketNo, productCodes[traffic.nextInt(PRODUCTS)], tare + 8_000 + traffic.nextInt(20_000), tare, t);
            truck.record(w);
            svc.bridgeLog.add(new BridgeEvent(truck.registration, "Bridge " + (1 + i % 3), w.grossKg(), t));
            if (traffic.nextInt(100) < FAIL_PERCENT) {
                svc.deadLetters.park(new DeadLetter(ticketNo, "ERP refused delivery ticket " + ticketNo + ": 409 account on credit hold", new byte[300 + traffic.nextInt(400)], t));
            } else {
                svc.delivered++;
            }
            String key = "ticket-" + traffic.nextInt(4_000);
            if (svc.tickets.get(key) == null) svc.tickets.put(key, new TicketPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
        }
        regs = null; productCodes = null; // main's big locals: dead from here on
        long kept = 0; int full = 0;
        for (Truck tr : svc.trucks.values()) { kept += tr.lastWeighings.size(); if (tr.lastWeighings.size() == KEEP_WEIGHINGS) full++; }
        DeadLetterStore dl = svc.deadLetters;
        System.out.println("stage " + stage + " products " + PRODUCTS_BY_CODE.size() + " accounts " + svc.accounts.size() + " trucks " + svc.trucks.size() + " weighings kept " + kept + " (full deques " + full
                + ") dead letters " + dl.parked.size() + " (parked " + dl.parkedTotal + ", replayed " + dl.replayed + " in " + dl.sweeps + " sweeps, max " + dl.maxParked + ", archived " + dl.droppedToArchive
                + ") delivered " + svc.delivered + " bridge log " + svc.bridgeLog.size + " (written " + svc.bridgeLog.written + ", head " + svc.bridgeLog.head + ") tickets " + svc.tickets.size()
                + " (evicted " + svc.tickets.evicted + ") pool " + svc.printerBuffers.size());
        check(PRODUCTS_BY_CODE.size() == PRODUCTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(kept <= (long) TRUCKS * KEEP_WEIGHINGS && kept <= weighings, "truck deques bounded");
        check(dl.sweeps == hours * 6 - 1 && dl.parked.size() == dl.parkedTotal - dl.replayed && dl.droppedToArchive == 0 && dl.maxParked < 200, "dead letters replayed: " + dl.parked.size());
        check(dl.parkedTotal + svc.delivered == weighings, "traffic");
        check(svc.bridgeLog.written == weighings && svc.bridgeLog.size == Math.min(weighings, BRIDGE_RING), "bridge ring");
        check(svc.tickets.size() == TICKET_CAP && svc.tickets.evicted > 0, "ticket cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
