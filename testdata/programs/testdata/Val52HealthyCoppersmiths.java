// hprofscan-dump: name=val52-healthy-coppersmiths jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val52-healthy-coppersmiths-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 52 (written blind), HEALTHY: the workshop service of a coppersmiths' firm that
 * makes and re-tins copper pans. Pan-design reference data, the order directory, a cache of
 * rendered spec sheets at its cap, a ring of hammer-shop work-log entries, a hand-written database
 * connection pool whose connections are always returned (try/finally), and the order search: the
 * fixed search shapes are compiled once (the order number and date are compared to the pattern's
 * groups), and free-text searches typed by staff go through an LRU of compiled patterns capped at
 * 500 (at its cap). See VALIDATION52.md.
 */
public final class Val52HealthyCoppersmiths {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DESIGNS = 1_100, ORDERS = 26_000, SHEET_CAP = 2_000, ADHOC_CAP = 500, PREWARM = 16, RING = 16_384, REQUESTS_PER_HOUR = 3_000, HOURS = 10;

    record Design(String code, String name, double[] tinningProfile) {}
    record RetinOrder(String orderNo, String customer, String placedOn, String status, byte[] notes, long placedAt) {}
    record SpecSheet(String key, byte[] rendered, long at) {}
    record WorkLogEntry(String orderNo, String smith, String step, long at) {}

    static final class QueryFailedException extends Exception {
        QueryFailedException(String m) { super(m, null, false, false); }
    }

    static final class PooledConnection {
        final int id; final long createdAt;
        final byte[] sendBuffer = new byte[4_096], recvBuffer = new byte[8_192];
        final Map<String, String> sessionSettings = new HashMap<>();
        long borrowedAt; String borrowedBy; long uses;
        PooledConnection(int id, long createdAt) {
            this.id = id; this.createdAt = createdAt;
            sessionSettings.put("application_name", "workshop");
            sessionSettings.put("search_path", "orders,designs");
            sessionSettings.put("statement_timeout", "5000");
            sessionSettings.put("lock_timeout", "2000");
        }
    }

    static final class ConnectionPool {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> leased = new HashSet<>();
        int created; long borrows, releases;
        PooledConnection borrow(String by, long at) {
            PooledConnection c = idle.pollFirst();
            if (c == null) c = new PooledConnection(++created, at);
            c.borrowedAt = at; c.borrowedBy = by; c.uses++;
            leased.add(c);
            borrows++;
            return c;
        }
        void release(PooledConnection c) { leased.remove(c); c.borrowedBy = null; idle.addFirst(c); releases++; }
    }

    /** Order search: fixed shapes compiled once; free-text searches through a bounded LRU. */
    static final class OrderSearch {
        static final String ORDER_SHAPE = "(?i)\\bCU-0*(\\d+)\\b.*\\bplaced (\\d{4}-\\d{2}-\\d{2})\\b";
        final ConcurrentHashMap<String, Pattern> shapes = new ConcurrentHashMap<>();
        final LinkedHashMap<String, Pattern> adhoc = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) { if (size() > ADHOC_CAP) { adhocEvicted++; return true; } return false; }
        };
        long adhocEvicted, searches, hits;
        Pattern shape(String regex) { return shapes.computeIfAbsent(regex, Pattern::compile); }
        int findOrder(List<String> lines, String orderNo, String date) {
            searches++;
            Pattern p = shape(ORDER_SHAPE);
            int found = 0;
            for (String line : lines) {
                Matcher m = p.matcher(line);
                if (m.find() && m.group(1).equals(orderNo) && m.group(2).equals(date)) found++;
            }
            hits += found;
            return found;
        }
        int freeText(List<String> lines, String typed) {
            searches++;
            Pattern p = adhoc.get(typed);
            if (p == null) { p = Pattern.compile(typed, Pattern.CASE_INSENSITIVE); adhoc.put(typed, p); }
            int found = 0;
            for (String line : lines) if (p.matcher(line).find()) found++;
            hits += found;
            return found;
        }
    }

    static final Map<String, Design> DESIGNS_BY_CODE = new HashMap<>();

    static final class Workshop {
        final Map<String, RetinOrder> orders = new HashMap<>();
        final LinkedHashMap<String, SpecSheet> sheets = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, SpecSheet> e) { if (size() > SHEET_CAP) { sheetsEvicted++; return true; } return false; }
        };
        long sheetsEvicted;
        final WorkLogEntry[] workLog = new WorkLogEntry[RING];
        long logged, queries, failures;
        final ConnectionPool db = new ConnectionPool();
        final OrderSearch search = new OrderSearch();

        void query(String by, Random r, int n, long at) {
            queries++;
            PooledConnection c = db.borrow(by, at);
            try {
                c.sendBuffer[n % c.sendBuffer.length] = (byte) n;
                c.recvBuffer[n % c.recvBuffer.length] = (byte) (n >> 8);
                if (r.nextInt(100) < 3) throw new QueryFailedException("lock timeout on orders.retin");
            } catch (QueryFailedException e) {
                failures++;
            } finally {
                db.release(c);
            }
        }
    }

    static Workshop SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(52_060_001);
        String[] panNames = {"saute pan", "stock pot", "saucier", "jam pan", "fish kettle", "roasting tin", "gratin", "bain-marie"};
        for (int d = 0; d < DESIGNS; d++) {
            double[] profile = new double[80];
            for (int k = 0; k < profile.length; k++) profile[k] = 0.1 + rnd.nextDouble() * 0.4;
            String code = "PAN-" + (400 + d);
            DESIGNS_BY_CODE.put(code, new Design(code, panNames[d % panNames.length], profile));
        }
        Workshop svc = new Workshop();
        SERVICE = svc;
        String[] statuses = {"received", "stripped", "tinned", "polished", "ready", "collected"};
        String[] orderNos = new String[ORDERS];
        String[] placedOn = new String[ORDERS];
        for (int o = 0; o < ORDERS; o++) {
            orderNos[o] = Integer.toString(2_000_000 + o * 9);
            long placedAt = now - (long) (1 + rnd.nextInt(150)) * DAY;
            placedOn[o] = java.time.LocalDate.ofEpochDay(Math.floorDiv(placedAt, DAY)).toString();
            svc.orders.put(orderNos[o], new RetinOrder(orderNos[o], "Kitchen " + (o % 1_200), placedOn[o], statuses[rnd.nextInt(statuses.length)], new byte[150 + rnd.nextInt(150)], placedAt));
        }
        for (int k = 0; k < PREWARM; k++) svc.db.idle.add(new PooledConnection(++svc.db.created, start - 5 * MINUTE));
        Random traffic = new Random(52_060_002);
        String[] smiths = {"Abel", "Bryn", "Cora", "Dai", "Edda", "Finn", "Gwen", "Hal"};
        String[] steps = {"strip", "scour", "flux", "tin", "wipe", "planish", "polish", "inspect"};
        String[] words = {"tinned", "ready", "rush", "dented", "handle", "rivet", "lid", "restaurant", "hotel", "copper", "brass", "iron", "polished", "quote", "collected", "kitchen"};
        int orderSearches = 0, freeTexts = 0;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            int o = traffic.nextInt(ORDERS);
            svc.query("req-" + i, traffic, i, t);
            for (int r = 0; r < 2; r++) svc.workLog[(int) (svc.logged++ % RING)] = new WorkLogEntry(orderNos[traffic.nextInt(ORDERS)], smiths[traffic.nextInt(smiths.length)], steps[traffic.nextInt(steps.length)], t + r * 500);
            String key = "sheet-" + traffic.nextInt(5_000);
            if (svc.sheets.get(key) == null) svc.sheets.put(key, new SpecSheet(key, new byte[600 + traffic.nextInt(600)], t));
            if (i % 2 == 0) {
                int from = Math.min(o, ORDERS - 40);
                List<String> page = new ArrayList<>(40);
                for (int k = from; k < from + 40; k++) page.add("CU-" + orderNos[k] + " " + svc.orders.get(orderNos[k]).status() + " placed " + placedOn[k]);
                if (traffic.nextInt(3) > 0) { svc.search.findOrder(page, orderNos[o], placedOn[o]); orderSearches++; }
                else { svc.search.freeText(page, words[traffic.nextInt(words.length)] + ".*" + words[traffic.nextInt(words.length)] + "|" + words[traffic.nextInt(words.length)] + "\\s+" + (1 + traffic.nextInt(9))); freeTexts++; }
            }
        }
        OrderSearch s = svc.search;
        ConnectionPool p = svc.db;
        System.out.println("designs " + DESIGNS_BY_CODE.size() + " orders " + svc.orders.size() + " queries " + svc.queries + " (failed " + svc.failures + ") pool created " + p.created + " idle "
                + p.idle.size() + " leased " + p.leased.size() + " searches " + s.searches + " (order " + orderSearches + ", free text " + freeTexts + ", hits " + s.hits + ") shapes " + s.shapes.size()
                + " adhoc " + s.adhoc.size() + " (evicted " + s.adhocEvicted + ") sheets " + svc.sheets.size() + " (evicted " + svc.sheetsEvicted + ") work log " + svc.logged);
        check(DESIGNS_BY_CODE.size() == DESIGNS && svc.orders.size() == ORDERS, "reference data / directory");
        check(p.leased.isEmpty() && p.created == PREWARM && p.idle.size() == PREWARM && p.releases == requests && svc.failures > 0, "pool all returned");
        check(s.shapes.size() == 1 && s.adhoc.size() == ADHOC_CAP && s.adhocEvicted > 0 && s.hits > 0, "pattern caches bounded");
        check(svc.sheets.size() == SHEET_CAP && svc.sheetsEvicted > 0, "sheet cache at cap");
        check(svc.logged == 2L * requests && svc.workLog[RING - 1] != null, "work-log ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
