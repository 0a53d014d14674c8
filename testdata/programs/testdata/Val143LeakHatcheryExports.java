// hprofscan-dump: name=val143-leak-hatcheryexports jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val143-leak-hatcheryexports-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validation set 143 (written blind), LEAK: the customer portal of a poultry hatchery (day-old chick
 * orders for broiler and layer farms, flock health records, delivery schedules). Strain reference
 * data, the flock directory, an LRU of rendered delivery notes at its cap, a pool of label buffers,
 * a ring of incubator readings, a queue of chick deliveries with a normal backlog, and the export of
 * a farm's records: each export starts {@code new Thread(job, "export-" + customerCode)} (customer
 * codes are four letters), which builds the CSV into its buffer, uploads it to the customer's share
 * and then waits in {@code control.take()} for a "resend" or "cancel" signal so that it can upload
 * again from the same buffer. The portal sends "resend" when the customer asks, but nothing ever
 * sends "cancel" (the button went in a redesign): every export thread stays parked with its buffer.
 * See VALIDATION143.md.
 */
public final class Val143LeakHatcheryExports {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int STRAINS = 400, FLOCKS = 20_000, CUSTOMERS = 180, NOTE_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, EXPORTS = 340;
    static boolean FIXED;

    record Strain(String code, String name, String kind, double[] weightByDay) {}
    record Flock(String flockId, String customerCode, String strainCode, int birds, byte[] healthRecord, long placedAt) {}
    record Customer(String code, String farmName, String share, long since) {}
    record DeliveryNote(String key, byte[] rendered, long at) {}
    record IncubatorReading(String incubator, int tray, short tempCentiC, short humidityPermille, long at) {}
    record Delivery(String orderRef, String customerCode, int chicks, long loadedAt) {}
    record ExportSummary(long exportId, String customerCode, int rows, int bytes, long at) {}

    /** One export of a customer's flock records. */
    static final class ExportJob implements Runnable {
        final long exportId; final String customerCode; final List<Flock> flocks; final long requestedAt;
        final BlockingQueue<String> control = new LinkedBlockingQueue<>();
        final ExportSink sink;
        byte[] buffer; int length; int uploads;
        volatile boolean waiting;
        ExportJob(long exportId, String customerCode, List<Flock> flocks, long requestedAt, ExportSink sink) { this.exportId = exportId; this.customerCode = customerCode; this.flocks = flocks; this.requestedAt = requestedAt; this.sink = sink; }

        @Override public void run() {
            StringBuilder csv = new StringBuilder(64 * 1024);
            csv.append("flock_id;strain;birds;placed_at;health\n");
            for (Flock f : flocks) {
                csv.append(f.flockId()).append(';').append(f.strainCode()).append(';').append(f.birds()).append(';').append(f.placedAt()).append(';');
                for (int k = 0; k < f.healthRecord().length; k++) csv.append((char) ('a' + (f.healthRecord()[k] & 15)));
                csv.append('\n');
            }
            byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            buffer = new byte[Integer.highestOneBit(bytes.length) << 1];
            System.arraycopy(bytes, 0, buffer, 0, bytes.length);
            length = bytes.length;
            sink.buffered.addAndGet(buffer.length);
            sink.upload(this);
            if (FIXED) { sink.finished.incrementAndGet(); return; }
            try {
                while (true) {
                    waiting = true;
                    String signal = control.take(); // "resend" or "cancel"
                    waiting = false;
                    if (signal.equals("cancel")) break;
                    sink.upload(this);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.finished.incrementAndGet();
        }
    }

    /** The customers' shares (SFTP); counts what it receives. */
    static final class ExportSink {
        final AtomicLong uploads = new AtomicLong(), bytes = new AtomicLong(), finished = new AtomicLong(), buffered = new AtomicLong();
        void upload(ExportJob job) { job.uploads++; uploads.incrementAndGet(); bytes.addAndGet(job.length); }
    }

    static final class NoteCache extends LinkedHashMap<String, DeliveryNote> {
        long evicted;
        NoteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeliveryNote> e) { if (size() > NOTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Strain> STRAINS_BY_CODE = new HashMap<>();

    static final class PortalService {
        final Map<String, Flock> flocks = new HashMap<>();
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, List<Flock>> flocksByCustomer = new HashMap<>();
        final String[] customerCodes = new String[CUSTOMERS];
        final NoteCache notes = new NoteCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final IncubatorReading[] readings = new IncubatorReading[RING];
        final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
        final ArrayDeque<ExportSummary> recentExports = new ArrayDeque<>();
        final ExportSink sink = new ExportSink();
        /** Jobs still reachable for a "resend" click: the last 64 exports (a ring). */
        final ExportJob[] resendable = new ExportJob[64];
        long readingCount, orders, delivered, exportsStarted, resends, labels, noteViews;

        void export(String customerCode, long t) throws InterruptedException {
            ExportJob job = new ExportJob(4_400_000L + exportsStarted, customerCode, flocksByCustomer.get(customerCode), t, sink);
            resendable[(int) (exportsStarted % resendable.length)] = job;
            exportsStarted++;
            Thread th = new Thread(job, "export-" + customerCode);
            th.start();
            // the portal shows "export ready" once the upload is done
            if (FIXED) th.join();
            else while (!job.waiting) Thread.onSpinWait();
            recentExports.addLast(new ExportSummary(job.exportId, customerCode, job.flocks.size(), job.length, t));
            if (recentExports.size() > 100) recentExports.removeFirst();
        }

        void resend(Random r) throws InterruptedException {
            ExportJob job = resendable[r.nextInt((int) Math.min(exportsStarted, resendable.length))];
            resends++;
            if (FIXED) { sink.upload(job); return; } // the fix uploads again from the ring's job; no thread waits for a signal
            long before = sink.uploads.get();
            job.waiting = false;
            job.control.put("resend");
            while (sink.uploads.get() == before || !job.waiting) Thread.onSpinWait();
        }

        void reading(Random r, long t) {
            readings[(int) (readingCount++ % RING)] = new IncubatorReading("INC-" + (1 + r.nextInt(48)), 1 + r.nextInt(32), (short) (3_740 + r.nextInt(30)), (short) (550 + r.nextInt(100)), t);
        }

        void order(Random r, long t) {
            orders++;
            String c = customerCodes[r.nextInt(CUSTOMERS)];
            deliveries.add(new Delivery("HO-" + (300_000 + orders), c, 5_000 + r.nextInt(30_000), t));
            byte[] buf = labelBuffers.poll();
            buf[(int) (orders % buf.length)] = (byte) orders;
            labelBuffers.add(buf);
            labels++;
        }

        void viewNote(Random r, long t) {
            noteViews++;
            String key = "note-" + r.nextInt(5_000);
            if (notes.get(key) == null) notes.put(key, new DeliveryNote(key, new byte[400 + r.nextInt(400)], t));
        }

        void dispatch(long t) {
            while (!deliveries.isEmpty() && deliveries.peek().loadedAt() + 90 * MINUTE <= t) { deliveries.poll(); delivered++; }
        }
    }

    static PortalService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String letters(Random r) {
        char[] c = new char[4];
        for (int k = 0; k < 4; k++) c[k] = (char) ('A' + r.nextInt(26));
        return new String(c);
    }

    static void simulate() throws InterruptedException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE, today = now - now % DAY;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(143_040_001);
        String[] kinds = {"broiler", "layer", "breeder", "turkey", "duck"};
        String[] strainCodes = new String[STRAINS];
        for (int s = 0; s < STRAINS; s++) {
            double[] w = new double[70];
            for (int k = 0; k < w.length; k++) w[k] = 42 + k * (30 + rnd.nextDouble() * 40);
            strainCodes[s] = "ST-" + (800 + s);
            STRAINS_BY_CODE.put(strainCodes[s], new Strain(strainCodes[s], "Strain " + s, kinds[rnd.nextInt(kinds.length)], w));
        }
        PortalService svc = new PortalService();
        SERVICE = svc;
        for (int c = 0; c < CUSTOMERS; c++) {
            String code;
            do { code = letters(rnd); } while (svc.customers.containsKey(code));
            svc.customerCodes[c] = code;
            svc.customers.put(code, new Customer(code, "Farm " + code.charAt(0) + code.substring(1).toLowerCase(), "sftp://exports.hatchery.example/" + code.toLowerCase(), today - (long) (30 + rnd.nextInt(4_000)) * DAY));
            svc.flocksByCustomer.put(code, new ArrayList<>());
        }
        for (int i = 0; i < FLOCKS; i++) {
            String id = "FL-" + (900_000 + i * 3);
            String cust = svc.customerCodes[rnd.nextInt(CUSTOMERS)];
            Flock f = new Flock(id, cust, strainCodes[rnd.nextInt(STRAINS)], 2_000 + rnd.nextInt(40_000), new byte[150 + rnd.nextInt(150)], today - (long) (1 + rnd.nextInt(400)) * DAY);
            svc.flocks.put(id, f);
            svc.flocksByCustomer.get(cust).add(f);
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(143_040_002), sensors = new Random(143_040_003);
        int minutes = HOURS * 60;
        int exportsDone = 0;
        for (int m = 0; m < minutes; m++) {
            long t = start + m * MINUTE;
            for (int k = 0; k < 20; k++) svc.reading(sensors, t + k * 3_000L);
            if (traffic.nextInt(100) < 60) svc.order(traffic, t);
            for (int v = 0; v < 10; v++) svc.viewNote(traffic, t);
            while (exportsDone < (long) EXPORTS * (m + 1) / minutes) {
                svc.export(svc.customerCodes[traffic.nextInt(100) < 50 ? traffic.nextInt(CUSTOMERS / 6) : traffic.nextInt(CUSTOMERS)], t);
                exportsDone++;
                if (traffic.nextInt(100) < 8) svc.resend(traffic);
            }
            svc.dispatch(t);
        }
    }

    static final long[] EXPECT = {340, 124, 12_320_768, 27, 51}; // parked export threads, distinct thread names, buffer bytes, resends, delivery backlog

    static void report() throws InterruptedException {
        PortalService svc = SERVICE;
        long parked = 0;
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (int tries = 0; tries < 500; tries++) {
            parked = 0; names.clear();
            boolean allWaiting = true;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.getName().startsWith("export-")) continue;
                allWaiting &= t.getState() == Thread.State.WAITING;
                parked++;
                names.add(t.getName());
            }
            if (allWaiting) break;
            Thread.sleep(10);
        }
        long bufferBytes = svc.sink.buffered.get();
        long[] got = {parked, names.size(), bufferBytes, svc.resends, svc.deliveries.size()};
        System.out.println((FIXED ? "FIXED " : "") + "strains " + STRAINS_BY_CODE.size() + " customers " + svc.customers.size() + " flocks " + svc.flocks.size() + " exports " + svc.exportsStarted + " uploads " + svc.sink.uploads.get() + " (" + svc.sink.bytes.get() + " bytes) buffers " + bufferBytes + " bytes, resends " + svc.resends
                + " finished " + svc.sink.finished.get() + " parked export threads " + parked + " (" + names.size() + " names) readings " + svc.readingCount + " orders " + svc.orders + " delivered " + svc.delivered + " backlog " + svc.deliveries.size()
                + " notes " + svc.notes.size() + " (views " + svc.noteViews + ", evicted " + svc.notes.evicted + ") labels " + svc.labels + " pool " + svc.labelBuffers.size() + " recent exports " + svc.recentExports.size());
        check(STRAINS_BY_CODE.size() == STRAINS && svc.customers.size() == CUSTOMERS && svc.flocks.size() == FLOCKS, "reference data / directory");
        check(svc.exportsStarted == EXPORTS && svc.sink.uploads.get() == EXPORTS + svc.resends, "exports");
        if (FIXED) check(parked == 0 && svc.sink.finished.get() == EXPORTS, "no export thread left");
        else check(parked == EXPORTS && svc.sink.finished.get() == 0, "every export thread parked");
        check(svc.notes.size() == NOTE_CAP && svc.notes.evicted > 0, "note cache at cap");
        check(svc.labelBuffers.size() == POOL && svc.readings[RING - 1] != null && svc.recentExports.size() == 100, "pool / rings");
        for (int k = FIXED ? 2 : 0; k < EXPECT.length; k++) check(got[k] == EXPECT[k], "count #" + k + " is " + got[k] + ", expected " + EXPECT[k]);
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val143.fixed");
        try {
            simulate();
            report();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the parked export threads are not daemons
        }
        LeakCheck.histogram("java.lang.Thread ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
