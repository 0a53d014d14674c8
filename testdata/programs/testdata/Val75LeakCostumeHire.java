// hprofscan-dump: name=val75-leak-costumehire jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val75-leak-costumehire-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Validation set 75 (written blind), LEAK: the fitting service of a theatre costume hire
 * company. Rendered fitting sheets (a costume altered to one performer's measurements) are kept in
 * a hand-written LRU (LinkedHashMap with accessOrder) whose removeEldestEntry compares against a
 * capacity read from configuration. The key "cache.fittings.max-entries" was never set, so the
 * capacity is 0, which an extra check treats as "eviction disabled": the cache never evicts and
 * keeps every sheet ever rendered. The quote cache next to it is configured (1,500) and evicts.
 * Beside them: theatre reference data, the costume directory, a pool of pattern buffers and a ring
 * of returns. See VALIDATION75.md.
 */
public final class Val75LeakCostumeHire {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int THEATRES = 1_000, COSTUMES = 26_000, PERFORMERS = 30_000, POOL = 8, RETURN_RING = 4_096, HOURS = 10, FITTINGS = 16_000;
    static boolean FIXED;

    record Theatre(String code, String name, double[] stageDimensions) {}
    record Costume(String sku, String production, String size, byte[] careNotes, long acquiredAt) {}
    record FittingSheet(String costumeSku, String performerId, byte[] rendered, long renderedAt) {}
    record HireQuote(String key, byte[] rendered, long at) {}
    record CostumeReturn(String sku, String theatre, int damagePoints, long at) {}

    /** Hand-written LRU; capacity from configuration, 0 or less means "no eviction". */
    static final class ConfiguredLru<K, V> extends LinkedHashMap<K, V> {
        final String name;
        final int capacity;
        long evicted;
        ConfiguredLru(String name, int capacity) { super(1_024, 0.75f, true); this.name = name; this.capacity = capacity; }
        @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            if (capacity <= 0) return false; // "0 = eviction disabled"
            if (size() > capacity) { evicted++; return true; }
            return false;
        }
    }

    static final class AppConfig {
        final Properties props = new Properties();
        int getInt(String key, int dflt) { String v = props.getProperty(key); return v == null ? dflt : Integer.parseInt(v.trim()); }
    }

    static final Map<String, Theatre> THEATRES_BY_CODE = new HashMap<>();

    static final class FittingService {
        final AppConfig config;
        final Map<String, Costume> costumes = new HashMap<>();
        final ConfiguredLru<String, FittingSheet> fittingSheets;
        final ConfiguredLru<String, HireQuote> quotes;
        final ArrayDeque<byte[]> patternBuffers = new ArrayDeque<>();
        final CostumeReturn[] returns = new CostumeReturn[RETURN_RING];
        long returnsWritten, renders, hits;
        FittingService(AppConfig config) {
            this.config = config;
            // BUG: "cache.fittings.max-entries" is missing from the deployed configuration -> 0 -> never evicts
            this.fittingSheets = new ConfiguredLru<>("fitting-sheets", config.getInt("cache.fittings.max-entries", 0));
            this.quotes = new ConfiguredLru<>("hire-quotes", config.getInt("cache.quotes.max-entries", 0));
        }
    }

    static FittingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val75.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(75_030_001);
        String[] theatreCodes = new String[THEATRES];
        for (int th = 0; th < THEATRES; th++) {
            double[] dims = new double[80];
            for (int k = 0; k < dims.length; k++) dims[k] = rnd.nextDouble() * 20;
            theatreCodes[th] = "TH-" + (1_000 + th);
            THEATRES_BY_CODE.put(theatreCodes[th], new Theatre(theatreCodes[th], "Playhouse " + th, dims));
        }
        AppConfig config = new AppConfig();
        config.props.setProperty("cache.quotes.max-entries", "1500");
        config.props.setProperty("pattern.buffers", "8");
        if (FIXED) config.props.setProperty("cache.fittings.max-entries", "2000"); // the fix: the key is set
        FittingService svc = new FittingService(config);
        SERVICE = svc;
        String[] skus = new String[COSTUMES];
        String[] sizes = {"XS", "S", "M", "L", "XL", "XXL"};
        for (int c = 0; c < COSTUMES; c++) {
            skus[c] = "COS-" + (600_000 + c);
            svc.costumes.put(skus[c], new Costume(skus[c], "Production " + (c % 700), sizes[c % sizes.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        int pool = config.getInt("pattern.buffers", 4);
        for (int b = 0; b < pool; b++) svc.patternBuffers.add(new byte[65_536]);
        Random traffic = new Random(75_030_002);
        for (int i = 0; i < FITTINGS; i++) {
            long t = start + (end - MINUTE - start) * i / FITTINGS;
            String sku = skus[traffic.nextInt(COSTUMES)];
            String performer = "PF-" + (10_000 + traffic.nextInt(PERFORMERS));
            int sheetSize = 300 + traffic.nextInt(300);
            String key = sku + "/" + performer;
            FittingSheet sheet = svc.fittingSheets.get(key);
            if (sheet == null) { sheet = new FittingSheet(sku, performer, new byte[sheetSize], t); svc.fittingSheets.put(key, sheet); svc.renders++; }
            else svc.hits++;
            String qkey = "quote-" + traffic.nextInt(4_000);
            if (svc.quotes.get(qkey) == null) svc.quotes.put(qkey, new HireQuote(qkey, new byte[400 + traffic.nextInt(400)], t));
            if (i % 2 == 0) svc.returns[(int) (svc.returnsWritten++ % RETURN_RING)] = new CostumeReturn(sku, theatreCodes[traffic.nextInt(THEATRES)], traffic.nextInt(10), t);
            byte[] buf = svc.patternBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.patternBuffers.add(buf);
        }
        System.out.println((FIXED ? "FIXED " : "") + "theatres " + THEATRES_BY_CODE.size() + " costumes " + svc.costumes.size() + " fittingSheets " + svc.fittingSheets.size() + " (capacity " + svc.fittingSheets.capacity
                + ", renders " + svc.renders + ", hits " + svc.hits + ", evicted " + svc.fittingSheets.evicted + ") quotes " + svc.quotes.size() + " (capacity " + svc.quotes.capacity + ", evicted " + svc.quotes.evicted + ") pool " + svc.patternBuffers.size() + " returns " + svc.returnsWritten);
        check(THEATRES_BY_CODE.size() == THEATRES && svc.costumes.size() == COSTUMES, "reference data / directory");
        if (FIXED) check(svc.fittingSheets.size() == 2_000 && svc.fittingSheets.evicted == svc.renders - 2_000, "fitting cache at cap");
        else check(svc.fittingSheets.capacity == 0 && svc.fittingSheets.size() == svc.renders && svc.fittingSheets.evicted == 0, "fitting cache never evicts: " + svc.fittingSheets.size());
        check(svc.quotes.size() == 1_500 && svc.quotes.evicted > 0, "quote cache at cap");
        check(svc.patternBuffers.size() == POOL, "pool");
        check(svc.returnsWritten == FITTINGS / 2 && svc.returns[RETURN_RING - 1] != null, "return ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
