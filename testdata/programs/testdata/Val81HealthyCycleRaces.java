// hprofscan-dump: name=val81-healthy-cycleraces-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val81-healthy-cycleraces-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val81-healthy-cycleraces jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val81-healthy-cycleraces-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 81 (written blind), HEALTHY: live timing of amateur cycle races (sportives).
 * Rider reference data, an entry directory, per-race leaderboards that keep only the top 100
 * split times (look-alike of a list that keeps every event), a user-agent cache keyed by app
 * version and OS only (bounded), a singleton timing-event source whose wrappers implement equals
 * (unsubscribe works; only live spectator sessions are subscribed), a cache of rendered race
 * pages at its cap, a pool of transponder decode buffers and a ring of timing reads. Warms up
 * from stage 1 to 2, then plateaus. See VALIDATION81.md.
 */
public final class Val81HealthyCycleRaces {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int RIDERS = 20_000, ENTRIES = 24_000, RACES = 300, TOP = 100, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, READS_PER_HOUR = 20_000, SESSIONS_PER_HOUR = 3_000;

    record Rider(String licence, String club, double[] powerCurve) {}
    record Entry(String bib, String licence, String raceCode, byte[] waiver, long enteredAt) {}
    record Page(String key, byte[] rendered, long at) {}
    record TimingRead(long id, String raceCode, String bib, int splitMillis, long at) {}

    static final class Leaderboard {
        final List<TimingRead> top = new ArrayList<>();
        long submitted;
        void submit(TimingRead r) {
            submitted++;
            int n = top.size();
            if (n == TOP && top.get(n - 1).splitMillis() <= r.splitMillis()) return;
            int pos = n;
            while (pos > 0 && top.get(pos - 1).splitMillis() > r.splitMillis()) pos--;
            top.add(pos, r);
            if (top.size() > TOP) top.remove(TOP);
        }
    }

    interface TimingListener { void onRead(TimingRead r); }
    static final class SpectatorSession implements TimingListener {
        final long id; final String followedBib; final long startedAt; final byte[] view; int updates;
        SpectatorSession(long id, String followedBib, long startedAt, byte[] view) { this.id = id; this.followedBib = followedBib; this.startedAt = startedAt; this.view = view; }
        @Override public void onRead(TimingRead r) { if (r.bib().equals(followedBib)) updates++; }
    }
    static final class Wrapper {
        final TimingListener delegate; int failures;
        Wrapper(TimingListener delegate) { this.delegate = delegate; }
        @Override public boolean equals(Object o) { return o instanceof Wrapper w && w.delegate == delegate; }
        @Override public int hashCode() { return System.identityHashCode(delegate); }
    }
    static final class TimingEvents {
        static final TimingEvents INSTANCE = new TimingEvents();
        final List<Wrapper> listeners = new ArrayList<>();
        void subscribe(TimingListener l) { listeners.add(new Wrapper(l)); }
        boolean unsubscribe(TimingListener l) { return listeners.remove(new Wrapper(l)); }
        void publish(TimingRead r) { for (Wrapper w : listeners) w.delegate.onRead(r); }
    }

    static final class PageCache extends LinkedHashMap<String, Page> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Page> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Rider> RIDERS_BY_LICENCE = new HashMap<>();

    static final class TimingService {
        final Map<String, Entry> entries = new HashMap<>();
        final Map<String, Leaderboard> boards = new HashMap<>();
        final Map<String, String> agents = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final TimingRead[] reads = new TimingRead[RING];
        long readCount;
        String agent(String ua) {
            int d = ua.indexOf("; device=");
            String key = d < 0 ? ua : ua.substring(0, d) + ")";
            return agents.computeIfAbsent(key, k -> k);
        }
    }

    static TimingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int reads = READS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(81_050_001);
        String[] licences = new String[RIDERS];
        for (int r = 0; r < RIDERS; r++) {
            double[] curve = new double[64];
            for (int k = 0; k < curve.length; k++) curve[k] = 150 + rnd.nextDouble() * 900;
            licences[r] = "LIC" + (3_000_000 + r);
            RIDERS_BY_LICENCE.put(licences[r], new Rider(licences[r], "Club " + (r % 400), curve));
        }
        TimingService svc = new TimingService();
        SERVICE = svc;
        String[] raceCodes = new String[RACES];
        for (int c = 0; c < RACES; c++) { raceCodes[c] = "RACE-" + (700 + c); svc.boards.put(raceCodes[c], new Leaderboard()); }
        String[] bibs = new String[ENTRIES];
        for (int e = 0; e < ENTRIES; e++) {
            bibs[e] = "B" + (10_000 + e);
            svc.entries.put(bibs[e], new Entry(bibs[e], licences[rnd.nextInt(RIDERS)], raceCodes[e % RACES], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(120)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(81_050_002);
        TimingEvents events = TimingEvents.INSTANCE;
        ArrayDeque<SpectatorSession> sessions = new ArrayDeque<>();
        int sessionTotal = SESSIONS_PER_HOUR * hours, nextSession = 0;
        String[] oses = {"iOS 17.5", "iOS 18.0", "Android 14", "Android 15"};
        String[] versions = {"3.2.0", "3.2.1", "3.3.0"};
        long unsubscribed = 0;
        for (int i = 0; i < reads; i++) {
            long t = start + (end - MINUTE - start) * i / reads;
            while (nextSession < sessionTotal && start + (end - MINUTE - start) * nextSession / sessionTotal <= t) {
                while (!sessions.isEmpty() && sessions.peekFirst().startedAt + 5 * MINUTE <= t) { if (events.unsubscribe(sessions.pollFirst())) unsubscribed++; }
                int device = traffic.nextInt(40_000);
                svc.agent("RaceTrack/" + versions[device % versions.length] + " (" + oses[device % oses.length] + "; device=" + Integer.toHexString(0x7100_0000 + device) + ")");
                SpectatorSession s = new SpectatorSession(nextSession++, bibs[traffic.nextInt(ENTRIES)], t, new byte[300 + traffic.nextInt(300)]);
                events.subscribe(s);
                sessions.addLast(s);
            }
            int e = traffic.nextInt(ENTRIES);
            TimingRead r = new TimingRead(50_000_000L + i, raceCodes[e % RACES], bibs[e], 600_000 + traffic.nextInt(3_000_000), t);
            svc.boards.get(r.raceCode()).submit(r);
            svc.reads[(int) (svc.readCount++ % RING)] = r;
            if (i % 10 == 0) events.publish(r);
            if (i % 4 == 0) {
                String key = "race-" + traffic.nextInt(4_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new Page(key, new byte[600 + traffic.nextInt(600)], t));
                byte[] buf = svc.decodeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.decodeBuffers.add(buf);
            }
        }
        long onBoards = 0, full = 0;
        for (Leaderboard b : svc.boards.values()) { onBoards += b.top.size(); if (b.top.size() == TOP) full++; }
        System.out.println("stage " + stage + " riders " + RIDERS_BY_LICENCE.size() + " entries " + svc.entries.size() + " reads " + svc.readCount + " on boards " + onBoards + " (full " + full + ")"
                + " agents " + svc.agents.size() + " sessions " + nextSession + " subscribed " + events.listeners.size() + " unsubscribed " + unsubscribed + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.decodeBuffers.size());
        check(RIDERS_BY_LICENCE.size() == RIDERS && svc.entries.size() == ENTRIES && svc.boards.size() == RACES, "reference data / directory");
        check(svc.readCount == reads, "traffic");
        check(onBoards <= (long) RACES * TOP, "boards capped");
        check(svc.agents.size() <= versions.length * oses.length, "agents by version and OS");
        check(events.listeners.size() == sessions.size() && unsubscribed + sessions.size() == sessionTotal, "only live sessions subscribed");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.reads[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
