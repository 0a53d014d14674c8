// hprofscan-dump: name=leak-static-map jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd,jcmd-gz
package testdata;

import java.util.HashMap;
import java.util.Map;

/**
 * Leak: a static HashMap that only grows ({@code Registry.ITEMS}, 30,000 entries String -> Item,
 * each Item holding a byte[200]).
 * Decoys: a 500,000-element double[] (primitive data) and a preallocated, fully used ring buffer
 * of 4,096 reused Slot objects. See testdata/SCENARIOS.md.
 */
public final class LeakStaticMap {
    static final int ITEM_COUNT = 30_000;
    static final int ITEM_PAYLOAD = 200;
    static final int SAMPLE_COUNT = 500_000;
    static final int RING_SIZE = 4096;

    /** The leak: items are registered and never removed. */
    static final class Registry {
        static final Map<String, Item> ITEMS = new HashMap<>();

        static void register(String id, Item item) {
            ITEMS.put(id, item);
        }
    }

    static final class Item {
        final int id;
        final byte[] payload;

        Item(int id) {
            this.id = id;
            this.payload = new byte[ITEM_PAYLOAD];
            this.payload[0] = (byte) id;
        }
    }

    /** Decoy 1: one big primitive array of measurement samples (4,000,000 bytes of data). */
    static final class Samples {
        static final double[] VALUES = new double[SAMPLE_COUNT];
    }

    /** Decoy 2: preallocated ring buffer, every slot reused in place. */
    static final class Ring {
        static final Object[] RING = new Object[RING_SIZE];
        static long cursor;

        static void preallocate() {
            for (int i = 0; i < RING_SIZE; i++) {
                RING[i] = new Slot();
            }
        }

        static void publish(long value) {
            Slot s = (Slot) RING[(int) (cursor % RING_SIZE)];
            s.sequence = cursor;
            s.value = value;
            cursor++;
        }
    }

    static final class Slot {
        long sequence;
        long value;
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        for (int i = 0; i < SAMPLE_COUNT; i++) {
            Samples.VALUES[i] = Math.sin(i);
        }
        Ring.preallocate();
        for (long v = 0; v < 100_000; v++) {
            Ring.publish(v);
        }
        for (int i = 0; i < ITEM_COUNT; i++) {
            Registry.register("item-" + (100_000 + i), new Item(i));
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        LeakCheck.histogram();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
