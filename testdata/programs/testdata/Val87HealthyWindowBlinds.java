// hprofscan-dump: name=val87-healthy-windowblinds jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val87-healthy-windowblinds-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;

/**
 * Validation set 87 (written blind), HEALTHY: the web shop of a made-to-measure window-blinds
 * maker. Fabric reference data, the order directory keyed by order number, a cache of rendered
 * quotes at its cap (keyed by fabric and whole-millimetre size bands, not by the float the browser
 * sends), a mill-stock fan-out through an ExecutorCompletionService whose results are taken with
 * take(), customer sessions whose per-form CSRF tokens are removed when the form is submitted (and
 * dropped after an hour if abandoned) and which expire after 30 idle minutes, a ring of fitting
 * appointments and a pool of cutting-plan buffers. See VALIDATION87.md.
 */
public final class Val87HealthyWindowBlinds {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE_TIMEOUT = 30 * MINUTE, TOKEN_MAX_AGE = HOUR;
    static final int FABRICS = 1_200, ORDERS = 26_000, QUOTE_CAP = 2_000, POOL = 10, RING = 8_192, QUOTES_PER_HOUR = 3_000, FORMS_PER_HOUR = 1_500, MILLS = 4, HOURS = 10;
    static final String CSRF_PREFIX = "csrf.";
    static final String[] FORMS = {"quote-request", "free-samples", "measure-visit", "checkout"};

    record Fabric(String code, String name, double[] priceByWidthBand) {}
    record Order(String orderNumber, String fabricCode, int widthMm, int dropMm, byte[] measurementSheet, long placedAt) {}
    record QuoteKey(String fabricCode, int widthBand, int dropBand) {}
    record Quote(QuoteKey key, byte[] rendered, long at) {}
    record MillStock(String mill, String fabricCode, int metres, long checkedAt, byte[] reply) {}
    record Fitting(String orderNumber, String fitter, long at) {}
    record FormToken(String token, String form, long issuedAt) {}

    static final class CallerRunsExecutor implements Executor {
        long ran;
        @Override public void execute(Runnable task) { ran++; task.run(); }
    }

    static final class QuoteCache extends LinkedHashMap<QuoteKey, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<QuoteKey, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final class CustomerSession {
        final String id; final long createdAt; long lastAccessedAt;
        final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
        CustomerSession(String id, long createdAt) { this.id = id; this.createdAt = createdAt; this.lastAccessedAt = createdAt; }
    }

    static final class SessionManager {
        final ConcurrentHashMap<String, CustomerSession> sessions = new ConcurrentHashMap<>();
        long created, expired;
        void expireIdle(long now) {
            for (Iterator<CustomerSession> it = sessions.values().iterator(); it.hasNext(); ) if (now - it.next().lastAccessedAt > IDLE_TIMEOUT) { it.remove(); expired++; }
        }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();

    static final class BlindsService {
        final Map<String, Order> orders = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final CallerRunsExecutor millExecutor = new CallerRunsExecutor();
        final ExecutorCompletionService<MillStock> millStock = new ExecutorCompletionService<>(millExecutor);
        final SessionManager sessionManager = new SessionManager();
        final Fitting[] fittings = new Fitting[RING];
        final ArrayDeque<byte[]> cutBuffers = new ArrayDeque<>();
        long quoteRequests, stockChecks, stockTaken, fittingsBooked, formsRendered, formsSubmitted, tokensDropped;

        Quote quote(String fabricCode, float widthMm, float dropMm, Random r, long at) throws Exception {
            quoteRequests++;
            for (int m = 0; m < MILLS; m++) {
                String mill = "MILL-" + m;
                int metres = r.nextInt(400);
                int replySize = 40 + r.nextInt(40);
                millStock.submit(() -> new MillStock(mill, fabricCode, metres, at, new byte[replySize]));
                stockChecks++;
            }
            int available = 0;
            for (int m = 0; m < MILLS; m++) { available += millStock.take().get().metres(); stockTaken++; } // every completion is taken
            QuoteKey key = new QuoteKey(fabricCode, Math.round(widthMm / 50f), Math.round(dropMm / 100f));
            int size = 600 + r.nextInt(600);
            Quote q = quotes.get(key);
            if (q == null) { q = new Quote(key, new byte[size], at); quotes.put(key, q); }
            byte[] buf = cutBuffers.poll();
            buf[(int) (quoteRequests % buf.length)] = (byte) available;
            cutBuffers.add(buf);
            return q;
        }

        String renderForm(CustomerSession s, String form, Random r, long at) {
            for (Iterator<Map.Entry<String, Object>> it = s.attributes.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Object> e = it.next();
                if (e.getKey().startsWith(CSRF_PREFIX) && at - ((FormToken) e.getValue()).issuedAt() > TOKEN_MAX_AGE) { it.remove(); tokensDropped++; }
            }
            String token = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
            s.attributes.put(CSRF_PREFIX + token, new FormToken(token, form, at));
            s.lastAccessedAt = at;
            formsRendered++;
            return token;
        }

        boolean submitForm(CustomerSession s, String token, long at) {
            Object t = s.attributes.remove(CSRF_PREFIX + token); // a token is good for one submission
            s.lastAccessedAt = at;
            if (t != null) formsSubmitted++;
            return t != null;
        }
    }

    record PendingSubmit(long at, CustomerSession session, String token) {}
    static final class Browsing { final CustomerSession s; int formsLeft; Browsing(CustomerSession s, int formsLeft) { this.s = s; this.formsLeft = formsLeft; } }

    static BlindsService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static BlindsService build(long now, long start, long end) throws Exception {
        Random rnd = new Random(87_060_001);
        String[] fabricCodes = new String[FABRICS];
        for (int f = 0; f < FABRICS; f++) {
            double[] prices = new double[64];
            for (int k = 0; k < prices.length; k++) prices[k] = 20 + rnd.nextDouble() * 180;
            fabricCodes[f] = "FB-" + (8_000 + f);
            FABRICS_BY_CODE.put(fabricCodes[f], new Fabric(fabricCodes[f], "Fabric " + f, prices));
        }
        BlindsService svc = new BlindsService();
        String[] orderNumbers = new String[ORDERS];
        for (int o = 0; o < ORDERS; o++) {
            orderNumbers[o] = "MB" + (60_000_000 + o * 3);
            svc.orders.put(orderNumbers[o], new Order(orderNumbers[o], fabricCodes[rnd.nextInt(FABRICS)], 400 + rnd.nextInt(2_000), 500 + rnd.nextInt(2_500), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.cutBuffers.add(new byte[32_768]);
        Random traffic = new Random(87_060_002);
        int quotes = QUOTES_PER_HOUR * HOURS;
        for (int i = 0; i < quotes; i++) {
            long t = start + (end - MINUTE - start) * i / quotes;
            float width = 400 + traffic.nextFloat() * 2_000, drop = 500 + traffic.nextFloat() * 2_500; // as typed into the browser
            svc.quote(fabricCodes[(int) (FABRICS * Math.pow(traffic.nextDouble(), 2))], width, drop, traffic, t);
            if (i % 2 == 0) svc.fittings[(int) (svc.fittingsBooked++ % RING)] = new Fitting(orderNumbers[traffic.nextInt(ORDERS)], "Fitter " + traffic.nextInt(90), t + (1 + traffic.nextInt(14)) * DAY);
        }
        Random shoppers = new Random(87_060_003);
        PriorityQueue<PendingSubmit> pending = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        List<Browsing> browsing = new ArrayList<>();
        int forms = FORMS_PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < forms; i++) {
            long t = start + (end - MINUTE - start) * i / forms;
            while (!pending.isEmpty() && pending.peek().at() <= t) { PendingSubmit p = pending.poll(); svc.submitForm(p.session(), p.token(), p.at()); }
            while (nextSweep <= t) { svc.sessionManager.expireIdle(nextSweep); nextSweep += MINUTE; }
            Browsing b;
            if (browsing.isEmpty() || shoppers.nextInt(100) < 30) {
                CustomerSession s = new CustomerSession(Long.toHexString(shoppers.nextLong() | Long.MIN_VALUE), t);
                s.attributes.put("basket", new byte[100 + shoppers.nextInt(200)]);
                s.attributes.put("currency", "GBP");
                svc.sessionManager.sessions.put(s.id, s); svc.sessionManager.created++;
                b = new Browsing(s, 1 + shoppers.nextInt(3));
                browsing.add(b);
            } else {
                b = browsing.get(shoppers.nextInt(browsing.size()));
            }
            if (--b.formsLeft <= 0) browsing.remove(b);
            String token = svc.renderForm(b.s, FORMS[shoppers.nextInt(FORMS.length)], shoppers, t);
            if (shoppers.nextInt(100) < 80) pending.add(new PendingSubmit(t + (1 + shoppers.nextInt(10)) * MINUTE, b.s, token));
        }
        while (!pending.isEmpty() && pending.peek().at() <= end) { PendingSubmit p = pending.poll(); svc.submitForm(p.session(), p.token(), p.at()); }
        svc.sessionManager.expireIdle(end);
        return svc;
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        BlindsService svc = build(now, start, end);
        SERVICE = svc;
        long tokens = 0;
        for (CustomerSession s : svc.sessionManager.sessions.values()) for (String k : s.attributes.keySet()) if (k.startsWith(CSRF_PREFIX)) tokens++;
        SessionManager sm = svc.sessionManager;
        System.out.println("fabrics " + FABRICS_BY_CODE.size() + " orders " + svc.orders.size() + " quotes " + svc.quotes.size() + " (requests " + svc.quoteRequests + ", evicted " + svc.quotes.evicted
                + ") stock checks " + svc.stockChecks + " taken " + svc.stockTaken + " sessions " + sm.sessions.size() + " (created " + sm.created + ", expired " + sm.expired + ") forms " + svc.formsRendered
                + " submitted " + svc.formsSubmitted + " tokens dropped " + svc.tokensDropped + " live tokens " + tokens + " fittings " + svc.fittingsBooked + " pool " + svc.cutBuffers.size());
        check(FABRICS_BY_CODE.size() == FABRICS && svc.orders.size() == ORDERS, "reference data / directory");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.stockChecks == (long) QUOTES_PER_HOUR * HOURS * MILLS && svc.stockTaken == svc.stockChecks && svc.millExecutor.ran == svc.stockChecks, "completion queue drained");
        check(svc.formsRendered == (long) FORMS_PER_HOUR * HOURS && sm.sessions.size() < 1_000 && sm.expired > 0 && tokens < 1_000, "sessions / tokens bounded: " + sm.sessions.size() + " / " + tokens);
        check(svc.fittingsBooked == QUOTES_PER_HOUR * HOURS / 2 && svc.fittings[RING - 1] != null, "ring");
        check(svc.cutBuffers.size() == POOL, "pool");
        LeakCheck.histogram(" [I (", " java.util.concurrent.FutureTask ", "java.util.concurrent.LinkedBlockingQueue$Node", "ExecutorCompletionService");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
