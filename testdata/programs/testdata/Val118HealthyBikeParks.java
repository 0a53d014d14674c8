// hprofscan-dump: name=val118-healthy-bikeparks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val118-healthy-bikeparks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val118-healthy-bikeparks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val118-healthy-bikeparks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 118 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * operations service of a mountain-bike park. Trail reference data, the season-pass directory, a
 * cache of trail-map tiles at its cap, a cache of action photos (filling in stage 1, at its cap from
 * stage 2), a pool of print buffers, a ring of lift-gate scans (filling in stage 1, wrapping later),
 * and bounded look-alikes of the set's leaks: pricing rules compiled into classes by fresh loaders
 * but cached by their text over a fixed set of 24 rules (the re-pushes hit the cache); photo jobs on
 * a thread each whose per-thread context is removed when the job ends; one-shot "bike not returned"
 * reminders on a shared java.util.Timer cancelled (and purged) when the bike comes back; a scan feed
 * ObjectOutputStream reset after every message. See VALIDATION118.md.
 */
public final class Val118HealthyBikeParks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, PUSH_EVERY = 30 * MINUTE;
    static final int TRAILS = 1_000, RIDERS = 22_000, TILE_CAP = 2_000, PHOTO_CAP = 1_200, POOL = 8, RING = 8_192,
            SCANS_PER_HOUR = 4_000, RULES = 24, PHOTO_JOBS_PER_HOUR = 60;

    public interface PriceRule { int score(long value); }

    record Trail(String code, String grade, double[] ridesByHalfHour) {}
    record Rider(String passId, String name, String homeClub, byte[] waiver, long issuedAt) {}
    record Tile(String key, byte[] png, long at) {}
    record Photo(String key, byte[] jpeg, long at) {}
    record CompiledRule(String text, String ruleId, Class<?> ruleClass, PriceRule rule, long compiledAt) {}

    static final class GateScan implements Serializable {
        private static final long serialVersionUID = 1L;
        final String passId; final String gate; final long at;
        GateScan(String passId, String gate, long at) { this.passId = passId; this.gate = gate; this.at = at; }
    }

    static final class Rental {
        final long rentalId; final String passId; final String bike; final long rentedAt; boolean returned;
        Rental(long rentalId, String passId, String bike, long rentedAt) { this.rentalId = rentalId; this.passId = passId; this.bike = bike; this.rentedAt = rentedAt; }
    }

    static final class NotReturnedTask extends TimerTask {
        final Rental rental;
        NotReturnedTask(Rental rental) { this.rental = rental; }
        @Override public void run() { if (!rental.returned) System.out.println("charge deposit " + rental.rentalId); }
    }

    static final class RuleLoader extends ClassLoader {
        RuleLoader(String name, ClassLoader parent) { super(name, parent); }
        Class<?> define(String binaryName, byte[] b) { return defineClass(binaryName, b, 0, b.length); }
    }

    /** Class file of public final class NAME implements PriceRule { static final String SOURCE; int score(long v) = Long.compare(v, threshold) }. */
    static byte[] classFile(String internalName, String iface, String source, long threshold) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + source.length());
            DataOutputStream o = new DataOutputStream(bos);
            o.writeInt(0xCAFEBABE); o.writeShort(0); o.writeShort(61); o.writeShort(21);
            o.writeByte(1); o.writeUTF(internalName); o.writeByte(7); o.writeShort(1);
            o.writeByte(1); o.writeUTF("java/lang/Object"); o.writeByte(7); o.writeShort(3);
            o.writeByte(1); o.writeUTF(iface); o.writeByte(7); o.writeShort(5);
            o.writeByte(1); o.writeUTF("<init>"); o.writeByte(1); o.writeUTF("()V");
            o.writeByte(12); o.writeShort(7); o.writeShort(8); o.writeByte(10); o.writeShort(4); o.writeShort(9);
            o.writeByte(1); o.writeUTF("Code"); o.writeByte(1); o.writeUTF("score"); o.writeByte(1); o.writeUTF("(J)I");
            o.writeByte(5); o.writeLong(threshold);
            o.writeByte(1); o.writeUTF("SOURCE"); o.writeByte(1); o.writeUTF("Ljava/lang/String;"); o.writeByte(1); o.writeUTF("ConstantValue");
            o.writeByte(8); o.writeShort(20); o.writeByte(1); o.writeUTF(source);
            o.writeShort(0x0031); o.writeShort(2); o.writeShort(4); o.writeShort(1); o.writeShort(6);
            o.writeShort(1); o.writeShort(0x0019); o.writeShort(16); o.writeShort(17); o.writeShort(1); o.writeShort(18); o.writeInt(2); o.writeShort(19);
            o.writeShort(2);
            o.writeShort(0x0001); o.writeShort(7); o.writeShort(8); o.writeShort(1);
            o.writeShort(11); o.writeInt(17); o.writeShort(1); o.writeShort(1); o.writeInt(5);
            o.writeByte(0x2a); o.writeByte(0xb7); o.writeShort(10); o.writeByte(0xb1); o.writeShort(0); o.writeShort(0);
            o.writeShort(0x0001); o.writeShort(12); o.writeShort(13); o.writeShort(1);
            o.writeShort(11); o.writeInt(18); o.writeShort(4); o.writeShort(3); o.writeInt(6);
            o.writeByte(0x1f); o.writeByte(0x14); o.writeShort(14); o.writeByte(0x94); o.writeByte(0xac); o.writeShort(0); o.writeShort(0);
            o.writeShort(0);
            o.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pricing rules compiled by text: the 24 rules are re-pushed unchanged every 30 minutes. */
    static final class PricingEngine {
        final Map<String, CompiledRule> byText = new HashMap<>();
        final Map<String, CompiledRule> active = new LinkedHashMap<>();
        long pushes, submitted, compilations, hits;

        void submit(String ruleId, String text, long threshold, long t) {
            submitted++;
            CompiledRule c = byText.get(text);
            if (c == null) {
                long seq = compilations++;
                String binary = "rules.pricing.Rule_" + ruleId.replace('-', '_') + "_" + seq;
                RuleLoader loader = new RuleLoader("price-rule-" + ruleId + "-" + seq, Val118HealthyBikeParks.class.getClassLoader());
                Class<?> cls = loader.define(binary, classFile(binary.replace('.', '/'), PriceRule.class.getName().replace('.', '/'), text, threshold));
                try {
                    c = new CompiledRule(text, ruleId, cls, (PriceRule) cls.getDeclaredConstructor().newInstance(), t);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                byText.put(text, c);
            } else {
                hits++;
            }
            CompiledRule old = active.put(ruleId, c);
            if (old != null && old != c) byText.remove(old.text());
        }

        int price(long value) {
            int p = 0;
            for (CompiledRule c : active.values()) p += c.rule().score(value);
            return p;
        }
    }

    /** Per-thread working state of the photo job code; removed when the job's thread ends. */
    static final class PhotoContext {
        final String thread; final byte[] scratch = new byte[8_192]; final StringBuilder caption = new StringBuilder(512); long jobs;
        PhotoContext(String thread) { this.thread = thread; }
    }
    static final Map<Thread, PhotoContext> PHOTO_CONTEXTS = new ConcurrentHashMap<>();

    static final class PhotoJob implements Runnable {
        final long jobId; final long at; byte[] jpeg; String key;
        PhotoJob(long jobId, long at) { this.jobId = jobId; this.at = at; }
        @Override public void run() {
            Thread me = Thread.currentThread();
            PhotoContext ctx = PHOTO_CONTEXTS.computeIfAbsent(me, th -> new PhotoContext(th.getName()));
            try {
                Random r = new Random(jobId);
                r.nextBytes(ctx.scratch);
                ctx.caption.setLength(0);
                ctx.caption.append("Berm ").append(r.nextInt(40)).append(", ").append(r.nextInt(60)).append(" km/h");
                ctx.jobs++;
                jpeg = new byte[1_500 + r.nextInt(1_000)];
                key = "photo-" + (jobId % 2_000);
            } finally {
                PHOTO_CONTEXTS.remove(me);
            }
        }
    }

    static final class TileCache extends LinkedHashMap<String, Tile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Tile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }
    static final class PhotoCache extends LinkedHashMap<String, Photo> {
        long evicted;
        PhotoCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Photo> e) { if (size() > PHOTO_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Trail> TRAILS_BY_CODE = new HashMap<>();

    static final class ParkService {
        final Map<String, Rider> riders = new HashMap<>();
        final String[] passIds = new String[RIDERS];
        final TileCache tiles = new TileCache();
        final PhotoCache photos = new PhotoCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        final PricingEngine pricing = new PricingEngine();
        final Timer rentalTimer = new Timer("bike-rental-reminders", true);
        final Map<Long, NotReturnedTask> rentalReminders = new HashMap<>();
        final Map<Long, Rental> onHire = new HashMap<>();
        ObjectOutputStream insurerFeed;
        File feedFile;
        long scanCount, feedMessages, feedResets, photoJobs, threads, rentals, returned, remindersCancelled, purged;

        void scan(Random r, long t) throws IOException {
            String passId = passIds[r.nextInt(RIDERS)];
            GateScan s = new GateScan(passId, "LIFT-" + (1 + r.nextInt(6)), t);
            scans[(int) (scanCount++ % RING)] = s;
            pricing.price(t % 10_000);
            String key = "tile-" + r.nextInt(6_000);
            if (tiles.get(key) == null) tiles.put(key, new Tile(key, new byte[500 + r.nextInt(500)], t));
            if (r.nextInt(6) == 0) {
                String photo = "photo-" + r.nextInt(2_000);
                if (photos.get(photo) == null) photos.put(photo, new Photo(photo, new byte[1_500 + r.nextInt(1_000)], t));
            }
            if (scanCount % 20 == 0) {
                insurerFeed.writeObject(s); insurerFeed.flush(); insurerFeed.reset();
                feedMessages++; feedResets++;
            }
        }

        void rent(Random r, long t) {
            Rental rental = new Rental(300_000L + rentals++, passIds[r.nextInt(RIDERS)], "EBIKE-" + (100 + r.nextInt(600)), t);
            onHire.put(rental.rentalId, rental);
            NotReturnedTask task = new NotReturnedTask(rental);
            rentalTimer.schedule(task, new Date(t + DAY));
            rentalReminders.put(rental.rentalId, task);
        }

        void giveBack(long rentalId) {
            Rental rental = onHire.remove(rentalId);
            rental.returned = true;
            returned++;
            if (rentalReminders.remove(rentalId).cancel()) remindersCancelled++;
            if (remindersCancelled % 50 == 0) purged += rentalTimer.purge();
        }

        void runPhotoJobs(List<PhotoJob> jobs) throws InterruptedException {
            List<Thread> ts = new ArrayList<>();
            for (PhotoJob j : jobs) { Thread th = new Thread(j, "photo-job-" + j.jobId); threads++; ts.add(th); th.start(); }
            for (Thread th : ts) th.join();
            for (PhotoJob j : jobs) {
                photoJobs++;
                if (photos.get(j.key) == null) photos.put(j.key, new Photo(j.key, j.jpeg, j.at));
                byte[] buf = printBuffers.poll();
                buf[(int) (j.jobId % buf.length)] = (byte) j.jpeg.length;
                printBuffers.add(buf);
            }
        }
    }

    static ParkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours, File feedFile) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(118_050_001);
        String[] grades = {"green", "blue", "red", "black", "pro-line"};
        for (int k = 0; k < TRAILS; k++) {
            double[] rides = new double[48];
            for (int h = 0; h < rides.length; h++) rides[h] = rnd.nextDouble() * 120;
            String code = "TR-" + (500 + k);
            TRAILS_BY_CODE.put(code, new Trail(code, grades[k % grades.length], rides));
        }
        ParkService svc = new ParkService();
        SERVICE = svc;
        for (int i = 0; i < RIDERS; i++) {
            svc.passIds[i] = "SP" + (640_000 + i * 5);
            svc.riders.put(svc.passIds[i], new Rider(svc.passIds[i], "Rider " + i, "Club " + (i % 300), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(300)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        svc.feedFile = feedFile;
        svc.insurerFeed = new ObjectOutputStream(new FileOutputStream(feedFile));
        long[] thresholds = new long[RULES];
        for (int k = 0; k < RULES; k++) thresholds[k] = 1_000 + rnd.nextInt(8_000);
        Random traffic = new Random(118_050_002);
        int scans = SCANS_PER_HOUR * hours;
        long nextPush = start;
        java.util.PriorityQueue<long[]> returns = new java.util.PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<PhotoJob> batch = new ArrayList<>();
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            while (nextPush <= t) {
                svc.pricing.pushes++;
                for (int k = 0; k < RULES; k++) svc.pricing.submit("PR-" + (10 + k), "rule PR-" + (10 + k) + " when ride.value > " + thresholds[k] + " then price += " + (k % 5 + 1) + " // grade " + grades[k % grades.length], thresholds[k], nextPush);
                nextPush += PUSH_EVERY;
            }
            while (!returns.isEmpty() && returns.peek()[0] <= t) svc.giveBack(returns.poll()[1]);
            svc.scan(traffic, t);
            if (i % 20 == 0) { svc.rent(traffic, t); returns.add(new long[] {t + (60 + traffic.nextInt(180)) * MINUTE, svc.rentals - 1 + 300_000L}); }
            if (i % (SCANS_PER_HOUR / PHOTO_JOBS_PER_HOUR) == 0) {
                // two photographers' uploads processed together, one thread per upload
                batch.add(new PhotoJob(10_000_000L + traffic.nextInt(2_000), t));
                batch.add(new PhotoJob(10_000_000L + traffic.nextInt(2_000), t));
                svc.runPhotoJobs(batch);
                batch.clear();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        File feedFile = File.createTempFile("val118-insurer-feed-", ".ser");
        feedFile.deleteOnExit();
        simulate(hours, feedFile);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        SERVICE.insurerFeed.close();
        feedFile.delete();
        System.exit(0);
    }

    static void report(int stage, int hours) {
        ParkService svc = SERVICE;
        PricingEngine p = svc.pricing;
        int scans = SCANS_PER_HOUR * hours;
        System.out.println("stage " + stage + " trails " + TRAILS_BY_CODE.size() + " riders " + svc.riders.size() + " scans " + svc.scanCount + " tiles " + svc.tiles.size() + " (evicted " + svc.tiles.evicted + ") photos " + svc.photos.size()
                + " (evicted " + svc.photos.evicted + ") photo jobs " + svc.photoJobs + " threads " + svc.threads + " photo contexts " + PHOTO_CONTEXTS.size() + " pool " + svc.printBuffers.size()
                + " rule pushes " + p.pushes + " submitted " + p.submitted + " compilations " + p.compilations + " hits " + p.hits + " cached " + p.byText.size()
                + " rentals " + svc.rentals + " returned " + svc.returned + " on hire " + svc.onHire.size() + " reminders cancelled " + svc.remindersCancelled + " purged " + svc.purged + " in timer " + (svc.rentals - svc.purged)
                + " feed messages " + svc.feedMessages + " resets " + svc.feedResets);
        check(TRAILS_BY_CODE.size() == TRAILS && svc.riders.size() == RIDERS, "reference data / directory");
        check(svc.scanCount == scans && svc.feedResets == svc.feedMessages && svc.feedMessages == scans / 20, "scans and feed");
        check(PHOTO_CONTEXTS.isEmpty() && svc.threads == svc.photoJobs, "photo contexts removed");
        check(p.compilations == RULES && p.byText.size() == RULES && p.active.size() == RULES && p.pushes == hours * 2L, "rules compiled once");
        check(svc.returned + svc.onHire.size() == svc.rentals && svc.remindersCancelled == svc.returned && svc.rentalReminders.size() == svc.onHire.size(), "rentals");
        check(svc.tiles.size() == TILE_CAP && svc.tiles.evicted > 0, "tile cache at cap");
        check(stage == 1 ? svc.photos.size() < PHOTO_CAP : svc.photos.size() == PHOTO_CAP, "photo cache warm-up");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.scans[Math.min(scans, RING) - 1] != null, "ring");
    }
}
