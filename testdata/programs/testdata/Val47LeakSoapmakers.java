// hprofscan-dump: name=val47-leak-soapmakers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val47-leak-soapmakers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val47-leak-soapmakers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val47-leak-soapmakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 47 (written blind), LEAK: the wholesale ordering portal of a soap makers'
 * cooperative. Supplier reference data, the recipe directory, a cache of rendered price quotes at
 * its cap, a pool of label-printer buffers, a ring of recent wholesale orders, and the session
 * store. The idle timeout is configured in seconds (session.idle-timeout=1800) and converted to
 * milliseconds when the store is built; the expiry sweeper runs every minute but compares the idle
 * time in SECONDS with that MILLISECOND timeout, so a session would have to be idle for 20.8 days
 * before it expires: no session ever does, and the store grows with traffic. See VALIDATION47.md.
 */
public final class Val47LeakSoapmakers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUPPLIERS = 1_100, RECIPES = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 2_048, SESSIONS_PER_HOUR = 1_500;
    /** portal.properties: session.idle-timeout=1800 (seconds). */
    static final long IDLE_TIMEOUT_SECONDS = 1_800;
    static boolean FIXED;

    record Supplier(String code, String name, String country, double[] weeklyPrices) {}
    record Recipe(String code, String supplierCode, String line, byte[] formulation, long publishedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    record WholesaleOrder(String orderNo, String customerId, String recipeCode, int cases, long at) {}

    static final class Session {
        final String id, customerId;
        final long createdAt;
        long lastAccessAt;
        int requests;
        final Map<String, Object> attributes = new HashMap<>();
        Session(String id, String customerId, long at) { this.id = id; this.customerId = customerId; this.createdAt = at; this.lastAccessAt = at; this.requests = 1; }
    }

    /** Session store; a sweeper runs once a minute and drops the sessions idle for longer than the timeout. */
    static final class SessionStore {
        final Map<String, Session> sessions = new HashMap<>();
        final long idleTimeoutMillis;
        long created, expired, sweeps, lastSweepAt;
        SessionStore(long idleTimeoutSeconds) { this.idleTimeoutMillis = idleTimeoutSeconds * SECOND; }
        Session create(String id, String customerId, long at) {
            Session s = new Session(id, customerId, at);
            sessions.put(id, s);
            created++;
            return s;
        }
        Session touch(String id, long at) {
            Session s = sessions.get(id);
            if (s != null) { s.lastAccessAt = at; s.requests++; }
            return s;
        }
        void sweep(long now) {
            sweeps++;
            lastSweepAt = now;
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                Session s = it.next();
                boolean idle;
                if (FIXED) {
                    idle = now - s.lastAccessAt > idleTimeoutMillis;
                } else {
                    long idleSeconds = (now - s.lastAccessAt) / SECOND;
                    idle = idleSeconds > idleTimeoutMillis; // BUG: seconds compared with milliseconds
                }
                if (idle) { it.remove(); expired++; }
            }
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    /** One page request of a browser session (the first one opens the session). */
    static final class Visit implements Comparable<Visit> {
        final long at, seq; final String sessionId; final int remaining;
        Visit(long at, long seq, String sessionId, int remaining) { this.at = at; this.seq = seq; this.sessionId = sessionId; this.remaining = remaining; }
        @Override public int compareTo(Visit o) { return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq); }
    }

    static final Map<String, Supplier> SUPPLIERS_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Recipe> recipes = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final WholesaleOrder[] recentOrders = new WholesaleOrder[RING];
        long orders, visits;
        final SessionStore store = new SessionStore(IDLE_TIMEOUT_SECONDS);
    }

    static Portal SERVICE;

    static final String[] LOCALES = {"en-GB", "fr-FR", "de-DE", "nl-NL", "es-ES", "it-IT"};
    static final String[] PAGES = {"/catalogue", "/recipes/search", "/cart", "/checkout", "/orders", "/invoices", "/account"};
    static final String[] LINES = {"Castile", "Goat milk", "Oatmeal", "Charcoal", "Lavender", "Shea butter", "Olive", "Glycerin"};
    static final String[] COUNTRIES = {"FR", "ES", "IT", "GR", "TR", "MA", "GH", "DE"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val47.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessionsTotal = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(47_010_001);
        String[] supplierCodes = new String[SUPPLIERS];
        for (int s = 0; s < SUPPLIERS; s++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 2 + rnd.nextDouble() * 40;
            String code = "SUP-" + (3_000 + s);
            supplierCodes[s] = code;
            SUPPLIERS_BY_CODE.put(code, new Supplier(code, "Supplier " + s, COUNTRIES[s % COUNTRIES.length], prices));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] recipeCodes = new String[RECIPES];
        for (int r = 0; r < RECIPES; r++) {
            String code = "RCP-" + (100_000 + r);
            recipeCodes[r] = code;
            svc.recipes.put(code, new Recipe(code, supplierCodes[rnd.nextInt(SUPPLIERS)], LINES[r % LINES.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        simulate(svc, sessionsTotal, start, end, recipeCodes);

        SessionStore st = svc.store;
        long oldest = Long.MAX_VALUE;
        for (Session s : st.sessions.values()) oldest = Math.min(oldest, s.lastAccessAt);
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " suppliers " + SUPPLIERS_BY_CODE.size() + " recipes " + svc.recipes.size() + " sessions " + st.sessions.size() + " (created " + st.created
                + ", expired " + st.expired + ", sweeps " + st.sweeps + ", oldest last access " + (end - oldest) / MINUTE + " min before the dump) visits " + svc.visits + " quotes " + svc.quotes.size()
                + " (evicted " + svc.quotes.evicted + ") pool " + svc.labelBuffers.size() + " orders " + svc.orders);
        check(SUPPLIERS_BY_CODE.size() == SUPPLIERS && svc.recipes.size() == RECIPES, "reference data / directory");
        check(st.created == sessionsTotal && st.sweeps == hours * 60L && st.lastSweepAt == end, "session traffic");
        if (FIXED) check(st.sessions.size() + st.expired == st.created && st.lastSweepAt - oldest <= st.idleTimeoutMillis, "sessions expire");
        else check(st.sessions.size() == sessionsTotal && st.expired == 0, "no session ever expires: " + st.sessions.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Browser sessions arrive evenly; each makes 1-9 page requests 20 s to 8 min apart; the sweeper runs every minute. */
    static void simulate(Portal svc, int sessionsTotal, long start, long end, String[] recipeCodes) {
        Random traffic = new Random(47_010_002);
        PriorityQueue<Visit> queue = new PriorityQueue<>();
        long seq = 0, nextSweep = start + MINUTE;
        int arrived = 0;
        while (true) {
            long nextArrival = arrived < sessionsTotal ? start + (end - MINUTE - start) * arrived / sessionsTotal : Long.MAX_VALUE;
            Visit head = queue.peek();
            long t = Math.min(nextArrival, head == null ? Long.MAX_VALUE : head.at);
            if (nextSweep <= t && nextSweep <= end) { svc.store.sweep(nextSweep); nextSweep += MINUTE; continue; }
            if (t == Long.MAX_VALUE) break;
            Visit v;
            if (head == null || nextArrival <= head.at) { v = new Visit(nextArrival, seq++, null, 1 + traffic.nextInt(9)); arrived++; }
            else v = queue.poll();
            svc.visits++;
            Session s;
            if (v.sessionId == null) {
                String id = Long.toHexString(traffic.nextLong() | (1L << 62));
                String customer = "CUST-" + (200_000 + traffic.nextInt(40_000));
                s = svc.store.create(id, customer, v.at);
                s.attributes.put("customer", customer);
                s.attributes.put("locale", LOCALES[traffic.nextInt(LOCALES.length)]);
                s.attributes.put("cart", new byte[120 + traffic.nextInt(200)]);
                s.attributes.put("csrf", Long.toHexString(traffic.nextLong()));
            } else {
                s = svc.store.touch(v.sessionId, v.at);
                if (s == null) throw new IllegalStateException("session " + v.sessionId + " expired while in use");
            }
            s.attributes.put("lastPage", PAGES[traffic.nextInt(PAGES.length)]);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[400 + traffic.nextInt(400)], v.at));
            if (traffic.nextInt(10) < 3) {
                svc.recentOrders[(int) (svc.orders % RING)] = new WholesaleOrder("WO-" + (5_000_000 + svc.orders), s.customerId, recipeCodes[traffic.nextInt(RECIPES)], 1 + traffic.nextInt(40), v.at);
                svc.orders++;
                byte[] buf = svc.labelBuffers.poll();
                buf[(int) (svc.orders % buf.length)] = (byte) svc.orders;
                svc.labelBuffers.add(buf);
            }
            if (v.remaining > 1) {
                long at = v.at + 20 * SECOND + traffic.nextInt(460) * SECOND;
                if (at < end) queue.add(new Visit(at, seq++, s.id, v.remaining - 1));
            }
        }
    }
}
