// hprofscan-dump: name=val124-leak-schoolphotos jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val124-leak-schoolphotos-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 124 (written blind), LEAK: the proofing service of a school-photography company.
 * Photographers upload the portraits of one class at a time; the service renders a watermarked
 * proof of every portrait for the parents' online gallery. School reference data, the parents'
 * account directory, a cache of gallery pages at its cap, a pool of print-sheet buffers, a ring of
 * gallery views and the print-lab order queue with its normal backlog. The bug: every upload batch
 * renders its proofs on a new {@code Executors.newFixedThreadPool(3)} that is never shut down, so
 * each batch leaves three idle core threads parked for ever, and each thread's per-thread proof
 * canvas (a static ThreadLocal set by the render task) keeps the last portrait it rendered and,
 * through it, the whole batch. See VALIDATION124.md.
 */
public final class Val124LeakSchoolPhotos {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int SCHOOLS = 1_000, ACCOUNTS = 20_000, PAGE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10,
            BATCHES = 180, WORKERS = 3, VIEWS = 36_000, CANVAS_BYTES = 12_288;
    // The truth of VALIDATION124.md (checked below).
    static final int EXPECT_PORTRAITS = 4_691, EXPECT_ORDERS = 1_443, EXPECT_BACKLOG = 20;
    static boolean FIXED;

    record School(String urn, String name, String localAuthority, double[] ordersByWeek) {}
    record ParentAccount(String accessCode, String parentName, String email, String pupilName, String schoolUrn, byte[] preferences, long createdAt) {}
    record GalleryPage(String key, byte[] rendered, long at) {}
    record GalleryView(String accessCode, String pageKey, int status, long at) {}
    record PrintOrder(long orderNo, String accessCode, String packageCode, int pennies, long placedAt) {}

    /** One class's upload: the photographer's session for that class. */
    static final class UploadBatch {
        final String id, schoolUrn, className, photographer; final long uploadedAt;
        final List<Portrait> portraits = new ArrayList<>();
        UploadBatch(String id, String schoolUrn, String className, String photographer, long uploadedAt) {
            this.id = id; this.schoolUrn = schoolUrn; this.className = className; this.photographer = photographer; this.uploadedAt = uploadedAt;
        }
    }

    static final class Portrait {
        final UploadBatch batch; final String pupilRef, fileName; final byte[] thumbnail; final long takenAt;
        String proofKey;
        Portrait(UploadBatch batch, String pupilRef, String fileName, byte[] thumbnail, long takenAt) {
            this.batch = batch; this.pupilRef = pupilRef; this.fileName = fileName; this.thumbnail = thumbnail; this.takenAt = takenAt;
        }
    }

    /** Reused per render thread so a proof does not allocate its pixels (a "performance" ThreadLocal). */
    static final class ProofCanvas {
        final byte[] pixels = new byte[CANVAS_BYTES];
        Portrait last;
        int renders;
    }

    static final class ProofRenderer {
        static final ThreadLocal<ProofCanvas> CANVAS = ThreadLocal.withInitial(ProofCanvas::new);
        static final byte[] WATERMARK = "PROOF - NOT FOR REPRODUCTION - ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final AtomicLong proofsUploaded = new AtomicLong(), bytesUploaded = new AtomicLong();

        String render(Portrait p) {
            ProofCanvas c = CANVAS.get();
            int n = Math.min(p.thumbnail.length, c.pixels.length);
            System.arraycopy(p.thumbnail, 0, c.pixels, 0, n);
            for (int k = 0; k < n; k += 32) c.pixels[k] ^= WATERMARK[(k / 32) % WATERMARK.length];
            c.last = p;
            c.renders++;
            String key = "proofs/" + p.batch.schoolUrn + "/" + p.batch.id + "/" + p.pupilRef + ".jpg";
            proofsUploaded.incrementAndGet();
            bytesUploaded.addAndGet(n); // uploaded to the gallery's object store
            p.proofKey = key;
            return key;
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix; final AtomicInteger next = new AtomicInteger();
        static final AtomicInteger STARTED = new AtomicInteger();
        NamedThreadFactory(String prefix) { this.prefix = prefix; }
        @Override public Thread newThread(Runnable r) {
            STARTED.incrementAndGet();
            return new Thread(r, prefix + next.incrementAndGet());
        }
    }

    static final class PageCache extends LinkedHashMap<String, GalleryPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, GalleryPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, School> SCHOOLS_BY_URN = new HashMap<>();

    static final class ProofingService {
        final Map<String, ParentAccount> accounts = new HashMap<>();
        final String[] accessCodes = new String[ACCOUNTS];
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> sheetBuffers = new ArrayDeque<>();
        final GalleryView[] views = new GalleryView[RING];
        final ArrayDeque<PrintOrder> printQueue = new ArrayDeque<>();
        final ProofRenderer renderer = new ProofRenderer();
        /** The fix: one render pool for the service, created at startup. */
        ExecutorService sharedRenderPool;
        long viewCount, orders, ordersToLab, batches, portraits, poolsCreated, notFound;

        void renderBatch(UploadBatch b) throws InterruptedException, ExecutionException {
            ExecutorService pool = FIXED ? sharedRenderPool : Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("proofs-" + b.id + "-"));
            if (!FIXED) poolsCreated++;
            List<Callable<String>> tasks = new ArrayList<>(b.portraits.size());
            for (Portrait p : b.portraits) tasks.add(() -> renderer.render(p));
            for (Future<String> f : pool.invokeAll(tasks)) f.get();
            // BUG: no pool.shutdown(); the three core threads park in LinkedBlockingQueue.take() for ever
            batches++;
            portraits += b.portraits.size();
        }

        void view(Random r, long t) {
            String code = accessCodes[r.nextInt(ACCOUNTS)];
            ParentAccount acc = accounts.get(r.nextInt(50) == 0 ? code.toLowerCase() : code);
            int status = 200;
            String key;
            if (acc == null) {
                notFound++; status = 404; key = "-";
            } else {
                key = "gallery-" + acc.schoolUrn() + "-p" + r.nextInt(5);
                if (pages.get(key) == null) pages.put(key, new GalleryPage(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = sheetBuffers.poll();
                buf[(int) (viewCount % buf.length)] = (byte) key.length();
                sheetBuffers.add(buf);
                if (r.nextInt(25) == 0) {
                    String pkg = new String[] {"A-CLASSIC", "B-FAMILY", "C-DIGITAL", "D-CALENDAR"}[r.nextInt(4)];
                    printQueue.addLast(new PrintOrder(4_100_000L + orders++, acc.accessCode(), pkg, 999 + r.nextInt(30) * 100, t));
                }
            }
            views[(int) (viewCount++ % RING)] = new GalleryView(code, key, status, t);
        }

        /** The print lab collects every 15 minutes the orders placed at least 10 minutes earlier. */
        void labPickup(long t) {
            while (!printQueue.isEmpty() && printQueue.peekFirst().placedAt() <= t - 10 * MINUTE) { printQueue.pollFirst(); ordersToLab++; }
        }
    }

    static ProofingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String upper(Random r, int n) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }

    static void simulate() throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(124_010_001);
        String[] urns = new String[SCHOOLS];
        String[] las = {"Leeds", "Bristol", "Norfolk", "Kent", "Cumbria", "Cardiff", "Sheffield", "Devon", "Essex", "Wigan"};
        for (int s = 0; s < SCHOOLS; s++) {
            double[] orders = new double[40];
            for (int k = 0; k < orders.length; k++) orders[k] = rnd.nextDouble() * 120;
            urns[s] = Integer.toString(100_000 + s * 37);
            SCHOOLS_BY_URN.put(urns[s], new School(urns[s], (s % 3 == 0 ? "St Mary's " : s % 3 == 1 ? "Oakfield " : "Riverside ") + (s % 5 == 0 ? "Academy " : "Primary ") + s, las[s % las.length], orders));
        }
        ProofingService svc = new ProofingService();
        SERVICE = svc;
        String[] first = {"Amelia", "Noah", "Olivia", "Muhammad", "Isla", "George", "Ava", "Leo", "Freya", "Arthur", "Lily", "Oscar"};
        String[] last = {"Smith", "Jones", "Patel", "Williams", "Brown", "Khan", "Taylor", "Evans", "Wilson", "Nowak", "Murphy", "Okafor"};
        for (int i = 0; i < ACCOUNTS; i++) {
            svc.accessCodes[i] = upper(rnd, 4) + "-" + upper(rnd, 4);
            String parent = first[rnd.nextInt(first.length)] + " " + last[rnd.nextInt(last.length)];
            svc.accounts.put(svc.accessCodes[i], new ParentAccount(svc.accessCodes[i], parent, "parent" + i + "@example.org", first[rnd.nextInt(first.length)] + " " + parent.substring(parent.indexOf(' ') + 1),
                    urns[rnd.nextInt(SCHOOLS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(300)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.sheetBuffers.add(new byte[32_768]);
        if (FIXED) svc.sharedRenderPool = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("proofs-render-"));
        Random traffic = new Random(124_010_002), uploads = new Random(124_010_003);
        String[] photographers = {"ph-dawson", "ph-mensah", "ph-kowalski", "ph-reid", "ph-santos", "ph-hughes"};
        long nextPickup = start + 15 * MINUTE;
        int batch = 0;
        for (int i = 0; i < VIEWS; i++) {
            long t = start + (end - MINUTE - start) * i / VIEWS;
            while (nextPickup <= t) { svc.labPickup(nextPickup); nextPickup += 15 * MINUTE; }
            // one class uploaded every 200 seconds
            while (batch < BATCHES && start + batch * (HOURS * HOUR / BATCHES) <= t) {
                long at = start + batch * (HOURS * HOUR / BATCHES);
                String urn = urns[uploads.nextInt(SCHOOLS)];
                UploadBatch b = new UploadBatch("B24-" + (118_000 + batch), urn, "Year " + (1 + uploads.nextInt(6)) + " " + "ABCDEFG".charAt(uploads.nextInt(7)), photographers[uploads.nextInt(photographers.length)], at);
                int n = 22 + uploads.nextInt(10);
                for (int k = 0; k < n; k++) {
                    b.portraits.add(new Portrait(b, "P" + urn + "-" + (1_000 + uploads.nextInt(9_000)), "IMG_" + (4_000 + batch * 40 + k) + ".JPG",
                            new byte[1_024 + uploads.nextInt(1_024)], at - (long) (1 + uploads.nextInt(120)) * MINUTE));
                }
                svc.renderBatch(b);
                batch++;
            }
            svc.view(traffic, t);
        }
        while (nextPickup <= end) { svc.labPickup(nextPickup); nextPickup += 15 * MINUTE; }
    }

    /** Live threads whose name starts with the prefix (a throwaway set, not kept). */
    static int liveThreads(String prefix) {
        int n = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.isAlive() && th.getName().startsWith(prefix)) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace(); // the parked pool threads would keep the JVM alive
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val124.fixed");
        simulate();
        ProofingService svc = SERVICE;
        int live = liveThreads("proofs-");
        System.out.println((FIXED ? "FIXED " : "") + "schools " + SCHOOLS_BY_URN.size() + " accounts " + svc.accounts.size() + " batches " + svc.batches + " portraits " + svc.portraits
                + " proofs " + svc.renderer.proofsUploaded.get() + " pools created " + svc.poolsCreated + " threads started " + NamedThreadFactory.STARTED.get() + " live proof threads " + live
                + " views " + svc.viewCount + " (404 " + svc.notFound + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") orders " + svc.orders + " to lab " + svc.ordersToLab
                + " backlog " + svc.printQueue.size() + " pool " + svc.sheetBuffers.size());
        check(SCHOOLS_BY_URN.size() == SCHOOLS && svc.accounts.size() == ACCOUNTS, "reference data / directory");
        check(svc.batches == BATCHES && svc.portraits == EXPECT_PORTRAITS && svc.renderer.proofsUploaded.get() == EXPECT_PORTRAITS, "batches / portraits");
        if (FIXED) check(svc.poolsCreated == 0 && NamedThreadFactory.STARTED.get() == WORKERS && live == WORKERS, "one shared pool");
        else check(svc.poolsCreated == BATCHES && NamedThreadFactory.STARTED.get() == BATCHES * WORKERS && live == BATCHES * WORKERS, "a pool per batch, all threads alive: " + live);
        check(svc.viewCount == VIEWS && svc.orders == EXPECT_ORDERS && svc.printQueue.size() == EXPECT_BACKLOG && svc.orders == svc.ordersToLab + svc.printQueue.size(), "views / print orders");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.sheetBuffers.size() == POOL, "pool");
        check(svc.views[RING - 1] != null, "ring");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
