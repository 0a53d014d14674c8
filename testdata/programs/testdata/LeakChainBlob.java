// hprofscan-dump: name=leak-chain-blob jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

/**
 * A hand-made linked structure whose size is mostly one array, not an accumulation (issue #18
 * item 8): {@code LeakChainBlob.CURRENT} (static) is one Journal holding a chain of 10,000 Entry nodes
 * (created one per minute over a week of simulated time, never read again) and one
 * byte[1000000] scratch buffer: 1,000,016 B of the Journal's retained bytes are that one array.
 * See testdata/README.md ("LeakChainBlob").
 */
public final class LeakChainBlob {
    static final int ENTRIES = 10_000;
    static final int SCRATCH_BYTES = 1_000_000;
    static final long MINUTE = 60_000L;

    static final class Entry {
        final Entry next;
        final long createdAt;
        final int sequence;

        Entry(Entry next, long createdAt, int sequence) {
            this.next = next;
            this.createdAt = createdAt;
            this.sequence = sequence;
        }
    }

    /** On the main class: its class object is a root of its own (LauncherHelper.appClass). */
    static Journal CURRENT;

    static final class Journal {
        Entry head;
        int size;
        final byte[] scratch = new byte[SCRATCH_BYTES];

        void append(long at) {
            head = new Entry(head, at, size++);
        }
    }

    static void build() {
        Journal j = new Journal();
        long now = System.currentTimeMillis();
        for (int i = 0; i < ENTRIES; i++) {
            j.append(now - (ENTRIES - i) * MINUTE);
        }
        CURRENT = j;
    }

    public static void main(String[] args) throws Exception {
        build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
