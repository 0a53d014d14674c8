// hprofscan-dump: name=val134-healthy-forensiclabs jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val134-healthy-forensiclabs-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 134 (written blind), HEALTHY: the evidence-tracking service of a forensic science
 * provider's laboratories. A large read-only reference table (the footwear sole-pattern reference
 * collection, 8,000 patterns with a float[256] feature vector each), the exhibit directory, a warm
 * cache of rendered case reports at its cap, a ring of chain-of-custody events, an analysis queue
 * with a normal backlog, and look-alikes of the set's leaks done right: a pool of 12 LIMS
 * connections whose "on release" callbacks (each capturing the request's custody context) are run
 * and cleared when the connection goes back to the pool; and a map of exhibits keyed by the digest
 * of their tamper-evident seal token as a hex String, so every scan finds its exhibit.
 * See VALIDATION134.md.
 */
public final class Val134HealthyForensicLabs {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L, ANALYSIS_TIME = 40 * MINUTE;
    static final int PATTERNS = 8_000, FEATURES = 256, EXHIBITS = 20_000, REPORT_CAP = 2_000, LIMS_POOL = 12, RING = 8_192, HOURS = 10, SCANS_PER_HOUR = 5_000;

    record SolePattern(String code, String brand, String model, float[] features) {}
    record Exhibit(String ref, String caseNumber, String sealNumber, String description, byte[] custodyRecord, long seizedAt) {}
    record Report(String key, byte[] rendered, long at) {}
    record CustodyEvent(String exhibitRef, String lab, String action, String officer, long at) {}
    record CustodyContext(String requestId, String exhibitRef, String lab, String action, String officer, long at) {}
    record AnalysisItem(String exhibitRef, String discipline, long queuedAt) {}

    static final class LimsConnection {
        final int id; final byte[] networkBuffer = new byte[16_384];
        final List<Runnable> onRelease = new ArrayList<>();
        long borrows;
        LimsConnection(int id) { this.id = id; }
        void onRelease(Runnable r) { onRelease.add(r); }
    }

    /** A pool of LIMS connections; release runs the borrower's callbacks and clears them. */
    static final class LimsPool {
        final ArrayDeque<LimsConnection> idle = new ArrayDeque<>();
        long borrowed, released, callbacksRun;
        LimsConnection borrow() { borrowed++; LimsConnection c = idle.pollFirst(); c.borrows++; return c; }
        void release(LimsConnection c) {
            for (Runnable r : c.onRelease) { r.run(); callbacksRun++; }
            c.onRelease.clear();
            released++;
            idle.addLast(c);
        }
    }

    static final class ReportCache extends LinkedHashMap<String, Report> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Report> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SolePattern> SOLE_PATTERNS = new HashMap<>();

    static final class LabService {
        final Map<String, Exhibit> exhibits = new HashMap<>();
        final String[] exhibitRefs = new String[EXHIBITS];
        final Map<String, Exhibit> bySealDigest = new HashMap<>(); // hex SHA-256 of the seal token
        final ReportCache reports = new ReportCache();
        final LimsPool lims = new LimsPool();
        final CustodyEvent[] custodyLog = new CustodyEvent[RING];
        final ArrayDeque<AnalysisItem> analysisQueue = new ArrayDeque<>();
        final MessageDigest sha256;
        long scans, digestHits, digestMisses, custodyEvents, queued, analysed, comparisons;
        LabService() throws Exception { sha256 = MessageDigest.getInstance("SHA-256"); }

        String sealDigest(String sealToken) { return HexFormat.of().formatHex(sha256.digest(sealToken.getBytes(StandardCharsets.UTF_8))); }

        void record(CustodyContext ctx) { custodyLog[(int) (custodyEvents++ % RING)] = new CustodyEvent(ctx.exhibitRef(), ctx.lab(), ctx.action(), ctx.officer(), ctx.at()); }

        void scan(Random r, long t) {
            Exhibit ex = exhibits.get(exhibitRefs[r.nextInt(EXHIBITS)]);
            String token = "seal:" + ex.sealNumber() + ":" + ex.ref();
            Exhibit found = bySealDigest.get(sealDigest(token));
            if (found == null) { digestMisses++; return; }
            digestHits++;
            String action = ACTIONS[r.nextInt(ACTIONS.length)];
            CustodyContext ctx = new CustodyContext("req-" + Long.toHexString(0x7a00_0000L + scans++), found.ref(), "LAB-" + (1 + r.nextInt(9)), action, "OFF" + (2_000 + r.nextInt(600)), t);
            LimsConnection c = lims.borrow();
            try {
                c.onRelease(() -> record(ctx));
                c.networkBuffer[(int) (scans % c.networkBuffer.length)] = (byte) action.length();
                if (action.equals("footwear comparison")) {
                    SolePattern p = SOLE_PATTERNS.get("FW-" + (100_000 + r.nextInt(PATTERNS)));
                    comparisons += p.features().length;
                }
                if (action.equals("booked for analysis")) { analysisQueue.addLast(new AnalysisItem(found.ref(), DISCIPLINES[r.nextInt(DISCIPLINES.length)], t)); queued++; }
                String rk = "report-" + r.nextInt(5_000);
                if (reports.get(rk) == null) reports.put(rk, new Report(rk, new byte[400 + r.nextInt(400)], t));
            } finally {
                lims.release(c);
            }
        }

        void minuteTick(long t) {
            while (!analysisQueue.isEmpty() && analysisQueue.peekFirst().queuedAt() <= t - ANALYSIS_TIME) { analysisQueue.pollFirst(); analysed++; }
        }
    }

    static final String[] ACTIONS = {"received at lab", "seal checked", "moved to store", "booked for analysis", "footwear comparison", "returned to police", "photographed", "sub-sampled"};
    static final String[] DISCIPLINES = {"toxicology", "DNA", "fibres", "footwear", "glass", "digital", "drugs", "firearms"};
    static final String[] BRANDS = {"Nike", "Adidas", "Reebok", "Puma", "Vans", "Converse", "Asics", "New Balance", "Clarks", "Dr Martens"};

    static LabService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(134_060_001);
        for (int p = 0; p < PATTERNS; p++) {
            float[] features = new float[FEATURES];
            for (int k = 0; k < FEATURES; k++) features[k] = rnd.nextFloat();
            String code = "FW-" + (100_000 + p);
            SOLE_PATTERNS.put(code, new SolePattern(code, BRANDS[p % BRANDS.length], "M" + (p % 700), features));
        }
        LabService svc = new LabService();
        SERVICE = svc;
        for (int i = 0; i < EXHIBITS; i++) {
            String ref = "EX-" + (2_600_000 + i * 3);
            svc.exhibitRefs[i] = ref;
            Exhibit ex = new Exhibit(ref, "OP-" + (40_000 + rnd.nextInt(6_000)), "S" + (10_000_000 + rnd.nextInt(80_000_000)), "exhibit bag " + (i % 97) + ", item " + (1 + rnd.nextInt(40)),
                    new byte[150 + rnd.nextInt(150)], end - (long) (1 + rnd.nextInt(700)) * DAY);
            svc.exhibits.put(ref, ex);
            svc.bySealDigest.put(svc.sealDigest("seal:" + ex.sealNumber() + ":" + ref), ex);
        }
        for (int c = 0; c < LIMS_POOL; c++) svc.lims.idle.addLast(new LimsConnection(c));
        Random traffic = new Random(134_060_002);
        int scans = SCANS_PER_HOUR * HOURS;
        long nextTick = start + MINUTE;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            while (nextTick <= t) { svc.minuteTick(nextTick); nextTick += MINUTE; }
            svc.scan(traffic, t);
        }
        while (nextTick <= end) { svc.minuteTick(nextTick); nextTick += MINUTE; }
    }

    static void verify() {
        LabService svc = SERVICE;
        int pendingCallbacks = 0;
        for (LimsConnection c : svc.lims.idle) pendingCallbacks += c.onRelease.size();
        System.out.println("patterns " + SOLE_PATTERNS.size() + " exhibits " + svc.exhibits.size() + " bySealDigest " + svc.bySealDigest.size() + " scans " + svc.scans + " digest hits " + svc.digestHits + " misses " + svc.digestMisses
                + " lims " + svc.lims.idle.size() + " borrowed " + svc.lims.borrowed + " released " + svc.lims.released + " callbacks run " + svc.lims.callbacksRun + " pending " + pendingCallbacks
                + " custody " + svc.custodyEvents + " reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") analysis " + svc.analysisQueue.size() + " (" + svc.queued + " queued, " + svc.analysed + " done)");
        check(SOLE_PATTERNS.size() == PATTERNS && svc.exhibits.size() == EXHIBITS && svc.bySealDigest.size() == EXHIBITS, "reference data / directories");
        check(svc.scans == (long) SCANS_PER_HOUR * HOURS && svc.digestHits == svc.scans && svc.digestMisses == 0, "every seal scan hits");
        check(svc.lims.idle.size() == LIMS_POOL && svc.lims.borrowed == svc.scans && svc.lims.released == svc.scans && svc.lims.callbacksRun == svc.scans && pendingCallbacks == 0, "pool callbacks run and cleared");
        check(svc.custodyEvents == svc.scans, "custody log");
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.queued - svc.analysed == svc.analysisQueue.size() && svc.analysisQueue.size() > 0, "analysis backlog");
        check(svc.analysisQueue.size() == 413 && svc.queued == 6_272 && svc.reports.evicted == 28_516, "exact backlog / cache counts"); // VALIDATION134.md
    }

    public static void main(String[] args) throws Exception {
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
