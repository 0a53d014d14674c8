// hprofscan-dump: name=val106-leak-bridgeclub jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val106-leak-bridgeclub-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 106 (written blind), LEAK: the table server of an online contract-bridge club. Deal
 * reference data, the member directory, a cache of rendered hand records at its cap, a pool of frame
 * buffers, a ring of recent contracts, the directory of open client connections, and one outbound
 * writer thread per client connection ("bridge-conn-writer-<connId>") that blocks in its own
 * LinkedBlockingQueue.take(). Closing a connection removes it from the directory but never
 * interrupts its writer: the thread stays parked in take() forever and, through its Runnable (the
 * connection), keeps the connection's read and write buffers. See VALIDATION106.md.
 */
public final class Val106LeakBridgeClub {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int DEALS = 1_200, MEMBERS = 24_000, HAND_CAP = 2_000, POOL = 8, RING = 16_384, CONNECTIONS = 700, OPEN_AT_DUMP = 40, HOURS = 10;
    static boolean FIXED;

    record Deal(String code, byte[] cards, double[] parScores) {}
    record Member(String memberId, String nickname, byte[] profile, long joinedAt) {}
    record HandRecord(String key, byte[] rendered, long at) {}
    record Contract(String tableId, String declarer, String contract, int tricks, long at) {}
    record Outbound(String kind, byte[] frame) {}

    /** One client connection; its Runnable is the writer loop. */
    static final class ClientConnection implements Runnable {
        final String connId, memberId; final long openedAt; long closedAt;
        final byte[] readBuffer = new byte[4_096], writeBuffer = new byte[8_192];
        final LinkedBlockingQueue<Outbound> outbox = new LinkedBlockingQueue<>();
        volatile long framesWritten; Thread writer;
        ClientConnection(String connId, String memberId, long openedAt) { this.connId = connId; this.memberId = memberId; this.openedAt = openedAt; }
        @Override public void run() {
            try {
                while (true) {
                    Outbound m = outbox.take();
                    System.arraycopy(m.frame(), 0, writeBuffer, 0, Math.min(m.frame().length, writeBuffer.length));
                    framesWritten++;
                }
            } catch (InterruptedException e) {
                // connection closed: the writer ends
            }
        }
    }

    static final class HandCache extends LinkedHashMap<String, HandRecord> {
        long evicted;
        HandCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, HandRecord> e) { if (size() > HAND_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Deal> DEALS_BY_CODE = new HashMap<>();

    static final class TableServer {
        final Map<String, Member> members = new HashMap<>();
        final HandCache hands = new HandCache();
        final ArrayDeque<byte[]> frameBuffers = new ArrayDeque<>();
        final Contract[] recentContracts = new Contract[RING];
        long contracts, closed;
        final ConcurrentHashMap<String, ClientConnection> connections = new ConcurrentHashMap<>();
        final List<Thread> closedWriters = new ArrayList<>(); // kept only by main, for the self-check; cleared before the dump

        void close(ClientConnection c, long at) throws InterruptedException {
            c.closedAt = at;
            connections.remove(c.connId);
            closed++;
            if (FIXED) { c.writer.interrupt(); c.writer.join(); } // the fix: stop the writer
            else closedWriters.add(c.writer); // BUG: the writer is never interrupted
        }
    }

    static TableServer SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(106_040_001);
        for (int d = 0; d < DEALS; d++) {
            byte[] cards = new byte[52];
            for (int k = 0; k < 52; k++) cards[k] = (byte) rnd.nextInt(4);
            double[] par = new double[64];
            for (int k = 0; k < par.length; k++) par[k] = rnd.nextDouble() * 1_500 - 750;
            String code = "DL-" + (10_000 + d);
            DEALS_BY_CODE.put(code, new Deal(code, cards, par));
        }
        TableServer svc = new TableServer();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "BM" + (600_000 + m);
            svc.members.put(memberIds[m], new Member(memberIds[m], "player" + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.frameBuffers.add(new byte[32_768]);
        Random traffic = new Random(106_040_002);
        String[] contracts = {"1NT", "2H", "3NT", "4S", "4H", "5D", "6NT", "2S"};
        ArrayDeque<ClientConnection> openOrder = new ArrayDeque<>();
        int boards = 30;
        for (int i = 0; i < CONNECTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / CONNECTIONS;
            ClientConnection c = new ClientConnection("c" + (70_000 + i), memberIds[traffic.nextInt(MEMBERS)], t);
            c.writer = new Thread(c, "bridge-conn-writer-" + c.connId);
            c.writer.setDaemon(true);
            c.writer.start();
            svc.connections.put(c.connId, c);
            openOrder.add(c);
            if (openOrder.size() > OPEN_AT_DUMP) svc.close(openOrder.poll(), t);
            // each session plays boards: frames are pushed to the open connections' writers
            for (int b = 0; b < boards; b++) {
                String table = "T" + traffic.nextInt(300);
                svc.recentContracts[(int) (svc.contracts++ % RING)] = new Contract(table, memberIds[traffic.nextInt(MEMBERS)], contracts[traffic.nextInt(contracts.length)], 6 + traffic.nextInt(8), t);
                for (ClientConnection o : openOrder) if (traffic.nextInt(8) == 0) o.outbox.add(new Outbound("BID", new byte[40 + traffic.nextInt(40)]));
                String key = "hand-" + traffic.nextInt(5_000);
                if (svc.hands.get(key) == null) svc.hands.put(key, new HandRecord(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.frameBuffers.poll();
                buf[b % buf.length] = (byte) b;
                svc.frameBuffers.add(buf);
            }
        }
    }

    /** Waits until every outbox is drained and every writer still alive is parked in take(). */
    static void settle(TableServer svc) throws InterruptedException {
        for (int round = 0; round < 400; round++) {
            boolean quiet = true;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.getName().startsWith("bridge-conn-writer-")) continue;
                if (t.getState() != Thread.State.WAITING) quiet = false;
            }
            for (ClientConnection c : svc.connections.values()) if (!c.outbox.isEmpty()) quiet = false;
            if (quiet) return;
            Thread.sleep(25);
        }
        throw new IllegalStateException("writers did not settle");
    }

    static void selfCheck() throws Exception {
        TableServer svc = SERVICE;
        settle(svc);
        int liveWriters = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("bridge-conn-writer-") && t.isAlive()) liveWriters++;
        int parkedClosed = 0;
        for (Thread t : svc.closedWriters) if (t.isAlive() && t.getState() == Thread.State.WAITING) parkedClosed++;
        svc.closedWriters.clear();
        System.out.println((FIXED ? "FIXED " : "") + "deals " + DEALS_BY_CODE.size() + " members " + svc.members.size() + " open connections " + svc.connections.size() + " closed " + svc.closed
                + " live writer threads " + liveWriters + " (closed but parked " + parkedClosed + ") hands " + svc.hands.size() + " (evicted " + svc.hands.evicted + ") pool " + svc.frameBuffers.size() + " contracts " + svc.contracts);
        check(DEALS_BY_CODE.size() == DEALS && svc.members.size() == MEMBERS, "reference data / directory");
        check(svc.connections.size() == OPEN_AT_DUMP && svc.closed == CONNECTIONS - OPEN_AT_DUMP, "connections");
        if (FIXED) check(liveWriters == OPEN_AT_DUMP && parkedClosed == 0, "writers of open connections only: " + liveWriters);
        else check(liveWriters == CONNECTIONS && parkedClosed == CONNECTIONS - OPEN_AT_DUMP, "every writer ever started: " + liveWriters);
        check(svc.hands.size() == HAND_CAP && svc.hands.evicted > 0, "hand-record cache at cap");
        check(svc.frameBuffers.size() == POOL, "pool");
        check(svc.contracts > RING && svc.recentContracts[RING - 1] != null, "ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val106.fixed");
        run();
        selfCheck(); // in its own frame: no local of main references the structures at the dump
        LeakCheck.histogram("[I "); // also the int[] row (filler arrays vary under SerialGC)
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
