// hprofscan-dump: name=svc-healthy-printfarm jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-printfarm-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Healthy (tuning set, open resources kept on purpose): the print service of a company campus.
 * Session 12 wrote it first, as the healthy counterpart of the open-and-dropped evidence: every
 * one of the 400 printers gets an output channel on its first job of the day and keeps it open
 * (reconnecting costs seconds), so the channel map holds 400 open channels that nothing else
 * references, all opened in the morning over 3 hours and idle for hours by the evening dump.
 * Bounded by the printers: a set kept open on purpose, not a leak.
 *
 * <p>Beside it: the printer directory (400 printers, reference data), the font cache (an LRU
 * of 300 glyph tables at its cap), the job history (the last 5,000 jobs, a ring trimmed at its
 * cap), the 12 jobs in flight with their channels (also in the channel map), the department
 * quota table (120 departments), and a render buffer per worker thread (4 x 256 KiB).
 */
public class SvcHealthyPrintFarm {
    static final long HOUR = 3_600_000L;
    static final int PRINTERS = 400;
    static final int FONTS = 300;
    static final int HISTORY = 5_000;
    static final int DEPARTMENTS = 120;
    static volatile PrintService RUNNING;

    /** One printer of the directory. */
    static final class Printer {
        final String name; final String building; final int floor; final String model; final byte[] ppd;
        Printer(String name, String building, int floor, String model, int ppdBytes) {
            this.name = name; this.building = building; this.floor = floor; this.model = model; this.ppd = new byte[ppdBytes];
        }
    }

    /** An open IPP-like channel to one printer: kept open between jobs. */
    static final class PrinterChannel {
        final String printer; final long openedAt; long lastJobAt; long bytesSent; boolean closed;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream(4_096);
        final BufferedOutputStream out = new BufferedOutputStream(wire, 8_192);
        PrinterChannel(String printer, long openedAt) { this.printer = printer; this.openedAt = openedAt; this.lastJobAt = openedAt; }
        void send(byte[] page, long at) throws IOException { out.write(page, 0, 64); bytesSent += page.length; lastJobAt = at; }
        void close() throws IOException { out.close(); closed = true; }
    }

    /** A finished or running job. */
    static final class PrintJob {
        final long id; final String user; final String printer; final int pages; final long submittedAt; long finishedAt;
        PrintJob(long id, String user, String printer, int pages, long submittedAt) {
            this.id = id; this.user = user; this.printer = printer; this.pages = pages; this.submittedAt = submittedAt;
        }
    }

    /** Glyph tables, least recently used first out. */
    static final class FontCache extends LinkedHashMap<String, int[]> {
        FontCache() { super(64, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, int[]> e) { return size() > FONTS; }
    }

    static final class PrintService {
        final Map<String, Printer> directory = new HashMap<>();
        final Map<String, PrinterChannel> channels = new ConcurrentHashMap<>();
        final FontCache fonts = new FontCache();
        final ArrayDeque<PrintJob> history = new ArrayDeque<>();
        final Map<Long, PrintJob> inFlight = new HashMap<>();
        final Map<String, long[]> quotas = new HashMap<>();
        final List<byte[]> renderBuffers = new ArrayList<>();

        PrinterChannel channel(String printer, long at) {
            return channels.computeIfAbsent(printer, p -> new PrinterChannel(p, at));
        }

        void finish(PrintJob job, long at) {
            job.finishedAt = at;
            history.addLast(job);
            if (history.size() > HISTORY) history.removeFirst();
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("self-check failed: " + what);
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long morning = now - 12 * HOUR;
        Random rnd = new Random(12_012_001);
        PrintService svc = new PrintService();
        RUNNING = svc;
        for (int i = 0; i < PRINTERS; i++) {
            String name = "printer-" + (char) ('a' + i % 8) + "-" + (i / 8);
            svc.directory.put(name, new Printer(name, "bldg-" + (char) ('a' + i % 8), i % 12, "model-" + i % 15, 2_048 + rnd.nextInt(2_048)));
        }
        for (int d = 0; d < DEPARTMENTS; d++) svc.quotas.put("dept-" + d, new long[12]);
        for (int t = 0; t < 4; t++) svc.renderBuffers.add(new byte[256 * 1024]);
        String[] printers = svc.directory.keySet().toArray(new String[0]);
        java.util.Arrays.sort(printers);
        byte[] page = new byte[4_096];
        long jobId = 1;
        // Morning: every printer's first job within 3 hours opens its channel; work goes on
        // until 4 hours before the dump, then the campus is quiet (only the evening queue).
        for (int i = 0; i < PRINTERS; i++) {
            long at = morning + 3 * HOUR * i / PRINTERS;
            PrintJob job = new PrintJob(jobId++, "user-" + rnd.nextInt(5_000), printers[i], 1 + rnd.nextInt(20), at);
            svc.channel(printers[i], at).send(page, at);
            svc.finish(job, at + 30_000);
            svc.fonts.put("font-" + rnd.nextInt(900), new int[256]);
        }
        int day = 20_000;
        for (int i = 0; i < day; i++) {
            long at = morning + 3 * HOUR + (5 * HOUR) * i / day;
            String p = printers[rnd.nextInt(PRINTERS)];
            PrintJob job = new PrintJob(jobId++, "user-" + rnd.nextInt(5_000), p, 1 + rnd.nextInt(20), at);
            svc.channel(p, at).send(page, at);
            svc.finish(job, at + 30_000);
            svc.fonts.put("font-" + rnd.nextInt(900), new int[256]);
        }
        // The evening queue: 12 jobs in flight on 12 printers, submitted in the last minutes.
        for (int i = 0; i < 12; i++) {
            long at = now - 60_000 * (i + 1);
            PrintJob job = new PrintJob(jobId++, "user-" + rnd.nextInt(5_000), printers[i * 31 % PRINTERS], 3, at);
            svc.channel(job.printer, at).send(page, at);
            svc.inFlight.put(job.id, job);
        }
        check(svc.channels.size() == PRINTERS, "channels " + svc.channels.size());
        check(svc.history.size() == HISTORY, "history " + svc.history.size());
        check(svc.fonts.size() == FONTS, "fonts " + svc.fonts.size());
        check(svc.inFlight.size() == 12, "in flight");
        for (PrinterChannel c : svc.channels.values()) check(!c.closed, "open");
        LeakCheck.histogram();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1] + " channels " + svc.channels.size());
    }
}
