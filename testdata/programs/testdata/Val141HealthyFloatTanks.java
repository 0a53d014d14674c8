// hprofscan-dump: name=val141-healthy-floattanks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val141-healthy-floattanks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val141-healthy-floattanks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val141-healthy-floattanks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Validation set 141 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * booking and pod-control service of a chain of flotation (float tank) centres. Centre reference
 * data, the member directory, a cache of rendered relaxation playlists (an LRU, below its cap in
 * stage 1, at it from stage 2), a pool of pod sensor buffers, a ring of pod water readings (filling
 * in stage 1, wrapping from stage 2), the open float sessions and the pod-cleaning backlog; and
 * look-alikes of the set's leaks done right: recently closed sessions with their summaries are kept
 * 15 minutes in a map trimmed by a scheduleAtFixedRate task that catches its errors per entry
 * (sessions ended by a pod's emergency stop have no close time: logged and dropped, the task keeps
 * running), and a WeakHashMap of per-session water logs whose values hold the session id, never the
 * session. Stage 1/2/3 simulate 1/4/8 hours. See VALIDATION141.md.
 */
public final class Val141HealthyFloatTanks {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CENTRES = 500, MEMBERS = 20_000, PLAYLIST_CAP = 1_500, POOL = 6, RING = 16_384, OPENS_PER_MINUTE = 20, READINGS_PER_MINUTE = 300,
            PLAYLISTS_PER_MINUTE = 15, SLOTS = 4_096, CLEANING_MINUTES = 20;
    static final long TRIM_EVERY = 5 * MINUTE, RETENTION = 15 * MINUTE;
    static final String[] PROGRAMS = {"silence", "ocean", "rain", "singing-bowls", "theta-waves", "whale-song", "forest", "guided-breath"};
    static final String[] FEEDBACK = {"Lovely and warm, fell asleep for a bit.", "Water a touch cold at the start, fine after.", "Light came on too early.",
            "Best float yet, the music fade was perfect.", "Ear plugs ran out at reception.", "Felt weightless after ten minutes.", "Pod lid a bit stiff.", ""};

    record Centre(String code, String town, int pods, double[] occupancyByHalfHour) {}
    record Member(String memberNo, String name, byte[] questionnaire, long joinedAt) {}
    record Playlist(String key, byte[] rendered, long renderedAt) {}
    record PodReading(String podId, String sessionId, float salinity, float tempC, long at) {}
    record CleaningCycle(String podId, String sessionId, long dueAt) {}
    record FloatSummary(int minutesFloated, float avgTempC, String program, String feedback, long billCents) {}

    static final class FloatSession {
        final String sessionId, podId, centre, memberNo, program;
        final long openedAt, endsAt;
        int slot;
        FloatSession(String sessionId, String podId, String centre, String memberNo, String program, long openedAt, long endsAt) {
            this.sessionId = sessionId; this.podId = podId; this.centre = centre; this.memberNo = memberNo; this.program = program; this.openedAt = openedAt; this.endsAt = endsAt;
        }
    }

    /** A closed session, kept 15 minutes for the receipt page and the review prompt. closedAt is null after a pod's emergency stop. */
    static final class ClosedFloat {
        final FloatSession session;
        final Long closedAt;
        final FloatSummary summary;
        ClosedFloat(FloatSession session, Long closedAt, FloatSummary summary) { this.session = session; this.closedAt = closedAt; this.summary = summary; }
    }

    /** Water log of one session: the value of a WeakHashMap keyed by the session; it keeps the id only. */
    static final class WaterLog {
        final String sessionId;
        final int[] samples = new int[60];
        int count;
        WaterLog(String sessionId) { this.sessionId = sessionId; }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class ServiceClock extends Clock {
        volatile long millis;
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
        @Override public long millis() { return millis; }
    }

    static final class PlaylistCache extends LinkedHashMap<String, Playlist> {
        long evicted;
        PlaylistCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Playlist> e) { if (size() > PLAYLIST_CAP) { evicted++; return true; } return false; }
    }

    /** Trims the closed sessions older than RETENTION; a bad entry is logged and dropped, never fatal for the periodic task. */
    static final class ClosedFloatTrimmer implements Runnable {
        final Map<String, ClosedFloat> closed;
        final Clock clock;
        volatile long lastTrim, trims, removed, malformed;
        ClosedFloatTrimmer(Map<String, ClosedFloat> closed, Clock clock, long startedAt) { this.closed = closed; this.clock = clock; this.lastTrim = startedAt; }

        @Override public void run() {
            try {
                long now = clock.millis();
                if (now - lastTrim < TRIM_EVERY) return;
                List<String> expired = new ArrayList<>();
                for (Map.Entry<String, ClosedFloat> e : closed.entrySet()) {
                    try {
                        if (now - e.getValue().closedAt > RETENTION) expired.add(e.getKey());
                    } catch (RuntimeException bad) { // emergency-stop sessions carry no close time
                        malformed++;
                        expired.add(e.getKey());
                    }
                }
                closed.keySet().removeAll(expired);
                removed += expired.size();
                trims++;
                lastTrim = now;
            } catch (RuntimeException unexpected) {
                unexpected.printStackTrace(); // logged; the next run tries again
            }
        }
    }

    static final class FloatService {
        final ServiceClock clock = new ServiceClock();
        final Map<String, Member> members = new HashMap<>();
        final String[] memberNos = new String[MEMBERS];
        final PlaylistCache playlists = new PlaylistCache();
        final ArrayDeque<byte[]> sensorBuffers = new ArrayDeque<>();
        final PodReading[] readings = new PodReading[RING];
        final Map<String, FloatSession> open = new HashMap<>();
        final FloatSession[] slots = new FloatSession[SLOTS];
        final Map<String, ClosedFloat> closed = new ConcurrentHashMap<>();
        final Map<FloatSession, WaterLog> waterLogs = new WeakHashMap<>();
        final ArrayDeque<CleaningCycle> cleaning = new ArrayDeque<>();
        final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "float-housekeeping");
            th.setDaemon(true);
            return th;
        });
        ClosedFloatTrimmer trimmer;
        ScheduledFuture<?> trimTask;
        long readingCount, opened, closedCount, emergencyStops, cleaned, playlistRenders, playlistHits, startedAt;
        int freeSlot;

        void startHousekeeping(long startedAt) {
            this.startedAt = startedAt;
            clock.millis = startedAt;
            trimmer = new ClosedFloatTrimmer(closed, clock, startedAt);
            trimTask = housekeeping.scheduleAtFixedRate(trimmer, 1, 1, TimeUnit.MILLISECONDS);
        }

        void advanceTo(long t) {
            clock.millis = t;
            if (t > startedAt && (t - startedAt) % TRIM_EVERY == 0) {
                while (trimmer.lastTrim != t && !trimTask.isDone()) LockSupport.parkNanos(50_000);
            }
        }

        void open(FloatSession s) {
            open.put(s.sessionId, s);
            waterLogs.put(s, new WaterLog(s.sessionId));
            while (slots[freeSlot] != null) freeSlot = (freeSlot + 1) % SLOTS;
            s.slot = freeSlot;
            slots[freeSlot] = s;
            opened++;
        }

        void close(FloatSession s, long t, boolean emergencyStop, Random r) {
            open.remove(s.sessionId);
            slots[s.slot] = null;
            WaterLog log = waterLogs.get(s);
            long sum = 0;
            for (int k = 0; k < Math.min(log.count, log.samples.length); k++) sum += log.samples[k];
            float avg = log.count == 0 ? 34.5f : sum / (float) Math.min(log.count, log.samples.length) / 100f;
            FloatSummary summary = new FloatSummary((int) ((s.endsAt - s.openedAt) / MINUTE), avg, s.program, FEEDBACK[r.nextInt(FEEDBACK.length)], (s.endsAt - s.openedAt) / MINUTE * 75);
            closed.put(s.sessionId, new ClosedFloat(s, emergencyStop ? null : t, summary));
            if (emergencyStop) emergencyStops++;
            cleaning.addLast(new CleaningCycle(s.podId, s.sessionId, t + CLEANING_MINUTES * MINUTE));
            closedCount++;
        }

        void reading(FloatSession s, Random r, long t) {
            float temp = 34.6f + r.nextFloat() * 0.8f;
            readings[(int) (readingCount++ % RING)] = new PodReading(s.podId, s.sessionId, 1.26f + r.nextFloat() * 0.04f, temp, t);
            WaterLog log = waterLogs.get(s);
            log.samples[log.count++ % log.samples.length] = (int) (temp * 100);
            byte[] buf = sensorBuffers.poll();
            buf[(int) (t % buf.length)] = (byte) temp;
            sensorBuffers.add(buf);
        }

        void playlist(String key, Random r, long t) {
            if (playlists.get(key) != null) { playlistHits++; return; }
            playlists.put(key, new Playlist(key, new byte[500 + r.nextInt(500)], t));
            playlistRenders++;
        }
    }

    static FloatService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static FloatSession newSession(FloatService svc, Random r, long openedAt, int seq) {
        String centre = "FC-" + (2_000 + r.nextInt(CENTRES) * 3);
        Centre c = CENTRES_BY_CODE.get(centre);
        long endsAt = openedAt + (r.nextInt(3) == 0 ? 90 : 60) * MINUTE;
        return new FloatSession("FS-" + (4_100_000 + seq), centre + "/P" + (1 + r.nextInt(c.pods())), centre, svc.memberNos[r.nextInt(MEMBERS)],
                PROGRAMS[r.nextInt(PROGRAMS.length)], openedAt, endsAt);
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(141_050_001);
        String[] towns = {"Harrogate", "Brighton", "Stirling", "Totnes", "Ludlow", "Whitby", "Kendal", "Hexham", "Frome", "Ely", "Oban"};
        for (int c = 0; c < CENTRES; c++) {
            double[] occ = new double[48];
            for (int j = 0; j < occ.length; j++) occ[j] = rnd.nextDouble();
            String code = "FC-" + (2_000 + c * 3);
            CENTRES_BY_CODE.put(code, new Centre(code, towns[c % towns.length], 2 + rnd.nextInt(7), occ));
        }
        FloatService svc = new FloatService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            svc.memberNos[m] = "FLT-" + (880_000 + m * 11);
            svc.members.put(svc.memberNos[m], new Member(svc.memberNos[m], "Member " + (10_000 + rnd.nextInt(90_000)), new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.sensorBuffers.add(new byte[32_768]);

        Random traffic = new Random(141_050_002), readings = new Random(141_050_003), lists = new Random(141_050_004), stops = new Random(141_050_005),
                notes = new Random(141_050_006);
        PriorityQueue<FloatSession> ends = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        int seq = 0;
        for (long t = start - 90 * MINUTE; t < start; t += MINUTE) {
            for (int k = 0; k < OPENS_PER_MINUTE; k++) {
                FloatSession s = newSession(svc, traffic, t + k * 3 * SECOND, seq++);
                if (s.endsAt > start) { svc.open(s); ends.add(s); }
            }
        }
        svc.startHousekeeping(start);
        for (long t = start; t < end; t += MINUTE) {
            svc.advanceTo(t);
            while (!ends.isEmpty() && ends.peek().endsAt <= t) svc.close(ends.poll(), t, stops.nextInt(250) == 0, notes);
            for (int k = 0; k < OPENS_PER_MINUTE; k++) {
                FloatSession s = newSession(svc, traffic, t + k * 3 * SECOND, seq++);
                svc.open(s);
                ends.add(s);
            }
            for (int k = 0; k < READINGS_PER_MINUTE; k++) {
                FloatSession s = svc.slots[readings.nextInt(SLOTS)];
                if (s != null) svc.reading(s, readings, t + k * 600L);
            }
            for (int k = 0; k < PLAYLISTS_PER_MINUTE; k++) {
                svc.playlist(PROGRAMS[lists.nextInt(PROGRAMS.length)] + "/" + (60 + 30 * lists.nextInt(2)) + "/" + svc.memberNos[lists.nextInt(MEMBERS)].substring(4, 8), lists, t);
            }
            while (!svc.cleaning.isEmpty() && svc.cleaning.peekFirst().dueAt() <= t) {
                svc.cleaning.pollFirst();
                svc.cleaned++;
            }
        }
    }

    static int liveThreads(String name) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().equals(name) && th.isAlive()) n++;
        return n;
    }

    /** Lets the GC clear the keys of the sessions nobody holds any more, and the map expunge them. */
    static int settleWaterLogs(int expected) throws InterruptedException {
        int size = SERVICE.waterLogs.size();
        for (int i = 0; i < 200 && size != expected; i++) {
            System.gc();
            Thread.sleep(20);
            size = SERVICE.waterLogs.size();
        }
        return size;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report(int stage, int hours) throws InterruptedException {
        FloatService svc = SERVICE;
        ClosedFloatTrimmer tr = svc.trimmer;
        int expectedLogs = svc.open.size() + svc.closed.size();
        int logs = settleWaterLogs(expectedLogs);
        long older = 0;
        for (ClosedFloat c : svc.closed.values()) if (c.closedAt != null && svc.clock.millis() - c.closedAt > RETENTION + TRIM_EVERY) older++;
        System.out.println("stage " + stage + " centres " + CENTRES_BY_CODE.size() + " members " + svc.members.size() + " opened " + svc.opened + " closed " + svc.closedCount
                + " (emergency stops " + svc.emergencyStops + ") open " + svc.open.size() + " closed-map " + svc.closed.size() + " trimmer " + (svc.trimTask.isDone() ? "DEAD" : "running")
                + " trims " + tr.trims + " removed " + tr.removed + " malformed " + tr.malformed + " water logs " + logs + " readings " + svc.readingCount
                + " playlists " + svc.playlists.size() + " (renders " + svc.playlistRenders + ", hits " + svc.playlistHits + ", evicted " + svc.playlists.evicted + ") pool " + svc.sensorBuffers.size()
                + " cleaning backlog " + svc.cleaning.size() + " (cleaned " + svc.cleaned + ") housekeeping threads " + liveThreads("float-housekeeping"));
        check(CENTRES_BY_CODE.size() == CENTRES && svc.members.size() == MEMBERS, "reference data / directory");
        check(!svc.trimTask.isDone() && tr.trims == hours * 12L - 1 && older == 0, "trimmer keeps running");
        check(svc.closedCount == tr.removed + svc.closed.size(), "closed sessions trimmed");
        check(logs == expectedLogs, "water logs follow the sessions: " + logs + " != " + expectedLogs);
        check(svc.readings[(int) Math.min(RING, svc.readingCount) - 1] != null && svc.sensorBuffers.size() == POOL, "readings ring / pool");
        check(stage == 1 ? svc.playlists.evicted == 0 && svc.playlists.size() < PLAYLIST_CAP : svc.playlists.size() == PLAYLIST_CAP, "playlist cache warm");
        check(svc.closedCount == svc.cleaned + svc.cleaning.size() && svc.cleaning.size() > 0, "cleaning backlog");
        check(liveThreads("float-housekeeping") == 1, "housekeeping thread");
        long[][] expected = {{1_166, 412, 1_407}, {4_766, 416, 1_407}, {9_562, 414, 1_411}}; // closed, closed-map entries, open
        check(svc.closedCount == expected[stage - 1][0] && svc.closed.size() == expected[stage - 1][1] && svc.open.size() == expected[stage - 1][2],
                "closed " + svc.closedCount + " / map " + svc.closed.size() + " / open " + svc.open.size());
    }
}
