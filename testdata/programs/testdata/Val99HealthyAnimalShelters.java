// hprofscan-dump: name=val99-healthy-animalshelters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val99-healthy-animalshelters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 99 (written blind), HEALTHY: the adoption platform of a regional network of animal
 * shelters. Breed reference data, the animal directory keyed by microchip number, a cache of
 * rendered adoption profiles at its cap, a ring of kennel sensor readings (full, wrapping), a
 * hand-written database connection pool whose error path returns the connection, an expiring cache
 * of per-shelter availability snapshots that checks expiry only on read and has no sweeper but whose
 * keys are the 300 shelters (bounded), and a static list of shutdown callbacks holding the four
 * components' callbacks only. See VALIDATION99.md.
 */
public final class Val99HealthyAnimalShelters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, AVAILABILITY_TTL = 5 * MINUTE;
    static final int BREEDS = 1_200, ANIMALS = 26_000, SHELTERS = 300, PROFILE_CAP = 2_000, RING = 16_384, PREWARMED = 12, HOURS = 10, EVENTS_PER_HOUR = 9_000;

    record Breed(String code, String species, double[] growthCurve) {}
    record Animal(String microchip, String name, String breedCode, String shelterCode, byte[] medicalRecord, long intakeAt) {}
    record Profile(String key, byte[] rendered, long at) {}
    record KennelReading(String shelterCode, int kennel, float celsius, float humidity, long at) {}
    record Availability(String shelterCode, int openKennels, int adoptable, byte[] snapshot) {}
    record Lease(PooledConnection connection, String caller, long borrowedAt) {}

    static final class PooledConnection {
        final int id; final String url; final long openedAt;
        final byte[] readBuffer = new byte[8_192], writeBuffer = new byte[4_096];
        final LinkedHashMap<String, byte[]> statementPlans = new LinkedHashMap<>(16, 0.75f, true);
        long uses;
        PooledConnection(int id, String url, long openedAt) { this.id = id; this.url = url; this.openedAt = openedAt; }
    }

    static final class ConnectionPool implements AutoCloseable {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final IdentityHashMap<PooledConnection, Lease> leased = new IdentityHashMap<>();
        int opened; long borrows, returns;
        PooledConnection open(long at) { opened++; return new PooledConnection(opened, "jdbc:mysql://shelters-db/adopt?conn=" + opened, at); }
        PooledConnection borrow(String caller, long at) {
            PooledConnection c = idle.poll();
            if (c == null) c = open(at);
            c.uses++; borrows++;
            leased.put(c, new Lease(c, caller, at));
            return c;
        }
        void release(PooledConnection c) { if (leased.remove(c) != null) { returns++; idle.push(c); } }
        @Override public void close() { idle.clear(); }
    }

    /** Expires on read only; the key space is the shelters, so it never holds more than 300 entries. */
    static final class AvailabilityCache {
        static final class Entry { final Availability value; final long expiresAt; Entry(Availability v, long e) { value = v; expiresAt = e; } }
        final ConcurrentHashMap<String, Entry> byShelter = new ConcurrentHashMap<>();
        long hits, misses, expiredOnRead;
        Availability get(String shelter, long now) {
            Entry e = byShelter.get(shelter);
            if (e == null) { misses++; return null; }
            if (e.expiresAt <= now) { byShelter.remove(shelter, e); expiredOnRead++; misses++; return null; }
            hits++;
            return e.value;
        }
        void put(String shelter, Availability a, long now) { byShelter.put(shelter, new Entry(a, now + AVAILABILITY_TTL)); }
    }

    static final class ProfileCache extends LinkedHashMap<String, Profile> {
        long evicted;
        ProfileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Profile> e) { if (size() > PROFILE_CAP) { evicted++; return true; } return false; }
    }

    static final class ShutdownCleanup {
        static final List<Runnable> ON_SHUTDOWN = new ArrayList<>();
        static void register(Runnable r) { ON_SHUTDOWN.add(r); }
    }

    static final class Components {
        static int runs;
        static void closePool() { runs++; }
        static void flushAdoptionLog() { runs++; }
        static void stopSensorFeed() { runs++; }
        static void deletePhotoUploads() { runs++; }
    }

    static final Map<String, Breed> BREEDS_BY_CODE = new HashMap<>();

    static final class AdoptionPlatform {
        final Map<String, Animal> animals = new HashMap<>();
        final ProfileCache profiles = new ProfileCache();
        final KennelReading[] readings = new KennelReading[RING];
        long readingsWritten;
        final ConnectionPool db = new ConnectionPool();
        final AvailabilityCache availability = new AvailabilityCache();
        long applications, transferredMeanwhile, availabilityReads;

        /** An adoption application: borrow, then all the work (including what can fail) inside try. */
        void apply(Animal a, Random r, long at) {
            PooledConnection c = db.borrow("AdoptionApi.apply", at);
            try {
                c.statementPlans.computeIfAbsent("SELECT * FROM animal WHERE chip = ? FOR UPDATE", k -> new byte[64 + r.nextInt(64)]);
                c.statementPlans.computeIfAbsent("INSERT INTO application VALUES (?, ?, ?)", k -> new byte[64 + r.nextInt(64)]);
                c.writeBuffer[(int) (c.uses % c.writeBuffer.length)] = 1;
                if (r.nextInt(25) == 0) throw new IllegalStateException("animal " + a.microchip() + " was transferred to another shelter");
                applications++;
            } finally {
                db.release(c);
            }
        }
    }

    static AdoptionPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int events = EVENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(99_060_001);
        String[] breedCodes = new String[BREEDS];
        String[] species = {"dog", "cat", "rabbit", "guinea pig", "ferret", "bird"};
        for (int b = 0; b < BREEDS; b++) {
            double[] curve = new double[72];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 60;
            breedCodes[b] = "BRD-" + (1_000 + b);
            BREEDS_BY_CODE.put(breedCodes[b], new Breed(breedCodes[b], species[b % species.length], curve));
        }
        AdoptionPlatform svc = new AdoptionPlatform();
        SERVICE = svc;
        ShutdownCleanup.register(Components::closePool);
        ShutdownCleanup.register(Components::flushAdoptionLog);
        ShutdownCleanup.register(Components::stopSensorFeed);
        ShutdownCleanup.register(Components::deletePhotoUploads);
        String[] shelters = new String[SHELTERS];
        for (int s = 0; s < SHELTERS; s++) shelters[s] = "SH-" + (500 + s);
        String[] chips = new String[ANIMALS];
        for (int a = 0; a < ANIMALS; a++) {
            chips[a] = Long.toString(985_112_000_000_000L + a * 37L);
            svc.animals.put(chips[a], new Animal(chips[a], "Pet " + a, breedCodes[rnd.nextInt(BREEDS)], shelters[rnd.nextInt(SHELTERS)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(900)) * DAY));
        }
        for (int c = 0; c < PREWARMED; c++) svc.db.idle.add(svc.db.open(start));
        Random traffic = new Random(99_060_002);
        Random work = new Random(99_060_003);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            int kind = traffic.nextInt(9);
            if (kind < 4) { // a kennel sensor reading
                svc.readings[(int) (svc.readingsWritten++ % RING)] = new KennelReading(shelters[traffic.nextInt(SHELTERS)], traffic.nextInt(40), 15 + traffic.nextFloat() * 10,
                        30 + traffic.nextFloat() * 50, t);
            } else if (kind < 6) { // an adopter browses a profile
                String key = "profile-" + chips[traffic.nextInt(6_000)];
                if (svc.profiles.get(key) == null) svc.profiles.put(key, new Profile(key, new byte[600 + traffic.nextInt(600)], t));
            } else if (kind < 8) { // the shelter map asks for a shelter's availability
                String shelter = shelters[traffic.nextInt(SHELTERS)];
                if (svc.availability.get(shelter, t) == null) {
                    svc.availability.put(shelter, new Availability(shelter, traffic.nextInt(40), traffic.nextInt(120), new byte[400 + traffic.nextInt(400)]), t);
                }
                svc.availabilityReads++;
            } else { // an adoption application
                try {
                    svc.apply(svc.animals.get(chips[traffic.nextInt(ANIMALS)]), work, t);
                } catch (IllegalStateException e) {
                    svc.transferredMeanwhile++;
                }
            }
        }
        ConnectionPool db = svc.db;
        AvailabilityCache av = svc.availability;
        int expired = 0;
        for (AvailabilityCache.Entry e : av.byShelter.values()) if (e.expiresAt <= end - MINUTE) expired++;
        System.out.println("breeds " + BREEDS_BY_CODE.size() + " animals " + svc.animals.size() + " readings " + svc.readingsWritten + " profiles " + svc.profiles.size() + " (evicted "
                + svc.profiles.evicted + ") pool: opened " + db.opened + " idle " + db.idle.size() + " leased " + db.leased.size() + " (applications " + svc.applications + ", transferred "
                + svc.transferredMeanwhile + ") availability " + av.byShelter.size() + " (expired " + expired + ", reads " + svc.availabilityReads + ", expired on read " + av.expiredOnRead
                + ") ON_SHUTDOWN " + ShutdownCleanup.ON_SHUTDOWN.size());
        check(BREEDS_BY_CODE.size() == BREEDS && svc.animals.size() == ANIMALS, "reference data / directory");
        check(svc.readingsWritten > RING && svc.readings[RING - 1] != null, "ring");
        check(svc.profiles.size() == PROFILE_CAP && svc.profiles.evicted > 0, "profile cache at cap");
        check(db.leased.isEmpty() && db.opened == PREWARMED && db.idle.size() == PREWARMED && svc.transferredMeanwhile > 0, "pool: all returned");
        check(av.byShelter.size() <= SHELTERS && av.expiredOnRead > 0, "availability bounded by the shelters: " + av.byShelter.size());
        check(ShutdownCleanup.ON_SHUTDOWN.size() == 4, "shutdown callbacks");
    }

    public static void main(String[] args) throws Exception {
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
