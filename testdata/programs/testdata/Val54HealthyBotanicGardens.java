// hprofscan-dump: name=val54-healthy-botanicgardens-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val54-healthy-botanicgardens-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val54-healthy-botanicgardens jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val54-healthy-botanicgardens-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 54 (written blind), HEALTHY: the visitor service of a botanic garden. Plant-bed
 * reference data, the member directory, a cache of rendered guide pages at its cap, a pool of
 * ticket-printer buffers, a ring of gate scans, a sensor feed on which every open visitor-app
 * session registers a listener (removed when the session ends), tour reminders scheduled with
 * scheduleAtFixedRate on one shared scheduler (cancelled when the tour ends), and a memo of
 * rendered species cards keyed by species id (bounded by the species list). Series: 1 h / 4 h /
 * 8 h; it warms up (the gate ring fills) and then stays flat. See VALIDATION54.md.
 */
public final class Val54HealthyBotanicGardens {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BEDS = 1_400, MEMBERS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, SPECIES = 800, EVENTS_PER_HOUR = 3_000;

    record Bed(String code, String collection, double[] soilMoistureByWeek) {}
    record Member(String memberId, String tier, byte[] profile, long joinedAt) {}
    record GuidePage(String key, byte[] rendered, long at) {}
    record GateScan(String memberId, int gate, long at) {}
    record SensorReading(long seq, String bedCode, int moisture, long at) {}
    record SpeciesCard(String speciesId, byte[] rendered, long at) {}
    record TourBooking(String bookingId, String memberId, String guide, byte[] itinerary, long startsAt) {}

    interface SensorListener { void onReading(SensorReading r); }

    static final class AppSession {
        final String sessionId, bedCode;
        final long endsAt;
        final byte[] viewState;
        long readings;
        SensorListener listener;
        AppSession(String sessionId, String bedCode, long endsAt, byte[] viewState) { this.sessionId = sessionId; this.bedCode = bedCode; this.endsAt = endsAt; this.viewState = viewState; }
        void onReading(SensorReading r) { readings++; if (r.bedCode().equals(bedCode)) viewState[(int) (r.seq() % viewState.length)] = (byte) r.moisture(); }
    }

    static final class SensorFeed {
        final List<SensorListener> listeners = new ArrayList<>();
        long published;
        void publish(SensorReading r) { published++; for (SensorListener l : listeners) l.onReading(r); }
    }

    static final class Tour {
        final TourBooking booking;
        final long endsAt;
        ScheduledFuture<?> reminder;
        Tour(TourBooking booking, long endsAt) { this.booking = booking; this.endsAt = endsAt; }
    }

    static final class PageCache extends LinkedHashMap<String, GuidePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GuidePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Bed> BEDS_BY_CODE = new HashMap<>();

    static final class GardenService {
        final Map<String, Member> members = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final GateScan[] scans = new GateScan[RING];
        long scanCount;
        final SensorFeed feed = new SensorFeed();
        final Map<String, AppSession> sessions = new HashMap<>();
        final Map<String, Tour> tours = new HashMap<>();
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> { Thread th = new Thread(r, "garden-reminders"); th.setDaemon(true); return th; });
        final Map<String, SpeciesCard> speciesCards = new HashMap<>();
        long sessionsOpened, toursBooked, remindersSent, cardLookups;
        GardenService() { scheduler.setRemoveOnCancelPolicy(true); }

        void openSession(AppSession s) { sessions.put(s.sessionId, s); s.listener = s::onReading; feed.listeners.add(s.listener); sessionsOpened++; }
        void closeSession(AppSession s) { sessions.remove(s.sessionId); feed.listeners.remove(s.listener); }
        void book(Tour tour) {
            TourBooking b = tour.booking;
            tour.reminder = scheduler.scheduleAtFixedRate(() -> { remindersSent++; b.itinerary()[0]++; }, 30, 30, TimeUnit.MINUTES);
            tours.put(b.bookingId(), tour);
            toursBooked++;
        }
        void finish(Tour tour) { tours.remove(tour.booking.bookingId()); tour.reminder.cancel(false); }
        SpeciesCard card(String speciesId, long t, Random r) {
            cardLookups++;
            return speciesCards.computeIfAbsent(speciesId, k -> new SpeciesCard(k, new byte[300 + r.nextInt(300)], t));
        }
    }

    static GardenService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(54_050_001);
        String[] bedCodes = new String[BEDS];
        for (int b = 0; b < BEDS; b++) {
            double[] moisture = new double[64];
            for (int k = 0; k < moisture.length; k++) moisture[k] = rnd.nextDouble() * 100;
            String code = "BED-" + (1_000 + b);
            bedCodes[b] = code;
            BEDS_BY_CODE.put(code, new Bed(code, "Collection " + (b % 40), moisture));
        }
        GardenService svc = new GardenService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        String[] tiers = {"FRIEND", "FAMILY", "PATRON", "STUDENT"};
        for (int m = 0; m < MEMBERS; m++) {
            String id = "M" + (3_300_000 + m);
            memberIds[m] = id;
            svc.members.put(id, new Member(id, tiers[m % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(54_050_002);
        PriorityQueue<AppSession> openSessions = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        PriorityQueue<Tour> runningTours = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (!openSessions.isEmpty() && openSessions.peek().endsAt <= t) svc.closeSession(openSessions.poll());
            while (!runningTours.isEmpty() && runningTours.peek().endsAt <= t) svc.finish(runningTours.poll());
            String member = memberIds[traffic.nextInt(MEMBERS)];
            svc.scans[(int) (svc.scanCount++ % RING)] = new GateScan(member, 1 + traffic.nextInt(6), t);
            String key = "guide-" + bedCodes[traffic.nextInt(BEDS)] + "-" + traffic.nextInt(5);
            if (svc.pages.get(key) == null) svc.pages.put(key, new GuidePage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.ticketBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ticketBuffers.add(buf);
            if (i % 5 == 0) svc.feed.publish(new SensorReading(i, bedCodes[traffic.nextInt(BEDS)], traffic.nextInt(100), t));
            if (i % 2 == 0) {
                svc.card("SP-" + (10_000 + traffic.nextInt(SPECIES)), t, traffic);
                AppSession s = new AppSession("app-" + Long.toString(91_000_000L + i, 36), bedCodes[traffic.nextInt(BEDS)], t + (5 + traffic.nextInt(30)) * MINUTE, new byte[200 + traffic.nextInt(200)]);
                svc.openSession(s);
                openSessions.add(s);
            }
            if (i % 10 == 0) {
                Tour tour = new Tour(new TourBooking("TB-" + (600_000 + i / 10), member, "Guide " + traffic.nextInt(30), new byte[200 + traffic.nextInt(200)], t), t + (60 + traffic.nextInt(60)) * MINUTE);
                svc.book(tour);
                runningTours.add(tour);
            }
        }
        while (!openSessions.isEmpty() && openSessions.peek().endsAt <= end) svc.closeSession(openSessions.poll());
        while (!runningTours.isEmpty() && runningTours.peek().endsAt <= end) svc.finish(runningTours.poll());
        int queued = svc.scheduler.getQueue().size();
        System.out.println("stage " + stage + " beds " + BEDS_BY_CODE.size() + " members " + svc.members.size() + " sessions opened " + svc.sessionsOpened + " open " + svc.sessions.size() + " listeners " + svc.feed.listeners.size()
                + " tours booked " + svc.toursBooked + " running " + svc.tours.size() + " scheduled " + queued + " species cards " + svc.speciesCards.size() + " (lookups " + svc.cardLookups + ") pages " + svc.pages.size()
                + " (evicted " + svc.pages.evicted + ") pool " + svc.ticketBuffers.size() + " scans " + svc.scanCount + " ring filled " + Math.min(svc.scanCount, RING));
        check(BEDS_BY_CODE.size() == BEDS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.sessionsOpened == events / 2 && svc.feed.listeners.size() == svc.sessions.size() && svc.sessions.size() == openSessions.size(), "listeners of open sessions only");
        check(svc.sessions.size() > 100 && svc.sessions.size() < 1_000, "open sessions: " + svc.sessions.size());
        check(svc.toursBooked == (events + 9) / 10 && queued == svc.tours.size() && svc.tours.size() == runningTours.size(), "reminders of running tours only: " + queued);
        check(svc.speciesCards.size() <= SPECIES && svc.speciesCards.size() > SPECIES / 2, "species memo bounded by species");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(svc.scanCount == events && (stage == 1 ? svc.scans[RING - 1] == null : svc.scans[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
