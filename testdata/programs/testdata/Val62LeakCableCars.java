// hprofscan-dump: name=val62-leak-cablecars jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val62-leak-cablecars-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 62 (written blind), LEAK: the telemetry gateway of an urban cable-car network.
 * Cabins and pylon controllers connect over TCP, stream telemetry and reconnect after a while.
 * Station reference data, the ride-pass directory, a cache of rendered line-status pages at its cap,
 * a pool of frame-encode buffers, a ring of cabin telemetry, and a registry of per-connection read
 * buffers (16 KiB heap ByteBuffers) keyed by the channel object: close() marks the channel closed
 * and records when, but the registry entry is never removed, so every closed channel keeps its
 * read buffer. See VALIDATION62.md.
 */
public final class Val62LeakCableCars {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STATIONS = 1_100, PASSES = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, UNITS = 48, READ_BUFFER = 16_384;
    static boolean FIXED;

    record Station(String code, String line, double[] windProfile) {}
    record RidePass(String passId, String holder, String fareClass, byte[] history, long issuedAt) {}
    record StatusPage(String key, byte[] rendered, long at) {}
    record Telemetry(String unit, long channelId, double speedMs, double windMs, long at) {}

    /** A connection of one cabin or pylon controller (identity equality: the registry key). */
    static final class Channel {
        final long id; final String unit, remote; final long openedAt;
        boolean closed; long closedAt, bytesRead, frames;
        Channel(long id, String unit, String remote, long openedAt) { this.id = id; this.unit = unit; this.remote = remote; this.openedAt = openedAt; }
    }

    /** Per-connection read buffers, keyed by the channel. */
    static final class ReadBufferRegistry {
        final Map<Channel, ByteBuffer> buffers = new HashMap<>();
        ByteBuffer bufferFor(Channel ch) { return buffers.computeIfAbsent(ch, c -> ByteBuffer.allocate(READ_BUFFER)); }
        void release(Channel ch) { buffers.remove(ch); }
    }

    static final class PageCache extends LinkedHashMap<String, StatusPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, StatusPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class Gateway {
        final Map<String, RidePass> passes = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final Telemetry[] telemetry = new Telemetry[RING];
        long telemetryWritten;
        final Map<String, Channel> openByUnit = new HashMap<>();
        final ReadBufferRegistry readBuffers = new ReadBufferRegistry();
        long opened, closed;
        Channel open(String unit, long at, Random r) {
            Channel ch = new Channel(++opened, unit, "10.40." + r.nextInt(64) + "." + r.nextInt(250), at);
            openByUnit.put(unit, ch);
            readBuffers.bufferFor(ch);
            return ch;
        }
        void close(Channel ch, long at) {
            ch.closed = true;
            ch.closedAt = at;
            openByUnit.remove(ch.unit);
            closed++;
            if (FIXED) readBuffers.release(ch); // the fix: drop the read buffer with the channel
            // BUG: the registry keeps the closed channel and its 16 KiB read buffer
        }
        void onFrame(Channel ch, int len, byte seed) {
            ByteBuffer buf = readBuffers.bufferFor(ch);
            buf.clear();
            for (int k = 0; k < len; k += 64) buf.put(k, seed);
            ch.bytesRead += len;
            ch.frames++;
        }
    }

    static Gateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val62.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(62_020_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] wind = new double[72];
            for (int k = 0; k < wind.length; k++) wind[k] = rnd.nextDouble() * 25;
            stationCodes[s] = "ST-" + (100 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Line " + (char) ('A' + s % 6), wind));
        }
        Gateway gw = new Gateway();
        SERVICE = gw;
        String[] fareClasses = {"ADULT", "CHILD", "SENIOR", "COMMUTER", "TOURIST-DAY"};
        for (int p = 0; p < PASSES; p++) {
            String id = "CP" + (80_000_000 + p * 3);
            gw.passes.put(id, new RidePass(id, "Holder " + (p % 9_000), fareClasses[p % fareClasses.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) gw.encodeBuffers.add(new byte[32_768]);
        String[] units = new String[UNITS];
        for (int u = 0; u < UNITS; u++) units[u] = (u < 36 ? "CABIN-" : "PYLON-") + (u + 1);
        Random traffic = new Random(62_020_002);
        // every unit is connected from the start; a connection lives 30-90 minutes, then the unit reconnects
        long[] closeAt = new long[UNITS];
        Channel[] current = new Channel[UNITS];
        for (int u = 0; u < UNITS; u++) { current[u] = gw.open(units[u], start, traffic); closeAt[u] = start + (30 + traffic.nextInt(61)) * MINUTE; }
        long frames = 0;
        for (long t = start; t < end - MINUTE; t += 1_000L) {
            for (int u = 0; u < UNITS; u++) {
                if (closeAt[u] <= t) {
                    gw.close(current[u], closeAt[u]);
                    current[u] = gw.open(units[u], t, traffic);
                    closeAt[u] = t + (30 + traffic.nextInt(61)) * MINUTE;
                }
            }
            int u = traffic.nextInt(UNITS);
            gw.onFrame(current[u], 200 + traffic.nextInt(3_000), (byte) t);
            frames++;
            if (frames % 2 == 0) gw.telemetry[(int) (gw.telemetryWritten++ % RING)] = new Telemetry(units[u], current[u].id, traffic.nextDouble() * 6, traffic.nextDouble() * 20, t);
            if (frames % 2 == 1) {
                String key = "status-" + stationCodes[traffic.nextInt(STATIONS)] + "-" + traffic.nextInt(4);
                if (gw.pages.get(key) == null) gw.pages.put(key, new StatusPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            byte[] buf = gw.encodeBuffers.poll();
            buf[(int) (frames % buf.length)] = (byte) frames;
            gw.encodeBuffers.add(buf);
        }
        long closedInRegistry = 0;
        for (Channel ch : gw.readBuffers.buffers.keySet()) if (ch.closed) closedInRegistry++;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " passes " + gw.passes.size() + " channels opened " + gw.opened + " closed " + gw.closed + " open " + gw.openByUnit.size()
                + " read buffers " + gw.readBuffers.buffers.size() + " (of closed channels " + closedInRegistry + ") frames " + frames + " telemetry " + gw.telemetryWritten + " pages " + gw.pages.size() + " (evicted " + gw.pages.evicted + ") pool " + gw.encodeBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && gw.passes.size() == PASSES, "reference data / directory");
        check(gw.openByUnit.size() == UNITS && gw.opened == gw.closed + UNITS, "connections");
        if (FIXED) check(gw.readBuffers.buffers.size() == UNITS && closedInRegistry == 0, "read buffers of open channels only");
        else check(gw.readBuffers.buffers.size() == gw.opened && closedInRegistry == gw.closed, "read buffers of every channel ever opened");
        check(gw.pages.size() == PAGE_CAP && gw.pages.evicted > 0, "page cache at cap");
        check(gw.encodeBuffers.size() == POOL, "pool");
        check(gw.telemetry[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
