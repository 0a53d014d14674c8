// hprofscan-dump: name=museum-tickets jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=museum-tickets-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=museum-tickets-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=museum-tickets-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A museum's ticket shop: web sessions keyed by random session ids, each with an absolute
 * lifetime ({@code absoluteExpiry}, 24 hours after creation) and an inactivity limit of its own
 * ({@code maxInactiveInterval}, 1,800 seconds, as a servlet container keeps it) past its
 * {@code lastAccessedTime}. Visitors browse for 2 to 25 minutes; 10% log out.
 *
 * <p>{@code ShopSessions.sessions} ({@code ConcurrentHashMap<String, ShopSession>}) gets 1,800
 * sessions an hour over 8 hours. Healthy: a sweep every minute drops sessions idle past their
 * limit or past their lifetime: those active in the last half hour are held. Leak: the sweep
 * tests only the absolute lifetime, which no session reaches in 8 hours: every session not
 * logged out is held, nearly all idle for hours past their own limit, none past its lifetime.
 *
 * <p>Beside it: exhibitions and time slots (reference data), a member directory (9,000 members
 * loaded at start), an LRU of rendered ticket pages at its cap (1,500), and counts of tickets sold
 * per time slot.
 */
public final class MuseumTickets {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final int PER_HOUR = 1_800;

    record Exhibition(String code, String title, int capacity, long[] slotStarts) {}

    record Member(long id, String name, String tier, long since) {}

    static final class ShopSession {
        final String id;
        final long creationTime;
        final long absoluteExpiry;
        long lastAccessedTime;
        int maxInactiveInterval = 1_800;
        final Map<String, Object> attributes = new HashMap<>();

        ShopSession(String id, long now) {
            this.id = id;
            this.creationTime = now;
            this.absoluteExpiry = now + 24 * HOUR;
            this.lastAccessedTime = now;
        }
    }

    static final class ShopSessions {
        final Map<String, ShopSession> sessions = new ConcurrentHashMap<>();
        long swept;
        long loggedOut;

        void sweep(long now, boolean leak) {
            for (Iterator<ShopSession> it = sessions.values().iterator(); it.hasNext(); ) {
                ShopSession s = it.next();
                boolean idle = now - s.lastAccessedTime > s.maxInactiveInterval * SECOND;
                if (now >= s.absoluteExpiry || (!leak && idle)) {
                    it.remove();
                    swept++;
                }
            }
        }
    }

    static final class Shop {
        final ShopSessions sessions = new ShopSessions();
        final Map<String, Exhibition> exhibitions = new HashMap<>();
        final Map<Long, Member> members = new HashMap<>();
        final Map<String, byte[]> pages = new LinkedHashMap<>(2_048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > 1_500;
            }
        };
        final Map<Integer, int[]> soldBySlot = new HashMap<>();
    }

    static final Shop SHOP = new Shop();

    static void load(Shop shop, Random rnd, long start) {
        for (int i = 0; i < 40; i++) {
            long[] slots = new long[20];
            for (int k = 0; k < slots.length; k++) slots[k] = start + k * 30 * MINUTE;
            String code = "EX" + (100 + i);
            shop.exhibitions.put(code, new Exhibition(code, "Exhibition " + i, 50 + i * 5, slots));
        }
        for (int i = 0; i < 9_000; i++) {
            long id = 500_000L + i * 7L;
            shop.members.put(id, new Member(id, "Member " + id, i % 10 == 0 ? "patron" : "friend", start - (i + 1) * 3 * HOUR));
        }
    }

    /** One visitor's session: created at {@code t}, last request {@code browse} later. */
    static void visit(Shop shop, Random rnd, long t, long browse, long end) {
        String id = Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong());
        ShopSession s = new ShopSession(id, t);
        s.attributes.put("cart", new ArrayList<>(List.of("EX" + (100 + rnd.nextInt(40)))));
        s.attributes.put("locale", rnd.nextBoolean() ? "en" : "nl");
        s.attributes.put("csrf", new byte[32]);
        s.lastAccessedTime = Math.min(t + browse, end - SECOND);
        shop.sessions.sessions.put(id, s);
        if (rnd.nextInt(10) == 0 && t + browse < end) {
            shop.sessions.sessions.remove(id);
            shop.sessions.loggedOut++;
        }
    }

    static void simulate(Shop shop, boolean leak, long start, long end) {
        Random rnd = new Random(61_003);
        load(shop, rnd, start);
        int visits = (int) (PER_HOUR * (end - start) / HOUR);
        long nextSweep = start + MINUTE;
        for (int i = 0; i < visits; i++) {
            long t = start + (end - start - MINUTE) * i / visits;
            while (nextSweep <= t) {
                shop.sessions.sweep(nextSweep, leak);
                nextSweep += MINUTE;
            }
            visit(shop, rnd, t, (2 + rnd.nextInt(24)) * MINUTE, end);
            String page = "ticket-" + rnd.nextInt(4_000);
            shop.pages.put(page, new byte[600 + rnd.nextInt(200)]);
            int slot = i % 800;
            shop.soldBySlot.computeIfAbsent(slot, k -> new int[2])[0]++;
        }
        shop.sessions.sweep(nextSweep, leak);
    }

    static void report(Shop shop, boolean leak, long end) {
        int idlePast = 0;
        for (ShopSession s : shop.sessions.sessions.values()) {
            if (end - s.lastAccessedTime > s.maxInactiveInterval * SECOND + 5 * MINUTE) idlePast++;
        }
        System.out.println((leak ? "leak" : "healthy") + " sessions " + shop.sessions.sessions.size() + " (idle past their limit " + idlePast
                + ", swept " + shop.sessions.swept + ", logged out " + shop.sessions.loggedOut + ") members " + shop.members.size()
                + " pages " + shop.pages.size() + " slots " + shop.soldBySlot.size());
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(SHOP, leak, end - 8 * HOUR, end);
        report(SHOP, leak, end);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
