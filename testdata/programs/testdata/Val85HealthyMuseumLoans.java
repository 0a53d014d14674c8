// hprofscan-dump: name=val85-healthy-museumloans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val85-healthy-museumloans-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation set 85 (written blind), HEALTHY: the art-loan service between museums (loan
 * requests, condition reports, crate monitoring). Museum reference data, the artwork directory,
 * a cache of rendered thumbnails at its cap, a pool of scan buffers, a ring of crate climate
 * readings, one ReentrantLock per gallery (computeIfAbsent over a fixed set of galleries),
 * condition-report template plugins looked up with Class.forName only for object types on an
 * allow-list (unknown types from the request are answered 400 without a lookup; the resolved
 * classes are cached), and a penalty box of portal logins keyed by client IP whose expired bans
 * are purged every minute. See VALIDATION85.md.
 */
public final class Val85HealthyMuseumLoans {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, BAN_FOR = 15 * MINUTE;
    static final int MUSEUMS = 1_000, ARTWORKS = 28_000, GALLERIES = 600, THUMB_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10, STEPS = 150_000;
    static final String PREFIX = "testdata.Val85HealthyMuseumLoans$";
    static final String[] TYPES = {"painting", "sculpture", "textile", "paper", "ceramic", "photograph"};
    static final Set<String> KNOWN_TYPES = Set.of(TYPES);

    record Museum(String code, String city, double[] climateSpec) {}
    record Artwork(String accession, String museumCode, String galleryCode, String type, byte[] provenance, long acquiredAt) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record CrateReading(String crateId, double celsius, double humidity, long at) {}
    record Ban(String ip, long bannedAt, long until, int failures) {}

    interface ReportTemplate { int sections(); }
    public static final class PaintingTemplate implements ReportTemplate { public int sections() { return 9; } }
    public static final class SculptureTemplate implements ReportTemplate { public int sections() { return 7; } }
    public static final class TextileTemplate implements ReportTemplate { public int sections() { return 8; } }
    public static final class PaperTemplate implements ReportTemplate { public int sections() { return 6; } }
    public static final class CeramicTemplate implements ReportTemplate { public int sections() { return 5; } }
    public static final class PhotographTemplate implements ReportTemplate { public int sections() { return 6; } }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    /** Portal login bans per client IP; expired bans are purged every minute. */
    static final class PenaltyBox {
        final Map<String, Ban> bans = new HashMap<>();
        final Map<String, int[]> failures = new HashMap<>();
        long issued, purged, rejected;
        boolean isBanned(String ip, long now) { Ban b = bans.get(ip); return b != null && now < b.until(); }
        void purgeExpired(long now) {
            int before = bans.size();
            bans.values().removeIf(b -> b.until() <= now);
            purged += before - bans.size();
            failures.clear(); // failure counts are per minute
        }
    }

    static final Map<String, Museum> MUSEUMS_BY_CODE = new HashMap<>();

    static final class LoanService {
        final Map<String, Artwork> artworks = new HashMap<>();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final CrateReading[] crateReadings = new CrateReading[RING];
        long readings;
        final ConcurrentHashMap<String, ReentrantLock> galleryLocks = new ConcurrentHashMap<>();
        final Map<String, Class<?>> templateClasses = new HashMap<>();
        final PenaltyBox penaltyBox = new PenaltyBox();
        long reports, badRequests, lookups, logins, loginFailures, galleryUpdates;

        /** GET /artworks/{accession}/condition-report?type=...: the template is a plugin named after the type. */
        int conditionReport(String accession, String requestedType, long at) throws ReflectiveOperationException {
            String type = requestedType.toLowerCase(Locale.ROOT);
            if (!KNOWN_TYPES.contains(type)) { badRequests++; return 400; } // allow-list before any class lookup
            Class<?> c = templateClasses.get(type);
            if (c == null) {
                lookups++;
                c = Class.forName(PREFIX + Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Template");
                templateClasses.put(type, c);
            }
            ReportTemplate t = (ReportTemplate) c.getDeclaredConstructor().newInstance();
            Artwork a = artworks.get(accession);
            byte[] scan = scanBuffers.poll();
            scan[(int) (reports % scan.length)] = (byte) t.sections();
            scanBuffers.add(scan);
            String key = "thumb-" + a.accession().substring(3) + "-" + t.sections();
            if (thumbnails.get(key) == null) thumbnails.put(key, new Thumbnail(key, new byte[600 + (int) (at % 600)], at));
            reports++;
            return 200;
        }

        void updateGallery(String galleryCode, long at) {
            ReentrantLock l = galleryLocks.computeIfAbsent(galleryCode, k -> new ReentrantLock());
            l.lock();
            try { galleryUpdates++; } finally { l.unlock(); }
        }

        boolean login(String ip, boolean passwordOk, long at) {
            logins++;
            if (penaltyBox.isBanned(ip, at)) { penaltyBox.rejected++; return false; }
            if (passwordOk) return true;
            loginFailures++;
            int[] f = penaltyBox.failures.computeIfAbsent(ip, k -> new int[1]);
            if (++f[0] >= 5) { penaltyBox.bans.put(ip, new Ban(ip, at, at + BAN_FOR, f[0])); penaltyBox.issued++; penaltyBox.failures.remove(ip); }
            return false;
        }
    }

    static LoanService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(85_060_001);
        String[] museumCodes = new String[MUSEUMS];
        for (int m = 0; m < MUSEUMS; m++) {
            double[] climate = new double[80];
            for (int k = 0; k < climate.length; k++) climate[k] = 18 + rnd.nextDouble() * 6;
            museumCodes[m] = "MU" + (2_000 + m);
            MUSEUMS_BY_CODE.put(museumCodes[m], new Museum(museumCodes[m], "City " + (m % 350), climate));
        }
        LoanService svc = new LoanService();
        SERVICE = svc;
        String[] accessions = new String[ARTWORKS];
        for (int a = 0; a < ARTWORKS; a++) {
            accessions[a] = "ACC" + (1_900_000 + a * 3);
            svc.artworks.put(accessions[a], new Artwork(accessions[a], museumCodes[rnd.nextInt(MUSEUMS)], "G" + rnd.nextInt(GALLERIES), TYPES[a % TYPES.length], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(20_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        Random traffic = new Random(85_060_002);
        long nextPurge = start + MINUTE;
        int bursts = 0, badTypes = 0;
        for (int i = 0; i < STEPS; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / STEPS;
            while (nextPurge <= t) { svc.penaltyBox.purgeExpired(nextPurge); nextPurge += MINUTE; }
            int k = traffic.nextInt(100);
            String accession = accessions[traffic.nextInt(ARTWORKS)];
            if (k < 55) { // condition-report views; the type comes from the query string
                String type;
                if (traffic.nextInt(10) != 0) type = svc.artworks.get(accession).type();
                else { badTypes++; type = traffic.nextBoolean() ? "Paintings" : Long.toString(traffic.nextLong() & 0xFFFFFFFFFFL, 36); }
                svc.conditionReport(accession, type, t);
            } else if (k < 80) {
                svc.readings++;
                svc.crateReadings[(int) ((svc.readings - 1) % RING)] = new CrateReading("CR-" + traffic.nextInt(3_000), 19 + traffic.nextDouble() * 3, 45 + traffic.nextDouble() * 10, t);
                svc.updateGallery(svc.artworks.get(accession).galleryCode(), t);
            } else if (k < 97) { // registrars logging in to the portal
                int user = traffic.nextInt(4_000);
                svc.login("81." + (user >>> 8) + "." + (user & 255) + ".7", traffic.nextInt(30) != 0, t);
            } else { // password guessing from one address, 6 tries within a minute
                bursts++;
                int h = traffic.nextInt();
                String ip = "194." + ((h >>> 16) & 255) + "." + ((h >>> 8) & 255) + "." + (1 + (h & 127));
                for (int n = 0; n < 6; n++) svc.login(ip, false, t + n * 8 * SECOND);
            }
        }
        while (nextPurge <= end - MINUTE) { svc.penaltyBox.purgeExpired(nextPurge); nextPurge += MINUTE; }
        PenaltyBox box = svc.penaltyBox;
        System.out.println("museums " + MUSEUMS_BY_CODE.size() + " artworks " + svc.artworks.size() + " reports " + svc.reports + " bad requests " + svc.badRequests + " (bad types " + badTypes + ") lookups " + svc.lookups
                + " template classes " + svc.templateClasses.size() + " gallery locks " + svc.galleryLocks.size() + " (updates " + svc.galleryUpdates + ") logins " + svc.logins + " failures " + svc.loginFailures
                + " bursts " + bursts + " bans " + box.bans.size() + " (issued " + box.issued + ", purged " + box.purged + ", rejected " + box.rejected + ") thumbnails " + svc.thumbnails.size()
                + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.scanBuffers.size() + " readings " + svc.readings);
        check(MUSEUMS_BY_CODE.size() == MUSEUMS && svc.artworks.size() == ARTWORKS, "reference data / directory");
        check(svc.badRequests == badTypes && svc.lookups == TYPES.length && svc.templateClasses.size() == TYPES.length, "lookups only by allowed names");
        check(svc.galleryLocks.size() == GALLERIES, "a lock per gallery");
        check(box.bans.size() == box.issued - box.purged && box.bans.size() < 200 && box.failures.isEmpty(), "only active bans: " + box.bans.size());
        for (Ban b : box.bans.values()) check(b.until() > end - MINUTE, "expired ban left");
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        check(svc.readings > RING && svc.crateReadings[RING - 1] != null, "crate ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
