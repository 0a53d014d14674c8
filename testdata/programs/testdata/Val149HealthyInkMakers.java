// hprofscan-dump: name=val149-healthy-inkmakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val149-healthy-inkmakers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 149 (written blind), HEALTHY: the batch-mixing service of a fountain-pen ink
 * maker. Pigment reference data, the directory of colour recipes, a cache of rendered safety data
 * sheets at its cap, a pool of spectrometer parsers that tracks borrowed parsers in a set and
 * releases them in finally (also on the validation-failure path), an ArrayList-backed ring of the
 * latest mixing events that stays at its capacity, and a bounded queue of recent rejects.
 * See VALIDATION149.md.
 */
public final class Val149HealthyInkMakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PIGMENTS = 1_400, RECIPES = 26_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, REJECTS = 256, HOURS = 10, MIXES_PER_HOUR = 5_000;

    record Pigment(String code, String family, double[] absorbance) {}
    record Recipe(String recipeId, String pigmentCode, String name, byte[] formulation, long createdAt) {}
    record SafetySheet(String key, byte[] rendered, long at) {}
    record Reject(String recipeId, String reason, long at) {}

    static final class MixEvent {
        final String recipeId;
        final int litres;
        final double deltaE;
        final long at;
        MixEvent(String recipeId, int litres, double deltaE, long at) { this.recipeId = recipeId; this.litres = litres; this.deltaE = deltaE; this.at = at; }
    }

    static final class SpectrumValidationException extends Exception {
        SpectrumValidationException(String m) { super(m, null, false, false); }
    }

    static final class SpectrometerParser {
        final int id;
        final byte[] scratch = new byte[4_096];
        final double[] bands = new double[64];
        int uses;
        SpectrometerParser(int id) { this.id = id; }
        double parse(byte[] frame, int seq) {
            uses++;
            System.arraycopy(frame, 0, scratch, 0, frame.length);
            bands[seq & 63] = (frame[0] & 0xff) / 255.0;
            return bands[seq & 63] * 4;
        }
    }

    static final class ParserPool {
        final ArrayDeque<SpectrometerParser> idle = new ArrayDeque<>();
        final Set<SpectrometerParser> borrowed = new HashSet<>();
        long created, borrows, releases;
        SpectrometerParser borrow() {
            SpectrometerParser p = idle.poll();
            if (p == null) p = new SpectrometerParser((int) ++created);
            borrowed.add(p);
            borrows++;
            return p;
        }
        void release(SpectrometerParser p) { if (borrowed.remove(p)) { idle.push(p); releases++; } }
    }

    /** ArrayList-backed ring of the latest mixing events, trimmed to its capacity. */
    static final class MixRing {
        final ArrayList<MixEvent> items = new ArrayList<>();
        final int capacity;
        long written, trimmed;
        MixRing(int capacity) { this.capacity = capacity; }
        void add(MixEvent e) {
            items.add(e);
            written++;
            int oldest = items.size() - capacity;
            if (oldest > 0) { items.subList(0, oldest).clear(); trimmed += oldest; }
        }
    }

    static final class SheetCache extends LinkedHashMap<String, SafetySheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SafetySheet> e) { if (size() > SHEET_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Pigment> PIGMENTS_BY_CODE = new HashMap<>();

    static final class MixingService {
        final Map<String, Recipe> recipes = new HashMap<>();
        final SheetCache sheets = new SheetCache();
        final ParserPool parsers = new ParserPool();
        final MixRing mixes = new MixRing(RING);
        final ArrayDeque<Reject> rejects = new ArrayDeque<>();
        long rejected;

        void mix(String recipeId, byte[] frame, int seq, boolean valid, int litres, long t) throws SpectrumValidationException {
            SpectrometerParser p = parsers.borrow();
            try {
                double deltaE = p.parse(frame, seq);
                if (!valid) throw new SpectrumValidationException("spectrum out of tolerance for " + recipeId);
                mixes.add(new MixEvent(recipeId, litres, deltaE, t));
            } finally {
                parsers.release(p);
            }
        }
    }

    static MixingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int mixes = MIXES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(149_060_001);
        String[] pigmentCodes = new String[PIGMENTS];
        String[] families = {"Iron gall", "Dye", "Pigment", "Shimmer", "Sheening"};
        for (int p = 0; p < PIGMENTS; p++) {
            double[] a = new double[64];
            for (int k = 0; k < a.length; k++) a[k] = rnd.nextDouble();
            String code = "PG-" + (10_000 + p);
            pigmentCodes[p] = code;
            PIGMENTS_BY_CODE.put(code, new Pigment(code, families[p % families.length], a));
        }
        MixingService svc = new MixingService();
        SERVICE = svc;
        String[] recipeIds = new String[RECIPES];
        for (int r = 0; r < RECIPES; r++) {
            String id = "RC" + (5_500_000 + r);
            recipeIds[r] = id;
            svc.recipes.put(id, new Recipe(id, pigmentCodes[rnd.nextInt(PIGMENTS)], "Colour " + r, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_650)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.parsers.idle.add(new SpectrometerParser((int) ++svc.parsers.created));
        Random traffic = new Random(149_060_002);
        byte[] frame = new byte[1_024];
        int failures = 0;
        for (int i = 0; i < mixes; i++) {
            long t = start + (end - MINUTE - start) * i / mixes;
            String recipe = recipeIds[traffic.nextInt(RECIPES)];
            boolean valid = traffic.nextInt(100) >= 4;
            traffic.nextBytes(frame);
            try {
                svc.mix(recipe, frame, i, valid, 5 + traffic.nextInt(200), t);
            } catch (SpectrumValidationException e) {
                failures++;
                svc.rejected++;
                svc.rejects.addLast(new Reject(recipe, "DELTA_E", t));
                if (svc.rejects.size() > REJECTS) svc.rejects.pollFirst();
            }
            if (i % 2 == 0) {
                String key = "sds-" + traffic.nextInt(6_000);
                if (svc.sheets.get(key) == null) svc.sheets.put(key, new SafetySheet(key, new byte[600 + traffic.nextInt(600)], t));
            }
        }
        ParserPool pool = svc.parsers;
        MixRing ring = svc.mixes;
        System.out.println("pigments " + PIGMENTS_BY_CODE.size() + " recipes " + svc.recipes.size() + " mixes " + mixes + " rejected " + failures + " borrowed " + pool.borrowed.size()
                + " idle " + pool.idle.size() + " created " + pool.created + " releases " + pool.releases + " ring " + ring.items.size() + " written " + ring.written
                + " rejects " + svc.rejects.size() + " sheets " + svc.sheets.size() + " (evicted " + svc.sheets.evicted + ")");
        check(PIGMENTS_BY_CODE.size() == PIGMENTS && svc.recipes.size() == RECIPES, "reference data / directory");
        check(pool.borrowed.isEmpty() && pool.created == POOL && pool.idle.size() == POOL && pool.releases == mixes, "pool releases in finally");
        check(failures > 1_000 && ring.written == mixes - failures && ring.items.size() == RING, "ring at capacity");
        check(svc.rejects.size() == REJECTS, "rejects bounded");
        check(svc.sheets.size() == SHEET_CAP && svc.sheets.evicted > 0, "safety-sheet cache at cap");
        svc = null; pool = null; ring = null; recipeIds = null; pigmentCodes = null; frame = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
