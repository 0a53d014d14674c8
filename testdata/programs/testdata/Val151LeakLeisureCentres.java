// hprofscan-dump: name=val151-leak-leisurecentres jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val151-leak-leisurecentres-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Validation set 151 (written blind), LEAK: the booking service of a council's leisure centres
 * (swim lanes, courts, fitness classes). Centre reference data, the member directory, a cache of
 * rendered timetables at its cap, a pool of ticket-printer buffers, a ring of turnstile entries, and
 * an in-process event bus (Map<Class<?>, List<Consumer<?>>>). Each booking-wizard session subscribes
 * to SlotReleased and PriceChanged with method references (this::onSlotReleased) when it opens and
 * unsubscribes with new method references when it closes: a second this::onSlotReleased is a new
 * object, not equal to the first, so the removal silently finds nothing and every session ever opened
 * stays subscribed, with its draft basket and held slots. See VALIDATION151.md.
 */
public final class Val151LeakLeisureCentres {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CENTRES = 600, MEMBERS = 26_000, TIMETABLE_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10,
            SESSIONS_PER_HOUR = 1_500, ENTRIES_PER_HOUR = 5_000, RELEASES_PER_HOUR = 60, PRICE_CHANGES_PER_HOUR = 6;
    static final String[] ACTIVITIES = {"lane-swim", "badminton", "squash", "spin", "yoga", "aqua-fit", "five-a-side", "climbing-wall"};
    static boolean FIXED;

    record Centre(String code, String town, double[] occupancyByHour) {}
    record Member(String card, String homeCentre, byte[] healthDeclaration, long joinedAt) {}
    record Timetable(String key, byte[] rendered, long at) {}
    record TurnstileEntry(String card, String centre, long at) {}
    record SlotHold(String centre, String activity, long slotStart) {}
    record SlotReleased(String centre, String activity, long slotStart, long at) {}
    record PriceChanged(String activity, int pence, long at) {}
    record BookingConfirmed(String card, String centre, long at) {}

    /** In-process event bus: handlers per event type. */
    static final class EventBus {
        final Map<Class<?>, List<Consumer<?>>> handlers = new HashMap<>();
        long posted, delivered, removeMisses;
        <T> void subscribe(Class<T> type, Consumer<? super T> handler) {
            handlers.computeIfAbsent(type, k -> new ArrayList<>()).add(handler);
        }
        <T> void unsubscribe(Class<T> type, Consumer<? super T> handler) {
            List<Consumer<?>> list = handlers.get(type);
            if (list == null || !list.remove(handler)) removeMisses++; // silently ignored by the callers
        }
        @SuppressWarnings("unchecked")
        <T> void post(T event) {
            posted++;
            List<Consumer<?>> list = handlers.get(event.getClass());
            if (list == null) return;
            for (int i = 0; i < list.size(); i++) { ((Consumer<T>) list.get(i)).accept(event); delivered++; }
        }
        int count(Class<?> type) { List<Consumer<?>> l = handlers.get(type); return l == null ? 0 : l.size(); }
    }

    /** A member's booking wizard (web or kiosk): short-lived, a few minutes. */
    static final class BookingSession {
        final String card;
        final byte[] draftBasket;
        final List<SlotHold> holds = new ArrayList<>();
        final long openedAt;
        int releasesSeen, priceChangesSeen;
        Consumer<SlotReleased> releasedHandle;
        Consumer<PriceChanged> priceHandle;
        BookingSession(String card, byte[] draftBasket, long openedAt) { this.card = card; this.draftBasket = draftBasket; this.openedAt = openedAt; }
        void onSlotReleased(SlotReleased e) { releasesSeen++; }
        void onPriceChanged(PriceChanged e) { priceChangesSeen++; }
        void open(EventBus bus) {
            if (FIXED) {
                releasedHandle = this::onSlotReleased;
                priceHandle = this::onPriceChanged;
                bus.subscribe(SlotReleased.class, releasedHandle);
                bus.subscribe(PriceChanged.class, priceHandle);
            } else {
                bus.subscribe(SlotReleased.class, this::onSlotReleased);
                bus.subscribe(PriceChanged.class, this::onPriceChanged);
            }
        }
        void close(EventBus bus) {
            if (FIXED) {
                bus.unsubscribe(SlotReleased.class, releasedHandle);
                bus.unsubscribe(PriceChanged.class, priceHandle);
                releasedHandle = null;
                priceHandle = null;
            } else {
                // BUG: new method-reference objects, not equal to the ones subscribed: nothing is removed
                bus.unsubscribe(SlotReleased.class, this::onSlotReleased);
                bus.unsubscribe(PriceChanged.class, this::onPriceChanged);
            }
        }
    }

    static final class TimetableCache extends LinkedHashMap<String, Timetable> {
        long evicted;
        TimetableCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Timetable> e) { if (size() > TIMETABLE_CAP) { evicted++; return true; } return false; }
    }

    /** Long-lived subscribers, registered once at startup. */
    static final class OccupancyDashboard {
        long releases, confirmations;
        void register(EventBus bus) { bus.subscribe(SlotReleased.class, e -> releases++); bus.subscribe(BookingConfirmed.class, e -> confirmations++); }
    }
    static final class EmailNotifier {
        long priceMails;
        void register(EventBus bus) { bus.subscribe(PriceChanged.class, e -> priceMails++); }
    }

    static final Map<String, Centre> CENTRES_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Member> members = new HashMap<>();
        final TimetableCache timetables = new TimetableCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final TurnstileEntry[] entries = new TurnstileEntry[RING];
        final EventBus bus = new EventBus();
        final OccupancyDashboard dashboard = new OccupancyDashboard();
        final EmailNotifier notifier = new EmailNotifier();
        final ArrayDeque<BookingSession> open = new ArrayDeque<>(); // sessions currently open (closed after a few minutes)
        long entered, sessionsOpened, sessionsClosed, bookings;
    }

    static BookingService SERVICE;

    /** A member opens the booking wizard (its own frame: main keeps no session or buffer). Returns the slots held. */
    static int openSession(BookingService svc, String card, String[] centreCodes, Random traffic, long t, int i) {
        BookingSession s = new BookingSession(card, new byte[200 + traffic.nextInt(200)], t);
        int holds = 1 + traffic.nextInt(3);
        for (int h = 0; h < holds; h++) s.holds.add(new SlotHold(centreCodes[traffic.nextInt(CENTRES)], ACTIVITIES[traffic.nextInt(ACTIVITIES.length)], t + (1 + traffic.nextInt(72)) * HOUR));
        s.open(svc.bus);
        svc.open.addLast(s);
        svc.sessionsOpened++;
        if (traffic.nextInt(3) > 0) { svc.bus.post(new BookingConfirmed(card, s.holds.get(0).centre(), t)); svc.bookings++; }
        String key = "tt-" + traffic.nextInt(CENTRES) + "-" + traffic.nextInt(14);
        if (svc.timetables.get(key) == null) svc.timetables.put(key, new Timetable(key, new byte[600 + traffic.nextInt(600)], t));
        byte[] buf = svc.ticketBuffers.poll();
        buf[i % buf.length] = (byte) i;
        svc.ticketBuffers.add(buf);
        return holds;
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val151.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(151_030_001);
        String[] centreCodes = new String[CENTRES];
        for (int c = 0; c < CENTRES; c++) {
            double[] occ = new double[84];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "LC-" + (400 + c);
            centreCodes[c] = code;
            CENTRES_BY_CODE.put(code, new Centre(code, "Town " + (c % 150), occ));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] cards = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            String card = "M" + (60_000_000 + m * 7);
            cards[m] = card;
            svc.members.put(card, new Member(card, centreCodes[rnd.nextInt(CENTRES)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        svc.dashboard.register(svc.bus);
        svc.notifier.register(svc.bus);

        Random traffic = new Random(151_030_002);
        int sessions = SESSIONS_PER_HOUR * HOURS, entries = ENTRIES_PER_HOUR * HOURS;
        int releases = RELEASES_PER_HOUR * HOURS, priceChanges = PRICE_CHANGES_PER_HOUR * HOURS;
        int total = sessions + entries + releases + priceChanges;
        long expectedHolds = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - MINUTE - start) * i / total;
            // close sessions opened more than 4 minutes ago
            while (!svc.open.isEmpty() && svc.open.peekFirst().openedAt <= t - 4 * MINUTE) {
                svc.open.pollFirst().close(svc.bus);
                svc.sessionsClosed++;
            }
            int kind = traffic.nextInt(total);
            if (kind < sessions) {
                expectedHolds += openSession(svc, cards[traffic.nextInt(MEMBERS)], centreCodes, traffic, t, i);
            } else if (kind < sessions + entries) {
                svc.entries[(int) (svc.entered++ % RING)] = new TurnstileEntry(cards[traffic.nextInt(MEMBERS)], centreCodes[traffic.nextInt(CENTRES)], t);
            } else if (kind < sessions + entries + releases) {
                svc.bus.post(new SlotReleased(centreCodes[traffic.nextInt(CENTRES)], ACTIVITIES[traffic.nextInt(ACTIVITIES.length)], t + HOUR, t));
            } else {
                svc.bus.post(new PriceChanged(ACTIVITIES[traffic.nextInt(ACTIVITIES.length)], 350 + traffic.nextInt(600), t));
            }
        }
        long opened = svc.sessionsOpened, closed = svc.sessionsClosed, stillOpen = svc.open.size();
        int releasedSubs = svc.bus.count(SlotReleased.class), priceSubs = svc.bus.count(PriceChanged.class);
        System.out.println((FIXED ? "FIXED " : "") + "centres " + CENTRES_BY_CODE.size() + " members " + svc.members.size() + " sessions opened " + opened
                + " closed " + closed + " open " + stillOpen + " holds " + expectedHolds + " SlotReleased subscribers " + releasedSubs + " PriceChanged subscribers " + priceSubs
                + " BookingConfirmed subscribers " + svc.bus.count(BookingConfirmed.class) + " remove misses " + svc.bus.removeMisses + " posted " + svc.bus.posted
                + " delivered " + svc.bus.delivered + " timetables " + svc.timetables.size() + " (evicted " + svc.timetables.evicted + ") pool " + svc.ticketBuffers.size() + " entries " + svc.entered);
        check(CENTRES_BY_CODE.size() == CENTRES && svc.members.size() == MEMBERS, "reference data / directory");
        check(opened == closed + stillOpen && stillOpen > 0 && stillOpen < 500, "sessions");
        if (FIXED) check(releasedSubs == 1 + stillOpen && priceSubs == 1 + stillOpen && svc.bus.removeMisses == 0, "only open sessions subscribed");
        else check(releasedSubs == 1 + opened && priceSubs == 1 + opened && svc.bus.removeMisses == 2 * closed, "every session stays subscribed");
        check(svc.bus.count(BookingConfirmed.class) == 1, "dashboard");
        check(svc.timetables.size() == TIMETABLE_CAP && svc.timetables.evicted > 0, "timetable cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(svc.entries[RING - 1] != null && svc.entered > RING, "ring");
        svc = null; cards = null; centreCodes = null; rnd = null; traffic = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
