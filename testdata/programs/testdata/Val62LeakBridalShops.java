// hprofscan-dump: name=val62-leak-bridalshops jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val62-leak-bridalshops-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 62 (written blind), LEAK: the order service of a chain of bridal boutiques
 * (gown orders, alterations, fittings). Boutique reference data, the gown catalogue, a cache of
 * rendered fitting schedules at its cap, a pool of invoice-render buffers, a ring of recent order
 * events, and an in-house logging framework whose static registry (LoggerRegistry.LOGGERS) keeps
 * every logger ever asked for by name. The order workflow asks for an audit logger named
 * "audit." + order id, so each order gets its own logger with its own handler and formatter buffer,
 * and none is ever removed: the registry grows with every order ever placed. See VALIDATION62.md.
 */
public final class Val62LeakBridalShops {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int BOUTIQUES = 1_000, GOWNS = 24_000, FITTING_CAP = 2_000, POOL = 8, RING = 16_384, HOURS = 10, ORDERS = 11_000;
    static boolean FIXED;

    record Boutique(String code, String city, double[] fittingSlotsByHalfHour) {}
    record Gown(String sku, String designer, String silhouette, byte[] measurementsChart, long listedAt) {}
    record FittingSchedule(String key, byte[] rendered, long at) {}
    record OrderEvent(String orderId, String kind, String boutique, long at) {}

    /** Formats one record into its own reusable buffer. */
    static final class AuditFormatter {
        final StringBuilder buffer = new StringBuilder(512);
        String format(String loggerName, String msg, long at) {
            buffer.setLength(0);
            buffer.append(at).append(' ').append(loggerName).append(" - ").append(msg);
            return buffer.toString();
        }
    }

    /** Ships formatted lines to the shared audit sink (a ring of the last lines, sent to the archive). */
    static final class AuditHandler {
        final String target;
        final AuditFormatter formatter = new AuditFormatter();
        long written;
        AuditHandler(String target) { this.target = target; }
        void publish(String loggerName, String msg, long at) { AUDIT_SINK.write(formatter.format(loggerName, msg, at)); written++; }
    }

    static final class AuditLogger {
        final String name; final long createdAt; final AuditHandler handler;
        int level = 800; long records;
        AuditLogger(String name, long createdAt) { this.name = name; this.createdAt = createdAt; this.handler = new AuditHandler("archive://audit/" + name); }
        void info(String msg, long at) { records++; handler.publish(name, msg, at); }
    }

    /** The logging framework's registry: getLogger(name) creates on first use and keeps it forever. */
    static final class LoggerRegistry {
        static final Map<String, AuditLogger> LOGGERS = new ConcurrentHashMap<>();
        static AuditLogger getLogger(String name, long at) { return LOGGERS.computeIfAbsent(name, n -> new AuditLogger(n, at)); }
    }

    static final class AuditSink {
        final String[] lines = new String[4_096];
        long written;
        void write(String line) { lines[(int) (written++ % lines.length)] = line; }
    }

    static final AuditSink AUDIT_SINK = new AuditSink();

    static final class FittingCache extends LinkedHashMap<String, FittingSchedule> {
        long evicted;
        FittingCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, FittingSchedule> e) { if (size() > FITTING_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Boutique> BOUTIQUES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Gown> gowns = new HashMap<>();
        final FittingCache fittings = new FittingCache();
        final ArrayDeque<byte[]> invoiceBuffers = new ArrayDeque<>();
        final OrderEvent[] recent = new OrderEvent[RING];
        long eventsWritten;
        void record(String orderId, String kind, String boutique, long at) {
            recent[(int) (eventsWritten++ % RING)] = new OrderEvent(orderId, kind, boutique, at);
            AuditLogger audit = FIXED ? LoggerRegistry.getLogger("audit.orders", at) // the fix: one audit logger, order id in the message
                    : LoggerRegistry.getLogger("audit." + orderId, at); // BUG: one logger per order, kept forever
            audit.info("order=" + orderId + " " + kind + " at " + boutique, at);
        }
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val62.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        String[] components = {"checkout", "alterations", "fittings", "payments", "catalogue", "shipping", "returns", "inventory", "notifications", "pricing", "loyalty", "http"};
        for (String c : components) LoggerRegistry.getLogger("bridal." + c, start);
        Random rnd = new Random(62_030_001);
        String[] boutiqueCodes = new String[BOUTIQUES];
        for (int b = 0; b < BOUTIQUES; b++) {
            double[] slots = new double[96];
            for (int k = 0; k < slots.length; k++) slots[k] = rnd.nextDouble();
            boutiqueCodes[b] = "BTQ-" + (700 + b);
            BOUTIQUES_BY_CODE.put(boutiqueCodes[b], new Boutique(boutiqueCodes[b], "City " + (b % 220), slots));
        }
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] silhouettes = {"A-line", "Ball gown", "Mermaid", "Sheath", "Empire", "Tea-length"};
        String[] skus = new String[GOWNS];
        for (int g = 0; g < GOWNS; g++) {
            skus[g] = "GWN-" + (210_000 + g);
            svc.gowns.put(skus[g], new Gown(skus[g], "Designer " + (g % 140), silhouettes[g % silhouettes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.invoiceBuffers.add(new byte[65_536]);
        Random traffic = new Random(62_030_002);
        String[] followUps = {"DEPOSIT_PAID", "FITTING_BOOKED", "ALTERATION_REQUESTED", "READY_FOR_PICKUP"};
        for (int o = 0; o < ORDERS; o++) {
            long t = start + (end - MINUTE - start) * o / ORDERS;
            String orderId = "BO-" + (5_000_000 + o);
            String boutique = boutiqueCodes[traffic.nextInt(BOUTIQUES)];
            svc.record(orderId, "PLACED", boutique, t);
            int steps = traffic.nextInt(followUps.length + 1);
            for (int s = 0; s < steps; s++) svc.record(orderId, followUps[s], boutique, t + (s + 1) * 10_000L);
            String key = "fit-" + boutique + "-" + traffic.nextInt(5);
            if (svc.fittings.get(key) == null) svc.fittings.put(key, new FittingSchedule(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.invoiceBuffers.poll();
            buf[o % buf.length] = (byte) o;
            svc.invoiceBuffers.add(buf);
        }
        int perOrder = 0;
        for (String n : LoggerRegistry.LOGGERS.keySet()) if (n.startsWith("audit.BO-")) perOrder++;
        System.out.println((FIXED ? "FIXED " : "") + "boutiques " + BOUTIQUES_BY_CODE.size() + " gowns " + svc.gowns.size() + " orders " + ORDERS + " order events " + svc.eventsWritten + " loggers " + LoggerRegistry.LOGGERS.size() + " (per order " + perOrder + ") audit lines " + AUDIT_SINK.written
                + " fittings " + svc.fittings.size() + " (evicted " + svc.fittings.evicted + ") pool " + svc.invoiceBuffers.size());
        check(BOUTIQUES_BY_CODE.size() == BOUTIQUES && svc.gowns.size() == GOWNS, "reference data / directory");
        if (FIXED) check(LoggerRegistry.LOGGERS.size() == components.length + 1 && perOrder == 0, "one shared audit logger");
        else check(LoggerRegistry.LOGGERS.size() == components.length + ORDERS && perOrder == ORDERS, "a logger per order: " + perOrder);
        check(AUDIT_SINK.written == svc.eventsWritten && svc.eventsWritten > RING, "audit sink / ring");
        check(svc.fittings.size() == FITTING_CAP && svc.fittings.evicted > 0, "fitting cache at cap");
        check(svc.invoiceBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
