// hprofscan-dump: name=val91-healthy-planetarium jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val91-healthy-planetarium-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 91 (written blind), HEALTHY: the visitor service of a city planetarium. Show-segment
 * reference data, the ticket directory, a cache of rendered seat maps at its cap, a pool of dome
 * frame buffers, a ring of gate scans, a WebSocket-style registry of the companion app's live
 * sessions during shows (keyed by session id, the disconnect handler removes the session id: only
 * open sessions remain), and the application context whose per-request close callbacks (holding the
 * request's narration buffers) are unregistered when the request finishes (only component callbacks
 * and those of requests in flight remain). See VALIDATION91.md.
 */
public final class Val91HealthyPlanetarium {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SEGMENTS = 1_500, TICKETS = 25_000, SEATMAP_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10;
    static final int CONNECTS_PER_HOUR = 2_400, REQUESTS_PER_HOUR = 900, SCANS_PER_HOUR = 6_000;

    record ShowSegment(String code, String title, double[] domeBrightness) {}
    record Ticket(String ticketNo, String show, String seat, byte[] guestRecord, long purchasedAt) {}
    record SeatMap(String key, byte[] rendered, long at) {}
    /** Simulation only: when a session drops or a request finishes (not part of the service's heap). */
    record Due<T>(long at, T item) {}
    record GateScan(String ticketNo, String gate, long at) {}

    /** A companion-app connection (star finder synced to the dome) during a show. */
    static final class AppSession {
        final String id, visitorId, remoteAddr;
        final long connectedAt;
        long closedAt;
        boolean open = true;
        final byte[] syncWindow;
        final ArrayDeque<String> outbox = new ArrayDeque<>(4);
        AppSession(String id, String visitorId, String remoteAddr, long connectedAt, byte[] syncWindow) {
            this.id = id; this.visitorId = visitorId; this.remoteAddr = remoteAddr; this.connectedAt = connectedAt; this.syncWindow = syncWindow;
        }
    }

    static final class SessionRegistry {
        final Map<String, AppSession> sessions = new HashMap<>(); // session id -> session
        final Map<String, AppSession> byVisitor = new HashMap<>();
        long opened, closed;
        void onOpen(AppSession s) { sessions.put(s.id, s); byVisitor.put(s.visitorId, s); opened++; }
        void onDisconnect(String sessionId, String visitorId, long at) {
            AppSession s = sessions.remove(sessionId);
            s.open = false;
            s.closedAt = at;
            s.outbox.clear();
            byVisitor.remove(visitorId);
            closed++;
        }
    }

    /** The application context: lives as long as the process. */
    static final class AppContext {
        final Map<String, Object> beans = new LinkedHashMap<>();
        final Map<String, String> config = new HashMap<>();
        final LinkedList<Runnable> closeCallbacks = new LinkedList<>();
        boolean closed;
        void onClose(Runnable callback) { closeCallbacks.addFirst(callback); }
        boolean removeOnClose(Runnable callback) { return closeCallbacks.remove(callback); }
    }

    /** Scrubs a narration request's buffers if the context closes mid-request. */
    static final class WipeNarration implements Runnable {
        final String requestId;
        final ByteBuffer audioHeader;
        final CharBuffer script;
        WipeNarration(String requestId, ByteBuffer audioHeader, CharBuffer script) { this.requestId = requestId; this.audioHeader = audioHeader; this.script = script; }
        @Override public void run() { Arrays.fill(audioHeader.array(), (byte) 0); Arrays.fill(script.array(), '\0'); }
    }

    static final class NarrationRequest {
        final String requestId, language;
        final long startedAt;
        final WipeNarration wipe;
        NarrationRequest(String requestId, String language, long startedAt, WipeNarration wipe) {
            this.requestId = requestId; this.language = language; this.startedAt = startedAt; this.wipe = wipe;
        }
    }

    static final class SeatMapCache extends LinkedHashMap<String, SeatMap> {
        long evicted;
        SeatMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMap> e) { if (size() > SEATMAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ShowSegment> SEGMENTS_BY_CODE = new HashMap<>();

    static final class VisitorService {
        final AppContext context;
        final Map<String, Ticket> tickets = new HashMap<>();
        final SessionRegistry registry = new SessionRegistry();
        final SeatMapCache seatMaps = new SeatMapCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        long scansWritten, narrationsStarted, narrationsFinished;
        VisitorService(AppContext context) { this.context = context; }
    }

    static AppContext CONTEXT;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(VisitorService svc, String[] ticketNos, long start, long end) {
        Random traffic = new Random(91_060_002);
        String[] languages = {"en", "fr", "de", "es", "zh", "ja"};
        String[] gates = {"North", "South", "Dome A", "Dome B"};
        int steps = SCANS_PER_HOUR * HOURS;
        PriorityQueue<Due<AppSession>> dropping = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        PriorityQueue<Due<NarrationRequest>> running = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        int connects = 0, requests = 0;
        for (int i = 0; i < steps; i++) {
            long t = start + (end - MINUTE - start) * i / steps;
            while (!dropping.isEmpty() && dropping.peek().at() <= t) { Due<AppSession> d = dropping.poll(); svc.registry.onDisconnect(d.item().id, d.item().visitorId, d.at()); }
            while (!running.isEmpty() && running.peek().at() <= t) {
                NarrationRequest r = running.poll().item();
                Arrays.fill(r.wipe.audioHeader.array(), (byte) 0);
                Arrays.fill(r.wipe.script.array(), '\0');
                svc.context.removeOnClose(r.wipe);
                svc.narrationsFinished++;
            }
            svc.scans[(int) (svc.scansWritten++ % RING)] = new GateScan(ticketNos[traffic.nextInt(TICKETS)], gates[traffic.nextInt(gates.length)], t);
            if (i % 5 < 2) { // 2 connects in 5 steps (2,400 an hour)
                String visitor;
                do { visitor = ticketNos[traffic.nextInt(TICKETS)]; } while (svc.registry.byVisitor.containsKey(visitor));
                AppSession s = new AppSession("app-" + Long.toHexString(0x6b00_0000_0000L + connects * 6_151L), visitor, "172.16." + (connects >> 8 & 255) + "." + (connects & 255),
                        t, new byte[256 + traffic.nextInt(256)]);
                connects++;
                svc.registry.onOpen(s);
                dropping.add(new Due<>(t + (5 + traffic.nextInt(56)) * MINUTE, s));
            }
            if (i % 20 < 3) { // 3 narration requests in 20 steps (900 an hour)
                String requestId = "nr-" + Long.toString(0x2e00_0000L + requests * 7_727L, 36);
                WipeNarration wipe = new WipeNarration(requestId, ByteBuffer.allocate(512 + traffic.nextInt(512)), CharBuffer.allocate(128 + traffic.nextInt(128)));
                requests++;
                svc.context.onClose(wipe);
                svc.narrationsStarted++;
                String language = languages[traffic.nextInt(languages.length)];
                running.add(new Due<>(t + 15_000L + traffic.nextInt(240) * 1_000L, new NarrationRequest(requestId, language, t, wipe)));
            }
            String key = "seats-" + traffic.nextInt(5_000);
            if (svc.seatMaps.get(key) == null) svc.seatMaps.put(key, new SeatMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.frameBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.frameBuffers.add(buf);
        }
        while (!dropping.isEmpty() && dropping.peek().at() <= end) { Due<AppSession> d = dropping.poll(); svc.registry.onDisconnect(d.item().id, d.item().visitorId, d.at()); }
        while (!running.isEmpty() && running.peek().at() <= end) {
            NarrationRequest r = running.poll().item();
            svc.context.removeOnClose(r.wipe);
            svc.narrationsFinished++;
        }
        svc.context.beans.put("narrationsInFlight", running.stream().map(Due::item).toArray(NarrationRequest[]::new));
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(91_060_001);
        AppContext ctx = new AppContext();
        CONTEXT = ctx;
        for (int k = 0; k < 30; k++) ctx.config.put("planetarium.option" + k, Integer.toString(rnd.nextInt(10_000)));
        for (int g = 0; g < SEGMENTS; g++) {
            double[] brightness = new double[72];
            for (int k = 0; k < brightness.length; k++) brightness[k] = rnd.nextDouble();
            String code = "SEG-" + (4_000 + g);
            SEGMENTS_BY_CODE.put(code, new ShowSegment(code, "Segment " + g, brightness));
        }
        VisitorService svc = new VisitorService(ctx);
        ctx.beans.put("visitorService", svc);
        ctx.onClose(() -> svc.seatMaps.clear());
        ctx.onClose(() -> svc.frameBuffers.clear());
        ctx.onClose(() -> svc.registry.sessions.clear());
        ctx.onClose(() -> svc.tickets.clear());
        String[] ticketNos = new String[TICKETS];
        String[] shows = {"Cosmic Dawn", "Black Holes", "Aurora", "Mars Today", "Starry Night"};
        for (int t = 0; t < TICKETS; t++) {
            ticketNos[t] = "PT" + (5_500_000 + t * 7);
            svc.tickets.put(ticketNos[t], new Ticket(ticketNos[t], shows[t % shows.length], "R" + (t % 24) + "-S" + (t % 40), new byte[150 + rnd.nextInt(150)], start - (long) rnd.nextInt(90) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        simulate(svc, ticketNos, start, end);
        ticketNos = null;
        NarrationRequest[] inFlight = (NarrationRequest[]) ctx.beans.get("narrationsInFlight");
        int wipes = 0;
        for (Runnable r : ctx.closeCallbacks) if (r instanceof WipeNarration) wipes++;
        SessionRegistry reg = svc.registry;
        long open = 0;
        for (AppSession s : reg.sessions.values()) if (s.open) open++;
        System.out.println("segments " + SEGMENTS_BY_CODE.size() + " tickets " + svc.tickets.size() + " sessions " + reg.sessions.size() + " (open " + open + ", opened " + reg.opened + ", closed " + reg.closed + ") narrations "
                + svc.narrationsStarted + " (finished " + svc.narrationsFinished + ", in flight " + inFlight.length + ") close callbacks " + ctx.closeCallbacks.size() + " (wipe " + wipes + ") seat maps " + svc.seatMaps.size()
                + " (evicted " + svc.seatMaps.evicted + ") pool " + svc.frameBuffers.size() + " scans " + svc.scansWritten);
        check(SEGMENTS_BY_CODE.size() == SEGMENTS && svc.tickets.size() == TICKETS, "reference data / directory");
        check(reg.opened == (long) CONNECTS_PER_HOUR * HOURS && reg.sessions.size() == reg.opened - reg.closed && open == reg.sessions.size() && reg.byVisitor.size() == reg.sessions.size(), "only open sessions");
        check(svc.narrationsStarted == (long) REQUESTS_PER_HOUR * HOURS && svc.narrationsStarted == svc.narrationsFinished + inFlight.length, "narrations");
        check(wipes == inFlight.length && ctx.closeCallbacks.size() == 4 + inFlight.length, "callbacks of requests in flight");
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.scansWritten == (long) SCANS_PER_HOUR * HOURS && svc.scans[RING - 1] != null, "scan ring");
        inFlight = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
