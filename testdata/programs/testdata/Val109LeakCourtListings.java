// hprofscan-dump: name=val109-leak-courtlistings jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val109-leak-courtlistings-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Validation set 109 (written blind), LEAK: the live court-listings board of a courts service.
 * Clerks publish hearing updates (called, adjourned, moved to another room); solicitors, press and
 * the public watch a courthouse's board over a websocket-like session. Each session subscribes a
 * callback (a method reference capturing the session) on the process-wide ListingEventBus when it
 * opens. The client's close unsubscribes; the idle reaper (no heartbeat for 90 s) removes the
 * session from the open-session map and closes its socket but never unsubscribes, so every reaped
 * session stays on the bus with its frame buffer, its last frames and its handshake headers.
 * Ordinary components beside it: courtroom reference data, the case directory, a cache of rendered
 * daily lists at its cap, a pool of frame buffers, a ring of recent events, the SMS notice backlog.
 * See VALIDATION109.md.
 */
public final class Val109LeakCourtListings {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int COURTHOUSES = 30, ROOMS_PER_HOUSE = 34, CASES = 24_000, LIST_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            SESSIONS_PER_MINUTE = 15, EVENTS_PER_MINUTE = 25, OUTBOX = 16, SMS_BACKLOG_MINUTES = 8;
    static final String[] STATUSES = {"listed", "called", "in progress", "adjourned", "moved", "part heard", "concluded", "vacated"};
    static final String[] ROLES = {"solicitor", "barrister", "press", "public", "usher", "witness-service"};
    static boolean FIXED;

    record Courtroom(String code, String courthouse, int floor, double[] sittingHoursByWeek) {}
    record CourtCase(String caseNo, String courthouse, String parties, byte[] partyIndex, long filedAt) {}
    record ListingEvent(long seq, String caseNo, String courthouse, String room, String status, long at) {}
    record RenderedList(String key, byte[] html, long renderedAt) {}
    record SmsNotice(String to, String caseNo, String text, long queuedAt) {}
    record Subscription(long token, String courthouse, Consumer<ListingEvent> callback, long subscribedAt) {}

    /** The process-wide event bus: subscriptions by token. */
    static final class ListingEventBus {
        final ConcurrentHashMap<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
        final AtomicLong nextToken = new AtomicLong(1);
        long published, delivered;

        long subscribe(String courthouse, Consumer<ListingEvent> callback, long at) {
            long token = nextToken.getAndIncrement();
            subscriptions.put(token, new Subscription(token, courthouse, callback, at));
            return token;
        }

        void unsubscribe(long token) { subscriptions.remove(token); }

        void publish(ListingEvent e) {
            published++;
            for (Subscription s : subscriptions.values()) {
                if (s.courthouse() == null || s.courthouse().equals(e.courthouse())) { s.callback().accept(e); delivered++; }
            }
        }
    }

    static final ListingEventBus BUS = new ListingEventBus();
    static final Map<String, Courtroom> COURTROOMS_BY_CODE = new HashMap<>();

    static final class BoardSession {
        final String sessionId, userId, role, courthouse;
        final long openedAt;
        final Map<String, String> handshake = new HashMap<>();
        final byte[] frameBuffer = new byte[2_048];
        final ArrayDeque<String> outbox = new ArrayDeque<>();
        long lastHeartbeatAt, token, framesSent, framesDropped;
        boolean socketOpen = true;

        BoardSession(String sessionId, String userId, String role, String courthouse, long openedAt, String userAgent) {
            this.sessionId = sessionId; this.userId = userId; this.role = role; this.courthouse = courthouse; this.openedAt = openedAt;
            this.lastHeartbeatAt = openedAt;
            handshake.put("User-Agent", userAgent);
            handshake.put("Origin", "https://listings.courts.example");
            handshake.put("Sec-WebSocket-Key", Long.toString(openedAt * 31 + sessionId.hashCode(), 36) + "==");
            handshake.put("X-Forwarded-For", "10." + (sessionId.hashCode() & 0xff) + "." + (userId.hashCode() & 0xff) + ".17");
        }

        void open(String snapshot) {
            token = BUS.subscribe(courthouse, this::onEvent, openedAt);
            send(snapshot);
        }

        void onEvent(ListingEvent e) {
            send("{\"seq\":" + e.seq() + ",\"case\":\"" + e.caseNo() + "\",\"room\":\"" + e.room() + "\",\"status\":\"" + e.status() + "\",\"at\":" + e.at() + "}");
        }

        void send(String frame) {
            if (!socketOpen) { framesDropped++; return; }
            for (int i = 0; i < frame.length() && i < frameBuffer.length; i++) frameBuffer[i] = (byte) frame.charAt(i);
            outbox.addLast(frame);
            if (outbox.size() > OUTBOX) outbox.removeFirst();
            framesSent++;
        }

        /** Client-initiated close. */
        void close() {
            BUS.unsubscribe(token);
            socketOpen = false;
        }

        /** Server-side close of an idle session (missed heartbeats). */
        void closeQuietly() {
            socketOpen = false; // BUG: the bus subscription stays
            if (FIXED) BUS.unsubscribe(token);
        }
    }

    static final class RenderedListCache extends LinkedHashMap<String, RenderedList> {
        long evicted;
        RenderedListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedList> e) { if (size() > LIST_CAP) { evicted++; return true; } return false; }
    }

    record PendingClose(long at, BoardSession session, boolean reaped) {}

    static final class ListingService {
        final Map<String, CourtCase> cases = new HashMap<>();
        final String[] caseNos = new String[CASES];
        final Map<String, BoardSession> sessions = new ConcurrentHashMap<>();
        final RenderedListCache lists = new RenderedListCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final ListingEvent[] recentEvents = new ListingEvent[RING];
        final ArrayDeque<SmsNotice> smsBacklog = new ArrayDeque<>();
        long opened, closedByClient, reaped, eventSeq, smsQueued, smsSent;

        String snapshot(String courthouse, long t, Random r) {
            long day = t / DAY;
            String key = courthouse + "/" + (day - r.nextInt(60)) + "/" + r.nextInt(ROOMS_PER_HOUSE);
            RenderedList l = lists.get(key);
            if (l == null) { l = new RenderedList(key, new byte[400 + r.nextInt(400)], t); lists.put(key, l); }
            byte[] buf = frameBuffers.poll();
            buf[(int) (t % buf.length)] = (byte) l.html().length;
            frameBuffers.add(buf);
            return "{\"snapshot\":\"" + key + "\",\"bytes\":" + l.html().length + "}";
        }
    }

    static ListingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(109_020_001);
        String[] houses = new String[COURTHOUSES];
        for (int h = 0; h < COURTHOUSES; h++) houses[h] = "CH" + (300 + h * 11);
        String[][] rooms = new String[COURTHOUSES][ROOMS_PER_HOUSE];
        for (int h = 0; h < COURTHOUSES; h++) {
            for (int k = 0; k < ROOMS_PER_HOUSE; k++) {
                double[] hours = new double[64];
                for (int w = 0; w < hours.length; w++) hours[w] = rnd.nextDouble() * 30;
                rooms[h][k] = houses[h] + "-R" + (k + 1);
                COURTROOMS_BY_CODE.put(rooms[h][k], new Courtroom(rooms[h][k], houses[h], 1 + k / 8, hours));
            }
        }
        ListingService svc = new ListingService();
        SERVICE = svc;
        for (int c = 0; c < CASES; c++) {
            String house = houses[rnd.nextInt(COURTHOUSES)];
            svc.caseNos[c] = (c % 3 == 0 ? "CV" : c % 3 == 1 ? "CR" : "FM") + "-" + (2_021 + c % 4) + "-" + (100_000 + c * 7);
            svc.cases.put(svc.caseNos[c], new CourtCase(svc.caseNos[c], house, "Party " + rnd.nextInt(90_000) + " v Party " + rnd.nextInt(90_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        // press office, audit log and SMS notifier: registered once, for the life of the process
        BUS.subscribe(null, e -> { }, start);
        BUS.subscribe(null, e -> { }, start);
        BUS.subscribe(null, e -> {
            if (e.status().equals("called")) {
                svc.smsBacklog.addLast(new SmsNotice("+4477" + (10_000_000 + (int) (e.seq() * 7_919 % 89_999_999)), e.caseNo(), "Your hearing " + e.caseNo() + " has been called to " + e.room(), e.at()));
                svc.smsQueued++;
            }
        }, start);

        Random sessions = new Random(109_020_002), events = new Random(109_020_003), snaps = new Random(109_020_004);
        PriorityQueue<PendingClose> closes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int sessionSeq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!closes.isEmpty() && closes.peek().at() <= t) {
                PendingClose pc = closes.poll();
                pc.session().lastHeartbeatAt = pc.reaped() ? pc.at() - 90 * SECOND : pc.at();
                svc.sessions.remove(pc.session().sessionId);
                if (pc.reaped()) { pc.session().closeQuietly(); svc.reaped++; } else { pc.session().close(); svc.closedByClient++; }
            }
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                String id = "ws-" + Long.toHexString(0x7c00_0000L + sessionSeq++);
                long openedAt = t + k * 4 * SECOND;
                BoardSession s = new BoardSession(id, "U" + (2_000_000 + sessions.nextInt(400_000)), ROLES[sessions.nextInt(ROLES.length)],
                        houses[sessions.nextInt(COURTHOUSES)], openedAt, "CourtBoard/" + (3 + sessions.nextInt(3)) + "." + sessions.nextInt(10) + " (" + (sessions.nextBoolean() ? "Android" : "iOS") + ")");
                boolean reaped = sessions.nextInt(100) < 21;
                long lastBeat = openedAt + (2 + sessions.nextInt(44)) * MINUTE;
                closes.add(new PendingClose(reaped ? lastBeat + 90 * SECOND : lastBeat, s, reaped));
                svc.sessions.put(id, s);
                s.open(svc.snapshot(s.courthouse, openedAt, snaps));
                svc.opened++;
            }
            for (int k = 0; k < EVENTS_PER_MINUTE; k++) {
                int h = events.nextInt(COURTHOUSES);
                ListingEvent e = new ListingEvent(++svc.eventSeq, svc.caseNos[events.nextInt(CASES)], houses[h], rooms[h][events.nextInt(ROOMS_PER_HOUSE)],
                        STATUSES[events.nextInt(STATUSES.length)], t + k * 2 * SECOND);
                svc.recentEvents[(int) (e.seq() % RING)] = e;
                BUS.publish(e);
            }
            while (!svc.smsBacklog.isEmpty() && svc.smsBacklog.peekFirst().queuedAt() <= t - SMS_BACKLOG_MINUTES * MINUTE) {
                svc.smsBacklog.pollFirst();
                svc.smsSent++;
            }
            for (BoardSession s : svc.sessions.values()) s.lastHeartbeatAt = Math.max(s.openedAt, t); // open clients beat every 30 s
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val109.fixed");
        simulate();
        ListingService svc = SERVICE;
        int reapedOnBus = 0, openOnBus = 0, other = 0;
        for (Subscription s : BUS.subscriptions.values()) {
            if (s.courthouse() == null) { other++; continue; }
            boolean open = false;
            for (BoardSession b : svc.sessions.values()) if (b.token == s.token()) { open = true; break; }
            if (open) openOnBus++; else reapedOnBus++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "courtrooms " + COURTROOMS_BY_CODE.size() + " cases " + svc.cases.size() + " sessions opened " + svc.opened + " closed by client " + svc.closedByClient
                + " reaped " + svc.reaped + " open " + svc.sessions.size() + " bus subscriptions " + BUS.subscriptions.size() + " (open " + openOnBus + ", reaped " + reapedOnBus + ", process " + other + ")"
                + " events " + svc.eventSeq + " delivered " + BUS.delivered + " lists " + svc.lists.size() + " (evicted " + svc.lists.evicted + ") pool " + svc.frameBuffers.size()
                + " sms backlog " + svc.smsBacklog.size() + " (queued " + svc.smsQueued + ", sent " + svc.smsSent + ")");
        check(COURTROOMS_BY_CODE.size() == COURTHOUSES * ROOMS_PER_HOUSE && svc.cases.size() == CASES, "reference data / directory");
        check(svc.opened == (long) SESSIONS_PER_MINUTE * HOURS * 60 && svc.opened == svc.closedByClient + svc.reaped + svc.sessions.size(), "sessions");
        check(svc.reaped == 1_796 && svc.sessions.size() == 362, "reaped / open sessions");
        check(other == 3 && openOnBus == svc.sessions.size() && reapedOnBus == (FIXED ? 0 : svc.reaped), "bus subscriptions");
        check(svc.eventSeq == (long) EVENTS_PER_MINUTE * HOURS * 60 && svc.recentEvents[RING - 1] != null, "event ring");
        check(svc.lists.size() == LIST_CAP && svc.lists.evicted > 0, "rendered list cache at cap");
        check(svc.frameBuffers.size() == POOL, "frame buffer pool");
        check(svc.smsBacklog.size() == 40 && svc.smsQueued == svc.smsSent + svc.smsBacklog.size(), "sms backlog");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
