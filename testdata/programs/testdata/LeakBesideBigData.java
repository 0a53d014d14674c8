// hprofscan-dump: name=leak-beside-big-data jvm="-Xmx192m -XX:+UseSerialGC" variants=mxbean,jcmd
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A big legitimate structure beside a smaller leak.
 * Reference data: {@code Catalog.PRODUCTS} (static HashMap, 200,000 Long -> Product, loaded once).
 * Leak: {@code AuditLog.EVENTS} (static ArrayList, 15,000 AuditEvents, only ever appended to).
 */
public final class LeakBesideBigData {
    static final int PRODUCTS = 200_000;
    static final long FIRST_PRODUCT_ID = 1_000_000L;
    static final int EVENTS = 15_000;
    static final int EVENT_PAYLOAD = 64;

    static final class Catalog {
        static final Map<Long, Product> PRODUCTS = new HashMap<>();
    }

    static final class Product {
        final long id;
        final String name;
        final double price;
        int stock;

        Product(long id, String name, double price) {
            this.id = id;
            this.name = name;
            this.price = price;
        }
    }

    static final class AuditLog {
        static final List<AuditEvent> EVENTS = new ArrayList<>();
    }

    static final class AuditEvent {
        final long timestamp;
        final int userId;
        final String message;
        final byte[] payload;

        AuditEvent(long timestamp, int userId, String message) {
            this.timestamp = timestamp;
            this.userId = userId;
            this.message = message;
            this.payload = new byte[EVENT_PAYLOAD];
        }
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        for (int i = 0; i < PRODUCTS; i++) {
            long id = FIRST_PRODUCT_ID + i;
            Catalog.PRODUCTS.put(id, new Product(id, "product-" + id, 9.99 + i));
        }
        for (int i = 0; i < EVENTS; i++) {
            AuditLog.EVENTS.add(new AuditEvent(1_700_000_000_000L + i, i % 500, "event " + (100_000 + i) + " update"));
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
