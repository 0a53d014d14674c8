// hprofscan-dump: name=val64-leak-pollingstations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val64-leak-pollingstations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 64 (written blind), LEAK: the results-upload service of an election-night count.
 * Polling-station reference data, the ward directory, a cache of rendered result pages at its cap, a
 * pool of ballot-scan buffers, a ring of accepted uploads, and a static map of per-thread
 * SimpleDateFormats keyed by the thread's name ("SimpleDateFormat is not thread-safe"). The upload
 * server runs every request on a newly created short-lived thread ("upload-<n>"), so every request
 * puts one formatter under a name that is never seen again, and nothing removes it when the thread
 * ends. See VALIDATION64.md.
 */
public final class Val64LeakPollingStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_000, WARDS = 24_000, PAGE_CAP = 2_000, POOL = 8, RING = 4_096, UPLOADS = 7_000, HOURS = 10;
    static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    static boolean FIXED;

    record Station(String code, String ward, double[] turnoutCurve) {}
    record Ward(String code, String constituency, byte[] boundary, long definedAt) {}
    record Page(String key, byte[] html, long renderedAt) {}
    record Upload(long id, String stationCode, String receipt, int ballots, long reportedAt, long acceptedAt) {}

    /** One formatter per thread, keyed by the thread's name. */
    static final Map<String, SimpleDateFormat> FORMATTERS = new ConcurrentHashMap<>();

    static SimpleDateFormat formatter() {
        return FORMATTERS.computeIfAbsent(Thread.currentThread().getName(), n -> {
            SimpleDateFormat f = new SimpleDateFormat(PATTERN);
            f.setTimeZone(TimeZone.getTimeZone("UTC"));
            return f;
        });
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class ResultsService {
        final Map<String, Ward> wards = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final Upload[] accepted = new Upload[RING];
        long uploads, failures;

        /** Runs on the request's own thread. */
        void handle(long id, String stationCode, String reportedAt, int ballots, long acceptedAt) {
            try {
                SimpleDateFormat f = formatter();
                long reported = f.parse(reportedAt).getTime();
                String receipt = "RCPT-" + id + "@" + f.format(new Date(acceptedAt));
                synchronized (this) {
                    accepted[(int) (uploads % RING)] = new Upload(id, stationCode, receipt, ballots, reported, acceptedAt);
                    uploads++;
                    byte[] buf = scanBuffers.poll();
                    buf[(int) (id % buf.length)] = (byte) ballots;
                    scanBuffers.add(buf);
                }
            } catch (ParseException e) {
                synchronized (this) { failures++; }
            } finally {
                if (FIXED) FORMATTERS.remove(Thread.currentThread().getName()); // the fix: the request thread drops its own formatter
            }
        }
    }

    static ResultsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val64.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(64_020_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] curve = new double[72];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            stationCodes[s] = "PS-" + (10_000 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "W" + (s % 400), curve));
        }
        ResultsService svc = new ResultsService();
        SERVICE = svc;
        for (int w = 0; w < WARDS; w++) {
            String code = "WD-" + (200_000 + w);
            svc.wards.put(code, new Ward(code, "Constituency " + (w % 650), new byte[150 + rnd.nextInt(150)], now - (long) (100 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        Random traffic = new Random(64_020_002);
        SimpleDateFormat mainFormat = formatter(); // the hourly summary job runs on main
        long nextSummary = start + HOUR;
        int summaries = 0;
        for (int i = 0; i < UPLOADS; i++) {
            long t = start + (end - MINUTE - start) * i / UPLOADS;
            while (nextSummary <= t) { mainFormat.format(new Date(nextSummary)); summaries++; nextSummary += HOUR; }
            String station = stationCodes[traffic.nextInt(STATIONS)];
            String reportedAt = mainFormat.format(new Date(t - 1_000L * (30 + traffic.nextInt(600))));
            int ballots = 50 + traffic.nextInt(2_000);
            long id = 1_000_000L + i;
            Thread worker = new Thread(() -> svc.handle(id, station, reportedAt, ballots, t), "upload-" + id);
            worker.start();
            worker.join();
            String key = "result-" + traffic.nextInt(5_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[500 + traffic.nextInt(500)], t));
        }
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " wards " + svc.wards.size() + " uploads " + svc.uploads + " failures " + svc.failures
                + " formatters " + FORMATTERS.size() + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.scanBuffers.size() + " summaries " + summaries);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.wards.size() == WARDS, "reference data / directory");
        check(svc.uploads == UPLOADS && svc.failures == 0 && svc.accepted[RING - 1] != null, "uploads");
        check(FORMATTERS.size() == (FIXED ? 1 : UPLOADS + 1) && FORMATTERS.containsKey("main"), "formatters " + FORMATTERS.size());
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.scanBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
