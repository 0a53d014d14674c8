// hprofscan-dump: name=val46-leak-cropinsurance-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val46-leak-cropinsurance-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val46-leak-cropinsurance jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val46-leak-cropinsurance-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 46 (written blind), LEAK: the agency portal of a crop-insurance underwriter. County
 * reference data, the policy directory, a cache of premium quotes at its cap, a pool of PDF buffers,
 * a ring of recent loss notices, and a cache of rendered agency reports whose key embeds the
 * request's minute (agency | report | 2024-06-01T10:31:00Z): no later request ever hits an old key
 * and nothing evicts, so the cache keeps one rendered report per (agency, report, minute) ever
 * requested. The fix keys the report by the loss-data snapshot it was rendered from (reloaded every
 * 15 minutes) and drops the older snapshot's reports at each reload. See VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46LeakCropInsurance {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SNAPSHOT_EVERY = 15 * MINUTE;
    static final int COUNTIES = 1_300, POLICIES = 24_000, AGENCIES = 400, QUOTE_CAP = 2_000, POOL = 8, RING = 4_096, HITS_PER_HOUR = 6_000;
    static final String[] REPORTS = {"loss-ratio", "claims-by-county", "policy-roster", "premium-summary", "acreage-by-crop", "pending-adjustments", "commission-statement", "renewal-forecast"};
    static final String[] CROPS = {"corn", "soybeans", "winter wheat", "cotton", "sorghum", "barley", "canola", "sunflowers"};
    static final String[] PERILS = {"hail", "drought", "excess moisture", "freeze", "wind", "flood"};
    static boolean FIXED;

    record County(String code, String state, double[] yieldHistory) {}
    record Policy(String number, String countyCode, String crop, byte[] schedule, long issuedAt) {}
    record PremiumQuote(String key, byte[] premiumTable, long at) {}
    record LossNotice(String policyNumber, String peril, long reportedAt, int acres) {}
    record RenderedReport(String agency, String report, long requestedAt, byte[] body) {}

    /** Rendered agency reports. BUG: the key embeds the request's minute and nothing evicts. */
    static final class ReportService {
        final Map<String, RenderedReport> rendered = new HashMap<>();
        long requests, hits, renders, reloads, dropped, snapshotVersion;

        RenderedReport report(String agency, String report, long at, int bodySize) {
            requests++;
            String key = FIXED
                    ? agency + "|" + report + "|snapshot-" + snapshotVersion
                    : agency + "|" + report + "|" + Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.MINUTES);
            RenderedReport r = rendered.get(key);
            if (r != null) {
                hits++;
                return r;
            }
            renders++;
            r = new RenderedReport(agency, report, at, new byte[bodySize]);
            rendered.put(key, r);
            return r;
        }

        /** The loss data is reloaded every 15 minutes. */
        void reloadSnapshot() {
            snapshotVersion++;
            reloads++;
            if (FIXED) { // reports of the older snapshot can never be served again
                dropped += rendered.size();
                rendered.clear();
            }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, PremiumQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PremiumQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, County> COUNTIES_BY_CODE = new HashMap<>();

    static final class AgencyPortal {
        final Map<String, Policy> policies = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final LossNotice[] recentNotices = new LossNotice[RING];
        long notices;
        final ReportService reports = new ReportService();
    }

    static AgencyPortal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val46.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int hits = HITS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(46_010_001);
        String[] countyCodes = new String[COUNTIES];
        String[] states = {"IA", "IL", "NE", "KS", "MN", "ND", "SD", "TX", "OK", "MO"};
        for (int c = 0; c < COUNTIES; c++) {
            double[] yields = new double[72];
            for (int k = 0; k < yields.length; k++) yields[k] = 80 + rnd.nextDouble() * 140;
            String code = "FIPS-" + (19_001 + c * 2);
            countyCodes[c] = code;
            COUNTIES_BY_CODE.put(code, new County(code, states[c % states.length], yields));
        }
        AgencyPortal svc = new AgencyPortal();
        SERVICE = svc;
        String[] policyNumbers = new String[POLICIES];
        for (int p = 0; p < POLICIES; p++) {
            String number = "MPCI-" + (3_100_000 + p * 3);
            policyNumbers[p] = number;
            svc.policies.put(number, new Policy(number, countyCodes[rnd.nextInt(COUNTIES)], CROPS[rnd.nextInt(CROPS.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_800)) * DAY));
        }
        String[] agencies = new String[AGENCIES];
        for (int a = 0; a < AGENCIES; a++) agencies[a] = "AG-" + (4_000 + a);
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);

        Random traffic = new Random(46_010_002);
        long nextReload = start + SNAPSHOT_EVERY;
        int reportRequests = 0;
        for (int i = 0; i < hits; i++) {
            long t = start + (end - MINUTE - start) * i / hits;
            while (nextReload <= t) { svc.reports.reloadSnapshot(); nextReload += SNAPSHOT_EVERY; }
            String policy = policyNumbers[traffic.nextInt(POLICIES)];
            String qkey = "Q-" + traffic.nextInt(5_000);
            int quoteSize = 400 + traffic.nextInt(400);
            if (svc.quotes.get(qkey) == null) svc.quotes.put(qkey, new PremiumQuote(qkey, new byte[quoteSize], t));
            if (i % 2 == 0) {
                svc.recentNotices[(int) (svc.notices++ % RING)] = new LossNotice(policy, PERILS[traffic.nextInt(PERILS.length)], t, 5 + traffic.nextInt(600));
            }
            if (i % 5 == 0) { // an agent opens a report in the portal
                String agency = agencies[traffic.nextInt(AGENCIES)];
                String report = REPORTS[traffic.nextInt(REPORTS.length)];
                int bodySize = 500 + traffic.nextInt(500);
                svc.reports.report(agency, report, t, bodySize);
                reportRequests++;
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
            }
        }
        ReportService r = svc.reports;
        long oldest = Long.MAX_VALUE;
        for (RenderedReport rr : r.rendered.values()) oldest = Math.min(oldest, rr.requestedAt());
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " counties " + COUNTIES_BY_CODE.size() + " policies " + svc.policies.size() + " reports cached " + r.rendered.size()
                + " (requests " + r.requests + ", hits " + r.hits + ", renders " + r.renders + ", reloads " + r.reloads + ", dropped " + r.dropped + ", oldest " + (end - oldest) / MINUTE + " min before end)"
                + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.pdfBuffers.size() + " notices " + svc.notices);
        check(COUNTIES_BY_CODE.size() == COUNTIES && svc.policies.size() == POLICIES, "reference data / directory");
        check(r.requests == reportRequests && reportRequests == hits / 5 && r.reloads == hours * 4 - 1, "report traffic");
        if (FIXED) check(r.rendered.size() == r.renders - r.dropped && r.rendered.size() <= AGENCIES * REPORTS.length, "fixed report cache: " + r.rendered.size());
        else check(r.rendered.size() == r.renders && r.renders + r.hits == reportRequests, "report cache keeps every render: " + r.rendered.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.notices == hits / 2 && svc.recentNotices[RING - 1] != null, "ring");
        LeakCheck.histogram(" [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
