// hprofscan-dump: name=val122-leak-vaccineshipments-1 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val122-leak-vaccineshipments-2 jvm="-Xmx266m" variants=mxbean args="4"
// hprofscan-dump: name=val122-leak-vaccineshipments jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val122-leak-vaccineshipments-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 122 (written blind), LEAK: the cold-chain monitor of a vaccine distributor. Every
 * shipment leaving a regional cold store carries a temperature data logger; dispatching it schedules
 * a LoggerPoll task with scheduleAtFixedRate (every 10 minutes) on the monitor's shared
 * ScheduledThreadPoolExecutor and keeps the ScheduledFuture in the shipment. Delivery takes the
 * shipment out of the in-transit map and writes a delivery record, but never cancels the future: the
 * executor's work queue keeps a task, and through it the whole delivered shipment with its logger
 * image (720 one-minute temperature slots), for every shipment ever dispatched. Ordinary components
 * beside it: cold-store and product reference data, the vaccination-site directory, a label cache at
 * its cap, a pool of print buffers, a ring of delivery records, the excursion-alert backlog and three
 * housekeeping tasks. A growth series: 2 / 4 / 8 hours (the program argument). See VALIDATION122.md.
 */
public final class Val122LeakVaccineShipments {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DEPOTS = 120, PRODUCTS = 400, SITES = 18_000, LABEL_CAP = 1_000, POOL = 8, RING = 8_192, LOGGER_SLOTS = 720,
            DISPATCH_PER_MINUTE = 10, POLL_MINUTES = 10;
    static final String[] VACCINES = {"MMR", "DTaP/IPV/Hib/HepB", "PCV13", "MenB", "Rotavirus", "HPV 9-valent", "Influenza QIV", "Shingles RZV",
            "Hepatitis A", "Hepatitis B", "Typhoid Vi", "Td/IPV", "MenACWY", "BCG", "Varicella", "COVID-19 XBB.1.5", "RSV preF", "Rabies"};
    static boolean FIXED;

    record ColdStore(String code, String region, double[] weeklyThroughput, float[] setpointHistory) {}
    record Product(String gtin, String name, String manufacturer, float[] stabilityBudget, int minC, int maxC) {}
    record Site(String code, String name, String postcode, byte[] deliveryNotes, long registeredAt) {}
    record ShippingLabel(String shipmentId, byte[] zpl, long printedAt) {}
    record DeliveryRecord(String shipmentId, String siteCode, long deliveredAt, float minC, float maxC, int readings) {}
    record ExcursionAlert(String shipmentId, String loggerSerial, float celsius, long raisedAt) {}
    record Delivery(long at, String shipmentId) {}

    /** A shipment in transit with its data logger's memory image. */
    static final class Shipment {
        final String id, depot, site, gtin, loggerSerial;
        final String[] lots;
        final int doses;
        final long dispatchedAt;
        final float[] celsius = new float[LOGGER_SLOTS];
        int readings;
        ScheduledFuture<?> poll;

        Shipment(String id, String depot, String site, String gtin, String loggerSerial, String[] lots, int doses, long dispatchedAt) {
            this.id = id; this.depot = depot; this.site = site; this.gtin = gtin; this.loggerSerial = loggerSerial; this.lots = lots;
            this.doses = doses; this.dispatchedAt = dispatchedAt;
        }
    }

    /** The periodic poll of one shipment's logger (the same code the simulation drives). */
    static final class LoggerPoll implements Runnable {
        final Shipment shipment;
        final ColdChainMonitor monitor;
        LoggerPoll(Shipment shipment, ColdChainMonitor monitor) { this.shipment = shipment; this.monitor = monitor; }
        @Override public void run() { monitor.pollLogger(shipment, System.currentTimeMillis(), null); }
    }

    static final class LabelCache extends LinkedHashMap<String, ShippingLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShippingLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ColdStore> DEPOTS_BY_CODE = new HashMap<>();
    static final Map<String, Product> PRODUCTS_BY_GTIN = new HashMap<>();

    static final class ColdChainMonitor {
        final Map<String, Site> sites = new HashMap<>();
        final Map<String, Shipment> inTransit = new HashMap<>();
        final ScheduledThreadPoolExecutor poller;
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final DeliveryRecord[] deliveries = new DeliveryRecord[RING];
        final ArrayDeque<ExcursionAlert> alerts = new ArrayDeque<>();
        long dispatched, delivered, polls, readings, alertsRaised, alertsAcked;

        ColdChainMonitor() {
            AtomicInteger n = new AtomicInteger();
            poller = new ScheduledThreadPoolExecutor(2, r -> new Thread(r, "logger-poll-" + n.incrementAndGet()));
            poller.setRemoveOnCancelPolicy(true);
        }

        void dispatch(Shipment s, Random r) {
            inTransit.put(s.id, s);
            dispatched++;
            s.poll = poller.scheduleAtFixedRate(new LoggerPoll(s, this), POLL_MINUTES, POLL_MINUTES, TimeUnit.MINUTES);
            byte[] buf = printBuffers.poll();
            buf[(int) (dispatched % buf.length)] = 1;
            printBuffers.add(buf);
            labels.put(s.id, new ShippingLabel(s.id, new byte[400 + r.nextInt(400)], s.dispatchedAt));
        }

        /** Reads the logger's slots since the last poll (one per minute). */
        void pollLogger(Shipment s, long t, Random sensor) {
            polls++;
            int due = (int) Math.min(LOGGER_SLOTS, (t - s.dispatchedAt) / MINUTE);
            while (s.readings < due) {
                float c = 4.6f + (sensor == null ? 0 : (float) sensor.nextGaussian() * 0.9f);
                s.celsius[s.readings++] = c;
                readings++;
                if (c > 8.0f || c < 2.0f) { alerts.addLast(new ExcursionAlert(s.id, s.loggerSerial, c, t)); alertsRaised++; }
            }
        }

        void deliver(String id, long t, Random sensor) {
            Shipment s = inTransit.remove(id);
            if (s == null) return;
            pollLogger(s, t, sensor);
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int i = 0; i < s.readings; i++) { min = Math.min(min, s.celsius[i]); max = Math.max(max, s.celsius[i]); }
            deliveries[(int) (delivered++ % RING)] = new DeliveryRecord(s.id, s.site, t, min, max, s.readings);
            labels.get(s.id);
            if (FIXED) s.poll.cancel(false); // BUG: without the fix the logger poll stays scheduled
        }

        void ackAlertsUpTo(long t) {
            while (!alerts.isEmpty() && alerts.peekFirst().raisedAt() <= t - 20 * MINUTE) { alerts.pollFirst(); alertsAcked++; }
        }
    }

    static ColdChainMonitor SERVICE;
    static int HOURS;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(122_020_001);
        String[] regions = {"North East", "North West", "Yorkshire", "East Midlands", "West Midlands", "East", "London", "South East", "South West", "Wales", "Scotland", "Northern Ireland"};
        String[] depots = new String[DEPOTS];
        for (int d = 0; d < DEPOTS; d++) {
            depots[d] = "CS-" + (char) ('A' + d % 12) + (200 + d);
            double[] weekly = new double[168];
            for (int h = 0; h < weekly.length; h++) weekly[h] = rnd.nextDouble() * 400;
            float[] setpoints = new float[288];
            for (int k = 0; k < setpoints.length; k++) setpoints[k] = 4.5f + rnd.nextFloat();
            DEPOTS_BY_CODE.put(depots[d], new ColdStore(depots[d], regions[d % regions.length], weekly, setpoints));
        }
        String[] gtins = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            gtins[p] = "0" + (5_012_345_000_000L + p * 37L);
            float[] budget = new float[96];
            for (int k = 0; k < budget.length; k++) budget[k] = rnd.nextFloat() * 72;
            PRODUCTS_BY_GTIN.put(gtins[p], new Product(gtins[p], VACCINES[p % VACCINES.length] + " " + (1 + p / VACCINES.length) + "-dose pack",
                    "Mfr " + (p % 23), budget, 2, 8));
        }
        ColdChainMonitor svc = new ColdChainMonitor();
        SERVICE = svc;
        svc.poller.scheduleAtFixedRate(() -> { }, 15, 15, TimeUnit.MINUTES);    // depot setpoint sync
        svc.poller.scheduleWithFixedDelay(() -> { }, 1, 4, TimeUnit.HOURS);      // logger firmware check
        svc.poller.scheduleAtFixedRate(() -> { }, 5, 5, TimeUnit.MINUTES);       // metrics flush
        String[] siteCodes = new String[SITES];
        for (int s = 0; s < SITES; s++) {
            siteCodes[s] = "VS" + (410_000 + s * 3);
            svc.sites.put(siteCodes[s], new Site(siteCodes[s], (s % 3 == 0 ? "Pharmacy " : s % 3 == 1 ? "Surgery " : "Clinic ") + s,
                    (char) ('A' + s % 26) + "" + (char) ('A' + s / 26 % 26) + (1 + s % 20) + " " + (1 + s % 9) + (char) ('A' + s % 23) + (char) ('B' + s % 19),
                    new byte[150 + rnd.nextInt(150)], now - (long) (30 + rnd.nextInt(1_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);

        Random traffic = new Random(122_020_002), sensor = new Random(122_020_003);
        PriorityQueue<Delivery> due = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.shipmentId().compareTo(b.shipmentId()));
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (!due.isEmpty() && due.peek().at() <= t) svc.deliver(due.poll().shipmentId(), t, sensor);
            for (int k = 0; k < DISPATCH_PER_MINUTE; k++) {
                String id = "SHP-" + (7_300_000 + seq++);
                int lotCount = 2 + traffic.nextInt(3);
                String[] lots = new String[lotCount];
                for (int l = 0; l < lotCount; l++) lots[l] = "LOT" + Integer.toString(traffic.nextInt(1 << 24), 36).toUpperCase();
                Shipment s = new Shipment(id, depots[traffic.nextInt(DEPOTS)], siteCodes[traffic.nextInt(SITES)], gtins[traffic.nextInt(PRODUCTS)],
                        "DL-" + Long.toHexString(0x7e000000L + traffic.nextInt(1 << 24)), lots, 10 * (1 + traffic.nextInt(50)), t + k * 6 * SECOND);
                svc.dispatch(s, traffic);
                due.add(new Delivery(s.dispatchedAt + (20 + traffic.nextInt(161)) * MINUTE, id));
            }
            if ((t - start) % (POLL_MINUTES * MINUTE) == 0) {
                for (Delivery d : due.toArray(new Delivery[0])) {
                    Shipment s = svc.inTransit.get(d.shipmentId());
                    if (s != null) svc.pollLogger(s, t, sensor);
                }
            }
            svc.ackAlertsUpTo(t);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) { // the poller's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val122.fixed");
        HOURS = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        simulate();
        report();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void report() {
        ColdChainMonitor svc = SERVICE;
        int queued = svc.poller.getQueue().size();
        int stage = HOURS == 2 ? 0 : HOURS == 4 ? 1 : 2;
        System.out.println((FIXED ? "FIXED " : "") + "hours " + HOURS + " depots " + DEPOTS_BY_CODE.size() + " products " + PRODUCTS_BY_GTIN.size() + " sites " + svc.sites.size()
                + " dispatched " + svc.dispatched + " delivered " + svc.delivered + " in transit " + svc.inTransit.size() + " poller queue " + queued
                + " threads " + svc.poller.getPoolSize() + " polls " + svc.polls + " readings " + svc.readings + " alerts " + svc.alertsRaised + " backlog " + svc.alerts.size()
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.printBuffers.size());
        check(DEPOTS_BY_CODE.size() == DEPOTS && PRODUCTS_BY_GTIN.size() == PRODUCTS && svc.sites.size() == SITES, "reference data / directory");
        check(HOURS == 2 || HOURS == 4 || HOURS == 8, "hours");
        check(svc.dispatched == (long) DISPATCH_PER_MINUTE * 60 * HOURS && svc.dispatched == svc.delivered + svc.inTransit.size(), "shipments");
        check(svc.delivered == EXPECTED_DELIVERED[stage], "delivered " + svc.delivered);
        check(queued == 3 + svc.inTransit.size() + (FIXED ? 0 : svc.delivered), "poller queue " + queued);
        check(svc.poller.getCompletedTaskCount() == 0 && svc.poller.getPoolSize() == 2, "poller idle");
        check(svc.alerts.size() == EXPECTED_ALERT_BACKLOG[stage] && svc.alertsRaised == svc.alertsAcked + svc.alerts.size(), "alerts " + svc.alerts.size());
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted == svc.dispatched - LABEL_CAP, "label cache at cap");
        check(svc.printBuffers.size() == POOL, "print buffer pool");
    }

    static final long[] EXPECTED_DELIVERED = {330, 1_390, 3_770};
    static final int[] EXPECTED_ALERT_BACKLOG = {33, 34, 31};
}
