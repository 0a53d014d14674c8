// hprofscan-dump: name=val145-leak-transplantwaitlist jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val145-leak-transplantwaitlist-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 145 (written blind), LEAK: the waiting-list service of a national organ transplant
 * network. Clinicians and coordinators of the transplant centres look up registrations, record
 * status changes, import HLA lab results and run match lists; every request is written to an access
 * audit trail. The audit component appends one line per request to a single StringBuilder field and
 * hands the text to the log shipper when its line counter reaches 1,000 (compared with ==). At
 * startup it re-appends the lines left in the crash spool by the previous process and sets the
 * counter to their number, 2,417: the counter is already past 1,000, so the flush never happens
 * again and the buffer holds every audit line since startup. Ordinary components beside it: centre
 * and organ reference data, the registration directory, a cache of match lists at its cap, a pool
 * of report buffers, a ring of recent lookups and the lab-import queue with its backlog. 10 hours.
 * See VALIDATION145.md.
 */
public final class Val145LeakTransplantWaitlist {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CENTRES = 250, REGISTRATIONS = 20_000, CLINICIANS = 3_000, MATCH_CAP = 1_500, POOL = 8, RING = 8_192, HOURS = 10,
            FLUSH_EVERY_LINES = 1_000, SPOOL_LINES = 2_417, LAB_LAG_MINUTES = 15;
    static final String[] ORGANS = {"kidney", "liver", "heart", "lung", "pancreas", "kidney-pancreas", "small-bowel", "heart-lung"};
    static final String[] BLOOD = {"O", "A", "B", "AB"};
    static final String[] STATUSES = {"active", "suspended", "urgent", "super-urgent", "workup"};
    static final String[] ACTIONS = {"GET /registrations/", "GET /registrations/", "GET /registrations/", "GET /hla/", "PUT /status/", "GET /matchlist/",
            "POST /labresults/", "GET /registrations/"};
    static boolean FIXED;

    record Centre(String code, String name, String region, double[] transplantsByMonth) {}
    record OrganProgramme(String organ, int maxColdIschaemiaMinutes, String[] requiredTests) {}
    record Registration(String registrationId, String organ, String bloodGroup, String centreCode, String status, byte[] clinicalSummary, long listedAt) {}
    record MatchList(String key, String[] rankedRegistrations, double[] scores, long computedAt) {}
    record Lookup(String clinicianId, String registrationId, String action, long at) {}
    record LabImport(String sampleId, String registrationId, int loci, long receivedAt) {}

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();
    static final Map<String, OrganProgramme> PROGRAMMES = new HashMap<>();

    /** Where the audit text goes (the log shipper to the audit store); counts and discards. */
    static final class AuditShipper {
        long chars, shipments;
        void ship(CharSequence text) { chars += text.length(); shipments++; }
    }

    /** Access audit trail: one line per request, shipped every 1,000 lines. */
    static final class AuditTrail {
        final StringBuilder pending = new StringBuilder(65_536);
        final AuditShipper shipper = new AuditShipper();
        int linesSinceFlush;
        long lines, recovered;

        /** Startup: the previous process left unshipped lines in its crash spool; they go out with the next shipment. */
        void recover(List<String> spool) {
            for (String l : spool) pending.append(l).append('\n');
            recovered = spool.size();
            linesSinceFlush = spool.size();
        }

        void line(long t, String clinicianId, String centreCode, String action, String target, int status, int millis) {
            pending.append("ts=").append(t).append(" user=").append(clinicianId).append(" centre=").append(centreCode).append(" action=").append(action)
                    .append(target).append(" status=").append(status).append(" ms=").append(millis).append(" ip=10.").append(millis % 200).append(".4.").append(status % 250)
                    .append('\n');
            lines++;
            if (FIXED ? ++linesSinceFlush >= FLUSH_EVERY_LINES : ++linesSinceFlush == FLUSH_EVERY_LINES) flush(); // BUG: == after recover() put it past 1,000
        }

        void flush() { shipper.ship(pending); pending.setLength(0); linesSinceFlush = 0; }
    }

    static final class MatchCache extends LinkedHashMap<String, MatchList> {
        long evicted;
        MatchCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MatchList> e) { if (size() > MATCH_CAP) { evicted++; return true; } return false; }
    }

    static final class WaitlistService {
        final Map<String, Registration> registrations = new HashMap<>();
        final String[] registrationIds = new String[REGISTRATIONS];
        final String[] clinicians = new String[CLINICIANS];
        final String[] clinicianCentre = new String[CLINICIANS];
        final AuditTrail audit = new AuditTrail();
        final MatchCache matchLists = new MatchCache();
        final ArrayDeque<byte[]> reportBuffers = new ArrayDeque<>();
        final Lookup[] recent = new Lookup[RING];
        final ArrayDeque<LabImport> labQueue = new ArrayDeque<>();
        long requests, statusChanges, matchHits, matchRuns, labReceived, labApplied;

        void handle(Random r, long t) {
            int c = r.nextInt(CLINICIANS);
            String regId = registrationIds[r.nextInt(REGISTRATIONS)];
            String action = ACTIONS[r.nextInt(ACTIONS.length)];
            int millis = 4 + r.nextInt(180);
            Registration reg = registrations.get(regId);
            int status = 200;
            String target = regId;
            if (action.startsWith("PUT")) {
                String next = STATUSES[r.nextInt(STATUSES.length)];
                registrations.put(regId, new Registration(regId, reg.organ(), reg.bloodGroup(), reg.centreCode(), next, reg.clinicalSummary(), reg.listedAt()));
                statusChanges++;
            } else if (action.startsWith("GET /matchlist/")) {
                String key = reg.organ() + "/" + reg.bloodGroup() + "/" + reg.centreCode();
                target = key;
                if (matchLists.get(key) != null) matchHits++;
                else {
                    String[] ranked = new String[20];
                    double[] scores = new double[20];
                    for (int k = 0; k < ranked.length; k++) { ranked[k] = registrationIds[Math.floorMod(key.hashCode() + k * 7_919, REGISTRATIONS)]; scores[k] = 100 - k * 3.5; }
                    matchLists.put(key, new MatchList(key, ranked, scores, t));
                    matchRuns++;
                }
            } else if (action.startsWith("POST")) {
                labQueue.addLast(new LabImport("HLA-" + (7_000_000 + labReceived), regId, 11, t));
                labReceived++;
                status = 202;
            } else if (r.nextInt(50) == 0) {
                status = 404;
            }
            recent[(int) (requests++ % RING)] = new Lookup(clinicians[c], regId, action, t);
            byte[] buf = reportBuffers.poll();
            buf[millis % buf.length]++;
            reportBuffers.add(buf);
            audit.line(t, clinicians[c], clinicianCentre[c], action, target, status, millis);
        }
    }

    static WaitlistService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(145_050_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] months = new double[60];
            for (int m = 0; m < months.length; m++) months[m] = rnd.nextInt(40);
            centreCodes[c] = "TC-" + (100 + c);
            CENTRES_BY_CODE.put(centreCodes[c], new Centre(centreCodes[c], "Transplant centre " + (c + 1), "region " + (1 + c % 12), months));
        }
        for (int o = 0; o < ORGANS.length; o++)
            PROGRAMMES.put(ORGANS[o], new OrganProgramme(ORGANS[o], 240 + 120 * o, new String[] {"HLA-A", "HLA-B", "HLA-DR", "crossmatch", "ABO"}));
        WaitlistService svc = new WaitlistService();
        SERVICE = svc;
        for (int g = 0; g < REGISTRATIONS; g++) {
            svc.registrationIds[g] = "TX" + (5_100_000 + g * 17);
            svc.registrations.put(svc.registrationIds[g], new Registration(svc.registrationIds[g], ORGANS[rnd.nextInt(ORGANS.length)], BLOOD[rnd.nextInt(BLOOD.length)],
                    centreCodes[rnd.nextInt(CENTRES)], STATUSES[rnd.nextInt(STATUSES.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int c = 0; c < CLINICIANS; c++) {
            svc.clinicians[c] = "CL-" + (10_000 + c * 3);
            svc.clinicianCentre[c] = centreCodes[rnd.nextInt(CENTRES)];
        }
        for (int b = 0; b < POOL; b++) svc.reportBuffers.add(new byte[32_768]);

        // the crash spool of the previous process: lines written during a storage outage, never shipped
        List<String> spool = new ArrayList<>();
        Random old = new Random(145_050_003);
        for (int k = 0; k < SPOOL_LINES; k++) {
            spool.add("ts=" + (start - 40 * MINUTE + k * 700L) + " user=" + svc.clinicians[old.nextInt(CLINICIANS)] + " centre=" + centreCodes[old.nextInt(CENTRES)]
                    + " action=GET /registrations/" + svc.registrationIds[old.nextInt(REGISTRATIONS)] + " status=200 ms=" + (4 + old.nextInt(180)) + " ip=10.0.4.200");
        }
        svc.audit.recover(spool);

        Random traffic = new Random(145_050_002);
        for (long t = start; t < end; t += MINUTE) {
            int n = 160 + traffic.nextInt(41);                                       // ~10,800 requests an hour
            for (int k = 0; k < n; k++) svc.handle(traffic, t + k * 300L);
            while (!svc.labQueue.isEmpty() && svc.labQueue.peekFirst().receivedAt() <= t - LAB_LAG_MINUTES * MINUTE) { svc.labQueue.pollFirst(); svc.labApplied++; }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val145.fixed");
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        WaitlistService svc = SERVICE;
        AuditTrail a = svc.audit;
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " programmes " + PROGRAMMES.size() + " registrations " + svc.registrations.size()
                + " requests " + svc.requests + " status changes " + svc.statusChanges + " match lists " + svc.matchLists.size() + " (evicted " + svc.matchLists.evicted
                + ", hits " + svc.matchHits + ", runs " + svc.matchRuns + ") lab +" + svc.labReceived + " applied " + svc.labApplied + " backlog " + svc.labQueue.size()
                + " audit lines " + a.lines + " (recovered " + a.recovered + ") shipments " + a.shipper.shipments + " shipped chars " + a.shipper.chars + " pending "
                + a.linesSinceFlush + " lines, " + a.pending.length() + " chars, capacity " + a.pending.capacity() + " pool " + svc.reportBuffers.size());
        check(CENTRES_BY_CODE.size() == CENTRES && PROGRAMMES.size() == ORGANS.length && svc.registrations.size() == REGISTRATIONS, "reference data / directory");
        check(a.lines == svc.requests && a.recovered == SPOOL_LINES, "audit lines");
        if (FIXED) check(a.linesSinceFlush < FLUSH_EVERY_LINES && a.shipper.shipments == 1 + (a.lines - 1) / FLUSH_EVERY_LINES, "audit shipped every 1,000 lines (the first shipment takes the recovered lines)");
        else check(a.shipper.shipments == 0 && a.linesSinceFlush == a.lines + a.recovered, "audit never shipped");
        check(EXPECTED_REQUESTS < 0 || (svc.requests == EXPECTED_REQUESTS && (FIXED || a.pending.length() == EXPECTED_CHARS)), "request counts " + svc.requests + " / " + a.pending.length());
        check(svc.matchLists.size() == MATCH_CAP && svc.matchLists.evicted > 0, "match-list cache at cap");
        check(svc.reportBuffers.size() == POOL && svc.recent[RING - 1] != null, "pool / ring");
        check(svc.labQueue.size() > 0 && svc.labReceived == svc.labApplied + svc.labQueue.size(), "lab backlog");
    }

    static final long EXPECTED_REQUESTS = 108_173, EXPECTED_CHARS = 12_388_071;
}
