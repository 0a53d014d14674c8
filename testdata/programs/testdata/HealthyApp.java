// hprofscan-dump: name=healthy jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd-gz
package testdata;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * No leak, but big legitimate memory: three 4 MiB image buffers, a bounded LRU cache at capacity
 * (2,000 of 10,000 puts), a full bounded ring queue of 8,192 preallocated slots that are recycled,
 * and 300 reference-data Country objects loaded once into an unmodifiable map.
 */
public final class HealthyApp {
    static final int FRAME_BYTES = 4 * 1024 * 1024;
    static final int FRAME_COUNT = 3;
    static final int LRU_CAPACITY = 2_000;
    static final int LRU_PUTS = 10_000;
    static final int THUMB_BYTES = 256;
    static final int RING_SIZE = 8_192;
    static final int COUNTRIES = 300;

    static final class ImageBuffers {
        static final byte[][] FRAMES = new byte[FRAME_COUNT][FRAME_BYTES];
    }

    static final class ThumbnailCache {
        static final Map<String, Thumbnail> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Thumbnail> eldest) {
                return size() > LRU_CAPACITY;
            }
        };
    }

    static final class Thumbnail {
        final int imageId;
        final byte[] pixels;

        Thumbnail(int imageId) {
            this.imageId = imageId;
            this.pixels = new byte[THUMB_BYTES];
        }
    }

    /** Preallocated slots cycling through a bounded queue: take one, fill it, put it back. */
    static final class EventRing {
        static final ArrayBlockingQueue<Slot> SLOTS = new ArrayBlockingQueue<>(RING_SIZE);
    }

    static final class Slot {
        long sequence;
        long payload;
    }

    static final class ReferenceData {
        static Map<String, Country> COUNTRIES_BY_CODE;

        static void load() {
            Map<String, Country> m = new HashMap<>();
            for (int i = 0; i < COUNTRIES; i++) {
                String code = new String(new char[] {(char) ('A' + i / 26), (char) ('A' + i % 26)});
                m.put(code, new Country(code, "Country " + (100 + i), 1_000_000L + i));
            }
            COUNTRIES_BY_CODE = Collections.unmodifiableMap(m);
        }
    }

    static final class Country {
        final String code;
        final String name;
        final long population;

        Country(String code, String name, long population) {
            this.code = code;
            this.name = name;
            this.population = population;
        }
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        for (byte[] f : ImageBuffers.FRAMES) {
            f[f.length - 1] = 1;
        }
        for (int i = 0; i < RING_SIZE; i++) {
            EventRing.SLOTS.add(new Slot());
        }
        for (long seq = 0; seq < 50_000; seq++) {
            Slot s = EventRing.SLOTS.poll();
            s.sequence = seq;
            s.payload = seq * 31;
            EventRing.SLOTS.add(s);
        }
        for (int i = 0; i < LRU_PUTS; i++) {
            ThumbnailCache.CACHE.put("img-" + (100_000 + i), new Thumbnail(i));
        }
        ReferenceData.load();
        if (ThumbnailCache.CACHE.size() != LRU_CAPACITY || EventRing.SLOTS.size() != RING_SIZE
                || ReferenceData.COUNTRIES_BY_CODE.size() != COUNTRIES) {
            throw new IllegalStateException("unexpected sizes");
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
