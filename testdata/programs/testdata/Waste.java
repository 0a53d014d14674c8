// hprofscan-dump: name=waste jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Known heap waste for {@code hprofscan waste} (all values are built at run time, so no
 * interned literal shares their contents).
 * <ul>
 *   <li>{@code Customer.country}: 20,000 Strings, 14 distinct values ("country-A".."country-N",
 *       9 Latin-1 chars), each String with its own {@code byte[9]}.</li>
 *   <li>{@code Customer.name}: 20,000 distinct Strings ("customer-00000".., 14 chars): no waste.</li>
 *   <li>{@code Waste.TAGS} (static ArrayList): 5,000 Strings, 5 distinct values ("tag-0".."tag-4").</li>
 *   <li>{@code Sample.weights}: 1,000 {@code int[8]} with equal contents {1..8}.</li>
 *   <li>{@code Order.notes}: 3,000 empty {@code new ArrayList<>(10)}; {@code Order.attrs}: 3,000
 *       empty {@code new HashMap<>()}; {@code Order.items}: 3,000 {@code new ArrayList<>(100)}
 *       holding 2 Customers each.</li>
 *   <li>{@code Waste.SCORES}: {@code new ArrayList<Integer>(10_000)} with 10,000 Integers
 *       1,000..10,999 (outside the Integer cache: each its own object).</li>
 *   <li>{@code Waste.IDS}: {@code Long[2_000]} with Longs 1,000,000..1,001,999.</li>
 * </ul>
 */
public final class Waste {
    static final int CUSTOMERS_N = 20_000;
    static final int COUNTRIES = 14;
    static final int TAGS_N = 5_000;
    static final int SAMPLES = 1_000;
    static final int ORDERS_N = 3_000;

    static final class Customer {
        String country;
        String name;
    }

    static final class Sample {
        int[] weights;
    }

    static final class Order {
        List<String> notes = new ArrayList<>(10);
        Map<String, String> attrs = new HashMap<>();
        List<Customer> items = new ArrayList<>(100);
    }

    static Customer[] CUSTOMERS;
    static final List<String> TAGS = new ArrayList<>(TAGS_N);
    static Sample[] SAMPLES_ARR;
    static Order[] ORDERS;
    static final List<Integer> SCORES = new ArrayList<>(10_000);
    static Long[] IDS;

    /** Builds the heap; kept out of main() so no stack slot of main references it. */
    static void build() {
        CUSTOMERS = new Customer[CUSTOMERS_N];
        for (int i = 0; i < CUSTOMERS_N; i++) {
            Customer c = new Customer();
            c.country = new String(new char[] {'c', 'o', 'u', 'n', 't', 'r', 'y', '-', (char) ('A' + i % COUNTRIES)});
            c.name = String.format("customer-%05d", i);
            CUSTOMERS[i] = c;
        }
        for (int i = 0; i < TAGS_N; i++) {
            TAGS.add(new String(new char[] {'t', 'a', 'g', '-', (char) ('0' + i % 5)}));
        }
        SAMPLES_ARR = new Sample[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            Sample s = new Sample();
            s.weights = new int[] {1, 2, 3, 4, 5, 6, 7, 8};
            SAMPLES_ARR[i] = s;
        }
        ORDERS = new Order[ORDERS_N];
        for (int i = 0; i < ORDERS_N; i++) {
            Order o = new Order();
            o.items.add(CUSTOMERS[i]);
            o.items.add(CUSTOMERS[i + 1]);
            ORDERS[i] = o;
        }
        for (int i = 0; i < 10_000; i++) {
            SCORES.add(Integer.valueOf(1_000 + i));
        }
        IDS = new Long[2_000];
        for (int i = 0; i < IDS.length; i++) {
            IDS[i] = Long.valueOf(1_000_000L + i);
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
