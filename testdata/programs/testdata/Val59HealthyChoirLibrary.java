// hprofscan-dump: name=val59-healthy-choirlibrary jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val59-healthy-choirlibrary-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 59 (written blind), HEALTHY: the sheet-music library and collaborative score
 * editor of a regional choir association. Repertoire reference data, the singer directory, a cache
 * of rendered voice parts at its cap, a pool of audio-preview buffers, a ring of rehearsal-log
 * events, client (websocket) connections each monitored by a JMX MBean that is unregistered when
 * the connection closes, and per-score undo stacks (a static map by numeric score id) that are
 * capped at 100 edits and removed when the score is closed. See VALIDATION59.md.
 */
public final class Val59HealthyChoirLibrary {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PIECES = 1_200, SINGERS = 26_000, PART_CAP = 2_000, POOL = 10, RING = 16_384, HOURS = 10;
    static final int CLIENT_SLOTS = 150, CONNECTIONS = 5_000, SCORE_SLOTS = 80, SCORE_SESSIONS = 2_000, UNDO_CAP = 100, EVENTS = 60_000;
    static final String DOMAIN = "testdata.val59.choir";

    record Piece(String code, String composer, double[] rangeByVoice) {}
    record Singer(String memberNo, String voice, String chapter, byte[] attendanceHistory, long joinedAt) {}
    record VoicePart(String key, byte[] rendered, long at) {}
    record RehearsalEvent(String memberNo, String pieceCode, int bar, long at) {}
    record Edit(long seq, int bar, String author, long at, byte[] before, byte[] after) {}

    static final class ClientConnection {
        final long id; final String memberNo, remoteAddress; final long openedAt; long closedAt, messages;
        ClientConnection(long id, String memberNo, String remoteAddress, long openedAt) { this.id = id; this.memberNo = memberNo; this.remoteAddress = remoteAddress; this.openedAt = openedAt; }
    }

    public interface ClientStatsMBean {
        String getMemberNo();
        long getMessages();
        long getOpenedAt();
    }

    public static final class ClientStats implements ClientStatsMBean {
        final ClientConnection conn;
        ClientStats(ClientConnection conn) { this.conn = conn; }
        @Override public String getMemberNo() { return conn.memberNo; }
        @Override public long getMessages() { return conn.messages; }
        @Override public long getOpenedAt() { return conn.openedAt; }
    }

    public interface LibraryStatsMBean { int getOpenConnections(); int getOpenScores(); }

    static final class UndoStack {
        final long scoreId; final ArrayDeque<Edit> edits = new ArrayDeque<>(); long pushed, dropped;
        UndoStack(long scoreId) { this.scoreId = scoreId; }
        void push(Edit e) { edits.push(e); pushed++; if (edits.size() > UNDO_CAP) { edits.removeLast(); dropped++; } }
    }

    static final class PartCache extends LinkedHashMap<String, VoicePart> {
        long evicted;
        PartCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, VoicePart> e) { if (size() > PART_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Piece> PIECES_BY_CODE = new HashMap<>();
    /** Undo history of the open scores, by score id. */
    static final Map<Long, UndoStack> UNDO_BY_SCORE = new HashMap<>();

    static final class LibraryService implements LibraryStatsMBean {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Singer> singers = new HashMap<>();
        final PartCache parts = new PartCache();
        final ArrayDeque<byte[]> audioBuffers = new ArrayDeque<>();
        final RehearsalEvent[] log = new RehearsalEvent[RING];
        long logged;
        final Map<Long, ClientConnection> clients = new HashMap<>();
        long opened, closed, scoresOpened, scoresClosed, edits;
        @Override public int getOpenConnections() { return clients.size(); }
        @Override public int getOpenScores() { return UNDO_BY_SCORE.size(); }

        static ObjectName nameOf(ClientConnection c) throws Exception { return new ObjectName(DOMAIN + ":type=Client,id=" + c.id); }
        ClientConnection connect(long id, String member, String remote, long at) throws Exception {
            ClientConnection c = new ClientConnection(id, member, remote, at);
            clients.put(id, c); opened++;
            mbeans.registerMBean(new ClientStats(c), nameOf(c));
            return c;
        }
        void disconnect(ClientConnection c, long at) throws Exception {
            c.closedAt = at; clients.remove(c.id); closed++;
            mbeans.unregisterMBean(nameOf(c));
        }
        void openScore(long scoreId) { UNDO_BY_SCORE.put(scoreId, new UndoStack(scoreId)); scoresOpened++; }
        void closeScore(long scoreId) { UNDO_BY_SCORE.remove(scoreId); scoresClosed++; }
    }

    static LibraryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(59_060_001);
        String[] pieceCodes = new String[PIECES];
        for (int p = 0; p < PIECES; p++) {
            double[] range = new double[80];
            for (int k = 0; k < range.length; k++) range[k] = 40 + rnd.nextDouble() * 40;
            pieceCodes[p] = "REP-" + (10_000 + p);
            PIECES_BY_CODE.put(pieceCodes[p], new Piece(pieceCodes[p], "Composer " + (p % 170), range));
        }
        LibraryService svc = new LibraryService();
        SERVICE = svc;
        svc.mbeans.registerMBean(new javax.management.StandardMBean(svc, LibraryStatsMBean.class), new ObjectName(DOMAIN + ":type=Library"));
        String[] members = new String[SINGERS];
        String[] voices = {"S1", "S2", "A1", "A2", "T1", "T2", "B1", "B2"};
        for (int s = 0; s < SINGERS; s++) {
            members[s] = "CH" + (800_000 + s * 3);
            svc.singers.put(members[s], new Singer(members[s], voices[s % voices.length], "Chapter " + (s % 90), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.audioBuffers.add(new byte[32_768]);
        Random traffic = new Random(59_060_002);
        ClientConnection[] clientSlots = new ClientConnection[CLIENT_SLOTS];
        long connId = 5_100_000;
        for (int k = 0; k < CLIENT_SLOTS; k++) clientSlots[k] = svc.connect(connId++, members[traffic.nextInt(SINGERS)], "192.0.2." + (k % 250) + ":" + (30_000 + traffic.nextInt(30_000)), start);
        long[] scoreSlots = new long[SCORE_SLOTS];
        long nextScore = 9_400_000L;
        for (int k = 0; k < SCORE_SLOTS; k++) { scoreSlots[k] = nextScore; nextScore += 7; svc.openScore(scoreSlots[k]); }
        int reconnectEvery = EVENTS / (CONNECTIONS - CLIENT_SLOTS);
        int scoreEvery = EVENTS / (SCORE_SESSIONS - SCORE_SLOTS);
        int maxUndo = 0;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            int k = traffic.nextInt(CLIENT_SLOTS);
            ClientConnection c = clientSlots[k];
            c.messages++;
            String piece = pieceCodes[traffic.nextInt(PIECES)];
            svc.log[(int) (svc.logged++ % RING)] = new RehearsalEvent(c.memberNo, piece, 1 + traffic.nextInt(200), t);
            int s = traffic.nextInt(SCORE_SLOTS);
            UndoStack u = UNDO_BY_SCORE.get(scoreSlots[s]);
            u.push(new Edit(i, 1 + traffic.nextInt(200), c.memberNo, t, new byte[10 + traffic.nextInt(50)], new byte[10 + traffic.nextInt(50)]));
            svc.edits++;
            maxUndo = Math.max(maxUndo, u.edits.size());
            String key = "part-" + traffic.nextInt(4_000);
            if (svc.parts.get(key) == null) svc.parts.put(key, new VoicePart(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.audioBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.audioBuffers.add(buf);
            if (i % reconnectEvery == reconnectEvery - 1 && svc.opened < CONNECTIONS) {
                int r = traffic.nextInt(CLIENT_SLOTS);
                svc.disconnect(clientSlots[r], t);
                clientSlots[r] = svc.connect(connId++, members[traffic.nextInt(SINGERS)], "192.0.2." + (r % 250) + ":" + (30_000 + traffic.nextInt(30_000)), t);
            }
            if (i % scoreEvery == scoreEvery - 1 && svc.scoresOpened < SCORE_SESSIONS) {
                int r = traffic.nextInt(SCORE_SLOTS);
                svc.closeScore(scoreSlots[r]);
                scoreSlots[r] = nextScore; nextScore += 7;
                svc.openScore(scoreSlots[r]);
            }
        }
        int ourMBeans = svc.mbeans.queryNames(new ObjectName(DOMAIN + ":type=Client,*"), null).size();
        long undoEdits = 0;
        for (UndoStack u : UNDO_BY_SCORE.values()) undoEdits += u.edits.size();
        System.out.println("pieces " + PIECES_BY_CODE.size() + " singers " + svc.singers.size() + " clients open " + svc.clients.size() + " (opened " + svc.opened + ", closed " + svc.closed + ") client mbeans " + ourMBeans
                + " (platform total " + svc.mbeans.getMBeanCount() + ") scores open " + UNDO_BY_SCORE.size() + " (opened " + svc.scoresOpened + ", closed " + svc.scoresClosed + ") undo edits kept " + undoEdits + " (of " + svc.edits + ", max per score " + maxUndo
                + ") parts " + svc.parts.size() + " (evicted " + svc.parts.evicted + ") pool " + svc.audioBuffers.size() + " log " + svc.logged);
        check(PIECES_BY_CODE.size() == PIECES && svc.singers.size() == SINGERS, "reference data / directory");
        check(svc.clients.size() == CLIENT_SLOTS && ourMBeans == CLIENT_SLOTS && svc.opened == CONNECTIONS && svc.closed == CONNECTIONS - CLIENT_SLOTS, "client connections and their mbeans");
        check(UNDO_BY_SCORE.size() == SCORE_SLOTS && svc.scoresOpened == SCORE_SESSIONS && maxUndo <= UNDO_CAP && undoEdits <= (long) SCORE_SLOTS * UNDO_CAP, "undo stacks of open scores");
        check(svc.parts.size() == PART_CAP && svc.parts.evicted > 0, "part cache at cap");
        check(svc.audioBuffers.size() == POOL, "pool");
        check(svc.logged == EVENTS && svc.log[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
