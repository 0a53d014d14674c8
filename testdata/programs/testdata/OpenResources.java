// hprofscan-dump: name=open-resources jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Open-resource leaks (unclosed file descriptors, sockets, never-returned pool connections).
 * {@code FileRegistry.OPEN}: 400 open FileInputStreams (one per temp file).
 * {@code FileRegistry.RAF}: 50 open RandomAccessFiles (mode "rw").
 * {@code Connections.CLIENTS}: 20 connected client Sockets to a loopback ServerSocket
 *   ({@code Connections.SERVER}, still open); the 20 accepted server-side sockets are kept open in
 *   {@code Connections.ACCEPTED}.
 * Decoy {@code FileRegistry.CLOSED}: 100 FileInputStreams opened and properly closed (fd == -1).
 * {@code OpenResources.POOL}: a Pool of 30 PooledConnections; 12 are borrowed and never returned.
 * Temp files are created in one temp directory and deleted at exit (deleteOnExit).
 */
public final class OpenResources {
    static final int OPEN_STREAMS = 400;
    static final int OPEN_RAFS = 50;
    static final int SOCKETS = 20;
    static final int CLOSED_STREAMS = 100;
    static final int POOL_SIZE = 30;
    static final int LEAKED_BORROWS = 12;

    static Pool POOL;

    static final class FileRegistry {
        static final List<FileInputStream> OPEN = new ArrayList<>();
        static final List<RandomAccessFile> RAF = new ArrayList<>();
        static final List<FileInputStream> CLOSED = new ArrayList<>();
    }

    static final class Connections {
        static ServerSocket SERVER;
        static final List<Socket> CLIENTS = new ArrayList<>();
        static final List<Socket> ACCEPTED = new ArrayList<>();
    }

    static final class PooledConnection {
        final int id;
        boolean borrowed;
        long borrowedAt;
        String borrowedBy;

        PooledConnection(int id) {
            this.id = id;
        }
    }

    static final class Pool {
        final List<PooledConnection> all = new ArrayList<>();
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Set<PooledConnection> borrowedSet = new HashSet<>();

        Pool(int size) {
            for (int i = 0; i < size; i++) {
                PooledConnection c = new PooledConnection(i);
                all.add(c);
                idle.add(c);
            }
        }

        PooledConnection borrow(String who) {
            PooledConnection c = idle.poll();
            if (c == null) {
                throw new IllegalStateException("pool exhausted");
            }
            c.borrowed = true;
            c.borrowedAt = System.nanoTime();
            c.borrowedBy = who;
            borrowedSet.add(c);
            return c;
        }

        void giveBack(PooledConnection c) {
            c.borrowed = false;
            c.borrowedBy = null;
            borrowedSet.remove(c);
            idle.add(c);
        }
    }

    static File newTempFile(File dir, String name) throws IOException {
        File f = new File(dir, name);
        Files.write(f.toPath(), new byte[] {1, 2, 3, 4});
        f.deleteOnExit();
        return f;
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        // Not Files.createTempDirectory: that initialises SecureRandom, which opens /dev/random and
        // /dev/urandom FileInputStreams of its own and would add JDK-held open streams to the heap.
        File dir = new File(System.getProperty("java.io.tmpdir"),
                "hprofscan-open-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        dir.deleteOnExit(); // registered first, so deleted last (after the files)

        for (int i = 0; i < OPEN_STREAMS; i++) {
            FileRegistry.OPEN.add(new FileInputStream(newTempFile(dir, "open-" + i + ".dat")));
        }
        for (int i = 0; i < OPEN_RAFS; i++) {
            FileRegistry.RAF.add(new RandomAccessFile(newTempFile(dir, "raf-" + i + ".dat"), "rw"));
        }
        for (int i = 0; i < CLOSED_STREAMS; i++) {
            FileInputStream in = new FileInputStream(newTempFile(dir, "closed-" + i + ".dat"));
            in.read();
            in.close();
            FileRegistry.CLOSED.add(in);
        }

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Connections.SERVER = new ServerSocket(0, 50, loopback);
        for (int i = 0; i < SOCKETS; i++) {
            Connections.CLIENTS.add(new Socket(loopback, Connections.SERVER.getLocalPort()));
            Connections.ACCEPTED.add(Connections.SERVER.accept());
        }

        POOL = new Pool(POOL_SIZE);
        for (int i = 0; i < 100; i++) { // well-behaved borrow/return traffic
            POOL.giveBack(POOL.borrow("request-" + (100 + i)));
        }
        for (int i = 0; i < LEAKED_BORROWS; i++) {
            POOL.borrow("leaky-handler-" + (10 + i)); // never returned
        }
        if (POOL.borrowedSet.size() != LEAKED_BORROWS || POOL.idle.size() != POOL_SIZE - LEAKED_BORROWS) {
            throw new IllegalStateException("unexpected pool state");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        LeakCheck.histogram("java.io.FileInputStream ", "java.io.RandomAccessFile ", "java.io.FileDescriptor ",
                "java.net.Socket ", "java.net.ServerSocket ", "sun.nio.ch.NioSocketImpl ");
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
