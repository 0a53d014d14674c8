// hprofscan-dump: name=val43-leak-woodturners jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val43-leak-woodturners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 43 (written blind), LEAK: the quoting service of a wood-turning shop (bowls, balusters,
 * newel posts, chair and table legs, turned to order). Timber reference data, the customer directory, a
 * lazily warmed catalogue of turning profiles, an LRU of rendered drawings at its cap, a pool of lathe
 * program buffers, a ring of accepted quotes, the open quote sessions, and a timber price feed,
 * PriceFeed.subscribers (a CopyOnWriteArrayList of Consumer of PriceTick): each quote session subscribes
 * feed.subscribe(this::onTick) when it opens, to reprice its draft, and on close calls
 * feed.unsubscribe(this::onTick): a new bound method reference, not equal to the registered one, so
 * remove returns false (ignored). Every closed session stays subscribed, reachable through its captured
 * method reference, with its draft quote (a byte[] of about 1 KB) and its lines, and keeps receiving
 * ticks. No thread besides main. See VALIDATION43.md.
 */
public final class Val43LeakWoodturners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TIMBERS = 900, CUSTOMERS = 20_000, PROFILES = 2_000, DRAWING_CAP = 1_000, POOL = 8, RING = 1_024, HOURS = 10;
    static final String[] SPECIES = {"oak", "ash", "beech", "walnut", "cherry", "sycamore", "yew", "maple", "elm", "sapele"};
    static final String[] PIECES = {"bowl", "baluster", "newel post", "chair leg", "table leg", "spindle", "finial", "candlestick", "lamp base"};
    static boolean FIXED;

    record Timber(String code, String species, double[] priceHistory) {}
    record Customer(String id, String name, byte[] notes, long since) {}
    record TurningProfile(String code, String piece, byte[] latheProgram, long drawnAt) {}
    record Drawing(String key, byte[] rendered, long at) {}
    record AcceptedQuote(String sessionId, String customerId, int totalCents, long acceptedAt) {}
    record PriceTick(String timberCode, int pricePerCubicMetreCents, long at) {}
    record QuoteLine(String profileCode, String timberCode, int quantity, int unitCents) {}

    /** The timber price feed: every subscriber receives every tick. */
    static final class PriceFeed {
        final CopyOnWriteArrayList<Consumer<PriceTick>> subscribers = new CopyOnWriteArrayList<>();
        long ticks, deliveries;
        Consumer<PriceTick> subscribe(Consumer<PriceTick> c) { subscribers.add(c); return c; }
        boolean unsubscribe(Consumer<PriceTick> c) { return subscribers.remove(c); }
        void publish(PriceTick t) {
            ticks++;
            for (Consumer<PriceTick> c : subscribers) { c.accept(t); deliveries++; }
        }
    }

    /** A customer's quote being drafted; reprices its lines when the price of their timber moves. */
    static final class QuoteSession {
        final String sessionId;
        final Customer customer;
        final List<QuoteLine> lines = new ArrayList<>();
        final byte[] draft;
        final long openedAt;
        long closedAt;
        int repricings;
        PriceTick lastTick;
        Consumer<PriceTick> subscription; // kept only by the fixed service

        QuoteSession(String sessionId, Customer customer, byte[] draft, long openedAt) { this.sessionId = sessionId; this.customer = customer; this.draft = draft; this.openedAt = openedAt; }

        void onTick(PriceTick t) {
            for (QuoteLine l : lines) {
                if (l.timberCode().equals(t.timberCode())) { repricings++; lastTick = t; draft[repricings % draft.length] = (byte) t.pricePerCubicMetreCents(); }
            }
        }

        void open(PriceFeed feed) {
            Consumer<PriceTick> handle = feed.subscribe(this::onTick);
            if (FIXED) subscription = handle;
        }

        /** Returns whether the unsubscription removed anything (the service as deployed ignores it). */
        boolean close(PriceFeed feed, long at) {
            closedAt = at;
            return FIXED ? feed.unsubscribe(subscription) : feed.unsubscribe(this::onTick);
        }
    }

    /** An LRU of rendered drawings of turned pieces. */
    static final class DrawingCache extends LinkedHashMap<String, Drawing> {
        long evicted;
        DrawingCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Drawing> e) { if (size() > DRAWING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Timber> TIMBERS_BY_CODE = new HashMap<>();

    static final class QuotingService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, TurningProfile> profiles = new HashMap<>();
        final DrawingCache drawings = new DrawingCache();
        final ArrayDeque<byte[]> latheBuffers = new ArrayDeque<>();
        final AcceptedQuote[] accepted = new AcceptedQuote[RING];
        final Map<String, QuoteSession> openSessions = new HashMap<>();
        final PriceFeed feed = new PriceFeed();
        long acceptedWritten;

        TurningProfile profile(int p, long at) {
            String code = "TP-" + (7_000 + p);
            TurningProfile tp = profiles.get(code);
            if (tp == null) {
                Random r = new Random(43_040_100L + p);
                tp = new TurningProfile(code, PIECES[p % PIECES.length], new byte[1_000 + r.nextInt(1_000)], at - (long) (15 + r.nextInt(5_000)) * DAY);
                profiles.put(code, tp);
            }
            return tp;
        }
    }

    static QuotingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val43.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(43_040_001);
        String[] timberCodes = new String[TIMBERS];
        int[] prices = new int[TIMBERS];
        for (int t = 0; t < TIMBERS; t++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 400 + rnd.nextDouble() * 2_600;
            timberCodes[t] = "TM-" + (20_000 + t);
            prices[t] = 40_000 + rnd.nextInt(260_000);
            TIMBERS_BY_CODE.put(timberCodes[t], new Timber(timberCodes[t], SPECIES[t % SPECIES.length], c));
        }
        QuotingService svc = new QuotingService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "WT-" + (400_000 + c * 3);
            customers[c] = new Customer(id, "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.latheBuffers.add(new byte[32_768]);

        Random traffic = new Random(43_040_002);
        Map<Long, List<QuoteSession>> closing = new HashMap<>();
        long opened = 0, closed = 0, acceptedCount = 0, missedUnsubscribes = 0, warmed = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            // Timber price ticks: 2-5 a minute.
            int ticks = 2 + traffic.nextInt(4);
            for (int k = 0; k < ticks; k++) {
                int t = traffic.nextInt(TIMBERS);
                prices[t] += traffic.nextInt(2_001) - 1_000;
                svc.feed.publish(new PriceTick(timberCodes[t], prices[t], minute + traffic.nextInt(60_000)));
            }
            // Sessions closing (accepted or abandoned).
            List<QuoteSession> done = closing.remove(minute);
            if (done != null) for (QuoteSession s : done) {
                long at = minute + traffic.nextInt(60_000);
                svc.openSessions.remove(s.sessionId);
                if (!s.close(svc.feed, at)) missedUnsubscribes++;
                if (traffic.nextInt(3) == 0) {
                    int total = 0;
                    for (QuoteLine l : s.lines) total += l.quantity() * l.unitCents();
                    svc.accepted[(int) (svc.acceptedWritten++ % RING)] = new AcceptedQuote(s.sessionId, s.customer.id(), total, at);
                    acceptedCount++;
                }
                closed++;
            }
            // Lazy warm-up of the profile catalogue: 10 a minute.
            for (int w = 0; w < 10 && svc.profiles.size() < PROFILES; w++) svc.profile((int) (warmed++ % PROFILES), minute);
            // New quote sessions.
            int sessions = 6 + traffic.nextInt(7);
            for (int k = 0; k < sessions; k++) {
                long at = minute + traffic.nextInt(60_000);
                QuoteSession s = new QuoteSession("QS-" + (900_000 + opened), customers[traffic.nextInt(CUSTOMERS)], new byte[900 + traffic.nextInt(300)], at);
                int lines = 1 + traffic.nextInt(5);
                for (int l = 0; l < lines; l++) {
                    TurningProfile p = svc.profile(traffic.nextInt(PROFILES), at);
                    int t = traffic.nextInt(TIMBERS);
                    s.lines.add(new QuoteLine(p.code(), timberCodes[t], 1 + traffic.nextInt(24), 800 + traffic.nextInt(20_000)));
                    String key = p.code() + "/" + timberCodes[t];
                    if (svc.drawings.get(key) == null) svc.drawings.put(key, new Drawing(key, new byte[400 + traffic.nextInt(400)], at));
                }
                byte[] buf = svc.latheBuffers.poll();
                buf[(int) (opened % buf.length)] = (byte) opened;
                svc.latheBuffers.add(buf);
                svc.openSessions.put(s.sessionId, s);
                s.open(svc.feed);
                closing.computeIfAbsent(minute + (long) (5 + traffic.nextInt(41)) * MINUTE, x -> new ArrayList<>()).add(s);
                opened++;
            }
        }
        closing = null;
        long subscribedClosed = svc.feed.subscribers.size() - svc.openSessions.size();
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "timbers " + TIMBERS_BY_CODE.size() + " customers " + svc.customers.size() + " profiles " + svc.profiles.size()
                + " drawings " + svc.drawings.size() + " (evicted " + svc.drawings.evicted + ") pool " + svc.latheBuffers.size() + " sessions opened " + opened + " closed " + closed
                + " open " + svc.openSessions.size() + " accepted " + acceptedCount + " missed unsubscribes " + missedUnsubscribes + " subscribers " + svc.feed.subscribers.size()
                + " (closed sessions " + subscribedClosed + ") ticks " + svc.feed.ticks + " deliveries " + svc.feed.deliveries);
        check(TIMBERS_BY_CODE.size() == TIMBERS && svc.customers.size() == CUSTOMERS && svc.profiles.size() == PROFILES, "reference data / directory / profiles");
        check(opened == EXPECTED_OPENED && closed == EXPECTED_CLOSED && svc.openSessions.size() == opened - closed && acceptedCount == EXPECTED_ACCEPTED, "sessions");
        check(svc.drawings.size() == DRAWING_CAP && svc.drawings.evicted == EXPECTED_DRAWINGS_EVICTED && svc.acceptedWritten == acceptedCount && svc.accepted[RING - 1] != null && svc.latheBuffers.size() == POOL, "drawings / accepted / pool");
        if (FIXED) {
            check(missedUnsubscribes == 0 && svc.feed.subscribers.size() == svc.openSessions.size(), "subscribers of the open sessions");
        } else {
            check(missedUnsubscribes == closed && svc.feed.subscribers.size() == opened, "subscribers " + svc.feed.subscribers.size());
        }
        LeakCheck.histogram("  [I ", "[Ljava.lang.Object; ", "java.util.concurrent.CopyOnWriteArrayList ", "  [B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_OPENED = 5_427, EXPECTED_CLOSED = 5_225, EXPECTED_ACCEPTED = 1_749, EXPECTED_DRAWINGS_EVICTED = 15_295;
}
