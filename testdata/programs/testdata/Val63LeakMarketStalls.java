// hprofscan-dump: name=val63-leak-marketstalls jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val63-leak-marketstalls-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Validation set 63 (written blind), LEAK: the stallholder dashboard service of a farmers' market
 * operator. Market reference data, the stallholder directory, a cache of rendered price boards at
 * its cap, a pool of render buffers, a ring of recent sales, and a live wholesale price feed. Every
 * dashboard request subscribes to the feed and adds the returned Disposable to the service's
 * CompositeDisposable (so that shutdown disposes everything). When the request ends the handler
 * disposes the subscription (the feed drops it) but never removes it from the composite, so the
 * composite keeps every disposed handle, and with it the request its consumer captured. See
 * VALIDATION63.md.
 */
public final class Val63LeakMarketStalls {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MARKETS = 1_100, STALLHOLDERS = 25_000, BOARD_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, REQUESTS_PER_HOUR = 3_000, IN_FLIGHT = 12;
    static boolean FIXED;

    record Market(String code, String town, double[] footfallByHour) {}
    record Stallholder(String licence, String marketCode, String produce, byte[] licenceRecord, long joinedAt) {}
    record PriceBoard(String key, byte[] rendered, long at) {}
    record Sale(String licence, int pence, long at) {}
    record PriceTick(String produce, int pencePerKg, long at) {}
    record DashboardRequest(long id, String licence, String view, long at, byte[] viewState) {}

    interface Disposable { void dispose(); boolean isDisposed(); }

    /** Like RxJava's CompositeDisposable: holds handles until removed, disposes them all on shutdown. */
    static final class CompositeDisposable {
        final Set<Disposable> resources = new HashSet<>();
        boolean disposed;
        void add(Disposable d) { resources.add(d); }
        boolean remove(Disposable d) { if (resources.remove(d)) { d.dispose(); return true; } return false; }
        void dispose() { disposed = true; for (Disposable d : resources) d.dispose(); resources.clear(); }
        int size() { return resources.size(); }
    }

    static final class PriceFeed {
        final List<Subscription> subscribers = new ArrayList<>();
        long ids, ticks;
        Subscription subscribe(Consumer<PriceTick> onTick) { Subscription s = new Subscription(this, 9_000_000L + ids++, onTick); subscribers.add(s); return s; }
        void publish(PriceTick t) { ticks++; for (Subscription s : subscribers) s.onTick.accept(t); }
    }

    /** A subscription handle; after dispose() it still holds its consumer (like a disposed LambdaObserver). */
    static final class Subscription implements Disposable {
        final PriceFeed feed; final long id; final Consumer<PriceTick> onTick; boolean disposed;
        Subscription(PriceFeed feed, long id, Consumer<PriceTick> onTick) { this.feed = feed; this.id = id; this.onTick = onTick; }
        @Override public void dispose() { if (!disposed) { disposed = true; feed.subscribers.remove(this); } }
        @Override public boolean isDisposed() { return disposed; }
    }

    static final class BoardCache extends LinkedHashMap<String, PriceBoard> {
        long evicted;
        BoardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PriceBoard> e) { if (size() > BOARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Market> MARKETS_BY_CODE = new HashMap<>();

    static final class DashboardService {
        final Map<String, Stallholder> stallholders = new HashMap<>();
        final BoardCache boards = new BoardCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final Sale[] recentSales = new Sale[RING];
        long sales, updatesPushed;
        final PriceFeed feed = new PriceFeed();
        final CompositeDisposable requestSubscriptions = new CompositeDisposable();
        final ArrayDeque<Subscription> open = new ArrayDeque<>();

        void open(DashboardRequest req) {
            Subscription s = feed.subscribe(tick -> { if (req.viewState().length > 0) updatesPushed++; });
            requestSubscriptions.add(s);
            open.addLast(s);
            while (open.size() > IN_FLIGHT) finish(open.removeFirst());
        }
        void finish(Subscription s) {
            if (FIXED) requestSubscriptions.remove(s); // the fix: remove from the composite (which disposes it)
            else s.dispose(); // BUG: disposed, but the composite keeps the handle
        }
    }

    static DashboardService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val63.fixed");
        int requests = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(63_020_001);
        String[] marketCodes = new String[MARKETS];
        for (int m = 0; m < MARKETS; m++) {
            double[] footfall = new double[72];
            for (int k = 0; k < footfall.length; k++) footfall[k] = rnd.nextDouble() * 400;
            marketCodes[m] = "MKT-" + (3_000 + m);
            MARKETS_BY_CODE.put(marketCodes[m], new Market(marketCodes[m], "Town " + (m % 350), footfall));
        }
        DashboardService svc = new DashboardService();
        SERVICE = svc;
        String[] produce = {"apples", "leeks", "honey", "eggs", "cheese", "bread", "plums", "potatoes", "lamb", "flowers"};
        String[] licences = new String[STALLHOLDERS];
        for (int s = 0; s < STALLHOLDERS; s++) {
            licences[s] = "LIC-" + (400_000 + s * 3);
            svc.stallholders.put(licences[s], new Stallholder(licences[s], marketCodes[rnd.nextInt(MARKETS)], produce[s % produce.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(63_020_002);
        String[] views = {"prices", "sales-today", "pitch-map", "weather"};
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String lic = licences[traffic.nextInt(STALLHOLDERS)];
            svc.open(new DashboardRequest(60_000_000L + i, lic, views[traffic.nextInt(views.length)], t, new byte[60 + traffic.nextInt(60)]));
            if (i % 5 == 0) svc.feed.publish(new PriceTick(produce[traffic.nextInt(produce.length)], 50 + traffic.nextInt(900), t));
            svc.recentSales[(int) (svc.sales++ % RING)] = new Sale(lic, 100 + traffic.nextInt(4_000), t);
            svc.recentSales[(int) (svc.sales++ % RING)] = new Sale(licences[traffic.nextInt(STALLHOLDERS)], 100 + traffic.nextInt(4_000), t);
            String key = "board-" + traffic.nextInt(4_500);
            if (svc.boards.get(key) == null) svc.boards.put(key, new PriceBoard(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
        }
        int composite = svc.requestSubscriptions.size();
        long disposedInComposite = svc.requestSubscriptions.resources.stream().filter(Disposable::isDisposed).count();
        System.out.println((FIXED ? "FIXED " : "") + "markets " + MARKETS_BY_CODE.size() + " stallholders " + svc.stallholders.size() + " requests " + requests + " composite " + composite + " (disposed " + disposedInComposite
                + ") feed subscribers " + svc.feed.subscribers.size() + " ticks " + svc.feed.ticks + " pushed " + svc.updatesPushed + " boards " + svc.boards.size() + " (evicted " + svc.boards.evicted + ") pool " + svc.renderBuffers.size() + " sales " + svc.sales);
        check(MARKETS_BY_CODE.size() == MARKETS && svc.stallholders.size() == STALLHOLDERS, "reference data / directory");
        check(svc.feed.subscribers.size() == IN_FLIGHT && svc.open.size() == IN_FLIGHT, "feed holds only the open requests");
        if (FIXED) check(composite == IN_FLIGHT && disposedInComposite == 0, "fixed composite");
        else check(composite == requests && disposedInComposite == requests - IN_FLIGHT, "composite keeps every handle: " + composite);
        check(svc.boards.size() == BOARD_CAP && svc.boards.evicted > 0, "board cache at cap");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.sales == 2L * requests && svc.recentSales[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
