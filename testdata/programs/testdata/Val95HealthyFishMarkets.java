// hprofscan-dump: name=val95-healthy-fishmarkets-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val95-healthy-fishmarkets-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val95-healthy-fishmarkets jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val95-healthy-fishmarkets-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 95 (written blind), HEALTHY: the auction and sales service of a fishermen's
 * co-operative running several harbour fish markets. Vessel reference data, the lot-buyer directory,
 * per member co-op a list of webhook subscriptions (client integrations re-subscribe on every deploy
 * and the old subscription is deleted), a memo of price quotes keyed by (species, crates) only, a
 * ConcurrentHashMap of per-auction-lot monitors removed when the lot is knocked down, a ring of
 * recent scale weighings and a pool of label-printer buffers. Warms up, then plateaus.
 * See VALIDATION95.md.
 */
public final class Val95HealthyFishMarkets {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, LOT_OPEN = 15 * MINUTE;
    static final int VESSELS = 1_200, BUYERS = 25_000, COOPS = 300, INTEGRATIONS = 2, SPECIES = 150, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 6_000, LOTS_PER_HOUR = 180;
    static final int[] CRATES = {1, 2, 5, 10, 20, 50};
    static final String[] EVENT_TYPES = {"lot.sold", "landing.registered"};

    record Vessel(String code, String port, double[] weeklyLandings) {}
    record Buyer(String id, String company, byte[] creditRecord, long registeredAt) {}
    record Weighing(String lotId, String species, int grams, long at) {}
    record QuoteKey(String species, int crates) {}
    record Quote(String quoteId, String species, int crates, long pricePerKgCents, long quotedAt, byte[] breakdown) {}
    record Subscription(String id, String coopId, String eventType, String callbackUrl, byte[] signingSecret, long createdAt) {}

    static final class Coop {
        final String id, name;
        final List<Subscription> webhooks = new ArrayList<>();
        long unsubscribes;
        Coop(String id, String name) { this.id = id; this.name = name; }
        void unsubscribe(String subscriptionId) {
            for (Iterator<Subscription> it = webhooks.iterator(); it.hasNext(); ) {
                if (it.next().id().equals(subscriptionId)) { it.remove(); unsubscribes++; return; }
            }
            throw new IllegalStateException("no subscription " + subscriptionId);
        }
    }

    static final class Lot {
        final long id; final String species; final long openedAt; long highestBidCents; int bids;
        Lot(long id, String species, long openedAt) { this.id = id; this.species = species; this.openedAt = openedAt; }
    }

    static final class MarketService {
        final Map<String, Buyer> buyers = new HashMap<>();
        final Map<String, Coop> coops = new HashMap<>();
        final Map<QuoteKey, Quote> quoteMemo = new HashMap<>();
        final ConcurrentHashMap<Long, Object> lotLocks = new ConcurrentHashMap<>();
        final Map<Long, Lot> openLots = new HashMap<>();
        final ArrayDeque<Lot> closing = new ArrayDeque<>();
        final Weighing[] weighings = new Weighing[RING];
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        long weighed, quoteRequests, deploys, lotsOpened, lotsSold, bids;
    }

    static final Map<String, Vessel> VESSELS_BY_CODE = new HashMap<>();
    static MarketService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void knockDown(MarketService svc, long t) {
        while (!svc.closing.isEmpty() && svc.closing.peek().openedAt + LOT_OPEN <= t) {
            Lot lot = svc.closing.poll();
            synchronized (svc.lotLocks.computeIfAbsent(lot.id, k -> new Object())) { svc.openLots.remove(lot.id); svc.lotsSold++; }
            svc.lotLocks.remove(lot.id);
        }
    }

    static void run(int stage) {
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(95_050_001);
        for (int v = 0; v < VESSELS; v++) {
            double[] landings = new double[52];
            for (int k = 0; k < landings.length; k++) landings[k] = rnd.nextDouble() * 8_000;
            String code = "FV-" + (1_000 + v);
            VESSELS_BY_CODE.put(code, new Vessel(code, "Harbour " + (v % 12), landings));
        }
        MarketService svc = new MarketService();
        SERVICE = svc;
        for (int b = 0; b < BUYERS; b++) {
            String id = "B" + (500_000 + b);
            svc.buyers.put(id, new Buyer(id, "Fishmonger " + (b % 4_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * DAY));
        }
        String[] species = new String[SPECIES];
        for (int s = 0; s < SPECIES; s++) species[s] = "species-" + s;
        String[] coopIds = new String[COOPS];
        String[][] current = new String[COOPS * INTEGRATIONS][EVENT_TYPES.length];
        long subSeq = 0;
        for (int c = 0; c < COOPS; c++) {
            coopIds[c] = "coop-" + (8_000 + c);
            svc.coops.put(coopIds[c], new Coop(coopIds[c], "Co-op " + c));
        }
        for (int g = 0; g < current.length; g++) {
            Coop coop = svc.coops.get(coopIds[g / INTEGRATIONS]);
            for (int e = 0; e < EVENT_TYPES.length; e++) {
                String id = "sub_" + (70_000_000L + subSeq++);
                coop.webhooks.add(new Subscription(id, coop.id, EVENT_TYPES[e], "https://erp.coop" + (g / INTEGRATIONS) + ".example/hooks/" + (g % INTEGRATIONS) + "?build=0", secret(rnd), start - (long) (1 + rnd.nextInt(200)) * DAY));
                current[g][e] = id;
            }
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(95_050_002);
        Random costing = new Random(95_050_003);
        int lots = LOTS_PER_HOUR * hours;
        int lot = 0;
        int maxLocks = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (lot < lots && start + (end - start) * lot / lots <= t) { // a lot opens for bidding
                long at = start + (end - start) * lot / lots;
                knockDown(svc, at);
                Lot l = new Lot(60_000_000L + lot, species[traffic.nextInt(SPECIES)], at);
                svc.openLots.put(l.id, l);
                svc.closing.add(l);
                svc.lotsOpened++;
                lot++;
            }
            knockDown(svc, t);
            if (!svc.closing.isEmpty() && traffic.nextInt(3) == 0) { // a bid on the newest open lot
                Lot l = svc.closing.peekLast();
                synchronized (svc.lotLocks.computeIfAbsent(l.id, k -> new Object())) { l.bids++; l.highestBidCents += 5 + traffic.nextInt(50); svc.bids++; }
                maxLocks = Math.max(maxLocks, svc.lotLocks.size());
            }
            String sp = species[traffic.nextInt(SPECIES)];
            int grams = 5_000 + traffic.nextInt(30_000);
            svc.weighings[(int) (svc.weighed++ % RING)] = new Weighing("L" + (60_000_000L + Math.max(0, lot - 1)), sp, grams, t);
            if (i % 3 == 0) { // a buyer asks for a price
                svc.quoteRequests++;
                QuoteKey key = new QuoteKey(species[traffic.nextInt(SPECIES)], CRATES[traffic.nextInt(CRATES.length)]);
                if (!svc.quoteMemo.containsKey(key))
                    svc.quoteMemo.put(key, new Quote("FQ" + (1_000_000 + svc.quoteMemo.size()), key.species(), key.crates(), 300 + costing.nextInt(3_000), t, new byte[64 + costing.nextInt(64)]));
            }
            if (traffic.nextInt(60) == 0) { // a co-op's ERP integration deploys and re-subscribes
                int g = traffic.nextInt(current.length);
                Coop coop = svc.coops.get(coopIds[g / INTEGRATIONS]);
                for (int e = 0; e < EVENT_TYPES.length; e++) {
                    coop.unsubscribe(current[g][e]);
                    String id = "sub_" + (70_000_000L + subSeq++);
                    coop.webhooks.add(new Subscription(id, coop.id, EVENT_TYPES[e], "https://erp.coop" + (g / INTEGRATIONS) + ".example/hooks/" + (g % INTEGRATIONS) + "?build=" + svc.deploys, secret(traffic), t));
                    current[g][e] = id;
                }
                svc.deploys++;
            }
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.add(buf);
        }
        long hooks = 0;
        for (Coop c : svc.coops.values()) { hooks += c.webhooks.size(); check(c.webhooks.size() == INTEGRATIONS * EVENT_TYPES.length, "co-op webhooks " + c.id); }
        System.out.println("stage " + stage + " hours " + hours + " vessels " + VESSELS_BY_CODE.size() + " buyers " + svc.buyers.size() + " webhooks " + hooks + " deploys " + svc.deploys
                + " quote memo " + svc.quoteMemo.size() + " (requests " + svc.quoteRequests + ") lots opened " + svc.lotsOpened + " sold " + svc.lotsSold + " open " + svc.openLots.size() + " lotLocks " + svc.lotLocks.size() + " (max " + maxLocks + ") bids " + svc.bids
                + " weighings " + svc.weighed + " pool " + svc.labelBuffers.size());
        check(VESSELS_BY_CODE.size() == VESSELS && svc.buyers.size() == BUYERS, "reference data / directory");
        check(stage == 1 || svc.quoteMemo.size() == SPECIES * CRATES.length, "quote memo bounded by (species, crates): " + svc.quoteMemo.size());
        check(svc.lotLocks.size() <= svc.openLots.size() && svc.openLots.size() == svc.closing.size() && svc.lotsSold + svc.openLots.size() == svc.lotsOpened && svc.lotsOpened <= lots, "lot locks only of open lots");
        check(svc.weighed == events && (stage == 1 || svc.weighings[RING - 1] != null), "ring");
        check(svc.labelBuffers.size() == POOL, "pool");
    }

    static byte[] secret(Random r) { byte[] b = new byte[32]; r.nextBytes(b); return b; }

    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
