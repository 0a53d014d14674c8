// hprofscan-dump: name=val142-healthy-shootingrange-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val142-healthy-shootingrange-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val142-healthy-shootingrange jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val142-healthy-shootingrange-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 142 (written blind), HEALTHY series: the live-scoring service of an indoor
 * shooting range (10 m air rifle / pistol and 25 m lanes). Lane scores are pushed to spectator
 * screens and the range app over websockets: the push hub keeps a queue of pending frames per
 * connection id, drained by the connection's writer, removed on a graceful close and, for the
 * clients that vanish without one, by a heartbeat reaper (silent for 90 s). Scanned score cards are
 * scored once and cached by the SHA-256 of the scan as a hex String (an LRU at its cap from stage
 * 2), plus target-face reference data, the shooter directory, a leaderboard page cache at its cap,
 * a pool of frame buffers, a ring of recent shots and a certificate outbox with its normal backlog.
 * Stages 1 / 2 / 3 simulate 2 / 4 / 8 hours. See VALIDATION142.md.
 */
public final class Val142HealthyShootingRange {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final long STEP = 10 * SECOND, REAP_AFTER = 90 * SECOND;
    static final int FACES = 1_000, SHOOTERS = 20_000, LANES = 48, BOARD_CAP = 1_500, SCAN_CAP = 2_500, POOL = 8, RING = 8_192;
    static final int CONNECTIONS_PER_HOUR = 720, SHOTS_PER_STEP = 9, SCANS_PER_HOUR = 1_500;

    record TargetFace(String code, String discipline, double[] ringRadiiMm, int distanceM) {}
    record Shooter(String licence, String name, String club, byte[] safetyRecord, long licensedAt) {}
    record BoardPage(String key, byte[] rendered, long at) {}
    record Shot(String licence, int lane, int decimalScoreTenths, long at) {}
    record ScoreSheet(String scanDigest, String licence, int totalTenths, int innerTens, long scoredAt) {}
    record Certificate(String licence, String email, byte[] pdf, long queuedAt) {}

    static final class Frame {
        final long seq; final long at; final int lane; final byte[] payload;
        Frame(long seq, long at, int lane, byte[] payload) { this.seq = seq; this.at = at; this.lane = lane; this.payload = payload; }
    }

    static final class Connection {
        final String id; final String device; final long openedAt; final long endsAt; final boolean abrupt; final boolean slow;
        long lastSeen; boolean gone;
        Connection(String id, String device, long openedAt, long endsAt, boolean abrupt, boolean slow) { this.id = id; this.device = device; this.openedAt = openedAt; this.endsAt = endsAt; this.abrupt = abrupt; this.slow = slow; this.lastSeen = openedAt; }
    }

    static final class Lru<V> extends LinkedHashMap<String, V> {
        final int cap; long evicted;
        Lru(int cap) { super(cap * 2, 0.75f, true); this.cap = cap; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, V> e) { if (size() > cap) { evicted++; return true; } return false; }
    }

    static final Map<String, TargetFace> FACES_BY_CODE = new HashMap<>();

    /** The websocket push hub: one queue of pending frames per connection id. */
    static final class PushHub {
        final Map<String, ArrayDeque<Frame>> pending = new HashMap<>();
        final Map<String, Connection> sessions = new HashMap<>();
        final List<Connection> open = new ArrayList<>();
        long opened, closedGracefully, reaped, broadcasts, framesQueued, framesWritten, framesDiscarded, seq;

        void open(Connection c) {
            sessions.put(c.id, c);
            pending.put(c.id, new ArrayDeque<>());
            open.add(c);
            opened++;
        }

        void broadcast(int lane, Random r, long t) {
            broadcasts++;
            for (Map.Entry<String, ArrayDeque<Frame>> e : pending.entrySet()) {
                byte[] payload = new byte[60 + r.nextInt(80)];
                payload[0] = (byte) lane;
                e.getValue().add(new Frame(++seq, t, lane, payload));
                framesQueued++;
            }
        }

        /** The writers of live connections drain their queues (a slow client keeps up to 2 frames). */
        void write(long t) {
            for (Connection c : open) {
                if (c.gone) continue;
                ArrayDeque<Frame> q = pending.get(c.id);
                int keep = c.slow ? 2 : 0;
                while (q.size() > keep) { q.poll(); framesWritten++; }
                c.lastSeen = t; // heartbeat / ack seen
            }
        }

        void closeGracefully(Connection c) {
            sessions.remove(c.id);
            framesDiscarded += pending.remove(c.id).size();
            closedGracefully++;
        }

        /** Connections silent for 90 s are closed on every path: session and queue removed. */
        void reap(long t) {
            for (Iterator<Connection> it = open.iterator(); it.hasNext(); ) {
                Connection c = it.next();
                if (c.gone && t - c.lastSeen > REAP_AFTER) {
                    sessions.remove(c.id);
                    framesDiscarded += pending.remove(c.id).size();
                    reaped++;
                    it.remove();
                }
            }
        }

        void ends(long t) {
            for (Iterator<Connection> it = open.iterator(); it.hasNext(); ) {
                Connection c = it.next();
                if (c.gone || c.endsAt > t) continue;
                if (c.abrupt) {
                    c.gone = true; // the phone left the building: no close frame, no more acks
                } else {
                    closeGracefully(c);
                    it.remove();
                }
            }
        }
    }

    static final class RangeService {
        final Map<String, Shooter> shooters = new HashMap<>();
        final String[] licences = new String[SHOOTERS];
        final Lru<BoardPage> boards = new Lru<>(BOARD_CAP);
        final Lru<ScoreSheet> scans = new Lru<>(SCAN_CAP);
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Shot[] recentShots = new Shot[RING];
        final ArrayDeque<Certificate> certificateOutbox = new ArrayDeque<>();
        final PushHub hub = new PushHub();
        final MessageDigest sha256;
        final List<String> recentScanTexts = new ArrayList<>();
        long shots, scanRequests, scanHits, scored, certificatesQueued, certificatesSent, boardViews;

        RangeService() throws Exception { sha256 = MessageDigest.getInstance("SHA-256"); }

        void shot(Random r, long t) {
            String licence = licences[r.nextInt(SHOOTERS)];
            int lane = 1 + r.nextInt(LANES);
            recentShots[(int) (shots++ % RING)] = new Shot(licence, lane, 60 + r.nextInt(50), t);
            byte[] buf = frameBuffers.poll();
            buf[(int) (shots % buf.length)] = (byte) lane;
            frameBuffers.add(buf);
        }

        void viewBoard(Random r, long t) {
            boardViews++;
            String key = "board/" + (r.nextBoolean() ? "air-rifle" : "air-pistol") + "/relay-" + r.nextInt(2_400);
            if (boards.get(key) == null) boards.put(key, new BoardPage(key, new byte[500 + r.nextInt(500)], t));
        }

        /** A scanned score card: scored once, cached by the scan's SHA-256 as a hex String. */
        void scan(Random r, long t) {
            scanRequests++;
            String text;
            if (!recentScanTexts.isEmpty() && r.nextInt(100) < 45) {
                text = recentScanTexts.get(r.nextInt(recentScanTexts.size()));
            } else {
                String licence = licences[r.nextInt(SHOOTERS)];
                text = "card:" + licence + ":relay-" + (1 + r.nextInt(12)) + ":target-" + (1 + r.nextInt(40)) + ":" + Long.toHexString(r.nextLong());
                recentScanTexts.add(text);
                if (recentScanTexts.size() > 512) recentScanTexts.remove(0);
            }
            String hex = HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
            ScoreSheet s = scans.get(hex);
            if (s != null) { scanHits++; return; }
            scored++;
            scans.put(hex, new ScoreSheet(hex, text.substring(5, text.indexOf(':', 5)), 900 + r.nextInt(1_000), r.nextInt(60), t));
        }

        void certificate(Random r, long t) {
            String licence = licences[r.nextInt(SHOOTERS)];
            certificateOutbox.add(new Certificate(licence, licence.toLowerCase() + "@members.example.org", new byte[300 + r.nextInt(300)], t));
            certificatesQueued++;
        }

        void sendCertificates(long t) {
            while (!certificateOutbox.isEmpty() && t - certificateOutbox.peek().queuedAt() >= 10 * MINUTE) { certificateOutbox.poll(); certificatesSent++; }
        }
    }

    static RangeService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(142_010_001);
        String[] disciplines = {"10m air rifle", "10m air pistol", "25m rapid fire", "25m sport pistol", "50m prone", "10m running target"};
        for (int f = 0; f < FACES; f++) {
            double[] radii = new double[40];
            for (int k = 0; k < radii.length; k++) radii[k] = 0.25 + k * (0.5 + rnd.nextDouble());
            String code = "TF-" + (4_000 + f);
            FACES_BY_CODE.put(code, new TargetFace(code, disciplines[f % disciplines.length], radii, f % 3 == 0 ? 25 : 10));
        }
        RangeService svc = new RangeService();
        SERVICE = svc;
        String[] clubs = {"Northgate RPC", "Harbour Air Rifle Club", "Kingsmead Pistol", "Old Mill Target Club", "Fenwick Rifle & Pistol"};
        for (int i = 0; i < SHOOTERS; i++) {
            svc.licences[i] = "SL" + (5_300_000 + i * 7);
            svc.shooters.put(svc.licences[i], new Shooter(svc.licences[i], "Shooter " + i, clubs[rnd.nextInt(clubs.length)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(142_010_002), conns = new Random(142_010_003), scans = new Random(142_010_004);
        PushHub hub = svc.hub;
        int steps = (int) (hours * HOUR / STEP);
        long connSeq = 0x7a3f_0000L;
        for (int s = 0; s < steps; s++) {
            long t = start + s * STEP;
            int arrivals = (int) ((long) (s + 1) * CONNECTIONS_PER_HOUR * STEP / HOUR - (long) s * CONNECTIONS_PER_HOUR * STEP / HOUR);
            for (int a = 0; a < arrivals; a++) {
                String id = "ws-" + Long.toHexString(connSeq++);
                long life = (3 + conns.nextInt(38)) * MINUTE + conns.nextInt(60) * SECOND;
                hub.open(new Connection(id, conns.nextInt(4) == 0 ? "lane-screen" : "range-app", t, t + life, conns.nextInt(100) < 3, conns.nextInt(10) == 0));
            }
            for (int k = 0; k < SHOTS_PER_STEP; k++) svc.shot(traffic, t);
            if (s % 3 == 0) hub.broadcast(1 + traffic.nextInt(LANES), traffic, t);
            hub.write(t);
            hub.ends(t);
            if (s % 3 == 2) hub.reap(t);
            for (int k = 0; k < 6; k++) svc.viewBoard(traffic, t);
            int scanCount = (int) ((long) (s + 1) * SCANS_PER_HOUR * STEP / HOUR - (long) s * SCANS_PER_HOUR * STEP / HOUR);
            for (int k = 0; k < scanCount; k++) svc.scan(scans, t);
            if (s % 6 == 0) svc.certificate(traffic, t);
            if (s % 60 == 59) svc.sendCertificates(t);
        }
    }

    static void report(int stage, int hours) {
        RangeService svc = SERVICE;
        PushHub hub = svc.hub;
        int queued = 0, maxQueue = 0, gone = 0;
        for (ArrayDeque<Frame> q : hub.pending.values()) { queued += q.size(); maxQueue = Math.max(maxQueue, q.size()); }
        for (Connection c : hub.open) if (c.gone) gone++;
        System.out.println("stage " + stage + " (" + hours + " h) faces " + FACES_BY_CODE.size() + " shooters " + svc.shooters.size() + " shots " + svc.shots
                + " connections opened " + hub.opened + " closed " + hub.closedGracefully + " reaped " + hub.reaped + " open " + hub.open.size() + " (gone, not yet reaped " + gone + ")"
                + " queues " + hub.pending.size() + " frames pending " + queued + " (max " + maxQueue + ") broadcasts " + hub.broadcasts + " frames queued " + hub.framesQueued + " written " + hub.framesWritten + " discarded " + hub.framesDiscarded
                + " scans " + svc.scanRequests + " (hits " + svc.scanHits + ", scored " + svc.scored + ") scan cache " + svc.scans.size() + " (evicted " + svc.scans.evicted + ")"
                + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") certificates " + svc.certificatesQueued + "/" + svc.certificatesSent + " backlog " + svc.certificateOutbox.size()
                + " pool " + svc.frameBuffers.size());
        check(FACES_BY_CODE.size() == FACES && svc.shooters.size() == SHOOTERS, "reference data / directory");
        check(hub.pending.size() == hub.open.size() && hub.sessions.size() == hub.open.size(), "one queue per open connection");
        check(hub.opened == hub.closedGracefully + hub.reaped + hub.open.size(), "every connection accounted for");
        check(hub.reaped > 0 && gone <= 12 && maxQueue <= 12, "vanished clients reaped");
        check(hub.framesQueued == hub.framesWritten + queued + hub.framesDiscarded, "frames");
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "leaderboard cache at cap");
        check(svc.scored == svc.scanRequests - svc.scanHits && svc.scans.size() == Math.min(SCAN_CAP, svc.scored), "scan cache");
        check(stage == 1 || svc.scans.evicted > 0, "scan cache at its cap from stage 2");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.certificateOutbox.size() > 0 && svc.certificateOutbox.size() < 40, "certificate backlog");
        check(svc.recentShots[(int) Math.min(svc.shots, RING) - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        report(stage, hours);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
