// hprofscan-dump: name=val49-healthy-hatters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val49-healthy-hatters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 49 (written blind), HEALTHY: the order service of a bespoke hatter (made-to-measure
 * felt and straw hats, sold online and through partner outfitters). Hat-block reference data, the
 * customer directory (head measurements), a cache of rendered fitting previews at its cap, a ring of
 * recent orders, a pool of felt-pattern buffers, outfitter webhooks retried on a
 * ScheduledThreadPoolExecutor with capped exponential backoff that gives up after 8 attempts (so
 * only deliveries to gone endpoints from the last ~1.5 hours are pending), and a "catalogue ready"
 * future whose loader failed once, retried and completed it 4 minutes after startup (the
 * callbacks attached meanwhile ran then; later ones run at once).
 *
 * <p>Retries run in simulated time: a retry is scheduled on the executor with its real delay (at
 * least one minute, so the executor's worker never runs one during the few seconds the program
 * lives), and the simulation driver in main cancels the scheduled task and runs the attempt itself
 * when simulated time reaches it. See VALIDATION49.md.
 */
public final class Val49HealthyHatters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, MAX_BACKOFF = 30 * MINUTE;
    static final int BLOCKS = 1_300, CUSTOMERS = 26_000, PREVIEW_CAP = 2_000, POOL = 10, RING = 16_384, ENDPOINTS = 300, DEAD = 6,
            HOURS = 10, ORDERS_PER_HOUR = 4_000, GIVE_UP_AFTER = 8;

    record HatBlock(String code, String style, double[] crownProfile) {}
    record Customer(String customerNo, String name, byte[] headMeasurements, long since) {}
    record Preview(String key, byte[] rendered, long at) {}
    record Order(String orderNo, String customerNo, String blockCode, int sizeMm, long at) {}
    record Catalogue(int styles, long loadedAt) {}

    static final class Endpoint {
        final int index;
        final String url;
        final long goneSince;
        Endpoint(int index, String url, long goneSince) { this.index = index; this.url = url; this.goneSince = goneSince; }
    }

    static final class Delivery {
        final long id;
        final Endpoint endpoint;
        final byte[] payload;
        final long createdAt;
        int attempts;
        Delivery(long id, Endpoint endpoint, byte[] payload, long createdAt) { this.id = id; this.endpoint = endpoint; this.payload = payload; this.createdAt = createdAt; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    /** Simulation driver (not part of the service): runs scheduled retries in simulated time. */
    static final class VirtualTime {
        record Due(long at, long seq, ScheduledFuture<?> future, Runnable task) {}
        final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
        long now, seq;
        void track(long at, ScheduledFuture<?> f, Runnable task) { due.add(new Due(at, seq++, f, task)); }
        void advanceTo(long t) {
            while (!due.isEmpty() && due.peek().at() <= t) {
                Due d = due.poll();
                now = d.at();
                if (d.future().cancel(false)) d.task().run();
            }
            now = t;
        }
    }

    static final class Webhooks {
        final Endpoint[] endpoints = new Endpoint[ENDPOINTS];
        final ScheduledThreadPoolExecutor retries = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "outfitter-webhooks-1"); t.setDaemon(true); return t; });
        long attempts, delivered, retried, givenUp, transientFailures;
        VirtualTime clock;
        final Random net;
        Webhooks(Random net) { this.net = net; retries.setRemoveOnCancelPolicy(true); }

        void attempt(Delivery d) {
            long at = clock.now;
            d.attempts++;
            attempts++;
            boolean gone = at >= d.endpoint.goneSince;
            boolean transientFailure = !gone && d.attempts == 1 && net.nextInt(40) == 0;
            if (!gone && !transientFailure) { delivered++; return; }
            if (transientFailure) transientFailures++;
            if (d.attempts >= GIVE_UP_AFTER) { givenUp++; return; } // dead-lettered
            long delay = Math.min(MAX_BACKOFF, MINUTE << Math.min(d.attempts - 1, 5));
            Runnable task = () -> attempt(d);
            ScheduledFuture<?> f = retries.schedule(task, delay, TimeUnit.MILLISECONDS);
            clock.track(at + delay, f, task);
            retried++;
        }
    }

    static final Map<String, HatBlock> BLOCKS_BY_CODE = new HashMap<>();

    static final class HatterService {
        final Map<String, Customer> customers = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final Order[] orders = new Order[RING];
        long ordered, catalogueCallbacksRun;
        final ArrayDeque<byte[]> patternBuffers = new ArrayDeque<>();
        final Webhooks webhooks;
        final CompletableFuture<Catalogue> catalogueReady = new CompletableFuture<>();
        int catalogueAttempts;
        HatterService(Random net) { webhooks = new Webhooks(net); }

        boolean loadCatalogue(long at) {
            catalogueAttempts++;
            if (catalogueAttempts == 1) return false; // first attempt: storage not mounted yet; retried
            return catalogueReady.complete(new Catalogue(BLOCKS_BY_CODE.size(), at));
        }
    }

    static HatterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int orders = ORDERS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(49_060_001);
        String[] styles = {"Fedora", "Trilby", "Homburg", "Bowler", "Panama", "Boater", "Pork pie", "Top hat", "Cloche", "Stetson"};
        String[] blockCodes = new String[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            double[] crown = new double[60];
            for (int k = 0; k < crown.length; k++) crown[k] = 90 + rnd.nextDouble() * 60;
            blockCodes[b] = "BLK-" + (1_000 + b);
            BLOCKS_BY_CODE.put(blockCodes[b], new HatBlock(blockCodes[b], styles[b % styles.length], crown));
        }
        HatterService svc = new HatterService(new Random(49_060_003));
        SERVICE = svc;
        String[] customerNos = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerNos[c] = "HC" + (600_000 + c * 3);
            svc.customers.put(customerNos[c], new Customer(customerNos[c], "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.patternBuffers.add(new byte[32_768]);
        Webhooks wh = svc.webhooks;
        for (int e = 0; e < ENDPOINTS; e++) {
            long goneSince = e % (ENDPOINTS / DEAD) == 11 ? start + (long) (e / (ENDPOINTS / DEAD)) * 2 * HOUR - HOUR : Long.MAX_VALUE;
            wh.endpoints[e] = new Endpoint(e, "https://outfitter" + e + ".example/webhooks/hat-orders", goneSince);
        }
        VirtualTime clock = new VirtualTime();
        wh.clock = clock;
        boolean catalogueLoaded = svc.loadCatalogue(start);
        long catalogueRetryAt = start + 4 * MINUTE;
        Random traffic = new Random(49_060_002);
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            clock.advanceTo(t);
            if (!catalogueLoaded && t >= catalogueRetryAt) { catalogueLoaded = svc.loadCatalogue(catalogueRetryAt); catalogueRetryAt += 4 * MINUTE; }
            svc.catalogueReady.thenRun(() -> svc.catalogueCallbacksRun++); // the size guide needs the catalogue
            String customer = customerNos[traffic.nextInt(CUSTOMERS)];
            String block = blockCodes[traffic.nextInt(BLOCKS)];
            Order o = new Order("HO-" + (900_000 + i), customer, block, 540 + traffic.nextInt(80), t);
            svc.orders[(int) (svc.ordered++ % RING)] = o;
            String key = "prev-" + block + "-" + traffic.nextInt(3);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.patternBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.patternBuffers.add(buf);
            if (traffic.nextInt(3) == 0) { // orders through partner outfitters are confirmed by webhook
                Endpoint ep = wh.endpoints[traffic.nextInt(ENDPOINTS)];
                wh.attempt(new Delivery(3_000_000L + i, ep, new byte[800 + traffic.nextInt(1_600)], t));
            }
        }
        clock.advanceTo(end);
        int pending = wh.retries.getQueue().size(), tracked = clock.due.size();
        long minDelayMs = Long.MAX_VALUE;
        for (Runnable r : wh.retries.getQueue()) minDelayMs = Math.min(minDelayMs, ((ScheduledFuture<?>) r).getDelay(TimeUnit.MILLISECONDS));
        clock.due.clear();
        wh.clock = null;
        clock = null;
        int gone = 0;
        for (Endpoint e : wh.endpoints) if (e.goneSince <= end) gone++;
        long sent = wh.delivered + wh.givenUp + pending;
        System.out.println("blocks " + BLOCKS_BY_CODE.size() + " customers " + svc.customers.size() + " orders " + svc.ordered + " webhook deliveries " + sent + " attempts " + wh.attempts + " delivered " + wh.delivered
                + " retried " + wh.retried + " transient " + wh.transientFailures + " given up " + wh.givenUp + " pending " + pending + " (min delay " + minDelayMs + " ms, completed by worker " + wh.retries.getCompletedTaskCount()
                + ") gone endpoints " + gone + " catalogue done " + svc.catalogueReady.isDone() + " (attempts " + svc.catalogueAttempts + ", dependents " + svc.catalogueReady.getNumberOfDependents() + ", callbacks run "
                + svc.catalogueCallbacksRun + ") previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.patternBuffers.size());
        check(BLOCKS_BY_CODE.size() == BLOCKS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.ordered == orders && svc.orders[RING - 1] != null, "order ring wrapping");
        check(gone == DEAD && pending == tracked && wh.retries.getCompletedTaskCount() == 0 && minDelayMs > 20_000 && wh.givenUp > 0 && pending < 400, "webhook retries bounded: " + pending);
        check(svc.catalogueReady.isDone() && svc.catalogueReady.getNumberOfDependents() == 0 && svc.catalogueCallbacksRun == orders, "catalogue future completed");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.patternBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
