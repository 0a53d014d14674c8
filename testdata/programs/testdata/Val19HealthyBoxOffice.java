// hprofscan-dump: name=val19-healthy-boxoffice-1 jvm="-Xmx256m" variants=mxbean args="1"
// hprofscan-dump: name=val19-healthy-boxoffice-2 jvm="-Xmx256m" variants=mxbean args="2"
// hprofscan-dump: name=val19-healthy-boxoffice jvm="-Xmx256m" variants=mxbean args="3"
// hprofscan-dump: name=val19-healthy-boxoffice-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Validation set 19 (written blind), HEALTHY: the box office of a theatre group with 140 venues.
 * Look-alikes of leak shapes, all legitimate: 200 JMX MBeans, one per configured reseller
 * endpoint, registered once at startup on the platform MBeanServer; a persistence session per
 * booking request, closed at the end of the request; a large fixed HTTP pool with a per-thread
 * scratch buffer. Also: the venue seat maps and the customer directory (reference data), the
 * performance calendar, the seat-map render cache at its cap, the sales ring (full, wrapping) and
 * a ticket renderer pool. Series: stage 1 after 1 h (warming), stage 2 after 4 h, stage 3 after
 * 8 h (flat). See testdata/VALIDATION19.md.
 */
public final class Val19HealthyBoxOffice {
    static final int ENDPOINTS = 200;
    static final int VENUES = 140;
    static final int SEATS_PER_VENUE = 1_200;
    static final int PERFORMANCES = 3_000;
    static final int CUSTOMERS = 60_000;
    static final int RENDER_CAP = 2_500;
    static final int RING = 16_384;
    static final int RENDERERS = 48;
    static final int HTTP_THREADS = 32;
    static final int VIEWS_PER_HOUR = 2_000;
    static final int SALES_PER_HOUR = 5_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final String DOMAIN = "com.stagedoor.boxoffice";

    static BoxOffice BOX_OFFICE;

    public interface ResellerEndpointMBean {
        String getUrl();
        long getRequests();
        long getErrors();
        double getMeanLatencyMillis();
    }

    /** One configured reseller endpoint; exposed as an MBean for the operations team. */
    public static final class ResellerEndpoint implements ResellerEndpointMBean {
        final String name; final String url; final long configuredAt; final long[] latencyPerMinute = new long[60]; final int[] statusCounts = new int[16];
        long requests, errors, latencyTotal;
        ResellerEndpoint(String name, String url, long configuredAt) { this.name = name; this.url = url; this.configuredAt = configuredAt; }
        @Override public String getUrl() { return url; }
        @Override public long getRequests() { return requests; }
        @Override public long getErrors() { return errors; }
        @Override public double getMeanLatencyMillis() { return requests == 0 ? 0 : latencyTotal / (double) requests; }
    }

    static final class Seat { final String row; final int number; final int priceBand; final float x, y;
        Seat(String row, int number, int priceBand, float x, float y) { this.row = row; this.number = number; this.priceBand = priceBand; this.x = x; this.y = y; } }
    static final class Venue { final int id; final String name; final String city; final Seat[] seats;
        Venue(int id, String name, String city, Seat[] seats) { this.id = id; this.name = name; this.city = city; this.seats = seats; } }

    /** Reference data: venues and their seat maps. */
    static final class VenueCatalog { static final Map<Integer, Venue> BY_ID = new HashMap<>(); }

    static final class Customer { final long id; final String name; final String email; final String postcode; final long memberSince; final int[] favouriteGenres;
        Customer(long id, String name, String email, String postcode, long memberSince, int[] favouriteGenres) { this.id = id; this.name = name; this.email = email; this.postcode = postcode; this.memberSince = memberSince; this.favouriteGenres = favouriteGenres; } }
    static final class Performance { final long id; final String title; final Venue venue; final long startsAt; final BitSet sold; final long[] bandPriceCents;
        Performance(long id, String title, Venue venue, long startsAt, long[] bandPriceCents) { this.id = id; this.title = title; this.venue = venue; this.startsAt = startsAt; this.sold = new BitSet(venue.seats.length); this.bandPriceCents = bandPriceCents; } }
    static final class SaleRecord { final long orderId; final long customerId; final long performanceId; final int seats; final long totalCents; final long soldAt; final String channel;
        SaleRecord(long orderId, long customerId, long performanceId, int seats, long totalCents, long soldAt, String channel) { this.orderId = orderId; this.customerId = customerId; this.performanceId = performanceId; this.seats = seats; this.totalCents = totalCents; this.soldAt = soldAt; this.channel = channel; } }
    static final class TicketRenderer { final byte[] template = new byte[16 * 1024]; long rendered; }

    /** A request-scoped unit of work (opened and closed per booking). */
    static final class OrmSession {
        final Map<Object, Object> identityMap = new HashMap<>();
        final List<Object> inserts = new ArrayList<>();
        final OrmSessionFactory factory;
        OrmSession(OrmSessionFactory factory) { this.factory = factory; }
        void persist(Object key, Object e) { identityMap.put(key, e); inserts.add(e); }
        void close() { factory.flushed += inserts.size(); inserts.clear(); identityMap.clear(); factory.open.remove(this); }
    }
    static final class OrmSessionFactory {
        final Set<OrmSession> open = ConcurrentHashMap.newKeySet();
        long opened, flushed;
        OrmSession openSession() { OrmSession s = new OrmSession(this); open.add(s); opened++; return s; }
    }

    static final class RenderCache extends LinkedHashMap<Long, byte[]> {
        long evicted;
        RenderCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { if (size() > RENDER_CAP) { evicted++; return true; } return false; }
    }

    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    static final class BoxOffice {
        final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        final Map<String, ResellerEndpoint> endpoints = new LinkedHashMap<>();
        final Map<Long, Customer> customers = new HashMap<>();
        final Map<Long, Performance> performances = new HashMap<>();
        final RenderCache seatMaps = new RenderCache();
        final SaleRecord[] sales = new SaleRecord[RING];
        final ArrayBlockingQueue<TicketRenderer> renderers = new ArrayBlockingQueue<>(RENDERERS);
        final OrmSessionFactory orm = new OrmSessionFactory();
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "boxoffice-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long salesWritten, renders;

        byte[] seatMap(Performance p, Random rnd) {
            byte[] m = seatMaps.get(p.id);
            if (m == null) { renders++; m = new byte[1_024 + rnd.nextInt(1_024)]; m[0] = (byte) p.id; seatMaps.put(p.id, m); }
            return m;
        }

        void sell(Customer c, Performance p, String channel, long t, Random rnd) {
            OrmSession s = orm.openSession();
            TicketRenderer r = renderers.poll();
            try {
                int seats = 1 + rnd.nextInt(4);
                long total = 0;
                for (int k = 0; k < seats; k++) { int seat = rnd.nextInt(p.venue.seats.length); p.sold.set(seat); total += p.bandPriceCents[p.venue.seats[seat].priceBand]; }
                SaleRecord sale = new SaleRecord(60_000_000L + salesWritten, c.id, p.id, seats, total, t, channel);
                s.persist(sale.orderId, sale);
                s.persist(p.id, p);
                sales[(int) (salesWritten++ % RING)] = sale;
                if (r != null) r.rendered++;
                ResellerEndpoint ep = endpoints.get(channel);
                if (ep != null) { ep.requests++; long lat = 20 + rnd.nextInt(400); ep.latencyTotal += lat; ep.latencyPerMinute[(int) ((t / MINUTE) % 60)] = lat; ep.statusCounts[rnd.nextInt(50) == 0 ? 5 : 2]++; }
            } finally {
                if (r != null) renderers.add(r);
                s.close();
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(19_050_001);
        BoxOffice bo = new BoxOffice();
        BOX_OFFICE = bo;
        for (int i = 0; i < 40; i++) bo.config.setProperty("boxoffice.fee.channel" + i, Integer.toString(150 + 25 * (i % 8)));
        for (int e = 0; e < ENDPOINTS; e++) {
            String name = String.format("reseller-%03d", e);
            ResellerEndpoint ep = new ResellerEndpoint(name, "https://api.reseller" + e + ".example/v2/theatre/stagedoor/orders", start - 30 * 24 * HOUR);
            bo.mbeans.registerMBean(ep, new ObjectName(DOMAIN + ":type=ResellerEndpoint,name=" + name));
            bo.endpoints.put(name, ep);
        }
        String[] rows = new String[30];
        for (int r = 0; r < rows.length; r++) rows[r] = r < 26 ? String.valueOf((char) ('A' + r)) : "A" + (char) ('A' + r - 26);
        for (int v = 0; v < VENUES; v++) {
            Seat[] seats = new Seat[SEATS_PER_VENUE];
            for (int s = 0; s < seats.length; s++) seats[s] = new Seat(rows[s / 40], 1 + s % 40, (s / 40) % 6, (s % 40) * 0.55f, (s / 40) * 0.9f);
            VenueCatalog.BY_ID.put(v, new Venue(v, "Theatre " + v, "City " + (v % 35), seats));
        }
        for (int i = 0; i < CUSTOMERS; i++) {
            long id = 4_000_000L + i;
            int[] genres = new int[8];
            for (int k = 0; k < genres.length; k++) genres[k] = rnd.nextInt(40);
            bo.customers.put(id, new Customer(id, "Customer " + i, "patron" + i + "@mail" + (i % 90) + ".example", "PC" + (10 + i % 89) + " " + (i % 9) + "XY", start - (long) (rnd.nextDouble() * 3_000 * 24 * HOUR), genres));
        }
        for (int p = 0; p < PERFORMANCES; p++) {
            long[] bands = new long[6];
            for (int k = 0; k < bands.length; k++) bands[k] = 2_500 + 1_000L * (6 - k) + rnd.nextInt(500);
            long id = 700_000L + p;
            bo.performances.put(id, new Performance(id, "Production " + (p % 250) + ": evening performance", VenueCatalog.BY_ID.get(p % VENUES), now + (1 + p % 90) * 24 * HOUR, bands));
        }
        for (int i = 0; i < RENDERERS; i++) bo.renderers.add(new TicketRenderer());
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(bo.http.submit(() -> { ready.await(); SCRATCH.get()[0] = 1; return null; }));
        for (Future<?> f : warm) f.get();

        int views = (int) (VIEWS_PER_HOUR * hours);
        int salesCount = (int) (SALES_PER_HOUR * hours);
        int v = 0;
        for (int i = 0; i < salesCount; i++) {
            long t = start + (now - start) * i / salesCount;
            while (v < (long) views * (i + 1) / salesCount) { bo.seatMap(bo.performances.get(700_000L + rnd.nextInt(PERFORMANCES)), rnd); v++; }
            String channel = rnd.nextInt(3) == 0 ? "web" : String.format("reseller-%03d", rnd.nextInt(ENDPOINTS));
            bo.sell(bo.customers.get(4_000_000L + rnd.nextInt(CUSTOMERS)), bo.performances.get(700_000L + rnd.nextInt(PERFORMANCES)), channel, t, rnd);
        }
        int registered = bo.mbeans.queryNames(new ObjectName(DOMAIN + ":*"), null).size();
        long endpointRequests = 0;
        for (ResellerEndpoint ep : bo.endpoints.values()) endpointRequests += ep.requests;
        int ringFilled = 0;
        for (SaleRecord s : bo.sales) if (s != null) ringFilled++;
        System.out.println("stage " + stage + " endpoints " + bo.endpoints.size() + " mbeans " + registered + " (reseller requests " + endpointRequests + ") venues " + VenueCatalog.BY_ID.size() + " customers " + bo.customers.size() + " performances " + bo.performances.size() + " sales " + bo.salesWritten + " (ring " + ringFilled + ") seat maps " + bo.seatMaps.size() + " (renders " + bo.renders + ", evicted " + bo.seatMaps.evicted + ") orm sessions opened " + bo.orm.opened + " open " + bo.orm.open.size() + " renderers idle " + bo.renderers.size());
        check(VenueCatalog.BY_ID.size() == VENUES && bo.customers.size() == CUSTOMERS && bo.performances.size() == PERFORMANCES, "reference data");
        check(registered == ENDPOINTS && bo.endpoints.size() == ENDPOINTS, "endpoint mbeans");
        check(bo.salesWritten == salesCount && ringFilled == Math.min(salesCount, RING), "sales ring");
        check(bo.seatMaps.size() == Math.min(RENDER_CAP, bo.renders) && bo.seatMaps.evicted == bo.renders - bo.seatMaps.size(), "seat map cache");
        if (stage >= 2) check(bo.seatMaps.size() == RENDER_CAP && ringFilled == RING, "warm from stage 2");
        check(bo.orm.opened == salesCount && bo.orm.open.isEmpty(), "orm sessions closed");
        check(bo.renderers.size() == RENDERERS && bo.http.getPoolSize() == HTTP_THREADS, "pools");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
