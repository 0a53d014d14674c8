// hprofscan-dump: name=val140-leak-horoscopes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val140-leak-horoscopes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val140-leak-horoscopes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val140-leak-horoscopes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 140 (written blind), LEAK growth series: the backend of an astrology app. Every
 * birth-chart, transit or synastry request asks the ephemeris engine for planet positions over
 * RPC. The client keeps its pending calls in a ConcurrentHashMap keyed by a sequential correlation
 * id and removes a call when its reply arrives; a call that times out (about 4%) completes the
 * caller's future with a TimeoutException, but the timeout path forgets to remove the entry, and
 * the late reply, finding the future already done, is dropped without removing it either. Birth
 * cities, the member directory, a horoscope-page LRU at its cap, a pool of chart-render buffers, a
 * ring of recent requests and a push queue with a normal backlog. Stage 1 / 2 / 3 simulate
 * 2 / 4 / 8 hours. See VALIDATION140.md.
 */
public final class Val140LeakHoroscopes {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int CITIES = 1_000, MEMBERS = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 25_000;
    static final long EPHEMERIS_TIMEOUT = 2_500L, PUSH_AFTER = 5 * MINUTE;
    static final String[] SIGNS = {"aries", "taurus", "gemini", "cancer", "leo", "virgo", "libra", "scorpio", "sagittarius", "capricorn", "aquarius", "pisces"};
    static final String[] METHODS = {"NatalPositions", "TransitPositions", "SynastryPositions", "LunarReturn"};
    static final String[] HOUSES = {"placidus", "whole-sign", "koch", "equal"};
    static boolean FIXED;

    record City(String code, String name, double latitude, double longitude, String timeZone, double[] utcOffsetHistory) {}
    record Member(String memberId, String displayName, long bornAt, String sunSign, String birthCity, String houseSystem, byte[] natalProfile, long joinedAt) {}
    record HoroscopePage(String key, byte[] rendered, long renderedAt) {}
    record ChartRequest(long requestId, String memberId, String method, long at) {}
    record PushNote(long noteId, String memberId, String title, long queuedAt) {}
    record Positions(long correlationId, double[] longitudes, long computedAt) {}

    /** One call to the ephemeris engine awaiting its reply, keyed by correlation id. */
    static final class PendingCall {
        final long correlationId; final String method; final String memberId; final byte[] requestFrame; final long sentAt, deadline;
        final CompletableFuture<Positions> future = new CompletableFuture<>();
        PendingCall(long correlationId, String method, String memberId, byte[] requestFrame, long sentAt) {
            this.correlationId = correlationId; this.method = method; this.memberId = memberId; this.requestFrame = requestFrame; this.sentAt = sentAt; this.deadline = sentAt + EPHEMERIS_TIMEOUT;
        }
    }

    /** RPC client of the ephemeris engine. */
    static final class EphemerisClient {
        final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
        final AtomicLong correlationIds = new AtomicLong(81_000_001L);
        long sent, replied, timedOut, lateReplies, unknownReplies;

        PendingCall send(String method, String memberId, byte[] frame, long t) {
            long id = correlationIds.getAndIncrement();
            PendingCall call = new PendingCall(id, method, memberId, frame, t);
            pending.put(id, call);
            sent++;
            return call;
        }

        /** The reader thread's handler of a reply frame. */
        void onReply(long id, double[] longitudes, long t) {
            PendingCall call = pending.get(id);
            if (call == null) { unknownReplies++; return; }
            if (call.future.isDone()) { lateReplies++; return; } // timed out already: drop the late reply
            pending.remove(id);
            replied++;
            call.future.complete(new Positions(id, longitudes, t));
        }

        /** The timer's handler of a call past its deadline. */
        void onTimeout(long id, long t) {
            PendingCall call = pending.get(id);
            if (call == null || call.future.isDone()) return;
            timedOut++;
            call.future.completeExceptionally(new TimeoutException("ephemeris " + call.method + " #" + id + " timed out after " + EPHEMERIS_TIMEOUT + " ms"));
            if (FIXED) pending.remove(id, call);
        }
    }

    static final class PageCache extends LinkedHashMap<String, HoroscopePage> {
        final int capacity; long evicted;
        PageCache(int capacity) { super(4_096, 0.75f, true); this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HoroscopePage> eldest) {
            if (size() > capacity) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, City> CITIES_BY_CODE = new HashMap<>();

    static final class AstroService {
        final Map<String, Member> members = new HashMap<>();
        final String[] memberIds = new String[MEMBERS];
        final PageCache pages = new PageCache(PAGE_CAP);
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final ChartRequest[] recent = new ChartRequest[RING];
        final ArrayDeque<PushNote> pushQueue = new ArrayDeque<>();
        final EphemerisClient ephemeris = new EphemerisClient();
        long requests, pageHits, charts, fallbacks, pushed, notes;

        PendingCall request(Random r, long t) {
            Member m = r.nextInt(4) == 0 && requests > RING ? members.get(recent[r.nextInt(RING)].memberId()) : members.get(memberIds[r.nextInt(MEMBERS)]);
            String method = METHODS[r.nextInt(10) < 6 ? 0 : 1 + r.nextInt(3)];
            recent[(int) (requests++ % RING)] = new ChartRequest(30_000_000L + requests, m.memberId(), method, t);
            String sign = m.sunSign();
            String key = sign + "/" + m.memberId() + "/" + (r.nextBoolean() ? "daily" : "weekly");
            if (pages.get(key) != null) pageHits++;
            else pages.put(key, new HoroscopePage(key, new byte[400 + r.nextInt(400)], t));
            byte[] frame = new byte[300 + r.nextInt(400)];
            frame[0] = (byte) method.length();
            PendingCall call = ephemeris.send(method, m.memberId(), frame, t);
            call.future.whenComplete((p, ex) -> onPositions(call, p, ex));
            if (r.nextInt(12) == 0) pushQueue.addLast(new PushNote(12_000_000L + notes++, m.memberId(), "Your " + sign + " week ahead", t));
            while (!pushQueue.isEmpty() && pushQueue.peekFirst().queuedAt() + PUSH_AFTER <= t) { pushQueue.pollFirst(); pushed++; }
            return call;
        }

        void onPositions(PendingCall call, Positions p, Throwable ex) {
            if (ex != null) { fallbacks++; return; } // the app shows the cached approximate chart
            byte[] buf = renderBuffers.poll();
            buf[(int) (call.correlationId % buf.length)] = (byte) p.longitudes().length;
            renderBuffers.add(buf);
            charts++;
        }
    }

    static AstroService SERVICE;
    static long[] RESULT;

    static final int REPLY = 0, TIMEOUT = 1;
    record Event(long at, long seq, int kind, long id) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(140_020_001L);
        String[] cityCodes = new String[CITIES];
        for (int c = 0; c < CITIES; c++) {
            double[] offsets = new double[64];
            for (int k = 0; k < offsets.length; k++) offsets[k] = -12 + rnd.nextInt(27) + (rnd.nextInt(4) == 0 ? 0.5 : 0);
            cityCodes[c] = "GN" + (2_600_000 + c * 37);
            CITIES_BY_CODE.put(cityCodes[c], new City(cityCodes[c], "City " + c, -60 + rnd.nextDouble() * 120, -180 + rnd.nextDouble() * 360, "Zone/" + (c % 90), offsets));
        }
        AstroService svc = new AstroService();
        SERVICE = svc;
        for (int i = 0; i < MEMBERS; i++) {
            String id = "AM" + (4_400_000 + i * 13);
            svc.memberIds[i] = id;
            long bornAt = now - (long) (6_000 + rnd.nextInt(24_000)) * DAY - rnd.nextInt(86_400) * SECOND;
            svc.members.put(id, new Member(id, "member" + i, bornAt, SIGNS[rnd.nextInt(SIGNS.length)], cityCodes[rnd.nextInt(CITIES)], HOUSES[rnd.nextInt(HOUSES.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);

        PriorityQueue<Event> wire = new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
        long seq = 0;
        Random traffic = new Random(140_020_002L), net = new Random(140_020_003L);
        int requests = REQUESTS_PER_HOUR * hours;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - start) * i / requests;
            while (!wire.isEmpty() && wire.peek().at() <= t) dispatch(svc, wire.poll(), net);
            PendingCall call = svc.request(traffic, t);
            boolean slow = net.nextInt(100) < 4;
            long latency = slow ? EPHEMERIS_TIMEOUT + 500 + net.nextInt(20_000) : 60 + net.nextInt(1_800);
            wire.add(new Event(t + latency, seq++, REPLY, call.correlationId));
            wire.add(new Event(call.deadline, seq++, TIMEOUT, call.correlationId));
        }
        while (!wire.isEmpty() && wire.peek().at() <= end) dispatch(svc, wire.poll(), net);
        long inFlight = wire.stream().filter(e -> e.kind() == REPLY && svc.ephemeris.pending.containsKey(e.id()) && !svc.ephemeris.pending.get(e.id()).future.isDone()).count();
        RESULT = new long[] {inFlight};
    }

    static void dispatch(AstroService svc, Event e, Random net) {
        switch (e.kind()) {
            case REPLY -> {
                double[] longitudes = new double[12];
                for (int k = 0; k < longitudes.length; k++) longitudes[k] = net.nextDouble() * 360;
                svc.ephemeris.onReply(e.id(), longitudes, e.at());
            }
            case TIMEOUT -> svc.ephemeris.onTimeout(e.id(), e.at());
            default -> throw new IllegalStateException("event " + e);
        }
    }

    // stage -> {calls, timed out, late replies dropped, in flight, pending entries (leaking build)}
    static final long[][] EXPECTED = {
        {50_000, 2_001, 1_998, 4, 2_005},
        {100_000, 3_989, 3_987, 5, 3_994},
        {200_000, 8_018, 8_013, 8, 8_026},
    };

    static void report(int stage, int hours) {
        AstroService svc = SERVICE;
        EphemerisClient eph = svc.ephemeris;
        long inFlight = RESULT[0];
        long timedOutInTable = eph.pending.values().stream().filter(c -> c.future.isCompletedExceptionally()).count();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + hours + " h) cities " + CITIES_BY_CODE.size() + " members " + svc.members.size() + " requests " + svc.requests
                + " ephemeris calls " + eph.sent + " replied " + eph.replied + " timed out " + eph.timedOut + " late replies dropped " + eph.lateReplies + " unknown replies " + eph.unknownReplies
                + " in flight " + inFlight + " pending entries " + eph.pending.size() + " (timed out " + timedOutInTable + ")");
        System.out.println("  charts " + svc.charts + " fallbacks " + svc.fallbacks + " pages " + svc.pages.size() + " (hits " + svc.pageHits + ", evicted " + svc.pages.evicted + ") pool " + svc.renderBuffers.size()
                + " push notes " + svc.notes + " pushed " + svc.pushed + " backlog " + svc.pushQueue.size());
        check(CITIES_BY_CODE.size() == CITIES && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * hours && eph.sent == svc.requests, "traffic");
        check(eph.sent == eph.replied + eph.timedOut + inFlight, "every call replied, timed out or in flight");
        check(svc.charts == eph.replied && svc.fallbacks == eph.timedOut, "callers completed");
        check(inFlight > 0 && inFlight <= 20, "a handful in flight: " + inFlight);
        if (FIXED) check(eph.pending.size() == inFlight && eph.lateReplies == 0, "fixed: only the calls in flight");
        else check(eph.pending.size() == inFlight + eph.timedOut && timedOutInTable == eph.timedOut && eph.unknownReplies == 0, "every timed-out call still pending");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page LRU at its cap");
        check(svc.renderBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.notes - svc.pushed == svc.pushQueue.size(), "push queue");
        long[] exp = EXPECTED[stage - 1];
        long[] got = {eph.sent, eph.timedOut, FIXED ? exp[2] : eph.lateReplies, inFlight, FIXED ? exp[4] : eph.pending.size()};
        for (int k = 0; k < got.length; k++) check(exp[k] < 0 || exp[k] == got[k], "stage " + stage + " count " + k + ": " + got[k] + " != " + exp[k]);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val140.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        RESULT = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
