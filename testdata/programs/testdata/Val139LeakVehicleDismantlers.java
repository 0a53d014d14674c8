// hprofscan-dump: name=val139-leak-vehicledismantlers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val139-leak-vehicledismantlers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 139 (written blind), LEAK: the parts-search API of a network of vehicle
 * dismantlers (breakers' yards selling used engines, gearboxes, doors, lamps). Yard reference data,
 * the parts inventory, a cache of part-interchange lookups at its cap, a pool of photo buffers, a
 * ring of recent searches and the courier-collection queue with its normal backlog. Requests run
 * on a fixed pool of 6 API workers; each pushes its RequestContext (request id, yard, attributes,
 * a copy of the request body) on a per-worker stack ({@code RequestScope.STACK}, a static
 * {@code ThreadLocal<ArrayDeque<RequestContext>>}, MDC-like) and pops it at the end of the success
 * path, not in a finally. The few percent of requests that fail (registration not found at the
 * vehicle-data provider, interchange timeout, reserved part) leave their context on the worker's
 * stack for ever. See VALIDATION139.md.
 */
public final class Val139LeakVehicleDismantlers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, COLLECT_AFTER = 45 * MINUTE;
    static final int YARDS = 900, PARTS = 20_000, VEHICLES = 30_000, INTERCHANGE_CAP = 2_000, POOL = 8, RING = 8_192, WORKERS = 6, HOURS = 10, REQUESTS_PER_MINUTE = 150;
    static boolean FIXED;

    static final String[] MAKES = {"Ford", "Vauxhall", "Volkswagen", "BMW", "Audi", "Toyota", "Nissan", "Peugeot", "Renault", "Honda", "Kia", "Hyundai", "Mercedes-Benz", "Skoda", "Citroen", "Fiat", "Mini", "Land Rover", "Volvo", "Mazda"};
    static final String[] PART_TYPES = {"engine", "gearbox", "alternator", "starter-motor", "headlamp", "tail-lamp", "door-front-left", "door-front-right", "bonnet", "wing-mirror", "radiator",
        "turbo", "ecu", "steering-rack", "brake-caliper", "alloy-wheel", "seat-set", "catalytic-converter", "dpf", "airbag"};
    static final String[] CHANNELS = {"web", "app", "trade-portal", "ebay-sync", "garage-api"};

    record Yard(String code, String town, String operator, double[] partsSoldByWeek) {}
    record Part(String stockNo, String yardCode, String type, String make, String fitsVrm, int pricePence, byte[] photoMeta, long dismantledAt) {}
    record Vehicle(String vrm, String make, String model, int year, String engineCode) {}
    record Interchange(String key, String[] compatibleCodes, long at) {}
    record Search(String requestId, String vrm, String partType, int found, long at) {}
    record Collection(String stockNo, String yardCode, String courier, long bookedAt) {}
    record Request(long seq, String yardCode, String customer, String vrm, String partType, String channel, byte[] body, int failure, long at) {}
    record Result(Request request, String requestId, Vehicle vehicle, int matches) {}

    static final class LookupException extends Exception {
        LookupException(String m) { super(m); }
    }

    /** Per-request context (MDC-like): pushed on entry, to be popped on exit. */
    static final class RequestContext {
        final String requestId; final String yardCode; final String customer; final Map<String, String> attributes = new HashMap<>(); final byte[] requestBody; final long startedAt;
        RequestContext(String requestId, String yardCode, String customer, byte[] requestBody, long startedAt) {
            this.requestId = requestId; this.yardCode = yardCode; this.customer = customer; this.requestBody = requestBody; this.startedAt = startedAt;
        }
    }
    static final class RequestScope {
        static final ThreadLocal<ArrayDeque<RequestContext>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
        static final AtomicLong PUSHED = new AtomicLong(), POPPED = new AtomicLong();
        static void push(RequestContext c) { STACK.get().push(c); PUSHED.incrementAndGet(); }
        static void pop() { STACK.get().pop(); POPPED.incrementAndGet(); }
    }

    static final class InterchangeCache extends LinkedHashMap<String, Interchange> {
        long evicted;
        InterchangeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Interchange> e) { if (size() > INTERCHANGE_CAP) { evicted++; return true; } return false; }
    }

    static final class PartsService {
        final Map<String, Part> inventory = new HashMap<>();
        final String[] stockNos = new String[PARTS];
        final Map<String, Vehicle> vehicles = new HashMap<>(); // the vehicle-data provider's answers, preloaded
        final String[] vrms = new String[VEHICLES];
        final Map<String, List<Part>> partsByMake = new HashMap<>();
        final InterchangeCache interchange = new InterchangeCache();
        final ArrayDeque<byte[]> photoBuffers = new ArrayDeque<>();
        final Search[] recentSearches = new Search[RING];
        final ArrayDeque<Collection> collections = new ArrayDeque<>();
        ThreadPoolExecutor api;
        long requests, ok, failedNotFound, failedTimeout, failedReserved, searches, collectionsBooked, collected;

        /** Runs on an API worker; reads only the inventory and vehicle maps (read-only after startup). */
        Result handle(Request req) throws LookupException {
            String requestId = "dsm-" + Long.toHexString(0x51_0000_0000L + req.seq());
            RequestContext ctx = new RequestContext(requestId, req.yardCode(), req.customer(), req.body().clone(), req.at());
            ctx.attributes.put("vrm", req.vrm());
            ctx.attributes.put("partType", req.partType());
            ctx.attributes.put("channel", req.channel());
            ctx.attributes.put("yard", req.yardCode());
            ctx.attributes.put("customer", req.customer());
            ctx.attributes.put("locale", "en-GB");
            ctx.attributes.put("traceparent", "00-" + Long.toHexString(0x7a3c_0000_0000L + req.seq() * 7919) + "-" + Long.toHexString(0x1b00_0000L + req.seq()) + "-01");
            RequestScope.push(ctx);
            if (FIXED) {
                try { return lookup(req, ctx); } finally { RequestScope.pop(); }
            }
            Result r = lookup(req, ctx); // BUG: an exception skips the pop below
            RequestScope.pop();
            return r;
        }

        Result lookup(Request req, RequestContext ctx) throws LookupException {
            Vehicle v = vehicles.get(req.vrm());
            if (req.failure() == 1 || v == null) throw new LookupException("vehicle data: registration " + req.vrm() + " not found (" + ctx.requestId + ")");
            if (req.failure() == 2) throw new LookupException("interchange service timed out after 3000 ms for " + v.engineCode() + " (" + ctx.requestId + ")");
            int matches = 0;
            List<Part> candidates = partsByMake.get(v.make());
            for (int i = 0; i < candidates.size(); i += 7) if (candidates.get(i).type().equals(req.partType())) matches++;
            if (req.failure() == 3) throw new LookupException("part reserved by another yard (" + ctx.requestId + ")");
            ctx.attributes.put("matches", Integer.toString(matches));
            return new Result(req, ctx.requestId, v, matches);
        }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();
    static PartsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String vrm(Random r) {
        return "" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (10 + r.nextInt(64)) + " " + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
    }

    static void startup(long now, Random rnd) {
        String[] towns = {"Doncaster", "Wolverhampton", "Stoke", "Swindon", "Leeds", "Norwich", "Carlisle", "Exeter", "Bolton", "Luton", "Hull", "Derby"};
        for (int y = 0; y < YARDS; y++) {
            double[] sold = new double[52];
            for (int k = 0; k < sold.length; k++) sold[k] = rnd.nextDouble() * 300;
            String code = "ATF" + (40_000 + y * 3);
            YARDS_BY_CODE.put(code, new Yard(code, towns[y % towns.length], "Dismantlers " + y + " Ltd", sold));
        }
        PartsService svc = new PartsService();
        SERVICE = svc;
        String[] yardCodes = YARDS_BY_CODE.keySet().stream().sorted().toArray(String[]::new);
        for (int i = 0; i < VEHICLES; i++) {
            String vrm;
            do { vrm = vrm(rnd); } while (svc.vehicles.containsKey(vrm));
            svc.vrms[i] = vrm;
            svc.vehicles.put(vrm, new Vehicle(vrm, MAKES[rnd.nextInt(MAKES.length)], "Model " + rnd.nextInt(40), 2004 + rnd.nextInt(20), "E" + rnd.nextInt(500)));
        }
        for (String make : MAKES) svc.partsByMake.put(make, new ArrayList<>());
        for (int i = 0; i < PARTS; i++) {
            String stockNo = "STK" + (6_000_000 + i * 11);
            svc.stockNos[i] = stockNo;
            Vehicle donor = svc.vehicles.get(svc.vrms[rnd.nextInt(VEHICLES)]);
            Part p = new Part(stockNo, yardCodes[rnd.nextInt(YARDS)], PART_TYPES[rnd.nextInt(PART_TYPES.length)], donor.make(), donor.vrm(), 1_500 + rnd.nextInt(60_000),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY);
            svc.inventory.put(stockNo, p);
            svc.partsByMake.get(p.make()).add(p);
        }
        for (int b = 0; b < POOL; b++) svc.photoBuffers.add(new byte[32_768]);
        AtomicInteger n = new AtomicInteger();
        svc.api = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "parts-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(139_050_001);
        startup(now, rnd);
        PartsService svc = SERVICE;
        String[] yardCodes = YARDS_BY_CODE.keySet().stream().sorted().toArray(String[]::new);
        Random traffic = new Random(139_050_002), yards = new Random(139_050_003);
        for (int m = 0; m < HOURS * 60; m++) {
            long t = start + m * MINUTE;
            while (!svc.collections.isEmpty() && svc.collections.peekFirst().bookedAt() <= t - COLLECT_AFTER) { svc.collections.pollFirst(); svc.collected++; }
            List<Request> batch = new ArrayList<>(REQUESTS_PER_MINUTE);
            for (int k = 0; k < REQUESTS_PER_MINUTE; k++) {
                int roll = traffic.nextInt(1_000);
                // 2.5% registrations the provider does not know, 1.2% interchange timeouts, 0.8% reserved parts
                int failure = roll < 25 ? 1 : roll < 37 ? 2 : roll < 45 ? 3 : 0;
                String vrm = failure == 1 ? vrm(traffic) + "X" : svc.vrms[traffic.nextInt(VEHICLES)];
                String body = "{\"vrm\":\"" + vrm + "\",\"part\":\"" + PART_TYPES[traffic.nextInt(PART_TYPES.length)] + "\",\"postcode\":\"" + (char) ('A' + traffic.nextInt(26)) + (1 + traffic.nextInt(20)) + "\",\"notes\":\"";
                byte[] bytes = new byte[1_024 + traffic.nextInt(1_024)];
                byte[] head = body.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(head, 0, bytes, 0, head.length);
                for (int j = head.length; j < bytes.length; j++) bytes[j] = (byte) ('a' + (j * 7 + k) % 26);
                batch.add(new Request(svc.requests++, yardCodes[yards.nextInt(YARDS)], "TR" + (700_000 + traffic.nextInt(90_000)), vrm, PART_TYPES[traffic.nextInt(PART_TYPES.length)],
                        CHANNELS[traffic.nextInt(CHANNELS.length)], bytes, failure, t + k * 400L));
            }
            List<Callable<Result>> tasks = new ArrayList<>(batch.size());
            for (Request r : batch) tasks.add(() -> svc.handle(r));
            List<Future<Result>> results = svc.api.invokeAll(tasks);
            for (int k = 0; k < results.size(); k++) {
                Request req = batch.get(k);
                Result res;
                try {
                    res = results.get(k).get();
                } catch (ExecutionException e) {
                    if (req.failure() == 1) svc.failedNotFound++; else if (req.failure() == 2) svc.failedTimeout++; else svc.failedReserved++;
                    continue;
                }
                svc.ok++;
                svc.searches++;
                svc.recentSearches[(int) (svc.searches % RING)] = new Search(res.requestId(), req.vrm(), req.partType(), res.matches(), req.at());
                String key = res.vehicle().engineCode() + "/" + req.partType();
                if (svc.interchange.get(key) == null) {
                    byte[] buf = svc.photoBuffers.poll();
                    buf[(int) (svc.searches % buf.length)] = (byte) res.matches();
                    svc.photoBuffers.add(buf);
                    svc.interchange.put(key, new Interchange(key, new String[] {res.vehicle().engineCode(), "E" + traffic.nextInt(500), "E" + traffic.nextInt(500)}, req.at()));
                }
                if (res.matches() > 0 && traffic.nextInt(8) == 0) {
                    svc.collections.addLast(new Collection(svc.stockNos[traffic.nextInt(PARTS)], req.yardCode(), traffic.nextBoolean() ? "DPD" : "Palletways", req.at()));
                    svc.collectionsBooked++;
                }
            }
        }
    }

    static void awaitIdleWorkers() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            int waiting = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("parts-api-") && t.getState() == Thread.State.WAITING) waiting++;
            if (waiting == WORKERS) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("API workers not idle");
    }

    static void verify() throws InterruptedException {
        PartsService svc = SERVICE;
        awaitIdleWorkers();
        int workers = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("parts-api-")) workers++;
        long failed = svc.failedNotFound + svc.failedTimeout + svc.failedReserved;
        long left = RequestScope.PUSHED.get() - RequestScope.POPPED.get();
        System.out.println((FIXED ? "FIXED " : "") + "yards " + YARDS_BY_CODE.size() + " parts " + svc.inventory.size() + " vehicles " + svc.vehicles.size() + " requests " + svc.requests + " ok " + svc.ok
                + " failed " + failed + " (not found " + svc.failedNotFound + ", timeout " + svc.failedTimeout + ", reserved " + svc.failedReserved + ") contexts pushed " + RequestScope.PUSHED.get()
                + " popped " + RequestScope.POPPED.get() + " left on stacks " + left + " workers " + workers + " interchange " + svc.interchange.size() + " (evicted " + svc.interchange.evicted + ")"
                + " collections " + svc.collectionsBooked + " collected " + svc.collected + " backlog " + svc.collections.size());
        check(YARDS_BY_CODE.size() == YARDS && svc.inventory.size() == PARTS && svc.vehicles.size() == VEHICLES, "reference data / directory");
        check(svc.requests == (long) HOURS * 60 * REQUESTS_PER_MINUTE && svc.ok + failed == svc.requests && RequestScope.PUSHED.get() == svc.requests, "requests");
        check(workers == WORKERS, "6 API workers");
        if (FIXED) check(left == 0, "every context popped");
        else check(left == failed, "failed requests' contexts left on the worker stacks: " + left);
        check(svc.interchange.size() == INTERCHANGE_CAP && svc.interchange.evicted > 0, "interchange cache at its cap");
        check(svc.photoBuffers.size() == POOL && svc.recentSearches[RING - 1] != null, "pool / ring");
        check(svc.collections.size() > 0 && svc.collections.size() < 1_000 && svc.collectionsBooked == svc.collected + svc.collections.size(), "collection backlog");
        // the truth table (VALIDATION139.md)
        check(failed == 4_000 && svc.failedNotFound == 2_232 && svc.failedTimeout == 1_070 && svc.failedReserved == 698 && left == (FIXED ? 0 : 4_000) && svc.collections.size() == 807, "truth table");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val139.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
