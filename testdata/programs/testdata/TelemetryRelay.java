// hprofscan-dump: name=telemetry-relay jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=telemetry-relay-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=telemetry-relay-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=telemetry-relay-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A telemetry relay between vehicles and a back office: each frame sent upstream waits in
 * {@code AckTracker.pending} (a {@code ConcurrentHashMap} keyed by sequence number) until the
 * back office acknowledges it; the tracker keeps statistics beside it, among them
 * {@code maxPending}, the most frames ever pending at once (a high-water mark, updated on every
 * send). Beside it: vehicle models loaded at startup, the fleet directory, a route cache whose
 * cap is computed from the worker count ({@code RouteCache.maxEntries}, 6 x 256 = 1,536; a
 * {@code LinkedHashMap} in insertion order trimmed by hand), a ring of recent positions and a
 * pool of frame buffers. Ten hours of frames; about 6% of the acknowledgements are lost.
 * <ul>
 * <li>{@code healthy}: a frame waiting for its acknowledgement longer than two minutes is
 * resent and dropped from the tracker: {@code pending} holds the few frames of the last two
 * minutes; {@code maxPending} is the peak it once reached. No leak.
 * <li>{@code leak}: nothing times frames out: every frame whose acknowledgement was lost stays
 * in {@code pending} (with its payload) for ever: 7,100 frames. {@code maxPending} (7,102)
 * reaches its size, as the peak of any structure that only grows does: a statistic, not a cap.
 * The leak is {@code AckTracker.pending}.
 * </ul>
 * Fixed numbers (printed).
 */
public final class TelemetryRelay {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int FRAMES = 120_000, VEHICLES = 9_000, WORKERS = 6, RING = 4_096;

    record Model(String code, String maker, double[] consumptionCurve) {}

    record Vehicle(String vin, String plate, Model model, long registeredAt, byte[] config) {}

    record Frame(long seq, String vin, long sentAt, byte[] payload) {}

    record Route(String from, String to, double[] polyline) {}

    static final class AckTracker {
        final Map<Long, Frame> pending = new ConcurrentHashMap<>();
        int maxPending;
        long sent, acked, resent;

        void sent(Frame f) {
            pending.put(f.seq(), f);
            sent++;
            maxPending = Math.max(maxPending, pending.size());
        }

        void acked(long seq) {
            if (pending.remove(seq) != null) acked++;
        }

        /** Resends and forgets the frames older than {@code cutoff}. */
        void timeOut(long cutoff) {
            for (Iterator<Frame> it = pending.values().iterator(); it.hasNext(); ) {
                if (it.next().sentAt() < cutoff) {
                    it.remove();
                    resent++;
                }
            }
        }
    }

    static final class RouteCache {
        final int maxEntries = WORKERS * 256;
        final Map<String, Route> routes = new LinkedHashMap<>();
        long evictions;

        void put(String key, Route r) {
            routes.put(key, r);
            if (routes.size() > maxEntries) {
                Iterator<String> it = routes.keySet().iterator();
                it.next();
                it.remove();
                evictions++;
            }
        }
    }

    static final class Relay {
        final Map<String, Vehicle> fleet = new HashMap<>();
        final AckTracker acks = new AckTracker();
        final RouteCache routes = new RouteCache();
        final long[][] positions = new long[RING][];
        int next;
        final List<byte[]> buffers = new ArrayList<>();
    }

    static final Map<String, Model> MODELS = new HashMap<>();
    static Relay RELAY;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - 10 * HOUR;
        Random rnd = new Random(42_002);
        for (int i = 0; i < 300; i++) {
            double[] curve = new double[120];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 30;
            String code = "VM-" + (400 + i);
            MODELS.put(code, new Model(code, "Maker " + (i % 17), curve));
        }
        List<Model> models = new ArrayList<>(MODELS.values());
        Relay r = new Relay();
        RELAY = r;
        for (int i = 0; i < 16; i++) r.buffers.add(new byte[32_768]);
        List<String> vins = new ArrayList<>();
        for (int i = 0; i < VEHICLES; i++) {
            String vin = "WVW" + (10_000_000 + rnd.nextInt(80_000_000)) + "X" + i;
            vins.add(vin);
            r.fleet.put(vin, new Vehicle(vin, "TR-" + i, models.get(rnd.nextInt(models.size())),
                    start - rnd.nextInt(2_000) * 24 * HOUR, new byte[100 + rnd.nextInt(200)]));
        }
        long lost = 0;
        for (int i = 0; i < FRAMES; i++) {
            long t = start + (end - start - MINUTE) * i / FRAMES;
            String vin = vins.get(rnd.nextInt(vins.size()));
            Frame f = new Frame(70_000_000L + i, vin, t, new byte[60 + rnd.nextInt(120)]);
            r.acks.sent(f);
            // the acknowledgement of the previous frame arrives, unless lost
            if (i > 0) {
                if (rnd.nextInt(100) < 6) lost++;
                else r.acks.acked(70_000_000L + i - 1);
            }
            if (!leak && i % 50 == 0) r.acks.timeOut(t - 2 * MINUTE);
            r.positions[r.next++ % RING] = new long[] {t, rnd.nextInt(), rnd.nextInt()};
            if (i % 8 == 0) {
                String from = "P" + rnd.nextInt(4_000), to = "P" + rnd.nextInt(4_000);
                r.routes.put(from + ">" + to, new Route(from, to, new double[40]));
            }
        }
        r.acks.acked(70_000_000L + FRAMES - 1);
        int pending = r.acks.pending.size();
        System.out.println((leak ? "leak" : "healthy") + " pending " + pending + " maxPending " + r.acks.maxPending + " lost " + lost
                + " routes " + r.routes.routes.size() + " fleet " + r.fleet.size());
        if (leak ? pending != lost || r.acks.maxPending < pending : pending > 100 || r.acks.maxPending <= pending) {
            throw new IllegalStateException("unexpected pending " + pending);
        }
        if (r.routes.routes.size() != r.routes.maxEntries) throw new IllegalStateException("route cache not at its cap");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
