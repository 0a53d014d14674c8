// hprofscan-dump: name=val60-healthy-potterystudios jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val60-healthy-potterystudios-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 60 (written blind), HEALTHY: the member service of a chain of pottery studios
 * (kiln bookings, glaze library, photo uploads of finished pieces). Studio reference data, the
 * member directory, an LRU of rendered glaze-recipe pages at its cap, a ring of kiln firings, a pool
 * of label buffers, an e-mail retry queue with exponential back-off and at most 5 attempts (then a
 * bounded dead-letter ring), and a static upload-spool registry that each upload leaves when it
 * completes. See VALIDATION60.md.
 */
public final class Val60HealthyPotteryStudios {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 1_000, MEMBERS = 27_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MAILS_PER_HOUR = 2_500, UPLOADS_PER_HOUR = 1_200, MAX_ATTEMPTS = 5, IN_FLIGHT = 10;

    record Studio(String code, String town, double[] kilnCurve) {}
    record Member(String memberId, String studioCode, String email, byte[] notes, long joinedAt) {}
    record GlazePage(String key, byte[] html, long at) {}
    record Firing(String studioCode, int kiln, int cone, long startedAt, long endedAt) {}
    record Mail(String messageId, String to, String subject, byte[] rendered, long at) {}

    static final class RetryEntry {
        final Mail mail; int attempt; long dueAt;
        RetryEntry(Mail m, long due) { mail = m; dueAt = due; }
    }

    static final class SpoolTracker {
        final String uploadId; final String path; final byte[] staging; final long at;
        SpoolTracker(String id, String path, byte[] staging, long at) { uploadId = id; this.path = path; this.staging = staging; this.at = at; }
    }

    /** Static registry of spool files still open; an upload unregisters itself when it completes. */
    static final Map<String, SpoolTracker> OPEN_SPOOLS = new HashMap<>();

    static final class PageCache extends LinkedHashMap<String, GlazePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GlazePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Integer> memberIndexByEmail = new HashMap<>();
        final PageCache glazePages = new PageCache();
        final Firing[] firings = new Firing[RING];
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final PriorityQueue<RetryEntry> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
        final String[] deadLetters = new String[256];
        final ArrayDeque<SpoolTracker> inFlight = new ArrayDeque<>();
        long firingCount, mails, failures, retried, deadLettered, uploads, uploadsDone, maxQueued;
        void runDueRetries(long t, boolean[] bouncing, Map<String, Integer> owner, Random r) {
            while (!retries.isEmpty() && retries.peek().dueAt <= t) {
                RetryEntry e = retries.poll();
                retried++;
                boolean ok = !bouncing[owner.get(e.mail.to())] && r.nextInt(3) > 0;
                if (ok) continue;
                e.attempt++;
                if (e.attempt >= MAX_ATTEMPTS) { deadLetters[(int) (deadLettered++ % deadLetters.length)] = e.mail.messageId(); continue; }
                e.dueAt += MINUTE << e.attempt;
                retries.add(e);
            }
        }
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(60_060_001);
        String[] studios = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = 600 + rnd.nextDouble() * 700;
            studios[s] = "PS-" + (4_400 + s);
            STUDIOS_BY_CODE.put(studios[s], new Studio(studios[s], "Town " + (s % 260), curve));
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        String[] ids = new String[MEMBERS];
        boolean[] bouncing = new boolean[MEMBERS];
        Map<String, Integer> owner = svc.memberIndexByEmail;
        for (int m = 0; m < MEMBERS; m++) {
            ids[m] = "PM" + (1_500_000 + m);
            bouncing[m] = rnd.nextInt(100) < 6;
            String email = "potter" + m + "@mail" + (m % 40) + ".example";
            owner.put(email, m);
            svc.members.put(ids[m], new Member(ids[m], studios[rnd.nextInt(STUDIOS)], email, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(60_060_002);
        int mails = MAILS_PER_HOUR * HOURS, uploads = UPLOADS_PER_HOUR * HOURS;
        String[] subjects = {"Kiln booking confirmed", "Your pieces are fired", "Class reminder", "Membership renewal"};
        for (int i = 0; i < mails; i++) {
            long t = start + (end - MINUTE - start) * i / mails;
            svc.runDueRetries(t, bouncing, owner, traffic);
            int m = traffic.nextInt(MEMBERS);
            Mail mail = new Mail("pm-" + (90_000_000L + i), svc.members.get(ids[m]).email(), subjects[traffic.nextInt(subjects.length)], new byte[2_000 + traffic.nextInt(2_000)], t);
            svc.mails++;
            if (bouncing[m] || traffic.nextInt(100) < 5) { svc.failures++; svc.retries.add(new RetryEntry(mail, t + MINUTE)); }
            svc.maxQueued = Math.max(svc.maxQueued, svc.retries.size());
            svc.firings[(int) (svc.firingCount++ % RING)] = new Firing(studios[traffic.nextInt(STUDIOS)], 1 + traffic.nextInt(4), 4 + traffic.nextInt(7), t - (8 + traffic.nextInt(6)) * HOUR, t);
            // uploads interleaved: 1,200 per hour, each completes when 10 later uploads have started
            long upTarget = (long) uploads * i / mails;
            while (svc.uploads < upTarget) {
                String id = "gl-" + (30_000_000L + svc.uploads);
                SpoolTracker tr = new SpoolTracker(id, "/srv/spool/glaze/" + id + ".part", new byte[400 + traffic.nextInt(400)], t);
                OPEN_SPOOLS.put(id, tr);
                svc.inFlight.add(tr);
                svc.uploads++;
                if (svc.inFlight.size() > IN_FLIGHT) { OPEN_SPOOLS.remove(svc.inFlight.poll().uploadId); svc.uploadsDone++; }
            }
            String key = "glaze-" + traffic.nextInt(6_000);
            if (svc.glazePages.get(key) == null) svc.glazePages.put(key, new GlazePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        svc.runDueRetries(end, bouncing, owner, traffic);
        System.out.println("studios " + STUDIOS_BY_CODE.size() + " members " + svc.members.size() + " mails " + svc.mails + " failures " + svc.failures + " retried " + svc.retried
                + " queued retries " + svc.retries.size() + " (max " + svc.maxQueued + ") dead-lettered " + svc.deadLettered + " uploads " + svc.uploads + " open spools " + OPEN_SPOOLS.size()
                + " firings " + svc.firingCount + " glaze pages " + svc.glazePages.size() + " (evicted " + svc.glazePages.evicted + ") pool " + svc.labelBuffers.size());
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.retries.size() < 200 && svc.deadLettered > 0, "bounded retries");
        check(OPEN_SPOOLS.size() == IN_FLIGHT && svc.uploadsDone == svc.uploads - IN_FLIGHT && svc.uploads > uploads - 2, "spool registry holds in-flight uploads only");
        check(svc.firingCount == mails && svc.firings[RING - 1] != null, "ring");
        check(svc.glazePages.size() == PAGE_CAP && svc.glazePages.evicted > 0, "glaze cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
