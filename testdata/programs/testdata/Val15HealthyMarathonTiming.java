// hprofscan-dump: name=val15-healthy-marathon jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val15-healthy-marathon-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 15 (written blind), HEALTHY: the chip-timing backend of a city marathon, dumped
 * 5 hours after the gun. Timing mats at 9 points read the runners' chips; raw reads wait in a
 * queue to be deduplicated (a read is a duplicate within 60 s at the same mat); each runner's
 * split times are kept for the results (one {@code long[9]} per starter, the race's data); result
 * pages rendered for spectators are served from an LRU at its cap. Legitimate, all of it: the
 * runner registry (a static map of 45,000 runners loaded before the race), the splits (one per
 * starter), the dedup window, the queue of raw reads in flight, the result-page LRU,
 * a capped feed of recent finishers, a fixed pool of mat readers with a per-thread decode
 * scratch. See testdata/VALIDATION15.md.
 */
public final class Val15HealthyMarathonTiming {
    static final int RUNNERS = 45_000;
    static final int STARTERS = 42_000;
    static final int MATS = 9;
    static final int PAGE_CAP = 6_000;
    static final int FEED_CAP = 1_000;
    static final int READERS = 6;
    static final int DECODE_SCRATCH = 32 * 1024;
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DEDUP_WINDOW = 60 * SECOND;
    static final long QUEUE_LAG = 20 * SECOND;

    static TimingService TIMING;

    /** Per-thread chip-frame decode scratch of the mat-reader threads. */
    static final ThreadLocal<byte[]> DECODE = ThreadLocal.withInitial(() -> new byte[DECODE_SCRATCH]);

    static final class Runner { final int bib; final String name; final String club; final String ageGroup; final String nationality; final long chipId;
        Runner(int bib, String name, String club, String ageGroup, String nationality, long chipId) { this.bib = bib; this.name = name; this.club = club; this.ageGroup = ageGroup; this.nationality = nationality; this.chipId = chipId; } }

    /** Reference data: the entry list, loaded before the race. */
    static final class Registry {
        static final Map<Integer, Runner> RUNNERS_BY_BIB = new HashMap<>();
    }

    static final class ChipRead { final int bib; final int mat; final long readAt; final short rssi;
        ChipRead(int bib, int mat, long readAt, short rssi) { this.bib = bib; this.mat = mat; this.readAt = readAt; this.rssi = rssi; } }

    static final class PageLru extends LinkedHashMap<Integer, String> {
        long evicted;
        PageLru() { super(8_192, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, String> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final class Finisher { final Runner runner; final long netTimeMs; final long finishedAt;
        Finisher(Runner runner, long netTimeMs, long finishedAt) { this.runner = runner; this.netTimeMs = netTimeMs; this.finishedAt = finishedAt; } }

    static final class TimingService {
        final Map<Integer, long[]> splitsByBib = new HashMap<>();
        final Map<Long, Long> lastReadByBibMat = new HashMap<>();
        final ArrayDeque<ChipRead> rawReads = new ArrayDeque<>();
        long readsAccepted, readsDuplicate;
        final PageLru resultPages = new PageLru();
        final ArrayDeque<Finisher> finisherFeed = new ArrayDeque<>();
        long feedRotated;
        final AtomicInteger readerSeq = new AtomicInteger();
        final ThreadPoolExecutor readers = new ThreadPoolExecutor(READERS, READERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "mat-reader-" + readerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();

        /** Processes the queued raw reads older than the queue lag. */
        void drain(long now, long gun) {
            while (!rawReads.isEmpty() && rawReads.peekFirst().readAt <= now - QUEUE_LAG) {
                ChipRead r = rawReads.removeFirst();
                long key = r.bib * 16L + r.mat;
                Long last = lastReadByBibMat.get(key);
                if (last != null && r.readAt - last < DEDUP_WINDOW) { readsDuplicate++; continue; }
                lastReadByBibMat.put(key, r.readAt);
                readsAccepted++;
                long[] splits = splitsByBib.computeIfAbsent(r.bib, b -> new long[MATS]);
                if (splits[r.mat] == 0) splits[r.mat] = r.readAt;
                if (r.mat == MATS - 1) {
                    finisherFeed.addLast(new Finisher(Registry.RUNNERS_BY_BIB.get(r.bib), r.readAt - splits[0], r.readAt));
                    if (finisherFeed.size() > FEED_CAP) { finisherFeed.removeFirst(); feedRotated++; }
                }
            }
        }

        void sweepDedup(long now) { for (Iterator<Long> it = lastReadByBibMat.values().iterator(); it.hasNext();) if (now - it.next() >= DEDUP_WINDOW) it.remove(); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long gun = now - 5 * HOUR;
        Random rnd = new Random(15_060_006);
        TimingService svc = new TimingService();
        TIMING = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("mat." + (i % MATS) + ".antenna." + i, "gain=" + (20 + i % 7));
        String[] groups = {"M18", "M35", "M40", "M45", "M50", "M55", "M60", "M65", "M70", "F18", "F35", "F40", "F45", "F50", "F55", "F60", "F65", "F70", "WC", "ELITE-M", "ELITE-F", "PACER"};
        String[] nations = {"GER", "USA", "KEN", "ETH", "GBR", "FRA", "JPN", "NED", "ITA", "ESP"};
        for (int b = 1; b <= RUNNERS; b++) Registry.RUNNERS_BY_BIB.put(b, new Runner(b, "Runner " + b + " " + (char) ('A' + b % 26) + ".", "Laufclub " + (b % 900), groups[b % groups.length], nations[b % nations.length], 0xE2_0000_0000L + b * 13L));
        CyclicBarrier ready = new CyclicBarrier(READERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < READERS; w++) warm.add(svc.readers.submit(() -> { DECODE.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();
        // The first 42,000 bibs start; runner b crosses the start mat 0-25 minutes after the gun
        // and runs at a pace of 2:05-6:30 hours for the distance (mats evenly spaced). Every
        // crossing produces 2 raw reads (the duplicate 1-3 s later).
        long[] startCross = new long[STARTERS + 1];
        long[] pace = new long[STARTERS + 1];
        List<ChipRead> all = new ArrayList<>();
        for (int b = 1; b <= STARTERS; b++) {
            startCross[b] = gun + rnd.nextInt(25 * 60) * SECOND;
            pace[b] = (125 * 60 + rnd.nextInt(265 * 60)) * SECOND;
            for (int m = 0; m < MATS; m++) {
                long at = startCross[b] + pace[b] * m / (MATS - 1);
                if (at > now) break;
                all.add(new ChipRead(b, m, at, (short) (-40 - rnd.nextInt(30))));
                long dup = at + (1 + rnd.nextInt(3)) * SECOND;
                if (dup <= now) all.add(new ChipRead(b, m, dup, (short) (-50 - rnd.nextInt(30))));
            }
        }
        all.sort((x, y) -> Long.compare(x.readAt, y.readAt));
        long lastSweep = gun;
        int pagesRendered = 0;
        for (ChipRead r : all) {
            svc.rawReads.addLast(r);
            svc.drain(r.readAt, gun);
            if (r.readAt - lastSweep >= 30 * SECOND) { svc.sweepDedup(r.readAt); lastSweep = r.readAt; }
            if (r.mat == MATS - 1 && r.rssi <= -40 && r.rssi > -70) {
                // A spectator opens the finisher's result page (rendered on a miss).
                if (svc.resultPages.get(r.bib) == null) {
                    Runner rn = Registry.RUNNERS_BY_BIB.get(r.bib);
                    StringBuilder sb = new StringBuilder("<html><body><h1>").append(rn.name).append("</h1><p>").append(rn.club).append(" / ").append(rn.ageGroup).append("</p><table>");
                    for (int m = 0; m < MATS; m++) sb.append("<tr><td>km ").append(m * 42.195 / (MATS - 1)).append("</td><td>").append(pace[r.bib] * m / (MATS - 1) / 1000).append(" s</td></tr>");
                    svc.resultPages.put(r.bib, sb.append("</table></body></html>").toString());
                    pagesRendered++;
                }
            }
        }
        svc.drain(now, gun);
        svc.sweepDedup(now);
        int inFlight = 0;
        for (ChipRead r : all) if (r.readAt > now - QUEUE_LAG) inFlight++;
        int crossings = 0, finishers = 0;
        for (int b = 1; b <= STARTERS; b++) for (int m = 0; m < MATS; m++) if (startCross[b] + pace[b] * m / (MATS - 1) <= now - QUEUE_LAG) { crossings++; if (m == MATS - 1) finishers++; }
        System.out.println("runners " + Registry.RUNNERS_BY_BIB.size() + " splits " + svc.splitsByBib.size() + " reads accepted " + svc.readsAccepted + " duplicates " + svc.readsDuplicate + " in flight " + svc.rawReads.size() + " dedup window " + svc.lastReadByBibMat.size() + " finishers " + finishers + " feed " + svc.finisherFeed.size() + " (rotated " + svc.feedRotated + ") pages " + svc.resultPages.size() + " (rendered " + pagesRendered + ", evicted " + svc.resultPages.evicted + ")");
        check(Registry.RUNNERS_BY_BIB.size() == RUNNERS && svc.splitsByBib.size() == STARTERS, "registry/splits");
        check(svc.rawReads.size() == inFlight && inFlight > 0 && svc.readsAccepted == crossings, "reads");
        check(svc.finisherFeed.size() == FEED_CAP && svc.feedRotated == finishers - FEED_CAP, "finisher feed");
        check(svc.resultPages.size() == PAGE_CAP && svc.resultPages.evicted == pagesRendered - PAGE_CAP, "page lru");
        for (long v : svc.lastReadByBibMat.values()) check(now - v < DEDUP_WINDOW, "dedup ttl");
        check(svc.readers.getPoolSize() == READERS, "pool");
        all = null; startCross = null; pace = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
