// hprofscan-dump: name=val122-leak-glidingclub jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-leak-glidingclub-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Validation set 122 (written blind), LEAK: the flight-operations service of a gliding federation.
 * Before a cross-country flight a pilot declares a task (three to five turnpoints); the task check
 * opens the airspace KMZ of the task's region (a real zip file in a temporary directory, one per
 * region) as a java.util.zip.ZipFile, registers it with the ArchiveJanitor ("close on shutdown",
 * the janitor is a JVM shutdown hook), reads the stored airac.json entry (and, for one check in
 * eight, the deflated doc.kml) with try-with-resources on the entry streams, and never closes nor
 * unregisters the ZipFile itself. The janitor's list keeps every archive ever opened beside the 8
 * current-cycle archives the service opens at startup. Ordinary components beside it: airfield
 * reference data, the parsed airspace zones, the turnpoint index, the pilot directory, a briefing
 * cache at its cap, a pool of IGC parse buffers, a ring of recent checks and the NOTAM mail backlog.
 * See VALIDATION122.md.
 */
public final class Val122LeakGlidingClub {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int AIRFIELDS = 600, TURNPOINTS = 8_000, PILOTS = 20_000, BRIEFING_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            CHECKS_PER_MINUTE = 24, ZONES_PER_REGION = 150;
    static final String[] REGIONS = {"scotland", "north", "midlands", "wales", "east-anglia", "south-east", "south-west", "northern-ireland"};
    static boolean FIXED;

    record Airfield(String icao, String name, double lat, double lon, double[] windRoseByMonth) {}
    record Turnpoint(String code, String name, double lat, double lon, int elevationFt) {}
    record AirspaceZone(String id, String type, int floorFt, int ceilingFt, double[] polygon) {}
    record Pilot(String bgaNumber, String name, String club, byte[] logbookSummary, long memberSince) {}
    record Briefing(String key, byte[] rendered, long at) {}
    record TaskCheck(String checkId, String pilot, String region, String[] turnpoints, boolean clear, String airac, long at) {}
    record NotamMail(String pilot, String subject, long queuedAt) {}

    /** An open archive registered for closing at shutdown. */
    record TrackedArchive(String owner, ZipFile zip, long openedAt) {}

    /** Closes whatever is still open when the JVM shuts down. */
    static final class ArchiveJanitor {
        final List<TrackedArchive> openArchives = new ArrayList<>();
        long registered, unregistered;

        synchronized void track(String owner, ZipFile zip, long t) { openArchives.add(new TrackedArchive(owner, zip, t)); registered++; }

        synchronized void untrack(ZipFile zip) {
            for (int i = openArchives.size() - 1; i >= 0; i--) {
                if (openArchives.get(i).zip() == zip) { openArchives.remove(i); unregistered++; return; }
            }
        }

        synchronized void closeAll() {
            for (TrackedArchive a : openArchives) {
                try { a.zip().close(); } catch (IOException ignored) { }
            }
            openArchives.clear();
        }
    }

    static final class BriefingCache extends LinkedHashMap<String, Briefing> {
        long evicted;
        BriefingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Briefing> e) { if (size() > BRIEFING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Airfield> AIRFIELDS_BY_ICAO = new HashMap<>();

    static final class FlightOpsService {
        final Map<String, Turnpoint> turnpoints = new HashMap<>();
        final Map<String, Pilot> pilots = new HashMap<>();
        final Map<String, List<AirspaceZone>> zonesByRegion = new HashMap<>();
        final Map<String, File> kmzByRegion = new HashMap<>();
        final Map<String, ZipFile> currentCycle = new HashMap<>();
        final ArchiveJanitor janitor = new ArchiveJanitor();
        final BriefingCache briefings = new BriefingCache();
        final ArrayDeque<byte[]> igcBuffers = new ArrayDeque<>();
        final TaskCheck[] recentChecks = new TaskCheck[RING];
        final ArrayDeque<NotamMail> notamOutbox = new ArrayDeque<>();
        long checks, kmlReads, clear, mailsSent, mailsQueued;

        /** Opens the current AIRAC cycle's archives once at startup: these stay open by design. */
        void openCurrentCycle(long t) throws IOException {
            for (String region : REGIONS) {
                ZipFile z = new ZipFile(kmzByRegion.get(region));
                currentCycle.put(region, z);
                janitor.track("cycle:" + region, z, t);
            }
        }

        TaskCheck checkTask(String checkId, Pilot pilot, String region, String[] tps, boolean readKml, long t) throws IOException {
            String airac;
            ZipFile kmz = openArchive(checkId, region, t);
            try {
                airac = readAirspace(kmz, readKml);
            } finally {
                if (FIXED) { janitor.untrack(kmz); kmz.close(); } // BUG: without the fix the archive stays open and registered
            }
            boolean ok = true;
            for (String code : tps) {
                Turnpoint tp = turnpoints.get(code);
                for (AirspaceZone z : zonesByRegion.get(region)) {
                    if (z.type().equals("D") && Math.abs(z.polygon()[0] - tp.lat()) < 0.02 && Math.abs(z.polygon()[1] - tp.lon()) < 0.02) ok = false;
                }
            }
            checks++;
            if (ok) clear++;
            TaskCheck c = new TaskCheck(checkId, pilot.bgaNumber(), region, tps, ok, airac, t);
            recentChecks[(int) ((checks - 1) % RING)] = c;
            return c;
        }

        ZipFile openArchive(String owner, String region, long t) throws IOException {
            ZipFile z = new ZipFile(kmzByRegion.get(region));
            janitor.track(owner, z, t);
            return z;
        }

        String readAirspace(ZipFile kmz, boolean readKml) throws IOException {
            String airac;
            try (InputStream in = kmz.getInputStream(kmz.getEntry("airac.json"))) {
                airac = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
            if (readKml) {
                byte[] buf = igcBuffers.poll();
                try (InputStream in = kmz.getInputStream(kmz.getEntry("doc.kml"))) {
                    while (in.read(buf, 0, 8_192) > 0) { }
                }
                igcBuffers.add(buf);
                kmlReads++;
            }
            return airac;
        }
    }

    static FlightOpsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Writes one region's KMZ: a stored airac.json, a deflated doc.kml with the zones, stored overlay tiles. */
    static void writeKmz(File file, String region, List<AirspaceZone> zones, Random rnd) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(file))) {
            byte[] airac = ("{\"cycle\":\"2405\",\"region\":\"" + region + "\",\"zones\":" + zones.size() + "}").getBytes(StandardCharsets.US_ASCII);
            ZipEntry e = new ZipEntry("airac.json");
            e.setMethod(ZipEntry.STORED);
            e.setSize(airac.length);
            CRC32 crc = new CRC32();
            crc.update(airac);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(airac);
            out.closeEntry();
            StringBuilder kml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n");
            for (AirspaceZone z : zones) {
                kml.append("<Placemark><name>").append(z.id()).append("</name><description>class ").append(z.type()).append(' ')
                        .append(z.floorFt()).append('-').append(z.ceilingFt()).append(" ft</description><Polygon><outerBoundaryIs><LinearRing><coordinates>");
                for (int k = 0; k + 1 < z.polygon().length; k += 2) kml.append(z.polygon()[k + 1]).append(',').append(z.polygon()[k]).append(",0 ");
                kml.append("</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n");
            }
            kml.append("</Document></kml>\n");
            out.putNextEntry(new ZipEntry("doc.kml"));
            out.write(kml.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (int k = 0; k < 6; k++) {
                byte[] png = new byte[2_048 + rnd.nextInt(2_048)];
                rnd.nextBytes(png);
                ZipEntry o = new ZipEntry("overlays/tile-" + k + ".png");
                o.setMethod(ZipEntry.STORED);
                o.setSize(png.length);
                CRC32 c = new CRC32();
                c.update(png);
                o.setCrc(c.getValue());
                out.putNextEntry(o);
                out.write(png);
                out.closeEntry();
            }
        }
    }

    static void simulate() throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_030_001);
        for (int a = 0; a < AIRFIELDS; a++) {
            String icao = "EG" + (char) ('A' + a % 26) + (char) ('A' + a / 26 % 26);
            double[] rose = new double[12 * 16];
            for (int k = 0; k < rose.length; k++) rose[k] = rnd.nextDouble();
            AIRFIELDS_BY_ICAO.put(icao, new Airfield(icao, "Airfield " + a, 50 + rnd.nextDouble() * 8, -6 + rnd.nextDouble() * 8, rose));
        }
        FlightOpsService svc = new FlightOpsService();
        SERVICE = svc;
        Runtime.getRuntime().addShutdownHook(new Thread(svc.janitor::closeAll, "archive-janitor"));
        String[] tpCodes = new String[TURNPOINTS];
        for (int i = 0; i < TURNPOINTS; i++) {
            tpCodes[i] = Integer.toString(36 * 36 * 10 + i * 7, 36).toUpperCase();
            svc.turnpoints.put(tpCodes[i], new Turnpoint(tpCodes[i], "TP " + i, 50 + rnd.nextDouble() * 8, -6 + rnd.nextDouble() * 8, rnd.nextInt(3_000)));
        }
        String[] bga = new String[PILOTS];
        String[] clubs = {"Lasham", "Dunstable", "Aboyne", "Sutton Bank", "Talgarth", "Nympsfield", "Husbands Bosworth", "Portmoak", "Gransden Lodge", "Pocklington"};
        for (int p = 0; p < PILOTS; p++) {
            bga[p] = "BGA" + (30_000 + p * 3);
            svc.pilots.put(bga[p], new Pilot(bga[p], "Pilot " + p, clubs[p % clubs.length], new byte[150 + rnd.nextInt(150)], now - (long) (60 + rnd.nextInt(9_000)) * DAY));
        }
        String[] types = {"A", "C", "D", "E", "G", "P", "R", "TMZ", "RMZ"};
        Path dir = Files.createTempDirectory("val122-airspace-");
        dir.toFile().deleteOnExit();
        for (String region : REGIONS) {
            List<AirspaceZone> zones = new ArrayList<>();
            for (int z = 0; z < ZONES_PER_REGION; z++) {
                double[] poly = new double[2 * (8 + rnd.nextInt(24))];
                double lat = 50 + rnd.nextDouble() * 8, lon = -6 + rnd.nextDouble() * 8;
                for (int k = 0; k < poly.length; k += 2) { poly[k] = lat + rnd.nextGaussian() * 0.05; poly[k + 1] = lon + rnd.nextGaussian() * 0.08; }
                zones.add(new AirspaceZone(region.toUpperCase() + "-" + types[z % types.length] + "-" + z, types[z % types.length], 500 * rnd.nextInt(10), 5_000 + 1_000 * rnd.nextInt(60), poly));
            }
            svc.zonesByRegion.put(region, zones);
            File f = dir.resolve(region + "-2405.kmz").toFile();
            f.deleteOnExit();
            writeKmz(f, region, zones, rnd);
            svc.kmzByRegion.put(region, f);
        }
        svc.openCurrentCycle(start);
        for (int b = 0; b < POOL; b++) svc.igcBuffers.add(new byte[32_768]);

        Random traffic = new Random(122_030_002);
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < CHECKS_PER_MINUTE; k++) {
                String region = REGIONS[traffic.nextInt(REGIONS.length)];
                String[] tps = new String[3 + traffic.nextInt(3)];
                for (int i = 0; i < tps.length; i++) tps[i] = tpCodes[traffic.nextInt(TURNPOINTS)];
                Pilot pilot = svc.pilots.get(bga[traffic.nextInt(PILOTS)]);
                long at = t + k * 3 * SECOND;
                svc.checkTask("TC-" + (5_500_000 + seq++), pilot, region, tps, traffic.nextInt(8) == 0, at);
                String key = region + "/" + tps[0] + "/" + traffic.nextInt(600);
                if (svc.briefings.get(key) == null) svc.briefings.put(key, new Briefing(key, new byte[400 + traffic.nextInt(400)], at));
                if (traffic.nextInt(4) == 0) {
                    svc.notamOutbox.addLast(new NotamMail(pilot.bgaNumber(), "NOTAM affecting your task in " + region + " (" + tps[0] + ")", at));
                    svc.mailsQueued++;
                }
            }
            while (!svc.notamOutbox.isEmpty() && svc.notamOutbox.peekFirst().queuedAt() <= t - 10 * MINUTE) { svc.notamOutbox.pollFirst(); svc.mailsSent++; }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val122.fixed");
        simulate();
        report();
        LeakCheck.histogram("java.util.zip.");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        FlightOpsService svc = SERVICE;
        int open = svc.janitor.openArchives.size();
        System.out.println((FIXED ? "FIXED " : "") + "airfields " + AIRFIELDS_BY_ICAO.size() + " turnpoints " + svc.turnpoints.size() + " pilots " + svc.pilots.size()
                + " regions " + svc.zonesByRegion.size() + " checks " + svc.checks + " (clear " + svc.clear + ", kml reads " + svc.kmlReads + ") archives registered "
                + svc.janitor.registered + " unregistered " + svc.janitor.unregistered + " still open " + open + " briefings " + svc.briefings.size()
                + " (evicted " + svc.briefings.evicted + ") notam backlog " + svc.notamOutbox.size() + " pool " + svc.igcBuffers.size());
        check(AIRFIELDS_BY_ICAO.size() == AIRFIELDS && svc.turnpoints.size() == TURNPOINTS && svc.pilots.size() == PILOTS, "reference data / directory");
        check(svc.checks == (long) CHECKS_PER_MINUTE * 60 * HOURS && svc.janitor.registered == svc.checks + REGIONS.length, "checks");
        check(open == REGIONS.length + (FIXED ? 0 : svc.checks) && svc.janitor.unregistered == (FIXED ? svc.checks : 0), "open archives " + open);
        check(svc.kmlReads == EXPECTED_KML_READS && svc.clear == EXPECTED_CLEAR, "kml reads " + svc.kmlReads + " clear " + svc.clear);
        check(svc.briefings.size() == BRIEFING_CAP && svc.briefings.evicted > 0, "briefing cache at cap");
        check(svc.notamOutbox.size() == EXPECTED_BACKLOG && svc.mailsQueued == svc.mailsSent + svc.notamOutbox.size(), "notam backlog " + svc.notamOutbox.size());
        check(svc.igcBuffers.size() == POOL && svc.recentChecks[RING - 1] != null, "pool / ring");
    }

    static final long EXPECTED_KML_READS = 1_802, EXPECTED_CLEAR = 14_383, EXPECTED_BACKLOG = 64;
}
