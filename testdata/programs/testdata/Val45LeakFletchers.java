// hprofscan-dump: name=val45-leak-fletchers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val45-leak-fletchers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val45-leak-fletchers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val45-leak-fletchers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 45 (written blind), LEAK: the web-shop checkout of a custom-arrow workshop
 * (fletchers). Shaft-spec reference data, the archer account directory, a cache of rendered build
 * quotes at its cap, a pool of label buffers, a ring of recent orders, and an error tracker that
 * keeps the last exception per error fingerprint. The fingerprint is the exception class, its
 * message and the top frame, and every message carries the order id, so each failed checkout is a
 * new fingerprint: one ErrorRecord (with its Throwable, its cause and their stack traces) per
 * failed order since start. See VALIDATION45.md.
 */
public final class Val45LeakFletchers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int SHAFTS = 1_300, ACCOUNTS = 24_000, QUOTE_CAP = 2_000, POOL = 8, RING = 8_192, ORDERS_PER_HOUR = 5_000;
    static boolean FIXED;

    record ShaftSpec(String code, String material, double[] spineCurve) {}
    record Account(String accountNo, String club, byte[] fittingProfile, long openedAt) {}
    record Quote(String key, byte[] rendered, long at) {}
    /** outcome: 0 ok, 1 build spec, 2 stock shortage, 3 supplier timeout, 4 payment declined, 5 carrier rejected. */
    record Order(String orderId, String accountNo, String shaftCode, int dozen, int outcome, long at) {}
    record OrderSummary(String orderId, String accountNo, int dozen, long totalCents, long at) {}

    static class CheckoutException extends Exception {
        CheckoutException(String message, Throwable cause) { super(message, cause); }
    }
    static final class BuildSpecException extends CheckoutException { BuildSpecException(String m) { super(m, null); } }
    static final class StockShortageException extends CheckoutException { StockShortageException(String m) { super(m, null); } }
    static final class SupplierTimeoutException extends CheckoutException { SupplierTimeoutException(String m, Throwable c) { super(m, c); } }
    static final class PaymentDeclinedException extends CheckoutException { PaymentDeclinedException(String m) { super(m, null); } }
    static final class CarrierRejectedException extends CheckoutException { CarrierRejectedException(String m) { super(m, null); } }

    static final class BuildSpecStep {
        static void validate(Order o) throws BuildSpecException {
            if (o.outcome() == 1) throw new BuildSpecException("Order " + o.orderId() + ": vane length " + (3 + o.dozen() % 3) + ".0in does not fit shaft " + o.shaftCode());
        }
    }
    static final class SupplierClient {
        static TimeoutException await(Order o) {
            return new TimeoutException("supplier SUP-" + (Math.abs(o.shaftCode().hashCode()) % 40) + " did not answer within 3000 ms for order " + o.orderId());
        }
    }
    static final class StockStep {
        static void reserve(Order o) throws CheckoutException {
            if (o.outcome() == 2) throw new StockShortageException("Order " + o.orderId() + " needs " + (o.dozen() * 12) + " shafts of " + o.shaftCode() + ", only " + (o.dozen() * 5 % 11) + " in stock");
            confirmWithSupplier(o);
        }
        static void confirmWithSupplier(Order o) throws SupplierTimeoutException {
            if (o.outcome() == 3) throw new SupplierTimeoutException("Supplier confirmation for order " + o.orderId() + " timed out", SupplierClient.await(o));
        }
    }
    static final class PaymentStep {
        static long charge(Order o) throws PaymentDeclinedException {
            if (o.outcome() == 4) throw new PaymentDeclinedException("Payment declined for order " + o.orderId() + " (account " + o.accountNo() + "): insufficient funds");
            return 4_500L * o.dozen();
        }
    }
    static final class ShippingStep {
        static void book(Order o) throws CarrierRejectedException {
            if (o.outcome() == 5) throw new CarrierRejectedException("Carrier rejected parcel of order " + o.orderId() + ": tube length " + (33 + o.dozen() % 4) + " in over the 32 in limit");
        }
    }

    /** One record per fingerprint: how often, first / last seen, and the last exception itself (sent with the report). */
    static final class ErrorRecord {
        final String fingerprint; final String exceptionClass; final long firstSeen;
        long count, lastSeen; Throwable last;
        ErrorRecord(String fingerprint, String exceptionClass, long at) { this.fingerprint = fingerprint; this.exceptionClass = exceptionClass; this.firstSeen = at; }
    }

    static final class ErrorTracker {
        final Map<String, ErrorRecord> byFingerprint = new HashMap<>();
        long captured;
        void capture(Throwable t, long at) {
            captured++;
            for (Throwable c = t; c != null; c = c.getCause()) c.getStackTrace(); // materialise the traces of the chain for the report
            StackTraceElement[] st = t.getStackTrace();
            String fp = FIXED
                    ? t.getClass().getName() + " @ " + st[0] + " < " + st[1]          // fixed: class and throw site only
                    : t.getClass().getName() + ": " + t.getMessage() + " @ " + st[0]; // BUG: the message carries the order id
            ErrorRecord r = byFingerprint.get(fp);
            if (r == null) { r = new ErrorRecord(fp, t.getClass().getName(), at); byFingerprint.put(fp, r); }
            r.count++; r.lastSeen = at; r.last = t;
        }
    }

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ShaftSpec> SHAFTS_BY_CODE = new HashMap<>();

    static final class CheckoutService {
        final Map<String, Account> accounts = new HashMap<>();
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final OrderSummary[] recent = new OrderSummary[RING];
        long completed;
        final ErrorTracker errors = new ErrorTracker();

        void checkout(Order o) throws CheckoutException {
            BuildSpecStep.validate(o);
            StockStep.reserve(o);
            long total = PaymentStep.charge(o);
            ShippingStep.book(o);
            recent[(int) (completed++ % RING)] = new OrderSummary(o.orderId(), o.accountNo(), o.dozen(), total, o.at());
        }
    }

    static CheckoutService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Builds the service and runs the simulated period; returns the number of failed checkouts. */
    static long run(int hours, long now) {
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(45_010_001);
        String[] shaftCodes = new String[SHAFTS];
        String[] materials = {"carbon", "aluminium", "cedar", "pine", "bamboo", "carbon-alu"};
        for (int s = 0; s < SHAFTS; s++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 250 + rnd.nextDouble() * 600;
            shaftCodes[s] = "SH-" + (3_000 + s);
            SHAFTS_BY_CODE.put(shaftCodes[s], new ShaftSpec(shaftCodes[s], materials[s % materials.length], curve));
        }
        CheckoutService svc = new CheckoutService();
        SERVICE = svc;
        String[] accountNos = new String[ACCOUNTS];
        for (int a = 0; a < ACCOUNTS; a++) {
            accountNos[a] = "ARC" + (100_000 + a);
            svc.accounts.put(accountNos[a], new Account(accountNos[a], "Club " + (a % 400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(45_010_002);
        int orders = ORDERS_PER_HOUR * hours;
        long failures = 0;
        for (int i = 0; i < orders; i++) {
            long t = start + (end - MINUTE - start) * i / orders;
            int roll = traffic.nextInt(1_000);
            int outcome = roll < 40 ? 1 : roll < 70 ? 2 : roll < 90 ? 3 : roll < 120 ? 4 : roll < 140 ? 5 : 0;
            Order o = new Order("FL-" + (4_000_000 + i), accountNos[traffic.nextInt(ACCOUNTS)], shaftCodes[traffic.nextInt(SHAFTS)], 1 + traffic.nextInt(6), outcome, t);
            String key = "quote-" + traffic.nextInt(5_000);
            if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[500 + traffic.nextInt(500)], t));
            try {
                svc.checkout(o);
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            } catch (CheckoutException e) {
                failures++;
                svc.errors.capture(e, t);
            }
        }
        return failures;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val45.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long failures = run(hours, System.currentTimeMillis());
        CheckoutService svc = SERVICE;
        ErrorTracker e = svc.errors;
        long withCause = 0;
        for (ErrorRecord r : e.byFingerprint.values()) if (r.last.getCause() != null) withCause++;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " shafts " + SHAFTS_BY_CODE.size() + " accounts " + svc.accounts.size() + " completed " + svc.completed + " failures " + failures
                + " fingerprints " + e.byFingerprint.size() + " (captured " + e.captured + ", last exception with a cause " + withCause + ") quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") pool " + svc.labelBuffers.size());
        check(SHAFTS_BY_CODE.size() == SHAFTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(e.captured == failures && svc.completed + failures == (long) ORDERS_PER_HOUR * hours, "traffic");
        if (FIXED) check(e.byFingerprint.size() == 5, "fixed tracker: one record per throw site: " + e.byFingerprint.size());
        else check(e.byFingerprint.size() == failures, "tracker keeps one record per failed order: " + e.byFingerprint.size());
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.completed > RING && svc.recent[RING - 1] != null, "ring full");
        svc = null; e = null;
        LeakCheck.histogram("java.lang.StackTraceElement", "java.util.concurrent.TimeoutException");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
