// hprofscan-dump: name=recently-viewed jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=recently-viewed-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=recently-viewed-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=recently-viewed-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An online bookshop's "recently viewed" shelf: {@code Shelf.byCustomer}, a
 * {@code HashMap<Long, LinkedList<String>>} of the ISBNs each customer viewed last, trimmed to
 * {@code Shelf.LIMIT} (10) on every view (premium customers: {@code PREMIUM_LIMIT}, 30). A view
 * of a bundle adds two ISBNs at once. Beside it: the catalogue loaded at startup, the customer
 * directory, an LRU of rendered product pages and a ring of recent orders. 12,000 customers,
 * 400,000 views over ten hours.
 * <ul>
 * <li>{@code healthy}: a view trims the shelf while it holds more than its limit: every shelf
 * holds at most 10 (or 30) ISBNs, most exactly that many. No leak.
 * <li>{@code leak}: a view trims one ISBN when the shelf holds exactly its limit, then adds one
 * or two: a bundle viewed on a full shelf takes it past its limit, and from then on it is never
 * trimmed again. The shelves that escaped keep every later view: the leak is
 * {@code Shelf.byCustomer} (its escaped lists).
 * </ul>
 * Fixed numbers (printed).
 */
public final class RecentlyViewed {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int CUSTOMERS = 12_000, VIEWS = 400_000, TITLES = 20_000, PAGE_CAP = 1_500, RING = 2_048;

    record Title(String isbn, String name, String publisher, byte[] blurb) {}

    record Customer(long id, String email, boolean premium, long since) {}

    static final class Shelf {
        static final int LIMIT = 10, PREMIUM_LIMIT = 30;
        final Map<Long, LinkedList<String>> byCustomer = new HashMap<>();

        void viewed(Customer c, List<String> isbns, boolean leak) {
            LinkedList<String> shelf = byCustomer.computeIfAbsent(c.id(), k -> new LinkedList<>());
            int limit = c.premium() ? PREMIUM_LIMIT : LIMIT;
            if (leak) {
                if (shelf.size() == limit) shelf.removeFirst();
                shelf.addAll(isbns);
            } else {
                shelf.addAll(isbns);
                while (shelf.size() > limit) shelf.removeFirst();
            }
        }
    }

    static final class Shop {
        final Map<String, Title> catalogue = new HashMap<>();
        final Map<Long, Customer> customers = new HashMap<>();
        final Shelf shelf = new Shelf();
        final Map<String, byte[]> pages = new LinkedHashMap<>(PAGE_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > PAGE_CAP;
            }
        };
        final long[] orders = new long[RING];
    }

    static Shop SHOP;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long start = now - now % MINUTE - 10 * HOUR;
        Random rnd = new Random(42_004);
        Shop s = new Shop();
        SHOP = s;
        List<String> isbns = new ArrayList<>();
        for (int i = 0; i < TITLES; i++) {
            String isbn = "978-" + (1_000_000_000L + rnd.nextInt(900_000_000));
            isbns.add(isbn);
            s.catalogue.put(isbn, new Title(isbn, "Title " + i, "Publisher " + (i % 300), new byte[100 + rnd.nextInt(150)]));
        }
        List<Customer> customers = new ArrayList<>();
        for (long id = 1; id <= CUSTOMERS; id++) {
            Customer c = new Customer(600_000 + id * 3, "c" + id + "@example.org", rnd.nextInt(5) == 0, start - rnd.nextInt(1_500) * 24 * HOUR);
            customers.add(c);
            s.customers.put(c.id(), c);
        }
        for (int v = 0; v < VIEWS; v++) {
            // a few customers browse a lot: the square skews views towards the first ones
            double u = rnd.nextDouble();
            Customer c = customers.get((int) (u * u * CUSTOMERS));
            String isbn = isbns.get(rnd.nextInt(TITLES));
            List<String> viewed = rnd.nextInt(100) < 1 ? List.of(isbn, isbns.get(rnd.nextInt(TITLES))) : List.of(isbn);
            s.shelf.viewed(c, viewed, leak);
            if (v % 40 == 0) s.pages.put(isbn, new byte[400 + rnd.nextInt(400)]);
            if (v % 25 == 0) s.orders[(v / 25) % RING] = start + v;
        }
        int shelves = s.shelf.byCustomer.size(), over = 0, held = 0, longest = 0;
        for (Map.Entry<Long, LinkedList<String>> e : s.shelf.byCustomer.entrySet()) {
            int n = e.getValue().size();
            held += n;
            longest = Math.max(longest, n);
            if (n > (s.customers.get(e.getKey()).premium() ? Shelf.PREMIUM_LIMIT : Shelf.LIMIT)) over++;
        }
        customers = null;
        isbns = null;
        System.out.println((leak ? "leak" : "healthy") + " shelves " + shelves + " isbns " + held + " over their limit " + over + " longest " + longest
                + " pages " + s.pages.size());
        if (leak ? over == 0 : over != 0 || longest > Shelf.PREMIUM_LIMIT) throw new IllegalStateException("unexpected shelves");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
