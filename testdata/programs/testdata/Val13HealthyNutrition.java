// hprofscan-dump: name=val13-healthy-nutrition jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val13-healthy-nutrition-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 13 (written blind), HEALTHY: the nutrition service of a meal-kit company. It
 * computes the nutrition facts and allergen labels of recipes from a food-composition database
 * (loaded at startup, the biggest structure), caches each recipe's analysis for 2 hours (a TTL
 * cache swept every minute; every recipe comes up every 50 minutes, so it holds nearly all 2,500
 * recipes), keeps the last 10,000 label orders for reprints (a capped history), renders labels with
 * a pool of 24 large image buffers and runs a fixed pool of label renderers. See
 * testdata/VALIDATION13.md.
 */
public final class Val13HealthyNutrition {
    static final int FOODS = 40_000;
    static final int RECIPES = 2_500;
    static final int ORDERS = 36_000;
    static final int HISTORY_CAP = 10_000;
    static final int BUFFERS = 24;
    static final int RENDERERS = 3;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long TTL = 2 * HOUR;

    static NutritionService RUNNING;

    static final class Food {
        final String code; final String name; final String group; final double[] per100g; final String[] allergens; final long publishedAt;
        Food(String code, String name, String group, double[] per100g, String[] allergens, long publishedAt) { this.code = code; this.name = name; this.group = group; this.per100g = per100g; this.allergens = allergens; this.publishedAt = publishedAt; }
    }

    /** Reference data: the food-composition database, loaded at startup. */
    static final class FoodDatabase {
        static final Map<String, Food> BY_CODE = new HashMap<>();
    }

    static final class Recipe { final String recipeId; final String title; final String[] foodCodes; final int[] grams;
        Recipe(String recipeId, String title, String[] foodCodes, int[] grams) { this.recipeId = recipeId; this.title = title; this.foodCodes = foodCodes; this.grams = grams; } }

    static final class Analysis { final String recipeId; final double[] totals; final String allergenLine; final long computedAt; final long expiresAt;
        Analysis(String recipeId, double[] totals, String allergenLine, long computedAt, long expiresAt) { this.recipeId = recipeId; this.totals = totals; this.allergenLine = allergenLine; this.computedAt = computedAt; this.expiresAt = expiresAt; } }

    /** A TTL cache of recipe analyses; the sweeper drops expired entries. */
    static final class AnalysisCache {
        final Map<String, Analysis> byRecipe = new ConcurrentHashMap<>();
        long expired;
        void sweep(long t) {
            for (Iterator<Analysis> it = byRecipe.values().iterator(); it.hasNext();) if (it.next().expiresAt <= t) { it.remove(); expired++; }
        }
    }

    static final class LabelOrder { final String orderId; final String recipeId; final int boxes; final long printedAt; final String printer;
        LabelOrder(String orderId, String recipeId, int boxes, long printedAt, String printer) { this.orderId = orderId; this.recipeId = recipeId; this.boxes = boxes; this.printedAt = printedAt; this.printer = printer; } }

    /** The last label orders, kept for reprints; capped. */
    static final class OrderHistory {
        final ArrayDeque<LabelOrder> recent = new ArrayDeque<>();
        long dropped;
        void add(LabelOrder o) { recent.addLast(o); while (recent.size() > HISTORY_CAP) { recent.removeFirst(); dropped++; } }
    }

    static final class NutritionService {
        final Map<String, Recipe> recipes = new HashMap<>();
        final AnalysisCache cache = new AnalysisCache();
        final OrderHistory history = new OrderHistory();
        final ArrayBlockingQueue<byte[]> labelBuffers = new ArrayBlockingQueue<>(BUFFERS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor renderers = new ThreadPoolExecutor(RENDERERS, RENDERERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "label-render-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        NutritionService() { for (int i = 0; i < BUFFERS; i++) labelBuffers.add(new byte[128 * 1024]); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 12 * HOUR;
        Random rnd = new Random(13_020_001);
        NutritionService svc = new NutritionService();
        RUNNING = svc;
        for (int i = 0; i < 70; i++) svc.config.setProperty("label.layout." + i, "font=" + (8 + i % 4));
        String[] groups = {"vegetables", "fruit", "grains", "dairy", "meat", "fish", "legumes", "spices"};
        String[] allergenNames = {"gluten", "milk", "egg", "nuts", "peanut", "soy", "fish", "celery", "mustard", "sesame"};
        for (int i = 0; i < FOODS; i++) {
            double[] n = new double[32];
            for (int k = 0; k < n.length; k++) n[k] = rnd.nextDouble() * 100;
            String[] al = rnd.nextInt(4) == 0 ? new String[] {allergenNames[rnd.nextInt(allergenNames.length)]} : new String[0];
            String code = "F" + (200_000 + i);
            FoodDatabase.BY_CODE.put(code, new Food(code, "Food item " + i + " (" + groups[i % groups.length] + ", raw)", groups[i % groups.length], n, al, now - DAY * (100 + rnd.nextInt(2_000))));
        }
        for (int i = 0; i < RECIPES; i++) {
            int n = 6 + rnd.nextInt(10);
            String[] fc = new String[n]; int[] g = new int[n];
            for (int k = 0; k < n; k++) { fc[k] = "F" + (200_000 + rnd.nextInt(FOODS)); g[k] = 5 + rnd.nextInt(300); }
            String id = "RC-" + (5_000 + i);
            svc.recipes.put(id, new Recipe(id, "Recipe " + i + " with seasonal vegetables", fc, g));
        }
        CyclicBarrier warm = new CyclicBarrier(RENDERERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RENDERERS; w++) fs.add(svc.renderers.submit(() -> { warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: 36,000 label orders over 12 hours; each needs its recipe's analysis (cached 2 h);
        // the sweeper runs every simulated minute. Recipe of order i: (i * 997) mod 2,500, so every
        // recipe comes up every 2,500 orders (50 minutes).
        Map<String, Long> computedAt = new HashMap<>();
        long lastSweep = start;
        for (int i = 0; i < ORDERS; i++) {
            long t = start + (now - start) * i / ORDERS;
            if (t - lastSweep >= MINUTE) { svc.cache.sweep(t); lastSweep = t; }
            String rid = "RC-" + (5_000 + (int) ((i * 997L) % RECIPES));
            Analysis a = svc.cache.byRecipe.get(rid);
            if (a == null) {
                Recipe r = svc.recipes.get(rid);
                double[] tot = new double[32];
                StringBuilder al = new StringBuilder("Contains: ");
                for (int k = 0; k < r.foodCodes.length; k++) {
                    Food f = FoodDatabase.BY_CODE.get(r.foodCodes[k]);
                    for (int q = 0; q < 32; q++) tot[q] += f.per100g[q] * r.grams[k] / 100.0;
                    for (String s : f.allergens) al.append(s).append(", ");
                }
                a = new Analysis(rid, tot, al.toString(), t, t + TTL);
                svc.cache.byRecipe.put(rid, a);
                computedAt.put(rid, t);
            }
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.labelBuffers.offer(buf);
            svc.history.add(new LabelOrder("LO-" + (7_000_000 + i), rid, 1 + rnd.nextInt(400), t, "printer-" + (i % 12)));
        }
        svc.cache.sweep(now);
        System.out.println("foods " + FoodDatabase.BY_CODE.size() + " recipes " + svc.recipes.size() + " analyses " + svc.cache.byRecipe.size() + " (expired " + svc.cache.expired + ") history " + svc.history.recent.size() + " (dropped " + svc.history.dropped + ") buffers " + svc.labelBuffers.size());
        check(FoodDatabase.BY_CODE.size() == FOODS && svc.recipes.size() == RECIPES, "reference data");
        int fresh = 0;
        for (long c : computedAt.values()) if (c + TTL > now) fresh++;
        check(svc.cache.byRecipe.size() == fresh && fresh >= RECIPES - 5 && svc.cache.expired > 0, "analysis cache");
        for (Analysis a : svc.cache.byRecipe.values()) check(a.expiresAt > now, "ttl");
        check(svc.history.recent.size() == HISTORY_CAP && svc.history.dropped == ORDERS - HISTORY_CAP, "history");
        check(svc.labelBuffers.size() == BUFFERS && svc.renderers.getPoolSize() == RENDERERS, "buffers/pool");
        computedAt = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
