// hprofscan-dump: name=courier-rates jvm="-Xmx200m" variants=mxbean args="healthy base"
// hprofscan-dump: name=courier-rates-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy idle"
// hprofscan-dump: name=courier-rates-leak jvm="-Xmx200m" variants=mxbean args="leak base"
// hprofscan-dump: name=courier-rates-leak-gen-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak 90"
// hprofscan-dump: name=courier-rates-leak-idle-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak idle"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The rating service of a parcel courier. A rate is computed by steps that implement one
 * interface, {@code RateStep}, and share no class: per rate-card generation a zone step and a
 * fuel step, both reading that generation's {@code RateCard} (zone and weight tables), over a
 * base table step. The rate card is reloaded every 3 minutes over 9 simulated hours (180
 * reloads). Beside it: 300 depots (reference data), the 1,500 parcels in transit, an LRU of 1,000
 * address lookups at its cap, a ring of 1,024 scans.
 *
 * <p>At the dump 3 rating threads are in the middle of a call (the second argument): {@code
 * base}: they wait for the base table's lock, held by a refresh thread (every step is on their
 * stacks); a number: they wait for that generation's rate card (counted from the oldest), held by
 * an exporter; {@code idle}: they rated and wait outside the chain.
 * <ul>
 * <li>{@code healthy}: a reload builds the new steps on the base step (two steps deep).
 * <li>{@code leak}: a reload wraps the current steps: every earlier generation stays linked, 360
 * steps with their rate cards.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class CourierRates {
    static final long MINUTE = 60_000L;
    static final int DEPOTS = 300, RELOADS = 180, LRU_CAP = 1_000, RING = 1_024, RATERS = 3, ZONES = 40, WEIGHTS = 30;

    record Depot(String code, String town, int[] dockHours) {}

    record Parcel(String trackingNo, int zone, int weightBand, long scannedAt) {}

    /** One rating step. */
    interface RateStep {
        long rate(Parcel p);
    }

    /** One generation's tables. */
    static final class RateCard {
        final int generation;
        final long loadedAt;
        final int[] centsByZoneWeight = new int[ZONES * WEIGHTS];
        final Map<String, Integer> surchargeByPostcodeArea = new HashMap<>();

        RateCard(int generation, long loadedAt, Random r) {
            this.generation = generation;
            this.loadedAt = loadedAt;
            for (int i = 0; i < centsByZoneWeight.length; i++) centsByZoneWeight[i] = r.nextInt(90);
            for (int i = 0; i < 24; i++) surchargeByPostcodeArea.put("PA" + (10 + r.nextInt(80)), 50 + r.nextInt(200));
        }
    }

    static final class BaseTableStep implements RateStep {
        final int[] centsByZone = new int[ZONES];
        final Object lock = new Object();

        BaseTableStep(Random r) { for (int i = 0; i < ZONES; i++) centsByZone[i] = 300 + r.nextInt(400); }

        @Override public long rate(Parcel p) {
            synchronized (lock) { return centsByZone[p.zone()]; }
        }
    }

    static final class ZoneStep implements RateStep {
        final RateStep next;
        final RateCard card;
        long rated;

        ZoneStep(RateStep next, RateCard card) { this.next = next; this.card = card; }

        @Override public long rate(Parcel p) {
            rated++;
            return next.rate(p) + card.centsByZoneWeight[p.zone() * WEIGHTS + p.weightBand()];
        }
    }

    static final class FuelStep implements RateStep {
        final RateStep next;
        final RateCard card;
        final int percent;

        FuelStep(RateStep next, RateCard card, int percent) { this.next = next; this.card = card; this.percent = percent; }

        @Override public long rate(Parcel p) {
            synchronized (card) {
                long c = next.rate(p);
                return c + c * percent / 100;
            }
        }
    }

    /** What the scanners call. */
    static final class Rater {
        final BaseTableStep base;
        volatile RateStep current;
        int reloads;

        Rater(BaseTableStep base) { this.base = base; this.current = base; }

        void reload(boolean leak, long at, Random r) {
            RateCard card = new RateCard(reloads++, at, r);
            // BUG (leak): wraps whatever is current; the fix builds on the base step.
            RateStep below = leak ? current : base;
            current = new FuelStep(new ZoneStep(below, card), card, 5 + r.nextInt(15));
        }

        /** The rate card of generation {@code g} still in the chain. */
        RateCard card(int g) {
            for (RateStep s = current; s != base; s = s instanceof FuelStep f ? f.next : ((ZoneStep) s).next) {
                if (s instanceof FuelStep f && f.card.generation == g) return f.card;
            }
            throw new IllegalStateException("no generation " + g);
        }
    }

    static final class AddressCache extends LinkedHashMap<String, byte[]> {
        AddressCache() { super(256, 0.75f, true); }

        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > LRU_CAP; }
    }

    static final Map<String, Depot> DEPOTS_BY_CODE = new HashMap<>();
    static final Map<String, Parcel> IN_TRANSIT = new HashMap<>();
    static final AddressCache ADDRESSES = new AddressCache();
    static final Parcel[] SCANS = new Parcel[RING];
    static Rater rater;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        String waitIn = args[3];
        long now = System.currentTimeMillis();
        simulate(leak, now);
        int depth = depth();
        System.out.println((leak ? "leak" : "healthy") + " depth " + depth + " in transit " + IN_TRANSIT.size()
                + " addresses " + ADDRESSES.size() + " reloads " + rater.reloads);
        check(depth == (leak ? 2 * RELOADS : 2), "depth " + depth);
        check(ADDRESSES.size() == LRU_CAP && IN_TRANSIT.size() == 1_500, "lru, parcels");
        List<Thread> raters = startRaters(leak, waitIn, now);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1] + " with " + raters.size() + " raters waiting");
        System.exit(0);
    }

    static void simulate(boolean leak, long now) {
        Random r = new Random(20261207L);
        for (int i = 0; i < DEPOTS; i++) {
            int[] hours = new int[7 * 24];
            for (int h = 0; h < hours.length; h++) hours[h] = r.nextInt(60);
            String code = "DP" + (200 + i);
            DEPOTS_BY_CODE.put(code, new Depot(code, "Town " + r.nextInt(900), hours));
        }
        rater = new Rater(new BaseTableStep(r));
        long start = now - RELOADS * 3 * MINUTE;
        List<String> order = new ArrayList<>();
        long scans = 0;
        for (int reload = 0; reload < RELOADS; reload++) {
            long t0 = start + reload * 3 * MINUTE;
            rater.reload(leak, t0, r);
            for (int k = 0; k < 12; k++) {
                Parcel p = new Parcel("CR" + (50_000_000 + scans), r.nextInt(ZONES), r.nextInt(WEIGHTS), t0 + k * 15_000L);
                if (scans % 4 == 0) rater.current.rate(p);
                SCANS[(int) (scans++ % RING)] = p;
                IN_TRANSIT.put(p.trackingNo(), p);
                order.add(p.trackingNo());
                if (IN_TRANSIT.size() > 1_500) IN_TRANSIT.remove(order.remove(0));
                String addr = "A" + r.nextInt(3_000);
                if (ADDRESSES.get(addr) == null) ADDRESSES.put(addr, new byte[200 + r.nextInt(200)]);
            }
        }
    }

    static int depth() {
        int depth = 0;
        RateStep s = rater.current;
        while (s != rater.base) {
            depth++;
            s = s instanceof FuelStep f ? f.next : ((ZoneStep) s).next;
        }
        return depth;
    }

    /** Starts the lock holder (if any) and the raters; returns once every rater waits. */
    static List<Thread> startRaters(boolean leak, String waitIn, long now) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1), never = new CountDownLatch(1);
        Object lock = switch (waitIn) {
            case "idle" -> null;
            case "base" -> rater.base.lock;
            default -> rater.card(leak ? Integer.parseInt(waitIn) : RELOADS - 1);
        };
        if (lock != null) {
            Thread holder = new Thread(() -> {
                synchronized (lock) {
                    held.countDown();
                    try { never.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
            }, "rate-refresh");
            holder.setDaemon(true);
            holder.start();
            held.await();
        }
        List<Thread> raters = new ArrayList<>();
        Parcel p = SCANS[7];
        for (int i = 0; i < RATERS; i++) {
            Thread t = new Thread(() -> {
                rater.current.rate(p);
                try { never.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "rater-" + i);
            t.setDaemon(true);
            t.start();
            raters.add(t);
        }
        for (Thread t : raters) {
            while (t.getState() != (lock != null ? Thread.State.BLOCKED : Thread.State.WAITING)) Thread.sleep(5);
        }
        return raters;
    }
}
