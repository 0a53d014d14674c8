// hprofscan-dump: name=val10-healthy-chatmod jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val10-healthy-chatmod-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 10 (written blind), HEALTHY: a community chat server with live moderation after 6
 * simulated hours. Looks suspicious, is legitimate: one writer thread per connected client
 * ({@code chat-client-<userId>}, blocked on the client's outbound queue), 240 clients connected at
 * the dump; 1,800 connections were made and the 1,560 that disconnected ended their threads and
 * left the hub. Also: the banned-phrase index (loaded at startup, the biggest structure), the
 * reputation of every member of the community (loaded at startup), the room directory, a ring of
 * the last 20,000 messages, 12 legitimately registered moderation listeners and a fixed pool of 4
 * classifier threads with a feature buffer each. See testdata/VALIDATION10.md.
 */
public final class Val10HealthyChatModeration {
    static final int PHRASES = 80_000;
    static final int MEMBERS = 50_000;
    static final int ROOMS = 2_000;
    static final int MESSAGE_RING = 20_000;
    static final int CLASSIFIERS = 4;
    static final int LISTENERS = 12;
    static final int CONNECTIONS = 1_800;
    static final int CONNECTED = 240;
    static final int MESSAGES = 60_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 6 * HOUR;

    static ChatServer RUNNING;

    static final class PhraseRule {
        final String phrase; final String language; final String category; final int severity; final boolean regex;
        PhraseRule(String phrase, String language, String category, int severity, boolean regex) { this.phrase = phrase; this.language = language; this.category = category; this.severity = severity; this.regex = regex; }
    }

    /** Reference data: the moderation team's phrase list, loaded at startup. */
    static final class BannedPhraseIndex {
        static final Map<String, PhraseRule> PHRASES_BY_TEXT = new HashMap<>();
    }

    static final class Reputation {
        final long userId; final String handle; int score; int strikes; long lastFlaggedAt; final long joinedAt;
        Reputation(long userId, String handle, int score, long joinedAt) { this.userId = userId; this.handle = handle; this.score = score; this.joinedAt = joinedAt; }
    }

    static final class Room {
        final long roomId; final String name; final String topic; final int slowModeSecs; final long createdAt;
        Room(long roomId, String name, String topic, int slowModeSecs, long createdAt) { this.roomId = roomId; this.name = name; this.topic = topic; this.slowModeSecs = slowModeSecs; this.createdAt = createdAt; }
    }

    static final class OutboundMessage {
        final long messageId; final String text;
        OutboundMessage(long messageId, String text) { this.messageId = messageId; this.text = text; }
    }

    static final OutboundMessage DISCONNECT = new OutboundMessage(-1, "");

    /** A connected client: a writer thread drains its outbound queue to the socket. */
    static final class ClientConnection {
        final long userId; final long roomId; final String remoteAddr; final long connectedAt; long lastMessageAt;
        final byte[] readBuffer = new byte[4096];
        final BlockingQueue<OutboundMessage> outbound = new LinkedBlockingQueue<>();
        Thread writer; long delivered;
        ClientConnection(long userId, long roomId, String remoteAddr, long connectedAt) { this.userId = userId; this.roomId = roomId; this.remoteAddr = remoteAddr; this.connectedAt = connectedAt; }
    }

    /** One message; the ring's slots are allocated once and overwritten. */
    static final class MessageSlot {
        long messageId; long userId; long roomId; long sentAt; String text; int verdict;
    }

    static final class MessageRing {
        final MessageSlot[] slots = new MessageSlot[MESSAGE_RING];
        long written;
        MessageRing() { for (int i = 0; i < MESSAGE_RING; i++) slots[i] = new MessageSlot(); }
        void append(long id, long user, long room, long t, String text, int verdict) {
            MessageSlot m = slots[(int) (written++ % MESSAGE_RING)];
            m.messageId = id; m.userId = user; m.roomId = room; m.sentAt = t; m.text = text; m.verdict = verdict;
        }
    }

    interface ModerationListener { void onVerdict(long messageId, int verdict, long at); }

    static final class AuditListener implements ModerationListener {
        final String sink; long verdicts; long lastAt;
        AuditListener(String sink) { this.sink = sink; }
        @Override public void onVerdict(long messageId, int verdict, long at) { verdicts++; lastAt = at; }
    }

    static final class ConnectionHub {
        final Map<Long, ClientConnection> clients = new ConcurrentHashMap<>();
        long connects; long disconnects;

        ClientConnection connect(long user, long room, String addr, long t) throws InterruptedException {
            ClientConnection c = new ClientConnection(user, room, addr, t);
            CountDownLatch up = new CountDownLatch(1);
            Thread w = new Thread(() -> {
                up.countDown();
                try {
                    while (true) {
                        OutboundMessage m = c.outbound.take();
                        if (m == DISCONNECT) return;
                        c.delivered++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "chat-client-" + user);
            w.setDaemon(true);
            c.writer = w;
            clients.put(user, c);
            w.start();
            up.await();
            connects++;
            return c;
        }

        void disconnect(ClientConnection c) throws InterruptedException {
            c.outbound.put(DISCONNECT);
            c.writer.join();
            clients.remove(c.userId);
            disconnects++;
        }
    }

    static final class ChatServer {
        final Map<Long, Reputation> reputation = new ConcurrentHashMap<>();
        final Map<Long, Room> rooms = new HashMap<>();
        final ConnectionHub hub = new ConnectionHub();
        final MessageRing messages = new MessageRing();
        final List<ModerationListener> listeners = new CopyOnWriteArrayList<>();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor classifiers = new ThreadPoolExecutor(CLASSIFIERS, CLASSIFIERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "toxicity-classifier-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread feature buffer of the classifier pool. */
        static final ThreadLocal<float[]> FEATURES = ThreadLocal.withInitial(() -> new float[8192]);
        final Properties config = new Properties();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(10_070_001);
        ChatServer svc = new ChatServer();
        RUNNING = svc;
        for (int i = 0; i < 75; i++) svc.config.setProperty("chat.room.policy." + i, "slow=" + (i % 30));
        String[] langs = {"en", "de", "es", "pt", "fr", "pl"};
        String[] cats = {"slur", "harassment", "spam", "self-harm", "scam", "doxxing"};
        for (int i = 0; i < PHRASES; i++) {
            String p = "phrase " + Integer.toString(i * 7 + 3, 36) + " " + Integer.toString(i * 13, 36);
            BannedPhraseIndex.PHRASES_BY_TEXT.put(p, new PhraseRule(p, langs[i % 6], cats[i % 6], 1 + i % 5, i % 50 == 0));
        }
        for (int i = 0; i < MEMBERS; i++) {
            long id = 300_000_000L + i * 11L;
            Reputation r = new Reputation(id, "member_" + Long.toString(id, 36), 50 + rnd.nextInt(50), now - DAY * rnd.nextInt(2500));
            if (i % 9 == 0) { r.strikes = 1 + rnd.nextInt(3); r.lastFlaggedAt = now - DAY * rnd.nextInt(400); }
            svc.reputation.put(id, r);
        }
        for (int i = 0; i < ROOMS; i++) svc.rooms.put(6_000L + i, new Room(6_000L + i, "room-" + i, "Topic of room " + i, i % 4 == 0 ? 10 : 0, now - DAY * rnd.nextInt(900)));
        for (int i = 0; i < LISTENERS; i++) svc.listeners.add(new AuditListener("sink-" + i));
        CyclicBarrier warm = new CyclicBarrier(CLASSIFIERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < CLASSIFIERS; w++) fs.add(svc.classifiers.submit(() -> { ChatServer.FEATURES.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // 6 hours: clients connect, chat and disconnect; the last 240 connected are still online.
        List<ClientConnection> online = new ArrayList<>();
        int perConnection = MESSAGES / CONNECTIONS;
        long msgSeq = 1_000_000_000L;
        for (int i = 0; i < CONNECTIONS; i++) {
            long t = start + SIM_MILLIS * i / CONNECTIONS;
            long user = 300_000_000L + (long) ((i * 37L) % MEMBERS) * 11L;
            ClientConnection c = svc.hub.connect(user, 6_000L + rnd.nextInt(ROOMS), "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256), t);
            online.add(c);
            for (int k = 0; k < perConnection; k++) {
                ClientConnection from = online.get(rnd.nextInt(online.size()));
                long at = t + k * 1_000L;
                String text = "message " + Long.toString(msgSeq, 36) + " from " + from.userId;
                int verdict = rnd.nextInt(100) == 0 ? 2 : 0;
                svc.messages.append(msgSeq, from.userId, from.roomId, at, text, verdict);
                from.lastMessageAt = at;
                if (verdict != 0) { Reputation r = svc.reputation.get(from.userId); r.strikes++; r.lastFlaggedAt = at; for (ModerationListener l : svc.listeners) l.onVerdict(msgSeq, verdict, at); }
                msgSeq++;
            }
            if (online.size() > CONNECTED) svc.hub.disconnect(online.remove(0));
        }
        // Deliver a last message to every online client and wait for the queues to drain.
        for (ClientConnection c : online) c.outbound.put(new OutboundMessage(msgSeq++, "welcome back"));
        for (ClientConnection c : online) { while (!c.outbound.isEmpty() || c.writer.getState() != Thread.State.WAITING) Thread.sleep(1); }
        int clientThreads = 0, classifierThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("chat-client-")) clientThreads++;
            if (th.getName().startsWith("toxicity-classifier-")) classifierThreads++;
        }
        System.out.println("phrases " + BannedPhraseIndex.PHRASES_BY_TEXT.size() + " members " + svc.reputation.size() + " rooms " + svc.rooms.size() + " connected "
                + svc.hub.clients.size() + " (connects " + svc.hub.connects + ", disconnects " + svc.hub.disconnects + ") client threads " + clientThreads + " messages "
                + svc.messages.written + " listeners " + svc.listeners.size() + " classifier threads " + classifierThreads);
        check(BannedPhraseIndex.PHRASES_BY_TEXT.size() == PHRASES && svc.reputation.size() == MEMBERS && svc.rooms.size() == ROOMS, "reference data");
        check(svc.hub.clients.size() == CONNECTED && svc.hub.connects == CONNECTIONS && svc.hub.disconnects == CONNECTIONS - CONNECTED && clientThreads == CONNECTED, "connections");
        check(svc.messages.written == (long) perConnection * CONNECTIONS && svc.messages.written > MESSAGE_RING && svc.listeners.size() == LISTENERS, "messages/listeners");
        check(classifierThreads == CLASSIFIERS, "classifiers");
        LeakCheck.histogram("java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
