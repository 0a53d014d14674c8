// hprofscan-dump: name=val50-healthy-joiners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val50-healthy-joiners-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 50 (written blind), HEALTHY: the job tracker of a bespoke joinery workshop. Timber
 * reference data, the job directory, a cache of rendered drawings at its cap, a ring of workshop
 * events, a pool of CNC program buffers, a reused exporter that starts a fresh IdentityHashMap of
 * visited objects for every export, and a per-thread (main only) scratch StringBuilder plus a
 * per-request lookup map that is cleared when each request ends. See VALIDATION50.md.
 */
public final class Val50HealthyJoiners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TIMBERS = 1_200, JOBS = 26_000, DRAWING_CAP = 2_000, POOL = 10, RING = 8_192, HOURS = 10, REQUESTS = 30_000;

    record Timber(String code, String species, double[] moistureCurve) {}
    record Job(String jobId, String timberCode, String client, byte[] cutList, long openedAt) {}
    record Drawing(String key, byte[] svg, long at) {}
    record WorkshopEvent(String jobId, String bench, long at) {}
    record Component(String name, Job job, int lengthMm, byte[] joints) {}
    record PartDto(String jobId, String name, long at) {}

    /** Reused exporter; each call starts with an empty visited set. */
    static final class JobExporter {
        IdentityHashMap<Object, Integer> visited = new IdentityHashMap<>();
        long exports;
        int export(Job job, List<Component> parts, StringBuilder out) {
            visited = new IdentityHashMap<>();
            out.setLength(0);
            out.append(job.jobId());
            visited.put(job, 0);
            for (Component c : parts) {
                if (visited.containsKey(c)) continue;
                visited.put(c, visited.size());
                out.append(',').append(c.name()).append(':').append(c.lengthMm());
                if (visited.containsKey(c.job())) out.append("#0");
            }
            exports++;
            return out.length();
        }
    }

    static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(16_384));
    static final ThreadLocal<HashMap<String, PartDto>> REQUEST_LOOKUPS = ThreadLocal.withInitial(HashMap::new);

    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Timber> TIMBERS_BY_CODE = new HashMap<>();

    static final class JobTracker {
        final Map<String, Job> jobs = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final WorkshopEvent[] events = new WorkshopEvent[RING];
        long eventCount;
        final ArrayDeque<byte[]> cncBuffers = new ArrayDeque<>();
        final JobExporter exporter = new JobExporter();
    }

    static JobTracker SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(50_060_001);
        String[] timbers = new String[TIMBERS];
        for (int t = 0; t < TIMBERS; t++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = 8 + rnd.nextDouble() * 10;
            timbers[t] = "TM-" + (500 + t);
            TIMBERS_BY_CODE.put(timbers[t], new Timber(timbers[t], t % 4 == 0 ? "oak" : t % 4 == 1 ? "ash" : t % 4 == 2 ? "walnut" : "sapele", curve));
        }
        JobTracker svc = new JobTracker();
        SERVICE = svc;
        Job[] jobs = new Job[JOBS];
        for (int j = 0; j < JOBS; j++) {
            jobs[j] = new Job("JB" + (2_200_000 + j), timbers[rnd.nextInt(TIMBERS)], "Client " + (j % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_200)) * 24 * HOUR);
            svc.jobs.put(jobs[j].jobId(), jobs[j]);
        }
        for (int b = 0; b < POOL; b++) svc.cncBuffers.add(new byte[32_768]);
        String[] benches = {"bench-1", "bench-2", "bench-3", "spindle", "panel-saw", "finishing"};
        Random traffic = new Random(50_060_002);
        long maxLookups = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            Job job = jobs[traffic.nextInt(JOBS)];
            HashMap<String, PartDto> lookups = REQUEST_LOOKUPS.get();
            try {
                List<Component> parts = new ArrayList<>();
                int n = 2 + traffic.nextInt(6);
                for (int k = 0; k < n; k++) {
                    Component c = new Component("part-" + k, job, 300 + traffic.nextInt(2_000), new byte[20 + traffic.nextInt(40)]);
                    parts.add(c);
                    lookups.put("req-" + i + ":" + c.name(), new PartDto(job.jobId(), c.name(), t));
                }
                maxLookups = Math.max(maxLookups, lookups.size());
                svc.exporter.export(job, parts, SCRATCH.get());
            } finally {
                lookups.clear(); // request scope ends
            }
            svc.events[(int) (svc.eventCount++ % RING)] = new WorkshopEvent(job.jobId(), benches[traffic.nextInt(benches.length)], t);
            String key = job.jobId() + "/rev" + traffic.nextInt(2);
            if (svc.drawings.get(key) == null) svc.drawings.put(key, new Drawing(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.cncBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.cncBuffers.add(buf);
        }
        JobExporter x = svc.exporter;
        System.out.println("timbers " + TIMBERS_BY_CODE.size() + " jobs " + svc.jobs.size() + " exports " + x.exports + " visited (last export) " + x.visited.size() + " request lookups " + REQUEST_LOOKUPS.get().size()
                + " (max " + maxLookups + ") drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted + ") pool " + svc.cncBuffers.size() + " events " + svc.eventCount);
        check(TIMBERS_BY_CODE.size() == TIMBERS && svc.jobs.size() == JOBS, "reference data / directory");
        check(x.exports == REQUESTS && x.visited.size() <= 8, "exporter visited set per call: " + x.visited.size());
        check(REQUEST_LOOKUPS.get().isEmpty() && maxLookups <= 7, "request lookups cleared");
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted > 0, "drawing cache at cap");
        check(svc.cncBuffers.size() == POOL, "pool");
        check(svc.eventCount == REQUESTS && svc.events[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
