// hprofscan-dump: name=val49-leak-vintners-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val49-leak-vintners-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val49-leak-vintners jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val49-leak-vintners-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 49 (written blind), LEAK: the trade-buyer portal of a wine merchant (restaurants
 * and wine shops order by the case). Estate reference data, the wine list (a directory keyed by
 * SKU), a cache of rendered price lists at its cap, a pool of PDF render buffers, a ring of recent
 * trade orders, the map of open buyer sessions and one JMX MBean per cellar (registered once).
 * Every buyer session registers a per-session statistics MBean (SessionStats: counters and the last
 * 8 request records) with the platform MBeanServer under an ObjectName carrying the session id, so
 * support can look at a live session in JConsole. Closing the session removes it from the open map
 * but never unregisters the MBean: the MBeanServer's repository keeps every session ever opened.
 * See VALIDATION49.md.
 */
public final class Val49LeakVintners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int ESTATES = 1_400, WINES = 24_000, PRICE_CAP = 2_000, POOL = 8, RING = 8_192, CELLARS = 12,
            SESSIONS_PER_HOUR = 1_500, RECENT = 8;
    static final String DOMAIN = "com.vintners.portal";
    static boolean FIXED;

    record Estate(String code, String region, double[] vintageScores) {}
    record Wine(String sku, String estateCode, String cuvee, byte[] tastingNotes, long listedAt) {}
    record PriceList(String key, byte[] rendered, long at) {}
    record TradeOrder(String orderNo, String sku, int cases, long at) {}
    record RequestRecord(String path, int status, int micros, long at) {}

    /** Standard MBean interface of a buyer session. */
    public interface SessionStatsMBean {
        String getSessionId();
        String getBuyerId();
        long getOpenedAt();
        long getRequests();
        long getErrors();
        long getBytesOut();
        long getLastRequestAt();
        String[] getRecentRequests();
    }

    public static final class SessionStats implements SessionStatsMBean {
        final String sessionId, buyerId;
        final long openedAt;
        long requests, errors, bytesOut, lastRequestAt;
        final ArrayDeque<RequestRecord> recent = new ArrayDeque<>(RECENT);
        SessionStats(String sessionId, String buyerId, long openedAt) { this.sessionId = sessionId; this.buyerId = buyerId; this.openedAt = openedAt; }
        void record(RequestRecord r, int bytes) {
            requests++;
            if (r.status() >= 400) errors++;
            bytesOut += bytes;
            lastRequestAt = r.at();
            if (recent.size() == RECENT) recent.removeFirst();
            recent.addLast(r);
        }
        @Override public String getSessionId() { return sessionId; }
        @Override public String getBuyerId() { return buyerId; }
        @Override public long getOpenedAt() { return openedAt; }
        @Override public long getRequests() { return requests; }
        @Override public long getErrors() { return errors; }
        @Override public long getBytesOut() { return bytesOut; }
        @Override public long getLastRequestAt() { return lastRequestAt; }
        @Override public String[] getRecentRequests() { return recent.stream().map(RequestRecord::toString).toArray(String[]::new); }
    }

    /** Standard MBean of a cellar (registered once at startup, legitimately long-lived). */
    public interface CellarStatsMBean {
        String getCellar();
        long getPicks();
    }

    public static final class CellarStats implements CellarStatsMBean {
        final String cellar;
        long picks;
        CellarStats(String cellar) { this.cellar = cellar; }
        @Override public String getCellar() { return cellar; }
        @Override public long getPicks() { return picks; }
    }

    record Session(String id, String buyerId, ObjectName name, SessionStats stats, long openedAt, long closesAt, int requests) {}

    static final class PriceListCache extends LinkedHashMap<String, PriceList> {
        long evicted;
        PriceListCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PriceList> e) { if (size() > PRICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Estate> ESTATES_BY_CODE = new HashMap<>();

    static final class Portal {
        final Map<String, Wine> wines = new HashMap<>();
        final PriceListCache priceLists = new PriceListCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final TradeOrder[] recentOrders = new TradeOrder[RING];
        long orders;
        final Map<String, Session> open = new HashMap<>();
        final CellarStats[] cellars = new CellarStats[CELLARS];
        final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long opened, closed, unregistered, requests;

        Session openSession(String id, String buyerId, long at, long closesAt, int requests) throws Exception {
            SessionStats stats = new SessionStats(id, buyerId, at);
            ObjectName name = new ObjectName(DOMAIN + ":type=SessionStats,session=" + id);
            mbs.registerMBean(stats, name);
            Session s = new Session(id, buyerId, name, stats, at, closesAt, requests);
            open.put(id, s);
            opened++;
            return s;
        }

        void closeSession(Session s) throws Exception {
            open.remove(s.id());
            closed++;
            if (FIXED) { // unregister the session's MBean when the session closes
                mbs.unregisterMBean(s.name());
                unregistered++;
            }
            // BUG: the SessionStats MBean stays registered with the platform MBeanServer
        }

        /** Serves the session's requests (between its opening and min(close, end)). */
        void serve(Session s, long until, String[] skus, Random r) {
            long span = Math.max(1, until - s.openedAt());
            int n = s.requests();
            for (int k = 0; k < n; k++) {
                long at = s.openedAt() + span * (k + 1) / (n + 1);
                int kind = r.nextInt(10);
                String path;
                int bytes;
                if (kind < 4) {
                    String key = "pl-" + r.nextInt(5_000);
                    PriceList pl = priceLists.get(key);
                    if (pl == null) { pl = new PriceList(key, new byte[500 + r.nextInt(500)], at); priceLists.put(key, pl); }
                    path = "/prices";
                    bytes = pl.rendered().length;
                    byte[] buf = pdfBuffers.poll();
                    buf[k % buf.length] = (byte) k;
                    pdfBuffers.add(buf);
                } else if (kind < 6) {
                    String sku = skus[r.nextInt(skus.length)];
                    recentOrders[(int) (orders % RING)] = new TradeOrder("TO-" + (4_000_000 + orders), sku, 1 + r.nextInt(24), at);
                    orders++;
                    cellars[(int) (orders % CELLARS)].picks++;
                    path = "/orders";
                    bytes = 900;
                } else {
                    path = kind < 9 ? "/wines" : "/cart";
                    bytes = 2_000 + r.nextInt(6_000);
                }
                int status = r.nextInt(50) == 0 ? 404 : 200;
                s.stats().record(new RequestRecord(path, status, 800 + r.nextInt(40_000), at), bytes);
                requests++;
            }
        }
    }

    static Portal SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val49.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(49_010_001);
        String[] regions = {"Bordeaux", "Burgundy", "Rioja", "Barossa", "Napa", "Mosel", "Piedmont", "Douro", "Marlborough", "Mendoza"};
        String[] estateCodes = new String[ESTATES];
        for (int e = 0; e < ESTATES; e++) {
            double[] scores = new double[60];
            for (int k = 0; k < scores.length; k++) scores[k] = 80 + rnd.nextDouble() * 20;
            estateCodes[e] = "EST-" + (10_000 + e);
            ESTATES_BY_CODE.put(estateCodes[e], new Estate(estateCodes[e], regions[e % regions.length], scores));
        }
        Portal svc = new Portal();
        SERVICE = svc;
        String[] cuvees = {"Grand Vin", "Reserve", "Cuvee Prestige", "Old Vines", "Single Vineyard", "Estate Red", "Estate White", "Late Harvest"};
        String[] skus = new String[WINES];
        for (int w = 0; w < WINES; w++) {
            skus[w] = "SKU" + (3_000_000 + w * 3);
            svc.wines.put(skus[w], new Wine(skus[w], estateCodes[rnd.nextInt(ESTATES)], cuvees[w % cuvees.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        for (int c = 0; c < CELLARS; c++) {
            svc.cellars[c] = new CellarStats("cellar-" + (char) ('A' + c));
            svc.mbs.registerMBean(svc.cellars[c], new ObjectName(DOMAIN + ":type=CellarStats,cellar=" + svc.cellars[c].getCellar()));
        }
        Random traffic = new Random(49_010_002);
        // Simulation driver: sessions closing in time order (not part of the service).
        PriorityQueue<Session> closing = new PriorityQueue<>((a, b) -> Long.compare(a.closesAt(), b.closesAt()));
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (!closing.isEmpty() && closing.peek().closesAt() <= t) {
                Session s = closing.poll();
                svc.serve(s, s.closesAt(), skus, traffic);
                svc.closeSession(s);
            }
            String id = Long.toHexString(0x5e55_0000_0000L + (long) i * 7_919);
            String buyer = "B" + (200_000 + traffic.nextInt(9_000));
            long closesAt = t + (5 + traffic.nextInt(36)) * MINUTE;
            closing.add(svc.openSession(id, buyer, t, closesAt, 4 + traffic.nextInt(27)));
        }
        while (!closing.isEmpty() && closing.peek().closesAt() <= end) {
            Session s = closing.poll();
            svc.serve(s, s.closesAt(), skus, traffic);
            svc.closeSession(s);
        }
        int stillOpen = closing.size();
        for (Session s : closing) svc.serve(s, end, skus, traffic); // open sessions: their requests so far
        closing.clear();
        closing = null;
        int sessionBeans = svc.mbs.queryNames(new ObjectName(DOMAIN + ":type=SessionStats,*"), null).size();
        int cellarBeans = svc.mbs.queryNames(new ObjectName(DOMAIN + ":type=CellarStats,*"), null).size();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " estates " + ESTATES_BY_CODE.size() + " wines " + svc.wines.size() + " sessions opened " + svc.opened + " closed " + svc.closed
                + " open " + svc.open.size() + " unregistered " + svc.unregistered + " session MBeans " + sessionBeans + " cellar MBeans " + cellarBeans + " requests " + svc.requests
                + " price lists " + svc.priceLists.size() + " (evicted " + svc.priceLists.evicted + ") pool " + svc.pdfBuffers.size() + " orders " + svc.orders);
        check(ESTATES_BY_CODE.size() == ESTATES && svc.wines.size() == WINES, "reference data / directory");
        check(svc.opened == sessions && svc.closed + stillOpen == sessions && svc.open.size() == stillOpen, "sessions");
        check(cellarBeans == CELLARS, "cellar MBeans");
        if (FIXED) check(sessionBeans == stillOpen && svc.unregistered == svc.closed, "only open sessions registered: " + sessionBeans);
        else check(sessionBeans == sessions && svc.unregistered == 0, "every session still registered: " + sessionBeans);
        check(svc.priceLists.size() == PRICE_CAP && svc.priceLists.evicted > 0, "price list cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
