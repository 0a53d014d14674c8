// hprofscan-dump: name=val139-leak-wallpapersamples jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val139-leak-wallpapersamples-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 139 (written blind), LEAK: the sample-ordering and room-visualiser service of a
 * wallpaper brand. Collection reference data, the design directory, a cache of rendered room
 * previews at its cap, a pool of sample-print buffers, a ring of recent sample orders and the
 * franking queue with its normal backlog. Logging goes through a small static logging
 * configuration ({@code Logging.CONFIG}) with a console appender; the in-memory capture appender
 * that the integration tests attach ({@code InMemoryAppender}, a {@code List<LogEvent>}) is also
 * attached in production by the shared configuration, so every INFO / WARN call since start is
 * kept in its list: level, logger name, message template, argument array, thread name, timestamp.
 * Nothing ever clears it. See VALIDATION139.md.
 */
public final class Val139LeakWallpaperSamples {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, FRANK_EVERY = 30 * MINUTE;
    static final int COLLECTIONS = 1_000, DESIGNS = 22_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, REQUESTS_PER_HOUR = 8_400;
    static boolean FIXED;

    static final String[] STYLES = {"damask", "botanical", "geometric", "toile", "stripe", "chinoiserie", "art-deco", "william-morris", "mural", "plain-texture", "grasscloth", "scandi", "tropical", "children"};
    static final String[] ROOMS = {"living-room", "bedroom", "hallway", "dining-room", "kitchen", "bathroom", "nursery", "study", "feature-wall"};

    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }
    record Collection(String code, String name, String style, double[] colourwayPopularity) {}
    record Design(String designCode, String collection, String colourway, int rollPriceP, byte[] colourProfile, long launchedAt) {}
    record RoomPreview(String key, byte[] jpeg, long at) {}
    record SampleOrder(String orderId, String customerEmail, String designCode, int samples, String district, long at) {}
    record Envelope(SampleOrder order, long queuedAt) {}

    /** One logging call that passed the level check. */
    static final class LogEvent {
        final Level level; final String loggerName; final String template; final Object[] args; final String threadName; final long timestamp;
        LogEvent(Level level, String loggerName, String template, Object[] args, String threadName, long timestamp) {
            this.level = level; this.loggerName = loggerName; this.template = template; this.args = args; this.threadName = threadName; this.timestamp = timestamp;
        }
    }
    interface Appender { String name(); void append(LogEvent e); }

    /** Formats each event into a reused line buffer and writes it to stdout (here: counts it). */
    static final class ConsoleAppender implements Appender {
        final StringBuilder line = new StringBuilder(512); long lines, chars;
        public String name() { return "console"; }
        public void append(LogEvent e) {
            line.setLength(0);
            line.append(e.timestamp).append(' ').append(e.level).append(" [").append(e.threadName).append("] ").append(e.loggerName).append(" - ");
            int a = 0; String t = e.template;
            for (int i = 0; i < t.length(); i++) {
                if (t.charAt(i) == '{' && i + 1 < t.length() && t.charAt(i + 1) == '}' && a < e.args.length) { line.append(e.args[a++]); i++; } else line.append(t.charAt(i));
            }
            lines++; chars += line.length();
        }
    }
    /** The integration tests' capture appender: keeps every event for assertions. */
    static final class InMemoryAppender implements Appender {
        final List<LogEvent> events = new ArrayList<>();
        public String name() { return "test-capture"; }
        public void append(LogEvent e) { events.add(e); }
    }
    static final class Logger {
        final String name; final LoggingConfig config;
        Logger(String name, LoggingConfig config) { this.name = name; this.config = config; }
        void debug(long at, String template, Object... args) { config.dispatch(Level.DEBUG, name, template, args, at); }
        void info(long at, String template, Object... args) { config.dispatch(Level.INFO, name, template, args, at); }
        void warn(long at, String template, Object... args) { config.dispatch(Level.WARN, name, template, args, at); }
    }
    static final class LoggingConfig {
        Level rootLevel = Level.INFO;
        final List<Appender> appenders = new ArrayList<>();
        final Map<String, Logger> loggers = new HashMap<>();
        long dispatched, belowLevel;
        Logger getLogger(String name) { return loggers.computeIfAbsent(name, n -> new Logger(n, this)); }
        void dispatch(Level level, String logger, String template, Object[] args, long at) {
            if (level.ordinal() < rootLevel.ordinal()) { belowLevel++; return; }
            dispatched++;
            LogEvent e = new LogEvent(level, logger, template, args, Thread.currentThread().getName(), at);
            for (Appender a : appenders) a.append(e);
        }
    }
    /** The static logging configuration, built once from the shared logging setup. */
    static final class Logging {
        static final LoggingConfig CONFIG = new LoggingConfig();
        static final ConsoleAppender CONSOLE = new ConsoleAppender();
        static final InMemoryAppender CAPTURE = new InMemoryAppender();
        static void configure(boolean attachCapture) {
            CONFIG.appenders.add(CONSOLE);
            if (attachCapture) CONFIG.appenders.add(CAPTURE); // BUG: the tests' capture appender is attached in production too
        }
    }

    static final class PreviewCache extends LinkedHashMap<String, RoomPreview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RoomPreview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final class SampleService {
        final Logger orders = Logging.CONFIG.getLogger("wallpaper.samples.orders");
        final Logger visualiser = Logging.CONFIG.getLogger("wallpaper.visualiser.render");
        final Logger address = Logging.CONFIG.getLogger("wallpaper.samples.address");
        final Logger franking = Logging.CONFIG.getLogger("wallpaper.dispatch.franking");
        final Logger catalogue = Logging.CONFIG.getLogger("wallpaper.catalogue.search");
        final Map<String, Design> designs = new HashMap<>();
        final String[] designCodes = new String[DESIGNS];
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
        final SampleOrder[] recentOrders = new SampleOrder[RING];
        final ArrayDeque<Envelope> frankingQueue = new ArrayDeque<>();
        long requests, sampleOrders, samplesSent, envelopesFranked, previewsRendered, addressRejects, searches, frankRuns;
    }

    static final Map<String, Collection> COLLECTIONS_BY_CODE = new HashMap<>();
    static SampleService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void startup(long now, Random rnd) {
        Logging.configure(!FIXED);
        String[] names = {"Hartwell", "Ashdown", "Marlow", "Kelmscott", "Elderflower", "Orangery", "Fenwick", "Bloomsbury", "Larkspur", "Saltmarsh"};
        for (int c = 0; c < COLLECTIONS; c++) {
            double[] pop = new double[48];
            for (int k = 0; k < pop.length; k++) pop[k] = rnd.nextDouble();
            String code = "COL" + (1_000 + c);
            COLLECTIONS_BY_CODE.put(code, new Collection(code, names[c % names.length] + " " + (c / names.length + 1), STYLES[rnd.nextInt(STYLES.length)], pop));
        }
        SampleService svc = new SampleService();
        SERVICE = svc;
        String[] colourways = {"sage", "ochre", "indigo", "blush", "charcoal", "teal", "mustard", "duck-egg", "terracotta", "gold", "forest", "ivory"};
        for (int i = 0; i < DESIGNS; i++) {
            String col = "COL" + (1_000 + rnd.nextInt(COLLECTIONS));
            String code = "WP-" + col.substring(3) + "-" + (10_000 + i);
            svc.designCodes[i] = code;
            svc.designs.put(code, new Design(code, col, colourways[rnd.nextInt(colourways.length)], 3_500 + rnd.nextInt(12_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.printBuffers.add(new byte[32_768]);
    }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(139_040_001);
        startup(now, rnd);
        SampleService svc = SERVICE;
        Random traffic = new Random(139_040_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        long nextFrank = start + FRANK_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextFrank <= t) { frank(svc, nextFrank); nextFrank += FRANK_EVERY; }
            svc.requests++;
            String design = svc.designCodes[traffic.nextInt(DESIGNS)];
            int roll = traffic.nextInt(100);
            if (roll < 45) {
                String room = ROOMS[traffic.nextInt(ROOMS.length)];
                String key = design + "/" + room;
                svc.visualiser.debug(t, "preview lookup {}", key);
                if (svc.previews.get(key) == null) {
                    byte[] buf = svc.printBuffers.poll();
                    buf[i % buf.length] = (byte) i;
                    svc.printBuffers.add(buf);
                    svc.previews.put(key, new RoomPreview(key, new byte[400 + traffic.nextInt(400)], t));
                    svc.previewsRendered++;
                    svc.visualiser.info(t, "rendered {} preview of {} in {} ms", room, design, 140 + traffic.nextInt(900));
                }
            } else if (roll < 60) {
                svc.searches++;
                String style = STYLES[traffic.nextInt(STYLES.length)];
                svc.catalogue.debug(t, "search style={} page={}", style, 1 + traffic.nextInt(5));
                svc.catalogue.info(t, "search {} returned {} designs", style, 20 + traffic.nextInt(400));
            } else {
                String district = (char) ('A' + traffic.nextInt(26)) + "" + (char) ('A' + traffic.nextInt(26)) + (1 + traffic.nextInt(30));
                String email = "customer" + traffic.nextInt(400_000) + "@example.co.uk";
                if (traffic.nextInt(100) < 4) {
                    svc.addressRejects++;
                    svc.address.warn(t, "postcode {} not recognised for {}; order held", district + " " + (1 + traffic.nextInt(9)) + "ZZ", email);
                    continue;
                }
                int samples = 1 + traffic.nextInt(5);
                SampleOrder o = new SampleOrder("SMP-" + (8_100_000 + svc.sampleOrders), email, design, samples, district, t);
                svc.recentOrders[(int) (svc.sampleOrders++ % RING)] = o;
                svc.samplesSent += samples;
                svc.frankingQueue.addLast(new Envelope(o, t));
                svc.orders.info(t, "sample order {} for {} ({} samples) to {}", o.orderId(), design, samples, district);
            }
        }
        while (nextFrank < end) { frank(svc, nextFrank); nextFrank += FRANK_EVERY; }
    }

    /** The franking machine run: every envelope queued at least 10 minutes before the run goes out. */
    static void frank(SampleService svc, long t) {
        int n = 0;
        while (!svc.frankingQueue.isEmpty() && svc.frankingQueue.peekFirst().queuedAt() <= t - 10 * MINUTE) { svc.frankingQueue.pollFirst(); n++; }
        svc.envelopesFranked += n;
        svc.frankRuns++;
        svc.franking.info(t, "franked {} envelopes (run {})", n, svc.frankRuns);
    }

    static void verify() {
        SampleService svc = SERVICE;
        List<LogEvent> captured = Logging.CAPTURE.events;
        long info = 0, warn = 0, withArgs = 0;
        for (LogEvent e : captured) { if (e.level == Level.INFO) info++; else if (e.level == Level.WARN) warn++; withArgs += e.args.length; }
        System.out.println((FIXED ? "FIXED " : "") + "collections " + COLLECTIONS_BY_CODE.size() + " designs " + svc.designs.size() + " requests " + svc.requests
                + " previews " + svc.previews.size() + " (rendered " + svc.previewsRendered + ", evicted " + svc.previews.evicted + ") searches " + svc.searches + " orders " + svc.sampleOrders
                + " samples " + svc.samplesSent + " rejects " + svc.addressRejects + " franked " + svc.envelopesFranked + " in " + svc.frankRuns + " runs, backlog " + svc.frankingQueue.size()
                + " log: dispatched " + Logging.CONFIG.dispatched + " below level " + Logging.CONFIG.belowLevel + " console " + Logging.CONSOLE.lines + " appenders " + Logging.CONFIG.appenders.size()
                + " captured " + captured.size() + " (info " + info + ", warn " + warn + ", args " + withArgs + ") loggers " + Logging.CONFIG.loggers.size());
        check(COLLECTIONS_BY_CODE.size() == COLLECTIONS && svc.designs.size() == DESIGNS, "reference data / directory");
        check(svc.requests == (long) REQUESTS_PER_HOUR * HOURS && svc.frankRuns == HOURS * 2 - 1, "traffic");
        check(Logging.CONSOLE.lines == Logging.CONFIG.dispatched && Logging.CONFIG.loggers.size() == 5, "console");
        if (FIXED) check(captured.isEmpty() && Logging.CONFIG.appenders.size() == 1, "no capture appender");
        else check(captured.size() == Logging.CONFIG.dispatched && Logging.CONFIG.appenders.size() == 2, "every event captured");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at its cap");
        check(svc.printBuffers.size() == POOL && svc.recentOrders[RING - 1] != null, "pool / ring");
        check(svc.frankingQueue.size() > 0 && svc.frankingQueue.size() < 2_500 && svc.sampleOrders == svc.envelopesFranked + svc.frankingQueue.size(), "franking backlog");
        // the truth table (VALIDATION139.md)
        check(Logging.CONFIG.dispatched == 83_625 && Logging.CONFIG.belowLevel == 50_191 && captured.size() == (FIXED ? 0 : 83_625) && (FIXED || (info == 82_160 && warn == 1_465 && withArgs == 269_186))
                && svc.sampleOrders == 32_344 && svc.frankingQueue.size() == 2_094 && svc.previewsRendered == 37_248, "truth table");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val139.fixed");
        simulate();
        verify();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
