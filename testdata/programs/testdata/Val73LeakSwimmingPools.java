// hprofscan-dump: name=val73-leak-swimmingpools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val73-leak-swimmingpools-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 73 (written blind), LEAK: the lane-booking service of a city's public swimming
 * pools. Pool reference data, the member directory, a cache of rendered timetable pages at its
 * cap, a pool of turnstile decode buffers, a ring of recent bookings, and a static audit
 * StringBuilder to which every request appends one line with its timestamp. A flusher runs every
 * minute and is meant to ship the buffer and clear it; it ships the part not yet shipped (a
 * substring from flushedUpTo) and advances the marker, but never clears the builder, so the
 * builder holds every audit line since start. See VALIDATION73.md.
 */
public final class Val73LeakSwimmingPools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int POOLS = 1_200, MEMBERS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 6_000;
    static boolean FIXED;

    record SwimmingPool(String code, String centre, double[] laneOccupancy) {}
    record Member(String cardNo, String homePool, byte[] profile, long joinedAt) {}
    record TimetablePage(String key, byte[] rendered, long at) {}
    record Booking(long id, String cardNo, String poolCode, int lane, long sessionStart) {}

    /** Static audit buffer, flushed every minute to the audit store. */
    static final class AuditLog {
        static final StringBuilder BUFFER = new StringBuilder(16_384);
        static int flushedUpTo;
        static long lines, flushes, shippedChars;
        static void append(long at, String line) { BUFFER.append(Instant.ofEpochMilli(at)).append(' ').append(line).append('\n'); lines++; }
        static void flush() {
            String batch = BUFFER.substring(flushedUpTo); // shipped to the audit store
            shippedChars += batch.length();
            flushes++;
            if (FIXED) { BUFFER.setLength(0); flushedUpTo = 0; }
            else flushedUpTo = BUFFER.length(); // BUG: copied, never cleared
        }
    }

    static final class PageCache extends LinkedHashMap<String, TimetablePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TimetablePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SwimmingPool> POOLS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Member> members = new HashMap<>();
        final PageCache timetables = new PageCache();
        final ArrayDeque<byte[]> turnstileBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        long bookings, requests;
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val73.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(73_040_001);
        String[] poolCodes = new String[POOLS];
        for (int p = 0; p < POOLS; p++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            poolCodes[p] = "SP-" + (2_000 + p);
            POOLS_BY_CODE.put(poolCodes[p], new SwimmingPool(poolCodes[p], "Leisure centre " + (p % 400), occ));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] cards = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            cards[m] = "SWIM" + (30_000_000 + m * 11);
            svc.members.put(cards[m], new Member(cards[m], poolCodes[rnd.nextInt(POOLS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.turnstileBuffers.add(new byte[32_768]);
        Random traffic = new Random(73_040_002);
        String[] actions = {"BOOK", "CANCEL", "CHECK_IN", "RESCHEDULE"};
        long nextFlush = start + MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextFlush <= t) { AuditLog.flush(); nextFlush += MINUTE; }
            String card = cards[traffic.nextInt(MEMBERS)];
            String pool = poolCodes[traffic.nextInt(POOLS)];
            int lane = 1 + traffic.nextInt(8);
            String action = actions[traffic.nextInt(actions.length)];
            long session = t + (1 + traffic.nextInt(72)) * 30 * MINUTE;
            AuditLog.append(t, "req=" + (80_000_000L + i) + " member=" + card + " pool=" + pool + " lane=" + lane + " action=" + action + " session=" + session);
            svc.requests++;
            if (action.equals("BOOK")) svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(80_000_000L + i, card, pool, lane, session);
            String key = "tt-" + traffic.nextInt(5_000);
            if (svc.timetables.get(key) == null) svc.timetables.put(key, new TimetablePage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.turnstileBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.turnstileBuffers.add(buf);
        }
        int expectedFlushes = (int) ((end - MINUTE - start) / MINUTE) - 1;
        System.out.println((FIXED ? "FIXED " : "") + "pools " + POOLS_BY_CODE.size() + " members " + svc.members.size() + " requests " + svc.requests + " audit lines " + AuditLog.lines + " flushes " + AuditLog.flushes
                + " buffer length " + AuditLog.BUFFER.length() + " capacity " + AuditLog.BUFFER.capacity() + " flushedUpTo " + AuditLog.flushedUpTo + " shipped " + AuditLog.shippedChars
                + " timetables " + svc.timetables.size() + " (evicted " + svc.timetables.evicted + ") pool " + svc.turnstileBuffers.size() + " bookings " + svc.bookings);
        check(POOLS_BY_CODE.size() == POOLS && svc.members.size() == MEMBERS, "reference data / directory");
        check(AuditLog.lines == requests && AuditLog.flushes == expectedFlushes, "audit traffic: " + AuditLog.flushes);
        if (FIXED) check(AuditLog.BUFFER.length() + AuditLog.shippedChars < 40_000_000L && AuditLog.BUFFER.length() < 20_000, "buffer cleared every minute");
        else check(AuditLog.BUFFER.length() == AuditLog.shippedChars + (AuditLog.BUFFER.length() - AuditLog.flushedUpTo) && AuditLog.BUFFER.length() > 5_000_000, "buffer keeps every line: " + AuditLog.BUFFER.length());
        check(svc.timetables.size() == PAGE_CAP && svc.timetables.evicted > 0, "timetable cache at cap");
        check(svc.turnstileBuffers.size() == POOL, "buffer pool");
        check(svc.bookings > RING && svc.recentBookings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
