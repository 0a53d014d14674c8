// hprofscan-dump: name=val128-leak-radiosondes-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val128-leak-radiosondes-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val128-leak-radiosondes jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val128-leak-radiosondes-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 128 (written blind), LEAK growth series: the upper-air sounding service of a
 * national weather service. Radiosondes are launched every 15 minutes somewhere in the network; each
 * flight sends a telemetry frame every 2 seconds until the balloon bursts (90-120 minutes). Station
 * reference data, the radiosonde directory, an LRU of rendered skew-T plots at its cap, a pool of
 * telemetry buffers, a ring of the last frames, the flights in the air, a ring of completed flights
 * and the TEMP bulletins waiting for the GTS. Every frame is also mirrored to the backup processing
 * centre: one long-lived ObjectOutputStream over the centre's link (which sends and keeps nothing),
 * writeObject per frame, flushed every 60 frames, never reset(): its handle table keeps every frame
 * (and its two double[]) ever mirrored. Stage 1 = 2 h, stage 2 = 4 h, stage 3 = 8 h. See
 * VALIDATION128.md.
 */
public final class Val128LeakRadiosondes {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final int STATIONS = 900, SONDES = 20_000, PLOT_CAP = 2_000, POOL = 8, RING = 8_192, FLUSH_EVERY = 60, RESET_EVERY = 600;
    static final long FRAME_EVERY = 2 * SECOND, LAUNCH_EVERY = 15 * MINUTE;
    static boolean FIXED;

    /** An upper-air station (reference data; also written to the mirror as part of each flight). */
    static final class Station implements Serializable {
        private static final long serialVersionUID = 1L;
        final String wmoId; final String name; final double lat, lon; final int elevation; final double[] climatology;
        Station(String wmoId, String name, double lat, double lon, int elevation, double[] climatology) { this.wmoId = wmoId; this.name = name; this.lat = lat; this.lon = lon; this.elevation = elevation; this.climatology = climatology; }
    }

    static final class Flight implements Serializable {
        private static final long serialVersionUID = 1L;
        final String flightId; final String sondeSerial; final Station station; final long launchedAt;
        transient long burstAt; transient int frames;
        Flight(String flightId, String sondeSerial, Station station, long launchedAt, long burstAt) { this.flightId = flightId; this.sondeSerial = sondeSerial; this.station = station; this.launchedAt = launchedAt; this.burstAt = burstAt; }
    }

    /** One telemetry frame: pressure / temperature / humidity, GPS position, wind. */
    static final class SoundingFrame implements Serializable {
        private static final long serialVersionUID = 1L;
        final Flight flight; final int seq; final long at; final double[] ptu; final double[] gps; final float windSpeed, windDir;
        SoundingFrame(Flight flight, int seq, long at, double[] ptu, double[] gps, float windSpeed, float windDir) { this.flight = flight; this.seq = seq; this.at = at; this.ptu = ptu; this.gps = gps; this.windSpeed = windSpeed; this.windDir = windDir; }
    }

    record SondeRecord(String serial, String type, String batch, byte[] calibration, long receivedAt) {}
    record SkewTPlot(String key, byte[] png, long renderedAt) {}
    record FlightSummary(String flightId, String station, int frames, double burstAltitude, long launchedAt, long burstAt) {}
    record TempBulletin(String header, String flightId, byte[] text, long at) {}

    /** The link to the backup processing centre: sends and counts, keeps nothing. */
    static final class BackupCentreLink extends OutputStream {
        long bytesSent, flushes;
        @Override public void write(int b) { bytesSent++; }
        @Override public void write(byte[] b, int off, int len) { bytesSent += len; }
        @Override public void flush() { flushes++; }
    }

    static final class FrameMirror {
        final BackupCentreLink link = new BackupCentreLink();
        final ObjectOutputStream out;
        long frames, resets;
        FrameMirror() {
            try { out = new ObjectOutputStream(link); } catch (IOException e) { throw new IllegalStateException(e); }
        }
        void mirror(SoundingFrame f) {
            try {
                out.writeObject(f);
                frames++;
                if (frames % FLUSH_EVERY == 0) {
                    out.flush();
                    if (FIXED && frames % RESET_EVERY == 0) { out.reset(); resets++; }
                }
            } catch (IOException e) { throw new IllegalStateException(e); }
        }
    }

    static final class PlotCache extends LinkedHashMap<String, SkewTPlot> {
        long evicted, hits;
        PlotCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SkewTPlot> e) { if (size() > PLOT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_WMO = new HashMap<>();

    static final class SoundingService {
        final Map<String, SondeRecord> sondes = new HashMap<>();
        final String[] sondeSerials = new String[SONDES];
        final Station[] stations = new Station[STATIONS];
        final PlotCache plots = new PlotCache();
        final ArrayDeque<byte[]> telemetryBuffers = new ArrayDeque<>();
        final SoundingFrame[] recentFrames = new SoundingFrame[RING];
        final Map<String, Flight> activeFlights = new HashMap<>();
        final List<Flight> inLaunchOrder = new ArrayList<>();
        final ArrayDeque<FlightSummary> completed = new ArrayDeque<>();
        final ArrayDeque<TempBulletin> gtsQueue = new ArrayDeque<>();
        final FrameMirror mirror = new FrameMirror();
        long frames, launches, bursts, bulletins, bulletinsSent, plotRequests;

        void launch(Random r, long t) {
            Station st = stations[r.nextInt(STATIONS)];
            String id = st.wmoId + "-" + (launches++);
            long burstAt = t + (90 + r.nextInt(31)) * MINUTE;
            Flight f = new Flight(id, sondeSerials[r.nextInt(SONDES)], st, t, burstAt);
            activeFlights.put(id, f);
            inLaunchOrder.add(f);
        }

        void frame(Flight f, Random r, long t) {
            long seq = frames++;
            double climb = (t - f.launchedAt) / 1000.0 * 5.1;
            double[] ptu = {1013.0 * Math.exp(-climb / 7_400.0), 15.0 - climb * 0.0065 + r.nextGaussian() * 0.2, Math.max(1, 80 - climb / 400 + r.nextGaussian())};
            double[] gps = {f.station.lat + climb * 1e-6 * r.nextDouble(), f.station.lon + climb * 2e-6 * r.nextDouble(), f.station.elevation + climb};
            SoundingFrame fr = new SoundingFrame(f, f.frames++, t, ptu, gps, 5 + r.nextFloat() * 40, r.nextFloat() * 360);
            recentFrames[(int) (seq % RING)] = fr;
            byte[] buf = telemetryBuffers.poll();
            buf[(int) (seq % buf.length)] = (byte) fr.seq;
            telemetryBuffers.add(buf);
            mirror.mirror(fr);
            if (r.nextInt(6) == 0) {
                plotRequests++;
                String key = "skewt-" + r.nextInt(6_000);
                if (plots.get(key) != null) plots.hits++;
                else plots.put(key, new SkewTPlot(key, new byte[400 + r.nextInt(400)], t));
            }
        }

        void burst(Flight f, Random r, long t) {
            bursts++;
            activeFlights.remove(f.flightId);
            double alt = f.station.elevation + (f.burstAt - f.launchedAt) / 1000.0 * 5.1;
            completed.addLast(new FlightSummary(f.flightId, f.station.wmoId, f.frames, alt, f.launchedAt, t));
            if (completed.size() > 64) completed.removeFirst();
            for (String part : new String[] {"TTAA", "TTBB"}) {
                gtsQueue.addLast(new TempBulletin("US" + part.substring(2) + " " + f.station.wmoId, f.flightId, new byte[800 + r.nextInt(800)], t));
                bulletins++;
            }
        }

        void sendBulletins(long t) {
            while (!gtsQueue.isEmpty() && gtsQueue.peekFirst().at() <= t - 20 * MINUTE) { gtsQueue.pollFirst(); bulletinsSent++; }
        }
    }

    static SoundingService SERVICE;

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(128_010_001);
        SoundingService svc = new SoundingService();
        SERVICE = svc;
        for (int s = 0; s < STATIONS; s++) {
            double[] clim = new double[72];
            for (int k = 0; k < clim.length; k++) clim[k] = 100 + k * 400 + rnd.nextDouble() * 50;
            String wmo = "0" + (10_000 + s * 97);
            Station st = new Station(wmo, "Upper-air station " + s, -60 + rnd.nextDouble() * 130, -180 + rnd.nextDouble() * 360, rnd.nextInt(2_500), clim);
            svc.stations[s] = st;
            STATIONS_BY_WMO.put(wmo, st);
        }
        String[] types = {"RS41-SGP", "RS41-SG", "M20", "iMS-100", "DFM-17"};
        for (int i = 0; i < SONDES; i++) {
            svc.sondeSerials[i] = "T" + (3_100_000 + i * 11);
            svc.sondes.put(svc.sondeSerials[i], new SondeRecord(svc.sondeSerials[i], types[i % types.length], "B" + (i / 500), new byte[150 + rnd.nextInt(150)], now - (long) (5 + rnd.nextInt(400)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.telemetryBuffers.add(new byte[32_768]);
        Random launches = new Random(128_010_002), telemetry = new Random(128_010_003);
        long nextLaunch = start;
        for (long t = start; t < end; t += FRAME_EVERY) {
            while (nextLaunch <= t) { svc.launch(launches, nextLaunch); nextLaunch += LAUNCH_EVERY; }
            for (int i = 0; i < svc.inLaunchOrder.size(); i++) {
                Flight f = svc.inLaunchOrder.get(i);
                if (f.burstAt <= t) { svc.burst(f, launches, t); svc.inLaunchOrder.remove(i--); continue; }
                svc.frame(f, telemetry, t);
            }
            svc.sendBulletins(t);
        }
        try { svc.mirror.out.flush(); } catch (IOException e) { throw new IllegalStateException(e); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void verify(int stage, int hours) {
        SoundingService s = SERVICE;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " stations " + STATIONS_BY_WMO.size() + " sondes " + s.sondes.size() + " launches " + s.launches + " bursts " + s.bursts + " in the air " + s.activeFlights.size()
                + " frames " + s.frames + " mirrored " + s.mirror.frames + " bytes " + s.mirror.link.bytesSent + " flushes " + s.mirror.link.flushes + " resets " + s.mirror.resets
                + " plots " + s.plots.size() + " (requests " + s.plotRequests + ", evicted " + s.plots.evicted + ", hits " + s.plots.hits + ") completed " + s.completed.size()
                + " bulletins " + s.bulletins + " sent " + s.bulletinsSent + " backlog " + s.gtsQueue.size() + " pool " + s.telemetryBuffers.size());
        check(STATIONS_BY_WMO.size() == STATIONS && s.sondes.size() == SONDES, "reference data / directory");
        check(s.launches == hours * 4L && s.launches == s.bursts + s.activeFlights.size() && s.activeFlights.size() == s.inLaunchOrder.size(), "flights");
        check(s.mirror.frames == s.frames && s.bulletins == 2 * s.bursts && s.bulletins == s.bulletinsSent + s.gtsQueue.size(), "mirror / bulletins");
        check(s.mirror.resets == (FIXED ? s.frames / RESET_EVERY : 0), "resets");
        check(s.plots.size() == PLOT_CAP && s.plots.evicted > 0, "plot cache at cap");
        check(s.telemetryBuffers.size() == POOL && s.recentFrames[RING - 1] != null, "pool / ring");
        long[] e = EXPECT[stage - 1];
        long[] got = {s.frames, s.mirror.link.bytesSent, s.bursts, s.activeFlights.size(), s.plots.evicted, s.gtsQueue.size()};
        if (!FIXED) for (int i = 0; i < e.length; i++) check(e[i] < 0 || got[i] == e[i], "stage " + stage + " count #" + i + " = " + got[i] + ", expected " + e[i]);
        if (Boolean.getBoolean("val128.handles")) {
            try {
                java.lang.reflect.Field h = ObjectOutputStream.class.getDeclaredField("handles");
                h.setAccessible(true);
                Object table = h.get(s.mirror.out);
                java.lang.reflect.Field size = table.getClass().getDeclaredField("size");
                size.setAccessible(true);
                System.out.println("handles " + size.get(table));
            } catch (ReflectiveOperationException ex) { throw new IllegalStateException(ex); }
        }
    }

    /** frames, bytes sent, bursts, flights in the air, plots evicted, bulletin backlog (per stage). */
    static final long[][] EXPECT = {
            {15_930, 1_582_937, 1, 7, 113, 2},
            {41_490, 4_118_791, 10, 6, 2_864, 4},
            {89_940, 8_926_170, 26, 6, 8_326, 4}};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val128.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        verify(stage, hours);
        LeakCheck.histogram("java.io.ObjectOutputStream");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
