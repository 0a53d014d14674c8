// hprofscan-dump: name=val114-leak-mobiletopups jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val114-leak-mobiletopups-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 114 (written blind), LEAK: the processing service of an international prepaid
 * mobile top-up provider (customers send airtime to a phone number abroad from their wallet).
 * Operator product reference data, the customer directory, a cache of rendered receipts at its
 * cap, a pool of operator-API request buffers, a ring of recent transactions, the SMS confirmation
 * outbox with its normal backlog, and the top-up processor: each top-up's state (customer, number,
 * quote, the signed operator request, a trace of its steps) is kept in {@code inFlight}, keyed by
 * transaction id, while the operator is called. The normal path removes it (at once, or when an
 * asynchronous operator confirms a minute or two later), but when the operator rejects the
 * top-up (barred number, limit, operator down: a sixth of the top-ups) the exception skips the
 * removal; the caller refunds the wallet and moves on, and the context stays in the map for ever.
 * 10 simulated hours. See VALIDATION114.md.
 */
public final class Val114LeakMobileTopUps {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SMS_EVERY = 2 * MINUTE;
    static final int PRODUCTS = 1_000, CUSTOMERS = 20_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, TOPUPS_PER_HOUR = 5_000, SMS_BATCH = 500;
    static boolean FIXED;

    static final String[] COUNTRIES = {"NG", "GH", "KE", "PH", "IN", "PK", "BD", "MX", "CO", "JM", "HT", "VN", "MA", "SN", "ET", "NP"};
    static final String[] OPERATOR_NAMES = {"Airtel", "MTN", "Glo", "Safaricom", "Globe", "Smart", "Jio", "Vodafone", "Jazz", "Grameenphone", "Telcel", "Claro", "Digicel", "Viettel", "Orange", "Ethio Telecom", "Ncell"};
    static final String[] REJECTIONS = {"MSISDN_BARRED", "DAILY_LIMIT_EXCEEDED", "OPERATOR_UNAVAILABLE", "INVALID_DENOMINATION", "SUBSCRIBER_NOT_PREPAID", "DUPLICATE_REQUEST"};

    record Product(String code, String operator, String country, boolean async, double[] fxMarginByHalfHour) {}
    record Customer(String customerId, String name, String country, byte[] kyc, long registeredAt) {}
    record Receipt(String txId, byte[] rendered, long at) {}
    record Tx(String txId, String customerId, String msisdn, int amountCents, String status, long at) {}
    record Sms(String msisdn, String text, long at) {}
    record Quote(String productCode, int sendCents, int receiveMinor, String receiveCurrency, double rate) {}

    /** Per top-up state kept while the operator is called. */
    static final class TopUpContext {
        final String txId; final Customer customer; final String msisdn; final int amountCents; final long startedAt;
        Quote quote; byte[] signedRequest; String operatorRef; final List<String> trace = new ArrayList<>(4);
        TopUpContext(String txId, Customer customer, String msisdn, int amountCents, long startedAt) {
            this.txId = txId; this.customer = customer; this.msisdn = msisdn; this.amountCents = amountCents; this.startedAt = startedAt;
        }
    }

    static final class OperatorRejectedException extends Exception {
        final String code;
        OperatorRejectedException(String code, String txId) { super(code + " for " + txId, null, false, false); this.code = code; }
    }

    static final class TopUpProcessor {
        final Map<String, TopUpContext> inFlight = new ConcurrentHashMap<>();
        long requested, succeeded, confirmedLater, rejected, refunds;

        /** Returns true when the operator credited the number at once, false when it will confirm later. */
        boolean process(Random r, Product p, Customer c, String txId, String msisdn, int amountCents, long t, ArrayDeque<byte[]> requestBuffers) throws OperatorRejectedException {
            requested++;
            TopUpContext ctx = new TopUpContext(txId, c, msisdn, amountCents, t);
            inFlight.put(txId, ctx);
            if (FIXED) {
                try {
                    boolean credited = callOperator(r, p, ctx, requestBuffers);
                    if (credited) inFlight.remove(txId);
                    return credited;
                } catch (OperatorRejectedException e) {
                    inFlight.remove(txId);
                    throw e;
                }
            }
            // BUG: a rejection thrown by callOperator skips the removal below
            boolean credited = callOperator(r, p, ctx, requestBuffers);
            if (credited) inFlight.remove(txId);
            return credited;
        }

        boolean callOperator(Random r, Product p, TopUpContext ctx, ArrayDeque<byte[]> requestBuffers) throws OperatorRejectedException {
            ctx.quote = new Quote(p.code(), ctx.amountCents, ctx.amountCents * (50 + r.nextInt(900)), p.country() + "X", 1.0 + r.nextDouble() * 400);
            ctx.trace.add("quoted " + ctx.quote.receiveMinor() + " " + ctx.quote.receiveCurrency());
            byte[] buf = requestBuffers.poll();
            int len = 300 + r.nextInt(300);
            for (int i = 0; i < len; i += 16) buf[i] = (byte) (ctx.txId.hashCode() >>> (i & 15));
            ctx.signedRequest = java.util.Arrays.copyOf(buf, len);
            requestBuffers.add(buf);
            ctx.trace.add("signed request " + len + " bytes");
            ctx.trace.add("POST /v2/topups " + p.operator() + " " + ctx.msisdn);
            if (r.nextInt(6) == 0) {
                rejected++;
                throw new OperatorRejectedException(REJECTIONS[r.nextInt(REJECTIONS.length)], ctx.txId);
            }
            ctx.operatorRef = p.operator().substring(0, 3).toUpperCase() + Long.toHexString(ctx.startedAt ^ ctx.txId.hashCode());
            if (p.async()) { ctx.trace.add("accepted, awaiting confirmation"); return false; }
            succeeded++;
            return true;
        }

        /** The asynchronous operators' confirmation webhook. */
        void onConfirmation(String txId) {
            if (inFlight.remove(txId) != null) { succeeded++; confirmedLater++; }
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Product> PRODUCTS_BY_CODE = new HashMap<>();

    static final class TopUpService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] customerIds = new String[CUSTOMERS];
        final String[] productCodes = new String[PRODUCTS];
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> requestBuffers = new ArrayDeque<>();
        final Tx[] recent = new Tx[RING];
        final ArrayDeque<Sms> smsOutbox = new ArrayDeque<>();
        final TopUpProcessor processor = new TopUpProcessor();
        long txs, smsQueued, smsSent, smsBatches, receiptViews, txSeq = 0x7A_0000_0000L;

        /** Returns the transaction id when the top-up waits for an asynchronous confirmation. */
        String topUp(Random r, long t) {
            Customer c = customers.get(customerIds[r.nextInt(CUSTOMERS)]);
            Product p = PRODUCTS_BY_CODE.get(productCodes[r.nextInt(PRODUCTS)]);
            String txId = "TX" + Long.toHexString(txSeq++).toUpperCase();
            String msisdn = "+" + (200 + r.nextInt(700)) + (700_000_000L + r.nextInt(299_999_999));
            int amount = 500 + 100 * r.nextInt(96);
            String status;
            String pending = null;
            try {
                boolean credited = processor.process(r, p, c, txId, msisdn, amount, t, requestBuffers);
                status = credited ? "CREDITED" : "PENDING";
                if (credited) {
                    receipts.put(txId, new Receipt(txId, new byte[400 + r.nextInt(400)], t));
                    smsOutbox.add(new Sms(msisdn, "You received a top-up from " + c.name() + " (ref " + txId + ")", t));
                    smsQueued++;
                } else {
                    pending = txId;
                }
            } catch (OperatorRejectedException e) {
                status = "REFUNDED " + e.code;
                processor.refunds++; // the wallet is credited back; the customer sees the reason
            }
            recent[(int) (txs++ % RING)] = new Tx(txId, c.customerId(), msisdn, amount, status, t);
            if (r.nextInt(100) < 15) { receipts.get("TX" + Long.toHexString(txSeq - 1 - r.nextInt(3_000)).toUpperCase()); receiptViews++; }
            return pending;
        }

        void sendSms() {
            int n = 0;
            while (!smsOutbox.isEmpty() && n < SMS_BATCH) { smsOutbox.poll(); n++; smsSent++; }
            if (n > 0) smsBatches++;
        }
    }

    static TopUpService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record Confirmation(long at, String txId) {}

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(114_040_001);
        TopUpService svc = new TopUpService();
        SERVICE = svc;
        for (int i = 0; i < PRODUCTS; i++) {
            double[] halfHours = new double[48];
            for (int k = 0; k < halfHours.length; k++) halfHours[k] = 0.01 + rnd.nextDouble() * 0.05;
            String country = COUNTRIES[rnd.nextInt(COUNTRIES.length)];
            String op = OPERATOR_NAMES[rnd.nextInt(OPERATOR_NAMES.length)];
            svc.productCodes[i] = country + "-" + op.toUpperCase().replace(' ', '_') + "-" + (100 + i);
            PRODUCTS_BY_CODE.put(svc.productCodes[i], new Product(svc.productCodes[i], op, country, rnd.nextInt(5) == 0, halfHours));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            svc.customerIds[i] = "CU" + (8_100_000 + i * 3);
            svc.customers.put(svc.customerIds[i], new Customer(svc.customerIds[i], "Customer " + i, COUNTRIES[rnd.nextInt(COUNTRIES.length)], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(1_200)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.requestBuffers.add(new byte[16_384]);
        Random traffic = new Random(114_040_002);
        int topUps = HOURS * TOPUPS_PER_HOUR;
        PriorityQueue<Confirmation> confirmations = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.txId().compareTo(b.txId()));
        long nextSms = start + SMS_EVERY;
        for (int i = 0; i < topUps; i++) {
            long t = start + (end - start) * i / topUps;
            while (!confirmations.isEmpty() && confirmations.peek().at() <= t) svc.processor.onConfirmation(confirmations.poll().txId());
            while (nextSms <= t) { svc.sendSms(); nextSms += SMS_EVERY; }
            String pending = svc.topUp(traffic, t);
            if (pending != null) confirmations.add(new Confirmation(t + 30_000 + traffic.nextInt(90) * 1_000L, pending));
        }
        while (!confirmations.isEmpty() && confirmations.peek().at() <= end) svc.processor.onConfirmation(confirmations.poll().txId());
    }

    static void verify() {
        TopUpService svc = SERVICE;
        TopUpProcessor p = svc.processor;
        int topUps = HOURS * TOPUPS_PER_HOUR;
        int failedKept = 0, awaiting = 0;
        for (TopUpContext ctx : p.inFlight.values()) { if (ctx.operatorRef == null) failedKept++; else awaiting++; }
        System.out.println((FIXED ? "FIXED " : "") + "products " + PRODUCTS_BY_CODE.size() + " customers " + svc.customers.size() + " top-ups " + p.requested + " (succeeded " + p.succeeded
                + ", confirmed later " + p.confirmedLater + ", rejected " + p.rejected + ", refunds " + p.refunds + ") in flight " + p.inFlight.size() + " (rejected " + failedKept + ", awaiting confirmation " + awaiting + ")"
                + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ", views " + svc.receiptViews + ") txs " + svc.txs + " sms " + svc.smsQueued + "/" + svc.smsSent
                + " in " + svc.smsBatches + " batches, backlog " + svc.smsOutbox.size() + " pool " + svc.requestBuffers.size());
        check(PRODUCTS_BY_CODE.size() == PRODUCTS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(p.requested == topUps && svc.txs == topUps && p.succeeded + p.rejected + awaiting == topUps && p.refunds == p.rejected, "traffic");
        check(p.rejected * 7 > topUps && p.rejected * 5 < topUps, "a sixth rejected");
        check(awaiting > 0 && awaiting < 200, "asynchronous confirmations of the last two minutes");
        if (FIXED) check(failedKept == 0, "fixed: only the top-ups awaiting confirmation");
        else check(failedKept == p.rejected, "every rejected top-up's context kept");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.requestBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        check(svc.smsOutbox.size() > 0 && svc.smsOutbox.size() < SMS_BATCH && svc.smsQueued == svc.smsSent + svc.smsOutbox.size(), "sms backlog");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val114.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
