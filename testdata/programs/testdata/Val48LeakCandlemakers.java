// hprofscan-dump: name=val48-leak-candlemakers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val48-leak-candlemakers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 48 (written blind), LEAK: the web storefront of a hand-poured candle maker.
 * Shipping-zone reference data, the product directory, a cache of rendered product pages at its
 * cap, a pool of image-resize buffers, a ring of recent orders, and an in-process feature-flag
 * client: flag definitions, an outbox of exposure events flushed to the analytics collector every
 * 30 seconds, and a de-duplication set of "flagKey:userId" strings so that each user's exposure to
 * a flag is reported once. The set is never cleared or windowed; visitors come from a customer base
 * of millions, so almost every session adds new keys and the set grows with traffic for as long as
 * the process lives. See VALIDATION48.md.
 */
public final class Val48LeakCandlemakers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, FLUSH_EVERY = 30_000L;
    static final int ZONES = 1_200, PRODUCTS = 22_000, PAGE_CAP = 2_000, POOL = 8, RING = 1_024, FLAGS = 36,
            SESSIONS_PER_HOUR = 1_500, HOURS = 10, CUSTOMER_BASE = 4_000_000;
    static boolean FIXED;

    record ShippingZone(String code, String carrier, double[] rateByWeight) {}
    record Product(String sku, String scent, String vessel, byte[] description, long listedAt) {}
    record RenderedPage(String key, byte[] html, long at) {}
    record Order(String orderId, String userId, String sku, int quantity, int totalCents, long at) {}
    record FlagDefinition(String key, int rolloutPercent, String[] variants, byte[] rules, long updatedAt) {}
    record Exposure(String flagKey, String userId, String variant, long at) {}

    /** In-process feature-flag client. */
    static final class FlagClient {
        final Map<String, FlagDefinition> flags = new HashMap<>();
        final List<Exposure> outbox = new ArrayList<>();
        Set<String> seenExposures = new HashSet<>();
        long evaluations, exposuresSent, duplicatesSuppressed, flushes, windows;
        long windowStart;

        String evaluate(String flagKey, String userId, long at) {
            FlagDefinition f = flags.get(flagKey);
            evaluations++;
            int bucket = Math.floorMod(userId.hashCode() * 31 + flagKey.hashCode(), 100);
            String variant = bucket < f.rolloutPercent() ? f.variants()[1 + bucket % (f.variants().length - 1)] : f.variants()[0];
            if (FIXED && at - windowStart >= HOUR) { // de-duplicate within the hour only
                seenExposures = new HashSet<>();
                windowStart = at - (at - windowStart) % HOUR;
                windows++;
            }
            // BUG: the de-duplication set is never cleared or windowed
            if (seenExposures.add(flagKey + ":" + userId)) {
                outbox.add(new Exposure(flagKey, userId, variant, at));
            } else {
                duplicatesSuppressed++;
            }
            return variant;
        }

        void flush() {
            exposuresSent += outbox.size();
            outbox.clear();
            flushes++;
        }
    }

    static final class PageCache extends LinkedHashMap<String, RenderedPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RenderedPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, ShippingZone> ZONES_BY_CODE = new HashMap<>();

    static final class Storefront {
        final Map<String, Product> products = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> imageBuffers = new ArrayDeque<>();
        final Order[] recentOrders = new Order[RING];
        long orders, sessions, pageViews;
        final FlagClient flags = new FlagClient();
    }

    static Storefront SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val48.fixed");
        int sessions = SESSIONS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(48_020_001);
        String[] carriers = {"Royal Mail", "DPD", "Evri", "UPS", "DHL"};
        for (int z = 0; z < ZONES; z++) {
            double[] rates = new double[64];
            for (int k = 0; k < rates.length; k++) rates[k] = 2.5 + k * 0.4 + rnd.nextDouble();
            String code = "ZN-" + (700 + z);
            ZONES_BY_CODE.put(code, new ShippingZone(code, carriers[z % carriers.length], rates));
        }
        Storefront svc = new Storefront();
        SERVICE = svc;
        String[] scents = {"Fig & Cassis", "Sea Salt", "Oud", "Lavender", "Amber", "Cedar", "Tomato Leaf", "Neroli", "Tobacco", "Pine"};
        String[] vessels = {"tin", "amber jar", "concrete", "ceramic", "travel tin"};
        String[] skus = new String[PRODUCTS];
        for (int p = 0; p < PRODUCTS; p++) {
            skus[p] = "CND-" + (100_000 + p);
            svc.products.put(skus[p], new Product(skus[p], scents[p % scents.length], vessels[p % vessels.length], new byte[150 + rnd.nextInt(150)],
                    now - (long) (1 + rnd.nextInt(1_800)) * 24 * HOUR));
        }
        String[] flagKeys = new String[FLAGS];
        String[] areas = {"checkout", "pdp", "search", "basket", "home", "account"};
        String[] topics = {"express-pay", "gift-wrap-upsell", "scent-quiz", "subscribe-save", "reviews-v2", "bundle-builder"};
        for (int f = 0; f < FLAGS; f++) {
            flagKeys[f] = areas[f % areas.length] + "-" + topics[f / areas.length];
            svc.flags.flags.put(flagKeys[f], new FlagDefinition(flagKeys[f], 10 + rnd.nextInt(80), new String[] {"control", "treatment-a", "treatment-b"},
                    new byte[2_000 + rnd.nextInt(2_000)], now - (long) (1 + rnd.nextInt(90)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.imageBuffers.add(new byte[32_768]);
        Random traffic = new Random(48_020_002);
        svc.flags.windowStart = start;
        long nextFlush = start + FLUSH_EVERY;
        for (int i = 0; i < sessions; i++) {
            long t = start + (end - MINUTE - start) * i / sessions;
            while (nextFlush <= t) { svc.flags.flush(); nextFlush += FLUSH_EVERY; }
            svc.sessions++;
            String userId = "U" + (10_000_000 + traffic.nextInt(CUSTOMER_BASE));
            int views = 2 + traffic.nextInt(4);
            for (int v = 0; v < views; v++) {
                long at = t + v * 10_000L; // a session's page views are 10 s apart
                svc.pageViews++;
                int area = traffic.nextInt(areas.length);
                // each page evaluates the two flags of its area that are live (of the six defined per area)
                svc.flags.evaluate(flagKeys[area], userId, at);
                svc.flags.evaluate(flagKeys[areas.length + area], userId, at);
                String sku = skus[traffic.nextInt(PRODUCTS)];
                String key = "pdp-" + traffic.nextInt(5_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new RenderedPage(key, new byte[500 + traffic.nextInt(500)], at));
                byte[] buf = svc.imageBuffers.poll();
                buf[(int) (svc.pageViews % buf.length)] = (byte) v;
                svc.imageBuffers.add(buf);
                if (v == views - 1 && traffic.nextInt(100) < 12) {
                    svc.recentOrders[(int) (svc.orders % RING)] = new Order("ORD-" + (5_000_000 + svc.orders), userId, sku, 1 + traffic.nextInt(3), 1_800 + traffic.nextInt(6_000), at);
                    svc.orders++;
                }
            }
        }
        FlagClient fc = svc.flags;
        long distinctKept = fc.seenExposures.size();
        System.out.println((FIXED ? "FIXED " : "") + "zones " + ZONES_BY_CODE.size() + " products " + svc.products.size() + " sessions " + svc.sessions + " page views " + svc.pageViews
                + " evaluations " + fc.evaluations + " exposures sent " + fc.exposuresSent + " outbox " + fc.outbox.size() + " suppressed " + fc.duplicatesSuppressed
                + " seen set " + distinctKept + " windows " + fc.windows + " flushes " + fc.flushes + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool "
                + svc.imageBuffers.size() + " orders " + svc.orders);
        check(ZONES_BY_CODE.size() == ZONES && svc.products.size() == PRODUCTS && fc.flags.size() == FLAGS, "reference data / directory");
        check(fc.evaluations == 2 * svc.pageViews && fc.exposuresSent + fc.outbox.size() + fc.duplicatesSuppressed == fc.evaluations, "exposure accounting");
        check(fc.outbox.size() < 200, "outbox flushed: " + fc.outbox.size());
        if (FIXED) check(fc.windows == HOURS - 1 && distinctKept < fc.exposuresSent / 5, "fixed: only the current hour's keys: " + distinctKept);
        else check(distinctKept == fc.exposuresSent + fc.outbox.size(), "every exposure key kept: " + distinctKept);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.imageBuffers.size() == POOL, "pool");
        check(svc.orders > RING && svc.recentOrders[RING - 1] != null, "order ring wrapping");
        LeakCheck.histogram("java.util.HashMap$Node ", "java.util.HashSet ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
