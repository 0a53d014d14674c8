// hprofscan-dump: name=val152-leak-bureaudechange jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val152-leak-bureaudechange-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Validation set 152 (written blind), LEAK: the counter application of an airport bureau de
 * change. Currency reference data, the customer (KYC) directory, a cache of rendered receipts at
 * its cap, a pool of print buffers, a ring of completed exchanges, and a shared RateBoard (the live
 * buy/sell rates) with a listener list: every teller quote screen registers an inner-class listener
 * (QuoteScreen$RateRefresher, which holds its enclosing screen with the screen's quote lines and
 * layout buffer) so that its quote follows the rates; closing the screen disposes it but never
 * removes the listener. See VALIDATION152.md.
 */
public final class Val152LeakBureauDeChange {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CURRENCIES = 160, CUSTOMERS = 26_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 4_096, SCREENS = 9_000, HOURS = 10;
    static boolean FIXED;

    record Currency(String code, String name, double[] rateHistory) {}
    record Customer(String id, String name, byte[] kycRecord, long verifiedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Exchange(String customerId, String from, String to, long cents, long at) {}
    record QuoteLine(String currency, long amountMinor, double rate) {}

    interface RateListener { void onRates(Map<String, Double> rates, long at); }

    static final class RateBoard {
        final Map<String, Double> rates = new HashMap<>();
        final List<RateListener> listeners = new CopyOnWriteArrayList<>();
        long updates, notifications;
        void addListener(RateListener l) { listeners.add(l); }
        void removeListener(RateListener l) { listeners.remove(l); }
        void publish(long at) { updates++; for (RateListener l : listeners) { l.onRates(rates, at); notifications++; } }
    }

    /** A teller's quote screen: open while the customer decides, then closed. */
    static final class QuoteScreen {
        final String customerId; final List<QuoteLine> lines = new ArrayList<>(); final char[] layout; final long openedAt;
        boolean disposed; long refreshedAt;
        final RateListener refresher = new RateRefresher();
        QuoteScreen(String customerId, char[] layout, long openedAt) { this.customerId = customerId; this.layout = layout; this.openedAt = openedAt; }

        /** Inner class: keeps its QuoteScreen. */
        final class RateRefresher implements RateListener {
            @Override public void onRates(Map<String, Double> rates, long at) {
                if (disposed) return;
                refreshedAt = at;
            }
        }

        void open(RateBoard board) { board.addListener(refresher); }
        void close(RateBoard board) {
            disposed = true;
            if (FIXED) board.removeListener(refresher); // the fix
            // BUG: the listener (and through it this screen) stays on the board
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Currency> CURRENCIES_BY_CODE = new HashMap<>();

    static final class CounterApp {
        final Map<String, Customer> customers = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Exchange[] recent = new Exchange[RING];
        final RateBoard board = new RateBoard();
        final Map<String, QuoteScreen> openScreens = new HashMap<>();
        long exchanges, screensOpened, screensClosed;
    }

    static CounterApp SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(152_040_001);
        String[] codes = new String[CURRENCIES];
        for (int c = 0; c < CURRENCIES; c++) {
            double[] hist = new double[90];
            for (int k = 0; k < hist.length; k++) hist[k] = 0.01 + rnd.nextDouble() * 150;
            codes[c] = "" + (char) ('A' + c / 26 % 26) + (char) ('A' + c % 26) + (char) ('K' + c / 52);
            CURRENCIES_BY_CODE.put(codes[c], new Currency(codes[c], "Currency " + c, hist));
        }
        CounterApp app = new CounterApp();
        SERVICE = app;
        for (String code : codes) app.board.rates.put(code, 0.5 + rnd.nextDouble() * 100);
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "KYC" + (9_100_000 + c * 7);
            app.customers.put(customerIds[c], new Customer(customerIds[c], "Traveller " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) app.printBuffers.add(new byte[32_768]);
        Random counter = new Random(152_040_002);
        ArrayDeque<QuoteScreen> open = new ArrayDeque<>();
        long nextRates = start;
        for (int i = 0; i < SCREENS; i++) {
            long t = start + (end - MINUTE - start) * i / SCREENS;
            while (nextRates <= t) { // rates move every minute
                for (int k = 0; k < 10; k++) app.board.rates.put(codes[counter.nextInt(CURRENCIES)], 0.5 + counter.nextDouble() * 100);
                app.board.publish(nextRates);
                nextRates += MINUTE;
            }
            // a screen stays open for the next 1-3 quotes at the counter (4 tellers), then is closed
            while (open.size() >= 4) {
                QuoteScreen s = open.poll();
                s.close(app.board);
                app.openScreens.remove(s.customerId + "@" + s.openedAt);
                app.screensClosed++;
                if (counter.nextInt(3) > 0) {
                    app.recent[(int) (app.exchanges++ % RING)] = new Exchange(s.customerId, "GBP", s.lines.get(0).currency(), s.lines.get(0).amountMinor(), t);
                    String key = "rcpt-" + counter.nextInt(6_000);
                    if (app.receipts.get(key) == null) app.receipts.put(key, new Receipt(key, new byte[500 + counter.nextInt(500)], t));
                    byte[] buf = app.printBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    app.printBuffers.add(buf);
                }
            }
            QuoteScreen s = new QuoteScreen(customerIds[counter.nextInt(CUSTOMERS)], new char[200 + counter.nextInt(200)], t);
            int lines = 3 + counter.nextInt(6);
            for (int l = 0; l < lines; l++) {
                String cur = codes[counter.nextInt(CURRENCIES)];
                s.lines.add(new QuoteLine(cur, 1_000 + counter.nextInt(500_000), app.board.rates.get(cur)));
            }
            s.open(app.board);
            app.openScreens.put(s.customerId + "@" + s.openedAt, s);
            app.screensOpened++;
            open.add(s);
        }
        int stillOpen = open.size();
        System.out.println((FIXED ? "FIXED " : "") + "currencies " + CURRENCIES_BY_CODE.size() + " customers " + app.customers.size() + " screens opened " + app.screensOpened + " closed " + app.screensClosed + " open " + app.openScreens.size()
                + " board listeners " + app.board.listeners.size() + " rate updates " + app.board.updates + " notifications " + app.board.notifications + " exchanges " + app.exchanges
                + " receipts " + app.receipts.size() + " (evicted " + app.receipts.evicted + ") pool " + app.printBuffers.size());
        check(CURRENCIES_BY_CODE.size() == CURRENCIES && app.customers.size() == CUSTOMERS, "reference data / directory");
        check(app.screensOpened == SCREENS && app.screensClosed == SCREENS - stillOpen && app.openScreens.size() == stillOpen && stillOpen == 4, "screens");
        check(app.board.listeners.size() == (FIXED ? stillOpen : SCREENS), "board listeners: " + app.board.listeners.size());
        check(app.receipts.size() == RECEIPT_CAP && app.receipts.evicted > 0, "receipt cache at cap");
        check(app.printBuffers.size() == POOL, "pool");
        check(app.recent[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val152.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
