// hprofscan-dump: name=val56-leak-invoicescans jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val56-leak-invoicescans-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 56 (written blind), LEAK: the invoice-capture service of an accounts-payable
 * department. Supplier reference data, the invoice directory, a cache of OCR layout templates at
 * its cap, a pool of 64 KiB upload buffers (direct look-alike: ByteBuffers), a ring of upload
 * receipts, and the streaming upload handler: while chasing a corrupted-PDF bug somebody made it
 * copy every chunk it receives into a static List of ByteBuffers "for debugging"; nothing ever
 * clears it. See VALIDATION56.md.
 */
public final class Val56LeakInvoiceScans {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SUPPLIERS = 1_000, INVOICES = 25_000, TEMPLATE_CAP = 1_500, POOL = 8, RING = 512, HOURS = 10, UPLOADS = 800, CHUNK = 4_096;
    static boolean FIXED;

    record Supplier(String vatId, String name, double[] monthlySpend) {}
    record Invoice(String number, String supplierVat, int totalCents, byte[] extractedFields, long receivedAt) {}
    record LayoutTemplate(String key, byte[] model, long at) {}
    record UploadReceipt(String uploadId, String invoiceNumber, int bytes, int chunks, long at) {}

    static final class UploadHandler {
        /** Added while debugging corrupted scans; never cleared. */
        static final List<ByteBuffer> DEBUG_CHUNKS = new ArrayList<>();
        final ArrayDeque<ByteBuffer> bufferPool = new ArrayDeque<>();
        long uploads, chunks, bytes;
        /** Streams one scan in chunks of up to CHUNK bytes through a pooled buffer. */
        int receive(int size, Random r) {
            ByteBuffer buf = bufferPool.poll();
            buf.clear();
            int n = 0;
            for (int off = 0; off < size; off += CHUNK) {
                int len = Math.min(CHUNK, size - off);
                byte[] chunk = new byte[len];
                chunk[0] = (byte) r.nextInt();
                buf.put(chunk, 0, Math.min(len, buf.remaining()));
                if (!FIXED) { // BUG: debugging copy of every chunk, kept forever
                    ByteBuffer copy = ByteBuffer.allocate(len);
                    copy.put(chunk).flip();
                    DEBUG_CHUNKS.add(copy);
                }
                chunks++; n++;
            }
            bytes += size; uploads++;
            bufferPool.add(buf);
            return n;
        }
    }

    static final class TemplateCache extends LinkedHashMap<String, LayoutTemplate> {
        long evicted;
        TemplateCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, LayoutTemplate> e) { if (size() > TEMPLATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Supplier> SUPPLIERS_BY_VAT = new HashMap<>();

    static final class CaptureService {
        final Map<String, Invoice> invoices = new HashMap<>();
        final TemplateCache templates = new TemplateCache();
        final UploadHandler uploads = new UploadHandler();
        final UploadReceipt[] receipts = new UploadReceipt[RING];
        long received;
    }

    static CaptureService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val56.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(56_040_001);
        String[] vats = new String[SUPPLIERS];
        for (int s = 0; s < SUPPLIERS; s++) {
            double[] spend = new double[64];
            for (int k = 0; k < spend.length; k++) spend[k] = rnd.nextDouble() * 50_000;
            vats[s] = "GB" + (300_000_000 + s * 7);
            SUPPLIERS_BY_VAT.put(vats[s], new Supplier(vats[s], "Supplier " + s, spend));
        }
        CaptureService svc = new CaptureService();
        SERVICE = svc;
        String[] numbers = new String[INVOICES];
        for (int n = 0; n < INVOICES; n++) {
            numbers[n] = "INV-" + (2_000_000 + n);
            svc.invoices.put(numbers[n], new Invoice(numbers[n], vats[rnd.nextInt(SUPPLIERS)], 1_000 + rnd.nextInt(900_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.uploads.bufferPool.add(ByteBuffer.allocate(65_536));
        Random traffic = new Random(56_040_002);
        long expectChunks = 0;
        for (int i = 0; i < UPLOADS; i++) {
            long t = start + (end - MINUTE - start) * i / UPLOADS;
            int size = 3_000 + traffic.nextInt(9_000);
            expectChunks += (size + CHUNK - 1) / CHUNK;
            String inv = numbers[traffic.nextInt(INVOICES)];
            int chunks = svc.uploads.receive(size, traffic);
            svc.receipts[(int) (svc.received++ % RING)] = new UploadReceipt("UP-" + (900_000 + i), inv, size, chunks, t);
            for (int k = 0; k < 40; k++) { // layout lookups of the OCR pages
                String key = "tpl-" + traffic.nextInt(3_000);
                if (svc.templates.get(key) == null) svc.templates.put(key, new LayoutTemplate(key, new byte[600 + traffic.nextInt(600)], t));
            }
        }
        UploadHandler h = svc.uploads;
        long debugBytes = 0;
        for (ByteBuffer b : UploadHandler.DEBUG_CHUNKS) debugBytes += b.capacity();
        System.out.println((FIXED ? "FIXED " : "") + "suppliers " + SUPPLIERS_BY_VAT.size() + " invoices " + svc.invoices.size() + " uploads " + h.uploads + " chunks " + h.chunks + " bytes " + h.bytes + " debug chunks " + UploadHandler.DEBUG_CHUNKS.size()
                + " (" + debugBytes + " bytes) templates " + svc.templates.size() + " (evicted " + svc.templates.evicted + ") pool " + h.bufferPool.size() + " receipts " + svc.received);
        check(SUPPLIERS_BY_VAT.size() == SUPPLIERS && svc.invoices.size() == INVOICES, "reference data / directory");
        check(h.uploads == UPLOADS && h.chunks == expectChunks, "upload traffic");
        if (FIXED) check(UploadHandler.DEBUG_CHUNKS.isEmpty(), "no debug copies");
        else check(UploadHandler.DEBUG_CHUNKS.size() == expectChunks && debugBytes == h.bytes, "every chunk kept: " + UploadHandler.DEBUG_CHUNKS.size());
        check(svc.templates.size() == TEMPLATE_CAP && svc.templates.evicted > 0, "template cache at cap");
        check(h.bufferPool.size() == POOL, "pool");
        check(svc.received == UPLOADS, "receipts");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
