// hprofscan-dump: name=val40-healthy-glaziers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val40-healthy-glaziers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 40 (written blind), HEALTHY: the maintenance service of a commercial glazier that
 * holds glazing maintenance contracts for office buildings. Glass-spec reference data, the client
 * directory, an LRU of rendered job sheets at its cap, a pool of glass-cutter buffers, a ring of
 * one-off call-outs, and, biggest by far, the pane register: one PaneRecord per window pane of the
 * contracted buildings (100 buildings x 20 floors x 30 panes = 60,000), keyed by pane code, loaded
 * at startup from the contract schedule, with its last inspection and cleaning times (hours to
 * years old; nothing in the run touches them). The façade surveys are computed by a fixed pool of
 * 4 worker threads ("survey-worker-1..4") that put the latest survey per building into a
 * ConcurrentHashMap (bounded by the 100 buildings). No leak. See VALIDATION40.md.
 */
public final class Val40HealthyGlaziers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int BUILDINGS = 100, FLOORS = 20, PANES_PER_FLOOR = 30, PANES = BUILDINGS * FLOORS * PANES_PER_FLOOR;
    static final int SPECS = 400, CLIENTS = 8_000, SHEET_CAP = 1_000, POOL = 8, RING = 4_096, WORKERS = 4, HOURS = 10;

    record GlassSpec(String code, String name, double[] uValueByAngle) {}
    record Client(String id, String name, byte[] contract, long since) {}
    record JobSheet(String key, byte[] rendered, long at) {}
    record CallOut(String callOutId, String clientId, String address, int panes, long receivedAt) {}
    record FacadeSurvey(String buildingId, float[] heatLossMap, int panesFlagged, long surveyedAt) {}

    /** One physical window pane under contract. */
    static final class PaneRecord {
        final String paneCode, buildingId, glassSpec;
        final int floor;
        final float widthM, heightM;
        final long installedAt;
        long lastInspectedAt, lastCleanedAt;
        PaneRecord(String paneCode, String buildingId, String glassSpec, int floor, float widthM, float heightM, long installedAt) {
            this.paneCode = paneCode; this.buildingId = buildingId; this.glassSpec = glassSpec; this.floor = floor; this.widthM = widthM; this.heightM = heightM; this.installedAt = installedAt;
        }
    }

    static final class SheetCache extends LinkedHashMap<String, JobSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, JobSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, GlassSpec> SPECS_BY_CODE = new HashMap<>();

    static final class MaintenanceService {
        final Map<String, PaneRecord> paneRegister = new HashMap<>(131_072);
        final Map<String, Client> clients = new HashMap<>();
        final SheetCache jobSheets = new SheetCache();
        final ArrayDeque<byte[]> cutterBuffers = new ArrayDeque<>();
        final CallOut[] callOuts = new CallOut[RING];
        long callOutsWritten;
        final ConcurrentHashMap<String, FacadeSurvey> facadeSurveys = new ConcurrentHashMap<>();
        final AtomicLong surveysComputed = new AtomicLong();
        final ThreadPoolExecutor surveyWorkers;
        final List<Thread> workerThreads = new ArrayList<>();
        MaintenanceService() {
            AtomicInteger n = new AtomicInteger();
            surveyWorkers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "survey-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                synchronized (workerThreads) { workerThreads.add(t); }
                return t;
            });
            surveyWorkers.prestartAllCoreThreads();
        }

        /** Worker task: turns a drone flight's thermal frames into the building's façade survey. */
        void computeSurvey(String buildingId, long flownAt, long seed) {
            Random r = new Random(seed);
            float[] map = new float[480];
            int flagged = 0;
            for (int k = 0; k < map.length; k++) {
                map[k] = r.nextFloat() * 3.5f;
                if (map[k] > 3.2f) flagged++;
            }
            FacadeSurvey s = new FacadeSurvey(buildingId, map, flagged, flownAt);
            facadeSurveys.merge(buildingId, s, (old, neu) -> neu.surveyedAt() > old.surveyedAt() ? neu : old);
            surveysComputed.incrementAndGet();
        }
    }

    static MaintenanceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(40_060_001);
        String[] specCodes = new String[SPECS];
        for (int s = 0; s < SPECS; s++) {
            double[] u = new double[64];
            for (int k = 0; k < u.length; k++) u[k] = 0.8 + rnd.nextDouble() * 2;
            specCodes[s] = "GS-" + (100 + s);
            SPECS_BY_CODE.put(specCodes[s], new GlassSpec(specCodes[s], "Spec " + s, u));
        }
        MaintenanceService svc = new MaintenanceService();
        SERVICE = svc;
        // The pane register, from the contract schedule: one record per pane, never added to or removed from.
        String[] buildingIds = new String[BUILDINGS];
        long recentInspections = 0;
        for (int b = 0; b < BUILDINGS; b++) {
            buildingIds[b] = "B" + (100 + b);
            long installed = now - (long) (365 + rnd.nextInt(9_000)) * DAY;
            for (int f = 0; f < FLOORS; f++) {
                for (int p = 0; p < PANES_PER_FLOOR; p++) {
                    String code = String.format("%s-F%02d-P%02d", buildingIds[b], f + 1, p + 1);
                    PaneRecord r = new PaneRecord(code, buildingIds[b], specCodes[rnd.nextInt(SPECS)], f + 1, 1.2f + rnd.nextFloat(), 1.5f + rnd.nextFloat(), installed);
                    // inspected 11 hours to 3 years ago, cleaned 11 hours to 90 days ago: before this run, never touched in it
                    r.lastInspectedAt = start - HOUR - (long) (rnd.nextDouble() * 3 * 365 * DAY);
                    r.lastCleanedAt = start - HOUR - (long) (rnd.nextDouble() * 90 * DAY);
                    if (r.lastInspectedAt > end - DAY) recentInspections++;
                    svc.paneRegister.put(code, r);
                }
            }
        }
        String[] clientIds = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "FM-" + (40_000 + c * 9);
            svc.clients.put(clientIds[c], new Client(clientIds[c], "Facilities " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.cutterBuffers.add(new byte[32_768]);

        Random traffic = new Random(40_060_002);
        AtomicLong submitted = new AtomicLong();
        long flights = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            int calls = 8 + traffic.nextInt(8);
            for (int k = 0; k < calls; k++) {
                long at = minute + traffic.nextInt(60_000);
                String client = clientIds[traffic.nextInt(CLIENTS)];
                svc.callOuts[(int) (svc.callOutsWritten++ % RING)] = new CallOut("CO-" + (700_000 + svc.callOutsWritten), client, (1 + traffic.nextInt(300)) + " High Street", 1 + traffic.nextInt(6), at);
                String sheetKey = client + "/sheet-" + traffic.nextInt(3);
                if (svc.jobSheets.get(sheetKey) == null) svc.jobSheets.put(sheetKey, new JobSheet(sheetKey, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.cutterBuffers.poll();
                buf[k] = (byte) minute;
                svc.cutterBuffers.add(buf);
            }
            if (traffic.nextInt(2) == 0) { // a drone flight over one building finished: the survey is computed by the pool
                String building = buildingIds[traffic.nextInt(BUILDINGS)];
                long flownAt = minute + traffic.nextInt(60_000);
                long seed = traffic.nextLong();
                svc.surveyWorkers.execute(() -> svc.computeSurvey(building, flownAt, seed));
                flights++;
            }
        }
        while (svc.surveysComputed.get() < flights) Thread.sleep(5);
        for (Thread t : svc.workerThreads) while (t.getState() != Thread.State.WAITING) Thread.sleep(5);

        long touched = 0;
        for (PaneRecord r : svc.paneRegister.values()) if (r.lastInspectedAt >= start || r.lastCleanedAt >= start) touched++;
        StringBuilder threads = new StringBuilder();
        for (Thread t : svc.workerThreads) threads.append(' ').append(t.getName()).append('=').append(t.getState());
        System.out.println("specs " + SPECS_BY_CODE.size() + " panes " + svc.paneRegister.size() + " (touched in the run " + touched + ", inspected in the last day " + recentInspections + ") clients " + svc.clients.size()
                + " call-outs " + svc.callOutsWritten + " sheets " + svc.jobSheets.size() + " (evicted " + svc.jobSheets.evicted + ") flights " + flights + " surveys " + svc.facadeSurveys.size()
                + " (computed " + svc.surveysComputed.get() + ") pool " + svc.cutterBuffers.size() + " workers" + threads);
        check(SPECS_BY_CODE.size() == SPECS && svc.clients.size() == CLIENTS, "reference data / directory");
        check(svc.paneRegister.size() == PANES && touched == 0, "pane register: one record per contracted pane, none touched");
        check(svc.callOutsWritten == EXPECTED_CALL_OUTS && svc.callOuts[RING - 1] != null, "call-out ring full");
        check(svc.jobSheets.size() == SHEET_CAP && svc.jobSheets.evicted > 0, "sheet cache at cap");
        check(svc.cutterBuffers.size() == POOL, "pool");
        check(flights == EXPECTED_FLIGHTS && svc.surveysComputed.get() == EXPECTED_FLIGHTS && svc.facadeSurveys.size() == EXPECTED_SURVEYED_BUILDINGS, "surveys");
        check(svc.workerThreads.size() == WORKERS && svc.surveyWorkers.getQueue().isEmpty(), "pool idle");
        for (Thread t : svc.workerThreads) check(t.isAlive() && t.getState() == Thread.State.WAITING, "worker " + t.getName() + " alive and idle");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_CALL_OUTS = 6_851, EXPECTED_FLIGHTS = 297, EXPECTED_SURVEYED_BUILDINGS = 97;
}
