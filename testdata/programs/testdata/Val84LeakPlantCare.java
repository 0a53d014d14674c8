// hprofscan-dump: name=val84-leak-plantcare jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val84-leak-plantcare-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 84 (written blind), LEAK: the reminder service of a houseplant-care app. Species
 * reference data, the plant directory, a cache of rendered care guides at its cap, a pool of
 * push-payload buffers, a ring of soil-moisture readings, and a reminder index
 * (ConcurrentSkipListMap<Long, Reminder> keyed by due time). The firing loop runs every minute over
 * the reminders due since its cursor; a delivered reminder is removed, but one whose push is rejected
 * (the owner uninstalled the app: token unregistered) is only marked failed, and the cursor moves past
 * it: nothing ever visits or removes it again, so past-due reminders accumulate behind the cursor.
 * See VALIDATION84.md.
 */
public final class Val84LeakPlantCare {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SPECIES = 1_400, PLANTS = 24_000, GUIDE_CAP = 2_000, POOL = 8, RING = 16_384, REMINDERS_PER_HOUR = 8_000, HOURS = 10;
    static boolean FIXED;

    record Species(String code, String latinName, double[] weeklyWaterMl) {}
    record Plant(String plantId, String speciesCode, String ownerId, String pushToken, boolean tokenRevoked, byte[] careNotes, long addedAt) {}
    record CareGuide(String key, byte[] rendered, long at) {}
    record MoistureReading(String plantId, int moisturePct, long at) {}

    static final class Reminder {
        final long id; final String plantId, kind; final long createdAt; long dueAt; final byte[] payload;
        int attempts; String lastError; long lastAttemptAt;
        Reminder(long id, String plantId, String kind, long createdAt, long dueAt, byte[] payload) { this.id = id; this.plantId = plantId; this.kind = kind; this.createdAt = createdAt; this.dueAt = dueAt; this.payload = payload; }
    }

    /** Reminders by due time; fired every minute from the cursor up to now. */
    static final class ReminderIndex {
        final ConcurrentSkipListMap<Long, Reminder> byDue = new ConcurrentSkipListMap<>();
        long cursor, scheduled, delivered, failed, deadLettered, ticks;
        void schedule(Reminder r) {
            long due = r.dueAt;
            while (byDue.putIfAbsent(due, r) != null) due++; // same millisecond: next free slot
            r.dueAt = due;
            scheduled++;
        }
        void fire(long now, Map<String, Plant> plants, ArrayDeque<byte[]> pushBuffers) {
            ticks++;
            for (Iterator<Map.Entry<Long, Reminder>> it = byDue.subMap(cursor, true, now, true).entrySet().iterator(); it.hasNext(); ) {
                Reminder r = it.next().getValue();
                r.attempts++;
                r.lastAttemptAt = now;
                byte[] buf = pushBuffers.poll();
                System.arraycopy(r.payload, 0, buf, 0, r.payload.length);
                pushBuffers.add(buf);
                Plant p = plants.get(r.plantId);
                if (!p.tokenRevoked()) {
                    delivered++;
                    it.remove();
                } else {
                    failed++;
                    r.lastError = "UNREGISTERED";
                    if (FIXED) { deadLettered++; it.remove(); } // fixed: a rejected push is dead-lettered and dropped
                    // BUG: the failed reminder stays in the index; the cursor moves past it and never comes back
                }
            }
            cursor = now + 1;
        }
    }

    static final class GuideCache extends LinkedHashMap<String, CareGuide> {
        long evicted;
        GuideCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CareGuide> e) { if (size() > GUIDE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class ReminderService {
        final Map<String, Plant> plants = new HashMap<>();
        final GuideCache guides = new GuideCache();
        final ArrayDeque<byte[]> pushBuffers = new ArrayDeque<>();
        final MoistureReading[] readings = new MoistureReading[RING];
        long readingsWritten;
        final ReminderIndex reminders = new ReminderIndex();
    }

    static ReminderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val84.fixed");
        int count = REMINDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(84_020_001);
        String[] speciesCodes = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) {
            double[] water = new double[52];
            for (int k = 0; k < water.length; k++) water[k] = 50 + rnd.nextDouble() * 400;
            speciesCodes[s] = "SP-" + (10_000 + s);
            SPECIES_BY_CODE.put(speciesCodes[s], new Species(speciesCodes[s], "Genus" + (s / 7) + " species" + (s % 7), water));
        }
        ReminderService svc = new ReminderService();
        SERVICE = svc;
        String[] plantIds = new String[PLANTS];
        int revoked = 0;
        for (int p = 0; p < PLANTS; p++) {
            plantIds[p] = "PL-" + (8_000_000 + p * 11);
            String owner = "U" + (2_000_000 + p / 3);
            boolean dead = rnd.nextInt(100) < 20;
            if (dead) revoked++;
            svc.plants.put(plantIds[p], new Plant(plantIds[p], speciesCodes[rnd.nextInt(SPECIES)], owner, "fcm:" + Long.toHexString(0x5a00_0000_0000L + p * 7_919L), dead,
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pushBuffers.add(new byte[32_768]);
        Random traffic = new Random(84_020_002);
        String[] kinds = {"WATER", "MIST", "FERTILISE", "ROTATE", "CHECK_PESTS"};
        ReminderIndex idx = svc.reminders;
        idx.cursor = start;
        long nextTick = start + MINUTE;
        for (int i = 0; i < count; i++) {
            long t = start + (end - MINUTE - start) * i / count;
            while (nextTick <= t) { idx.fire(nextTick, svc.plants, svc.pushBuffers); nextTick += MINUTE; }
            String plant = plantIds[traffic.nextInt(PLANTS)];
            long due = t + (10 + traffic.nextInt(170)) * MINUTE + traffic.nextInt(60_000);
            idx.schedule(new Reminder(70_000_000L + i, plant, kinds[traffic.nextInt(kinds.length)], t, due, new byte[80 + traffic.nextInt(80)]));
            if (i % 4 == 0) {
                String key = "guide-" + traffic.nextInt(5_000);
                if (svc.guides.get(key) == null) svc.guides.put(key, new CareGuide(key, new byte[500 + traffic.nextInt(500)], t));
            }
            if (i % 4 == 1) svc.readings[(int) (svc.readingsWritten++ % RING)] = new MoistureReading(plant, traffic.nextInt(100), t);
        }
        while (nextTick <= end) { idx.fire(nextTick, svc.plants, svc.pushBuffers); nextTick += MINUTE; }
        int future = 0, pastDue = 0;
        for (Reminder r : idx.byDue.values()) { if (r.dueAt > end) future++; else pastDue++; }
        System.out.println((FIXED ? "FIXED " : "") + "species " + SPECIES_BY_CODE.size() + " plants " + svc.plants.size() + " (revoked tokens " + revoked + ") index " + idx.byDue.size() + " (future " + future + ", past-due " + pastDue + ") scheduled " + idx.scheduled
                + " delivered " + idx.delivered + " failed " + idx.failed + " dead-lettered " + idx.deadLettered + " ticks " + idx.ticks + " guides " + svc.guides.size() + " (evicted " + svc.guides.evicted + ") pool " + svc.pushBuffers.size() + " readings " + svc.readingsWritten);
        check(SPECIES_BY_CODE.size() == SPECIES && svc.plants.size() == PLANTS, "reference data / directory");
        check(idx.scheduled == count && idx.ticks == HOURS * 60 && idx.delivered + idx.failed + future == count, "reminder traffic");
        if (FIXED) check(pastDue == 0 && idx.deadLettered == idx.failed && idx.byDue.size() == future, "fixed index: " + idx.byDue.size());
        else check(pastDue == idx.failed && idx.byDue.size() == future + pastDue, "index keeps every failed reminder: " + pastDue);
        check(svc.guides.size() == GUIDE_CAP && svc.guides.evicted > 0, "guide cache at cap");
        check(svc.pushBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == count / 4 && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
