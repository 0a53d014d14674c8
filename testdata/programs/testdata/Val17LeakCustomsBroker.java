// hprofscan-build: javac --release 17 -nowarn -cp testdata/build/classes -d testdata/build/val17-customs-classes testdata/val17-modules-src/testdata/customs/*.java
// hprofscan-dump: name=val17-leak-customs jvm="-Xmx256m" variants=mxbean args="testdata/build/val17-customs-classes"
// hprofscan-dump: name=val17-leak-customs-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd args="testdata/build/val17-customs-classes"
package testdata;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Validation set 17 (written blind), LEAK: the declaration service of a customs broker. It prices
 * import declarations with four tariff books (EU TARIC, UK, US HTS, Swiss TARES); each book is a
 * module (testdata.customs.TariffBook with its static RateTable, compiled into
 * testdata/build/val17-customs-classes, NOT on the classpath) that is reloaded in a fresh
 * URLClassLoader every 45 minutes when the authority publishes new rates. On every load the module
 * manager subscribes the module's {@code onRatesPublished} callback in the static event bus
 * {@code RateEvents.LISTENERS}; the bug: a reload never unsubscribes the replaced generation, so
 * the bus keeps every old module, hence its loader, its classes and its 1,400-row static rate
 * table. The four current generations are legitimately live. Legitimate beside it: the HS
 * nomenclature (a static map, the biggest structure), the trader directory by EORI, a declaration
 * LRU at its cap, the declarations awaiting clearance and a fixed I/O pool.
 * See testdata/VALIDATION17.md.
 *
 * Usage: Val17LeakCustomsBroker <variant> <outpath> <moduleClassDir>
 */
public final class Val17LeakCustomsBroker {
    static final String[] BOOKS = {"eu-taric", "uk-tariff", "us-hts", "ch-tares"};
    static final int RATE_ROWS = 1_400;
    static final long RELOAD_MINUTES = 45;
    static final long SIM_HOURS = 12;
    static final int HS_CODES = 60_000;
    static final int TRADERS = 25_000;
    static final int LRU_CAP = 3_000;
    static final int DECLARATIONS_PER_HOUR = 500;
    static final int IO_THREADS = 6;
    static final String MODULE_CLASS = "testdata.customs.TariffBook";
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    /** The host interface the tariff-book modules implement (loaded by the application loader). */
    public interface TariffModule {
        void load(String book, int generation, int rows, long seed);
        String book();
        int generation();
        int rows();
        double dutyRate(long hsCode);
        void onRatesPublished(long at);
    }

    /** Static event bus: callbacks run when an authority publishes rates. */
    static final class RateEvents {
        static final List<LongConsumer> LISTENERS = new CopyOnWriteArrayList<>();
        static void subscribe(LongConsumer l) { LISTENERS.add(l); }
        static void unsubscribe(LongConsumer l) { LISTENERS.remove(l); }
        static void publish(long at) { for (LongConsumer l : LISTENERS) l.accept(at); }
    }

    static final class HsCode { final String code; final String description; final int chapter; final String unit;
        HsCode(String code, String description, int chapter, String unit) { this.code = code; this.description = description; this.chapter = chapter; this.unit = unit; } }

    /** Reference data: the harmonised-system nomenclature, loaded at startup. */
    static final class HsNomenclature {
        static final Map<String, HsCode> CODES = new HashMap<>();
        static final List<HsCode> ORDERED = new ArrayList<>();
    }

    static final class Trader { final String eori; final String name; final String address; final int[] authorisations;
        Trader(String eori, String name, String address, int[] authorisations) { this.eori = eori; this.name = name; this.address = address; this.authorisations = authorisations; } }

    static final class DeclItem { final HsCode hs; final String origin; final double customsValue; final double duty;
        DeclItem(HsCode hs, String origin, double customsValue, double duty) { this.hs = hs; this.origin = origin; this.customsValue = customsValue; this.duty = duty; } }

    static final class Declaration { final String lrn; final Trader trader; final String book; final List<DeclItem> items; final byte[] signedXml; final long lodgedAt; final long clearanceDueAt; long clearedAt;
        Declaration(String lrn, Trader trader, String book, List<DeclItem> items, byte[] signedXml, long lodgedAt, long clearanceDueAt) { this.lrn = lrn; this.trader = trader; this.book = book; this.items = items; this.signedXml = signedXml; this.lodgedAt = lodgedAt; this.clearanceDueAt = clearanceDueAt; } }

    static final class DeclarationLru extends LinkedHashMap<String, Declaration> {
        long evicted;
        DeclarationLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Declaration> e) { if (size() > LRU_CAP) { evicted++; return true; } return false; }
    }

    static final class ModuleHandle { final URLClassLoader loader; final TariffModule module; final LongConsumer listener; final long loadedAt;
        ModuleHandle(URLClassLoader loader, TariffModule module, LongConsumer listener, long loadedAt) { this.loader = loader; this.module = module; this.listener = listener; this.loadedAt = loadedAt; } }

    static final class ModuleManager {
        final File dir;
        final boolean fixed;
        final Map<String, ModuleHandle> current = new HashMap<>();
        final List<WeakReference<ClassLoader>> everLoaded = new ArrayList<>(); // bookkeeping for the self-check only
        int loads;
        ModuleManager(File dir, boolean fixed) { this.dir = dir; this.fixed = fixed; }

        void reload(String book, int generation, long at) throws Exception {
            URLClassLoader loader = new URLClassLoader(book + "-gen-" + generation, new URL[] {dir.toURI().toURL()}, Val17LeakCustomsBroker.class.getClassLoader());
            Class<?> impl = Class.forName(MODULE_CLASS, true, loader);
            if (impl.getClassLoader() != loader) throw new IllegalStateException("module class is on the host class path: " + impl.getClassLoader());
            TariffModule m = (TariffModule) impl.getDeclaredConstructor().newInstance();
            m.load(book, generation, RATE_ROWS, 17_000L * generation + book.hashCode());
            LongConsumer listener = m::onRatesPublished;
            RateEvents.subscribe(listener);
            ModuleHandle old = current.put(book, new ModuleHandle(loader, m, listener, at));
            // BUG: the replaced generation stays subscribed (the fixed variant is only for measuring).
            if (old != null && fixed) { RateEvents.unsubscribe(old.listener); old.loader.close(); }
            everLoaded.add(new WeakReference<>(loader));
            loads++;
        }
    }

    static final class BrokerService {
        final Map<String, Trader> traders = new HashMap<>();
        final DeclarationLru recent = new DeclarationLru();
        final Map<String, Declaration> awaitingClearance = new HashMap<>();
        final ModuleManager modules;
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "customs-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long cleared;
        BrokerService(ModuleManager modules) { this.modules = modules; }

        void lodge(Declaration d) { recent.put(d.lrn, d); awaitingClearance.put(d.lrn, d); }
        void clear(Declaration d, long t) { d.clearedAt = t; awaitingClearance.remove(d.lrn); cleared++; }
    }

    static BrokerService BROKER;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Module loaders still reachable after full GCs (a replaced generation may need a few collections). */
    static int liveLoaders(List<WeakReference<ClassLoader>> refs, int expected) throws InterruptedException {
        int live = -1;
        for (int round = 0; round < 30 && live != expected; round++) {
            System.gc();
            Thread.sleep(100);
            live = 0;
            for (WeakReference<ClassLoader> r : refs) if (r.get() != null) live++;
        }
        return live;
    }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val17.fixed"); // only for measuring the leak's share
        File dir = new File(args[2]);
        if (!new File(dir, "testdata/customs/TariffBook.class").isFile()) throw new IllegalStateException("module classes not compiled in " + dir.getAbsolutePath());
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(17_010_001);
        ModuleManager mm = new ModuleManager(dir, fixed);
        BrokerService svc = new BrokerService(mm);
        BROKER = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("customs.office." + i, "GB" + (100_000 + i * 37));
        String[] units = {"kg", "p/st", "l", "m2", "pa"};
        String[] goods = {"Automatic data-processing machines", "Parts of footwear", "Cocoa preparations", "Woven fabrics of cotton", "Bolts and screws", "Electric motors", "Toys and games", "Pharmaceutical products", "Wine of fresh grapes", "Ball bearings"};
        for (int i = 0; i < HS_CODES; i++) {
            int chapter = 1 + (i % 97);
            String code = String.format("%02d%02d.%02d.%02d.%02d", chapter, i / 97 % 100, i % 89, i % 53, i % 10);
            HsCode hs = new HsCode(code, goods[i % goods.length] + ", " + "subheading " + i + " other than those of heading " + (i % 400), chapter, units[i % units.length]);
            HsNomenclature.CODES.put(code, hs);
            HsNomenclature.ORDERED.add(hs);
        }
        Trader[] traders = new Trader[TRADERS];
        for (int i = 0; i < TRADERS; i++) {
            int[] auth = new int[4];
            for (int k = 0; k < 4; k++) auth[k] = rnd.nextInt(1_000);
            traders[i] = new Trader("GB" + (400_000_000_000L + i * 13L), "Importer " + i + " Ltd", (1 + rnd.nextInt(300)) + " Dock Road, Unit " + (1 + rnd.nextInt(60)) + ", Felixstowe IP11 " + (1 + rnd.nextInt(9)) + "XX", auth);
            svc.traders.put(traders[i].eori, traders[i]);
        }
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Events in time order: reloads of each book every 45 minutes (staggered), declarations evenly spread.
        int declarations = (int) (DECLARATIONS_PER_HOUR * SIM_HOURS);
        int[] generation = new int[BOOKS.length];
        long[] nextReload = new long[BOOKS.length];
        for (int b = 0; b < BOOKS.length; b++) nextReload[b] = start; // loaded at startup, then every 45 minutes (staggered by 5)
        PriorityQueue<Declaration> due = new PriorityQueue<>((a, b) -> Long.compare(a.clearanceDueAt, b.clearanceDueAt));
        String[] origins = {"CN", "US", "IN", "TR", "VN", "DE", "BR", "JP"};
        int reloads = 0;
        for (int i = 0; i < declarations; i++) {
            long t = start + (now - start) * i / declarations;
            for (int b = 0; b < BOOKS.length; b++) {
                while (nextReload[b] <= t) {
                    generation[b]++;
                    mm.reload(BOOKS[b], generation[b], nextReload[b]);
                    RateEvents.publish(nextReload[b]);
                    reloads++;
                    nextReload[b] = start + generation[b] * RELOAD_MINUTES * MINUTE + b * 5 * MINUTE;
                }
            }
            while (!due.isEmpty() && due.peek().clearanceDueAt <= t) { Declaration d = due.poll(); svc.clear(d, d.clearanceDueAt); }
            String book = BOOKS[rnd.nextInt(BOOKS.length)];
            TariffModule m = mm.current.get(book).module;
            int n = 1 + rnd.nextInt(8);
            List<DeclItem> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                HsCode hs = HsNomenclature.ORDERED.get(rnd.nextInt(HS_CODES));
                double value = 100 + rnd.nextInt(50_000);
                items.add(new DeclItem(hs, origins[rnd.nextInt(origins.length)], value, value * m.dutyRate(100_000_000L + rnd.nextInt(RATE_ROWS) * 7_919L) / 100));
            }
            byte[] xml = new byte[1_024 + rnd.nextInt(1_024)];
            rnd.nextBytes(xml);
            Declaration d = new Declaration("LRN-" + book + "-" + (5_000_000 + i), traders[rnd.nextInt(TRADERS)], book, items, xml, t, t + (5 + rnd.nextInt(26)) * MINUTE);
            svc.lodge(d);
            due.add(d);
        }
        while (!due.isEmpty() && due.peek().clearanceDueAt <= now) { Declaration d = due.poll(); svc.clear(d, d.clearanceDueAt); }
        int pending = due.size();
        int live = liveLoaders(mm.everLoaded, fixed ? BOOKS.length : reloads);
        System.out.println((fixed ? "FIXED " : "") + "hs codes " + HsNomenclature.CODES.size() + " traders " + svc.traders.size() + " declarations " + declarations + " cleared " + svc.cleared + " awaiting " + svc.awaitingClearance.size() + " lru " + svc.recent.size() + " (evicted " + svc.recent.evicted + ") reloads " + reloads + " current modules " + mm.current.size() + " listeners " + RateEvents.LISTENERS.size() + " live module loaders " + live);
        check(HsNomenclature.CODES.size() == HS_CODES && svc.traders.size() == TRADERS, "reference data");
        check(reloads == mm.loads && reloads == BOOKS.length * 16, "reloads");
        check(mm.current.size() == BOOKS.length, "current modules");
        for (ModuleHandle h : mm.current.values()) check(h.module.rows() == RATE_ROWS && h.module.generation() == 16, "current generation");
        check(RateEvents.LISTENERS.size() == (fixed ? BOOKS.length : reloads), "listeners");
        check(live == (fixed ? BOOKS.length : reloads), "live module loaders");
        check(svc.awaitingClearance.size() == pending && svc.cleared == declarations - pending, "awaiting clearance");
        check(svc.recent.size() == LRU_CAP && svc.recent.evicted == declarations - LRU_CAP, "declaration lru");
        check(svc.io.getPoolSize() == IO_THREADS, "io pool");
        traders = null; due = null;
        LeakCheck.histogram("java.net.URLClassLoader ", "testdata.customs.");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
