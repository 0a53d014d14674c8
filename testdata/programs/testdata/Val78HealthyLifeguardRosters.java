// hprofscan-dump: name=val78-healthy-lifeguardrosters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val78-healthy-lifeguardrosters-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Validation set 78 (written blind), HEALTHY: the rostering and tower-radio service of a coastal
 * lifeguard organisation. Beach reference data, the lifeguard directory, a cache of rendered surf
 * forecasts at its cap, a ring of radio calls, a pool of radio-codec buffers, ONE shared JsonMapper
 * (registered once in the metrics list; its serializer cache has one serializer per DTO type), and
 * ONE shared daemon java.util.Timer for the heartbeats of the tower consoles: each connection
 * schedules a heartbeat task that is cancelled (and purged) when it closes, and the open connections
 * are in a map. See VALIDATION78.md.
 *
 * Besides main this program starts one thread: the shared Timer's (its heartbeat period is 30 s of
 * real time, so no task fires before the dump).
 */
public final class Val78HealthyLifeguardRosters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BEACHES = 1_200, GUARDS = 27_000, FORECAST_CAP = 2_000, POOL = 10, RING = 16_384, CALLS_PER_HOUR = 6_000, HOURS = 10;
    static final int TOWERS = 45, CONSOLE_SESSIONS_PER_HOUR = 60;

    record Beach(String code, String coast, double[] riskModel) {}
    record Lifeguard(String badge, String beachCode, String grade, byte[] certifications, long qualifiedAt) {}
    record Forecast(String key, byte[] rendered, long at) {}
    record RadioCall(String badge, String beachCode, String code, long at) {}
    record ShiftDto(String badge, String beachCode, long startsAt, long endsAt) {}
    record BeachDto(String code, String coast) {}
    record FlagDto(String beachCode, String colour) {}
    record WeatherDto(int windKnots, int swellCm) {}
    record TideDto(long highAt, long lowAt) {}
    record IncidentDto(String beachCode, String kind) {}
    record PageDto(int page, int size) {}
    record ErrorDto(int code, String message) {}

    static final class PropertyWriter {
        final String name;
        final byte[] quotedName;
        PropertyWriter(String name) { this.name = name; this.quotedName = ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8); }
    }

    static final class BeanSerializer {
        final Class<?> type;
        final PropertyWriter[] writers;
        BeanSerializer(Class<?> type) {
            this.type = type;
            var comps = type.getRecordComponents();
            writers = new PropertyWriter[comps.length];
            for (int k = 0; k < comps.length; k++) writers[k] = new PropertyWriter(comps[k].getName());
        }
    }

    static final class MapperRegistration {
        final JsonMapper mapper;
        final Map<Class<?>, BeanSerializer> serializerCache;
        MapperRegistration(JsonMapper m, Map<Class<?>, BeanSerializer> c) { mapper = m; serializerCache = c; }
    }

    static final class MapperMetrics {
        static final List<MapperRegistration> REGISTERED = new ArrayList<>();
    }

    static final class JsonMapper {
        final Map<Class<?>, BeanSerializer> serializerCache = new HashMap<>();
        final byte[] writeBuffer = new byte[1_024];
        long hits, misses, written;
        JsonMapper() { MapperMetrics.REGISTERED.add(new MapperRegistration(this, serializerCache)); }
        int write(Record value) {
            BeanSerializer s = serializerCache.get(value.getClass());
            if (s == null) { s = new BeanSerializer(value.getClass()); serializerCache.put(value.getClass(), s); misses++; } else hits++;
            int n = 2;
            for (PropertyWriter w : s.writers) { n += w.quotedName.length + 8; writeBuffer[(int) (written++ % writeBuffer.length)] = 1; }
            return n;
        }
    }

    static final class Heartbeat extends TimerTask {
        final String connectionId;
        Heartbeat(String connectionId) { this.connectionId = connectionId; }
        @Override public void run() { }
    }

    static final class TowerConnection {
        final String id, beachCode;
        final long openedAt;
        final Heartbeat heartbeat;
        final byte[] rxBuffer = new byte[4_096];
        TowerConnection(String id, String beachCode, long openedAt) { this.id = id; this.beachCode = beachCode; this.openedAt = openedAt; this.heartbeat = new Heartbeat(id); }
    }

    static final class ForecastCache extends LinkedHashMap<String, Forecast> {
        long evicted;
        ForecastCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Forecast> e) { if (size() > FORECAST_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Beach> BEACHES_BY_CODE = new HashMap<>();

    static final class RosterService {
        final Map<String, Lifeguard> guards = new HashMap<>();
        final ForecastCache forecasts = new ForecastCache();
        final RadioCall[] radioLog = new RadioCall[RING];
        long calls;
        final ArrayDeque<byte[]> codecBuffers = new ArrayDeque<>();
        final JsonMapper mapper = new JsonMapper();
        final Timer heartbeatTimer = new Timer("tower-heartbeats", true);
        final Map<String, TowerConnection> connections = new HashMap<>();
        long opened, closed;

        TowerConnection open(String id, String beach, long at) {
            TowerConnection c = new TowerConnection(id, beach, at);
            heartbeatTimer.schedule(c.heartbeat, 30_000L, 30_000L);
            connections.put(id, c);
            opened++;
            return c;
        }

        void close(TowerConnection c) {
            c.heartbeat.cancel();
            heartbeatTimer.purge();
            connections.remove(c.id);
            closed++;
        }
    }

    static RosterService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(78_060_001);
        String[] beachCodes = new String[BEACHES];
        for (int b = 0; b < BEACHES; b++) {
            double[] risk = new double[72];
            for (int k = 0; k < risk.length; k++) risk[k] = rnd.nextDouble();
            String code = "BE-" + (6_000 + b);
            beachCodes[b] = code;
            BEACHES_BY_CODE.put(code, new Beach(code, "Coast " + (b % 30), risk));
        }
        RosterService svc = new RosterService();
        SERVICE = svc;
        String[] grades = {"Pool", "Beach", "Senior", "Supervisor", "Jet-ski"};
        String[] badges = new String[GUARDS];
        for (int g = 0; g < GUARDS; g++) {
            String badge = "LG" + (810_000 + g);
            badges[g] = badge;
            svc.guards.put(badge, new Lifeguard(badge, beachCodes[rnd.nextInt(BEACHES)], grades[g % grades.length], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.codecBuffers.add(new byte[32_768]);
        for (int t = 0; t < TOWERS; t++) svc.open("tower-" + (100 + t), beachCodes[rnd.nextInt(BEACHES)], start);
        Random traffic = new Random(78_060_002);
        int sessions = CONSOLE_SESSIONS_PER_HOUR * HOURS;
        long[] sessionStart = new long[sessions], sessionEnd = new long[sessions];
        for (int s = 0; s < sessions; s++) {
            sessionStart[s] = start + (end - MINUTE - start) * s / sessions;
            sessionEnd[s] = sessionStart[s] + (2 + traffic.nextInt(29)) * MINUTE;
        }
        TowerConnection[] consoles = new TowerConnection[sessions];
        int nextOpen = 0, calls = CALLS_PER_HOUR * HOURS, jsonRequests = 0;
        String[] codes = {"ALL_CLEAR", "RIP_CURRENT", "FIRST_AID", "LOST_CHILD", "SWIMMER_IN_DIFFICULTY", "FLAG_CHANGE"};
        String[] colours = {"red", "yellow", "red-yellow", "black-white"};
        long jsonBytes = 0;
        for (int i = 0; i < calls; i++) {
            long t = start + (end - MINUTE - start) * i / calls;
            while (nextOpen < sessions && sessionStart[nextOpen] <= t) { consoles[nextOpen] = svc.open("console-" + (20_000 + nextOpen), beachCodes[traffic.nextInt(BEACHES)], t); nextOpen++; }
            for (int s = Math.max(0, nextOpen - 40); s < nextOpen; s++) if (consoles[s] != null && sessionEnd[s] <= t) { svc.close(consoles[s]); consoles[s] = null; }
            String badge = badges[traffic.nextInt(GUARDS)];
            Lifeguard g = svc.guards.get(badge);
            svc.radioLog[(int) (svc.calls++ % RING)] = new RadioCall(badge, g.beachCode(), codes[traffic.nextInt(codes.length)], t);
            if (i % 4 == 0) { // roster API (JSON, the shared mapper)
                jsonRequests++;
                jsonBytes += svc.mapper.write(new ShiftDto(badge, g.beachCode(), t + HOUR, t + 9 * HOUR));
                jsonBytes += svc.mapper.write(new BeachDto(g.beachCode(), BEACHES_BY_CODE.get(g.beachCode()).coast()));
                jsonBytes += svc.mapper.write(new FlagDto(g.beachCode(), colours[traffic.nextInt(colours.length)]));
                jsonBytes += svc.mapper.write(new PageDto(1, 20));
                if (traffic.nextInt(3) == 0) jsonBytes += svc.mapper.write(new WeatherDto(traffic.nextInt(40), traffic.nextInt(300)));
                if (traffic.nextInt(4) == 0) jsonBytes += svc.mapper.write(new TideDto(t + 3 * HOUR, t + 9 * HOUR));
                if (traffic.nextInt(5) == 0) jsonBytes += svc.mapper.write(new IncidentDto(g.beachCode(), codes[traffic.nextInt(codes.length)]));
                if (traffic.nextInt(40) == 0) jsonBytes += svc.mapper.write(new ErrorDto(404, "shift not found"));
            } else {
                String key = g.beachCode() + "/" + traffic.nextInt(3);
                if (svc.forecasts.get(key) == null) svc.forecasts.put(key, new Forecast(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.codecBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.codecBuffers.add(buf);
            }
        }
        for (int s = 0; s < sessions; s++) if (consoles[s] != null && sessionEnd[s] <= end) { svc.close(consoles[s]); consoles[s] = null; }
        consoles = null;
        int open = svc.connections.size();
        long serializers = 0;
        for (MapperRegistration r : MapperMetrics.REGISTERED) serializers += r.serializerCache.size();
        System.out.println("beaches " + BEACHES_BY_CODE.size() + " guards " + svc.guards.size() + " connections opened " + svc.opened + " closed " + svc.closed + " open " + open
                + " mappers " + MapperMetrics.REGISTERED.size() + " serializers " + serializers + " json requests " + jsonRequests + " (" + jsonBytes + " bytes) forecasts " + svc.forecasts.size()
                + " (evicted " + svc.forecasts.evicted + ") pool " + svc.codecBuffers.size() + " calls " + svc.calls);
        check(BEACHES_BY_CODE.size() == BEACHES && svc.guards.size() == GUARDS, "reference data / directory");
        check(svc.opened == TOWERS + sessions && svc.opened == svc.closed + open && open > TOWERS && open < TOWERS + 40, "connections: open " + open);
        check(MapperMetrics.REGISTERED.size() == 1 && serializers == 8 && svc.mapper.misses == 8, "one shared mapper");
        check(svc.forecasts.size() == FORECAST_CAP && svc.forecasts.evicted > 0, "forecast cache at cap");
        check(svc.codecBuffers.size() == POOL, "pool");
        check(svc.calls == calls && svc.radioLog[RING - 1] != null, "ring");
        int timerThreads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("tower-heartbeats")) timerThreads++;
        check(timerThreads == 1, "one timer thread");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
