// hprofscan-dump: name=val105-leak-avalanchesensors jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val105-leak-avalanchesensors-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Validation set 105 (written blind), LEAK: the forecasting service of an avalanche-warning centre.
 * Station reference data, the slope-segment directory, a cache of rendered bulletins at its cap, a
 * pool of decode buffers, a ring of applied sensor readings, and the satellite uplink's reorder
 * buffer: a ConcurrentSkipListMap<Long, UplinkMessage> keyed by sequence number that delivers only
 * the contiguous prefix. One message lost early in the day leaves a gap that is never filled and
 * nothing times it out: every later message stays buffered. See VALIDATION105.md.
 */
public final class Val105LeakAvalancheSensors {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, GAP_TIMEOUT = 60_000L;
    static final int STATIONS = 800, SEGMENTS = 22_000, BULLETIN_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, MESSAGES_PER_HOUR = 2_000;
    static final long LOST_SEQ = 3_011;
    static boolean FIXED;

    record Station(String code, String massif, double[] slopeProfile) {}
    record SlopeSegment(String id, String stationCode, int aspect, byte[] terrainModel, long surveyedAt) {}
    record Bulletin(String key, byte[] rendered, long at) {}
    record Reading(String stationCode, long seq, float snowDepthCm, float windKmh, long at) {}
    record UplinkMessage(long seq, String stationCode, long sentAt, long receivedAt, byte[] payload) {}

    /** Delivers uplink messages in sequence order; early arrivals wait in pending. */
    static final class ReorderBuffer {
        final ConcurrentSkipListMap<Long, UplinkMessage> pending = new ConcurrentSkipListMap<>();
        long nextExpected, delivered, skipped, maxPending;
        long waitingSince = -1;
        void receive(UplinkMessage m, ForecastService svc) {
            if (m.seq() < nextExpected) return; // duplicate
            pending.put(m.seq(), m);
            maxPending = Math.max(maxPending, pending.size());
            drain(svc);
            if (pending.isEmpty()) waitingSince = -1;
            else if (waitingSince < 0) waitingSince = m.receivedAt();
            if (FIXED && waitingSince >= 0 && m.receivedAt() - waitingSince > GAP_TIMEOUT) {
                // gap timeout: give the missing sequence numbers up (a retransmit is requested) and go on
                skipped += pending.firstKey() - nextExpected;
                nextExpected = pending.firstKey();
                drain(svc);
                waitingSince = pending.isEmpty() ? -1 : m.receivedAt();
            }
            // BUG: no gap timeout; a lost message blocks the prefix for good
        }
        private void drain(ForecastService svc) {
            UplinkMessage head;
            while ((head = pending.get(nextExpected)) != null) {
                pending.remove(nextExpected);
                svc.apply(head);
                nextExpected++;
                delivered++;
            }
        }
    }

    static final class BulletinCache extends LinkedHashMap<String, Bulletin> {
        long evicted;
        BulletinCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Bulletin> e) { if (size() > BULLETIN_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class ForecastService {
        final Map<String, SlopeSegment> segments = new HashMap<>();
        final BulletinCache bulletins = new BulletinCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long applied;
        final ReorderBuffer uplink = new ReorderBuffer();
        void apply(UplinkMessage m) {
            byte[] buf = decodeBuffers.poll();
            System.arraycopy(m.payload(), 0, buf, (int) (m.seq() % 1_000) * 32, 32);
            decodeBuffers.add(buf);
            readings[(int) (applied++ % RING)] = new Reading(m.stationCode(), m.seq(), (m.payload()[0] & 0xFF) * 1.5f, (m.payload()[1] & 0x7F) * 1.1f, m.receivedAt());
        }
    }

    static ForecastService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int messages = MESSAGES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(105_020_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] profile = new double[96];
            for (int k = 0; k < profile.length; k++) profile[k] = rnd.nextDouble() * 50;
            stationCodes[s] = "AWS-" + (1_000 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Massif " + (s % 30), profile));
        }
        ForecastService svc = new ForecastService();
        SERVICE = svc;
        for (int g = 0; g < SEGMENTS; g++) {
            String id = "SEG-" + (500_000 + g);
            svc.segments.put(id, new SlopeSegment(id, stationCodes[rnd.nextInt(STATIONS)], rnd.nextInt(360), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(105_020_002);
        UplinkMessage held = null; // a message overtaken by its successor (normal reordering: 1 in 40)
        long lostAt = 0, reordered = 0;
        for (int i = 0; i < messages; i++) {
            long sent = start + (end - MINUTE - start) * i / messages;
            byte[] payload = new byte[120 + traffic.nextInt(120)];
            traffic.nextBytes(payload);
            UplinkMessage m = new UplinkMessage(i, stationCodes[traffic.nextInt(STATIONS)], sent, sent + 2_000 + traffic.nextInt(3_000), payload);
            if (i % 3 == 0) {
                String key = "bul-" + traffic.nextInt(5_000);
                if (svc.bulletins.get(key) == null) svc.bulletins.put(key, new Bulletin(key, new byte[500 + traffic.nextInt(500)], sent));
            }
            if (i == LOST_SEQ) { lostAt = sent; continue; } // lost on the satellite hop, never retransmitted
            if (held == null && i + 1 < messages && traffic.nextInt(40) == 0) { held = m; reordered++; continue; }
            svc.uplink.receive(m, svc);
            if (held != null) { svc.uplink.receive(held, svc); held = null; }
        }
        ReorderBuffer u = svc.uplink;
        System.out.println((FIXED ? "FIXED " : "") + "stations " + STATIONS_BY_CODE.size() + " segments " + svc.segments.size() + " messages " + messages + " lost seq " + LOST_SEQ + " at " + (lostAt - start) / MINUTE + " min"
                + " reordered " + reordered + " delivered " + u.delivered + " nextExpected " + u.nextExpected + " pending " + u.pending.size() + " skipped " + u.skipped + " maxPending " + u.maxPending
                + " bulletins " + svc.bulletins.size() + " (evicted " + svc.bulletins.evicted + ") applied " + svc.applied);
        check(STATIONS_BY_CODE.size() == STATIONS && svc.segments.size() == SEGMENTS, "reference data / directory");
        if (FIXED) check(u.pending.isEmpty() && u.skipped == 1 && u.delivered == messages - 1 && u.nextExpected == messages, "reorder buffer drained");
        else check(u.nextExpected == LOST_SEQ && u.delivered == LOST_SEQ && u.pending.size() == messages - LOST_SEQ - 1 && u.skipped == 0, "reorder buffer stuck: " + u.pending.size());
        check(svc.bulletins.size() == BULLETIN_CAP && svc.bulletins.evicted > 0, "bulletin cache at cap");
        check(svc.decodeBuffers.size() == POOL && svc.applied == u.delivered && svc.readings[(int) ((svc.applied - 1) % RING)] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val105.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
