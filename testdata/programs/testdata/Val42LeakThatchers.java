// hprofscan-dump: name=val42-leak-thatchers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val42-leak-thatchers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 42 (written blind), LEAK: the roof-survey service of a thatching contractor. Reed and
 * straw reference data, the directory of thatched properties, an LRU of rendered quote sheets at its
 * cap, a pool of probe-decode buffers, a ring of survey reports, the surveys in progress. Each survey
 * opens a ProbeLink to the surveyor's moisture-probe gateway and registers it as an MXBean in the
 * platform MBeanServer (testdata.thatchers:type=ProbeLink,survey=SV-...) so that operations can watch
 * it in a JMX console. closeLink() removes the link from openLinks and writes the report, but never
 * calls unregisterMBean: the MBeanServer's repository keeps every closed link, with its readings
 * buffer, for the life of the JVM. No thread besides main. See VALIDATION42.md.
 */
public final class Val42LeakThatchers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int REEDS = 900, PROPERTIES = 25_000, SHEET_CAP = 1_500, POOL = 8, RING = 2_048, HOURS = 10, SURVEYORS = 40;
    static final String[] ROOF_PARTS = {"ridge", "eaves", "gable", "valley", "chimney-flashing", "dormer", "main-coat"};
    static final String DOMAIN = "testdata.thatchers";
    static boolean FIXED;

    record Reed(String code, String kind, double[] moistureCurve) {}
    record ThatchedProperty(String id, String address, byte[] roofRecord, long lastRethatched) {}
    record QuoteSheet(String key, byte[] rendered, long at) {}
    record SurveyReport(String surveyId, String propertyId, int readings, int wetSpots, long closedAt) {}

    public interface ProbeLinkMXBean {
        String getSurveyId();
        String getPropertyId();
        int getReadings();
        long getOpenedAt();
    }

    /** A surveyor's moisture-probe gateway session for one survey. */
    static final class ProbeLink implements ProbeLinkMXBean {
        final String surveyId, propertyId, surveyor;
        final byte[] readingsBuffer;
        final long openedAt;
        int readings;
        long closedAt;
        ProbeLink(String surveyId, String propertyId, String surveyor, byte[] readingsBuffer, long openedAt) {
            this.surveyId = surveyId; this.propertyId = propertyId; this.surveyor = surveyor; this.readingsBuffer = readingsBuffer; this.openedAt = openedAt;
        }
        @Override public String getSurveyId() { return surveyId; }
        @Override public String getPropertyId() { return propertyId; }
        @Override public int getReadings() { return readings; }
        @Override public long getOpenedAt() { return openedAt; }
    }

    static final class SheetCache extends LinkedHashMap<String, QuoteSheet> {
        long evicted;
        SheetCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, QuoteSheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Reed> REEDS_BY_CODE = new HashMap<>();

    static final class SurveyService {
        final Map<String, ThatchedProperty> properties = new HashMap<>();
        final SheetCache quoteSheets = new SheetCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final SurveyReport[] reports = new SurveyReport[RING];
        final Map<String, ProbeLink> openLinks = new HashMap<>();
        final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        long reportsWritten;

        static ObjectName nameOf(String surveyId) throws Exception { return new ObjectName(DOMAIN + ":type=ProbeLink,survey=" + surveyId); }

        void openLink(ProbeLink link) throws Exception {
            openLinks.put(link.surveyId, link);
            platform.registerMBean(link, nameOf(link.surveyId));
        }

        void closeLink(String surveyId, int wetSpots, long at) throws Exception {
            ProbeLink link = openLinks.remove(surveyId);
            link.closedAt = at;
            reports[(int) (reportsWritten++ % RING)] = new SurveyReport(surveyId, link.propertyId, link.readings, wetSpots, at);
            if (FIXED) platform.unregisterMBean(nameOf(surveyId));
        }
    }

    static SurveyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val42.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(42_040_001);
        String[] reedCodes = new String[REEDS];
        String[] kinds = {"water-reed", "combed-wheat-reed", "long-straw", "sedge"};
        for (int r = 0; r < REEDS; r++) {
            double[] m = new double[64];
            for (int k = 0; k < m.length; k++) m[k] = 8 + rnd.nextDouble() * 30;
            reedCodes[r] = "RD-" + (1_000 + r);
            REEDS_BY_CODE.put(reedCodes[r], new Reed(reedCodes[r], kinds[r % kinds.length], m));
        }
        SurveyService svc = new SurveyService();
        SERVICE = svc;
        String[] propertyIds = new String[PROPERTIES];
        for (int p = 0; p < PROPERTIES; p++) {
            propertyIds[p] = "TP-" + (100_000 + p * 3);
            svc.properties.put(propertyIds[p], new ThatchedProperty(propertyIds[p], p + " Church Lane", new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);

        Random traffic = new Random(42_040_002);
        Map<Long, List<String>> closing = new HashMap<>();
        long opened = 0, closed = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            List<String> due = closing.remove(minute);
            if (due != null) for (String id : due) { svc.closeLink(id, traffic.nextInt(6), minute); closed++; }
            // Readings from the open links.
            for (ProbeLink l : svc.openLinks.values()) {
                l.readingsBuffer[l.readings % l.readingsBuffer.length] = (byte) minute;
                l.readings++;
            }
            int surveys = 4 + traffic.nextInt(5);
            for (int k = 0; k < surveys; k++) {
                long at = minute + traffic.nextInt(60_000);
                String surveyId = "SV-" + (500_000 + opened);
                String property = propertyIds[traffic.nextInt(PROPERTIES)];
                ProbeLink link = new ProbeLink(surveyId, property, "surveyor-" + traffic.nextInt(SURVEYORS), new byte[800 + traffic.nextInt(800)], at);
                svc.openLink(link);
                opened++;
                byte[] buf = svc.decodeBuffers.poll();
                buf[(int) (opened % buf.length)] = (byte) opened;
                svc.decodeBuffers.add(buf);
                String sheetKey = property + "/" + ROOF_PARTS[traffic.nextInt(ROOF_PARTS.length)] + "/" + reedCodes[traffic.nextInt(REEDS)];
                if (svc.quoteSheets.get(sheetKey) == null) svc.quoteSheets.put(sheetKey, new QuoteSheet(sheetKey, new byte[400 + traffic.nextInt(400)], at));
                closing.computeIfAbsent(minute + (long) (20 + traffic.nextInt(70)) * MINUTE, x -> new ArrayList<>()).add(surveyId);
            }
        }
        closing = null;
        System.gc();
        int registered = svc.platform.queryNames(new ObjectName(DOMAIN + ":type=ProbeLink,*"), null).size();
        System.out.println((FIXED ? "FIXED " : "") + "reeds " + REEDS_BY_CODE.size() + " properties " + svc.properties.size() + " opened " + opened + " closed " + closed
                + " open " + svc.openLinks.size() + " registered " + registered + " sheets " + svc.quoteSheets.size() + " (evicted " + svc.quoteSheets.evicted + ") reports "
                + svc.reportsWritten + " pool " + svc.decodeBuffers.size() + " mbeans " + svc.platform.getMBeanCount());
        check(REEDS_BY_CODE.size() == REEDS && svc.properties.size() == PROPERTIES, "reference data / directory");
        check(opened == EXPECTED_OPENED && closed == EXPECTED_CLOSED && svc.openLinks.size() == opened - closed, "surveys");
        check(registered == (FIXED ? opened - closed : opened), "registered probe links " + registered);
        check(svc.quoteSheets.size() == SHEET_CAP && svc.quoteSheets.evicted == EXPECTED_SHEETS_EVICTED, "sheet LRU at cap");
        check(svc.decodeBuffers.size() == POOL && svc.reportsWritten == closed && svc.reports[RING - 1] != null, "pool / reports");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_OPENED = 3_585, EXPECTED_CLOSED = 3_257, EXPECTED_SHEETS_EVICTED = 2_085;
}
