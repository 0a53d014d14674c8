// hprofscan-dump: name=dead-writers jvm="-Xmx128m" variants=mxbean
// hprofscan-dump: name=dead-writers-serial jvm="-Xmx128m -Xmn96m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One outbound queue per connection, drained by the connection's own writer thread
 * ({@code Connection.outbound}, a {@code LinkedBlockingQueue}; {@code Connection.writer}). The
 * writers of the first 10 connections run (blocked in {@code take()} at the dump, their queues
 * empty); those of the other 30 ended on an error, so every frame sent to them since stays: 30
 * queues of 1,000 frames (a 200-byte body each, no time). With SerialGC and a young generation
 * that never fills the heap keeps allocation order, so the first queue in the heap is a drained
 * one. Fixed numbers: 40 connections, 30,000 frames queued.
 */
public final class DeadWriters {
    static final int CONNECTIONS = 40;
    static final int RUNNING = 10;
    static final int FRAMES = 1_000;

    record Frame(int seq, byte[] body) {}

    static final class Connection {
        final int id;
        final BlockingQueue<Frame> outbound = new LinkedBlockingQueue<>();
        Thread writer;
        long written;

        Connection(int id) {
            this.id = id;
        }

        void start(boolean fails) {
            writer = new Thread(() -> {
                if (fails) return; // the socket write failed on the first frame: the writer ends
                try {
                    while (true) {
                        outbound.take();
                        written++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "writer-" + id);
            writer.setDaemon(true);
            writer.start();
        }
    }

    static final List<Connection> CONNECTIONS_OPEN = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) CONNECTIONS_OPEN.add(new Connection(i));
        for (Connection c : CONNECTIONS_OPEN) c.start(c.id >= RUNNING);
        for (Connection c : CONNECTIONS_OPEN) {
            if (c.id >= RUNNING) c.writer.join();
        }
        for (int f = 0; f < FRAMES; f++) {
            for (Connection c : CONNECTIONS_OPEN) c.outbound.add(new Frame(f, new byte[200]));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !drained()) Thread.sleep(5);
        long queued = 0;
        for (Connection c : CONNECTIONS_OPEN) queued += c.outbound.size();
        if (!drained() || queued != (long) (CONNECTIONS - RUNNING) * FRAMES) throw new IllegalStateException("queued " + queued);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1] + " (queued " + queued + ")");
        System.exit(0);
    }

    static boolean drained() {
        for (Connection c : CONNECTIONS_OPEN) {
            if (c.id < RUNNING && !c.outbound.isEmpty()) return false;
        }
        return true;
    }
}
