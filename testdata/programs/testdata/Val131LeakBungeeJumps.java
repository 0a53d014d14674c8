// hprofscan-dump: name=val131-leak-bungeejumps jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val131-leak-bungeejumps-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 131 (written blind), LEAK: the jump-video service of a bungee operator with 14
 * jump sites (bridges, a dam, crane towers). Every jump is filmed by two cameras; the edited clip
 * (and, when bought, a slow-motion cut) is encoded by the encoder farm and sold to the jumper. Cord
 * settings (reference data), the jumper directory, a cache of preview thumbnails at its cap, a pool of
 * camera-upload buffers (reuses), a ring of the jump log, and the queue of clips waiting for their
 * camera uploads. The ClipEncoderPool looks like a pool (borrow/release, a maxIdle setting,
 * counters) but borrow() tests the wrong condition (it reuses the idle head only if it is "in use",
 * which an idle encoder never is), so it always creates a new encoder, while release() puts each one
 * back on the idle deque and never applies maxIdle: the idle deque grows by one encoder (with its
 * frame buffer and rate-control table) per encode. See VALIDATION131.md.
 */
public final class Val131LeakBungeeJumps {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int SITES = 14, CORDS = 1_000, JUMPERS = 20_000, THUMB_CAP = 2_000, UPLOAD_POOL = 8, JUMP_RING = 2_048, HOURS = 10;
    static final int JUMPS_PER_HOUR = 240, FARM_SLOTS = 6, MAX_IDLE = 8, FRAME_BYTES = 4_096, RECENT_CLIPS = 512;
    static final String[] PROFILES = {"h264-1080p30", "h264-1080p30", "h264-720p240-slowmo"};
    static final String[] CORD_TYPES = {"Bungee-A", "Bungee-B", "Bungee-C", "Sling-Tandem"};
    static boolean FIXED;

    record Site(String code, String name, int dropMetres, double[] windLimits) {}
    record CordSetting(String code, String cordType, int minKg, int maxKg, double[] stretchCurve) {}
    record Jumper(String waiverId, String name, int weightKg, long signedAt, byte[] waiverScan) {}
    record Thumbnail(String clipId, byte[] jpeg, long at) {}
    record JumpRecord(long jumpNo, String siteCode, String waiverId, String cordCode, long at) {}
    record ClipJob(String clipId, String siteCode, String waiverId, String profile, int frames, long uploadedAt) {}

    /** A software H.264 encoder instance: costly to set up (frame buffer, rate-control model). */
    static final class ClipEncoder {
        final long id; final String profile; final byte[] frameBuffer = new byte[FRAME_BYTES]; final int[] rateControl = new int[256];
        long framesEncoded, lastUsedAt; boolean inUse; String lastClipId;
        ClipEncoder(long id, String profile) { this.id = id; this.profile = profile; }
        void encode(ClipJob job, long now) {
            for (int f = 0; f < job.frames(); f += 97) { frameBuffer[f % FRAME_BYTES] ^= (byte) f; rateControl[f & 255] += 1; }
            framesEncoded += job.frames();
            lastUsedAt = now;
            lastClipId = job.clipId();
        }
        void reset() { rateControl[0] = 0; }
    }

    /** encoder.pool.maxIdle=8 in the farm's config. */
    static final class ClipEncoderPool {
        final ArrayDeque<ClipEncoder> idle = new ArrayDeque<>();
        final int maxIdle;
        long borrowed, created, reused, released, nextId = 1;
        int inUse, peakInUse;
        ClipEncoderPool(int maxIdle) { this.maxIdle = maxIdle; }

        ClipEncoder borrow(String profile) {
            borrowed++;
            ClipEncoder e = idle.peekFirst();
            boolean reusable = FIXED ? e != null && !e.inUse : e != null && e.inUse; // BUG: an idle encoder is never in use
            if (reusable) {
                idle.pollFirst();
                reused++;
            } else {
                e = new ClipEncoder(nextId++, profile);
                created++;
            }
            e.inUse = true;
            inUse++;
            peakInUse = Math.max(peakInUse, inUse);
            return e;
        }

        void release(ClipEncoder e) {
            e.reset();
            e.inUse = false;
            inUse--;
            released++;
            idle.addFirst(e); // maxIdle is not applied
        }
    }

    static final class ThumbCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Site> SITES_BY_CODE = new LinkedHashMap<>();
    static final Map<String, CordSetting> CORDS_BY_CODE = new HashMap<>();

    static final class JumpVideoService {
        final Map<String, Jumper> jumpers = new HashMap<>();
        final String[] waiverIds = new String[JUMPERS];
        final String[] siteCodes = new String[SITES];
        final String[] cordCodes = new String[CORDS];
        final ThumbCache thumbs = new ThumbCache();
        final ArrayDeque<byte[]> uploadBuffers = new ArrayDeque<>();
        final JumpRecord[] jumpLog = new JumpRecord[JUMP_RING];
        final ArrayDeque<ClipJob> encodeQueue = new ArrayDeque<>();
        final ClipEncoderPool encoders = new ClipEncoderPool(MAX_IDLE);
        /** The last 512 clips, shown on the site kiosks and the web shop. */
        final String[] recentClips = new String[RECENT_CLIPS];
        long jumps, uploads, clipsQueued, clipsEncoded, framesEncoded, thumbViews, farmRuns;

        void jump(Random r, long at) {
            String site = siteCodes[r.nextInt(SITES)];
            String waiver = waiverIds[r.nextInt(JUMPERS)];
            String cord = cordCodes[r.nextInt(CORDS)];
            jumpLog[(int) (jumps % JUMP_RING)] = new JumpRecord(jumps, site, waiver, cord, at);
            jumps++;
            for (int cam = 0; cam < 2; cam++) {
                byte[] buf = uploadBuffers.poll();
                buf[(int) (jumps % buf.length)] = (byte) cam;
                uploads++;
                uploadBuffers.add(buf);
            }
            String clipId = site + "-J" + (700_000 + jumps);
            long ready = at + 3 * MINUTE; // both camera uploads done
            encodeQueue.add(new ClipJob(clipId, site, waiver, PROFILES[0], 900 + r.nextInt(900), ready));
            clipsQueued++;
            if (r.nextInt(100) < 20) { encodeQueue.add(new ClipJob(clipId + "-slowmo", site, waiver, PROFILES[2], 2_400 + r.nextInt(1_200), ready)); clipsQueued++; }
            recentClips[(int) ((jumps - 1) % RECENT_CLIPS)] = clipId;
        }

        /** Jumpers (and their friends) look at clip previews on the kiosk and the web shop. */
        void browse(Random r, long at) {
            if (jumps == 0) return;
            String clip = recentClips[r.nextInt((int) Math.min(jumps, RECENT_CLIPS))];
            thumbViews++;
            if (thumbs.get(clip) == null) thumbs.put(clip, new Thumbnail(clip, new byte[400 + r.nextInt(400)], at));
        }

        /** Every minute the farm encodes up to 6 ready clips at once, one encoder each. */
        void runFarm(long now) {
            farmRuns++;
            List<ClipEncoder> busy = new ArrayList<>(FARM_SLOTS);
            List<ClipJob> batch = new ArrayList<>(FARM_SLOTS);
            while (batch.size() < FARM_SLOTS && !encodeQueue.isEmpty() && encodeQueue.peek().uploadedAt() <= now) batch.add(encodeQueue.poll());
            for (ClipJob j : batch) busy.add(encoders.borrow(j.profile()));
            for (int k = 0; k < batch.size(); k++) { busy.get(k).encode(batch.get(k), now); clipsEncoded++; framesEncoded += batch.get(k).frames(); }
            for (ClipEncoder e : busy) encoders.release(e);
        }
    }

    static JumpVideoService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(131_020_001);
        JumpVideoService svc = new JumpVideoService();
        SERVICE = svc;
        for (int s = 0; s < SITES; s++) {
            double[] wind = new double[24];
            for (int k = 0; k < wind.length; k++) wind[k] = 20 + rnd.nextDouble() * 30;
            svc.siteCodes[s] = "BJ" + (10 + s);
            SITES_BY_CODE.put(svc.siteCodes[s], new Site(svc.siteCodes[s], "Site " + (s + 1), 40 + rnd.nextInt(180), wind));
        }
        for (int c = 0; c < CORDS; c++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 1 + k * (0.02 + rnd.nextDouble() * 0.01);
            svc.cordCodes[c] = "CD-" + (2_000 + c);
            int min = 35 + rnd.nextInt(80);
            CORDS_BY_CODE.put(svc.cordCodes[c], new CordSetting(svc.cordCodes[c], CORD_TYPES[c % CORD_TYPES.length], min, min + 10, curve));
        }
        for (int j = 0; j < JUMPERS; j++) {
            svc.waiverIds[j] = "WV" + (8_800_000 + j * 3);
            svc.jumpers.put(svc.waiverIds[j], new Jumper(svc.waiverIds[j], "Jumper " + j, 45 + rnd.nextInt(80), now - (long) (rnd.nextInt(400)) * DAY - rnd.nextInt(86_400) * 1_000L, new byte[150 + rnd.nextInt(150)]));
        }
        for (int b = 0; b < UPLOAD_POOL; b++) svc.uploadBuffers.add(new byte[32_768]);
        Random traffic = new Random(131_020_002);
        long jumpSpacing = HOUR / JUMPS_PER_HOUR, browseSpacing = HOUR / 3_000;
        long nj = 0, nb = 0;
        for (int m = 1; m <= HOURS * 60; m++) {
            long tick = start + m * MINUTE;
            for (; start + nj * jumpSpacing < tick; nj++) svc.jump(traffic, start + nj * jumpSpacing);
            for (; start + nb * browseSpacing < tick; nb++) svc.browse(traffic, start + nb * browseSpacing);
            svc.runFarm(tick);
        }
    }

    // {clips queued, encoded, backlog, encoders created, idle encoders}
    static final long[] EXPECTED = {2_885, 2_873, 12, 2_873, 2_873};
    static final long[] EXPECTED_FIXED = {2_885, 2_873, 12, 6, 6};

    static void verify() {
        JumpVideoService svc = SERVICE;
        ClipEncoderPool p = svc.encoders;
        System.out.println((FIXED ? "FIXED " : "") + "sites " + SITES_BY_CODE.size() + " cords " + CORDS_BY_CODE.size() + " jumpers " + svc.jumpers.size() + " jumps " + svc.jumps + " uploads " + svc.uploads
                + " | clips queued " + svc.clipsQueued + " encoded " + svc.clipsEncoded + " backlog " + svc.encodeQueue.size() + " frames " + svc.framesEncoded
                + " | encoders borrowed " + p.borrowed + " created " + p.created + " reused " + p.reused + " released " + p.released + " idle " + p.idle.size() + " in use " + p.inUse + " peak " + p.peakInUse + " maxIdle " + p.maxIdle
                + " | thumbs " + svc.thumbs.size() + " (evicted " + svc.thumbs.evicted + ") views " + svc.thumbViews + " upload pool " + svc.uploadBuffers.size());
        check(SITES_BY_CODE.size() == SITES && CORDS_BY_CODE.size() == CORDS && svc.jumpers.size() == JUMPERS, "reference data / directory");
        check(svc.jumps == (long) JUMPS_PER_HOUR * HOURS && svc.clipsQueued == svc.clipsEncoded + svc.encodeQueue.size(), "clips");
        check(p.inUse == 0 && p.borrowed == svc.clipsEncoded && p.released == p.borrowed && p.borrowed == p.created + p.reused, "pool counters");
        if (FIXED) check(p.idle.size() == p.peakInUse && p.created == p.peakInUse, "fixed pool bounded by peak concurrency");
        else check(p.idle.size() == p.borrowed && p.reused == 0, "every encoder kept idle");
        check(svc.thumbs.size() == THUMB_CAP && svc.thumbs.evicted > 0, "thumbnail cache at its cap");
        check(svc.uploadBuffers.size() == UPLOAD_POOL && svc.jumpLog[JUMP_RING - 1] != null, "upload pool / jump log");
        long[] e = FIXED ? EXPECTED_FIXED : EXPECTED;
        long[] got = {svc.clipsQueued, svc.clipsEncoded, svc.encodeQueue.size(), p.created, p.idle.size()};
        check(java.util.Arrays.equals(e, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val131.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
