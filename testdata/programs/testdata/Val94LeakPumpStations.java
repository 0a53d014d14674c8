// hprofscan-dump: name=val94-leak-pumpstations jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val94-leak-pumpstations-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 94 (written blind), LEAK: the telemetry front end of a water company's SCADA
 * system. District-metered-area reference data, the asset directory, a cache of rendered trend
 * charts at its cap, a pool of frame buffers, a ring of recent readings, and 48 long-lived
 * Modbus/TCP connections to the remote terminal units of the pump stations (a fixed set, opened at
 * startup). Each connection keeps a debug trace (a StringBuilder) to which every poll request and
 * every response or alarm appends one line "for the error log"; the trace is written out only
 * when an exchange fails and is never reset or truncated, so every connection's trace holds every
 * line since the connection was opened. See VALIDATION94.md.
 */
public final class Val94LeakPumpStations {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, POLL_EVERY = MINUTE;
    static final int DMAS = 1_300, ASSETS = 25_000, STATIONS = 48, CHART_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, RX_BUFFER = 4_096;
    static boolean FIXED;

    record Dma(String code, String name, double[] demandProfile) {}
    record Asset(String assetId, String stationId, String kind, byte[] maintenanceRecord, long commissionedAt) {}
    record TrendChart(String key, byte[] rendered, long at) {}
    record Reading(String stationId, int register, int value, long at) {}

    /** A long-lived Modbus/TCP connection to one pump station's RTU. */
    static final class RtuConnection {
        final String stationId, remoteAddress;
        final int unitId;
        final long connectedAt;
        final byte[] rxBuffer = new byte[RX_BUFFER];
        final StringBuilder trace = new StringBuilder();
        long exchanges, alarms, lines;
        int nextTransaction;
        RtuConnection(String stationId, String remoteAddress, int unitId, long connectedAt) { this.stationId = stationId; this.remoteAddress = remoteAddress; this.unitId = unitId; this.connectedAt = connectedAt; }

        void traceLine(long at, String dir, int tx, String body) {
            trace.append(Instant.ofEpochMilli(at)).append(' ').append(dir).append(" unit=").append(unitId).append(" tx=").append(tx).append(' ').append(body).append('\n');
            lines++;
        }

        /** One poll: request holding registers, read the response (and an alarm if one is raised). */
        void poll(long at, Random r, ScadaFrontEnd fe) {
            if (FIXED) trace.setLength(0); // the fix: the trace only documents the current exchange
            int tx = nextTransaction++ & 0xFFFF;
            int startReg = 40_001 + 10 * r.nextInt(8);
            int count = 3 + r.nextInt(6);
            traceLine(at, "TX", tx, "fc=03 start=" + startReg + " count=" + count);
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < count; k++) {
                int v = r.nextInt(65_536);
                rxBuffer[k] = (byte) v;
                if (k > 0) values.append(',');
                values.append(v);
                fe.readings[(int) (fe.readingsWritten++ % RING)] = new Reading(stationId, startReg + k, v, at + 40);
            }
            traceLine(at + 40, "RX", tx, "fc=03 bytes=" + (2 * count) + " values=" + values);
            if (r.nextInt(20) == 0) {
                traceLine(at + 45, "ALARM", tx, "code=" + (100 + r.nextInt(40)) + " text=" + (r.nextBoolean() ? "HIGH_DISCHARGE_PRESSURE" : "PUMP_TRIP_RESET"));
                alarms++;
            }
            exchanges++;
        }
    }

    static final class ChartCache extends LinkedHashMap<String, TrendChart> {
        long evicted;
        ChartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrendChart> e) { if (size() > CHART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Dma> DMAS_BY_CODE = new HashMap<>();

    static final class ScadaFrontEnd {
        final Map<String, Asset> assets = new HashMap<>();
        final ChartCache charts = new ChartCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingsWritten;
        final RtuConnection[] connections = new RtuConnection[STATIONS];
    }

    static ScadaFrontEnd SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val94.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(94_040_001);
        String[] dmaCodes = new String[DMAS];
        for (int d = 0; d < DMAS; d++) {
            double[] profile = new double[96];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 40;
            dmaCodes[d] = "DMA-" + (d / 100) + "-" + (d % 100);
            DMAS_BY_CODE.put(dmaCodes[d], new Dma(dmaCodes[d], "Zone " + d, profile));
        }
        ScadaFrontEnd fe = new ScadaFrontEnd();
        SERVICE = fe;
        String[] stationIds = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            stationIds[s] = "PS" + (100 + s);
            fe.connections[s] = new RtuConnection(stationIds[s], "10.40." + (s / 16) + "." + (20 + s % 16) + ":502", 1 + s % 247, start - (long) (s + 1) * 11 * 1_000);
        }
        String[] kinds = {"Pump", "Valve", "Flow meter", "Pressure sensor", "Level sensor", "Chlorinator", "Motor starter"};
        String[] assetIds = new String[ASSETS];
        for (int a = 0; a < ASSETS; a++) {
            assetIds[a] = "AS" + (5_000_000 + a);
            fe.assets.put(assetIds[a], new Asset(assetIds[a], stationIds[rnd.nextInt(STATIONS)], kinds[a % kinds.length], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) fe.frameBuffers.add(new byte[32_768]);
        Random wire = new Random(94_040_002);
        Random users = new Random(94_040_003);
        int rounds = (int) (HOURS * HOUR / POLL_EVERY);
        long chartRequests = 0;
        for (int round = 0; round < rounds; round++) {
            long roundAt = start + round * POLL_EVERY;
            for (int s = 0; s < STATIONS; s++) {
                long at = roundAt + s * 1_000L; // stations polled one second apart
                byte[] buf = fe.frameBuffers.poll();
                buf[(round * STATIONS + s) % buf.length] = (byte) s;
                fe.connections[s].poll(at, wire, fe);
                fe.frameBuffers.add(buf);
            }
            for (int k = 0; k < 10; k++) { // operators open trend charts
                String key = stationIds[users.nextInt(STATIONS)] + "/" + assetIds[users.nextInt(ASSETS)].substring(0, 6) + "/" + (users.nextInt(3) == 0 ? "24h" : "7d");
                chartRequests++;
                if (fe.charts.get(key) == null) fe.charts.put(key, new TrendChart(key, new byte[600 + users.nextInt(600)], roundAt + 50_000));
            }
        }
        long exchanges = 0, lines = 0, alarms = 0, traceChars = 0, traceCapacity = 0;
        int minLen = Integer.MAX_VALUE, maxLen = 0;
        for (RtuConnection c : fe.connections) {
            exchanges += c.exchanges; lines += c.lines; alarms += c.alarms;
            traceChars += c.trace.length(); traceCapacity += c.trace.capacity();
            minLen = Math.min(minLen, c.trace.length()); maxLen = Math.max(maxLen, c.trace.length());
        }
        System.out.println((FIXED ? "FIXED " : "") + "dmas " + DMAS_BY_CODE.size() + " assets " + fe.assets.size() + " connections " + STATIONS + " exchanges " + exchanges + " trace lines " + lines
                + " (alarms " + alarms + ") trace chars " + traceChars + " (per connection " + minLen + ".." + maxLen + ", capacity " + traceCapacity + ") readings " + fe.readingsWritten
                + " charts " + fe.charts.size() + " (evicted " + fe.charts.evicted + " of " + chartRequests + " requests) pool " + fe.frameBuffers.size());
        check(DMAS_BY_CODE.size() == DMAS && fe.assets.size() == ASSETS, "reference data / directory");
        check(exchanges == (long) rounds * STATIONS && lines == 2 * exchanges + alarms, "exchanges");
        if (FIXED) check(maxLen < 400, "trace holds the current exchange only: " + maxLen);
        else check(minLen > 90_000 && traceChars > 2 * lines * 40, "traces keep every line: " + minLen);
        check(fe.charts.size() == CHART_CAP && fe.charts.evicted > 0, "chart cache at cap");
        check(fe.frameBuffers.size() == POOL, "pool");
        check(fe.readingsWritten > RING && fe.readings[RING - 1] != null, "reading ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
