// hprofscan-dump: name=rider-inbox jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=rider-inbox-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=rider-inbox-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=rider-inbox-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rider app backend of a food-delivery company: each of 3,000 riders has an inbox
 * ({@code Dispatch.inboxes}, a {@code HashMap<String, Inbox>} filled at startup; each
 * {@code Inbox.messages} an {@code ArrayList<Message>}) that receives shift offers, zone
 * alerts and pay notes, 5,000 an hour. Opening the app marks the unread messages read
 * ({@code readAt}). A third of the riders open it every 10-40 minutes; the others, off shift,
 * every 4-9 hours, and their unread messages wait for them. Beside it: the zones loaded at startup,
 * the restaurants' directory, an LRU of rendered route maps and a ring of recent deliveries.
 * Twelve hours of traffic.
 * <ul>
 * <li>{@code healthy}: a purge every few minutes deletes the messages read more than an hour
 * ago: the inboxes hold the unread messages (many waiting for hours) and those read in the
 * last hour. About half of the messages held were last touched an hour or more before the
 * dump, though the oldest are nine hours old: a turnover, not an accumulation. No leak.
 * <li>{@code leak}: read messages are never deleted: the inboxes keep every message of the
 * twelve hours. The leak is {@code Inbox.messages}.
 * </ul>
 * Fixed numbers (printed).
 */
public final class RiderInbox {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int RIDERS = 3_000, PER_HOUR = 5_000, HOURS = 12, MAP_CAP = 1_500, RING = 4_096;

    record Zone(String code, String city, double[] demandCurve) {}

    record Restaurant(long id, String name, String zone, byte[] menuDigest) {}

    static final class Message {
        final long id;
        final String kind;
        final long createdAt;
        long readAt;
        final byte[] body;

        Message(long id, String kind, long createdAt, byte[] body) {
            this.id = id;
            this.kind = kind;
            this.createdAt = createdAt;
            this.body = body;
        }
    }

    static final class Inbox {
        final String riderId;
        final long openEvery;
        long nextOpen;
        final List<Message> messages = new ArrayList<>();

        Inbox(String riderId, long openEvery, long nextOpen) {
            this.riderId = riderId;
            this.openEvery = openEvery;
            this.nextOpen = nextOpen;
        }

        void open(long t) {
            for (Message m : messages) if (m.readAt == 0) m.readAt = t;
        }

        void purge(long t) {
            messages.removeIf(m -> m.readAt != 0 && m.readAt <= t - HOUR);
        }
    }

    static final class Dispatch {
        final Map<String, Inbox> inboxes = new HashMap<>();
        final Map<Long, Restaurant> restaurants = new HashMap<>();
        final Map<String, byte[]> routeMaps = new LinkedHashMap<>(MAP_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > MAP_CAP;
            }
        };
        final long[] deliveries = new long[RING];
        int delivered;
    }

    static final Map<String, Zone> ZONES = new HashMap<>();
    static final String[] KINDS = {"offer", "alert", "pay"};
    static Dispatch DISPATCH;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(42_003);
        for (int i = 0; i < 250; i++) {
            double[] curve = new double[96];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            ZONES.put("Z" + (100 + i), new Zone("Z" + (100 + i), "City " + (i % 20), curve));
        }
        Dispatch d = new Dispatch();
        DISPATCH = d;
        for (long id = 1; id <= 12_000; id++) {
            d.restaurants.put(id * 13, new Restaurant(id * 13, "Restaurant " + id, "Z" + (100 + rnd.nextInt(250)), new byte[80 + rnd.nextInt(160)]));
        }
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < RIDERS; i++) {
            boolean offShift = rnd.nextInt(3) != 0;
            long every = offShift ? (4 * HOUR + rnd.nextInt(5 * 60) * MINUTE) : (10 + rnd.nextInt(30)) * MINUTE;
            Inbox in = new Inbox("R-" + (500_000 + i * 7), every, start + (long) (rnd.nextDouble() * every));
            inboxes.add(in);
            d.inboxes.put(in.riderId, in);
        }
        long total = (long) PER_HOUR * HOURS;
        for (long k = 0; k < total; k++) {
            long t = start + (end - start - MINUTE) * k / total;
            Inbox in = inboxes.get(rnd.nextInt(RIDERS));
            in.messages.add(new Message(k + 1, KINDS[rnd.nextInt(3)], t, new byte[60 + rnd.nextInt(80)]));
            if (k % 50 == 0) {
                for (Inbox o : inboxes) {
                    while (o.nextOpen <= t) {
                        o.open(o.nextOpen);
                        o.nextOpen += o.openEvery;
                    }
                }
                if (!leak && k % 500 == 0) for (Inbox o : inboxes) o.purge(t);
                d.deliveries[d.delivered++ % RING] = t;
                d.routeMaps.put("map-" + rnd.nextInt(6_000), new byte[300 + rnd.nextInt(300)]);
            }
        }
        long held = 0, unread = 0, idle = 0;
        for (Inbox in : inboxes) {
            for (Message m : in.messages) {
                held++;
                if (m.readAt == 0) unread++;
                if (Math.max(m.createdAt, m.readAt) <= end - HOUR) idle++;
            }
        }
        inboxes = null;
        System.out.println((leak ? "leak" : "healthy") + " held " + held + " unread " + unread + " idle>=1h " + idle
                + " route maps " + d.routeMaps.size() + " restaurants " + d.restaurants.size());
        if (leak ? held != total : held > total / 3) throw new IllegalStateException("unexpected inbox size " + held);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
