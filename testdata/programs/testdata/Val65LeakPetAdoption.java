// hprofscan-dump: name=val65-leak-petadoption jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val65-leak-petadoption-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 65 (written blind), LEAK: the adoption-application service of an animal-shelter
 * network. Shelter reference data, the animal directory, a cache of rendered profile pages at its
 * cap, a pool of e-mail buffers, a ring of recent applications, and a pool of photo processors
 * (PhotoProcessorPool: idle deque + a map of borrowed processors, each with when it was borrowed
 * and for which request). The applicant's photo is decoded with a borrowed processor; a corrupt
 * photo throws, the handler catches it and answers 422, but release() is only called on the
 * success path, so the processor stays "borrowed" forever and the pool makes a new one when idle
 * runs dry. See VALIDATION65.md.
 */
public final class Val65LeakPetAdoption {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SHELTERS = 800, ANIMALS = 26_000, PROFILE_CAP = 2_000, MAIL_POOL = 8, PROCESSORS = 4, RING = 8_192, UPLOADS_PER_HOUR = 3_000, HOURS = 10;
    static boolean FIXED;

    record Shelter(String code, String region, double[] weeklyIntake) {}
    record Animal(String animalId, String shelterCode, String species, byte[] medicalNotes, long arrivedAt) {}
    record ProfilePage(String key, byte[] rendered, long at) {}
    record Application(String applicationId, String animalId, String applicant, long at) {}
    record Borrow(long borrowedAt, String requestId, String applicant) {}

    static final class CorruptPhotoException extends Exception {
        CorruptPhotoException(String msg) { super(msg); }
    }

    static final class PhotoProcessor {
        final int id;
        final byte[] scratch = new byte[8_192];
        final int[] histogram = new int[256];
        long uses;
        PhotoProcessor(int id) { this.id = id; }
        int decode(byte[] photo) throws CorruptPhotoException {
            uses++;
            if (photo[0] != (byte) 0xFF || photo[1] != (byte) 0xD8) throw new CorruptPhotoException("not a JPEG: header " + photo[0] + "," + photo[1]);
            System.arraycopy(photo, 0, scratch, 0, Math.min(photo.length, scratch.length));
            histogram[photo[photo.length - 1] & 0xFF]++;
            return photo.length;
        }
    }

    static final class PhotoProcessorPool {
        final ArrayDeque<PhotoProcessor> idle = new ArrayDeque<>();
        final Map<PhotoProcessor, Borrow> borrowed = new HashMap<>();
        int created;
        long borrows, releases;
        PhotoProcessorPool(int size) { for (int k = 0; k < size; k++) idle.add(new PhotoProcessor(created++)); }
        PhotoProcessor borrow(long at, String requestId, String applicant) {
            PhotoProcessor p = idle.poll();
            if (p == null) p = new PhotoProcessor(created++);
            borrowed.put(p, new Borrow(at, requestId, applicant));
            borrows++;
            return p;
        }
        void release(PhotoProcessor p) {
            if (borrowed.remove(p) != null) { idle.add(p); releases++; }
        }
    }

    static final class ProfileCache extends LinkedHashMap<String, ProfilePage> {
        long evicted;
        ProfileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ProfilePage> e) { if (size() > PROFILE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Shelter> SHELTERS_BY_CODE = new HashMap<>();

    static final class AdoptionService {
        final Map<String, Animal> animals = new HashMap<>();
        final ProfileCache profiles = new ProfileCache();
        final ArrayDeque<byte[]> mailBuffers = new ArrayDeque<>();
        final Application[] recent = new Application[RING];
        long applications, rejectedPhotos;
        final PhotoProcessorPool photos = new PhotoProcessorPool(PROCESSORS);

        /** Handles the photo upload of one application; answers 422 on a corrupt photo. */
        int uploadPhoto(String requestId, String applicant, byte[] photo, long at) {
            PhotoProcessor p = photos.borrow(at, requestId, applicant);
            if (FIXED) {
                try {
                    return p.decode(photo);
                } catch (CorruptPhotoException e) {
                    rejectedPhotos++;
                    return 422;
                } finally {
                    photos.release(p); // the fix: released on every path
                }
            }
            try {
                int n = p.decode(photo);
                photos.release(p); // BUG: only reached on success
                return n;
            } catch (CorruptPhotoException e) {
                rejectedPhotos++;
                return 422;
            }
        }
    }

    static AdoptionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val65.fixed");
        int uploads = UPLOADS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(65_030_001);
        String[] shelterCodes = new String[SHELTERS];
        for (int s = 0; s < SHELTERS; s++) {
            double[] intake = new double[64];
            for (int k = 0; k < intake.length; k++) intake[k] = rnd.nextDouble() * 30;
            shelterCodes[s] = "SH-" + (1_000 + s);
            SHELTERS_BY_CODE.put(shelterCodes[s], new Shelter(shelterCodes[s], "Region " + (s % 40), intake));
        }
        AdoptionService svc = new AdoptionService();
        SERVICE = svc;
        String[] animalIds = new String[ANIMALS];
        String[] species = {"dog", "cat", "rabbit", "guinea pig", "ferret", "parrot"};
        for (int a = 0; a < ANIMALS; a++) {
            animalIds[a] = "ANI-" + (800_000 + a);
            svc.animals.put(animalIds[a], new Animal(animalIds[a], shelterCodes[rnd.nextInt(SHELTERS)], species[a % species.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < MAIL_POOL; b++) svc.mailBuffers.add(new byte[32_768]);
        Random traffic = new Random(65_030_002);
        int corrupt = 0;
        for (int i = 0; i < uploads; i++) {
            long t = start + (end - MINUTE - start) * i / uploads;
            String requestId = "req-" + Long.toHexString(0x5a00_0000L + i);
            String applicant = "applicant-" + (300_000 + traffic.nextInt(90_000));
            byte[] photo = new byte[64 + traffic.nextInt(64)];
            boolean bad = traffic.nextInt(40) == 0;
            if (bad) corrupt++;
            photo[0] = bad ? (byte) 0x89 : (byte) 0xFF; // a PNG renamed .jpg
            photo[1] = bad ? (byte) 0x50 : (byte) 0xD8;
            photo[photo.length - 1] = (byte) traffic.nextInt(256);
            svc.uploadPhoto(requestId, applicant, photo, t);
            String animal = animalIds[traffic.nextInt(ANIMALS)];
            svc.recent[(int) (svc.applications++ % RING)] = new Application("APP-" + (5_000_000 + i), animal, applicant, t);
            String key = "profile-" + traffic.nextInt(4_000);
            if (svc.profiles.get(key) == null) svc.profiles.put(key, new ProfilePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.mailBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.mailBuffers.add(buf);
        }
        PhotoProcessorPool pool = svc.photos;
        System.out.println((FIXED ? "FIXED " : "") + "shelters " + SHELTERS_BY_CODE.size() + " animals " + svc.animals.size() + " photo pool: borrowed " + pool.borrowed.size() + " idle " + pool.idle.size() + " created " + pool.created
                + " (borrows " + pool.borrows + ", releases " + pool.releases + ", corrupt " + corrupt + ", rejected " + svc.rejectedPhotos + ") profiles " + svc.profiles.size() + " (evicted " + svc.profiles.evicted + ") mail pool " + svc.mailBuffers.size() + " applications " + svc.applications);
        check(SHELTERS_BY_CODE.size() == SHELTERS && svc.animals.size() == ANIMALS, "reference data / directory");
        check(pool.borrows == uploads && svc.rejectedPhotos == corrupt, "upload traffic");
        if (FIXED) check(pool.borrowed.isEmpty() && pool.idle.size() == PROCESSORS && pool.created == PROCESSORS, "every processor returned");
        else check(pool.borrowed.size() == corrupt && pool.created == corrupt + pool.idle.size(), "processors of rejected photos never returned: " + pool.borrowed.size());
        check(svc.profiles.size() == PROFILE_CAP && svc.profiles.evicted > 0, "profile cache at cap");
        check(svc.mailBuffers.size() == MAIL_POOL, "mail pool");
        check(svc.applications == uploads && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
