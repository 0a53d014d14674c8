// hprofscan-dump: name=val52-leak-enamellers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val52-leak-enamellers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 52 (written blind), LEAK: the order desk of a maker of enamel pins and badges.
 * Enamel colour reference data, the order directory, a cache of rendered proof thumbnails at its
 * cap, a ring of kiln readings, a pool of render buffers, the staff's saved search filters, and
 * the support console's search: each search is turned into a regular expression and compiled
 * through a cache of compiled patterns (a ConcurrentHashMap<String, Pattern> without a bound). The
 * order search builds its expression with the order number and the date the customer gave
 * embedded in it, so nearly every search compiles a new Pattern and the cache keeps it forever.
 * See VALIDATION52.md.
 */
public final class Val52LeakEnamellers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int COLOURS = 1_200, ORDERS = 22_000, PROOF_CAP = 2_000, POOL = 8, RING = 16_384, SEARCHES_PER_HOUR = 1_500, HOURS = 10;
    static boolean FIXED;

    record Colour(String code, String name, double[] firingCurve) {}
    record PinOrder(String orderNo, String customer, String placedOn, String status, byte[] artworkNotes, long placedAt) {}
    record Proof(String key, byte[] rendered, long at) {}
    record KilnReading(String kiln, int celsius, long at) {}
    record SavedFilter(String name, String regex) {}

    /** The support console's search: every query becomes a regex, compiled through the cache. */
    static final class OrderSearch {
        final ConcurrentHashMap<String, Pattern> compiled = new ConcurrentHashMap<>();
        final List<SavedFilter> savedFilters = new ArrayList<>();
        long searches, compilations, hits;
        Pattern pattern(String regex) {
            Pattern p = compiled.get(regex);
            if (p == null) { p = Pattern.compile(regex); compiled.put(regex, p); compilations++; }
            return p;
        }
        static final String ORDER_SHAPE = "(?i)\\bEN-0*(\\d+) (\\w+) placed (\\d{4}-\\d{2}-\\d{2})\\b";
        /** The console form: order number, the date the customer gives, optionally a status; finds the order's summary line. */
        int findOrder(List<String> lines, String orderNo, String status, String date) {
            searches++;
            int found = 0;
            if (FIXED) { // one pattern for the shape; the per-request values are compared to its groups
                Pattern p = pattern(ORDER_SHAPE);
                for (String line : lines) {
                    Matcher m = p.matcher(line);
                    if (m.find() && m.group(1).equals(orderNo) && (status == null || m.group(2).equalsIgnoreCase(status)) && m.group(3).equals(date)) found++;
                }
            } else { // BUG: the per-request values are embedded in the expression, so every search compiles (and caches) a new Pattern
                Pattern p = pattern("(?i)\\bEN-0*" + orderNo + (status == null ? "\\b.*" : " " + status + " ") + "placed " + date + "\\b");
                for (String line : lines) if (p.matcher(line).find()) found++;
            }
            hits += found;
            return found;
        }
        int applyFilter(List<String> lines, SavedFilter f) {
            searches++;
            Pattern p = pattern(f.regex());
            int found = 0;
            for (String line : lines) if (p.matcher(line).find()) found++;
            hits += found;
            return found;
        }
    }

    static final Map<String, Colour> COLOURS_BY_CODE = new HashMap<>();

    static final class OrderDesk {
        final Map<String, PinOrder> orders = new HashMap<>();
        final LinkedHashMap<String, Proof> proofs = new LinkedHashMap<>(4_096, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { proofsEvicted++; return true; } return false; }
        };
        long proofsEvicted;
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final KilnReading[] kilnLog = new KilnReading[RING];
        long readings;
        final OrderSearch search = new OrderSearch();
    }

    static OrderDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val52.fixed");
        int searches = SEARCHES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(52_030_001);
        for (int c = 0; c < COLOURS; c++) {
            double[] curve = new double[48];
            for (int k = 0; k < curve.length; k++) curve[k] = 600 + rnd.nextDouble() * 250;
            String code = "ENC-" + (100 + c);
            COLOURS_BY_CODE.put(code, new Colour(code, "Colour " + c, curve));
        }
        OrderDesk svc = new OrderDesk();
        SERVICE = svc;
        String[] statuses = {"proof", "approved", "kiln", "plating", "packed", "shipped"};
        String[] orderNos = new String[ORDERS];
        String[] placedOn = new String[ORDERS];
        List<String> summaryLines = new ArrayList<>();
        for (int o = 0; o < ORDERS; o++) {
            orderNos[o] = Integer.toString(1_000_000 + o * 7);
            long placedAt = now - (long) (1 + rnd.nextInt(120)) * DAY;
            placedOn[o] = java.time.LocalDate.ofEpochDay(Math.floorDiv(placedAt, DAY)).toString();
            String status = statuses[rnd.nextInt(statuses.length)];
            svc.orders.put(orderNos[o], new PinOrder(orderNos[o], "Shop " + (o % 900), placedOn[o], status, new byte[150 + rnd.nextInt(150)], placedAt));
        }
        String[] filterNames = {"open proofs", "waiting approval", "in kiln", "plating", "packed today", "shipped", "rush", "re-fire", "hard enamel", "soft enamel",
                "glitter", "glow", "2 inch", "1 inch", "cutout", "backstamp", "rubber clutch", "magnet", "reorder", "sample"};
        for (int f = 0; f < filterNames.length; f++) svc.search.savedFilters.add(new SavedFilter(filterNames[f], "(?i)\\b" + filterNames[f].replace(" ", "\\s+") + "\\b"));
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(52_030_002);
        int orderSearches = 0, filterSearches = 0;
        for (int i = 0; i < searches; i++) {
            long t = start + (end - MINUTE - start) * i / searches;
            // the summary lines the console searched (a page of 40 recent orders)
            int from = traffic.nextInt(ORDERS - 40);
            List<String> page = new ArrayList<>(40);
            for (int k = from; k < from + 40; k++) page.add("EN-" + orderNos[k] + " " + svc.orders.get(orderNos[k]).status() + " placed " + placedOn[k]);
            if (traffic.nextInt(10) < 9) {
                int o = from + traffic.nextInt(40);
                // the customer gives the order number and the date, four times in ten off by up to 3 days; staff pick a status half of the time
                int off = traffic.nextInt(10) < 6 ? 0 : traffic.nextInt(7) - 3;
                String date = off == 0 ? placedOn[o] : java.time.LocalDate.parse(placedOn[o]).plusDays(off).toString();
                String status = traffic.nextBoolean() ? null : statuses[traffic.nextInt(statuses.length)];
                svc.search.findOrder(page, orderNos[o], status, date);
                orderSearches++;
            } else {
                svc.search.applyFilter(page, svc.search.savedFilters.get(traffic.nextInt(filterNames.length)));
                filterSearches++;
            }
            String key = "proof-" + traffic.nextInt(5_000);
            if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[600 + traffic.nextInt(600)], t));
            for (int r = 0; r < 4; r++) svc.kilnLog[(int) (svc.readings++ % RING)] = new KilnReading("KILN-" + (1 + traffic.nextInt(6)), 760 + traffic.nextInt(80), t + r * 1_000);
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        OrderSearch s = svc.search;
        System.out.println((FIXED ? "FIXED " : "") + "colours " + COLOURS_BY_CODE.size() + " orders " + svc.orders.size() + " searches " + s.searches + " (order " + orderSearches + ", filter " + filterSearches
                + ", hits " + s.hits + ") compiled patterns " + s.compiled.size() + " (compilations " + s.compilations + ") proofs " + svc.proofs.size() + " (evicted " + svc.proofsEvicted + ") pool "
                + svc.renderBuffers.size() + " readings " + svc.readings);
        check(COLOURS_BY_CODE.size() == COLOURS && svc.orders.size() == ORDERS, "reference data / directory");
        check(s.searches == searches && s.compilations == s.compiled.size(), "search traffic");
        if (FIXED) check(s.compiled.size() <= filterNames.length + 1, "pattern cache holds the shapes: " + s.compiled.size());
        else check(s.compiled.size() > orderSearches * 9L / 10, "pattern cache keeps per-request patterns: " + s.compiled.size());
        check(svc.proofs.size() == PROOF_CAP && svc.proofsEvicted > 0, "proof cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.readings == 4L * searches && svc.kilnLog[RING - 1] != null, "kiln ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
