// hprofscan-dump: name=val92-healthy-bookmobiles jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val92-healthy-bookmobiles-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Validation set 92 (written blind), HEALTHY: the circulation service of a county's mobile
 * libraries (bookmobiles). Stop reference data, the title directory, an LRU of patron records
 * capped at 4,000 with an e-mail index kept in step on eviction, a ring of recent checkouts, a
 * pool of barcode-scanner buffers, a fixed pool of 4 worker threads ({@code circ-worker-0..3},
 * striped by request id) whose per-thread request context ({@code ThreadLocal<Map<String,
 * Object>>}) gets a {@code "req:" + id} entry per request that is removed in a {@code finally}
 * (plus a 16 KiB per-thread scratch buffer), and a de-duplicator of hold requests that removes its
 * entry on every outcome. Its threads are the look-alike of a per-thread context leak. See
 * VALIDATION92.md.
 */
public final class Val92HealthyBookmobiles {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TIMEOUT_MS = 10_000L;
    static final int HOURS = 10, STOPS = 1_300, TITLES = 26_000, PATRON_CAP = 4_000, POOL = 8, RING = 16_384, WORKERS = 4, REQUESTS = 36_000, PATRONS_BEFORE = 50_000, SCRATCH = 16_384;
    static final String[] DOMAINS = {"readers.example", "county.example", "mail.example", "post.example", "home.example"};

    record Stop(String code, String village, double[] visitsByWeek) {}
    record Title(String isbn, String title, String shelfMark, byte[] record, long catalogedAt) {}
    record Patron(String id, String email, String name, String branch, byte[] history, long since) {}
    record Checkout(long requestId, String patronId, String isbn, String stopCode, long at, long due) {}
    record CirculationRequest(long requestId, long patronNo, String isbn, String stopCode, long at) {}
    record RequestAttributes(long requestId, String stopCode, long deadline, byte[] traceId) {}
    record HoldConfirmation(String fingerprint, String isbn, long readyBy, byte[] slip) {}
    record PendingHold(long dueAt, long seq, int outcome, String fingerprint, String isbn, CompletableFuture<HoldConfirmation> future) {}

    static final class PatronLru extends LinkedHashMap<String, Patron> {
        final Map<String, String> index; long evicted;
        PatronLru(Map<String, String> index) { super(8_192, 0.75f, true); this.index = index; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Patron> eldest) {
            if (size() <= PATRON_CAP) return false;
            evicted++;
            index.remove(eldest.getValue().email());
            return true;
        }
    }

    static final class PatronCache {
        final Map<String, String> idByEmail = new HashMap<>();
        final PatronLru byId = new PatronLru(idByEmail);
        long hits, loads;
        Patron byEmail(long no, long now) {
            String id = idByEmail.get(email(no));
            Patron p = id == null ? null : byId.get(id);
            if (p != null) { hits++; return p; }
            Random r = new Random(92_060_100L + no);
            p = new Patron("PAT" + (4_000_000 + no), email(no), "Reader " + no, "Mobile " + (no % 9), new byte[150 + r.nextInt(150)], now - (long) (1 + r.nextInt(4_000)) * 24 * HOUR);
            byId.put(p.id(), p);
            idByEmail.put(p.email(), p.id());
            loads++;
            return p;
        }
    }

    static String email(long n) { return "reader" + (2_000_000 + n * 13) + "@" + DOMAINS[(int) (n % DOMAINS.length)]; }

    /** The request context of the worker thread; per-request entries leave in the finally. */
    static final class RequestContext {
        final ThreadLocal<Map<String, Object>> attributes = ThreadLocal.withInitial(HashMap::new);
        final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[SCRATCH]);
        void run(CirculationRequest r, Runnable body) {
            Map<String, Object> ctx = attributes.get();
            String key = "req:" + r.requestId();
            ctx.put(key, new RequestAttributes(r.requestId(), r.stopCode(), r.at() + 20_000, new byte[16]));
            ctx.put("worker.name", Thread.currentThread().getName());
            try {
                body.run();
            } finally {
                ctx.remove(key);
            }
        }
    }

    static final class HoldDeduplicator {
        final ConcurrentHashMap<String, CompletableFuture<HoldConfirmation>> inFlight = new ConcurrentHashMap<>();
        long started, joined;
        CompletableFuture<HoldConfirmation> begin(String fp) {
            CompletableFuture<HoldConfirmation> running = inFlight.get(fp);
            if (running != null && !running.isDone()) { joined++; return running; }
            CompletableFuture<HoldConfirmation> f = new CompletableFuture<>();
            inFlight.put(fp, f);
            started++;
            f.whenComplete((h, ex) -> inFlight.remove(fp, f));
            return f;
        }
    }

    static final Map<String, Stop> STOPS_BY_CODE = new HashMap<>();

    static final class CirculationService {
        final Map<String, Title> titles = new HashMap<>();
        final PatronCache patrons = new PatronCache();
        final Checkout[] recentCheckouts = new Checkout[RING];
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final RequestContext context = new RequestContext();
        final ExecutorService[] workers = new ExecutorService[WORKERS];
        final HoldDeduplicator holds = new HoldDeduplicator();
        final PriorityQueue<PendingHold> holdCalls = new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
        long checkouts, confirmed, refused, timedOut;
        long now;

        /** Runs on a worker thread. */
        void checkout(CirculationRequest r) {
            Patron p = patrons.byEmail(r.patronNo(), now);
            byte[] scratch = context.scratch.get();
            scratch[(int) (r.requestId() % SCRATCH)] = (byte) r.requestId();
            recentCheckouts[(int) (checkouts++ % RING)] = new Checkout(r.requestId(), p.id(), r.isbn(), r.stopCode(), r.at(), r.at() + 21 * 24 * HOUR);
            byte[] buf = scanBuffers.poll();
            buf[(int) (r.requestId() % buf.length)] = (byte) r.requestId();
            scanBuffers.add(buf);
        }

        void completeDue(long upTo, Random rr) {
            while (!holdCalls.isEmpty() && holdCalls.peek().dueAt() <= upTo) {
                PendingHold c = holdCalls.poll();
                if (c.outcome() == 0) { confirmed++; c.future().complete(new HoldConfirmation(c.fingerprint(), c.isbn(), c.dueAt() + 72 * HOUR, new byte[64 + rr.nextInt(64)])); }
                else if (c.outcome() == 1) { refused++; c.future().completeExceptionally(new IllegalStateException("no copy holdable")); }
                else { timedOut++; c.future().completeExceptionally(new java.util.concurrent.TimeoutException("union catalogue timed out")); }
            }
        }
    }

    static CirculationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(92_060_001);
        String[] stopCodes = new String[STOPS];
        for (int s = 0; s < STOPS; s++) {
            double[] visits = new double[64];
            for (int k = 0; k < visits.length; k++) visits[k] = rnd.nextDouble() * 120;
            stopCodes[s] = "STOP-" + (s / 50) + "-" + (s % 50);
            STOPS_BY_CODE.put(stopCodes[s], new Stop(stopCodes[s], "Village " + s, visits));
        }
        CirculationService svc = new CirculationService();
        SERVICE = svc;
        svc.now = now;
        String[] isbns = new String[TITLES];
        for (int t = 0; t < TITLES; t++) {
            isbns[t] = "978" + (1_000_000_000L + t * 37L);
            svc.titles.put(isbns[t], new Title(isbns[t], "Title " + t, "F/" + (char) ('A' + t % 26), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        for (int w = 0; w < WORKERS; w++) {
            String name = "circ-worker-" + w;
            svc.workers[w] = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
        }
        Random traffic = new Random(92_060_002);
        Random catalogue = new Random(92_060_003);
        long nextPatron = PATRONS_BEFORE, seq = 0, retries = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            svc.completeDue(t, catalogue);
            long id = 81_000_000L + i;
            long patronNo = traffic.nextInt(100) < 50 ? nextPatron++ : traffic.nextInt((int) nextPatron);
            CirculationRequest r = new CirculationRequest(id, patronNo, isbns[traffic.nextInt(TITLES)], stopCodes[traffic.nextInt(STOPS)], t);
            svc.workers[(int) (id % WORKERS)].submit(() -> svc.context.run(r, () -> svc.checkout(r))).get();
            if (i % 4 == 0) {
                String isbn = isbns[traffic.nextInt(TITLES)];
                String fp = Long.toHexString(id * 0x9E3779B97F4A7C15L) + "-" + isbn;
                CompletableFuture<HoldConfirmation> f = svc.holds.begin(fp);
                int roll = traffic.nextInt(100);
                int outcome = roll < 90 ? 0 : roll < 96 ? 1 : 2;
                long due = outcome == 0 ? t + 300 + traffic.nextInt(2_000) : outcome == 1 ? t + 300 + traffic.nextInt(1_000) : t + TIMEOUT_MS;
                svc.holdCalls.add(new PendingHold(due, seq++, outcome, fp, isbn, f));
                if (traffic.nextInt(100) < 10) { check(svc.holds.begin(fp) == f, "retry joins"); retries++; }
            }
        }
        stopCodes = null; isbns = null; // only the service's structures stay reachable
        int[] contextSizes = new int[WORKERS];
        for (int w = 0; w < WORKERS; w++) contextSizes[w] = svc.workers[w].submit(() -> svc.context.attributes.get().size()).get();
        PatronCache pc = svc.patrons;
        long pending = svc.holdCalls.size();
        System.out.println("stops " + STOPS_BY_CODE.size() + " titles " + svc.titles.size() + " patrons " + pc.byId.size() + " (evicted " + pc.byId.evicted + ", loads " + pc.loads + ", hits " + pc.hits + ") idByEmail " + pc.idByEmail.size()
                + " checkouts " + svc.checkouts + " contexts " + java.util.Arrays.toString(contextSizes) + " holds started " + svc.holds.started + " joined " + svc.holds.joined + " confirmed " + svc.confirmed
                + " refused " + svc.refused + " timed out " + svc.timedOut + " pending " + pending + " inFlight " + svc.holds.inFlight.size() + " pool " + svc.scanBuffers.size());
        check(STOPS_BY_CODE.size() == STOPS && svc.titles.size() == TITLES, "reference data / directory");
        check(pc.byId.size() == PATRON_CAP && pc.byId.evicted > 0 && pc.idByEmail.size() == PATRON_CAP && pc.hits + pc.loads == REQUESTS, "patron LRU at cap, index in step");
        check(svc.checkouts == REQUESTS && svc.recentCheckouts[RING - 1] != null, "checkout ring");
        for (int w = 0; w < WORKERS; w++) check(contextSizes[w] == 1, "context of worker " + w + ": " + contextSizes[w]);
        check(svc.holds.joined == retries && svc.confirmed + svc.refused + svc.timedOut + pending == svc.holds.started && svc.holds.inFlight.size() == pending, "hold de-duplicator holds only running calls");
        check(svc.scanBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
