// hprofscan-dump: name=val46-leak-fareclearing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val46-leak-fareclearing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 46 (written blind), LEAK: the tap ingest of a regional transit fare clearing house.
 * Stop reference data, the fare-card directory, a cache of zone fare tables at its cap, a pool of
 * settlement buffers, a ring of recent taps, and a deduplication table of broker sequence numbers:
 * the broker redelivers a message at least once, so every tap's sequence number is recorded in a
 * hand-grown {@code long[] seenAt} indexed by (seq - first seq) and doubled with Arrays.copyOf when
 * full. Redeliveries only ever come from the last few hundred sequence numbers, but the table is
 * never windowed or compacted: it keeps one slot per sequence number since start. The fix keeps a
 * fixed window of the last 65,536 sequence numbers (a ring indexed by seq & mask). See
 * VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46LeakFareClearing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STOPS = 1_400, CARDS = 26_000, FARE_CAP = 2_000, POOL = 8, RING = 16_384, TAPS_PER_HOUR = 60_000, HOURS = 10, WINDOW = 65_536;
    static final long FIRST_SEQ = 731_204_117L;
    static boolean FIXED;

    record Stop(String code, String line, double[] hourlyBoardings) {}
    record FareTable(String key, byte[] table, long at) {}
    record Tap(long seq, String cardNumber, String stopCode, long at, int fareCents) {}

    static final class FareCard {
        final String number; final String concession; final byte[] profile; final long issuedAt;
        long balanceCents; int taps;
        FareCard(String number, String concession, byte[] profile, long issuedAt, long balanceCents) { this.number = number; this.concession = concession; this.profile = profile; this.issuedAt = issuedAt; this.balanceCents = balanceCents; }
    }

    /** Deduplication of broker redeliveries by sequence number. */
    static final class SeenTable {
        long base = -1, maxSeq = -1, accepted, duplicates, tooOld, grown;
        long[] seenAt = FIXED ? null : new long[WINDOW]; // BUG: indexed by seq - base, doubled forever
        final long[] window = FIXED ? new long[WINDOW] : null; // fix: ring of the last WINDOW seqs

        boolean firstTime(long seq, long at) {
            if (FIXED) {
                if (maxSeq >= 0 && seq <= maxSeq - WINDOW) { tooOld++; return false; }
                int slot = (int) (seq & (WINDOW - 1));
                if (window[slot] == seq + 1) { duplicates++; return false; }
                window[slot] = seq + 1;
                maxSeq = Math.max(maxSeq, seq);
                accepted++;
                return true;
            }
            if (base < 0) base = seq;
            long idx = seq - base;
            while (idx >= seenAt.length) { seenAt = Arrays.copyOf(seenAt, seenAt.length * 2); grown++; }
            if (seenAt[(int) idx] != 0) { duplicates++; return false; }
            seenAt[(int) idx] = at;
            maxSeq = Math.max(maxSeq, seq);
            accepted++;
            return true;
        }
    }

    static final class FareCache extends LinkedHashMap<String, FareTable> {
        long evicted;
        FareCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FareTable> e) { if (size() > FARE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();

    static final class ClearingService {
        final Map<String, FareCard> cards = new HashMap<>();
        final FareCache fares = new FareCache();
        final ArrayDeque<byte[]> settlementBuffers = new ArrayDeque<>();
        final Tap[] recentTaps = new Tap[RING];
        long tapsBooked;
        final SeenTable seen = new SeenTable();
    }

    static ClearingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val46.fixed");
        int taps = TAPS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(46_020_001);
        String[] stopCodes = new String[STOPS];
        for (int s = 0; s < STOPS; s++) {
            double[] boardings = new double[64];
            for (int k = 0; k < boardings.length; k++) boardings[k] = rnd.nextDouble() * 400;
            stopCodes[s] = "STP-" + (10_000 + s * 7);
            STOPS_BY_CODE.put(stopCodes[s], new Stop(stopCodes[s], "Line " + (1 + s % 48), boardings));
        }
        ClearingService svc = new ClearingService();
        SERVICE = svc;
        String[] cardNumbers = new String[CARDS];
        String[] concessions = {"adult", "student", "senior", "disability", "child"};
        for (int c = 0; c < CARDS; c++) {
            cardNumbers[c] = "3086" + (40_000_000 + c * 13);
            svc.cards.put(cardNumbers[c], new FareCard(cardNumbers[c], concessions[rnd.nextInt(concessions.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY, 500 + rnd.nextInt(5_000)));
        }
        for (int b = 0; b < POOL; b++) svc.settlementBuffers.add(new byte[32_768]);

        Random traffic = new Random(46_020_002);
        long seq = FIRST_SEQ - 1;
        long redeliveries = 0, messages = 0;
        for (int i = 0; i < taps; i++) {
            long t = start + (end - MINUTE - start) * i / taps;
            seq++;
            String card = cardNumbers[traffic.nextInt(CARDS)];
            String stop = stopCodes[traffic.nextInt(STOPS)];
            int fare = 120 + traffic.nextInt(380);
            messages++;
            if (svc.seen.firstTime(seq, t)) {
                FareCard fc = svc.cards.get(card);
                fc.balanceCents -= fare;
                fc.taps++;
                svc.recentTaps[(int) (svc.tapsBooked++ % RING)] = new Tap(seq, card, stop, t, fare);
                String fkey = "F-" + traffic.nextInt(80) + "-" + traffic.nextInt(80);
                int tableSize = 300 + traffic.nextInt(300);
                if (svc.fares.get(fkey) == null) svc.fares.put(fkey, new FareTable(fkey, new byte[tableSize], t));
                byte[] buf = svc.settlementBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.settlementBuffers.add(buf);
            }
            if (traffic.nextInt(50) == 0 && seq > FIRST_SEQ + 500) { // the broker redelivers a recent message
                long again = seq - traffic.nextInt(500);
                messages++;
                redeliveries++;
                check(!svc.seen.firstTime(again, t), "redelivery " + again + " accepted");
            }
        }
        SeenTable s = svc.seen;
        long filled = 0;
        if (!FIXED) for (long v : s.seenAt) if (v != 0) filled++;
        System.out.println((FIXED ? "FIXED " : "") + "stops " + STOPS_BY_CODE.size() + " cards " + svc.cards.size() + " messages " + messages + " accepted " + s.accepted + " duplicates " + s.duplicates
                + " (redeliveries " + redeliveries + ", too old " + s.tooOld + ") seq " + FIRST_SEQ + ".." + s.maxSeq + (FIXED ? " window " + s.window.length : " seenAt length " + s.seenAt.length + " filled " + filled + " grown " + s.grown)
                + " fares " + svc.fares.size() + " (evicted " + svc.fares.evicted + ") pool " + svc.settlementBuffers.size() + " taps booked " + svc.tapsBooked);
        check(STOPS_BY_CODE.size() == STOPS && svc.cards.size() == CARDS, "reference data / directory");
        check(s.accepted == taps && s.duplicates == redeliveries && s.tooOld == 0 && s.maxSeq == FIRST_SEQ + taps - 1, "dedup traffic");
        if (!FIXED) check(filled == taps && s.seenAt.length == 1_048_576, "seen table keeps every sequence number: " + s.seenAt.length);
        check(svc.fares.size() == FARE_CAP && svc.fares.evicted > 0, "fare cache at cap");
        check(svc.settlementBuffers.size() == POOL, "pool");
        check(svc.tapsBooked == taps && svc.recentTaps[RING - 1] != null, "ring");
        LeakCheck.histogram(" [J ", " [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
