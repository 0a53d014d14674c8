// hprofscan-dump: name=val44-leak-canallocks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val44-leak-canallocks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 44 (written blind), LEAK: the lock-passage service of a canal and river trust.
 * Lock reference data, the boat-licence directory, a cache of rendered licence pages at its cap, a
 * pool of CCTV frame buffers, a ring of paddle/gate sensor events, and the passage history: every
 * boat licence keeps its own list of lock passages, one entry per passage, for the "recent passages"
 * box of the licence page, which shows only the last four. Nothing ever trims the lists (the full
 * history is in the database): the leak is spread over 8,000 small lists, no single big collection.
 * See VALIDATION44.md.
 */
public final class Val44LeakCanalLocks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int LOCKS = 1_100, BOATS = 8_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 72,
            PASSAGES_PER_HOUR = 1_500, SHOWN = 4;
    static boolean FIXED;

    record Lock(String code, String waterway, double[] levelModel) {}
    record Passage(String lockCode, long at, boolean upstream, short waitMinutes, byte[] cctvRef) {}
    record LicencePage(String key, byte[] rendered, long at) {}
    record GateEvent(String lockCode, int paddle, boolean opened, long at) {}

    static final class BoatLicence {
        final String licenceNo, boatName, homeMooring;
        final int lengthCm;
        final byte[] registration;
        final long issuedAt;
        final List<Passage> passages = new ArrayList<>();
        long passagesTotal;
        BoatLicence(String licenceNo, String boatName, String homeMooring, int lengthCm, byte[] registration, long issuedAt) {
            this.licenceNo = licenceNo; this.boatName = boatName; this.homeMooring = homeMooring; this.lengthCm = lengthCm; this.registration = registration; this.issuedAt = issuedAt;
        }
        void recordPassage(Passage p) {
            passages.add(p);
            passagesTotal++;
            if (FIXED) while (passages.size() > SHOWN) passages.remove(0);
            // BUG: never trimmed; the page only ever shows passages.subList(size - 4, size)
        }
        List<Passage> recentForPage() { return passages.subList(Math.max(0, passages.size() - SHOWN), passages.size()); }
    }

    static final class PageCache extends LinkedHashMap<String, LicencePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LicencePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Lock> LOCKS_BY_CODE = new HashMap<>();

    static final class PassageService {
        final Map<String, BoatLicence> boats = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> cctvBuffers = new ArrayDeque<>();
        final GateEvent[] gateEvents = new GateEvent[RING];
        long gateEventsWritten, passages;
    }

    static PassageService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val44.fixed");
        int passages = PASSAGES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(44_040_001);
        String[] waterways = {"Grand Union", "Kennet and Avon", "Leeds and Liverpool", "Oxford", "Trent and Mersey", "Shropshire Union", "Llangollen", "Rochdale"};
        String[] lockCodes = new String[LOCKS];
        for (int l = 0; l < LOCKS; l++) {
            double[] level = new double[72];
            for (int k = 0; k < level.length; k++) level[k] = 1 + rnd.nextDouble() * 4;
            lockCodes[l] = "LK" + (1_000 + l);
            LOCKS_BY_CODE.put(lockCodes[l], new Lock(lockCodes[l], waterways[l % waterways.length], level));
        }
        PassageService svc = new PassageService();
        SERVICE = svc;
        String[] licenceNos = new String[BOATS];
        String[] boatNames = {"Kingfisher", "Dragonfly", "Otter", "Heron", "Willow", "Moorhen", "Bramble", "Lapwing", "Tranquil", "Wanderer"};
        for (int b = 0; b < BOATS; b++) {
            licenceNos[b] = "BL-" + (520_000 + b * 3);
            svc.boats.put(licenceNos[b], new BoatLicence(licenceNos[b], boatNames[b % boatNames.length] + " " + (b / boatNames.length), waterways[rnd.nextInt(waterways.length)] + " mooring " + rnd.nextInt(400),
                    1_800 + rnd.nextInt(1_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(365)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.cctvBuffers.add(new byte[32_768]);
        Random traffic = new Random(44_040_002);
        for (int i = 0; i < passages; i++) {
            long t = start + (end - MINUTE - start) * i / passages;
            String lock = lockCodes[traffic.nextInt(LOCKS)];
            BoatLicence boat = svc.boats.get(licenceNos[traffic.nextInt(BOATS)]);
            boat.recordPassage(new Passage(lock, t, traffic.nextBoolean(), (short) traffic.nextInt(45), new byte[16 + traffic.nextInt(16)]));
            svc.passages++;
            for (int g = 0; g < 2; g++) svc.gateEvents[(int) (svc.gateEventsWritten++ % RING)] = new GateEvent(lock, traffic.nextInt(4), g == 0, t + g * 4 * MINUTE / 10);
            if (i % 2 == 0) {
                String key = "licence-page-" + traffic.nextInt(4_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new LicencePage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.cctvBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.cctvBuffers.add(buf);
        }
        licenceNos = null; lockCodes = null; // main's big locals: dead from here on
        long kept = 0, longest = 0, shownTotal = 0;
        for (BoatLicence b : svc.boats.values()) { kept += b.passages.size(); longest = Math.max(longest, b.passages.size()); shownTotal += b.recentForPage().size(); }
        System.out.println((FIXED ? "FIXED " : "") + "locks " + LOCKS_BY_CODE.size() + " boats " + svc.boats.size() + " passages " + svc.passages + " kept in licence lists " + kept
                + " (longest " + longest + ", shown " + shownTotal + ") gate events " + svc.gateEventsWritten + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.cctvBuffers.size());
        check(LOCKS_BY_CODE.size() == LOCKS && svc.boats.size() == BOATS, "reference data / directory");
        check(svc.passages == passages, "traffic");
        if (FIXED) check(longest == SHOWN && kept == shownTotal, "histories trimmed: " + kept);
        else check(kept == passages && longest > 3 * SHOWN, "histories keep everything: " + kept);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.cctvBuffers.size() == POOL, "pool");
        check(svc.gateEventsWritten == 2L * passages && svc.gateEvents[RING - 1] != null, "gate ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
