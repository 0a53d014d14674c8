// hprofscan-dump: name=val91-leak-subtitlestudio jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val91-leak-subtitlestudio-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
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
 * Validation set 91 (written blind), LEAK: the subtitle rendering service of a localisation studio.
 * Font reference data, the title directory, a cache of rendered cue pages at its cap, a pool of
 * render buffers, a ring of finished render jobs, and the long-lived application context
 * ({@code AppContext}: beans, configuration and a {@code LinkedList<Runnable>} of close callbacks).
 * Every render request registers a close callback ({@code WipeBuffers}, a named Runnable holding
 * the request's two temporary heap buffers: the decoded caption bytes and the text) so that a
 * shutdown mid-request scrubs unreleased caption text from memory. The request wipes its buffers
 * itself when it finishes but never unregisters the callback, which runs only at shutdown: the
 * context keeps every request's buffers. See VALIDATION91.md.
 */
public final class Val91LeakSubtitleStudio {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int FONTS = 1_100, TITLES = 22_000, CUE_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10, REQUESTS_PER_HOUR = 300;
    static boolean FIXED;

    record FontFace(String code, String family, int[] advanceWidths) {}
    record Title(String titleId, String name, String language, byte[] metadata, long releasedAt) {}
    record CuePage(String key, byte[] rendered, long at) {}
    /** Simulation only: when a request will finish (not part of the service's heap). */
    record Completion(long at, RenderRequest request) {}
    record FinishedJob(long jobNo, String titleId, int cues, long startedAt, long finishedAt) {}

    /** The application context: lives as long as the process. */
    static final class AppContext {
        final Map<String, Object> beans = new LinkedHashMap<>();
        final Map<String, String> config = new HashMap<>();
        final LinkedList<Runnable> closeCallbacks = new LinkedList<>();
        final long startedAt;
        boolean closed;
        AppContext(long startedAt) { this.startedAt = startedAt; }

        /** Registers a callback run when the context closes (in reverse order of registration). */
        void onClose(Runnable callback) { closeCallbacks.addFirst(callback); }
        boolean removeOnClose(Runnable callback) { return closeCallbacks.remove(callback); }
        void close() { closed = true; for (Runnable r : closeCallbacks) r.run(); closeCallbacks.clear(); }
    }

    /** Scrubs a render request's temporary buffers (unreleased caption text) if the context closes mid-request. */
    static final class WipeBuffers implements Runnable {
        final String requestId;
        final ByteBuffer decoded;
        final CharBuffer text;
        WipeBuffers(String requestId, ByteBuffer decoded, CharBuffer text) { this.requestId = requestId; this.decoded = decoded; this.text = text; }
        @Override public void run() {
            Arrays.fill(decoded.array(), (byte) 0);
            Arrays.fill(text.array(), '\0');
        }
    }

    /** One render request while it runs. */
    static final class RenderRequest {
        final String requestId, titleId;
        final long jobNo, startedAt;
        final ByteBuffer decoded;
        final CharBuffer text;
        final WipeBuffers wipe;
        RenderRequest(long jobNo, String requestId, String titleId, long startedAt, ByteBuffer decoded, CharBuffer text) {
            this.jobNo = jobNo; this.requestId = requestId; this.titleId = titleId; this.startedAt = startedAt;
            this.decoded = decoded; this.text = text; this.wipe = new WipeBuffers(requestId, decoded, text);
        }
    }

    static final class CueCache extends LinkedHashMap<String, CuePage> {
        long evicted;
        CueCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CuePage> e) { if (size() > CUE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, FontFace> FONTS_BY_CODE = new HashMap<>();

    static final class SubtitleService {
        final AppContext context;
        final Map<String, Title> titles = new HashMap<>();
        final CueCache cues = new CueCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final FinishedJob[] finished = new FinishedJob[RING];
        long started, finishedCount, flushed;
        SubtitleService(AppContext context) { this.context = context; }

        RenderRequest begin(String requestId, String titleId, long at, Random r) {
            RenderRequest req = new RenderRequest(started + 1, requestId, titleId, at, ByteBuffer.allocate(512 + r.nextInt(512)), CharBuffer.allocate(128 + r.nextInt(128)));
            context.onClose(req.wipe);
            req.decoded.put((byte) 1);
            req.text.put('W');
            started++;
            return req;
        }

        void finish(RenderRequest req, int cueCount, long at) {
            Arrays.fill(req.decoded.array(), (byte) 0); // the request wipes its own buffers
            Arrays.fill(req.text.array(), '\0');
            if (FIXED) context.removeOnClose(req.wipe);
            // BUG: the close callback stays registered with the context until shutdown
            finished[(int) (finishedCount++ % RING)] = new FinishedJob(req.jobNo, req.titleId, cueCount, req.startedAt, at);
        }
    }

    static AppContext CONTEXT;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(SubtitleService svc, String[] titleIds, long start, long end) {
        Random traffic = new Random(91_040_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        PriorityQueue<Completion> running = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (!running.isEmpty() && running.peek().at() <= t) { Completion c = running.poll(); svc.finish(c.request(), 100 + traffic.nextInt(900), c.at()); }
            String requestId = "rr-" + Long.toString(0x3f00_0000L + i * 104_729L, 36);
            long finishAt = t + 20_000L + traffic.nextInt(280) * 1_000L;
            running.add(new Completion(finishAt, svc.begin(requestId, titleIds[traffic.nextInt(TITLES)], t, traffic)));
            for (int c = 0; c < 6; c++) {
                String key = "cue-" + traffic.nextInt(6_000);
                if (svc.cues.get(key) == null) svc.cues.put(key, new CuePage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        while (!running.isEmpty() && running.peek().at() <= end) { Completion c = running.poll(); svc.finish(c.request(), 100 + traffic.nextInt(900), c.at()); }
        svc.context.beans.put("inFlight", running.stream().map(Completion::request).toArray(RenderRequest[]::new)); // the admin page lists them
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val91.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(91_040_001);
        AppContext ctx = new AppContext(start);
        CONTEXT = ctx;
        for (int k = 0; k < 40; k++) ctx.config.put("subtitle.render.option" + k, Integer.toString(rnd.nextInt(10_000)));
        for (int f = 0; f < FONTS; f++) {
            int[] widths = new int[96];
            for (int k = 0; k < widths.length; k++) widths[k] = 300 + rnd.nextInt(700);
            String code = "FNT-" + (8_000 + f);
            FONTS_BY_CODE.put(code, new FontFace(code, "Family " + (f % 180), widths));
        }
        SubtitleService svc = new SubtitleService(ctx);
        ctx.beans.put("subtitleService", svc);
        ctx.onClose(() -> svc.cues.clear());
        ctx.onClose(() -> svc.renderBuffers.clear());
        ctx.onClose(() -> svc.flushed = svc.finishedCount);
        ctx.onClose(() -> svc.titles.clear());
        String[] titleIds = new String[TITLES];
        String[] languages = {"en", "fr", "de", "es", "it", "ja", "ko", "pt", "nl", "sv"};
        for (int t = 0; t < TITLES; t++) {
            titleIds[t] = "tt" + (1_000_000 + t * 37);
            svc.titles.put(titleIds[t], new Title(titleIds[t], "Title " + t, languages[t % languages.length], new byte[150 + rnd.nextInt(150)], start - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        simulate(svc, titleIds, start, end);
        titleIds = null;
        RenderRequest[] inFlight = (RenderRequest[]) ctx.beans.get("inFlight");
        int wipes = 0;
        for (Runnable r : ctx.closeCallbacks) if (r instanceof WipeBuffers) wipes++;
        System.out.println((FIXED ? "FIXED " : "") + "fonts " + FONTS_BY_CODE.size() + " titles " + svc.titles.size() + " requests " + svc.started + " finished " + svc.finishedCount + " in flight " + inFlight.length
                + " close callbacks " + ctx.closeCallbacks.size() + " (wipe " + wipes + ") cues " + svc.cues.size() + " (evicted " + svc.cues.evicted + ") pool " + svc.renderBuffers.size());
        check(FONTS_BY_CODE.size() == FONTS && svc.titles.size() == TITLES && ctx.config.size() == 40, "reference data / directory");
        check(svc.started == (long) REQUESTS_PER_HOUR * HOURS && svc.started == svc.finishedCount + inFlight.length, "requests");
        if (FIXED) check(wipes == inFlight.length && ctx.closeCallbacks.size() == 4 + inFlight.length, "callbacks of the requests in flight");
        else check(wipes == svc.started && ctx.closeCallbacks.size() == 4 + svc.started, "context keeps every request's callback: " + wipes);
        check(svc.cues.size() == CUE_CAP && svc.cues.evicted > 0, "cue cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.finished[RING - 1] != null, "finished ring");
        check(!ctx.closed, "context open");
        inFlight = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
