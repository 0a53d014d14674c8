// hprofscan-dump: name=val53-leak-tattoostudios jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val53-leak-tattoostudios-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 53 (written blind), LEAK: the booking service of a chain of tattoo studios.
 * Studio reference data, the client directory, a cache of rendered design previews at its cap, a
 * pool of stencil-printer buffers, a ring of recent appointments, and a fixed pool of 6 worker
 * threads (requests partitioned by studio, so one studio's requests run in order) with a 64 KiB
 * per-thread scratch buffer. Each request's audit records are collected in a
 * ThreadLocal<List<AuditRecord>> for a batch flush to the audit store; the flush was only wired into
 * the batch-import path, which this deployment never receives, so each worker's list keeps every
 * audit record of every request it served. The workers are alive (waiting for work) at the dump.
 * See VALIDATION53.md.
 */
public final class Val53LeakTattooStudios {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 1_100, CLIENTS = 25_000, PREVIEW_CAP = 2_000, POOL = 8, RING = 16_384, WORKERS = 6, HOURS = 10, REQUESTS_PER_HOUR = 2_000;
    static boolean FIXED;

    enum Source { WEB, APP, FRONT_DESK, BATCH_IMPORT }

    record Studio(String code, String city, double[] chairUtilisation) {}
    record Client(String clientId, String homeStudio, String name, byte[] consentForm, long registeredAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record Appointment(String clientId, String studioCode, String artist, long at, int minutes) {}
    record AuditRecord(long requestId, String studioCode, String action, String actor, long at, byte[] detail) {}
    record Request(long id, Source source, String studioCode, String clientId, String artist, long at, String[] actions, byte[][] details) {}

    /** Per-thread state: legitimate scratch buffer, and the audit batch. */
    static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);
    static final ThreadLocal<List<AuditRecord>> AUDIT_BATCH = ThreadLocal.withInitial(ArrayList::new);

    static final class AuditStore {
        long shippedRecords, flushes;
        synchronized void ship(List<AuditRecord> batch) { shippedRecords += batch.size(); flushes++; }
    }

    /** Fixed pool of worker threads; each has its own queue (partitioned by studio). */
    static final class WorkerPool {
        final Thread[] threads = new Thread[WORKERS];
        @SuppressWarnings("unchecked") final LinkedBlockingQueue<Runnable>[] queues = new LinkedBlockingQueue[WORKERS];
        volatile Throwable failure;
        WorkerPool() {
            for (int w = 0; w < WORKERS; w++) {
                LinkedBlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
                queues[w] = q;
                threads[w] = new Thread(() -> {
                    while (true) {
                        Runnable r;
                        try { r = q.take(); } catch (InterruptedException e) { return; }
                        try { r.run(); } catch (Throwable t) { failure = t; }
                    }
                }, "booking-worker-" + w);
                threads[w].setDaemon(true);
                threads[w].start();
            }
        }
        void submit(String studioCode, Runnable r) { queues[Math.floorMod(studioCode.hashCode(), WORKERS)].add(r); }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Client> clients = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> stencilBuffers = new ArrayDeque<>();
        final Appointment[] recent = new Appointment[RING];
        long appointments;
        final AuditStore audit = new AuditStore();
        final WorkerPool workers = new WorkerPool();

        /** Runs on a worker thread. */
        void handle(Request req) {
            byte[] scratch = SCRATCH.get();
            List<AuditRecord> batch = AUDIT_BATCH.get();
            for (int k = 0; k < req.actions().length; k++) {
                scratch[(int) ((req.id() + k) % scratch.length)] ^= (byte) k; // encode the record
                batch.add(new AuditRecord(req.id(), req.studioCode(), req.actions()[k], req.clientId(), req.at() + k * 40L, req.details()[k]));
            }
            if (FIXED || req.source() == Source.BATCH_IMPORT) flushAudit(batch); // BUG: only the batch-import path flushes
        }

        void flushAudit(List<AuditRecord> batch) { audit.ship(batch); batch.clear(); }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val53.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(53_030_001);
        String[] studioCodes = new String[STUDIOS];
        for (int s = 0; s < STUDIOS; s++) {
            double[] util = new double[96];
            for (int k = 0; k < util.length; k++) util[k] = rnd.nextDouble();
            studioCodes[s] = "ST-" + (7_100 + s);
            STUDIOS_BY_CODE.put(studioCodes[s], new Studio(studioCodes[s], "City " + (s % 180), util));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        String[] clientIds = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = "CL" + (3_300_000 + c * 7);
            svc.clients.put(clientIds[c], new Client(clientIds[c], studioCodes[rnd.nextInt(STUDIOS)], "Client " + c, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.stencilBuffers.add(new byte[32_768]);
        String[] artists = new String[90];
        for (int a = 0; a < artists.length; a++) artists[a] = "artist-" + a;
        String[][] flows = {
            {"REQUEST_RECEIVED", "CONSENT_CHECKED", "APPOINTMENT_BOOKED"},
            {"REQUEST_RECEIVED", "CONSENT_CHECKED", "DEPOSIT_TAKEN", "APPOINTMENT_BOOKED"},
            {"REQUEST_RECEIVED", "ID_VERIFIED", "CONSENT_CHECKED", "DEPOSIT_TAKEN", "APPOINTMENT_BOOKED"},
            {"REQUEST_RECEIVED", "APPOINTMENT_CANCELLED", "DEPOSIT_REFUNDED"}};
        Source[] sources = {Source.WEB, Source.APP, Source.FRONT_DESK};
        Random traffic = new Random(53_030_002);
        int requests = REQUESTS_PER_HOUR * HOURS;
        long records = 0;
        int[] perWorkerRecords = new int[WORKERS];
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            String studio = studioCodes[traffic.nextInt(STUDIOS)];
            String client = clientIds[traffic.nextInt(CLIENTS)];
            String artist = artists[traffic.nextInt(artists.length)];
            String[] flow = flows[traffic.nextInt(flows.length)];
            byte[][] details = new byte[flow.length][];
            for (int k = 0; k < flow.length; k++) details[k] = new byte[40 + traffic.nextInt(60)];
            records += flow.length;
            perWorkerRecords[Math.floorMod(studio.hashCode(), WORKERS)] += flow.length;
            Request req = new Request(12_000_000L + i, sources[traffic.nextInt(sources.length)], studio, client, artist, t, flow, details);
            svc.workers.submit(studio, () -> svc.handle(req));
            // front end (main thread): appointment ring, preview cache, stencil printing
            svc.recent[(int) (svc.appointments++ % RING)] = new Appointment(client, studio, artist, t, 60 + 30 * traffic.nextInt(8));
            String key = artist + "/design-" + traffic.nextInt(40);
            if (svc.previews.get(key) == null) svc.previews.put(key, new Preview(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.stencilBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.stencilBuffers.add(buf);
        }
        // Wait until every worker has drained its queue, and read its batch size on its own thread.
        CountDownLatch done = new CountDownLatch(WORKERS);
        int[] batchSizes = new int[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            int ww = w;
            svc.workers.queues[w].add(() -> { batchSizes[ww] = AUDIT_BATCH.get().size(); done.countDown(); });
        }
        done.await();
        check(svc.workers.failure == null, "worker failure: " + svc.workers.failure);
        long kept = 0;
        StringBuilder per = new StringBuilder();
        for (int w = 0; w < WORKERS; w++) { kept += batchSizes[w]; per.append(' ').append(batchSizes[w]); }
        boolean alive = true;
        for (Thread th : svc.workers.threads) alive &= th.isAlive();
        System.out.println((FIXED ? "FIXED " : "") + "studios " + STUDIOS_BY_CODE.size() + " clients " + svc.clients.size() + " requests " + requests + " audit records " + records + " kept in thread-local batches " + kept + " (per worker" + per
                + ") shipped " + svc.audit.shippedRecords + " in " + svc.audit.flushes + " flushes; previews " + svc.previews.size() + " (evicted " + svc.previews.evicted + ") pool " + svc.stencilBuffers.size() + " appointments " + svc.appointments + " workers alive " + alive);
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.clients.size() == CLIENTS, "reference data / directory");
        check(alive, "workers alive");
        if (FIXED) check(kept == 0 && svc.audit.shippedRecords == records, "audit flushed per request: " + kept);
        else {
            check(kept == records && svc.audit.shippedRecords == 0, "audit batches keep everything: " + kept);
            for (int w = 0; w < WORKERS; w++) check(batchSizes[w] == perWorkerRecords[w] && batchSizes[w] > 0, "worker " + w + " batch");
        }
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted > 0, "preview cache at cap");
        check(svc.stencilBuffers.size() == POOL, "pool");
        check(svc.appointments == requests && svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
