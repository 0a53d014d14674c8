// hprofscan-dump: name=val96-leak-charityraffles-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val96-leak-charityraffles-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val96-leak-charityraffles jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val96-leak-charityraffles-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 96 (written blind), LEAK: the ticket-sales service of a charity raffle platform.
 * Charity reference data, the raffle directory, a cache of rendered e-receipts at its cap, a pool of
 * receipt-printer buffers, a ring of recent purchases, and a webhook dispatcher that notifies each
 * charity's endpoint of every ticket purchase. A failed delivery schedules a one-shot RetryTask
 * (capturing the Delivery with its full JSON payload) on a ScheduledThreadPoolExecutor with a
 * growing backoff (1, 2, 4, 8, 15, 15, ... minutes). BUG: the give-up check compares the attempt
 * count with the policy's limit in minutes (giveUpAfterMinutes = 720) instead of maxAttempts = 6, so
 * deliveries to the charities whose endpoints are gone for good (410 Gone) are rescheduled forever:
 * the scheduler's queue holds one task per such delivery since start. See VALIDATION96.md.
 *
 * Time is simulated: when a retry's (virtual) due time comes, the simulation takes its task out of
 * the executor's queue and runs it, as the worker would; the real delays (1 minute or more) never
 * expire while the program runs (checked: the executor completed no task).
 */
public final class Val96LeakCharityRaffles {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CHARITIES = 1_000, RAFFLES = 24_000, RECEIPT_CAP = 2_000, POOL = 8, RING = 8_192, PURCHASES_PER_HOUR = 6_000, DEAD_ENDPOINTS = 50;
    static boolean FIXED;

    record Charity(String code, String name, String webhookUrl, double[] weeklySales) {}
    record Raffle(String code, String charityCode, String prize, byte[] terms, long openedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record Purchase(String raffleCode, String buyerId, int tickets, long at) {}

    static final class Delivery {
        final long id; final String charityCode; final String event; final byte[] payload; final long createdAt;
        int attempts; long lastAttemptAt;
        Delivery(long id, String charityCode, String event, byte[] payload, long createdAt) { this.id = id; this.charityCode = charityCode; this.event = event; this.payload = payload; this.createdAt = createdAt; }
    }

    static final class RetryPolicy {
        final int maxAttempts = 6;
        final int giveUpAfterMinutes = 720;
        final long baseDelayMs = MINUTE, maxDelayMs = 15 * MINUTE;
    }

    /** The one-shot retry of a failed delivery: captures the delivery (and so its payload). */
    static final class RetryTask implements Runnable {
        final WebhookDispatcher dispatcher; final Delivery delivery; final long dueAt;
        RetryTask(WebhookDispatcher dispatcher, Delivery delivery, long dueAt) { this.dispatcher = dispatcher; this.delivery = delivery; this.dueAt = dueAt; }
        @Override public void run() { dispatcher.realRuns++; dispatcher.attempt(delivery, dueAt); }
    }

    /** Test harness only: the simulation's agenda of scheduled retries (dropped before the dump). */
    static final class Timeline {
        record Due(long at, long seq, RetryTask task, ScheduledFuture<?> future) {}
        final PriorityQueue<Due> agenda = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        long seq;
        void add(RetryTask t, ScheduledFuture<?> f) { agenda.add(new Due(t.dueAt, seq++, t, f)); }
        void runDue(ScheduledThreadPoolExecutor ex, long upTo) {
            while (!agenda.isEmpty() && agenda.peek().at <= upTo) {
                Due d = agenda.poll();
                if (!ex.remove((Runnable) d.future)) throw new IllegalStateException("retry task not queued");
                d.task.dispatcher.attempt(d.task.delivery, d.at);
            }
        }
    }

    static final class WebhookDispatcher {
        final ScheduledThreadPoolExecutor retryScheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "webhook-retry-1");
            t.setDaemon(true);
            return t;
        });
        final RetryPolicy policy = new RetryPolicy();
        final Set<String> goneEndpoints = new HashSet<>();
        long delivered, failedAttempts, retriesScheduled, deadLettered, realRuns;
        Timeline timeline;

        void attempt(Delivery d, long at) {
            d.attempts++;
            d.lastAttemptAt = at;
            boolean ok = !goneEndpoints.contains(d.charityCode) && roll(d.id, d.attempts) >= (d.attempts == 1 ? 4 : 25);
            if (ok) { delivered++; return; }
            failedAttempts++;
            boolean giveUp = FIXED
                    ? d.attempts >= policy.maxAttempts
                    : d.attempts >= policy.giveUpAfterMinutes; // BUG: an attempt count compared with a limit in minutes
            if (giveUp) { deadLettered++; return; }
            long delay = Math.min(policy.baseDelayMs << Math.min(d.attempts - 1, 20), policy.maxDelayMs);
            RetryTask task = new RetryTask(this, d, at + delay);
            ScheduledFuture<?> f = retryScheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
            retriesScheduled++;
            if (timeline != null) timeline.add(task, f);
        }
    }

    /** Deterministic outcome (0..99) of attempt n of delivery id: the same in the fixed run. */
    static int roll(long id, int n) {
        long h = id * 0x9E3779B97F4A7C15L + n * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31; h *= 0xBF58476D1CE4E5B9L; h ^= h >>> 27;
        return (int) Math.floorMod(h, 100L);
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Charity> CHARITIES_BY_CODE = new HashMap<>();

    static final class RaffleService {
        final Map<String, Raffle> raffles = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final Purchase[] recent = new Purchase[RING];
        long purchases;
        final WebhookDispatcher webhooks = new WebhookDispatcher();
    }

    static RaffleService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void build(int stage) {
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int purchases = PURCHASES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(96_010_001);
        String[] charityCodes = new String[CHARITIES];
        for (int c = 0; c < CHARITIES; c++) {
            double[] sales = new double[64];
            for (int k = 0; k < sales.length; k++) sales[k] = rnd.nextDouble() * 500;
            String code = "CH-" + (210_000 + c * 13);
            charityCodes[c] = code;
            CHARITIES_BY_CODE.put(code, new Charity(code, "Charity " + c, "https://hooks.charity" + c + ".org/raffle", sales));
        }
        RaffleService svc = new RaffleService();
        SERVICE = svc;
        WebhookDispatcher wh = svc.webhooks;
        while (wh.goneEndpoints.size() < DEAD_ENDPOINTS) wh.goneEndpoints.add(charityCodes[rnd.nextInt(CHARITIES)]);
        String[] raffleCodes = new String[RAFFLES];
        String[] prizes = {"Hamper", "Weekend break", "E-bike", "Signed shirt", "Spa day", "Cash 500", "Garden set", "Tablet"};
        for (int r = 0; r < RAFFLES; r++) {
            String code = "RF" + (4_400_000 + r);
            raffleCodes[r] = code;
            svc.raffles.put(code, new Raffle(code, charityCodes[rnd.nextInt(CHARITIES)], prizes[r % prizes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
        Timeline timeline = new Timeline();
        wh.timeline = timeline;
        Random traffic = new Random(96_010_002);
        long goneDeliveries = 0;
        for (int i = 0; i < purchases; i++) {
            long t = start + (end - MINUTE - start) * i / purchases;
            timeline.runDue(wh.retryScheduler, t);
            String raffle = raffleCodes[traffic.nextInt(RAFFLES)];
            String buyer = "B" + (3_000_000 + traffic.nextInt(400_000));
            int tickets = 1 + traffic.nextInt(10);
            svc.recent[(int) (svc.purchases++ % RING)] = new Purchase(raffle, buyer, tickets, t);
            String key = "rcpt-" + traffic.nextInt(6_000);
            if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.printBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.printBuffers.add(buf);
            String charity = svc.raffles.get(raffle).charityCode();
            if (wh.goneEndpoints.contains(charity)) goneDeliveries++;
            wh.attempt(new Delivery(77_000_000L + i, charity, "ticket.purchased", new byte[1_500 + traffic.nextInt(2_000)], t), t);
        }
        timeline.runDue(wh.retryScheduler, end);
        int pending = wh.retryScheduler.getQueue().size();
        long pendingGone = 0;
        int maxAttempts = 0;
        for (Timeline.Due d : timeline.agenda) {
            if (wh.goneEndpoints.contains(d.task.delivery.charityCode)) pendingGone++;
            maxAttempts = Math.max(maxAttempts, d.task.delivery.attempts);
            check(d.at > end, "pending retry due in the future");
        }
        wh.timeline = null;
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " charities " + CHARITIES_BY_CODE.size() + " gone endpoints " + wh.goneEndpoints.size() + " raffles " + svc.raffles.size()
                + " purchases " + svc.purchases + " deliveries to gone endpoints " + goneDeliveries + " delivered " + wh.delivered + " failed attempts " + wh.failedAttempts
                + " retries scheduled " + wh.retriesScheduled + " dead-lettered " + wh.deadLettered + " pending retries " + pending + " (gone endpoints " + pendingGone + ", max attempts " + maxAttempts + ")"
                + " receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") pool " + svc.printBuffers.size());
        check(CHARITIES_BY_CODE.size() == CHARITIES && svc.raffles.size() == RAFFLES && wh.goneEndpoints.size() == DEAD_ENDPOINTS, "reference data / directory");
        check(pending == timeline.agenda.size() && wh.realRuns == 0 && wh.retryScheduler.getCompletedTaskCount() == 0, "retry queue: " + pending);
        if (FIXED) check(maxAttempts < wh.policy.maxAttempts && pendingGone < goneDeliveries / 4, "fixed: bounded retries");
        else check(pendingGone == goneDeliveries && wh.deadLettered == 0, "every delivery to a gone endpoint is still retried");
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.printBuffers.size() == POOL, "pool");
        check(svc.purchases == purchases && svc.recent[RING - 1] != null, "ring");
        timeline.agenda.clear();
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val96.fixed");
        build(Integer.parseInt(args[2]));
        LeakCheck.histogram(" [I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
