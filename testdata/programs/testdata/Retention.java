// hprofscan-dump: name=retention jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
// hprofscan-dump: name=retention jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="all"
package testdata;

import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;

/**
 * Known object graph for dominator / retained-size tests. Every number here is documented in
 * testdata/README.md ("Retention"); change both together.
 *
 * <p>Usage: {@code java -cp testdata/build/classes testdata.Retention <variant> <outpath> [all]}.
 * With {@code all} (jcmd variants only) the dump is taken with {@code GC.heap_dump -all}: no GC
 * runs before it, so the only-weakly-reachable {@link WeakOnly} object is still in the dump. The
 * program keeps it strongly reachable through its own {@code System.gc()} and drops the strong
 * reference just before dumping.
 */
public final class Retention {
    public static final int HOLDER_ARRAYS = 100;
    public static final int HOLDER_ARRAY_LEN = 1000;
    public static final int SHARED_LEN = 5000;
    public static final int WEAK_LEN = 3000;
    public static final int SOFT_LEN = 4000;
    public static final int CHAIN_LEN = 1_000_000;
    public static final int RING_LEN = 3;

    static Holder HOLDER;
    static Sharer LEFT;
    static Sharer RIGHT;
    static WeakReference<WeakOnly> WEAK;
    static SoftReference<SoftOnly> SOFT;
    static Node CHAIN;
    static Ring RING;

    /** Strong reference to the WeakOnly object, cleared right before the dump. */
    static WeakOnly strongUntilDump;

    static final class Holder {
        byte[][] arrays;
    }

    static final class Shared {
        byte[] data;
    }

    static final class Sharer {
        int side;
        Shared shared;
    }

    static final class WeakOnly {
        byte[] data;
    }

    static final class SoftOnly {
        byte[] data;
    }

    static final class Node {
        Node next;
        int value;
    }

    static final class Ring {
        Ring next;
        int id;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: testdata.Retention <mxbean|jcmd|jcmd-gz> <outpath> [all]");
            System.exit(2);
        }
        boolean all = args.length > 2 && args[2].equals("all");
        build();
        System.gc();
        strongUntilDump = null; // from here on WeakOnly is only weakly reachable
        DumpUtil.dump(args[0], args[1], all);
        System.out.println("dumped " + args[1]);
    }

    static void build() {
        HOLDER = new Holder();
        HOLDER.arrays = new byte[HOLDER_ARRAYS][];
        for (int i = 0; i < HOLDER_ARRAYS; i++) {
            byte[] a = new byte[HOLDER_ARRAY_LEN];
            a[0] = (byte) i;
            HOLDER.arrays[i] = a;
        }

        Shared shared = new Shared();
        shared.data = new byte[SHARED_LEN];
        LEFT = new Sharer();
        LEFT.side = 1;
        LEFT.shared = shared;
        RIGHT = new Sharer();
        RIGHT.side = 2;
        RIGHT.shared = shared;

        WeakOnly w = new WeakOnly();
        w.data = new byte[WEAK_LEN];
        strongUntilDump = w;
        WEAK = new WeakReference<>(w);

        SoftOnly s = new SoftOnly();
        s.data = new byte[SOFT_LEN];
        SOFT = new SoftReference<>(s);

        // Built back to front: CHAIN is value 0, its successor value 1, ..., last value 999_999.
        Node head = null;
        for (int i = CHAIN_LEN - 1; i >= 0; i--) {
            Node n = new Node();
            n.value = i;
            n.next = head;
            head = n;
        }
        CHAIN = head;

        Ring r0 = new Ring();
        Ring r1 = new Ring();
        Ring r2 = new Ring();
        r0.id = 0;
        r1.id = 1;
        r2.id = 2;
        r0.next = r1;
        r1.next = r2;
        r2.next = r0;
        RING = r0;
    }
}
