// hprofscan-dump: name=val46-healthy-waterparks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val46-healthy-waterparks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 46 (written blind), HEALTHY: the operations service of a chain of water parks.
 * Attraction reference data, the season-pass directory, an LRU of rendered wait-time boards keyed by
 * (park, board, request minute) capped at 2,000 and at its cap, a ring of the last 16,384 gate
 * scans, a pool of 8 database connections (statements closed after use; each connection keeps a
 * bounded cache of its 10 prepared SQL templates), a circular bitmap over the last 65,536 turnstile
 * sequence numbers (deduplication; bits cleared as the window advances), and a metrics registry
 * with one gauge per ride queue (80 long-lived ride queues, registered once at startup) beside the
 * process gauges. See VALIDATION46.md.
 *
 * <p>Variant {@code none} (used to measure the truth) prints the histogram and exits without dumping.
 */
public final class Val46HealthyWaterParks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ATTRACTIONS = 1_200, PASSES = 28_000, BOARD_CAP = 2_000, RING = 16_384, CONNECTIONS = 8, RIDES = 80, PROCESS_GAUGES = 25;
    static final int DEDUP_BITS = 65_536, SCANS_PER_HOUR = 12_000, HOURS = 10, TEMPLATES = 10;
    static final String[] BOARDS = {"wait-times", "wave-pool", "lazy-river", "slides", "cabanas", "lockers"};

    record Attraction(String code, String park, double[] waitCurve) {}
    record SeasonPass(String id, String holder, String tier, byte[] photoAndWaiver, long purchasedAt) {}
    record WaitBoard(String key, byte[] rendered, long at) {}
    record GateScan(long seq, String passId, String gate, long at) {}
    record VirtualTicket(String passId, long returnAt) {}

    @FunctionalInterface
    interface Gauge { double value(); }

    static final class MetricsRegistry {
        final ConcurrentHashMap<String, Gauge> gauges = new ConcurrentHashMap<>();
        void gauge(String name, Gauge g) { gauges.put(name, g); }
    }

    static final MetricsRegistry METRICS = new MetricsRegistry();

    /** A long-lived ride with its virtual queue; its gauge is registered once. */
    static final class RideQueue {
        final String code; final int id; final ArrayDeque<VirtualTicket> waiting = new ArrayDeque<>(); long served;
        RideQueue(String code, int id) {
            this.code = code; this.id = id;
            METRICS.gauge("ride.queue." + code + "-" + id, () -> this.waiting.size());
        }
    }

    static final class BoardCache extends LinkedHashMap<String, WaitBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WaitBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    /** Circular bitmap over the last DEDUP_BITS sequence numbers. */
    static final class TurnstileDedup {
        final long[] bits = new long[DEDUP_BITS / 64];
        long maxSeq = -1, accepted, duplicates, tooOld;
        boolean firstTime(long seq) {
            if (maxSeq >= 0 && seq <= maxSeq - DEDUP_BITS) { tooOld++; return false; }
            if (seq > maxSeq) { // advance the window: clear the bits of the sequence numbers that fall out
                for (long s = Math.max(maxSeq + 1, seq - DEDUP_BITS + 1); s <= seq; s++) { int b = (int) (s & (DEDUP_BITS - 1)); bits[b >>> 6] &= ~(1L << (b & 63)); }
                maxSeq = seq;
            }
            int b = (int) (seq & (DEDUP_BITS - 1));
            long mask = 1L << (b & 63);
            if ((bits[b >>> 6] & mask) != 0) { duplicates++; return false; }
            bits[b >>> 6] |= mask;
            accepted++;
            return true;
        }
    }

    static final class Statement implements AutoCloseable {
        final Connection connection; final String sql; Object[] params; byte[] result; boolean open;
        Statement(Connection connection, String sql) { this.connection = connection; this.sql = sql; }
        Statement bind(Object... p) { params = p; open = true; connection.openStatements.add(this); return this; }
        void execute(int bytes) { result = new byte[bytes]; connection.executions++; }
        @Override public void close() { open = false; params = null; result = null; connection.openStatements.remove(this); }
    }

    static final class Connection {
        final String id; final Map<String, Statement> prepared = new HashMap<>(); final List<Statement> openStatements = new ArrayList<>(); long executions;
        Connection(String id) { this.id = id; }
        Statement statement(String sql) { return prepared.computeIfAbsent(sql, s -> new Statement(this, s)); } // bounded by the templates
    }

    static final Map<String, Attraction> ATTRACTIONS_BY_CODE = new HashMap<>();

    static final class ParkOps {
        final Map<String, SeasonPass> passes = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final GateScan[] recentScans = new GateScan[RING];
        long scans, queries;
        final Connection[] connections = new Connection[CONNECTIONS];
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final TurnstileDedup dedup = new TurnstileDedup();
        final RideQueue[] rides = new RideQueue[RIDES];
    }

    static ParkOps SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int scans = SCANS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(46_060_001);
        String[] parks = {"Splash Bay", "Rapids Ridge", "Coral Cove", "Tidal Falls", "Surf Hollow", "Lagoon Point"};
        String[] attractionCodes = new String[ATTRACTIONS];
        for (int a = 0; a < ATTRACTIONS; a++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 75;
            attractionCodes[a] = "ATT-" + (a / 200) + "-" + (a % 200);
            ATTRACTIONS_BY_CODE.put(attractionCodes[a], new Attraction(attractionCodes[a], parks[a / 200], curve));
        }
        ParkOps svc = new ParkOps();
        SERVICE = svc;
        String[] passIds = new String[PASSES];
        String[] tiers = {"silver", "gold", "platinum", "family"};
        for (int p = 0; p < PASSES; p++) {
            passIds[p] = "SP" + (70_000_000 + p * 9);
            svc.passes.put(passIds[p], new SeasonPass(passIds[p], "Holder " + p, tiers[rnd.nextInt(tiers.length)], new byte[180 + rnd.nextInt(180)], now - (long) (1 + rnd.nextInt(400)) * DAY));
        }
        for (int c = 0; c < CONNECTIONS; c++) { svc.connections[c] = new Connection("parks-db-" + c); svc.idle.add(svc.connections[c]); }
        for (int r = 0; r < RIDES; r++) svc.rides[r] = new RideQueue(attractionCodes[r * 15], r);
        String[] processGauges = {"passes.size", "boards.size", "boards.evicted", "db.idle", "scans.total"};
        for (int g = 0; g < PROCESS_GAUGES; g++) {
            final int k = g % processGauges.length;
            String name = processGauges[k] + (g < processGauges.length ? "" : ".park-" + (g / processGauges.length));
            METRICS.gauge(name, () -> switch (k) {
                case 0 -> svc.passes.size();
                case 1 -> svc.boards.size();
                case 2 -> svc.boards.evicted;
                case 3 -> svc.idle.size();
                default -> svc.scans;
            });
        }
        String[] templates = new String[TEMPLATES];
        for (int q = 0; q < TEMPLATES; q++) templates[q] = "SELECT * FROM pass_entitlement_" + q + " WHERE pass_id = ? AND park = ?";

        Random traffic = new Random(46_060_002);
        long seq = 912_000_000L;
        long redeliveries = 0;
        int maxWaiting = 0;
        for (int i = 0; i < scans; i++) {
            long t = start + (end - MINUTE - start) * i / scans;
            seq++;
            String pass = passIds[traffic.nextInt(PASSES)];
            String gate = "Gate " + (char) ('A' + traffic.nextInt(6));
            if (svc.dedup.firstTime(seq)) {
                svc.recentScans[(int) (svc.scans++ % RING)] = new GateScan(seq, pass, gate, t);
                Connection c = svc.idle.poll();
                try (Statement st = c.statement(templates[traffic.nextInt(TEMPLATES)]).bind(pass, parks[traffic.nextInt(parks.length)])) {
                    st.execute(64 + traffic.nextInt(192));
                    svc.queries++;
                } finally {
                    svc.idle.add(c);
                }
            }
            if (traffic.nextInt(25) == 0 && i > 1_000) { redeliveries++; check(!svc.dedup.firstTime(seq - traffic.nextInt(1_000)), "redelivery accepted"); }
            RideQueue ride = svc.rides[traffic.nextInt(RIDES)];
            if (traffic.nextInt(3) != 0) ride.waiting.add(new VirtualTicket(pass, t + (5 + traffic.nextInt(40)) * MINUTE));
            else if (!ride.waiting.isEmpty()) { ride.waiting.poll(); ride.served++; }
            maxWaiting = Math.max(maxWaiting, ride.waiting.size());
            while (ride.waiting.size() > 60) { ride.waiting.poll(); ride.served++; } // ride capacity per hour caps the virtual queue
            String key = parks[traffic.nextInt(parks.length)] + "|" + BOARDS[traffic.nextInt(BOARDS.length)] + "|" + (t / MINUTE);
            int size = 600 + traffic.nextInt(600);
            if (svc.boards.get(key) == null) svc.boards.put(key, new WaitBoard(key, new byte[size], t));
        }
        int openStatements = 0, prepared = 0, waiting = 0;
        for (Connection c : svc.connections) { openStatements += c.openStatements.size(); prepared += c.prepared.size(); }
        for (RideQueue r : svc.rides) waiting += r.waiting.size();
        System.out.println("attractions " + ATTRACTIONS_BY_CODE.size() + " passes " + svc.passes.size() + " scans " + svc.scans + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") queries " + svc.queries
                + " open statements " + openStatements + " prepared " + prepared + " dedup accepted " + svc.dedup.accepted + " duplicates " + svc.dedup.duplicates + " (redeliveries " + redeliveries + ") gauges " + METRICS.gauges.size()
                + " virtual tickets " + waiting + " (max per ride " + maxWaiting + ")");
        check(ATTRACTIONS_BY_CODE.size() == ATTRACTIONS && svc.passes.size() == PASSES, "reference data / directory");
        check(svc.scans == scans && svc.recentScans[RING - 1] != null, "ring");
        check(svc.dedup.accepted == scans && svc.dedup.duplicates == redeliveries && svc.dedup.tooOld == 0, "dedup window");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at cap");
        check(openStatements == 0 && prepared == CONNECTIONS * TEMPLATES && svc.idle.size() == CONNECTIONS, "statements");
        check(METRICS.gauges.size() == PROCESS_GAUGES + RIDES, "gauges");
        LeakCheck.histogram(" [I "); // [I: dead-space fillers of a full GC are counted by the histogram
        if (args[0].equals("none")) {
            System.out.println("variant none: no dump");
            System.exit(0);
        }
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
