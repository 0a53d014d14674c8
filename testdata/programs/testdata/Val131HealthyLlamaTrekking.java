// hprofscan-dump: name=val131-healthy-llamatrekking-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val131-healthy-llamatrekking-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val131-healthy-llamatrekking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val131-healthy-llamatrekking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 131 (written blind), HEALTHY (growth series): the booking site of a network of
 * llama-trekking farms. Trail reference data (elevation profiles), the llama and trek directories,
 * a cache of rendered trail-map tiles (below its cap in stage 1, at its cap from stage 2), a pool of
 * itinerary-PDF buffers that reuses (its free list is bounded by the peak number of concurrent
 * renders), a ring of recent page views, a confirmation-mail queue with its normal backlog, and the
 * visitors' sessions swept every 5 minutes by a scheduleAtFixedRate task that keeps running (partner
 * embeds' timeouts such as "45m" are parsed leniently): the live-session count plateaus.
 * See VALIDATION131.md.
 */
public final class Val131HealthyLlamaTrekking {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int FARMS = 40, TRAILS = 800, LLAMAS = 4_000, TREKS = 18_000, TILE_CAP = 2_400, VIEW_RING = 4_096, METRICS_RING = 240;
    static final int VISITORS_PER_HOUR = 1_500, IDLE_MINUTES = 30, MAIL_BATCH = 40, PDF_BYTES = 24_576, MAX_IDLE_BUFFERS = 16;
    static final String[] STYLES = {"topo", "satellite", "winter", "print"};
    static final String[] LOCALES = {"en-GB", "cy-GB", "de-DE", "nl-NL", "fr-FR"};
    static final String[] AGENTS = {
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"};
    static final String[] LLAMA_NAMES = {"Dolly", "Como", "Fernando", "Pablo", "Tina", "Caramel", "Bramble", "Hector", "Juno", "Mocha", "Pepper", "Willow"};

    record Farm(String code, String name, String county, int llamaCount) {}
    record Trail(String code, String farmCode, String name, double lengthKm, double[] elevation) {}
    record Llama(String tag, String farmCode, String name, int bornDaysAgo, byte[] healthRecord) {}
    record MapTile(String key, byte[] png, long at) {}
    record PageView(String sessionId, String path, long at) {}
    record CartLine(String trekId, int walkers, int priceCents, long heldAt) {}
    record BookingMail(String bookingRef, String to, String subject, byte[] body, long queuedAt) {}
    record MetricsSnapshot(long at, int sessions, long bookings, int mailBacklog, int freeBuffers) {}

    static final class Trek {
        final String trekId; final String trailCode; final long startsAt; final int places; final String[] llamaTags; final byte[] notes;
        int held, booked;
        Trek(String trekId, String trailCode, long startsAt, int places, String[] llamaTags, byte[] notes) { this.trekId = trekId; this.trailCode = trailCode; this.startsAt = startsAt; this.places = places; this.llamaTags = llamaTags; this.notes = notes; }
    }

    static final class VisitorSession {
        final String id; final long createdAt; final String channel; final String csrfToken;
        final Map<String, Object> attributes = new HashMap<>();
        final ArrayList<CartLine> cart = new ArrayList<>(2);
        volatile long lastSeen;
        String bookingRef;
        VisitorSession(String id, long createdAt, String channel, String csrfToken) { this.id = id; this.createdAt = createdAt; this.channel = channel; this.csrfToken = csrfToken; this.lastSeen = createdAt; }
    }

    static final class TileCache extends LinkedHashMap<String, MapTile> {
        long evicted;
        TileCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MapTile> e) { if (size() > TILE_CAP) { evicted++; return true; } return false; }
    }

    /** Itinerary-PDF buffers: borrow takes an idle one if there is one; release keeps at most maxIdle. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final int maxIdle;
        long borrowed, created, reused, released, dropped;
        int inUse, peakInUse;
        BufferPool(int maxIdle) { this.maxIdle = maxIdle; }
        byte[] borrow() {
            borrowed++;
            byte[] b = free.pollFirst();
            if (b == null) { b = new byte[PDF_BYTES]; created++; } else reused++;
            inUse++;
            peakInUse = Math.max(peakInUse, inUse);
            return b;
        }
        void release(byte[] b) {
            released++;
            inUse--;
            if (free.size() < maxIdle) free.addFirst(b); else dropped++;
        }
    }

    static final class ShopClock { long now; }

    static final Map<String, Farm> FARMS_BY_CODE = new HashMap<>();
    static final Map<String, Trail> TRAILS_BY_CODE = new HashMap<>();

    static final class SessionStore {
        final ConcurrentHashMap<String, VisitorSession> sessions = new ConcurrentHashMap<>();
        final TrekShop shop;
        long created, expired, sweeps, lenientTimeouts;
        SessionStore(TrekShop shop) { this.shop = shop; }

        /** Partner embeds configure their own idle timeout; "45", "45m" and " 45 " all mean 45 minutes. */
        int timeoutMinutes(VisitorSession s) {
            Object v = s.attributes.get("idleTimeout");
            if (v == null) return IDLE_MINUTES;
            String t = v.toString().trim();
            if (t.endsWith("m")) { t = t.substring(0, t.length() - 1); lenientTimeouts++; }
            try { return Math.max(5, Math.min(120, Integer.parseInt(t))); } catch (NumberFormatException e) { return IDLE_MINUTES; }
        }

        void sweep(long now) {
            sweeps++;
            for (Iterator<VisitorSession> it = sessions.values().iterator(); it.hasNext(); ) {
                VisitorSession s = it.next();
                if (now - s.lastSeen > timeoutMinutes(s) * MINUTE) {
                    shop.releaseHolds(s);
                    it.remove();
                    expired++;
                }
            }
        }
    }

    static final class TrekShop {
        final ShopClock clock = new ShopClock();
        final Map<String, Llama> llamas = new HashMap<>();
        final Map<String, Trek> treks = new HashMap<>();
        final String[] trekIds = new String[TREKS];
        final String[] trailCodes = new String[TRAILS];
        final TileCache tiles = new TileCache();
        final BufferPool pdfBuffers = new BufferPool(MAX_IDLE_BUFFERS);
        final PageView[] recentViews = new PageView[VIEW_RING];
        final ArrayDeque<BookingMail> mailQueue = new ArrayDeque<>();
        final MetricsSnapshot[] metrics = new MetricsSnapshot[METRICS_RING];
        final SessionStore store = new SessionStore(this);
        final Housekeeping housekeeping = new Housekeeping();
        final ArrayList<VisitorSession> renderBatch = new ArrayList<>();
        long views, bookings, mailsSent, metricsRuns, mailRuns, renderRuns, tilesRendered, itineraries;

        void releaseHolds(VisitorSession s) {
            for (CartLine l : s.cart) treks.get(l.trekId()).held -= l.walkers();
            s.cart.clear();
        }

        MapTile tile(String trail, Random r, long at) {
            String key = trail + "/" + STYLES[r.nextInt(STYLES.length)] + "/z" + (12 + r.nextInt(2));
            MapTile t = tiles.get(key);
            if (t == null) { t = new MapTile(key, new byte[1_200 + r.nextInt(1_000)], at); tiles.put(key, t); tilesRendered++; }
            return t;
        }

        void visit(int i, long at, Random r) {
            String id = "lt_" + Long.toHexString(r.nextLong() | (1L << 62));
            int ch = r.nextInt(100);
            String channel = ch < 70 ? "web" : ch < 92 ? "mobile" : "partner-embed";
            VisitorSession s = new VisitorSession(id, at, channel, Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
            s.attributes.put("locale", LOCALES[r.nextInt(LOCALES.length)]);
            s.attributes.put("userAgent", AGENTS[r.nextInt(AGENTS.length)]);
            if (channel.equals("partner-embed")) {
                s.attributes.put("partnerId", "TP-" + (100 + r.nextInt(30)));
                int form = r.nextInt(3);
                s.attributes.put("idleTimeout", form == 0 ? "20" : form == 1 ? "45" : "45m");
            }
            store.sessions.put(id, s);
            store.created++;
            String trail = trailCodes[r.nextInt(TRAILS)];
            recentViews[(int) (views++ % VIEW_RING)] = new PageView(id, "/trails/" + trail, at);
            tile(trail, r, at);
            s.lastSeen = at + (1 + r.nextInt(25)) * MINUTE;
            if (r.nextInt(100) < 45) {
                Trek t = treks.get(trekIds[r.nextInt(TREKS)]);
                int walkers = 1 + r.nextInt(4);
                s.cart.add(new CartLine(t.trekId, walkers, walkers * (4_500 + 500 * r.nextInt(6)), at));
                t.held += walkers;
                if (r.nextInt(100) < 55) {
                    t.held -= walkers;
                    t.booked += walkers;
                    s.bookingRef = "LT" + (700_000 + bookings++);
                    s.cart.clear();
                    renderBatch.add(s);
                    mailQueue.add(new BookingMail(s.bookingRef, "walker" + (bookings * 13 + 1) + "@example.org", "Your llama trek " + s.bookingRef, new byte[250 + r.nextInt(350)], at));
                }
            }
        }

        /** Per minute: the itineraries of the minute's bookings are rendered concurrently, one buffer each. */
        void renderItineraries() {
            renderRuns++;
            byte[][] held = new byte[renderBatch.size()][];
            for (int k = 0; k < held.length; k++) { held[k] = pdfBuffers.borrow(); held[k][k] = (byte) renderBatch.get(k).id.length(); itineraries++; }
            for (byte[] b : held) pdfBuffers.release(b);
            renderBatch.clear();
        }

        void flushMetrics() {
            metrics[(int) (metricsRuns++ % METRICS_RING)] = new MetricsSnapshot(clock.now, store.sessions.size(), bookings, mailQueue.size(), pdfBuffers.free.size());
        }

        void dispatchMail() {
            mailRuns++;
            int n = 0;
            while (n < MAIL_BATCH && !mailQueue.isEmpty() && mailQueue.peek().queuedAt() <= clock.now - 2 * MINUTE) { mailQueue.poll(); n++; mailsSent++; }
        }

        void startHousekeeping() {
            housekeeping.every("metrics-flush", 1, this::flushMetrics);
            housekeeping.every("mail-dispatch", 2, this::dispatchMail);
            housekeeping.every("session-sweeper", 5, () -> store.sweep(clock.now));
        }
    }

    static final class Housekeeping {
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "trek-housekeeping");
            t.setDaemon(true);
            return t;
        });
        final Map<String, ScheduledFuture<?>> tasks = new LinkedHashMap<>();

        void every(String name, long minutes, Runnable task) {
            tasks.put(name, scheduler.scheduleAtFixedRate(task, minutes, minutes, TimeUnit.MINUTES));
        }
    }

    /** Simulation only: runs a periodic task's due execution on this thread, through the executor's own task object. */
    static void fire(Housekeeping hk, String name) {
        ScheduledFuture<?> f = hk.tasks.get(name);
        if (f.isDone()) return;
        if (!hk.scheduler.remove((Runnable) f)) throw new IllegalStateException(name + " is not queued");
        ((RunnableScheduledFuture<?>) f).run();
    }

    static TrekShop SHOP;
    static int HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(131_050_001);
        String[] farmCodes = new String[FARMS];
        for (int f = 0; f < FARMS; f++) {
            farmCodes[f] = "LF" + (300 + f * 3);
            FARMS_BY_CODE.put(farmCodes[f], new Farm(farmCodes[f], "Farm " + (f + 1), "County " + (f % 9), 40 + rnd.nextInt(120)));
        }
        TrekShop shop = new TrekShop();
        SHOP = shop;
        for (int t = 0; t < TRAILS; t++) {
            double[] elevation = new double[120];
            for (int k = 0; k < elevation.length; k++) elevation[k] = 80 + rnd.nextDouble() * 600;
            String code = "TR" + (9_000 + t);
            shop.trailCodes[t] = code;
            TRAILS_BY_CODE.put(code, new Trail(code, farmCodes[t % FARMS], "Trail " + t, 3 + rnd.nextInt(90) / 10.0, elevation));
        }
        String[] tags = new String[LLAMAS];
        for (int l = 0; l < LLAMAS; l++) {
            tags[l] = "UK-LL-" + (50_000 + l * 7);
            shop.llamas.put(tags[l], new Llama(tags[l], farmCodes[l % FARMS], LLAMA_NAMES[rnd.nextInt(LLAMA_NAMES.length)] + " " + (l / 12), 200 + rnd.nextInt(5_000), new byte[120 + rnd.nextInt(200)]));
        }
        for (int t = 0; t < TREKS; t++) {
            String id = "TK-" + (300_000 + t);
            shop.trekIds[t] = id;
            String[] team = new String[2 + rnd.nextInt(4)];
            for (int k = 0; k < team.length; k++) team[k] = tags[rnd.nextInt(LLAMAS)];
            shop.treks.put(id, new Trek(id, shop.trailCodes[rnd.nextInt(TRAILS)], end + (long) (2 + rnd.nextInt(60 * 24)) * HOUR / 2, 6 + rnd.nextInt(10), team, new byte[150 + rnd.nextInt(150)]));
        }
        shop.startHousekeeping();
        Random traffic = new Random(131_050_002);
        int visitors = VISITORS_PER_HOUR * hours;
        long spacing = HOUR / VISITORS_PER_HOUR;
        int i = 0;
        for (int m = 1; m <= hours * 60; m++) {
            long tick = start + m * MINUTE;
            for (; i < visitors && start + i * spacing < tick; i++) {
                shop.clock.now = start + i * spacing;
                shop.visit(i, shop.clock.now, traffic);
            }
            shop.clock.now = tick;
            shop.renderItineraries();
            fire(shop.housekeeping, "metrics-flush");
            if (m % 2 == 0) fire(shop.housekeeping, "mail-dispatch");
            if (m % 5 == 0) fire(shop.housekeeping, "session-sweeper");
        }
        check(i == visitors, "all visitors");
    }

    // stage -> {sessions created, expired, sessions at the dump, bookings, tiles, tiles evicted, free buffers, buffers created}
    static final long[][] EXPECTED = {
        {1_500, 421, 1_079, 375, 1_338, 0, 10, 10},
        {6_000, 4_915, 1_085, 1_510, 2_400, 1_876, 12, 12},
        {12_000, 10_929, 1_071, 2_957, 2_400, 5_568, 12, 12},
    };

    static void verify(int stage) {
        TrekShop shop = SHOP;
        SessionStore st = shop.store;
        long end = shop.clock.now;
        int idle = 0, withCart = 0;
        long oldest = 0;
        for (VisitorSession s : st.sessions.values()) {
            if (end - s.lastSeen > IDLE_MINUTES * MINUTE) idle++;
            if (!s.cart.isEmpty()) withCart++;
            oldest = Math.max(oldest, end - s.createdAt);
        }
        int held = 0;
        for (Trek t : shop.treks.values()) held += t.held;
        int heldInCarts = 0;
        for (VisitorSession s : st.sessions.values()) for (CartLine l : s.cart) heldInCarts += l.walkers();
        BufferPool p = shop.pdfBuffers;
        System.out.println("stage " + stage + " hours " + HOURS + " farms " + FARMS_BY_CODE.size() + " trails " + TRAILS_BY_CODE.size() + " llamas " + shop.llamas.size() + " treks " + shop.treks.size()
                + " | sessions created " + st.created + " expired " + st.expired + " sweeps " + st.sweeps + " sessions " + st.sessions.size() + " idle>30m " + idle + " with cart " + withCart + " oldest " + oldest / MINUTE + " min"
                + " | bookings " + shop.bookings + " mails sent " + shop.mailsSent + " backlog " + shop.mailQueue.size() + " tiles " + shop.tiles.size() + " (evicted " + shop.tiles.evicted + ") views " + shop.views
                + " | pool free " + p.free.size() + " borrowed " + p.borrowed + " created " + p.created + " reused " + p.reused + " dropped " + p.dropped + " peak " + p.peakInUse
                + " runs metrics " + shop.metricsRuns + " mail " + shop.mailRuns + " render " + shop.renderRuns + " queued tasks " + shop.housekeeping.scheduler.getQueue().size());
        check(FARMS_BY_CODE.size() == FARMS && TRAILS_BY_CODE.size() == TRAILS && shop.llamas.size() == LLAMAS && shop.treks.size() == TREKS, "reference data / directories");
        check(st.sweeps == HOURS * 12L && shop.metricsRuns == HOURS * 60L && shop.mailRuns == HOURS * 30L, "periodic tasks ran every time");
        check(held == heldInCarts, "holds are the live carts");
        check(st.sessions.size() == st.created - st.expired, "sessions");
        check(p.inUse == 0 && p.free.size() == p.peakInUse && p.created == p.peakInUse && p.borrowed == shop.bookings, "pool reuses its buffers");
        check(shop.housekeeping.scheduler.getQueue().size() == 3, "queued periodic tasks");
        check(shop.recentViews[Math.min((int) shop.views, VIEW_RING) - 1] != null, "view ring");
        check(stage == 1 ? shop.tiles.size() < TILE_CAP && shop.tiles.evicted == 0 : shop.tiles.size() == TILE_CAP && shop.tiles.evicted > 0, "tile cache warms up to its cap");
        long[] e = EXPECTED[stage - 1];
        long[] got = {st.created, st.expired, st.sessions.size(), shop.bookings, shop.tiles.size(), shop.tiles.evicted, p.free.size(), p.created};
        check(java.util.Arrays.equals(e, got), "counts " + java.util.Arrays.toString(got) + " expected " + java.util.Arrays.toString(e));
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        HOURS = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(HOURS);
        verify(stage);
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
