// hprofscan-dump: name=val37-leak-conferencebridge-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val37-leak-conferencebridge-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val37-leak-conferencebridge jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val37-leak-conferencebridge-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 37 (written blind), LEAK: a media node of a video-conferencing bridge. Region
 * reference data, the room directory, a cache of rendered video layouts at its cap, a pool of audio
 * mix buffers, a ring of recent call summaries and a ring of the last 1,024 completed call-summary
 * futures. The node holds a CompletableFuture leaderLost (completed only if the cluster leader is
 * lost, which never happens); every session that joins registers
 * leaderLost.thenRun(() -> release(session)), and nothing ever removes that registration when the
 * session leaves: the future's stack of dependent stages grows by one per session, each capturing
 * the session. See VALIDATION37.md.
 */
public final class Val37LeakConferenceBridge {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int REGIONS = 1_000, ROOMS = 24_000, LAYOUT_CAP = 2_000, POOL = 8, RING = 2_048, SUMMARY_RING = 1_024, SESSIONS_PER_HOUR = 2_000;
    static boolean FIXED;

    record Region(String code, String city, double[] latencyMs) {}
    record Room(String code, String owner, byte[] settings, long createdAt) {}
    record Layout(String key, byte[] rendered, long at) {}
    record CallSummary(String sessionId, String roomCode, long joinedAt, long leftAt, int packetsLost) {}

    static final class CallSession {
        final String sessionId, roomCode, participant;
        final long joinedAt, leavesAt;
        final byte[] jitterStats;
        final CompletableFuture<CallSummary> summary = new CompletableFuture<>();
        boolean released;
        CallSession(String sessionId, String roomCode, String participant, long joinedAt, long leavesAt, byte[] jitterStats) {
            this.sessionId = sessionId; this.roomCode = roomCode; this.participant = participant;
            this.joinedAt = joinedAt; this.leavesAt = leavesAt; this.jitterStats = jitterStats;
        }
    }

    static final class LayoutCache extends LinkedHashMap<String, Layout> {
        long evicted;
        LayoutCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Layout> e) { if (size() > LAYOUT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Region> REGIONS_BY_CODE = new HashMap<>();

    static final class BridgeNode {
        /** Completed only when this node loses its cluster leader (never, in this run). */
        final CompletableFuture<Void> leaderLost = new CompletableFuture<>();
        final Map<String, CallSession> active = new HashMap<>();
        final Map<String, Room> rooms = new HashMap<>();
        final LayoutCache layouts = new LayoutCache();
        final ArrayDeque<byte[]> mixBuffers = new ArrayDeque<>();
        final CallSummary[] recentCalls = new CallSummary[RING];
        @SuppressWarnings("unchecked")
        final CompletableFuture<CallSummary>[] finishedSummaries = new CompletableFuture[SUMMARY_RING];
        long joined, left, releasedOnLeaderLoss, registrations;

        BridgeNode() {
            if (FIXED) { // one registration for the node: on leader loss, release whoever is active then
                leaderLost.thenRun(() -> new ArrayList<>(active.values()).forEach(this::release));
                registrations++;
            }
        }

        void join(CallSession s) {
            active.put(s.sessionId, s);
            joined++;
            s.summary.thenAccept(cs -> recentCalls[(int) (left % RING)] = cs);
            if (!FIXED) {
                // BUG: one cleanup callback per session on a future that never completes; leave()
                // does not (and cannot) unregister it, so every session ever joined stays captured.
                leaderLost.thenRun(() -> release(s));
                registrations++;
            }
        }

        void leave(CallSession s, int packetsLost) {
            active.remove(s.sessionId);
            s.summary.complete(new CallSummary(s.sessionId, s.roomCode, s.joinedAt, s.leavesAt, packetsLost));
            finishedSummaries[(int) (left % SUMMARY_RING)] = s.summary;
            left++;
        }

        void release(CallSession s) { s.released = true; active.remove(s.sessionId); releasedOnLeaderLoss++; }
    }

    static BridgeNode SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val37.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int sessions = SESSIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(37_010_001);
        String[] regionCodes = new String[REGIONS];
        for (int r = 0; r < REGIONS; r++) {
            double[] lat = new double[64];
            for (int k = 0; k < lat.length; k++) lat[k] = 5 + rnd.nextDouble() * 180;
            String code = "RG-" + (3_000 + r);
            regionCodes[r] = code;
            REGIONS_BY_CODE.put(code, new Region(code, "Metro " + (r % 250), lat));
        }
        BridgeNode node = new BridgeNode();
        SERVICE = node;
        String[] roomCodes = new String[ROOMS];
        for (int i = 0; i < ROOMS; i++) {
            String code = "room-" + Long.toString(90_000_000L + i * 7_919L, 36);
            roomCodes[i] = code;
            node.rooms.put(code, new Room(code, "owner" + rnd.nextInt(40_000) + "@corp.example", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) node.mixBuffers.add(new byte[32_768]);
        Random traffic = new Random(37_010_002);
        PriorityQueue<CallSession> byLeave = new PriorityQueue<>((a, b) -> Long.compare(a.leavesAt, b.leavesAt));
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (!byLeave.isEmpty() && byLeave.peek().leavesAt <= t) node.leave(byLeave.poll(), traffic.nextInt(500));
            String room = roomCodes[traffic.nextInt(ROOMS)];
            CallSession s = new CallSession("sess-" + (70_000_000L + i), room, "p" + (1_000_000 + traffic.nextInt(900_000)),
                    t, t + (3 + traffic.nextInt(43)) * MINUTE, new byte[200 + traffic.nextInt(200)]);
            node.join(s);
            byLeave.add(s);
            String key = "layout-" + traffic.nextInt(6_000);
            if (node.layouts.get(key) == null) node.layouts.put(key, new Layout(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = node.mixBuffers.poll();
            buf[i % buf.length] = (byte) i;
            node.mixBuffers.add(buf);
        }
        while (!byLeave.isEmpty() && byLeave.peek().leavesAt <= end) node.leave(byLeave.poll(), traffic.nextInt(500));
        int dependents = node.leaderLost.getNumberOfDependents();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " regions " + REGIONS_BY_CODE.size() + " rooms " + node.rooms.size() + " joined " + node.joined + " left " + node.left
                + " active " + node.active.size() + " leaderLost dependents " + dependents + " registrations " + node.registrations + " layouts " + node.layouts.size()
                + " (evicted " + node.layouts.evicted + ") pool " + node.mixBuffers.size());
        check(REGIONS_BY_CODE.size() == REGIONS && node.rooms.size() == ROOMS, "reference data / directory");
        check(node.joined == sessions && node.left + node.active.size() == sessions && node.releasedOnLeaderLoss == 0 && !node.leaderLost.isDone(), "sessions");
        if (FIXED) check(dependents == 1, "one leader-loss registration: " + dependents);
        else check(dependents == sessions, "one leader-loss registration per session: " + dependents);
        check(node.layouts.size() == LAYOUT_CAP && node.layouts.evicted > 0, "layout cache at cap");
        check(node.mixBuffers.size() == POOL, "pool");
        check(node.left > RING && node.recentCalls[RING - 1] != null, "summary ring");
        for (CompletableFuture<CallSummary> f : node.finishedSummaries) check(f != null && f.isDone() && f.getNumberOfDependents() == 0, "completed summary futures");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
