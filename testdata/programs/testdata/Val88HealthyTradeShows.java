// hprofscan-dump: name=val88-healthy-tradeshows jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val88-healthy-tradeshows-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 88 (written blind), HEALTHY: the operations service of an exhibition-centre
 * operator. Hall reference data, the exhibitor directory, a cache of rendered floor plans at its
 * cap, a ring of badge scans, a pool of badge-print buffers, a floor planner (one booth-occupancy
 * BitSet per hall indexed by booth number, and the build-up task graphs of the shows being set
 * up, unlinked when a show opens), and a lead sync (lead-retrieval payloads decoded with a static
 * key pool that admits only the schema's keys; leads forwarded to the CRM over an
 * ObjectOutputStream that is reset after every batch). See VALIDATION88.md.
 */
public final class Val88HealthyTradeShows {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HALLS = 1_200, EXHIBITORS = 24_000, PLAN_CAP = 2_000, RING = 16_384, POOL = 10, SCANS_PER_HOUR = 6_000, HOURS = 10;
    static final int SEGMENT_BYTES = 64 * 1024, KEEP_SEALED = 4, LEAD_BATCH = 50;
    static final long SHOW_EVERY = 20 * MINUTE, BUILD_UP = 3 * HOUR;

    record Hall(String code, String venue, int booths, double[] footfallByHour) {}
    record Exhibitor(String exhibitorId, String company, byte[] profile, long registeredAt) {}
    record FloorPlan(String key, byte[] rendered, long at) {}
    record BadgeScan(String badgeId, String hallCode, int booth, long at) {}
    record Lead(String leadId, String exhibitorId, String visitor, int rating, long at) implements Serializable {}

    static final class SetupTask {
        final String name, show;
        final long dueAt;
        boolean done;
        final List<SetupTask> dependents = new ArrayList<>(2);
        SetupTask(String name, String show, long dueAt) { this.name = name; this.show = show; this.dueAt = dueAt; }
    }

    static final class FloorPlanner {
        final Map<String, BitSet> occupied = new HashMap<>();
        final List<SetupTask> buildUps = new ArrayList<>(); // root task of every show still being set up
        long bookings, cancellations, showsScheduled, showsOpened;
        void openDue(long now) {
            for (int k = buildUps.size() - 1; k >= 0; k--) {
                if (buildUps.get(k).dueAt <= now) { buildUps.remove(k); showsOpened++; } // the show opened: its graph is dropped
            }
        }
    }

    static final class SegmentSink extends OutputStream {
        final ByteArrayOutputStream current = new ByteArrayOutputStream(SEGMENT_BYTES + 8_192);
        final ArrayDeque<byte[]> sealed = new ArrayDeque<>();
        long bytes, segmentsSealed;
        @Override public void write(int b) { current.write(b); bytes++; }
        @Override public void write(byte[] b, int off, int len) { current.write(b, off, len); bytes += len; }
        @Override public void flush() {
            if (current.size() >= SEGMENT_BYTES) {
                sealed.addLast(current.toByteArray());
                segmentsSealed++;
                current.reset();
                if (sealed.size() > KEEP_SEALED) sealed.removeFirst();
            }
        }
    }

    static final class JsonKeys {
        static final Set<String> SCHEMA = Set.of("scanner", "show", "leads", "name", "company", "rating");
        static final Map<String, String> POOL = new HashMap<>();
        static long passedThrough;
        static String canonical(String key) {
            String c = POOL.get(key);
            if (c != null) return c;
            if (!SCHEMA.contains(key)) { passedThrough++; return key; }
            POOL.put(key, key);
            return key;
        }
    }

    static final class Json {
        final String s; int p;
        Json(String s) { this.s = s; }
        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String s) { return (Map<String, Object>) new Json(s).value(); }
        Object value() {
            char c = s.charAt(p);
            if (c == '{') {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (s.charAt(p) == '}') { p++; return m; }
                while (true) {
                    String k = JsonKeys.canonical(str());
                    p++; // ':'
                    m.put(k, value());
                    if (s.charAt(p++) == ',') continue;
                    return m;
                }
            }
            if (c == '"') return str();
            int q = p;
            while (Character.isDigit(s.charAt(p))) p++;
            return Long.parseLong(s, q, p, 10);
        }
        String str() { int q = s.indexOf('"', p + 1); String v = s.substring(p + 1, q); p = q + 1; return v; }
    }

    static final class LeadSync {
        final SegmentSink sink = new SegmentSink();
        final ObjectOutputStream out;
        long payloads, leads, batches, resets;
        int inBatch;
        LeadSync() throws IOException { out = new ObjectOutputStream(sink); }
        @SuppressWarnings("unchecked")
        void receive(String body, long at) throws IOException {
            Map<String, Object> doc = Json.object(body);
            payloads++;
            String scanner = (String) doc.get("scanner");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) doc.get("leads")).entrySet()) {
                Map<String, Object> l = (Map<String, Object>) e.getValue();
                out.writeObject(new Lead(e.getKey(), scanner, (String) l.get("name"), ((Long) l.get("rating")).intValue(), at));
                leads++;
                if (++inBatch == LEAD_BATCH) { out.flush(); out.reset(); batches++; resets++; inBatch = 0; }
            }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, FloorPlan> {
        long evicted;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FloorPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Hall> HALLS_BY_CODE = new HashMap<>();

    static final class ShowOps {
        final Map<String, Exhibitor> exhibitors = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final BadgeScan[] scans = new BadgeScan[RING];
        long scanned;
        final ArrayDeque<byte[]> badgeBuffers = new ArrayDeque<>();
        final FloorPlanner planner = new FloorPlanner();
        final LeadSync leads;
        ShowOps() throws IOException { leads = new LeadSync(); }
    }

    static ShowOps SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int scans = SCANS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(88_060_001);
        ShowOps svc = new ShowOps();
        SERVICE = svc;
        String[] hallCodes = new String[HALLS];
        int[] booths = new int[HALLS];
        for (int h = 0; h < HALLS; h++) {
            double[] ff = new double[72];
            for (int k = 0; k < ff.length; k++) ff[k] = rnd.nextDouble() * 3_000;
            hallCodes[h] = "HALL-" + (h / 12) + "-" + (h % 12);
            booths[h] = 60 + rnd.nextInt(340);
            HALLS_BY_CODE.put(hallCodes[h], new Hall(hallCodes[h], "Venue " + (h / 12), booths[h], ff));
            svc.planner.occupied.put(hallCodes[h], new BitSet(booths[h]));
        }
        String[] exhibitorIds = new String[EXHIBITORS];
        for (int x = 0; x < EXHIBITORS; x++) {
            exhibitorIds[x] = "EXH-" + (500_000 + x * 11);
            svc.exhibitors.put(exhibitorIds[x], new Exhibitor(exhibitorIds[x], "Company " + (x % 6_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.badgeBuffers.add(new byte[32_768]);
        Random traffic = new Random(88_060_002);
        Random leadsRnd = new Random(88_060_003);
        FloorPlanner planner = svc.planner;
        long nextShow = start;
        int maxBuildUps = 0;
        long leadIds = 7_700_000L;
        StringBuilder sb = new StringBuilder(2_048);
        String[] steps = {"unload-freight", "stand-build", "stand-build", "stand-build", "power-and-data", "safety-inspection"};
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            planner.openDue(t);
            while (nextShow <= t) {
                String show = "SHOW-" + Long.toString(nextShow / MINUTE, 36).toUpperCase();
                long opensAt = nextShow + BUILD_UP;
                SetupTask root = new SetupTask("build-up " + show, show, opensAt);
                SetupTask unload = new SetupTask(steps[0], show, nextShow + 30 * MINUTE);
                root.dependents.add(unload);
                SetupTask power = new SetupTask(steps[4], show, nextShow + 150 * MINUTE);
                for (int k = 1; k <= 3; k++) { SetupTask stand = new SetupTask(steps[k] + "-" + k, show, nextShow + (60 + 20 * k) * MINUTE); unload.dependents.add(stand); stand.dependents.add(power); }
                power.dependents.add(new SetupTask(steps[5], show, opensAt - 10 * MINUTE));
                planner.buildUps.add(root);
                planner.showsScheduled++;
                nextShow += SHOW_EVERY;
            }
            maxBuildUps = Math.max(maxBuildUps, planner.buildUps.size());
            int h = traffic.nextInt(HALLS);
            BitSet occ = planner.occupied.get(hallCodes[h]);
            int booth = traffic.nextInt(booths[h]);
            if (traffic.nextInt(5) == 0) { if (occ.get(booth)) { occ.clear(booth); planner.cancellations++; } }
            else if (!occ.get(booth)) { occ.set(booth); planner.bookings++; }
            svc.scans[(int) (svc.scanned++ % RING)] = new BadgeScan("BDG-" + (3_000_000 + traffic.nextInt(900_000)), hallCodes[h], booth, t);
            String key = "plan-" + traffic.nextInt(4_000);
            if (svc.plans.get(key) == null) svc.plans.put(key, new FloorPlan(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.badgeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.badgeBuffers.add(buf);
            if (i % 3 == 0) { // a lead-retrieval app uploads the leads it scanned
                sb.setLength(0);
                sb.append("{\"scanner\":\"").append(exhibitorIds[leadsRnd.nextInt(EXHIBITORS)]).append("\",\"show\":\"SHOW-").append(leadsRnd.nextInt(30)).append("\",\"leads\":{");
                int n = 1 + leadsRnd.nextInt(4);
                for (int k = 0; k < n; k++) {
                    if (k > 0) sb.append(',');
                    sb.append("\"L-").append(leadIds++).append("\":{\"name\":\"Visitor ").append(leadsRnd.nextInt(200_000)).append("\",\"company\":\"Org ").append(leadsRnd.nextInt(20_000)).append("\",\"rating\":").append(1 + leadsRnd.nextInt(5)).append('}');
                }
                sb.append("}}");
                svc.leads.receive(sb.toString(), t);
            }
        }
        planner.openDue(end);
        sb = null;
        int occupiedBooths = 0, totalBooths = 0;
        for (int h = 0; h < HALLS; h++) {
            BitSet occ = planner.occupied.get(hallCodes[h]);
            occupiedBooths += occ.cardinality();
            totalBooths += booths[h];
            check(occ.length() <= booths[h], "booth index within the hall");
        }
        LeadSync ls = svc.leads;
        System.out.println("halls " + HALLS_BY_CODE.size() + " booths " + totalBooths + " occupied " + occupiedBooths + " (bookings " + planner.bookings + ", cancellations " + planner.cancellations + ") shows scheduled " + planner.showsScheduled + " opened " + planner.showsOpened
                + " in build-up " + planner.buildUps.size() + " (max " + maxBuildUps + ") exhibitors " + svc.exhibitors.size() + " scans " + svc.scanned + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ") pool " + svc.badgeBuffers.size()
                + " lead payloads " + ls.payloads + " leads " + ls.leads + " batches " + ls.batches + " resets " + ls.resets + " bytes " + ls.sink.bytes + " sealed " + ls.sink.segmentsSealed + " kept " + ls.sink.sealed.size()
                + " key pool " + JsonKeys.POOL.size() + " (passed through " + JsonKeys.passedThrough + ")");
        check(HALLS_BY_CODE.size() == HALLS && svc.exhibitors.size() == EXHIBITORS && planner.occupied.size() == HALLS, "reference data / directory");
        check(occupiedBooths == planner.bookings - planner.cancellations, "booth bitsets");
        check(planner.buildUps.size() == planner.showsScheduled - planner.showsOpened && planner.buildUps.size() <= BUILD_UP / SHOW_EVERY + 1, "build-up graphs bounded");
        check(svc.scanned == scans && svc.scans[RING - 1] != null, "scan ring");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "floor-plan cache at cap");
        check(svc.badgeBuffers.size() == POOL, "pool");
        check(ls.resets == ls.leads / LEAD_BATCH && ls.sink.sealed.size() == KEEP_SEALED, "lead stream reset after every batch");
        check(JsonKeys.POOL.size() == JsonKeys.SCHEMA.size() && JsonKeys.passedThrough == ls.leads, "key pool holds only schema keys");
        LeakCheck.histogram("java.io.ObjectOutputStream", "java.util.BitSet", "[J (", "[I (", "[B (");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
