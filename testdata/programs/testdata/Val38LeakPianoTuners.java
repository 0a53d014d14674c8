// hprofscan-dump: name=val38-leak-pianotuners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val38-leak-pianotuners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 38 (written blind), LEAK: the booking service of a piano-tuning company. Region
 * reference data, the piano directory, an LRU of rendered tuning reports at its cap, a pool of
 * audio-analysis buffers, a ring of recent bookings. When a customer picks a slot the service puts a
 * SlotHold in a TTL cache (15 minutes; 24 hours for corporate accounts, whose purchase approval
 * takes a day); a booking confirmation removes its hold, and a sweep runs every minute. The sweep
 * walks the insertion-ordered map and stops at the first hold that has not expired, assuming that
 * insertion order is expiry order; but TTLs differ per hold, so the first pending corporate hold
 * blocks the sweep and every expired hold inserted after it stays forever. See VALIDATION38.md.
 */
public final class Val38LeakPianoTuners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final long HOLD_TTL = 15 * MINUTE, CORPORATE_HOLD_TTL = 24 * HOUR;
    static final int REGIONS = 1_000, PIANOS = 25_000, REPORT_CAP = 2_000, POOL = 8, RING = 8_192, HOLDS_PER_HOUR = 3_000, HOURS = 10;
    static boolean FIXED;

    record Region(String code, String name, double[] humidityByWeek) {}
    record Piano(String serial, String regionCode, String maker, byte[] serviceHistory, long firstTunedAt) {}
    record TuningReport(String key, byte[] rendered, long at) {}
    record Booking(String holdId, String tunerId, String pianoSerial, long slotStart, long bookedAt) {}

    static final class SlotHold {
        final String holdId, tunerId, pianoSerial;
        final long slotStart, createdAt, expiresAt;
        final boolean corporate;
        final byte[] quoteSnapshot;
        SlotHold(String holdId, String tunerId, String pianoSerial, long slotStart, long createdAt, long expiresAt, boolean corporate, byte[] quoteSnapshot) {
            this.holdId = holdId; this.tunerId = tunerId; this.pianoSerial = pianoSerial; this.slotStart = slotStart; this.createdAt = createdAt; this.expiresAt = expiresAt; this.corporate = corporate; this.quoteSnapshot = quoteSnapshot;
        }
    }

    /** Slot holds by hold id, insertion-ordered; expired holds are removed by sweep(). */
    static final class HoldCache {
        final LinkedHashMap<String, SlotHold> holds = new LinkedHashMap<>();
        long swept, confirmed;
        void put(SlotHold h) { holds.put(h.holdId, h); }
        boolean confirm(String holdId, long now) {
            SlotHold h = holds.get(holdId);
            if (h == null || h.expiresAt <= now) return false;
            holds.remove(holdId);
            confirmed++;
            return true;
        }
        void sweep(long now) {
            if (FIXED) {
                for (Iterator<SlotHold> it = holds.values().iterator(); it.hasNext(); ) {
                    if (it.next().expiresAt <= now) { it.remove(); swept++; }
                }
                return;
            }
            for (Iterator<SlotHold> it = holds.values().iterator(); it.hasNext(); ) {
                SlotHold h = it.next();
                if (h.expiresAt > now) break; // BUG: assumes holds expire in insertion order; a 24 h corporate hold blocks the rest
                it.remove();
                swept++;
            }
        }
    }

    static final class ReportCache extends LinkedHashMap<String, TuningReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TuningReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Piano> pianos = new HashMap<>();
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> analysisBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        final HoldCache holdCache = new HoldCache();
        long bookings;
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record PendingConfirm(String holdId, long at) {}

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val38.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(38_010_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] h = new double[64];
            for (int k = 0; k < h.length; k++) h[k] = 30 + rnd.nextDouble() * 50;
            regionCodes[r] = "RG-" + (2_000 + r);
            REGIONS_BY_CODE.put(regionCodes[r], new Region(regionCodes[r], "Region " + r, h));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] serials = new String[PIANOS];
        String[] makers = {"Steinway", "Yamaha", "Bechstein", "Kawai", "Bosendorfer", "Petrof", "Bluthner", "Schimmel"};
        for (int p = 0; p < PIANOS; p++) {
            serials[p] = "PN-" + (810_000 + p * 7);
            svc.pianos.put(serials[p], new Piano(serials[p], regionCodes[rnd.nextInt(REGIONS)], makers[rnd.nextInt(makers.length)], new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(6_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.analysisBuffers.add(new byte[32_768]);

        Random traffic = new Random(38_010_002);
        int holds = HOLDS_PER_HOUR * HOURS, corporate = 0;
        PriorityQueue<PendingConfirm> pending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextSweep = start + MINUTE;
        for (int i = 0; i < holds; i++) {
            long t = start + (end - MINUTE - start) * i / holds;
            while (nextSweep <= t || (!pending.isEmpty() && pending.peek().at() <= t)) {
                long pAt = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().at();
                if (nextSweep <= pAt && nextSweep <= t) { svc.holdCache.sweep(nextSweep); nextSweep += MINUTE; continue; }
                PendingConfirm pc = pending.poll();
                SlotHold h = svc.holdCache.holds.get(pc.holdId());
                if (svc.holdCache.confirm(pc.holdId(), pc.at())) {
                    svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(h.holdId, h.tunerId, h.pianoSerial, h.slotStart, pc.at());
                }
            }
            String serial = serials[traffic.nextInt(PIANOS)];
            boolean corp = traffic.nextInt(100) < 2;
            if (corp) corporate++;
            String holdId = "hold-" + (4_400_000L + i);
            long slotStart = t + (long) (1 + traffic.nextInt(21)) * 24 * HOUR;
            SlotHold h = new SlotHold(holdId, "tuner-" + (100 + traffic.nextInt(300)), serial, slotStart, t, t + (corp ? CORPORATE_HOLD_TTL : HOLD_TTL), corp, new byte[100 + traffic.nextInt(100)]);
            svc.holdCache.put(h);
            if (!corp && traffic.nextInt(100) < 45) pending.add(new PendingConfirm(holdId, t + (1 + traffic.nextInt(14)) * MINUTE - 1_000));
            String key = serial + "/report";
            if (svc.reports.get(key) == null) svc.reports.put(key, new TuningReport(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.analysisBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.analysisBuffers.add(buf);
        }
        while (!pending.isEmpty() && pending.peek().at() < end) {
            PendingConfirm pc = pending.poll();
            while (nextSweep <= pc.at()) { svc.holdCache.sweep(nextSweep); nextSweep += MINUTE; }
            SlotHold h = svc.holdCache.holds.get(pc.holdId());
            if (svc.holdCache.confirm(pc.holdId(), pc.at())) svc.recentBookings[(int) (svc.bookings++ % RING)] = new Booking(h.holdId, h.tunerId, h.pianoSerial, h.slotStart, pc.at());
        }
        pending.clear();
        while (nextSweep <= end) { svc.holdCache.sweep(nextSweep); nextSweep += MINUTE; }

        HoldCache hc = svc.holdCache;
        int expired = 0, live = 0, liveCorporate = 0;
        for (SlotHold h : hc.holds.values()) { if (h.expiresAt <= end) expired++; else { live++; if (h.corporate) liveCorporate++; } }
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " pianos " + svc.pianos.size() + " holds " + holds + " corporate " + corporate + " confirmed " + hc.confirmed + " swept " + hc.swept
                + " held " + hc.holds.size() + " expired-held " + expired + " live " + live + " live-corporate " + liveCorporate + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") bookings " + svc.bookings + " pool " + svc.analysisBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.pianos.size() == PIANOS, "reference data / directory");
        check(holds == 30_000 && corporate == 602 && hc.confirmed == 13_049 && hc.holds.size() == (FIXED ? 1_113 : 16_939), "traffic");
        check(hc.confirmed == svc.bookings && hc.confirmed + hc.swept + hc.holds.size() == holds, "hold accounting");
        check(corporate == liveCorporate, "every corporate hold is still valid (24 h TTL)");
        if (FIXED) check(expired == 0, "fixed sweep leaves no expired hold");
        else check(expired == EXPECTED_EXPIRED_HELD, "expired holds left by the blocked sweep: " + expired);
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.analysisBuffers.size() == POOL, "pool");
        check(svc.recentBookings[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int EXPECTED_EXPIRED_HELD = 15_826;
}
