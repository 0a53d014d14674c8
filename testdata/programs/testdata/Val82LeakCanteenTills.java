// hprofscan-dump: name=val82-leak-canteentills jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val82-leak-canteentills-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 82 (written blind), LEAK: the till pricing service of a contract caterer that
 * runs 300 staff canteens. Menu reference data, the diner (badge) directory, a cache of rendered
 * e-receipts at its cap, a pool of receipt-printer buffers, a ring of recent baskets and a daily
 * tally per canteen. Every priced basket also writes one line to the PricingTrace singleton (an
 * enum constant holding a PrintWriter over a StringWriter) "to debug subsidy rules": nothing ever
 * reads, ships or resets it, so its StringBuffer holds every line since start in one char array
 * (UTF-16, because the lines carry euro signs). See VALIDATION82.md.
 */
public final class Val82LeakCanteenTills {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MENU_ITEMS = 1_400, DINERS = 30_000, CANTEENS = 300, RECEIPT_CAP = 2_000, POOL = 8, RING = 16_384, BASKETS_PER_HOUR = 3_400, HOURS = 10, ROTATE_EVERY = 1_500;
    static boolean FIXED;

    record MenuItem(String code, String name, int priceCents, double[] nutrition, boolean[] allergens) {}
    record Diner(String badge, String employer, String costCentre, byte[] subsidyProfile, long enrolledAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Basket(long basketId, String till, String badge, int items, int totalCents, long at) {}

    /** Per canteen, updated in place. */
    static final class Tally { final String canteen; long baskets, revenueCents, subsidyCents; Tally(String canteen) { this.canteen = canteen; } }

    /** The debug trace of the subsidy rules: one line per priced basket. */
    enum PricingTrace {
        INSTANCE;
        StringWriter sink = new StringWriter(8_192);
        PrintWriter out = new PrintWriter(sink);
        long lines, rotations;
        void line(String s) {
            out.println(s);
            lines++;
            if (FIXED && lines % ROTATE_EVERY == 0) { // the fix: hand the lines to the log file, start a fresh buffer
                out.flush();
                rotations++;
                sink = new StringWriter(8_192);
                out = new PrintWriter(sink);
            }
            // BUG: never shipped, never reset: the StringBuffer keeps every line since start
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, MenuItem> MENU_BY_CODE = new HashMap<>();

    static final class TillService {
        final Map<String, Diner> diners = new HashMap<>();
        final Map<String, Tally> tallies = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printerBuffers = new ArrayDeque<>();
        final Basket[] recent = new Basket[RING];
        long baskets;
        final PricingTrace trace = PricingTrace.INSTANCE;
    }

    static TillService SERVICE;

    static String euros(int cents) { return "\u20ac" + (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100); }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val82.fixed");
        int basketsTotal = BASKETS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(82_030_001);
        String[] itemCodes = new String[MENU_ITEMS];
        String[] dishes = {"Soup of the day", "Jacket potato", "Veggie curry", "Fish and chips", "Caesar salad", "Lasagne", "Falafel wrap", "Fruit pot"};
        for (int m = 0; m < MENU_ITEMS; m++) {
            double[] nutrition = new double[32];
            for (int k = 0; k < nutrition.length; k++) nutrition[k] = rnd.nextDouble() * 100;
            boolean[] allergens = new boolean[14];
            for (int k = 0; k < allergens.length; k++) allergens[k] = rnd.nextInt(5) == 0;
            itemCodes[m] = "M" + (10_000 + m);
            MENU_BY_CODE.put(itemCodes[m], new MenuItem(itemCodes[m], dishes[m % dishes.length], 150 + rnd.nextInt(650), nutrition, allergens));
        }
        TillService svc = new TillService();
        SERVICE = svc;
        String[] badges = new String[DINERS];
        for (int d = 0; d < DINERS; d++) {
            badges[d] = "B" + (1_000_000 + d * 13);
            svc.diners.put(badges[d], new Diner(badges[d], "Employer " + (d % 300), "CC-" + (d % 1_700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        String[] canteens = new String[CANTEENS];
        for (int c = 0; c < CANTEENS; c++) { canteens[c] = "CT-" + (100 + c); svc.tallies.put(canteens[c], new Tally(canteens[c])); }
        for (int b = 0; b < POOL; b++) svc.printerBuffers.add(new byte[32_768]);
        Random traffic = new Random(82_030_002);
        String[] rules = {"STAFF-LUNCH", "NIGHT-SHIFT", "VISITOR", "APPRENTICE", "NO-SUBSIDY"};
        for (int i = 0; i < basketsTotal; i++) {
            long t = start + (end - MINUTE - start) * i / basketsTotal;
            String canteen = canteens[traffic.nextInt(CANTEENS)];
            String till = canteen + "-" + (1 + traffic.nextInt(6));
            String badge = badges[traffic.nextInt(DINERS)];
            int items = 1 + traffic.nextInt(5), subtotal = 0;
            for (int k = 0; k < items; k++) subtotal += MENU_BY_CODE.get(itemCodes[traffic.nextInt(MENU_ITEMS)]).priceCents();
            int rule = traffic.nextInt(rules.length);
            int subsidy = rule == 4 ? 0 : Math.min(subtotal, 100 + 50 * traffic.nextInt(5));
            int total = subtotal - subsidy;
            Tally tally = svc.tallies.get(canteen);
            tally.baskets++; tally.revenueCents += total; tally.subsidyCents += subsidy;
            svc.recent[(int) (svc.baskets++ % RING)] = new Basket(90_000_000L + i, till, badge, items, total, t);
            svc.trace.line(Instant.ofEpochMilli(t) + " till=" + till + " badge=" + badge + " items=" + items + " subtotal=" + euros(subtotal) + " subsidy=" + euros(subsidy) + " total=" + euros(total) + " rule=" + rules[rule]);
            String key = "rcpt-" + traffic.nextInt(4_000);
            if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.printerBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printerBuffers.add(buf);
        }
        PricingTrace tr = svc.trace;
        tr.out.flush();
        StringBuffer sb = tr.sink.getBuffer();
        long tallied = 0;
        for (Tally t : svc.tallies.values()) tallied += t.baskets;
        System.out.println((FIXED ? "FIXED " : "") + "menu " + MENU_BY_CODE.size() + " diners " + svc.diners.size() + " canteens " + svc.tallies.size() + " baskets " + svc.baskets + " trace lines " + tr.lines
                + " rotations " + tr.rotations + " buffer chars " + sb.length() + " capacity " + sb.capacity() + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.printerBuffers.size());
        check(MENU_BY_CODE.size() == MENU_ITEMS && svc.diners.size() == DINERS && svc.tallies.size() == CANTEENS && tallied == basketsTotal, "reference data / directories");
        check(svc.baskets == basketsTotal && svc.recent[RING - 1] != null, "basket ring");
        check(tr.lines == basketsTotal, "trace lines");
        long newlines = sb.chars().filter(ch -> ch == '\n').count();
        if (FIXED) check(tr.rotations == basketsTotal / ROTATE_EVERY && newlines == basketsTotal % ROTATE_EVERY, "rotated trace: " + newlines);
        else check(newlines == basketsTotal && sb.indexOf("\u20ac") > 0, "trace keeps every line: " + newlines);
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.printerBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
