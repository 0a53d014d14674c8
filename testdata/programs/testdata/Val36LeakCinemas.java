// hprofscan-dump: name=val36-leak-cinemas jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val36-leak-cinemas-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 36 (written blind), LEAK: the seat-selection service of a cinema chain. Auditorium
 * reference data, the loyalty-member directory, a cache of rendered seat-map images at its cap, a
 * pool of ticket-printer buffers, a ring of sold tickets, the seat-map views currently open, and a
 * seat-event hub whose subscriptions are weak: each open seat-map view subscribes to seat changes
 * of its screening through a Subscription (a WeakReference to the view with the subscriber id, the
 * screening id and the time), so that a view the customer has left can be collected without
 * unsubscribing. The views are collected, but the hub never removes a cleared Subscription (no
 * ReferenceQueue, no pruning: publish() just skips it), so the list keeps one Subscription object
 * per seat-map view ever opened. See VALIDATION36.md.
 */
public final class Val36LeakCinemas {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SCREENS = 1_000, SLOTS = 6, MEMBERS = 27_000, IMAGE_CAP = 2_000, POOL = 8, RING = 16_384, OPEN_VIEWS = 40, HOURS = 10, VIEWS_PER_MINUTE = 100;
    static boolean FIXED;

    record Screen(String code, String cinema, double[] occupancyBySlot) {}
    record Member(String cardNumber, String homeCinema, String tier, byte[] preferences, long joinedAt) {}
    record SeatMapImage(String screeningId, byte[] rendered, long at) {}
    record Ticket(String screeningId, int seat, String cardNumber, int priceCents, long at) {}

    interface SeatListener { void onSeatsChanged(String screeningId, int[] seats, long at); }

    /** One customer's open seat-selection page. */
    static final class SeatMapView implements SeatListener {
        final String viewId, screeningId;
        final byte[] state;
        int updates;
        long lastUpdate;
        SeatMapView(String viewId, String screeningId, byte[] state) { this.viewId = viewId; this.screeningId = screeningId; this.state = state; }
        @Override public void onSeatsChanged(String screeningId, int[] seats, long at) { updates++; lastUpdate = at; state[seats[0] % state.length] = 1; }
    }

    static final class Subscription extends WeakReference<SeatListener> {
        final String subscriberId, screeningId;
        final long subscribedAt;
        Subscription(SeatListener listener, String subscriberId, String screeningId, long subscribedAt) {
            super(listener);
            this.subscriberId = subscriberId; this.screeningId = screeningId; this.subscribedAt = subscribedAt;
        }
    }

    static final class SeatEventHub {
        final List<Subscription> subscriptions = new ArrayList<>();
        long delivered, skippedCleared, pruned;
        void subscribe(SeatListener l, String subscriberId, String screeningId, long at) { subscriptions.add(new Subscription(l, subscriberId, screeningId, at)); }
        void publish(Map<String, int[]> changes, long at) {
            for (Subscription s : subscriptions) {
                SeatListener l = s.get();
                if (l == null) { skippedCleared++; continue; } // BUG: a cleared subscription is skipped, never removed
                int[] seats = changes.get(s.screeningId);
                if (seats != null) { l.onSeatsChanged(s.screeningId, seats, at); delivered++; }
            }
            if (FIXED) prune();
        }
        /** The fix: drop the subscriptions whose view has been collected. */
        void prune() {
            int before = subscriptions.size();
            if (subscriptions.removeIf(s -> s.get() == null)) { pruned += before - subscriptions.size(); ((ArrayList<Subscription>) subscriptions).trimToSize(); }
        }
    }

    static final class ImageCache extends LinkedHashMap<String, SeatMapImage> {
        long evicted;
        ImageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMapImage> e) { if (size() > IMAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Screen> SCREENS_BY_CODE = new HashMap<>();

    static final class SeatService {
        final Map<String, Member> members = new HashMap<>();
        final ImageCache images = new ImageCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final Ticket[] sold = new Ticket[RING];
        long tickets, views;
        final ArrayDeque<SeatMapView> openViews = new ArrayDeque<>();
        final SeatEventHub hub = new SeatEventHub();
    }

    static SeatService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val36.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(36_040_001);
        String[] screeningIds = new String[SCREENS * SLOTS];
        for (int s = 0; s < SCREENS; s++) {
            double[] occupancy = new double[80];
            for (int k = 0; k < occupancy.length; k++) occupancy[k] = rnd.nextDouble();
            String code = "AUD-" + (300 + s / 10) + "-" + (s % 10 + 1);
            SCREENS_BY_CODE.put(code, new Screen(code, "Cinema " + (300 + s / 10), occupancy));
            for (int k = 0; k < SLOTS; k++) screeningIds[s * SLOTS + k] = code + "@" + (12 + 2 * k) + "h";
        }
        SeatService svc = new SeatService();
        SERVICE = svc;
        String[] cards = new String[MEMBERS];
        String[] tiers = {"BASIC", "SILVER", "GOLD", "PLATINUM"};
        for (int m = 0; m < MEMBERS; m++) {
            cards[m] = "CC" + (4_400_000 + m * 13);
            svc.members.put(cards[m], new Member(cards[m], "Cinema " + (300 + rnd.nextInt(100)), tiers[m % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(36_040_002);
        int minutes = HOURS * 60;
        for (int m = 0; m < minutes; m++) {
            long minuteStart = start + m * MINUTE;
            Map<String, int[]> changes = new HashMap<>();
            for (int v = 0; v < VIEWS_PER_MINUTE; v++) {
                long t = minuteStart + v * (MINUTE / VIEWS_PER_MINUTE);
                String screening = screeningIds[traffic.nextInt(screeningIds.length)];
                SeatMapView view = new SeatMapView("view-" + svc.views, screening, new byte[400 + traffic.nextInt(400)]);
                svc.views++;
                svc.hub.subscribe(view, "sub-" + (10_000_000 + svc.views), screening, t);
                svc.openViews.addLast(view);
                if (svc.images.get(screening) == null) svc.images.put(screening, new SeatMapImage(screening, new byte[600 + traffic.nextInt(600)], t));
                int seats = traffic.nextInt(3) == 0 ? 0 : 1 + traffic.nextInt(4); // a third leave without buying
                for (int k = 0; k < seats; k++) {
                    int seat = traffic.nextInt(240);
                    svc.sold[(int) (svc.tickets++ % RING)] = new Ticket(screening, seat, cards[traffic.nextInt(MEMBERS)], 900 + traffic.nextInt(900), t);
                    changes.computeIfAbsent(screening, x -> new int[] {seat});
                }
                if (seats > 0) {
                    byte[] buf = svc.ticketBuffers.poll();
                    buf[(int) (svc.tickets % buf.length)] = (byte) seats;
                    svc.ticketBuffers.add(buf);
                }
                if (svc.openViews.size() > OPEN_VIEWS) svc.openViews.removeFirst(); // the customer has left the page
            }
            svc.hub.publish(changes, minuteStart + MINUTE - 1);
        }
        screeningIds = cards = null; // startup arrays dropped (keeps the main frame's roots the same whether main runs interpreted or compiled)
        rnd = traffic = null;
        System.gc();
        if (FIXED) { svc.hub.prune(); ((ArrayList<Subscription>) svc.hub.subscriptions).trimToSize(); }
        int cleared = 0;
        for (Subscription s : svc.hub.subscriptions) if (s.get() == null) cleared++;
        System.out.println((FIXED ? "FIXED " : "") + "screens " + SCREENS_BY_CODE.size() + " members " + svc.members.size() + " views " + svc.views + " open " + svc.openViews.size() + " subscriptions " + svc.hub.subscriptions.size() + " (cleared " + cleared
                + ", pruned " + svc.hub.pruned + ", delivered " + svc.hub.delivered + ") images " + svc.images.size() + " (evicted " + svc.images.evicted + ") tickets " + svc.tickets + " pool " + svc.ticketBuffers.size());
        long views = (long) minutes * VIEWS_PER_MINUTE;
        check(SCREENS_BY_CODE.size() == SCREENS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.views == views && svc.openViews.size() == OPEN_VIEWS, "views");
        if (FIXED) check(svc.hub.subscriptions.size() == OPEN_VIEWS && cleared == 0, "pruned subscriptions: " + svc.hub.subscriptions.size());
        else check(svc.hub.subscriptions.size() == views && cleared == views - OPEN_VIEWS, "every subscription kept: " + svc.hub.subscriptions.size() + " cleared " + cleared);
        check(svc.images.size() == IMAGE_CAP && svc.images.evicted > 0, "image cache at cap");
        check(svc.ticketBuffers.size() == POOL, "pool");
        check(svc.tickets > RING && svc.sold[RING - 1] != null, "ticket ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
