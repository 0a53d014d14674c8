// hprofscan-dump: name=val64-healthy-trampolineparks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val64-healthy-trampolineparks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val64-healthy-trampolineparks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val64-healthy-trampolineparks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Validation set 64 (written blind), HEALTHY: the booking and gate service of a chain of trampoline
 * parks. Park reference data, the member directory (signed waivers), per-member "recently viewed"
 * session lists capped at 20 (the cap check compares the boxed sequence numbers with equals), an
 * event bus whose dead-event handler keeps only the last 256 dead events, a heartbeat timer for the
 * open kiosk connections (run on main; a connection's heartbeat is cancelled and removed when it
 * closes), a cache of rendered session pages at its cap, a pool of wristband-printer buffers and a
 * ring of gate entries. Series of three runs (1 h / 4 h / 8 h): warms up, then flat. See
 * VALIDATION64.md.
 */
public final class Val64HealthyTrampolineParks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PARKS = 1_200, MEMBERS = 25_000, BROWSERS = 500, MAX_RECENT = 20, PAGE_CAP = 2_000, POOL = 8, RING = 8_192,
            DEAD_KEEP = 256, STEPS_PER_HOUR = 4_000, KIOSKS = 600;
    static final long HEARTBEAT_MS = 30_000L;

    record Park(String code, String town, double[] occupancyByWeek) {}
    record Member(String id, String homePark, byte[] waiver, long signedAt) {}
    record Page(String key, byte[] html, long renderedAt) {}
    record GateEntry(String memberId, String parkCode, String wristband, long at) {}
    record ViewedSession(Integer seq, String sessionId, long at) {}
    record SessionBooked(String memberId, String sessionId, long at) {}
    record WaiverSigned(String memberId, long at) {}
    record CapacityChanged(String parkCode, int capacity, byte[] floorPlan, long at) {}
    record DeadEvent(Object event, String type, long postedAt) {}

    static final class Browser {
        final String memberId;
        Integer nextSeq;
        final ArrayDeque<ViewedSession> recentlyViewed = new ArrayDeque<>();
        Browser(String memberId, int lifetimeViews) { this.memberId = memberId; this.nextSeq = lifetimeViews; }
        void viewed(String sessionId, long at) {
            Integer seq = nextSeq;
            nextSeq = seq + 1;
            recentlyViewed.addLast(new ViewedSession(seq, sessionId, at));
            Integer evictAt = recentlyViewed.peekFirst().seq() + MAX_RECENT;
            if (seq.equals(evictAt)) recentlyViewed.pollFirst();
        }
    }

    static final class EventBus {
        final Map<Class<?>, List<Consumer<Object>>> subscribers = new HashMap<>();
        final ArrayDeque<DeadEvent> recentDead = new ArrayDeque<>();
        final Map<String, Long> deadCounts = new HashMap<>();
        long posted, dead;
        void subscribe(Class<?> type, Consumer<Object> h) { subscribers.computeIfAbsent(type, k -> new ArrayList<>()).add(h); }
        void post(Object event, long at) {
            posted++;
            List<Consumer<Object>> hs = subscribers.get(event.getClass());
            if (hs == null) {
                dead++;
                deadCounts.merge(event.getClass().getSimpleName(), 1L, Long::sum);
                recentDead.addLast(new DeadEvent(event, event.getClass().getSimpleName(), at));
                if (recentDead.size() > DEAD_KEEP) recentDead.pollFirst();
                return;
            }
            for (Consumer<Object> h : hs) h.accept(event);
        }
    }

    static final class KioskConnection {
        final long id;
        final String parkCode, token;
        final byte[] sendBuffer;
        final long openedAt;
        long pings, plannedCloseAt;
        Heartbeat heartbeat;
        KioskConnection(long id, String parkCode, String token, byte[] sendBuffer, long openedAt) { this.id = id; this.parkCode = parkCode; this.token = token; this.sendBuffer = sendBuffer; this.openedAt = openedAt; }
    }

    static final class Heartbeat {
        final KioskConnection conn;
        long nextAt;
        boolean cancelled;
        Heartbeat(KioskConnection conn, long nextAt) { this.conn = conn; this.nextAt = nextAt; }
    }

    /** A fixed-rate timer driven by main's loop; cancel() removes the task. */
    static final class HeartbeatTimer {
        final PriorityQueue<Heartbeat> queue = new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
        long fired;
        Heartbeat schedule(KioskConnection c, long now) { Heartbeat h = new Heartbeat(c, now + HEARTBEAT_MS); queue.add(h); return h; }
        void cancel(Heartbeat h) { h.cancelled = true; queue.remove(h); }
        void runUntil(long t) {
            while (!queue.isEmpty() && queue.peek().nextAt <= t) {
                Heartbeat h = queue.poll();
                h.conn.sendBuffer[0] = (byte) 0x89;
                h.conn.pings++;
                fired++;
                h.nextAt += HEARTBEAT_MS;
                queue.add(h);
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Park> PARKS_BY_CODE = new HashMap<>();

    static final class ParkService {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Browser> browsers = new HashMap<>();
        final EventBus bus = new EventBus();
        final Map<Long, KioskConnection> kiosks = new HashMap<>();
        final HeartbeatTimer heartbeats = new HeartbeatTimer();
        final Map<String, DateTimeFormatter> formats = new HashMap<>(); // keyed by pattern, immutable formatters
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> wristbandBuffers = new ArrayDeque<>();
        final GateEntry[] entries = new GateEntry[RING];
        long entriesWritten, bookings, kiosksOpened, kiosksClosed;
        DateTimeFormatter format(String pattern) { return formats.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p).withZone(ZoneOffset.UTC)); }
    }

    static ParkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int steps = STEPS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(64_050_001);
        String[] parkCodes = new String[PARKS];
        for (int p = 0; p < PARKS; p++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            parkCodes[p] = "TP-" + (1_000 + p);
            PARKS_BY_CODE.put(parkCodes[p], new Park(parkCodes[p], "Town " + (p % 300), occ));
        }
        ParkService svc = new ParkService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "MB-" + (300_000 + m);
            svc.members.put(memberIds[m], new Member(memberIds[m], parkCodes[rnd.nextInt(PARKS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        Browser[] browsers = new Browser[BROWSERS];
        for (int b = 0; b < BROWSERS; b++) {
            browsers[b] = new Browser(memberIds[b * 50], 200 + rnd.nextInt(20_000));
            svc.browsers.put(browsers[b].memberId, browsers[b]);
        }
        for (int b = 0; b < POOL; b++) svc.wristbandBuffers.add(new byte[32_768]);
        svc.bus.subscribe(SessionBooked.class, e -> svc.bookings++);
        svc.bus.subscribe(WaiverSigned.class, e -> svc.members.get(((WaiverSigned) e).memberId()));
        Random traffic = new Random(64_050_002);
        PriorityQueue<KioskConnection> closing = new PriorityQueue<>((a, b) -> Long.compare(a.plannedCloseAt, b.plannedCloseAt));
        int[] viewsBy = new int[BROWSERS];
        long kioskSeq = 0;
        for (int i = 0; i < steps; i++) {
            long t = start + (end - MINUTE - start) * i / steps;
            svc.heartbeats.runUntil(t);
            while (!closing.isEmpty() && closing.peek().plannedCloseAt <= t) {
                KioskConnection c = closing.poll();
                svc.heartbeats.cancel(c.heartbeat);
                svc.kiosks.remove(c.id);
                svc.kiosksClosed++;
            }
            for (int v = 0; v < 3; v++) {
                int b = traffic.nextInt(BROWSERS);
                browsers[b].viewed("SES-" + traffic.nextInt(3_000), t);
                viewsBy[b]++;
            }
            String member = memberIds[traffic.nextInt(MEMBERS)];
            String park = parkCodes[traffic.nextInt(PARKS)];
            svc.entries[(int) (svc.entriesWritten % RING)] = new GateEntry(member, park, "WB-" + svc.entriesWritten, t);
            svc.entriesWritten++;
            switch (traffic.nextInt(4)) {
                case 0 -> svc.bus.post(new SessionBooked(member, "SES-" + traffic.nextInt(3_000), t), t);
                case 1 -> svc.bus.post(new WaiverSigned(member, t), t);
                case 2 -> svc.bus.post(new CapacityChanged(park, 40 + traffic.nextInt(200), new byte[40 + traffic.nextInt(40)], t), t);
                default -> svc.format("yyyy-MM-dd HH:mm").format(Instant.ofEpochMilli(t));
            }
            if (i % 8 == 0) {
                KioskConnection c = new KioskConnection(kioskSeq++, park, Long.toHexString(traffic.nextLong()), new byte[512 + traffic.nextInt(512)], t);
                svc.kiosks.put(c.id, c);
                c.heartbeat = svc.heartbeats.schedule(c, t);
                svc.kiosksOpened++;
                c.plannedCloseAt = t + (5 + traffic.nextInt(40)) * MINUTE;
                closing.add(c);
            }
            String key = "session-page-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.wristbandBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.wristbandBuffers.add(buf);
        }
        long listed = 0, expected = 0;
        for (int b = 0; b < BROWSERS; b++) { listed += browsers[b].recentlyViewed.size(); expected += Math.min(viewsBy[b], MAX_RECENT); }
        svc.format("HH:mm");
        System.out.println("stage " + stage + " parks " + PARKS_BY_CODE.size() + " members " + svc.members.size() + " browsers " + svc.browsers.size() + " recently-viewed entries " + listed
                + " bus posted " + svc.bus.posted + " dead " + svc.bus.dead + " recentDead " + svc.bus.recentDead.size() + " kiosks open " + svc.kiosks.size() + " (opened " + svc.kiosksOpened
                + ") heartbeats queued " + svc.heartbeats.queue.size() + " fired " + svc.heartbeats.fired + " formats " + svc.formats.size() + " pages " + svc.pages.size() + " (evicted "
                + svc.pages.evicted + ") entries " + svc.entriesWritten + " pool " + svc.wristbandBuffers.size());
        check(PARKS_BY_CODE.size() == PARKS && svc.members.size() == MEMBERS && svc.browsers.size() == BROWSERS, "reference data / directories");
        check(listed == expected, "recently viewed capped: " + listed);
        check(svc.bus.recentDead.size() == Math.min(DEAD_KEEP, svc.bus.dead) && svc.bus.deadCounts.size() == 1, "dead events bounded");
        check(svc.heartbeats.queue.size() == svc.kiosks.size() && svc.kiosksOpened - svc.kiosksClosed == svc.kiosks.size(), "heartbeats of open kiosks only");
        check(svc.formats.size() == 2, "formatters by pattern");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.wristbandBuffers.size() == POOL, "pool");
        check(svc.entriesWritten == steps, "gate ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
