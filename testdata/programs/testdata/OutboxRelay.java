// hprofscan-dump: name=outbox-relay jvm="-Xmx128m" variants=mxbean args="healthy"
// hprofscan-dump: name=outbox-relay-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="healthy"
// hprofscan-dump: name=outbox-relay-leak jvm="-Xmx128m" variants=mxbean args="leak"
// hprofscan-dump: name=outbox-relay-leak-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A clinic-booking service with a transactional outbox ({@code Outbox.messages}, a
 * {@code LinkedHashMap<Long, Message>} keyed by a sequence number given as each message is
 * made, {@code createdAt} its time), beside a directory of patients warmed as they book
 * ({@code Clinic.patients}, keyed by their database ids, loaded in random id order), reference
 * data loaded at startup ({@code Clinic.treatments}) and a capped LRU of recent bookings.
 * Eight hours of bookings, one every 0.45 s (64,000), each one outbox message; a relay pass
 * every 30 s sends the unsent and deletes the acknowledged.
 * <ul>
 * <li>{@code healthy}: one partner (an insurer, 15% of the messages) acknowledges late, after
 * an exponentially distributed delay of three hours on average: its messages wait for hours,
 * fewer the older they are (the old ones were acknowledged at last). No leak.
 * <li>{@code leak}: the acknowledgement handler has no case for the reminder topic (every fifth
 * message): reminders stay forever, as many of the first hour's as of the last one's. The leak
 * is {@code Outbox.messages}: about 12,800 of the 64,000 messages.
 * </ul>
 * In one dump both are sequence-keyed maps holding a minority of the numbers issued over eight
 * hours, most entries idle for more than an hour. Fixed numbers (printed).
 */
public final class OutboxRelay {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int EVENTS = 64_000;
    static final String[] TOPICS = {"booking.made", "booking.paid", "claim.filed", "booking.cancelled", "reminder.sent"};

    static final long FIRST_SEQ = 7_000_001L;
    /** When the broker acknowledges each message (the simulation's, not the service's). */
    static long[] ackDue = new long[EVENTS];

    static final class Message {
        final long seq;
        final String topic;
        final long createdAt;
        final byte[] payload;
        long sentAt;

        Message(long seq, String topic, long createdAt, byte[] payload) {
            this.seq = seq;
            this.topic = topic;
            this.createdAt = createdAt;
            this.payload = payload;
        }
    }

    static final class Outbox {
        final Map<Long, Message> messages = new LinkedHashMap<>();
        long nextSeq = FIRST_SEQ;
        long deleted;

        Message add(String topic, long at, byte[] payload) {
            Message m = new Message(nextSeq++, topic, at, payload);
            messages.put(m.seq, m);
            return m;
        }

        /** One relay pass: sends what is unsent, deletes what was acknowledged by {@code at}. */
        void relay(long at, boolean leak) {
            for (Iterator<Message> it = messages.values().iterator(); it.hasNext(); ) {
                Message m = it.next();
                if (m.sentAt == 0) {
                    m.sentAt = at;
                } else if (ackDue[(int) (m.seq - FIRST_SEQ)] <= at && onAck(m, leak)) {
                    it.remove();
                    deleted++;
                }
            }
        }

        /** Whether the acknowledged message is deleted. */
        static boolean onAck(Message m, boolean leak) {
            switch (m.topic) {
                case "booking.made", "booking.paid", "claim.filed", "booking.cancelled":
                    return true;
                case "reminder.sent":
                    return !leak;
                default:
                    return false;
            }
        }
    }

    record Patient(long id, String name, long loadedAt, long lastBookingAt) {}

    record Treatment(String code, String name, int minutes, long priceCents) {}

    static final class Clinic {
        final Outbox outbox = new Outbox();
        final Map<Long, Patient> patients = new HashMap<>();
        final Map<String, Treatment> treatments = new HashMap<>();
        final Map<Long, long[]> recentBookings = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, long[]> e) {
                return size() > 2_000;
            }
        };
    }

    static final Clinic CLINIC = new Clinic();

    /**
     * Prints the counts. A method of its own: an iterator left in main's frame (its local slots
     * stay live while interpreted) would keep the last LinkedHashMap entry as a GC root, and
     * through the entries' before links all of them, so the map would dominate none (the dump
     * would then depend on JIT timing).
     */
    static void report(Clinic c, boolean leak, long end) {
        int reminders = 0, old = 0;
        for (Message m : c.outbox.messages.values()) {
            if (m.topic.equals("reminder.sent")) reminders++;
            if (m.createdAt < end - HOUR) old++;
        }
        System.out.println((leak ? "leak" : "healthy") + " outbox " + c.outbox.messages.size() + " (reminders " + reminders
                + ", older than 1 h " + old + ", deleted " + c.outbox.deleted + ") patients " + c.patients.size()
                + " treatments " + c.treatments.size() + " recent " + c.recentBookings.size());
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 8 * HOUR;
        Random rnd = new Random(40_001);
        Clinic c = CLINIC;
        for (int i = 0; i < 400; i++) {
            String code = "T" + (100 + i);
            c.treatments.put(code, new Treatment(code, "Treatment " + i, 15 + i % 6 * 15, 4_000 + 250L * i));
        }
        List<String> codes = new ArrayList<>(c.treatments.keySet());
        long nextPass = start + 30_000;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - start - MINUTE) * i / EVENTS;
            while (nextPass <= t) {
                c.outbox.relay(nextPass, leak);
                nextPass += 30_000;
            }
            long patientId = 2_000_000L + rnd.nextInt(400_000);
            Patient p = c.patients.get(patientId);
            if (p == null && c.patients.size() < 12_000) {
                c.patients.put(patientId, new Patient(patientId, "Patient " + patientId, t, t));
            }
            String topic = TOPICS[i % TOPICS.length];
            Message m = c.outbox.add(topic, t, new byte[96 + rnd.nextInt(64)]);
            // Most partners acknowledge at the next pass; the insurer (claims) after hours.
            long delay = topic.equals("claim.filed") && !leak
                    ? (long) (-Math.log(1 - rnd.nextDouble()) * 3 * HOUR)
                    : 30_000;
            ackDue[i] = t + 30_000 + delay;
            c.recentBookings.put((long) i, new long[] {patientId, t, codes.get(rnd.nextInt(codes.size())).hashCode()});
        }
        c.outbox.relay(nextPass, leak);
        report(c, leak, end);
        ackDue = null;
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
