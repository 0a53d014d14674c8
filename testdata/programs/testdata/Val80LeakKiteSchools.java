// hprofscan-dump: name=val80-leak-kiteschools-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val80-leak-kiteschools-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val80-leak-kiteschools jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val80-leak-kiteschools-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 80 (written blind), LEAK: the booking service of a chain of kitesurfing schools.
 * Spot reference data, the student directory, a cache of rendered lesson pages at its cap, a pool
 * of SMS encoding buffers, a ring of recent bookings, and a transactional outbox: every booking,
 * reschedule and wind-cancellation writes a message into Outbox.messages, and a relay sends the
 * unsent ones every 30 s and flags them sent (sent = true, sentAt). Sent messages are never purged,
 * so the outbox grows with traffic. The fix removes a message once it is sent. See VALIDATION80.md.
 */
public final class Val80LeakKiteSchools {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPOTS = 1_200, STUDENTS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, MESSAGES_PER_HOUR = 6_000;
    static boolean FIXED;

    record Spot(String code, String beach, double[] windStats) {}
    record Student(String id, String name, byte[] waiver, long joinedAt) {}
    record LessonPage(String key, byte[] rendered, long at) {}
    record Booking(String studentId, String spotCode, long lessonAt, long bookedAt) {}

    static final class OutboxMessage {
        final long id; final String kind; final String recipient; final long createdAt; final byte[] body;
        boolean sent; long sentAt;
        OutboxMessage(long id, String kind, String recipient, long createdAt, byte[] body) { this.id = id; this.kind = kind; this.recipient = recipient; this.createdAt = createdAt; this.body = body; }
    }

    static final class Outbox {
        final LinkedHashMap<Long, OutboxMessage> messages = new LinkedHashMap<>();
        long written, sentTotal, relayPasses, purged;
        void write(OutboxMessage m) { messages.put(m.id, m); written++; }
        void relay(long now) {
            relayPasses++;
            for (Iterator<OutboxMessage> it = messages.values().iterator(); it.hasNext(); ) {
                OutboxMessage m = it.next();
                if (m.sent) continue;
                m.sent = true; m.sentAt = now; sentTotal++;
                if (FIXED) { it.remove(); purged++; }
                // BUG: a sent message is only flagged; nothing ever deletes it from the outbox
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, LessonPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LessonPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Spot> SPOTS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Student> students = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> smsBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        long bookings;
        final Outbox outbox = new Outbox();
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val80.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int messages = MESSAGES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(80_010_001);
        String[] spotCodes = new String[SPOTS];
        for (int s = 0; s < SPOTS; s++) {
            double[] wind = new double[64];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 35;
            String code = "SPOT-" + (3_000 + s);
            spotCodes[s] = code;
            SPOTS_BY_CODE.put(code, new Spot(code, "Beach " + (s % 400), wind));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] ids = new String[STUDENTS];
        for (int i = 0; i < STUDENTS; i++) {
            String id = "ST" + (4_000_000 + i);
            ids[i] = id;
            svc.students.put(id, new Student(id, "Student " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.smsBuffers.add(new byte[32_768]);
        Random traffic = new Random(80_010_002);
        String[] kinds = {"BOOKING_CONFIRMED", "LESSON_RESCHEDULED", "WIND_CANCELLATION", "REMINDER"};
        long nextRelay = start + 30 * SECOND;
        for (int i = 0; i < messages; i++) {
            long t = start + (end - MINUTE - start) * i / messages;
            while (nextRelay <= t) { svc.outbox.relay(nextRelay); nextRelay += 30 * SECOND; }
            String student = ids[traffic.nextInt(STUDENTS)];
            svc.outbox.write(new OutboxMessage(70_000_000L + i, kinds[traffic.nextInt(kinds.length)], student, t, new byte[120 + traffic.nextInt(120)]));
            if (i % 2 == 0) {
                svc.recent[(int) (svc.bookings++ % RING)] = new Booking(student, spotCodes[traffic.nextInt(SPOTS)], t + (1 + traffic.nextInt(10)) * 24 * HOUR, t);
                String key = "lesson-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new LessonPage(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.smsBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.smsBuffers.add(buf);
            }
        }
        Outbox o = svc.outbox;
        long unsent = o.messages.values().stream().filter(m -> !m.sent).count();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " spots " + SPOTS_BY_CODE.size() + " students " + svc.students.size() + " outbox " + o.messages.size() + " unsent " + unsent
                + " written " + o.written + " sent " + o.sentTotal + " relays " + o.relayPasses + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.smsBuffers.size() + " bookings " + svc.bookings);
        check(SPOTS_BY_CODE.size() == SPOTS && svc.students.size() == STUDENTS, "reference data / directory");
        check(o.written == messages && o.sentTotal + unsent == messages, "outbox traffic");
        if (FIXED) check(o.messages.size() == unsent && unsent < 100, "purged outbox: " + o.messages.size());
        else check(o.messages.size() == messages, "outbox keeps everything: " + o.messages.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.smsBuffers.size() == POOL, "pool");
        check(svc.bookings == messages / 2 && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
