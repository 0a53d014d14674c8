// hprofscan-dump: name=val24-healthy-fishmarket-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val24-healthy-fishmarket-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val24-healthy-fishmarket jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val24-healthy-fishmarket-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Validation set 24 (written blind), HEALTHY: the clock-auction service of a fish market. Species
 * reference data, the buyer directory, an array-backed lot queue that clears polled slots and
 * wraps (full, bounded at 4,000), a settlement queue ({@code LinkedBlockingQueue}) with a live
 * consumer that ships batches and keeps a steady backlog of 3,000, an open-bid registry at steady
 * concurrency (remove in finally), a buyer-credit cache at its cap, a label buffer pool and a
 * price-tick ring. Series: stage 1 simulates 1 h, stage 2 4 h, stage 3 8 h; it warms up (the ring
 * fills) by stage 2 and is flat after. See testdata/VALIDATION24.md.
 */
public final class Val24HealthyFishMarket {
    static final long HOUR = 3_600_000L;
    static final int SPECIES = 1_200, BUYERS = 30_000, LOT_CAP = 4_000, BACKLOG = 3_000, BATCH = 500, CONCURRENCY = 48, CREDIT_CAP = 2_500, POOL = 12, RING = 16_384;

    record Species(String code, String latinName, double[] priceCurve) {}
    record Buyer(String id, String company, long registeredAt, byte[] profile) {}
    record Lot(String id, String species, int boxes, long landedAt, byte[] catchCertificate) {}
    record Settlement(String lotId, String buyerId, long amountCents, long at, byte[] invoice) {}
    record CreditLine(String buyerId, long[] exposureByHour) {}
    record Tick(String species, long priceCents, long at) {}
    static final class Bid { final String id; final String buyerId; final long at; volatile String status = "OPEN"; Bid(String id, String buyerId, long at) { this.id = id; this.buyerId = buyerId; this.at = at; } }

    /** Bounded array ring of lots waiting for the auction clock: polled slots are cleared, indices wrap. */
    static final class LotQueue {
        final Object[] items = new Object[LOT_CAP];
        int head, tail, size;
        boolean offer(Object lot) { if (size == items.length) return false; items[tail] = lot; tail = (tail + 1) % items.length; size++; return true; }
        Object poll() { if (size == 0) return null; Object o = items[head]; items[head] = null; head = (head + 1) % items.length; size--; return o; }
    }

    /** Settlements go to the accounting system in batches of 500; a backlog of 3,000 is kept for netting. */
    static final class SettlementWriter implements Runnable {
        final LinkedBlockingQueue<Settlement> queue = new LinkedBlockingQueue<>();
        final Semaphore tick = new Semaphore(0), done = new Semaphore(0);
        final byte[] scratch = new byte[65_536]; // per-thread serialization buffer
        volatile long shipped;
        public void run() {
            ArrayDeque<Settlement> batch = new ArrayDeque<>();
            while (true) {
                try { tick.acquire(); } catch (InterruptedException e) { return; }
                while (queue.size() > BACKLOG) { batch.clear(); queue.drainTo(batch, BATCH); shipped += batch.size(); }
                batch.clear();
                done.release();
            }
        }
    }

    static final class BidRegistry {
        final ConcurrentHashMap<String, Bid> open = new ConcurrentHashMap<>();
        long accepted, rejected;
        void finish(Bid b, boolean fails) {
            try {
                if (fails) throw new IllegalStateException("credit check timeout for " + b.id);
                b.status = "ACCEPTED";
                accepted++;
            } catch (IllegalStateException e) {
                b.status = "REJECTED";
                rejected++;
            } finally {
                open.remove(b.id);
            }
        }
    }

    static final class CreditCache extends LinkedHashMap<String, CreditLine> {
        long evicted;
        CreditCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CreditLine> e) { if (size() > CREDIT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Species> SPECIES_BY_CODE = new HashMap<>();

    static final class AuctionService {
        final Map<String, Buyer> buyers = new HashMap<>();
        final LotQueue lots = new LotQueue();
        final SettlementWriter settlements = new SettlementWriter();
        final BidRegistry bids = new BidRegistry();
        final CreditCache credit = new CreditCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Tick[] ticks = new Tick[RING];
        long tickCount, lotsAuctioned;
    }

    static AuctionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int lots = stage == 1 ? 5_000 : stage == 2 ? 20_000 : 40_000;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(24_050_001);
        for (int s = 0; s < SPECIES; s++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = 2 + rnd.nextDouble() * 30;
            String code = "SP-" + (3_000 + s);
            SPECIES_BY_CODE.put(code, new Species(code, "Species latinus " + s, curve));
        }
        AuctionService svc = new AuctionService();
        SERVICE = svc;
        for (int b = 0; b < BUYERS; b++) {
            String id = "BUY-" + (60_000 + b);
            svc.buyers.put(id, new Buyer(id, "fishmonger-" + rnd.nextInt(9_000), now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR, new byte[200 + rnd.nextInt(200)]));
        }
        for (int i = 0; i < POOL; i++) svc.labelBuffers.add(new byte[32_768]);
        Thread writer = new Thread(svc.settlements, "settlement-writer");
        writer.setDaemon(true);
        writer.start();
        Random traffic = new Random(24_050_002);
        ArrayDeque<Bid> window = new ArrayDeque<>();
        for (int l = 0; l < lots; l++) {
            long t = start + (now - start) * l / lots;
            String species = "SP-" + (3_000 + traffic.nextInt(SPECIES));
            Lot lot = new Lot("LOT-" + (5_000_000 + l), species, 1 + traffic.nextInt(40), t - traffic.nextInt(6) * HOUR, new byte[200 + traffic.nextInt(200)]);
            if (!svc.lots.offer(lot)) { // the clock is behind: auction the 500 oldest lots
                for (int k = 0; k < BATCH; k++) { if (svc.lots.poll() == null) throw new IllegalStateException(); svc.lotsAuctioned++; }
                if (!svc.lots.offer(lot)) throw new IllegalStateException();
            }
            String buyer = "BUY-" + (60_000 + traffic.nextInt(BUYERS));
            Bid bid = new Bid("BID-" + (90_000_000 + l), buyer, t);
            svc.bids.open.put(bid.id, bid);
            window.add(bid);
            if (window.size() > CONCURRENCY) svc.bids.finish(window.poll(), traffic.nextInt(100) < 6);
            if (svc.credit.get(buyer) == null) svc.credit.put(buyer, new CreditLine(buyer, new long[24]));
            svc.ticks[(int) (svc.tickCount++ % RING)] = new Tick(species, 200 + traffic.nextInt(5_000), t);
            svc.settlements.queue.add(new Settlement(lot.id(), buyer, 10_000 + traffic.nextInt(500_000), t, new byte[96 + traffic.nextInt(96)]));
            if ((l + 1) % BATCH == 0) { svc.settlements.tick.release(); svc.settlements.done.acquire(); }
        }
        int backlog = svc.settlements.queue.size();
        int lotSlots = 0;
        for (Object o : svc.lots.items) if (o != null) lotSlots++;
        System.out.println("stage " + stage + " species " + SPECIES_BY_CODE.size() + " buyers " + svc.buyers.size() + " lots " + lots + " queued lots " + svc.lots.size + " (slots " + lotSlots
                + ", auctioned " + svc.lotsAuctioned + ") settlements backlog " + backlog + " shipped " + svc.settlements.shipped + " writer alive " + writer.isAlive()
                + " open bids " + svc.bids.open.size() + " accepted " + svc.bids.accepted + " rejected " + svc.bids.rejected + " credit " + svc.credit.size() + " (evicted " + svc.credit.evicted
                + ") ticks " + svc.tickCount + " pool " + svc.labelBuffers.size());
        check(SPECIES_BY_CODE.size() == SPECIES && svc.buyers.size() == BUYERS, "reference data / directory");
        check(svc.lots.size == LOT_CAP && lotSlots == LOT_CAP && svc.lotsAuctioned == lots - LOT_CAP, "lot queue full and bounded");
        check(backlog == BACKLOG && svc.settlements.shipped == lots - BACKLOG && writer.isAlive(), "settlement backlog " + backlog);
        check(svc.bids.open.size() == CONCURRENCY && svc.bids.accepted + svc.bids.rejected == lots - CONCURRENCY && svc.bids.rejected > 0, "open bids " + svc.bids.open.size());
        check(svc.credit.size() == CREDIT_CAP && svc.credit.evicted > 0, "credit cache at its cap");
        check(svc.tickCount == lots && (stage == 1 ? svc.ticks[RING - 1] == null : svc.ticks[RING - 1] != null), "tick ring");
        check(svc.labelBuffers.size() == POOL, "label buffer pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
