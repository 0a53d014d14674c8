// hprofscan-dump: name=val92-leak-signinterpreters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val92-leak-signinterpreters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Validation set 92 (written blind), LEAK: the booking API of a sign-language interpreting
 * agency. Venue reference data, the interpreter and client directories, a cache of rendered booking
 * confirmations at its cap, a pool of video-relay buffers, a ring of recent bookings, and a fixed
 * pool of 6 worker threads (striped by request id: one single-thread executor per stripe, threads
 * {@code booking-worker-0..5}, alive for the life of the process). Every request runs through
 * {@code RequestContextFilter}, whose (instance, not static) {@code ThreadLocal<Map<String,
 * Object>> context} is the request context of the worker thread: the filter stores the request's
 * attributes under a per-request key {@code "req:" + requestId} and never removes them (no
 * {@code remove} / {@code clear} in a {@code finally}), so each worker's map keeps the attributes of
 * every request it ever served. See VALIDATION92.md.
 */
public final class Val92LeakSignInterpreters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOURS = 10, VENUES = 1_000, INTERPRETERS = 20_000, CONFIRMATION_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 6, REQUESTS = 36_000, CLIENTS = 9_000;
    static boolean FIXED;

    record Venue(String code, String kind, double[] demandByWeek) {}
    record Client(String id, String organisation, byte[] accessNeeds, long registeredAt) {}
    record Interpreter(String registration, String languagePair, String region, byte[] certification, long certifiedAt) {}
    record Confirmation(String key, byte[] rendered, long at) {}
    record Booking(long requestId, String interpreter, String venueCode, long from, long until) {}
    record BookingRequest(long requestId, String clientId, String tenant, String locale, String venueCode, long at, long durationMs) {}
    /** What the filter stores per request in the thread's context. */
    record RequestAttributes(long requestId, String clientId, String tenant, String locale, long deadline, byte[] bodyDigest) {}

    static final class RequestContextFilter {
        final ThreadLocal<Map<String, Object>> context = ThreadLocal.withInitial(HashMap::new);
        void handle(BookingRequest r, BookingHandler next) {
            Map<String, Object> ctx = context.get();
            String key = "req:" + r.requestId();
            byte[] digest = new byte[32];
            for (int k = 0; k < digest.length; k++) digest[k] = (byte) (r.requestId() * 31 + k);
            ctx.put(key, new RequestAttributes(r.requestId(), r.clientId(), r.tenant(), r.locale(), r.at() + 30_000, digest));
            ctx.put("worker.name", Thread.currentThread().getName());
            ctx.put("worker.current", key);
            try {
                next.handle(r, ctx);
            } finally {
                ctx.put("worker.current", "idle");
                if (FIXED) ctx.remove(key); // fix: the request's attributes leave with the request
                // BUG: nothing removes ctx[key]; the pooled thread keeps it for ever
            }
        }
    }

    interface BookingHandler { void handle(BookingRequest r, Map<String, Object> ctx); }

    static final class ConfirmationCache extends LinkedHashMap<String, Confirmation> {
        long evicted;
        ConfirmationCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Confirmation> e) { if (size() > CONFIRMATION_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class BookingServer {
        final Map<String, Interpreter> interpreters = new HashMap<>();
        final Map<String, Client> clients = new HashMap<>();
        final ConfirmationCache confirmations = new ConfirmationCache();
        final ArrayDeque<byte[]> relayBuffers = new ArrayDeque<>();
        final Booking[] recent = new Booking[RING];
        final RequestContextFilter filter = new RequestContextFilter();
        final ExecutorService[] workers = new ExecutorService[WORKERS];
        String[] registrations;
        long bookings;

        /** Runs on a worker thread. */
        void book(BookingRequest r, Map<String, Object> ctx, int pick, int confirmationSize) {
            if (!ctx.containsKey("req:" + r.requestId())) throw new IllegalStateException("no request context");
            String reg = registrations[pick];
            recent[(int) (bookings++ % RING)] = new Booking(r.requestId(), reg, r.venueCode(), r.at() + 2 * HOUR, r.at() + 2 * HOUR + r.durationMs());
            String key = "conf-" + r.venueCode() + "-" + (pick % 4);
            if (confirmations.get(key) == null) confirmations.put(key, new Confirmation(key, new byte[confirmationSize], r.at()));
            byte[] buf = relayBuffers.poll();
            buf[(int) (r.requestId() % buf.length)] = (byte) r.requestId();
            relayBuffers.add(buf);
        }
    }

    static BookingServer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val92.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(92_030_001);
        String[] venueCodes = new String[VENUES];
        String[] venueKinds = {"Hospital", "Magistrates court", "University", "Job centre", "GP surgery"};
        for (int v = 0; v < VENUES; v++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 30;
            venueCodes[v] = "VEN-" + (8_000 + v);
            VENUES_BY_CODE.put(venueCodes[v], new Venue(venueCodes[v], venueKinds[v % venueKinds.length], demand));
        }
        BookingServer svc = new BookingServer();
        SERVICE = svc;
        svc.registrations = new String[INTERPRETERS];
        String[] pairs = {"BSL-English", "ISL-English", "ASL-English", "BSL-Welsh", "Deafblind manual"};
        for (int n = 0; n < INTERPRETERS; n++) {
            svc.registrations[n] = "SLI-" + (300_000 + n * 3);
            svc.interpreters.put(svc.registrations[n], new Interpreter(svc.registrations[n], pairs[n % pairs.length], "Region " + (n % 12), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        String[] clientIds = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "CL-" + (70_000 + c);
            svc.clients.put(clientIds[c], new Client(clientIds[c], "Organisation " + (c % 700), new byte[100 + rnd.nextInt(100)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.relayBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) {
            String name = "booking-worker-" + w;
            svc.workers[w] = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
        }
        String[] tenants = {"nhs-trust-north", "nhs-trust-south", "courts-service", "university-group", "council-services", "private"};
        String[] locales = {"en-GB", "cy-GB", "en-IE"};
        Random traffic = new Random(92_030_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            long id = 44_000_000L + i;
            BookingRequest r = new BookingRequest(id, clientIds[traffic.nextInt(CLIENTS)], tenants[traffic.nextInt(tenants.length)], locales[traffic.nextInt(locales.length)],
                    venueCodes[traffic.nextInt(VENUES)], t, (1 + traffic.nextInt(4)) * 30 * MINUTE);
            int pick = traffic.nextInt(INTERPRETERS);
            int confSize = 500 + traffic.nextInt(500);
            svc.workers[(int) (id % WORKERS)].submit(() -> svc.filter.handle(r, (req, ctx) -> svc.book(req, ctx, pick, confSize))).get();
        }
        venueCodes = null; venueKinds = null; pairs = null; clientIds = null; tenants = null; locales = null; // only the service's structures stay reachable
        // Inspect each worker's context from its own thread.
        int[] contextSizes = new int[WORKERS];
        long reqKeys = 0;
        for (int w = 0; w < WORKERS; w++) {
            Map<String, Object> ctx = svc.workers[w].submit(() -> svc.filter.context.get()).get();
            contextSizes[w] = ctx.size();
            for (String k : ctx.keySet()) if (k.startsWith("req:")) reqKeys++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "venues " + VENUES_BY_CODE.size() + " interpreters " + svc.interpreters.size() + " clients " + svc.clients.size() + " requests " + REQUESTS + " bookings " + svc.bookings
                + " context sizes " + java.util.Arrays.toString(contextSizes) + " req keys " + reqKeys + " confirmations " + svc.confirmations.size() + " (evicted " + svc.confirmations.evicted + ") pool " + svc.relayBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.interpreters.size() == INTERPRETERS && svc.clients.size() == CLIENTS, "reference data / directories");
        check(svc.bookings == REQUESTS && svc.recent[RING - 1] != null, "booking ring");
        for (int w = 0; w < WORKERS; w++) check(contextSizes[w] == (FIXED ? 2 : 2 + REQUESTS / WORKERS), "context of worker " + w + ": " + contextSizes[w]);
        check(reqKeys == (FIXED ? 0 : REQUESTS), "per-request keys: " + reqKeys);
        check(svc.confirmations.size() == CONFIRMATION_CAP && svc.confirmations.evicted > 0, "confirmation cache at cap");
        check(svc.relayBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
