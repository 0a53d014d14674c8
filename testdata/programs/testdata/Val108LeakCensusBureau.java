// hprofscan-dump: name=val108-leak-censusbureau jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val108-leak-censusbureau-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 108 (written blind), LEAK: the reporting service of a national statistics office
 * (census tables). Region reference data, the table directory, a cache of rendered report pages at
 * its cap, a pool of export buffers, a ring of the request log, and a "close at end of request" list
 * of the long-lived service (List&lt;Closeable&gt;): every report opens a ReportCursor (query + result
 * buffer) and registers it there. Only the old API's handler closes and unregisters its cursor, and
 * only on its success path: every cursor of the new API (/v2) and of a failed old-API request stays
 * open and listed. See VALIDATION108.md.
 */
public final class Val108LeakCensusBureau {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 1_000, TABLES = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, REQUESTS = 24_000, HOURS = 10;
    static boolean FIXED;

    record Region(String code, String name, double[] populationByAge) {}
    record TableDef(String tableId, String regionCode, String title, byte[] metadata, long publishedAt) {}
    record ReportPage(String key, byte[] rendered, long at) {}
    record RequestLog(long requestId, String api, String tableId, int status, long at) {}

    /** A server-side cursor over a report query: holds the fetched result rows until closed. */
    static final class ReportCursor implements Closeable {
        final long id; final String query; final String tableId; final long openedAt;
        byte[] resultBuffer; boolean closed;
        ReportCursor(long id, String query, String tableId, long openedAt, byte[] resultBuffer) { this.id = id; this.query = query; this.tableId = tableId; this.openedAt = openedAt; this.resultBuffer = resultBuffer; }
        @Override public void close() { closed = true; resultBuffer = null; }
    }

    static final class QueryTimeout extends RuntimeException {
        QueryTimeout(String m) { super(m, null, false, false); }
    }

    static final class PageCache extends LinkedHashMap<String, ReportPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ReportPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class ReportService {
        final Map<String, TableDef> tables = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final RequestLog[] requestLog = new RequestLog[RING];
        /** Resources to close when the current request ends. */
        final List<Closeable> closeAtEndOfRequest = new ArrayList<>();
        long requests, v1, v2, failed, cursorsOpened, cursorsClosed;

        ReportCursor open(String tableId, Random r, long t) {
            String query = "SELECT cell, value FROM census WHERE table_id='" + tableId + "' AND vintage=" + (2011 + r.nextInt(3) * 5);
            ReportCursor c = new ReportCursor(60_000_000L + cursorsOpened++, query, tableId, t, new byte[500 + r.nextInt(500)]);
            closeAtEndOfRequest.add(c);
            return c;
        }

        void closeAndUnregister(ReportCursor c) {
            c.close();
            cursorsClosed++;
            for (int k = closeAtEndOfRequest.size() - 1; k >= 0; k--) if (closeAtEndOfRequest.get(k) == c) { closeAtEndOfRequest.remove(k); break; }
        }

        void render(ReportCursor c, Random r, long t) {
            byte[] buf = exportBuffers.poll();
            buf[(int) (c.id % buf.length)] = (byte) c.resultBuffer.length;
            exportBuffers.add(buf);
            String key = "page-" + r.nextInt(5_000);
            if (pages.get(key) == null) pages.put(key, new ReportPage(key, new byte[500 + r.nextInt(500)], t));
        }

        /** Old API: closes its cursor on the success path only. */
        void handleV1(String tableId, Random r, long t) {
            ReportCursor c = open(tableId, r, t);
            if (FIXED) {
                try { runV1(c, r, t); } finally { if (!c.closed) closeAndUnregister(c); }
            } else {
                runV1(c, r, t);
                closeAndUnregister(c);
            }
        }

        private void runV1(ReportCursor c, Random r, long t) {
            if (r.nextInt(50) == 0) throw new QueryTimeout("statement timeout on " + c.tableId);
            render(c, r, t);
        }

        /** New API: streams the report and returns; nobody closes the cursor (BUG). */
        void handleV2(String tableId, Random r, long t) {
            ReportCursor c = open(tableId, r, t);
            try { render(c, r, t); } finally { if (FIXED) closeAndUnregister(c); }
        }

        void request(boolean newApi, String tableId, Random r, long t) {
            int status = 200;
            requests++;
            try {
                if (newApi) { v2++; handleV2(tableId, r, t); } else { v1++; handleV1(tableId, r, t); }
            } catch (QueryTimeout e) {
                failed++;
                status = 504;
            }
            requestLog[(int) ((requests - 1) % RING)] = new RequestLog(requests, newApi ? "v2" : "v1", tableId, status, t);
        }
    }

    static ReportService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(108_020_001);
        String[] regionCodes = new String[REGIONS];
        for (int g = 0; g < REGIONS; g++) {
            double[] pop = new double[80];
            for (int k = 0; k < pop.length; k++) pop[k] = rnd.nextDouble() * 5_000;
            regionCodes[g] = "E0" + (7_000_000 + g * 11);
            REGIONS_BY_CODE.put(regionCodes[g], new Region(regionCodes[g], "Area " + g, pop));
        }
        ReportService svc = new ReportService();
        SERVICE = svc;
        String[] tableIds = new String[TABLES];
        for (int i = 0; i < TABLES; i++) {
            tableIds[i] = "TS" + (100_000 + i);
            svc.tables.put(tableIds[i], new TableDef(tableIds[i], regionCodes[rnd.nextInt(REGIONS)], "Table " + (i % 900), new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        Random traffic = new Random(108_020_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            // the new API is rolled out over the day: 20% of requests at the start, 60% at the end
            boolean newApi = traffic.nextInt(100) < 20 + 40 * i / REQUESTS;
            svc.request(newApi, tableIds[traffic.nextInt(TABLES)], traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val108.fixed");
        simulate();
        ReportService svc = SERVICE;
        int listed = svc.closeAtEndOfRequest.size();
        System.out.println((FIXED ? "FIXED " : "") + "regions " + REGIONS_BY_CODE.size() + " tables " + svc.tables.size() + " requests " + svc.requests + " (v1 " + svc.v1 + ", v2 " + svc.v2 + ", failed " + svc.failed
                + ") cursors opened " + svc.cursorsOpened + " closed " + svc.cursorsClosed + " listed " + listed + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.exportBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && svc.tables.size() == TABLES, "reference data / directory");
        check(svc.requests == REQUESTS && svc.cursorsOpened == REQUESTS, "traffic");
        if (FIXED) check(listed == 0 && svc.cursorsClosed == REQUESTS, "all closed");
        else check(listed == svc.v2 + svc.failed && svc.cursorsClosed == svc.v1 - svc.failed, "open cursors: " + listed);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.requestLog[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
