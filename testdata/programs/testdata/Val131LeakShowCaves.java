// hprofscan-dump: name=val131-leak-showcaves-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val131-leak-showcaves-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val131-leak-showcaves jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val131-leak-showcaves-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 131 (written blind), LEAK (growth series): the online ticket shop of a show-cave
 * operator (guided tours of 36 caves in time slots). Tour products (reference data), the slot
 * directory, a cache of rendered tour cards at its cap, a pool of ticket-PDF buffers, a ring of
 * recent orders, a confirmation-mail queue with its normal backlog, and the visitors' sessions in a
 * ConcurrentHashMap swept by a scheduleAtFixedRate task of the shop's housekeeping scheduler.
 * 37.5 minutes into the run the visitor-centre kiosk (a partner embed) opens a session whose
 * "idleTimeout" attribute is "45m" instead of "45"; the next sweep's Integer.parseInt throws, the
 * scheduler cancels the sweeper's later runs (its future completes exceptionally; nobody looks), and
 * every session since stays, cart and holds included. The scheduler and its three other periodic
 * tasks (metrics, mail dispatch, availability) keep running. See VALIDATION131.md.
 */
public final class Val131LeakShowCaves {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int CAVES = 36, TOURS = 1_200, SLOTS = 20_000, CARD_CAP = 2_000, POOL = 8, ORDER_RING = 1_024, METRICS_RING = 240;
    static final int VISITORS_PER_HOUR = 2_400, IDLE_MINUTES = 30, MAIL_BATCH = 60;
    /** The visitor-centre kiosk's session: visitor number 1,500, 37.5 minutes into the run. */
    static final int KIOSK_VISITOR = 1_500;
    static final String[] KINDS = {"Classic", "Lantern", "Adventure crawl", "Family", "Photography"};
    static final String[] LANGUAGES = {"en", "fr", "de", "nl", "es", "it"};
    static final String[] LOCALES = {"en-GB", "fr-FR", "de-DE", "nl-NL", "es-ES", "it-IT"};
    static final String[] AGENTS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
        "ShowCavesApp/3.8.1 (Android 13)", "ShowCavesApp/3.8.1 (iOS 17.4)"};
    static final String[] REFERRERS = {"www.google.com", "www.bing.com", "www.tripadvisor.co.uk", "www.visitwales.com", "www.facebook.com", "www.instagram.com", "duckduckgo.com"};
    static final String[] GUIDES = {"Ffion", "Gareth", "Rhys", "Carys", "Owain", "Sian", "Dylan", "Megan", "Iwan", "Nia", "Bethan", "Aled"};
    static boolean FIXED;

    record Cave(String code, String name, String region, int depthMetres) {}
    record TourProduct(String code, String caveCode, String kind, String language, int minutes, int adultCents, double[] demandByQuarterHour) {}
    record TourCard(String key, byte[] rendered, long at) {}
    record CartLine(String slotId, int adults, int children, int priceCents, long heldAt) {}
    record Order(String orderRef, String sessionId, int tickets, int totalCents, long at) {}
    record ConfirmationMail(String orderRef, String to, String subject, byte[] body, long queuedAt) {}
    record MetricsSnapshot(long at, int sessions, long orders, int heldSeats, int mailBacklog) {}

    static final class TourSlot {
        final String slotId; final String tourCode; final long startsAt; final int capacity; final String guide; final byte[] notes;
        int held, sold;
        TourSlot(String slotId, String tourCode, long startsAt, int capacity, String guide, byte[] notes) { this.slotId = slotId; this.tourCode = tourCode; this.startsAt = startsAt; this.capacity = capacity; this.guide = guide; this.notes = notes; }
    }

    static final class Cart {
        final ArrayList<CartLine> lines = new ArrayList<>(4);
        int totalCents;
    }

    static final class VisitorSession {
        final String id; final long createdAt; final String channel; final String csrfToken;
        final Map<String, Object> attributes = new HashMap<>();
        final ArrayList<String> viewedTours = new ArrayList<>(8);
        final Cart cart = new Cart();
        volatile long lastSeen;
        String orderRef;
        VisitorSession(String id, long createdAt, String channel, String csrfToken) { this.id = id; this.createdAt = createdAt; this.channel = channel; this.csrfToken = csrfToken; this.lastSeen = createdAt; }
    }

    static final class CardCache extends LinkedHashMap<String, TourCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TourCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    /** Stands for the wall clock (set by the simulation, read by the tasks). */
    static final class ShopClock { long now; }

    static final Map<String, Cave> CAVES_BY_CODE = new HashMap<>();
    static final Map<String, TourProduct> TOURS_BY_CODE = new HashMap<>();

    static final class SessionStore {
        final ConcurrentHashMap<String, VisitorSession> sessions = new ConcurrentHashMap<>();
        final TicketShop shop;
        long created, expired, sweeps;
        SessionStore(TicketShop shop) { this.shop = shop; }

        int timeoutMinutes(VisitorSession s) {
            Object v = s.attributes.get("idleTimeout"); // partner embeds configure their own
            return v == null ? IDLE_MINUTES : Integer.parseInt((String) v);
        }

        /** Periodic: expires the sessions idle longer than their timeout and gives back their held seats. */
        void sweep(long now) {
            sweeps++;
            for (Iterator<VisitorSession> it = sessions.values().iterator(); it.hasNext(); ) {
                VisitorSession s = it.next();
                int timeout;
                if (FIXED) {
                    try { timeout = timeoutMinutes(s); } catch (NumberFormatException e) { timeout = IDLE_MINUTES; }
                } else {
                    timeout = timeoutMinutes(s);
                }
                if (now - s.lastSeen > timeout * MINUTE) {
                    shop.releaseHolds(s);
                    it.remove();
                    expired++;
                }
            }
        }
    }

    static final class TicketShop {
        final ShopClock clock = new ShopClock();
        final Map<String, TourSlot> slots = new HashMap<>();
        final String[] slotIds = new String[SLOTS];
        final String[] tourCodes = new String[TOURS];
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[ORDER_RING];
        final ArrayDeque<ConfirmationMail> mailQueue = new ArrayDeque<>();
        final MetricsSnapshot[] metrics = new MetricsSnapshot[METRICS_RING];
        final Map<String, int[]> availabilityByCave = new HashMap<>();
        final SessionStore store = new SessionStore(this);
        final Housekeeping housekeeping = new Housekeeping();
        long orders, mailsSent, metricsRuns, mailRuns, availabilityRuns, cardsRendered, pdfsRendered;
        int heldSeats;

        void hold(VisitorSession s, TourSlot slot, int adults, int children, long at) {
            TourProduct p = TOURS_BY_CODE.get(slot.tourCode);
            int price = adults * p.adultCents() + children * (p.adultCents() / 2);
            s.cart.lines.add(new CartLine(slot.slotId, adults, children, price, at));
            s.cart.totalCents += price;
            slot.held += adults + children;
            heldSeats += adults + children;
        }

        void releaseHolds(VisitorSession s) {
            for (CartLine l : s.cart.lines) {
                slots.get(l.slotId()).held -= l.adults() + l.children();
                heldSeats -= l.adults() + l.children();
            }
        }

        void checkout(VisitorSession s, Random r, long at) {
            int tickets = 0;
            for (CartLine l : s.cart.lines) {
                TourSlot slot = slots.get(l.slotId());
                int n = l.adults() + l.children();
                slot.held -= n; heldSeats -= n; slot.sold += n; tickets += n;
            }
            String ref = "SC" + (4_100_000 + orders);
            Order o = new Order(ref, s.id, tickets, s.cart.totalCents, at);
            recentOrders[(int) (orders++ % ORDER_RING)] = o;
            byte[] buf = pdfBuffers.poll();
            buf[(int) (orders % buf.length)] = (byte) tickets;
            pdfsRendered++;
            pdfBuffers.add(buf);
            s.orderRef = ref;
            s.cart.lines.clear();
            s.cart.totalCents = 0;
            mailQueue.add(new ConfirmationMail(ref, "visitor" + (orders * 7 + 3) + "@example.net", "Your cave tour tickets " + ref, new byte[300 + r.nextInt(400)], at));
        }

        TourCard card(String tourCode, String locale, Random r, long at) {
            String key = tourCode + "/" + locale;
            TourCard c = cards.get(key);
            if (c == null) { c = new TourCard(key, new byte[400 + r.nextInt(400)], at); cards.put(key, c); cardsRendered++; }
            return c;
        }

        void visit(int i, long at, Random r) {
            String id = "cs_" + Long.toHexString(r.nextLong() | (1L << 62));
            int ch = r.nextInt(100);
            String channel = i == KIOSK_VISITOR ? "partner-embed" : ch < 78 ? "web" : ch < 95 ? "mobile-app" : "partner-embed";
            VisitorSession s = new VisitorSession(id, at, channel, Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
            String locale = LOCALES[r.nextInt(LOCALES.length)];
            s.attributes.put("locale", locale);
            s.attributes.put("userAgent", AGENTS[r.nextInt(AGENTS.length)]);
            s.attributes.put("referrer", "https://" + REFERRERS[r.nextInt(REFERRERS.length)] + "/?utm_campaign=caves-" + r.nextInt(400));
            if (channel.equals("partner-embed")) {
                boolean kiosk = i == KIOSK_VISITOR;
                s.attributes.put("partnerId", kiosk ? "PT-KIOSK-VC1" : "PT-" + (400 + r.nextInt(60)));
                // partners set their own idle timeout in minutes; the visitor-centre kiosk's integrator wrote "45m"
                s.attributes.put("idleTimeout", kiosk ? "45m" : (r.nextBoolean() ? "20" : "45"));
            }
            store.sessions.put(id, s);
            store.created++;
            int views = 1 + r.nextInt(7);
            for (int v = 0; v < views; v++) {
                String tour = tourCodes[r.nextInt(TOURS)];
                s.viewedTours.add(tour);
                card(tour, locale, r, at);
            }
            s.lastSeen = at + (1 + r.nextInt(25)) * MINUTE;
            if (r.nextInt(100) < 70) {
                int lines = 1 + r.nextInt(3);
                for (int l = 0; l < lines; l++) {
                    TourSlot slot = slots.get(slotIds[r.nextInt(SLOTS)]);
                    hold(s, slot, 1 + r.nextInt(4), r.nextInt(3), at);
                }
                if (r.nextInt(100) < 40) checkout(s, r, at);
            }
        }

        /** Periodic, every minute. */
        void flushMetrics() {
            metrics[(int) (metricsRuns++ % METRICS_RING)] = new MetricsSnapshot(clock.now, store.sessions.size(), orders, heldSeats, mailQueue.size());
        }

        /** Periodic, every 2 minutes: the mail relay takes mails once they are 2 minutes old, up to 60 a run. */
        void dispatchMail() {
            mailRuns++;
            int n = 0;
            while (n < MAIL_BATCH && !mailQueue.isEmpty() && mailQueue.peek().queuedAt() <= clock.now - 2 * MINUTE) { mailQueue.poll(); n++; mailsSent++; }
        }

        /** Periodic, every 10 minutes: free seats per cave for the home page. */
        void refreshAvailability() {
            availabilityRuns++;
            for (int[] a : availabilityByCave.values()) a[0] = 0;
            for (TourSlot s : slots.values()) {
                int[] a = availabilityByCave.get(TOURS_BY_CODE.get(s.tourCode).caveCode());
                a[0] += s.capacity - s.held - s.sold;
            }
        }

        void startHousekeeping() {
            housekeeping.every("metrics-flush", 1, this::flushMetrics);
            housekeeping.every("mail-dispatch", 2, this::dispatchMail);
            housekeeping.every("session-sweeper", 5, () -> store.sweep(clock.now));
            housekeeping.every("availability-refresh", 10, this::refreshAvailability);
        }
    }

    /** The shop's scheduler: one thread, periodic tasks registered by name (for the health page and shutdown). */
    static final class Housekeeping {
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "shop-housekeeping");
            t.setDaemon(true);
            return t;
        });
        final Map<String, ScheduledFuture<?>> tasks = new LinkedHashMap<>();

        void every(String name, long minutes, Runnable task) {
            tasks.put(name, scheduler.scheduleAtFixedRate(task, minutes, minutes, TimeUnit.MINUTES));
        }
    }

    /**
     * Simulation only: runs the due execution of a periodic task on this thread, as the scheduler
     * thread would at that minute (through the executor's own task object: an exception cancels the
     * later runs exactly as on the scheduler thread). The real trigger times lie minutes to hours
     * ahead, so the scheduler thread itself never runs one during the program.
     */
    static void fire(Housekeeping hk, String name) {
        ScheduledFuture<?> f = hk.tasks.get(name);
        if (f.isDone()) return; // cancelled by an exception: never runs again
        if (!hk.scheduler.remove((Runnable) f)) throw new IllegalStateException(name + " is not queued");
        ((RunnableScheduledFuture<?>) f).run();
    }

    static TicketShop SHOP;
    static int HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(131_010_001);
        String[] caveCodes = new String[CAVES];
        for (int c = 0; c < CAVES; c++) {
            caveCodes[c] = "CV" + (210 + c * 7);
            CAVES_BY_CODE.put(caveCodes[c], new Cave(caveCodes[c], "Ogof " + (c + 1), "Region " + (c % 6), 40 + rnd.nextInt(260)));
        }
        TicketShop shop = new TicketShop();
        SHOP = shop;
        for (String c : caveCodes) shop.availabilityByCave.put(c, new int[1]);
        for (int t = 0; t < TOURS; t++) {
            double[] demand = new double[96];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 30;
            String code = "T" + (5_000 + t);
            shop.tourCodes[t] = code;
            TOURS_BY_CODE.put(code, new TourProduct(code, caveCodes[t % CAVES], KINDS[(t / CAVES) % KINDS.length], LANGUAGES[(t / 7) % LANGUAGES.length], 45 + 15 * rnd.nextInt(6), 1_200 + 50 * rnd.nextInt(40), demand));
        }
        for (int s = 0; s < SLOTS; s++) {
            String tour = shop.tourCodes[rnd.nextInt(TOURS)];
            String id = "SL-" + tour + "-" + (10_000 + s);
            shop.slotIds[s] = id;
            long startsAt = end + (long) (1 + rnd.nextInt(14 * 24)) * HOUR;
            shop.slots.put(id, new TourSlot(id, tour, startsAt, 20 + rnd.nextInt(21), GUIDES[rnd.nextInt(GUIDES.length)], new byte[150 + rnd.nextInt(150)]));
        }
        for (int b = 0; b < POOL; b++) shop.pdfBuffers.add(new byte[32_768]);
        shop.startHousekeeping();
        Random traffic = new Random(131_010_002);
        int visitors = VISITORS_PER_HOUR * hours;
        long spacing = HOUR / VISITORS_PER_HOUR;
        int i = 0;
        for (int m = 1; m <= hours * 60; m++) {
            long tick = start + m * MINUTE;
            for (; i < visitors && start + i * spacing < tick; i++) {
                shop.clock.now = start + i * spacing;
                shop.visit(i, shop.clock.now, traffic);
            }
            shop.clock.now = tick;
            fire(shop.housekeeping, "metrics-flush");
            if (m % 2 == 0) fire(shop.housekeeping, "mail-dispatch");
            if (m % 5 == 0) fire(shop.housekeeping, "session-sweeper");
            if (m % 10 == 0) fire(shop.housekeeping, "availability-refresh");
        }
        check(i == visitors, "all visitors");
    }

    // stage -> {sessions created, expired, sweeps, sessions at the dump, idle > 30 min at the dump, orders, mails sent}
    static final long[][] EXPECTED = {
        {4_800, 32, 8, 4_768, 3_055, 1_325, 1_304},
        {9_600, 32, 8, 9_568, 7_858, 2_707, 2_683},
        {19_200, 32, 8, 19_168, 17_459, 5_403, 5_384},
    };
    static final long[][] EXPECTED_FIXED = {
        {4_800, 3_081, 24, 1_719, 13, 1_325, 1_304},
        {9_600, 7_883, 48, 1_717, 17, 2_707, 2_683},
        {19_200, 17_490, 96, 1_710, 11, 5_403, 5_384},
    };

    static void verify(int stage) {
        TicketShop shop = SHOP;
        SessionStore st = shop.store;
        long end = shop.clock.now;
        int idle = 0, withCart = 0, withOrder = 0;
        long oldest = 0;
        for (VisitorSession s : st.sessions.values()) {
            if (end - s.lastSeen > IDLE_MINUTES * MINUTE) idle++;
            if (!s.cart.lines.isEmpty()) withCart++;
            if (s.orderRef != null) withOrder++;
            oldest = Math.max(oldest, end - s.createdAt);
        }
        ScheduledFuture<?> sweeper = shop.housekeeping.tasks.get("session-sweeper");
        int held = 0;
        for (TourSlot s : shop.slots.values()) held += s.held;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " hours " + HOURS + " caves " + CAVES_BY_CODE.size() + " tours " + TOURS_BY_CODE.size() + " slots " + shop.slots.size()
                + " sessions created " + st.created + " expired " + st.expired + " sweeps " + st.sweeps + " sweeper done " + sweeper.isDone()
                + " | sessions " + st.sessions.size() + " idle>30m " + idle + " with cart " + withCart + " with order " + withOrder + " oldest " + oldest / MINUTE + " min held seats " + held
                + " | orders " + shop.orders + " mails sent " + shop.mailsSent + " backlog " + shop.mailQueue.size() + " cards " + shop.cards.size() + " (evicted " + shop.cards.evicted + ") pool " + shop.pdfBuffers.size()
                + " runs metrics " + shop.metricsRuns + " mail " + shop.mailRuns + " availability " + shop.availabilityRuns + " queued tasks " + shop.housekeeping.scheduler.getQueue().size());
        check(CAVES_BY_CODE.size() == CAVES && TOURS_BY_CODE.size() == TOURS && shop.slots.size() == SLOTS, "reference data / directory");
        check(shop.metricsRuns == HOURS * 60L && shop.mailRuns == HOURS * 30L && shop.availabilityRuns == HOURS * 6L, "the other periodic tasks ran every time");
        check(held == shop.heldSeats, "held seats");
        check(shop.cards.size() == CARD_CAP && shop.cards.evicted > 0, "card cache at its cap");
        check(shop.pdfBuffers.size() == POOL, "pool");
        check(shop.recentOrders[ORDER_RING - 1] != null, "order ring full");
        check(st.sessions.size() == st.created - st.expired, "sessions");
        check(sweeper.isDone() == !FIXED, "sweeper state");
        check(shop.housekeeping.scheduler.getQueue().size() == (FIXED ? 4 : 3), "queued periodic tasks");
        long[] e = (FIXED ? EXPECTED_FIXED : EXPECTED)[stage - 1];
        long[] got = {st.created, st.expired, st.sweeps, st.sessions.size(), idle, shop.orders, shop.mailsSent};
        check(java.util.Arrays.equals(e, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val131.fixed");
        int stage = Integer.parseInt(args[2]);
        HOURS = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(HOURS);
        verify(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
