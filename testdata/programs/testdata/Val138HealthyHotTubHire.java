// hprofscan-dump: name=val138-healthy-hottubhire-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val138-healthy-hottubhire-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val138-healthy-hottubhire jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val138-healthy-hottubhire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 138 (written blind), HEALTHY: the fleet and booking service of a hot-tub hire
 * company. Hired tubs at holiday cottages report telemetry (water temperature, pH, free chlorine,
 * heater state) on a 12-partition topic; the consumer handles the readings out of order and tracks,
 * per partition, the acked offsets above the committed watermark in a ConcurrentSkipListMap: every
 * reading is acked, so each partition holds only its short in-flight window. The customer portal
 * canonicalises user agents to their family ("Chrome 124 / Android"): a few hundred values. Plus
 * holiday-site reference data, the tub directory, a booking-page cache that fills in stage 2, a
 * pool of decode buffers, a ring of readings and a maintenance queue with its normal backlog.
 * Series 1 / 4 / 8 h. See VALIDATION138.md.
 */
public final class Val138HealthyHotTubHire {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int SITES = 1_000, TUBS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, PARTITIONS = 12;
    static final int READINGS_PER_HOUR = 36_000, WEB_PER_HOUR = 3_000;

    record HolidaySite(String code, String name, String county, double[] occupancyByWeek) {}
    record Tub(String serial, String model, String siteCode, byte[] serviceHistory, long installedAt) {}
    record Reading(long offset, int partition, String tubSerial, double waterTempC, double ph, double freeChlorine, boolean heaterOn, long at) {}
    record Ack(long offset, long ackedAt, int worker, int handlingMicros) {}
    record BookingPage(String key, byte[] html, long renderedAt) {}
    record MaintenanceVisit(String tubSerial, String reason, long raisedAt, long dueAt) {}
    record PortalHit(String path, String agentFamily, int status, long at) {}

    /** Acked offsets above the committed watermark of one partition. */
    static final class PartitionTracker {
        final int partition;
        final ConcurrentSkipListMap<Long, Ack> acked = new ConcurrentSkipListMap<>();
        final ArrayList<Reading> inFlight = new ArrayList<>();
        long nextOffset, committed, lastCommitted, acks, commits;
        PartitionTracker(int partition, long firstOffset) { this.partition = partition; this.nextOffset = firstOffset; this.committed = firstOffset; this.lastCommitted = firstOffset; }

        void ack(Reading r, Ack a) {
            acked.put(r.offset(), a);
            acks++;
            Map.Entry<Long, Ack> first;
            while ((first = acked.firstEntry()) != null && first.getKey() == committed) { acked.pollFirstEntry(); committed++; }
        }

        void commitIfAdvanced() { if (committed != lastCommitted) { lastCommitted = committed; commits++; } }
    }

    /** Canonical user-agent families of the customer portal: browser, major version, OS family. */
    static final class AgentFamilies {
        final ConcurrentHashMap<String, String> families = new ConcurrentHashMap<>();
        long lookups;
        String family(String userAgent) {
            lookups++;
            String f = familyOf(userAgent);
            String prev = families.putIfAbsent(f, f);
            return prev == null ? f : prev;
        }
        static String familyOf(String ua) {
            String os = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS" : ua.contains("Windows") ? "Windows"
                    : ua.contains("Macintosh") ? "macOS" : ua.contains("CrOS") ? "ChromeOS" : ua.contains("Linux") ? "Linux" : "Other";
            String browser;
            if (ua.startsWith("TubTime/")) browser = "TubTime app " + ua.substring(8, ua.indexOf(' ', 8));
            else if (ua.contains("SamsungBrowser/")) browser = "Samsung Internet " + major(ua, "SamsungBrowser/");
            else if (ua.contains("OPR/")) browser = "Opera " + major(ua, "OPR/");
            else if (ua.contains("Edg/")) browser = "Edge " + major(ua, "Edg/");
            else if (ua.contains("Firefox/")) browser = "Firefox " + major(ua, "Firefox/");
            else if (ua.contains("Chrome/")) browser = "Chrome " + major(ua, "Chrome/");
            else if (ua.contains("Version/")) browser = "Safari " + major(ua, "Version/");
            else browser = "Other";
            return browser + " / " + os;
        }
        static String major(String ua, String token) {
            int i = ua.indexOf(token) + token.length();
            int j = i;
            while (j < ua.length() && Character.isDigit(ua.charAt(j))) j++;
            return ua.substring(i, j);
        }
    }

    static final class PageCache extends LinkedHashMap<String, BookingPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BookingPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, HolidaySite> SITES_BY_CODE = new HashMap<>();

    static final class TubService {
        final Map<String, Tub> tubs = new HashMap<>();
        final String[] serials = new String[TUBS];
        final PartitionTracker[] trackers = new PartitionTracker[PARTITIONS];
        final AgentFamilies agents = new AgentFamilies();
        final PageCache bookingPages = new PageCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] recentReadings = new Reading[RING];
        final PortalHit[] recentHits = new PortalHit[2_048];
        final ArrayDeque<MaintenanceVisit> maintenance = new ArrayDeque<>();
        long readings, handled, hits, visitsRaised, visitsDone;
    }

    static TubService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String[] userAgents(Random rnd) {
        String[] oses = {"Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "Linux; Android 14; Pixel 8", "Linux; Android 13; SM-A536B", "X11; Linux x86_64", "X11; CrOS x86_64 14541.0.0",
                "iPhone; CPU iPhone OS 17_4 like Mac OS X", "iPad; CPU OS 16_7 like Mac OS X"};
        ArrayList<String> out = new ArrayList<>();
        for (int v = 110; v <= 126; v++) for (int o = 0; o < 6; o++)
            out.add("Mozilla/5.0 (" + oses[o] + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + v + ".0." + (5_000 + rnd.nextInt(1_500)) + "." + rnd.nextInt(200) + (o == 2 || o == 3 ? " Mobile" : "") + " Safari/537.36");
        for (int v = 110; v <= 127; v++) for (int o = 0; o < 5; o++)
            out.add("Mozilla/5.0 (" + oses[o] + "; rv:" + v + ".0) Gecko/20100101 Firefox/" + v + ".0");
        for (int v = 110; v <= 126; v++) for (int o = 0; o < 3; o++)
            out.add("Mozilla/5.0 (" + oses[o] + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + v + ".0.0.0 Safari/537.36 Edg/" + v + ".0." + (2_000 + rnd.nextInt(500)) + "." + rnd.nextInt(100));
        for (int v = 95; v <= 110; v++) for (int o = 0; o < 3; o++)
            out.add("Mozilla/5.0 (" + oses[o] + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + (v + 14) + ".0.0.0 Safari/537.36 OPR/" + v + ".0.0.0");
        for (int v = 14; v <= 17; v++) {
            out.add("Mozilla/5.0 (" + oses[1] + ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + v + "." + rnd.nextInt(6) + " Safari/605.1.15");
            out.add("Mozilla/5.0 (" + oses[6] + ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" + v + "." + rnd.nextInt(6) + " Mobile/15E148 Safari/604.1");
        }
        for (int v = 19; v <= 25; v++)
            out.add("Mozilla/5.0 (" + oses[3] + ") AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/" + v + ".0 Chrome/" + (100 + v) + ".0.0.0 Mobile Safari/537.36");
        for (int v = 0; v <= 15; v++) {
            out.add("TubTime/3." + v + " (iPhone; iOS 17." + rnd.nextInt(5) + "; Scale/3.00)");
            out.add("TubTime/3." + v + " (Android 14; Pixel 8; okhttp/4.12.0)");
        }
        return out.toArray(new String[0]);
    }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(138_010_001);
        String[] siteCodes = new String[SITES];
        String[] counties = {"Cornwall", "Devon", "Cumbria", "Norfolk", "Gwynedd", "Highland", "Yorkshire", "Northumberland", "Dorset", "Pembrokeshire"};
        for (int s = 0; s < SITES; s++) {
            double[] occ = new double[52];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            siteCodes[s] = "HS-" + (4_000 + s);
            SITES_BY_CODE.put(siteCodes[s], new HolidaySite(siteCodes[s], "Holiday site " + s, counties[s % counties.length], occ));
        }
        TubService svc = new TubService();
        SERVICE = svc;
        String[] models = {"Lay-Z Milan 6", "Wave Atlantic 4", "Cedar Fjord 8", "Spa Azure 5", "Hydro Nordic 6"};
        for (int i = 0; i < TUBS; i++) {
            svc.serials[i] = "HT-" + (510_000 + i * 7);
            svc.tubs.put(svc.serials[i], new Tub(svc.serials[i], models[rnd.nextInt(models.length)], siteCodes[rnd.nextInt(SITES)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_500)) * DAY));
        }
        for (int p = 0; p < PARTITIONS; p++) svc.trackers[p] = new PartitionTracker(p, 4_200_000L + p * 17_000L);
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        String[] agents = userAgents(new Random(138_010_002));
        Random traffic = new Random(138_010_003), work = new Random(138_010_004), web = new Random(138_010_005);
        int n = READINGS_PER_HOUR * hours;
        int webPerReading = READINGS_PER_HOUR / WEB_PER_HOUR;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            int p = traffic.nextInt(PARTITIONS);
            PartitionTracker tr = svc.trackers[p];
            String serial = svc.serials[traffic.nextInt(TUBS)];
            Reading r = new Reading(tr.nextOffset++, p, serial, 34 + traffic.nextDouble() * 6, 6.8 + traffic.nextDouble() * 1.0, 0.5 + traffic.nextDouble() * 4.5, traffic.nextBoolean(), t);
            svc.readings++;
            svc.recentReadings[(int) (svc.readings % RING)] = r;
            tr.inFlight.add(r);
            int depth = 6 + work.nextInt(27);
            while (tr.inFlight.size() > depth) { // workers finish roughly in order: the older of two random in-flight readings
                int k = Math.min(work.nextInt(tr.inFlight.size()), work.nextInt(tr.inFlight.size()));
                handle(svc, tr, tr.inFlight.remove(k), work, t);
            }
            if (i % 1_000 == 999) for (PartitionTracker x : svc.trackers) x.commitIfAdvanced();
            if (i % webPerReading == 0) portalRequest(svc, agents, web, t);
            while (!svc.maintenance.isEmpty() && svc.maintenance.peekFirst().dueAt() <= t) { svc.maintenance.pollFirst(); svc.visitsDone++; }
        }
    }

    static void handle(TubService svc, PartitionTracker tr, Reading r, Random work, long t) {
        byte[] buf = svc.decodeBuffers.poll();
        buf[(int) (r.offset() % buf.length)] = (byte) r.waterTempC();
        svc.decodeBuffers.add(buf);
        if (r.ph() > 7.75 && r.offset() % 4 == 0) {
            svc.maintenance.addLast(new MaintenanceVisit(r.tubSerial(), "pH " + String.format("%.2f", r.ph()) + " above range, dose pH minus", t, t + 45 * MINUTE));
            svc.visitsRaised++;
        }
        svc.handled++;
        tr.ack(r, new Ack(r.offset(), t, work.nextInt(8), 150 + work.nextInt(4_000)));
    }

    static void portalRequest(TubService svc, String[] agents, Random web, long t) {
        String family = svc.agents.family(agents[web.nextInt(agents.length)]);
        String path;
        if (web.nextInt(2) == 0) {
            String key = "book/" + svc.serials[web.nextInt(5_000) * 4] + "/week-" + web.nextInt(52);
            path = "/" + key;
            int k = web.nextInt(5_000);
            String pageKey = "booking-" + k;
            if (svc.bookingPages.get(pageKey) == null) svc.bookingPages.put(pageKey, new BookingPage(pageKey, new byte[600 + web.nextInt(600)], t));
        } else {
            path = "/tubs/" + svc.serials[web.nextInt(TUBS)] + "/status";
        }
        svc.recentHits[(int) (svc.hits++ % svc.recentHits.length)] = new PortalHit(path, family, 200, t);
    }

    static final long[][] EXPECT = {
            // readings, handled, inFlight, acked held, families, pages, visits held
            {36_000L, 35_864L, 136L, 117L, 303L, 1_286L, 325L},
            {144_000L, 143_860L, 140L, 81L, 303L, 2_000L, 338L},
            {288_000L, 287_854L, 146L, 151L, 303L, 2_000L, 322L},
    };

    static void report(int stage) {
        TubService svc = SERVICE;
        long inFlight = 0, acked = 0, maxAcked = 0, commits = 0, acks = 0;
        StringBuilder per = new StringBuilder();
        for (PartitionTracker tr : svc.trackers) {
            inFlight += tr.inFlight.size();
            acked += tr.acked.size();
            maxAcked = Math.max(maxAcked, tr.acked.size());
            commits += tr.commits;
            acks += tr.acks;
            per.append(' ').append(tr.acked.size()).append('/').append(tr.inFlight.size());
        }
        String line = "stage " + stage + " sites " + SITES_BY_CODE.size() + " tubs " + svc.tubs.size() + " readings " + svc.readings + " handled " + svc.handled + " acks " + acks + " commits " + commits
                + " inFlight " + inFlight + " ackedHeld " + acked + " (max " + maxAcked + "; acked/inFlight by partition" + per + ") families " + svc.agents.families.size() + " lookups " + svc.agents.lookups
                + " pages " + svc.bookingPages.size() + " (evicted " + svc.bookingPages.evicted + ") visits " + svc.visitsRaised + " raised " + svc.visitsDone + " done " + svc.maintenance.size() + " queued hits " + svc.hits;
        System.out.println(line);
        long[] e = EXPECT[stage - 1];
        long[] got = {svc.readings, svc.handled, inFlight, acked, svc.agents.families.size(), svc.bookingPages.size(), svc.maintenance.size()};
        for (int k = 0; k < e.length; k++) check(e[k] < 0 || e[k] == got[k], "stage " + stage + " value " + k + " = " + got[k] + ", expected " + e[k]);
        check(SITES_BY_CODE.size() == SITES && svc.tubs.size() == TUBS, "reference data / directory");
        check(acks == svc.handled && svc.handled + inFlight == svc.readings && maxAcked < 128, "every reading acked; only the in-flight window held");
        check(svc.decodeBuffers.size() == POOL && svc.recentReadings[RING - 1] != null, "pool / ring");
        check(stage == 1 ? svc.bookingPages.size() < PAGE_CAP : svc.bookingPages.size() == PAGE_CAP && svc.bookingPages.evicted > 0, "booking pages warm in stage 2");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        simulate(stage == 1 ? 1 : stage == 2 ? 4 : 8);
        report(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
