// hprofscan-dump: name=leak-chain-nested jvm="-Xmx128m" variants=mxbean
package testdata;

/**
 * A hand-made linked list held by a static field of a nested class, not of the main class:
 * {@code LeakChainNested$Store.JOURNAL} (static) is one Journal whose {@code head} starts a
 * chain of 10,000 Entry nodes, one appended per minute over a week of simulated time and never
 * read again. The class object of {@code Store} is held through the application class loader's
 * list of classes, which `leaks` once took for a judged collection, so the chain was never
 * looked at. See testdata/README.md ("LeakChainNested").
 */
public final class LeakChainNested {
    static final int ENTRIES = 10_000;
    static final long MINUTE = 60_000L;

    static final class Entry {
        final Entry next;
        final long createdAt;
        final int sequence;
        final byte[] payload = new byte[64];

        Entry(Entry next, long createdAt, int sequence) {
            this.next = next;
            this.createdAt = createdAt;
            this.sequence = sequence;
        }
    }

    static final class Journal {
        Entry head;
        int size;

        void append(long at) {
            head = new Entry(head, at, size++);
        }
    }

    static final class Store {
        static Journal JOURNAL;
    }

    static void build() {
        Journal j = new Journal();
        long now = System.currentTimeMillis();
        for (int i = 0; i < ENTRIES; i++) {
            j.append(now - (ENTRIES - i) * MINUTE);
        }
        Store.JOURNAL = j;
    }

    public static void main(String[] args) throws Exception {
        build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
