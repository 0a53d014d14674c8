// hprofscan-dump: name=val135-leak-doorbellcams jvm="-Xmx266m" variants=jcmd
// hprofscan-dump: name=val135-leak-doorbellcams-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Validation set 135 (written blind), LEAK: the cloud service of a video-doorbell maker. Postcode-
 * sector reference data, the device register, a cache of clip thumbnails at its cap, a pool of
 * transcode buffers, a ring of doorbell events, the push-notification queue with its normal backlog,
 * a ring of published clips, and one {@code new Thread} per clip upload: the "finaliser" waits on the
 * upload's {@code CountDownLatch} for the transcoder's completion signal, then publishes the clip to
 * the owner's timeline and drops the raw upload. The transcoder's error path (corrupt container,
 * unsupported codec: ~3% of uploads) logs and returns without counting the latch down, so those
 * threads stay parked for ever, each holding its upload's raw clip (a field of its Runnable and a
 * local of its frame). See VALIDATION135.md.
 */
public final class Val135LeakDoorbellCams {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int SECTORS = 1_000, DEVICES = 20_000, THUMB_CAP = 2_000, POOL = 8, RING = 8_192, CLIP_RING = 2_048, UPLOADS = 10_000, EVENTS_PER_UPLOAD = 3, HOURS = 10;
    static boolean FIXED;

    static final String[] MODELS = {"DB4-Wired", "DB4-Battery", "DB3-Pro", "DB3-Video", "Peephole-2"};
    static final String[] FIRMWARE = {"4.12.0", "4.12.3", "4.13.1", "3.9.8"};
    static final String[] EVENT_KINDS = {"RING", "MOTION", "PERSON", "PACKAGE", "MOTION"};
    static final String[] ERRORS = {"moov atom not found (truncated MP4 from a dropped Wi-Fi link)", "unsupported codec hev1 profile 2 from firmware 3.9.8",
            "audio track sample rate 0", "container ends before first keyframe"};

    record PostcodeSector(String sector, String region, double[] motionEventsByHalfHour) {}
    record Device(String serial, String model, String ownerAccount, String addressLine, String firmware, byte[] settings, long activatedAt) {}
    record Thumbnail(String clipId, byte[] jpeg, long at) {}
    record DoorbellEvent(long seq, String serial, String kind, long at) {}
    record PublishedClip(String clipId, String serial, int bytes, int durationMs, long publishedAt) {}
    record PushNotification(String ownerAccount, String serial, String text, long at) {}

    /** A clip upload in progress: the raw bytes stay until the finaliser has published the clip. */
    static final class ClipUpload {
        final String clipId; final String serial; final long startedAt; byte[] rawClip; final CountDownLatch transcoded = new CountDownLatch(1);
        volatile boolean failed; volatile String error; volatile boolean published;
        ClipUpload(String clipId, String serial, long startedAt, byte[] rawClip) { this.clipId = clipId; this.serial = serial; this.startedAt = startedAt; this.rawClip = rawClip; }
    }

    /** Runs on its own thread, one per upload: waits for the transcoder, then publishes. */
    static final class ClipFinalizer implements Runnable {
        final ClipService service; final ClipUpload upload;
        ClipFinalizer(ClipService service, ClipUpload upload) { this.service = service; this.upload = upload; }

        @Override public void run() {
            byte[] raw = upload.rawClip;
            try {
                upload.transcoded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (upload.failed) { upload.rawClip = null; return; } // the fix's path: discard the upload
            service.publish(upload, raw.length);
            upload.rawClip = null;
        }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PostcodeSector> SECTORS_BY_CODE = new HashMap<>();

    static final class ClipService {
        final Map<String, Device> devices = new HashMap<>();
        final String[] serials = new String[DEVICES];
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ArrayDeque<byte[]> transcodeBuffers = new ArrayDeque<>();
        final DoorbellEvent[] recentEvents = new DoorbellEvent[RING];
        final PublishedClip[] publishedClips = new PublishedClip[CLIP_RING];
        final ArrayDeque<PushNotification> pushQueue = new ArrayDeque<>();
        final List<Thread> stuck = new ArrayList<>(); // for the printed counts only; dropped before the dump
        long events, uploads, transcodeOk, transcodeFailed, failedBytes, published, pushed, delivered;

        synchronized void publish(ClipUpload u, int bytes) {
            publishedClips[(int) (published++ % CLIP_RING)] = new PublishedClip(u.clipId, u.serial, bytes, 8_000 + bytes % 22_000, u.startedAt + 20_000);
            u.published = true;
        }

        void event(Random r, long t) {
            String serial = serials[r.nextInt(DEVICES)];
            String kind = EVENT_KINDS[r.nextInt(EVENT_KINDS.length)];
            recentEvents[(int) (events % RING)] = new DoorbellEvent(events, serial, kind, t);
            events++;
            Device d = devices.get(serial);
            pushQueue.addLast(new PushNotification(d.ownerAccount(), serial, kind.equals("RING") ? "Someone is at your front door" : kind.equals("PACKAGE") ? "A package was delivered" : "Motion detected at your front door", t));
            pushed++;
        }

        /** One upload: a finaliser thread is started, then the clip is transcoded on the request thread. */
        void upload(Random r, long t) throws InterruptedException {
            String serial = serials[r.nextInt(DEVICES)];
            String clipId = "clip-" + Long.toHexString(0x6a00_0000L + uploads);
            uploads++;
            ClipUpload u = new ClipUpload(clipId, serial, t, new byte[16_384 + r.nextInt(24_576)]);
            Thread finalizer = new Thread(null, new ClipFinalizer(this, u), "clip-finalize-" + clipId, 256 * 1024);
            finalizer.setDaemon(true);
            finalizer.start();
            transcode(u, r, t);
            if (u.transcoded.getCount() == 0) finalizer.join(); // the request waits for the clip to be published (or discarded)
            else stuck.add(finalizer);
        }

        void transcode(ClipUpload u, Random r, long t) {
            try {
                if (r.nextInt(100) < 3) throw new IllegalStateException(ERRORS[r.nextInt(ERRORS.length)]);
                byte[] buf = transcodeBuffers.poll();
                buf[(int) (uploads % buf.length)] = u.rawClip[0];
                transcodeBuffers.add(buf);
                if (thumbnails.get(u.clipId) == null) thumbnails.put(u.clipId, new Thumbnail(u.clipId, new byte[400 + r.nextInt(400)], t));
                transcodeOk++;
                u.transcoded.countDown();
            } catch (IllegalStateException e) {
                transcodeFailed++;
                failedBytes += u.rawClip.length;
                u.error = e.getMessage();
                u.failed = true;
                if (FIXED) u.transcoded.countDown(); // the fix; the bug: the error path never signals the finaliser
            }
        }

        /** Pushes go out every minute once 30 s old (coalescing window). */
        void deliverPushes(long t) {
            while (!pushQueue.isEmpty() && pushQueue.peekFirst().at() <= t - 30_000) { pushQueue.pollFirst(); delivered++; }
        }
    }

    static ClipService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(135_060_001);
        String[] sectors = new String[SECTORS];
        for (int s = 0; s < SECTORS; s++) {
            double[] motion = new double[48];
            for (int k = 0; k < motion.length; k++) motion[k] = rnd.nextDouble() * 30;
            sectors[s] = (char) ('A' + s % 26) + "" + (char) ('A' + (s / 26) % 26) + (1 + s % 20) + " " + (s % 10);
            SECTORS_BY_CODE.put(sectors[s], new PostcodeSector(sectors[s], "Region " + (s % 12), motion));
        }
        ClipService svc = new ClipService();
        SERVICE = svc;
        for (int i = 0; i < DEVICES; i++) {
            svc.serials[i] = "DBX" + Long.toHexString(0x3c_0000_0000L + i * 977L).toUpperCase();
            svc.devices.put(svc.serials[i], new Device(svc.serials[i], MODELS[rnd.nextInt(MODELS.length)], "acct-" + (5_000_000 + rnd.nextInt(1_000_000)), (1 + rnd.nextInt(200)) + " Street " + sectors[rnd.nextInt(SECTORS)],
                    FIRMWARE[rnd.nextInt(FIRMWARE.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.transcodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(135_060_002), eventsR = new Random(135_060_003);
        long nextPush = start + MINUTE;
        for (int i = 0; i < UPLOADS; i++) {
            long t = start + (end - MINUTE - start) * i / UPLOADS;
            while (nextPush <= t) { svc.deliverPushes(nextPush); nextPush += MINUTE; }
            for (int k = 0; k < EVENTS_PER_UPLOAD; k++) svc.event(eventsR, t);
            svc.upload(traffic, t);
        }
    }

    static final int EXPECTED_FAILED = 304, EXPECTED_PUSH_BACKLOG = 75;

    static void report() throws InterruptedException {
        ClipService svc = SERVICE;
        // every stuck finaliser has reached its await()
        for (Thread th : svc.stuck) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (th.getState() != Thread.State.WAITING && System.currentTimeMillis() < deadline) Thread.sleep(1);
        }
        int parked = 0;
        for (Thread th : svc.stuck) if (th.isAlive() && th.getState() == Thread.State.WAITING) parked++;
        int live = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("clip-finalize-")) live++;
        System.out.println((FIXED ? "FIXED " : "") + "sectors " + SECTORS_BY_CODE.size() + " devices " + svc.devices.size() + " uploads " + svc.uploads + " transcoded " + svc.transcodeOk + " failed " + svc.transcodeFailed + " (" + svc.failedBytes + " raw bytes)"
                + " published " + svc.published + " parked finalisers " + parked + " live clip-finalize threads " + live);
        System.out.println("  events " + svc.events + " pushes " + svc.pushed + " delivered " + svc.delivered + " backlog " + svc.pushQueue.size() + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") pool " + svc.transcodeBuffers.size());
        check(SECTORS_BY_CODE.size() == SECTORS && svc.devices.size() == DEVICES, "reference data / directory");
        check(svc.uploads == UPLOADS && svc.transcodeOk + svc.transcodeFailed == UPLOADS && svc.published == svc.transcodeOk, "uploads");
        check(EXPECTED_FAILED < 0 || svc.transcodeFailed == EXPECTED_FAILED, "failed " + svc.transcodeFailed);
        if (FIXED) check(parked == 0 && live == 0 && svc.stuck.isEmpty(), "no finaliser left");
        else check(parked == svc.transcodeFailed && live == parked && svc.stuck.size() == parked, "one parked finaliser per failed upload");
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.transcodeBuffers.size() == POOL, "pool");
        check(svc.recentEvents[RING - 1] != null && svc.publishedClips[CLIP_RING - 1] != null, "rings");
        check(EXPECTED_PUSH_BACKLOG < 0 || svc.pushQueue.size() == EXPECTED_PUSH_BACKLOG, "push backlog " + svc.pushQueue.size());
        svc.stuck.clear();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val135.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
