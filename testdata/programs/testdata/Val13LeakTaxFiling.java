// hprofscan-dump: name=val13-leak-taxfiling jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val13-leak-taxfiling-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 13 (written blind), LEAK (small): the e-filing gateway of a tax authority.
 * Returns are validated on a fixed pool of 4 threads, each with a reusable validation context in a
 * ThreadLocal (errors, warnings, the return being validated). The context's error list is cleared
 * at the start of every validation, but its warning list never is: the warnings are copied into
 * the result and stay in the pooled thread's context, so every warning of every return validated
 * since startup is kept (spread over the 4 threads). Much bigger beside it: the taxpayer registry
 * and the form schemas (loaded at startup), the acknowledgements of all returns filed in the last
 * 72 hours (kept by policy for status queries, swept by age), a pool of PDF receipt buffers and a
 * capped per-client rate-limit table. See testdata/VALIDATION13.md.
 */
public final class Val13LeakTaxFiling {
    static final int TAXPAYERS = 80_000;
    static final int FORMS = 400;
    static final int RETURNS = 24_000;
    static final int VALIDATORS = 4;
    static final int PDF_BUFFERS = 8;
    static final int CLIENT_CAP = 4_000;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long ACK_RETENTION = 72 * HOUR;

    static FilingService RUNNING;

    static final class Taxpayer { final String tin; final String name; final String address; final String filingStatus; final long registeredAt; final int[] priorYearsAssessed;
        Taxpayer(String tin, String name, String address, String filingStatus, long registeredAt, int[] priorYearsAssessed) { this.tin = tin; this.name = name; this.address = address; this.filingStatus = filingStatus; this.registeredAt = registeredAt; this.priorYearsAssessed = priorYearsAssessed; } }

    /** Reference data, loaded at startup. */
    static final class Registry {
        static final Map<String, Taxpayer> BY_TIN = new HashMap<>();
    }

    static final class FormSchema { final String formCode; final String[] fieldPaths; final int[] maxLengths;
        FormSchema(String formCode, String[] fieldPaths, int[] maxLengths) { this.formCode = formCode; this.fieldPaths = fieldPaths; this.maxLengths = maxLengths; } }

    static final class Warning { final String returnId; final String formCode; final String fieldPath; final String message; final long at;
        Warning(String returnId, String formCode, String fieldPath, String message, long at) { this.returnId = returnId; this.formCode = formCode; this.fieldPath = fieldPath; this.message = message; this.at = at; } }

    static final class TaxReturn { final String returnId; final String tin; final String formCode; final long submittedAt; final List<String[]> findings;
        TaxReturn(String returnId, String tin, String formCode, long submittedAt, List<String[]> findings) { this.returnId = returnId; this.tin = tin; this.formCode = formCode; this.submittedAt = submittedAt; this.findings = findings; } }

    /** Per-thread reusable validation state. */
    static final class ValidationContext {
        final String thread;
        final List<String> errors = new ArrayList<>();
        /** THE LEAK: never cleared, grows with every warning of every return this thread validates. */
        final List<Warning> warnings = new ArrayList<>();
        String currentReturnId;
        int validated;
        ValidationContext(String thread) { this.thread = thread; }
    }

    static final class Ack { final String returnId; final String tin; final String receiptNumber; final long filedAt; final int status;
        Ack(String returnId, String tin, String receiptNumber, long filedAt, int status) { this.returnId = returnId; this.tin = tin; this.receiptNumber = receiptNumber; this.filedAt = filedAt; this.status = status; } }

    static final class ClientBucket { final String clientId; int tokens; long refilledAt;
        ClientBucket(String clientId) { this.clientId = clientId; } }

    static final class FilingService {
        final Map<String, FormSchema> forms = new HashMap<>();
        /** Acknowledgements kept 72 hours for status queries (insertion order, swept by age). */
        final LinkedHashMap<String, Ack> acks = new LinkedHashMap<>();
        final ArrayBlockingQueue<byte[]> pdfBuffers = new ArrayBlockingQueue<>(PDF_BUFFERS);
        final LinkedHashMap<String, ClientBucket> clients = new LinkedHashMap<>(CLIENT_CAP * 4 / 3 + 1, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, ClientBucket> e) { return size() > CLIENT_CAP; }
        };
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor validators = new ThreadPoolExecutor(VALIDATORS, VALIDATORS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "efile-validate-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        static final ThreadLocal<ValidationContext> CONTEXT = ThreadLocal.withInitial(() -> new ValidationContext(Thread.currentThread().getName()));
        final Properties config = new Properties();
        FilingService() { for (int i = 0; i < PDF_BUFFERS; i++) pdfBuffers.add(new byte[256 * 1024]); }

        int validate(TaxReturn r, boolean fixed) {
            ValidationContext ctx = CONTEXT.get();
            ctx.errors.clear();
            ctx.currentReturnId = r.returnId;
            for (String[] f : r.findings) {
                if (f[0].equals("E")) ctx.errors.add(f[1] + ": " + f[2]);
                else ctx.warnings.add(new Warning(r.returnId, r.formCode, f[1], f[2], r.submittedAt));
            }
            int result = ctx.errors.isEmpty() ? 0 : 1;
            if (fixed) ctx.warnings.clear();
            ctx.validated++;
            return result;
        }
        void sweepAcks(long t) {
            for (Iterator<Ack> it = acks.values().iterator(); it.hasNext();) { if (it.next().filedAt + ACK_RETENTION <= t) it.remove(); else break; }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val13.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - 10 * HOUR;
        Random rnd = new Random(13_050_001);
        FilingService svc = new FilingService();
        RUNNING = svc;
        for (int i = 0; i < 60; i++) svc.config.setProperty("efile.schema." + i, "rev=" + (2020 + i % 6));
        String[] status = {"single", "married-joint", "married-separate", "head-of-household"};
        for (int i = 0; i < TAXPAYERS; i++) {
            String tin = "756." + (1_000_000 + i * 11) + ".42";
            int[] prior = new int[5];
            for (int k = 0; k < prior.length; k++) prior[k] = rnd.nextInt(200_000);
            Registry.BY_TIN.put(tin, new Taxpayer(tin, "Taxpayer " + i, i + " Bahnhofstrasse, 80" + (i % 100) + " Zurich", status[i % status.length], now - DAY * (30 + rnd.nextInt(10_000)), prior));
        }
        for (int i = 0; i < FORMS; i++) {
            int n = 40 + rnd.nextInt(80);
            String[] paths = new String[n]; int[] max = new int[n];
            for (int k = 0; k < n; k++) { paths[k] = "form" + i + "/section" + (k / 10) + "/field" + k; max[k] = 8 + rnd.nextInt(200); }
            String code = "F" + (1_000 + i);
            svc.forms.put(code, new FormSchema(code, paths, max));
        }
        CyclicBarrier warm = new CyclicBarrier(VALIDATORS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < VALIDATORS; w++) fs.add(svc.validators.submit(() -> { FilingService.CONTEXT.get(); warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // Traffic: 24,000 returns over 10 hours, each validated on the pool (one at a time); a return
        // has 1-2 warnings one time in three and sometimes an error; an accepted return gets an acknowledgement.
        String[] msgs = {"Deduction exceeds the usual range for this income bracket", "Employer identifier not found in the wage register",
                "Rounded amount differs from the computed total by more than 1.00", "Missing supporting document reference"};
        int warnings = 0, accepted = 0;
        for (int i = 0; i < RETURNS; i++) {
            long t = start + (now - start) * i / RETURNS;
            String tin = "756." + (1_000_000 + rnd.nextInt(TAXPAYERS) * 11) + ".42";
            String form = "F" + (1_000 + rnd.nextInt(FORMS));
            List<String[]> findings = new ArrayList<>();
            for (int k = 0, n = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0; k < n; k++, warnings++) findings.add(new String[] {"W", form + "/section" + rnd.nextInt(8) + "/field" + rnd.nextInt(80), msgs[rnd.nextInt(msgs.length)] + " (line " + rnd.nextInt(90) + ")"});
            if (rnd.nextInt(20) == 0) findings.add(new String[] {"E", form + "/section0/field1", "Signature missing"});
            TaxReturn r = new TaxReturn("RT-" + (90_000_000 + i), tin, form, t, findings);
            int res = svc.validators.submit(() -> svc.validate(r, fixed)).get();
            if (res == 0) {
                accepted++;
                svc.acks.put(r.returnId, new Ack(r.returnId, tin, "RC" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36), t, 200));
                byte[] pdf = svc.pdfBuffers.poll(); pdf[i % pdf.length] = 1; svc.pdfBuffers.offer(pdf);
            }
            ClientBucket b = svc.clients.computeIfAbsent("client-" + rnd.nextInt(9_000), ClientBucket::new);
            b.tokens = rnd.nextInt(100); b.refilledAt = t;
            if (i % 500 == 0) svc.sweepAcks(t);
        }
        svc.sweepAcks(now);
        // Collect the 4 contexts, one per pool thread (all threads must be in the barrier at once).
        CyclicBarrier all = new CyclicBarrier(VALIDATORS);
        List<Future<ValidationContext>> cs = new ArrayList<>();
        for (int w = 0; w < VALIDATORS; w++) cs.add(svc.validators.submit(() -> { ValidationContext c = FilingService.CONTEXT.get(); all.await(); return c; }));
        int inContexts = 0, validated = 0;
        for (Future<ValidationContext> c : cs) { inContexts += c.get().warnings.size(); validated += c.get().validated; }
        cs = null;
        int leaked = fixed ? 0 : warnings;
        System.out.println("taxpayers " + Registry.BY_TIN.size() + " forms " + svc.forms.size() + " validated " + validated + " warnings in contexts " + inContexts + " (generated " + warnings + ") acks " + svc.acks.size() + " (accepted " + accepted + ") clients " + svc.clients.size());
        check(Registry.BY_TIN.size() == TAXPAYERS && svc.forms.size() == FORMS, "reference data");
        check(inContexts == leaked && validated == RETURNS, "warnings");
        check(svc.acks.size() == accepted && svc.clients.size() == CLIENT_CAP && svc.pdfBuffers.size() == PDF_BUFFERS && svc.validators.getPoolSize() == VALIDATORS, "acks/clients/pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
