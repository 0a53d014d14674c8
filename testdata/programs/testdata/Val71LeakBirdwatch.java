// hprofscan-dump: name=val71-leak-birdwatch-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val71-leak-birdwatch-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val71-leak-birdwatch jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val71-leak-birdwatch-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 71 (written blind), LEAK: the mobile API of a bird-sighting app. Region reference
 * data, the species directory, a cache of rendered map tiles at its cap, a pool of photo-upload
 * buffers, a ring of recent sightings, and a session store with two maps (token -> session, user ->
 * sessions). Logout removes the session from the per-user index but not from the token map; the
 * idle sweeper walks only the per-user index, so a logged-out session is never removed from the
 * token map. See VALIDATION71.md.
 */
public final class Val71LeakBirdwatch {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE, SWEEP_EVERY = 5 * MINUTE;
    static final int REGIONS = 1_300, SPECIES = 24_000, USERS = 60_000, TILE_CAP = 2_000, POOL = 8, RING = 16_384, LOGINS_PER_HOUR = 4_000;
    static boolean FIXED;

    record Region(String code, String name, double[] seasonalAbundance) {}
    record Species(String code, String commonName, String family, byte[] fieldGuide, long addedAt) {}
    record MapTile(String key, byte[] png, long at) {}
    record Sighting(String speciesCode, String regionCode, String userId, int count, long at) {}

    static final class Session {
        final String token, userId, device, appVersion;
        final long createdAt;
        long lastSeenAt;
        final byte[] pushToken;
        Session(String token, String userId, String device, String appVersion, long createdAt, byte[] pushToken) {
            this.token = token; this.userId = userId; this.device = device; this.appVersion = appVersion;
            this.createdAt = createdAt; this.lastSeenAt = createdAt; this.pushToken = pushToken;
        }
        long expiresAt() { return lastSeenAt + IDLE_TIMEOUT; }
    }

    /** Two indexes of the live sessions: by bearer token (request authentication) and by user (push, "log out everywhere"). */
    static final class SessionStore {
        final Map<String, Session> byToken = new HashMap<>();
        final Map<String, List<Session>> byUser = new HashMap<>();
        long logins, logouts, expired;
        void login(Session s) {
            byToken.put(s.token, s);
            byUser.computeIfAbsent(s.userId, u -> new ArrayList<>(2)).add(s);
            logins++;
        }
        void logout(String token) {
            Session s = byToken.get(token);
            if (s == null) return;
            List<Session> l = byUser.get(s.userId);
            if (l != null) { l.remove(s); if (l.isEmpty()) byUser.remove(s.userId); }
            if (FIXED) byToken.remove(token);
            // BUG: the session is not removed from byToken
            logouts++;
        }
        /** Idle expiry: walks the per-user index and drops expired sessions from both maps. */
        void sweep(long now) {
            for (Iterator<Map.Entry<String, List<Session>>> it = byUser.entrySet().iterator(); it.hasNext();) {
                List<Session> l = it.next().getValue();
                for (Iterator<Session> si = l.iterator(); si.hasNext();) {
                    Session s = si.next();
                    if (s.expiresAt() <= now) { si.remove(); byToken.remove(s.token); expired++; }
                }
                if (l.isEmpty()) it.remove();
            }
        }
        int indexed() { int n = 0; for (List<Session> l : byUser.values()) n += l.size(); return n; }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class ApiService {
        final Map<String, Species> species = new HashMap<>();
        final SessionStore sessions = new SessionStore();
        final TileCache tiles = new TileCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Sighting[] recentSightings = new Sighting[RING];
        long sightings;
    }

    static ApiService SERVICE;

    record End(long at, Session s, boolean logout) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(ApiService svc, String[] speciesCodes, String[] regionCodes, long start, long end, int logins) {
        Random r = new Random(71_010_002);
        String[] devices = {"iPhone 14", "iPhone 15", "Pixel 8", "Galaxy S23", "Galaxy A54", "iPad Air", "Moto G84"};
        String[] versions = {"5.12.0", "5.12.1", "5.13.0"};
        PriorityQueue<End> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextSweep = start + SWEEP_EVERY;
        for (int i = 0; i <= logins; i++) {
            long t = i < logins ? start + (end - MINUTE - start) * i / logins : end;
            while (true) { // due sweeps and session ends, in time order
                long endAt = ends.isEmpty() ? Long.MAX_VALUE : ends.peek().at();
                if (nextSweep <= t && nextSweep <= endAt) { svc.sessions.sweep(nextSweep); nextSweep += SWEEP_EVERY; }
                else if (endAt <= t) { End e = ends.poll(); if (e.logout()) svc.sessions.logout(e.s().token); else e.s().lastSeenAt = e.at(); }
                else break;
            }
            if (i == logins) break;
            String token = String.format("%016x%016x", r.nextLong(), r.nextLong());
            String user = "u" + (1_000_000 + r.nextInt(USERS));
            Session s = new Session(token, user, devices[r.nextInt(devices.length)], versions[r.nextInt(versions.length)], t, new byte[64 + r.nextInt(64)]);
            svc.sessions.login(s);
            long active = (5 + r.nextInt(21)) * MINUTE; // used for 5-25 minutes, then logged out (85%) or left idle
            ends.add(new End(t + active, s, r.nextInt(100) < 85));
            for (int k = 0; k < 3; k++) {
                svc.recentSightings[(int) (svc.sightings++ % RING)] = new Sighting(speciesCodes[r.nextInt(SPECIES)], regionCodes[r.nextInt(REGIONS)], user, 1 + r.nextInt(12), t);
            }
            for (int k = 0; k < 2; k++) {
                String key = "z12/" + r.nextInt(70) + "/" + r.nextInt(70);
                if (svc.tiles.get(key) == null) svc.tiles.put(key, new MapTile(key, new byte[500 + r.nextInt(500)], t));
            }
            byte[] buf = svc.photoBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.photoBuffers.add(buf);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val71.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int logins = LOGINS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(71_010_001);
        String[] regionCodes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] abundance = new double[64];
            for (int k = 0; k < abundance.length; k++) abundance[k] = rnd.nextDouble() * 40;
            regionCodes[g] = "RG-" + (2_000 + g);
            REGIONS_BY_CODE.put(regionCodes[g], new Region(regionCodes[g], "Region " + g, abundance));
        }
        ApiService svc = new ApiService();
        SERVICE = svc;
        String[] speciesCodes = new String[SPECIES];
        String[] families = {"Anatidae", "Accipitridae", "Laridae", "Paridae", "Turdidae", "Picidae", "Strigidae", "Fringillidae"};
        for (int s = 0; s < SPECIES; s++) {
            speciesCodes[s] = "SP" + (400_000 + s);
            svc.species.put(speciesCodes[s], new Species(speciesCodes[s], "Species " + s, families[s % families.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[65_536]);
        traffic(svc, speciesCodes, regionCodes, start, end, logins);
        SessionStore st = svc.sessions;
        int indexed = st.indexed();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " regions " + REGIONS_BY_CODE.size() + " species " + svc.species.size() + " logins " + st.logins + " logouts " + st.logouts + " expired " + st.expired
                + " byToken " + st.byToken.size() + " byUser " + st.byUser.size() + " users / " + indexed + " sessions; tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") pool " + svc.photoBuffers.size() + " sightings " + svc.sightings);
        check(REGIONS_BY_CODE.size() == REGIONS && svc.species.size() == SPECIES, "reference data / directory");
        check(st.logins == logins && st.logouts > 0 && st.expired > 0, "session traffic");
        if (FIXED) check(st.byToken.size() == indexed, "token map = per-user index");
        else check(st.byToken.size() == indexed + st.logouts, "token map keeps every logged-out session: " + st.byToken.size());
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(svc.photoBuffers.size() == POOL, "pool");
        check(svc.sightings == 3L * logins && svc.recentSightings[RING - 1] != null, "sighting ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
