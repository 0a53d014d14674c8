// hprofscan-dump: name=val30-healthy-carwash-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val30-healthy-carwash-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val30-healthy-carwash jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val30-healthy-carwash-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 30 (written blind), HEALTHY: the site service of a car-wash chain. Site
 * reference data, the wash-club member directory, a cache of rendered receipts (at its cap from
 * the first hour), a cache of number-plate reads (at its cap from the fourth hour), a ring of wash
 * cycles, a pool of chemical-dosing buffers, and 12 wash programmes that memoise their price per
 * (vehicle class, membership tier): at most 20 entries each, whatever the traffic. Warms up, then
 * flat. See VALIDATION30.md.
 */
public final class Val30HealthyCarwash {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SITES = 800, MEMBERS = 26_000, RECEIPT_CAP = 2_000, PLATE_CAP = 4_000, POOL = 8, RING = 8_192, CYCLES_PER_HOUR = 3_000,
            VEHICLE_CLASSES = 5, TIERS = 4;

    record Site(String code, String town, double[] washesByQuarterHour) {}
    record Member(String memberNo, String plate, String tier, byte[] washHistory, long joinedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record PlateRead(String plate, int vehicleClass, float confidence, byte[] crop, long at) {}
    record WashCycle(long cycleNo, String siteCode, String programme, String plate, long startedAt, int seconds) {}
    record MemoKey(int vehicleClass, int tier) {}

    /** A wash programme (reference data) with a price memo bounded by its key space. */
    static final class WashProgramme {
        final String code, name;
        final int baseCents;
        final double[] chemicalMl;
        final Map<MemoKey, Long> priceMemo = new HashMap<>();
        WashProgramme(String code, String name, int baseCents, double[] chemicalMl) { this.code = code; this.name = name; this.baseCents = baseCents; this.chemicalMl = chemicalMl; }
        long price(int vehicleClass, int tier) {
            return priceMemo.computeIfAbsent(new MemoKey(vehicleClass, tier), k -> (long) (baseCents * (1 + 0.15 * k.vehicleClass()) * (1 - 0.1 * k.tier())));
        }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();
    static final WashProgramme[] PROGRAMMES = new WashProgramme[12];

    static final class WashService {
        final Map<String, Member> members = new HashMap<>();
        final Lru<Receipt> receipts = new Lru<>(RECEIPT_CAP);
        final Lru<PlateRead> plates = new Lru<>(PLATE_CAP);
        final ArrayDeque<byte[]> dosingBuffers = new ArrayDeque<>();
        final WashCycle[] cycles = new WashCycle[RING];
        long washes;
    }

    static WashService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int cycles = CYCLES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(30_050_001);
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            double[] washes = new double[96];
            for (int k = 0; k < washes.length; k++) washes[k] = rnd.nextDouble() * 8;
            siteCodes[s] = "CW-" + (2_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], "Town " + (s % 200), washes));
        }
        String[] names = {"Express", "Wash & Dry", "Foam Deluxe", "Underbody", "Wheel Shine", "Ceramic Wax", "Interior Valet", "Hand Finish", "Snow Foam", "Eco Rinse", "Bug Off", "Ultimate"};
        for (int p = 0; p < PROGRAMMES.length; p++) {
            double[] ml = new double[24];
            for (int k = 0; k < ml.length; k++) ml[k] = rnd.nextDouble() * 300;
            PROGRAMMES[p] = new WashProgramme("PRG-" + (p + 1), names[p], 500 + rnd.nextInt(2_500), ml);
        }
        WashService svc = new WashService();
        SERVICE = svc;
        String[] tiers = {"none", "silver", "gold", "platinum"};
        String[] memberPlates = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String no = "WC" + (3_000_000 + m * 7);
            memberPlates[m] = "" + (char) ('A' + m % 26) + (char) ('A' + (m / 26) % 26) + (10 + m / 676 % 90) + " " + (char) ('A' + m / 60_840 % 26) + "XR";
            svc.members.put(no, new Member(no, memberPlates[m], tiers[m % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.dosingBuffers.add(new byte[32_768]);
        Random traffic = new Random(30_050_002);
        for (int i = 0; i < cycles; i++) {
            long t = start + (end - MINUTE - start) * i / cycles;
            WashProgramme prog = PROGRAMMES[traffic.nextInt(PROGRAMMES.length)];
            int vclass = traffic.nextInt(VEHICLE_CLASSES), tier = traffic.nextInt(TIERS);
            prog.price(vclass, tier);
            String plate = "PL" + (10_000 + traffic.nextInt(12_000));
            if (svc.plates.get(plate) == null) svc.plates.put(plate, new PlateRead(plate, vclass, 0.8f + traffic.nextFloat() * 0.2f, new byte[200 + traffic.nextInt(200)], t));
            svc.cycles[(int) (svc.washes++ % RING)] = new WashCycle(70_000_000L + i, siteCodes[traffic.nextInt(SITES)], prog.code, plate, t, 180 + traffic.nextInt(420));
            String key = "rcpt-" + traffic.nextInt(5_000);
            if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.dosingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.dosingBuffers.add(buf);
        }
        int memo = 0;
        for (WashProgramme p : PROGRAMMES) memo += p.priceMemo.size();
        System.out.println("stage " + stage + " sites " + SITES_BY_CODE.size() + " members " + svc.members.size() + " washes " + svc.washes + " ring " + Math.min(svc.washes, RING) + " plates " + svc.plates.size()
                + " (evicted " + svc.plates.evicted + ") receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") memo entries " + memo + " pool " + svc.dosingBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.washes == cycles, "traffic");
        check(memo <= PROGRAMMES.length * VEHICLE_CLASSES * TIERS, "memos bounded by their key space: " + memo);
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(stage == 1 ? svc.plates.size() < PLATE_CAP && svc.plates.evicted == 0 : svc.plates.size() == PLATE_CAP && svc.plates.evicted > 0, "plate cache: " + svc.plates.size());
        check(svc.dosingBuffers.size() == POOL, "pool");
        check(stage == 1 ? svc.cycles[RING - 1] == null : svc.cycles[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
