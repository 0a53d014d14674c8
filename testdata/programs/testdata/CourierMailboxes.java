// hprofscan-dump: name=courier-mailboxes jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=courier-mailboxes-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=courier-mailboxes-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=courier-mailboxes-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
// hprofscan-dump: name=courier-mailboxes-even jvm="-Xmx200m" variants=mxbean args="healthy even"
// hprofscan-dump: name=courier-mailboxes-even-leak jvm="-Xmx200m" variants=mxbean args="leak even"
// hprofscan-dump: name=courier-mailboxes-even-leak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak even"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A parcel-courier dispatch service. Each of 2,000 couriers has a {@code Mailbox} whose deque
 * {@code recent} keeps the dispatches sent to that courier, trimmed to
 * {@code MAX_RECENT_PER_COURIER = 60} as each is added. The couriers are held both in the
 * dispatch rota (an array, {@code Fleet.couriers}) and in a directory by badge
 * ({@code Fleet.byBadge}), so neither dominates them and nothing but each courier's own
 * mailbox holds its dispatches: no one collection keeps them. Traffic is skewed: busy
 * couriers get hundreds of dispatches in the 10 simulated hours, quiet ones a few, so a quiet
 * courier's 60 kept dispatches span hours and many were sent long before the dump: the
 * mailboxes are bounded per courier, not idle leftovers.
 *
 * <p>Leak: the trim moved into {@code acknowledge()}, which only couriers who open the app call
 * (1 in 5): the other couriers' deques keep every dispatch. Healthy: the trim runs on every add.
 *
 * <p>With {@code even}, traffic is spread evenly over the couriers (some 150 dispatches each):
 * with the leak, no deque is big alone (at most a few hundred dispatches), none found on its
 * own.
 *
 * <p>Beside it: a depot directory (900 depots loaded at start, static), a route LRU of 1,500
 * planned routes ({@code removeEldestEntry}), a ring of the last 4,096 parcel scans (a plain
 * array), and a pool of 8 label buffers of 32 KiB.
 */
public final class CourierMailboxes {
    static final int COURIERS = 2_000;
    static final int MAX_RECENT_PER_COURIER = 60;
    static final int DISPATCHES = 300_000;
    static final int ROUTE_CAP = 1_500;
    static final int SCAN_RING = 4_096;
    static final long HOUR = 3_600_000L;

    record Depot(String code, String city, double[] hours) {}

    record Dispatch(long id, String parcel, long sentAt, int kind, byte[] note) {}

    record Scan(String parcel, String depot, long at) {}

    record Route(String key, int[] stops, long plannedAt) {}

    static final class Mailbox {
        final ArrayDeque<Dispatch> recent = new ArrayDeque<>();
        long sent, trimmed, opens;

        void add(Dispatch d, boolean leak) {
            recent.addLast(d);
            sent++;
            if (!leak) trim();
        }

        void acknowledge() {
            opens++;
            trim();
        }

        private void trim() {
            while (recent.size() > MAX_RECENT_PER_COURIER) {
                recent.removeFirst();
                trimmed++;
            }
        }
    }

    static final class Courier {
        final String badge;
        final String name;
        final Mailbox mailbox = new Mailbox();
        final boolean usesApp;

        Courier(String badge, String name, boolean usesApp) {
            this.badge = badge;
            this.name = name;
            this.usesApp = usesApp;
        }
    }

    static final class Fleet {
        final Courier[] couriers = new Courier[COURIERS];
        final Map<String, Courier> byBadge = new HashMap<>();
        final Map<String, Route> routes = new LinkedHashMap<>(2_048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Route> e) {
                return size() > ROUTE_CAP;
            }
        };
        final Scan[] scans = new Scan[SCAN_RING];
        long scanCount;
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
    }

    static final Map<String, Depot> DEPOTS = new HashMap<>();
    static final Fleet FLEET = new Fleet();

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected count: " + what);
    }

    static void load(Fleet f, Random rnd) {
        for (int d = 0; d < 900; d++) {
            double[] hours = new double[48];
            for (int k = 0; k < hours.length; k++) hours[k] = rnd.nextDouble() * 24;
            String code = "DP" + (1_000 + d);
            DEPOTS.put(code, new Depot(code, "City " + (d % 300), hours));
        }
        for (int c = 0; c < COURIERS; c++) {
            f.couriers[c] = new Courier("CR-" + (50_000 + c * 7), "Courier " + c, c % 5 == 0);
            f.byBadge.put(f.couriers[c].badge, f.couriers[c]);
        }
        for (int b = 0; b < 8; b++) f.labelBuffers.add(new byte[32 * 1024]);
    }

    /** Ten hours of dispatches ending a minute before now; skewed over couriers. */
    static void traffic(Fleet f, boolean leak, boolean even, long now) {
        Random rnd = new Random(46_001);
        long end = now - now % 60_000L;
        long start = end - 10 * HOUR;
        for (int i = 0; i < DISPATCHES; i++) {
            long t = start + (end - 60_000L - start) * i / DISPATCHES;
            double u = rnd.nextDouble();
            int c = (int) ((even ? u : u * u * u) * COURIERS); // skewed: a few busy couriers, many quiet ones
            Courier courier = f.couriers[c];
            String parcel = "PCL" + (70_000_000L + rnd.nextInt(9_000_000));
            courier.mailbox.add(new Dispatch(8_000_000L + i, parcel, t, rnd.nextInt(6), new byte[24 + rnd.nextInt(32)]), leak);
            if (courier.usesApp && rnd.nextInt(4) == 0) courier.mailbox.acknowledge();
            if (i % 3 == 0) {
                String depot = "DP" + (1_000 + rnd.nextInt(900));
                f.scans[(int) (f.scanCount++ % SCAN_RING)] = new Scan(parcel, depot, t);
            }
            if (i % 7 == 0) {
                String key = "route-" + rnd.nextInt(6_000);
                if (f.routes.get(key) == null) f.routes.put(key, new Route(key, new int[20 + rnd.nextInt(40)], t));
            }
            if (i % 11 == 0) {
                byte[] b = f.labelBuffers.poll();
                b[i % b.length] = (byte) i;
                f.labelBuffers.add(b);
            }
        }
    }

    /** Prints the counts and checks them against what the program means to hold. */
    static void report(Fleet f, boolean leak, boolean even) {
        long held = 0, sent = 0, trimmed = 0, over = 0, atCap = 0;
        for (Courier c : f.couriers) {
            Mailbox m = c.mailbox;
            held += m.recent.size();
            sent += m.sent;
            trimmed += m.trimmed;
            if (m.recent.size() > MAX_RECENT_PER_COURIER) over++;
            if (m.recent.size() == MAX_RECENT_PER_COURIER) atCap++;
        }
        System.out.println((leak ? "leak" : "healthy") + (even ? " even" : "") + " couriers " + COURIERS + " dispatches held " + held + " (sent " + sent + ", trimmed " + trimmed
                + ", at cap " + atCap + ", over cap " + over + ") depots " + DEPOTS.size() + " routes " + f.routes.size() + " scans " + f.scanCount
                + " buffers " + f.labelBuffers.size());
        check(sent == DISPATCHES && held + trimmed == sent, "dispatches");
        check(leak ? over > COURIERS / 2 : over == 0, "mailboxes over their cap: " + over);
        check(DEPOTS.size() == 900 && f.byBadge.size() == COURIERS && f.routes.size() == ROUTE_CAP && f.labelBuffers.size() == 8, "components");
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        boolean even = args.length > 3 && args[3].equals("even");
        load(FLEET, new Random(46_000));
        traffic(FLEET, leak, even, System.currentTimeMillis());
        report(FLEET, leak, even);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
