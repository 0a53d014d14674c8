// hprofscan-dump: name=val141-leak-billboards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val141-leak-billboards-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 141 (written blind), LEAK: the booking API of a digital billboard (out-of-home
 * screen) network, where media buyers book ad slots on roadside and station screens. A request
 * filter resolves each authenticated request's metadata (advertiser account, roles, a snapshot of
 * the rate card, locale) once and caches it in a static {@code WeakHashMap<RequestContext,
 * RequestMetadata>}, meant to forget a request as soon as its context is dropped. But
 * {@code RequestMetadata.context} points back at the context (for the audit line written when the
 * request completes), so no key ever becomes weakly reachable: every authenticated request since
 * start stays. Ordinary components beside it: screen reference data, the campaign directory, a
 * cache of availability grids at its cap, a pool of creative-upload buffers, an audit ring, the
 * requests in flight and the playout backlog. 10 simulated hours. See VALIDATION141.md.
 */
public final class Val141LeakBillboards {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SCREENS = 1_100, CAMPAIGNS = 16_000, GRID_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_MINUTE = 17, HOURS = 10, PLAYOUT_LAG_MINUTES = 2;
    static final String[] AGENTS = {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15", "okhttp/4.12.0", "python-requests/2.31.0",
            "MediaBuyDesk/7.3.1 (+https://buydesk.example)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36", "PostmanRuntime/7.37.3"};
    static final String[] LOCALES = {"en-GB", "en-GB", "en-IE", "fr-FR", "de-DE", "nl-NL", "es-ES"};
    static final String[] FORMATS = {"D6", "D48", "roadside-6x3", "station-portrait", "mall-landscape", "bus-shelter", "transvision"};
    static boolean FIXED;

    record Screen(String screenId, String site, String format, int widthPx, int heightPx, double[] audienceByQuarterHour) {}
    record Campaign(String campaignId, String advertiser, String format, byte[] creativeSpec, long flightStart, long flightEnd) {}
    record AvailabilityGrid(String key, byte[] grid, long builtAt) {}
    record AuditLine(String requestId, String method, String path, int status, String advertiser, long at) {}
    record PlayoutInstruction(String screenId, String campaignId, int spotsPerHour, long queuedAt) {}

    /** What the web layer creates for each request. */
    static final class RequestContext {
        final String requestId, method, path, clientIp;
        final Map<String, String> headers;
        final long receivedAt, completesAt;
        RequestContext(String requestId, String method, String path, String clientIp, Map<String, String> headers, long receivedAt, long completesAt) {
            this.requestId = requestId; this.method = method; this.path = path; this.clientIp = clientIp; this.headers = headers; this.receivedAt = receivedAt; this.completesAt = completesAt;
        }
    }

    /** Resolved once per authenticated request. */
    static final class RequestMetadata {
        final RequestContext context; // BUG: the back-pointer keeps the WeakHashMap key strongly reachable
        final String requestId;       // the fix keeps only this
        final String advertiser, locale;
        final String[] roles;
        final byte[] rateCardSnapshot;
        final long resolvedAt;
        RequestMetadata(RequestContext context, String advertiser, String locale, String[] roles, byte[] rateCardSnapshot, long resolvedAt) {
            this.context = FIXED ? null : context;
            this.requestId = context.requestId;
            this.advertiser = advertiser; this.locale = locale; this.roles = roles; this.rateCardSnapshot = rateCardSnapshot; this.resolvedAt = resolvedAt;
        }
    }

    /** The request filter: resolves and caches metadata per request context. */
    static final class RequestMetadataFilter {
        static final Map<RequestContext, RequestMetadata> CACHE = new WeakHashMap<>();
        static long resolved, anonymous;

        static RequestMetadata metadataFor(RequestContext ctx, Random r) {
            String auth = ctx.headers.get("Authorization");
            if (auth == null) { anonymous++; return null; }
            RequestMetadata md = CACHE.get(ctx);
            if (md == null) {
                int account = Integer.parseInt(auth.substring(auth.length() - 4), 16) % 900;
                String[] roles = account % 7 == 0 ? new String[] {"buyer", "approver", "finance"} : account % 3 == 0 ? new String[] {"buyer", "approver"} : new String[] {"buyer"};
                md = new RequestMetadata(ctx, "ADV-" + (40_000 + account), LOCALES[account % LOCALES.length], roles, new byte[200 + r.nextInt(200)], ctx.receivedAt);
                CACHE.put(ctx, md);
                resolved++;
            }
            return md;
        }
    }

    static final Map<String, Screen> SCREENS_BY_ID = new HashMap<>();

    static final class GridCache extends LinkedHashMap<String, AvailabilityGrid> {
        long evicted;
        GridCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AvailabilityGrid> e) { if (size() > GRID_CAP) { evicted++; return true; } return false; }
    }

    static final class BookingApi {
        final Map<String, Campaign> campaigns = new HashMap<>();
        final String[] campaignIds = new String[CAMPAIGNS];
        final String[] screenIds = new String[SCREENS];
        final GridCache grids = new GridCache();
        final ArrayDeque<byte[]> creativeBuffers = new ArrayDeque<>();
        final AuditLine[] audit = new AuditLine[RING];
        final Map<String, RequestContext> inFlight = new HashMap<>();
        final ArrayDeque<PlayoutInstruction> playout = new ArrayDeque<>();
        long requests, completed, auditCount, gridBuilds, gridHits, uploads, bookings, playoutSent;

        void receive(RequestContext ctx, Random r) {
            inFlight.put(ctx.requestId, ctx);
            RequestMetadata md = RequestMetadataFilter.metadataFor(ctx, r);
            requests++;
            if (ctx.path.endsWith("/availability")) {
                String key = ctx.path.substring(12, ctx.path.length() - 13) + "/w" + r.nextInt(12);
                if (grids.get(key) != null) gridHits++;
                else { grids.put(key, new AvailabilityGrid(key, new byte[400 + r.nextInt(400)], ctx.receivedAt)); gridBuilds++; }
            } else if (ctx.path.endsWith("/creative")) {
                byte[] buf = creativeBuffers.poll();
                buf[(int) (ctx.receivedAt % buf.length)] = (byte) ctx.path.length();
                creativeBuffers.add(buf);
                uploads++;
            } else if (ctx.path.endsWith("/bookings") && md != null) {
                playout.addLast(new PlayoutInstruction(screenIds[r.nextInt(SCREENS)], ctx.path.substring(14, 24), 4 + r.nextInt(20), ctx.receivedAt));
                bookings++;
            }
        }

        void complete(RequestContext ctx) {
            inFlight.remove(ctx.requestId);
            RequestMetadata md = RequestMetadataFilter.CACHE.get(ctx);
            audit[(int) (auditCount++ % RING)] = new AuditLine(ctx.requestId, ctx.method, ctx.path, 200, md == null ? "anonymous" : md.advertiser, ctx.completesAt);
            completed++;
        }
    }

    static BookingApi SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static RequestContext newRequest(BookingApi api, Random r, long at, int seq) {
        int kind = r.nextInt(20);
        String screen = api.screenIds[r.nextInt(SCREENS)];
        String campaign = api.campaignIds[r.nextInt(CAMPAIGNS)];
        String method, path;
        long latency;
        if (kind < 7) { method = "GET"; path = "/v2/screens/" + screen + "/availability"; latency = 80 + r.nextInt(400); }
        else if (kind < 11) { method = "POST"; path = "/v2/campaigns/" + campaign + "/bookings"; latency = 150 + r.nextInt(700); }
        else if (kind < 13) { method = "PUT"; path = "/v2/campaigns/" + campaign + "/creative"; latency = 900 + r.nextInt(4_000); }
        else if (kind < 16) { method = "GET"; path = "/v2/campaigns/" + campaign + "/proof-of-play?format=csv"; latency = 30_000 + r.nextInt(210_000); }
        else if (kind < 18) { method = "GET"; path = "/v2/screens/" + screen + "/playout-status?wait=90"; latency = 30_000 + r.nextInt(60_000); }
        else { method = "GET"; path = "/v2/campaigns/" + campaign; latency = 60 + r.nextInt(200); }
        String requestId = "req-" + Long.toHexString(0x5b1c_0000_0000L + seq * 7_919L);
        String ip = "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
        Map<String, String> headers = new HashMap<>();
        headers.put("User-Agent", AGENTS[r.nextInt(AGENTS.length)]);
        headers.put("Accept", "application/json");
        headers.put("X-Request-Id", requestId);
        headers.put("X-Forwarded-For", ip + ", 172.16.0." + (1 + r.nextInt(8)));
        if (!method.equals("GET")) headers.put("Content-Type", method.equals("PUT") ? "application/octet-stream" : "application/json");
        if (method.equals("POST")) headers.put("Idempotency-Key", "idem-" + Long.toHexString(r.nextLong()));
        if (r.nextInt(100) < 86) headers.put("Authorization", "Bearer tok_" + Long.toHexString(0x7a00_0000_0000L + r.nextInt(1 << 20) * 65_537L));
        headers.put("Accept-Language", LOCALES[r.nextInt(LOCALES.length)]);
        return new RequestContext(requestId, method, path, ip, headers, at, at + latency);
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(141_020_001);
        String[] sites = {"A40 Westway", "M8 Charing Cross", "Piccadilly station", "Bull Ring", "Cabot Circus", "Leeds City station", "A38 Aston Expressway", "Cardiff Queen St"};
        BookingApi api = new BookingApi();
        SERVICE = api;
        for (int s = 0; s < SCREENS; s++) {
            double[] a = new double[96];
            for (int j = 0; j < a.length; j++) a[j] = rnd.nextDouble() * 12_000;
            String format = FORMATS[rnd.nextInt(FORMATS.length)];
            api.screenIds[s] = "DS-" + (60_000 + s * 13);
            SCREENS_BY_ID.put(api.screenIds[s], new Screen(api.screenIds[s], sites[s % sites.length] + " #" + (1 + s / sites.length), format, 1_080 + 120 * rnd.nextInt(8), 1_920, a));
        }
        for (int c = 0; c < CAMPAIGNS; c++) {
            api.campaignIds[c] = "CMP-" + (310_000 + c);
            long flightStart = now - (long) (rnd.nextInt(120)) * DAY;
            api.campaigns.put(api.campaignIds[c], new Campaign(api.campaignIds[c], "ADV-" + (40_000 + rnd.nextInt(900)), FORMATS[rnd.nextInt(FORMATS.length)],
                    new byte[150 + rnd.nextInt(150)], flightStart, flightStart + (long) (7 + rnd.nextInt(54)) * DAY));
        }
        for (int b = 0; b < POOL; b++) api.creativeBuffers.add(new byte[65_536]);

        Random traffic = new Random(141_020_002), handling = new Random(141_020_003);
        PriorityQueue<RequestContext> running = new PriorityQueue<>((a, b) -> Long.compare(a.completesAt, b.completesAt));
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                long at = t + k * (MINUTE / REQUESTS_PER_MINUTE);
                while (!running.isEmpty() && running.peek().completesAt <= at) api.complete(running.poll());
                RequestContext ctx = newRequest(api, traffic, at, seq++);
                api.receive(ctx, handling);
                running.add(ctx);
            }
            while (!api.playout.isEmpty() && api.playout.peekFirst().queuedAt() <= t - PLAYOUT_LAG_MINUTES * MINUTE) {
                api.playout.pollFirst();
                api.playoutSent++;
            }
        }
        while (!running.isEmpty() && running.peek().completesAt <= end) api.complete(running.poll());
    }

    /** Lets the GC clear the keys of the completed requests (when nothing else holds them) and the map expunge them. */
    static int settleCache(int expected) throws InterruptedException {
        int size = RequestMetadataFilter.CACHE.size();
        for (int i = 0; i < 200 && size != expected; i++) {
            System.gc();
            Thread.sleep(20);
            size = RequestMetadataFilter.CACHE.size();
        }
        return size;
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val141.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() throws InterruptedException {
        BookingApi api = SERVICE;
        int inFlightAuthed = 0;
        for (RequestContext ctx : api.inFlight.values()) if (ctx.headers.containsKey("Authorization")) inFlightAuthed++;
        int expected = FIXED ? inFlightAuthed : (int) RequestMetadataFilter.resolved;
        int cached = settleCache(expected);
        System.out.println((FIXED ? "FIXED " : "") + "screens " + SCREENS_BY_ID.size() + " campaigns " + api.campaigns.size() + " requests " + api.requests + " completed " + api.completed
                + " in flight " + api.inFlight.size() + " (authenticated " + inFlightAuthed + ") metadata resolved " + RequestMetadataFilter.resolved + " anonymous " + RequestMetadataFilter.anonymous
                + " cache " + cached + " grids " + api.grids.size() + " (builds " + api.gridBuilds + ", hits " + api.gridHits + ", evicted " + api.grids.evicted + ") uploads " + api.uploads
                + " pool " + api.creativeBuffers.size() + " bookings " + api.bookings + " playout backlog " + api.playout.size() + " (sent " + api.playoutSent + ") audit " + api.auditCount);
        check(SCREENS_BY_ID.size() == SCREENS && api.campaigns.size() == CAMPAIGNS, "reference data / directory");
        check(api.requests == (long) REQUESTS_PER_MINUTE * 60 * HOURS && api.requests == api.completed + api.inFlight.size(), "requests");
        check(RequestMetadataFilter.resolved + RequestMetadataFilter.anonymous == api.requests, "filter");
        check(cached == expected, "metadata cache " + cached + " != " + expected);
        check(api.grids.size() == GRID_CAP && api.grids.evicted > 0 && api.creativeBuffers.size() == POOL, "grid cache at cap / pool");
        check(api.audit[RING - 1] != null && api.playout.size() > 0 && api.bookings == api.playoutSent + api.playout.size(), "audit ring / playout backlog");
        check(RequestMetadataFilter.resolved == 8_738 && api.inFlight.size() == 8 && inFlightAuthed == 8 && api.bookings == 1_765, "expected counts: resolved " + RequestMetadataFilter.resolved + " in flight " + api.inFlight.size());
    }
}
