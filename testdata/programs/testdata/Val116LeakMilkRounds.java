// hprofscan-dump: name=val116-leak-milkrounds jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val116-leak-milkrounds-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Validation set 116 (written blind), LEAK: the round-management service of a doorstep milk
 * delivery company. Depot reference data, the customer-account directory, an LRU of rendered
 * monthly statements at its cap, a pool of label buffers, a ring of recent deliveries, the van
 * loads waiting at the depots, and a notifier that posts a "delivered" message (JSON with a
 * proof-of-delivery thumbnail) to the customer's app after every drop. Failed posts go to one
 * retry queue (ConcurrentLinkedQueue); the retry worker, run every minute, takes out only the
 * TIMEOUT failures (retried with back-off, given up after 5 attempts). REJECTED failures (HTTP 422
 * / 410 from the app: account unlinked, schema refused) were meant for "manual review" that never
 * happens: they stay in the queue with their full payload. See VALIDATION116.md.
 */
public final class Val116LeakMilkRounds {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, LOAD_AFTER = 20 * MINUTE;
    static final int DEPOTS = 700, ACCOUNTS = 24_000, STATEMENT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, DROPS = 72_000, MAX_ATTEMPTS = 5, DEAD_RING = 256;
    static final String[] PRODUCTS = {"semi-skimmed 1pt glass", "whole 1pt glass", "oat 1l", "skimmed 2pt", "orange juice 1l", "free-range eggs x6", "sourdough loaf", "yoghurt 500g"};
    static final String[] STREETS = {"Meadow Lane", "Church Street", "Mill Road", "Station Road", "Orchard Close", "High Street", "Park Avenue", "Dairy Row"};
    static boolean FIXED;

    enum FailureKind { TIMEOUT, REJECTED }

    record Depot(String code, String town, double[] litresByWeek) {}
    record Account(String number, String address, String appEndpoint, byte[] standingOrder, long since) {}
    record Statement(String key, byte[] rendered, long at) {}
    record Delivery(String account, String depot, int bottles, String notificationId, long at) {}
    record VanLoad(String depot, int crates, long orderedAt) {}
    record DeadLetter(String notificationId, String account, int status, long at) {}

    /** A "delivered" notification that could not be posted, with its full payload for the retry. */
    static final class FailedDelivery {
        final String notificationId, account, endpoint, signature;
        final byte[] payload;
        final FailureKind kind;
        final int status;
        final long firstFailedAt;
        int attempts = 1;
        long retryAt;
        FailedDelivery(String notificationId, String account, String endpoint, String signature, byte[] payload, FailureKind kind, int status, long firstFailedAt, long retryAt) {
            this.notificationId = notificationId; this.account = account; this.endpoint = endpoint; this.signature = signature;
            this.payload = payload; this.kind = kind; this.status = status; this.firstFailedAt = firstFailedAt; this.retryAt = retryAt;
        }
    }

    static final class Notifier {
        final ConcurrentLinkedQueue<FailedDelivery> retries = new ConcurrentLinkedQueue<>();
        final DeadLetter[] deadLetters = new DeadLetter[DEAD_RING]; // used by the fixed build only
        long posted, delivered, timeouts, rejected, retried, recovered, gaveUp, deadLettered;

        /** Posts one notification; the outcome is the app's answer. */
        void post(String id, Account a, byte[] payload, long t, Random r) {
            posted++;
            int roll = r.nextInt(1_000);
            if (roll < 930) { delivered++; return; }
            String sig = Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
            if (roll < 975) { timeouts++; retries.add(new FailedDelivery(id, a.number(), a.appEndpoint(), sig, payload, FailureKind.TIMEOUT, 504, t, t + 2 * MINUTE)); }
            else { rejected++; retries.add(new FailedDelivery(id, a.number(), a.appEndpoint(), sig, payload, FailureKind.REJECTED, r.nextBoolean() ? 422 : 410, t, Long.MAX_VALUE)); }
        }

        /** The retry worker, once a minute. */
        void drain(long t, Random r) {
            int n = retries.size();
            for (Iterator<FailedDelivery> it = retries.iterator(); it.hasNext() && n-- > 0; ) {
                FailedDelivery f = it.next();
                if (f.kind == FailureKind.REJECTED) {
                    if (FIXED) { it.remove(); deadLetters[(int) (deadLettered++ % DEAD_RING)] = new DeadLetter(f.notificationId, f.account, f.status, t); }
                    continue; // BUG: "needs manual review", which nobody does: stays queued with its payload
                }
                if (f.retryAt > t) continue;
                it.remove();
                retried++;
                if (r.nextInt(100) < 80) { recovered++; continue; }
                if (++f.attempts >= MAX_ATTEMPTS) { gaveUp++; continue; }
                f.retryAt = t + (2L << f.attempts) * MINUTE;
                retries.add(f);
            }
        }

        long count(FailureKind k) { long c = 0; for (FailedDelivery f : retries) if (f.kind == k) c++; return c; }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();

    static final class RoundService {
        final Map<String, Account> accounts = new HashMap<>();
        final String[] accountNumbers = new String[ACCOUNTS];
        final String[] depotCodes = new String[DEPOTS];
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Delivery[] recent = new Delivery[RING];
        final ArrayDeque<VanLoad> vanLoads = new ArrayDeque<>();
        final Notifier notifier = new Notifier();
        long drops, loadsOrdered, loadsDispatched, statementHits;

        void drop(int seq, long t, Random r) {
            Account a = accounts.get(accountNumbers[r.nextInt(ACCOUNTS)]);
            String depot = depotCodes[r.nextInt(DEPOTS)];
            int bottles = 1 + r.nextInt(6);
            String id = "DN-" + Long.toString(5_000_000_000L + seq * 7L, 36);
            byte[] label = labelBuffers.poll();
            label[seq % label.length] = (byte) bottles;
            labelBuffers.add(label);
            recent[(int) (drops++ % RING)] = new Delivery(a.number(), depot, bottles, id, t);
            byte[] payload = new byte[3_000 + r.nextInt(4_000)]; // JSON + proof-of-delivery thumbnail
            payload[0] = '{';
            notifier.post(id, a, payload, t, r);
            if (r.nextInt(10) == 0) {
                String key = a.number() + "/" + r.nextInt(3);
                if (statements.get(key) == null) statements.put(key, new Statement(key, new byte[400 + r.nextInt(400)], t));
                else statementHits++;
            }
            if (r.nextInt(40) == 0) { vanLoads.add(new VanLoad(depot, 10 + r.nextInt(60), t)); loadsOrdered++; }
        }

        void minute(long t, Random r) {
            notifier.drain(t, r);
            while (!vanLoads.isEmpty() && vanLoads.peek().orderedAt() + LOAD_AFTER <= t) { vanLoads.poll(); loadsDispatched++; }
        }
    }

    static RoundService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(116_020_001);
        RoundService svc = new RoundService();
        SERVICE = svc;
        for (int d = 0; d < DEPOTS; d++) {
            double[] litres = new double[56];
            for (int k = 0; k < litres.length; k++) litres[k] = 800 + rnd.nextDouble() * 9_000;
            String code = "DEP-" + (300 + d);
            svc.depotCodes[d] = code;
            DEPOTS_BY_CODE.put(code, new Depot(code, "Depot town " + (d % 240), litres));
        }
        for (int c = 0; c < ACCOUNTS; c++) {
            String no = "MR" + (4_100_000 + c * 11);
            svc.accountNumbers[c] = no;
            svc.accounts.put(no, new Account(no, (1 + rnd.nextInt(180)) + " " + STREETS[rnd.nextInt(STREETS.length)], "https://app.example-milk.co.uk/hooks/" + no,
                    new byte[150 + rnd.nextInt(150)], now - (long) (10 + rnd.nextInt(4_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_020_002);
        long nextMinute = start + MINUTE;
        for (int i = 0; i < DROPS; i++) {
            long t = start + (end - MINUTE - start) * i / DROPS;
            while (nextMinute <= t) { svc.minute(nextMinute, traffic); nextMinute += MINUTE; }
            svc.drop(i, t, traffic);
        }
    }

    static final long EXPECTED_REJECTED = 1_851, EXPECTED_TIMEOUT_BACKLOG = 36, FIXED_REJECTED_BACKLOG = 4; // the fixed build: rejections of the last minute, not yet drained

    static void report() {
        RoundService svc = SERVICE;
        Notifier n = svc.notifier;
        long rejectedQueued = n.count(FailureKind.REJECTED), timeoutQueued = n.count(FailureKind.TIMEOUT);
        long payloadBytes = 0;
        for (FailedDelivery f : n.retries) payloadBytes += f.payload.length;
        System.out.println((FIXED ? "FIXED " : "") + "depots " + DEPOTS_BY_CODE.size() + " accounts " + svc.accounts.size() + " drops " + svc.drops + " posted " + n.posted + " delivered " + n.delivered
                + " timeouts " + n.timeouts + " rejected " + n.rejected + " retried " + n.retried + " recovered " + n.recovered + " gave up " + n.gaveUp + " dead-lettered " + n.deadLettered
                + " retry queue " + n.retries.size() + " (REJECTED " + rejectedQueued + ", TIMEOUT " + timeoutQueued + ", payload bytes " + payloadBytes + ") statements " + svc.statements.size()
                + " (evicted " + svc.statements.evicted + ", hits " + svc.statementHits + ") van loads " + svc.vanLoads.size() + " (ordered " + svc.loadsOrdered + ", dispatched " + svc.loadsDispatched + ") pool " + svc.labelBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(svc.drops == DROPS && n.posted == DROPS, "traffic");
        check(n.rejected == EXPECTED_REJECTED && rejectedQueued == (FIXED ? FIXED_REJECTED_BACKLOG : EXPECTED_REJECTED), "rejected notifications queued: " + rejectedQueued);
        check(timeoutQueued == EXPECTED_TIMEOUT_BACKLOG, "timeout backlog: " + timeoutQueued);
        check(n.timeouts == n.recovered + n.gaveUp + timeoutQueued, "timeouts accounted for");
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.labelBuffers.size() == POOL && svc.recent[RING - 1] != null && !svc.vanLoads.isEmpty(), "pool / ring / van loads");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val116.fixed");
        run();
        report();
        LeakCheck.histogram("java.util.concurrent.ConcurrentLinkedQueue$Node ", "[B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
