// hprofscan-dump: name=val122-healthy-jukeboxes jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-healthy-jukeboxes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
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
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Validation set 122 (written blind), HEALTHY: the cloud service of a network of pub jukeboxes.
 * Patrons' phones follow a venue's "now playing" through listener lambdas on the NowPlayingBus (a
 * map of venue to CopyOnWriteArrayList), unsubscribed when the app session closes; every jukebox
 * that is online has a heartbeat check scheduled at a fixed rate on the fleet scheduler, cancelled
 * when the box goes offline; song packs (real zip files) are installed with try-with-resources, the
 * open archives listed in a registry while in use; the playlist-rules plugin is reloaded in a fresh
 * class loader whenever a pub chain changes its policy, the plugin registry replacing the entry of
 * the plugin so the old generation is dropped. Beside them: venue reference data, the track
 * catalogue, a constant royalty matrix, an album-art cache at its cap, a pool of audio buffers, a
 * ring of plays and the royalty-report backlog. See VALIDATION122.md.
 */
public final class Val122HealthyJukeboxes {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int VENUES = 1_500, TRACKS = 24_000, LABELS = 250, ART_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, PACKS = 10,
            SESSIONS_PER_MINUTE = 9, PLAYS_PER_MINUTE = 40, POLICY_EVERY_MINUTES = 10;
    static final String[] GENRES = {"indie", "rock", "soul", "pop", "disco", "folk", "metal", "country", "reggae", "hip-hop", "jazz", "dance"};

    public interface PlaylistRules {
        String name();
        boolean allowed(int trackIndex, int hourOfNight, int explicitFlag);
    }

    /** Plugin class, defined anew by every PolicyLoader. */
    public static final class ChainPolicy implements PlaylistRules {
        public static final boolean[] BLOCKED = new boolean[24_000];
        static { for (int i = 0; i < BLOCKED.length; i++) BLOCKED[i] = (i * 2_654_435_761L >>> 9) % 41 == 0; }
        public final String chain;
        public final int generation;
        public ChainPolicy(String chain, int generation) { this.chain = chain; this.generation = generation; }
        public String name() { return "chain-policy:" + chain; }
        public boolean allowed(int trackIndex, int hourOfNight, int explicitFlag) { return !BLOCKED[trackIndex % BLOCKED.length] && (explicitFlag == 0 || hourOfNight >= 3); }
    }

    static final class PolicyLoader extends ClassLoader {
        final Map<String, byte[]> bytecode;
        PolicyLoader(String chain, int generation, Map<String, byte[]> bytecode) {
            super("chain-policy-" + chain + "-v" + generation, Val122HealthyJukeboxes.class.getClassLoader());
            this.bytecode = bytecode;
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            if (b == null) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = defineClass(name, b, 0, b.length);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    /** The plugin registry: one entry per plugin name, replaced on reload. */
    static final class PluginRegistry {
        final Map<String, byte[]> bytecode = new HashMap<>();
        final Map<String, PlaylistRules> byName = new HashMap<>();
        int loads;
        PlaylistRules load(String chain) throws Exception {
            loads++;
            PolicyLoader l = new PolicyLoader(chain, loads, bytecode);
            PlaylistRules p = (PlaylistRules) l.loadClass(Val122HealthyJukeboxes.class.getName() + "$ChainPolicy").getConstructor(String.class, int.class).newInstance(chain, loads);
            byName.put(p.name(), p);
            return p;
        }
    }

    record Venue(String code, String name, String chain, double[] playsByHalfHour) {}
    record Track(String isrc, String title, String artist, String genre, byte[] licensing, int index, boolean explicit) {}
    record AlbumArt(String isrc, byte[] thumbnail, long at) {}
    record Play(String venue, String isrc, long paidPence, long at) {}
    record RoyaltyReport(String venue, long plays, long sendAt) {}
    record NowPlaying(String venue, String isrc, String title, long at) {}
    record Timed(long at, String id, int kind) {}

    static final class AppSession {
        final String id, venue, device;
        final long openedAt;
        final ArrayDeque<String> recent = new ArrayDeque<>();
        Consumer<NowPlaying> listener;
        AppSession(String id, String venue, String device, long openedAt) { this.id = id; this.venue = venue; this.device = device; this.openedAt = openedAt; }
        void onNowPlaying(NowPlaying n) {
            recent.addLast(n.title() + " @ " + n.at());
            if (recent.size() > 8) recent.pollFirst();
        }
    }

    static final class NowPlayingBus {
        final Map<String, CopyOnWriteArrayList<Consumer<NowPlaying>>> byVenue = new ConcurrentHashMap<>();
        void subscribe(String v, Consumer<NowPlaying> l) { byVenue.computeIfAbsent(v, k -> new CopyOnWriteArrayList<>()).add(l); }
        void unsubscribe(String v, Consumer<NowPlaying> l) { List<Consumer<NowPlaying>> ls = byVenue.get(v); if (ls != null) ls.remove(l); }
        void publish(NowPlaying n) { List<Consumer<NowPlaying>> ls = byVenue.get(n.venue()); if (ls != null) for (Consumer<NowPlaying> c : ls) c.accept(n); }
        int listeners() { int n = 0; for (List<?> l : byVenue.values()) n += l.size(); return n; }
    }

    static final class Jukebox {
        final String serial, venue;
        long lastHeartbeat;
        ScheduledFuture<?> heartbeat;
        Jukebox(String serial, String venue) { this.serial = serial; this.venue = venue; }
    }

    static final class HeartbeatCheck implements Runnable {
        final Jukebox box;
        HeartbeatCheck(Jukebox box) { this.box = box; }
        @Override public void run() { box.lastHeartbeat = System.currentTimeMillis(); }
    }

    static final class ArtCache extends LinkedHashMap<String, AlbumArt> {
        long evicted;
        ArtCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AlbumArt> e) { if (size() > ART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_CODE = new HashMap<>();

    static final class JukeboxCloud {
        final Map<String, Track> catalogue = new HashMap<>();
        final Track[] byIndex = new Track[TRACKS];
        final double[] royaltyMatrix = new double[VENUES * 256];
        final Map<String, AppSession> sessions = new HashMap<>();
        final NowPlayingBus nowPlaying = new NowPlayingBus();
        final Map<String, Jukebox> online = new HashMap<>();
        final ScheduledThreadPoolExecutor fleetScheduler;
        final Map<String, File> packFiles = new HashMap<>();
        final Map<String, ZipFile> openArchives = new ConcurrentHashMap<>();
        final PluginRegistry plugins = new PluginRegistry();
        final ArtCache art = new ArtCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final Play[] plays = new Play[RING];
        final ArrayDeque<RoyaltyReport> reports = new ArrayDeque<>();
        long opened, closed, boxesOnline, boxesOffline, played, blocked, installs, installedEntries, reportsSent;

        JukeboxCloud() {
            AtomicInteger n = new AtomicInteger();
            fleetScheduler = new ScheduledThreadPoolExecutor(2, r -> new Thread(r, "fleet-heartbeat-" + n.incrementAndGet()));
            fleetScheduler.setRemoveOnCancelPolicy(true);
        }

        void openSession(AppSession s) {
            sessions.put(s.id, s);
            s.listener = n -> s.onNowPlaying(n);
            nowPlaying.subscribe(s.venue, s.listener);
            opened++;
        }

        void closeSession(String id) {
            AppSession s = sessions.remove(id);
            if (s == null) return;
            nowPlaying.unsubscribe(s.venue, s.listener);
            closed++;
        }

        void boxOnline(Jukebox b) {
            online.put(b.serial, b);
            b.heartbeat = fleetScheduler.scheduleAtFixedRate(new HeartbeatCheck(b), 5, 5, TimeUnit.MINUTES);
            boxesOnline++;
        }

        void boxOffline(String serial) {
            Jukebox b = online.remove(serial);
            if (b == null) return;
            b.heartbeat.cancel(false);
            boxesOffline++;
        }

        void installPack(String packId) throws IOException {
            try (ZipFile zip = new ZipFile(packFiles.get(packId))) {
                openArchives.put(packId + "#" + installs, zip);
                try {
                    try (InputStream in = zip.getInputStream(zip.getEntry("manifest.json"))) { installedEntries += in.readAllBytes().length > 0 ? 1 : 0; }
                    try (InputStream in = zip.getInputStream(zip.getEntry("cues.csv"))) { installedEntries += in.readAllBytes().length > 0 ? 1 : 0; }
                } finally {
                    openArchives.remove(packId + "#" + installs);
                }
            }
            installs++;
        }

        void play(String venue, Track t, PlaylistRules rules, int hourOfNight, long at, Random r) {
            if (!rules.allowed(t.index(), hourOfNight, t.explicit() ? 1 : 0)) { blocked++; return; }
            plays[(int) (played++ % RING)] = new Play(venue, t.isrc(), 20 + r.nextInt(3) * 10, at);
            royaltyMatrix[Math.floorMod(venue.hashCode(), VENUES) * 256 + t.index() % 256] += 0.0042;
            nowPlaying.publish(new NowPlaying(venue, t.isrc(), t.title(), at));
            AlbumArt a = art.get(t.isrc());
            if (a == null) art.put(t.isrc(), new AlbumArt(t.isrc(), new byte[400 + r.nextInt(400)], at));
            byte[] buf = audioBuffers.poll();
            buf[(int) (played % buf.length)] = 1;
            audioBuffers.add(buf);
        }
    }

    static JukeboxCloud SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void writePack(File f, String id, Random rnd) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(f))) {
            out.putNextEntry(new ZipEntry("manifest.json"));
            StringBuilder m = new StringBuilder("{\"pack\":\"" + id + "\",\"tracks\":[");
            for (int k = 0; k < 200; k++) m.append(k == 0 ? "" : ",").append("\"GBAYE").append(1_000_000 + rnd.nextInt(TRACKS)).append('"');
            out.write(m.append("]}").toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("cues.csv"));
            StringBuilder c = new StringBuilder("track,start_ms,gain_db\n");
            for (int k = 0; k < 200; k++) c.append(k).append(',').append(rnd.nextInt(9_000)).append(',').append(rnd.nextInt(12) - 6).append('\n');
            out.write(c.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_060_001);
        String[] chains = {"Greene King", "Stonegate", "Marston's", "Mitchells", "Fuller's", "Young's", "Admiral", "Star Pubs", "independent"};
        String[] venues = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            venues[v] = "PUB" + (10_000 + v * 7);
            double[] plays = new double[48];
            for (int k = 0; k < plays.length; k++) plays[k] = rnd.nextDouble() * 30;
            VENUES_BY_CODE.put(venues[v], new Venue(venues[v], "The " + (v % 2 == 0 ? "Red Lion " : "Crown ") + v, chains[v % chains.length], plays));
        }
        JukeboxCloud svc = new JukeboxCloud();
        SERVICE = svc;
        svc.fleetScheduler.scheduleAtFixedRate(() -> { }, 15, 15, TimeUnit.MINUTES); // catalogue sync
        svc.fleetScheduler.scheduleWithFixedDelay(() -> { }, 1, 6, TimeUnit.HOURS);  // certificate rotation
        for (int i = 0; i < TRACKS; i++) {
            Track t = new Track("GBAYE" + (1_000_000 + i), "Song " + Integer.toString(i * 7_919 % 999_983, 36), "Artist " + (i % 3_100), GENRES[i % GENRES.length],
                    new byte[150 + rnd.nextInt(150)], i, rnd.nextInt(9) == 0);
            svc.catalogue.put(t.isrc(), t);
            svc.byIndex[i] = t;
        }
        for (int k = 0; k < svc.royaltyMatrix.length; k++) svc.royaltyMatrix[k] = rnd.nextInt(1_000) / 100.0;
        Path dir = Files.createTempDirectory("val122-songpacks-");
        dir.toFile().deleteOnExit();
        for (int p = 0; p < PACKS; p++) {
            String id = "pack-" + GENRES[p] + "-2024";
            File f = dir.resolve(id + ".zip").toFile();
            f.deleteOnExit();
            writePack(f, id, rnd);
            svc.packFiles.put(id, f);
        }
        try (InputStream in = Val122HealthyJukeboxes.class.getResourceAsStream("Val122HealthyJukeboxes$ChainPolicy.class")) {
            svc.plugins.bytecode.put(Val122HealthyJukeboxes.class.getName() + "$ChainPolicy", in.readAllBytes());
        }
        for (String chain : chains) svc.plugins.load(chain);
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);

        Random traffic = new Random(122_060_002), fleet = new Random(122_060_003), music = new Random(122_060_004);
        PriorityQueue<Timed> due = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.id().compareTo(b.id()));
        String[] boxSerial = new String[VENUES];
        for (int v = 0; v < VENUES; v++) {
            boxSerial[v] = "JBX-" + Integer.toHexString(0xA0000 + v * 17).toUpperCase();
            if (fleet.nextInt(10) < 6) svc.boxOnline(new Jukebox(boxSerial[v], venues[v]));
        }
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            long minute = (t - start) / MINUTE;
            if (minute % POLICY_EVERY_MINUTES == 0 && minute > 0) svc.plugins.load(chains[(int) (minute / POLICY_EVERY_MINUTES) % chains.length]);
            while (!due.isEmpty() && due.peek().at() <= t) svc.closeSession(due.poll().id());
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                AppSession s = new AppSession("app-" + Long.toString(0x6f0000L + seq++, 36), venues[traffic.nextInt(120)], traffic.nextBoolean() ? "iOS" : "Android", t + k * 6 * SECOND);
                svc.openSession(s);
                due.add(new Timed(s.openedAt + (4 + traffic.nextInt(80)) * MINUTE, s.id, 0));
            }
            for (int k = 0; k < 3; k++) { // boxes going off and on line
                int v = fleet.nextInt(VENUES);
                if (svc.online.containsKey(boxSerial[v])) svc.boxOffline(boxSerial[v]); else svc.boxOnline(new Jukebox(boxSerial[v], venues[v]));
            }
            for (int k = 0; k < PLAYS_PER_MINUTE; k++) {
                String venue = venues[music.nextInt(120)];
                Track tr = svc.byIndex[music.nextInt(TRACKS)];
                PlaylistRules rules = svc.plugins.byName.get("chain-policy:" + VENUES_BY_CODE.get(venue).chain());
                svc.play(venue, tr, rules, (int) (minute / 60), t + k * SECOND, music);
            }
            if (minute % 7 == 0) svc.installPack("pack-" + GENRES[(int) (minute / 7 % PACKS)] + "-2024");
            if (minute % 5 == 0) {
                for (int k = 0; k < 6; k++) svc.reports.addLast(new RoyaltyReport(venues[traffic.nextInt(VENUES)], 20 + traffic.nextInt(200), t + 25 * MINUTE));
            }
            while (!svc.reports.isEmpty() && svc.reports.peekFirst().sendAt() <= t) { svc.reports.pollFirst(); svc.reportsSent++; }
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the scheduler's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        simulate();
        report();
        awaitIdleJit();
        LeakCheck.histogram("PolicyLoader", "ChainPolicy");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Waits (at most 60 s) until the JIT compilers are idle. A compilation in progress holds the
     * classes it inspects, among them retired plugin generations still named in old type profiles;
     * dumping then would show loaders the service has already dropped.
     */
    static void awaitIdleJit() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int idle = 0;
        while (idle < 2 && System.nanoTime() < deadline) {
            String q = DumpUtil.jcmd(java.util.List.of("Compiler.queue"));
            boolean busy = false, inCurrent = false;
            for (String line : q.split("\n")) {
                String l = line.trim();
                if (l.startsWith("Current compiles:")) { inCurrent = true; continue; }
                if (l.endsWith("compile queue:")) { inCurrent = false; continue; }
                if (l.isEmpty() || l.equals("Empty") || l.endsWith(":")) continue;
                if (inCurrent || Character.isDigit(l.charAt(0))) busy = true;
            }
            idle = busy ? 0 : idle + 1;
            Thread.sleep(250);
        }
    }

    static void report() {
        JukeboxCloud svc = SERVICE;
        int queued = svc.fleetScheduler.getQueue().size();
        int listeners = svc.nowPlaying.listeners();
        System.out.println("venues " + VENUES_BY_CODE.size() + " tracks " + svc.catalogue.size() + " sessions opened " + svc.opened + " closed " + svc.closed + " open " + svc.sessions.size()
                + " listeners " + listeners + " boxes online " + svc.online.size() + " (went online " + svc.boxesOnline + ", offline " + svc.boxesOffline + ") scheduler queue " + queued
                + " plugin loads " + svc.plugins.loads + " registered plugins " + svc.plugins.byName.size() + " pack installs " + svc.installs + " open archives " + svc.openArchives.size()
                + " plays " + svc.played + " blocked " + svc.blocked + " art " + svc.art.size() + " (evicted " + svc.art.evicted + ") report backlog " + svc.reports.size()
                + " pool " + svc.audioBuffers.size());
        check(VENUES_BY_CODE.size() == VENUES && svc.catalogue.size() == TRACKS, "reference data / catalogue");
        check(svc.opened == (long) SESSIONS_PER_MINUTE * 60 * HOURS && svc.opened == svc.closed + svc.sessions.size() && listeners == svc.sessions.size(), "sessions");
        check(svc.sessions.size() == EXPECTED_OPEN_SESSIONS, "open sessions " + svc.sessions.size());
        check(svc.online.size() == EXPECTED_ONLINE && queued == 2 + svc.online.size(), "boxes online / scheduler queue " + svc.online.size() + " " + queued);
        check(svc.plugins.loads == 9 + HOURS * 60 / POLICY_EVERY_MINUTES - 1 && svc.plugins.byName.size() == 9, "plugins");
        check(svc.installs == (HOURS * 60 + 6) / 7 && svc.openArchives.isEmpty(), "pack installs");
        check(svc.played + svc.blocked == (long) PLAYS_PER_MINUTE * 60 * HOURS && svc.played == EXPECTED_PLAYED, "plays " + svc.played);
        check(svc.art.size() == ART_CAP && svc.art.evicted > 0, "art cache at cap");
        check(svc.reports.size() == 30 && svc.audioBuffers.size() == POOL && svc.plays[RING - 1] != null, "reports / pool / ring");
    }

    static final int EXPECTED_OPEN_SESSIONS = 424, EXPECTED_ONLINE = 756;
    static final long EXPECTED_PLAYED = 22_655;
}
