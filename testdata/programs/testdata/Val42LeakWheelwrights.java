// hprofscan-dump: name=val42-leak-wheelwrights jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val42-leak-wheelwrights-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 42 (written blind), LEAK: the quoting service of a wheelwright's workshop (cart,
 * carriage and gun-carriage wheels). Timber reference data, the customer directory, a lazily warmed
 * catalogue of wheel patterns, a pool of jig buffers, a ring of delivery notes, the open orders, and
 * a size-capped LRU of rendered quotes (QuoteCache, 1,500) whose removeEldestEntry first calls an
 * eviction listener that archives the evicted quote per customer account. Walk-in quotes have no
 * customer: the listener throws a NullPointerException on them, removeEldestEntry never returns true,
 * the new entry stays, and the caller swallows the exception (counted as a cache error). Once the
 * first walk-in quote is the eldest entry, nothing is ever evicted again. No thread besides main.
 * See VALIDATION42.md.
 */
public final class Val42LeakWheelwrights {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TIMBERS = 1_000, CUSTOMERS = 25_000, PATTERNS = 2_400, QUOTE_CAP = 1_500, POOL = 8, RING = 512, HOURS = 10;
    static final String[] WHEEL_TYPES = {"cart", "wagon", "carriage", "gun-carriage", "barrow", "dray", "gig", "traction"};
    static boolean FIXED;

    record Timber(String code, String species, double[] seasoningCurve) {}
    record Customer(String accountId, String name, byte[] accountNotes, long since) {}
    record WheelPattern(String code, int diameterMm, int spokes, byte[] jigProfile, long drawnAt) {}
    record WheelQuote(String quoteId, Customer customer, String wheelType, String patternCode, String timberCode, int priceCents, byte[] renderedQuote, long quotedAt) {}
    record DeliveryNote(String orderId, String accountId, int wheels, long deliveredAt) {}
    record WheelOrder(String orderId, WheelQuote quote, long acceptedAt, long dueAt) {}

    /** Archives evicted quotes per customer account (for the sales follow-up report). */
    static final class QuoteArchiveListener {
        final Map<String, Integer> archivedByAccount = new HashMap<>();
        long walkInsArchived;
        void onEvicted(WheelQuote q) {
            if (FIXED && q.customer() == null) { walkInsArchived++; return; }
            archivedByAccount.merge(q.customer().accountId(), 1, Integer::sum); // walk-in quote: customer is null
        }
    }

    /** A bounded LRU of rendered quotes: evicts the least recently opened quote above QUOTE_CAP. */
    static final class QuoteCache extends LinkedHashMap<String, WheelQuote> {
        final QuoteArchiveListener listener;
        long evicted;
        QuoteCache(QuoteArchiveListener listener) { super(2_048, 0.75f, true); this.listener = listener; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, WheelQuote> eldest) {
            if (size() <= QUOTE_CAP) return false;
            listener.onEvicted(eldest.getValue());
            evicted++;
            return true;
        }
    }

    static final Map<String, Timber> TIMBERS_BY_CODE = new HashMap<>();

    static final class WorkshopService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, WheelPattern> patterns = new HashMap<>();
        final QuoteArchiveListener archive = new QuoteArchiveListener();
        final QuoteCache quotes = new QuoteCache(archive);
        final ArrayDeque<byte[]> jigBuffers = new ArrayDeque<>();
        final DeliveryNote[] deliveries = new DeliveryNote[RING];
        final Map<String, WheelOrder> openOrders = new HashMap<>();
        long deliveriesWritten, cacheErrors;

        WheelPattern pattern(int p, Random rnd, long at) {
            String code = "WP-" + (3_000 + p);
            WheelPattern wp = patterns.get(code);
            if (wp == null) {
                wp = new WheelPattern(code, 600 + (p % 90) * 10, 10 + p % 8, new byte[1_000 + rnd.nextInt(1_000)], at - (long) (30 + p % 3_000) * DAY);
                patterns.put(code, wp);
            }
            return wp;
        }

        void rememberQuote(WheelQuote q) {
            try {
                quotes.put(q.quoteId(), q);
            } catch (RuntimeException e) {
                cacheErrors++; // "cache housekeeping failed", logged at DEBUG
            }
        }
    }

    static WorkshopService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val42.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(42_010_001);
        String[] timberCodes = new String[TIMBERS];
        String[] species = {"ash", "oak", "elm", "hickory", "beech"};
        for (int t = 0; t < TIMBERS; t++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = 8 + rnd.nextDouble() * 20;
            timberCodes[t] = "TB-" + (10_000 + t);
            TIMBERS_BY_CODE.put(timberCodes[t], new Timber(timberCodes[t], species[t % species.length], c));
        }
        WorkshopService svc = new WorkshopService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "AC-" + (200_000 + c * 7);
            customers[c] = new Customer(id, "Customer " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(6_000)) * DAY);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.jigBuffers.add(new byte[32_768]);

        Random traffic = new Random(42_010_002);
        String[] recentIds = new String[256];
        long quoted = 0, walkIns = 0, reopened = 0, accepted = 0, delivered = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            // Deliveries of finished orders.
            for (var it = svc.openOrders.values().iterator(); it.hasNext(); ) {
                WheelOrder o = it.next();
                if (o.dueAt() <= minute) {
                    it.remove();
                    String acct = o.quote().customer() == null ? "WALK-IN" : o.quote().customer().accountId();
                    svc.deliveries[(int) (svc.deliveriesWritten++ % RING)] = new DeliveryNote(o.orderId(), acct, 2 + (int) (o.acceptedAt() % 3), minute);
                    delivered++;
                }
            }
            // Lazy warm-up of the pattern catalogue: 20 a minute in code order.
            for (int w = 0; w < 20 && svc.patterns.size() < PATTERNS; w++) svc.pattern((int) ((minute - start) / MINUTE * 20 + w) % PATTERNS, traffic, minute);
            int requests = 8 + traffic.nextInt(7);
            for (int k = 0; k < requests; k++) {
                long at = minute + traffic.nextInt(60_000);
                if (quoted > 300 && traffic.nextInt(10) < 3) {
                    // A customer reopens one of the recent quotes (access order).
                    WheelQuote q = svc.quotes.get(recentIds[traffic.nextInt(recentIds.length)]);
                    if (q != null) reopened++;
                    continue;
                }
                boolean walkIn = traffic.nextInt(40) == 0;
                Customer cust = walkIn ? null : customers[traffic.nextInt(CUSTOMERS)];
                WheelPattern wp = svc.pattern(traffic.nextInt(PATTERNS), traffic, at);
                String timber = timberCodes[traffic.nextInt(TIMBERS)];
                String wheel = WHEEL_TYPES[traffic.nextInt(WHEEL_TYPES.length)];
                String quoteId = "Q-" + (700_000 + quoted);
                byte[] jig = svc.jigBuffers.poll();
                jig[(int) (quoted % jig.length)] = (byte) quoted;
                svc.jigBuffers.add(jig);
                WheelQuote q = new WheelQuote(quoteId, cust, wheel, wp.code(), timber, 18_000 + traffic.nextInt(90_000), new byte[600 + traffic.nextInt(600)], at);
                svc.rememberQuote(q);
                recentIds[(int) (quoted % recentIds.length)] = quoteId;
                quoted++;
                if (walkIn) walkIns++;
                if (traffic.nextInt(4) == 0) {
                    String orderId = "WO-" + (50_000 + accepted);
                    svc.openOrders.put(orderId, new WheelOrder(orderId, q, at, at + (long) (60 + traffic.nextInt(300)) * MINUTE));
                    accepted++;
                }
            }
        }
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "timbers " + TIMBERS_BY_CODE.size() + " customers " + svc.customers.size() + " patterns " + svc.patterns.size()
                + " quoted " + quoted + " walk-ins " + walkIns + " reopened " + reopened + " quotes cached " + svc.quotes.size() + " evicted " + svc.quotes.evicted
                + " cache errors " + svc.cacheErrors + " archived accounts " + svc.archive.archivedByAccount.size() + " walk-ins archived " + svc.archive.walkInsArchived
                + " accepted " + accepted + " delivered " + delivered + " open orders " + svc.openOrders.size() + " deliveries " + svc.deliveriesWritten + " pool " + svc.jigBuffers.size());
        check(TIMBERS_BY_CODE.size() == TIMBERS && svc.customers.size() == CUSTOMERS && svc.patterns.size() == PATTERNS, "reference data / directory / patterns");
        check(quoted == EXPECTED_QUOTED && walkIns == EXPECTED_WALK_INS && accepted == EXPECTED_ACCEPTED && delivered == EXPECTED_DELIVERED, "traffic");
        check(svc.openOrders.size() == accepted - delivered && svc.deliveriesWritten == delivered && svc.deliveries[RING - 1] != null, "orders / deliveries");
        if (FIXED) {
            check(svc.quotes.size() == QUOTE_CAP && svc.cacheErrors == 0 && svc.quotes.evicted == quoted - QUOTE_CAP, "quote LRU at cap");
        } else {
            check(svc.quotes.size() == EXPECTED_CACHED && svc.quotes.evicted == EXPECTED_EVICTED && svc.cacheErrors == quoted - QUOTE_CAP - EXPECTED_EVICTED, "quote cache: " + svc.quotes.size());
        }
        check(svc.jigBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_QUOTED = 4_753, EXPECTED_WALK_INS = 106, EXPECTED_ACCEPTED = 1_187, EXPECTED_DELIVERED = 768, EXPECTED_CACHED = 4_681, EXPECTED_EVICTED = 72;
}
