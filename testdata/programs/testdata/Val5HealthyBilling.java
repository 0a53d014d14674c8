// hprofscan-dump: name=val5-healthy-billing-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 5 (written blind), HEALTHY: a multi-tenant usage-billing service. The
 * counterparts of this set's leaks, done right: one {@code ThreadPoolExecutor} per tenant for the
 * 8 contracted tenants, created at startup (2 threads each, idle); a JMX-like bean registry with
 * one bean per component (24), registered at startup; a usage aggregator keyed by (customer,
 * hour bucket) composite keys that drops buckets older than 2 hours when it rolls (so it holds
 * the current and previous hour of the 3,000 customers); an invoice run's retry list whose items
 * are given up after 4 attempts. Reference data: 20,000 tariff rows. The current billing period's
 * invoices (15,000, keyed by invoice number). 90,000 usage events over 10 simulated hours ending
 * now. Nothing here is a leak. See testdata/VALIDATION5.md.
 */
public final class Val5HealthyBilling {
    static final int TENANTS = 8;
    static final int THREADS_PER_TENANT = 2;
    static final int BEANS = 24;
    static final int CUSTOMERS = 3_000;
    static final int TARIFFS = 20_000;
    static final int INVOICES = 15_000;
    static final int EVENTS = 90_000;
    static final int MAX_ATTEMPTS = 4;
    static final int BUCKETS_AT_DUMP = 5_497; // 2,745 in the current hour + 2,752 in the previous one
    static final long HOUR = 3600_000L;
    static final long SIM_MILLIS = 10L * HOUR;

    static BillingService RUNNING;

    static final class Tariff {
        final String code; final String product; final String region; final BigDecimal unitPrice; final long[] tiers; final long loadedAt;
        Tariff(String code, String product, String region, BigDecimal unitPrice, long[] tiers, long loadedAt) { this.code = code; this.product = product; this.region = region; this.unitPrice = unitPrice; this.tiers = tiers; this.loadedAt = loadedAt; }
    }

    static final class TariffBook {
        static final Map<String, Tariff> TARIFFS_BY_CODE = new HashMap<>();
    }

    static final class UsageKey {
        final long customerId; final long hourBucket;
        UsageKey(long customerId, long hourBucket) { this.customerId = customerId; this.hourBucket = hourBucket; }
        @Override public boolean equals(Object o) { return o instanceof UsageKey && ((UsageKey) o).customerId == customerId && ((UsageKey) o).hourBucket == hourBucket; }
        @Override public int hashCode() { return Objects.hash(customerId, hourBucket); }
    }

    static final class UsageTotals {
        long units; long events; long firstAt; long lastAt;
    }

    /** Hourly usage roll-up: (customer, hour) buckets; buckets older than the previous hour are flushed and dropped. */
    static final class UsageAggregator {
        final Map<UsageKey, UsageTotals> buckets = new ConcurrentHashMap<>();
        long currentHour = Long.MIN_VALUE; long flushed; long periodStart;
        void record(long customerId, long units, long at) {
            long hour = (at - periodStart) / HOUR; // billing hour since the start of the metering period
            if (hour != currentHour) {
                currentHour = hour;
                for (Iterator<UsageKey> it = buckets.keySet().iterator(); it.hasNext(); ) { if (it.next().hourBucket < hour - 1) { it.remove(); flushed++; } }
            }
            UsageTotals t = buckets.computeIfAbsent(new UsageKey(customerId, hour), k -> { UsageTotals u = new UsageTotals(); u.firstAt = at; return u; });
            t.units += units; t.events++; t.lastAt = at;
        }
    }

    static final class ComponentBean {
        final String objectName; final LongAdder invocations = new LongAdder(); long lastInvocationAt; final long registeredAt;
        ComponentBean(String objectName, long registeredAt) { this.objectName = objectName; this.registeredAt = registeredAt; }
    }

    static final class BeanRegistry {
        final Map<String, ComponentBean> beans = new ConcurrentHashMap<>();
        void register(ComponentBean b) { beans.put(b.objectName, b); }
    }

    static final class InvoiceLine {
        final String tariff; final long units; final BigDecimal amount;
        InvoiceLine(String tariff, long units, BigDecimal amount) { this.tariff = tariff; this.units = units; this.amount = amount; }
    }

    static final class Invoice {
        final String number; final long customerId; final String tenant; final List<InvoiceLine> lines = new ArrayList<>(2); final long issuedAt; String status = "OPEN";
        Invoice(String number, long customerId, String tenant, long issuedAt) { this.number = number; this.customerId = customerId; this.tenant = tenant; this.issuedAt = issuedAt; }
    }

    static final class DeliveryAttempt {
        final String invoiceNumber; int attempts; long lastAttemptAt;
        DeliveryAttempt(String invoiceNumber) { this.invoiceNumber = invoiceNumber; }
    }

    static final class BillingService {
        final Map<String, ThreadPoolExecutor> executorsByTenant = new HashMap<>();
        final BeanRegistry beans = new BeanRegistry();
        final UsageAggregator usage = new UsageAggregator();
        final Map<String, Invoice> invoices = new HashMap<>();
        final List<DeliveryAttempt> retryList = new ArrayList<>();
        long gaveUp;
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        ThreadPoolExecutor newTenantPool(String tenant) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor ex = new ThreadPoolExecutor(THREADS_PER_TENANT, THREADS_PER_TENANT, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> { Thread t = new Thread(r, "billing-" + tenant + "-" + n.incrementAndGet()); t.setDaemon(true); return t; });
            ex.prestartAllCoreThreads();
            return ex;
        }

        /** Invoice e-mail delivery: retried on the next run, given up after MAX_ATTEMPTS. */
        void retryRun(Random rnd, long now) {
            for (Iterator<DeliveryAttempt> it = retryList.iterator(); it.hasNext(); ) {
                DeliveryAttempt a = it.next();
                a.attempts++; a.lastAttemptAt = now;
                if (rnd.nextInt(3) == 0) { it.remove(); count("invoice.delivered"); }
                else if (a.attempts >= MAX_ATTEMPTS) { it.remove(); gaveUp++; }
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        BillingService svc = new BillingService();
        RUNNING = svc;
        Random rnd = new Random(5_080_008);
        for (int i = 0; i < TARIFFS; i++) {
            String code = "T" + (100_000 + i);
            long[] tiers = new long[6];
            for (int j = 0; j < 6; j++) tiers[j] = (j + 1) * 1_000L * (1 + rnd.nextInt(10));
            TariffBook.TARIFFS_BY_CODE.put(code, new Tariff(code, "product-" + (i % 400), "region-" + (i % 12), BigDecimal.valueOf(1 + rnd.nextInt(100_000), 4), tiers, start));
        }
        String[] tenants = new String[TENANTS];
        for (int i = 0; i < TENANTS; i++) { tenants[i] = "tenant" + (i + 1); svc.executorsByTenant.put(tenants[i], svc.newTenantPool(tenants[i])); }
        String[] comps = {"usage", "rating", "invoicing", "payments", "dunning", "tax", "ledger", "export"};
        for (String c : comps) for (String kind : new String[] {"Service", "Repository", "Scheduler"}) svc.beans.register(new ComponentBean("billing:type=" + kind + ",name=" + c, start));
        // Each tenant pool rates a checked batch.
        List<Future<Long>> fs = new ArrayList<>();
        for (int k = 0; k < TENANTS * 10; k++) { final long v = k; fs.add(svc.executorsByTenant.get(tenants[k % TENANTS]).submit(() -> v * 2)); }
        long sum = 0; for (Future<Long> f : fs) sum += f.get();
        check(sum == 6_320, "rating batch " + sum);
        now = System.currentTimeMillis();
        start = now - SIM_MILLIS;
        for (int i = 0; i < INVOICES; i++) {
            String number = "INV-2025-" + (400_000 + i);
            Invoice inv = new Invoice(number, 8_000_000L + rnd.nextInt(CUSTOMERS), tenants[i % TENANTS], start + SIM_MILLIS * i / INVOICES);
            for (int j = 0; j < 2; j++) { Tariff tf = TariffBook.TARIFFS_BY_CODE.get("T" + (100_000 + rnd.nextInt(TARIFFS))); long u = 1 + rnd.nextInt(5_000); inv.lines.add(new InvoiceLine(tf.code, u, tf.unitPrice.multiply(BigDecimal.valueOf(u)))); }
            svc.invoices.put(number, inv);
            if (i % 25 == 0) svc.retryList.add(new DeliveryAttempt(number));
            if (i % 100 == 99) svc.retryRun(rnd, inv.issuedAt);
        }
        svc.usage.periodStart = start;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + SIM_MILLIS * i / EVENTS;
            // within each hour every customer reports at least once (round-robin), plus random traffic
            long customer = 8_000_000L + (i % 30 < 10 ? (i / 3) % CUSTOMERS : rnd.nextInt(CUSTOMERS));
            svc.usage.record(customer, 1 + rnd.nextInt(100), t);
            ComponentBean b = svc.beans.beans.get("billing:type=Service,name=usage");
            b.invocations.increment(); b.lastInvocationAt = t;
        }
        int buckets = svc.usage.buckets.size();
        long hourNow = (SIM_MILLIS * (EVENTS - 1) / EVENTS) / HOUR;
        int cur = 0, prev = 0;
        for (UsageKey k : svc.usage.buckets.keySet()) { if (k.hourBucket == hourNow) cur++; else if (k.hourBucket == hourNow - 1) prev++; }
        int threads = 0;
        for (ThreadPoolExecutor ex : svc.executorsByTenant.values()) threads += ex.getPoolSize();
        System.out.println("usage buckets " + buckets + " (current hour " + cur + ", previous " + prev + ") flushed " + svc.usage.flushed + " retry list " + svc.retryList.size() + " gave up " + svc.gaveUp + " threads " + threads + " beans " + svc.beans.beans.size());
        check(cur + prev == buckets, "buckets older than the previous hour " + buckets);
        check(buckets == BUCKETS_AT_DUMP && buckets <= 2 * CUSTOMERS, "buckets " + buckets);
        check(svc.retryList.size() == 5 && svc.gaveUp == 113, "retry list " + svc.retryList.size());
        check(threads == TENANTS * THREADS_PER_TENANT && svc.executorsByTenant.size() == TENANTS, "tenant pools");
        check(svc.beans.beans.size() == BEANS, "beans");
        check(svc.invoices.size() == INVOICES && TariffBook.TARIFFS_BY_CODE.size() == TARIFFS, "invoices/tariffs");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.exit(0);
    }
}
