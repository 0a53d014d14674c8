// hprofscan-dump: name=waste-boxed-maps jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Boxed primitives as hash-map, set and tree-map keys and values, for {@code hprofscan waste}.
 * Every box is built at run time outside the JDK's box caches (-128..127), so each entry has its
 * own box.
 * <ul>
 *   <li>{@code WasteBoxedMaps.PRICES}: {@code HashMap<Long, Integer>} of 3,000 entries, keys
 *       1,000,000..1,002,999, values 1,000..3,999.</li>
 *   <li>{@code WasteBoxedMaps.SEEN}: {@code HashSet<Integer>} of 2,000 Integers
 *       100,000..101,999.</li>
 *   <li>{@code Rates.byName}: {@code ConcurrentHashMap<String, Double>} of 1,500 entries, values
 *       0.5, 1.5, ... (each its own Double).</li>
 *   <li>{@code WasteBoxedMaps.SLOTS}: {@code TreeMap<Short, String>} of 700 entries, keys
 *       1,000..1,699.</li>
 * </ul>
 */
public final class WasteBoxedMaps {
    static final int PRICES_N = 3_000;
    static final int SEEN_N = 2_000;
    static final int RATES_N = 1_500;
    static final int SLOTS_N = 700;

    static final class Rates {
        final Map<String, Double> byName = new ConcurrentHashMap<>();
    }

    static final Map<Long, Integer> PRICES = new HashMap<>();
    static final Set<Integer> SEEN = new HashSet<>();
    static Rates RATES;
    static final Map<Short, String> SLOTS = new TreeMap<>();

    /** Builds the heap; kept out of main() so no stack slot of main references it. */
    static void build() {
        for (int i = 0; i < PRICES_N; i++) {
            PRICES.put(Long.valueOf(1_000_000L + i), Integer.valueOf(1_000 + i));
        }
        for (int i = 0; i < SEEN_N; i++) {
            SEEN.add(Integer.valueOf(100_000 + i));
        }
        RATES = new Rates();
        for (int i = 0; i < RATES_N; i++) {
            RATES.byName.put(String.format("rate-%04d", i), Double.valueOf(i + 0.5));
        }
        for (int i = 0; i < SLOTS_N; i++) {
            SLOTS.put(Short.valueOf((short) (1_000 + i)), "slot");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
