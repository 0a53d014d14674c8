// hprofscan-dump: name=val137-leak-houseboathire-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val137-leak-houseboathire-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val137-leak-houseboathire jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val137-leak-houseboathire-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 137 (written blind), LEAK (growth series): the fleet service of a houseboat hire
 * company. Waterway-section reference data (boat traffic by half hour), the hirer directory, the
 * 420 boats, a cache of rendered cruising-route maps at its cap, a pool of handover-PDF buffers, a
 * ring of recent telemetry reports, an engineer-ticket queue with a normal backlog, and the
 * insurer export: every telemetry report of a boat (position, speed, engine hours, battery, bilge)
 * is written as a JSON line into InsurerExportWriter.out (one long-lived ByteArrayOutputStream);
 * every 5 minutes the batch is shipped with out.toByteArray() to the insurer's usage-based-cover
 * platform (which imports by report id, so the repeated lines go unnoticed), but out.reset() is
 * never called: the one buffer keeps every line since start and its array doubles now and then.
 * See VALIDATION137.md.
 */
public final class Val137LeakHouseboatHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, BATCH_EVERY = 5 * MINUTE, TICKET_CLOSED_AFTER = 60 * MINUTE;
    static final int SECTIONS = 1_000, HIRERS = 20_000, BOATS = 420, MAP_CAP = 2_000, POOL = 8, RING = 8_192, REPORTS_PER_HOUR = 5_000;
    static final int INITIAL_CAPACITY = 131_072;
    static boolean FIXED;

    record Section(String code, String waterway, double[] trafficByHalfHour) {}
    record Hirer(String hirerId, String name, String postcode, byte[] safetyBriefing, long registeredAt) {}
    record Boat(String boatId, String name, int berths, String homeBase, long builtAt) {}
    record RouteMap(String key, byte[] rendered, long at) {}
    record Telemetry(String reportId, String boatId, String hireRef, String section, int knotsTenths, int batteryCentivolts, String bilge, long at) {}
    record EngineerTicket(String boatId, String reason, long due) {}

    static final String[] BILGE = {"dry", "dry", "dry", "dry", "damp", "wet"};
    static final String[] FLAGS = {"mooring", "in-lock", "under-way", "shore-power", "engine-idle", "water-tank-low", "pump-out-due", "tunnel", "swing-bridge",
        "winding-hole", "reversing", "stern-gland-drip", "tiller-pin", "cratch-open", "solar-charging", "gps-drift"};
    static final String[] WATERWAYS = {"Grand Union", "Oxford", "Llangollen", "Kennet & Avon", "Shropshire Union", "Leeds & Liverpool", "Trent & Mersey", "Norfolk Broads", "Caledonian", "Canal du Midi"};

    /** The insurer's import endpoint (a stand-in that counts what it receives). */
    static final class InsurerLink {
        long shipments, bytesReceived, largestPayload;
        void importBatch(byte[] payload) { shipments++; bytesReceived += payload.length; largestPayload = Math.max(largestPayload, payload.length); }
    }

    static final class InsurerExportWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_CAPACITY);
        final InsurerLink link = new InsurerLink();
        long lines, batches, linesInBatch, bytesWritten;
        void write(Telemetry r, String flags) {
            String line = "{\"id\":\"" + r.reportId() + "\",\"boat\":\"" + r.boatId() + "\",\"hire\":\"" + r.hireRef() + "\",\"sec\":\"" + r.section() + "\",\"ts\":" + r.at()
                    + ",\"kn\":" + r.knotsTenths() / 10 + "." + r.knotsTenths() % 10 + ",\"batt\":" + r.batteryCentivolts() + ",\"bilge\":\"" + r.bilge() + "\",\"flags\":\"" + flags + "\"}\n";
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            lines++; linesInBatch++; bytesWritten += b.length;
        }
        void shipBatch(long at) {
            byte[] header = ("#batch " + (batches + 1) + " lines " + linesInBatch + " at " + at + "\n").getBytes(StandardCharsets.US_ASCII);
            out.write(header, 0, header.length);
            bytesWritten += header.length;
            link.importBatch(out.toByteArray());
            batches++; linesInBatch = 0;
            if (FIXED) out.reset(); // the fix; the service as deployed never resets the stream
        }
        int capacity() { // ByteArrayOutputStream.buf is protected; the capacity follows from what was written (it doubles)
            int cap = INITIAL_CAPACITY;
            long size = FIXED ? link.largestPayload : out.size();
            while (cap < size) cap <<= 1;
            return cap;
        }
    }

    static final class MapCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Section> SECTIONS_BY_CODE = new HashMap<>();

    static final class FleetService {
        final Map<String, Hirer> hirers = new HashMap<>();
        final String[] hirerIds = new String[HIRERS];
        final Map<String, Boat> boats = new HashMap<>();
        final String[] boatIds = new String[BOATS];
        final MapCache routeMaps = new MapCache();
        final ArrayDeque<byte[]> handoverBuffers = new ArrayDeque<>();
        final Telemetry[] recentReports = new Telemetry[RING];
        final ArrayDeque<EngineerTicket> tickets = new ArrayDeque<>();
        final InsurerExportWriter export = new InsurerExportWriter();
        long reports, ticketsOpened, ticketsClosed, handovers;
    }

    static FleetService SERVICE;
    static int STAGE, HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(137_010_001);
        String[] codes = new String[SECTIONS];
        for (int s = 0; s < SECTIONS; s++) {
            double[] traffic = new double[48];
            for (int k = 0; k < traffic.length; k++) traffic[k] = rnd.nextDouble() * 40;
            codes[s] = "WS-" + (1_000 + s);
            SECTIONS_BY_CODE.put(codes[s], new Section(codes[s], WATERWAYS[s % WATERWAYS.length], traffic));
        }
        FleetService svc = new FleetService();
        SERVICE = svc;
        for (int i = 0; i < HIRERS; i++) {
            String id = "HR-" + (410_000 + i * 7);
            svc.hirerIds[i] = id;
            svc.hirers.put(id, new Hirer(id, "Hirer " + i, "CV" + (1 + rnd.nextInt(40)) + " " + rnd.nextInt(10) + "AB", new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < BOATS; b++) {
            svc.boatIds[b] = "HB-NB-" + (1_000 + b * 3);
            svc.boats.put(svc.boatIds[b], new Boat(svc.boatIds[b], "Narrowboat " + b, 2 + rnd.nextInt(9), "Base " + (b % 12), now - (long) (400 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.handoverBuffers.add(new byte[32_768]);
        Random traffic = new Random(137_010_002);
        int total = REPORTS_PER_HOUR * HOURS;
        long nextBatch = start + BATCH_EVERY;
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            while (nextBatch <= t) { svc.export.shipBatch(nextBatch); nextBatch += BATCH_EVERY; }
            while (!svc.tickets.isEmpty() && svc.tickets.peekFirst().due() <= t) { svc.tickets.pollFirst(); svc.ticketsClosed++; }
            int b = traffic.nextInt(BOATS);
            String section = codes[traffic.nextInt(SECTIONS)];
            Telemetry r = new Telemetry("TL-" + (88_000_000L + i), svc.boatIds[b], "HIRE-" + (52_000 + b * 17 + traffic.nextInt(3)), section, traffic.nextInt(45), 1_150 + traffic.nextInt(300),
                    BILGE[traffic.nextInt(BILGE.length)], t);
            svc.recentReports[(int) (svc.reports++ % RING)] = r;
            flags.setLength(0);
            int n = 2 + traffic.nextInt(4);
            for (int w = 0; w < n; w++) { if (w > 0) flags.append(','); flags.append(FLAGS[traffic.nextInt(FLAGS.length)]); }
            svc.export.write(r, flags.toString());
            if (traffic.nextInt(10) == 0) {
                String reason = r.batteryCentivolts() < 1_200 ? "battery below 12.0 V" : r.bilge().equals("wet") ? "bilge water" : "engine hours service due";
                svc.tickets.addLast(new EngineerTicket(r.boatId(), reason + " on " + r.boatId() + " near " + section, t + TICKET_CLOSED_AFTER));
                svc.ticketsOpened++;
            }
            String key = section + "/map/" + traffic.nextInt(3);
            if (svc.routeMaps.get(key) == null) svc.routeMaps.put(key, new RouteMap(key, new byte[400 + traffic.nextInt(400)], t));
            if (traffic.nextInt(20) == 0) { // a handover at the boatyard: hirer's safety briefing printed
                byte[] buf = svc.handoverBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.handoverBuffers.add(buf);
                svc.handovers++;
            }
        }
        while (nextBatch < end) { svc.export.shipBatch(nextBatch); nextBatch += BATCH_EVERY; }
    }

    static void report() {
        FleetService svc = SERVICE;
        InsurerExportWriter ex = svc.export;
        int total = REPORTS_PER_HOUR * HOURS;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + STAGE + " hours " + HOURS + " sections " + SECTIONS_BY_CODE.size() + " hirers " + svc.hirers.size() + " boats " + svc.boats.size() + " reports " + svc.reports
                + " export lines " + ex.lines + " batches " + ex.batches + " bytes written " + ex.bytesWritten + " buffer size " + ex.out.size() + " capacity " + ex.capacity()
                + " shipped " + ex.link.bytesReceived + " largest " + ex.link.largestPayload
                + " maps " + svc.routeMaps.size() + " (evicted " + svc.routeMaps.evicted + ") tickets " + svc.ticketsOpened + "/" + svc.ticketsClosed + " backlog " + svc.tickets.size() + " handovers " + svc.handovers);
        check(SECTIONS_BY_CODE.size() == SECTIONS && svc.hirers.size() == HIRERS && svc.boats.size() == BOATS, "reference data / directory");
        check(svc.reports == total && ex.lines == total && ex.batches == HOURS * 12L - 1, "reports / batches");
        check(svc.routeMaps.size() == MAP_CAP && svc.routeMaps.evicted > 0, "route-map cache at cap");
        check(svc.handoverBuffers.size() == POOL && svc.recentReports[RING - 1] != null, "pool / ring");
        check(svc.tickets.size() > 350 && svc.tickets.size() < 650, "ticket backlog " + svc.tickets.size());
        if (FIXED) {
            check(ex.out.size() < 100_000 && ex.capacity() == INITIAL_CAPACITY, "fixed: buffer holds the current batch only");
        } else {
            check(ex.out.size() == ex.bytesWritten, "the buffer holds everything written");
            int expectCap = STAGE == 1 ? 2 << 20 : STAGE == 2 ? 4 << 20 : 8 << 20;
            check(ex.capacity() == expectCap, "capacity " + ex.capacity());
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val137.fixed");
        STAGE = Integer.parseInt(args[2]);
        HOURS = STAGE == 1 ? 2 : STAGE == 2 ? 4 : 8;
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
