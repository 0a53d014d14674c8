// hprofscan-dump: name=val83-healthy-marinesurveys jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val83-healthy-marinesurveys-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 83 (written blind), HEALTHY: the survey-management service of a ship
 * classification society. Port reference data, the vessel register, a cache of rendered survey
 * reports at its cap, a pool of report-export buffers, a ring of hull-thickness gauge readings, the
 * surveys in progress, each published as a JMX MBean (org.classreg.surveys:type=Survey,...)
 * registered when the survey starts and unregistered when it closes, and the sonar scan blocks of the
 * surveys in progress: native (simulated) memory registered with a java.lang.ref.Cleaner whose
 * action holds only the arena, address and size, so a dropped block is freed. See VALIDATION83.md.
 */
public final class Val83HealthyMarineSurveys {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PORTS = 1_100, VESSELS = 27_000, REPORT_CAP = 2_000, POOL = 8, RING = 16_384, SURVEYS_PER_HOUR = 400, HOURS = 10, BLOCKS_PER_SURVEY = 6;
    static final String DOMAIN = "org.classreg.surveys";

    record Port(String unlocode, String name, double[] tideTable) {}
    record Vessel(String imo, String name, String flag, byte[] classRecord, long keelLaidAt) {}
    record SurveyReport(String key, byte[] rendered, long at) {}
    record GaugeReading(String imo, String frame, double thicknessMm, long at) {}

    public interface SurveyMBean {
        String getSurveyId();
        String getImo();
        String getKind();
        int getFindings();
        long getStartedAt();
    }

    static final class Survey implements SurveyMBean {
        final String surveyId, imo, kind, portCode;
        final long startedAt, closesAt;
        final byte[] checklist;
        final List<ScanBlock> scans = new ArrayList<>();
        int findings;
        ObjectName objectName;
        Survey(String surveyId, String imo, String kind, String portCode, long startedAt, long closesAt, byte[] checklist) {
            this.surveyId = surveyId; this.imo = imo; this.kind = kind; this.portCode = portCode; this.startedAt = startedAt; this.closesAt = closesAt; this.checklist = checklist;
        }
        @Override public String getSurveyId() { return surveyId; }
        @Override public String getImo() { return imo; }
        @Override public String getKind() { return kind; }
        @Override public int getFindings() { return findings; }
        @Override public long getStartedAt() { return startedAt; }
    }

    static final class NativeArena {
        long nextAddress = 0x7e10_0000_0000L, allocations, frees;
        synchronized long allocate(int size) { allocations++; long a = nextAddress; nextAddress += (size + 63) & ~63; return a; }
        synchronized void free(long address, int size) { frees++; }
        synchronized long live() { return allocations - frees; }
    }

    /** Cleaning action: holds only the arena, address and size, never the block. */
    record FreeScan(NativeArena arena, long address, int size) implements Runnable {
        public void run() { arena.free(address, size); }
    }

    static final class ScanBlock {
        final long address; final int size; final String surveyId; final float[] preview;
        final Cleaner.Cleanable cleanable;
        ScanBlock(NativeArena arena, Cleaner cleaner, int size, String surveyId, float[] preview) {
            this.address = arena.allocate(size); this.size = size; this.surveyId = surveyId; this.preview = preview;
            this.cleanable = cleaner.register(this, new FreeScan(arena, address, size));
        }
    }

    static final class ReportCache extends LinkedHashMap<String, SurveyReport> {
        long evicted;
        ReportCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SurveyReport> e) { if (size() > REPORT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Port> PORTS_BY_CODE = new HashMap<>();

    static final class SurveyService {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Vessel> vessels = new HashMap<>();
        final Map<String, Survey> open = new HashMap<>();
        final PriorityQueue<Survey> byClose = new PriorityQueue<>((a, b) -> Long.compare(a.closesAt, b.closesAt));
        final ReportCache reports = new ReportCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final GaugeReading[] gauges = new GaugeReading[RING];
        final NativeArena arena = new NativeArena();
        final Cleaner cleaner = Cleaner.create();
        long gaugeWritten, started, closed, registered, unregistered, maxOpen;

        void start(Survey s) throws Exception {
            started++;
            open.put(s.surveyId, s);
            byClose.add(s);
            s.objectName = new ObjectName(DOMAIN + ":type=Survey,port=" + s.portCode + ",id=" + s.surveyId);
            mbeans.registerMBean(s, s.objectName);
            registered++;
            maxOpen = Math.max(maxOpen, open.size());
        }

        void closeUpTo(long t, Random r) throws Exception {
            while (!byClose.isEmpty() && byClose.peek().closesAt <= t) {
                Survey s = byClose.poll();
                open.remove(s.surveyId);
                s.findings = r.nextInt(9);
                s.scans.clear(); // the scan blocks are dropped; the Cleaner frees their native memory
                mbeans.unregisterMBean(s.objectName);
                unregistered++;
                closed++;
            }
        }
    }

    static SurveyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int surveys = SURVEYS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(83_060_001);
        String[] portCodes = new String[PORTS];
        for (int p = 0; p < PORTS; p++) {
            double[] tide = new double[72];
            for (int k = 0; k < tide.length; k++) tide[k] = rnd.nextDouble() * 6;
            portCodes[p] = "P" + (char) ('A' + p % 26) + (char) ('A' + (p / 26) % 26) + (100 + p);
            PORTS_BY_CODE.put(portCodes[p], new Port(portCodes[p], "Port " + p, tide));
        }
        SurveyService svc = new SurveyService();
        SERVICE = svc;
        String[] imos = new String[VESSELS];
        String[] flags = {"LR", "PA", "MH", "MT", "BS", "SG", "NO", "GR"};
        for (int v = 0; v < VESSELS; v++) {
            imos[v] = Integer.toString(9_100_000 + v * 7);
            svc.vessels.put(imos[v], new Vessel(imos[v], "MV Vessel " + v, flags[rnd.nextInt(flags.length)], new byte[150 + rnd.nextInt(150)], now - (long) (365 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        Random traffic = new Random(83_060_002);
        Random outcomes = new Random(83_060_003);
        String[] kinds = {"ANNUAL", "INTERMEDIATE", "SPECIAL", "DRYDOCK", "OCCASIONAL"};
        String[] frames = {"FR-12", "FR-40", "FR-88", "FR-120", "FR-160"};
        for (int i = 0; i < surveys; i++) {
            long t = start + (end - MINUTE - start) * i / surveys;
            svc.closeUpTo(t, outcomes);
            String imo = imos[traffic.nextInt(VESSELS)];
            Survey s = new Survey("SV-" + (770_000 + i), imo, kinds[traffic.nextInt(kinds.length)], portCodes[traffic.nextInt(PORTS)], t, t + (15 + traffic.nextInt(46)) * MINUTE, new byte[600 + traffic.nextInt(600)]);
            svc.start(s);
            for (int k = 0; k < BLOCKS_PER_SURVEY; k++) {
                float[] preview = new float[64 + traffic.nextInt(64)];
                preview[0] = traffic.nextFloat();
                s.scans.add(new ScanBlock(svc.arena, svc.cleaner, 131_072 + traffic.nextInt(131_072), s.surveyId, preview));
            }
            for (int k = 0; k < 6; k++) {
                svc.gauges[(int) (svc.gaugeWritten++ % RING)] = new GaugeReading(imos[traffic.nextInt(VESSELS)], frames[traffic.nextInt(frames.length)], 8 + traffic.nextDouble() * 14, t);
            }
            for (int k = 0; k < 2; k++) {
                String key = "rpt-" + imos[traffic.nextInt(VESSELS)].substring(0, 5) + "-" + kinds[traffic.nextInt(kinds.length)];
                if (svc.reports.get(key) == null) svc.reports.put(key, new SurveyReport(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.exportBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.exportBuffers.add(buf);
        }
        svc.closeUpTo(end, outcomes);
        int openBlocks = 0;
        for (Survey s : svc.open.values()) openBlocks += s.scans.size();
        long deadline = System.currentTimeMillis() + 30_000;
        while (svc.arena.live() > openBlocks && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(50); }
        int registeredNow = svc.mbeans.queryNames(new ObjectName(DOMAIN + ":type=Survey,*"), null).size();
        System.out.println("ports " + PORTS_BY_CODE.size() + " vessels " + svc.vessels.size() + " surveys started " + svc.started + " closed " + svc.closed + " open " + svc.open.size() + " (max " + svc.maxOpen + ") MBeans " + registeredNow
                + " scan blocks live " + svc.arena.live() + " (allocated " + svc.arena.allocations + ", freed " + svc.arena.frees + ") reports " + svc.reports.size() + " (evicted " + svc.reports.evicted + ") gauges " + svc.gaugeWritten + " pool " + svc.exportBuffers.size());
        check(PORTS_BY_CODE.size() == PORTS && svc.vessels.size() == VESSELS, "reference data / directory");
        check(svc.started == surveys && svc.closed + svc.open.size() == surveys && registeredNow == svc.open.size() && svc.unregistered == svc.closed, "only open surveys registered");
        check(svc.arena.live() == openBlocks && openBlocks == BLOCKS_PER_SURVEY * svc.open.size(), "dropped scan blocks cleaned: " + svc.arena.live());
        check(svc.reports.size() == REPORT_CAP && svc.reports.evicted > 0, "report cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.gaugeWritten == 6L * surveys && svc.gauges[RING - 1] != null, "gauge ring");
        LeakCheck.histogram(" [I (", "javax.management.ObjectName ", "jdk.internal.ref.CleanerImpl$PhantomCleanableRef ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
