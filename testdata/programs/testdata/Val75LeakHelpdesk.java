// hprofscan-dump: name=val75-leak-helpdesk jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val75-leak-helpdesk-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Validation set 75 (written blind), LEAK: a multi-tenant customer-support helpdesk. Each tenant
 * has an SLA timer: a single-thread ScheduledExecutorService (thread "sla-timer-<tenant>") running
 * a periodic SLA sweep that holds the tenant's compiled configuration (escalation rules, business
 * hours). Every configuration reload (every 20 minutes, pushed by the config service) builds a new
 * executor per tenant and schedules the sweep on it, without shutting down the previous one: every
 * old executor's worker thread stays alive, parked on its queue, and keeps the old sweep and its
 * configuration. Beside it: SLA policy reference data, the ticket directory, a cache of rendered
 * macros at its cap, a pool of attachment buffers and a ring of ticket activity. See VALIDATION75.md.
 */
public final class Val75LeakHelpdesk {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int POLICIES = 1_100, TICKETS = 25_000, MACRO_CAP = 2_000, POOL = 8, ACTIVITY_RING = 16_384, HOURS = 10, EVENTS = 60_000, TENANTS = 10;
    static boolean FIXED;

    record SlaPolicy(String code, String tier, double[] businessHours) {}
    record Ticket(String number, String tenant, String subject, byte[] threadSummary, long openedAt) {}
    record Macro(String key, byte[] rendered, long at) {}
    record Activity(String ticket, String agent, String action, long at) {}

    /** A tenant's compiled configuration (one per reload). */
    static final class TenantConfig {
        final String tenantId; final int version; final long loadedAt;
        final byte[] compiledRules;
        final Map<String, String> settings = new HashMap<>();
        TenantConfig(String tenantId, int version, long loadedAt, byte[] compiledRules) { this.tenantId = tenantId; this.version = version; this.loadedAt = loadedAt; this.compiledRules = compiledRules; }
    }

    /** Periodic SLA sweep of one tenant; runs on the tenant's timer. */
    static final class SlaSweep implements Runnable {
        final TenantConfig config; volatile long runs;
        SlaSweep(TenantConfig config) { this.config = config; }
        @Override public void run() { runs++; }
    }

    static final class TenantRuntime {
        final String tenantId;
        TenantConfig config;
        ScheduledExecutorService slaTimer;
        int reloads;
        TenantRuntime(String tenantId) { this.tenantId = tenantId; }
    }

    static final class MacroCache extends LinkedHashMap<String, Macro> {
        long evicted;
        MacroCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Macro> e) { if (size() > MACRO_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, SlaPolicy> POLICIES_BY_CODE = new HashMap<>();

    static final class HelpdeskService {
        final Map<String, Ticket> tickets = new HashMap<>();
        final MacroCache macros = new MacroCache();
        final ArrayDeque<byte[]> attachmentBuffers = new ArrayDeque<>();
        final Activity[] activity = new Activity[ACTIVITY_RING];
        long activityWritten;
        final Map<String, TenantRuntime> tenants = new LinkedHashMap<>();
        long executorsCreated, executorsShutDown;

        void applyConfig(TenantRuntime rt, TenantConfig cfg) throws InterruptedException {
            ScheduledExecutorService previous = rt.slaTimer;
            rt.config = cfg;
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "sla-timer-" + rt.tenantId);
                th.setDaemon(true);
                return th;
            });
            timer.scheduleAtFixedRate(new SlaSweep(cfg), 5, 5, TimeUnit.MINUTES);
            rt.slaTimer = timer;
            rt.reloads++;
            executorsCreated++;
            if (FIXED && previous != null) { // the fix: stop the old timer
                previous.shutdownNow();
                if (!previous.awaitTermination(10, TimeUnit.SECONDS)) throw new IllegalStateException("old timer did not stop");
                executorsShutDown++;
            }
            // BUG: the previous timer is dropped without shutdown(); its thread keeps running
        }
    }

    static HelpdeskService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static TenantConfig compile(String tenant, int version, long at, Random r) {
        TenantConfig c = new TenantConfig(tenant, version, at, new byte[16_384 + r.nextInt(16_384)]);
        c.settings.put("timezone", "UTC+" + r.nextInt(12));
        c.settings.put("first-response-minutes", Integer.toString(30 + r.nextInt(240)));
        c.settings.put("escalation-group", "tier-" + (1 + r.nextInt(3)));
        return c;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val75.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(75_040_001);
        String[] policyCodes = new String[POLICIES];
        String[] tiers = {"bronze", "silver", "gold", "platinum"};
        for (int p = 0; p < POLICIES; p++) {
            double[] hours = new double[72];
            for (int k = 0; k < hours.length; k++) hours[k] = rnd.nextDouble();
            policyCodes[p] = "SLA-" + (100 + p);
            POLICIES_BY_CODE.put(policyCodes[p], new SlaPolicy(policyCodes[p], tiers[p % tiers.length], hours));
        }
        HelpdeskService svc = new HelpdeskService();
        SERVICE = svc;
        String[] tenantIds = {"acme-retail", "borealis-air", "cobalt-bank", "dunmore-telecom", "everfresh-grocers", "fjord-shipping", "granite-insurance", "harbor-health", "ironwood-games", "juniper-energy"};
        String[] ticketNumbers = new String[TICKETS];
        for (int t = 0; t < TICKETS; t++) {
            ticketNumbers[t] = "TKT-" + (2_000_000 + t);
            svc.tickets.put(ticketNumbers[t], new Ticket(ticketNumbers[t], tenantIds[t % TENANTS], "Subject " + (t % 900), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.attachmentBuffers.add(new byte[32_768]);
        Random configs = new Random(75_040_003);
        int version = 1;
        for (String id : tenantIds) { TenantRuntime rt = new TenantRuntime(id); svc.tenants.put(id, rt); svc.applyConfig(rt, compile(id, version, start, configs)); }
        Random traffic = new Random(75_040_002);
        String[] actions = {"reply", "assign", "escalate", "close", "reopen", "note"};
        long nextReload = start + 20 * MINUTE;
        int reloads = 0;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - MINUTE - start) * i / EVENTS;
            while (nextReload <= t) {
                version++; reloads++;
                for (TenantRuntime rt : svc.tenants.values()) svc.applyConfig(rt, compile(rt.tenantId, version, nextReload, configs));
                nextReload += 20 * MINUTE;
            }
            String ticket = ticketNumbers[traffic.nextInt(TICKETS)];
            svc.activity[(int) (svc.activityWritten++ % ACTIVITY_RING)] = new Activity(ticket, "agent-" + traffic.nextInt(400), actions[traffic.nextInt(actions.length)], t);
            String key = "macro-" + traffic.nextInt(4_500);
            if (svc.macros.get(key) == null) svc.macros.put(key, new Macro(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.attachmentBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.attachmentBuffers.add(buf);
        }
        int timerThreads = 0;
        for (Thread th : Thread.getAllStackTraces().keySet()) if (th.getName().startsWith("sla-timer-")) timerThreads++;
        System.out.println((FIXED ? "FIXED " : "") + "policies " + POLICIES_BY_CODE.size() + " tickets " + svc.tickets.size() + " tenants " + svc.tenants.size() + " reloads " + reloads + " executors created " + svc.executorsCreated
                + " shut down " + svc.executorsShutDown + " sla-timer threads " + timerThreads + " macros " + svc.macros.size() + " (evicted " + svc.macros.evicted + ") pool " + svc.attachmentBuffers.size() + " activity " + svc.activityWritten);
        check(POLICIES_BY_CODE.size() == POLICIES && svc.tickets.size() == TICKETS, "reference data / directory");
        check(reloads == HOURS * 3 - 1 && svc.executorsCreated == (long) TENANTS * (reloads + 1), "reloads: " + reloads);
        check(timerThreads == (FIXED ? TENANTS : TENANTS * (reloads + 1)), "sla-timer threads: " + timerThreads);
        check(svc.macros.size() == MACRO_CAP && svc.macros.evicted > 0, "macro cache at cap");
        check(svc.attachmentBuffers.size() == POOL, "pool");
        check(svc.activityWritten == EVENTS && svc.activity[ACTIVITY_RING - 1] != null, "activity ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
