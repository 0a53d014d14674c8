// hprofscan-dump: name=val12-healthy-statements jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val12-healthy-statements-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 12 (written blind), HEALTHY: the statement export service of a retail bank
 * (PDF, CSV, CAMT.053). It keeps the last 6,000 finished export jobs on purpose, in a capped
 * history, for the customer download page (each with its manifest and an audit trail); 24,000
 * jobs ran in 24 simulated hours, older ones were dropped. Beside it: the account directory, the
 * bank holiday calendar and the FX reference rates (loaded at startup), the 5 running jobs, a pool
 * of PDF layout buffers and a fixed pool of renderers with a font cache each. See
 * testdata/VALIDATION12.md.
 */
public final class Val12HealthyStatementExport {
    static final int ACCOUNTS = 50_000;
    static final int HOLIDAYS = 1_200;
    static final int CURRENCIES = 160;
    static final int HISTORY_CAP = 6_000;
    static final int JOBS = 24_000;
    static final int RUNNING_JOBS = 5;
    static final int PDF_BUFFERS = 16;
    static final int RENDERERS = 4;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static ExportService RUNNING;

    static final class Account {
        final String iban; final String holder; final String currency; final String branch; final long openedAt;
        Account(String iban, String holder, String currency, String branch, long openedAt) { this.iban = iban; this.holder = holder; this.currency = currency; this.branch = branch; this.openedAt = openedAt; }
    }

    /** Reference data: accounts eligible for statements, loaded at startup. */
    static final class AccountDirectory {
        static final Map<String, Account> BY_IBAN = new HashMap<>();
    }

    /** Reference data: bank holidays by calendar and date, and FX rates, loaded at startup. */
    static final class Calendars {
        static final Map<String, Long> HOLIDAYS = new HashMap<>();
        static final Map<String, double[]> FX = new HashMap<>();
    }

    static final class ExportJob {
        final String jobId; final String iban; final String format; final long periodFrom; final long periodTo; final long submittedAt;
        long startedAt; long finishedAt; String status; int pages; long bytes; String manifest; final List<String> audit = new ArrayList<>(4);
        ExportJob(String jobId, String iban, String format, long periodFrom, long periodTo, long submittedAt) { this.jobId = jobId; this.iban = iban; this.format = format; this.periodFrom = periodFrom; this.periodTo = periodTo; this.submittedAt = submittedAt; }
    }

    /** The finished-job history, capped on purpose. */
    static final class JobHistory {
        final int capacity;
        final ArrayDeque<ExportJob> finished = new ArrayDeque<>();
        long dropped;
        JobHistory(int capacity) { this.capacity = capacity; }
        void add(ExportJob j) { finished.addLast(j); while (finished.size() > capacity) { finished.removeFirst(); dropped++; } }
    }

    static final class ExportService {
        final JobHistory history = new JobHistory(HISTORY_CAP);
        final Map<String, ExportJob> running = new ConcurrentHashMap<>();
        final ArrayBlockingQueue<byte[]> pdfBuffers = new ArrayBlockingQueue<>(PDF_BUFFERS);
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor renderers = new ThreadPoolExecutor(RENDERERS, RENDERERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "statement-render-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<byte[]> FONTS = ThreadLocal.withInitial(() -> new byte[256 * 1_024]);
        final Properties config = new Properties();
        ExportService() { for (int i = 0; i < PDF_BUFFERS; i++) pdfBuffers.add(new byte[64 * 1_024]); }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - 24 * HOUR;
        Random rnd = new Random(12_050_001);
        ExportService svc = new ExportService();
        RUNNING = svc;
        for (int i = 0; i < 70; i++) svc.config.setProperty("export.template." + i, "tpl-" + (i % 11));
        String[] ccy = {"EUR", "CHF", "GBP", "USD"};
        String[] ibans = new String[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            ibans[i] = "DE" + (10 + i % 89) + "5001" + String.format("%014d", 3_000_000_000L + i * 97L);
            AccountDirectory.BY_IBAN.put(ibans[i], new Account(ibans[i], "Account Holder " + i, ccy[i % ccy.length], "BR" + (i % 300), now - DAY * (30 + rnd.nextInt(8_000))));
        }
        for (int i = 0; i < HOLIDAYS; i++) Calendars.HOLIDAYS.put("TARGET2-" + i, now - DAY * 3_000 + DAY * i * 5);
        for (int i = 0; i < CURRENCIES; i++) { double[] r = new double[366]; for (int k = 0; k < r.length; k++) r[k] = 0.5 + rnd.nextDouble(); Calendars.FX.put("C" + i, r); }
        CyclicBarrier warm = new CyclicBarrier(RENDERERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < RENDERERS; w++) fs.add(svc.renderers.submit(() -> { ExportService.FONTS.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        String[] formats = {"PDF", "CSV", "CAMT053", "MT940"};
        int failed = 0;
        for (int i = 0; i < JOBS + RUNNING_JOBS; i++) {
            boolean runningNow = i >= JOBS;
            long t = runningNow ? now - 30_000 + i - JOBS : start + (now - 2 * MINUTE - start) * i / JOBS;
            long to = now - DAY * rnd.nextInt(30);
            ExportJob j = new ExportJob(UUID.randomUUID().toString(), ibans[rnd.nextInt(ACCOUNTS)], formats[rnd.nextInt(4)], to - 30 * DAY, to, t);
            j.startedAt = t + 500 + rnd.nextInt(5_000);
            j.audit.add("submitted via " + (rnd.nextBoolean() ? "online banking" : "mobile app"));
            if (runningNow) { j.status = "RENDERING"; svc.running.put(j.jobId, j); continue; }
            byte[] buf = svc.pdfBuffers.take();
            j.pages = 1 + rnd.nextInt(12);
            j.bytes = 20_000L + rnd.nextInt(400_000);
            j.finishedAt = j.startedAt + 1_000 + rnd.nextInt(20_000);
            j.status = rnd.nextInt(40) == 0 ? "FAILED" : "DONE";
            if (j.status.equals("FAILED")) failed++;
            StringBuilder m = new StringBuilder();
            for (int k = 0; k < j.pages; k++) m.append("page ").append(k + 1).append(" sha256=").append(Long.toHexString(rnd.nextLong())).append(Long.toHexString(rnd.nextLong())).append(';');
            j.manifest = m.toString();
            j.audit.add("rendered " + j.pages + " pages");
            j.audit.add(j.status.equals("DONE") ? "stored in archive bucket" : "renderer error: font subset");
            svc.pdfBuffers.put(buf);
            svc.history.add(j);
        }
        int done = 0, withFinish = 0;
        for (ExportJob j : svc.history.finished) { if (j.finishedAt > 0) withFinish++; if (j.status.equals("DONE") || j.status.equals("FAILED")) done++; }
        System.out.println("accounts " + AccountDirectory.BY_IBAN.size() + " holidays " + Calendars.HOLIDAYS.size() + " fx " + Calendars.FX.size() + " history " + svc.history.finished.size()
                + " (dropped " + svc.history.dropped + ", finished " + withFinish + ") running " + svc.running.size() + " buffers " + svc.pdfBuffers.size() + " failed " + failed);
        check(AccountDirectory.BY_IBAN.size() == ACCOUNTS && Calendars.HOLIDAYS.size() == HOLIDAYS && Calendars.FX.size() == CURRENCIES, "reference data");
        check(svc.history.finished.size() == HISTORY_CAP && done == HISTORY_CAP && withFinish == HISTORY_CAP && svc.history.dropped == JOBS - HISTORY_CAP, "history");
        check(svc.running.size() == RUNNING_JOBS && svc.pdfBuffers.size() == PDF_BUFFERS && svc.renderers.getPoolSize() == RENDERERS, "running/pools");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
