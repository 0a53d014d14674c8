// hprofscan-dump: name=val110-leak-burialregisters-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val110-leak-burialregisters-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val110-leak-burialregisters jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val110-leak-burialregisters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Validation set 110 (written blind), LEAK (growth series): the burial-register search service of a
 * city's cemeteries department (genealogists and the bereavement office search the transcribed
 * burial registers, one text file per register volume). Section reference data, the grave-plot
 * directory, a cache of rendered burial certificates at its cap, a pool of scan buffers, a ring of
 * the search log, a backlog of transcription corrections, and a handle tracker: every register
 * volume a search opens (a BufferedReader over the volume's file) is registered in the service's
 * openVolumes map so the admin page can list open handles, and unregistered when it is closed. The
 * search closes its reader after the last line, but returns from inside the loop as soon as it finds
 * the entry, skipping the close: every successful search leaves its reader (and its open file) in
 * the tracker. See VALIDATION110.md.
 */
public final class Val110LeakBurialRegisters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SECTIONS = 1_000, PLOTS = 24_000, CERT_CAP = 2_000, POOL = 8, SEARCH_LOG = 256, VOLUMES = 48, ENTRIES_PER_VOLUME = 1_200, SEARCHES_PER_HOUR = 150, LOOKUPS_PER_HOUR = 4_000;
    static final String[] SURNAMES = {"Abernethy", "Baxter", "Callaghan", "Dunmore", "Ellison", "Fairweather", "Gillespie", "Hargreaves", "Ingram", "Jardine", "Kilbride", "Lockhart", "McAllister", "Nesbitt", "Ogilvie", "Pettigrew", "Quigley", "Rutherford", "Sinclair", "Tennant", "Urquhart", "Vance", "Wishart", "Yule"};
    static final String[] FORENAMES = {"Agnes", "Archibald", "Bridget", "Duncan", "Euphemia", "Hector", "Isabella", "James", "Margaret", "Robert", "Thomas", "Williamina"};
    static boolean FIXED;

    record Section(String code, String cemetery, double[] occupancyByYear) {}
    record Plot(String plotRef, String sectionCode, int depthCm, byte[] interments, long purchasedAt) {}
    record Certificate(String key, byte[] pdf, long renderedAt) {}
    record SearchLogEntry(String volumeId, String surname, boolean found, String requestedBy, long at) {}
    record Correction(String volumeId, int line, String submittedBy, byte[] note, long at) {}

    /** An open register volume, tracked while open. */
    static final class VolumeReader implements Closeable {
        final long handle; final String volumeId; final Path file; final String requestedBy; final long openedAt;
        final BufferedReader reader; final Map<Long, VolumeReader> tracker; int linesRead;
        VolumeReader(long handle, String volumeId, Path file, String requestedBy, long openedAt, Map<Long, VolumeReader> tracker) throws IOException {
            this.handle = handle; this.volumeId = volumeId; this.file = file; this.requestedBy = requestedBy; this.openedAt = openedAt; this.tracker = tracker;
            this.reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 2_048);
            tracker.put(handle, this);
        }
        String readLine() throws IOException { String l = reader.readLine(); if (l != null) linesRead++; return l; }
        @Override public void close() throws IOException { tracker.remove(handle); reader.close(); }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) { if (size() > CERT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Section> SECTIONS_BY_CODE = new HashMap<>();

    static final class RegisterService {
        final Map<String, Plot> plots = new HashMap<>();
        final String[] plotRefs = new String[PLOTS];
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final SearchLogEntry[] searchLog = new SearchLogEntry[SEARCH_LOG];
        final ArrayDeque<Correction> corrections = new ArrayDeque<>();
        final Map<Long, VolumeReader> openVolumes = new ConcurrentHashMap<>();
        final Map<String, Path> volumeFiles = new HashMap<>();
        long nextHandle = 1, searches, found, lookups, reviewed;

        /** Finds the first entry of a surname in a register volume ("surname;forename;buried;plot"). */
        String findBurial(String volumeId, String surname, String requestedBy, long at) throws IOException {
            VolumeReader v = new VolumeReader(nextHandle++, volumeId, volumeFiles.get(volumeId), requestedBy, at, openVolumes);
            if (FIXED) {
                try (v) { return scan(v, surname); }
            }
            String line;
            while ((line = v.readLine()) != null) {
                if (line.startsWith(surname + ";")) return line; // BUG: returns without closing the volume
            }
            v.close();
            return null;
        }

        static String scan(VolumeReader v, String surname) throws IOException {
            String line;
            while ((line = v.readLine()) != null) if (line.startsWith(surname + ";")) return line;
            return null;
        }
    }

    static RegisterService SERVICE;
    static Path VOLUME_DIR;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void writeVolumes(RegisterService svc, Random rnd, long now) throws IOException {
        VOLUME_DIR = Files.createTempDirectory("val110-burial-registers-");
        for (int v = 0; v < VOLUMES; v++) {
            String volumeId = "REG-" + (char) ('A' + v % 6) + "-" + (1860 + (v / 6) * 20);
            Path file = VOLUME_DIR.resolve(volumeId + ".txt");
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int e = 0; e < ENTRIES_PER_VOLUME; e++) {
                    // each volume (a parish's register) has no entry for a third of the surnames
                    int s = rnd.nextInt(SURNAMES.length);
                    while ((s + v) % 3 == 0) s = rnd.nextInt(SURNAMES.length);
                    w.write(SURNAMES[s] + ";" + FORENAMES[rnd.nextInt(FORENAMES.length)] + ";" + (1860 + (v / 6) * 20 + rnd.nextInt(20)) + "-" + (1 + rnd.nextInt(12)) + "-" + (1 + rnd.nextInt(28)) + ";" + svc.plotRefs[rnd.nextInt(PLOTS)]);
                    w.newLine();
                }
            }
            svc.volumeFiles.put(volumeId, file);
        }
    }

    static void simulate(int hours) throws IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(110_030_001);
        String[] cemeteries = {"Eastern Necropolis", "Warriston", "Sighthill", "Craigentinny", "Mortonhall", "Dean"};
        String[] sectionCodes = new String[SECTIONS];
        for (int s = 0; s < SECTIONS; s++) {
            double[] occupancy = new double[64];
            for (int k = 0; k < occupancy.length; k++) occupancy[k] = rnd.nextDouble();
            sectionCodes[s] = cemeteries[s % cemeteries.length].substring(0, 3).toUpperCase() + "-" + (100 + s);
            SECTIONS_BY_CODE.put(sectionCodes[s], new Section(sectionCodes[s], cemeteries[s % cemeteries.length], occupancy));
        }
        RegisterService svc = new RegisterService();
        SERVICE = svc;
        for (int p = 0; p < PLOTS; p++) {
            svc.plotRefs[p] = "GR-" + sectionCodes[p % SECTIONS] + "-" + (p / SECTIONS + 1);
            svc.plots.put(svc.plotRefs[p], new Plot(svc.plotRefs[p], sectionCodes[p % SECTIONS], 150 + rnd.nextInt(120), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(30_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        writeVolumes(svc, rnd, now);
        String[] volumeIds = svc.volumeFiles.keySet().stream().sorted().toArray(String[]::new);

        Random traffic = new Random(110_030_002), searches = new Random(110_030_003);
        String[] users = {"bereavement-office", "genealogy-portal", "monumental-masons", "council-archive"};
        int requests = LOOKUPS_PER_HOUR * hours;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            // plot lookups: certificates, scans
            String plotRef = svc.plotRefs[traffic.nextInt(PLOTS)];
            Plot plot = svc.plots.get(plotRef);
            svc.lookups++;
            if (traffic.nextInt(3) == 0) {
                String key = plotRef + "/cert";
                if (svc.certificates.get(key) == null) svc.certificates.put(key, new Certificate(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = svc.scanBuffers.poll();
            buf[i % buf.length] = (byte) plot.depthCm();
            svc.scanBuffers.add(buf);
            if (traffic.nextInt(40) == 0) svc.corrections.addLast(new Correction(plot.sectionCode(), traffic.nextInt(ENTRIES_PER_VOLUME), users[traffic.nextInt(users.length)], new byte[80 + traffic.nextInt(200)], t));
            // the archivists review corrections within about 90 minutes
            while (!svc.corrections.isEmpty() && svc.corrections.peekFirst().at() < t - 90 * MINUTE) { svc.corrections.pollFirst(); svc.reviewed++; }
            // register searches
            if ((long) (i + 1) * SEARCHES_PER_HOUR / LOOKUPS_PER_HOUR > (long) i * SEARCHES_PER_HOUR / LOOKUPS_PER_HOUR) {
                String volumeId = volumeIds[searches.nextInt(VOLUMES)];
                String surname = SURNAMES[searches.nextInt(SURNAMES.length)];
                String user = users[searches.nextInt(users.length)];
                String hit = svc.findBurial(volumeId, surname, user, t);
                svc.searches++;
                if (hit != null) svc.found++;
                svc.searchLog[(int) ((svc.searches - 1) % SEARCH_LOG)] = new SearchLogEntry(volumeId, surname, hit != null, user, t);
            }
        }
    }

    static void deleteVolumes() throws IOException {
        if (VOLUME_DIR == null) return;
        try (Stream<Path> files = Files.walk(VOLUME_DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val110.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        try {
            simulate(hours);
            RegisterService svc = SERVICE;
            long stillOpen = svc.openVolumes.values().stream().filter(v -> v.reader != null).count();
            System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " sections " + SECTIONS_BY_CODE.size() + " plots " + svc.plots.size() + " lookups " + svc.lookups + " searches " + svc.searches + " (found " + svc.found + ", not found " + (svc.searches - svc.found) + ")"
                    + " open volumes " + svc.openVolumes.size() + " certificates " + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.scanBuffers.size() + " corrections " + svc.corrections.size() + " (reviewed " + svc.reviewed + ")");
            check(SECTIONS_BY_CODE.size() == SECTIONS && svc.plots.size() == PLOTS && svc.volumeFiles.size() == VOLUMES, "reference data / directory");
            check(svc.lookups == (long) LOOKUPS_PER_HOUR * hours && svc.searches == (long) SEARCHES_PER_HOUR * hours, "traffic");
            check(svc.found == new int[] {201, 388, 802}[stage - 1], "successful searches (seeded traffic): " + svc.found);
            check(svc.openVolumes.size() == (FIXED ? 0 : svc.found) && stillOpen == svc.openVolumes.size(), "open volumes " + svc.openVolumes.size());
            check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
            check(svc.scanBuffers.size() == POOL, "pool");
            check(svc.searchLog[SEARCH_LOG - 1] != null, "search log");
            check(svc.corrections.size() > 100 && svc.corrections.size() < 220, "corrections backlog " + svc.corrections.size());
            svc = null;
            LeakCheck.histogram("BufferedReader", "InputStreamReader", "StreamDecoder", "ChannelInputStream", "FileChannelImpl", "FileDescriptor");
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
        } finally {
            deleteVolumes();
        }
        System.exit(0);
    }
}
