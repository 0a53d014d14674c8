// hprofscan-dump: name=val98-healthy-lecturestreams-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val98-healthy-lecturestreams-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val98-healthy-lecturestreams jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val98-healthy-lecturestreams-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 98 (written blind), HEALTHY: the live-streaming service of a university's lecture
 * halls. Hall reference data, the student directory, the HTTP session store (a
 * ConcurrentHashMap<String, Session> swept every minute, expired sessions removed by their id),
 * the player settings with a PropertyChangeSupport (per-request transcript formatters register a
 * listener and remove it when the request ends), a shared ScheduledThreadPoolExecutor running one
 * heartbeat per connected viewer (cancelled on disconnect), a cache of rendered thumbnails at its
 * cap and a ring of lecture-chat messages. Warms up, then plateaus. See VALIDATION98.md.
 */
public final class Val98HealthyLectureStreams {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE;
    static final int HALLS = 1_200, STUDENTS = 25_000, THUMB_CAP = 2_000, CHAT_RING = 16_384, SESSIONS_PER_HOUR = 1_500, VIEWERS_PER_HOUR = 800, CHAT_PER_HOUR = 6_000;
    static final byte[] PING = {0x09, 0x00};

    record Hall(String code, String building, double[] occupancyByWeek) {}
    record Student(String studentNo, String faculty, byte[] enrolment, long enrolledAt) {}
    record Thumbnail(String key, byte[] rendered, long at) {}
    record ChatMessage(String studentNo, String lectureId, String text, long at) {}

    static final class Session {
        final String id; final long number; final String studentNo; final long createdAt; long lastAccessAt;
        final Map<String, Object> attributes = new HashMap<>();
        Session(String id, long number, String studentNo, long createdAt) { this.id = id; this.number = number; this.studentNo = studentNo; this.createdAt = createdAt; this.lastAccessAt = createdAt; }
    }

    static final class SessionStore {
        final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
        long nextNumber = 510_000_001L, created, sweeps, expired;
        Session create(String studentNo, long at, Random r) {
            String id = Long.toHexString(r.nextLong() | 0x1000_0000_0000_0000L) + Long.toHexString(r.nextLong() | 0x1000_0000_0000_0000L);
            Session s = new Session(id, nextNumber++, studentNo, at);
            sessions.put(id, s);
            created++;
            return s;
        }
        void sweep(long now) {
            sweeps++;
            List<Session> idle = new ArrayList<>();
            for (Session s : sessions.values()) if (now - s.lastAccessAt > IDLE_TIMEOUT) idle.add(s);
            for (Session s : idle) if (sessions.remove(s.id) != null) expired++;
        }
    }

    static final class PlayerSettings {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        String captionLanguage = "en";
        int bitrateKbps = 2_500;
        long fired;
        void setCaptionLanguage(String l) { String old = captionLanguage; captionLanguage = l; fired++; changes.firePropertyChange("captionLanguage", old, l); }
    }

    static final class SettingsWatcher implements PropertyChangeListener {
        final String component; long seen;
        SettingsWatcher(String component) { this.component = component; }
        @Override public void propertyChange(PropertyChangeEvent e) { seen++; }
    }

    /** Per request; listens for caption-language changes while it renders, removed in close(). */
    static final class TranscriptFormatter implements AutoCloseable {
        final String lectureId; final PlayerSettings settings; final List<String> cues = new ArrayList<>();
        final PropertyChangeListener languageListener = this::onLanguageChanged;
        String language; byte[] rendered;
        TranscriptFormatter(String lectureId, PlayerSettings settings) {
            this.lectureId = lectureId; this.settings = settings; this.language = settings.captionLanguage;
            settings.changes.addPropertyChangeListener("captionLanguage", languageListener);
        }
        void onLanguageChanged(PropertyChangeEvent e) { language = (String) e.getNewValue(); }
        byte[] render(Random r) { rendered = new byte[300 + r.nextInt(300)]; return rendered; }
        @Override public void close() { settings.changes.removePropertyChangeListener("captionLanguage", languageListener); }
    }

    static final class Viewer {
        final String connectionId; final String lectureId; final long connectedAt; long leavesAt;
        final ByteBuffer outgoing; volatile boolean closed; long heartbeats; ScheduledFuture<?> heartbeat;
        Viewer(String connectionId, String lectureId, long connectedAt, ByteBuffer outgoing) { this.connectionId = connectionId; this.lectureId = lectureId; this.connectedAt = connectedAt; this.outgoing = outgoing; }
    }

    static final class HeartbeatTask implements Runnable {
        final Viewer viewer;
        HeartbeatTask(Viewer viewer) { this.viewer = viewer; }
        @Override public void run() {
            if (viewer.closed) return;
            ByteBuffer b = viewer.outgoing;
            if (b.remaining() < PING.length) b.clear();
            b.put(PING);
            viewer.heartbeats++;
        }
    }

    static final class ThumbnailCache extends LinkedHashMap<String, Thumbnail> {
        long evicted;
        ThumbnailCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hall> HALLS_BY_CODE = new HashMap<>();

    static final class StreamService {
        final Map<String, Student> students = new HashMap<>();
        final SessionStore sessions = new SessionStore();
        final PlayerSettings settings = new PlayerSettings();
        final List<SettingsWatcher> watchers = new ArrayList<>();
        final ConcurrentHashMap<String, Viewer> viewers = new ConcurrentHashMap<>();
        final ScheduledThreadPoolExecutor heartbeats = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "viewer-heartbeat");
            t.setDaemon(true);
            return t;
        });
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final ChatMessage[] chat = new ChatMessage[CHAT_RING];
        long chatWritten, viewersOpened, viewersClosed, transcripts;
        StreamService() { heartbeats.setRemoveOnCancelPolicy(true); }

        Viewer connect(String lectureId, long at, Random r) {
            String id = "lv-" + Long.toHexString(0x3a00_0000_0000L + viewersOpened++);
            ByteBuffer out = ByteBuffer.allocate(256 + r.nextInt(256));
            Viewer v = new Viewer(id, lectureId, at, out);
            viewers.put(id, v);
            v.heartbeat = heartbeats.scheduleAtFixedRate(new HeartbeatTask(v), 30, 30, TimeUnit.SECONDS);
            return v;
        }
        void disconnect(Viewer v) {
            viewers.remove(v.connectionId);
            v.closed = true;
            v.heartbeat.cancel(false);
            viewersClosed++;
        }
        byte[] transcript(String lectureId, Random r) {
            try (TranscriptFormatter f = new TranscriptFormatter(lectureId, settings)) {
                int n = 3 + r.nextInt(6);
                for (int k = 0; k < n; k++) f.cues.add(lectureId + " cue " + k + " @" + r.nextInt(3_600));
                transcripts++;
                return f.render(r);
            }
        }
    }

    static StreamService SERVICE;
    static int STAGE, HOURS;
    static long EXPECTED_LIVE_SESSIONS, EXPECTED_VIEWERS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build(int stage) {
        STAGE = stage;
        HOURS = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(98_050_001);
        String[] hallCodes = new String[HALLS];
        for (int h = 0; h < HALLS; h++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            hallCodes[h] = "LH-" + (h / 40) + "-" + (h % 40);
            HALLS_BY_CODE.put(hallCodes[h], new Hall(hallCodes[h], "Building " + (h / 40), occ));
        }
        StreamService svc = new StreamService();
        SERVICE = svc;
        for (String c : new String[] {"player-shell", "caption-renderer", "analytics"}) {
            SettingsWatcher w = new SettingsWatcher(c);
            svc.watchers.add(w);
            svc.settings.changes.addPropertyChangeListener(w);
        }
        String[] studentNos = new String[STUDENTS];
        String[] faculties = {"Engineering", "Medicine", "Law", "Arts", "Science", "Business"};
        for (int s = 0; s < STUDENTS; s++) {
            studentNos[s] = "S" + (2_100_000 + s * 3);
            svc.students.put(studentNos[s], new Student(studentNos[s], faculties[s % faculties.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * DAY));
        }
        String[] lectures = new String[40];
        for (int l = 0; l < lectures.length; l++) lectures[l] = "LEC-" + hallCodes[l * 7] + "-" + (l % 5);
        Random traffic = new Random(98_050_002);
        Random viewersRnd = new Random(98_050_003);
        Random chatRnd = new Random(98_050_004);
        String[] languages = {"en", "cy", "fr", "de", "zh"};
        int sessionsTotal = SESSIONS_PER_HOUR * HOURS, viewersTotal = VIEWERS_PER_HOUR * HOURS, chatTotal = CHAT_PER_HOUR * HOURS;
        long span = end - MINUTE - start;
        PriorityQueue<Viewer> open = new PriorityQueue<>(Comparator.comparingLong((Viewer v) -> v.leavesAt));
        long nextSweep = start + MINUTE;
        int vi = 0, ci = 0, langChanges = 0;
        long live = 0;
        for (int i = 0; i < sessionsTotal; i++) {
            long t = start + span * i / sessionsTotal;
            while (nextSweep <= t) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
            if (t >= start + (langChanges + 1) * 45 * MINUTE) { svc.settings.setCaptionLanguage(languages[++langChanges % languages.length]); }
            while (!open.isEmpty() && open.peek().leavesAt <= t) svc.disconnect(open.poll());
            for (; vi < viewersTotal && start + span * vi / viewersTotal <= t; vi++) {
                Viewer v = svc.connect(lectures[viewersRnd.nextInt(lectures.length)], start + span * vi / viewersTotal, viewersRnd);
                v.leavesAt = v.connectedAt + (5 + viewersRnd.nextInt(56)) * MINUTE;
                open.add(v);
            }
            for (; ci < chatTotal && start + span * ci / chatTotal <= t; ci++) {
                svc.chat[(int) (svc.chatWritten++ % CHAT_RING)] = new ChatMessage(studentNos[chatRnd.nextInt(STUDENTS)], lectures[chatRnd.nextInt(lectures.length)], "question " + chatRnd.nextInt(100_000), start + span * ci / chatTotal);
            }
            String student = studentNos[traffic.nextInt(STUDENTS)];
            Session s = svc.sessions.create(student, t, traffic);
            s.attributes.put("lecture", lectures[traffic.nextInt(lectures.length)]);
            s.attributes.put("csrf", Long.toString(traffic.nextLong() & Long.MAX_VALUE, 36));
            s.attributes.put("playerState", new byte[100 + traffic.nextInt(100)]);
            int requests = 1 + traffic.nextInt(8);
            long last = t;
            for (int q = 0; q < requests; q++) {
                long at = t + traffic.nextInt(25 * 60) * 1_000L;
                if (at < end && at > last) last = at;
                String key = "thumb-" + traffic.nextInt(4_000);
                if (svc.thumbnails.get(key) == null) svc.thumbnails.put(key, new Thumbnail(key, new byte[500 + traffic.nextInt(500)], t));
                if (traffic.nextInt(5) == 0) svc.transcript(lectures[traffic.nextInt(lectures.length)], traffic);
            }
            s.lastAccessAt = last;
            if (end - last <= IDLE_TIMEOUT) live++;
        }
        while (nextSweep <= end) { svc.sessions.sweep(nextSweep); nextSweep += MINUTE; }
        for (; ci < chatTotal; ci++) {
            svc.chat[(int) (svc.chatWritten++ % CHAT_RING)] = new ChatMessage(studentNos[chatRnd.nextInt(STUDENTS)], lectures[chatRnd.nextInt(lectures.length)], "question " + chatRnd.nextInt(100_000), start + span * ci / chatTotal);
        }
        while (!open.isEmpty() && open.peek().leavesAt < end) svc.disconnect(open.poll());
        EXPECTED_VIEWERS = open.size();
        for (Viewer v : open) v.leavesAt = 0; // still connected: no leave time yet
        open.clear();
        EXPECTED_LIVE_SESSIONS = live;
    }

    static void verify() {
        StreamService svc = SERVICE;
        int queued = svc.heartbeats.getQueue().size();
        int languageListeners = svc.settings.changes.getPropertyChangeListeners("captionLanguage").length;
        int allListeners = svc.settings.changes.getPropertyChangeListeners().length;
        System.out.println("stage " + STAGE + " (" + HOURS + " h) halls " + HALLS_BY_CODE.size() + " students " + svc.students.size() + " sessions " + svc.sessions.sessions.size() + " (created " + svc.sessions.created
                + ", expired " + svc.sessions.expired + ", sweeps " + svc.sessions.sweeps + ") transcripts " + svc.transcripts + " listeners " + allListeners + " (caption " + languageListeners + ", fired " + svc.settings.fired
                + ") viewers " + svc.viewers.size() + " (opened " + svc.viewersOpened + ", closed " + svc.viewersClosed + ", heartbeats queued " + queued + ") thumbnails " + svc.thumbnails.size()
                + " (evicted " + svc.thumbnails.evicted + ") chat " + Math.min(svc.chatWritten, CHAT_RING) + " (written " + svc.chatWritten + ")");
        check(HALLS_BY_CODE.size() == HALLS && svc.students.size() == STUDENTS, "reference data / directory");
        check(svc.sessions.created == (long) SESSIONS_PER_HOUR * HOURS && svc.sessions.sessions.size() == EXPECTED_LIVE_SESSIONS && svc.sessions.expired + EXPECTED_LIVE_SESSIONS == svc.sessions.created, "sessions swept");
        check(languageListeners == 0 && allListeners == 3 && svc.watchers.get(0).seen == svc.settings.fired && svc.transcripts > 0, "listeners removed");
        check(svc.viewersOpened == (long) VIEWERS_PER_HOUR * HOURS && svc.viewers.size() == EXPECTED_VIEWERS && queued == EXPECTED_VIEWERS, "heartbeats of connected viewers only: " + queued);
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnail cache at cap");
        check(svc.chatWritten == (long) CHAT_PER_HOUR * HOURS, "chat ring");
    }

    public static void main(String[] args) throws Exception {
        build(Integer.parseInt(args[2]));
        verify();
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
