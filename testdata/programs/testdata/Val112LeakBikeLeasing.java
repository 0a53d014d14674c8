// hprofscan-dump: name=val112-leak-bikeleasing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val112-leak-bikeleasing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 112 (written blind), LEAK: the lease-administration service of a cycle-to-work
 * bike-leasing scheme. Dealer reference data, the bike catalogue, a cache of lease quotes at its cap,
 * a pool of invoice buffers, a journal ring of published events, a delivery queue with its normal
 * backlog, and the lease repository: an identity map of the 8,000 active BikeLease aggregates loaded
 * at startup. Every command records its domain events in the aggregate's pending list; the publisher
 * sends the ones not yet published and marks them published, but never clears the list, so every
 * aggregate keeps every event it ever raised. See VALIDATION112.md.
 */
public final class Val112LeakBikeLeasing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DISPATCH_EVERY = 10 * MINUTE;
    static final int DEALERS = 1_100, MODELS = 20_000, LEASES = 8_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, DISPATCH_BATCH = 400;
    static final int HOURS = 10, COMMANDS_PER_HOUR = 9_000;
    static boolean FIXED;

    record Dealer(String code, String town, double[] salesByWeek) {}
    record BikeModel(String sku, String brand, String dealerCode, int pricePence, byte[] specSheet) {}
    record LeaseQuote(String key, byte[] rendered, long at) {}
    record PublishedEnvelope(String eventId, String type, String leaseId, long occurredAt, long publishedAt) {}
    record DeliveryJob(String leaseId, String sku, String dealerCode, long bookedAt) {}

    abstract static class DomainEvent {
        final String eventId; final String leaseId; final long occurredAt; boolean published;
        DomainEvent(String eventId, String leaseId, long occurredAt) { this.eventId = eventId; this.leaseId = leaseId; this.occurredAt = occurredAt; }
        abstract String type();
    }
    static final class PaymentCollected extends DomainEvent {
        final int amountPence; final String payrollPeriod;
        PaymentCollected(String id, String lease, long at, int amountPence, String payrollPeriod) { super(id, lease, at); this.amountPence = amountPence; this.payrollPeriod = payrollPeriod; }
        String type() { return "PaymentCollected"; }
    }
    static final class ServiceBooked extends DomainEvent {
        final String dealerCode; final long slotAt;
        ServiceBooked(String id, String lease, long at, String dealerCode, long slotAt) { super(id, lease, at); this.dealerCode = dealerCode; this.slotAt = slotAt; }
        String type() { return "ServiceBooked"; }
    }
    static final class BikeDelivered extends DomainEvent {
        final String sku; final String frameNumber;
        BikeDelivered(String id, String lease, long at, String sku, String frameNumber) { super(id, lease, at); this.sku = sku; this.frameNumber = frameNumber; }
        String type() { return "BikeDelivered"; }
    }
    static final class LeaseActivated extends DomainEvent {
        final long firstPaymentAt;
        LeaseActivated(String id, String lease, long at, long firstPaymentAt) { super(id, lease, at); this.firstPaymentAt = firstPaymentAt; }
        String type() { return "LeaseActivated"; }
    }
    static final class AddressChanged extends DomainEvent {
        final String postcode;
        AddressChanged(String id, String lease, long at, String postcode) { super(id, lease, at); this.postcode = postcode; }
        String type() { return "AddressChanged"; }
    }
    static final class SacrificeAdjusted extends DomainEvent {
        final int oldPence, newPence;
        SacrificeAdjusted(String id, String lease, long at, int oldPence, int newPence) { super(id, lease, at); this.oldPence = oldPence; this.newPence = newPence; }
        String type() { return "SacrificeAdjusted"; }
    }

    /** The aggregate root: a salary-sacrifice lease of one employee. */
    static final class BikeLease {
        final String leaseId; final String employeeName; final String employerCode;
        String sku; String postcode; int monthlyPence; String status; long updatedAt; int version;
        private final List<DomainEvent> pendingEvents = new ArrayList<>();
        BikeLease(String leaseId, String employeeName, String employerCode, String sku, String postcode, int monthlyPence) {
            this.leaseId = leaseId; this.employeeName = employeeName; this.employerCode = employerCode; this.sku = sku; this.postcode = postcode; this.monthlyPence = monthlyPence; this.status = "ACTIVE";
        }
        void raise(DomainEvent e) { pendingEvents.add(e); version++; updatedAt = e.occurredAt; }
        List<DomainEvent> pendingEvents() { return pendingEvents; }
        void clearEvents() { pendingEvents.clear(); }
    }

    /** The lease repository: identity map of the active leases, loaded at startup. */
    static final class LeaseRepository {
        final Map<String, BikeLease> byId = new HashMap<>();
        BikeLease get(String id) { return byId.get(id); }
    }

    static final class EventPublisher {
        final PublishedEnvelope[] journal = new PublishedEnvelope[RING];
        long published, skipped;
        void publishPending(BikeLease lease, long t) {
            for (DomainEvent e : lease.pendingEvents()) {
                if (e.published) { skipped++; continue; }
                journal[(int) (published++ % RING)] = new PublishedEnvelope(e.eventId, e.type(), lease.leaseId, e.occurredAt, t);
                e.published = true;
            }
            // BUG: the events stay in the aggregate's list after publishing; the fix clears it
            if (FIXED) lease.clearEvents();
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, LeaseQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LeaseQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Dealer> DEALERS_BY_CODE = new HashMap<>();

    static final class LeaseService {
        final Map<String, BikeModel> catalogue = new HashMap<>();
        final String[] skus = new String[MODELS];
        final String[] dealerCodes = new String[DEALERS];
        final String[] leaseIds = new String[LEASES];
        final LeaseRepository repository = new LeaseRepository();
        final EventPublisher publisher = new EventPublisher();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final ArrayDeque<DeliveryJob> deliveries = new ArrayDeque<>();
        long commands, events, eventSeq = 0x51_0000_0000L, deliveriesBooked, deliveriesDispatched;

        String nextEventId() { return "evt-" + Long.toHexString(eventSeq++); }

        void handle(Random r, long t) {
            BikeLease lease = repository.get(leaseIds[r.nextInt(LEASES)]);
            int kind = r.nextInt(100);
            if (kind < 45) {
                lease.raise(new PaymentCollected(nextEventId(), lease.leaseId, t, lease.monthlyPence, "P" + (1 + r.nextInt(12))));
                byte[] buf = invoiceBuffers.poll();
                buf[(int) (commands % buf.length)] = (byte) lease.monthlyPence;
                invoiceBuffers.add(buf);
                events++;
            } else if (kind < 65) {
                String dealer = dealerCodes[r.nextInt(DEALERS)];
                lease.raise(new ServiceBooked(nextEventId(), lease.leaseId, t, dealer, t + (long) (1 + r.nextInt(21)) * 24 * HOUR));
                events++;
            } else if (kind < 80) {
                String sku = skus[r.nextInt(MODELS)];
                String key = sku + "/" + (12 + 6 * r.nextInt(4)) + "m";
                if (quotes.get(key) == null) quotes.put(key, new LeaseQuote(key, new byte[400 + r.nextInt(400)], t));
                lease.sku = sku;
                BikeModel m = catalogue.get(sku);
                deliveries.add(new DeliveryJob(lease.leaseId, sku, m.dealerCode(), t));
                deliveriesBooked++;
                lease.raise(new BikeDelivered(nextEventId(), lease.leaseId, t, sku, "WTU" + (100_000_000 + r.nextInt(900_000_000))));
                lease.raise(new LeaseActivated(nextEventId(), lease.leaseId, t, t + 30L * 24 * HOUR));
                events += 2;
            } else if (kind < 90) {
                String pc = "LS" + (1 + r.nextInt(29)) + " " + (1 + r.nextInt(9)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
                lease.postcode = pc;
                lease.raise(new AddressChanged(nextEventId(), lease.leaseId, t, pc));
                events++;
            } else {
                int old = lease.monthlyPence;
                lease.monthlyPence = 2_000 + r.nextInt(12_000);
                lease.raise(new SacrificeAdjusted(nextEventId(), lease.leaseId, t, old, lease.monthlyPence));
                events++;
            }
            commands++;
            publisher.publishPending(lease, t);
        }

        void dispatchDeliveries() {
            for (int k = 0; k < DISPATCH_BATCH && !deliveries.isEmpty(); k++) { deliveries.poll(); deliveriesDispatched++; }
        }
    }

    static LeaseService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(112_020_001);
        LeaseService svc = new LeaseService();
        SERVICE = svc;
        String[] towns = {"Leeds", "York", "Bradford", "Harrogate", "Wakefield", "Halifax", "Huddersfield", "Sheffield"};
        for (int d = 0; d < DEALERS; d++) {
            double[] sales = new double[52];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 40;
            svc.dealerCodes[d] = "DL" + (30_000 + d * 13);
            DEALERS_BY_CODE.put(svc.dealerCodes[d], new Dealer(svc.dealerCodes[d], towns[d % towns.length], sales));
        }
        String[] brands = {"Brompton", "Trek", "Specialized", "Ribble", "Boardman", "Cube", "Giant", "Raleigh", "Tern", "Riese & Muller"};
        for (int i = 0; i < MODELS; i++) {
            svc.skus[i] = "BK-" + (500_000 + i * 3);
            svc.catalogue.put(svc.skus[i], new BikeModel(svc.skus[i], brands[rnd.nextInt(brands.length)], svc.dealerCodes[rnd.nextInt(DEALERS)], 40_000 + rnd.nextInt(400_000), new byte[150 + rnd.nextInt(150)]));
        }
        for (int l = 0; l < LEASES; l++) {
            svc.leaseIds[l] = "C2W-" + (8_800_000 + l * 11);
            svc.repository.byId.put(svc.leaseIds[l], new BikeLease(svc.leaseIds[l], "Employee " + l, "EMP" + (1_000 + rnd.nextInt(400)), svc.skus[rnd.nextInt(MODELS)],
                    "LS" + (1 + rnd.nextInt(29)) + " " + (1 + rnd.nextInt(9)) + "QT", 2_000 + rnd.nextInt(12_000)));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(112_020_002);
        int commands = HOURS * COMMANDS_PER_HOUR;
        long nextDispatch = start + DISPATCH_EVERY;
        for (int i = 0; i < commands; i++) {
            long t = start + (end - MINUTE - start) * i / commands;
            while (nextDispatch <= t) { svc.dispatchDeliveries(); nextDispatch += DISPATCH_EVERY; }
            svc.handle(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val112.fixed");
        simulate();
        LeaseService svc = SERVICE;
        long pending = 0, unpublished = 0;
        int maxPending = 0;
        for (BikeLease l : svc.repository.byId.values()) {
            pending += l.pendingEvents().size();
            maxPending = Math.max(maxPending, l.pendingEvents().size());
            for (DomainEvent e : l.pendingEvents()) if (!e.published) unpublished++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "dealers " + DEALERS_BY_CODE.size() + " models " + svc.catalogue.size() + " leases " + svc.repository.byId.size() + " commands " + svc.commands
                + " events " + svc.events + " published " + svc.publisher.published + " (re-skipped " + svc.publisher.skipped + ") pending in aggregates " + pending + " (max " + maxPending + ", unpublished " + unpublished
                + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.invoiceBuffers.size() + " deliveries booked " + svc.deliveriesBooked + " dispatched " + svc.deliveriesDispatched + " backlog " + svc.deliveries.size());
        check(DEALERS_BY_CODE.size() == DEALERS && svc.catalogue.size() == MODELS && svc.repository.byId.size() == LEASES, "reference data / directory / repository");
        check(svc.commands == (long) HOURS * COMMANDS_PER_HOUR && svc.publisher.published == svc.events && unpublished == 0, "traffic");
        if (FIXED) check(pending == 0, "fixed: no pending event");
        else check(pending == svc.events, "every event kept in its aggregate: " + pending);
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.publisher.journal[RING - 1] != null, "journal ring");
        check(svc.deliveries.size() > 0 && svc.deliveries.size() < DISPATCH_BATCH && svc.deliveriesBooked == svc.deliveriesDispatched + svc.deliveries.size(), "delivery backlog");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
