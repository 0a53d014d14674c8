// hprofscan-dump: name=val123-leak-giftaid-1 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val123-leak-giftaid-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val123-leak-giftaid jvm="-Xmx266m" variants=mxbean args="8"
// hprofscan-dump: name=val123-leak-giftaid-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="8"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Validation set 123 (written blind), LEAK: the Gift Aid claim service of a charity donations
 * platform. Charity reference data, the donor directory, an LRU of rendered donor statements at its
 * cap, a pool of PDF buffers, a ring of recent donations, a thank-you mail queue, and the claim
 * service: every Gift Aid claim is submitted to the tax office and a side job waits for its
 * acknowledgement on the claim's own single-slot queue, on a single-thread executor created for
 * the claim and shut down right after the job is handed over (so it ends when the job ends).
 * Online declarations are acknowledged claim by claim, within minutes. Paper declarations are
 * acknowledged by the tax office in hourly batches; the batch handler takes the claims off the
 * awaiting list and records the batch, but never hands the acknowledgement to the claims' waiting
 * jobs: each paper claim's job blocks forever in take(), its thread and executor live on, and the
 * claim with its scanned declaration stays reachable. Growth series by simulated hours (argument).
 * See VALIDATION123.md.
 */
public final class Val123LeakGiftAid {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CHARITIES = 1_000, DONORS = 22_000, STATEMENT_CAP = 2_000, STATEMENT_KEYS = 10_000, POOL = 8,
            RING = 1_024, RECEIPT_RING = 1_024, BATCH_RING = 48, CLAIMS_PER_HOUR = 600, PAPER_PERCENT = 7;
    static boolean FIXED;
    static int HOURS;

    record Charity(String ref, String name, double[] weeklyDonations) {}
    record Donor(String donorId, String name, String postcode, byte[] consent, long since) {}
    record Statement(String key, byte[] rendered, long at) {}
    record Donation(String claimId, String donorId, String charityRef, int pence, long at) {}
    record ThankYou(String donorId, byte[] body, long queuedAt) {}
    record TaxAck(String claimId, String officeRef, long at) {}
    record TaxReceipt(String claimId, String officeRef, int reliefPence, long at) {}
    record BatchAck(String batchRef, int claims, long reliefPence, long at) {}

    /** One Gift Aid claim: the donation, the donor's declaration (a scan for paper ones) and the acknowledgement slot. */
    static final class GiftAidClaim {
        final String claimId, donorId, charityRef; final int pence; final boolean paper; final byte[] declaration; final long submittedAt;
        final BlockingQueue<TaxAck> acks = new ArrayBlockingQueue<>(1);
        GiftAidClaim(String claimId, String donorId, String charityRef, int pence, boolean paper, byte[] declaration, long submittedAt) {
            this.claimId = claimId; this.donorId = donorId; this.charityRef = charityRef; this.pence = pence; this.paper = paper;
            this.declaration = declaration; this.submittedAt = submittedAt;
        }
    }

    /** The side job of a claim: waits for the tax office's acknowledgement and records the receipt. */
    static final class ReceiptWatcher implements Runnable {
        final GiftAidClaim claim; final ClaimService service;
        ReceiptWatcher(GiftAidClaim claim, ClaimService service) { this.claim = claim; this.service = service; }
        @Override public void run() {
            try {
                TaxAck ack = claim.acks.take();
                service.recordReceipt(claim, ack);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class ClaimService {
        final ConcurrentHashMap<String, GiftAidClaim> awaitingReceipt = new ConcurrentHashMap<>();
        final TaxReceipt[] receipts = new TaxReceipt[RECEIPT_RING];
        final BatchAck[] batchAcks = new BatchAck[BATCH_RING];
        long submitted, paper, onlineAcks, batches, paperAcked;
        volatile long receiptsRecorded;

        void submit(GiftAidClaim claim) {
            awaitingReceipt.put(claim.claimId, claim);
            String threadName = "giftaid-receipt-" + claim.claimId;
            ExecutorService side = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(null, r, threadName, 256 * 1024);
                t.setDaemon(true);
                return t;
            });
            side.execute(new ReceiptWatcher(claim, this));
            side.shutdown(); // the executor terminates as soon as the watcher returns
            submitted++;
            if (claim.paper) paper++;
        }

        /** An online declaration: the tax office acknowledges the claim itself. */
        void onClaimAck(TaxAck ack) {
            GiftAidClaim claim = awaitingReceipt.remove(ack.claimId());
            claim.acks.offer(ack);
            onlineAcks++;
        }

        /** Paper declarations: one acknowledgement for every paper claim submitted before the cut-off. */
        void onBatchAck(String batchRef, long cutoff, long at) {
            int n = 0; long relief = 0;
            for (GiftAidClaim claim : awaitingReceipt.values()) {
                if (!claim.paper || claim.submittedAt >= cutoff) continue;
                awaitingReceipt.remove(claim.claimId);
                n++; relief += claim.pence / 4;
                if (FIXED) claim.acks.offer(new TaxAck(claim.claimId, batchRef, at));
                // BUG: the claim's watcher is never given the acknowledgement: it waits in take() forever
            }
            batchAcks[(int) (batches++ % BATCH_RING)] = new BatchAck(batchRef, n, relief, at);
            paperAcked += n;
        }

        synchronized void recordReceipt(GiftAidClaim claim, TaxAck ack) {
            receipts[(int) (receiptsRecorded % RECEIPT_RING)] = new TaxReceipt(claim.claimId, ack.officeRef(), claim.pence / 4, ack.at());
            receiptsRecorded++;
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Charity> CHARITIES_BY_REF = new HashMap<>();

    static final class DonationService {
        final Map<String, Donor> donors = new HashMap<>();
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Donation[] recent = new Donation[RING];
        final ArrayDeque<ThankYou> thankYouQueue = new ArrayDeque<>();
        final ClaimService claims = new ClaimService();
        long donations, thanksQueued, thanksSent, pdfs;

        void sendThanks(long boundary) {
            while (!thankYouQueue.isEmpty() && thankYouQueue.peekFirst().queuedAt() <= boundary - 5 * MINUTE) { thankYouQueue.pollFirst(); thanksSent++; }
        }
    }

    static DonationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    record PendingAck(long due, String claimId) {}

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_020_001);
        String[] charityRefs = new String[CHARITIES];
        for (int c = 0; c < CHARITIES; c++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 9_000;
            charityRefs[c] = "XR" + (40_000 + 17 * c);
            CHARITIES_BY_REF.put(charityRefs[c], new Charity(charityRefs[c], "Charity " + c, weekly));
        }
        DonationService svc = new DonationService();
        SERVICE = svc;
        String[] donorIds = new String[DONORS];
        for (int d = 0; d < DONORS; d++) {
            donorIds[d] = "D" + (5_200_000 + d);
            svc.donors.put(donorIds[d], new Donor(donorIds[d], "Donor " + d, "PC" + (10 + rnd.nextInt(89)) + " " + rnd.nextInt(10) + "AB",
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        ClaimService cs = svc.claims;
        Random traffic = new Random(123_020_002);
        int total = HOURS * CLAIMS_PER_HOUR;
        long span = end - MINUTE - start;
        PriorityQueue<PendingAck> inTransit = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : a.claimId.compareTo(b.claimId));
        long nextBatch = start + HOUR + 30 * MINUTE, nextMail = start + 5 * MINUTE;
        for (int i = 0; i < total; i++) {
            long t = start + span * i / total;
            while (!inTransit.isEmpty() && inTransit.peek().due <= t) {
                PendingAck p = inTransit.poll();
                cs.onClaimAck(new TaxAck(p.claimId, "HMRC-" + p.claimId.substring(2), p.due));
            }
            while (nextBatch <= t) { cs.onBatchAck("GAB-" + (cs.batches + 1), nextBatch - 30 * MINUTE, nextBatch); nextBatch += HOUR; }
            while (nextMail <= t) { svc.sendThanks(nextMail); nextMail += 5 * MINUTE; }
            String donor = donorIds[traffic.nextInt(DONORS)];
            String charity = charityRefs[traffic.nextInt(CHARITIES)];
            int pence = 500 + 100 * traffic.nextInt(200);
            boolean paper = traffic.nextInt(100) < PAPER_PERCENT;
            byte[] declaration = paper ? new byte[24_576 + traffic.nextInt(16_384)] : new byte[400 + traffic.nextInt(400)];
            declaration[0] = (byte) i;
            String claimId = "GA" + (7_300_000 + i);
            cs.submit(new GiftAidClaim(claimId, donor, charity, pence, paper, declaration, t));
            if (!paper) inTransit.add(new PendingAck(t + (60 + traffic.nextInt(180)) * 1_000L, claimId));
            svc.recent[(int) (svc.donations++ % RING)] = new Donation(claimId, donor, charity, pence, t);
            svc.thankYouQueue.add(new ThankYou(donor, new byte[300 + traffic.nextInt(300)], t));
            svc.thanksQueued++;
            for (int v = 0; v < 4; v++) {
                String key = "stmt-" + traffic.nextInt(STATEMENT_KEYS);
                if (svc.statements.get(key) == null) svc.statements.put(key, new Statement(key, new byte[400 + traffic.nextInt(400)], t));
            }
            if (traffic.nextInt(8) == 0) {
                byte[] buf = svc.pdfBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.pdfBuffers.add(buf);
                svc.pdfs++;
            }
        }
        while (!inTransit.isEmpty() && inTransit.peek().due <= end) {
            PendingAck p = inTransit.poll();
            cs.onClaimAck(new TaxAck(p.claimId, "HMRC-" + p.claimId.substring(2), p.due));
        }
    }

    static void waitForWatchers() throws InterruptedException {
        ClaimService cs = SERVICE.claims;
        long expected = cs.onlineAcks + (FIXED ? cs.paperAcked : 0);
        for (int tries = 0; tries < 6_000 && cs.receiptsRecorded < expected; tries++) Thread.sleep(10);
        for (int tries = 0; tries < 6_000; tries++) {
            int alive = 0, waiting = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) {
                if (!th.getName().startsWith("giftaid-receipt-")) continue;
                alive++;
                if (th.getState() == Thread.State.WAITING) waiting++;
            }
            if (alive == waiting && alive == expectedAlive()) break;
            Thread.sleep(10);
        }
        // Executors.newSingleThreadExecutor wraps each executor in a finalizable delegate: let the
        // finalizer run for the delegates of the executors that terminated, so the dump has none left.
        for (int round = 0; round < 4; round++) { System.gc(); System.runFinalization(); Thread.sleep(20); }
    }

    static long expectedAlive() {
        ClaimService cs = SERVICE.claims;
        return cs.awaitingReceipt.size() + (FIXED ? 0 : cs.paperAcked);
    }

    static void selfCheck() {
        DonationService svc = SERVICE;
        ClaimService cs = svc.claims;
        int alive = 0, waiting = 0, paperAlive = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (!th.getName().startsWith("giftaid-receipt-")) continue;
            alive++;
            if (th.getState() == Thread.State.WAITING) waiting++;
        }
        int awaitingPaper = 0;
        for (GiftAidClaim c : cs.awaitingReceipt.values()) if (c.paper) awaitingPaper++;
        System.out.println((FIXED ? "FIXED " : "") + "hours " + HOURS + " charities " + CHARITIES_BY_REF.size() + " donors " + svc.donors.size() + " claims " + cs.submitted
                + " (paper " + cs.paper + ") online acks " + cs.onlineAcks + " batches " + cs.batches + " paper acked " + cs.paperAcked + " receipts " + cs.receiptsRecorded
                + " awaiting " + cs.awaitingReceipt.size() + " (paper " + awaitingPaper + ") receipt threads alive " + alive + " (waiting " + waiting + ") statements "
                + svc.statements.size() + " (evicted " + svc.statements.evicted + ") pool " + svc.pdfBuffers.size() + " pdfs " + svc.pdfs + " thanks queued "
                + svc.thanksQueued + " sent " + svc.thanksSent + " backlog " + svc.thankYouQueue.size());
        int stage = HOURS == 2 ? 0 : HOURS == 4 ? 1 : 2;
        check(CHARITIES_BY_REF.size() == CHARITIES && svc.donors.size() == DONORS, "reference data / directory");
        check(cs.submitted == (long) HOURS * CLAIMS_PER_HOUR && cs.paper == PAPER[stage], "claims: " + cs.paper);
        check(cs.batches == HOURS - 1 && cs.paperAcked == PAPER_ACKED[stage], "paper batches: " + cs.paperAcked);
        check(cs.onlineAcks + cs.paper + awaitingOnline(cs) == cs.submitted && cs.awaitingReceipt.size() == AWAITING[stage]
                && awaitingPaper == cs.paper - cs.paperAcked, "awaiting: " + cs.awaitingReceipt.size());
        check(cs.receiptsRecorded == cs.onlineAcks + (FIXED ? cs.paperAcked : 0), "receipts recorded: " + cs.receiptsRecorded);
        check(alive == expectedAlive() && waiting == alive, "receipt threads: " + alive + " / " + waiting);
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring full");
        check(svc.thankYouQueue.size() == THANKS_BACKLOG[stage], "thank-you backlog: " + svc.thankYouQueue.size());
    }

    static long awaitingOnline(ClaimService cs) {
        long n = 0;
        for (GiftAidClaim c : cs.awaitingReceipt.values()) if (!c.paper) n++;
        return n;
    }

    // Per stage (2 / 4 / 8 h); the same in every run (fixed seeds, times relative to the start of the minute).
    static final long[] PAPER = {99, 188, 360}, PAPER_ACKED = {46, 140, 322}, AWAITING = {67, 60, 53}, THANKS_BACKLOG = {90, 90, 90};

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val123.fixed");
        HOURS = Integer.parseInt(args[2]);
        run();
        waitForWatchers();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
