// hprofscan-dump: name=val30-leak-locksmiths jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val30-leak-locksmiths-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 30 (written blind), LEAK: the dispatch service of a locksmith network. Service
 * region reference data, the locksmith directory, a cache of rendered route sheets at its cap, a
 * pool of invoice buffers, a ring of recent jobs and the map of requests in flight. Every
 * JobRequestContext registers itself in the static JobRequestContext.ALL list "for diagnostics" in
 * its constructor, and nothing removes it when the request ends: the list holds every request
 * context since start. See VALIDATION30.md.
 */
public final class Val30LeakLocksmiths {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REGIONS = 1_000, LOCKSMITHS = 20_000, ROUTE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS_PER_HOUR = 1_200, HOURS = 10;
    static boolean FIXED;

    record Region(String code, String name, double[] callsByHalfHour) {}
    record Locksmith(String licence, String regionCode, String name, byte[] profile, long licensedAt) {}
    record RouteSheet(String key, byte[] rendered, long at) {}
    record JobRecord(long jobNumber, String licence, String regionCode, long requestedAt, long completedAt) {}

    /** Per-request context. */
    static final class JobRequestContext {
        /** Every context ever created, "for diagnostics" (the debug page lists them). */
        static final List<JobRequestContext> ALL = new ArrayList<>();

        final String requestId, customerPhone, regionCode;
        final long startedAt;
        long endedAt;
        String assignedLicence;
        final Map<String, String> attributes = new HashMap<>();
        final byte[] requestBody;

        JobRequestContext(String requestId, String customerPhone, String regionCode, long startedAt, byte[] requestBody) {
            this.requestId = requestId; this.customerPhone = customerPhone; this.regionCode = regionCode; this.startedAt = startedAt; this.requestBody = requestBody;
            ALL.add(this);
        }

        void close(long at) {
            endedAt = at;
            if (FIXED) ALL.remove(this); // deregister when the request ends
            // BUG: the context stays in ALL forever
        }
    }

    static final class RouteCache extends LinkedHashMap<String, RouteSheet> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteSheet> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Locksmith> locksmiths = new HashMap<>();
        final RouteCache routes = new RouteCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final JobRecord[] recentJobs = new JobRecord[RING];
        final Map<String, JobRequestContext> inflight = new LinkedHashMap<>();
        long started, completed;

        void complete(JobRequestContext ctx, long at) {
            inflight.remove(ctx.requestId);
            ctx.close(at);
            recentJobs[(int) (completed++ % RING)] = new JobRecord(Long.parseLong(ctx.requestId.substring(4)), ctx.assignedLicence, ctx.regionCode, ctx.startedAt, at);
        }
    }

    record Pending(long doneAt, JobRequestContext ctx) {}

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val30.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(30_020_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] calls = new double[96];
            for (int k = 0; k < calls.length; k++) calls[k] = rnd.nextDouble() * 12;
            regionCodes[r] = "RG-" + (400 + r);
            REGIONS_BY_CODE.put(regionCodes[r], new Region(regionCodes[r], "District " + (r % 250), calls));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] licences = new String[LOCKSMITHS];
        for (int l = 0; l < LOCKSMITHS; l++) {
            licences[l] = "MLA-" + (300_000 + l * 11);
            svc.locksmiths.put(licences[l], new Locksmith(licences[l], regionCodes[rnd.nextInt(REGIONS)], "Locksmith " + l, new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[32_768]);
        Random traffic = new Random(30_020_002);
        String[] channels = {"phone", "app", "web", "partner"};
        String[] urgencies = {"lockout", "lockout-child-inside", "broken-key", "lock-change", "after-burglary"};
        String[] lockTypes = {"euro-cylinder", "mortice", "rim", "smart-lock", "uPVC-multipoint", "padlock", "safe"};
        PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> Long.compare(a.doneAt(), b.doneAt()));
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (!pending.isEmpty() && pending.peek().doneAt() <= t) { Pending p = pending.poll(); svc.complete(p.ctx(), p.doneAt()); }
            String region = regionCodes[traffic.nextInt(REGIONS)];
            JobRequestContext ctx = new JobRequestContext("JOB-" + (60_000_000L + i), "+44 7" + (100_000_000 + traffic.nextInt(900_000_000)), region, t, new byte[100 + traffic.nextInt(100)]);
            ctx.attributes.put("channel", channels[traffic.nextInt(channels.length)]);
            ctx.attributes.put("urgency", urgencies[traffic.nextInt(urgencies.length)]);
            ctx.attributes.put("lockType", lockTypes[traffic.nextInt(lockTypes.length)]);
            ctx.assignedLicence = licences[traffic.nextInt(LOCKSMITHS)];
            svc.inflight.put(ctx.requestId, ctx);
            svc.started++;
            pending.add(new Pending(t + 30 * SECOND + traffic.nextInt(150) * SECOND, ctx));
            String key = "route-" + traffic.nextInt(5_000);
            if (svc.routes.get(key) == null) svc.routes.put(key, new RouteSheet(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.invoiceBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.invoiceBuffers.add(buf);
        }
        while (!pending.isEmpty() && pending.peek().doneAt() <= end) { Pending p = pending.poll(); svc.complete(p.ctx(), p.doneAt()); }
        int stillPending = pending.size();
        pending = null;
        int open = 0;
        for (Iterator<JobRequestContext> it = JobRequestContext.ALL.iterator(); it.hasNext(); ) if (it.next().endedAt == 0) open++;
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " locksmiths " + svc.locksmiths.size() + " requests " + svc.started + " completed " + svc.completed + " in flight " + svc.inflight.size()
                + " ALL " + JobRequestContext.ALL.size() + " (open " + open + ") routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") pool " + svc.invoiceBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.locksmiths.size() == LOCKSMITHS, "reference data / directory");
        check(svc.started == requests && svc.completed + svc.inflight.size() == requests && svc.inflight.size() == stillPending && stillPending > 0, "requests");
        if (FIXED) check(JobRequestContext.ALL.size() == svc.inflight.size(), "only open requests registered");
        else check(JobRequestContext.ALL.size() == requests && open == svc.inflight.size(), "every context kept: " + JobRequestContext.ALL.size());
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        check(svc.completed > RING && svc.recentJobs[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
