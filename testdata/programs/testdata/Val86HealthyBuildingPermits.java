// hprofscan-dump: name=val86-healthy-buildingpermits jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val86-healthy-buildingpermits-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 86 (written blind), HEALTHY: the online building-permit office of a city.
 * Zoning-district reference data, the directory of permit applications, a hand-written LRU of
 * rendered plan-review pages (a HashMap plus a LinkedList of keys; a hit moves its key to the
 * front, capacity 2,000, at its cap), a ring of the last 16,384 inspection events, a connection
 * pool to the county GIS server (at most 6 connections with their buffers), a recent-errors deque
 * trimmed to 50 after every single or batch add, and a background stamping executor (one worker
 * thread, {@code permit-stamp-1}) whose futures are kept in a pending map until their stamped
 * permit is collected and then removed. See VALIDATION86.md.
 */
public final class Val86HealthyBuildingPermits {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ZONES = 1_400, PERMITS = 26_000, PAGE_CAP = 2_000, RING = 16_384, GIS_MAX = 6, MAX_RECENT = 50;
    static final int HOURS = 10, REQUESTS_PER_HOUR = 6_000;

    record Zone(String code, String name, double[] setbacks) {}
    record PermitApplication(String number, String zoneCode, String applicant, byte[] application, long filedAt) {}
    record ReviewPage(String key, byte[] rendered, long at) {}
    record Inspection(String permitNumber, String inspector, String outcome, long at) {}
    record StampedPermit(String permitNumber, String stampId, byte[] sealedPdf, long at) {}
    record ErrorRecord(long at, String permitNumber, String source, String fingerprint, Throwable error) {}

    static final class ValidationException extends Exception {
        final String permitNumber;
        ValidationException(String message, String permitNumber) { super(message); this.permitNumber = permitNumber; }
    }

    /** Hand-written LRU done right: a hit moves its key to the front. */
    static final class PageCache {
        final Map<String, ReviewPage> map = new HashMap<>();
        final LinkedList<String> order = new LinkedList<>();
        final int capacity;
        long hits, misses, evicted;
        PageCache(int capacity) { this.capacity = capacity; }
        ReviewPage get(String key) {
            ReviewPage v = map.get(key);
            if (v == null) { misses++; return null; }
            hits++;
            order.remove(key);
            order.addFirst(key);
            return v;
        }
        void put(String key, ReviewPage v) {
            if (map.put(key, v) != null) order.remove(key);
            order.addFirst(key);
            while (map.size() > capacity) { map.remove(order.removeLast()); evicted++; }
        }
    }

    static final class GisConnection {
        final int id; final byte[] readBuffer = new byte[16_384], writeBuffer = new byte[4_096]; long lastUsedAt; int requests;
        GisConnection(int id) { this.id = id; }
    }

    /** Connection pool of the one GIS host; at most GIS_MAX connections. */
    static final class GisPool {
        final String host = "gis.county.example.gov";
        final ArrayDeque<GisConnection> idle = new ArrayDeque<>();
        int opened;
        GisConnection lease(long at) {
            GisConnection c = idle.pollFirst();
            if (c == null) { if (opened == GIS_MAX) throw new IllegalStateException("pool exhausted"); c = new GisConnection(opened++); }
            c.lastUsedAt = at; c.requests++;
            return c;
        }
        void release(GisConnection c) { idle.addFirst(c); }
    }

    static final class RecentErrors {
        final ArrayDeque<ErrorRecord> recent = new ArrayDeque<>();
        long recorded, trimmed;
        void add(ErrorRecord e) { recent.addLast(e); recorded++; trim(); }
        void addAll(List<ErrorRecord> batch) { recent.addAll(batch); recorded += batch.size(); trim(); }
        void trim() { while (recent.size() > MAX_RECENT) { recent.pollFirst(); trimmed++; } }
    }

    static final ThreadLocal<byte[]> SEAL_SCRATCH = ThreadLocal.withInitial(() -> new byte[32_768]);
    static final Map<String, Zone> ZONES_BY_CODE = new HashMap<>();

    static final class PermitOffice {
        final Map<String, PermitApplication> permits = new HashMap<>();
        final PageCache pages = new PageCache(PAGE_CAP);
        final Inspection[] inspections = new Inspection[RING];
        long inspectionCount;
        final GisPool gis = new GisPool();
        final RecentErrors errors = new RecentErrors();
        final ExecutorService stamping = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "permit-stamp-1"); t.setDaemon(true); return t; });
        final Map<String, Future<StampedPermit>> pendingStamps = new HashMap<>();
        long stampIds, collected;

        void requestStamp(String permitNumber, long at) {
            long id = 31_000_000L + stampIds++;
            pendingStamps.put(permitNumber + "#" + id, stamping.submit(() -> seal(id, permitNumber, at)));
        }

        static StampedPermit seal(long id, String permitNumber, long at) {
            Random r = new Random(id);
            byte[] scratch = SEAL_SCRATCH.get();
            byte[] pdf = new byte[800 + r.nextInt(800)];
            for (int i = 0; i < pdf.length; i++) scratch[i] = (byte) (i ^ id);
            System.arraycopy(scratch, 0, pdf, 0, pdf.length);
            return new StampedPermit(permitNumber, "STAMP-" + id, pdf, at + 3_000);
        }

        /** Collects every finished stamp (the citizen is e-mailed) and drops it from the pending map. */
        long collectStamps() throws Exception {
            long bytes = 0;
            for (Future<StampedPermit> f : pendingStamps.values()) bytes += f.get().sealedPdf().length;
            collected += pendingStamps.size();
            pendingStamps.clear();
            return bytes;
        }

        ErrorRecord errorRecord(long at, String source, ValidationException e) {
            StackTraceElement[] st = e.getStackTrace();
            return new ErrorRecord(at, e.permitNumber, source, st[0].getMethodName() + "@" + st.length, e);
        }

        void validate(PermitApplication p, int check) throws ValidationException {
            if (check == 0) throw new ValidationException("permit " + p.number() + ": setback below the minimum of zone " + p.zoneCode(), p.number());
            if (check == 1) throw new ValidationException("permit " + p.number() + ": missing structural calculations", p.number());
        }
    }

    static PermitOffice SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(86_060_001);
        String[] zoneCodes = new String[ZONES];
        for (int z = 0; z < ZONES; z++) {
            double[] setbacks = new double[96];
            for (int k = 0; k < setbacks.length; k++) setbacks[k] = 1 + rnd.nextDouble() * 12;
            zoneCodes[z] = "Z-" + (z / 100) + "-" + (z % 100);
            ZONES_BY_CODE.put(zoneCodes[z], new Zone(zoneCodes[z], "District " + z, setbacks));
        }
        PermitOffice svc = new PermitOffice();
        SERVICE = svc;
        String[] numbers = new String[PERMITS];
        for (int p = 0; p < PERMITS; p++) {
            numbers[p] = "BP-" + (2_000_000 + p * 9);
            svc.permits.put(numbers[p], new PermitApplication(numbers[p], zoneCodes[rnd.nextInt(ZONES)], "Applicant " + (p % 9_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(900)) * 24 * HOUR));
        }
        Random traffic = new Random(86_060_002);
        String[] inspectors = new String[40];
        for (int k = 0; k < inspectors.length; k++) inspectors[k] = "Inspector " + (k + 1);
        String[] outcomes = {"PASS", "PARTIAL", "FAIL", "NO_ACCESS"};
        int requests = REQUESTS_PER_HOUR * HOURS;
        long stampBytes = 0;
        int bulkImports = 0, maxPending = 0;
        int lastMinute = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int minute = (int) ((t - start) / MINUTE);
            if (minute != lastMinute) { // once a minute: collect the finished stamps
                maxPending = Math.max(maxPending, svc.pendingStamps.size());
                stampBytes += svc.collectStamps();
                if (minute % 30 == 0) { // licensing-board bulk import: failing rows recorded as one batch
                    bulkImports++;
                    List<ErrorRecord> failed = new ArrayList<>();
                    for (int row = 0; row < 300; row++) {
                        PermitApplication p = svc.permits.get(numbers[traffic.nextInt(PERMITS)]);
                        try { svc.validate(p, traffic.nextInt(40)); } catch (ValidationException e) { failed.add(svc.errorRecord(t, "licensing-import", e)); }
                    }
                    if (!failed.isEmpty()) svc.errors.addAll(failed);
                }
                lastMinute = minute;
            }
            PermitApplication p = svc.permits.get(numbers[traffic.nextInt(PERMITS)]);
            String key = "review-" + numbers[traffic.nextInt(3_500)];
            if (svc.pages.get(key) == null) svc.pages.put(key, new ReviewPage(key, new byte[600 + traffic.nextInt(600)], t));
            svc.inspections[(int) (svc.inspectionCount++ % RING)] = new Inspection(p.number(), inspectors[traffic.nextInt(inspectors.length)], outcomes[traffic.nextInt(outcomes.length)], t);
            int concurrent = 1 + traffic.nextInt(GIS_MAX);
            GisConnection[] leased = new GisConnection[concurrent];
            for (int c = 0; c < concurrent; c++) { leased[c] = svc.gis.lease(t); leased[c].writeBuffer[i % 4_096] = (byte) i; }
            for (int c = concurrent - 1; c >= 0; c--) svc.gis.release(leased[c]);
            try {
                svc.validate(p, traffic.nextInt(200));
            } catch (ValidationException e) {
                svc.errors.add(svc.errorRecord(t, "portal", e));
            }
            if (traffic.nextInt(4) == 0) svc.requestStamp(p.number(), t);
        }
        maxPending = Math.max(maxPending, svc.pendingStamps.size());
        stampBytes += svc.collectStamps();
        System.out.println("zones " + ZONES_BY_CODE.size() + " permits " + svc.permits.size() + " pages " + svc.pages.map.size() + " (order " + svc.pages.order.size() + ", hits " + svc.pages.hits + ", evicted " + svc.pages.evicted
                + ") inspections " + svc.inspectionCount + " gis connections " + svc.gis.idle.size() + " (opened " + svc.gis.opened + ") errors " + svc.errors.recorded + " kept " + svc.errors.recent.size() + " (bulk imports " + bulkImports
                + ") stamps " + svc.stampIds + " collected " + svc.collected + " pending " + svc.pendingStamps.size() + " (max " + maxPending + ") stamp bytes " + stampBytes);
        check(ZONES_BY_CODE.size() == ZONES && svc.permits.size() == PERMITS, "reference data / directory");
        check(svc.pages.map.size() == PAGE_CAP && svc.pages.order.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.inspectionCount == requests && svc.inspections[RING - 1] != null, "inspection ring wraps");
        check(svc.gis.idle.size() == GIS_MAX && svc.gis.opened == GIS_MAX, "GIS pool");
        check(svc.errors.recent.size() == MAX_RECENT && svc.errors.recorded > 500, "recent errors trimmed");
        check(svc.pendingStamps.isEmpty() && svc.collected == svc.stampIds && svc.stampIds > 10_000, "stamps collected");
        LeakCheck.histogram("java.util.concurrent.FutureTask", "java.lang.StackTraceElement", "java.util.LinkedList");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
