// hprofscan-dump: name=val69-healthy-courtreporters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val69-healthy-courtreporters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val69-healthy-courtreporters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val69-healthy-courtreporters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 69 (written blind), HEALTHY: the real-time transcription service of a court
 * reporting agency. Courtroom reference data, the reporter directory, 600 open transcripts each with
 * an undo history trimmed to the last 15 edits, remote-viewer sessions (attorneys following the
 * live transcript) whose heartbeat tasks on a shared ScheduledExecutorService are cancelled when the
 * session ends (remove-on-cancel), a metrics registry tagged by route and status only (the trace id
 * is kept as the series' exemplar), a cache of rendered transcript pages at its cap, a ring of
 * steno-sync events and a pool of audio buffers. Warms up, then plateaus. See VALIDATION69.md.
 */
public final class Val69HealthyCourtReporters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int COURTROOMS = 1_200, REPORTERS = 25_000, TRANSCRIPTS = 600, UNDO_DEPTH = 15, PAGE_CAP = 2_000, POOL = 8, RING = 8_192,
            EDITS_PER_HOUR = 6_000, VIEWERS_PER_HOUR = 1_000, SAMPLES = 8;

    record Courtroom(String code, String courthouse, double[] sittingHoursByWeek) {}
    record Reporter(String reporterId, String name, String certification, byte[] dictionaryProfile, long certifiedAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record SyncEvent(String docketNo, String reporterId, int strokes, long at) {}
    record UndoRecord(long editId, String reporterId, int offset, String replacedText, long at) {}

    static final class Transcript {
        final String docketNo, courtroom;
        final byte[] text;
        int version;
        final List<UndoRecord> undo = new ArrayList<>();
        Transcript(String docketNo, String courtroom, byte[] text) { this.docketNo = docketNo; this.courtroom = courtroom; this.text = text; }
        void applyEdit(UndoRecord r) {
            undo.add(r);
            version++;
            if (undo.size() > UNDO_DEPTH) undo.remove(0); // bounded undo depth
        }
    }

    static final class ViewerContext {
        final String viewerId, attorneyBar, docketNo;
        final Map<String, String> headers = new HashMap<>();
        final byte[] authToken;
        ViewerContext(String viewerId, String attorneyBar, String docketNo, byte[] authToken) { this.viewerId = viewerId; this.attorneyBar = attorneyBar; this.docketNo = docketNo; this.authToken = authToken; }
    }

    static final class ViewerSession {
        final ViewerContext ctx;
        final long closesAt;
        volatile boolean open = true;
        volatile long beats;
        ScheduledFuture<?> heartbeat;
        ViewerSession(ViewerContext ctx, long closesAt) { this.ctx = ctx; this.closesAt = closesAt; }
    }

    static final class Heartbeat implements Runnable {
        final ViewerSession session;
        Heartbeat(ViewerSession session) { this.session = session; }
        @Override public void run() { if (session.open) session.beats++; }
    }

    record SeriesKey(String name, String route, String status) {}

    static final class Series {
        final SeriesKey key;
        final long[] sampleAt = new long[SAMPLES];
        final double[] sampleValue = new double[SAMPLES];
        int next; long count; String exemplarTraceId;
        Series(SeriesKey key) { this.key = key; }
        void record(long at, double v, String traceId) { sampleAt[next] = at; sampleValue[next] = v; next = (next + 1) % SAMPLES; count++; exemplarTraceId = traceId; }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Courtroom> COURTROOMS_BY_CODE = new HashMap<>();

    static final class TranscriptService {
        final Map<String, Reporter> reporters = new HashMap<>();
        final Map<String, Transcript> transcripts = new HashMap<>();
        final Map<String, ViewerSession> viewers = new HashMap<>();
        final PriorityQueue<ViewerSession> expiry = new PriorityQueue<>(Comparator.comparingLong((ViewerSession s) -> s.closesAt));
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        final Map<SeriesKey, Series> series = new HashMap<>();
        final PageCache pages = new PageCache();
        final SyncEvent[] syncRing = new SyncEvent[RING];
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        long syncs, viewersOpened, viewersClosed, requests;

        TranscriptService() { scheduler.setRemoveOnCancelPolicy(true); }

        void openViewer(ViewerSession s) {
            viewers.put(s.ctx.viewerId, s);
            expiry.add(s);
            s.heartbeat = scheduler.scheduleAtFixedRate(new Heartbeat(s), 20, 20, TimeUnit.SECONDS);
            viewersOpened++;
        }

        void closeExpired(long t) {
            while (!expiry.isEmpty() && expiry.peek().closesAt <= t) {
                ViewerSession s = expiry.poll();
                s.open = false;
                s.heartbeat.cancel(false);
                viewers.remove(s.ctx.viewerId);
                viewersClosed++;
            }
        }

        void timer(String route, String status, String traceId, long at, double ms) {
            series.computeIfAbsent(new SeriesKey("http.server.requests", route, status), Series::new).record(at, ms, traceId);
            requests++;
        }
    }

    static TranscriptService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int edits = EDITS_PER_HOUR * hours;
        int viewers = VIEWERS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(69_050_001);
        String[] roomCodes = new String[COURTROOMS];
        for (int c = 0; c < COURTROOMS; c++) {
            double[] h = new double[64];
            for (int k = 0; k < h.length; k++) h[k] = rnd.nextDouble() * 35;
            roomCodes[c] = "CR-" + (c / 40) + "-" + (c % 40);
            COURTROOMS_BY_CODE.put(roomCodes[c], new Courtroom(roomCodes[c], "Courthouse " + (c / 40), h));
        }
        TranscriptService svc = new TranscriptService();
        SERVICE = svc;
        String[] reporterIds = new String[REPORTERS];
        for (int r = 0; r < REPORTERS; r++) {
            reporterIds[r] = "CSR" + (80_000 + r);
            svc.reporters.put(reporterIds[r], new Reporter(reporterIds[r], "Reporter " + r, r % 4 == 0 ? "RMR" : "RPR", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] dockets = new String[TRANSCRIPTS];
        for (int d = 0; d < TRANSCRIPTS; d++) {
            dockets[d] = "2026-CV-" + (10_000 + d * 13);
            svc.transcripts.put(dockets[d], new Transcript(dockets[d], roomCodes[rnd.nextInt(COURTROOMS)], new byte[2_000 + rnd.nextInt(2_000)]));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 4_000) sb.append("Q. And where were you on the evening of the fourteenth? A. I was at home with my sister, I believe. ");
        String steno = sb.toString();
        String[] routes = {"GET /transcripts/{docket}", "GET /transcripts/{docket}/live", "POST /transcripts/{docket}/edits", "GET /reporters/{id}", "POST /exhibits", "GET /exhibits/{id}",
                "POST /viewers", "DELETE /viewers/{id}", "GET /calendar", "GET /courtrooms/{code}", "POST /certify", "GET /invoices/{id}"};
        String[] statuses = {"200", "201", "204", "404", "409"};
        Random traffic = new Random(69_050_002);
        Random viewerTraffic = new Random(69_050_003);
        int perViewer = edits / viewers;
        for (int i = 0; i < edits; i++) {
            long t = start + (end - MINUTE - start) * i / edits;
            svc.closeExpired(t);
            if (i % perViewer == 0) {
                String vid = "view-" + Long.toHexString(0xc0de_0000_0000L + i);
                ViewerContext ctx = new ViewerContext(vid, "BAR" + (100_000 + viewerTraffic.nextInt(50_000)), dockets[viewerTraffic.nextInt(TRANSCRIPTS)], new byte[200 + viewerTraffic.nextInt(200)]);
                ctx.headers.put("User-Agent", "CaseViewer/" + (3 + viewerTraffic.nextInt(3)) + "." + viewerTraffic.nextInt(10));
                ctx.headers.put("X-Request-Id", Long.toHexString(viewerTraffic.nextLong()));
                ctx.headers.put("X-Firm", "Firm " + viewerTraffic.nextInt(900));
                svc.openViewer(new ViewerSession(ctx, t + (20 + viewerTraffic.nextInt(41)) * MINUTE));
            }
            Transcript doc = svc.transcripts.get(dockets[traffic.nextInt(TRANSCRIPTS)]);
            String reporter = reporterIds[traffic.nextInt(REPORTERS)];
            int offset = traffic.nextInt(3_900);
            doc.applyEdit(new UndoRecord(90_000_000L + i, reporter, offset, new String(steno.substring(offset, offset + 10 + traffic.nextInt(50))), t));
            svc.syncRing[(int) (svc.syncs++ % RING)] = new SyncEvent(doc.docketNo, reporter, 1 + traffic.nextInt(400), t);
            String traceId = Long.toHexString(traffic.nextLong()) + Long.toHexString(traffic.nextLong());
            svc.timer(routes[traffic.nextInt(routes.length)], statuses[traffic.nextInt(10) < 7 ? 0 : traffic.nextInt(statuses.length)], traceId, t, 1 + traffic.nextDouble() * 200);
            String key = "page-" + traffic.nextInt(4_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.audioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.audioBuffers.add(buf);
        }
        svc.closeExpired(end);
        long undo = 0; int minDepth = Integer.MAX_VALUE;
        for (Transcript d : svc.transcripts.values()) { undo += d.undo.size(); minDepth = Math.min(minDepth, d.undo.size()); }
        int queued = svc.scheduler.getQueue().size();
        System.out.println("stage " + stage + " courtrooms " + COURTROOMS_BY_CODE.size() + " reporters " + svc.reporters.size() + " transcripts " + svc.transcripts.size() + " undo records " + undo + " (min depth " + minDepth
                + ") viewers live " + svc.viewers.size() + " (opened " + svc.viewersOpened + ", closed " + svc.viewersClosed + ") heartbeats queued " + queued + " series " + svc.series.size() + " (requests " + svc.requests
                + ") sync ring written " + svc.syncs + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.audioBuffers.size());
        check(COURTROOMS_BY_CODE.size() == COURTROOMS && svc.reporters.size() == REPORTERS, "reference data / directory");
        check(svc.transcripts.size() == TRANSCRIPTS && undo <= (long) TRANSCRIPTS * UNDO_DEPTH, "undo bounded: " + undo);
        if (stage > 1) check(undo == (long) TRANSCRIPTS * UNDO_DEPTH, "undo at depth");
        check(svc.viewersOpened == viewers && queued == svc.viewers.size() && svc.viewers.size() == svc.expiry.size(), "heartbeats cancelled: " + queued);
        check(svc.series.size() == routes.length * statuses.length, "series bounded by route x status: " + svc.series.size());
        check(svc.syncs == edits && (edits < RING || svc.syncRing[RING - 1] != null), "sync ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
