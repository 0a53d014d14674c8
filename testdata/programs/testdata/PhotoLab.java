// hprofscan-dump: name=photo-lab jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=photo-lab-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=photo-lab-leak-budget jvm="-Xmx200m" variants=mxbean args="leak-budget"
// hprofscan-dump: name=photo-lab-leak-budget-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak-budget"
// hprofscan-dump: name=photo-lab-leak-weak jvm="-Xmx200m" variants=mxbean args="leak-weak"
// hprofscan-dump: name=photo-lab-leak-weak-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="leak-weak"
package testdata;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The order service of an online photo printing lab, 8 simulated hours of 900 orders an hour.
 * Components: the archive of past orders (12,000, completed 40 days to 6 years before now,
 * loaded at startup), an LRU of 1,500 customer albums at its cap, a preview cache of rendered
 * thumbnails with a byte budget of 2 MiB, a canonicalising table of colour profiles (weak
 * values: a profile lives while an order in production uses it), a pool of 6 print buffers,
 * and a ring of the last 2,048 orders.
 * <ul>
 * <li>{@code healthy}: the previews evict while their bytes exceed the budget; the profile
 * table is purged through a {@code ReferenceQueue} on every intern.
 * <li>{@code leak-budget}: the previews' {@code removeEldestEntry} compares {@code size()}
 * with the byte budget: nothing is ever evicted (7,200 previews, 8.6 MB of bytes counted).
 * <li>{@code leak-weak}: the profile table is never purged: a profile per order (the paper,
 * the printer and the order's own calibration) stays as a key and a cleared reference.
 * </ul>
 * Counts are printed and checked; they depend on the seed only.
 */
public final class PhotoLab {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int HOURS = 8, PER_HOUR = 900, ARCHIVE = 12_000, ALBUM_CAP = 1_500, RING = 2_048, BUFFERS = 6;
    static final long MAX_PREVIEW_BYTES = 2L * 1024 * 1024;
    static final int IN_PRODUCTION = 40;

    /** A past order (reference data): completed long ago. */
    static final class PastOrder {
        final String orderNo, customerId;
        final long placedAt, completedAt;
        final byte[] summary;

        PastOrder(String orderNo, String customerId, long placedAt, long completedAt, byte[] summary) {
            this.orderNo = orderNo;
            this.customerId = customerId;
            this.placedAt = placedAt;
            this.completedAt = completedAt;
            this.summary = summary;
        }
    }

    /** A rendered thumbnail. */
    record Preview(String orderNo, byte[] jpeg, long renderedAt) {}

    /** A customer album's index, looked up per order. */
    record Album(String id, String[] photoIds) {}

    /** A colour profile used while an order is printed. */
    record ColourProfile(String key, float[] curve) {}

    /** An order in the ring of recent orders. */
    record Order(String orderNo, String customerId, int prints, long placedAt) {}

    final class PreviewCache extends LinkedHashMap<String, Preview> {
        long bytes, evicted;

        PreviewCache() { super(4_096, 0.75f, true); }

        void add(Preview p) {
            bytes += p.jpeg().length;
            put(p.orderNo(), p);
            if (!leakBudget) {
                for (Iterator<Preview> it = values().iterator(); bytes > MAX_PREVIEW_BYTES && it.hasNext(); ) {
                    bytes -= it.next().jpeg().length;
                    it.remove();
                    evicted++;
                }
            }
        }

        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> eldest) {
            if (leakBudget && size() > MAX_PREVIEW_BYTES) {
                bytes -= eldest.getValue().jpeg().length;
                evicted++;
                return true;
            }
            return false;
        }
    }

    static final class AlbumLru extends LinkedHashMap<String, Album> {
        AlbumLru() { super(2_048, 0.75f, true); }

        @Override protected boolean removeEldestEntry(Map.Entry<String, Album> e) { return size() > ALBUM_CAP; }
    }

    /** A weak-valued intern table of colour profiles. */
    final class ProfileTable {
        final Map<String, WeakReference<ColourProfile>> profiles = new HashMap<>();
        final ReferenceQueue<ColourProfile> cleared = new ReferenceQueue<>();
        final Map<Reference<?>, String> keyOf = new HashMap<>();

        ColourProfile intern(String key, Random r) {
            if (!leakWeak) purge();
            WeakReference<ColourProfile> ref = profiles.get(key);
            ColourProfile p = ref == null ? null : ref.get();
            if (p == null) {
                float[] curve = new float[16];
                for (int i = 0; i < curve.length; i++) curve[i] = r.nextFloat();
                p = new ColourProfile(key, curve);
                WeakReference<ColourProfile> w = new WeakReference<>(p, cleared);
                profiles.put(key, w);
                if (!leakWeak) keyOf.put(w, key);
            }
            return p;
        }

        /** Drops the entries whose profile is gone (after a collection), unless leaking. */
        void purgeIfHealthy() {
            if (leakWeak) return;
            purge();
            profiles.values().removeIf(w -> w.get() == null);
            keyOf.keySet().removeIf(w -> w.get() == null);
        }

        void purge() {
            for (Reference<?> ref; (ref = cleared.poll()) != null; ) {
                String key = keyOf.remove(ref);
                if (key != null && profiles.get(key) == ref) profiles.remove(key);
            }
        }
    }

    final boolean leakBudget, leakWeak;
    final Map<String, PastOrder> archive = new HashMap<>();
    final AlbumLru albums = new AlbumLru();
    final PreviewCache previews = new PreviewCache();
    final ProfileTable profiles = new ProfileTable();
    final ArrayDeque<byte[]> printBuffers = new ArrayDeque<>();
    final Order[] ring = new Order[RING];
    final ArrayDeque<ColourProfile> inProduction = new ArrayDeque<>();
    long orders, albumLookups;

    PhotoLab(boolean leakBudget, boolean leakWeak) {
        this.leakBudget = leakBudget;
        this.leakWeak = leakWeak;
        for (int i = 0; i < BUFFERS; i++) printBuffers.add(new byte[32 * 1024]);
    }

    static PhotoLab lab;

    void loadArchive(Random r, long today) {
        for (int i = 0; i < ARCHIVE; i++) {
            long completed = today - (40 + r.nextInt(6 * 365 - 40)) * DAY + r.nextInt((int) (DAY / 1000)) * 1000L;
            String no = "PL" + (1_000_000 + i);
            archive.put(no, new PastOrder(no, "C" + r.nextInt(50_000), completed - (1 + r.nextInt(5)) * DAY, completed, new byte[120 + r.nextInt(120)]));
        }
    }

    void order(Random r, long t, int i) {
        String no = "PL" + (2_000_000 + i);
        String album = "A" + r.nextInt(3_000);
        albumLookups++;
        if (albums.get(album) == null) albums.put(album, new Album(album, new String[8 + r.nextInt(24)]));
        previews.add(new Preview(no, new byte[900 + r.nextInt(600)], t));
        String key = "paper-" + r.nextInt(12) + "/printer-" + r.nextInt(6) + "/cal-" + no;
        inProduction.add(profiles.intern(key, r));
        if (inProduction.size() > IN_PRODUCTION) inProduction.poll();
        ring[(int) (orders++ % RING)] = new Order(no, "C" + r.nextInt(50_000), 1 + r.nextInt(40), t);
    }

    static void simulate(PhotoLab lab, long now) {
        Random r = new Random(20261206L);
        lab.loadArchive(r, now - now % DAY);
        long start = now - HOURS * HOUR;
        for (int i = 0; i < HOURS * PER_HOUR; i++) {
            lab.order(r, start + i * (HOUR / PER_HOUR), i);
            if (i % 500 == 499) System.gc();
        }
        System.gc();
        lab.profiles.purgeIfHealthy();
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static void countAndCheck(PhotoLab lab) {
        int live = 0;
        for (WeakReference<ColourProfile> w : lab.profiles.profiles.values()) if (w.get() != null) live++;
        System.out.println("orders " + lab.orders + " archive " + lab.archive.size() + " albums " + lab.albums.size()
                + " previews " + lab.previews.size() + " evicted " + lab.previews.evicted + " preview bytes " + lab.previews.bytes
                + " profiles " + lab.profiles.profiles.size() + " live " + live);
        check(lab.orders == HOURS * PER_HOUR && lab.archive.size() == ARCHIVE && lab.albums.size() == ALBUM_CAP, "orders");
        check(live == IN_PRODUCTION, "live profiles " + live);
        if (lab.leakBudget) check(lab.previews.size() == lab.orders && lab.previews.evicted == 0 && lab.previews.bytes == 8_650_003L, "previews never evicted");
        else check(lab.previews.bytes <= MAX_PREVIEW_BYTES && lab.previews.size() == 1_747 && lab.previews.evicted == 5_453, "previews within budget");
        if (lab.leakWeak) check(lab.profiles.profiles.size() == lab.orders, "profiles never purged");
        else check(lab.profiles.profiles.size() == IN_PRODUCTION, "profiles purged: " + lab.profiles.profiles.size());
    }

    public static void main(String[] args) throws Exception {
        lab = new PhotoLab(args[2].equals("leak-budget"), args[2].equals("leak-weak"));
        simulate(lab, System.currentTimeMillis());
        countAndCheck(lab);
        DumpUtil.dump(args[0], args[1]);
    }
}
