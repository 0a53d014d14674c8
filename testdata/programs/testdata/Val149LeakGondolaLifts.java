// hprofscan-dump: name=val149-leak-gondolalifts-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val149-leak-gondolalifts-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val149-leak-gondolalifts jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val149-leak-gondolalifts-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 149 (written blind), LEAK: the ticketing service of a ski resort's gondola lifts.
 * Lift-station reference data, the directory of season passes, a cache of rendered trail maps at
 * its cap, a pool of ticket-printer buffers, a ring of recent gate scans, and a hand-written
 * time-to-idle cache of rider profiles (an entry expires after 15 minutes without access). A
 * loyalty-statistics job run every 5 minutes by the main loop reads every cached profile through
 * the same get() that refreshes the access time, so no entry ever goes idle: the cache keeps every
 * rider seen since start. See VALIDATION149.md.
 */
public final class Val149LeakGondolaLifts {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE = 15 * MINUTE;
    static final int STATIONS = 1_200, PASSES = 24_000, MAP_CAP = 2_000, POOL = 8, RING = 4_096, SCANS_PER_HOUR = 4_000;
    static boolean FIXED;

    record Station(String code, String lift, double[] windModel) {}
    record SeasonPass(String passId, String homeStation, String tier, byte[] photoHash, long issuedAt) {}
    record TrailMap(String key, byte[] rendered, long at) {}
    record GateScan(String passId, String riderId, String station, long at) {}

    static final class RiderProfile {
        final String riderId;
        final String displayName;
        final byte[] preferences;
        final long since;
        final int loyaltyPoints;
        RiderProfile(String riderId, String displayName, byte[] preferences, long since, int loyaltyPoints) {
            this.riderId = riderId; this.displayName = displayName; this.preferences = preferences; this.since = since; this.loyaltyPoints = loyaltyPoints;
        }
    }

    /** Hand-written time-to-idle cache: an entry expires after IDLE without access. */
    static final class IdleCache {
        static final class Entry {
            final RiderProfile value;
            long lastAccess;
            Entry(RiderProfile value, long at) { this.value = value; this.lastAccess = at; }
        }
        final HashMap<String, Entry> entries = new HashMap<>();
        long hits, misses, expired, sweeps;
        /** Reads an entry and refreshes its access time (the request path). */
        RiderProfile get(String key, long now) {
            Entry e = entries.get(key);
            if (e == null) { misses++; return null; }
            hits++;
            e.lastAccess = now;
            return e.value;
        }
        /** Reads an entry without touching its access time. */
        RiderProfile peek(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value;
        }
        void put(String key, RiderProfile v, long now) { entries.put(key, new Entry(v, now)); }
        /** Removes the entries idle for more than IDLE; run every minute. */
        void sweep(long now) {
            sweeps++;
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastAccess > IDLE) { it.remove(); expired++; }
            }
        }
    }

    static final class MapCache extends LinkedHashMap<String, TrailMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrailMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class TicketingService {
        final Map<String, SeasonPass> passes = new HashMap<>();
        final MapCache trailMaps = new MapCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final GateScan[] recentScans = new GateScan[RING];
        long scans;
        final IdleCache riders = new IdleCache();
        long statsRuns, lastLoyaltyTotal;

        /** The loyalty-statistics job (every 5 minutes, run by the main loop). */
        void loyaltyStats(long now) {
            long total = 0;
            for (String key : riders.entries.keySet()) {
                // BUG: reads through get(), which refreshes lastAccess, so no entry ever goes idle
                RiderProfile p = FIXED ? riders.peek(key) : riders.get(key, now);
                total += p.loyaltyPoints;
            }
            lastLoyaltyTotal = total;
            statsRuns++;
        }
    }

    static TicketingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static RiderProfile loadRider(int n, long now) {
        String id = "R" + (5_000_000 + n);
        return new RiderProfile(id, "Rider " + n, new byte[120 + (n * 37) % 120], now - (long) (1 + n % 1_500) * 24 * HOUR, n % 500);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val149.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int scans = SCANS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(149_010_001);
        String[] stationCodes = new String[STATIONS];
        String[] lifts = {"Gondola", "Chairlift", "Cable car", "T-bar"};
        for (int s = 0; s < STATIONS; s++) {
            double[] wind = new double[64];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 120;
            String code = "ST-" + (3_000 + s);
            stationCodes[s] = code;
            STATIONS_BY_CODE.put(code, new Station(code, lifts[s % lifts.length], wind));
        }
        TicketingService svc = new TicketingService();
        SERVICE = svc;
        String[] passIds = new String[PASSES];
        String[] tiers = {"ADULT", "YOUTH", "SENIOR", "FAMILY", "STAFF"};
        for (int p = 0; p < PASSES; p++) {
            String id = "SP" + (8_000_000 + p);
            passIds[p] = id;
            svc.passes.put(id, new SeasonPass(id, stationCodes[rnd.nextInt(STATIONS)], tiers[p % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(149_010_002);
        int ridersSeen = 0;
        long nextSweep = start + MINUTE, nextStats = start + 5 * MINUTE;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            while (nextSweep <= t || nextStats <= t) {
                if (nextStats <= nextSweep) { svc.loyaltyStats(nextStats); nextStats += 5 * MINUTE; }
                else { svc.riders.sweep(nextSweep); nextSweep += MINUTE; }
            }
            int n = (ridersSeen == 0 || traffic.nextInt(100) < 75) ? ridersSeen++ : traffic.nextInt(ridersSeen);
            String riderId = "R" + (5_000_000 + n);
            RiderProfile rider = svc.riders.get(riderId, t);
            if (rider == null) { rider = loadRider(n, t); svc.riders.put(rider.riderId, rider, t); }
            String passId = passIds[traffic.nextInt(PASSES)];
            String station = stationCodes[traffic.nextInt(STATIONS)];
            svc.recentScans[(int) (svc.scans++ % RING)] = new GateScan(passId, rider.riderId, station, t);
            if (i % 2 == 0) {
                String key = "map-" + traffic.nextInt(5_000);
                if (svc.trailMaps.get(key) == null) svc.trailMaps.put(key, new TrailMap(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.printerBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.printerBuffers.add(buf);
            }
        }
        IdleCache c = svc.riders;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stations " + STATIONS_BY_CODE.size() + " passes " + svc.passes.size() + " riders cached " + c.entries.size()
                + " seen " + ridersSeen + " hits " + c.hits + " misses " + c.misses + " expired " + c.expired + " sweeps " + c.sweeps + " stats " + svc.statsRuns
                + " maps " + svc.trailMaps.size() + " (evicted " + svc.trailMaps.evicted + ") pool " + svc.printerBuffers.size() + " scans " + svc.scans);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.scans == scans && svc.statsRuns == hours * 12 - 1, "traffic: " + svc.statsRuns);
        if (FIXED) check(c.expired > 0 && c.entries.size() < 1_500, "idle riders expire: " + c.entries.size());
        else check(c.expired == 0 && c.entries.size() == ridersSeen, "cache keeps every rider: " + c.entries.size());
        check(svc.trailMaps.size() == MAP_CAP && svc.trailMaps.evicted > 0, "trail-map cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        check(svc.recentScans[RING - 1] != null, "ring");
        svc = null; c = null; passIds = null; stationCodes = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
