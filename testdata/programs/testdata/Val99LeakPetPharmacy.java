// hprofscan-dump: name=val99-leak-petpharmacy-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val99-leak-petpharmacy-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val99-leak-petpharmacy jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val99-leak-petpharmacy-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 99 (written blind), LEAK: the order service of an online veterinary pharmacy.
 * Drug reference data, the prescription directory, a cache of rendered dosage labels at its cap, a
 * pool of label-printer buffers, a ring of recent orders, and a transactional outbox: every
 * business event (order placed, payment captured, shipment booked, refill reminder) is stored in
 * Outbox.messages (a LinkedHashMap keyed by sequence number), published by a relay every 30 s and
 * removed when the broker acknowledges it. The acknowledgement handler switches on the topic and
 * has no case for "reminders.refill" (the topic was added later): those acks fall into the default
 * branch and are counted as ignored, so every refill reminder stays in the outbox forever while the
 * other messages come and go. See VALIDATION99.md.
 */
public final class Val99LeakPetPharmacy {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RELAY_EVERY = 30_000L;
    static final int DRUGS = 1_300, PRESCRIPTIONS = 24_000, LABEL_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_HOUR = 8_000;
    static final String T_ORDER = "orders.placed", T_PAYMENT = "payments.captured", T_SHIPMENT = "shipments.booked", T_REMINDER = "reminders.refill";
    static boolean FIXED;

    record Drug(String code, String name, String species, double[] doseByWeightKg) {}
    record Prescription(String rxNumber, String petId, String drugCode, byte[] directions, long writtenAt) {}
    record DosageLabel(String key, byte[] rendered, long at) {}
    record Order(String orderId, String rxNumber, int quantity, long at) {}
    record Ack(long seq, String topic, long at) {}

    static final class OutboxMessage {
        final long seq;
        final String topic;
        final String aggregateId;
        final long createdAt;
        final byte[] payload;
        long sentAt;
        int attempts;
        OutboxMessage(long seq, String topic, String aggregateId, long createdAt, byte[] payload) {
            this.seq = seq; this.topic = topic; this.aggregateId = aggregateId; this.createdAt = createdAt; this.payload = payload;
        }
    }

    /** Transactional outbox: written with the business change, relayed to the broker, deleted on ack. */
    static final class Outbox {
        final LinkedHashMap<Long, OutboxMessage> messages = new LinkedHashMap<>();
        /** Acks delivered by the broker since the last relay pass (handled at the start of the next pass). */
        final ArrayDeque<Ack> brokerAcks = new ArrayDeque<>();
        long nextSeq = 1, appended, sent, acked, ackIgnored, relayPasses;

        void append(String topic, String aggregateId, long at, byte[] payload) {
            long seq = nextSeq++;
            messages.put(seq, new OutboxMessage(seq, topic, aggregateId, at, payload));
            appended++;
        }

        void relay(long at) {
            relayPasses++;
            for (Ack a; (a = brokerAcks.poll()) != null; ) onAck(a);
            for (OutboxMessage m : messages.values()) {
                if (m.sentAt == 0) {
                    m.sentAt = at;
                    m.attempts++;
                    sent++;
                    brokerAcks.add(new Ack(m.seq, m.topic, at + 40));
                }
            }
        }

        void onAck(Ack a) {
            switch (a.topic()) {
                case T_ORDER:
                case T_PAYMENT:
                case T_SHIPMENT:
                    messages.remove(a.seq());
                    acked++;
                    break;
                // BUG: no case for T_REMINDER (added with the refill-reminder feature); its acks are ignored
                default:
                    if (FIXED && a.topic().equals(T_REMINDER)) { // the fix: the missing case
                        messages.remove(a.seq());
                        acked++;
                        break;
                    }
                    ackIgnored++; // "unknown topic" (logged at debug level)
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, DosageLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DosageLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Drug> DRUGS_BY_CODE = new HashMap<>();

    static final class PharmacyService {
        final Map<String, Prescription> prescriptions = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders;
        final Outbox outbox = new Outbox();
        long remindersAppended;
    }

    static PharmacyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service's heap; returns nothing so that no local of main refers to it. */
    static void run(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(99_010_001);
        String[] drugCodes = new String[DRUGS];
        String[] species = {"canine", "feline", "equine", "avian", "rabbit"};
        for (int d = 0; d < DRUGS; d++) {
            double[] dose = new double[48];
            for (int k = 0; k < dose.length; k++) dose[k] = rnd.nextDouble() * 25;
            drugCodes[d] = "VD-" + (40_000 + d);
            DRUGS_BY_CODE.put(drugCodes[d], new Drug(drugCodes[d], "Compound " + d, species[d % species.length], dose));
        }
        PharmacyService svc = new PharmacyService();
        SERVICE = svc;
        String[] rxNumbers = new String[PRESCRIPTIONS];
        for (int p = 0; p < PRESCRIPTIONS; p++) {
            rxNumbers[p] = "RX" + (3_100_000 + p * 3);
            svc.prescriptions.put(rxNumbers[p], new Prescription(rxNumbers[p], "PET-" + (500_000 + rnd.nextInt(90_000)), drugCodes[rnd.nextInt(DRUGS)],
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Random traffic = new Random(99_010_002);
        long nextRelay = start + RELAY_EVERY;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextRelay <= t) { svc.outbox.relay(nextRelay); nextRelay += RELAY_EVERY; }
            String rx = rxNumbers[traffic.nextInt(PRESCRIPTIONS)];
            int kind = traffic.nextInt(20);
            if (kind < 7) { // 35 %: an order is placed
                String orderId = "ORD-" + (8_000_000 + i);
                svc.recentOrders[(int) (svc.orders++ % RING)] = new Order(orderId, rx, 1 + traffic.nextInt(6), t);
                svc.outbox.append(T_ORDER, orderId, t, new byte[60 + traffic.nextInt(80)]);
                String key = "lbl-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new DosageLabel(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.printBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printBuffers.add(buf);
            } else if (kind < 13) { // 30 %: a payment is captured
                svc.outbox.append(T_PAYMENT, "PAY-" + (8_000_000 + i), t, new byte[60 + traffic.nextInt(80)]);
            } else if (kind < 16) { // 15 %: a shipment is booked
                svc.outbox.append(T_SHIPMENT, "SHP-" + (8_000_000 + i), t, new byte[60 + traffic.nextInt(80)]);
            } else { // 20 %: a refill reminder for the owner (text with pet, drug and directions)
                svc.outbox.append(T_REMINDER, "RFL-" + (8_000_000 + i), t, new byte[120 + traffic.nextInt(120)]);
                svc.remindersAppended++;
            }
        }
        Outbox o = svc.outbox;
        int remindersInOutbox = 0, othersInOutbox = 0;
        for (OutboxMessage m : o.messages.values()) {
            if (m.topic.equals(T_REMINDER)) remindersInOutbox++; else othersInOutbox++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " drugs " + DRUGS_BY_CODE.size() + " prescriptions " + svc.prescriptions.size() + " outbox " + o.messages.size()
                + " (reminders " + remindersInOutbox + ", others " + othersInOutbox + ") appended " + o.appended + " (reminders " + svc.remindersAppended + ") sent " + o.sent + " acked " + o.acked
                + " ignored acks " + o.ackIgnored + " broker acks waiting " + o.brokerAcks.size() + " relay passes " + o.relayPasses + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted
                + ") pool " + svc.printBuffers.size() + " orders " + svc.orders);
        check(DRUGS_BY_CODE.size() == DRUGS && svc.prescriptions.size() == PRESCRIPTIONS, "reference data / directory");
        check(o.appended == events && o.relayPasses == hours * 120L - 3, "outbox traffic: " + o.relayPasses);
        check(othersInOutbox < 400, "non-reminder messages are acked: " + othersInOutbox);
        if (FIXED) check(remindersInOutbox < 100 && o.ackIgnored == 0, "fixed: reminders acked");
        else check(remindersInOutbox == svc.remindersAppended && o.ackIgnored > 0, "every reminder stays: " + remindersInOutbox);
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val99.fixed");
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
