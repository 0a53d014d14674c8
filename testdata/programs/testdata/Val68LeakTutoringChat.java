// hprofscan-dump: name=val68-leak-tutoringchat-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val68-leak-tutoringchat-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val68-leak-tutoringchat jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val68-leak-tutoringchat-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 68 (written blind), LEAK: the live-chat service of an online tutoring platform.
 * Subject reference data, the tutor directory, a cache of rendered session transcripts at its cap,
 * a pool of websocket frame buffers, a ring of recent message deliveries, and a pub/sub
 * TopicRegistry that creates one Topic per tutoring conversation (subscriber list plus a small ring
 * of the last 8 messages for late joiners). When a conversation ends both participants unsubscribe,
 * but the topic itself is never removed from the registry: it grows with traffic. See
 * VALIDATION68.md.
 */
public final class Val68LeakTutoringChat {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUBJECTS = 1_200, TUTORS = 24_000, TRANSCRIPT_CAP = 2_000, POOL = 8, RING = 4_096, CONVERSATIONS_PER_HOUR = 1_500, RECENT = 8;
    static boolean FIXED;

    record Subject(String code, String title, double[] demandByHour) {}
    record Tutor(String tutorId, String subjectCode, String displayName, byte[] profile, long joinedAt) {}
    record Transcript(String key, byte[] rendered, long at) {}
    record Message(String conversationId, String senderId, String text, long at) {}
    record Delivery(Message message, String recipientId, long at) {}

    static final class Subscriber {
        final String sessionId, userId; final long since;
        Subscriber(String sessionId, String userId, long since) { this.sessionId = sessionId; this.userId = userId; this.since = since; }
    }

    /** One pub/sub topic per conversation. */
    static final class Topic {
        final String conversationId; final long createdAt; long lastActivity; long published;
        final List<Subscriber> subscribers = new ArrayList<>(4);
        final Message[] recent = new Message[RECENT]; int head, size;
        Topic(String conversationId, long createdAt) { this.conversationId = conversationId; this.createdAt = createdAt; this.lastActivity = createdAt; }
        void remember(Message m) { recent[(head + size) % RECENT] = m; if (size < RECENT) size++; else head = (head + 1) % RECENT; published++; lastActivity = m.at(); }
    }

    static final class TopicRegistry {
        final Map<String, Topic> topics = new HashMap<>();
        long created, closed;
        Topic open(String conversationId, long at) { Topic t = new Topic(conversationId, at); topics.put(conversationId, t); created++; return t; }
        void conversationEnded(String conversationId) {
            Topic t = topics.get(conversationId);
            t.subscribers.clear(); // both participants leave
            closed++;
            if (FIXED) topics.remove(conversationId);
            // BUG: the topic (with its last 8 messages) stays in the registry forever
        }
    }

    static final class TranscriptCache extends LinkedHashMap<String, Transcript> {
        long evicted;
        TranscriptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Transcript> e) { if (size() > TRANSCRIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Subject> SUBJECTS_BY_CODE = new HashMap<>();

    static final class ChatService {
        final Map<String, Tutor> tutors = new HashMap<>();
        final TranscriptCache transcripts = new TranscriptCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Delivery[] deliveries = new Delivery[RING];
        long delivered;
        final TopicRegistry registry = new TopicRegistry();
    }

    static ChatService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val68.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int conversations = CONVERSATIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(68_010_001);
        String[] subjectCodes = new String[SUBJECTS];
        for (int s = 0; s < SUBJECTS; s++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            subjectCodes[s] = "SUBJ-" + (3_000 + s);
            SUBJECTS_BY_CODE.put(subjectCodes[s], new Subject(subjectCodes[s], "Course " + (s % 400), demand));
        }
        ChatService svc = new ChatService();
        SERVICE = svc;
        String[] tutorIds = new String[TUTORS];
        for (int t = 0; t < TUTORS; t++) {
            tutorIds[t] = "TUT-" + (800_000 + t);
            svc.tutors.put(tutorIds[t], new Tutor(tutorIds[t], subjectCodes[rnd.nextInt(SUBJECTS)], "Tutor " + t, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(68_010_002);
        String[] phrases = {"Can you explain step 3 again?", "Here is my working so far", "Try factoring the left side first", "Great, that is correct!", "Let's look at the next question", "I uploaded the worksheet"};
        int open = 0;
        long messages = 0;
        for (int i = 0; i < conversations; i++) {
            long t0 = start + (last - start) * i / conversations;
            String conv = "conv-" + Long.toHexString(0x68_0000_0000L + i * 7_919L);
            String tutor = tutorIds[traffic.nextInt(TUTORS)];
            String student = "STU-" + (1_000_000 + traffic.nextInt(90_000));
            long duration = (5 + traffic.nextInt(36)) * MINUTE;
            int count = 3 + traffic.nextInt(10);
            Topic topic = svc.registry.open(conv, t0);
            topic.subscribers.add(new Subscriber("ws-" + (i * 2), tutor, t0));
            topic.subscribers.add(new Subscriber("ws-" + (i * 2 + 1), student, t0));
            for (int k = 0; k < count; k++) {
                long at = t0 + duration * k / count;
                if (at > last) break;
                boolean fromTutor = (k & 1) == 0;
                Message m = new Message(conv, fromTutor ? tutor : student, phrases[traffic.nextInt(phrases.length)], at);
                topic.remember(m);
                messages++;
                svc.deliveries[(int) (svc.delivered++ % RING)] = new Delivery(m, fromTutor ? student : tutor, at);
                String key = "tr-" + traffic.nextInt(5_000);
                if (svc.transcripts.get(key) == null) svc.transcripts.put(key, new Transcript(key, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.frameBuffers.poll();
                buf[(int) (messages % buf.length)] = (byte) k;
                svc.frameBuffers.add(buf);
            }
            if (t0 + duration <= last) svc.registry.conversationEnded(conv);
            else open++;
        }
        TopicRegistry reg = svc.registry;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " subjects " + SUBJECTS_BY_CODE.size() + " tutors " + svc.tutors.size() + " topics " + reg.topics.size() + " created " + reg.created + " closed " + reg.closed + " open " + open
                + " messages " + messages + " transcripts " + svc.transcripts.size() + " (evicted " + svc.transcripts.evicted + ") pool " + svc.frameBuffers.size() + " delivered " + svc.delivered);
        check(SUBJECTS_BY_CODE.size() == SUBJECTS && svc.tutors.size() == TUTORS, "reference data / directory");
        check(reg.created == conversations && reg.closed + open == conversations, "conversations");
        if (FIXED) check(reg.topics.size() == open, "only open conversations have topics");
        else check(reg.topics.size() == conversations, "registry keeps every topic: " + reg.topics.size());
        check(svc.transcripts.size() == TRANSCRIPT_CAP && svc.transcripts.evicted > 0, "transcript cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.delivered == messages && svc.deliveries[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
