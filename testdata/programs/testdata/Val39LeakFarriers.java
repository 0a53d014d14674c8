// hprofscan-dump: name=val39-leak-farriers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val39-leak-farriers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * Validation set 39 (written blind), LEAK: the quoting and booking service of a farriery (travelling
 * farriers who shoe and trim horses at stable yards). Yard reference data, the horse directory, an
 * LRU of rendered shoeing plans at its cap, a pool of forge-scheduling buffers, a ring of booked
 * visits. The price list is a JMX MBean (RateCard, a NotificationBroadcasterSupport registered with
 * the platform MBeanServer) that operations reprice through JMX; every open quote registers itself
 * as a NotificationListener so that it can be repriced while the customer decides. Only the cancel
 * path removes the listener: booked and declined quotes stay registered in the broadcaster's
 * listener list forever. See VALIDATION39.md.
 */
public final class Val39LeakFarriers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int YARDS = 1_000, HORSES = 25_000, PLAN_CAP = 2_000, POOL = 8, RING = 8_192, QUOTES_PER_HOUR = 1_500, HOURS = 10;
    static boolean FIXED;

    record Yard(String code, String name, double[] travelMinutesByHour) {}
    record Horse(String passport, String yardCode, String breed, byte[] hoofHistory, long firstShodAt) {}
    record ShoeingPlan(String key, byte[] rendered, long at) {}
    record Visit(String quoteId, String farrierId, String passport, int priceCents, long bookedAt) {}

    /** The management interface of the price list (public: JMX requires it). */
    public interface RateCardMBean {
        int getHotShoeSetCents();
        void setHotShoeSetCents(int cents);
        int getVersion();
    }

    /** The price list; operations reprice it through JMX, which notifies every registered listener. */
    static final class RateCard extends NotificationBroadcasterSupport implements RateCardMBean {
        volatile int hotShoeSetCents = 9_500;
        volatile int version = 1;
        long sequence, clock;
        @Override public int getHotShoeSetCents() { return hotShoeSetCents; }
        @Override public int getVersion() { return version; }
        @Override public void setHotShoeSetCents(int cents) {
            int old = hotShoeSetCents;
            hotShoeSetCents = cents;
            version++;
            sendNotification(new AttributeChangeNotification(this, ++sequence, clock, "rate card v" + version, "HotShoeSetCents", "int", old, cents));
        }
    }

    /** A customer's open quote: repriced on every rate-card change until it is booked, declined or cancelled. */
    static final class QuoteSession implements NotificationListener {
        final String quoteId, passport, farrierId;
        final long openedAt;
        final byte[] draft;
        int priceCents, repriced;
        boolean closed;
        QuoteSession(String quoteId, String passport, String farrierId, long openedAt, byte[] draft, int priceCents) {
            this.quoteId = quoteId; this.passport = passport; this.farrierId = farrierId; this.openedAt = openedAt; this.draft = draft; this.priceCents = priceCents;
        }
        @Override public void handleNotification(Notification n, Object handback) {
            if (PING.equals(n.getType())) { PINGS_SEEN++; return; }
            if (n instanceof AttributeChangeNotification c) {
                priceCents = (Integer) c.getNewValue();
                repriced++;
            }
        }
    }

    static final class QuoteDesk {
        final RateCard rateCard;
        final Map<String, QuoteSession> open = new HashMap<>();
        long opened, booked, declined, cancelled;
        QuoteDesk(RateCard rateCard) { this.rateCard = rateCard; }
        QuoteSession open(String quoteId, String passport, String farrierId, long at, byte[] draft) {
            QuoteSession s = new QuoteSession(quoteId, passport, farrierId, at, draft, rateCard.getHotShoeSetCents());
            rateCard.addNotificationListener(s, null, null);
            open.put(quoteId, s);
            opened++;
            return s;
        }
        QuoteSession book(String quoteId) {
            QuoteSession s = open.remove(quoteId);
            s.closed = true;
            booked++;
            if (FIXED) unregister(s); // BUG (unfixed): the booked quote stays registered with the rate card
            return s;
        }
        void decline(String quoteId) {
            QuoteSession s = open.remove(quoteId);
            s.closed = true;
            declined++;
            if (FIXED) unregister(s); // BUG (unfixed): the declined quote stays registered with the rate card
        }
        void cancel(String quoteId) {
            QuoteSession s = open.remove(quoteId);
            s.closed = true;
            cancelled++;
            unregister(s);
        }
        void unregister(QuoteSession s) {
            try {
                rateCard.removeNotificationListener(s);
            } catch (ListenerNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final class PlanCache extends LinkedHashMap<String, ShoeingPlan> implements NotificationListener {
        long evicted, invalidations;
        PlanCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShoeingPlan> e) { if (size() > PLAN_CAP) { evicted++; return true; } return false; }
        @Override public void handleNotification(Notification n, Object handback) { if (PING.equals(n.getType())) { PINGS_SEEN++; return; } invalidations++; }
    }

    static final Map<String, Yard> YARDS_BY_CODE = new HashMap<>();

    static final class ShoeingService {
        final Map<String, Horse> horses = new HashMap<>();
        final PlanCache plans = new PlanCache();
        final ArrayDeque<byte[]> forgeBuffers = new ArrayDeque<>();
        final Visit[] recentVisits = new Visit[RING];
        final RateCard rateCard = new RateCard();
        final QuoteDesk quotes = new QuoteDesk(rateCard);
        long visits;
    }

    static ShoeingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Close(String quoteId, long at, int outcome) {}

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val39.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(39_010_001);
        String[] yardCodes = new String[YARDS];
        for (int y = 0; y < YARDS; y++) {
            double[] t = new double[64];
            for (int k = 0; k < t.length; k++) t[k] = 10 + rnd.nextDouble() * 80;
            yardCodes[y] = "YD-" + (3_000 + y);
            YARDS_BY_CODE.put(yardCodes[y], new Yard(yardCodes[y], "Yard " + y, t));
        }
        ShoeingService svc = new ShoeingService();
        SERVICE = svc;
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName rateCardName = new ObjectName("testdata.farriers:type=RateCard");
        mbs.registerMBean(svc.rateCard, rateCardName);
        svc.rateCard.addNotificationListener(svc.plans, null, null); // legitimate, registered once
        String[] passports = new String[HORSES];
        String[] breeds = {"Thoroughbred", "Warmblood", "Cob", "Arab", "Shire", "Connemara", "Welsh", "Friesian"};
        for (int h = 0; h < HORSES; h++) {
            passports[h] = "UELN-826" + (4_100_000 + h * 3);
            svc.horses.put(passports[h], new Horse(passports[h], yardCodes[rnd.nextInt(YARDS)], breeds[rnd.nextInt(breeds.length)], new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(5_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.forgeBuffers.add(new byte[32_768]);

        Random traffic = new Random(39_010_002);
        int quotes = QUOTES_PER_HOUR * HOURS;
        PriorityQueue<Close> closes = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long[] repriceAt = {start + 2 * HOUR + 17 * MINUTE, start + 4 * HOUR + 41 * MINUTE, start + 7 * HOUR + 3 * MINUTE, start + 9 * HOUR + 12 * MINUTE};
        int[] repriceCents = {9_800, 9_900, 10_250, 10_400};
        int nextReprice = 0;
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            while (!closes.isEmpty() && closes.peek().at() <= t) close(svc, closes.poll());
            while (nextReprice < repriceAt.length && repriceAt[nextReprice] <= t) {
                svc.rateCard.clock = repriceAt[nextReprice];
                mbs.setAttribute(rateCardName, new Attribute("HotShoeSetCents", repriceCents[nextReprice]));
                nextReprice++;
            }
            String passport = passports[traffic.nextInt(HORSES)];
            String quoteId = "FQ-" + (7_700_000L + i);
            svc.quotes.open(quoteId, passport, "farrier-" + (10 + traffic.nextInt(120)), t, new byte[200 + traffic.nextInt(200)]);
            int roll = traffic.nextInt(100);
            int outcome = roll < 65 ? 0 : roll < 90 ? 1 : 2;
            closes.add(new Close(quoteId, t + (5 + traffic.nextInt(56)) * MINUTE - 2_000, outcome));
            String key = passport + "/plan";
            if (svc.plans.get(key) == null) svc.plans.put(key, new ShoeingPlan(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.forgeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.forgeBuffers.add(buf);
        }
        while (!closes.isEmpty() && closes.peek().at() <= end) close(svc, closes.poll());
        closes.clear();

        QuoteDesk qd = svc.quotes;
        int listeners = listenerCount(svc.rateCard);
        int closedRegistered = listeners - 1 - qd.open.size();
        System.out.println((FIXED ? "FIXED " : "") + "yards " + YARDS_BY_CODE.size() + " horses " + svc.horses.size() + " quotes " + qd.opened + " booked " + qd.booked + " declined " + qd.declined
                + " cancelled " + qd.cancelled + " open " + qd.open.size() + " listeners " + listeners + " closed-still-registered " + closedRegistered + " rate-card v" + svc.rateCard.getVersion()
                + " plans " + svc.plans.size() + " (evicted " + svc.plans.evicted + ", invalidations " + svc.plans.invalidations + ") visits " + svc.visits + " pool " + svc.forgeBuffers.size());
        check(YARDS_BY_CODE.size() == YARDS && svc.horses.size() == HORSES, "reference data / directory");
        check(qd.opened == quotes && qd.booked == EXPECTED_BOOKED && qd.declined == EXPECTED_DECLINED && qd.open.size() == EXPECTED_OPEN, "traffic");
        check(qd.booked + qd.declined + qd.cancelled + qd.open.size() == quotes, "quote accounting");
        check(listeners == 1 + qd.open.size() + (FIXED ? 0 : qd.booked + qd.declined), "listener accounting");
        check(closedRegistered == (FIXED ? 0 : EXPECTED_BOOKED + EXPECTED_DECLINED), "closed quotes still registered: " + closedRegistered);
        check(svc.rateCard.getVersion() == 5 && svc.plans.invalidations == 4, "4 repricings");
        check(svc.plans.size() == PLAN_CAP && svc.plans.evicted > 0, "plan cache at cap");
        check(svc.forgeBuffers.size() == POOL, "pool");
        check(svc.recentVisits[RING - 1] != null && svc.visits == qd.booked, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void close(ShoeingService svc, Close c) {
        switch (c.outcome()) {
            case 0 -> {
                QuoteSession s = svc.quotes.book(c.quoteId());
                svc.recentVisits[(int) (svc.visits++ % RING)] = new Visit(s.quoteId, s.farrierId, s.passport, s.priceCents, c.at());
            }
            case 1 -> svc.quotes.decline(c.quoteId());
            default -> svc.quotes.cancel(c.quoteId());
        }
    }

    static final String PING = "testdata.farriers.ping";
    static long PINGS_SEEN;

    /** Counts the rate card's registered listeners: one ping notification, counted by every listener. */
    static int listenerCount(RateCard card) {
        PINGS_SEEN = 0;
        card.sendNotification(new Notification(PING, card, ++card.sequence, card.clock, "listener census"));
        return (int) PINGS_SEEN;
    }

    static final long EXPECTED_BOOKED = 9_281, EXPECTED_DECLINED = 3_554;
    static final int EXPECTED_OPEN = 740;
}
