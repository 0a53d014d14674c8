// hprofscan-dump: name=val76-leak-faxgateway jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val76-leak-faxgateway-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 76 (written blind), LEAK: the outbound fax gateway of a network of medical
 * clinics (referrals, prescriptions, lab results). Clinic reference data, the recipient directory,
 * a cache of rendered cover pages at its cap, a ring of transmission receipts, a per-thread
 * rasterising scratch buffer, and an application buffer pool: each transmission takes a page
 * buffer from the pool and gives it back when the transmission completes; the pool tracks every
 * buffer it handed out in an 'outstanding' set. When a transmission fails (line busy, no answer,
 * remote hang-up) the error path records the failure and returns without releasing the buffer, so
 * the buffer stays in 'outstanding' forever and the pool allocates a new one. See VALIDATION76.md.
 */
public final class Val76LeakFaxGateway {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CLINICS = 1_100, RECIPIENTS = 25_000, COVER_CAP = 2_000, RING = 16_384, FREE_CAP = 32, PAGE_BYTES = 8_192;
    static final int HOURS = 10, JOBS_PER_HOUR = 3_600;
    static boolean FIXED;

    record Clinic(String code, String name, double[] hourlyVolume) {}
    record Recipient(String faxNumber, String organisation, byte[] coverTemplate, long addedAt) {}
    record CoverPage(String key, byte[] rendered, long at) {}
    record Receipt(String jobId, String faxNumber, String outcome, int pages, long at) {}

    static final class PageBuffer {
        final int id; final ByteBuffer data = ByteBuffer.allocate(PAGE_BYTES); String jobId; long acquiredAt;
        PageBuffer(int id) { this.id = id; }
    }

    /** Application buffer pool: free list (capped) plus the set of buffers handed out. */
    static final class BufferPool {
        final ArrayDeque<PageBuffer> free = new ArrayDeque<>();
        final Set<PageBuffer> outstanding = new HashSet<>();
        long allocated, acquired, released, dropped;
        PageBuffer acquire(String jobId, long at) {
            PageBuffer b = free.poll();
            if (b == null) { b = new PageBuffer((int) allocated++); }
            b.jobId = jobId; b.acquiredAt = at; b.data.clear();
            outstanding.add(b);
            acquired++;
            return b;
        }
        void release(PageBuffer b) {
            outstanding.remove(b);
            released++;
            b.jobId = null;
            if (free.size() < FREE_CAP) free.add(b); else dropped++;
        }
    }

    static final class Transmission {
        final String jobId, faxNumber; final int pages; final long finishAt; final boolean fails; PageBuffer buffer;
        Transmission(String jobId, String faxNumber, int pages, long finishAt, boolean fails) { this.jobId = jobId; this.faxNumber = faxNumber; this.pages = pages; this.finishAt = finishAt; this.fails = fails; }
    }

    static final class CoverCache extends LinkedHashMap<String, CoverPage> {
        long evicted;
        CoverCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CoverPage> e) { if (size() > COVER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Clinic> CLINICS_BY_CODE = new HashMap<>();
    static final ThreadLocal<byte[]> RASTER_SCRATCH = ThreadLocal.withInitial(() -> new byte[262_144]);

    static final class FaxGateway {
        final Map<String, Recipient> recipients = new HashMap<>();
        final CoverCache covers = new CoverCache();
        final BufferPool pages = new BufferPool();
        final Receipt[] receipts = new Receipt[RING];
        final PriorityQueue<Transmission> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.finishAt, b.finishAt));
        long completed, failedCount;

        void complete(Transmission tx, long at) {
            if (tx.fails) {
                failedCount++;
                receipts[(int) ((completed + failedCount - 1) % RING)] = new Receipt(tx.jobId, tx.faxNumber, "LINE_BUSY", 0, at);
                if (FIXED) pages.release(tx.buffer); // the fix: release on the error path too
                return; // BUG: returns without releasing tx.buffer; it stays in pages.outstanding
            }
            completed++;
            receipts[(int) ((completed + failedCount - 1) % RING)] = new Receipt(tx.jobId, tx.faxNumber, "OK", tx.pages, at);
            pages.release(tx.buffer);
        }
    }

    static FaxGateway SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val76.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(76_040_001);
        for (int c = 0; c < CLINICS; c++) {
            double[] vol = new double[72];
            for (int k = 0; k < vol.length; k++) vol[k] = rnd.nextDouble() * 40;
            String code = "CL-" + (2_000 + c);
            CLINICS_BY_CODE.put(code, new Clinic(code, "Clinic " + c, vol));
        }
        FaxGateway gw = new FaxGateway();
        SERVICE = gw;
        String[] numbers = new String[RECIPIENTS];
        for (int r = 0; r < RECIPIENTS; r++) {
            numbers[r] = "+44 20 " + (7_000_0000 + r * 37);
            gw.recipients.put(numbers[r], new Recipient(numbers[r], "Practice " + (r % 5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        Random traffic = new Random(76_040_002);
        int jobs = JOBS_PER_HOUR * HOURS, errors = 0;
        for (int i = 0; i < jobs; i++) {
            long t = start + (end - MINUTE - start) * i / jobs;
            while (!gw.inFlight.isEmpty() && gw.inFlight.peek().finishAt <= t) { Transmission tx = gw.inFlight.poll(); gw.complete(tx, tx.finishAt); }
            String number = numbers[traffic.nextInt(RECIPIENTS)];
            int pageCount = 1 + traffic.nextInt(8);
            boolean fails = traffic.nextInt(100) < 4;
            if (fails) errors++;
            Transmission tx = new Transmission("FX" + (60_000_000 + i), number, pageCount, t + 15_000 + pageCount * (5_000 + traffic.nextInt(15_000)), fails);
            byte[] raster = RASTER_SCRATCH.get();
            raster[i % raster.length] = (byte) pageCount;
            String key = "cover-" + traffic.nextInt(4_500);
            if (gw.covers.get(key) == null) gw.covers.put(key, new CoverPage(key, new byte[500 + traffic.nextInt(500)], t));
            tx.buffer = gw.pages.acquire(tx.jobId, t);
            tx.buffer.data.put(raster, 0, 1_024 + traffic.nextInt(4_096));
            gw.inFlight.add(tx);
        }
        // transmissions finishing before the end of the simulated period complete; the rest are in flight at the dump
        while (!gw.inFlight.isEmpty() && gw.inFlight.peek().finishAt < end) { Transmission tx = gw.inFlight.poll(); gw.complete(tx, tx.finishAt); }
        BufferPool p = gw.pages;
        int inFlight = gw.inFlight.size();
        int inFlightFailing = (int) gw.inFlight.stream().filter(tx -> tx.fails).count();
        System.out.println((FIXED ? "FIXED " : "") + "clinics " + CLINICS_BY_CODE.size() + " recipients " + gw.recipients.size() + " jobs " + jobs + " completed " + gw.completed + " failed " + gw.failedCount + " (errors drawn " + errors + ") in flight " + inFlight
                + " (" + inFlightFailing + " will fail) pool allocated " + p.allocated + " acquired " + p.acquired + " released " + p.released + " outstanding " + p.outstanding.size() + " free " + p.free.size() + " dropped " + p.dropped
                + " covers " + gw.covers.size() + " (evicted " + gw.covers.evicted + ")");
        check(CLINICS_BY_CODE.size() == CLINICS && gw.recipients.size() == RECIPIENTS, "reference data / directory");
        check(gw.completed + gw.failedCount + inFlight == jobs && p.acquired == jobs, "transmissions");
        if (FIXED) check(p.outstanding.size() == inFlight && p.released == gw.completed + gw.failedCount, "only in-flight buffers outstanding: " + p.outstanding.size());
        else check(p.outstanding.size() == inFlight + gw.failedCount && p.released == gw.completed, "failed transmissions keep their buffers: " + p.outstanding.size());
        check(p.free.size() <= FREE_CAP, "free list capped");
        check(gw.covers.size() == COVER_CAP && gw.covers.evicted > 0, "cover cache at cap");
        check(gw.receipts[RING - 1] != null, "receipt ring wrapping");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
