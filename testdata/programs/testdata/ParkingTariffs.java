// hprofscan-dump: name=parking-tariffs jvm="-Xmx200m" variants=mxbean args="healthy 48"
// hprofscan-dump: name=parking-tariffs-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy 48"
// hprofscan-dump: name=parking-tariffs-leak jvm="-Xmx200m" variants=mxbean args="leak 48"
// hprofscan-dump: name=parking-tariffs-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak 48"
// hprofscan-dump: name=parking-tariffs-leak-idle jvm="-Xmx200m" variants=mxbean args="leak -1"
// hprofscan-dump: name=parking-tariffs-leak-oldest-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak 0"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The pricing desk of a city's parking garages. A tariff is a base rate table wrapped in three
 * layers: an event surcharge per garage and hour, the merchants' validation discounts, and an
 * audit hook that counts every price it gives in its generation's audit sink. The tariff is
 * reloaded every 4 minutes over 8 simulated hours (120 reloads). Beside it: the garages
 * (reference data with a week of occupancy each), the sessions of the cars parked now, an LRU
 * of 1,200 plate lookups at its cap, and a ring of the last 2,048 gate events.
 *
 * <p>At the dump, an audit flusher holds one audit sink's lock while it writes it out (a slow
 * disk), and 3 pricing threads wait for it inside the tariff: every layer above that sink's
 * audit hook is on their stacks. The second argument is the sink's generation counted from the
 * oldest (-1: no flush in progress, the pricing threads idle).
 * <ul>
 * <li>{@code healthy}: a reload builds the new layers on the base table: the tariff is three
 * layers deep (the flusher holds the current sink).
 * <li>{@code leak}: a reload wraps the current tariff in three more layers: every earlier
 * generation stays in the chain, 360 layers with their tables and sinks.
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class ParkingTariffs {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE;
    static final int GARAGES = 400, RELOADS = 120, LRU_CAP = 1_200, RING = 2_048, PRICERS = 3;

    /** A garage (reference data). */
    record Garage(String code, String address, double[] occupancy) {}

    /** A car parked now. */
    record Session(String ticket, String garage, String plateHash, long enteredAt) {}

    /** A price for a session. */
    abstract static class Tariff {
        abstract long price(Session s, long at);
    }

    /** The base rate table: cents per garage and hour of the day. */
    static final class BaseTariff extends Tariff {
        final int[] centsByGarageHour = new int[GARAGES * 24];

        BaseTariff(Random r) { for (int i = 0; i < centsByGarageHour.length; i++) centsByGarageHour[i] = 150 + r.nextInt(250); }

        @Override long price(Session s, long at) {
            int g = Integer.parseInt(s.garage().substring(2)) - 1_000;
            long hours = Math.max(1, (at - s.enteredAt()) / HOUR);
            return hours * centsByGarageHour[g * 24 + (int) ((at / HOUR) % 24)];
        }
    }

    /** One layer of a generation, wrapping the tariff below it. */
    abstract static class Layer extends Tariff {
        final Tariff inner;
        final int generation;
        final long loadedAt;

        Layer(Tariff inner, int generation, long loadedAt) { this.inner = inner; this.generation = generation; this.loadedAt = loadedAt; }
    }

    static final class EventSurcharge extends Layer {
        final int[] centsByGarageHour = new int[GARAGES * 24 / 4];

        EventSurcharge(Tariff inner, int g, long at, Random r) {
            super(inner, g, at);
            for (int i = 0; i < centsByGarageHour.length; i++) centsByGarageHour[i] = r.nextInt(5) == 0 ? r.nextInt(300) : 0;
        }

        @Override long price(Session s, long at) {
            int g = Integer.parseInt(s.garage().substring(2)) - 1_000;
            return inner.price(s, at) + centsByGarageHour[(g * 24 + (int) ((at / HOUR) % 24)) / 4];
        }
    }

    static final class ValidationDiscount extends Layer {
        final Map<String, Integer> percentByMerchant = new HashMap<>();

        ValidationDiscount(Tariff inner, int g, long at, Random r) {
            super(inner, g, at);
            for (int i = 0; i < 60; i++) percentByMerchant.put("M" + (500 + r.nextInt(2_000)), 5 + r.nextInt(45));
        }

        @Override long price(Session s, long at) {
            long p = inner.price(s, at);
            Integer pct = percentByMerchant.get("M" + (500 + (s.ticket().hashCode() & 2047)));
            return pct == null ? p : p * (100 - pct) / 100;
        }
    }

    /** Counts prices given in this generation; the flusher writes the counts out. */
    static final class AuditSink {
        final int generation;
        final long[] countsByGarage = new long[GARAGES];

        AuditSink(int generation) { this.generation = generation; }
    }

    static final class AuditHook extends Layer {
        final AuditSink sink;

        AuditHook(Tariff inner, int g, long at, AuditSink sink) { super(inner, g, at); this.sink = sink; }

        @Override long price(Session s, long at) {
            synchronized (sink) {
                sink.countsByGarage[Integer.parseInt(s.garage().substring(2)) - 1_000]++;
            }
            return inner.price(s, at);
        }
    }

    /** The desk: what the gates call. */
    static final class TariffDesk {
        final BaseTariff base;
        volatile Tariff current;
        final List<AuditSink> sinksToFlush = new ArrayList<>();
        int reloads;

        TariffDesk(BaseTariff base) { this.base = base; this.current = base; }

        void reload(boolean leak, long at, Random r) {
            int g = reloads++;
            AuditSink sink = new AuditSink(g);
            // BUG (leak): wraps whatever is current; the fix builds on the base table.
            Tariff below = leak ? current : base;
            current = new AuditHook(new ValidationDiscount(new EventSurcharge(below, g, at, r), g, at, r), g, at, sink);
            if (!leak) sinksToFlush.clear();
            sinksToFlush.add(sink);
        }
    }

    /** Plate lookups, least recently used first out. */
    static final class PlateCache extends LinkedHashMap<String, byte[]> {
        PlateCache() { super(256, 0.75f, true); }

        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > LRU_CAP; }
    }

    static final Map<String, Garage> GARAGES_BY_CODE = new HashMap<>();
    static TariffDesk desk;
    static final Map<String, Session> SESSIONS = new HashMap<>();
    static final PlateCache PLATES = new PlateCache();
    static final String[] GATE_EVENTS = new String[RING];

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        int flushing = Integer.parseInt(args[3]);
        Random r = new Random(20261206L);
        for (int i = 0; i < GARAGES; i++) {
            double[] occ = new double[7 * 24];
            for (int h = 0; h < occ.length; h++) occ[h] = r.nextDouble();
            String code = "PG" + (1_000 + i);
            GARAGES_BY_CODE.put(code, new Garage(code, (10 + i) + " Harbour Street", occ));
        }
        desk = new TariffDesk(new BaseTariff(r));
        long now = System.currentTimeMillis();
        long start = now - RELOADS * 4 * MINUTE;
        List<Session> parked = new ArrayList<>();
        long events = 0, priced = 0;
        for (int reload = 0; reload < RELOADS; reload++) {
            long t0 = start + reload * 4 * MINUTE;
            desk.reload(leak, t0, r);
            for (int k = 0; k < 20; k++) {
                long t = t0 + k * 12_000L;
                Session s = new Session("T" + (9_000_000 + events), "PG" + (1_000 + r.nextInt(GARAGES)), Integer.toHexString(r.nextInt()), t);
                parked.add(s);
                SESSIONS.put(s.ticket(), s);
                GATE_EVENTS[(int) (events++ % RING)] = "in " + s.ticket();
                if (parked.size() > 2_000) {
                    Session out = parked.remove(r.nextInt(parked.size()));
                    if (out.enteredAt() < t - 10 * MINUTE || k % 2 == 0) {
                        desk.current.price(out, t);
                        priced++;
                        SESSIONS.remove(out.ticket());
                        GATE_EVENTS[(int) (events++ % RING)] = "out " + out.ticket();
                    } else {
                        parked.add(out);
                    }
                }
                String plate = "P" + r.nextInt(4_000);
                if (PLATES.get(plate) == null) PLATES.put(plate, new byte[200 + r.nextInt(200)]);
            }
        }
        parked = null;
        int depth = 0;
        for (Tariff t = desk.current; t instanceof Layer l; t = l.inner) depth++;
        System.out.println((leak ? "leak" : "healthy") + " depth " + depth + " sessions " + SESSIONS.size() + " priced " + priced
                + " plates " + PLATES.size() + " sinks " + desk.sinksToFlush.size());
        check(depth == (leak ? 3 * RELOADS : 3), "depth " + depth);
        check(PLATES.size() == LRU_CAP, "lru at its cap");
        check(SESSIONS.size() == 2_007 && priced == 393, "sessions " + SESSIONS.size());
        List<Thread> pricers = startFlushAndPricers(leak, flushing, now);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /**
     * Starts the flusher holding sink {@code flushing} (of the ones still to flush, oldest
     * first; -1: none) and the pricing threads, and returns once every pricing thread waits
     * for that sink (or, with none, has priced and parked).
     */
    static List<Thread> startFlushAndPricers(boolean leak, int flushing, long now) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        if (flushing >= 0) {
            AuditSink sink = desk.sinksToFlush.get(leak ? flushing : 0);
            Thread flusher = new Thread(() -> {
                synchronized (sink) {
                    held.countDown();
                    try { never.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
            }, "audit-flusher");
            flusher.setDaemon(true);
            flusher.start();
            held.await();
        }
        List<Thread> pricers = new ArrayList<>();
        List<String> tickets = new ArrayList<>(SESSIONS.keySet());
        for (int i = 0; i < PRICERS; i++) {
            Session s = SESSIONS.get(tickets.get(i * 97));
            Thread p = new Thread(() -> {
                desk.current.price(s, now);
                try { never.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "pricing-" + i);
            p.setDaemon(true);
            p.start();
            pricers.add(p);
        }
        for (Thread p : pricers) {
            while (p.getState() != (flushing >= 0 ? Thread.State.BLOCKED : Thread.State.WAITING)) Thread.sleep(5);
        }
        return pricers;
    }
}
