// hprofscan-dump: name=val95-leak-timesheethooks-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val95-leak-timesheethooks-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val95-leak-timesheethooks jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val95-leak-timesheethooks-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 95 (written blind), LEAK: the audit-event webhook fan-out of a multi-tenant
 * timesheet SaaS. Tenant reference data (a fixed set of client companies), the worker directory, a
 * cache of rendered timesheet PDFs at its cap, a pool of request-signing buffers, a ring of recent
 * webhook deliveries, and per tenant a List<Subscription> of webhook subscriptions. The client
 * integrations re-subscribe on every deploy (unsubscribe the old subscription, subscribe a new one);
 * the unsubscribe endpoint only marks the subscription inactive (active = false) and never removes
 * it from the tenant's list, so the lists lengthen with every deploy while the tenant count is
 * fixed. See VALIDATION95.md.
 */
public final class Val95LeakTimesheetHooks {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int TENANTS = 400, INTEGRATIONS = 3, WORKERS = 24_000, PDF_CAP = 2_000, POOL = 8, RING = 4_096, EVENTS_PER_DAY = 12_000;
    static final String[] EVENT_TYPES = {"timesheet.approved", "overtime.flagged"};
    static boolean FIXED;

    static final class Subscription {
        final String id, tenantId, eventType, callbackUrl;
        final byte[] signingSecret;
        final long createdAt;
        boolean active = true;
        long unsubscribedAt, delivered;
        Subscription(String id, String tenantId, String eventType, String callbackUrl, byte[] signingSecret, long createdAt) {
            this.id = id; this.tenantId = tenantId; this.eventType = eventType; this.callbackUrl = callbackUrl; this.signingSecret = signingSecret; this.createdAt = createdAt;
        }
    }

    static final class Tenant {
        final String id, company;
        final double[] payPeriodHours;
        final List<Subscription> subscriptions = new ArrayList<>();
        long subscribes, unsubscribes;
        Tenant(String id, String company, double[] payPeriodHours) { this.id = id; this.company = company; this.payPeriodHours = payPeriodHours; }

        void subscribe(Subscription s) { subscriptions.add(s); subscribes++; }

        /** DELETE /tenants/{id}/webhooks/{subscriptionId} */
        void unsubscribe(String subscriptionId, long at) {
            for (Iterator<Subscription> it = subscriptions.iterator(); it.hasNext(); ) {
                Subscription s = it.next();
                if (s.id.equals(subscriptionId) && s.active) {
                    if (FIXED) it.remove(); // the fix: an unsubscribed webhook is deleted
                    else { s.active = false; s.unsubscribedAt = at; } // BUG: only marked inactive, kept forever
                    unsubscribes++;
                    return;
                }
            }
            throw new IllegalStateException("no active subscription " + subscriptionId);
        }

        /** Delivers one audit event to every active subscription of its type; returns the first one delivered to. */
        Subscription fanOut(String type) {
            Subscription first = null;
            for (Subscription s : subscriptions) {
                if (s.active && s.eventType.equals(type)) { s.delivered++; if (first == null) first = s; }
            }
            return first;
        }
    }

    record Worker(String id, String tenantId, String name, byte[] contract, long hiredAt) {}
    record TimesheetPdf(String key, byte[] rendered, long at) {}
    record Delivery(String subscriptionId, String eventType, int httpStatus, long at) {}

    static final class PdfCache extends LinkedHashMap<String, TimesheetPdf> {
        long evicted;
        PdfCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TimesheetPdf> e) { if (size() > PDF_CAP) { evicted++; return true; } return false; }
    }

    static final class HookService {
        final Map<String, Worker> workers = new HashMap<>();
        final PdfCache pdfs = new PdfCache();
        final ArrayDeque<byte[]> signingBuffers = new ArrayDeque<>();
        final Delivery[] recentDeliveries = new Delivery[RING];
        long deliveries, events, deploys;
    }

    static final Map<String, Tenant> TENANTS_BY_ID = new HashMap<>();
    static HookService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int run(int stage) {
        int days = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_DAY * days;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - days * DAY;
        Random rnd = new Random(95_010_001);
        String[] tenantIds = new String[TENANTS];
        for (int t = 0; t < TENANTS; t++) {
            double[] hours = new double[52];
            for (int k = 0; k < hours.length; k++) hours[k] = 20 + rnd.nextDouble() * 40;
            String id = "tn-" + (31_000 + t);
            tenantIds[t] = id;
            TENANTS_BY_ID.put(id, new Tenant(id, "Client company " + t, hours));
        }
        HookService svc = new HookService();
        SERVICE = svc;
        String[] firstNames = {"Ana", "Ben", "Chidi", "Dora", "Emil", "Fatima", "Goran", "Hana"};
        for (int w = 0; w < WORKERS; w++) {
            String id = "W" + (4_000_000 + w);
            svc.workers.put(id, new Worker(id, tenantIds[rnd.nextInt(TENANTS)], firstNames[w % firstNames.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.signingBuffers.add(new byte[32_768]);
        // The client integrations: each tenant has 3, each subscribed to both event types.
        String[][] current = new String[TENANTS * INTEGRATIONS][EVENT_TYPES.length];
        int[] deployNo = new int[TENANTS * INTEGRATIONS];
        long subSeq = 0;
        for (int g = 0; g < current.length; g++) {
            Tenant tenant = TENANTS_BY_ID.get(tenantIds[g / INTEGRATIONS]);
            for (int e = 0; e < EVENT_TYPES.length; e++) {
                String id = "wh_" + (100_000_000L + subSeq++);
                tenant.subscribe(new Subscription(id, tenant.id, EVENT_TYPES[e], "https://hooks.client" + (g / INTEGRATIONS) + ".example/timesheets/app" + (g % INTEGRATIONS) + "?build=0",
                        secret(rnd), start - (long) (1 + rnd.nextInt(300)) * DAY));
                current[g][e] = id;
            }
        }
        Random traffic = new Random(95_010_002);
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (traffic.nextInt(5) == 0) { // a client integration deploys and re-subscribes
                int g = traffic.nextInt(current.length);
                Tenant tenant = TENANTS_BY_ID.get(tenantIds[g / INTEGRATIONS]);
                int build = ++deployNo[g];
                for (int e = 0; e < EVENT_TYPES.length; e++) {
                    tenant.unsubscribe(current[g][e], t);
                    String id = "wh_" + (100_000_000L + subSeq++);
                    tenant.subscribe(new Subscription(id, tenant.id, EVENT_TYPES[e], "https://hooks.client" + (g / INTEGRATIONS) + ".example/timesheets/app" + (g % INTEGRATIONS) + "?build=" + build,
                            secret(traffic), t));
                    current[g][e] = id;
                }
                svc.deploys++;
            }
            Tenant tenant = TENANTS_BY_ID.get(tenantIds[traffic.nextInt(TENANTS)]);
            String type = EVENT_TYPES[traffic.nextInt(EVENT_TYPES.length)];
            Subscription first = tenant.fanOut(type);
            svc.events++;
            svc.recentDeliveries[(int) (svc.deliveries++ % RING)] = new Delivery(first.id, type, traffic.nextInt(50) == 0 ? 503 : 200, t);
            String key = "ts-" + traffic.nextInt(6_000);
            if (svc.pdfs.get(key) == null) svc.pdfs.put(key, new TimesheetPdf(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.signingBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.signingBuffers.add(buf);
        }
        long listed = 0, active = 0, inactive = 0;
        for (Tenant tenant : TENANTS_BY_ID.values()) {
            listed += tenant.subscriptions.size();
            for (Subscription s : tenant.subscriptions) if (s.active) active++; else inactive++;
            check(FIXED ? tenant.subscriptions.size() == INTEGRATIONS * EVENT_TYPES.length : tenant.subscriptions.size() == INTEGRATIONS * EVENT_TYPES.length + tenant.unsubscribes, "tenant list " + tenant.id);
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " days " + days + " tenants " + TENANTS_BY_ID.size() + " workers " + svc.workers.size() + " deploys " + svc.deploys
                + " subscriptions listed " + listed + " active " + active + " inactive " + inactive + " pdfs " + svc.pdfs.size() + " (evicted " + svc.pdfs.evicted + ") pool " + svc.signingBuffers.size() + " deliveries " + svc.deliveries);
        check(TENANTS_BY_ID.size() == TENANTS && svc.workers.size() == WORKERS, "reference data / directory");
        check(active == (long) TENANTS * INTEGRATIONS * EVENT_TYPES.length, "active subscriptions " + active);
        check(inactive == (FIXED ? 0 : 2 * svc.deploys) && subSeq == (long) TENANTS * INTEGRATIONS * EVENT_TYPES.length + 2 * svc.deploys, "inactive subscriptions " + inactive);
        check(svc.pdfs.size() == PDF_CAP && svc.pdfs.evicted > 0, "pdf cache at cap");
        check(svc.signingBuffers.size() == POOL, "pool");
        check(svc.events == events && svc.recentDeliveries[RING - 1] != null, "ring");
        return stage;
    }

    static byte[] secret(Random r) { byte[] b = new byte[32]; r.nextBytes(b); return b; }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val95.fixed");
        run(Integer.parseInt(args[2]));
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
