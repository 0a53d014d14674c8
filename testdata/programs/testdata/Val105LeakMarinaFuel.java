// hprofscan-dump: name=val105-leak-marinafuel jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val105-leak-marinafuel-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
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
import java.util.concurrent.LinkedTransferQueue;

/**
 * Validation set 105 (written blind), LEAK: the fuel-dock point of sale of a marina group. Marina
 * reference data, the boat directory, a cache of rendered receipts at its cap, a pool of pump-meter
 * buffers, a ring of recent sales, and a dead-letter retry queue (LinkedTransferQueue<FailedMessage>)
 * of sales whose posting to the accounting ledger failed. Every minute a retry round re-posts them;
 * a failure appends an Attempt (error text, timestamp) to the message's own list and re-enqueues
 * it. Sales charged to berth accounts that the ledger has closed can never succeed (poison
 * messages) and are retried for ever: their number is modest and constant, the memory is in the
 * ever-longer attempt lists. See VALIDATION105.md.
 */
public final class Val105LeakMarinaFuel {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MARINAS = 1_000, BOATS = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, SALES_PER_HOUR = 3_000, MAX_ATTEMPTS = 8, GIVEN_UP_CAP = 256;
    static boolean FIXED;

    record Marina(String code, String harbour, double[] tideTable) {}
    record Boat(String hullId, String berthAccount, String name, byte[] registration, long registeredAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Sale(long saleId, String hullId, String berthAccount, int litres, long amountCents, long at) {}
    record Attempt(int status, String error, long at) {}

    static final class FailedMessage {
        final Sale sale; final long firstFailedAt;
        final List<Attempt> attempts = new ArrayList<>();
        FailedMessage(Sale sale, long firstFailedAt) { this.sale = sale; this.firstFailedAt = firstFailedAt; }
    }

    /** The accounting ledger: 503s now and then; 422 for a closed berth account, always. */
    static final class Ledger {
        final Set<String> closedAccounts = new HashSet<>();
        final Random outcomes = new Random(105_040_003);
        long posted;
        int post(Sale s) {
            if (closedAccounts.contains(s.berthAccount())) return 422;
            if (outcomes.nextInt(100) < 3) return 503;
            posted++;
            return 200;
        }
    }

    static final class DeadLetterQueue {
        final LinkedTransferQueue<FailedMessage> queue = new LinkedTransferQueue<>();
        final ArrayDeque<Long> givenUp = new ArrayDeque<>(); // fix only: ids of sales given up, last 256
        long rounds, retries, recovered, givenUpTotal;
        void retryRound(Ledger ledger, long now) {
            rounds++;
            for (int n = queue.size(); n > 0; n--) {
                FailedMessage m = queue.poll();
                retries++;
                int status = ledger.post(m.sale);
                if (status == 200) { recovered++; continue; }
                m.attempts.add(new Attempt(status, status + (status == 422 ? " Unprocessable Entity: berth account " + m.sale.berthAccount() + " is closed (ledger trace " + Long.toHexString(now * 31 + m.sale.saleId()) + ")"
                        : " Service Unavailable: ledger busy (trace " + Long.toHexString(now * 17 + m.sale.saleId()) + ")"), now));
                if (FIXED && m.attempts.size() >= MAX_ATTEMPTS) { // dead-letter for good: log the id, drop the message
                    givenUp.add(m.sale.saleId());
                    if (givenUp.size() > GIVEN_UP_CAP) givenUp.poll();
                    givenUpTotal++;
                    continue;
                }
                queue.add(m); // BUG: no attempt limit; a poison message is re-enqueued for ever
            }
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Marina> MARINAS_BY_CODE = new HashMap<>();

    static final class FuelDesk {
        final Map<String, Boat> boats = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> meterBuffers = new ArrayDeque<>();
        final Sale[] recentSales = new Sale[RING];
        long sales;
        final Ledger ledger = new Ledger();
        final DeadLetterQueue deadLetters = new DeadLetterQueue();
    }

    static FuelDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        int sales = SALES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(105_040_001);
        for (int m = 0; m < MARINAS; m++) {
            double[] tides = new double[64];
            for (int k = 0; k < tides.length; k++) tides[k] = rnd.nextDouble() * 6;
            String code = "MAR-" + (2_000 + m);
            MARINAS_BY_CODE.put(code, new Marina(code, "Harbour " + (m % 80), tides));
        }
        FuelDesk svc = new FuelDesk();
        SERVICE = svc;
        String[] hulls = new String[BOATS];
        for (int b = 0; b < BOATS; b++) {
            hulls[b] = "HIN" + (30_000_000 + b * 11);
            String account = "BA-" + (100_000 + b);
            svc.boats.put(hulls[b], new Boat(hulls[b], account, "Boat " + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
            if (b % 500 == 7) svc.ledger.closedAccounts.add(account); // 48 berth accounts closed in the ledger, boats still in the directory
        }
        for (int b = 0; b < POOL; b++) svc.meterBuffers.add(new byte[32_768]);
        Random traffic = new Random(105_040_002);
        DeadLetterQueue dlq = svc.deadLetters;
        long nextRound = start + MINUTE, poison = 0, transientFailures = 0;
        for (int i = 0; i < sales; i++) {
            long t = start + (end - MINUTE - start) * i / sales;
            while (nextRound <= t) { dlq.retryRound(svc.ledger, nextRound); nextRound += MINUTE; }
            int b; // each of the 48 boats whose berth account is closed buys fuel once, in the first two hours
            if (i < 2 * SALES_PER_HOUR && i % 125 == 3) b = 7 + 500 * (int) poison;
            else { b = traffic.nextInt(BOATS); if (b % 500 == 7) b++; }
            Boat boat = svc.boats.get(hulls[b]);
            Sale s = new Sale(70_000_000L + i, boat.hullId(), boat.berthAccount(), 20 + traffic.nextInt(400), 2_000 + traffic.nextInt(90_000), t);
            svc.recentSales[(int) (svc.sales++ % RING)] = s;
            int status = svc.ledger.post(s);
            if (status != 200) {
                FailedMessage fm = new FailedMessage(s, t);
                fm.attempts.add(new Attempt(status, status + " first posting failed", t));
                dlq.queue.add(fm);
                if (status == 422) poison++; else transientFailures++;
            }
            String key = "rcpt-" + traffic.nextInt(5_000);
            if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.meterBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.meterBuffers.add(buf);
        }
        while (nextRound < end) { dlq.retryRound(svc.ledger, nextRound); nextRound += MINUTE; }
        long poisonQueued = 0, attempts = 0, maxAttempts = 0;
        for (FailedMessage m : dlq.queue) {
            if (svc.ledger.closedAccounts.contains(m.sale.berthAccount())) poisonQueued++;
            attempts += m.attempts.size();
            maxAttempts = Math.max(maxAttempts, m.attempts.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "marinas " + MARINAS_BY_CODE.size() + " boats " + svc.boats.size() + " sales " + svc.sales + " posted " + svc.ledger.posted + " poison " + poison + " transient " + transientFailures
                + " rounds " + dlq.rounds + " retries " + dlq.retries + " recovered " + dlq.recovered + " givenUp " + dlq.givenUpTotal + " queued " + dlq.queue.size() + " (poison " + poisonQueued + ") attempts " + attempts + " max " + maxAttempts
                + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ")");
        check(MARINAS_BY_CODE.size() == MARINAS && svc.boats.size() == BOATS && svc.ledger.closedAccounts.size() == 48, "reference data / directory");
        check(poison == 48 && dlq.rounds == HOURS * 60 - 1, "traffic: poison " + poison + " rounds " + dlq.rounds);
        if (FIXED) check(poisonQueued == 0 && dlq.givenUpTotal >= 48 && maxAttempts < MAX_ATTEMPTS, "dead letters given up");
        else check(poisonQueued == 48 && dlq.givenUpTotal == 0 && dlq.queue.size() < 60, "poison retried for ever: " + dlq.queue.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.meterBuffers.size() == POOL && svc.sales == sales && svc.recentSales[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val105.fixed");
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
