// hprofscan-build: javac --release 17 -nowarn -cp testdata/build/classes -d testdata/build/val17-expense-classes testdata/val17-modules-src/testdata/expense/*.java
// hprofscan-dump: name=val17-healthy-expenses jvm="-Xmx256m" variants=mxbean args="testdata/build/val17-expense-classes"
// hprofscan-dump: name=val17-healthy-expenses-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd args="testdata/build/val17-expense-classes"
package testdata;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * Validation set 17 (written blind), HEALTHY: the multi-tenant expense-management service of a
 * SaaS vendor. Each of the 36 tenants has its own expense-policy pack (testdata.expense.PolicyPack,
 * compiled into testdata/build/val17-expense-classes, NOT on the classpath) loaded once at startup
 * in its own URLClassLoader; all 36 are in use (every tenant files reports). Legitimate, all of
 * it: the merchant directory (a static map, the biggest structure), the FX-rate history, the
 * tenant registry with its 36 loaders, a receipt-thumbnail LRU at its cap, a pool of OCR engines
 * (all returned), the open draft reports, the approval queue, and a fixed pool of 16 workers with
 * a per-thread OCR scratch buffer reset per task. See testdata/VALIDATION17.md.
 *
 * Usage: Val17HealthyExpenseReports <variant> <outpath> <policyClassDir>
 */
public final class Val17HealthyExpenseReports {
    static final int TENANTS = 36;
    static final int POLICY_CATEGORIES = 600;
    static final int MERCHANTS = 70_000;
    static final int FX_PAIRS = 400;
    static final int FX_DAYS = 365;
    static final int THUMB_CAP = 2_500;
    static final int OCR_ENGINES = 24;
    static final int WORKERS = 16;
    static final int RECEIPTS_PER_HOUR = 1_500;
    static final long SIM_HOURS = 9;
    static final int APPROVAL_CAP = 3_000;
    static final String POLICY_CLASS = "testdata.expense.PolicyPack";
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    /** The host interface the tenants' policy packs implement (loaded by the application loader). */
    public interface Policy {
        void configure(String tenant, int categories, long seed);
        String tenant();
        int categories();
        boolean allowed(int category, int amountCents);
    }

    /** Per-thread OCR scratch of the workers, cleared at the start of every task. */
    static final ThreadLocal<byte[]> OCR_SCRATCH = ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    static final class Merchant { final String id; final String name; final int mcc; final String country; final String vatNumber;
        Merchant(String id, String name, int mcc, String country, String vatNumber) { this.id = id; this.name = name; this.mcc = mcc; this.country = country; this.vatNumber = vatNumber; } }

    /** Reference data, loaded at startup. */
    static final class MerchantDirectory {
        static final Map<String, Merchant> BY_ID = new HashMap<>();
        static final List<Merchant> ALL = new ArrayList<>();
    }

    /** Reference data: a year of daily FX rates per currency pair. */
    static final class FxRates {
        static final Map<String, double[]> DAILY = new HashMap<>();
    }

    static final class Tenant { final String name; final URLClassLoader loader; final Policy policy; final long loadedAt; long reports;
        Tenant(String name, URLClassLoader loader, Policy policy, long loadedAt) { this.name = name; this.loader = loader; this.policy = policy; this.loadedAt = loadedAt; } }

    static final class TenantRegistry {
        final Map<String, Tenant> tenants = new HashMap<>();
        void load(String name, File dir, long at, long seed) throws Exception {
            URLClassLoader loader = new URLClassLoader("tenant-" + name + "-policy", new URL[] {dir.toURI().toURL()}, Val17HealthyExpenseReports.class.getClassLoader());
            Class<?> impl = Class.forName(POLICY_CLASS, true, loader);
            if (impl.getClassLoader() != loader) throw new IllegalStateException("policy class is on the host class path: " + impl.getClassLoader());
            Policy p = (Policy) impl.getDeclaredConstructor().newInstance();
            p.configure(name, POLICY_CATEGORIES, seed);
            tenants.put(name, new Tenant(name, loader, p, at));
        }
    }

    static final class ThumbLru extends LinkedHashMap<String, byte[]> {
        long evicted;
        ThumbLru() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final class OcrEngine { final int id; final float[] weights = new float[16_384]; long pages;
        OcrEngine(int id) { this.id = id; } }

    static final class OcrPool {
        final ArrayDeque<OcrEngine> idle = new ArrayDeque<>();
        final IdentityHashMap<OcrEngine, Boolean> borrowed = new IdentityHashMap<>();
        OcrPool() { for (int i = 0; i < OCR_ENGINES; i++) idle.add(new OcrEngine(i)); }
        synchronized OcrEngine borrow() { OcrEngine e = idle.poll(); if (e == null) throw new IllegalStateException("pool empty"); borrowed.put(e, Boolean.TRUE); return e; }
        synchronized void giveBack(OcrEngine e) { borrowed.remove(e); idle.add(e); }
    }

    static final class ExpenseLine { final Merchant merchant; final int category; final int amountCents; final String currency; final long spentAt;
        ExpenseLine(Merchant merchant, int category, int amountCents, String currency, long spentAt) { this.merchant = merchant; this.category = category; this.amountCents = amountCents; this.currency = currency; this.spentAt = spentAt; } }

    static final class DraftReport { final String id; final Tenant tenant; final String employee; final List<ExpenseLine> lines = new ArrayList<>(); final long openedAt; final long submitAt;
        DraftReport(String id, Tenant tenant, String employee, long openedAt, long submitAt) { this.id = id; this.tenant = tenant; this.employee = employee; this.openedAt = openedAt; this.submitAt = submitAt; } }

    static final class ApprovalTask { final String reportId; final String approver; final int totalCents; final long queuedAt;
        ApprovalTask(String reportId, String approver, int totalCents, long queuedAt) { this.reportId = reportId; this.approver = approver; this.totalCents = totalCents; this.queuedAt = queuedAt; } }

    static final class ExpenseService {
        final TenantRegistry registry = new TenantRegistry();
        final ThumbLru thumbnails = new ThumbLru();
        final OcrPool ocr = new OcrPool();
        final Map<String, DraftReport> drafts = new HashMap<>();
        final ArrayBlockingQueue<ApprovalTask> approvals = new ArrayBlockingQueue<>(APPROVAL_CAP);
        final AtomicInteger workerSeq = new AtomicInteger();
        final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "expense-worker-" + workerSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long submitted, approved, rejectedLines;

        void submit(DraftReport d, long t) {
            drafts.remove(d.id);
            int total = 0;
            for (ExpenseLine l : d.lines) { total += l.amountCents; if (!d.tenant.policy.allowed(l.category, l.amountCents)) rejectedLines++; }
            d.tenant.reports++;
            if (!approvals.offer(new ApprovalTask(d.id, "manager-of-" + d.employee, total, t))) throw new IllegalStateException("approval queue full");
            submitted++;
        }
        void approvalRun() { approved += approvals.size(); approvals.clear(); }
    }

    static ExpenseService EXPENSES;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[2]);
        if (!new File(dir, "testdata/expense/PolicyPack.class").isFile()) throw new IllegalStateException("policy classes not compiled in " + dir.getAbsolutePath());
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(17_050_005);
        ExpenseService svc = new ExpenseService();
        EXPENSES = svc;
        for (int i = 0; i < 50; i++) svc.config.setProperty("expense.tenant.quota." + i, Integer.toString(10_000 + i));
        String[] tenantNames = new String[TENANTS];
        for (int i = 0; i < TENANTS; i++) {
            tenantNames[i] = "acme" + (char) ('a' + i % 26) + (i / 26);
            svc.registry.load(tenantNames[i], dir, start, 17_000L + i);
        }
        String[] countries = {"GB", "DE", "FR", "US", "NL", "ES", "IT", "IE"};
        for (int i = 0; i < MERCHANTS; i++) {
            Merchant m = new Merchant("MER" + (2_000_000 + i), "Merchant " + i + (i % 3 == 0 ? " Restaurant & Bar" : i % 3 == 1 ? " Hotel and Conference Centre" : " Taxi Services Ltd"), 4_000 + rnd.nextInt(4_000), countries[rnd.nextInt(countries.length)], "VAT" + (100_000_000 + rnd.nextInt(800_000_000)));
            MerchantDirectory.BY_ID.put(m.id, m);
            MerchantDirectory.ALL.add(m);
        }
        for (int i = 0; i < FX_PAIRS; i++) {
            double[] rates = new double[FX_DAYS];
            for (int d = 0; d < FX_DAYS; d++) rates[d] = 0.5 + rnd.nextDouble();
            FxRates.DAILY.put("CCY" + (i / 20) + "/CCY" + (i % 20), rates);
        }
        CyclicBarrier ready = new CyclicBarrier(WORKERS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) warm.add(svc.workers.submit(() -> { OCR_SCRATCH.get(); ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        // Receipts spread evenly up to the dump. A receipt goes into the employee's open draft (a
        // draft is submitted 30-90 minutes after it was opened); its OCR runs on a worker with a
        // pooled engine; its thumbnail is cached. Approvers take the whole queue every 20 minutes.
        int receipts = (int) (RECEIPTS_PER_HOUR * SIM_HOURS);
        java.util.PriorityQueue<DraftReport> due = new java.util.PriorityQueue<>((a, b) -> Long.compare(a.submitAt, b.submitAt));
        long nextApprovalRun = start + 20 * MINUTE;
        int reportSeq = 0;
        String[] ccys = {"GBP", "EUR", "USD"};
        for (int i = 0; i < receipts; i++) {
            long t = start + (now - start) * i / receipts;
            while (!due.isEmpty() && due.peek().submitAt <= t) { DraftReport d = due.poll(); svc.submit(d, d.submitAt); }
            while (nextApprovalRun <= t) { svc.approvalRun(); nextApprovalRun += 20 * MINUTE; }
            Tenant tenant = svc.registry.tenants.get(tenantNames[rnd.nextInt(TENANTS)]);
            String employee = tenant.name + "/emp" + rnd.nextInt(400);
            String draftKey = employee + "#open";
            DraftReport d = svc.drafts.get(draftKey);
            if (d == null) {
                d = new DraftReport(draftKey, tenant, employee, t, t + (30 + rnd.nextInt(61)) * MINUTE);
                svc.drafts.put(draftKey, d);
                due.add(d);
                reportSeq++;
            }
            Merchant m = MerchantDirectory.ALL.get(rnd.nextInt(MERCHANTS));
            d.lines.add(new ExpenseLine(m, rnd.nextInt(POLICY_CATEGORIES), 300 + rnd.nextInt(60_000), ccys[rnd.nextInt(3)], t - rnd.nextInt(48) * HOUR));
            int thumbSize = 1_800 + rnd.nextInt(600);
            String receiptId = "RC" + (60_000_000 + i);
            Future<byte[]> f = svc.workers.submit(() -> {
                byte[] scratch = OCR_SCRATCH.get();
                Arrays.fill(scratch, (byte) 0);
                OcrEngine e = svc.ocr.borrow();
                try { e.pages++; return new byte[thumbSize]; } finally { svc.ocr.giveBack(e); }
            });
            svc.thumbnails.put(receiptId, f.get());
        }
        while (!due.isEmpty() && due.peek().submitAt <= now) { DraftReport d = due.poll(); svc.submit(d, d.submitAt); }
        int open = due.size();
        long tenantsUsed = svc.registry.tenants.values().stream().filter(x -> x.reports > 0 || svc.drafts.values().stream().anyMatch(dr -> dr.tenant == x)).count();
        System.out.println("merchants " + MerchantDirectory.BY_ID.size() + " fx pairs " + FxRates.DAILY.size() + " tenants " + svc.registry.tenants.size() + " (in use " + tenantsUsed + ") receipts " + receipts + " reports " + reportSeq + " submitted " + svc.submitted + " open drafts " + svc.drafts.size() + " approvals queued " + svc.approvals.size() + " approved " + svc.approved + " thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") ocr idle " + svc.ocr.idle.size() + " borrowed " + svc.ocr.borrowed.size());
        check(MerchantDirectory.BY_ID.size() == MERCHANTS && FxRates.DAILY.size() == FX_PAIRS, "reference data");
        check(svc.registry.tenants.size() == TENANTS && tenantsUsed == TENANTS, "tenants");
        for (Tenant tn : svc.registry.tenants.values()) check(tn.policy.categories() == POLICY_CATEGORIES && tn.policy.getClass().getClassLoader() == tn.loader, "tenant policy");
        check(svc.drafts.size() == open && svc.submitted == reportSeq - open, "drafts");
        check(svc.approvals.size() + svc.approved == svc.submitted && svc.approvals.size() > 0, "approval queue");
        check(svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted == receipts - THUMB_CAP, "thumbnail lru");
        check(svc.ocr.idle.size() == OCR_ENGINES && svc.ocr.borrowed.isEmpty(), "ocr pool");
        check(svc.workers.getPoolSize() == WORKERS, "worker pool");
        due = null;
        LeakCheck.histogram("java.net.URLClassLoader ", "testdata.expense.");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
