// hprofscan-dump: name=val138-healthy-signwriters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val138-healthy-signwriters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 138 (written blind), HEALTHY: the design and production service of a
 * sign-writing company (shop fascias, van livery, hand-painted and vinyl signs). A large read-only
 * reference table of typeface glyph metrics loaded at startup; the customer directory; a cache of
 * rendered quotes at its cap; a pool of vinyl-cutter plot buffers; a ring of recent orders; an
 * installation queue with its normal backlog. Proof jobs run their panels on ONE shared fixed pool
 * (idle between jobs) and write each proof to a temp file that the job deletes itself in a
 * finally (no deleteOnExit). See VALIDATION138.md.
 */
public final class Val138HealthySignwriters {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int TYPEFACES = 240, GLYPHS = 512, CUSTOMERS = 16_000, QUOTE_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10, JOBS_PER_HOUR = 240, RENDER_THREADS = 3;

    record GlyphMetrics(int codePoint, short advance, short leftBearing, short[] outline) {}
    record Typeface(String name, String foundry, int unitsPerEm, GlyphMetrics[] glyphs) {}
    record Customer(String account, String trade, String town, byte[] notes, long since) {}
    record Quote(String key, byte[] rendered, long at) {}
    record SignOrder(String orderNo, String account, String typeface, String wording, int panels, long at) {}
    record Installation(String orderNo, String address, long bookedAt, long dueAt) {}
    record PanelProof(int panel, long pathUnits, int glyphCount) {}

    static final class QuoteCache extends LinkedHashMap<String, Quote> {
        long evicted;
        QuoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Quote> e) { if (size() > QUOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Typeface> TYPEFACES_BY_NAME = new HashMap<>();
    static final String[] TYPEFACE_NAMES = new String[TYPEFACES];

    static final class SignService {
        final Map<String, Customer> customers = new HashMap<>();
        final String[] accounts = new String[CUSTOMERS];
        final QuoteCache quotes = new QuoteCache();
        final ArrayDeque<byte[]> plotBuffers = new ArrayDeque<>();
        final SignOrder[] recentOrders = new SignOrder[RING];
        final ArrayDeque<Installation> installQueue = new ArrayDeque<>();
        final ExecutorService renderPool;
        final Path spoolDir;
        final AtomicLong tasksRun = new AtomicLong();
        long orders, jobs, tasksSubmitted, tempCreated, tempDeleted, proofBytes, installsDone;

        SignService(Path spoolDir) {
            this.spoolDir = spoolDir;
            AtomicInteger n = new AtomicInteger();
            this.renderPool = Executors.newFixedThreadPool(RENDER_THREADS, r -> {
                Thread t = new Thread(r, "proof-render-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /** A proof job: panels rendered in parallel on the shared pool, the proof spooled to a temp file, uploaded, deleted. */
        void proofJob(SignOrder order, long t) throws Exception {
            jobs++;
            Typeface face = TYPEFACES_BY_NAME.get(order.typeface());
            List<Callable<PanelProof>> tasks = new ArrayList<>();
            int per = Math.max(1, order.wording().length() / order.panels());
            for (int p = 0; p < order.panels(); p++) {
                int panel = p;
                String text = order.wording().substring(Math.min(p * per, order.wording().length()), p == order.panels() - 1 ? order.wording().length() : Math.min((p + 1) * per, order.wording().length()));
                tasks.add(() -> {
                    long units = 0;
                    for (int c = 0; c < text.length(); c++) {
                        GlyphMetrics g = face.glyphs()[text.charAt(c) % GLYPHS];
                        units += g.advance();
                        for (short s : g.outline()) units += Math.abs(s) / 64;
                    }
                    tasksRun.incrementAndGet();
                    return new PanelProof(panel, units, text.length());
                });
            }
            tasksSubmitted += tasks.size();
            long total = 0;
            for (Future<PanelProof> f : renderPool.invokeAll(tasks)) total += f.get().pathUnits();
            Path tmp = spoolDir.resolve("proof-" + order.orderNo() + "-" + face.name().replace(' ', '_') + ".svg");
            try {
                Files.writeString(tmp, "<svg xmlns='http://www.w3.org/2000/svg'><!-- " + order.orderNo() + " " + total + " units --><text>" + order.wording() + "</text></svg>");
                tempCreated++;
                proofBytes += Files.size(tmp); // uploaded to the customer's proof page
            } finally {
                if (Files.deleteIfExists(tmp)) tempDeleted++;
            }
        }
    }

    static SignService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(138_060_001);
        String[] foundries = {"Monotype", "Linotype", "URW", "Bitstream", "H&FJ", "Dalton Maag", "Fontsmith", "Signpainter Guild"};
        for (int f = 0; f < TYPEFACES; f++) {
            GlyphMetrics[] glyphs = new GlyphMetrics[GLYPHS];
            for (int g = 0; g < GLYPHS; g++) {
                short[] outline = new short[24 + rnd.nextInt(25)];
                for (int k = 0; k < outline.length; k++) outline[k] = (short) (rnd.nextInt(4_096) - 2_048);
                glyphs[g] = new GlyphMetrics(g, (short) (300 + rnd.nextInt(900)), (short) rnd.nextInt(120), outline);
            }
            TYPEFACE_NAMES[f] = (f % 3 == 0 ? "Sign Script " : f % 3 == 1 ? "Fascia Sans " : "Gilded Roman ") + (f / 3 + 1);
            TYPEFACES_BY_NAME.put(TYPEFACE_NAMES[f], new Typeface(TYPEFACE_NAMES[f], foundries[f % foundries.length], 2_048, glyphs));
        }
        Path spool = Files.createTempDirectory("signwriters-proofs-");
        SignService svc = new SignService(spool);
        SERVICE = svc;
        String[] trades = {"bakery", "barber", "florist", "plumber", "cafe", "solicitor", "butcher", "garage", "pub", "bookshop"};
        for (int c = 0; c < CUSTOMERS; c++) {
            svc.accounts[c] = "SW" + (60_000 + c * 3);
            svc.customers.put(svc.accounts[c], new Customer(svc.accounts[c], trades[rnd.nextInt(trades.length)], "Town " + rnd.nextInt(400), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.plotBuffers.add(new byte[65_536]);
        Random traffic = new Random(138_060_002);
        String[] words = {"Family", "Butchers", "Est.", "1892", "Fine", "Wines", "& Spirits", "Hair", "Studio", "Plumbing", "Heating", "Gas Safe", "Registered", "Fresh", "Flowers", "Daily", "Coffee", "House",
                "Solicitors", "Garage", "MOT", "Repairs", "Books", "Old", "New", "The", "Red", "Lion", "Free House", "Bakery"};
        int jobs = JOBS_PER_HOUR * HOURS;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            StringBuilder wording = new StringBuilder();
            for (int w = 2 + traffic.nextInt(5); w > 0; w--) wording.append(words[traffic.nextInt(words.length)]).append(' ');
            String orderNo = "SO-" + (880_000 + i);
            SignOrder order = new SignOrder(orderNo, svc.accounts[traffic.nextInt(CUSTOMERS)], TYPEFACE_NAMES[traffic.nextInt(TYPEFACES)], wording.toString().trim(), 2 + traffic.nextInt(5), t);
            svc.recentOrders[(int) (svc.orders++ % RING)] = order;
            svc.proofJob(order, t);
            for (int q = 0; q < 3; q++) { // quotes viewed by enquirers this interval
                String key = "quote-" + traffic.nextInt(4_000);
                if (svc.quotes.get(key) == null) svc.quotes.put(key, new Quote(key, new byte[400 + traffic.nextInt(400)], t));
            }
            byte[] buf = svc.plotBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.plotBuffers.add(buf);
            if (traffic.nextInt(3) == 0) svc.installQueue.addLast(new Installation(orderNo, traffic.nextInt(200) + " High Street", t, t + 90 * MINUTE));
            while (!svc.installQueue.isEmpty() && svc.installQueue.peekFirst().dueAt() <= t) { svc.installQueue.pollFirst(); svc.installsDone++; }
        }
        long leftOver;
        try (var s = Files.list(spool)) { leftOver = s.count(); }
        Files.delete(spool);
        long glyphs = 0;
        for (Typeface f : TYPEFACES_BY_NAME.values()) glyphs += f.glyphs().length;
        System.out.println("typefaces " + TYPEFACES_BY_NAME.size() + " glyphs " + glyphs + " customers " + svc.customers.size() + " orders " + svc.orders + " jobs " + svc.jobs + " tasks " + svc.tasksSubmitted + " run " + svc.tasksRun.get()
                + " temp files " + svc.tempCreated + " created " + svc.tempDeleted + " deleted " + leftOver + " left; proof bytes " + svc.proofBytes + " quotes " + svc.quotes.size() + " (evicted " + svc.quotes.evicted + ") installs "
                + svc.installsDone + " done " + svc.installQueue.size() + " queued");
        check(TYPEFACES_BY_NAME.size() == TYPEFACES && glyphs == (long) TYPEFACES * GLYPHS && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(svc.jobs == jobs && svc.tasksSubmitted == 9_737 && svc.tasksRun.get() == svc.tasksSubmitted, "jobs and tasks on the shared pool");
        check(svc.tempCreated == jobs && svc.tempDeleted == jobs && leftOver == 0, "temp files deleted by the jobs");
        check(svc.quotes.size() == QUOTE_CAP && svc.quotes.evicted > 0 && svc.plotBuffers.size() == POOL && svc.recentOrders[RING - 1] != null, "cache at cap / pool / ring");
        check(renderThreads() == RENDER_THREADS, "one shared pool of " + RENDER_THREADS + " threads");
        check(svc.installQueue.size() == 131, "install backlog " + svc.installQueue.size());
    }

    static int renderThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("proof-render-") && t.isAlive()) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        run();
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
