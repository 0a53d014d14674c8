// hprofscan-dump: name=val62-leak-weatherbuoys jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val62-leak-weatherbuoys-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 62 (written blind), LEAK: the marine-observation ingest of a weather service.
 * Eight satellite uplinks deliver NMEA-style sentences from moored buoys and voluntary observing
 * ships; every uplink session borrows a line buffer (StringBuilder) from a pool of 8 and returns
 * it when the session ends. Buoy reference data, the ship directory, a cache of rendered forecast
 * charts at its cap, a pool of GRIB decode buffers, a ring of parsed observations, and the line
 * buffer pool: neither the reader (between messages) nor release() (between sessions) ever resets
 * a buffer (no setLength(0)); the reader appends each sentence after whatever is already there and
 * parses from the old length, so every buffer holds every sentence it ever carried and grows to
 * megabytes. See VALIDATION62.md.
 */
public final class Val62LeakWeatherBuoys {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BUOYS = 1_300, SHIPS = 24_000, CHART_CAP = 2_000, POOL = 8, LINKS = 8, RING = 16_384, HOURS = 10, SENTENCES = 72_000;
    static boolean FIXED;

    record Buoy(String wmoId, String ocean, double[] sensorCalibration) {}
    record Ship(String callSign, String name, String flag, byte[] equipmentRecord, long recruitedAt) {}
    record Chart(String key, byte[] rendered, long at) {}
    record Observation(String platform, double pressureHpa, double airTempC, double windKn, long at) {}

    /** Pool of the 8 per-connection line buffers. */
    static final class LineBufferPool {
        final StringBuilder[] all = new StringBuilder[POOL];
        final ArrayDeque<StringBuilder> free = new ArrayDeque<>();
        long borrowed, released;
        LineBufferPool() { for (int i = 0; i < POOL; i++) { all[i] = new StringBuilder(256); free.add(all[i]); } }
        StringBuilder borrow() { borrowed++; return free.poll(); }
        void release(StringBuilder sb) {
            released++;
            if (FIXED) { sb.setLength(0); if (sb.capacity() > 4_096) sb.trimToSize(); } // the fix: reset before reuse
            // BUG: not reset either; the next session appends after everything already in the buffer
            free.add(sb);
        }
    }

    /** One satellite uplink; a session holds a line buffer from the pool. */
    static final class Uplink {
        final String name; StringBuilder line; long sessionStart, sessions, sentences;
        Uplink(String name) { this.name = name; }
    }

    static final class ChartCache extends LinkedHashMap<String, Chart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Chart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Buoy> BUOYS_BY_ID = new HashMap<>();

    static final class IngestService {
        final Map<String, Ship> ships = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> gribBuffers = new ArrayDeque<>();
        final Observation[] observations = new Observation[RING];
        long observed;
        final LineBufferPool lineBuffers = new LineBufferPool();
        final Uplink[] uplinks = new Uplink[LINKS];
        void connect(Uplink u, long at) { u.line = lineBuffers.borrow(); u.sessionStart = at; u.sessions++; }
        void disconnect(Uplink u) { lineBuffers.release(u.line); u.line = null; }
        /** Appends the sentence to the link's line buffer and parses it from where it starts. */
        void onSentence(Uplink u, String sentence, long at) {
            StringBuilder sb = u.line;
            if (FIXED) sb.setLength(0); // the fix: a line buffer holds one sentence at a time
            int from = sb.length(); // BUG: never reset between messages; parses from the old length
            sb.append(sentence).append('\n');
            int c1 = sb.indexOf(",", from), c2 = sb.indexOf(",", c1 + 1), c3 = sb.indexOf(",", c2 + 1), c4 = sb.indexOf(",", c3 + 1), c5 = sb.indexOf(",", c4 + 1);
            String platform = sb.substring(c1 + 1, c2);
            double p = Double.parseDouble(sb.substring(c2 + 1, c3)), temp = Double.parseDouble(sb.substring(c3 + 1, c4)), wind = Double.parseDouble(sb.substring(c4 + 1, c5));
            observations[(int) (observed++ % RING)] = new Observation(platform, p, temp, wind, at);
            u.sentences++;
        }
    }

    static IngestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val62.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(62_040_001);
        String[] buoyIds = new String[BUOYS];
        for (int b = 0; b < BUOYS; b++) {
            double[] cal = new double[64];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextDouble() * 2 - 1;
            buoyIds[b] = Integer.toString(41_000 + b * 7);
            BUOYS_BY_ID.put(buoyIds[b], new Buoy(buoyIds[b], b % 3 == 0 ? "Atlantic" : b % 3 == 1 ? "Pacific" : "Indian", cal));
        }
        IngestService svc = new IngestService();
        SERVICE = svc;
        String[] callSigns = new String[SHIPS];
        for (int s = 0; s < SHIPS; s++) {
            callSigns[s] = "V" + (char) ('A' + s % 26) + (10_000 + s);
            svc.ships.put(callSigns[s], new Ship(callSigns[s], "MV Vessel " + s, s % 5 == 0 ? "PA" : s % 5 == 1 ? "LR" : "MH", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.gribBuffers.add(new byte[32_768]);
        Random traffic = new Random(62_040_002);
        long[] sessionEnd = new long[LINKS];
        for (int l = 0; l < LINKS; l++) {
            svc.uplinks[l] = new Uplink("uplink-" + (l + 1));
            svc.connect(svc.uplinks[l], start);
            sessionEnd[l] = start + (30 + traffic.nextInt(61)) * MINUTE;
        }
        for (int i = 0; i < SENTENCES; i++) {
            long t = start + (end - MINUTE - start) * i / SENTENCES;
            for (int l = 0; l < LINKS; l++) {
                if (sessionEnd[l] <= t) { // the satellite pass ends; the link reconnects
                    svc.disconnect(svc.uplinks[l]);
                    svc.connect(svc.uplinks[l], t);
                    sessionEnd[l] = t + (30 + traffic.nextInt(61)) * MINUTE;
                }
            }
            Uplink u = svc.uplinks[traffic.nextInt(LINKS)];
            boolean buoy = traffic.nextInt(3) != 0;
            String platform = buoy ? buoyIds[traffic.nextInt(BUOYS)] : callSigns[traffic.nextInt(SHIPS)];
            StringBuilder s = new StringBuilder(160);
            s.append(buoy ? "$WIMDA," : "$VWOBS,").append(platform).append(',').append(950 + traffic.nextInt(80)).append('.').append(traffic.nextInt(10))
                    .append(',').append(traffic.nextInt(30)).append('.').append(traffic.nextInt(10)).append(',').append(traffic.nextInt(60)).append('.').append(traffic.nextInt(10)).append(",T,");
            int extra = traffic.nextInt(6);
            for (int k = 0; k < 4 + extra; k++) s.append(traffic.nextInt(1_000)).append('.').append(traffic.nextInt(100)).append(k % 2 == 0 ? ",M," : ",N,");
            s.append(t / 1_000).append("*").append(Integer.toHexString(traffic.nextInt(256)));
            svc.onSentence(u, s.toString(), t);
            if (i % 3 == 0) {
                String key = "chart-" + traffic.nextInt(5_000);
                if (svc.charts.get(key) == null) svc.charts.put(key, new Chart(key, new byte[600 + traffic.nextInt(600)], t));
            }
            byte[] buf = svc.gribBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.gribBuffers.add(buf);
        }
        long chars = 0, capacity = 0, sessions = 0;
        StringBuilder caps = new StringBuilder();
        for (StringBuilder sb : svc.lineBuffers.all) { chars += sb.length(); capacity += sb.capacity(); caps.append(' ').append(sb.capacity()); }
        for (Uplink u : svc.uplinks) sessions += u.sessions;
        System.out.println((FIXED ? "FIXED " : "") + "buoys " + BUOYS_BY_ID.size() + " ships " + svc.ships.size() + " sentences " + svc.observed + " sessions " + sessions + " line buffers " + svc.lineBuffers.all.length + " (free " + svc.lineBuffers.free.size() + ", chars " + chars + ", capacity " + capacity + ":" + caps
                + ") charts " + svc.charts.size() + " (evicted " + svc.charts.evicted + ") pool " + svc.gribBuffers.size());
        check(BUOYS_BY_ID.size() == BUOYS && svc.ships.size() == SHIPS, "reference data / directory");
        check(svc.observed == SENTENCES && svc.observations[RING - 1] != null, "observation ring");
        check(svc.lineBuffers.free.isEmpty() && svc.lineBuffers.borrowed == sessions && svc.lineBuffers.released == sessions - LINKS, "line buffer pool: all 8 in use");
        if (FIXED) check(capacity < POOL * 4_096L, "line buffers reset: " + capacity);
        else check(chars > 6_000_000L && capacity >= chars, "line buffers keep every sentence: " + chars);
        check(svc.charts.size() == CHART_CAP && svc.charts.evicted > 0, "chart cache at cap");
        check(svc.gribBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
