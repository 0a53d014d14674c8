// hprofscan-dump: name=val62-healthy-flightschools jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val62-healthy-flightschools-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 62 (written blind), HEALTHY: the operations service of a group of flight
 * schools. Airfield reference data, the pilot directory, a cache of rendered weather briefings at
 * its cap, a ring of ADS-B positions, a pool of 8 line buffers for the ADS-B feed connections
 * (reset on release), the read buffers of the aircraft data-link channels keyed by channel
 * (released on close), and one logger per aircraft of the fixed fleet of 120 in the logging
 * framework's static registry (named by the aircraft's registration, a natural id that never
 * grows). See VALIDATION62.md.
 */
public final class Val62HealthyFlightSchools {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int AIRFIELDS = 1_200, PILOTS = 26_000, BRIEFING_CAP = 2_000, RING = 16_384, POOL = 8, FLEET = 120, READ_BUFFER = 16_384, HOURS = 10, MESSAGES = 60_000;

    record Airfield(String icao, String name, double[] runwayWindStats) {}
    record Pilot(String licence, String name, String rating, byte[] medicalAndLogbook, long licensedAt) {}
    record Briefing(String key, byte[] rendered, long at) {}
    record Position(String registration, double lat, double lon, int altitudeFt, long at) {}

    static final class Channel {
        final long id; final String registration; final long openedAt; boolean closed; long closedAt, bytesRead;
        Channel(long id, String registration, long openedAt) { this.id = id; this.registration = registration; this.openedAt = openedAt; }
    }

    static final class ReadBufferRegistry {
        final Map<Channel, ByteBuffer> buffers = new HashMap<>();
        ByteBuffer bufferFor(Channel ch) { return buffers.computeIfAbsent(ch, c -> ByteBuffer.allocate(READ_BUFFER)); }
        void release(Channel ch) { buffers.remove(ch); }
    }

    static final class Formatter { final StringBuilder buffer = new StringBuilder(512); }
    static final class Handler { final String target; final Formatter formatter = new Formatter(); long written; Handler(String target) { this.target = target; } }
    static final class Logger {
        final String name; final Handler handler; long records; String last;
        Logger(String name) { this.name = name; this.handler = new Handler("archive://aircraft/" + name); }
        void info(String msg, long at) {
            records++;
            StringBuilder b = handler.formatter.buffer;
            b.setLength(0);
            b.append(at).append(' ').append(name).append(" - ").append(msg);
            last = b.toString();
            handler.written++;
        }
    }
    static final class LoggerRegistry {
        static final Map<String, Logger> LOGGERS = new ConcurrentHashMap<>();
        static Logger getLogger(String name) { return LOGGERS.computeIfAbsent(name, Logger::new); }
    }

    static final class LineBufferPool {
        final StringBuilder[] all = new StringBuilder[POOL];
        final ArrayDeque<StringBuilder> free = new ArrayDeque<>();
        LineBufferPool() { for (int i = 0; i < POOL; i++) { all[i] = new StringBuilder(256); free.add(all[i]); } }
        StringBuilder borrow() { return free.poll(); }
        void release(StringBuilder sb) { sb.setLength(0); free.add(sb); }
    }

    static final class BriefingCache extends LinkedHashMap<String, Briefing> {
        long evicted;
        BriefingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Briefing> e) { if (size() > BRIEFING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Airfield> AIRFIELDS_BY_ICAO = new HashMap<>();

    static final class OpsService {
        final Map<String, Pilot> pilots = new HashMap<>();
        final BriefingCache briefings = new BriefingCache();
        final Position[] positions = new Position[RING];
        long positionsWritten;
        final LineBufferPool feedLines = new LineBufferPool();
        final ReadBufferRegistry dataLinks = new ReadBufferRegistry();
        final Map<String, Channel> openByAircraft = new HashMap<>();
        long opened, closed;
        Channel open(String reg, long at) { Channel ch = new Channel(++opened, reg, at); openByAircraft.put(reg, ch); dataLinks.bufferFor(ch); return ch; }
        void close(Channel ch, long at) { ch.closed = true; ch.closedAt = at; openByAircraft.remove(ch.registration); dataLinks.release(ch); closed++; }
    }

    static OpsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(62_060_001);
        String[] icaos = new String[AIRFIELDS];
        for (int a = 0; a < AIRFIELDS; a++) {
            double[] wind = new double[96];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 30;
            icaos[a] = "" + (char) ('E' + a % 6) + (char) ('A' + (a / 6) % 26) + (char) ('A' + (a / 156) % 26) + (char) ('A' + a % 26);
            icaos[a] = icaos[a] + a;
            AIRFIELDS_BY_ICAO.put(icaos[a], new Airfield(icaos[a], "Airfield " + a, wind));
        }
        OpsService svc = new OpsService();
        SERVICE = svc;
        String[] ratings = {"PPL", "CPL", "ATPL", "IR", "FI", "NIGHT"};
        for (int p = 0; p < PILOTS; p++) {
            String lic = "FCL-" + (1_000_000 + p * 11);
            svc.pilots.put(lic, new Pilot(lic, "Pilot " + p, ratings[p % ratings.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        String[] fleet = new String[FLEET];
        for (int f = 0; f < FLEET; f++) { fleet[f] = "G-F" + (char) ('A' + f / 26 % 26) + (char) ('A' + f % 26) + f; LoggerRegistry.getLogger("aircraft." + fleet[f]); }
        for (String c : new String[] {"ops", "briefing", "adsb", "datalink", "http"}) LoggerRegistry.getLogger("flight." + c);
        Random traffic = new Random(62_060_002);
        // a fleet aircraft holds a data-link channel while flying: sorties of 40-120 minutes, then 20-60 minutes on the ground
        Channel[] current = new Channel[FLEET];
        long[] nextChange = new long[FLEET];
        for (int f = 0; f < FLEET; f++) nextChange[f] = start + traffic.nextInt(60) * MINUTE;
        for (int i = 0; i < MESSAGES; i++) {
            long t = start + (end - MINUTE - start) * i / MESSAGES;
            for (int f = 0; f < FLEET; f++) {
                if (nextChange[f] <= t) {
                    if (current[f] == null) { current[f] = svc.open(fleet[f], t); nextChange[f] = t + (40 + traffic.nextInt(81)) * MINUTE; LoggerRegistry.getLogger("aircraft." + fleet[f]).info("TAKEOFF", t); }
                    else { svc.close(current[f], nextChange[f]); current[f] = null; nextChange[f] = t + (20 + traffic.nextInt(41)) * MINUTE; LoggerRegistry.getLogger("aircraft." + fleet[f]).info("LANDED", t); }
                }
            }
            int f = traffic.nextInt(FLEET);
            StringBuilder line = svc.feedLines.borrow();
            line.append("MSG,3,1,1,").append(fleet[f]).append(',').append(t).append(',').append(traffic.nextInt(12_000)).append(',').append(50 + traffic.nextDouble()).append(',').append(-1 + traffic.nextDouble());
            int c1 = line.indexOf(",", 10), c2 = line.indexOf(",", c1 + 1);
            svc.positions[(int) (svc.positionsWritten++ % RING)] = new Position(fleet[f], 50 + traffic.nextDouble(), traffic.nextDouble() - 1, Integer.parseInt(line.substring(c2 + 1, line.indexOf(",", c2 + 1))), t);
            svc.feedLines.release(line);
            if (current[f] != null) { ByteBuffer rb = svc.dataLinks.bufferFor(current[f]); rb.put(i % READ_BUFFER, (byte) i); current[f].bytesRead += 64 + traffic.nextInt(512); }
            String key = "brief-" + icaos[traffic.nextInt(AIRFIELDS)] + "-" + traffic.nextInt(4);
            if (svc.briefings.get(key) == null) svc.briefings.put(key, new Briefing(key, new byte[600 + traffic.nextInt(600)], t));
        }
        int flying = 0;
        for (Channel c : current) if (c != null) flying++;
        long lineCap = 0;
        for (StringBuilder sb : svc.feedLines.all) lineCap += sb.capacity();
        System.out.println("airfields " + AIRFIELDS_BY_ICAO.size() + " pilots " + svc.pilots.size() + " briefings " + svc.briefings.size() + " (evicted " + svc.briefings.evicted + ") positions " + svc.positionsWritten + " channels opened " + svc.opened + " closed " + svc.closed
                + " flying " + flying + " read buffers " + svc.dataLinks.buffers.size() + " loggers " + LoggerRegistry.LOGGERS.size() + " line buffers free " + svc.feedLines.free.size() + " (capacity " + lineCap + ")");
        check(AIRFIELDS_BY_ICAO.size() == AIRFIELDS && svc.pilots.size() == PILOTS, "reference data / directory");
        check(svc.briefings.size() == BRIEFING_CAP && svc.briefings.evicted > 0, "briefing cache at cap");
        check(svc.positionsWritten == MESSAGES && svc.positions[RING - 1] != null, "position ring");
        check(svc.dataLinks.buffers.size() == flying && svc.openByAircraft.size() == flying && svc.opened == svc.closed + flying, "read buffers of open channels");
        check(LoggerRegistry.LOGGERS.size() == FLEET + 5, "loggers: fleet + components");
        check(svc.feedLines.free.size() == POOL && lineCap < POOL * 1_024L, "line buffers reset");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
