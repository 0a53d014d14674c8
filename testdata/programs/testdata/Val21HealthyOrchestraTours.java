// hprofscan-dump: name=val21-healthy-orchestratours jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
// hprofscan-dump: name=val21-healthy-orchestratours-parallel jvm="-Xmx256m -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 21 (written blind), HEALTHY: the touring office of a symphony orchestra. Per-
 * musician travel preferences sit in a {@code WeakHashMap<Musician, TravelPrefs>} keyed by the
 * roster's live {@code Musician}s (the prefs hold only the musician id: entries of musicians who
 * left the roster are expunged); three shutdown hooks are registered once at startup; ticket sales
 * are mirrored to the box office over an {@code ObjectOutputStream} reset every 50 messages; every
 * tour is an event-sourced aggregate whose events are cleared once persisted, with at most 5
 * snapshots. Plus the venue and repertoire reference data, a seat-hold cache at its cap, a pool of
 * itinerary builders, a ring of ticket sales. 10 h of traffic. See testdata/VALIDATION21.md.
 */
public final class Val21HealthyOrchestraTours {
    static final long HOUR = 3_600_000L;
    static final int VENUES = 4_000, SCORES = 15_000, MUSICIANS = 1_000, LEFT = 200, TOURS = 400, HOLD_CAP = 3_000, BUILDERS = 32, RING = 8_192;
    static final int HOURS = 10, SALES_PER_HOUR = 1_500, EVENTS_PER_HOUR = 1_000, RESET_EVERY = 50, SNAPSHOTS_KEPT = 5, SNAPSHOT_EVERY = 5;

    record Venue(String id, String city, int[] seatMap) {}
    record Score(String id, String composer, String title, String partsNotes) {}
    record SeatHold(String key, int[] seats, long heldAt) {}
    record TicketSale(String concertId, int seat, long cents, long at) {}
    record TourEvent(long seq, String type, String detail, long at) {}
    record TourSnapshot(long version, int concerts, long at) {}

    static final class Musician { final String id, name, instrument; final long joinedAt; Musician(String id, String name, String instrument, long joinedAt) { this.id = id; this.name = name; this.instrument = instrument; this.joinedAt = joinedAt; } }
    static final class TravelPrefs { final String musicianId; final String diet; final int[] seatPreferences = new int[16]; TravelPrefs(String musicianId, String diet) { this.musicianId = musicianId; this.diet = diet; } }
    static final class ItineraryBuilder { final StringBuilder sb = new StringBuilder(8 * 1024); boolean busy; }

    static final class SaleMessage implements Serializable {
        private static final long serialVersionUID = 1L;
        final String concertId; final int seat; final long cents, at;
        SaleMessage(String concertId, int seat, long cents, long at) { this.concertId = concertId; this.seat = seat; this.cents = cents; this.at = at; }
    }

    static final class CountingSink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class BoxOfficeMirror {
        final CountingSink wire = new CountingSink(); final ObjectOutputStream out; long sent, resets;
        BoxOfficeMirror() throws IOException { out = new ObjectOutputStream(wire); }
        void send(SaleMessage m) throws IOException { out.writeObject(m); out.flush(); if (++sent % RESET_EVERY == 0) { out.reset(); resets++; } }
    }

    static final class TourAggregate {
        final String id; long version; int concerts;
        final List<TourEvent> pendingEvents = new ArrayList<>();
        final ArrayDeque<TourSnapshot> snapshots = new ArrayDeque<>();
        TourAggregate(String id) { this.id = id; }
        void raise(TourEvent e) { pendingEvents.add(e); version++; if (e.type().equals("CONCERT_ADDED")) concerts++; }
        void markCommitted(long at) {
            pendingEvents.clear();
            if (version % SNAPSHOT_EVERY == 0) { snapshots.addLast(new TourSnapshot(version, concerts, at)); if (snapshots.size() > SNAPSHOTS_KEPT) snapshots.removeFirst(); }
        }
    }

    static final class HoldCache extends LinkedHashMap<String, SeatHold> {
        long evicted;
        HoldCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatHold> e) { if (size() > HOLD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Venue> VENUES_BY_ID = new HashMap<>();
    static final Map<String, Score> LIBRARY = new HashMap<>();

    static final class TouringOffice {
        final Map<String, Musician> roster = new HashMap<>();
        final Map<Musician, TravelPrefs> prefs = new WeakHashMap<>();
        final Map<String, TourAggregate> tours = new HashMap<>();
        final HoldCache holds = new HoldCache();
        final ArrayDeque<ItineraryBuilder> builders = new ArrayDeque<>();
        final TicketSale[] sales = new TicketSale[RING];
        long salesWritten, eventsPersisted;
        BoxOfficeMirror mirror;
    }

    static TouringOffice OFFICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int registeredHooks() throws Exception {
        Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        f.setAccessible(true);
        return ((Map<?, ?>) f.get(null)).size();
    }

    static int handles(ObjectOutputStream out) throws Exception {
        Field h = ObjectOutputStream.class.getDeclaredField("handles");
        h.setAccessible(true);
        Object table = h.get(out);
        Field size = table.getClass().getDeclaredField("size");
        size.setAccessible(true);
        return size.getInt(table);
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - HOURS * HOUR;
        Random rnd = new Random(21_060_001);
        int hooksBefore = registeredHooks();
        TouringOffice office = new TouringOffice();
        OFFICE = office;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("flushing box-office mirror"), "mirror-flush"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("releasing seat holds"), "holds-release"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("closing travel agent session"), "agent-logout"));
        for (int v = 0; v < VENUES; v++) {
            int[] seats = new int[200];
            for (int k = 0; k < seats.length; k++) seats[k] = rnd.nextInt(40);
            String id = "VEN-" + (2_000 + v);
            VENUES_BY_ID.put(id, new Venue(id, "City " + (v % 600), seats));
        }
        StringBuilder notes = new StringBuilder();
        for (int s = 0; s < SCORES; s++) {
            notes.setLength(0);
            int len = 300 + rnd.nextInt(400);
            while (notes.length() < len) notes.append("desk ").append(rnd.nextInt(20)).append(" divisi; ");
            String id = "SCR-" + (100_000 + s);
            LIBRARY.put(id, new Score(id, "Composer " + (s % 900), "Work " + s, notes.toString()));
        }
        String[] instruments = {"violin", "viola", "cello", "double bass", "flute", "oboe", "clarinet", "bassoon", "horn", "trumpet", "timpani"};
        for (int m = 0; m < MUSICIANS + LEFT; m++) {
            Musician mu = new Musician("MUS-" + (5_000 + m), "Musician " + m, instruments[m % instruments.length], now - (long) rnd.nextInt(25 * 365) * 24 * HOUR);
            office.roster.put(mu.id, mu);
            TravelPrefs p = new TravelPrefs(mu.id, m % 4 == 0 ? "vegetarian" : "none");
            for (int k = 0; k < p.seatPreferences.length; k++) p.seatPreferences[k] = rnd.nextInt(3);
            office.prefs.put(mu, p);
        }
        for (int m = 0; m < LEFT; m++) office.roster.remove("MUS-" + (5_000 + MUSICIANS + m)); // retired or left this season
        for (int t = 0; t < TOURS; t++) office.tours.put("TOUR-" + (900 + t), new TourAggregate("TOUR-" + (900 + t)));
        for (int b = 0; b < BUILDERS; b++) office.builders.add(new ItineraryBuilder());
        office.mirror = new BoxOfficeMirror();
        Random traffic = new Random(21_060_002);
        int sales = HOURS * SALES_PER_HOUR;
        for (int i = 0; i < sales; i++) {
            long t = start + (now - start) * i / sales;
            String concert = "CON-" + (40_000 + traffic.nextInt(3_000));
            TicketSale sale = new TicketSale(concert, traffic.nextInt(2_000), 2_500 + traffic.nextInt(20_000), t);
            office.sales[(int) (office.salesWritten++ % RING)] = sale;
            office.mirror.send(new SaleMessage(concert, sale.seat(), sale.cents(), t));
            int[] seats = new int[2 + traffic.nextInt(6)];
            for (int k = 0; k < seats.length; k++) seats[k] = traffic.nextInt(2_000);
            office.holds.put(concert + "#" + i, new SeatHold(concert + "#" + i, seats, t));
        }
        String[] types = {"CONCERT_ADDED", "HOTEL_BOOKED", "FLIGHT_BOOKED", "SOLOIST_CONFIRMED", "PROGRAMME_CHANGED"};
        int events = HOURS * EVENTS_PER_HOUR;
        for (int e = 0; e < events; e++) {
            long t = start + (now - start) * e / events;
            TourAggregate tour = office.tours.get("TOUR-" + (900 + e % TOURS));
            ItineraryBuilder b = office.builders.poll();
            b.busy = true; b.sb.setLength(0); b.sb.append(tour.id).append(' ').append(types[e % types.length]);
            tour.raise(new TourEvent(e + 1, types[traffic.nextInt(types.length)], b.sb.toString(), t));
            b.busy = false; office.builders.push(b);
            office.eventsPersisted += tour.pendingEvents.size();
            tour.markCommitted(t);
        }
        int prefEntries = 0;
        for (int attempt = 0; attempt < 10; attempt++) { System.gc(); Thread.sleep(50); prefEntries = office.prefs.size(); if (prefEntries == MUSICIANS) break; }
        int liveKeys = 0;
        for (Musician mu : office.prefs.keySet()) if (office.roster.get(mu.id) == mu) liveKeys++;
        long pending = 0, snapshots = 0;
        for (TourAggregate a : office.tours.values()) { pending += a.pendingEvents.size(); snapshots += a.snapshots.size(); }
        int hooks = registeredHooks(), handles = handles(office.mirror.out);
        System.out.println("venues " + VENUES_BY_ID.size() + " scores " + LIBRARY.size() + " roster " + office.roster.size() + " prefs entries " + prefEntries + " (live keys " + liveKeys + ") shutdown hooks " + hooks + " mirror sent " + office.mirror.sent + " resets " + office.mirror.resets + " handles " + handles + " tours " + office.tours.size() + " events " + events + " persisted " + office.eventsPersisted + " pending " + pending + " snapshots " + snapshots + " holds " + office.holds.size() + " (evicted " + office.holds.evicted + ") sales written " + office.salesWritten + " idle builders " + office.builders.size());
        check(VENUES_BY_ID.size() == VENUES && LIBRARY.size() == SCORES && office.roster.size() == MUSICIANS, "reference data");
        check(prefEntries == MUSICIANS && liveKeys == MUSICIANS, "travel prefs");
        check(hooks == hooksBefore + 3, "shutdown hooks " + hooks);
        check(office.mirror.sent == sales && office.mirror.resets == sales / RESET_EVERY && handles == 0, "box-office mirror: handles " + handles);
        check(office.eventsPersisted == events && pending == 0 && snapshots == (long) TOURS * SNAPSHOTS_KEPT, "tours: snapshots " + snapshots);
        check(office.holds.size() == HOLD_CAP && office.holds.evicted == sales - HOLD_CAP, "seat-hold cache at its cap");
        check(office.salesWritten == sales && office.sales[RING - 1] != null && office.builders.size() == BUILDERS, "sales ring and builders");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        Runtime.getRuntime().halt(0);
    }
}
