// hprofscan-dump: name=val130-leak-mineventilation-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val130-leak-mineventilation-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val130-leak-mineventilation jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val130-leak-mineventilation-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 130 (written blind), LEAK, a growth series (2 / 4 / 8 h): the ventilation-on-demand
 * service of an underground mine. It polls its gas, airflow and temperature sensors through the
 * underground Modbus-TCP gateways (leaky-feeder and fibre links). Airway reference data, the sensor
 * directory, the gateway directory, a cache of rendered trend charts at its cap, a pool of Modbus
 * frame buffers, a ring of readings and a queue of gas alarms with a normal backlog.
 *
 * <p>The leak: every poll opens a {@code GatewayConnection} and registers it in the service-wide
 * {@code GatewayConnections.active} set ({@code ConcurrentHashMap.newKeySet()}); {@code release} is
 * called after the reading is stored, on the success path only. A poll that fails (the link times
 * out, or the gateway answers with a Modbus exception; about 1 in 8) marks its connection FAILED and
 * throws, and the connection stays in the set with its read buffer and its error. The polls in
 * flight (awaiting a reply at the dump) are in the same set. The fix releases in a {@code finally}.
 * See VALIDATION130.md.
 */
public final class Val130LeakMineVentilation {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int AIRWAYS = 1_000, SENSORS = 18_000, GATEWAYS = 240, TREND_CAP = 2_000, POOL = 8, RING = 8_192, POLLS_PER_HOUR = 6_000, IN_FLIGHT = 5;
    static final String[] KINDS = {"CH4", "CO", "NO2", "O2", "airflow", "temperature", "diff-pressure"};
    static boolean FIXED;

    record Airway(String code, int level, String name, double[] airflowByQuarterHour) {}
    record Sensor(String tag, String kind, String airwayCode, String gatewayId, byte[] calibration, long installedAt) {}
    record Gateway(String gatewayId, String endpoint, int level, String link) {}
    record TrendChart(String key, byte[] rendered, long at) {}
    record Reading(long seq, String tag, double value, long at) {}
    record GasAlarm(long alarmId, String tag, String message, long raisedAt) {}
    record PendingPoll(int transactionId, GatewayConnection connection, String tag, long sentAt) {}

    static final class TrendCache extends LinkedHashMap<String, TrendChart> {
        long evicted;
        TrendCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrendChart> e) { if (size() > TREND_CAP) { evicted++; return true; } return false; }
    }

    static final class GatewayException extends Exception {
        GatewayException(String m) { super(m, null, false, false); }
    }

    /** A Modbus-TCP connection to an underground gateway, with the buffer the reply is read into. */
    static final class GatewayConnection {
        final long id; final Gateway gateway; final long openedAt; final int transactionId; byte[] readBuffer; volatile String state = "OPEN"; String lastError;
        GatewayConnection(long id, Gateway gateway, long openedAt, int transactionId, byte[] readBuffer) { this.id = id; this.gateway = gateway; this.openedAt = openedAt; this.transactionId = transactionId; this.readBuffer = readBuffer; }
        void markFailed(String error) { state = "FAILED"; lastError = error; }
        void close() { if (!"FAILED".equals(state)) state = "CLOSED"; }
    }

    /** Service-wide registry of open gateway connections (used by the health page and for shutdown). */
    static final class GatewayConnections {
        final Set<GatewayConnection> active = ConcurrentHashMap.newKeySet();
        long opened, released;
        GatewayConnection open(Gateway g, int bufferBytes, long t) {
            GatewayConnection c = new GatewayConnection(5_200_000L + opened, g, t, (int) (opened % 65_536), new byte[bufferBytes]);
            opened++;
            active.add(c);
            return c;
        }
        void release(GatewayConnection c) {
            c.close();
            active.remove(c);
            released++;
        }
    }

    static final Map<String, Airway> AIRWAYS_BY_CODE = new HashMap<>();

    static final class VentilationService {
        final Map<String, Sensor> sensors = new HashMap<>();
        final String[] tags = new String[SENSORS];
        final Map<String, Gateway> gateways = new HashMap<>();
        final TrendCache trends = new TrendCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<GasAlarm> alarms = new ArrayDeque<>();
        final GatewayConnections connections = new GatewayConnections();
        final Map<Integer, PendingPoll> pendingReplies = new ConcurrentHashMap<>();
        long polls, readingCount, timeouts, modbusErrors, trendViews, alarmsRaised, alarmsAcknowledged;

        /** One poll: read the sensor's registers through its gateway. */
        Reading read(Sensor s, Random r, long t) throws GatewayException {
            Gateway g = gateways.get(s.gatewayId());
            GatewayConnection c = connections.open(g, 1_024 + r.nextInt(2_048), t);
            if (FIXED) {
                try { return exchange(c, s, r, t); } finally { connections.release(c); }
            }
            Reading reading = exchange(c, s, r, t);
            connections.release(c); // BUG: not reached when exchange throws
            return reading;
        }

        private Reading exchange(GatewayConnection c, Sensor s, Random r, long t) throws GatewayException {
            int roll = r.nextInt(16);
            c.readBuffer[0] = (byte) roll;
            if (roll == 0) {
                c.markFailed("read timed out after 5000 ms waiting for " + c.gateway.endpoint() + " (" + c.gateway.link() + ") unit " + s.tag());
                throw new GatewayException(c.lastError);
            }
            if (roll == 1) {
                c.markFailed("Modbus exception 0x0B (gateway target device failed to respond) from " + c.gateway.gatewayId() + " tx " + c.transactionId);
                throw new GatewayException(c.lastError);
            }
            byte[] frame = frameBuffers.poll();
            frame[c.transactionId % frame.length] = (byte) c.readBuffer.length;
            frameBuffers.add(frame);
            double value = s.kind().equals("CH4") ? r.nextDouble() * 1.3 : s.kind().equals("CO") ? r.nextDouble() * 30 : 5 + r.nextDouble() * 20;
            return new Reading(readingCount++, s.tag(), value, t);
        }

        void poll(Random r, long t) {
            Sensor s = sensors.get(tags[r.nextInt(SENSORS)]);
            polls++;
            try {
                Reading reading = read(s, r, t);
                readings[(int) (reading.seq() % RING)] = reading;
                if (s.kind().equals("CH4") && reading.value() > 1.25) {
                    alarms.addLast(new GasAlarm(880_000L + alarmsRaised++, s.tag(), "CH4 " + Math.round(reading.value() * 100) / 100.0 + " % in airway " + s.airwayCode(), t));
                }
            } catch (GatewayException e) {
                if (e.getMessage().startsWith("read timed out")) timeouts++; else modbusErrors++;
            }
            while (!alarms.isEmpty() && alarms.peekFirst().raisedAt() <= t - 15 * MINUTE) { alarms.removeFirst(); alarmsAcknowledged++; }
        }

        void viewTrend(Random r, long t) {
            trendViews++;
            String key = "trend-" + tags[r.nextInt(6_000)] + "-24h";
            if (trends.get(key) == null) trends.put(key, new TrendChart(key, new byte[400 + r.nextInt(400)], t));
        }
    }

    static VentilationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(130_010_001);
        String[] airwayCodes = new String[AIRWAYS];
        for (int a = 0; a < AIRWAYS; a++) {
            double[] flow = new double[96];
            for (int k = 0; k < flow.length; k++) flow[k] = 20 + rnd.nextDouble() * 80;
            int level = 1 + a % 12;
            airwayCodes[a] = "AW-L" + level + "-" + (100 + a);
            AIRWAYS_BY_CODE.put(airwayCodes[a], new Airway(airwayCodes[a], level, "Level " + level + " drift " + (a / 12), flow));
        }
        VentilationService svc = new VentilationService();
        SERVICE = svc;
        String[] gatewayIds = new String[GATEWAYS];
        for (int g = 0; g < GATEWAYS; g++) {
            int level = 1 + g % 12;
            gatewayIds[g] = "GW-L" + level + "-" + (g / 12);
            svc.gateways.put(gatewayIds[g], new Gateway(gatewayIds[g], "10.40." + level + "." + (10 + g / 12) + ":502", level, g % 3 == 0 ? "leaky feeder" : "fibre"));
        }
        for (int i = 0; i < SENSORS; i++) {
            svc.tags[i] = "VS-" + (300_000 + i * 3);
            svc.sensors.put(svc.tags[i], new Sensor(svc.tags[i], KINDS[rnd.nextInt(KINDS.length)], airwayCodes[rnd.nextInt(AIRWAYS)], gatewayIds[i % GATEWAYS], new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(130_010_002);
        int polls = POLLS_PER_HOUR * hours;
        for (int i = 0; i < polls; i++) {
            long t = start + (end - 2 * MINUTE - start) * i / polls;
            svc.poll(traffic, t);
            if (i % 4 == 0) svc.viewTrend(traffic, t);
        }
        // polls in flight at the dump: sent, reply not yet read
        Random last = new Random(130_010_003);
        for (int p = 0; p < IN_FLIGHT; p++) {
            Sensor s = svc.sensors.get(svc.tags[last.nextInt(SENSORS)]);
            GatewayConnection c = svc.connections.open(svc.gateways.get(s.gatewayId()), 1_024 + last.nextInt(2_048), end - MINUTE + p * 1_000L);
            svc.pendingReplies.put(c.transactionId, new PendingPoll(c.transactionId, c, s.tag(), c.openedAt));
        }
    }

    static final long[] TIMEOUTS = {734, 1_512, 2_996}, MODBUS = {736, 1_499, 3_004}, ALARMS = {61, 115, 243}, BACKLOG = {12, 7, 13}, TREND_EVICTED = {350, 2_336, 6_361};

    static void report(int stage, int hours) {
        VentilationService svc = SERVICE;
        int k = stage - 1;
        long polls = (long) POLLS_PER_HOUR * hours, failed = svc.timeouts + svc.modbusErrors;
        long failedInSet = svc.connections.active.stream().filter(c -> "FAILED".equals(c.state)).count();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " airways " + AIRWAYS_BY_CODE.size() + " sensors " + svc.sensors.size() + " gateways " + svc.gateways.size() + " polls " + svc.polls + " readings " + svc.readingCount
                + " failed " + failed + " (timeouts " + svc.timeouts + ", modbus " + svc.modbusErrors + ") connections opened " + svc.connections.opened + " released " + svc.connections.released + " active " + svc.connections.active.size()
                + " (failed " + failedInSet + ", in flight " + svc.pendingReplies.size() + ") trends " + svc.trends.size() + " (views " + svc.trendViews + ", evicted " + svc.trends.evicted + ") alarms " + svc.alarmsRaised + " acknowledged " + svc.alarmsAcknowledged
                + " backlog " + svc.alarms.size() + " pool " + svc.frameBuffers.size());
        check(AIRWAYS_BY_CODE.size() == AIRWAYS && svc.sensors.size() == SENSORS && svc.gateways.size() == GATEWAYS, "reference data / directories");
        check(svc.polls == polls && svc.timeouts == TIMEOUTS[k] && svc.modbusErrors == MODBUS[k] && svc.readingCount == polls - failed, "polls");
        check(svc.connections.opened == polls + IN_FLIGHT && svc.pendingReplies.size() == IN_FLIGHT, "connections");
        if (FIXED) check(svc.connections.active.size() == IN_FLIGHT && failedInSet == 0 && svc.connections.released == polls, "only in flight");
        else check(svc.connections.active.size() == failed + IN_FLIGHT && failedInSet == failed && svc.connections.released == polls - failed, "failed connections kept: " + svc.connections.active.size());
        check(svc.trends.size() == TREND_CAP && svc.trends.evicted == TREND_EVICTED[k], "trend cache at cap");
        check(svc.alarmsRaised == ALARMS[k] && svc.alarms.size() == BACKLOG[k], "alarms");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.readings[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val130.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
