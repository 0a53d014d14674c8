// hprofscan-dump: name=val9-healthy-parking jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val9-healthy-parking-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Validation set 9 (written blind), HEALTHY: a city parking operator's back end (garages, permits,
 * gate entries and exits, licence-plate recognition) after 72 simulated hours. Looks suspicious,
 * is legitimate: the open parking sessions (cars still parked, some for up to three weeks at the
 * airport garages, untouched since entry) and the permit registry (permits issued up to six years
 * ago, many unused for months). Also: the garage/spot directory loaded at startup (the biggest
 * structure), a Caffeine-like bounded plate-recognition cache at its maximum size, a ring of the
 * last 8,192 gate events and a pool of 24 payment-terminal connections.
 * See testdata/VALIDATION9.md.
 */
public final class Val9HealthyParking {
    static final int GARAGES = 300;
    static final int SPOTS_PER_GARAGE = 400;
    static final int PERMITS = 35_000;
    static final int PLATE_CACHE_MAX = 6_000;
    static final int GATE_RING = 8_192;
    static final int TERMINALS = 24;
    static final int ARRIVALS = 60_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long SIM_MILLIS = 72 * HOUR;

    static ParkingBackend RUNNING;

    static final class ParkingSpot {
        final String spotCode; final int level; final boolean evCharger; final boolean accessible; final int hourlyRateCents;
        ParkingSpot(String spotCode, int level, boolean evCharger, boolean accessible, int hourlyRateCents) { this.spotCode = spotCode; this.level = level; this.evCharger = evCharger; this.accessible = accessible; this.hourlyRateCents = hourlyRateCents; }
    }

    static final class Garage {
        final String garageId; final String name; final String address; final double lat; final double lon; final ParkingSpot[] spots; final boolean longStay;
        Garage(String garageId, String name, String address, double lat, double lon, ParkingSpot[] spots, boolean longStay) { this.garageId = garageId; this.name = name; this.address = address; this.lat = lat; this.lon = lon; this.spots = spots; this.longStay = longStay; }
    }

    /** Reference data: every garage and spot of the operator, loaded from the asset database at startup. */
    static final class GarageDirectory {
        static final Map<String, Garage> GARAGES_BY_ID = new HashMap<>();
    }

    static final class Permit {
        final String plate; final String holderName; final String garageId; final String kind; final long issuedAt; final long validUntil; long lastEntryAt;
        Permit(String plate, String holderName, String garageId, String kind, long issuedAt, long validUntil, long lastEntryAt) { this.plate = plate; this.holderName = holderName; this.garageId = garageId; this.kind = kind; this.issuedAt = issuedAt; this.validUntil = validUntil; this.lastEntryAt = lastEntryAt; }
    }

    /** Residents' and commuters' permits, keyed by plate; renewed yearly, so issue dates go back years. */
    static final class PermitRegistry {
        final Map<String, Permit> permits = new HashMap<>();
    }

    static final class ParkingSession {
        final long ticketId; final String plate; final String garageId; final String spotCode; final long enteredAt; final long plannedExitAt; final boolean prepaid;
        ParkingSession(long ticketId, String plate, String garageId, String spotCode, long enteredAt, long plannedExitAt, boolean prepaid) { this.ticketId = ticketId; this.plate = plate; this.garageId = garageId; this.spotCode = spotCode; this.enteredAt = enteredAt; this.plannedExitAt = plannedExitAt; this.prepaid = prepaid; }
    }

    /** Cars currently inside a garage; a session is removed when the car leaves through an exit gate. */
    static final class SessionTracker {
        final Map<Long, ParkingSession> open = new ConcurrentHashMap<>();
        long exits;
    }

    static final class PlateRead {
        final String plate; final float confidence; final byte[] cropJpeg; final long readAt;
        PlateRead(String plate, float confidence, byte[] cropJpeg, long readAt) { this.plate = plate; this.confidence = confidence; this.cropJpeg = cropJpeg; this.readAt = readAt; }
    }

    /** A Caffeine-style bounded cache: at most {@code maximumSize} entries, the oldest write evicted first. */
    static final class BoundedCache<K, V> {
        final long maximumSize;
        final ConcurrentHashMap<K, V> data = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<K> writeOrder = new ConcurrentLinkedQueue<>();
        long evictionCount; long hitCount; long missCount;
        BoundedCache(long maximumSize) { this.maximumSize = maximumSize; }
        V getIfPresent(K k) { V v = data.get(k); if (v == null) missCount++; else hitCount++; return v; }
        void put(K k, V v) {
            if (data.put(k, v) == null) writeOrder.add(k);
            while (data.size() > maximumSize) { data.remove(writeOrder.poll()); evictionCount++; }
        }
    }

    static final class GateEvent { long at; String garageId; String plate; int gate; boolean entry; }

    static final class GateEventRing {
        final GateEvent[] slots = new GateEvent[GATE_RING];
        long written;
        void add(long at, String garageId, String plate, int gate, boolean entry) {
            GateEvent e = new GateEvent();
            e.at = at; e.garageId = garageId; e.plate = plate; e.gate = gate; e.entry = entry;
            slots[(int) (written++ % GATE_RING)] = e;
        }
    }

    static final class TerminalConnection {
        final String terminalId; final byte[] isoBuffer = new byte[8 * 1024]; final long connectedAt; long lastAuthAt; long authorisations;
        TerminalConnection(String terminalId, long connectedAt) { this.terminalId = terminalId; this.connectedAt = connectedAt; }
    }

    static final class ParkingBackend {
        final PermitRegistry permits = new PermitRegistry();
        final SessionTracker sessions = new SessionTracker();
        final BoundedCache<String, PlateRead> plateReads = new BoundedCache<>(PLATE_CACHE_MAX);
        final GateEventRing gateEvents = new GateEventRing();
        final ArrayBlockingQueue<TerminalConnection> terminals = new ArrayBlockingQueue<>(TERMINALS);
        final Properties config = new Properties();
    }

    static String plate(int n) { return String.format("%c%c-%c %04d", 'A' + n % 26, 'A' + n / 26 % 26, 'A' + n / 676 % 26, n % 10_000); }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(9_030_001);
        ParkingBackend b = new ParkingBackend();
        RUNNING = b;
        for (int i = 0; i < 100; i++) b.config.setProperty("parking.tariff.zone" + i + ".maxDailyCents", Integer.toString(1500 + i * 25));
        String[] garageIds = new String[GARAGES];
        for (int g = 0; g < GARAGES; g++) {
            String id = String.format("G%04d", g);
            garageIds[g] = id;
            ParkingSpot[] spots = new ParkingSpot[SPOTS_PER_GARAGE];
            for (int s = 0; s < SPOTS_PER_GARAGE; s++) spots[s] = new ParkingSpot(String.format("%s-L%d-S%03d", id, s / 100, s % 100), s / 100, s % 17 == 0, s % 50 == 0, 150 + (g % 9) * 50);
            GarageDirectory.GARAGES_BY_ID.put(id, new Garage(id, "Garage " + g, g + " Harbour Street, Unit " + (g % 40), 51.0 + g / 1000.0, 7.0 + g / 700.0, spots, g % 10 == 0));
        }
        for (int i = 0; i < PERMITS; i++) {
            String p = plate(i);
            b.permits.permits.put(p, new Permit(p, "Holder " + i, garageIds[i % GARAGES], i % 3 == 0 ? "RESIDENT" : "COMMUTER",
                    now - DAY * rnd.nextInt(6 * 365), now + DAY * (1 + rnd.nextInt(365)), now - HOUR * rnd.nextInt(24 * 120)));
        }
        for (int i = 0; i < TERMINALS; i++) b.terminals.add(new TerminalConnection("TRM-" + (7000 + i), start + i * 1_000L));
        // Cars already inside when the window starts (long-stay parkers who arrived in the last 3 weeks).
        long ticket = 70_000_000L;
        List<ParkingSession> departures = new ArrayList<>();
        int arrived = 0;
        for (int i = 0; i < ARRIVALS; i++) {
            long t = i < 3_000 ? start - MINUTE * rnd.nextInt(18 * 24 * 60) : start + SIM_MILLIS * (i - 3_000) / (ARRIVALS - 3_000);
            boolean longStay = i < 3_000 || rnd.nextInt(100) < 6;
            String garage = longStay ? garageIds[10 * rnd.nextInt(GARAGES / 10)] : garageIds[rnd.nextInt(GARAGES)];
            long stay = longStay ? HOUR * (24 + rnd.nextInt(20 * 24)) : MINUTE * (20 + rnd.nextInt(5 * 60));
            String plate = plate(rnd.nextInt(200_000));
            ParkingSession s = new ParkingSession(ticket++, plate, garage, GarageDirectory.GARAGES_BY_ID.get(garage).spots[rnd.nextInt(SPOTS_PER_GARAGE)].spotCode, t, t + stay, longStay);
            b.sessions.open.put(s.ticketId, s);
            arrived++;
            departures.add(s);
            if (i >= 3_000) {
                PlateRead r = b.plateReads.getIfPresent(plate);
                if (r == null) b.plateReads.put(plate, new PlateRead(plate, 0.9f, new byte[1024], t));
                b.gateEvents.add(t, garage, plate, 1 + rnd.nextInt(4), true);
                Permit pm = b.permits.permits.get(plate);
                if (pm != null) pm.lastEntryAt = t;
                // Exits due by now (processed in batches, as the gates report them).
                if (i % 50 == 0) {
                    final long tt = t;
                    departures.removeIf(d -> {
                        if (d.plannedExitAt > tt) return false;
                        b.sessions.open.remove(d.ticketId); b.sessions.exits++;
                        b.gateEvents.add(d.plannedExitAt, d.garageId, d.plate, 9, false);
                        TerminalConnection c = b.terminals.poll(); c.authorisations++; c.lastAuthAt = d.plannedExitAt; b.terminals.add(c);
                        return true;
                    });
                }
            }
        }
        long oldest = now;
        int longStays = 0;
        for (ParkingSession s : b.sessions.open.values()) { oldest = Math.min(oldest, s.enteredAt); if (s.prepaid) longStays++; }
        int spots = 0;
        for (Garage g : GarageDirectory.GARAGES_BY_ID.values()) spots += g.spots.length;
        System.out.println("garages " + GarageDirectory.GARAGES_BY_ID.size() + " spots " + spots + " permits " + b.permits.permits.size() + " open sessions " + b.sessions.open.size()
                + " (long-stay " + longStays + ", oldest " + (now - oldest) / HOUR + " h) exits " + b.sessions.exits + " plate cache " + b.plateReads.data.size()
                + " (evictions " + b.plateReads.evictionCount + ") gate events " + b.gateEvents.written + " terminals " + b.terminals.size());
        check(GarageDirectory.GARAGES_BY_ID.size() == GARAGES && spots == GARAGES * SPOTS_PER_GARAGE, "garages");
        check(b.permits.permits.size() == PERMITS, "permits");
        check(b.sessions.open.size() == arrived - b.sessions.exits && b.sessions.open.size() == departures.size() && now - oldest > 14 * DAY, "sessions");
        check(b.plateReads.data.size() == PLATE_CACHE_MAX && b.plateReads.writeOrder.size() == PLATE_CACHE_MAX && b.plateReads.evictionCount > 0, "plate cache");
        check(b.gateEvents.written > GATE_RING && b.terminals.size() == TERMINALS, "ring/terminals");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
