// hprofscan-dump: name=svc-healthy-tenantlinks jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-tenantlinks-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
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
 * Healthy (tuning set, open resources kept on purpose while the tenant base grows): the webhook
 * delivery service of a SaaS platform. Session 13 wrote it first, for the blind spot of the
 * open-and-dropped evidence: the first delivery to a tenant since the process started opens that
 * tenant's outbound link, which is kept open (TLS handshakes cost); the link map is keyed by the
 * tenant id of the event (a String equal to, not the same as, the directory's key). Most
 * tenants are quiet, so most links have been idle for hours; new tenants are onboarded all day
 * and get their first delivery minutes later, so links are still being opened in the last hour.
 * Bounded by the tenant directory (one link per tenant that exists): memory-hungry, not a leak.
 *
 * <p>Beside it: the tenant directory (5,000 tenants at start plus 60 onboarded during the day),
 * the routing rules (8,000, static, loaded at startup), the rendered-template cache (an LRU of
 * 1,500 at its cap), the delivery log (a ring of the last 10,000 deliveries, full and
 * wrapping), the retry queue (400 deliveries waiting, their next attempt in the coming minutes)
 * and a scratch buffer per worker (8 x 128 KiB).
 */
public class SvcHealthyTenantLinks {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int TENANTS_AT_START = 5_000;
    static final int ONBOARDED_TODAY = 60;
    static final int RULES = 8_000;
    static final int TEMPLATES = 1_500;
    static final int LOG = 10_000;
    static final int RETRIES = 400;
    static final int DELIVERIES = 40_000;
    static final int BUSY = 150;
    static final Map<String, RouteRule> ROUTING = new HashMap<>();
    static volatile DeliveryService RUNNING;

    /** One customer of the platform. */
    static final class Tenant {
        final String id; final String name; final String plan; final String region; final String endpoint;
        final long onboardedAt; final byte[] signingKey = new byte[32]; final byte[] settings;
        Tenant(String id, String name, String plan, String region, String endpoint, long onboardedAt, int settingsBytes) {
            this.id = id; this.name = name; this.plan = plan; this.region = region; this.endpoint = endpoint;
            this.onboardedAt = onboardedAt; this.settings = new byte[settingsBytes];
        }
    }

    /** A routing rule: which event types go to which endpoint path. */
    static final class RouteRule {
        final String eventType; final String path; final int priority; final byte[] filter;
        RouteRule(String eventType, String path, int priority, int filterBytes) {
            this.eventType = eventType; this.path = path; this.priority = priority; this.filter = new byte[filterBytes];
        }
    }

    /** A tenant's outbound link: opened on its first delivery, kept open between deliveries. */
    static final class TenantLink {
        final String tenantId; final long openedAt; long lastDeliveryAt; int deliveries; boolean closed;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream(2_048);
        final BufferedOutputStream out = new BufferedOutputStream(wire, 8_192);
        TenantLink(String tenantId, long openedAt) { this.tenantId = tenantId; this.openedAt = openedAt; this.lastDeliveryAt = openedAt; }
        void send(byte[] body, long at) throws IOException { out.write(body, 0, 48); deliveries++; lastDeliveryAt = at; }
    }

    /** One delivery, as logged. */
    static final class Delivery {
        final long id; final String tenantId; final String eventType; final int status; final long at;
        Delivery(long id, String tenantId, String eventType, int status, long at) {
            this.id = id; this.tenantId = tenantId; this.eventType = eventType; this.status = status; this.at = at;
        }
    }

    /** A delivery waiting for its next attempt. */
    static final class Retry {
        final Delivery delivery; final int attempt; final long nextAttemptAt;
        Retry(Delivery delivery, int attempt, long nextAttemptAt) { this.delivery = delivery; this.attempt = attempt; this.nextAttemptAt = nextAttemptAt; }
    }

    /** Rendered payload templates, least recently used first out. */
    static final class TemplateCache extends LinkedHashMap<String, char[]> {
        TemplateCache() { super(256, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, char[]> e) { return size() > TEMPLATES; }
    }

    static final class DeliveryService {
        final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
        final Map<String, TenantLink> links = new ConcurrentHashMap<>();
        final TemplateCache templates = new TemplateCache();
        final Delivery[] log = new Delivery[LOG];
        int logNext;
        final ArrayDeque<Retry> retries = new ArrayDeque<>();
        final List<byte[]> scratch = new ArrayList<>();

        /** Delivers one event: the tenant id comes from the event, a String of its own. */
        Delivery deliver(long id, String eventTenantId, String type, byte[] body, long at) throws IOException {
            links.computeIfAbsent(eventTenantId, t -> new TenantLink(t, at)).send(body, at);
            Delivery d = new Delivery(id, eventTenantId, type, 200, at);
            log[logNext] = d;
            logNext = (logNext + 1) % LOG;
            return d;
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("self-check failed: " + what);
    }

    static Tenant tenant(Random rnd, int i, long onboardedAt) {
        String id = String.format("tn-%06d", 100_000 + i * 7);
        return new Tenant(id, "Tenant " + i, i % 9 == 0 ? "enterprise" : "team", "eu-" + i % 4,
                "https://hooks.example/" + i, onboardedAt, 256 + rnd.nextInt(512));
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        // The traffic and the checks run in their own frames: no iterator or entry of theirs is
        // left in main's locals (a GC root) when the heap is dumped.
        DeliveryService svc = simulate(now);
        verify(svc, now);
        LeakCheck.histogram();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }

    static DeliveryService simulate(long now) throws IOException {
        long start = now - 14 * HOUR;
        Random rnd = new Random(13_013_001);
        DeliveryService svc = new DeliveryService();
        RUNNING = svc;
        List<Tenant> byRank = new ArrayList<>();
        for (int i = 0; i < TENANTS_AT_START; i++) {
            Tenant t = tenant(rnd, i, start - (long) (rnd.nextDouble() * 700 * 24 * HOUR));
            svc.tenants.put(t.id, t);
            byRank.add(t);
        }
        String[] types = {"invoice.paid", "invoice.failed", "user.created", "user.deleted", "order.shipped", "order.cancelled"};
        for (int i = 0; i < RULES; i++) ROUTING.put("rule-" + i, new RouteRule(types[i % types.length], "/hooks/" + i, i % 5, 128 + rnd.nextInt(128)));
        for (int w = 0; w < 8; w++) svc.scratch.add(new byte[128 * 1024]);
        byte[] body = new byte[1_024];
        int onboarded = 0;
        long deliveryId = 1;
        // The day's traffic: 90% to the 150 busy tenants, the rest spread over the long quiet
        // tail (most of those get one or two deliveries a day); a new tenant every 14 minutes gets its first deliveries soon after.
        for (int i = 0; i < DELIVERIES; i++) {
            long at = start + 14 * HOUR * i / DELIVERIES;
            while (onboarded < ONBOARDED_TODAY && start + onboarded * 14 * MINUTE <= at) {
                Tenant t = tenant(rnd, TENANTS_AT_START + onboarded, start + onboarded * 14 * MINUTE);
                svc.tenants.put(t.id, t);
                byRank.add(t);
                onboarded++;
            }
            Tenant t;
            if (i % 50 == 0 && onboarded > 0) t = byRank.get(TENANTS_AT_START + rnd.nextInt(onboarded));
            else if (rnd.nextInt(100) < 90) t = byRank.get(rnd.nextInt(BUSY));
            else t = byRank.get(BUSY + rnd.nextInt(TENANTS_AT_START - BUSY));
            String type = types[rnd.nextInt(types.length)];
            Delivery d = svc.deliver(deliveryId++, new String(t.id), type, body, at);
            svc.templates.put(t.id.substring(3) + "/" + type, new char[160]);
            if (rnd.nextInt(100) == 0) {
                svc.retries.addLast(new Retry(d, 1, at + 5 * MINUTE));
                while (svc.retries.size() > RETRIES || (!svc.retries.isEmpty() && svc.retries.peekFirst().nextAttemptAt < at)) svc.retries.removeFirst();
            }
        }
        return svc;
    }

    static void verify(DeliveryService svc, long now) {
        int seen = 0;
        for (Tenant t : svc.tenants.values()) if (svc.links.containsKey(t.id)) seen++;
        int idle = 0;
        for (TenantLink l : svc.links.values()) if (now - l.lastDeliveryAt >= HOUR) idle++;
        long lastOpened = 0;
        for (TenantLink l : svc.links.values()) lastOpened = Math.max(lastOpened, l.openedAt);
        System.out.println("tenants " + svc.tenants.size() + " links " + svc.links.size() + " idle >= 1h " + idle
                + " last opened " + (now - lastOpened) / MINUTE + " min ago templates " + svc.templates.size()
                + " retries " + svc.retries.size() + " rules " + ROUTING.size());
        check(svc.tenants.size() == TENANTS_AT_START + ONBOARDED_TODAY, "tenants");
        check(seen == svc.links.size(), "every link is a tenant's");
        check(svc.templates.size() == TEMPLATES, "templates at cap");
        check(svc.log[LOG - 1] != null, "log full");
        check(idle * 10 >= svc.links.size() * 8, "most links idle");
        check(now - lastOpened < HOUR, "links still opened in the last hour");
        for (TenantLink l : svc.links.values()) check(!l.closed, "open");
    }
}
