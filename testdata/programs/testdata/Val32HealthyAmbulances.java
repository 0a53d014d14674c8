// hprofscan-dump: name=val32-healthy-ambulances-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val32-healthy-ambulances-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val32-healthy-ambulances jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val32-healthy-ambulances-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
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
 * Validation set 32 (written blind), HEALTHY: the computer-aided dispatch service of a regional
 * ambulance trust. Station reference data, the premises directory (hazard notes), the crew directory
 * with one notification inbox per crew member (trimmed to the last 100 notifications), a spatial index
 * of the ambulances by grid cell (the old position is removed from its cell on every report), a cache
 * of rendered incident maps at its cap, a pool of radio-codec buffers and a ring of incident events.
 * Warms up, then plateaus. See VALIDATION32.md.
 */
public final class Val32HealthyAmbulances {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L, REPORT_EVERY = 30 * SECOND;
    static final int STATIONS = 900, PREMISES = 24_000, CREW = 600, INBOX_CAP = 100, UNITS = 400, MAP_CAP = 2_000, POOL = 8, RING = 16_384;
    static final int NOTIFICATIONS_PER_TICK = 300, INCIDENTS_PER_TICK = 50; // per 30 s: 36,000 notifications and 6,000 incidents an hour
    static final double LAT0 = 53.30, LAT1 = 53.70, LON0 = -2.60, LON1 = -1.90, CELL = 0.01;

    record Station(String code, String name, double[] demandByHour) {}
    record Premises(String uprn, String postcode, byte[] hazardNotes, long surveyedAt) {}
    record CrewMember(String staffNo, String name, String grade, String stationCode) {}
    record IncidentMap(String key, byte[] rendered, long at) {}
    record IncidentEvent(String incidentNo, String unitId, String code, long at) {}
    record CellKey(int row, int col) {}
    record Position(String unitId, double lat, double lon, long at) {}

    static final class Notification {
        final long id; final String kind; final String incidentNo; final long createdAt; long readAt; final byte[] body;
        Notification(long id, String kind, String incidentNo, long createdAt, byte[] body) { this.id = id; this.kind = kind; this.incidentNo = incidentNo; this.createdAt = createdAt; this.body = body; }
    }

    /** Per crew member: the last 100 notifications, read or not. */
    static final class Inbox {
        final String staffNo; final ArrayDeque<Notification> items = new ArrayDeque<>(); long delivered, trimmed;
        Inbox(String staffNo) { this.staffNo = staffNo; }
        void deliver(Notification n) {
            items.addLast(n); delivered++;
            while (items.size() > INBOX_CAP) { items.removeFirst(); trimmed++; }
        }
        void open(long at) { for (Notification n : items) if (n.readAt == 0) n.readAt = at; }
    }

    static CellKey cellOf(double lat, double lon) { return new CellKey((int) Math.floor((lat - LAT0) / CELL), (int) Math.floor((lon - LON0) / CELL)); }

    static final class GridIndex {
        final Map<CellKey, Set<Position>> cells = new HashMap<>();
        final Map<String, Position> current = new HashMap<>();
        long updates, cellChanges;
        void update(Position p) {
            updates++;
            Position old = current.put(p.unitId(), p);
            CellKey to = cellOf(p.lat(), p.lon());
            if (old != null) {
                CellKey from = cellOf(old.lat(), old.lon());
                if (!from.equals(to)) cellChanges++;
                Set<Position> s = cells.get(from);
                s.remove(old);
                if (s.isEmpty()) cells.remove(from);
            }
            cells.computeIfAbsent(to, k -> new HashSet<>()).add(p);
        }
        List<Position> near(double lat, double lon) {
            CellKey c = cellOf(lat, lon);
            List<Position> out = new ArrayList<>();
            for (int dr = -2; dr <= 2; dr++) for (int dc = -2; dc <= 2; dc++) {
                Set<Position> s = cells.get(new CellKey(c.row() + dr, c.col() + dc));
                if (s != null) out.addAll(s);
            }
            return out;
        }
    }

    static final class MapCache extends LinkedHashMap<String, IncidentMap> {
        long evicted;
        MapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, IncidentMap> e) { if (size() > MAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_CODE = new HashMap<>();

    static final class DispatchService {
        final Map<String, Premises> premises = new HashMap<>();
        final Map<String, CrewMember> crew = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final GridIndex units = new GridIndex();
        final MapCache maps = new MapCache();
        final ArrayDeque<byte[]> radioBuffers = new ArrayDeque<>();
        final IncidentEvent[] events = new IncidentEvent[RING];
        long eventsWritten, notifications, incidents, opens;
    }

    static DispatchService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static double clamp(double v, double lo, double hi) { return Math.max(lo + 1e-6, Math.min(hi - 1e-6, v)); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(32_050_001);
        String[] stationCodes = new String[STATIONS];
        for (int s = 0; s < STATIONS; s++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 12;
            stationCodes[s] = "AS-" + (400 + s);
            STATIONS_BY_CODE.put(stationCodes[s], new Station(stationCodes[s], "Station " + s, demand));
        }
        DispatchService svc = new DispatchService();
        SERVICE = svc;
        String[] uprns = new String[PREMISES];
        for (int p = 0; p < PREMISES; p++) {
            uprns[p] = "UPRN" + (100_000_000L + p * 37L);
            svc.premises.put(uprns[p], new Premises(uprns[p], "M" + (1 + p % 60) + " " + (p % 9) + "AB", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        String[] grades = {"Paramedic", "EMT", "Technician", "Advanced Paramedic"};
        String[] staffNos = new String[CREW];
        for (int c = 0; c < CREW; c++) {
            staffNos[c] = "NW" + (55_000 + c);
            svc.crew.put(staffNos[c], new CrewMember(staffNos[c], "Crew " + c, grades[c % grades.length], stationCodes[rnd.nextInt(STATIONS)]));
            svc.inboxes.put(staffNos[c], new Inbox(staffNos[c]));
        }
        String[] unitIds = new String[UNITS];
        double[] lat = new double[UNITS], lon = new double[UNITS];
        for (int u = 0; u < UNITS; u++) {
            unitIds[u] = "AMB-" + (700 + u);
            lat[u] = LAT0 + rnd.nextDouble() * (LAT1 - LAT0);
            lon[u] = LON0 + rnd.nextDouble() * (LON1 - LON0);
        }
        for (int b = 0; b < POOL; b++) svc.radioBuffers.add(new byte[32_768]);
        Random gps = new Random(32_050_002);
        Random traffic = new Random(32_050_003);
        String[] kinds = {"INCIDENT_ASSIGNED", "STATUS_CHANGE", "HOSPITAL_HANDOVER", "SHIFT_NOTICE", "WELFARE_CHECK"};
        String[] codes = {"CAT1", "CAT2", "CAT3", "CAT4"};
        int ticks = (int) (hours * HOUR / REPORT_EVERY);
        long spacing = REPORT_EVERY / UNITS;
        for (int tick = 0; tick < ticks; tick++) {
            long base = start + tick * REPORT_EVERY;
            for (int u = 0; u < UNITS; u++) {
                if (tick > 0 && gps.nextInt(10) < 5) {
                    lat[u] = clamp(lat[u] + (gps.nextDouble() - 0.5) * 0.01, LAT0, LAT1);
                    lon[u] = clamp(lon[u] + (gps.nextDouble() - 0.5) * 0.01, LON0, LON1);
                }
                svc.units.update(new Position(unitIds[u], lat[u], lon[u], base + u * spacing));
            }
            for (int k = 0; k < INCIDENTS_PER_TICK; k++) {
                long at = base + k * (REPORT_EVERY / INCIDENTS_PER_TICK);
                String incidentNo = "INC" + (svc.incidents++ + 3_000_000);
                double ilat = LAT0 + traffic.nextDouble() * (LAT1 - LAT0), ilon = LON0 + traffic.nextDouble() * (LON1 - LON0);
                List<Position> near = svc.units.near(ilat, ilon);
                String unit = near.isEmpty() ? null : near.get(traffic.nextInt(near.size())).unitId();
                svc.events[(int) (svc.eventsWritten++ % RING)] = new IncidentEvent(incidentNo, unit, codes[traffic.nextInt(codes.length)], at);
                String key = "map-" + uprns[traffic.nextInt(4_000)];
                if (svc.maps.get(key) == null) svc.maps.put(key, new IncidentMap(key, new byte[600 + traffic.nextInt(600)], at));
                byte[] buf = svc.radioBuffers.poll();
                buf[k % buf.length] = (byte) k;
                svc.radioBuffers.add(buf);
                for (int n = 0; n < NOTIFICATIONS_PER_TICK / INCIDENTS_PER_TICK; n++) {
                    Inbox in = svc.inboxes.get(staffNos[traffic.nextInt(CREW)]);
                    in.deliver(new Notification(svc.notifications++, kinds[traffic.nextInt(kinds.length)], incidentNo, at, new byte[40 + traffic.nextInt(40)]));
                }
                svc.inboxes.get(staffNos[traffic.nextInt(CREW)]).open(at);
                svc.opens++;
            }
        }
        long held = 0, trimmed = 0, full = 0, maxInbox = 0, indexed = 0;
        for (Inbox in : svc.inboxes.values()) {
            held += in.items.size(); trimmed += in.trimmed; maxInbox = Math.max(maxInbox, in.items.size());
            if (in.items.size() == INBOX_CAP) full++;
        }
        for (Set<Position> s : svc.units.cells.values()) indexed += s.size();
        System.out.println("stage " + stage + " stations " + STATIONS_BY_CODE.size() + " premises " + svc.premises.size() + " crew " + svc.crew.size() + " notifications " + svc.notifications + " held " + held + " (trimmed " + trimmed + ", full inboxes " + full
                + ", largest " + maxInbox + ") opens " + svc.opens + " units " + svc.units.current.size() + " updates " + svc.units.updates + " cell changes " + svc.units.cellChanges + " cells " + svc.units.cells.size() + " indexed " + indexed
                + " incidents " + svc.incidents + " maps " + svc.maps.size() + " (evicted " + svc.maps.evicted + ") pool " + svc.radioBuffers.size());
        check(STATIONS_BY_CODE.size() == STATIONS && svc.premises.size() == PREMISES && svc.crew.size() == CREW && svc.inboxes.size() == CREW, "reference data / directories");
        check(svc.notifications == (long) ticks * NOTIFICATIONS_PER_TICK && held + trimmed == svc.notifications && maxInbox <= INBOX_CAP, "inboxes trimmed to " + INBOX_CAP);
        if (stage == 1) check(trimmed == 0, "stage 1 warming: no inbox full yet");
        else check(full == CREW, "every inbox at its cap: " + full);
        check(svc.units.current.size() == UNITS && indexed == UNITS && svc.units.updates == (long) ticks * UNITS, "spatial index: one position per unit");
        check(svc.eventsWritten == svc.incidents && svc.incidents == (long) ticks * INCIDENTS_PER_TICK && (svc.eventsWritten < RING || svc.events[RING - 1] != null), "event ring");
        check(svc.maps.size() == MAP_CAP && svc.maps.evicted > 0, "map cache at cap");
        check(svc.radioBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
