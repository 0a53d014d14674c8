// hprofscan-dump: name=val31-leak-kennels-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val31-leak-kennels-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val31-leak-kennels jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val31-leak-kennels-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 31 (written blind), LEAK: the booking platform of a multi-tenant SaaS for dog
 * boarding kennels. Tenant reference data, the pet directory, a cache of rendered invoices at its
 * cap, a pool of PDF buffers, a ring of recent stays, and a root application context. Every request
 * runs in a child context of the root (the tenant's overrides: a small bean map and a copy of the
 * tenant's config bytes) registered in the root's children list so that root events (config
 * refreshes) propagate to it. The request scope never closes its child, so the root keeps every
 * child context ever created. See VALIDATION31.md.
 */
public final class Val31LeakKennels {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TENANTS = 1_200, PETS = 26_000, INVOICE_CAP = 2_000, POOL = 8, RING = 2_048, REQUESTS_PER_HOUR = 2_000;
    static boolean FIXED;

    record Tenant(String id, String name, double[] nightlyRates, byte[] configTemplate, String colour) {}
    record Pet(String chipId, String tenantId, String name, byte[] vaccinationRecord, long registeredAt) {}
    record Invoice(String key, byte[] rendered, long at) {}
    record Stay(String chipId, String tenantId, long from, long until) {}
    record PricingOverride(String tenantId, double weekendSurcharge, double peakMultiplier) {}
    record Branding(String tenantId, String colour, String logoUrl) {}
    record ContextEvent(String type, long at) {}

    /** An application context: its beans, its config, and its children for event propagation. */
    static final class AppContext {
        final String id;
        final AppContext parent;
        final long createdAt;
        final Map<String, Object> beans = new HashMap<>();
        byte[] config;
        final List<AppContext> children = new ArrayList<>();
        long eventsSeen;
        boolean closed;
        AppContext(String id, AppContext parent, long createdAt) { this.id = id; this.parent = parent; this.createdAt = createdAt; }
        AppContext createChild(String childId, long at) {
            AppContext c = new AppContext(childId, this, at);
            children.add(c);
            return c;
        }
        void publish(ContextEvent e) {
            eventsSeen++;
            for (AppContext c : children) c.publish(e);
        }
        void close() {
            closed = true;
            if (parent != null) parent.children.remove(this);
        }
    }

    static final class InvoiceCache extends LinkedHashMap<String, Invoice> {
        long evicted;
        InvoiceCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Invoice> e) { if (size() > INVOICE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Tenant> TENANTS_BY_ID = new HashMap<>();

    static final class BookingPlatform {
        final AppContext root;
        final Map<String, Pet> pets = new HashMap<>();
        final InvoiceCache invoices = new InvoiceCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final Stay[] recentStays = new Stay[RING];
        long stays, requests, refreshes;
        BookingPlatform(long startedAt) {
            root = new AppContext("root", null, startedAt);
            for (String bean : new String[] {"dataSource", "mailer", "pdfRenderer", "paymentGateway", "scheduler", "tenantResolver", "auditLog", "metrics"}) {
                root.beans.put(bean, bean + "@" + Integer.toHexString(bean.hashCode()));
            }
            root.config = new byte[4_096];
        }
    }

    static BookingPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val31.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int requests = REQUESTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(31_010_001);
        String[] colours = {"teal", "navy", "orange", "forest", "plum", "slate"};
        String[] tenantIds = new String[TENANTS];
        for (int k = 0; k < TENANTS; k++) {
            double[] rates = new double[64];
            for (int i = 0; i < rates.length; i++) rates[i] = 25 + rnd.nextDouble() * 40;
            String id = "KN-" + (10_000 + k);
            tenantIds[k] = id;
            TENANTS_BY_ID.put(id, new Tenant(id, "Kennel " + k, rates, new byte[96 + rnd.nextInt(96)], colours[k % colours.length]));
        }
        BookingPlatform svc = new BookingPlatform(start);
        SERVICE = svc;
        String[] chips = new String[PETS];
        for (int p = 0; p < PETS; p++) {
            chips[p] = "9851" + (12_000_000_000L + p * 13L);
            svc.pets.put(chips[p], new Pet(chips[p], tenantIds[rnd.nextInt(TENANTS)], "Dog " + (p % 700), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_010_002);
        long nextRefresh = start + 10 * MINUTE;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextRefresh <= t) { svc.root.publish(new ContextEvent("tenant-config-refreshed", nextRefresh)); svc.refreshes++; nextRefresh += 10 * MINUTE; }
            Tenant tenant = TENANTS_BY_ID.get(tenantIds[traffic.nextInt(TENANTS)]);
            // request scope: a child context with the tenant's overrides
            AppContext ctx = svc.root.createChild("req-" + Long.toHexString(0x5a00_0000_0000L + i), t);
            ctx.beans.put("tenant", tenant);
            ctx.beans.put("pricing", new PricingOverride(tenant.id(), 1 + traffic.nextDouble() * 0.3, 1 + traffic.nextDouble() * 0.5));
            ctx.beans.put("branding", new Branding(tenant.id(), tenant.colour(), "https://cdn.kennelcloud.example/" + tenant.id() + "/logo.png"));
            ctx.beans.put("requestId", ctx.id);
            ctx.config = tenant.configTemplate().clone();
            svc.requests++;
            // handle the request: book a stay, render its invoice
            String chip = chips[traffic.nextInt(PETS)];
            svc.recentStays[(int) (svc.stays++ % RING)] = new Stay(chip, tenant.id(), t + (1 + traffic.nextInt(30)) * 24 * HOUR, t + (3 + traffic.nextInt(40)) * 24 * HOUR);
            String key = "inv-" + traffic.nextInt(5_000);
            if (svc.invoices.get(key) == null) svc.invoices.put(key, new Invoice(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.pdfBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pdfBuffers.add(buf);
            if (FIXED) ctx.close(); // the request scope ends: the child leaves the root
            // BUG: nothing closes the child context; the root keeps it in children
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " tenants " + TENANTS_BY_ID.size() + " pets " + svc.pets.size() + " requests " + svc.requests + " root children " + svc.root.children.size()
                + " refreshes " + svc.refreshes + " root events " + svc.root.eventsSeen + " invoices " + svc.invoices.size() + " (evicted " + svc.invoices.evicted + ") pool " + svc.pdfBuffers.size() + " stays " + svc.stays);
        check(TENANTS_BY_ID.size() == TENANTS && svc.pets.size() == PETS, "reference data / directory");
        check(svc.requests == requests && svc.refreshes == hours * 6 - 1, "traffic");
        if (FIXED) check(svc.root.children.isEmpty(), "closed children");
        else check(svc.root.children.size() == requests && !svc.root.children.get(requests - 1).closed, "root keeps every child: " + svc.root.children.size());
        check(svc.invoices.size() == INVOICE_CAP && svc.invoices.evicted > 0, "invoice cache at cap");
        check(svc.pdfBuffers.size() == POOL, "pool");
        check(svc.stays == requests && svc.recentStays[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
