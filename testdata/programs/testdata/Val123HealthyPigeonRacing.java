// hprofscan-dump: name=val123-healthy-pigeonracing jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val123-healthy-pigeonracing-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Validation set 123 (written blind), HEALTHY: the race-day service of a racing pigeon federation.
 * Club reference data, the ring register, a velocity-table cache keyed by a query class with proper
 * equals/hashCode (bounded by races, sections and classes), an LRU of pedigree pages at its cap, a
 * pool of clock-download buffers, a ring of clocked arrivals, a queue of result notices, two
 * long-lived clock-verification threads whose per-thread scratch builder (a ThreadLocal) is reset
 * and removed in finally, a liberation watcher thread per race that waits on a latch the
 * convoyer's report counts down and then ends (joined), and a WeakHashMap of basket manifests whose
 * values do not refer to their baskets (entries go when a race's baskets are unloaded). See
 * VALIDATION123.md.
 */
public final class Val123HealthyPigeonRacing {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, WINDOW = 5 * MINUTE, STALE = 15 * MINUTE;
    static final int HOURS = 10, CLUBS = 1_000, BIRDS = 24_000, RACES = 40, SECTIONS = 12, PEDIGREE_CAP = 2_000, PEDIGREE_KEYS = 12_000,
            POOL = 10, RING = 16_384, ARRIVALS = 36_000, BASKETS_PER_RACE = 300, VERIFIERS = 2;
    static final String[] CLASSES = {"old-birds", "yearlings", "young-birds"};

    record Club(String code, String name, double[] weeklyEntries) {}
    record Bird(String ring, String loft, String colour, String sex, byte[] pedigree, long hatched) {}
    record PedigreePage(String key, byte[] rendered, long at) {}
    record Arrival(String ring, String raceId, String loft, long clockedAt, double velocity) {}
    record ResultNotice(String loft, String raceId, byte[] body, long at) {}
    record VelocityTable(String raceId, int section, String cls, double[] velocities, long computedAt) {}

    /** The velocity-table request: race, section and class (value equality: a correct cache key). */
    static final class VelocityQuery {
        final String raceId, cls; final int section;
        VelocityQuery(String raceId, int section, String cls) { this.raceId = raceId; this.section = section; this.cls = cls; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof VelocityQuery)) return false;
            VelocityQuery q = (VelocityQuery) o;
            return raceId.equals(q.raceId) && section == q.section && cls.equals(q.cls);
        }
        @Override public int hashCode() { return Objects.hash(raceId, section, cls); }
    }

    /** A basket of birds on the transporter of one race. */
    static final class Basket {
        final String basketId, raceId, club; final String[] rings;
        Basket(String basketId, String raceId, String club, String[] rings) { this.basketId = basketId; this.raceId = raceId; this.club = club; this.rings = rings; }
    }

    /** The basketing manifest of a basket: its id (a copy of the text), counts and seal numbers, not the basket. */
    static final class BasketManifest {
        final String basketLabel; final int birds; final long[] seals; final long sealedAt;
        BasketManifest(String basketLabel, int birds, long[] seals, long sealedAt) { this.basketLabel = basketLabel; this.birds = birds; this.seals = seals; this.sealedAt = sealedAt; }
    }

    /** Two long-lived threads that verify the clock downloads; the scratch builder is reset and removed after every download. */
    static final class ClockVerifiers {
        static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(512));
        final ExecutorService workers = Executors.newFixedThreadPool(VERIFIERS, new java.util.concurrent.ThreadFactory() {
            int n;
            @Override public synchronized Thread newThread(Runnable r) { Thread t = new Thread(r, "ets-verify-" + n++); t.setDaemon(true); return t; }
        });
        long verified;

        Future<Integer> verify(String ring, long clockedAt, int seed) {
            verified++;
            return workers.submit(() -> {
                StringBuilder sb = SCRATCH.get();
                try {
                    sb.append(ring).append('@').append(clockedAt).append('#').append(seed);
                    int h = 7;
                    for (int k = 0; k < sb.length(); k++) h = h * 31 + sb.charAt(k);
                    return h;
                } finally {
                    sb.setLength(0);
                    SCRATCH.remove();
                }
            });
        }
    }

    static final class PedigreeCache extends LinkedHashMap<String, PedigreePage> {
        long evicted;
        PedigreeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PedigreePage> e) { if (size() > PEDIGREE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Club> CLUBS_BY_CODE = new HashMap<>();

    static final class RaceService {
        final Map<String, Bird> birds = new HashMap<>();
        final HashMap<VelocityQuery, VelocityTable> velocityTables = new HashMap<>();
        final PedigreeCache pedigrees = new PedigreeCache();
        final ArrayDeque<byte[]> clockBuffers = new ArrayDeque<>();
        final Arrival[] arrivals = new Arrival[RING];
        final ArrayDeque<ResultNotice> notices = new ArrayDeque<>();
        final ClockVerifiers verifiers = new ClockVerifiers();
        final List<Basket> transporterLoad = new ArrayList<>();
        final WeakHashMap<Basket, BasketManifest> manifests = new WeakHashMap<>(16_384); // sized for a season's baskets: never resized
        long clocked, tableHits, tableRefreshed, noticesSent, downloads, liberations, basketsLoaded;
        String lastRace;

        VelocityTable table(VelocityQuery q, long now, Random traffic) {
            VelocityTable t = velocityTables.get(q);
            if (t != null && now - t.computedAt() < STALE) { tableHits++; return t; }
            double[] v = new double[50];
            for (int k = 0; k < v.length; k++) v[k] = 900 + traffic.nextInt(800) + k;
            t = new VelocityTable(q.raceId, q.section, q.cls, v, now);
            velocityTables.put(q, t);
            tableRefreshed++;
            return t;
        }

        /** Basketing of a race: the previous race's baskets are unloaded, this race's are loaded with their manifests. */
        void basket(String raceId, String[] clubs, String[] rings, Random traffic, long at) {
            transporterLoad.clear();
            String previous = lastRace;
            velocityTables.keySet().removeIf(q -> !q.raceId.equals(previous)); // tables of closed races are dropped
            lastRace = raceId;
            for (int b = 0; b < BASKETS_PER_RACE; b++) {
                String[] inBasket = new String[20];
                for (int k = 0; k < inBasket.length; k++) inBasket[k] = rings[traffic.nextInt(rings.length)];
                Basket basket = new Basket(raceId + "-B" + (100 + b), raceId, clubs[traffic.nextInt(clubs.length)], inBasket);
                transporterLoad.add(basket);
                long[] seals = new long[inBasket.length];
                for (int k = 0; k < seals.length; k++) seals[k] = 70_000_000L + traffic.nextInt(9_000_000);
                manifests.put(basket, new BasketManifest(new String(basket.basketId), inBasket.length, seals, at));
                basketsLoaded++;
            }
        }

        /** The liberation watcher of a race: waits for the convoyer's report, then opens the race's clocking window. */
        void liberate(String raceId) throws InterruptedException {
            CountDownLatch liberated = new CountDownLatch(1);
            Thread watcher = new Thread(() -> {
                try { liberated.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }, "liberation-" + raceId);
            watcher.setDaemon(true);
            watcher.start();
            liberated.countDown(); // the convoyer's liberation report
            watcher.join();
            liberations++;
        }

        void sendNotices(long boundary) {
            while (!notices.isEmpty() && notices.peekFirst().at() <= boundary - 10 * MINUTE) { notices.pollFirst(); noticesSent++; }
        }
    }

    static RaceService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(123_060_001);
        String[] clubCodes = new String[CLUBS];
        for (int c = 0; c < CLUBS; c++) {
            double[] weekly = new double[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextDouble() * 700;
            clubCodes[c] = "RPC" + (2_000 + c);
            CLUBS_BY_CODE.put(clubCodes[c], new Club(clubCodes[c], "Homing club " + c, weekly));
        }
        RaceService svc = new RaceService();
        SERVICE = svc;
        String[] rings = new String[BIRDS];
        String[] colours = {"blue bar", "blue chequer", "red chequer", "mealy", "dark chequer", "grizzle"};
        for (int b = 0; b < BIRDS; b++) {
            rings[b] = "GB24N" + (10_000 + b);
            svc.birds.put(rings[b], new Bird(rings[b], "Loft " + (b % 5_000), colours[rnd.nextInt(colours.length)], b % 2 == 0 ? "cock" : "hen",
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(2_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.clockBuffers.add(new byte[32_768]);
        Random traffic = new Random(123_060_002);
        long span = end - MINUTE - start;
        int i = 0, race = -1;
        List<Future<Integer>> pending = new ArrayList<>();
        List<Arrival> ofWindow = new ArrayList<>();
        for (long windowEnd = start + WINDOW; windowEnd <= end; windowEnd += WINDOW) {
            pending.clear();
            ofWindow.clear();
            for (; i < ARRIVALS; i++) {
                long t = start + span * i / ARRIVALS;
                if (t >= windowEnd) break;
                int r = (int) ((long) i * RACES / ARRIVALS);
                String raceId = "RACE-" + (500 + r);
                if (r != race) { // a new race: basketing, then liberation
                    race = r;
                    svc.basket(raceId, clubCodes, rings, traffic, t);
                    svc.liberate(raceId);
                }
                String ring = rings[traffic.nextInt(BIRDS)];
                Bird bird = svc.birds.get(ring);
                double velocity = 1_000 + traffic.nextInt(700) + traffic.nextInt(100) / 100.0;
                ofWindow.add(new Arrival(ring, raceId, bird.loft(), t, velocity));
                pending.add(svc.verifiers.verify(ring, t, traffic.nextInt()));
                svc.table(new VelocityQuery(raceId, traffic.nextInt(SECTIONS), CLASSES[traffic.nextInt(CLASSES.length)]), t, traffic);
                String key = "ped-" + traffic.nextInt(PEDIGREE_KEYS);
                if (svc.pedigrees.get(key) == null) svc.pedigrees.put(key, new PedigreePage(key, new byte[400 + traffic.nextInt(400)], t));
                if (traffic.nextInt(4) == 0) svc.notices.add(new ResultNotice(bird.loft(), raceId, new byte[200 + traffic.nextInt(200)], t));
                if (traffic.nextInt(12) == 0) {
                    byte[] buf = svc.clockBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.clockBuffers.add(buf);
                    svc.downloads++;
                }
            }
            for (int k = 0; k < pending.size(); k++) {
                pending.get(k).get();
                svc.arrivals[(int) (svc.clocked++ % RING)] = ofWindow.get(k);
            }
            svc.sendNotices(windowEnd);
        }
        pending.clear();
        ofWindow.clear();
    }

    static void selfCheck() throws Exception {
        RaceService svc = SERVICE;
        int manifests = -1;
        for (int attempt = 0; attempt < 40; attempt++) { // weak keys are cleared by a GC and expunged on access
            System.gc();
            Thread.sleep(50);
            manifests = svc.manifests.size();
            if (manifests == BASKETS_PER_RACE) break;
        }
        int verifiers = 0, watchers = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("ets-verify-")) verifiers++;
            if (th.getName().startsWith("liberation-")) watchers++;
        }
        System.out.println("clubs " + CLUBS_BY_CODE.size() + " birds " + svc.birds.size() + " arrivals " + svc.clocked + " verified " + svc.verifiers.verified
                + " verifier threads " + verifiers + " liberations " + svc.liberations + " watcher threads " + watchers + " baskets loaded " + svc.basketsLoaded
                + " on transporter " + svc.transporterLoad.size() + " manifests " + manifests + " velocity tables " + svc.velocityTables.size()
                + " (hits " + svc.tableHits + ", refreshed " + svc.tableRefreshed + ") pedigrees " + svc.pedigrees.size() + " (evicted " + svc.pedigrees.evicted
                + ") pool " + svc.clockBuffers.size() + " downloads " + svc.downloads + " notices sent " + svc.noticesSent + " backlog " + svc.notices.size());
        check(CLUBS_BY_CODE.size() == CLUBS && svc.birds.size() == BIRDS, "reference data / directory");
        check(svc.clocked == ARRIVALS && svc.verifiers.verified == ARRIVALS, "arrivals");
        check(verifiers == VERIFIERS && watchers == 0 && svc.liberations == RACES, "threads: " + verifiers + " / " + watchers);
        check(svc.basketsLoaded == (long) RACES * BASKETS_PER_RACE && svc.transporterLoad.size() == BASKETS_PER_RACE && manifests == BASKETS_PER_RACE,
                "manifests of the baskets on the transporter only: " + manifests);
        check(svc.velocityTables.size() == EXPECTED_TABLES && svc.velocityTables.size() <= 2 * SECTIONS * CLASSES.length, "velocity tables: " + svc.velocityTables.size());
        check(svc.pedigrees.size() == PEDIGREE_CAP && svc.pedigrees.evicted > 0, "pedigree cache at cap");
        check(svc.clockBuffers.size() == POOL, "pool");
        check(svc.arrivals[RING - 1] != null, "ring full");
        check(svc.notices.size() == EXPECTED_BACKLOG, "notice backlog: " + svc.notices.size());
    }

    // The same in every run (fixed seeds, times relative to the start of the minute).
    static final int EXPECTED_TABLES = 72, EXPECTED_BACKLOG = 101;

    public static void main(String[] args) throws Exception {
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
