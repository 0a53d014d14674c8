// hprofscan-dump: name=val154-leak-evcharging-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val154-leak-evcharging-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val154-leak-evcharging jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val154-leak-evcharging-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 154 (written blind), LEAK: the session service of a public EV-charging network.
 * Charging-site reference data, the charge-point directory, a pool of OCPP frame buffers, a ring of
 * finished charging sessions, and a driver directory: a hand-written LRU of driver profiles
 * (LinkedHashMap, accessOrder = true, removeEldestEntry correct, capped at 2,000) beside a second
 * index by number plate (for the ANPR cameras at the bays) that is filled on every put and never
 * cleaned when the LRU evicts: the LRU stays at its cap, the plate index keeps every profile ever
 * loaded. See VALIDATION154.md.
 */
public final class Val154LeakEvCharging {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SITES = 1_400, CHARGE_POINTS = 24_000, DRIVER_CAP = 2_000, POOL = 8, RING = 8_192, SESSIONS_PER_HOUR = 3_000, REGULARS = 500;
    static boolean FIXED;

    record Site(String code, String operator, double[] tariffByHalfHour) {}
    record ChargePoint(String evseId, String siteCode, int kw, byte[] firmwareInfo, long commissionedAt) {}
    record DriverProfile(String accountId, String plate, String email, byte[] preferences, long loadedAt) {}
    record Session(String evseId, String accountId, long startedAt, long endedAt, int wh) {}

    /** Hand-written LRU: access-ordered, evicts its eldest entry beyond the cap. */
    static final class DriverLru extends LinkedHashMap<String, DriverProfile> {
        final DriverDirectory owner;
        long evicted;
        DriverLru(DriverDirectory owner) { super(4_096, 0.75f, true); this.owner = owner; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DriverProfile> eldest) {
            if (size() <= DRIVER_CAP) return false;
            evicted++;
            if (FIXED) owner.byPlate.remove(eldest.getValue().plate()); // the fix: keep the index in step
            // BUG: the plate index is not told about the eviction
            return true;
        }
    }

    static final class DriverDirectory {
        final DriverLru byAccount = new DriverLru(this);
        final Map<String, DriverProfile> byPlate = new HashMap<>();
        long loads, hits;
        DriverProfile get(String accountId, Random r, long at) {
            DriverProfile p = byAccount.get(accountId);
            if (p != null) { hits++; return p; }
            loads++;
            p = new DriverProfile(accountId, plateOf(accountId), "driver." + accountId.toLowerCase() + "@mail.example", new byte[200 + r.nextInt(200)], at);
            byAccount.put(accountId, p);
            byPlate.put(p.plate(), p);
            return p;
        }
        DriverProfile byPlate(String plate) { return byPlate.get(plate); }
    }

    static String plateOf(String accountId) {
        long n = Long.parseLong(accountId.substring(2));
        return "EV" + Long.toString(n * 7 + 13, 36).toUpperCase();
    }

    static final Map<String, Site> SITES_BY_CODE = new HashMap<>();

    static final class ChargingService {
        final Map<String, ChargePoint> chargePoints = new HashMap<>();
        final DriverDirectory drivers = new DriverDirectory();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Session[] finished = new Session[RING];
        long sessions, anprMatches;
    }

    static ChargingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val154.fixed");
        run(Integer.parseInt(args[2])); // every local holding data dies with run's frame
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Builds the service's heap (reference data, directory, traffic) and checks its sizes. */
    static void run(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(154_010_001);
        String[] siteCodes = new String[SITES];
        String[] operators = {"VoltWay", "GridPlug", "AmpHub", "ChargeCo"};
        for (int s = 0; s < SITES; s++) {
            double[] tariff = new double[48];
            for (int k = 0; k < tariff.length; k++) tariff[k] = 0.25 + rnd.nextDouble() * 0.5;
            siteCodes[s] = "CS-" + (10_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new Site(siteCodes[s], operators[s % operators.length], tariff));
        }
        ChargingService svc = new ChargingService();
        SERVICE = svc;
        String[] evseIds = new String[CHARGE_POINTS];
        for (int c = 0; c < CHARGE_POINTS; c++) {
            evseIds[c] = "GB*EVC*E" + (3_000_000 + c);
            svc.chargePoints.put(evseIds[c], new ChargePoint(evseIds[c], siteCodes[rnd.nextInt(SITES)], c % 3 == 0 ? 150 : 22, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(154_010_002);
        boolean[] regularSeen = new boolean[REGULARS];
        int visitors = 0, regularsDistinct = 0;
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            String account;
            if (traffic.nextInt(10) == 0) {
                int r = traffic.nextInt(REGULARS);
                if (!regularSeen[r]) { regularSeen[r] = true; regularsDistinct++; }
                account = "AC" + (30_000_000 + r);
            } else {
                account = "AC" + (40_000_000 + visitors++);
            }
            DriverProfile p = svc.drivers.get(account, traffic, t);
            if (traffic.nextInt(4) == 0 && svc.drivers.byPlate(p.plate()) != null) svc.anprMatches++;
            long duration = (15 + traffic.nextInt(75)) * MINUTE;
            svc.finished[(int) (svc.sessions++ % RING)] = new Session(evseIds[traffic.nextInt(CHARGE_POINTS)], account, t - duration, t, 5_000 + traffic.nextInt(60_000));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        DriverDirectory d = svc.drivers;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " sites " + SITES_BY_CODE.size() + " chargePoints " + svc.chargePoints.size() + " lru " + d.byAccount.size()
                + " (evicted " + d.byAccount.evicted + ") byPlate " + d.byPlate.size() + " loads " + d.loads + " hits " + d.hits + " visitors " + visitors + " regulars " + regularsDistinct
                + " sessions " + svc.sessions + " anpr " + svc.anprMatches + " pool " + svc.frameBuffers.size());
        check(SITES_BY_CODE.size() == SITES && svc.chargePoints.size() == CHARGE_POINTS, "reference data / directory");
        check(d.byAccount.size() == DRIVER_CAP && d.byAccount.evicted > 0, "driver LRU at cap");
        if (FIXED) {
            check(d.byPlate.size() == DRIVER_CAP, "plate index follows the LRU: " + d.byPlate.size());
            for (DriverProfile p : d.byPlate.values()) check(d.byAccount.containsKey(p.accountId()), "indexed profile in LRU");
        } else {
            check(d.byPlate.size() == visitors + regularsDistinct, "plate index keeps every loaded profile: " + d.byPlate.size());
        }
        check(svc.sessions == sessions && svc.frameBuffers.size() == POOL, "sessions / pool");
        check(sessions < RING ? svc.finished[sessions - 1] != null && svc.finished[sessions] == null : svc.finished[RING - 1] != null, "ring");
    }
}
