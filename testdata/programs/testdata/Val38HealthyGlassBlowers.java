// hprofscan-dump: name=val38-healthy-glassblowers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val38-healthy-glassblowers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val38-healthy-glassblowers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val38-healthy-glassblowers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 38 (written blind), HEALTHY (series): the studio service of a glass-blowing
 * workshop (furnace control, the piece catalogue, class bookings). Colour reference data, a lazily
 * warmed catalogue of the 4,000 pieces of the wholesale line, an LRU of rendered annealing
 * schedules at its cap, a ring of furnace readings, a pool of camera buffers, class web sessions
 * evicted after 30 idle minutes (the monitor reads them without touching them), and an array-backed
 * annealing queue that clears taken slots and compacts. Stage k (args 1 / 2 / 3) simulates
 * 1 / 4 / 8 hours: it warms up in stage 1 and is flat from stage 2. No leak. See VALIDATION38.md.
 */
public final class Val38HealthyGlassBlowers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE;
    static final int COLOURS = 1_000, PIECES = 4_000, SCHEDULE_CAP = 2_000, POOL = 8, RING = 8_192, READINGS_PER_HOUR = 3_000, REQUESTS_PER_HOUR = 3_000, QUEUE_CAP = 256;

    record Colour(String code, String name, double[] expansionCurve) {}
    record Piece(String sku, String artist, String line, byte[] spec, long designedAt) {}
    record AnnealSchedule(String key, byte[] rendered, long at) {}
    record FurnaceReading(String furnace, double tempC, double gasFlow, long at) {}
    record AnnealJob(String pieceSku, int kiln, long enteredAt) {}

    static final class ClassSession {
        final String sessionId, studentId;
        final long createdAt;
        long lastAccessAt;
        final byte[] cart;
        ClassSession(String sessionId, String studentId, long createdAt, byte[] cart) { this.sessionId = sessionId; this.studentId = studentId; this.createdAt = createdAt; this.lastAccessAt = createdAt; this.cart = cart; }
    }

    static final class SessionCache {
        final ConcurrentHashMap<String, ClassSession> sessions = new ConcurrentHashMap<>();
        long evicted;
        ClassSession get(String id, long now) { ClassSession s = sessions.get(id); if (s != null) s.lastAccessAt = now; return s; }
        ClassSession peek(String id) { return sessions.get(id); }
        void evictIdle(long now) { for (Iterator<ClassSession> it = sessions.values().iterator(); it.hasNext(); ) if (it.next().lastAccessAt <= now - IDLE_TIMEOUT) { it.remove(); evicted++; } }
    }

    /** Array-backed FIFO of pieces waiting for an annealing kiln; clears taken slots and compacts. */
    static final class AnnealQueue {
        final AnnealJob[] items = new AnnealJob[QUEUE_CAP];
        int head, tail;
        boolean put(AnnealJob j) {
            if (tail == items.length && head > 0) { System.arraycopy(items, head, items, 0, tail - head); Arrays.fill(items, tail - head, tail, null); tail -= head; head = 0; }
            if (tail == items.length) return false;
            items[tail++] = j; return true;
        }
        AnnealJob take() { if (head == tail) return null; AnnealJob j = items[head]; items[head++] = null; return j; }
        int size() { return tail - head; }
    }

    static final class ScheduleCache extends LinkedHashMap<String, AnnealSchedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AnnealSchedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Colour> COLOURS_BY_CODE = new HashMap<>();

    static final class StudioService {
        final Map<String, Piece> pieces = new HashMap<>(); // filled lazily, bounded by the 4,000-piece line
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> cameraBuffers = new ArrayDeque<>();
        final FurnaceReading[] readings = new FurnaceReading[RING];
        final SessionCache classSessions = new SessionCache();
        final AnnealQueue annealQueue = new AnnealQueue();
        long readingsWritten, monitorReports, annealed;
    }

    static StudioService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = new int[] {0, 1, 4, 8}[stage];
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(38_050_001);
        for (int c = 0; c < COLOURS; c++) {
            double[] e = new double[64];
            for (int k = 0; k < e.length; k++) e[k] = 80 + rnd.nextDouble() * 20;
            String code = "CL-" + (1_000 + c);
            COLOURS_BY_CODE.put(code, new Colour(code, "Colour " + c, e));
        }
        StudioService svc = new StudioService();
        SERVICE = svc;
        for (int b = 0; b < POOL; b++) svc.cameraBuffers.add(new byte[32_768]);
        int[] order = new int[PIECES];
        for (int p = 0; p < PIECES; p++) order[p] = p;
        for (int p = PIECES - 1; p > 0; p--) { int j = rnd.nextInt(p + 1); int x = order[p]; order[p] = order[j]; order[j] = x; }

        Random traffic = new Random(38_050_002);
        int minutes = hours * 60, seq = 0, requests = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < READINGS_PER_HOUR / 60; k++)
                svc.readings[(int) (svc.readingsWritten++ % RING)] = new FurnaceReading("furnace-" + (k % 5), 1_080 + traffic.nextDouble() * 60, traffic.nextDouble() * 12, t);
            for (int k = 0; k < REQUESTS_PER_HOUR / 60; k++, requests++) {
                int idx = requests < PIECES ? order[requests] : traffic.nextInt(PIECES);
                String sku = "GB-" + (40_000 + idx * 3);
                Piece piece = svc.pieces.get(sku);
                if (piece == null) { Random pr = new Random(idx); piece = new Piece(sku, "artist-" + pr.nextInt(60), "Line " + (idx % 12), new byte[150 + pr.nextInt(150)], end - (long) (100 + pr.nextInt(3_000)) * 24 * HOUR); svc.pieces.put(sku, piece); }
                String key = sku + "/" + COLOURS_BY_CODE.size() % 7 + "/" + traffic.nextInt(3);
                if (svc.schedules.get(key) == null) svc.schedules.put(key, new AnnealSchedule(key, new byte[400 + traffic.nextInt(400)], t));
                if (!svc.annealQueue.put(new AnnealJob(sku, traffic.nextInt(6), t))) throw new IllegalStateException("anneal queue full");
            }
            for (int k = 0; k < REQUESTS_PER_HOUR / 60; k++) if (svc.annealQueue.take() != null) svc.annealed++;
            // class bookings: 5 new web sessions a minute, each active for 5-40 minutes, touched every 2 minutes
            for (int k = 0; k < 5; k++) { ClassSession s = new ClassSession("cls-" + (seq++), "stu-" + traffic.nextInt(50_000), t, new byte[200 + traffic.nextInt(200)]); s.lastAccessAt = t; svc.classSessions.sessions.put(s.sessionId, s); }
            for (ClassSession s : svc.classSessions.sessions.values()) {
                long age = t - s.createdAt;
                if (age > 0 && age % (2 * MINUTE) == 0 && age <= (5 + Math.floorMod(s.sessionId.hashCode(), 36)) * MINUTE) svc.classSessions.get(s.sessionId, t);
            }
            long open = 0; for (String id : svc.classSessions.sessions.keySet()) if (svc.classSessions.peek(id) != null) open++; // monitor: peek, no touch
            svc.monitorReports++;
            byte[] buf = svc.cameraBuffers.poll(); buf[m % buf.length] = (byte) open; svc.cameraBuffers.add(buf);
            svc.classSessions.evictIdle(t);
        }
        System.out.println("stage " + stage + " hours " + hours + " colours " + COLOURS_BY_CODE.size() + " pieces " + svc.pieces.size() + " schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") readings " + svc.readingsWritten
                + " class sessions " + svc.classSessions.sessions.size() + " (opened " + seq + ", evicted " + svc.classSessions.evicted + ") anneal queue " + svc.annealQueue.size() + " annealed " + svc.annealed + " pool " + svc.cameraBuffers.size());
        check(COLOURS_BY_CODE.size() == COLOURS, "reference data");
        check(svc.pieces.size() == (stage == 1 ? 3_000 : PIECES), "lazily warmed catalogue");
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at cap");
        check(svc.readingsWritten == (long) READINGS_PER_HOUR * hours && (stage == 1 ? svc.readings[RING - 1] == null : svc.readings[RING - 1] != null), "reading ring");
        check(svc.classSessions.sessions.size() == EXPECTED_SESSIONS[stage], "class sessions: " + svc.classSessions.sessions.size());
        int referenced = 0; for (AnnealJob j : svc.annealQueue.items) if (j != null) referenced++;
        check(svc.annealQueue.size() == 0 && referenced == 0, "anneal queue drained, no stale slots");
        check(svc.cameraBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final int[] EXPECTED_SESSIONS = {0, 259, 258, 258};
}
