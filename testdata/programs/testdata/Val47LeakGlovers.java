// hprofscan-dump: name=val47-leak-glovers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val47-leak-glovers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 47 (written blind), LEAK: the B2B order API of a glove manufacturer (work,
 * dress and sports gloves) used by 12 retail chains (tenants). Leather/fabric reference data, the
 * style directory, a cache of rendered catalogue pages at its cap, a pool of order-encoding
 * buffers, a ring of recent order lines, and one TenantContext per retail chain that lives for the
 * life of the process. Every API request opens a RequestContext as a child of its tenant's context;
 * the child's constructor registers it in the parent's children list (so tenant-wide settings and
 * cancellation reach it), but close() only stamps the end time: the child is never deregistered,
 * so each tenant's children list keeps every request since start with its attributes map.
 * See VALIDATION47.md.
 */
public final class Val47LeakGlovers {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int MATERIALS = 1_000, STYLES = 25_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS_PER_HOUR = 2_400, HOURS = 10;
    static boolean FIXED;

    record Material(String code, String name, String supplier, double[] priceHistory) {}
    record Style(String sku, String materialCode, String family, byte[] sizingChart, long launchedAt) {}
    record CataloguePage(String key, byte[] rendered, long at) {}
    record OrderLine(String requestId, String tenantId, String sku, int pairs, long at) {}

    /** Long-lived parent: one per retail chain, created at startup. */
    static final class TenantContext {
        final String tenantId, name;
        final Map<String, String> settings = new HashMap<>();
        final List<RequestContext> children = new ArrayList<>();
        long requests;
        TenantContext(String tenantId, String name) { this.tenantId = tenantId; this.name = name; }
        void detach(RequestContext c) {
            for (int k = children.size() - 1; k >= 0; k--) if (children.get(k) == c) { children.remove(k); return; }
        }
    }

    /** Per-request child context; registers itself with its tenant on creation. */
    static final class RequestContext {
        final TenantContext parent;
        final String requestId;
        final long startedAt;
        long endedAt;
        final Map<String, String> attributes = new HashMap<>();
        RequestContext(TenantContext parent, String requestId, long at) {
            this.parent = parent; this.requestId = requestId; this.startedAt = at;
            parent.children.add(this);
            parent.requests++;
        }
        void close(long at) {
            endedAt = at;
            if (FIXED) parent.detach(this);
            // BUG: never removed from parent.children
        }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Material> MATERIALS_BY_CODE = new HashMap<>();

    static final class OrderApi {
        final Map<String, Style> styles = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> encodeBuffers = new ArrayDeque<>();
        final OrderLine[] recentLines = new OrderLine[RING];
        long lines;
        final Map<String, TenantContext> tenants = new LinkedHashMap<>();
    }

    static OrderApi SERVICE;

    static final String[] CHAINS = {"Northgate Workwear", "Alpine Outfitters", "CityStyle", "ProSafe Supply", "Greenfield Garden", "Harbour Marine", "Metro Sports", "Highland Country",
            "Budget Trade", "Atelier Noir", "Fjord Ski", "Cycle Hub"};
    /** Share of the traffic of each chain, in percent. */
    static final int[] WEIGHTS = {30, 18, 12, 9, 7, 6, 5, 4, 3, 3, 2, 1};
    static final String[] ROUTES = {"GET /styles", "GET /stock", "POST /orders", "GET /orders/{id}", "POST /returns", "GET /invoices"};
    static final String[] CHANNELS = {"EDI", "web", "mobile"};
    static final String[] FAMILIES = {"Rigger", "Nitrile", "Driving", "Ski", "Cycling", "Garden", "Dress", "Welding"};

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val47.fixed");
        int requestsTotal = REQUESTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(47_040_001);
        String[] materialCodes = new String[MATERIALS];
        for (int m = 0; m < MATERIALS; m++) {
            double[] prices = new double[72];
            for (int k = 0; k < prices.length; k++) prices[k] = 3 + rnd.nextDouble() * 30;
            materialCodes[m] = "MAT-" + (1_000 + m);
            MATERIALS_BY_CODE.put(materialCodes[m], new Material(materialCodes[m], "Material " + m, "Tannery " + (m % 40), prices));
        }
        OrderApi svc = new OrderApi();
        SERVICE = svc;
        String[] skus = new String[STYLES];
        for (int s = 0; s < STYLES; s++) {
            skus[s] = "GL-" + (300_000 + s * 7);
            svc.styles.put(skus[s], new Style(skus[s], materialCodes[rnd.nextInt(MATERIALS)], FAMILIES[s % FAMILIES.length], new byte[150 + rnd.nextInt(150)], now - (long) (20 + rnd.nextInt(2_400)) * 24 * HOUR));
        }
        TenantContext[] byWeight = new TenantContext[100];
        int w = 0;
        for (int c = 0; c < CHAINS.length; c++) {
            TenantContext tc = new TenantContext("tenant-" + (c + 1), CHAINS[c]);
            tc.settings.put("currency", c % 3 == 0 ? "EUR" : "GBP");
            tc.settings.put("priceList", "PL-" + (c + 1));
            tc.settings.put("creditLimit", Integer.toString(50_000 + c * 10_000));
            tc.settings.put("ediPartnerId", "EDI" + (9_000 + c));
            tc.settings.put("timezone", "Europe/London");
            svc.tenants.put(tc.tenantId, tc);
            for (int k = 0; k < WEIGHTS[c]; k++) byWeight[w++] = tc;
        }
        for (int b = 0; b < POOL; b++) svc.encodeBuffers.add(new byte[32_768]);

        Random traffic = new Random(47_040_002);
        for (int i = 0; i < requestsTotal; i++) {
            long t = start + (end - MINUTE - start) * i / requestsTotal;
            TenantContext tenant = byWeight[traffic.nextInt(100)];
            RequestContext ctx = new RequestContext(tenant, "req-" + Long.toHexString(0x5a00_0000L + i * 13L), t);
            String route = ROUTES[traffic.nextInt(ROUTES.length)];
            ctx.attributes.put("user", "buyer-" + (1_000 + traffic.nextInt(3_000)));
            ctx.attributes.put("route", route);
            ctx.attributes.put("channel", CHANNELS[traffic.nextInt(CHANNELS.length)]);
            ctx.attributes.put("correlationId", Long.toHexString(traffic.nextLong()));
            String pageKey = "cat-" + traffic.nextInt(5_000);
            if (svc.pages.get(pageKey) == null) svc.pages.put(pageKey, new CataloguePage(pageKey, new byte[500 + traffic.nextInt(500)], t));
            int linesInRequest = route.equals("POST /orders") ? 1 + traffic.nextInt(12) : 0;
            for (int l = 0; l < linesInRequest; l++) {
                svc.recentLines[(int) (svc.lines++ % RING)] = new OrderLine(ctx.requestId, tenant.tenantId, skus[traffic.nextInt(STYLES)], 6 * (1 + traffic.nextInt(40)), t);
            }
            byte[] buf = svc.encodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encodeBuffers.add(buf);
            ctx.close(t + 15 + traffic.nextInt(900));
        }

        int children = 0, largest = 0;
        long requests = 0;
        StringBuilder perTenant = new StringBuilder();
        for (TenantContext tc : svc.tenants.values()) {
            children += tc.children.size();
            largest = Math.max(largest, tc.children.size());
            requests += tc.requests;
            perTenant.append(' ').append(tc.children.size());
        }
        System.out.println((FIXED ? "FIXED " : "") + "materials " + MATERIALS_BY_CODE.size() + " styles " + svc.styles.size() + " tenants " + svc.tenants.size() + " requests " + requests + " children " + children
                + " (per tenant" + perTenant + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.encodeBuffers.size() + " order lines " + svc.lines);
        check(MATERIALS_BY_CODE.size() == MATERIALS && svc.styles.size() == STYLES && svc.tenants.size() == CHAINS.length, "reference data / directory / tenants");
        check(requests == requestsTotal, "request traffic");
        if (FIXED) check(children == 0, "children detached on close");
        else check(children == requestsTotal, "every request context stays registered: " + children);
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.encodeBuffers.size() == POOL, "pool");
        check(svc.lines > RING && svc.recentLines[RING - 1] != null, "order-line ring wraps");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
