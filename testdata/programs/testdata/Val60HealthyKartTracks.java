// hprofscan-dump: name=val60-healthy-karttracks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val60-healthy-karttracks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val60-healthy-karttracks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val60-healthy-karttracks-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 60 (written blind), HEALTHY: the booking and live-scoring service of a chain of
 * indoor go-kart tracks. Track reference data, the member directory, a GraphQL plan cache keyed by the
 * normalized query document (arguments passed as variables, so one plan per query shape), a live
 * score hub whose disconnect callback removes the session from both the connection map and the
 * heat's subscriber set, a ring of heat events, an LRU of rendered heat pages at its cap and a pool
 * of receipt buffers. Warms up in stage 1 and is flat from stage 2. See VALIDATION60.md.
 */
public final class Val60HealthyKartTracks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TRACKS = 1_200, MEMBERS = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, EVENTS_PER_HOUR = 3_000, SESSIONS_PER_HOUR = 1_000, HEATS = 60, OUTBOX_CAP = 24;

    record Track(String code, String town, double[] heatOilPattern) {}
    record Member(String memberId, String homeTrack, int bestLapMs, byte[] scoreHistory, long joinedAt) {}
    record HeatPage(String key, byte[] html, long at) {}
    record HeatEvent(String track, int heat, String memberId, int lapMs, long at) {}
    record FieldNode(String path, int depth) {}
    record SelectionPlan(String document, FieldNode[] fields, byte[] shaper, long compiledAt) {}

    static final class Viewer {
        final String sessionId; final int heat; final long connectedAt;
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        long sent, dropped;
        Viewer(String id, int heat, long at) { sessionId = id; this.heat = heat; connectedAt = at; }
        void offer(byte[] m) { if (outbox.size() == OUTBOX_CAP) { outbox.poll(); dropped++; } outbox.add(m); }
        void flush() { sent += outbox.size(); outbox.clear(); }
    }

    static final class ScoreHub {
        final Map<String, Viewer> connections = new HashMap<>();
        final Map<Integer, Set<Viewer>> viewersByHeat = new HashMap<>();
        long disconnects;
        void connect(Viewer v) { connections.put(v.sessionId, v); viewersByHeat.computeIfAbsent(v.heat, l -> new LinkedHashSet<>()).add(v); }
        void onDisconnect(String id) { Viewer v = connections.remove(id); viewersByHeat.get(v.heat).remove(v); disconnects++; }
        void broadcast(int heat, byte[] m) { Set<Viewer> s = viewersByHeat.get(heat); if (s != null) for (Viewer v : s) v.offer(m); }
        void flushAll() { for (Viewer v : connections.values()) v.flush(); }
    }

    static final class PageCache extends LinkedHashMap<String, HeatPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HeatPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Track> TRACKS_BY_CODE = new HashMap<>();
    static final String[] TEMPLATES = {
        "query Heat($id: ID!) { heat(id: $id) { number frames { lapMs } } }",
        "query Member($id: ID!) { member(id: $id) { name average } }",
        "query Track($code: String!) { track(code: $code) { town heats { number free } } }",
        "query Booking($ref: String!) { booking(ref: $ref) { heat start end players } }",
        "query League($id: ID!) { league(id: $id) { name standings { team points } } }",
        "query Search($text: String!) { search(text: $text) { id name } }",
        "query Helmets($size: Int!) { helmets(size: $size) { available } }",
        "query Menu($track: String!) { menu(track: $track) { item price } }",
        "query Scores($member: ID!) { scores(member: $member, last: 10) { game total } }",
        "query Offers($track: String!) { offers(track: $track) { title until } }"};

    static final class KartService {
        final Map<String, Member> members = new HashMap<>();
        final ConcurrentHashMap<String, SelectionPlan> plans = new ConcurrentHashMap<>();
        final ScoreHub hub = new ScoreHub();
        final HeatEvent[] events = new HeatEvent[RING];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> receiptBuffers = new ArrayDeque<>();
        long eventCount, queries;
    }

    static KartService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(60_050_001);
        String[] tracks = new String[TRACKS];
        for (int c = 0; c < TRACKS; c++) {
            double[] oil = new double[64];
            for (int k = 0; k < oil.length; k++) oil[k] = rnd.nextDouble() * 30;
            tracks[c] = "KT-" + (2_000 + c);
            TRACKS_BY_CODE.put(tracks[c], new Track(tracks[c], "Town " + (c % 320), oil));
        }
        KartService svc = new KartService();
        SERVICE = svc;
        String[] ids = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            ids[m] = "BM" + (600_000 + m);
            svc.members.put(ids[m], new Member(ids[m], tracks[rnd.nextInt(TRACKS)], 28_000 + rnd.nextInt(20_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.receiptBuffers.add(new byte[32_768]);
        Random traffic = new Random(60_050_002), compiler = new Random(60_050_003);
        int events = EVENTS_PER_HOUR * hours, sessions = SESSIONS_PER_HOUR * hours;
        PriorityQueue<long[]> closing = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int opened = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (opened < sessions && start + (end - MINUTE - start) * opened / sessions <= t) {
                long at = start + (end - MINUTE - start) * opened / sessions;
                svc.hub.connect(new Viewer("sc-" + opened, traffic.nextInt(HEATS), at));
                closing.add(new long[] {at + (5 + traffic.nextInt(56)) * MINUTE, opened});
                opened++;
            }
            while (!closing.isEmpty() && closing.peek()[0] <= t) svc.hub.onDisconnect("sc-" + closing.poll()[1]);
            int heat = traffic.nextInt(HEATS);
            svc.events[(int) (svc.eventCount++ % RING)] = new HeatEvent(tracks[traffic.nextInt(TRACKS)], heat, ids[traffic.nextInt(MEMBERS)], 30_000 + traffic.nextInt(9_000), t);
            svc.hub.broadcast(heat, new byte[40 + traffic.nextInt(40)]);
            if (i % 4 == 0) svc.hub.flushAll();
            String doc = TEMPLATES[traffic.nextInt(TEMPLATES.length)]; // arguments travel as variables
            svc.queries++;
            svc.plans.computeIfAbsent(doc, d -> {
                FieldNode[] f = new FieldNode[4 + compiler.nextInt(4)];
                for (int k = 0; k < f.length; k++) f[k] = new FieldNode("f" + k, 1 + k % 3);
                return new SelectionPlan(d, f, new byte[120 + compiler.nextInt(120)], t);
            });
            String key = "heat-page-" + traffic.nextInt(10_000);
            if (svc.pages.get(key) == null) svc.pages.put(key, new HeatPage(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.receiptBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.receiptBuffers.add(buf);
        }
        svc.hub.flushAll();
        int inSets = 0, queued = 0;
        for (Set<Viewer> s : svc.hub.viewersByHeat.values()) for (Viewer v : s) { inSets++; queued += v.outbox.size(); }
        System.out.println("stage " + stage + " tracks " + TRACKS_BY_CODE.size() + " members " + svc.members.size() + " plans " + svc.plans.size() + " queries " + svc.queries
                + " sessions " + opened + " connected " + svc.hub.connections.size() + " in heat sets " + inSets + " unsent " + queued + " events " + svc.eventCount
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.receiptBuffers.size());
        check(TRACKS_BY_CODE.size() == TRACKS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.plans.size() == TEMPLATES.length, "one plan per query shape");
        check(opened == sessions && inSets == svc.hub.connections.size() && queued == 0 && svc.hub.connections.size() < 1_200, "hub holds connected viewers only");
        check(svc.eventCount == events && svc.events[Math.min(events, RING) - 1] != null, "ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.receiptBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
