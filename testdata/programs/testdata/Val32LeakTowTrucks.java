// hprofscan-dump: name=val32-leak-towtrucks jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val32-leak-towtrucks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 32 (written blind), LEAK: the dispatch service of a roadside-assistance (tow truck)
 * operator. Depot reference data, the member directory, the truck directory, a cache of rendered ETA
 * quotes at its cap, a pool of map-tile buffers, a ring of recent callouts, and a spatial index of
 * the trucks by grid cell (Map<CellKey, Set<Position>>, a new Position per GPS report). When a truck
 * reports from the same cell its old position is replaced, but when it has moved to another cell the
 * new position is added to the new cell and the old one is never removed from the old cell's set.
 * See VALIDATION32.md.
 */
public final class Val32LeakTowTrucks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REPORT_EVERY = 2 * MINUTE;
    static final int DEPOTS = 900, MEMBERS = 25_000, TRUCKS = 1_500, QUOTE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 6, CALLOUTS_PER_TICK = 100;
    static final double LAT0 = 51.30, LAT1 = 51.80, LON0 = -0.55, LON1 = 0.25, CELL = 0.01;
    static boolean FIXED;

    record Depot(String code, String area, double[] coverageByHour) {}
    record Member(String membershipNo, String registration, byte[] vehicleInfo, long joinedAt) {}
    record Truck(String unitId, String depotCode, String kind, byte[] equipment) {}
    record EtaQuote(String key, byte[] rendered, long at) {}
    record Callout(String membershipNo, String unitId, double lat, double lon, long at) {}
    record CellKey(int row, int col) {}
    record Position(String vehicleId, double lat, double lon, long at) {}

    static CellKey cellOf(double lat, double lon) { return new CellKey((int) Math.floor((lat - LAT0) / CELL), (int) Math.floor((lon - LON0) / CELL)); }

    /** Trucks indexed by the grid cell they were last seen in. */
    static final class GridIndex {
        final Map<CellKey, Set<Position>> cells = new HashMap<>();
        final Map<String, Position> current = new HashMap<>();
        long updates, cellChanges;
        void update(Position p) {
            updates++;
            Position old = current.put(p.vehicleId(), p);
            CellKey to = cellOf(p.lat(), p.lon());
            if (old != null) {
                CellKey from = cellOf(old.lat(), old.lon());
                if (from.equals(to)) {
                    cells.get(from).remove(old);
                } else {
                    cellChanges++;
                    if (FIXED) { // the fix: take the old position out of the old cell
                        Set<Position> s = cells.get(from);
                        s.remove(old);
                        if (s.isEmpty()) cells.remove(from);
                    }
                    // BUG: the old position stays in the old cell's set
                }
            }
            cells.computeIfAbsent(to, k -> new HashSet<>()).add(p);
        }
        /** Trucks in the 3 x 3 cells around a point (a stale entry is skipped: not the truck's current position). */
        List<Position> near(double lat, double lon) {
            CellKey c = cellOf(lat, lon);
            List<Position> out = new ArrayList<>();
            for (int dr = -1; dr <= 1; dr++) for (int dc = -1; dc <= 1; dc++) {
                Set<Position> s = cells.get(new CellKey(c.row() + dr, c.col() + dc));
                if (s != null) for (Position p : s) if (p.equals(current.get(p.vehicleId()))) out.add(p);
            }
            return out;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, EtaQuote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EtaQuote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Truck> trucks = new HashMap<>();
        final GridIndex index = new GridIndex();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> tileBuffers = new ArrayDeque<>();
        final Callout[] recent = new Callout[RING];
        long callouts, assigned;
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static double clamp(double v, double lo, double hi) { return Math.max(lo + 1e-6, Math.min(hi - 1e-6, v)); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val32.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(32_020_001);
        String[] depotCodes = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            double[] cov = new double[96];
            for (int k = 0; k < cov.length; k++) cov[k] = rnd.nextDouble();
            depotCodes[d] = "DP-" + (100 + d);
            DEPOTS_BY_CODE.put(depotCodes[d], new Depot(depotCodes[d], "Area " + (d % 120), cov));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "RA" + (60_000_000 + m * 11);
            svc.members.put(memberNos[m], new Member(memberNos[m], "REG" + (10_000 + rnd.nextInt(90_000)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] kinds = {"flatbed", "wheel-lift", "heavy recovery", "van"};
        String[] unitIds = new String[TRUCKS];
        double[] lat = new double[TRUCKS], lon = new double[TRUCKS];
        for (int t = 0; t < TRUCKS; t++) {
            unitIds[t] = "TT-" + (2_000 + t);
            svc.trucks.put(unitIds[t], new Truck(unitIds[t], depotCodes[rnd.nextInt(DEPOTS)], kinds[t % kinds.length], new byte[100 + rnd.nextInt(100)]));
            lat[t] = LAT0 + rnd.nextDouble() * (LAT1 - LAT0);
            lon[t] = LON0 + rnd.nextDouble() * (LON1 - LON0);
        }
        for (int b = 0; b < POOL; b++) svc.tileBuffers.add(new byte[32_768]);
        Random gps = new Random(32_020_002);
        Random traffic = new Random(32_020_003);
        int ticks = (int) (HOURS * HOUR / REPORT_EVERY);
        long spacing = REPORT_EVERY / TRUCKS;
        int empties = 0;
        for (int tick = 0; tick < ticks; tick++) {
            long base = start + tick * REPORT_EVERY;
            for (int t = 0; t < TRUCKS; t++) {
                if (tick > 0 && gps.nextInt(10) < 6) { // on a job: moving
                    lat[t] = clamp(lat[t] + (gps.nextDouble() - 0.5) * 0.04, LAT0, LAT1);
                    lon[t] = clamp(lon[t] + (gps.nextDouble() - 0.5) * 0.04, LON0, LON1);
                }
                svc.index.update(new Position(unitIds[t], lat[t], lon[t], base + t * spacing));
            }
            for (int c = 0; c < CALLOUTS_PER_TICK; c++) {
                long at = base + c * (REPORT_EVERY / CALLOUTS_PER_TICK);
                double clat = LAT0 + traffic.nextDouble() * (LAT1 - LAT0), clon = LON0 + traffic.nextDouble() * (LON1 - LON0);
                String member = memberNos[traffic.nextInt(MEMBERS)];
                List<Position> near = svc.index.near(clat, clon);
                String unit = near.isEmpty() ? null : near.get(traffic.nextInt(near.size())).vehicleId();
                if (unit == null) empties++; else svc.assigned++;
                svc.recent[(int) (svc.callouts++ % RING)] = new Callout(member, unit, clat, clon, at);
                String key = "eta-" + traffic.nextInt(5_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new EtaQuote(key, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.tileBuffers.poll();
                buf[c % buf.length] = (byte) c;
                svc.tileBuffers.add(buf);
            }
        }
        GridIndex ix = svc.index;
        long indexed = 0, stale = 0, maxCell = 0;
        for (Set<Position> s : ix.cells.values()) {
            indexed += s.size(); maxCell = Math.max(maxCell, s.size());
            for (Position p : s) if (!p.equals(ix.current.get(p.vehicleId()))) stale++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " members " + svc.members.size() + " trucks " + svc.trucks.size() + " updates " + ix.updates + " cell changes " + ix.cellChanges
                + " cells " + ix.cells.size() + " indexed positions " + indexed + " (stale " + stale + ", largest cell " + maxCell + ") current " + ix.current.size()
                + " callouts " + svc.callouts + " (assigned " + svc.assigned + ", none near " + empties + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.tileBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.members.size() == MEMBERS && svc.trucks.size() == TRUCKS, "reference data / directories");
        check(ix.updates == (long) ticks * TRUCKS && ix.current.size() == TRUCKS, "GPS traffic");
        if (FIXED) check(indexed == TRUCKS && stale == 0, "index holds one position per truck: " + indexed);
        else check(indexed == TRUCKS + ix.cellChanges && stale == ix.cellChanges, "index keeps the old positions of every cell change: " + indexed);
        check(svc.callouts == (long) ticks * CALLOUTS_PER_TICK && svc.recent[RING - 1] != null, "callout ring");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.tileBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
