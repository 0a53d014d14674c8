// hprofscan-dump: name=val63-leak-shiftplanner jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val63-leak-shiftplanner-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 63 (written blind), LEAK: the shift-change webhook dispatcher of a workforce
 * scheduling SaaS. Workplace reference data, the employee directory, the tenant directory with each
 * tenant's webhook URL, a cache of rendered rosters at its cap, a pool of JSON encoder buffers, a
 * ring of delivery receipts, and an outbound HTTP client whose keep-alive pool is keyed by host.
 * The hosts come from the tenants' webhook URLs (one per tenant, unbounded), and idle connections
 * are never evicted: every host ever delivered to keeps its pool and its idle connections, each with
 * its socket read buffer. See VALIDATION63.md.
 */
public final class Val63LeakShiftPlanner {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 60_000L;
    static final int WORKPLACES = 1_200, EMPLOYEES = 26_000, TENANTS = 30_000, ROSTER_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, DELIVERIES_PER_HOUR = 800;
    static boolean FIXED;

    record Workplace(String code, String region, double[] staffingCurve) {}
    record Employee(String id, String workplace, String role, byte[] availability, long hiredAt) {}
    record Tenant(String id, String name, String webhookUrl, long signedUpAt) {}
    record Roster(String key, byte[] rendered, long at) {}
    record Receipt(String tenantId, long eventId, int status, long at) {}

    static final class Connection {
        final String host; final int port; final long openedAt; long lastUsedAt; int requests;
        final byte[] readBuffer = new byte[1_024];
        Connection(String host, int port, long at) { this.host = host; this.port = port; this.openedAt = at; this.lastUsedAt = at; }
    }

    static final class HostPool {
        final String host; final ArrayDeque<Connection> idle = new ArrayDeque<>(); int leased;
        HostPool(String host) { this.host = host; }
    }

    /** Keep-alive pool keyed by "host:port". */
    static final class HttpClient {
        final Map<String, HostPool> pools = new HashMap<>();
        long opened, reused, closed, lastSweep;
        Connection lease(String host, int port, long at) {
            if (FIXED && at - lastSweep >= 30_000L) { sweep(at); lastSweep = at; }
            HostPool p = pools.computeIfAbsent(host + ":" + port, HostPool::new);
            p.leased++;
            Connection c = p.idle.pollFirst();
            if (c != null) { reused++; return c; }
            opened++;
            return new Connection(host, port, at);
        }
        void release(Connection c, long at) {
            HostPool p = pools.get(c.host + ":" + c.port);
            p.leased--;
            c.lastUsedAt = at; c.requests++;
            p.idle.addFirst(c); // BUG (no eviction): nothing ever closes an idle connection or drops a pool
        }
        /** The fix: close connections idle longer than IDLE_TIMEOUT and drop empty pools. */
        void sweep(long at) {
            for (Iterator<HostPool> it = pools.values().iterator(); it.hasNext();) {
                HostPool p = it.next();
                while (!p.idle.isEmpty() && at - p.idle.peekLast().lastUsedAt > IDLE_TIMEOUT) { p.idle.pollLast(); closed++; }
                if (p.idle.isEmpty() && p.leased == 0) it.remove();
            }
        }
        int idleConnections() { int n = 0; for (HostPool p : pools.values()) n += p.idle.size(); return n; }
    }

    static final class RosterCache extends LinkedHashMap<String, Roster> {
        long evicted;
        RosterCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Roster> e) { if (size() > ROSTER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Workplace> WORKPLACES_BY_CODE = new HashMap<>();

    static final class WebhookDispatcher {
        final Map<String, Employee> employees = new HashMap<>();
        final Map<String, Tenant> tenants = new HashMap<>();
        final RosterCache rosters = new RosterCache();
        final ArrayDeque<byte[]> encoderBuffers = new ArrayDeque<>();
        final Receipt[] receipts = new Receipt[RING];
        long delivered;
        final HttpClient http = new HttpClient();

        static String hostOf(String url) { int s = url.indexOf("://") + 3; return url.substring(s, url.indexOf('/', s)); }

        void deliver(Tenant tenant, long eventId, int copies, long at) {
            String host = hostOf(tenant.webhookUrl());
            Connection[] held = new Connection[copies];
            for (int c = 0; c < copies; c++) held[c] = http.lease(host, 443, at);
            for (int c = 0; c < copies; c++) {
                held[c].readBuffer[(int) (eventId % 1_024)] = (byte) c;
                http.release(held[c], at + 40 + c);
                receipts[(int) (delivered++ % RING)] = new Receipt(tenant.id(), eventId + c, 200, at);
            }
        }
    }

    static WebhookDispatcher SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val63.fixed");
        int events = DELIVERIES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(63_030_001);
        String[] workplaceCodes = new String[WORKPLACES];
        for (int w = 0; w < WORKPLACES; w++) {
            double[] curve = new double[84];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 30;
            workplaceCodes[w] = "WP-" + (10_000 + w);
            WORKPLACES_BY_CODE.put(workplaceCodes[w], new Workplace(workplaceCodes[w], "Region " + (w % 40), curve));
        }
        WebhookDispatcher svc = new WebhookDispatcher();
        SERVICE = svc;
        String[] roles = {"barista", "cashier", "nurse", "picker", "driver", "cook", "cleaner", "guard"};
        for (int e = 0; e < EMPLOYEES; e++) {
            String id = "EMP-" + (1_000_000 + e * 7);
            svc.employees.put(id, new Employee(id, workplaceCodes[rnd.nextInt(WORKPLACES)], roles[e % roles.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        Tenant[] tenantList = new Tenant[TENANTS];
        for (int t = 0; t < TENANTS; t++) {
            String id = "TEN-" + (70_000 + t);
            tenantList[t] = new Tenant(id, "Company " + t, "https://hooks-" + Integer.toHexString(0x3a000 + t * 13) + ".customer" + t + ".example.com/shifts/webhook", now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR);
            svc.tenants.put(id, tenantList[t]);
        }
        for (int b = 0; b < POOL; b++) svc.encoderBuffers.add(new byte[32_768]);
        Random traffic = new Random(63_030_002);
        int swaps = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            int copies = traffic.nextInt(5) == 0 ? 2 : 1; // a shift swap notifies both sides in one burst
            swaps += copies - 1;
            svc.deliver(tenantList[traffic.nextInt(TENANTS)], 800_000_000L + 2L * i, copies, t);
            String key = "roster-" + traffic.nextInt(5_000);
            if (svc.rosters.get(key) == null) svc.rosters.put(key, new Roster(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.encoderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.encoderBuffers.add(buf);
        }
        HttpClient h = svc.http;
        int idle = h.idleConnections();
        System.out.println((FIXED ? "FIXED " : "") + "workplaces " + WORKPLACES_BY_CODE.size() + " employees " + svc.employees.size() + " tenants " + svc.tenants.size() + " events " + events + " swaps " + swaps + " delivered " + svc.delivered
                + " host pools " + h.pools.size() + " idle connections " + idle + " (opened " + h.opened + ", reused " + h.reused + ", closed " + h.closed + ") rosters " + svc.rosters.size() + " (evicted " + svc.rosters.evicted + ") pool " + svc.encoderBuffers.size());
        check(WORKPLACES_BY_CODE.size() == WORKPLACES && svc.employees.size() == EMPLOYEES && svc.tenants.size() == TENANTS, "reference data / directories");
        check(svc.delivered == events + swaps && h.opened + h.reused == svc.delivered, "traffic");
        if (FIXED) check(h.pools.size() < 100 && idle == h.opened - h.closed, "fixed: only recently used hosts");
        else check(h.closed == 0 && idle == h.opened && h.pools.size() > 5_000, "every host keeps its idle connections: " + h.pools.size());
        check(svc.rosters.size() == ROSTER_CAP && svc.rosters.evicted > 0, "roster cache at cap");
        check(svc.encoderBuffers.size() == POOL, "pool");
        check(svc.receipts[RING - 1] != null, "ring full");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
