// hprofscan-dump: name=val115-healthy-kombuchabrewers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val115-healthy-kombuchabrewers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val115-healthy-kombuchabrewers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val115-healthy-kombuchabrewers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Validation set 115 (written blind), HEALTHY (growth series that warms up and plateaus): the
 * production and web-shop service of a kombucha brewery. Tea and culture reference data, the
 * fermentation-batch directory, a label-artwork LRU (below its cap in stage 1, at it from stage 2),
 * a pool of bottling-line buffers, a constant tank-schedule matrix (one double[300,000]), a ring of fermenter sensor readings (filling in stage 1, wrapping
 * from stage 2), the courier dispatch backlog, and look-alikes of the set's leaks done right:
 * fermentation-model plugins reloaded in fresh class loaders whose reading codecs are forgotten when
 * a generation is unloaded (the old loader is released); a web-shop session store keyed by UUID
 * strings whose sweeper drops sessions idle for 30 minutes; lab-result imports on one shared,
 * bounded two-thread pool started at boot; commands to the fermenter PLC gateway in a pending table
 * whose entries time out after 30 s (1 in 12 is never answered). Stage 1/2/3 simulate 1/4/8 hours.
 * See VALIDATION115.md.
 */
public final class Val115HealthyKombuchaBrewers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TEAS = 900, BATCHES = 20_000, LABEL_CAP = 2_000, POOL = 8, RING = 16_384, READINGS_PER_MINUTE = 100, LABELS_PER_MINUTE = 15,
            SESSIONS_PER_MINUTE = 20, PLC_COMMANDS_PER_MINUTE = 60, IMPORT_EVERY_MINUTES = 15, RELOAD_EVERY_MINUTES = 45, DISPATCH_LAG_MINUTES = 15;
    static final long IDLE_TIMEOUT = 30 * MINUTE, PLC_TIMEOUT = 30 * SECOND;
    static final String PLUGIN_PREFIX = "testdata.Val115KombuchaPlugin";
    static final String[] MODELS = {"carbonation", "acidity", "residual-sugar"};
    static final String[] FLAVOURS = {"ginger & lemon", "raspberry", "passion fruit", "elderflower", "hibiscus", "turmeric", "original", "yerba mate"};

    /** Host API of the fermentation-model plugins. */
    public interface FermentationModel {
        void configure(String model, int generation, long seed);
        Object predict(String batch, double ph, double brix, double tempC, long at);
    }

    record Tea(String code, String name, double[] extractionByMinute) {}
    record Batch(String batchNo, String tea, String flavour, int litres, byte[] labRecord, long brewedAt) {}
    record Reading(String batchNo, double ph, double brix, double tempC, long at) {}
    record LabelArt(String key, byte[] artwork, long renderedAt) {}
    record Dispatch(String orderNo, String postcode, int bottles, long at) {}
    record LabResult(String batchNo, double abv, double ph, boolean pass) {}

    static final Map<String, Tea> TEAS_BY_CODE = new HashMap<>();

    static final class BundleLoader extends ClassLoader {
        final Map<String, byte[]> classBytes = new HashMap<>();
        BundleLoader(Path dir, String name) throws IOException {
            super(name, Val115HealthyKombuchaBrewers.class.getClassLoader());
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    String n = dir.relativize(f).toString().replace('/', '.');
                    classBytes.put(n.substring(0, n.length() - 6), Files.readAllBytes(f));
                }
            }
        }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && classBytes.containsKey(name)) { byte[] b = classBytes.get(name); c = defineClass(name, b, 0, b.length); }
                if (c == null) return super.loadClass(name, resolve);
                return c;
            }
        }
    }

    /** Writes model predictions into the batch log as JSON; one codec per prediction class. */
    static final class BatchLogJson {
        record Codec(Class<?> type, Method[] accessors, String[] names) {}
        static final Map<Class<?>, Codec> CODECS = new ConcurrentHashMap<>();
        static long encoded;
        static String encode(Object o) throws Exception {
            Codec c = CODECS.computeIfAbsent(o.getClass(), type -> {
                RecordComponent[] rc = type.getRecordComponents();
                Method[] acc = new Method[rc.length];
                String[] names = new String[rc.length];
                for (int i = 0; i < rc.length; i++) { acc[i] = rc[i].getAccessor(); acc[i].setAccessible(true); names[i] = rc[i].getName(); }
                return new Codec(type, acc, names);
            });
            StringBuilder sb = new StringBuilder(128).append('{');
            for (int i = 0; i < c.accessors().length; i++) sb.append(i > 0 ? "," : "").append('"').append(c.names()[i]).append("\":").append(c.accessors()[i].invoke(o));
            encoded++;
            return sb.append('}').toString();
        }
        /** Called when a plugin generation is unloaded. */
        static void forget(ClassLoader loader) { CODECS.keySet().removeIf(k -> k.getClassLoader() == loader); }
    }

    static final class ModelHost {
        final Path bundles;
        final Map<String, BundleLoader> loaders = new HashMap<>();
        final Map<String, FermentationModel> models = new HashMap<>();
        final Map<String, Integer> generations = new HashMap<>();
        long loads, unloads;
        ModelHost(Path bundles) { this.bundles = bundles; }
        void load(String model) throws Exception {
            int gen = generations.merge(model, 1, Integer::sum);
            BundleLoader loader = new BundleLoader(bundles, "model-" + model + "-g" + gen);
            Constructor<?> ctor = loader.loadClass(PLUGIN_PREFIX + "Model").getDeclaredConstructor();
            ctor.setAccessible(true);
            FermentationModel m = (FermentationModel) ctor.newInstance();
            m.configure(model, gen, 115_050_100L + loads);
            BundleLoader old = loaders.put(model, loader);
            models.put(model, m);
            loads++;
            if (old != null) { BatchLogJson.forget(old); unloads++; }
        }
    }

    static final class WebSession {
        final String id;
        final long createdAt;
        long lastAccessedAt;
        final Map<String, Object> attributes = new HashMap<>();
        WebSession(String id, long now) { this.id = id; this.createdAt = now; this.lastAccessedAt = now; }
    }

    static final class SessionStore {
        final Map<String, WebSession> sessions = new ConcurrentHashMap<>();
        long created, expired;
        void sweep(long now) {
            for (Iterator<WebSession> it = sessions.values().iterator(); it.hasNext(); ) if (now - it.next().lastAccessedAt >= IDLE_TIMEOUT) { it.remove(); expired++; }
        }
    }

    static final class PlcCommand {
        final String id, fermenter;
        final byte[] frame;
        final long sentAt;
        final CompletableFuture<int[]> reply = new CompletableFuture<>();
        PlcCommand(String id, String fermenter, byte[] frame, long sentAt) { this.id = id; this.fermenter = fermenter; this.frame = frame; this.sentAt = sentAt; }
    }

    static final class PlcGateway {
        final Map<String, PlcCommand> pending = new ConcurrentHashMap<>();
        long sent, answered, timedOut, seq;
        PlcCommand send(String fermenter, byte[] frame, long t) { PlcCommand c = new PlcCommand("PLC-" + (seq++), fermenter, frame, t); pending.put(c.id, c); sent++; return c; }
        void onReply(String id, int[] registers) { PlcCommand c = pending.remove(id); if (c != null) { answered++; c.reply.complete(registers); } }
        void expire(long now) {
            for (Iterator<PlcCommand> it = pending.values().iterator(); it.hasNext(); ) {
                PlcCommand c = it.next();
                if (now - c.sentAt >= PLC_TIMEOUT) { it.remove(); timedOut++; c.reply.completeExceptionally(new TimeoutException(c.id)); }
            }
        }
    }

    static final class LabelCache extends LinkedHashMap<String, LabelArt> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LabelArt> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final class BreweryService {
        final Map<String, Batch> batches = new HashMap<>();
        final String[] batchNos = new String[BATCHES];
        final ModelHost host;
        final SessionStore shop = new SessionStore();
        final PlcGateway plc = new PlcGateway();
        final ThreadPoolExecutor labImports;
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> bottlingBuffers = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        final ArrayDeque<Dispatch> dispatchQueue = new ArrayDeque<>();
        final ArrayDeque<String> batchLog = new ArrayDeque<>();
        /** Tank schedule: 200 tanks x 1,500 quarter-hour slots of planned temperature; constant. */
        final double[] tankSchedule = new double[300_000];
        long readingCount, labelRequests, orders, dispatched, imports, labResults, pageViews;

        BreweryService(ModelHost host) {
            this.host = host;
            AtomicInteger n = new AtomicInteger();
            labImports = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32), r -> new Thread(r, "lab-import-" + n.incrementAndGet()));
            labImports.prestartAllCoreThreads();
        }

        void reading(Random r, long t) throws Exception {
            String batchNo = batchNos[r.nextInt(BATCHES)];
            Reading rd = new Reading(batchNo, 2.6 + r.nextDouble() * 1.2, 4 + r.nextDouble() * 6, 20 + r.nextDouble() * 6, t);
            readings[(int) (readingCount++ % RING)] = rd;
            if (readingCount % 10 == 0) {
                Object prediction = host.models.get(MODELS[r.nextInt(MODELS.length)]).predict(batchNo, rd.ph(), rd.brix(), rd.tempC(), t);
                batchLog.addLast(BatchLogJson.encode(prediction));
                if (batchLog.size() > 512) batchLog.removeFirst();
            }
        }

        void label(Random r, long t) {
            labelRequests++;
            String key = FLAVOURS[r.nextInt(FLAVOURS.length)] + "/" + batchNos[r.nextInt(BATCHES)] + "/" + (r.nextBoolean() ? "330ml" : "750ml");
            if (labels.get(key) == null) {
                labels.put(key, new LabelArt(key, new byte[500 + r.nextInt(500)], t));
                byte[] buf = bottlingBuffers.poll();
                buf[(int) (t % buf.length)] = 1;
                bottlingBuffers.add(buf);
            }
        }

        void page(WebSession s, Random r, long t) {
            pageViews++;
            s.lastAccessedAt = t;
            if (r.nextInt(4) == 0) s.attributes.put("basket", new byte[150 + r.nextInt(350)]);
            if (r.nextInt(25) == 0) {
                dispatchQueue.addLast(new Dispatch("KO" + (5_000_000 + orders++), "BS" + (1 + r.nextInt(40)) + " " + r.nextInt(10) + "QX", 6 + r.nextInt(18), t));
                s.attributes.remove("basket");
            }
        }

        /** Lab results (CSV) parsed on the shared pool; the job's data goes to the task as an argument. */
        void importLabResults(Random r, long t) throws Exception {
            byte[] csv = new byte[20_000 + r.nextInt(20_000)];
            r.nextBytes(csv);
            List<Future<List<LabResult>>> parts = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int from = k * csv.length / 4, to = (k + 1) * csv.length / 4;
                parts.add(labImports.submit(() -> parseLab(csv, from, to)));
            }
            for (Future<List<LabResult>> f : parts) labResults += f.get().size();
            imports++;
        }

        List<LabResult> parseLab(byte[] csv, int from, int to) {
            List<LabResult> out = new ArrayList<>();
            for (int i = from; i + 2 < to; i += 80) out.add(new LabResult(batchNos[(csv[i] & 0xFF) * 77 % BATCHES], (csv[i + 1] & 0x3F) / 10.0, 2.5 + (csv[i + 2] & 0x0F) / 10.0, csv[i] != 0));
            return out;
        }

        void dispatch(long t) { while (!dispatchQueue.isEmpty() && dispatchQueue.peekFirst().at() <= t - DISPATCH_LAG_MINUTES * MINUTE) { dispatchQueue.pollFirst(); dispatched++; } }
    }

    record Visit(long at, String sessionId, int remaining) {}
    record PlcReply(long at, String id) {}

    static BreweryService SERVICE;
    static long SIM_END;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static Path writeBundle() throws IOException {
        Path root = Files.createTempDirectory("val115-kombucha-models");
        Path pkg = root.resolve("testdata");
        Files.createDirectories(pkg);
        for (String cls : new String[] {PLUGIN_PREFIX + "Model", PLUGIN_PREFIX + "Model$Prediction"}) {
            try (InputStream in = Val115HealthyKombuchaBrewers.class.getClassLoader().getResourceAsStream(cls.replace('.', '/') + ".class")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                Files.write(pkg.resolve(cls.substring("testdata.".length()) + ".class"), out.toByteArray());
            }
        }
        return root;
    }

    static String sessionId(Random r) {
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString();
    }

    static void simulate(int hours) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        SIM_END = end;
        Random rnd = new Random(115_050_001);
        for (int k = 0; k < TEAS; k++) {
            double[] ex = new double[48];
            for (int j = 0; j < ex.length; j++) ex[j] = rnd.nextDouble();
            String code = "TEA-" + (300 + k);
            TEAS_BY_CODE.put(code, new Tea(code, (k % 3 == 0 ? "Sencha " : k % 3 == 1 ? "Assam " : "Oolong ") + k, ex));
        }
        Path bundle = writeBundle();
        ModelHost host = new ModelHost(bundle);
        BreweryService svc = new BreweryService(host);
        SERVICE = svc;
        for (int b = 0; b < BATCHES; b++) {
            svc.batchNos[b] = "KB" + (24_000_000 + b * 13);
            svc.batches.put(svc.batchNos[b], new Batch(svc.batchNos[b], "TEA-" + (300 + rnd.nextInt(TEAS)), FLAVOURS[rnd.nextInt(FLAVOURS.length)], 200 + rnd.nextInt(1_800),
                    new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(60)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.bottlingBuffers.add(new byte[32_768]);
        for (int k = 0; k < svc.tankSchedule.length; k++) svc.tankSchedule[k] = 18 + (k % 97) / 10.0;
        for (String m : MODELS) host.load(m);

        Random sensors = new Random(115_050_002), shop = new Random(115_050_003), labs = new Random(115_050_004), plcLink = new Random(115_050_005), ops = new Random(115_050_006);
        PriorityQueue<Visit> visits = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.sessionId().compareTo(b.sessionId()));
        PriorityQueue<PlcReply> replies = new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : a.id().compareTo(b.id()));
        int minutes = hours * 60;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            if (m > 0 && m % RELOAD_EVERY_MINUTES == 0) host.load(MODELS[ops.nextInt(MODELS.length)]);
            for (int k = 0; k < READINGS_PER_MINUTE; k++) svc.reading(sensors, t + k * 600L);
            for (int k = 0; k < LABELS_PER_MINUTE; k++) svc.label(ops, t + k * 4 * SECOND);
            for (int k = 0; k < SESSIONS_PER_MINUTE; k++) {
                long at = t + shop.nextInt(60) * SECOND;
                WebSession s = new WebSession(sessionId(shop), at);
                svc.shop.sessions.put(s.id, s);
                svc.shop.created++;
                svc.page(s, shop, at);
                int views = 1 + shop.nextInt(15);
                if (views > 1) visits.add(new Visit(at + (20 + shop.nextInt(300)) * SECOND, s.id, views - 1));
            }
            for (int k = 0; k < PLC_COMMANDS_PER_MINUTE; k++) {
                long at = t + k * SECOND;
                while (!replies.isEmpty() && replies.peek().at() <= at) { PlcReply rp = replies.poll(); svc.plc.onReply(rp.id(), new int[16]); }
                PlcCommand c = svc.plc.send(svc.batchNos[plcLink.nextInt(BATCHES)], new byte[200 + plcLink.nextInt(300)], at);
                if (plcLink.nextInt(12) != 0) replies.add(new PlcReply(at + 100 + plcLink.nextInt(1_900), c.id));
                if (k % 10 == 9) svc.plc.expire(at);
            }
            long minuteEnd = t + MINUTE;
            while (!visits.isEmpty() && visits.peek().at() < minuteEnd) {
                Visit v = visits.poll();
                WebSession s = svc.shop.sessions.get(v.sessionId());
                if (s == null) continue;
                svc.page(s, shop, v.at());
                if (v.remaining() > 1) visits.add(new Visit(v.at() + (20 + shop.nextInt(300)) * SECOND, v.sessionId(), v.remaining() - 1));
            }
            if (m % IMPORT_EVERY_MINUTES == 7) svc.importLabResults(labs, t);
            svc.shop.sweep(minuteEnd);
            svc.dispatch(minuteEnd);
        }
        Files.walk(bundle).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    /**
     * Waits until the JIT compilers are idle (nothing being compiled, both queues empty, three
     * checks in a row): a compilation in progress keeps the classes it looks at (an unloaded plugin
     * generation among them) alive through the next GC, and the heap dump would show them.
     */
    static void waitForCompilerIdle() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName dcmd = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int i = 0, idle = 0; i < 600 && idle < 3; i++) {
            String queue = (String) server.invoke(dcmd, "compilerQueue", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            idle = queue.replaceAll("\\s+", "").endsWith("Currentcompiles:C1compilequeue:EmptyC2compilequeue:Empty") ? idle + 1 : 0;
            Thread.sleep(100);
        }
    }

    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith(prefix)) n++;
        return n;
    }

    public static void main(String[] args) {
        try {
            int stage = Integer.parseInt(args[2]);
            int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
            simulate(hours);
            report(stage, hours);
            waitForCompilerIdle();
            LeakCheck.histogram();
            System.gc();
            DumpUtil.dump(args[0], args[1]);
            System.out.println("dumped " + args[1]);
            System.exit(0);
        } catch (Throwable t) { // the pool's threads would keep a failed JVM alive
            t.printStackTrace();
            System.exit(1);
        }
    }

    static void report(int stage, int hours) {
        BreweryService svc = SERVICE;
        int minutes = hours * 60;
        int idle = 0;
        for (WebSession s : svc.shop.sessions.values()) if (SIM_END - s.lastAccessedAt >= IDLE_TIMEOUT) idle++;
        int stale = 0;
        for (Class<?> c : BatchLogJson.CODECS.keySet()) if (!svc.host.loaders.containsValue(c.getClassLoader())) stale++;
        System.out.println("stage " + stage + " teas " + TEAS_BY_CODE.size() + " batches " + svc.batches.size() + " readings " + svc.readingCount + " predictions " + BatchLogJson.encoded
                + " codecs " + BatchLogJson.CODECS.size() + " (stale " + stale + ") model loads " + svc.host.loads + " unloads " + svc.host.unloads + " labels " + svc.labels.size()
                + " (evicted " + svc.labels.evicted + ", requests " + svc.labelRequests + ") sessions " + svc.shop.sessions.size() + " (created " + svc.shop.created + ", expired "
                + svc.shop.expired + ", idle " + idle + ") page views " + svc.pageViews + " orders " + svc.orders + " dispatch backlog " + svc.dispatchQueue.size() + " plc sent " + svc.plc.sent
                + " answered " + svc.plc.answered + " timed out " + svc.plc.timedOut + " pending " + svc.plc.pending.size() + " lab imports " + svc.imports + " (results " + svc.labResults
                + ") pool threads " + liveThreads("lab-import-") + " buffers " + svc.bottlingBuffers.size());
        check(TEAS_BY_CODE.size() == TEAS && svc.batches.size() == BATCHES, "reference data / directory");
        check(svc.readingCount == (long) READINGS_PER_MINUTE * minutes && svc.readings[(int) Math.min(RING, svc.readingCount) - 1] != null, "readings");
        check(stage == 1 ? svc.readingCount < RING : svc.readingCount > RING, "ring warm-up");
        check(svc.host.loaders.size() == MODELS.length && BatchLogJson.CODECS.size() == MODELS.length && stale == 0 && svc.host.unloads == (minutes - 1) / RELOAD_EVERY_MINUTES, "model plugins");
        check(stage == 1 ? svc.labels.evicted == 0 && svc.labels.size() < LABEL_CAP : svc.labels.size() == LABEL_CAP, "label cache warm-up");
        check(idle == 0 && svc.shop.created == (long) SESSIONS_PER_MINUTE * minutes && svc.shop.created == svc.shop.sessions.size() + svc.shop.expired && svc.shop.sessions.size() < 1_400, "sessions");
        check(svc.plc.sent == (long) PLC_COMMANDS_PER_MINUTE * minutes && svc.plc.sent == svc.plc.answered + svc.plc.timedOut + svc.plc.pending.size() && svc.plc.pending.size() < 16, "plc gateway");
        check(liveThreads("lab-import-") == 2 && svc.labImports.getQueue().isEmpty() && svc.imports == (minutes + 7) / IMPORT_EVERY_MINUTES, "shared import pool");
        check(svc.bottlingBuffers.size() == POOL && svc.dispatchQueue.size() > 0 && svc.dispatched + svc.dispatchQueue.size() == svc.orders, "pool / dispatch backlog");
    }
}

/** Fermentation-model plugin (loaded only by the model host's bundle loaders). */
final class Val115KombuchaPluginModel implements Val115HealthyKombuchaBrewers.FermentationModel {
    static final double[][] RESPONSE = new double[8][];
    static String model;
    static int generation;

    record Prediction(String model, int generation, String batch, double value, long at) {}

    @Override public void configure(String m, int gen, long seed) {
        model = m;
        generation = gen;
        java.util.Random r = new java.util.Random(seed);
        for (int k = 0; k < RESPONSE.length; k++) {
            RESPONSE[k] = new double[1_024];
            for (int j = 0; j < 1_024; j++) RESPONSE[k][j] = r.nextDouble();
        }
    }

    @Override public Object predict(String batch, double ph, double brix, double tempC, long at) {
        double v = RESPONSE[(int) tempC % RESPONSE.length][(int) (brix * 100) % 1_024] * ph;
        return new Prediction(model, generation, batch, v, at);
    }
}
