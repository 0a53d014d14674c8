// hprofscan-dump: name=val81-leak-newspaywall jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val81-leak-newspaywall-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 81 (written blind), LEAK: the paywall / metering service of a news publisher.
 * Every request's User-Agent string is de-duplicated through a canonicalising cache
 * (UserAgents.canonical, a HashMap<String, String> mapping a string to its first instance) so that
 * the request log shares one String per agent; but the app's agents embed the app version and the
 * device id, so the number of distinct keys grows without bound. Beside it: section reference
 * data, a subscriber directory, a cache of rendered article teasers at its cap, a pool of
 * compression buffers and a ring of metered requests. See VALIDATION81.md.
 */
public final class Val81LeakNewsPaywall {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SECTIONS = 1_000, SUBSCRIBERS = 26_000, TEASER_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS = 150_000, HOURS = 10;
    static boolean FIXED;

    record Section(String code, String title, double[] hourlyReads) {}
    record Subscriber(String accountId, String plan, byte[] preferences, long since) {}
    record Teaser(String key, byte[] rendered, long at) {}
    record MeteredRequest(String accountId, String articleId, String userAgent, boolean allowed, long at) {}

    static final class UserAgents {
        final Map<String, String> canonical = new HashMap<>();
        long lookups;
        String dedupe(String ua) {
            lookups++;
            // fixed: the device id is stripped first, so the key is app version + OS only
            String key = FIXED ? normalise(ua) : ua; // BUG: raw agent (with device id) is the key
            return canonical.computeIfAbsent(key, k -> k);
        }
        static String normalise(String ua) {
            int d = ua.indexOf("; device=");
            return d < 0 ? ua : ua.substring(0, d) + ")";
        }
    }

    static final class TeaserCache extends LinkedHashMap<String, Teaser> {
        long evicted;
        TeaserCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Teaser> e) { if (size() > TEASER_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Section> SECTIONS_BY_CODE = new HashMap<>();

    static final class PaywallService {
        final Map<String, Subscriber> subscribers = new HashMap<>();
        final UserAgents agents = new UserAgents();
        final TeaserCache teasers = new TeaserCache();
        final ArrayDeque<byte[]> gzipBuffers = new ArrayDeque<>();
        final MeteredRequest[] recent = new MeteredRequest[RING];
        long requests;
    }

    static PaywallService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val81.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(81_030_001);
        for (int s = 0; s < SECTIONS; s++) {
            double[] reads = new double[72];
            for (int k = 0; k < reads.length; k++) reads[k] = rnd.nextDouble() * 5_000;
            String code = "SEC-" + (2_000 + s);
            SECTIONS_BY_CODE.put(code, new Section(code, "Section " + s, reads));
        }
        PaywallService svc = new PaywallService();
        SERVICE = svc;
        String[] accounts = new String[SUBSCRIBERS];
        String[] plans = {"FREE", "DIGITAL", "PREMIUM", "STUDENT"};
        for (int a = 0; a < SUBSCRIBERS; a++) {
            accounts[a] = "ACC" + (5_000_000 + a);
            svc.subscribers.put(accounts[a], new Subscriber(accounts[a], plans[a % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.gzipBuffers.add(new byte[65_536]);
        Random traffic = new Random(81_030_002);
        String[] versions = {"7.12.0", "7.12.1", "7.13.0", "7.14.0", "7.14.2", "7.15.0"};
        String[] oses = {"iOS 17.4", "iOS 17.5", "iOS 18.0", "Android 13", "Android 14", "Android 15"};
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            int device = traffic.nextInt(60_000);
            // a device keeps its OS and mostly its version; the version is bumped for some devices later in the day
            String version = versions[(device + (i > REQUESTS / 2 && device % 3 == 0 ? 1 : 0)) % versions.length];
            String ua = "NewsReader/" + version + " (" + oses[device % oses.length] + "; device=" + Long.toHexString(0x5a00_0000_0000L + device * 7_919L) + ")";
            String account = accounts[traffic.nextInt(SUBSCRIBERS)];
            svc.recent[(int) (svc.requests++ % RING)] = new MeteredRequest(account, "ART-" + traffic.nextInt(90_000), svc.agents.dedupe(ua), traffic.nextInt(10) != 0, t);
            if (i % 3 == 0) {
                String key = "teaser-" + traffic.nextInt(6_000);
                if (svc.teasers.get(key) == null) svc.teasers.put(key, new Teaser(key, new byte[500 + traffic.nextInt(500)], t));
                byte[] buf = svc.gzipBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.gzipBuffers.add(buf);
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "sections " + SECTIONS_BY_CODE.size() + " subscribers " + svc.subscribers.size() + " requests " + svc.requests + " canonical agents " + svc.agents.canonical.size()
                + " teasers " + svc.teasers.size() + " (evicted " + svc.teasers.evicted + ") pool " + svc.gzipBuffers.size());
        check(SECTIONS_BY_CODE.size() == SECTIONS && svc.subscribers.size() == SUBSCRIBERS, "reference data / directory");
        check(svc.requests == REQUESTS && svc.agents.lookups == REQUESTS, "traffic");
        if (FIXED) check(svc.agents.canonical.size() <= versions.length * oses.length, "agents by version and OS: " + svc.agents.canonical.size());
        else check(svc.agents.canonical.size() > 50_000, "agents keyed by device: " + svc.agents.canonical.size());
        check(svc.teasers.size() == TEASER_CAP && svc.teasers.evicted > 0, "teaser cache at cap");
        check(svc.gzipBuffers.size() == POOL, "pool");
        check(svc.recent[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
