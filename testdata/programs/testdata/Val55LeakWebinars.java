// hprofscan-dump: name=val55-leak-webinars-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val55-leak-webinars-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val55-leak-webinars jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val55-leak-webinars-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 55 (written blind), LEAK: the attendee gateway of a webinar platform. Webinar
 * reference data, the registered-attendee directory, a cache of rendered slides at its cap, a pool
 * of video-encoder buffers, a ring of recent chat messages, the map of currently connected
 * attendee sessions, and a per-session attachment cache: a WeakHashMap keyed by the attendee
 * session, meant to drop an entry when its session is gone. But each value (the Attachment with
 * the attendee's whiteboard snapshot) holds a strong reference back to its own session (its key),
 * so no key ever becomes weakly reachable and no entry is ever collected: the map keeps every
 * session since start. See VALIDATION55.md.
 */
public final class Val55LeakWebinars {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int WEBINARS = 1_200, ATTENDEES = 25_000, SLIDE_CAP = 2_000, POOL = 8, RING = 16_384, SESSIONS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Webinar(String code, String title, double[] engagementCurve) {}
    record Attendee(String email, String company, byte[] profile, long registeredAt) {}
    record Slide(String key, byte[] rendered, long at) {}
    record ChatMessage(String sessionId, String webinarCode, long at, byte[] text) {}

    static final class AttendeeSession {
        final String sessionId, webinarCode, email; final long joinedAt, leaveAt;
        AttendeeSession(String sessionId, String webinarCode, String email, long joinedAt, long leaveAt) {
            this.sessionId = sessionId; this.webinarCode = webinarCode; this.email = email; this.joinedAt = joinedAt; this.leaveAt = leaveAt;
        }
    }

    /** Per-session attachment: the attendee's whiteboard snapshot and hand-raise state. */
    static final class Attachment {
        final AttendeeSession session; // BUG: strong reference to the WeakHashMap key
        final String sessionId;         // the fix keeps only this
        final byte[] whiteboard; final long updatedAt; int handRaises;
        Attachment(AttendeeSession session, String sessionId, byte[] whiteboard, long updatedAt) {
            this.session = session; this.sessionId = sessionId; this.whiteboard = whiteboard; this.updatedAt = updatedAt;
        }
    }

    static final class SlideCache extends LinkedHashMap<String, Slide> {
        long evicted;
        SlideCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Slide> e) { if (size() > SLIDE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Webinar> WEBINARS_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, Attendee> attendees = new HashMap<>();
        final SlideCache slides = new SlideCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final ChatMessage[] chat = new ChatMessage[RING];
        long chatWritten;
        final Map<String, AttendeeSession> live = new HashMap<>();
        final PriorityQueue<AttendeeSession> departures = new PriorityQueue<>((a, b) -> Long.compare(a.leaveAt, b.leaveAt));
        final WeakHashMap<AttendeeSession, Attachment> attachments = new WeakHashMap<>();
        long joined, left;

        void leaveUntil(long t) {
            while (!departures.isEmpty() && departures.peek().leaveAt <= t) {
                AttendeeSession s = departures.poll();
                live.remove(s.sessionId);
                left++;
            }
        }
    }

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val55.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(55_010_001);
        String[] codes = new String[WEBINARS];
        for (int w = 0; w < WEBINARS; w++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "WB-" + (30_000 + w);
            codes[w] = code;
            WEBINARS_BY_CODE.put(code, new Webinar(code, "Session " + (w % 400), curve));
        }
        Gateway gw = new Gateway();
        SERVICE = gw;
        String[] emails = new String[ATTENDEES];
        for (int a = 0; a < ATTENDEES; a++) {
            String email = "user" + (500_000 + a) + "@example.org";
            emails[a] = email;
            gw.attendees.put(email, new Attendee(email, "Co " + (a % 900), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.encoderBuffers.add(new byte[32_768]);
        Random traffic = new Random(55_010_002);
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            gw.leaveUntil(t);
            String sid = "S-" + (70_000_000 + i);
            String webinar = codes[traffic.nextInt(WEBINARS)];
            AttendeeSession s = new AttendeeSession(sid, webinar, emails[traffic.nextInt(ATTENDEES)], t, t + (20 + traffic.nextInt(60)) * MINUTE);
            gw.live.put(sid, s);
            gw.departures.add(s);
            gw.joined++;
            byte[] board = new byte[300 + traffic.nextInt(300)];
            gw.attachments.put(s, new Attachment(FIXED ? null : s, sid, board, t));
            for (int m = 0; m < 3; m++) gw.chat[(int) (gw.chatWritten++ % RING)] = new ChatMessage(sid, webinar, t + m * 1_000L, new byte[20 + traffic.nextInt(40)]);
            String key = webinar + "/slide-" + traffic.nextInt(8);
            if (gw.slides.get(key) == null) gw.slides.put(key, new Slide(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = gw.encoderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            gw.encoderBuffers.add(buf);
        }
        gw.leaveUntil(end);
        if (FIXED) { // let the GC clear the departed sessions' entries, and expunge them
            for (int k = 0; k < 400 && gw.attachments.size() != gw.live.size(); k++) { System.gc(); Thread.sleep(20); }
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " webinars " + WEBINARS_BY_CODE.size() + " attendees " + gw.attendees.size() + " joined " + gw.joined + " left " + gw.left
                + " live " + gw.live.size() + " attachments " + gw.attachments.size() + " slides " + gw.slides.size() + " (evicted " + gw.slides.evicted + ") pool " + gw.encoderBuffers.size() + " chat " + gw.chatWritten);
        check(WEBINARS_BY_CODE.size() == WEBINARS && gw.attendees.size() == ATTENDEES, "reference data / directory");
        check(gw.joined == sessions && gw.joined == gw.left + gw.live.size() && gw.departures.size() == gw.live.size(), "sessions");
        if (FIXED) check(gw.attachments.size() == gw.live.size(), "attachments follow live sessions: " + gw.attachments.size());
        else check(gw.attachments.size() == sessions, "attachments keep every session: " + gw.attachments.size());
        check(gw.slides.size() == SLIDE_CAP && gw.slides.evicted > 0, "slide cache at cap");
        check(gw.encoderBuffers.size() == POOL, "pool");
        check(gw.chatWritten == 3L * sessions && gw.chat[RING - 1] != null, "chat ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
