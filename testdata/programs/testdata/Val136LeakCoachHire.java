// hprofscan-dump: name=val136-leak-coachhire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val136-leak-coachhire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Observable;
import java.util.Observer;
import java.util.Random;

/**
 * Validation set 136 (written blind), LEAK: the quoting and booking service of a coach-hire company
 * (school trips, sports clubs, airport transfers, tours). Destination reference data, the customer
 * account directory, a cache of rendered itineraries at its cap, a pool of PDF buffers, a ring of
 * bookings, the driver-allocation queue with a normal backlog, and a long-lived FareTable (a
 * java.util.Observable: fuel surcharge and mileage rates, updated every 15 minutes). Every
 * quote-desk session opens a QuoteDeskView that calls fareTable.addObserver with a lambda
 * capturing the view (its quote-sheet buffer and draft quotes) so that open quotes are repriced
 * live; closing the session removes the view from the live-session map but never calls
 * deleteObserver, so the fare table keeps every view ever opened. See VALIDATION136.md.
 */
@SuppressWarnings("deprecation") // java.util.Observable / Observer, as the service was written
public final class Val136LeakCoachHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final long FARES_EVERY = 15 * MINUTE, ALLOCATE_AFTER = 30 * MINUTE;
    static final int DESTINATIONS = 1_000, ACCOUNTS = 20_000, ITINERARY_CAP = 2_000, ITINERARY_KEYS = 8_000, POOL = 8, RING = 4_096;
    static final int HOURS = 10, SESSIONS_PER_HOUR = 260, REQUESTS_PER_HOUR = 3_000;
    static boolean FIXED;

    record Destination(String code, String name, String kind, double[] mileageBand) {}
    record Account(String number, String name, String segment, byte[] terms, long openedAt) {}
    record Itinerary(String key, byte[] rendered, long at) {}
    record Booking(String reference, String account, String[] legs, int seats, long priceCents, long at) {}
    record FareChange(long version, double fuelSurchargePct, int pencePerMile, long at) {}

    static final class DraftQuote {
        final String quoteId; final String[] legs; final int seats; long priceCents; int repriced;
        DraftQuote(String quoteId, String[] legs, int seats, long priceCents) { this.quoteId = quoteId; this.legs = legs; this.seats = seats; this.priceCents = priceCents; }
    }

    /** Fuel surcharge and mileage rates; long-lived, one per service. */
    static final class FareTable extends Observable {
        FareChange current;
        long version, notifications;
        void publish(FareChange c) { current = c; version = c.version(); notifications += countObservers(); setChanged(); notifyObservers(c); }
    }

    /** One quote-desk session (an agent or a customer on the web): its quote sheet and draft quotes. */
    static final class QuoteDeskView {
        final String sessionId; final String account; final String agent; final long openedAt; final long closesAt;
        final byte[] quoteSheet; final List<DraftQuote> drafts = new ArrayList<>();
        Observer fareObserver; boolean closed; int repricings;
        QuoteDeskView(String sessionId, String account, String agent, long openedAt, long closesAt, byte[] quoteSheet) {
            this.sessionId = sessionId; this.account = account; this.agent = agent; this.openedAt = openedAt; this.closesAt = closesAt; this.quoteSheet = quoteSheet;
        }
        void reprice(FareChange c) {
            repricings++;
            for (DraftQuote q : drafts) { q.priceCents = q.priceCents * (1_000 + (long) (c.fuelSurchargePct() * 10)) / 1_000; q.repriced++; }
            quoteSheet[repricings % quoteSheet.length] = (byte) c.pencePerMile();
        }
    }

    static final class ItineraryCache extends LinkedHashMap<String, Itinerary> {
        long evicted;
        ItineraryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Itinerary> e) { if (size() > ITINERARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Destination> DESTINATIONS_BY_CODE = new HashMap<>();

    static final class QuoteService {
        final Map<String, Account> accounts = new HashMap<>();
        final String[] accountNumbers = new String[ACCOUNTS];
        final String[] destinationCodes = new String[DESTINATIONS];
        final ItineraryCache itineraries = new ItineraryCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Booking[] recentBookings = new Booking[RING];
        final ArrayDeque<Booking> allocationQueue = new ArrayDeque<>();
        final FareTable fares = new FareTable();
        final Map<String, QuoteDeskView> liveViews = new HashMap<>();
        final List<QuoteDeskView> liveList = new ArrayList<>();
        long sessions, closed, requests, quotes, bookings, allocated;

        void openSession(Random r, long t) {
            String id = "qd-" + Long.toHexString(0x3c00_0000L + sessions++);
            QuoteDeskView v = new QuoteDeskView(id, accountNumbers[r.nextInt(ACCOUNTS)], r.nextInt(3) == 0 ? "web" : "agent-" + (10 + r.nextInt(25)), t, t + (4 + r.nextInt(11)) * MINUTE, new byte[3_072 + r.nextInt(3_072)]);
            v.fareObserver = (o, arg) -> v.reprice((FareChange) arg);
            fares.addObserver(v.fareObserver);
            liveViews.put(id, v);
            liveList.add(v);
        }

        void closeSessions(long now) {
            for (Iterator<QuoteDeskView> it = liveList.iterator(); it.hasNext(); ) {
                QuoteDeskView v = it.next();
                if (v.closesAt > now) continue;
                v.closed = true;
                liveViews.remove(v.sessionId);
                it.remove();
                closed++;
                if (FIXED) fares.deleteObserver(v.fareObserver); // the fix; the service never did this
            }
        }

        void request(Random r, long t) {
            requests++;
            if (liveList.isEmpty()) return;
            QuoteDeskView v = liveList.get(r.nextInt(liveList.size()));
            String[] legs = new String[2 + r.nextInt(5)];
            for (int k = 0; k < legs.length; k++) legs[k] = destinationCodes[r.nextInt(DESTINATIONS)];
            int seats = 16 + r.nextInt(60);
            long price = 25_000 + r.nextInt(300_000);
            if (r.nextInt(4) != 0) {
                if (v.drafts.size() < 4) { v.drafts.add(new DraftQuote("Q" + (7_700_000 + quotes), legs, seats, price)); }
                quotes++;
                String key = "itin-" + r.nextInt(ITINERARY_KEYS);
                if (itineraries.get(key) == null) itineraries.put(key, new Itinerary(key, new byte[400 + r.nextInt(400)], t));
            } else {
                Booking b = new Booking("CH" + (300_000 + bookings), v.account, legs, seats, price, t);
                recentBookings[(int) (bookings++ % RING)] = b;
                allocationQueue.addLast(b);
                byte[] buf = pdfBuffers.poll();
                buf[(int) (bookings % buf.length)] = (byte) seats;
                pdfBuffers.add(buf);
            }
        }

        void allocateDrivers(long now) {
            while (!allocationQueue.isEmpty() && allocationQueue.peekFirst().at() <= now - ALLOCATE_AFTER) { allocationQueue.pollFirst(); allocated++; }
        }
    }

    static QuoteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(136_040_001);
        QuoteService svc = new QuoteService();
        SERVICE = svc;
        String[] kinds = {"airport", "stadium", "school", "theme park", "city centre", "coast", "conference venue"};
        for (int d = 0; d < DESTINATIONS; d++) {
            double[] bands = new double[48];
            for (int k = 0; k < bands.length; k++) bands[k] = 5 + rnd.nextDouble() * 400;
            svc.destinationCodes[d] = "DST-" + (4_000 + d);
            DESTINATIONS_BY_CODE.put(svc.destinationCodes[d], new Destination(svc.destinationCodes[d], "Destination " + d, kinds[d % kinds.length], bands));
        }
        String[] segments = {"school", "sports club", "tour operator", "corporate", "wedding", "church group"};
        for (int i = 0; i < ACCOUNTS; i++) {
            svc.accountNumbers[i] = "CA" + (600_000 + i * 11);
            svc.accounts.put(svc.accountNumbers[i], new Account(svc.accountNumbers[i], "Customer " + i, segments[rnd.nextInt(segments.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        svc.fares.publish(new FareChange(1, 4.5, 210, start));
        Random traffic = new Random(136_040_002), sessions = new Random(136_040_003), fuel = new Random(136_040_004);
        int requests = REQUESTS_PER_HOUR * HOURS, opens = SESSIONS_PER_HOUR * HOURS;
        long nextMinute = start + MINUTE, nextFares = start + FARES_EVERY;
        int o = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextMinute <= t) {
                svc.closeSessions(nextMinute);
                svc.allocateDrivers(nextMinute);
                if (nextFares <= nextMinute) { svc.fares.publish(new FareChange(svc.fares.version + 1, 2 + fuel.nextInt(80) / 10.0, 180 + fuel.nextInt(60), nextFares)); nextFares += FARES_EVERY; }
                nextMinute += MINUTE;
            }
            while (o < opens && (long) o * requests <= (long) i * opens) { svc.openSession(sessions, t); o++; }
            svc.request(traffic, t);
        }
    }

    static void verify() {
        QuoteService svc = SERVICE;
        int observers = svc.fares.countObservers();
        long drafts = 0;
        for (QuoteDeskView v : svc.liveList) drafts += v.drafts.size();
        System.out.println((FIXED ? "FIXED " : "") + "destinations " + DESTINATIONS_BY_CODE.size() + " accounts " + svc.accounts.size() + " sessions " + svc.sessions + " closed " + svc.closed + " live " + svc.liveViews.size()
                + " observers " + observers + " fare versions " + svc.fares.version + " notifications " + svc.fares.notifications + " requests " + svc.requests + " quotes " + svc.quotes + " bookings " + svc.bookings
                + " allocated " + svc.allocated + " backlog " + svc.allocationQueue.size() + " itineraries " + svc.itineraries.size() + " (evicted " + svc.itineraries.evicted + ") live drafts " + drafts);
        check(DESTINATIONS_BY_CODE.size() == DESTINATIONS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(svc.sessions == (long) SESSIONS_PER_HOUR * HOURS && svc.requests == (long) REQUESTS_PER_HOUR * HOURS, "traffic");
        check(svc.pdfBuffers.size() == POOL && svc.recentBookings[RING - 1] != null, "pool / ring");
        check(svc.itineraries.size() == ITINERARY_CAP && svc.itineraries.evicted > 0, "itineraries at cap");
        check(svc.liveViews.size() == 45 && svc.liveList.size() == 45 && svc.closed == svc.sessions - 45 && drafts == 139, "live sessions " + svc.liveViews.size());
        check(svc.allocationQueue.size() == 385 && svc.bookings == 7_447 && svc.quotes == 22_553 && svc.itineraries.evicted == 15_226, "allocation backlog " + svc.allocationQueue.size());
        if (FIXED) check(observers == svc.liveViews.size() && svc.fares.notifications == 1_525, "fixed: observers " + observers + " notifications " + svc.fares.notifications);
        else check(observers == svc.sessions && svc.fares.notifications == 50_803, "observers " + observers + " notifications " + svc.fares.notifications);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val136.fixed");
        run();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
