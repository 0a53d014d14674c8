// hprofscan-dump: name=val99-leak-royaltyreports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val99-leak-royaltyreports-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 99 (written blind), LEAK: the royalty reporting portal of a music publisher.
 * Collecting-society reference data, the catalogue of works, a cache of rendered statement pages at
 * its cap, a pool of export buffers, a ring of recent usage lines, and a hand-written expiring
 * cache of computed royalty reports (ConcurrentHashMap<ReportKey, Entry> with an expiresAt per
 * entry, TTL 20 minutes) that checks expiry only when an entry is read (get removes an expired
 * entry and reports a miss) and has no sweeper. The standard dashboard reports are read again and
 * again, so their expired entries are replaced; the custom reports (one-off parameters: a publisher,
 * an arbitrary date range, a territory filter, a format) are never read again, so their entries are
 * never removed although they expired long ago. See VALIDATION99.md.
 */
public final class Val99LeakRoyaltyReports {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, TTL = 20 * MINUTE;
    static final int SOCIETIES = 1_200, WORKS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10;
    static final int REQUESTS_PER_HOUR = 1_500, USAGE_PER_HOUR = 9_000, PUBLISHERS = 800, DASHBOARD_KEYS = 400;
    static final String[] TERRITORIES = {"ALL", "EU", "NA", "LATAM", "APAC", "UK", "DE", "FR", "JP", "BR"};
    static final String[] FORMATS = {"csv", "xlsx", "pdf"};
    static boolean FIXED;

    record Society(String code, String country, double[] rateByUsageType) {}
    record Work(String iswc, String title, String publisherId, byte[] splitSheet, long registeredAt) {}
    record StatementPage(String key, byte[] rendered, long at) {}
    record UsageLine(String iswc, String dsp, long streams, long at) {}
    record ReportKey(String publisherId, long fromDay, long toDay, String territory, String format) {}
    record ReportResult(String title, int rows, long totalMicros, byte[] body) {}

    static final class Entry {
        final ReportResult value; final long storedAt, expiresAt;
        Entry(ReportResult value, long storedAt, long expiresAt) { this.value = value; this.storedAt = storedAt; this.expiresAt = expiresAt; }
    }

    /** Hand-written expiring cache: expiry is checked on read only. */
    static final class ReportCache {
        final ConcurrentHashMap<ReportKey, Entry> entries = new ConcurrentHashMap<>();
        long hits, misses, expiredOnRead, swept, sweeps;
        ReportResult get(ReportKey k, long now) {
            Entry e = entries.get(k);
            if (e == null) { misses++; return null; }
            if (e.expiresAt <= now) { entries.remove(k, e); expiredOnRead++; misses++; return null; }
            hits++;
            return e.value;
        }
        void put(ReportKey k, ReportResult v, long now) { entries.put(k, new Entry(v, now, now + TTL)); }
        /** The fix: a sweeper run every minute. */
        void sweep(long now) {
            sweeps++;
            int before = entries.size();
            entries.values().removeIf(e -> e.expiresAt <= now);
            swept += before - entries.size();
        }
    }

    static final class PageCache extends LinkedHashMap<String, StatementPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StatementPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Society> SOCIETIES_BY_CODE = new HashMap<>();

    static final class RoyaltyPortal {
        final Map<String, Work> works = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> exportBuffers = new ArrayDeque<>();
        final UsageLine[] usage = new UsageLine[RING];
        long usageLines, customReports, dashboardReads;
        final ReportCache reports = new ReportCache();

        ReportResult report(ReportKey k, Random r, long now) {
            ReportResult res = reports.get(k, now);
            if (res == null) {
                byte[] buf = exportBuffers.poll();
                buf[(int) (now % buf.length)] = 1;
                exportBuffers.add(buf);
                res = new ReportResult("Royalties " + k.publisherId() + " " + k.territory(), 20 + r.nextInt(400), r.nextInt(1_000_000_000), new byte[1_000 + r.nextInt(1_000)]);
                reports.put(k, res, now);
            }
            return res;
        }
    }

    static RoyaltyPortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int requests = REQUESTS_PER_HOUR * HOURS, usage = USAGE_PER_HOUR * HOURS, events = requests + usage;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        long today = end / DAY;
        Random rnd = new Random(99_030_001);
        for (int s = 0; s < SOCIETIES; s++) {
            double[] rates = new double[80];
            for (int k = 0; k < rates.length; k++) rates[k] = rnd.nextDouble() / 100;
            String code = "CS-" + (100 + s);
            SOCIETIES_BY_CODE.put(code, new Society(code, "Country " + (s % 190), rates));
        }
        RoyaltyPortal svc = new RoyaltyPortal();
        SERVICE = svc;
        String[] publishers = new String[PUBLISHERS];
        for (int p = 0; p < PUBLISHERS; p++) publishers[p] = "PUB-" + (10_000 + p);
        String[] iswcs = new String[WORKS];
        for (int w = 0; w < WORKS; w++) {
            iswcs[w] = "T-" + (300_000_000 + w * 11) + "-" + (w % 10);
            svc.works.put(iswcs[w], new Work(iswcs[w], "Song " + w, publishers[rnd.nextInt(PUBLISHERS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.exportBuffers.add(new byte[32_768]);
        ReportKey[] dashboards = new ReportKey[DASHBOARD_KEYS];
        for (int d = 0; d < DASHBOARD_KEYS; d++) { // quarter-to-date per publisher and territory, the dashboard's standard tiles
            dashboards[d] = new ReportKey(publishers[d % 200], today - today % 91, today, TERRITORIES[(d / 200) * 5], "json");
        }
        Random traffic = new Random(99_030_002);
        Random results = new Random(99_030_003);
        long nextSweep = start + MINUTE;
        int custom = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (FIXED) while (nextSweep <= t) { svc.reports.sweep(nextSweep); nextSweep += MINUTE; }
            if (traffic.nextInt(events - i) < requests) {
                requests--;
                if (traffic.nextInt(10) < 7) { // a dashboard tile, read again and again
                    svc.report(dashboards[traffic.nextInt(DASHBOARD_KEYS)], results, t);
                    svc.dashboardReads++;
                } else { // a custom report: one-off parameters, never asked for again
                    long from = today - 400 - traffic.nextInt(2_000); // an arbitrary past period of up to 399 days
                    ReportKey k = new ReportKey(publishers[traffic.nextInt(PUBLISHERS)], from, from + 1 + traffic.nextInt(399), TERRITORIES[traffic.nextInt(TERRITORIES.length)],
                            FORMATS[traffic.nextInt(FORMATS.length)]);
                    svc.report(k, results, t);
                    svc.customReports++;
                    custom++;
                }
                String key = "stmt-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new StatementPage(key, new byte[400 + traffic.nextInt(400)], t));
            } else { // a usage line from a streaming service
                svc.usage[(int) (svc.usageLines++ % RING)] = new UsageLine(iswcs[traffic.nextInt(WORKS)], "DSP-" + traffic.nextInt(40), 1 + traffic.nextInt(100_000), t);
            }
        }
        ReportCache c = svc.reports;
        long cutoff = end - MINUTE; // the traffic ends a minute before the end of the period
        int expired = 0, expiredCustom = 0, live = 0, liveCustom = 0;
        for (Map.Entry<ReportKey, Entry> e : c.entries.entrySet()) {
            boolean isCustom = !"json".equals(e.getKey().format());
            if (e.getValue().expiresAt <= cutoff) { expired++; if (isCustom) expiredCustom++; } else { live++; if (isCustom) liveCustom++; }
        }
        System.out.println((FIXED ? "FIXED " : "") + "societies " + SOCIETIES_BY_CODE.size() + " works " + svc.works.size() + " report cache " + c.entries.size() + " (expired " + expired
                + ", of them custom " + expiredCustom + "; live " + live + ", of them custom " + liveCustom + ") custom reports " + svc.customReports + " dashboard reads " + svc.dashboardReads + " hits " + c.hits + " misses " + c.misses
                + " expired on read " + c.expiredOnRead + " swept " + c.swept + " in " + c.sweeps + " sweeps; pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool "
                + svc.exportBuffers.size() + " usage lines " + svc.usageLines);
        check(SOCIETIES_BY_CODE.size() == SOCIETIES && svc.works.size() == WORKS, "reference data / directory");
        check(svc.customReports + svc.dashboardReads == REQUESTS_PER_HOUR * HOURS && svc.usageLines == USAGE_PER_HOUR * HOURS, "traffic");
        if (FIXED) check(live + expired == c.entries.size() && expired <= DASHBOARD_KEYS && c.swept > 0, "fixed: swept");
        else check(expiredCustom > custom * 9 / 10 && c.swept == 0, "expired custom reports stay: " + expiredCustom);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.exportBuffers.size() == POOL, "pool");
        check(svc.usageLines > RING && svc.usage[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val99.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
